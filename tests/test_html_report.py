"""The HTML report and its workbook, on the Lai Châu example (synthetic data)."""

from __future__ import annotations

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

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lai_chau" / "activities.csv"
YEAR = 2023


@pytest.fixture(scope="module")
def inventory() -> ghg.Inventory:
    # computing the example takes a few seconds: once for the whole module
    return ghg.compute(EXAMPLE)


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


def test_report_is_written_with_every_figure_and_its_table(report_vi: str):
    for figure_id in FIGURE_IDS[:-1]:
        section = re.search(rf'<figure id="{figure_id}">(.*?)</figure>', report_vi, re.S)
        assert section, figure_id
        assert "<figcaption>" in section.group(1) and "<table>" in section.group(1)
        assert '<img src="data:image/png;base64,' in section.group(1)


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
                  "largest emitting facilities", "Energy", "Agriculture", "Indicators"):
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


def test_provenance_and_version_are_stated(inventory: ghg.Inventory, report_vi: str):
    footer = report_vi[report_vi.index('<footer class="provenance">'):]
    assert inventory.meta["gwp"] in footer and inventory.meta["guidelines"] in footer
    assert Path(inventory.meta["factor_tables"][0]).name in footer
    assert ghg.__version__ in footer


def test_workbook_has_the_report_tables_and_communes_add_up(
        inventory: ghg.Inventory, indicators: pd.DataFrame, tmp_path: Path):
    path = write_workbook(inventory, tmp_path / "report.xlsx", year=YEAR,
                          indicators=indicators)
    # read only what is checked: parsing the long emissions sheet would take seconds
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["Lĩnh vực kế hoạch", "Xã phường", "Khí", "Xu hướng",
                               "Cơ sở phát thải lớn nhất", "Chỉ tiêu", "Bảng phát thải",
                               "Nguồn gốc số liệu"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book["Bảng phát thải"].max_row == len(inventory.emissions) + 1  # and a header
    book.close()
    sheets = pd.read_excel(path, sheet_name=["Xã phường", "Chỉ tiêu"])
    assert len(sheets["Chỉ tiêu"]) == len(indicators)
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
