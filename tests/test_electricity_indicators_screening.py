"""Purchased electricity, energy indicators and the inventory-obligation screen."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ghg_inventory as ghg
from conftest import activity_frame, by_gas
from ghg_inventory.province.indicators import energy_saving, energy_use, renewable_share
from ghg_inventory.province.obligation import screen, screen_facilities, thresholds

ELECTRICITY = {"category": "indirect.electricity", "activity": "grid_electricity"}


def test_grid_electricity_uses_the_factor_of_its_year():
    # Viet Nam grid EF 2023: 0.6592 t CO2/MWh (vn_grid_electricity.csv);
    # 250 MWh -> 250 x 0.6592 = 164.8 t = 164,800 kg CO2, indirect
    inv = ghg.compute(activity_frame([{**ELECTRICITY, "year": 2023, "amount": 250,
                                       "unit": "MWh"}]))
    assert by_gas(inv) == {"CO2": pytest.approx(164_800)}
    assert set(inv.emissions["scope"].astype(str)) == {"indirect"}
    assert inv.emissions["factor_id"].iloc[0] == "vn.grid.2023"
    # indirect rows never enter direct totals
    assert inv.total().m == 0
    assert inv.total(scope="indirect").m_as("t * CO2e") == pytest.approx(164.8)
    assert inv.rollup().empty or inv.rollup()["co2e_kg"].sum() == 0
    assert inv.rollup(scope="indirect")["co2e_kg"].sum() == pytest.approx(164_800)


def test_kwh_and_mwh_agree():
    # 2020: 0.8041 t/MWh; 1,000,000 kWh = 1,000 MWh -> 804.1 t
    rows = [{**ELECTRICITY, "year": 2020, "amount": 1_000_000, "unit": "kWh"},
            {**ELECTRICITY, "year": 2020, "amount": 1_000, "unit": "MWh"}]
    emissions = ghg.compute(activity_frame(rows)).emissions["emissions_kg"].to_numpy()
    np.testing.assert_allclose(emissions, [804_100, 804_100])


def test_a_year_without_a_published_factor_is_an_error_never_a_fallback():
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([{**ELECTRICITY, "year": 2025, "amount": 1, "unit": "MWh"}]))
    (problem,) = info.value.problems
    assert problem.column == "year"
    assert "in 2025" in problem.message
    assert "2014, 2015" in problem.message and "2023" in problem.message


def test_a_user_factor_for_a_year_is_used_and_named():
    own = pd.DataFrame([{"factor_id": "my.grid.2025", "parameter": "ef",
                         "category": "indirect.electricity", "activity": "grid_electricity",
                         "gas": "CO2", "value": 0.65, "unit": "t/MWh", "tier": 2,
                         "guidelines": "2006", "fossil": True, "source": "test letter",
                         "reference": "test", "country": "VN", "year": 2025}])
    inv = ghg.compute(activity_frame([{**ELECTRICITY, "year": 2025, "amount": 10,
                                       "unit": "MWh"}]), factors=own)
    assert by_gas(inv)["CO2"] == pytest.approx(6_500)
    assert inv.emissions["factor_id"].iloc[0] == "my.grid.2025"


def test_purchased_heat_needs_the_suppliers_factor():
    rows = [{"category": "indirect.heat", "activity": "purchased_steam", "amount": 100,
             "unit": "GJ"}]
    with pytest.raises(ghg.ActivityValidationError, match="override"):
        ghg.compute(activity_frame(rows))
    own = pd.DataFrame([{"factor_id": "steam", "parameter": "ef", "category": "indirect.heat",
                         "activity": "purchased_steam", "gas": "CO2", "value": 70.0,
                         "unit": "kg/GJ", "tier": 3, "guidelines": "2006", "fossil": True,
                         "source": "supplier", "reference": "invoice", "facility_id": "F1"}])
    # 100 GJ x 70 kg/GJ = 7,000 kg CO2, indirect
    inv = ghg.compute(activity_frame(rows), factors=own)
    assert inv.total(scope="indirect").m_as("kg * CO2e") == pytest.approx(7_000)


def test_energy_use_in_tj_and_toe():
    # 100 t diesel in 1.A.2.i: 0.1 Gg x 43.0 TJ/Gg = 4.3 TJ; 500 MWh = 1.8 TJ
    # 1 toe = 41.868 GJ -> (4.3 + 1.8) TJ = 6,100 GJ / 41.868 = 145.6960 toe
    rows = [{"category": "1.A.2.i", "activity": "gas_diesel_oil", "amount": 100, "unit": "t"},
            {**ELECTRICITY, "year": 2023, "amount": 500, "unit": "MWh"}]
    table = energy_use(ghg.compute(activity_frame(rows)), by="facility_id")
    assert table.loc[0, "fuel_TJ"] == pytest.approx(4.3)
    assert table.loc[0, "purchased_TJ"] == pytest.approx(1.8)
    assert table.loc[0, "total_toe"] == pytest.approx(6_100 / 41.868)


def test_energy_saving_against_bau():
    # BAU 1,000 toe, actual 940 toe -> saving 60 toe = 6.0 %
    out = energy_saving(pd.Series({2030: 940.0}), pd.Series({2030: 1_000.0, 2031: 1_100.0}))
    assert out.loc[2030, "saving"] == pytest.approx(60)
    assert out.loc[2030, "saving_pct"] == pytest.approx(6.0)
    assert out.loc[2030, "target_pct"] == 6
    with pytest.raises(ghg.GHGInventoryError, match="no business-as-usual value"):
        energy_saving(pd.Series({2029: 1.0}), pd.Series({2030: 1.0}))


def test_renewable_share_of_primary_energy():
    # hydropower 9,974 TJ + coal 26 TJ -> 99.74 % renewable; wood counts as renewable
    balance = pd.DataFrame({"year": [2030, 2030, 2031, 2031],
                            "carrier": ["hydropower", "anthracite", "wood_wood_waste",
                                        "anthracite"],
                            "amount": [9_974, 26, 1, 1], "unit": ["TJ", "TJ", "TJ", "TJ"]})
    out = renewable_share(balance)
    assert out.loc[2030, "renewable_pct"] == pytest.approx(99.74)
    assert out.loc[2031, "renewable_pct"] == pytest.approx(50)
    assert out.loc[2030, "target_pct"] == pytest.approx(99.74)
    with pytest.raises(ghg.UnknownKeyError, match="unobtainium"):
        renewable_share(balance.assign(carrier=["unobtainium", "anthracite", "solar", "wind"]))


def _summary(**values) -> pd.DataFrame:
    base = {"facility_id": "F1", "year": 2025, "co2e_t": 0.0, "energy_toe": 0.0, "fuel_toe": 0.0,
            "waste_treated_t": 0.0, "is_industry": False, "is_thermal_power": False,
            "is_freight_transport": False, "is_commercial_building": False,
            "is_solid_waste_treatment": False}
    return pd.DataFrame([{**base, **values}])


@pytest.mark.parametrize("values, expected", [
    ({"co2e_t": 2_999.9}, False), ({"co2e_t": 3_000.0}, True),
    ({"energy_toe": 999.9, "is_industry": True}, False),
    ({"energy_toe": 1_000.0, "is_industry": True}, True),
    ({"energy_toe": 1_000.0}, False),  # energy criterion only for the listed kinds
    ({"energy_toe": 1_000.0, "is_thermal_power": True}, True),
    # freight transport: fuel energy only (Decree 06/2022 Art. 6(1)(b))
    ({"fuel_toe": 1_000.0, "energy_toe": 1_000.0, "is_freight_transport": True}, True),
    ({"fuel_toe": 999.0, "energy_toe": 1_200.0, "is_freight_transport": True}, False),
    ({"energy_toe": 999.0, "is_commercial_building": True}, False),
    ({"energy_toe": 1_000.0, "is_commercial_building": True}, True),
    ({"waste_treated_t": 64_999.0, "is_solid_waste_treatment": True}, False),
    ({"waste_treated_t": 65_000.0, "is_solid_waste_treatment": True}, True),
])
def test_screening_thresholds_on_both_sides(values, expected):
    out = screen_facilities(_summary(**values))
    assert bool(out.loc[0, "must_inventory"]) is expected
    if expected:
        assert "Decree 06/2022" in out.loc[0, "reasons"]


def test_thresholds_name_their_legal_source():
    table = thresholds()
    assert (table["source"].str.len() > 0).all()
    assert set(table["criterion"]) >= {"emissions", "energy_industry", "solid_waste_treatment"}


def test_screen_from_an_inventory():
    # 1,200 t anthracite in a brick kiln (1.A.2.f): 1.2 Gg x 26.7 = 32.04 TJ
    # CO2 98,300 x 32.04 = 3,149,532 kg -> >= 3,000 t CO2e; 32.04 TJ = 765.3 toe (< 1,000)
    rows = [{"facility_id": "K1", "category": "1.A.2.f", "activity": "anthracite",
             "amount": 1_200, "unit": "t"},
            {"facility_id": "H1", "category": "1.A.4.a", "activity": "liquefied_petroleum_gases",
             "amount": 5, "unit": "t"}]
    out = screen(ghg.compute(activity_frame(rows))).set_index("facility_id")
    assert out.loc["K1", "must_inventory"] and "emissions" in out.loc["K1", "reasons"]
    assert out.loc["K1", "energy_toe"] == pytest.approx(32_040 / 41.868)
    assert not out.loc["H1", "must_inventory"]
