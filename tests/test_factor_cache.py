"""The shipped records are validated once and kept in the user's cache directory, keyed by
the content of the tables: a changed table is validated again, a damaged cache file is
rebuilt, and a cache directory that cannot be written changes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ghg_inventory import factors
from ghg_inventory.errors import FactorTableError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "emission_factors"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GHG_INVENTORY_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders validated (not read from the cache), in order."""
    seen: list[Path] = []
    validate = factors._validated_default_db

    def counted(folder: Path) -> factors.FactorDB:
        seen.append(folder)
        return validate(folder)

    monkeypatch.setattr(factors, "_validated_default_db", counted)
    return seen


def small_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of shipped tables with one small factor table, as the default folder."""
    folder = tmp_path / "emission_factors"
    folder.mkdir()
    for name in ("fuels.csv", "vn_grid_electricity.csv"):
        shutil.copy(SHIPPED / name, folder / name)
    monkeypatch.setattr(factors, "_default_folder", lambda: folder)
    return folder


def load() -> factors.FactorDB:
    return factors._default_db.__wrapped__()  # type: ignore[attr-defined,no-any-return]


def test_the_shipped_records_are_validated_once_and_read_back_equal(cache, validations):
    first = load()
    assert len(validations) == 1
    assert len(list(cache.glob("factors-*.pickle"))) == 1
    second = load()
    assert len(validations) == 1  # read from the cache
    pd.testing.assert_frame_equal(first.table, second.table)
    assert (second.table["verification"] != "user").all()
    assert second.lookup(pd.DataFrame({"category": ["1.A.2"], "activity": ["natural_gas"]}),
                         "ef", "kg/TJ", gas="CO2")["value"].tolist() == [56_100.0]


def test_a_changed_table_is_validated_again_and_the_old_file_removed(
        tmp_path, monkeypatch, cache, validations):
    folder = small_folder(tmp_path, monkeypatch)
    before = load().table
    path = folder / "vn_grid_electricity.csv"
    text = path.read_text(encoding="utf-8")
    row = before.iloc[0]
    value = f",{row['value']:g},"
    assert value in text
    path.write_text(text.replace(value, ",0.123456,", 1), encoding="utf-8")
    after = load().table
    assert len(validations) == 2
    assert 0.123456 in set(after["value"]) and 0.123456 not in set(before["value"])
    assert len(list(cache.glob("factors-*.pickle"))) == 1
    load()
    assert len(validations) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch, cache, validations, damage):
    small_folder(tmp_path, monkeypatch)
    want = load().table
    (path,) = cache.glob("factors-*.pickle")
    path.write_bytes(damage)
    pd.testing.assert_frame_equal(load().table, want)
    assert len(validations) == 2
    pd.testing.assert_frame_equal(load().table, want)  # the rebuilt file reads back
    assert len(validations) == 2


def test_a_cache_file_of_other_content_is_not_taken(tmp_path, monkeypatch, cache, validations):
    small_folder(tmp_path, monkeypatch)
    load()
    (path,) = cache.glob("factors-*.pickle")
    import pickle

    path.write_bytes(pickle.dumps({"key": "another", "table": pd.DataFrame()}))
    assert len(load().table) > 0
    assert len(validations) == 2


def test_a_cache_directory_that_cannot_be_written_changes_nothing(
        tmp_path, monkeypatch, validations):
    small_folder(tmp_path, monkeypatch)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("GHG_INVENTORY_CACHE_DIR", str(blocker / "cache"))
    first, second = load(), load()
    pd.testing.assert_frame_equal(first.table, second.table)
    assert len(validations) == 2  # validated each time, without complaint


def test_a_read_only_cache_directory_changes_nothing(tmp_path, monkeypatch, validations):
    small_folder(tmp_path, monkeypatch)
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    if os.name != "posix" or os.geteuid() == 0:
        # permissions do not bind root (CI runs as root): the write fails as the OS makes
        # it fail for anyone else
        real = factors.tempfile.NamedTemporaryFile

        def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
            if Path(kwargs.get("dir", "")) == folder:
                raise PermissionError(13, "Permission denied", str(folder))
            return real(*args, **kwargs)

        monkeypatch.setattr(factors.tempfile, "NamedTemporaryFile", refused)
    monkeypatch.setenv("GHG_INVENTORY_CACHE_DIR", str(folder))
    try:
        load()
        load()
    finally:
        folder.chmod(0o700)
    assert len(validations) == 2
    assert not list(folder.iterdir())


def test_no_cache_when_the_directory_is_set_empty(tmp_path, monkeypatch, validations):
    small_folder(tmp_path, monkeypatch)
    monkeypatch.setenv("GHG_INVENTORY_CACHE_DIR", "")
    assert factors.cache_dir() is None
    load()
    load()
    assert len(validations) == 2


def test_the_cache_directory_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("GHG_INVENTORY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert factors.cache_dir() == tmp_path / "ghg-inventory"


def test_a_shipped_table_without_verification_is_refused_and_not_cached(
        tmp_path, monkeypatch, cache):
    folder = small_folder(tmp_path, monkeypatch)
    path = folder / "vn_grid_electricity.csv"
    frame = factors.read_factor_table(path).drop(columns=["verification", "table"])
    frame.to_csv(path, index=False)
    with pytest.raises(FactorTableError, match="without a 'verification' column"):
        load()
    assert not cache.exists() or not list(cache.glob("factors-*.pickle"))


def test_a_fresh_process_reads_the_cache_without_validating(tmp_path):
    code = ("import sys; from ghg_inventory.factors import FactorDB; "
            "db = FactorDB.default(); print(len(db.table), 'pydantic' in sys.modules)")
    env = {**os.environ, "GHG_INVENTORY_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, check=True).stdout.split() for _ in range(2)]
    assert runs[0][0] == runs[1][0]
    assert runs[1][1] == "False"  # the record model was never needed
