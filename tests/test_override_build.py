"""A database with overrides (issue 19): with_overrides stacks the validated records'
columns onto the database's own, never through a frame cast to objects and back. The
database it makes is the one the frames of ``read_factor_table`` stacked gave (cell by
cell, the kind of every cell included), answers the same look-ups, and refuses the same
cells with the same messages (table, line, column)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory import factors
from ghg_inventory.errors import FactorTableError

FUELS = {"natural_gas": "1.A.2.c", "anthracite": "1.A.2.f", "gas_diesel_oil": "1.A.2.i",
         "wood_wood_waste": "1.A.2.e"}


def facility_records(n: int = 40) -> pd.DataFrame:
    """An NCV [TJ/Gg] and a CO2 factor [kg/TJ] per facility, as a compiler gives them (the
    NCVs' gas left empty)."""
    fuels = list(FUELS)
    fuel = [fuels[i % len(fuels)] for i in range(n)]
    facility = [f"F{i:03d}" for i in range(n)]
    common = {"category": [FUELS[f] for f in fuel], "activity": fuel, "tier": 2,
              "guidelines": "2006", "source": "facility laboratory",
              "reference": "annual fuel analysis", "facility_id": facility}
    ncv = pd.DataFrame({"factor_id": [f"site.{f}.ncv" for f in facility], "parameter": "ncv",
                        "gas": "", "value": [30.0 + i for i in range(n)], "unit": "TJ/Gg",
                        **common})
    co2 = pd.DataFrame({"factor_id": [f"site.{f}.co2" for f in facility], "parameter": "ef",
                        "gas": "CO2", "value": [60_000.0 + i for i in range(n)],
                        "unit": "kg/TJ", **common})
    return pd.concat([ncv, co2], ignore_index=True)


def _varied() -> pd.DataFrame:
    """Records whose columns pandas reads each its own way: years with gaps (floats),
    flags with gaps, notes and variants on some records, ranges on some, a country."""
    t = facility_records(24)
    t["year"] = [2020 if i % 3 == 0 else None for i in range(len(t))]
    t["fossil"] = [None if i % 2 or a == "wood_wood_waste" or p == "ncv" else True
                   for i, (a, p) in enumerate(zip(t["activity"], t["parameter"],
                                                  strict=True))]
    t["notes"] = [None, "measured"] * (len(t) // 2)
    t["variant"] = [None] * (len(t) - 4) + ["v1"] * 4
    t["lower"] = [v * 0.9 if i % 4 == 0 else None for i, v in enumerate(t["value"])]
    t["upper"] = t["value"] * 1.1
    t["country"] = "VN"
    t["distribution"] = "normal"
    return t


def _as_written() -> pd.DataFrame:
    """Cells as a spreadsheet leaves them: flags and tiers as text, years as floats and
    text, every column of objects."""
    t = facility_records(12).astype(object)
    t = t[t["activity"] != "wood_wood_waste"].reset_index(drop=True)
    t["fossil"] = ["TRUE" if p == "ef" else None for p in t["parameter"]]
    t["tier"] = ["2", 2.0, 3] * (len(t) // 3)
    t["year"] = ["2021", 2020.0, None] * (len(t) // 3)
    t["region"] = "Viet Nam"
    t["verification"] = "user"
    return t


def _categorical() -> pd.DataFrame:
    t = facility_records(16)
    for column in ("activity", "category", "parameter"):
        t[column] = pd.Categorical(t[column])
    return t


CASES = {"facility records": facility_records, "varied": _varied,
         "as written": _as_written, "categorical": _categorical,
         "none": lambda: facility_records().head(0)}


def stacked_frames(base: ghg.FactorDB, *tables: object, **options: object) -> pd.DataFrame:
    """The records of ``base.with_overrides(*tables)`` as the frames of read_factor_table
    stacked (each record with its fuel's nature), as with_overrides made them before it
    kept them as columns."""
    extra = []
    for table in tables:
        frame = factors.read_factor_table(table, **options)  # type: ignore[arg-type]
        frame.attrs.pop("lines")
        extra.append(factors._with_fuel_nature(frame).assign(override=True))
    return factors._concat([base.table, *extra])


def _same_cell(a: object, b: object) -> bool:
    if type(a) is not type(b):  # None is not NaN, 2020 is not 2020.0
        return False
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b


def assert_same_records(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    assert got.index.equals(want.index)
    for column in want.columns:
        assert got[column].dtype == want[column].dtype, column
        differ = [i for i, (a, b) in enumerate(zip(got[column].tolist(),
                                                   want[column].tolist(), strict=True))
                  if not _same_cell(a, b)]
        assert not differ, (column, differ[:5])


@pytest.mark.parametrize("case", list(CASES))
def test_database_with_overrides_holds_the_stacked_frames(case: str) -> None:
    base = ghg.FactorDB.default()
    table = CASES[case]()
    assert_same_records(base.with_overrides(table).table, stacked_frames(base, table))


def test_two_tables_and_overrides_of_overrides(tmp_path: Path) -> None:
    base = ghg.FactorDB.default()
    first, second = facility_records(20), _varied()
    second["factor_id"] = second["factor_id"] + ".b"
    assert_same_records(base.with_overrides(first, second).table,
                        stacked_frames(base, first, second))
    once = base.with_overrides(first)
    assert_same_records(once.with_overrides(second).table, stacked_frames(once, second))


def test_a_file_with_numbers_as_vietnamese_text(tmp_path: Path) -> None:
    path = tmp_path / "site.csv"
    table = facility_records(6)
    table["value"] = ["56.100" if p == "ef" else "38,5" for p in table["parameter"]]
    table.to_csv(path, index=False)
    base = ghg.FactorDB.default()
    got = base.with_overrides(path, number_format="vi").table
    assert_same_records(got, stacked_frames(base, path, number_format="vi"))
    assert sorted(set(got["value"].iloc[len(base.table):])) == [38.5, 56_100.0]


def test_a_base_not_made_by_the_module() -> None:
    # a database made straight from a read table (its text columns pandas' own)
    own = facility_records(10)
    own["factor_id"] = own["factor_id"] + ".base"
    base = ghg.FactorDB(factors.read_factor_table(own))
    table = _varied()
    assert_same_records(base.with_overrides(table).table, stacked_frames(base, table))


def test_lookups_answer_as_the_stacked_frames_do() -> None:
    base = ghg.FactorDB.default()
    table = facility_records(8)
    db = base.with_overrides(table)
    before = ghg.FactorDB(stacked_frames(base, table), _natured=True)
    keys = pd.DataFrame({
        "category": ["1.A.2.c", "1.A.2.f", "1.A.2.c", "1.A.2.e", "1.A.2.i"],
        "activity": ["natural_gas", "anthracite", "natural_gas", "wood_wood_waste",
                     "gas_diesel_oil"],
        # F000 has its own natural-gas records; F001 has anthracite's, not natural gas's;
        # F099 none at all
        "facility_id": ["F000", "F001", "F001", "F003", "F099"],
    })
    for parameter, unit, gas in (("ncv", "TJ/Gg", None), ("ef", "kg/TJ", "CO2"),
                                 ("ef", "kg/TJ", "CH4")):
        got = db.lookup(keys, parameter, unit, gas=gas)
        pd.testing.assert_frame_equal(got, before.lookup(keys, parameter, unit, gas=gas))
    ncv = db.lookup(keys, "ncv", "TJ/Gg")
    co2 = db.lookup(keys, "ef", "kg/TJ", gas="CO2")
    # the facilities' own values as written (NCV 30 + i, CO2 60,000 + i for facility i)
    assert ncv["value"].tolist()[:2] == [30.0, 31.0]
    assert co2["value"].tolist()[:2] == [60_000.0, 60_001.0]
    assert ncv["factor_id"].tolist()[:2] == ["site.F000.ncv", "site.F001.ncv"]
    # F001's natural gas and F099's diesel: the IPCC defaults
    assert all(f.startswith("ipcc") for f in ncv["factor_id"].iloc[[2, 4]])
    # the wood's own CO2 record took the fuel's nature: biogenic
    assert co2["fossil"].tolist()[3] is False


def refusal(table: pd.DataFrame | Path) -> str:
    """What ``with_overrides`` says refusing ``table``."""
    with pytest.raises(FactorTableError) as caught:
        ghg.FactorDB.default().with_overrides(table)
    return str(caught.value)


def test_blank_text_refused_naming_table_line_and_column() -> None:
    table = facility_records(6)
    table.loc[2, "source"] = "   "  # a text column of pandas' own (str) dtype
    said = refusal(table)
    assert said.startswith("<DataFrame>: 1 problem(s)")
    assert "line 2: source: " in said


def test_mixed_cells_refused_as_before() -> None:
    table = facility_records(6).astype(object)
    table.loc[1, "gas"] = 5
    table.loc[3, "tier"] = 7
    table.loc[4, "unit"] = "TJ/kgg"
    said = refusal(table)
    assert said.startswith("<DataFrame>: 3 problem(s)")
    for line, column in ((1, "gas"), (3, "tier"), (4, "unit")):
        assert f"line {line}: {column}: " in said


def test_ambiguous_number_refused_with_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "site.csv"
    table = facility_records(3)
    table["value"] = ["56.100"] * len(table)
    table.to_csv(path, index=False)
    said = refusal(path)
    assert said.startswith(f"{path}: 6 problem(s)")
    assert "line 2: value: '56.100'" in said  # the header is line 1


def test_fossil_that_contradicts_the_fuel_refused() -> None:
    table = facility_records(8)
    table["fossil"] = [True if a == "wood_wood_waste" and p == "ef" else None
                       for a, p in zip(table["activity"], table["parameter"], strict=True)]
    said = refusal(table)
    assert said.startswith("<DataFrame>: 2 problem(s)")
    assert "line 11: fossil: true contradicts fuels.csv: wood_wood_waste" in said
    assert "line 15: fossil: " in said


def test_reciprocal_unit_refused() -> None:
    table = facility_records(2)
    table.loc[1, "unit"] = "Gg/TJ"
    said = refusal(table)
    assert said.startswith("<DataFrame>: 1 problem(s)")
    assert "line 1: unit: 'Gg/TJ' is the reciprocal of the unit of 'ncv' records" in said


def test_an_id_the_database_has_refused() -> None:
    table = facility_records(2)
    table.loc[0, "factor_id"] = "ipcc2006.v2.t1_2.ncv.natural_gas"
    with pytest.raises(FactorTableError, match="duplicate factor_id"):
        ghg.FactorDB.default().with_overrides(table)


def test_text_columns_read_once_per_distinct_value() -> None:
    frame = pd.DataFrame({"a": ["x", " ", None, "x", "", "y"],
                          "b": pd.Series([1, 2, 3, 4, 5, 6])})
    columns, distinct = factors._clean(frame)
    assert columns["a"].tolist() == ["x", None, None, "x", None, "y"]
    codes, texts = distinct["a"]
    assert [texts[c] if c >= 0 else None for c in codes] == columns["a"].tolist()
    assert "b" not in distinct and columns["b"].tolist() == [1, 2, 3, 4, 5, 6]
    # numbers among text: each cell kept as it is, for the record model to judge
    mixed = factors._clean(pd.DataFrame({"a": np.array([1, 1.0, True, "1"], dtype=object)}))
    assert [type(v) for v in mixed[0]["a"]] == [int, float, bool, str]


@pytest.mark.parametrize("labels", [40, 200_000])  # a flag per pair; a search per row
def test_rows_whose_facility_has_its_own_record(labels: int) -> None:
    db = ghg.FactorDB.default().with_overrides(facility_records(8))
    # F000 natural gas, F001 anthracite, F002 diesel, F003 wood ... (own NCV and CO2)
    facility = ["F000", "F000", "F001", "F001", "F002", None, "X777", "F003"]
    activity = ["natural_gas", "anthracite", "anthracite", "natural_gas",
                "gas_diesel_oil", "natural_gas", "natural_gas", "wood_wood_waste"]
    names = [f"F{i:03d}" for i in range(labels)]
    rows = pd.Series(pd.Categorical(facility, categories=names + ["X777"]))
    kept = db.specific("facility_id", pd.Series(activity, dtype="category"), rows)
    assert kept.tolist() == [True, False, True, False, True, False, False, True]


def test_activities_by_category_of_a_database_with_overrides() -> None:
    base = ghg.FactorDB.default()
    own = facility_records(8)
    own.loc[own["activity"] == "anthracite", "category"] = "1.A.2.g"  # a category of its own
    db = base.with_overrides(own)
    held = db.activities_by_category("ncv")
    expected = {c: set(a) for c, a in base.activities_by_category("ncv").items()}
    for category, activity in (("1.A.2.c", "natural_gas"), ("1.A.2.g", "anthracite"),
                               ("1.A.2.i", "gas_diesel_oil"), ("1.A.2.e", "wood_wood_waste")):
        expected.setdefault(category, set()).add(activity)
    assert {c: set(a) for c, a in held.items()} == expected
    # the database's own categories first, in the order of its records, then the new ones
    assert list(held)[:len(base.activities_by_category("ncv"))] == list(
        base.activities_by_category("ncv"))


def test_questions_on_one_frame_of_keys_answer_as_on_a_fresh_one() -> None:
    # the records are coded on a frame's vocabularies once and kept for every question
    db = ghg.FactorDB.default().with_overrides(facility_records(8))
    keys = pd.DataFrame({"category": ["1.A.2.c", "1.A.2.f", "1.A.2.c", "1.A.2.e"],
                         "activity": ["natural_gas", "anthracite", "natural_gas",
                                      "wood_wood_waste"],
                         "facility_id": ["F000", "F001", "F005", "F003"]})
    questions = [("ncv", "TJ/Gg", None), ("ef", "kg/TJ", "CO2"), ("ef", "kg/TJ", "N2O"),
                 ("density", "kg/m**3", None)]
    asked = [db.lookup(keys, p, u, gas=g) for p, u, g in questions]
    for (p, u, g), answer in zip(reversed(questions), reversed(asked), strict=True):
        pd.testing.assert_frame_equal(answer, db.lookup(keys.copy(), p, u, gas=g))
    assert asked[1]["factor_id"].tolist()[:2] == ["site.F000.co2", "site.F001.co2"]


def test_optional_columns_given_are_checked_those_absent_take_their_default() -> None:
    table = facility_records(4)
    table["distribution"] = ["normal", "weibull", None, "uniform", None, None, None, None]
    table["year"] = [2021, 2021.5, None, None, None, None, None, None]
    table["region"] = ["VN", "VN", "", "VN", "VN", "VN", "VN", "VN"]
    said = refusal(table)
    assert said.startswith("<DataFrame>: 3 problem(s)")
    for line, column in ((1, "distribution"), (1, "year"), (2, "region")):
        assert f"line {line}: {column}: " in said
    records = ghg.FactorDB.default().with_overrides(facility_records(4)).table.iloc[-8:]
    assert set(records["region"]) == {"global"} and set(records["verification"]) == {"user"}
    assert records[["lower", "upper"]].isna().all().all()
    assert records["year"].isna().all() and records["distribution"].isna().all()


def test_override_tables_told_by_their_content() -> None:
    base = ghg.FactorDB.default()
    table = facility_records(6)
    first = base.with_overrides(table)
    # the same content, however made: the same database, validated once
    assert base.with_overrides(table.copy()) is first
    assert base.with_overrides(facility_records(6)) is first
    assert base.with_overrides(pd.concat([table.iloc[:5], table.iloc[5:]])) is first
    # any cell changed: another database
    for column, value in (("factor_id", "site.F000.other"), ("value", 31.5),
                          ("gas", "CO2"), ("facility_id", "F100"), ("tier", 3)):
        changed = table.copy()
        changed.loc[0, column] = value
        assert base.with_overrides(changed) is not first, column
    as_objects = table.astype(object)
    assert base.with_overrides(as_objects) is base.with_overrides(as_objects.copy())
    assert base.with_overrides(as_objects) is not first  # (other dtypes: told apart)
