"""The package's exception hierarchy: everything it raises on purpose derives from
:class:`GHGInventoryError`, so callers can catch one type."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


class GHGInventoryError(Exception):
    """Base class of every error ghg-inventory raises on purpose."""


class UnknownKeyError(GHGInventoryError, KeyError):
    """A GWP set, gas, category, activity or factor that the package does not know."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class FactorTableError(GHGInventoryError):
    """An emission-factor table (shipped or user override) that does not validate."""


class MissingFactorError(GHGInventoryError):
    """No factor record matches what an activity row needs."""


class InternalError(GHGInventoryError):
    """A result the package's own checks reject: a bug in ghg-inventory, never a result.

    Raised, for instance, when a method returns an emission that is not a finite number,
    or a negative emission of a gas the method does not declare as a removal. Nothing is
    returned or written; please report it with the rows it names.
    """


class StoreError(GHGInventoryError):
    """The submissions store cannot be opened, read or written; the message names it."""


class StoreBusyError(StoreError):
    """Another process kept the store's lock for longer than the wait allowed."""


class StoreRepairedWarning(UserWarning):
    """The store held the remains of a submission that was never completed (its process
    was killed while writing); they were removed, and the message says which."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or one column) of an activity table."""

    file: str
    row: int | None
    column: str
    value: str
    message: str


class ActivityValidationError(GHGInventoryError):
    """An activity table with problems. Holds *all* of them; nothing was computed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self._render())

    def to_frame(self) -> pd.DataFrame:
        """The problems as a table (file, row, column, value, message)."""
        return pd.DataFrame([p.__dict__ for p in self.problems])

    def _render(self, limit: int = 50) -> str:
        # English on purpose: this is the exception's text for Python callers (logs,
        # tracebacks, ``str(exc)``); each problem's ``message`` keeps its catalogue key, and
        # the command line never prints this text but its own table of the problems, in the
        # command's language (``cli._common._print_problems``).
        files = sorted({p.file for p in self.problems})
        head = f"{', '.join(files)}: {len(self.problems)} problem(s), nothing was computed"
        lines = [head]
        for p in self.problems[:limit]:
            row = "-" if p.row is None else str(p.row)
            lines.append(f"  {p.file} row {row:<6} {p.column:<12} {p.value!r:<18} {p.message}")
        if len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more (see .problems)")
        return "\n".join(lines)
