"""The province's side of the reporting period: who has reported, what changed, which
communes (before and after the 2025 reorganisation) and how the plan's indicators stand.

* :func:`completeness`: the facilities obliged to report (a list the user loads, e.g. from
  the Prime Minister's decision) against the store's submissions: not reported, late.
* :func:`year_on_year`: changes of a facility's direct emissions above a threshold (10 %
  by default), a recalculation trigger under the waste and industry MRV circulars.
* :func:`to_current_communes`: activity rows of former communes mapped to today's through a
  crosswalk table (Lai Châu's districts were abolished on 1 July 2025; 38 communes and wards
  remain), so earlier years roll up by today's units.
* :func:`plan_progress`: the province plan's indicators (``data/plan_targets.csv``, each with
  its target year and source) against observed values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .activity import FILE_COL, ROW_COL, formula_problems
from .errors import ActivityValidationError, GHGInventoryError, Problem
from .numbers import NumberFormat, NumberFormatSpec, as_number_format, number_columns, read_numbers


def read_table(source: str | Path | pd.DataFrame, name: str, *, text: bool = False,
               numbers: Iterable[str] = (),
               number_format: NumberFormatSpec = None) -> pd.DataFrame:
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
    """
    fmt = as_number_format(number_format)
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True).copy()
        frame["_file"], frame["_row"] = f"<{name}>", np.arange(len(frame))
    else:
        path = Path(source)
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            with pd.ExcelFile(path) as book:
                sheet = str(book.sheet_names[0])
                # numeric cells stay numbers; text cells are read below under the format
                frame = pd.read_excel(book, sheet_name=sheet, dtype=object)
            frame.columns = [str(c).strip() for c in frame.columns]
            if path.suffix.lower() != ".xls":
                formulas = formula_problems(path, {sheet: 1}, {sheet: list(frame.columns)},
                                            {sheet: path.name})
                if formulas:
                    raise ActivityValidationError(formulas)
            lines = np.arange(2, len(frame) + 2)
        else:
            frame, lines = _read_csv(path)
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
                             column, str(values.iloc[i]).strip(), "not a number")
                     for i in np.flatnonzero(text_cells(values))]
    if problems:
        raise ActivityValidationError(problems)
    for column in was_text:
        frame[column] = _whole(frame[column])
    if not text and not isinstance(source, pd.DataFrame):
        for column in frame.columns.difference(["_file", "_row", *wanted]):
            frame[column] = _booleans(frame[column])
    return frame


def _read_csv(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """A CSV table as text cells, and the line each record starts on as an editor numbers
    it: whole lines starting with ``#`` are comments (counted, not read); a ``#`` inside a
    cell is text."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        physical = handle.read().splitlines(keepends=True)
    kept = [(number, line) for number, line in enumerate(physical, start=1)
            if not line.lstrip().startswith("#")]
    reader = csv.reader(line for _, line in kept)
    starts, consumed = [], 0
    for record in reader:  # a quoted cell may span lines: a record starts where it starts
        start = kept[consumed][0]
        consumed = reader.line_num
        if len(record) > 1 or (record and record[0].strip()):  # pandas skips blank lines
            starts.append(start)
    frame = pd.read_csv(io.StringIO("".join(line for _, line in kept)), dtype=str)
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(starts) != len(frame) + 1:
        raise GHGInventoryError(f"{path.name}: cannot tell the line of each row "
                                f"({len(starts) - 1} records, {len(frame)} rows read)")
    return frame, np.asarray(starts[1:], dtype=np.int64)


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


def _require(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ActivityValidationError([Problem(str(frame["_file"].iloc[0]) if len(frame)
                                               else "", None, c, "", "required column missing")
                                       for c in missing])


def completeness(store: str | Path, obliged: str | Path | pd.DataFrame, *,
                 period: tuple[int, int], deadline: str | None = None) -> pd.DataFrame:
    """Which obliged facilities reported for a period, and when.

    Parameters
    ----------
    store : path
        The submissions store.
    obliged : path or DataFrame
        ``facility_id`` (and any other columns, e.g. ``facility_name``): the facilities that
        must report.
    period : (int, int)
        First and last year of the reporting period.
    deadline : str, optional
        ISO date; submissions after it are ``late``.

    Returns
    -------
    pandas.DataFrame
        One row per obliged facility: ``reported`` (bool), ``submitted_at`` (first
        submission for the period), ``late`` (bool), ``status`` (``reported``,
        ``late``, ``missing``); then the facilities that reported without being on the list
        (``status`` = ``not on the list``).
    """
    from .store import submissions

    listed = read_table(obliged, "obliged facilities", text=True)
    _require(listed, ("facility_id",))
    done = submissions(store, history=True)
    done = done[(done["period_start"] <= period[1]) & (done["period_end"] >= period[0])]
    first = done.groupby("facility_id")["submitted_at"].min()
    out = listed.drop(columns=["_file", "_row"]).copy()
    out["submitted_at"] = out["facility_id"].map(first)
    out["reported"] = out["submitted_at"].notna()
    if deadline is not None:
        limit = pd.Timestamp(deadline) + pd.Timedelta(days=1)
        out["late"] = out["reported"] & (pd.to_datetime(out["submitted_at"]) >= limit)
    else:
        out["late"] = False
    out["status"] = np.where(~out["reported"], "missing",
                             np.where(out["late"], "late", "reported"))
    extra = sorted(set(first.index) - set(out["facility_id"]))
    if extra:
        out = pd.concat([out, pd.DataFrame({"facility_id": extra,
                                            "submitted_at": first[extra].to_numpy(),
                                            "reported": True, "late": False,
                                            "status": "not on the list"})],
                        ignore_index=True)
    return out


def year_on_year(inventory: object, *, threshold: float = 0.10,
                 by: str = "facility_id") -> pd.DataFrame:
    """Changes of direct emissions from one year to the next above ``threshold``.

    Returns
    -------
    pandas.DataFrame
        ``<by>, year, co2e_kg, previous_co2e_kg, change`` (relative) and ``flagged``
        (|change| > threshold, or emissions appearing from zero).
    """
    table = inventory.rollup(by=[by, "year"])  # type: ignore[attr-defined]
    table = table.sort_values([by, "year"]).reset_index(drop=True)
    previous = table.groupby(by, observed=True)["co2e_kg"].shift(1)
    gap = table["year"] - table.groupby(by, observed=True)["year"].shift(1)
    table["previous_co2e_kg"] = np.where(gap == 1, previous, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["change"] = (table["co2e_kg"] - table["previous_co2e_kg"]) / \
            table["previous_co2e_kg"].abs()
    table["flagged"] = table["change"].abs() > threshold
    return table[[by, "year", "co2e_kg", "previous_co2e_kg", "change", "flagged"]]


def to_current_communes(activities: pd.DataFrame, crosswalk: str | Path | pd.DataFrame, *,
                        number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """Activity rows with their ``commune`` mapped to today's unit through a crosswalk.

    Parameters
    ----------
    activities : pandas.DataFrame
        Activity rows whose ``commune`` may name a former commune (and ``district`` a
        former district).
    crosswalk : path or DataFrame
        ``old_commune``, optional ``old_district``, ``new_commune``, optional ``share``
        (of the old commune's area or activity going to the new one; shares of one old
        commune sum to 1). A split commune makes one row per new unit, with the amount
        multiplied by the share.
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text in the crosswalk and in the rows' ``amount`` are read
        (see :func:`read_table`): without it a share such as ``1.000`` (one, or a
        thousand) is refused unless its column settles the convention.

    Returns
    -------
    pandas.DataFrame
        The rows, ``commune`` as today, ``former_commune`` kept.

    Raises
    ------
    ActivityValidationError
        Shares of an old commune not summing to 1, or not numbers (ambiguous ones
        without a declared format).
    """
    walk = read_table(crosswalk, "crosswalk", text=True, numbers=("share",),
                      number_format=number_format)
    _require(walk, ("old_commune", "new_commune"))
    if "share" not in walk:
        walk["share"] = 1.0
    keys = ["old_commune"] + (["old_district"] if "old_district" in walk else [])
    sums = walk.groupby(keys)["share"].sum()
    bad = sums[(sums - 1.0).abs() > 1e-6]
    if len(bad):
        raise ActivityValidationError([Problem(str(walk["_file"].iloc[0]), None, "share",
                                               f"{k}: {v:g}", "shares of an old commune must "
                                               "sum to 1") for k, v in bad.items()])
    left = _amounts(activities, as_number_format(number_format))
    left["former_commune"] = left["commune"]
    on = {"commune": "old_commune"}
    if "old_district" in walk:
        if "district" not in left:
            raise GHGInventoryError("the crosswalk has old_district: the activity rows need "
                                    "a district column")
        on["district"] = "old_district"
    merged = left.merge(walk.drop(columns=["_file", "_row"]).rename(
        columns={v: k for k, v in on.items()}), on=list(on), how="left")
    mapped = merged["new_commune"].notna()
    merged.loc[mapped, "commune"] = merged.loc[mapped, "new_commune"]
    share = merged["share"].fillna(1.0)
    # text that is no number stays as written, for the activity validation to name
    amount = pd.to_numeric(merged["amount"].where(~text_cells(merged["amount"])),
                           errors="coerce")
    merged["amount"] = np.where((share != 1.0) & amount.notna(), amount * share,
                                merged["amount"])
    return merged.drop(columns=["new_commune", "share"])


def _amounts(activities: pd.DataFrame, fmt: NumberFormat | None) -> pd.DataFrame:
    """A copy of activity rows with ``amount`` written as text read under ``fmt`` (rows
    not yet read by :func:`ghg_inventory.read_activities` are named by position)."""
    frame = activities.copy()
    if "amount" not in frame:
        return frame
    where = frame if FILE_COL in frame and ROW_COL in frame else frame.assign(
        **{FILE_COL: "<activities>", ROW_COL: np.arange(len(frame))})
    frame["amount"] = read_numbers(where, ["amount"], fmt, file_col=FILE_COL,
                                   row_col=ROW_COL)["amount"].to_numpy()
    return frame


def plan_progress(observed: str | Path | pd.DataFrame, *,
                  number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """The plan's indicators against observed values.

    Parameters
    ----------
    observed : path or DataFrame
        ``target`` (a key of ``data/plan_targets.csv``), ``year``, ``value`` (in the
        target's unit): computed (forest cover, renewable share ...) or entered.
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text are read (see :func:`read_table`): ``"vi"`` reads
        ``31.200`` ha of rice land as 31200; without a format it is refused unless its
        column settles the convention.

    Returns
    -------
    pandas.DataFrame
        Per target (every target of the plan, observed or not) and observed year: the
        target value, unit and year, the observed value, ``progress_pct`` (observed /
        target x 100) and ``met`` (observed >= target), with the target's source.
    """
    from .indicators import plan_targets

    targets = plan_targets().reset_index()
    seen = read_table(observed, "observed indicators", text=True, numbers=("year", "value"),
                      number_format=number_format)
    _require(seen, ("target", "year", "value"))
    known = set(targets["target"])
    problems = [Problem(str(f), int(r), "target", str(t), "not a target of the plan")
                for f, r, t in zip(seen["_file"], seen["_row"], seen["target"], strict=True)
                if t not in known]
    if problems:
        raise ActivityValidationError(problems)
    out = targets.rename(columns={"value": "target_value", "year": "target_year"}).merge(
        seen[["target", "year", "value"]].rename(columns={"value": "observed"}),
        on="target", how="left")
    out["progress_pct"] = 100.0 * out["observed"] / out["target_value"]
    out["met"] = out["observed"] >= out["target_value"]
    return out[["target", "unit", "target_value", "target_year", "year", "observed",
                "progress_pct", "met", "source"]]
