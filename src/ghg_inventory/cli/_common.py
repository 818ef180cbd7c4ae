"""What the commands share: the helpers that read the declared number format and
``key=value`` options, turn activity files into an inventory, the package's errors into exit
status 2 and a frame into a terminal table.

Imports here are typer and the standard library only; the library and rich come inside the
functions, so that ``ghg-inventory --help`` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def _number_format(decimal: str | None, thousands: str | None) -> Any:
    """The declared number format of --decimal/--thousands (None when neither is given)."""
    if decimal is None and thousands is None:
        return None
    from ghg_inventory.errors import GHGInventoryError
    from ghg_inventory.numbers import NumberFormat

    try:
        return NumberFormat(decimal=decimal or ".", thousands=thousands)
    except GHGInventoryError as exc:
        from ghg_inventory.cli._lang import bad, current
        from ghg_inventory.i18n.messages import say

        raise bad(say(exc, current())) from None


def _pairs(text: str) -> dict[str, float]:
    """``key=value,key=value`` of an option (percentages, shares, parameters) as a dict."""
    out = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = item.rpartition("=")
        if not key:
            from ghg_inventory.cli._lang import bad, t

            raise bad(t("bad.pair", item=item))
        try:
            out[key.strip()] = float(value)
        except ValueError:  # a usage error in the command's language, not a traceback
            from ghg_inventory.cli._lang import bad, t

            raise bad(t("bad.pair_number", item=item)) from None
    return out


#: Above this many input bytes a progress bar is shown.
_PROGRESS_BYTES = 5_000_000


def _run(files: list[Path], gwp: str, factors: list[Path] | None, guidelines: str,  # type: ignore[no-untyped-def]
         number_format: Any = None):
    """The inventory of ``files`` (a progress bar on standard error for big inputs); the
    package's errors exit 2, see `_guarded`."""
    from rich.console import Console
    from rich.progress import Progress

    from ghg_inventory.api import compute
    from ghg_inventory.cli._lang import t

    big = sum(f.stat().st_size for f in files if f.exists()) > _PROGRESS_BYTES

    def run():  # type: ignore[no-untyped-def]
        if big:
            with Progress(console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task(t("progress.computing"), total=None)

                def tick(stage: str, done: int, total: int) -> None:
                    bar.update(task, description=stage, completed=done, total=total)

                return compute(files, factors=factors or None, gwp=gwp, guidelines=guidelines,
                               progress=tick, number_format=number_format)
        return compute(files, factors=factors or None, gwp=gwp, guidelines=guidelines,
                       number_format=number_format)
    from ghg_inventory.factor_sets import mark_provisional

    inventory = _guarded(run)
    mark_provisional(inventory.meta)  # exports' meta say it, beside the warning
    return inventory


def _inventory(files: list[Path], gwp: str, factors: list[Path] | None,  # type: ignore[no-untyped-def]
               decimal: str | None, thousands: str | None, guidelines: str = "2006"):
    """The inventory of a command's activity files, their numbers written as text read under
    its --decimal/--thousands."""
    return _run(files, gwp, factors, guidelines, _number_format(decimal, thousands))


def _print_problems(console, exc) -> None:  # type: ignore[no-untyped-def]
    """The problems of invalid input, one row each, naming file, row and column, in the
    command's language."""
    import pandas as pd

    from ghg_inventory.cli._lang import current, t
    from ghg_inventory.i18n.messages import say
    from ghg_inventory.reporting.terminal import frame_table, show

    columns = [t(f"problems.{c}") for c in ("file", "row", "column", "value", "problem")]
    lang = current()
    frame = pd.DataFrame([(p.file, "-" if p.row is None else str(p.row), p.column,
                           p.value, say(p.message, lang)) for p in exc.problems],
                         columns=columns, dtype=object)
    show(frame_table(frame, t("problems.title", count=len(exc.problems)), current()),
         console=console)
    from ghg_inventory.factor_sets import missing_factor_hint

    # a value refused for want of a factor that a shipped set holds: say how to choose it
    hints = dict.fromkeys(filter(None, (missing_factor_hint(p.message) for p in exc.problems)))
    for hint in hints:
        _say(console, "hint", hint)  # said in the command's language by _say


def _say(console, kind: str, text: object) -> None:  # type: ignore[no-untyped-def]
    """One message line, ``kind`` (error, warning, hint, note) its coloured prefix in the
    command's language, ``text`` in it too when the catalogue holds it (a library message),
    as written otherwise (no markup), never wrapped."""
    from rich.markup import escape

    from ghg_inventory.cli._lang import current, t
    from ghg_inventory.i18n.messages import say

    colour = {"error": "red"}.get(kind, "yellow")
    said = say(text, current())
    console.print(f"[{colour}]{escape(t('prefix.' + kind))}:[/{colour}] {escape(said)}",
                  highlight=False, soft_wrap=True)


def _num(value: float, decimals: int = 3) -> str:
    """A number of a message, as the command's language writes it."""
    from ghg_inventory.cli._lang import current
    from ghg_inventory.reporting.terminal import number

    return number(value, decimals, current())


def _echo(text: str, *, stderr: bool = False) -> None:
    """A line of the command's own (no markup, never wrapped); on standard error when the
    output is --format csv or json, so that standard output holds the data alone."""
    from rich.console import Console

    from ghg_inventory.cli._lang import output_format

    Console(stderr=stderr or output_format() != "table").print(
        text, highlight=False, markup=False, soft_wrap=True)


def _guarded(action):  # type: ignore[no-untyped-def]
    """``action()``; the package's own errors become a message (invalid input: the table
    of its problems) and exit status 2; a provisional factor set it used is said on
    standard error (``warning: ...``)."""
    import warnings

    from rich.console import Console

    from ghg_inventory.aliases import AliasNote
    from ghg_inventory.errors import ActivityValidationError, GHGInventoryError
    from ghg_inventory.factor_sets import ProvisionalFactorsWarning

    said: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always", ProvisionalFactorsWarning)
            warnings.simplefilter("always", AliasNote)
            return action()
    except ActivityValidationError as exc:
        _print_problems(Console(stderr=True), exc)
        raise typer.Exit(2) from None
    except GHGInventoryError as exc:
        _say(Console(stderr=True), "error", exc)
        raise typer.Exit(2) from None
    finally:  # a result resting on a provisional factor set says so, once
        shown = set()
        for warning in said:
            if issubclass(warning.category, AliasNote):  # names read as keys: a note
                if str(warning.message) not in shown:
                    shown.add(str(warning.message))
                    _say(Console(stderr=True), "note", warning.message)
            elif not issubclass(warning.category, ProvisionalFactorsWarning):
                warnings.warn_explicit(warning.message, warning.category,
                                       warning.filename, warning.lineno)
            elif str(warning.message) not in shown:
                shown.add(str(warning.message))
                _say(Console(stderr=True), "warning", warning.message)


def _keys_said(keys: list[str]) -> str:
    """Grouping keys as a title says them: each key's name in the command's language
    (``plan_area``: "lĩnh vực của kế hoạch"), a key the catalogue does not name as written."""
    from ghg_inventory.cli._lang import has, t

    return ", ".join(t(f"by.{k}") if has(f"by.{k}") else k for k in keys)


def _frame_table(frame, title: str):  # type: ignore[no-untyped-def]
    """A frame as a rich table (:func:`ghg_inventory.reporting.terminal.frame_table`):
    numbers never cut, text as written."""
    from ghg_inventory.cli._lang import current
    from ghg_inventory.reporting.terminal import frame_table

    return frame_table(frame, title, current())


def _print_frame(frame, title: str, *, tonnes: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Print a frame on standard output as the command's --format says: a terminal table
    (masses of CO2e in t), CSV or JSON (the same columns, numbers unformatted; in CSV to
    `CSV_DIGITS` significant digits)."""
    from ghg_inventory.reporting.terminal import in_tonnes, show

    shown = in_tonnes(frame) if tonnes else frame
    _emit(shown, title, lambda: show(_frame_table(_displayed(shown), title)))


#: The columns whose values are words of a fixed list (keys: a store's ``status``,
#: ``current`` | ``superseded``; completeness ``reported`` | ``late`` | ``missing`` | ``not on
#: the list``), said in the command's language in a terminal table; CSV and JSON keep the
#: keys, as the store and the library hold them.
WORD_COLUMNS = ("status",)


def _displayed(frame):  # type: ignore[no-untyped-def]
    """``frame`` as a terminal table shows it in the command's language: the words of
    `WORD_COLUMNS` and the yes/no cells (``True``/``False``) said in it (``cli.value.*``),
    a word the catalogue does not hold as written. English: ``frame`` itself."""
    from ghg_inventory.cli._lang import current, has, t

    lang = current()
    if lang == "en":
        return frame

    def word(value: object) -> object:
        key = f"value.{str(value).replace(' ', '_')}"
        return t(key, lang) if isinstance(value, str) and has(key) else value

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if column in WORD_COLUMNS:
            out[column] = values.map(word).astype(object)
        elif len(values) and values.isin([True, False, "True", "False"]).all():
            # a yes/no column (completeness gives it as text)
            out[column] = values.map(lambda v: t("value.yes" if v in (True, "True")
                                                 else "value.no", lang)).astype(object)
    return out


def _emit(frame, title: str, table) -> None:  # type: ignore[no-untyped-def]
    """``frame`` as CSV or JSON on standard output when --format says so, else
    ``table()`` (which prints it as a terminal table)."""
    import sys

    from ghg_inventory.cli._lang import output_format

    fmt = output_format()
    if fmt == "csv":
        _csv_out(frame)
    elif fmt == "json":
        import json

        rows = json.loads(frame.to_json(orient="records", date_format="iso"))
        sys.stdout.write(json.dumps({"title": title, "rows": rows}, ensure_ascii=False) + "\n")
    else:
        table()


#: Significant digits of the numbers of --format csv: enough for any measured quantity,
#: few enough to drop the float noise of sums taken in another order (8502.292981050003
#: and 8502.292981049999 both print 8502.29298105). The stored values are not changed.
CSV_DIGITS = 12


def _csv_number(value: float) -> str:
    """A float of --format csv: rounded to `CSV_DIGITS` significant digits, then written
    as Python writes that float (``2022.0``, ``8502.29298105``, ``1.5e+16``)."""
    return repr(float(f"{value:.{CSV_DIGITS}g}"))


def _csv_out(frame) -> None:  # type: ignore[no-untyped-def]
    """``frame`` as CSV on standard output (floats to `CSV_DIGITS` significant digits); a
    second table of the same command follows after an empty line."""
    import click

    from ghg_inventory.cli._lang import state

    printed = state()
    if printed["csv_tables"]:
        click.echo("")
    printed["csv_tables"] += 1
    click.echo(frame.to_csv(index=False, lineterminator="\n", float_format=_csv_number),
               nl=False)
