"""Mineral industry (IPCC 2006 Vol 3 Ch 2) and refrigeration/AC (Vol 3 Ch 7) worked by hand.

Factors: Eq. 2.4 (EF_clc = 0.51 x 1.02 = 0.52 t CO2/t clinker), Table 2.1 (calcite
0.43971 t CO2/t), Table 2.4 (high-calcium lime 0.75, dolomitic 0.77, hydraulic 0.59),
Eq. 2.8 (lime of unknown type 0.75), Section 2.4 (glass 0.20, cullet ratio 0.50),
Section 2.5.1.2 (clay: default carbonate content 10 %), Table 7.9 upper ends of the printed
ranges, the developing-country end (Section 7.5.2.2, p. 7.51; residential and commercial A/C:
installation k 0.2-1 -> 1 %, operation x 1-10 -> 10 %/year), ASHRAE 34 blend compositions
(R-410A = 50 % HFC-32 + 50 % HFC-125).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ghg_inventory as ghg
from conftest import activity_frame, by_gas


def co2_kg(row: dict) -> float:
    return by_gas(ghg.compute(activity_frame([row])))["CO2"]


# --- cement ---------------------------------------------------------------------------------

def test_cement_tier2_from_clinker_with_default_ckd():
    # 1,000 t clinker x 0.51 t CO2/t x CF_ckd 1.02 = 520.2 t CO2
    row = {"category": "2.A.1", "activity": "clinker", "amount": 1000, "unit": "t"}
    assert co2_kg(row) == pytest.approx(520_200)


def test_cement_tier2_with_the_plants_own_ckd_correction():
    # 1,000 t x 0.51 x 1.00 (all dust returned to the kiln) = 510 t
    row = {"category": "2.A.1", "activity": "clinker", "amount": 1000, "unit": "t",
           "ckd_correction": 1.0}
    assert co2_kg(row) == pytest.approx(510_000)


def test_cement_tier1_from_cement_and_clinker_fraction():
    # Eq. 2.1: (1,000 t x 0.9 - 0 + 0) x 0.52 = 468 t CO2
    row = {"category": "2.A.1", "activity": "cement", "amount": 1000, "unit": "t",
           "clinker_fraction": 0.9}
    assert co2_kg(row) == pytest.approx(468_000)


def test_cement_tier1_with_clinker_trade():
    # (1,000 x 0.75 - 100 imported + 50 exported) x 0.52 = 700 x 0.52 = 364 t CO2
    row = {"category": "2.A.1", "activity": "cement", "amount": 1000, "unit": "t",
           "clinker_fraction": 0.75, "clinker_imports": 100, "clinker_exports": 50}
    assert co2_kg(row) == pytest.approx(364_000)


@pytest.mark.parametrize("fraction", [-0.1, 1.2, "abc"])
def test_clinker_fraction_outside_0_1_is_refused(fraction):
    row = {"category": "2.A.1", "activity": "cement", "amount": 1000, "unit": "t",
           "clinker_fraction": fraction}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]))
    (problem,) = info.value.problems
    assert problem.column == "clinker_fraction" and problem.row == 0


def test_cement_of_unknown_type_takes_the_overall_default_clinker_fraction():
    # Section 2.2.1.2: type unknown, blended cement suspected -> clinker fraction 0.75
    # (1,000 t x 0.75) x 0.52 = 390 t CO2; all portland (cement_type) -> 0.95:
    # 1,000 x 0.95 x 0.52 = 494 t CO2
    row = {"category": "2.A.1", "activity": "cement", "amount": 1000, "unit": "t"}
    assert co2_kg(row) == pytest.approx(390_000)
    assert co2_kg({**row, "cement_type": "portland"}) == pytest.approx(494_000)


def test_cement_of_a_type_without_a_default_is_refused():
    row = {"category": "2.A.1", "activity": "cement", "amount": 1000, "unit": "t",
           "cement_type": "masonry"}
    with pytest.raises(ghg.ActivityValidationError, match="clinker fraction required"):
        ghg.compute(activity_frame([row]))


def test_clinker_imports_larger_than_the_clinker_in_cement_is_refused():
    row = {"category": "2.A.1", "activity": "cement", "amount": 100, "unit": "t",
           "clinker_fraction": 0.5, "clinker_imports": 80}
    with pytest.raises(ghg.ActivityValidationError, match="imports exceed"):
        ghg.compute(activity_frame([row]))


# --- carbonates, bricks, lime, glass --------------------------------------------------------

def test_limestone_calcined_tier3():
    # 1,000 t CaCO3 x 0.43971 x calcination fraction 0.9 = 395.739 t CO2
    row = {"category": "2.A.1", "activity": "calcite", "amount": 1000, "unit": "t",
           "calcination_fraction": 0.9}
    assert co2_kg(row) == pytest.approx(395_739)


def test_brick_kiln_clay_carbonates():
    # 2,000 t clay with 5 % calcite: 2,000 x 0.05 x 0.43971 = 43.971 t CO2
    row = {"category": "2.A.4.a", "activity": "clay", "amount": 2000, "unit": "t",
           "carbonate_fraction": 0.05}
    assert co2_kg(row) == pytest.approx(43_971)
    # the same clay as dolomite: 2,000 x 0.05 x 0.47732 = 47.732 t
    assert co2_kg({**row, "carbonate": "dolomite"}) == pytest.approx(47_732)


def test_brick_clay_without_its_carbonate_content_takes_the_printed_10_percent():
    # Vol 3 Section 2.5.1.2 (p. 2.34): "For clays a default carbonate content of 10 percent
    # can be assumed": 2,000 t x 0.10 x 0.43971 = 87.942 t CO2, the default's id named
    row = {"category": "2.A.4.a", "activity": "clay", "amount": 2000, "unit": "t"}
    inv = ghg.compute(activity_frame([row]))
    assert by_gas(inv) == {"CO2": pytest.approx(87_942)}
    assert list(inv.results["auxiliary_factor_ids"].astype(str)) == [
        "ipcc2006.v3.s2_5_1_2.carbonate_fraction.clay"]
    # a carbonate fraction out of [0, 1] is refused, not replaced by the default
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([{**row, "carbonate_fraction": 1.5}]))
    assert info.value.problems[0].column == "carbonate_fraction"


@pytest.mark.parametrize("lime, ef", [
    ("high_calcium_lime", 0.75), ("dolomitic_lime", 0.77), ("hydraulic_lime", 0.59),
    ("lime_unknown_type", 0.75),  # Eq. 2.8: 0.85 x 0.75 + 0.15 x 0.77 = 0.753 -> 0.75
])
def test_lime_by_type(lime, ef):
    row = {"category": "2.A.2", "activity": lime, "amount": 100, "unit": "t"}
    assert co2_kg(row) == pytest.approx(100_000 * ef)


def test_lime_kiln_dust_correction():
    # 100 t high-calcium lime x 0.75 x LKD correction 1.02 = 76.5 t
    row = {"category": "2.A.2", "activity": "high_calcium_lime", "amount": 100, "unit": "t",
           "lkd_correction": 1.02}
    assert co2_kg(row) == pytest.approx(76_500)


def test_glass_tier1_default_and_own_cullet_ratio():
    # Eq. 2.10: 1,000 t x 0.20 x (1 - 0.5) = 100 t; with 20 % cullet 1,000 x 0.2 x 0.8 = 160 t
    row = {"category": "2.A.3", "activity": "glass", "amount": 1000, "unit": "t"}
    assert co2_kg(row) == pytest.approx(100_000)
    assert co2_kg({**row, "cullet_ratio": 0.2}) == pytest.approx(160_000)


@settings(max_examples=30, deadline=None)
@given(mass=st.floats(1e-3, 1e7), scale=st.floats(0.01, 100))
def test_process_co2_is_linear_in_mass(mass, scale):
    def one(m: float) -> float:
        return co2_kg({"category": "2.A.1", "activity": "clinker", "amount": m, "unit": "t"})
    assert one(mass * scale) == pytest.approx(one(mass) * scale, rel=1e-9)


# --- refrigeration and air conditioning -----------------------------------------------------

AC = {"category": "2.F.1", "activity": "residential_commercial_ac", "unit": "kg"}


def test_hotel_air_conditioning_r410a_split_into_hfcs():
    # Table 7.9 upper ends (developing country): bank 100 kg x 10 %/yr = 10 kg; 20 kg
    # charged into new units x 1 % = 0.2 kg; R-410A emitted 10.2 kg = 5.1 kg HFC-32 +
    # 5.1 kg HFC-125 (ASHRAE 34: 50/50)
    inv = ghg.compute(activity_frame([{**AC, "amount": 100, "refrigerant": "R-410A",
                                       "new_charge": 20}]), gwp="AR5")
    got = by_gas(inv)
    assert got == {"HFC-32": pytest.approx(5.1), "HFC-125": pytest.approx(5.1)}
    # AR5 GWP-100: HFC-32 677, HFC-125 3,170 -> 5.1 x 3,847 = 19,619.7 kg CO2e
    assert inv.total().m_as("kg CO2e") == pytest.approx(19_619.7)


def test_end_of_life_with_the_sites_recovery_data_or_the_table_7_9_midpoints():
    row = {**AC, "amount": 50, "refrigerant": "HFC-134a", "retired_charge": 10}
    # 50 x 10 % = 5 kg; end of life 10 x 80 % x (1 - 30 %) = 5.6 kg; total 10.6 kg
    done = by_gas(ghg.compute(activity_frame([{**row, "remaining_at_eol": 80,
                                                "recovery_efficiency": 30}])))
    assert done == {"HFC-134a": pytest.approx(10.6)}
    # Table 7.9 prints p and eta_rec as ranges only (0-80 % each here) and the text gives no
    # rule for a point value (Section 7.5.2.2: the compiler chooses): none is shipped, so a
    # row that retires equipment without them is refused
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]))
    assert {p.column for p in info.value.problems} == {"remaining_at_eol",
                                                       "recovery_efficiency"}


def test_the_sites_own_leak_rate_wins():
    # 100 kg x 2 %/yr = 2 kg HFC-134a
    row = {**AC, "amount": 100, "refrigerant": "R-134a", "operation_ef": 2}
    assert by_gas(ghg.compute(activity_frame([row]))) == {"HFC-134a": pytest.approx(2.0)}


def test_hcfc22_is_reported_as_ods_outside_the_kyoto_totals():
    rows = [{**AC, "amount": 100, "refrigerant": "R-22"},
            {**AC, "amount": 100, "refrigerant": "HFC-134a"}]
    inv = ghg.compute(activity_frame(rows), gwp="AR5")
    ods = inv.emissions[inv.emissions["gas"] == "HCFC-22"]
    # 100 kg x 10 %/yr (Table 7.9 upper end) = 10 kg of each
    assert (ods["scope"] == "ods").all() and ods["emissions_kg"].sum() == pytest.approx(10)
    # totals hold only the HFC-134a: 10 kg x 1,300 (AR5) = 13,000 kg CO2e
    assert inv.total().m_as("kg CO2e") == pytest.approx(13_000)
    table = inv.rollup(by=["gas"], scope="ods")
    assert list(table["gas"]) == ["HCFC-22"]


@pytest.mark.parametrize("blend", ["R-404A", "R-407C", "R-410A", "R-507A"])
def test_blend_decomposition_sums_to_the_blend_mass(blend):
    row = {**AC, "amount": 1000, "refrigerant": blend}
    got = by_gas(ghg.compute(activity_frame([row])))
    assert len(got) >= 2
    assert sum(got.values()) == pytest.approx(1000 * 0.10)


@pytest.mark.parametrize("blend", sorted(__import__(
    "ghg_inventory.sectors.fgases", fromlist=["blends"]).blends()["blend"].unique()))
def test_every_blend_in_the_table_sums_to_one(blend):
    from ghg_inventory.sectors.fgases import composition
    assert sum(f for _, f in composition(blend)) == pytest.approx(1.0, abs=1e-9)


def test_gwp_switch_changes_co2e_never_the_mass():
    row = {**AC, "amount": 300, "refrigerant": "R-404A", "new_charge": 40}
    ar5 = ghg.compute(activity_frame([row]), gwp="AR5")
    ar6 = ghg.compute(activity_frame([row]), gwp="AR6")
    assert by_gas(ar5) == pytest.approx(by_gas(ar6), rel=1e-12)
    assert ar5.total().m_as("kg CO2e") != pytest.approx(ar6.total().m_as("kg CO2e"))


@pytest.mark.parametrize("change, column, words", [
    ({"amount": -5}, "amount", ">= 0"),
    ({"new_charge": -1}, "new_charge", ">= 0"),
    ({"refrigerant": "R-999Z"}, "refrigerant", "unknown refrigerant"),
    ({"refrigerant": ""}, "refrigerant", "required"),
    ({"operation_ef": 150}, "operation_ef", "between 0 and 100"),
])
def test_bad_refrigeration_input_is_refused(change, column, words):
    row = {**AC, "amount": 100, "refrigerant": "R-410A", **change}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]))
    problems = [p for p in info.value.problems if p.column == column]
    assert problems and words in problems[0].message and problems[0].row == 0


def test_unknown_application_is_refused_with_the_known_ones():
    row = {"category": "2.F.1", "activity": "space_station", "amount": 1, "unit": "kg",
           "refrigerant": "R-410A"}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]))
    assert info.value.problems[0].column == "activity"


@settings(max_examples=25, deadline=None)
@given(bank=st.floats(0, 1e5), new=st.floats(0, 1e4))
def test_refrigerant_mass_in_kg_or_tonnes_agrees(bank, new):
    kg = by_gas(ghg.compute(activity_frame([{**AC, "amount": bank, "refrigerant": "R-407C",
                                              "new_charge": new}])))
    t = by_gas(ghg.compute(activity_frame([{**AC, "amount": bank / 1000, "unit": "t",
                                             "refrigerant": "R-407C", "new_charge": new}])))
    for gas, value in kg.items():
        assert t[gas] == pytest.approx(value, rel=1e-9, abs=1e-12)
    assert np.isclose(sum(kg.values()), bank * 0.10 + new * 0.01, rtol=1e-9)


def test_construction_energy_machinery_and_processes_count_in_the_construction_area():
    # 1.A.2.k stationary fuel, diesel excavators (off-road under 1.A.2.k), a cement kiln's
    # process CO2 and hotel A/C all belong to the plan's "construction" area; a brick kiln's
    # fuel (1.A.2.f) stays in "energy" like other manufacturing combustion.
    rows = [{"category": "1.A.2.k", "activity": "gas_diesel_oil", "amount": 1, "unit": "TJ"},
            {"category": "1.A.2.k", "activity": "gas_diesel_oil", "amount": 1, "unit": "TJ",
             "source_type": "off_road"},
            {"category": "2.A.1", "activity": "clinker", "amount": 10, "unit": "t"},
            {**AC, "amount": 10, "refrigerant": "R-410A"},
            {"category": "1.A.2.f", "activity": "anthracite", "amount": 1, "unit": "TJ"}]
    inv = ghg.compute(activity_frame(rows))
    areas = inv.rollup(by="plan_area", lang="vi")
    assert list(areas["plan_area"]) == ["construction", "energy"]
    assert "Xây dựng" in set(areas["plan_area_name"])
    per_row = inv.emissions.groupby("source_row")["co2e_kg"].sum()
    construction = areas.set_index("plan_area").loc["construction", "co2e_kg"]
    assert construction == pytest.approx(per_row.drop(index=per_row.index[-1]).sum())


def _sf6_factors(rates: dict[str, tuple[float, str]]):
    import pandas as pd
    return pd.DataFrame([{"factor_id": f"utility.sf6.{stage}", "parameter": "ef",
                          "category": "2.G.1", "activity": "sf6_closed_pressure", "gas": "SF6",
                          "value": value, "unit": unit, "tier": 2, "guidelines": "2006",
                          "fossil": True, "variant": stage, "source": "test: the utility's "
                          "own measured rates", "reference": "test"}
                         for stage, (value, unit) in rates.items()])


def test_sf6_switchyard_with_the_utilitys_own_rates():
    # A row without sf6_region takes no IPCC default (Tables 8.2-8.4 are by region); with the
    # utility's rates:
    # use 2,000 kg nameplate x 0.5 %/yr = 10 kg; installation 500 kg x 1 % = 5 kg -> 15 kg SF6
    own = _sf6_factors({"use": (0.005, "1/year"), "installation": (0.01, "dimensionless")})
    row = {"category": "2.G.1", "activity": "sf6_closed_pressure", "amount": 2000,
           "unit": "kg", "installed_capacity": 500}
    inv = ghg.compute(activity_frame([row]), factors=own, gwp="AR5")
    assert by_gas(inv) == {"SF6": pytest.approx(15)}
    # AR5 GWP-100 of SF6 is 23,500 -> 352.5 t CO2e
    assert inv.total().m_as("t CO2e") == pytest.approx(352.5)


def test_sf6_stage_without_a_factor_is_refused():
    own = _sf6_factors({"use": (0.005, "1/year")})
    row = {"category": "2.G.1", "activity": "sf6_closed_pressure", "amount": 2000,
           "unit": "kg", "retired_capacity": 100}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([row]), factors=own)
    assert info.value.problems[0].column == "retired_capacity"
