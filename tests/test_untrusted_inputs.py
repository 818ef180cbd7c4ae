"""Files from outside the office (issue 22, items 4 and 6): workbooks above the size limits
are refused before they are parsed; CSV files not saved as UTF-8, or separated by ``;`` or
tabs, are read correctly or refused with a message a person can act on."""

from __future__ import annotations

import time
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

import ghg_inventory as ghg
from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.province.tables import read_table
from ghg_inventory.province.template import read_template
from ghg_inventory.readers import EncodingNote, ReadLimits, read_activities

HEADER = "facility_id,year,category,activity,amount,unit,commune"

# Lai Châu's names, as a facility writes them (NFC, as UTF-8 files hold Vietnamese)
NAMES_VI = ["Mường Tè", "Phong Thổ", "Sìn Hồ", "Tân Uyên", "Nậm Nhùn", "Tam Đường",
            "Phường Đoàn Kết", "Xã Bình Lư"]
# names that Windows-1252 can hold (its accented vowels are Vietnamese letters too)
NAMES_1252 = ["Tân Uyên", "Bình Hòa", "Than Uyên", "Phúc Khoa", "Nà Tăm".replace("ă", "a")]

#: Windows-1258's tone marks (grave, acute, tilde, hook above, dot below): Windows writes
#: them as combining characters after the letter, which keeps its circumflex/breve/horn.
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as Windows saves it in Windows-1258 (the codec alone cannot encode composed
    letters such as 'ờ': Windows writes 'ơ' then a combining grave)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
        out.append((base + "".join(p for p in parts if p in TONES)).encode("cp1258"))
    return b"".join(out)


def rows_text(names: list[str], sep: str = ",", decimal: str = ".") -> str:
    lines = [HEADER.replace(",", sep)]
    for i, name in enumerate(names):
        amount = f"{i + 1}{decimal}5"
        lines.append(sep.join([f"F{i}", "2023", "1.A.2", "natural_gas", amount, "t", name]))
    return "\n".join(lines) + "\n"


# --- item 4: workbooks from outside -------------------------------------------------------

def test_openpyxl_parses_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def _workbook(path: Path, cells: dict[str, object]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    for column, name in enumerate(HEADER.split(","), start=1):
        sheet.cell(row=1, column=column, value=name)
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def test_a_cell_at_the_last_excel_row_is_refused_quickly(tmp_path: Path):
    path = _workbook(tmp_path / "far.xlsx", {"A2": "F1", "B2": 2023, "C2": "1.A.2",
                                             "D2": "natural_gas", "E2": 10, "F2": "t",
                                             "A1048576": "x"})
    start = time.perf_counter()
    with pytest.raises(GHGInventoryError) as info:
        read_activities(path)
    assert time.perf_counter() - start < 5  # [s]; a full read took over 200 s
    message = str(info.value)
    assert "far.xlsx" in message and "1,048,576" in message and "max_rows" in message
    assert "GHG_READ_LIMITS" in message


def test_ten_thousand_columns_in_a_workbook_are_refused(tmp_path: Path):
    path = _workbook(tmp_path / "wide.xlsx", {"NTP2": 1})  # column 10,000
    with pytest.raises(GHGInventoryError, match=r"wide\.xlsx.*10,000.*max_columns"):
        read_activities(path)


def test_cells_without_references_are_counted(tmp_path: Path):
    # a sheet whose cells leave out r="..." (allowed): 1,500 cells in one row
    cells = "".join("<c t=\"inlineStr\"><is><t>x</t></is></c>" for _ in range(1500))
    path = _zip_workbook(tmp_path / "noref.xlsx", f"<row>{cells}</row>".encode())
    with pytest.raises(GHGInventoryError, match=r"1,500.*max_columns"):
        read_activities(path)
    # the same cells over many rows are narrow: counted row by row, not refused for width
    narrow = "".join(f"<row>{cells[:200]}</row>" for _ in range(1500))
    read_ok = _zip_workbook(tmp_path / "narrow.xlsx", narrow.encode())
    with pytest.raises(GHGInventoryError) as info:
        read_activities(read_ok)
    assert "max_columns" not in str(info.value)


def _zip_workbook(path: Path, sheet_data: bytes, *, filler: int = 0) -> Path:
    """A minimal workbook written by hand: one sheet holding ``sheet_data`` (and
    ``filler`` bytes of spaces, which deflate to almost nothing)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/><Override PartName='
            b'"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
            b'.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml"'
            b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            b'worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="activities" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>').encode(),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>'
                        "<sheetData>".encode() + sheet_data)
            block = b" " * (1 << 20)
            for _ in range(filler // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path):
    # 600 MiB of spaces deflate to about 0.6 MiB: above the 512 MiB unzipped default
    path = _zip_workbook(tmp_path / "bomb.xlsx", b"", filler=600 << 20)
    assert path.stat().st_size < 5 << 20
    start = time.perf_counter()
    with pytest.raises(GHGInventoryError) as info:
        read_activities(path)
    assert time.perf_counter() - start < 5  # [s]
    assert "bomb.xlsx" in str(info.value) and "max_unzipped_mib" in str(info.value)


def test_limits_are_settable_per_call_and_by_environment(tmp_path: Path, monkeypatch):
    path = _workbook(tmp_path / "small.xlsx", {"A2": "F1", "B2": 2023, "C2": "1.A.2",
                                               "D2": "natural_gas", "E2": 10, "F2": "t",
                                               "G2": "Xã Bình Lư"})
    assert len(read_activities(path)) == 1
    with pytest.raises(GHGInventoryError, match=r"reaches row 2 .*max_rows"):
        read_activities(path, limits=ReadLimits(max_rows=1))
    with pytest.raises(GHGInventoryError, match="max_file_mib"):
        read_activities(path, limits=ReadLimits(max_file_mib=0.001))
    monkeypatch.setenv("GHG_READ_LIMITS", "max_columns=3")
    with pytest.raises(GHGInventoryError, match=r"reaches column 7 .*max_columns"):
        read_activities(path)
    csv = tmp_path / "a.csv"
    csv.write_text(rows_text(["Xã Bình Lư"]), encoding="utf-8")
    with pytest.raises(GHGInventoryError, match=r"a\.csv.*7 columns.*max_columns"):
        read_activities(csv)
    monkeypatch.setenv("GHG_READ_LIMITS", "max_rowz=3")
    with pytest.raises(GHGInventoryError, match="unknown limit 'max_rowz'"):
        read_activities(path)


def test_too_many_sheets_are_refused(tmp_path: Path):
    book = Workbook()
    for i in range(4):
        book.create_sheet(f"s{i}")
    book.save(tmp_path / "sheets.xlsx")
    with pytest.raises(GHGInventoryError, match=r"5 sheets.*max_sheets"):
        read_activities(tmp_path / "sheets.xlsx", limits=ReadLimits(max_sheets=3))


def test_a_template_workbook_is_checked_too(tmp_path: Path):
    from ghg_inventory.province.template import write_template

    path = write_template(tmp_path / "report.xlsx")
    with pytest.raises(GHGInventoryError, match="max_sheets"):
        read_template(path, limits=ReadLimits(max_sheets=1))


def test_ten_thousand_csv_columns_are_refused_from_the_header(tmp_path: Path):
    path = tmp_path / "wide.csv"
    extra = ",".join(f"x{i}" for i in range(10_000 - 7))
    path.write_text(f"{HEADER},{extra}\n" + "F1,2023,1.A.2,natural_gas,1,t,c" + ","
                    * (10_000 - 7) + "\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(GHGInventoryError, match=r"wide\.csv.*10,000 columns.*max_columns"):
        read_activities(path)
    assert time.perf_counter() - start < 5  # [s]; 278 s before


def test_a_parquet_file_with_thousands_of_columns_is_refused(tmp_path: Path):
    frame = pd.DataFrame({f"c{i}": [1] for i in range(1_200)})
    frame.to_parquet(tmp_path / "wide.parquet")
    with pytest.raises(GHGInventoryError, match=r"1,200 columns.*max_columns"):
        read_activities(tmp_path / "wide.parquet")


def test_a_province_table_workbook_is_checked(tmp_path: Path):
    path = _zip_workbook(tmp_path / "table.xlsx", b"", filler=20 << 20)
    with pytest.raises(GHGInventoryError, match=r"table\.xlsx.*max_unzipped_mib"):
        read_table(path, "crosswalk", limits=ReadLimits(max_unzipped_mib=10))
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(GHGInventoryError, match=r"old\.xls.*save it as \.xlsx"):
        read_table(tmp_path / "old.xls", "crosswalk")


def test_a_record_with_more_cells_than_the_header_is_refused(tmp_path: Path):
    # every record one cell too many: pandas took the first cell as the index and moved
    # every cell one column left: 'amount' then held the unit's neighbour
    path = tmp_path / "shifted.csv"
    path.write_text("facility_id,year,category,activity,amount,unit\n"
                    "F1,2023,1.A.2,natural_gas,1000,t,extra\n", encoding="utf-8")
    with pytest.raises(GHGInventoryError, match=r"shifted\.csv.*more cells than the header"):
        read_activities(path)


# --- item 6: encodings and separators -----------------------------------------------------

def _read_commune(path: Path) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = read_activities(path)
    notes = [str(w.message) for w in caught if issubclass(w.category, EncodingNote)]
    return list(table["commune"]), notes


def test_a_windows_1258_csv_is_read_as_written(tmp_path: Path):
    path = tmp_path / "vn.csv"
    path.write_bytes(cp1258(rows_text(NAMES_VI)))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # what failed before
    communes, notes = _read_commune(path)
    assert communes == NAMES_VI
    assert len(notes) == 1 and "vn.csv" in notes[0] and "Windows-1258" in notes[0]


def test_a_windows_1252_csv_is_read_as_written(tmp_path: Path):
    path = tmp_path / "w.csv"
    path.write_bytes(rows_text(NAMES_1252).encode("cp1252"))
    communes, notes = _read_commune(path)
    assert communes == NAMES_1252
    assert len(notes) == 1 and "w.csv" in notes[0] and "Windows-1252" in notes[0]


def test_an_encoding_that_cannot_be_told_is_refused(tmp_path: Path):
    # 'Mã' (Windows-1252: a with tilde) is 'Mă' in Windows-1258 (a with breve): no tone
    # byte says which; a guess would change the name in silence
    path = tmp_path / "amb.csv"
    path.write_bytes(rows_text(["Mã"]).encode("cp1252"))
    with pytest.raises(GHGInventoryError, match=r"amb\.csv.*save the file as UTF-8"):
        read_activities(path)


def test_bytes_that_are_no_text_are_refused(tmp_path: Path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\x00\x81\x8d\x8f\x90\x9d" * 50)
    with pytest.raises(GHGInventoryError, match=r"bin\.csv.*save the file as UTF-8"):
        read_activities(path)


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_csv_with_decimal_commas(tmp_path: Path, sep: str):
    path = tmp_path / "excel.csv"
    path.write_text(rows_text(NAMES_VI[:3], sep=sep, decimal=","), encoding="utf-8")
    table = read_activities(path)
    assert list(table["commune"]) == NAMES_VI[:3]
    # '1,5' settles the decimal comma for its column: 1.5, 2.5, 3.5 t
    assert list(table["amount"]) == [1.5, 2.5, 3.5]
    # 1.5 t natural gas x NCV 48.0 TJ/Gg (Vol 2 Table 1.2) = 0.072 TJ;
    # x 56,100 kg CO2/TJ (Vol 2 Table 2.3) = 4,039.2 kg CO2
    inventory = ghg.compute(table)
    co2 = inventory.emissions.query("gas == 'CO2'")["emissions_kg"].iloc[0]
    assert co2 == pytest.approx(1.5 * 48.0 * 56_100 / 1000)


def test_a_semicolon_windows_1258_province_table(tmp_path: Path):
    path = tmp_path / "crosswalk.csv"
    path.write_bytes(cp1258("commune;area_ha\nMường Tè;1.234,5\nPhong Thổ;12,5\n"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = read_table(path, "crosswalk", numbers=["area_ha"])
    assert list(table["commune"]) == ["Mường Tè", "Phong Thổ"]
    assert list(table["area_ha"]) == [1234.5, 12.5]
    assert list(table["_row"]) == [2, 3]
    assert any(issubclass(w.category, EncodingNote) for w in caught)
