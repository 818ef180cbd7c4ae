"""Uncertainty of a default energy inventory with no user ranges (issue 18).

The factor ranges are the lower/upper printed in IPCC 2006 Vol 2 Table 1.4 (CO2, 95 %
confidence limits), Tables 2.2-2.5 (stationary CH4/N2O) and Tables 3.2.1/3.2.2 (road); the
activity-data uncertainties are the defaults of Vol 2 Ch 2 Table 2.15 and Ch 3 section 3.2.2
(road fuel) shipped in ``emission_factors/ipcc2006_activity_uncertainty.csv``. Every expected
number below is worked out by hand from those printed values (IPCC 2006 Vol 1 Ch 3 Eq. 3.1 for
a product, Eq. 3.2 for a sum; Approach 1 takes the larger half-width of an asymmetric range).
GWP: AR5 (CH4 28, N2O 265; IPCC AR5 WGI Table 8.A.1).
"""

from __future__ import annotations

import math

import pytest

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.analysis.uncertainty import (
    error_propagation,
    monte_carlo,
    uncertainty_sources,
)

CH4, N2O = 28, 265  # AR5 GWP-100


def half_width(value: float, lower: float, upper: float) -> float:
    """Larger half-width of a printed range, in % of the value (Approach 1)."""
    return 100 * max(value - lower, upper - value) / value


def eq_3_1(*u: float) -> float:
    """IPCC 2006 Vol 1 Eq. 3.1: uncertainty of a product."""
    return math.sqrt(sum(x * x for x in u))


def eq_3_2(pairs: list[tuple[float, float]]) -> float:
    """IPCC 2006 Vol 1 Eq. 3.2: uncertainty of a sum of (quantity, % uncertainty)."""
    return math.sqrt(sum((x * u) ** 2 for x, u in pairs)) / sum(x for x, _ in pairs)


def energy_inventory() -> ghg.Inventory:
    # activity data only: no activity_uncertainty column, no factor, no range
    return ghg.compute(activity_frame([
        {"category": "1.A.1.a", "activity": "natural_gas", "amount": 100, "unit": "TJ"},
        {"category": "1.A.2.e", "activity": "gas_diesel_oil", "amount": 50, "unit": "TJ"},
        {"category": "1.A.4.b", "activity": "other_bituminous_coal", "amount": 20, "unit": "TJ"},
    ]), gwp="AR5")


# Hand-worked rows: (category, gas, CO2e kg, activity %, factor %), from the printed tables.
#  natural gas, 1.A.1.a, 100 TJ. Activity: Table 2.15, 1.A.1.a, less-developed statistics,
#    surveys (the shipped default row): 2 %.
#    CO2 Table 1.4: 56,100 (54,300-58,300) kg/TJ -> 5,610,000 kg; 2,200 / 56,100 = 3.9216 %
#    CH4 Table 2.2: 1 (0.3-3) kg/TJ -> 100 kg x 28 = 2,800 kg CO2e; 2 / 1 = 200 %
#    N2O Table 2.2: 0.1 (0.03-0.3) kg/TJ -> 10 kg x 265 = 2,650 kg CO2e; 0.2 / 0.1 = 200 %
#  gas/diesel oil, 1.A.2.e, 50 TJ. Activity: Table 2.15, industrial combustion (others),
#    less-developed, surveys: 15 %.
#    CO2 Table 1.4: 74,100 (72,600-74,800) -> 3,705,000 kg; 1,500 / 74,100 = 2.0243 %
#    CH4 Table 2.3: 3 (1-10) -> 150 kg x 28 = 4,200; 7 / 3 = 233.33 %
#    N2O Table 2.3: 0.6 (0.2-2) -> 30 kg x 265 = 7,950; 1.4 / 0.6 = 233.33 %
#  other bituminous coal, 1.A.4.b (residential), 20 TJ. Activity: Table 2.15, residential,
#    less-developed, surveys: 15 %.
#    CO2 Table 1.4: 94,600 (89,500-99,700) -> 1,892,000 kg; 5,100 / 94,600 = 5.3911 %
#    CH4 Table 2.5: 300 (100-900) -> 6,000 kg x 28 = 168,000; 600 / 300 = 200 %
#    N2O Table 2.5: 1.5 (0.5-5) -> 30 kg x 265 = 7,950; 3.5 / 1.5 = 233.33 %
ROWS = [
    ("1.A.1.a", "CO2", 100 * 56_100, 2, half_width(56_100, 54_300, 58_300)),
    ("1.A.1.a", "CH4", 100 * 1 * CH4, 2, half_width(1, 0.3, 3)),
    ("1.A.1.a", "N2O", 100 * 0.1 * N2O, 2, half_width(0.1, 0.03, 0.3)),
    ("1.A.2.e", "CO2", 50 * 74_100, 15, half_width(74_100, 72_600, 74_800)),
    ("1.A.2.e", "CH4", 50 * 3 * CH4, 15, half_width(3, 1, 10)),
    ("1.A.2.e", "N2O", 50 * 0.6 * N2O, 15, half_width(0.6, 0.2, 2)),
    ("1.A.4.b", "CO2", 20 * 94_600, 15, half_width(94_600, 89_500, 99_700)),
    ("1.A.4.b", "CH4", 20 * 300 * CH4, 15, half_width(300, 100, 900)),
    ("1.A.4.b", "N2O", 20 * 1.5 * N2O, 15, half_width(1.5, 0.5, 5)),
]
FACTOR_IDS = {
    "ipcc2006.v2.t1_4.ef.co2.natural_gas", "ipcc2006.v2.t1_4.ef.co2.gas_diesel_oil",
    "ipcc2006.v2.t1_4.ef.co2.other_bituminous_coal",
    "ipcc2006.v2.t2_2.ef.ch4.natural_gas", "ipcc2006.v2.t2_2.ef.n2o.natural_gas",
    "ipcc2006.v2.t2_3.ef.ch4.gas_diesel_oil", "ipcc2006.v2.t2_3.ef.n2o.gas_diesel_oil",
    "ipcc2006.v2.t2_5_res.ef.ch4.other_bituminous_coal",
    "ipcc2006.v2.t2_5_res.ef.n2o.other_bituminous_coal",
}


def test_hand_worked_factor_half_widths():
    # the printed limits, as relative half-widths (checks of the arithmetic above)
    assert half_width(56_100, 54_300, 58_300) == pytest.approx(3.921569, rel=1e-6)
    assert half_width(74_100, 72_600, 74_800) == pytest.approx(2.024291, rel=1e-6)
    assert half_width(94_600, 89_500, 99_700) == pytest.approx(5.391121, rel=1e-6)
    assert half_width(3, 1, 10) == pytest.approx(700 / 3)


def test_error_propagation_of_a_default_energy_inventory_per_row():
    out = error_propagation(energy_inventory(), ["category", "gas"])
    got = out.set_index(["category", "gas"])
    assert len(got) == len(ROWS)
    for category, gas, co2e, u_ad, u_ef in ROWS:
        row = got.loc[(category, gas)]
        assert row["co2e_kg"] == pytest.approx(co2e)
        assert row["activity_uncertainty_pct"] == pytest.approx(u_ad)
        assert row["factor_uncertainty_pct"] == pytest.approx(u_ef)
        assert row["uncertainty_pct"] == pytest.approx(eq_3_1(u_ad, u_ef))  # Eq. 3.1


def test_error_propagation_of_a_default_energy_inventory_total():
    out = error_propagation(energy_inventory())
    # total: 5,610,000 + 2,800 + 2,650 + 3,705,000 + 4,200 + 7,950 + 1,892,000 + 168,000
    #   + 7,950 = 11,400,550 kg CO2e
    total = sum(r[2] for r in ROWS)
    assert total == pytest.approx(11_400_550)
    # each row has its own factor record, so the rows are independent: Eq. 3.2 over the
    # rows' Eq. 3.1 uncertainties, e.g. sqrt((5,610,000 x 4.4021)^2 + ...
    #   + (168,000 x 200.56)^2 + ...) / 11,400,550 = 6.685 %
    expected = eq_3_2([(r[2], eq_3_1(r[3], r[4])) for r in ROWS])
    assert expected == pytest.approx(6.6848, abs=1e-3)
    assert out["co2e_kg"].iloc[0] == pytest.approx(total)
    assert out["uncertainty_pct"].iloc[0] == pytest.approx(expected)
    # the split into activity and factor parts, each by Eq. 3.2
    assert out["activity_uncertainty_pct"].iloc[0] == pytest.approx(
        eq_3_2([(r[2], r[3]) for r in ROWS]))
    assert out["factor_uncertainty_pct"].iloc[0] == pytest.approx(
        eq_3_2([(r[2], r[4]) for r in ROWS]))


def test_the_result_says_which_ranges_are_defaults():
    inv = energy_inventory()
    used = error_propagation(inv).attrs["defaults_used"]
    assert used["factor_ranges_from_caller"] == ()
    assert set(used["factor_ranges_from_records"]) == FACTOR_IDS
    assert used["activity_rows_by_origin"] == ("row: 0", "caller: 0", "default: 3")
    assert all("Table 2.15" in d for d in used["activity_defaults"])
    sources = uncertainty_sources(inv)
    factors = sources[sources["input"] == "factor"]
    assert set(factors["factor_id"]) == FACTOR_IDS
    assert set(factors["origin"]) == {"record"}
    # these nine ranges are printed in the tables and confirmed by a second copy
    assert set(factors["verification"]) == {"two_sources"}


def test_monte_carlo_of_a_default_energy_inventory_runs_without_user_ranges():
    inv = energy_inventory()
    mc = monte_carlo(inv, iterations=20_000, seed=18)
    assert mc["co2e_kg"].iloc[0] == pytest.approx(11_400_550)
    # lognormal draws of the same ranges: the mean stays close to the estimate and the
    # 95 % interval is of the size Approach 1 gives (6.7 %), a few percent each way
    assert mc["mean_kg"].iloc[0] == pytest.approx(11_400_550, rel=0.01)
    assert 3 < mc["uncertainty_low_pct"].iloc[0] < 10
    assert 3 < mc["uncertainty_high_pct"].iloc[0] < 10
    used = mc.attrs["defaults_used"]
    assert used["factor_ranges_from_caller"] == ()
    assert set(used["factor_ranges_from_records"]) == FACTOR_IDS


def test_road_diesel_from_tables_3_2_1_and_3_2_2():
    # 10 TJ of diesel on the road (1.A.3.b); activity: Ch 3 section 3.2.2 (the shipped
    # default row), fuel statistics about +/-5 %.
    # CO2 Table 3.2.1: 74,100 (72,600-74,800) -> 741,000 kg, 2.0243 %
    # CH4 Table 3.2.2: 3.9 (1.6-9.5) -> 39 kg x 28 = 1,092; 5.6 / 3.9 = 143.59 %
    # N2O Table 3.2.2: 3.9 (1.3-12) -> 39 kg x 265 = 10,335; 8.1 / 3.9 = 207.69 %
    inv = ghg.compute(activity_frame([{"category": "1.A.3.b", "activity": "gas_diesel_oil",
                                       "amount": 10, "unit": "TJ"}]), gwp="AR5")
    got = error_propagation(inv, "gas").set_index("gas")
    expected = {"CO2": (741_000, half_width(74_100, 72_600, 74_800)),
                "CH4": (39 * CH4, half_width(3.9, 1.6, 9.5)),
                "N2O": (39 * N2O, half_width(3.9, 1.3, 12))}
    for gas, (co2e, u_ef) in expected.items():
        assert got.loc[gas, "co2e_kg"] == pytest.approx(co2e)
        assert got.loc[gas, "factor_uncertainty_pct"] == pytest.approx(u_ef)
        assert got.loc[gas, "uncertainty_pct"] == pytest.approx(eq_3_1(5, u_ef))
    assert got.loc["CH4", "factor_uncertainty_pct"] == pytest.approx(143.5897, abs=1e-4)


def test_a_record_whose_table_prints_no_range_is_still_refused():
    # Table 3.2.2 prints 'na' for the LPG ranges (note g: 'Uncertainty ranges have not been
    # provided'): nothing is assumed, the error names the records
    inv = ghg.compute(activity_frame([{"category": "1.A.3.b",
                                       "activity": "liquefied_petroleum_gases",
                                       "amount": 10, "unit": "TJ"}]))
    with pytest.raises(ghg.GHGInventoryError, match="no uncertainty range") as caught:
        error_propagation(inv)
    assert "ipcc2006.v2.t3_2_2.ef.ch4.liquefied_petroleum_gases" in str(caught.value)
    assert "ipcc2006.v2.t3_2_2.ef.n2o.liquefied_petroleum_gases" in str(caught.value)
