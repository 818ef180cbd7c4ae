"""Waste (IPCC 2006 Vol 5) against values worked by hand.

Defaults used (see emission_factors/ for each record's source and checks): Table 2.4 DOC
(food 0.15, paper 0.40, wood 0.43, textiles 0.24, rubber/leather 0.39), dm/CF/FCF; Table 3.1
MCF (managed anaerobic 1.0, unmanaged shallow 0.4); Table 3.3 k (tropical wet: food 0.40,
paper 0.07); DOCf 0.5, F 0.5; Table 3.2 OX 0.1 with an oxidising cover; Table 4.1
(composting 4 g CH4 and 0.24 g N2O per kg wet, 10 and 0.6 dry; digestion 0.8 g CH4);
Tables 5.2, 5.3, 5.6 (incinerator OF 1, continuous stoker CH4 0.2 g/t, N2O 50 g/t), open
burning CH4 6,500 g/t;
Ch 6 (Bo 0.6 kg CH4/kg BOD and 0.25/kg COD, MCF septic 0.5, anaerobic shallow lagoon 0.2,
BOD 40 g/person/day for Asia, F_NPR 0.16, F_IND-COM 1.25, EF_EFFLUENT 0.005).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ghg_inventory as ghg
from conftest import activity_frame, by_gas

N2O_PER_N = 44 / 28
CH4_PER_C = 16 / 12

SITE = {"facility_id": "LF-1", "category": "4.A", "unit": "t",
        "site_type": "managed_anaerobic", "climate_zone": "tropical_wet"}


def refused(rows: list[dict], **kwargs) -> list[ghg.Problem]:
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame(rows), **kwargs)
    return info.value.problems


def ch4_by_year(inv: ghg.Inventory) -> dict[int, float]:
    table = inv.rollup(by="year")
    return dict(zip(table["year"].astype(int), table["CH4_kg"], strict=True))


# --- solid waste disposal, first-order decay --------------------------------------------------

def test_two_deposits_of_food_waste_decay_from_the_next_year():
    # DDOCm = 1,000 t x DOC 0.15 x DOCf 0.5 x MCF 1.0 = 75 t each year (Eq. 3.2)
    # 2021: 75 x (1 - e^-0.4) x F 0.5 x 16/12 = 16.484 t CH4 (the 2021 deposit waits)
    # 2022: (75 e^-0.4 + 75) x (1 - e^-0.4) x 0.5 x 16/12 = 27.534 t
    # 2023: (75 e^-0.8 + 75 e^-0.4) x (1 - e^-0.4) x 0.5 x 16/12 = 18.456 t
    rows = [{**SITE, "year": 2020, "activity": "food", "amount": 1000, "until": 2023},
            {**SITE, "year": 2021, "activity": "food", "amount": 1000}]
    got = ch4_by_year(ghg.compute(activity_frame(rows)))
    q = math.exp(-0.4)
    per_t = (1 - q) * 0.5 * CH4_PER_C * 1000  # kg CH4 per t DDOCm decomposing
    assert got == {2021: pytest.approx(75 * per_t), 2022: pytest.approx(75 * (q + 1) * per_t),
                   2023: pytest.approx(75 * (q * q + q) * per_t)}
    assert got[2022] == pytest.approx(27_534, abs=1)


def test_emissions_run_to_the_last_year_of_the_table_and_to_until():
    rows = [{**SITE, "year": 2010, "activity": "paper", "amount": 500},
            {**SITE, "facility_id": "LF-2", "year": 2015, "activity": "food", "amount": 10}]
    assert sorted(ch4_by_year(ghg.compute(activity_frame(rows)))) == list(range(2011, 2016))
    closed = [{**rows[0], "until": 2030}, rows[1]]
    assert max(ch4_by_year(ghg.compute(activity_frame(closed)))) == 2030


#: IPCC 2006 Vol 5 Ch 3 Table 3.3, k [1/yr] as printed, by climate zone: boreal/temperate
#: dry, boreal/temperate wet, tropical dry, tropical wet (moist and wet).
K_TABLE_3_3 = {
    "paper": (0.04, 0.06, 0.045, 0.07),      # slowly degrading: paper/textiles
    "textiles": (0.04, 0.06, 0.045, 0.07),
    "wood": (0.02, 0.03, 0.025, 0.035),      # slowly degrading: wood/straw
    "garden": (0.05, 0.1, 0.065, 0.17),      # moderately degrading: other (non-food) organic
    "food": (0.06, 0.185, 0.085, 0.4),       # rapidly degrading: food waste/sewage sludge
}
ZONES = ("boreal_temperate_dry", "boreal_temperate_wet", "tropical_dry", "tropical_wet")
#: IPCC 2006 Vol 5 Ch 2 Table 2.4, DOC [% of wet weight] as printed, here as fractions.
DOC_TABLE_2_4 = {"food": 0.15, "garden": 0.20, "paper": 0.40, "wood": 0.43, "textiles": 0.24}


@settings(max_examples=40, deadline=None)
@given(tonnes=st.floats(1, 1e6), years=st.integers(1, 60), zone=st.sampled_from(ZONES),
       waste=st.sampled_from(sorted(DOC_TABLE_2_4)))
def test_one_deposit_emits_its_decomposable_carbon_over_time(tonnes, years, zone, waste):
    # sum over T = x+1 .. x+N of D e^{-k(T-x-1)} (1 - e^-k) = D (1 - e^{-kN});
    # D = W x DOC (Table 2.4) x DOCf 0.5 x MCF 1.0, CH4 = x F 0.5 x 16/12, k of Table 3.3
    k = K_TABLE_3_3[waste][ZONES.index(zone)]
    doc = DOC_TABLE_2_4[waste]
    row = {**SITE, "climate_zone": zone, "year": 2000, "activity": waste, "amount": tonnes,
           "until": 2000 + years}
    total = sum(ch4_by_year(ghg.compute(activity_frame([row]))).values())
    ddocm = tonnes * doc * 0.5 * 1.0
    assert total == pytest.approx(ddocm * (1 - math.exp(-k * years)) * 0.5 * CH4_PER_C
                                  * 1000, rel=1e-9)


def test_one_deposit_worked_by_hand():
    # 1,000 t garden waste, tropical wet (k 0.17), 10 years: D = 1,000 x 0.20 x 0.5 x 1.0
    # = 100 t; CH4 = 100 x (1 - e^-1.7 = 0.81732) x 0.5 x 16/12 = 54.4878 t
    row = {**SITE, "year": 2000, "activity": "garden", "amount": 1000, "until": 2010}
    total = sum(ch4_by_year(ghg.compute(activity_frame([row]))).values())
    assert total == pytest.approx(100 * (1 - math.exp(-1.7)) * 0.5 * CH4_PER_C * 1000)
    assert total == pytest.approx(54_487.8, abs=0.1)


def test_a_single_deposit_decays_as_exp_minus_kt():
    # wood, tropical dry: k = 0.025; E(T+1) / E(T) = e^-k every year
    row = {**SITE, "climate_zone": "tropical_dry", "year": 2000, "activity": "wood",
           "amount": 100, "until": 2040}
    got = ch4_by_year(ghg.compute(activity_frame([row])))
    series = np.array([got[y] for y in range(2001, 2041)])
    assert np.allclose(series[1:] / series[:-1], math.exp(-0.025), rtol=1e-12)


def test_constant_deposits_approach_the_steady_state():
    # 100 years of 1,000 t food a year (k 0.4): emissions -> W DOC DOCf MCF F 16/12
    # = 1,000 x 0.15 x 0.5 x 1.0 x 0.5 x 16/12 = 50 t CH4/yr (less e^-0.4x99 ~ 6e-18)
    rows = [{**SITE, "year": y, "activity": "food", "amount": 1000} for y in range(1920, 2020)]
    got = ch4_by_year(ghg.compute(activity_frame(rows)))
    assert got[2019] == pytest.approx(1000 * 0.15 * 0.5 * 1.0 * 0.5 * CH4_PER_C * 1000,
                                      rel=1e-12)


def test_a_gap_in_a_site_history_is_allowed():
    # nothing deposited in 2021: 2022 = 2020's deposit in its second year of decay
    rows = [{**SITE, "year": 2020, "activity": "food", "amount": 1000},
            {**SITE, "year": 2022, "activity": "food", "amount": 1000}]
    got = ch4_by_year(ghg.compute(activity_frame(rows)))
    first = 75 * (1 - math.exp(-0.4)) * 0.5 * CH4_PER_C * 1000
    assert got[2022] == pytest.approx(first * math.exp(-0.4))


def test_recovery_and_an_oxidising_cover():
    # paper 1,000 t in 2020 at an unmanaged shallow site (MCF 0.4), k 0.07:
    # DDOCm = 1,000 x 0.40 x 0.5 x 0.4 = 80 t; CH4 generated 2021 = 80 (1 - e^-0.07) x 0.5
    # x 16/12; 2022 = that x e^-0.07. 2022: 1 t recovered, cover from 2022 on: (G - 1 t) x 0.9
    site = {**SITE, "site_type": "unmanaged_shallow", "activity": "paper"}
    rows = [{**site, "year": 2020, "amount": 1000},
            {**site, "year": 2022, "amount": 0, "methane_recovered": 1,
             "oxidising_cover": "yes"}]
    got = ch4_by_year(ghg.compute(activity_frame(rows)))
    g2021 = 80 * (1 - math.exp(-0.07)) * 0.5 * CH4_PER_C * 1000
    assert got[2021] == pytest.approx(g2021)
    assert got[2022] == pytest.approx((g2021 * math.exp(-0.07) - 1000) * 0.9)


def test_bulk_msw_doc_from_a_regional_composition():
    # Table 2.3 Western Asia: food 41.1 %, paper 18.0, wood 9.8, textiles 2.9,
    # rubber/leather 0.6 -> DOC = .411 x .15 + .18 x .40 + .098 x .43 + .029 x .24
    # + .006 x .39 = 0.18509 (Eq. 2.4); k bulk, tropical wet 0.17
    doc = 0.411 * 0.15 + 0.18 * 0.40 + 0.098 * 0.43 + 0.029 * 0.24 + 0.006 * 0.39
    assert doc == pytest.approx(0.18509)
    row = {**SITE, "year": 2020, "activity": "msw_bulk", "amount": 100, "until": 2021,
           "composition_region": "western_asia"}
    got = ch4_by_year(ghg.compute(activity_frame([row])))
    assert got[2021] == pytest.approx(100 * doc * 0.5 * (1 - math.exp(-0.17)) * 0.5
                                      * CH4_PER_C * 1000)
    assert "doc" in {p.column for p in refused([{**row, "composition_region": ""}])}


def test_landfill_methane_is_non_fossil_and_keeps_its_source_row():
    rows = [{**SITE, "year": 2020, "activity": "food", "amount": 10, "until": 2025}]
    inv = ghg.compute(activity_frame(rows), gwp="AR6")
    assert not inv.emissions["fossil"].any()
    assert set(inv.emissions["source_row"]) == {0}
    assert set(inv.emissions["category"]) == {"4.A"}


@pytest.mark.parametrize("change, column", [
    ({"site_type": "ocean"}, "site_type"),
    ({"site_type": ""}, "site_type"),
    ({"climate_zone": "lunar"}, "climate_zone"),
    ({"activity": "plastics"}, "activity"),
    ({"amount": -1}, "amount"),
    ({"until": 1999}, "until"),
    ({"methane_recovered": 1000}, "methane_recovered"),
    ({"oxidising_cover": "maybe"}, "oxidising_cover"),
    ({"mcf": 1.5}, "mcf"),
    ({"k": 0}, "k"),
    ({"doc": -0.1}, "doc"),
])
def test_bad_landfill_input_is_refused(change, column):
    row = {**SITE, "year": 2020, "activity": "food", "amount": 100, "until": 2022, **change}
    assert column in {p.column for p in refused([row])}


def test_the_same_site_year_and_waste_type_twice_is_refused():
    row = {**SITE, "year": 2020, "activity": "food", "amount": 100}
    problems = refused([row, {**row, "amount": 50}])
    assert {(p.row, p.column) for p in problems} == {(0, "year"), (1, "year")}
    # the same year for another waste type or another site is fine
    ghg.compute(activity_frame([row, {**row, "activity": "paper"},
                                {**row, "facility_id": "LF-2"}]))


# --- biological treatment -------------------------------------------------------------------

def test_composting_and_digestion():
    # composting 100 t wet: CH4 100,000 kg x 4 g/kg = 400 kg; N2O x 0.24 g/kg = 24 kg
    # (Table 4.1 of the 2006 chapter as the IPCC re-issued it in 2015 prints 0.24 wet)
    # digestion 100 t wet: CH4 100,000 x 0.8 g/kg = 80 kg - 0.05 t recovered = 30 kg
    got = by_gas(ghg.compute(activity_frame([
        {"category": "4.B", "activity": "composting", "amount": 100, "unit": "t"},
        {"category": "4.B", "activity": "anaerobic_digestion", "amount": 100, "unit": "t",
         "methane_recovered": 0.05}])))
    assert got == {"CH4": pytest.approx(430), "N2O": pytest.approx(24)}
    dry = by_gas(ghg.compute(activity_frame([{"category": "4.B", "activity": "composting",
                                              "amount": 10, "unit": "t", "basis": "dry"}])))
    assert dry == {"CH4": pytest.approx(100), "N2O": pytest.approx(6)}
    assert "methane_recovered" in {p.column for p in refused([
        {"category": "4.B", "activity": "anaerobic_digestion", "amount": 1, "unit": "t",
         "methane_recovered": 1}])}


# --- incineration and open burning ----------------------------------------------------------

def test_incinerating_plastics_and_paper():
    # plastics 10 t: 10 x dm 1.0 x CF 0.75 x FCF 1.0 x OF 1 x 44/12 = 27.5 t fossil CO2
    # paper 10 t: 10 x 0.9 x 0.46 x 0.01 x 44/12 = 0.1518 t fossil, x 0.99 = 15.028 t memo
    # CH4 20 t x 0.2 g/t = 4 g; N2O 20 t x 50 g/t = 1 kg (continuous stoker)
    rows = [{"category": "4.C.1", "activity": a, "amount": 10, "unit": "t",
             "technology": "continuous_stoker"} for a in ("plastics", "paper")]
    inv = ghg.compute(activity_frame(rows))
    fossil = 10 * 0.75 * 44 / 12 + 10 * 0.9 * 0.46 * 0.01 * 44 / 12
    co2 = inv.emissions[inv.emissions["gas"] == "CO2"]
    assert co2.loc[~co2["biogenic"], "emissions_kg"].sum() == pytest.approx(fossil * 1000)
    assert inv.biogenic_co2().to("kg * CO2").m == pytest.approx(
        10 * 0.9 * 0.46 * 0.99 * 44 / 12 * 1000)
    got = by_gas(inv)
    assert got["CH4"] == pytest.approx(0.004)
    assert got["N2O"] == pytest.approx(1.0)


def test_open_burning_of_food_with_the_printed_defaults():
    # food 1 t burnt in the open: CH4 6,500 g/t wet (section 5.4.2) = 6.5 kg; OF 0.58
    # (Table 5.2): biogenic CO2 1 x dm 0.4 x CF 0.38 x 0.58 x 44/12 = 0.32325 t;
    # N2O 150 g per t DRY (Table 5.6): 1 t x dm 0.4 = 0.4 t dry -> 60 g
    row = {"category": "4.C.2", "activity": "food", "amount": 1, "unit": "t"}
    inv = ghg.compute(activity_frame([row]))
    assert by_gas(inv)["CH4"] == pytest.approx(6.5)
    assert by_gas(inv)["N2O"] == pytest.approx(0.4 * 0.150)
    assert inv.biogenic_co2().to("kg * CO2").m == pytest.approx(0.4 * 0.38 * 0.58 * 44 / 12
                                                                 * 1000)
    # the row's own N2O factor is per t as burnt (wet): 150 g/t x 1 t = 0.15 kg
    assert by_gas(ghg.compute(activity_frame([{**row, "ef_n2o": 150}])))["N2O"] == \
        pytest.approx(0.15)


def test_household_open_burning_given_as_the_population():
    # Eq. 5.7: 10,000 people x 0.6 x 0.5 kg/person/day x 0.6 x 365 = 657 t; food is half:
    # 328.5 t -> CH4 328.5 x 6.5 kg = 2,135.25 kg; N2O (user's 150 g/t) 49.275 kg
    row = {"category": "4.C.2", "activity": "food", "amount": 10_000, "unit": "person",
           "burning_fraction": 0.6, "waste_per_capita": 0.5, "burnt_fraction": 0.6,
           "waste_share": 0.5, "oxidation_factor": 0.58, "ef_n2o": 150}
    got = by_gas(ghg.compute(activity_frame([row])))
    assert got["CH4"] == pytest.approx(328.5 * 6.5)
    assert got["N2O"] == pytest.approx(328.5 * 0.150)
    # B_frac blank: the Eq. 5.7 default 0.6 (the value given above), same result
    assert by_gas(ghg.compute(activity_frame([{**row, "burnt_fraction": ""}]))) == got
    assert "waste_per_capita" in {p.column for p in refused([{**row,
                                                              "waste_per_capita": ""}])}
    assert "unit" in {p.column for p in refused([{**row, "category": "4.C.1",
                                                  "technology": "batch_stoker"}])}


def test_open_burning_mass_eq_5_7():
    # 10,000 people x 60 % burning x 0.5 kg/person/day x 0.6 burnt x 365 = 657 t/yr
    from ghg_inventory.sectors.incineration import open_burning_mass
    from ghg_inventory.units import Q_
    got = open_burning_mass(Q_(10_000, "person"), 0.6, Q_(0.5, "kg/person/day"), 0.6)
    assert got.m_as("t/year") == pytest.approx(657)


def test_incineration_needs_its_technology():
    row = {"category": "4.C.1", "activity": "plastics", "amount": 1, "unit": "t"}
    assert "technology" in {p.column for p in refused([row])}


# --- wastewater -----------------------------------------------------------------------------

DOMESTIC = {"category": "4.D.1", "activity": "domestic_wastewater", "unit": "person",
            "protein": 25, "i_factor": 1.0}


def test_domestic_wastewater_septic_tanks():
    # TOW = 1,000 x 40 g/person/day x 0.001 x I 1.0 x 365 = 14,600 kg BOD (Eq. 6.3)
    # CH4 = 14,600 x Bo 0.6 x MCF 0.5 = 4,380 kg (Eq. 6.1, 6.2)
    # N = 1,000 x 25 x F_NPR 0.16 x F_NON-CON 1.1 (no garbage disposals) x F_IND-COM 1.25
    #   = 5,500 kg; N2O = 5,500 x 0.005 x 44/28 (Eq. 6.7, 6.8)
    got = by_gas(ghg.compute(activity_frame([{**DOMESTIC, "amount": 1000,
                                              "treatment_pathway": "septic_system"}])))
    assert got == {"CH4": pytest.approx(4380),
                   "N2O": pytest.approx(5500 * 0.005 * N2O_PER_N)}


def test_collected_domestic_wastewater_takes_i_1_25():
    # TOW = 1,000 x 40 x 0.001 x I 1.25 (collected, Eq. 6.3) x 365 = 18,250 kg BOD;
    # centralized aerobic, not well managed: MCF 0.3 -> 18,250 x 0.6 x 0.3 = 3,285 kg CH4
    row = {**DOMESTIC, "amount": 1000, "treatment_pathway":
           "centralized_aerobic_not_well_managed"}
    del row["i_factor"]
    got = by_gas(ghg.compute(activity_frame([row])))
    assert got["CH4"] == pytest.approx(3285)


def test_industrial_wastewater_with_table_6_9_defaults():
    # starch production (Table 6.9): W 9 m3/t, COD 10 kg/m3 -> as below, 4,500 kg CH4
    got = by_gas(ghg.compute(activity_frame([
        {"category": "4.D.2", "activity": "starch_production", "amount": 1000, "unit": "t",
         "treatment_pathway": "anaerobic_lagoon_shallow"}])))
    assert got == {"CH4": pytest.approx(4500)}


def test_industrial_wastewater_with_the_plants_own_data():
    # TOW = 1,000 t x 9 m3/t x 10 kg COD/m3 = 90,000 kg; CH4 = 90,000 x 0.25 x 0.2 = 4,500
    got = by_gas(ghg.compute(activity_frame([
        {"category": "4.D.2", "activity": "industrial_wastewater", "amount": 1000, "unit": "t",
         "treatment_pathway": "anaerobic_lagoon_shallow", "wastewater_generation": 9,
         "cod_concentration": 10}])))
    assert got == {"CH4": pytest.approx(4500)}


@pytest.mark.parametrize("change, column", [
    ({"treatment_pathway": ""}, "treatment_pathway"),
    ({"treatment_pathway": "into_the_void"}, "treatment_pathway"),
    ({"protein": -1}, "protein"),
    ({"protein": "", "year": 2009}, "protein"),  # before every FAO year held
    ({"i_factor": 0.5}, "i_factor"),  # I of Eq. 6.3 is >= 1
    ({"garbage_disposals": "perhaps"}, "garbage_disposals"),
    ({"unit": "t"}, "activity"),
    ({"sludge_removed": 1e9}, "sludge_removed"),
    ({"methane_recovered": 100}, "methane_recovered"),
])
def test_bad_wastewater_input_is_refused(change, column):
    row = {**DOMESTIC, "amount": 100, "treatment_pathway": "septic_system", **change}
    assert column in {p.column for p in refused([row])}


def test_wastewater_is_linear_in_population():
    def total(p: float) -> float:
        inv = ghg.compute(activity_frame([{**DOMESTIC, "amount": p,
                                           "treatment_pathway": "latrine_wet_climate"}]))
        return inv.total().m_as("kg CO2e")
    assert np.isclose(total(3000), 3 * total(1000), rtol=1e-12)


# --- scenarios for the plan's waste targets -------------------------------------------------

def scenario_table() -> pd.DataFrame:
    rows = []
    for scenario, late in (("baseline", (0.5, 0.0, 0.1, 0.2, 0.2)),
                           ("plan", (0.7, 0.2, 0.0, 0.0, 0.1))):
        for year, shares in ((2024, (0.5, 0.0, 0.1, 0.2, 0.2)), (2026, late)):
            rows.append({"scenario": scenario, "commune": "Xã Bình Lư", "year": year,
                         "generated": 1000, **dict(zip(
                             ["landfill", "composting", "open_burning", "dumped", "other"],
                             shares, strict=True))})
    return pd.DataFrame(rows)


SCENARIO_OPTIONS = {"composition": {"food": 0.6, "paper": 0.2, "plastics": 0.2},
                    "climate_zone": "tropical_wet",
                    "open_burning": {"oxidation_factor": 0.58, "ef_n2o": 150},
                    "until": 2026}


def test_waste_scenario_year_by_year_against_the_baseline():
    from ghg_inventory.province.scenarios import waste_scenarios
    got = waste_scenarios(scenario_table(), **SCENARIO_OPTIONS)
    kg = got.set_index(["scenario", "year", "gas"])["emissions_kg"]
    # 2024, both: 100 t burnt in the open: CH4 100 x 6,500 g/t = 650 kg, N2O 100 x 150 g =
    # 15 kg; fossil CO2 plastics 20 x 0.75 x 0.58 x 44/12 + paper 20 x 0.9 x 0.46 x 0.01
    # x 0.58 x 44/12 = 32.076 t; nothing from the 2024 deposits yet
    assert kg[("baseline", 2024, "CH4")] == pytest.approx(650)
    assert kg[("baseline", 2024, "N2O")] == pytest.approx(15)
    assert kg[("baseline", 2024, "CO2")] == pytest.approx(
        (20 * 0.75 * 0.58 + 20 * 0.9 * 0.46 * 0.01 * 0.58) * 44 / 12 * 1000)
    # 2025 FOD of the 2024 deposits (both scenarios): landfill food 300 t, paper 100 t
    # (MCF 1), dumped food 120 t, paper 40 t (MCF 0.4): DDOCm food 22.5 + 3.6, paper 20 + 3.2
    fod = ((22.5 + 3.6) * (1 - math.exp(-0.4)) + (20 + 3.2) * (1 - math.exp(-0.07))) \
        * 0.5 * CH4_PER_C * 1000
    assert kg[("baseline", 2025, "CH4")] == pytest.approx(fod + 650)
    # plan 2025 (halfway): composting 100 t x food 0.6 = 60 t (240 kg CH4, 60 x 0.24 = 14.4 kg
    # N2O),
    # open burning 50 t (325 kg CH4, 7.5 kg N2O)
    assert kg[("plan", 2025, "CH4")] == pytest.approx(fod + 240 + 325)
    assert kg[("plan", 2025, "N2O")] == pytest.approx(14.4 + 7.5)
    change = got.set_index(["scenario", "year", "gas"])["change_co2e_kg"]
    assert change[("plan", 2025, "CH4")] == pytest.approx((240 + 325 - 650) * 28)
    assert (got.loc[got["scenario"] == "baseline", "change_co2e_kg"] == 0).all()
    assert sorted(set(got["year"])) == [2024, 2025, 2026]


def test_scenario_shares_must_account_for_all_the_waste():
    from ghg_inventory.province.scenarios import waste_scenarios
    table = scenario_table()
    table.loc[1, "other"] = 0.5
    with pytest.raises(ghg.ActivityValidationError) as info:
        waste_scenarios(table, **SCENARIO_OPTIONS)
    assert info.value.problems[0].row == 1
    assert "sum to 1" in info.value.problems[0].message


def test_wastewater_scenario_treatment_lowers_methane():
    from ghg_inventory.province.scenarios import waste_scenarios
    rows = [{"scenario": s, "commune": "Phường Tân Phong", "year": y, "population": 1000,
             "septic_system": sep, "centralized_aerobic_well_managed": 1 - sep,
             "protein": 25, "i_factor": 1.0}
            for s, y, sep in (("baseline", 2024, 1.0), ("baseline", 2030, 1.0),
                              ("plan", 2024, 1.0), ("plan", 2030, 0.0))]
    got = waste_scenarios(wastewater=pd.DataFrame(rows), until=2030)
    ch4 = got[got["gas"] == "CH4"].set_index(["scenario", "year"])["emissions_kg"]
    # septic: 14,600 kg BOD x 0.6 x 0.5 = 4,380 kg; 2027 plan halfway: 2,190 kg
    assert ch4[("baseline", 2027)] == pytest.approx(4380)
    assert ch4[("plan", 2027)] == pytest.approx(2190)
    assert ch4[("plan", 2030)] == pytest.approx(0)


def test_waste_scenario_command(tmp_path):
    from typer.testing import CliRunner

    from ghg_inventory.cli import app
    table = tmp_path / "scenarios.csv"
    scenario_table().to_csv(table, index=False)
    out = tmp_path / "paths.csv"
    result = CliRunner().invoke(app, [
        "waste-scenario", str(table), "--composition", "food=0.6,paper=0.2,plastics=0.2",
        "--open-burning", "oxidation_factor=0.58,ef_n2o=150", "--until", "2026",
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "plan - baseline" in result.output
    written = pd.read_csv(out)
    assert set(written["scenario"]) == {"baseline", "plan"}
    bad = CliRunner().invoke(app, ["waste-scenario", str(table), "--until", "2026"])
    assert bad.exit_code == 2 and "composition" in bad.output
