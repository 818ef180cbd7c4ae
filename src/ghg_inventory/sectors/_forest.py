"""What the forest methods (forest land remaining, land conversion) share: the forest
biomass of a row (IPCC 2006 Vol 4 Ch 4: carbon fraction of Table 4.3, root-to-shoot ratio of
Table 4.4, stock of Table 4.7, growth of Tables 4.9 and 4.10, BCEF of Table 4.5), from the
row or the factor tables, with its bad cells as failures.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Context, Failure
from ghg_inventory.sectors._inputs import (
    as_tier,
    choice,
    failing,
    given,
    lookup,
    lookup_first,
    number,
    text_column,
)


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
    # bounded classes last: their upper limit is theirs, not the "> limit" class's
    # (Table 4.4 temperate: "75-150" holds 150, "> 150" starts above it)
    return sorted(out, key=lambda c: bool(np.isfinite(c[1]) and np.isfinite(c[2])))


#: Forest origins of the 2019 Refinement's Tables 4.4, 4.7 and 4.9 (Updated): primary
#: forest, secondary forest older than 20 years or of 20 years or less, plantations
#: (Table 4.4 only; their stock and growth are Tables 4.8 and 4.10)
ORIGINS = ("primary", "secondary_gt20", "secondary_le20", "planted")


def origin_keys(table: pd.DataFrame, ctx: Context, failures: list[Failure]
                ) -> tuple[pd.Series, pd.Series]:
    """Under ``guidelines="2019"``: the row's continent as the Refinement's tables name
    it (Asia is one continent there, not continental and insular) and its
    ``forest_origin``; both empty under 2006 (the 2006 tables have no origin)."""
    origin, more = choice(table, "forest_origin", ORIGINS,
                          what=msg("sectors.forest_biomass.what_origin"))
    failures += more
    blank = pd.Series("", index=table.index, dtype=object)
    if ctx.guidelines != "2019":
        return blank, blank
    continent = text_column(table, "continent", "asia_continental").replace(
        {"asia_continental": "asia", "asia_insular": "asia"})
    return continent, origin


def _refined_key(continent: pd.Series, origin: pd.Series) -> pd.Series:
    """``<continent>_<origin>``, the variant of Tables 4.7 and 4.9 (Updated); empty
    without an origin."""
    return pd.Series(np.where((origin != "").to_numpy(), continent + "_" + origin, ""),
                     index=origin.index)


def _refined_failure(needed: np.ndarray, origin: pd.Series, table_name: str,
                     give: str) -> list[Failure]:
    """Under 2019, the rows of ``needed`` without a value: say which key is missing
    (``table_name``: the number of the Refinement's table, ``"4.7"``)."""
    no_origin = needed & (origin == "").to_numpy()
    other = needed & ~no_origin
    return (failing(no_origin, "forest_origin",
                    msg("sectors.forest_biomass.refined_no_origin", table=table_name,
                        origins=", ".join(ORIGINS), give=give))
            + failing(other, "forest_origin",
                      msg("sectors.forest_biomass.refined_not_shipped", table=table_name,
                          give=give)))


def root_shoot_column(table: pd.DataFrame, ctx: Context, ecozone: pd.Series, agb: np.ndarray,
                      failures: list[Failure], needed: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """R of Table 4.4 for the ecozone and the stand's above-ground biomass class.

    A row that needs R (``needed``) and has neither ``root_shoot`` nor a default is
    refused, saying why: an ecozone without a Table 4.4 value, or one whose value depends
    on a biomass class the row does not settle.
    """
    t = ctx.factors.table
    records = t[t["parameter"] == "root_shoot"]
    variant = pd.Series("", index=table.index, dtype=object)
    class_names: dict[str, list[str]] = {}
    # under 2019, Table 4.4 (Updated) is by continent and natural/planted forest too:
    # its classes are <continent>_<natural|planted>_agb_lt_125 ...
    continent, origin = origin_keys(table, ctx, failures)
    kind = pd.Series(np.where(origin == "planted", "planted", "natural"), index=table.index)
    prefix = pd.Series(np.where((origin != "").to_numpy(), continent + "_" + kind + "_", ""),
                       index=table.index)
    refined = ctx.guidelines == "2019"
    for zone, pre in pd.MultiIndex.from_arrays([ecozone, prefix]).unique():
        rows = ((ecozone == zone) & (prefix == pre)).to_numpy()
        names = records.loc[records["activity"] == zone, "variant"].astype(str)
        if refined:
            names = names[names.str.startswith(pre)].str[len(pre):] if pre else names[:0]
        classes = _classes(names)
        class_names[str(zone)] = [pre + name for name, _, _ in classes]
        for name, low, high in classes:
            # "< 125" and "> 125" t/ha in Table 4.4: the limit itself goes to the upper class
            inside = rows & (agb >= low) & (agb < high)
            variant[inside] = pre + name
    key, ans = lookup(table, ctx, "root_shoot", "dimensionless", activity=ecozone,
                      variant=variant, category="3.B.1")
    value, more = number(table, "root_shoot", ans["value"].to_numpy()[key], 0.0, None,
                         msg("sectors.forest_biomass.what_root_shoot"))
    failures += more
    lacking = np.isnan(value) & needed
    if lacking.any() and refined:
        failures += failing(lacking, "root_shoot",
                            msg("sectors.forest_biomass.refined_no_root_shoot",
                                origins=", ".join(ORIGINS)))
    elif lacking.any():
        with_default = ", ".join(sorted(set(records["activity"].astype(str))))
        why: dict[str, str] = {}
        for zone in pd.unique(ecozone[lacking]):
            zone = str(zone)
            if not zone:
                why[zone] = msg("sectors.forest_biomass.no_ecozone", zones=with_default)
            elif class_names.get(zone):
                why[zone] = msg("sectors.forest_biomass.root_shoot_class", zone=zone,
                                classes=", ".join(class_names[zone]))
            else:
                why[zone] = msg("sectors.forest_biomass.no_root_shoot", zone=zone,
                                zones=with_default)
        positions = np.flatnonzero(lacking)
        failures.append(Failure(positions, "root_shoot",
                                [why[str(z)] for z in ecozone.to_numpy()[positions]]))
    return value, key, ans


def forest_stock_column(table: pd.DataFrame, ctx: Context, failures: list[Failure],
                        needed: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, pd.Series]:
    """Above-ground biomass [t DM/ha]: the row's, its forest type's (user override table)
    or Table 4.7's for ecozone and continent."""
    forest_type = text_column(table, "forest_type")
    ecozone = text_column(table, "ecozone")
    continent = text_column(table, "continent", "asia_continental")
    typed = (forest_type != "").to_numpy()
    # (a bad forest_origin is reported once, by root_shoot_column)
    refined_continent, origin = origin_keys(table, ctx, [])
    place = _refined_key(refined_continent, origin) if ctx.guidelines == "2019" else continent
    key, ans = lookup(table, ctx, "agb_stock", "t/ha", category="3.B.1",
                      activity=pd.Series(np.where(typed, forest_type, ecozone),
                                         index=table.index),
                      variant=pd.Series(np.where(typed, "", place), index=table.index))
    value, more = number(table, "agb_stock", ans["value"].to_numpy()[key], 0.0, None,
                         msg("sectors.forest_biomass.what_agb_stock"))
    failures += more
    failures += failing(np.isnan(value) & needed & typed, "forest_type",
                        msg("sectors.forest_biomass.no_type_stock"))
    if ctx.guidelines == "2019":
        failures += _refined_failure(np.isnan(value) & needed & ~typed, origin,
                                     "4.7", "agb_stock")
    else:
        failures += failing(np.isnan(value) & needed & ~typed, "ecozone",
                            msg("sectors.forest_biomass.no_stock"))
    return value, key, ans, ecozone


def plantation_region(continent: pd.Series) -> pd.Series:
    """The continent as Table 4.10 names it (Africa, Americas, Asia) from the row's
    Table 4.7/4.9 continent key (``asia_continental``, ``north_and_south_america`` ...)."""
    first = continent.str.split("_").str[0]
    america = continent.str.contains("america")
    return pd.Series(np.where(america, "americas", first), index=continent.index)


def growth_column(table: pd.DataFrame, ctx: Context, failures: list[Failure],
                  needed: np.ndarray, default_age: str = "gt20"
                  ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """G_W [t DM/ha/yr]: the row's, the forest type's, Table 4.10 or Table 4.9.

    ``default_age`` is the Table 4.9 age class of a row without ``age_class``: stands
    older than 20 years for forest land remaining forest land, young stands (``le20``)
    for land converted to forest land (Vol 4 Ch 4, Section 4.3.1).
    """
    forest_type = text_column(table, "forest_type")
    ecozone = text_column(table, "ecozone")
    continent = text_column(table, "continent", "asia_continental")
    species = text_column(table, "plantation_species")
    age, more = choice(table, "age_class", ("le20", "gt20"), default=default_age,
                       what=msg("sectors.forest_biomass.what_age_class"))
    failures += more
    typed = (forest_type != "").to_numpy()
    planted = (species != "").to_numpy()
    # Table 4.9 by continent and age class; under 2019, Table 4.9 (Updated) by continent
    # and forest origin (primary, secondary older than 20 years or not)
    # (a bad forest_origin is reported once, by root_shoot_column)
    refined_continent, origin = origin_keys(table, ctx, [])
    place = (_refined_key(refined_continent, origin) if ctx.guidelines == "2019"
             else continent + "_" + age)
    natural_key, natural = lookup(table, ctx, "agb_growth", "t/ha/year", category="3.B.1",
                                  activity=pd.Series(np.where(typed, forest_type, ecozone),
                                                     index=table.index),
                                  variant=pd.Series(np.where(typed, "", place),
                                                    index=table.index))
    region = plantation_region(continent)
    # Table 4.10: the species' row (with the age class where printed), else the
    # continent's "other" row (species other than those printed), else the continent's
    # row for all species
    plant_key, plant = lookup_first(
        table, ctx, "agb_growth_plantation", "t/ha/year", category="3.B.1",
        activity=ecozone,
        variants=[region + "_" + species + "_" + age, region + "_" + species,
                  region + "_other_" + age, region + "_other", region])
    default = np.where(planted, plant["value"].to_numpy()[plant_key],
                       natural["value"].to_numpy()[natural_key])
    value, more = number(table, "agb_growth", default, 0.0, None,
                         msg("sectors.forest_biomass.what_agb_growth"))
    failures += more
    if ctx.guidelines == "2019":
        failures += failing(np.isnan(value) & needed & (typed | planted), "agb_growth",
                            msg("sectors.forest_biomass.no_plantation_growth"))
        failures += _refined_failure(np.isnan(value) & needed & ~typed & ~planted, origin,
                                     "4.9", "agb_growth")
    else:
        failures += failing(np.isnan(value) & needed, "agb_growth",
                            msg("sectors.forest_biomass.no_growth"))
    # provenance: the plantation record where used
    answer = pd.concat([natural, plant], ignore_index=True)
    key = np.where(planted, plant_key + len(natural), natural_key)
    return value, key, answer


#: Climatic zones that Table 4.5 prints in one row with another ("Mediterranean, dry
#: tropical, subtropical"): the zone whose records they read
SHARED_BCEF_ZONES = {"dry_tropical": "mediterranean", "subtropical": "mediterranean"}


def _stock_upper(variant: str) -> float:
    """Upper limit [m3/ha] of a Table 4.5 growing-stock class: ``gs_le20`` 20,
    ``gs_21_40`` 40, ``gs_gt200`` infinity; NaN for another name."""
    m = re.fullmatch(r"gs_(?:le(\d+)|\d+_(\d+)|gt\d+)", variant)
    if not m:
        return np.nan
    limit = m.group(1) or m.group(2)
    return float(limit) if limit else np.inf


def bcef_column(table: pd.DataFrame, ctx: Context, failures: list[Failure],
                parameter: str = "bcef_r") -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """BCEF of Table 4.5 [t d.m./m3] for the row's climatic zone (``bcef_zone``), forest
    type (``bcef_forest_type``) and growing-stock class: ``growing_stock_class`` as
    printed (``gs_le20``, ``gs_21_40`` ...), or the class that holds ``growing_stock``
    [m3/ha] (a class holds its upper limit: 40 m3/ha is in 21-40). Table 4.5 prints one
    row for "Mediterranean, dry tropical, subtropical": ``dry_tropical`` and
    ``subtropical`` read the ``mediterranean`` records; ``humid_tropical`` has its own
    (``conifers``, ``natural_forests``). NaN where Table 4.5 has no record for the row."""
    zone = text_column(table, "bcef_zone").replace(SHARED_BCEF_ZONES)
    kind = text_column(table, "bcef_forest_type")
    both = ((zone != "") & (kind != "")).to_numpy()
    activity = pd.Series(np.where(both, zone + "_" + kind, ""), index=table.index)
    stock, more = number(table, "growing_stock", np.nan, 0.0, None,
                         msg("sectors.forest_biomass.what_growing_stock"))
    failures += more
    variant = text_column(table, "growing_stock_class").astype(object)
    t = ctx.factors.table
    records = t[t["parameter"] == parameter]
    open_rows = (variant == "").to_numpy() & ~np.isnan(stock)
    for act in pd.unique(activity[open_rows]):
        rows = open_rows & (activity == act).to_numpy()
        names = pd.unique(records.loc[records["activity"] == act, "variant"].astype(str))
        # the largest class first, so that the smallest class holding the stock is last
        for name in sorted(names, key=_stock_upper, reverse=True):
            upper = _stock_upper(name)
            if not np.isnan(upper):
                variant[rows & (stock <= upper)] = name
    key, ans = lookup(table, ctx, parameter, "t/m**3", activity=activity,
                      variant=pd.Series(variant, index=table.index), category="3.B.1",
                      required=("variant",))
    return ans["value"].to_numpy()[key], key, ans


def carbon_fraction_column(table: pd.DataFrame, ctx: Context, failures: list[Failure]
                           ) -> tuple[np.ndarray, np.ndarray]:
    """CF of Table 4.3 (or the row's), and the id of the record used on each row."""
    key, ans = lookup(table, ctx, "carbon_fraction", "dimensionless", category="3.B.1",
                      activity=pd.Series("wood", index=table.index),
                      variant=text_column(table, "climate_domain", "tropical_subtropical"),
                      required=("variant",))
    value, more = number(table, "carbon_fraction", ans["value"].to_numpy()[key], 0.0, 1.0,
                         msg("sectors.forest_biomass.what_carbon_fraction"))
    failures += more
    failures += failing(np.isnan(value), "carbon_fraction",
                        msg("sectors.forest_biomass.no_carbon_fraction"))
    return value, record_ids(table, "carbon_fraction", key, ans)


def record_ids(table: pd.DataFrame, column: str, key: np.ndarray, answer: pd.DataFrame
               ) -> np.ndarray:
    """Per row, the id of the factor record a default came from; empty where the row gives
    ``column`` itself or no record matched."""
    ids = answer["factor_id"].fillna("").astype(str).to_numpy(dtype=object)[key]
    return np.where(given(table, column), "", ids).astype(object)


def auxiliary_ids(*columns: np.ndarray) -> pd.Categorical:
    """The ids of the other records each row used (R, CF, the biomass after conversion
    ...), joined with ``;`` in the order given, for ``auxiliary_factor_ids``."""
    joined = [";".join(i for i in ids if i) for ids in zip(*columns, strict=True)]
    codes, categories = pd.factorize(np.asarray(joined, dtype=object))
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=categories)


def own_values(key: np.ndarray, answer: pd.DataFrame, own: np.ndarray, tier: int
               ) -> tuple[np.ndarray, pd.DataFrame]:
    """Provenance of a group of rows: the record where it gave the number, and no record
    (``user-supplied``, no edition) where the row gave its own value instead (``own``:
    its growth, stock or R), so that a row never names a record, or its edition, that
    did not produce its number."""
    nothing = pd.DataFrame({c: [np.nan] for c in answer.columns}).astype(object)
    stacked = pd.concat([answer.reset_index(drop=True), nothing], ignore_index=True)
    return np.where(own, len(answer), key), as_tier(stacked, tier)
