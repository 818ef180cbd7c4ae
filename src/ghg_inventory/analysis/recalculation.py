"""Recalculation: compare two inventories and explain every difference by its cause.

Rows are matched by facility, year, category, activity and gas (several activity rows with
the same key are summed). Each matched source's change in CO2e is split exactly into an
activity-data effect and a factor effect (E = A x F, so
``dE = (A1 - A0) F0 + A1 (F1 - F0)``), and labelled with its cause:

``new_source`` / ``removed_source``, ``method_changed`` (another calculation method),
``factor_changed`` (another factor record, or the same record with another value),
``activity_changed`` (another amount), ``activity_and_factor_changed``, or ``unchanged``.

:func:`factor_change` computes the same activity rows with two choices of factors (a
provisional factor set, then the official value once it is published) and compares them:
the recalculation a province reports when a provisional value is replaced.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 1, Ch 5 (time-series consistency and recalculation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ghg_inventory.inventory import Inventory

KEYS = ["facility_id", "year", "category", "activity", "gas"]


def _sources(inventory: Inventory) -> pd.DataFrame:
    results, table = inventory.results, inventory.activities
    pos = results["_pos"].to_numpy()
    frame = pd.DataFrame({
        "facility_id": table["facility_id"].astype(str).to_numpy()[pos],
        "year": table["year"].to_numpy()[pos],
        "category": table["category"].astype(str).to_numpy()[pos],
        "activity": table["activity"].astype(str).to_numpy()[pos],
        "gas": results["gas"].astype(str).to_numpy(),
        "scope": results["scope"].astype(str).to_numpy(),
        "amount": table["amount"].to_numpy(dtype=float)[pos],
        "co2e_kg": inventory.co2e(),
        "factor_id": results["factor_id"].astype(str).to_numpy(),
        "auxiliary": results["auxiliary_factor_ids"].astype(str).to_numpy(),
        "method": table["method"].astype(str).to_numpy()[pos],
    })
    joined = frame.groupby(KEYS + ["scope"], observed=True, sort=True).agg(
        amount=("amount", "sum"), co2e_kg=("co2e_kg", "sum"),
        factor_ids=("factor_id", lambda s: ";".join(sorted(set(s)))),
        auxiliary=("auxiliary", lambda s: ";".join(sorted(set(s)))),
        method=("method", lambda s: ";".join(sorted(set(s)))))
    return joined.reset_index()


def compare(old: Inventory, new: Inventory) -> pd.DataFrame:
    """Every source of either inventory with its change and the cause of the change.

    Returns
    -------
    pandas.DataFrame
        Per facility, year, category, activity, gas and scope: ``old_co2e_kg``,
        ``new_co2e_kg``, ``change_kg``, ``activity_effect_kg``, ``factor_effect_kg``
        (they add up to ``change_kg``), ``old_factor_ids``, ``new_factor_ids`` and
        ``cause``. Both inventories are valued with the new one's GWP set.
    """
    old = old.with_gwp(new.gwp)
    a, b = _sources(old), _sources(new)
    merged = a.merge(b, on=KEYS + ["scope"], how="outer", suffixes=("_old", "_new"),
                     indicator=True)
    e0, e1 = merged["co2e_kg_old"].fillna(0.0), merged["co2e_kg_new"].fillna(0.0)
    a0, a1 = merged["amount_old"], merged["amount_new"]
    with np.errstate(divide="ignore", invalid="ignore"):
        f0 = np.where(a0 > 0, e0 / a0, np.nan)
        f1 = np.where(a1 > 0, e1 / a1, np.nan)
    both = (merged["_merge"] == "both").to_numpy()
    activity_effect = np.where(both, (a1 - a0) * np.nan_to_num(f0), 0.0)
    factor_effect = np.where(both, (e1 - e0) - activity_effect, 0.0)
    same_amount = np.isclose(a0, a1, rtol=1e-12, atol=0.0)
    same_factor = (merged["factor_ids_old"] == merged["factor_ids_new"]) & (
        merged["auxiliary_old"] == merged["auxiliary_new"]) & np.isclose(
        np.nan_to_num(f0), np.nan_to_num(f1), rtol=1e-12, atol=0.0)
    cause = np.select(
        [merged["_merge"] == "right_only", merged["_merge"] == "left_only",
         merged["method_old"] != merged["method_new"],
         ~same_factor & ~same_amount, ~same_factor, ~same_amount],
        ["new_source", "removed_source", "method_changed", "activity_and_factor_changed",
         "factor_changed", "activity_changed"], default="unchanged")
    out = merged[KEYS + ["scope"]].copy()
    out["old_co2e_kg"], out["new_co2e_kg"] = e0, e1
    out["change_kg"] = e1 - e0
    out["activity_effect_kg"] = np.where(both, activity_effect, e1 - e0)
    out["factor_effect_kg"] = factor_effect
    out["old_factor_ids"] = merged["factor_ids_old"].fillna("")
    out["new_factor_ids"] = merged["factor_ids_new"].fillna("")
    out["cause"] = cause
    return out


def factor_change(activities: Any, *, old: Any = None, new: Any = None,
                  **options: Any) -> pd.DataFrame:
    """The same activity rows computed with the factors ``old``, then ``new``, compared
    source by source (:func:`compare`).

    Parameters
    ----------
    activities : path, DataFrame or a list of them
        The activity rows, as for :func:`ghg_inventory.compute`.
    old, new : as ``factors`` of :func:`ghg_inventory.compute`
        Override tables, shipped factor set names (``"provisional-grid"``) or a
        FactorDB; ``None`` for the shipped defaults alone. For a provisional value
        replaced by the official one: ``old="provisional-grid"``, ``new=None`` once the
        official value is in the shipped tables (or ``new`` the table that holds it).
    **options
        ``gwp``, ``guidelines``, ``country``, ``number_format`` ... for both runs.

    Returns
    -------
    pandas.DataFrame
        As :func:`compare`; the rows whose factor changed say ``factor_changed``, their
        ``factor_effect_kg`` is the whole change, and ``old_factor_ids`` /
        ``new_factor_ids`` name the records.
    """
    from ghg_inventory.api import compute

    return compare(compute(activities, factors=old, **options),
                   compute(activities, factors=new, **options))
