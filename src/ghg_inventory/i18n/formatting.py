"""Numbers written the way each language writes them: the report's tables and charts, and any
other text that shows a number to a reader (a workbook keeps its numbers as numbers)."""

from __future__ import annotations

import math

from ghg_inventory.i18n import check_lang

#: Vietnamese marks: "." groups thousands, "," marks decimals (the English ones swapped).
_SWAP_MARKS = str.maketrans(",.", ".,")


def in_marks(text: str, lang: str) -> str:
    """A number written with English marks (``1,234.5``), in the marks of ``lang``
    (``1.234,5`` in Vietnamese)."""
    return text.translate(_SWAP_MARKS) if lang == "vi" else text


def format_number(value: float, lang: str, decimals: int = 1) -> str:
    """A number written the way ``lang`` writes it.

    Vietnamese groups thousands with a dot and marks decimals with a comma (``1.234,5``);
    English the other way round (``1,234.5``).

    Parameters
    ----------
    value : float
        The number.
    lang : {"vi", "en"}
        Language of the text.
    decimals : int, default 1
        Digits after the decimal mark.

    Returns
    -------
    str
        The formatted number; ``"–"`` for NaN or infinity (a missing value, not a zero).

    Raises
    ------
    UnknownKeyError
        If ``lang`` is not ``"vi"`` or ``"en"`` (a ``GHGInventoryError`` too).

    Examples
    --------
    >>> format_number(1234.5, "vi")
    '1.234,5'
    >>> format_number(1234.5, "en")
    '1,234.5'
    """
    check_lang(lang)
    value = float(value)
    if not math.isfinite(value):
        return "–"
    text = f"{value:,.{max(int(decimals), 0)}f}"
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # a value that rounds to zero is not shown as "-0,0"
    return in_marks(text, lang)
