"""Activity table -> emissions table, vectorized by method.

``compute`` reads (CSV, Excel, Parquet, DataFrames), validates every row on whole columns,
hands each method its rows at once, and assembles the long emissions table: one row per
activity row and gas, with the factor that produced it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from . import sectors  # noqa: F401  (registers the methods)
from .activity import Source, read_activities, validate
from .factors import FactorDB
from .gwp import DEFAULT_GWP, check_gwp_set
from .inventory import Inventory
from .methods import REGISTRY, Context

Progress = Callable[[str, int, int], None]
Overrides: TypeAlias = str | Path | pd.DataFrame


def compute(
    activities: Source | Sequence[Source],
    *,
    factors: FactorDB | Overrides | Sequence[Overrides] | None = None,
    gwp: str = DEFAULT_GWP,
    guidelines: str = "2006",
    country: str = "VN",
    progress: Progress | None = None,
) -> Inventory:
    """Compute the emissions of an activity table.

    Parameters
    ----------
    activities : path, DataFrame, or a sequence of them
        Activity tables (CSV, XLSX, Parquet, DataFrame) in the schema of DESIGN.md.
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

    Returns
    -------
    Inventory

    Raises
    ------
    ActivityValidationError
        If any row has a problem; nothing is computed then.
    """
    check_gwp_set(gwp)
    db = _factor_db(factors)
    ctx = Context(factors=db, guidelines=guidelines, country=country)
    raw = read_activities(activities)
    table = validate(raw, ctx)
    parts = []
    names = [n for n in table["method"].cat.categories if n]
    energy = np.full(len(table), np.nan)
    for done, name in enumerate(names):
        positions = np.flatnonzero((table["method"] == name).to_numpy())
        # the very table validation checked, when one method takes every row
        sub = table if len(positions) == len(table) else table.iloc[positions].reset_index(
            drop=True)
        part = REGISTRY[name].compute(sub, ctx)
        if "energy_tj" in part.attrs:  # energy of each row, for the energy indicators
            energy[positions] = part.attrs.pop("energy_tj")
        part["_pos"] = positions[part["_pos"].to_numpy()]
        parts.append(part)
        if progress:
            progress(name, done + 1, len(names))
    results = _concat_parts(parts)
    table["energy_tj"] = energy
    meta = {
        "gwp": gwp,
        "guidelines": guidelines,
        "country": country,
        "factor_tables": sorted(map(str, db.table["table"].unique())),
        "rows": len(table),
    }
    return Inventory(meta=meta, activities=table, results=results, factors=db)


def _factor_db(factors: object) -> FactorDB:
    if factors is None:
        return FactorDB.default()
    if isinstance(factors, FactorDB):
        return factors
    if isinstance(factors, (str, Path, pd.DataFrame)):
        return FactorDB.default().with_overrides(factors)
    return FactorDB.default().with_overrides(*factors)  # type: ignore[misc]


def _concat_parts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack the methods' results keeping categoricals categorical (no per-row strings)."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return pd.DataFrame({
            "_pos": np.array([], dtype=np.int64), "gas": pd.Categorical([]),
            "emissions_kg": np.array([], dtype=float),
            "scope": pd.Categorical([], categories=["direct", "indirect"]),
            "biogenic": np.array([], dtype=bool), "fossil": np.array([], dtype=bool),
            "factor_id": pd.Categorical([]), "tier": np.array([], dtype=np.int8),
            "guidelines": pd.Categorical([]), "auxiliary_factor_ids": pd.Categorical([]),
        })
    from pandas.api.types import union_categoricals

    columns = {}
    for column in parts[0].columns:
        if isinstance(parts[0][column].dtype, pd.CategoricalDtype):
            columns[column] = union_categoricals([p[column] for p in parts])
        else:
            columns[column] = np.concatenate([p[column].to_numpy() for p in parts])
    return pd.DataFrame(columns)
