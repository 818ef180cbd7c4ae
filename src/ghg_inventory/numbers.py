"""Numbers written as text, read under a declared number format or refused.

A number typed into a CSV or an Excel text cell depends on a convention: ``12.000`` is
twelve thousand in Vietnamese (thousands point) and twelve in English (decimal point).
Every reader of the package that takes numbers from text (activity tables, the facility
workbook, factor override tables, scenario and provincial tables) reads them here, under a
:class:`NumberFormat` when one is declared. Without one, a value that reads differently
under the two conventions is refused, naming both readings, unless the other values of its
column in the same file settle the convention (``12,5`` or ``1.234,56``: decimal comma;
``12.5`` or ``1,234.56``: decimal point). Numeric cells and numeric columns are numbers and
are never re-read. Text is read once per distinct value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd

from ghg_inventory.errors import ActivityValidationError, GHGInventoryError, Problem
from ghg_inventory.i18n.messages import Message, msg

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
            raise GHGInventoryError(msg("core.numbers.bad_decimal", decimal=self.decimal))
        t = self.thousands
        if t is not None and (len(t) != 1 or t.isdigit() or t in "+-eE"):
            raise GHGInventoryError(msg("core.numbers.bad_thousands", thousands=t))
        if t == self.decimal:
            raise GHGInventoryError(msg("core.numbers.same_marks", mark=t))

    def describe(self) -> Message:
        """The format in words, e.g. ``decimal ',' and thousands '.'`` (a message: said in
        Vietnamese by :func:`ghg_inventory.i18n.messages.say`)."""
        grouping = (msg("core.numbers.no_grouping") if self.thousands is None
                    else msg("core.numbers.grouping", thousands=self.thousands))
        return msg("core.numbers.format", decimal=self.decimal, grouping=grouping)

    def _pattern(self) -> str:
        """The whole-string regular expression of a number in this format (RE2 syntax).

        Digits are ASCII ``0-9``: RE2's ``\\d`` also matches other scripts' digits
        (``١٢٣``), which no number parser reads."""
        exponent = r"(?:[eE][+-]?[0-9]+)?"
        d = f"[{self.decimal}]"
        if self.thousands is None:
            whole = r"[0-9]+"
        else:
            # a leading group has 1-3 digits and no leading zero: '0.125' is no grouping
            whole = rf"(?:[1-9][0-9]{{0,2}}(?:{self._thousands_class()}[0-9]{{3}})+|[0-9]+)"
        return rf"[+-]?(?:{whole}(?:{d}[0-9]*)?|{d}[0-9]+){exponent}"

    def _thousands_class(self) -> str:
        t = self.thousands or ""
        return f"[{_SPACES}]" if t in _SPACES else f"[{re.escape(t)}]"


#: Named formats: ``number_format="vi"`` (1.234,5) or ``"en"`` (1,234.5).
NUMBER_FORMATS = {"vi": NumberFormat(decimal=",", thousands="."),
                  "en": NumberFormat(decimal=".", thousands=",")}
_POINT, _COMMA = NUMBER_FORMATS["en"], NUMBER_FORMATS["vi"]
#: Numbers as Python and the package write them (decimal point, no grouping): the shipped
#: tables and the rows a store keeps.
PLAIN = NumberFormat(decimal=".", thousands=None)


def _declare() -> Message:
    """How to declare a format, for messages."""
    return msg("core.numbers.declare")


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
            raise GHGInventoryError(msg("core.numbers.unknown_preset", spec=spec,
                                        presets=", ".join(NUMBER_FORMATS))) from None
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"decimal", "thousands"}
        if unknown:
            raise GHGInventoryError(msg("core.numbers.unknown_keys", keys=sorted(unknown)))
        return NumberFormat(decimal=spec.get("decimal") or ".", thousands=spec.get("thousands"))
    raise GHGInventoryError(msg("core.numbers.bad_spec", spec=spec))


# kinds of a distinct text value
_BLANK, _NUMBER, _POINT_ONLY, _COMMA_ONLY, _BOTH, _MISFIT, _TEXT = range(7)


def read_numbers(frame: pd.DataFrame, columns: Iterable[str], fmt: NumberFormat | None, *,
                 file_col: str, row_col: str) -> pd.DataFrame:
    """The given columns of a read table as numbers, text read under ``fmt``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table as read, with the file (``file_col``) and the row a person sees
        (``row_col``) of every record, for the problems.
    columns : iterable of str
        The columns that hold numbers; those absent from ``frame`` are passed over.
    fmt : NumberFormat or None
        The declared format; None: each column of each file as its values settle it.
    file_col, row_col : str
        The columns naming each record's file and row.

    Returns
    -------
    pandas.DataFrame
        A shallow copy (the caller's frame is never changed). Numeric columns are left as
        they are; a column whose every text cell is a number becomes ``float64``; text that
        is no number in any format stays as written (``object``, numbers beside it) for
        the caller's validation to name.

    Raises
    ------
    ActivityValidationError
        Values that are ambiguous without a declared format (or whose column contradicts
        itself), or that do not fit the declared format.
    """
    wanted = set(columns)
    problems: list[Problem] = []
    converted: dict[str, np.ndarray] = {}
    for column in frame.columns:
        if column in wanted and not _is_numeric(frame[column]):
            values, found = _read_column(frame, column, fmt, file_col, row_col)
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


def _read_column(frame: pd.DataFrame, column: str, fmt: NumberFormat | None,
                 file_col: str, row_col: str) -> tuple[np.ndarray, list[Problem]]:
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
    files = np.asarray(pd.Categorical(frame[file_col]).codes, dtype=np.int64)
    source_rows = frame[row_col].to_numpy()
    text = np.append(uniques.to_numpy(dtype=object), "")

    def problem(i: np.integer | int, message: str) -> Problem:
        return Problem(str(frame[file_col].iloc[i]), int(source_rows[i]), column,
                       str(text[codes[i]]).strip(), message)

    if fmt is not None:
        for i in np.flatnonzero(row_kind == _MISFIT):
            k = codes[i]
            other = _COMMA if np.isfinite(comma[k]) else _POINT
            reading = comma[k] if other is _COMMA else point[k]
            problems.append(problem(i, msg("core.numbers.misfit", declared=fmt.describe(),
                                           other=other.describe(), reading=_plain(reading))))
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
            problems.append(problem(i, msg(
                "core.numbers.mixed", point_value=text[codes[p]].strip(),
                point_row=source_rows[p], comma_value=text[codes[c]].strip(),
                comma_row=source_rows[c], declare=_declare())))
        for i in np.flatnonzero(both & ~by_point & ~by_comma & ~contradicted):
            k = codes[i]
            s = str(text[k]).strip()
            as_point = (msg("core.numbers.decimal_point") if "." in s
                        else msg("core.numbers.thousands_comma"))
            as_comma = (msg("core.numbers.decimal_comma") if "," in s
                        else msg("core.numbers.thousands_point"))
            problems.append(problem(i, msg(
                "core.numbers.two_readings", value=s, point=_plain(point[k]), point_how=as_point,
                comma=_plain(comma[k]), comma_how=as_comma, declare=_declare())))
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
            parsed = pd.to_numeric(clean)
            if parsed.dtype == object:  # whole numbers beyond int64 come back as Python
                parsed = clean.astype(np.float64)  # ints; one above 1e308 is inf, refused
            out[fits] = parsed.to_numpy(dtype=float, na_value=np.nan)
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
    plain = strings.str.fullmatch(r"[+-]?[0-9]+(?:[eE][+-]?[0-9]+)?").to_numpy(
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


def number_columns(frame: pd.DataFrame, fmt: NumberFormat | None,
                   skip: Iterable[str] = ()) -> list[str]:
    """The columns of a table read as text whose every filled cell is a number in some
    convention (what pandas would infer as numeric, read here without guessing the
    convention): for small input tables whose numeric columns are not declared."""
    out = []
    for column in frame.columns:
        if column in skip:
            continue
        raw = frame[column]
        if _is_numeric(raw):
            out.append(column)
            continue
        uniques = pd.Index(pd.unique(raw.dropna()), dtype=object)
        kind = _classify(uniques, fmt)[0]
        if len(kind) and not (kind == _TEXT).any() and not (kind == _BLANK).all():
            out.append(column)
    return out
