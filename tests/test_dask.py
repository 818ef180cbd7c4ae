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


RANGES = {"activity_uncertainty": {"1": 5, "2": 5, "3": 10, "4": 20, "indirect": 2},
          "factor_uncertainty": {"gas:CH4": 100, "gas:N2O": 150, "gas:CO2": 5,
                                 "parameter:density": 3, "parameter:ncv": 5,
                                 "parameter:carbon_ef": 5, "parameter:mcf": 30,
                                 "parameter:fossil_carbon_fraction": 20, "user-supplied": 50,
                                 "parameter:combustion_factor": 10,
                                 # the example's own judgement: Vol 3 Ch 2 prints no range
                                 # for the CKD correction, Table 2.4 none for dry matter
                                 "parameter:ckd_correction": 1, "parameter:dry_matter": 10}}


def test_monte_carlo_chunks_as_dask_tasks_give_the_same_result(pandas_inventory):
    from ghg_inventory.analysis.uncertainty import monte_carlo
    one = monte_carlo(pandas_inventory, "year", iterations=2500, seed=3, chunk=500, **RANGES)
    many = monte_carlo(pandas_inventory, "year", iterations=2500, seed=3, chunk=500,
                       use_dask=True, **RANGES)
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


def test_the_emissions_table_row_for_row(table, pandas_inventory):
    """The Dask emissions table holds the pandas rows (core columns), labels and all."""
    from ghg_inventory.distributed import COLUMNS

    got = ghg.compute(dd.from_pandas(table, npartitions=4, sort=False)).emissions.compute()
    want = pandas_inventory.emissions[list(COLUMNS)]
    text = [c for c, d in COLUMNS.items() if d == "str"]
    assert all(isinstance(got[c].dtype, pd.CategoricalDtype) for c in text)
    # the Dask rows name their partition and row in it, the pandas rows the CSV file and
    # its line: the rows are matched on everything else
    plain = [c for c in COLUMNS if c not in ("source_file", "source_row", "emissions_kg",
                                             "co2e_kg")]
    keys = [*plain, "emissions_kg"]
    got = got.astype({c: object for c in text}).sort_values(keys).reset_index(drop=True)
    want = want.astype({c: object for c in text}).sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[plain], want[plain], check_dtype=False)
    np.testing.assert_allclose(got["co2e_kg"], want["co2e_kg"], rtol=1e-15)


def landfill(category: str = "4.A", **extra: object) -> pd.DataFrame:
    return pd.DataFrame([{"facility_id": "LF", "year": y, "category": category,
                          "activity": "food", "amount": 1000, "unit": "t",
                          "site_type": "managed_anaerobic", "climate_zone": "tropical_wet",
                          "part": y % 3, **extra} for y in range(2010, 2020)])


@pytest.mark.parametrize("category", ["4.A", " 4.A.1", "\u00a04.A"])
def test_the_last_landfill_year_is_read_from_the_whole_dataset(tmp_path: Path, category):
    # validation strips the category, so padded codes are landfill rows too: the scan of
    # the dataset (which skips row groups by their statistics) must not miss them. The
    # 2019 deposit sits in partition 2019 % 3 = 0; without the whole-table last year, the
    # partitions 1 and 2 would stop their emissions at 2017 and 2018.
    rows = landfill(category)
    dataset = tmp_path / "landfill"
    rows.to_parquet(dataset, partition_cols=["part"])
    whole = ghg.compute(rows.drop(columns="part")).rollup(by="year")
    from ghg_inventory.distributed import compute_dask
    got = compute_dask(dataset, by_site=False).rollup(by="year")
    same(whole, got)
    assert got["year"].max() == 2019


def test_a_bad_until_is_refused_not_filled(table):
    rows = landfill().drop(columns="part").astype({"year": str})
    rows.loc[4, "until"] = "soon"
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(dd.from_pandas(rows, npartitions=2, sort=False)).emissions.compute()
    assert [(p.column, p.value) for p in info.value.problems] == [("until", "soon")]


def test_problems_in_a_dataset_name_the_file_and_row(tmp_path: Path, table):
    dataset = tmp_path / "activities"
    bad = table.head(30).assign(part=lambda t: np.where(t.index < 10, "a", "b"))
    bad.loc[13, "unit"] = "furlong"  # the 4th row of the file of part b
    bad.to_parquet(dataset, partition_cols=["part"])
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(dataset).emissions.compute()
    problem = info.value.problems[0]
    assert Path(problem.file).parent.name == "part=b"
    assert (problem.row, problem.column, problem.value) == (4, "unit", "furlong")


def test_a_problem_in_a_shuffled_landfill_row_names_where_it_was_read():
    rows = landfill().drop(columns="part").astype(str)
    rows.loc[7, "amount"] = "-5"  # partition 1 of 2 holds rows 5-9 (index 5..9)
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(dd.from_pandas(rows, npartitions=2, sort=False)).emissions.compute()
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("<dask> partition 1", 7, "amount")


def test_files_with_different_columns_are_read_with_all_of_them(tmp_path: Path):
    # the first file (part=0) has no landfill columns; pyarrow alone would take its
    # columns for the dataset's and drop site_type from the other file
    rows = landfill().assign(part=1)
    fuel = pd.DataFrame([{"facility_id": "B", "year": 2019, "category": "1.A.2.f",
                          "activity": "anthracite", "amount": 10, "unit": "t", "part": 0}])
    for frame in (fuel, rows):
        frame.to_parquet(tmp_path / "d", partition_cols=["part"])
    whole = ghg.compute(pd.concat([fuel, rows]).drop(columns="part")).rollup(by="year")
    same(whole, ghg.compute(tmp_path / "d").rollup(by="year"))


def test_files_whose_columns_disagree_are_named(tmp_path: Path, table):
    first = table.head(5).assign(part="a")
    second = table.iloc[5:10].assign(part="b", amount=pd.Timestamp("2020-01-01"))
    for frame in (first, second):
        frame.to_parquet(tmp_path / "d", partition_cols=["part"])
    with pytest.raises(ghg.GHGInventoryError, match=r"part=b.*amount"):
        ghg.compute(tmp_path / "d")


def test_the_cli_names_the_file_and_row_of_a_problem(tmp_path: Path, table):
    from typer.testing import CliRunner

    from ghg_inventory.cli import app
    bad = table.head(10).copy()
    bad.loc[3, "unit"] = "furlong"  # the 4th row of the file
    bad.to_parquet(tmp_path / "acts.parquet")
    result = CliRunner().invoke(app, ["compute", str(tmp_path / "acts.parquet"), "--engine",
                                      "dask", "--workers", "1", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "acts.parquet" in result.output and "furlong" in result.output
    assert not (tmp_path / "o").exists()


def test_an_export_is_complete_or_absent(tmp_path: Path, table):
    bad = table.head(10).copy()
    bad.loc[3, "unit"] = "furlong"
    inv = ghg.compute(dd.from_pandas(bad, npartitions=2, sort=False))
    with pytest.raises(ghg.ActivityValidationError):
        inv.export(tmp_path / "e.parquet")
    assert list(tmp_path.iterdir()) == []
    good = ghg.compute(dd.from_pandas(table.head(10), npartitions=2, sort=False))
    good.export(tmp_path / "e.parquet")
    good.export(tmp_path / "e.parquet")  # an earlier export is replaced
    assert len(pd.read_parquet(tmp_path / "e.parquet")) == len(good.emissions.compute())
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep")
    with pytest.raises(ghg.GHGInventoryError, match="not an emissions dataset"):
        good.export(tmp_path / "notes")
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep"


def test_monte_carlo_on_two_worker_processes_gives_the_same_result(pandas_inventory):
    from ghg_inventory.analysis.uncertainty import monte_carlo
    from ghg_inventory.distributed import local_client
    one = monte_carlo(pandas_inventory, "plan_area", iterations=1200, seed=11, chunk=200,
                      **RANGES)
    with local_client(2):
        many = monte_carlo(pandas_inventory, "plan_area", iterations=1200, seed=11,
                           chunk=200, use_dask=True, **RANGES)
    pd.testing.assert_frame_equal(one, many)


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path, table):
    table.head(5).to_parquet(tmp_path / "a.parquet")
    table.head(5).to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(ghg.GHGInventoryError, match=r"b\.csv: cannot read as Parquet"):
        ghg.compute(tmp_path)


def test_category_codes_stored_as_numbers_are_named_by_row(tmp_path: Path, table):
    # the landfill scan compares codes as text; numbers must reach validation instead
    table.head(5).assign(category=1.0).to_parquet(tmp_path / "a.parquet")
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(tmp_path).emissions.compute()
    assert {(p.file, p.row, p.column) for p in info.value.problems} == {
        ("a.parquet", row, "category") for row in range(1, 6)}


def test_override_tables_are_read_once_on_the_client(tmp_path: Path):
    # a Viet Nam CO2 factor of 55,000 kg/TJ for natural gas in 1.A.2 (a test value):
    # 2 TJ -> 110,000 kg CO2. The table is read before any task runs, so a worker of a
    # cluster need not see the file, and a bad table fails at once.
    own = tmp_path / "own.csv"
    pd.DataFrame([{"factor_id": "test.override", "parameter": "ef", "category": "1.A.2",
                   "activity": "natural_gas", "gas": "CO2", "value": 55_000.0,
                   "unit": "kg/TJ", "tier": 2, "region": "Viet Nam", "guidelines": "2006",
                   "fossil": True, "source": "test", "reference": "test",
                   "country": "VN"}]).to_csv(own, index=False)
    rows = pd.DataFrame([{"facility_id": "F", "year": 2023, "category": "1.A.2.e",
                          "activity": "natural_gas", "amount": 2, "unit": "TJ"}] * 3)
    from ghg_inventory.distributed import compute_dask
    inv = compute_dask(dd.from_pandas(rows, npartitions=3), factors=[own])
    own.unlink()
    got = inv.emissions.compute()
    co2 = got[got["gas"] == "CO2"]
    assert set(co2["factor_id"]) == {"test.override"}
    assert co2["emissions_kg"].tolist() == pytest.approx([110_000.0] * 3)
    with pytest.raises(ghg.GHGInventoryError, match="no_such.csv"):
        compute_dask(dd.from_pandas(rows, npartitions=3), factors=[tmp_path / "no_such.csv"])


def test_a_csv_export_writes_formula_text_as_text(tmp_path: Path, table):
    # a commune named like a spreadsheet formula is neutralised (OWASP CSV injection), as
    # in every other writer; numbers stay numbers
    rows = table.head(6).copy()
    rows["commune"] = '=HYPERLINK("http://x","c")'
    inv = ghg.compute(dd.from_pandas(rows, npartitions=2, sort=False))
    inv.export(tmp_path / "e.csv")
    written = pd.concat([pd.read_csv(p) for p in sorted(tmp_path.glob("e-*.csv"))])
    assert set(written["commune"]) == {"'=HYPERLINK(\"http://x\",\"c\")"}
    assert pd.api.types.is_float_dtype(written["emissions_kg"])


def test_the_cli_dask_engine_reads_csv_as_the_pandas_engine_does(tmp_path: Path):
    # ';'-separated with a decimal comma, as Vietnamese Excel exports write: read like the
    # pandas path (1,5 t natural gas = 1.5 t: 1.5 x 48.0/1000 x 56,100 = 4,039.2 kg CO2,
    # IPCC 2006 Vol 2 Tables 1.2 and 1.4); a Windows-1258 file is refused in one line
    from typer.testing import CliRunner

    from ghg_inventory.cli import app
    text = ("facility_id;year;category;activity;amount;unit;commune\n"
            "F1;2024;1.A.2;natural_gas;1,5;t;Xã Pa So\n")
    (tmp_path / "semi.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "semi"
    result = CliRunner().invoke(app, ["compute", str(tmp_path / "semi.csv"), "--engine",
                                      "dask", "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = pd.read_parquet(out)
    assert written.loc[written.gas == "CO2", "emissions_kg"].sum() == pytest.approx(4_039.2)
    import unicodedata  # Windows-1258 writes tones as marks after the vowel (NFD)
    vietnamese = unicodedata.normalize("NFD", text.replace(";", ",").replace("1,5", "1.5"))
    (tmp_path / "vn.csv").write_bytes(vietnamese.encode("cp1258"))
    refused = CliRunner().invoke(app, ["compute", str(tmp_path / "vn.csv"), "--engine",
                                       "dask", "--workers", "1", "--out", str(tmp_path / "v")])
    assert refused.exit_code == 2 and "UTF-8" in refused.output
    assert not (tmp_path / "v").exists()
