"""Numbers written as text are read right or refused (issue 23, items 1, 10 and 13).

Item 1: ``12.000`` is twelve thousand in Vietnamese (decimal comma, thousands point) and
twelve in English; without a declared format such a value is refused with both readings,
unless its column settles the convention. Item 10: a formula without a calculated value is
refused, never read as an empty cell. Item 13: a table with only its header is refused.

Hand-worked values (IPCC 2006):
  natural gas NCV 48.0 TJ/Gg (Vol 2 Ch 1 Table 1.2); CO2 56,100 kg/TJ (Vol 2 Ch 1
  Table 1.4). 1 Gg = 1,000 t, so 1 t of natural gas emits 48.0 / 1000 x 56,100 kg CO2.
  Cement Tier 1, Vol 3 Ch 2 Eq. 2.1 with EF_clc = 0.51 x 1.02 = 0.52 t CO2/t clinker (Eq. 2.4).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

import ghg_inventory as ghg
from ghg_inventory.cli import app
from ghg_inventory.errors import ActivityValidationError, GHGInventoryError
from ghg_inventory.numbers import NumberFormat, as_number_format
from ghg_inventory.province.template import read_number_format, write_template

runner = CliRunner(env={"COLUMNS": "250"})

#: kg CO2 per t of natural gas: 48.0 TJ/Gg / 1,000 t/Gg x 56,100 kg/TJ (Tables 1.2, 1.4)
CO2_PER_T_GAS = 48.0 / 1000 * 56_100
#: kg CO2 of 12,000 t natural gas: 12,000 t = 12 Gg x 48.0 TJ/Gg = 576 TJ x 56,100 kg/TJ
CO2_12000_T = 12_000 * 48.0 / 1000 * 56_100
assert CO2_12000_T == 32_313_600


def gas_rows(*amounts: object, **extra: object) -> pd.DataFrame:
    """Natural gas in a factory boiler (1.A.2.e), one row per amount, as written."""
    return pd.DataFrame([{"facility_id": "F1", "year": "2024", "category": "1.A.2.e",
                          "activity": "natural_gas", "amount": a, "unit": "t", **extra}
                         for a in amounts])


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    frame.to_csv(path, index=False)
    return path


def co2_by_row(inventory: ghg.Inventory) -> list[float]:
    e = inventory.emissions
    return e.loc[e["gas"] == "CO2"].sort_values("source_row")["emissions_kg"].tolist()


def refusal(action) -> ActivityValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ActivityValidationError) as caught:
        action()
    return caught.value


# --- item 1: declared format ---------------------------------------------------------------

@pytest.mark.parametrize("number_format", [
    "vi", {"decimal": ",", "thousands": "."}, NumberFormat(decimal=",", thousands=".")])
def test_twelve_thousand_tonnes_written_vietnamese_declared(tmp_path: Path, number_format):
    # '12.000' t under decimal comma / thousands point = 12,000 t natural gas
    # 12,000 t = 12 Gg x 48.0 TJ/Gg (Table 1.2) = 576 TJ x 56,100 kg/TJ (Table 1.4)
    # = 32,313,600 kg CO2 (read as 12 t it would be 1,000 x lower: 32,313.6 kg)
    path = write_csv(tmp_path / "a.csv", gas_rows("12.000"))
    inv = ghg.compute(path, number_format=number_format)
    assert co2_by_row(inv) == [pytest.approx(12_000 * 48.0 / 1000 * 56_100)]


def test_declared_vietnamese_reads_grouping_and_decimal_comma(tmp_path: Path):
    # 1.234,5 t = 1,234.5 t; 0,5 t; 1.000.000 t = one million t
    path = write_csv(tmp_path / "a.csv", gas_rows("1.234,5", "0,5", "1.000.000"))
    got = co2_by_row(ghg.compute(path, number_format="vi"))
    assert got == [pytest.approx(1_234.5 * 48.0 / 1000 * 56_100),
                   pytest.approx(0.5 * 48.0 / 1000 * 56_100),
                   pytest.approx(1_000_000 * 48.0 / 1000 * 56_100)]


def test_parameter_columns_are_read_in_the_declared_format(tmp_path: Path):
    # cement Tier 1, Eq. 2.1: '1.000' t cement x '0,75' clinker fraction x 0.52 t CO2/t
    # = 1,000 x 0.75 x 0.52 = 390 t CO2 = 390,000 kg
    frame = pd.DataFrame([{"facility_id": "F1", "year": "2024", "category": "2.A.1",
                           "activity": "cement", "amount": "1.000", "unit": "t",
                           "clinker_fraction": "0,75"}])
    inv = ghg.compute(write_csv(tmp_path / "c.csv", frame), number_format="vi")
    assert co2_by_row(inv) == [pytest.approx(1_000 * 0.75 * 0.52 * 1000)]


def test_an_ambiguous_parameter_is_refused_like_an_amount(tmp_path: Path):
    # clinker_imports '1.500': 1.5 t or 1,500 t imported (the CO2 differs by 1,498.5 x 0.52 t)
    frame = pd.DataFrame([{"facility_id": "F1", "year": "2024", "category": "2.A.1",
                           "activity": "cement", "amount": "5000", "unit": "t",
                           "clinker_fraction": "0.75", "clinker_imports": "1.500"}])
    # '0.75' reads only with a decimal point, but it is another column: no evidence here
    problems = refusal(lambda: ghg.compute(write_csv(tmp_path / "c.csv", frame))).problems
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "clinker_imports", "1.500")]
    assert "1.5 (decimal point) or 1500 (thousands point)" in problems[0].message


# --- item 1: no declared format ------------------------------------------------------------

@pytest.mark.parametrize(("text", "readings"), [
    ("12.000", "12 (decimal point) or 12000 (thousands point)"),
    ("43.000", "43 (decimal point) or 43000 (thousands point)"),
    ("1,500", "1500 (thousands comma) or 1.5 (decimal comma)"),
])
def test_an_ambiguous_amount_is_refused_with_both_readings(tmp_path: Path, text, readings):
    path = write_csv(tmp_path / "a.csv", gas_rows(text, "7"))
    error = refusal(lambda: ghg.compute(path))
    [p] = error.problems
    assert (p.file, p.row, p.column, p.value) == ("a.csv", 2, "amount", text)
    assert readings in p.message
    assert "--decimal , --thousands ." in p.message and "number_format=" in p.message


def test_values_that_read_one_way_only_need_no_declaration(tmp_path: Path):
    # '0.125': a thousands group cannot start with 0; '12.5': a group has three digits
    path = write_csv(tmp_path / "a.csv", gas_rows("0.125", "12.5", "2000"))
    assert co2_by_row(ghg.compute(path)) == [pytest.approx(0.125 * CO2_PER_T_GAS),
                                             pytest.approx(12.5 * CO2_PER_T_GAS),
                                             pytest.approx(2000 * CO2_PER_T_GAS)]


@pytest.mark.parametrize(("settler", "settled"), [
    ("12,5", 12.5),          # decimal comma: '12.000' is 12,000
    ("1.234,56", 1234.56),   # thousands point and decimal comma
])
def test_a_decimal_comma_elsewhere_in_the_column_settles_it(tmp_path: Path, settler, settled):
    # '12.000' x CO2_PER_T_GAS: 12,000 t x 48.0 / 1000 x 56,100 = 32,313,600 kg
    path = write_csv(tmp_path / "a.csv", gas_rows("12.000", settler))
    assert co2_by_row(ghg.compute(path)) == [pytest.approx(CO2_12000_T),
                                             pytest.approx(settled * CO2_PER_T_GAS)]


def test_a_decimal_point_elsewhere_in_the_column_settles_it(tmp_path: Path):
    # '1,500' beside '2,345.5' (thousands comma, decimal point) is 1,500 t
    path = write_csv(tmp_path / "a.csv", gas_rows("1,500", "2,345.5"))
    assert co2_by_row(ghg.compute(path)) == [pytest.approx(1500 * CO2_PER_T_GAS),
                                             pytest.approx(2345.5 * CO2_PER_T_GAS)]


def test_a_column_that_contradicts_itself_is_refused(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", gas_rows("12.5", "12,5", "12.000"))
    error = refusal(lambda: ghg.compute(path))
    assert [(p.row, p.value) for p in error.problems] == [(2, "12.5"), (3, "12,5"),
                                                          (4, "12.000")]
    assert all("mixes conventions" in p.message and "'12,5' (row 3)" in p.message
               for p in error.problems)


def test_each_file_is_settled_by_its_own_values(tmp_path: Path):
    # a.csv settles a decimal comma; b.csv has nothing that settles '12.000'
    a = write_csv(tmp_path / "a.csv", gas_rows("12.000", "12,5"))
    b = write_csv(tmp_path / "b.csv", gas_rows("12.000"))
    error = refusal(lambda: ghg.compute([a, b]))
    assert [(p.file, p.row) for p in error.problems] == [("b.csv", 2)]


# --- item 1: declared format violated ------------------------------------------------------

def test_a_value_that_does_not_fit_the_declared_format_is_refused(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", gas_rows("1.234,5", "12"))
    [p] = refusal(lambda: ghg.compute(path, number_format="en")).problems
    assert (p.row, p.column, p.value) == (2, "amount", "1.234,5")
    assert ("does not fit the declared number format (decimal '.' and thousands ',')"
            in p.message)
    assert "1234.5" in p.message
    # and the other way round: '12.5' written under a declared decimal comma
    path = write_csv(tmp_path / "b.csv", gas_rows("12.5"))
    [p] = refusal(lambda: ghg.compute(path, number_format="vi")).problems
    assert "decimal ',' and thousands '.'" in p.message and "12.5" in p.message


def test_a_decimal_comma_without_grouping_refuses_a_thousands_point(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", gas_rows("12.000"))
    [p] = refusal(lambda: ghg.compute(path, number_format={"decimal": ","})).problems
    assert "no thousands separator" in p.message and "12000" in p.message


def test_text_that_is_no_number_is_still_named_by_validation(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", gas_rows("abc"))
    [p] = refusal(lambda: ghg.compute(path, number_format="vi")).problems
    assert (p.value, p.message) == ("abc", "not a number")


def test_formats_that_cannot_be_are_refused():
    for bad in ({"decimal": ".", "thousands": "."}, {"decimal": ";"}, "fr",
                {"decimal": ",", "grouping": "."}):
        with pytest.raises(GHGInventoryError):
            as_number_format(bad)  # type: ignore[arg-type]


def test_numeric_dataframe_columns_are_never_re_read():
    # a float 12.5 is 12.5 whatever the format (a decimal comma must not make it 125)
    frame = gas_rows(12.5, 12_000.0)
    got = co2_by_row(ghg.compute(frame, number_format="vi"))
    assert got == [pytest.approx(12.5 * CO2_PER_T_GAS), pytest.approx(CO2_12000_T)]


# --- item 1: Excel -------------------------------------------------------------------------

def activities_workbook(path: Path, amounts: list[object], extra: dict | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    columns = ["facility_id", "year", "category", "activity", "amount", "unit",
               *(extra or {})]
    sheet.append(columns)
    for amount in amounts:
        sheet.append(["F1", 2024, "1.A.2.e", "natural_gas", amount, "t",
                      *(extra or {}).values()])
    book.save(path)
    return path


def test_excel_numeric_cells_are_numbers_and_text_cells_are_read(tmp_path: Path):
    # a numeric cell 12.5 stays 12.5 under a decimal comma; a text cell '12.000' is 12,000 t
    path = activities_workbook(tmp_path / "r.xlsx", [12.5, "12.000"])
    assert co2_by_row(ghg.compute(path, number_format="vi")) == [
        pytest.approx(12.5 * CO2_PER_T_GAS), pytest.approx(CO2_12000_T)]


def test_excel_text_cell_without_format_is_refused(tmp_path: Path):
    # the numeric cell 12.5 says nothing about how the text cells were written
    path = activities_workbook(tmp_path / "r.xlsx", [12.5, "12.000"])
    [p] = refusal(lambda: ghg.compute(path)).problems
    assert (p.file, p.row, p.column, p.value) == ("r.xlsx", 3, "amount", "12.000")
    assert "12 (decimal point) or 12000 (thousands point)" in p.message


def test_excel_cells_that_are_no_numbers_stay_refused(tmp_path: Path):
    # a TRUE or a date cell is no amount (kept as text: pandas would read TRUE as 1)
    import datetime

    path = activities_workbook(tmp_path / "r.xlsx", [True, datetime.datetime(2024, 1, 1)])
    error = refusal(lambda: ghg.compute(path, number_format="vi"))
    assert [(p.row, p.value, p.message) for p in error.problems] == [
        (2, "True", "not a number"), (3, "2024-01-01 00:00:00", "not a number")]


def fill_template(path: Path, amounts: list[object], sheet: str) -> Path:
    book = load_workbook(path)
    facility = book[book.sheetnames[1]]
    values = {"facility_id": "LC-900", "facility_name": "Nhà máy chè", "commune": "Xã Bình Lư"}
    for row in facility.iter_rows(min_row=2):
        if row[2].value in values:
            row[1].value = values[row[2].value]
    target = book[sheet]
    keys = [c.value for c in target[2]]
    for r, amount in enumerate(amounts, start=3):
        record = {"year": 2024, "category": "1.A.2.e", "activity": "natural_gas",
                  "amount": amount, "unit": "t"}
        for j, key in enumerate(keys, start=1):
            if key in record:
                target.cell(row=r, column=j, value=record[key])
    book.save(path)
    return path


def test_the_vietnamese_template_records_and_applies_its_format(tmp_path: Path):
    path = write_template(tmp_path / "report.xlsx")
    assert read_number_format(path) == NumberFormat(decimal=",", thousands=".")
    fill_template(path, ["12.000", 12.5, "0,5"], "Năng lượng")
    # text '12.000' = 12,000 t; numeric 12.5 = 12.5 t; text '0,5' = 0.5 t
    assert co2_by_row(ghg.compute(path)) == [pytest.approx(CO2_12000_T),
                                             pytest.approx(12.5 * CO2_PER_T_GAS),
                                             pytest.approx(0.5 * CO2_PER_T_GAS)]


def test_the_english_template_records_its_format(tmp_path: Path):
    path = write_template(tmp_path / "report.xlsx", lang="en")
    assert read_number_format(path) == NumberFormat(decimal=".", thousands=",")
    fill_template(path, ["1,500"], "Energy")
    assert co2_by_row(ghg.compute(path)) == [pytest.approx(1500 * CO2_PER_T_GAS)]
    # a declared format that contradicts the recorded one is refused
    [p] = refusal(lambda: ghg.compute(path, number_format="vi")).problems
    assert "records its number format as decimal '.' and thousands ','" in p.message


def test_a_template_without_a_recorded_format_refuses_ambiguous_text(tmp_path: Path):
    path = write_template(tmp_path / "report.xlsx")
    book = load_workbook(path)
    lists = book["lists"]
    for cell in lists[1]:
        if cell.value and str(cell.value).startswith("number_format"):
            cell.value = None
    book.save(path)
    assert read_number_format(path) is None
    fill_template(path, ["12.000"], "Năng lượng")
    [p] = refusal(lambda: ghg.compute(path)).problems
    assert (p.file, p.row, p.value) == ("report.xlsx [Năng lượng]", 3, "12.000")


# --- item 1: command line ------------------------------------------------------------------

def test_cli_refuses_an_ambiguous_amount_and_writes_nothing(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", gas_rows("12.000"))
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["compute", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert "12000 (thousands point)" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.glob("out.csv*"))


def test_cli_reads_the_declared_format(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", gas_rows("12.000"))
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["compute", str(path), "--out", str(out),
                                 "--decimal", ",", "--thousands", "."])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    co2 = table.loc[table["gas"] == "CO2", "emissions_kg"].tolist()
    assert co2 == [pytest.approx(12_000 * 48.0 / 1000 * 56_100)]
    # the same option on rollup: 32,313.600 t CO2 (plus CH4 and N2O in CO2e)
    result = runner.invoke(app, ["rollup", str(path), "--by", "gas", "--decimal", ",",
                                 "--thousands", "."])
    assert result.exit_code == 0, result.output
    assert "32,313.600" in result.output


def test_cli_refuses_separators_that_cannot_be(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", gas_rows("12"))
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["compute", str(path), "--out", str(out),
                                 "--decimal", ",", "--thousands", ","])
    assert result.exit_code == 2 and not out.exists()


def test_cli_submit_refuses_an_ambiguous_amount_and_stores_nothing(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", gas_rows("12.000"))
    store = tmp_path / "province.duckdb"
    result = runner.invoke(app, ["submit", str(path), "--store", str(store)])
    assert result.exit_code == 2 and not store.exists()
    result = runner.invoke(app, ["submit", str(path), "--store", str(store),
                                 "--decimal", ",", "--thousands", "."])
    assert result.exit_code == 0, result.output
    from ghg_inventory.province.store import current_emissions

    stored = current_emissions(store)
    assert stored.loc[stored["gas"] == "CO2", "emissions_kg"].tolist() == [
        pytest.approx(CO2_12000_T)]


def test_stored_rows_are_recomputed_as_they_were_read(tmp_path: Path):
    # an Excel numeric cell 1.125 t is stored as read; recomputed from the store it is 1.125 t
    # (not '1.125' text, which alone would be 1.125 or 1,125): 1.125 x 48.0 / 1000 x 56,100
    # = 3,029.4 kg CO2. The extra table's '1.234,5' t under the declared format is 1,234.5 t.
    from ghg_inventory.province import store as st

    report = activities_workbook(tmp_path / "r.xlsx", [1.125])
    st.submit(report, tmp_path / "p.duckdb")
    extra = write_csv(tmp_path / "extra.csv", gas_rows("1.234,5", facility_id="F2"))
    inv = st.load_inventory(tmp_path / "p.duckdb", extra=[extra], number_format="vi")
    e = inv.emissions
    co2 = e.loc[e["gas"] == "CO2"].set_index("facility_id")["emissions_kg"].to_dict()
    assert co2 == {"F1": pytest.approx(1.125 * 48.0 / 1000 * 56_100),
                   "F2": pytest.approx(1_234.5 * 48.0 / 1000 * 56_100)}


# --- item 10: formulas without a calculated value ------------------------------------------

def test_a_formula_without_value_in_a_parameter_is_refused(tmp_path: Path):
    # lime 2.A.2 with lkd_correction '=1.10' (never calculated): read as empty, the default
    # 1.02 would be used in its place
    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    sheet.append(["facility_id", "year", "category", "activity", "amount", "unit",
                  "lkd_correction"])
    for _ in range(5):
        sheet.append(["F1", 2024, "2.A.2", "high_calcium_lime", 100, "t", None])
    sheet.append(["F1", 2024, "2.A.2", "high_calcium_lime", 100, "t", "=1.10"])
    path = tmp_path / "report.xlsx"
    book.save(path)
    [p] = refusal(lambda: ghg.compute(path)).problems
    assert (p.file, p.row, p.column, p.value) == ("report.xlsx", 7, "lkd_correction", "=1.10")
    assert "report.xlsx sheet 'activities' cell G7" in p.message
    assert "save" in p.message and "Excel or LibreOffice" in p.message


def test_a_formula_without_value_in_an_amount_is_refused(tmp_path: Path):
    path = activities_workbook(tmp_path / "r.xlsx", [100, "=SUM(1,2)"])
    [p] = refusal(lambda: ghg.compute(path)).problems
    assert (p.row, p.column, p.value) == (3, "amount", "=SUM(1,2)")
    assert "cell E3" in p.message


def test_a_formula_without_value_in_the_template_is_refused(tmp_path: Path):
    path = fill_template(write_template(tmp_path / "report.xlsx"), [100, "=50*2"],
                         "Năng lượng")
    [p] = refusal(lambda: ghg.compute(path)).problems
    assert (p.file, p.row, p.column, p.value) == ("report.xlsx [Năng lượng]", 4, "amount",
                                                  "=50*2")
    assert "report.xlsx sheet 'Năng lượng' cell D4" in p.message


def test_a_formula_without_value_in_the_template_facility_sheet_is_refused(tmp_path: Path):
    path = fill_template(write_template(tmp_path / "report.xlsx"), [100], "Năng lượng")
    book = load_workbook(path)
    facility = book["Cơ sở"]
    for row in facility.iter_rows(min_row=2):
        if row[2].value == "year_to":
            row[1].value = "=2023+1"
    book.save(path)
    [p] = refusal(lambda: ghg.compute(path)).problems
    assert (p.file, p.column, p.value) == ("report.xlsx [Cơ sở]", "year_to", "=2023+1")


# --- item 13 (first half): no activity rows ------------------------------------------------

def test_a_csv_with_only_its_header_is_refused(tmp_path: Path):
    path = tmp_path / "empty.csv"
    path.write_text("facility_id,year,category,activity,amount,unit\n", encoding="utf-8")
    with pytest.raises(GHGInventoryError, match=r"empty\.csv: no activity rows"):
        ghg.compute(path)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["compute", str(path), "--out", str(out)])
    assert result.exit_code == 2 and "no activity rows" in result.output
    assert not list(tmp_path.glob("out.csv*"))


def test_a_sheet_or_dataframe_with_only_its_header_is_refused(tmp_path: Path):
    path = activities_workbook(tmp_path / "empty.xlsx", [])
    with pytest.raises(GHGInventoryError, match=r"empty\.xlsx: no activity rows"):
        ghg.compute(path)
    with pytest.raises(GHGInventoryError, match="no activity rows"):
        ghg.compute(gas_rows().reindex(columns=["facility_id", "year", "category",
                                                "activity", "amount", "unit"]))


# --- properties ----------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False)


def vietnamese(x: float) -> str:
    """``x`` written with a decimal comma and thousands points (all its digits)."""
    return format(x, ",").translate(str.maketrans({",": ".", ".": ","}))


def read_amounts(texts: list[str], number_format=None) -> list[float]:  # type: ignore[no-untyped-def]
    return ghg.read_activities(gas_rows(*texts), number_format=number_format)[
        "amount"].tolist()


@settings(max_examples=200, deadline=None)
@given(amounts)
def test_vietnamese_text_read_with_the_declared_format_gives_the_number_back(x: float):
    assert read_amounts([vietnamese(x)], "vi") == [x]


@settings(max_examples=200, deadline=None)
@given(amounts)
def test_english_text_read_with_the_declared_format_gives_the_number_back(x: float):
    assert read_amounts([format(x, ",")], "en") == [x]


@settings(max_examples=200, deadline=None)
@given(amounts, st.sampled_from(["vi", "en"]))
def test_without_a_format_a_number_is_read_right_or_refused(x: float, written: str):
    text = vietnamese(x) if written == "vi" else format(x, ",")
    try:
        got = read_amounts([text])
    except ActivityValidationError as error:
        [p] = error.problems
        assert "reads as" in p.message  # refused as ambiguous, with both readings
        return
    assert got == [x]


# --- factor override tables: the same reading of numbers --------------------------------------

OVERRIDE_HEADER = ("factor_id,parameter,category,activity,gas,value,unit,tier,region,"
                   "guidelines,fossil,source,reference,country\n")


def override_line(value: str, factor_id: str = "vn.gas.co2") -> str:
    # a national CO2 factor for natural gas, Tier 2 (the value quoted: it may hold a comma)
    return (f'{factor_id},ef,1.A.2,natural_gas,CO2,"{value}",kg/TJ,2,Viet Nam,2006,true,'
            "test: national inventory report,test,VN\n")


def test_an_override_value_that_reads_two_ways_is_refused_naming_its_line(tmp_path: Path):
    # '56.100' is 56,100 kg/TJ written the Vietnamese way, or 56.1 kg/TJ: a 1,000x error
    # either way if guessed. Comment lines count: the record is on line 3 of the file.
    path = tmp_path / "national.csv"
    path.write_text("# national factors, Table #3 of the report\n" + OVERRIDE_HEADER
                    + override_line("56.100"), encoding="utf-8")
    with pytest.raises(ghg.FactorTableError) as caught:
        ghg.compute(gas_rows(1000), factors=path)
    message = str(caught.value)
    assert "line 3: value" in message
    assert "56.1 (decimal point)" in message and "56100 (thousands point)" in message


def test_an_override_value_is_read_under_the_declared_format(tmp_path: Path):
    # declared Vietnamese: '56.100' is 56,100 kg/TJ. 1,000 t natural gas = 1 Gg x 48.0 TJ/Gg
    # (Table 1.2) = 48 TJ x 56,100 kg/TJ = 2,692,800 kg CO2
    path = tmp_path / "national.csv"
    path.write_text(OVERRIDE_HEADER + override_line("56.100"), encoding="utf-8")
    inv = ghg.compute(gas_rows("1.000"), factors=path, number_format="vi")
    co2 = inv.emissions[inv.emissions.gas == "CO2"]
    assert list(co2["factor_id"]) == ["vn.gas.co2"]
    assert co2["emissions_kg"].sum() == pytest.approx(1_000 * 48.0 / 1000 * 56_100)
    assert co2["emissions_kg"].sum() == pytest.approx(2_692_800)


def test_an_override_column_settled_by_its_other_values(tmp_path: Path):
    # '55.900,5' reads only with a decimal comma, so '56.100' in the same column is 56,100
    path = tmp_path / "national.csv"
    path.write_text(OVERRIDE_HEADER + override_line("56.100")
                    + override_line("55.900,5", factor_id="vn.gas.co2.old").replace(
                        "1.A.2,", "1.A.1,"), encoding="utf-8")
    db = ghg.FactorDB.default().with_overrides(path)
    mine = db.table.set_index("factor_id").loc[["vn.gas.co2", "vn.gas.co2.old"], "value"]
    assert mine.tolist() == [56_100.0, 55_900.5]


def test_the_cli_reads_override_numbers_under_decimal_and_thousands(tmp_path: Path):
    factors = tmp_path / "national.csv"
    factors.write_text(OVERRIDE_HEADER + override_line("56.100"), encoding="utf-8")
    activities = write_csv(tmp_path / "a.csv", gas_rows("1.000"))
    out = tmp_path / "e.csv"
    refused = runner.invoke(app, ["compute", str(activities), "--factors", str(factors),
                                  "--out", str(out)])
    assert refused.exit_code == 2 and not out.exists()
    done = runner.invoke(app, ["compute", str(activities), "--factors", str(factors),
                               "--decimal", ",", "--thousands", ".", "--out", str(out)])
    assert done.exit_code == 0, done.output
    table = pd.read_csv(out)
    assert table.loc[table.gas == "CO2", "emissions_kg"].sum() == pytest.approx(2_692_800)


def test_a_hash_inside_a_factor_cell_is_text_not_a_comment(tmp_path: Path):
    path = tmp_path / "national.csv"
    path.write_text(OVERRIDE_HEADER + override_line("56100").replace(
        "test: national inventory report", '"NIR 2024, Table #3"'), encoding="utf-8")
    db = ghg.FactorDB.default().with_overrides(path)
    assert db.table.set_index("factor_id").loc["vn.gas.co2", "source"] == "NIR 2024, Table #3"
