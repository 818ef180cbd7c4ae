"""Transport and other mobile sources (IPCC 2006 Vol 2 Ch 3), Tier 1 and Tier 2/3.

Fuel-based methods (road, off-road machinery, railways, domestic navigation, domestic
aviation) are the fuel-combustion equation with the mobile factors of Chapter 3, looked up
by category, fuel and, where the tables distinguish them, a *variant*: the technology of
gasoline road vehicles (Table 3.2.2) or the engine and sector of off-road machinery
(Table 3.3.1). Their CO2 factors fall back to Vol 2 Ch 1 Table 1.4 where Chapter 3 prints
the same value; their CH4 and N2O never fall back to stationary factors.

Amounts are the fuel *used* by the reporting facility in the year (its fuel purchase or
fleet records), not national fuel sold; the IPCC's fuel-sold convention applies to a
national total built from energy statistics, which the province's totals are not.

Distance-based road CH4/N2O (Tier 2/3, Vol 2 Ch 3 Eq. 3.2.3 without cold-start terms)
takes vehicle-km per vehicle type with the user's own factors in kg/km (override table,
``activity`` = the vehicle type); the CO2 of those vehicles comes from their fuel rows.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pint

from ghg_inventory.factors import FactorDB
from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import factor_activities, factor_keys, text_column
from ghg_inventory.sectors.stationary import (
    check_fuel_combustion,
    compute_fuel_combustion,
)
from ghg_inventory.units import Q_

#: Parameter columns of the mobile methods and their allowed values.
TECHNOLOGIES = ("uncontrolled", "oxidation_catalyst", "low_mileage_1995_or_later")
ENGINES = ("4_stroke", "2_stroke")
OFFROAD_SECTORS = ("agriculture", "forestry", "industry", "household")
#: Off-road machinery's Table 3.3.1 sector by the category it is reported under.
SECTOR_OF_CATEGORY = {"1.A.2": "industry", "1.A.3.e.ii": "industry", "1.A.4.b": "household",
                      "1.A.4.c": "agriculture", "1.A.5": "industry"}


def distance_emissions(distance: pint.Quantity, emission_factor: pint.Quantity) -> pint.Quantity:
    r"""CH4 or N2O of road vehicles from the distance they travelled (Tier 2/3).

    .. math:: Emission = \sum_{a,b,c,d} Distance_{a,b,c,d} \cdot EF_{a,b,c,d}

    Parameters
    ----------
    distance : pint.Quantity
        Vehicle-kilometres travelled by one vehicle type. [km]
    emission_factor : pint.Quantity
        The user's factor for that vehicle type, fuel and control technology. [kg/km]

    Returns
    -------
    pint.Quantity
        Mass of the gas emitted. [kg]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 2, Ch 3, Eq. 3.2.3 (cold-start emissions not included;
       give them as a separate row if estimated).
    """
    return (distance * emission_factor).to("kg")


def _fuels_under(factors: FactorDB, prefix: str) -> set[str]:
    """Fuels with an emission factor under ``prefix`` or one of its subcategories."""
    return set(factors.fuels().index) & factor_activities(factors, "ef", prefix, below=True)


def _bad_values(table: pd.DataFrame, name: str, rows: np.ndarray, allowed: tuple[str, ...],
                what: str) -> list[Failure]:
    values = text_column(table, name).to_numpy()
    missing = rows & (values == "")
    unknown = rows & (values != "") & ~np.isin(values, allowed)
    return [f for f in (
        Failure(np.flatnonzero(missing), name,
                msg("sectors.mobile.required", what=what, allowed=", ".join(allowed))),
        Failure(np.flatnonzero(unknown), name,
                msg("sectors.mobile.unknown", what=what, allowed=", ".join(allowed))),
    ) if len(f.positions)]


# --- road transport, fuel-based (Tier 1) ----------------------------------------------

def _road_variant(table: pd.DataFrame) -> pd.Series:
    gasoline = (table["activity"] == "motor_gasoline").to_numpy()
    technology = text_column(table, "technology")
    return pd.Series(pd.Categorical(np.where(gasoline, technology, "")),
                     index=table.index)


def _road_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    gasoline = (table["activity"] == "motor_gasoline").to_numpy()
    failures = _bad_values(table, "technology", gasoline, TECHNOLOGIES,
                           msg("sectors.mobile.what_technology"))
    if failures:
        return failures
    return check_fuel_combustion(table, ctx, name="road_transport",
                                 variant=_road_variant(table))


def _road_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return compute_fuel_combustion(table, ctx, name="road_transport",
                                   variant=_road_variant(table))


ROAD_TRANSPORT = Method(
    name="road_transport",
    categories=("1.A.3.b",),
    activities=lambda factors: _fuels_under(factors, "1.A.3.b"),
    amount_kinds=("mass", "energy", "volume"),
    compute=_road_compute,
    check=_road_check,
    parameters={"technology": str},
    description="Road transport, fuel-based, IPCC 2006 Vol 2 Ch 3 Eq. 3.2.1/3.2.2 "
                "(Tables 3.2.1, 3.2.2)",
)


# --- road transport, distance-based CH4/N2O (Tier 2/3, user factors) ------------------

DISTANCE_GASES = ("CH4", "N2O")


@lru_cache(maxsize=256)
def _is_per_distance(unit: str) -> bool:
    return bool(Q_(1.0, unit).check("[mass] / [length]"))


def _vehicle_types(factors: FactorDB) -> set[str]:
    records = factors.table
    per_km = records["unit"].map(_is_per_distance)
    road = records["category"].map(lambda c: c == "1.A.3.b" or c.startswith("1.A.3.b."))
    return set(records.loc[per_km & road & (records.parameter == "ef"), "activity"])


def _distance_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    key, keys = factor_keys(table, ctx, "road_distance")
    failures = []
    for gas in DISTANCE_GASES:
        ef = ctx.factors.lookup(keys, "ef", "kg/km", gas=gas, guidelines=ctx.guidelines)
        missing = np.flatnonzero(ef["factor_id"].isna().to_numpy()[key])
        if len(missing):
            failures.append(Failure(missing, "activity",
                                    msg("sectors.mobile.no_distance_factor", gas=gas)))
    return failures


def _distance_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    key, keys = factor_keys(table, ctx, "road_distance")
    distance = table["amount"].to_numpy(dtype=float)
    results = []
    for gas in DISTANCE_GASES:
        ef = ctx.factors.lookup(keys, "ef", "kg/km", gas=gas, guidelines=ctx.guidelines)
        emitted = distance_emissions(Q_(distance, "km"),
                                     Q_(ef["value"].to_numpy()[key], "kg/km")).m_as("kg")
        results.append(GasResult(gas, emitted, key, ef))
    return gas_results(results)


ROAD_DISTANCE = Method(
    name="road_transport_distance",
    categories=("1.A.3.b",),
    activities=_vehicle_types,
    amount_kinds=("length",),
    compute=_distance_compute,
    check=_distance_check,
    description="Road transport CH4/N2O from vehicle-km, IPCC 2006 Vol 2 Ch 3 Eq. 3.2.3 "
                "(Tier 2/3, user factors)",
)


# --- off-road vehicles and machinery (Table 3.3.1) -------------------------------------

def _offroad_variant(table: pd.DataFrame) -> pd.Series:
    """``<engine>_<sector>`` of each row: ``diesel`` for gas/diesel oil, the ``engine``
    column for gasoline; the sector from the category, or ``offroad_sector``."""
    diesel = (table["activity"] == "gas_diesel_oil").to_numpy()
    engine = np.where(diesel, "diesel", text_column(table, "engine").to_numpy())
    categories = pd.Series(table["category"].cat.categories, dtype=object)
    default = [next((s for p, s in SECTOR_OF_CATEGORY.items()
                     if c == p or c.startswith(p + ".")), "") for c in categories]
    sector = np.append(np.array(default, dtype=object), "")[
        table["category"].cat.codes.to_numpy()]
    given = text_column(table, "offroad_sector").to_numpy()
    sector = np.where(given != "", given, sector)
    return pd.Series(pd.Categorical(np.char.add(np.char.add(engine.astype(str), "_"),
                                                sector.astype(str))), index=table.index)


def _offroad_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    gasoline = (table["activity"] == "motor_gasoline").to_numpy()
    failures = _bad_values(table, "engine", gasoline, ENGINES,
                           msg("sectors.mobile.what_engine"))
    given = text_column(table, "offroad_sector").to_numpy() != ""
    failures += _bad_values(table, "offroad_sector", given, OFFROAD_SECTORS,
                            msg("sectors.mobile.what_offroad_sector"))
    if failures:
        return failures
    return check_fuel_combustion(table, ctx, name="off_road", variant=_offroad_variant(table),
                                 variant_gases=("CH4", "N2O"))


def _offroad_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    return compute_fuel_combustion(table, ctx, name="off_road",
                                   variant=_offroad_variant(table),
                                   variant_gases=("CH4", "N2O"))


def _offroad_fuels(factors: FactorDB) -> set[str]:
    records = factors.table
    with_variant = records["variant"].notna() & (records.parameter == "ef")
    return set(factors.fuels().index) & set(records.loc[with_variant, "activity"])


_OFFROAD = {
    "activities": _offroad_fuels,
    "amount_kinds": ("mass", "energy", "volume"),
    "compute": _offroad_compute,
    "check": _offroad_check,
    "parameters": {"engine": str, "offroad_sector": str},
    "description": "Off-road vehicles and machinery, IPCC 2006 Vol 2 Ch 3 Table 3.3.1",
}
OFF_ROAD = Method(name="off_road", categories=("1.A.3.e.ii", "1.A.4.c.ii"),
                           **_OFFROAD)  # type: ignore[arg-type]
# Machinery reported under an industry, household or farm category: rows say
# source_type = off_road (construction machinery under 1.A.2.k, tractors under 1.A.4.c).
OFF_ROAD_MACHINERY = Method(
    name="off_road_machinery", categories=("1.A.2", "1.A.4.b", "1.A.4.c", "1.A.5"),
    source_type="off_road", **_OFFROAD)  # type: ignore[arg-type]


# --- railways, domestic navigation, civil aviation (fuel-based Tier 1) ------------------

def _simple(name: str, category: str, description: str) -> Method:
    def check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
        return check_fuel_combustion(table, ctx, name=name)

    def compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        return compute_fuel_combustion(table, ctx, name=name)

    return Method(name=name, categories=(category,),
                           activities=lambda factors: _fuels_under(factors, category),
                           amount_kinds=("mass", "energy", "volume"), compute=compute,
                           check=check, description=description)


RAILWAYS = _simple("railways", "1.A.3.c",
                   "Railways, IPCC 2006 Vol 2 Ch 3 Eq. 3.4.1 (Table 3.4.1)")
NAVIGATION = _simple("domestic_navigation", "1.A.3.d",
                     "Water-borne navigation, IPCC 2006 Vol 2 Ch 3 Eq. 3.5.1 "
                     "(Tables 3.5.2, 3.5.3)")
AVIATION = _simple("civil_aviation", "1.A.3.a",
                   "Civil aviation, Tier 1 fuel-based, IPCC 2006 Vol 2 Ch 3 Eq. 3.6.1 "
                   "(Tables 3.6.4, 3.6.5)")
