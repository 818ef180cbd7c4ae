"""Issue 23, items 6, 7 and 13: activity counted once, one current view of the store, and
read-only commands that never create a store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory.analysis import qaqc as qaqc
from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.province import store as st
from ghg_inventory.province.completeness import completeness
from ghg_inventory.province.obligation import facility_summary, screen

# --- item 7: derived rows double count activity -----------------------------------------

LANDFILL = {"facility_id": "LF-1", "category": "4.A", "activity": "food", "unit": "t",
            "site_type": "managed_anaerobic", "climate_zone": "tropical_wet"}


def landfill(deposits: dict[int, float], until: int | None = None) -> ghg.Inventory:
    rows = [{**LANDFILL, "year": year, "amount": tonnes} for year, tonnes in deposits.items()]
    if until is not None:
        rows[0]["until"] = until  # decay carried on after the last deposit
    return ghg.compute(pd.DataFrame(rows))


def test_a_landfill_treats_each_deposit_once_in_its_own_year():
    # 30,000 t received in 2020 and 30,000 t in 2021, decay computed to 2024: the engine
    # carries each deposit into every later year, but the site received nothing after 2021
    inv = landfill({2020: 30_000.0, 2021: 30_000.0}, until=2024)
    summary = facility_summary(inv).set_index("year")
    assert summary.loc[2020, "waste_treated_t"] == 30_000.0
    assert summary.loc[2021, "waste_treated_t"] == 30_000.0  # not 60,000
    for year in (2022, 2023, 2024):
        assert summary.loc[year, "waste_treated_t"] == 0.0  # not 60,000
    # the Decree 06/2022 criterion, Art. 6(1)(d): 65,000 t/yr
    reasons = screen(inv)["reasons"]
    assert not reasons.str.contains("solid_waste_treatment").any()


def test_the_65000_t_criterion_is_crossed_by_waste_not_by_arithmetic():
    # 40,000 t a year: the copies of 2020's deposit made 2021 "80,000 t"
    inv = landfill({2020: 40_000.0, 2021: 40_000.0, 2022: 40_000.0})
    screened = screen(inv).set_index("year")
    assert list(screened["waste_treated_t"]) == [40_000.0, 40_000.0, 40_000.0]
    assert not screened["reasons"].str.contains("solid_waste_treatment").any()
    # and 70,000 t in one year does cross it, in that year alone
    crossed = screen(landfill({2020: 70_000.0, 2021: 10_000.0})).set_index("year")
    assert crossed["reasons"].str.contains("solid_waste_treatment").tolist() == [True, False]


def test_every_activity_sum_and_statistic_counts_a_deposit_once():
    inv = landfill({2020: 30_000.0, 2021: 30_000.0}, until=2024)
    assert len(inv.activities) > 2  # the engine derived rows for 2021-2024
    assert inv.is_source.sum() == 2
    assert list(inv.source_activities["year"]) == [2020, 2021]
    # QA/QC: both deposits decay in the years after them (the engine carries the site's
    # decay on copies of its first row): neither is an "amount but no emissions" row
    assert qaqc.activity_and_emissions(inv).empty


def test_a_zero_deposit_is_flagged_once_not_once_per_decay_year():
    # the engine carries the site's decay of 2021-2030 on copies of its first row
    inv = landfill({2020: 0.0, 2021: 30_000.0, 2022: 30_000.0}, until=2030)
    flags = qaqc.activity_and_emissions(inv)
    assert list(flags["check"]) == ["zero_activity"]
    assert list(flags["year"]) == [2020]
    assert list(flags["source_row"]) == [0]


def test_the_unit_median_is_the_median_of_the_reported_rows():
    # three rows in t and one in kg: 1,000,000 kg is 1,000 t, 1,000x the median of the rows
    # as reported (1 t, 1 t, 1 t, 1,000 t: median 1 t), in a minority unit. The copies of
    # the first deposit (30 years of decay) would make the median 1,000 t and hide it.
    rows = [{**LANDFILL, "year": 1990, "amount": 1_000_000.0, "unit": "kg", "until": 2020}]
    rows += [{**LANDFILL, "year": y, "amount": 1.0} for y in (2018, 2019, 2020)]
    inv = ghg.compute(pd.DataFrame(rows))
    flagged = qaqc.suspicious_units(inv)
    assert list(flagged["year"]) == [1990]
    assert list(flagged["source_row"]) == [0]


# --- item 6: overlapping reporting periods in the store ---------------------------------

# A facility burning natural gas in a boiler (1.A.2). 1 t natural gas = 0.048 TJ (NCV 48.0
# TJ/Gg, IPCC 2006 Vol 2 Table 1.2) x 56,100 kg CO2/TJ (Vol 2 Table 1.4) = 2,692.8 kg CO2.
CO2_PER_T = 0.048 * 56_100  # kg CO2 per t natural gas
FIRST, CORRECTED = 1_000.0, 1_500.0  # t a year in the first report and in the correction
CO2_FIRST = FIRST * CO2_PER_T          # 2,692,800 kg CO2 a year
CO2_CORRECTED = CORRECTED * CO2_PER_T  # 4,039,200 kg CO2 a year


def report(tmp_path: Path, name: str, tonnes: float, years: range) -> Path:
    path = tmp_path / f"{name}.csv"
    pd.DataFrame([{"facility_id": "GAS-1", "facility_name": "Boiler house",
                   "commune": "Xã Bình Lư", "year": y, "category": "1.A.2",
                   "activity": "natural_gas", "amount": tonnes, "unit": "t"}
                  for y in years]).to_csv(path, index=False)
    return path


def co2_by_year(store: Path) -> dict[int, float]:
    """CO2 per year of the stored emissions and of the recomputed inventory (equal)."""
    stored = st.current_emissions(store).query("gas == 'CO2'").groupby("year")[
        "emissions_kg"].sum()
    recomputed = st.load_inventory(store).rollup(by="year").set_index("year")["CO2_kg"]
    assert stored.to_dict() == pytest.approx(recomputed.to_dict(), rel=1e-12)
    return {int(y): float(v) for y, v in stored.items()}


def test_an_overlapping_correction_replaces_only_the_year_it_shares(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    first = st.submit(report(tmp_path, "a", FIRST, range(2023, 2025)), store)
    again = st.submit(report(tmp_path, "b", CORRECTED, range(2024, 2026)), store)
    assert again.status == f"superseded {first.submission_id} for 2024"
    by_year = co2_by_year(store)
    assert by_year == pytest.approx({2023: CO2_FIRST, 2024: CO2_CORRECTED,
                                     2025: CO2_CORRECTED})
    # 2,692,800 + 2 x 4,039,200 = 10,771,200 kg CO2: 2024 once, not twice
    assert sum(by_year.values()) == pytest.approx(10_771_200.0)
    listed = st.submissions(store).set_index("submission_id")["current_years"]
    assert listed.to_dict() == {first.submission_id: "2023", again.submission_id: "2024-2025"}
    history = st.facility_history(store, "GAS-1")
    assert list(history["status"]) == ["current", "current"]  # both kept, both still count


def test_the_same_file_read_another_way_is_no_repeat(tmp_path: Path):
    # '1.000' t of natural gas: 1,000 t read the Vietnamese way, 1 t the English way. The
    # file is the same, its numbers are not: the second reading must not be 'unchanged'
    # (which kept the first numbers); it supersedes them. 1 t = 2,692.8 kg CO2 (above).
    store = tmp_path / "p.duckdb"
    path = tmp_path / "gas.csv"
    path.write_text("facility_id,year,category,activity,amount,unit\n"
                    'GAS-1,2024,1.A.2,natural_gas,"1.000",t\n', encoding="utf-8")
    first = st.submit(path, store, number_format="vi")
    assert co2_by_year(store) == pytest.approx({2024: 1_000 * CO2_PER_T})  # 2,692,800 kg
    again = st.submit(path, store, number_format="en")
    assert again.status == f"superseded {first.submission_id}"
    assert co2_by_year(store) == pytest.approx({2024: 1 * CO2_PER_T})  # 2,692.8 kg
    # and the same reading again is a repeat
    assert st.submit(path, store, number_format="en").status == "unchanged"


def test_a_nested_correction_leaves_the_years_around_it_current(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    first = st.submit(report(tmp_path, "a", FIRST, range(2022, 2026)), store)
    again = st.submit(report(tmp_path, "b", CORRECTED, range(2024, 2025)), store)
    assert again.status == f"superseded {first.submission_id} for 2024"
    assert co2_by_year(store) == pytest.approx({2022: CO2_FIRST, 2023: CO2_FIRST,
                                                2024: CO2_CORRECTED, 2025: CO2_FIRST})
    # 3 x 2,692,800 + 4,039,200 = 12,117,600 kg CO2
    assert sum(co2_by_year(store).values()) == pytest.approx(12_117_600.0)
    assert st.current_years(store).set_index("year")["submission_id"].to_dict() == {
        2022: first.submission_id, 2023: first.submission_id, 2024: again.submission_id,
        2025: first.submission_id}
    listed = st.submissions(store).set_index("submission_id")
    assert listed.at[first.submission_id, "current_years"] == "2022-2023, 2025"
    # the report's own total stays as submitted; its share of the current view is 3 years
    # of 1,000 t: 3 x 1,000 t x 0.048 TJ/t x (56,100 + 1 x 28 + 0.1 x 265) kg CO2e/TJ
    # (CH4 and N2O: Vol 2 Table 2.3, AR5 GWPs 28 and 265) = 3 x 2,695,416 kg CO2e
    assert listed.at[first.submission_id, "direct_co2e_kg"] == pytest.approx(
        4 * 2_695_416.0)
    assert listed.at[first.submission_id, "current_direct_co2e_kg"] == pytest.approx(
        3 * 2_695_416.0)
    assert listed["current_direct_co2e_kg"].sum() == pytest.approx(
        3 * 2_695_416.0 + 1.5 * 2_695_416.0)
    # a report of the whole period again takes every year of both
    whole = st.submit(report(tmp_path, "c", CORRECTED, range(2022, 2026)), store)
    assert whole.status == f"superseded {first.submission_id}; {again.submission_id}"
    history = st.facility_history(store, "GAS-1")
    assert list(history["status"]) == ["superseded", "superseded", "current"]
    assert list(history["superseded_by"].iloc[:2]) == [whole.submission_id] * 2
    assert sum(co2_by_year(store).values()) == pytest.approx(4 * CO2_CORRECTED)


def test_disjoint_periods_both_count(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    st.submit(report(tmp_path, "a", FIRST, range(2023, 2024)), store)
    second = st.submit(report(tmp_path, "b", CORRECTED, range(2024, 2025)), store)
    assert second.status == "stored"
    # 2,692,800 + 4,039,200 = 6,732,000 kg CO2
    assert co2_by_year(store) == pytest.approx({2023: CO2_FIRST, 2024: CO2_CORRECTED})
    assert len(st.submissions(store)) == 2


def test_resubmitting_a_superseded_file_makes_it_current_again(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    whole = report(tmp_path, "a", FIRST, range(2022, 2026))
    first = st.submit(whole, store)
    correction = st.submit(report(tmp_path, "b", CORRECTED, range(2024, 2025)), store)
    # the same correction again changes nothing; the first file again is a new decision,
    # which takes every year from both
    assert st.submit(tmp_path / "b.csv", store).status == "unchanged"
    back = st.submit(whole, store)
    assert back.status == f"superseded {first.submission_id}; {correction.submission_id}"
    assert co2_by_year(store) == pytest.approx({y: CO2_FIRST for y in range(2022, 2026)})


def test_a_landfill_correction_of_one_year_keeps_the_deposits_of_the_others(tmp_path: Path):
    # deposits of 2020-2022, then a correction of 2022's tonnage alone: the province's
    # inventory decays 2020's and 2021's deposits as first reported, and 2022's as corrected
    store = tmp_path / "p.duckdb"
    rows = [{**LANDFILL, "year": y, "amount": 30_000.0} for y in (2020, 2021, 2022)]
    pd.DataFrame(rows).to_csv(tmp_path / "lf.csv", index=False)
    st.submit(tmp_path / "lf.csv", store)
    pd.DataFrame([{**rows[2], "amount": 20_000.0}]).to_csv(tmp_path / "lf22.csv", index=False)
    st.submit(tmp_path / "lf22.csv", store)
    summary = facility_summary(st.load_inventory(store)).set_index("year")
    assert summary["waste_treated_t"].to_dict() == {2020: 30_000.0, 2021: 30_000.0,
                                                    2022: 20_000.0}


# --- item 13: a read-only use never creates a store -------------------------------------

READERS = {
    "submissions": st.submissions,
    "facility_history": lambda s: st.facility_history(s, "GAS-1"),
    "current_emissions": st.current_emissions,
    "current_activities": st.current_activities,
    "current_years": st.current_years,
    "load_inventory": st.load_inventory,
    "completeness": lambda s: completeness(s, pd.DataFrame({"facility_id": ["GAS-1"]}),
                                           period=(2023, 2024)),
}


@pytest.mark.parametrize("read", READERS.values(), ids=READERS.keys())
def test_reading_a_mistyped_store_path_is_refused_and_creates_nothing(tmp_path: Path, read):
    missing = tmp_path / "provnce.duckdb"
    with pytest.raises(GHGInventoryError, match=r"provnce\.duckdb: no such store"):
        read(missing)
    assert not missing.exists()
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("read", READERS.values(), ids=READERS.keys())
def test_a_file_that_is_no_store_is_refused_and_left_alone(tmp_path: Path, read):
    other = report(tmp_path, "a", FIRST, range(2023, 2024))
    before = other.read_bytes()
    with pytest.raises(GHGInventoryError, match="not a submissions store"):
        read(other)
    assert other.read_bytes() == before


COMMANDS = {
    "report": ["report", "--store", "{store}", "--out", "{out}"],
    "store list": ["store", "list", "--store", "{store}"],
    "store history": ["store", "history", "GAS-1", "--store", "{store}"],
    "store completeness": ["store", "completeness", "{obliged}", "--period", "2023,2024",
                           "--store", "{store}"],
}


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_read_only_commands_refuse_a_mistyped_store_with_exit_2(tmp_path: Path, args):
    from typer.testing import CliRunner

    from ghg_inventory.cli import app

    obliged = tmp_path / "obliged.csv"
    obliged.write_text("facility_id\nGAS-1\n", encoding="utf-8")
    missing, out = tmp_path / "provnce.duckdb", tmp_path / "report.html"
    result = CliRunner(env={"COLUMNS": "250"}).invoke(app, [
        a.format(store=missing, out=out, obliged=obliged) for a in args])
    assert result.exit_code == 2, result.output
    assert "no such store" in result.output
    assert not missing.exists() and not out.exists()


def test_submit_still_creates_the_store(tmp_path: Path):
    store = tmp_path / "new.duckdb"
    st.submit(report(tmp_path, "a", FIRST, range(2023, 2024)), store)
    assert store.exists() and len(st.submissions(store)) == 1


def test_a_landfill_report_reaches_back_to_the_deposits_it_holds(tmp_path: Path):
    # a report for 2023-2024 (the facility sheet's period) that holds the deposits since
    # 2021, as first-order decay needs; then a correction of 2024 alone. 2021-2022 stay
    # current with the report that holds them: a view by the stated period alone would
    # drop them and the decay of 2023-2024 with them
    from openpyxl import load_workbook

    from ghg_inventory.province.template import write_template

    path = write_template(tmp_path / "lf.xlsx")
    book = load_workbook(path)
    for row in book["Cơ sở"].iter_rows(min_row=2):
        value = {"facility_id": "LF-1", "facility_name": "Bãi rác", "commune": "Xã A",
                 "year_from": 2023, "year_to": 2024}.get(row[2].value)
        if value is not None:
            row[1].value = value
    sheet = book["Chất thải"]
    keys = [c.value for c in sheet[2]]
    for i, year in enumerate((2021, 2022, 2023, 2024), start=3):
        for key, value in {**LANDFILL, "year": year, "amount": 30_000.0}.items():
            if key in keys:
                sheet.cell(row=i, column=keys.index(key) + 1, value=value)
    book.save(path)
    first = st.submit(path, store := tmp_path / "p.duckdb")
    assert first.period == (2023, 2024)
    pd.DataFrame([{**LANDFILL, "year": 2024, "amount": 20_000.0}]).to_csv(
        tmp_path / "lf24.csv", index=False)
    again = st.submit(tmp_path / "lf24.csv", store)
    assert again.status == f"superseded {first.submission_id} for 2024"
    assert st.submissions(store).set_index("submission_id")["current_years"].to_dict() == {
        first.submission_id: "2021-2023", again.submission_id: "2024"}
    treated = facility_summary(st.load_inventory(store)).set_index("year")["waste_treated_t"]
    assert treated.to_dict() == {2021: 30_000.0, 2022: 30_000.0, 2023: 30_000.0,
                                 2024: 20_000.0}
