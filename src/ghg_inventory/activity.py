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
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd

from . import methods as _methods
from .categories import is_known
from .errors import ActivityValidationError, GHGInventoryError, Problem
from .grouping import factorize_codes
from .methods import Context, method_for
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
#: The decimal separators a :class:`NumberFormat` may use.
DECIMALS = (".", ",")
#: Characters that are a space in a number written with space-grouped thousands.
_SPACES = " \u00a0\u202f"


@dataclass(frozen=True)
class NumberFormat:
    """How numbers written as text are read, as pandas' ``read_csv(decimal=, thousands=)``.

    Parameters
    ----------
    decimal : {".", ","}
        The decimal separator.
    thousands : str or None
        The thousands separator (one character: ``"."``, ``","``, ``" "`` (any space,
        no-break spaces included), ``"'"`` ...), or ``None`` for numbers written without
        grouping.

    Examples
    --------
    ``NumberFormat(decimal=",", thousands=".")`` reads ``1.234,5`` as 1234.5 (Vietnamese,
    the preset ``"vi"``); ``NumberFormat(decimal=".", thousands=",")`` reads ``1,234.5``
    (English, ``"en"``). A value that does not fit the format (``1.234,5`` under ``"en"``,
    ``12.5`` under ``"vi"``) is refused, never re-read another way.
    """

    decimal: str = "."
    thousands: str | None = None

    def __post_init__(self) -> None:
        if self.thousands == "":
            object.__setattr__(self, "thousands", None)
        if self.decimal not in DECIMALS:
            raise GHGInventoryError(
                f"decimal separator {self.decimal!r}: use '.' or ','")
        t = self.thousands
        if t is not None and (len(t) != 1 or t.isdigit() or t in "+-eE"):
            raise GHGInventoryError(
                f"thousands separator {t!r}: one character that is no digit, sign or exponent "
                "(e.g. '.', ',' or ' '), or none")
        if t == self.decimal:
            raise GHGInventoryError(
                f"decimal and thousands separator are both {t!r}; they must differ "
                "(Vietnamese: --decimal , --thousands .)")

    def describe(self) -> str:
        """The format in words, e.g. ``decimal ',' and thousands '.'``."""
        grouping = ("no thousands separator" if self.thousands is None
                    else f"thousands {self.thousands!r}")
        return f"decimal {self.decimal!r} and {grouping}"

    def _pattern(self) -> str:
        """The whole-string regular expression of a number in this format (RE2 syntax)."""
        exponent = r"(?:[eE][+-]?\d+)?"
        d = f"[{self.decimal}]"
        if self.thousands is None:
            whole = r"\d+"
        else:
            # a leading group has 1-3 digits and no leading zero: '0.125' is no grouping
            whole = rf"(?:[1-9]\d{{0,2}}(?:{self._thousands_class()}\d{{3}})+|\d+)"
        return rf"[+-]?(?:{whole}(?:{d}\d*)?|{d}\d+){exponent}"

    def _thousands_class(self) -> str:
        t = self.thousands or ""
        return f"[{_SPACES}]" if t in _SPACES else f"[{re.escape(t)}]"


#: Named formats: ``number_format="vi"`` (1.234,5) or ``"en"`` (1,234.5).
NUMBER_FORMATS = {"vi": NumberFormat(decimal=",", thousands="."),
                  "en": NumberFormat(decimal=".", thousands=",")}
_POINT, _COMMA = NUMBER_FORMATS["en"], NUMBER_FORMATS["vi"]
#: How to declare a format, for messages.
_DECLARE = ("declare the number format (command line: --decimal , --thousands . for 1.234,5 "
            "or --decimal . --thousands , for 1,234.5; Python: number_format='vi' or 'en')")

NumberFormatSpec: TypeAlias = NumberFormat | str | Mapping[str, str | None] | None


def as_number_format(spec: NumberFormatSpec) -> NumberFormat | None:
    """A :class:`NumberFormat` from what a user gives.

    Parameters
    ----------
    spec : NumberFormat, str, mapping or None
        A format; a preset name (``"vi"``: ``1.234,5``; ``"en"``: ``1,234.5``); a mapping
        ``{"decimal": ",", "thousands": "."}``; or ``None`` (no declared format: each
        column is read as its values settle it, ambiguous values refused).

    Returns
    -------
    NumberFormat or None

    Raises
    ------
    GHGInventoryError
        An unknown preset, a mapping with other keys, or separators that cannot be.
    """
    if spec is None or isinstance(spec, NumberFormat):
        return spec
    if isinstance(spec, str):
        try:
            return NUMBER_FORMATS[spec.strip().lower()]
        except KeyError:
            raise GHGInventoryError(
                f"unknown number format {spec!r}; use one of {', '.join(NUMBER_FORMATS)}, a "
                "NumberFormat or {'decimal': ',', 'thousands': '.'}") from None
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"decimal", "thousands"}
        if unknown:
            raise GHGInventoryError(
                f"number format keys {sorted(unknown)}: only 'decimal' and 'thousands'")
        return NumberFormat(decimal=spec.get("decimal") or ".", thousands=spec.get("thousands"))
    raise GHGInventoryError(f"number format {spec!r}: give a NumberFormat, 'vi', 'en' or a "
                            "mapping of 'decimal' and 'thousands'")


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
    from . import sectors  # noqa: F401 - registers the methods

    return set(NUMERIC_COLUMNS) | {
        name for method in _methods.REGISTRY.values()
        for name, kind in method.parameters.items() if kind is not str}


# kinds of a distinct text value
_BLANK, _NUMBER, _POINT_ONLY, _COMMA_ONLY, _BOTH, _MISFIT, _TEXT = range(7)


def read_numbers(frame: pd.DataFrame, fmt: NumberFormat | None) -> pd.DataFrame:
    """The numeric columns of a read table as numbers, text read under ``fmt``.

    Numeric columns are left as they are. Text is read once per distinct value. A column
    whose every text cell is a number becomes ``float64``; text that is no number in any
    format stays as written (``object``, numbers beside it) for validation to name.

    Raises
    ------
    ActivityValidationError
        Values that are ambiguous without a declared format (or whose column contradicts
        itself), or that do not fit the declared format.
    """
    wanted = numeric_columns()
    problems: list[Problem] = []
    converted: dict[str, np.ndarray] = {}
    for column in frame.columns:
        if column in wanted and not _is_numeric(frame[column]):
            values, found = _read_column(frame, column, fmt)
            converted[column] = values
            problems += found
    if problems:
        raise ActivityValidationError(problems)
    if not converted:
        return frame
    frame = frame.copy(deep=False)  # never change the caller's frame
    for column, numbers in converted.items():
        frame[column] = numbers
    return frame


def _is_numeric(column: pd.Series) -> bool:
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return bool(pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype))


def _read_column(frame: pd.DataFrame, column: str, fmt: NumberFormat | None
                 ) -> tuple[np.ndarray, list[Problem]]:
    """One text column read as numbers; problems of the cells that cannot be read."""
    raw = frame[column]
    if isinstance(raw.dtype, pd.CategoricalDtype):
        codes = np.asarray(raw.cat.codes, dtype=np.int64)
        uniques = pd.Index(raw.cat.categories, dtype=object)
    else:
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        uniques = pd.Index(uniques, dtype=object)
    kind, value, point, comma = _classify(uniques, fmt)
    # one past the end: a missing cell (code -1)
    row_kind = np.append(kind, _BLANK)[codes]
    values = np.append(value, np.nan)[codes]
    problems: list[Problem] = []
    files = np.asarray(pd.Categorical(frame[FILE_COL]).codes, dtype=np.int64)
    source_rows = frame[ROW_COL].to_numpy()
    text = np.append(uniques.to_numpy(dtype=object), "")

    def problem(i: np.integer | int, message: str) -> Problem:
        return Problem(str(frame[FILE_COL].iloc[i]), int(source_rows[i]), column,
                       str(text[codes[i]]).strip(), message)

    if fmt is not None:
        for i in np.flatnonzero(row_kind == _MISFIT):
            k = codes[i]
            other = _COMMA if np.isfinite(comma[k]) else _POINT
            reading = comma[k] if other is _COMMA else point[k]
            problems.append(problem(i, f"does not fit the declared number format "
                                       f"({fmt.describe()}); with {other.describe()} it "
                                       f"would read {_plain(reading)}"))
    else:
        n_files = int(files.max(initial=-1)) + 1
        has_point = np.bincount(files[row_kind == _POINT_ONLY], minlength=n_files) > 0
        has_comma = np.bincount(files[row_kind == _COMMA_ONLY], minlength=n_files) > 0
        by_point = (has_point & ~has_comma)[files]
        by_comma = (has_comma & ~has_point)[files]
        both = row_kind == _BOTH
        point_rows, comma_rows = np.append(point, np.nan)[codes], np.append(comma, np.nan)[codes]
        values = np.where(both & by_point, point_rows, values)
        values = np.where(both & by_comma, comma_rows, values)
        first_point, first_comma = _first(files, row_kind == _POINT_ONLY, n_files), \
            _first(files, row_kind == _COMMA_ONLY, n_files)
        contradicted = (has_point & has_comma)[files] & np.isin(
            row_kind, (_POINT_ONLY, _COMMA_ONLY, _BOTH))
        for i in np.flatnonzero(contradicted):
            f = files[i]
            p, c = first_point[f], first_comma[f]
            problems.append(problem(i, (
                f"the column mixes conventions: {text[codes[p]].strip()!r} (row "
                f"{source_rows[p]}) reads only with a decimal point, "
                f"{text[codes[c]].strip()!r} (row {source_rows[c]}) only with a decimal "
                f"comma; {_DECLARE}")))
        for i in np.flatnonzero(both & ~by_point & ~by_comma & ~contradicted):
            k = codes[i]
            s = str(text[k]).strip()
            as_point = "decimal point" if "." in s else "thousands comma"
            as_comma = "decimal comma" if "," in s else "thousands point"
            problems.append(problem(i, (
                f"{s!r} reads as {_plain(point[k])} ({as_point}) or {_plain(comma[k])} "
                f"({as_comma}); {_DECLARE}")))
    if (row_kind == _TEXT).any():
        # text that is no number stays as written, beside the numbers, for validation
        out = values.astype(object)
        keep = row_kind == _TEXT
        # as text (an Excel TRUE or date is no number, and must not become one downstream)
        written = text.copy()
        odd = np.flatnonzero(kind == _TEXT)
        written[odd] = [str(v) for v in written[odd]]
        out[keep] = written[codes[keep]]
        return out, problems
    return values, problems


def _first(groups: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """Per group, the first position where ``mask`` holds (-1 where none)."""
    first = np.full(n, -1, dtype=np.int64)
    where = np.flatnonzero(mask)[::-1]  # assigned last to first: the first one stays
    first[groups[where]] = where
    return first


def _plain(value: float) -> str:
    """A number as Python writes it: no grouping, a decimal point (unambiguous)."""
    return f"{value:.15g}"


def _classify(uniques: pd.Index, fmt: NumberFormat | None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Kind and readings of each distinct value (whole columns of distinct strings).

    Returns the kind (``_BLANK``, ``_NUMBER``, ...), the value, and the readings with a
    decimal point (thousands comma) and with a decimal comma (thousands point), NaN where
    the value does not read that way.
    """
    n = len(uniques)
    kind = np.full(n, _TEXT, dtype=np.int8)
    value = np.full(n, np.nan)
    point = np.full(n, np.nan)
    comma = np.full(n, np.nan)
    if not n:
        return kind, value, point, comma
    objects = uniques.to_numpy(dtype=object)
    is_text = np.fromiter((isinstance(v, str) for v in objects), dtype=bool, count=n)
    # numbers of an object column (Excel numeric cells): numbers as they are
    numbers = ~is_text & np.fromiter(
        (isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
         for v in objects), dtype=bool, count=n)
    if numbers.any():
        kind[numbers] = _NUMBER
        value[numbers] = objects[numbers].astype(float)
    if not is_text.any():
        return kind, value, point, comma
    where = np.flatnonzero(is_text)
    strings = pd.Series(objects[where], dtype="string[pyarrow]").str.strip()
    blank = (strings == "").to_numpy(dtype=bool)
    kind[where[blank]] = _BLANK

    def reading(f: NumberFormat) -> np.ndarray:
        """The values of the strings that fit ``f`` (NaN elsewhere)."""
        fits = strings.str.fullmatch(f._pattern()).to_numpy(dtype=bool, na_value=False)
        out = np.full(len(strings), np.nan)
        if fits.any():
            clean = strings[fits]
            if f.thousands is not None:
                clean = clean.str.replace(f._thousands_class(), "", regex=True)
            if f.decimal != ".":
                clean = clean.str.replace(f.decimal, ".", regex=False)
            out[fits] = pd.to_numeric(clean).to_numpy(dtype=float, na_value=np.nan)
        return out

    as_point, as_comma = reading(_POINT), reading(_COMMA)
    fits_point, fits_comma = ~np.isnan(as_point), ~np.isnan(as_comma)
    point[where], comma[where] = as_point, as_comma
    if fmt is not None:
        declared = reading(fmt)
        fits = ~np.isnan(declared)
        value[where[fits]] = declared[fits]
        kind[where[fits]] = _NUMBER
        kind[where[~fits & ~blank & (fits_point | fits_comma)]] = _MISFIT
        return kind, value, point, comma
    plain = strings.str.fullmatch(r"[+-]?\d+(?:[eE][+-]?\d+)?").to_numpy(
        dtype=bool, na_value=False)
    only_point, only_comma = fits_point & ~fits_comma, fits_comma & ~fits_point
    kind[where[plain]] = _NUMBER
    value[where[plain]] = as_point[plain]
    kind[where[only_point]] = _POINT_ONLY
    value[where[only_point]] = as_point[only_point]
    kind[where[only_comma]] = _COMMA_ONLY
    value[where[only_comma]] = as_comma[only_comma]
    kind[where[fits_point & fits_comma & ~plain]] = _BOTH
    return kind, value, point, comma


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
        chosen.append(method_for(code, source_type=source_type or "stationary", kind=kind,
                                 activity=activity, factors=ctx.factors))
    names = sorted({m.name for m in chosen if m})
    method_codes = np.array([names.index(m.name) if m else -1 for m in chosen],
                            dtype=np.int8)[combo]
    served = ", ".join(_methods.served_categories())
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
        method = _methods.REGISTRY[name]
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
