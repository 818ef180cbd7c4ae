"""Manure management (3.A.2): CH4 and direct and indirect N2O, IPCC 2006 Vol 4 Ch 10.

CH4 and N2O are non-fossil (biological), which matters under AR6.

Activity rows
-------------
* **Manure management, 3.A.2**: ``activity`` = species, ``amount`` = head whose manure goes
  to ``manure_system`` (one row per species and system: heads x MS share), ``temperature`` =
  annual average [degC]. CH4 Tier 1 (Tables 10.14-10.16), Tier 2 where ``vs_rate`` [kg
  VS/head/day] is given (Eq. 10.23): Bo from Annex 10A.2 (Tables 10A-4..10A-8 by region,
  Table 10A-9 by developed/developing) and MCF from Table 10.17 by system and temperature,
  unless the row gives ``bo`` / ``mcf``; VS from feed intake (Eq. 10.24) is left to the user
  (the Annex's VS rates are not shipped). With ``guidelines="2019"`` every row's CH4 is Eq.
  10.23 with the Refinement's defaults: VS from the rate per 1000 kg of mass (Table 10.13A)
  and the typical mass (Table 10A.5), Bo by ``productivity`` (Table 10.16 (Updated)) and MCF
  by ``climate_zone`` (Table 10.17 (Updated)). Direct N2O (Eq. 10.25, Table 10.21; ``ef3``
  overrides) and indirect N2O from volatilisation (Eq. 10.26-10.27, Table 10.22 by animal
  group) and from leaching where ``frac_leach_ms`` is given (Eq. 10.28-10.29: IPCC gives no
  default); indirect N2O is reported under 3.C.6. N excretion is Table 10.19 rate x typical
  animal mass (Eq. 10.30) where both have defaults, else give ``nex`` [kg N/head/yr] or
  ``typical_animal_mass`` [kg]. Manure on pasture (``pasture_range_paddock``) has its N2O
  under 3.C.4 (``urine_dung_pasture``), not here.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 10 (Eq. 10.22-10.30, Tables 10.14-10.22).
.. [2] IPCC 2019 Refinement, Vol 4, Ch 10 (Eq. 10.22a, 10.23; Tables 10.13A, 10.16, 10.17,
   10.19, 10.21, 10.22 (Updated), 10A.5).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._constants import N2O_PER_N2O_N
from ghg_inventory.sectors._inputs import (
    activities_with,
    as_tier,
    choice,
    failing,
    given,
    lookup,
    lookup_first,
    missing,
    number,
)
from ghg_inventory.sectors._livestock import (
    development_column,
    joined_ids,
    lacking,
    own_values,
    productivity_column,
    record_ids,
    region_column,
)
from ghg_inventory.units import Q_

#: Eq. 10.23: conversion of m3 CH4 to kg CH4 [kg/m3].
METHANE_DENSITY_KG_PER_M3 = 0.67


def manure_ch4_emission_factor(vs_rate: pint.Quantity, bo: pint.Quantity,
                               mcf: np.ndarray | float) -> pint.Quantity:
    r"""Tier 2 manure CH4 emission factor for one management system (Eq. 10.23).

    .. math:: EF = VS \cdot 365 \cdot B_o \cdot 0.67 \cdot \frac{MCF}{100}

    The sum over systems of Eq. 10.23 is a sum over activity rows here: one row per
    species and system, with the heads whose manure goes to that system.

    Parameters
    ----------
    vs_rate : pint.Quantity
        Volatile solids excreted. [kg VS/head/day]
    bo : pint.Quantity
        Maximum CH4 producing capacity of the manure. [m3 CH4/kg VS]
    mcf : float or numpy.ndarray
        Methane conversion factor of the system (Table 10.17). [%]

    Returns
    -------
    pint.Quantity
        CH4 per head and year. [kg/head/year]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 10, Eq. 10.23, Table 10.17, Annex 10A.2.
    """
    vs = vs_rate.m_as("kg/head/day")
    return Q_(vs * 365.0 * bo.m_as("m**3/kg") * METHANE_DENSITY_KG_PER_M3
              * np.asarray(mcf) / 100.0, "kg/head/year")


def nitrogen_excretion(n_rate: pint.Quantity, animal_mass: pint.Quantity) -> pint.Quantity:
    r"""Annual N excretion per head (IPCC 2006 Vol 4 Eq. 10.30).

    .. math:: Nex = N_{rate} \cdot \frac{TAM}{1000} \cdot 365

    Parameters
    ----------
    n_rate : pint.Quantity
        Default N excretion rate (Table 10.19). [kg N/(1000 kg animal mass)/day]
    animal_mass : pint.Quantity
        Typical animal mass TAM. [kg]

    Returns
    -------
    pint.Quantity
        N excreted. [kg N/head/year]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 10, Eq. 10.30, Table 10.19.
    """
    return Q_(n_rate.m_as("kg/t/day") * animal_mass.m_as("t") * 365.0, "kg/head/year")


#: Pasture, range and paddock: manure N is counted under 3.C.4 (Eq. 11.1, EF3PRP), not here.
PASTURE = "pasture_range_paddock"

#: Table 10.22 prints Frac_GasMS by animal group and by system groups coarser than those of
#: Table 10.21; these map a species and a Table 10.21 system onto the Table 10.22 keys.
#: Buffalo and goats are not in Table 10.22: their rows need ``frac_gas_ms``.
FRAC_GAS_SPECIES = {
    "dairy_cattle": "dairy_cattle", "other_cattle": "other_cattle", "swine": "swine",
    "market_swine": "swine", "breeding_swine": "swine", "poultry": "poultry",
    "poultry_layers_dry": "poultry", "poultry_layers_wet": "poultry",
    "poultry_broilers": "poultry", "poultry_turkeys": "poultry", "poultry_ducks": "poultry",
    # Table 10.22 'Other (sheep, horses, fur-bearing animals)'
    "sheep": "other", "horses": "other", "fur_bearing_animals": "other",
}
FRAC_GAS_SYSTEM = {
    "liquid_slurry_with_crust": "liquid_slurry", "liquid_slurry_without_crust": "liquid_slurry",
    "pit_storage_below_1_month": "pit_storage", "pit_storage_above_1_month": "pit_storage",
    "deep_bedding_no_mixing": "deep_bedding", "deep_bedding_active_mixing": "deep_bedding",
}

#: 2019 Table 10.22 (Updated) prints Frac_GasMS by species (buffalo, goats, camels ...) and
#: by every system of Table 10.21: only the swine and chicken sub-classes are pooled.
FRAC_GAS_SPECIES_2019 = {
    "market_swine": "swine", "breeding_swine": "swine", "poultry_layers_dry": "poultry",
    "poultry_layers_wet": "poultry", "poultry_broilers": "poultry", "poultry_hens": "poultry",
    "poultry_pullets": "poultry", "poultry_other_chickens": "poultry",
}


def _manure_systems(factors) -> set[str]:  # type: ignore[no-untyped-def]
    """Systems of Table 10.21 (EF3), 10.22 (Frac_GasMS) and 10.17 (MCF), and pasture."""
    t = factors.table
    in_3a2 = t["category"] == "3.A.2"
    systems = set(t.loc[in_3a2 & t["parameter"].isin(("mcf", "ef3")), "activity"])
    systems |= set(t.loc[in_3a2 & (t["parameter"] == "frac_gas_ms"), "variant"].dropna())
    return (systems - set(FRAC_GAS_SYSTEM.values())) | {PASTURE}


def _climate_zones(factors) -> set[str]:  # type: ignore[no-untyped-def]
    """The climate zones of the 2019 MCF table (Table 10.17 (Updated))."""
    t = factors.table
    use = (t["category"] == "3.A.2") & (t["parameter"] == "mcf") & (t["guidelines"] == "2019")
    return set(t.loc[use, "variant"].dropna().astype(str)) - {""}


def _ch4_2006(table: pd.DataFrame, ctx: Context, region: pd.Series, system: pd.Series,
              tier2: np.ndarray) -> tuple[dict[str, Any], list[Failure]]:
    """CH4 of a 2006 run: Tier 1 per head by annual temperature (Tables 10.14-10.16), and
    for Tier 2 rows (the row's ``vs_rate``) Bo of Annex 10A.2 (Tables 10A-4..10A-9) and MCF
    of Table 10.17 by system and temperature, the row's ``bo`` and ``mcf`` replacing them."""
    failures: list[Failure] = []
    temperature, more = number(table, "temperature", np.nan, -60.0, 60.0,
                               msg("sectors.manure.what_temperature"))
    failures += more
    # Tier 1: per-degree Table 10.14 species, else climate columns of 10.15/10.16
    t = np.clip(np.rint(np.nan_to_num(temperature, nan=20.0)), 10, 28).astype(int)
    per_degree = pd.Series([f"{r}_{d}c" for r, d in zip(region, t, strict=True)],
                           index=table.index)
    key1, ans1 = lookup(table, ctx, "ef", "kg/head/year", gas="CH4", variant=per_degree,
                        required=("variant",))
    climate = np.where(temperature < 15, "cool", np.where(temperature <= 25, "temperate",
                                                          "warm"))
    development, more = development_column(table, region)
    failures += more
    by_climate = pd.Series([f"{d}_{c}" for d, c in zip(development, climate, strict=True)],
                           index=table.index)
    key2, ans2 = lookup(table, ctx, "ef", "kg/head/year", gas="CH4", variant=by_climate,
                        required=("variant",))
    no_temp = np.flatnonzero(np.isnan(temperature) & ~tier2)
    if len(no_temp):
        failures.append(Failure(no_temp, "temperature", msg("sectors.manure.no_temperature")))
    found1 = ans1["factor_id"].notna().to_numpy()[key1]
    found2 = ans2["factor_id"].notna().to_numpy()[key2]
    failures += lacking(~found1 & ~found2 & ~tier2 & ~np.isnan(temperature), "activity",
                        msg("sectors.manure.no_tier1_ch4"),
                        (key1, ans1), (key2, ans2))
    # Annex 10A.2 Bo: by region (Tables 10A-4..10A-8), else by development (Table 10A-9)
    bo_key, bo_ans = lookup_first(table, ctx, "bo", "m**3/kg", [region, development])
    bo, more = number(table, "bo", bo_ans["value"].to_numpy()[bo_key], 0.0, None,
                      msg("sectors.manure.what_bo"))
    failures += more
    # Table 10.17 MCF by system and annual average temperature (<= 10 ... >= 28 degC)
    mcf_key, mcf_ans = lookup(table, ctx, "mcf", "percent", activity=system,
                              variant=pd.Series([f"{d}c" for d in t], index=table.index),
                              required=("variant",))
    mcf, more = number(table, "mcf", mcf_ans["value"].to_numpy()[mcf_key], 0.0, 100.0,
                       msg("sectors.manure.what_mcf"))
    failures += more
    for column, values in (("bo", bo), ("mcf", mcf)):
        failures += failing(tier2 & np.isnan(values), column,
                            msg("sectors.manure.no_tier2_default", column=column))
    auxiliary = [record_ids(bo_key, bo_ans, tier2 & ~given(table, "bo"))]
    return {"t1": (key1, ans1, found1, key2, ans2), "bo": bo, "mcf": mcf,
            "mcf_record": (mcf_key, mcf_ans), "auxiliary": auxiliary}, failures


def _ch4_2019(table: pd.DataFrame, ctx: Context, region: pd.Series, system: pd.Series,
              tier2: np.ndarray, tam: np.ndarray,
              tam_record: tuple[np.ndarray, pd.DataFrame]) -> tuple[dict[str, Any], list[Failure]]:
    """CH4 of a 2019 run (2019 Refinement Eq. 10.22a, 10.23): VS from the default excretion
    rate per 1000 kg of animal mass (Table 10.13A) and the typical mass (Table 10A.5), Bo by
    productivity system (Table 10.16 (Updated)) and MCF by system and climate zone (Table
    10.17 (Updated)); the row's ``vs_rate``, ``bo`` and ``mcf`` replace them (Tier 2)."""
    failures: list[Failure] = []
    zone, more = choice(table, "climate_zone", _climate_zones(ctx.factors),
                        what=msg("sectors.manure.what_climate_zone"))
    failures += more
    productivity, _, more = productivity_column(table, region)
    failures += more
    rate_key, rate_ans = lookup(table, ctx, "vs_rate", "kg/t/day", variant=region,
                                required=("variant",))
    bo_key, bo_ans = lookup(table, ctx, "bo", "m**3/kg",
                            variant=region.astype(str) + "_" + productivity.astype(str),
                            required=("variant",))
    mcf_key, mcf_ans = lookup(table, ctx, "mcf", "percent", activity=system, variant=zone,
                              required=("variant",))
    bo, more = number(table, "bo", bo_ans["value"].to_numpy()[bo_key], 0.0, None,
                      msg("sectors.manure.what_bo"))
    failures += more
    mcf, more = number(table, "mcf", mcf_ans["value"].to_numpy()[mcf_key], 0.0, 100.0,
                       msg("sectors.manure.what_mcf"))
    failures += more
    vs_default = rate_ans["value"].to_numpy()[rate_key] * tam / 1000.0
    tier1 = ~tier2
    failures += failing(~given(table, "mcf") & (zone == "").to_numpy(), "climate_zone",
                        msg("sectors.manure.climate_zone_2019",
                            zones=", ".join(sorted(_climate_zones(ctx.factors)))))
    failures += lacking(tier1 & np.isnan(vs_default), "activity",
                        msg("sectors.manure.no_vs_2019"),
                        (rate_key, rate_ans), tam_record)
    failures += lacking(np.isnan(bo), "bo", msg("sectors.manure.no_bo_2019"),
                        (bo_key, bo_ans))
    failures += lacking(np.isnan(mcf) & (zone != "").to_numpy(), "mcf",
                        msg("sectors.manure.no_mcf_2019"), (mcf_key, mcf_ans))
    vs_used = ~tier2
    auxiliary = [record_ids(rate_key, rate_ans, vs_used),
                 record_ids(tam_record[0], tam_record[1],
                            vs_used & ~given(table, "typical_animal_mass")),
                 record_ids(bo_key, bo_ans, ~given(table, "bo"))]
    return {"vs_default": vs_default, "bo": bo, "mcf": mcf,
            "mcf_record": (mcf_key, mcf_ans), "auxiliary": auxiliary}, failures


def _manure_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    """Everything the manure methods need, computed once per table and run."""
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        n = len(table)
        species = table["activity"].astype(str)
        region, more = region_column(table)
        failures += more
        system, more = choice(table, "manure_system", _manure_systems(ctx.factors),
                              required=True, what=msg("sectors.manure.what_system"))
        failures += more
        tier2 = given(table, "vs_rate")
        vs, more = number(table, "vs_rate", np.nan, 0.0, None, msg("sectors.manure.what_vs"))
        failures += more
        # the region's mass (Annex 10A.2 Tables 10A-4..10A-8, 2019 Table 10A.5), else the
        # developed/developing column of Table 10A-9 (sheep, goats, horses ...)
        development, _ = development_column(table, region)
        tam_key, tam_ans = lookup_first(table, ctx, "typical_animal_mass", "kg",
                                        [region, development])
        tam, more = number(table, "typical_animal_mass", tam_ans["value"].to_numpy()[tam_key],
                           0.0, None, msg("sectors.manure.what_mass"), low_open=True)
        failures += more
        if ctx.guidelines == "2019":
            ch4, more = _ch4_2019(table, ctx, region, system, tier2, tam, (tam_key, tam_ans))
        else:
            ch4, more = _ch4_2006(table, ctx, region, system, tier2)
        failures += more
        # N excretion
        rate_key, rate_ans = lookup(table, ctx, "n_rate", "kg/t/day", variant=region)
        default_nex = nitrogen_excretion(Q_(rate_ans["value"].to_numpy()[rate_key], "kg/t/day"),
                                         Q_(tam, "kg")).m_as("kg/head/year")
        nex, more = number(table, "nex", default_nex, 0.0, None, msg("sectors.manure.what_nex"))
        failures += more
        pasture = (system == PASTURE).to_numpy()
        failures += lacking(np.isnan(nex) & ~pasture, "nex",
                            msg("sectors.manure.no_nex"),
                            (rate_key, rate_ans), (tam_key, tam_ans))
        ef3_key, ef3 = lookup(table, ctx, "ef3", "kg/kg", gas="N2O", activity=system)
        ef3_values, more = number(table, "ef3", ef3["value"].to_numpy()[ef3_key], 0.0, 1.0,
                                  msg("sectors.manure.what_ef3"))
        failures += more
        failures += lacking(np.isnan(ef3_values) & ~pasture & (system != "").to_numpy(), "ef3",
                            msg("sectors.manure.no_ef3"), (ef3_key, ef3))
        ef3_user = given(table, "ef3")
        if ctx.guidelines == "2019":
            gas_species = species.map(lambda v: FRAC_GAS_SPECIES_2019.get(v, v))
            gas_system = system
        else:
            gas_species = species.map(FRAC_GAS_SPECIES).fillna("-")
            gas_system = system.map(lambda v: FRAC_GAS_SYSTEM.get(v, v))
        gas_key, gas_ans = lookup(table, ctx, "frac_gas_ms", "percent", activity=gas_species,
                                  variant=gas_system, required=("variant",))
        frac_gas, more = number(table, "frac_gas_ms", gas_ans["value"].to_numpy()[gas_key],
                                0.0, 100.0, "Frac_GasMS [%]")
        failures += more
        said = (msg("sectors.manure.no_frac_gas") if ctx.guidelines == "2019"
                else msg("sectors.manure.no_frac_gas_2006"))
        failures += lacking(np.isnan(frac_gas) & ~pasture & (system != "").to_numpy(),
                            "frac_gas_ms", said, (gas_key, gas_ans))
        frac_leach, more = number(table, "frac_leach_ms", 0.0, 0.0, 100.0,
                                  "Frac_LeachMS [%]")
        failures += more
        ef4_key, ef4 = lookup(table, ctx, "ef4", "kg/kg", gas="N2O", category="3.C.5",
                              activity=pd.Series("n_inputs", index=table.index))
        ef5_key, ef5 = lookup(table, ctx, "ef5", "kg/kg", gas="N2O", category="3.C.5",
                              activity=pd.Series("n_inputs", index=table.index))
        every = np.ones(n, dtype=bool)
        failures += missing(ef4_key, ef4, every & ~pasture, "activity",
                            msg("sectors.manure.no_ef4"))
        # Eq. 10.28/10.29 sum Frac_LeachMS over management systems; manure on pasture is
        # in none (its N is F_PRP, 3.C.4/3.C.5): a leaching fraction there would count it
        # twice, so it is refused rather than dropped
        failures += failing(pasture & (frac_leach > 0), "frac_leach_ms",
                            msg("sectors.manure.pasture_leaching"))
        leaching = (frac_leach > 0) & ~pasture
        failures += missing(ef5_key, ef5, leaching, "frac_leach_ms",
                            msg("sectors.manure.no_ef5"))
        nex_used = ~given(table, "nex") & ~pasture
        # the N rate's printed uncertainty (+-50 %, Table 10.19) is that of the N excretion
        # it makes with the typical mass (which has no printed range): the mass is named
        # with the CH4 inputs of a 2019 run only (VS = rate x mass, Eq. 10.22a)
        nex_ids = record_ids(rate_key, rate_ans, nex_used)
        gas_ids = record_ids(gas_key, gas_ans, ~given(table, "frac_gas_ms") & ~pasture)
        # each gas names the records that enter its own equation (auxiliary ids, the
        # uncertainty's factor chain): CH4 the VS, mass and Bo behind Eq. 10.23 (Tier 1
        # 2006: none beside its factor); direct N2O (Eq. 10.25) the N excretion; indirect
        # N2O the N excretion and, for volatilisation (Eq. 10.26), Frac_GasMS
        auxiliary = {"CH4": joined_ids(*ch4.get("auxiliary", [])),
                     "N2O": joined_ids(nex_ids),
                     "volatilisation": joined_ids(nex_ids, gas_ids)}
        return {
            "failures": failures, "tier2": tier2, "pasture": pasture, "ch4": ch4, "vs": vs,
            "auxiliary": auxiliary,
            "nex": nex, "ef3": (ef3_key, ef3), "ef3_values": ef3_values, "ef3_user": ef3_user,
            "frac_gas": frac_gas, "frac_leach": frac_leach,
            "ef4": (ef4_key, ef4), "ef5": (ef5_key, ef5),
        }
    return ctx.remember("manure.inputs", table, make)  # type: ignore[return-value]


def _manure_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    return _manure_inputs(table, ctx)["failures"]  # type: ignore[return-value]


def _ch4_results(table: pd.DataFrame, ctx: Context, p: dict[str, Any]) -> list[GasResult]:
    heads = table["amount"].to_numpy(dtype=float)
    tier2: np.ndarray = p["tier2"]
    ch4: dict[str, Any] = p["ch4"]
    results = []
    if ctx.guidelines != "2019":
        key1, ans1, found1, key2, ans2 = ch4["t1"]
        for use, key, ans in ((~tier2 & found1, key1, ans1), (~tier2 & ~found1, key2, ans2)):
            rows = np.flatnonzero(use)
            if len(rows):
                results.append(GasResult("CH4", heads[rows] * ans["value"].to_numpy()[key[rows]],
                                         key[rows], ans.assign(fossil=False), rows=rows))
        vs = p["vs"]
        computed = tier2
    else:
        # 2019 Refinement: every row by Eq. 10.23, VS by default (Eq. 10.22a) or the row's
        vs = np.where(tier2, p["vs"], ch4["vs_default"])
        computed = np.ones(len(table), dtype=bool)
    rows = np.flatnonzero(computed)
    if len(rows):
        ef = manure_ch4_emission_factor(Q_(vs[rows], "kg/head/day"),
                                        Q_(ch4["bo"][rows], "m**3/kg"),
                                        ch4["mcf"][rows]).m_as("kg/head/year")
        mcf_key, mcf_ans = ch4["mcf_record"]
        # the record named is the MCF's (Table 10.17); a row with its own MCF names none,
        # and rows with their own VS are Tier 2
        own = given(table, "mcf") | tier2
        key, answer = own_values(mcf_key, mcf_ans, given(table, "mcf"))
        for use, tier in ((~own, 1), (own, 2)):
            part = np.flatnonzero(use[rows])
            if len(part):
                results.append(GasResult("CH4", heads[rows][part] * ef[part],
                                         key[rows][part], as_tier(answer, tier),
                                         rows=rows[part]))
    return results


def _manure_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _manure_inputs(table, ctx)
    heads = table["amount"].to_numpy(dtype=float)
    results = _ch4_results(table, ctx, p)
    n_managed = heads * p["nex"]  # type: ignore[operator]
    pasture: np.ndarray = p["pasture"]  # type: ignore[assignment]
    ef3_key, ef3 = p["ef3"]  # type: ignore[misc]
    direct = n_managed * np.nan_to_num(p["ef3_values"]) * N2O_PER_N2O_N  # type: ignore[arg-type]
    user: np.ndarray = p["ef3_user"]  # type: ignore[assignment]
    # the row's own EF3 (Tier 2) replaces the record: no record is named then
    own_key, own = own_values(ef3_key, ef3, user)
    for use, tier in ((~pasture & ~user, 1), (~pasture & user, 2)):
        rows = np.flatnonzero(use)
        if len(rows):
            results.append(GasResult("N2O", direct[rows], own_key[rows], as_tier(own, tier),
                                     rows=rows))
    rows = np.flatnonzero(~pasture)
    # indirect N2O of manure management: 3.C.6
    ef4_key, ef4 = p["ef4"]  # type: ignore[misc]
    volatilised = n_managed * p["frac_gas"] / 100.0  # type: ignore[operator]
    indirect = [GasResult("N2O", (np.nan_to_num(volatilised) * ef4["value"].to_numpy()[ef4_key]
                                  * N2O_PER_N2O_N)[rows], ef4_key[rows], as_tier(ef4, 1),
                          rows=rows)]
    leach_rows = np.flatnonzero((p["frac_leach"] > 0) & ~pasture)  # type: ignore[operator]
    if len(leach_rows):
        ef5_key, ef5 = p["ef5"]  # type: ignore[misc]
        leached = n_managed * p["frac_leach"] / 100.0  # type: ignore[operator]
        indirect.append(GasResult("N2O", (leached * ef5["value"].to_numpy()[ef5_key]
                                          * N2O_PER_N2O_N)[leach_rows], ef5_key[leach_rows],
                                  as_tier(ef5, 1), rows=leach_rows))
    # the rows' typical masses, N and VS rates and Bo records beside the one each result
    # names (auxiliary ids, per gas), so the single-source share and the uncertainty
    # chain count them where they enter
    aux: dict[str, pd.Categorical] = p["auxiliary"]  # type: ignore[assignment]
    own = [replace(r, auxiliary=aux["CH4"] if r.gas == "CH4" else aux["N2O"])
           for r in results]
    # indirect: [volatilisation (Eq. 10.26-10.27), leaching (Eq. 10.28-10.29)]
    own += [replace(r, auxiliary=aux["volatilisation"] if i == 0 else aux["N2O"])
            for i, r in enumerate(indirect)]
    frame = gas_results(own)
    counts = [len(r.rows) if r.rows is not None else len(r.key) for r in results + indirect]
    frame["_category"] = np.repeat(["" for _ in results] + ["3.C.6" for _ in indirect],
                                   counts)
    return frame


MANURE = Method(
    name="manure_management",
    categories=("3.A.2",),
    activities=lambda factors: (activities_with("ef", "3.A.2")(factors)
                                | activities_with("n_rate", "3.A.2")(factors)),
    amount_kinds=("head",),
    compute=_manure_compute,
    check=_manure_check,
    parameters={"region": str, "development": str, "manure_system": str,
                "temperature": float, "climate_zone": str, "productivity": str,
                "vs_rate": float, "bo": float, "mcf": float,
                "nex": float, "typical_animal_mass": float, "ef3": float,
                "frac_gas_ms": float, "frac_leach_ms": float},
    description="Manure management CH4 (Tier 1 Tables 10.14-10.16, Tier 2 Eq. 10.23; with "
                "guidelines='2019' the Refinement's VS x Bo x 0.67 x MCF by climate zone, "
                "Eq. 10.22a-10.23) and N2O (direct Eq. 10.25, indirect Eq. 10.26-10.29 under "
                "3.C.6), IPCC 2006 Vol 4 Ch 10",
)
