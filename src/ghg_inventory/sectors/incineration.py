"""Incineration (4.C.1) and open burning (4.C.2) of waste, IPCC 2006 Vol 5 Ch 2 and 5.

CH4 and N2O of waste are non-fossil; CO2 from burning the fossil carbon of waste
(plastics, synthetic textiles, rubber) is fossil and counted; CO2 from its biomass carbon is
a biogenic memo.

Activity rows
-------------
* **Incineration, 4.C.1, and open burning, 4.C.2**: ``activity`` = waste type of Table 2.4
  (``food``, ``paper``, ``plastics``, ``textiles``, ``rubber_leather``, ...), ``amount`` =
  wet waste burnt [t]. CO2 from Eq. 5.1 (SW x dm x CF x FCF x OF x 44/12, Table 2.4, OF of
  Table 5.2); for incineration ``technology`` picks the CH4 (Table 5.3) and N2O (Table
  5.6) factors. Open burning by households may be given as the population (``amount`` in
  persons) with ``burning_fraction`` (P_frac), ``waste_per_capita`` [kg/person/day] (MSW_P),
  ``burnt_fraction`` (B_frac) and ``waste_share`` (this waste type's share of it): Eq. 5.7,
  :func:`open_burning_mass`. Table 2.4 prints no carbon for metal and glass: give
  ``total_carbon`` 0 for them (their mass still counts for CH4 and N2O).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 5, Ch 2 (Table 2.4), Ch 5 (Eq. 5.1, 5.7, Tables 5.2, 5.3,
   5.6).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._constants import CO2_PER_C
from ghg_inventory.sectors._inputs import (
    as_tier,
    choice,
    composition_region,
    factor_activities,
    failing,
    given,
    lookup,
    number,
    text_column,
)
from ghg_inventory.sectors._livestock import joined_ids, record_ids
from ghg_inventory.units import Q_


def fossil_co2_of_burning(waste: pint.Quantity, dry_matter: np.ndarray | float,
                          carbon: np.ndarray | float, fossil_fraction: np.ndarray | float,
                          oxidation: np.ndarray | float) -> pint.Quantity:
    r"""Fossil CO2 from incinerating or openly burning waste (IPCC 2006 Vol 5 Eq. 5.1).

    .. math:: CO_2 = SW \cdot dm \cdot CF \cdot FCF \cdot OF \cdot 44/12

    The biogenic CO2 (memo) is the same with ``1 - FCF`` for ``FCF``.

    Parameters
    ----------
    waste : pint.Quantity
        SW, wet waste burnt. [t]
    dry_matter, carbon, fossil_fraction, oxidation : float or numpy.ndarray
        dm (fraction of wet weight), CF (fraction of dry weight), FCF (fraction of the
        carbon) of Table 2.4, and OF of Table 5.2. [dimensionless]

    Returns
    -------
    pint.Quantity
        [t]
    """
    return (waste * np.asarray(dry_matter) * np.asarray(carbon) * np.asarray(fossil_fraction)
            * np.asarray(oxidation) * CO2_PER_C).to("t")


#: The days of a year in Eq. 5.7 (printed as 365; pint's year is 365.25 days).
DAYS_PER_YEAR = 365.0


def open_burning_mass(population: pint.Quantity, burning_fraction: np.ndarray | float,
                      waste_per_capita: pint.Quantity,
                      burnt_fraction: np.ndarray | float) -> pint.Quantity:
    r"""Household waste burnt in the open in a year (IPCC 2006 Vol 5 Eq. 5.7).

    .. math:: MSW_B = P \cdot P_{frac} \cdot MSW_P \cdot B_{frac} \cdot 365 \cdot 10^{-6}

    Parameters
    ----------
    population : pint.Quantity
        P. [person]
    burning_fraction : float or numpy.ndarray
        P_frac, share of the population burning waste. [dimensionless]
    waste_per_capita : pint.Quantity
        MSW_P, waste generated per person. [kg/person/day]
    burnt_fraction : float or numpy.ndarray
        B_frac, share of that waste that is burnt. [dimensionless]

    Returns
    -------
    pint.Quantity
        MSW_B. [t/yr]
    """
    day = Q_(DAYS_PER_YEAR, "day/year")
    return (population * np.asarray(burning_fraction) * waste_per_capita
            * np.asarray(burnt_fraction) * day).to("t/year")


def _burning_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        category = table["category"].astype(str)
        open_air = category.str.startswith("4.C.2").to_numpy()
        values = {}
        bulk = (table["activity"].astype(str) == "msw_bulk").to_numpy()
        composed = (_bulk_composition(table, ctx, failures, bulk)
                    if bulk.any() or "composition_region" in table else {})
        for parameter, what in (("dry_matter", "dm"), ("total_carbon", "CF"),
                                ("fossil_carbon_fraction", "FCF")):
            key, ans = lookup(table, ctx, parameter, "dimensionless", category="4.A")
            default = ans["value"].to_numpy()[key]
            if parameter in composed:
                default = np.where(bulk, composed[parameter], default)
            value, more = number(table, parameter, default, 0.0, 1.0, what)
            failures += more
            failures += failing(np.isnan(value) & ~bulk, "activity",
                                msg("sectors.incineration.no_waste_parameter", what=what,
                                    parameter=parameter))
            failures += failing(np.isnan(value) & bulk, "composition_region",
                                msg("sectors.incineration.bulk_needs_composition", what=what,
                                    parameter=parameter))
            values[parameter] = (value, key, ans)
        mass, more = _burnt_mass(table, ctx, open_air)
        failures += more
        activity = pd.Series(np.where(open_air, "msw", "msw_incineration"), index=table.index)
        of_key, of_ans = lookup(table, ctx, "oxidation_factor", "dimensionless",
                                activity=activity)
        of, more = number(table, "oxidation_factor", of_ans["value"].to_numpy()[of_key], 0.0,
                          1.0, "OF")
        failures += more
        failures += failing(np.isnan(of), "oxidation_factor",
                            msg("sectors.incineration.no_oxidation_factor"))
        technology = text_column(table, "technology")
        techs = factor_activities(ctx.factors, "ef", "4.C.1")
        _, more = choice(table.iloc[np.flatnonzero(~open_air)], "technology", techs,
                         required=True, what=msg("sectors.incineration.what_technology"))
        failures += [Failure(np.flatnonzero(~open_air)[f.positions], f.column, f.message)
                     for f in more]
        ef_activity = pd.Series(np.where(open_air, "msw", technology), index=table.index)
        gases = {}
        for gas in ("CH4", "N2O"):
            # Tables 5.3, 5.6 and section 5.4.2: per t of wet waste, but open-burning N2O
            # (Table 5.6) per t of dry waste
            dry = open_air & (gas == "N2O")
            key, ans = lookup(table, ctx, "ef", "g/t", gas=gas, activity=ef_activity,
                              variant=pd.Series(np.where(dry, "dry", "wet"),
                                                index=table.index),
                              required=("variant",) if gas == "N2O" else ())
            column = f"ef_{gas.lower()}"
            value, more = number(table, column, ans["value"].to_numpy()[key], 0.0, None,
                                 msg("sectors.incineration.what_ef", gas=gas))
            failures += more
            failures += failing(np.isnan(value) & (technology != "").to_numpy()
                                | np.isnan(value) & open_air,
                                column, msg("sectors.incineration.no_ef", gas=gas,
                                            column=column))
            own = given(table, column)
            # a default per t dry applies to the dry matter of the wet waste (dm of Table
            # 2.4, composition-weighted for bulk MSW); the row's own factor is per t wet
            per_wet = np.where(dry & ~own, values["dry_matter"][0], 1.0)
            gases[gas] = (value * per_wet, key, ans, own)
        return {"failures": failures, "values": values, "of": of, "gases": gases,
                "mass": mass, "bulk": bulk, "of_answer": (of_key, of_ans)}
    return ctx.remember("waste_burning.inputs", table, make)  # type: ignore[return-value]


def _bulk_composition(table: pd.DataFrame, ctx: Context, failures: list[Failure],
                      bulk: np.ndarray) -> dict[str, np.ndarray]:
    r"""dm, CF and FCF of bulk MSW rows from the Table 2.3 composition of their
    ``composition_region`` and the Table 2.4 values of each waste type (IPCC 2006 Vol 5
    Eq. 5.2, which sums Eq. 5.1 over the components of MSW).

    .. math::

        dm = \sum_j W_j dm_j, \quad CF = \frac{\sum_j W_j dm_j CF_j}{dm}, \quad
        FCF = \frac{\sum_j W_j dm_j CF_j FCF_j}{\sum_j W_j dm_j CF_j}

    A waste type whose carbon Table 2.4 does not print (metal, glass) adds its dry matter
    and no carbon; the part of the waste the composition leaves unspecified adds nothing.
    Returns NaN for rows without a composition (they must give the values).
    """
    region, comp, regions, more = composition_region(table, ctx)
    failures += more
    failures += failing(~bulk & (region != "").to_numpy(), "composition_region",
                        msg("sectors.incineration.composition_bulk_only"))
    rows = np.flatnonzero(bulk & (region != "").to_numpy() & region.isin(regions).to_numpy())
    out = {p: np.full(len(table), np.nan) for p in ("dry_matter", "total_carbon",
                                                     "fossil_carbon_fraction")}
    kinds = np.array(sorted(set(comp["activity"].astype(str))), dtype=object)
    if not len(rows) or not len(kinds):
        return out
    scope = [c for c in ("category", "facility_id", "country", "year") if c in table]
    keys = table[scope].iloc[np.repeat(rows, len(kinds))].reset_index(drop=True)
    keys["category"] = "4.A"
    kind = pd.Series(np.tile(kinds, len(rows)), index=keys.index)
    flat = np.repeat(np.arange(len(rows)), len(kinds))
    share_key, share_ans = lookup(keys, ctx, "composition", "dimensionless", activity=kind,
                                  variant=pd.Series(np.repeat(region.to_numpy()[rows],
                                                              len(kinds)), index=keys.index),
                                  required=("variant",))
    share = np.nan_to_num(share_ans["value"].to_numpy()[share_key], nan=0.0)
    got = {}
    for parameter in ("dry_matter", "total_carbon", "fossil_carbon_fraction"):
        key, ans = lookup(keys, ctx, parameter, "dimensionless", activity=kind)
        got[parameter] = np.nan_to_num(ans["value"].to_numpy()[key], nan=0.0)
    dry = np.bincount(flat, weights=share * got["dry_matter"], minlength=len(rows))
    carbon = np.bincount(flat, weights=share * got["dry_matter"] * got["total_carbon"],
                         minlength=len(rows))
    fossil = np.bincount(flat, weights=share * got["dry_matter"] * got["total_carbon"]
                         * got["fossil_carbon_fraction"], minlength=len(rows))
    with np.errstate(invalid="ignore", divide="ignore"):
        out["dry_matter"][rows] = dry
        out["total_carbon"][rows] = np.where(dry > 0, carbon / dry, 0.0)
        out["fossil_carbon_fraction"][rows] = np.where(carbon > 0, fossil / carbon, 0.0)
    return out


def _burnt_mass(table: pd.DataFrame, ctx: Context,
                open_air: np.ndarray) -> tuple[np.ndarray, list[Failure]]:
    """Wet waste burnt [kg]: the row's mass, or for open burning given as population, Eq. 5.7
    with the share of the waste type in the household waste (B_frac from its default
    record where the row gives none)."""
    failures: list[Failure] = []
    amount = table["amount"].to_numpy(dtype=float)
    kind = (table["amount_kind"].astype(str).to_numpy() if "amount_kind" in table
            else np.full(len(table), "mass"))
    people = kind == "person"
    wrong = np.flatnonzero(people & ~open_air)
    if len(wrong):
        failures.append(Failure(wrong, "unit", msg("sectors.incineration.population_open_only")))
    values = {}
    b_key, b_ans = lookup(table, ctx, "b_frac", "dimensionless",
                          activity=pd.Series("msw", index=table.index), category="4.C.2")
    b_default = b_ans["value"].to_numpy()[b_key]
    # MSW_P: the row's kg/person/day, else the Table 2.1 generation rate of its region
    # (t/person/yr, the year of Eq. 5.7: MSW_P x 365 days)
    region = text_column(table, "generation_region", "")
    if "composition_region" in table:
        region = region.where(region != "", text_column(table, "composition_region"))
    g_key, g_ans = lookup(table, ctx, "msw_generation", "t/person/year",
                          activity=pd.Series("msw", index=table.index), category="4.C.2",
                          variant=region, required=("variant",))
    rate = np.where((region != "").to_numpy(), g_ans["value"].to_numpy(dtype=float)[g_key],
                    np.nan)
    own = given(table, "waste_per_capita")
    failures += failing(people & ~own & (region != "").to_numpy() & np.isnan(rate),
                        "generation_region", msg("sectors.incineration.no_generation_rate"))
    failures += failing(~people & given(table, "generation_region"), "generation_region",
                        msg("sectors.incineration.generation_rate_open_only"))
    for column, default, high, what in (
            ("burning_fraction", np.nan, 1.0, msg("sectors.incineration.what_p_frac")),
            ("waste_per_capita", rate * 1000.0 / DAYS_PER_YEAR, None,
             msg("sectors.incineration.what_msw_p")),
            ("burnt_fraction", b_default, 1.0, msg("sectors.incineration.what_b_frac")),
            ("waste_share", 1.0, 1.0, msg("sectors.incineration.what_waste_share"))):
        value, more = number(table, column, default, 0.0, high, what)
        failures += more
        failures += failing(people & np.isnan(value), column,
                            msg("sectors.incineration.population_needs", what=what))
        values[column] = value
    with np.errstate(invalid="ignore"):
        burnt = open_burning_mass(Q_(amount, "person"), values["burning_fraction"],
                                  Q_(values["waste_per_capita"], "kg/person/day"),
                                  values["burnt_fraction"]).m_as("kg/year")
    return np.where(people, burnt * values["waste_share"], amount), failures


def _burning_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _burning_inputs(table, ctx)
    waste = Q_(p["mass"], "kg")
    dm, _, _ = p["values"]["dry_matter"]
    cf, _, _ = p["values"]["total_carbon"]
    fcf, fcf_key, fcf_ans = p["values"]["fossil_carbon_fraction"]
    # bulk MSW has no FCF record of its own (its FCF comes from the composition): its CO2
    # names the oxidation factor of Table 5.2 it used
    of_key, of_ans = p["of_answer"]
    key = np.where(p["bulk"], len(fcf_ans) + of_key, fcf_key)
    answer = pd.concat([fcf_ans.reset_index(drop=True), of_ans.reset_index(drop=True)],
                       ignore_index=True)
    # the records Eq. 5.4 takes beside the FCF (auxiliary ids, the uncertainty's factor
    # chain) where the row gives none: dm and CF of Table 2.4 and OF of Table 5.2; bulk MSW
    # takes dm and CF summed over a composition (not factors of the product: not named),
    # and its OF is its factor. The open-burning N2O per t dry matter takes dm too.
    bulk: np.ndarray = p["bulk"]  # type: ignore[assignment]
    dm_ids, cf_ids = (record_ids(k, a, ~bulk & ~given(table, name)) for name, (_, k, a) in (
        ("dry_matter", p["values"]["dry_matter"]),
        ("total_carbon", p["values"]["total_carbon"])))
    of_ids = record_ids(of_key, of_ans, ~bulk & ~given(table, "oxidation_factor"))
    co2_aux = joined_ids(dm_ids, cf_ids, of_ids)
    open_air = table["category"].astype(str).str.startswith("4.C.2").to_numpy()
    results = []
    for fraction, fossil in ((fcf, True), (1.0 - fcf, False)):
        co2 = fossil_co2_of_burning(waste, dm, cf, fraction, p["of"]).m_as("kg")
        results.append(GasResult("CO2", co2, key, answer.assign(fossil=fossil),
                                 auxiliary=co2_aux))
    for gas, (value, key, ans, user) in p["gases"].items():
        kg = waste.m_as("t") * value / 1000.0
        aux = joined_ids(np.where(open_air & ~user & (gas == "N2O"), dm_ids, ""))
        for use, tier in ((~user, 1), (user, 2)):
            rows = np.flatnonzero(use)
            if len(rows):
                results.append(GasResult(gas, kg[rows], key[rows], as_tier(ans, tier),
                                         rows=rows, auxiliary=aux))
    return gas_results(results)


BURNING = Method(
    name="waste_burning",
    categories=("4.C",),
    activities=lambda factors: factor_activities(factors, "dry_matter", "4.A") | {"msw_bulk"},
    amount_kinds=("mass", "person"),
    compute=_burning_compute,
    check=lambda t, c: _burning_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"technology": str, "dry_matter": float, "total_carbon": float,
                "fossil_carbon_fraction": float, "oxidation_factor": float,
                "ef_ch4": float, "ef_n2o": float, "burning_fraction": float,
                "waste_per_capita": float, "burnt_fraction": float, "waste_share": float,
                "composition_region": str, "generation_region": str},
    description="Incineration (4.C.1) and open burning (4.C.2) of waste: CO2 from fossil "
                "carbon (Eq. 5.1, Tables 2.4, 5.2; biogenic CO2 a memo), CH4 and N2O "
                "(Tables 5.3, 5.6)",
)
