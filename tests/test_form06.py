"""Form 06 of Decree 06/2022/NĐ-CP (facility inventory report), on one facility of the Lai Châu
example (synthetic data): a cement plant, LC-001, with coal, diesel, clinker and grid
electricity in 2022 and 2023."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory.errors import GHGInventoryError, UnknownKeyError
from ghg_inventory.province.form06 import HEADINGS, SHEETS, write_form06

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lai_chau" / "activities.csv"
FACILITY = {
    "name": "Nhà máy xi măng 1",
    "tax_code": "0100000001",
    "address": "Bản Hua Bum",
    "commune": "Xã Hua Bum",
    "sector": "Sản xuất xi măng",
    "ministry": "Bộ Xây dựng",
    # legal_representative left out on purpose: an empty cell to fill
}


@pytest.fixture(scope="module")
def activities() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE)


@pytest.fixture(scope="module")
def inventory(activities: pd.DataFrame) -> ghg.Inventory:
    return ghg.compute(activities[activities["facility_id"] == "LC-001"])


@pytest.fixture(scope="module")
def workbook(inventory: ghg.Inventory, tmp_path_factory: pytest.TempPathFactory
             ) -> openpyxl.Workbook:
    path = write_form06(inventory, tmp_path_factory.mktemp("form06") / "mau06.xlsx",
                        facility=FACILITY)
    return openpyxl.load_workbook(path)


def texts(book: openpyxl.Workbook) -> list[str]:
    return [str(c.value) for ws in book for row in ws.iter_rows() for c in row
            if c.value is not None]


def find(ws, value: str):
    """The first cell of a sheet holding exactly ``value``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} not found on sheet {ws.title!r}")


def named(book: openpyxl.Workbook, name: str) -> float:
    ((sheet, coordinate),) = list(book.defined_names[name].destinations)
    return book[sheet][coordinate.replace("$", "")].value


def test_one_sheet_per_section_with_the_forms_headings(workbook):
    assert workbook.sheetnames == list(SHEETS["vi"].values())
    everything = texts(workbook)
    for key, heading in HEADINGS["vi"].items():
        if key in ("title", "facility_placeholder"):
            continue
        assert heading in everything, key
    # the two-year title of Decree 119/2025
    assert "Kết quả kiểm kê khí nhà kính cho năm 2022 và năm 2023" in everything


def test_facility_fields_come_from_the_mapping_and_missing_ones_are_left_to_fill(workbook):
    ws = workbook[SHEETS["vi"]["I"]]
    assert ws.cell(row=find(ws, "Tên cơ sở").row, column=2).value == "Nhà máy xi măng 1"
    assert "NHÀ MÁY XI MĂNG 1" in texts(workbook)  # the form's header line
    assert ws.cell(row=find(ws, "Mã số thuế").row, column=2).value == "0100000001"
    representative = ws.cell(row=find(ws, "Người đại diện theo pháp luật").row, column=2)
    assert representative.value is None  # not invented
    assert representative.fill.fgColor.rgb.endswith("FFF2CC")  # marked for the facility


def test_direct_totals_per_year_equal_the_inventory(workbook, inventory):
    direct = inventory.rollup(by="year").set_index("year")["co2e_kg"] / 1000.0
    ws = workbook[SHEETS["vi"]["III.3"]]
    for year in (2022, 2023):
        cell = ws.cell(row=find(ws, f"Tổng phát thải trực tiếp năm {year}").row, column=3)
        assert cell.value == pytest.approx(direct[year], rel=1e-12)
        assert cell.number_format == "#,##0.000"
        assert named(workbook, f"direct_total_{year}") == pytest.approx(direct[year], rel=1e-12)
    # the two years are the whole inventory: together they are its total
    assert sum(named(workbook, f"direct_total_{y}") for y in (2022, 2023)) == pytest.approx(
        inventory.total().m_as("t * CO2e"), rel=1e-12)


def test_indirect_emissions_are_reported_apart_never_added(workbook, inventory):
    direct = inventory.rollup(by="year").set_index("year")["co2e_kg"] / 1000.0
    indirect = inventory.rollup(by="year", scope="indirect").set_index("year")["co2e_kg"] / 1000
    ws = workbook[SHEETS["vi"]["III.3"]]
    for year in (2022, 2023):
        assert indirect[year] > 0  # grid electricity
        value = named(workbook, f"indirect_total_{year}")
        assert value == pytest.approx(indirect[year], rel=1e-12)
        total = named(workbook, f"direct_total_{year}")
        assert total != pytest.approx(direct[year] + indirect[year])
        # the direct total is the sum of the direct gas rows above it, and nothing else
        row = find(ws, f"Tổng phát thải trực tiếp năm {year}").row
        gas_rows = []
        r = row - 1
        while ws.cell(row=r, column=1).value in ("CO2", "CH4", "N2O"):
            gas_rows.append(ws.cell(row=r, column=3).value)
            r -= 1
        assert sum(gas_rows) == pytest.approx(total, rel=1e-12)
        assert named(workbook, f"biogenic_co2_{year}") == 0


def test_every_factor_used_is_in_the_methods_table_with_its_source(workbook, inventory, db):
    emissions = inventory.emissions
    used = set(emissions["factor_id"].astype(str))
    for chain in emissions["auxiliary_factor_ids"].astype(str):
        used |= {f for f in chain.split(";") if f and f != "nan"}
    assert len(used) >= 10  # EF per gas, NCV, density, clinker, one grid factor per year
    ws = workbook[SHEETS["vi"]["III.1"]]
    header = find(ws, "Mã hệ số (factor_id)")
    source_column = find(ws, "Nguồn").column
    listed = {}
    for row in range(header.row + 1, ws.max_row + 1):
        fid = ws.cell(row=row, column=header.column).value
        if fid:
            listed[fid] = ws.cell(row=row, column=source_column).value
    sources = db.table.set_index("factor_id")["source"]
    for fid in used:
        assert fid in listed, fid
        assert listed[fid] == sources[fid]


def test_activity_data_are_shown_as_reported(workbook, activities):
    ws = workbook[SHEETS["vi"]["III.2"]]
    amount_column = find(ws, "Lượng (như báo cáo)").column
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=find(ws, "Năm").row + 1)]
    diesel = [r for r in rows if r[0] == 2022 and r[3] == "gas_diesel_oil"]
    assert len(diesel) == 1
    # 173,915 L in the CSV, not the m3 the engine computes with
    reported = activities.query("facility_id == 'LC-001' and year == 2022 "
                                "and activity == 'gas_diesel_oil'")
    assert diesel[0][amount_column - 1] == pytest.approx(float(reported["amount"].iloc[0]))
    assert diesel[0][amount_column] == "L"


def test_uncertainty_is_stated_as_not_assessed_without_options(workbook):
    assert any(t.startswith("Không đánh giá") for t in texts(workbook))


def test_uncertainty_from_error_propagation_when_given(tmp_path):
    # Natural gas in a factory boiler (1.A.2), 1,000 t in 2022 and 2,000 t in 2023. Approach 1
    # (IPCC 2006 Vol 1 Ch 3) per year, every gas a source as in Table 3.2:
    #   each source:  U = sqrt(U_AD^2 + U_NCV^2 + U_EF^2)              (Eq. 3.1)
    #   the year:     U = sqrt(sum (U_i x E_i)^2) / sum E_i            (Eq. 3.2)
    # Activity data 5 % (given). NCV 48.0 TJ/Gg, 95% range 46.5-50.4 (Vol 2 Table 1.2): the
    # larger side, (50.4 - 48.0) / 48.0 = 5.0 %. CO2 56,100 kg/TJ, range 54,300-58,300 (Vol 2
    # Table 1.4): (58,300 - 56,100) / 56,100 = 3.9216 %. CH4 1 kg/TJ (0.3-3) and N2O
    # 0.1 kg/TJ (0.03-0.3) (Vol 2 Table 2.3, as printed): the larger side, 200 % each. Per TJ
    # burned, in kg CO2e (AR5: CH4 28, N2O 265): CO2 56,100, CH4 28, N2O 26.5; the tonnage
    # cancels, so both years have the same uncertainty.
    rows = pd.DataFrame({"facility_id": "F1", "year": [2022, 2023], "category": "1.A.2",
                         "activity": "natural_gas", "amount": [1_000.0, 2_000.0],
                         "unit": "t"})
    options = {"activity_uncertainty": {"1": 5}}
    path = write_form06(ghg.compute(rows), tmp_path / "u.xlsx", facility=FACILITY,
                        uncertainty=options)
    u_co2 = (5**2 + 5.0**2 + (2_200 / 56_100 * 100) ** 2) ** 0.5  # 8.0857 %
    u_ch4 = (5**2 + 5.0**2 + 200**2) ** 0.5                      # 200.12 %
    u_n2o = (5**2 + 5.0**2 + 200**2) ** 0.5                      # 200.12 %
    expected = ((u_co2 * 56_100) ** 2 + (u_ch4 * 28) ** 2 + (u_n2o * 26.5) ** 2) ** 0.5 \
        / (56_100 + 28 + 26.5)
    assert expected == pytest.approx(8.0790, abs=5e-5)  # the arithmetic above, by hand
    ws = openpyxl.load_workbook(path)[SHEETS["vi"]["III.4"]]
    header = find(ws, "Độ KCC tổng hợp (± %)")
    for offset, year in enumerate((2022, 2023), start=1):
        assert ws.cell(row=header.row + offset, column=1).value == year
        assert ws.cell(row=header.row + offset, column=header.column).value == pytest.approx(
            expected, rel=1e-9)


def test_several_facilities_are_refused_naming_them(activities, tmp_path):
    two = ghg.compute(activities[activities["facility_id"].isin(["LC-001", "LC-020"])])
    with pytest.raises(GHGInventoryError, match="LC-001, LC-020"):
        write_form06(two, tmp_path / "two.xlsx", facility=FACILITY)
    assert not (tmp_path / "two.xlsx").exists()


def test_a_year_without_data_is_refused(inventory, activities, tmp_path):
    with pytest.raises(GHGInventoryError, match="no activity data for 2021"):
        write_form06(inventory, tmp_path / "y.xlsx", facility=FACILITY, years=(2021, 2022))
    # by default the last year and the one before: one year alone is not a period
    one_year = ghg.compute(activities.query("facility_id == 'LC-001' and year == 2023"))
    with pytest.raises(GHGInventoryError, match="no activity data for 2022"):
        write_form06(one_year, tmp_path / "y.xlsx", facility=FACILITY)
    with pytest.raises(GHGInventoryError, match="consecutive"):
        write_form06(inventory, tmp_path / "y.xlsx", facility=FACILITY, years=(2021, 2023))
    assert not (tmp_path / "y.xlsx").exists()


def test_unknown_facility_keys_and_options_are_refused(inventory, tmp_path):
    with pytest.raises(UnknownKeyError, match="tax code"):
        write_form06(inventory, tmp_path / "k.xlsx", facility={"tax code": "0100000001"})
    with pytest.raises(UnknownKeyError, match="iterations"):
        write_form06(inventory, tmp_path / "k.xlsx", facility=FACILITY,
                     uncertainty={"iterations": 1000})


def test_english_working_translation(inventory, tmp_path):
    path = write_form06(inventory, tmp_path / "en.xlsx", facility={"name": "Cement plant 1"},
                        lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(SHEETS["en"].values())
    assert HEADINGS["en"]["III.3"] in texts(book)
    assert named(book, "direct_total_2023") == pytest.approx(
        inventory.rollup(by="year").set_index("year").at[2023, "co2e_kg"] / 1000.0)


def test_a_landfill_lists_the_earlier_deposits_that_still_emit(activities, tmp_path):
    # first-order decay: the emissions of 2022-2023 come from every deposit since 2015
    rows = activities[activities["facility_id"] == "LC-DUMP-01"]
    landfill = ghg.compute(rows)
    path = write_form06(landfill, tmp_path / "dump.xlsx", facility={})
    book = openpyxl.load_workbook(path)
    ws = book[SHEETS["vi"]["III.2"]]
    header = find(ws, "Năm")
    years = [ws.cell(row=r, column=1).value for r in range(header.row + 1, ws.max_row + 1)]
    listed = [y for y in years if isinstance(y, int)]
    assert len(listed) == len(rows)  # each deposit row once, none of the derived rows
    assert sorted(set(listed)) == sorted(set(rows["year"]))
    direct = landfill.rollup(by="year").set_index("year")["co2e_kg"] / 1000.0
    for year in (2022, 2023):
        assert named(book, f"direct_total_{year}") == pytest.approx(direct[year], rel=1e-12)


WORKBOOK = EXAMPLE.parent / "workbooks" / "LC-001.xlsx"


def test_command_takes_the_period_and_reads_the_filled_workbook(tmp_path):
    # the example's cement plant as it sent its report: the Vietnamese template, filled
    from typer.testing import CliRunner

    from ghg_inventory.cli import app

    runner = CliRunner(env={"COLUMNS": "250"})
    out = tmp_path / "mau06.xlsx"
    done = runner.invoke(app, ["form06", str(WORKBOOK), "--out", str(out),
                               "--period", "2022,2023"])
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(out)
    # the facility sheet of the workbook names the facility on the form
    assert any("Nhà máy xi măng 1" in t for t in texts(book))
    assert any("2022" in t and "2023" in t for t in texts(book))
    # a period without data is refused, naming the years that have some
    refused = runner.invoke(app, ["form06", str(WORKBOOK), "--out", str(tmp_path / "x.xlsx"),
                                  "--period", "2021,2022"])
    assert refused.exit_code == 2 and "2021" in refused.output
    bad = runner.invoke(app, ["form06", str(WORKBOOK), "--out", str(tmp_path / "y.xlsx"),
                              "--period", "2023"])
    assert bad.exit_code == 2 and "FIRST,LAST" in bad.output
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "y.xlsx").exists()
