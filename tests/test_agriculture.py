"""Agriculture (IPCC 2006 Vol 4 Ch 2, 5, 10, 11; 2019 Refinement) against values worked by hand.

Defaults used (see emission_factors/ for each record's source and checks):
Table 10.10/10.11 enteric CH4 (Asia other cattle 47, buffalo 55, swine 1.0 kg/head/yr in
developing countries); Table 10.12 Ym 6.5 %; Table 5.11-5.14 rice; Table 11.1/11.3 soils
(2006: EF1 0.01, EF4 0.01, EF5 0.0075, FracGASF 0.10, FracGASM 0.20, FracLEACH 0.30);
Eq. 11.12/11.13 (urea 0.20, limestone 0.12, dolomite 0.13 t C/t); Tables 2.4-2.6 burning
(rice straw 5.5 t DM/ha, Cf 0.80; agricultural residues CH4 2.7, N2O 0.07, CO2 1,515 g/kg).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ghg_inventory as ghg
from conftest import activity_frame, by_gas

N2O_PER_N = 44 / 28


def emissions(rows: list[dict], **kwargs) -> dict[str, float]:
    return by_gas(ghg.compute(activity_frame(rows), **kwargs))


def refused(rows: list[dict], **kwargs) -> list[ghg.Problem]:
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame(rows), **kwargs)
    return info.value.problems


# --- enteric fermentation -------------------------------------------------------------------

@pytest.mark.parametrize("species, ef", [("other_cattle", 47), ("buffalo", 55),
                                         ("swine", 1.0)])
def test_enteric_tier1_asia(species, ef):
    # 1,000 head x EF kg CH4/head/yr
    got = emissions([{"category": "3.A.1", "activity": species, "amount": 1000,
                      "unit": "head"}])
    assert got == {"CH4": pytest.approx(1000 * ef)}


def test_enteric_ch4_is_non_fossil_under_ar6():
    inv = ghg.compute(activity_frame([{"category": "3.A.1", "activity": "buffalo",
                                       "amount": 1, "unit": "head"}]), gwp="AR6")
    # AR6 non-fossil CH4 GWP-100 27.0: 55 kg x 27.0 = 1,485 kg CO2e
    assert not inv.emissions["fossil"].any()
    assert inv.total().m_as("kg CO2e") == pytest.approx(55 * 27.0)


def test_enteric_tier2_from_gross_energy():
    # Eq. 10.21: 110 MJ/day x 6.5 % x 365 / 55.65 = 46.8958 kg/head/yr; x 200 head
    got = emissions([{"category": "3.A.1", "activity": "other_cattle", "amount": 200,
                      "unit": "head", "gross_energy": 110}])
    assert got["CH4"] == pytest.approx(200 * 110 * 0.065 * 365 / 55.65)


def test_enteric_tier2_from_animal_data():
    # Non-lactating cattle, 250 kg, DE 55 %, stall-fed, no growth, milk, work:
    # NEm = 0.322 x 250^0.75 = 20.2442 MJ/day (Eq. 10.3, Table 10.4); NEa = 0 (stall)
    # REM = 1.123 - 4.092e-3 x 55 + 1.126e-5 x 55^2 - 25.4/55 = 0.470184 (Eq. 10.14)
    # GE = 20.2442 / 0.470184 / 0.55 = 78.284 MJ/day (Eq. 10.16)
    # EF = 78.284 x 0.065 x 365 / 55.65 = 33.374 kg/head/yr (Eq. 10.21)
    ne_m = 0.322 * 250 ** 0.75
    rem = 1.123 - 4.092e-3 * 55 + 1.126e-5 * 55 ** 2 - 25.4 / 55
    expected = ne_m / rem / 0.55 * 0.065 * 365 / 55.65
    assert expected == pytest.approx(33.37, abs=0.01)
    got = emissions([{"category": "3.A.1", "activity": "other_cattle", "amount": 1,
                      "unit": "head", "live_weight": 250, "digestibility": 55,
                      "feeding_situation": "stall"}])
    assert got["CH4"] == pytest.approx(expected, rel=1e-9)
    inv = ghg.compute(activity_frame([{"category": "3.A.1", "activity": "other_cattle",
                                       "amount": 1, "unit": "head", "live_weight": 250,
                                       "digestibility": 55}]))
    assert (inv.emissions["tier"] == 2).all()


def test_tier2_with_the_tier1_implied_gross_energy_reproduces_tier1():
    # GE implied by 47 kg/head/yr at Ym 6.5 %: 47 x 55.65 / (0.065 x 365) = 110.24 MJ/day
    ge = 47 * 55.65 / (0.065 * 365)
    tier2 = emissions([{"category": "3.A.1", "activity": "other_cattle", "amount": 1,
                        "unit": "head", "gross_energy": round(ge, 1)}])["CH4"]
    assert tier2 == pytest.approx(47, abs=0.05)


@settings(max_examples=30, deadline=None)
@given(heads=st.floats(1, 1e6), factor=st.floats(0.1, 50))
def test_doubling_the_herd_doubles_the_emissions(heads, factor):
    def ch4(n: float) -> float:
        return emissions([{"category": "3.A.1", "activity": "buffalo", "amount": n,
                           "unit": "head"}])["CH4"]
    assert ch4(heads * factor) == pytest.approx(ch4(heads) * factor, rel=1e-9)


@pytest.mark.parametrize("change, column", [
    ({"amount": -3}, "amount"),
    ({"region": "atlantis"}, "region"),
    ({"activity": "unicorn"}, "activity"),
    ({"activity": "goats", "gross_energy": 20}, "activity"),
    ({"live_weight": 250}, "digestibility"),
])
def test_bad_livestock_input_is_refused(change, column):
    row = {"category": "3.A.1", "activity": "other_cattle", "amount": 10, "unit": "head",
           **change}
    assert column in {p.column for p in refused([row])}


# --- rice -----------------------------------------------------------------------------------

RICE = {"category": "3.C.7", "activity": "rice", "unit": "ha", "cultivation_days": 120,
        "preseason_water_regime": "not_flooded_less_than_180_days"}


def test_rice_2006_multiple_drainage():
    # 100 ha x 120 d x EFc 1.30 x SFw 0.52 x SFp 1 = 8,112 kg CH4 (Eq. 5.1, 5.2)
    got = emissions([{**RICE, "amount": 100, "water_regime": "multiple_drainage"}])
    assert got == {"CH4": pytest.approx(100 * 120 * 1.30 * 0.52)}


def test_rice_with_straw_incorporated_shortly_before_cultivation():
    # SFo = (1 + 6 t/ha x CFOA 1.0)^0.59 = 7^0.59 = 3.1506 (Eq. 5.3, Table 5.14)
    got = emissions([{**RICE, "amount": 1, "water_regime": "continuously_flooded",
                      "organic_amendment": "straw_short", "organic_amendment_rate": 6}])
    assert got["CH4"] == pytest.approx(120 * 1.30 * 7 ** 0.59)


def test_rice_2019_differs_and_is_chosen_for_the_whole_run():
    row = {**RICE, "amount": 100, "water_regime": "continuously_flooded"}
    v2006 = ghg.compute(activity_frame([row]))
    v2019 = ghg.compute(activity_frame([row]), guidelines="2019")
    assert set(v2019.emissions["guidelines"]) == {"2019"}
    assert by_gas(v2006)["CH4"] != pytest.approx(by_gas(v2019)["CH4"])


@pytest.mark.parametrize("change, column", [
    ({"water_regime": "underwater_basket"}, "water_regime"),
    ({"water_regime": ""}, "water_regime"),
    ({"organic_amendment_rate": 5}, "organic_amendment"),
    ({"cultivation_days": 400}, "cultivation_days"),
    ({"cultivation_days": ""}, "cultivation_days"),
])
def test_bad_rice_input_is_refused(change, column):
    row = {**RICE, "amount": 10, "water_regime": "continuously_flooded", **change}
    assert column in {p.column for p in refused([row])}


def test_a_water_regime_of_the_2019_tables_only_is_refused_in_a_2006_run():
    # non-flooded pre-season > 365 d exists in the 2019 Table 5.13 only (SFp 0.59)
    row = {**RICE, "amount": 10, "water_regime": "regular_rainfed",
           "preseason_water_regime": "non_flooded_more_than_365_days"}
    assert "preseason_water_regime" in {p.column for p in refused([row])}
    # 2019: 10 ha x 120 d x EFc 1.22 (South-East Asia) x SFw 0.54 x SFp 0.59
    got = emissions([row], guidelines="2019")
    assert got == {"CH4": pytest.approx(10 * 120 * 1.22 * 0.54 * 0.59)}
    # 2006 regular rainfed: Table 5.12 SFw 0.28 (the 2006 row, never the 2019 0.54)
    got = emissions([{**row, "preseason_water_regime": "not_flooded_less_than_180_days"}])
    assert got == {"CH4": pytest.approx(10 * 120 * 1.30 * 0.28)}


def test_rice_region_of_the_2019_baseline():
    row = {**RICE, "amount": 1, "water_regime": "continuously_flooded"}
    # 2019 Table 5.11A: East Asia 1.32 kg/ha/day; 2006 Table 5.11: one value, 1.30
    assert emissions([{**row, "region": "east_asia"}], guidelines="2019")["CH4"] == \
        pytest.approx(120 * 1.32)
    assert emissions([{**row, "region": "east_asia"}])["CH4"] == pytest.approx(120 * 1.30)
    assert "region" in {p.column for p in refused([{**row, "region": "mars"}],
                                                   guidelines="2019")}


# --- manure management ----------------------------------------------------------------------

MANURE = {"category": "3.A.2", "unit": "head", "region": "asia"}


def test_manure_other_cattle_solid_storage_asia():
    # CH4: 100 head x 1 kg/head/yr (Table 10.14, Asia, 25 degC)
    # Nex = 0.34 kg N/t/day (Table 10.19) x 319 kg / 1000 (Table 10A-5) x 365 = 39.5879
    # direct: 100 x 39.5879 x EF3 0.005 (Table 10.21) x 44/28 = 31.105 kg N2O (3.A.2)
    # volatilised: 100 x 39.5879 x 45 % (Table 10.22) x EF4 0.01 x 44/28 = 27.994 (3.C.6)
    inv = ghg.compute(activity_frame([{**MANURE, "activity": "other_cattle", "amount": 100,
                                       "manure_system": "solid_storage", "temperature": 25}]))
    table = inv.rollup(by="category").set_index("category")
    nex = 0.34 * 319 / 1000 * 365
    assert table.loc["3.A.2", "CH4_kg"] == pytest.approx(100)
    assert table.loc["3.A.2", "N2O_kg"] == pytest.approx(100 * nex * 0.005 * N2O_PER_N)
    assert table.loc["3.C.6", "N2O_kg"] == pytest.approx(100 * nex * 0.45 * 0.01 * N2O_PER_N)


def test_manure_swine_liquid_slurry_with_the_users_n_excretion():
    # CH4: 50 head x 5 kg (Table 10.14, Asia swine, 24 degC)
    # N: 50 x 12 kg N; EF3 of slurry without crust 0 -> no direct N2O
    # volatilised: 600 x 48 % (swine, liquid/slurry) x 0.01 x 44/28 = 4.5257 kg (3.C.6)
    inv = ghg.compute(activity_frame([{**MANURE, "activity": "swine", "amount": 50,
                                       "manure_system": "liquid_slurry_without_crust",
                                       "temperature": 24, "nex": 12}]))
    table = inv.rollup(by="category").set_index("category")
    assert table.loc["3.A.2", "CH4_kg"] == pytest.approx(250)
    assert table.loc["3.A.2", "N2O_kg"] == pytest.approx(0)
    assert table.loc["3.C.6", "N2O_kg"] == pytest.approx(600 * 0.48 * 0.01 * N2O_PER_N)


def test_manure_tier2_methane_from_volatile_solids():
    # Eq. 10.23: VS 2.0 kg/day x 365 x Bo 0.10 m3/kg x 0.67 kg/m3 x MCF 2 % = 0.97820 kg/yr
    # 40 head -> 39.128 kg CH4 (Tier 2); N2O as Tier 1 (the row's nex 30 kg N/head/yr)
    inv = ghg.compute(activity_frame([{**MANURE, "activity": "other_cattle", "amount": 40,
                                       "manure_system": "solid_storage", "vs_rate": 2.0,
                                       "bo": 0.10, "mcf": 2, "nex": 30}]))
    ch4 = inv.emissions[inv.emissions["gas"] == "CH4"]
    assert ch4["emissions_kg"].sum() == pytest.approx(40 * 2.0 * 365 * 0.10 * 0.67 * 0.02)
    assert set(ch4["tier"]) == {2}
    n2o = inv.rollup(by="category").set_index("category")["N2O_kg"]
    assert n2o["3.A.2"] == pytest.approx(40 * 30 * 0.005 * N2O_PER_N)


def test_manure_on_pasture_has_only_its_methane_here():
    # buffalo on pasture: CH4 30 head x 2 kg (Table 10.14, Asia, 20 degC); N2O under 3.C.4
    got = emissions([{**MANURE, "activity": "buffalo", "amount": 30, "temperature": 20,
                      "manure_system": "pasture_range_paddock"}])
    assert got == {"CH4": pytest.approx(60)}


def test_splitting_the_herd_by_system_keeps_tier1_methane():
    one = emissions([{**MANURE, "activity": "swine", "amount": 100, "temperature": 24,
                      "manure_system": "solid_storage", "nex": 10}])["CH4"]
    two = emissions([{**MANURE, "activity": "swine", "amount": 60, "temperature": 24,
                      "manure_system": "solid_storage", "nex": 10},
                     {**MANURE, "activity": "swine", "amount": 40, "temperature": 24,
                      "manure_system": "uncovered_anaerobic_lagoon", "nex": 10}])["CH4"]
    assert two == pytest.approx(one)


@pytest.mark.parametrize("change, column", [
    ({"manure_system": ""}, "manure_system"),
    ({"manure_system": "septic_tank_for_cows"}, "manure_system"),
    ({"temperature": ""}, "temperature"),
    ({"temperature": 95}, "temperature"),
    # buffalo are not in Table 10.22: Frac_GasMS must come from the user
    ({"activity": "buffalo", "nex": 40}, "frac_gas_ms"),
    # Table 10.19 prints no Indian Subcontinent column (the Annex 10A.2 mass, 295 kg, is
    # printed): N excretion from the user
    ({"activity": "buffalo", "frac_gas_ms": 30, "region": "indian_subcontinent"}, "nex"),
    ({"activity": "poultry", "manure_system": "poultry_manure_with_litter", "nex": 0.6},
     "ef3"),
    ({"development": "emerging"}, "development"),
])
def test_bad_manure_input_is_refused(change, column):
    row = {**MANURE, "activity": "other_cattle", "amount": 10, "temperature": 22,
           "manure_system": "solid_storage", **change}
    assert column in {p.column for p in refused([row])}


# --- managed soils, urea, liming ------------------------------------------------------------

def test_synthetic_fertilizer_direct_and_indirect_2006():
    # 1,000 kg N: direct 1,000 x 0.01 x 44/28 = 15.714 kg N2O (3.C.4)
    # volatilised 1,000 x 0.10 x 0.01 x 44/28 = 1.5714; leached 1,000 x 0.30 x 0.0075
    # x 44/28 = 3.5357 (3.C.5)
    inv = ghg.compute(activity_frame([{"category": "3.C.4", "activity": "synthetic_fertilizer",
                                       "amount": 1000, "unit": "kg"}]))
    by_category = inv.rollup(by="category").set_index("category")["N2O_kg"]
    assert by_category["3.C.4"] == pytest.approx(1000 * 0.01 * N2O_PER_N)
    assert by_category["3.C.5"] == pytest.approx(1000 * (0.10 * 0.01 + 0.30 * 0.0075)
                                                 * N2O_PER_N)
    # the indirect rows keep the activity row's provenance and file position
    assert inv.emissions["source_row"].nunique() == 1


def test_synthetic_fertilizer_2019_wet_climate_urea():
    # 2019 Table 11.1: EF1 wet climate, synthetic 0.016 -> 1,000 x 0.016 x 44/28 = 25.143
    # 2019 Table 11.3: FracGASF urea 0.15, EF4 wet 0.014, FracLEACH 0.24, EF5 0.011
    # indirect 1,000 x (0.15 x 0.014 + 0.24 x 0.011) x 44/28 = 7.4486 kg N2O (3.C.5)
    row = {"category": "3.C.4", "activity": "synthetic_fertilizer", "amount": 1000,
           "unit": "kg", "climate": "wet", "fertilizer_type": "urea"}
    inv = ghg.compute(activity_frame([row]), guidelines="2019")
    by_category = inv.rollup(by="category").set_index("category")["N2O_kg"]
    assert by_category["3.C.4"] == pytest.approx(1000 * 0.016 * N2O_PER_N)
    assert by_category["3.C.5"] == pytest.approx(1000 * (0.15 * 0.014 + 0.24 * 0.011)
                                                 * N2O_PER_N)


def test_maize_residues_returned_to_the_soil():
    # Table 11.2 maize: DRY 0.87, slope 1.03, intercept 0.61, N_AG 0.006, R_BG-BIO 0.22,
    # N_BG 0.007. Yield 5 t fresh/ha -> Crop 4.35 t DM/ha; AG_DM 4.35 x 1.03 + 0.61 = 5.0905
    # F_CR/ha = 5.0905 x 0.006 x (1 - 0.5) + 0.22 x (5.0905 + 4.35) x 0.007 = 0.0298099 t N
    # 10 ha: 298.099 kg N; direct x 0.01 x 44/28; leached x 0.30 x 0.0075 x 44/28 (3.C.5)
    row = {"category": "3.C.4", "activity": "crop_residue_maize", "amount": 10, "unit": "ha",
           "crop_yield": 5, "frac_remove": 0.5}
    crop = 5 * 0.87
    ag = crop * 1.03 + 0.61
    n = 10 * 1000 * (ag * 0.006 * 0.5 + 0.22 * (ag + crop) * 0.007)
    assert n == pytest.approx(298.099, abs=1e-3)
    inv = ghg.compute(activity_frame([row]))
    by_category = inv.rollup(by="category").set_index("category")["N2O_kg"]
    assert by_category["3.C.4"] == pytest.approx(n * 0.01 * N2O_PER_N)
    assert by_category["3.C.5"] == pytest.approx(n * 0.30 * 0.0075 * N2O_PER_N)
    # no Frac_Remove: IPCC's "assume no removal"
    kept = by_gas(ghg.compute(activity_frame([{**row, "frac_remove": ""}])))["N2O"]
    n_kept = 10 * 1000 * (ag * 0.006 + 0.22 * (ag + crop) * 0.007)
    assert kept == pytest.approx(n_kept * (0.01 + 0.30 * 0.0075) * N2O_PER_N)


def test_rice_residues_need_the_below_ground_n_table_11_2_leaves_blank():
    row = {"category": "3.C.4", "activity": "crop_residue_rice", "amount": 10, "unit": "ha",
           "crop_yield": 5, "frac_remove": 0.3}
    assert "n_bg" in {p.column for p in refused([row])}
    # with the user's N_BG 0.009: Crop 4.45, AG_DM 4.45 x 0.95 + 2.46 = 6.6875
    crop = 5 * 0.89
    ag = crop * 0.95 + 2.46
    n = 10 * 1000 * (ag * 0.007 * 0.7 + 0.16 * (ag + crop) * 0.009)
    got = emissions([{**row, "n_bg": 0.009, "leaching": "no"}])
    assert got["N2O"] == pytest.approx(n * 0.01 * N2O_PER_N)


def test_urine_and_dung_on_pasture_by_animal_group():
    # 1,000 kg N from cattle: EF3PRP 0.02 -> 31.43 kg N2O direct; FracGASM 0.20
    rows = [{"category": "3.C.4", "activity": "urine_dung_pasture", "amount": 1000,
             "unit": "kg", "animal_group": "cattle_poultry_pigs", "leaching": "no"}]
    inv = ghg.compute(activity_frame(rows))
    by_category = inv.rollup(by="category").set_index("category")["N2O_kg"]
    assert by_category["3.C.4"] == pytest.approx(1000 * 0.02 * N2O_PER_N)
    assert by_category["3.C.5"] == pytest.approx(1000 * 0.20 * 0.01 * N2O_PER_N)
    assert "animal_group" in {p.column for p in refused([{**rows[0], "animal_group": ""}])}


@pytest.mark.parametrize("activity, category, carbon", [
    ("urea", "3.C.3", 0.20), ("limestone", "3.C.2", 0.12), ("dolomite", "3.C.2", 0.13)])
def test_urea_and_lime_co2(activity, category, carbon):
    # 100 t x carbon factor x 44/12, counted (mineral carbon, not a memo)
    inv = ghg.compute(activity_frame([{"category": category, "activity": activity,
                                       "amount": 100, "unit": "t"}]))
    assert by_gas(inv) == {"CO2": pytest.approx(100_000 * carbon * 44 / 12)}
    assert inv.total().m_as("kg CO2e") == pytest.approx(100_000 * carbon * 44 / 12)


# --- burning crop residues ------------------------------------------------------------------

def test_rice_straw_burnt_in_the_field():
    # 10 ha x M_B 6.0 t DM/ha (the user's) x Cf 0.80 (Table 2.6) = 48 t DM burnt (Eq. 2.27)
    # CH4 48,000 kg x 2.7 g/kg = 129.6 kg; N2O x 0.07 = 3.36 kg; CO2 x 1,515 = 72,720 kg
    inv = ghg.compute(activity_frame([{"category": "3.C.1.b", "activity": "rice_straw",
                                       "amount": 10, "unit": "ha",
                                       "fuel_available": 6.0}]), gwp="AR5")
    got = by_gas(inv)
    assert got == {"CH4": pytest.approx(129.6), "N2O": pytest.approx(3.36),
                   "CO2": pytest.approx(72_720)}
    # CO2 of burnt straw is a biogenic memo, outside the totals (AR5: CH4 28, N2O 265)
    assert inv.biogenic_co2().to("kg * CO2").m == pytest.approx(72_720)
    assert inv.total().m_as("kg CO2e") == pytest.approx(129.6 * 28 + 3.36 * 265)


def test_burning_takes_table_2_4_consumption_without_cf_and_refuses_a_lone_cf():
    row = {"category": "3.C.1.b", "activity": "rice_straw", "amount": 10, "unit": "ha"}
    # IPCC 2006 Vol 4 Table 2.4 prints M_B x Cf (fuel consumed), 5.5 t DM/ha for rice
    # residues: 10 ha x 5.5 t = 55 t DM burnt, CH4 55,000 kg x 2.7 g/kg = 148.5 kg, no Cf
    assert emissions([row])["CH4"] == pytest.approx(10 * 5.5 * 1000 * 2.7 / 1000)
    # the same through the row's own M_B with Cf = 1
    got = emissions([{**row, "fuel_available": 5.5, "combustion_factor": 1}])
    assert got["CH4"] == pytest.approx(10 * 5.5 * 1000 * 2.7 / 1000)
    assert "combustion_factor" in {p.column for p in refused(
        [{**row, "fuel_available": 5.5, "combustion_factor": 1.5}])}
    # a Cf without M_B would apply Cf twice to Table 2.4's product: refused
    assert "combustion_factor" in {p.column for p in refused(
        [{**row, "combustion_factor": 0.8}])}
    # the 2019 Refinement's Table 2.4 (Updated) drops the per-crop values: M_B is needed
    problems = [p for p in refused([row], guidelines="2019") if p.column == "fuel_available"]
    assert problems and "2019" in str(problems[0].message)


def test_everything_agricultural_counts_in_the_agriculture_area():
    rows = [{"category": "3.A.1", "activity": "buffalo", "amount": 10, "unit": "head"},
            {"category": "3.C.3", "activity": "urea", "amount": 1, "unit": "t"},
            {"category": "3.C.4", "activity": "synthetic_fertilizer", "amount": 100,
             "unit": "kg"}]
    areas = ghg.compute(activity_frame(rows)).rollup(by="plan_area")
    assert list(areas["plan_area"]) == ["agriculture"]


def test_linear_in_n_applied():
    def n2o(kg: float) -> float:
        return emissions([{"category": "3.C.4", "activity": "synthetic_fertilizer",
                           "amount": kg, "unit": "kg"}])["N2O"]
    assert np.isclose(n2o(3000), 3 * n2o(1000), rtol=1e-12)
