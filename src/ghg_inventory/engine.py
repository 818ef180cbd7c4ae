"""Activity table -> emissions table, vectorized by method: the kernel.

``compute_table`` reads (CSV, Excel, Parquet, DataFrames), validates every row on whole
columns, hands each method its rows at once, and assembles the long emissions table: one row
per activity row and gas, with the factor that produced it. :func:`ghg_inventory.compute`
(:mod:`ghg_inventory.api`) chooses between this kernel and its Dask form
(:mod:`ghg_inventory.distributed`); the kernel knows nothing of Dask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from ghg_inventory.errors import InternalError
from ghg_inventory.factors import GUIDELINES, FactorDB
from ghg_inventory.gwp import DEFAULT_GWP, check_gwp_set
from ghg_inventory.i18n.messages import joined, msg
from ghg_inventory.inventory import Inventory
from ghg_inventory.methods import Context, Method
from ghg_inventory.numbers import NumberFormatSpec
from ghg_inventory.readers import FILE_COL, ROW_COL, Source, read_activities
from ghg_inventory.sectors import REGISTRY, by_name
from ghg_inventory.validation import validate

Progress = Callable[[str, int, int], None]
Overrides: TypeAlias = str | Path | pd.DataFrame


def compute_table(
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
    """The emissions of activity tables held in this process (pandas): the kernel that
    :func:`ghg_inventory.compute` runs here and :mod:`ghg_inventory.distributed` runs on each
    Dask partition. Parameters, result and errors as :func:`ghg_inventory.compute`, but
    ``activities`` are files or DataFrames (never a Dask collection or dataset directory).
    """
    check_gwp_set(gwp)
    db = _factor_db(factors, number_format)
    ctx = Context(factors=db, guidelines=guidelines, country=country,
                  methods=REGISTRY if methods is None else by_name(methods))
    raw = read_activities(activities, number_format=number_format)
    table = validate(raw, ctx)
    parts = []
    names = [n for n in table["method"].cat.categories if n]
    method_codes = table["method"].cat.codes.to_numpy()
    # positions of activity rows as int32 where they fit: the results hold one per gas
    pos_dtype = np.int32 if len(table) < 2**31 else np.int64
    energy: np.ndarray | None = None  # made when a method gives energy (after its peak)
    derived: list[tuple[int, str, int]] = []  # (source position, category, year)
    for done, name in enumerate(names):
        code = list(table["method"].cat.categories).index(name)
        if len(table) and method_codes.min() == code == method_codes.max():  # every row
            positions = np.arange(len(table), dtype=pos_dtype)
        else:
            positions = np.flatnonzero(method_codes == code).astype(pos_dtype, copy=False)
        sub = ctx.rows(name, table, positions)  # the very rows validation checked
        part = ctx.methods[name].compute(sub, ctx)  # type: ignore[index]
        if "energy_tj" in part.attrs:  # energy of each row, for the energy indicators
            given = np.asarray(part.attrs.pop("energy_tj"), dtype=float)
            if energy is None and len(positions) == len(table):
                energy = given  # the method's rows are the table's
            else:
                if energy is None:
                    energy = np.full(len(table), np.nan)
                energy[positions] = given
        if len(positions) < len(table):  # else the method's rows are the table's
            part["_pos"] = positions[part["_pos"].to_numpy()]
        elif part["_pos"].dtype != pos_dtype:
            part["_pos"] = part["_pos"].to_numpy().astype(pos_dtype)
        _check_emissions(part, ctx.methods[name], table)  # type: ignore[index]
        if "_category" in part or "_year" in part:
            part = _derive_rows(part, table, derived)
        parts.append(part)
        if progress:
            progress(name, done + 1, len(names))
    results = _concat_parts(parts)
    # a Series over the array: set as a column without a copy of 8 bytes per row
    table["energy_tj"] = pd.Series(np.full(len(table), np.nan) if energy is None else energy,
                                   index=table.index, copy=False)
    rows = len(table)
    if derived:
        table = _with_derived_rows(table, derived)
    meta = {
        "gwp": gwp,
        "guidelines": guidelines,
        # the editions the factors actually used were printed in: under 2019, the 2006
        # records the Refinement left standing show here and on their rows
        "factor_editions": _editions(results),
        "country": country,
        "factor_tables": sorted(map(str, db.table["table"].unique())),
        "rows": rows,
    }
    return Inventory(meta=meta, activities=table, results=results, factors=db)


def _editions(results: pd.DataFrame) -> list[str]:
    """The IPCC editions of the records behind the results (``guidelines`` column; a
    result computed from the user's own values only has none)."""
    column = results["guidelines"]
    if isinstance(column.dtype, pd.CategoricalDtype):  # looked for, not sorted (10^7 rows)
        codes = column.cat.codes.to_numpy()
        labels = column.cat.categories
        values = (labels[[bool((codes == i).any()) for i in range(len(labels))]]
                  if len(labels) <= 16 else labels[np.unique(codes[codes >= 0])])
    else:
        values = pd.unique(column)
    return sorted({str(v) for v in values} & set(GUIDELINES))


def _check_emissions(part: pd.DataFrame, method: Method, table: pd.DataFrame) -> None:
    """Refuse, as a bug, emissions that are not finite or negative where the method does
    not declare removals (``Method.removals``). One pass over whole columns.

    Raises
    ------
    InternalError
        Naming the method and, for each offending result (the first few), the file and row
        of its activity row, the gas and the value.
    """
    kg = part["emissions_kg"].to_numpy(dtype=float)
    if not len(kg) or (kg.min() >= 0 and kg.max() < np.inf):  # NaN fails both
        return
    with np.errstate(invalid="ignore"):
        negative = kg < 0
    if method.removals and negative.any():
        negative &= ~part["gas"].astype(object).isin(method.removals).to_numpy()
    wrong = ~np.isfinite(kg) | negative
    if not wrong.any():
        return
    where = np.flatnonzero(wrong)
    pos = part["_pos"].to_numpy()[where]
    files = table[FILE_COL].to_numpy()[pos]
    rows = table[ROW_COL].to_numpy()[pos]
    gases = part["gas"].to_numpy()[where]
    shown = 10
    lines = [msg("core.engine.bad_row", file=f, row=r, gas=g, value=v)
             for f, r, g, v in zip(files[:shown], rows[:shown], gases[:shown], kg[where][:shown],
                                   strict=True)]
    if len(where) > shown:
        lines.append(msg("core.engine.more", count=len(where) - shown))
    allowed = (msg("core.engine.removals", gases=", ".join(method.removals))
               if method.removals else msg("core.engine.never_negative"))
    raise InternalError(msg("core.engine.bad_emissions", method=method.name, count=len(where),
                            allowed=allowed, rows=joined(lines)))


def _derive_rows(part: pd.DataFrame, table: pd.DataFrame,
                 derived: list[tuple[int, str, int]]) -> pd.DataFrame:
    """Point results reported under another category or year at derived activity rows.

    A method may say, per result row, that it belongs to another category (indirect N2O of
    managed soils under 3.C.5, of manure under 3.C.6) or another year (first-order decay:
    a deposit emits for decades) in columns ``_category`` ("" = the row's own) and
    ``_year`` (0 = the row's own). Each distinct (row, category, year) becomes a copy of
    its activity row appended to the table, so roll-ups, provenance and exports need no
    special case; the copy has no energy and remembers its source in ``_source_pos``.
    """
    pos = part["_pos"].to_numpy()
    category = (part["_category"].astype(str).to_numpy() if "_category" in part
                else np.full(len(part), "", dtype=object))
    year = (part["_year"].to_numpy(dtype=np.int64) if "_year" in part
            else np.zeros(len(part), dtype=np.int64))
    # only the rows at hand: the table may hold millions of other methods' rows
    own_category = table["category"].take(pos).astype(str).to_numpy()
    own_year = table["year"].take(pos).to_numpy(dtype=np.int64)
    category = np.where(category == "", own_category, category)
    year = np.where(year == 0, own_year, year)
    moved = (category != own_category) | (year != own_year)
    if moved.any():
        keys = pd.DataFrame({"pos": pos[moved], "category": category[moved],
                             "year": year[moved]})
        codes, distinct = pd.factorize(pd.MultiIndex.from_frame(keys))
        start = len(table) + len(derived)
        derived.extend((int(p), str(c), int(y)) for p, c, y in distinct)
        pos = pos.copy()
        pos[moved] = start + codes
        part["_pos"] = pos
    return part.drop(columns=[c for c in ("_category", "_year") if c in part])


def _with_derived_rows(table: pd.DataFrame, derived: list[tuple[int, str, int]]
                       ) -> pd.DataFrame:
    source = np.array([d[0] for d in derived], dtype=np.int64)
    extra = table.iloc[source].reset_index(drop=True)
    base = table.assign(_source_pos=np.full(len(table), -1, dtype=np.int64))
    categories = [d[1] for d in derived]
    if isinstance(table["category"].dtype, pd.CategoricalDtype):
        # the same categories on both sides keep the concatenation categorical; adding
        # categories leaves the codes of the (maybe millions of) table rows as they are
        new = pd.Index(categories).unique().difference(table["category"].cat.categories)
        base["category"] = base["category"].cat.add_categories(new)
        extra["category"] = pd.Categorical(categories, dtype=base["category"].dtype)
    else:
        extra["category"] = categories
    extra["year"] = np.array([d[2] for d in derived], dtype=table["year"].dtype)
    extra["energy_tj"] = np.nan
    extra["_source_pos"] = source
    # every categorical has the same categories on both sides (the copies are rows of the
    # table, their new categories added above), so the concatenation stays categorical
    return pd.concat([base, extra], ignore_index=True)


def _factor_db(factors: object, number_format: NumberFormatSpec = None) -> FactorDB:
    """The database of a run; override tables are read under the run's number format."""
    if factors is None:
        return FactorDB.default()
    if isinstance(factors, FactorDB):
        return factors
    if isinstance(factors, (str, Path, pd.DataFrame)):
        factors = [factors]
    # a path is the user's table, a name a shipped set (emission_factors/sets/)
    from ghg_inventory.factor_sets import apply

    return apply(FactorDB.default(), factors,  # type: ignore[arg-type]
                 number_format=number_format)


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
