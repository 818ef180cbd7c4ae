"""Energy and IPPU rows computed from activity data alone (issue 18, "Done when").

Each test gives only what the Guidelines ask of the compiler (the fuel, the amount, the
category, for SF6 the region of Tables 8.2-8.4) and checks the result against arithmetic from
the printed IPCC 2006 defaults, written out in the comments:

  NCV        Vol 2 Ch 1 Table 1.2 (TJ/Gg)
  CO2        Vol 2 Ch 1 Table 1.4 and Ch 3 Tables 3.2.1, 3.3.1, 3.6.4 (kg/TJ)
  CH4, N2O   Vol 2 Ch 2 Table 2.3; Ch 3 Tables 3.2.2, 3.3.1, 3.4.1, 3.5.3, 3.6.5 (kg/TJ)
  minerals   Vol 3 Ch 2: Eq. 2.4 (0.52 t CO2/t clinker), Section 2.2.1.2 (clinker fraction
             0.75 when the cement type is unknown), Eq. 2.8 (lime 0.75), Section 2.4 (glass
             0.20, cullet 0.50), Table 2.1 (soda ash 0.41492, calcite 0.43971), Section
             2.5.1.2 (clay: default carbonate content 10 %)
  F-gases    Vol 3 Ch 7 Table 7.9 (upper end of each printed range: the developing-country
             end, Section 7.5.2.2 p. 7.51); Ch 8 Tables 8.2, 8.3
  grid       Viet Nam grid factor 2023, 0.6592 t CO2/MWh (the national authority's)

Registered in tests/test_defaults_only.py.
"""

from __future__ import annotations

import pytest

import ghg_inventory as ghg
from conftest import activity_frame, by_gas


def computed(row: dict) -> ghg.Inventory:
    return ghg.compute(activity_frame([row]))


def emissions_of(row: dict) -> dict[str, float]:
    return by_gas(computed(row))


# --- energy -----------------------------------------------------------------------------------

def test_stationary_combustion_from_fuel_alone():
    # 100 t anthracite in a brick kiln (1.A.2.f): 0.1 Gg x 26.7 TJ/Gg = 2.67 TJ
    # CO2 98,300 x 2.67 = 262,461 kg; CH4 (Table 2.3) 10 x 2.67 = 26.7 kg;
    # N2O 1.5 x 2.67 = 4.005 kg
    got = emissions_of({"category": "1.A.2.f", "activity": "anthracite", "amount": 100,
                        "unit": "t"})
    assert got == {"CO2": pytest.approx(262_461), "CH4": pytest.approx(26.7),
                   "N2O": pytest.approx(4.005)}


def test_road_transport_from_fuel_alone():
    # 100 t gas/diesel oil in trucks (1.A.3.b): 0.1 Gg x 43.0 = 4.3 TJ
    # CO2 74,100 x 4.3 = 318,630 kg; CH4 3.9 x 4.3 = 16.77 kg; N2O 3.9 x 4.3 = 16.77 kg
    got = emissions_of({"category": "1.A.3.b", "activity": "gas_diesel_oil", "amount": 100,
                        "unit": "t"})
    assert got == {"CO2": pytest.approx(318_630), "CH4": pytest.approx(16.77),
                   "N2O": pytest.approx(16.77)}


def test_off_road_farm_machinery_from_fuel_alone():
    # 10 t diesel in tractors (1.A.4.c.ii): 0.01 Gg x 43.0 = 0.43 TJ; Table 3.3.1 diesel,
    # agriculture: CO2 74,100 x 0.43 = 31,863 kg; CH4 4.15 x 0.43 = 1.7845 kg;
    # N2O 28.6 x 0.43 = 12.298 kg
    got = emissions_of({"category": "1.A.4.c.ii", "activity": "gas_diesel_oil", "amount": 10,
                        "unit": "t"})
    assert got == {"CO2": pytest.approx(31_863), "CH4": pytest.approx(1.7845),
                   "N2O": pytest.approx(12.298)}


def test_off_road_machinery_in_construction_from_fuel_alone():
    # 10 t diesel in excavators (1.A.2.k, source_type off_road): Table 3.3.1 diesel,
    # industry: the same factors as farm diesel, 0.43 TJ -> 31,863 / 1.7845 / 12.298 kg
    inv = computed({"category": "1.A.2.k", "activity": "gas_diesel_oil", "amount": 10,
                    "unit": "t", "source_type": "off_road"})
    assert by_gas(inv) == {"CO2": pytest.approx(31_863), "CH4": pytest.approx(1.7845),
                           "N2O": pytest.approx(12.298)}
    assert inv.emissions["factor_id"].str.endswith("diesel_industry").all()


def test_railways_from_fuel_alone():
    # 10 t diesel in locomotives (1.A.3.c): 0.43 TJ; CO2 (Table 1.4) 74,100 x 0.43 =
    # 31,863 kg; Table 3.4.1: CH4 4.15 x 0.43 = 1.7845 kg; N2O 28.6 x 0.43 = 12.298 kg
    got = emissions_of({"category": "1.A.3.c", "activity": "gas_diesel_oil", "amount": 10,
                        "unit": "t"})
    assert got == {"CO2": pytest.approx(31_863), "CH4": pytest.approx(1.7845),
                   "N2O": pytest.approx(12.298)}


def test_domestic_navigation_from_fuel_alone():
    # 10 t diesel in river boats (1.A.3.d): 0.43 TJ; CO2 74,100 x 0.43 = 31,863 kg;
    # Table 3.5.3: CH4 7 x 0.43 = 3.01 kg; N2O 2 x 0.43 = 0.86 kg
    got = emissions_of({"category": "1.A.3.d", "activity": "gas_diesel_oil", "amount": 10,
                        "unit": "t"})
    assert got == {"CO2": pytest.approx(31_863), "CH4": pytest.approx(3.01),
                   "N2O": pytest.approx(0.86)}


def test_civil_aviation_from_fuel_alone():
    # 10 t jet kerosene (1.A.3.a): 0.01 Gg x 44.1 = 0.441 TJ; CO2 (Table 3.6.4) 71,500 x
    # 0.441 = 31,531.5 kg; Table 3.6.5: CH4 0.5 x 0.441 = 0.2205 kg; N2O 2 x 0.441 = 0.882 kg
    got = emissions_of({"category": "1.A.3.a", "activity": "jet_kerosene", "amount": 10,
                        "unit": "t"})
    assert got == {"CO2": pytest.approx(31_531.5), "CH4": pytest.approx(0.2205),
                   "N2O": pytest.approx(0.882)}


def test_purchased_electricity_2023_from_the_shipped_grid_factor():
    # 250 MWh in 2023 x 0.6592 t CO2/MWh = 164.8 t = 164,800 kg CO2 (indirect)
    inv = computed({"category": "indirect.electricity", "activity": "grid_electricity",
                    "year": 2023, "amount": 250, "unit": "MWh"})
    assert by_gas(inv) == {"CO2": pytest.approx(164_800)}


# --- IPPU -------------------------------------------------------------------------------------

def test_cement_from_cement_produced_alone():
    # 1,000 t cement, type unknown: clinker 1,000 x 0.75 = 750 t; x 0.52 = 390 t CO2
    assert emissions_of({"category": "2.A.1", "activity": "cement", "amount": 1000,
                         "unit": "t"}) == {"CO2": pytest.approx(390_000)}


def test_lime_of_unknown_type_alone():
    # 1,000 t lime, type unknown (Eq. 2.8): 1,000 x 0.75 = 750 t CO2
    assert emissions_of({"category": "2.A.2", "activity": "lime_unknown_type", "amount": 1000,
                         "unit": "t"}) == {"CO2": pytest.approx(750_000)}


def test_glass_of_unknown_type_alone():
    # 1,000 t glass: 1,000 x 0.20 x (1 - 0.50) = 100 t CO2
    assert emissions_of({"category": "2.A.3", "activity": "glass", "amount": 1000,
                         "unit": "t"}) == {"CO2": pytest.approx(100_000)}


def test_glass_by_type_needs_only_its_cullet_ratio():
    # Table 2.6 container (flint) 0.21 t CO2/t; the plant's cullet ratio 0.4 (Table 2.6 prints
    # only a typical range, 0.30-0.60): 1,000 x 0.21 x 0.6 = 126 t CO2
    assert emissions_of({"category": "2.A.3", "activity": "glass_container_flint",
                         "amount": 1000, "unit": "t", "cullet_ratio": 0.4}) == {
        "CO2": pytest.approx(126_000)}


def test_carbonate_inputs_from_the_carbonate_alone():
    # 100 t soda ash used (2.A.4.b), full calcination: 100 x 0.41492 = 41.492 t CO2
    assert emissions_of({"category": "2.A.4.b", "activity": "sodium_carbonate", "amount": 100,
                         "unit": "t"}) == {"CO2": pytest.approx(41_492)}


def test_refrigeration_from_bank_and_charges_alone():
    # residential and commercial A/C, HFC-134a, Table 7.9 upper ends (developing country,
    # p. 7.51): operation x printed 1-10 %: 100 kg x 10 % = 10 kg; installation k printed
    # 0.2-1 %: 20 kg x 1 % = 0.2 kg; total 10.2 kg. (End of life needs the compiler's p and
    # eta_rec: Table 7.9 prints only ranges for them, with no rule for a point value.)
    inv = computed({"category": "2.F.1", "activity": "residential_commercial_ac",
                    "amount": 100, "unit": "kg", "refrigerant": "HFC-134a", "new_charge": 20})
    assert by_gas(inv) == {"HFC-134a": pytest.approx(10.2)}


def test_sf6_from_nameplate_capacity_and_region_alone():
    # MV switchgear, Europe (Table 8.2): use 1,000 kg x 0.002 /yr = 2 kg;
    # disposal 100 kg retired x 0.93 = 93 kg; total 95 kg SF6
    inv = computed({"category": "2.G.1", "activity": "sf6_sealed_pressure", "amount": 1000,
                    "unit": "kg", "sf6_region": "europe", "retired_capacity": 100})
    assert by_gas(inv) == {"SF6": pytest.approx(95)}
    # HV switchgear, Japan (Table 8.3): use 1,000 x 0.007 = 7 kg
    assert emissions_of({"category": "2.G.1", "activity": "sf6_closed_pressure",
                         "amount": 1000, "unit": "kg", "sf6_region": "japan"}) == {
        "SF6": pytest.approx(7)}


def test_transport_refrigeration_from_its_bank_alone():
    # Table 7.9 transport refrigeration, operation printed 15-50 %/yr (upper end 50 %):
    # reefer trucks holding 10 kg R-404A -> 5 kg R-404A
    # = 44 % HFC-125 2.2 kg + 52 % HFC-143a 2.6 kg + 4 % HFC-134a 0.2 kg (ASHRAE 34)
    got = emissions_of({"category": "2.F.1", "activity": "transport_refrigeration",
                        "amount": 10, "unit": "kg", "refrigerant": "R-404A"})
    assert got == {"HFC-125": pytest.approx(2.2), "HFC-143a": pytest.approx(2.6),
                   "HFC-134a": pytest.approx(0.2)}


def test_brick_clay_from_the_clay_fired_alone():
    # 5,000 t of clay fired in brick kilns, nothing else: default carbonate content 10 %
    # (Vol 3 Section 2.5.1.2, p. 2.34), carbonate taken as calcite (Table 2.1, 0.43971),
    # full calcination: 5,000 x 0.10 x 0.43971 = 219.855 t CO2
    assert emissions_of({"category": "2.A.4.a", "activity": "clay", "amount": 5000,
                         "unit": "t"}) == {"CO2": pytest.approx(219_855)}
