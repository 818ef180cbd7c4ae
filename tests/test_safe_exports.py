"""Issue 22, items 3 and 5: exports that a spreadsheet cannot turn into formulas, and files
published whole (unique temporary names, fsync, rename; the export's ``.meta.json`` with it).

A commune named ``=HYPERLINK("http://x","c")`` is written by every writer and read back: in
a workbook it must be a string cell holding exactly that text (openpyxl makes a str starting
with ``=`` a formula cell unless told otherwise); in a CSV file it must begin with a single
quote (OWASP, CSV injection: cells beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage
return are prefixed with ``'``). Numbers stay number cells, negative ones included.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import threading
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ghg_inventory as ghg
import ghg_inventory.writers as writers
from conftest import activity_frame
from ghg_inventory.province import template as template_module
from ghg_inventory.province.form06 import write_form06
from ghg_inventory.province.template import write_template
from ghg_inventory.reporting.workbook import write_workbook
from ghg_inventory.writers import atomic_path, atomic_paths, write_table

EVIL = '=HYPERLINK("http://x","c")'
#: One hostile text per character OWASP names, and an Excel error code (openpyxl would make
#: "#N/A" an error cell).
HOSTILE = [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "#N/A"]


@pytest.fixture(scope="module")
def inventory() -> ghg.Inventory:
    # 100 t natural gas in a factory boiler of commune EVIL, one facility, two years
    return ghg.compute(activity_frame([
        {"category": "1.A.2", "activity": "natural_gas", "amount": 100, "unit": "t",
         "commune": EVIL, "year": year} for year in (2023, 2024)]))


def _cells(path: Path) -> list:
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def _assert_text_cells(path: Path, values: list[str]) -> None:
    """Every cell holding one of ``values`` is a string cell with that exact text, and the
    workbook holds no formula cell at all."""
    cells = _cells(path)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for value in values:
        found = [c for c in cells if c.value == value]
        assert found, f"{value!r} not written"
        assert {c.data_type for c in found} == {"s"}


def _csv_rows(path: Path) -> list[list[str]]:
    # the library's CSVs begin with a byte-order mark (for Excel): utf-8-sig reads it
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


# --- item 3: safe exports ---------------------------------------------------------------


def test_write_table_xlsx_keeps_hostile_text_as_text_and_numbers_as_numbers(tmp_path: Path):
    frame = pd.DataFrame({"commune": HOSTILE, "amount": [-5.0, 1, 2, 3, 4, 5, 6]})
    path = write_table(frame, tmp_path / "t.xlsx")
    # a carriage return comes back as a line feed (XML reads line ends so), a text all the
    # same: it is checked as a string cell below, not by its value
    _assert_text_cells(path, [v for v in HOSTILE if not v.startswith("\r")])
    assert {c.data_type for c in _cells(path) if c.column == 1} == {"s"}
    amount = [c for c in _cells(path) if c.column == 2 and c.row > 1]
    assert [c.data_type for c in amount] == ["n"] * len(HOSTILE)
    assert amount[0].value == -5  # a negative number is a number cell, no quote


def test_write_table_csv_neutralises_each_owasp_character(tmp_path: Path):
    frame = pd.DataFrame({"commune": [*HOSTILE, "Xã Bình Lư", "a=b"],
                          "amount": [-5.0, 1, 2, 3, 4, 5, 6, 7, 8],
                          "mixed": [-7, "-7", "x", None, 1.5, "=1", "", "y", "z"]})
    rows = _csv_rows(write_table(frame, tmp_path / "t.csv"))
    communes = [r[0] for r in rows[1:]]
    # each hostile text behind one quote, the rest (and "#N/A", no OWASP character) as is
    assert communes == ["'" + v for v in HOSTILE[:-1]] + ["#N/A", "Xã Bình Lư", "a=b"]
    assert [r[1] for r in rows[1:]][0] == "-5.0"  # a negative number stays a number
    # a column of numbers and text: only the text cells are quoted
    assert [r[2] for r in rows[1:]] == ["-7", "'-7", "x", "", "1.5", "'=1", "", "y", "z"]


def test_write_table_csv_neutralises_categories_and_headers(tmp_path: Path):
    frame = pd.DataFrame({"=head": pd.Categorical([EVIL, "ok", EVIL]), "n": [1, 2, 3]})
    rows = _csv_rows(write_table(frame, tmp_path / "t.csv"))
    assert rows[0] == ["'=head", "n"]
    assert [r[0] for r in rows[1:]] == ["'" + EVIL, "ok", "'" + EVIL]


def test_write_table_parquet_keeps_values_as_they_are(tmp_path: Path):
    frame = pd.DataFrame({"commune": HOSTILE})
    back = pd.read_parquet(write_table(frame, tmp_path / "t.parquet"))
    assert back["commune"].tolist() == HOSTILE


def test_inventory_export_xlsx_writes_the_commune_as_text(inventory: ghg.Inventory,
                                                          tmp_path: Path):
    path = inventory.export(tmp_path / "e.xlsx")
    _assert_text_cells(path, [EVIL])
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book["emissions"][1]]
    co2e = [row[header.index("co2e_kg")] for row in book["emissions"].iter_rows(min_row=2)]
    assert {c.data_type for c in co2e} == {"n"}


def test_inventory_export_csv_quotes_the_commune(inventory: ghg.Inventory, tmp_path: Path):
    rows = _csv_rows(inventory.export(tmp_path / "e.csv"))
    column = rows[0].index("commune")
    assert {r[column] for r in rows[1:]} == {"'" + EVIL}
    # the numbers read back as numbers
    back = pd.read_csv(tmp_path / "e.csv")
    assert back["co2e_kg"].sum() == pytest.approx(inventory.emissions["co2e_kg"].sum())


def test_inventory_export_parquet_keeps_the_commune(inventory: ghg.Inventory, tmp_path: Path):
    back = pd.read_parquet(inventory.export(tmp_path / "e.parquet"))
    assert set(back["commune"].astype(str)) == {EVIL}


def test_provincial_workbook_writes_the_commune_as_text(inventory: ghg.Inventory,
                                                        tmp_path: Path):
    path = write_workbook(inventory, tmp_path / "report.xlsx", year=2024)
    _assert_text_cells(path, [EVIL])


def test_form06_writes_hostile_particulars_as_text(inventory: ghg.Inventory, tmp_path: Path):
    facility = {"name": EVIL, "commune": EVIL, "address": "@SUM(A1)", "tax_code": "-1+2",
                "sector": "+x", "ministry": "#N/A"}
    path = write_form06(inventory, tmp_path / "mau06.xlsx", facility=facility,
                        years=(2023, 2024))
    _assert_text_cells(path, [EVIL, EVIL.upper(), "@SUM(A1)", "-1+2", "+x", "#N/A"])


def test_template_writes_its_texts_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # the template's texts are the package's own: a hostile line put among its instructions
    # stands for any of them
    instructions = {lang: [*lines, EVIL] for lang, lines in
                    template_module.INSTRUCTIONS.items()}
    monkeypatch.setattr(template_module, "INSTRUCTIONS", instructions)
    path = write_template(tmp_path / "template.xlsx")
    _assert_text_cells(path, [EVIL])
    assert not [p for p in tmp_path.iterdir() if p.name != "template.xlsx"]


# --- item 5: atomic writes --------------------------------------------------------------


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_two_writers_of_one_path_both_finish_with_one_whole_version(tmp_path: Path):
    path = tmp_path / "out.txt"
    versions = ["A" * 200_000, "B" * 300_000]
    both_inside = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def write(text: str) -> None:
        try:
            with atomic_path(path) as tmp:
                tmp.write_text(text[: len(text) // 2])
                both_inside.wait()  # both are writing at the same moment
                tmp.write_text(text)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert path.read_text() in versions
    assert _leftovers(tmp_path, {"out.txt"}) == []


def test_temporary_names_are_unique_and_in_the_target_folder(tmp_path: Path):
    path = tmp_path / "out.csv"
    with atomic_path(path) as first, atomic_path(path) as second:
        assert first != second
        assert first.parent == second.parent == tmp_path
        assert first.exists() and second.exists()  # reserved (mkstemp), not just named
        first.write_text("1")
        second.write_text("2")
    assert path.read_text() == "1"  # the outer block ends last: its version stands


def test_a_writer_failing_midway_leaves_no_file_and_no_temporary(tmp_path: Path):
    path = tmp_path / "out.csv"
    with pytest.raises(RuntimeError, match="disk gone"), atomic_path(path) as tmp:
        tmp.write_text("half a table")
        raise RuntimeError("disk gone")
    assert _leftovers(tmp_path, set()) == []


def test_a_failing_table_write_leaves_nothing(tmp_path: Path):
    # pyarrow refuses a column of bytes and numbers midway through the Parquet file
    frame = pd.DataFrame({"x": [b"a", 1]})
    with pytest.raises(Exception):  # noqa: B017 - pyarrow's own error, not ours to name
        write_table(frame, tmp_path / "t.parquet")
    assert _leftovers(tmp_path, set()) == []


def test_an_earlier_file_survives_a_failed_rewrite(tmp_path: Path):
    path = tmp_path / "out.csv"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("new, half")
        raise RuntimeError("killed")
    assert path.read_text() == "old"
    assert _leftovers(tmp_path, {"out.csv"}) == []


def test_file_and_folder_are_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append("dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with atomic_path(tmp_path / "out.txt") as tmp:
        tmp.write_text("x")
    assert synced == ["file", "dir"]


def test_a_folder_that_cannot_be_fsynced_is_skipped(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    real = os.fsync

    def fsync(fd: int) -> None:
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            raise OSError(22, "Invalid argument")  # as some file systems answer
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with atomic_path(tmp_path / "out.txt") as tmp:
        tmp.write_text("x")
    assert (tmp_path / "out.txt").read_text() == "x"


def test_the_written_file_has_the_usual_permissions(tmp_path: Path):
    # mkstemp makes its file readable by its owner only; the published file must not be
    umask = os.umask(0)
    os.umask(umask)
    with atomic_path(tmp_path / "out.txt") as tmp:
        tmp.write_text("x")
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_paths_publish_in_the_order_given(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch):
    published: list[str] = []
    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        published.append(Path(dst).name)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with atomic_paths(tmp_path / "a.meta.json", tmp_path / "a.csv") as (meta, data):
        data.write_text("data")
        meta.write_text("meta")
    assert published == ["a.meta.json", "a.csv"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_meta_is_published_before_the_data_and_names_it(inventory: ghg.Inventory,
                                                                tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "e.csv"
    meta_path = tmp_path / "e.csv.meta.json"
    seen: list[tuple[str, bool]] = []
    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        real(src, dst)
        # what a reader finds the moment each file appears
        seen.append((Path(dst).name, meta_path.exists()))

    monkeypatch.setattr(os, "replace", replace)
    inventory.export(path)
    # the meta first: whoever finds the data finds its meta beside it
    assert seen == [("e.csv.meta.json", True), ("e.csv", True)]
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["gwp"] == "AR5"
    assert meta["export"] == {"file": "e.csv", "sha256": _sha256(path)}
    assert _leftovers(tmp_path, {"e.csv", "e.csv.meta.json"}) == []


def test_a_failed_export_leaves_neither_data_nor_meta(inventory: ghg.Inventory,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers, "write_frame", broken)
    with pytest.raises(OSError, match="No space"):
        inventory.export(tmp_path / "e.csv")
    assert _leftovers(tmp_path, set()) == []


def test_two_exports_to_one_path_leave_a_meta_that_agrees_with_the_data(tmp_path: Path,
                                                                        monkeypatch):
    small = ghg.compute(activity_frame([{"category": "1.A.2", "activity": "natural_gas",
                                         "amount": 1, "unit": "t"}]))
    large = ghg.compute(activity_frame([{"category": "1.A.2", "activity": "natural_gas",
                                         "amount": 1, "unit": "t", "facility_id": f"F{i}"}
                                        for i in range(200)]))
    path = tmp_path / "e.csv"
    real_write, real_replace = writers.write_frame, os.replace
    both_written = threading.Barrier(2, timeout=10)
    first_meta = threading.Event()

    def write_frame(*args: object, **kwargs: object) -> None:
        real_write(*args, **kwargs)
        both_written.wait()  # both publish at the same moment

    def replace(src: str | Path, dst: str | Path) -> None:
        real_replace(src, dst)
        if Path(dst).name.endswith(".meta.json") and not first_meta.is_set():
            first_meta.set()
            # the first to publish its meta dawdles before its data: unless publications
            # are serialised, the other's meta and data land in between and the first's
            # data ends beside the other's meta
            time.sleep(0.3)

    monkeypatch.setattr(writers, "write_frame", write_frame)
    monkeypatch.setattr(os, "replace", replace)
    errors: list[BaseException] = []

    def export(inventory: ghg.Inventory) -> None:
        try:
            inventory.export(path)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=export, args=(i,)) for i in (small, large)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    meta = json.loads((tmp_path / "e.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["export"]["sha256"] == _sha256(path)
    assert meta["rows"] in (1, 200)
    assert len(pd.read_csv(path)) == 3 * meta["rows"]  # CO2, CH4, N2O per activity row
    assert _leftovers(tmp_path, {"e.csv", "e.csv.meta.json"}) == []


def test_a_carriage_return_inside_a_csv_cell_cannot_start_a_row(tmp_path: Path):
    # unquoted, "ok\r=1+1" would be read as a cell "ok" and a new row beginning "=1+1"
    frame = pd.DataFrame({"commune": ["ok\r=1+1", "b"], "n": [1, 2]})
    rows = _csv_rows(write_table(frame, tmp_path / "t.csv"))
    assert rows == [["commune", "n"], ["ok\r=1+1", "1"], ["b", "2"]]
