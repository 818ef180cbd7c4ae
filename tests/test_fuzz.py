"""Fuzzing the readers and ``ghg-inventory compute`` (issue 22, item 7).

Every case ends in a result or an error of the package (``GHGInventoryError``; the CLI's
exit code 2 with nothing written), never another exception or a traceback. The inputs:
random bytes, valid CSV/XLSX/Parquet files truncated or with bytes flipped, random Unicode
in every column, extreme numbers, thousands of columns, a zip-bomb-like workbook.

A few hundred cases run by default; ``GHG_FUZZ_EXAMPLES=<n>`` runs ``n`` per test instead
(e.g. ``GHG_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``). Time is asserted only where a
limit promises it (the zip bomb); elsewhere hypothesis' deadline is off.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ghg_inventory as ghg
from ghg_inventory.cli import app
from ghg_inventory.errors import ActivityValidationError, GHGInventoryError
from ghg_inventory.readers import read_activities
from test_untrusted_inputs import _zip_workbook

#: Examples per test: the default of each test, or GHG_FUZZ_EXAMPLES for all of them.
_OVERRIDE = int(os.environ.get("GHG_FUZZ_EXAMPLES", "0") or 0)


def fuzz(default: int) -> settings:
    return settings(max_examples=_OVERRIDE or default, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


COLUMNS = ["facility_id", "year", "category", "activity", "amount", "unit", "commune"]
VALID = pd.DataFrame({
    "facility_id": ["F1", "F1", "F2"], "year": ["2023", "2023", "2024"],
    "category": ["1.A.2", "1.A.4.b", "1.A.2"],
    "activity": ["natural_gas", "liquefied_petroleum_gases", "gas_diesel_oil"],
    "amount": ["1000", "12.5", "3"], "unit": ["t", "t", "t"],
    "commune": ["Xã Bình Lư", "Mường Tè", "Phong Thổ"]})
FORMATS = (".csv", ".xlsx", ".parquet")


def _valid_bytes(suffix: str) -> bytes:
    buffer = io.BytesIO()
    if suffix == ".csv":
        buffer.write(VALID.to_csv(index=False).encode("utf-8"))
    elif suffix == ".xlsx":
        VALID.to_excel(buffer, sheet_name="activities", index=False)
    else:
        VALID.to_parquet(buffer)
    return buffer.getvalue()


SEEDS = {suffix: _valid_bytes(suffix) for suffix in FORMATS}


def read_and_compute(path: Path) -> str:
    """'computed' or 'refused' (a package error); any other exception fails the test."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. the encoding note of a damaged file
            inventory = ghg.compute(read_activities(path))
    except GHGInventoryError as exc:
        assert str(exc).strip(), "a refusal says why"
        return "refused"
    values = inventory.emissions["emissions_kg"].to_numpy(dtype=float)
    assert np.isfinite(values).all()  # a result is numbers, never inf or nan
    return "computed"


def _case(data: bytes, suffix: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        return read_and_compute(path)


@fuzz(60)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(FORMATS))
def test_random_bytes(data: bytes, suffix: str):
    _case(data, suffix)


@st.composite
def damaged(draw: st.DrawFn) -> tuple[bytes, str]:
    """A valid file of one format, truncated or with bytes flipped (or both)."""
    suffix = draw(st.sampled_from(FORMATS))
    data = bytearray(SEEDS[suffix])
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0 if len(data) else 0, 8 if len(data) else 0))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data), suffix


@fuzz(120)
@given(case=damaged())
def test_truncated_and_flipped_files(case: tuple[bytes, str]):
    _case(*case)


@fuzz(50)
@given(cells=st.lists(st.fixed_dictionaries({c: st.text(max_size=12) for c in COLUMNS}),
                      min_size=1, max_size=3),
       suffix=st.sampled_from((".csv", ".parquet")))
def test_random_unicode_in_every_column(cells: list[dict[str, str]], suffix: str):
    frame = pd.DataFrame(cells, columns=COLUMNS)
    buffer = io.BytesIO()
    if suffix == ".csv":
        buffer.write(frame.to_csv(index=False).encode("utf-8", "surrogatepass"))
    else:
        frame.to_parquet(buffer)
    _case(buffer.getvalue(), suffix)


EXTREME_TEXT = ["1e308", "1e309", "-1e309", "inf", "-inf", "nan", "NaN", "1e-400", "-0",
                "9" * 400, "0x10", "1_000", "١٢٣", "１２３", "1.7976931348623157e308",
                "2,5", "1.234.567,89", "1,234,567.89", "  7  ", ""]


@fuzz(50)
@given(amounts=st.lists(st.one_of(
           st.floats(allow_nan=True, allow_infinity=True),
           st.integers(-(10**30), 10**30),
           st.sampled_from(EXTREME_TEXT)), min_size=3, max_size=3),
       suffix=st.sampled_from((".csv", ".parquet")))
def test_extreme_numbers(amounts: list[object], suffix: str):
    frame = VALID.copy()
    buffer = io.BytesIO()
    if suffix == ".csv":
        frame["amount"] = [str(a) for a in amounts]
        buffer.write(frame.to_csv(index=False).encode("utf-8"))
    else:
        numbers = [a if isinstance(a, float) else
                   (float(a) if isinstance(a, int) else math.nan) for a in amounts]
        frame["amount"] = numbers
        frame.to_parquet(buffer)
    _case(buffer.getvalue(), suffix)


@fuzz(8)
@given(columns=st.integers(900, 12_000), quote=st.booleans())
def test_thousands_of_columns(columns: int, quote: bool):
    extra = [f'"x{i}"' if quote else f"x{i}" for i in range(columns - len(COLUMNS))]
    row = ["F1", "2023", "1.A.2", "natural_gas", "10", "t", "Xã Bình Lư"]
    text = ",".join(COLUMNS + extra) + "\n" + ",".join(row + ["1"] * len(extra)) + "\n"
    outcome = _case(text.encode("utf-8"), ".csv")
    assert outcome == ("refused" if columns > 1_000 else "computed")


def test_a_zip_bomb_like_workbook_is_refused_in_seconds(tmp_path: Path):
    path = _zip_workbook(tmp_path / "bomb.xlsx", b"<row r=\"1\"><c r=\"A1\"/></row>",
                         filler=600 << 20)
    start = time.perf_counter()
    with pytest.raises(GHGInventoryError, match="max_unzipped_mib"):
        read_activities(path)
    assert time.perf_counter() - start < 5  # [s]; a full read took about 127 s


# --- the CLI: exit 0 with the file written, or exit 2 with nothing written --------------

runner = CliRunner()


@fuzz(30)
@given(case=st.one_of(damaged(), st.tuples(st.binary(max_size=2000),
                                           st.sampled_from(FORMATS))),
       out=st.sampled_from(("e.csv", "e.parquet", "e.xlsx")))
def test_cli_compute(case: tuple[bytes, str], out: str):
    data, suffix = case
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / f"in{suffix}", Path(folder) / out
        source.write_bytes(data)
        result = runner.invoke(app, ["compute", str(source), "--out", str(target)])
        assert result.exit_code in (0, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception)
        assert "Traceback" not in result.output
        written = sorted(p.name for p in Path(folder).iterdir() if p.name != source.name)
        if result.exit_code == 0:
            assert target.exists()
        else:
            assert written == [], written  # nothing, not even a partial file


# --- what the fuzzing found, kept as plain cases ------------------------------------------

@pytest.mark.parametrize("amount", ["١٢٣", "9" * 400])
def test_numbers_that_crashed_the_number_reader_are_refused(tmp_path: Path, amount: str):
    # Arabic-Indic digits matched RE2's \d and then failed pd.to_numeric (ValueError);
    # a 400-digit whole number overflowed the float conversion (OverflowError)
    frame = VALID.copy()
    frame.loc[0, "amount"] = amount
    frame.to_csv(tmp_path / "a.csv", index=False)
    assert read_and_compute(tmp_path / "a.csv") == "refused"
    # and the refusal names the cell (it said "empty" for the Arabic-Indic digits); the
    # 400 digits read as a number too large for a float, shown as inf
    with pytest.raises(ActivityValidationError) as refusal:
        ghg.compute(tmp_path / "a.csv")
    (problem,) = refusal.value.problems
    assert problem.column == "amount" and problem.value in (amount, "inf")
    assert problem.message in ("not a number", "must be finite")


def test_a_parquet_file_with_text_that_is_no_utf8_is_refused(tmp_path: Path):
    # pandas read it, then failed at the first look at the cell (UnicodeDecodeError)
    data = bytearray(SEEDS[".parquet"])
    data[data.index(b"Phong")] = 0xFF
    (tmp_path / "a.parquet").write_bytes(bytes(data))
    with pytest.raises(GHGInventoryError, match=r"a\.parquet"):
        read_activities(tmp_path / "a.parquet")
