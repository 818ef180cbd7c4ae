"""The command line in the user's language, its output never cut (issue 21, items 2 and 3,
and ``factors --list activities`` of item 1)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ghg_inventory.cli import app, build
from ghg_inventory.cli._lang import _texts, from_argv, from_environment, startup_lang
from ghg_inventory.i18n import labels

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "examples" / "lai_chau" / "activities.csv"
CLI = [sys.executable, "-m", "ghg_inventory.cli"]
#: the locale of the tests, whatever the machine's (English unless a test says otherwise)
PLAIN = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": "",
         "GHG_INVENTORY_LANG": "", "COLUMNS": "80"}
runner = CliRunner(env={"COLUMNS": "80", "LANG": "C.UTF-8", "LC_ALL": "",
                        "GHG_INVENTORY_LANG": ""})

UNCERTAIN = ["--activity-uncertainty", "1=5,2=5,3=10,4=20,indirect=2", "--factor-uncertainty",
             "gas:CH4=100,gas:N2O=150,gas:CO2=5,parameter:density=3,parameter:ncv=5,"
             "parameter:carbon_ef=5,parameter:mcf=30,parameter:fossil_carbon_fraction=20,"
             "parameter:ckd_correction=1,parameter:dry_matter=10,user-supplied=50"]
#: a number cut by rich ends in "…" right after a digit, separator or point
CUT = re.compile(r"[\d.,]…")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two years of a few rows of the Lai Châu example: fast, with big totals."""
    table = pd.read_csv(SMALL)
    rows = table[table["year"].isin([2022, 2023])].groupby("year").head(40)
    path = tmp_path_factory.mktemp("cli") / "small.csv"
    rows.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def one(small: Path) -> Path:
    """The rows of one facility: a report that submit takes."""
    table = pd.read_csv(small)
    path = small.with_name("one.csv")
    table[table["facility_id"] == table["facility_id"].iloc[0]].to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "bad.csv"
    path.write_text("facility_id,year,category,activity,amount,unit\n"
                    "F1,2023,1.A.4.a,gas_diesel_oil,-5,knot\n", encoding="utf-8")
    return path


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command line, its output a pipe (not a terminal), 80 columns."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True,
                          env={**PLAIN, **(env or {})}, cwd=ROOT, timeout=300)


# --- output never cut ------------------------------------------------------------------

def test_piped_tables_at_80_columns_cut_no_number(small: Path, one: Path, tmp_path: Path):
    store = tmp_path / "p.duckdb"
    commands = [
        ["rollup", str(small), "--by", "category"],
        ["key-categories", str(small), "--year", "2023", "--base-year", "2022"],
        ["uncertainty", str(small), *UNCERTAIN],
        ["factors", "--activity", "gas_diesel_oil"],
    ]
    for args in commands:
        done = run(*args)
        assert done.returncode == 0, done.stderr
        assert not CUT.search(done.stdout), (args, done.stdout)
    submitted = run("submit", str(one), "--store", str(store))
    assert submitted.returncode == 0, submitted.stderr
    listed = run("store", "list", "--store", str(store))
    assert listed.returncode == 0 and not CUT.search(listed.stdout), listed.stdout


def test_a_table_written_to_a_file_keeps_whole_numbers(small: Path, tmp_path: Path):
    out = tmp_path / "log.txt"
    with out.open("w") as handle:
        subprocess.run([*CLI, "key-categories", str(small), "--year", "2023"],
                       stdout=handle, env=PLAIN, check=True, cwd=ROOT, timeout=300)
    text = out.read_text()
    assert "…" not in text
    frame = pd.read_csv(io.StringIO(run("key-categories", str(small), "--year", "2023",
                                        "--format", "csv").stdout))
    biggest = frame["co2e_t"].max()
    assert f"{biggest:,.2f}" in text  # the largest number, whole, on one line


def test_markup_in_messages_is_shown_as_written(bad: Path):
    result = runner.invoke(app, ["compute", str(bad), "--out", "x.csv"])
    assert result.exit_code == 2
    # pint's words for the unit's dimension, "[length] / [time]", are not rich markup
    assert "[length]" in result.output and "[time]" in result.output


# --- --format csv|json -----------------------------------------------------------------

def test_format_csv_is_the_table(small: Path):
    shown = runner.invoke(app, ["key-categories", str(small), "--year", "2023", "--level", "2"])
    plain = runner.invoke(app, ["key-categories", str(small), "--year", "2023", "--level", "2",
                                "--format", "csv"])
    assert shown.exit_code == 0 and plain.exit_code == 0, plain.output
    frame = pd.read_csv(io.StringIO(plain.stdout))
    assert list(frame.columns)[:3] == ["category", "gas", "co2e_t"]
    for value in frame["co2e_t"]:  # every number of the CSV is a number of the table
        assert f"{value:,.2f}" in shown.output or f"{value:,.0f}" in shown.output
    for category in frame["category"]:
        assert category in shown.output


def test_format_csv_and_json_of_rollup_in_tonnes(small: Path):
    import ghg_inventory as ghg

    total = ghg.compute(small).total().m_as("t * CO2e")
    plain = runner.invoke(app, ["rollup", str(small), "--by", "year", "--format", "csv"])
    assert plain.exit_code == 0, plain.output
    frame = pd.read_csv(io.StringIO(plain.stdout))
    assert frame["co2e_t"].sum() == pytest.approx(total)
    data = runner.invoke(app, ["rollup", str(small), "--by", "year", "--format", "json"])
    parsed = json.loads(data.stdout)
    assert sum(r["co2e_t"] for r in parsed["rows"]) == pytest.approx(total)
    assert "(t; CO2e" in parsed["title"]
    refused = runner.invoke(app, ["rollup", str(small), "--format", "xml"])
    assert refused.exit_code == 2


# --- one unit: t CO2e on screen --------------------------------------------------------

def test_store_list_uncertainty_key_categories_show_tonnes(small: Path, one: Path,
                                                          tmp_path: Path):
    import ghg_inventory as ghg

    store = tmp_path / "s.duckdb"
    assert runner.invoke(app, ["submit", str(one), "--store", str(store)]).exit_code == 0
    listed = runner.invoke(app, ["store", "list", "--store", str(store), "--format", "csv"])
    frame = pd.read_csv(io.StringIO(listed.stdout))
    assert "direct_co2e_t" in frame.columns and "direct_co2e_kg" not in frame.columns
    assert frame["direct_co2e_t"].sum() == pytest.approx(ghg.compute(one).total().m_as(
        "t * CO2e"))
    shown = runner.invoke(app, ["store", "list", "--store", str(store)])
    assert "direct_co2e_t" in shown.output and "t CO2e" in shown.output
    key = runner.invoke(app, ["key-categories", str(small), "--year", "2023"])
    assert "co2e_t" in key.output and "co2e_kg" not in key.output
    uncertain = runner.invoke(app, ["uncertainty", str(small), "--format", "csv", *UNCERTAIN])
    assert uncertain.exit_code == 0, uncertain.output
    frame = pd.read_csv(io.StringIO(uncertain.stdout))
    assert "co2e_t" in frame.columns
    assert frame["co2e_t"].sum() == pytest.approx(ghg.compute(small).total().m_as(
        "t * CO2e"))


# --- Vietnamese ------------------------------------------------------------------------

def test_lang_vi_problem_table_is_vietnamese(bad: Path):
    result = runner.invoke(app, ["compute", str(bad), "--out", "x.csv", "--lang", "vi"])
    assert result.exit_code == 2
    for word in ("tệp", "dòng", "cột", "giá trị", "vấn đề", "chưa tính toán gì"):
        assert word in result.output
    english = runner.invoke(app, ["compute", str(bad), "--out", "x.csv"])
    assert "nothing was computed" in english.output and "tệp" not in english.output


def test_vietnamese_locale_and_setting(bad: Path):
    done = run("compute", str(bad), "--out", "x.csv", env={"LANG": "vi_VN.UTF-8"})
    assert done.returncode == 2 and "giá trị" in done.stderr and "vấn đề" in done.stderr
    done = run("compute", str(bad), "--out", "x.csv", env={"GHG_INVENTORY_LANG": "vi"})
    assert "chưa tính toán gì" in done.stderr
    # --lang en wins over the locale
    done = run("compute", str(bad), "--out", "x.csv", "--lang", "en",
               env={"LANG": "vi_VN.UTF-8"})
    assert "nothing was computed" in done.stderr


def test_messages_and_summaries_in_vietnamese(small: Path, tmp_path: Path):
    done = runner.invoke(app, ["compute", str(small), "--out", str(tmp_path / "e.csv"),
                               "--lang", "vi"])
    assert done.exit_code == 0, done.output
    assert "đã ghi" in done.output and "tấn CO2tđ" in done.output
    rolled = runner.invoke(app, ["--lang", "vi", "rollup", str(small), "--by", "year"])
    assert "TỔNG" in rolled.output and "tấn CO2tđ" in rolled.output
    # a command's own --lang (rollup's names) chooses the messages' language too, and
    # numbers are written the Vietnamese way
    import ghg_inventory as ghg

    total = ghg.compute(small).total().m_as("t * CO2e")
    rolled = runner.invoke(app, ["rollup", str(small), "--by", "year", "--lang", "vi"])
    vietnamese = f"{total:,.3f}".translate(str.maketrans(",.", ".,"))
    assert "TỔNG" in rolled.output and vietnamese in rolled.output
    written = runner.invoke(app, ["template", str(tmp_path / "t.xlsx"), "--lang", "vi"])
    assert written.exit_code == 0 and "đã ghi" in written.output
    refused = runner.invoke(app, ["rollup", str(small), "--lang", "fr"])
    assert refused.exit_code == 2


def test_help_in_vietnamese():
    vi = CliRunner(env={"COLUMNS": "200"})
    shown = vi.invoke(build("vi"), ["compute", "--help"])
    assert "Tính bảng phát thải" in shown.output and "hệ số phát thải" in shown.output
    top = vi.invoke(build("vi"), ["--help"])
    assert "Kiểm kê khí nhà kính" in top.output
    done = run("rollup", "--help", "--lang", "vi", env={"COLUMNS": "200"})
    assert "tấn CO2tđ" in done.stdout
    done = run("--help", env={"LC_ALL": "vi_VN.UTF-8", "COLUMNS": "200"})
    assert "Kiểm kê khí nhà kính" in done.stdout


def test_every_command_has_a_vietnamese_help():
    from ghg_inventory.cli import COMMANDS, STORE_COMMANDS

    keys = _texts()
    for name in COMMANDS:
        assert f"cli.command.{name}" in keys
    for name in STORE_COMMANDS:
        assert f"cli.command.store.{name}" in keys
    # every option with a help text has its Vietnamese one
    import inspect
    import typing

    for name, command in {**COMMANDS, **{f"store {k}": v for k, v in STORE_COMMANDS.items()}
                          }.items():
        for param in inspect.signature(command, eval_str=True).parameters.values():
            if typing.get_origin(param.annotation) is not typing.Annotated:
                continue
            if typing.get_args(param.annotation)[1].help:
                options = {f"cli.option.{name.replace(' ', '.')}.{param.name}",
                           f"cli.option.{param.name}"}
                assert options & set(keys), (name, param.name)


def test_cli_texts_are_the_catalogue():
    """The command line reads its part of the catalogue the way i18n does."""
    assert labels("vi", "cli.") == {k.removeprefix("cli."): v["vi"] for k, v in _texts().items()}
    assert labels("en", "cli.") == {k.removeprefix("cli."): v["en"] for k, v in _texts().items()}


def test_language_choice():
    assert from_argv(["rollup", "--lang", "vi"]) == "vi"
    assert from_argv(["--lang=en"]) == "en"
    assert from_argv(["rollup", "--", "--lang", "vi"]) is None
    assert from_environment({"LANG": "vi_VN.UTF-8"}) == "vi"
    assert from_environment({"LC_ALL": "en_US.UTF-8", "LANG": "vi_VN.UTF-8"}) == "en"
    assert from_environment({"GHG_INVENTORY_LANG": "vi", "LC_ALL": "C"}) == "vi"
    assert startup_lang([], {}) == "en"


# --- factors --list and suggestions ----------------------------------------------------

def test_factors_list_activities_names_diesel_in_both_languages():
    result = runner.invoke(app, ["factors", "--list", "activities", "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    diesel = frame[frame["activity"] == "gas_diesel_oil"]
    assert not diesel.empty and set(diesel["name_vi"]) == {"Dầu diesel"}
    assert "1.A.1" in set(diesel["category"])
    assert "diesel" in diesel["aliases"].iloc[0]
    shown = runner.invoke(app, ["factors", "--list", "activities", "--category", "1.A.1"])
    assert "gas_diesel_oil" in shown.output and "Dầu diesel" in shown.output
    assert runner.invoke(app, ["factors", "--list", "units"]).exit_code == 0
    assert runner.invoke(app, ["factors", "--list", "categories"]).exit_code == 0
    assert runner.invoke(app, ["factors", "--list", "fuels"]).exit_code == 2


def test_factors_of_an_unknown_activity_suggest_the_key():
    result = runner.invoke(app, ["factors", "--activity", "diesel"])
    assert result.exit_code == 0
    assert "0 factor record(s)" in result.output
    assert "did you mean: gas_diesel_oil?" in result.output
    vi = runner.invoke(app, ["factors", "--activity", "dầu DO", "--lang", "vi"])
    assert "có phải ý bạn là: gas_diesel_oil?" in vi.output


def test_a_narrow_terminal_gets_whole_numbers_and_labels(small: Path):
    from rich.console import Console

    import ghg_inventory as ghg
    from ghg_inventory.reporting.terminal import rollup_table, show

    result = ghg.compute(small).rollup(by=["plan_area"])
    screen = io.StringIO()
    show(rollup_table(result, "by plan area"),
         console=Console(file=screen, force_terminal=True, width=80, color_system=None))
    text = screen.getvalue()
    assert "…" not in text
    for area in result["plan_area"]:
        assert f"│ {area} " in text  # the labels keep their width too
    assert f"{result['co2e_kg'].sum() / 1000:,.3f}" in text
