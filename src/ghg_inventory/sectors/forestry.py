"""Forest land and land-use change (IPCC 2006 Vol 4 Ch 2, 4, 5, 6): forest growth, wood
removals, fuelwood and disturbances (the gain-loss method), the stock-difference method,
deforestation and afforestation.

CO2 of forest biomass is LULUCF CO2: it is counted in the totals, with removals as negative
emissions. This differs from biomass burned for energy, whose CO2 is a memo item (biogenic)
because the stock change of the forest it came from is counted here, in 3.B; counting it at
the chimney too would count it twice.

Activity rows
-------------
* **Forest land remaining forest land, 3.B.1.a**, gain-loss (Eq. 2.7, 2.9-2.14):

  - ``forest_growth``, ``amount`` = area [ha]: removals ``A x G_W x (1 + R) x CF x 44/12``
    with G_W of the row (``agb_growth`` [t DM/ha/yr]), or of ``forest_type`` in the user's
    override table, or Table 4.9 (``ecozone``, ``continent``, ``age_class`` ``le20`` /
    ``gt20``) or Table 4.10 (``plantation_species``);
  - ``wood_removals`` and ``fuelwood``, ``amount`` = volume [m3]: losses
    ``H x BCEF_R x (1 + R) x CF`` (Eq. 2.12, 2.13), BCEF_R from the row (``bcef_r`` [t/m3]),
    or ``wood_density`` x ``bef`` (the other form of Eq. 2.12);
  - ``disturbance``, ``amount`` = area affected [ha]: losses ``A x B_W x (1 + R) x CF x fd``
    (Eq. 2.14), ``fraction_lost`` = fd;
  - ``forest_stock_change``, ``amount`` = area [ha]: the stock-difference method (Eq. 2.8)
    from ``biomass_start`` and ``biomass_end`` [t DM/ha, above-ground] of two inventories
    in ``inventory_year_start`` and ``inventory_year_end``, reported as the annual change.

* **Deforestation** (forest converted to cropland 3.B.2.b, grassland 3.B.3.b, wetlands
  3.B.4.b, settlements 3.B.5.b, other land 3.B.6.b), ``activity = deforestation``,
  ``amount`` = area converted in the year [ha] (Eq. 2.15, 2.16): the biomass before
  (``forest_type`` or ``ecozone`` + ``continent``, Table 4.7, with R and CF) minus the
  biomass after (Table 5.9 for annual cropland, Table 6.4 for grassland by ``climate``, or
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
  area in the conversion category [ha]: growth as for ``forest_growth``; the previous
  vegetation's carbon ``biomass_before`` [t C/ha] on ``converted_area`` [ha] is lost.

References
----------
.. [1] IPCC 2006 Guidelines, Vol 4, Ch 2 (Eq. 2.7-2.16, 2.25), Ch 4 (Tables 4.3, 4.4, 4.7,
   4.9, 4.10), Ch 5 (Tables 5.5, 5.9), Ch 6 (Table 6.4).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pint

from ghg_inventory.methods import Context, Failure, GasResult, Method, gas_results
from ghg_inventory.sectors._inputs import (
    as_tier,
    choice,
    failing,
    given,
    lookup,
    number,
    text_column,
)
from ghg_inventory.units import Q_

#: C to CO2.
CO2_PER_C = 44.0 / 12.0
#: Eq. 2.25: default time for soil carbon to reach its new equilibrium [years].
SOC_YEARS = 20
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


def _classes(variants: pd.Series) -> list[tuple[str, float, float]]:
    """``agb_lt_125`` / ``agb_gt_125`` / ``agb_50_150`` style variants as (variant, low,
    high) bounds [t DM/ha]."""
    out = []
    number = r"(\d+(?:\.\d+)?)"
    for v in variants:
        m = re.fullmatch(rf"agb_(lt|gt)_{number}", str(v))
        if m:
            limit = float(m.group(2))
            out.append((str(v), -np.inf, limit) if m.group(1) == "lt"
                       else (str(v), limit, np.inf))
        m = re.fullmatch(rf"agb_{number}_{number}", str(v))
        if m:  # a bounded class, both limits in it (temperate conifer 50-150 t/ha)
            out.append((str(v), float(m.group(1)), np.nextafter(float(m.group(2)), np.inf)))
    return out


def _root_shoot(table: pd.DataFrame, ctx: Context, ecozone: pd.Series, agb: np.ndarray,
                failures: list[Failure], needed: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                   pd.DataFrame]:
    """R of Table 4.4 for the ecozone and the stand's above-ground biomass class.

    A row that needs R (``needed``) and has neither ``root_shoot`` nor a default is
    refused, saying why: an ecozone without a Table 4.4 value, or one whose value depends
    on a biomass class the row does not settle.
    """
    t = ctx.factors.table
    records = t[t["parameter"] == "root_shoot"]
    variant = pd.Series("", index=table.index, dtype=object)
    class_names: dict[str, list[str]] = {}
    for zone in pd.unique(ecozone):
        rows = (ecozone == zone).to_numpy()
        classes = _classes(records.loc[records["activity"] == zone, "variant"])
        class_names[str(zone)] = [name for name, _, _ in classes]
        for name, low, high in classes:
            # "< 125" and "> 125" t/ha in Table 4.4: the limit itself goes to the upper class
            inside = rows & (agb >= low) & (agb < high)
            variant[inside] = name
    key, ans = lookup(table, ctx, "root_shoot", "dimensionless", activity=ecozone,
                      variant=variant, category="3.B.1")
    value, more = number(table, "root_shoot", ans["value"].to_numpy()[key], 0.0, None,
                         "R (Table 4.4)")
    failures += more
    lacking = np.isnan(value) & needed
    if lacking.any():
        with_default = ", ".join(sorted(set(records["activity"].astype(str))))
        why: dict[str, str] = {}
        for zone in pd.unique(ecozone[lacking]):
            zone = str(zone)
            if not zone:
                why[zone] = ("no root_shoot and no ecozone: give root_shoot (R, Table 4.4) "
                             f"[t root d.m./t shoot d.m.] or an ecozone with a default "
                             f"({with_default})")
            elif class_names.get(zone):
                why[zone] = (f"R of ecozone {zone!r} (Table 4.4) depends on the stand's "
                             f"above-ground biomass class ({', '.join(class_names[zone])}); "
                             "the row's biomass is unknown or in a class without a default: "
                             "give agb_stock (the stand's above-ground biomass [t DM/ha]) "
                             "or root_shoot")
            else:
                why[zone] = (f"no default root-to-shoot ratio R (IPCC 2006 Vol 4 Table 4.4) "
                             f"for ecozone {zone!r}: give root_shoot [t root d.m./t shoot "
                             f"d.m.]; Table 4.4 defaults exist for {with_default}")
        positions = np.flatnonzero(lacking)
        failures.append(Failure(positions, "root_shoot",
                                [why[str(z)] for z in ecozone.to_numpy()[positions]]))
    return value, key, ans


def _forest_stock(table: pd.DataFrame, ctx: Context, failures: list[Failure],
                  needed: np.ndarray) -> tuple[np.ndarray, np.ndarray, pd.DataFrame,
                                               pd.Series]:
    """Above-ground biomass [t DM/ha]: the row's, its forest type's (user override table)
    or Table 4.7's for ecozone and continent."""
    forest_type = text_column(table, "forest_type")
    ecozone = text_column(table, "ecozone")
    continent = text_column(table, "continent", "asia_continental")
    typed = (forest_type != "").to_numpy()
    key, ans = lookup(table, ctx, "agb_stock", "t/ha", category="3.B.1",
                      activity=pd.Series(np.where(typed, forest_type, ecozone),
                                         index=table.index),
                      variant=pd.Series(np.where(typed, "", continent), index=table.index))
    value, more = number(table, "agb_stock", ans["value"].to_numpy()[key], 0.0, None,
                         "above-ground biomass [t DM/ha]")
    failures += more
    failures += failing(np.isnan(value) & needed & typed, "forest_type",
                        "no carbon stock for this forest "
                        "type: give agb_stock, or the type's record in an override "
                        "table (parameter agb_stock, activity = forest type)")
    failures += failing(np.isnan(value) & needed & ~typed, "ecozone",
                        "no above-ground biomass (Table 4.7) for "
                        "this ecozone and continent; give forest_type or agb_stock")
    return value, key, ans, ecozone


def _growth(table: pd.DataFrame, ctx: Context, failures: list[Failure], needed: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """G_W [t DM/ha/yr]: the row's, the forest type's, Table 4.10 or Table 4.9."""
    forest_type = text_column(table, "forest_type")
    ecozone = text_column(table, "ecozone")
    continent = text_column(table, "continent", "asia_continental")
    species = text_column(table, "plantation_species")
    age, more = choice(table, "age_class", ("le20", "gt20"), default="gt20",
                       what="age class of Table 4.9 (le20: up to 20 years)")
    failures += more
    typed = (forest_type != "").to_numpy()
    planted = (species != "").to_numpy()
    natural_key, natural = lookup(table, ctx, "agb_growth", "t/ha/year", category="3.B.1",
                                  activity=pd.Series(np.where(typed, forest_type, ecozone),
                                                     index=table.index),
                                  variant=pd.Series(np.where(typed, "", continent + "_" + age),
                                                    index=table.index))
    plant_key, plant = lookup(table, ctx, "agb_growth_plantation", "t/ha/year",
                              category="3.B.1", activity=ecozone,
                              variant=continent.str.split("_").str[0] + "_" + species)
    default = np.where(planted, plant["value"].to_numpy()[plant_key],
                       natural["value"].to_numpy()[natural_key])
    value, more = number(table, "agb_growth", default, 0.0, None,
                         "above-ground growth [t DM/ha/yr]")
    failures += more
    failures += failing(np.isnan(value) & needed, "agb_growth",
                        "no growth rate (Tables 4.9, 4.10, or "
                        "the forest type's record) for this row; give agb_growth")
    # provenance: the plantation record where used
    answer = pd.concat([natural, plant], ignore_index=True)
    key = np.where(planted, plant_key + len(natural), natural_key)
    return value, key, answer


def _carbon_fraction(table: pd.DataFrame, ctx: Context, failures: list[Failure]
                     ) -> np.ndarray:
    key, ans = lookup(table, ctx, "carbon_fraction", "dimensionless", category="3.B.1",
                      activity=pd.Series("wood", index=table.index),
                      variant=text_column(table, "climate_domain", "tropical_subtropical"),
                      required=("variant",))
    value, more = number(table, "carbon_fraction", ans["value"].to_numpy()[key], 0.0, 1.0,
                         "carbon fraction CF")
    failures += more
    failures += failing(np.isnan(value), "carbon_fraction", "no carbon fraction (Table 4.3) "
                        "for this climate domain; give carbon_fraction")
    return value


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
            failures.append(Failure(wrong, "unit", "wood removals and fuelwood take a volume "
                                    "(m3); growth, disturbance and stock change an area (ha)"))
        cf = _carbon_fraction(table, ctx, failures)
        stock, stock_key, stock_ans, ecozone = _forest_stock(table, ctx, failures,
                                                             hit)
        growth, growth_key, growth_ans = _growth(table, ctx, failures, grow)
        # R needs the stand's biomass class: the row's or Table 4.7's stock where known
        start, more = number(table, "biomass_start", np.nan, 0.0, None,
                             "above-ground biomass, first inventory [t DM/ha]")
        failures += more
        end, more = number(table, "biomass_end", np.nan, 0.0, None,
                           "above-ground biomass, second inventory [t DM/ha]")
        failures += more
        stand = np.where(diff, end, stock)
        r, r_key, r_ans = _root_shoot(table, ctx, ecozone, stand, failures,
                                      np.ones(len(table), dtype=bool))
        bcef, more = number(table, "bcef_r", np.nan, 0.0, None, "BCEF_R [t/m3]",
                            low_open=True)
        failures += more
        density, more = number(table, "wood_density", np.nan, 0.0, None,
                               "basic wood density [t DM/m3]", low_open=True)
        failures += more
        bef, more = number(table, "bef", np.nan, 1.0, None, "BEF_R [-]")
        failures += more
        bcef = np.where(np.isnan(bcef), density * bef, bcef)
        failures += failing(np.isnan(bcef) & cut, "bcef_r", "BCEF_R [t/m3] required, or "
                            "wood_density and bef (Eq. 2.12)")
        fd, more = number(table, "fraction_lost", np.nan, 0.0, 1.0,
                          "fraction of biomass lost fd")
        failures += more
        failures += failing(np.isnan(fd) & hit, "fraction_lost", "fraction of the biomass lost "
                            "in the disturbance required (Eq. 2.14)")
        y1, more = number(table, "inventory_year_start", np.nan, 1900.0, 2100.0,
                          "year of the first inventory")
        failures += more
        y2, more = number(table, "inventory_year_end", np.nan, 1900.0, 2100.0,
                          "year of the second inventory")
        failures += more
        for column, values in (("biomass_start", start), ("biomass_end", end),
                               ("inventory_year_start", y1), ("inventory_year_end", y2)):
            failures += failing(np.isnan(values) & diff, column, f"{column} required for the "
                                "stock-difference method (Eq. 2.8)")
        order = np.flatnonzero(diff & (y2 <= y1))
        if len(order):
            failures.append(Failure(order, "inventory_year_end", "must be after "
                                    "inventory_year_start"))
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
        return {"failures": failures, "co2_t": carbon * CO2_PER_C, "grow": grow,
                "hit": hit, "keys": keys,
                "user": given(table, "agb_growth") | given(table, "agb_stock")
                | given(table, "bcef_r") | given(table, "wood_density") | diff}
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
                # LULUCF CO2 of biomass carbon: counted, not a biogenic memo
                results.append(GasResult("CO2", kg[rows], key[rows],
                                         as_tier(ans, tier).assign(fossil=True), rows=rows))
    return gas_results(results)


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
                "plantation_species": str, "agb_growth": float, "agb_stock": float,
                "root_shoot": float, "carbon_fraction": float, "climate_domain": str,
                "bcef_r": float, "wood_density": float, "bef": float,
                "fraction_lost": float, "biomass_start": float, "biomass_end": float,
                "inventory_year_start": float, "inventory_year_end": float},
    description="Forest land remaining forest land: gain-loss (Eq. 2.7, 2.9-2.14) and "
                "stock-difference (Eq. 2.8), IPCC 2006 Vol 4 Ch 2 and 4",
)


# --- land-use change --------------------------------------------------------------------------

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
            failures.append(Failure(wrong, "activity", "land converted to forest (3.B.1.b) is "
                                    "'afforestation'; forest converted to another use "
                                    "(3.B.2.b-3.B.6.b) is 'deforestation'"))
        new_use = category.map(lambda c: next((u for k, u in NEW_USE.items()
                                               if c == k or c.startswith(k + ".")), ""))
        cf = _carbon_fraction(table, ctx, failures)
        stock, stock_key, stock_ans, ecozone = _forest_stock(table, ctx, failures,
                                                             ~to_forest)
        growth, growth_key, growth_ans = _growth(table, ctx, failures, to_forest)
        # R is needed on every row: deforestation's biomass before, afforestation's growth
        r, _, _ = _root_shoot(table, ctx, ecozone, stock, failures,
                              np.ones(len(table), dtype=bool))
        # biomass after conversion [t C/ha]: Table 5.9 (annual cropland, t C), Table 6.4
        # (grassland by climate, t DM x CF), or the row's
        climate = text_column(table, "climate")
        after_key, after_ans = lookup(
            table, ctx, "biomass_after_conversion", "t/ha",
            activity=pd.Series(np.where(new_use == "cropland", "annual_cropland",
                                        np.where(new_use == "grassland", "grassland", "-")),
                               index=table.index),
            variant=pd.Series(np.where(new_use == "grassland", climate + "_total", ""),
                              index=table.index))
        after_default = after_ans["value"].to_numpy()[after_key] * np.where(
            (new_use == "grassland").to_numpy(), cf, 1.0)
        after, more = number(table, "biomass_after", after_default, 0.0, None,
                             "carbon in biomass after conversion [t C/ha]")
        failures += more
        failures += failing(np.isnan(after) & ~to_forest, "biomass_after",
                            "no default biomass after "
                            "conversion to this use (Tables 5.9, 6.4 by climate); "
                            "give biomass_after [t C/ha]")
        dom, more = number(table, "dom_before", 0.0, 0.0, None,
                           "dead organic matter before conversion [t C/ha]")
        failures += more
        # afforestation: the previous vegetation's carbon on the newly converted area
        before, more = number(table, "biomass_before", 0.0, 0.0, None,
                              "carbon in the previous vegetation [t C/ha]")
        failures += more
        converted, more = number(table, "converted_area", 0.0, 0.0, None,
                                 "area newly converted this year [ha]")
        failures += more
        amount = table["amount"].to_numpy(dtype=float)
        over = np.flatnonzero(to_forest & (converted > amount))
        if len(over):
            failures.append(Failure(over, "converted_area", "more newly converted than the "
                                    "area in the conversion category"))
        soc_loss, soc_failures = _soil_change(table, ctx, new_use, to_forest)
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
                "user": given(table, "agb_stock") | given(table, "agb_growth")
                | given(table, "biomass_after")}
    return ctx.remember("conversion.inputs", table, make)  # type: ignore[return-value]


def _soil_change(table: pd.DataFrame, ctx: Context, new_use: pd.Series,
                 to_forest: np.ndarray) -> tuple[np.ndarray, list[Failure]]:
    """Annual soil carbon loss [t C/yr] over the 20 years after conversion (Eq. 2.25)."""
    failures: list[Failure] = []
    n = len(table)
    soil = text_column(table, "soil_type")
    with_soil = ((soil != "").to_numpy() | given(table, "soc_before")) & ~to_forest
    if not with_soil.any():
        return np.zeros(n), failures
    region = text_column(table, "climate_region")
    ref_key, ref_ans = lookup(table, ctx, "soc_ref", "t/ha", activity=soil, variant=region,
                              category="3.B", required=("variant",))
    soc_ref, more = number(table, "soc_before", ref_ans["value"].to_numpy()[ref_key], 0.0,
                           None, "soil carbon under forest [t C/ha]")
    failures += more
    failures += failing(np.isnan(soc_ref) & with_soil, "soil_type",
                        "no SOC_REF (Table 2.3) for this soil "
                        "type and climate_region; give soc_before")
    factors = np.ones(n)
    crop = (new_use == "cropland").to_numpy()
    # F_MG and F_I only where the row says: without them the reference management of
    # Table 5.5 (full tillage, medium input, both 1) is the cropland's
    for parameter, column, default in (("f_lu", "land_use", "long_term_cultivated"),
                                       ("f_mg", "tillage", ""), ("f_i", "input_level", "")):
        level = text_column(table, column, default)
        key, ans = lookup(table, ctx, parameter, "dimensionless", activity=level,
                          variant=text_column(table, "moisture_regime"), category="3.B.2")
        value = np.where((level == "").to_numpy(), 1.0, ans["value"].to_numpy()[key])
        failures += failing(np.isnan(value) & with_soil & crop & ~given(table, "soc_after"), column,
                            f"no {parameter} (Table 5.5) for this "
                            "level and moisture_regime; give soc_after")
        factors = factors * np.where(crop, value, 1.0)
    default_after = np.where(crop, soc_ref * factors, np.nan)
    after, more = number(table, "soc_after", default_after, 0.0, None,
                         "soil carbon after conversion [t C/ha]")
    failures += more
    failures += failing(np.isnan(after) & with_soil & ~crop, "soc_after",
                        "soil carbon after conversion to this "
                        "use [t C/ha] required (Table 5.5 covers cropland only)")
    amount = table["amount"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        # Tier 1: forest soil carbon = SOC_REF (Vol 4 Ch 4); Eq. 2.25 over D = 20 years
        loss = np.where(with_soil, amount * (soc_ref - after) / SOC_YEARS, 0.0)
    return loss, failures


def _conversion_compute(table: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    p = _conversion_inputs(table, ctx)
    (stock_key, stock_ans), (growth_key, growth_ans) = p["keys"]
    to_forest = p["to_forest"]
    results, years = [], []
    for mask, key, ans in ((~to_forest, stock_key, stock_ans),
                           (to_forest, growth_key, growth_ans)):
        for tier_mask, tier in ((~p["user"], 1), (p["user"], 2)):
            rows = np.flatnonzero(mask & tier_mask)
            if len(rows):
                results.append(GasResult("CO2", p["co2_t"][rows] * 1000.0, key[rows],
                                         as_tier(ans, tier).assign(fossil=True), rows=rows))
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
    frame = gas_results(results)
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
                "plantation_species": str, "agb_growth": float, "agb_stock": float,
                "root_shoot": float, "carbon_fraction": float, "climate_domain": str,
                "climate": str, "biomass_after": float, "dom_before": float,
                "biomass_before": float, "converted_area": float, "soil_type": str,
                "climate_region": str, "moisture_regime": str, "land_use": str,
                "tillage": str, "input_level": str, "soc_before": float,
                "soc_after": float},
    description="Deforestation (Eq. 2.15, 2.16, Tables 4.7, 5.9, 6.4; soil carbon Eq. "
                "2.25, Tables 2.3, 5.5) and afforestation (growth, Tables 4.9, 4.10)",
)
