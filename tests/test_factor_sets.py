"""Named factor sets shipped in emission_factors/sets/: chosen by name, never loaded by
default; the provisional Viet Nam grid estimates for 2024-2025; what the workflow records
and shows when a provisional set is used (issue 18, items 4 and 5)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

import ghg_inventory as ghg
from ghg_inventory import factor_sets as fs
from ghg_inventory.errors import ActivityValidationError, FactorTableError
from ghg_inventory.factor_sets import ProvisionalFactorsWarning
from ghg_inventory.province import store as st

ROOT = Path(__file__).parent.parent

ELECTRICITY = ("facility_id,facility_name,year,category,activity,amount,unit\n"
               "LC-1,Nhà máy A,{year},indirect.electricity,grid_electricity,1000,MWh\n")


def electricity(tmp_path: Path, year: int = 2024, name: str = "elec.csv") -> Path:
    path = tmp_path / name
    path.write_text(ELECTRICITY.format(year=year), encoding="utf-8")
    return path


def compute_quietly(*args, **kwargs) -> ghg.Inventory:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ProvisionalFactorsWarning)
        return ghg.compute(*args, **kwargs)


# --- the resolver --------------------------------------------------------------------------


def test_the_shipped_sets_are_found_by_name():
    sets = fs.shipped_sets()
    assert "provisional-grid" in sets
    assert sets["provisional-grid"].name == "provisional-grid.csv"
    assert sets["provisional-grid"].parent.name == "sets"
    assert fs.describe("provisional-grid").provisional
    assert fs.describe("provisional-grid").status.startswith(
        "provisional, not the ministry's publication")


def test_a_known_name_resolves_to_its_table_and_a_path_to_itself(tmp_path: Path):
    assert fs.resolve("provisional-grid") == fs.shipped_sets()["provisional-grid"]
    mine = tmp_path / "mine.csv"
    mine.write_text("factor_id\n", encoding="utf-8")
    assert fs.resolve(mine) == mine and fs.resolve(str(mine)) == mine
    frame = pd.DataFrame({"factor_id": ["x"]})
    assert fs.resolve(frame) is frame


def test_a_file_of_the_same_name_is_the_users_table(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "provisional-grid").write_text("factor_id\n", encoding="utf-8")
    assert fs.resolve("provisional-grid") == Path("provisional-grid")


def test_an_unknown_name_is_refused_listing_the_shipped_sets(tmp_path: Path):
    with pytest.raises(FactorTableError, match=r"provisonal-grid: no such factor table file, "
                       r"and no shipped factor set of that name; shipped sets: "
                       r"provisional-grid \(provisional"):
        fs.resolve("provisonal-grid")
    with pytest.raises(FactorTableError, match="shipped sets: provisional-grid"):
        ghg.compute(electricity(tmp_path, 2023), factors="provisonal-grid")


def test_the_default_database_never_loads_a_set():
    tables = {Path(t).parent.name for t in ghg.FactorDB.default().table["table"].unique()}
    assert tables == {"emission_factors"}
    ids = set(ghg.FactorDB.default().table["factor_id"])
    assert not any(i.startswith("provisional.") for i in ids)


# --- 2024 electricity: refused without the set, computed with it ---------------------------


def test_2024_electricity_is_refused_without_the_set(tmp_path: Path):
    with pytest.raises(ActivityValidationError, match="no published grid_electricity emission "
                       "factor for VN in 2024") as caught:
        ghg.compute(electricity(tmp_path))
    # the refusal itself names the set, its status and how to choose it (Python and CLI)
    message = caught.value.problems[0].message
    assert "the shipped factor set(s) provisional-grid hold one (provisional-grid: " \
           "provisional, not the ministry's publication): choose it explicitly with " \
           "factors='provisional-grid' (command line: --factors provisional-grid)" in message
    assert fs.missing_factor_hint(message) is None  # said once, not again as a hint


@pytest.mark.parametrize(("year", "t_co2"), [
    (2024, 681.1),   # 1,000 MWh x 0.6811 t CO2/MWh = 681.1 t CO2
    (2025, 623.5),   # 1,000 MWh x 0.6235 t CO2/MWh = 623.5 t CO2
])
def test_electricity_computes_with_the_provisional_set_chosen(tmp_path: Path, year, t_co2):
    with pytest.warns(ProvisionalFactorsWarning, match="provisional-grid \\(provisional, not "
                      "the ministry's publication\\)"):
        inventory = ghg.compute(electricity(tmp_path, year), factors="provisional-grid")
    rows = inventory.emissions
    assert list(rows["gas"].astype(str)) == ["CO2"]
    assert rows["emissions_kg"].iloc[0] == pytest.approx(t_co2 * 1000, rel=1e-12)
    assert rows["factor_id"].iloc[0] == f"provisional.vn.grid.{year}"
    assert rows["scope"].iloc[0] == "indirect"
    assert fs.provisional_tables(inventory.meta["factor_tables"]) == ["provisional-grid"]
    assert any(Path(t).name == "provisional-grid.csv" for t in inventory.meta["factor_tables"])


def test_the_set_leaves_the_official_years_as_they_are(tmp_path: Path):
    # 2023: the official 0.6592 t CO2/MWh (DCC), set or no set: 1,000 x 0.6592 = 659.2 t
    for factors in (None, "provisional-grid"):
        inventory = compute_quietly(electricity(tmp_path, 2023), factors=factors)
        assert inventory.emissions["emissions_kg"].iloc[0] == pytest.approx(659_200.0)
        assert inventory.emissions["factor_id"].iloc[0] == "vn.grid.2023"


def test_a_set_reads_as_written_whatever_the_users_number_format(tmp_path: Path):
    # the user's tables in Vietnamese notation; the shipped 0.6811 is still 0.6811
    inventory = compute_quietly(electricity(tmp_path), factors=["provisional-grid"],
                                number_format="vi")
    assert inventory.emissions["emissions_kg"].iloc[0] == pytest.approx(681_100.0)


def test_a_set_and_a_users_table_together(tmp_path: Path):
    # the user's own 2024 factor for another country beside the set
    mine = tmp_path / "lao.csv"
    mine.write_text(
        "factor_id,parameter,category,activity,gas,value,unit,tier,region,guidelines,"
        "fossil,source,reference,country,year\n"
        "la.grid.2024,ef,indirect.electricity,grid_electricity,CO2,0.5,t/MWh,2,Lao PDR,"
        "2006,true,test value,test,LA,2024\n", encoding="utf-8")
    inventory = compute_quietly(electricity(tmp_path), factors=["provisional-grid", mine])
    assert inventory.emissions["factor_id"].iloc[0] == "provisional.vn.grid.2024"
    names = {Path(t).name for t in inventory.meta["factor_tables"]}
    assert {"provisional-grid.csv", "lao.csv"} <= names


# --- the CLI says it -----------------------------------------------------------------------


def cli(*args: str):
    from ghg_inventory.cli import app

    return CliRunner(env={"COLUMNS": "400"}).invoke(app, [str(a) for a in args])


def test_cli_refusal_names_the_set_and_the_choice_warns(tmp_path: Path):
    source, out = electricity(tmp_path), tmp_path / "out.csv"
    refused = cli("compute", source, "--out", out)
    assert refused.exit_code == 2
    assert "--factors provisional-grid" in " ".join(refused.output.split())
    done = cli("compute", source, "--out", out, "--factors", "provisional-grid")
    assert done.exit_code == 0, done.output
    assert "warning: factors from provisional set(s) provisional-grid (provisional, not " \
           "the ministry's publication)" in done.output
    meta = json.loads((tmp_path / "out.csv.meta.json").read_text(encoding="utf-8"))
    assert "provisional-grid" in meta[fs.PROVISIONAL_KEY]
    assert pd.read_csv(out)["emissions_kg"].iloc[0] == pytest.approx(681_100.0)
    unknown = cli("compute", source, "--out", out, "--factors", "provisonal-grid")
    assert unknown.exit_code == 2
    assert "no shipped factor set of that name; shipped sets: provisional-grid" \
        in unknown.output


def test_submit_with_factors_records_the_set_and_says_it_is_provisional(tmp_path: Path):
    store, source = tmp_path / "p.duckdb", electricity(tmp_path)
    refused = cli("submit", source, "--store", store)
    assert refused.exit_code == 2 and "--factors provisional-grid" in refused.output
    done = cli("submit", source, "--store", store, "--factors", "provisional-grid")
    assert done.exit_code == 0, done.output
    assert "stored (submission 1) with factor set(s) provisional-grid (PROVISIONAL)" \
        in done.output
    assert "warning: factors from provisional set(s) provisional-grid" in done.output
    used = st.factor_sets_used(store)
    assert used[["submission_id", "sets", "provisional", "recorded"]].to_dict("records") == [
        {"submission_id": 1, "sets": "provisional-grid", "provisional": True,
         "recorded": True}]
    # the stored emissions are the submitted ones: 1,000 MWh x 0.6811 = 681.1 t CO2
    emitted = st.current_emissions(store)
    assert emitted["emissions_kg"].sum() == pytest.approx(681_100.0)
    assert list(emitted["factor_id"]) == ["provisional.vn.grid.2024"]
    record = json.loads(st.submissions(store)["factor_sets"].iloc[0])
    assert record[0]["kind"] == "set" and record[0]["name"] == "provisional-grid"
    assert len(record[0]["sha256"]) == 64


@pytest.mark.filterwarnings("ignore::ghg_inventory.factor_sets.ProvisionalFactorsWarning")
def test_the_same_file_with_another_choice_of_sets_is_no_repeat(tmp_path: Path):
    store, source = tmp_path / "p.duckdb", electricity(tmp_path, 2023)
    assert st.submit(source, store).status == "stored"
    again = st.submit(source, store, factors=["provisional-grid"])
    # 2023 is official either way (659.2 t), but what was chosen differs: a new submission
    assert again.submission_id == 2 and again.status == "superseded 1"
    assert st.submit(source, store, factors=["provisional-grid"]).status == "unchanged"
    used = st.factor_sets_used(store, history=True)
    assert list(used["sets"]) == ["", "provisional-grid"]


def test_the_provincial_inventory_recomputes_with_the_factors_given(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    with pytest.warns(ProvisionalFactorsWarning):
        st.submit(electricity(tmp_path), store, factors=["provisional-grid"])
    # without the set the recomputation refuses 2024, naming the choice in the CLI hint
    with pytest.raises(ActivityValidationError, match="for VN in 2024"):
        st.load_inventory(store)
    with pytest.warns(ProvisionalFactorsWarning):
        inventory = st.load_inventory(store, factors=["provisional-grid"])
    assert inventory.emissions["emissions_kg"].sum() == pytest.approx(681_100.0)
    assert "provisional-grid" in inventory.meta[fs.PROVISIONAL_KEY]


def test_a_store_written_before_factor_sets_were_recorded_is_migrated(tmp_path: Path):
    store = tmp_path / "old.duckdb"
    st.submit(electricity(tmp_path, 2023), store)
    con = duckdb.connect(str(store))  # as the stores of earlier versions are
    con.execute("ALTER TABLE submissions DROP COLUMN factor_sets")
    con.close()
    old = st.factor_sets_used(store)  # read as it is, read-only
    assert list(old["recorded"]) == [False] and list(old["sets"]) == [""]
    with pytest.warns(ProvisionalFactorsWarning):
        second = st.submit(electricity(tmp_path, 2024, "b.csv"), store,
                           factors=["provisional-grid"])
    assert second.submission_id == 2
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT submission_id, factor_sets IS NULL FROM submissions ORDER BY 1"
                       ).fetchall() == [(1, True), (2, False)]
    con.close()
    assert list(st.factor_sets_used(store)["sets"]) == ["", "provisional-grid"]


# --- the country tier: a national record ranks above the IPCC default -----------------------


def test_a_country_record_beats_the_ipcc_default_for_that_country_only(tmp_path: Path):
    # A synthetic country-specific (tier 2) CO2 factor for natural gas in Viet Nam, as a
    # record of the national list would be: 50,000 kg CO2/TJ (test value, not a real one).
    # 10 t natural gas x NCV 48.0 TJ/Gg (Vol 2 Table 1.2) = 0.48 TJ
    #   VN: 0.48 TJ x 50,000 kg/TJ = 24,000 kg CO2 (the country record)
    #   LA: 0.48 TJ x 56,100 kg/TJ = 26,928 kg CO2 (IPCC 2006 Table 1.4 default)
    from ghg_inventory.factors import FactorDB, read_factor_table

    national = read_factor_table(pd.DataFrame([{
        "factor_id": "test.vn.natural_gas.co2", "parameter": "ef", "category": "1.A",
        "activity": "natural_gas", "gas": "CO2", "value": 50_000, "unit": "kg/TJ", "tier": 2,
        "region": "Viet Nam", "guidelines": "2006", "fossil": None,
        "source": "test value", "reference": "test", "verification": "single_source",
        "country": "VN"}]), label="national.csv")
    base = FactorDB.default().table
    db = FactorDB(pd.concat([base, national], ignore_index=True))
    rows = pd.DataFrame([{"facility_id": "F", "year": 2023, "category": "1.A.2",
                          "activity": "natural_gas", "amount": 10, "unit": "t"}])
    vn = ghg.compute(rows, factors=db, country="VN")
    la = ghg.compute(rows, factors=db, country="LA")
    co2 = {name: inv.emissions.set_index("gas")["emissions_kg"]["CO2"]
           for name, inv in (("VN", vn), ("LA", la))}
    assert co2["VN"] == pytest.approx(24_000.0)
    assert co2["LA"] == pytest.approx(26_928.0)
    assert vn.emissions.set_index("gas")["factor_id"]["CO2"] == "test.vn.natural_gas.co2"


# --- recalculation when the official value arrives ----------------------------------------


@pytest.mark.filterwarnings("ignore::ghg_inventory.factor_sets.ProvisionalFactorsWarning")
def test_replacing_the_provisional_value_is_a_factor_change(tmp_path: Path):
    # an "official" 2024 value as a user's table (0.7000 t CO2/MWh: a test value, not a
    # published one) replacing the provisional 0.6811:
    # (0.7000 - 0.6811) t/MWh x 1,000 MWh = 18.9 t CO2 = 18,900 kg, all of it factor effect
    from ghg_inventory.analysis.recalculation import factor_change

    official = tmp_path / "official.csv"
    official.write_text(
        "factor_id,parameter,category,activity,gas,value,unit,tier,region,guidelines,"
        "fossil,source,reference,country,year\n"
        "test.vn.grid.2024,ef,indirect.electricity,grid_electricity,CO2,0.7000,t/MWh,2,"
        "Viet Nam,2006,true,test value,test,VN,2024\n", encoding="utf-8")
    table = factor_change(electricity(tmp_path), old="provisional-grid", new=official)
    row = table.iloc[0]
    assert len(table) == 1 and row["cause"] == "factor_changed"
    assert row["old_co2e_kg"] == pytest.approx(681_100.0)
    assert row["new_co2e_kg"] == pytest.approx(700_000.0)
    assert row["change_kg"] == pytest.approx(18_900.0)
    assert row["factor_effect_kg"] == pytest.approx(18_900.0)
    assert row["activity_effect_kg"] == pytest.approx(0.0, abs=1e-9)
    assert (row["old_factor_ids"], row["new_factor_ids"]) == (
        "provisional.vn.grid.2024", "test.vn.grid.2024")


def test_the_factor_listing_shows_a_set_when_named():
    listed = cli("factors", "--activity", "grid_electricity", "--factors", "provisional-grid")
    assert listed.exit_code == 0, listed.output
    assert "provisional.vn.grid.2024" in listed.output
    assert "PROVISIONAL research estimate, not the ministry's publication" in listed.output
    plain = cli("factors", "--activity", "grid_electricity")
    assert plain.exit_code == 0 and "provisional.vn.grid" not in plain.output
