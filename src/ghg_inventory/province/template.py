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

A template records the number format of its text cells (decimal comma and thousands point in
Vietnamese, the reverse in English; cells Excel stores as numbers are numbers whatever the
format): ``write_template`` writes it on the hidden ``lists`` sheet, ``read_template`` reads
the workbook's text cells with it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ghg_inventory.errors import ActivityValidationError, GHGInventoryError, Problem
from ghg_inventory.i18n.messages import msg, reason
from ghg_inventory.numbers import NUMBER_FORMATS, NumberFormat, NumberFormatSpec, as_number_format
from ghg_inventory.readers import (
    ReadLimits,
    check_workbook,
    formula_problems,
    read_excel_cells,
    read_numbers,
)
from ghg_inventory.writers import save_workbook

#: The marker cell of a template workbook (facility sheet, A1).
MARKER = "ghg-inventory facility report"
FACILITY_SHEET = {"vi": "Cơ sở", "en": "Facility"}
INSTRUCTIONS_SHEET = {"vi": "Hướng dẫn", "en": "Instructions"}
LISTS_SHEET = "lists"
#: Header cells (row 1 of the lists sheet) above the recorded number format (row 2).
DECIMAL_KEY, THOUSANDS_KEY = "number_format_decimal", "number_format_thousands"
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
        "4. Không xóa, không đổi tên các trang. Ô Excel lưu dạng số được đọc đúng giá trị đó; "
        "số ghi dạng văn bản được đọc theo định dạng ghi trong biểu mẫu này: {format_vi}.",
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
        "4. Do not delete or rename sheets. Cells Excel stores as numbers are read as they "
        "are; numbers written as text are read in the format this workbook records: "
        "{format_en}.",
        "5. Check it: ghg-inventory compute FILE.xlsx --out result.xlsx (problems are listed by "
        "sheet, row and column).",
    ],
}


def _area_layout() -> dict[str, dict[str, list[str]]]:
    """Per plan area: its categories, the activities and the parameters of its methods."""
    from ghg_inventory.categories import category_table
    from ghg_inventory.factors import FactorDB
    from ghg_inventory.sectors import METHODS

    cats = category_table()
    db = FactorDB.default()
    layout: dict[str, dict[str, list[str]]] = {}
    for area in AREAS:
        codes = sorted(cats.loc[cats["plan_area"] == area].index.astype(str))
        activities: set[str] = set()
        parameters: list[str] = []
        served: set[str] = set()
        for method in METHODS:
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


def write_template(path: str | Path, *, lang: str = "vi",
                   number_format: NumberFormatSpec = None) -> Path:
    """Write the facility report workbook.

    Parameters
    ----------
    path : str or Path
        ``.xlsx`` file to write.
    lang : {"vi", "en"}
        Language of the sheet names, labels and instructions.
    number_format : NumberFormat, {"vi", "en"}, mapping, optional
        How numbers written as text in the workbook are to be read, recorded in it (and
        stated in its instructions). By default that of ``lang``: ``vi`` decimal comma and
        thousands point (``1.234,5``), ``en`` the reverse (``1,234.5``).

    Returns
    -------
    Path
        The file written (under a temporary name first, renamed when complete), its text
        cells string cells, never formulas (see :mod:`ghg_inventory.writers`).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in ("vi", "en"):
        raise GHGInventoryError(msg("province.template.unknown_lang", lang=lang))
    fmt = as_number_format(number_format) or NUMBER_FORMATS[lang]
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
    # the number format of the text cells, where read_template finds it (a hidden sheet's
    # cells survive any spreadsheet program's saving)
    for key, value in ((DECIMAL_KEY, fmt.decimal), (THOUSANDS_KEY, fmt.thousands)):
        lists.cell(row=1, column=column, value=key)
        lists.cell(row=2, column=column, value=value)
        column += 1
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
        notes.cell(row=r, column=1, value=line.format(format_vi=_in_words(fmt, "vi"),
                                                      format_en=_in_words(fmt, "en")))
    notes.column_dimensions["A"].width = 120
    # published whole, its texts as text (the drop-down lists are validations, not cells)
    return save_workbook(book, path)


def _in_words(fmt: NumberFormat, lang: str) -> str:
    """The format in the instructions' language, with an example."""
    example = "1" + (fmt.thousands or "") + "234" + fmt.decimal + "5"
    if lang == "vi":
        grouping = ("không có dấu phân cách hàng nghìn" if fmt.thousands is None
                    else f"dấu phân cách hàng nghìn '{fmt.thousands}'")
        return f"dấu thập phân '{fmt.decimal}', {grouping} (ví dụ {example})"
    return f"{fmt.describe()} (e.g. {example})"


def read_number_format(path: str | Path) -> NumberFormat | None:
    """The number format a template workbook records for its text cells (None: none
    recorded, a workbook written before formats were recorded)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        if LISTS_SHEET not in book.sheetnames:
            return None
        head = list(book[LISTS_SHEET].iter_rows(min_row=1, max_row=2, values_only=True))
    finally:
        book.close()
    if len(head) < 2:
        return None
    recorded = dict(zip(head[0], head[1], strict=False))
    if DECIMAL_KEY not in recorded:
        return None
    try:
        return NumberFormat(decimal=str(recorded[DECIMAL_KEY]),
                            thousands=(None if recorded.get(THOUSANDS_KEY) is None
                                       else str(recorded[THOUSANDS_KEY])))
    except GHGInventoryError as exc:
        raise GHGInventoryError(msg("province.template.broken_format", file=Path(path).name,
                                    sheet=LISTS_SHEET, detail=reason(exc))) from None


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


def read_template(path: str | Path, *, number_format: NumberFormatSpec = None,
                  limits: ReadLimits | None = None) -> pd.DataFrame:
    """The activity rows of a filled report workbook, with the facility's columns.

    Every row keeps where it came from: ``source_file`` is ``<file> [<sheet>]`` and
    ``source_row`` the Excel row number, so problems name the sheet, row and column.

    Parameters
    ----------
    path : str or Path
        The workbook.
    number_format : NumberFormat, {"vi", "en"}, mapping, optional
        How its text cells are read. By default the format the workbook records (see
        :func:`write_template`); a declared format that differs from the recorded one is
        refused. Cells Excel stores as numbers are numbers, never re-read.
    limits : ReadLimits, optional
        How big the workbook may be (:func:`ghg_inventory.readers.check_workbook`); by
        default as the environment variable ``GHG_READ_LIMITS`` sets them.

    Raises
    ------
    ActivityValidationError
        Missing facility fields, formulas without a calculated value, numbers that are
        ambiguous or do not fit the format, or no activity rows.
    GHGInventoryError
        A workbook above the limits, or not readable.
    """
    from pandas.api.types import union_categoricals

    from ghg_inventory.readers import FILE_COL, ROW_COL, _mark

    path = Path(path)
    check_workbook(path, limits)  # before openpyxl parses any of it
    declared = as_number_format(number_format)
    recorded = read_number_format(path)
    if declared is not None and recorded is not None and declared != recorded:
        raise ActivityValidationError([Problem(
            path.name, None, "", "",
            msg("province.template.format_conflict", recorded=recorded.describe(),
                declared=declared.describe()))])
    fmt = declared or recorded
    _check_formulas(path)
    facility = read_facility(path)
    problems = [Problem(f"{path.name} [{FACILITY_SHEET['vi']}/{FACILITY_SHEET['en']}]", None,
                        key, "", msg("province.template.facility_field"))
                for key in ("facility_id", "facility_name", "commune") if key not in facility]
    if problems:
        raise ActivityValidationError(problems)
    frames = []
    sheets: dict[str, pd.DataFrame] = read_excel_cells(  # type: ignore[assignment]
        path, None, header=1, limits=limits)
    names = _area_names()
    for name, frame in sheets.items():
        if name not in names:
            continue
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
                                               msg("province.template.no_rows"))])
    files = union_categoricals([f[FILE_COL] for f in frames])
    table = pd.concat(frames, ignore_index=True)
    table[FILE_COL] = files
    table[ROW_COL] = table[ROW_COL].astype(np.int32)
    return read_numbers(table, fmt)


def _area_names() -> dict[str, str]:
    """Sheet name (either language) -> plan area."""
    return {name: area for lang in AREA_SHEET for area, name in AREA_SHEET[lang].items()}


def _check_formulas(path: Path) -> None:
    """Refuse formulas without a calculated value on the facility and the area sheets."""
    from dataclasses import replace

    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        present = book.sheetnames
        areas = [n for n in present if n in _area_names()]
        facility = next((n for n in FACILITY_SHEET.values() if n in present), None)
        # the column keys of the area sheets (row 2) and the facility fields' keys (col C)
        keys = {n: [str(v) for v in next(book[n].iter_rows(min_row=2, max_row=2,
                                                          values_only=True), ())]
                for n in areas}
        fields = ({} if facility is None else
                  {r: row[2] for r, row in enumerate(book[facility].iter_rows(
                      min_row=1, max_col=3, values_only=True), start=1) if len(row) > 2})
    finally:
        book.close()
    headers = {n: 2 for n in areas}
    files = {n: f"{path.name} [{n}]" for n in areas}
    if facility is not None:
        headers[facility], files[facility] = 1, f"{path.name} [{facility}]"
    problems = formula_problems(path, headers, keys, files)
    problems = [replace(p, column=str(fields.get(p.row or 0) or p.column))
                if facility is not None and p.file == files[facility] else p
                for p in problems]
    if problems:
        raise ActivityValidationError(problems)
