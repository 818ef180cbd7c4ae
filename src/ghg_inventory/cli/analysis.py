"""Analyses of an inventory: ``uncertainty``, ``key-categories``, ``check`` (QA/QC) and ``diff``
(recalculation between two inventories)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ghg_inventory.cli._common import (
    _echo,
    _emit,
    _frame_table,
    _guarded,
    _inventory,
    _num,
    _number_format,
    _pairs,
    _print_frame,
    _run,
)
from ghg_inventory.cli._lang import bad, t
from ghg_inventory.cli._options import Decimal, Files, Gwp, Overrides, Thousands

FactorU = Annotated[str, typer.Option(
    "--factor-uncertainty", help="Defaults for factor records without an IPCC range, "
    "e.g. 'gas:CH4=100,gas:N2O=150,parameter:density=5' (percent), or factor_id=percent.")]
ActivityU = Annotated[str, typer.Option(
    "--activity-uncertainty", help="Activity-data uncertainty by category prefix where the "
    "table has no 'activity_uncertainty' column, e.g. '1=5,indirect=2' (percent).")]
ActivityCondition = Annotated[str, typer.Option(
    "--activity-condition", help="Which of the IPCC's default activity-data uncertainties "
    "describes your data where several are printed (docs/defaults.md), for every category "
    "('well_developed.surveys') or by prefix ('1.A=well_developed.surveys,4.A=weighing').")]
NoDefaults = Annotated[bool, typer.Option(
    "--no-activity-defaults", help="Do not use the IPCC's default activity-data "
    "uncertainties: every row needs its own or --activity-uncertainty.")]


def _conditions(text: str) -> str | dict[str, str] | None:
    items = [p.strip() for p in text.split(",") if p.strip()]
    if not items:
        return None
    if len(items) == 1 and "=" not in items[0]:
        return items[0]
    out = {}
    for item in items:
        key, _, value = item.partition("=")
        if not value:
            raise bad(t("bad.condition", item=item))
        out[key.strip()] = value.strip()
    return out


def uncertainty(
    files: Files,
    method: Annotated[str, typer.Option("--method", help="error_propagation (Approach 1) or "
                                        "monte_carlo (Approach 2).")] = "error_propagation",
    by: Annotated[str, typer.Option("--by", help="Comma-separated grouping keys.")] = "year",
    iterations: Annotated[int, typer.Option("--iterations")] = 10_000,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    factor_uncertainty: FactorU = "",
    activity_uncertainty: ActivityU = "",
    activity_condition: ActivityCondition = "",
    no_activity_defaults: NoDefaults = False,
    trend: Annotated[str, typer.Option("--trend", help="BASE,YEAR: trend uncertainty "
                                       "(Table 3.2).")] = "",
    factors: Overrides = None,
    gwp: Gwp = "AR5",
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Uncertainty of the inventory by group (IPCC 2006 Vol 1 Ch 3)."""
    from ghg_inventory.analysis.uncertainty import error_propagation, monte_carlo, trend_uncertainty
    from ghg_inventory.cli._lang import current
    from ghg_inventory.i18n.messages import say

    years = [v.strip() for v in trend.split(",")] if trend else []
    if trend and (len(years) != 2 or not all(v.isdigit() for v in years)):
        raise bad(t("bad.trend", text=trend), "--trend")
    inventory = _inventory(files, gwp, factors, decimal, thousands)
    keys = [k.strip() for k in by.split(",") if k.strip()]
    options: dict[str, Any] = {"factor_uncertainty": _pairs(factor_uncertainty),
               "activity_uncertainty": _pairs(activity_uncertainty),
               "activity_condition": _conditions(activity_condition),
               "activity_defaults": not no_activity_defaults}
    if method == "monte_carlo":
        table = _guarded(lambda: monte_carlo(inventory, keys, iterations=iterations, seed=seed,
                                             **options))
    elif method == "error_propagation":
        table = _guarded(lambda: error_propagation(inventory, keys, **options))
    else:
        raise bad(t("bad.method", method=method), "--method")
    _print_frame(table, t("uncertainty.title", method=method))
    used = table.attrs.get("defaults_used", {})
    if used:
        lang = current()
        lines = [t("uncertainty.used", records=len(used["factor_ranges_from_records"]),
                   given=len(used["factor_ranges_from_caller"]),
                   origins=", ".join(say(o, lang) for o in used["activity_rows_by_origin"]))]
        lines += [t("uncertainty.default", default=say(d, lang))
                  for d in used["activity_defaults"]]
        _echo("\n".join(lines))
    if trend:
        base, year = (int(v) for v in years)
        result = _guarded(lambda: trend_uncertainty(inventory, base, year, **options))
        _print_frame(result, t("uncertainty.trend_title"))
        change = result.attrs["trend_pct"]
        _echo(t("uncertainty.trend", total=_num(result.attrs["uncertainty_pct"], 1),
                trend=("+" if change >= 0 else "") + _num(change, 1),
                spread=_num(result.attrs["trend_uncertainty_pct"], 1)))


def key_categories_command(
    files: Files,
    year: Annotated[int, typer.Option("--year")],
    base_year: Annotated[int | None, typer.Option("--base-year")] = None,
    level: Annotated[int, typer.Option("--level", help="Category tree level.")] = 3,
    without_lulucf: Annotated[bool, typer.Option("--without-lulucf")] = False,
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    factors: Overrides = None,
    gwp: Gwp = "AR5",
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Key category analysis, Approach 1 level and trend (IPCC 2006 Vol 1 Ch 4)."""
    from ghg_inventory.analysis.key_categories import key_categories
    from ghg_inventory.writers import write_table

    inventory = _inventory(files, gwp, factors, decimal, thousands)
    table = _guarded(lambda: key_categories(inventory, year, base_year, level=level,
                                            lulucf=not without_lulucf))
    if out is not None:
        write_table(table, out)
    _print_frame(table, t("key.title", year=year)
                 + (t("key.trend", base=base_year) if base_year else ""))


def check_command(
    files: Files,
    jump: Annotated[float, typer.Option("--jump", help="Year-on-year change to flag, %")] = 50,
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    factors: Overrides = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """QA/QC checks: implied factors, year-on-year jumps, zero rows, suspicious units."""
    from ghg_inventory.analysis.qaqc import check, verification_shares
    from ghg_inventory.cli._lang import current
    from ghg_inventory.i18n.messages import say
    from ghg_inventory.reporting.terminal import in_tonnes, show
    from ghg_inventory.writers import write_table

    inventory = _inventory(files, "AR5", factors, decimal, thousands)
    report = check(inventory, jump_pct=jump)
    if out is not None:
        write_table(report, out)
    # the findings said in the command's language (the file written keeps the English)
    lang = current()
    said = report.assign(message=[say(m, lang) for m in report["message"]])
    _print_frame(said, t("check.title", count=len(report)))
    shares = in_tonnes(verification_shares(inventory))
    # on screen the records' ids wrap between ids (one id;id... word would widen the table
    # to thousands of columns); CSV and JSON keep them as the library gives them
    wrapped = shares.assign(factor_ids=shares["factor_ids"].str.replace(";", "; "))
    title = t("check.shares")
    _emit(shares, title, lambda: show(_frame_table(wrapped, title)))


def diff(
    old: Annotated[Path, typer.Argument(help="Earlier activity table.")],
    new: Annotated[Path, typer.Argument(help="Later activity table.")],
    old_factors: Annotated[list[Path] | None, typer.Option("--old-factors")] = None,
    new_factors: Annotated[list[Path] | None, typer.Option("--new-factors")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    gwp: Gwp = "AR5",
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Recalculation: every difference between two inventories and its cause."""
    from ghg_inventory.analysis.recalculation import compare
    from ghg_inventory.writers import write_table

    fmt = _number_format(decimal, thousands)
    table = compare(_run([old], gwp, old_factors, "2006", fmt),
                    _run([new], gwp, new_factors, "2006", fmt))
    if out is not None:
        write_table(table, out)
    changed = table[table["cause"] != "unchanged"]
    _print_frame(changed, t("diff.title", changed=len(changed), count=len(table),
                            total=_num(table["change_kg"].sum() / 1000)))
