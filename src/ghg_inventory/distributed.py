"""The same kernel on Dask: activity tables larger than one machine, partitioned Parquet
datasets, Monte Carlo iterations as tasks.

``ghg.compute`` hands a ``dask.dataframe.DataFrame`` or a directory (a partitioned Parquet
dataset, e.g. ``year=2023/province=LC/part-0.parquet``, one partition per file) to
:func:`compute_dask`. Each partition goes through the very function the pandas path uses
(:func:`ghg_inventory.compute`, by ``map_partitions``); nothing is implemented twice.
Every row is numbered where it was read (file and row, or partition and row) before
anything moves it, so problems point at the input.

One method reads several rows together: the first-order decay of a landfill (4.A) needs
its site's whole deposit history. So when the table has landfill rows, those rows (and
only those) are shuffled on ``facility_id`` (``by_site``) and each site's history ends in
one partition; every other method works row by row and its rows stay where they are. The
last year of the landfill emissions (without ``until``, the last deposit year of the
whole table) is read once from the whole table and written into the rows, so each
partition computes the same years as one pandas run.

Text columns of the emissions table are categoricals (a few labels over millions of rows).

Dask is an optional extra (``pip install ghg-inventory[dask]``); importing ghg_inventory
never imports it. On a cluster, create ``dask.distributed.Client(address)`` before calling
``compute``: the work goes to the cluster, the user code does not change.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n.messages import msg
from ghg_inventory.units import Q_

#: Columns of the emissions table a Dask computation returns (DESIGN.md's core columns).
COLUMNS = {"facility_id": "str", "facility_name": "str", "commune": "str",
           "year": "int64", "category": "str", "activity": "str", "gas": "str",
           "emissions_kg": "float64", "co2e_kg": "float64", "scope": "str",
           "biogenic": "bool", "fossil": "bool", "factor_id": "str", "tier": "int64",
           "guidelines": "str", "source_file": "str", "source_row": "int64"}
FOD_PREFIX = "4.A"
#: Rows of landfill history per partition after their shuffle (a pandas partition's size).
PARTITION_ROWS = 1_000_000
#: The labels of every text column of the emissions table (categoricals of these).
LABELS = pd.Index([], dtype=pd.StringDtype(na_value=np.nan))


def _dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise GHGInventoryError(msg("core.distributed.no_dask")) from exc
    return dd


@contextmanager
def local_client(workers: int, memory_limit: str | float = "auto") -> Iterator[Any]:
    """A Dask cluster of ``workers`` processes on this machine (one thread each) and its
    client, as the CLI's ``--engine dask`` uses.

    Dask starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536`` so that glibc hands
    freed memory back at once. Setting it also pins glibc's mmap threshold at 128 KiB, so
    every array longer than 16,000 numbers is mapped and page-faulted afresh; the kernel
    allocates dozens of arrays of a partition's length: with that setting each partition
    took about 1.4 times as long, a whole run about 1.2 times (``benchmarks/
    bench_scale.py``). These workers keep glibc's defaults: freed memory is reused
    instead, which shows as unmanaged memory in Dask's dashboard.
    """
    import logging

    import dask
    from dask.distributed import Client, LocalCluster

    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()
               if k != "MALLOC_TRIM_THRESHOLD_"}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         memory_limit=memory_limit, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


def is_dask(obj: object) -> bool:
    """Whether ``obj`` is a Dask collection (without importing Dask)."""
    return type(obj).__module__.split(".")[0] == "dask"


def _numbered(part: pd.DataFrame, name: str,
              partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """Name where each row is, before any shuffle moves it: ``<name> partition N`` and the
    row in it (the index, as for a pandas DataFrame, when it holds integers)."""
    number = partition_info["number"] if partition_info else 0
    index = part.index
    rows = (index.to_numpy() if pd.api.types.is_integer_dtype(index)
            else np.arange(len(part)))
    return part.assign(source_file=_label(f"{name} partition {number}", len(part)),
                       source_row=rows.astype(np.int64))


def _label(text: str, n: int) -> pd.Categorical:
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8),
                                     pd.Index([text], dtype=LABELS.dtype))


def _read_fragment(fragment: Any, schema: Any, root: str) -> pd.DataFrame:
    """One file of a Parquet dataset, its rows numbered from 1 (as the pandas path does)."""
    where = str(Path(fragment.path).relative_to(root)) if root else fragment.path
    try:
        frame = fragment.to_table(schema=schema).to_pandas()
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors differ by cause; name the file
        raise GHGInventoryError(msg("core.textfiles.cannot_read", label=where,
                                    reason=str(exc))) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.assign(source_file=_label(where, len(frame)),
                        source_row=np.arange(1, len(frame) + 1, dtype=np.int64))


def _kernel(part: pd.DataFrame, options: dict[str, Any]) -> pd.DataFrame:
    """One partition through the pandas path; problems name the file or partition and
    the row (numbered before the kernel, see :func:`_numbered`)."""
    from ghg_inventory.engine import compute_table

    frame = part.reset_index(drop=True)
    if frame.empty:
        return _empty(meta=False)
    # text keys as categoricals: the engine works on their codes, once per distinct value
    for column in frame.columns:
        if column not in ("amount", "source_file", "source_row") and (
                pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object):
            frame[column] = frame[column].astype("category")
    inventory = compute_table(frame, **options)
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
            out[column] = (pd.Series(pd.Categorical([None] * len(out), categories=LABELS))
                           if dtype == "str"
                           else pd.Series(0, index=out.index, dtype=dtype))
    return out.reset_index(drop=True)


def _text(values: pd.Series) -> pd.Series:
    """A text column as a categorical of text labels.

    Categorical, not ``str``: an emissions table has a few distinct labels over millions of
    rows, and spelling each one out (then grouping on the strings) cost more than the
    whole computation of the partition.
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    labels = values.cat.categories
    if labels.dtype != LABELS.dtype:  # one dtype of labels, or partitions cannot concatenate
        values = values.cat.rename_categories(pd.Index(labels.astype(str), dtype=LABELS.dtype))
    return values


def _empty(meta: bool = True) -> pd.DataFrame:
    """An empty emissions table; as Dask ``meta``, its text columns are categoricals of
    unknown categories (each partition has its own)."""
    frame = pd.DataFrame({c: pd.Series(pd.Categorical([], categories=LABELS) if d == "str"
                                       else pd.Series(dtype=d))
                          for c, d in COLUMNS.items()})
    return clear_categories(frame) if meta else frame


def compute_dask(activities: Any, *, by_site: bool | None = None, name: str | None = None,
                 **options: Any) -> DaskInventory:
    """Compute an activity table held by Dask.

    Parameters
    ----------
    activities : dask.dataframe.DataFrame or path
        The table, or a directory holding a (partitioned) Parquet dataset, or one Parquet
        file.
    by_site : bool, optional
        Shuffle the landfill (4.A) rows on ``facility_id`` first, so that each site's
        deposit history is in one partition (first-order decay, the one method that reads
        several rows of a site together). By default when the table has landfill rows;
        ``False`` for data already partitioned by facility.
    name : str, optional
        How problems name a Dask dataframe's partitions (default ``<dask>``); the files
        of a Parquet dataset are named by their path in it.
    **options
        As for :func:`ghg_inventory.compute` (``gwp``, ``factors``, ``guidelines``...).

    Returns
    -------
    DaskInventory
    """
    dd = _dask()
    if is_dask(activities):
        ddf = activities
        if "source_file" not in ddf.columns or "source_row" not in ddf.columns:
            meta = ddf._meta.assign(source_file=_label("", 0),
                                    source_row=pd.Series(dtype=np.int64))
            ddf = ddf.map_partitions(_numbered, name or "<dask>",
                                     meta=clear_categories(meta))
        last, count = _fod_extent(ddf)
    else:
        ddf, (last, count) = _parquet_dataset(Path(activities))
    if count:
        meta = ddf._meta.assign(until=pd.Series(dtype=object))
        if by_site is False:  # each site's history already in one partition
            ddf = ddf.map_partitions(_fill_until, last, meta=meta)
        else:
            # only the landfill rows travel: they are few, every other method reads one row
            rows = ddf["category"].map_partitions(_fod_rows, meta=("category", bool))
            landfills = ddf[rows].map_partitions(_fill_until, last, meta=meta)
            shuffled = (landfills.astype({"source_file": LABELS.dtype})  # one dtype to shuffle
                        .shuffle(on="facility_id",
                                 npartitions=max(1, -(-count // PARTITION_ROWS)))
                        .astype({"source_file": "category"}))
            others = ddf[~rows].map_partitions(_with_until, meta=meta)
            ddf = dd.concat([others, shuffled])
    options = {**options}
    gwp = options.setdefault("gwp", "AR5")
    if options.get("factors") is not None:
        # override tables are read (and checked) here, once: a worker of a cluster may not
        # see the client's files, and every partition needs the same records
        from ghg_inventory.engine import _factor_db
        options["factors"] = _factor_db(options["factors"], options.get("number_format"))
    emissions = ddf.map_partitions(_kernel, options, meta=_empty(), align_dataframes=False)
    return DaskInventory(emissions, gwp=str(gwp), meta={"gwp": gwp,
                                                        "guidelines": options.get(
                                                            "guidelines", "2006")})


def _fod_rows(category: pd.Series) -> pd.Series:
    """Landfill (first-order decay) rows, as validation will read their category."""
    return category.astype(str).str.strip().str.startswith(FOD_PREFIX).fillna(False)


def _fod_extent(ddf: Any) -> tuple[float, int]:
    """The last year of any landfill row in the whole table and the number of those rows
    (NaN and 0 without them), in one pass over the category and year columns."""
    if "category" not in ddf.columns or "year" not in ddf.columns:
        return np.nan, 0
    meta = pd.DataFrame({"last": pd.Series(dtype=float), "count": pd.Series(dtype=np.int64)})
    return _combined(ddf[["category", "year"]].map_partitions(_extent, meta=meta).compute())


def _extent(part: pd.DataFrame) -> pd.DataFrame:
    """The last landfill year and the number of landfill rows of one table (one row)."""
    rows = _fod_rows(part["category"])
    years = pd.to_numeric(part.loc[rows, "year"].astype(object), errors="coerce")
    return pd.DataFrame({"last": [years.max() if rows.any() else np.nan],
                         "count": [int(rows.sum())]})


def _combined(extents: pd.DataFrame) -> tuple[float, int]:
    return float(extents["last"].max()), int(extents["count"].sum())


def _parquet_dataset(path: Path) -> tuple[Any, tuple[float, int]]:
    """A Parquet dataset directory (or one Parquet file) as a Dask dataframe of one
    partition per file, and the extent of its landfill rows.

    A partition per file lets problems name the file and its row. The landfill scan reads
    only the row groups whose statistics admit a landfill category.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    dd = _dask()
    if not (path.is_dir() or (path.is_file() and path.suffix.lower() in (".parquet", ".pq"))):
        raise GHGInventoryError(msg("core.distributed.not_parquet", path=path))
    root = path if path.is_dir() else path.parent  # files are named by their path in it
    try:
        dataset = ds.dataset(path, format="parquet", partitioning="hive")
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors differ by cause; name the file
        raise GHGInventoryError(msg("core.distributed.cannot_read_dataset", path=path,
                                    reason=str(exc))) from exc
    fragments = list(dataset.get_fragments())
    if not fragments:
        raise GHGInventoryError(msg("core.distributed.no_files", path=path))
    # the columns of every file (pyarrow would take the first file's as the dataset's)
    schema = dataset.schema
    for fragment in fragments:
        where = Path(fragment.path).relative_to(root)
        try:
            columns = fragment.physical_schema
        except Exception as exc:  # noqa: BLE001 - pyarrow's errors differ by cause
            raise GHGInventoryError(msg("core.distributed.cannot_read_file", where=where,
                                        reason=str(exc))) from exc
        try:
            schema = pa.unify_schemas([schema, columns], promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise GHGInventoryError(msg("core.distributed.columns_differ", where=where,
                                        path=path, reason=str(exc))) from exc
    dataset = ds.dataset(path, schema=schema, format="parquet", partitioning="hive")
    meta = _read_fragment(fragments[0], schema, str(root)).iloc[:0]
    ddf = dd.from_map(_read_fragment, fragments, schema=schema, root=str(root),
                      meta=clear_categories(meta), label="read-activities",
                      enforce_metadata=False)
    extent: tuple[float, int] = (np.nan, 0)
    if {"category", "year"} <= set(schema.names):
        # row groups whose category could, once stripped, start with "4.A": in ["4.A",
        # "4.B"), or beginning with ASCII whitespace (below "0") or a non-ASCII character
        # (Unicode spaces). Row groups whose statistics lie outside are skipped unread.
        category = pc.field("category")
        admits = (((category >= FOD_PREFIX) & (category < "4.B")) | (category < "0")
                  | (category >= "\x80"))
        kind = schema.field("category").type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            # codes stored as numbers, or no code at all: read them all, validation
            # names the rows
            admits = None
        try:
            scan = dataset.to_table(columns=["category", "year"], filter=admits).to_pandas()
        except Exception as exc:  # noqa: BLE001 - pyarrow's errors differ by cause
            raise GHGInventoryError(msg("core.distributed.cannot_read_category", path=path,
                                        reason=str(exc))) from exc
        extent = _combined(_extent(scan))
    return ddf, extent


def clear_categories(meta: pd.DataFrame) -> pd.DataFrame:
    """Dask meta whose categoricals have unknown categories (each partition has its own)."""
    from dask.dataframe.utils import clear_known_categories

    return clear_known_categories(meta)


def _fill_until(part: pd.DataFrame, last: float) -> pd.DataFrame:
    """Landfill rows without ``until`` run to ``last``, the table's last landfill year.

    Only blank cells are filled; any other value goes to validation as it was written.
    """
    part = _with_until(part)
    rows = np.flatnonzero(_fod_rows(part["category"]).to_numpy())
    given = part["until"].to_numpy(dtype=object)
    blank = [i for i, v in zip(rows, given[rows], strict=True)
             if v is None or (isinstance(v, str) and not v.strip()) or
             (isinstance(v, float) and np.isnan(v))]
    if blank:
        given = given.copy()
        given[blank] = last
        part["until"] = given
    return part


def _with_until(part: pd.DataFrame) -> pd.DataFrame:
    """The ``until`` column as objects (given or not), one dtype over all partitions."""
    given = (part["until"].to_numpy(dtype=object) if "until" in part
             else np.full(len(part), None, dtype=object))
    return part.assign(until=pd.Series(given, index=part.index, dtype=object))


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
        from ghg_inventory.categories import at_level, attribute
        from ghg_inventory.inventory import DERIVED

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
        from ghg_inventory.gwp import gwp_value
        from ghg_inventory.inventory import _gas_order

        keys = [by] if isinstance(by, str) else list(by)
        frame = self._keyed(keys, level)
        frame = frame[frame["scope"] == scope]
        columns = list(dict.fromkeys([*keys, "gas", "fossil", "biogenic"]))
        # split_out=1: a few hundred groups at most, one partition holds them (Dask would
        # otherwise shuffle for a grouping on several keys)
        parts = (frame.groupby(columns, dropna=False, observed=True)["emissions_kg"]
                 .sum(split_out=1).compute().reset_index())
        for column in parts.columns:  # labels, not codes, from here on (as in pandas)
            if isinstance(parts[column].dtype, pd.CategoricalDtype):
                parts[column] = parts[column].astype(object)
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
        suffix) or one CSV file per partition (``name-*.csv``).

        The dataset is written under a unique temporary name beside it and renamed when
        complete (text cells of the CSV form neutralised against formula injection); an
        earlier export at ``path`` (a directory of Parquet files) is replaced, anything
        else there is refused.
        """
        from ghg_inventory.writers import csv_safe

        path = Path(path)
        if path.suffix.lower() == ".csv":
            # text cells that a spreadsheet would run as formulas are neutralised, as in
            # every other writer (issue 22: OWASP CSV injection)
            safe = self.emissions.map_partitions(csv_safe, meta=csv_safe(self.emissions._meta))
            safe.to_csv(str(path.with_name(path.stem + "-*.csv")), index=False)
            return path
        if path.exists() and not (path.is_dir() and all(
                p.suffix == ".parquet" for p in path.iterdir())):
            raise GHGInventoryError(msg("core.distributed.not_emissions", path=path))
        # written under a temporary name: a failing partition leaves no partial dataset
        # a unique name beside the target: two exports never share a temporary
        tmp = Path(tempfile.mkdtemp(prefix=path.name + ".", suffix=".partial", dir=path.parent))
        try:
            self.emissions.to_parquet(str(tmp), write_index=False)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        if path.exists():  # an earlier export (Parquet files only): replaced
            shutil.rmtree(path)
        tmp.replace(path)
        return path
