"""Energy: fuel combustion in stationary sources (IPCC 2006 Vol 2 Ch 2, Tier 1 and Tier 2).

Tier 1 multiplies the fuel's energy content by default emission factors. The energy content
comes from the amount as given (TJ, GJ, kWh ...), or from a mass times the net calorific
value, or from a volume times a sourced density times the NCV. NCVs are the defaults of
Vol 2 Ch 1 Table 1.2; CO2 factors the *printed* effective CO2 emission factors of Table 1.4
(carbon content x 44/12 with oxidation factor 1, as IPCC rounded them), not recomputed from
carbon content; CH4 and N2O factors those of Tables 2.2-2.5 by category. Tier 2 is the same
equation with a country's or a facility's own NCV and factors, given as override records.

Biomass fuels: their CO2 is reported as a memo item (``biogenic = True``) and kept out of
totals (Vol 2 Ch 2 section 2.3.3.4); their CH4 and N2O count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pint

from ..grouping import factorize_rows
from ..methods import Context, Failure, GasResult, Method, gas_results, register
from ..units import Q_

GASES = ("CO2", "CH4", "N2O")
OPTIONAL_KEYS = ("facility_id", "country", "year")


def fuel_mass_from_volume(volume: pint.Quantity, density: pint.Quantity) -> pint.Quantity:
    r"""Mass of a liquid or gaseous fuel from its volume.

    .. math:: m = V \cdot \rho

    Parameters
    ----------
    volume : pint.Quantity
        Volume of fuel. [m**3]
    density : pint.Quantity
        Density of the fuel at the conditions the volume was measured at. [kg/m**3]

    Returns
    -------
    pint.Quantity
        Mass of fuel. [kg]
    """
    return (volume * density).to("kg")


def fuel_energy(mass: pint.Quantity, ncv: pint.Quantity) -> pint.Quantity:
    r"""Energy content of a fuel on a net calorific basis.

    .. math:: Fuel_{TJ} = m \cdot NCV

    Parameters
    ----------
    mass : pint.Quantity
        Mass of fuel. [Gg or any mass]
    ncv : pint.Quantity
        Net calorific value. [TJ/Gg]

    Returns
    -------
    pint.Quantity
        Energy. [TJ]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 2, Ch 1, section 1.4.1.2 and Table 1.2.
    """
    return (mass * ncv).to("TJ")


def combustion_emissions(fuel: pint.Quantity, emission_factor: pint.Quantity) -> pint.Quantity:
    r"""Emissions of one greenhouse gas from fuel combustion, IPCC 2006 Tier 1 (and Tier 2).

    .. math:: Emissions_{GHG,fuel} = Fuel\ Consumption_{fuel} \cdot EF_{GHG,fuel}

    Parameters
    ----------
    fuel : pint.Quantity
        Fuel consumed, on a net calorific basis. [TJ]
    emission_factor : pint.Quantity
        Default (Tier 1) or country/facility-specific (Tier 2) emission factor. [kg/TJ]

    Returns
    -------
    pint.Quantity
        Mass of the gas emitted. [kg]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 2, Ch 2, Eq. 2.1 (Tier 1) and Eq. 2.2 (Tier 2).
    """
    return (fuel * emission_factor).to("kg")


def _fuels(ctx: Context) -> pd.DataFrame:
    return ctx.factors.fuels()


def _activities(factors) -> set[str]:  # type: ignore[no-untyped-def]
    return set(factors.fuels().index) & factors.activities("ef")


def _keys(table: pd.DataFrame, ctx: Context) -> tuple[np.ndarray, pd.DataFrame]:
    answer = ctx.remember("stationary_combustion.keys", table, lambda: _distinct_keys(table, ctx))
    return answer  # type: ignore[return-value]


def _distinct_keys(table: pd.DataFrame, ctx: Context) -> tuple[np.ndarray, pd.DataFrame]:
    """Distinct factor-lookup keys of a table and, for each row, the position of its key.

    Facility, country and year are part of the key only when some factor record is
    specific to them, so a table of a million rows usually has a handful of keys.
    """
    columns = ["category", "activity"] + [c for c in OPTIONAL_KEYS if ctx.factors.uses(c)]
    inverse, first = factorize_rows([table[c] for c in columns])
    keys = pd.DataFrame({c: table[c].iloc[first].astype(object).to_numpy() for c in columns})
    return inverse, keys


def _needs(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows given as a volume (need a density) and rows not given as energy (need an NCV)."""
    kind = table["amount_kind"]
    codes, names = kind.cat.codes.to_numpy(), list(kind.cat.categories)

    def code(name: str) -> int:
        return names.index(name) if name in names else -2

    return codes == code("volume"), codes != code("energy")


def _check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    failures: list[Failure] = []
    activity = table["activity"]
    states = _fuels(ctx)["state"].reindex(activity.cat.categories).to_numpy(dtype=object)
    solid = np.append(states == "solid", False)[activity.cat.codes.to_numpy()]
    by_volume, by_mass = _needs(table)
    solid_volume = by_volume & solid
    failures.append(Failure(np.flatnonzero(solid_volume), "unit",
                            "a volume of a solid fuel; give its mass or energy"))
    codes, keys = _keys(table, ctx)
    density = ctx.factors.lookup(keys, "density", "kg/m**3", guidelines=ctx.guidelines)
    no_density = by_volume & ~solid_volume & density["factor_id"].isna().to_numpy()[codes]
    failures.append(Failure(
        np.flatnonzero(no_density), "unit",
        "a volume, but no sourced density for this fuel; give mass or energy, "
        "or add a density record (override table with its source)",
    ))
    ncv = ctx.factors.lookup(keys, "ncv", "TJ/Gg", guidelines=ctx.guidelines)
    no_ncv = by_mass & ncv["factor_id"].isna().to_numpy()[codes]
    failures.append(Failure(np.flatnonzero(no_ncv), "activity",
                            "no net calorific value for this fuel; give the amount as energy "
                            "(TJ, GJ ...) or add an NCV record"))
    for gas in GASES:
        ef = ctx.factors.lookup(keys, "ef", "kg/TJ", gas=gas, guidelines=ctx.guidelines)
        missing = np.flatnonzero(ef["factor_id"].isna().to_numpy()[codes])
        what = table["activity"].iloc[missing].astype(str).to_numpy()
        failures.append(Failure(missing, "category", [
            f"no {gas} emission factor for {fuel} in this category; add an override record "
            "with its source" for fuel in what]))
    return [f for f in failures if len(f.positions)]


def _compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    key, keys = _keys(table, ctx)
    by_volume, by_mass = _needs(table)
    kind = np.where(by_volume, 2, np.where(by_mass, 1, 0)).astype(np.int8)
    density = ctx.factors.lookup(keys, "density", "kg/m**3", guidelines=ctx.guidelines)
    ncv = ctx.factors.lookup(keys, "ncv", "TJ/Gg", guidelines=ctx.guidelines)

    # Energy per unit of amount, for each key and each way the amount was given
    # (energy, mass, volume): the same equations on one unit, then one multiply per row.
    per_kg = fuel_energy(Q_(1.0, "kg"), Q_(ncv["value"].to_numpy(), "TJ/Gg")).m_as("TJ")
    per_m3 = fuel_energy(fuel_mass_from_volume(Q_(1.0, "m**3"),
                                               Q_(density["value"].to_numpy(), "kg/m**3")),
                         Q_(ncv["value"].to_numpy(), "TJ/Gg")).m_as("TJ")
    per_unit = np.concatenate([np.ones(len(keys)), per_kg, per_m3])
    row_key = kind.astype(np.int64) * len(keys) + key
    energy = table["amount"].to_numpy(dtype=float) * per_unit[row_key]

    ncv_ids = ncv["factor_id"].fillna("").astype(str).to_numpy(dtype=object)
    density_ids = density["factor_id"].fillna("").astype(str).to_numpy(dtype=object)
    aux_labels = np.concatenate([[""] * len(keys), ncv_ids, density_ids + ";" + ncv_ids])
    aux_codes, aux_categories = pd.factorize(aux_labels)
    auxiliary = pd.Categorical.from_codes(aux_codes.astype(np.int16)[row_key],
                                          categories=aux_categories)
    del row_key

    results = []
    for gas in GASES:
        ef = ctx.factors.lookup(keys, "ef", "kg/TJ", gas=gas, guidelines=ctx.guidelines)
        emitted = combustion_emissions(Q_(energy, "TJ"),
                                       Q_(ef["value"].to_numpy()[key], "kg/TJ")).m_as("kg")
        results.append(GasResult(gas, emitted, key, ef))
    return gas_results(results, auxiliary)


STATIONARY_COMBUSTION = register(Method(
    name="stationary_combustion",
    categories=("1.A.1", "1.A.2", "1.A.4.a", "1.A.4.b", "1.A.4.c", "1.A.5"),
    # Mobile sources of 1.A.4.c and 1.A.5 take the mobile-combustion factors of Vol 2 Ch 3.
    exclude=("1.A.4.c.ii", "1.A.4.c.iii", "1.A.5.b"),
    activities=_activities,
    amount_kinds=("mass", "energy", "volume"),
    compute=_compute,
    check=_check,
    description="Fuel combustion in stationary sources, IPCC 2006 Vol 2 Ch 2 (Eq. 2.1/2.2)",
))
