"""Mobile combustion against values worked by hand from IPCC 2006 Vol 2 Ch 3.

NCV from Vol 2 Ch 1 Table 1.2; densities UNSD 2004 Energy Statistics Yearbook (L per t).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ghg_inventory as ghg
from conftest import activity_frame, by_gas


def emissions_of(row: dict, **kwargs) -> dict[str, float]:
    return by_gas(ghg.compute(activity_frame([row]), **kwargs))


def test_diesel_trucks():
    # 1 TJ gas/diesel oil, road: CO2 74,100 kg (Table 3.2.1); CH4 3.9, N2O 3.9 (Table 3.2.2)
    got = emissions_of({"category": "1.A.3.b", "activity": "gas_diesel_oil", "amount": 1,
                        "unit": "TJ"})
    assert got == {"CO2": pytest.approx(74_100), "CH4": pytest.approx(3.9),
                   "N2O": pytest.approx(3.9)}


@pytest.mark.parametrize("technology, ch4, n2o", [
    # Table 3.2.2, motor gasoline, kg/TJ
    ("uncontrolled", 33, 3.2), ("oxidation_catalyst", 25, 8.0),
    ("low_mileage_1995_or_later", 3.8, 5.7),
])
def test_gasoline_cars_by_technology(technology, ch4, n2o):
    # 10 t gasoline = 0.01 Gg x 44.3 TJ/Gg = 0.443 TJ; CO2 69,300 x 0.443 = 30,699.9 kg
    got = emissions_of({"category": "1.A.3.b", "activity": "motor_gasoline", "amount": 10,
                        "unit": "t", "technology": technology})
    assert got["CO2"] == pytest.approx(30_699.9)
    assert got["CH4"] == pytest.approx(ch4 * 0.443)
    assert got["N2O"] == pytest.approx(n2o * 0.443)


def test_gasoline_without_technology_is_an_error():
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([{"category": "1.A.3.b", "activity": "motor_gasoline",
                                     "amount": 10, "unit": "t"}]))
    (problem,) = info.value.problems
    assert problem.column == "technology" and "required" in problem.message
    with pytest.raises(ghg.ActivityValidationError, match="not a technology"):
        ghg.compute(activity_frame([{"category": "1.A.3.b", "activity": "motor_gasoline",
                                     "amount": 10, "unit": "t", "technology": "euro9"}]))


def test_litres_tonnes_and_tj_agree_for_road_diesel():
    # 1,149 L = 1 t (UNSD: 1,149 L per metric ton) = 0.001 Gg x 43.0 = 0.043 TJ
    rows = [{"category": "1.A.3.b", "activity": "gas_diesel_oil", "amount": a, "unit": u}
            for a, u in [(1_149, "L"), (1, "t"), (0.043, "TJ"), (1.149, "m3")]]
    table = ghg.compute(activity_frame(rows)).emissions.pivot_table(
        index="source_row", columns="gas", values="emissions_kg", observed=True)
    for gas in table.columns:
        np.testing.assert_allclose(table[gas], table[gas].iloc[0], rtol=1e-12)
    assert table["CO2"].iloc[0] == pytest.approx(74_100 * 0.043)


def test_construction_machinery_off_road_in_1A2():
    # 2 TJ diesel in excavators under 1.A.2.k: Table 3.3.1 diesel industry:
    # CO2 74,100 x 2 = 148,200; CH4 4.15 x 2 = 8.3; N2O 28.6 x 2 = 57.2 kg
    got = emissions_of({"category": "1.A.2.k", "activity": "gas_diesel_oil", "amount": 2,
                        "unit": "TJ", "source_type": "off_road"})
    assert got == {"CO2": pytest.approx(148_200), "CH4": pytest.approx(8.3),
                   "N2O": pytest.approx(57.2)}
    # the same fuel as stationary use takes Table 2.3 instead: CH4 3, N2O 0.6 kg/TJ
    stationary = emissions_of({"category": "1.A.2.k", "activity": "gas_diesel_oil",
                               "amount": 2, "unit": "TJ"})
    assert stationary["CH4"] == pytest.approx(6) and stationary["N2O"] == pytest.approx(1.2)


def test_farm_machinery():
    # 1 TJ gasoline in 4-stroke farm machinery (1.A.4.c.ii), Table 3.3.1: CH4 80, N2O 2
    got = emissions_of({"category": "1.A.4.c.ii", "activity": "motor_gasoline", "amount": 1,
                        "unit": "TJ", "engine": "4_stroke"})
    assert got["CH4"] == pytest.approx(80) and got["N2O"] == pytest.approx(2)
    # forestry machinery, 2-stroke: CH4 170, N2O 0.4
    got = emissions_of({"category": "1.A.4.c.ii", "activity": "motor_gasoline", "amount": 1,
                        "unit": "TJ", "engine": "2_stroke", "offroad_sector": "forestry"})
    assert got["CH4"] == pytest.approx(170) and got["N2O"] == pytest.approx(0.4)


def test_railway_diesel():
    # 1 TJ diesel locomotives (1.A.3.c), Table 3.4.1: CO2 74,100; CH4 4.15; N2O 28.6
    got = emissions_of({"category": "1.A.3.c", "activity": "gas_diesel_oil", "amount": 1,
                        "unit": "TJ"})
    assert got == {"CO2": pytest.approx(74_100), "CH4": pytest.approx(4.15),
                   "N2O": pytest.approx(28.6)}


def test_domestic_navigation_diesel():
    # 1 TJ gas/diesel oil in boats (1.A.3.d), Tables 3.5.2/3.5.3: CO2 74,100; CH4 7; N2O 2
    got = emissions_of({"category": "1.A.3.d", "activity": "gas_diesel_oil", "amount": 1,
                        "unit": "TJ"})
    assert got == {"CO2": pytest.approx(74_100), "CH4": pytest.approx(7),
                   "N2O": pytest.approx(2)}


def test_domestic_aviation_jet_kerosene():
    # 1 TJ jet kerosene (1.A.3.a), Tables 3.6.4/3.6.5: CO2 71,500; CH4 0.5; N2O 2
    got = emissions_of({"category": "1.A.3.a", "activity": "jet_kerosene", "amount": 1,
                        "unit": "TJ"})
    assert got == {"CO2": pytest.approx(71_500), "CH4": pytest.approx(0.5),
                   "N2O": pytest.approx(2)}


def test_distance_based_ch4_n2o_with_the_users_factors():
    # 100,000 vehicle-km of a user's truck type at CH4 0.00005 and N2O 0.00003 kg/km
    # -> 5 kg CH4, 3 kg N2O (Eq. 3.2.3); factors named in the result
    own = pd.DataFrame([{"factor_id": f"vn.truck.{gas}", "parameter": "ef",
                         "category": "1.A.3.b", "activity": "heavy_truck_euro2", "gas": gas,
                         "value": value, "unit": "kg/km", "tier": 2, "guidelines": "2006",
                         "fossil": True, "source": "test", "reference": "test"}
                        for gas, value in [("CH4", 5e-5), ("N2O", 3e-5)]])
    inv = ghg.compute(activity_frame([{"category": "1.A.3.b", "activity": "heavy_truck_euro2",
                                       "amount": 100_000, "unit": "km"}]), factors=own)
    assert by_gas(inv) == {"CH4": pytest.approx(5), "N2O": pytest.approx(3)}
    assert set(inv.emissions["factor_id"]) == {"vn.truck.CH4", "vn.truck.N2O"}


def test_transport_counts_in_the_transport_plan_area():
    rows = [{"category": "1.A.3.b", "activity": "gas_diesel_oil", "amount": 1, "unit": "TJ"},
            {"category": "1.A.2.f", "activity": "anthracite", "amount": 1, "unit": "TJ"}]
    areas = ghg.compute(activity_frame(rows)).rollup(by="plan_area")
    assert list(areas["plan_area"]) == ["energy", "transport"]


@pytest.mark.parametrize("fuel, co2, ch4, n2o", [
    # Tables 3.2.1 / 3.2.2, kg/TJ
    ("liquefied_petroleum_gases", 63_100, 62, 0.2), ("natural_gas", 56_100, 92, 3),
])
def test_lpg_and_cng_vehicles(fuel, co2, ch4, n2o):
    got = emissions_of({"category": "1.A.3.b", "activity": fuel, "amount": 500, "unit": "GJ"})
    # 500 GJ = 0.5 TJ
    assert got == {"CO2": pytest.approx(co2 * 0.5), "CH4": pytest.approx(ch4 * 0.5),
                   "N2O": pytest.approx(n2o * 0.5)}


def test_a_mobile_row_never_falls_back_to_stationary_factors():
    # IPCC Table 3.3.1 has no forestry 4-stroke row: an error, not Table 2.5's numbers
    with pytest.raises(ghg.ActivityValidationError, match="no CH4 emission factor"):
        ghg.compute(activity_frame([{"category": "1.A.4.c.ii", "activity": "motor_gasoline",
                                     "amount": 1, "unit": "TJ", "engine": "4_stroke",
                                     "offroad_sector": "forestry"}]))
