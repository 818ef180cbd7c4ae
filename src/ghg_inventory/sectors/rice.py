"""Rice cultivation CH4 (3.C.7), IPCC 2006 Vol 4 Ch 5 and the 2019 Refinement where it
changed a default (``guidelines="2019"``).

The CH4 is non-fossil (biological), which matters under AR6.

Activity rows
-------------
* **Rice, 3.C.7**: ``activity`` = ``rice``, ``amount`` = area harvested [ha], one row per
  season; ``cultivation_days``, ``water_regime``, ``preseason_water_regime``,
  ``organic_amendment`` and ``organic_amendment_rate`` [t/ha] (Eq. 5.1-5.3).
  ``water_regime`` takes the 2019 names (``single_drainage``, ``multiple_drainage`` ...) or
  the 2006 ones (``single_aeration``, ``multiple_aeration``). Defaults: EFc, SFw, SFp and
  CFOA come from Tables 5.11-5.14; the row gives the area, the season length and the water
  regimes (site characteristics). Single aeration (2006) and single drainage (2019) are one
  key: a 2006 run takes Table 5.12's 0.60, a 2019 run Table 5.12 (Updated)'s 0.71.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 5 (Eq. 5.1-5.3, Tables 5.11-5.14).
.. [2] IPCC 2019 Refinement, Vol 4, Ch 5.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import (
    choice,
    failing,
    given,
    lookup,
    missing,
    number,
)
from ghg_inventory.sectors._livestock import joined_ids, record_ids
from ghg_inventory.units import Q_


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


#: The 2006 Table 5.12 names intermittent flooding by its aeration periods, the 2019 Table
#: 5.12 (Updated) by its drainage periods; the regimes are the same (an aeration/drainage
#: period of more than 3 days, end-season drainage excluded), so both names are accepted.
WATER_REGIME_NAMES = {"single_aeration": "single_drainage",
                      "multiple_aeration": "multiple_drainage"}

#: Default region of the rice baseline factor (2019 Refinement Table 5.11A): Viet Nam.
RICE_REGION = "south_east_asia"


def _rice_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        days, more = number(table, "cultivation_days", np.nan, 0.0, 365.0,
                            msg("sectors.rice.what_days"), low_open=True)
        failures += more
        failures += failing(np.isnan(days) & ~given(table, "cultivation_days"), "cultivation_days",
                            msg("sectors.rice.no_days"))
        water, more = choice(table, "water_regime",
                             _variants(ctx, "sf_water", "3.C.7") | set(WATER_REGIME_NAMES),
                             required=True, what=msg("sectors.rice.what_water_regime"))
        failures += more
        water = water.map(lambda v: WATER_REGIME_NAMES.get(v, v))
        pre, more = choice(table, "preseason_water_regime",
                           _variants(ctx, "sf_preseason", "3.C.7"), required=True,
                           what=msg("sectors.rice.what_preseason"))
        failures += more
        amendment, more = choice(table, "organic_amendment",
                                 _variants(ctx, "cfoa", "3.C.7"),
                                 what=msg("sectors.rice.what_amendment"))
        failures += more
        rate, more = number(table, "organic_amendment_rate", 0.0, 0.0, None,
                            msg("sectors.rice.what_rate"))
        failures += more
        typed = (amendment != "").to_numpy()
        no_type = np.flatnonzero((rate > 0) & ~typed)
        if len(no_type):
            failures.append(Failure(no_type, "organic_amendment",
                                    msg("sectors.rice.rate_without_type")))
        no_rate = np.flatnonzero(typed & ~given(table, "organic_amendment_rate"))
        if len(no_rate):
            failures.append(Failure(no_rate, "organic_amendment_rate",
                                    msg("sectors.rice.no_rate")))
        # 2006 has one global baseline (Table 5.11); the 2019 Refinement one per region
        t = ctx.factors.table
        regions = set(t.loc[t["parameter"] == "ef_baseline", "variant"].dropna()) - {""}
        region, more = choice(table, "region", regions | {RICE_REGION}, default=RICE_REGION,
                              what=msg("sectors.rice.what_region"))
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
        failures += missing(ef_key, ef, every, "region", msg("sectors.rice.no_baseline"))
        failures += missing(w_key, w, (water != "").to_numpy(), "water_regime",
                            msg("sectors.rice.no_sf_water", edition=ctx.guidelines)
                            if ctx.guidelines == "2019"
                            else msg("sectors.rice.no_sf_water_2006", edition=ctx.guidelines))
        failures += missing(p_key, pw, (pre != "").to_numpy(), "preseason_water_regime",
                            msg("sectors.rice.no_sf_preseason", edition=ctx.guidelines))
        failures += missing(o_key, o, typed, "organic_amendment",
                            msg("sectors.rice.no_cfoa", edition=ctx.guidelines))
        cfoa = np.where(typed, o["value"].to_numpy()[o_key], 0.0)
        sf_water = w["value"].to_numpy()[w_key]
        # the records Eq. 5.2 takes beside the baseline (auxiliary ids, the uncertainty's
        # factor chain): SF_w, SF_p (Tables 5.12, 5.13) and CFOA of SF_o (Table 5.14); a
        # scaling factor of 0 (upland) makes no methane, so its range cannot matter
        aux = joined_ids(record_ids(w_key, w, sf_water != 0),
                         record_ids(p_key, pw, sf_water != 0),
                         record_ids(o_key, o, typed & (sf_water != 0)))
        return {"failures": failures, "days": days, "ef": (ef_key, ef), "aux": aux,
                "sf_water": sf_water,
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
    # methane of flooded fields is biological (non-fossil under AR6) whatever a record says
    return gas_results([GasResult("CH4", ch4, ef_key, ef.assign(fossil=False))],
                       p["aux"])  # type: ignore[arg-type]


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
