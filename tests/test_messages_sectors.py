"""The sector methods' messages in Vietnamese (issue 21, item 2): refusals of forest,
wastewater, solid waste and livestock rows, the shared parameter checks (a value out of its
range, an unknown key with the nearest ones offered), and the command line with --lang vi.
The English text of every message stays as it was (the sector tests match it)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ghg_inventory as ghg
from conftest import activity_frame, compute_problems
from ghg_inventory.i18n.messages import Message, say


def problems(rows: list[dict], **kwargs) -> dict[tuple[int, str], list[ghg.Problem]]:
    """The problems of a refused table, by (row position, column)."""
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame(rows), **kwargs)
    out: dict[tuple[int, str], list[ghg.Problem]] = {}
    for p in info.value.problems:
        out.setdefault((p.row, p.column), []).append(p)
    return out


def vi(problem: ghg.Problem) -> str:
    return say(problem.message, "vi")


def said(got: dict[tuple[int, str], list[ghg.Problem]], row: int, column: str
         ) -> list[tuple[str, str]]:
    """(English, Vietnamese) of each problem of a cell."""
    return [(p.message, vi(p)) for p in got[(row, column)]]


def deforestation(**site) -> dict:
    return {"category": "3.B.2.b", "activity": "deforestation", "amount": 100, "unit": "ha",
            "year": 2024, **site}


def test_a_forest_refusal_names_its_ipcc_table_in_vietnamese():
    # Table 4.7 prints only a range for tropical mountain systems: the row is refused
    got = problems([deforestation(ecozone="tropical_mountain_systems")])
    assert all(isinstance(p.message, Message) for p in got[(0, "ecozone")])
    assert said(got, 0, "ecozone") == [(
        "no above-ground biomass (Table 4.7) for this ecozone and continent; "
        "give forest_type or agb_stock",
        "không có sinh khối trên mặt đất (Bảng 4.7) cho vùng sinh thái và châu lục này; "
        "hãy cung cấp forest_type hoặc agb_stock")]


def test_a_2019_forest_refusal_says_which_refined_table_and_key():
    got = problems([{"category": "3.B.1.a", "activity": "forest_growth", "amount": 10,
                     "unit": "ha", "year": 2024, "ecozone": "tropical_rain_forest"}],
                   guidelines="2019")
    assert [vn for _, vn in said(got, 0, "forest_origin")] == [
        "guidelines='2019': Bảng 4.9 (cập nhật) phân theo châu lục và nguồn gốc rừng: hãy "
        "cung cấp forest_origin (primary, secondary_gt20, secondary_le20, planted) hoặc "
        "agb_growth, hoặc tính với guidelines='2006'"]


def test_a_value_out_of_its_range_names_the_quantity_in_vietnamese():
    got = problems([{"category": "3.B.1.a", "activity": "disturbance", "amount": 10,
                     "unit": "ha", "year": 2024, "ecozone": "tropical_rain_forest",
                     "fraction_lost": 1.5}])
    assert said(got, 0, "fraction_lost") == [
        ("fraction of biomass lost fd must be between 0 and 1",
         "tỷ lệ sinh khối bị mất fd phải nằm trong khoảng từ 0 đến 1")]


def test_wastewater_refusals_in_vietnamese():
    rows = [{"category": "4.D.1", "activity": "domestic_wastewater", "amount": 1000,
             "unit": "person", "year": 2024, "treatment_pathway": pathway, "collected": answer}
            for pathway, answer in (("septic_sytem", ""), ("septic_system", "yes"))]
    got = problems(rows)
    # a misspelt pathway: the nearest pathways offered, joined by "or" / "hoặc"
    en, vn = said(got, 0, "treatment_pathway")[0]
    assert en.startswith(
        "not a known treatment or discharge pathway (Tables 6.3, 6.8); did you mean "
        "septic_system or septic_system_land_dispersal? one of anaerobic_digester_sludge, ")
    assert vn.startswith(
        "không phải hệ thống xử lý hoặc đường xả thải (Bảng 6.3, 6.8) hợp lệ; có phải ý bạn "
        "là septic_system hoặc septic_system_land_dispersal? dùng một trong các giá trị "
        "anaerobic_digester_sludge, ")
    # a septic system treats on site: 'collected yes' contradicts it (I = 1.00, written
    # with the Vietnamese decimal comma)
    assert said(got, 1, "collected") == [(
        "contradicts the treatment_pathway: septic systems and latrines treat uncollected "
        "wastewater on site (I = 1.00, IPCC 2006 Vol 5 Eq. 6.3)",
        "mâu thuẫn với treatment_pathway: bể tự hoại và nhà tiêu xử lý tại chỗ nước thải "
        "không được thu gom (I = 1,00, IPCC 2006 Tập 5 Phương trình 6.3)")]


def test_landfill_refusals_in_vietnamese():
    got = problems([{"category": "4.A", "activity": "msw_bulk", "amount": 1000, "unit": "t",
                     "year": 2020, "facility_id": "L1", "site_type": "unmanaged_deep",
                     "climate_zone": "tropical_wet", "composition_region": "south_eastern_asia",
                     "until": 2010}])
    assert said(got, 0, "until") == [("earlier than the deposit year", "sớm hơn năm chôn lấp")]


def test_livestock_refusals_in_vietnamese():
    got = problems([
        {"category": "3.A.1", "activity": "other_cattle", "amount": 100, "unit": "head",
         "year": 2024, "region": "asai"},
        {"category": "3.A.1", "activity": "dairy_cattle", "amount": 100, "unit": "head",
         "year": 2024, "live_weight": 400, "digestibility": 150}])
    en, vn = said(got, 0, "region")[0]
    assert en.startswith("not a known livestock region; did you mean asia? one of africa, ")
    assert vn.startswith("không phải vùng chăn nuôi hợp lệ; có phải ý bạn là asia? dùng một "
                         "trong các giá trị africa, ")
    assert said(got, 1, "digestibility") == [
        ("digestibility DE [%] must be between 0 and 100",
         "tỷ lệ tiêu hóa DE [%] phải nằm trong khoảng từ 0 đến 100")]


def test_manure_refusals_in_vietnamese():
    got = problems([{"category": "3.A.2", "activity": "swine", "amount": 100, "unit": "head",
                     "year": 2024, "manure_system": "solid_storage"}])
    assert said(got, 0, "temperature") == [(
        "annual average temperature required (Tier 1 CH4 factors depend on it)",
        "cần nhiệt độ trung bình năm (hệ số phát thải CH4 Bậc 1 phụ thuộc vào nhiệt độ)")]
    got = problems([{"category": "3.A.2", "activity": "swine", "amount": 100, "unit": "head",
                     "year": 2024, "manure_system": "solid_storage"}], guidelines="2019")
    en, vn = said(got, 0, "climate_zone")[0]
    assert en.startswith("climate zone required with guidelines='2019' (MCF of Table 10.17 "
                         "(Updated)); one of ")
    assert vn.startswith("cần vùng khí hậu khi dùng guidelines='2019' (MCF của Bảng 10.17 "
                         "(cập nhật)); một trong các giá trị ")


def test_cli_says_sector_problems_in_vietnamese(tmp_path: Path):
    text = ("facility_id,year,category,activity,amount,unit,site_type,climate_zone,doc,until\n"
            "L1,2020,4.A,food,1000,t,unmanaged_deep,tropical_wet,,2010\n"
            "L2,2020,4.A,food,1000,t,unmanaged_deep,tropical_wett,,\n")
    said = compute_problems(tmp_path, text, "vi")
    assert "sớm hơn năm chôn lấp" in said
    assert "không phải vùng khí hậu (Bảng 3.3) hợp lệ" in said
    assert "có phải ý bạn là tropical_wet" in said
    said = compute_problems(tmp_path, text)
    assert "earlier than the deposit year" in said
    assert "not a known climate zone (Table 3.3)" in said
