"""Tables for the terminal (rich) that never cut a number.

Numbers sit in right-justified columns as wide as their widest cell, never narrowed. Text
columns wrap at spaces, the widest narrowed first, none narrower than its longest word (its
header's included): a word is never cut, never ends in "…". Cells and titles are shown as written:
``[length] / [time]`` is text, not rich markup. Printed where standard output is no
terminal (a pipe, a file, a log) or on a narrow terminal, a table is at least as wide as its
numbers and words need (:func:`show`).

Masses of CO2e are shown in t (:func:`in_tonnes`): files keep kg, as the vocabulary says
(``co2e_kg``), the screen shows t CO2e in every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ghg_inventory.i18n.formatting import in_marks

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table


def _text(value: object) -> Any:
    """A cell or title as plain text (no markup)."""
    from rich.text import Text

    return Text(str(value))


def _add_number_column(table: Table, header: str, cells: list[str]) -> None:
    """A right-justified column no narrower than its widest cell; folded, never cut."""
    width = max([len(c) for c in cells] + [len(header), 1])
    table.add_column(_text(header), justify="right", overflow="fold", width=width)


def number(value: float, decimals: int, lang: str = "en") -> str:
    """``value`` with thousands separators, as ``lang`` writes numbers: ``1,234.5`` in
    English, ``1.234,5`` in Vietnamese."""
    text = f"{value:,.{decimals}f}"
    return in_marks(text, lang)


def rollup_table(frame: pd.DataFrame, title: str, *, decimals: int = 3,
                 total: str = "TOTAL", unit: str = "t", lang: str = "en") -> Table:
    """A roll-up (``Inventory.rollup``) as a rich table in tonnes, with a TOTAL line.

    Columns ending in ``_kg`` are shown in t; the others are the group labels. ``total``
    and ``unit`` are the words of the TOTAL line and the unit in the headers (their
    translations in another language); numbers are written as ``lang`` writes them.
    """
    from rich.table import Table

    labels = [c for c in frame.columns if not c.endswith("_kg")]
    values = [c for c in frame.columns if c.endswith("_kg")]
    table = Table(title=_text(title))
    for column in labels:
        table.add_column(_text(column), overflow="fold")
    shown = {c: [number(v / 1000, decimals, lang) for v in frame[c]] for c in values}
    sums = {c: number(frame[c].sum() / 1000, decimals, lang) for c in values}
    for column in values:
        header = column.removesuffix("_kg").replace("co2e", "CO2e") + f" ({unit})"
        _add_number_column(table, header, [*shown[column], sums[column], header])
    for i, row in enumerate(frame[labels].itertuples(index=False, name=None)):
        table.add_row(*[_text(v) for v in row], *[shown[c][i] for c in values])
    table.add_section()
    table.add_row(_text(total), *[""] * (len(labels) - 1), *[sums[c] for c in values])
    return table


def shown(value: object, lang: str = "en") -> str:
    """A cell as the terminal shows it: floats with thousands separators and two decimals,
    as ``lang`` writes numbers; missing values as "–"."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value)
                         and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return number(value, 2, lang)
    return str(value)


def frame_table(frame: pd.DataFrame, title: str, lang: str = "en") -> Table:
    """Any table as a rich table, as it stands: no TOTAL line (its columns need not add
    up), floats with two decimals (as ``lang`` writes numbers), missing values as "–"."""
    from rich.table import Table

    table = Table(title=_text(title))
    cells = {c: [shown(v, lang) for v in frame[c]] for c in frame.columns}
    for column in frame.columns:
        numeric = (pd.api.types.is_numeric_dtype(frame[column])
                   and not pd.api.types.is_bool_dtype(frame[column]))
        if numeric:
            _add_number_column(table, str(column), cells[column])
        else:
            table.add_column(_text(column), overflow="fold")
    for i in range(len(frame)):
        table.add_row(*[_text(cells[c][i]) for c in frame.columns])
    return table


def in_tonnes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its numeric ``*_kg`` columns in t, renamed ``*_t`` (the screen's
    unit of CO2e)."""
    renamed = {}
    out = frame.copy()
    for column in frame.columns:
        name = str(column)
        if name.endswith("_kg") and pd.api.types.is_numeric_dtype(frame[column]) \
                and not pd.api.types.is_bool_dtype(frame[column]):
            out[column] = frame[column] / 1000.0
            renamed[column] = name.removesuffix("_kg") + "_t"
    return out.rename(columns=renamed)


#: A text column is given at least this many characters (or its widest cell, if narrower)
#: before the table is made wider than the screen: a message squeezed to its longest word
#: would read one word a line.
READABLE = 20


def show(renderable: RenderableType, *, stderr: bool = False,
         console: Console | None = None) -> None:
    """Print ``renderable`` at the console's width, or wider where its numbers and words
    need it: a terminal, a log or a pipe gets whole numbers and whole words, never "…"."""
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table

    console = console or Console(stderr=stderr)
    # text wraps at the console's width; numbers are never squeezed: the table is at least
    # as wide as its narrowest form, where every number and every word has its whole width
    # and a text column its readable width (on a narrow terminal its lines run on rather
    # than lose a label or fold a number)
    layout = _Layout(renderable, console) if isinstance(renderable, Table) else None
    need = (layout.need if layout is not None else Measurement.get(
        console, console.options.update_width(100_000), renderable).minimum)
    if need > console.width:
        console = Console(stderr=stderr, width=need, file=console.file,
                          force_terminal=console.is_terminal,
                          color_system=console.color_system,  # type: ignore[arg-type]
                          no_color=console.no_color)
    if layout is not None:
        layout.fit(console.width)
    console.print(renderable)


class _Layout:
    """The widths a table's columns can take: (least, widest) per column, without padding.

    A number column (fixed width) keeps its width; a text column's least is its longest
    word (header included) or `READABLE` characters, whichever is more (but never more
    than its widest cell)."""

    def __init__(self, table: Table, console: Console) -> None:
        from rich.measure import Measurement
        from rich.padding import Padding

        self.table = table
        options = console.options.update_width(100_000)
        _, right, _, left = Padding.unpack(table.padding)
        self.pad = left + right
        self.spans: list[tuple[int, int]] = []
        for column in table.columns:
            if column.width is not None:
                self.spans.append((column.width, column.width))
                continue
            sizes = [Measurement.get(console, options, cell)
                     for cell in [column.header, *column.cells]]
            word = max(m.minimum for m in sizes)
            widest = max(m.maximum for m in sizes)
            self.spans.append((max(word, min(widest, READABLE)), widest))
        whole = Measurement.get(console, options, table).maximum
        self.extra = whole - sum(high + self.pad for _, high in self.spans)
        self.need = sum(low + self.pad for low, _ in self.spans) + self.extra

    def fit(self, width: int) -> None:
        """Give each text column its width within ``width``: as wide as its widest cell
        where there is room, else the widest columns narrowed first down to a common width,
        none below its least (rich alone narrows the widest columns regardless of their
        words, cutting a header such as ``current_years`` mid-word)."""
        spans = self.spans
        room = width - self.extra - self.pad * len(spans)
        if not spans or sum(high for _, high in spans) <= room:
            return

        def widths(level: int) -> list[int]:
            return [min(high, max(low, level)) for low, high in spans]

        # the largest common width the widest columns can keep (binary search), then the
        # columns at that width share what is left, one character each
        lo, hi = 0, max(high for _, high in spans)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if sum(widths(mid)) <= room else (lo, mid - 1)
        chosen = widths(lo)
        left_over = room - sum(chosen)
        for i, (_, high) in enumerate(spans):
            if left_over <= 0:
                break
            if chosen[i] < high:
                chosen[i] += 1
                left_over -= 1
        for column, size in zip(self.table.columns, chosen, strict=True):
            if column.width is None:
                column.width = size
