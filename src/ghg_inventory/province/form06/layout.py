"""The look of the Form 06 workbook: number formats, fills and borders, and :class:`Sheet`,
a worksheet written top to bottom one block (text, heading, field, table) after another.

Numbers are written as numbers with formats such as ``#,##0.000``, not as text, so that the
sheets can be computed with (Excel shows the marks of the reader's locale).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

#: Number formats: t, gas masses, factor values, percentages, years.
FMT_T = "#,##0.000"
FMT_GAS = "#,##0.000###"
FMT_VALUE = "#,##0.0#####"
FMT_PCT = "0.0"
FMT_YEAR = "0"

#: Cells the facility fills in.
TODO_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


class Sheet:
    """A worksheet written top to bottom, one block after another."""

    def __init__(self, sheet: Any, widths: Sequence[float]) -> None:
        self.ws = sheet
        self.row = 1
        self.widths = list(widths)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width

    @property
    def last(self) -> int:
        return len(self.widths)

    def _fit(self, row: int, text: str, first: int, last: int) -> None:
        chars = sum(self.widths[first - 1:last]) * 1.1
        lines = max(1, math.ceil(len(text) / max(chars, 1.0)))
        current = self.ws.row_dimensions[row].height or 15.0
        self.ws.row_dimensions[row].height = max(current, 15.0 * lines)

    def text(self, value: str, *, bold: bool = False, italic: bool = False,
             size: float | None = None, column: int = 1, to: int | None = None,
             align: str | None = None, advance: bool = True) -> Any:
        to = self.last if to is None else to
        cell = self.ws.cell(row=self.row, column=column, value=value)
        cell.font = Font(bold=bold, italic=italic, size=size)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=align)
        if to > column:
            self.ws.merge_cells(start_row=self.row, start_column=column, end_row=self.row,
                                end_column=to)
        self._fit(self.row, value, column, to)
        if advance:
            self.row += 1
        return cell

    def heading(self, value: str, level: int = 1) -> Any:
        return self.text(value, bold=True, size=13 if level == 0 else 11)

    def field(self, label: str, value: object, *, number_format: str | None = None) -> Any:
        """A label in column A and its value across the other columns (yellow if empty)."""
        label_cell = self.ws.cell(row=self.row, column=1, value=label)
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell = self.ws.cell(row=self.row, column=2, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if number_format:
            cell.number_format = number_format
        if value is None or value == "":
            cell.value = None
            for column in range(2, self.last + 1):
                self.ws.cell(row=self.row, column=column).fill = TODO_FILL
        if self.last > 2:
            self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row,
                                end_column=self.last)
        self._fit(self.row, str(value or ""), 2, self.last)
        self._fit(self.row, label, 1, 1)
        self.row += 1
        return cell

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]],
              formats: Sequence[str | None], *, bold_rows: Sequence[int] = ()) -> list[int]:
        """A bordered table; returns the sheet row of each data row."""
        for column, header in enumerate(headers, start=1):
            cell = self.ws.cell(row=self.row, column=column, value=header)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self._fit(self.row, max(headers, key=len), 1, 1)
        self.row += 1
        placed = []
        for index, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                value = plain(value)
                cell = self.ws.cell(row=self.row, column=column, value=value)
                cell.border = _BORDER
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                fmt = formats[column - 1] if column - 1 < len(formats) else None
                if fmt and isinstance(value, (int, float)):
                    cell.number_format = fmt
                if index in bold_rows:
                    cell.font = Font(bold=True)
            placed.append(self.row)
            self.row += 1
        return placed

    def skip(self, rows: int = 1) -> None:
        self.row += rows


def plain(value: object) -> object:
    """A value openpyxl writes: numpy scalars as Python numbers, NaN and NA as empty."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def define(book: Workbook, name: str, cell: Any) -> None:
    """A workbook-level defined name for ``cell``."""
    reference = f"{quote_sheetname(cell.parent.title)}!{absolute_coordinate(cell.coordinate)}"
    book.defined_names[name] = DefinedName(name, attr_text=reference)

