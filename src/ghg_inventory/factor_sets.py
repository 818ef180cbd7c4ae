"""Named factor sets shipped with the library, chosen by name, never loaded by default.

The default database (:meth:`ghg_inventory.factors.FactorDB.default`) reads the tables of
``emission_factors/*.csv``. Some values are worth shipping but must not apply unless a user
chooses them knowingly: a research estimate of the Viet Nam grid factor for a year the
ministry has not yet announced, for instance. They live in ``emission_factors/sets/<name>.csv``
(same schema as every factor table, ``docs/factor_tables.md``) and join a computation only
when named: ``compute(..., factors="provisional-grid")`` or ``--factors provisional-grid``.

What ``factors`` may hold, item by item (:func:`resolve`):

* a path to an existing file: the user's own override table;
* the name of a shipped set (``provisional-grid``): that set's table;
* a DataFrame: the user's records;
* anything else is refused, naming the shipped sets.

A set's header comment may carry a status line, ``# status: provisional, <why>``; a set so
marked is *provisional*: choosing it warns (:class:`ProvisionalFactorsWarning`), and the
names of the tables a computation used (``Inventory.meta["factor_tables"]``) let every
report say which provisional sets stand behind its numbers (:func:`provisional_tables`).
Shipped sets hold numbers written as Python writes them (decimal point, no grouping), so they
are read that way whatever number format the user's own tables are declared in.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ghg_inventory.errors import FactorTableError
from ghg_inventory.i18n.messages import Message, joined, msg

if TYPE_CHECKING:
    from ghg_inventory.factors import FactorDB
    from ghg_inventory.numbers import NumberFormatSpec

#: The folder of ``emission_factors/`` that holds the named sets.
SETS_FOLDER = "sets"


class ProvisionalFactorsWarning(UserWarning):
    """A computation uses a shipped factor set marked provisional (see :func:`status`)."""


@dataclass(frozen=True)
class FactorSet:
    """A shipped set: its name, table, and status line (empty when it has none)."""

    name: str
    path: Path
    status: str

    @property
    def provisional(self) -> bool:
        """Whether the set's header says ``# status: provisional ...``."""
        return self.status.lower().startswith("provisional")


def _folder() -> Path:
    from ghg_inventory.factors import _default_folder

    return _default_folder() / SETS_FOLDER


def _status(path: Path) -> str:
    """The text after ``# status:`` in the header comment of ``path`` ('' if none)."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            key, _, text = line.lstrip("#").partition(":")
            if key.strip().lower() == "status":
                return text.strip()
    return ""


def shipped_sets() -> dict[str, Path]:
    """The shipped sets by name (the file name without ``.csv``), sorted by name."""
    folder = _folder()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.csv"))}


def describe(name: str) -> FactorSet:
    """The shipped set ``name``; :class:`FactorTableError` naming the known sets if none."""
    sets = shipped_sets()
    if name not in sets:
        raise FactorTableError(msg("core.factor_sets.unknown_set", name=name,
                                   known=_known(sets)))
    return FactorSet(name, sets[name], _status(sets[name]))


def _known(sets: dict[str, Path]) -> Message:
    if not sets:
        return msg("core.factor_sets.none_shipped")
    said: list[Any] = []
    for name, path in sets.items():
        status = _status(path)
        said.append(_named(name, status) if status else name)
    return msg("core.factor_sets.shipped", sets=joined(said, "; "))


#: The status line of a set the catalogue says in Vietnamese too
#: (``core.factor_sets.status_not_ministry``); another status is said as written.
NOT_THE_MINISTRYS = "provisional, not the ministry's publication"


def _named(name: str, status: str) -> Message:
    """``name (status)``, the status said in the message's language when the catalogue
    holds it."""
    said = msg("core.factor_sets.status_not_ministry") if status == NOT_THE_MINISTRYS \
        else status
    return msg("core.factor_sets.named", name=name, status=said)


def resolve(spec: Any) -> Path | pd.DataFrame:
    """What one item of ``factors`` stands for: a DataFrame as it is, an existing file as
    the user's table, a shipped set's name as that set's table.

    Raises
    ------
    FactorTableError
        ``spec`` is neither an existing file nor a shipped set's name; the message lists
        the shipped sets.
    """
    if isinstance(spec, pd.DataFrame):
        return spec
    path = Path(spec)
    if path.is_file():
        return path
    sets = shipped_sets()
    if str(spec) in sets:
        return sets[str(spec)]
    raise FactorTableError(msg("core.factor_sets.no_file_no_set", spec=spec,
                               known=_known(sets)))


def _shipped_path(resolved: Path | pd.DataFrame) -> str | None:
    """The set's name when ``resolved`` is a shipped set's table."""
    if isinstance(resolved, pd.DataFrame):
        return None
    for name, path in shipped_sets().items():
        if resolved == path:
            return name
    return None


def apply(db: FactorDB, factors: Iterable[Any], *,
          number_format: NumberFormatSpec = None) -> FactorDB:
    """``db`` with the user's tables and the named shipped sets of ``factors`` added as
    override records (:meth:`FactorDB.with_overrides`).

    The user's tables are read under ``number_format``; shipped sets as Python writes
    numbers. Choosing a provisional set warns with :class:`ProvisionalFactorsWarning`.
    """
    from ghg_inventory.numbers import PLAIN

    shipped: list[Path] = []
    user: list[Path | pd.DataFrame] = []
    for spec in factors:
        resolved = resolve(spec)
        name = _shipped_path(resolved)
        if name is None:
            user.append(resolved)
            continue
        shipped.append(resolved)  # type: ignore[arg-type]
        chosen = describe(name)
        if chosen.provisional:
            warnings.warn(provisional_message([name]), ProvisionalFactorsWarning,
                          stacklevel=2)
    if shipped:
        db = db.with_overrides(*shipped, number_format=PLAIN)
    if user:
        db = db.with_overrides(*user, number_format=number_format)
    return db


def set_of_table(label: str) -> str | None:
    """The shipped set whose table ``label`` is (a name of ``meta["factor_tables"]``)."""
    for name, path in shipped_sets().items():
        if Path(label) == path or Path(label).resolve() == path.resolve():
            return name
    return None


def sets_used(tables: Iterable[str]) -> list[str]:
    """The shipped sets among the factor tables a computation used (its
    ``meta["factor_tables"]``), by name."""
    return sorted({n for n in map(set_of_table, map(str, tables)) if n})


def provisional_tables(tables: Iterable[str]) -> list[str]:
    """The provisional shipped sets among the factor tables a computation used."""
    return [n for n in sets_used(tables) if describe(n).provisional]


#: The key of a result's metadata that names the provisional sets it rests on.
PROVISIONAL_KEY = "provisional_factor_sets"


def mark_provisional(meta: dict[str, Any]) -> list[str]:
    """Add :data:`PROVISIONAL_KEY` to a computation's ``meta`` when its
    ``factor_tables`` hold provisional shipped sets (exports and the report show every
    key of the metadata); the names of those sets."""
    names = provisional_tables(meta.get("factor_tables") or [])
    if names:
        meta[PROVISIONAL_KEY] = provisional_message(names)
    return names


def provisional_message(names: Iterable[str]) -> Message:
    """The sentence that says a result rests on provisional sets, and what they are."""
    said = [_named(n, describe(n).status) for n in names]
    return msg("core.factor_sets.provisional", sets=joined(said, "; "))


def specs_record(factors: Any) -> list[dict[str, Any]]:
    """What each item of ``factors`` was, to be kept with a result (the store's
    ``factor_sets``): a shipped set by name, status and SHA-256 of its table; a user's
    table by path and SHA-256; a DataFrame as such."""
    if factors is None:
        return []
    if isinstance(factors, (str, Path, pd.DataFrame)):
        factors = [factors]
    out: list[dict[str, Any]] = []
    for spec in factors:
        resolved = resolve(spec)
        if isinstance(resolved, pd.DataFrame):
            out.append({"kind": "table", "path": "<DataFrame>", "sha256": None})
            continue
        name = _shipped_path(resolved)
        digest = hashlib.sha256(resolved.read_bytes()).hexdigest()
        if name is None:
            out.append({"kind": "table", "path": str(resolved.resolve()), "sha256": digest})
        else:
            chosen = describe(name)
            out.append({"kind": "set", "name": name, "status": chosen.status,
                        "provisional": chosen.provisional, "sha256": digest})
    return out


def sets_holding(activity: str, country: str, year: int) -> list[str]:
    """The shipped sets that hold a record of ``activity`` for ``country`` in ``year``."""
    return [name for name, path in shipped_sets().items()
            if (activity, country, str(year)) in _set_keys(path)]


@cache
def _set_keys(path: Path) -> frozenset[tuple[str, str, str]]:
    """(activity, country, year) of each record of a shipped set, read once: a refusal
    asks it for every row that lacks a factor."""
    table = pd.read_csv(path, comment=None, dtype=str, keep_default_na=False,
                        skiprows=_comment_lines(path))
    columns = [table.get(c, pd.Series("", index=table.index, dtype=str))
               for c in ("activity", "country", "year")]
    return frozenset(zip(*columns, strict=True))


def missing_factor_hint(message: str) -> Message | None:
    """For a refusal of the form ``no published <activity> emission factor for <country>
    in <year>``: the shipped sets that hold such a record, and how to choose one (None
    when the message already says so). A library message is read in its English text
    (what a :class:`~ghg_inventory.i18n.messages.Message` holds as a ``str``); the hint
    is a message too, said in the command's language."""
    import re

    found = re.search(r"no published (\S+) emission factor for (\S+) in (\d{4})", message)
    if not found or "shipped factor set" in message:
        return None
    activity, country, year = found.group(1), found.group(2), int(found.group(3))
    names = sets_holding(activity, country, year)
    if not names:
        return None
    said = joined([_named(f"--factors {n}", describe(n).status) if describe(n).status
                   else f"--factors {n}" for n in names], "; ")
    return msg("core.factor_sets.hint", activity=activity, country=country, year=year,
               choices=said)


def _comment_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        count = 0
        for line in handle:
            if not line.startswith("#"):
                break
            count += 1
    return count
