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
from typing import IO, TypeAlias

import numpy as np
import pandas as pd

from ghg_inventory import numbers as _numbers
from ghg_inventory.errors import ActivityValidationError, GHGInventoryError, Problem
from ghg_inventory.i18n.messages import msg
from ghg_inventory.numbers import NumberFormat, NumberFormatSpec, as_number_format
from ghg_inventory.sectors import REGISTRY
from ghg_inventory.textfiles import (
    MIB,
    EncodingNote,
    ReadLimits,
    as_limits,
    check_columns,
    read_text,
    sniff_separator,
)

__all__ = ["EncodingNote", "ReadLimits", "check_workbook", "read_activities"]

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
                    number_format: NumberFormatSpec = None,
                    limits: ReadLimits | None = None) -> pd.DataFrame:
    """Read one or more activity tables (CSV, XLSX, Parquet or DataFrames) into one table.

    Key cells are kept as written (strings for files) until validation; ``amount`` and the
    numeric parameter columns hold numbers (text that is no number in any format is kept
    as written, for validation to name). Two columns record where each row came from
    (``source_file``, ``source_row``).

    Files from outside are read with care: a CSV not saved as UTF-8 is read in its
    Windows encoding (1258 or 1252) with an :class:`EncodingNote` warning naming it, or
    refused with "save the file as UTF-8" when the encoding cannot be told for sure; a
    CSV separated by ``;`` or tabs is read with its separator (its numbers still read
    under the number format); workbooks are parsed through ``defusedxml``.

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
    limits : ReadLimits, optional
        How big a file may be before it is refused unread: a workbook's size, unzipped
        size, sheets, rows and columns, a CSV's or Parquet file's columns. By default
        :class:`ReadLimits`' defaults as the environment variable ``GHG_READ_LIMITS``
        sets them (e.g. ``GHG_READ_LIMITS="max_rows=2000000"`` for a national file).

    Raises
    ------
    ActivityValidationError
        Ambiguous numbers, numbers that do not fit the declared format, formulas without a
        calculated value (Excel), each named by file, row and column.
    GHGInventoryError
        A file that cannot be read, is above a limit, or has no activity rows.
    """
    fmt = as_number_format(number_format)
    limits = as_limits(limits)
    if isinstance(sources, (str, Path, pd.DataFrame)):
        sources = [sources]
    frames, problems = [], []
    for source in sources:
        try:
            frames.append(_read_one(source, fmt, limits))
        except ActivityValidationError as exc:  # every file's problems at once
            problems += exc.problems
    if problems:
        raise ActivityValidationError(problems)
    if not frames:
        raise GHGInventoryError(msg("core.readers.no_table"))
    if len(frames) == 1:
        return frames[0]
    from pandas.api.types import union_categoricals

    names = union_categoricals([f[FILE_COL] for f in frames])
    table = pd.concat(frames, ignore_index=True)
    table[FILE_COL] = names
    return table


def _read_one(source: Source, fmt: NumberFormat | None, limits: ReadLimits) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        if FILE_COL in source and ROW_COL in source:  # already read: keep where rows came from
            frame = source
        else:
            frame = source.copy(deep=False)
            index = frame.index
            rows = (np.arange(index.start, index.stop, index.step,  # made as kept, no copy
                              dtype=np.int32 if max(abs(index.start), abs(index.stop)) < 2**31
                              else np.int64)
                    if isinstance(index, pd.RangeIndex)
                    else index.to_numpy() if pd.api.types.is_integer_dtype(index)
                    else np.arange(len(frame)))
            frame = frame.reset_index(drop=True)
            _mark(frame, "<DataFrame>", rows)
        _require_rows(frame, "<DataFrame>")
        return read_numbers(frame, fmt)
    path = Path(source)
    if not path.exists():
        raise GHGInventoryError(msg("core.readers.no_such_file", path=path))
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            frame = _read_csv(path, limits)
            first = 2
        elif suffix in (".xlsx", ".xlsm"):
            check_workbook(path, limits)
            special = _workbook_reader(path)
            if special is not None:  # e.g. the facility report template
                return special(path, number_format=fmt, limits=limits)
            sheet = _activity_sheet(path)
            frame = read_excel_cells(path, sheet, header=0, limits=limits)
            formulas = formula_problems(path, {sheet: 1}, {sheet: list(frame.columns)},
                                        {sheet: path.name})
            if formulas:
                raise ActivityValidationError(formulas)
            first = 2
        elif suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            columns = len(pq.read_schema(path).names)
            if columns > limits.max_columns:
                raise limits.refuse(path.name, msg("core.readers.table_columns", count=columns),
                                    "max_columns")
            table = pq.read_table(path)
            # text that is no UTF-8 would fail later, deep in pandas, when a cell is read
            table.validate(full=True)
            frame = table.to_pandas()  # as pandas.read_parquet converts it
            first = 1
        else:
            raise GHGInventoryError(msg("core.readers.unknown_type", path=path, suffix=suffix))
    except GHGInventoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - reader errors differ by format; name the file
        raise GHGInventoryError(msg("core.textfiles.cannot_read", label=path,
                                    reason=str(exc))) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    _require_rows(frame, path.name)
    _mark(frame, path.name, np.arange(first, first + len(frame)))
    return read_numbers(frame, fmt)


def _read_csv(path: Path, limits: ReadLimits) -> pd.DataFrame:
    """A CSV activity table as text cells: its encoding and separator found
    (:func:`ghg_inventory.textfiles.decode_text`, :func:`~ghg_inventory.textfiles.sniff_separator`),
    its columns counted on the header line before pandas parses it."""
    import io
    import warnings

    text = read_text(path)
    separator = sniff_separator(text)
    check_columns(text, separator, path.name, limits)
    with warnings.catch_warnings():
        # a record with more cells than the header: pandas would drop the extra cells
        # (``index_col=False``) or, without it, shift every cell one column to the right
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(io.StringIO(text), sep=separator, dtype=str,
                               keep_default_na=False, na_values=[""], index_col=False)
        except pd.errors.ParserWarning:
            raise GHGInventoryError(msg("core.readers.extra_cells", path=path,
                                        separator=separator)) from None


def _require_rows(frame: pd.DataFrame, name: str) -> None:
    """A table with a header and no row is refused: an empty result would pass for a
    computed inventory of nothing."""
    if len(frame) == 0:
        raise GHGInventoryError(msg("core.readers.no_rows", name=name))


def _mark(frame: pd.DataFrame, name: str, rows: np.ndarray) -> None:
    """Record where every row came from (one category code and one int32 per row)."""
    frame[FILE_COL] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8),
                                                categories=[name])
    fits = rows.dtype == np.int32 or not len(rows) or (
        -2**31 <= rows.min() and rows.max() < 2**31)  # a DataFrame's index may be anything
    frame[ROW_COL] = rows.astype(np.int32 if fits else np.int64, copy=False)


# --- workbooks from outside ------------------------------------------------------------

#: A worksheet's part in the zip archive of an ``.xlsx``.
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
#: Rows and cells of a worksheet's XML, and their references (``r="12"``, ``r="AB12"``).
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=[\"'](\d+)[\"']")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=[\"']([A-Za-z]{1,3})(\d+)[\"']")
#: Tokens of a worksheet whose cells lack references: row starts and ends, cells.
_ROW_TOKENS = re.compile(rb"<(?:\w+:)?row[\s>/]|</(?:\w+:)?row>|<(?:\w+:)?c(?=[\s>/])([^>]*)>")
_REF = re.compile(rb"\br=[\"']([A-Za-z]{1,3})\d+[\"']")
#: How much of a worksheet's XML is scanned at a time. [bytes]
_CHUNK = 8 * MIB


def check_workbook(path: Path, limits: ReadLimits | None = None) -> None:
    """Refuse a workbook above the limits before any of it is parsed.

    Checked in order, each before anything bigger is read: the file's size; its zip
    directory (the unzipped size of every part, as recorded: Python's zip reader never
    unpacks more than that, so a zip bomb is refused unpacked); the number of worksheets;
    and each worksheet's last row and column, from the row and cell references of its XML
    (scanned as bytes, not parsed; a sheet's ``<dimension>`` could lie), so that one cell
    at row 1,048,576 is refused before a reader walks the million empty rows above it.

    Parameters
    ----------
    path : Path
        The ``.xlsx`` or ``.xlsm`` file.
    limits : ReadLimits, optional
        Default: :meth:`ReadLimits.from_env`.

    Raises
    ------
    GHGInventoryError
        A file that is no workbook (no zip archive), or above a limit: naming the file, the
        limit and how to raise it.
    """
    limits = as_limits(limits)
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_file_mib * MIB:
        raise limits.refuse(path.name, msg("core.readers.file_size", mib=size / MIB),
                            "max_file_mib")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unzipped = sum(info.file_size for info in infos)
            if unzipped > limits.max_unzipped_mib * MIB:
                raise limits.refuse(path.name, msg("core.readers.unzips_to",
                                                   mib=unzipped / MIB), "max_unzipped_mib")
            sheets = [info for info in infos if _SHEET_PART.match(info.filename)]
            if len(sheets) > limits.max_sheets:
                raise limits.refuse(path.name, msg("core.readers.sheets", count=len(sheets)),
                                    "max_sheets")
            for info in sheets:
                with archive.open(info) as part:
                    rows, columns, exact = _sheet_extent(part)
                if columns > limits.max_columns and not exact:
                    with archive.open(info) as part:
                        columns = _widest_row(part)
                where = msg("core.readers.worksheet", file=path.name,
                            part=info.filename.rsplit('/', 1)[-1])
                if rows > limits.max_rows:
                    raise limits.refuse(where, msg("core.readers.reaches_row", row=rows),
                                        "max_rows")
                if columns > limits.max_columns:
                    raise limits.refuse(where, msg("core.readers.reaches_column",
                                                   column=columns), "max_columns")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            ValueError, OSError) as exc:
        raise GHGInventoryError(msg("core.readers.not_a_workbook", file=path.name,
                                    reason=str(exc))) from exc


def _column_number(letters: bytes) -> int:
    """A column's number from its letters (``A`` 1, ``Z`` 26, ``AA`` 27)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _sheet_extent(part: IO[bytes]) -> tuple[int, int, bool]:
    """The last row and column a worksheet's XML reaches, and whether the column is exact.

    Rows and cells may leave out their reference and then follow the one before: the row
    is then an upper bound (every unreferenced row counted after the last referenced
    one), and so is the column (every unreferenced cell of the sheet counted after the
    last referenced column; :func:`_widest_row` counts exactly when it matters).
    """
    max_row = max_column = 0
    rows = row_refs = cells = cell_refs = 0
    tail = b""
    while True:
        chunk = part.read(_CHUNK)
        data = tail + chunk
        if chunk:  # keep a tag cut at the chunk's end for the next round
            cut = data.rfind(b"<")
            data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        rows += len(_ROW_TAG.findall(data))
        found_rows = _ROW_REF.findall(data)
        found_cells = _CELL_REF.findall(data)
        row_refs += len(found_rows)
        cell_refs += len(found_cells)
        cells += len(_CELL_TAG.findall(data))
        numbers = found_rows + [row for _, row in found_cells]
        if numbers:  # whole arrays: a sheet holds millions of references
            max_row = max(max_row, int(np.array(numbers, dtype="S20").astype(np.int64).max()))
        if found_cells:
            letters = {col.upper() for col, _ in found_cells}
            max_column = max(max_column, *map(_column_number, letters))
        if not chunk:
            break
    return max_row + (rows - row_refs), max_column + (cells - cell_refs), cells == cell_refs


def _widest_row(part: IO[bytes]) -> int:
    """The last column a worksheet's cells reach, followed cell by cell (for sheets whose
    cells leave out their reference: such a cell is in the column after the one before)."""
    widest = column = 0
    tail = b""
    while True:
        chunk = part.read(_CHUNK)
        data = tail + chunk
        if chunk:
            cut = data.rfind(b"<")
            data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        for match in _ROW_TOKENS.finditer(data):
            attributes = match.group(1)
            if attributes is None:  # a row starts (or ends): its cells start at column A
                column = 0
                continue
            ref = _REF.search(attributes)
            column = column + 1 if ref is None else _column_number(ref.group(1))
            widest = max(widest, column)
        if not chunk:
            return widest


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

def read_excel_cells(path: Path, sheet: str | None, *, header: int,
                     limits: ReadLimits | None = None) -> pd.DataFrame:
    """A sheet (or every sheet, ``sheet=None``) as pandas reads it, numeric cells kept.

    Numeric cells of the numeric columns stay numbers (a decimal-comma format must never
    re-read ``12.5`` as text); every other column is text as written, as with
    ``dtype=str`` (a facility code 1001 stays ``'1001'``, never ``1001.0``). At most
    ``limits.max_rows`` rows are read (after :func:`check_workbook`, a second guard).
    """
    limits = as_limits(limits)
    read = pd.read_excel(path, sheet_name=sheet, header=header, dtype=object,
                         nrows=limits.max_rows)
    for name, frame in (read.items() if isinstance(read, dict) else [(sheet, read)]):
        if len(frame) >= limits.max_rows:
            raise limits.refuse(msg("core.readers.sheet", file=path.name, sheet=name),
                                msg("core.readers.more_rows", count=limits.max_rows),
                                "max_rows")
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
                where = msg("core.readers.cell", file=path.name, sheet=sheet,
                            cell=f"{get_column_letter(c)}{r}")
                column = names[c - 1] if c - 1 < len(names) else get_column_letter(c)
                problems.append(Problem(
                    files[sheet], r, column, formula,
                    msg("core.readers.formula_uncalculated", where=where)))
    finally:
        book.close()
    return problems
