"""The provincial office's commands: the facility ``template``, ``submit`` and the ``store``
sub-commands, the provincial ``report``, ``form06``, obligation ``screen`` and
``waste-scenario`` projections."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ghg_inventory.cli._common import (
    _guarded,
    _inventory,
    _number_format,
    _pairs,
    _print_frame,
    _say,
)
from ghg_inventory.cli._lang import current, t
from ghg_inventory.cli._options import Decimal, Files, Guidelines, Gwp, Overrides, Thousands

StorePath = Annotated[Path, typer.Option("--store", help="The submissions store (DuckDB file; "
                                         "created if missing).")]
#: The store of a command that only reads it: a path that is no store is refused (exit 2),
#: never created.
StoreIn = Annotated[Path, typer.Option("--store", help="The submissions store (DuckDB file "
                                       "written by submit; never created here).")]


def _store_guarded(action):  # type: ignore[no-untyped-def]
    """``action()`` on the store, through `_guarded` (a busy or damaged store exits 2 with
    one line); a repair of what a killed submit left is printed as a note on standard
    error."""
    import warnings

    from rich.console import Console

    from ghg_inventory.errors import StoreRepairedWarning

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", StoreRepairedWarning)
        try:
            return _guarded(action)
        finally:
            for warning in said:
                if issubclass(warning.category, StoreRepairedWarning):
                    _say(Console(stderr=True), "note", warning.message)
                else:  # not ours to swallow
                    warnings.warn_explicit(warning.message, warning.category,
                                           warning.filename, warning.lineno)


def _iso_date(text: str | None):  # type: ignore[no-untyped-def]
    """A date written YYYY-MM-DD (None: today, decided by the report)."""
    import datetime as dt

    from ghg_inventory.errors import GHGInventoryError
    from ghg_inventory.i18n.messages import msg

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise GHGInventoryError(msg("cli.province.date", text=text)) from None


def _aggregates(paths: list[Path], number_format):  # type: ignore[no-untyped-def]
    """The activity tables of ``paths``, every row's ``facility_type`` ``aggregate``."""
    from ghg_inventory.readers import read_activities

    frames = []
    for path in paths:
        frame = read_activities(str(path), number_format=number_format)
        frames.append(frame.assign(facility_type="aggregate"))
    return frames


def _period(text: str) -> tuple[int, int]:
    """``FIRST,LAST`` (or ``FIRST-LAST``) as two years."""
    from ghg_inventory.errors import GHGInventoryError
    from ghg_inventory.i18n.messages import msg

    parts = [p.strip() for p in text.replace("-", ",").split(",") if p.strip()]
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise GHGInventoryError(msg("cli.province.period", text=text))
    return int(parts[0]), int(parts[1])


def template(
    out: Annotated[Path, typer.Argument(help="The .xlsx workbook to write.")],
    lang: Annotated[str, typer.Option("--lang", help="vi (default) or en.")] = "vi",
) -> None:
    """Write the facility report workbook a facility fills in."""
    from rich.console import Console

    from ghg_inventory.province.template import write_template

    _guarded(lambda: write_template(out, lang=lang))
    Console(stderr=True).print(t("wrote", path=out), highlight=False, markup=False)


def submit(
    report: Annotated[Path, typer.Argument(help="A facility's report (.xlsx template, or "
                                           "an activity table of one facility).")],
    store: StorePath = Path("province.duckdb"),
    reason: Annotated[str, typer.Option("--reason", help="Why it replaces an earlier "
                                        "submission.")] = "",
    gwp: Gwp = "AR5",
    guidelines: Guidelines = "2006",
    factors: Overrides = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Validate, compute and store a facility's report (a rejected file changes nothing);
    the submission records the factor tables and named sets (--factors) it used."""
    from rich.console import Console

    from ghg_inventory.factor_sets import specs_record
    from ghg_inventory.i18n.messages import say
    from ghg_inventory.province.store import submit as submit_report

    number_format = _number_format(decimal, thousands)
    done = _store_guarded(lambda: submit_report(
        report, store, reason=reason, gwp=gwp, guidelines=guidelines,
        factors=[str(f) for f in factors or []] or None, number_format=number_format))
    chosen = [i for i in _guarded(lambda: specs_record([str(f) for f in factors or []]))
              if i["kind"] == "set"]
    said = t("submit.sets", sets=", ".join(
        i["name"] + (t("submit.provisional") if i["provisional"] else "") for i in chosen)
    ) if chosen else ""
    Console().print(t("submit.done", file=report.name, facility=done.facility_id,
                      first=done.period[0], last=done.period[1],
                      status=say(done.status, current()),
                      submission=done.submission_id, sets=said),
                    highlight=False, markup=False, soft_wrap=True)


def store_list(store: StoreIn = Path("province.duckdb"),
               history: Annotated[bool, typer.Option("--history", help="Superseded ones "
                                                     "too.")] = False) -> None:
    """The current submissions (or all of them)."""
    from ghg_inventory.province.store import submissions

    table = _store_guarded(lambda: submissions(store, history=history))
    columns = ["submission_id", "facility_id", "facility_name", "period_start", "period_end",
               "current_years", "submitted_at", "status", "direct_co2e_kg",
               "current_direct_co2e_kg", "reason"]
    _print_frame(table[columns], t("store.title", store=store))


def store_history(facility_id: str, store: StoreIn = Path("province.duckdb")) -> None:
    """Every submission of one facility, with its status and reason."""
    from ghg_inventory.province.store import facility_history

    history = _store_guarded(lambda: facility_history(store, facility_id))
    _print_frame(history, t("store.history", facility=facility_id))


def store_completeness(
    obliged: Annotated[Path, typer.Argument(help="CSV/Excel of the facilities that must "
                                            "report (facility_id, ...).")],
    period: Annotated[str, typer.Option("--period", help="FIRST,LAST year.")],
    store: StoreIn = Path("province.duckdb"),
    deadline: Annotated[str | None, typer.Option("--deadline", help="ISO date.")] = None,
) -> None:
    """Who has not reported, who reported late."""
    from ghg_inventory.province.completeness import as_text, completeness

    first, last = _guarded(lambda: _period(period))
    table = _store_guarded(lambda: completeness(store, obliged, period=(first, last),
                                                deadline=deadline))
    _print_frame(as_text(table), t("store.completeness", first=first, last=last))


def report(
    store: StoreIn = Path("province.duckdb"),
    year: Annotated[int, typer.Option("--year", help="The year reported.")] = 0,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML page to write.")] = Path(
        "report.html"),
    workbook: Annotated[Path | None, typer.Option("--workbook", help="Also the tables as "
                                                  ".xlsx.")] = None,
    indicators: Annotated[Path | None, typer.Option(
        "--indicators", help="Observed plan indicators (target, year, value).")] = None,
    extra: Annotated[list[Path] | None, typer.Option(
        "--extra", help="Activity tables that are no facility's report (the province's own "
        "compilation), added to the roll-up.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="vi (default) or en.")] = "vi",
    province: Annotated[str, typer.Option("--province", help="The province reported.")
                        ] = "Lai Châu",
    office: Annotated[str, typer.Option(
        "--office", envvar="GHG_INVENTORY_OFFICE",
        help="The issuing office, as it signs (a setting: GHG_INVENTORY_OFFICE).")] = "",
    produced: Annotated[str | None, typer.Option(
        "--date", help="Date produced, ISO (YYYY-MM-DD); today by default.")] = None,
    factors: Overrides = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """The provincial report of the current submissions: a self-contained HTML page with
    charts (and an Excel workbook of its tables), recomputed with today's factors and the
    --factors given (tables or named sets)."""
    from rich.console import Console

    from ghg_inventory.province.completeness import plan_progress
    from ghg_inventory.province.store import load_inventory
    from ghg_inventory.reporting.html_report import write_report, write_workbook

    number_format = _number_format(decimal, thousands)  # of --extra and --indicators
    # the province's own compilation is no facility's report: the report counts its rows
    # as provincial aggregates, apart from the facility reports
    compiled = _guarded(lambda: _aggregates(extra or [], number_format))
    inventory = _store_guarded(lambda: load_inventory(
        store, extra=compiled, number_format=number_format,
        factors=[str(f) for f in factors or []] or None))
    chosen = year or int(inventory.emissions["year"].max())
    table = None
    if indicators is not None:
        progress = _guarded(lambda: plan_progress(
            indicators, number_format=number_format)).dropna(subset=["observed"])
        table = progress.rename(columns={"target": "indicator", "target_value": "target"})[
            ["indicator", "year", "observed", "target", "unit", "target_year"]]
    day = _guarded(lambda: _iso_date(produced))
    page = _guarded(lambda: write_report(inventory, out, year=chosen, lang=lang,
                                         indicators=table, province=province,
                                         office=office, produced=day))
    Console().print(t("wrote", path=page), highlight=False, markup=False)
    if workbook is not None:
        book = _guarded(lambda: write_workbook(inventory, workbook, year=chosen, lang=lang,
                                               indicators=table))
        Console().print(t("wrote", path=book), highlight=False, markup=False)


def form06(
    files: Files,
    out: Annotated[Path, typer.Option("--out", "-o", help="The .xlsx report to write.")],
    name: Annotated[str, typer.Option("--name", help="Facility name.")] = "",
    tax_code: Annotated[str, typer.Option("--tax-code")] = "",
    address: Annotated[str, typer.Option("--address")] = "",
    period: Annotated[str | None, typer.Option(
        "--period", help="FIRST,LAST: the two consecutive years reported (by default the "
        "last two years of the data).")] = None,
    gwp: Gwp = "AR5",
    factors: Overrides = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """A facility's inventory report, Form 06 of Decree 06/2022/NĐ-CP (Vietnamese Excel);
    a filled template workbook gives the facility information itself."""
    from rich.console import Console

    from ghg_inventory.province.form06 import FACILITY_KEYS, write_form06
    from ghg_inventory.province.template import is_template, read_facility

    inventory = _inventory(files, gwp, factors, decimal, thousands)
    facility = {"name": name, "tax_code": tax_code, "address": address}
    for path in files:
        if path.suffix.lower() in (".xlsx", ".xlsm") and is_template(path):
            sheet = read_facility(path)
            sheet["name"] = sheet.pop("facility_name", "")
            # the template's own keys (code, reporting years) are not fields of the form
            known = {k: v for k, v in sheet.items() if k in FACILITY_KEYS}
            facility = {**known, **{k: v for k, v in facility.items() if v}}
    years = _guarded(lambda: _period(period)) if period else None
    written = _guarded(lambda: write_form06(inventory, out, facility=facility, years=years))
    Console().print(t("wrote", path=written), highlight=False, markup=False)


def screen(files: Files, factors: Overrides = None, decimal: Decimal = None,
           thousands: Thousands = None) -> None:
    """Which facilities must make a GHG inventory (Decree 06/2022/NĐ-CP), and why."""
    from ghg_inventory.i18n.messages import say
    from ghg_inventory.province.obligation import screen as screen_inventory

    table = screen_inventory(_inventory(files, "AR5", factors, decimal, thousands))
    shown = table[["facility_id", "year", "co2e_t", "energy_toe", "waste_treated_t",
                   "must_inventory", "reasons"]]
    # the reasons said in the command's language, as check says its findings
    shown = shown.assign(reasons=[say(r, current()) for r in shown["reasons"]])
    _print_frame(shown, t("screen.title", count=int(table["must_inventory"].sum()),
                          total=len(table)))


def waste_scenario_command(
    solid: Annotated[Path | None, typer.Argument(help="Solid waste scenario table (scenario, "
                                                 "commune, year, generated, landfill, "
                                                 "composting, open_burning, dumped, other)."
                                                 )] = None,
    wastewater: Annotated[Path | None, typer.Option(
        "--wastewater", help="Wastewater scenario table (population and a share column per "
        "treatment pathway).")] = None,
    composition: Annotated[str, typer.Option(
        "--composition", help="Waste composition, shares of wet weight by Table 2.4 type, "
        "e.g. 'food=0.6,paper=0.1,plastics=0.1,glass=0.2'.")] = "",
    climate_zone: Annotated[str, typer.Option("--climate-zone", help="Table 3.3 zone.")
                            ] = "tropical_wet",
    open_burning: Annotated[str, typer.Option(
        "--open-burning", help="Open-burning parameters without a verified default, e.g. "
        "'oxidation_factor=0.58,ef_n2o=150'.")] = "",
    history: Annotated[Path | None, typer.Option(
        "--history", help="Activity rows of past landfill deposits (4.A).")] = None,
    until: Annotated[int, typer.Option("--until", help="Last year of the path.")] = 2030,
    baseline: Annotated[str, typer.Option("--baseline")] = "baseline",
    gwp: Gwp = "AR5",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write it (.csv, "
                                             ".parquet, .xlsx).")] = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Year-by-year emissions of waste scenarios (the plan's collection and treatment
    targets) against a baseline, per gas and in CO2e."""
    from ghg_inventory.province.scenarios import waste_scenarios
    from ghg_inventory.writers import write_table

    number_format = _number_format(decimal, thousands)  # of the scenario and history tables
    result = _guarded(lambda: waste_scenarios(
        solid, wastewater=wastewater, composition=_pairs(composition) or None,
        climate_zone=climate_zone, open_burning=_pairs(open_burning) or None,
        history=history, until=until, baseline=baseline, gwp=gwp,
        number_format=number_format))
    if out is not None:
        write_table(result, out)
    wide = result.pivot_table(index="year", columns="scenario", values="co2e_kg",
                              aggfunc="sum") / 1000.0
    for scenario in wide.columns:
        if scenario != baseline:
            wide[f"{scenario} - {baseline}"] = wide[scenario] - wide[baseline]
    _print_frame(wide.reset_index().round(1), t("waste.title", gwp=gwp))
