"""Numbers in the province's own tables read under a declared format or refused (issue 23,
item 1): forest areas, natural areas, the land-use change matrix, REDD+ reference levels,
the commune crosswalk, observed plan indicators, waste scenarios, the energy BAU and
balance tables, and the factor tables of ``ghg-inventory factors``.

``12.000`` is twelve thousand in Vietnamese (thousands point) and twelve in English
(decimal point). Without a declared format such a value is refused, naming file, row,
column and both readings, unless its column settles the convention (``12,5`` reads only
with a decimal comma). Expected values are worked by hand in the comments.

Printed values used:

* forest biomass (Vol 4 Ch 2 Eq. 2.16 with the row's own R and CF, as tests/test_forestry.py):
  C = area x (AGB before x (1 + R) x CF - C after); CO2 = C x 44/12.
* composting (Vol 5 Ch 4 Table 4.1, wet weight): 4 g CH4/kg and 0.24 g N2O/kg waste treated.
* plan targets (data/plan_targets.csv, Lai Châu plan to 2030): rice land 32,000 ha,
  forest cover 55 %.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.cli import app
from ghg_inventory.errors import ActivityValidationError
from ghg_inventory.province.completeness import plan_progress, to_current_communes
from ghg_inventory.province.redd import (
    forest_area_change,
    forest_cover,
    land_use_change_activities,
    redd_results,
    special_use_forest,
)
from ghg_inventory.province.scenarios import waste_scenarios

runner = CliRunner(env={"COLUMNS": "250"})
C_TO_CO2 = 44 / 12
OWN = {"root_shoot": 0.2, "carbon_fraction": 0.47}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def refusal(action) -> ActivityValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ActivityValidationError) as caught:
        action()
    return caught.value


def assert_names_both_readings(error: ActivityValidationError, file: str, row: int,
                               column: str, text: str, point: str, comma: str) -> None:
    """The refusal names file, row, column, the value and its two readings."""
    found = [p for p in error.problems if (p.file, p.row, p.column) == (file, row, column)]
    assert found, error.problems
    assert found[0].value == text
    assert f"reads as {point} (decimal point)" in found[0].message
    assert f"or {comma} (thousands point)" in found[0].message


# --- forest areas and natural areas ---------------------------------------------------------

NATURAL = "name_vi,level,natural_area_km2\nTỉnh Lai Châu,province,240\nXã A,commune,240\n"


def forest_csv(tmp_path: Path, *areas: str) -> Path:
    lines = [f'Xã A,{2024 + i},rich,special_use,"{a}"' for i, a in enumerate(areas)]
    return write(tmp_path / "forest.csv",
                 "commune,year,forest_type,function,area_ha\n" + "\n".join(lines) + "\n")


def test_forest_cover_refuses_an_ambiguous_forest_area(tmp_path: Path):
    forest, natural = forest_csv(tmp_path, "12.000"), write(tmp_path / "nat.csv", NATURAL)
    error = refusal(lambda: forest_cover(forest, natural))
    assert_names_both_readings(error, "forest.csv", 2, "area_ha", "12.000", "12", "12000")


def test_forest_cover_with_the_vietnamese_format(tmp_path: Path):
    # 12.000 ha (Vietnamese) = 12,000 ha of forest in 240 km2 = 24,000 ha -> 50 %
    forest, natural = forest_csv(tmp_path, "12.000"), write(tmp_path / "nat.csv", NATURAL)
    cover = forest_cover(forest, natural, target_pct=55,
                         number_format="vi").set_index(["year", "commune"])
    assert cover.loc[(2024, "Xã A"), "forest_ha"] == 12_000
    assert cover.loc[(2024, "Xã A"), "cover_pct"] == pytest.approx(50.0)
    assert cover.loc[(2024, "Tỉnh Lai Châu"), "gap_pct"] == pytest.approx(50.0 - 55.0)


def test_a_natural_area_with_a_decimal_comma_is_read_as_written(tmp_path: Path):
    # '240,00' km2 reads only with a decimal comma: 24,000 ha; 12,000 ha forest -> 50 %
    forest = forest_csv(tmp_path, "12.000")
    natural = write(tmp_path / "nat.csv", NATURAL.replace("commune,240", 'commune,"240,00"'))
    cover = forest_cover(forest, natural, number_format="vi").set_index(["year", "commune"])
    assert cover.loc[(2024, "Xã A"), "natural_area_ha"] == pytest.approx(24_000)
    assert cover.loc[(2024, "Xã A"), "cover_pct"] == pytest.approx(50.0)


def test_a_forest_area_column_settled_by_a_decimal_comma(tmp_path: Path):
    # '12,5' reads only with a decimal comma, so '12.000' in the same column is 12,000 ha:
    # 2024: 12,000 ha / 24,000 ha = 50 %; 2025: 12.5 ha / 24,000 ha = 0.052083 %
    forest, natural = forest_csv(tmp_path, "12.000", "12,5"), write(tmp_path / "nat.csv",
                                                                    NATURAL)
    cover = forest_cover(forest, natural).set_index(["year", "commune"])
    assert cover.loc[(2024, "Xã A"), "cover_pct"] == pytest.approx(50.0)
    assert cover.loc[(2025, "Xã A"), "cover_pct"] == pytest.approx(12.5 / 24_000 * 100)


def test_forest_area_change_and_special_use_forest_read_the_declared_format(tmp_path: Path):
    forest = forest_csv(tmp_path, "12.000", "12.500")
    error = refusal(lambda: forest_area_change(forest, 2024, 2025))
    assert_names_both_readings(error, "forest.csv", 3, "area_ha", "12.500", "12.5", "12500")
    refusal(lambda: special_use_forest(forest))
    # 12,500 ha in 2025 - 12,000 ha in 2024 = +500 ha
    change = forest_area_change(forest, 2024, 2025, number_format="vi").set_index(
        "forest_type")
    assert change.loc["rich", "change_ha"] == pytest.approx(500)
    special = special_use_forest(forest, target_ha=12_000, number_format="vi")
    assert special["area_ha"].tolist() == [12_000, 12_500]
    assert special["kept"].tolist() == [True, True]
    assert special["year"].tolist() == [2024, 2025]  # years stay whole numbers


def test_excel_numeric_cells_are_numbers_and_text_cells_are_read(tmp_path: Path):
    # numeric cells 3,000 and 0.5 ha are numbers (never re-read); the text cell '12.000'
    # is ambiguous without a format, 12,000 ha with the Vietnamese one:
    # 3,000 + 12,000 + 0.5 = 15,000.5 ha of 24,000 ha = 62.502083 %
    book = Workbook()
    sheet = book.active
    sheet.append(["commune", "year", "area_ha"])
    for row in (["Xã A", 2024, 3000], ["Xã A", 2024, "12.000"], ["Xã A", 2024, 0.5]):
        sheet.append(row)
    path = tmp_path / "forest.xlsx"
    book.save(path)
    natural = write(tmp_path / "nat.csv", NATURAL)
    error = refusal(lambda: forest_cover(path, natural))
    assert_names_both_readings(error, "forest.xlsx", 3, "area_ha", "12.000", "12", "12000")
    assert len(error.problems) == 1  # the numeric cells are not questioned
    cover = forest_cover(path, natural, number_format="vi").set_index(["year", "commune"])
    assert cover.loc[(2024, "Xã A"), "forest_ha"] == pytest.approx(15_000.5)
    assert cover.loc[(2024, "Xã A"), "cover_pct"] == pytest.approx(15_000.5 / 24_000 * 100)


def test_an_excel_formula_without_a_value_is_refused(tmp_path: Path):
    # a workbook written by a program and never saved by a spreadsheet has no value for the
    # formula: pandas reads the cell as empty (a forest that vanishes from the sum)
    book = Workbook()
    sheet = book.active
    sheet.append(["commune", "year", "area_ha"])
    sheet.append(["Xã A", 2024, "=6000*2"])
    path = tmp_path / "forest.xlsx"
    book.save(path)
    error = refusal(lambda: forest_cover(path, write(tmp_path / "nat.csv", NATURAL)))
    assert [(p.file, p.row, p.column) for p in error.problems] == [
        ("forest.xlsx", 2, "area_ha")]
    assert "formula without a calculated value" in error.problems[0].message


def test_text_in_a_number_column_is_refused(tmp_path: Path):
    forest = forest_csv(tmp_path, "12000", "about 500")
    error = refusal(lambda: forest_cover(forest, write(tmp_path / "nat.csv", NATURAL)))
    assert [(p.file, p.row, p.column, p.value, p.message) for p in error.problems] == [
        ("forest.csv", 3, "area_ha", "about 500", "not a number")]


# --- land-use change matrix -----------------------------------------------------------------

MATRIX_HEADER = ("commune,year,from_class,to_class,area_ha,agb_stock,biomass_after,"
                 "root_shoot,carbon_fraction\n")


def matrix_csv(tmp_path: Path, *areas: str) -> Path:
    lines = [f'Xã Bình Lư,2024,forest,cropland,"{a}",150,5,"0,2","0,47"' for a in areas]
    return write(tmp_path / "matrix.csv", MATRIX_HEADER + "\n".join(lines) + "\n")


def test_a_land_use_change_matrix_refuses_an_ambiguous_area(tmp_path: Path):
    error = refusal(lambda: land_use_change_activities(matrix_csv(tmp_path, "1.200")))
    assert_names_both_readings(error, "matrix.csv", 2, "area_ha", "1.200", "1.2", "1200")


def test_a_land_use_change_matrix_in_the_vietnamese_format(tmp_path: Path):
    # 1.200 ha forest to cropland (Vietnamese: 1,200 ha), of 1.500 ha of forest (1,500 ha):
    # 1,200 x (150 x (1 + 0,2) x 0,47 - 5) = 1,200 x 79.6 = 95,520 t C = 350,240 t CO2
    areas = write(tmp_path / "areas.csv", "commune,year,land_class,area_ha\n"
                  "Xã Bình Lư,2024,forest,1.500\n")
    rows = land_use_change_activities(matrix_csv(tmp_path, "1.200"), areas,
                                      number_format="vi")
    assert rows["amount"].tolist() == [1_200]
    assert rows["root_shoot"].tolist() == [pytest.approx(0.2)]
    emissions = ghg.compute(rows).emissions["emissions_kg"].sum() / 1000
    assert emissions == pytest.approx(1_200 * (150 * 1.2 * 0.47 - 5) * C_TO_CO2)
    assert emissions == pytest.approx(350_240)
    # the land areas are read the same way: '1.500' undeclared is refused
    error = refusal(lambda: land_use_change_activities(matrix_csv(tmp_path, "1200"), areas))
    assert_names_both_readings(error, "areas.csv", 2, "area_ha", "1.500", "1.5", "1500")


def test_a_matrix_area_column_settled_by_a_decimal_comma(tmp_path: Path):
    # '2,5' reads only with a decimal comma: '1.200' in the same column is 1,200 ha
    rows = land_use_change_activities(matrix_csv(tmp_path, "1.200", "2,5"))
    assert rows["amount"].tolist() == [pytest.approx(1_200), pytest.approx(2.5)]


# --- REDD+ reference level ------------------------------------------------------------------

def deforestation_inventory() -> ghg.Inventory:
    # 10 ha x (200 t DM/ha x (1 + 0.2) x 0.47 - 5 t C/ha) = 1,078 t C = 3,952.67 t CO2
    return ghg.compute(activity_frame([{
        "category": "3.B.2.b", "activity": "deforestation", "amount": 10, "unit": "ha",
        "agb_stock": 200, **OWN, "biomass_after": 5}]))


def test_a_redd_reference_level_refuses_an_ambiguous_value(tmp_path: Path):
    reference = write(tmp_path / "frel.csv", "activity,reference_t_co2\ndeforestation,5.000\n")
    error = refusal(lambda: redd_results(deforestation_inventory(), reference))
    assert_names_both_readings(error, "frel.csv", 2, "reference_t_co2", "5.000", "5", "5000")


def test_a_redd_reference_level_in_the_vietnamese_format(tmp_path: Path):
    # reference 5.000 t CO2 (5,000 t) - 1,078 t C x 44/12 = 5,000 - 3,952.67 = 1,047.33 t
    reference = write(tmp_path / "frel.csv",
                      "activity,year,reference_t_co2\ndeforestation,2024,5.000\n")
    got = redd_results(deforestation_inventory(), reference, number_format="vi")
    result = got.set_index("activity").loc["deforestation", "result_t_co2"]
    assert result == pytest.approx(5_000 - 1_078 * C_TO_CO2)
    assert result == pytest.approx(1_047.33, abs=0.01)


def test_a_redd_reference_level_settled_by_a_decimal_comma(tmp_path: Path):
    # '300,5' settles the column: '5.000' is 5,000 t; result 5,000 - 3,952.67 = 1,047.33 t
    reference = write(tmp_path / "frel.csv", "activity,reference_t_co2\n"
                      'deforestation,5.000\ndegradation,"300,5"\n')
    got = redd_results(deforestation_inventory(), reference).set_index("activity")
    assert got.loc["deforestation", "result_t_co2"] == pytest.approx(5_000 - 1_078 * C_TO_CO2)
    assert got.loc["degradation", "reference_t_co2"] == pytest.approx(300.5)


# --- commune crosswalk ----------------------------------------------------------------------

def old_commune_rows(amount: str) -> pd.DataFrame:
    return pd.DataFrame([{"facility_id": "F", "year": 2020, "category": "1.A.2.e",
                          "activity": "anthracite", "amount": amount, "unit": "t",
                          "commune": "Xã Cũ"}])


CROSSWALK = 'old_commune,new_commune,share\nXã Cũ,Xã Bình Lư,"0,7"\nXã Cũ,Xã Tân Uyên,"0,3"\n'


def test_a_crosswalk_share_that_reads_two_ways_is_refused(tmp_path: Path):
    walk = write(tmp_path / "walk.csv", "old_commune,new_commune,share\nXã Cũ,Xã Mới,1.000\n")
    error = refusal(lambda: to_current_communes(old_commune_rows("100"), walk))
    assert_names_both_readings(error, "walk.csv", 2, "share", "1.000", "1", "1000")


def test_crosswalk_shares_settled_by_their_column_split_a_vietnamese_amount(tmp_path: Path):
    # shares '0,7' and '0,3' read only with a decimal comma; 12.000 t (Vietnamese: 12,000 t)
    # split 0.7 / 0.3 -> 8,400 t and 3,600 t
    walk = write(tmp_path / "walk.csv", CROSSWALK)
    error = refusal(lambda: to_current_communes(old_commune_rows("12.000"), walk))
    assert_names_both_readings(error, "<activities>", 0, "amount", "12.000", "12", "12000")
    mapped = to_current_communes(old_commune_rows("12.000"), walk, number_format="vi")
    got = dict(zip(mapped["commune"], mapped["amount"].astype(float), strict=True))
    assert got == {"Xã Bình Lư": pytest.approx(8_400), "Xã Tân Uyên": pytest.approx(3_600)}


# --- observed plan indicators ---------------------------------------------------------------

OBSERVED = "# entered by the departments\ntarget,year,value\nrice_land,2024,31.200\n"


def test_an_observed_indicator_that_reads_two_ways_is_refused(tmp_path: Path):
    # the comment line counts: the value is on line 3 of the file, as an editor shows it
    observed = write(tmp_path / "observed.csv", OBSERVED)
    error = refusal(lambda: plan_progress(observed))
    assert_names_both_readings(error, "observed.csv", 3, "value", "31.200", "31.2", "31200")


def test_observed_indicators_in_the_vietnamese_format(tmp_path: Path):
    # rice land 31.200 ha (31,200 ha) of the plan's 32,000 ha: 97.5 %, not met
    table = plan_progress(write(tmp_path / "observed.csv", OBSERVED),
                          number_format="vi").set_index("target")
    assert table.loc["rice_land", "observed"] == 31_200
    assert table.loc["rice_land", "progress_pct"] == pytest.approx(31_200 / 32_000 * 100)
    assert table.loc["rice_land", "year"] == 2024


def test_observed_indicators_settled_by_a_decimal_comma(tmp_path: Path):
    # forest cover '51,5' % settles the column: rice land 31,200 ha; 51.5 / 55 = 93.64 %
    observed = write(tmp_path / "observed.csv", OBSERVED + 'forest_cover,2024,"51,5"\n')
    table = plan_progress(observed).set_index("target")
    assert table.loc["rice_land", "observed"] == pytest.approx(31_200)
    assert table.loc["forest_cover", "progress_pct"] == pytest.approx(51.5 / 55 * 100)


# --- waste scenarios ------------------------------------------------------------------------

SCENARIO_HEADER = "scenario,commune,year,generated,landfill,composting,open_burning,dumped,other\n"
SCENARIO = {"composition": {"food": 1.0}, "climate_zone": "tropical_wet",
            "open_burning": {"oxidation_factor": 0.58, "ef_n2o": 150}, "until": 2024}


def scenario_csv(tmp_path: Path, *generated: str) -> Path:
    # everything composted (composting share 1), one row per commune
    lines = [f'baseline,Xã {i},2024,"{g}",0,1,0,0,0' for i, g in enumerate(generated)]
    return write(tmp_path / "waste.csv", SCENARIO_HEADER + "\n".join(lines) + "\n")


def composted(result: pd.DataFrame) -> dict[str, float]:
    return result.set_index("gas")["emissions_kg"].to_dict()


def test_a_waste_scenario_refuses_an_ambiguous_amount(tmp_path: Path):
    error = refusal(lambda: waste_scenarios(scenario_csv(tmp_path, "14.000"), **SCENARIO))
    assert_names_both_readings(error, "waste.csv", 2, "generated", "14.000", "14", "14000")


def test_a_waste_scenario_in_the_vietnamese_format(tmp_path: Path):
    # 14.000 t (14,000 t) composted, all food: CH4 14,000 t x 4 kg/t = 56,000 kg;
    # N2O 14,000 t x 0.24 kg/t = 3,360 kg (Table 4.1, wet weight)
    got = composted(waste_scenarios(scenario_csv(tmp_path, "14.000"), number_format="vi",
                                    **SCENARIO))
    assert got["CH4"] == pytest.approx(14_000 * 4)
    assert got["N2O"] == pytest.approx(3_360)


def test_a_waste_scenario_column_settled_by_a_decimal_comma(tmp_path: Path):
    # '2,5' t settles the column: 14,000 + 2.5 = 14,002.5 t composted x 4 kg = 56,010 kg CH4
    got = composted(waste_scenarios(scenario_csv(tmp_path, "14.000", "2,5"), **SCENARIO))
    assert got["CH4"] == pytest.approx(14_002.5 * 4)


# --- command line ---------------------------------------------------------------------------

VI = ["--decimal", ",", "--thousands", "."]


def test_cli_waste_scenario_refuses_then_reads_the_declared_format(tmp_path: Path):
    table, out = scenario_csv(tmp_path, "14.000"), tmp_path / "out.csv"
    args = ["waste-scenario", str(table), "--composition", "food=1", "--until", "2024",
            "--open-burning", "oxidation_factor=0.58,ef_n2o=150", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "reads as 14 (decimal point) or 14000" in result.output and not out.exists()
    result = runner.invoke(app, args + VI)
    assert result.exit_code == 0, result.output
    # 14,000 t composted x 4 kg CH4/t = 56,000 kg
    ch4 = pd.read_csv(out).set_index("gas").loc["CH4", "emissions_kg"]
    assert ch4 == pytest.approx(56_000)


def gas_csv(tmp_path: Path) -> Path:
    """1,000 t natural gas in a factory boiler in 2024 (written alike in both formats)."""
    return write(tmp_path / "gas.csv", "facility_id,year,category,activity,amount,unit\n"
                 "F1,2024,1.A.2.e,natural_gas,1000,t\n")


def test_cli_energy_reads_bau_and_balance_under_the_declared_format(tmp_path: Path):
    # the command's format is that of every table it reads: activities, BAU and balance
    gas = gas_csv(tmp_path)
    bau = write(tmp_path / "bau.csv", "year,amount,unit\n2024,40.000,toe\n")
    result = runner.invoke(app, ["energy", str(gas), "--bau", str(bau)])
    assert result.exit_code == 2, result.output
    assert "reads as 40 (decimal point) or 40000" in result.output
    assert "Energy use" not in result.output  # nothing shown before the refusal
    result = runner.invoke(app, ["energy", str(gas), "--bau", str(bau), *VI])
    assert result.exit_code == 0, result.output
    # BAU 40.000 toe = 40,000 toe; 1,000 t gas = 1 Gg x 48.0 TJ/Gg (Table 1.2) = 48 TJ
    # = 48 / 0.041868 TJ/toe = 1,146.46 toe; saving 38,853.54 toe
    assert "40,000.00" in result.output and "38,853.54" in result.output
    # 9.974 TJ (9,974 TJ) hydropower + 26 TJ coal: 9,974 / 10,000 = 99.74 % renewable
    balance = write(tmp_path / "balance.csv", "year,carrier,amount,unit\n"
                    "2023,hydropower,9.974,TJ\n2023,anthracite,26,TJ\n")
    result = runner.invoke(app, ["energy", str(gas), "--balance", str(balance)])
    assert result.exit_code == 2, result.output
    assert "reads as 9.974 (decimal point) or 9974" in result.output
    result = runner.invoke(app, ["energy", str(gas), "--balance", str(balance), *VI])
    assert result.exit_code == 0, result.output
    assert "99.74" in result.output


def test_cli_energy_balance_with_a_renewable_column_in_the_vietnamese_format(tmp_path: Path):
    # 'renewable' true/false classifies a carrier the library does not know (read as
    # booleans, as pandas reads them): 1.500 TJ (1,500 TJ) small hydro of 1,500 + 500 TJ
    # = 75 % renewable
    balance = write(tmp_path / "balance.csv", "year,carrier,amount,unit,renewable\n"
                    "2023,mini_hydro,1.500,TJ,true\n2023,anthracite,500,TJ,\n")
    args = ["energy", str(gas_csv(tmp_path)), "--balance", str(balance)]
    assert runner.invoke(app, args).exit_code == 2
    result = runner.invoke(app, args + VI)
    assert result.exit_code == 0, result.output
    assert "75.00" in result.output


def test_cli_report_reads_the_indicators_under_the_declared_format(tmp_path: Path):
    from ghg_inventory.province import store as st

    report = write(tmp_path / "gas.csv", "facility_id,year,category,activity,amount,unit\n"
                   "F1,2024,1.A.2.e,natural_gas,1000,t\n")
    store = tmp_path / "p.duckdb"
    st.submit(report, store)
    observed, out = write(tmp_path / "observed.csv", OBSERVED), tmp_path / "report.html"
    args = ["report", "--store", str(store), "--out", str(out), "--indicators", str(observed)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "reads as 31.2 (decimal point) or 31200" in result.output and not out.exists()
    result = runner.invoke(app, args + VI)
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_cli_factors_reads_override_tables_under_the_declared_format(tmp_path: Path):
    # a national CO2 factor for natural gas written the Vietnamese way: 56.100 kg/TJ
    path = write(tmp_path / "national.csv",
                 "factor_id,parameter,category,activity,gas,value,unit,tier,region,"
                 "guidelines,fossil,source,reference,country\n"
                 'vn.gas.co2,ef,1.A.2,natural_gas,CO2,"56.100",kg/TJ,2,Viet Nam,2006,true,'
                 "test: national inventory report,test,VN\n")
    args = ["factors", "--activity", "natural_gas", "--factors", str(path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "56100" in result.output
    result = runner.invoke(app, args + VI)
    assert result.exit_code == 0, result.output
    assert "vn.gas.co2" in result.output and "56100" in result.output


def test_renewable_share_reads_a_dataframe_of_text_under_the_declared_format():
    # the Python API with numbers as text: '9.974' TJ is 9.974 or 9,974 TJ; declared
    # Vietnamese: 9,974 TJ hydropower + 26 TJ coal = 10,000 TJ -> 99.74 % renewable
    from ghg_inventory.province.indicators import renewable_share

    balance = pd.DataFrame({"year": ["2023", "2023"], "carrier": ["hydropower", "anthracite"],
                            "amount": ["9.974", "26"], "unit": ["TJ", "TJ"]})
    error = refusal(lambda: renewable_share(balance))
    assert_names_both_readings(error, "<energy balance>", 0, "amount", "9.974", "9.974",
                               "9974")
    share = renewable_share(balance, number_format="vi")
    assert share.loc[2023, "renewable_pct"] == pytest.approx(9_974 / 10_000 * 100)
