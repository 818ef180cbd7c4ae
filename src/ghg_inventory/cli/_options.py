"""The options many commands share, as typer types: the activity files, GWP set, factor
overrides, guidelines edition and the declared number format of numbers written as text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Files = Annotated[list[Path], typer.Argument(help="Activity tables: .csv, .xlsx or .parquet.")]
Gwp = Annotated[str, typer.Option("--gwp", help="GWP set: AR4, AR5 or AR6 (100-year).")]
Overrides = Annotated[
    list[Path] | None,
    typer.Option("--factors", help="Override factor table(s) (Tier 2/3), same columns as "
                 "emission_factors/*.csv, or the name of a factor set shipped in "
                 "emission_factors/sets/ (e.g. provisional-grid: Viet Nam grid 2024-2025 "
                 "research estimates, provisional, not the ministry's publication). "
                 "Repeatable."),
]
Guidelines = Annotated[str, typer.Option("--guidelines", help="2006 or 2019 (Refinement).")]
Decimal = Annotated[str | None, typer.Option(
    "--decimal", help="Decimal separator of numbers written as text in the activity files: "
    "'.' or ','. Vietnamese 1.234,5: --decimal , --thousands . (without a declared format "
    "a value such as 12.000 is refused unless its column settles it).")]
Thousands = Annotated[str | None, typer.Option(
    "--thousands", help="Thousands separator of numbers written as text: '.', ',', ' ' ... "
    "('' for none).")]
