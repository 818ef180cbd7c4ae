"""What-if scenarios for the waste targets of the province plan: the emissions of solid waste
and wastewater, year by year, when collection and treatment move from today's split to the
plan's (95 % of urban and 90 % of rural solid waste collected and treated; wastewater of
every urban area and industrial cluster treated by 2030).

A scenario is data: a table with, per scenario, commune and year, the waste generated and
the shares going to each pathway. The years between two given years are interpolated
linearly (the last given year holds until ``until``). Every pathway becomes activity rows
of the sector methods, so the emissions follow the IPCC equations and factors of
:mod:`ghg_inventory.sectors.solid_waste` and :mod:`~ghg_inventory.sectors.wastewater`,
including the first-order decay of what is landfilled or dumped: waste landfilled in 2028
emits mostly after 2030, so the path matters, not only the end point.

Solid waste table (CSV, Excel or DataFrame), one row per scenario, commune and year given:

========== ====================================================================
column     meaning
========== ====================================================================
scenario   name, e.g. ``baseline``, ``plan``
commune    commune or ward (a site per commune and pathway: FOD is linear, so
           the province's total is the same as one site's)
year       year
generated  waste generated in the year [t]
landfill   share to a sanitary landfill (``landfill_site_type``)
composting share composted (its organic part: see ``composition``)
open_burning share burnt in the open
dumped     share dumped (``dump_site_type``)
other      share recycled or otherwise without emissions here
========== ====================================================================

The shares of a row sum to 1. Wastewater table: ``scenario``, ``commune``, ``year``,
``population`` and one share column per treatment pathway of Table 6.3 (e.g.
``septic_system``, ``centralized_aerobic_well_managed``, ``sea_river_lake_discharge``),
summing to 1; any further column (``protein``, ``f_non_con``, ``i_factor`` ...) is passed
to the wastewater method as a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ghg_inventory.errors import ActivityValidationError, Problem
from ghg_inventory.i18n.messages import msg
from ghg_inventory.numbers import NumberFormat, NumberFormatSpec, as_number_format, read_numbers
from ghg_inventory.province.tables import text_cells
from ghg_inventory.readers import read_activities

SOLID_PATHWAYS = ("landfill", "composting", "open_burning", "dumped", "other")
#: waste types deposited in a SWDS (those with a DOC and a k, Tables 2.4 and 3.3)
DEGRADABLE = ("food", "garden", "paper", "wood", "textiles", "nappies")
KEYS = ("scenario", "commune", "year")
#: Table 2.4 prints no carbon content for metal and glass ("-"): burning them releases no
#: CO2, while their mass still counts for the CH4 and N2O factors per t of waste burnt.
CARBON_FREE = ("metal", "glass")
FILE_COL, ROW_COL = "source_file", "source_row"


def _read(table: str | Path | pd.DataFrame, fmt: NumberFormat | None) -> pd.DataFrame:
    return read_activities(table, number_format=fmt)


def _problems(table: pd.DataFrame, mask: np.ndarray, column: str, message: str
              ) -> list[Problem]:
    rows = np.flatnonzero(mask)
    return [Problem(str(table[FILE_COL].iloc[i]), int(table[ROW_COL].iloc[i]), column,
                    str(table[column].iloc[i]) if column in table else "", message)
            for i in rows]


def _validated(table: pd.DataFrame, shares: list[str], amount: str,
               fmt: NumberFormat | None) -> pd.DataFrame:
    problems: list[Problem] = []
    for column in [*KEYS, amount, *shares]:
        if column not in table:
            problems.append(Problem(str(table[FILE_COL].iloc[0]) if len(table) else "",
                                    None, column, "", msg("province.tables.column_missing")))
    if problems:
        raise ActivityValidationError(problems)
    # numbers written as text read under the declared format, ambiguous ones refused
    out = read_numbers(table, ["year", amount, *shares], fmt, file_col=FILE_COL,
                       row_col=ROW_COL).copy()
    for column in ("scenario", "commune"):
        text = out[column].astype("string").str.strip()
        problems += _problems(out, (text.isna() | (text == "")).to_numpy(), column,
                              msg("province.scenarios.required"))
        out[column] = text.astype(object)
    for column in ["year", amount, *shares]:
        # numbers now; what is left as text is no number in any format
        values = pd.to_numeric(out[column].where(~text_cells(out[column])), errors="coerce")
        problems += _problems(out, values.isna().to_numpy(), column,
                              msg("core.validation.not_a_number"))
        out[column] = values
    problems += _problems(out, (out[amount] < 0).to_numpy(), amount,
                          msg("core.validation.negative"))
    for column in shares:
        problems += _problems(out, ((out[column] < 0) | (out[column] > 1)).to_numpy(),
                              column, msg("province.scenarios.share_range"))
    total = out[shares].sum(axis=1, min_count=len(shares)).to_numpy()
    bad = ~np.isnan(total) & (np.abs(total - 1.0) > 1e-6)
    problems += [Problem(str(out[FILE_COL].iloc[i]), int(out[ROW_COL].iloc[i]),
                         ",".join(shares), f"{total[i]:g}",
                         msg("province.scenarios.shares_sum_row")) for i in np.flatnonzero(bad)]
    duplicated = out.duplicated(list(KEYS), keep=False).to_numpy()
    problems += _problems(out, duplicated, "year", msg("province.scenarios.duplicate"))
    if problems:
        raise ActivityValidationError(problems)
    out["year"] = out["year"].astype(int)
    return out


def _yearly(table: pd.DataFrame, columns: list[str], until: int) -> pd.DataFrame:
    """One row per scenario, commune and year, interpolated linearly between given years and
    held after the last one up to ``until``."""
    frames = []
    for (scenario, commune), group in table.groupby(["scenario", "commune"], sort=True):
        group = group.sort_values("year")
        years = np.arange(int(group["year"].min()), max(until, int(group["year"].max())) + 1)
        frame = pd.DataFrame({"scenario": scenario, "commune": commune, "year": years})
        for column in columns:
            frame[column] = np.interp(years, group["year"].to_numpy(),
                                      group[column].to_numpy(dtype=float))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def solid_waste_activities(yearly: pd.DataFrame, composition: Mapping[str, float], *,
                           climate_zone: str, landfill_site_type: str = "managed_anaerobic",
                           dump_site_type: str = "unmanaged_shallow",
                           open_burning: Mapping[str, float] | None = None
                           ) -> pd.DataFrame:
    """Activity rows (4.A, 4.B, 4.C.2) of yearly solid waste pathways.

    Parameters
    ----------
    yearly : pandas.DataFrame
        ``scenario, commune, year, generated`` [t] and the shares of ``SOLID_PATHWAYS``.
    composition : mapping
        Shares of the wet waste by Table 2.4 type (``food``, ``paper``, ``plastics`` ...),
        summing to 1: a commune's survey or a regional default of Table 2.3.
    climate_zone : str
        Table 3.3 zone of the disposal sites.
    landfill_site_type, dump_site_type : str
        Table 3.1 site types of the landfill and of dumping.
    open_burning : mapping, optional
        Parameter columns of the open-burning rows (e.g. ``oxidation_factor``, ``ef_n2o``)
        where the factor tables have no verified default.

    Returns
    -------
    pandas.DataFrame
        An activity table for :func:`ghg_inventory.compute`, with ``scenario``.
    """
    share_sum = sum(composition.values())
    if abs(share_sum - 1.0) > 1e-6:
        raise ActivityValidationError([Problem("composition", None, "composition",
                                               f"{share_sum:g}",
                                               msg("province.scenarios.composition_sum"))])
    base = {"unit": "t"}
    parts = []
    for waste, share in composition.items():
        for pathway, site_type, prefix in (("landfill", landfill_site_type, "SWDS"),
                                           ("dumped", dump_site_type, "DUMP")):
            if waste not in DEGRADABLE:
                continue  # inert in a SWDS: no DOC (Table 2.4)
            part = yearly.assign(**base, category="4.A", activity=waste,
                                 amount=yearly["generated"] * yearly[pathway] * share,
                                 site_type=site_type, climate_zone=climate_zone)
            part["facility_id"] = prefix + "-" + part["commune"].astype(str)
            parts.append(part)
        inert = {"total_carbon": 0.0, "fossil_carbon_fraction": 0.0} \
            if waste in CARBON_FREE else {}
        burnt = yearly.assign(**base, category="4.C.2", activity=waste,
                              amount=yearly["generated"] * yearly["open_burning"] * share,
                              **dict(open_burning or {}), **inert)
        burnt["facility_id"] = "BURN-" + burnt["commune"].astype(str)
        parts.append(burnt)
    organic = sum(s for w, s in composition.items() if w in ("food", "garden"))
    compost = yearly.assign(**base, category="4.B", activity="composting",
                            amount=yearly["generated"] * yearly["composting"] * organic)
    compost["facility_id"] = "COMPOST-" + compost["commune"].astype(str)
    parts.append(compost)
    table = pd.concat(parts, ignore_index=True)
    return table.drop(columns=[*SOLID_PATHWAYS, "generated"])


def wastewater_activities(yearly: pd.DataFrame, pathways: list[str]) -> pd.DataFrame:
    """Activity rows (4.D.1) of yearly wastewater pathway shares: population x share."""
    parts = []
    for pathway in pathways:
        part = yearly.assign(category="4.D.1", activity="domestic_wastewater", unit="person",
                             amount=yearly["population"] * yearly[pathway],
                             treatment_pathway=pathway)
        part["facility_id"] = "WW-" + part["commune"].astype(str)
        parts.append(part[part["amount"] > 0])
    return pd.concat(parts, ignore_index=True).drop(columns=[*pathways, "population"])


def waste_scenarios(solid: str | Path | pd.DataFrame | None = None, *,
                    wastewater: str | Path | pd.DataFrame | None = None,
                    composition: Mapping[str, float] | None = None,
                    climate_zone: str = "tropical_wet",
                    landfill_site_type: str = "managed_anaerobic",
                    dump_site_type: str = "unmanaged_shallow",
                    open_burning: Mapping[str, float] | None = None,
                    history: str | Path | pd.DataFrame | None = None,
                    until: int = 2030, baseline: str = "baseline", gwp: str = "AR5",
                    number_format: NumberFormatSpec = None,
                    **compute_options: Any) -> pd.DataFrame:
    """Emissions of waste scenarios per year, gas and scenario, and their change against
    the baseline.

    Parameters
    ----------
    solid : path or DataFrame, optional
        Solid waste scenario table (see the module docstring).
    wastewater : path or DataFrame, optional
        Wastewater scenario table.
    composition : mapping
        Waste composition by Table 2.4 type, shares of wet weight (required with ``solid``).
    climate_zone, landfill_site_type, dump_site_type : str
        Table 3.3 zone and Table 3.1 site types.
    open_burning : mapping, optional
        Parameters of open burning the factor tables lack (``oxidation_factor``, ``ef_n2o``).
    history : path or DataFrame, optional
        Activity rows of what was deposited before the scenarios start (4.A), the same for
        every scenario: past deposits keep emitting.
    until : int
        Last year of the path.
    baseline : str
        Scenario the others are compared with.
    gwp : str
        GWP set of ``co2e_kg``.
    number_format : NumberFormat, {"vi", "en"}, mapping or None
        How numbers written as text in the scenario tables and ``history`` are read (see
        :func:`ghg_inventory.read_activities`): ``"vi"`` reads ``12.000`` t as 12000 t.
        Without it a value that reads differently with a decimal point and with a decimal
        comma (``12.000``, ``1,500``; not ``0.70``) is refused, naming file, row, column
        and both readings, unless other values of its column settle the convention.
    **compute_options
        Passed to :func:`ghg_inventory.compute` (``factors``, ``guidelines``).

    Returns
    -------
    pandas.DataFrame
        ``scenario, year, gas, emissions_kg, co2e_kg, change_co2e_kg`` (against the
        baseline's same year and gas), years from the first scenario year to ``until``.
        Biogenic CO2 (a memo) is left out.
    """
    from ghg_inventory.api import compute

    fmt = as_number_format(number_format)
    tables = []
    first_year = []
    if solid is not None:
        if composition is None:
            raise ActivityValidationError([Problem("composition", None, "composition", "",
                                                   msg("province.scenarios."
                                                       "composition_required"))])
        s = _validated(_read(solid, fmt), list(SOLID_PATHWAYS), "generated", fmt)
        first_year.append(int(s["year"].min()))
        tables.append(solid_waste_activities(
            _yearly(s, ["generated", *SOLID_PATHWAYS], until), composition,
            climate_zone=climate_zone, landfill_site_type=landfill_site_type,
            dump_site_type=dump_site_type, open_burning=open_burning))
    if wastewater is not None:
        w = _read(wastewater, fmt)
        known = set(KEYS) | {"population", FILE_COL, ROW_COL}
        from ghg_inventory.factors import FactorDB
        t = FactorDB.default().table
        pathways = sorted(set(w.columns) & set(t.loc[(t["parameter"] == "mcf")
                                                      & (t["category"] == "4.D.1"),
                                                      "activity"]))
        extra = [c for c in w.columns if c not in known and c not in pathways]
        w = _validated(w, pathways, "population", fmt)
        first_year.append(int(w["year"].min()))
        yearly = _yearly(w, ["population", *pathways], until)
        for column in extra:  # per commune parameters, e.g. protein: the last given value
            last = w.sort_values("year").groupby(["scenario", "commune"])[column].last()
            yearly[column] = yearly.set_index(["scenario", "commune"]).index.map(last)
        tables.append(wastewater_activities(yearly, pathways))
    if not tables:
        raise ActivityValidationError([Problem("", None, "solid", "",
                                               msg("province.scenarios.no_table"))])
    activities = pd.concat(tables, ignore_index=True)
    scenarios = sorted(activities["scenario"].unique())
    if baseline not in scenarios:
        raise ActivityValidationError([Problem("", None, "scenario", baseline,
                                               msg("province.scenarios.no_baseline",
                                                   scenarios=scenarios))])
    past = read_activities(history, number_format=fmt) if history is not None else None
    start = min(first_year)
    results = []
    for scenario in scenarios:
        rows = activities[activities["scenario"] == scenario]
        sources = [rows] if past is None else [past, rows]
        inv = compute(sources, gwp=gwp, number_format=fmt, **compute_options)
        table = inv.rollup(by=["year", "gas"])
        table = table[(table["year"] >= start) & (table["year"] <= until)]
        gases = [c[:-3] for c in table.columns if c.endswith("_kg") and c != "co2e_kg"
                 and not c.startswith("biogenic")]
        for _, record in table.iterrows():
            gas = str(record["gas"])
            if gas in gases:
                results.append({"scenario": scenario, "year": int(record["year"]), "gas": gas,
                                "emissions_kg": float(record[f"{gas}_kg"]),
                                "co2e_kg": float(record["co2e_kg"])})
    out = pd.DataFrame(results)
    base = out[out["scenario"] == baseline].set_index(["year", "gas"])["co2e_kg"]
    reference = pd.MultiIndex.from_frame(out[["year", "gas"]]).map(base.to_dict().get)
    out["change_co2e_kg"] = out["co2e_kg"] - np.asarray(reference, dtype=float)
    return out.sort_values(["scenario", "year", "gas"]).reset_index(drop=True)
