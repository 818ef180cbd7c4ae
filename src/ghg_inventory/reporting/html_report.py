"""One year's inventory as a self-contained HTML report, and the same tables as a workbook.

The HTML page needs nothing but a browser: CSS is inline, charts are PNG images embedded as
``data:`` URIs (drawn with matplotlib's Agg canvas, no display and no pyplot state), there is
no JavaScript and no external URL, so it can be mailed or archived as one file. Every chart
sits in a ``<figure id="...">`` with its caption and, under it, the table it was drawn from.

The reporting rules of :mod:`ghg_inventory.inventory` hold here too: the headline is the
total of *direct* emissions; biogenic CO2 is a memo item and indirect (scope 2) emissions of
purchased electricity are shown apart, never added to it.

Labels are Vietnamese by default (``lang="vi"``) or English (``lang="en"``), read from the
catalogue of :mod:`ghg_inventory.i18n`, and numbers are written the way each language writes
them (:func:`ghg_inventory.i18n.formatting.format_number`). The page is assembled here; its
content comes from :mod:`~ghg_inventory.reporting.sections`, its charts from
:mod:`~ghg_inventory.reporting.charts` and its style sheet from ``report.css`` beside this
module. :func:`write_workbook` (:mod:`~ghg_inventory.reporting.workbook`) writes the same
tables as a workbook.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ghg_inventory import i18n
from ghg_inventory.i18n import LANGS
from ghg_inventory.i18n.formatting import format_number
from ghg_inventory.reporting import charts
from ghg_inventory.reporting.sections import (
    FIGURE_IDS,
    INDICATOR_COLUMNS,
    Report,
    Section,
    build,
    provenance_items,
)
from ghg_inventory.reporting.workbook import write_workbook
from ghg_inventory.writers import atomic_path

if TYPE_CHECKING:
    from ghg_inventory.inventory import Inventory

__all__ = ["FIGURE_IDS", "INDICATOR_COLUMNS", "LANGS", "format_number", "write_report",
           "write_workbook"]


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

    report = build(inventory, year=year, lang=lang, indicators=indicators, top=top)
    page_title = title if title is not None else i18n.label("report.title", lang, year=year)
    figures = "\n".join(_figure_html(section, lang) for section in report.sections)
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ghg-inventory {_esc(__version__)}">
<title>{_esc(page_title)}</title>
<style>
{_css()}</style>
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


# --- HTML ---------------------------------------------------------------------------------


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cell(value: Any, decimals: int | None, lang: str) -> str:
    if decimals is None:
        return f"<td>{_esc('' if pd.isna(value) else value)}</td>"
    if decimals < 0:  # a year: no grouping of thousands
        return f'<td class="num">{_esc(int(value))}</td>'
    return f'<td class="num">{format_number(float(value), lang, decimals)}</td>'


def _table_html(section: Section, lang: str) -> str:
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
                cells.append(f"<td>{_esc(i18n.label('report.total', lang)) if i == 0 else ''}</td>")
        foot = "<tfoot><tr>" + "".join(cells) + "</tr></tfoot>"
    return (f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>{foot}\n"
            "</table>")


def _figure_html(section: Section, lang: str) -> str:
    png = charts.png(section.draw, section.height)
    return (f'<figure id="{section.key}">\n'
            f"<figcaption>{_esc(section.caption)}</figcaption>\n"
            f'<img src="data:image/png;base64,{png}" alt="{_esc(section.caption)}">\n'
            f"{_table_html(section, lang)}\n</figure>")


def _headline_html(report: Report, lang: str) -> str:
    text = i18n.labels(lang, "report.")
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


def _provenance_html(meta: dict[str, Any], lang: str, version: str) -> str:
    text = i18n.labels(lang, "report.")
    items = provenance_items(meta, lang, version)[:-1]
    listed = "; ".join(f"{_esc(k)}: {_esc(v)}" for k, v in items)
    return (f'<footer class="provenance"><p>{_esc(text["provenance"])}: {listed}.</p>\n'
            f'<p>{_esc(text["made_with"].format(version=version))}.</p></footer>')


@cache
def _css() -> str:
    """The page's style sheet, ``report.css`` beside this module."""
    return resources.files("ghg_inventory.reporting").joinpath("report.css").read_text(
        encoding="utf-8")
