"""One Vietnamese word for one thing (docs/glossary-vi.md): no catalogue text says a concept
with a variant the glossary rejected ("bản Hiệu chỉnh 2019" for the 2019 Refinement, "dữ liệu
hoạt động" for activity data ...), and the glossary page names every variant this test
rejects, so that the two cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ghg_inventory.i18n import _catalogue

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary-vi.md"

#: rejected variant -> the word the glossary settled on
REJECTED = {
    "bản Hiệu chỉnh 2019": "Bản hoàn thiện 2019",
    "bản tinh chỉnh 2019": "Bản hoàn thiện 2019",
    "Bản sửa đổi 2019": "Bản hoàn thiện 2019",
    "dữ liệu hoạt động": "số liệu hoạt động",
    "yếu tố phát thải": "hệ số phát thải",
    "nhân tố phát thải": "hệ số phát thải",
    "độ bất định": "độ không chắc chắn",
    "độ không đảm bảo": "độ không chắc chắn",
    "hạng mục chính": "nguồn phát thải chính",
    "nguồn chủ chốt": "nguồn phát thải chính",
    "kho lưu trữ": "kho báo cáo",
    "bản nộp": "lần nộp",
    "xã, phường": "xã/phường",
    "phường/xã": "xã/phường",
    "Mẫu 06": "Mẫu số 06",
    "biểu mẫu 06": "Mẫu số 06",
}


def _said(variant: str) -> re.Pattern[str]:
    """``variant`` as a whole phrase, any case ("Dữ liệu hoạt động" at a sentence's start
    too), not inside a longer word."""
    return re.compile(r"(?<!\w)" + re.escape(variant) + r"(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize("variant", sorted(REJECTED))
def test_no_catalogue_text_uses_a_rejected_variant(variant: str):
    found = [key for key, texts in _catalogue().items() if _said(variant).search(texts["vi"])]
    assert not found, f"{variant!r} in {found}: say {REJECTED[variant]!r} (docs/glossary-vi.md)"


def test_the_detector_sees_a_variant():
    assert _said("bản Hiệu chỉnh 2019").search("2006 hoặc 2019 (bản hiệu chỉnh 2019).")
    assert not _said("Mẫu 06").search("Mẫu số 06 của Nghị định 06/2022/NĐ-CP")


def test_the_glossary_names_every_rejected_variant_and_its_choice():
    page = GLOSSARY.read_text(encoding="utf-8")
    for variant, chosen in REJECTED.items():
        assert variant in page, variant
        assert chosen in page, chosen


def test_the_chosen_words_are_the_catalogues():
    vi = " ".join(texts["vi"] for texts in _catalogue().values()).lower()
    for chosen in set(REJECTED.values()):
        assert chosen.lower() in vi, chosen
