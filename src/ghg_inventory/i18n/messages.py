"""The library's own messages (errors, refusals, problems of input, warnings) in English and
Vietnamese, from the catalogue.

A message is made with :func:`msg` from a catalogue key and the values it names. What comes
back is a :class:`Message`: a ``str`` holding the English text, so that code and callers that
read messages as text (``str(exc)``, ``pytest.raises(match=...)``, logs) see what they always
saw, and that carries its key and values, so that the command line (or any caller) can say it
in Vietnamese with :func:`say`. A value that is itself a message is said in the same language.

The texts live in the catalogue files of the room whose code words them (``core.csv``,
``sectors.csv``, ``province.csv``, ``analysis.csv``, ``reporting.csv``; ``cli.csv`` for the
command line's own), keyed ``<room>.<module>.<name>`` (e.g. ``core.validation.unknown_activity``).
Numbers put in a text are written the way its language writes them (``1.234,5`` in Vietnamese)
when the text gives them a format (``{amount:,.1f}``).
"""

from __future__ import annotations

import numbers
import string
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ghg_inventory.errors import UnknownKeyError
from ghg_inventory.i18n import _catalogue, check_lang
from ghg_inventory.i18n.formatting import in_marks


class _Formatter(string.Formatter):
    """``str.format`` that writes numbers with the language's marks and says nested
    messages in the language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Alternatives):
            word = f" {_catalogue()['core.common.or'][self.lang]} "
            return format(word.join(self._items(value)), format_spec)
        if isinstance(value, Listing):
            return format(value.sep.join(self._items(value)), format_spec)
        if isinstance(value, Message):
            return format(value.in_lang(self.lang), format_spec)
        text = super().format_field(value, format_spec)
        is_number = isinstance(value, numbers.Number) and not isinstance(value, bool)
        return in_marks(text, self.lang) if is_number and format_spec else text

    def _items(self, values: Iterable[Any]) -> Iterator[str]:
        """Each value of a list, a message said in the language."""
        return (v.in_lang(self.lang) if isinstance(v, Message) else str(v) for v in values)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, Message):
            value = value.in_lang(self.lang)
        return super().convert_field(value, conversion)


_FORMATTERS = {lang: _Formatter(lang) for lang in ("vi", "en")}


class Alternatives(tuple[Any, ...]):
    """Values a message offers as choices: ``a or b or c`` in English, ``a hoặc b hoặc c``
    in Vietnamese (:func:`alternatives`)."""


def alternatives(values: Iterable[Any]) -> Alternatives:
    """``values`` as choices of a message, joined by the language's "or"."""
    return Alternatives(values)


class Listing(tuple[Any, ...]):
    """Values a message lists, joined by ``sep``, each a message said in the message's
    language (:func:`listing`)."""

    sep: str = ", "


def listing(values: Iterable[Any], sep: str = ", ") -> Listing:
    """``values`` (messages among them) as one value of a message, joined by ``sep``
    (``"\\n"`` for one a line), each said in the message's language."""
    out = Listing(values)
    out.sep = sep
    return out


class Message(str):
    """A message of the library: its English text, with the key and values to say it in
    another language (:meth:`in_lang`)."""

    key: str
    fields: Mapping[str, Any]

    def __new__(cls, key: str, /, **fields: Any) -> Message:
        text = _render(key, "en", fields)
        self = super().__new__(cls, text)
        self.key = key
        self.fields = fields
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        # pickled (a Dask worker's error) as its key and values, not its English text
        return (self.key,), dict(self.fields)

    def in_lang(self, lang: str) -> str:
        """The message in ``lang`` (``"vi"`` or ``"en"``)."""
        return _render(self.key, lang, self.fields)


def joined(parts: Iterable[Any], sep: str = "\n") -> Message:
    """``parts`` (messages or text) said one after another as one message, ``sep`` between
    them: the lines of a refusal, the parts of a note, the items of a list.

    Examples
    --------
    >>> said = joined([msg("core.validation.negative"), msg("core.validation.not_finite")],
    ...               "; ")
    >>> said
    'must be >= 0; must be finite'
    >>> say(said, "vi")
    'phải >= 0; phải là số hữu hạn'
    """
    return msg("core.common.listing", items=listing(parts, sep))


def reason(exc: BaseException) -> Any:
    """What ``exc`` says, to be put in another message: its :class:`Message` when it has
    one (said in the language of the message it is put in), its text otherwise."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


def _render(key: str, lang: str, fields: Mapping[str, Any]) -> str:
    check_lang(lang)
    try:
        text = _catalogue()[key][lang]
    except KeyError:
        raise UnknownKeyError(f"unknown message key {key!r}") from None
    return _FORMATTERS[lang].vformat(text, (), fields)


def msg(key: str, /, **fields: Any) -> Message:
    """The catalogue's message ``key`` with ``fields`` in its places.

    Parameters
    ----------
    key : str
        A catalogue key, ``<room>.<module>.<name>``.
    **fields
        The values the text names (``{file}``, ``{amount:,.1f}`` ...); a value may itself be
        a :class:`Message`.

    Returns
    -------
    Message
        A ``str`` holding the English text.

    Raises
    ------
    UnknownKeyError
        For a key the catalogue does not hold.
    KeyError
        For a value the text names but ``fields`` lacks (a fault of the caller's code).

    Examples
    --------
    >>> m = msg("core.common.where", where="fuel.csv row 3",
    ...         message=msg("core.validation.not_a_number"))
    >>> m
    'fuel.csv row 3: not a number'
    >>> say(m, "vi")
    'fuel.csv row 3: không phải là số'
    """
    return Message(key, **fields)


def say(what: object, lang: str) -> str:
    """``what`` in ``lang``: a :class:`Message` (or an exception whose message is one) in
    that language, anything else as ``str`` gives it (text the catalogue does not hold
    stays as written).

    Parameters
    ----------
    what : object
        A message, an exception, or any other value.
    lang : {"vi", "en"}
        The language.

    Returns
    -------
    str
    """
    if isinstance(what, BaseException) and len(what.args) == 1:
        what = what.args[0]
    if isinstance(what, Message):
        return what.in_lang(lang)
    return str(what)
