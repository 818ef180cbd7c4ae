"""The provincial office's small input tables (crosswalks, forest areas, reference levels,
observed indicators, scenarios): read with their numbers under a declared number format, and
where each row came from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ghg_inventory.errors import ActivityValidationError, GHGInventoryError, Problem
from ghg_inventory.i18n.messages import msg
from ghg_inventory.numbers import NumberFormatSpec, as_number_format, number_columns, read_numbers
from ghg_inventory.readers import ReadLimits, check_workbook, formula_problems
from ghg_inventory.textfiles import as_limits, read_csv_text


def read_table(source: str | Path | pd.DataFrame, name: str, *, text: bool = False,
               numbers: Iterable[str] = (),
               number_format: NumberFormatSpec = None,
               limits: ReadLimits | None = None) -> pd.DataFrame:
    """A small input table (CSV, Excel or DataFrame) with its numbers read under a number
    format, and where each row came from.

    Parameters
    ----------
    source : path or DataFrame
        A CSV file (lines starting with ``#`` are comments), an Excel workbook (its first
        sheet) or a DataFrame.
    name : str
        What the table is, naming a DataFrame in problems (``<crosswalk>``).
    text : bool
        Keep every cell but those of ``numbers`` as written (text). Otherwise every
        column whose filled cells are all numbers (in some convention) is read as numbers
        too, and a column of ``True``/``False`` as booleans, as pandas would infer them.
    numbers : iterable of str
        The columns that hold numbers. A cell in them that is no number is refused.
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text are read
        (:func:`ghg_inventory.numbers.as_number_format`): ``"vi"`` reads ``12.000`` as
        12000. Without it a value that reads differently with a decimal point and with a
        decimal comma (``12.000``, ``1,500``) is refused unless the other values of its
        column settle the convention (``12,5``: decimal comma). Numeric cells (Excel
        numbers, numeric DataFrame columns) are numbers and never re-read.
    limits : ReadLimits, optional
        How big a file may be before it is refused unread
        (:class:`ghg_inventory.readers.ReadLimits`; by default as the environment variable
        ``GHG_READ_LIMITS`` sets them). A CSV not in UTF-8 is read in its Windows
        encoding with a warning, or refused (``save the file as UTF-8``); its separator
        (``,``, ``;``, tab) is found on its header line.

    Returns
    -------
    pandas.DataFrame
        The table, numbers as numbers (a column of whole numbers without blanks, e.g.
        years, as integers, as pandas reads it), with ``_file`` and ``_row`` (the line a
        person sees: header 1, first row 2; a DataFrame's position).

    Raises
    ------
    ActivityValidationError
        Numbers ambiguous without a declared format, not fitting the declared one, text in
        a ``numbers`` column, formulas without a calculated value (Excel), each named by
        file, row and column.
    GHGInventoryError
        A file that cannot be read or is above the limits.
    """
    fmt = as_number_format(number_format)
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True).copy()
        frame["_file"], frame["_row"] = f"<{name}>", np.arange(len(frame))
    else:
        path = Path(source)
        if not path.exists():
            raise GHGInventoryError(msg("province.tables.no_such_file", path=path))
        if path.suffix.lower() == ".xls":
            raise GHGInventoryError(msg("province.tables.xls", file=path.name))
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame, lines = _read_workbook(path, as_limits(limits))
        else:
            frame, lines = read_csv_text(path, limits=limits)
            frame = frame.replace("", np.nan)  # a blank cell is missing, as pandas reads it
        frame["_file"], frame["_row"] = path.name, lines
    declared = [c for c in dict.fromkeys(numbers) if c in frame]
    inferred = [] if text else number_columns(frame, fmt, skip=("_file", "_row", *declared))
    wanted = declared + inferred
    was_text = [c for c in wanted if not pd.api.types.is_numeric_dtype(frame[c])
                or pd.api.types.is_bool_dtype(frame[c])]
    frame = read_numbers(frame, wanted, fmt, file_col="_file", row_col="_row")
    problems = []
    for column in declared:  # text left in a number column is no number in any format
        values = frame[column]
        problems += [Problem(str(frame["_file"].iloc[i]), int(frame["_row"].iloc[i]),
                             column, str(values.iloc[i]).strip(),
                             msg("core.validation.not_a_number"))
                     for i in np.flatnonzero(text_cells(values))]
    if problems:
        raise ActivityValidationError(problems)
    for column in was_text:
        frame[column] = _whole(frame[column])
    if not text and not isinstance(source, pd.DataFrame):
        for column in frame.columns.difference(["_file", "_row", *wanted]):
            frame[column] = _booleans(frame[column])
    return frame


def _read_workbook(path: Path, limits: ReadLimits) -> tuple[pd.DataFrame, np.ndarray]:
    """A workbook's first sheet, numeric cells kept as numbers (text cells are read
    under the number format after), checked against ``limits`` before it is parsed, and
    the Excel row of each record."""
    check_workbook(path, limits)
    try:
        with pd.ExcelFile(path) as book:
            sheet = str(book.sheet_names[0])
            frame = pd.read_excel(book, sheet_name=sheet, dtype=object,
                                  nrows=limits.max_rows)
        frame.columns = [str(c).strip() for c in frame.columns]
        formulas = formula_problems(path, {sheet: 1}, {sheet: list(frame.columns)},
                                    {sheet: path.name})
    except GHGInventoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl's errors differ by fault; name the file
        raise GHGInventoryError(msg("province.tables.cannot_read", file=path.name,
                                    detail=str(exc))) from exc
    if formulas:
        raise ActivityValidationError(formulas)
    return frame, np.arange(2, len(frame) + 2)


def text_cells(values: pd.Series) -> np.ndarray:
    """Which cells hold text (a str), decided once per distinct value: after
    :func:`ghg_inventory.numbers.read_numbers`, the cells of a number column that are no
    number in any format (``pd.to_numeric`` would still read ``'inf'`` or ``'1e400'``)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = np.fromiter((isinstance(v, str) for v in uniques), dtype=bool, count=len(uniques))
    return np.append(text, False)[codes]


def _whole(values: pd.Series) -> pd.Series:
    """A column of numbers read from text as integers where every cell is a whole number
    (years, counts), as pandas reads such a column; float otherwise."""
    if values.dtype != np.float64:
        return values
    array = values.to_numpy()
    if len(array) and np.isfinite(array).all() and (array == np.round(array)).all() \
            and (np.abs(array) < 2**53).all():
        return pd.Series(array.astype(np.int64), index=values.index, name=values.name)
    return values


#: The spellings of a boolean pandas' CSV reader knows.
_TRUE, _FALSE = ("True", "TRUE", "true"), ("False", "FALSE", "false")


def _booleans(values: pd.Series) -> pd.Series:
    """A text column of ``True``/``False`` as booleans, as pandas' CSV reader infers it
    (blank cells stay missing)."""
    if not pd.api.types.is_string_dtype(values.dtype):  # object or str columns only
        return values
    filled = values.dropna()
    if not len(filled) or not text_cells(filled).all():
        return values
    stripped = filled.str.strip()
    if not stripped.isin(_TRUE + _FALSE).all():
        return values
    out = values.astype(object).copy()
    out[filled.index] = stripped.isin(_TRUE).to_numpy()
    return out.astype(bool) if len(filled) == len(values) else out


def require(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ActivityValidationError([Problem(str(frame["_file"].iloc[0]) if len(frame)
                                               else "", None, c, "",
                                               msg("province.tables.column_missing"))
                                       for c in missing])
