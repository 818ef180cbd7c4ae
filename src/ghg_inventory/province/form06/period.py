"""The facility and the reporting period of a Form 06: one facility per report, two
consecutive years, each with activity data, and the inventory restricted to them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n.messages import msg
from ghg_inventory.inventory import Inventory


def single_facility(inventory: Inventory) -> str:
    """The one ``facility_id`` of the inventory; none or several are refused."""
    column = inventory.activities["facility_id"]
    ids = sorted({str(v) for v in pd.unique(column.dropna())})
    if not ids:
        raise GHGInventoryError(msg("province.form06.no_rows"))
    if len(ids) > 1:
        more = msg("province.form06.in_all", count=len(ids)) if len(ids) > 20 else ""
        raise GHGInventoryError(msg("province.form06.several_facilities", count=len(ids),
                                    ids=", ".join(ids[:20]), more=more))
    return ids[0]


def period_years(inventory: Inventory, years: tuple[int, int] | None,
                 facility_id: str) -> tuple[int, int]:
    """The two years of the period: ``years``, or by default the last two of the data."""
    available = sorted(int(y) for y in np.unique(inventory.activities["year"].to_numpy()))
    if years is None:
        first, last = available[-1] - 1, available[-1]
    else:
        if len(years) != 2:
            raise GHGInventoryError(msg("province.form06.two_years", years=years))
        first, last = sorted(int(y) for y in years)
        if last != first + 1:
            raise GHGInventoryError(msg("province.form06.consecutive", years=years))
    missing = [y for y in (first, last) if y not in available]
    if missing:
        said = missing[0] if len(missing) == 1 else msg(
            "province.form06.two_years_and", first=missing[0], last=missing[1])
        raise GHGInventoryError(msg("province.form06.no_data_years", facility=facility_id,
                                    missing=said, available=", ".join(map(str, available)),
                                    first=first, last=last))
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

