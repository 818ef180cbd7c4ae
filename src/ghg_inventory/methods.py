"""Method declarations: what each calculation method serves, accepts and computes.

The engine, the validator, the CLI's listings and the documentation all read the same
declarations, so adding a method is one :class:`Method` in a sector module plus its
factor table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .factors import FactorDB


@dataclass(frozen=True)
class Context:
    """What a method needs besides the rows: the factors and the choices of the run."""

    factors: FactorDB
    guidelines: str = "2006"
    country: str = "VN"


@dataclass(frozen=True)
class Failure:
    """Rows (positions in the table the method was given) that fail one method check."""

    positions: np.ndarray
    column: str
    message: str | list[str]  # one for all rows, or one per position


@dataclass(frozen=True)
class Method:
    """A calculation method as the engine sees it.

    Attributes
    ----------
    name : str
        Stable key, e.g. ``stationary_combustion``.
    categories : tuple of str
        Category codes served, each with its sub-codes.
    exclude : tuple of str
        Sub-codes of ``categories`` that this method must not take (served elsewhere).
    activities : callable
        Returns the activity keys this method knows, given the factor database.
    amount_kinds : tuple of str
        Kinds of amount accepted (``mass``, ``energy``, ``volume`` ... see ``units.KINDS``).
    parameters : dict
        Optional parameter columns the method reads, with their type.
    compute : callable
        ``compute(table, ctx) -> DataFrame`` with columns ``_pos``, ``gas``, ``emissions_kg``,
        ``scope``, ``biogenic``, ``fossil``, ``factor_id``, ``tier``, ``guidelines``,
        ``auxiliary_factor_ids``. Works on whole columns.
    check : callable
        ``check(table, ctx) -> list[Failure]``: problems only this method can see
        (a volume of a solid fuel, a missing density ...). Runs before anything is computed.
    """

    name: str
    categories: tuple[str, ...]
    activities: Callable[[FactorDB], set[str]]
    amount_kinds: tuple[str, ...]
    compute: Callable[[pd.DataFrame, Context], pd.DataFrame]
    check: Callable[[pd.DataFrame, Context], list[Failure]] = lambda table, ctx: []
    exclude: tuple[str, ...] = ()
    parameters: dict[str, type] = field(default_factory=dict)
    description: str = ""


REGISTRY: dict[str, Method] = {}


def register(method: Method) -> Method:
    """Add a method to the registry (sector modules call this at import)."""
    if method.name in REGISTRY:
        raise RuntimeError(f"method {method.name!r} registered twice")
    REGISTRY[method.name] = method
    return method


def method_for(category: str) -> Method | None:
    """The method that serves a category code: the most specific declared prefix wins."""
    best: tuple[int, Method | None] = (-1, None)
    for method in REGISTRY.values():
        if any(_under(category, ex) for ex in method.exclude):
            continue
        for served in method.categories:
            if _under(category, served) and served.count(".") > best[0]:
                best = (served.count("."), method)
    return best[1]


def _under(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + ".")


def served_categories() -> list[str]:
    """Every category code some method serves, sorted."""
    return sorted({c for m in REGISTRY.values() for c in m.categories})
