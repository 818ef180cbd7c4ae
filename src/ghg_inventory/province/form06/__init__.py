"""The facility inventory report of Decree 06/2022/NĐ-CP, Appendix II, Form 06, as a workbook.

:func:`write_form06` writes the report a facility on the Prime Minister's list submits:
*Mẫu số 06, Phụ lục II, Nghị định 06/2022/NĐ-CP* ("Báo cáo kết quả kiểm kê khí nhà kính cấp
cơ sở"), for the two-year reporting period of Decree 119/2025/NĐ-CP, as an Excel workbook in
Vietnamese (``lang="vi"``, the language of submission) or English (``lang="en"``, a working
translation). What the library computed is filled in; what only the facility knows is left
as empty yellow cells to fill, never invented.

Layout: one sheet per section of the form
-----------------------------------------
Each sheet opens with the form's headings, in the form's words (see :data:`HEADINGS`; the
words are data in :mod:`ghg_inventory.i18n`):

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

from collections.abc import Mapping
from pathlib import Path

from ghg_inventory import i18n
from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n import LANGS
from ghg_inventory.i18n.messages import msg
from ghg_inventory.inventory import Inventory
from ghg_inventory.province.form06.content import Content
from ghg_inventory.province.form06.fields import (
    FACILITY_KEYS,
    HEADINGS,
    QAQC_CHECKS,
    SHEETS,
    UNCERTAINTY_OPTIONS,
    facility_fields,
)
from ghg_inventory.province.form06.layout import FMT_GAS, FMT_PCT, FMT_T, FMT_VALUE, FMT_YEAR
from ghg_inventory.province.form06.period import period_inventory, period_years, single_facility
from ghg_inventory.province.form06.sheets import workbook
from ghg_inventory.writers import atomic_path

__all__ = ["FACILITY_KEYS", "FMT_GAS", "FMT_PCT", "FMT_T", "FMT_VALUE", "FMT_YEAR", "HEADINGS",
           "LANGS", "QAQC_CHECKS", "SHEETS", "UNCERTAINTY_OPTIONS", "write_form06"]


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
        raise GHGInventoryError(msg("province.form06.not_xlsx", path=path))
    i18n.check_lang(lang)
    fields = facility_fields(facility)
    facility_id = single_facility(inventory)
    first, last = period_years(inventory, years, facility_id)
    period = period_inventory(inventory, (first, last))
    content = Content.build(inventory, period, facility_id, (first, last), uncertainty,
                            lang, __version__)
    book = workbook(content, fields, lang)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path
