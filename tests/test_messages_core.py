"""The library core's messages in Vietnamese (issue 21, item 2): number formats, units,
factor sets and factor tables, file limits and encodings, the engine's own checks, each
said with ``say(..., "vi")``, their English text unchanged; and through the command line
with ``--lang vi``."""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import ghg_inventory as ghg
from conftest import problem_column
from ghg_inventory import factor_sets as fs
from ghg_inventory.cli import app
from ghg_inventory.errors import (
    ActivityValidationError,
    FactorTableError,
    GHGInventoryError,
    UnknownKeyError,
)
from ghg_inventory.factor_sets import ProvisionalFactorsWarning
from ghg_inventory.i18n.messages import Message, msg, say
from ghg_inventory.numbers import NumberFormat
from ghg_inventory.readers import ReadLimits, read_activities
from ghg_inventory.textfiles import joined
from ghg_inventory.units import parse_unit

runner = CliRunner(env={"COLUMNS": "300", "LANG": "C.UTF-8", "LC_ALL": "",
                        "GHG_INVENTORY_LANG": ""})

HEADER = "facility_id,year,category,activity,amount,unit\n"


def _csv(tmp_path: Path, *rows: str, name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _problems(path: Path, **options: object) -> list[ghg.Problem]:
    with pytest.raises(ActivityValidationError) as caught:
        ghg.compute(path, **options)
    return caught.value.problems


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- numbers written as text ---------------------------------------------------------------

def test_an_ambiguous_number_is_refused_in_vietnamese_naming_both_readings(tmp_path: Path):
    [p] = _problems(_csv(tmp_path, "F1,2023,1.A.2,natural_gas,12.000,t"))
    assert p.message.startswith("'12.000' reads as 12 (decimal point) or 12000 (thousands "
                                "point); declare the number format")
    vi = say(p.message, "vi")
    assert vi.startswith("'12.000' có thể đọc là 12 (dấu chấm thập phân) hoặc 12000 (dấu chấm "
                         "hàng nghìn); hãy khai báo định dạng số (dòng lệnh: --decimal , "
                         "--thousands . cho 1.234,5")


def test_a_number_that_misfits_the_declared_format_is_said_with_both_formats(tmp_path: Path):
    [p] = _problems(_csv(tmp_path, "F1,2023,1.A.2,natural_gas,\"1.234,5\",t"),
                    number_format="en")
    assert p.message == ("does not fit the declared number format (decimal '.' and thousands "
                         "','); with decimal ',' and thousands '.' it would read 1234.5")
    assert say(p.message, "vi") == (
        "không khớp định dạng số đã khai báo (dấu thập phân '.' và dấu hàng nghìn ','); với "
        "dấu thập phân ',' và dấu hàng nghìn '.' thì sẽ đọc là 1234.5")


def test_a_column_mixing_conventions_names_both_rows_in_vietnamese(tmp_path: Path):
    problems = _problems(_csv(tmp_path, "F1,2023,1.A.2,natural_gas,12.5,t",
                              "F1,2023,1.A.2,natural_gas,\"12,5\",t"))
    vi = say(problems[0].message, "vi")
    assert vi.startswith("cột dùng lẫn hai quy ước: '12.5' (dòng 2) chỉ đọc được với dấu chấm "
                         "thập phân, '12,5' (dòng 3) chỉ đọc được với dấu phẩy thập phân")


def test_separators_that_cannot_be_are_refused_in_vietnamese():
    with pytest.raises(GHGInventoryError) as caught:
        NumberFormat(decimal=",", thousands=",")
    assert str(caught.value) == ("decimal and thousands separator are both ','; they must "
                                 "differ (Vietnamese: --decimal , --thousands .)")
    assert say(caught.value, "vi") == ("dấu thập phân và dấu hàng nghìn đều là ','; hai dấu "
                                       "phải khác nhau (kiểu Việt Nam: --decimal , --thousands .)")


# --- units ---------------------------------------------------------------------------------

def test_an_unknown_unit_gets_did_you_mean_in_vietnamese():
    error = parse_unit("tonnez").error
    assert error == "not a unit; did you mean 't'?"
    assert say(error, "vi") == "không phải là đơn vị; có phải ý bạn là 't'?"
    assert say(parse_unit("xyzzyq").error, "vi") == "không phải là đơn vị"


def test_mt_is_refused_as_ambiguous_in_vietnamese():
    error = parse_unit("MT").error
    assert error == "'MT' is ambiguous: metric tonne (trade documents) or megatonne; write 't' " \
                    "or 'Mt'"
    assert say(error, "vi") == ("'MT' có hai nghĩa: tấn (cách viết trên chứng từ thương mại) "
                                "hoặc megatấn (triệu tấn); hãy viết 't' hoặc 'Mt'")


# --- factor sets and factor tables ---------------------------------------------------------

def test_the_missing_factor_hint_reads_the_english_and_speaks_vietnamese():
    refusal = msg("core.common.where", where="elec.csv row 2",
                  message="no published grid_electricity emission factor for VN in 2024")
    hint = fs.missing_factor_hint(refusal)
    assert isinstance(hint, Message)
    assert hint == ("a shipped factor set holds a grid_electricity value for VN in 2024: choose "
                    "it explicitly with --factors provisional-grid (provisional, not the "
                    "ministry's publication)")
    assert say(hint, "vi") == (
        "một bộ hệ số kèm theo thư viện có giá trị grid_electricity cho VN năm 2024: hãy chọn "
        "rõ bộ đó bằng --factors provisional-grid (tạm thời, không phải số liệu do Bộ công bố)")


def test_the_provisional_grid_warning_is_said_in_vietnamese(tmp_path: Path):
    path = _csv(tmp_path, "F1,2024,indirect.electricity,grid_electricity,1000,MWh")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", ProvisionalFactorsWarning)
        ghg.compute(path, factors="provisional-grid")
    [warning] = [w.message for w in said if w.category is ProvisionalFactorsWarning]
    assert str(warning).startswith("factors from provisional set(s) provisional-grid")
    assert say(warning, "vi").startswith(
        "hệ số lấy từ bộ hệ số tạm thời provisional-grid (tạm thời, không phải số liệu do Bộ "
        "công bố): kết quả dùng các hệ số này là tạm thời; hãy tính lại khi giá trị chính "
        "thức được công bố")


def test_an_unknown_factor_set_is_refused_in_vietnamese(tmp_path: Path):
    with pytest.raises(FactorTableError) as caught:
        fs.resolve("provisonal-grid")
    assert str(caught.value).startswith("provisonal-grid: no such factor table file")
    assert say(caught.value, "vi").startswith(
        "provisonal-grid: không có tệp bảng hệ số nào như vậy, cũng không có bộ hệ số kèm theo "
        "nào mang tên này; các bộ hệ số kèm theo: provisional-grid")


def test_an_override_tables_lines_are_said_in_vietnamese(tmp_path: Path):
    table = tmp_path / "mine.csv"
    table.write_text(
        "factor_id,parameter,category,activity,gas,value,unit,tier,guidelines,source,"
        "reference\n"
        "my.ng.co2,ef,1.A.2,natural_gas,CO2,56.100,kg/TJ,2,2006,plant,lab report\n",
        encoding="utf-8")
    with pytest.raises(FactorTableError) as caught:
        ghg.FactorDB.default().with_overrides(table)
    english = str(caught.value)
    assert english.startswith(f"{table}: 1 problem(s)\n  line 2: value: '56.100' '56.100' "
                              "reads as 56.1 (decimal point)")
    vi = say(caught.value, "vi")
    assert vi.startswith(f"{table}: 1 lỗi\n  dòng 2: value: '56.100' '56.100' có thể đọc là "
                         "56.1 (dấu chấm thập phân) hoặc 56100 (dấu chấm hàng nghìn)")


def test_a_refusal_in_lines_keeps_its_parts_when_pickled():
    # a Dask worker's error travels pickled: each line is said in the language after
    lines = joined([msg("core.textfiles.too_many_cells", line=3, cells=4, columns=2),
                    msg("core.textfiles.too_many_cells", line=5, cells=5, columns=2)], "; ")
    back = pickle.loads(pickle.dumps(msg("core.common.where", where="t.csv", message=lines)))
    assert back == "t.csv: line 3: 4 cells for 2 columns; line 5: 5 cells for 2 columns"
    assert say(back, "vi") == "t.csv: dòng 3: 4 ô cho 2 cột; dòng 5: 5 ô cho 2 cột"


# --- files, keys, the engine ---------------------------------------------------------------

def test_a_file_above_a_limit_is_refused_with_vietnamese_number_marks(tmp_path: Path):
    path = _csv(tmp_path, "F1,2023,1.A.2,natural_gas,12,t")
    with pytest.raises(GHGInventoryError) as caught:
        read_activities(path, limits=ReadLimits(max_columns=3))
    assert str(caught.value).startswith("a.csv: the header line has 6 columns is above the "
                                        "limit of 3 (max_columns)")
    assert say(caught.value, "vi").startswith(
        "a.csv: dòng tiêu đề có 6 cột, vượt giới hạn 3 (max_columns); tệp chưa được đọc")
    m = msg("core.readers.file_size", mib=1234.56)
    assert (m, say(m, "vi")) == ("the file's size 1,234.6 MiB", "kích thước tệp 1.234,6 MiB")


def test_a_file_in_windows_1258_is_read_with_a_vietnamese_note(tmp_path: Path):
    path = tmp_path / "w.csv"
    # Windows-1258 writes the tone as a mark after the vowel: 'tâ' + acute + 'n' (tấn)
    path.write_bytes((HEADER + "F1,2023,1.A.2,natural_gas,12,t\u00e2\u0301n\n"
                      ).encode("cp1258"))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        read_activities(path)
    [note] = [w.message for w in said if type(w.message).__name__ == "EncodingNote"]
    assert str(note) == ("w.csv: not saved as UTF-8; read as Windows-1258 (Vietnamese). Check "
                         "its names, or save it as UTF-8")
    assert say(note, "vi").startswith("w.csv: không được lưu dưới dạng UTF-8; đã đọc theo "
                                      "bảng mã Windows-1258 (Vietnamese)")


def test_unknown_keys_are_refused_in_vietnamese():
    with pytest.raises(UnknownKeyError) as caught:
        ghg.compute(pd.DataFrame(), gwp="AR7")
    assert say(caught.value, "vi") == ("không rõ bộ GWP 'AR7'; các bộ hợp lệ: AR4, AR5, AR6 "
                                       "(100 năm)")


def test_the_engines_own_check_is_said_in_vietnamese():
    rows = joined([msg("core.engine.bad_row", file="herd.csv", row=3, gas="CH4",
                       value=float("nan"))])
    refusal = msg("core.engine.bad_emissions", method="enteric_fermentation", count=1,
                  allowed=msg("core.engine.never_negative"), rows=rows)
    assert refusal.endswith("Please report it with these rows:\n  herd.csv row 3: CH4 "
                            "emissions_kg = nan")
    vi = say(refusal, "vi")
    assert "không bao giờ âm" in vi and vi.endswith("\n  herd.csv dòng 3: CH4 emissions_kg = nan")


# --- the command line ----------------------------------------------------------------------

def test_cli_says_number_and_unit_problems_in_vietnamese(tmp_path: Path):
    # numbers are read (and refused) before the rows are validated: two files
    number = _csv(tmp_path, "F1,2023,1.A.2,natural_gas,12.000,t", name="number.csv")
    unit = _csv(tmp_path, "F1,2023,1.A.2,natural_gas,5,tonnez", name="unit.csv")
    out = tmp_path / "x.csv"
    said = {}
    for lang in ("vi", "en"):
        for bad in (number, unit):
            run = runner.invoke(app, ["compute", str(bad), "--out", str(out), "--lang", lang])
            assert run.exit_code == 2
            said[lang, bad.stem] = _one_line(problem_column(run.output))
    assert said["vi", "number"].startswith("'12.000' có thể đọc là 12 (dấu chấm thập phân) "
                                           "hoặc 12000 (dấu chấm hàng nghìn)")
    assert said["vi", "unit"] == "không phải là đơn vị; có phải ý bạn là 't'?"
    assert said["en", "number"].startswith("'12.000' reads as 12 (decimal point) or 12000 "
                                           "(thousands point)")
    assert said["en", "unit"] == "not a unit; did you mean 't'?"
    assert not out.exists()


def test_cli_says_the_provisional_set_and_an_unknown_set_in_vietnamese(tmp_path: Path):
    source = _csv(tmp_path, "F1,2024,indirect.electricity,grid_electricity,1000,MWh")
    out = tmp_path / "out.csv"
    done = runner.invoke(app, ["compute", str(source), "--out", str(out), "--factors",
                               "provisional-grid", "--lang", "vi"])
    assert done.exit_code == 0, done.output
    assert "cảnh báo: hệ số lấy từ bộ hệ số tạm thời provisional-grid" in _one_line(done.output)
    unknown = runner.invoke(app, ["compute", str(source), "--out", str(out), "--factors",
                                  "provisonal-grid", "--lang", "vi"])
    assert unknown.exit_code == 2
    assert ("lỗi: provisonal-grid: không có tệp bảng hệ số nào như vậy"
            in _one_line(unknown.output))
