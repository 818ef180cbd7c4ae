"""Presenting results: roll-up tables for the terminal, and writing tables to files."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .errors import GHGInventoryError

if TYPE_CHECKING:
    from rich.table import Table

WRITERS = (".csv", ".parquet", ".pq", ".xlsx")


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


def write_table(frame: pd.DataFrame, path: str | Path,
                sheets: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write a table as CSV, Parquet or Excel by the file's extension.

    The file is written under a temporary name and renamed when complete, so a failure
    never leaves a partial file under the final name. ``sheets`` adds further sheets to an
    Excel file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITERS:
        raise GHGInventoryError(f"{path}: unknown output type {suffix!r}; "
                                "use .csv, .parquet or .xlsx")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            frame.to_csv(tmp, index=False)
        elif suffix in (".parquet", ".pq"):
            frame.to_parquet(tmp, index=False)
        else:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                frame.to_excel(writer, sheet_name="data" if not sheets else "emissions",
                               index=False)
                for name, extra in (sheets or {}).items():
                    extra.to_excel(writer, sheet_name=name, index=False)
    return path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary name to write ``path`` under, renamed to ``path`` when the block ends
    without error: a failure never leaves a partial file under the final name."""
    tmp = path.with_name(path.name + ".partial")
    try:
        yield tmp
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
