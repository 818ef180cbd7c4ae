"""Energy indicators of the province plan: energy use (TJ, toe), saving against
business-as-usual, renewable share of primary energy; and the targets they are read against.

Energy use is the energy of the fuels burned (as computed by the combustion methods: NCV
basis) plus purchased electricity, heat and steam (physical energy content), per activity
row. Tonnes of oil equivalent: 1 toe = 41.868 GJ (OECD Glossary of Statistical Terms, the
IEA's unit), as defined in :mod:`ghg_inventory.units`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ghg_inventory.errors import GHGInventoryError, UnknownKeyError
from ghg_inventory.i18n.messages import joined, msg
from ghg_inventory.numbers import NumberFormatSpec
from ghg_inventory.units import Q_

if TYPE_CHECKING:
    from ghg_inventory.inventory import Inventory

#: Energy carriers that count as renewable in a primary energy balance, besides the
#: biomass fuels of ``emission_factors/fuels.csv`` (as classified by the UN International
#: Recommendations for Energy Statistics, IRES: hydro, wind, solar, geothermal, ocean
#: energy and biofuels are renewable).
RENEWABLE_CARRIERS = ("hydropower", "solar", "wind", "geothermal", "ocean")


@cache
def plan_targets() -> pd.DataFrame:
    """The province plan's quantified targets (``data/plan_targets.csv``), with source."""
    path = resources.files("ghg_inventory") / "data" / "plan_targets.csv"
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle).set_index("target")


def _renewable(carriers: pd.Series, fuels: pd.DataFrame) -> np.ndarray:
    biomass = set(fuels.index[fuels["biomass"]])
    return carriers.isin(set(RENEWABLE_CARRIERS) | biomass).to_numpy(dtype=bool)


def energy_use(inventory: Inventory, by: str | Sequence[str] = ()) -> pd.DataFrame:
    """Energy used per group: fuels burned and energy purchased, in TJ and toe.

    Parameters
    ----------
    inventory : Inventory
    by : str or sequence of str
        Grouping keys, as for :meth:`Inventory.rollup` (``facility_id``, ``commune``,
        ``sector``, ``plan_area``, ``year`` ...).

    Returns
    -------
    pandas.DataFrame
        Groups, then ``fuel_TJ`` (direct combustion), ``purchased_TJ`` (electricity, heat,
        steam), ``total_TJ`` and ``total_toe``.
    """
    keys = [by] if isinstance(by, str) else list(by)
    table = inventory.activities
    if "energy_tj" not in table:
        raise GHGInventoryError(msg("province.indicators.no_energy"))
    energy = table["energy_tj"].to_numpy(dtype=float)
    used = ~np.isnan(energy)
    purchased = table["category"].astype(str).str.startswith("indirect").to_numpy()
    frame = pd.DataFrame({
        "fuel_TJ": np.where(used & ~purchased, energy, 0.0),
        "purchased_TJ": np.where(used & purchased, energy, 0.0),
    })
    if keys:
        group, labels = inventory.activity_groups(keys)
        frame = frame.groupby(group).sum()
        frame = pd.concat([labels.iloc[frame.index].reset_index(drop=True),
                           frame.reset_index(drop=True)], axis=1)
        has_energy = pd.Series(used).groupby(group).any().to_numpy()
        frame = frame[has_energy].reset_index(drop=True)
    else:
        frame = frame.sum().to_frame().T
    frame["total_TJ"] = frame["fuel_TJ"] + frame["purchased_TJ"]
    frame["total_toe"] = Q_(frame["total_TJ"].to_numpy(), "TJ").m_as("toe")
    return frame


def energy_saving(actual: pd.Series, bau: pd.Series) -> pd.DataFrame:
    """Energy saving against a business-as-usual projection, per year.

    Parameters
    ----------
    actual : pandas.Series
        Final energy consumption by year (index: year), e.g. ``energy_use(inv, "year")``'s
        ``total_toe``. [any energy unit, the same as ``bau``]
    bau : pandas.Series
        The business-as-usual projection the user supplies, same unit, by year.

    Returns
    -------
    pandas.DataFrame
        By year: ``actual``, ``bau``, ``saving`` (bau - actual) and ``saving_pct``
        (100 x saving / bau), beside the plan's target (``target_pct``, 6% by 2030).

    Raises
    ------
    GHGInventoryError
        If a year of ``actual`` has no BAU value, or a BAU value is not positive.
    """
    missing = sorted(set(actual.index) - set(bau.index))
    if missing:
        raise GHGInventoryError(msg("province.indicators.no_bau", missing=missing,
                                    covered=sorted(bau.index)))
    bau = bau.reindex(actual.index)
    if (bau <= 0).any():
        raise GHGInventoryError(msg("province.indicators.bau_positive"))
    out = pd.DataFrame({"actual": actual, "bau": bau})
    out["saving"] = out["bau"] - out["actual"]
    out["saving_pct"] = 100.0 * out["saving"] / out["bau"]
    out["target_pct"] = float(plan_targets().at["energy_saving", "value"])
    return out


def renewable_share(balance: str | Path | pd.DataFrame, *,
                    number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """Renewable share of total primary energy supply, per year, from an energy balance.

    Parameters
    ----------
    balance : path or pandas.DataFrame
        The user's primary energy supply (CSV, Excel or DataFrame): columns ``year``,
        ``carrier`` (``hydropower``, ``solar``, a fuel key such as
        ``other_bituminous_coal`` or ``wood_wood_waste``), ``amount`` and ``unit`` (any
        energy unit), optionally ``renewable`` (bool) to classify a carrier the library
        does not know.
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text in ``year`` and ``amount`` are read
        (:func:`ghg_inventory.province.tables.read_table`): ``"vi"`` reads ``9.974`` TJ as
        9974 TJ; without it such a value is refused (both readings named) unless its column
        settles the convention. Numeric columns are numbers and never re-read.

    Returns
    -------
    pandas.DataFrame
        By year: ``renewable_TJ``, ``total_TJ``, ``renewable_pct`` and the plan's
        ``target_pct`` (99.74% by 2030).

    Raises
    ------
    ActivityValidationError
        Numbers that read two ways without a declared format, or text in ``year`` or
        ``amount``, named by file, row and column.
    """
    from ghg_inventory.factors import FactorDB
    from ghg_inventory.province.tables import read_table

    balance = read_table(balance, "energy balance", numbers=("year", "amount"),
                         number_format=number_format).drop(columns=["_file", "_row"])

    needed = {"year", "carrier", "amount", "unit"} - set(balance.columns)
    if needed:
        raise GHGInventoryError(msg("province.indicators.balance_columns",
                                    columns=sorted(needed)))
    fuels = FactorDB.default().fuels()
    carriers = balance["carrier"].astype(str).str.strip()
    known = set(RENEWABLE_CARRIERS) | set(fuels.index)
    if "renewable" in balance:
        renewable = balance["renewable"].astype("boolean")
        unknown = carriers[renewable.isna() & ~carriers.isin(known)]
        renewable = renewable.fillna(pd.Series(_renewable(carriers, fuels), index=carriers.index))
    else:
        unknown = carriers[~carriers.isin(known)]
        renewable = pd.Series(_renewable(carriers, fuels), index=carriers.index)
    if len(unknown):
        rows = joined([msg("province.indicators.carrier_row", row=i, carrier=c)
                      for i, c in unknown.items()], ", ")
        raise UnknownKeyError(msg("province.indicators.unknown_carriers", rows=rows))
    per_unit = {u: Q_(1.0, u).m_as("TJ") for u in pd.unique(balance["unit"].astype(str))}
    tj = balance["amount"].to_numpy(dtype=float) * balance["unit"].astype(str).map(
        per_unit).to_numpy(dtype=float)
    frame = pd.DataFrame({"year": balance["year"].to_numpy(),
                          "renewable_TJ": np.where(renewable.to_numpy(dtype=bool), tj, 0.0),
                          "total_TJ": tj})
    out = frame.groupby("year").sum()
    out["renewable_pct"] = 100.0 * out["renewable_TJ"] / out["total_TJ"]
    out["target_pct"] = float(plan_targets().at["renewable_share_primary_energy", "value"])
    return out
