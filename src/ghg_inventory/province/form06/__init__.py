"""The facility inventory report of Decree 06/2022/NĐ-CP, Appendix II, Form 06, as a workbook.

:func:`write_form06` writes the report a facility on the Prime Minister's list submits:
*Mẫu số 06, Phụ lục II, Nghị định 06/2022/NĐ-CP* ("Báo cáo kết quả kiểm kê khí nhà kính cấp
cơ sở"), for the two-year reporting period of Decree 119/2025/NĐ-CP, as an Excel workbook in
Vietnamese (``lang="vi"``, the language of submission) or English (``lang="en"``, a working
translation). What the library computed is filled in; what only the facility knows is left
as empty yellow cells to fill, never invented.

Layout: one sheet per section of the form
-----------------------------------------
Each sheet opens with the form's headings, in the form's words (see :data:`HEADINGS`):

``I. Thông tin cơ sở``
    Form header (Mẫu số 06, name of the facility, national motto, "BÁO CÁO", title with both
    years), reporting period and section I: 1. name, facility code, tax code, business
    licence, address, commune/ward; 2. legal representative; 3. sector and managing
    ministry. Fields come from the ``facility`` mapping only (:data:`FACILITY_KEYS`).
``II. Hoạt động và nguồn thải``
    Section II: 1. boundary, 2. infrastructure and technology (the facility's text), 3. the
    emission sources of the facility's rows (IPCC category, activity, direct or indirect,
    gases, years) and sinks, 4. information and data system (the facility's text).
``III.1 Phương pháp``
    III.1: method statement (IPCC guidelines, GWP set), the data-collection method (the
    facility's text), and per category, activity and gas every factor record used (emission
    factors and the NCV and density records the amounts went through): tier, ``factor_id``,
    value, unit, source and reference from the factor table; the GWP values used.
``III.2 Số liệu hoạt động``
    III.2: the activity rows of the two years (year, category, activity, amount and unit as
    reported, energy in TJ where the method computed it, source file and row), and the rows
    of earlier years that still emit in the period (a landfill's deposits, first-order decay).
``III.3 Kết quả``
    III.3: per year, direct emissions per gas (t) and in t CO2e with their total; indirect
    emissions (purchased electricity, heat) in a block of their own with their own total,
    never added to the direct total; biogenic CO2 as a memo item; ozone-depleting substances
    apart if any. Then the same per category and activity. The totals are also workbook-level
    defined names ``direct_total_<year>``, ``indirect_total_<year>`` and
    ``biogenic_co2_<year>`` (t CO2e, t CO2), so other tools need not search for them.
``III.4 Độ tin cậy``
    III.4: (a) uncertainty of the direct emissions, Approach 1 of
    :func:`ghg_inventory.analysis.uncertainty.error_propagation` when ``uncertainty`` options are
    given, else "không đánh giá" stated; (b) the library's QA/QC checks
    (:func:`ghg_inventory.analysis.qaqc.check`) over the two years, with each check's result and the
    findings; (c) reliability, completeness and other quality control: the facility's text.
    Then the signature block, "ĐẠI DIỆN CỦA CƠ SỞ".

Numbers are written as numbers (t, t CO2e, %), not text, with formats such as ``#,##0.000``,
so that the sheets can be computed with. The form itself prescribes headings, not tables:
the tables under III.1 to III.4 are this library's presentation.

Reporting period
----------------
Decree 119/2025/NĐ-CP (Art. 1(7)(b), adding point e to Art. 11(1) of Decree 06/2022) makes
the facility's report biennial, covering the two years immediately before the year it is
submitted [2]_ [3]_. The report therefore covers two consecutive years, and its title reads
"Kết quả kiểm kê khí nhà kính cho năm <y1> và năm <y2>" (the form prints "cho năm…").

Rules of the house that apply
-----------------------------
One facility per report (several ``facility_id`` values are refused, naming them). Both
years must have activity data (a year without is refused). Direct and indirect emissions are
never added; biogenic CO2 is never in a total. The file is written under a temporary name and
renamed when complete.

References
----------
.. [1] Nghị định số 06/2022/NĐ-CP ngày 07/01/2022 của Chính phủ quy định giảm nhẹ phát thải
   khí nhà kính và bảo vệ tầng ô-dôn, Phụ lục II, Mẫu số 06 "Báo cáo kết quả kiểm kê khí nhà
   kính cấp cơ sở"; Art. 11(4)(b). Official PDF (as linked by enviliance.com):
   https://monre.gov.vn/VanBan/Lists/VanBanHanhChinh/Attachments/282/06-nd.signed.pdf ;
   copy of the decree: https://atld.vn/law/40/content ; copy of the form's header and
   section I:
   https://dailythuegialoc.net/mau-bao-cao-ket-qua-kiem-ke-khi-nha-kinh-cap-co-so-moi-nhat
   The header, the title and section I were checked against that copy of the form; the
   headings of sections II and III and the signature line follow a transcription of
   Mẫu số 06 in a public source repository (III.4 corroborated by a second one), not
   checked against the decree's own text.
.. [2] Nghị định số 119/2025/NĐ-CP ngày 09/6/2025 sửa đổi, bổ sung một số điều của Nghị định
   số 06/2022/NĐ-CP (in force 01/8/2025), Art. 1(7)(b): "Báo cáo kết quả kiểm kê khí nhà kính
   định kỳ hai năm một lần của cơ sở bao gồm kết quả kiểm kê khí nhà kính của hai năm liền kề
   năm nộp báo cáo" (as quoted by a third-party compliance tool). Copies:
   https://atld.vn/law/3700/content ;
   https://english.luatvietnam.vn/tai-nguyen/decree-119-2025-nd-cp-mitigation-of-greenhouse-gas-emissions-402540-d1.html
.. [3] Enviliance, "Vietnam amends decree on GHG mitigation and ozone layer protection:
   Part 1" (facilities report every two years, covering the preceding two years),
   https://enviliance.com/regions/southeast-asia/vn/report_14144
.. [4] IPCC 2006 Guidelines, Vol 1, Ch 3 (uncertainty, Eq. 3.1, 3.2), Ch 6 (QA/QC,
   Table 6.1), Ch 8 (reporting: memo items).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import absolute_coordinate, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from ghg_inventory.categories import name as category_name
from ghg_inventory.errors import GHGInventoryError, UnknownKeyError
from ghg_inventory.inventory import Inventory
from ghg_inventory.writers import atomic_path

LANGS = ("vi", "en")

#: The form's headings (Mẫu số 06), by language; ``vi`` is the form's own wording, ``en`` a
#: working translation. Keys are stable.
HEADINGS: dict[str, dict[str, str]] = {
    "vi": {
        "form": "Mẫu số 06",
        "facility_placeholder": "TÊN CƠ SỞ PHẢI THỰC HIỆN KIỂM KÊ KHÍ NHÀ KÍNH",
        "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "report": "BÁO CÁO",
        "title": "Kết quả kiểm kê khí nhà kính cho năm {first} và năm {last}",
        "I": "I. Thông tin của cơ sở phải thực hiện kiểm kê khí nhà kính",
        "I.1": "1. Tên cơ sở, địa chỉ, giấy phép kinh doanh …",
        "I.2": "2. Thông tin về người đại diện của cơ sở trước pháp luật.",
        "I.3": "3. Thông tin về lĩnh vực hoạt động kinh doanh, sản xuất.",
        "II": "II. Thông tin về hoạt động sản xuất kinh doanh và số liệu hoạt động của cơ sở",
        "II.1": "1. Ranh giới và phạm vi hoạt động của cơ sở.",
        "II.2": "2. Cơ sở hạ tầng, công nghệ và hoạt động của cơ sở phải thực hiện kiểm kê "
                "khí nhà kính.",
        "II.3": "3. Các nguồn phát thải, bể hấp thụ khí nhà kính trong phạm vi hoạt động của "
                "cơ sở.",
        "II.4": "4. Hệ thống thông tin, dữ liệu về phát thải khí nhà kính của cơ sở, xác định "
                "nguyên nhân các hạn chế trong kiểm kê khí nhà kính của cơ sở.",
        "III": "III. Kết quả thực hiện kiểm kê phát thải khí nhà kính",
        "III.1": "1. Mô tả phương pháp kiểm kê phát thải khí nhà kính (phương pháp thu thập số "
                 "liệu, hệ số phát thải).",
        "III.2": "2. Số liệu hoạt động liên quan đến phát thải khí nhà kính của cơ sở.",
        "III.3": "3. Kết quả kiểm kê khí nhà kính của cơ sở.",
        "III.4": "4. Độ tin cậy, tính đầy đủ, độ không chắc chắn của thông tin, số liệu về phát "
                 "thải khí nhà kính và kết quả kiểm kê khí nhà kính của cơ sở.",
        "signature": "ĐẠI DIỆN CỦA CƠ SỞ",
    },
    "en": {
        "form": "Form No. 06",
        "facility_placeholder": "NAME OF THE FACILITY REQUIRED TO CARRY OUT THE GHG INVENTORY",
        "nation": "SOCIALIST REPUBLIC OF VIET NAM",
        "motto": "Independence - Freedom - Happiness",
        "report": "REPORT",
        "title": "Greenhouse gas inventory results for the years {first} and {last}",
        "I": "I. Information on the facility required to carry out the greenhouse gas "
             "inventory",
        "I.1": "1. Facility name, address, business licence …",
        "I.2": "2. Information on the facility's legal representative.",
        "I.3": "3. Information on the business and production sector.",
        "II": "II. Information on the facility's production and business activities and "
              "activity data",
        "II.1": "1. Boundary and scope of the facility's activities.",
        "II.2": "2. Infrastructure, technology and activities of the facility required to "
                "carry out the greenhouse gas inventory.",
        "II.3": "3. Greenhouse gas emission sources and sinks within the facility's scope of "
                "activities.",
        "II.4": "4. Information and data system on the facility's greenhouse gas emissions; "
                "causes of the limitations of the facility's inventory.",
        "III": "III. Results of the greenhouse gas emission inventory",
        "III.1": "1. Description of the inventory method (data collection method, emission "
                 "factors).",
        "III.2": "2. Activity data related to the facility's greenhouse gas emissions.",
        "III.3": "3. Greenhouse gas inventory results of the facility.",
        "III.4": "4. Reliability, completeness and uncertainty of the information and data on "
                 "greenhouse gas emissions and of the facility's inventory results.",
        "signature": "REPRESENTATIVE OF THE FACILITY",
    },
}

#: Sheet names (at most 31 characters, as Excel allows), by language.
SHEETS: dict[str, dict[str, str]] = {
    "vi": {"I": "I. Thông tin cơ sở", "II": "II. Hoạt động và nguồn thải",
           "III.1": "III.1 Phương pháp", "III.2": "III.2 Số liệu hoạt động",
           "III.3": "III.3 Kết quả", "III.4": "III.4 Độ tin cậy"},
    "en": {"I": "I. Facility", "II": "II. Activities and sources", "III.1": "III.1 Methods",
           "III.2": "III.2 Activity data", "III.3": "III.3 Results",
           "III.4": "III.4 Reliability"},
}

#: Keys of the ``facility`` mapping: where each goes, and its label (vi, en). A key left out
#: is an empty cell for the facility to fill.
FACILITY_KEYS: dict[str, tuple[str, str, str]] = {
    "name": ("I.1", "Tên cơ sở", "Facility name"),
    "tax_code": ("I.1", "Mã số thuế", "Tax code"),
    "business_license": ("I.1", "Giấy phép kinh doanh (số, ngày cấp, nơi cấp)",
                         "Business licence (number, date, issued by)"),
    "address": ("I.1", "Địa chỉ", "Address"),
    "commune": ("I.1", "Xã/phường", "Commune/ward"),
    "legal_representative": ("I.2", "Người đại diện theo pháp luật", "Legal representative"),
    "legal_representative_title": ("I.2", "Chức vụ", "Position"),
    "sector": ("I.3", "Lĩnh vực hoạt động kinh doanh, sản xuất",
               "Business and production sector"),
    "ministry": ("I.3", "Bộ quản lý lĩnh vực", "Managing ministry"),
    "boundary": ("II.1", "Mô tả ranh giới và phạm vi hoạt động",
                 "Description of the boundary and scope"),
    "infrastructure": ("II.2", "Cơ sở hạ tầng, công nghệ, hoạt động",
                       "Infrastructure, technology, activities"),
    "sinks": ("II.3", "Bể hấp thụ khí nhà kính", "Greenhouse gas sinks"),
    "data_system": ("II.4", "Hệ thống thông tin, dữ liệu; nguyên nhân các hạn chế",
                    "Information and data system; causes of limitations"),
    "data_collection": ("III.1", "Phương pháp thu thập số liệu", "Data collection method"),
    "reliability": ("III.4", "Độ tin cậy của thông tin, số liệu",
                    "Reliability of the information and data"),
    "completeness": ("III.4", "Tính đầy đủ", "Completeness"),
    "quality_control": ("III.4", "Các biện pháp kiểm soát, đảm bảo chất lượng khác của cơ sở",
                        "Other quality control and assurance by the facility"),
}

#: Options of :func:`ghg_inventory.analysis.uncertainty.error_propagation` the report passes on.
UNCERTAINTY_OPTIONS = ("factor_uncertainty", "activity_uncertainty", "distributions")

#: The QA/QC checks of :mod:`ghg_inventory.analysis.qaqc`, in the order shown.
QAQC_CHECKS = ("implied_factor_outside_range", "year_on_year_jump",
               "activity_without_emissions", "zero_activity", "suspicious_unit")

#: Number formats.
FMT_T = "#,##0.000"
FMT_GAS = "#,##0.000###"
FMT_VALUE = "#,##0.0#####"
FMT_PCT = "0.0"
FMT_YEAR = "0"

_TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "period": "Kỳ báo cáo",
        "period_value": "Năm {first} và năm {last} (báo cáo định kỳ hai năm một lần, "
                        "Nghị định 119/2025/NĐ-CP)",
        "facility_id": "Mã cơ sở (trong số liệu hoạt động)",
        "to_fill": "Ô nền vàng: cơ sở điền.",
        "boundary_auto": "Ranh giới kiểm kê gồm các nguồn phát thải liệt kê tại mục 3 (số liệu "
                         "hoạt động của mã cơ sở {facility_id}, năm {first} và năm {last}).",
        "category": "Mã nguồn (IPCC)",
        "category_name": "Tên nguồn phát thải",
        "activity": "Hoạt động / nhiên liệu",
        "activity_name": "Tên hoạt động / nhiên liệu",
        "scope": "Loại phát thải",
        "gases": "Khí nhà kính",
        "years": "Năm có số liệu",
        "direct": "Trực tiếp",
        "indirect": "Gián tiếp (không cộng vào tổng trực tiếp)",
        "ods": "Chất làm suy giảm tầng ô-dôn (ngoài tổng)",
        "biogenic_note": "CO2 sinh khối: mục ghi nhớ",
        "none": "(không có)",
        "method_text": "Lượng phát thải của từng khí nhà kính = số liệu hoạt động × hệ số phát "
                       "thải, theo {guidelines}; bậc (tier) của từng hệ số ghi trong bảng dưới. "
                       "Quy đổi ra tấn CO2 tương đương (CO2tđ) theo tiềm năng nóng lên toàn cầu "
                       "(GWP) 100 năm, bộ {gwp}.",
        "rules_text": "CO2 từ sinh khối là mục ghi nhớ, không cộng vào tổng. Phát thải gián "
                      "tiếp (điện, nhiệt mua vào) báo cáo riêng, không cộng vào tổng phát thải "
                      "trực tiếp.",
        "guidelines_2006": "Hướng dẫn IPCC 2006",
        "guidelines_2019": "Hướng dẫn IPCC 2006, bản hoàn thiện 2019 (áp dụng nơi có)",
        "tool": "Công cụ tính: ghg-inventory {version}; bảng hệ số: {tables}.",
        "factors_title": "Hệ số phát thải và thông số đã sử dụng",
        "parameter": "Thông số",
        "gas": "Khí",
        "tier": "Bậc (tier)",
        "factor_id": "Mã hệ số (factor_id)",
        "value": "Giá trị",
        "unit": "Đơn vị",
        "source": "Nguồn",
        "reference": "Bảng / công thức",
        "guidelines": "Hướng dẫn IPCC",
        "used_years": "Năm áp dụng",
        "user_supplied": "Số liệu do cơ sở cung cấp trong dòng số liệu hoạt động (bậc 2/3)",
        "gwp_title": "Tiềm năng nóng lên toàn cầu (GWP 100 năm, bộ {gwp})",
        "gwp": "GWP",
        "gwp_note": "Ghi chú",
        "fossil": "nguồn hóa thạch",
        "non_fossil": "nguồn không hóa thạch",
        "year": "Năm",
        "amount": "Lượng (như báo cáo)",
        "energy": "Năng lượng (TJ)",
        "earlier_rows": "Gồm cả số liệu các năm trước kỳ báo cáo còn phát thải trong kỳ (chất "
                        "thải chôn lấp các năm trước, phương pháp phân hủy bậc nhất FOD).",
        "source_file": "Tệp số liệu",
        "source_row": "Dòng",
        "year_block": "Năm {year}",
        "direct_block": "A. Phát thải trực tiếp",
        "indirect_block": "B. Phát thải gián tiếp (điện, nhiệt mua vào): báo cáo riêng, "
                          "không cộng vào tổng phát thải trực tiếp",
        "biogenic_block": "C. Mục ghi nhớ: CO2 từ sinh khối (không cộng vào tổng)",
        "ods_block": "D. Chất làm suy giảm tầng ô-dôn (ngoài giỏ khí Kyoto, không cộng vào "
                     "tổng)",
        "mass_t": "Lượng phát thải (tấn khí)",
        "co2e_t": "Quy đổi (tấn CO2tđ)",
        "direct_total": "Tổng phát thải trực tiếp năm {year}",
        "indirect_total": "Tổng phát thải gián tiếp năm {year}",
        "biogenic_total": "CO2 sinh khối năm {year} (tấn CO2)",
        "detail_direct": "Chi tiết phát thải trực tiếp theo nguồn",
        "detail_indirect": "Chi tiết phát thải gián tiếp theo nguồn",
        "gas_t": "{gas} (tấn)",
        "total_co2e": "Tổng (tấn CO2tđ)",
        "biogenic_t": "CO2 sinh khối, ghi nhớ (tấn)",
        "unc_title": "a) Độ không chắc chắn của phát thải trực tiếp",
        "unc_none": "Không đánh giá: chưa có thông tin độ không chắc chắn của số liệu hoạt "
                    "động và hệ số phát thải.",
        "unc_method": "Phương pháp 1 (lan truyền sai số), Hướng dẫn IPCC 2006 Tập 1 Chương 3, "
                      "công thức 3.1 và 3.2; nửa khoảng tin cậy 95 %.",
        "unc_total": "Tổng trực tiếp (tấn CO2tđ)",
        "unc_activity": "Độ KCC số liệu hoạt động (%)",
        "unc_factor": "Độ KCC hệ số (%)",
        "unc_combined": "Độ KCC tổng hợp (± %)",
        "unc_lower": "Cận dưới (tấn CO2tđ)",
        "unc_upper": "Cận trên (tấn CO2tđ)",
        "unc_by_category": "Theo nguồn phát thải",
        "qc_title": "b) Kiểm soát chất lượng: kết quả các phép kiểm tra tự động của "
                    "ghg-inventory (Hướng dẫn IPCC 2006 Tập 1 Chương 6, Bảng 6.1)",
        "qc_check": "Phép kiểm tra",
        "qc_description": "Nội dung",
        "qc_count": "Số phát hiện",
        "qc_result": "Kết quả",
        "qc_pass": "Đạt",
        "qc_review": "Cần xem xét",
        "qc_findings": "Các phát hiện (nội dung bằng tiếng Anh, như thư viện ghi)",
        "qc_message": "Chi tiết",
        "facility_title": "c) Đánh giá của cơ sở",
        "qc_implied_factor_outside_range": "Hệ số phát thải ngầm định (phát thải / năng lượng) "
                                           "nằm ngoài khoảng mặc định của IPCC",
        "qc_year_on_year_jump": "Phát thải của một nguồn và khí thay đổi quá 50 % giữa hai năm",
        "qc_activity_without_emissions": "Có số liệu hoạt động nhưng không có phát thải",
        "qc_zero_activity": "Số liệu hoạt động bằng 0",
        "qc_suspicious_unit": "Đơn vị khác với đa số và lệch từ 1.000 lần so với trung vị",
        "parameter_ef": "Hệ số phát thải",
        "parameter_ncv": "Nhiệt trị thực (NCV)",
        "parameter_density": "Khối lượng riêng",
    },
    "en": {
        "period": "Reporting period",
        "period_value": "{first} and {last} (biennial report, Decree 119/2025/ND-CP)",
        "facility_id": "Facility code (in the activity data)",
        "to_fill": "Yellow cells: to be filled in by the facility.",
        "boundary_auto": "The inventory boundary comprises the emission sources listed under "
                         "item 3 (activity data of facility code {facility_id}, years {first} "
                         "and {last}).",
        "category": "IPCC category",
        "category_name": "Emission source",
        "activity": "Activity / fuel",
        "activity_name": "Activity / fuel name",
        "scope": "Type",
        "gases": "Gases",
        "years": "Years with data",
        "direct": "Direct",
        "indirect": "Indirect (not added to the direct total)",
        "ods": "Ozone-depleting substances (outside totals)",
        "biogenic_note": "biogenic CO2: memo item",
        "none": "(none)",
        "method_text": "Emissions of each greenhouse gas = activity data × emission factor, "
                       "following the {guidelines}; the tier of each factor is given in the "
                       "table below. Converted to t CO2 equivalent (CO2e) with the 100-year "
                       "global warming potentials (GWP) of {gwp}.",
        "rules_text": "CO2 from biomass is a memo item, not in totals. Indirect emissions "
                      "(purchased electricity, heat) are reported apart, never added to direct "
                      "emissions.",
        "guidelines_2006": "2006 IPCC Guidelines",
        "guidelines_2019": "2006 IPCC Guidelines with the 2019 Refinement (where it applies)",
        "tool": "Computed with ghg-inventory {version}; factor tables: {tables}.",
        "factors_title": "Emission factors and parameters used",
        "parameter": "Parameter",
        "gas": "Gas",
        "tier": "Tier",
        "factor_id": "factor_id",
        "value": "Value",
        "unit": "Unit",
        "source": "Source",
        "reference": "Table / equation",
        "guidelines": "IPCC guidelines",
        "used_years": "Years used",
        "user_supplied": "Values the facility gave in its activity rows (Tier 2/3)",
        "gwp_title": "Global warming potentials (100-year GWP, {gwp})",
        "gwp": "GWP",
        "gwp_note": "Note",
        "fossil": "fossil",
        "non_fossil": "non-fossil",
        "year": "Year",
        "amount": "Amount (as reported)",
        "energy": "Energy (TJ)",
        "earlier_rows": "Includes data of years before the period that still emit in it "
                        "(waste deposited in earlier years, first-order decay).",
        "source_file": "Data file",
        "source_row": "Row",
        "year_block": "Year {year}",
        "direct_block": "A. Direct emissions",
        "indirect_block": "B. Indirect emissions (purchased electricity, heat): reported "
                          "apart, never added to the direct total",
        "biogenic_block": "C. Memo item: CO2 from biomass (not in totals)",
        "ods_block": "D. Ozone-depleting substances (outside the Kyoto basket, not in totals)",
        "mass_t": "Emissions (t of gas)",
        "co2e_t": "t CO2e",
        "direct_total": "Total direct emissions {year}",
        "indirect_total": "Total indirect emissions {year}",
        "biogenic_total": "Biogenic CO2 {year} (t CO2)",
        "detail_direct": "Direct emissions by source",
        "detail_indirect": "Indirect emissions by source",
        "gas_t": "{gas} (t)",
        "total_co2e": "Total (t CO2e)",
        "biogenic_t": "Biogenic CO2, memo (t)",
        "unc_title": "a) Uncertainty of the direct emissions",
        "unc_none": "Not assessed: no uncertainty information on the activity data and "
                    "emission factors was given.",
        "unc_method": "Approach 1 (error propagation), 2006 IPCC Guidelines Vol 1 Ch 3, "
                      "Eq. 3.1 and 3.2; half-width of the 95% confidence interval.",
        "unc_total": "Direct total (t CO2e)",
        "unc_activity": "Activity data uncertainty (%)",
        "unc_factor": "Factor uncertainty (%)",
        "unc_combined": "Combined uncertainty (± %)",
        "unc_lower": "Lower bound (t CO2e)",
        "unc_upper": "Upper bound (t CO2e)",
        "unc_by_category": "By emission source",
        "qc_title": "b) Quality control: results of ghg-inventory's automatic checks "
                    "(2006 IPCC Guidelines Vol 1 Ch 6, Table 6.1)",
        "qc_check": "Check",
        "qc_description": "What it checks",
        "qc_count": "Findings",
        "qc_result": "Result",
        "qc_pass": "Passed",
        "qc_review": "To review",
        "qc_findings": "Findings",
        "qc_message": "Detail",
        "facility_title": "c) The facility's assessment",
        "qc_implied_factor_outside_range": "Implied emission factor (emissions / energy) "
                                           "outside the IPCC default range",
        "qc_year_on_year_jump": "Emissions of a source and gas changing by more than 50% "
                                "between the years",
        "qc_activity_without_emissions": "Activity data without emissions",
        "qc_zero_activity": "Activity data of 0",
        "qc_suspicious_unit": "Unit unlike most rows and 1,000 times off the median",
        "parameter_ef": "Emission factor",
        "parameter_ncv": "Net calorific value (NCV)",
        "parameter_density": "Density",
    },
}

_GAS_ORDER = {"CO2": 0, "CH4": 1, "N2O": 2}
_TODO_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_form06(
    inventory: Inventory,
    path: str | Path,
    *,
    facility: Mapping[str, str],
    years: tuple[int, int] | None = None,
    uncertainty: Mapping[str, object] | None = None,
    lang: str = "vi",
) -> Path:
    """Write the facility inventory report, Form 06 of Decree 06/2022/NĐ-CP, as a workbook.

    Parameters
    ----------
    inventory : Inventory
        A computed inventory of one facility (one ``facility_id``).
    path : str or pathlib.Path
        The ``.xlsx`` file to write.
    facility : mapping of str to str
        The facility's particulars, by the keys of :data:`FACILITY_KEYS`: ``name``,
        ``tax_code``, ``address``, ``commune``, ``sector``, ``ministry``,
        ``legal_representative``, and optionally ``business_license``,
        ``legal_representative_title`` and the facility's own text for the form's narrative
        items (``boundary``, ``infrastructure``, ``sinks``, ``data_system``,
        ``data_collection``, ``reliability``, ``completeness``, ``quality_control``). A key
        left out, or empty, is an empty cell to fill.
    years : tuple of (int, int), optional
        The two consecutive years of the reporting period; by default the last year of the
        inventory and the year before it.
    uncertainty : mapping, optional
        Options of :func:`ghg_inventory.analysis.uncertainty.error_propagation`
        (:data:`UNCERTAINTY_OPTIONS`: ``factor_uncertainty``, ``activity_uncertainty``,
        ``distributions``). Without it the uncertainty is stated as not assessed.
    lang : {"vi", "en"}, default "vi"
        Vietnamese (the form's own words) or an English working translation.

    Returns
    -------
    pathlib.Path
        The file written (under a temporary name first, renamed when complete).

    Raises
    ------
    GHGInventoryError
        If the inventory holds several facilities (naming them) or none, a year of the
        period has no activity data, the years are not two consecutive years, ``path`` is
        not ``.xlsx``, or the uncertainty inputs are incomplete.
    UnknownKeyError
        For an unknown language, ``facility`` key or ``uncertainty`` option.
    """
    from ghg_inventory._version import __version__

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise GHGInventoryError(f"{path}: the Form 06 workbook must be an .xlsx file")
    if lang not in LANGS:
        raise UnknownKeyError(f"unknown language {lang!r}; use one of {LANGS}")
    fields = _facility_fields(facility)
    facility_id = _single_facility(inventory)
    first, last = _period_years(inventory, years, facility_id)
    period = _period(inventory, (first, last))
    content = _Content.build(inventory, period, facility_id, (first, last), uncertainty,
                             lang, __version__)
    book = _workbook(content, fields, lang)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path


# --- checks and the period -----------------------------------------------------------------

def _facility_fields(facility: Mapping[str, str]) -> dict[str, str | None]:
    unknown = sorted(set(facility) - set(FACILITY_KEYS))
    if unknown:
        raise UnknownKeyError(f"unknown facility key(s) {', '.join(map(repr, unknown))}; "
                              f"known: {', '.join(FACILITY_KEYS)}")
    out: dict[str, str | None] = {}
    for key in FACILITY_KEYS:
        value = facility.get(key)
        text = "" if value is None else str(value).strip()
        out[key] = text or None
    return out


def _single_facility(inventory: Inventory) -> str:
    column = inventory.activities["facility_id"]
    ids = sorted({str(v) for v in pd.unique(column.dropna())})
    if not ids:
        raise GHGInventoryError("the inventory has no activity rows: nothing to report")
    if len(ids) > 1:
        shown = ", ".join(ids[:20]) + (f" ... ({len(ids)} in all)" if len(ids) > 20 else "")
        raise GHGInventoryError(
            f"Form 06 reports one facility, and the inventory holds {len(ids)}: {shown}. "
            "Compute the facility's rows alone (filter on facility_id first).")
    return ids[0]


def _period_years(inventory: Inventory, years: tuple[int, int] | None,
                  facility_id: str) -> tuple[int, int]:
    available = sorted(int(y) for y in np.unique(inventory.activities["year"].to_numpy()))
    if years is None:
        first, last = available[-1] - 1, available[-1]
    else:
        if len(years) != 2:
            raise GHGInventoryError(f"years must be two years, got {years!r}")
        first, last = sorted(int(y) for y in years)
        if last != first + 1:
            raise GHGInventoryError(
                f"years {years!r}: the report covers two consecutive years (the two years "
                "before the year of submission, Decree 119/2025/NĐ-CP)")
    missing = [y for y in (first, last) if y not in available]
    if missing:
        raise GHGInventoryError(
            f"facility {facility_id}: no activity data for {' and '.join(map(str, missing))} "
            f"(years with data: {', '.join(map(str, available))}); the report needs both "
            f"years of the period {first}-{last}")
    return first, last


def _period(inventory: Inventory, years: tuple[int, int]) -> Inventory:
    """The inventory restricted to the activity rows (and their results) of ``years``."""
    activities = inventory.activities
    keep = np.isin(activities["year"].to_numpy(), years)
    new_pos = np.full(len(activities) + 1, -1, dtype=np.int64)
    new_pos[np.flatnonzero(keep)] = np.arange(int(keep.sum()))
    results = inventory.results
    kept = keep[results["_pos"].to_numpy()]
    results = results[kept].reset_index(drop=True)
    results["_pos"] = new_pos[results["_pos"].to_numpy()]
    activities = activities[keep].reset_index(drop=True)
    if "_source_pos" in activities:
        # a derived row (emissions of an earlier deposit in a year of the period) whose
        # source row is outside the period stays a derived row, its own source: it carries
        # the source row's columns, activity-data uncertainty among them
        source = activities["_source_pos"].to_numpy()
        linked = np.where(source >= 0, new_pos[source], -1)
        own = np.arange(len(activities))
        activities["_source_pos"] = np.where((source >= 0) & (linked < 0), own, linked)
    return Inventory(meta=inventory.meta, activities=activities, results=results,
                     factors=inventory.factors)


# --- the report's content, independent of its form ----------------------------------------

@dataclass
class _YearTotals:
    direct: list[tuple[str, float, float]]    # gas, t, t CO2e
    direct_total: float
    indirect: list[tuple[str, float, float]]
    indirect_total: float
    biogenic: float                           # t CO2
    ods: list[tuple[str, float, float]]


@dataclass
class _Content:
    facility_id: str
    years: tuple[int, int]
    meta: dict[str, Any]
    version: str
    sources: pd.DataFrame
    factors: pd.DataFrame
    gwp: pd.DataFrame
    activity: pd.DataFrame
    totals: dict[int, _YearTotals]
    detail: dict[str, pd.DataFrame]
    uncertainty: tuple[pd.DataFrame, pd.DataFrame] | None
    qaqc: pd.DataFrame

    @classmethod
    def build(cls, inventory: Inventory, period: Inventory, facility_id: str,
              years: tuple[int, int], uncertainty: Mapping[str, object] | None, lang: str,
              version: str) -> _Content:
        from ghg_inventory.analysis import qaqc as qaqc

        text = _TEXT[lang]
        return cls(
            facility_id=facility_id, years=years, meta=dict(period.meta), version=version,
            sources=_sources(period, lang), factors=_factors(period, text),
            gwp=_gwp_table(period, text), activity=_activity_rows(inventory, years, lang),
            totals={y: _year_totals(period, y) for y in years},
            detail={s: _detail(period, s, lang) for s in ("direct", "indirect")},
            uncertainty=_uncertainty(period, uncertainty),
            qaqc=qaqc.check(period),
        )


def _gas_key(gas: str) -> tuple[int, str]:
    return (_GAS_ORDER.get(gas, 3), gas)


def _activity_names(keys: pd.Series, lang: str) -> pd.Series:
    from ghg_inventory.factors import FactorDB

    fuels = FactorDB.default().fuels()[f"name_{lang}"]
    return keys.map(fuels).fillna("")


def _named_categories(codes: pd.Series, lang: str) -> pd.Series:
    distinct = {c: category_name(c, lang) for c in pd.unique(codes)}
    return codes.map(distinct)


def _sources(period: Inventory, lang: str) -> pd.DataFrame:
    """II.3: one row per emission source (category, activity, scope) of the period."""
    text = _TEXT[lang]
    em = period.emissions
    frame = pd.DataFrame({
        "scope": em["scope"].astype(str).to_numpy(),
        "category": em["category"].astype(str).to_numpy(),
        "activity": em["activity"].astype(str).to_numpy(),
        "gas": em["gas"].astype(str).to_numpy(),
        "year": em["year"].astype(int).to_numpy(),
        "biogenic": em["biogenic"].astype(bool).to_numpy(),
    })
    if frame.empty:
        return frame
    scope_order = {"direct": 0, "indirect": 1, "ods": 2}
    rows = []
    for (scope, category, activity), group in frame.groupby(["scope", "category", "activity"]):
        gases = ", ".join(sorted(set(group["gas"]), key=_gas_key))
        if group["biogenic"].any():
            gases += f" ({text['biogenic_note']})"
        rows.append({"scope": scope, "category": category, "activity": activity,
                     "gases": gases,
                     "years": ", ".join(map(str, sorted(set(group["year"]))))})
    out = pd.DataFrame(rows)
    out["category_name"] = _named_categories(out["category"], lang)
    out["activity_name"] = _activity_names(out["activity"], lang)
    out["scope_label"] = out["scope"].map(lambda s: text.get(s, s))
    out["_order"] = out["scope"].map(scope_order).fillna(3)
    return out.sort_values(["_order", "category", "activity"]).reset_index(drop=True)


def _factors(period: Inventory, text: Mapping[str, str]) -> pd.DataFrame:
    """III.1: every factor record used in the period, per category, activity and gas."""
    from ghg_inventory.factors import FactorDB
    from ghg_inventory.methods import USER_SUPPLIED

    em = period.emissions
    base = pd.DataFrame({
        "category": em["category"].astype(str).to_numpy(),
        "activity": em["activity"].astype(str).to_numpy(),
        "year": em["year"].astype(int).to_numpy(),
    })
    direct = base.assign(gas=em["gas"].astype(str).to_numpy(),
                         factor_id=em["factor_id"].astype(str).to_numpy(),
                         tier=pd.to_numeric(em["tier"], errors="coerce").to_numpy(),
                         guidelines=em["guidelines"].astype(str).to_numpy())
    aux = base.assign(factor_id=em["auxiliary_factor_ids"].astype(str).to_numpy())
    aux = aux.drop_duplicates()
    aux = aux.assign(factor_id=aux["factor_id"].str.split(";")).explode("factor_id")
    aux = aux[aux["factor_id"].notna() & (aux["factor_id"].str.strip() != "")
              & (aux["factor_id"] != "nan")]
    aux = aux.assign(gas="", tier=np.nan, guidelines="")
    used = pd.concat([direct, aux], ignore_index=True)
    keys = ["category", "activity", "gas", "factor_id"]
    grouped = used.groupby(keys, sort=False).agg(
        tier=("tier", "first"), guidelines=("guidelines", "first"),
        years=("year", lambda y: ", ".join(map(str, sorted(set(y)))))).reset_index()
    db = FactorDB.default() if period.factors is None else period.factors
    records = db.table.drop_duplicates("factor_id").set_index("factor_id")
    known = grouped["factor_id"].isin(records.index)
    columns = ("parameter", "value", "unit", "source", "reference", "tier", "guidelines")
    looked = records.reindex(grouped["factor_id"])[list(columns)].reset_index(drop=True)
    out = grouped.copy()
    out["parameter"] = looked["parameter"].where(known.to_numpy(), "ef")
    out["value"] = pd.to_numeric(looked["value"], errors="coerce")
    out["unit"] = looked["unit"].fillna("")
    out["source"] = looked["source"].where(known.to_numpy(), text["user_supplied"])
    out.loc[out["factor_id"] == USER_SUPPLIED, "source"] = text["user_supplied"]
    out["source"] = out["source"].fillna("")
    out["reference"] = looked["reference"].fillna("")
    out["tier"] = out["tier"].fillna(pd.to_numeric(looked["tier"], errors="coerce"))
    out["guidelines"] = out["guidelines"].where(out["guidelines"] != "", looked["guidelines"])
    out["guidelines"] = out["guidelines"].fillna("")
    out["parameter_label"] = out["parameter"].map(
        lambda p: text.get(f"parameter_{p}", str(p)))
    order = {"ef": 0, "ncv": 1, "density": 2}
    out["_p"] = out["parameter"].map(order).fillna(3)
    out["_g"] = out["gas"].map(lambda g: _gas_key(g)[0] if g else 9)
    return out.sort_values(["category", "activity", "_p", "_g", "gas", "factor_id"]) \
        .reset_index(drop=True)


def _gwp_table(period: Inventory, text: Mapping[str, str]) -> pd.DataFrame:
    from ghg_inventory.gwp import gwp_value

    gwp = period.gwp
    results = period.results
    pairs = results[["gas", "fossil"]].astype({"gas": str}).drop_duplicates()
    rows: list[dict[str, Any]] = []
    ar6_ch4 = gwp == "AR6"
    for gas, fossil in sorted(pairs.itertuples(index=False, name=None),
                              key=lambda p: (_gas_key(p[0]), not bool(p[1]))):
        note = ""
        if gas == "CH4" and ar6_ch4:
            note = text["fossil"] if bool(fossil) else text["non_fossil"]
        elif any(r["gas"] == gas for r in rows):
            continue
        rows.append({"gas": gas, "gwp": gwp_value(gas, gwp, fossil=bool(fossil)),
                     "note": note})
    return pd.DataFrame(rows, columns=["gas", "gwp", "note"])


def _activity_rows(inventory: Inventory, years: tuple[int, int], lang: str) -> pd.DataFrame:
    """III.2: the activity rows behind the period's emissions, amounts as reported.

    Those are the rows of the two years and, where emissions of the period come from
    earlier years (a landfill's deposits, first-order decay), the earlier rows of the same
    category and activity up to the period. Rows the engine derived for another category or
    year are no data of their own and are left out.
    """
    from ghg_inventory.units import parse_unit

    table = inventory.activities
    year = table["year"].to_numpy()
    keep = np.isin(year, years)
    if "_source_pos" in table:
        source = table["_source_pos"].to_numpy()
        original = source < 0
        # the engine links an emission year to one row of the deposit history: take the
        # whole history of that category and activity before the period
        linked = source[keep & ~original]
        earlier = linked[year[linked] < years[0]]
        if earlier.size:
            keys = pd.MultiIndex.from_arrays([table["category"].astype(str),
                                              table["activity"].astype(str)])
            history = keys.isin(set(keys[earlier])) & (year < years[0])
            keep |= np.asarray(history)
        keep &= original
    table = table[keep]
    codes, units = pd.factorize(table["unit"].astype(str))
    to_canonical = np.array([parse_unit(u).to_canonical for u in units] + [np.nan])
    factor = to_canonical[codes]
    out = pd.DataFrame({
        "year": table["year"].astype(int).to_numpy(),
        "category": table["category"].astype(str).to_numpy(),
        "activity": table["activity"].astype(str).to_numpy(),
        "amount": table["amount"].to_numpy(dtype=float) / factor,
        "unit": np.asarray(units, dtype=object)[codes],
        "energy_tj": table["energy_tj"].to_numpy(dtype=float) if "energy_tj" in table
        else np.nan,
        "source_file": table["source_file"].astype(str).to_numpy() if "source_file" in table
        else "",
        "source_row": table["source_row"].to_numpy() if "source_row" in table else None,
    })
    out["category_name"] = _named_categories(out["category"], lang)
    return out.sort_values(["year", "category", "activity"], kind="stable") \
        .reset_index(drop=True)


def _by_gas(period: Inventory, scope: str, year: int) -> list[tuple[str, float, float]]:
    frame = period.rollup(by=["year", "gas"], scope=scope)
    frame = frame[frame["year"] == year]
    rows = []
    for record in frame.to_dict("records"):
        gas = str(record["gas"])
        mass = float(record.get(f"{gas}_kg", 0.0)) / 1000.0
        rows.append((gas, mass, float(record["co2e_kg"]) / 1000.0))
    return sorted(rows, key=lambda r: _gas_key(r[0]))


def _year_total(period: Inventory, scope: str, year: int, column: str = "co2e_kg") -> float:
    frame = period.rollup(by="year", scope=scope)
    values = frame.loc[frame["year"] == year, column]
    return float(values.sum()) / 1000.0


def _year_totals(period: Inventory, year: int) -> _YearTotals:
    return _YearTotals(
        direct=_by_gas(period, "direct", year),
        direct_total=_year_total(period, "direct", year),
        indirect=_by_gas(period, "indirect", year),
        indirect_total=_year_total(period, "indirect", year),
        biogenic=_year_total(period, "direct", year, "biogenic_CO2_kg"),
        ods=_by_gas(period, "ods", year),
    )


def _detail(period: Inventory, scope: str, lang: str) -> pd.DataFrame:
    """III.3 detail: one row per year, category and activity of one scope."""
    return period.rollup(by=["year", "category", "activity"], scope=scope, lang=lang)


def _uncertainty(period: Inventory, options: Mapping[str, object] | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    if options is None:
        return None
    unknown = sorted(set(options) - set(UNCERTAINTY_OPTIONS))
    if unknown:
        raise UnknownKeyError(f"unknown uncertainty option(s) {', '.join(map(repr, unknown))}; "
                              f"use {', '.join(UNCERTAINTY_OPTIONS)}")
    from ghg_inventory.analysis.uncertainty import error_propagation

    given: dict[str, Any] = dict(options)
    by_year = error_propagation(period, by="year", **given)
    by_category = error_propagation(period, by=["year", "category"], **given)
    return by_year, by_category


# --- the workbook ---------------------------------------------------------------------------

class _Sheet:
    """A worksheet written top to bottom, one block after another."""

    def __init__(self, sheet: Any, widths: Sequence[float]) -> None:
        self.ws = sheet
        self.row = 1
        self.widths = list(widths)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width

    @property
    def last(self) -> int:
        return len(self.widths)

    def _fit(self, row: int, text: str, first: int, last: int) -> None:
        chars = sum(self.widths[first - 1:last]) * 1.1
        lines = max(1, math.ceil(len(text) / max(chars, 1.0)))
        current = self.ws.row_dimensions[row].height or 15.0
        self.ws.row_dimensions[row].height = max(current, 15.0 * lines)

    def text(self, value: str, *, bold: bool = False, italic: bool = False,
             size: float | None = None, column: int = 1, to: int | None = None,
             align: str | None = None, advance: bool = True) -> Any:
        to = self.last if to is None else to
        cell = self.ws.cell(row=self.row, column=column, value=value)
        cell.font = Font(bold=bold, italic=italic, size=size)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=align)
        if to > column:
            self.ws.merge_cells(start_row=self.row, start_column=column, end_row=self.row,
                                end_column=to)
        self._fit(self.row, value, column, to)
        if advance:
            self.row += 1
        return cell

    def heading(self, value: str, level: int = 1) -> Any:
        return self.text(value, bold=True, size=13 if level == 0 else 11)

    def field(self, label: str, value: object, *, number_format: str | None = None) -> Any:
        """A label in column A and its value across the other columns (yellow if empty)."""
        label_cell = self.ws.cell(row=self.row, column=1, value=label)
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell = self.ws.cell(row=self.row, column=2, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if number_format:
            cell.number_format = number_format
        if value is None or value == "":
            cell.value = None
            for column in range(2, self.last + 1):
                self.ws.cell(row=self.row, column=column).fill = _TODO_FILL
        if self.last > 2:
            self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row,
                                end_column=self.last)
        self._fit(self.row, str(value or ""), 2, self.last)
        self._fit(self.row, label, 1, 1)
        self.row += 1
        return cell

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[object]],
              formats: Sequence[str | None], *, bold_rows: Sequence[int] = ()) -> list[int]:
        """A bordered table; returns the sheet row of each data row."""
        for column, header in enumerate(headers, start=1):
            cell = self.ws.cell(row=self.row, column=column, value=header)
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self._fit(self.row, max(headers, key=len), 1, 1)
        self.row += 1
        placed = []
        for index, values in enumerate(rows):
            for column, value in enumerate(values, start=1):
                value = _plain(value)
                cell = self.ws.cell(row=self.row, column=column, value=value)
                cell.border = _BORDER
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                fmt = formats[column - 1] if column - 1 < len(formats) else None
                if fmt and isinstance(value, (int, float)):
                    cell.number_format = fmt
                if index in bold_rows:
                    cell.font = Font(bold=True)
            placed.append(self.row)
            self.row += 1
        return placed

    def skip(self, rows: int = 1) -> None:
        self.row += rows


def _plain(value: object) -> object:
    """A value openpyxl writes: numpy scalars as Python numbers, NaN and NA as empty."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _define(book: Workbook, name: str, cell: Any) -> None:
    reference = f"{quote_sheetname(cell.parent.title)}!{absolute_coordinate(cell.coordinate)}"
    book.defined_names[name] = DefinedName(name, attr_text=reference)


def _label(key: str, lang: str) -> str:
    return FACILITY_KEYS[key][1 if lang == "vi" else 2]


def _workbook(content: _Content, fields: Mapping[str, str | None], lang: str) -> Workbook:
    book = Workbook()
    first = book.active
    sheets = SHEETS[lang]
    first.title = sheets["I"]
    _sheet_i(_Sheet(first, (38, 22, 22, 22, 22, 22)), content, fields, lang)
    _sheet_ii(_Sheet(book.create_sheet(sheets["II"]), (14, 34, 22, 26, 26, 22, 16)),
              content, fields, lang)
    _sheet_iii1(_Sheet(book.create_sheet(sheets["III.1"]),
                       (12, 30, 18, 8, 18, 7, 36, 12, 10, 44, 30, 10, 12)),
                content, fields, lang)
    _sheet_iii2(_Sheet(book.create_sheet(sheets["III.2"]),
                       (8, 12, 34, 20, 16, 10, 14, 18, 8)), content, lang)
    _sheet_iii3(book, _Sheet(book.create_sheet(sheets["III.3"]),
                             (40, 14, 34, 20, 16, 16, 16, 16, 16, 16)), content, lang)
    _sheet_iii4(_Sheet(book.create_sheet(sheets["III.4"]),
                       (34, 12, 18, 22, 16, 40, 18, 18, 8)), content, fields, lang)
    return book


def _sheet_i(sheet: _Sheet, content: _Content, fields: Mapping[str, str | None],
             lang: str) -> None:
    head, text = HEADINGS[lang], _TEXT[lang]
    first, last = content.years
    sheet.text(head["form"], italic=True, column=sheet.last, align="right")
    name = fields["name"]
    name_cell = sheet.text(name.upper() if name else head["facility_placeholder"], bold=True,
                           to=2, advance=False)
    if not name:
        name_cell.fill = _TODO_FILL
    sheet.text(head["nation"], bold=True, column=3, align="center")
    sheet.text(head["motto"], bold=True, column=3, align="center")
    sheet.skip()
    sheet.text(head["report"], bold=True, size=14, align="center")
    sheet.text(head["title"].format(first=first, last=last), bold=True, align="center")
    sheet.skip()
    sheet.field(text["period"], text["period_value"].format(first=first, last=last))
    sheet.text(text["to_fill"], italic=True)
    sheet.skip()
    sheet.heading(head["I"], 0)
    sheet.heading(head["I.1"])
    sheet.field(_label("name", lang), fields["name"])
    sheet.field(text["facility_id"], content.facility_id)
    for key in ("tax_code", "business_license", "address", "commune"):
        sheet.field(_label(key, lang), fields[key])
    sheet.heading(head["I.2"])
    for key in ("legal_representative", "legal_representative_title"):
        sheet.field(_label(key, lang), fields[key])
    sheet.heading(head["I.3"])
    for key in ("sector", "ministry"):
        sheet.field(_label(key, lang), fields[key])


def _sheet_ii(sheet: _Sheet, content: _Content, fields: Mapping[str, str | None],
              lang: str) -> None:
    head, text = HEADINGS[lang], _TEXT[lang]
    first, last = content.years
    sheet.heading(head["II"], 0)
    sheet.heading(head["II.1"])
    sheet.text(text["boundary_auto"].format(facility_id=content.facility_id, first=first,
                                            last=last))
    sheet.field(_label("boundary", lang), fields["boundary"])
    sheet.heading(head["II.2"])
    sheet.field(_label("infrastructure", lang), fields["infrastructure"])
    sheet.heading(head["II.3"])
    headers = [text["category"], text["category_name"], text["activity"],
               text["activity_name"], text["scope"], text["gases"], text["years"]]
    sources = content.sources
    rows = ([] if sources.empty else
            sources[["category", "category_name", "activity", "activity_name", "scope_label",
                     "gases", "years"]].values.tolist())
    if not rows:
        rows = [[text["none"], "", "", "", "", "", ""]]
    sheet.table(headers, rows, [None] * len(headers))
    sheet.field(_label("sinks", lang), fields["sinks"])
    sheet.heading(head["II.4"])
    sheet.field(_label("data_system", lang), fields["data_system"])


def _sheet_iii1(sheet: _Sheet, content: _Content, fields: Mapping[str, str | None],
                lang: str) -> None:
    head, text = HEADINGS[lang], _TEXT[lang]
    meta = content.meta
    sheet.heading(head["III"], 0)
    sheet.heading(head["III.1"])
    guidelines = text["guidelines_2019" if str(meta.get("guidelines")) == "2019"
                      else "guidelines_2006"]
    sheet.text(text["method_text"].format(guidelines=guidelines, gwp=meta.get("gwp", "")))
    sheet.text(text["rules_text"])
    tables = ", ".join(sorted({Path(str(t)).name for t in meta.get("factor_tables", [])}))
    sheet.text(text["tool"].format(version=content.version, tables=tables or "-"), italic=True)
    sheet.field(_label("data_collection", lang), fields["data_collection"])
    sheet.skip()
    sheet.heading(text["factors_title"])
    headers = [text["category"], text["category_name"], text["activity"], text["gas"],
               text["parameter"], text["tier"], text["factor_id"], text["value"],
               text["unit"], text["source"], text["reference"], text["guidelines"],
               text["used_years"]]
    factors = content.factors
    factors = factors.assign(category_name=_named_categories(factors["category"], lang))
    tier = factors["tier"].map(lambda t: int(t) if pd.notna(t) else None)
    rows = pd.concat([factors[["category", "category_name", "activity", "gas",
                               "parameter_label"]], tier.rename("tier"),
                      factors[["factor_id", "value", "unit", "source", "reference",
                               "guidelines", "years"]]], axis=1).values.tolist()
    formats: list[str | None] = [None] * len(headers)
    formats[7] = FMT_VALUE
    sheet.table(headers, rows or [[text["none"]] + [""] * (len(headers) - 1)], formats)
    sheet.skip()
    sheet.heading(text["gwp_title"].format(gwp=meta.get("gwp", "")))
    sheet.table([text["gas"], text["gwp"], text["gwp_note"]],
                content.gwp[["gas", "gwp", "note"]].values.tolist(), [None, "#,##0.###", None])


def _sheet_iii2(sheet: _Sheet, content: _Content, lang: str) -> None:
    head, text = HEADINGS[lang], _TEXT[lang]
    sheet.heading(head["III"], 0)
    sheet.heading(head["III.2"])
    headers = [text["year"], text["category"], text["category_name"], text["activity"],
               text["amount"], text["unit"], text["energy"], text["source_file"],
               text["source_row"]]
    table = content.activity
    rows = table[["year", "category", "category_name", "activity", "amount", "unit",
                  "energy_tj", "source_file", "source_row"]].values.tolist()
    sheet.table(headers, rows, [FMT_YEAR, None, None, None, FMT_T, None, FMT_T, None, None])
    if (table["year"] < content.years[0]).any():
        sheet.text(text["earlier_rows"], italic=True)


def _sheet_iii3(book: Workbook, sheet: _Sheet, content: _Content, lang: str) -> None:
    head, text = HEADINGS[lang], _TEXT[lang]
    sheet.heading(head["III"], 0)
    sheet.heading(head["III.3"])
    headers = [text["gas"], text["mass_t"], text["co2e_t"]]
    formats = [None, FMT_GAS, FMT_T]
    for year in content.years:
        totals = content.totals[year]
        sheet.skip()
        sheet.heading(text["year_block"].format(year=year), 0)
        # A. direct, with its total
        sheet.heading(text["direct_block"])
        rows: list[list[object]] = [[g, m, c] for g, m, c in totals.direct]
        rows.append([text["direct_total"].format(year=year), None, totals.direct_total])
        placed = sheet.table(headers, rows, formats, bold_rows=[len(rows) - 1])
        _define(book, f"direct_total_{year}", sheet.ws.cell(row=placed[-1], column=3))
        # B. indirect, apart
        sheet.heading(text["indirect_block"])
        rows = [[g, m, c] for g, m, c in totals.indirect] or [[text["none"], None, None]]
        rows.append([text["indirect_total"].format(year=year), None, totals.indirect_total])
        placed = sheet.table(headers, rows, formats, bold_rows=[len(rows) - 1])
        _define(book, f"indirect_total_{year}", sheet.ws.cell(row=placed[-1], column=3))
        # C. memo: biogenic CO2
        sheet.heading(text["biogenic_block"])
        cell = sheet.field(text["biogenic_total"].format(year=year), totals.biogenic,
                           number_format=FMT_T)
        _define(book, f"biogenic_co2_{year}", cell)
        if totals.ods:
            sheet.heading(text["ods_block"])
            sheet.table(headers, [[g, m, c] for g, m, c in totals.ods], formats)
    for scope in ("direct", "indirect"):
        sheet.skip()
        sheet.heading(text[f"detail_{scope}"])
        _detail_table(sheet, content.detail[scope], text)


def _detail_table(sheet: _Sheet, frame: pd.DataFrame, text: Mapping[str, str]) -> None:
    gases = sorted((c[:-3] for c in frame.columns
                    if c.endswith("_kg") and c not in ("co2e_kg", "biogenic_CO2_kg")),
                   key=_gas_key)
    headers = [text["year"], text["category"], text["category_name"], text["activity"],
               *[text["gas_t"].format(gas=g) for g in gases], text["total_co2e"],
               text["biogenic_t"]]
    formats: list[str | None] = [FMT_YEAR, None, None, None, *[FMT_GAS] * len(gases), FMT_T,
                                 FMT_T]
    if frame.empty:
        sheet.table(headers, [[text["none"]] + [None] * (len(headers) - 1)], formats)
        return
    tonnes = [frame[f"{g}_kg"] / 1000.0 for g in gases]
    table = pd.concat([frame[["year", "category", "category_name", "activity"]], *tonnes,
                       frame["co2e_kg"] / 1000.0, frame["biogenic_CO2_kg"] / 1000.0], axis=1)
    sheet.table(headers, table.values.tolist(), formats)


def _sheet_iii4(sheet: _Sheet, content: _Content, fields: Mapping[str, str | None],
                lang: str) -> None:
    head, text = HEADINGS[lang], _TEXT[lang]
    sheet.heading(head["III"], 0)
    sheet.heading(head["III.4"])
    # a) uncertainty
    sheet.heading(text["unc_title"])
    if content.uncertainty is None:
        sheet.text(text["unc_none"])
    else:
        by_year, by_category = content.uncertainty
        sheet.text(text["unc_method"])
        columns = ["activity_uncertainty_pct", "factor_uncertainty_pct", "uncertainty_pct"]
        headers = [text["year"], text["unc_total"], text["unc_activity"], text["unc_factor"],
                   text["unc_combined"], text["unc_lower"], text["unc_upper"]]
        rows = pd.concat([by_year[["year"]], by_year["co2e_kg"] / 1000.0, by_year[columns],
                          by_year["lower_kg"] / 1000.0, by_year["upper_kg"] / 1000.0],
                         axis=1).values.tolist()
        sheet.table(headers, rows, [FMT_YEAR, FMT_T, FMT_PCT, FMT_PCT, FMT_PCT, FMT_T, FMT_T])
        sheet.text(text["unc_by_category"], bold=True)
        names = _named_categories(by_category["category"].astype(str), lang)
        rows = pd.concat([by_category[["year", "category"]], names.rename("name"),
                          by_category["co2e_kg"] / 1000.0, by_category[columns]],
                         axis=1).values.tolist()
        sheet.table([text["year"], text["category"], text["category_name"],
                     text["unc_total"], text["unc_activity"], text["unc_factor"],
                     text["unc_combined"]], rows,
                    [FMT_YEAR, None, None, FMT_T, FMT_PCT, FMT_PCT, FMT_PCT])
    sheet.skip()
    # b) the library's QA/QC checks
    sheet.heading(text["qc_title"])
    found = content.qaqc
    counts = found["check"].value_counts() if len(found) else pd.Series(dtype=int)
    rows = [[check, text[f"qc_{check}"], int(counts.get(check, 0)),
             text["qc_review"] if counts.get(check, 0) else text["qc_pass"]]
            for check in QAQC_CHECKS]
    sheet.table([text["qc_check"], text["qc_description"], text["qc_count"],
                 text["qc_result"]], rows, [None, None, "0", None])
    if len(found):
        sheet.text(text["qc_findings"], bold=True)
        findings = found[["check", "year", "category", "activity", "gas", "value", "message",
                          "source_file", "source_row"]]
        sheet.table([text["qc_check"], text["year"], text["category"], text["activity"],
                     text["gas"], text["value"], text["qc_message"], text["source_file"],
                     text["source_row"]], findings.values.tolist(),
                    [None, FMT_YEAR, None, None, None, "#,##0.0##", None, None, None])
    sheet.skip()
    # c) the facility's own assessment
    sheet.heading(text["facility_title"])
    for key in ("reliability", "completeness", "quality_control"):
        sheet.field(_label(key, lang), fields[key])
    sheet.skip(2)
    sheet.text(head["signature"], bold=True, column=4, to=6, align="center")
    representative = fields["legal_representative"]
    if representative:
        sheet.text(representative, column=4, to=6, align="center")
