"""Activity table -> emissions table, vectorized by method.

``compute`` reads (CSV, Excel, Parquet, DataFrames), validates every row on whole columns,
hands each method its rows at once, and assembles the long emissions table: one row per
activity row and gas, with the factor that produced it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import sectors  # noqa: F401  (registers the methods)
from .activity import FILE_COL, REQUIRED, ROW_COL, Source, read_activities, validate
from .factors import FactorDB
from .gwp import DEFAULT_GWP, check_gwp_set, gwp_column
from .inventory import Inventory
from .methods import REGISTRY, Context

#: Columns of the emissions table, in order (DESIGN.md vocabulary first).
EMISSION_COLUMNS = [
    "facility_id", "year", "category", "activity", "gas", "emissions_kg", "co2e_kg", "scope",
    "biogenic", "factor_id", "tier", "guidelines", "auxiliary_factor_ids", "fossil",
]
_NOT_PASSED = set(REQUIRED) | {"amount_kind", "method", "unit"}

Progress = Callable[[str, int, int], None]


def compute(
    activities: Source | Sequence[Source],
    *,
    factors: FactorDB | str | Path | pd.DataFrame | Sequence[str | Path | pd.DataFrame] | None = None,
    gwp: str = DEFAULT_GWP,
    guidelines: str = "2006",
    country: str = "VN",
    progress: Progress | None = None,
) -> Inventory:
    """Compute the emissions of an activity table.

    Parameters
    ----------
    activities : path, DataFrame, or a sequence of them
        Activity tables (CSV, XLSX, Parquet, DataFrame) in the schema of DESIGN.md.
    factors : FactorDB, path, DataFrame or a sequence of paths/DataFrames, optional
        A factor database, or user override tables added to the shipped defaults
        (Tier 2/3: country- or facility-specific records win over IPCC defaults).
    gwp : {"AR4", "AR5", "AR6"}
        100-year GWP set for ``co2e_kg``. Recorded with the result.
    guidelines : {"2006", "2019"}
        IPCC guidelines for the whole computation (see :mod:`ghg_inventory.factors`).
    country : str
        ISO code used for rows without a ``country`` column (country-specific overrides).
    progress : callable, optional
        ``progress(stage, done, total)`` called as methods complete (the CLI's progress bar).

    Returns
    -------
    Inventory

    Raises
    ------
    ActivityValidationError
        If any row has a problem; nothing is computed then.
    """
    check_gwp_set(gwp)
    db = _factor_db(factors)
    ctx = Context(factors=db, guidelines=guidelines, country=country)
    raw = read_activities(activities)
    table = validate(raw, ctx)
    parts = []
    names = [n for n in table["method"].cat.categories if n]
    for done, name in enumerate(names):
        positions = np.flatnonzero((table["method"] == name).to_numpy())
        sub = table.iloc[positions].reset_index(drop=True)
        part = REGISTRY[name].compute(sub, ctx)
        part["_pos"] = positions[part["_pos"].to_numpy()]
        parts.append(part)
        if progress:
            progress(name, done + 1, len(names))
    emissions = _assemble(table, parts, gwp)
    meta = {
        "gwp": gwp,
        "guidelines": guidelines,
        "country": country,
        "factor_tables": sorted(map(str, db.table["table"].unique())),
        "rows": len(table),
    }
    return Inventory(emissions, meta)


def _factor_db(factors: object) -> FactorDB:
    if factors is None:
        return FactorDB.default()
    if isinstance(factors, FactorDB):
        return factors
    if isinstance(factors, (str, Path, pd.DataFrame)):
        return FactorDB.default().with_overrides(factors)
    return FactorDB.default().with_overrides(*factors)  # type: ignore[misc]


def _assemble(table: pd.DataFrame, parts: list[pd.DataFrame], gwp: str) -> pd.DataFrame:
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {c: [] for c in ["_pos", "gas", "emissions_kg", "scope", "biogenic", "fossil",
                         "factor_id", "tier", "guidelines", "auxiliary_factor_ids"]})
    pos = long["_pos"].to_numpy(dtype=np.int64)
    out = pd.DataFrame({c: _take(table[c], pos)
                        for c in ("facility_id", "year", "category", "activity")})
    for column in ("gas", "scope", "factor_id", "guidelines", "auxiliary_factor_ids"):
        out[column] = long[column].astype("category").to_numpy()
    out["emissions_kg"] = long["emissions_kg"].to_numpy(dtype=float)
    out["biogenic"] = long["biogenic"].to_numpy(dtype=bool)
    out["fossil"] = long["fossil"].to_numpy(dtype=bool)
    out["tier"] = long["tier"].to_numpy(dtype=np.int8)
    out["co2e_kg"] = out["emissions_kg"].to_numpy() * gwp_column(out["gas"], out["fossil"], gwp)
    passthrough = [c for c in table.columns if c not in _NOT_PASSED and c not in out]
    for column in passthrough:
        values = table[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            values = values.astype("category")
        out[column] = _take(values, pos)
    order = EMISSION_COLUMNS + [c for c in out.columns if c not in EMISSION_COLUMNS]
    out = out[order]
    # Provenance columns for tracing a row back to its input line.
    out = out[[c for c in out.columns if c not in (FILE_COL, ROW_COL)] + [FILE_COL, ROW_COL]]
    return out


def _take(values: pd.Series, pos: np.ndarray) -> pd.Categorical | np.ndarray:
    """Rows ``pos`` of a column, keeping a categorical as codes (no per-row objects)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(values.cat.codes.to_numpy()[pos],
                                         dtype=values.dtype)
    return values.to_numpy()[pos]
