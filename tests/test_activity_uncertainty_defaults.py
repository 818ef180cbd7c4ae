"""Default activity-data uncertainties (issue 18 item 1): used where a row has none and the
caller gave none, reported as defaults; factor ranges from the records, reported as such;
records without a printed range still named, nothing assumed certain.

The shipped table (``emission_factors/ipcc2006_activity_uncertainty.csv``) holds only values
found printed; the mechanism is tested with a table written here (``TEST_TABLE``), whose
numbers are test inputs, not IPCC defaults.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.analysis.uncertainty import (
    error_propagation,
    monte_carlo,
    read_activity_defaults,
    shipped_activity_defaults,
    uncertainty_sources,
)

HEADER = ("category,activity,data,uncertainty_pct,lower_pct,upper_pct,guidelines,source,"
          "reference,notes,verification\n")
TEST_TABLE = HEADER + (
    "# test values, not the Guidelines'\n"
    "1.A,,fuel statistics,4,,,2006,test,test table,,two_sources\n"
    "1.A.2,natural_gas,fuel statistics of industry,5,,,2006,test,test row,,single_source\n"
    "2.F.1,,refrigerant bank,10,,,2006,test,test bank,,single_source\n"
)


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "activity_uncertainty.csv"
    path.write_text(TEST_TABLE, encoding="utf-8")
    return path


def natural_gas(**extra: object) -> ghg.Inventory:
    # 100 TJ of natural gas in a factory (1.A.2.e): CO2 100 x 56,100 = 5,610,000 kg
    # (IPCC 2006 Vol 2 Table 1.4, 95 % range 54,300-58,300 kg/TJ)
    return ghg.compute(activity_frame([{"category": "1.A.2.e", "activity": "natural_gas",
                                        "amount": 100, "unit": "TJ", **extra}]))


#: for any CH4/N2O record shipped without a range (the cases below are about the CO2 row)
GAS_DEFAULTS = {"gas:CH4": 100, "gas:N2O": 100}


def test_hand_worked_error_propagation_with_a_default_activity_uncertainty(table):
    inv = natural_gas()
    out = error_propagation(inv, "gas", activity_defaults=table,
                            factor_uncertainty=GAS_DEFAULTS).set_index("gas")
    # activity: the most specific row for 1.A.2.e and natural_gas is the 1.A.2 one, 5 %
    # factor: Table 1.4 range 54,300-58,300 around 56,100: -3.21 % / +3.92 %; Approach 1
    # takes the larger half-width, 2,200 / 56,100 = 3.9216 %
    # Eq. 3.1: sqrt(5^2 + 3.9216^2) = 6.3545 %
    u_f = 100 * (58_300 - 56_100) / 56_100
    assert out.loc["CO2", "co2e_kg"] == pytest.approx(5_610_000)
    assert out.loc["CO2", "activity_uncertainty_pct"] == pytest.approx(5)
    assert out.loc["CO2", "factor_uncertainty_pct"] == pytest.approx(u_f)
    assert out.loc["CO2", "uncertainty_pct"] == pytest.approx(math.sqrt(25 + u_f**2))
    used = out.attrs["defaults_used"]
    assert "ipcc2006.v2.t1_4.ef.co2.natural_gas" in used["factor_ranges_from_records"]
    [default] = used["activity_defaults"]
    assert default.startswith("1.A.2 natural_gas: 5 %") and "line 4" in default
    assert used["activity_rows_by_origin"] == ("row: 0", "caller: 0", "default: 1")


def test_the_rows_and_the_callers_values_beat_the_defaults(table):
    # the row's own 2 % wins; then the caller's {"1": 3}; the default only where neither
    own = error_propagation(natural_gas(activity_uncertainty=2), "gas", activity_defaults=table,
                            factor_uncertainty=GAS_DEFAULTS).set_index("gas")
    assert own.loc["CO2", "activity_uncertainty_pct"] == pytest.approx(2)
    caller = error_propagation(natural_gas(), "gas", activity_defaults=table,
                               activity_uncertainty={"1": 3},
                               factor_uncertainty=GAS_DEFAULTS).set_index("gas")
    assert caller.loc["CO2", "activity_uncertainty_pct"] == pytest.approx(3)
    assert caller.attrs["defaults_used"]["activity_defaults"] == ()
    # another fuel of 1.A.2 takes the 1.A row (4 %): the natural-gas row is for that fuel only
    lpg = ghg.compute(activity_frame([{"category": "1.A.2.e",
                                       "activity": "liquefied_petroleum_gases",
                                       "amount": 1, "unit": "TJ"}]))
    sources = uncertainty_sources(lpg, activity_defaults=table,
                                  factor_uncertainty=GAS_DEFAULTS)
    row = sources[sources["input"] == "activity"].iloc[0]
    assert row["low_pct"] == pytest.approx(4) and row["origin"] == "default"
    assert row["reference"] == "test table" and row["verification"] == "two_sources"


def test_without_a_default_the_error_names_what_is_missing(table):
    # no default, no row value, no caller value: an error naming the categories
    with pytest.raises(ghg.GHGInventoryError, match=r"activity-data uncertainty.*1\.A\.2\.e"):
        error_propagation(natural_gas(), activity_defaults=False,
                          factor_uncertainty=GAS_DEFAULTS)
    # a default for the activity data does not make a factor without a range certain: a
    # facility's own CO2 factor given without lower/upper is named
    own = pd.DataFrame([{"factor_id": "f1.co2", "parameter": "ef", "category": "1.A.2",
                         "activity": "natural_gas", "gas": "CO2", "value": 55_000.0,
                         "unit": "kg/TJ", "tier": 3, "guidelines": "2006", "fossil": True,
                         "source": "test", "reference": "test", "facility_id": "F1"}])
    inv = ghg.compute(activity_frame([{"category": "1.A.2.e", "activity": "natural_gas",
                                       "amount": 100, "unit": "TJ"}]), factors=own)
    with pytest.raises(ghg.GHGInventoryError, match="no uncertainty range") as caught:
        error_propagation(inv, activity_defaults=table, factor_uncertainty=GAS_DEFAULTS)
    assert "f1.co2" in str(caught.value)


def test_monte_carlo_with_no_user_ranges(table):
    # chillers, 1,000 kg of HFC-134a in the bank: operation emission factor 15 %/year, the
    # upper end of IPCC 2006 Vol 3 Table 7.9's range 2-15 (its record's value, lower and
    # upper); activity 10 % from the defaults table: nothing given by the caller
    inv = ghg.compute(activity_frame([{"category": "2.F.1", "activity": "chillers",
                                       "amount": 1000, "unit": "kg",
                                       "refrigerant": "HFC-134a"}]))
    assert inv.results["emissions_kg"].sum() == pytest.approx(1000 * 0.15)
    mc = monte_carlo(inv, iterations=20_000, seed=3, activity_defaults=table)
    used = mc.attrs["defaults_used"]
    assert used["factor_ranges_from_caller"] == ()
    assert used["factor_ranges_from_records"] == ("ipcc2006.v3.t7_9.operation_ef.chillers",)
    assert used["activity_defaults"][0].startswith("2.F.1 (any activity): 10 %")
    # the range 2-15 around 15 is -86.7 % / +0 %: drawn below the value (lognormal of
    # mean 1 by default), the 95 % interval lies around the estimate
    assert mc["p2_5_kg"].iloc[0] < mc["co2e_kg"].iloc[0]
    a1 = error_propagation(inv, activity_defaults=table)
    # Approach 1 takes the larger half-width, 13 / 15 = 86.67 %: sqrt(10^2 + 86.67^2)
    assert a1["uncertainty_pct"].iloc[0] == pytest.approx(math.hypot(10, 1300 / 15))


def test_defaults_table_is_checked_line_by_line(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "9.Z,,x,-3,,,2005,,,,user\n", encoding="utf-8")
    with pytest.raises(ghg.FactorTableError) as caught:
        read_activity_defaults(bad)
    text = str(caught.value)
    for column in ("category", "uncertainty_pct", "guidelines", "source", "verification"):
        assert f"line 2: {column}" in text


def test_the_shipped_table_reads_and_is_no_factor_table():
    shipped = shipped_activity_defaults()
    assert set(shipped["verification"]) <= {"two_sources", "single_source"}
    assert set(shipped["guidelines"]) <= {"2006", "2019"}
    tables = {Path(str(t)).name for t in ghg.FactorDB.default().table["table"]}
    assert "ipcc2006_activity_uncertainty.csv" not in tables
    # every shipped default names its source and reference
    assert (shipped["source"] != "").all() and (shipped["reference"] != "").all()
    frame = pd.read_csv(Path(ghg.__file__).parent / "emission_factors"
                        / "ipcc2006_activity_uncertainty.csv", comment="#")
    assert "factor_id" not in frame.columns


# --- the shipped defaults (IPCC 2006, read in the printed chapters) -------------------------

def every_factor(inv: ghg.Inventory, pct: float) -> dict[str, float]:
    """A caller's range for every factor record of the inventory (to test activity data
    alone, whatever ranges the records carry)."""
    ids = set(inv.results["factor_id"].dropna().astype(str))
    for aux in inv.results["auxiliary_factor_ids"].dropna().astype(str):
        ids |= {p for p in aux.split(";") if p}
    return dict.fromkeys(ids, pct)


def activity_pct(inv: ghg.Inventory, **options) -> dict[tuple[str, str], float]:
    sources = uncertainty_sources(inv, factor_uncertainty=every_factor(inv, 10), **options)
    rows = sources[sources["input"] == "activity"]
    return {(c, a): p for c, a, p in zip(rows["category"], rows["activity"], rows["low_pct"],
                                         strict=True)}


def test_natural_gas_in_industry_eq_3_1_from_the_printed_defaults():
    # activity: IPCC 2006 Vol 2 Table 2.15, industrial combustion (others), less developed
    # statistical systems, surveys: printed "10-15%" -> 15 % (the default row, upper end)
    # factor: Table 1.4 natural gas CO2 56,100 kg/TJ (54,300-58,300): larger half-width
    # 2,200 / 56,100 = 3.9216 %; Eq. 3.1: sqrt(15^2 + 3.9216^2) = 15.504 %
    out = error_propagation(natural_gas(), "gas", factor_uncertainty=GAS_DEFAULTS)
    co2 = out.set_index("gas").loc["CO2"]
    u_f = 100 * 2_200 / 56_100
    assert co2["activity_uncertainty_pct"] == pytest.approx(15)
    assert co2["uncertainty_pct"] == pytest.approx(math.sqrt(15**2 + u_f**2))
    [used] = out.attrs["defaults_used"]["activity_defaults"]
    assert "[less_developed.surveys]: 15 %" in used and "Table 2.15" in used
    # the other columns of Table 2.15, chosen by the caller: well developed / surveys "3-5%"
    # -> 5; energy-intensive industries, well developed / surveys "2-3%" -> 3
    well = error_propagation(natural_gas(), "gas", factor_uncertainty=GAS_DEFAULTS,
                             activity_condition="well_developed.surveys").set_index("gas")
    assert well.loc["CO2", "uncertainty_pct"] == pytest.approx(math.sqrt(5**2 + u_f**2))
    heavy = error_propagation(natural_gas(), "gas", factor_uncertainty=GAS_DEFAULTS,
                              activity_condition={"1.A.2": "energy_intensive."
                                                  "well_developed.surveys"}).set_index("gas")
    assert heavy.loc["CO2", "activity_uncertainty_pct"] == pytest.approx(3)


def test_table_2_15_by_sector_and_fuel():
    rows = [{"category": "1.A.1.a", "activity": "natural_gas", "amount": 1, "unit": "TJ"},
            {"category": "1.A.4.b", "activity": "liquefied_petroleum_gases", "amount": 1,
             "unit": "TJ"},
            {"category": "1.A.4.b", "activity": "wood_wood_waste", "amount": 1, "unit": "TJ"}]
    got = activity_pct(ghg.compute(activity_frame(rows)))
    # main activity electricity and heat production, less developed / surveys "1-2%" -> 2;
    # residential "10-15%" -> 15; biomass in small sources "30-60%" -> 60
    assert got == {("1.A.1.a", "natural_gas"): 2, ("1.A.4.b", "liquefied_petroleum_gases"): 15,
                   ("1.A.4.b", "wood_wood_waste"): 60}


def test_off_road_machinery_takes_no_stationary_default():
    # Table 2.15 is for stationary combustion; off-road machinery reported under an industry
    # (source_type off_road) has no printed default ('factor of 2 ... possible', Vol 2 3.3.2.1)
    inv = ghg.compute(activity_frame([{"category": "1.A.2.k", "activity": "gas_diesel_oil",
                                       "amount": 1, "unit": "TJ", "source_type": "off_road",
                                       "engine": "diesel"}]))
    with pytest.raises(ghg.GHGInventoryError, match=r"activity-data uncertainty.*1\.A\.2\.k"):
        uncertainty_sources(inv, factor_uncertainty=every_factor(inv, 10))


def test_mobile_livestock_waste_and_wastewater_defaults():
    rows = [{"category": "1.A.3.b", "activity": "gas_diesel_oil", "amount": 1, "unit": "TJ"},
            {"category": "3.A.1", "activity": "buffalo", "amount": 10, "unit": "head",
             "region": "asia"},
            {"category": "4.D.1", "activity": "domestic_wastewater", "amount": 1000,
             "unit": "person", "protein": 25, "i_factor": 1.0,
             "treatment_pathway": "septic_system"}]
    inv = ghg.compute(activity_frame(rows))
    got = activity_pct(inv)
    # road: "typically be about +/-5 percent" (Vol 2 p. 3.30); livestock population "within
    # +20%" (Vol 4 p. 10.23); population ±10 % (Vol 5 Table 6.11, the larger of 6.7's ±5 %)
    assert got == {("1.A.3.b", "gas_diesel_oil"): 5, ("3.A.1", "buffalo"): 20,
                   ("4.D.1", "domestic_wastewater"): 10}
    ch4_table = activity_pct(inv, activity_condition={"4.D.1": "table_6_7"})
    assert ch4_table[("4.D.1", "domestic_wastewater")] == 5


def test_manure_methane_approach_1_from_the_printed_defaults():
    # 100 other cattle, solid storage, Asia, 25 degC: CH4 100 kg (Table 10.14: 1 kg/head,
    # printed range 0.7-1.3, i.e. +/-30 %); livestock population +/-20 % (Vol 4 p. 10.23)
    # Eq. 3.1 for the CH4: sqrt(20^2 + 30^2) = 36.056 %. The CH4's factor chain is its own
    # (GasResult.auxiliary): Tier 1 names nothing beside its factor, so the N excretion and
    # Frac_GasMS ranges of the N2O do not enter it, and the caller gives no range at all.
    inv = ghg.compute(activity_frame([{"category": "3.A.2", "activity": "other_cattle",
                                       "amount": 100, "unit": "head", "region": "asia",
                                       "manure_system": "solid_storage", "temperature": 25}]))
    ch4 = "ipcc2006.v4.t10_14.ef.other_cattle.asia_25c"
    rows = inv.emissions[(inv.emissions["gas"] == "CH4").to_numpy()]
    assert list(rows["factor_id"].astype(str)) == [ch4]
    assert list(rows["auxiliary_factor_ids"].astype(str)) == [""]
    a1 = error_propagation(inv, ["category", "gas"])
    a1 = a1.set_index(["category", "gas"])
    assert a1.loc[("3.A.2", "CH4"), "co2e_kg"] == pytest.approx(100 * 28)
    assert a1.loc[("3.A.2", "CH4"), "factor_uncertainty_pct"] == pytest.approx(30)
    assert a1.loc[("3.A.2", "CH4"), "uncertainty_pct"] == pytest.approx(math.hypot(20, 30))
    assert ch4 in a1.attrs["defaults_used"]["factor_ranges_from_records"]
    assert a1.attrs["defaults_used"]["factor_ranges_from_caller"] == ()


def test_monte_carlo_of_a_landfill_with_no_user_ranges():
    # food waste deposited at a managed site (4.A): every factor of the first-order decay
    # (DOC, DOCf, MCF, F, k of Tables 2.4, 3.1-3.4) carries its printed range, the deposit
    # takes Table 3.5's +/-30 %: nothing comes from the caller
    site = {"facility_id": "LF-1", "category": "4.A", "unit": "t",
            "site_type": "managed_anaerobic", "climate_zone": "tropical_wet"}
    inv = ghg.compute(activity_frame([{**site, "year": 2020, "activity": "food",
                                       "amount": 1000, "until": 2022}]))
    mc = monte_carlo(inv, "year", iterations=4_000, seed=11)
    used = mc.attrs["defaults_used"]
    assert used["factor_ranges_from_caller"] == ()
    assert used["activity_defaults"][0].startswith("4.A (any activity) [disposal_data]: 30 %")
    assert (mc["p2_5_kg"] < mc["co2e_kg"]).all() and (mc["co2e_kg"] < mc["p97_5_kg"]).all()
    a1 = error_propagation(inv, "year")
    assert a1.attrs["defaults_used"]["factor_ranges_from_caller"] == ()
    assert a1["activity_uncertainty_pct"].tolist() == pytest.approx([30] * len(a1))


def test_nothing_in_scope_gives_an_empty_table():
    # R-22 is an ozone-depleting substance: its rows are 'ods', none direct
    inv = ghg.compute(activity_frame([{"category": "2.F.1",
                                       "activity": "residential_commercial_ac",
                                       "amount": 100, "unit": "kg", "refrigerant": "R-22"}]))
    assert monte_carlo(inv, iterations=10, seed=1).empty
    assert error_propagation(inv).empty


def test_landfill_deposits_take_table_3_5():
    # deposits at a managed site: Table 3.5, fraction of MSW sent to SWDS, "±30% for
    # countries collecting data on disposal at SWDS" (default); "±10% ... weighing at all
    # SWDS" when the caller says the deposits are weighed
    site = {"facility_id": "LF-1", "category": "4.A", "unit": "t",
            "site_type": "managed_anaerobic", "climate_zone": "tropical_wet"}
    inv = ghg.compute(activity_frame([{**site, "year": 2020, "activity": "food",
                                       "amount": 1000, "until": 2022}]))
    assert activity_pct(inv) == {("4.A", "food"): 30}
    assert activity_pct(inv, activity_condition="weighing") == {("4.A", "food"): 10}


def test_uncertainty_command_reports_and_chooses_the_defaults(tmp_path: Path):
    from typer.testing import CliRunner

    from ghg_inventory.cli import app

    path = tmp_path / "gas.csv"
    path.write_text("facility_id,year,category,activity,amount,unit\n"
                    "F1,2024,1.A.2.e,natural_gas,100,TJ\n", encoding="utf-8")
    args = ["uncertainty", str(path), "--by", "gas", "--factor-uncertainty",
            "gas:CH4=100,gas:N2O=100"]
    runner = CliRunner()
    result = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "[less_developed.surveys]: 15 %" in result.output and "Table 2.15" in result.output
    result = runner.invoke(app, [*args, "--activity-condition", "1.A=well_developed.surveys"],
                           env={"COLUMNS": "250"})
    assert "[well_developed.surveys]: 5 %" in result.output
    result = runner.invoke(app, [*args, "--no-activity-defaults"])
    assert result.exit_code == 2 and "activity-data uncertainty" in result.output


def test_a_facilitys_reported_fuel_takes_the_large_source_condition():
    # Vol 2 Section 2.4.2 (p. 2.40): "Statistics of fuel combusted at large sources obtained
    # from direct measurement or obligatory reporting are likely to be within 3 percent"
    # -> 3 % for any stationary 1.A row when the caller says so; the more specific Table
    # 2.15 rows stay the default
    inv = natural_gas()
    assert activity_pct(inv) == {("1.A.2.e", "natural_gas"): 15}
    assert activity_pct(inv, activity_condition={"1.A": "large_source_reported"}) == {
        ("1.A.2.e", "natural_gas"): 3}


def test_two_defaults_for_the_same_data_are_refused(tmp_path: Path):
    path = tmp_path / "twice.csv"
    path.write_text("category,condition,default,uncertainty_pct,guidelines,source,reference,"
                    "verification\n"
                    "3.A,a,true,20,2006,s,r,single_source\n"
                    "3.A,b,true,30,2006,s,r,single_source\n", encoding="utf-8")
    with pytest.raises(ghg.FactorTableError, match="line 3: default"):
        read_activity_defaults(path)
