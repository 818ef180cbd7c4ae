"""``compute``: the one entry point, pandas in this process or Dask for partitioned data.

The facade chooses; the kernel (:func:`ghg_inventory.engine.compute_table`) and its Dask
form (:func:`ghg_inventory.distributed.compute_dask`) know nothing of each other's choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ghg_inventory.engine import Overrides, Progress, compute_table
from ghg_inventory.factors import FactorDB
from ghg_inventory.gwp import DEFAULT_GWP, check_gwp_set
from ghg_inventory.inventory import Inventory
from ghg_inventory.methods import Method
from ghg_inventory.numbers import NumberFormatSpec
from ghg_inventory.readers import Source


def compute(
    activities: Source | Sequence[Source],
    *,
    factors: FactorDB | Overrides | Sequence[Overrides] | None = None,
    gwp: str = DEFAULT_GWP,
    guidelines: str = "2006",
    country: str = "VN",
    progress: Progress | None = None,
    number_format: NumberFormatSpec = None,
    methods: Iterable[Method] | None = None,
) -> Inventory:
    """Compute the emissions of an activity table.

    Parameters
    ----------
    activities : path, DataFrame, or a sequence of them
        Activity tables (CSV, XLSX, Parquet, DataFrame) in the schema of DESIGN.md; or a
        ``dask.dataframe.DataFrame`` or a directory holding a partitioned Parquet dataset,
        computed partition by partition on Dask (:mod:`ghg_inventory.distributed`), which
        returns a :class:`~ghg_inventory.distributed.DaskInventory`.
    factors : FactorDB, path, DataFrame or a sequence of paths/DataFrames, optional
        A factor database, or user override tables added to the shipped defaults
        (Tier 2/3: country- or facility-specific records win over IPCC defaults).
    gwp : {"AR4", "AR5", "AR6"}
        100-year GWP set for ``co2e_kg``. Recorded with the result.
    guidelines : {"2006", "2019"}
        IPCC guidelines for the whole computation (see :mod:`ghg_inventory.factors`).
    country : str
        ISO code used for rows without a ``country`` column (country-specific overrides).
    progress : callable, optional
        ``progress(stage, done, total)`` called as methods complete (the CLI's progress bar).
    number_format : NumberFormat, {"vi", "en"}, mapping, optional
        How numbers written as text are read, e.g. ``"vi"`` or ``{"decimal": ",",
        "thousands": "."}`` for ``1.234,5`` (see :func:`~ghg_inventory.read_activities`).
        Without it a value such as ``12.000`` (12 or 12000) is refused unless its column
        settles the convention.
    methods : iterable of Method, optional
        The methods of the run (default: the package's, ``ghg_inventory.METHODS``); pass
        ``[*ghg.METHODS.values(), my_method]`` to add a method of your own. Where two serve
        the same category at the same depth, the one listed first is the fall-back.

    Returns
    -------
    Inventory

    Raises
    ------
    ActivityValidationError
        If any row has a problem; nothing is computed then.
    InternalError
        If a method returns an emission that is not finite, or negative for a gas it does
        not declare as a removal (a bug, never a result).
    """
    check_gwp_set(gwp)
    from ghg_inventory.distributed import is_dask

    if is_dask(activities) or (isinstance(activities, (str, Path))
                               and Path(activities).is_dir()):
        # a Dask dataframe or a partitioned Parquet dataset: the same kernel per partition
        from ghg_inventory.distributed import compute_dask
        return compute_dask(activities, factors=factors, gwp=gwp,  # type: ignore[return-value]
                            guidelines=guidelines, country=country,
                            number_format=number_format, methods=methods)
    return compute_table(activities, factors=factors, gwp=gwp, guidelines=guidelines,
                         country=country, progress=progress, number_format=number_format,
                         methods=methods)
