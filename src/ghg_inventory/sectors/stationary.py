"""Fuel combustion in stationary sources (IPCC 2006 Vol 2 Ch 2, Tier 1 and Tier 2).

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

from ghg_inventory.factors import FactorDB
from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results, spread
from ghg_inventory.sectors._inputs import factor_keys
from ghg_inventory.units import Q_

GASES = ("CO2", "CH4", "N2O")


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


def fuel_activities(factors: FactorDB) -> set[str]:
    """Fuels (``fuels.csv``) that have emission factors."""
    return set(factors.fuels().index) & factors.activities("ef")


def _needs(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Keys given as a volume (need a density) and keys not given as energy (need an
    NCV), from the keys' ``amount_kind``."""
    kind = keys["amount_kind"].to_numpy(dtype=object)
    return kind == "volume", kind != "energy"


def _rows(flags: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Positions of the rows whose key is flagged: the keys looked at first, the rows only
    when some key is."""
    if not flags.any():
        return np.empty(0, dtype=np.intp)
    return np.flatnonzero(flags[key])


def check_fuel_combustion(table: pd.DataFrame, ctx: Context, *, name: str,
                          variant: pd.Series | None = None,
                          variant_gases: tuple[str, ...] = ()) -> list[Failure]:
    """Rows :func:`compute_fuel_combustion` cannot compute, and why."""
    key, keys = factor_keys(table, ctx, name, variant=variant, always=("amount_kind",))
    states = ctx.factors.fuels()["state"].reindex(keys["activity"]).to_numpy(dtype=object)
    by_volume, by_mass = _needs(keys)
    solid_volume = by_volume & (states == "solid")
    failures = [Failure(_rows(solid_volume, key), "unit", msg("sectors.stationary.solid_volume"))]
    density = ctx.factors.lookup(keys, "density", "kg/m**3", guidelines=ctx.guidelines)
    failures.append(Failure(_rows(density["factor_id"].isna().to_numpy()
                                  & by_volume & ~solid_volume, key),
                            "unit", msg("sectors.stationary.no_density")))
    ncv = ctx.factors.lookup(keys, "ncv", "TJ/Gg", guidelines=ctx.guidelines)
    failures.append(Failure(_rows(ncv["factor_id"].isna().to_numpy() & by_mass, key),
                            "activity", msg("sectors.stationary.no_ncv")))
    for gas in GASES:
        ef = ctx.factors.lookup(keys, "ef", "kg/TJ", gas=gas, guidelines=ctx.guidelines,
                                required=("variant",) if gas in variant_gases else ())
        missing = _rows(ef["factor_id"].isna().to_numpy(), key)
        what = table["activity"].iloc[missing].astype(str).to_numpy()
        kinds = (variant.iloc[missing].astype(str).to_numpy() if variant is not None
                 else [""] * len(missing))
        failures.append(Failure(missing, "category", [
            msg("sectors.stationary.no_factor_variant", gas=gas, fuel=fuel, variant=v)
            if v and v != "nan" else msg("sectors.stationary.no_factor", gas=gas, fuel=fuel)
            for fuel, v in zip(what, kinds, strict=True)]))
    return [f for f in failures if len(f.positions)]


def compute_fuel_combustion(table: pd.DataFrame, ctx: Context, *, name: str,
                            variant: pd.Series | None = None,
                            variant_gases: tuple[str, ...] = (),
                            scope: str = "direct") -> pd.DataFrame:
    """CO2, CH4 and N2O of fuel burned, for every row at once (IPCC 2006 Vol 2 Eq. 2.1, 3.2.1).

    The energy of each row comes from its amount (energy as given; mass x NCV; volume x
    density x NCV), the factors from the database by category, fuel and, where given, a
    per-row ``variant`` (road-vehicle technology, off-road engine and sector). Gases in
    ``variant_gases`` take only records for the row's variant, never a generic one. The
    energy of every row (TJ) is returned in ``attrs["energy_tj"]`` for energy indicators.
    """
    # the way an amount was given (energy, mass, volume) is part of the key, so that the
    # energy per unit of amount is one number per key
    key, keys = factor_keys(table, ctx, name, variant=variant, always=("amount_kind",))
    by_volume, by_mass = _needs(keys)
    density = ctx.factors.lookup(keys, "density", "kg/m**3", guidelines=ctx.guidelines)
    ncv = ctx.factors.lookup(keys, "ncv", "TJ/Gg", guidelines=ctx.guidelines)

    # Energy per unit of amount, for each key: the same equations on one unit, then one
    # multiply per row (a volume is not an energy, so it takes both equations).
    per_kg = fuel_energy(Q_(1.0, "kg"), Q_(ncv["value"].to_numpy(), "TJ/Gg")).m_as("TJ")
    per_m3 = fuel_energy(fuel_mass_from_volume(Q_(1.0, "m**3"),
                                               Q_(density["value"].to_numpy(), "kg/m**3")),
                         Q_(ncv["value"].to_numpy(), "TJ/Gg")).m_as("TJ")
    per_unit = np.where(by_volume, per_m3, np.where(by_mass, per_kg, 1.0))
    energy = np.empty(len(key))
    spread(per_unit, key, energy)
    energy *= table["amount"].to_numpy(dtype=float)

    ncv_ids = ncv["factor_id"].fillna("").astype(str).to_numpy(dtype=object)
    density_ids = density["factor_id"].fillna("").astype(str).to_numpy(dtype=object)
    aux_labels = np.where(by_volume, density_ids + ";" + ncv_ids,
                          np.where(by_mass, ncv_ids, ""))
    aux_codes, aux_categories = pd.factorize(aux_labels)
    aux_of_row = np.empty(len(key), dtype=np.int16)
    spread(aux_codes.astype(np.int16), key, aux_of_row)
    auxiliary = pd.Categorical.from_codes(aux_of_row, categories=aux_categories,
                                          validate=False)

    # every gas's emissions written into one block, which the results then hold as they are
    emitted = np.empty((len(GASES), len(key)))
    results = []
    for gas, into in zip(GASES, emitted, strict=True):
        ef = ctx.factors.lookup(keys, "ef", "kg/TJ", gas=gas, guidelines=ctx.guidelines,
                                required=("variant",) if gas in variant_gases else ())
        # Eq. 2.1 once per key for one TJ; then each row's energy times its key's result
        per_tj = combustion_emissions(Q_(1.0, "TJ"),
                                      Q_(ef["value"].to_numpy(), "kg/TJ")).m_as("kg")
        spread(per_tj, key, into)
        into *= energy
        results.append(GasResult(gas, into, key, ef, scope=scope))
    out = gas_results(results, auxiliary)
    out.attrs["energy_tj"] = energy
    return out


def _check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    return check_fuel_combustion(table, ctx, name="stationary_combustion")


def _compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return compute_fuel_combustion(table, ctx, name="stationary_combustion")


STATIONARY_COMBUSTION = Method(
    name="stationary_combustion",
    categories=("1.A.1", "1.A.2", "1.A.4.a", "1.A.4.b", "1.A.4.c", "1.A.5"),
    # Mobile sources of 1.A.4.c and 1.A.5 take the mobile-combustion factors of Vol 2 Ch 3.
    exclude=("1.A.4.c.ii", "1.A.4.c.iii", "1.A.5.b"),
    activities=lambda factors: fuel_activities(factors),
    amount_kinds=("mass", "energy", "volume"),
    compute=_compute,
    check=_check,
    description="Fuel combustion in stationary sources, IPCC 2006 Vol 2 Ch 2 (Eq. 2.1/2.2)",
)
