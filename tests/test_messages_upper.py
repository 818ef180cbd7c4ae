"""The analyses', reports' and command line's own messages in Vietnamese, and output never cut
(issue 21): uncertainty, key-category and QA/QC messages said with ``say(..., "vi")``; commands
run with ``--lang vi`` print no English sentence; a table header wraps between words, never
inside one; ``rollup --lang vi`` names its grouping in Vietnamese; ``--format csv`` prints no
float noise."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.analysis.key_categories import key_categories
from ghg_inventory.analysis.qaqc import check
from ghg_inventory.analysis.uncertainty import error_propagation, read_activity_defaults
from ghg_inventory.cli import app
from ghg_inventory.cli._common import _csv_number
from ghg_inventory.errors import FactorTableError, GHGInventoryError
from ghg_inventory.i18n.messages import Message, say
from ghg_inventory.reporting.sections import build
from ghg_inventory.reporting.terminal import frame_table, show

runner = CliRunner(env={"COLUMNS": "120", "LANG": "C.UTF-8", "LC_ALL": "",
                        "GHG_INVENTORY_LANG": ""})

#: English words that make a sentence (whole words: keys such as ``activity_uncertainty``
#: or ``must_inventory`` do not match)
ENGLISH = re.compile(r"\b(the|of|and|is|are|has|have|no|must|with|without|not|use|give|"
                     r"against|outside|emissions|expected|unknown|Invalid|Error|Try)\b")
#: The frame click prints around a usage error, in the language of the program's arguments
#: (fixed when the command line is built: a test's in-process runner keeps English there;
#: ``test_a_usage_error_in_a_vietnamese_run`` runs the program itself)
FRAME = re.compile(r"^(Usage: |Try '|╭─ Error )")

LPG = activity_frame([{"category": "1.A.3.b", "activity": "liquefied_petroleum_gases",
                       "amount": 10, "unit": "TJ"}])


def _english(output: str, frame: bool = True) -> list[str]:
    """The lines of ``output`` holding an English sentence word (click's frame left out
    unless ``frame``)."""
    return [line for line in output.splitlines()
            if ENGLISH.search(line) and (frame or not FRAME.match(line))]


# --- the analyses' messages --------------------------------------------------------------

def test_an_uncertainty_refusal_names_the_missing_range_in_vietnamese():
    # IPCC 2006 Vol 2 Table 3.2.2 prints no range for LPG's CH4 and N2O: refused, naming them
    with pytest.raises(GHGInventoryError) as caught:
        error_propagation(ghg.compute(LPG))
    english, vi = str(caught.value), say(caught.value, "vi")
    assert english.startswith("2 factor record(s) have no uncertainty range")
    assert vi.startswith("2 hệ số không có khoảng độ không chắc chắn")
    for gas in ("ch4", "n2o"):
        assert f"ipcc2006.v2.t3_2_2.ef.{gas}.liquefied_petroleum_gases" in vi
    assert "Hãy cho factor_uncertainty={factor_id: %}" in vi


def test_a_row_without_activity_uncertainty_is_refused_in_vietnamese():
    with pytest.raises(GHGInventoryError) as caught:
        error_propagation(ghg.compute(LPG), activity_defaults=False,
                          factor_uncertainty={"gas:CH4": 50, "gas:N2O": 50})
    assert say(caught.value, "vi") == (
        "1 dòng số liệu hoạt động chưa có độ không chắc chắn (hạng mục 1.A.3.b; bảng giá "
        "trị mặc định không được dùng): hãy thêm cột 'activity_uncertainty' (%) hoặc cho "
        "activity_uncertainty={tiền tố mã hạng mục: %}")


def test_the_problems_of_a_defaults_table_are_listed_one_a_line_in_vietnamese(tmp_path: Path):
    table = tmp_path / "defaults.csv"
    table.write_text("category,uncertainty_pct,guidelines,source,reference,verification\n"
                     "1.A,,2006,IPCC,Table 2.15,two_sources\n"
                     "1.A,-5,2006,IPCC,Table 2.15,two_sources\n", encoding="utf-8")
    with pytest.raises(FactorTableError) as caught:
        read_activity_defaults(table)
    assert str(caught.value).splitlines() == [
        "defaults.csv: 2 problem(s)",
        "  line 3: uncertainty_pct: '-5' is not a percentage above 0",
        "  line 2: uncertainty_pct: empty"]
    assert say(caught.value, "vi").splitlines() == [
        "defaults.csv: 2 vấn đề",
        "  dòng 3: uncertainty_pct: '-5' không phải là một tỷ lệ phần trăm lớn hơn 0",
        "  dòng 2: uncertainty_pct: để trống"]


def test_the_defaults_used_are_said_in_vietnamese():
    used = error_propagation(ghg.compute(LPG), factor_uncertainty={
        "gas:CH4": 50, "gas:N2O": 50}).attrs["defaults_used"]
    [default] = used["activity_defaults"]
    assert default.startswith("1.A.3.b (any activity): 5 % (")
    assert say(default, "vi").startswith("1.A.3.b (mọi hoạt động): 5 % (")
    assert " dòng " in say(default, "vi")
    assert [say(o, "vi") for o in used["activity_rows_by_origin"]] == [
        "giá trị riêng trên dòng: 0", "do người dùng cho: 0", "mặc định của IPCC: 1"]


def test_qaqc_findings_are_messages_said_in_vietnamese():
    # 2022: 10 t diesel; 2023: 0 t (zero activity) ... and a jump of -100 %
    rows = activity_frame([{"year": y, "category": "1.A.4.a", "activity": "gas_diesel_oil",
                            "amount": a, "unit": "t"} for y, a in ((2022, 10), (2023, 0))])
    report = check(ghg.compute(rows))
    said = dict(zip(report["check"], report["message"], strict=True))
    assert isinstance(said["zero_activity"], Message)
    assert said["zero_activity"] == "amount 0: not operating, or a missing value?"
    assert say(said["zero_activity"], "vi") == \
        "lượng bằng 0: cơ sở không hoạt động, hay thiếu số liệu?"
    jumps = [m for c, m in zip(report["check"], report["message"], strict=True)
             if c == "year_on_year_jump"]
    assert jumps and say(jumps[0], "vi") == "-100% so với năm trước (ngưỡng 50%)"


def test_a_key_category_refusal_in_vietnamese():
    with pytest.raises(GHGInventoryError) as caught:
        key_categories(ghg.compute(LPG), year=1990)
    assert str(caught.value) == "no emissions in 1990"
    assert say(caught.value, "vi") == "không có phát thải trong năm 1990"


def test_a_report_refusal_in_vietnamese():
    with pytest.raises(GHGInventoryError) as caught:
        build(ghg.compute(LPG), year=1990, lang="vi", indicators=None, top=5)
    assert say(caught.value, "vi") == ("kết quả kiểm kê này không có phát thải trong năm 1990; "
                                       "các năm có phát thải: 2024")


# --- the command line with --lang vi ------------------------------------------------------

@pytest.fixture(scope="module")
def diesel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A facility's diesel, 10 t in 2022 and 0 in 2023: QA/QC finds the zero and the jump."""
    path = tmp_path_factory.mktemp("upper") / "diesel.csv"
    activity_frame([{"year": y, "category": "1.A.4.a", "activity": "gas_diesel_oil",
                     "amount": a, "unit": "t", "facility_name": "Lò sấy chè"}
                    for y, a in ((2022, 10), (2023, 0))]).to_csv(path, index=False)
    return path


def test_check_says_its_findings_in_vietnamese(diesel: Path):
    result = runner.invoke(app, ["check", str(diesel), "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert "QA/QC: 4 phát hiện (không phải lỗi)" in result.output
    assert not _english(result.output), result.output
    table = runner.invoke(app, ["check", str(diesel), "--lang", "vi", "--format", "csv"])
    said = [row["message"] for row in csv.DictReader(io.StringIO(table.output.split("\n\n")[0]))]
    assert "lượng bằng 0: cơ sở không hoạt động, hay thiếu số liệu?" in said
    assert "-100% so với năm trước (ngưỡng 50%)" in said
    assert not _english(table.output)


@pytest.mark.parametrize("args", [
    ["uncertainty", "--no-activity-defaults"],           # a refusal of the analysis
    ["key-categories", "--year", "1990"],                 # a refusal of the analysis
    ["uncertainty", "--trend", "2022"],                   # the command line's own error
    ["uncertainty", "--method", "bootstrap"],
    ["rollup", "--format", "xml"],
], ids=["no-activity-uncertainty", "no-year", "trend", "method", "format"])
def test_refusals_are_said_in_vietnamese(diesel: Path, args: list[str]):
    result = runner.invoke(app, [args[0], str(diesel), *args[1:], "--lang", "vi"])
    assert result.exit_code == 2
    assert not _english(result.output, frame=False), result.output
    english = runner.invoke(app, [args[0], str(diesel), *args[1:]])
    assert _english(english.output, frame=False), english.output  # the check sees English


def test_a_usage_error_in_a_vietnamese_run(diesel: Path):
    # the program itself: click's frame (title, "Try ... for help") is Vietnamese too
    run = subprocess.run([sys.executable, "-m", "ghg_inventory.cli", "factors", "--edition",
                          "2020", "--lang", "vi"], capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "100", "LANG": "C.UTF-8",
                              "LC_ALL": "", "GHG_INVENTORY_LANG": ""}, check=False)
    assert run.returncode == 2
    assert "Giá trị không hợp lệ của --edition: không có ấn bản '2020'; hãy dùng 2006 " \
        "hoặc 2019" in run.stderr
    assert "để được trợ giúp" in run.stderr and "─ Lỗi ─" in run.stderr
    # click's own "Usage:" line is the one English word left
    assert [line for line in _english(run.stderr)] == [], run.stderr


# --- output never cut: headers whole, rollup's grouping named, CSV without float noise -----

def test_a_header_wraps_between_words_never_inside_one():
    frame = pd.DataFrame({"facility_name": ["Nhà máy xi măng 1 (dữ liệu giả lập / synthetic)"],
                          "current_years": ["2022-2023"],
                          "submitted_at": ["2026-12-06 01:14:06.939054"],
                          "reason": ["2023 clay tonnage corrected after the weighbridge audit"],
                          "direct_co2e_t": [8502.29]})
    out = io.StringIO()
    show(frame_table(frame, "Submissions"), console=Console(file=out, width=60))
    text = out.getvalue()
    for word in ("current_years", "submitted_at", "direct_co2e_t", "01:14:06.939054",
                 "8,502.29", "weighbridge"):
        assert word in text, text
    assert "…" not in text


@pytest.fixture(scope="module")
def store(diesel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the diesel facility's report, replaced once with a long reason."""
    path = tmp_path_factory.mktemp("store") / "province.duckdb"
    assert runner.invoke(app, ["submit", str(diesel), "--store", str(path)]).exit_code == 0
    again = diesel.with_name("again.csv")
    pd.read_csv(diesel).assign(amount=[12.3456789, 0]).to_csv(again, index=False)
    result = runner.invoke(app, ["submit", str(again), "--store", str(path), "--reason",
                                 "2022 diesel corrected after the audit of the fuel invoices"])
    assert result.exit_code == 0, result.output
    return path


def test_store_list_at_120_columns_keeps_its_headers_whole(store: Path):
    result = runner.invoke(app, ["store", "list", "--store", str(store), "--history"])
    assert result.exit_code == 0, result.output
    for header in ("submission_id", "current_years", "submitted_at", "direct_co2e_t",
                   "current_direct_co2e_t"):
        assert header in result.output, result.output


def test_rollup_in_vietnamese_names_its_grouping_in_vietnamese(tmp_path: Path):
    path = Path(__file__).resolve().parents[1] / "examples" / "lai_chau" / "activities.csv"
    small = tmp_path / "small.csv"
    pd.read_csv(path).head(30).to_csv(small, index=False)
    vi = runner.invoke(app, ["rollup", str(small), "--by", "plan_area", "--lang", "vi"])
    en = runner.invoke(app, ["rollup", str(small), "--by", "plan_area"])
    assert vi.exit_code == 0, vi.output
    assert "Phát thải trực tiếp theo lĩnh vực của kế hoạch" in vi.output
    assert "theo plan_area" not in vi.output
    assert "Direct emissions by plan_area" in en.output


def test_csv_numbers_without_float_noise(store: Path):
    # the same sum taken in two orders: 12 significant digits print it once
    assert _csv_number(8502.292981050003) == _csv_number(8502.292981049999) == "8502.29298105"
    assert _csv_number(2022.0) == "2022.0" and _csv_number(0.1 + 0.2) == "0.3"
    result = runner.invoke(app, ["store", "history", "F1", "--store", str(store),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 2
    for row in rows:
        for column in ("direct_co2e_t", "current_direct_co2e_t"):
            if row[column]:
                digits = row[column].replace(".", "").replace("-", "").lstrip("0")
                assert len(digits.rstrip("0")) <= 12, row[column]
