"""The report's content, independent of its form: for one year, the headline numbers and
the sections (one chart and the table it is drawn from each), checked before anything is
drawn or written. The HTML page (:mod:`ghg_inventory.reporting.html_report`) and the workbook
(:mod:`ghg_inventory.reporting.workbook`) show the same sections.

Tables hold numbers (t, %) under headers in the report's language; the reporting rules of
:mod:`ghg_inventory.inventory` hold: the headline is the total of *direct* emissions, biogenic
CO2 is a memo item and indirect emissions are shown apart, never added to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ghg_inventory import i18n
from ghg_inventory.categories import PLAN_AREAS
from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.reporting import charts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ghg_inventory.inventory import Inventory

#: Figure ids of the report, in page order (stable: tests and style sheets rely on them).
FIGURE_IDS = ("by-plan-area", "by-commune", "by-gas", "trend", "top-emitters", "indicators")

#: Columns an indicators table must have.
INDICATOR_COLUMNS = ("indicator", "year", "observed", "target", "unit")


@dataclass
class Section:
    """One chart and its table: the table holds numbers (t, %), headers in the language."""

    key: str
    caption: str
    table: pd.DataFrame
    draw: Callable[[Figure], None]
    height: float
    #: decimals of each numeric column in HTML (other columns are text)
    decimals: dict[str, int] = field(default_factory=dict)
    #: columns summed in a total line under the table (empty: no total line)
    totals: tuple[str, ...] = ()


@dataclass
class Report:
    """Every number of the report for one year: the headline and the sections."""

    year: int
    direct_t: float
    biogenic_t: float
    indirect_t: float
    ods_t: float | None
    gwp: str
    sections: list[Section]


def build(inventory: Inventory, *, year: int, lang: str, indicators: pd.DataFrame | None,
          top: int) -> Report:
    """Every number of the report for ``year``, checked before anything is drawn."""
    i18n.check_lang(lang)
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise GHGInventoryError(f"year must be a whole number such as 2023, not {year!r}")
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise GHGInventoryError(f"top must be a positive whole number, not {top!r}")
    if indicators is not None:
        indicators = _checked_indicators(indicators)
    direct = inventory.rollup(by="year")
    indirect = inventory.rollup(by="year", scope="indirect")
    ods = inventory.rollup(by="year", scope="ods")
    present = set(direct["year"]) | set(indirect["year"]) | set(ods["year"])
    if year not in present:
        known = ", ".join(str(y) for y in sorted(int(y) for y in present)) or "none"
        raise GHGInventoryError(f"no emissions in {year} in this inventory; "
                                f"years with emissions: {known}")

    def of_year(frame: pd.DataFrame, column: str) -> float:
        return float(frame.loc[frame["year"] == year, column].sum()) / 1000.0

    direct_t = of_year(direct, "co2e_kg")
    sections = [
        _plan_area_section(inventory, year, lang, direct_t),
        _commune_section(inventory, year, lang, direct_t),
        _gas_section(inventory, year, lang, direct_t),
        _trend_section(inventory, direct, indirect, lang),
        _top_section(inventory, year, lang, direct_t, top),
    ]
    if indicators is not None:
        sections.append(_indicator_section(indicators, lang))
    return Report(
        year=year,
        direct_t=direct_t,
        biogenic_t=of_year(direct, "biogenic_CO2_kg"),
        indirect_t=of_year(indirect, "co2e_kg"),
        # ODS are shown only where there are any: most inventories have none
        ods_t=of_year(ods, "co2e_kg") if (ods["year"] == year).any() else None,
        gwp=inventory.gwp,
        sections=sections,
    )


def _share(values: pd.Series, total: float) -> pd.Series:
    # a zero total has no shares (NaN is written "–", never a division error or 0 %)
    return values * (100.0 / total) if total else values * np.nan


def _year_rollup(inventory: Inventory, key: str, year: int, **kw: Any) -> pd.DataFrame:
    frame = inventory.rollup(by=["year", key], **kw)
    return frame[frame["year"] == year].drop(columns="year").reset_index(drop=True)


def _stated(inventory: Inventory, column: str, placeholder: str) -> Inventory:
    """The inventory with ``column`` filled with ``placeholder`` where the data leave it empty.

    Rolling up by a key with empty cells labels their group with another group's name (the
    label lookup reads code -1 as the last label), so empty cells get a visible label first;
    a table without the column gets it whole.
    """
    from ghg_inventory.inventory import Inventory

    activities = inventory.activities
    if column in activities and not activities[column].isna().any():
        return inventory
    if column in activities:
        filled = activities[column].astype(object).where(activities[column].notna(),
                                                         placeholder)
    else:
        filled = pd.Series(placeholder, index=activities.index, dtype=object)
    return Inventory(meta=inventory.meta, activities=activities.assign(**{column: filled}),
                     results=inventory.results, factors=inventory.factors)


def _plan_area_section(inventory: Inventory, year: int, lang: str, total: float) -> Section:
    text = i18n.labels(lang, "report.")
    frame = _year_rollup(inventory, "plan_area", year, lang=lang)
    # the plan's own order of its six areas, not the alphabet of their keys
    order = {area: i for i, area in enumerate(PLAN_AREAS)}
    frame = frame.sort_values("plan_area", key=lambda s: s.map(order).fillna(len(order)))
    names = frame["plan_area_name"].fillna(frame["plan_area"]).astype(str)
    t = frame["co2e_kg"].to_numpy() / 1000.0
    table = pd.DataFrame({text["plan_area"]: names.to_numpy(), text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    return Section(
        key="by-plan-area", caption=text["cap_by-plan-area"].format(year=year), table=table,
        draw=lambda fig: charts.bars(fig, list(names), t, lang, horizontal=False),
        height=3.8, decimals={text["co2e_t"]: 1, text["share"]: 1},
        totals=(text["co2e_t"], text["share"]))


def _commune_section(inventory: Inventory, year: int, lang: str, total: float) -> Section:
    text = i18n.labels(lang, "report.")
    stated = _stated(inventory, "commune", text["not_stated"])
    frame = _year_rollup(stated, "commune", year)
    frame = frame.sort_values("co2e_kg", ascending=False, kind="stable")
    names = frame["commune"].astype(str).to_numpy()
    t = frame["co2e_kg"].to_numpy() / 1000.0
    table = pd.DataFrame({text["rank"]: np.arange(1, len(t) + 1), text["commune"]: names,
                          text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    return Section(
        key="by-commune", caption=text["cap_by-commune"].format(year=year), table=table,
        draw=lambda fig: charts.bars(fig, list(names), t, lang, horizontal=True),
        height=1.2 + 0.26 * max(len(t), 1),
        decimals={text["rank"]: 0, text["co2e_t"]: 1, text["share"]: 1},
        totals=(text["co2e_t"], text["share"]))


def _gas_section(inventory: Inventory, year: int, lang: str, total: float) -> Section:
    text = i18n.labels(lang, "report.")
    frame = _year_rollup(inventory, "gas", year)
    frame = frame.sort_values("co2e_kg", ascending=False, kind="stable")
    gases = frame["gas"].astype(str).to_numpy()
    # each row's own gas column holds its mass (biogenic CO2 is in neither: a memo item)
    mass = np.array([frame.at[i, f"{g}_kg"] for i, g in zip(frame.index, gases, strict=True)],
                    dtype=float) / 1000.0
    t = frame["co2e_kg"].to_numpy() / 1000.0
    table = pd.DataFrame({text["gas"]: gases, text["mass_t"]: mass, text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    return Section(
        key="by-gas", caption=text["cap_by-gas"].format(year=year), table=table,
        draw=lambda fig: charts.bars(fig, list(gases), t, lang, horizontal=False),
        height=3.6, decimals={text["mass_t"]: 3, text["co2e_t"]: 1, text["share"]: 1},
        totals=(text["co2e_t"], text["share"]))


def _trend_section(inventory: Inventory, direct: pd.DataFrame, indirect: pd.DataFrame,
                   lang: str) -> Section:
    text = i18n.labels(lang, "report.")
    years = sorted(int(y) for y in set(direct["year"]) | set(indirect["year"]))
    by_year = direct.set_index("year")
    # how many facilities report each year: a jump in the trend may be coverage, not emissions
    facilities = inventory.rollup(by=["year", "facility_id"]).groupby("year").size()
    t = by_year["co2e_kg"].reindex(years, fill_value=0.0).to_numpy() / 1000.0
    table = pd.DataFrame({
        text["year"]: years,
        text["co2e_t"]: t,
        text["facilities"]: facilities.reindex(years, fill_value=0).to_numpy(),
        text["biogenic_t"]: by_year["biogenic_CO2_kg"].reindex(years, fill_value=0.0)
        .to_numpy() / 1000.0,
        text["indirect_t"]: indirect.set_index("year")["co2e_kg"].reindex(years, fill_value=0.0)
        .to_numpy() / 1000.0,
    })
    span = {"first": years[0], "last": years[-1]} if years else {"first": "", "last": ""}
    return Section(
        key="trend", caption=text["cap_trend"].format(**span), table=table,
        draw=lambda fig: charts.bars(fig, [str(y) for y in years], t, lang, horizontal=False),
        height=3.8, decimals={text["year"]: -1, text["co2e_t"]: 1, text["facilities"]: 0,
                              text["biogenic_t"]: 1, text["indirect_t"]: 1})


def _top_section(inventory: Inventory, year: int, lang: str, total: float,
                 top: int) -> Section:
    text = i18n.labels(lang, "report.")
    frame = _year_rollup(inventory, "facility_id", year)
    frame = frame.sort_values("co2e_kg", ascending=False, kind="stable").head(top)
    ids = frame["facility_id"].astype(str).to_numpy()
    activities = inventory.activities
    if "facility_name" in activities:
        # one name per facility (its first non-empty one), joined, not grouped by: a facility
        # whose name is spelled two ways stays one facility
        named = activities[["facility_id", "facility_name"]].dropna()
        names = named.astype(str).groupby("facility_id")["facility_name"].first()
        shown = pd.Series(ids).map(names).fillna("").to_numpy()
    else:
        shown = np.full(len(ids), "", dtype=object)
    t = frame["co2e_kg"].to_numpy() / 1000.0
    table = pd.DataFrame({text["rank"]: np.arange(1, len(t) + 1), text["facility_id"]: ids,
                          text["facility_name"]: shown, text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    labels = [f"{i} {charts.shorten(n)}".strip() for i, n in zip(ids, shown, strict=True)]
    return Section(
        key="top-emitters",
        caption=text["cap_top-emitters"].format(top=len(t), year=year), table=table,
        draw=lambda fig: charts.bars(fig, labels, t, lang, horizontal=True),
        height=1.2 + 0.32 * max(len(t), 1),
        decimals={text["rank"]: 0, text["co2e_t"]: 1, text["share"]: 1})


def _checked_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in INDICATOR_COLUMNS if c not in indicators.columns]
    if missing:
        raise GHGInventoryError(f"indicators: missing column(s) {missing}; "
                                f"needed: {', '.join(INDICATOR_COLUMNS)}")
    frame = indicators[list(INDICATOR_COLUMNS)].reset_index(drop=True)
    for column in ("year", "observed", "target"):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column].notna() & values.isna()
        if bad.any():
            rows = ", ".join(f"row {i}: {frame.at[i, column]!r}" for i in frame.index[bad])
            raise GHGInventoryError(f"indicators: {column} must be a number ({rows})")
        frame[column] = values
    if frame["year"].isna().any() or frame["observed"].isna().any():
        raise GHGInventoryError("indicators: every row needs a year and an observed value")
    frame["year"] = frame["year"].astype(int)
    frame["indicator"] = frame["indicator"].astype(str)
    frame["unit"] = frame["unit"].fillna("").astype(str)
    return frame


def _indicator_section(frame: pd.DataFrame, lang: str) -> Section:
    text = i18n.labels(lang, "report.")
    table = pd.DataFrame({text["indicator"]: frame["indicator"].to_numpy(),
                          text["year"]: frame["year"].to_numpy(),
                          text["observed"]: frame["observed"].to_numpy(dtype=float),
                          text["target"]: frame["target"].to_numpy(dtype=float),
                          text["unit"]: frame["unit"].to_numpy()})
    n = max(frame["indicator"].nunique(), 1)
    rows = -(-n // 3)
    return Section(
        key="indicators", caption=text["cap_indicators"], table=table,
        draw=lambda fig: charts.indicator_bars(fig, frame, lang), height=0.6 + 2.9 * rows,
        decimals={text["year"]: -1, text["observed"]: 2, text["target"]: 2})


def provenance_items(meta: dict[str, Any], lang: str, version: str) -> list[tuple[str, str]]:
    """(label, value) pairs saying how the numbers were computed."""
    text = i18n.labels(lang, "report.")
    # file names, not the paths of the machine that computed them
    tables = ", ".join(Path(str(p)).name for p in meta.get("factor_tables") or [])
    items = [("GWP", str(meta.get("gwp", ""))),
             (text["guidelines"], str(meta.get("guidelines", ""))),
             (text["factor_tables"], tables)]
    shown = {"gwp", "guidelines", "factor_tables"}
    items += [(str(k), str(v)) for k, v in meta.items() if k not in shown]
    items.append(("ghg-inventory", version))
    return items
