"""Enteric fermentation CH4 (3.A.1), IPCC 2006 Vol 4 Ch 10, Tier 1 and Tier 2 for cattle
and buffalo.

The CH4 is non-fossil (biological), which matters under AR6.

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
* With ``guidelines="2019"`` (2019 Refinement Tables 10.10 and 10.11 (Updated)): cattle
  and buffalo by ``region`` (``productivity`` ``high``/``low`` picks the Tier 1a split where
  printed); sheep, goats and swine by productivity system, ``low`` by default outside North
  America, Europe and Oceania (the Refinement's Tier 1 note), ``high`` there; other species
  keep the 2006 factor, which the Refinement did not revise. Defaults: every input but the
  head count has one (region ``asia``).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 10 (Eq. 10.1-10.21, Tables 10.4-10.11).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import (
    activities_with,
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
    lacking,
    own_values,
    productivity_column,
    region_column,
)
from ghg_inventory.units import Q_

#: Eq. 10.21: energy content of methane [MJ/kg CH4].
METHANE_ENERGY_MJ_PER_KG = 55.65


CATTLE_BUFFALO = ("dairy_cattle", "other_cattle", "buffalo")


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


def _by_productivity_2019(ctx: Context) -> set[str]:
    """Species whose 2019 Tier 1 enteric factor is split by productivity system
    (Table 10.10 (Updated)): those with a 2019 record of variant ``*_productivity``."""
    t = ctx.factors.table
    use = ((t["parameter"] == "ef") & (t["category"] == "3.A.1") & (t["guidelines"] == "2019")
           & t["variant"].astype(str).str.endswith("_productivity"))
    return set(t.loc[use, "activity"].astype(str))


def _enteric_variants_2019(table: pd.DataFrame, ctx: Context, region: pd.Series,
                           development: pd.Series) -> tuple[list[pd.Series], list[Failure]]:
    """Variants of the 2019 Tier 1 factor of every row, the most specific first: cattle and
    buffalo by region (Table 10.11 (Updated); ``{region}_{productivity}`` first where the
    row names its productivity system and the table splits it), sheep, goats and swine by
    productivity system (Table 10.10 (Updated)), other species by the 2006
    developed/developing column (Table 10.10, in force under 2019)."""
    productivity, own, failures = productivity_column(table, region)
    species = table["activity"].astype(str)
    cattle = species.isin(CATTLE_BUFFALO).to_numpy()
    split = species.isin(_by_productivity_2019(ctx)).to_numpy()
    others = np.where(split, productivity.astype(str) + "_productivity", development)
    regional = np.where(own, region.astype(str) + "_" + productivity.astype(str), region)
    return [pd.Series(np.where(cattle, regional, others), index=table.index),
            pd.Series(np.where(cattle, region, others), index=table.index)], failures


def _enteric_tier1(table: pd.DataFrame, ctx: Context
                   ) -> tuple[np.ndarray, pd.DataFrame, list[Failure]]:
    region, failures = region_column(table)
    development, more = development_column(table, region)
    failures += more
    if ctx.guidelines == "2019":
        variants, more = _enteric_variants_2019(table, ctx, region, development)
        failures += more
        key, answer = lookup_first(table, ctx, "ef", "kg/head/year", variants, gas="CH4")
        return key, answer, failures
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
        failures.append(Failure(rows[not_cattle], "activity",
                                msg("sectors.livestock.tier2_cattle_only")))
    ym_key, ym_answer = lookup(sub, ctx, "ym", "percent",
                               activity=pd.Series("cattle_buffalo", index=sub.index))
    ym, more = number(sub, "ym", ym_answer["value"].to_numpy()[ym_key], 0.0, 100.0,
                      msg("sectors.livestock.what_ym"), low_open=True)
    more += lacking(np.isnan(ym), "ym", msg("sectors.livestock.no_ym"), (ym_key, ym_answer))
    failures += [Failure(rows[f.positions], f.column, f.message) for f in more]
    ge, more = number(sub, "gross_energy", np.nan, 0.0, None,
                      msg("sectors.livestock.what_gross_energy"), low_open=True)
    failures += [Failure(rows[f.positions], f.column, f.message) for f in more]
    need = np.isnan(ge)
    if need.any():
        computed, more = _gross_energy_from_rows(sub, ctx)
        failures += [Failure(rows[f.positions], f.column, f.message) for f in more
                     if need[f.positions].any()]
        ge = np.where(need, computed, ge)
    own_key, own = own_values(ym_key, ym_answer, given(sub, "ym"))
    return ge, ym, own.iloc[own_key].reset_index(drop=True), failures


def _gross_energy_from_rows(sub: pd.DataFrame, ctx: Context
                            ) -> tuple[np.ndarray, list[Failure]]:
    failures: list[Failure] = []
    weight, more = number(sub, "live_weight", np.nan, 0.0, None,
                          msg("sectors.livestock.what_live_weight"), low_open=True)
    failures += more
    de, more = number(sub, "digestibility", np.nan, 0.0, 100.0,
                      msg("sectors.livestock.what_digestibility"), low_open=True)
    failures += more
    for column, values in (("live_weight", weight), ("digestibility", de)):
        failures += failing(np.isnan(values), column,
                            msg("sectors.livestock.tier2_needs", column=column))
    animal, more = choice(sub, "animal_class", ANIMAL_CLASSES, default="non_lactating",
                          what=msg("sectors.livestock.what_animal_class"))
    failures += more
    feeding, more = choice(sub, "feeding_situation", FEEDING, default="stall",
                           what=msg("sectors.livestock.what_feeding"))
    failures += more
    growth, more = choice(sub, "growth_class", GROWTH_CLASSES, default="females",
                          what=msg("sectors.livestock.what_growth_class"))
    failures += more
    cf_key, cf = lookup(sub, ctx, "cf_maintenance", "MJ/day/kg**0.75",
                        activity="cattle_buffalo_" + animal.astype(str))
    ca_key, ca = lookup(sub, ctx, "ca_activity", "dimensionless", activity=feeding)
    c_key, c = lookup(sub, ctx, "c_growth", "dimensionless", activity=growth)
    cp_key, cp = lookup(sub, ctx, "c_pregnancy", "dimensionless",
                        activity=pd.Series("cattle_buffalo", index=sub.index))
    every = np.ones(len(sub), dtype=bool)
    failures += missing(cf_key, cf, every, "animal_class", msg("sectors.livestock.no_cf"))
    failures += missing(ca_key, ca, every, "feeding_situation", msg("sectors.livestock.no_ca"))
    gain, more = number(sub, "weight_gain", 0.0, 0.0, None,
                        msg("sectors.livestock.what_weight_gain"))
    failures += more
    mature, more = number(sub, "mature_weight", np.nan, 0.0, None,
                          msg("sectors.livestock.what_mature_weight"), low_open=True)
    failures += more
    failures += failing((gain > 0) & np.isnan(mature), "mature_weight",
                        msg("sectors.livestock.mature_weight_needed"))
    milk, more = number(sub, "milk", 0.0, 0.0, None, msg("sectors.livestock.what_milk"))
    failures += more
    fat, more = number(sub, "fat", np.nan, 0.0, 100.0, msg("sectors.livestock.what_fat"))
    failures += more
    failures += failing((milk > 0) & np.isnan(fat), "fat",
                        msg("sectors.livestock.fat_needed"))
    hours, more = number(sub, "work_hours", 0.0, 0.0, 24.0,
                         msg("sectors.livestock.what_work_hours"))
    failures += more
    pregnant, more = number(sub, "pregnant_fraction", 0.0, 0.0, 1.0,
                            msg("sectors.livestock.what_pregnant"))
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
    failures += lacking(answer["factor_id"].isna().to_numpy()[key]
                        & np.isin(np.arange(len(table)), t1), "activity",
                        msg("sectors.livestock.no_enteric_2019") if ctx.guidelines == "2019"
                        else msg("sectors.livestock.no_enteric"),
                        (key, answer))
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
        # enteric methane is biological (non-fossil under AR6) whatever a record says
        results.append(GasResult("CH4", (heads * ef)[t1], key[t1],
                                 answer.assign(fossil=False), rows=t1))
    if len(t2):
        ge, ym, provenance, _ = _enteric_tier2_inputs(table, ctx, t2)
        ef = enteric_emission_factor(Q_(ge, "MJ/head/day"), ym).m_as("kg/head/year")
        results.append(GasResult("CH4", heads[t2] * ef, np.arange(len(t2)),
                                 provenance.assign(fossil=False), rows=t2))
    return gas_results(results)


ENTERIC = Method(
    name="enteric_fermentation",
    categories=("3.A.1",),
    activities=activities_with("ef", "3.A.1"),
    amount_kinds=("head",),
    compute=_enteric_compute,
    check=_enteric_check,
    parameters={"region": str, "development": str, "productivity": str,
                "gross_energy": float, "ym": float,
                "live_weight": float, "digestibility": float, "animal_class": str,
                "feeding_situation": str, "growth_class": str, "weight_gain": float,
                "mature_weight": float, "milk": float, "fat": float, "work_hours": float,
                "pregnant_fraction": float},
    description="Enteric fermentation CH4, Tier 1 (Tables 10.10, 10.11; with "
                "guidelines='2019' Tables 10.10, 10.11 (Updated) by region and productivity "
                "system) and Tier 2 for cattle and buffalo (Eq. 10.3-10.16, 10.21), IPCC 2006 "
                "Vol 4 Ch 10",
)
