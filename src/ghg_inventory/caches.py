"""Where the package keeps, between processes, what it worked out once: the validated
shipped factor records (:mod:`ghg_inventory.factors`) and pint's parsed unit definitions
(:mod:`ghg_inventory.units`). One rule for both; standard library only, as the units module
is imported first."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """``$GHG_INVENTORY_CACHE_DIR``, else ``$XDG_CACHE_HOME/ghg-inventory``, else
    ``~/.cache/ghg-inventory``; None (no cache) when ``GHG_INVENTORY_CACHE_DIR`` is empty
    or no home directory is known."""
    given = os.environ.get("GHG_INVENTORY_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "ghg-inventory"
