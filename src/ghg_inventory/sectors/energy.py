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

from ..methods import Context, Failure, Method, register
from ..units import Q_

GASES = ("CO2", "CH4", "N2O")
KEY_COLUMNS = ["category", "activity", "facility_id", "country", "year"]


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


def _keys(table: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Distinct factor-lookup keys of a table and, for each row, the position of its key."""
    codes = table.groupby(KEY_COLUMNS, observed=True, sort=False, dropna=False).ngroup()
    codes_arr = codes.to_numpy()
    first = pd.Series(np.arange(len(table))).groupby(codes_arr).first()
    keys = table.iloc[first.to_numpy()][KEY_COLUMNS].reset_index(drop=True)
    for col in KEY_COLUMNS:
        keys[col] = keys[col].astype(object)
    return codes_arr, keys


def _needs(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    kind = table["amount_kind"].to_numpy()
    return kind == "volume", kind != "energy"


def _check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    failures: list[Failure] = []
    fuels = _fuels(ctx)
    state = table["activity"].astype(object).map(fuels["state"]).to_numpy()
    by_volume, by_mass = _needs(table)
    solid_volume = by_volume & (state == "solid")
    failures.append(Failure(np.flatnonzero(solid_volume), "unit",
                            "a volume of a solid fuel; give its mass or energy"))
    codes, keys = _keys(table)
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
        what = table["activity"].astype(str).to_numpy()[missing]
        failures.append(Failure(missing, "category", [
            f"no {gas} emission factor for {fuel} in this category; add an override record "
            "with its source" for fuel in what]))
    return [f for f in failures if len(f.positions)]


def _compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    codes, keys = _keys(table)
    by_volume, by_mass = _needs(table)
    amount = table["amount"].to_numpy(dtype=float)

    density = ctx.factors.lookup(keys, "density", "kg/m**3", guidelines=ctx.guidelines)
    ncv = ctx.factors.lookup(keys, "ncv", "TJ/Gg", guidelines=ctx.guidelines)
    rho = density["value"].to_numpy()[codes]
    mass = np.where(by_volume, fuel_mass_from_volume(Q_(amount, "m**3"), Q_(rho, "kg/m**3")).m,
                    amount)
    ncv_values = ncv["value"].to_numpy()[codes]
    energy = np.where(by_mass, fuel_energy(Q_(mass, "kg"), Q_(ncv_values, "TJ/Gg")).m, amount)

    aux_per_key = (
        density["factor_id"].fillna("").astype(str).str.cat(
            ncv["factor_id"].fillna("").astype(str), sep=";")
    )
    aux_codes = np.where(by_volume, 2, np.where(by_mass, 1, 0))
    aux_table = pd.Categorical(
        np.concatenate([[""] * len(keys),
                        ncv["factor_id"].fillna("").astype(str).to_numpy(),
                        aux_per_key.to_numpy()]))
    aux = pd.Categorical.from_codes(
        aux_table.codes[aux_codes * len(keys) + codes], categories=aux_table.categories)

    parts = []
    positions = np.arange(len(table))
    for gas in GASES:
        ef = ctx.factors.lookup(keys, "ef", "kg/TJ", gas=gas, guidelines=ctx.guidelines)
        values = ef["value"].to_numpy()[codes]
        emitted = combustion_emissions(Q_(energy, "TJ"), Q_(values, "kg/TJ")).m
        fossil = ef["fossil"].fillna(True).astype(bool).to_numpy()[codes]
        parts.append(pd.DataFrame({
            "_pos": positions,
            "gas": gas,
            "emissions_kg": emitted,
            "scope": "direct",
            "biogenic": (~fossil) & (gas == "CO2"),
            "fossil": fossil,
            "factor_id": pd.Categorical(ef["factor_id"].astype(str).to_numpy())[codes],
            "tier": ef["tier"].astype(np.int8).to_numpy()[codes],
            "guidelines": ef["guidelines"].astype(str).to_numpy()[codes],
            "auxiliary_factor_ids": aux,
        }))
    return pd.concat(parts, ignore_index=True)


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
