"""The province's side of the reporting period: who has reported, what changed, which
communes (before and after the 2025 reorganisation) and how the plan's indicators stand.

* :func:`completeness`: the facilities obliged to report (a list the user loads, e.g. from
  the Prime Minister's decision) against the store's submissions: not reported, late;
  :func:`as_text` writes it for a reader (no ``nan``/``NaT``).
* :func:`year_on_year`: changes of a facility's direct emissions above a threshold (10 %
  by default), a recalculation trigger under the waste and industry MRV circulars.
* :func:`to_current_communes`: activity rows of former communes mapped to today's through a
  crosswalk table (Lai Châu's districts were abolished on 1 July 2025; 38 communes and wards
  remain), so earlier years roll up by today's units.
* :func:`plan_progress`: the province plan's indicators (``data/plan_targets.csv``, each with
  its target year and source) against observed values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ghg_inventory.errors import ActivityValidationError, GHGInventoryError, Problem
from ghg_inventory.i18n.messages import msg
from ghg_inventory.numbers import (
    NumberFormat,
    NumberFormatSpec,
    as_number_format,
    read_numbers,
)
from ghg_inventory.province.tables import read_table, require, text_cells
from ghg_inventory.readers import FILE_COL, ROW_COL


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
    from ghg_inventory.province.store import submissions

    listed = read_table(obliged, "obliged facilities", text=True)
    require(listed, ("facility_id",))
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
        unlisted = pd.DataFrame({"facility_id": extra, "submitted_at": first[extra].to_numpy(),
                                 "reported": True, "late": False, "status": "not on the list"})
        if "facility_name" in out and "facility_name" in done:
            # a facility off the list is named as it named itself in its report
            names = done.dropna(subset=["facility_name"]).groupby("facility_id")[
                "facility_name"].first()
            unlisted["facility_name"] = unlisted["facility_id"].map(names)
        out = pd.concat([out, unlisted], ignore_index=True)
    return out


def as_text(table: pd.DataFrame) -> pd.DataFrame:
    """A table as a reader sees it: every cell text, a missing value (no submission date,
    no name) ``–`` rather than ``nan`` or ``NaT``, a time to the minute (UTC), whole
    numbers without ``.0``."""

    def cell(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
            return "–"
        if isinstance(value, pd.Timestamp):
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    return table.astype(object).apply(lambda column: column.map(cell))


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
    require(walk, ("old_commune", "new_commune"))
    if "share" not in walk:
        walk["share"] = 1.0
    keys = ["old_commune"] + (["old_district"] if "old_district" in walk else [])
    sums = walk.groupby(keys)["share"].sum()
    bad = sums[(sums - 1.0).abs() > 1e-6]
    if len(bad):
        raise ActivityValidationError([Problem(str(walk["_file"].iloc[0]), None, "share",
                                               f"{k}: {v:g}",
                                               msg("province.completeness.shares_sum"))
                                       for k, v in bad.items()])
    left = _amounts(activities, as_number_format(number_format))
    left["former_commune"] = left["commune"]
    on = {"commune": "old_commune"}
    if "old_district" in walk:
        if "district" not in left:
            raise GHGInventoryError(msg("province.completeness.need_district"))
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
    from ghg_inventory.province.indicators import plan_targets

    targets = plan_targets().reset_index()
    seen = read_table(observed, "observed indicators", text=True, numbers=("year", "value"),
                      number_format=number_format)
    require(seen, ("target", "year", "value"))
    known = set(targets["target"])
    problems = [Problem(str(f), int(r), "target", str(t),
                        msg("province.completeness.not_a_target"))
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
