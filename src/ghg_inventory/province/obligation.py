"""Which facilities must make a greenhouse-gas inventory (Decree 06/2022/NĐ-CP as amended).

The thresholds live in ``data/inventory_obligation.csv`` with their legal source, so an
amendment is a data change. What the code knows is only how to measure each criterion's
quantity for a facility and year, and which facilities a criterion applies to:

- ``emissions``: direct emissions in t CO2e (biogenic CO2 and indirect rows excluded),
  every facility;
- ``energy_*``: energy used (fuels burned plus purchased electricity, heat and steam) in
  toe (``fuel_energy``: fuels only, for freight transport), for the facilities of the
  criterion's kind: ``industry`` (rows in 1.A.2 or IPPU),
  ``thermal_power`` (1.A.1.a), ``freight_transport`` (1.A.3.b rows: a facility reporting
  road vehicles is taken as a transport company; pass ``facility_type`` to say otherwise),
  ``commercial_building`` (1.A.4.a);
- ``solid_waste_treatment``: tonnes of solid waste treated in the year (mass amounts of
  rows in 4.A, 4.B, 4.C, each reported row once: a landfill's deposit counts in its
  deposit year, not again in the years its decay is carried to), facilities with such
  rows. The decree's criterion is the facility's *capacity* (t/yr); tonnage treated is the
  proxy the activity data gives, so a facility near the limit should be checked against
  its permit.

Rows whose ``facility_type`` is ``aggregate`` sum many small sources that are no facility
(a commune's farms and households, as the province compiles them): they are never screened.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n.messages import joined, msg
from ghg_inventory.province.indicators import energy_use
from ghg_inventory.units import Q_

if TYPE_CHECKING:
    from ghg_inventory.inventory import Inventory

#: The category prefixes that make a facility of each kind.
KIND_PREFIXES = {
    "industry": ("1.A.2", "2"),
    "thermal_power": ("1.A.1.a",),
    "freight_transport": ("1.A.3.b",),
    "commercial_building": ("1.A.4.a",),
    "solid_waste_treatment": ("4.A", "4.B", "4.C"),
}


@cache
def thresholds() -> pd.DataFrame:
    """The criteria (``data/inventory_obligation.csv``): threshold, unit, legal source."""
    path = resources.files("ghg_inventory") / "data" / "inventory_obligation.csv"
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def _kind_of(criterion: str) -> str | None:
    if criterion == "emissions":
        return None
    kind = criterion.removeprefix("energy_")
    if kind not in KIND_PREFIXES:
        raise GHGInventoryError(msg("province.obligation.unknown_criterion",
                                    criterion=criterion))
    return kind


def facility_summary(inventory: Inventory) -> pd.DataFrame:
    """Per facility and year: direct t CO2e, energy in toe, solid waste treated in t, and
    which kinds of facility its rows make it (``is_<kind>`` columns)."""
    keys = ["facility_id", "year"]
    emissions = inventory.rollup(by=keys)[keys + ["co2e_kg"]]
    group, labels = inventory.activity_groups(keys)
    table = inventory.activities
    categories = table["category"].astype(str)
    out = labels.copy()
    for kind, prefixes in KIND_PREFIXES.items():
        rows = np.zeros(len(table), dtype=bool)
        for prefix in prefixes:
            rows |= (categories == prefix).to_numpy() | categories.str.startswith(
                prefix + ".").to_numpy()
        out[f"is_{kind}"] = np.bincount(group, weights=rows, minlength=len(out)) > 0
    out["is_aggregate"] = False
    if "facility_type" in table:
        given = table["facility_type"].astype("string").str.strip().fillna("")
        for kind in (*KIND_PREFIXES, "aggregate"):
            said = (given == kind).to_numpy()
            out[f"is_{kind}"] |= np.bincount(group, weights=said, minlength=len(out)) > 0
    waste = out["is_solid_waste_treatment"].to_numpy()
    mass = (table["amount_kind"] == "mass").to_numpy()
    # a deposit is treated once, in its year: the engine's copies of it carry its decay
    # into later years with the same amount, and are no waste received then
    waste_rows = categories.str.match(r"^4\.[ABC](\.|$)").to_numpy() & mass \
        & inventory.is_source
    out["waste_treated_t"] = np.bincount(group, weights=np.where(
        waste_rows, table["amount"].to_numpy(dtype=float), 0.0), minlength=len(out)) / 1000.0
    out.loc[~waste, "waste_treated_t"] = 0.0
    energy = energy_use(inventory, by=keys)
    energy["fuel_toe"] = Q_(energy["fuel_TJ"].to_numpy(), "TJ").m_as("toe")
    energy = energy[keys + ["total_toe", "fuel_toe"]]
    out = out.merge(emissions, on=keys, how="left").merge(energy, on=keys, how="left")
    out["co2e_t"] = out.pop("co2e_kg").fillna(0.0) / 1000.0
    out["energy_toe"] = out.pop("total_toe").fillna(0.0)
    out["fuel_toe"] = out["fuel_toe"].fillna(0.0)
    return out


def screen_facilities(summary: pd.DataFrame, criteria: pd.DataFrame | None = None
                      ) -> pd.DataFrame:
    """Apply the criteria to per-facility-year quantities.

    Parameters
    ----------
    summary : pandas.DataFrame
        Columns ``facility_id``, ``year``, ``co2e_t``, ``energy_toe``, ``waste_treated_t``
        and ``is_<kind>`` flags (see :func:`facility_summary`).
    criteria : pandas.DataFrame, optional
        Defaults to :func:`thresholds`.

    Returns
    -------
    pandas.DataFrame
        ``summary`` with ``must_inventory`` (bool) and ``reasons`` (the criteria met, with
        their thresholds and legal source).
    """
    criteria = thresholds() if criteria is None else criteria
    measure_column = {"co2e": "co2e_t", "energy": "energy_toe", "fuel_energy": "fuel_toe",
                      "waste_treated": "waste_treated_t"}
    measure_unit = {"co2e": "t", "energy": "toe", "fuel_energy": "toe", "waste_treated": "t"}
    reasons: list[list[str]] = [[] for _ in range(len(summary))]
    for c in criteria.itertuples(index=False):
        column = measure_column[str(c.measure)]
        limit = Q_(float(c.threshold), str(c.unit)).m_as(measure_unit[str(c.measure)])
        kind = _kind_of(str(c.criterion))
        applies = np.ones(len(summary), dtype=bool) if kind is None \
            else summary[f"is_{kind}"].to_numpy(dtype=bool)
        if "is_aggregate" in summary:  # not a facility: a commune's many small sources
            applies = applies & ~summary["is_aggregate"].to_numpy(dtype=bool)
        met = applies & (summary[column].to_numpy(dtype=float) >= limit)
        source = str(c.source).split(" (")[0]
        said_source = msg("province.obligation.decree_06_2022") \
            if source == "Decree 06/2022/NĐ-CP of 7 Jan 2022" else source
        for i in np.flatnonzero(met):
            reasons[i].append(msg("province.obligation.reason", criterion=c.criterion,
                                  value=float(summary[column].iat[i]), limit=limit,
                                  unit=measure_unit[str(c.measure)], source=said_source))
    out = summary.copy()
    out["must_inventory"] = [bool(r) for r in reasons]
    # messages (English text, said in another language by the command line); "" for none
    out["reasons"] = pd.Series([joined(r, "; ") if r else "" for r in reasons],
                               index=out.index, dtype=object)
    return out


def screen(inventory: Inventory) -> pd.DataFrame:
    """Which facilities of an inventory must make a GHG inventory, per year, and why."""
    return screen_facilities(facility_summary(inventory))
