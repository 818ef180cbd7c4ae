from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "lai_chau" / "activities.csv"
runner = CliRunner(env={"COLUMNS": "250"})


@pytest.fixture(autouse=True, scope="module")
def example_computed_once_per_option_set():
    """The commands here read the whole example (~10 s to compute each time, 17 times): the
    library's ``compute`` of exactly ``[EXAMPLE]`` is kept for this module, per set of
    options (GWP, guidelines, factors, number format), as the docs' fork server does. Each
    command still parses its options, calls ``compute`` and prints or writes its result;
    ``compute`` itself is pure (the same inputs give the same inventory)."""
    from ghg_inventory import api

    real, kept = api.compute, {}

    def compute(activities, **options):  # type: ignore[no-untyped-def]
        if (not isinstance(activities, list) or activities != [EXAMPLE]
                or options.get("progress") is not None):
            return real(activities, **options)
        key = repr(sorted(options.items()))
        if key not in kept:
            kept[key] = real(activities, **options)
        return kept[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "compute", compute)
        yield


def test_compute_writes_each_format(tmp_path: Path):
    for name in ("e.csv", "e.parquet", "e.xlsx"):
        out = tmp_path / name
        result = runner.invoke(app, ["compute", str(EXAMPLE), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.exists() and (tmp_path / f"{name}.meta.json").exists()
    csv = pd.read_csv(tmp_path / "e.csv")
    parquet = pd.read_parquet(tmp_path / "e.parquet")
    xlsx = pd.read_excel(tmp_path / "e.xlsx", sheet_name="emissions")
    for table in (csv, parquet, xlsx):
        assert {"facility_id", "year", "category", "activity", "gas", "emissions_kg",
                "co2e_kg", "scope", "biogenic", "factor_id", "commune"} <= set(table.columns)
        assert table["co2e_kg"].sum() == pytest.approx(csv["co2e_kg"].sum())


def test_invalid_input_exits_2_lists_problems_and_writes_nothing(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    activity_frame([{"category": "1.A.2.f", "activity": "anthracite", "amount": -1,
                     "unit": "tonnez"}]).to_csv(bad, index=False)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["compute", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "tonnez" in result.output and "must be >= 0" in result.output
    assert not out.exists() and not list(tmp_path.glob("out.csv*"))


def test_rollup_prints_a_table_with_the_total(lai_chau_inventory):
    result = runner.invoke(app, ["rollup", str(EXAMPLE), "--by", "commune,plan_area"])
    assert result.exit_code == 0, result.output
    assert "TOTAL" in result.output and "CO2e (t)" in result.output
    total = lai_chau_inventory.total().to("t * CO2e").m  # ghg.compute(EXAMPLE), conftest.py
    assert f"{total:,.3f}" in result.output


def test_rollup_with_another_gwp_and_level(tmp_path: Path):
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["rollup", str(EXAMPLE), "--by", "category", "--level", "3",
                                 "--gwp", "AR6", "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    # level 3 cuts 1.A.2.f to 1.A.2; 4.A and 4.B have no third level
    assert set(table["category"]) == {"1.A.1", "1.A.2", "1.A.3", "1.A.4", "2.A.1", "2.A.4",
                                      "2.F.1", "3.A.1", "3.A.2", "3.C.1", "3.C.3", "3.C.4",
                                      "3.C.5", "3.C.6", "3.C.7", "4.A", "4.B", "4.C.2", "4.D.1",
                                      "4.D.2"}
    assert table["co2e_kg"].sum() == pytest.approx(
        ghg.compute(EXAMPLE, gwp="AR6").total().to("kg * CO2e").m)


def test_factors_lists_sources():
    result = runner.invoke(app, ["factors", "--activity", "natural_gas", "--category", "1.A.2"])
    assert result.exit_code == 0
    assert "Table 1.4" in result.output and "Table 2.3" in result.output
    # the NCV record has no gas: an empty cell, not "nan"
    assert "nan" not in result.output.lower().replace("natural_gas", "")


def test_unknown_gwp_is_a_clean_error():
    result = runner.invoke(app, ["rollup", str(EXAMPLE), "--gwp", "AR9"])
    assert result.exit_code == 2 and "valid sets are" in result.output


def test_console_script_help_runs():
    result = subprocess.run([sys.executable, "-m", "ghg_inventory.cli", "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "compute" in result.stdout


def test_help_does_not_import_pandas():
    code = "import sys, ghg_inventory.cli; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"


def test_multiple_inputs_and_file_names_in_provenance(tmp_path: Path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    activity_frame([{"category": "1.A.2.f", "activity": "anthracite", "amount": 1,
                     "unit": "t"}]).to_csv(a, index=False)
    activity_frame([{"category": "1.A.4.a", "activity": "gas_diesel_oil", "amount": 1,
                     "unit": "GJ"}]).to_excel(b.with_suffix(".xlsx"), index=False)
    inv = ghg.compute([a, b.with_suffix(".xlsx")])
    assert set(inv.emissions["source_file"].astype(str)) == {"a.csv", "b.xlsx"}


def test_screen_and_energy_commands(tmp_path: Path):
    result = runner.invoke(app, ["screen", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "must inventory" in result.output and "Decree 06/2022" in result.output
    bau = tmp_path / "bau.csv"
    pd.DataFrame({"year": [2022, 2023], "amount": [40_000, 41_000],
                  "unit": ["toe", "toe"]}).to_csv(bau, index=False)
    result = runner.invoke(app, ["energy", str(EXAMPLE), "--by", "commune", "--bau", str(bau)])
    assert result.exit_code == 0, result.output
    assert "total_toe" in result.output and "saving_pct" in result.output
    pd.DataFrame({"year": [2030], "amount": [1], "unit": ["toe"]}).to_csv(bau, index=False)
    result = runner.invoke(app, ["energy", str(EXAMPLE), "--bau", str(bau)])
    assert result.exit_code == 2 and "no business-as-usual value" in result.output
    assert "Traceback" not in result.output


def test_rollup_of_indirect_emissions():
    result = runner.invoke(app, ["rollup", str(EXAMPLE), "--by", "year", "--scope", "indirect"])
    assert result.exit_code == 0, result.output
    assert "Indirect emissions" in result.output


def test_energy_command_with_a_primary_energy_balance(tmp_path: Path):
    balance = tmp_path / "balance.csv"
    # 9,974 TJ hydropower + 26 TJ coal -> 99.74 % renewable
    pd.DataFrame({"year": [2023, 2023], "carrier": ["hydropower", "anthracite"],
                  "amount": [9_974, 26], "unit": ["TJ", "TJ"]}).to_csv(balance, index=False)
    result = runner.invoke(app, ["energy", str(EXAMPLE), "--balance", str(balance)])
    assert result.exit_code == 0, result.output
    assert "99.74" in result.output


UNCERTAIN = ["--activity-uncertainty", "1=5,2=5,3=10,4=20,indirect=2", "--factor-uncertainty",
             "gas:CH4=100,gas:N2O=150,gas:CO2=5,parameter:density=3,parameter:ncv=5,"
             "parameter:carbon_ef=5,parameter:mcf=30,parameter:fossil_carbon_fraction=20,"
             "parameter:combustion_factor=10,"
             "parameter:ckd_correction=1,parameter:dry_matter=10,user-supplied=50"]


def test_uncertainty_command_both_methods_and_trend():
    result = runner.invoke(app, ["uncertainty", str(EXAMPLE), "--by", "year", *UNCERTAIN,
                                 "--trend", "2022,2023"])
    assert result.exit_code == 0, result.output
    assert "uncertainty_pct" in result.output and "trend" in result.output
    result = runner.invoke(app, ["uncertainty", str(EXAMPLE), "--method", "monte_carlo",
                                 "--iterations", "500", "--seed", "1", *UNCERTAIN])
    assert result.exit_code == 0, result.output
    assert "p97_5_t" in result.output and "p97_5_kg" not in result.output  # t CO2e on screen


def test_uncertainty_command_says_what_is_missing():
    result = runner.invoke(app, ["uncertainty", str(EXAMPLE)])
    assert result.exit_code == 2 and "activity-data uncertainty" in result.output
    assert "Traceback" not in result.output


def test_key_categories_check_and_diff_commands(tmp_path: Path):
    result = runner.invoke(app, ["key-categories", str(EXAMPLE), "--year", "2023",
                                 "--base-year", "2022", "--out", str(tmp_path / "k.csv")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "k.csv")
    assert table["key"].any() and {"level", "trend"} <= set(table.columns)
    result = runner.invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 0 and "QA/QC" in result.output
    changed = pd.read_csv(EXAMPLE)
    changed.loc[0, "amount"] = changed.loc[0, "amount"] * 2
    new = tmp_path / "new.csv"
    changed.to_csv(new, index=False)
    result = runner.invoke(app, ["diff", str(EXAMPLE), str(new), "--out",
                                 str(tmp_path / "d.csv")])
    assert result.exit_code == 0, result.output
    diff = pd.read_csv(tmp_path / "d.csv")
    assert set(diff.loc[diff["cause"] != "unchanged", "cause"]) == {"activity_changed"}
