"""The facility and the reporting period of a Form 06: one facility per report, two
consecutive years, each with activity data, and the inventory restricted to them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.inventory import Inventory


def single_facility(inventory: Inventory) -> str:
    """The one ``facility_id`` of the inventory; none or several are refused."""
    column = inventory.activities["facility_id"]
    ids = sorted({str(v) for v in pd.unique(column.dropna())})
    if not ids:
        raise GHGInventoryError("the inventory has no activity rows: nothing to report")
    if len(ids) > 1:
        shown = ", ".join(ids[:20]) + (f" ... ({len(ids)} in all)" if len(ids) > 20 else "")
        raise GHGInventoryError(
            f"Form 06 reports one facility, and the inventory holds {len(ids)}: {shown}. "
            "Compute the facility's rows alone (filter on facility_id first).")
    return ids[0]


def period_years(inventory: Inventory, years: tuple[int, int] | None,
                 facility_id: str) -> tuple[int, int]:
    """The two years of the period: ``years``, or by default the last two of the data."""
    available = sorted(int(y) for y in np.unique(inventory.activities["year"].to_numpy()))
    if years is None:
        first, last = available[-1] - 1, available[-1]
    else:
        if len(years) != 2:
            raise GHGInventoryError(f"years must be two years, got {years!r}")
        first, last = sorted(int(y) for y in years)
        if last != first + 1:
            raise GHGInventoryError(
                f"years {years!r}: the report covers two consecutive years (the two years "
                "before the year of submission, Decree 119/2025/NĐ-CP)")
    missing = [y for y in (first, last) if y not in available]
    if missing:
        raise GHGInventoryError(
            f"facility {facility_id}: no activity data for {' and '.join(map(str, missing))} "
            f"(years with data: {', '.join(map(str, available))}); the report needs both "
            f"years of the period {first}-{last}")
    return first, last


def period_inventory(inventory: Inventory, years: tuple[int, int]) -> Inventory:
    """The inventory restricted to the activity rows (and their results) of ``years``."""
    activities = inventory.activities
    keep = np.isin(activities["year"].to_numpy(), years)
    new_pos = np.full(len(activities) + 1, -1, dtype=np.int64)
    new_pos[np.flatnonzero(keep)] = np.arange(int(keep.sum()))
    results = inventory.results
    kept = keep[results["_pos"].to_numpy()]
    results = results[kept].reset_index(drop=True)
    results["_pos"] = new_pos[results["_pos"].to_numpy()]
    activities = activities[keep].reset_index(drop=True)
    if "_source_pos" in activities:
        # a derived row (emissions of an earlier deposit in a year of the period) whose
        # source row is outside the period stays a derived row, its own source: it carries
        # the source row's columns, activity-data uncertainty among them
        source = activities["_source_pos"].to_numpy()
        linked = np.where(source >= 0, new_pos[source], -1)
        own = np.arange(len(activities))
        activities["_source_pos"] = np.where((source >= 0) & (linked < 0), own, linked)
    return Inventory(meta=inventory.meta, activities=activities, results=results,
                     factors=inventory.factors)

