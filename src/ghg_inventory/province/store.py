"""The submissions store: facility reports validated, computed and kept in an embedded DuckDB
file (nothing to install or start), with their history.

Guarantees
----------
* A report is validated and computed before anything is written; a rejected file leaves the
  store as it was. Writing is one transaction: a failure half-way (a crash, a full disk)
  leaves no half-written rows.
* A new submission supersedes, for its years, every earlier submission of the same
  facility; the history keeps them all (with the time, file hash and reason of each).
  Submitting the same file again changes nothing.
* Only :func:`submit` creates a store: every reading function refuses a path that is no
  store ("<path>: no such store") and opens the file read-only.
* Every failure of the store itself (a lock, a damaged file, a full disk) is a
  :class:`~ghg_inventory.errors.StoreError` naming the store, never a DuckDB traceback.

Concurrency: one writer at a time
---------------------------------
DuckDB locks the store file per process: a writer (:func:`submit`, :func:`connect`) holds
an exclusive lock, readers (every reading function) a shared one. So any number of readers
may read at once, but a writer waits for the readers and the other writer to finish, and
readers wait for the writer. A writer holds the lock only while it writes (a report is read,
validated and computed before the store is opened, so for well under a second for a
facility's report). Whoever finds the store locked tries again with a growing, jittered
pause for up to :data:`WAIT_SECONDS` in all (the keyword ``wait`` of :func:`submit` and
:func:`connect`, or the environment variable ``GHG_INVENTORY_STORE_WAIT``, in seconds),
then gives up with :class:`~ghg_inventory.errors.StoreBusyError`: "<path>: the store is in
use by another process; try again". One writer at a time is enough for a provincial office
(a few hundred reports a year); a store on a network share is not supported, as DuckDB's
file lock may not hold there.

Crash safety
------------
A submission's row, its activity rows and its emissions are written in one transaction,
and the submission row records how many activity and emission rows it has. DuckDB writes
big inserts straight into the file before the commit (its optimistic writes), and a
process killed in the instant of committing can leave part of such a transaction in the
file: rows of a submission that has no ``submissions`` row (orphans), or a submission
with fewer rows than it records. Every opening of the store checks for both (one query)
and **repairs**: it deletes the remains of the unfinished submission (whose process never
reported it stored), records the repair in the table ``repairs`` and says so with a
:class:`~ghg_inventory.errors.StoreRepairedWarning` (the CLI prints it as a note). A
reader that finds a damaged store repairs it the same way (opening it for writing for
the moment of the repair), or refuses if it cannot. Submission ids never collide with
such remains: a new id is one more than every id in ``submissions``, ``activities``,
``emissions`` and the counter ``submission_ids`` (which keeps the ids of removed remains
from being used again). A store written before these columns existed is migrated on its
first opening for writing; its old submissions have no recorded row counts and are not
checked for them.

The current view
----------------
A submission *reaches* from the first to the last year of its reporting period, of its
activity rows and of its emissions (a landfill's report may hold the deposits of earlier
years, and its decay may run past the period). Per facility and year, the *current*
submission is the latest one (highest ``submission_id``) reaching that year; an earlier
submission stays current for the years no later one reaches. So a correction of 2024 alone
after a report of 2023-2024 replaces 2024 and leaves 2023 as first reported, and nothing is
counted twice. Every reading function uses this one view (:func:`current_years`):
:func:`current_emissions` and :func:`current_activities` keep the rows of each
submission's current years, :func:`submissions` lists a submission as ``current`` while it
has a current year (``current_years`` says which) and ``superseded`` once it has none;
:func:`load_inventory`, and through it the provincial report, reads
:func:`current_activities`.
* Every submission records the library version, GWP set, guidelines and factor tables used,
  so any total can be recomputed and explained; and which override tables and named factor
  sets (``factors``: a path or the name of a set shipped in ``emission_factors/sets/``,
  :mod:`ghg_inventory.factor_sets`) it was computed with, so that a value taken from a
  provisional set (the Viet Nam grid estimates of ``provisional-grid``) can be found and
  recalculated when the official value is published (:func:`factor_sets_used`,
  :func:`ghg_inventory.analysis.recalculation.factor_change`).

Schema
------
``submissions``: ``submission_id`` (int), ``facility_id``, ``facility_name``, ``commune``,
``period_start``, ``period_end`` (years), ``submitted_at`` (UTC timestamp), ``file_name``,
``file_hash`` (SHA-256 of the file), ``reason``, ``status`` (``current`` | ``superseded``),
``superseded_by`` (int: the submission that took its last current year; null while
current), ``library_version``, ``gwp``, ``guidelines``,
``factor_tables`` (JSON list), ``facility`` (JSON of the facility sheet),
``direct_co2e_kg``, ``indirect_co2e_kg`` (the whole report's, as submitted; the reading
functions add ``current_years`` and ``current_direct_co2e_kg``, its share in the current
view), ``activity_rows``, ``emission_rows`` (how many rows the submission wrote; null in
stores written before they were recorded), ``factor_sets`` (JSON list, one object per item
of ``factors``: ``{"kind": "set", "name", "status", "provisional", "sha256"}`` for a shipped
set, ``{"kind": "table", "path", "sha256"}`` for the user's table; ``[]`` for the defaults
alone; null in stores written before it was recorded).

``activities``: ``submission_id``, ``row_number`` (order in the file), ``source_file``,
``source_row``, ``record`` (JSON of the row as read: every column, parameters included).

``emissions``: ``submission_id``, ``facility_id``, ``facility_name``, ``commune``, ``year``,
``category``, ``activity``, ``gas``, ``emissions_kg``, ``co2e_kg``, ``scope``, ``biogenic``,
``fossil``, ``factor_id``, ``tier``, ``guidelines``, ``source_row``.

``submission_ids``: ``last_id``, the highest submission id ever given (one row).

``repairs``: ``repaired_at`` (UTC timestamp), ``submission_id``, ``what`` (``orphan rows``,
``unfinished submission`` or ``dangling superseded_by``), ``emission_rows``,
``activity_rows`` (how many were deleted).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ghg_inventory.errors import (
    GHGInventoryError,
    StoreError,
)
from ghg_inventory.factor_sets import mark_provisional, specs_record
from ghg_inventory.i18n.messages import Message, joined, msg
from ghg_inventory.province.store_db import (  # noqa: F401 - connect, WAIT_*: this module's API
    WAIT_SECONDS,
    WAIT_VARIABLE,
    advance_ids,
    close_store,
    connect,
    first_line,
    reading,
    rollback,
)

EMISSION_COLUMNS = ("facility_id", "facility_name", "commune", "year", "category", "activity",
                    "gas", "emissions_kg", "co2e_kg", "scope", "biogenic", "fossil",
                    "factor_id", "tier", "guidelines", "source_row")


@dataclass(frozen=True)
class Submission:
    """What :func:`submit` did."""

    submission_id: int
    facility_id: str
    period: tuple[int, int]
    #: "stored", "unchanged" (the same file again) or "superseded N" (every year of
    #: submission N), "superseded N for 2024" (some of its years), several joined by "; ";
    #: a message (:func:`ghg_inventory.i18n.messages.say` says it in Vietnamese)
    status: str


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _single_facility(values: pd.Series, path: Path) -> str:
    distinct = sorted({str(v) for v in values.dropna()})
    if len(distinct) != 1:
        raise GHGInventoryError(msg("province.store.one_facility", file=path.name,
                                    found=", ".join(distinct) or msg("province.store.none")))
    return distinct[0]


def submit(report: str | Path, store: str | Path, *, reason: str = "", gwp: str = "AR5",
           guidelines: str = "2006", factors: Any = None,
           number_format: Any = None, wait: float | None = None) -> Submission:
    """Validate, compute and store a facility's report.

    Parameters
    ----------
    report : path
        The facility's report (a filled template workbook, or any activity table of one
        facility: CSV, Excel, Parquet).
    store : path
        The DuckDB store file (created if missing).
    reason : str
        Why a resubmission replaces the previous one (kept in the history).
    gwp, guidelines, factors, number_format
        As for :func:`ghg_inventory.compute` (``number_format``: how numbers written as
        text are read, in the report and in the user's factor tables; the rows are stored
        as read, in numbers). ``factors`` may name shipped factor sets
        (``"provisional-grid"``); what it held is recorded (``factor_sets``).
    wait : float, optional
        How long to wait in all for another process to release the store; default
        ``GHG_INVENTORY_STORE_WAIT`` or :data:`WAIT_SECONDS`. [s]

    Returns
    -------
    Submission

    Raises
    ------
    ActivityValidationError
        The report has problems; nothing was written.
    StoreBusyError
        Another process held the store for longer than ``wait``; nothing was written.
    StoreError
        The store cannot be opened or written; nothing was written.
    GHGInventoryError
        The report is for several facilities.
    """
    from ghg_inventory._version import __version__
    from ghg_inventory.api import compute
    from ghg_inventory.province.template import is_template, read_facility
    from ghg_inventory.readers import read_activities

    path = Path(report)
    if not path.exists():
        raise GHGInventoryError(msg("province.tables.no_such_file", path=path))
    digest = _hash(path)
    # read once: the rows as the facility wrote them are stored, their computation too
    raw = read_activities(path, number_format=number_format)
    inventory = compute(raw.copy(), gwp=gwp, guidelines=guidelines, factors=factors,
                        number_format=number_format)
    chosen = json.dumps(specs_record(factors), ensure_ascii=False)
    original = inventory.source_activities
    facility_id = _single_facility(original["facility_id"], path)
    years = original["year"].astype(int)
    facility = read_facility(path) if path.suffix.lower() in (".xlsx", ".xlsm") \
        and is_template(path) else {}
    start = int(facility.get("year_from", years.min()))
    end = int(facility.get("year_to", years.max()))
    name = str(original["facility_name"].iloc[0]) if "facility_name" in original else ""
    commune = str(original["commune"].iloc[0]) if "commune" in original else ""
    emissions = inventory.emissions
    frame = pd.DataFrame({c: emissions[c] if c in emissions else None
                          for c in EMISSION_COLUMNS})
    for column in ("facility_id", "facility_name", "commune", "category", "activity", "gas",
                   "scope", "factor_id", "guidelines"):
        frame[column] = _text(frame[column], str)
    # the rows as written (the computed table holds amounts converted to canonical units)
    records = _records(raw.drop(columns=["source_file", "source_row"], errors="ignore"))
    direct = float(inventory.total().m_as("kg CO2e"))
    indirect_rows = emissions["scope"].astype(str) == "indirect"
    indirect = float(inventory.co2e()[indirect_rows.to_numpy()].sum())
    import duckdb

    con = connect(store, wait=wait)
    try:
        before = _current_years(con, store)
        before = before[before["facility_id"] == facility_id]
        # the same file read the same way: a file read under another number format, or
        # computed with other factors or GWP set, gives other numbers and is no repeat
        same = con.execute(
            "SELECT submission_id FROM submissions WHERE facility_id = ? AND period_start = ? "
            "AND period_end = ? AND file_hash = ? AND gwp = ? AND guidelines = ? "
            "AND direct_co2e_kg = ? AND indirect_co2e_kg = ? "
            "AND coalesce(factor_sets, '[]') = ? ORDER BY submission_id DESC",
            [facility_id, start, end, digest, gwp, guidelines, direct, indirect,
             chosen]).fetchall()
        reach = _reach(con, store).set_index("submission_id")
        for (same_id,) in same:
            # the same file again changes nothing while it is still current for every
            # year it reaches; after a later submission took some, it is a new submission
            held = int((before["submission_id"] == same_id).sum())
            if held == reach.at[same_id, "last_year"] - reach.at[same_id, "first_year"] + 1:
                return Submission(int(same_id), facility_id, (start, end),
                                  msg("province.store.unchanged"))
        con.execute("BEGIN TRANSACTION")
        try:
            # above every id any table holds, removed remains included: no row a killed
            # submit left can ever be taken for this submission's
            new_id = int(con.execute(
                "SELECT greatest((SELECT coalesce(max(submission_id), 0) FROM submissions), "
                "(SELECT coalesce(max(submission_id), 0) FROM activities), "
                "(SELECT coalesce(max(submission_id), 0) FROM emissions), "
                "(SELECT coalesce(max(last_id), 0) FROM submission_ids)) + 1").fetchone()[0])
            advance_ids(con, new_id)
            # the row counts let every later opening tell a complete submission from the
            # remains of one whose process was killed while committing
            con.execute(
                "INSERT INTO submissions (submission_id, facility_id, facility_name, commune, "
                "period_start, period_end, submitted_at, file_name, file_hash, reason, status, "
                "superseded_by, library_version, gwp, guidelines, factor_tables, facility, "
                "direct_co2e_kg, indirect_co2e_kg, activity_rows, emission_rows, "
                "factor_sets) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current', NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new_id, facility_id, name, commune, start, end, datetime.now(UTC)
                 .replace(tzinfo=None), path.name, digest, reason, __version__, gwp,
                 guidelines, json.dumps(inventory.meta.get("factor_tables", [])),
                 json.dumps(facility, ensure_ascii=False), direct, indirect, len(records),
                 len(frame), chosen])
            acts = pd.DataFrame({
                "submission_id": new_id, "row_number": np.arange(len(records)),
                "source_file": raw["source_file"].astype(str).to_numpy(),
                "source_row": raw["source_row"].astype(int).to_numpy(),
                "record": records})
            con.register("new_activities", acts)
            con.execute("INSERT INTO activities SELECT * FROM new_activities")
            con.unregister("new_activities")
            _insert_emissions(con, frame.assign(submission_id=new_id))
            taken = _supersede(con, store, before, new_id)
            con.execute("COMMIT")
        except BaseException:
            rollback(con)
            raise
    except duckdb.Error as exc:
        raise StoreError(msg("province.store.cannot_write", path=store,
                             detail=first_line(exc))) from exc
    finally:
        close_store(con, store)
    return Submission(new_id, facility_id, (start, end), taken or msg("province.store.stored"))


def _text(values: pd.Series, encode: Any) -> np.ndarray:
    """``encode(str(v))`` of every value, None where missing: once per distinct value, so
    a report of many rows and few names costs a few calls."""
    if values.dtype == object or pd.api.types.is_float_dtype(values.dtype):
        # str() first: distinct texts may hash alike as values (1 and 1.0, 0.0 and -0.0)
        values = values.astype(str).where(values.notna())
    codes, uniques = pd.factorize(values)
    encoded = np.array([encode(str(v)) for v in uniques] + [None], dtype=object)
    return encoded[codes]  # code -1 (missing) takes the None at the end


def _records(table: pd.DataFrame) -> np.ndarray:
    """Each row as the JSON object ``json.dumps({column: str(value) or None, ...},
    ensure_ascii=False)`` writes, built a column at a time."""
    out = np.full(len(table), "{", dtype=object)
    for i, column in enumerate(table.columns):
        values = _text(table[column], lambda v: json.dumps(v, ensure_ascii=False))
        values[pd.isna(values)] = "null"
        out = out + (", " if i else "") + json.dumps(str(column), ensure_ascii=False) + \
            ": " + values
    return out + "}"


def _supersede(con: Any, store: str | Path, before: pd.DataFrame,
               new_id: int) -> Message | str:
    """Mark the submissions of the facility left without a current year as superseded by
    ``new_id``; say which years the new submission took from which submission."""
    after = _current_years(con, store)
    lost = before.merge(after[after["submission_id"] == new_id][["facility_id", "year"]],
                        on=["facility_id", "year"])
    said: list[Message] = []
    for old_id, years in lost.groupby("submission_id")["year"]:
        left = after[after["submission_id"] == old_id]
        if left.empty:
            con.execute("UPDATE submissions SET status = 'superseded', superseded_by = ? "
                        "WHERE submission_id = ?", [new_id, int(old_id)])
            said.append(msg("province.store.superseded_all", submission=old_id))
        else:
            said.append(msg("province.store.superseded_years", submission=old_id,
                            years=_spans(years.to_numpy())))
    return msg("province.store.superseded", which=joined(said, "; ")) if said else ""


def _spans(years: np.ndarray) -> str:
    """``2022-2023, 2025`` for the years 2022, 2023 and 2025."""
    years = np.unique(np.asarray(years, dtype=np.int64))
    if not len(years):
        return ""
    breaks = np.flatnonzero(np.diff(years) != 1)
    starts = years[np.r_[0, breaks + 1]]
    ends = years[np.r_[breaks, len(years) - 1]]
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in zip(starts, ends,
                                                                        strict=True))


def _activity_years(con: Any, store: str | Path, where: str = "",
                    parameters: list[Any] | None = None) -> pd.DataFrame:
    """``submission_id``, ``row_number`` and ``year`` of stored activity rows.

    The rows are stored as written; their year is read as the validator read it when they
    were submitted (a number, whole). One that no longer reads so is refused, not dropped.
    """
    rows = con.execute("SELECT submission_id, row_number, source_file, source_row, "
                       "json_extract_string(record, '$.year') AS year FROM activities "
                       f"{where}", parameters or []).df()
    text = rows["year"].astype("string").str.strip()
    year = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.flatnonzero(~np.isfinite(year) | (year != np.round(year)))
    if len(bad):
        first = rows.iloc[bad[0]]
        raise GHGInventoryError(msg(
            "province.store.unreadable_years", path=store, count=len(bad),
            submission=first["submission_id"], file=first["source_file"],
            row=first["source_row"], value=first["year"]))
    return pd.DataFrame({"submission_id": rows["submission_id"].to_numpy(dtype=np.int64),
                         "row_number": rows["row_number"].to_numpy(dtype=np.int64),
                         "year": year.astype(np.int64)})


def _reach(con: Any, store: str | Path) -> pd.DataFrame:
    """Per submission: ``facility_id``, ``first_year``, ``last_year`` of its period, its
    activity rows and its emissions."""
    subs = con.execute("SELECT submission_id, facility_id, period_start, period_end FROM "
                       "submissions").df()
    emitted = con.execute("SELECT submission_id, min(year) AS lo, max(year) AS hi FROM "
                          "emissions GROUP BY submission_id").df()
    acts = _activity_years(con, store).groupby("submission_id")["year"].agg(["min", "max"])
    reach = subs.set_index("submission_id")
    lo = pd.concat([reach["period_start"], emitted.set_index("submission_id")["lo"],
                    acts["min"]], axis=1).min(axis=1)
    hi = pd.concat([reach["period_end"], emitted.set_index("submission_id")["hi"],
                    acts["max"]], axis=1).max(axis=1)
    return pd.DataFrame({"submission_id": reach.index.to_numpy(dtype=np.int64),
                         "facility_id": reach["facility_id"].to_numpy(),
                         "first_year": lo.reindex(reach.index).to_numpy(dtype=np.int64),
                         "last_year": hi.reindex(reach.index).to_numpy(dtype=np.int64)})


def _current_years(con: Any, store: str | Path) -> pd.DataFrame:
    """The current view: per facility and year, the latest submission reaching that year.

    Returns
    -------
    pandas.DataFrame
        ``facility_id``, ``year``, ``submission_id``: one row per facility and year.
    """
    reach = _reach(con, store)
    length = (reach["last_year"] - reach["first_year"] + 1).to_numpy()
    owner = np.repeat(np.arange(len(reach)), length)
    # the years of each submission: its first year plus 0, 1, ... within its run
    offset = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length)
    years = pd.DataFrame({
        "facility_id": reach["facility_id"].to_numpy()[owner],
        "year": reach["first_year"].to_numpy()[owner] + offset,
        "submission_id": reach["submission_id"].to_numpy()[owner]})
    current = years.groupby(["facility_id", "year"], as_index=False)["submission_id"].max()
    return current.sort_values(["facility_id", "year"], ignore_index=True)


def current_years(store: str | Path) -> pd.DataFrame:
    """Which submission is current for each facility and year (see the module's text).

    Returns
    -------
    pandas.DataFrame
        ``facility_id``, ``year``, ``submission_id``.

    Raises
    ------
    GHGInventoryError
        The path is no store.
    """
    with reading(store) as con:
        return _current_years(con, store)


def _with_current_years(con: Any, store: str | Path, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (submissions) with ``status``, ``current_years`` and
    ``current_direct_co2e_kg`` from the current view."""
    current = _current_years(con, store)
    spans = current.groupby("submission_id")["year"].agg(lambda y: _spans(y.to_numpy()))
    # direct emissions of the current years alone, counted as totals count them (biogenic
    # CO2 and indirect rows apart): direct_co2e_kg is the whole report's, as submitted
    con.register("current_years_view", current[["submission_id", "year"]])
    try:
        counted = con.execute(
            "SELECT e.submission_id, sum(e.co2e_kg) AS kg FROM emissions e JOIN "
            "current_years_view c ON e.submission_id = c.submission_id AND e.year = c.year "
            "WHERE e.scope = 'direct' AND NOT coalesce(e.biogenic, false) "
            "GROUP BY e.submission_id").df().set_index("submission_id")["kg"]
    finally:
        con.unregister("current_years_view")
    out = table.copy()
    out["current_years"] = out["submission_id"].map(spans).fillna("").astype(str)
    out["status"] = np.where(out["current_years"] != "", "current", "superseded")
    out["current_direct_co2e_kg"] = out["submission_id"].map(counted).fillna(0.0).astype(float)
    return out


def _insert_emissions(con: Any, frame: pd.DataFrame) -> None:
    columns = ["submission_id", *EMISSION_COLUMNS]
    con.register("new_emissions", frame[columns])
    con.execute("INSERT INTO emissions SELECT * FROM new_emissions")
    con.unregister("new_emissions")


def submissions(store: str | Path, *, history: bool = False) -> pd.DataFrame:
    """The submissions in the store: those current for at least one year, or all with
    ``history=True``; ``current_years`` says for which years each one is current."""
    with reading(store) as con:
        table = _with_current_years(con, store, con.execute(
            "SELECT * FROM submissions ORDER BY facility_id, period_start, submission_id").df())
    if not history:
        table = table[table["status"] == "current"].reset_index(drop=True)
    return table


def facility_history(store: str | Path, facility_id: str) -> pd.DataFrame:
    """Every submission of one facility, oldest first, with its status, the years it is
    still current for, and its reason."""
    with reading(store) as con:
        return _with_current_years(con, store, con.execute(
            "SELECT submission_id, period_start, period_end, submitted_at, file_name, "
            "file_hash, reason, status, superseded_by, direct_co2e_kg FROM submissions "
            "WHERE facility_id = ? ORDER BY submission_id", [facility_id]).df())


def current_emissions(store: str | Path) -> pd.DataFrame:
    """The emissions rows of each submission's current years, as stored when submitted."""
    with reading(store) as con:
        current = _current_years(con, store)[["submission_id", "year"]]
        con.register("current_years_view", current)
        try:
            return con.execute("SELECT e.* FROM emissions e JOIN current_years_view c ON "
                               "e.submission_id = c.submission_id AND e.year = c.year "
                               "ORDER BY e.submission_id, e.year").df()
        finally:
            con.unregister("current_years_view")


def current_activities(store: str | Path) -> pd.DataFrame:
    """The activity rows of each submission's current years (every column as submitted)."""
    with reading(store) as con:
        current = _current_years(con, store)
        ids = sorted(set(current["submission_id"].astype(int)))
        where = "WHERE submission_id IN (SELECT unnest(?))"
        years = _activity_years(con, store, where, [ids])
        rows = con.execute("SELECT submission_id, row_number, source_file, source_row, record "
                           f"FROM activities {where}", [ids]).df()
    rows = rows.merge(years, on=["submission_id", "row_number"])
    rows = rows.merge(current[["submission_id", "year"]], on=["submission_id", "year"])
    rows = rows.sort_values(["submission_id", "row_number"], ignore_index=True)
    table = pd.DataFrame([json.loads(r) for r in rows["record"]])
    for column in ("source_file", "source_row"):
        table[column] = rows[column].to_numpy()
    table["submission_id"] = rows["submission_id"].to_numpy()
    return table


def load_inventory(store: str | Path, *, gwp: str | None = None,
                   extra: list[Any] | None = None, **options: Any) -> Any:
    """Recompute the inventory of the current view (each facility's activity rows of the
    years each submission is current for; see the module's text) with today's library and
    factors.

    The stored emissions are what each facility submitted; comparing them with this
    recomputation shows the effect of a factor or library change (a recalculation).
    ``factors`` in ``options`` (paths or shipped set names) is what the recomputation
    uses, whatever the submissions recorded (:func:`factor_sets_used`): a year computed
    with ``provisional-grid`` at submission is refused here unless the set is chosen
    again or the official value has been added to the shipped tables since. A result
    resting on a provisional set says so in ``meta["provisional_factor_sets"]``.
    ``extra`` adds activity tables that are no facility's report (the province's own
    compilation of farms, households, communes' wastewater ...).
    """
    from ghg_inventory.api import compute

    table = current_activities(store)
    if table.empty:
        raise GHGInventoryError(msg("province.store.no_submissions", path=store))
    sets = submissions(store)["gwp"].unique()
    chosen = gwp or (str(sets[0]) if len(sets) == 1 else "AR5")
    frame = table.drop(columns=["submission_id"])
    # keep where every row came from: one pseudo-file per submitted file
    frame["source_file"] = pd.Categorical(frame["source_file"].astype(str))
    frame["source_row"] = frame["source_row"].astype(np.int32)
    # the rows were stored as read, numbers as Python writes them (decimal point, no
    # grouping: '1.125' is 1.125); ``number_format`` in options is for the extra tables
    from ghg_inventory.numbers import NumberFormat
    from ghg_inventory.readers import read_activities

    frame = read_activities(frame, number_format=NumberFormat(decimal=".", thousands=None))
    inventory = compute([frame, *(extra or [])], gwp=chosen, **options)
    mark_provisional(inventory.meta)  # the report shows every key of the metadata
    return inventory


def factor_sets_used(store: str | Path, *, history: bool = False) -> pd.DataFrame:
    """Which override tables and shipped factor sets each submission was computed with.

    Returns
    -------
    pandas.DataFrame
        Per submission (the current ones, or all with ``history=True``):
        ``submission_id``, ``facility_id``, ``period_start``, ``period_end``, ``status``,
        ``sets`` (names of the shipped sets, ``"; "``-joined), ``provisional`` (whether
        one of them is provisional), ``tables`` (paths of the user's tables) and
        ``recorded`` (False for submissions of stores written before this was kept).
    """
    table = submissions(store, history=history)
    if "factor_sets" not in table:  # a store no submit has migrated yet
        table["factor_sets"] = None
    sets, provisional, tables, recorded = [], [], [], []
    for text in table["factor_sets"]:
        items = json.loads(text) if isinstance(text, str) else None
        recorded.append(items is not None)
        items = items or []
        sets.append("; ".join(i["name"] for i in items if i.get("kind") == "set"))
        provisional.append(any(i.get("provisional") for i in items))
        tables.append("; ".join(i["path"] for i in items if i.get("kind") == "table"))
    out = table[["submission_id", "facility_id", "period_start", "period_end",
                 "status"]].copy()
    out["sets"], out["provisional"], out["tables"], out["recorded"] = (
        sets, provisional, tables, recorded)
    return out
