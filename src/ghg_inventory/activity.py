"""Activity tables: reading them from what users have, and validating them on whole columns.

Schema (DESIGN.md): one row per activity record with the required columns ``facility_id``,
``year``, ``category``, ``activity``, ``amount``, ``unit``; optional ``facility_name``,
``commune``, ``district``, ``country``; method parameters as further columns.

Row numbers in problems are those a person sees: for CSV and Excel files the line/row number
in the sheet (the header is row 1, the first data row is row 2); for Parquet files the 1-based
record number; for DataFrames the index label.

Nothing is dropped, clipped or filled: a table with any problem raises
:class:`~ghg_inventory.errors.ActivityValidationError` holding *all* problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import methods as _methods
from .categories import is_known
from .errors import ActivityValidationError, GHGInventoryError, Problem
from .methods import Context, method_for
from .units import parse_unit_column

REQUIRED = ("facility_id", "year", "category", "activity", "amount", "unit")
OPTIONAL = ("facility_name", "commune", "district", "country")
YEAR_RANGE = (1900, 2100)
#: Internal columns added on reading: which file and which row each record came from.
FILE_COL, ROW_COL = "source_file", "source_row"

Source = str | Path | pd.DataFrame


def read_activities(sources: Source | Sequence[Source]) -> pd.DataFrame:
    """Read one or more activity tables (CSV, XLSX, Parquet or DataFrames) into one table.

    Every cell is kept as written (strings for files) until validation; two columns record
    where each row came from (``source_file``, ``source_row``).
    """
    if isinstance(sources, (str, Path, pd.DataFrame)):
        sources = [sources]
    frames = [_read_one(s) for s in sources]
    if not frames:
        raise GHGInventoryError("no activity table given")
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    table[FILE_COL] = table[FILE_COL].astype("category")
    return table


def _read_one(source: Source) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        frame = source.copy(deep=False)
        index = frame.index
        rows = index.to_numpy() if pd.api.types.is_integer_dtype(index) else np.arange(len(frame))
        frame = frame.reset_index(drop=True)
        frame[FILE_COL] = "<DataFrame>"
        frame[ROW_COL] = rows
        return frame
    path = Path(source)
    if not path.exists():
        raise GHGInventoryError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                                encoding="utf-8-sig")
            first = 2
        elif suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, sheet_name=_activity_sheet(path), dtype=str)
            first = 2
        elif suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
            first = 1
        else:
            raise GHGInventoryError(f"{path}: unknown file type {suffix!r}; use .csv, .xlsx or .parquet")
    except GHGInventoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - reader errors differ by format; name the file
        raise GHGInventoryError(f"{path}: cannot read: {exc}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    frame[FILE_COL] = path.name
    frame[ROW_COL] = np.arange(first, first + len(frame))
    return frame


def _activity_sheet(path: Path) -> str | int:
    from openpyxl import load_workbook

    names = load_workbook(path, read_only=True).sheetnames
    for wanted in ("activities", "activity", "hoat_dong"):
        for name in names:
            if name.strip().lower() == wanted:
                return name
    return 0


def _blank(column: pd.Series) -> np.ndarray:
    if column.dtype == object or pd.api.types.is_string_dtype(column):
        stripped = column.astype("string").str.strip()
        return (column.isna() | (stripped == "")).to_numpy(dtype=bool)
    return column.isna().to_numpy(dtype=bool)


class _Collector:
    def __init__(self, table: pd.DataFrame):
        self.table = table
        self.problems: list[Problem] = []

    def add(self, mask: np.ndarray, column: str, message: str | Iterable[str]) -> None:
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
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        files = ", ".join(map(str, table[FILE_COL].unique()))
        raise ActivityValidationError([
            Problem(files, None, c, "", f"required column missing (required: {', '.join(REQUIRED)})")
            for c in missing
        ])
    blank = {c: _blank(table[c]) for c in REQUIRED}
    for column in REQUIRED:
        out.add(blank[column], column, "empty; a value is required")

    year = pd.to_numeric(table["year"], errors="coerce").to_numpy(dtype=float)
    bad_year = ~blank["year"] & (~np.isfinite(year) | (year != np.round(year)))
    out.add(bad_year, "year", "not a whole year")
    lo, hi = YEAR_RANGE
    out.add(~bad_year & ~blank["year"] & ((year < lo) | (year > hi)), "year",
            f"outside {lo}-{hi}")

    amount = pd.to_numeric(table["amount"], errors="coerce").to_numpy(dtype=float)
    text_amount = table["amount"].astype("string").str.strip().str.lower()
    spelled_nan = text_amount.isin(["nan", "inf", "-inf", "+inf", "infinity"]).to_numpy(dtype=bool)
    not_number = ~blank["amount"] & np.isnan(amount) & ~spelled_nan
    out.add(not_number, "amount", "not a number")
    out.add(~blank["amount"] & ~not_number & np.isnan(amount), "amount", "NaN is not an amount")
    out.add(np.isinf(amount), "amount", "must be finite")
    out.add(amount < 0, "amount", "must be >= 0")

    category = table["category"].astype("string").str.strip()
    known = is_known(category.fillna(""))
    out.add(~blank["category"] & ~known, "category",
            "not an IPCC 2006 category code (e.g. 1.A.2.f, 2.A.1, 3.C.7, 4.A)")
    cat_codes, cat_uniques = pd.factorize(category)
    method_of = [method_for(str(c)) for c in cat_uniques]
    no_method = np.array([m is None for m in method_of] + [True])[cat_codes]
    served = ", ".join(_methods.served_categories())
    out.add(~blank["category"] & known & no_method, "category",
            f"no calculation method for this category yet; methods serve: {served}")
    method_name = np.array([m.name if m else "" for m in method_of] + [""], dtype=object)[cat_codes]

    unit_codes, factors, parsed = parse_unit_column(table["unit"])
    unit_error = np.array([p.error is not None for p in parsed] + [False])[unit_codes]
    unit_msgs = np.array([p.error or "" for p in parsed] + [""], dtype=object)[unit_codes]
    out.add(unit_error & ~blank["unit"], "unit", unit_msgs[unit_error & ~blank["unit"]])
    kinds = np.array([p.kind or "" for p in parsed] + [""], dtype=object)[unit_codes]

    activity = table["activity"].astype("string").str.strip()
    result = pd.DataFrame({
        "facility_id": table["facility_id"].astype("string").str.strip(),
        "year": np.where(np.isfinite(year), year, 0).astype(np.int16),
        "category": category,
        "activity": activity,
        "amount": amount * factors,
        "amount_kind": kinds,
        "method": method_name,
    })
    for column in table.columns:
        if column not in result and column not in ("amount", "unit"):
            result[column] = table[column]
    if "country" in result:
        result["country"] = result["country"].astype("string").fillna(ctx.country)
    else:
        result["country"] = ctx.country

    for name in pd.unique(method_name):
        if not name:
            continue
        method = _methods.REGISTRY[name]
        rows = method_name == name
        known_acts = method.activities(ctx.factors)
        act_ok = activity.isin(known_acts).to_numpy(dtype=bool)
        listing = ", ".join(sorted(known_acts)[:12]) + (" ..." if len(known_acts) > 12 else "")
        out.add(rows & ~act_ok & ~blank["activity"], "activity",
                f"not an activity of method {name}; known: {listing}")
        kind_ok = np.isin(kinds, method.amount_kinds)
        wrong_kind = rows & ~kind_ok & ~unit_error & ~blank["unit"]
        out.add(wrong_kind, "unit", [
            f"a {k or 'dimensionless'} amount; {name} takes {' or '.join(method.amount_kinds)}"
            for k in kinds[wrong_kind]
        ])
        checkable = rows & act_ok & kind_ok & ~blank["facility_id"] & ~bad_year & ~blank["year"]
        if checkable.any():
            positions = np.flatnonzero(checkable)
            sub = result.iloc[positions]
            for failure in method.check(sub, ctx):
                mask = np.zeros(len(table), dtype=bool)
                mask[positions[failure.positions]] = True
                out.add(mask, failure.column, failure.message)

    if out.problems:
        out.problems.sort(key=lambda p: (p.file, p.row if p.row is not None else -1))
        raise ActivityValidationError(out.problems)
    for column in ("facility_id", "category", "activity", "amount_kind", "method", "country"):
        result[column] = result[column].astype("category")
    return result
