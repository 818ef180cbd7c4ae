"""Lai Châu provincial example, end to end (what `make demo` runs).

The activity data (activities.csv) is SYNTHETIC: invented facilities and amounts placed in
Lai Châu's real communes and wards. It shows the workflow, not the province's emissions.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

import ghg_inventory as ghg

HERE = Path(__file__).parent


def show(frame, title: str, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=title)
    values = [c for c in frame.columns if c.endswith("_kg")]
    for key in keys:
        table.add_column(key)
    for column in values:
        table.add_column(column.removesuffix("_kg").replace("co2e", "CO2e") + " (t)",
                         justify="right")
    for row in frame.itertuples(index=False):
        r = row._asdict()
        table.add_row(*[str(r[k]) for k in keys], *[f"{r[c] / 1000:,.2f}" for c in values])
    table.add_section()
    table.add_row("TOTAL", *[""] * (len(keys) - 1),
                  *[f"{frame[c].sum() / 1000:,.2f}" for c in values])
    Console().print(table)


def main() -> None:
    inventory = ghg.compute(HERE / "activities.csv", gwp="AR5")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    inventory.export(out / "emissions.csv")
    show(inventory.rollup(by=["year", "plan_area"]),
         "Lai Châu (SYNTHETIC data): direct emissions by year and plan area", ["year", "plan_area"])
    latest = inventory.emissions["year"].max()
    by_commune = inventory.rollup(by=["year", "commune"])
    show(by_commune[by_commune["year"] == latest].drop(columns="year"),
         f"Lai Châu (SYNTHETIC data): {latest} direct emissions by commune/ward", ["commune"])
    for row in inventory.rollup(by="year").itertuples(index=False):
        total = ghg.Q_(row.co2e_kg, "kg * CO2e").to("t * CO2e")
        memo = ghg.Q_(row.biogenic_CO2_kg, "kg * CO2").to("t * CO2")
        print(f"Provincial total {row.year}: {total:,.1f~P} (AR5), "
              f"biogenic CO2 memo {memo:,.1f~P}")
    print(f"Emissions table with provenance written to {out / 'emissions.csv'}")


if __name__ == "__main__":
    main()
