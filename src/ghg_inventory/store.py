"""The submissions store: facility reports validated, computed and kept in an embedded DuckDB
file (nothing to install or start), with their history.

Guarantees
----------
* A report is validated and computed before anything is written; a rejected file leaves the
  store as it was. Writing is one transaction: a failure half-way (a crash, a full disk)
  leaves no half-written rows.
* A resubmission for the same facility and period supersedes the previous one, which is kept
  (status ``superseded``, with the time, file hash and reason of each); submitting the same
  file again changes nothing.
* Every submission records the library version, GWP set, guidelines and factor tables used,
  so any total can be recomputed and explained.

Schema
------
``submissions``: ``submission_id`` (int), ``facility_id``, ``facility_name``, ``commune``,
``period_start``, ``period_end`` (years), ``submitted_at`` (UTC timestamp), ``file_name``,
``file_hash`` (SHA-256 of the file), ``reason``, ``status`` (``current`` | ``superseded``),
``superseded_by`` (int, null while current), ``library_version``, ``gwp``, ``guidelines``,
``factor_tables`` (JSON list), ``facility`` (JSON of the facility sheet),
``direct_co2e_kg``, ``indirect_co2e_kg``.

``activities``: ``submission_id``, ``row_number`` (order in the file), ``source_file``,
``source_row``, ``record`` (JSON of the row as read: every column, parameters included).

``emissions``: ``submission_id``, ``facility_id``, ``facility_name``, ``commune``, ``year``,
``category``, ``activity``, ``gas``, ``emissions_kg``, ``co2e_kg``, ``scope``, ``biogenic``,
``fossil``, ``factor_id``, ``tier``, ``guidelines``, ``source_row``.
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

from .errors import GHGInventoryError

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    submission_id INTEGER PRIMARY KEY, facility_id VARCHAR NOT NULL, facility_name VARCHAR,
    commune VARCHAR, period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,
    submitted_at TIMESTAMP NOT NULL, file_name VARCHAR, file_hash VARCHAR NOT NULL,
    reason VARCHAR, status VARCHAR NOT NULL, superseded_by INTEGER,
    library_version VARCHAR, gwp VARCHAR, guidelines VARCHAR, factor_tables VARCHAR,
    facility VARCHAR, direct_co2e_kg DOUBLE, indirect_co2e_kg DOUBLE);
CREATE TABLE IF NOT EXISTS activities (
    submission_id INTEGER NOT NULL, row_number INTEGER NOT NULL, source_file VARCHAR,
    source_row INTEGER, record VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS emissions (
    submission_id INTEGER NOT NULL, facility_id VARCHAR, facility_name VARCHAR,
    commune VARCHAR, year INTEGER, category VARCHAR, activity VARCHAR, gas VARCHAR,
    emissions_kg DOUBLE, co2e_kg DOUBLE, scope VARCHAR, biogenic BOOLEAN, fossil BOOLEAN,
    factor_id VARCHAR, tier INTEGER, guidelines VARCHAR, source_row INTEGER);
"""
EMISSION_COLUMNS = ("facility_id", "facility_name", "commune", "year", "category", "activity",
                    "gas", "emissions_kg", "co2e_kg", "scope", "biogenic", "fossil",
                    "factor_id", "tier", "guidelines", "source_row")


@dataclass(frozen=True)
class Submission:
    """What :func:`submit` did."""

    submission_id: int
    facility_id: str
    period: tuple[int, int]
    status: str  # "stored", "unchanged" (the same file again) or "superseded N"


def connect(store: str | Path) -> Any:
    """Open (and create if needed) a store file."""
    import duckdb

    con = duckdb.connect(str(store))
    con.execute(SCHEMA)
    return con


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _single(values: pd.Series, what: str, path: Path) -> str:
    distinct = sorted({str(v) for v in values.dropna()})
    if len(distinct) != 1:
        raise GHGInventoryError(f"{path.name}: a report is for one {what}; found "
                                f"{', '.join(distinct) or 'none'}")
    return distinct[0]


def submit(report: str | Path, store: str | Path, *, reason: str = "", gwp: str = "AR5",
           guidelines: str = "2006", factors: Any = None) -> Submission:
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
    gwp, guidelines, factors
        As for :func:`ghg_inventory.compute`.

    Returns
    -------
    Submission

    Raises
    ------
    ActivityValidationError
        The report has problems; nothing was written.
    GHGInventoryError
        The report is for several facilities, or the store cannot be written.
    """
    from . import __version__
    from .activity import read_activities
    from .engine import compute
    from .template import is_template, read_facility

    path = Path(report)
    if not path.exists():
        raise GHGInventoryError(f"{path}: no such file")
    digest = _hash(path)
    # read once: the rows as the facility wrote them are stored, their computation too
    raw = read_activities(path)
    inventory = compute(raw.copy(), gwp=gwp, guidelines=guidelines, factors=factors)
    table = inventory.activities
    original = table[table["_source_pos"] < 0] if "_source_pos" in table else table
    facility_id = _single(original["facility_id"], "facility", path)
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
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        frame[column] = [None if v is None else str(v) for v in frame[column]]
    # the rows as written (the computed table holds amounts converted to canonical units)
    records = [json.dumps({k: None if pd.isna(v) else str(v) for k, v in row.items()
                           if k not in ("source_file", "source_row")}, ensure_ascii=False)
               for row in raw.to_dict("records")]
    direct = float(inventory.total().m_as("kg CO2e"))
    indirect_rows = emissions["scope"].astype(str) == "indirect"
    indirect = float(inventory.co2e()[indirect_rows.to_numpy()].sum())
    con = connect(store)
    try:
        same = con.execute(
            "SELECT submission_id FROM submissions WHERE facility_id = ? AND period_start = ? "
            "AND period_end = ? AND status = 'current' AND file_hash = ?",
            [facility_id, start, end, digest]).fetchone()
        if same is not None:
            return Submission(int(same[0]), facility_id, (start, end), "unchanged")
        con.execute("BEGIN TRANSACTION")
        try:
            new_id = int(con.execute("SELECT coalesce(max(submission_id), 0) + 1 FROM "
                                     "submissions").fetchone()[0])
            previous = con.execute(
                "SELECT submission_id FROM submissions WHERE facility_id = ? AND "
                "period_start = ? AND period_end = ? AND status = 'current'",
                [facility_id, start, end]).fetchall()
            con.execute("UPDATE submissions SET status = 'superseded', superseded_by = ? "
                        "WHERE facility_id = ? AND period_start = ? AND period_end = ? AND "
                        "status = 'current'", [new_id, facility_id, start, end])
            con.execute(
                "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current', NULL, "
                "?, ?, ?, ?, ?, ?, ?)",
                [new_id, facility_id, name, commune, start, end, datetime.now(UTC)
                 .replace(tzinfo=None), path.name, digest, reason, __version__, gwp,
                 guidelines, json.dumps(inventory.meta.get("factor_tables", [])),
                 json.dumps(facility, ensure_ascii=False), direct, indirect])
            acts = pd.DataFrame({
                "submission_id": new_id, "row_number": np.arange(len(records)),
                "source_file": raw["source_file"].astype(str).to_numpy(),
                "source_row": raw["source_row"].astype(int).to_numpy(),
                "record": records})
            con.register("new_activities", acts)
            con.execute("INSERT INTO activities SELECT * FROM new_activities")
            con.unregister("new_activities")
            _insert_emissions(con, frame.assign(submission_id=new_id))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    status = "stored" if not previous else f"superseded {previous[0][0]}"
    return Submission(new_id, facility_id, (start, end), status)


def _insert_emissions(con: Any, frame: pd.DataFrame) -> None:
    columns = ["submission_id", *EMISSION_COLUMNS]
    con.register("new_emissions", frame[columns])
    con.execute("INSERT INTO emissions SELECT * FROM new_emissions")
    con.unregister("new_emissions")


def submissions(store: str | Path, *, history: bool = False) -> pd.DataFrame:
    """The submissions in the store: current ones, or all with ``history=True``."""
    con = connect(store)
    try:
        where = "" if history else "WHERE status = 'current'"
        return con.execute(f"SELECT * FROM submissions {where} ORDER BY facility_id, "
                           "period_start, submission_id").df()
    finally:
        con.close()


def facility_history(store: str | Path, facility_id: str) -> pd.DataFrame:
    """Every submission of one facility, oldest first, with its status and reason."""
    con = connect(store)
    try:
        return con.execute("SELECT submission_id, period_start, period_end, submitted_at, "
                           "file_name, file_hash, reason, status, superseded_by, "
                           "direct_co2e_kg FROM submissions WHERE facility_id = ? ORDER BY "
                           "submission_id", [facility_id]).df()
    finally:
        con.close()


def current_emissions(store: str | Path) -> pd.DataFrame:
    """The emissions rows of the current submissions, as stored when submitted."""
    con = connect(store)
    try:
        return con.execute("SELECT e.* FROM emissions e JOIN submissions s USING "
                           "(submission_id) WHERE s.status = 'current'").df()
    finally:
        con.close()


def current_activities(store: str | Path) -> pd.DataFrame:
    """The activity rows of the current submissions (every column as submitted)."""
    con = connect(store)
    try:
        rows = con.execute("SELECT a.submission_id, a.source_file, a.source_row, a.record "
                           "FROM activities a JOIN submissions s USING (submission_id) WHERE "
                           "s.status = 'current' ORDER BY a.submission_id, a.row_number").df()
    finally:
        con.close()
    table = pd.DataFrame([json.loads(r) for r in rows["record"]])
    for column in ("source_file", "source_row"):
        table[column] = rows[column].to_numpy()
    table["submission_id"] = rows["submission_id"].to_numpy()
    return table


def load_inventory(store: str | Path, *, gwp: str | None = None,
                   extra: list[Any] | None = None, **options: Any) -> Any:
    """Recompute the inventory of the current submissions (today's library and factors).

    The stored emissions are what each facility submitted; comparing them with this
    recomputation shows the effect of a factor or library change (a recalculation).
    ``extra`` adds activity tables that are no facility's report (the province's own
    compilation of farms, households, communes' wastewater ...).
    """
    from .engine import compute

    table = current_activities(store)
    if table.empty:
        raise GHGInventoryError(f"{store}: no submissions")
    sets = submissions(store)["gwp"].unique()
    chosen = gwp or (str(sets[0]) if len(sets) == 1 else "AR5")
    frame = table.drop(columns=["submission_id"])
    # keep where every row came from: one pseudo-file per submitted file
    frame["source_file"] = pd.Categorical(frame["source_file"].astype(str))
    frame["source_row"] = frame["source_row"].astype(np.int32)
    return compute([frame, *(extra or [])], gwp=chosen, **options)
