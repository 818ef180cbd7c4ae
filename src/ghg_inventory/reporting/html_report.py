"""One year's inventory as a self-contained HTML report, and the same tables as a workbook.

The HTML page needs nothing but a browser: CSS is inline, charts are PNG images embedded as
``data:`` URIs (drawn with matplotlib's Agg canvas, no display and no pyplot state), there is
no JavaScript and no external URL, so it can be mailed or archived as one file. Every chart
sits in a ``<figure id="...">`` with its caption and, under it, the table it was drawn from.

The reporting rules of :mod:`ghg_inventory.inventory` hold here too: the headline is the
total of *direct* emissions; biogenic CO2 is a memo item and indirect (scope 2) emissions of
purchased electricity are shown apart, never added to it.

Labels are Vietnamese by default (``lang="vi"``) or English (``lang="en"``), and numbers are
written the way each language writes them (:func:`format_number`).
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ghg_inventory.categories import PLAN_AREAS
from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.writers import atomic_path

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ghg_inventory.inventory import Inventory

LANGS = ("vi", "en")

#: Figure ids of the report, in page order (stable: tests and style sheets rely on them).
FIGURE_IDS = ("by-plan-area", "by-commune", "by-gas", "trend", "top-emitters", "indicators")

#: Columns an indicators table must have.
INDICATOR_COLUMNS = ("indicator", "year", "observed", "target", "unit")

#: Rows Excel can hold in one sheet, header included (Excel specifications and limits).
_EXCEL_MAX_ROWS = 1_048_576

_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Báo cáo kiểm kê khí nhà kính năm {year}",
        "direct": "Phát thải trực tiếp",
        "direct_year": "Phát thải trực tiếp năm {year}",
        "gwp": "theo tiềm năng nóng lên toàn cầu (GWP) {gwp}, 100 năm",
        "biogenic": "CO₂ sinh khối (mục ghi nhớ, không cộng vào tổng)",
        "indirect": "Phát thải gián tiếp từ điện mua vào (phạm vi 2, báo cáo riêng, "
                    "không cộng vào tổng phát thải trực tiếp)",
        "ods": "Chất làm suy giảm tầng ô-dôn (ngoài giỏ khí Kyoto, không cộng vào tổng)",
        "cap_by-plan-area": "Phát thải trực tiếp năm {year} theo lĩnh vực của kế hoạch",
        "cap_by-commune": "Phát thải trực tiếp năm {year} theo xã/phường, "
                          "xếp từ lớn đến nhỏ",
        "cap_by-gas": "Phát thải trực tiếp năm {year} theo khí",
        "cap_trend": "Phát thải trực tiếp: xu hướng theo năm ({first}–{last})",
        "cap_top-emitters": "{top} cơ sở phát thải lớn nhất năm {year} (phát thải trực tiếp)",
        "cap_indicators": "Các chỉ tiêu: giá trị thực tế so với mục tiêu",
        "plan_area": "Lĩnh vực",
        "commune": "Xã/phường",
        "gas": "Khí",
        "year": "Năm",
        "rank": "Hạng",
        "facility_id": "Mã cơ sở",
        "facility_name": "Tên cơ sở",
        "facilities": "Số cơ sở có phát thải trực tiếp",
        "co2e_t": "Phát thải trực tiếp (t CO₂e)",
        "mass_t": "Khối lượng khí (t)",
        "share": "Tỷ trọng (%)",
        "biogenic_t": "CO₂ sinh khối, ghi nhớ (t CO₂)",
        "indirect_t": "Gián tiếp, không cộng (t CO₂e)",
        "indicator": "Chỉ tiêu",
        "observed": "Thực tế",
        "target": "Mục tiêu",
        "unit": "Đơn vị",
        "total": "Tổng",
        "not_stated": "(không ghi)",
        "no_data": "Không có số liệu",
        "axis_co2e": "t CO₂e",
        "provenance": "Nguồn gốc số liệu",
        "guidelines": "hướng dẫn IPCC",
        "factor_tables": "bảng hệ số phát thải",
        "made_with": "Lập bằng ghg-inventory phiên bản {version}",
        "sheet_by-plan-area": "Lĩnh vực kế hoạch",
        "sheet_by-commune": "Xã phường",
        "sheet_by-gas": "Khí",
        "sheet_trend": "Xu hướng",
        "sheet_top-emitters": "Cơ sở phát thải lớn nhất",
        "sheet_indicators": "Chỉ tiêu",
        "sheet_emissions": "Bảng phát thải",
        "sheet_about": "Nguồn gốc số liệu",
        "key": "Mục",
        "value": "Giá trị",
    },
    "en": {
        "title": "Greenhouse-gas inventory report {year}",
        "direct": "Direct emissions",
        "direct_year": "Direct emissions {year}",
        "gwp": "with the global warming potentials (GWP) {gwp}, 100-year",
        "biogenic": "Biogenic CO₂ (memo item, not added to the total)",
        "indirect": "Indirect emissions of purchased electricity (scope 2, reported apart, "
                    "never added to direct emissions)",
        "ods": "Ozone-depleting substances (outside the Kyoto basket, not added to the total)",
        "cap_by-plan-area": "Direct emissions {year} by plan area",
        "cap_by-commune": "Direct emissions {year} by commune/ward, largest first",
        "cap_by-gas": "Direct emissions {year} by gas",
        "cap_trend": "Direct emissions: trend by year ({first}–{last})",
        "cap_top-emitters": "The {top} largest emitting facilities {year} (direct emissions)",
        "cap_indicators": "Indicators: observed against target",
        "plan_area": "Plan area",
        "commune": "Commune/ward",
        "gas": "Gas",
        "year": "Year",
        "rank": "Rank",
        "facility_id": "Facility ID",
        "facility_name": "Facility name",
        "facilities": "Facilities with direct emissions",
        "co2e_t": "Direct emissions (t CO₂e)",
        "mass_t": "Mass of gas (t)",
        "share": "Share (%)",
        "biogenic_t": "Biogenic CO₂, memo (t CO₂)",
        "indirect_t": "Indirect, not added (t CO₂e)",
        "indicator": "Indicator",
        "observed": "Observed",
        "target": "Target",
        "unit": "Unit",
        "total": "Total",
        "not_stated": "(not stated)",
        "no_data": "No data",
        "axis_co2e": "t CO₂e",
        "provenance": "Provenance",
        "guidelines": "IPCC guidelines",
        "factor_tables": "emission-factor tables",
        "made_with": "Made with ghg-inventory version {version}",
        "sheet_by-plan-area": "Plan areas",
        "sheet_by-commune": "Communes",
        "sheet_by-gas": "Gases",
        "sheet_trend": "Trend",
        "sheet_top-emitters": "Top emitters",
        "sheet_indicators": "Indicators",
        "sheet_emissions": "Emissions",
        "sheet_about": "About",
        "key": "Key",
        "value": "Value",
    },
}

#: Vietnamese marks: "." groups thousands, "," marks decimals (the English ones swapped).
_SWAP_MARKS = str.maketrans(",.", ".,")

_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em auto;max-width:60em;
color:#222;line-height:1.4;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}
.headline{border:1px solid #ccc;border-radius:6px;padding:1em 1.2em;margin:1em 0;
background:#f6f8f6}
.headline .total{font-size:2em;font-weight:bold;color:#1b5e20}
.headline p{margin:.3em 0}
.memo{color:#555}
figure{margin:2em 0;padding:0;page-break-inside:avoid}
figcaption{font-weight:bold;margin-bottom:.5em}
figure img{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;margin-top:.8em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;vertical-align:top}
th{background:#eef1ee;text-align:left}
td.num,th.num{text-align:right;white-space:nowrap}
tfoot td{font-weight:bold}
.provenance{font-size:.8em;color:#555;border-top:1px solid #ccc;padding-top:.8em;
margin-top:2em}
"""


def format_number(value: float, lang: str, decimals: int = 1) -> str:
    """A number written the way ``lang`` writes it.

    Vietnamese groups thousands with a dot and marks decimals with a comma (``1.234,5``);
    English the other way round (``1,234.5``).

    Parameters
    ----------
    value : float
        The number.
    lang : {"vi", "en"}
        Language of the report.
    decimals : int, default 1
        Digits after the decimal mark.

    Returns
    -------
    str
        The formatted number; ``"–"`` for NaN or infinity (a missing value, not a zero).

    Raises
    ------
    GHGInventoryError
        If ``lang`` is not ``"vi"`` or ``"en"``.

    Examples
    --------
    >>> format_number(1234.5, "vi")
    '1.234,5'
    >>> format_number(1234.5, "en")
    '1,234.5'
    """
    _check_lang(lang)
    value = float(value)
    if not math.isfinite(value):
        return "–"
    text = f"{value:,.{max(int(decimals), 0)}f}"
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # a value that rounds to zero is not shown as "-0,0"
    if lang == "vi":
        text = text.translate(_SWAP_MARKS)
    return text


def write_report(
    inventory: Inventory,
    path: str | Path,
    *,
    year: int,
    lang: str = "vi",
    indicators: pd.DataFrame | None = None,
    title: str | None = None,
    top: int = 10,
) -> Path:
    """Write one year's inventory as a self-contained HTML page.

    The page holds a headline (direct total in t CO2e with the inventory's GWP set, the
    biogenic CO2 memo item, indirect emissions apart), then charts with their tables:
    ``by-plan-area``, ``by-commune``, ``by-gas``, ``trend`` (every year of the inventory),
    ``top-emitters`` and, if ``indicators`` is given, ``indicators``; and at the end the
    data's provenance (GWP set, guidelines, factor tables) and the library version.

    Parameters
    ----------
    inventory : Inventory
        The computed inventory (:func:`ghg_inventory.compute`).
    path : str or pathlib.Path
        The HTML file to write.
    year : int
        The year reported (the trend covers all years of the inventory).
    lang : {"vi", "en"}, default "vi"
        Language of labels, category and plan-area names, and numbers.
    indicators : pandas.DataFrame, optional
        Indicators to read against their targets, with the columns ``indicator``,
        ``year``, ``observed``, ``target`` (may be empty) and ``unit``.
    title : str, optional
        Title of the page; by default "Báo cáo kiểm kê khí nhà kính năm <year>"
        (English: "Greenhouse-gas inventory report <year>").
    top : int, default 10
        Number of facilities in ``top-emitters``.

    Returns
    -------
    pathlib.Path
        The file written (under a temporary name first, renamed when complete).

    Raises
    ------
    GHGInventoryError
        If ``lang`` is not ``"vi"`` or ``"en"``, ``year`` has no emissions in the
        inventory, ``top`` is not positive, or ``indicators`` lacks a column.
    """
    from ghg_inventory._version import __version__

    report = _build(inventory, year=year, lang=lang, indicators=indicators, top=top)
    text = _TEXT[lang]
    page_title = title if title is not None else text["title"].format(year=year)
    figures = "\n".join(_figure_html(section, lang) for section in report.sections)
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ghg-inventory {_esc(__version__)}">
<title>{_esc(page_title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>{_esc(page_title)}</h1>
{_headline_html(report, lang)}
{figures}
{_provenance_html(inventory.meta, lang, __version__)}
</body>
</html>
"""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


def write_workbook(
    inventory: Inventory,
    path: str | Path,
    *,
    year: int | None = None,
    lang: str = "vi",
    indicators: pd.DataFrame | None = None,
    top: int = 10,
) -> Path:
    """Write the tables of :func:`write_report` as an Excel workbook, one sheet per table.

    Sheets (named in ``lang``): plan areas, communes, gases, trend, top emitters,
    indicators (if given), the full emissions table (every year, the stable column keys of
    the emissions table) and the provenance. Values are plain numbers in t, so that they
    can be computed with.

    Parameters
    ----------
    inventory : Inventory
        The computed inventory.
    path : str or pathlib.Path
        The ``.xlsx`` file to write.
    year : int, optional
        The year of the per-year sheets; by default the latest year with direct emissions.
    lang : {"vi", "en"}, default "vi"
        Language of sheet names, column headers and category names.
    indicators : pandas.DataFrame, optional
        As for :func:`write_report`.
    top : int, default 10
        Number of facilities on the top-emitters sheet.

    Returns
    -------
    pathlib.Path
        The file written (under a temporary name first, renamed when complete).

    Raises
    ------
    GHGInventoryError
        As :func:`write_report`; also if ``path`` is not ``.xlsx`` or the emissions table
        has more rows than an Excel sheet holds.
    """
    from ghg_inventory._version import __version__

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise GHGInventoryError(f"{path}: a workbook must be an .xlsx file")
    _check_lang(lang)
    if year is None:
        years = inventory.rollup(by="year")["year"]
        if years.empty:
            raise GHGInventoryError("the inventory has no direct emissions in any year")
        year = int(years.max())
    report = _build(inventory, year=year, lang=lang, indicators=indicators, top=top)
    emissions = inventory.emissions
    if len(emissions) >= _EXCEL_MAX_ROWS:
        raise GHGInventoryError(f"the emissions table has {len(emissions):,} rows, more than an "
                                f"Excel sheet holds; export it as Parquet or CSV instead "
                                f"(Inventory.export)")
    text = _TEXT[lang]
    about = pd.DataFrame(_provenance_items(inventory.meta, lang, __version__),
                         columns=[text["key"], text["value"]])
    sheets = {text[f"sheet_{s.key}"]: s.table for s in report.sections}
    with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name, index=False)
            _fit_columns(writer.sheets[name], table)
        _append_sparse(writer.book.create_sheet(text["sheet_emissions"]), emissions)
        about.to_excel(writer, sheet_name=text["sheet_about"], index=False)
        _fit_columns(writer.sheets[text["sheet_about"]], about)
    return path


# --- the report's content, independent of its form --------------------------------------


@dataclass
class _Section:
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
class _Report:
    year: int
    direct_t: float
    biogenic_t: float
    indirect_t: float
    ods_t: float | None
    gwp: str
    sections: list[_Section]


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise GHGInventoryError(f"unknown language {lang!r}; use 'vi' (Vietnamese) or 'en'")


def _build(inventory: Inventory, *, year: int, lang: str, indicators: pd.DataFrame | None,
           top: int) -> _Report:
    """Every number of the report for ``year``, checked before anything is drawn."""
    _check_lang(lang)
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
    return _Report(
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


def _plan_area_section(inventory: Inventory, year: int, lang: str, total: float) -> _Section:
    text = _TEXT[lang]
    frame = _year_rollup(inventory, "plan_area", year, lang=lang)
    # the plan's own order of its six areas, not the alphabet of their keys
    order = {area: i for i, area in enumerate(PLAN_AREAS)}
    frame = frame.sort_values("plan_area", key=lambda s: s.map(order).fillna(len(order)))
    names = frame["plan_area_name"].fillna(frame["plan_area"]).astype(str)
    t = frame["co2e_kg"].to_numpy() / 1000.0
    table = pd.DataFrame({text["plan_area"]: names.to_numpy(), text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    return _Section(
        key="by-plan-area", caption=text["cap_by-plan-area"].format(year=year), table=table,
        draw=lambda fig: _bars(fig, list(names), t, lang, horizontal=False),
        height=3.8, decimals={text["co2e_t"]: 1, text["share"]: 1},
        totals=(text["co2e_t"], text["share"]))


def _commune_section(inventory: Inventory, year: int, lang: str, total: float) -> _Section:
    text = _TEXT[lang]
    stated = _stated(inventory, "commune", text["not_stated"])
    frame = _year_rollup(stated, "commune", year)
    frame = frame.sort_values("co2e_kg", ascending=False, kind="stable")
    names = frame["commune"].astype(str).to_numpy()
    t = frame["co2e_kg"].to_numpy() / 1000.0
    table = pd.DataFrame({text["rank"]: np.arange(1, len(t) + 1), text["commune"]: names,
                          text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    return _Section(
        key="by-commune", caption=text["cap_by-commune"].format(year=year), table=table,
        draw=lambda fig: _bars(fig, list(names), t, lang, horizontal=True),
        height=1.2 + 0.26 * max(len(t), 1),
        decimals={text["rank"]: 0, text["co2e_t"]: 1, text["share"]: 1},
        totals=(text["co2e_t"], text["share"]))


def _gas_section(inventory: Inventory, year: int, lang: str, total: float) -> _Section:
    text = _TEXT[lang]
    frame = _year_rollup(inventory, "gas", year)
    frame = frame.sort_values("co2e_kg", ascending=False, kind="stable")
    gases = frame["gas"].astype(str).to_numpy()
    # each row's own gas column holds its mass (biogenic CO2 is in neither: a memo item)
    mass = np.array([frame.at[i, f"{g}_kg"] for i, g in zip(frame.index, gases, strict=True)],
                    dtype=float) / 1000.0
    t = frame["co2e_kg"].to_numpy() / 1000.0
    table = pd.DataFrame({text["gas"]: gases, text["mass_t"]: mass, text["co2e_t"]: t,
                          text["share"]: _share(pd.Series(t), total).to_numpy()})
    return _Section(
        key="by-gas", caption=text["cap_by-gas"].format(year=year), table=table,
        draw=lambda fig: _bars(fig, list(gases), t, lang, horizontal=False),
        height=3.6, decimals={text["mass_t"]: 3, text["co2e_t"]: 1, text["share"]: 1},
        totals=(text["co2e_t"], text["share"]))


def _trend_section(inventory: Inventory, direct: pd.DataFrame, indirect: pd.DataFrame,
                   lang: str) -> _Section:
    text = _TEXT[lang]
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
    return _Section(
        key="trend", caption=text["cap_trend"].format(**span), table=table,
        draw=lambda fig: _bars(fig, [str(y) for y in years], t, lang, horizontal=False),
        height=3.8, decimals={text["year"]: -1, text["co2e_t"]: 1, text["facilities"]: 0,
                              text["biogenic_t"]: 1, text["indirect_t"]: 1})


def _top_section(inventory: Inventory, year: int, lang: str, total: float,
                 top: int) -> _Section:
    text = _TEXT[lang]
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
    labels = [f"{i} {_shorten(n)}".strip() for i, n in zip(ids, shown, strict=True)]
    return _Section(
        key="top-emitters",
        caption=text["cap_top-emitters"].format(top=len(t), year=year), table=table,
        draw=lambda fig: _bars(fig, labels, t, lang, horizontal=True),
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


def _indicator_section(frame: pd.DataFrame, lang: str) -> _Section:
    text = _TEXT[lang]
    table = pd.DataFrame({text["indicator"]: frame["indicator"].to_numpy(),
                          text["year"]: frame["year"].to_numpy(),
                          text["observed"]: frame["observed"].to_numpy(dtype=float),
                          text["target"]: frame["target"].to_numpy(dtype=float),
                          text["unit"]: frame["unit"].to_numpy()})
    n = max(frame["indicator"].nunique(), 1)
    rows = -(-n // 3)
    return _Section(
        key="indicators", caption=text["cap_indicators"], table=table,
        draw=lambda fig: _indicator_bars(fig, frame, lang), height=0.6 + 2.9 * rows,
        decimals={text["year"]: -1, text["observed"]: 2, text["target"]: 2})


# --- charts -------------------------------------------------------------------------------


def _shorten(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number_axis(axis: Any, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, lang, 0)))


def _no_data(ax: Axes, lang: str) -> None:
    ax.text(0.5, 0.5, _TEXT[lang]["no_data"], ha="center", va="center",
            transform=ax.transAxes)
    ax.set_axis_off()


def _bars(fig: Figure, labels: list[str], values: np.ndarray, lang: str, *,
          horizontal: bool) -> None:
    ax = fig.add_subplot()
    if not len(values):
        _no_data(ax, lang)
        return
    positions = np.arange(len(values))
    if horizontal:
        ax.barh(positions, values, color="#2e7d32")
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()  # the largest on top
        ax.set_xlabel(_TEXT[lang]["axis_co2e"])
        _number_axis(ax.xaxis, lang)
        ax.grid(axis="x", alpha=0.3)
    else:
        ax.bar(positions, values, color="#2e7d32")
        rotate = len(labels) > 6 or max(len(s) for s in labels) > 14
        ax.set_xticks(positions, labels, rotation=45 if rotate else 0,
                      ha="right" if rotate else "center")
        ax.set_ylabel(_TEXT[lang]["axis_co2e"])
        _number_axis(ax.yaxis, lang)
        ax.grid(axis="y", alpha=0.3)
    # removals (negative values, e.g. forestry) read against a visible zero line
    if horizontal:
        ax.axvline(0, color="#444", linewidth=0.6)
    else:
        ax.axhline(0, color="#444", linewidth=0.6)
    ax.set_axisbelow(True)


def _indicator_bars(fig: Figure, frame: pd.DataFrame, lang: str) -> None:
    """One panel per indicator (their units differ): observed and target side by side."""
    text = _TEXT[lang]
    names = list(dict.fromkeys(frame["indicator"]))
    if not names:
        _no_data(fig.add_subplot(), lang)
        return
    cols = min(len(names), 3)
    rows = -(-len(names) // cols)
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat[len(names):]:
        ax.set_axis_off()
    for ax, name in zip(axes.flat, names, strict=False):
        rows_of = frame[frame["indicator"] == name].sort_values("year")
        x = np.arange(len(rows_of))
        ax.bar(x - 0.2, rows_of["observed"], width=0.4, label=text["observed"],
               color="#2e7d32")
        ax.bar(x + 0.2, rows_of["target"].fillna(0.0), width=0.4, label=text["target"],
               color="#bdbdbd", edgecolor="#616161")
        ax.set_xticks(x, [str(y) for y in rows_of["year"]])
        ax.set_title(_shorten(name, 45), fontsize=9)
        units = "; ".join(u for u in dict.fromkeys(rows_of["unit"]) if u)
        ax.set_ylabel(units)
        _number_axis(ax.yaxis, lang)
        ax.legend(fontsize=7)


def _png(section: _Section) -> str:
    """The section's chart as base64 PNG, drawn on an Agg canvas (no pyplot, no display)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # data text such as "$" in a facility name is text, not mathtext
    with matplotlib.rc_context({"text.parse_math": False, "font.size": 9}):
        fig = Figure(figsize=(8.0, section.height), dpi=100, layout="constrained")
        FigureCanvasAgg(fig)
        section.draw(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# --- HTML ---------------------------------------------------------------------------------


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cell(value: Any, decimals: int | None, lang: str) -> str:
    if decimals is None:
        return f"<td>{_esc('' if pd.isna(value) else value)}</td>"
    if decimals < 0:  # a year: no grouping of thousands
        return f'<td class="num">{_esc(int(value))}</td>'
    return f'<td class="num">{format_number(float(value), lang, decimals)}</td>'


def _table_html(section: _Section, lang: str) -> str:
    table, decimals = section.table, section.decimals
    head = "".join(f'<th class="num">{_esc(c)}</th>' if c in decimals else f"<th>{_esc(c)}</th>"
                   for c in table.columns)
    body = "\n".join(
        "<tr>" + "".join(_cell(v, decimals.get(c), lang) for c, v in zip(
            table.columns, row, strict=True)) + "</tr>"
        for row in table.itertuples(index=False, name=None))
    foot = ""
    if section.totals and len(table):
        cells = []
        for i, column in enumerate(table.columns):
            if column in section.totals:
                total = float(table[column].sum())
                cells.append(f'<td class="num">{format_number(total, lang, decimals[column])}'
                             "</td>")
            else:
                cells.append(f"<td>{_esc(_TEXT[lang]['total']) if i == 0 else ''}</td>")
        foot = "<tfoot><tr>" + "".join(cells) + "</tr></tfoot>"
    return (f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>{foot}\n"
            "</table>")


def _figure_html(section: _Section, lang: str) -> str:
    return (f'<figure id="{section.key}">\n'
            f"<figcaption>{_esc(section.caption)}</figcaption>\n"
            f'<img src="data:image/png;base64,{_png(section)}" alt="{_esc(section.caption)}">\n'
            f"{_table_html(section, lang)}\n</figure>")


def _headline_html(report: _Report, lang: str) -> str:
    text = _TEXT[lang]
    lines = [
        f'<p>{_esc(text["direct_year"].format(year=report.year))}</p>',
        f'<p class="total">{format_number(report.direct_t, lang)} t CO₂e</p>',
        f'<p>{_esc(text["gwp"].format(gwp=report.gwp))}</p>',
        f'<p class="memo">{_esc(text["biogenic"])}: '
        f"{format_number(report.biogenic_t, lang)} t CO₂</p>",
        f'<p class="memo">{_esc(text["indirect"])}: '
        f"{format_number(report.indirect_t, lang)} t CO₂e</p>",
    ]
    if report.ods_t is not None:
        lines.append(f'<p class="memo">{_esc(text["ods"])}: '
                     f"{format_number(report.ods_t, lang)} t CO₂e</p>")
    return '<section class="headline">\n' + "\n".join(lines) + "\n</section>"


def _provenance_items(meta: dict[str, Any], lang: str, version: str) -> list[tuple[str, str]]:
    """(label, value) pairs saying how the numbers were computed."""
    text = _TEXT[lang]
    # file names, not the paths of the machine that computed them
    tables = ", ".join(Path(str(p)).name for p in meta.get("factor_tables") or [])
    items = [("GWP", str(meta.get("gwp", ""))),
             (text["guidelines"], str(meta.get("guidelines", ""))),
             (text["factor_tables"], tables)]
    shown = {"gwp", "guidelines", "factor_tables"}
    items += [(str(k), str(v)) for k, v in meta.items() if k not in shown]
    items.append(("ghg-inventory", version))
    return items


def _provenance_html(meta: dict[str, Any], lang: str, version: str) -> str:
    text = _TEXT[lang]
    items = _provenance_items(meta, lang, version)[:-1]
    listed = "; ".join(f"{_esc(k)}: {_esc(v)}" for k, v in items)
    return (f'<footer class="provenance"><p>{_esc(text["provenance"])}: {listed}.</p>\n'
            f'<p>{_esc(text["made_with"].format(version=version))}.</p></footer>')


# --- workbook -----------------------------------------------------------------------------


def _fit_columns(sheet: Any, table: pd.DataFrame) -> None:
    """Columns wide enough for their headers, so the sheet reads without resizing."""
    from openpyxl.utils import get_column_letter

    for i, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(len(str(column)) + 2, 10),
                                                                  50)


def _append_sparse(sheet: Any, table: pd.DataFrame) -> None:
    """Write a table to a sheet leaving empty cells out.

    The emissions table is half empty (each method's parameter columns are blank on the
    other methods' rows); ``DataFrame.to_excel`` writes every blank as an empty string
    cell, openpyxl skips ``None`` cells, which halves the time and the file.
    """
    sheet.append([str(c) for c in table.columns])
    values = table.astype(object).where(table.notna(), None)
    for row in values.itertuples(index=False, name=None):
        sheet.append(row)
    _fit_columns(sheet, table)
