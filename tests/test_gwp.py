"""GWP sets: values from the IPCC assessment reports, and the AR6 fossil methane split."""

from __future__ import annotations

import pint
import pytest

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.gwp import gwp_value


@pytest.mark.parametrize("gwp, gas, value", [
    # AR4 WGI Table 2.14; AR5 WGI Table 8.A.1; AR6 WGI Table 7.SM.7 / 7.15
    ("AR4", "CH4", 25), ("AR4", "N2O", 298), ("AR4", "SF6", 22_800),
    ("AR5", "CH4", 28), ("AR5", "N2O", 265), ("AR5", "SF6", 23_500), ("AR5", "HFC-134a", 1_300),
    ("AR5", "NF3", 16_100), ("AR6", "N2O", 273), ("AR6", "HFC-134a", 1_530),
    ("AR6", "SF6", 25_200),
])
def test_gwp_values(gwp, gas, value):
    assert gwp_value(gas, gwp) == value


def test_ar6_methane_depends_on_fossil_origin():
    assert gwp_value("CH4", "AR6", fossil=True) == 29.8
    assert gwp_value("CH4", "AR6", fossil=False) == 27.0
    with pytest.raises(ghg.GHGInventoryError, match="fossil"):
        gwp_value("CH4", "AR6")


def test_unknown_set_lists_the_valid_ones():
    with pytest.raises(ghg.UnknownKeyError, match="valid sets are: AR4, AR5, AR6"):
        gwp_value("CH4", "AR7")


def test_co2e_under_each_set_and_the_set_is_recorded():
    # 1 TJ natural gas in 1.A.2: CO2 56,100 kg, CH4 1 kg, N2O 0.1 kg (Tables 1.4, 2.3)
    frame = activity_frame([{"category": "1.A.2.e", "activity": "natural_gas", "amount": 1,
                             "unit": "TJ"}])
    expected = {
        "AR4": 56_100 + 1 * 25 + 0.1 * 298,     # 56,154.8
        "AR5": 56_100 + 1 * 28 + 0.1 * 265,     # 56,154.5
        "AR6": 56_100 + 1 * 29.8 + 0.1 * 273,   # fossil CH4: 56,157.1
    }
    for gwp, kg in expected.items():
        inv = ghg.compute(frame, gwp=gwp)
        assert inv.meta["gwp"] == gwp
        assert inv.total().to("kg * CO2e").m == pytest.approx(kg)
    inv = ghg.compute(frame)
    assert inv.with_gwp("AR4").total().to("kg * CO2e").m == pytest.approx(expected["AR4"])
    assert inv.rollup(gwp="AR6")["co2e_kg"].sum() == pytest.approx(expected["AR6"])


def test_biomass_methane_is_non_fossil_under_ar6():
    # 1 TJ wood in 1.A.2: CH4 30 kg (Table 2.3), non-fossil -> 30 x 27.0 = 810 kg CO2e;
    # N2O 4 kg x 273 = 1,092; CO2 is a biogenic memo -> total 1,902 kg CO2e
    frame = activity_frame([{"category": "1.A.2.e", "activity": "wood_wood_waste",
                             "amount": 1, "unit": "TJ"}])
    inv = ghg.compute(frame, gwp="AR6")
    assert inv.total().to("kg * CO2e").m == pytest.approx(810 + 1_092)


def test_gases_cannot_be_added_without_a_gwp():
    with pytest.raises(pint.DimensionalityError):
        ghg.Q_(1, "kg * CH4") + ghg.Q_(1, "kg * CO2")


def test_results_carry_the_gwp_set_they_were_computed_with():
    frame = activity_frame([{"category": "1.A.2.e", "activity": "natural_gas", "amount": 1,
                             "unit": "TJ"}])
    inv = ghg.compute(frame, gwp="AR4")
    assert inv.emissions.attrs["gwp"] == "AR4"
    assert inv.rollup("category").attrs["gwp"] == "AR4"
    assert inv.rollup("category", gwp="AR6").attrs["gwp"] == "AR6"
    assert inv.emissions["fossil"].all()  # the AR6 methane choice travels with each row
