"""Fill the facility report workbook (the Vietnamese template of
``ghg_inventory.province.template``) for a handful of the example's facilities, as those
facilities would send it to the province: ``workbooks/<facility_id>.xlsx``.

The facilities are of different kinds: a cement plant (clinker and coal), a tea factory (wood,
diesel, grid electricity), a hospital (LPG, diesel, chillers' refrigerant), a freight
transport company (road diesel and petrol) and a composting plant. Their rows are those of
``activities.csv`` (SYNTHETIC data), written into the sheet of their plan area; the facility
sheet gets the facility's name, commune and reporting years (tax code and address are
invented placeholders). Every workbook is read back and must give the rows it was filled
from: the script fails otherwise.

Run it after ``make_data.py`` (``run.py``, what ``make demo`` runs, submits these files).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

import ghg_inventory as ghg
from ghg_inventory.categories import category_table
from ghg_inventory.province.template import (
    AREA_SHEET,
    FACILITY_SHEET,
    read_template,
    write_template,
)

HERE = Path(__file__).parent
OUT = HERE / "workbooks"
#: facility id -> (sector of activity, managing ministry), in Vietnamese as the form asks
FACILITIES = {
    "LC-001": ("Sản xuất xi măng", "Bộ Xây dựng"),
    "LC-010": ("Chế biến chè", "Bộ Công Thương"),
    "LC-024": ("Khám bệnh, chữa bệnh", "Bộ Y tế"),
    "LC-041": ("Vận tải hàng hóa đường bộ", "Bộ Xây dựng"),
    "LC-WS-02": ("Xử lý chất thải rắn (ủ phân hữu cơ)", "Bộ Nông nghiệp và Môi trường"),
}
FACILITY_COLUMNS = ("facility_id", "facility_name", "commune")


def _area_of(category: str) -> str:
    """The plan area (the template's sheet) of an IPCC category."""
    return str(category_table().at[category, "plan_area"])


def fill(facility_id: str, rows: pd.DataFrame, path: Path) -> Path:
    """The template filled with one facility's rows."""
    write_template(path, lang="vi")
    book = load_workbook(path)
    first = rows.iloc[0]
    sector, ministry = FACILITIES[facility_id]
    years = sorted(int(y) for y in rows["year"])
    fields = {
        "facility_id": facility_id,
        "facility_name": first["facility_name"],
        "tax_code": "6200000" + facility_id[-3:].replace("-", "0"),  # placeholder
        "address": f"{first['commune']}, tỉnh Lai Châu",
        "commune": first["commune"],
        "sector": sector,
        "ministry": ministry,
        "legal_representative": "(dữ liệu giả lập / synthetic)",
        "year_from": years[0],
        "year_to": years[-1],
    }
    sheet = book[FACILITY_SHEET["vi"]]
    for row in range(2, sheet.max_row + 1):
        key = sheet.cell(row=row, column=3).value
        if key in fields:
            sheet.cell(row=row, column=2, value=fields[key])
    columns = [c for c in rows.columns if c not in FACILITY_COLUMNS]
    for area, group in rows.groupby(rows["category"].map(_area_of),
                                    sort=False):
        area_sheet = book[AREA_SHEET["vi"][area]]
        keys = {area_sheet.cell(row=2, column=j).value: j
                for j in range(1, area_sheet.max_column + 1)}
        missing = [c for c in columns if group[c].notna().any() and c not in keys]
        if missing:
            raise SystemExit(f"{facility_id}: the {area} sheet has no column {missing}")
        for i, record in enumerate(group.to_dict("records"), start=3):
            for column in columns:
                value = record[column]
                if pd.isna(value):
                    continue
                # numbers as numbers (a facility types them into number cells)
                number = pd.to_numeric(value, errors="coerce") if column in (
                    "year", "amount") else None
                area_sheet.cell(row=i, column=keys[column],
                                value=float(number) if number is not None and pd.notna(
                                    number) and column == "amount" else
                                int(number) if number is not None and pd.notna(number)
                                else value)
    # the file's properties carry a fixed date, not the day the script ran
    book.properties.created = book.properties.modified = datetime(2024, 3, 1)
    book.save(path)
    return path


def main() -> None:
    table = pd.read_csv(HERE / "activities.csv", dtype=str)
    OUT.mkdir(exist_ok=True)
    for facility_id in FACILITIES:
        rows = table[table["facility_id"] == facility_id].dropna(axis=1, how="all")
        path = fill(facility_id, rows.reset_index(drop=True), OUT / f"{facility_id}.xlsx")
        back = read_template(path)
        if len(back) != len(rows) or sorted(back["amount"].astype(float)) != sorted(
                rows["amount"].astype(float)):
            raise SystemExit(f"{path}: read back {len(back)} rows, filled {len(rows)}")
        # the workbook computes to the emissions of the rows it was filled from
        read, given = ghg.compute(path).total(), ghg.compute(rows).total()
        if abs((read - given).m_as("kg CO2e")) > 1e-6 * max(abs(given.m_as("kg CO2e")), 1.0):
            raise SystemExit(f"{path}: computes to {read}, its rows to {given}")
        print(f"{path.relative_to(HERE)}: {len(rows)} rows")


if __name__ == "__main__":
    main()
