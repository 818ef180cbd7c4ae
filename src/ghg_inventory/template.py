"""The facility report template: an Excel workbook a facility fills in, and its reader.

``write_template(path, lang="vi")`` writes a facility sheet (name, tax code, address,
commune, sector, managing ministry, legal representative, reporting years), one sheet per
plan area (energy, transport, construction, agriculture, waste, forestry) with the activity
columns of DESIGN.md and the parameters of the methods of that area, drop-down lists of the
categories, activities and units the library knows, and an instructions sheet. Vietnamese by
default, English on request; the column keys (row 2 of every sector sheet) are the stable
English keys whatever the language, so a workbook filled in either language reads the same.

``read_template(path)`` gives the activity table; :func:`ghg_inventory.read_activities` (and so
``compute``) recognises a template workbook by its facility sheet and calls it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ActivityValidationError, GHGInventoryError, Problem

#: The marker cell of a template workbook (facility sheet, A1).
MARKER = "ghg-inventory facility report"
FACILITY_SHEET = {"vi": "Cơ sở", "en": "Facility"}
INSTRUCTIONS_SHEET = {"vi": "Hướng dẫn", "en": "Instructions"}
LISTS_SHEET = "lists"
AREAS = ("energy", "transport", "construction", "agriculture", "waste", "forestry")
AREA_SHEET = {
    "vi": {"energy": "Năng lượng", "transport": "Giao thông vận tải",
           "construction": "Xây dựng - công nghiệp", "agriculture": "Nông nghiệp",
           "waste": "Chất thải", "forestry": "Lâm nghiệp"},
    "en": {"energy": "Energy", "transport": "Transport", "construction": "Construction-industry",
           "agriculture": "Agriculture", "waste": "Waste", "forestry": "Forestry"},
}
#: Facility fields: key, Vietnamese label, English label.
FACILITY_FIELDS = (
    ("facility_id", "Mã cơ sở", "Facility code"),
    ("facility_name", "Tên cơ sở", "Facility name"),
    ("tax_code", "Mã số thuế", "Tax code"),
    ("address", "Địa chỉ", "Address"),
    ("commune", "Xã/phường", "Commune/ward"),
    ("sector", "Lĩnh vực hoạt động", "Sector"),
    ("ministry", "Bộ quản lý lĩnh vực", "Managing ministry"),
    ("legal_representative", "Người đại diện theo pháp luật", "Legal representative"),
    ("year_from", "Năm đầu kỳ báo cáo", "First reporting year"),
    ("year_to", "Năm cuối kỳ báo cáo", "Last reporting year"),
)
BASE_COLUMNS = (
    ("year", "Năm", "Year"),
    ("category", "Mã nguồn phát thải (IPCC)", "IPCC category"),
    ("activity", "Hoạt động / nhiên liệu", "Activity / fuel"),
    ("amount", "Lượng", "Amount"),
    ("unit", "Đơn vị", "Unit"),
    ("source_type", "Loại nguồn (off_road: máy móc di động)", "Source type (off_road)"),
)
UNITS = ("t", "kg", "L", "m3", "1000 m3", "TJ", "GJ", "MWh", "kWh", "ha", "head", "person")
INSTRUCTIONS = {
    "vi": [
        "Biểu mẫu báo cáo kiểm kê khí nhà kính cấp cơ sở (ghg-inventory).",
        "1. Điền thông tin cơ sở ở trang 'Cơ sở' (cột B).",
        "2. Mỗi trang lĩnh vực: một dòng cho mỗi hoạt động, năm và nhiên liệu/nguồn; dòng 2 là "
        "khóa cột, không sửa. Chọn mã nguồn, hoạt động và đơn vị trong danh sách.",
        "3. Các cột tham số (sau cột 'Loại nguồn') chỉ điền khi áp dụng (ví dụ: công nghệ xe, "
        "hệ thống quản lý phân, chế độ nước ruộng lúa); để trống nếu không áp dụng.",
        "4. Không xóa, không đổi tên các trang. Số thập phân dùng dấu phẩy hoặc dấu chấm như "
        "Excel của bạn.",
        "5. Kiểm tra: ghg-inventory compute TỆP.xlsx --out ketqua.xlsx (lỗi được liệt kê theo "
        "trang, dòng, cột).",
    ],
    "en": [
        "Facility greenhouse-gas inventory report (ghg-inventory).",
        "1. Fill in the facility information on the 'Facility' sheet (column B).",
        "2. On each sector sheet, one row per activity, year and fuel/source; row 2 holds the "
        "column keys, do not change it. Pick category, activity and unit from the lists.",
        "3. Parameter columns (after 'Source type') only where they apply (vehicle technology, "
        "manure system, rice water regime ...); leave them empty otherwise.",
        "4. Do not delete or rename sheets.",
        "5. Check it: ghg-inventory compute FILE.xlsx --out result.xlsx (problems are listed by "
        "sheet, row and column).",
    ],
}


def _area_layout() -> dict[str, dict[str, list[str]]]:
    """Per plan area: its categories, the activities and the parameters of its methods."""
    from . import engine  # noqa: F401 - registers every method
    from .categories import category_table
    from .factors import FactorDB
    from .methods import REGISTRY

    cats = category_table()
    db = FactorDB.default()
    layout: dict[str, dict[str, list[str]]] = {}
    for area in AREAS:
        codes = sorted(cats.loc[cats["plan_area"] == area].index.astype(str))
        activities: set[str] = set()
        parameters: list[str] = []
        served: set[str] = set()
        for method in REGISTRY.values():
            mine = {c for c in codes if any(c == m or c.startswith(m + ".")
                                            for m in method.categories)}
            if not mine:
                continue
            served |= mine
            activities |= set(method.activities(db))
            parameters += [p for p in method.parameters if p not in parameters]
        # only the codes a method computes: a parent code such as '1.A' is no source
        layout[area] = {"categories": sorted(served), "activities": sorted(activities),
                        "parameters": parameters}
    return layout


def write_template(path: str | Path, *, lang: str = "vi") -> Path:
    """Write the facility report workbook.

    Parameters
    ----------
    path : str or Path
        ``.xlsx`` file to write.
    lang : {"vi", "en"}
        Language of the sheet names, labels and instructions.

    Returns
    -------
    Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in ("vi", "en"):
        raise GHGInventoryError(f"unknown language {lang!r}; use 'vi' or 'en'")
    path = Path(path)
    index = 1 if lang == "vi" else 2
    layout = _area_layout()
    book = Workbook()
    facility = book.active
    facility.title = FACILITY_SHEET[lang]
    facility["A1"] = MARKER
    facility["A1"].font = Font(italic=True, color="888888")
    for row, field in enumerate(FACILITY_FIELDS, start=2):
        facility.cell(row=row, column=1, value=field[index]).font = Font(bold=True)
        facility.cell(row=row, column=3, value=field[0]).font = Font(color="888888")
    facility.column_dimensions["A"].width = 34
    facility.column_dimensions["B"].width = 48
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    column = 1
    bold = Font(bold=True)
    key_fill = PatternFill("solid", fgColor="EEEEEE")

    def add_list(name: str, values: list[str]) -> str:
        nonlocal column
        letter = lists.cell(row=1, column=column).column_letter
        lists.cell(row=1, column=column, value=name)
        for r, value in enumerate(values, start=2):
            lists.cell(row=r, column=column, value=value)
        ref = f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(len(values), 1) + 1}"
        book.defined_names[name] = DefinedName(name, attr_text=ref)
        column += 1
        return name

    units = add_list("units", list(UNITS))
    for area in AREAS:
        sheet = book.create_sheet(AREA_SHEET[lang][area])
        spec = layout[area]
        cat_list = add_list(f"categories_{area}", spec["categories"])
        act_list = add_list(f"activities_{area}", spec["activities"])
        columns = [(c[0], c[index]) for c in BASE_COLUMNS] + [
            (p, p) for p in spec["parameters"] if p not in {c[0] for c in BASE_COLUMNS}]
        for j, (key, label) in enumerate(columns, start=1):
            sheet.cell(row=1, column=j, value=label).font = bold
            cell = sheet.cell(row=2, column=j, value=key)
            cell.fill = key_fill
            sheet.column_dimensions[cell.column_letter].width = max(12, len(label) + 2)
        sheet.freeze_panes = "A3"
        for key, name in (("category", cat_list), ("activity", act_list), ("unit", units)):
            j = [c[0] for c in columns].index(key) + 1
            letter = sheet.cell(row=1, column=j).column_letter
            check = DataValidation(type="list", formula1=f"={name}", allow_blank=True)
            check.add(f"{letter}3:{letter}2000")
            sheet.add_data_validation(check)
    notes = book.create_sheet(INSTRUCTIONS_SHEET[lang], 0)
    for r, line in enumerate(INSTRUCTIONS[lang], start=1):
        notes.cell(row=r, column=1, value=line)
    notes.column_dimensions["A"].width = 120
    book.save(path)
    return path


def is_template(path: str | Path) -> bool:
    """Whether an ``.xlsx`` file is a facility report workbook of this module."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        for name in FACILITY_SHEET.values():
            if name in book.sheetnames and book[name]["A1"].value == MARKER:
                return True
        return False
    finally:
        book.close()


def read_facility(path: str | Path) -> dict[str, str]:
    """The facility sheet of a report workbook as ``{key: value}`` (empty cells left out)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = next(book[n] for n in FACILITY_SHEET.values() if n in book.sheetnames)
        out = {}
        for row in sheet.iter_rows(min_row=2, max_col=3, values_only=True):
            value, key = row[1], row[2]
            if key and value not in (None, ""):
                out[str(key)] = str(value).strip()
        return out
    finally:
        book.close()


def read_template(path: str | Path) -> pd.DataFrame:
    """The activity rows of a filled report workbook, with the facility's columns.

    Every row keeps where it came from: ``source_file`` is ``<file> [<sheet>]`` and
    ``source_row`` the Excel row number, so problems name the sheet, row and column.
    """
    from pandas.api.types import union_categoricals

    from .activity import FILE_COL, ROW_COL, _mark

    path = Path(path)
    facility = read_facility(path)
    problems = [Problem(f"{path.name} [{FACILITY_SHEET['vi']}/{FACILITY_SHEET['en']}]", None,
                        key, "", "required in the facility sheet")
                for key in ("facility_id", "facility_name", "commune") if key not in facility]
    if problems:
        raise ActivityValidationError(problems)
    frames = []
    sheets = pd.read_excel(path, sheet_name=None, header=1, dtype=str)
    names = {name: area for lang in AREA_SHEET for area, name in AREA_SHEET[lang].items()}
    for name, frame in sheets.items():
        if name not in names:
            continue
        frame.columns = [str(c).strip() for c in frame.columns]
        keep = frame.notna().any(axis=1).to_numpy()  # rows left empty are no records
        rows = np.arange(3, 3 + len(frame))[keep]
        frame = frame[keep].reset_index(drop=True)
        if frame.empty:
            continue
        frame = frame.dropna(axis=1, how="all")
        for key in ("facility_id", "facility_name", "commune"):
            frame[key] = facility[key]
        _mark(frame, f"{path.name} [{name}]", rows)
        frames.append(frame)
    if not frames:
        raise ActivityValidationError([Problem(path.name, None, "amount", "",
                                               "the workbook has no activity rows")])
    files = union_categoricals([f[FILE_COL] for f in frames])
    table = pd.concat(frames, ignore_index=True)
    table[FILE_COL] = files
    table[ROW_COL] = table[ROW_COL].astype(np.int32)
    return table
