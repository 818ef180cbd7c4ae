from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

import ghg_inventory as ghg

#: The Lai Châu example (synthetic data): the provincial example several modules read.
LAI_CHAU = Path(__file__).resolve().parents[1] / "examples" / "lai_chau"

_CACHE_VARIABLE = "GHG_INVENTORY_CACHE_DIR"
#: The cache directory pytest_configure made (to remove at the end), when it made one.
_cache_key = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    # The factor (and unit) cache of the session: a directory of its own, made once by the
    # main process and inherited by its pytest-xdist workers and every subprocess a test
    # starts, so that the suite neither reads nor rewrites the user's ~/.cache (another
    # checkout's tables would replace its file, and the suite's its) and runs the same on a
    # clean CI machine. The cache writes atomically, so workers may share it. A cache
    # directory the caller set (GHG_INVENTORY_CACHE_DIR) is kept.
    if hasattr(config, "workerinput") or _CACHE_VARIABLE in os.environ:
        return
    folder = tempfile.mkdtemp(prefix="ghg-inventory-test-cache-")
    config.stash[_cache_key] = folder
    os.environ[_CACHE_VARIABLE] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_cache_key, None)
    if folder is not None:
        os.environ.pop(_CACHE_VARIABLE, None)
        shutil.rmtree(folder, ignore_errors=True)


def activity_frame(rows: list[dict]) -> pd.DataFrame:
    """An activity table with defaults for the columns a test does not care about."""
    base = {"facility_id": "F1", "year": 2024, "commune": "Xã Bình Lư"}
    return pd.DataFrame([{**base, **r} for r in rows])


def by_gas(inventory: ghg.Inventory) -> dict[str, float]:
    table = inventory.emissions
    return table.groupby("gas", observed=True)["emissions_kg"].sum().to_dict()


def problem_column(output: str) -> str:
    """The last column of a CLI problem table (the problems themselves), its wrapped lines
    joined with a space."""
    cells = [line.split("│")[-2].strip() for line in output.splitlines()
             if line.count("│") >= 2]
    return " ".join(c for c in cells if c)


def compute_problems(folder: Path, text: str, lang: str | None = None) -> str:
    """The problems ``ghg-inventory compute`` prints (:func:`problem_column`) refusing a
    CSV file of ``text`` written in ``folder``, in ``lang`` (the default language: None)."""
    from typer.testing import CliRunner

    from ghg_inventory.cli import app

    bad = folder / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    runner = CliRunner(env={"COLUMNS": "100", "LANG": "C.UTF-8", "LC_ALL": "",
                            "GHG_INVENTORY_LANG": ""})
    run = runner.invoke(app, ["compute", str(bad), "--out", str(folder / "x.csv"),
                              *(["--lang", lang] if lang else [])])
    assert run.exit_code == 2, run.output
    return problem_column(run.output)


@pytest.fixture(scope="session")
def db() -> ghg.FactorDB:
    return ghg.FactorDB.default()


@pytest.fixture(scope="session")
def lai_chau_inventory() -> ghg.Inventory:
    """``ghg.compute`` of the Lai Châu example's activities.csv (the default GWP set), once a
    session (once per xdist worker): it takes seconds. Read it, never change it: it is the
    same object for every module that asks (html report, browser, CLI checks)."""
    return ghg.compute(LAI_CHAU / "activities.csv")
