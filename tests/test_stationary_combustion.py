"""Stationary combustion against values worked by hand from the IPCC 2006 tables.

Sources of the numbers in the comments:
  NCV  : IPCC 2006 Vol 2 Ch 1 Table 1.2 (TJ/Gg)
  CO2  : IPCC 2006 Vol 2 Ch 1 Table 1.4, printed effective CO2 EF (kg/TJ)
  CH4, N2O: IPCC 2006 Vol 2 Ch 2 Tables 2.2 (1.A.1), 2.3 (1.A.2), 2.4 (1.A.4.a),
            2.5 (1.A.4.b, 1.A.4.c) (kg/TJ)
"""

from __future__ import annotations

import pytest

import ghg_inventory as ghg
from conftest import activity_frame, by_gas


def emissions_of(row: dict, **kwargs) -> dict[str, float]:
    return by_gas(ghg.compute(activity_frame([row]), **kwargs))


def test_natural_gas_in_a_factory_boiler():
    # 500 t natural gas x NCV 48.0 TJ/Gg = 0.5 Gg x 48.0 = 24 TJ
    # CO2 56,100 kg/TJ x 24 = 1,346,400 kg; CH4 (Table 2.3) 1 x 24 = 24 kg;
    # N2O 0.1 x 24 = 2.4 kg
    got = emissions_of({"category": "1.A.2.e", "activity": "natural_gas",
                        "amount": 500, "unit": "t"})
    assert got["CO2"] == pytest.approx(1_346_400)
    assert got["CH4"] == pytest.approx(24)
    assert got["N2O"] == pytest.approx(2.4)


def test_diesel_generator_in_a_hospital_by_energy():
    # 1,000 GJ = 1 TJ gas/diesel oil, commercial/institutional (Table 2.4)
    # CO2 74,100 kg; CH4 10 kg; N2O 0.6 kg
    got = emissions_of({"category": "1.A.4.a", "activity": "gas_diesel_oil",
                        "amount": 1000, "unit": "GJ"})
    assert got["CO2"] == pytest.approx(74_100)
    assert got["CH4"] == pytest.approx(10)
    assert got["N2O"] == pytest.approx(0.6)


def test_anthracite_in_a_brick_kiln():
    # 2,000 t anthracite = 2 Gg x 26.7 TJ/Gg = 53.4 TJ
    # CO2 98,300 x 53.4 = 5,249,220 kg; CH4 (Table 2.3) 10 x 53.4 = 534 kg;
    # N2O 1.5 x 53.4 = 80.1 kg
    got = emissions_of({"category": "1.A.2.f", "activity": "anthracite",
                        "amount": 2000, "unit": "t"})
    assert got["CO2"] == pytest.approx(5_249_220)
    assert got["CH4"] == pytest.approx(534)
    assert got["N2O"] == pytest.approx(80.1)


def test_other_bituminous_coal_in_a_power_plant():
    # 10 kt = 10 Gg x 25.8 TJ/Gg = 258 TJ; energy industries (Table 2.2)
    # CO2 94,600 x 258 = 24,406,800 kg; CH4 1 x 258 = 258 kg; N2O 1.5 x 258 = 387 kg
    got = emissions_of({"category": "1.A.1.a", "activity": "other_bituminous_coal",
                        "amount": 10, "unit": "kt"})
    assert got["CO2"] == pytest.approx(24_406_800)
    assert got["CH4"] == pytest.approx(258)
    assert got["N2O"] == pytest.approx(387)


def test_lpg_in_a_restaurant_kitchen():
    # 3,000 kg LPG = 0.003 Gg x 47.3 TJ/Gg = 0.1419 TJ; commercial (Table 2.4)
    # CO2 63,100 x 0.1419 = 8,953.89 kg; CH4 5 x 0.1419 = 0.7095 kg; N2O 0.1 x 0.1419
    got = emissions_of({"category": "1.A.4.a", "activity": "liquefied_petroleum_gases",
                        "amount": 3000, "unit": "kg"})
    assert got["CO2"] == pytest.approx(8_953.89)
    assert got["CH4"] == pytest.approx(0.7095)
    assert got["N2O"] == pytest.approx(0.01419)


def test_residual_fuel_oil_in_food_processing():
    # 100 t = 0.1 Gg x 40.4 TJ/Gg = 4.04 TJ; manufacturing (Table 2.3)
    # CO2 77,400 x 4.04 = 312,696 kg; CH4 3 x 4.04 = 12.12 kg; N2O 0.6 x 4.04 = 2.424 kg
    got = emissions_of({"category": "1.A.2.e", "activity": "residual_fuel_oil",
                        "amount": 100, "unit": "t"})
    assert got["CO2"] == pytest.approx(312_696)
    assert got["CH4"] == pytest.approx(12.12)
    assert got["N2O"] == pytest.approx(2.424)


def test_firewood_in_a_tea_factory_is_a_biogenic_memo():
    # 1,000 t wood = 1 Gg x 15.6 TJ/Gg = 15.6 TJ; manufacturing (Table 2.3)
    # CO2 112,000 x 15.6 = 1,747,200 kg -> memo only; CH4 30 x 15.6 = 468 kg; N2O 4 x 15.6
    # = 62.4 kg -> in totals. AR5: 468 x 28 + 62.4 x 265 = 13,104 + 16,536 = 29,640 kg CO2e
    inv = ghg.compute(activity_frame([{"category": "1.A.2.e", "activity": "wood_wood_waste",
                                       "amount": 1000, "unit": "t"}]))
    got = by_gas(inv)
    assert got["CO2"] == pytest.approx(1_747_200)
    assert got["CH4"] == pytest.approx(468)
    assert got["N2O"] == pytest.approx(62.4)
    co2 = inv.emissions[inv.emissions.gas == "CO2"]
    assert co2["biogenic"].all()
    assert inv.total().to("kg * CO2e").m == pytest.approx(29_640)
    assert inv.biogenic_co2().to("kg * CO2").m == pytest.approx(1_747_200)
    assert inv.rollup()["CO2_kg"].sum() == 0.0
    assert inv.rollup()["biogenic_CO2_kg"].sum() == pytest.approx(1_747_200)


def test_residential_wood_uses_table_2_5():
    # 10 t wood = 0.01 Gg x 15.6 = 0.156 TJ; residential (Table 2.5): CH4 300 kg/TJ -> 46.8 kg,
    # N2O 4 kg/TJ -> 0.624 kg
    got = emissions_of({"category": "1.A.4.b", "activity": "wood_wood_waste",
                        "amount": 10, "unit": "t"})
    assert got["CH4"] == pytest.approx(46.8)
    assert got["N2O"] == pytest.approx(0.624)


def test_diesel_in_litres_uses_the_sourced_density():
    # 11,490 L of gas/diesel oil; UNSD 2004 yearbook: 1,149 L per metric ton -> 10 t
    # 0.01 Gg x 43.0 TJ/Gg = 0.43 TJ; CO2 74,100 x 0.43 = 31,863 kg; mining (Table 2.3):
    # CH4 3 x 0.43 = 1.29 kg; N2O 0.6 x 0.43 = 0.258 kg
    inv = ghg.compute(activity_frame([{"category": "1.A.2.i", "activity": "gas_diesel_oil",
                                       "amount": 11_490, "unit": "L"}]))
    got = by_gas(inv)
    assert got["CO2"] == pytest.approx(31_863)
    assert got["CH4"] == pytest.approx(1.29)
    assert got["N2O"] == pytest.approx(0.258)
    aux = inv.emissions["auxiliary_factor_ids"].astype(str)
    assert aux.str.contains("density.unsd.gas_diesel_oil").all()
    assert aux.str.contains("ncv.gas_diesel_oil").all()


def test_provenance_names_the_ipcc_records():
    inv = ghg.compute(activity_frame([{"category": "1.A.2.e", "activity": "natural_gas",
                                       "amount": 1, "unit": "TJ"}]))
    ids = dict(zip(inv.emissions.gas.astype(str), inv.emissions.factor_id.astype(str),
                   strict=True))
    assert ids["CO2"] == "ipcc2006.v2.t1_4.ef.co2.natural_gas"
    assert ids["CH4"] == "ipcc2006.v2.t2_3.ef.ch4.natural_gas"
    assert (inv.emissions["tier"] == 1).all()
    assert set(inv.emissions["scope"].astype(str)) == {"direct"}
