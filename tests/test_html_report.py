"""The HTML report and its workbook, on the Lai Châu example (synthetic data)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.reporting.html_report import (
    FIGURE_IDS,
    format_number,
    write_report,
    write_workbook,
)
from ghg_inventory.reporting.sections import basis_of, progress_status

YEAR = 2023
#: one pytest-xdist worker runs the module (make test, --dist loadgroup): its reports are
#: rendered once, not once per worker
pytestmark = pytest.mark.xdist_group("html_report")


@pytest.fixture(scope="module")
def inventory(lai_chau_inventory: ghg.Inventory) -> ghg.Inventory:
    # computing the example takes a few seconds: once for the session (conftest.py)
    return lai_chau_inventory


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    # a name with markup checks that data text is escaped, not interpreted
    return pd.DataFrame({
        "indicator": ["Tỷ lệ che phủ rừng", "Tỷ lệ che phủ rừng", "Tiết kiệm <b>năng lượng</b>"],
        "year": [2022, 2023, 2023],
        "observed": [50.1, 51.3, 4.2],
        "target": [55.0, 55.0, 6.0],
        "unit": ["%", "%", "%"],
    })


@pytest.fixture(scope="module")
def report_vi(inventory: ghg.Inventory, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_report(inventory, tmp_path_factory.mktemp("vi") / "report.html", year=YEAR)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report_en(inventory: ghg.Inventory, indicators: pd.DataFrame,
              tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_report(inventory, tmp_path_factory.mktemp("en") / "report.html", year=YEAR,
                        lang="en", indicators=indicators)
    return path.read_text(encoding="utf-8")


# A small input whose totals are worked out by hand (no value from the code under test).
# Natural gas burned in manufacturing (1.A.2), IPCC 2006 defaults and AR5 GWPs:
#   1 t = 0.048 TJ (NCV 48.0 TJ/Gg, Vol 2 Table 1.2)
#   CO2 56,100 kg/TJ (Vol 2 Table 1.4); CH4 1 kg/TJ and N2O 0.1 kg/TJ (Vol 2 Table 2.3)
#   GWP-100 AR5 (WG1 Table 8.7): CH4 28, N2O 265
# so 1 t natural gas = 0.048 TJ x (56,100 + 1 x 28 + 0.1 x 265) kg CO2e/TJ
#                    = 0.048 x 56,154.5 = 2,695.416 kg CO2e
GAS_ROWS = pd.DataFrame({
    "facility_id": ["F1", "F2", "F1"], "commune": ["Xã A", "Xã B", "Xã A"],
    "year": [2023, 2023, 2022], "category": ["1.A.2"] * 3, "activity": ["natural_gas"] * 3,
    "amount": [1_000.0, 500.0, 1_000.0], "unit": ["t"] * 3})
# 2023: 1,500 t x 2,695.416 kg = 4,043,124 kg = 4,043.124 t CO2e; written with one decimal
GAS_2023_T = 4_043.124
GAS_2023_VI, GAS_2023_EN = "4.043,1", "4,043.1"


@pytest.fixture(scope="module")
def gas() -> ghg.Inventory:
    return ghg.compute(GAS_ROWS)


def test_numbers_are_written_the_way_each_language_writes_them():
    assert format_number(1234.5, "vi") == "1.234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(1234567.891, "vi", 2) == "1.234.567,89"
    assert format_number(-1234.5, "vi", 0) == "-1.234"  # 1234.5 rounds half to even
    assert format_number(-0.04, "en") == "0.0"  # no "-0.0" for a value that rounds to zero
    assert format_number(float("nan"), "vi") == "–"
    with pytest.raises(GHGInventoryError, match="language"):
        format_number(1.0, "fr")


#: figures drawn as a chart over their table; the others are tables alone
CHARTED = ("by-plan-area", "by-commune", "by-gas", "trend", "top-emitters")


def test_report_is_written_with_every_figure_and_its_table(report_vi: str):
    for figure_id in FIGURE_IDS:
        section = re.search(rf'<figure id="{figure_id}">(.*?)</figure>', report_vi, re.S)
        if figure_id == "indicators":  # only when indicators are given
            assert section is None
            continue
        assert section, figure_id
        assert "<figcaption>" in section.group(1) and "<table" in section.group(1)
        assert ('<img src="data:image/png;base64,' in section.group(1)) == (
            figure_id in CHARTED), figure_id


def test_report_is_self_contained(report_vi: str, report_en: str):
    for page in (report_vi, report_en):
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
        assert "<script" not in page.lower()
        assert "data:image/png;base64," in page


def test_headline_shows_the_direct_total_the_vietnamese_way(inventory: ghg.Inventory,
                                                            report_vi: str, gas: ghg.Inventory,
                                                            tmp_path: Path):
    page = write_report(gas, tmp_path / "gas.html", year=2023).read_text(encoding="utf-8")
    assert f'<p class="total">{GAS_2023_VI} t CO₂e</p>' in page  # 4,043.124 t
    assert "Phát thải trực tiếp" in report_vi and inventory.gwp in report_vi
    # the memo items are there, apart from the total
    assert "CO₂ sinh khối" in report_vi and "gián tiếp" in report_vi


def test_vietnamese_labels_and_category_names_by_default(report_vi: str):
    assert '<html lang="vi">' in report_vi
    for label in ("theo lĩnh vực của kế hoạch", "theo xã/phường", "theo khí", "xu hướng",
                  "cơ sở phát thải lớn nhất", "Năng lượng", "Nông nghiệp"):
        assert label in report_vi, label


def test_english_labels_with_lang_en(report_en: str, gas: ghg.Inventory, tmp_path: Path):
    assert '<html lang="en">' in report_en
    for label in ("Direct emissions", "by plan area", "by commune/ward", "by gas", "trend",
                  "largest emitting facilities", "Energy", "Agriculture",
                  "Progress towards the plan"):
        assert label in report_en, label
    assert "theo xã/phường" not in report_en
    page = write_report(gas, tmp_path / "gas.html", year=2023, lang="en").read_text(
        encoding="utf-8")
    assert f'<p class="total">{GAS_2023_EN} t CO₂e</p>' in page  # 4,043.124 t


def test_indicators_figure_only_when_indicators_are_given(report_vi: str, report_en: str):
    assert 'id="indicators"' not in report_vi
    assert '<figure id="indicators">' in report_en
    assert "Tỷ lệ che phủ rừng" in report_en
    # text from the data is escaped
    assert "Tiết kiệm &lt;b&gt;năng lượng&lt;/b&gt;" in report_en
    assert "<b>năng lượng</b>" not in report_en


def test_header_names_province_office_date_and_basis(inventory: ghg.Inventory,
                                                     tmp_path: Path):
    office = "Sở Nông nghiệp và Môi trường tỉnh Lai Châu"
    page = write_report(inventory, tmp_path / "r.html", year=YEAR, office=office,
                        produced=dt.date(2026, 12, 5)).read_text(encoding="utf-8")
    header = page[:page.index('<section class="headline">')]
    assert "Báo cáo kiểm kê khí nhà kính tỉnh Lai Châu năm 2023" in header
    assert office in header and "ngày 05 tháng 12 năm 2026" in header
    assert "Báo cáo đánh giá AR5 của IPCC" in header  # the GWP set in words
    assert "Hướng dẫn IPCC 2006" in header and ghg.__version__ in header
    # the factors used and how they were checked, in words with their shares
    assert re.search(r"\d+ hệ số đã dùng, từ \d+ bảng hệ số: \d+ hệ số đã đối chiếu với hai "
                     r"bản độc lập", header)
    english = write_report(inventory, tmp_path / "e.html", year=YEAR, lang="en",
                           produced=dt.date(2026, 12, 5)).read_text(encoding="utf-8")
    assert "Issuing office" in english and "(not stated)" in english
    assert "2026-12-05" in english and "checked against two independent copies" in english
    # the factor tables used are listed, file by file, in the basis section
    basis = re.search(r'<figure id="basis">(.*?)</figure>', page, re.S).group(1)
    assert "ipcc2006_ippu_minerals.csv" in basis


def test_basis_counts_each_factor_used_once_by_its_status(gas: ghg.Inventory):
    # natural gas in 1.A.2: its CO2, CH4 and N2O factors and its NCV (auxiliary), four
    # records of the 2006 tables, all checked against two sources
    basis = basis_of(gas, "x")
    assert basis.counts == {"two_sources": 4, "single_source": 0, "user": 0}
    assert basis.tables["used"].sum() == 4
    # so the whole direct total rests on two-source factors
    assert basis.shares["two_sources"] == pytest.approx(100.0)
    assert basis.shares["single_source"] == basis.shares["user"] == 0.0


def test_workbook_has_the_report_tables_and_communes_add_up(
        inventory: ghg.Inventory, indicators: pd.DataFrame, tmp_path: Path):
    path = write_workbook(inventory, tmp_path / "report.xlsx", year=YEAR,
                          indicators=indicators)
    # read only what is checked: parsing the long emissions sheet would take seconds
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Lĩnh vực kế hoạch", "Xã phường", "Khí", "Xu hướng",
                               "Cơ sở phát thải lớn nhất", "Số liệu tổng hợp", "Chỉ tiêu",
                               "Bảng hệ số", "Bảng phát thải", "Nguồn gốc số liệu"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book["Bảng phát thải"].max_row == len(inventory.emissions) + 1  # and a header
    book.close()
    sheets = pd.read_excel(path, sheet_name=["Xã phường", "Chỉ tiêu"])
    assert len(sheets["Chỉ tiêu"]) == indicators["indicator"].nunique()
    assert not list(tmp_path.glob("*.partial"))


def test_the_communes_sheet_adds_up_to_the_hand_worked_total(gas: ghg.Inventory,
                                                             tmp_path: Path):
    path = write_workbook(gas, tmp_path / "gas.xlsx", year=2023)
    communes = pd.read_excel(path, sheet_name="Xã phường").set_index("Xã/phường")
    direct = communes["Phát thải trực tiếp (t CO₂e)"]
    # Xã A: 1,000 t x 2,695.416 kg = 2,695.416 t; Xã B: 500 t -> 1,347.708 t
    assert direct["Xã A"] == pytest.approx(2_695.416, rel=1e-9)
    assert direct["Xã B"] == pytest.approx(1_347.708, rel=1e-9)
    assert direct.sum() == pytest.approx(GAS_2023_T, rel=1e-9)


def test_a_year_without_emissions_is_refused(inventory: ghg.Inventory, tmp_path: Path):
    with pytest.raises(GHGInventoryError, match="no emissions in 1990"):
        write_report(inventory, tmp_path / "r.html", year=1990)
    with pytest.raises(GHGInventoryError, match="no emissions in 1990"):
        write_workbook(inventory, tmp_path / "r.xlsx", year=1990)
    assert not list(tmp_path.iterdir())


def test_an_unknown_language_is_refused(inventory: ghg.Inventory, tmp_path: Path):
    with pytest.raises(GHGInventoryError, match="language"):
        write_report(inventory, tmp_path / "r.html", year=YEAR, lang="fr")
    assert not list(tmp_path.iterdir())


def test_rows_without_a_commune_are_shown_as_not_stated(tmp_path: Path):
    # a roll-up by a key with empty cells would label them with another commune's name
    rows = pd.DataFrame({"facility_id": ["A", "B"], "year": [2024, 2024],
                         "category": ["1.A.2", "1.A.2"], "activity": ["natural_gas"] * 2,
                         "amount": [100.0, 200.0], "unit": ["t", "t"],
                         "commune": ["Xã A", None]})
    small = ghg.compute(rows)
    path = write_workbook(small, tmp_path / "small.xlsx", lang="en")
    communes = pd.read_excel(path, sheet_name="Communes")
    assert list(communes["Commune/ward"]) == ["(not stated)", "Xã A"]
    # 200 t x 2,695.416 kg = 539.0832 t (no commune); 100 t -> 269.5416 t (Xã A)
    assert list(communes["Direct emissions (t CO₂e)"]) == pytest.approx(
        [539.0832, 269.5416], rel=1e-9)


# Facility reports and a provincial aggregate (facility_type "aggregate"), hand-worked with the
# natural-gas arithmetic above: F1 1,000 t -> 2,695.416 t CO2e; AG-1 (a commune's
# compilation) 2,000 t -> 5,390.832 t CO2e, the largest, yet no facility.
MIXED_ROWS = pd.concat([GAS_ROWS.iloc[[0]], pd.DataFrame({
    "facility_id": ["AG-1"], "commune": ["Xã B"], "year": [2023], "category": ["1.A.2"],
    "activity": ["natural_gas"], "amount": [2_000.0], "unit": ["t"],
    "facility_type": ["aggregate"]})], ignore_index=True)


def test_top_emitters_rank_facility_reports_and_aggregates_stand_apart(tmp_path: Path):
    mixed = ghg.compute(MIXED_ROWS)
    page = write_report(mixed, tmp_path / "m.html", year=2023).read_text(encoding="utf-8")
    top = re.search(r'<figure id="top-emitters">(.*?)</figure>', page, re.S).group(1)
    aggregates = re.search(r'<figure id="aggregates">(.*?)</figure>', page, re.S).group(1)
    assert "F1" in top and "AG-1" not in re.sub(r'src="[^"]*"', "", top)
    assert "AG-1" in aggregates and "F1" not in aggregates
    # one facility: the singular caption, never "the 1 largest emitting facilities"
    assert "Cơ sở phát thải lớn nhất năm 2023" in top
    english = write_report(mixed, tmp_path / "e.html", year=2023, lang="en").read_text(
        encoding="utf-8")
    assert "The largest emitting facility 2023" in english
    assert "1 largest" not in english
    assert "2023 covers 1 facility report and 1 provincial aggregate" in english
    # shares of the direct total 8,086.248 t: F1 2,695.416 / 8,086.248 = 33.3 %
    assert '<td class="num">2.695,4</td><td class="num">33,3</td>' in top
    # the plan-area table splits the total: facility reports 2,695.4, aggregates 5,390.8
    plan = re.search(r'<figure id="by-plan-area">(.*?)</figure>', page, re.S).group(1)
    assert '<td class="num">2.695,4</td><td class="num">5.390,8</td>' in plan


def test_trend_says_what_each_year_covers(tmp_path: Path):
    mixed = ghg.compute(pd.concat([MIXED_ROWS, GAS_ROWS.iloc[[2]]], ignore_index=True))
    path = write_workbook(mixed, tmp_path / "m.xlsx", year=2023, lang="en")
    trend = pd.read_excel(path, sheet_name="Trend").set_index("Year")
    assert list(trend.index) == [2022, 2023]
    assert list(trend["Facility reports (number)"]) == [1, 1]
    assert list(trend["Provincial aggregates (number)"]) == [0, 1]
    # 2022: F1 1,000 t -> 2,695.416 t; 2023: F1 2,695.416 + AG-1 5,390.832 = 8,086.248 t
    assert list(trend["Direct emissions (t CO₂e)"]) == pytest.approx([2_695.416, 8_086.248])
    assert list(trend["Plan areas covered"]) == ["Energy", "Energy"]


def test_small_masses_keep_significant_digits(report_vi: str):
    gases = re.search(r'<figure id="by-gas">(.*?)</figure>', report_vi, re.S).group(1)
    assert not re.search(r">0,0+<", gases)  # a mass that is not zero is never "0,000"


def test_plan_progress_status_in_words_hand_worked():
    frame = pd.DataFrame({
        "indicator": ["forest_cover", "forest_cover", "rural_solid_waste_collected_treated",
                      "rural_solid_waste_collected_treated", "urban_hygienic_water",
                      "wastewater_treatment_industrial_clusters"],
        "year": [2022, 2023, 2022, 2023, 2023, 2023],
        "observed": [50.5, 51.5, 60.0, 62.0, 100.0, 50.0],
        "target": [55.0, 55.0, 90.0, 90.0, 100.0, 100.0],
        "unit": ["percent"] * 6, "target_year": [2030] * 6})
    status = progress_status(frame).set_index("indicator")
    # forest: +1 point a year from 51.5 in 2023 -> 58.5 in 2030 >= 55: on track
    assert status.at["forest_cover", "projected"] == pytest.approx(58.5)
    assert status.at["forest_cover", "status"] == "on_track"
    # rural waste: +2 a year from 62 -> 76 in 2030 < 90: behind, by 90 - 62 = 28 points
    assert status.at["rural_solid_waste_collected_treated", "status"] == "behind"
    assert status.at["rural_solid_waste_collected_treated", "gap"] == pytest.approx(28.0)
    assert status.at["urban_hygienic_water", "status"] == "reached"
    # one observed year: no trend, behind by its gap 100 - 50
    assert status.at["wastewater_treatment_industrial_clusters", "status"] == "behind"


def test_plan_section_names_targets_in_the_language_never_raw_keys(gas: ghg.Inventory,
                                                                     tmp_path: Path):
    frame = pd.DataFrame({"indicator": ["forest_cover", "rice_land"], "year": [2023, 2023],
                          "observed": [51.5, 31_200.0], "target": [55.0, 32_000.0],
                          "unit": ["percent", "ha"], "target_year": [2030, 2030]})
    page = write_report(gas, tmp_path / "p.html", year=2023, indicators=frame).read_text(
        encoding="utf-8")
    plan = re.search(r'<figure id="indicators">(.*?)</figure>', page, re.S).group(1)
    assert "Tỷ lệ che phủ rừng" in plan and "Diện tích đất trồng lúa" in plan
    assert "forest_cover" not in plan and "rice_land" not in plan and "percent" not in plan
    assert "51,5 %" in plan and "55 % (2030)" in plan and "31.200 ha" in plan
    # 55 - 51.5 = 3.5 points; 32,000 - 31,200 = 800 ha
    assert "chậm tiến độ, còn thiếu 3,5 điểm phần trăm" in plan
    assert "chậm tiến độ, còn thiếu 800 ha" in plan
    assert "2023.0" not in plan


def test_report_command_takes_the_office_as_a_setting_and_the_date(tmp_path: Path):
    from typer.testing import CliRunner

    from ghg_inventory.cli import app
    from ghg_inventory.province.store import submit

    rows = tmp_path / "F1.csv"
    GAS_ROWS[GAS_ROWS["facility_id"] == "F1"].to_csv(rows, index=False)
    store = tmp_path / "p.duckdb"
    submit(rows, store)
    office = "Sở Nông nghiệp và Môi trường tỉnh Lai Châu"
    runner = CliRunner(env={"COLUMNS": "250", "GHG_INVENTORY_OFFICE": office})
    out = tmp_path / "r.html"
    done = runner.invoke(app, ["report", "--store", str(store), "--out", str(out),
                               "--date", "2026-12-05"])
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    assert office in page and "ngày 05 tháng 12 năm 2026" in page
    assert "tỉnh Lai Châu năm 2023" in page
    bad = runner.invoke(app, ["report", "--store", str(store), "--out", str(tmp_path / "x.html"),
                              "--date", "5/12/2026"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_report_command_counts_extra_tables_as_provincial_aggregates(tmp_path: Path):
    # --extra is the province's own compilation: its rows are aggregates, never ranked
    # among the facilities, even without a facility_type column
    from typer.testing import CliRunner

    from ghg_inventory.cli import app
    from ghg_inventory.province.store import submit

    rows = tmp_path / "F1.csv"
    GAS_ROWS[GAS_ROWS["facility_id"] == "F1"].to_csv(rows, index=False)
    store = tmp_path / "p.duckdb"
    submit(rows, store)
    compiled = tmp_path / "communes.csv"
    GAS_ROWS[GAS_ROWS["facility_id"] == "F2"].to_csv(compiled, index=False)
    out = tmp_path / "r.html"
    done = CliRunner(env={"COLUMNS": "250"}).invoke(app, [
        "report", "--store", str(store), "--out", str(out), "--year", "2023", "--lang", "en",
        "--extra", str(compiled)])
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    top = re.search(r'<figure id="top-emitters">.*?(<table.*?)</figure>', page, re.S).group(1)
    aggregates = re.search(r'<figure id="aggregates">(.*?)</figure>', page, re.S).group(1)
    assert "F1" in top and "F2" not in top and "F2" in aggregates
    assert "2023 covers 1 facility report and 1 provincial aggregate" in page
    # F2: 500 t x 2,695.416 kg = 1,347.708 t
    assert '<td class="num">1,347.7</td>' in aggregates
