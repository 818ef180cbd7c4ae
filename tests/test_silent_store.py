"""Issue 23, items 6, 7 and 13: activity counted once, one current view of the store, and
read-only commands that never create a store."""

from __future__ import annotations

import pandas as pd

import ghg_inventory as ghg
from ghg_inventory import qaqc
from ghg_inventory.obligation import facility_summary, screen

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
