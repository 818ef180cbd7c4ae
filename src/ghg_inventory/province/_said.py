"""Helpers of the province's messages (:mod:`ghg_inventory.i18n.messages`): a list of
messages said as one, and the reason an error gives for another one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ghg_inventory.i18n.messages import Message, msg

#: The values an item of :func:`chain` is first made with (``msg(key, **ITEM, ...)``).
ITEM = {"sep": "", "more": ""}


def chain(items: Iterable[Message], sep: str = "; ") -> Message | str:
    """Messages said one after the other, ``sep`` between them, each in the language of
    the whole: the text of an item begins with ``{sep}`` and ends with ``{more}`` (the
    items after it); each is made with ``sep`` and ``more`` empty (:data:`ITEM`) and
    said again here in its place. ``""`` for no item.

    Examples
    --------
    >>> chain([msg("province.indicators.carrier_row", **ITEM, row=3, carrier="x"),
    ...        msg("province.indicators.carrier_row", **ITEM, row=5, carrier="y")], ", ")
    "row 3: 'x', row 5: 'y'"
    """
    said: Message | str = ""
    for i, item in reversed(list(enumerate(items))):
        said = msg(item.key, **{**item.fields, "sep": sep if i else "", "more": said})
    return said


def reason(exc: BaseException) -> Any:
    """What ``exc`` says, kept a message (said in the language of the message it is put
    in) when it is one."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)
