"""Agriculture: livestock (3.A), rice (3.C.7), managed soils (3.C.4, 3.C.5), urea (3.C.3),
liming (3.C.2) and burning of crop residues (3.C.1), IPCC 2006 Vol 4 Ch 2, 5, 10, 11 and
the 2019 Refinement where it changed a default (``guidelines="2019"``).

Every CH4 and N2O here is non-fossil (biological), which matters under AR6; CO2 from burning
crop residues is a biogenic memo item; CO2 from urea and lime is counted.

Activity rows
-------------
* **Enteric fermentation, 3.A.1**: ``activity`` = species (``dairy_cattle``,
  ``other_cattle``, ``buffalo``, ``sheep``, ``goats``, ``swine``, ``horses``,
  ``mules_asses``, ...), ``amount`` = average annual population [head]. Animals alive for
  part of the year count in proportion (Eq. 10.1): ``N = days_alive x NAPA / 365``, e.g.
  broilers raised 60 days, 3 batches of 1,000 a year -> 3 x 1,000 x 60 / 365 = 493 head.
  ``region`` (default ``asia``) picks the Table 10.11 cattle factor, and through
  ``data/livestock_regions.csv`` the developed/developing column of Table 10.10.
  Tier 2 for cattle and buffalo where the row gives ``gross_energy`` [MJ/head/day] or the
  animal data of Eq. 10.3-10.16 (``live_weight`` ...): see :func:`gross_energy`.
* **Manure management, 3.A.2**: ``activity`` = species, ``amount`` = head whose manure goes
  to ``manure_system`` (one row per species and system: heads x MS share),
  ``temperature`` = annual average [degC]. CH4 Tier 1 (Tables 10.14-10.16), Tier 2 where
  ``vs_rate`` [kg VS/head/day] is given with ``bo`` and ``mcf`` (Eq. 10.23; no Table 10.17
  MCF and no Annex 10A.2 Bo/VS defaults are shipped, and VS from feed intake, Eq. 10.24, is
  left to the user); direct N2O (Eq. 10.25, Table 10.21; ``ef3`` overrides) and indirect
  N2O from volatilisation (Eq. 10.26-10.27, Table 10.22 by animal group) and from leaching
  where ``frac_leach_ms`` is given (Eq. 10.28-10.29: IPCC gives no default); indirect N2O
  is reported under 3.C.6. N excretion is Table 10.19 rate x typical animal mass (Eq.
  10.30) where both have defaults, else give ``nex`` [kg N/head/yr] or
  ``typical_animal_mass`` [kg]. Manure on pasture (``pasture_range_paddock``) has its N2O
  under 3.C.4 (``urine_dung_pasture``), not here.
* **Rice, 3.C.7**: ``activity`` = ``rice``, ``amount`` = area harvested [ha], one row per
  season; ``cultivation_days``, ``water_regime``, ``preseason_water_regime``,
  ``organic_amendment`` and ``organic_amendment_rate`` [t/ha] (Eq. 5.1-5.3).
* **Managed soils, 3.C.4**: ``activity`` = ``synthetic_fertilizer``, ``organic_n``,
  ``urine_dung_pasture``, ``som_mineralisation`` (``amount`` = kg N) or
  ``crop_residue_rice`` / ``crop_residue_maize`` (``amount`` = area harvested [ha] with
  ``crop_yield`` [t fresh/ha], ``frac_remove`` (default 0: IPCC's "assume no removal") and
  ``area_burnt`` [ha]); direct N2O (Eq. 11.1) and indirect N2O (Eq. 11.9, 11.10)
  reported under 3.C.5. ``climate`` (``wet``/``dry``) selects the 2019 disaggregated
  factors; ``leaching`` defaults to ``yes``: IPCC applies Frac_LEACH only where rainfall in
  the rainy season exceeds evapotranspiration or the land is irrigated, so give ``no`` for
  dry uplands. One organic N input per row (several amendments are several rows).
* **Urea, 3.C.3** (``urea``, t) and **liming, 3.C.2** (``limestone``, ``dolomite``, t).
* **Burning crop residues, 3.C.1**: ``activity`` = ``rice_straw``, ``maize_residue`` ...,
  ``amount`` = area burnt [ha] (Eq. 2.27) with ``fuel_available`` M_B [t DM/ha] from the
  row (no Table 2.4 values are shipped). Table 2.4 prints fuel *consumed* (M_B x C_f): a
  value taken from it goes with ``combustion_factor`` = 1.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 2 (Eq. 2.27, Tables 2.4-2.6), Ch 5 (Eq. 5.1-5.3,
   Tables 5.11-5.14), Ch 10 (Eq. 10.1-10.30, Tables 10.4-10.22), Ch 11 (Eq. 11.1-11.13,
   Tables 11.1-11.3).
.. [2] IPCC 2019 Refinement, Vol 4, Ch 5 and Ch 11.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import (
    as_tier,
    choice,
    factor_activities,
    failing,
    given,
    lookup,
    lookup_first,
    missing,
    number,
    text_column,
)
from ghg_inventory.units import Q_

#: Eq. 10.21: energy content of methane [MJ/kg CH4].
METHANE_ENERGY_MJ_PER_KG = 55.65
#: Eq. 10.23: conversion of m3 CH4 to kg CH4 [kg/m3].
METHANE_DENSITY_KG_PER_M3 = 0.67
#: Eq. 10.25 and Ch 11: N2O-N to N2O, 44/28; Eq. 11.12-11.13: C to CO2, 44/12.
N2ON_TO_N2O = 44.0 / 28.0
C_TO_CO2 = 44.0 / 12.0

CATTLE_BUFFALO = ("dairy_cattle", "other_cattle", "buffalo")


@cache
def livestock_regions() -> pd.DataFrame:
    """Livestock regions of Table 10.11 and the Table 10.10 column each one uses."""
    return pd.read_csv(Path(__file__).parent.parent / "data" / "livestock_regions.csv",
                       comment="#", dtype=str).set_index("region")


def _species(parameter: str, category: str):  # type: ignore[no-untyped-def]
    return lambda factors: factor_activities(factors, parameter, category)


def _lacking(rows: np.ndarray, column: str, message: str,
             *answers: tuple[np.ndarray, pd.DataFrame]) -> list[Failure]:
    """The rows of the mask ``rows`` fail ``column`` with ``message``; where the record a
    row would have used is a 2006 default not in force in a ``guidelines="2019"`` run
    (the look-up's ``superseded``), the message says so and what to do instead.

    ``answers`` are ``(key, answer)`` pairs of the look-ups that could have served the rows.
    """
    positions = np.flatnonzero(rows)
    if not len(positions):
        return []
    notes = np.full(len(positions), None, dtype=object)
    for key, answer in answers:
        if "superseded" in answer:
            note = answer["superseded"].to_numpy(dtype=object)[key[positions]]
            notes = np.where(pd.isna(notes), note, notes)
    if pd.isna(notes).all():
        return [Failure(positions, column, message)]
    # per failing row only: the error path, never the table path
    return [Failure(positions, column, [message if pd.isna(n) else f"{message}: {n}"
                                        for n in notes])]


def _own_values(key: np.ndarray, answer: pd.DataFrame, own: np.ndarray, tier: int = 2
                ) -> tuple[np.ndarray, pd.DataFrame]:
    """Provenance of Tier 2 rows: the record where it was used, and, where the row gave its
    own value instead (``own``), no record (``user-supplied``, no edition): a row never
    names a record, or its edition, that did not produce its number."""
    nothing = pd.DataFrame({c: [np.nan] for c in answer.columns}).astype(object)
    stacked = pd.concat([answer.reset_index(drop=True), nothing], ignore_index=True)
    return np.where(own, len(answer), key), as_tier(stacked, tier)


# --- enteric fermentation -------------------------------------------------------------------

def enteric_emission_factor(gross_energy: pint.Quantity, ym: np.ndarray | float
                            ) -> pint.Quantity:
    r"""Tier 2 enteric CH4 emission factor (IPCC 2006 Vol 4 Eq. 10.21).

    .. math:: EF = \frac{GE \cdot (Y_m / 100) \cdot 365}{55.65}

    Parameters
    ----------
    gross_energy : pint.Quantity
        Gross energy intake. [MJ/head/day]
    ym : float or numpy.ndarray
        Methane conversion factor, share of gross energy converted to CH4. [%]

    Returns
    -------
    pint.Quantity
        CH4 per head and year. [kg/head/year]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 10, Eq. 10.21, Table 10.12.
    """
    ge = gross_energy.m_as("MJ/head/day")
    return Q_(ge * (np.asarray(ym) / 100.0) * 365.0 / METHANE_ENERGY_MJ_PER_KG,
              "kg/head/year")


def gross_energy(live_weight: pint.Quantity, digestibility: np.ndarray, *,
                 cf_maintenance: np.ndarray, ca_activity: np.ndarray,
                 weight_gain: pint.Quantity | None = None,
                 mature_weight: pint.Quantity | None = None,
                 c_growth: np.ndarray | float = 1.0,
                 milk: pint.Quantity | None = None, fat: np.ndarray | float = 4.0,
                 work_hours: np.ndarray | float = 0.0,
                 c_pregnancy: np.ndarray | float = 0.0,
                 pregnant_fraction: np.ndarray | float = 0.0) -> pint.Quantity:
    r"""Gross energy intake of cattle and buffalo (IPCC 2006 Vol 4 Eq. 10.3-10.16).

    .. math::

        NE_m = Cf_i \cdot W^{0.75}                                   \quad (10.3)

        NE_a = C_a \cdot NE_m                                        \quad (10.4)

        NE_g = 22.02 \left(\frac{W}{C \cdot MW}\right)^{0.75} WG^{1.097} \quad (10.6)

        NE_l = Milk \cdot (1.47 + 0.40 \cdot Fat)                     \quad (10.8)

        NE_{work} = 0.10 \cdot NE_m \cdot Hours                       \quad (10.11)

        NE_p = C_{pregnancy} \cdot NE_m                               \quad (10.13)

        REM = 1.123 - 4.092 \cdot 10^{-3} DE + 1.126 \cdot 10^{-5} DE^2 - 25.4 / DE \quad (10.14)

        REG = 1.164 - 5.160 \cdot 10^{-3} DE + 1.308 \cdot 10^{-5} DE^2 - 37.4 / DE \quad (10.15)

        GE = \frac{(NE_m + NE_a + NE_l + NE_{work} + NE_p)/REM + NE_g/REG}{DE/100} \quad (10.16)

    Parameters
    ----------
    live_weight : pint.Quantity
        Average live weight W. [kg]
    digestibility : numpy.ndarray
        Feed digestibility DE. [% of gross energy]
    cf_maintenance : numpy.ndarray
        Cf_i of Table 10.4. [MJ/day/kg^0.75]
    ca_activity : numpy.ndarray
        C_a of Table 10.5 (feeding situation). [dimensionless]
    weight_gain : pint.Quantity, optional
        Average daily weight gain WG. [kg/day]
    mature_weight : pint.Quantity, optional
        Mature live weight of an adult female in moderate condition MW. [kg]
    c_growth : float or numpy.ndarray
        C of Table 10.6 (females 0.8, castrates 1.0, bulls 1.2). [dimensionless]
    milk : pint.Quantity, optional
        Milk produced. [kg/day]
    fat : float or numpy.ndarray
        Fat content of the milk. [% by weight]
    work_hours : float or numpy.ndarray
        Hours of work per day (draught buffalo and cattle). [h/day]
    c_pregnancy : float or numpy.ndarray
        C_pregnancy of Table 10.7. [dimensionless]
    pregnant_fraction : float or numpy.ndarray
        Share of the animals pregnant in the year (weights NE_p). [dimensionless]

    Returns
    -------
    pint.Quantity
        Gross energy intake. [MJ/head/day]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 10, Eq. 10.3, 10.4, 10.6, 10.8, 10.11, 10.13-10.16,
       Tables 10.4-10.7.
    """
    w = live_weight.m_as("kg")
    de = np.asarray(digestibility, dtype=float)
    ne_m = np.asarray(cf_maintenance) * w ** 0.75
    ne_a = np.asarray(ca_activity) * ne_m
    if weight_gain is not None and mature_weight is not None:
        wg = weight_gain.m_as("kg/day")
        mw = mature_weight.m_as("kg")
        with np.errstate(divide="ignore", invalid="ignore"):
            ne_g = np.where(wg > 0, 22.02 * (w / (np.asarray(c_growth) * mw)) ** 0.75
                            * np.maximum(wg, 0) ** 1.097, 0.0)
    else:
        ne_g = np.zeros_like(ne_m)
    ne_l = (milk.m_as("kg/day") * (1.47 + 0.40 * np.asarray(fat)) if milk is not None
            else np.zeros_like(ne_m))
    ne_work = 0.10 * ne_m * np.asarray(work_hours)
    ne_p = np.asarray(c_pregnancy) * np.asarray(pregnant_fraction) * ne_m
    rem = 1.123 - 4.092e-3 * de + 1.126e-5 * de ** 2 - 25.4 / de
    reg = 1.164 - 5.160e-3 * de + 1.308e-5 * de ** 2 - 37.4 / de
    ge = ((ne_m + ne_a + ne_l + ne_work + ne_p) / rem + ne_g / reg) / (de / 100.0)
    return Q_(ge, "MJ/head/day")


ENTERIC_TIER2_COLUMNS = ("gross_energy", "live_weight")
ANIMAL_CLASSES = ("non_lactating", "lactating", "bulls")
FEEDING = ("stall", "pasture", "grazing_large_areas")
GROWTH_CLASSES = ("females", "castrates", "bulls")


def _region(table: pd.DataFrame) -> tuple[pd.Series, list[Failure]]:
    regions = livestock_regions()
    return choice(table, "region", regions.index, default="asia", what="livestock region")


def _development(table: pd.DataFrame, region: pd.Series) -> tuple[pd.Series, list[Failure]]:
    """Developed/developing column of Tables 10.10, 10.15, 10.16: the row's own
    ``development`` where given, else the region's (``data/livestock_regions.csv``)."""
    own, failures = choice(table, "development", ("developed", "developing"),
                           what="development status")
    by_region = region.map(livestock_regions()["development"]).fillna("")
    return own.where(own != "", by_region), failures


def _enteric_tier1(table: pd.DataFrame, ctx: Context
                   ) -> tuple[np.ndarray, pd.DataFrame, list[Failure]]:
    region, failures = _region(table)
    development, more = _development(table, region)
    failures += more
    cattle = table["activity"].astype(str).isin(("dairy_cattle", "other_cattle"))
    variant = pd.Series(np.where(cattle, region, development), index=table.index)
    key, answer = lookup(table, ctx, "ef", "kg/head/year", gas="CH4", variant=variant,
                         required=())
    return key, answer, failures


def _enteric_tier2_inputs(table: pd.DataFrame, ctx: Context, rows: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, list[Failure]]:
    """GE and Ym of the Tier 2 rows (positions ``rows``) and the Ym record."""
    sub = table.iloc[rows].reset_index(drop=True)
    failures: list[Failure] = []
    species = sub["activity"].astype(str)
    not_cattle = np.flatnonzero(~species.isin(CATTLE_BUFFALO).to_numpy())
    if len(not_cattle):
        failures.append(Failure(rows[not_cattle], "activity", "Tier 2 (gross_energy, "
                                "live_weight) is for cattle and buffalo only"))
    ym_key, ym_answer = lookup(sub, ctx, "ym", "percent",
                               activity=pd.Series("cattle_buffalo", index=sub.index))
    ym, more = number(sub, "ym", ym_answer["value"].to_numpy()[ym_key], 0.0, 100.0,
                      "Ym [% of gross energy]", low_open=True)
    more += _lacking(np.isnan(ym), "ym", "no default Ym (Table 10.12) for cattle and "
                     "buffalo; give ym [% of gross energy]", (ym_key, ym_answer))
    failures += [Failure(rows[f.positions], f.column, f.message) for f in more]
    ge, more = number(sub, "gross_energy", np.nan, 0.0, None, "gross energy "
                      "[MJ/head/day]", low_open=True)
    failures += [Failure(rows[f.positions], f.column, f.message) for f in more]
    need = np.isnan(ge)
    if need.any():
        computed, more = _gross_energy_from_rows(sub, ctx)
        failures += [Failure(rows[f.positions], f.column, f.message) for f in more
                     if need[f.positions].any()]
        ge = np.where(need, computed, ge)
    own_key, own = _own_values(ym_key, ym_answer, given(sub, "ym"))
    return ge, ym, own.iloc[own_key].reset_index(drop=True), failures


def _gross_energy_from_rows(sub: pd.DataFrame, ctx: Context
                            ) -> tuple[np.ndarray, list[Failure]]:
    failures: list[Failure] = []
    weight, more = number(sub, "live_weight", np.nan, 0.0, None, "live weight [kg]",
                          low_open=True)
    failures += more
    de, more = number(sub, "digestibility", np.nan, 0.0, 100.0, "digestibility DE [%]",
                      low_open=True)
    failures += more
    for column, values in (("live_weight", weight), ("digestibility", de)):
        failures += failing(np.isnan(values), column, f"{column} required for Tier 2 without "
                            "gross_energy")
    animal, more = choice(sub, "animal_class", ANIMAL_CLASSES, default="non_lactating",
                          what="animal class (Table 10.4)")
    failures += more
    feeding, more = choice(sub, "feeding_situation", FEEDING, default="stall",
                           what="feeding situation (Table 10.5)")
    failures += more
    growth, more = choice(sub, "growth_class", GROWTH_CLASSES, default="females",
                          what="growth class (Table 10.6)")
    failures += more
    cf_key, cf = lookup(sub, ctx, "cf_maintenance", "MJ/day/kg**0.75",
                        activity="cattle_buffalo_" + animal.astype(str))
    ca_key, ca = lookup(sub, ctx, "ca_activity", "dimensionless", activity=feeding)
    c_key, c = lookup(sub, ctx, "c_growth", "dimensionless", activity=growth)
    cp_key, cp = lookup(sub, ctx, "c_pregnancy", "dimensionless",
                        activity=pd.Series("cattle_buffalo", index=sub.index))
    every = np.ones(len(sub), dtype=bool)
    failures += missing(cf_key, cf, every, "animal_class", "no Cf_i (Table 10.4) record")
    failures += missing(ca_key, ca, every, "feeding_situation", "no C_a (Table 10.5) record")
    gain, more = number(sub, "weight_gain", 0.0, 0.0, None, "weight gain [kg/day]")
    failures += more
    mature, more = number(sub, "mature_weight", np.nan, 0.0, None, "mature weight [kg]",
                          low_open=True)
    failures += more
    failures += failing((gain > 0) & np.isnan(mature), "mature_weight",
                        "mature_weight required with "
                        "weight_gain (Eq. 10.6)")
    milk, more = number(sub, "milk", 0.0, 0.0, None, "milk [kg/day]")
    failures += more
    fat, more = number(sub, "fat", np.nan, 0.0, 100.0, "milk fat [%]")
    failures += more
    failures += failing((milk > 0) & np.isnan(fat), "fat",
                        "fat content of the milk required with milk "
                        "(Eq. 10.8)")
    hours, more = number(sub, "work_hours", 0.0, 0.0, 24.0, "work [h/day]")
    failures += more
    pregnant, more = number(sub, "pregnant_fraction", 0.0, 0.0, 1.0, "pregnant fraction")
    failures += more
    with np.errstate(invalid="ignore", divide="ignore"):
        ge = gross_energy(
            Q_(weight, "kg"), de, cf_maintenance=cf["value"].to_numpy()[cf_key],
            ca_activity=ca["value"].to_numpy()[ca_key], weight_gain=Q_(gain, "kg/day"),
            mature_weight=Q_(np.where(np.isnan(mature), 1.0, mature), "kg"),
            c_growth=np.nan_to_num(c["value"].to_numpy()[c_key], nan=1.0),
            milk=Q_(milk, "kg/day"), fat=np.nan_to_num(fat),
            work_hours=hours, c_pregnancy=np.nan_to_num(cp["value"].to_numpy()[cp_key]),
            pregnant_fraction=pregnant).m_as("MJ/head/day")
    return ge, failures


def _tier2_rows(table: pd.DataFrame) -> np.ndarray:
    return np.flatnonzero(np.logical_or.reduce([given(table, c)
                                                for c in ENTERIC_TIER2_COLUMNS]))


def _enteric_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    t2 = _tier2_rows(table)
    t1 = np.setdiff1d(np.arange(len(table)), t2)
    key, answer, failures = _enteric_tier1(table, ctx)
    failures += _lacking(answer["factor_id"].isna().to_numpy()[key]
                         & np.isin(np.arange(len(table)), t1), "activity",
                         "no Tier 1 enteric factor for this species and region", (key, answer))
    if len(t2):
        failures += _enteric_tier2_inputs(table, ctx, t2)[3]
    return failures


def _enteric_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    heads = table["amount"].to_numpy(dtype=float)
    t2 = _tier2_rows(table)
    t1 = np.setdiff1d(np.arange(len(table)), t2)
    results = []
    if len(t1):
        key, answer, _ = _enteric_tier1(table, ctx)
        ef = answer["value"].to_numpy()[key]
        results.append(GasResult("CH4", (heads * ef)[t1], key[t1], answer, rows=t1,
                                 fossil=False))
    if len(t2):
        ge, ym, provenance, _ = _enteric_tier2_inputs(table, ctx, t2)
        ef = enteric_emission_factor(Q_(ge, "MJ/head/day"), ym).m_as("kg/head/year")
        results.append(GasResult("CH4", heads[t2] * ef, np.arange(len(t2)), provenance,
                                 rows=t2, fossil=False))
    return gas_results(results)


ENTERIC = Method(
    name="enteric_fermentation",
    categories=("3.A.1",),
    activities=_species("ef", "3.A.1"),
    amount_kinds=("head",),
    compute=_enteric_compute,
    check=_enteric_check,
    parameters={"region": str, "development": str, "gross_energy": float, "ym": float,
                "live_weight": float, "digestibility": float, "animal_class": str,
                "feeding_situation": str, "growth_class": str, "weight_gain": float,
                "mature_weight": float, "milk": float, "fat": float, "work_hours": float,
                "pregnant_fraction": float},
    description="Enteric fermentation CH4, Tier 1 (Tables 10.10, 10.11) and Tier 2 for "
                "cattle and buffalo (Eq. 10.3-10.16, 10.21), IPCC 2006 Vol 4 Ch 10",
)


# --- manure management ----------------------------------------------------------------------

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


def _manure_systems(factors) -> set[str]:  # type: ignore[no-untyped-def]
    """Systems of Table 10.21 (EF3) and 10.22 (Frac_GasMS), and pasture."""
    t = factors.table
    in_3a2 = t["category"] == "3.A.2"
    systems = set(t.loc[in_3a2 & t["parameter"].isin(("mcf", "ef3")), "activity"])
    systems |= set(t.loc[in_3a2 & (t["parameter"] == "frac_gas_ms"), "variant"].dropna())
    return (systems - set(FRAC_GAS_SYSTEM.values())) | {PASTURE}


def _manure_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    """Everything the manure methods need, computed once per table and run."""
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        n = len(table)
        species = table["activity"].astype(str)
        region, more = _region(table)
        failures += more
        system, more = choice(table, "manure_system", _manure_systems(ctx.factors),
                              required=True, what="manure management system")
        failures += more
        temperature, more = number(table, "temperature", np.nan, -60.0, 60.0,
                                   "annual average temperature [degC]")
        failures += more
        # CH4, Tier 1: per-degree Table 10.14 species, else climate columns of 10.15/10.16
        t = np.clip(np.rint(np.nan_to_num(temperature, nan=20.0)), 10, 28).astype(int)
        per_degree = pd.Series([f"{r}_{d}c" for r, d in zip(region, t, strict=True)],
                               index=table.index)
        key1, ans1 = lookup(table, ctx, "ef", "kg/head/year", gas="CH4", variant=per_degree,
                            required=("variant",))
        climate = np.where(temperature < 15, "cool", np.where(temperature <= 25, "temperate",
                                                              "warm"))
        development, more = _development(table, region)
        failures += more
        by_climate = pd.Series([f"{d}_{c}" for d, c in zip(development, climate, strict=True)],
                               index=table.index)
        key2, ans2 = lookup(table, ctx, "ef", "kg/head/year", gas="CH4", variant=by_climate,
                            required=("variant",))
        tier2 = given(table, "vs_rate")
        no_temp = np.flatnonzero(np.isnan(temperature) & ~tier2)
        if len(no_temp):
            failures.append(Failure(no_temp, "temperature", "annual average temperature "
                                    "required (Tier 1 CH4 factors depend on it)"))
        found1 = ans1["factor_id"].notna().to_numpy()[key1]
        found2 = ans2["factor_id"].notna().to_numpy()[key2]
        failures += _lacking(~found1 & ~found2 & ~tier2 & ~np.isnan(temperature), "activity",
                             "no Tier 1 manure CH4 factor for this species, region and "
                             "temperature; give vs_rate, bo and mcf (Tier 2, Eq. 10.23)",
                             (key1, ans1), (key2, ans2))
        # CH4, Tier 2
        vs, more = number(table, "vs_rate", np.nan, 0.0, None, "VS [kg/head/day]")
        failures += more
        bo_key, bo_ans = lookup(table, ctx, "bo", "m**3/kg", variant=region)
        bo, more = number(table, "bo", bo_ans["value"].to_numpy()[bo_key], 0.0, None,
                          "Bo [m3 CH4/kg VS]")
        failures += more
        mcf_key, mcf_ans = lookup(table, ctx, "mcf", "percent", activity=system,
                                  variant=pd.Series([f"{d}c" for d in t], index=table.index))
        mcf_key2, mcf_ans2 = lookup(table, ctx, "mcf", "percent", activity=system,
                                    variant=pd.Series(climate, index=table.index))
        mcf_default = np.where(mcf_ans["factor_id"].notna().to_numpy()[mcf_key],
                               mcf_ans["value"].to_numpy()[mcf_key],
                               mcf_ans2["value"].to_numpy()[mcf_key2])
        mcf, more = number(table, "mcf", mcf_default, 0.0, 100.0, "MCF [%]")
        failures += more
        for column, values in (("bo", bo), ("mcf", mcf)):
            failures += failing(tier2 & np.isnan(values), column, f"no default {column} for this "
                                "species/system; give it in the row (Tier 2)")
        # N excretion
        rate_key, rate_ans = lookup(table, ctx, "n_rate", "kg/t/day", variant=region)
        tam_key, tam_ans = lookup(table, ctx, "typical_animal_mass", "kg", variant=region)
        tam, more = number(table, "typical_animal_mass", tam_ans["value"].to_numpy()[tam_key],
                           0.0, None, "typical animal mass [kg]", low_open=True)
        failures += more
        default_nex = nitrogen_excretion(Q_(rate_ans["value"].to_numpy()[rate_key], "kg/t/day"),
                                         Q_(tam, "kg")).m_as("kg/head/year")
        nex, more = number(table, "nex", default_nex, 0.0, None, "N excretion [kg N/head/yr]")
        failures += more
        pasture = (system == PASTURE).to_numpy()
        failures += _lacking(np.isnan(nex) & ~pasture, "nex",
                             "no default N excretion (Table 10.19 N rate and typical animal "
                             "mass) for this species and region; give nex [kg N/head/yr]",
                             (rate_key, rate_ans), (tam_key, tam_ans))
        ef3_key, ef3 = lookup(table, ctx, "ef3", "kg/kg", gas="N2O", activity=system)
        ef3_values, more = number(table, "ef3", ef3["value"].to_numpy()[ef3_key], 0.0, 1.0,
                                  "EF3 [kg N2O-N/kg N]")
        failures += more
        failures += _lacking(np.isnan(ef3_values) & ~pasture & (system != "").to_numpy(), "ef3",
                             "no default EF3 (Table 10.21) for this system; give ef3 "
                             "[kg N2O-N/kg N]", (ef3_key, ef3))
        ef3_user = given(table, "ef3")
        gas_key, gas_ans = lookup(
            table, ctx, "frac_gas_ms", "percent",
            activity=species.map(FRAC_GAS_SPECIES).fillna("-"),
            variant=system.map(lambda v: FRAC_GAS_SYSTEM.get(v, v)), required=("variant",))
        frac_gas, more = number(table, "frac_gas_ms", gas_ans["value"].to_numpy()[gas_key],
                                0.0, 100.0, "Frac_GasMS [%]")
        failures += more
        failures += _lacking(np.isnan(frac_gas) & ~pasture & (system != "").to_numpy(),
                             "frac_gas_ms", "no default Frac_GasMS (Table 10.22) for this "
                             "species and system; give it [%]", (gas_key, gas_ans))
        frac_leach, more = number(table, "frac_leach_ms", 0.0, 0.0, 100.0,
                                  "Frac_LeachMS [%]")
        failures += more
        ef4_key, ef4 = lookup(table, ctx, "ef4", "kg/kg", gas="N2O", category="3.C.5",
                              activity=pd.Series("n_inputs", index=table.index))
        ef5_key, ef5 = lookup(table, ctx, "ef5", "kg/kg", gas="N2O", category="3.C.5",
                              activity=pd.Series("n_inputs", index=table.index))
        every = np.ones(n, dtype=bool)
        failures += missing(ef4_key, ef4, every & ~pasture, "activity", "no EF4 record")
        # Eq. 10.28/10.29 sum Frac_LeachMS over management systems; manure on pasture is
        # in none (its N is F_PRP, 3.C.4/3.C.5): a leaching fraction there would count it
        # twice, so it is refused rather than dropped
        failures += failing(pasture & (frac_leach > 0), "frac_leach_ms",
                            "manure on pasture, range and paddock is in no management system; "
                            "its leaching is N2O of managed soils (3.C.5, urine_dung_pasture "
                            "under 3.C.4), not of manure management (IPCC 2006 Vol 4 Eq. "
                            "10.28-10.29): leave frac_leach_ms empty on this row")
        leaching = (frac_leach > 0) & ~pasture
        failures += missing(ef5_key, ef5, leaching, "frac_leach_ms", "no EF5 record")
        return {
            "failures": failures, "tier2": tier2, "pasture": pasture,
            "t1": (key1, ans1, found1, key2, ans2), "vs": vs, "bo": bo, "mcf": mcf,
            "mcf_ans": (mcf_key, mcf_ans, mcf_key2, mcf_ans2), "nex": nex,
            "ef3": (ef3_key, ef3), "ef3_values": ef3_values, "ef3_user": ef3_user,
            "frac_gas": frac_gas, "frac_leach": frac_leach,
            "ef4": (ef4_key, ef4), "ef5": (ef5_key, ef5),
        }
    return ctx.remember("manure.inputs", table, make)  # type: ignore[return-value]


def _manure_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    return _manure_inputs(table, ctx)["failures"]  # type: ignore[return-value]


def _manure_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _manure_inputs(table, ctx)
    heads = table["amount"].to_numpy(dtype=float)
    tier2: np.ndarray = p["tier2"]  # type: ignore[assignment]
    key1, ans1, found1, key2, ans2 = p["t1"]  # type: ignore[misc]
    results = []
    for use, key, ans in ((~tier2 & found1, key1, ans1), (~tier2 & ~found1, key2, ans2)):
        rows = np.flatnonzero(use)
        if len(rows):
            results.append(GasResult("CH4", heads[rows] * ans["value"].to_numpy()[key[rows]],
                                     key[rows], ans, rows=rows, fossil=False))
    rows = np.flatnonzero(tier2)
    if len(rows):
        ef = manure_ch4_emission_factor(Q_(p["vs"][rows], "kg/head/day"),  # type: ignore
                                        Q_(p["bo"][rows], "m**3/kg"),  # type: ignore
                                        p["mcf"][rows]).m_as("kg/head/year")  # type: ignore
        mcf_key, mcf_ans, _, _ = p["mcf_ans"]  # type: ignore[misc]
        mcf_key, mcf_ans = _own_values(mcf_key, mcf_ans, given(table, "mcf"))
        results.append(GasResult("CH4", heads[rows] * ef, mcf_key[rows], mcf_ans, rows=rows,
                                 fossil=False))
    n_managed = heads * p["nex"]  # type: ignore[operator]
    pasture: np.ndarray = p["pasture"]  # type: ignore[assignment]
    rows = np.flatnonzero(~pasture)
    ef3_key, ef3 = p["ef3"]  # type: ignore[misc]
    direct = n_managed * np.nan_to_num(p["ef3_values"]) * N2ON_TO_N2O  # type: ignore[arg-type]
    user: np.ndarray = p["ef3_user"]  # type: ignore[assignment]
    # the row's own EF3 (Tier 2) replaces the record: no record is named then
    own_key, own = _own_values(ef3_key, ef3, user)
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
                                  * N2ON_TO_N2O)[rows], ef4_key[rows], as_tier(ef4, 1),
                          rows=rows)]
    leach_rows = np.flatnonzero((p["frac_leach"] > 0) & ~pasture)  # type: ignore[operator]
    if len(leach_rows):
        ef5_key, ef5 = p["ef5"]  # type: ignore[misc]
        leached = n_managed * p["frac_leach"] / 100.0  # type: ignore[operator]
        indirect.append(GasResult("N2O", (leached * ef5["value"].to_numpy()[ef5_key]
                                          * N2ON_TO_N2O)[leach_rows], ef5_key[leach_rows],
                                  as_tier(ef5, 1), rows=leach_rows))
    return stacked(results, indirect, "3.C.6")


def stacked(own: list[GasResult], moved: list[GasResult], category: str) -> pd.DataFrame:
    """Stack results of the rows' own category and results reported under ``category``
    (indirect N2O), marking the latter in ``_category`` for the engine."""
    frame = gas_results(own + moved)
    counts = [len(r.rows) if r.rows is not None else len(r.key) for r in own + moved]
    labels = np.repeat(["" for _ in own] + [category for _ in moved], counts)
    frame["_category"] = labels
    return frame


MANURE = Method(
    name="manure_management",
    categories=("3.A.2",),
    activities=lambda factors: (_species("ef", "3.A.2")(factors)
                                | _species("n_rate", "3.A.2")(factors)),
    amount_kinds=("head",),
    compute=_manure_compute,
    check=_manure_check,
    parameters={"region": str, "development": str, "manure_system": str,
                "temperature": float, "vs_rate": float, "bo": float, "mcf": float,
                "nex": float, "typical_animal_mass": float, "ef3": float,
                "frac_gas_ms": float, "frac_leach_ms": float},
    description="Manure management CH4 (Tier 1 Tables 10.14-10.16, Tier 2 Eq. 10.23) and "
                "N2O (direct Eq. 10.25, indirect Eq. 10.26-10.29 under 3.C.6), IPCC 2006 "
                "Vol 4 Ch 10",
)


# --- rice cultivation -----------------------------------------------------------------------

def rice_emission_factor(baseline: pint.Quantity, sf_water: np.ndarray | float,
                         sf_preseason: np.ndarray | float,
                         sf_organic: np.ndarray | float = 1.0) -> pint.Quantity:
    r"""Daily CH4 emission factor of a rice field (IPCC 2006 Vol 4 Eq. 5.2).

    .. math:: EF_i = EF_c \cdot SF_w \cdot SF_p \cdot SF_o

    Parameters
    ----------
    baseline : pint.Quantity
        EF_c, continuously flooded fields without organic amendments (Table 5.11).
        [kg CH4/ha/day]
    sf_water, sf_preseason, sf_organic : float or numpy.ndarray
        Scaling factors for the water regime in the season (Table 5.12), before it
        (Table 5.13), and for organic amendments (Eq. 5.3). [dimensionless]

    Returns
    -------
    pint.Quantity
        [kg CH4/ha/day]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 5, Eq. 5.2, Tables 5.11-5.13; 2019 Refinement,
       Vol 4, Ch 5, same equation with updated tables.
    """
    return (baseline * np.asarray(sf_water) * np.asarray(sf_preseason)
            * np.asarray(sf_organic)).to("kg/ha/day")


def organic_amendment_factor(rate: pint.Quantity, conversion: np.ndarray | float
                             ) -> np.ndarray:
    r"""Scaling factor for organic amendments (IPCC 2006 Vol 4 Eq. 5.3).

    .. math:: SF_o = (1 + ROA \cdot CFOA)^{0.59}

    Parameters
    ----------
    rate : pint.Quantity
        ROA, application rate of the amendment (dry weight for straw, fresh weight for
        others). [t/ha]
    conversion : float or numpy.ndarray
        CFOA of the amendment type (Table 5.14). [dimensionless]

    Returns
    -------
    numpy.ndarray
        SF_o [dimensionless]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 5, Eq. 5.3, Table 5.14.
    """
    return (1.0 + rate.m_as("t/ha") * np.asarray(conversion)) ** 0.59


def _variants(ctx: Context, parameter: str, category: str) -> set[str]:
    """Variants of a parameter the run can use: a 2006 run sees only 2006 records, a 2019
    run the 2019 records and the 2006 ones the Refinement left standing."""
    t = ctx.factors.table
    use = (t["parameter"] == parameter) & (t["category"] == category)
    if ctx.guidelines == "2006":
        use &= t["guidelines"] == "2006"
    return set(t.loc[use, "variant"].dropna().astype(str)) - {""}


#: Default region of the rice baseline factor (2019 Refinement Table 5.11A): Viet Nam.
RICE_REGION = "south_east_asia"


def _rice_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        days, more = number(table, "cultivation_days", np.nan, 0.0, 365.0,
                            "cultivation period [days]", low_open=True)
        failures += more
        failures += failing(np.isnan(days) & ~given(table, "cultivation_days"), "cultivation_days",
                            "cultivation period of the "
                            "season required [days]")
        water, more = choice(table, "water_regime",
                             _variants(ctx, "sf_water", "3.C.7"), required=True,
                             what="water regime (Table 5.12)")
        failures += more
        pre, more = choice(table, "preseason_water_regime",
                           _variants(ctx, "sf_preseason", "3.C.7"), required=True,
                           what="pre-season water regime (Table 5.13)")
        failures += more
        amendment, more = choice(table, "organic_amendment",
                                 _variants(ctx, "cfoa", "3.C.7"),
                                 what="organic amendment (Table 5.14)")
        failures += more
        rate, more = number(table, "organic_amendment_rate", 0.0, 0.0, None,
                            "organic amendment rate [t/ha]")
        failures += more
        typed = (amendment != "").to_numpy()
        no_type = np.flatnonzero((rate > 0) & ~typed)
        if len(no_type):
            failures.append(Failure(no_type, "organic_amendment", "organic_amendment_rate "
                                    "given without the amendment type"))
        no_rate = np.flatnonzero(typed & ~given(table, "organic_amendment_rate"))
        if len(no_rate):
            failures.append(Failure(no_rate, "organic_amendment_rate", "rate of the organic "
                                    "amendment required [t/ha]"))
        # 2006 has one global baseline (Table 5.11); the 2019 Refinement one per region
        t = ctx.factors.table
        regions = set(t.loc[t["parameter"] == "ef_baseline", "variant"].dropna()) - {""}
        region, more = choice(table, "region", regions | {RICE_REGION}, default=RICE_REGION,
                              what="rice region (2019 Table 5.11)")
        failures += more
        rice = pd.Series("rice", index=table.index)
        ef_key, ef = lookup(table, ctx, "ef_baseline", "kg/ha/day", gas="CH4",
                            activity=rice, variant=region,
                            required=("variant",) if ctx.guidelines == "2019" else ())
        w_key, w = lookup(table, ctx, "sf_water", "dimensionless", activity=rice,
                          variant=water, required=("variant",))
        p_key, pw = lookup(table, ctx, "sf_preseason", "dimensionless", activity=rice,
                           variant=pre, required=("variant",))
        o_key, o = lookup(table, ctx, "cfoa", "dimensionless", activity=rice,
                          variant=amendment, required=("variant",))
        every = np.ones(len(table), dtype=bool)
        failures += missing(ef_key, ef, every, "region", "no baseline rice factor (Table "
                            "5.11) for this region")
        failures += missing(w_key, w, (water != "").to_numpy(), "water_regime",
                            f"no scaling factor for this water regime in the "
                            f"{ctx.guidelines} tables")
        failures += missing(p_key, pw, (pre != "").to_numpy(), "preseason_water_regime",
                            f"no scaling factor for this pre-season regime in the "
                            f"{ctx.guidelines} tables")
        failures += missing(o_key, o, typed, "organic_amendment",
                            f"no conversion factor for this amendment in the "
                            f"{ctx.guidelines} tables")
        cfoa = np.where(typed, o["value"].to_numpy()[o_key], 0.0)
        return {"failures": failures, "days": days, "ef": (ef_key, ef),
                "sf_water": w["value"].to_numpy()[w_key],
                "sf_pre": pw["value"].to_numpy()[p_key],
                "sf_org": organic_amendment_factor(Q_(rate, "t/ha"), np.nan_to_num(cfoa))}
    return ctx.remember("rice.inputs", table, make)  # type: ignore[return-value]


def _rice_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _rice_inputs(table, ctx)
    ef_key, ef = p["ef"]  # type: ignore[misc]
    daily = rice_emission_factor(Q_(ef["value"].to_numpy()[ef_key], "kg/ha/day"),
                                 p["sf_water"], p["sf_pre"],  # type: ignore[arg-type]
                                 p["sf_org"]).m_as("kg/ha/day")  # type: ignore[arg-type]
    # Eq. 5.1: CH4 = EF_i x t_i x A_i
    ch4 = daily * p["days"] * table["amount"].to_numpy(dtype=float)  # type: ignore[operator]
    return gas_results([GasResult("CH4", ch4, ef_key, ef, fossil=False)])


RICE = Method(
    name="rice_cultivation",
    categories=("3.C.7",),
    activities=lambda factors: {"rice"},
    amount_kinds=("area",),
    compute=_rice_compute,
    check=lambda t, c: _rice_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"cultivation_days": float, "water_regime": str,
                "preseason_water_regime": str, "organic_amendment": str,
                "organic_amendment_rate": float, "region": str},
    description="Rice cultivation CH4, IPCC 2006 Vol 4 Ch 5 Eq. 5.1-5.3 (2019 Refinement "
                "tables with guidelines='2019')",
)


# --- managed soils: direct (3.C.4) and indirect (3.C.5) N2O --------------------------------

N_INPUTS = ("synthetic_fertilizer", "organic_n", "urine_dung_pasture", "som_mineralisation")
RESIDUES = {"crop_residue_rice": "rice", "crop_residue_maize": "maize"}
ANIMAL_GROUPS = ("cattle_poultry_pigs", "sheep_other")
CLIMATES = ("wet", "dry")


def crop_residue_nitrogen(area: pint.Quantity, crop_yield: pint.Quantity, *,
                          dry_matter_fraction: np.ndarray | float,
                          ag_slope: np.ndarray | float, ag_intercept: pint.Quantity,
                          n_ag: np.ndarray | float, r_bg_bio: np.ndarray | float,
                          n_bg: np.ndarray | float, frac_remove: np.ndarray | float = 0.0,
                          area_burnt: pint.Quantity | None = None,
                          combustion_factor: np.ndarray | float = 0.0) -> pint.Quantity:
    r"""N in crop residues returned to soils (IPCC 2006 Vol 4 Eq. 11.6, 11.7, Table 11.2).

    .. math::

        Crop = Yield_{fresh} \cdot DRY                                          \quad (11.7)

        AG_{DM} = Crop \cdot slope + intercept                       \quad \text{(Table 11.2)}

        F_{CR} = (A - A_{burnt} \cdot C_f) \cdot [AG_{DM} \cdot N_{AG} \cdot (1 - Frac_{Remove})
                 + R_{BG-BIO} \cdot (AG_{DM} + Crop) \cdot N_{BG}]              \quad (11.6)

    with Crop and AG_DM in t dry matter per ha (Eq. 11.6 writes the terms with
    R_AG = AG_DM / Crop and R_BG = R_BG-BIO (AG_DM + Crop) / Crop, which cancel here);
    Frac_Renew = 1 for annual crops.

    Parameters
    ----------
    area : pint.Quantity
        Area harvested. [ha]
    crop_yield : pint.Quantity
        Harvested fresh yield. [t/ha]
    dry_matter_fraction, ag_slope, n_ag, r_bg_bio, n_bg : float or numpy.ndarray
        DRY, slope, N_AG, R_BG-BIO and N_BG of Table 11.2. [dimensionless, kg N/kg DM]
    ag_intercept : pint.Quantity
        Intercept of Table 11.2. [t/ha]
    frac_remove : float or numpy.ndarray
        Share of above-ground residues removed (feed, bedding, fuel). [dimensionless]
    area_burnt : pint.Quantity, optional
        Area whose residues were burnt in the field. [ha]
    combustion_factor : float or numpy.ndarray
        C_f of the burnt residues (Vol 4 Table 2.6). [dimensionless]

    Returns
    -------
    pint.Quantity
        F_CR. [kg N]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 11, Eq. 11.6, 11.7, Table 11.2.
    """
    crop = crop_yield.m_as("t/ha") * np.asarray(dry_matter_fraction)
    ag = crop * np.asarray(ag_slope) + ag_intercept.m_as("t/ha")
    per_ha = (ag * np.asarray(n_ag) * (1 - np.asarray(frac_remove))
              + np.asarray(r_bg_bio) * (ag + crop) * np.asarray(n_bg))  # t N/ha
    burnt = area_burnt.m_as("ha") if area_burnt is not None else 0.0
    effective = area.m_as("ha") - burnt * np.asarray(combustion_factor)
    return Q_(effective * per_ha * 1000.0, "kg")


def _soils_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        activity = table["activity"].astype(str)
        residue = activity.isin(list(RESIDUES)).to_numpy()
        pasture = (activity == "urine_dung_pasture").to_numpy()
        synthetic = (activity == "synthetic_fertilizer").to_numpy()
        organic = (activity == "organic_n").to_numpy()
        yes = {"yes", "true", "1", "có", "co"}
        flooded = text_column(table, "flooded_rice").str.lower().isin(yes).to_numpy()
        climate, more = choice(table, "climate", CLIMATES, what="climate (wet or dry)")
        failures += more
        group, more = choice(table, "animal_group", ANIMAL_GROUPS,
                             what="animal group of Table 11.1")
        failures += more
        no_group = np.flatnonzero(pasture & (group == "").to_numpy())
        if len(no_group):
            failures.append(Failure(no_group, "animal_group", "animal group required for "
                                    "urine and dung on pasture (cattle_poultry_pigs or "
                                    "sheep_other)"))
        leach_text = text_column(table, "leaching", "yes").str.lower()
        leaching = leach_text.isin(yes).to_numpy()
        bad = np.flatnonzero(~leaching & ~leach_text.isin({"no", "false", "0",
                                                           "không"}).to_numpy())
        if len(bad):
            failures.append(Failure(bad, "leaching", "yes or no"))
        kind = table["amount_kind"].astype(str).to_numpy() if "amount_kind" in table \
            else np.where(residue, "area", "mass")
        wrong = np.flatnonzero(residue & (kind != "area"))
        if len(wrong):
            failures.append(Failure(wrong, "unit", "crop residue rows take the area "
                                    "harvested (ha) with crop_yield"))
        wrong = np.flatnonzero(~residue & (kind != "mass"))
        if len(wrong):
            failures.append(Failure(wrong, "unit", "N input rows take the mass of N (kg N)"))
        # amount of N [kg] of every row (crop residues: Eq. 11.6)
        amount = table["amount"].to_numpy(dtype=float)
        nitrogen = np.where(residue, 0.0, amount)
        crop = activity.map(RESIDUES).fillna("")
        res_rows = np.flatnonzero(residue)
        if len(res_rows):
            sub = table.iloc[res_rows].reset_index(drop=True)
            sub_crop = crop.iloc[res_rows].reset_index(drop=True)
            values = {}
            for parameter, unit in (("dry_matter_fraction", "dimensionless"),
                                    ("ag_slope", "dimensionless"), ("ag_intercept", "t/ha"),
                                    ("n_ag", "kg/kg"), ("r_bg_bio", "dimensionless"),
                                    ("n_bg", "kg/kg")):
                key, ans = lookup(sub, ctx, parameter, unit, activity=sub_crop)
                # the row's own value (Tier 2, or a value Table 11.2 leaves blank)
                value, more = number(sub, parameter, ans["value"].to_numpy()[key], 0.0, None,
                                     f"{parameter} (Table 11.2)")
                more += failing(np.isnan(value), parameter, f"no {parameter} (Table 11.2) "
                                f"for this crop; give {parameter}")
                failures += [Failure(res_rows[f.positions], f.column, f.message)
                             for f in more]
                values[parameter] = value
            yield_, more = number(sub, "crop_yield", np.nan, 0.0, None,
                                  "fresh yield [t/ha]", low_open=True)
            more += [Failure(np.flatnonzero(np.isnan(yield_) & ~given(sub, "crop_yield")),
                             "crop_yield", "harvested fresh yield required [t/ha]")]
            # Eq. 11.6: "if data for FracRemove are not available, assume no removal"
            remove, extra = number(sub, "frac_remove", 0.0, 0.0, 1.0,
                                   "share of residues removed")
            more += extra
            burnt, extra = number(sub, "area_burnt", 0.0, 0.0, None, "area burnt [ha]")
            more += extra
            over = np.flatnonzero(burnt > sub["amount"].to_numpy(dtype=float))
            more += [Failure(over, "area_burnt", "area burnt exceeds the area harvested")]
            cf_key, cf = lookup(sub, ctx, "combustion_factor", "dimensionless",
                                category="3.C.1", activity=sub_crop.map(
                                    {"rice": "rice_straw", "maize": "maize_residue"}))
            cf_values = cf["value"].to_numpy()[cf_key]
            more += missing(cf_key, cf, burnt > 0, "area_burnt", "no combustion factor "
                            "(Table 2.6) for this crop")
            failures += [Failure(res_rows[f.positions], f.column, f.message)
                         for f in more if len(f.positions)]
            with np.errstate(invalid="ignore"):
                nitrogen[res_rows] = crop_residue_nitrogen(
                    Q_(sub["amount"].to_numpy(dtype=float), "ha"), Q_(yield_, "t/ha"),
                    dry_matter_fraction=values["dry_matter_fraction"],
                    ag_slope=values["ag_slope"], ag_intercept=Q_(values["ag_intercept"],
                                                                 "t/ha"),
                    n_ag=values["n_ag"], r_bg_bio=values["r_bg_bio"], n_bg=values["n_bg"],
                    frac_remove=remove, area_burnt=Q_(burnt, "ha"),
                    combustion_factor=np.nan_to_num(cf_values)).m_as("kg")
        inputs = pd.Series("n_inputs", index=table.index)
        clim = climate.astype(str)
        ef1_variant = pd.Series(np.where(flooded, "flooded_rice", np.where(
            clim == "wet", np.where(synthetic, "wet_synthetic", "wet_other"),
            np.where(clim == "dry", "dry", ""))), index=table.index)
        ef1_key, ef1 = lookup_first(table, ctx, "ef1", "kg/kg", [ef1_variant,
                                                                 pd.Series("", index=table.index)],
                                    gas="N2O", activity=inputs, category="3.C.4")
        prp_variant = pd.Series([f"{g}_{c}" if c else g for g, c in zip(group, clim,
                                                                         strict=True)],
                                index=table.index)
        prp_key, prp = lookup_first(table, ctx, "ef3_prp", "kg/kg", [prp_variant, group],
                                    gas="N2O", activity=inputs, category="3.C.4")
        failures += missing(ef1_key, ef1, ~pasture, "activity", "no EF1 record")
        failures += missing(prp_key, prp, pasture & (group != "").to_numpy(),
                            "animal_group", "no EF3PRP record for this animal group")
        clim_variant = pd.Series(clim, index=table.index)
        ef4_key, ef4 = lookup_first(table, ctx, "ef4", "kg/kg", [clim_variant,
                                                                 pd.Series("", index=table.index)],
                                    gas="N2O", activity=inputs, category="3.C.5")
        ef5_key, ef5 = lookup(table, ctx, "ef5", "kg/kg", gas="N2O", activity=inputs,
                              category="3.C.5")
        fert = text_column(table, "fertilizer_type")
        gasf_key, gasf = lookup_first(table, ctx, "frac_gasf", "dimensionless",
                                      [pd.Series(fert, index=table.index),
                                       pd.Series("", index=table.index)],
                                      activity=inputs, category="3.C.5")
        gasm_key, gasm = lookup(table, ctx, "frac_gasm", "dimensionless", activity=inputs,
                                category="3.C.5")
        leach_key, leach = lookup(table, ctx, "frac_leach", "dimensionless", activity=inputs,
                                  category="3.C.5")
        failures += missing(ef4_key, ef4, synthetic | organic | pasture, "activity",
                            "no EF4 record")
        failures += missing(ef5_key, ef5, leaching, "activity", "no EF5 record")
        failures += missing(leach_key, leach, leaching, "activity", "no Frac_LEACH record")
        failures += missing(gasf_key, gasf, synthetic, "activity", "no Frac_GASF record")
        failures += missing(gasm_key, gasm, organic | pasture, "activity",
                            "no Frac_GASM record")
        frac_gas = np.where(synthetic, gasf["value"].to_numpy()[gasf_key],
                            np.where(organic | pasture, gasm["value"].to_numpy()[gasm_key],
                                     0.0))
        return {"failures": failures, "nitrogen": nitrogen, "pasture": pasture,
                "ef1": (ef1_key, ef1), "prp": (prp_key, prp), "ef4": (ef4_key, ef4),
                "ef5": (ef5_key, ef5), "leach": (leach_key, leach), "frac_gas": frac_gas,
                "leaching": leaching, "volatile": synthetic | organic | pasture}
    return ctx.remember("soils.inputs", table, make)  # type: ignore[return-value]


def _soils_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _soils_inputs(table, ctx)
    n: np.ndarray = p["nitrogen"]  # type: ignore[assignment]
    pasture: np.ndarray = p["pasture"]  # type: ignore[assignment]
    own = []
    for use, (key, ans) in ((~pasture, p["ef1"]), (pasture, p["prp"])):  # type: ignore
        rows = np.flatnonzero(use)
        if len(rows):
            # Eq. 11.1 (direct N2O-N) x 44/28
            own.append(GasResult("N2O", n[rows] * ans["value"].to_numpy()[key[rows]]
                                 * N2ON_TO_N2O, key[rows], ans, rows=rows))
    moved = []
    rows = np.flatnonzero(p["volatile"])  # type: ignore[arg-type]
    if len(rows):
        key, ans = p["ef4"]  # type: ignore[misc]
        # Eq. 11.9: N volatilised x EF4 x 44/28
        moved.append(GasResult("N2O", (n * p["frac_gas"] * ans["value"].to_numpy()[key]  # type: ignore
                                       * N2ON_TO_N2O)[rows], key[rows], ans, rows=rows))
    rows = np.flatnonzero(p["leaching"])  # type: ignore[arg-type]
    if len(rows):
        key, ans = p["ef5"]  # type: ignore[misc]
        lkey, lans = p["leach"]  # type: ignore[misc]
        # Eq. 11.10: N x Frac_LEACH x EF5 x 44/28
        moved.append(GasResult("N2O", (n * lans["value"].to_numpy()[lkey]
                                       * ans["value"].to_numpy()[key] * N2ON_TO_N2O)[rows],
                               key[rows], ans, rows=rows))
    return stacked(own, moved, "3.C.5")


SOILS = Method(
    name="managed_soils",
    categories=("3.C.4",),
    activities=lambda factors: set(N_INPUTS) | set(RESIDUES),
    amount_kinds=("mass", "area"),
    compute=_soils_compute,
    check=lambda t, c: _soils_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"flooded_rice": str, "climate": str, "animal_group": str, "leaching": str,
                "fertilizer_type": str, "crop_yield": float, "frac_remove": float,
                "area_burnt": float, "dry_matter_fraction": float, "ag_slope": float,
                "ag_intercept": float, "n_ag": float, "r_bg_bio": float, "n_bg": float},
    description="Managed soils N2O: direct (Eq. 11.1, Table 11.1) and indirect under 3.C.5 "
                "(Eq. 11.9, 11.10, Table 11.3); crop residue N (Eq. 11.6, 11.7, Table 11.2)",
)


# --- urea (3.C.3) and liming (3.C.2) --------------------------------------------------------

def carbonate_co2(mass: pint.Quantity, carbon_factor: np.ndarray | float) -> pint.Quantity:
    r"""CO2 from urea or lime applied to soils (IPCC 2006 Vol 4 Eq. 11.12, 11.13).

    .. math:: CO_2 = M \cdot EF \cdot \frac{44}{12}

    Parameters
    ----------
    mass : pint.Quantity
        Urea, limestone or dolomite applied. [t]
    carbon_factor : float or numpy.ndarray
        Carbon released per mass applied (urea 0.20, limestone 0.12, dolomite 0.13 in
        the 2006 defaults). [t C/t]

    Returns
    -------
    pint.Quantity
        CO2. [kg]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 11, Eq. 11.12, 11.13.
    """
    return Q_(mass.m_as("kg") * np.asarray(carbon_factor) * C_TO_CO2, "kg")


def _carbon_answer(table: pd.DataFrame, ctx: Context) -> tuple[np.ndarray, pd.DataFrame]:
    return lookup(table, ctx, "carbon_ef", "t/t")


def _carbon_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    key, answer = _carbon_answer(table, ctx)
    answer = answer.assign(fossil=True)  # mineral carbon: counted CO2, not a memo
    co2 = carbonate_co2(Q_(table["amount"].to_numpy(dtype=float), "kg"),
                        answer["value"].to_numpy()[key]).m_as("kg")
    return gas_results([GasResult("CO2", co2, key, answer)])


def _carbon_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    key, answer = _carbon_answer(table, ctx)
    return missing(key, answer, np.ones(len(table), dtype=bool), "activity",
                   "no carbon emission factor for this material")


def _carbon_method(name: str, code: str, what: str) -> Method:
    return Method(
        name=name, categories=(code,), activities=_species("carbon_ef", code),
        amount_kinds=("mass",), compute=_carbon_compute, check=_carbon_check,
        description=f"{what}, IPCC 2006 Vol 4 Ch 11 (CO2 counted, mineral carbon)")


UREA = _carbon_method("urea_application", "3.C.3", "Urea application, Eq. 11.13")
LIMING = _carbon_method("liming", "3.C.2", "Liming, Eq. 11.12")


# --- burning of crop residues in the field (3.C.1) ------------------------------------------

def biomass_burning(area: pint.Quantity, fuel_available: pint.Quantity,
                    combustion_factor: np.ndarray | float,
                    emission_factor: pint.Quantity) -> pint.Quantity:
    r"""Emissions of a gas from burning biomass in the field (IPCC 2006 Vol 4 Eq. 2.27).

    .. math:: L = A \cdot M_B \cdot C_f \cdot G_{ef} \cdot 10^{-3}

    Parameters
    ----------
    area : pint.Quantity
        Area burnt. [ha]
    fuel_available : pint.Quantity
        M_B, mass of fuel available for combustion (Table 2.4). [t dry matter/ha]
    combustion_factor : float or numpy.ndarray
        C_f (Table 2.6). [dimensionless]
    emission_factor : pint.Quantity
        G_ef (Table 2.5). [g/kg dry matter burnt]

    Returns
    -------
    pint.Quantity
        [kg]

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 4, Ch 2, Eq. 2.27, Tables 2.4-2.6.
    """
    burnt = area * fuel_available * np.asarray(combustion_factor)
    return (burnt * emission_factor).to("kg")


def _burning_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        mb_key, mb = lookup(table, ctx, "fuel_available", "t/ha")
        fuel, more = number(table, "fuel_available", mb["value"].to_numpy()[mb_key], 0.0,
                            None, "fuel available [t DM/ha]")
        failures += more
        cf_key, cf = lookup(table, ctx, "combustion_factor", "dimensionless")
        comb, more = number(table, "combustion_factor", cf["value"].to_numpy()[cf_key], 0.0,
                            1.0, "combustion factor")
        failures += more
        for column, values in (("fuel_available", fuel), ("combustion_factor", comb)):
            failures += failing(np.isnan(values), column, f"no default {column} for this "
                                "residue; give it in the row")
        residues = pd.Series("agricultural_residues", index=table.index)
        gases = {gas: lookup(table, ctx, "ef", "g/kg", gas=gas, activity=residues)
                 for gas in ("CO2", "CH4", "N2O")}
        for gas, (key, ans) in gases.items():
            failures += missing(key, ans, np.ones(len(table), dtype=bool), "activity",
                                f"no {gas} factor for burning agricultural residues")
        return {"failures": failures, "fuel": fuel, "cf": comb, "gases": gases,
                "provenance": (mb_key, mb)}
    return ctx.remember("burning.inputs", table, make)  # type: ignore[return-value]


def _burning_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _burning_inputs(table, ctx)
    area = Q_(table["amount"].to_numpy(dtype=float), "ha")
    results = []
    for gas, (key, ans) in p["gases"].items():  # type: ignore[attr-defined]
        kg = biomass_burning(area, Q_(p["fuel"], "t/ha"), p["cf"],  # type: ignore[arg-type]
                             Q_(ans["value"].to_numpy()[key], "g/kg")).m_as("kg")
        # biomass carbon: CO2 is a memo (non-fossil), CH4 and N2O non-fossil
        results.append(GasResult(gas, kg, key, ans.assign(fossil=False)))
    return gas_results(results)


BURNING = Method(
    name="cropland_burning",
    categories=("3.C.1",),
    activities=lambda factors: _species("combustion_factor", "3.C.1")(factors),
    amount_kinds=("area",),
    compute=_burning_compute,
    check=lambda t, c: _burning_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"fuel_available": float, "combustion_factor": float},
    description="Burning of crop residues in the field, IPCC 2006 Vol 4 Ch 2 Eq. 2.27, "
                "Tables 2.4-2.6 (CO2 biogenic memo)",
)
