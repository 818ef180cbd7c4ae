"""The factor chain of each gas holds the records of that gas's equation, and no others.

An emission row's uncertainty multiplies the ranges of its factor and of the records named in
``auxiliary_factor_ids`` (IPCC 2006 Vol 1 Ch 3 Eq. 3.1); rows sharing a chain add their
activity data in quadrature under a fully correlated factor (Eq. 3.2). A method whose gases
take different inputs names them per gas (``GasResult.auxiliary``), so the manure CH4 no
longer carries the N excretion and Frac_GasMS ranges of the N2O (36 % where it said 79 %),
nor the wastewater CH4 the protein record of the N2O.

Printed ranges used (IPCC 2006 Vol 4 Ch 10 and 11, Vol 5 Ch 6), all worked by hand below:

* Table 10.14, other cattle, Asia, 25 degC: 1 kg CH4/head/yr, printed 0.7-1.3 (+-30 %).
* Table 10.19, other cattle, Asia: N rate 0.34 kg N/(1000 kg animal mass)/day, +-50 %.
* Table 10.21, solid storage: EF3 0.005 kg N2O-N/kg N, uncertainty a factor of 2
  (0.0025-0.01): the larger half-width (0.01 - 0.005)/0.005 = 100 %.
* Table 10.22, other cattle, solid storage: Frac_GasMS 45 % (10-65): larger half-width
  (45 - 10)/45 = 77.78 %.
* Table 11.3: EF4 0.010 (0.002-0.05): larger half-width (0.05 - 0.01)/0.01 = 400 %.
* Livestock population: +-20 % (Vol 4 p. 10.23); people served: +-10 % (Vol 5 Table 6.11).
* Table 6.3, septic system: MCF 0.5 (0.5-0.5): 0 %.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory.analysis.uncertainty import error_propagation, monte_carlo

CATTLE = {"facility_id": "F-1", "year": 2020, "category": "3.A.2", "activity": "other_cattle",
          "unit": "head", "region": "asia", "manure_system": "solid_storage",
          "temperature": 25}
CH4_EF = "ipcc2006.v4.t10_14.ef.other_cattle.asia_25c"
N_RATE = "ipcc2006.v4.t10_19.n_rate.other_cattle.asia"
FRAC_GAS = "ipcc2006.v4.t10_22.frac_gas_ms.other_cattle.solid_storage"


def cattle(*heads: float) -> ghg.Inventory:
    return ghg.compute(pd.DataFrame([{**CATTLE, "amount": h} for h in heads]))


def by_row(inv: ghg.Inventory) -> dict[tuple[str, str], tuple[str, set[str]]]:
    e = inv.emissions
    return {(str(c), str(g)): (str(f), {p for p in str(a).split(";") if p})
            for c, g, f, a in zip(e["category"], e["gas"], e["factor_id"],
                                  e["auxiliary_factor_ids"], strict=True)}


def test_each_manure_gas_names_only_the_records_of_its_equation():
    chains = by_row(cattle(100))
    # Tier 1 CH4 (Eq. 10.22): N x EF, nothing else
    assert chains[("3.A.2", "CH4")] == (CH4_EF, set())
    # direct N2O (Eq. 10.25): N x Nex x EF3; Nex from the N rate
    assert chains[("3.A.2", "N2O")] == ("ipcc2006.v4.t10_21.ef3.solid_storage", {N_RATE})
    # volatilisation (Eq. 10.26-10.27): N x Nex x Frac_GasMS x EF4
    assert chains[("3.C.6", "N2O")] == ("ipcc2006.v4.t11_3.ef4", {N_RATE, FRAC_GAS})


def test_manure_eq_3_1_per_gas_from_the_printed_ranges_alone():
    # 100 other cattle, nothing from the caller:
    # CH4: sqrt(20^2 + 30^2) = 36.056 % (it said 79 % when the N rate and Frac_GasMS
    #      ranges were counted into the CH4 too)
    # direct N2O: factor chain sqrt(100^2 + 50^2) = 111.803 %; with the activity
    #      sqrt(20^2 + 100^2 + 50^2) = sqrt(12,900) = 113.578 %
    # 3.C.6: factor chain sqrt(400^2 + 77.78^2 + 50^2) = 410.548 %; with the activity 411.035 %
    a1 = error_propagation(cattle(100), ["category", "gas"]).set_index(["category", "gas"])
    frac_gas = (45 - 10) / 45 * 100
    assert a1.loc[("3.A.2", "CH4"), "factor_uncertainty_pct"] == pytest.approx(30)
    assert a1.loc[("3.A.2", "CH4"), "uncertainty_pct"] == pytest.approx(math.sqrt(20**2 + 30**2))
    assert a1.loc[("3.A.2", "CH4"), "uncertainty_pct"] == pytest.approx(36.0555, abs=1e-4)
    assert a1.loc[("3.A.2", "N2O"), "factor_uncertainty_pct"] == pytest.approx(
        math.sqrt(100**2 + 50**2))
    assert a1.loc[("3.A.2", "N2O"), "uncertainty_pct"] == pytest.approx(math.sqrt(12_900))
    assert a1.loc[("3.C.6", "N2O"), "factor_uncertainty_pct"] == pytest.approx(
        math.sqrt(400**2 + frac_gas**2 + 50**2))
    assert a1.loc[("3.C.6", "N2O"), "uncertainty_pct"] == pytest.approx(
        math.sqrt(20**2 + 400**2 + frac_gas**2 + 50**2))
    used = a1.attrs["defaults_used"]
    assert {CH4_EF, N_RATE, FRAC_GAS} <= set(used["factor_ranges_from_records"])
    assert used["factor_ranges_from_caller"] == ()


def test_two_herds_share_the_ch4_chain_eq_3_2():
    # 100 and 300 head, same factor: CH4 100 + 300 kg = 400 kg
    # activity (independent): sqrt((100 x 20)^2 + (300 x 20)^2) / 400
    #   = sqrt(4,000,000 + 36,000,000) / 400 = 6,324.56 / 400 = 15.811 %
    # factor (fully correlated over the sum): 30 %; total sqrt(15.811^2 + 30^2) = 33.912 %
    a1 = error_propagation(cattle(100, 300), ["category", "gas"]).set_index(
        ["category", "gas"])
    ad = math.sqrt((100 * 20) ** 2 + (300 * 20) ** 2) / 400
    assert ad == pytest.approx(15.8114, abs=1e-4)
    assert a1.loc[("3.A.2", "CH4"), "co2e_kg"] == pytest.approx(400 * 28)
    assert a1.loc[("3.A.2", "CH4"), "activity_uncertainty_pct"] == pytest.approx(ad)
    assert a1.loc[("3.A.2", "CH4"), "uncertainty_pct"] == pytest.approx(math.hypot(ad, 30))


def test_monte_carlo_draws_the_ch4_from_its_own_chain():
    # Approach 2 of the same 400 kg CH4 (11,200 kg CO2e, AR5 28): normal draws of +-20 % (per
    # herd) and +-30 % (shared): the 95 % half-widths come out near the 33.9 % of Approach 1,
    # not near what a chain carrying the N2O's ranges (+-50 %, 77.8 %) would give
    mc = monte_carlo(cattle(100, 300), ["category", "gas"], iterations=20_000,
                     seed=7).set_index(["category", "gas"])
    row = mc.loc[("3.A.2", "CH4")]
    assert row["mean_kg"] == pytest.approx(400 * 28, rel=0.02)
    for side in ("uncertainty_low_pct", "uncertainty_high_pct"):
        assert 28 < row[side] < 40


def test_a_tier_2_manure_ch4_names_its_bo_not_the_nitrogen_records():
    # the row's own VS (Eq. 10.23): the CH4 takes Bo (Annex 10A.2) and the MCF of Table 10.17
    inv = ghg.compute(pd.DataFrame([{**CATTLE, "amount": 100, "vs_rate": 2.0}]))
    factor, aux = by_row(inv)[("3.A.2", "CH4")]
    assert factor.startswith("ipcc2006.v4.t10_17.mcf.solid_storage")
    assert len(aux) == 1 and next(iter(aux)).startswith("ipcc2006.v4.t10a")
    assert N_RATE not in aux and FRAC_GAS not in aux


BO = "ipcc2006.v5.t6_2.bo.domestic.bod"
BOD = "ipcc2006.v5.t6_4.bod_per_capita.asia_middle_east_latin_america"
I_ON_SITE = "ipcc2006.v5.eq6_3.i_factor.domestic.uncollected"
I_SEWER = "ipcc2006.v5.eq6_3.i_factor.domestic.collected"
N2O_INPUTS = {"ipcc2006.v5.eq6_8.frac_npr", "ipcc2006.v5.eq6_8.f_non_con.no_garbage_disposals",
              "ipcc2006.v5.eq6_8.f_ind_com"}


def people(pathway: str, year: int = 2024) -> dict[str, object]:
    return {"facility_id": "W-1", "year": year, "category": "4.D.1",
            "activity": "domestic_wastewater", "amount": 1000, "unit": "person",
            "treatment_pathway": pathway}


def test_the_wastewater_ch4_does_not_carry_the_protein_of_the_n2o():
    # 1,000 people on septic tanks, 2024. CH4 (Eq. 6.1, 6.3) = P x BOD x I x Bo x MCF:
    # MCF 0.5 printed 0.5-0.5 (0 %), Bo 0.6 (0.42-0.78: 30 %), BOD 40 g/person/day (35-45:
    # 5/40 = 12.5 %), I 1.00 uncollected (Table 6.7: 0 %), population +-10 %:
    # sqrt(10^2 + 30^2 + 12.5^2) = sqrt(1,156.25) = 34.004 % whatever the protein's range,
    # which enters the N2O (Eq. 6.8) only; FAO prints no range for protein: the caller gives one
    inv = ghg.compute(pd.DataFrame([people("septic_system")]))
    chains = by_row(inv)
    assert chains[("4.D.1", "CH4")] == ("ipcc2006.v5.t6_3.mcf.septic_system",
                                        {BO, BOD, I_ON_SITE})
    assert chains[("4.D.1", "N2O")][1] == {"fao.fbs.protein.vn.2021"} | N2O_INPUTS
    got = {pct: error_propagation(inv, ["gas"], factor_uncertainty={
        "fao.fbs.protein.vn.2021": pct}).set_index("gas")["uncertainty_pct"]
        for pct in (0, 50)}
    ch4 = math.sqrt(1_156.25)
    assert ch4 == pytest.approx(34.0037, abs=1e-4)
    assert got[0]["CH4"] == pytest.approx(ch4) and got[50]["CH4"] == pytest.approx(ch4)
    # N2O (Eq. 6.7, 6.8): EF_EFFLUENT 0.005 (0.0005-0.25): (0.25 - 0.005)/0.005 = 4,900 %;
    # F_NPR 0.16 (0.15-0.17): 6.25 %; F_NON-CON 1.1 (1.0-1.5): 0.4/1.1 = 36.364 %;
    # F_IND-COM 1.25 (1.0-1.5): 20 %
    n2o_inputs = 6.25**2 + (0.4 / 1.1 * 100) ** 2 + 20**2
    assert got[0]["N2O"] == pytest.approx(math.sqrt(10**2 + 4900**2 + n2o_inputs))
    assert got[50]["N2O"] == pytest.approx(math.sqrt(10**2 + 4900**2 + 50**2 + n2o_inputs))


def test_the_wastewater_ch4_chain_takes_bod_bo_and_i_eq_3_1():
    # Printed ranges (IPCC 2006 Vol 5 Ch 6), larger half-width of an asymmetric range:
    # * stagnant sewer: MCF 0.5 (0.4-0.8, Table 6.3): (0.8 - 0.5)/0.5 = 60 %;
    #   Bo 30 %, BOD 12.5 %, I 1.25 collected +-20 % (Table 6.7); population +-10 %:
    #   sqrt(10^2 + 60^2 + 30^2 + 12.5^2 + 20^2) = sqrt(5,156.25) = 71.807 %
    #   (before the BOD, Bo and I were counted: sqrt(10^2 + 60^2) = 60.828 %)
    # * alcohol refining, deep anaerobic lagoon (Eq. 6.4-6.6): MCF 0.8 (0.8-1.0, Table 6.8):
    #   25 %; Bo 0.25 kg CH4/kg COD (0.175-0.325): 30 %; W 24 m3/t (16-32, Table 6.9):
    #   8/24 = 33.333 %; COD 11 kg/m3 (5-22): (22 - 11)/11 = 100 %:
    #   factor sqrt(25^2 + 30^2 + 33.333^2 + 100^2) = sqrt(12,636.11) = 112.410 %
    industry = {"facility_id": "W-2", "year": 2020, "category": "4.D.2",
                "activity": "alcohol_refining", "amount": 100, "unit": "t",
                "treatment_pathway": "anaerobic_lagoon_deep"}
    inv = ghg.compute(pd.DataFrame([people("stagnant_sewer", 2020), industry]))
    chains = by_row(inv)
    assert chains[("4.D.1", "CH4")] == ("ipcc2006.v5.t6_3.mcf.stagnant_sewer",
                                        {BO, BOD, I_SEWER})
    assert chains[("4.D.2", "CH4")] == ("ipcc2006.v5.t6_8.mcf.anaerobic_lagoon_deep", {
        "ipcc2006.v5.t6_8.bo.industrial.cod",
        "ipcc2006.v5.t6_9.wastewater_generation.alcohol_refining",
        "ipcc2006.v5.t6_9.cod_concentration.alcohol_refining"})
    a1 = error_propagation(inv, ["category", "gas"], factor_uncertainty={
        "fao.fbs.protein.vn.2020": 0}).set_index(["category", "gas"])
    sewer = a1.loc[("4.D.1", "CH4")]
    assert sewer["factor_uncertainty_pct"] == pytest.approx(
        math.sqrt(60**2 + 30**2 + 12.5**2 + 20**2))
    assert sewer["uncertainty_pct"] == pytest.approx(math.sqrt(5_156.25))
    assert sewer["uncertainty_pct"] == pytest.approx(71.8071, abs=1e-4)
    lagoon = a1.loc[("4.D.2", "CH4")]
    assert lagoon["factor_uncertainty_pct"] == pytest.approx(
        math.sqrt(25**2 + 30**2 + (8 / 24 * 100) ** 2 + 100**2))
    assert lagoon["factor_uncertainty_pct"] == pytest.approx(112.4105, abs=1e-4)
    used = set(a1.attrs["defaults_used"]["factor_ranges_from_records"])
    assert {BO, BOD, I_SEWER} <= used


def a1_of(row: dict[str, object], activity_pct: float = 10) -> pd.DataFrame:
    inv = ghg.compute(pd.DataFrame([{"facility_id": "X-1", "year": 2020, **row}]))
    return error_propagation(inv, ["category", "gas"], activity_uncertainty={
        str(row["category"]): activity_pct}).set_index(["category", "gas"])


def test_the_rice_ch4_chain_takes_its_scaling_factors_eq_5_2():
    # EF_i = EF_c x SF_w x SF_p (Eq. 5.2), IPCC 2006 Vol 4 Ch 5:
    # EF_c 1.30 kg/ha/day (0.80-2.20, Table 5.11): (2.20 - 1.30)/1.30 = 69.231 %;
    # SF_w multiple aeration 0.52 (0.41-0.66, Table 5.12): (0.66 - 0.52)/0.52 = 26.923 %;
    # SF_p not flooded < 180 days 1 (0.88-1.14, Table 5.13): 14 %; area +-10 % (the caller's):
    # sqrt(10^2 + 69.231^2 + 26.923^2 + 14^2) = 76.248 % (was sqrt(10^2 + 69.231^2) = 69.949 %)
    a1 = a1_of({"category": "3.C.7", "activity": "rice", "amount": 100, "unit": "ha",
                "cultivation_days": 120, "water_regime": "multiple_drainage",
                "preseason_water_regime": "not_flooded_less_than_180_days"})
    ef_c, sf_w, sf_p = 0.9 / 1.3 * 100, 0.14 / 0.52 * 100, 14.0
    got = a1.loc[("3.C.7", "CH4"), "uncertainty_pct"]
    assert got == pytest.approx(math.sqrt(10**2 + ef_c**2 + sf_w**2 + sf_p**2))
    assert got == pytest.approx(76.2480, abs=1e-4)


def test_a_factor_shared_by_two_chains_is_one_uncertain_quantity():
    # Two rice fields of 100 ha, 120 days, not flooded < 180 days before (SF_p 1, 14 %),
    # one continuously flooded (SF_w 1, 0.79-1.26: (1.26 - 1)/1 = 26 %), one with multiple
    # aeration (SF_w 0.52, 26.923 %); both take EF_c 1.30 (69.231 %) and the same SF_p:
    #   A = 1.30 x 1    x 1 x 120 x 100 = 15,600 kg CH4
    #   B = 1.30 x 0.52 x 1 x 120 x 100 =  8,112 kg CH4, total 23,712 kg
    # activity (+-10 % each, independent): sqrt(1,560^2 + 811.2^2) = 1,758.31 kg
    # EF_c and SF_p move both fields together: 69.231 % and 14 % of 23,712 kg;
    # each SF_w only its own field: 26 % of 15,600 and 26.923 % of 8,112 kg:
    # factor part sqrt(16,416.0^2 + 3,319.7^2 + 4,056.0^2 + 2,184.0^2) = 17,370.3 kg
    # total sqrt(1,758.31^2 + 17,370.3^2) / 23,712 = 73.63 %
    # (the two chains added as independent gave 56.35 %: EF_c and SF_p counted twice over,
    # as if the two fields' errors could cancel)
    rows = [{"facility_id": "X-1", "year": 2020, "category": "3.C.7", "activity": "rice",
             "amount": 100, "unit": "ha", "cultivation_days": 120, "water_regime": w,
             "preseason_water_regime": "not_flooded_less_than_180_days"}
            for w in ("continuously_flooded", "multiple_drainage")]
    inv = ghg.compute(pd.DataFrame(rows))
    a1 = error_propagation(inv, ["category", "gas"], activity_uncertainty={"3.C.7": 10}
                           ).set_index(["category", "gas"])
    a, b = 15_600.0, 8_112.0
    ef_c, sf_p = 0.9 / 1.3, 0.14
    activity = math.hypot(0.1 * a, 0.1 * b)
    factor = math.sqrt((ef_c * (a + b)) ** 2 + (sf_p * (a + b)) ** 2 + (0.26 * a) ** 2
                       + (0.14 / 0.52 * b) ** 2)
    got = a1.loc[("3.C.7", "CH4")]
    assert got["co2e_kg"] == pytest.approx((a + b) * 28)
    assert got["activity_uncertainty_pct"] == pytest.approx(activity / (a + b) * 100)
    assert got["factor_uncertainty_pct"] == pytest.approx(factor / (a + b) * 100)
    assert got["uncertainty_pct"] == pytest.approx(math.hypot(activity, factor) / (a + b) * 100)
    assert got["uncertainty_pct"] == pytest.approx(73.63, abs=0.01)


def test_indirect_n2o_chains_take_frac_gasf_and_frac_leach_eq_11_9_11_10():
    # 1,000 kg synthetic N, wet climate, leaching (IPCC 2006 Vol 4 Table 11.3):
    # volatilisation: EF4 0.010 (0.002-0.05): 400 %; Frac_GASF 0.10 (0.03-0.3): 200 %
    # leaching: EF5 0.0075 (0.0005-0.025): (0.025 - 0.0075)/0.0075 = 233.333 %;
    #   Frac_LEACH 0.30 (0.1-0.8): (0.8 - 0.3)/0.3 = 166.667 %
    # both rows of 3.C.5 share the activity (+-10 %), each its own chain (Eq. 3.2):
    inv = ghg.compute(pd.DataFrame([{
        "facility_id": "S-1", "year": 2020, "category": "3.C.4",
        "activity": "synthetic_fertilizer", "amount": 1000, "unit": "kg", "climate": "wet",
        "leaching": "yes"}]))
    chains = {(str(f), frozenset(str(a).split(";"))) for c, f, a in zip(
        inv.emissions["category"], inv.emissions["factor_id"],
        inv.emissions["auxiliary_factor_ids"], strict=True) if c == "3.C.5"}
    assert chains == {("ipcc2006.v4.t11_3.ef4", frozenset({"ipcc2006.v4.t11_3.frac_gasf"})),
                      ("ipcc2006.v4.t11_3.ef5", frozenset({"ipcc2006.v4.t11_3.frac_leach"}))}
    a1 = error_propagation(inv, ["factor_id"], activity_uncertainty={"3.C.4": 10}
                           ).set_index("factor_id")
    assert a1.loc["ipcc2006.v4.t11_3.ef4", "factor_uncertainty_pct"] == pytest.approx(
        math.hypot(400, 200))
    assert a1.loc["ipcc2006.v4.t11_3.ef5", "factor_uncertainty_pct"] == pytest.approx(
        math.hypot(0.0175 / 0.0075 * 100, 0.5 / 0.3 * 100))


@pytest.mark.parametrize(("row", "factor_pct"), [
    # urea 0.20 t C/t, printed -50 % (Vol 4 p. 11.32): 0.10-0.20, larger half-width 50 %
    ({"category": "3.C.3", "activity": "urea", "amount": 100, "unit": "t"}, 50.0),
    # limestone 0.12, printed -50 % (Vol 4 p. 11.27): 0.06-0.12
    ({"category": "3.C.2", "activity": "limestone", "amount": 100, "unit": "t"}, 50.0),
    # hydraulic lime 0.59, Table 2.5 15 %
    ({"category": "2.A.2", "activity": "hydraulic_lime", "amount": 1000, "unit": "t"}, 15.0),
    # high-calcium lime 0.75, Table 2.5 2 %
    ({"category": "2.A.2", "activity": "high_calcium_lime", "amount": 1000, "unit": "t"}, 2.0),
    # glass Tier 1 (EF and cullet ratio together), Section 2.4.2.1 +-60 %
    ({"category": "2.A.3", "activity": "glass", "amount": 1000, "unit": "t"}, 60.0),
])
def test_printed_ranges_of_liming_urea_lime_and_glass(row, factor_pct):
    # Eq. 3.1 with the caller's +-10 % activity: sqrt(10^2 + factor^2)
    a1 = a1_of(row)
    key = (row["category"], "CO2")
    assert a1.loc[key, "factor_uncertainty_pct"] == pytest.approx(factor_pct)
    assert a1.loc[key, "uncertainty_pct"] == pytest.approx(math.hypot(10, factor_pct))


def test_the_tier_1_cement_chain_names_its_clinker_fraction():
    # Eq. 2.1: CO2 = M_c x C_cl x EF_clc; the portland C_cl 0.95 carries Table 2.3's 2-7 %
    # (mid-range 4.5 %); EF_clc 0.52 has no printed range, so the caller gives one (5 %):
    # factor chain sqrt(5^2 + 4.5^2) = 6.727 %
    inv = ghg.compute(pd.DataFrame([{"facility_id": "C-1", "year": 2020, "category": "2.A.1",
                                     "activity": "cement", "amount": 1000, "unit": "t",
                                     "cement_type": "portland"}]))
    assert by_row(inv)[("2.A.1", "CO2")] == (
        "ipcc2006.v3.eq2_4.ef.cement",
        {"ipcc2006.v3.s2_2_1_2.clinker_fraction.cement_portland"})
    a1 = error_propagation(inv, ["gas"], activity_uncertainty={"2.A.1": 10},
                           factor_uncertainty={"ipcc2006.v3.eq2_4.ef.cement": 5}
                           ).set_index("gas")
    assert a1.loc["CO2", "factor_uncertainty_pct"] == pytest.approx(math.hypot(5, 4.5))


def test_the_landfill_chain_takes_doc_docf_mcf_and_f_eq_3_1():
    # 1,000 t food waste deposited in 2015 at a managed anaerobic site, tropical wet, FOD to
    # 2020 (IPCC 2006 Vol 5 Ch 2-3), printed ranges, larger half-width:
    # k 0.4/yr (0.17-0.7, Table 3.3): 0.3/0.4 = 75 %; DOC food 0.15 (0.08-0.2, Table 2.4):
    # 0.07/0.15 = 46.667 %; DOCf 0.5 (0.4-0.6): 20 %; MCF 1.0 (0.9-1.0, Table 3.1): 10 %;
    # F 0.5 (0.475-0.525): 5 %: sqrt(75^2 + 46.667^2 + 20^2 + 10^2 + 5^2) = 91.257 %
    # (was k alone: 75 %)
    inv = ghg.compute(pd.DataFrame([{
        "facility_id": "LF-1", "category": "4.A", "activity": "food", "amount": 1000,
        "unit": "t", "year": 2015, "until": 2020, "site_type": "managed_anaerobic",
        "climate_zone": "tropical_wet"}]))
    chains = {(str(f), frozenset(str(a).split(";"))) for f, a in zip(
        inv.emissions["factor_id"], inv.emissions["auxiliary_factor_ids"], strict=True)}
    assert chains == {("ipcc2006.v5.t3_3.k.food.tropical_wet", frozenset({
        "ipcc2006.v5.t2_4.doc.food", "ipcc2006.v5.ch3.docf.msw_bulk",
        "ipcc2006.v5.t3_1.mcf.managed_anaerobic", "ipcc2006.v5.ch3.f_ch4.msw_bulk"}))}
    a1 = error_propagation(inv, ["category", "gas"], activity_uncertainty={"4.A": 10}
                           ).set_index(["category", "gas"])
    got = a1.loc[("4.A", "CH4"), "factor_uncertainty_pct"]
    assert got == pytest.approx(math.sqrt(75**2 + (0.07 / 0.15 * 100) ** 2 + 20**2 + 10**2
                                          + 5**2))
    assert got == pytest.approx(91.2567, abs=1e-4)


def test_open_burning_co2_names_dm_cf_and_of_eq_5_4():
    # 1,000 t of paper burnt in the open (IPCC 2006 Vol 5 Eq. 5.4): fossil CO2 takes FCF
    # 0.01 (0-0.05, Table 2.4): (0.05 - 0.01)/0.01 = 400 %; CF 0.46 (0.42-0.5): 0.04/0.46 =
    # 8.696 %; OF 0.58 (0.49-0.67, Table 5.2): 0.09/0.58 = 15.517 %; dm 0.9 (Table 2.4
    # prints no range: the caller gives 10 %): sqrt(400^2 + 8.696^2 + 15.517^2 + 10^2);
    # the N2O per t dry matter (Table 5.6) takes dm too: sqrt(100^2 + 10^2)
    inv = ghg.compute(pd.DataFrame([{"facility_id": "B-1", "year": 2020, "category": "4.C.2",
                                     "activity": "paper", "amount": 1000, "unit": "t"}]))
    dm = "ipcc2006.v5.t2_4.dry_matter.paper"
    e = inv.emissions
    aux = {(str(g), bool(f)): set(str(a).split(";")) - {""} for g, f, a in zip(
        e["gas"], e["fossil"], e["auxiliary_factor_ids"], strict=True)}
    assert aux[("CO2", True)] == {dm, "ipcc2006.v5.t2_4.total_carbon.paper",
                                  "ipcc2006.v5.t5_2.oxidation_factor.open_burning.msw"}
    assert aux[("N2O", False)] == {dm} and aux[("CH4", False)] == set()
    a1 = error_propagation(inv, ["gas"], activity_uncertainty={"4.C": 10},
                           factor_uncertainty={dm: 10}).set_index("gas")
    assert a1.loc["CO2", "factor_uncertainty_pct"] == pytest.approx(math.sqrt(
        400**2 + (0.04 / 0.46 * 100) ** 2 + (0.09 / 0.58 * 100) ** 2 + 10**2))
    assert a1.loc["N2O", "factor_uncertainty_pct"] == pytest.approx(math.hypot(100, 10))
