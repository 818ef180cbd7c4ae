"""The names people write, mapped to the library's keys; suggestions for the names it does
not know.

An activity file written from a fuel delivery note says ``dầu DO`` or ``diesel``, a
statistics sheet ``trâu`` or ``lợn``, a site description "temperate wet": the alias table
(``data/aliases.csv``, each alias with the source of its meaning) and the English and
Vietnamese fuel names of ``emission_factors/fuels.csv`` map them to the keys the results
record (``gas_diesel_oil``, ``buffalo``, ``boreal_temperate_wet``). Matching ignores case,
spaces, ``_``, ``-``, ``/`` and dashes, so ``Gas/Diesel Oil`` and ``GAS_DIESEL_OIL`` are
``gas_diesel_oil``. A name that reads as no key is left as written for validation to refuse,
with the nearest keys suggested (:func:`suggest`). Every replacement is reported in an
:class:`AliasNote` warning: the file keeps the user's words, the results the keys.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from ghg_inventory.i18n.messages import joined, msg

__all__ = ["AliasNote", "aliases", "canonical", "normalize", "read_as_keys", "suggest"]


class AliasNote(UserWarning):
    """Names written in an activity table were read as the library's keys (the message says
    which, and how many rows)."""


_SEPARATORS = re.compile(r"[\s_\-/\u2010-\u2015]+")


def normalize(text: str) -> str:
    """The form names are matched in: Unicode NFC, case-folded, runs of spaces, ``_``,
    ``-``, ``/`` and dashes made one space, trimmed (``"Gas/Diesel  Oil"`` ->
    ``"gas diesel oil"``; Vietnamese diacritics are kept: ``tấn`` is not ``tan``)."""
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFC", str(text)).casefold()).strip()


def _plain(text: str) -> str:
    """:func:`normalize` without diacritics (``đ`` as ``d``), for suggestions only."""
    decomposed = unicodedata.normalize("NFD", normalize(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _table() -> pd.DataFrame:
    text = resources.files("ghg_inventory").joinpath("data", "aliases.csv").read_text("utf-8")
    from io import StringIO

    table = pd.read_csv(StringIO(text), comment="#", dtype=str, keep_default_na=False)
    return table


@cache
def _fuel_names() -> pd.DataFrame:
    from ghg_inventory.factors import FactorDB

    fuels = FactorDB.default().fuels().reset_index()
    rows = [(name, key, lang) for lang, column in (("en", "name_en"), ("vi", "name_vi"))
            for key, name in zip(fuels["activity"], fuels[column], strict=True) if name]
    return pd.DataFrame(rows, columns=["alias", "key", "lang"]).assign(
        column="activity", source="emission_factors/fuels.csv")


def aliases(column: str | None = None) -> pd.DataFrame:
    """The alias table: ``column``, ``alias``, ``key``, ``lang``, ``source`` (all columns,
    or one activity-table column's).

    Raises
    ------
    GHGInventoryError
        If two aliases that match alike (:func:`normalize`) name different keys.
    """
    from ghg_inventory.errors import GHGInventoryError

    table = pd.concat([_table(), _fuel_names()], ignore_index=True)
    table["match"] = table["alias"].map(normalize)
    clash = table.groupby(["column", "match"])["key"].nunique()
    clash = clash[clash > 1]
    if len(clash):
        raise GHGInventoryError(msg("core.aliases.two_meanings", aliases=", ".join(
            f"{c} {m!r}" for c, m in clash.index)))
    if column is not None:
        table = table[table["column"] == column]
    return table.drop_duplicates(["column", "match"]).reset_index(drop=True)


def canonical(values: Iterable[object], keys: Iterable[str], column: str
              ) -> dict[str, str]:
    """The replacements that make written names keys: ``{written: key}`` for each distinct
    written value that is not a key but matches one (ignoring case and separators) or is
    an alias of one in ``column``. Values that match nothing are left out (validation
    names them)."""
    keys = set(keys)
    written = [v for v in values if isinstance(v, str) and v not in keys and v.strip()]
    if not written:  # every name is a key already: the alias table is not read
        return {}
    by_match = {normalize(k): k for k in keys}
    table = aliases(column)
    for match, key in zip(table["match"], table["key"], strict=True):
        by_match.setdefault(match, key)  # a key as written always reads as itself
    out = {}
    for value in written:
        key = by_match.get(normalize(value))
        if key is not None:
            out[value] = key
    return out


def read_as_keys(values: pd.Series | pd.Categorical, keys: Iterable[str], column: str
                 ) -> pd.Series | pd.Categorical:
    """``values`` (one column's cells) with written names replaced by their keys
    (:func:`canonical`), one replacement per distinct name, and an :class:`AliasNote`
    saying what was replaced in how many rows. A categorical keeps its codes: its
    categories are renamed (two names of one key become one category), so a table of
    millions of rows costs one pass over the distinct names."""
    categorical = isinstance(values, pd.Categorical)
    distinct = values.categories if categorical else pd.unique(values)
    mapping = canonical(distinct, keys, column)
    if not mapping:
        return values
    if categorical:
        codes = np.asarray(values.codes)
        counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
        count = {c: int(n) for c, n in zip(distinct, counts, strict=True)}
        named = pd.Index([mapping.get(c, c) for c in distinct])
        unique = named.unique()
        recoded = np.where(codes >= 0, unique.get_indexer(named)[codes], -1)
        out: pd.Series | pd.Categorical = pd.Categorical.from_codes(recoded, categories=unique)
    else:
        count = values.value_counts().to_dict()
        out = values.replace(mapping)
    warnings.warn(msg("core.aliases.note", names=joined(
        [msg("core.aliases.read_as", column=column, written=written, key=key,
             rows=int(count.get(written, 0))) for written, key in mapping.items()], "; ")),
        AliasNote, stacklevel=3)
    return out


def suggest(text: str, keys: Iterable[str], column: str = "activity",
            limit: int = 3) -> list[str]:
    """The keys nearest to ``text`` (through their aliases too), best first: what a
    "did you mean" says. Empty when nothing is close."""
    from rapidfuzz import fuzz, process, utils

    keys = sorted(set(keys))
    if not keys:
        return []
    table = aliases(column)
    names = [*keys, *table["alias"]]
    meant = [*keys, *table["key"]]

    def likeness(a: str, b: str, **options: object) -> float:
        # a name of two or three letters ('dê', 'tã', 'LPG') is compared whole: as part of
        # a longer word it would match anything that contains it
        scorer = fuzz.WRatio if len(b) > 3 else fuzz.ratio
        return float(scorer(a, b, **options))  # type: ignore[call-overload]

    allowed = set(keys)
    # compared without tone marks: 'bo sua' and 'trau' are how a keyboard without
    # Vietnamese input writes 'bò sữa' and 'trâu'
    found = process.extract(_plain(text), [_plain(n) for n in names],
                            scorer=likeness, processor=utils.default_process,
                            limit=limit * 4, score_cutoff=70)
    out: list[str] = []
    for _, _, index in found:
        key = meant[index]
        if key in allowed and key not in out:
            out.append(key)
    return out[:limit]
