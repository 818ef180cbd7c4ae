"""Solid waste disposal (4.A): CH4 by the first-order decay method, IPCC 2006 Vol 5 Ch 2
and 3.

The CH4 of waste is non-fossil.

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

References
----------
.. [1] IPCC 2006 Guidelines, Vol 5, Ch 2 (Tables 2.3, 2.4), Ch 3 (Eq. 3.1-3.6, Tables
   3.1-3.3).
.. [2] IPCC Waste Model (spreadsheet accompanying Vol 5 Ch 3): decay starts on 1 January of
   the year after deposition.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.grouping import factorize_rows
from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._constants import CH4_PER_C
from ghg_inventory.sectors._inputs import (
    NO,
    YES,
    as_tier,
    choice,
    composition_region,
    factor_activities,
    failing,
    given,
    lookup,
    missing,
    number,
    text_column,
)
from ghg_inventory.sectors._livestock import joined_ids, record_ids
from ghg_inventory.units import Q_

#: Shares of a composition may add up to 1 within rounding; beyond that a record is wrong.
#: Printed rows of Table 2.3 exceed 100 % by rounding (South-Eastern Asia: 100.7 %), so one
#: percentage point is allowed.
SHARE_TOLERANCE = 0.01

CLIMATE_ZONES = ("tropical_wet", "tropical_dry", "boreal_temperate_wet",
                 "boreal_temperate_dry")


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
            msg("sectors.solid_waste.record_out_of_range", what=what,
                record=record["factor_id"], table=record["table"], value=record["value"],
                low=low, high=high)))
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
                                 what=msg("sectors.solid_waste.what_site_type"))
        failures += more
        zone, more = choice(table, "climate_zone", CLIMATE_ZONES,
                            required=not given(table, "k").all(),
                            what=msg("sectors.solid_waste.what_climate_zone"))
        failures += more
        # DOC: the row's, Table 2.4 by waste type, or bulk MSW from a Table 2.3 composition
        doc_key, doc_ans = lookup(table, ctx, "doc", "dimensionless")
        doc_default = doc_ans["value"].to_numpy()[doc_key]
        bulk = (activity == "msw_bulk").to_numpy()
        own_doc = given(table, "doc")
        failures += _out_of_range(doc_key, doc_ans, ~own_doc, 0.0, 1.0, "doc",
                                 msg("sectors.solid_waste.what_doc"))
        failures += failing(~bulk & given(table, "composition_region"), "composition_region",
                            msg("sectors.solid_waste.composition_bulk_only"))
        if bulk.any():
            doc_default = np.where(bulk, _bulk_doc(table, ctx, failures, bulk & ~own_doc,
                                                   doc_key, doc_ans), doc_default)
        doc, more = number(table, "doc", doc_default, 0.0, 1.0,
                           msg("sectors.solid_waste.what_doc"))
        failures += more
        failures += failing(np.isnan(doc) & ~bulk, "activity",
                            msg("sectors.solid_waste.no_doc"))
        failures += failing(np.isnan(doc) & bulk, "doc",
                            msg("sectors.solid_waste.bulk_needs_doc"))
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
        for column, values, what in (("docf", docf, "DOCf"),
                                     ("mcf", mcf, msg("sectors.solid_waste.what_mcf")),
                                     ("k", k, msg("sectors.solid_waste.what_k"))):
            failures += failing(np.isnan(values) & every, column,
                                msg("sectors.solid_waste.no_default", what=what,
                                    column=column))
        failures += missing(f_key, f_ans, every, "activity",
                            msg("sectors.solid_waste.no_f"))
        cover_text = text_column(table, "oxidising_cover", "no").str.lower()
        bad = np.flatnonzero(~cover_text.isin(YES | NO).to_numpy())
        if len(bad):
            failures.append(Failure(bad, "oxidising_cover",
                                    msg("sectors.solid_waste.yes_or_no")))
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
                                         ("mcf", (mcf_key, mcf_ans),
                                          msg("sectors.solid_waste.what_mcf")),
                                         ("oxidation_factor", (ox_key, ox_ans),
                                          msg("sectors.solid_waste.what_ox"))):
            failures += _out_of_range(key, ans, ~given(table, column), 0.0, 1.0, column, what)
        recovered, more = number(table, "methane_recovered", 0.0, 0.0, None,
                                 msg("sectors.solid_waste.what_recovered"))
        failures += more
        until, more = number(table, "until", np.nan, 1900.0, 2200.0,
                             msg("sectors.solid_waste.what_until"))
        failures += more
        year = table["year"].to_numpy(dtype=np.int64)
        # a gap in a site's history is fine (nothing deposited); the same site, year and
        # waste type twice is a double count or a typo
        twice = pd.DataFrame({"site": table["facility_id"].astype(str), "waste": activity,
                              "year": year}).duplicated(keep=False).to_numpy()
        if twice.any():
            failures.append(Failure(np.flatnonzero(twice), "year",
                                    msg("sectors.solid_waste.twice")))
        early = np.flatnonzero(~np.isnan(until) & (until < year))
        if len(early):
            failures.append(Failure(early, "until", msg("sectors.solid_waste.until_early")))
        # the records Eq. 3.2-3.5 take beside k (auxiliary ids, the uncertainty's factor
        # chain), where the row gives no value of its own: DOC of the waste type (Table 2.4;
        # a bulk DOC from a composition is a sum, not a factor of the product: not named),
        # DOCf, MCF (Table 3.1) and F; not OX, which enters as (1 - OX)
        aux = joined_ids(record_ids(doc_key, doc_ans, ~bulk & ~own_doc),
                         record_ids(docf_key, docf_ans, ~given(table, "docf")),
                         record_ids(mcf_key, mcf_ans, ~given(table, "mcf")),
                         record_ids(f_key, f_ans, every))
        return {"failures": failures, "doc": doc, "docf": docf, "mcf": mcf, "k": k,
                "aux": aux,
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
    region, comp, regions, more = composition_region(table, ctx)
    failures += more
    by_composition = needed & (region != "").to_numpy() & region.isin(regions).to_numpy()
    record = doc_ans["factor_id"].to_numpy()[doc_key]
    both = by_composition & pd.notna(record)
    for factor_id in pd.unique(record[both]):
        failures.append(Failure(np.flatnonzero(both & (record == factor_id)),
                                "composition_region",
                                msg("sectors.solid_waste.composition_and_doc",
                                    record=factor_id)))
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
            (share_key, share_ans, "composition_region",
             msg("sectors.solid_waste.what_share")),
            (kind_key, kind_ans, "doc", msg("sectors.solid_waste.what_type_doc"))):
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
        failures.append(Failure(rows[over], "composition_region",
                                msg("sectors.solid_waste.shares_over")))
    out[rows] = np.bincount(flat, weights=share * doc, minlength=len(rows))
    return out


def _fod_check(table: pd.DataFrame, ctx: Context) -> list[Failure]:
    p = _fod_inputs(table, ctx)
    failures: list[Failure] = list(p["failures"])
    if failures:
        return failures
    over = _fod_run(table, ctx)["recovery_excess"]
    if len(over):
        failures.append(Failure(over, "methane_recovered",
                                msg("sectors.solid_waste.recovered_over")))
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
    frame = gas_results(results, p["aux"])  # type: ignore[arg-type]
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
