"""The Dask path: the pandas kernel per partition gives the pandas numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ghg_inventory as ghg

dd = pytest.importorskip("dask.dataframe", reason="the [dask] extra is not installed")

EXAMPLE = Path(__file__).parent.parent / "examples" / "lai_chau" / "activities.csv"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE, dtype=str)


@pytest.fixture(scope="module")
def pandas_inventory(table: pd.DataFrame) -> ghg.Inventory:
    return ghg.compute(table)


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    keys = [c for c in a.columns if not c.endswith("_kg")]
    a, b = a.sort_values(keys).reset_index(drop=True), b.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[keys], b[keys], check_dtype=False)
    # partition sums add in another order: equal to float rounding
    for column in a.columns.difference(keys):
        np.testing.assert_allclose(a[column], b[column], rtol=1e-12, atol=1e-6)


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_dask_gives_the_pandas_numbers(table, pandas_inventory, partitions):
    # the landfill's deposit history (LC-WS-01, 2008-2023) is spread over the partitions
    # by row order; the shuffle on facility_id brings it back together
    ddf = dd.from_pandas(table, npartitions=partitions, sort=False)
    inv = ghg.compute(ddf)
    assert inv.total().m_as("t CO2e") == pytest.approx(
        pandas_inventory.total().m_as("t CO2e"), rel=1e-13)
    for by in (["commune", "year"], ["plan_area"], ["category", "gas"]):
        same(pandas_inventory.rollup(by=by), inv.rollup(by=by))
    same(pandas_inventory.rollup(by="year", level=2, scope="indirect"),
         inv.rollup(by="year", level=2, scope="indirect"))
    assert inv.biogenic_co2().m_as("t CO2") == pytest.approx(
        pandas_inventory.biogenic_co2().m_as("t CO2"))


def test_a_landfill_split_over_partitions_needs_the_shuffle():
    # deposits 2010-2019, an oxidising cover from 2015 (OX 0.1): a partition without the
    # 2015 row would not know the cover, so the site's rows must be together
    rows = pd.DataFrame([{"facility_id": "LF", "year": y, "category": "4.A",
                          "activity": "food", "amount": 1000, "unit": "t",
                          "site_type": "managed_anaerobic", "climate_zone": "tropical_wet",
                          "oxidising_cover": "yes" if y >= 2015 else "no"}
                         for y in range(2010, 2020)])
    whole = ghg.compute(rows).rollup(by="year")
    ddf = dd.from_pandas(rows, npartitions=2, sort=False)
    same(whole, ghg.compute(ddf).rollup(by="year"))
    from ghg_inventory.distributed import compute_dask
    split = compute_dask(ddf, by_site=False).rollup(by="year")
    assert split["co2e_kg"].sum() > whole["co2e_kg"].sum() * 1.01


def test_a_partitioned_parquet_dataset(tmp_path: Path, table, pandas_inventory):
    dataset = tmp_path / "activities"
    table.assign(part=table["facility_id"].str[:5]).to_parquet(dataset,
                                                               partition_cols=["part"])
    inv = ghg.compute(dataset)
    assert inv.total().m_as("t CO2e") == pytest.approx(
        pandas_inventory.total().m_as("t CO2e"), rel=1e-13)
    out = inv.export(tmp_path / "emissions.parquet")
    written = pd.read_parquet(out)
    assert written["co2e_kg"].sum() == pytest.approx(
        pandas_inventory.emissions["co2e_kg"].sum(), rel=1e-12)


def test_problems_in_a_partition_name_the_partition_and_row(table):
    bad = table.head(20).copy()
    bad.loc[13, "unit"] = "furlong"
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(dd.from_pandas(bad, npartitions=2, sort=False)).emissions.compute()
    problem = info.value.problems[0]
    assert "partition" in problem.file and problem.column == "unit"
    assert problem.value == "furlong"


def test_the_library_works_without_dask():
    # as if Dask were not installed: every 'import dask' fails. (With Dask installed, pint
    # itself imports it to recognise Dask arrays; ghg_inventory never needs it.)
    code = ("import sys; sys.modules['dask'] = None; import ghg_inventory as g; "
            f"g.compute({str(EXAMPLE)!r}).total(); import ghg_inventory.cli; "
            "from ghg_inventory.distributed import is_dask; assert not is_dask(1)")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_monte_carlo_chunks_as_dask_tasks_give_the_same_result(pandas_inventory):
    from ghg_inventory.uncertainty import monte_carlo
    options = {"activity_uncertainty": {"1": 5, "2": 5, "3": 10, "4": 20, "indirect": 2},
               "factor_uncertainty": {"gas:CH4": 100, "gas:N2O": 150, "gas:CO2": 5,
                                      "parameter:density": 3, "parameter:ncv": 5,
                                      "parameter:carbon_ef": 5, "parameter:mcf": 30,
                                      "parameter:fossil_carbon_fraction": 20,
                                      "user-supplied": 50}}
    one = monte_carlo(pandas_inventory, "year", iterations=2500, seed=3, chunk=500, **options)
    many = monte_carlo(pandas_inventory, "year", iterations=2500, seed=3, chunk=500,
                       use_dask=True, **options)
    pd.testing.assert_frame_equal(one, many)


def test_the_cli_engine_switch(tmp_path: Path, pandas_inventory):
    from typer.testing import CliRunner

    from ghg_inventory.cli import app
    out = tmp_path / "emissions"
    result = CliRunner().invoke(app, ["compute", str(EXAMPLE), "--engine", "dask",
                                      "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(out)["co2e_kg"].sum() == pytest.approx(
        pandas_inventory.emissions["co2e_kg"].sum(), rel=1e-12)
