"""Activity tables: reading them from what users have, and validating them on whole columns.

Schema (DESIGN.md): one row per activity record with the required columns ``facility_id``,
``year``, ``category``, ``activity``, ``amount``, ``unit``; optional ``facility_name``,
``commune``, ``district``, ``country``; method parameters as further columns.

Row numbers in problems are those a person sees: for CSV and Excel files the line/row number
in the sheet (the header is row 1, the first data row is row 2); for Parquet files the 1-based
record number; for DataFrames the index label.

Nothing is dropped, clipped or filled: a table with any problem raises
:class:`~ghg_inventory.errors.ActivityValidationError` holding *all* problems.

Numbers written as text (CSV cells, Excel text cells, text columns of Parquet files and
DataFrames) are read under a number format (:class:`NumberFormat`: the decimal separator
and the thousands separator), in ``amount`` and in every numeric parameter column a method
declares. Without a declared format a value that reads differently under the two
conventions (``12.000``: 12 with a decimal point, 12000 with a thousands point) is refused
unless the same column of the same file settles it (a ``12,5`` or ``1.234,56`` elsewhere in
it reads only with a decimal comma). Numeric cells and numeric columns are numbers and are
never re-read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from . import numbers as _numbers
from .categories import is_known
from .errors import ActivityValidationError, GHGInventoryError, Problem
from .grouping import factorize_codes
from .methods import Context, method_for, served_categories
from .numbers import (  # noqa: F401 - NumberFormat and its helpers: part of this module's API
    NUMBER_FORMATS,
    NumberFormat,
    NumberFormatSpec,
    as_number_format,
)
from .sectors import REGISTRY
from .units import parse_unit

REQUIRED = ("facility_id", "year", "category", "activity", "amount", "unit")
#: Values of the optional ``source_type`` column (empty means stationary).
SOURCE_TYPES = ("stationary", "off_road")
OPTIONAL = ("facility_name", "commune", "district", "country")
YEAR_RANGE = (1900, 2100)
#: Internal columns added on reading: which file and which row each record came from.
FILE_COL, ROW_COL = "source_file", "source_row"

Source: TypeAlias = str | Path | pd.DataFrame

#: Columns read as numbers besides the numeric parameters the methods declare.
NUMERIC_COLUMNS = ("amount", "activity_uncertainty")


def read_activities(sources: Source | Sequence[Source], *,
                    number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """Read one or more activity tables (CSV, XLSX, Parquet or DataFrames) into one table.

    Key cells are kept as written (strings for files) until validation; ``amount`` and the
    numeric parameter columns hold numbers (text that is no number in any format is kept
    as written, for validation to name). Two columns record where each row came from
    (``source_file``, ``source_row``).

    Parameters
    ----------
    sources : path, DataFrame, or a sequence of them
        CSV, XLSX (a plain sheet named ``activities``, or the facility report template of
        :mod:`ghg_inventory.template`), Parquet files, DataFrames.
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text are read (see :func:`as_number_format`): ``"vi"`` or
        ``{"decimal": ",", "thousands": "."}`` reads ``12.000`` as 12000 and ``1.234,5`` as
        1234.5. Without it, a value that reads differently with a decimal point and with a
        decimal comma (``12.000``, ``1,500``; not ``0.125`` or ``12.5``) is refused unless
        other values of its column in the same file settle the convention (``12,5`` or
        ``1.234,56``: decimal comma; ``12.5`` or ``1,234.56``: decimal point). A template
        workbook's own recorded format applies to it. Numeric cells (Excel numbers,
        numeric Parquet and DataFrame columns) are numbers and never re-read.

    Raises
    ------
    ActivityValidationError
        Ambiguous numbers, numbers that do not fit the declared format, formulas without a
        calculated value (Excel), each named by file, row and column.
    GHGInventoryError
        A file that cannot be read, or has no activity rows.
    """
    fmt = as_number_format(number_format)
    if isinstance(sources, (str, Path, pd.DataFrame)):
        sources = [sources]
    frames, problems = [], []
    for source in sources:
        try:
            frames.append(_read_one(source, fmt))
        except ActivityValidationError as exc:  # every file's problems at once
            problems += exc.problems
    if problems:
        raise ActivityValidationError(problems)
    if not frames:
        raise GHGInventoryError("no activity table given")
    if len(frames) == 1:
        return frames[0]
    from pandas.api.types import union_categoricals

    names = union_categoricals([f[FILE_COL] for f in frames])
    table = pd.concat(frames, ignore_index=True)
    table[FILE_COL] = names
    return table


def _read_one(source: Source, fmt: NumberFormat | None) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        if FILE_COL in source and ROW_COL in source:  # already read: keep where rows came from
            frame = source
        else:
            frame = source.copy(deep=False)
            index = frame.index
            rows = (index.to_numpy() if pd.api.types.is_integer_dtype(index)
                    else np.arange(len(frame)))
            frame = frame.reset_index(drop=True)
            _mark(frame, "<DataFrame>", rows)
        _require_rows(frame, "<DataFrame>")
        return read_numbers(frame, fmt)
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
            from .template import is_template, read_template

            if is_template(path):  # a facility report workbook: its own reader
                return read_template(path, number_format=fmt)
            sheet = _activity_sheet(path)
            frame = read_excel_cells(path, sheet, header=0)
            formulas = formula_problems(path, {sheet: 1}, {sheet: list(frame.columns)},
                                        {sheet: path.name})
            if formulas:
                raise ActivityValidationError(formulas)
            first = 2
        elif suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
            first = 1
        else:
            raise GHGInventoryError(
                f"{path}: unknown file type {suffix!r}; use .csv, .xlsx or .parquet")
    except GHGInventoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - reader errors differ by format; name the file
        raise GHGInventoryError(f"{path}: cannot read: {exc}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    _require_rows(frame, path.name)
    _mark(frame, path.name, np.arange(first, first + len(frame)))
    return read_numbers(frame, fmt)


def _require_rows(frame: pd.DataFrame, name: str) -> None:
    """A table with a header and no row is refused: an empty result would pass for a
    computed inventory of nothing."""
    if len(frame) == 0:
        raise GHGInventoryError(f"{name}: no activity rows")


def _mark(frame: pd.DataFrame, name: str, rows: np.ndarray) -> None:
    """Record where every row came from (one category code and one int32 per row)."""
    frame[FILE_COL] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8),
                                                categories=[name])
    frame[ROW_COL] = rows.astype(np.int32 if len(rows) < 2**31 else np.int64)


def _activity_sheet(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        names = book.sheetnames
    finally:
        book.close()
    for wanted in ("activities", "activity", "hoat_dong"):
        for name in names:
            if name.strip().lower() == wanted:
                return name
    return names[0]


# --- numbers written as text ----------------------------------------------------------------

def numeric_columns() -> set[str]:
    """``amount`` and every parameter column a registered method declares numeric."""
    return set(NUMERIC_COLUMNS) | {
        name for method in REGISTRY.values()
        for name, kind in method.parameters.items() if kind is not str}


def read_numbers(frame: pd.DataFrame, fmt: NumberFormat | None) -> pd.DataFrame:
    """``amount`` and the numeric parameter columns of a read activity table as numbers,
    text read under ``fmt`` (:func:`ghg_inventory.numbers.read_numbers`)."""
    return _numbers.read_numbers(frame, numeric_columns(), fmt, file_col=FILE_COL,
                                 row_col=ROW_COL)



# --- Excel ----------------------------------------------------------------------------------

def read_excel_cells(path: Path, sheet: str | None, *, header: int) -> pd.DataFrame:
    """A sheet (or every sheet, ``sheet=None``) as pandas reads it, numeric cells kept.

    Numeric cells of the numeric columns stay numbers (a decimal-comma format must never
    re-read ``12.5`` as text); every other column is text as written, as with
    ``dtype=str`` (a facility code 1001 stays ``'1001'``, never ``1001.0``).
    """
    read = pd.read_excel(path, sheet_name=sheet, header=header, dtype=object)
    wanted = numeric_columns()

    def as_text(frame: pd.DataFrame) -> pd.DataFrame:
        frame.columns = [str(c).strip() for c in frame.columns]
        for column in frame.columns:
            if column not in wanted:
                frame[column] = frame[column].astype(str)  # missing cells stay missing
        return frame

    if isinstance(read, dict):
        return {name: as_text(frame) for name, frame in read.items()}  # type: ignore[return-value]
    return as_text(read)


#: A formula element in a worksheet's XML (``<f>``, ``<f t="shared" .../>``, prefixed too).
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of an ``.xlsx`` holds a formula (a scan of its XML, far cheaper
    than reading the cells)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def formula_problems(path: Path, header_rows: Mapping[str, int],
                     columns: Mapping[str, Sequence[str]], files: Mapping[str, str]
                     ) -> list[Problem]:
    """Cells below the header holding a formula without a calculated value.

    A workbook written by a program (openpyxl) and never opened in a spreadsheet program
    has formulas but no values; read as values, such a cell is empty and a default would
    be used in its place. Nothing is read twice unless the workbook has formulas.

    Parameters
    ----------
    path : Path
        The ``.xlsx`` file.
    header_rows : mapping
        Per sheet name, the row number (1-based) of its column header; cells at or above it
        are not checked.
    columns : mapping
        Per sheet, the column names by position (to name the column of a cell).
    files : mapping
        Per sheet, how problems name the file (e.g. ``report.xlsx [Năng lượng]``).
    """
    if not _has_formulas(path):
        return []
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    found: dict[str, dict[tuple[int, int], str]] = {}
    book = load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet, header in header_rows.items():
            cells = {(c.row, c.column): str(c.value)
                     for row in book[sheet].iter_rows(min_row=header + 1)
                     for c in row if c.data_type == "f"}
            if cells:
                found[sheet] = cells
    finally:
        book.close()
    if not found:
        return []
    problems = []
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet, cells in found.items():
            first = min(r for r, _ in cells)
            last = max(r for r, _ in cells)
            cached = {(c.row, c.column) for row in book[sheet].iter_rows(min_row=first,
                                                                         max_row=last)
                      for c in row if getattr(c, "value", None) is not None
                      and (getattr(c, "row", None), getattr(c, "column", None)) in cells}
            names = list(columns.get(sheet, ()))
            for (r, c), formula in sorted(cells.items()):
                if (r, c) in cached:
                    continue
                where = f"{path.name} sheet {sheet!r} cell {get_column_letter(c)}{r}"
                column = names[c - 1] if c - 1 < len(names) else get_column_letter(c)
                problems.append(Problem(
                    files[sheet], r, column, formula,
                    f"a formula without a calculated value ({where}): the workbook was "
                    "never saved by a spreadsheet program; open it in Excel or LibreOffice "
                    "and save it, so that the value is calculated"))
    finally:
        book.close()
    return problems


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
    mapping = np.append(np.where(keep[inverse], position[inverse], -1), -1).astype(np.int32)
    return pd.Categorical.from_codes(mapping[codes], categories=uniques[keep])


def _numeric(column: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers of a column, with masks of blank cells and of cells that are not numbers.

    Text is inspected only where the conversion failed, so a clean numeric column costs
    one conversion.
    """
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
    registry = REGISTRY if ctx.methods is None else ctx.methods
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        files = ", ".join(map(str, table[FILE_COL].unique()))
        raise ActivityValidationError([
            Problem(files, None, c, "",
                    f"required column missing (required: {', '.join(REQUIRED)})")
            for c in missing
        ])
    keys = {c: as_category(table[c]) for c in ("facility_id", "category", "activity", "unit")}
    year, blank_year, text_year = _numeric(table["year"])
    amount, blank_amount, text_amount = _numeric(table["amount"])
    blank = {c: np.asarray(k.codes == -1) for c, k in keys.items()}
    blank["year"], blank["amount"] = blank_year, blank_amount
    for column in REQUIRED:
        out.add(blank[column], column, "empty; a value is required")

    bad_year = text_year | (~blank_year & (~np.isfinite(year) | (year != np.round(year))))
    out.add(bad_year, "year", "not a whole year")
    lo, hi = YEAR_RANGE
    out.add(~bad_year & ~blank_year & ((year < lo) | (year > hi)), "year", f"outside {lo}-{hi}")

    out.add(text_amount, "amount", "not a number")
    out.add(~blank_amount & ~text_amount & np.isnan(amount), "amount", "NaN is not an amount")
    out.add(np.isinf(amount), "amount", "must be finite")
    out.add(amount < 0, "amount", "must be >= 0")

    category = keys["category"]
    cat_codes = np.asarray(category.codes)
    categories = pd.Series(category.categories, dtype=object)
    known = np.append(is_known(categories), True)[cat_codes]
    out.add(~known, "category", "not an IPCC 2006 category code (e.g. 1.A.2.f, 2.A.1, 3.C.7, 4.A)")
    unit = keys["unit"]
    parsed = [parse_unit(str(u)) for u in unit.categories]
    unit_codes = np.asarray(unit.codes)
    unit_error = np.array([p.error is not None for p in parsed] + [False])[unit_codes]
    out.add(unit_error, "unit", [parsed[c].error or "" for c in unit_codes[unit_error]])
    to_canonical = np.array([p.to_canonical for p in parsed] + [np.nan])[unit_codes]
    kind_names = sorted({p.kind or "" for p in parsed})
    kind_codes = np.array([kind_names.index(p.kind or "") for p in parsed] + [-1],
                          dtype=np.int8)[unit_codes]

    # The method of a row depends on its category, its source type (stationary unless
    # said otherwise) and the kind of its amount: resolved once per distinct combination.
    if "source_type" in table:
        source = as_category(table["source_type"])
        bad_source = ~np.isin(np.asarray(source.categories, dtype=object), SOURCE_TYPES)
        source_codes = np.asarray(source.codes)
        out.add(np.append(bad_source, False)[source_codes], "source_type",
                f"not a source type; use one of {', '.join(SOURCE_TYPES)} (empty: stationary)")
        source_names = [str(c) for c in source.categories]
    else:
        source_codes, source_names = np.full(len(table), -1, dtype=np.int8), []
    act_codes = np.asarray(keys["activity"].codes)
    combo, first = factorize_codes([cat_codes, source_codes, kind_codes, act_codes])
    chosen = []
    for row in first:
        code = str(categories.iloc[cat_codes[row]]) if cat_codes[row] >= 0 else ""
        kind = kind_names[kind_codes[row]] if kind_codes[row] >= 0 else ""
        source_type = source_names[source_codes[row]] if source_codes[row] >= 0 else ""
        activity = str(keys["activity"].categories[act_codes[row]]) if act_codes[row] >= 0 \
            else None
        chosen.append(method_for(registry.values(), code,
                                 source_type=source_type or "stationary", kind=kind,
                                 activity=activity, factors=ctx.factors))
    names = sorted({m.name for m in chosen if m})
    method_codes = np.array([names.index(m.name) if m else -1 for m in chosen],
                            dtype=np.int8)[combo]
    served = ", ".join(served_categories(registry.values()))
    out.add(known & ~blank["category"] & (method_codes == -1), "category",
            f"no calculation method for this category (and source_type) yet; methods serve: "
            f"{served}")

    result = pd.DataFrame({
        "facility_id": keys["facility_id"],
        "year": np.where(np.isfinite(year), year, 0).astype(np.int16),
        "category": category,
        "activity": keys["activity"],
        "amount": amount * to_canonical,
        "amount_kind": pd.Categorical.from_codes(kind_codes, categories=kind_names),
        "method": pd.Categorical.from_codes(method_codes, categories=names),
        "unit": keys["unit"],  # as written, for QA/QC of units
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

    activity = keys["activity"]
    fine = ~blank["facility_id"] & ~bad_year & ~blank_year & ~unit_error
    for number, name in enumerate(names):
        method = registry[name]
        rows = method_codes == number
        known_acts = method.activities(ctx.factors)
        act_ok = np.append(activity.categories.isin(list(known_acts)), False)[act_codes]
        listing = ", ".join(sorted(known_acts)[:12]) + (" ..." if len(known_acts) > 12 else "")
        out.add(rows & ~act_ok & ~blank["activity"], "activity",
                f"not an activity of method {name}; known: {listing}")
        accepted = np.append(np.isin(kind_names, method.amount_kinds), False)[kind_codes]
        wrong_kind = rows & ~accepted & ~unit_error & ~blank["unit"]
        out.add(wrong_kind, "unit", [
            f"a {kind_names[k] or 'dimensionless'} amount; {name} takes "
            f"{' or '.join(method.amount_kinds)}" for k in kind_codes[wrong_kind]
        ])
        checkable = rows & act_ok & accepted & fine
        if checkable.any():
            positions = np.flatnonzero(checkable)
            sub = ctx.rows(name, result, positions)
            for failure in method.check(sub, ctx):
                mask = np.zeros(len(table), dtype=bool)
                mask[positions[failure.positions]] = True
                out.add(mask, failure.column, failure.message)

    if out.problems:
        out.problems.sort(key=lambda p: (p.file, p.row if p.row is not None else -1))
        raise ActivityValidationError(out.problems)
    return result
