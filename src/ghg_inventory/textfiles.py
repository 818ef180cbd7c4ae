"""Text tables as an editor shows them: CSV cells as written, and the line of each record.

Every reader of a CSV table whose problems name a line (factor tables, the provincial
office's small tables) reads it here, so that a message's line is the line a person finds.

Files from outside are read with care (:func:`decode_text`, :func:`sniff_separator`,
:class:`ReadLimits`): a file not saved as UTF-8 (Windows-1258 or Windows-1252, as Excel
writes a CSV on a Vietnamese or Western Windows) is read in the encoding it was written in,
with a :class:`EncodingNote` warning naming it, or refused with "save the file as UTF-8"
when the encoding cannot be told for sure: never decoded wrongly in silence. A ``;`` or tab
separated file (Excel's CSV where the decimal sign is a comma) is read with its separator.
Files above the size limits of :class:`ReadLimits` are refused before they are parsed.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n.messages import alternatives, joined, msg

#: Bytes in a mebibyte (the unit the size limits are written in).
MIB = 1 << 20

#: The environment variable that raises (or lowers) the limits of :class:`ReadLimits` for
#: every reader at once, e.g. ``GHG_READ_LIMITS="max_rows=2000000,max_unzipped_mib=4096"``.
LIMITS_VARIABLE = "GHG_READ_LIMITS"


@dataclass(frozen=True)
class ReadLimits:
    """How big a file from outside may be before it is refused unread.

    A workbook is a zip archive of XML: a few kilobytes can unpack to gigabytes (a zip
    bomb), and one cell at row 1,048,576 makes a reader walk a million empty rows. The
    defaults fit a facility's or a province's workbook with room to spare; a national file
    above them is read after raising the limit, either per call (``read_activities(...,
    limits=ReadLimits(max_rows=2_000_000))``) or for every reader and the CLI at once with
    the environment variable ``GHG_READ_LIMITS`` (comma-separated ``name=value`` pairs of
    the fields below, e.g. ``GHG_READ_LIMITS="max_rows=2000000,max_unzipped_mib=4096"``).

    Attributes
    ----------
    max_file_mib : float
        A workbook's size on disk (compressed). [MiB]
    max_unzipped_mib : float
        The total size of a workbook's parts once unzipped (the sizes its zip directory
        records, checked before anything is unpacked). [MiB]
    max_sheets : int
        Worksheets in a workbook. [-]
    max_rows : int
        Rows of a worksheet, counted to its last row (the dimension is read from the
        sheet's XML before any cell is). [-]
    max_columns : int
        Columns of a worksheet, or of a CSV file (counted on its header line before the
        file is parsed). [-]
    """

    max_file_mib: float = 100
    max_unzipped_mib: float = 512
    max_sheets: int = 100
    max_rows: int = 200_000
    max_columns: int = 1_000

    @classmethod
    def from_env(cls) -> ReadLimits:
        """The default limits, changed by ``GHG_READ_LIMITS`` where it is set."""
        setting = os.environ.get(LIMITS_VARIABLE, "").strip()
        if not setting:
            return cls()
        names = {f.name: f.type for f in dataclasses.fields(cls)}
        values: dict[str, float | int] = {}
        for pair in filter(None, (p.strip() for p in setting.split(","))):
            name, _, value = pair.partition("=")
            name = name.strip()
            reason: str | None = None
            if name not in names:
                reason = msg("core.textfiles.unknown_limit", name=name, known=", ".join(names))
            else:
                try:
                    number = float(value)
                except ValueError as exc:
                    reason = str(exc)
                else:
                    if not number > 0:
                        reason = msg("core.textfiles.limit_above_zero")
            if reason is not None:
                raise GHGInventoryError(msg("core.textfiles.bad_limits", variable=LIMITS_VARIABLE,
                                            setting=setting, pair=pair, reason=reason))
            values[name] = number if names[name] == "float" else int(number)
        return cls(**values)  # type: ignore[arg-type]

    def refuse(self, label: str, what: str, name: str) -> GHGInventoryError:
        """The refusal of a file above one limit, saying how to raise it; ``what`` says
        what was found (a message such as ``the header line has 1,200 columns``)."""
        limit = getattr(self, name)
        said = dict(label=label, what=what, limit=limit, name=name, variable=LIMITS_VARIABLE)
        return GHGInventoryError(msg("core.textfiles.above_limit_mib", **said)
                                 if name.endswith("_mib") else
                                 msg("core.textfiles.above_limit", **said))


def as_limits(limits: ReadLimits | None) -> ReadLimits:
    """``limits`` or, for None, the defaults as ``GHG_READ_LIMITS`` sets them."""
    return ReadLimits.from_env() if limits is None else limits


class EncodingNote(UserWarning):
    """A text file was not UTF-8 and was read in the encoding named in the message."""


#: Windows code pages a CSV from a Vietnamese or Western office is saved in when not UTF-8,
#: with the names messages use.
LEGACY_ENCODINGS = {"cp1258": "Windows-1258 (Vietnamese)", "cp1252": "Windows-1252 (Western)"}

#: Windows-1258 writes Vietnamese tones as combining marks after the vowel (grave, acute,
#: tilde, hook above, dot below); in Windows-1252 the same bytes are the letters
#: Ì ì Ò Þ ò.
_TONE_BYTES = re.compile(rb"[\xcc\xec\xd2\xde\xf2]")
_TONE_AFTER_VOWEL = re.compile(
    rb"[aeiouyAEIOUY\xe2\xea\xf4\xf5\xfd\xe3\xc2\xca\xd4\xd5\xdd\xc3][\xcc\xec\xd2\xde\xf2]")
#: Control characters no text table holds (tab, line feed and carriage return aside).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(data: bytes, label: str) -> tuple[str, str]:
    """The text of a file's bytes, and the encoding it was read in.

    UTF-8 (with or without a byte-order mark) is read as it is. Otherwise the encoding is
    detected (``charset-normalizer``) and the file read as Windows-1258 or Windows-1252
    only when the bytes say which: Windows-1258 writes every tone as a combining mark
    right after a vowel, so a tone byte after anything else rules it out, and a tone
    byte after a vowel rules out Windows-1252 (where it would be a second accented
    vowel). Windows-1258 text is returned composed (NFC), as UTF-8 files write Vietnamese.

    Raises
    ------
    GHGInventoryError
        Bytes that are no text, or whose encoding cannot be told for sure: "save the file
        as UTF-8", naming the file.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    save = msg("core.textfiles.save_utf8")
    from charset_normalizer import from_bytes

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 says so (Excel's "Unicode text")
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            if not _CONTROL.search(text):
                return text, "utf-16"
    # no byte-order mark: UTF-16 is never guessed (it would read any bytes as some text)
    best = from_bytes(data).best()
    guess = None if best is None else best.encoding
    readings = {}
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            readings[encoding] = unicodedata.normalize("NFC", text)
    if guess is None or not readings:
        raise GHGInventoryError(msg("core.textfiles.not_text", label=label,
                                    byte=f"{data[first_bad]:#04x}", position=first_bad,
                                    save=save))
    if "cp1258" in readings and len(_TONE_BYTES.findall(data)) != len(
            _TONE_AFTER_VOWEL.findall(data)):
        del readings["cp1258"]  # a tone mark after no vowel: not Vietnamese Windows-1258
    if len(readings) == 2 and _TONE_AFTER_VOWEL.search(data):
        del readings["cp1252"]  # a vowel then a second accented vowel: the 1258 tones
    texts = set(readings.values())
    if len(texts) != 1:
        names = (alternatives(LEGACY_ENCODINGS[e] for e in readings) if readings
                 else f"{guess}?")
        raise GHGInventoryError(msg("core.textfiles.encoding_unsure", label=label,
                                    encodings=names, save=save))
    encoding = "cp1258" if "cp1258" in readings else next(iter(readings))
    if len(readings) == 2:
        encoding = "cp1252"  # the same text in both: name the common one
    return texts.pop(), encoding


def read_text(path: Path, label: str | None = None) -> str:
    """A text file's content in the encoding it was written in (:func:`decode_text`); a
    file not in UTF-8 is read with an :class:`EncodingNote` warning naming its encoding."""
    label = label or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GHGInventoryError(msg("core.textfiles.cannot_read", label=label,
                                    reason=str(exc))) from exc
    text, encoding = decode_text(data, label)
    if encoding != "utf-8":
        warnings.warn(msg("core.textfiles.read_as", label=label,
                          encoding=LEGACY_ENCODINGS.get(encoding, encoding)),
                      EncodingNote, stacklevel=3)
    return text


#: Separators a CSV table is written with (Excel writes ``;`` where the decimal sign is a
#: comma, as in Vietnam), in order of preference when a header line holds several equally.
SEPARATORS = (",", ";", "\t", "|")


def sniff_separator(text: str) -> str:
    """The separator of a CSV text: the one that splits its header line (the first line
    that is neither blank nor a ``#`` comment) into the most cells (``,`` by default)."""
    line = next((ln for ln in io.StringIO(text)
                 if ln.strip() and not ln.lstrip().startswith("#")), "")
    counts = {sep: len(next(csv.reader([line], delimiter=sep), [])) for sep in SEPARATORS}
    return max(SEPARATORS, key=lambda sep: (counts[sep], -SEPARATORS.index(sep)))


def check_columns(text: str, separator: str, label: str, limits: ReadLimits) -> None:
    """Refuse a CSV text whose header line has more columns than ``limits.max_columns``
    (counted before the file is parsed: thousands of columns take minutes downstream)."""
    line = next((ln for ln in io.StringIO(text)
                 if ln.strip() and not ln.lstrip().startswith("#")), "")
    found = line.count(separator) + 1  # an upper bound: a quoted cell may hold a separator
    if found > limits.max_columns:
        found = len(next(csv.reader([line], delimiter=separator), []))
        if found > limits.max_columns:
            raise limits.refuse(label, msg("core.textfiles.header_columns", count=found),
                                "max_columns")


def read_csv_text(path: Path, label: str | None = None, *,
                  limits: ReadLimits | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """A CSV table as text cells, and the line each record starts on as an editor numbers it.

    Whole lines starting with ``#`` are comments (counted, not read); a ``#`` inside a cell is
    text (pandas' ``comment="#"`` would cut a reference such as ``Table #3`` short, and its
    record positions would not be the lines an editor shows). A quoted cell may span lines:
    a record's line is the one it starts on. Blank lines are passed over. A file not in
    UTF-8 is read in its encoding with an :class:`EncodingNote` warning, or refused
    (:func:`decode_text`); the separator (``,``, ``;``, tab) is the header line's
    (:func:`sniff_separator`).

    Parameters
    ----------
    path : Path
    label : str, optional
        How messages name the file (default: its name).
    limits : ReadLimits, optional
        The most columns a header may have (default: :meth:`ReadLimits.from_env`).

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        Text cells (``object``; empty cells are ``""``) under the header's column names,
        and the line of each record.

    Raises
    ------
    GHGInventoryError
        A file that cannot be read, has no header, or a record with more cells than
        columns (naming its line).
    """
    label = label or path.name
    text = read_text(path, label)
    separator = sniff_separator(text)
    check_columns(text, separator, label, as_limits(limits))
    physical = text.splitlines(keepends=True)
    kept = [(number, line) for number, line in enumerate(physical, start=1)
            if not line.lstrip().startswith("#")]
    reader = csv.reader((line for _, line in kept), delimiter=separator)
    records: list[list[str]] = []
    starts: list[int] = []
    consumed = 0
    try:
        for record in reader:
            start = kept[consumed][0]
            consumed = reader.line_num
            if record and any(cell.strip() for cell in record):
                records.append(record)
                starts.append(start)
    except csv.Error as exc:
        raise GHGInventoryError(msg(
            "core.textfiles.cannot_read_table", label=label,
            line=kept[consumed][0] if consumed < len(kept) else "?", reason=str(exc))
        ) from exc
    if not records:
        raise GHGInventoryError(msg("core.textfiles.no_header", label=label))
    header, body = records[0], records[1:]
    too_long = [(starts[i + 1], len(r)) for i, r in enumerate(body) if len(r) > len(header)]
    if too_long:
        raise GHGInventoryError(msg("core.common.where", where=label, message=joined(
            [msg("core.textfiles.too_many_cells", line=line, cells=n, columns=len(header))
             for line, n in too_long], "; ")))
    frame = pd.DataFrame([r + [""] * (len(header) - len(r)) for r in body], columns=header,
                         dtype=object)
    return frame, np.asarray(starts[1:], dtype=np.int64)
