"""Words in Vietnamese and English, as data: the labels of the report, its workbook and Form 06.

The catalogue is the CSV files beside this module, one per document (``report.csv``,
``form06.csv``; the command line's messages will join as ``cli.csv``), each with the columns
``key``, ``en`` and ``vi``. A key is ``<document>.<name>``: the document is the file's name,
so a key says where it lives, and the name may itself be grouped with dots
(``form06.heading.III.3``, ``form06.sheet.I``, ``form06.field.tax_code``). Texts hold
``str.format`` fields such as ``{year}`` where the writer puts a value.

A translator edits the CSV files only; the writers ask for a key (:func:`label`) or a group
of keys (:func:`labels`). An unknown key or language is an error
(:class:`~ghg_inventory.errors.UnknownKeyError`), never an empty or English label.

Numbers are written the way each language writes them by
:func:`ghg_inventory.i18n.formatting.format_number`.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from ghg_inventory.errors import GHGInventoryError, UnknownKeyError

#: The languages of the catalogue: Vietnamese first (the language of submission), English.
LANGS = ("vi", "en")

_COLUMNS = ["key", "en", "vi"]


def check_lang(lang: str) -> str:
    """``lang`` if the catalogue has it.

    Raises
    ------
    UnknownKeyError
        If ``lang`` is not ``"vi"`` or ``"en"``.
    """
    if lang not in LANGS:
        raise UnknownKeyError(f"unknown language {lang!r}; use 'vi' (Vietnamese) or 'en' "
                              "(English)")
    return lang


def label(key: str, lang: str, **fields: object) -> str:
    """The text of ``key`` in ``lang``, with ``fields`` put in its ``{...}`` places.

    Parameters
    ----------
    key : str
        A catalogue key, ``<document>.<name>`` (e.g. ``"report.title"``).
    lang : {"vi", "en"}
        The language.
    **fields
        Values of the text's format fields (e.g. ``year=2023``); without any, the text is
        returned as it stands, its fields unfilled.

    Returns
    -------
    str

    Raises
    ------
    UnknownKeyError
        For an unknown key or language.

    Examples
    --------
    >>> label("report.title", "en", year=2023)
    'Greenhouse-gas inventory report 2023'
    """
    check_lang(lang)
    try:
        text = _catalogue()[key][lang]
    except KeyError:
        raise UnknownKeyError(f"unknown label key {key!r}") from None
    return text.format(**fields) if fields else text


def labels(lang: str, prefix: str) -> dict[str, str]:
    """Every text whose key starts with ``prefix``, by the rest of its key, in catalogue order.

    Parameters
    ----------
    lang : {"vi", "en"}
        The language.
    prefix : str
        The start of the keys, e.g. ``"form06.sheet."``.

    Returns
    -------
    dict of str to str
        ``{"I": "I. Thông tin cơ sở", ...}`` for ``labels("vi", "form06.sheet.")``.

    Raises
    ------
    UnknownKeyError
        For an unknown language, or a prefix no key starts with.
    """
    check_lang(lang)
    found = {key[len(prefix):]: texts[lang] for key, texts in _catalogue().items()
             if key.startswith(prefix)}
    if not found:
        raise UnknownKeyError(f"no label key starts with {prefix!r}")
    return found


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    """Every CSV file of the package, read and checked once."""
    out: dict[str, dict[str, str]] = {}
    files = sorted((f for f in resources.files(__name__).iterdir() if f.name.endswith(".csv")),
                   key=lambda f: f.name)
    for file in files:
        document = file.name.removesuffix(".csv")
        reader = csv.reader(io.StringIO(file.read_text(encoding="utf-8")))
        header = next(reader, None)
        if header != _COLUMNS:
            raise GHGInventoryError(f"{file.name}: the columns must be {_COLUMNS}, "
                                    f"not {header}")
        for line, row in enumerate(reader, start=2):
            # a catalogue fault is the package's own: name the file and line to mend
            where = f"{file.name} line {line}"
            if len(row) != len(_COLUMNS) or not all(row):
                raise GHGInventoryError(f"{where}: a key and both texts are needed, got {row}")
            key, en, vi = row
            if not key.startswith(document + "."):
                raise GHGInventoryError(f"{where}: key {key!r} must start with {document!r}.")
            if key in out:
                raise GHGInventoryError(f"{where}: key {key!r} given twice")
            out[key] = {"en": en, "vi": vi}
    return out
