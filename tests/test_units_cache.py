"""Pint's parsed unit definitions are kept in the folder ``pint`` of the user's cache
directory (the factor cache's: ``$GHG_INVENTORY_CACHE_DIR`` / XDG), so that a process
starts without parsing them again; a damaged, read-only or impossible cache changes
nothing but the time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# a conversion through pint's own definitions and one through ours
CODE = ("from ghg_inventory.units import Q_, parse_unit; "
        "print(Q_(1, 'kilotonne').m_as('kg'), parse_unit('toe').to_canonical, "
        "parse_unit('t').kind)")
EXPECTED = "1000000.0 0.041868 mass"


def run(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          env={**os.environ, **env}, check=True)
    return done.stdout.strip()


def test_a_second_process_reads_the_definitions_back(tmp_path: Path) -> None:
    env = {"GHG_INVENTORY_CACHE_DIR": str(tmp_path / "cache")}
    assert run(env) == EXPECTED
    kept = sorted((tmp_path / "cache" / "pint").glob("*.pickle"))
    assert kept
    times = [p.stat().st_mtime_ns for p in kept]
    assert run(env) == EXPECTED
    assert [p.stat().st_mtime_ns for p in kept] == times  # read, not written again


def test_a_damaged_cache_is_passed_over_and_written_anew(tmp_path: Path) -> None:
    env = {"GHG_INVENTORY_CACHE_DIR": str(tmp_path / "cache")}
    run(env)
    for path in (tmp_path / "cache" / "pint").glob("*.pickle"):
        path.write_bytes(b"not a pickle")
    assert run(env) == EXPECTED  # parsed again, the damaged files removed
    assert run(env) == EXPECTED
    assert all(p.read_bytes() != b"not a pickle"
               for p in (tmp_path / "cache" / "pint").glob("*.pickle"))


def test_a_read_only_cache_directory_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as the OS refuses it to anyone but root (CI runs as root, whom permissions do not bind)
    import flexcache

    from ghg_inventory import units

    folder = tmp_path / "readonly"
    (folder / "pint").mkdir(parents=True)
    monkeypatch.setenv("GHG_INVENTORY_CACHE_DIR", str(folder))
    monkeypatch.setattr(units.os, "access", lambda path, mode: False)
    assert units._pint_cache_folder() is None  # empty and not writable: not even tried
    monkeypatch.undo()
    monkeypatch.setenv("GHG_INVENTORY_CACHE_DIR", str(folder))

    def refused(self, header, converted, cache_path=None):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(flexcache.DiskCache, "rawsave", refused)
    registry = units._registry()  # the write fails: parsed without the cache
    assert registry.cache_folder is None
    assert registry.Quantity(1, "kilotonne").m_as("kg") == 1e6
    assert not list((folder / "pint").iterdir())


def test_no_cache_where_none_can_be(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    assert run({"GHG_INVENTORY_CACHE_DIR": str(blocker / "cache")}) == EXPECTED
    assert run({"GHG_INVENTORY_CACHE_DIR": ""}) == EXPECTED


def test_the_folder_is_the_factor_cache_s(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    from ghg_inventory import factors, units

    monkeypatch.delenv("GHG_INVENTORY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert units._pint_cache_folder() == factors.cache_dir() / "pint"  # type: ignore[operator]
    monkeypatch.setenv("GHG_INVENTORY_CACHE_DIR", str(tmp_path / "own"))
    assert units._pint_cache_folder() == factors.cache_dir() / "pint"  # type: ignore[operator]
    monkeypatch.setenv("GHG_INVENTORY_CACHE_DIR", "")
    assert units._pint_cache_folder() is None
