"""Lai Châu provincial example, end to end (what `make demo` runs).

The activity data (activities.csv) is SYNTHETIC: invented facilities and amounts placed in
Lai Châu's real communes and wards. It shows the workflow, not the province's emissions.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

import ghg_inventory as ghg
from ghg_inventory.obligation import screen
from ghg_inventory.reports import rollup_table

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


if __name__ == "__main__":
    main()
