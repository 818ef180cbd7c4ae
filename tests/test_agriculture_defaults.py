"""Agriculture from activity data and site characteristics alone (issue 18), worked by hand.

Each case gives only what an inventory compiler knows without measuring anything: head
counts, areas, masses, and the site characteristics the Guidelines ask for (region, climate
zone, manure management system, water regime, productivity system where the 2019 Refinement
asks for it). Every expected value is arithmetic on the printed defaults, written out here:

IPCC 2006 Vol 4 Ch 10
  Table 10.10 buffalo 55 kg CH4/head/yr; Table 10.14 Asia swine at 24 degC 5 kg CH4/head/yr;
  Table 10.19 'Swine' Asia 0.40 kg N/(1000 kg)/day; Annex 10A.2 Tables 10A-7/10A-8 Asian
  swine 28 kg; Table 10.21 EF3 solid storage 0.005; Table 10.22 swine solid storage 45 %;
  Ch 11 Table 11.3 EF4 0.01.
IPCC 2019 Refinement Vol 4 Ch 10
  Table 10.11 (Updated) Asia buffalo 76 (p. 10.41), dairy cattle 78 (high productivity 96);
  Table 10.10 (Updated) goats 9 high / 5 low; Table 10.13A Asia buffalo VS 13.5 kg/(1000
  kg)/day; Table 10A.5 Asia buffalo 336 kg; Table 10.16 (Updated) buffalo Bo 0.10 m3/kg VS;
  Table 10.17 (Updated) solid storage, tropical moist MCF 0.05; Table 10.19 (Updated) Asia
  buffalo 0.44 kg N/(1000 kg)/day; Table 10.21 (Updated) solid storage 0.01; Table 10.22
  (Updated) buffalo solid storage 0.12; Ch 11 Table 11.3 (Updated) EF4 0.010.
Rice (Ch 5): 2019 Table 5.11 South-East Asia EFc 1.22 kg CH4/ha/day, Table 5.12 (Updated)
  single drainage 0.71, Table 5.13 not flooded < 180 days 1; 2006 Table 5.11 1.30, Table 5.12
  single aeration 0.60, regular rainfed 0.28, Table 5.13 flooded pre-season (>30 d) 1.90.
Soils, urea, liming (Ch 11): 2006 EF1 0.01, FracGASF 0.10, FracLEACH 0.30, EF5 0.0075;
  Eq. 11.12/11.13 limestone 0.12, dolomite 0.13, urea 0.20 t C/t.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ghg_inventory as ghg
from conftest import activity_frame, by_gas

N2O_PER_N = 44 / 28
C_TO_CO2 = 44 / 12
MANURE_2019 = {"category": "3.A.2", "unit": "head", "region": "asia",
               "climate_zone": "tropical_moist", "manure_system": "solid_storage"}


def by_category(rows: list[dict], **kwargs) -> dict[str, dict[str, float]]:
    inv = ghg.compute(activity_frame(rows), **kwargs)
    table = inv.rollup(by="category").set_index("category")
    return {c: {g: table.loc[c, f"{g}_kg"] for g in ("CH4", "N2O") if f"{g}_kg" in table}
            for c in table.index}


def refused_columns(rows: list[dict], **kwargs) -> set[str]:
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame(rows), **kwargs)
    return {p.column for p in info.value.problems}


# --- enteric fermentation ----------------------------------------------------------------

def test_enteric_buffalo_in_asia_from_head_counts_alone():
    # 2006 Table 10.10: 250 head x 55 = 13,750 kg CH4
    row = {"category": "3.A.1", "activity": "buffalo", "amount": 250, "unit": "head"}
    assert by_gas(ghg.compute(activity_frame([row]))) == {"CH4": pytest.approx(250 * 55)}
    # 2019 Table 10.11 (Updated), Asia, p. 10.41: 250 x 76 = 19,000 kg CH4, labelled 2019
    inv = ghg.compute(activity_frame([row]), guidelines="2019")
    assert by_gas(inv) == {"CH4": pytest.approx(250 * 76)}
    assert list(inv.emissions["guidelines"]) == ["2019"]
    assert list(inv.emissions["factor_id"]) == ["ipcc2019.v4.t10_11.ef.buffalo.asia"]


def test_enteric_2019_by_productivity_system():
    goats = {"category": "3.A.1", "activity": "goats", "amount": 100, "unit": "head"}
    # Asia: the low-productivity factor by default (Refinement's Tier 1 note): 100 x 5
    assert by_gas(ghg.compute(activity_frame([goats]), guidelines="2019")) == \
        {"CH4": pytest.approx(100 * 5)}
    # the row's own productivity system: 100 x 9
    assert by_gas(ghg.compute(activity_frame([{**goats, "productivity": "high"}]),
                              guidelines="2019")) == {"CH4": pytest.approx(100 * 9)}
    # dairy cattle, Asia: regional 78, high-productivity split 96 (Tier 1a)
    cows = {"category": "3.A.1", "activity": "dairy_cattle", "amount": 10, "unit": "head"}
    assert by_gas(ghg.compute(activity_frame([cows]), guidelines="2019"))["CH4"] == \
        pytest.approx(10 * 78)
    assert by_gas(ghg.compute(activity_frame([{**cows, "productivity": "high"}]),
                              guidelines="2019"))["CH4"] == pytest.approx(10 * 96)
    assert "productivity" in refused_columns([{**goats, "productivity": "medium"}],
                                             guidelines="2019")


def test_enteric_2019_without_a_2019_value_is_refused_not_served_by_2006():
    # Table 10.11 (Updated) prints no buffalo for North America; the 2006 Table 10.10
    # buffalo factor (55) was revised, so it is not used: refused, saying what to do
    row = {"category": "3.A.1", "activity": "buffalo", "amount": 1, "unit": "head",
           "region": "north_america"}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]), guidelines="2019")
    [problem] = info.value.problems
    assert problem.column == "activity" and "10.11 (Updated)" in problem.message
    assert "guidelines='2006'" in problem.message


def test_enteric_2019_keeps_the_2006_factor_the_refinement_did_not_revise():
    # horses: 2006 Table 10.10, developing countries, 18 kg; not revised, so labelled 2006
    inv = ghg.compute(activity_frame([{"category": "3.A.1", "activity": "horses",
                                       "amount": 3, "unit": "head"}]), guidelines="2019")
    assert by_gas(inv) == {"CH4": pytest.approx(3 * 18)}
    assert list(inv.emissions["guidelines"]) == ["2006"]


# --- manure management -------------------------------------------------------------------

def test_manure_of_asian_swine_from_head_counts_temperature_and_system():
    # CH4: 200 head x 5 kg (Table 10.14, Asia swine, 24 degC) = 1,000 kg
    # Nex = 0.40 x 28 / 1000 x 365 = 4.088 kg N/head/yr (Eq. 10.30); 200 head: 817.6 kg N
    # direct: 817.6 x 0.005 x 44/28 = 6.424 kg N2O (3.A.2)
    # volatilised: 817.6 x 0.45 x 0.01 x 44/28 = 5.7816 kg N2O (3.C.6)
    nex = 0.40 * 28 / 1000 * 365
    assert 200 * nex == pytest.approx(817.6)
    got = by_category([{"category": "3.A.2", "activity": "swine", "amount": 200,
                        "unit": "head", "region": "asia", "temperature": 24,
                        "manure_system": "solid_storage"}])
    assert got["3.A.2"]["CH4"] == pytest.approx(1000)
    assert got["3.A.2"]["N2O"] == pytest.approx(817.6 * 0.005 * N2O_PER_N)
    assert got["3.C.6"]["N2O"] == pytest.approx(817.6 * 0.45 * 0.01 * N2O_PER_N)


def test_manure_of_asian_buffalo_2006_asks_only_for_frac_gas_ms():
    # Nex from Table 10.19 (0.32) and the Asian mass of Table 10A-6 (380 kg) now; the 2006
    # Table 10.22 has no buffalo row, so the volatilised fraction is the one input left
    row = {"category": "3.A.2", "activity": "buffalo", "amount": 10, "unit": "head",
           "region": "asia", "temperature": 24, "manure_system": "dry_lot"}
    assert refused_columns([row]) == {"frac_gas_ms"}
    # with the user's 30 %: Nex = 0.32 x 380 / 1000 x 365 = 44.384 kg N/head/yr
    # CH4 10 x 2 (Table 10.14, Asia buffalo, 24 degC); direct 443.84 x 0.02 x 44/28
    got = by_category([{**row, "frac_gas_ms": 30}])
    n = 10 * 0.32 * 380 / 1000 * 365
    assert n == pytest.approx(443.84)
    assert got["3.A.2"]["CH4"] == pytest.approx(20)
    assert got["3.A.2"]["N2O"] == pytest.approx(n * 0.02 * N2O_PER_N)
    assert got["3.C.6"]["N2O"] == pytest.approx(n * 0.30 * 0.01 * N2O_PER_N)


def test_manure_2006_tier2_takes_annex_bo_and_table_10_17_mcf():
    # the row gives its VS (2.3 kg VS/head/day) only: Bo 0.10 m3/kg VS (Annex 10A.2 Table
    # 10A-5, Asia other cattle), MCF 4.0 % (Table 10.17, solid storage, 24 degC, temperate)
    # EF = 2.3 x 365 x 0.10 x 0.67 x 0.04 = 2.2499 kg CH4/head/yr (Eq. 10.23); 10 head
    row = {"category": "3.A.2", "activity": "other_cattle", "amount": 10, "unit": "head",
           "region": "asia", "temperature": 24, "manure_system": "solid_storage",
           "vs_rate": 2.3}
    got = by_category([row])
    assert got["3.A.2"]["CH4"] == pytest.approx(10 * 2.3 * 365 * 0.10 * 0.67 * 0.04)
    # uncovered anaerobic lagoon at 27 degC: MCF 80 % (Table 10.17, p. 10.45)
    # (Table 10.22 prints no other-cattle lagoon row: the volatilised fraction is given)
    got = by_category([{**row, "manure_system": "uncovered_anaerobic_lagoon",
                        "temperature": 27, "frac_gas_ms": 35}])
    assert got["3.A.2"]["CH4"] == pytest.approx(10 * 2.3 * 365 * 0.10 * 0.67 * 0.80)
    # goats (Table 10A-9, developing countries: Bo 0.13), liquid slurry without crust at
    # 12 degC: MCF 20 %; 5 head x 0.35 x 365 x 0.13 x 0.67 x 0.20
    got = by_category([{**row, "activity": "goats", "amount": 5, "vs_rate": 0.35,
                        "manure_system": "liquid_slurry_without_crust", "temperature": 12,
                        "frac_gas_ms": 40}])
    assert got["3.A.2"]["CH4"] == pytest.approx(5 * 0.35 * 365 * 0.13 * 0.67 * 0.20)


def test_manure_n2o_of_asian_goats_from_the_annex_10a9_mass():
    # Nex = 1.37 (Table 10.19, Asia goats) x 30 kg (Annex 10A.2 Table 10A-9, developing
    # countries) / 1000 x 365 = 15.0015 kg N/head/yr; 100 head in solid storage:
    # direct 1,500.15 x 0.005 (Table 10.21) x 44/28 = 11.787 kg N2O. The 2006 Table 10.22
    # has no goat row: the volatilised fraction is the user's (here 25 %).
    row = {"category": "3.A.2", "activity": "goats", "amount": 100, "unit": "head",
           "region": "asia", "temperature": 24, "manure_system": "solid_storage"}
    assert refused_columns([row]) == {"frac_gas_ms"}
    got = by_category([{**row, "frac_gas_ms": 25}])
    n = 100 * 1.37 * 30 / 1000 * 365
    assert n == pytest.approx(1500.15)
    assert got["3.A.2"]["N2O"] == pytest.approx(n * 0.005 * N2O_PER_N)
    assert got["3.C.6"]["N2O"] == pytest.approx(n * 0.25 * 0.01 * N2O_PER_N)


def test_manure_of_asian_buffalo_2019_from_head_counts_climate_zone_and_system():
    # VS = 13.5 x 336 / 1000 = 4.536 kg VS/head/day (Eq. 10.22a)
    # EF = 4.536 x 365 x 0.10 x 0.67 x 0.05 = 5.54639 kg CH4/head/yr (Eq. 10.23); x 100
    # Nex = 0.44 x 336 / 1000 x 365 = 53.9616 kg N/head/yr; 100 head: 5,396.16 kg N
    # direct 5,396.16 x 0.01 x 44/28 = 84.797; volatilised x 0.12 x 0.010 x 44/28 = 10.176
    vs = 13.5 * 336 / 1000
    ef = vs * 365 * 0.10 * 0.67 * 0.05
    assert ef == pytest.approx(5.54639, rel=1e-5)
    n = 100 * 0.44 * 336 / 1000 * 365
    inv = ghg.compute(activity_frame([{**MANURE_2019, "activity": "buffalo", "amount": 100}]),
                      guidelines="2019")
    table = inv.rollup(by="category").set_index("category")
    assert table.loc["3.A.2", "CH4_kg"] == pytest.approx(100 * ef)
    assert table.loc["3.A.2", "N2O_kg"] == pytest.approx(n * 0.01 * N2O_PER_N)
    assert table.loc["3.C.6", "N2O_kg"] == pytest.approx(n * 0.12 * 0.010 * N2O_PER_N)
    assert set(inv.emissions["guidelines"]) == {"2019"}
    assert "ipcc2019.v4.t10_17.mcf.solid_storage.tropical_moist" in \
        set(inv.emissions["factor_id"])
    # each gas names the records of its own equation beside its factor: CH4 the VS rate,
    # mass and Bo (Eq. 10.22a, 10.23); direct N2O the N rate; 3.C.6 also Frac_GasMS
    e = inv.emissions
    aux = {(str(c), str(g)): set(str(a).split(";")) for c, g, a in zip(
        e["category"], e["gas"], e["auxiliary_factor_ids"], strict=True)}
    assert aux[("3.A.2", "CH4")] == {"ipcc2019.v4.t10_13a.vs_rate.buffalo.asia",
                                     "ipcc2019.v4.t10a_5.typical_animal_mass.buffalo.asia",
                                     "ipcc2019.v4.t10_16.bo.buffalo.asia_low"}
    assert aux[("3.A.2", "N2O")] == {"ipcc2019.v4.t10_19.n_rate.buffalo.asia"}
    assert aux[("3.C.6", "N2O")] == {"ipcc2019.v4.t10_19.n_rate.buffalo.asia",
                                     "ipcc2019.v4.t10_22.frac_gas_ms.buffalo.solid_storage"}


def test_manure_2019_needs_the_climate_zone_and_never_takes_the_2006_per_head_factor():
    row = {**MANURE_2019, "activity": "swine", "amount": 10, "climate_zone": "",
           "temperature": 24}
    # the 2006 Table 10.14 factor (by temperature) is not used in a 2019 run
    assert "climate_zone" in refused_columns([row], guidelines="2019")
    assert "climate_zone" in refused_columns([{**row, "climate_zone": "lunar"}],
                                             guidelines="2019")


def test_manure_2019_refuses_where_the_2019_tables_lack_a_value():
    # the copy of the 2019 Table 10.21 (Updated) holds no daily-spread EF3: the 2006
    # record (0) is revised, not in force, and never used in its place
    row = {**MANURE_2019, "activity": "dairy_cattle", "amount": 10,
           "manure_system": "daily_spread"}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]), guidelines="2019")
    [problem] = info.value.problems
    assert problem.column == "ef3" and "Table 10.21 (Updated)" in problem.message
    # the row's own EF3 serves: CH4 and N2O then compute, the direct N2O is the row's
    inv = ghg.compute(activity_frame([{**row, "ef3": 0.0}]), guidelines="2019")
    assert (inv.emissions["emissions_kg"] >= 0).all()


def test_manure_2019_productivity_system_picks_bo():
    # swine, Asia, solid storage, tropical moist: VS 5.8 x 58 / 1000 = 0.3364 kg/day
    # Bo 0.29 (low, Asia default) or 0.45 (high); MCF 0.05
    vs = 5.8 * 58 / 1000
    row = {**MANURE_2019, "activity": "swine", "amount": 1}
    low = by_category([row], guidelines="2019")["3.A.2"]["CH4"]
    high = by_category([{**row, "productivity": "high"}], guidelines="2019")["3.A.2"]["CH4"]
    assert low == pytest.approx(vs * 365 * 0.29 * 0.67 * 0.05)
    assert high == pytest.approx(vs * 365 * 0.45 * 0.67 * 0.05)


@settings(max_examples=40, deadline=None)
@given(heads=st.integers(1, 100_000),
       zone=st.sampled_from(["tropical_wet", "tropical_moist", "tropical_montane",
                             "warm_temperate_moist", "cool_temperate_dry"]),
       system=st.sampled_from(["solid_storage", "dry_lot",
                               "uncovered_anaerobic_lagoon", "pit_storage_below_1_month"]),
       productivity=st.sampled_from(["", "high", "low"]))
def test_manure_2019_is_proportional_to_heads_and_never_negative(heads, zone, system,
                                                                 productivity):
    row = {**MANURE_2019, "activity": "other_cattle", "climate_zone": zone,
           "manure_system": system, "productivity": productivity}
    one = by_gas(ghg.compute(activity_frame([{**row, "amount": 1}]), guidelines="2019"))
    many = by_gas(ghg.compute(activity_frame([{**row, "amount": heads}]),
                              guidelines="2019"))
    assert one.keys() == many.keys()
    for gas, value in one.items():
        assert value >= 0
        assert many[gas] == pytest.approx(heads * value, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(species=st.sampled_from(["dairy_cattle", "other_cattle", "buffalo", "sheep",
                                "goats", "swine"]),
       productivity=st.sampled_from(["", "high", "low"]),
       region=st.sampled_from(["asia", "latin_america", "africa", "indian_subcontinent"]))
def test_enteric_2019_rows_are_labelled_2019(species, productivity, region):
    inv = ghg.compute(activity_frame([{"category": "3.A.1", "activity": species,
                                       "amount": 1, "unit": "head", "region": region,
                                       "productivity": productivity}]), guidelines="2019")
    assert list(inv.emissions["guidelines"]) == ["2019"]
    assert inv.emissions["factor_id"].str.startswith("ipcc2019.").all()


# --- rice --------------------------------------------------------------------------------

def test_rice_with_single_aeration():
    row = {"category": "3.C.7", "activity": "rice", "amount": 10, "unit": "ha",
           "cultivation_days": 120, "water_regime": "single_aeration",
           "preseason_water_regime": "not_flooded_less_than_180_days"}
    # 2019: 10 ha x 120 d x 1.22 x 0.71 x 1 = 1,039.44 kg CH4 (single aeration = the
    # Refinement's single drainage period)
    assert by_gas(ghg.compute(activity_frame([row]), guidelines="2019")) == \
        {"CH4": pytest.approx(10 * 120 * 1.22 * 0.71)}
    # 2006: Table 5.12 single aeration 0.60 (never the 2019 value):
    # 10 ha x 120 d x 1.30 x 0.60 x 1 = 936 kg CH4
    assert by_gas(ghg.compute(activity_frame([row]))) == \
        {"CH4": pytest.approx(10 * 120 * 1.30 * 0.60)}
    # 2006 Table 5.12 regular rainfed 0.28, Table 5.13 flooded pre-season (>30 d) 1.90:
    # 10 x 120 x 1.30 x 0.28 x 1.90 = 829.92 kg CH4
    assert by_gas(ghg.compute(activity_frame([{
        **row, "water_regime": "regular_rainfed",
        "preseason_water_regime": "flooded_more_than_30_days"}]))) == \
        {"CH4": pytest.approx(10 * 120 * 1.30 * 0.28 * 1.90)}
    # continuously flooded, 2006: 10 x 120 x 1.30
    assert by_gas(ghg.compute(activity_frame([{**row, "water_regime":
                                               "continuously_flooded"}]))) == \
        {"CH4": pytest.approx(10 * 120 * 1.30)}


# --- burning of crop residues ------------------------------------------------------------

def test_rice_straw_burnt_from_the_area_alone():
    # IPCC 2006 Vol 4 Ch 2: Table 2.4 rice residues 5.5 t DM/ha consumed (M_B x Cf, no
    # further Cf); Table 2.5 agricultural residues CH4 2.7, N2O 0.07, CO2 1515 g/kg DM.
    # 20 ha x 5.5 = 110 t DM = 110,000 kg: CH4 297 kg, N2O 7.7 kg, CO2 166,650 kg (memo)
    row = {"category": "3.C.1.b", "activity": "rice_straw", "amount": 20, "unit": "ha"}
    inv = ghg.compute(activity_frame([row]), gwp="AR5")
    assert by_gas(inv) == {"CH4": pytest.approx(20 * 5.5 * 2.7),
                           "N2O": pytest.approx(20 * 5.5 * 0.07),
                           "CO2": pytest.approx(20 * 5.5 * 1515)}
    # CO2 is a biogenic memo: the total is CH4 and N2O (AR5: 28 and 265)
    assert inv.total().m_as("kg CO2e") == pytest.approx(20 * 5.5 * (2.7 * 28 + 0.07 * 265))
    # maize residues, Table 2.4: 10.0 t DM/ha; 3 ha x 10.0 = 30 t -> CH4 81 kg
    got = by_gas(ghg.compute(activity_frame([{**row, "activity": "maize_residue",
                                               "amount": 3}])))
    assert got["CH4"] == pytest.approx(3 * 10.0 * 2.7)


# --- managed soils, urea, liming ---------------------------------------------------------

def test_synthetic_nitrogen_from_the_mass_applied_alone():
    # 2,000 kg N: direct 2,000 x 0.01 x 44/28 = 31.429 kg N2O (3.C.4)
    # indirect 2,000 x (0.10 x 0.01 + 0.30 x 0.0075) x 44/28 = 10.214 kg N2O (3.C.5)
    got = by_category([{"category": "3.C.4", "activity": "synthetic_fertilizer",
                        "amount": 2000, "unit": "kg"}])
    assert got["3.C.4"]["N2O"] == pytest.approx(2000 * 0.01 * N2O_PER_N)
    assert got["3.C.5"]["N2O"] == pytest.approx(2000 * (0.10 * 0.01 + 0.30 * 0.0075)
                                                * N2O_PER_N)


def test_urea_from_the_mass_applied_alone():
    # 50 t urea x 0.20 t C/t x 44/12 = 36.667 t CO2
    inv = ghg.compute(activity_frame([{"category": "3.C.3", "activity": "urea",
                                       "amount": 50, "unit": "t"}]))
    assert by_gas(inv) == {"CO2": pytest.approx(50_000 * 0.20 * C_TO_CO2)}


def test_lime_from_the_mass_applied_alone():
    # 100 t limestone x 0.12 + 40 t dolomite x 0.13, t C -> x 44/12
    inv = ghg.compute(activity_frame([
        {"category": "3.C.2", "activity": "limestone", "amount": 100, "unit": "t"},
        {"category": "3.C.2", "activity": "dolomite", "amount": 40, "unit": "t"}]))
    assert by_gas(inv) == {"CO2": pytest.approx((100_000 * 0.12 + 40_000 * 0.13)
                                                * C_TO_CO2)}
