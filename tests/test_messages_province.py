"""The province application's messages in Vietnamese (issue 21, item 2): the store's
errors and its repair note, the problems of the province's tables (land-use change matrix,
REDD+ reference level, forest areas, scenarios) and Form 06's refusals, said with
``say(..., "vi")``, their English text as it was; and the command line with ``--lang vi``."""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from ghg_inventory.cli import app
from ghg_inventory.errors import (
    ActivityValidationError,
    GHGInventoryError,
    StoreError,
    StoreRepairedWarning,
    UnknownKeyError,
)
from ghg_inventory.i18n.messages import Message, say
from ghg_inventory.province import store as st
from ghg_inventory.province.form06.period import period_years
from ghg_inventory.province.indicators import renewable_share
from ghg_inventory.province.redd import (
    forest_area_change,
    land_use_change_activities,
    redd_results,
)

runner = CliRunner(env={"COLUMNS": "250", "LANG": "C.UTF-8", "LC_ALL": "",
                        "GHG_INVENTORY_LANG": ""})


def _problems(exc: pytest.ExceptionInfo[ActivityValidationError]
              ) -> list[tuple[str, str, str]]:
    """(column, English, Vietnamese) of each problem."""
    return [(p.column, str(p.message), say(p.message, "vi")) for p in exc.value.problems]


def gas_report(path: Path, facility: str) -> Path:
    pd.DataFrame({"facility_id": [facility], "year": [2023], "category": ["1.A.2"],
                  "activity": ["natural_gas"], "amount": [1.0], "unit": ["TJ"]}
                 ).to_csv(path, index=False)
    return path


# --- the store ----------------------------------------------------------------------


def test_no_such_store_in_vietnamese(tmp_path: Path):
    typo = tmp_path / "provnce.duckdb"
    with pytest.raises(StoreError) as exc:
        st.submissions(typo)
    assert str(exc.value) == f"{typo}: no such store"  # the English as it was
    assert isinstance(exc.value.args[0], Message)
    assert say(exc.value, "vi") == f"{typo}: không có kho báo cáo này"
    assert not typo.exists()


def test_a_file_that_is_no_store_in_vietnamese(tmp_path: Path):
    other = gas_report(tmp_path / "a.csv", "A")
    with pytest.raises(StoreError) as exc:
        st.current_emissions(other)
    assert str(exc.value).startswith(f"{other}: not a submissions store (")
    # DuckDB's own reason stays as DuckDB wrote it, inside the Vietnamese sentence
    assert say(exc.value, "vi").startswith(f"{other}: không phải kho báo cáo đã nộp (")


def test_a_report_of_two_facilities_in_vietnamese(tmp_path: Path):
    two = tmp_path / "two.csv"
    pd.concat([pd.read_csv(gas_report(tmp_path / f"{f}.csv", f)) for f in "AB"]).to_csv(
        two, index=False)
    with pytest.raises(GHGInventoryError) as exc:
        st.submit(two, tmp_path / "p.duckdb")
    assert str(exc.value) == "two.csv: a report is for one facility; found A, B"
    assert say(exc.value, "vi") == "two.csv: mỗi báo cáo chỉ dành cho một cơ sở; tìm thấy A, B"


def test_what_submit_did_in_vietnamese(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    first = st.submit(gas_report(tmp_path / "a.csv", "A"), store)
    again = st.submit(tmp_path / "a.csv", store)
    corrected = gas_report(tmp_path / "a2.csv", "A")
    pd.read_csv(corrected).assign(amount=2.0).to_csv(corrected, index=False)
    third = st.submit(corrected, store)
    assert [first.status, again.status, third.status] == ["stored", "unchanged",
                                                          "superseded 1"]
    assert [say(s.status, "vi") for s in (first, again, third)] == [
        "đã lưu", "không thay đổi", "thay thế lần nộp 1"]


def test_the_repair_note_lists_what_it_removed_in_vietnamese(tmp_path: Path):
    store = tmp_path / "p.duckdb"
    st.submit(gas_report(tmp_path / "a.csv", "A"), store)  # submission 1
    # what killed submits left: 1,200 emission rows of a submission 2, 3 activity rows of 5
    con = duckdb.connect(str(store))
    con.execute("INSERT INTO emissions (submission_id, facility_id, year, gas, emissions_kg, "
                "co2e_kg, scope, biogenic) SELECT 2, 'B', 2023, 'CO2', 1.0, 1.0, 'direct', "
                "false FROM range(1200)")
    con.execute("INSERT INTO activities (submission_id, row_number, record) "
                "SELECT 5, range, '{}' FROM range(3)")
    con.close()
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        st.submissions(store)
    [note] = [w.message for w in said if w.category is StoreRepairedWarning]
    assert str(note) == (
        f"{store}: repaired the remains of a submit that was killed while writing: removed "
        "1,200 emission and 0 activity row(s) of submission 2, which has no submission row; "
        "0 emission and 3 activity row(s) of submission 5, which has no submission row. "
        "Those reports were never stored; submit them again if they are missing.")
    # Vietnamese thousands point (1.200), each item of the list in Vietnamese
    assert say(note, "vi") == (
        f"{store}: đã sửa phần còn sót lại của một lần nộp bị dừng đột ngột khi đang ghi: "
        "đã xóa 1.200 dòng phát thải và 0 dòng số liệu hoạt động của lần nộp 2, lần nộp "
        "này không có dòng nào trong bảng submissions; 0 dòng phát thải và 3 dòng số liệu "
        "hoạt động của lần nộp 5, lần nộp này không có dòng nào trong bảng submissions. "
        "Các báo cáo "
        "đó chưa từng được lưu; hãy nộp lại nếu còn thiếu.")


# --- the province's tables ------------------------------------------------------------


def test_land_use_change_matrix_problems_in_vietnamese():
    matrix = pd.DataFrame({"commune": ["Tam Đường"] * 3, "year": [2023] * 3,
                           "from_class": ["cropland", "forest", "forest"],
                           "to_class": ["grassland", "forest", "cropland"],
                           "area_ha": [1.0, 2.0, -3.0]})
    with pytest.raises(ActivityValidationError) as exc:
        land_use_change_activities(matrix)
    assert _problems(exc) == [
        ("to_class", "conversions without forest on either side are not computed by this "
         "library yet",
         "thư viện này chưa tính các chuyển đổi mà cả hai phía đều không phải là rừng"),
        ("to_class", "forest remaining forest is not a conversion: use 3.B.1.a rows",
         "rừng giữ nguyên là rừng không phải là chuyển đổi: hãy dùng các dòng 3.B.1.a"),
        ("area_ha", "a non-negative area [ha]", "cần một diện tích không âm [ha]")]


def test_an_area_above_what_the_class_has_keeps_vietnamese_decimal_marks():
    # 12.5 ha of forest converted in a commune that had 10.25 ha of forest
    matrix = pd.DataFrame({"commune": ["Bình Lư"], "year": [2023], "from_class": ["forest"],
                           "to_class": ["cropland"], "area_ha": [12.5]})
    areas = pd.DataFrame({"commune": ["Bình Lư"], "year": [2023], "land_class": ["forest"],
                          "area_ha": [10.25]})
    with pytest.raises(ActivityValidationError) as exc:
        land_use_change_activities(matrix, areas)
    assert _problems(exc) == [(
        "area_ha", "12.5 ha leave forest in Bình Lư 2023, which has 10.25 ha",
        "12,5 ha chuyển khỏi forest tại Bình Lư năm 2023, trong khi chỉ có 10,25 ha")]


def test_redd_reference_level_problems_in_vietnamese():
    # the reference level is checked before the inventory is read
    reference = pd.DataFrame({"activity": ["deforestaton", "degradation"],
                              "reference_t_co2": [1000.0, 200.0]})
    with pytest.raises(ActivityValidationError) as exc:
        redd_results(None, reference)  # type: ignore[arg-type]
    assert _problems(exc) == [
        ("activity", "not a REDD+ activity; one of deforestation, degradation, enhancement, "
         "net_forest", "không phải hoạt động REDD+; dùng một trong deforestation, "
         "degradation, enhancement, net_forest")]
    with pytest.raises(ActivityValidationError) as exc:
        redd_results(None, reference.assign(activity="degradation",  # type: ignore[arg-type]
                                            reference_t_co2=["1000", "abc"]))
    assert _problems(exc) == [("reference_t_co2", "not a number", "không phải là số")]


def test_forest_areas_without_the_year_in_vietnamese():
    forest = pd.DataFrame({"year": [2020], "forest_type": ["natural"], "area_ha": [100.0]})
    with pytest.raises(ActivityValidationError) as exc:
        forest_area_change(forest, 2020, 2024)
    assert _problems(exc) == [("year", "no forest areas that year",
                               "không có diện tích rừng năm này")]


# --- indicators and Form 06 -------------------------------------------------------------


def test_unknown_energy_carriers_listed_in_vietnamese():
    balance = pd.DataFrame({"year": [2023, 2023], "carrier": ["thing", "stuff"],
                            "amount": [1.0, 2.0], "unit": ["TJ", "TJ"]})
    with pytest.raises(UnknownKeyError) as exc:
        renewable_share(balance)
    assert str(exc.value) == ("energy balance: carrier(s) not known as renewable or not "
                              "(row 0: 'thing', row 1: 'stuff'); add a 'renewable' column "
                              "(true/false)")
    assert say(exc.value, "vi") == (
        "cân bằng năng lượng: chưa biết dạng năng lượng có phải năng lượng tái tạo hay "
        "không (dòng 0: 'thing', dòng 1: 'stuff'); hãy thêm cột 'renewable' (true/false)")


def test_form06_missing_years_in_vietnamese():
    class _Inventory:  # the activities alone are read
        activities = pd.DataFrame({"year": [2021]})

    with pytest.raises(GHGInventoryError) as exc:
        period_years(_Inventory(), (2023, 2024), "F1")  # type: ignore[arg-type]
    assert str(exc.value) == ("facility F1: no activity data for 2023 and 2024 (years with "
                              "data: 2021); the report needs both years of the period "
                              "2023-2024")
    assert say(exc.value, "vi") == ("cơ sở F1: không có số liệu hoạt động năm 2023 và 2024 "
                                    "(các năm có số liệu: 2021); báo cáo cần đủ cả hai năm "
                                    "của kỳ 2023-2024")


# --- the command line -------------------------------------------------------------------


def test_cli_report_of_a_mistyped_store_says_it_in_vietnamese(tmp_path: Path):
    typo, out = tmp_path / "TYPO.duckdb", tmp_path / "r.html"
    vi = runner.invoke(app, ["report", "--store", str(typo), "--out", str(out),
                             "--lang", "vi"])
    assert vi.exit_code == 2, vi.output
    assert f"lỗi: {typo}: không có kho báo cáo này" in vi.output
    en = runner.invoke(app, ["report", "--store", str(typo), "--out", str(out),
                             "--lang", "en"])
    assert en.exit_code == 2 and f"error: {typo}: no such store" in en.output
    assert not typo.exists() and not out.exists()


def test_cli_submit_of_a_two_facility_report_says_it_in_vietnamese(tmp_path: Path):
    two = tmp_path / "two.csv"
    pd.concat([pd.read_csv(gas_report(tmp_path / f"{f}.csv", f)) for f in "AB"]).to_csv(
        two, index=False)
    store = tmp_path / "p.duckdb"
    vi = runner.invoke(app, ["submit", str(two), "--store", str(store), "--lang", "vi"])
    assert vi.exit_code == 2, vi.output
    assert "lỗi: two.csv: mỗi báo cáo chỉ dành cho một cơ sở; tìm thấy A, B" in vi.output
