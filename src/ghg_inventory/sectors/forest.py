"""Forest land remaining forest land (3.B.1.a), IPCC 2006 Vol 4 Ch 2 and 4: forest growth,
wood removals, fuelwood and disturbances (the gain-loss method) and the stock-difference
method.

CO2 of forest biomass is LULUCF CO2: it is counted in the totals, with removals as negative
emissions. This differs from biomass burned for energy, whose CO2 is a memo item (biogenic)
because the stock change of the forest it came from is counted here, in 3.B; counting it at
the chimney too would count it twice.

Activity rows
-------------
* **Forest land remaining forest land, 3.B.1.a**, gain-loss (Eq. 2.7, 2.9-2.14):

  - ``forest_growth``, ``amount`` = area [ha]: removals ``A x G_W x (1 + R) x CF x 44/12``
    with G_W of the row (``agb_growth`` [t DM/ha/yr]), or the row's net annual increment
    ``volume_increment`` [m3/ha/yr] x BCEF_I (the second form of Eq. 2.10; ``bcef_i``
    [t/m3] of the row or Table 4.5 by the keys below), or of ``forest_type`` in the user's
    override table, or Table 4.9 (``ecozone``, ``continent`` (default
    ``asia_continental``), ``age_class`` ``le20`` / ``gt20`` (default)) or, for a
    plantation, Table 4.10 (``plantation_species``: ``eucalyptus``, ``pinus``,
    ``tectona``, ``other_broadleaf`` or another species, read from the continent's
    "other" row, or its one row for all species, where Table 4.10 prints no row for it);
  - ``wood_removals`` and ``fuelwood``, ``amount`` = volume [m3]: losses
    ``H x BCEF_R x (1 + R) x CF`` (Eq. 2.12, 2.13), BCEF_R from the row (``bcef_r`` [t/m3]),
    or ``wood_density`` x ``bef`` (the other form of Eq. 2.12), or Table 4.5 for
    ``bcef_zone`` (``boreal``, ``temperate``, ``mediterranean``, ``dry_tropical`` and
    ``subtropical`` (printed in one row with Mediterranean), ``humid_tropical``),
    ``bcef_forest_type`` (``hardwoods``, ``pines``, ``larch``, ``firs_spruces``,
    ``other_conifers``, ``conifers``, ``natural_forests``, as the zone prints them) and
    ``growing_stock`` [m3/ha] or ``growing_stock_class`` (``gs_le20``, ``gs_21_40`` ...;
    humid tropical ``gs_le10`` ... ``gs_gt200``);
  - ``disturbance``, ``amount`` = area affected [ha]: losses ``A x B_W x (1 + R) x CF x fd``
    (Eq. 2.14), ``fraction_lost`` = fd;
  - ``forest_stock_change``, ``amount`` = area [ha]: the stock-difference method (Eq. 2.8)
    from ``biomass_start`` and ``biomass_end`` [t DM/ha, above-ground] of two inventories
    in ``inventory_year_start`` and ``inventory_year_end``, reported as the annual change.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 2 (Eq. 2.7-2.14), Ch 4 (Tables 4.3, 4.4, 4.5, 4.7,
   4.9, 4.10).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._constants import CO2_PER_C
from ghg_inventory.sectors._forest import (
    auxiliary_ids,
    bcef_column,
    carbon_fraction_column,
    forest_stock_column,
    growth_column,
    own_values,
    record_ids,
    root_shoot_column,
)
from ghg_inventory.sectors._inputs import (
    failing,
    given,
    number,
    text_column,
)
from ghg_inventory.units import Q_

REMAINING = ("forest_growth", "wood_removals", "fuelwood", "disturbance",
             "forest_stock_change")


def biomass_carbon(biomass: pint.Quantity, root_shoot: np.ndarray | float,
                   carbon_fraction: np.ndarray | float) -> pint.Quantity:
    r"""Carbon in above- and below-ground biomass (IPCC 2006 Vol 4 Eq. 2.9, 2.10).

    .. math:: C = B_{AG} \cdot (1 + R) \cdot CF

    Parameters
    ----------
    biomass : pint.Quantity
        Above-ground biomass (a stock, [t DM/ha], or a flow, [t DM/ha/yr]).
    root_shoot : float or numpy.ndarray
        R, below-ground to above-ground biomass (Table 4.4). [dimensionless]
    carbon_fraction : float or numpy.ndarray
        CF (Table 4.3). [t C/t DM]

    Returns
    -------
    pint.Quantity
        Carbon, same basis as ``biomass``.
    """
    return biomass * (1.0 + np.asarray(root_shoot)) * np.asarray(carbon_fraction)


def stock_difference(area: pint.Quantity, start: pint.Quantity, end: pint.Quantity,
                     years: np.ndarray | float, root_shoot: np.ndarray | float,
                     carbon_fraction: np.ndarray | float) -> pint.Quantity:
    r"""Annual change of biomass carbon by the stock-difference method (Eq. 2.8).

    .. math:: \Delta C = A \cdot \frac{(B_{t_2} - B_{t_1}) (1 + R) CF}{t_2 - t_1}

    Parameters
    ----------
    area : pint.Quantity
        [ha]
    start, end : pint.Quantity
        Above-ground biomass of the two inventories. [t DM/ha]
    years : float or numpy.ndarray
        t2 - t1. [yr]
    root_shoot, carbon_fraction : float or numpy.ndarray
        R and CF.

    Returns
    -------
    pint.Quantity
        Carbon stock change per year (positive: a gain). [t C/yr]
    """
    change = biomass_carbon(end - start, root_shoot, carbon_fraction)
    return (area * change / Q_(np.asarray(years, dtype=float), "year")).to("t/year")


def _remaining_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        activity = table["activity"].astype(str)
        grow = (activity == "forest_growth").to_numpy()
        cut = activity.isin(("wood_removals", "fuelwood")).to_numpy()
        hit = (activity == "disturbance").to_numpy()
        diff = (activity == "forest_stock_change").to_numpy()
        kind = table["amount_kind"].astype(str).to_numpy() if "amount_kind" in table else \
            np.where(cut, "volume", "area")
        wrong = np.flatnonzero((cut & (kind != "volume")) | (~cut & (kind != "area")))
        if len(wrong):
            failures.append(Failure(wrong, "unit", msg("sectors.forest.wrong_kind")))
        cf, cf_ids = carbon_fraction_column(table, ctx, failures)
        stock, stock_key, stock_ans, ecozone = forest_stock_column(
            table, ctx, failures, hit)
        # G_W: the row's agb_growth, else its net annual increment I_V x BCEF_I (the
        # second form of Eq. 2.10; BCEF_I the row's or Table 4.5's), else Table 4.9/4.10
        increment, more = number(table, "volume_increment", np.nan, 0.0, None,
                                 msg("sectors.forest.what_increment"))
        failures += more
        by_increment = grow & ~np.isnan(increment) & ~given(table, "agb_growth")
        growth, growth_key, growth_ans = growth_column(table, ctx, failures,
                                                       grow & ~by_increment)
        table_bcef_i, bcef_i_key, bcef_i_ans = bcef_column(table, ctx, failures, "bcef_i")
        bcef_i, more = number(table, "bcef_i", table_bcef_i, 0.0, None,
                              msg("sectors.forest.what_bcef_i"), low_open=True)
        failures += more
        failures += failing(by_increment & np.isnan(bcef_i), "bcef_i",
                            msg("sectors.forest.no_bcef_i"))
        growth = np.where(by_increment, increment * bcef_i, growth)
        # provenance: the BCEF_I record where the increment route was taken
        growth_key = np.where(by_increment, bcef_i_key + len(growth_ans), growth_key)
        growth_ans = pd.concat([growth_ans, bcef_i_ans], ignore_index=True)
        # R needs the stand's biomass class: the row's or Table 4.7's stock where known
        start, more = number(table, "biomass_start", np.nan, 0.0, None,
                             msg("sectors.forest.what_biomass_start"))
        failures += more
        end, more = number(table, "biomass_end", np.nan, 0.0, None,
                           msg("sectors.forest.what_biomass_end"))
        failures += more
        # R's biomass class is the stand's: Table 4.7's mature stock, except for a young
        # stand (age_class le20) or a plantation (Table 4.7 is natural forest), whose
        # class only the row's agb_stock settles
        young = grow & ((text_column(table, "age_class") == "le20")
                        | (text_column(table, "plantation_species") != "")).to_numpy() \
            & ~given(table, "agb_stock")
        stand = np.where(diff, end, np.where(young, np.nan, stock))
        r, r_key, r_ans = root_shoot_column(table, ctx, ecozone, stand, failures,
                                            np.ones(len(table), dtype=bool))
        bcef, more = number(table, "bcef_r", np.nan, 0.0, None,
                            msg("sectors.forest.what_bcef_r"), low_open=True)
        failures += more
        density, more = number(table, "wood_density", np.nan, 0.0, None,
                               msg("sectors.forest.what_wood_density"), low_open=True)
        failures += more
        bef, more = number(table, "bef", np.nan, 1.0, None, msg("sectors.forest.what_bef"))
        failures += more
        # BCEF_R: the row's, else wood density x BEF_R (Eq. 2.12), else Table 4.5's
        table_bcef, bcef_key, bcef_ans = bcef_column(table, ctx, failures)
        from_row = np.where(np.isnan(bcef), density * bef, bcef)
        from_table = np.isnan(from_row) & ~np.isnan(table_bcef)
        bcef = np.where(from_table, table_bcef, from_row)
        failures += failing(np.isnan(bcef) & cut, "bcef_r", msg("sectors.forest.no_bcef_r"))
        bcef_ids = np.where(from_table & cut, record_ids(table, "bcef_r", bcef_key, bcef_ans),
                            "")
        fd, more = number(table, "fraction_lost", np.nan, 0.0, 1.0,
                          msg("sectors.forest.what_fraction_lost"))
        failures += more
        failures += failing(np.isnan(fd) & hit, "fraction_lost",
                            msg("sectors.forest.no_fraction_lost"))
        y1, more = number(table, "inventory_year_start", np.nan, 1900.0, 2100.0,
                          msg("sectors.forest.what_year_start"))
        failures += more
        y2, more = number(table, "inventory_year_end", np.nan, 1900.0, 2100.0,
                          msg("sectors.forest.what_year_end"))
        failures += more
        for column, values in (("biomass_start", start), ("biomass_end", end),
                               ("inventory_year_start", y1), ("inventory_year_end", y2)):
            failures += failing(np.isnan(values) & diff, column,
                                msg("sectors.forest.stock_difference_needs", column=column))
        order = np.flatnonzero(diff & (y2 <= y1))
        if len(order):
            failures.append(Failure(order, "inventory_year_end",
                                    msg("sectors.forest.years_in_order")))
        amount = table["amount"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            carbon = np.select(
                [grow, cut, hit, diff],
                [-biomass_carbon(Q_(amount * growth, "t/year"), r, cf).m_as("t/year"),
                 biomass_carbon(Q_(amount * bcef, "t/year"), r, cf).m_as("t/year"),
                 biomass_carbon(Q_(amount * stock * fd, "t/year"), r, cf).m_as("t/year"),
                 -stock_difference(Q_(amount, "ha"), Q_(start, "t/ha"), Q_(end, "t/ha"),
                                   y2 - y1, r, cf).m_as("t/year")], np.nan)
        # provenance: the factor that carries each kind of row
        keys = {"grow": (growth_key, growth_ans), "hit": (stock_key, stock_ans),
                "other": (r_key, r_ans)}
        own = {"grow": given(table, "agb_growth") | (by_increment & given(table, "bcef_i")),
               "hit": given(table, "agb_stock"),
               "other": given(table, "root_shoot")}
        # the R and CF records beside the one that carries each row (auxiliary ids)
        r_ids = record_ids(table, "root_shoot", r_key, r_ans)
        other = ~grow & ~hit
        return {"failures": failures, "co2_t": carbon * CO2_PER_C, "grow": grow,
                "hit": hit, "keys": keys, "own": own,
                "auxiliary": auxiliary_ids(np.where(other, "", r_ids), bcef_ids, cf_ids),
                "user": given(table, "agb_growth") | given(table, "agb_stock")
                | given(table, "bcef_r") | given(table, "wood_density") | by_increment
                | diff}
    return ctx.remember("forest.inputs", table, make)  # type: ignore[return-value]


def _remaining_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _remaining_inputs(table, ctx)
    kg = p["co2_t"] * 1000.0
    results = []
    n = len(table)
    for mask, name in ((p["grow"], "grow"), (p["hit"], "hit"),
                       (~p["grow"] & ~p["hit"], "other")):
        key, ans = p["keys"][name]
        for tier_mask, tier in ((~p["user"], 1), (p["user"], 2)):
            rows = np.flatnonzero(mask & tier_mask & np.ones(n, dtype=bool))
            if len(rows):
                # a row's own growth, stock or R names no record (user-supplied)
                used, answer = own_values(key, ans, p["own"][name], tier)
                # LULUCF CO2 of biomass carbon: counted, not a biogenic memo
                results.append(GasResult("CO2", kg[rows], used[rows],
                                         answer.assign(fossil=True), rows=rows))
    return gas_results(results, p["auxiliary"])


REMAINING_METHOD = Method(
    name="forest_land_remaining",
    # growth and stock gains are removals: negative CO2
    removals=("CO2",),
    categories=("3.B.1.a",),
    activities=lambda factors: set(REMAINING),
    amount_kinds=("area", "volume"),
    compute=_remaining_compute,
    check=lambda t, c: _remaining_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"forest_type": str, "ecozone": str, "continent": str, "age_class": str,
                "forest_origin": str,
                "plantation_species": str, "agb_growth": float, "agb_stock": float,
                "root_shoot": float, "carbon_fraction": float, "climate_domain": str,
                "bcef_r": float, "wood_density": float, "bef": float, "bcef_zone": str,
                "bcef_forest_type": str, "growing_stock": float,
                "volume_increment": float, "bcef_i": float,
                "growing_stock_class": str,
                "fraction_lost": float, "biomass_start": float, "biomass_end": float,
                "inventory_year_start": float, "inventory_year_end": float},
    description="Forest land remaining forest land: gain-loss (Eq. 2.7, 2.9-2.14) and "
                "stock-difference (Eq. 2.8), IPCC 2006 Vol 4 Ch 2 and 4",
)
