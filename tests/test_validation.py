"""One test per validation rule: each names file, row, column and value, and nothing is computed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ghg_inventory as ghg
from conftest import activity_frame, by_gas

GOOD = {"category": "1.A.2.f", "activity": "anthracite", "amount": 10, "unit": "t"}


def problems(rows_or_frame, **kwargs) -> list[ghg.Problem]:
    frame = rows_or_frame if isinstance(rows_or_frame, pd.DataFrame) \
        else activity_frame(rows_or_frame)
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(frame, **kwargs)
    return info.value.problems


def only(found: list[ghg.Problem]) -> ghg.Problem:
    assert len(found) == 1, found
    return found[0]


def test_missing_required_column_is_named():
    frame = activity_frame([GOOD]).drop(columns=["unit"])
    p = only(problems(frame))
    assert p.column == "unit" and p.row is None and "required column missing" in p.message


@pytest.mark.parametrize("column", ["facility_id", "category", "activity", "unit", "year",
                                    "amount"])
def test_empty_required_cell(column):
    rows = [GOOD, {**GOOD, column: None}]
    found = problems(rows)
    assert any(p.column == column and p.row == 1 and "empty" in p.message for p in found)
    assert all(p.row == 1 for p in found)


def test_unknown_category():
    p = only(problems([{**GOOD, "category": "9.Z"}]))
    assert (p.column, p.value, p.row) == ("category", "9.Z", 0)
    assert "not an IPCC 2006 category" in p.message


def test_category_without_a_method_yet_is_an_error_not_a_silent_skip():
    p = only(problems([{**GOOD, "category": "3.B.2.a"}]))
    assert p.column == "category" and "no calculation method" in p.message


def test_unknown_activity_for_the_method():
    p = only(problems([{**GOOD, "activity": "unobtainium"}]))
    assert (p.column, p.value) == ("activity", "unobtainium")
    # nothing near it: no "did you mean", but where the whole list is
    assert "did you mean" not in p.message
    assert "ghg-inventory factors --list activities" in p.message


def test_unit_pint_cannot_parse_gets_a_suggestion():
    p = only(problems([{**GOOD, "unit": "tonnez"}]))
    assert (p.column, p.value) == ("unit", "tonnez")
    assert "not a unit" in p.message and "did you mean" in p.message


def test_unit_of_the_wrong_kind():
    p = only(problems([{**GOOD, "unit": "ha"}]))
    assert p.column == "unit" and "area" in p.message


def test_litres_of_a_solid_fuel():
    p = only(problems([{**GOOD, "unit": "L"}]))
    assert p.column == "unit" and "solid fuel" in p.message


def test_volume_of_a_liquid_without_a_sourced_density():
    # IPCC gives no density for shale oil and neither does the shipped UNSD table.
    p = only(problems([{**GOOD, "category": "1.A.2.a", "activity": "shale_oil",
                        "amount": 5, "unit": "m3"}]))
    assert p.column == "unit" and "density" in p.message


@pytest.mark.parametrize("amount, message", [
    (-5, "must be >= 0"), (float("nan"), "empty"), (float("inf"), "must be finite"),
    ("abc", "not a number"), ("nan", "NaN"),
])
def test_bad_amounts(amount, message):
    p = only(problems([{**GOOD, "amount": amount}]))
    assert p.column == "amount" and message in p.message


@pytest.mark.parametrize("year, message", [(1899, "outside"), (2101, "outside"),
                                           (2024.5, "whole year"), ("soon", "whole year")])
def test_bad_years(year, message):
    p = only(problems([{**GOOD, "year": year}]))
    assert p.column == "year" and message in p.message


def test_landfill_history_years_are_accepted():
    inv = ghg.compute(activity_frame([{**GOOD, "year": 1950}]))
    assert len(inv.emissions) == 3


def test_all_problems_are_collected_with_csv_line_numbers(tmp_path: Path):
    path = tmp_path / "activities.csv"
    activity_frame([GOOD, {**GOOD, "unit": "tonnez"}, GOOD, {**GOOD, "amount": -5},
                    {**GOOD, "activity": "unobtainium"}]).to_csv(path, index=False)
    found = problems(ghg.read_activities(path))
    # header is line 1: data rows are lines 2..6
    assert [(p.file, p.row, p.column) for p in found] == [
        ("activities.csv", 3, "unit"), ("activities.csv", 5, "amount"),
        ("activities.csv", 6, "activity")]
    text = str(ghg.ActivityValidationError(found))
    assert "3 problem(s), nothing was computed" in text
    assert "row 3" in text and "'tonnez'" in text


def test_excel_rows_are_numbered_as_the_sheet_shows(tmp_path: Path):
    path = tmp_path / "report.xlsx"
    activity_frame([GOOD, {**GOOD, "amount": -1}]).to_excel(path, index=False,
                                                              sheet_name="activities")
    p = only(problems(ghg.read_activities(path)))
    assert (p.file, p.row, p.column) == ("report.xlsx", 3, "amount")


def test_parquet_rows_are_one_based(tmp_path: Path):
    path = tmp_path / "a.parquet"
    frame = activity_frame([GOOD, GOOD, {**GOOD, "unit": "ha"}])
    frame["amount"] = frame["amount"].astype(float)
    frame.to_parquet(path)
    p = only(problems(ghg.read_activities(path)))
    assert (p.file, p.row, p.column) == ("a.parquet", 3, "unit")


def test_nothing_is_dropped_or_filled():
    frame = activity_frame([GOOD] * 5)
    inv = ghg.compute(frame)
    assert len(inv.emissions) == 5 * 3
    assert inv.emissions["source_row"].nunique() == 5


def test_unknown_file_type(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text("{}")
    with pytest.raises(ghg.GHGInventoryError, match="unknown file type"):
        ghg.compute(path)


def test_errors_are_of_the_package_hierarchy():
    assert issubclass(ghg.ActivityValidationError, ghg.GHGInventoryError)
    with pytest.raises(ghg.GHGInventoryError, match="valid sets are: AR4, AR5, AR6"):
        ghg.compute(activity_frame([GOOD]), gwp="SAR")


def test_many_bad_rows_are_all_reported():
    frame = activity_frame([GOOD] * 1000)
    frame.loc[::7, "amount"] = -1.0
    found = problems(frame)
    assert len(found) == len(np.arange(0, 1000, 7))


def test_a_categorical_column_reads_as_its_text_does():
    # a year column of a hive-partitioned Parquet dataset arrives categorical: its
    # numbers, blanks and non-numbers are read per distinct value, the same as row by row
    from ghg_inventory.validation import _numeric

    text = pd.Series(["2020", " 2021", "x", None, "", "nan", "2020", "1e3"])
    for row_by_row, per_value in zip(_numeric(text), _numeric(text.astype("category")),
                                     strict=True):
        np.testing.assert_array_equal(row_by_row, per_value)


def test_a_method_of_ones_own_is_passed_to_compute_not_registered(tmp_path):
    # the explicit method list: a user's method joins a run through methods=, and a run
    # without it does not know the method (nothing registers by import)
    from ghg_inventory.methods import GasResult, Method, gas_results
    from ghg_inventory.sectors._inputs import lookup

    def compute_mining(table, ctx):
        key, answer = lookup(table, ctx, "ef", "kg/kg", gas="CH4")
        ch4 = table["amount"].to_numpy(dtype=float) * answer["value"].to_numpy()[key]
        return gas_results([GasResult("CH4", ch4, key, answer)])

    mining = Method(name="coal_mining_fugitive", categories=("1.B.1",),
                    activities=lambda db: {"underground_mining"}, amount_kinds=("mass",),
                    compute=compute_mining)
    factors = pd.DataFrame([{
        "factor_id": "example.mine", "parameter": "ef", "category": "1.B.1",
        "activity": "underground_mining", "gas": "CH4", "value": 10.0, "unit": "kg/t",
        "tier": 2, "region": "Viet Nam", "guidelines": "2006", "fossil": True,
        "source": "example only", "reference": "-"}])
    rows = activity_frame([{"category": "1.B.1", "activity": "underground_mining",
                            "amount": 5000, "unit": "t"}])
    # 5,000 t x 10 kg CH4/t = 50,000 kg CH4
    inv = ghg.compute(rows, factors=factors, methods=[*ghg.METHODS.values(), mining])
    assert by_gas(inv) == {"CH4": 50_000.0}
    assert "coal_mining_fugitive" not in ghg.METHODS
    with pytest.raises(ghg.ActivityValidationError, match="no calculation method"):
        ghg.compute(rows, factors=factors)
    with pytest.raises(ghg.GHGInventoryError, match="listed twice"):
        ghg.compute(rows, factors=factors, methods=[*ghg.METHODS.values(), mining, mining])
    assert np.isfinite(inv.total().magnitude)


@pytest.mark.parametrize("index", [pd.RangeIndex(5, 7), pd.Index([3_000_000_000, 7]),
                                   pd.RangeIndex(3_000_000_000, 3_000_000_004, 3)])
def test_a_dataframe_row_is_named_by_its_index_label_whatever_its_size(index):
    frame = activity_frame([{**GOOD, "amount": -1}] * 2).set_axis(index)
    assert [p.row for p in problems(frame)] == sorted(index)  # listed by row
