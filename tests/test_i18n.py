"""The label catalogue (i18n/*.csv) and number formatting per language."""

from __future__ import annotations

import pytest

from ghg_inventory.errors import UnknownKeyError
from ghg_inventory.i18n import LANGS, check_lang, label, labels
from ghg_inventory.i18n.formatting import format_number


def test_a_label_in_both_languages_with_its_fields():
    assert label("report.title", "en", year=2023) == "Greenhouse-gas inventory report 2023"
    assert label("report.title", "vi", year=2023) == "Báo cáo kiểm kê khí nhà kính năm 2023"


def test_every_key_has_a_text_in_every_language():
    for document in ("report.", "form06."):
        keys = {lang: set(labels(lang, document)) for lang in LANGS}
        assert keys["vi"] == keys["en"] and keys["vi"]
        for lang in LANGS:
            assert all(text.strip() for text in labels(lang, document).values())


@pytest.mark.parametrize("call", [
    lambda: label("report.no_such_label", "vi"),
    lambda: label("report.title", "fr", year=2023),
    lambda: labels("en", "nothing."),
    lambda: check_lang("fr"),
])
def test_unknown_keys_and_languages_are_refused(call):
    with pytest.raises(UnknownKeyError):
        call()


def test_numbers_are_written_as_each_language_writes_them():
    # Vietnamese: thousands point, decimal comma; English the other way round
    assert format_number(724_991.4, "vi") == "724.991,4"
    assert format_number(724_991.4, "en") == "724,991.4"
