"""The factor database: validation at load, every record sourced, overrides by specificity."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ghg_inventory as ghg
from conftest import activity_frame, by_gas

ROOT = Path(__file__).resolve().parents[1]


def override(**fields) -> pd.DataFrame:
    base = {"factor_id": "test.override", "parameter": "ef", "category": "1.A.2",
            "activity": "natural_gas", "gas": "CO2", "value": 55_000.0, "unit": "kg/TJ",
            "tier": 2, "region": "Viet Nam", "guidelines": "2006", "fossil": True,
            "source": "test", "reference": "test"}
    return pd.DataFrame([{**base, **fields}])


#: What every row of a shipped table must say (DESIGN.md, "Rules of the house").
ALLOWED = {"verification": {"two_sources", "single_source", "user"},
           "guidelines": {"2006", "2019"}}


def _source_problems(folder: Path) -> list[str]:
    """Rows of the CSV tables under ``folder`` without a source, or with an edition or
    verification status outside the allowed values (header line 1, comment lines skipped)."""
    problems = []
    for path in sorted(folder.rglob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            lines = [line for line in handle if not line.startswith("#")]
        reader = csv.DictReader(lines)
        rows = list(reader)
        present = [c for c in ("source", "reference") if c in (reader.fieldnames or [])]
        if not present:
            problems.append(f"{path.name}: no 'source' or 'reference' column")
            continue
        for number, row in enumerate(rows, start=2):
            if not any((row[c] or "").strip() for c in present):
                problems.append(f"{path.name}:{number}: row has no source")
            for column, allowed in ALLOWED.items():
                if column in row and (row[column] or "").strip() not in allowed:
                    problems.append(f"{path.name}:{number}: {column} {row[column]!r}")
    return problems


def test_every_shipped_record_names_its_source():
    # checked here rather than only by the team's script beside the checkout, so that a
    # clone without ../shared still runs the check (it used to skip there)
    assert _source_problems(ROOT / "emission_factors") == []
    assert _source_problems(ROOT / "src" / "ghg_inventory" / "data") == []


def test_the_source_check_finds_a_row_without_a_source(tmp_path: Path):
    (tmp_path / "t.csv").write_text(
        "# comment\nfactor_id,value,source,guidelines\na,1,IPCC,2006\nb,2,,2006\nc,3,x,2020\n",
        encoding="utf-8")
    assert _source_problems(tmp_path) == ["t.csv:3: row has no source",
                                          "t.csv:4: guidelines '2020'"]


def test_the_teams_check_script_agrees_where_it_is_beside_the_checkout():
    script = ROOT.parent / "shared" / "tools" / "check_factor_sources.py"
    if script.exists():  # the in-repo check above runs in every clone
        result = subprocess.run([sys.executable, str(script), str(ROOT / "emission_factors")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


def test_shipped_records_validate_and_have_unique_ids(db):
    assert db.table["factor_id"].is_unique
    assert (db.table["source"].str.len() > 0).all()
    ipcc = db.table[db.table["source"].str.startswith("IPCC 2006")]
    assert (ipcc["tier"] == 1).all()


def test_every_fuel_has_a_co2_factor_and_names(db):
    fuels = db.fuels()
    co2 = set(db.table.loc[(db.table.parameter == "ef") & (db.table.gas == "CO2"), "activity"])
    assert {"natural_gas", "gas_diesel_oil", "anthracite", "wood_wood_waste"} <= co2
    assert fuels["name_vi"].str.len().gt(0).all()


def test_a_bad_record_is_rejected_naming_line_and_column(tmp_path: Path):
    path = tmp_path / "mine.csv"
    table = override(unit="kg/wombat", value=1.0)
    table = pd.concat([table, override(factor_id="x2", source="")])
    table.to_csv(path, index=False)
    with pytest.raises(ghg.FactorTableError) as info:
        ghg.FactorDB.default().with_overrides(path)
    text = str(info.value)
    assert "line 2: unit" in text and "line 3: source" in text


def test_lower_above_value_is_rejected():
    with pytest.raises(ghg.FactorTableError, match="lower"):
        ghg.FactorDB.default().with_overrides(override(lower=60_000.0))


def test_duplicate_ids_are_rejected():
    with pytest.raises(ghg.FactorTableError, match="duplicate"):
        ghg.FactorDB.default().with_overrides(override(factor_id="ipcc2006.v2.t1_2.ncv.natural_gas"))


def test_country_override_beats_ipcc_default_and_is_named():
    # A Viet Nam CO2 factor of 55,000 kg/TJ for natural gas in 1.A.2 (test value):
    # 1 TJ -> 55,000 kg CO2
    frame = activity_frame([{"category": "1.A.2.e", "activity": "natural_gas", "amount": 1,
                             "unit": "TJ"}])
    inv = ghg.compute(frame, factors=override(country="VN"))
    co2 = inv.emissions[inv.emissions.gas == "CO2"].iloc[0]
    assert co2["emissions_kg"] == pytest.approx(55_000)
    assert co2["factor_id"] == "test.override" and co2["tier"] == 2


def test_facility_beats_country_beats_default():
    frame = activity_frame([
        {"facility_id": "F1", "category": "1.A.2.e", "activity": "natural_gas", "amount": 1,
         "unit": "TJ"},
        {"facility_id": "F2", "category": "1.A.2.e", "activity": "natural_gas", "amount": 1,
         "unit": "TJ"},
        {"facility_id": "F3", "category": "1.A.2.e", "activity": "natural_gas", "amount": 1,
         "unit": "TJ", "country": "LA"},
    ])
    extra = pd.concat([
        override(factor_id="vn", country="VN", value=55_000.0),
        override(factor_id="f1", facility_id="F1", value=54_000.0, tier=3),
    ])
    inv = ghg.compute(frame, factors=extra)
    co2 = inv.emissions[inv.emissions.gas == "CO2"].set_index("facility_id")
    assert co2.loc["F1", "emissions_kg"] == pytest.approx(54_000)
    assert co2.loc["F2", "emissions_kg"] == pytest.approx(55_000)
    assert co2.loc["F3", "emissions_kg"] == pytest.approx(56_100)  # IPCC Table 1.4 default
    assert co2["factor_id"].astype(str).to_dict() == {
        "F1": "f1", "F2": "vn", "F3": "ipcc2006.v2.t1_4.ef.co2.natural_gas"}


def test_facility_specific_ncv_is_tier_2():
    # the facility measured NCV 44.0 TJ/Gg for its diesel: 100 t -> 0.1 Gg x 44.0 = 4.4 TJ
    # CO2 74,100 x 4.4 = 326,040 kg
    frame = activity_frame([{"category": "1.A.2.f", "activity": "gas_diesel_oil",
                             "amount": 100, "unit": "t"}])
    ncv = override(factor_id="f1.ncv", parameter="ncv", gas=None, value=44.0, unit="TJ/Gg",
                   facility_id="F1", fossil=None, category="1.A", activity="gas_diesel_oil")
    inv = ghg.compute(frame, factors=ncv)
    assert by_gas(inv)["CO2"] == pytest.approx(326_040)
    assert inv.emissions["auxiliary_factor_ids"].astype(str).eq("f1.ncv").all()


def test_a_volume_is_accepted_once_the_user_supplies_a_sourced_density():
    # shale oil, 10 m3 at a (test) density of 900 kg/m3 -> 9 t = 0.009 Gg x 38.1 TJ/Gg
    # = 0.3429 TJ x 73,300 kg/TJ = 25,134.57 kg CO2
    frame = activity_frame([{"category": "1.A.2.a", "activity": "shale_oil", "amount": 10,
                             "unit": "m3"}])
    density = override(factor_id="d", parameter="density", gas=None, value=900.0,
                       unit="kg/m**3", fossil=None, category="1.A", activity="shale_oil")
    assert by_gas(ghg.compute(frame, factors=density))["CO2"] == pytest.approx(25_134.57)


def test_factors_listing_selects_by_activity_and_category(db):
    rows = db.select(activity="natural_gas", category="1.A.2.e")
    assert set(rows["gas"].dropna()) == {"CO2", "CH4", "N2O"}
    assert "ipcc2006.v2.t2_2.ef.ch4.natural_gas" not in set(rows["factor_id"])
