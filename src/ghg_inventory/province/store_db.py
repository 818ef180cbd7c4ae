"""The submissions store's DuckDB file: opening it with a bounded wait for the lock, its
schema and migrations, and the consistency check that repairs what a killed submit left.

:mod:`ghg_inventory.province.store` holds what the office does with the store (submit,
the current view, the inventory); this module holds how the file is kept sound. One writer
at a time; readers share the file; a writer waits for readers and readers for a writer
(DuckDB's file lock), up to :data:`WAIT_SECONDS`.
"""

from __future__ import annotations

import os
import random
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ghg_inventory.errors import (
    StoreBusyError,
    StoreError,
    StoreRepairedWarning,
)
from ghg_inventory.i18n.messages import Message, joined, msg, reason

#: How long a store user waits, in all, for another process to release the store. [s]
#: A writer holds it for well under a second per facility report; half a minute lets
#: a whole office's submits queue up and still answers a stuck store in human time.
WAIT_SECONDS = 30.0
#: The environment variable that overrides :data:`WAIT_SECONDS` (tests, scripts). [s]
WAIT_VARIABLE = "GHG_INVENTORY_STORE_WAIT"
#: First and longest pause between two attempts at the lock; the pause doubles from the
#: first to the longest, each with random jitter so that waiting processes spread out. [s]
FIRST_PAUSE, LONGEST_PAUSE = 0.02, 1.0

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
CREATE TABLE IF NOT EXISTS submission_ids (last_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS repairs (
    repaired_at TIMESTAMP NOT NULL, submission_id INTEGER, what VARCHAR NOT NULL,
    emission_rows BIGINT, activity_rows BIGINT);
"""
#: Columns added since the first stores were written: (table, column, type).
#: ``factor_sets``: JSON of the override tables and shipped factor sets a submission was
#: computed with (null in stores written before it was recorded).
MIGRATIONS = (("submissions", "activity_rows", "INTEGER"),
              ("submissions", "emission_rows", "INTEGER"),
              ("submissions", "factor_sets", "VARCHAR"))

def _wait_seconds(wait: float | None) -> float:
    """The wait allowed for the store's lock: ``wait``, else the environment's, else
    :data:`WAIT_SECONDS`. [s]"""
    if wait is not None:
        return max(float(wait), 0.0)
    text = os.environ.get(WAIT_VARIABLE, "").strip()
    if not text:
        return WAIT_SECONDS
    try:
        return max(float(text), 0.0)
    except ValueError:
        raise StoreError(msg("province.store_db.bad_wait", variable=WAIT_VARIABLE,
                             text=text)) from None


def _locked(exc: Exception) -> bool:
    """Whether DuckDB refused to open because another process holds the file's lock."""
    return "could not set lock" in str(exc).lower()


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _open(path: Path, *, read_only: bool, wait: float | None = None) -> Any:
    """A DuckDB connection to ``path``, waiting for another process's lock with growing,
    jittered pauses for up to ``wait`` seconds in all (see the module's text).

    Raises
    ------
    StoreBusyError
        The store was still locked when the wait ran out.
    StoreError
        DuckDB cannot open the file (not a DuckDB file, no permission, damaged).
    """
    import duckdb

    deadline = time.monotonic() + _wait_seconds(wait)
    pause = FIRST_PAUSE
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _locked(exc):
                raise StoreError(msg("province.store_db.cannot_open", path=path,
                                     detail=first_line(exc))) from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreBusyError(msg("province.store_db.busy", path=path)) from None
            time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
            pause = min(pause * 2, LONGEST_PAUSE)


def _prepare(con: Any) -> None:
    """Create the tables of a new store; add the columns an older store lacks."""
    con.execute(SCHEMA)
    have = {(t, c) for t, c in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns").fetchall()}
    for table, column, kind in MIGRATIONS:
        if (table, column) not in have:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


@dataclass(frozen=True)
class _Damage:
    """What a killed submit left: rows of no submission, submissions with fewer rows than
    they recorded, ``superseded_by`` naming no submission."""

    orphans: pd.DataFrame      # table, submission_id, rows
    unfinished: pd.DataFrame   # submission_id, emission_rows, emissions, activity_rows, ...
    dangling: list[int]        # submission ids whose superseded_by names no submission

    def __bool__(self) -> bool:
        return bool(len(self.orphans) or len(self.unfinished) or self.dangling)


def _damage(con: Any) -> _Damage:
    """The remains of unfinished submissions in an open store (see the module's text)."""
    orphans = con.execute(
        "SELECT 'emissions' AS tab, submission_id, count(*) AS n FROM emissions "
        "WHERE submission_id NOT IN (SELECT submission_id FROM submissions) GROUP BY ALL "
        "UNION ALL SELECT 'activities', submission_id, count(*) FROM activities "
        "WHERE submission_id NOT IN (SELECT submission_id FROM submissions) GROUP BY ALL "
        "ORDER BY 2, 1").df()
    columns = {c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'submissions'").fetchall()}
    unfinished = pd.DataFrame(columns=["submission_id", "emission_rows", "emissions",
                                       "activity_rows", "activities"])
    if {"emission_rows", "activity_rows"} <= columns:  # older stores recorded no counts
        unfinished = con.execute(
            "WITH e AS (SELECT submission_id, count(*) AS n FROM emissions GROUP BY ALL), "
            "a AS (SELECT submission_id, count(*) AS n FROM activities GROUP BY ALL) "
            "SELECT s.submission_id, s.emission_rows, coalesce(e.n, 0) AS emissions, "
            "s.activity_rows, coalesce(a.n, 0) AS activities FROM submissions s "
            "LEFT JOIN e USING (submission_id) LEFT JOIN a USING (submission_id) "
            "WHERE s.emission_rows <> coalesce(e.n, 0) "
            "OR s.activity_rows <> coalesce(a.n, 0) ORDER BY 1").df()
    dangling = [int(i) for (i,) in con.execute(
        "SELECT submission_id FROM submissions WHERE superseded_by IS NOT NULL AND "
        "superseded_by NOT IN (SELECT submission_id FROM submissions) "
        "ORDER BY 1").fetchall()]
    return _Damage(orphans, unfinished, dangling)


def _repair(con: Any, path: Path, damage: _Damage) -> Message:
    """Delete what ``damage`` names in one transaction, record it in ``repairs`` and keep
    its ids from being given again; the sentence that says what was done."""
    now = datetime.now(UTC).replace(tzinfo=None)
    gone = sorted({*damage.orphans["submission_id"].astype(int),
                   *damage.unfinished["submission_id"].astype(int)})
    said: list[Message] = []
    con.execute("BEGIN TRANSACTION")
    try:
        for sid, rows in damage.orphans.groupby("submission_id"):
            counts = rows.set_index("tab")["n"]
            emissions, activities = (int(counts.get(t, 0)) for t in ("emissions", "activities"))
            con.execute("INSERT INTO repairs VALUES (?, ?, 'orphan rows', ?, ?)",
                        [now, int(sid), emissions, activities])
            said.append(msg("province.store_db.removed_orphans", emissions=emissions,
                            activities=activities, submission=sid))
        for row in damage.unfinished.itertuples():
            con.execute("INSERT INTO repairs VALUES (?, ?, 'unfinished submission', ?, ?)",
                        [now, int(row.submission_id), int(row.emissions),
                         int(row.activities)])
            said.append(msg("province.store_db.removed_unfinished",
                            submission=row.submission_id, emissions=row.emissions,
                            emission_rows=row.emission_rows, activities=row.activities,
                            activity_rows=row.activity_rows))
        if gone:
            for table in ("emissions", "activities", "submissions"):
                con.execute(f"DELETE FROM {table} WHERE submission_id IN "
                            "(SELECT unnest(?))", [gone])
            advance_ids(con, max(gone))
        if damage.dangling or gone:
            # a later submission that superseded them never completed: they are current
            fixed = con.execute(
                "UPDATE submissions SET status = 'current', superseded_by = NULL WHERE "
                "superseded_by IS NOT NULL AND superseded_by NOT IN "
                "(SELECT submission_id FROM submissions) RETURNING submission_id").fetchall()
            if fixed:
                con.execute("INSERT INTO repairs VALUES (?, NULL, 'dangling superseded_by', "
                            "0, 0)", [now])
                said.append(msg("province.store_db.removed_dangling",
                                submissions=", ".join(str(i) for (i,) in sorted(fixed))))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return msg("province.store_db.repaired", path=path, removed=joined(said, "; "))


def advance_ids(con: Any, used: int) -> None:
    """Record that ids up to ``used`` were given (inside the caller's transaction)."""
    last = con.execute("SELECT coalesce(max(last_id), 0) FROM submission_ids").fetchone()[0]
    if used > int(last):
        con.execute("DELETE FROM submission_ids")
        con.execute("INSERT INTO submission_ids VALUES (?)", [int(used)])


def _check_and_repair(con: Any, path: Path) -> None:
    """Repair what a killed submit left in a store open for writing; warn if anything."""
    damage = _damage(con)
    if damage:
        warnings.warn(_repair(con, path, damage), StoreRepairedWarning, stacklevel=3)


def connect(store: str | Path, *, wait: float | None = None) -> Any:
    """Open a store file to write to it, creating it if missing (what :func:`submit` does).

    Waits for another process's lock (see the module's text), migrates an older store and
    repairs what a killed submit left (with a :class:`StoreRepairedWarning`). Reading goes
    through functions that never create a file (:func:`submissions`,
    :func:`current_emissions`, :func:`load_inventory` ...).

    Parameters
    ----------
    store : path
        The DuckDB store file.
    wait : float, optional
        How long to wait for the lock in all; default ``GHG_INVENTORY_STORE_WAIT`` or
        :data:`WAIT_SECONDS`. [s]

    Returns
    -------
    duckdb.DuckDBPyConnection

    Raises
    ------
    StoreBusyError
        Another process held the store for longer than ``wait``.
    StoreError
        The file is no DuckDB store, or cannot be written.
    """
    import duckdb

    path = Path(store)
    con = _open(path, read_only=False, wait=wait)
    try:
        _prepare(con)
        _check_and_repair(con, path)
    except duckdb.Error as exc:
        con.close()
        raise StoreError(msg("province.store_db.cannot_write", path=path,
                             detail=first_line(exc))) from exc
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def reading(store: str | Path) -> Iterator[Any]:
    """An existing store open read-only; a path that is no store is refused, never
    created. A store a killed submit damaged is repaired first (see the module's text).
    DuckDB's errors inside become :class:`StoreError` naming the store.

    Raises
    ------
    StoreError
        ``<path>: no such store``, or the file is not a submissions store, or it is
        damaged and cannot be repaired here.
    StoreBusyError
        A writer held the store for longer than the wait allowed.
    """
    import duckdb

    path = Path(store)
    if not path.is_file():
        raise StoreError(msg("province.store_db.no_such_store", path=path))
    con = _reader(path)
    try:
        yield con
    except duckdb.Error as exc:
        raise StoreError(msg("province.store_db.cannot_read", path=path,
                             detail=first_line(exc))) from exc
    finally:
        con.close()


def _open_store(path: Path) -> Any:
    """``path`` open read-only, refused unless it holds the store's tables."""
    import duckdb

    try:
        con = _open(path, read_only=True)
    except StoreBusyError:
        raise
    except StoreError as exc:
        raise StoreError(msg("province.store_db.not_a_store", path=path,
                             detail=first_line(exc.__cause__ or exc))) from exc
    try:
        tables = {row[0] for row in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
    except duckdb.Error as exc:
        con.close()
        raise StoreError(msg("province.store_db.cannot_read", path=path,
                             detail=first_line(exc))) from exc
    missing = sorted({"submissions", "activities", "emissions"} - tables)
    if missing:
        con.close()
        raise StoreError(msg("province.store_db.not_a_store_tables", path=path,
                             tables=", ".join(missing)))
    return con


def _damaged(con: Any, path: Path) -> bool:
    import duckdb

    try:
        return bool(_damage(con))
    except duckdb.Error as exc:
        con.close()
        raise StoreError(msg("province.store_db.cannot_read", path=path,
                             detail=first_line(exc))) from exc


def _reader(path: Path) -> Any:
    """The read-only connection of :func:`reading`, checked, and repaired if need be."""
    con = _open_store(path)
    if not _damaged(con, path):
        return con
    con.close()
    # a killed submit left remains: repair them under the writer's lock, then read
    try:
        connect(path).close()
    except StoreBusyError:
        raise
    except StoreError as exc:
        raise StoreError(msg("province.store_db.unrepairable", path=path,
                             detail=reason(exc))) from exc
    con = _open_store(path)
    if _damaged(con, path):  # only if another killed submit came between the two
        con.close()
        raise StoreError(msg("province.store_db.damaged_again", path=path))
    return con


def rollback(con: Any) -> None:
    """Roll back, if DuckDB still can (a failed commit may have ended the transaction)."""
    import duckdb

    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def close_store(con: Any, store: str | Path) -> None:
    """Close (DuckDB checkpoints then); its failure is the store's error."""
    import duckdb

    try:
        con.close()
    except duckdb.Error as exc:
        raise StoreError(msg("province.store_db.cannot_close", path=store,
                             detail=first_line(exc))) from exc
