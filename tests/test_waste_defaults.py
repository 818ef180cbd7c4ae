"""Waste (IPCC 2006 Vol 5) from activity data and site characteristics alone (issue 18).

Each test gives only what the Guidelines ask a compiler for (tonnes or people, the site type,
the climate zone, the region of Table 2.3, the treatment pathway, the year) and checks the
result against arithmetic written here from the printed defaults:

- Vol 5 Ch 2 Table 2.3, South-Eastern Asia (percent of wet weight): food 43.5, paper 12.9,
  wood 9.9, textiles 2.7, rubber and leather 0.9, plastics 7.2, metal 3.3, glass 4.0, other
  16.3;
- Table 2.4 (percent): DOC food 15, paper 40, wood 43, textiles 24, rubber/leather 39;
  dry matter food 40, paper 90, wood 85, textiles 80, rubber/leather 84, plastics, metal,
  glass 100, other 90; total carbon (% of dry) food 38, paper 46, wood 50, textiles 50,
  rubber/leather 67, plastics 75, other 3; fossil carbon (% of carbon) paper 1, textiles
  20, rubber/leather 20, plastics 100, other 100, food and wood 0;
- Ch 3: DOCf 0.5, F 0.5, Table 3.1 MCF managed anaerobic 1.0, Table 3.3 k bulk waste
  tropical wet 0.17;
- Ch 4 Table 4.1: composting 4 g CH4 and 0.24 g N2O per kg wet waste (the chapter as the
  IPCC re-issued it in 2015; the 2019 Refinement has no Vol 5 Ch 4);
- Ch 5: Table 5.2 OF open burning 58 %; section 5.4.2 CH4 6,500 g/t wet; Table 5.6 N2O
  150 g/t dry; Eq. 5.7 B_frac 0.6;
- Ch 6: Bo 0.6 kg CH4/kg BOD, 0.25 kg CH4/kg COD; MCF septic 0.5 (Table 6.3), deep
  anaerobic lagoon 0.8 (Table 6.8); BOD 40 g/person/day (Table 6.4, Asia); I 1.00
  uncollected; F_NPR 0.16, F_NON-CON 1.1, F_IND-COM 1.25, EF_EFFLUENT 0.005 kg N2O-N/kg N;
  Table 6.9 starch production W 9 m3/t, COD 10 kg/m3;
- FAO food balance sheets: protein supply of Viet Nam, 2021: 96.90 g/person/day.
"""

from __future__ import annotations

import math

import pytest

import ghg_inventory as ghg
from conftest import activity_frame, by_gas

C_TO_CO2 = 44 / 12
C_TO_CH4 = 16 / 12
N_TO_N2O = 44 / 28

#: Table 2.3, South-Eastern Asia, as fractions: (share, DOC, dm, CF, FCF) per waste type;
#: None where Table 2.4 prints no value (a dash).
SE_ASIA = {
    "food": (0.435, 0.15, 0.40, 0.38, 0.0),
    "paper": (0.129, 0.40, 0.90, 0.46, 0.01),
    "wood": (0.099, 0.43, 0.85, 0.50, 0.0),
    "textiles": (0.027, 0.24, 0.80, 0.50, 0.20),
    "rubber_leather": (0.009, 0.39, 0.84, 0.67, 0.20),
    "plastics": (0.072, None, 1.00, 0.75, 1.0),
    "metal": (0.033, None, 1.00, None, None),
    "glass": (0.040, None, 1.00, None, None),
    "other": (0.163, None, 0.90, 0.03, 1.0),
}


def test_bulk_msw_in_a_south_east_asian_landfill_from_defaults_only():
    # Eq. 2.4: DOC = .435 x .15 + .129 x .40 + .099 x .43 + .027 x .24 + .009 x .39
    #             = .06525 + .0516 + .04257 + .00648 + .00351 = 0.16941
    doc = 0.435 * 0.15 + 0.129 * 0.40 + 0.099 * 0.43 + 0.027 * 0.24 + 0.009 * 0.39
    assert doc == pytest.approx(0.16941)
    # 1,000 t in 2020: DDOCm = 1,000 x 0.16941 x DOCf 0.5 x MCF 1.0 = 84.705 t;
    # 2021: 84.705 x (1 - e^-0.17 = 0.156338) x F 0.5 x 16/12 = 8.8282 t CH4
    row = {"facility_id": "LF-1", "category": "4.A", "activity": "msw_bulk", "amount": 1000,
           "unit": "t", "year": 2020, "until": 2021, "site_type": "managed_anaerobic",
           "climate_zone": "tropical_wet", "composition_region": "south_eastern_asia"}
    inv = ghg.compute(activity_frame([row]))
    expected = 1000 * doc * 0.5 * 1.0 * (1 - math.exp(-0.17)) * 0.5 * C_TO_CH4 * 1000
    assert expected == pytest.approx(8_828.2, abs=0.1)
    assert by_gas(inv) == {"CH4": pytest.approx(expected, rel=1e-9)}


def test_composting_from_defaults_only():
    # 250 t wet: CH4 250,000 kg x 4 g/kg = 1,000 kg; N2O x 0.24 g/kg = 60 kg (Table 4.1)
    inv = ghg.compute(activity_frame([{"category": "4.B", "activity": "composting",
                                       "amount": 250, "unit": "t"}]))
    assert by_gas(inv) == {"CH4": pytest.approx(1000), "N2O": pytest.approx(60)}


def test_open_burning_of_bulk_msw_from_defaults_only():
    # 100 t of South-East Asian MSW burnt in the open (Eq. 5.2, Table 2.3 x Table 2.4):
    # dry matter  = sum W dm    = .174 + .1161 + .08415 + .0216 + .00756 + .072 + .033 + .04
    #                             + .1467 = 0.69511
    # carbon      = sum W dm CF = .06612 + .053406 + .042075 + .0108 + .0050652 + .054
    #                             + .004401 = 0.2358672
    # fossil C    = .00053406 + .00216 + .00101304 + .054 + .004401 = 0.06210810
    dm = sum(w * d for w, _, d, _, _ in SE_ASIA.values())
    carbon = sum(w * d * (cf or 0) for w, _, d, cf, _ in SE_ASIA.values())
    fossil = sum(w * d * (cf or 0) * (f or 0) for w, _, d, cf, f in SE_ASIA.values())
    assert (dm, carbon, fossil) == (pytest.approx(0.69511), pytest.approx(0.2358672),
                                    pytest.approx(0.0621081))
    row = {"category": "4.C.2", "activity": "msw_bulk", "amount": 100, "unit": "t",
           "composition_region": "south_eastern_asia"}
    inv = ghg.compute(activity_frame([row]))
    got = by_gas(inv)
    # CO2 (fossil) = 100 t x 0.0621081 x OF 0.58 x 44/12 = 13.2083 t; CH4 100 x 6.5 kg;
    # N2O = 100 t x 0.69511 dry x 150 g/t = 10.4267 kg
    co2 = inv.emissions[(inv.emissions["gas"] == "CO2") & ~inv.emissions["biogenic"]]
    assert co2["emissions_kg"].sum() == pytest.approx(100 * fossil * 0.58 * C_TO_CO2 * 1000)
    assert co2["emissions_kg"].sum() == pytest.approx(13_208.3, abs=0.1)
    assert inv.biogenic_co2().to("kg * CO2").m == pytest.approx(
        100 * (carbon - fossil) * 0.58 * C_TO_CO2 * 1000)
    assert got["CH4"] == pytest.approx(650)
    assert got["N2O"] == pytest.approx(100 * dm * 0.150)


def test_open_burning_by_population_takes_the_table_2_1_generation_rate():
    # Eq. 5.7 with MSW_P x 365 = Table 2.1 South-East Asia 0.27 t/cap/yr (IPCC 2006 Vol 5
    # Ch 2, PDF p. 2.5) and B_frac 0.6: 2,000 people, half burning their waste:
    # MSW_B = 2,000 x 0.5 x 0.27 x 0.6 = 162 t; CH4 = 162 x 6.5 kg = 1,053 kg;
    # N2O = 162 t x 0.69511 dry (Table 2.3 x 2.4) x 150 g/t = 16.8912 kg
    row = {"category": "4.C.2", "activity": "msw_bulk", "amount": 2000, "unit": "person",
           "burning_fraction": 0.5, "composition_region": "south_eastern_asia"}
    got = by_gas(ghg.compute(activity_frame([row])))
    burnt = 2000 * 0.5 * 0.27 * 0.6
    assert burnt == pytest.approx(162)
    assert got["CH4"] == pytest.approx(162 * 6.5)
    assert got["N2O"] == pytest.approx(162 * 0.69511 * 0.150)
    # a single waste type: the region of Table 2.1 named as generation_region
    food = {"category": "4.C.2", "activity": "food", "amount": 2000, "unit": "person",
            "burning_fraction": 0.5, "generation_region": "south_eastern_asia",
            "waste_share": 0.435}
    # 162 t x 0.435 food = 70.47 t; CH4 = 70.47 x 6.5 kg
    assert by_gas(ghg.compute(activity_frame([food])))["CH4"] == pytest.approx(70.47 * 6.5)


def test_household_open_burning_with_the_default_b_frac():
    # Eq. 5.7: 2,000 people x P_frac 0.5 x 0.4 kg/person/day x B_frac 0.6 x 365
    #   = 87.6 t of food waste; CH4 87.6 x 6.5 = 569.4 kg; N2O 87.6 x 0.4 dry x 0.15
    #   = 5.256 kg (P_frac and MSW_P have no printed default: the compiler's)
    row = {"category": "4.C.2", "activity": "food", "amount": 2000, "unit": "person",
           "burning_fraction": 0.5, "waste_per_capita": 0.4}
    got = by_gas(ghg.compute(activity_frame([row])))
    assert got["CH4"] == pytest.approx(2000 * 0.5 * 0.4 * 0.6 * 365 / 1000 * 6.5)
    assert got["N2O"] == pytest.approx(87.6 * 0.4 * 0.150)


def test_domestic_wastewater_from_defaults_only():
    # 1,000 people on septic tanks in 2024:
    # CH4 = 1,000 x 40 g x 365 / 1000 x I 1.00 = 14,600 kg BOD x 0.6 x 0.5 = 4,380 kg
    # protein: FAO 2021 (latest year held up to 2024) 96.90 g/day x 365 / 1000
    #   = 35.3685 kg/yr; N = 1,000 x 35.3685 x 0.16 x 1.1 x 1.25 = 7,781.07 kg;
    # N2O = 7,781.07 x 0.005 x 44/28 = 61.1370 kg
    row = {"category": "4.D.1", "activity": "domestic_wastewater", "amount": 1000,
           "unit": "person", "treatment_pathway": "septic_system"}
    inv = ghg.compute(activity_frame([row]))
    n = 1000 * 96.90 * 365 / 1000 * 0.16 * 1.1 * 1.25
    assert n == pytest.approx(7_781.07)
    assert by_gas(inv) == {"CH4": pytest.approx(4380),
                           "N2O": pytest.approx(n * 0.005 * N_TO_N2O)}
    # each gas names the records its own equation took: the CH4 (Eq. 6.1, 6.3) Bo, BOD and
    # I, no protein; the N2O (Eq. 6.8) the protein of the year borrowed, F_NPR, F_NON-CON,
    # F_IND-COM
    aux = inv.emissions.set_index("gas")["auxiliary_factor_ids"].astype(str)
    assert {g: set(a.split(";")) for g, a in aux.items()} == {
        "CH4": {"ipcc2006.v5.t6_2.bo.domestic.bod",
                "ipcc2006.v5.t6_4.bod_per_capita.asia_middle_east_latin_america",
                "ipcc2006.v5.eq6_3.i_factor.domestic.uncollected"},
        "N2O": {"fao.fbs.protein.vn.2021", "ipcc2006.v5.eq6_8.frac_npr",
                "ipcc2006.v5.eq6_8.f_non_con.no_garbage_disposals",
                "ipcc2006.v5.eq6_8.f_ind_com"}}


@pytest.mark.parametrize("pathway", ["latrine_wet_climate", "stagnant_sewer",
                                     "centralized_aerobic_not_well_managed"])
def test_every_domestic_pathway_takes_the_protein_of_its_year(pathway):
    # 2016 row: FAO 2016 = 88.33 g/day -> N = 100 x 88.33 x 0.365 x 0.16 x 1.1 x 1.25
    row = {"category": "4.D.1", "activity": "domestic_wastewater", "amount": 100,
           "unit": "person", "treatment_pathway": pathway, "year": 2016}
    inv = ghg.compute(activity_frame([row]))
    n = 100 * 88.33 * 0.365 * 0.16 * 1.1 * 1.25
    assert by_gas(inv)["N2O"] == pytest.approx(n * 0.005 * N_TO_N2O)
    aux = inv.emissions.set_index("gas")["auxiliary_factor_ids"].astype(str)
    assert "fao.fbs.protein.vn.2016" in aux["N2O"].split(";")
    # the CH4 (Eq. 6.1, 6.3) takes no protein: its chain is Bo, BOD and I
    assert "protein" not in aux["CH4"]
    assert "ipcc2006.v5.t6_4.bod_per_capita.asia_middle_east_latin_america" in aux["CH4"]


def test_a_year_before_every_protein_record_is_refused_naming_the_years_held():
    row = {"category": "4.D.1", "activity": "domestic_wastewater", "amount": 100,
           "unit": "person", "treatment_pathway": "septic_system", "year": 2005}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]))
    (problem,) = info.value.problems
    assert problem.column == "protein"
    assert "2010-2021" in problem.message


@pytest.mark.parametrize("pathway, mcf", [
    # IPCC 2006 Vol 5 Table 6.3 rows read in the PDF (p. 6.13)
    ("latrine_dry_climate_communal", 0.5), ("latrine_sediment_removal", 0.1)])
def test_the_table_6_3_latrine_rows_read_in_the_pdf(pathway, mcf):
    # 100 people, uncollected (I 1.00): TOW = 100 x 40 x 0.365 = 1,460 kg BOD x 0.6 x MCF
    row = {"category": "4.D.1", "activity": "domestic_wastewater", "amount": 100,
           "unit": "person", "treatment_pathway": pathway, "protein": 30}
    assert by_gas(ghg.compute(activity_frame([row])))["CH4"] == pytest.approx(1460 * 0.6 * mcf)


def test_industrial_wastewater_in_a_deep_lagoon_from_defaults_only():
    # starch 1,000 t: TOW = 1,000 x 9 m3/t x 10 kg COD/m3 = 90,000 kg COD (Eq. 6.6);
    # CH4 = 90,000 x 0.25 x MCF 0.8 (Table 6.8, deep lagoon) = 18,000 kg
    row = {"category": "4.D.2", "activity": "starch_production", "amount": 1000, "unit": "t",
           "treatment_pathway": "anaerobic_lagoon_deep"}
    assert by_gas(ghg.compute(activity_frame([row]))) == {"CH4": pytest.approx(18_000)}


# --- the 2019 Refinement ---------------------------------------------------------------------

def test_composting_under_2019_keeps_the_2006_table_4_1():
    # The 2019 Refinement has no Vol 5 Ch 4 (its Vol 5 contents: Ch 2, 3, 5, 6), so the 2006
    # Table 4.1 stays in force: 250 t wet: CH4 250,000 kg x 4 g/kg = 1,000 kg; N2O 250,000 kg
    # x 0.24 g/kg = 60 kg; the rows say guidelines=2006
    inv = ghg.compute(activity_frame([{"category": "4.B", "activity": "composting",
                                       "amount": 250, "unit": "t"}]), guidelines="2019")
    assert by_gas(inv) == {"CH4": pytest.approx(1000), "N2O": pytest.approx(60)}
    n2o = inv.emissions[inv.emissions["gas"] == "N2O"]
    assert set(n2o["guidelines"].astype(str)) == {"2006"}
    assert set(n2o["factor_id"]) == {"ipcc2006.v5.t4_1.ef.composting.n2o.wet"}


def test_a_poorly_managed_semi_aerobic_landfill_exists_only_under_2019():
    # 2019 Table 3.1 (Updated) MCF 0.7: food 1,000 t, tropical wet (k 0.40):
    # 2021: 1,000 x 0.15 x 0.5 x 0.7 = 52.5 t DDOCm x (1 - e^-0.4) x 0.5 x 16/12
    row = {"facility_id": "LF-9", "category": "4.A", "activity": "food", "amount": 1000,
           "unit": "t", "year": 2020, "until": 2021, "site_type": "managed_poorly_semi_aerobic",
           "climate_zone": "tropical_wet"}
    got = by_gas(ghg.compute(activity_frame([row]), guidelines="2019"))
    assert got == {"CH4": pytest.approx(52.5 * (1 - math.exp(-0.4)) * 0.5 * C_TO_CH4 * 1000)}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]))
    assert "mcf" in {p.column for p in info.value.problems}


def _domestic(pathway, people, **extra):
    return {"category": "4.D.1", "activity": "domestic_wastewater", "amount": people,
            "unit": "person", "treatment_pathway": pathway, "year": 2024, **extra}


def test_domestic_wastewater_under_2019_treatment_and_discharge_from_defaults_only():
    # IPCC 2019 Refinement Vol 5 Ch 6, printed defaults (PDF): Bo 0.6 kg CH4/kg BOD (Table
    # 6.2); Table 6.3 (Updated) MCF centralised aerobic 0.03, discharge to aquatic
    # environments (Tier 1) 0.11, septic tank 0.5, wet latrine 0.7; BOD 40 g/person/day
    # (Table 6.4); I 1.25 collected / 1.00 uncollected (Eq. 6.3A); Table 6.6B TOW_REM
    # secondary 0.85; Eq. 6.3C S = TOW x F 0.5 x 0.5; Table 6.10A South and Southeast Asia
    # FPC 0.96; F_NON-CON 1 (no food waste to sewer); N_HH 1.1; F_NPR 0.16; F_IND-COM 1.25
    # (centralised); Table 6.8A EF_PLANTS centralised 0.016, septic tank 0, latrine 0,
    # EF_EFFLUENT 0.005; Table 6.10C N_REM secondary 0.40. FAO protein supply 2021 96.90 g/day.
    rows = [_domestic("centralized_aerobic", 1000),
            _domestic("discharge_aquatic", 1000, upstream_treatment="secondary",
                      collected="yes"),
            _domestic("septic_system", 2000),
            _domestic("latrine_wet_climate", 500)]
    inv = ghg.compute(activity_frame(rows), guidelines="2019")
    # plant: TOW = 1,000 x 40 x 0.001 x 1.25 x 365 = 18,250 kg BOD; CH4 = 18,250 x 0.6 x 0.03
    tow = 1000 * 40 * 0.001 * 1.25 * 365
    assert tow == pytest.approx(18_250)
    # its effluent discharged: 18,250 x (1 - 0.85) = 2,737.5 kg BOD x 0.6 x 0.11 = 180.675
    # septic: TOW = 2,000 x 40 x 0.365 = 29,200; S = 29,200 x 0.5 x 0.5 = 7,300;
    #   CH4 = (29,200 - 7,300) x 0.6 x 0.5 = 6,570; latrine: 500 x 14.6 x 0.6 x 0.7 = 3,066
    ch4 = [328.5, 180.675, 6570.0, 3066.0]
    assert [tow * 0.6 * 0.03, tow * 0.15 * 0.6 * 0.11, (29_200 - 7_300) * 0.6 * 0.5,
            500 * 14.6 * 0.6 * 0.7] == pytest.approx(ch4)
    # TN of 1,000 sewered people: protein 96.90 x 365 / 1000 x 0.96 = 33.95376 kg/yr;
    #   TN = 1,000 x 33.95376 x 0.16 x 1.1 x 1 x 1.25 = 7,469.8272 kg N
    tn = 1000 * 96.90 * 365 / 1000 * 0.96 * 0.16 * 1.1 * 1.0 * 1.25
    assert tn == pytest.approx(7_469.8272)
    # plants: 7,469.8272 x 0.016 x 44/28 = 187.8128; effluent: x (1 - 0.40) x 0.005 x 44/28
    n2o_plant, n2o_effluent = tn * 0.016 * N_TO_N2O, tn * 0.6 * 0.005 * N_TO_N2O
    assert n2o_plant == pytest.approx(187.8128, abs=1e-4)
    e = inv.emissions
    assert sorted(e[e["gas"] == "CH4"]["emissions_kg"]) == pytest.approx(sorted(ch4))
    n2o = e[e["gas"] == "N2O"]
    assert sorted(n2o["emissions_kg"]) == pytest.approx(sorted([n2o_plant, n2o_effluent, 0, 0]))
    assert set(e["guidelines"].astype(str)) == {"2019"}
    assert set(n2o["factor_id"].astype(str)) == {
        "ipcc2019.v5.t6_8a.ef_effluent.tier1", "ipcc2019.v5.t6_8a.ef_plants.centralized_aerobic",
        "ipcc2019.v5.t6_8a.ef_plants.septic_system",
        "ipcc2019.v5.t6_8a.ef_plants.latrine_wet_climate"}
    aux = ";".join(e["auxiliary_factor_ids"].astype(str))
    for record in ("fao.fbs.protein.vn.2021", "ipcc2019.v5.t6_6b.tow_rem.secondary",
                   "ipcc2019.v5.t6_10c.n_rem.secondary", "ipcc2019.v5.eq6_3c.septic_compliance",
                   "ipcc2019.v5.t6_10a.fpc.south_southeast_asia"):
        assert record in aux


def test_domestic_wastewater_under_2019_food_waste_to_sewer_takes_table_6_10a():
    # 100 people, centralised plant, garbage disposals: F_NON-CON 1.02 (South and Southeast
    # Asia); own protein consumption 30 kg/yr (no FPC): TN = 100 x 30 x 0.16 x 1.1 x 1.02 x
    # 1.25 = 673.2 kg N; N2O = 673.2 x 0.016 x 44/28
    row = _domestic("centralized_aerobic", 100, garbage_disposals="yes", protein=30)
    got = by_gas(ghg.compute(activity_frame([row]), guidelines="2019"))
    assert 100 * 30 * 0.16 * 1.1 * 1.02 * 1.25 == pytest.approx(673.2)
    assert got["N2O"] == pytest.approx(673.2 * 0.016 * N_TO_N2O)


@pytest.mark.parametrize("row, column", [
    # a 2006 pathway the Refinement revised (Table 6.3: aerobic plants no longer split)
    (_domestic("centralized_aerobic_well_managed", 10), "treatment_pathway"),
    (_domestic("sea_river_lake_discharge", 10, collected="no"), "treatment_pathway"),
    # a discharge row must say what treatment its wastewater had (Eq. 6.3D, 6.8)
    (_domestic("discharge_aquatic", 10, collected="yes"), "upstream_treatment"),
    # uncollected discharge: the Refinement prints F_IND-COM '0' for decentralised systems
    (_domestic("discharge_aquatic", 10, collected="no", upstream_treatment="untreated"),
     "f_ind_com"),
    # N in sludge is part of N_REM under 2019
    (_domestic("centralized_aerobic", 10, sludge_nitrogen=1), "sludge_nitrogen"),
])
def test_domestic_wastewater_under_2019_refuses_what_it_lacks(row, column):
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]), guidelines="2019")
    assert column in {p.column for p in info.value.problems}


def test_industrial_wastewater_under_2019_takes_the_updated_table_6_8():
    # 2019 Table 6.8 (Updated): deep lagoon 0.8 unchanged; starch 1,000 t: TOW = 1,000 x 9 x 10
    # = 90,000 kg COD x 0.25 x 0.8 = 18,000 kg CH4, now labelled 2019; untreated discharge
    # (Tier 1) 0.11: 90,000 x 0.25 x 0.11 = 2,475 kg; the 2006 'not well managed' aerobic
    # row is gone from the Refinement, so it is refused
    row = {"category": "4.D.2", "activity": "starch_production", "amount": 1000, "unit": "t",
           "treatment_pathway": "anaerobic_lagoon_deep"}
    inv = ghg.compute(activity_frame([row]), guidelines="2019")
    assert by_gas(inv) == {"CH4": pytest.approx(18_000)}
    assert set(inv.emissions["guidelines"].astype(str)) == {"2019"}
    river = dict(row, treatment_pathway="discharge_aquatic")
    got = by_gas(ghg.compute(activity_frame([river]), guidelines="2019"))
    assert got == {"CH4": pytest.approx(90_000 * 0.25 * 0.11)}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([dict(row, treatment_pathway=
                                         "centralized_aerobic_not_well_managed")]),
                    guidelines="2019")
    assert "treatment_pathway" in {p.column for p in info.value.problems}


def test_the_2006_method_refuses_an_upstream_treatment():
    row = _domestic("septic_system", 10, upstream_treatment="secondary")
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]))
    assert [p.column for p in info.value.problems] == ["upstream_treatment"]


def test_domestic_wastewater_outside_asia_takes_its_table_6_4_bod():
    # Table 6.4, Africa: 37 g/person/day. 100 people on septic tanks:
    # TOW = 100 x 37 x 365 / 1000 = 1,350.5 kg BOD; CH4 = 1,350.5 x 0.6 x 0.5 = 405.15 kg
    row = {"category": "4.D.1", "activity": "domestic_wastewater", "amount": 100,
           "unit": "person", "treatment_pathway": "septic_system", "region": "africa"}
    assert by_gas(ghg.compute(activity_frame([row])))["CH4"] == pytest.approx(405.15)


@pytest.mark.parametrize("category, extra", [
    ("4.A", {"site_type": "managed_anaerobic", "climate_zone": "tropical_wet"}),
    ("4.C.2", {})])
def test_a_composition_on_a_single_waste_type_is_refused_not_ignored(category, extra):
    row = {"facility_id": "S", "category": category, "activity": "food", "amount": 10,
           "unit": "t", "composition_region": "south_eastern_asia", **extra}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]))
    assert [p.column for p in info.value.problems] == ["composition_region"]
