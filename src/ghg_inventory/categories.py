"""The IPCC 2006 category tree with English and Vietnamese names, and the province plan's areas.

Codes are written as printed in the IPCC 2006 Guidelines (``1.A.2.f``, ``3.C.7``). The tree
comes from ``data/categories.csv``; a code's parent is the code with its last part removed,
which the data states explicitly so that it can be checked.

The six plan areas are those of Lai Châu's plan to 2030 (energy, transport, construction,
agriculture, waste, forestry). Each category's area is in the data file; a sub-category
inherits its parent's area unless it names its own (``1.A.2.k`` construction is
``construction``, the rest of ``1.A`` is ``energy`` except ``1.A.3`` transport).

References
----------
.. [1] IPCC 2006 Guidelines, Vol 1, Ch 8, Table 8.2 (reporting categories).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from ghg_inventory.errors import UnknownKeyError
from ghg_inventory.i18n.messages import msg

SECTORS = ("1", "2", "3", "4")
PLAN_AREAS = ("energy", "transport", "construction", "agriculture", "waste", "forestry")


@cache
def category_table() -> pd.DataFrame:
    """The category tree: one row per code with parent, level, names and plan area.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``code``; columns ``parent``, ``level`` (1 for the four sectors),
        ``name_en``, ``name_vi``, ``plan_area``, ``sector`` (the level-1 ancestor).
    """
    path = resources.files("ghg_inventory") / "data" / "categories.csv"
    with path.open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, keep_default_na=False)
    table = table.set_index("code")
    table["level"] = [code.count(".") + 1 for code in table.index]
    bad = [c for c, p in table["parent"].items() if p and p not in table.index]
    if bad:
        raise RuntimeError(f"categories.csv: parents missing for {bad}")
    table["sector"] = [ancestors(c)[-1] for c in table.index]
    return table


def ancestors(code: str) -> list[str]:
    """The code and every ancestor up to its sector, most specific first.

    Works for sub-codes deeper than the table (``1.A.2.f.i`` -> ``1.A.2.f`` ...).
    """
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


def is_known(codes: pd.Series) -> np.ndarray:
    """True where a code, or the nearest ancestor it has in the tree, is a known category.

    A sub-code below the printed tree (``1.A.2.f.i``) is accepted when its parent is known,
    as DESIGN.md allows sub-codes.
    """
    known = set(category_table().index)
    uniques = pd.unique(codes.astype(str))
    ok = {u: any(a in known for a in ancestors(u)[:2]) and ancestors(u)[-1] in known
          for u in uniques}
    return codes.astype(str).map(ok).to_numpy(dtype=bool)


def at_level(codes: pd.Series, level: int) -> pd.Series:
    """Each code truncated to ``level`` (1 = sector). Codes above that level stay as they are."""
    uniques = pd.unique(codes.astype(str))
    mapping = {u: ".".join(u.split(".")[:level]) for u in uniques}
    return codes.astype(str).map(mapping)


def _nearest_known(code: str) -> str:
    table = category_table()
    for a in ancestors(code):
        if a in table.index:
            return a
    raise UnknownKeyError(msg("core.categories.unknown", code=code))


def attribute(codes: pd.Series, column: str) -> pd.Series:
    """A column of the category table (``name_vi``, ``plan_area``, ``sector`` ...) for each code,
    taken from the code itself or its nearest known ancestor; looked up once per distinct code."""
    table = category_table()
    uniques = pd.unique(codes.astype(str))
    mapping = {u: table.at[_nearest_known(u), column] for u in uniques}
    return codes.astype(str).map(mapping)


@cache
def plan_area_table() -> pd.DataFrame:
    """The province plan's six areas with English and Vietnamese names."""
    path = resources.files("ghg_inventory") / "data" / "plan_areas.csv"
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str).set_index("plan_area")


def label(key: str, values: pd.Series, lang: str) -> pd.Series:
    """Names, in ``lang``, of the values of a grouping key (category codes, sectors, plan
    areas); other keys are returned unchanged."""
    if lang not in ("en", "vi"):
        raise UnknownKeyError(msg("core.categories.unknown_lang", lang=lang))
    if key in ("category", "sector"):
        return values.astype(str).map(lambda code: name(code, lang))
    if key == "plan_area":
        return values.map(plan_area_table()[f"name_{lang}"])
    return values


def name(code: str, lang: str = "en") -> str:
    """The category's name in English (``en``) or Vietnamese (``vi``)."""
    if lang not in ("en", "vi"):
        raise UnknownKeyError(msg("core.categories.unknown_lang", lang=lang))
    return str(category_table().at[_nearest_known(code), f"name_{lang}"])
