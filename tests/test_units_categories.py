from __future__ import annotations

import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory.categories import ancestors, at_level, attribute, name
from ghg_inventory.units import parse_unit


@pytest.mark.parametrize("text, kind, factor", [
    ("t", "mass", 1000), ("kt", "mass", 1e6), ("Gg", "mass", 1e6), ("kg", "mass", 1),
    ("TJ", "energy", 1), ("GJ", "energy", 1e-3), ("MJ", "energy", 1e-6),
    ("kWh", "energy", 3.6e-6), ("MWh", "energy", 3.6e-3), ("GWh", "energy", 3.6),
    ("L", "volume", 1e-3), ("m3", "volume", 1), ("ha", "area", 1), ("head", "head", 1),
    ("person", "person", 1), ("km", "length", 1), ("t-km", "freight", 1),
])
def test_units_users_write(text, kind, factor):
    parsed = parse_unit(text)
    assert parsed.kind == kind and parsed.error is None
    assert parsed.to_canonical == pytest.approx(factor)


def test_unit_column_is_parsed_once_per_distinct_string():
    frame = pd.DataFrame({"facility_id": "F1", "year": 2024, "category": "1.A.2.f",
                          "activity": "anthracite", "amount": 1.0,
                          "unit": ["t", "kg", " t", "GJ"] * 10_000})
    parse_unit.cache_clear()
    inv = ghg.compute(frame)
    assert parse_unit.cache_info().currsize == 3  # 't' and ' t' are the same string stripped
    co2 = inv.emissions[inv.emissions.gas == "CO2"]["emissions_kg"].to_numpy()[:4]
    # t, kg, t, GJ of anthracite: 1000 kg x 26.7 TJ/Gg x 98,300 kg/TJ = 2,624.61 kg CO2 per t
    assert co2.tolist() == pytest.approx([2_624.61, 2.62461, 2_624.61, 98.3])


def test_one_registry():
    from ghg_inventory import units

    assert ghg.ureg is units.ureg
    assert ghg.Q_(1, "t").to("kg").m == 1000


def test_category_tree_reaches_the_four_sectors():
    table = ghg.category_table()
    for code in ["1.A.1", "1.A.2", "1.A.4.a", "1.A.4.b", "1.A.4.c", "1.A.5", "1.A.3.b",
                 "indirect.electricity", "2.A.1", "2.A.2", "3.A.1", "3.C.7", "4.A", "4.B",
                 "4.D.1", "3.B.2.b"]:
        assert code in table.index
        assert table.at[code, "name_vi"]
    assert set(table.loc[["1.A.2.f", "2.A.1", "3.C.7", "4.A"], "sector"]) == {"1", "2", "3", "4"}
    assert set(table["plan_area"]) == {"energy", "transport", "construction", "agriculture",
                                       "waste", "forestry"}


def test_names_in_both_languages():
    assert name("3.C.7", "en") == "Rice cultivation"
    assert name("3.C.7", "vi") == "Canh tác lúa"
    assert name("1.A.2.f.i", "vi") == name("1.A.2.f", "vi")  # sub-code takes its parent's


def test_levels_and_plan_areas():
    codes = pd.Series(["1.A.2.f", "1.A.3.b", "2.A.1", "3.B.2.b", "4.D.1"])
    assert at_level(codes, 2).tolist() == ["1.A", "1.A", "2.A", "3.B", "4.D"]
    assert attribute(codes, "plan_area").tolist() == [
        "energy", "transport", "construction", "forestry", "waste"]
    assert ancestors("1.A.2.f") == ["1.A.2.f", "1.A.2", "1.A", "1"]


def test_rollup_names_in_vietnamese():
    frame = pd.DataFrame([{"facility_id": "F1", "year": 2024, "category": "1.A.2.f",
                           "activity": "anthracite", "amount": 1.0, "unit": "t"}])
    table = ghg.compute(frame).rollup(by=["plan_area", "category"], level=3, lang="vi")
    assert list(table.columns[:4]) == ["plan_area", "plan_area_name", "category",
                                       "category_name"]
    assert table.loc[0, "plan_area_name"] == "Năng lượng"
    assert table.loc[0, "category_name"] == "Công nghiệp sản xuất và xây dựng"
    with pytest.raises(ghg.UnknownKeyError, match="language"):
        ghg.compute(frame).rollup(by="category", lang="fr")
