"""The language of the command line's messages, tables and ``--help``: English or
Vietnamese, from the catalogue the reports use (``ghg_inventory/i18n/cli.csv``).

Chosen, first that says: ``--lang vi|en`` on the command line, the setting
``GHG_INVENTORY_LANG``, then the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: one starting
with ``vi`` is Vietnamese); English otherwise. The ``--help`` texts are fixed when the
command line is built, so they take the language from the program's arguments
(:func:`startup_lang`); messages take it from the command being run (:func:`current`).

Imports here are the standard library and typer only (``--help`` answers at once).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

#: Where the group's ``--lang`` waits for its command (click's ``meta``).
LANG_KEY = "ghg_inventory.lang"

#: The running command's language (None: the environment's), output format and the number
#: of CSV tables it has printed.
_RUNNING: ContextVar[dict[str, Any] | None] = ContextVar("ghg_inventory_cli", default=None)


@contextmanager
def running(lang: str | None, fmt: str = "table") -> Iterator[dict[str, Any]]:
    """The language and output format of the command run inside."""
    state = {"lang": lang, "format": fmt, "csv_tables": 0}
    token = _RUNNING.set(state)
    try:
        yield state
    finally:
        _RUNNING.reset(token)


def state() -> dict[str, Any]:
    """The running command's state (a fresh one outside any)."""
    return _RUNNING.get() or {"lang": None, "format": "table", "csv_tables": 0}


def from_environment(env: Mapping[str, str] | None = None) -> str | None:
    """``"vi"`` or ``"en"`` as the environment says (``GHG_INVENTORY_LANG``, then the
    locale), None when it says nothing."""
    env = os.environ if env is None else env
    for name in ("GHG_INVENTORY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip().lower()
        if value:
            return "vi" if value.startswith("vi") else "en"
    return None


def from_argv(argv: Sequence[str]) -> str | None:
    """The language of a ``--lang vi`` or ``--lang=vi`` among ``argv`` (None without)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        else:
            continue
        if value.strip().lower() in ("vi", "en"):
            return value.strip().lower()
    return None


def startup_lang(argv: Sequence[str] | None = None,
                 env: Mapping[str, str] | None = None) -> str:
    """The language ``--help`` is written in: the arguments', the environment's, or
    English."""
    return from_argv(sys.argv[1:] if argv is None else argv) or from_environment(env) or "en"


def current() -> str:
    """The language of the command being run: its ``--lang``, else the environment's, else
    English."""
    return state()["lang"] or from_environment() or "en"


def output_format() -> str:
    """``table``, ``csv`` or ``json``: the ``--format`` of the command being run."""
    return str(state()["format"])


def t(key: str, lang: str | None = None, /, **fields: object) -> str:
    """The catalogue text ``cli.<key>`` in the command's language, its fields filled."""
    text = _texts()[f"cli.{key}"][lang or current()]
    return text.format(**fields) if fields else text


def has(key: str) -> bool:
    """Whether the catalogue holds ``cli.<key>``."""
    return f"cli.{key}" in _texts()


@functools.cache
def _texts() -> dict[str, dict[str, str]]:
    """``i18n/cli.csv``, the command line's part of the catalogue
    (:mod:`ghg_inventory.i18n`, which checks it), read with the standard library only:
    ``--help`` is built before pandas is imported."""
    import csv
    import io
    from importlib import resources

    # the package itself, not ghg_inventory.i18n (whose import brings pandas)
    text = resources.files("ghg_inventory").joinpath("i18n", "cli.csv").read_text("utf-8")
    return {key: {"en": en, "vi": vi} for key, en, vi in list(csv.reader(io.StringIO(text)))[1:]}


def bad(message: str, param_hint: str | None = None, lang: str | None = None) -> Exception:
    """A usage error (click's ``BadParameter``) whose frame, "Invalid value for --x: ...",
    is in ``lang`` (the running command's language by default, fixed now: click shows it
    after the command has returned)."""
    import typer

    said = lang or current()

    class BadValue(typer.BadParameter):
        def format_message(self) -> str:
            hint = self.param_hint
            if hint is None and self.param is not None:
                hint = self.param.get_error_hint()
            if not hint:
                return t("bad.invalid_value", said, message=self.message)
            if not isinstance(hint, str):
                hint = " / ".join(hint)
            return t("bad.invalid", said, hint=hint, message=self.message)

    return BadValue(message, param_hint=param_hint)


def check(lang: str) -> str:
    """``lang`` if it is ``vi`` or ``en``; a usage error otherwise."""
    said = from_environment() or "en"
    value = str(lang).strip().lower()
    if value not in ("vi", "en"):
        raise bad(t("bad.lang", said, lang=lang), "--lang", said)
    return value
