"""Every script in examples/ runs to the end (smoke test).

Scripts run in a copy of their example folder under tmp_path, so that none rewrites committed
data (``make_data.py`` regenerates ``activities.csv``) or leaves outputs in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p for p in EXAMPLES.rglob("*.py") if "out" not in p.relative_to(EXAMPLES).parts)


@pytest.mark.parametrize("script", SCRIPTS, ids=[str(p.relative_to(EXAMPLES)) for p in SCRIPTS])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    folder = tmp_path / script.parent.name
    shutil.copytree(script.parent, folder, ignore=shutil.ignore_patterns("out", "__pycache__"))
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, script.name], cwd=folder, capture_output=True,
                            text=True, timeout=300, env=env)
    assert result.returncode == 0, (
        f"{script.relative_to(EXAMPLES)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    if script.name == "run.py":  # the provincial workflow (run once: it takes ~20 s)
        assert "Provincial total 2023" in result.stdout
        assert "INDIRECT" in result.stdout and "must make a GHG inventory" in result.stdout


def test_make_data_reproduces_the_committed_table(tmp_path: Path) -> None:
    # make_data.py has a fixed seed: run in a copy, its table is the committed one
    source = EXAMPLES / "lai_chau"
    folder = tmp_path / "lai_chau"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("out", "__pycache__"))
    subprocess.run([sys.executable, "make_data.py"], cwd=folder, check=True,
                   capture_output=True, timeout=300)
    assert (folder / "activities.csv").read_bytes() == (source / "activities.csv").read_bytes()
