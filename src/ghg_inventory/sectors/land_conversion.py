"""Land-use change (IPCC 2006 Vol 4 Ch 2, 4, 5, 6): deforestation (forest land converted
to cropland, grassland, wetlands, settlements or other land) and afforestation (land
converted to forest land).

CO2 of forest biomass and soil carbon is LULUCF CO2: it is counted in the totals, with
removals as negative emissions.

Activity rows
-------------
* **Deforestation** (forest converted to cropland 3.B.2.b, grassland 3.B.3.b, wetlands
  3.B.4.b, settlements 3.B.5.b, other land 3.B.6.b), ``activity = deforestation``,
  ``amount`` = area converted in the year [ha] (Eq. 2.15, 2.16): the biomass before
  (``forest_type`` or ``ecozone`` + ``continent``, Table 4.7, with R and CF) minus the
  biomass after (Table 5.9 for annual cropland, or for perennial cropland by ``climate``
  where ``land_use`` is ``perennial_tree_crop``; Table 6.4 for grassland by ``climate``; or
  the row's ``biomass_after`` [t C/ha]), all in the conversion year; ``dom_before``
  [t C/ha] of dead wood and litter, lost in the conversion year (Tier 1: no dead organic
  matter on the new land); the soil carbon change where ``soil_type`` is given (Eq. 2.25:
  SOC_REF of ``soil_type`` and ``climate_region`` under forest, times the Table 5.5
  factors of ``land_use`` (default ``long_term_cultivated``) for ``moisture_regime``, and of
  ``tillage`` and ``input_level`` where given (else the reference management, factor 1),
  under cropland; or the row's ``soc_before`` and
  ``soc_after`` [t C/ha]), spread
  evenly over the 20 years after conversion, each reported in its year.
* **Land converted to forest land, 3.B.1.b**, ``activity = afforestation``, ``amount`` =
  area in the conversion category [ha]: growth as for ``forest_growth``, Table 4.9's
  column for stands of 20 years or less unless ``age_class`` says ``gt20``; the previous
  vegetation's carbon ``biomass_before`` [t C/ha] on ``converted_area`` [ha] is lost.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 2 (Eq. 2.7-2.16, 2.25), Ch 4 (Tables 4.3, 4.4, 4.7,
   4.9, 4.10), Ch 5 (Tables 5.5, 5.9), Ch 6 (Table 6.4).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._constants import CO2_PER_C
from ghg_inventory.sectors._forest import (
    auxiliary_ids,
    carbon_fraction_column,
    forest_stock_column,
    growth_column,
    own_values,
    record_ids,
    root_shoot_column,
)
from ghg_inventory.sectors._inputs import (
    as_tier,
    failing,
    given,
    lookup,
    number,
    text_column,
)
from ghg_inventory.sectors.forest import biomass_carbon
from ghg_inventory.units import Q_

#: Eq. 2.25: default time for soil carbon to reach its new equilibrium [years].
SOC_YEARS = 20


#: Table 5.5 land use (``land_use``) whose biomass after conversion is Table 5.9's
#: perennial cropland row for the ``climate``, not its annual cropland row.
PERENNIAL = "perennial_tree_crop"

#: The land use a conversion category leads to.
NEW_USE = {"3.B.2.b": "cropland", "3.B.3.b": "grassland", "3.B.4.b": "wetlands",
           "3.B.5.b": "settlements", "3.B.6.b": "other_land"}


def _conversion_inputs(table: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        failures: list[Failure] = []
        category = table["category"].astype(str)
        to_forest = category.str.startswith("3.B.1.b").to_numpy()
        activity = table["activity"].astype(str)
        wrong = np.flatnonzero(to_forest & (activity != "afforestation").to_numpy()
                               | ~to_forest & (activity != "deforestation").to_numpy())
        if len(wrong):
            failures.append(Failure(wrong, "activity",
                                    msg("sectors.land_conversion.wrong_activity")))
        new_use = category.map(lambda c: next((u for k, u in NEW_USE.items()
                                               if c == k or c.startswith(k + ".")), ""))
        cf, cf_ids = carbon_fraction_column(table, ctx, failures)
        stock, stock_key, stock_ans, ecozone = forest_stock_column(
            table, ctx, failures, ~to_forest)
        # land converted to forest grows as a young stand: Table 4.9's <= 20 years column
        growth, growth_key, growth_ans = growth_column(table, ctx, failures, to_forest,
                                                       default_age="le20")
        # R is needed on every row: deforestation's biomass before, afforestation's growth.
        # Its biomass class is the stand's: the mature forest's (Table 4.7) for
        # deforestation, only the row's own agb_stock for a young stand on converted land
        stand = np.where(to_forest & ~given(table, "agb_stock"), np.nan, stock)
        r, r_key, r_ans = root_shoot_column(table, ctx, ecozone, stand, failures,
                                            np.ones(len(table), dtype=bool))
        # biomass after conversion [t C/ha]: Table 5.9 (annual cropland, or perennial
        # cropland by climate where land_use is perennial_tree_crop; t C), Table 6.4
        # (grassland by climate, t DM x CF), or the row's
        climate = text_column(table, "climate")
        perennial = ((new_use == "cropland")
                     & (text_column(table, "land_use") == PERENNIAL)).to_numpy()
        after_key, after_ans = lookup(
            table, ctx, "biomass_after_conversion", "t/ha",
            activity=pd.Series(np.where(perennial, "perennial_cropland",
                                        np.where(new_use == "cropland", "annual_cropland",
                                                 np.where(new_use == "grassland", "grassland",
                                                          "-"))),
                               index=table.index),
            variant=pd.Series(np.where(new_use == "grassland", climate + "_total",
                                       np.where(perennial, climate, "")),
                              index=table.index))
        after_default = after_ans["value"].to_numpy()[after_key] * np.where(
            (new_use == "grassland").to_numpy(), cf, 1.0)
        after, more = number(table, "biomass_after", after_default, 0.0, None,
                             msg("sectors.land_conversion.what_biomass_after"))
        failures += more
        failures += failing(np.isnan(after) & ~to_forest, "biomass_after",
                            msg("sectors.land_conversion.no_biomass_after"))
        dom, more = number(table, "dom_before", 0.0, 0.0, None,
                           msg("sectors.land_conversion.what_dom_before"))
        failures += more
        # afforestation: the previous vegetation's carbon on the newly converted area
        before, more = number(table, "biomass_before", 0.0, 0.0, None,
                              msg("sectors.land_conversion.what_biomass_before"))
        failures += more
        converted, more = number(table, "converted_area", 0.0, 0.0, None,
                                 msg("sectors.land_conversion.what_converted_area"))
        failures += more
        amount = table["amount"].to_numpy(dtype=float)
        over = np.flatnonzero(to_forest & (converted > amount))
        if len(over):
            failures.append(Failure(over, "converted_area",
                                    msg("sectors.land_conversion.converted_over")))
        soc_loss, soc_failures, soc_ids = _soil_change(table, ctx, new_use, to_forest)
        failures += soc_failures
        with np.errstate(invalid="ignore"):
            forest_c = biomass_carbon(Q_(stock, "t/ha"), r, cf).m_as("t/ha")
            # Eq. 2.16: (B_before - B_after) x area, carbon lost in the conversion year
            lost = np.where(to_forest, converted * before, amount * (forest_c - after + dom))
            gained = np.where(to_forest, biomass_carbon(Q_(amount * growth, "t"), r, cf)
                              .m_as("t"), 0.0)
        return {"failures": failures, "co2_t": (lost - gained) * CO2_PER_C,
                "soc_co2_t": soc_loss * CO2_PER_C, "to_forest": to_forest,
                "keys": ((stock_key, stock_ans), (growth_key, growth_ans)),
                # R, CF, the biomass after conversion and the soil records beside the
                # stock or growth record that carries each row
                "auxiliary": auxiliary_ids(
                    record_ids(table, "root_shoot", r_key, r_ans), cf_ids,
                    np.where(to_forest, "",
                             record_ids(table, "biomass_after", after_key, after_ans)),
                    soc_ids),
                "user": given(table, "agb_stock") | given(table, "agb_growth")
                | given(table, "biomass_after")}
    return ctx.remember("conversion.inputs", table, make)  # type: ignore[return-value]


def _soil_change(table: pd.DataFrame, ctx: Context, new_use: pd.Series,
                 to_forest: np.ndarray) -> tuple[np.ndarray, list[Failure], np.ndarray]:
    """Annual soil carbon loss [t C/yr] over the 20 years after conversion (Eq. 2.25),
    and per row the ids of the SOC_REF and Table 5.5 records used (``;``-joined)."""
    failures: list[Failure] = []
    n = len(table)
    none = np.full(n, "", dtype=object)
    soil = text_column(table, "soil_type")
    with_soil = ((soil != "").to_numpy() | given(table, "soc_before")) & ~to_forest
    if not with_soil.any():
        return np.zeros(n), failures, none
    region = text_column(table, "climate_region")
    ref_key, ref_ans = lookup(table, ctx, "soc_ref", "t/ha", activity=soil, variant=region,
                              category="3.B", required=("variant",))
    soc_ref, more = number(table, "soc_before", ref_ans["value"].to_numpy()[ref_key], 0.0,
                           None, msg("sectors.land_conversion.what_soc_before"))
    failures += more
    failures += failing(np.isnan(soc_ref) & with_soil, "soil_type",
                        msg("sectors.land_conversion.no_soc_ref"))
    factors = np.ones(n)
    ids = [record_ids(table, "soc_before", ref_key, ref_ans)]
    crop = (new_use == "cropland").to_numpy()
    # F_MG and F_I only where the row says: without them the reference management of
    # Table 5.5 (full tillage, medium input, both 1) is the cropland's
    for parameter, column, default in (("f_lu", "land_use", "long_term_cultivated"),
                                       ("f_mg", "tillage", ""), ("f_i", "input_level", "")):
        level = text_column(table, column, default)
        key, ans = lookup(table, ctx, parameter, "dimensionless", activity=level,
                          variant=text_column(table, "moisture_regime"), category="3.B.2")
        value = np.where((level == "").to_numpy(), 1.0, ans["value"].to_numpy()[key])
        said = (msg("sectors.land_conversion.no_soil_factor_2019", parameter=parameter)
                if ctx.guidelines == "2019"
                else msg("sectors.land_conversion.no_soil_factor", parameter=parameter))
        failures += failing(np.isnan(value) & with_soil & crop & ~given(table, "soc_after"), column,
                            said)
        factors = factors * np.where(crop, value, 1.0)
        ids.append(np.where(crop & ~given(table, "soc_after") & (level != "").to_numpy(),
                            ans["factor_id"].fillna("").astype(str).to_numpy(dtype=object)[key],
                            ""))
    default_after = np.where(crop, soc_ref * factors, np.nan)
    after, more = number(table, "soc_after", default_after, 0.0, None,
                         msg("sectors.land_conversion.what_soc_after"))
    failures += more
    failures += failing(np.isnan(after) & with_soil & ~crop, "soc_after",
                        msg("sectors.land_conversion.no_soc_after"))
    amount = table["amount"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        # Tier 1: forest soil carbon = SOC_REF (Vol 4 Ch 4); Eq. 2.25 over D = 20 years
        loss = np.where(with_soil, amount * (soc_ref - after) / SOC_YEARS, 0.0)
    joined = np.asarray([";".join(i for i in row if i) for row in zip(*ids, strict=True)],
                        dtype=object)
    return loss, failures, np.where(with_soil, joined, "")


def _conversion_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _conversion_inputs(table, ctx)
    (stock_key, stock_ans), (growth_key, growth_ans) = p["keys"]
    to_forest = p["to_forest"]
    results, years = [], []
    for mask, key, ans, own in ((~to_forest, stock_key, stock_ans, given(table, "agb_stock")),
                                (to_forest, growth_key, growth_ans,
                                 given(table, "agb_growth"))):
        for tier_mask, tier in ((~p["user"], 1), (p["user"], 2)):
            rows = np.flatnonzero(mask & tier_mask)
            if len(rows):
                # a row's own stock or growth names no record (user-supplied)
                used, answer = own_values(key, ans, own, tier)
                results.append(GasResult("CO2", p["co2_t"][rows] * 1000.0, used[rows],
                                         answer.assign(fossil=True), rows=rows))
                years.append(np.zeros(len(rows), dtype=np.int64))
    soil_rows = np.flatnonzero(p["soc_co2_t"] != 0)
    if len(soil_rows):
        own_year = table["year"].to_numpy(dtype=np.int64)
        for offset in range(SOC_YEARS):
            results.append(GasResult("CO2", p["soc_co2_t"][soil_rows] * 1000.0,
                                     stock_key[soil_rows],
                                     as_tier(stock_ans, 1).assign(fossil=True),
                                     rows=soil_rows))
            # the conversion year itself stays on the row (0 = own year)
            years.append(np.where(offset == 0, 0, own_year[soil_rows] + offset))
    frame = gas_results(results, p["auxiliary"])
    frame["_year"] = np.concatenate(years) if years else np.zeros(0, dtype=np.int64)
    return frame


CONVERSION_METHOD = Method(
    name="land_conversion",
    # growth on converted land and soil carbon gained are removals: negative CO2
    removals=("CO2",),
    categories=("3.B.1.b", *NEW_USE),
    activities=lambda factors: {"deforestation", "afforestation"},
    amount_kinds=("area",),
    compute=_conversion_compute,
    check=lambda t, c: _conversion_inputs(t, c)["failures"],  # type: ignore[arg-type,return-value]
    parameters={"forest_type": str, "ecozone": str, "continent": str, "age_class": str,
                "forest_origin": str, "plantation_species": str, "agb_growth": float,
                "agb_stock": float,
                "root_shoot": float, "carbon_fraction": float, "climate_domain": str,
                "climate": str, "biomass_after": float, "dom_before": float,
                "biomass_before": float, "converted_area": float, "soil_type": str,
                "climate_region": str, "moisture_regime": str, "land_use": str,
                "tillage": str, "input_level": str, "soc_before": float,
                "soc_after": float},
    description="Deforestation (Eq. 2.15, 2.16, Tables 4.7, 5.9, 6.4; soil carbon Eq. "
                "2.25, Tables 2.3, 5.5) and afforestation (growth, Tables 4.9, 4.10)",
)
