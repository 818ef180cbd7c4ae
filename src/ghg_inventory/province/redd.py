"""REDD+ results against a forest reference level, the land-use change matrix as activity
rows, and forest indicators (forest cover against the plan's 55 %, special-use forests).

REDD+ activities are read off the forestry rows of an inventory:

============== =====================================================================
REDD+ activity rows (category / activity)
============== =====================================================================
deforestation  3.B.2.b-3.B.6.b ``deforestation``
degradation    3.B.1.a ``wood_removals``, ``fuelwood``, ``disturbance``
enhancement    3.B.1.a ``forest_growth``, 3.B.1.b ``afforestation`` (removals, negative)
net_forest     3.B.1.a ``forest_stock_change`` (the stock-difference method gives the net
               change of forest remaining forest, not split by activity)
============== =====================================================================

The forest reference level (FREL/FRL) is the user's table of reference emissions per REDD+
activity, in t CO2 per year (removals negative), for every year or one value for all years:
columns ``activity``, ``reference_t_co2`` and optionally ``year``. The result per year and
activity is ``emissions_t_co2``, ``reference_t_co2`` and ``result_t_co2`` = reference -
emissions: positive for emission reductions and for removals beyond the reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ghg_inventory.errors import ActivityValidationError, Problem
from ghg_inventory.i18n.messages import msg
from ghg_inventory.inventory import Inventory
from ghg_inventory.numbers import NumberFormatSpec
from ghg_inventory.province.tables import read_table

REDD_ACTIVITIES = {"deforestation": "deforestation", "wood_removals": "degradation",
                   "fuelwood": "degradation", "disturbance": "degradation",
                   "forest_growth": "enhancement", "afforestation": "enhancement",
                   "forest_stock_change": "net_forest"}
LAND_CLASSES = ("forest", "cropland", "grassland", "wetlands", "settlements", "other_land")
#: The number columns of a forest areas table.
FOREST_NUMBERS = ("year", "area_ha")
#: Hectares in a square kilometre.
HA_PER_KM2 = 100.0
TO_CATEGORY = {"cropland": "3.B.2.b", "grassland": "3.B.3.b", "wetlands": "3.B.4.b",
               "settlements": "3.B.5.b", "other_land": "3.B.6.b"}


def _problem(frame: pd.DataFrame, i: int, column: str, message: str) -> Problem:
    value = frame[column].iloc[i] if column in frame else ""
    return Problem(str(frame["_file"].iloc[i]), int(frame["_row"].iloc[i]), column,
                   str(value), message)


def redd_emissions(inventory: Inventory) -> pd.DataFrame:
    """Forestry CO2 of an inventory by year and REDD+ activity [t CO2] (removals negative)."""
    e = inventory.emissions
    forest = e[e["category"].astype(str).str.startswith("3.B")
               & e["activity"].astype(str).isin(list(REDD_ACTIVITIES))]
    out = (forest.assign(redd_activity=forest["activity"].astype(str).map(REDD_ACTIVITIES))
           .groupby(["year", "redd_activity"], observed=True)["emissions_kg"].sum() / 1000.0)
    return out.rename("emissions_t_co2").reset_index().rename(
        columns={"redd_activity": "activity"})


def redd_results(inventory: Inventory, reference_level: str | Path | pd.DataFrame, *,
                 uncertainty: Mapping[str, Any] | None = None,
                 number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """Emission reductions and removals against a forest reference level.

    Parameters
    ----------
    inventory : Inventory
        Computed with the forestry rows of the period.
    reference_level : path or DataFrame
        ``activity`` (deforestation, degradation, enhancement, net_forest),
        ``reference_t_co2`` [t CO2/yr, removals negative], optional ``year``.
    uncertainty : mapping, optional
        Options of :func:`ghg_inventory.analysis.uncertainty.error_propagation` (factor and
        activity uncertainties); adds ``uncertainty_pct`` of the emissions of each year and
        activity (95 % half-width, IPCC 2006 Vol 1 Eq. 3.1, 3.2).
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text in the table(s) are read
        (:func:`ghg_inventory.province.tables.read_table`): ``"vi"`` reads ``12.000`` as
        12000.
        Without it a value that reads differently with a decimal point and with a decimal
        comma (``12.000``, ``1,500``) is refused, naming file, row, column and both
        readings, unless other values of its column settle the convention (``12,5``).

    Returns
    -------
    pandas.DataFrame
        Per year and activity, then a ``total`` row per year: ``emissions_t_co2``,
        ``reference_t_co2``, ``result_t_co2`` (reference - emissions).
    """
    ref = read_table(reference_level, "reference level", numbers=("reference_t_co2", "year"),
                     number_format=number_format)
    problems = []
    for column in ("activity", "reference_t_co2"):
        if column not in ref:
            problems.append(Problem(str(ref["_file"].iloc[0]) if len(ref) else "", None,
                                    column, "", msg("province.tables.column_missing")))
    if problems:
        raise ActivityValidationError(problems)
    known = set(REDD_ACTIVITIES.values())
    for i, value in enumerate(ref["activity"].astype(str)):
        if value not in known:
            problems.append(_problem(ref, i, "activity", msg(
                "province.redd.not_redd_activity", known=", ".join(sorted(known)))))
    values = pd.to_numeric(ref["reference_t_co2"], errors="coerce")
    problems += [_problem(ref, int(i), "reference_t_co2", msg("core.validation.not_a_number"))
                 for i in np.flatnonzero(values.isna().to_numpy())]
    if problems:
        raise ActivityValidationError(problems)
    ref = ref.assign(reference_t_co2=values)
    actual = redd_emissions(inventory)
    years = sorted(set(actual["year"]))
    grid = pd.MultiIndex.from_product([years, sorted(set(ref["activity"])
                                                     | set(actual["activity"]))],
                                      names=["year", "activity"]).to_frame(index=False)
    out = grid.merge(actual, on=["year", "activity"], how="left")
    out["emissions_t_co2"] = out["emissions_t_co2"].fillna(0.0)
    if "year" in ref and ref["year"].notna().any():
        by_year = ref.dropna(subset=["year"]).assign(year=lambda f: f["year"].astype(int))
        out = out.merge(by_year[["year", "activity", "reference_t_co2"]],
                        on=["year", "activity"], how="left")
    else:
        out = out.merge(ref[["activity", "reference_t_co2"]], on="activity", how="left")
    missing = out["reference_t_co2"].isna() & (out["emissions_t_co2"] != 0)
    if missing.any():
        raise ActivityValidationError([Problem(
            str(ref["_file"].iloc[0]), None, "activity", f"{r.activity} {r.year}",
            msg("province.redd.no_reference_level")) for r in
            out[missing].itertuples()])
    out["reference_t_co2"] = out["reference_t_co2"].fillna(0.0)
    out["result_t_co2"] = out["reference_t_co2"] - out["emissions_t_co2"]
    if uncertainty is not None:
        from ghg_inventory.analysis.uncertainty import error_propagation
        table = error_propagation(inventory, ["year", "activity"], **dict(uncertainty))
        table = table[table["activity"].astype(str).isin(list(REDD_ACTIVITIES))]
        table = table.assign(activity=table["activity"].astype(str).map(REDD_ACTIVITIES),
                             var=np.square(table["uncertainty_pct"] / 100 * table["co2e_kg"]))
        # independent sources within an activity: Eq. 3.2
        grouped = table.groupby(["year", "activity"]).agg(var=("var", "sum"),
                                                            kg=("co2e_kg", "sum"))
        pct = 100 * np.sqrt(grouped["var"]) / grouped["kg"].abs()
        out = out.merge(pct.rename("uncertainty_pct").reset_index(), on=["year", "activity"],
                        how="left")
    total = out.groupby("year", as_index=False)[["emissions_t_co2", "reference_t_co2",
                                                 "result_t_co2"]].sum()
    total["activity"] = "total"
    return pd.concat([out, total], ignore_index=True).sort_values(
        ["year", "activity"], key=lambda c: c.map(lambda v: (v == "total", v))
        if c.name == "activity" else c).reset_index(drop=True)


def land_use_change_activities(matrix: str | Path | pd.DataFrame,
                               areas: str | Path | pd.DataFrame | None = None, *,
                               number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """Activity rows of a land-use change matrix.

    Parameters
    ----------
    matrix : path or DataFrame
        ``commune, year, from_class, to_class, area_ha`` (classes: forest, cropland,
        grassland, wetlands, settlements, other_land) and any parameter columns of the
        forestry methods (``forest_type``, ``ecozone``, ``biomass_after``, ...), passed on.
    areas : path or DataFrame, optional
        ``commune, year, land_class, area_ha``: the area of each class at the start of the
        year, to check that no class loses more than it has.
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text in the table(s) are read
        (:func:`ghg_inventory.province.tables.read_table`): ``"vi"`` reads ``12.000`` as
        12000.
        Without it a value that reads differently with a decimal point and with a decimal
        comma (``12.000``, ``1,500``) is refused, naming file, row, column and both
        readings, unless other values of its column settle the convention (``12,5``).
        The parameter columns are read under it too.

    Returns
    -------
    pandas.DataFrame
        ``deforestation`` rows (forest to another use, under its conversion category) and
        ``afforestation`` rows (to forest, 3.B.1.b, with ``converted_area``).

    Raises
    ------
    ActivityValidationError
        Unknown classes, negative areas, conversions that involve no forest (not covered
        yet: refused, not dropped), from-areas above the class's area.
    """
    m = read_table(matrix, "land-use change matrix", numbers=("year", "area_ha"),
                   number_format=number_format)
    problems = []
    for column in ("commune", "year", "from_class", "to_class", "area_ha"):
        if column not in m:
            problems.append(Problem(str(m["_file"].iloc[0]) if len(m) else "", None, column,
                                    "", msg("province.tables.column_missing")))
    if problems:
        raise ActivityValidationError(problems)
    area = pd.to_numeric(m["area_ha"], errors="coerce")
    for i in range(len(m)):
        src, dst = str(m["from_class"].iloc[i]), str(m["to_class"].iloc[i])
        for column, value in (("from_class", src), ("to_class", dst)):
            if value not in LAND_CLASSES:
                problems.append(_problem(m, i, column, msg(
                    "province.redd.land_class", classes=", ".join(LAND_CLASSES))))
        if src in LAND_CLASSES and dst in LAND_CLASSES and "forest" not in (src, dst):
            problems.append(_problem(m, i, "to_class", msg("province.redd.no_forest_side")))
        if src == dst and src == "forest":
            problems.append(_problem(m, i, "to_class", msg("province.redd.forest_remaining")))
        if not area.iloc[i] >= 0:
            problems.append(_problem(m, i, "area_ha", msg("province.redd.negative_area")))
    if areas is not None and not problems:
        a = read_table(areas, "land areas", numbers=("year", "area_ha"),
                       number_format=number_format)
        have = a.groupby(["commune", "year", "land_class"])["area_ha"].sum()
        lost = m.assign(area_ha=area).groupby(["commune", "year", "from_class"])[
            "area_ha"].sum()
        for (commune, year, land), value in lost.items():
            available = have.get((commune, year, land), np.nan)
            if not value <= available * (1 + 1e-9):
                i = int(np.flatnonzero(((m["commune"] == commune) & (m["year"] == year)
                                        & (m["from_class"] == land)).to_numpy())[0].item())
                problems.append(_problem(m, i, "area_ha", msg(
                    "province.redd.area_exceeds", area=value, land=land, commune=commune,
                    year=year, available=available)))
    if problems:
        raise ActivityValidationError(problems)
    rows = m.assign(area_ha=area)
    to_forest = (rows["to_class"] == "forest").to_numpy()
    out = rows.assign(
        category=np.where(to_forest, "3.B.1.b", rows["to_class"].map(TO_CATEGORY)),
        activity=np.where(to_forest, "afforestation", "deforestation"),
        amount=rows["area_ha"], unit="ha",
        facility_id="LUC-" + rows["commune"].astype(str))
    out.loc[to_forest, "converted_area"] = rows.loc[to_forest, "area_ha"]
    return out.drop(columns=["area_ha", "_file", "_row"])


def forest_cover(forest: str | Path | pd.DataFrame,
                 natural_area: str | Path | pd.DataFrame, *,
                 target_pct: float | None = None,
                 number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """Forest cover [%] = forest area / natural area, per commune and for the province.

    Parameters
    ----------
    forest : path or DataFrame
        ``commune, year, area_ha`` of forest (any further key, e.g. ``forest_type``, is
        summed over).
    natural_area : path or DataFrame
        ``name_vi`` (or ``commune``), ``level`` (``province``/``commune``),
        ``natural_area_km2``.
    target_pct : float, optional
        Target (e.g. 55 for the province plan); adds ``gap_pct`` = cover - target.
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text in the table(s) are read
        (:func:`ghg_inventory.province.tables.read_table`): ``"vi"`` reads ``12.000`` as
        12000.
        Without it a value that reads differently with a decimal point and with a decimal
        comma (``12.000``, ``1,500``) is refused, naming file, row, column and both
        readings, unless other values of its column settle the convention (``12,5``).

    Returns
    -------
    pandas.DataFrame
        ``year, commune, forest_ha, natural_area_ha, cover_pct`` with a province row per
        year (``commune`` = the province's name).
    """
    f = read_table(forest, "forest areas", numbers=FOREST_NUMBERS, number_format=number_format)
    n = read_table(natural_area, "natural areas", numbers=("natural_area_km2",),
                   number_format=number_format)
    name = "commune" if "commune" in n else "name_vi"
    n = n.assign(natural_area_ha=n["natural_area_km2"] * HA_PER_KM2)
    communes = n[n["level"] == "commune"].set_index(name)["natural_area_ha"].dropna()
    province = n[n["level"] == "province"]
    unknown = sorted(set(f["commune"]) - set(communes.index))
    if unknown:
        raise ActivityValidationError([_problem(f, int(np.flatnonzero(
            (f["commune"] == c).to_numpy())[0]), "commune",
            msg("province.redd.no_natural_area")) for c in unknown])
    by = f.groupby(["year", "commune"], as_index=False)["area_ha"].sum().rename(
        columns={"area_ha": "forest_ha"})
    by["natural_area_ha"] = by["commune"].map(communes)
    rows = [by]
    if len(province):
        total = by.groupby("year", as_index=False)["forest_ha"].sum()
        total["commune"] = str(province[name].iloc[0])
        total["natural_area_ha"] = float(province["natural_area_ha"].iloc[0])
        rows.append(total)
    out = pd.concat(rows, ignore_index=True)
    out["cover_pct"] = 100.0 * out["forest_ha"] / out["natural_area_ha"]
    if target_pct is not None:
        out["target_pct"] = target_pct
        out["gap_pct"] = out["cover_pct"] - target_pct
    return out[["year", "commune", "forest_ha", "natural_area_ha", "cover_pct",
                *(["target_pct", "gap_pct"] if target_pct is not None else [])]]


def forest_area_change(forest: str | Path | pd.DataFrame, start: int, end: int, *,
                       by: str = "forest_type",
                       number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """Net change of forest area by type (or function) between two years [ha].

    Parameters
    ----------
    forest : path or DataFrame
        ``year``, ``area_ha`` [ha] and the column ``by``.
    start, end : int
        The two years.
    by : str
        The column to group by (``forest_type``, ``function``).
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text in the table(s) are read
        (:func:`ghg_inventory.province.tables.read_table`): ``"vi"`` reads ``12.000`` as
        12000.
        Without it a value that reads differently with a decimal point and with a decimal
        comma (``12.000``, ``1,500``) is refused, naming file, row, column and both
        readings, unless other values of its column settle the convention (``12,5``).

    Returns
    -------
    pandas.DataFrame
        ``<by>``, ``area_<start>_ha``, ``area_<end>_ha``, ``change_ha`` [ha].
    """
    f = read_table(forest, "forest areas", numbers=FOREST_NUMBERS, number_format=number_format)
    table = f.pivot_table(index=by, columns="year", values="area_ha", aggfunc="sum")
    for year in (start, end):
        if year not in table.columns:
            raise ActivityValidationError([Problem(str(f["_file"].iloc[0]), None, "year",
                                                   str(year),
                                                   msg("province.redd.no_forest_year"))])
    out = table[[start, end]].fillna(0.0).rename(columns={start: f"area_{start}_ha",
                                                          end: f"area_{end}_ha"})
    out["change_ha"] = out[f"area_{end}_ha"] - out[f"area_{start}_ha"]
    return out.reset_index()


def special_use_forest(forest: str | Path | pd.DataFrame, *,
                       target_ha: float | None = None,
                       number_format: NumberFormatSpec = None) -> pd.DataFrame:
    """Area of special-use forest per year (rows whose ``function`` is ``special_use``)
    against the plan's area to keep.

    Parameters
    ----------
    forest : path or DataFrame
        ``year``, ``function``, ``area_ha`` [ha].
    target_ha : float, optional
        The area to keep [ha] (default: ``special_use_forest_area`` of the plan targets,
        41,275 ha).
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text in the table(s) are read
        (:func:`ghg_inventory.province.tables.read_table`): ``"vi"`` reads ``12.000`` as
        12000.
        Without it a value that reads differently with a decimal point and with a decimal
        comma (``12.000``, ``1,500``) is refused, naming file, row, column and both
        readings, unless other values of its column settle the convention (``12,5``).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``area_ha``, ``target_ha`` [ha] and ``kept`` (area >= target).
    """
    f = read_table(forest, "forest areas", numbers=FOREST_NUMBERS, number_format=number_format)
    if "function" not in f:
        raise ActivityValidationError([Problem(str(f["_file"].iloc[0]) if len(f) else "",
                                               None, "function", "",
                                               msg("province.redd.function_required"))])
    if target_ha is None:
        from ghg_inventory.province.indicators import plan_targets
        target_ha = float(plan_targets().loc["special_use_forest_area", "value"])
    special = f[f["function"].astype(str) == "special_use"]
    out = special.groupby("year", as_index=False)["area_ha"].sum()
    out["target_ha"] = target_ha
    out["kept"] = out["area_ha"] >= target_ha
    return out
