"""Activity tables validated on whole columns: every problem named, nothing filled.

Nothing is dropped, clipped or filled: a table with any problem raises
:class:`~ghg_inventory.errors.ActivityValidationError` holding *all* problems, each naming
file, row, column, value and what was expected.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ghg_inventory.aliases import read_as_keys, suggest
from ghg_inventory.categories import is_known
from ghg_inventory.errors import ActivityValidationError, Problem
from ghg_inventory.grouping import factorize_codes
from ghg_inventory.i18n.messages import alternatives, msg
from ghg_inventory.methods import Context, Method, method_for, served_categories, spread
from ghg_inventory.readers import FILE_COL, ROW_COL
from ghg_inventory.sectors import REGISTRY
from ghg_inventory.units import parse_unit

REQUIRED = ("facility_id", "year", "category", "activity", "amount", "unit")
#: Values of the optional ``source_type`` column (empty means stationary).
SOURCE_TYPES = ("stationary", "off_road")
OPTIONAL = ("facility_name", "commune", "district", "country")
YEAR_RANGE = (1900, 2100)


def as_category(column: pd.Series) -> pd.Categorical:
    """A key column as a categorical of stripped strings, blank cells as missing (code -1).

    String work (strip, compare) is done once per distinct value, never per row.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        values = column.cat.categories
    else:
        codes, values = pd.factorize(column, use_na_sentinel=True)
    text = pd.Index([str(v).strip() for v in values], dtype=object)
    inverse, uniques = pd.factorize(text, sort=True)
    uniques = pd.Index(uniques, dtype=object)
    keep = uniques != ""
    position = np.cumsum(keep) - 1
    categories = uniques[keep]
    # codes as narrow as pandas keeps them, so that no copy is made of millions of them
    narrow = pd.Categorical.from_codes([], categories=categories).codes.dtype
    mapping = np.where(keep[inverse], position[inverse], -1).astype(narrow)
    if (len(mapping) == len(values) and codes.dtype == narrow
            and np.array_equal(mapping, np.arange(len(mapping)))):
        mapped = codes  # the categories were clean and sorted already: the codes stand
    else:
        mapped = np.append(mapping, np.array(-1, dtype=narrow))[codes]
    return pd.Categorical.from_codes(mapped, categories=categories, validate=False)


def _numeric(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers of a column, with masks of blank cells and of cells that are not numbers.

    Text is inspected only where the conversion failed, so a clean numeric column costs
    one conversion.
    """
    if column.dtype == np.float64:  # the usual amount column: read as it is, no copy
        values = column.to_numpy()
        return values, np.isnan(values), np.zeros(len(values), dtype=bool)
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        values = column.to_numpy(dtype=float, na_value=np.nan)
        return values, np.isnan(values), np.zeros(len(values), dtype=bool)
    if isinstance(column.dtype, pd.CategoricalDtype):
        # once per distinct value (a year column of a partitioned dataset); code -1 = blank
        values, blank, not_number = _numeric(pd.Series(column.cat.categories))
        codes = column.cat.codes.to_numpy()
        return (np.append(values, np.nan)[codes], np.append(blank, True)[codes],
                np.append(not_number, False)[codes])
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    failed = np.flatnonzero(np.isnan(values))
    blank = np.zeros(len(values), dtype=bool)
    not_number = np.zeros(len(values), dtype=bool)
    if len(failed):
        raw = column.iloc[failed]
        text = raw.astype("string").str.strip().str.lower()
        is_blank = (raw.isna() | (text == "")).to_numpy(dtype=bool, na_value=True)
        spelled = text.isin(["nan", "na"]).to_numpy(dtype=bool, na_value=False)
        blank[failed[is_blank]] = True
        not_number[failed[~is_blank & ~spelled]] = True
    return values, blank, not_number


def _years(column: pd.Series) -> tuple[np.ndarray, ...]:
    """Years of a column: (numbers, blank cells, cells that are not numbers, numbers that
    are not whole, the years as int16 with 0 where there is none). A column of integers
    (numpy) has nothing blank, nothing to read and nothing to round."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":
        whole = column.to_numpy()
        none = np.zeros(len(whole), dtype=bool)
        # a year outside int16 is refused as outside YEAR_RANGE before this is used
        return whole, none, none, none, whole.astype(np.int16)
    year, blank, text = _numeric(column)
    bad = text | (~blank & (~np.isfinite(year) | (year != np.round(year))))
    return year, blank, text, bad, np.where(np.isfinite(year), year, 0).astype(np.int16)


class _Collector:
    def __init__(self, table: pd.DataFrame):
        self.table = table
        self.problems: list[Problem] = []

    def add(self, mask: np.ndarray | np.bool_, column: str,
            message: str | Iterable[str]) -> None:
        if np.ndim(mask) == 0:  # one flag for every row (see _per_row)
            mask = np.full(len(self.table), bool(mask))
        positions = np.flatnonzero(mask)
        if not len(positions):
            return
        files = self.table[FILE_COL].to_numpy()[positions]
        rows = self.table[ROW_COL].to_numpy()[positions]
        values = (self.table[column].to_numpy()[positions] if column in self.table
                  else [""] * len(positions))
        messages = [message] * len(positions) if isinstance(message, str) else list(message)
        for f, r, v, m in zip(files, rows, values, messages, strict=True):
            self.problems.append(Problem(str(f), int(r), column, "" if pd.isna(v) else str(v), m))


def validate(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Check an activity table on whole columns and return it normalised for the engine.

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`read_activities`.
    ctx : Context
        Factors and run choices (methods look up e.g. densities here).

    Returns
    -------
    pandas.DataFrame
        The same rows in the same order, with ``year`` as integer, ``amount`` converted to
        the canonical unit of its kind (``kg``, ``TJ``, ``m**3``, ``ha`` ...), a column
        ``amount_kind``, a column ``method``, and string key columns as categoricals.

    Raises
    ------
    ActivityValidationError
        With every problem found, each naming file, row, column, value and what was expected.
    """
    out = _Collector(table)
    registry = REGISTRY if ctx.methods is None else ctx.methods
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        files = ", ".join(map(str, table[FILE_COL].unique()))
        raise ActivityValidationError([
            Problem(files, None, c, "",
                    msg("core.validation.column_missing", required=", ".join(REQUIRED)))
            for c in missing
        ])
    keys = {c: as_category(table[c]) for c in ("facility_id", "category", "activity", "unit")}
    # diesel, dầu DO, Gas/Diesel Oil -> gas_diesel_oil (data/aliases.csv), said in a note
    keys["activity"] = _read_activities(keys["activity"], keys["category"], registry, ctx)
    category, activity, unit = keys["category"], keys["activity"], keys["unit"]
    cat_codes = np.asarray(category.codes)
    act_codes = np.asarray(activity.codes)
    unit_codes = np.asarray(unit.codes)
    if "source_type" in table:
        source = as_category(table["source_type"])
        source_codes = np.asarray(source.codes)
        source_names = [str(c) for c in source.categories]
    else:
        source_codes, source_names = np.full(len(table), -1, dtype=np.int8), []

    # Everything that depends only on a row's category, source type, unit and activity (its
    # unit's kind and factor, its method, whether the method knows the activity and takes
    # the kind) is worked out once per distinct combination, a class of rows, and a row
    # is looked at only where its class has a problem.
    classes, first = factorize_codes([cat_codes, source_codes, unit_codes, act_codes])

    def of_rows(flags: np.ndarray) -> np.ndarray | np.bool_:
        """Per row, the flag of its class (one flag for all rows when the flags agree)."""
        if not flags.any():
            return np.bool_(False)
        if flags.all():
            return np.bool_(True)
        return flags[classes]

    c_cat, c_src = cat_codes[first], source_codes[first]
    c_unit, c_act = unit_codes[first], act_codes[first]
    parsed = [parse_unit(str(u)) for u in unit.categories]
    kind_names = sorted({p.kind or "" for p in parsed})
    # per unit, then per class (a blank unit, code -1, takes the last entry)
    c_unit_error = np.array([p.error is not None for p in parsed] + [False])[c_unit]
    c_kind = np.array([kind_names.index(p.kind or "") for p in parsed] + [-1],
                      dtype=np.int8)[c_unit]
    c_canonical = np.array([p.to_canonical for p in parsed] + [np.nan])[c_unit]
    categories = pd.Series(category.categories, dtype=object)
    c_known = np.append(is_known(categories), True)[c_cat]

    blank_facility = np.asarray(keys["facility_id"].codes == -1)
    year, blank_year, text_year, bad_year, year16 = _years(table["year"])
    amount, blank_amount, text_amount = _numeric(table["amount"])
    blank = {"facility_id": blank_facility, "year": blank_year, "amount": blank_amount,
             "category": of_rows(c_cat == -1), "activity": of_rows(c_act == -1),
             "unit": of_rows(c_unit == -1)}
    for column in REQUIRED:
        out.add(blank[column], column, msg("core.validation.empty"))

    out.add(bad_year, "year", msg("core.validation.not_whole_year"))
    lo, hi = YEAR_RANGE
    if not (len(year) and lo <= year.min() and year.max() <= hi):  # NaN fails both
        out.add(~bad_year & ~blank_year & ((year < lo) | (year > hi)), "year",
                msg("core.validation.year_outside", lo=lo, hi=hi))

    out.add(text_amount, "amount", msg("core.validation.not_a_number"))
    if not (len(amount) and amount.min() >= 0 and amount.max() < np.inf):  # NaN fails both
        out.add(~blank_amount & ~text_amount & np.isnan(amount), "amount",
                msg("core.validation.nan_amount"))
        out.add(np.isinf(amount), "amount", msg("core.validation.not_finite"))
        out.add(amount < 0, "amount", msg("core.validation.negative"))

    out.add(of_rows(~c_known), "category", msg("core.validation.unknown_category"))
    unit_error = of_rows(c_unit_error)
    if np.any(unit_error):
        rows = np.flatnonzero(np.broadcast_to(unit_error, classes.shape))
        out.add(unit_error, "unit", [parsed[c].error or "" for c in unit_codes[rows]])
    if source_names:
        bad_source = ~np.isin(np.asarray(source_names, dtype=object), SOURCE_TYPES)
        out.add(of_rows(np.append(bad_source, False)[c_src]), "source_type",
                msg("core.validation.unknown_source_type", types=", ".join(SOURCE_TYPES)))

    # The method of a class depends on its category, its source type (stationary unless
    # said otherwise), the kind of its amount and its activity.
    chosen: list[Method | None] = []
    asked: dict[tuple[int, int, int, int], Method | None] = {}
    for c in range(len(first)):
        question = (int(c_cat[c]), int(c_src[c]), int(c_kind[c]), int(c_act[c]))
        if question not in asked:
            cat, src, kind, act = question
            asked[question] = method_for(
                registry.values(), str(categories.iloc[cat]) if cat >= 0 else "",
                source_type=(source_names[src] if src >= 0 else "") or "stationary",
                kind=kind_names[kind] if kind >= 0 else "",
                activity=str(activity.categories[act]) if act >= 0 else None,
                factors=ctx.factors)
        chosen.append(asked[question])
    names = sorted({m.name for m in chosen if m})
    c_method = np.array([names.index(m.name) if m else -1 for m in chosen], dtype=np.int8)
    if (c_method == -1).any():
        served = ", ".join(served_categories(registry.values()))
        out.add(of_rows(c_known & (c_cat >= 0) & (c_method == -1)), "category",
                msg("core.validation.no_method", served=served))

    canonical = _spread(c_canonical, classes, np.float64)  # the amount in its kind's unit
    canonical *= amount
    result = pd.DataFrame({
        "facility_id": keys["facility_id"],
        "year": year16,
        "category": category,
        "activity": activity,
        "amount": canonical,
        "amount_kind": pd.Categorical.from_codes(_spread(c_kind, classes, np.int8),
                                                 categories=kind_names, validate=False),
        "method": pd.Categorical.from_codes(_spread(c_method, classes, np.int8),
                                            categories=names, validate=False),
        "unit": unit,  # as written, for QA/QC of units
    }, copy=False)
    for column in table.columns:
        if column not in result and column not in ("amount", "unit"):
            result[column] = table[column]
    if "country" in result:
        country = as_category(result["country"])
        result["country"] = country.add_categories([ctx.country]).fillna(ctx.country) \
            if ctx.country not in country.categories else country.fillna(ctx.country)
    else:
        result["country"] = pd.Categorical.from_codes(np.zeros(len(result), dtype=np.int8),
                                                      categories=[ctx.country])

    def named(values: Iterable[object], codes: np.ndarray) -> np.ndarray:
        return np.asarray([*values, None], dtype=object)[codes]

    labels = pd.DataFrame({
        "category": named(category.categories, c_cat),
        "source_type": named(source_names, c_src),
        "unit": named(unit.categories, c_unit),
        "activity": named(activity.categories, c_act),
        "amount_kind": named(kind_names, c_kind),
        "method": named(names, c_method),
    })
    ctx.remember("classes", result, lambda: (classes, labels))

    fine: np.ndarray | np.bool_ = np.bool_(True)  # a facility and a year in every row
    if blank_facility.any() or bad_year.any() or blank_year.any():
        fine = ~blank_facility & ~bad_year & ~blank_year
    c_act_names = np.asarray(activity.categories, dtype=object)
    for number, name in enumerate(names):
        method = registry[name]
        c_rows = c_method == number
        known_acts = _activities_of(method, ctx)
        c_act_ok = (c_act >= 0) & np.append(np.isin(c_act_names, list(known_acts)),
                                             False)[c_act]
        unknown = of_rows(c_rows & ~c_act_ok & (c_act >= 0))
        if np.any(unknown):
            rows = np.flatnonzero(np.broadcast_to(unknown, classes.shape))
            # one message per distinct name written, naming the nearest keys of the method
            written = np.unique(act_codes[rows])
            hints = {int(c): method.misplaced(str(activity.categories[c]))
                     or _did_you_mean(str(activity.categories[c]), known_acts, name)
                     for c in written}
            out.add(unknown, "activity", [hints[int(c)] for c in act_codes[rows]])
        c_accepted = (c_kind >= 0) & np.append(np.isin(kind_names, method.amount_kinds),
                                                False)[c_kind]
        c_wrong_kind = c_rows & ~c_accepted & ~c_unit_error & (c_unit >= 0)
        if c_wrong_kind.any():
            wrong_kind = c_wrong_kind[classes]
            rows = np.flatnonzero(wrong_kind)
            out.add(wrong_kind, "unit", [
                msg("core.validation.wrong_kind", kind=kind_names[k] or "dimensionless",
                    method=name, kinds=alternatives(method.amount_kinds))
                for k in c_kind[classes[rows]]
            ])
        c_checkable = c_rows & c_act_ok & c_accepted & ~c_unit_error
        if not c_checkable.any():
            continue
        positions = (None if c_checkable.all() and np.all(fine)  # every row
                     else np.flatnonzero(c_checkable[classes] & fine))
        if positions is None or len(positions):
            sub = result if positions is None else ctx.rows(name, result, positions)
            for failure in method.check(sub, ctx):
                mask = np.zeros(len(table), dtype=bool)
                mask[failure.positions if positions is None
                     else positions[failure.positions]] = True
                out.add(mask, failure.column, failure.message)

    if out.problems:
        out.problems.sort(key=lambda p: (p.file, p.row if p.row is not None else -1))
        raise ActivityValidationError(out.problems)
    return result


def _spread(values: np.ndarray, classes: np.ndarray, dtype: type[np.generic]) -> np.ndarray:
    """The value of each row's class (``values[classes]``) in a new array of ``dtype``."""
    out = np.empty(len(classes), dtype=dtype)
    spread(values.astype(dtype, copy=False), classes, out)
    return out


def _read_activities(written: pd.Categorical, categories: pd.Categorical,
                     registry: Mapping[str, Method], ctx: Context) -> pd.Categorical:
    """The activity names as keys (:func:`read_as_keys`). Where every name written is a
    key already, which the methods of the table's categories usually tell alone, the
    other methods are not asked (a new factor database asks each again)."""
    pending = {v for v in written.categories if isinstance(v, str) and v.strip()}
    codes = [str(c) for c in categories.categories]
    first = sorted(registry.values(), key=lambda m: not any(
        c == k or c.startswith(k + ".") for k in m.categories for c in codes))
    for method in first:
        if not pending:
            return written
        pending -= _activities_of(method, ctx)
    if not pending:
        return written
    return read_as_keys(written, _known_activities(registry, ctx), "activity")


def _known_activities(registry: Mapping[str, Method], ctx: Context) -> set[str]:
    """Every activity key of the run's methods (what written names may be read as)."""
    return set().union(*(_activities_of(m, ctx) for m in registry.values()))


#: The activity keys of each method, per factor database (which never changes once
#: made): asked once, not on every table (30 methods read the factor table, 0.1 s).
_ACTIVITIES: weakref.WeakKeyDictionary[object, dict[object, set[str]]] = (
    weakref.WeakKeyDictionary())


def _activities_of(method: Method, ctx: Context) -> set[str]:
    """``method.activities(ctx.factors)``, kept for the database's lifetime."""
    held = _ACTIVITIES.setdefault(ctx.factors, {})
    if method.activities not in held:
        held[method.activities] = method.activities(ctx.factors)
    return held[method.activities]


def _did_you_mean(written: str, known: Iterable[str], method: str) -> str:
    near = suggest(written, known)
    if near:
        return msg("core.validation.unknown_activity_near", method=method,
                   near=alternatives(near))
    return msg("core.validation.unknown_activity", method=method)
