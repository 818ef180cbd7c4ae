"""The package's one Pint registry, and unit parsing done once per distinct unit string.

Every quantity the package makes or accepts uses :data:`ureg`. Creating a second
registry would make quantities from the two incompatible, so nothing else in the
package calls :class:`pint.UnitRegistry`.

Gases are units of their own dimension (as in openscm-units: ``kg CH4``, ``t CO2e``), so
adding methane to carbon dioxide without a GWP set is a dimensionality error, not a
silent sum.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pint

from ghg_inventory.caches import cache_dir
from ghg_inventory.i18n.messages import Message, alternatives, msg


def _pint_cache_folder() -> Path | None:
    """Where pint keeps its parsed unit definitions between processes: the folder ``pint``
    of the package's cache (:func:`ghg_inventory.caches.cache_dir`). None (no cache) when
    there is none, or the folder can neither be made nor read back (a read-only folder that
    pint has not filled)."""
    base = cache_dir()
    if base is None:
        return None
    folder = base / "pint"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if os.access(folder, os.W_OK) or any(folder.glob("*.pickle")):
        return folder
    return None


def _registry() -> pint.UnitRegistry:
    """The registry, its definitions read from the cache when pint left them there (0.05 s
    instead of 0.45 s per process). A cache that cannot be written or read back (damaged,
    half written by another process) is passed over: the definitions are parsed again,
    and the folder's files are removed so that the next process writes them anew."""
    folder = _pint_cache_folder()
    if folder is not None:
        try:
            return pint.UnitRegistry(cache_folder=folder)
        except Exception:  # noqa: BLE001 - any failure of the cache means: do without
            for path in [*folder.glob("*.pickle"), *folder.glob("*.json")]:
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    break
    return pint.UnitRegistry(cache_folder=None)


ureg: pint.UnitRegistry = _registry()
Q_ = ureg.Quantity

# Things people write in activity files that plain pint does not know.
ureg.define("head = [livestock] = heads")
ureg.define("person = [population] = persons = capita = inhabitant")
ureg.define("tonne_kilometre = tonne * kilometer = t_km = tkm")
# 1 toe = 0.041868 TJ: OECD Glossary of Statistical Terms, "Tonne of oil equivalent" (IEA unit).
ureg.define("tonne_of_oil_equivalent = 41.868 * gigajoule = toe = TOE")
for _gas in ("CO2", "CH4", "N2O", "SF6", "NF3", "CO2e"):
    ureg.define(f"{_gas} = [{_gas.lower()}_mass_marker]")

#: Spellings users write, mapped to pint expressions. Keys are matched case-sensitively
#: first and then lower-cased, so ``MWh`` and ``mwh`` both work. ``Mt`` (megatonne) is
#: pint's own reading; ``MT``, ``mt`` and their variants are refused (see
#: :data:`AMBIGUOUS`), never lower-cased into a meaning.
ALIASES: dict[str, str] = {
    "t": "tonne",
    "tonnes": "tonne",
    "ton": "tonne",
    "tons": "tonne",
    "kt": "kilotonne",
    "Gg": "gigagram",
    "t-km": "tonne_kilometre",
    "t.km": "tonne_kilometre",
    "tkm": "tonne_kilometre",
    "ha": "hectare",
    "L": "liter",
    "l": "liter",
    "litre": "liter",
    "litres": "liter",
    "Nm3": "meter ** 3",
    "Sm3": "meter ** 3",
    "head": "head",
    "heads": "head",
    "con": "head",  # Vietnamese: "con" (animals)
    "nguoi": "person",
    "người": "person",
}


def _written_units() -> dict[str, str]:
    """The unit spellings of the alias table (``data/aliases.csv``: ``tấn``, ``lít``,
    ``mét khối`` ...), each with its source there."""
    import csv
    from importlib import resources

    text = resources.files("ghg_inventory").joinpath("data", "aliases.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["alias"]: row["key"] for row in rows if row["column"] == "unit"}


ALIASES.update(_written_units())

_POWER = re.compile(r"(?<=[A-Za-z])([23])\b")

#: Spellings with two readings, refused with both named. Trade documents (bills of lading,
#: customs declarations) write ``MT``/``MTs``/``M.T.`` for the metric tonne, while the SI
#: prefix reads ``Mt`` as megatonne, a factor of 10^6 apart; pint itself reads ``MT`` as
#: megatesla, ``mt`` as millitonne and ``m.t.`` as metre x tonne. ``Mt`` alone keeps its SI
#: meaning. Matched after stripping spaces and dots and a plural ``s``. Each spelling gives
#: the message naming its readings ("metric tonne (trade documents) or megatonne; write 't'
#: or 'Mt'").
AMBIGUOUS: dict[str, Callable[[], Message]] = {
    "mt": lambda: msg("core.units.mt_readings"),
}


_TOKENS = re.compile(r"[\s*/()^\d-]+")


def ambiguous(text: str) -> Message | None:
    """The refusal for a unit with a spelling of two readings (``MT``, ``mt``, ``MTs``,
    ``M.T.``, also inside ``kg/MT`` or ``1000 MT``), or None. ``Mt`` (megatonne) and
    ``t`` are not ambiguous."""
    for token in _TOKENS.split(text.strip()):
        bare = token.replace(".", "")
        if bare[-1:] in ("s", "S") and bare[:-1].lower() in AMBIGUOUS:
            bare = bare[:-1]
        if token == "Mt":
            continue
        readings = AMBIGUOUS.get(bare.lower())
        if readings is not None:
            return msg("core.units.ambiguous", token=token, readings=readings())
    return None

#: Kinds of amount a method may accept, by pint dimensionality.
KINDS: dict[str, str] = {
    "mass": "[mass]",
    "energy": "[energy]",
    "volume": "[volume]",
    "area": "[area]",
    "length": "[length]",
    "head": "[livestock]",
    "person": "[population]",
    "freight": "[mass] * [length]",
}

#: The unit each kind is converted to before a sector function sees it.
CANONICAL: dict[str, str] = {
    "mass": "kg",
    "energy": "TJ",
    "volume": "m**3",
    "area": "ha",
    "length": "km",
    "head": "head",
    "person": "person",
    "freight": "tonne_kilometre",
}


@dataclass(frozen=True)
class ParsedUnit:
    """A unit string understood: its kind and the factor to the kind's canonical unit."""

    text: str
    unit: Any
    kind: str | None
    to_canonical: float
    error: str | None = None


def _expression(text: str) -> str:
    stripped = text.strip()
    if stripped in ALIASES:
        return ALIASES[stripped]
    if stripped.lower() in ALIASES:
        return ALIASES[stripped.lower()]
    return _POWER.sub(r"**\1", stripped)


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> ParsedUnit:
    """Parse one unit string as written in an activity file.

    Parameters
    ----------
    text : str
        E.g. ``"t"``, ``"kWh"``, ``"m3"``, ``"1000 L"``, ``"GJ"``, ``"ha"``, ``"head"``.

    Returns
    -------
    ParsedUnit
        With ``error`` set (and ``unit`` None) when pint cannot read the string or the
        spelling has two readings (``MT``).
    """
    refusal = ambiguous(text)
    if refusal is not None:
        return ParsedUnit(text, None, None, float("nan"), refusal)
    try:
        quantity = Q_(1.0, ureg.parse_units(_expression(text)))
    except Exception:  # noqa: BLE001 - pint raises many kinds; all mean "not a unit"
        try:
            quantity = ureg.parse_expression(_expression(text))
            if not isinstance(quantity, pint.Quantity):
                raise ValueError(text) from None
        except Exception:  # noqa: BLE001
            return ParsedUnit(text, None, None, float("nan"), _suggest(text))
    for kind, dims in KINDS.items():
        if quantity.check(dims):
            factor = float(quantity.to(CANONICAL[kind]).magnitude)
            return ParsedUnit(text, quantity.units, kind, factor)
    return ParsedUnit(text, quantity.units, str(quantity.dimensionality), float("nan"))


#: Units a suggestion may name besides the spellings of :data:`ALIASES`.
COMMON_UNITS = ("kg", "t", "kt", "TJ", "GJ", "MJ", "kWh", "MWh", "GWh", "L", "m3", "km", "ha",
                "head", "person")


def _suggest(text: str) -> Message:
    from rapidfuzz import fuzz, process

    candidates = sorted({*ALIASES, *COMMON_UNITS})
    found = process.extract(text.strip(), candidates, scorer=fuzz.ratio, limit=5,
                            processor=str.lower, score_cutoff=50)
    if not found:
        return msg("core.units.not_a_unit")

    def shown(name: str) -> str:
        # one spelling per meaning, the usual one: 't' for ton, tons, tấn
        def means(spelling: str) -> str:
            for _ in range(3):  # 'tấn' -> 't' -> 'tonne'
                spelling = ALIASES.get(spelling, spelling)
            return spelling

        return next((c for c in COMMON_UNITS if means(c) == means(name)), name)

    names = list(dict.fromkeys(shown(name) for name, _, _ in found))[:3]
    return msg("core.units.did_you_mean", units=alternatives(f"'{n}'" for n in names))

