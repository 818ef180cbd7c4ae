"""The names people write (issue 21): aliases to keys, and suggestions for unknown names."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory import aliases
from ghg_inventory.errors import ActivityValidationError
from ghg_inventory.sectors import REGISTRY
from ghg_inventory.units import parse_unit


@pytest.fixture(scope="module")
def activity_keys(db):
    return set().union(*(m.activities(db) for m in REGISTRY.values()))


def test_no_alias_is_a_key_of_another_meaning_nor_has_two_meanings(activity_keys):
    table = aliases.aliases("activity")  # raises on two meanings of one name
    keys = {aliases.normalize(k): k for k in activity_keys}
    hijacked = [(a, k) for a, m, k in zip(table["alias"], table["match"], table["key"],
                                          strict=True) if m in keys and keys[m] != k]
    assert hijacked == []


def test_every_alias_names_an_existing_key_and_a_source(activity_keys):
    table = aliases.aliases("activity")
    assert set(table["key"]) <= activity_keys
    assert (table["source"].str.len() > 0).all()


@pytest.mark.parametrize("written", ["diesel", "Dầu diesel", "dầu DO", "Gas/Diesel Oil",
                                     "GAS_DIESEL_OIL", "nhiên liệu điêzen"])
def test_the_names_of_diesel(written, activity_keys):
    assert aliases.canonical([written], activity_keys, "activity") == {
        written: "gas_diesel_oil"}


def test_vietnamese_units():
    # 1 tấn is 1 t = 1,000 kg; 1 lít is 1 L = 0.001 m3
    assert parse_unit("tấn").to_canonical == pytest.approx(1000.0)
    assert parse_unit("lít").to_canonical == pytest.approx(0.001)
    assert parse_unit("mét khối").to_canonical == pytest.approx(1.0)


@pytest.mark.parametrize(("written", "meant"), [("tân", "'t'"), ("Kwh", "'kWh'"),
                                                ("kgg", "'kg'")])
def test_an_unknown_unit_gets_the_nearest_spellings(written, meant):
    error = parse_unit(written).error
    assert error.startswith("not a unit; did you mean") and meant in error


def test_unknown_names_get_the_nearest_keys_first(activity_keys):
    assert aliases.suggest("disel", activity_keys)[0] == "gas_diesel_oil"
    assert aliases.suggest("LPGas", activity_keys)[0] == "liquefied_petroleum_gases"
    assert aliases.suggest("gasolin", activity_keys)[0] == "motor_gasoline"
    assert aliases.suggest("zzzzqqq", activity_keys) == []


def _landfill(zone: str) -> pd.DataFrame:
    return pd.DataFrame([dict(facility_id="L1", year=2020, category="4.A", activity="food",
                              amount=1000, unit="t", site_type="managed_anaerobic",
                              climate_zone=zone, until=2021)])


def test_a_climate_zone_written_as_the_guidelines_heading_is_read_and_said():
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        headed = ghg.compute(_landfill("Boreal and Temperate — Wet")).emissions
    assert any(issubclass(w.category, aliases.AliasNote) and "boreal_temperate_wet"
               in str(w.message) for w in said)
    keyed = ghg.compute(_landfill("boreal_temperate_wet")).emissions
    assert headed["emissions_kg"].sum() == keyed["emissions_kg"].sum() > 0


def test_a_misspelt_climate_zone_is_refused_with_the_nearest_zone():
    with pytest.raises(ActivityValidationError, match="did you mean boreal_temperate_wet"):
        ghg.compute(_landfill("temperate wett"))


def _hospital(rows):
    base = dict(facility_id="H1", year=2023, category="1.A.4.a")
    return pd.DataFrame([{**base, **r} for r in rows])


def test_the_hospital_written_in_vietnamese_names_computes_as_the_keys():
    # issue 21's newcomer: diesel 12,000 L for a generator, 3 t LPG, 850 MWh, in the words
    # of a Vietnamese invoice; the same numbers as the keys give, and the keys recorded
    written = _hospital([
        dict(activity="dầu DO", amount=12_000, unit="lít"),
        dict(activity="khí hóa lỏng", amount=3, unit="tấn"),
        dict(category="indirect.electricity", activity="điện", amount=850, unit="MWh")])
    keyed = _hospital([
        dict(activity="gas_diesel_oil", amount=12_000, unit="L"),
        dict(activity="liquefied_petroleum_gases", amount=3, unit="t"),
        dict(category="indirect.electricity", activity="grid_electricity", amount=850,
             unit="MWh")])
    with pytest.warns(aliases.AliasNote, match="'dầu DO' read as 'gas_diesel_oil'"):
        got = ghg.compute(written).emissions
    want = ghg.compute(keyed).emissions
    assert list(got["activity"].astype(str)) == list(want["activity"].astype(str))
    assert got["emissions_kg"].tolist() == want["emissions_kg"].tolist()
    # LPG CO2 by hand: 3 t x 47.3 TJ/Gg (Table 1.2) x 63,100 kg/TJ (Table 1.4) = 8,953.89 kg
    lpg = got[(got["activity"] == "liquefied_petroleum_gases") & (got["gas"] == "CO2")]
    assert lpg["emissions_kg"].iloc[0] == pytest.approx(3 * 47.3 / 1000 * 63_100)


def test_the_hospitals_r410a_goes_in_the_refrigerant_column():
    # issue 21's newcomer, last line: 40 kg of R-410A in the hospital's air conditioning.
    # Table 7.9 (IPCC 2006 Vol 3 Ch 7), residential and commercial A/C, operation emissions
    # 10 %/yr (the upper end, for a developing country): 40 kg x 10 % = 4 kg of R-410A,
    # 50 % HFC-32 + 50 % HFC-125 by mass (ASHRAE 34) = 2 kg + 2 kg
    ac = dict(category="2.F.1", activity="residential_commercial_ac", amount=40, unit="kg",
              refrigerant="R-410A")
    e = ghg.compute(_hospital([ac])).emissions.set_index("gas")["emissions_kg"]
    assert e["HFC-32"] == pytest.approx(40 * 0.10 * 0.5)
    assert e["HFC-125"] == pytest.approx(40 * 0.10 * 0.5)
    # written as the activity, as a newcomer would: the message says where it goes
    from ghg_inventory.i18n.messages import say

    with pytest.raises(ActivityValidationError) as caught:
        ghg.compute(_hospital([dict(ac, activity="R-410A", refrigerant="")]))
    [problem] = [p for p in caught.value.problems if p.column == "activity"]
    assert "'R-410A' is a refrigerant: write it in the column 'refrigerant'" in problem.message
    assert "residential_commercial_ac" in problem.message
    assert "'R-410A' là môi chất lạnh: hãy ghi nó vào cột 'refrigerant'" in say(
        problem.message, "vi")


def test_an_unknown_activity_gets_the_nearest_keys_of_its_method():
    with pytest.raises(ActivityValidationError) as caught:
        ghg.compute(_hospital([dict(activity="disel", amount=1, unit="t")]))
    [problem] = caught.value.problems
    assert problem.column == "activity"
    assert "did you mean gas_diesel_oil" in problem.message
    assert "ghg-inventory factors --list activities" in problem.message
