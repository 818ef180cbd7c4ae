"""Activity tables read from what users have: CSV, Excel, Parquet and DataFrames.

Schema (DESIGN.md): one row per activity record with the required columns ``facility_id``,
``year``, ``category``, ``activity``, ``amount``, ``unit``; optional ``facility_name``,
``commune``, ``district``, ``country``; method parameters as further columns.

Every cell is kept as written, but numbers: ``amount`` and the numeric parameter columns are
read under a number format (:mod:`ghg_inventory.numbers`), numeric cells never re-read. Two
columns record where each row came from (``source_file``, ``source_row``): for CSV and Excel
files the row a person sees (the header is row 1, the first data row is row 2); for Parquet
files the 1-based record number; for DataFrames the index label. Validation
(:mod:`ghg_inventory.validation`) comes after.

Workbooks with a layout of their own (the facility report template of the provincial
application) are read by the readers of :data:`WORKBOOK_READERS`, named by module path as
entry points are: the core reads them without importing the application at start-up.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from ghg_inventory import numbers as _numbers
from ghg_inventory.errors import ActivityValidationError, GHGInventoryError, Problem
from ghg_inventory.numbers import NumberFormat, NumberFormatSpec, as_number_format
from ghg_inventory.sectors import REGISTRY

#: Internal columns added on reading: which file and which row each record came from.
FILE_COL, ROW_COL = "source_file", "source_row"

Source: TypeAlias = str | Path | pd.DataFrame

#: Columns read as numbers besides the numeric parameters the methods declare.
NUMERIC_COLUMNS = ("amount", "activity_uncertainty")

#: Workbook layouts with a reader of their own: (module, test, reader). ``test(path)`` says
#: whether a workbook has the layout; ``reader(path, number_format=...)`` reads it into the
#: raw table :func:`read_activities` returns.
WORKBOOK_READERS: tuple[tuple[str, str, str], ...] = (
    ("ghg_inventory.province.template", "is_template", "read_template"),
)


def _workbook_reader(path: Path) -> Callable[..., pd.DataFrame] | None:
    """The reader of a workbook with a layout of its own, if it has one."""
    for module, test, reader in WORKBOOK_READERS:
        loaded = import_module(module)
        if getattr(loaded, test)(path):
            return getattr(loaded, reader)  # type: ignore[no-any-return]
    return None


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
        :mod:`ghg_inventory.province.template`), Parquet files, DataFrames.
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
            special = _workbook_reader(path)
            if special is not None:  # e.g. the facility report template
                return special(path, number_format=fmt)
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
