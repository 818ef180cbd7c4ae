"""The library's own messages in English and Vietnamese (issue 21, item 2): the catalogue
holds every key the code asks for, both texts name the same values, and the command line
says a problem in the user's language."""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

from conftest import compute_problems
from ghg_inventory.errors import MissingFactorError, UnknownKeyError
from ghg_inventory.i18n import _catalogue
from ghg_inventory.i18n.messages import Message, alternatives, msg, say

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "ghg_inventory"
ROOMS = ("core", "sectors", "province", "analysis", "reporting")


def _keys_asked_for() -> dict[str, list[str]]:
    """Every literal key passed to ``msg(...)`` in the package, with where it is asked."""
    found: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "msg" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                found.setdefault(node.args[0].value, []).append(
                    f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_the_code_asks_for_is_in_the_catalogue():
    asked = _keys_asked_for()
    assert asked, "no msg(...) call found: the scan is broken"
    missing = {k: where for k, where in asked.items() if k not in _catalogue()}
    assert not missing, f"keys asked for but not in i18n/*.csv: {missing}"


def test_every_message_key_is_used():
    asked = _keys_asked_for()
    catalogue = [k for k in _catalogue() if k.split(".")[0] in ROOMS]
    unused = [k for k in catalogue if k not in asked and not k.startswith("core.common.")]
    assert not unused, f"catalogue keys no code asks for: {unused}"


def test_both_languages_name_the_same_values():
    for key, texts in _catalogue().items():
        if key.split(".")[0] not in ROOMS:  # labels (a date's parts may differ by language)
            continue
        assert _fields(texts["en"]) == _fields(texts["vi"]), key
        words = "".join(literal for literal, *_ in string.Formatter().parse(texts["en"]))
        assert texts["vi"] != texts["en"] or not any(c.isalpha() for c in words), \
            f"{key}: the Vietnamese text is the English"


def test_a_message_reads_as_its_english_text():
    m = msg("core.validation.year_outside", lo=1990, hi=2100)
    assert isinstance(m, str) and m == "outside 1990-2100"
    assert say(m, "vi") == "ngoài khoảng 1990-2100"
    assert say(m, "en") == "outside 1990-2100"
    assert say("plain text", "vi") == "plain text"


def test_nested_messages_and_choices_are_said_in_the_language():
    inner = msg("core.validation.unknown_activity_near", method="stationary_combustion",
                near=alternatives(["gas_diesel_oil", "biodiesels"]))
    outer = msg("core.common.where", where="f.csv row 2", message=inner)
    assert "gas_diesel_oil or biodiesels" in outer
    vi = say(outer, "vi")
    assert vi.startswith("f.csv row 2: không phải hoạt động của phương pháp stationary_combustion")
    assert "gas_diesel_oil hoặc biodiesels" in vi
    # a message among the choices is said in the language too
    either = msg("core.common.where", where="x",
                 message=alternatives([msg("core.validation.negative"), "0"]))
    assert either == "x: must be >= 0 or 0"
    assert say(either, "vi") == "x: phải >= 0 hoặc 0"


def test_an_error_carrying_a_message_is_said_in_the_language():
    exc = MissingFactorError(msg("core.validation.negative"))
    assert str(exc) == "must be >= 0"
    assert say(exc, "vi") == "phải >= 0"


def test_a_message_survives_pickling_as_its_key():
    # a Dask worker's error travels pickled
    m = msg("core.validation.year_outside", lo=1990, hi=2100)
    back = pickle.loads(pickle.dumps(m))
    assert isinstance(back, Message) and back.key == m.key and back == m
    assert say(back, "vi") == "ngoài khoảng 1990-2100"


def test_numbers_with_a_format_take_the_language_marks(monkeypatch: pytest.MonkeyPatch):
    catalogue = dict(_catalogue())
    catalogue["core.test.amount"] = {"en": "{amount:,.1f} t", "vi": "{amount:,.1f} tấn"}
    monkeypatch.setattr("ghg_inventory.i18n.messages._catalogue", lambda: catalogue)
    m = msg("core.test.amount", amount=12345.67)
    assert m == "12,345.7 t"
    assert say(m, "vi") == "12.345,7 tấn"


def test_an_unknown_key_or_a_missing_value_is_refused():
    with pytest.raises(UnknownKeyError, match="no.such.key"):
        msg("no.such.key")
    with pytest.raises(KeyError):
        msg("core.validation.year_outside", lo=1990)


def test_cli_says_the_problem_itself_in_vietnamese(tmp_path: Path):
    text = "facility_id,year,category,activity,amount,unit\nF1,2023,1.A.4.a,disel,-5,t\n"
    said = compute_problems(tmp_path, text, "vi")
    assert "phải >= 0" in said
    assert "có phải ý bạn là gas_diesel_oil" in said
    said = compute_problems(tmp_path, text)
    assert "must be >= 0" in said and "did you mean gas_diesel_oil" in said
