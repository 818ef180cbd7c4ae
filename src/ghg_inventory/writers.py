"""Writing tables to files: CSV, Parquet or Excel by extension, published whole and safe to
open in a spreadsheet.

Published whole
    A file is written under a unique temporary name in its own folder
    (:func:`tempfile.mkstemp`, ``<name>.<random>.partial``: two writers of one path never
    share it), flushed to disk (``fsync``), renamed over the final name (atomic on one file
    system) and the folder is flushed after the rename, so that the rename itself survives a
    power cut. A failure removes the temporary and leaves an earlier file under the final
    name untouched: a reader sees the old file or the new one, never part of one.
    :func:`atomic_paths` publishes several files together (an export and its ``.meta.json``).

Safe to open
    Text a spreadsheet would run is written as text. In a workbook every text cell is a
    string cell, never a formula (openpyxl, and pandas' ``to_excel`` through it, makes any
    ``str`` beginning with ``=`` a formula and ``"#N/A"`` an error cell; :func:`text_cells`
    turns them back into string cells, their text unchanged). In CSV, where a cell has no
    type, a text cell beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
    prefixed with a single quote, as OWASP's CSV-injection guidance says (:func:`csv_safe`);
    cells holding the separator, a quote or a line end are quoted by the CSV writer, so no
    cell can start a new one (a file with a carriage return in a text ends its lines with
    CR LF, RFC 4180's line break: Python's CSV writer quotes a lone CR only then). Number
    cells stay numbers, negative ones included: only text is touched. Parquet keeps every
    value as it is (no spreadsheet opens it).

    Which writers do this: :func:`write_table` (and so ``Inventory.export`` and every
    ``--out`` of the command line), the report's workbook
    (:func:`ghg_inventory.reporting.workbook.write_workbook`), Form 06
    (:func:`ghg_inventory.province.form06.write_form06`) and the facility template
    (:func:`ghg_inventory.province.template.write_template`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from ghg_inventory.errors import GHGInventoryError
from ghg_inventory.i18n.messages import msg

WRITERS = (".csv", ".parquet", ".pq", ".xlsx")

#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP, "CSV
#: Injection": equals, plus, minus, at, tab, carriage return).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What OWASP prefixes such a cell with: a spreadsheet then reads the cell as text.
CSV_ESCAPE = "'"

#: Cell types openpyxl gives a ``str`` that a spreadsheet would not show as written: a
#: formula (text beginning with "=") and an error value (text such as "#N/A").
_LIVE_TYPES = frozenset({"f", "e"})

#: Answers of ``fsync`` on a folder meaning "not supported here" (some file systems and
#: operating systems do not flush folders): skipped, the rename is done all the same.
_CANNOT_SYNC_FOLDER = frozenset({errno.EINVAL, errno.EBADF, errno.EACCES, errno.EPERM,
                                 errno.EISDIR, errno.ENOTSUP, errno.EOPNOTSUPP})

#: Renames of one process happen one publication at a time (other processes: the folder's
#: ``flock`` where the system has it), so that two exports of one path leave the data and
#: the meta of the same export.
_PUBLISHING = threading.Lock()

#: What ``pandas.api.types.infer_dtype`` calls a column that may hold text.
_TEXTUAL = frozenset({"string", "mixed", "mixed-integer"})

_HASH_CHUNK = 1 << 20  # bytes read at a time to hash a file


def write_table(frame: pd.DataFrame, path: str | Path,
                sheets: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write a table as CSV, Parquet or Excel by the file's extension.

    The file is published whole (:func:`atomic_path`): a failure never leaves a partial file
    under the final name. Text cells are written safe to open (see the module's notes):
    quoted in CSV where they begin with a formula character, string cells in Excel.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    path : str or pathlib.Path
        ``.csv``, ``.parquet`` (or ``.pq``) or ``.xlsx``.
    sheets : dict of str to pandas.DataFrame, optional
        Further sheets of an Excel file (the table's sheet is then named ``emissions``);
        ignored for the other types.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    GHGInventoryError
        For another extension, or a folder that cannot be written to.
    """
    path = Path(path)
    kind = table_kind(path)
    with atomic_path(path) as tmp:
        write_frame(frame, tmp, kind, sheets)
    return path


def table_kind(path: Path) -> str:
    """The output type of ``path`` (its lower-case suffix), refused if not a table type."""
    suffix = path.suffix.lower()
    if suffix not in WRITERS:
        raise GHGInventoryError(msg("core.writers.unknown_type", path=path, suffix=suffix))
    return suffix


def write_frame(frame: pd.DataFrame, file: Path, kind: str,
                sheets: dict[str, pd.DataFrame] | None = None) -> None:
    """Write ``frame`` to ``file`` as ``kind`` (a suffix of :data:`WRITERS`), text cells
    made safe; ``file`` is a temporary of :func:`atomic_path`, not published here."""
    if kind == ".csv":
        safe = csv_safe(frame)
        # Python's CSV writer (before 3.12) quotes a cell holding a line end only if the
        # line end is its own: a lone CR in an unquoted cell would start a new row (and the
        # text after it a new first cell) in a spreadsheet; with CR LF line ends it is quoted
        ends = "\r\n" if _holds(safe, "\r") else None
        # with a byte-order mark: Excel on Windows reads a CSV without one in the ANSI code
        # page and garbles Vietnamese names; pandas, DuckDB and the library's own readers
        # read the mark as what it is
        safe.to_csv(file, index=False, lineterminator=ends, encoding="utf-8-sig")
    elif kind in (".parquet", ".pq"):
        frame.to_parquet(file, index=False)
    else:
        with pd.ExcelWriter(file, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="data" if not sheets else "emissions",
                           index=False)
            for name, extra in (sheets or {}).items():
                extra.to_excel(writer, sheet_name=name, index=False)
            text_cells(writer.book)


# --- safe to open -------------------------------------------------------------------------


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and column name) that begins with a character of
    :data:`CSV_FORMULA_STARTS` prefixed with :data:`CSV_ESCAPE`, as OWASP's CSV-injection
    guidance says; numbers and other text unchanged.

    Column by column (categories on their categories), no loop over rows; the frame is not
    copied when nothing needs quoting.
    """
    changed = {}
    for name in frame.columns:
        column = frame[name]
        safe = _csv_safe_column(column)
        if safe is not column:
            changed[name] = safe
    names = [_quoted(n) if isinstance(n, str) else n for n in frame.columns]
    if not changed and names == list(frame.columns):
        return frame
    out = frame.assign(**changed) if changed else frame.copy(deep=False)
    out.columns = names
    return out


def _quoted(text: str) -> str:
    return CSV_ESCAPE + text if text.startswith(CSV_FORMULA_STARTS) else text


def _csv_safe_column(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = pd.Series(column.cat.categories, dtype=object)
        safe = _csv_safe_column(labels)
        if safe is labels:
            return column
        if not safe.duplicated().any():
            return column.cat.rename_categories(safe.tolist())
        # both "=x" and "'=x" are labels: quoted they would merge into one category
        column = column.astype(object)
    if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
        return column  # numbers, booleans, dates: no text to quote
    if pd.api.types.infer_dtype(column, skipna=True) not in _TEXTUAL:
        return column
    # non-text cells of a mixed column answer NA, then False: only text is quoted
    starts = column.str.startswith(CSV_FORMULA_STARTS).fillna(False).astype(bool)
    if not starts.any():
        return column
    out = column.astype(object)
    out[starts] = CSV_ESCAPE + column[starts].astype(str)
    return out


def _holds(frame: pd.DataFrame, char: str) -> bool:
    """Whether any text cell or column name of ``frame`` holds ``char``."""
    if any(isinstance(n, str) and char in n for n in frame.columns):
        return True
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = pd.Series(column.cat.categories, dtype=object)
        if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
            continue
        if pd.api.types.infer_dtype(column, skipna=True) not in _TEXTUAL:
            continue
        if column.str.contains(char, regex=False).fillna(False).astype(bool).any():
            return True
    return False


def text_cells(book: Any) -> None:
    """Make every text cell of an openpyxl workbook a string cell, its text unchanged.

    openpyxl types a ``str`` beginning with ``=`` as a formula and one such as ``"#N/A"``
    as an error; written so, a spreadsheet would run the formula (``=HYPERLINK(...)``) or
    show an error. The workbooks of this package hold no formulas of their own, so every
    such cell is text that came in as text. Call this last, before saving.
    """
    for sheet in book.worksheets:
        # the cells that exist (iter_rows would create the empty ones of a sparse sheet)
        for cell in sheet._cells.values():
            if cell.data_type in _LIVE_TYPES and isinstance(cell.value, str):
                cell.data_type = "s"


def save_workbook(book: Any, path: str | Path) -> Path:
    """Save an openpyxl workbook with its text cells as text (:func:`text_cells`), published
    whole (:func:`atomic_path`)."""
    path = Path(path)
    text_cells(book)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read a chunk at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- published whole ----------------------------------------------------------------------


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary file to write ``path`` under, published as ``path`` when the block ends
    without error.

    The temporary is unique (:func:`tempfile.mkstemp` in ``path``'s folder), so two writers
    of one path never write into each other's file; the last to finish wins, with its whole
    file. On leaving the block the file is flushed to disk, renamed over ``path`` and the
    folder flushed (skipped where the system cannot flush a folder). On an error the
    temporary is removed and an earlier ``path`` is left as it was.

    The published file gets the usual permissions (those of the file it replaces, or
    0666 less the umask), not mkstemp's owner-only ones.
    """
    with atomic_paths(path) as (tmp,):
        yield tmp


@contextmanager
def atomic_paths(*paths: str | Path) -> Iterator[tuple[Path, ...]]:
    """Temporary files for several paths, published together in the order given.

    As :func:`atomic_path` for each, with two more guarantees: nothing is published unless
    every file was written (an error removes all the temporaries), and the renames are
    done one after another in the order of ``paths``, under a lock, so that two
    publications of the same paths (threads of one process, or processes where the folder
    can be locked with ``flock``) never interleave. Put first the file a reader does not
    look for (a ``.meta.json``), last the one it does (the data): whoever finds the last
    finds the others beside it.
    """
    targets = [Path(p) for p in paths]
    temps: list[Path] = []
    published = 0
    try:
        for target in targets:
            temps.append(_reserve(target))
        yield tuple(temps)
        for tmp, target in zip(temps, targets, strict=True):
            _finish(tmp, target)
        folders = sorted({t.parent.resolve() for t in targets})
        with _PUBLISHING, _opened(folders) as opened:
            for _, fd in opened:
                _lock(fd)
            for tmp, target in zip(temps, targets, strict=True):
                os.replace(tmp, target)
                published += 1
            for folder, fd in opened:
                _sync_folder(folder, fd)
    finally:
        # a published name is another file's now: only the unpublished are removed
        for tmp in temps[published:]:
            tmp.unlink(missing_ok=True)


def _reserve(target: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f"{target.name}.",
                                    suffix=".partial")
    except OSError as exc:
        raise GHGInventoryError(msg("core.writers.cannot_write", target=target,
                                    folder=target.parent, reason=exc.strerror)) from None
    os.close(fd)
    return Path(name)


def _finish(tmp: Path, target: Path) -> None:
    """Flush ``tmp`` to disk and give it the permissions ``target`` has or would get."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_UMASK
    os.chmod(tmp, mode)
    # a writable handle: Windows flushes (``_commit``) only through one
    fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _opened(folders: list[Path]) -> Iterator[list[tuple[Path, int]]]:
    """The folders that can be opened, with a read-only descriptor each (POSIX; Windows
    opens no folder, which then is neither locked nor flushed)."""
    opened: list[tuple[Path, int]] = []
    try:
        for folder in folders:
            try:
                opened.append((folder, os.open(folder, os.O_RDONLY)))
            except OSError:
                continue
        yield opened
    finally:
        for _, fd in opened:
            os.close(fd)


def _lock(fd: int) -> None:
    """An exclusive ``flock`` on a folder, held until its descriptor is closed (no lock
    where the system or the file system has none: network shares may refuse)."""
    try:
        import fcntl
    except ImportError:
        return
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX)


def _sync_folder(folder: Path, fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno in _CANNOT_SYNC_FOLDER:
            return
        raise GHGInventoryError(msg("core.writers.cannot_sync", folder=folder,
                                    reason=exc.strerror)) from None


def _umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()
