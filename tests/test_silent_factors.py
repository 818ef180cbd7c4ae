"""Issue 23, items 3, 4, 8 and 9: numbers that used to come out wrong without a word.

Each test worked by hand from the printed IPCC value:
- IPCC 2006 Vol 2 Ch 1 Table 1.2: NCV wood/wood waste 15.6 TJ/Gg; natural gas 48.0 TJ/Gg.
- IPCC 2006 Vol 2 Ch 2 Table 2.3 (manufacturing industries): wood CH4 30 kg/TJ, N2O 4 kg/TJ.
- IPCC 2006 Vol 3 Ch 2 Eq. 2.1 (Tier 1 cement) and Eq. 2.4: EF_clc = 0.51 x 1.02 = 0.52 t CO2
  per t clinker.
- GWP-100: AR5 CH4 28, N2O 265; AR6 non-fossil CH4 27.0.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import ghg_inventory as ghg
from conftest import activity_frame, by_gas
from ghg_inventory.cli import app
from ghg_inventory.units import parse_unit

runner = CliRunner(env={"COLUMNS": "250"})

WOOD = {"category": "1.A.2.e", "activity": "wood_wood_waste", "amount": 1000, "unit": "t"}


def record(**fields) -> dict:
    """One override record, Tier 2, for Viet Nam (beats the IPCC default)."""
    base = {"factor_id": "vn.test", "parameter": "ef", "category": "1.A.2",
            "activity": "wood_wood_waste", "gas": "CO2", "value": 112_000.0, "unit": "kg/TJ",
            "tier": 2, "region": "Viet Nam", "guidelines": "2006", "country": "VN",
            "source": "test: the plant's laboratory report", "reference": "test"}
    return {**base, **fields}


def write(tmp_path: Path, *records: dict, name: str = "overrides.csv") -> Path:
    path = tmp_path / name
    pd.DataFrame(list(records)).to_csv(path, index=False)
    return path


# --- item 3: biogenic CO2 follows the fuel --------------------------------------------------

def test_wood_co2_override_without_fossil_stays_a_biogenic_memo(tmp_path: Path):
    # The override has no 'fossil' column at all (the user did not think of it).
    # 1,000 t wood = 1 Gg x 15.6 TJ/Gg (Vol 2 Table 1.2) = 15.6 TJ
    # CO2 15.6 TJ x 112,000 kg/TJ = 1,747,200 kg -> memo item only (biomass)
    # CH4 15.6 x 30 = 468 kg, N2O 15.6 x 4 = 62.4 kg (Table 2.3) -> in the total:
    # AR5 468 x 28 + 62.4 x 265 = 13,104 + 16,536 = 29,640 kg CO2e
    path = write(tmp_path, record(factor_id="vn.wood.co2"))
    assert "fossil" not in pd.read_csv(path).columns
    inv = ghg.compute(activity_frame([WOOD]), factors=path)
    co2 = inv.emissions[inv.emissions.gas == "CO2"]
    assert list(co2["factor_id"]) == ["vn.wood.co2"]
    assert co2["emissions_kg"].sum() == pytest.approx(1_747_200)
    assert co2["biogenic"].all() and not co2["fossil"].any()
    assert inv.biogenic_co2().to("kg * CO2").m == pytest.approx(1_747_200)
    assert inv.total().to("kg * CO2e").m == pytest.approx(29_640)


def test_wood_ch4_override_without_fossil_is_non_fossil_methane_under_ar6(tmp_path: Path):
    # CH4 override 30 kg/TJ without 'fossil': 15.6 TJ x 30 = 468 kg CH4 of biomass carbon,
    # AR6 non-fossil GWP 27.0 -> 468 x 27.0 = 12,636 kg CO2e (fossil 29.8 would give 13,946.4)
    path = write(tmp_path, record(factor_id="vn.wood.ch4", gas="CH4", value=30.0))
    inv = ghg.compute(activity_frame([WOOD]), factors=path, gwp="AR6")
    ch4 = inv.emissions[inv.emissions.gas == "CH4"]
    assert list(ch4["factor_id"]) == ["vn.wood.ch4"]
    assert not ch4["fossil"].any()
    assert ch4["co2e_kg"].sum() == pytest.approx(12_636)


def test_an_enteric_override_without_fossil_is_biological_methane(tmp_path: Path):
    # A national buffalo EF of 60 kg CH4/head/yr (Tier 2 record, no 'fossil' written):
    # 100 head x 60 = 6,000 kg CH4; enteric methane is biological, so AR6's non-fossil
    # GWP 27.0 applies: 6,000 x 27.0 = 162,000 kg CO2e (fossil 29.8 would give 178,800).
    # Before, the record was refused for want of a flag nobody needs to write.
    path = write(tmp_path, record(factor_id="vn.buffalo.ch4", category="3.A.1",
                                  activity="buffalo", gas="CH4", value=60.0,
                                  unit="kg/head/year"))
    inv = ghg.compute(activity_frame([{"category": "3.A.1", "activity": "buffalo",
                                       "amount": 100, "unit": "head"}]),
                      factors=path, gwp="AR6")
    ch4 = inv.emissions[inv.emissions.gas == "CH4"]
    assert list(ch4["factor_id"]) == ["vn.buffalo.ch4"]
    assert not ch4["fossil"].any()
    assert ch4["emissions_kg"].sum() == pytest.approx(6_000)
    assert ch4["co2e_kg"].sum() == pytest.approx(162_000)


@pytest.mark.parametrize("activity, fossil, nature", [
    ("wood_wood_waste", True, "biomass"),
    ("natural_gas", False, "fossil"),
])
def test_an_override_contradicting_the_fuel_is_refused_naming_table_line_column(
        tmp_path: Path, activity: str, fossil: bool, nature: str):
    agreeing = nature == "fossil"
    path = write(tmp_path, record(factor_id="ok", activity=activity, gas="N2O", value=4.0,
                                  fossil=agreeing),
                 record(factor_id="bad", activity=activity, fossil=fossil))
    with pytest.raises(ghg.FactorTableError) as info:
        ghg.FactorDB.default().with_overrides(path)
    message = str(info.value)
    # header is line 1, the first record line 2, the contradicting one line 3
    assert str(path) in message and "line 3" in message and "fossil" in message
    assert activity in message and nature in message
    assert "line 2" not in message


def test_an_override_that_agrees_with_the_fuel_is_accepted(tmp_path: Path):
    # fossil = false said explicitly for wood: the same memo item, 1,747,200 kg (see above)
    path = write(tmp_path, record(factor_id="vn.wood.co2", fossil=False))
    inv = ghg.compute(activity_frame([WOOD]), factors=path)
    assert inv.biogenic_co2().to("kg * CO2").m == pytest.approx(1_747_200)


def test_a_grid_factor_without_fossil_is_refused_not_taken_as_fossil(tmp_path: Path):
    # purchased electricity is not a fuel of fuels.csv: whether its CO2 is fossil cannot be
    # known from the activity, so the record must say it
    path = write(tmp_path, record(factor_id="vn.grid.2030", category="indirect.electricity",
                                  activity="grid_electricity", value=0.6, unit="t/MWh",
                                  year=2030))
    row = {"category": "indirect.electricity", "activity": "grid_electricity",
           "amount": 1000, "unit": "MWh", "year": 2030}
    with pytest.raises(ghg.GHGInventoryError, match="vn.grid.2030.*fossil"):
        ghg.compute(activity_frame([row]), factors=path)


def test_cement_co2_override_without_fossil_is_fossil_carbonate_co2(tmp_path: Path):
    # carbonate carbon is mineral (fossil): (1,000 t x 0.9) x 0.52 = 468 t CO2, in the total
    path = write(tmp_path, record(factor_id="vn.cement", category="2.A.1", activity="cement",
                                  value=0.52, unit="t/t"))
    row = {"category": "2.A.1", "activity": "cement", "amount": 1000, "unit": "t",
           "clinker_fraction": 0.9}
    inv = ghg.compute(activity_frame([row]), factors=path)
    assert not inv.emissions["biogenic"].any()
    assert inv.total().to("kg * CO2e").m == pytest.approx(468_000)


# --- item 4: cement Tier 1, clinker exported --------------------------------------------------

@pytest.mark.parametrize("fraction", [0.9, None])
def test_clinker_exported_without_cement_produced_counts(fraction):
    # Eq. 2.1: (0 t cement x C_cl - 0 imported + 1,000 t exported) x 0.52 (Eq. 2.4)
    # = 1,000 x 0.52 = 520 t CO2 = 520,000 kg; with 0 t cement the clinker fraction does
    # not enter the product, so it is not required
    expected = (0 - 0 + 1000) * 0.52 * 1000
    row = {"category": "2.A.1", "activity": "cement", "amount": 0, "unit": "t",
           "clinker_exports": 1000}
    if fraction is not None:
        row["clinker_fraction"] = fraction
    inv = ghg.compute(activity_frame([row]))
    assert by_gas(inv)["CO2"] == pytest.approx(expected)
    assert expected == pytest.approx(520_000)


def test_clinker_imports_exceeding_the_clinker_in_cement_name_the_row():
    # row 1: (200 x 0.5 - 150 + 0) = -50 t clinker: refused, never -26 t CO2 nor 0
    rows = [{"category": "2.A.1", "activity": "cement", "amount": 1000, "unit": "t",
             "clinker_fraction": 0.9},
            {"category": "2.A.1", "activity": "cement", "amount": 200, "unit": "t",
             "clinker_fraction": 0.5, "clinker_imports": 150}]
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame(rows))
    (problem,) = info.value.problems
    assert problem.row == 1 and problem.column == "clinker_imports"
    assert "imports exceed" in problem.message


# --- item 8: reciprocal units ----------------------------------------------------------------

def test_a_reciprocal_emission_factor_override_is_refused_at_load(tmp_path: Path):
    # 1/56,100 TJ per kg CO2 written where kg CO2/TJ is meant
    path = write(tmp_path, record(factor_id="vn.gas.co2", activity="natural_gas",
                                  value=1 / 56_100, unit="TJ/kg", fossil=True))
    with pytest.raises(ghg.FactorTableError) as info:
        ghg.FactorDB.default().with_overrides(path)
    message = str(info.value)
    assert str(path) in message and "line 2" in message and "unit" in message
    assert "TJ/kg" in message and "reciprocal" in message and "kg/TJ" in message


def test_the_cli_refuses_a_reciprocal_override_with_exit_2(tmp_path: Path):
    path = write(tmp_path, record(factor_id="vn.gas.co2", activity="natural_gas",
                                  value=1 / 56_100, unit="TJ/kg", fossil=True))
    activities = tmp_path / "a.csv"
    activity_frame([{"category": "1.A.2", "activity": "natural_gas", "amount": 500,
                     "unit": "t"}]).to_csv(activities, index=False)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["compute", str(activities), "--out", str(out),
                                 "--factors", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "reciprocal" in result.output
    assert not out.exists()


def test_a_reciprocal_record_is_refused_at_lookup_where_load_could_not_tell(tmp_path: Path):
    # a database with no shipped NCV to learn the expected unit from: the lookup (which
    # knows it wants TJ/Gg) refuses, naming the record, its table and both units
    path = write(tmp_path, record(factor_id="vn.gas.ncv", parameter="ncv",
                                  activity="natural_gas", gas=None, value=1 / 48.0,
                                  unit="Gg/TJ"), name="ncv_table.csv")
    db = ghg.FactorDB.load([path])
    keys = pd.DataFrame({"category": ["1.A.2"], "activity": ["natural_gas"],
                         "country": ["VN"]})
    with pytest.raises(ghg.FactorTableError) as info:
        db.lookup(keys, "ncv", "TJ/Gg")
    message = str(info.value)
    assert "vn.gas.ncv" in message and "ncv_table" in message
    assert "Gg/TJ" in message and "TJ/Gg" in message


def test_an_incompatible_unit_is_a_package_error_not_a_pint_error(tmp_path: Path):
    path = write(tmp_path, record(factor_id="vn.gas.ncv", parameter="ncv",
                                  activity="natural_gas", gas=None, value=48.0, unit="TJ"),
                 name="ncv_table.csv")
    keys = pd.DataFrame({"category": ["1.A.2"], "activity": ["natural_gas"],
                         "country": ["VN"]})
    with pytest.raises(ghg.FactorTableError) as info:
        ghg.FactorDB.load([path]).lookup(keys, "ncv", "TJ/Gg")
    message = str(info.value)
    assert "vn.gas.ncv" in message and "ncv_table" in message and "'TJ'" in message


def test_density_may_be_given_either_way_round(tmp_path: Path):
    # density is declared as customarily printed both ways (litres per tonne or kg/m3):
    # 1.25 m3/t = 1 / 1.25 t/m3 = 800 kg/m3; 10 m3 diesel -> 8,000 kg = 0.008 Gg
    # x NCV 43.0 TJ/Gg (Table 1.2) = 0.344 TJ x 74,100 kg CO2/TJ (Table 1.4) = 25,490.4 kg
    path = write(tmp_path, record(factor_id="vn.diesel.density", parameter="density",
                                  category="1.A", activity="gas_diesel_oil", gas=None,
                                  value=1.25, unit="m**3/t"))
    inv = ghg.compute(activity_frame([{"category": "1.A.2", "activity": "gas_diesel_oil",
                                       "amount": 10, "unit": "m3"}]), factors=path)
    assert by_gas(inv)["CO2"] == pytest.approx(0.008 * 43.0 * 74_100)


# --- item 9: 'MT' -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["MT", "mt", "mT", "MTs", "mts", "M.T.", "m.t.", " MT "])
def test_mt_is_refused_as_ambiguous_naming_both_readings(text: str):
    parsed = parse_unit(text)
    assert parsed.unit is None and parsed.error is not None
    assert "ambiguous" in parsed.error
    assert "metric tonne" in parsed.error and "megatonne" in parsed.error
    assert "'t'" in parsed.error and "'Mt'" in parsed.error


@pytest.mark.parametrize("text, kg", [("Mt", 1e9), ("t", 1e3), ("kt", 1e6)])
def test_mt_and_t_keep_their_meaning(text: str, kg: float):
    # Mt = 10^6 t = 10^9 kg; t = 10^3 kg; kt = 10^6 kg
    parsed = parse_unit(text)
    assert parsed.error is None and parsed.kind == "mass"
    assert parsed.to_canonical == pytest.approx(kg)


def test_an_activity_row_in_mt_is_a_problem_in_the_unit_column(tmp_path: Path):
    path = tmp_path / "trade.csv"
    activity_frame([{"category": "1.A.2", "activity": "anthracite", "amount": 5, "unit": "t"},
                    {"category": "1.A.2", "activity": "anthracite", "amount": 5,
                     "unit": "MT"}]).to_csv(path, index=False)
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(path)
    (problem,) = info.value.problems
    # CSV rows are numbered as a spreadsheet shows them: header row 1, data from row 2
    assert problem.file.endswith("trade.csv") and problem.row == 3
    assert problem.column == "unit" and "ambiguous" in problem.message


def test_a_factor_record_in_mt_is_refused(tmp_path: Path):
    # pint alone reads 'mt' as millitonne (1 kg): a record 't/mt' would be 1,000 x off
    path = write(tmp_path, record(factor_id="vn.cement", category="2.A.1", activity="cement",
                                  value=0.52, unit="t/mt", fossil=True))
    with pytest.raises(ghg.FactorTableError, match="ambiguous"):
        ghg.FactorDB.default().with_overrides(path)
