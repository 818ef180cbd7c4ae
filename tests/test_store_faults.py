"""Issue 22, items 1 and 2: the submissions store under concurrent submitters and killed
processes.

Every report here is natural gas burnt in a factory (category 1.A.2), 1 TJ a row, so each
row gives, by IPCC 2006 Vol 2 Ch 1 Table 1.4, 56,100 kg CO2 (natural gas, effective CO2
factor) and by Vol 2 Ch 2 Table 2.3 (manufacturing industries) 1 kg CH4 and 0.1 kg N2O:
three emission rows a row. A facility's stored CO2 is therefore rows x 56,100 kg exactly.

The kill test runs real processes calling ``store.submit`` and kills them with SIGKILL at
``GHG_INVENTORY_KILL_POINTS`` moments (20 by default), half of them timed from the moment
DuckDB's write-ahead log appears (the commit and the checkpoint). Its report has 45,000
rows, 135,000 emission rows: more than a DuckDB row group (122,880 rows), so DuckDB writes
them into the file before the commit (its optimistic writes), which is how a killed submit
left 150,000 orphan rows in issue 22.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ghg_inventory.errors import StoreBusyError, StoreError, StoreRepairedWarning
from ghg_inventory.province import store as st

CO2_PER_ROW = 1 * 56_100.0  # 1 TJ natural gas x 56,100 kg CO2/TJ (Vol 2 Ch 1 Table 1.4)
ROWS_PER_GAS_ROW = 3  # CO2 (Table 1.4), CH4 1 kg/TJ and N2O 0.1 kg/TJ (Vol 2 Ch 2 Table 2.3)
BUSY = "the store is in use by another process; try again"
CLI = Path(sys.executable).with_name("ghg-inventory")


def gas_report(path: Path, facility: str, rows: int, tj: float = 1.0) -> Path:
    """A facility's report: ``rows`` rows of ``tj`` TJ natural gas in a factory, 2023."""
    pd.DataFrame({"facility_id": facility, "year": 2023, "category": "1.A.2",
                  "activity": "natural_gas", "amount": tj, "unit": "TJ"},
                 index=range(rows)).to_csv(path, index=False)
    return path


def co2_kg(store: Path, rows: dict[str, int] | None = None) -> dict[str, float]:
    """Per facility: the CO2 of its current submissions [kg]; ``rows`` gets the number of
    its current emission rows."""
    current = st.current_emissions(store)
    if rows is not None:
        rows.update(current.groupby("facility_id").size().to_dict())
    co2 = current[current["gas"] == "CO2"]
    return co2.groupby("facility_id")["emissions_kg"].sum().to_dict()


def raw_state(store: Path) -> dict[str, object]:
    """What the file holds, read with DuckDB itself (no check, no repair)."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "orphan_emissions": q("SELECT count(*) FROM emissions WHERE submission_id NOT IN "
                                  "(SELECT submission_id FROM submissions)")[0][0],
            "orphan_activities": q("SELECT count(*) FROM activities WHERE submission_id NOT IN "
                                   "(SELECT submission_id FROM submissions)")[0][0],
            "ids": [i for (i,) in q("SELECT submission_id FROM submissions ORDER BY 1")],
            "short": q("SELECT s.submission_id FROM submissions s WHERE s.emission_rows <> "
                       "(SELECT count(*) FROM emissions e WHERE e.submission_id = "
                       "s.submission_id) OR s.activity_rows <> (SELECT count(*) FROM "
                       "activities a WHERE a.submission_id = s.submission_id)"),
        }
    finally:
        con.close()


# --- item 2: what a killed submit leaves is removed, never taken over ------------------


def test_orphan_rows_of_a_killed_submit_are_removed_not_taken_over(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    st.submit(gas_report(tmp_path / "a.csv", "A", 2), store)  # submission 1
    # what issue 22 found after a kill: the emissions of a submission 2 of facility B
    # (3 rows x 56,100 kg CO2) without its submissions row
    con = duckdb.connect(str(store))
    con.execute("INSERT INTO emissions (submission_id, facility_id, year, gas, emissions_kg, "
                "co2e_kg, scope, biogenic) SELECT 2, 'B', 2023, 'CO2', 56100.0, 56100.0, "
                "'direct', false FROM range(3)")
    con.close()
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        done = st.submit(gas_report(tmp_path / "b.csv", "B", 3), store)
    # B: 3 rows x 56,100 kg = 168,300 kg, not 6 rows' 336,600 kg (the orphans taken over)
    assert co2_kg(store) == {"A": 2 * CO2_PER_ROW, "B": 3 * CO2_PER_ROW}
    assert done.submission_id == 3  # 2 was the killed submit's: never given again
    assert [str(w.message) for w in said if w.category is StoreRepairedWarning] == [
        f"{store}: repaired the remains of a submit that was killed while writing: removed "
        "3 emission and 0 activity row(s) of submission 2, which has no submission row. "
        "Those reports were never stored; submit them again if they are missing."]
    state = raw_state(store)
    assert state["orphan_emissions"] == 0 and state["ids"] == [1, 3]
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT submission_id, what, emission_rows FROM repairs").fetchall() \
        == [(2, "orphan rows", 3)]
    con.close()


def test_a_submission_cut_off_while_writing_is_removed_and_the_one_before_is_current(
        tmp_path: Path):
    store = tmp_path / "p.duckdb"
    first = st.submit(gas_report(tmp_path / "v1.csv", "A", 2), store)
    second = st.submit(gas_report(tmp_path / "v2.csv", "A", 4), store, reason="more gas")
    assert second.status == f"superseded {first.submission_id}"
    # a kill in the instant of committing kept the row of submission 2 and part of its
    # emissions (the 4 CO2 rows went, the CH4 and N2O rows stayed)
    con = duckdb.connect(str(store))
    con.execute("DELETE FROM emissions WHERE submission_id = ? AND gas = 'CO2'",
                [second.submission_id])
    con.close()
    with pytest.warns(StoreRepairedWarning, match=r"submission 2 \(it holds 8 of its 12 "
                      r"emission rows and 4 of its 4 activity rows\)"):
        totals = co2_kg(store)  # a reader repairs too
    assert totals == {"A": 2 * CO2_PER_ROW}  # the first report, whole; not 0
    history = st.facility_history(store, "A")
    assert list(history["submission_id"]) == [1]
    assert list(history["status"]) == ["current"]
    assert pd.isna(history["superseded_by"].iloc[0])
    state = raw_state(store)
    assert state["short"] == [] and state["ids"] == [1]
    assert st.submit(tmp_path / "v2.csv", store).submission_id == 3


def test_the_cli_says_what_it_repaired(tmp_path: Path):
    from typer.testing import CliRunner

    from ghg_inventory.cli import app

    store = tmp_path / "p.duckdb"
    st.submit(gas_report(tmp_path / "a.csv", "A", 1), store)
    con = duckdb.connect(str(store))
    con.execute("INSERT INTO activities VALUES (7, 0, 'b.csv', 2, '{}')")  # of no submission
    con.close()
    result = CliRunner(env={"COLUMNS": "400"}).invoke(app, ["store", "list", "--store",
                                                            str(store)])
    assert result.exit_code == 0, result.output
    assert f"note: {store}: repaired the remains of a submit that was killed while writing: " \
           "removed 0 emission and 1 activity row(s) of submission 7" in result.output
    assert raw_state(store)["orphan_activities"] == 0


def test_a_store_written_before_the_row_counts_opens_and_is_migrated(tmp_path: Path):
    store = tmp_path / "old.duckdb"
    st.submit(gas_report(tmp_path / "a.csv", "A", 2), store)
    con = duckdb.connect(str(store))  # as the stores of earlier versions are
    for column in ("activity_rows", "emission_rows"):
        con.execute(f"ALTER TABLE submissions DROP COLUMN {column}")
    con.execute("DROP TABLE submission_ids")
    con.execute("DROP TABLE repairs")
    con.close()
    assert co2_kg(store) == {"A": 2 * CO2_PER_ROW}  # read as it is, read-only
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to repair in an old, sound store
        done = st.submit(gas_report(tmp_path / "b.csv", "B", 1), store)
    assert done.submission_id == 2
    assert co2_kg(store) == {"A": 2 * CO2_PER_ROW, "B": 1 * CO2_PER_ROW}
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT submission_id, activity_rows, emission_rows FROM submissions "
                       "ORDER BY 1").fetchall() == [(1, None, None), (2, 1, 3)]
    con.close()


def test_a_file_that_is_no_duckdb_store_is_a_store_error_for_submit(tmp_path: Path):
    junk = tmp_path / "p.duckdb"
    junk.write_bytes(b"not a database " * 100)
    with pytest.raises(StoreError, match=r"p\.duckdb: cannot open the store"):
        st.submit(gas_report(tmp_path / "a.csv", "A", 1), junk)
    assert junk.read_bytes() == b"not a database " * 100


# --- item 1: one writer at a time; the others wait, then give up cleanly -----------------


def hold_store(store: Path, seconds: float, read_only: bool = False) -> subprocess.Popen:
    """Another process holding the store open for ``seconds``."""
    code = textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(store)!r}, read_only={read_only})
        print("holding", flush=True)
        time.sleep({seconds})
        con.close()
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


@pytest.fixture
def held_store(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    st.submit(gas_report(tmp_path / "a.csv", "A", 1), store)
    holder = hold_store(store, 60)
    yield store
    holder.kill()
    holder.wait()


def test_a_submit_gives_up_on_a_busy_store_after_its_wait(tmp_path: Path, held_store: Path):
    report = gas_report(tmp_path / "b.csv", "B", 1)
    started = time.monotonic()
    with pytest.raises(StoreBusyError) as caught:
        st.submit(report, held_store, wait=0.5)
    waited = time.monotonic() - started
    assert str(caught.value) == f"{held_store}: {BUSY}"
    assert 0.5 <= waited < 5


def test_readers_wait_for_a_writer_too(monkeypatch: pytest.MonkeyPatch, held_store: Path):
    monkeypatch.setenv(st.WAIT_VARIABLE, "0.3")
    with pytest.raises(StoreBusyError, match=BUSY):
        st.submissions(held_store)


def test_the_cli_says_the_store_is_busy_in_one_line_and_exits_2(tmp_path: Path,
                                                                 held_store: Path):
    from typer.testing import CliRunner

    from ghg_inventory.cli import app

    report = gas_report(tmp_path / "b.csv", "B", 1)
    runner = CliRunner(env={"COLUMNS": "250", st.WAIT_VARIABLE: "0.3"})
    for args in (["submit", str(report), "--store", str(held_store)],
                 ["store", "list", "--store", str(held_store)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.output.strip() == f"error: {held_store}: {BUSY}"
        assert "Traceback" not in result.output


def test_a_submit_waits_for_the_store_and_then_stores(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    st.submit(gas_report(tmp_path / "a.csv", "A", 1), store)
    holder = hold_store(store, 1.0, read_only=True)  # a report being drawn, say
    try:
        started = time.monotonic()
        done = st.submit(gas_report(tmp_path / "b.csv", "B", 2), store, wait=30)
        assert done.status == "stored" and time.monotonic() - started >= 0.5
    finally:
        holder.wait()
    assert co2_kg(store) == {"A": 1 * CO2_PER_ROW, "B": 2 * CO2_PER_ROW}


def submit_processes(store: Path, reports: list[Path], env: dict[str, str]) -> list:
    """Start one real ``ghg-inventory submit`` per report at once; their (exit code,
    stderr)."""
    procs = [subprocess.Popen([str(CLI), "submit", str(r), "--store", str(store)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "COLUMNS": "250", **env}) for r in reports]
    return [(p.wait(timeout=120), p.communicate()[1]) for p in procs]


def test_eight_concurrent_submits_all_store_their_report(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    reports = [gas_report(tmp_path / f"c{i}.csv", f"C-{i}", i) for i in range(1, 9)]
    results = submit_processes(store, reports, {})
    assert [code for code, _ in results] == [0] * 8, results
    # facility C-i reported i rows: i x 56,100 kg CO2
    assert co2_kg(store) == {f"C-{i}": i * CO2_PER_ROW for i in range(1, 9)}
    state = raw_state(store)
    assert state["ids"] == list(range(1, 9)) and state["orphan_emissions"] == 0


def test_eight_concurrent_submits_without_waiting_store_or_refuse_cleanly(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    st.submit(gas_report(tmp_path / "a.csv", "A", 1), store)
    reports = [gas_report(tmp_path / f"d{i}.csv", f"D-{i}", i) for i in range(1, 9)]
    results = submit_processes(store, reports, {st.WAIT_VARIABLE: "0"})
    totals = co2_kg(store)
    for i, (code, stderr) in enumerate(results, start=1):
        assert "Traceback" not in stderr
        if code == 0:
            assert totals[f"D-{i}"] == i * CO2_PER_ROW
        else:
            assert code == 2 and stderr.strip() == f"error: {store}: {BUSY}", stderr
            assert f"D-{i}" not in totals  # nothing half-written
    assert totals["A"] == 1 * CO2_PER_ROW
    assert raw_state(store)["orphan_emissions"] == 0


# --- item 2: kill real submits at many moments -------------------------------------------

#: The server reads and computes each report once (that part writes nothing) and forks a
#: process per submit: each child runs the real ``store.submit`` with those results, so
#: the kill points fall where the store is being written rather than in the computing.
SERVER = textwrap.dedent("""
    import json, os, sys
    import pandas as pd
    import ghg_inventory.api as api
    import ghg_inventory.readers as readers
    from ghg_inventory.province import store as st

    read, compute, cache = readers.read_activities, api.compute, {}

    def read_once(path, **kw):
        if str(path) not in cache:
            cache[str(path)] = read(path, **kw)
        return cache[str(path)].copy()

    def compute_once(frame, **kw):
        key = (str(frame["facility_id"].iloc[0]), len(frame))  # one report a facility
        if key not in cache:
            cache[key] = compute(frame, **kw)
        return cache[key]

    readers.read_activities, api.compute = read_once, compute_once
    for line in sys.stdin:
        report, store = json.loads(line)
        if store is None:  # read and compute it now, before any kill
            compute_once(read_once(report))
            print("ready", flush=True)
            continue
        pid = os.fork()
        if pid == 0:
            try:
                st.submit(report, store)
                code = 0
            except BaseException:
                code = 3
            os._exit(code)
        print(pid, flush=True)
        print(os.waitpid(pid, 0)[1], flush=True)
""")


class SubmitServer:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def _send(self, report: Path, store: Path | None) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps([str(report), store and str(store)]) + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def warm(self, report: Path) -> None:
        assert self._send(report, None) == "ready"

    def submit(self, report: Path, store: Path, kill_after: float | None = None,
               from_log: bool = False) -> tuple[int, float, float | None]:
        """Submit in a child; SIGKILL it ``kill_after`` seconds after it started (or after
        the store's write-ahead log appeared, ``from_log``). Its wait status, its time, and
        when the log appeared (if watched)."""
        assert self.proc.stdout is not None
        pid = int(self._send(report, store))
        started, logged = time.monotonic(), None
        wal = Path(f"{store}.wal")
        if from_log:
            while not wal.exists() and time.monotonic() - started < 30:
                time.sleep(0.0005)
            logged = time.monotonic() - started
        if kill_after is not None:
            time.sleep(kill_after)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # already done
        status = int(self.proc.stdout.readline())
        return status, time.monotonic() - started, logged

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks its submitters")
def test_a_submit_killed_at_any_moment_leaves_all_or_nothing(tmp_path: Path):
    points = int(os.environ.get("GHG_INVENTORY_KILL_POINTS", "20"))
    rows = 45_000  # 135,000 emission rows: DuckDB writes them before the commit
    big = gas_report(tmp_path / "big.csv", "BIG", rows)
    whole = rows * CO2_PER_ROW  # 45,000 rows x 56,100 kg CO2 = 2,524,500,000 kg
    base = tmp_path / "base.duckdb"
    st.submit(gas_report(tmp_path / "a.csv", "A", 2), base)
    server = SubmitServer()
    try:
        server.warm(big)
        calibration = tmp_path / "calibration.duckdb"
        shutil.copy(base, calibration)
        status, took, logged = server.submit(big, calibration, from_log=True)
        assert status == 0 and co2_kg(calibration)["BIG"] == whole
        assert logged is not None and logged < took
        rnd = random.Random(22)
        outcomes = {"stored": 0, "nothing": 0, "repaired": 0}
        for point in range(points):
            store = tmp_path / f"k{point}.duckdb"
            shutil.copy(base, store)
            from_log = point % 2 == 1  # half while the log and the file are written
            delay = rnd.uniform(0, took - logged) if from_log else rnd.uniform(0, took)
            server.submit(big, store, kill_after=delay, from_log=from_log)
            with warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                totals = co2_kg(store)  # reopening checks and repairs
            outcomes["repaired"] += any(issubclass(w.category, StoreRepairedWarning)
                                        for w in said)
            where = f"kill point {point} ({delay:.3f} s after the " \
                    f"{'log appeared' if from_log else 'start'})"
            assert totals.get("A") == 2 * CO2_PER_ROW, where
            assert totals.get("BIG", 0.0) in (whole, 0.0), (where, totals)
            outcomes["stored" if "BIG" in totals else "nothing"] += 1
            state = raw_state(store)
            assert state["orphan_emissions"] == state["orphan_activities"] == 0, where
            assert state["short"] == [], where
            assert len(set(state["ids"])) == len(state["ids"]), where
            # the report again: stored once, never doubled
            status, _, _ = server.submit(big, store)
            assert status == 0, where
            counted: dict[str, int] = {}
            assert co2_kg(store, counted) == {"A": 2 * CO2_PER_ROW, "BIG": whole}, where
            assert counted["BIG"] == rows * ROWS_PER_GAS_ROW, where
            store.unlink()
        print(f"\n{points} kill points: {outcomes}")
        assert outcomes["stored"] + outcomes["nothing"] == points
    finally:
        server.close()

