"""Purchased electricity, heat and steam (indirect emissions, scope 2): the location-based
method of the GHG Protocol Scope 2 Guidance, with the grid factor of the row's year and
country, or the heat supplier's own factor.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import factor_keys
from ghg_inventory.units import Q_


def indirect_emissions(energy: pint.Quantity, emission_factor: pint.Quantity) -> pint.Quantity:
    r"""CO2 attributed to purchased electricity, heat or steam (location-based scope 2).

    .. math:: Emissions = Energy_{purchased} \cdot EF_{grid,\,year}

    Parameters
    ----------
    energy : pint.Quantity
        Electricity, heat or steam bought in the year. [kWh or any energy]
    emission_factor : pint.Quantity
        The grid's (or heat supplier's) emission factor for that year. [kg/kWh]

    Returns
    -------
    pint.Quantity
        CO2 attributed to the purchase. [kg]

    References
    ----------
    .. [1] WRI/WBCSD, GHG Protocol Scope 2 Guidance (2015), location-based method, ch. 6.
    """
    return (energy * emission_factor).to("kg")


def _years_available(ctx: Context, activity: str, country: str) -> str:
    records = ctx.factors.table
    mine = records[(records.activity == activity) & (records.parameter == "ef")
                   & (records.country.isna() | (records.country == country))]
    years = sorted({int(y) for y in mine["year"].dropna()})
    return ", ".join(map(str, years)) if years else msg("sectors.electricity.no_years")


def _in_sets(activity: str, country: str, year: int) -> str:
    """What to do when a shipped, opt-in factor set holds the missing value."""
    from ghg_inventory.factor_sets import describe, sets_holding

    names = sets_holding(activity, country, int(year))
    if not names:
        return ""
    statuses = {n: describe(n).status for n in names}
    status = "; ".join(f"{n}: {s}" for n, s in statuses.items() if s)
    if status:
        return msg("sectors.electricity.in_sets_status", names=", ".join(names), status=status,
                   first=names[0])
    return msg("sectors.electricity.in_sets", names=", ".join(names), first=names[0])


def _indirect_check(table: pd.DataFrame, ctx: Context, name: str, by_year: bool
                    ) -> list[Failure]:
    key, keys = factor_keys(table, ctx, name, always=("country", "year"))
    ef = ctx.factors.lookup(keys, "ef", "kg/kWh", gas="CO2", guidelines=ctx.guidelines,
                            required=("year",) if by_year else ())
    missing = np.flatnonzero(ef["factor_id"].isna().to_numpy()[key])
    rows = keys.iloc[key[missing]]
    messages: list[str] = [
        msg("sectors.electricity.no_factor_year", activity=a, country=c, year=y,
            years=_years_available(ctx, a, c), sets=_in_sets(a, c, y))
        if by_year else
        msg("sectors.electricity.no_factor_facility", activity=a)
        for a, c, y in zip(rows["activity"], rows["country"], rows["year"], strict=True)]
    return [Failure(missing, "year" if by_year else "activity", messages)] if len(missing) else []


def _indirect_compute(table: pd.DataFrame, ctx: Context, name: str, by_year: bool
                      ) -> pd.DataFrame:
    key, keys = factor_keys(table, ctx, name, always=("country", "year"))
    ef = ctx.factors.lookup(keys, "ef", "kg/kWh", gas="CO2", guidelines=ctx.guidelines,
                            required=("year",) if by_year else ())
    energy_tj = table["amount"].to_numpy(dtype=float)
    emitted = indirect_emissions(Q_(energy_tj, "TJ"),
                                 Q_(ef["value"].to_numpy()[key], "kg/kWh")).m_as("kg")
    out = gas_results([GasResult("CO2", emitted, key, ef, scope="indirect")])
    out.attrs["energy_tj"] = energy_tj
    return out


PURCHASED_ELECTRICITY = Method(
    name="purchased_electricity",
    categories=("indirect.electricity",),
    activities=lambda factors: {"grid_electricity"},
    amount_kinds=("energy",),
    compute=lambda t, c: _indirect_compute(t, c, "purchased_electricity", by_year=True),
    check=lambda t, c: _indirect_check(t, c, "purchased_electricity", by_year=True),
    parameters={"country": str},
    description="Purchased grid electricity (scope 2, location-based), factor of the "
                "row's year and country",
)
PURCHASED_HEAT = Method(
    name="purchased_heat",
    categories=("indirect.heat",),
    activities=lambda factors: {"purchased_heat", "purchased_steam"},
    amount_kinds=("energy",),
    compute=lambda t, c: _indirect_compute(t, c, "purchased_heat", by_year=False),
    check=lambda t, c: _indirect_check(t, c, "purchased_heat", by_year=False),
    description="Purchased heat or steam (scope 2) with the supplier's factor (override)",
)
