"""Text tables as an editor shows them: CSV cells as written, and the line of each record.

Every reader of a CSV table whose problems name a line (factor tables, the provincial
office's small tables) reads it here, so that a message's line is the line a person finds.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ghg_inventory.errors import GHGInventoryError


def read_csv_text(path: Path, label: str | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """A CSV table as text cells, and the line each record starts on as an editor numbers it.

    Whole lines starting with ``#`` are comments (counted, not read); a ``#`` inside a cell is
    text (pandas' ``comment="#"`` would cut a reference such as ``Table #3`` short, and its
    record positions would not be the lines an editor shows). A quoted cell may span lines:
    a record's line is the one it starts on. Blank lines are passed over.

    Parameters
    ----------
    path : Path
    label : str, optional
        How messages name the file (default: its name).

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        Text cells (``object``; empty cells are ``""``) under the header's column names,
        and the line of each record.

    Raises
    ------
    GHGInventoryError
        A file that cannot be read, has no header, or a record with more cells than
        columns (naming its line).
    """
    label = label or path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            physical = handle.read().splitlines(keepends=True)
    except (OSError, UnicodeDecodeError) as exc:
        raise GHGInventoryError(f"{label}: cannot read factor table: {exc}") from exc
    kept = [(number, line) for number, line in enumerate(physical, start=1)
            if not line.lstrip().startswith("#")]
    reader = csv.reader(line for _, line in kept)
    records: list[list[str]] = []
    starts: list[int] = []
    consumed = 0
    try:
        for record in reader:
            start = kept[consumed][0]
            consumed = reader.line_num
            if record and any(cell.strip() for cell in record):
                records.append(record)
                starts.append(start)
    except csv.Error as exc:
        raise GHGInventoryError(f"{label}: cannot read factor table: line "
                               f"{kept[consumed][0] if consumed < len(kept) else '?'}: {exc}"
                               ) from exc
    if not records:
        raise GHGInventoryError(f"{label}: no header line")
    header, body = records[0], records[1:]
    too_long = [(starts[i + 1], len(r)) for i, r in enumerate(body) if len(r) > len(header)]
    if too_long:
        raise GHGInventoryError(f"{label}: " + "; ".join(
            f"line {line}: {n} cells for {len(header)} columns" for line, n in too_long))
    frame = pd.DataFrame([r + [""] * (len(header) - len(r)) for r in body], columns=header,
                         dtype=object)
    return frame, np.asarray(starts[1:], dtype=np.int64)
