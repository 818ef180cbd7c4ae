"""Command line: the typer ``app`` and its commands, wired in the order ``--help`` lists them.

The commands live by what the user does with them: ``compute`` (compute, rollup, energy,
factors), ``province`` (the provincial office's workflow and its ``store`` sub-commands) and
``analysis`` (uncertainty, key categories, QA/QC, recalculation); ``_options`` holds the
options they share and ``_common`` their helpers. Kept thin: every command is a call into the
library. Heavy imports (pandas, pint) happen inside the commands so that
``ghg-inventory --help`` answers at once.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from copy import copy
from typing import Annotated, Any

import typer

from ghg_inventory.cli import _lang, analysis, compute, province

#: The commands in the order ``ghg-inventory --help`` lists them, by the names typed.
COMMANDS: dict[str, Callable[..., Any]] = {
    "compute": compute.compute, "rollup": compute.rollup, "energy": compute.energy,
    "screen": province.screen, "uncertainty": analysis.uncertainty,
    "waste-scenario": province.waste_scenario_command,
    "key-categories": analysis.key_categories_command, "check": analysis.check_command,
    "diff": analysis.diff, "factors": compute.factors, "template": province.template,
    "submit": province.submit, "report": province.report, "form06": province.form06,
}
STORE_COMMANDS: dict[str, Callable[..., Any]] = {
    "list": province.store_list, "history": province.store_history,
    "completeness": province.store_completeness,
}
#: The commands that print tables, and so take ``--format table|csv|json``.
TABLE_COMMANDS = {"rollup", "energy", "screen", "uncertainty", "waste-scenario",
                  "key-categories", "check", "diff", "factors", "store list",
                  "store history", "store completeness"}
FORMATS = ("table", "csv", "json")


def _translated(annotation: Any, keys: list[str], lang: str) -> Any:
    """``annotation`` (``Annotated[T, typer.Option(...)]``) with its help text in ``lang``
    from the first catalogue key of ``keys`` that exists; as it stands otherwise."""
    if lang == "en" or typing.get_origin(annotation) is not Annotated:
        return annotation
    base, *extras = typing.get_args(annotation)
    key = next((k for k in keys if _lang.has(k)), None)
    if key is None:
        return annotation
    info = [copy(e) if isinstance(e, typer.models.ParameterInfo) else e for e in extras]
    for e in info:
        if isinstance(e, typer.models.ParameterInfo):
            e.help = _lang.t(key, lang)
    return Annotated[(base, *info)]  # type: ignore[valid-type]


def _command(name: str, command: Callable[..., Any], lang: str) -> Callable[..., Any]:
    """``command`` as the command line runs it: with ``--lang`` (the language of its
    messages; commands with their own ``--lang`` keep it, and it chooses the messages'
    language too) and, for the commands that print tables, ``--format``; its help texts
    in ``lang``."""
    signature = inspect.signature(command, eval_str=True)
    own_lang = "lang" in signature.parameters
    key = name.replace(" ", ".")
    params = [p.replace(annotation=_translated(
        p.annotation, [f"option.{key}.{p.name}", f"option.{p.name}"], lang))
        for p in signature.parameters.values()]
    if not own_lang:
        params.append(inspect.Parameter("lang", inspect.Parameter.KEYWORD_ONLY, default=None,
                                        annotation=Annotated[str | None, typer.Option(
                                            "--lang", help=_lang.t("option.lang", lang))]))
    if name in TABLE_COMMANDS:
        params.append(inspect.Parameter(
            "output_format", inspect.Parameter.KEYWORD_ONLY, default="table",
            annotation=Annotated[str, typer.Option(
                "--format", help=_lang.t("option.format", lang))]))

    params.append(inspect.Parameter("ghg_ctx", inspect.Parameter.KEYWORD_ONLY,
                                    annotation=typer.Context))

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.pop("ghg_ctx")
        chosen = kwargs.get("lang") if own_lang else kwargs.pop("lang", None)
        # typer's own copy of click: its ParameterSource is compared by name
        given = getattr(ctx.get_parameter_source("lang"), "name", "") == "COMMANDLINE"
        lang = ctx.meta.get(_lang.LANG_KEY)  # the group's --lang
        if chosen is not None and (given or not own_lang):
            lang = _lang.check(chosen)
        fmt = kwargs.pop("output_format", "table")
        if fmt not in FORMATS:
            raise _lang.bad(_lang.t("bad.format", lang, fmt=fmt), "--format", lang)
        with _lang.running(lang, fmt):
            return command(*args, **kwargs)

    run.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    return run


def build(lang: str = "en") -> typer.Typer:
    """The command line, its help texts in ``lang`` (``"en"`` or ``"vi"``)."""
    app = typer.Typer(add_completion=False, no_args_is_help=True,
                      help=_lang.t("app.help", lang))
    store_app = typer.Typer(no_args_is_help=True, help=_lang.t("app.store", lang))

    def main_options(ctx, lang=None):  # type: ignore[no-untyped-def]
        if lang is not None:
            ctx.meta[_lang.LANG_KEY] = _lang.check(lang)

    # annotations as objects: the help text is this build's
    main_options.__annotations__ = {"ctx": typer.Context, "lang": Annotated[
        str | None, typer.Option("--lang", help=_lang.t("option.lang", lang))]}
    app.callback()(main_options)

    for name, command in COMMANDS.items():
        app.command(name, help=_lang.t(f"command.{name}", lang) if lang != "en" else None)(
            _command(name, command, lang))
    app.add_typer(store_app, name="store")
    for name, command in STORE_COMMANDS.items():
        store_app.command(name, help=_lang.t(f"command.store.{name}", lang)
                          if lang != "en" else None)(_command(f"store {name}", command, lang))
    return app


def _help_frame(lang: str) -> None:
    """The words typer puts around the help texts (panel titles, "[default: ...]") in
    ``lang``; typer keeps them as module settings, so this is done once, for the program's
    own command line."""
    from typer import rich_utils

    for name, key in (("ARGUMENTS_PANEL_TITLE", "help.arguments"),
                      ("OPTIONS_PANEL_TITLE", "help.options"),
                      ("COMMANDS_PANEL_TITLE", "help.commands"),
                      ("DEFAULT_STRING", "help.default"),
                      ("REQUIRED_LONG_STRING", "help.required"),
                      ("ERRORS_PANEL_TITLE", "help.error"), ("RICH_HELP", "help.try")):
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, _lang.t(key, lang))
    # the help text of --help itself, which typer's click writes in English
    # ("Show this message and exit."): set on each command's help option when it is made
    try:
        from typer._click.core import Command
    except ImportError:  # another typer: its own words
        return
    made = Command.get_help_option
    said = _lang.t("help.help", lang)

    def get_help_option(self, ctx):  # type: ignore[no-untyped-def]
        option = made(self, ctx)
        if option is not None:
            option.help = said
        return option

    Command.get_help_option = get_help_option  # type: ignore[method-assign]
    _usage_errors(lang)


#: The English words typer's click puts in a usage error, and the catalogue key of each
#: (``cli.usage.*``): a mistyped option, a missing argument, an argument too many.
CLICK_WORDS = {"No such option: ": "usage.no_such_option",
               "(Possible options: ": "usage.possible", "Missing argument ": "usage.argument",
               "Missing option ": "usage.option", "Missing parameter": "usage.parameter",
               "Got unexpected extra argument(s) ": "usage.extra"}


def _usage_errors(lang: str) -> None:
    """Click's own usage errors and its "Usage: " line in ``lang``: the English words of
    `CLICK_WORDS` replaced by the catalogue's, the rest (option names, values) as written."""
    try:
        from typer._click import exceptions
        from typer._click.formatting import HelpFormatter
    except ImportError:  # another typer: its own words
        return
    words = {en: _lang.t(key, lang) for en, key in CLICK_WORDS.items()}

    def said(text: str) -> str:
        for en, vi in words.items():
            text = text.replace(en, vi)
        return text

    for error in (exceptions.UsageError, exceptions.NoSuchOption,
                  exceptions.MissingParameter):
        made = error.format_message

        def format_message(self, made=made):  # type: ignore[no-untyped-def]
            return said(made(self))

        error.format_message = format_message  # type: ignore[method-assign]
    write_usage = HelpFormatter.write_usage
    prefix = _lang.t("usage.usage", lang)

    def usage(self, prog, args="", prefix_=None):  # type: ignore[no-untyped-def]
        return write_usage(self, prog, args, prefix if prefix_ is None else prefix_)

    HelpFormatter.write_usage = usage  # type: ignore[method-assign]


#: The command line, in the language of the program's arguments or environment
#: (:func:`ghg_inventory.cli._lang.startup_lang`).
app = build(_lang.startup_lang())
if _lang.startup_lang() != "en":
    _help_frame(_lang.startup_lang())


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
