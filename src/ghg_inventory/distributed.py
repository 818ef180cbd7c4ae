"""The same kernel on Dask: activity tables larger than one machine, partitioned Parquet
datasets, Monte Carlo iterations as tasks.

``ghg.compute`` hands a ``dask.dataframe.DataFrame`` or a directory (a partitioned Parquet
dataset, e.g. ``year=2023/province=LC/part-0.parquet``) to :func:`compute_dask`. Each
partition goes through the very function the pandas path uses
(:func:`ghg_inventory.compute`, by ``map_partitions``); nothing is implemented twice.

Rows that need each other are brought together first: the first-order decay of a landfill
needs its site's whole deposit history, and a cement plant's clinker balance its own rows,
so when the table has landfill rows it is shuffled on ``facility_id`` (``by_site``) and
every facility's rows end in one partition. The last year of the landfill emissions (without
``until``, the last deposit year of the whole table) is read once from the whole table and
written into the rows, so each partition computes the same years as one pandas run.

Dask is an optional extra (``pip install ghg-inventory[dask]``); importing ghg_inventory
never imports it. On a cluster, create ``dask.distributed.Client(address)`` before calling
``compute``: the work goes to the cluster, the user code does not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pint

from .errors import GHGInventoryError
from .units import Q_

#: Columns of the emissions table a Dask computation returns (DESIGN.md's core columns).
COLUMNS = {"facility_id": "str", "facility_name": "str", "commune": "str",
           "year": "int64", "category": "str", "activity": "str", "gas": "str",
           "emissions_kg": "float64", "co2e_kg": "float64", "scope": "str",
           "biogenic": "bool", "fossil": "bool", "factor_id": "str", "tier": "int64",
           "guidelines": "str", "source_file": "str", "source_row": "int64"}
FOD_PREFIX = "4.A"


def _dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise GHGInventoryError("Dask is not installed: pip install 'ghg-inventory[dask]'"
                                ) from exc
    return dd


def is_dask(obj: object) -> bool:
    """Whether ``obj`` is a Dask collection (without importing Dask)."""
    return type(obj).__module__.split(".")[0] == "dask"


def _kernel(part: pd.DataFrame, options: dict[str, Any], name: str,
            partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """One partition through the pandas path; problems name the partition and its row."""
    from .engine import compute

    number = partition_info["number"] if partition_info else 0
    frame = part.reset_index(drop=True)
    if "source_file" not in frame:
        where = (frame.pop("path").astype(str) if "path" in frame
                 else pd.Series(f"{name} partition {number}", index=frame.index))
        frame["source_file"] = pd.Categorical(where)
        # 1-based row within the partition (a partition of a Parquet dataset is a file)
        frame["source_row"] = np.arange(1, len(frame) + 1, dtype=np.int32)
    if frame.empty:
        return _empty()
    # text keys as categoricals: the engine works on their codes, once per distinct value
    for column in frame.columns:
        if column not in ("amount", "source_file", "source_row") and (
                pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object):
            frame[column] = frame[column].astype("category")
    inventory = compute(frame, **options)
    # only the core columns, straight from the results and their activity rows (the full
    # emissions table would also carry every parameter column)
    results, table = inventory.results, inventory.activities
    pos = results["_pos"].to_numpy()
    emissions = {"emissions_kg": results["emissions_kg"], "co2e_kg": inventory.co2e()}
    out = pd.DataFrame(index=pd.RangeIndex(len(results)))
    for column, dtype in COLUMNS.items():
        if column in emissions:
            values = pd.Series(np.asarray(emissions[column]), index=out.index)
        elif column in results:
            values = results[column].reset_index(drop=True)
        elif column in table:
            source = table[column]
            values = (pd.Series(pd.Categorical.from_codes(source.cat.codes.to_numpy()[pos],
                                                          dtype=source.dtype))
                      if isinstance(source.dtype, pd.CategoricalDtype)
                      else pd.Series(source.to_numpy()[pos]))
        else:
            values = None
        if values is not None:
            out[column] = _text(values) if dtype == "str" else values.astype(dtype)
        else:
            out[column] = pd.Series(np.nan if dtype == "str" else 0, index=out.index,
                                    dtype=dtype)
    return out.reset_index(drop=True)


def _text(values: pd.Series) -> pd.Series:
    """A text column as the ``str`` dtype; a categorical through its (few) categories."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        labels = pd.array(values.cat.categories.astype(str), dtype="str")
        return pd.Series(labels.take(values.cat.codes.to_numpy(), allow_fill=True),
                         index=values.index)
    return values.astype(object).astype("str")


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in COLUMNS.items()})


def compute_dask(activities: Any, *, by_site: bool | None = None, name: str | None = None,
                 **options: Any) -> DaskInventory:
    """Compute an activity table held by Dask.

    Parameters
    ----------
    activities : dask.dataframe.DataFrame or path
        The table, or a directory holding a (partitioned) Parquet dataset.
    by_site : bool, optional
        Shuffle on ``facility_id`` first, so that every facility's rows (a landfill's
        deposit history) are in one partition. By default only when the table has
        landfill (4.A) rows, the one method that reads several rows of a site together;
        ``False`` for data already partitioned by facility.
    name : str, optional
        How problems name the data (default: the dataset path or ``<dask>``).
    **options
        As for :func:`ghg_inventory.compute` (``gwp``, ``factors``, ``guidelines``...).

    Returns
    -------
    DaskInventory
    """
    dd = _dask()
    if not is_dask(activities):
        path = Path(activities)
        if not path.is_dir():
            raise GHGInventoryError(f"{path}: not a Parquet dataset directory")
        activities = dd.read_parquet(str(path), include_path_column=True)
        name = name or str(path)
    ddf = activities
    if "category" in ddf.columns and "year" in ddf.columns:
        fod = ddf[ddf["category"].astype(str).str.startswith(FOD_PREFIX)]
        last = fod["year"].astype("float64").max().compute()
        if by_site is None:
            by_site = bool(pd.notna(last))
        if pd.notna(last):
            def fill_until(part: pd.DataFrame, last: float = float(last)) -> pd.DataFrame:
                part = part.copy()
                rows = part["category"].astype(str).str.startswith(FOD_PREFIX)
                current = (pd.to_numeric(part["until"], errors="coerce") if "until" in part
                           else pd.Series(np.nan, index=part.index))
                part["until"] = np.where(rows & current.isna(), last, current)
                return part
            meta = ddf._meta.assign(until=pd.Series(dtype="float64"))
            ddf = ddf.map_partitions(fill_until, meta=meta)
    if by_site:
        ddf = ddf.shuffle(on="facility_id")
    options = {**options}
    gwp = options.setdefault("gwp", "AR5")
    emissions = ddf.map_partitions(_kernel, options, name or "<dask>", meta=_empty(),
                                   align_dataframes=False)
    return DaskInventory(emissions, gwp=str(gwp), meta={"gwp": gwp,
                                                        "guidelines": options.get(
                                                            "guidelines", "2006")})


class DaskInventory:
    """An inventory whose emissions table is a Dask dataframe.

    ``rollup``, ``total``, ``biogenic_co2`` and ``export`` mirror
    :class:`ghg_inventory.Inventory`; the aggregation runs on Dask and only the (small)
    grouped table comes back. Sums over partitions add in another order than one pandas
    sum, so results agree to floating-point rounding (about 1e-15 relative), not bit for bit.
    """

    def __init__(self, emissions: Any, *, gwp: str, meta: dict[str, Any]):
        self.emissions = emissions
        self.gwp = gwp
        self.meta = meta

    def persist(self) -> DaskInventory:
        """Keep the computed emissions in (cluster) memory for several roll-ups."""
        return DaskInventory(self.emissions.persist(), gwp=self.gwp, meta=self.meta)

    def _keyed(self, keys: list[str], level: int | None) -> Any:
        from .categories import at_level, attribute
        from .inventory import DERIVED

        frame = self.emissions
        derived = {"sector", "plan_area", "category_name_en", "category_name_vi"}
        if level or derived & set(keys):
            def mapping(part: pd.DataFrame) -> pd.DataFrame:
                part = part.copy()
                codes = part["category"].astype(object)
                for key in derived & set(keys):
                    part[key] = attribute(codes, DERIVED[key]).to_numpy()
                if level:
                    part["category"] = at_level(codes, level).to_numpy()
                return part
            meta = self.emissions._meta.assign(**{k: pd.Series(dtype=object)
                                                  for k in derived & set(keys)})
            frame = frame.map_partitions(mapping, meta=meta)
        return frame

    def rollup(self, by: str | Sequence[str] = (), gwp: str | None = None, *,
               level: int | None = None, scope: str = "direct") -> pd.DataFrame:
        """Sums by groups, the columns of :meth:`ghg_inventory.Inventory.rollup`."""
        from .gwp import gwp_value
        from .inventory import _gas_order

        keys = [by] if isinstance(by, str) else list(by)
        frame = self._keyed(keys, level)
        frame = frame[frame["scope"] == scope]
        columns = list(dict.fromkeys([*keys, "gas", "fossil", "biogenic"]))
        parts = (frame.groupby(columns, dropna=False)["emissions_kg"].sum().compute()
                 .reset_index())
        parts["_gas"] = parts["gas"]
        gwp = gwp or self.gwp
        counted = parts[~parts["biogenic"]]
        factor = [gwp_value(str(g), gwp, fossil=bool(f))
                  for g, f in zip(counted["gas"], counted["fossil"], strict=True)]
        counted = counted.assign(co2e_kg=counted["emissions_kg"] * np.asarray(factor))
        index = keys or None
        if keys:
            totals = counted.groupby(keys, dropna=False)["co2e_kg"].sum()
            by_gas = counted.pivot_table(index=keys, columns="_gas", values="emissions_kg",
                                         aggfunc="sum", fill_value=0.0, dropna=False)
            memo = parts[parts["biogenic"]].groupby(keys, dropna=False)["emissions_kg"].sum()
            groups = parts.groupby(keys, dropna=False).size().index
        else:
            totals = pd.Series([counted["co2e_kg"].sum()])
            by_gas = counted.groupby("_gas")["emissions_kg"].sum().to_frame().T
            memo = pd.Series([parts.loc[parts["biogenic"], "emissions_kg"].sum()])
            groups = totals.index
        gases = sorted(by_gas.columns, key=lambda g: _gas_order(str(g)))
        out = pd.DataFrame({"co2e_kg": totals.reindex(groups, fill_value=0.0)})
        for gas in gases:
            out[f"{gas}_kg"] = by_gas[gas].reindex(groups, fill_value=0.0).to_numpy()
        out["biogenic_CO2_kg"] = memo.reindex(groups, fill_value=0.0).to_numpy()
        out = out.reset_index() if index else out.reset_index(drop=True)
        if keys:
            out = out.sort_values(keys).reset_index(drop=True)
        out.attrs.update({**self.meta, "gwp": gwp, "scope": scope})
        return out

    def total(self, gwp: str | None = None, *, scope: str = "direct") -> pint.Quantity:
        """Total emissions in t CO2e (biogenic CO2 excluded)."""
        table = self.rollup((), gwp, scope=scope)
        kg = float(table["co2e_kg"].iloc[0]) if len(table) else 0.0
        return Q_(kg / 1000.0, "t * CO2e")

    def biogenic_co2(self) -> pint.Quantity:
        """Memo item: CO2 from biomass, in t CO2."""
        e = self.emissions
        kg = float(e.loc[e["biogenic"], "emissions_kg"].sum().compute())
        return Q_(kg / 1000.0, "t * CO2")

    def export(self, path: str | Path) -> Path:
        """Write the emissions table: a Parquet dataset directory (``.parquet`` or no
        suffix) or one CSV file per partition (``name-*.csv``)."""
        path = Path(path)
        if path.suffix.lower() == ".csv":
            self.emissions.to_csv(str(path.with_name(path.stem + "-*.csv")), index=False)
        else:
            self.emissions.to_parquet(str(path), write_index=False)
        return path
