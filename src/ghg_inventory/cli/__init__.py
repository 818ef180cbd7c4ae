"""Command line: the typer ``app`` and its commands, wired in the order ``--help`` lists them.

The commands live by what the user does with them: ``compute`` (compute, rollup, energy,
factors), ``province`` (the provincial office's workflow and its ``store`` sub-commands) and
``analysis`` (uncertainty, key categories, QA/QC, recalculation); ``_options`` holds the
options they share and ``_common`` their helpers. Kept thin: every command is a call into the
library. Heavy imports (pandas, pint) happen inside the commands so that
``ghg-inventory --help`` answers at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from ghg_inventory.cli import analysis, compute, province

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Greenhouse-gas inventories the IPCC way (IPCC 2006 Guidelines, Pint units).",
)
store_app = typer.Typer(no_args_is_help=True, help="Look into the submissions store.")

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

for name, command in COMMANDS.items():
    app.command(name)(command)
app.add_typer(store_app, name="store")
for name, command in STORE_COMMANDS.items():
    store_app.command(name)(command)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
