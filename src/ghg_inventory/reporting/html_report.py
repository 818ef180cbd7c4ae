"""One year's inventory as a self-contained HTML report, and the same tables as a workbook.

The HTML page needs nothing but a browser: CSS is inline, charts are PNG images embedded as
``data:`` URIs (drawn with matplotlib's Agg canvas, no display and no pyplot state), there is
no JavaScript and no external URL, so it can be mailed or archived as one file. Every section
sits in a ``<figure id="...">`` with its caption and, under it, the table its chart (if it
has one) was drawn from. It opens as an office heads a document: the issuing office, place and
date, then a header block (province, reporting year, office, date produced, what the year
covers, the basis in words).

It prints on A4 (``report.css``: ``@page`` A4 portrait, 15 mm margins, page numbers; a
caption and note stay with their chart, table headers repeat on each page, rows never split,
long text wraps): a browser's Print or Chromium's ``--print-to-pdf`` gives A4 pages with
nothing cut, which ``tests/test_report_browser.py`` checks in headless Chromium.

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

import datetime as dt
import html
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
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
    basis_sentences,
    build,
    counted,
    significant,
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
    province: str = "Lai Châu",
    office: str = "",
    produced: dt.date | None = None,
) -> Path:
    """Write one year's inventory as a self-contained HTML page, printable on A4.

    The page opens with a header block (province, reporting year, issuing office, date
    produced, what the year covers, and the basis in words: GWP set, guidelines edition,
    factors used and how they were checked, library version), then the headline (direct
    total in t CO2e, the biogenic CO2 memo item, indirect emissions apart), then the
    sections: ``by-plan-area`` (facility reports and provincial aggregates apart),
    ``by-commune``, ``by-gas``, ``trend`` (every year, with what each year covers),
    ``top-emitters`` (facility reports only), ``aggregates`` (the province's own
    compilation), ``indicators`` if given (the plan's targets: progress and status in
    words) and ``basis`` (the factor tables used, per verification status).

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
        Indicators to read against their targets, with the columns ``indicator`` (a key
        of the plan's targets, named from the catalogue, or the user's own name),
        ``year``, ``observed``, ``target`` (may be empty) and ``unit``, optionally
        ``target_year`` (the status judges the trend against it).
    title : str, optional
        Title of the page; by default "Báo cáo kiểm kê khí nhà kính tỉnh <province> năm
        <year>" (English: "Greenhouse-gas inventory of <province> province, <year>").
    top : int, default 10
        Number of facilities in ``top-emitters``.
    province : str, default "Lai Châu"
        The province reported.
    office : str, optional
        The issuing office, as it signs (e.g. "Sở Nông nghiệp và Môi trường tỉnh Lai
        Châu"); the command line reads it from ``--office`` or the setting
        ``GHG_INVENTORY_OFFICE``. Empty: the header says it is not stated.
    produced : datetime.date, optional
        The date the report is produced (today by default).

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

    report = build(inventory, year=year, lang=lang, indicators=indicators, top=top,
                   province=province, office=office, produced=produced)
    if title is not None:
        page_title = title
    elif province:
        page_title = i18n.label("report.title_province", lang, year=year, province=province)
    else:
        page_title = i18n.label("report.title", lang, year=year)
    made_with = i18n.label("report.made_with", lang, version=__version__)
    figures = "\n".join(_figure_html(section, number, lang)
                        for number, section in enumerate(report.sections, start=1))
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
{_masthead_html(report, lang)}
<h1>{_esc(page_title)}</h1>
{_header_html(report, lang)}
{_headline_html(report, lang)}
{figures}
<footer class="provenance"><p>{_esc(made_with)}.</p></footer>
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


def _cell(value: Any, decimals: int | None, lang: str, share: bool = False) -> str:
    if decimals is None:
        return f"<td>{_esc('' if pd.isna(value) else value)}</td>"
    if pd.isna(value):
        return '<td class="num">–</td>'
    if decimals < 0:  # a year: no grouping of thousands
        return f'<td class="num">{_esc(int(value))}</td>'
    if share and 0 < abs(float(value)) < 0.5 * 10.0 ** -decimals:
        # a share too small for its decimals is "< 0.1", not 0.0 nor 0.0000102
        return f'<td class="num">&lt; {format_number(10.0 ** -decimals, lang, decimals)}</td>'
    return f'<td class="num">{significant(float(value), lang, decimals=decimals)}</td>'


def _table_html(section: Section, lang: str) -> str:
    if section.display is not None:
        return _display_html(section)
    table, decimals = section.table, section.decimals
    shares = {i18n.label("report.share", lang), i18n.label("report.progress", lang)}
    head = "".join(f'<th class="num">{_esc(c)}</th>' if c in decimals else f"<th>{_esc(c)}</th>"
                   for c in table.columns)
    body = "\n".join(
        "<tr>" + "".join(_cell(v, decimals.get(c), lang, c in shares) for c, v in zip(
            table.columns, row, strict=True)) + "</tr>"
        for row in table.itertuples(index=False, name=None))
    foot = ""
    if section.totals and len(table) > 1:
        cells = []
        for i, column in enumerate(table.columns):
            if column in section.totals:
                total = float(table[column].sum())
                shown = significant(total, lang, decimals=decimals[column])
                cells.append(f'<td class="num">{shown}</td>')
            else:
                cells.append(f"<td>{_esc(i18n.label('report.total', lang)) if i == 0 else ''}</td>")
        # the total closes the body (a tfoot would repeat on every printed page)
        foot = '<tr class="total">' + "".join(cells) + "</tr>"
    if not len(table):
        return ""
    return (f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n{foot}</tbody>\n"
            "</table>")


def _display_html(section: Section) -> str:
    """A table of text cells as formatted by the section; its ``bar`` column drawn as a
    progress bar (a CSS box, no image: it prints in colour and scales with the page)."""
    table = section.display
    assert table is not None
    head = "".join(f"<th>{_esc(c)}</th>" for c in table.columns)
    values = section.bar_values if section.bar_values is not None else np.full(len(table),
                                                                               np.nan)
    # short cells (a year, a value with its unit) never break inside
    short = {c for c in table.columns if table[c].astype(str).str.len().max() <= 14}
    rows = []
    for row, value in zip(table.itertuples(index=False, name=None), values, strict=True):
        cells = []
        for column, cell in zip(table.columns, row, strict=True):
            if column == section.bar and np.isfinite(value):
                width = min(max(float(value), 0.0), 100.0)
                state = "done" if value >= 100.0 else "open"
                cells.append(f'<td class="bar"><span class="track"><span class="fill {state}" '
                             f'style="width:{width:.0f}%"></span></span>'
                             f'<span class="pct">{_esc(cell)}</span></td>')
            else:
                shown = ' class="short"' if column in short else ""
                cells.append(f"<td{shown}>{_esc(cell)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = "\n".join(rows)
    return (f'<table class="display">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n'
            "</tbody>\n</table>")


def _figure_html(section: Section, number: int, lang: str) -> str:
    caption = f"{number}. {section.caption}"
    parts = [f'<figure id="{section.key}">', f"<figcaption>{_esc(caption)}</figcaption>"]
    if section.note:
        parts.append(f'<p class="note">{_esc(section.note)}</p>')
    if section.draw is not None:
        png = charts.png(section.draw, section.height)
        parts.append(f'<img src="data:image/png;base64,{png}" alt="{_esc(section.caption)}">')
    parts.append(_table_html(section, lang))
    parts.append("</figure>")
    return "\n".join(p for p in parts if p)


def _date_words(day: dt.date, lang: str) -> str:
    return i18n.label("report.date", lang, day=f"{day.day:02d}", month=f"{day.month:02d}",
                      year=day.year, iso=day.isoformat())


def _masthead_html(report: Report, lang: str) -> str:
    """The issuing office on the left and the place and date on the right, as an office
    heads its documents."""
    text = i18n.labels(lang, "report.")
    office = report.office or text["not_stated"]
    place = f"{report.province}, " if report.province else ""
    return ('<header class="masthead">\n'
            f'<p class="office">{_esc(office)}</p>\n'
            f'<p class="dated">{_esc(place + _date_words(report.produced, lang))}</p>\n'
            "</header>")


def _header_html(report: Report, lang: str) -> str:
    text = i18n.labels(lang, "report.")
    covers = text["covers"].format(
        year=report.year, facilities=counted(report.n_facilities, "facilities", lang),
        aggregates=counted(report.n_aggregates, "aggregates", lang))
    basis = report.basis
    sentences = basis_sentences(basis, lang) if basis is not None else []
    rows = [(text["province"], _esc(report.province or text["not_stated"])),
            (text["reporting_year"], _esc(report.year)),
            (text["office"], _esc(report.office or text["not_stated"])),
            (text["produced"], _esc(_date_words(report.produced, lang))),
            (text["coverage"], _esc(covers)),
            (text["basis"], "<ul>" + "".join(f"<li>{_esc(s)}</li>" for s in sentences)
             + "</ul>")]
    items = "\n".join(f"<tr><th>{_esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="header-block">\n{items}\n</table>'


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


@cache
def _css() -> str:
    """The page's style sheet, ``report.css`` beside this module."""
    return resources.files("ghg_inventory.reporting").joinpath("report.css").read_text(
        encoding="utf-8")
