"""Roll-up tables for the terminal (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from rich.table import Table


def rollup_table(frame: pd.DataFrame, title: str, *, decimals: int = 3) -> Table:
    """A roll-up (``Inventory.rollup``) as a rich table in tonnes, with a TOTAL line.

    Columns ending in ``_kg`` are shown in t; the others are the group labels.
    """
    from rich.table import Table

    labels = [c for c in frame.columns if not c.endswith("_kg")]
    values = [c for c in frame.columns if c.endswith("_kg")]
    table = Table(title=title)
    for column in labels:
        table.add_column(column)
    for column in values:
        table.add_column(column.removesuffix("_kg").replace("co2e", "CO2e") + " (t)",
                         justify="right")
    for row in frame.to_dict("records"):
        table.add_row(*[str(row[c]) for c in labels],
                      *[f"{row[c] / 1000:,.{decimals}f}" for c in values])
    table.add_section()
    table.add_row("TOTAL", *[""] * (len(labels) - 1),
                  *[f"{frame[c].sum() / 1000:,.{decimals}f}" for c in values])
    return table


def frame_table(frame: pd.DataFrame, title: str) -> Table:
    """Any table as a rich table, as it stands: no TOTAL line (its columns need not add
    up), whole numbers without decimals, missing values as "–"."""
    from rich.table import Table

    table = Table(title=title)
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left")

    def shown(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "–"
        if isinstance(value, float):
            return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
        return str(value)

    for row in frame.itertuples(index=False, name=None):
        table.add_row(*[shown(v) for v in row])
    return table
