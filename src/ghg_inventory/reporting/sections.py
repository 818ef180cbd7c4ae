"""The report's content, independent of its form: for one year, the header (province, office,
date, basis), the headline numbers and the sections (a chart and the table it is drawn from,
or a table alone), checked before anything is drawn or written. The HTML page
(:mod:`ghg_inventory.reporting.html_report`) and the workbook
(:mod:`ghg_inventory.reporting.workbook`) show the same sections.

Tables hold numbers (t, %) under headers in the report's language; the reporting rules of
:mod:`ghg_inventory.inventory` hold: the headline is the total of *direct* emissions, biogenic
CO2 is a memo item and indirect emissions are shown apart, never added to it.

Coverage is stated, never left to be guessed: the rows of *provincial aggregates* (activity
rows whose ``facility_type`` is ``aggregate``: the province's own compilation of farms,
households or a commune's wastewater, no facility's report) are counted and charted apart
from *facility reports*; the top emitters rank facility reports only, and the trend says per
year how many of each it holds and which plan areas.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ghg_inventory import i18n
from ghg_inventory.categories import PLAN_AREAS
from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n.formatting import format_number
from ghg_inventory.i18n.messages import listing, msg
from ghg_inventory.reporting import charts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ghg_inventory.inventory import Inventory

#: Figure ids of the report, in page order (stable: tests and style sheets rely on them).
FIGURE_IDS = ("by-plan-area", "by-commune", "by-gas", "trend", "top-emitters", "aggregates",
              "indicators", "basis")

#: Columns an indicators table must have (``target_year`` may be added).
INDICATOR_COLUMNS = ("indicator", "year", "observed", "target", "unit")

#: The value of ``facility_type`` that marks a provincial aggregate.
AGGREGATE = "aggregate"

#: Verification statuses of factor records, in the order the basis names them.
VERIFICATION = ("two_sources", "single_source", "user")


@dataclass
class Section:
    """One chart (or none) and its table: numbers (t, %), headers in the language."""

    key: str
    caption: str
    table: pd.DataFrame
    #: draws the chart; None: the section is a table alone
    draw: Callable[[Figure], None] | None
    height: float
    #: decimals of each numeric column in HTML (other columns are text; -1: a year)
    decimals: dict[str, int] = field(default_factory=dict)
    #: columns summed in a total line under the table (empty: no total line)
    totals: tuple[str, ...] = ()
    #: a sentence under the caption (what the section covers)
    note: str = ""
    #: the table as the page shows it (text cells, formatted in the language); None: the
    #: page formats ``table`` with ``decimals``
    display: pd.DataFrame | None = None
    #: a column of ``display`` holding a percentage drawn as a bar (0-100)
    bar: str | None = None
    #: the values of ``bar`` (percent), one per row of ``display``
    bar_values: np.ndarray | None = None


@dataclass
class Basis:
    """How the numbers were computed, in words and counts."""

    gwp: str
    guidelines: str
    version: str
    #: per factor table used (file name): factors used per verification status
    tables: pd.DataFrame
    #: factors used per verification status
    counts: dict[str, int]
    #: factor tables the computation loaded
    loaded: int
    #: percent of the direct total resting on each status (the weakest of a row's factor
    #: chain, :func:`ghg_inventory.analysis.qaqc.verification_shares`); ``none``: rows
    #: without a factor record
    shares: dict[str, float] = field(default_factory=dict)


@dataclass
class Report:
    """Every number of the report for one year: header, headline and sections."""

    year: int
    direct_t: float
    biogenic_t: float
    indirect_t: float
    ods_t: float | None
    gwp: str
    sections: list[Section]
    province: str = ""
    office: str = ""
    produced: dt.date = field(default_factory=dt.date.today)
    basis: Basis | None = None
    #: facility reports and provincial aggregates with emissions in the year
    n_facilities: int = 0
    n_aggregates: int = 0


def build(inventory: Inventory, *, year: int, lang: str, indicators: pd.DataFrame | None,
          top: int, province: str = "", office: str = "",
          produced: dt.date | None = None) -> Report:
    """Every number of the report for ``year``, checked before anything is drawn."""
    from ghg_inventory._version import __version__

    i18n.check_lang(lang)
    if isinstance(year, bool) or not isinstance(year, int | np.integer):
        raise GHGInventoryError(msg("reporting.sections.year_not_whole", year=year))
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise GHGInventoryError(msg("reporting.sections.top_not_positive", top=top))
    if indicators is not None:
        indicators = _checked_indicators(indicators)
    direct = inventory.rollup(by="year")
    indirect = inventory.rollup(by="year", scope="indirect")
    ods = inventory.rollup(by="year", scope="ods")
    present = set(direct["year"]) | set(indirect["year"]) | set(ods["year"])
    if year not in present:
        known = (", ".join(str(y) for y in sorted(int(y) for y in present))
                 or msg("reporting.sections.none"))
        raise GHGInventoryError(msg("reporting.sections.no_emissions_year", year=year,
                                    known=known))

    def of_year(frame: pd.DataFrame, column: str) -> float:
        return float(frame.loc[frame["year"] == year, column].sum()) / 1000.0

    direct_t = of_year(direct, "co2e_kg")
    kinds = _with_kind(inventory)
    basis = basis_of(inventory, __version__)
    coverage = _coverage(kinds, lang)
    sections = [
        _plan_area_section(kinds, year, lang, direct_t),
        _commune_section(inventory, year, lang, direct_t),
        _gas_section(inventory, year, lang, direct_t),
        _trend_section(kinds, coverage, lang),
        _top_section(kinds, year, lang, direct_t, top),
        _aggregate_section(kinds, year, lang, direct_t),
    ]
    if indicators is not None:
        sections.append(_indicator_section(indicators, lang))
    sections.append(_basis_section(basis, lang))
    of = coverage[coverage["year"] == year]
    return Report(
        year=year,
        direct_t=direct_t,
        biogenic_t=of_year(direct, "biogenic_CO2_kg"),
        indirect_t=of_year(indirect, "co2e_kg"),
        # ODS are shown only where there are any: most inventories have none
        ods_t=of_year(ods, "co2e_kg") if (ods["year"] == year).any() else None,
        gwp=inventory.gwp,
        sections=sections,
        province=province,
        office=office,
        produced=produced or dt.date.today(),
        basis=basis,
        n_facilities=int(of["facilities"].sum()),
        n_aggregates=int(of["aggregates"].sum()),
    )


# --- counting words ------------------------------------------------------------------------


def counted(n: int, what: str, lang: str) -> str:
    """``n`` with its noun, singular or plural (``1 facility report``, ``3 ...``)."""
    form = "one" if n == 1 else "many"
    return i18n.label(f"report.count_{what}_{form}", lang, n=format_number(n, lang, 0))


def significant(value: float, lang: str, digits: int = 3, decimals: int = 1) -> str:
    """``value`` with ``decimals`` decimals, or with ``digits`` significant digits where
    those decimals would write a value that is not zero as zero (0.00042, not 0.000)."""
    if not math.isfinite(value) or value == 0 or abs(value) >= 0.5 * 10.0 ** -decimals:
        return format_number(value, lang, decimals)
    places = digits - 1 - math.floor(math.log10(abs(value)))
    return format_number(value, lang, min(places, 12))


# --- the basis -----------------------------------------------------------------------------


def basis_of(inventory: Inventory, version: str) -> Basis:
    """The GWP set, guidelines, and the factors the inventory used per table and status.

    A factor is *used* when a result row names it (``factor_id``) or one of its auxiliary
    factors (``auxiliary_factor_ids``: densities, NCVs ...). Its status is the
    ``verification`` of its record in the inventory's factor database.
    """
    from ghg_inventory.factors import FactorDB

    results = inventory.results
    ids: set[str] = set()
    if "factor_id" in results:
        ids |= {str(v) for v in pd.unique(results["factor_id"].dropna().astype(str))}
    if "auxiliary_factor_ids" in results:
        for joined in pd.unique(results["auxiliary_factor_ids"].dropna().astype(str)):
            ids |= set(str(joined).split(";"))
    ids.discard("")
    db = inventory.factors if inventory.factors is not None else FactorDB.default()
    records = db.table.drop_duplicates("factor_id", keep="last").set_index("factor_id")
    known = sorted(ids & set(records.index))
    used = records.loc[known, ["table", "verification"]].copy()
    used["table"] = [Path(str(p)).name for p in used["table"]]
    used["verification"] = used["verification"].fillna("user").astype(str)
    tables = (used.groupby(["table", "verification"]).size().unstack(fill_value=0)
              .reindex(columns=list(VERIFICATION), fill_value=0))
    tables["used"] = tables.sum(axis=1)
    tables = tables.reset_index().sort_values("table", kind="stable").reset_index(drop=True)
    counts = {s: int(tables[s].sum()) for s in VERIFICATION}
    from ghg_inventory.analysis.qaqc import verification_shares

    weighed = verification_shares(inventory)
    shares = {s: 0.0 for s in (*VERIFICATION, "none")}
    shares.update(dict(zip(weighed["factor_verification"].astype(str),
                           weighed["share_pct"].astype(float), strict=True)))
    meta = inventory.meta
    return Basis(gwp=str(meta.get("gwp", inventory.gwp)),
                 guidelines=str(meta.get("guidelines", "2006")), version=version,
                 tables=tables, counts=counts, loaded=len(meta.get("factor_tables") or []),
                 shares=shares)


def basis_sentences(basis: Basis, lang: str) -> list[str]:
    """The basis in words: GWP, guidelines, factors and their checks, library version."""
    text = i18n.labels(lang, "report.")
    total = sum(basis.counts.values())

    def pct(n: int) -> str:
        return f"{format_number(100.0 * n / total if total else float('nan'), lang, 0)} %"

    edition = "2019" if basis.guidelines == "2019" else "2006"

    def share(status: str) -> str:
        return f"{significant(basis.shares.get(status, 0.0), lang, 2, 1)} %"

    weighed = text["basis_shares"].format(two=share("two_sources"),
                                          single=share("single_source"), user=share("user"))
    if basis.shares.get("none", 0.0) > 0:
        weighed += text["basis_shares_none"].format(none=share("none"))
    sentences = [
        text["basis_gwp"].format(gwp=basis.gwp),
        text[f"basis_guidelines.{edition}"],
        text["basis_factors"].format(
            factors=counted(total, "factors", lang),
            tables=counted(len(basis.tables), "tables", lang),
            two=format_number(basis.counts["two_sources"], lang, 0),
            two_pct=pct(basis.counts["two_sources"]),
            single=format_number(basis.counts["single_source"], lang, 0),
            single_pct=pct(basis.counts["single_source"]),
            user=format_number(basis.counts["user"], lang, 0),
            user_pct=pct(basis.counts["user"])),
        weighed,
        text["basis_version"].format(version=basis.version),
    ]
    if not any(basis.shares.values()):  # no direct total to share out
        sentences.remove(weighed)
    return sentences


def _basis_section(basis: Basis, lang: str) -> Section:
    text = i18n.labels(lang, "report.")
    frame = basis.tables
    table = pd.DataFrame({
        text["factor_set"]: frame["table"].to_numpy(),
        text["factors_used"]: frame["used"].to_numpy(),
        text["two_sources"]: frame["two_sources"].to_numpy(),
        text["single_source"]: frame["single_source"].to_numpy(),
        text["user"]: frame["user"].to_numpy(),
    })
    numbers = (text["factors_used"], text["two_sources"], text["single_source"], text["user"])
    return Section(key="basis", caption=text["cap_basis"], table=table, draw=None, height=0,
                   decimals=dict.fromkeys(numbers, 0), totals=numbers,
                   note=text["basis_note"].format(loaded=format_number(basis.loaded, lang, 0)))


# --- facility reports and provincial aggregates --------------------------------------------


def _with_kind(inventory: Inventory) -> Inventory:
    """The inventory with a ``report_kind`` column: ``facility`` or ``aggregate``."""
    from ghg_inventory.inventory import Inventory

    activities = inventory.activities
    if "facility_type" in activities:
        kind = activities["facility_type"].astype(object).fillna("").astype(str)
        aggregate = (kind.str.strip().str.lower() == AGGREGATE).to_numpy()
    else:
        aggregate = np.zeros(len(activities), dtype=bool)
    return Inventory(meta=inventory.meta,
                     activities=activities.assign(report_kind=np.where(
                         aggregate, "aggregate", "facility")),
                     results=inventory.results, factors=inventory.factors)


def _kind_split(kinds: Inventory, year: int, key: str, **kw: Any) -> pd.DataFrame:
    """Direct t CO2e of ``year`` by ``key``: columns ``facility``, ``aggregate``, ``total``."""
    frame = kinds.rollup(by=["year", key, "report_kind"], **kw)
    frame = frame[frame["year"] == year]
    wide = frame.pivot_table(index=key, columns="report_kind", values="co2e_kg",
                             aggfunc="sum", observed=True)
    wide = wide.reindex(columns=["facility", "aggregate"], fill_value=0.0).fillna(0.0) / 1000.0
    wide["total"] = wide["facility"] + wide["aggregate"]
    return wide


def _coverage(kinds: Inventory, lang: str) -> pd.DataFrame:
    """Per year: facility reports and aggregates with direct emissions, and the plan areas
    (named in ``lang``) the year's emissions come from."""
    units = kinds.rollup(by=["year", "report_kind", "facility_id"])
    units = units[units["co2e_kg"] != 0]
    counts = units.groupby(["year", "report_kind"], observed=True).size().unstack(
        fill_value=0).reindex(columns=["facility", "aggregate"], fill_value=0)
    areas = kinds.rollup(by=["year", "plan_area"], lang=lang)
    areas = areas[areas["co2e_kg"] != 0]
    order = {a: i for i, a in enumerate(PLAN_AREAS)}
    areas = areas.assign(_o=areas["plan_area"].astype(str).map(order).fillna(len(order)))
    named = areas.sort_values(["year", "_o"]).groupby("year", observed=True)[
        "plan_area_name"].agg(lambda s: ", ".join(dict.fromkeys(str(v) for v in s)))
    years = sorted(int(y) for y in set(counts.index) | set(named.index))
    return pd.DataFrame({
        "year": years,
        "facilities": counts["facility"].reindex(years, fill_value=0).to_numpy(dtype=int),
        "aggregates": counts["aggregate"].reindex(years, fill_value=0).to_numpy(dtype=int),
        "plan_areas": named.reindex(years, fill_value="").to_numpy(dtype=object),
    })


# --- the sections --------------------------------------------------------------------------


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


def _kind_legend(lang: str) -> tuple[str, str]:
    text = i18n.labels(lang, "report.")
    return text["legend_facilities"], text["legend_aggregates"]


def _plan_area_section(kinds: Inventory, year: int, lang: str, total: float) -> Section:
    text = i18n.labels(lang, "report.")
    frame = _year_rollup(kinds, "plan_area", year, lang=lang)
    # the plan's own order of its six areas, not the alphabet of their keys
    order = {area: i for i, area in enumerate(PLAN_AREAS)}
    frame = frame.sort_values("plan_area", key=lambda s: s.map(order).fillna(len(order)))
    names = frame["plan_area_name"].fillna(frame["plan_area"]).astype(str)
    split = _kind_split(kinds, year, "plan_area").reindex(frame["plan_area"], fill_value=0.0)
    t = frame["co2e_kg"].to_numpy() / 1000.0
    table = pd.DataFrame({text["plan_area"]: names.to_numpy(),
                          text["facility_reports_t"]: split["facility"].to_numpy(),
                          text["aggregates_t"]: split["aggregate"].to_numpy(),
                          text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    parts = {_kind_legend(lang)[0]: split["facility"].to_numpy(),
             _kind_legend(lang)[1]: split["aggregate"].to_numpy()}
    numbers = (text["facility_reports_t"], text["aggregates_t"], text["co2e_t"], text["share"])
    return Section(
        key="by-plan-area", caption=text["cap_by-plan-area"].format(year=year), table=table,
        draw=lambda fig: charts.stacked(fig, list(names), parts, lang),
        height=2.5, decimals={c: 1 for c in numbers}, totals=numbers)


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
        height=1.0 + 0.17 * max(len(t), 1),
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
        height=2.8, decimals={text["mass_t"]: 1, text["co2e_t"]: 1, text["share"]: 1},
        totals=(text["co2e_t"], text["share"]))


def _trend_section(kinds: Inventory, coverage: pd.DataFrame, lang: str) -> Section:
    text = i18n.labels(lang, "report.")
    years = [int(y) for y in coverage["year"]]
    frame = kinds.rollup(by=["year", "report_kind"])
    wide = frame.pivot_table(index="year", columns="report_kind", values="co2e_kg",
                             aggfunc="sum", observed=True)
    wide = (wide.reindex(index=years, columns=["facility", "aggregate"]).fillna(0.0)
            / 1000.0)
    facility, aggregate = wide["facility"].to_numpy(), wide["aggregate"].to_numpy()
    table = pd.DataFrame({
        text["year"]: years,
        text["co2e_t"]: facility + aggregate,
        text["facility_reports_t"]: facility,
        text["aggregates_t"]: aggregate,
        text["n_facilities"]: coverage["facilities"].to_numpy(),
        text["n_aggregates"]: coverage["aggregates"].to_numpy(),
        text["plan_areas_covered"]: coverage["plan_areas"].to_numpy(),
    })
    span = {"first": years[0], "last": years[-1]} if years else {"first": "", "last": ""}
    parts = dict(zip(_kind_legend(lang), (facility, aggregate), strict=True))
    # the x labels say what each bar holds: facility reports + aggregates
    ticks = [f"{y}\n{f}+{a}" if a else f"{y}\n{f}" for y, f, a in zip(
        years, coverage["facilities"], coverage["aggregates"], strict=True)]
    return Section(
        key="trend", caption=text["cap_trend"].format(**span), table=table,
        draw=lambda fig: charts.stacked(fig, ticks, parts, lang, vertical=True),
        height=3.2, note=text["trend_note"],
        decimals={text["year"]: -1, text["co2e_t"]: 1, text["facility_reports_t"]: 1,
                  text["aggregates_t"]: 1, text["n_facilities"]: 0,
                  text["n_aggregates"]: 0})


def _names(inventory: Inventory, ids: np.ndarray, column: str) -> np.ndarray:
    """One ``column`` value per facility (its first non-empty one), joined, not grouped by:
    a facility whose name is spelled two ways stays one facility."""
    activities = inventory.activities
    if column not in activities:
        return np.full(len(ids), "", dtype=object)
    named = activities[["facility_id", column]].dropna()
    first = named.astype(str).groupby("facility_id")[column].first()
    return pd.Series(ids, dtype=object).map(first).fillna("").to_numpy(dtype=object)


def _of_kind(kinds: Inventory, year: int, kind: str) -> pd.DataFrame:
    split = _kind_split(kinds, year, "facility_id")
    frame = split[split[kind] != 0][[kind]].rename(columns={kind: "t"}).reset_index()
    return frame.sort_values("t", ascending=False, kind="stable").reset_index(drop=True)


def _top_section(kinds: Inventory, year: int, lang: str, total: float,
                 top: int) -> Section:
    text = i18n.labels(lang, "report.")
    frame = _of_kind(kinds, year, "facility").head(top)
    ids = frame["facility_id"].astype(str).to_numpy()
    shown = _names(kinds, ids, "facility_name")
    t = frame["t"].to_numpy(dtype=float)
    table = pd.DataFrame({text["rank"]: np.arange(1, len(t) + 1), text["facility_id"]: ids,
                          text["facility_name"]: shown, text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    labels = [charts.wrap(f"{i} {n}".strip(), 38) for i, n in zip(ids, shown, strict=True)]
    caption = (text["cap_top-emitters_one"].format(year=year) if len(t) == 1 else
               text["cap_top-emitters"].format(top=len(t), year=year))
    return Section(
        key="top-emitters", caption=caption, table=table,
        draw=lambda fig: charts.bars(fig, labels, t, lang, horizontal=True),
        height=0.9 + 0.42 * max(len(t), 1), note=text["top_note"],
        decimals={text["rank"]: 0, text["co2e_t"]: 1, text["share"]: 1})


def _aggregate_section(kinds: Inventory, year: int, lang: str, total: float) -> Section:
    text = i18n.labels(lang, "report.")
    frame = _of_kind(kinds, year, "aggregate")
    ids = frame["facility_id"].astype(str).to_numpy()
    t = frame["t"].to_numpy(dtype=float)
    table = pd.DataFrame({text["rank"]: np.arange(1, len(t) + 1), text["facility_id"]: ids,
                          text["aggregate_name"]: _names(kinds, ids, "facility_name"),
                          text["commune"]: _names(kinds, ids, "commune"),
                          text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    note = (text["aggregates_note"].format(n=counted(len(t), "aggregates", lang))
            if len(t) else text["no_aggregates"].format(year=year))
    return Section(
        key="aggregates", caption=text["cap_aggregates"].format(year=year), table=table,
        draw=None, height=0, note=note,
        decimals={text["rank"]: 0, text["co2e_t"]: 1, text["share"]: 1},
        totals=(text["co2e_t"], text["share"]))


# --- the plan's indicators -----------------------------------------------------------------


def _checked_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in INDICATOR_COLUMNS if c not in indicators.columns]
    if missing:
        raise GHGInventoryError(msg("reporting.sections.indicators_missing", missing=missing,
                                    needed=", ".join(INDICATOR_COLUMNS)))
    columns = list(INDICATOR_COLUMNS) + (["target_year"] if "target_year" in indicators
                                         else [])
    frame = indicators[columns].reset_index(drop=True)
    for column in ("year", "observed", "target", "target_year"):
        if column not in frame:
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = frame[column].notna() & values.isna()
        if bad.any():
            rows = listing(msg("reporting.sections.row_value", row=i, value=frame.at[i, column])
                           for i in frame.index[bad])
            raise GHGInventoryError(msg("reporting.sections.indicators_not_number",
                                        column=column, rows=rows))
        frame[column] = values
    if frame["year"].isna().any() or frame["observed"].isna().any():
        raise GHGInventoryError(msg("reporting.sections.indicators_incomplete"))
    frame["year"] = frame["year"].astype(int)
    if "target_year" not in frame:
        frame["target_year"] = np.nan
    frame["indicator"] = frame["indicator"].astype(str)
    frame["unit"] = frame["unit"].fillna("").astype(str)
    return frame


def indicator_name(key: str, lang: str) -> str:
    """A plan target's name in ``lang`` (catalogue ``report.plan.<key>``); a name the
    catalogue does not hold is the user's own and shown as given."""
    try:
        return i18n.label(f"report.plan.{key}", lang)
    except GHGInventoryError:
        return key


def unit_name(unit: str, lang: str) -> str:
    """A unit as the page writes it (``percent`` is ``%``)."""
    try:
        return i18n.label(f"report.unit.{unit}", lang)
    except GHGInventoryError:
        return unit


def progress_status(frame: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, its latest observation against the target, and its status.

    Every target of the plan is one to reach or exceed (a share, an area kept). The status
    is ``reached`` (observed >= target); else, with two or more observed years, the
    straight line through them (least squares) is carried to the target year: ``on_track``
    if it reaches the target by then, ``behind`` if not; with one observed year,
    ``behind`` (no trend to judge by), by the gap. The gap is target - observed.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, in the order given: ``indicator``, ``unit``, ``year`` (the
        latest observed), ``observed``, ``target``, ``target_year``, ``gap`` (0 once
        reached), ``progress_pct`` (observed / target x 100), ``projected`` (the trend's
        value in the target year, NaN without a trend) and ``status``.
    """
    rows = []
    for name, group in frame.groupby("indicator", sort=False):
        group = group.sort_values("year")
        last = group.iloc[-1]
        target, observed = float(last["target"]), float(last["observed"])
        target_year = last["target_year"]
        projected = float("nan")
        if len(group) >= 2 and pd.notna(target_year) and group["year"].nunique() >= 2:
            slope, intercept = np.polyfit(group["year"].to_numpy(dtype=float),
                                          group["observed"].to_numpy(dtype=float), 1)
            projected = float(slope * float(target_year) + intercept)
        if math.isnan(target):
            status = "no_target"
        elif observed >= target:
            status = "reached"
        elif not math.isnan(projected) and projected >= target:
            status = "on_track"
        else:
            status = "behind"
        rows.append({"indicator": name, "unit": last["unit"], "year": int(last["year"]),
                     "observed": observed, "target": target, "target_year": target_year,
                     "gap": max(target - observed, 0.0) if not math.isnan(target) else np.nan,
                     "progress_pct": 100.0 * observed / target if target else np.nan,
                     "projected": projected, "status": status})
    return pd.DataFrame(rows, columns=["indicator", "unit", "year", "observed", "target",
                                       "target_year", "gap", "progress_pct", "projected",
                                       "status"])


def _amount(value: float, unit: str, lang: str) -> str:
    shown = unit_name(unit, lang)
    digits = 0 if float(value).is_integer() else 1
    number = format_number(value, lang, digits)
    return f"{number} {shown}" if shown else number


def _indicator_section(frame: pd.DataFrame, lang: str) -> Section:
    text = i18n.labels(lang, "report.")
    progress = progress_status(frame)
    names = [indicator_name(k, lang) for k in progress["indicator"]]
    units = [unit_name(u, lang) for u in progress["unit"]]

    def gap_words(gap: float, unit: str) -> str:
        if unit == "percent":
            return f"{format_number(gap, lang, 1)} {text['points']}"
        return _amount(gap, unit, lang)

    status = []
    for row in progress.itertuples(index=False):
        if row.status == "behind":
            status.append(text["status.behind"].format(gap=gap_words(row.gap, row.unit)))
        elif row.status == "on_track":
            status.append(text["status.on_track"].format(
                year=int(row.target_year)))
        else:
            status.append(text[f"status.{row.status}"])
    target_year = progress["target_year"].astype("Int64")
    table = pd.DataFrame({
        text["indicator"]: names, text["unit"]: units,
        text["year"]: progress["year"].to_numpy(),
        text["observed"]: progress["observed"].to_numpy(dtype=float),
        text["target"]: progress["target"].to_numpy(dtype=float),
        text["target_year"]: target_year.to_numpy(),
        text["gap"]: progress["gap"].to_numpy(dtype=float),
        text["progress"]: progress["progress_pct"].to_numpy(dtype=float),
        text["status"]: status,
    })
    targets = [_amount(t, u, lang) + (f" ({int(y)})" if pd.notna(y) else "")
               for t, u, y in zip(progress["target"], progress["unit"], target_year,
                                  strict=True)]
    display = pd.DataFrame({
        text["indicator"]: names,
        text["year"]: progress["year"].astype(str).to_numpy(),
        text["observed"]: [_amount(v, u, lang) for v, u in zip(
            progress["observed"], progress["unit"], strict=True)],
        text["target_by"]: targets,
        text["progress"]: [f"{format_number(p, lang, 0)} %" for p in progress["progress_pct"]],
        text["status"]: status,
    })
    return Section(
        key="indicators", caption=text["cap_indicators"], table=table, draw=None, height=0,
        note=text["indicators_note"], display=display, bar=text["progress"],
        bar_values=progress["progress_pct"].to_numpy(dtype=float),
        decimals={text["year"]: -1, text["observed"]: 2, text["target"]: 2,
                  text["target_year"]: -1, text["gap"]: 2, text["progress"]: 1})


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
