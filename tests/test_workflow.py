"""The provincial workflow: report template, submissions store, roll-up, completeness,
year-on-year flags, commune crosswalk and plan progress."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import ghg_inventory as ghg
from ghg_inventory.province import store as st
from ghg_inventory.province.completeness import (
    completeness,
    plan_progress,
    to_current_communes,
    year_on_year,
)
from ghg_inventory.province.template import read_facility, write_template

EXAMPLE = Path(__file__).parent.parent / "examples" / "lai_chau" / "activities.csv"
FACILITY = {"facility_id": "LC-900", "facility_name": "Nhà máy chè Tam Đường",
            "commune": "Xã Bình Lư", "tax_code": "6200123456", "year_from": 2022,
            "year_to": 2023}
ROWS = [{"year": 2022, "category": "1.A.2.e", "activity": "anthracite", "amount": 100,
         "unit": "t"},
        {"year": 2023, "category": "1.A.2.e", "activity": "anthracite", "amount": 120,
         "unit": "t"},
        {"year": 2023, "category": "indirect.electricity", "activity": "grid_electricity",
         "amount": 50_000, "unit": "kWh"}]


def fill(path: Path, facility: dict, rows: list[dict], sheet: str) -> Path:
    book = load_workbook(path)
    names = [n for n in book.sheetnames if n in ("Cơ sở", "Facility")]
    for row in book[names[0]].iter_rows(min_row=2):
        if row[2].value in facility:
            row[1].value = facility[row[2].value]
    target = book[sheet]
    keys = [c.value for c in target[2]]
    for i, record in enumerate(rows, start=3):
        for j, key in enumerate(keys, start=1):
            if key in record:
                target.cell(row=i, column=j, value=record[key])
    book.save(path)
    return path


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return fill(write_template(tmp_path / "report.xlsx"), FACILITY, ROWS, "Năng lượng")


def test_the_template_round_trips_in_both_languages(tmp_path: Path, report: Path):
    # the same rows through a DataFrame give the same emissions
    inv = ghg.compute(report)
    frame = pd.DataFrame([{**r, "facility_id": "LC-900", "commune": "Xã Bình Lư",
                           "facility_name": "x"} for r in ROWS])
    assert inv.total().m_as("kg CO2e") == pytest.approx(
        ghg.compute(frame).total().m_as("kg CO2e"))
    assert read_facility(report)["tax_code"] == "6200123456"
    english = fill(write_template(tmp_path / "en.xlsx", lang="en"), FACILITY, ROWS, "Energy")
    assert ghg.compute(english).total().m_as("kg CO2e") == pytest.approx(
        inv.total().m_as("kg CO2e"))
    book = load_workbook(tmp_path / "en.xlsx")
    assert {"Instructions", "Facility", "Energy", "Waste", "Forestry"} <= set(book.sheetnames)
    assert book["Energy"].data_validations.dataValidation  # drop-down lists


def test_problems_in_a_template_name_the_sheet_row_and_column(tmp_path: Path):
    bad = fill(write_template(tmp_path / "bad.xlsx"), FACILITY,
               [{**ROWS[0], "unit": "furlong"}], "Năng lượng")
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(bad)
    problem = info.value.problems[0]
    assert problem.file == "bad.xlsx [Năng lượng]" and problem.row == 3
    assert problem.column == "unit"


def test_submitting_twice_changes_nothing_and_a_resubmission_supersedes(tmp_path: Path,
                                                                        report: Path):
    store = tmp_path / "p.duckdb"
    first = st.submit(report, store)
    assert first.status == "stored" and first.period == (2022, 2023)
    assert st.submit(report, store).status == "unchanged"
    assert len(st.submissions(store, history=True)) == 1
    fill(report, FACILITY, [{**ROWS[0], "amount": 90}], "Năng lượng")
    again = st.submit(report, store, reason="coal weighed again")
    assert again.status == f"superseded {first.submission_id}"
    history = st.facility_history(store, "LC-900")
    assert list(history["status"]) == ["superseded", "current"]
    assert history["reason"].iloc[1] == "coal weighed again"
    # only the current submission counts
    current = st.current_emissions(store)
    assert set(current["submission_id"]) == {again.submission_id}


def _snapshot(store: Path) -> tuple:
    con = st.connect(store)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("submissions", "activities", "emissions"))
    finally:
        con.close()


def test_a_rejected_file_leaves_the_store_unchanged(tmp_path: Path, report: Path):
    store = tmp_path / "p.duckdb"
    st.submit(report, store)
    before = _snapshot(store)
    bad = fill(write_template(tmp_path / "bad.xlsx"), {**FACILITY, "facility_id": "LC-901"},
               [{**ROWS[0], "amount": -5}], "Năng lượng")
    with pytest.raises(ghg.ActivityValidationError):
        st.submit(bad, store)
    assert _snapshot(store) == before


def test_a_crash_half_way_leaves_no_half_written_rows(tmp_path: Path, report: Path,
                                                      monkeypatch: pytest.MonkeyPatch):
    store = tmp_path / "p.duckdb"
    st.connect(store).close()
    before = _snapshot(store)

    def crash(con, frame):  # after the submission and activity rows went in
        raise OSError("disk full")
    monkeypatch.setattr(st, "_insert_emissions", crash)
    with pytest.raises(OSError):
        st.submit(report, store)
    assert _snapshot(store) == before


def test_the_provincial_rollup_is_the_sum_of_the_facilities(tmp_path: Path):
    table = pd.read_csv(EXAMPLE, dtype=str)
    store = tmp_path / "p.duckdb"
    facilities = ["LC-001", "LC-002", "LC-010", "LC-030"]
    totals = 0.0
    for facility in facilities:
        path = tmp_path / f"{facility}.csv"
        table[table["facility_id"] == facility].to_csv(path, index=False)
        st.submit(path, store)
        totals += ghg.compute(path).total().m_as("kg CO2e")
    inv = st.load_inventory(store)
    assert inv.total().m_as("kg CO2e") == pytest.approx(totals)
    by_commune = inv.rollup(by="commune")
    assert by_commune["co2e_kg"].sum() == pytest.approx(totals)
    stored = st.submissions(store)["direct_co2e_kg"].sum()
    assert stored == pytest.approx(totals)
    # completeness against an obliged list
    obliged = pd.DataFrame({"facility_id": ["LC-001", "LC-002", "LC-099"]})
    done = completeness(store, obliged, period=(2022, 2023)).set_index("facility_id")
    assert done.loc["LC-099", "status"] == "missing"
    assert done.loc["LC-001", "status"] == "reported"
    assert done.loc["LC-010", "status"] == "not on the list"
    late = completeness(store, obliged, period=(2022, 2023), deadline="2000-01-01")
    assert (late.set_index("facility_id").loc["LC-001", "status"]) == "late"


def test_year_on_year_changes_above_ten_percent_are_flagged():
    rows = [{"facility_id": "F", "commune": "Xã Bình Lư", "year": y, "category": "1.A.2.e",
             "activity": "anthracite", "amount": a, "unit": "t"}
            for y, a in ((2021, 100), (2022, 105), (2023, 130))]
    flags = year_on_year(ghg.compute(pd.DataFrame(rows))).set_index("year")
    assert not flags.loc[2022, "flagged"] and flags.loc[2023, "flagged"]
    assert flags.loc[2023, "change"] == pytest.approx(130 / 105 - 1)


def test_former_communes_roll_up_to_todays():
    rows = pd.DataFrame([{"facility_id": "F", "year": 2020, "category": "1.A.2.e",
                          "activity": "anthracite", "amount": "100", "unit": "t",
                          "commune": "Xã Cũ", "district": "Huyện Cũ"}])
    walk = pd.DataFrame({"old_commune": ["Xã Cũ", "Xã Cũ"], "old_district": ["Huyện Cũ"] * 2,
                         "new_commune": ["Xã Bình Lư", "Xã Tân Uyên"], "share": [0.7, 0.3]})
    mapped = to_current_communes(rows, walk)
    assert sorted(mapped["commune"]) == ["Xã Bình Lư", "Xã Tân Uyên"]
    assert sorted(mapped["amount"].astype(float)) == [30.0, 70.0]
    with pytest.raises(ghg.ActivityValidationError):
        to_current_communes(rows, walk.assign(share=[0.7, 0.2]))


def test_plan_progress():
    observed = pd.DataFrame({"target": ["forest_cover", "urban_solid_waste_collected_treated"],
                             "year": [2024, 2024], "value": [52.0, 96.0]})
    table = plan_progress(observed).set_index("target")
    assert table.loc["forest_cover", "progress_pct"] == pytest.approx(52 / 55 * 100)
    assert table.loc["urban_solid_waste_collected_treated", "met"]
    assert pd.isna(table.loc["rice_land", "observed"])  # every target listed
    with pytest.raises(ghg.ActivityValidationError):
        plan_progress(observed.assign(target=["forest_cover", "happiness"]))


def test_a_row_without_commune_is_its_own_group_not_the_last_commune():
    rows = [{"facility_id": "F", "year": 2022, "category": "1.A.2.e", "activity": "anthracite",
             "amount": 1, "unit": "t", "commune": c} for c in ("Xã A", None, "Xã B")]
    table = ghg.compute(pd.DataFrame(rows)).rollup(by="commune")
    assert table["commune"].isna().sum() == 1
    assert sorted(table["commune"].dropna()) == ["Xã A", "Xã B"]
