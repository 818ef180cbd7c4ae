"""Shared helpers of the sector methods: parameter columns and keyed factor look-ups.

Every helper works on whole columns and reports bad cells as :class:`Failure` (positions in
the method's table), so a method's ``check`` and ``compute`` can share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from ghg_inventory.aliases import read_as_keys, suggest
from ghg_inventory.factors import FactorDB
from ghg_inventory.grouping import factorize_rows
from ghg_inventory.i18n.messages import alternatives, msg
from ghg_inventory.methods import Context, Failure, GasResult, gas_results

#: Key columns a factor record may be specific to (besides category, activity, variant).
OPTIONAL_KEYS = ("facility_id", "country", "year")
#: How a yes/no column may be written (English or Vietnamese; empty is no).
YES = {"yes", "true", "1", "có"}
NO = {"no", "false", "0", "không", ""}


def text_column(table: pd.DataFrame, name: str, default: str = "") -> pd.Series:
    """A key column as stripped strings, ``default`` where empty or absent."""
    if name not in table:
        return pd.Series(default, index=table.index, dtype=object)
    values = table[name].astype("string").str.strip().fillna("")
    return values.where(values != "", default).astype(object)


def choice(table: pd.DataFrame, name: str, allowed: Iterable[str], *, default: str = "",
           required: bool = False, what: str = "") -> tuple[pd.Series, list[Failure]]:
    """A key column whose values must be among ``allowed``; empty cells get ``default``."""
    values = text_column(table, name, default)
    allowed = sorted(set(allowed))
    # the Guidelines' headings and Vietnamese names of the values (data/aliases.csv)
    values = read_as_keys(values, allowed, name)
    failures = []
    empty = (values == "").to_numpy()
    if required and empty.any():
        failures.append(Failure(np.flatnonzero(empty), name,
                                msg("sectors.inputs.choice_required", what=what or name,
                                    allowed=", ".join(allowed))))
    unknown = ~empty & ~values.isin(allowed).to_numpy()
    if unknown.any():
        # one message per distinct value written, with the nearest allowed values first
        codes, written = pd.factorize(values[unknown])
        rows = np.flatnonzero(unknown)
        for number, value in enumerate(written):
            near = suggest(str(value), allowed, column=name)
            text = (msg("sectors.inputs.choice_unknown_near", what=what or name,
                        near=alternatives(near), allowed=", ".join(allowed)) if near
                    else msg("sectors.inputs.choice_unknown", what=what or name,
                             allowed=", ".join(allowed)))
            failures.append(Failure(rows[codes == number], name, text))
    return values, failures


def number(table: pd.DataFrame, name: str, default: float | np.ndarray,
           low: float | None, high: float | None, what: str, *,
           low_open: bool = False) -> tuple[np.ndarray, list[Failure]]:
    """A numeric parameter column: values (``default`` where empty) and its bad cells."""
    if name not in table:
        return np.broadcast_to(np.asarray(default, dtype=float), (len(table),)).copy(), []
    raw = table[name]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    text = raw.astype("string").str.strip()
    empty = (raw.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
    bad_text = ~empty & np.isnan(values)
    too_low = (values <= low if low_open else values < low) if low is not None else False
    too_high = values > high if high is not None else False
    out_of_range = ~empty & ~np.isnan(values) & (too_low | too_high)
    if low is not None and high is not None:
        span = msg("sectors.inputs.between", what=what, low=low, high=high)
    elif low is not None and low_open:
        span = msg("sectors.inputs.above", what=what, low=low)
    elif low is not None:
        span = msg("sectors.inputs.at_least", what=what, low=low)
    else:
        span = msg("sectors.inputs.at_most", what=what, high=high)
    failures = [f for f in (
        Failure(np.flatnonzero(bad_text), name, msg("sectors.inputs.not_a_number", what=what)),
        Failure(np.flatnonzero(out_of_range), name, span),
    ) if len(f.positions)]
    filled = np.where(empty, np.broadcast_to(np.asarray(default, dtype=float), values.shape),
                      values)
    return filled, failures


def given(table: pd.DataFrame, name: str) -> np.ndarray:
    """Which rows have a value in column ``name``."""
    if name not in table:
        return np.zeros(len(table), dtype=bool)
    text = table[name].astype("string").str.strip()
    return ~(table[name].isna() | (text == "")).to_numpy(dtype=bool, na_value=True)


def factor_keys(table: pd.DataFrame, ctx: Context, name: str, *,
                activity: pd.Series | None = None, variant: pd.Series | None = None,
                always: tuple[str, ...] = ()) -> tuple[np.ndarray, pd.DataFrame]:
    """Distinct factor-lookup keys of a table and, for each row, the position of its key,
    made once per table and ``name`` within a run.

    The keys are category and activity (``activity`` replaces the row's own), the columns
    ``always`` asked for, then facility, country and year only in the rows where some
    factor record of the row's activity is specific to their value (:func:`specific_keys`:
    so a table of a million rows usually has a handful of keys, and a facility's own NCV
    adds one key per facility), then ``variant`` where given.
    """
    def distinct() -> tuple[np.ndarray, pd.DataFrame]:
        columns = {"category": table["category"],
                   "activity": table["activity"] if activity is None else activity}
        for c in always:
            columns[c] = table[c]
        columns.update(specific_keys(table, ctx, columns["activity"], skip=always))
        if variant is not None:
            columns["variant"] = variant
        classes = ctx.classes(table)
        if (classes is not None and activity is None
                and all(c in classes[1] for c in columns)):
            # keys that the rows' classes determine: found among the classes, then one
            # look-up per row (no pass over the rows' key columns)
            of_row, labels = classes
            of_class, first = factorize_rows([labels[c] for c in columns])
            keys = labels.iloc[first][list(columns)].reset_index(drop=True)
            return of_class[of_row], keys
        inverse, first = factorize_rows(list(columns.values()))
        keys = pd.DataFrame({c: v.iloc[first].astype(object).to_numpy()
                             for c, v in columns.items()})
        return inverse, keys

    return ctx.remember(f"{name}.keys", table, distinct)  # type: ignore[return-value]


def specific_keys(table: pd.DataFrame, ctx: Context, activity: pd.Series, *,
                  skip: Iterable[str] = ()) -> dict[str, pd.Series]:
    """The columns of :data:`OPTIONAL_KEYS` a look-up key needs, each empty in the rows
    where no factor record of the row's ``activity`` is specific to its value (such a value
    cannot change the answer: :meth:`FactorDB.specific`); a column no row needs is left
    out. Distinct keys stay as few as the records make them."""
    columns = {}
    for c in OPTIONAL_KEYS:
        if c in skip or c not in table or not ctx.factors.uses(c):
            continue
        values = table[c]
        kept = ctx.factors.specific(c, activity, values)
        if kept.all():
            columns[c] = values
        elif kept.any():
            if isinstance(values.dtype, pd.CategoricalDtype):
                columns[c] = pd.Series(pd.Categorical.from_codes(
                    np.where(kept, values.cat.codes, -1), dtype=values.dtype),
                    index=values.index)
            else:
                columns[c] = values.where(kept)
    return columns


def lookup(table: pd.DataFrame, ctx: Context, parameter: str, unit: str, *,
           gas: str | None = None, activity: pd.Series | None = None,
           variant: pd.Series | None = None, category: str | None = None,
           required: tuple[str, ...] = ()) -> tuple[np.ndarray, pd.DataFrame]:
    """The factor record of every row: (key of each row, answer per distinct key).

    ``activity``, ``variant`` and ``category`` replace the row's own keys (a species'
    region, a manure system ...). ``values = answer["value"].to_numpy()[key]``.
    """
    columns = {"category": (pd.Series(category, index=table.index) if category
                            else table["category"]),
               "activity": table["activity"] if activity is None else activity}
    if variant is not None:
        columns["variant"] = variant
    columns.update(specific_keys(table, ctx, columns["activity"]))
    series = [s.astype(object) if not isinstance(s.dtype, pd.CategoricalDtype) else s
              for s in columns.values()]
    key, first = factorize_rows(series)
    keys = pd.DataFrame({c: s.iloc[first].astype(object).to_numpy()
                         for c, s in zip(columns, series, strict=True)})
    if "variant" in keys:
        keys["variant"] = keys["variant"].where(keys["variant"] != "", None)
    answer = ctx.factors.lookup(keys, parameter, unit, gas=gas, guidelines=ctx.guidelines,
                                required=required)
    return key, answer


def factor_activities(factors: FactorDB, parameter: str, category: str, *,
                      below: bool = False, above: bool = False) -> set[str]:
    """The activity keys that have a ``parameter`` record under ``category``: exactly that
    category, and also its subcategories (``below``) or the categories it is part of
    (``above``), whose records the look-up applies to it."""
    held = factors.activities_by_category(parameter)
    return set().union(*(activities for c, activities in held.items()
                         if c == category or (below and c.startswith(category + "."))
                         or (above and category.startswith(c + "."))))


def activities_with(parameter: str, category: str, *, below: bool = False,
                    above: bool = False) -> Callable[[FactorDB], set[str]]:
    """A method's ``activities``: those of :func:`factor_activities`."""
    return lambda factors: factor_activities(factors, parameter, category, below=below,
                                             above=above)


def failing(rows: np.ndarray, column: str, message: str) -> list[Failure]:
    """The rows of the mask ``rows`` as one failure of ``column``; none when no row."""
    positions = np.flatnonzero(rows)
    return [Failure(positions, column, message)] if len(positions) else []


def missing(key: np.ndarray, answer: pd.DataFrame, needed: np.ndarray, column: str,
            message: str) -> list[Failure]:
    """Rows that need a factor the tables do not have."""
    return failing(answer["factor_id"].isna().to_numpy()[key] & needed, column, message)


def as_tier(answer: pd.DataFrame, tier: int) -> pd.DataFrame:
    """A look-up answer restated as the provenance of a higher-tier result (non-fossil)."""
    out = answer.copy()
    out["tier"] = tier
    out["fossil"] = False
    return out


def lookup_first(table: pd.DataFrame, ctx: Context, parameter: str, unit: str,
                 variants: list[pd.Series], **kwargs: object
                 ) -> tuple[np.ndarray, pd.DataFrame]:
    """Like :func:`lookup`, trying each variant column in turn (the most specific first).

    Every candidate but the last must match its variant exactly; the last may fall back to
    a record without variant. The answers are stacked, so the returned key points into one
    answer frame whatever candidate won.
    """
    keys, answers, chosen = [], [], np.full(len(table), -1)
    offset = 0
    for i, variant in enumerate(variants):
        last = i == len(variants) - 1
        key, answer = lookup(table, ctx, parameter, unit, variant=variant,
                             required=() if last else ("variant",),
                             **kwargs)  # type: ignore[arg-type]
        found = answer["factor_id"].notna().to_numpy()[key] & (chosen < 0)
        chosen = np.where(found | (last & (chosen < 0)), i, chosen)
        keys.append(key + offset)
        answers.append(answer.reset_index(drop=True))
        offset += len(answer)
    stacked_keys = np.choose(chosen, keys) if len(variants) > 1 else keys[0]
    return stacked_keys, pd.concat(answers, ignore_index=True)


def stacked(own: list[GasResult], moved: list[GasResult], category: str) -> pd.DataFrame:
    """Stack results of the rows' own category and results reported under ``category``
    (indirect N2O), marking the latter in ``_category`` for the engine."""
    frame = gas_results(own + moved)
    counts = [len(r.rows) if r.rows is not None else len(r.key) for r in own + moved]
    labels = np.repeat(["" for _ in own] + [category for _ in moved], counts)
    frame["_category"] = labels
    return frame


def composition_region(table: pd.DataFrame, ctx: Context
                       ) -> tuple[pd.Series, pd.DataFrame, set[str], list[Failure]]:
    """The ``composition_region`` of each row (IPCC 2006 Vol 5 Table 2.3; "" where none is
    given), the composition records, the regions they are for, and the cells naming
    another region. Shared by the landfill and the burning of bulk MSW."""
    t = ctx.factors.table
    comp = t[(t["parameter"] == "composition") & (t["category"] == "4.A")]
    regions = set(comp["variant"].dropna().astype(str))
    region, failures = choice(table, "composition_region", regions,
                              what=msg("sectors.inputs.composition_region"))
    return region, comp, regions, failures
