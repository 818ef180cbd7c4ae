"""The report's tables as an Excel workbook, one sheet per section of the page.

Values are plain numbers in t, so that they can be computed with; sheet names and headers are
in the report's language. The full emissions table and the provenance close the workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ghg_inventory import i18n
from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n.messages import msg
from ghg_inventory.reporting.sections import build, provenance_items
from ghg_inventory.writers import atomic_path, text_cells

if TYPE_CHECKING:
    from ghg_inventory.inventory import Inventory

#: Rows Excel can hold in one sheet, header included (Excel specifications and limits).
_EXCEL_MAX_ROWS = 1_048_576


def write_workbook(
    inventory: Inventory,
    path: str | Path,
    *,
    year: int | None = None,
    lang: str = "vi",
    indicators: pd.DataFrame | None = None,
    top: int = 10,
) -> Path:
    """Write the tables of the HTML report as an Excel workbook, one sheet per table.

    Sheets (named in ``lang``): plan areas (facility reports and provincial aggregates
    apart), communes, gases, trend (with what each year covers), top emitters (facility
    reports), provincial aggregates, the plan's indicators (if given: target, observed, gap,
    progress and status), the factor tables used (factors per verification status), the
    full emissions table (every year, the stable column keys of the emissions table) and
    the provenance. Values are plain numbers in t, so that they
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
        As for :func:`~ghg_inventory.reporting.html_report.write_report`.
    top : int, default 10
        Number of facilities on the top-emitters sheet.

    Returns
    -------
    pathlib.Path
        The file written (under a temporary name first, renamed when complete). Every
        text cell is a string cell, never a formula (see :mod:`ghg_inventory.writers`).

    Raises
    ------
    GHGInventoryError
        As :func:`~ghg_inventory.reporting.html_report.write_report`; also if ``path`` is
        not ``.xlsx`` or the emissions table has more rows than an Excel sheet holds.
    """
    from ghg_inventory._version import __version__

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise GHGInventoryError(msg("reporting.workbook.not_xlsx", path=path))
    i18n.check_lang(lang)
    if year is None:
        years = inventory.rollup(by="year")["year"]
        if years.empty:
            raise GHGInventoryError(msg("reporting.workbook.no_direct"))
        year = int(years.max())
    report = build(inventory, year=year, lang=lang, indicators=indicators, top=top)
    emissions = inventory.emissions
    if len(emissions) >= _EXCEL_MAX_ROWS:
        raise GHGInventoryError(msg("reporting.workbook.too_many_rows", rows=len(emissions)))
    text = i18n.labels(lang, "report.")
    about = pd.DataFrame(provenance_items(inventory.meta, lang, __version__),
                         columns=[text["key"], text["value"]])
    sheets = {text[f"sheet_{s.key}"]: s.table for s in report.sections}
    with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name, index=False)
            _fit_columns(writer.sheets[name], table)
        _append_sparse(writer.book.create_sheet(text["sheet_emissions"]), emissions)
        about.to_excel(writer, sheet_name=text["sheet_about"], index=False)
        _fit_columns(writer.sheets[text["sheet_about"]], about)
        # a commune named "=HYPERLINK(...)" stays its name, never a live formula
        text_cells(writer.book)
    return path


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
