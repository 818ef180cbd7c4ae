"""Verification status shown (issue 18 item 2): per emission row (weakest record of its
factor chain), in QA/QC (share of the total resting on single-source defaults and on user
values), in ``ghg-inventory factors``, and the generated page of every shipped default."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.analysis.qaqc import check, verification_shares
from ghg_inventory.cli import app
from ghg_inventory.reporting import defaults_page

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def co2_record(fid: str, facility: str, value: float, **fields: object) -> dict:
    return {"factor_id": fid, "parameter": "ef", "category": "1.A.2", "activity": "natural_gas",
            "gas": "CO2", "value": value, "unit": "kg/TJ", "tier": 3, "guidelines": "2006",
            "fossil": True, "source": "test", "reference": "test", "facility_id": facility,
            **fields}


def two_facilities() -> ghg.Inventory:
    """F1: its CO2 factor marked single_source; F2: a user value (no verification column);
    CH4 and N2O of both from IPCC 2006 Vol 2 Table 2.3 (shipped, two sources)."""
    single = pd.DataFrame([co2_record("f1.co2", "F1", 56_100.0,
                                      verification="single_source")])
    user = pd.DataFrame([co2_record("f2.co2", "F2", 50_000.0)])
    rows = [{"facility_id": f, "category": "1.A.2.e", "activity": "natural_gas",
             "amount": 10, "unit": "TJ"} for f in ("F1", "F2")]
    db = ghg.FactorDB.default().with_overrides(single, user)
    return ghg.compute(activity_frame(rows), factors=db)


def test_each_row_carries_the_weakest_status_of_its_chain():
    inv = two_facilities()
    status = inv.verification()
    table = inv.results.assign(status=status.astype(str).to_numpy())
    got = {(inv.activities["facility_id"].iat[p], g): s
           for p, g, s in zip(table["_pos"], table["gas"], table["status"], strict=True)}
    assert got[("F1", "CO2")] == "single_source" and got[("F2", "CO2")] == "user"
    assert got[("F1", "CH4")] == got[("F2", "N2O")] == "two_sources"
    assert list(status.cat.categories) == ["user", "single_source", "two_sources"]


def test_a_single_source_density_makes_the_row_single_source():
    # 1,000 L of gas/diesel oil: CO2 factor and NCV checked against two copies, the UNSD
    # density (litres per tonne) against one: the row rests on a single-source default
    inv = ghg.compute(activity_frame([{"category": "1.A.2.e", "activity": "gas_diesel_oil",
                                       "amount": 1000, "unit": "L"}]))
    chain = inv.results["auxiliary_factor_ids"].astype(str)
    assert chain.str.contains("density").all()
    assert (inv.verification().astype(str) == "single_source").all()


def test_qaqc_share_of_single_source_and_user_values():
    # F1 CO2: 10 TJ x 56,100 kg/TJ = 561,000 kg (single_source)
    # F2 CO2: 10 TJ x 50,000 kg/TJ = 500,000 kg (user)
    # CH4 of each: 10 TJ x 1 kg/TJ x 28 (AR5) = 280; N2O: 10 x 0.1 x 265 = 265 (two_sources)
    total = 561_000 + 500_000 + 2 * (280 + 265)          # 1,062,090 kg CO2e
    shares = verification_shares(two_facilities()).set_index("factor_verification")
    assert shares.loc["single_source", "co2e_kg"] == pytest.approx(561_000)
    assert shares.loc["single_source", "share_pct"] == pytest.approx(100 * 561_000 / total)
    assert shares.loc["user", "share_pct"] == pytest.approx(100 * 500_000 / total)
    assert shares.loc["two_sources", "share_pct"] == pytest.approx(100 * 1_090 / total)
    assert shares.loc["single_source", "factor_ids"] == "f1.co2"
    assert shares.loc["user", "factor_ids"] == "f2.co2"
    assert set(shares.loc["two_sources", "factor_ids"].split(";")) == {
        "ipcc2006.v2.t2_3.ef.ch4.natural_gas", "ipcc2006.v2.t2_3.ef.n2o.natural_gas"}
    # the QA/QC report carries the same shares
    report = check(two_facilities())
    share, kg, ids = report.attrs["verification_shares"]["single_source"]
    assert share == pytest.approx(100 * 561_000 / total) and ids == "f1.co2"


def test_biogenic_co2_is_not_in_the_shares():
    # wood: its CO2 is a memo item, so only CH4 and N2O count in the total
    inv = ghg.compute(activity_frame([{"category": "1.A.4.b", "activity": "wood_wood_waste",
                                       "amount": 1, "unit": "TJ"}]))
    shares = verification_shares(inv)
    co2e = inv.co2e()[~inv.results["biogenic"].to_numpy()].sum()
    assert shares["co2e_kg"].sum() == pytest.approx(co2e)
    assert shares["share_pct"].sum() == pytest.approx(100)


def test_factors_command_shows_and_filters_verification_and_edition():
    result = runner.invoke(app, ["factors", "--activity", "gas_diesel_oil", "--verification",
                                 "single_source"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "density.unsd.gas_diesel_oil" in result.output
    assert "ipcc2006.v2.t1_4" not in result.output          # two-source records left out
    assert "single_source" in result.output and "edition" in result.output
    result = runner.invoke(app, ["factors", "--activity", "natural_gas", "--edition", "2006",
                                 "--verification", "two_sources"], env={"COLUMNS": "250"})
    assert result.exit_code == 0 and "two_sources" in result.output
    result = runner.invoke(app, ["factors", "--verification", "checked"])
    assert result.exit_code == 2 and "two_sources" in result.output


def test_check_command_prints_the_shares():
    example = ROOT / "examples" / "lai_chau" / "activities.csv"
    result = runner.invoke(app, ["check", str(example)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "single_source" in result.output and "share_pct" in result.output


def test_defaults_page_is_current():
    page = defaults_page.render()
    committed = (ROOT / "docs" / "defaults.md").read_text(encoding="utf-8")
    assert page == committed, (
        "docs/defaults.md differs from emission_factors/: regenerate it with "
        f"`{defaults_page.COMMAND}` (from the repository, in its virtual environment)")


def test_defaults_page_lists_every_record_with_its_status():
    page = defaults_page.render()
    table = ghg.FactorDB.default().table
    for fid in table["factor_id"]:
        assert f"`{fid}`" in page
    counts = table["verification"].value_counts()
    assert f"{counts.get('single_source', 0)} against one machine-readable" in page
    # a record that is single_source is listed as such on its line
    line = next(x for x in page.splitlines() if "`density.unsd.gas_diesel_oil`" in x)
    assert line.rstrip().endswith("| single_source |")
