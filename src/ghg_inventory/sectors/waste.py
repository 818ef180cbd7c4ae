"""Waste: solid waste disposal by first-order decay (4.A), biological treatment (4.B),
incineration and open burning (4.C), domestic and industrial wastewater (4.D), IPCC 2006
Vol 5 Ch 2-6.

CH4 and N2O of waste are non-fossil; CO2 from burning the fossil carbon of waste
(plastics, synthetic textiles, rubber) is fossil and counted; CO2 from its biomass carbon is
a biogenic memo.

Activity rows
-------------
* **Solid waste disposal, 4.A** (:func:`first_order_decay`): one row per site
  (``facility_id``), waste type (``activity``: ``food``, ``garden``, ``paper``, ``wood``,
  ``textiles``, ``nappies``, ``msw_bulk``) and deposit year (``year``), ``amount`` = wet
  waste deposited that year [t]. ``site_type`` (Table 3.1: ``managed_anaerobic``,
  ``managed_semi_aerobic``, ``unmanaged_deep``, ``unmanaged_shallow``, ``uncategorised``)
  and ``climate_zone`` (Table 3.3: ``tropical_wet``, ``tropical_dry``,
  ``boreal_temperate_wet``, ``boreal_temperate_dry``) are required. Optional site data
  override the defaults: ``doc``, ``docf``, ``mcf``, ``k`` [1/yr], ``oxidising_cover``
  (``yes``: OX = 0.1 of Table 3.2) or ``oxidation_factor``, and ``methane_recovered`` [t CH4
  recovered at the site in the row's year; a year with recovery but no deposit is a row with
  amount 0]. ``msw_bulk`` needs its ``doc``, or a ``composition_region`` of Table 2.3 whose
  composition gives DOC = sum of W_i x DOC_i (Eq. 2.4), each W_i and DOC_i looked up like
  any factor (the site's or country's override in its own unit wins), or a ``doc`` record
  for ``msw_bulk``. Default fractions (DOC, shares, DOCf, MCF, OX) outside 0-1 after unit
  conversion are refused, naming the record.
  Emissions come out per site, waste type and year, from the year after the first deposit
  to the last year of the 4.A rows, or to a later ``until`` year given on any row of the site
  (a closed dump keeps emitting). They are reported under the emission year.
* **Biological treatment, 4.B**: ``activity`` = ``composting`` or ``anaerobic_digestion``,
  ``amount`` = waste treated [t], ``basis`` = ``wet`` (default) or ``dry``,
  ``methane_recovered`` [t CH4] for digesters (Eq. 4.1, 4.2, Table 4.1).
* **Incineration, 4.C.1, and open burning, 4.C.2**: ``activity`` = waste type of Table 2.4
  (``food``, ``paper``, ``plastics``, ``textiles``, ``rubber_leather``, ...), ``amount`` =
  wet waste burnt [t]. CO2 from Eq. 5.1 (SW x dm x CF x FCF x OF x 44/12, Table 2.4, OF of
  Table 5.2); for incineration ``technology`` picks the CH4 (Table 5.3) and N2O (Table
  5.6) factors. Open burning by households may be given as the population (``amount`` in
  persons) with ``burning_fraction`` (P_frac), ``waste_per_capita`` [kg/person/day] (MSW_P),
  ``burnt_fraction`` (B_frac) and ``waste_share`` (this waste type's share of it): Eq. 5.7,
  :func:`open_burning_mass`. Table 2.4 prints no carbon for metal and glass: give
  ``total_carbon`` 0 for them (their mass still counts for CH4 and N2O).

* **Domestic wastewater, 4.D.1**: ``activity = domestic_wastewater``, ``amount`` = people
  served by one ``treatment_pathway`` of Table 6.3 (one row per pathway: population x
  share); ``region`` of Table 6.4 BOD (default ``asia_middle_east_latin_america``) or the
  row's ``bod_per_capita`` [g/person/day]; I of Eq. 6.3 from the pathway (sewers
  and the plants they feed: collected, I = 1.25; septic systems and latrines: uncollected,
  I = 1.00; ``collected`` yes/no must agree, and decides for sea, river and lake discharge)
  or the row's ``i_factor``; ``sludge_removed`` [kg BOD/yr], ``methane_recovered`` [t]; N2O
  of the effluent (Eq. 6.7, 6.8) from ``protein`` [kg/person/yr] (required; IPCC points to
  FAO food balances), ``garbage_disposals`` (F_NON-CON 1.4 with, 1.1 without),
  ``sludge_nitrogen`` [kg N/yr].
* **Industrial wastewater, 4.D.2**: ``activity`` = an industry of Table 6.9 (or
  ``industrial_wastewater``), ``amount`` = production [t], ``wastewater_generation``
  [m3/t] and ``cod_concentration`` [kg COD/m3] (Table 6.9 where verified), the
  ``treatment_pathway`` of Table 6.8, ``sludge_removed`` [kg COD/yr],
  ``methane_recovered`` [t] (Eq. 6.4-6.6).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 5, Ch 2 (Tables 2.3, 2.4), Ch 3 (Eq. 3.1-3.6, Tables
   3.1-3.3), Ch 4 (Eq. 4.1, 4.2, Table 4.1), Ch 5 (Eq. 5.1, 5.7, Tables 5.2, 5.3, 5.6),
   Ch 6 (Eq. 6.1-6.9, Tables 6.2-6.4, 6.8, 6.9, 6.11).
.. [2] IPCC Waste Model (spreadsheet accompanying Vol 5 Ch 3): decay starts on 1 January of
   the year after deposition.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.grouping import factorize_rows
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import (
    as_tier,
    choice,
    factor_activities,
    failing,
    given,
    lookup,
    missing,
    number,
    text_column,
)
from ghg_inventory.units import Q_

#: Eq. 3.1/3.6: molecular weight ratio CH4/C.
CH4_PER_C = 16.0 / 12.0
#: Eq. 5.1: CO2/C.
CO2_PER_C = 44.0 / 12.0

#: Shares of a composition may add up to 1 within rounding; beyond that a record is wrong.
SHARE_TOLERANCE = 1e-6

CLIMATE_ZONES = ("tropical_wet", "tropical_dry", "boreal_temperate_wet",
                 "boreal_temperate_dry")
YES = {"yes", "true", "1", "có"}
NO = {"no", "false", "0", "không", ""}


# --- the first-order decay model ------------------------------------------------------------

def first_order_decay(deposited: np.ndarray, k: np.ndarray | float) -> np.ndarray:
    r"""Decomposable degradable organic carbon decomposed each year (IPCC 2006 Vol 5
    Eq. 3.4, 3.5), for many sites at once.

    .. math::

        DDOCma_T = DDOCmd_T + DDOCma_{T-1} \cdot e^{-k}                      \quad (3.4)

        DDOCm\ decomp_T = DDOCma_{T-1} \cdot (1 - e^{-k})                     \quad (3.5)

    The waste deposited in year T starts to decay on 1 January of year T + 1 (the timing of
    the IPCC Waste Model), so nothing deposited in year T decomposes in year T.

    Parameters
    ----------
    deposited : numpy.ndarray
        DDOCmd, decomposable DOC deposited, shape (series, years), one column per
        consecutive year. [any mass unit]
    k : float or numpy.ndarray
        Reaction constant of each series (shape (series,)). [1/yr]

    Returns
    -------
    numpy.ndarray
        DDOCm decomposed in each year, same shape and unit as ``deposited``.

    References
    ----------
    .. [1] IPCC 2006 Guidelines, Vol 5, Ch 3, Eq. 3.4, 3.5 and Annex 3A.1.
    """
    deposited = np.asarray(deposited, dtype=float)
    keep = np.exp(-np.broadcast_to(np.asarray(k, dtype=float), deposited.shape[:1]))
    decomposed = np.zeros_like(deposited)
    accumulated = np.zeros(deposited.shape[0])
    # a loop over years, vectorized over all series: the recursion needs year T-1
    for t in range(deposited.shape[1]):
        decomposed[:, t] = accumulated * (1.0 - keep)
        accumulated = deposited[:, t] + accumulated * keep
    return decomposed


def decomposable_doc(waste: pint.Quantity, doc: np.ndarray | float,
                     docf: np.ndarray | float, mcf: np.ndarray | float) -> pint.Quantity:
    r"""Decomposable DOC deposited (IPCC 2006 Vol 5 Eq. 3.2).

    .. math:: DDOCm = W \cdot DOC \cdot DOC_f \cdot MCF

    Parameters
    ----------
    waste : pint.Quantity
        W, wet waste deposited. [t]
    doc, docf, mcf : float or numpy.ndarray
        DOC (fraction of wet weight, Table 2.4), fraction that decomposes, methane
        correction factor of the site (Table 3.1). [dimensionless]

    Returns
    -------
    pint.Quantity
        [t]
    """
    return (waste * np.asarray(doc) * np.asarray(docf) * np.asarray(mcf)).to("t")


def _out_of_range(key: np.ndarray, answer: pd.DataFrame, used: np.ndarray,
                  low: float, high: float, column: str, what: str) -> list[Failure]:
    """Rows whose factor record lies outside ``[low, high]`` once converted to the wanted
    unit, one failure per record: a record in the wrong unit (a DOC of 15 with unit 1 where
    15 % was meant) is refused, named, never used.

    Parameters
    ----------
    key, answer
        A :func:`lookup` result.
    used : numpy.ndarray
        Rows (bool) that would take the record's value.
    """
    value = answer["value"].to_numpy()[key]
    with np.errstate(invalid="ignore"):
        bad = used & ~np.isnan(value) & ((value < low) | (value > high))
    failures = []
    for k in np.unique(key[bad]):
        record = answer.iloc[k]
        failures.append(Failure(
            np.flatnonzero(bad & (key == k)), column,
            f"{what}: record {record['factor_id']} ({record['table']}) gives "
            f"{record['value']:g} after conversion, outside {low:g}-{high:g}; check its "
            "value and unit"))
    return failures


def _fod_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        n = len(table)
        activity = table["activity"].astype(str)
        every = np.ones(n, dtype=bool)
        site_type, more = choice(table, "site_type", factor_activities(ctx.factors, "mcf",
                                                                       "4.A"),
                                 required=not given(table, "mcf").all(),
                                 what="site type (Table 3.1)")
        failures += more
        zone, more = choice(table, "climate_zone", CLIMATE_ZONES,
                            required=not given(table, "k").all(),
                            what="climate zone (Table 3.3)")
        failures += more
        # DOC: the row's, Table 2.4 by waste type, or bulk MSW from a Table 2.3 composition
        doc_key, doc_ans = lookup(table, ctx, "doc", "dimensionless")
        doc_default = doc_ans["value"].to_numpy()[doc_key]
        bulk = (activity == "msw_bulk").to_numpy()
        own_doc = given(table, "doc")
        failures += _out_of_range(doc_key, doc_ans, ~own_doc, 0.0, 1.0, "doc",
                                 "DOC [fraction of wet waste]")
        if bulk.any():
            doc_default = np.where(bulk, _bulk_doc(table, ctx, failures, bulk & ~own_doc,
                                                   doc_key, doc_ans), doc_default)
        doc, more = number(table, "doc", doc_default, 0.0, 1.0, "DOC [fraction of wet waste]")
        failures += more
        failures += failing(np.isnan(doc) & ~bulk, "activity", "no DOC (Table 2.4) for this waste "
                            "type: it does not degrade, or give doc")
        failures += failing(np.isnan(doc) & bulk, "doc", "bulk MSW needs its doc or a "
                            "composition_region of Table 2.3")
        msw = pd.Series("msw_bulk", index=table.index)
        docf_key, docf_ans = lookup(table, ctx, "docf", "dimensionless", activity=msw)
        docf, more = number(table, "docf", docf_ans["value"].to_numpy()[docf_key], 0.0, 1.0,
                            "DOCf")
        failures += more
        f_key, f_ans = lookup(table, ctx, "f_ch4", "dimensionless", activity=msw)
        mcf_key, mcf_ans = lookup(table, ctx, "mcf", "dimensionless", activity=site_type)
        mcf, more = number(table, "mcf", mcf_ans["value"].to_numpy()[mcf_key], 0.0, 1.0,
                           "MCF")
        failures += more
        k_key, k_ans = lookup(table, ctx, "k", "1/year", variant=zone, required=("variant",))
        k, more = number(table, "k", k_ans["value"].to_numpy()[k_key], 0.0, None,
                         "k [1/yr]", low_open=True)
        failures += more
        for column, values, what in (("docf", docf, "DOCf"), ("mcf", mcf, "MCF (Table 3.1)"),
                                     ("k", k, "k (Table 3.3)")):
            failures += failing(np.isnan(values) & every, column,
                                f"no default {what} for this row; "
                                f"give {column}")
        failures += missing(f_key, f_ans, every, "activity", "no F (CH4 share of gas)")
        cover_text = text_column(table, "oxidising_cover", "no").str.lower()
        bad = np.flatnonzero(~cover_text.isin(YES | NO).to_numpy())
        if len(bad):
            failures.append(Failure(bad, "oxidising_cover", "yes or no"))
        covered = cover_text.isin(YES)
        ox_key, ox_ans = lookup(table, ctx, "oxidation_factor", "dimensionless",
                                activity=pd.Series(np.where(covered, "managed_covered",
                                                            "default"), index=table.index),
                                category="4.A")
        ox, more = number(table, "oxidation_factor", ox_ans["value"].to_numpy()[ox_key],
                          0.0, 1.0, "OX")
        failures += more
        # defaults are fractions too: a record in the wrong unit is refused, not used
        for column, (key, ans), what in (("docf", (docf_key, docf_ans), "DOCf"),
                                         ("mcf", (mcf_key, mcf_ans), "MCF (Table 3.1)"),
                                         ("oxidation_factor", (ox_key, ox_ans),
                                          "OX (Table 3.2)")):
            failures += _out_of_range(key, ans, ~given(table, column), 0.0, 1.0, column, what)
        recovered, more = number(table, "methane_recovered", 0.0, 0.0, None,
                                 "CH4 recovered [t]")
        failures += more
        until, more = number(table, "until", np.nan, 1900.0, 2200.0, "last emission year")
        failures += more
        year = table["year"].to_numpy(dtype=np.int64)
        # a gap in a site's history is fine (nothing deposited); the same site, year and
        # waste type twice is a double count or a typo
        twice = pd.DataFrame({"site": table["facility_id"].astype(str), "waste": activity,
                              "year": year}).duplicated(keep=False).to_numpy()
        if twice.any():
            failures.append(Failure(np.flatnonzero(twice), "year", "the same site, waste "
                                    "type and deposit year on more than one row"))
        early = np.flatnonzero(~np.isnan(until) & (until < year))
        if len(early):
            failures.append(Failure(early, "until", "earlier than the deposit year"))
        return {"failures": failures, "doc": doc, "docf": docf, "mcf": mcf, "k": k,
                "ox": ox, "recovered": recovered, "until": until,
                "f": f_ans["value"].to_numpy()[f_key], "k_ans": (k_key, k_ans),
                "user": given(table, "doc") | given(table, "k") | given(table, "mcf")
                | given(table, "docf")}
    return ctx.remember("fod.inputs", table, make)  # type: ignore[return-value]


def _bulk_doc(table: pd.DataFrame, ctx: Context, failures: list[Failure], needed: np.ndarray,
              doc_key: np.ndarray, doc_ans: pd.DataFrame) -> np.ndarray:
    r"""DOC of bulk MSW rows (IPCC 2006 Vol 5 Eq. 2.4) from the composition of their
    ``composition_region`` (Table 2.3) and the DOC of each waste type (Table 2.4).

    .. math:: DOC = \sum_i W_i \cdot DOC_i

    Every :math:`W_i` and :math:`DOC_i` is looked up as any factor is: for the row's
    facility, country and year (an override for another site does not apply), converted to
    a fraction (a record in percent counts as percent) and of the run's guidelines. Waste
    types without a DOC record (plastics, metal, glass, other inert: Table 2.4 prints none)
    add nothing. Where the row gives no ``composition_region``, a ``doc`` record for
    ``msw_bulk`` itself serves; a row with both is refused.

    Parameters
    ----------
    needed : numpy.ndarray
        Rows (bool) whose DOC comes from the records (bulk MSW rows without their own
        ``doc``); only their records are range-checked.
    doc_key, doc_ans
        The look-up of ``doc`` for each row's own activity (``msw_bulk``).

    Returns
    -------
    numpy.ndarray
        DOC of each row [fraction of wet waste]; NaN where neither source gives one.
    """
    t = ctx.factors.table
    comp = t[(t["parameter"] == "composition") & (t["category"] == "4.A")]
    regions = set(comp["variant"].dropna().astype(str))
    region, more = choice(table, "composition_region", regions,
                          what="composition region (Table 2.3)")
    failures += more
    by_composition = needed & (region != "").to_numpy() & region.isin(regions).to_numpy()
    record = doc_ans["factor_id"].to_numpy()[doc_key]
    both = by_composition & pd.notna(record)
    for factor_id in pd.unique(record[both]):
        failures.append(Failure(np.flatnonzero(both & (record == factor_id)),
                                "composition_region",
                                f"both a composition_region and the bulk MSW DOC record "
                                f"{factor_id} apply to this row; give one of them"))
    # a row refused for having both keeps the record's value: one problem, not two
    out = np.where(needed & ~by_composition | both, doc_ans["value"].to_numpy()[doc_key],
                   np.nan)
    rows = np.flatnonzero(by_composition & ~both)
    kinds = np.array(sorted(set(comp["activity"].astype(str))), dtype=object)
    if not len(rows) or not len(kinds):
        return out
    # one key per (bulk row, waste type of the compositions): the look-up joins distinct keys
    scope = [c for c in ("category", "facility_id", "country", "year") if c in table]
    keys = table[scope].iloc[np.repeat(rows, len(kinds))].reset_index(drop=True)
    kind = pd.Series(np.tile(kinds, len(rows)), index=keys.index)
    share_key, share_ans = lookup(keys, ctx, "composition", "dimensionless", activity=kind,
                                  variant=pd.Series(np.repeat(region.to_numpy()[rows],
                                                              len(kinds)), index=keys.index),
                                  required=("variant",))
    kind_key, kind_ans = lookup(keys, ctx, "doc", "dimensionless", activity=kind)
    flat = np.repeat(np.arange(len(rows)), len(kinds))
    for key, ans, column, what in (
            (share_key, share_ans, "composition_region", "MSW composition share (Table 2.3)"),
            (kind_key, kind_ans, "doc", "DOC [fraction of wet waste] (Table 2.4)")):
        for failure in _out_of_range(key, ans, np.ones(len(keys), dtype=bool), 0.0, 1.0,
                                    column, what):
            failures.append(Failure(rows[np.unique(flat[failure.positions])], failure.column,
                                    failure.message))
    # a waste type outside the region's composition has no share; an inert one no DOC
    share = np.nan_to_num(share_ans["value"].to_numpy()[share_key], nan=0.0)
    doc = np.nan_to_num(kind_ans["value"].to_numpy()[kind_key], nan=0.0)
    total_share = np.bincount(flat, weights=share, minlength=len(rows))
    over = np.flatnonzero(total_share > 1.0 + SHARE_TOLERANCE)
    if len(over):
        failures.append(Failure(rows[over], "composition_region", "the composition "
                                "records of this region add up to more than 100 %"))
    out[rows] = np.bincount(flat, weights=share * doc, minlength=len(rows))
    return out


def _fod_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    p = _fod_inputs(table, ctx)
    failures: list[Failure] = list(p["failures"])
    if failures:
        return failures
    over = _fod_run(table, ctx)["recovery_excess"]
    if len(over):
        failures.append(Failure(over, "methane_recovered", "more CH4 recovered than the "
                                "site generates that year (Eq. 3.1)"))
    return failures


def _fod_run(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    """The FOD model of a table, run once per run (its check needs the recovery it finds)."""
    return ctx.remember("fod.series", table,  # type: ignore[return-value]
                        lambda: _fod_series(table, _fod_inputs(table, ctx)))


def _fod_series(table: pd.DataFrame, p: dict[str, Any]) -> dict[str, Any]:
    """Run the FOD model on every (site, waste type, k) series of the rows."""
    n = len(table)
    year = table["year"].to_numpy(dtype=np.int64)
    site, _ = factorize_rows([table["facility_id"].astype(object)])
    n_sites = int(site.max()) + 1 if n else 0
    series, first = factorize_rows([pd.Series(site), table["activity"].astype(object),
                                    pd.Series(p["k"])])
    n_series = len(first)
    start = int(year.min())
    last_rows = int(year.max())
    until = np.where(np.isnan(p["until"]), last_rows, p["until"]).astype(np.int64)
    site_until = np.full(n_sites, last_rows, dtype=np.int64)
    np.maximum.at(site_until, site, until)
    end = int(site_until.max())
    n_years = end - start + 1
    ddocm = decomposable_doc(Q_(table["amount"].to_numpy(dtype=float), "kg"), p["doc"],
                             p["docf"], p["mcf"]).m_as("kg")
    deposited = np.zeros((n_series, n_years))
    np.add.at(deposited, (series, year - start), ddocm)
    k_series = np.asarray(p["k"])[first]
    decomposed = first_order_decay(deposited, k_series)
    # Eq. 3.6: CH4 generated = DDOCm decomposed x F x 16/12
    generated = decomposed * np.asarray(p["f"])[first][:, None] * CH4_PER_C
    series_site = site[first]
    # recovery R_T and oxidation OX_T belong to the site and the year
    recovery = np.zeros((n_sites, n_years))
    np.add.at(recovery, (site, year - start), p["recovered"] * 1000.0)
    site_generated = np.zeros((n_sites, n_years))
    np.add.at(site_generated, series_site, generated)
    excess = recovery > site_generated * (1 + 1e-9) + 1e-9
    excess_rows = np.flatnonzero(excess[site, year - start] & (p["recovered"] > 0))
    # OX of the site in year T: that of its latest row up to T (a cover added later counts
    # from its year)
    ox = np.full((n_sites, n_years), np.nan)
    order = np.lexsort((year, site))
    ox[site[order], (year - start)[order]] = np.asarray(p["ox"])[order]
    ox = pd.DataFrame(ox).ffill(axis=1).fillna(0.0).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(site_generated[series_site] > 0,
                         generated / site_generated[series_site], 0.0)
    # Eq. 3.1: (CH4 generated - R_T) x (1 - OX_T), recovery shared by the CH4 of each series
    emitted = (generated - recovery[series_site] * share) * (1.0 - ox[series_site])
    years = np.arange(start, end + 1)
    first_year = np.full(n_series, end + 1, dtype=np.int64)
    np.minimum.at(first_year, series, year)
    live = (years[None, :] > first_year[:, None]) & (years[None, :]
                                                    <= site_until[series_site][:, None])
    # the earliest deposit row of each series carries its emissions (moved to year T)
    order = np.lexsort((year, series))
    first_row = order[np.r_[0, np.flatnonzero(np.diff(series[order])) + 1]]
    return {"emitted": emitted, "live": live, "years": years, "first_row": first_row,
            "series_site": series_site, "recovery_excess": excess_rows}


def _fod_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _fod_inputs(table, ctx)
    s = _fod_run(table, ctx)
    series, col = np.nonzero(s["live"])
    rows = s["first_row"][series]
    years = s["years"][col]
    kg = s["emitted"][series, col]
    key, ans = p["k_ans"]
    user = p["user"][rows]
    results, result_years = [], []
    for use, tier in ((~user, 1), (user, 2)):
        sel = np.flatnonzero(use)
        if len(sel):
            results.append(GasResult("CH4", kg[sel], key[rows[sel]], as_tier(ans, tier),
                                     rows=rows[sel]))
            result_years.append(years[sel])
    if not results:
        return gas_results([GasResult("CH4", np.zeros(0), np.zeros(0, dtype=np.int64), ans,
                                      rows=np.zeros(0, dtype=np.int64))])
    frame = gas_results(results)
    frame["_year"] = np.concatenate(result_years).astype(np.int64)
    return frame


SOLID_WASTE = Method(
    name="solid_waste_disposal",
    categories=("4.A",),
    activities=lambda factors: (set(factors.table.loc[
        (factors.table["category"] == "4.A")
        & factors.table["parameter"].isin(("doc", "k")), "activity"].astype(str))
        | {"msw_bulk"}),
    amount_kinds=("mass",),
    compute=_fod_compute,
    check=_fod_check,
    parameters={"site_type": str, "climate_zone": str, "doc": float, "docf": float,
                "mcf": float, "k": float, "oxidising_cover": str, "oxidation_factor": float,
                "methane_recovered": float, "until": float, "composition_region": str},
    description="Solid waste disposal CH4, first-order decay (IPCC 2006 Vol 5 Ch 3 Eq. "
                "3.1-3.6, Tables 2.3, 2.4, 3.1-3.3), per site and emission year",
)


# --- biological treatment (4.B) --------------------------------------------------------------

def biological_treatment(waste: pint.Quantity, emission_factor: pint.Quantity,
                         recovered: pint.Quantity | None = None) -> pint.Quantity:
    r"""CH4 or N2O of composting or anaerobic digestion (IPCC 2006 Vol 5 Eq. 4.1, 4.2).

    .. math:: E = M \cdot EF \cdot 10^{-3} - R

    Parameters
    ----------
    waste : pint.Quantity
        M, waste treated, on the basis (wet or dry) of the factor. [t]
    emission_factor : pint.Quantity
        EF of Table 4.1. [g/kg waste treated]
    recovered : pint.Quantity, optional
        R, CH4 recovered (flared or used); only for CH4. [t]

    Returns
    -------
    pint.Quantity
        [kg]
    """
    out = (waste * emission_factor).to("kg")
    return out - recovered.to("kg") if recovered is not None else out


def _biological_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        basis, more = choice(table, "basis", ("wet", "dry"), default="wet",
                             what="weight basis of the waste treated")
        failures += more
        gases = {gas: lookup(table, ctx, "ef", "g/kg", gas=gas, variant=basis,
                             required=("variant",)) for gas in ("CH4", "N2O")}
        every = np.ones(len(table), dtype=bool)
        for gas, (key, ans) in gases.items():
            failures += missing(key, ans, every, "activity", f"no {gas} factor (Table 4.1)")
        recovered, more = number(table, "methane_recovered", 0.0, 0.0, None,
                                 "CH4 recovered [t]")
        failures += more
        key, ans = gases["CH4"]
        generated = table["amount"].to_numpy(dtype=float) * ans["value"].to_numpy()[key] / 1000
        over = np.flatnonzero(recovered * 1000 > generated * (1 + 1e-9))
        if len(over):
            failures.append(Failure(over, "methane_recovered", "more CH4 recovered than "
                                    "the treatment generates (Eq. 4.1)"))
        return {"failures": failures, "gases": gases, "recovered": recovered}
    return ctx.remember("biological.inputs", table, make)  # type: ignore[return-value]


def _biological_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _biological_inputs(table, ctx)
    waste = Q_(table["amount"].to_numpy(dtype=float), "kg")
    results = []
    for gas, (key, ans) in p["gases"].items():
        recovered = Q_(p["recovered"], "t") if gas == "CH4" else None
        kg = biological_treatment(waste, Q_(ans["value"].to_numpy()[key], "g/kg"),
                                  recovered).m_as("kg")
        results.append(GasResult(gas, kg, key, ans.assign(fossil=False)))
    return gas_results(results)


BIOLOGICAL = Method(
    name="biological_treatment",
    categories=("4.B",),
    activities=lambda factors: factor_activities(factors, "ef", "4.B"),
    amount_kinds=("mass",),
    compute=_biological_compute,
    check=lambda t, c: _biological_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"basis": str, "methane_recovered": float},
    description="Composting and anaerobic digestion CH4 and N2O, IPCC 2006 Vol 5 Ch 4 "
                "Eq. 4.1, 4.2, Table 4.1",
)


# --- incineration (4.C.1) and open burning (4.C.2) -------------------------------------------

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
    day = Q_(365.0, "day/year")
    return (population * np.asarray(burning_fraction) * waste_per_capita
            * np.asarray(burnt_fraction) * day).to("t/year")


def _burning_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        category = table["category"].astype(str)
        open_air = category.str.startswith("4.C.2").to_numpy()
        values = {}
        for parameter, what in (("dry_matter", "dm"), ("total_carbon", "CF"),
                                ("fossil_carbon_fraction", "FCF")):
            key, ans = lookup(table, ctx, parameter, "dimensionless", category="4.A")
            value, more = number(table, parameter, ans["value"].to_numpy()[key], 0.0, 1.0,
                                 what)
            failures += more
            failures += failing(np.isnan(value), "activity", f"no {what} (Table 2.4) for "
                                f"this waste type; give {parameter}")
            values[parameter] = (value, key, ans)
        mass, more = _burnt_mass(table, open_air)
        failures += more
        activity = pd.Series(np.where(open_air, "msw", "msw_incineration"), index=table.index)
        of_key, of_ans = lookup(table, ctx, "oxidation_factor", "dimensionless",
                                activity=activity)
        of, more = number(table, "oxidation_factor", of_ans["value"].to_numpy()[of_key], 0.0,
                          1.0, "OF")
        failures += more
        failures += failing(np.isnan(of), "oxidation_factor", "no default oxidation "
                            "factor (Table 5.2) here; give oxidation_factor")
        technology = text_column(table, "technology")
        techs = factor_activities(ctx.factors, "ef", "4.C.1")
        _, more = choice(table.iloc[np.flatnonzero(~open_air)], "technology", techs,
                         required=True, what="incineration technology (Tables 5.3, 5.6)")
        failures += [Failure(np.flatnonzero(~open_air)[f.positions], f.column, f.message)
                     for f in more]
        ef_activity = pd.Series(np.where(open_air, "msw", technology), index=table.index)
        gases = {}
        for gas in ("CH4", "N2O"):
            # Tables 5.3, 5.6 and section 5.4.2: per t of wet waste
            key, ans = lookup(table, ctx, "ef", "g/t", gas=gas, activity=ef_activity,
                              variant=pd.Series("wet", index=table.index))
            column = f"ef_{gas.lower()}"
            value, more = number(table, column, ans["value"].to_numpy()[key], 0.0, None,
                                 f"{gas} factor [g/t wet waste]")
            failures += more
            failures += failing(np.isnan(value) & (technology != "").to_numpy()
                                | np.isnan(value) & open_air,
                                column, f"no default {gas} factor for this "
                                f"burning; give {column} [g/t wet waste]")
            gases[gas] = (value, key, ans, given(table, column))
        return {"failures": failures, "values": values, "of": of, "gases": gases,
                "mass": mass}
    return ctx.remember("waste_burning.inputs", table, make)  # type: ignore[return-value]


def _burnt_mass(table: pd.DataFrame, open_air: np.ndarray) -> tuple[np.ndarray, list[Failure]]:
    """Wet waste burnt [kg]: the row's mass, or for open burning given as population, Eq. 5.7
    with the share of the waste type in the household waste."""
    failures: list[Failure] = []
    amount = table["amount"].to_numpy(dtype=float)
    kind = (table["amount_kind"].astype(str).to_numpy() if "amount_kind" in table
            else np.full(len(table), "mass"))
    people = kind == "person"
    wrong = np.flatnonzero(people & ~open_air)
    if len(wrong):
        failures.append(Failure(wrong, "unit", "incineration takes the waste burnt (t); only "
                                "open burning may be given as the population (Eq. 5.7)"))
    values = {}
    for column, default, high, what in (
            ("burning_fraction", np.nan, 1.0, "P_frac, share of the people burning waste"),
            ("waste_per_capita", np.nan, None, "MSW_P [kg/person/day]"),
            ("burnt_fraction", np.nan, 1.0, "B_frac, share of their waste burnt"),
            ("waste_share", 1.0, 1.0, "share of this waste type in the household waste")):
        value, more = number(table, column, default, 0.0, high, what)
        failures += more
        failures += failing(people & np.isnan(value), column,
                            f"{what} required when open burning is "
                            "given as the population (Eq. 5.7)")
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
    results = []
    for fraction, fossil in ((fcf, True), (1.0 - fcf, False)):
        co2 = fossil_co2_of_burning(waste, dm, cf, fraction, p["of"]).m_as("kg")
        results.append(GasResult("CO2", co2, fcf_key, fcf_ans.assign(fossil=fossil)))
    for gas, (value, key, ans, user) in p["gases"].items():
        kg = waste.m_as("t") * value / 1000.0
        for use, tier in ((~user, 1), (user, 2)):
            rows = np.flatnonzero(use)
            if len(rows):
                results.append(GasResult(gas, kg[rows], key[rows], as_tier(ans, tier),
                                         rows=rows))
    return gas_results(results)


BURNING = Method(
    name="waste_burning",
    categories=("4.C",),
    activities=lambda factors: factor_activities(factors, "dry_matter", "4.A"),
    amount_kinds=("mass", "person"),
    compute=_burning_compute,
    check=lambda t, c: _burning_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"technology": str, "dry_matter": float, "total_carbon": float,
                "fossil_carbon_fraction": float, "oxidation_factor": float,
                "ef_ch4": float, "ef_n2o": float, "burning_fraction": float,
                "waste_per_capita": float, "burnt_fraction": float, "waste_share": float},
    description="Incineration (4.C.1) and open burning (4.C.2) of waste: CO2 from fossil "
                "carbon (Eq. 5.1, Tables 2.4, 5.2; biogenic CO2 a memo), CH4 and N2O "
                "(Tables 5.3, 5.6)",
)


# --- wastewater (4.D) ------------------------------------------------------------------------

def wastewater_ch4(organics: pint.Quantity, bo: pint.Quantity, mcf: np.ndarray | float,
                   sludge: pint.Quantity | None = None,
                   recovered: pint.Quantity | None = None) -> pint.Quantity:
    r"""CH4 from wastewater of one treatment or discharge pathway (IPCC 2006 Vol 5 Eq. 6.1,
    6.2, 6.4, 6.5).

    .. math:: CH_4 = (TOW - S) \cdot B_o \cdot MCF - R

    Parameters
    ----------
    organics : pint.Quantity
        TOW, organics in the wastewater (BOD for domestic, COD for industrial). [kg]
    bo : pint.Quantity
        Maximum CH4 producing capacity (Table 6.2). [kg CH4/kg BOD or COD]
    mcf : float or numpy.ndarray
        Methane correction factor of the pathway (Tables 6.3, 6.8). [dimensionless]
    sludge : pint.Quantity, optional
        S, organics removed as sludge. [kg]
    recovered : pint.Quantity, optional
        R, CH4 recovered. [kg]

    Returns
    -------
    pint.Quantity
        [kg]
    """
    net = organics - sludge if sludge is not None else organics
    ch4 = (net * bo * np.asarray(mcf)).to("kg")
    return ch4 - recovered.to("kg") if recovered is not None else ch4


def domestic_organics(population: pint.Quantity, bod: pint.Quantity,
                      correction: np.ndarray | float = 1.0) -> pint.Quantity:
    r"""Total organics in domestic wastewater in a year (IPCC 2006 Vol 5 Eq. 6.3).

    .. math:: TOW = P \cdot BOD \cdot 0.001 \cdot I \cdot 365

    Parameters
    ----------
    population : pint.Quantity
        P. [person]
    bod : pint.Quantity
        BOD generated per person (Table 6.4). [g/person/day]
    correction : float or numpy.ndarray
        I, for industrial BOD co-discharged into sewers. [dimensionless]

    Returns
    -------
    pint.Quantity
        [kg BOD/yr]
    """
    return (population * bod * np.asarray(correction) * Q_(365.0, "day/year")).to("kg/year")


def effluent_nitrogen(population: pint.Quantity, protein: pint.Quantity, *,
                      frac_npr: np.ndarray | float, f_non_con: np.ndarray | float,
                      f_ind_com: np.ndarray | float,
                      sludge_nitrogen: pint.Quantity | None = None) -> pint.Quantity:
    r"""Nitrogen in the effluent of domestic wastewater (IPCC 2006 Vol 5 Eq. 6.8).

    .. math:: N_{EFFLUENT} = P \cdot Protein \cdot F_{NPR} \cdot F_{NON-CON} \cdot
              F_{IND-COM} - N_{SLUDGE}

    Parameters
    ----------
    population : pint.Quantity
        P. [person]
    protein : pint.Quantity
        Annual per capita protein consumption. [kg/person/yr]
    frac_npr, f_non_con, f_ind_com : float or numpy.ndarray
        N in protein, non-consumed protein, co-discharged industrial protein. [-]
    sludge_nitrogen : pint.Quantity, optional
        N removed with sludge. [kg/yr]

    Returns
    -------
    pint.Quantity
        [kg N/yr]
    """
    n = (population * protein * np.asarray(frac_npr) * np.asarray(f_non_con)
         * np.asarray(f_ind_com)).to("kg/year")
    return n - sludge_nitrogen.to("kg/year") if sludge_nitrogen is not None else n


N2ON_TO_N2O = 44.0 / 28.0
#: Default BOD region of Table 6.4 (the row that covers Viet Nam).
BOD_REGION = "asia_middle_east_latin_america"


def _pathways(ctx: Context, category: str) -> set[str]:
    return factor_activities(ctx.factors, "mcf", category)


def _parameter(table: pd.DataFrame, ctx: Context, failures: list[Failure], parameter: str,
               unit: str, low: float | None, high: float | None, what: str,
               needed: np.ndarray, **keys: Any) -> np.ndarray:
    """A parameter from the row, else its default record; refused where neither exists."""
    key, ans = lookup(table, ctx, parameter, unit, **keys)
    value, more = number(table, parameter, ans["value"].to_numpy()[key], low, high, what)
    failures += more
    failures += failing(np.isnan(value) & needed, parameter, f"no default {what}; give {parameter}")
    return value


#: How the wastewater of each treatment or discharge pathway of Table 6.3 reaches it (IPCC
#: 2006 Vol 5 Ch 6, Figure 6.1 and Table 6.5): through sewers (collected: the sewer carries
#: industrial BOD too, I = 1.25 in Eq. 6.3) or on site (uncollected: septic systems and
#: latrines, I = 1.00). Sea, river and lake discharge may come by sewer or straight from the
#: houses, so the row must say which; so must a pathway not listed here.
SEWERED = frozenset({"stagnant_sewer", "flowing_sewer", "centralized_aerobic_well_managed",
                     "centralized_aerobic_not_well_managed", "anaerobic_digester_sludge",
                     "anaerobic_reactor", "anaerobic_lagoon_shallow", "anaerobic_lagoon_deep"})
ON_SITE = frozenset({"septic_system", "latrine_dry_climate_small_family",
                     "latrine_dry_climate_communal", "latrine_wet_climate",
                     "latrine_sediment_removal"})


def _collection(table: pd.DataFrame, pathway: pd.Series, domestic: np.ndarray,
                known: set[str]) -> tuple[np.ndarray, list[Failure]]:
    """Whether each domestic row's wastewater is collected in sewers (Eq. 6.3's I).

    The pathway decides (:data:`SEWERED`, :data:`ON_SITE`); a ``collected`` cell must agree
    with it, and decides where the pathway may be either (sea, river and lake discharge).
    Returns the collected flag per row and the failures.
    """
    failures: list[Failure] = []
    said = text_column(table, "collected").str.lower()
    yes = said.isin(YES - {""}).to_numpy()
    no = said.isin(NO - {""}).to_numpy()
    blank = (said == "").to_numpy()
    failures += failing(~(yes | no | blank), "collected", "yes or no")
    sewered = pathway.isin(SEWERED).to_numpy()
    on_site = pathway.isin(ON_SITE).to_numpy()
    failures += failing(domestic & sewered & no, "collected",
                        "contradicts the treatment_pathway: its wastewater reaches it through "
                        "sewers, so it is collected (I = 1.25, IPCC 2006 Vol 5 Eq. 6.3)")
    failures += failing(domestic & on_site & yes, "collected",
                        "contradicts the treatment_pathway: septic systems and latrines treat "
                        "uncollected wastewater on site (I = 1.00, IPCC 2006 Vol 5 Eq. 6.3)")
    # an unknown pathway is refused on its own column; only known ones need the answer
    either = domestic & ~sewered & ~on_site & pathway.isin(known).to_numpy()
    failures += failing(either & blank & ~given(table, "i_factor"), "collected",
                        "say whether this wastewater reaches the pathway through sewers: "
                        "collected yes (I = 1.25) or no (I = 1.00, IPCC 2006 Vol 5 Eq. 6.3)")
    return sewered | (either & yes), failures


def _wastewater_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        n = len(table)
        every = np.ones(n, dtype=bool)
        domestic = table["category"].astype(str).str.startswith("4.D.1").to_numpy()
        allowed = _pathways(ctx, "4.D.1") | _pathways(ctx, "4.D.2")
        pathway, more = choice(table, "treatment_pathway", allowed, required=True,
                               what="treatment or discharge pathway (Tables 6.3, 6.8)")
        failures += more
        mcf_key, mcf_ans = lookup(table, ctx, "mcf", "dimensionless", activity=pathway)
        mcf, more = number(table, "mcf", mcf_ans["value"].to_numpy()[mcf_key], 0.0, 1.0,
                           "MCF")
        failures += more
        failures += failing(np.isnan(mcf) & (pathway != "").to_numpy(), "treatment_pathway",
                            "no MCF for this pathway "
                            "in this category (Tables 6.3, 6.8); give mcf")
        basis = pd.Series(np.where(domestic, "bod", "cod"), index=table.index)
        bo = _parameter(table, ctx, failures, "bo", "kg/kg", 0.0, None, "Bo [kg CH4/kg]",
                        every, activity=pd.Series(np.where(domestic, "domestic",
                                                           "industrial"), index=table.index),
                        variant=basis, required=("variant",))
        activity = table["activity"].astype(str)
        kind = (table["amount_kind"].astype(str).to_numpy() if "amount_kind" in table
                else np.where(domestic, "person", "mass"))
        wrong = np.flatnonzero(domestic & ((activity != "domestic_wastewater").to_numpy()
                                           | (kind != "person")))
        if len(wrong):
            failures.append(Failure(wrong, "activity", "4.D.1 rows are activity "
                                    "domestic_wastewater with the population served (person)"))
        wrong = np.flatnonzero(~domestic & ((activity == "domestic_wastewater").to_numpy()
                                            | (kind != "mass")))
        if len(wrong):
            failures.append(Failure(wrong, "activity", "4.D.2 rows are an industry with its "
                                    "production (t product)"))
        # domestic: TOW from population (Eq. 6.3)
        region = text_column(table, "region", BOD_REGION)
        d = pd.Series("domestic", index=table.index)
        bod = _parameter(table, ctx, failures, "bod_per_capita", "g/person/day", 0.0, None,
                         "BOD [g/person/day] (Table 6.4)", domestic, activity=d,
                         variant=region, required=("variant",))
        collected, more = _collection(table, pathway, domestic, allowed)
        failures += more
        i_factor = _parameter(table, ctx, failures, "i_factor", "dimensionless", 1.0, None,
                              "I (industrial co-discharge, Eq. 6.3)", domestic, activity=d,
                              variant=pd.Series(np.where(collected, "collected",
                                                         "uncollected"), index=table.index),
                              required=("variant",))
        protein, more = number(table, "protein", np.nan, 0.0, None,
                               "protein consumption [kg/person/yr]")
        failures += more
        failures += failing(np.isnan(protein) & domestic, "protein",
                            "protein consumption [kg/person/yr] "
                            "required for the N2O of the effluent (Eq. 6.8; IPCC "
                            "points to FAO food balance data)")
        frac_npr = _parameter(table, ctx, failures, "frac_npr", "dimensionless", 0.0, 1.0,
                              "F_NPR", domestic, activity=d)
        disposals = text_column(table, "garbage_disposals", "no").str.lower()
        bad = np.flatnonzero(~disposals.isin(YES | NO).to_numpy())
        if len(bad):
            failures.append(Failure(bad, "garbage_disposals", "yes or no"))
        f_non_con = _parameter(table, ctx, failures, "f_non_con", "dimensionless", 1.0,
                               None, "F_NON-CON", domestic, activity=d,
                               variant=pd.Series(np.where(disposals.isin(YES),
                                                          "garbage_disposals",
                                                          "no_garbage_disposals"),
                                                 index=table.index), required=("variant",))
        f_ind_com = _parameter(table, ctx, failures, "f_ind_com", "dimensionless", 1.0,
                               None, "F_IND-COM", domestic, activity=d)
        ef_key, ef_ans = lookup(table, ctx, "ef_effluent", "kg/kg", gas="N2O", activity=d)
        failures += missing(ef_key, ef_ans, domestic, "activity", "no EF_EFFLUENT record")
        n_sludge, more = number(table, "sludge_nitrogen", 0.0, 0.0, None,
                                "N removed with sludge [kg/yr]")
        failures += more
        # industrial: TOW = P x W x COD (Eq. 6.6)
        w = _parameter(table, ctx, failures, "wastewater_generation", "m**3/t", 0.0, None,
                       "wastewater generated [m3/t product] (Table 6.9)", ~domestic)
        cod = _parameter(table, ctx, failures, "cod_concentration", "kg/m**3", 0.0, None,
                         "COD [kg/m3] (Table 6.9)", ~domestic)
        amount = table["amount"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            tow = np.where(domestic, domestic_organics(Q_(amount, "person"),
                                                       Q_(bod, "g/person/day"),
                                                       i_factor).m_as("kg/year"),
                           amount / 1000.0 * w * cod)
        sludge, more = number(table, "sludge_removed", 0.0, 0.0, None,
                               "organics removed as sludge [kg BOD or COD/yr]")
        failures += more
        over = np.flatnonzero(sludge > tow)
        if len(over):
            failures.append(Failure(over, "sludge_removed", "more organics removed as "
                                    "sludge than the wastewater carries"))
        recovered, more = number(table, "methane_recovered", 0.0, 0.0, None,
                                 "CH4 recovered [t]")
        failures += more
        with np.errstate(invalid="ignore"):
            generated = (tow - sludge) * bo * mcf
        over = np.flatnonzero(recovered * 1000 > generated * (1 + 1e-9))
        if len(over):
            failures.append(Failure(over, "methane_recovered", "more CH4 recovered than the "
                                    "pathway generates (Eq. 6.1)"))
        with np.errstate(invalid="ignore"):
            n_effluent = effluent_nitrogen(
                Q_(amount, "person"), Q_(protein, "kg/person/year"), frac_npr=frac_npr,
                f_non_con=f_non_con, f_ind_com=f_ind_com,
                sludge_nitrogen=Q_(n_sludge, "kg/year")).m_as("kg/year")
        negative = np.flatnonzero(domestic & (n_effluent < 0))
        if len(negative):
            failures.append(Failure(negative, "sludge_nitrogen", "more N removed with "
                                    "sludge than the wastewater carries"))
        return {"failures": failures, "domestic": domestic, "ch4": generated
                - recovered * 1000, "mcf": (mcf_key, mcf_ans), "n": n_effluent,
                "ef": (ef_key, ef_ans)}
    return ctx.remember("wastewater.inputs", table, make)  # type: ignore[return-value]


def _wastewater_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _wastewater_inputs(table, ctx)
    mcf_key, mcf_ans = p["mcf"]
    results = [GasResult("CH4", p["ch4"], mcf_key, as_tier(mcf_ans, 1))]
    rows = np.flatnonzero(p["domestic"])
    if len(rows):
        ef_key, ef_ans = p["ef"]
        # Eq. 6.7: N2O = N_EFFLUENT x EF_EFFLUENT x 44/28
        n2o = p["n"] * ef_ans["value"].to_numpy()[ef_key] * N2ON_TO_N2O
        results.append(GasResult("N2O", n2o[rows], ef_key[rows], as_tier(ef_ans, 1),
                                 rows=rows))
    return gas_results(results)


WASTEWATER = Method(
    name="wastewater",
    categories=("4.D",),
    activities=lambda factors: ({"domestic_wastewater", "industrial_wastewater"}
                                | factor_activities(factors, "wastewater_generation", "4.D.2")),
    amount_kinds=("person", "mass"),
    compute=_wastewater_compute,
    check=lambda t, c: _wastewater_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"treatment_pathway": str, "mcf": float, "bo": float, "region": str,
                "bod_per_capita": float, "collected": str, "i_factor": float,
                "protein": float, "frac_npr": float, "f_non_con": float, "f_ind_com": float,
                "garbage_disposals": str,
                "sludge_nitrogen": float, "wastewater_generation": float,
                "cod_concentration": float, "sludge_removed": float,
                "methane_recovered": float},
    description="Domestic (4.D.1: CH4 Eq. 6.1-6.3, N2O of effluent Eq. 6.7-6.8) and "
                "industrial (4.D.2: CH4 Eq. 6.4-6.6) wastewater, IPCC 2006 Vol 5 Ch 6",
)
