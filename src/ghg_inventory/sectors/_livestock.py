"""What the livestock methods (enteric fermentation, manure management) share: the
livestock regions of IPCC 2006 Vol 4 Table 10.11 and their developed/developing column of
Table 10.10, and the provenance and failure helpers of their Tier 2 rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ghg_inventory.i18n.messages import msg
from ghg_inventory.methods import Failure
from ghg_inventory.sectors._inputs import as_tier, choice


@cache
def livestock_regions() -> pd.DataFrame:
    """Livestock regions of Table 10.11 and the Table 10.10 column each one uses."""
    return pd.read_csv(Path(__file__).parent.parent / "data" / "livestock_regions.csv",
                       comment="#", dtype=str).set_index("region")


def region_column(table: pd.DataFrame) -> tuple[pd.Series, list[Failure]]:
    """The livestock region of every row (Table 10.11), ``asia`` where empty."""
    regions = livestock_regions()
    return choice(table, "region", regions.index, default="asia",
                  what=msg("sectors.livestock_shared.what_region"))


def development_column(table: pd.DataFrame, region: pd.Series
                       ) -> tuple[pd.Series, list[Failure]]:
    """Developed/developing column of Tables 10.10, 10.15, 10.16: the row's own
    ``development`` where given, else the region's (``data/livestock_regions.csv``)."""
    own, failures = choice(table, "development", ("developed", "developing"),
                           what=msg("sectors.livestock_shared.what_development"))
    by_region = region.map(livestock_regions()["development"]).fillna("")
    return own.where(own != "", by_region), failures


#: Productivity systems of the 2019 Refinement (Tables 10.10, 10.11 (Updated), 10.16).
PRODUCTIVITY = ("high", "low")


def productivity_column(table: pd.DataFrame, region: pd.Series
                        ) -> tuple[pd.Series, np.ndarray, list[Failure]]:
    """Productivity system of every row (2019 Refinement): the row's own ``productivity``
    where given, else ``low`` in the regions of the developing column of Table 10.10 and
    ``high`` in the others (``data/livestock_regions.csv``); the Refinement's Tier 1 uses
    the low-productivity factors outside North America, Europe and Oceania (2019 Refinement
    Vol 4 Ch 10, Table 10.10 (Updated) footnote 1, p. 10.37; Table 10.16 (Updated) note 1).

    Returns the systems, which rows gave their own, and the bad cells.
    """
    own, failures = choice(table, "productivity", PRODUCTIVITY,
                           what=msg("sectors.livestock_shared.what_productivity"))
    by_region = region.map(livestock_regions()["development"]).map(
        {"developed": "high", "developing": "low"}).fillna("")
    given_own = (own != "").to_numpy()
    return own.where(given_own, by_region), given_own, failures


def lacking(rows: np.ndarray, column: str, message: str,
          *answers: tuple[np.ndarray, pd.DataFrame]) -> list[Failure]:
    """The rows of the mask ``rows`` fail ``column`` with ``message``; where the record a
    row would have used is a 2006 default not in force in a ``guidelines="2019"`` run
    (the look-up's ``superseded``), the message says so and what to do instead.

    ``answers`` are ``(key, answer)`` pairs of the look-ups that could have served the rows.
    """
    positions = np.flatnonzero(rows)
    if not len(positions):
        return []
    notes = np.full(len(positions), None, dtype=object)
    for key, answer in answers:
        if "superseded" in answer:
            note = answer["superseded"].to_numpy(dtype=object)[key[positions]]
            notes = np.where(pd.isna(notes), note, notes)
    if pd.isna(notes).all():
        return [Failure(positions, column, message)]
    # per failing row only: the error path, never the table path
    return [Failure(positions, column,
                    [message if pd.isna(n) else msg("core.common.where", where=message, message=n)
                     for n in notes])]


def own_values(key: np.ndarray, answer: pd.DataFrame, own: np.ndarray, tier: int = 2
               ) -> tuple[np.ndarray, pd.DataFrame]:
    """Provenance of Tier 2 rows: the record where it was used, and, where the row gave its
    own value instead (``own``), no record (``user-supplied``, no edition): a row never
    names a record, or its edition, that did not produce its number."""
    nothing = pd.DataFrame({c: [np.nan] for c in answer.columns}).astype(object)
    stacked = pd.concat([answer.reset_index(drop=True), nothing], ignore_index=True)
    return np.where(own, len(answer), key), as_tier(stacked, tier)


def record_ids(key: np.ndarray, answer: pd.DataFrame, used: np.ndarray) -> np.ndarray:
    """Per row, the id of the record the row used (``used``), empty elsewhere."""
    ids = answer["factor_id"].fillna("").astype(str).to_numpy(dtype=object)[key]
    return np.where(used, ids, "").astype(object)


def joined_ids(*columns: np.ndarray) -> pd.Categorical:
    """Per row, the ids of the other records it used, joined with ``;`` (for
    ``auxiliary_factor_ids``: typical masses, N and VS rates, Bo ...)."""
    joined = [";".join(dict.fromkeys(i for i in ids if i)) for ids in zip(*columns, strict=True)]
    codes, categories = pd.factorize(np.asarray(joined, dtype=object))
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=categories)
