"""Writing tables to files: CSV, Parquet or Excel by extension, never a partial file under
the final name."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from ghg_inventory.errors import GHGInventoryError

WRITERS = (".csv", ".parquet", ".pq", ".xlsx")


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
