"""Lai Châu provincial example, end to end (what `make demo` runs).

The activity data (activities.csv) is SYNTHETIC: invented facilities and amounts placed in
Lai Châu's real communes and wards. It shows the workflow, not the province's emissions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.console import Console

import ghg_inventory as ghg
from ghg_inventory.province.completeness import (
    as_text,
    completeness,
    plan_progress,
    year_on_year,
)
from ghg_inventory.province.form06 import write_form06
from ghg_inventory.province.obligation import screen
from ghg_inventory.province.store import load_inventory, submissions, submit
from ghg_inventory.province.template import write_template
from ghg_inventory.reporting.html_report import write_report, write_workbook
from ghg_inventory.reporting.terminal import frame_table, rollup_table

HERE = Path(__file__).parent


def show(frame, title: str) -> None:  # type: ignore[no-untyped-def]
    Console().print(rollup_table(frame, title, decimals=2))


def main() -> None:
    inventory = ghg.compute(HERE / "activities.csv", gwp="AR5")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    inventory.export(out / "emissions.csv")
    show(inventory.rollup(by=["year", "plan_area"], lang="vi"),
         "Lai Châu (SYNTHETIC data): DIRECT emissions by year and plan area")
    show(inventory.rollup(by=["year", "plan_area"], lang="vi", scope="indirect"),
         "Lai Châu (SYNTHETIC data): INDIRECT emissions of purchased electricity "
         "(memo, never added to direct)")
    show(inventory.rollup(by=["year", "gas"], scope="ods"),
         "Lai Châu (SYNTHETIC data): ozone-depleting refrigerants emitted (own table, "
         "outside the Kyoto-basket totals)")
    latest = inventory.emissions["year"].max()
    by_commune = inventory.rollup(by=["year", "commune"])
    show(by_commune[by_commune["year"] == latest].drop(columns="year"),
         f"Lai Châu (SYNTHETIC data): {latest} direct emissions by commune/ward")
    indirect = inventory.rollup(by="year", scope="indirect").set_index("year")["co2e_kg"]
    for row in inventory.rollup(by="year").to_dict("records"):
        print(f"Provincial total {row['year']}: direct {row['co2e_kg'] / 1000:,.1f} t CO2e "
              f"(AR5); biogenic CO2 memo {row['biogenic_CO2_kg'] / 1000:,.1f} t CO2; "
              f"indirect (electricity) {indirect.get(row['year'], 0.0) / 1000:,.1f} t CO2")
    must = screen(inventory)
    print(f"Facilities that must make a GHG inventory (Decree 06/2022/NĐ-CP): "
          f"{sorted(set(must.loc[must.must_inventory, 'facility_id']))}")
    print(f"Emissions table with provenance written to {out / 'emissions.csv'}")
    workflow(out)


#: The office that issues the report, as it signs (a setting of the province's installation:
#: the command line reads it from --office or GHG_INVENTORY_OFFICE).
OFFICE = {"vi": "Sở Nông nghiệp và Môi trường tỉnh Lai Châu",
          "en": "Department of Agriculture and Environment, Lai Châu province"}


def workflow(out: Path) -> None:
    """The reporting period as the province runs it: template, submissions (filled
    workbooks from some facilities, activity tables from the others), roll-up,
    completeness, year-on-year flags, plan indicators, the HTML reports (vi, en) and a
    Form 06."""
    table = pd.read_csv(HERE / "activities.csv", dtype=str)
    template = write_template(out / "mau_bao_cao_co_so.xlsx")
    print(f"Facility report template (to send to facilities): {template}")
    store = out / "province.duckdb"
    store.unlink(missing_ok=True)
    folder = out / "submissions"
    folder.mkdir(exist_ok=True)
    # the facilities that sent the filled template (workbooks/, made by make_workbooks.py)
    workbooks = {p.stem: p for p in sorted((HERE / "workbooks").glob("*.xlsx"))}
    for path in workbooks.values():
        submit(path, store)
    print(f"{len(workbooks)} filled facility workbooks submitted: {sorted(workbooks)}")
    # each other facility's report is a file it sends; the commune aggregates (farms,
    # households, wards' wastewater) are the province's own compilation, added at roll-up
    aggregate = table["facility_type"].fillna("") == "aggregate"
    for facility_id, rows in table[~aggregate].groupby("facility_id"):
        if facility_id in workbooks:
            continue
        path = folder / f"{facility_id}.csv"
        rows.dropna(axis=1, how="all").to_csv(path, index=False)
        submit(path, store)
    print(f"{len(submissions(store))} facility reports stored in {store}")
    inventory = load_inventory(store, extra=[table[aggregate].reset_index(drop=True)])
    year = 2023
    done = completeness(store, HERE / "obliged_facilities.csv", period=(2022, 2023))
    missing = done.loc[done["status"] == "missing", "facility_id"].tolist()
    obliged = done[done["status"] != "not on the list"]
    Console().print(frame_table(as_text(obliged[["facility_id", "facility_name",
                                                 "submitted_at", "status"]]),
                                "Obliged facilities, reporting period 2022-2023"))
    print(f"Obliged facilities that have not reported: {missing}")
    flags = year_on_year(inventory)
    flagged = flags[flags["flagged"] & (flags["year"] == year)]
    print(f"Facilities whose {year} direct emissions changed by more than 10 %: "
          f"{sorted(flagged['facility_id'].astype(str))}")
    progress = plan_progress(HERE / "observed_indicators.csv")
    seen = progress.dropna(subset=["observed"])
    shown = seen.assign(year=seen["year"].astype(int), progress_pct=seen["progress_pct"].round(1))
    Console().print(frame_table(
        shown[["target", "unit", "target_value", "target_year", "year", "observed",
               "progress_pct"]], "Lai Châu (SYNTHETIC data): the plan's indicators"))
    indicators = seen.rename(columns={"target": "indicator", "target_value": "target"})[
        ["indicator", "year", "observed", "target", "unit", "target_year"]]
    for lang in ("vi", "en"):
        name = "bao_cao" if lang == "vi" else "report"
        report = write_report(inventory, out / f"{name}_{year}.html", year=year, lang=lang,
                              indicators=indicators, office=OFFICE[lang])
        print(f"Provincial report ({lang}): {report}")
    workbook = write_workbook(inventory, out / f"bao_cao_{year}.xlsx", year=year,
                              indicators=indicators)
    print(f"Its tables: {workbook}")
    # Form 06 of the cement plant, from the workbook it sent (the facility sheet gives the
    # facility's name, code, tax code and address)
    cement = ghg.compute(workbooks["LC-001"])
    form = write_form06(cement, out / "LC-001_mau_06.xlsx", years=(2022, 2023), facility={
        "name": str(table.loc[table["facility_id"] == "LC-001", "facility_name"].iloc[0]),
        "commune": str(table.loc[table["facility_id"] == "LC-001", "commune"].iloc[0])})
    print(f"Form 06 report of facility LC-001: {form}")


if __name__ == "__main__":
    main()
