"""The six sheets of the Form 06 workbook, one per section of the form (I, II, III.1 to III.4),
each opening with the form's headings in the form's words."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from ghg_inventory.province.form06.content import Content, gas_key, named_categories
from ghg_inventory.province.form06.fields import HEADINGS, QAQC_CHECKS, SHEETS, field_label, text
from ghg_inventory.province.form06.layout import (
    FMT_GAS,
    FMT_PCT,
    FMT_T,
    FMT_VALUE,
    FMT_YEAR,
    TODO_FILL,
    Sheet,
    define,
)
from ghg_inventory.writers import text_cells


def workbook(content: Content, fields: Mapping[str, str | None], lang: str) -> Workbook:
    """The Form 06 workbook of ``content`` and the facility's ``fields``, every text cell a
    string cell (:func:`ghg_inventory.writers.text_cells`)."""
    book = Workbook()
    first = book.active
    sheets = SHEETS[lang]
    first.title = sheets["I"]
    _sheet_i(Sheet(first, (38, 22, 22, 22, 22, 22)), content, fields, lang)
    _sheet_ii(Sheet(book.create_sheet(sheets["II"]), (14, 34, 22, 26, 26, 22, 16)),
              content, fields, lang)
    _sheet_iii1(Sheet(book.create_sheet(sheets["III.1"]),
                      (12, 30, 18, 8, 18, 7, 36, 12, 10, 44, 30, 10, 12)),
                content, fields, lang)
    _sheet_iii2(Sheet(book.create_sheet(sheets["III.2"]),
                      (8, 12, 34, 20, 16, 10, 14, 18, 8)), content, lang)
    _sheet_iii3(book, Sheet(book.create_sheet(sheets["III.3"]),
                            (40, 14, 34, 20, 16, 16, 16, 16, 16, 16)), content, lang)
    _sheet_iii4(Sheet(book.create_sheet(sheets["III.4"]),
                      (34, 12, 18, 22, 16, 40, 18, 18, 8)), content, fields, lang)
    # the facility's particulars and names are text even where they begin with "=": the
    # form has no formula cells of its own
    text_cells(book)
    return book


def _sheet_i(sheet: Sheet, content: Content, fields: Mapping[str, str | None],
             lang: str) -> None:
    head, words = HEADINGS[lang], text(lang)
    first, last = content.years
    sheet.text(head["form"], italic=True, column=sheet.last, align="right")
    name = fields["name"]
    name_cell = sheet.text(name.upper() if name else head["facility_placeholder"], bold=True,
                           to=2, advance=False)
    if not name:
        name_cell.fill = TODO_FILL
    sheet.text(head["nation"], bold=True, column=3, align="center")
    sheet.text(head["motto"], bold=True, column=3, align="center")
    sheet.skip()
    sheet.text(head["report"], bold=True, size=14, align="center")
    sheet.text(head["title"].format(first=first, last=last), bold=True, align="center")
    sheet.skip()
    sheet.field(words["period"], words["period_value"].format(first=first, last=last))
    sheet.text(words["to_fill"], italic=True)
    sheet.skip()
    sheet.heading(head["I"], 0)
    sheet.heading(head["I.1"])
    sheet.field(field_label("name", lang), fields["name"])
    sheet.field(words["facility_id"], content.facility_id)
    for key in ("tax_code", "business_license", "address", "commune"):
        sheet.field(field_label(key, lang), fields[key])
    sheet.heading(head["I.2"])
    for key in ("legal_representative", "legal_representative_title"):
        sheet.field(field_label(key, lang), fields[key])
    sheet.heading(head["I.3"])
    for key in ("sector", "ministry"):
        sheet.field(field_label(key, lang), fields[key])


def _sheet_ii(sheet: Sheet, content: Content, fields: Mapping[str, str | None],
              lang: str) -> None:
    head, words = HEADINGS[lang], text(lang)
    first, last = content.years
    sheet.heading(head["II"], 0)
    sheet.heading(head["II.1"])
    sheet.text(words["boundary_auto"].format(facility_id=content.facility_id, first=first,
                                            last=last))
    sheet.field(field_label("boundary", lang), fields["boundary"])
    sheet.heading(head["II.2"])
    sheet.field(field_label("infrastructure", lang), fields["infrastructure"])
    sheet.heading(head["II.3"])
    headers = [words["category"], words["category_name"], words["activity"],
               words["activity_name"], words["scope"], words["gases"], words["years"]]
    sources = content.sources
    rows = ([] if sources.empty else
            sources[["category", "category_name", "activity", "activity_name", "scope_label",
                     "gases", "years"]].values.tolist())
    if not rows:
        rows = [[words["none"], "", "", "", "", "", ""]]
    sheet.table(headers, rows, [None] * len(headers))
    sheet.field(field_label("sinks", lang), fields["sinks"])
    sheet.heading(head["II.4"])
    sheet.field(field_label("data_system", lang), fields["data_system"])


def _sheet_iii1(sheet: Sheet, content: Content, fields: Mapping[str, str | None],
                lang: str) -> None:
    head, words = HEADINGS[lang], text(lang)
    meta = content.meta
    sheet.heading(head["III"], 0)
    sheet.heading(head["III.1"])
    guidelines = words["guidelines_2019" if str(meta.get("guidelines")) == "2019"
                      else "guidelines_2006"]
    sheet.text(words["method_text"].format(guidelines=guidelines, gwp=meta.get("gwp", "")))
    sheet.text(words["rules_text"])
    tables = ", ".join(sorted({Path(str(t)).name for t in meta.get("factor_tables", [])}))
    sheet.text(words["tool"].format(version=content.version, tables=tables or "-"), italic=True)
    sheet.field(field_label("data_collection", lang), fields["data_collection"])
    sheet.skip()
    sheet.heading(words["factors_title"])
    headers = [words["category"], words["category_name"], words["activity"], words["gas"],
               words["parameter"], words["tier"], words["factor_id"], words["value"],
               words["unit"], words["source"], words["reference"], words["guidelines"],
               words["used_years"]]
    factors = content.factors
    factors = factors.assign(category_name=named_categories(factors["category"], lang))
    tier = factors["tier"].map(lambda t: int(t) if pd.notna(t) else None)
    rows = pd.concat([factors[["category", "category_name", "activity", "gas",
                               "parameter_label"]], tier.rename("tier"),
                      factors[["factor_id", "value", "unit", "source", "reference",
                               "guidelines", "years"]]], axis=1).values.tolist()
    formats: list[str | None] = [None] * len(headers)
    formats[7] = FMT_VALUE
    sheet.table(headers, rows or [[words["none"]] + [""] * (len(headers) - 1)], formats)
    sheet.skip()
    sheet.heading(words["gwp_title"].format(gwp=meta.get("gwp", "")))
    sheet.table([words["gas"], words["gwp"], words["gwp_note"]],
                content.gwp[["gas", "gwp", "note"]].values.tolist(), [None, "#,##0.###", None])


def _sheet_iii2(sheet: Sheet, content: Content, lang: str) -> None:
    head, words = HEADINGS[lang], text(lang)
    sheet.heading(head["III"], 0)
    sheet.heading(head["III.2"])
    headers = [words["year"], words["category"], words["category_name"], words["activity"],
               words["amount"], words["unit"], words["energy"], words["source_file"],
               words["source_row"]]
    table = content.activity
    rows = table[["year", "category", "category_name", "activity", "amount", "unit",
                  "energy_tj", "source_file", "source_row"]].values.tolist()
    sheet.table(headers, rows, [FMT_YEAR, None, None, None, FMT_T, None, FMT_T, None, None])
    if (table["year"] < content.years[0]).any():
        sheet.text(words["earlier_rows"], italic=True)


def _sheet_iii3(book: Workbook, sheet: Sheet, content: Content, lang: str) -> None:
    head, words = HEADINGS[lang], text(lang)
    sheet.heading(head["III"], 0)
    sheet.heading(head["III.3"])
    headers = [words["gas"], words["mass_t"], words["co2e_t"]]
    formats = [None, FMT_GAS, FMT_T]
    for year in content.years:
        totals = content.totals[year]
        sheet.skip()
        sheet.heading(words["year_block"].format(year=year), 0)
        # A. direct, with its total
        sheet.heading(words["direct_block"])
        rows: list[list[object]] = [[g, m, c] for g, m, c in totals.direct]
        rows.append([words["direct_total"].format(year=year), None, totals.direct_total])
        placed = sheet.table(headers, rows, formats, bold_rows=[len(rows) - 1])
        define(book, f"direct_total_{year}", sheet.ws.cell(row=placed[-1], column=3))
        # B. indirect, apart
        sheet.heading(words["indirect_block"])
        rows = [[g, m, c] for g, m, c in totals.indirect] or [[words["none"], None, None]]
        rows.append([words["indirect_total"].format(year=year), None, totals.indirect_total])
        placed = sheet.table(headers, rows, formats, bold_rows=[len(rows) - 1])
        define(book, f"indirect_total_{year}", sheet.ws.cell(row=placed[-1], column=3))
        # C. memo: biogenic CO2
        sheet.heading(words["biogenic_block"])
        cell = sheet.field(words["biogenic_total"].format(year=year), totals.biogenic,
                           number_format=FMT_T)
        define(book, f"biogenic_co2_{year}", cell)
        if totals.ods:
            sheet.heading(words["ods_block"])
            sheet.table(headers, [[g, m, c] for g, m, c in totals.ods], formats)
    for scope in ("direct", "indirect"):
        sheet.skip()
        sheet.heading(words[f"detail_{scope}"])
        _detail_table(sheet, content.detail[scope], words)


def _detail_table(sheet: Sheet, frame: pd.DataFrame, words: Mapping[str, str]) -> None:
    gases = sorted((c[:-3] for c in frame.columns
                    if c.endswith("_kg") and c not in ("co2e_kg", "biogenic_CO2_kg")),
                   key=gas_key)
    headers = [words["year"], words["category"], words["category_name"], words["activity"],
               *[words["gas_t"].format(gas=g) for g in gases], words["total_co2e"],
               words["biogenic_t"]]
    formats: list[str | None] = [FMT_YEAR, None, None, None, *[FMT_GAS] * len(gases), FMT_T,
                                 FMT_T]
    if frame.empty:
        sheet.table(headers, [[words["none"]] + [None] * (len(headers) - 1)], formats)
        return
    tonnes = [frame[f"{g}_kg"] / 1000.0 for g in gases]
    table = pd.concat([frame[["year", "category", "category_name", "activity"]], *tonnes,
                       frame["co2e_kg"] / 1000.0, frame["biogenic_CO2_kg"] / 1000.0], axis=1)
    sheet.table(headers, table.values.tolist(), formats)


def _sheet_iii4(sheet: Sheet, content: Content, fields: Mapping[str, str | None],
                lang: str) -> None:
    head, words = HEADINGS[lang], text(lang)
    sheet.heading(head["III"], 0)
    sheet.heading(head["III.4"])
    # a) uncertainty
    sheet.heading(words["unc_title"])
    if content.uncertainty is None:
        sheet.text(words["unc_none"])
    else:
        by_year, by_category = content.uncertainty
        sheet.text(words["unc_method"])
        columns = ["activity_uncertainty_pct", "factor_uncertainty_pct", "uncertainty_pct"]
        headers = [words["year"], words["unc_total"], words["unc_activity"], words["unc_factor"],
                   words["unc_combined"], words["unc_lower"], words["unc_upper"]]
        rows = pd.concat([by_year[["year"]], by_year["co2e_kg"] / 1000.0, by_year[columns],
                          by_year["lower_kg"] / 1000.0, by_year["upper_kg"] / 1000.0],
                         axis=1).values.tolist()
        sheet.table(headers, rows, [FMT_YEAR, FMT_T, FMT_PCT, FMT_PCT, FMT_PCT, FMT_T, FMT_T])
        sheet.text(words["unc_by_category"], bold=True)
        names = named_categories(by_category["category"].astype(str), lang)
        rows = pd.concat([by_category[["year", "category"]], names.rename("name"),
                          by_category["co2e_kg"] / 1000.0, by_category[columns]],
                         axis=1).values.tolist()
        sheet.table([words["year"], words["category"], words["category_name"],
                     words["unc_total"], words["unc_activity"], words["unc_factor"],
                     words["unc_combined"]], rows,
                    [FMT_YEAR, None, None, FMT_T, FMT_PCT, FMT_PCT, FMT_PCT])
    sheet.skip()
    # b) the library's QA/QC checks
    sheet.heading(words["qc_title"])
    found = content.qaqc
    counts = found["check"].value_counts() if len(found) else pd.Series(dtype=int)
    rows = [[check, words[f"qc_{check}"], int(counts.get(check, 0)),
             words["qc_review"] if counts.get(check, 0) else words["qc_pass"]]
            for check in QAQC_CHECKS]
    sheet.table([words["qc_check"], words["qc_description"], words["qc_count"],
                 words["qc_result"]], rows, [None, None, "0", None])
    if len(found):
        sheet.text(words["qc_findings"], bold=True)
        findings = found[["check", "year", "category", "activity", "gas", "value", "message",
                          "source_file", "source_row"]]
        sheet.table([words["qc_check"], words["year"], words["category"], words["activity"],
                     words["gas"], words["value"], words["qc_message"], words["source_file"],
                     words["source_row"]], findings.values.tolist(),
                    [None, FMT_YEAR, None, None, None, "#,##0.0##", None, None, None])
    sheet.skip()
    # c) the facility's own assessment
    sheet.heading(words["facility_title"])
    for key in ("reliability", "completeness", "quality_control"):
        sheet.field(field_label(key, lang), fields[key])
    sheet.skip(2)
    sheet.text(head["signature"], bold=True, column=4, to=6, align="center")
    representative = fields["legal_representative"]
    if representative:
        sheet.text(representative, column=4, to=6, align="center")
