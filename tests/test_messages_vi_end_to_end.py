"""``--lang vi`` end to end (issue 21, "Done when"): whole command-line runs, in process, on
small inputs, print no English sentence: a computation and its roll-up, a table of several
kinds of problems, a submission into a store and the store's list and history, the list of
activity keys, QA/QC and uncertainty refusals.

The detector (:func:`english`) looks for English function words (" the ", " is ", " not ",
" and ", " of ", " must ", " no " ...) once what may stay English is taken out: text in quotes
or backquotes (keys, ids, a user's value) and paths, the frame click draws around a usage error
("Usage: ...", "Try '...'", "Error": fixed when the command line is built, English in an
in-process run; ``test_messages_upper`` runs the program itself for that), and the columns
that hold English by design (``name_en`` and the ``aliases`` people write, of ``factors
--list activities``). Its limits: it sees sentences, not single English words (a status such
as ``superseded`` left untranslated is checked by name below, not by the detector); an English
sentence made only of words outside its list goes unseen; a function word split across two
lines of a wrapped table cell is seen on neither line (each line is searched whole, so it is
seen when its neighbours are on the same line).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ghg_inventory.cli import app

runner = CliRunner(env={"COLUMNS": "200", "LANG": "C.UTF-8", "LC_ALL": "",
                        "GHG_INVENTORY_LANG": ""})

#: English words that make a sentence, as whole words
ENGLISH = re.compile(r"\b(the|is|are|not|and|of|must|no|with|has|have|was|were|nothing|"
                     r"problem|problems|wrote|stored|unchanged|superseded|current|reported|"
                     r"missing|late|True|False|expected|unknown|Invalid|Error|Try)\b")
#: What may stay English: quoted or backquoted text (keys, ids, values as written), paths
QUOTED = re.compile(r"'[^']*'|`[^`]*`|\"[^\"]*\"|\S*/\S*")
#: click's frame around a usage error (English in an in-process run, see above)
FRAME = re.compile(r"^\s*(Usage: |Try '|╭─ Error)")

FACILITY = """facility_id,facility_name,commune,year,category,activity,amount,unit
BV-01,Bệnh viện đa khoa tỉnh,Phường Tân Phong,2023,1.A.4.a,gas_diesel_oil,12000,L
BV-01,Bệnh viện đa khoa tỉnh,Phường Tân Phong,2023,1.A.4.a,liquefied_petroleum_gases,3,t
BV-01,Bệnh viện đa khoa tỉnh,Phường Tân Phong,2022,1.A.4.a,gas_diesel_oil,11000,L
"""


def english(output: str, drop_columns: tuple[str, ...] = ()) -> list[str]:
    """The lines of ``output`` that hold an English sentence word, outside quotes, click's
    frame and the table columns ``drop_columns`` (by header name)."""
    lines = output.splitlines()
    dropped: list[int] = []
    for line in lines:
        if drop_columns and line.startswith("┃"):
            cells = [c.strip() for c in line.strip("┃").split("┃")]
            dropped = [i for i, c in enumerate(cells) if c in drop_columns]
            break
    found = []
    for line in lines:
        if FRAME.match(line):
            continue
        if dropped and line.startswith("│"):
            cells = line.strip("│").split("│")
            line = "│".join(c for i, c in enumerate(cells) if i not in dropped)
        if ENGLISH.search(QUOTED.sub("", line)):
            found.append(line)
    return found


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--lang", "vi"])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def facility(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("vi") / "BV-01.csv"
    path.write_text(FACILITY, encoding="utf-8")
    return path


def test_the_detector_sees_english_and_lets_keys_stay():
    assert english("1 problem(s), nothing was computed")
    assert english("│ LC-002 │ superseded │")
    assert not english("không có hoạt động 'is_not_a_key' (gợi ý: `ghg-inventory factors`)")
    table = "┃ activity ┃ name_en ┃\n│ coke │ Coke Oven Coke and Lignite Coke │"
    assert english(table) and not english(table, ("name_en",))


def test_compute_and_rollup_speak_vietnamese(facility: Path, tmp_path: Path):
    code, out = run("compute", str(facility), "--out", str(tmp_path / "em.csv"))
    assert code == 0, out
    assert "đã ghi" in out and "tổng phát thải trực tiếp" in out
    assert not english(out), out
    code, out = run("rollup", str(facility), "--by", "year,gas")
    assert code == 0, out
    assert "TỔNG" in out and "tấn CO2tđ" in out
    assert not english(out), out


def test_a_table_of_several_kinds_of_problems_speaks_vietnamese(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "facility_id,year,category,activity,amount,unit\n"
        "F1,2023,1.A.4.a,dieselx,10,L\n"            # unknown activity
        "F1,2023,1.A.4.a,gas_diesel_oil,10,lítt\n"   # a misspelt unit
        "F1,2023,1.A.4.a,gas_diesel_oil,-3,L\n"     # a negative amount
        "F1,2023,1.A.4.a,gas_diesel_oil,abc,L\n"    # not a number
        "F1,20x3,1.A.4.a,gas_diesel_oil,5,L\n",     # not a year
        encoding="utf-8")
    code, out = run("compute", str(bad), "--out", str(tmp_path / "x.csv"))
    assert code == 2, out
    assert "vấn đề; chưa tính toán gì" in out
    rows = [line for line in out.splitlines() if line.startswith("│ bad.csv")]
    assert len(rows) >= 5, out
    assert not english(out), out


def test_submit_and_the_store_speak_vietnamese(facility: Path, tmp_path: Path):
    store = tmp_path / "province.duckdb"
    code, out = run("submit", str(facility), "--store", str(store))
    assert code == 0, out
    assert "cơ sở BV-01" in out and "(lần nộp 1)" in out
    assert not english(out), out
    corrected = tmp_path / "BV-01.csv"
    corrected.write_text(FACILITY.replace("12000,L", "12500,L"), encoding="utf-8")
    code, out = run("submit", str(corrected), "--store", str(store), "--reason", "sửa số liệu")
    assert code == 0, out
    assert "thay thế lần nộp 1" in out and "(lần nộp 2)" in out
    assert not english(out), out
    code, out = run("store", "list", "--store", str(store), "--history")
    assert code == 0, out
    assert "hiện hành" in out and "đã bị thay thế" in out
    assert not english(out), out
    code, out = run("store", "history", "BV-01", "--store", str(store))
    assert code == 0, out
    assert "Lịch sử báo cáo của BV-01" in out
    assert not english(out), out
    # scripts get the store's keys, not the words of the screen
    listed = runner.invoke(app, ["store", "list", "--store", str(store), "--history",
                                 "--lang", "vi", "--format", "csv"]).output
    assert ",superseded," in listed and ",current," in listed


def test_the_list_of_activity_keys_speaks_vietnamese():
    code, out = run("factors", "--list", "activities")
    assert code == 0, out
    assert "khóa hoạt động" in out
    assert not english(out, ("name_en", "aliases")), english(out, ("name_en", "aliases"))[:5]


@pytest.mark.parametrize("args", [
    ["uncertainty", "--no-activity-defaults"],                 # the analysis refuses
    ["uncertainty", "--factor-uncertainty", "gas:CH4=abc"],    # a value that is no number
    ["key-categories", "--year", "1990"],                      # a year with no emissions
], ids=["no-activity-uncertainty", "not-a-number", "no-year"])
def test_uncertainty_and_key_category_refusals_speak_vietnamese(facility: Path, args: list[str]):
    code, out = run(args[0], str(facility), *args[1:])
    assert code == 2, out
    assert not english(out), out


def test_check_speaks_vietnamese(facility: Path, tmp_path: Path):
    code, out = run("check", str(facility))
    assert code == 0, out
    assert "QA/QC" in out
    assert not english(out), out
    code, out = run("check", str(tmp_path / "no-such-file.csv"))
    assert code == 2, out
    assert out.startswith("lỗi:")
    assert not english(out), out
