"""Command line: ``ghg-inventory compute | rollup | factors``.

Kept thin: every command is a call into the library. Heavy imports (pandas, pint) happen
inside the commands so that ``ghg-inventory --help`` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Greenhouse-gas inventories the IPCC way (IPCC 2006 Guidelines, Pint units).",
)

Files = Annotated[list[Path], typer.Argument(help="Activity tables: .csv, .xlsx or .parquet.")]
Gwp = Annotated[str, typer.Option("--gwp", help="GWP set: AR4, AR5 or AR6 (100-year).")]
Overrides = Annotated[
    list[Path] | None,
    typer.Option("--factors", help="Override factor table(s) (Tier 2/3), same columns as "
                 "emission_factors/*.csv."),
]
Guidelines = Annotated[str, typer.Option("--guidelines", help="2006 or 2019 (Refinement).")]
Decimal = Annotated[str | None, typer.Option(
    "--decimal", help="Decimal separator of numbers written as text in the activity files: "
    "'.' or ','. Vietnamese 1.234,5: --decimal , --thousands . (without a declared format "
    "a value such as 12.000 is refused unless its column settles it).")]
Thousands = Annotated[str | None, typer.Option(
    "--thousands", help="Thousands separator of numbers written as text: '.', ',', ' ' ... "
    "('' for none).")]


def _number_format(decimal: str | None, thousands: str | None) -> Any:
    """The declared number format of --decimal/--thousands (None when neither is given)."""
    if decimal is None and thousands is None:
        return None
    from ghg_inventory.errors import GHGInventoryError
    from ghg_inventory.numbers import NumberFormat

    try:
        return NumberFormat(decimal=decimal or ".", thousands=thousands)
    except GHGInventoryError as exc:
        raise typer.BadParameter(str(exc)) from None

#: Above this many input bytes a progress bar is shown.
_PROGRESS_BYTES = 5_000_000


def _run(files: list[Path], gwp: str, factors: list[Path] | None, guidelines: str,  # type: ignore[no-untyped-def]
         number_format: Any = None):
    from rich.console import Console
    from rich.progress import Progress

    from ghg_inventory.api import compute

    big = sum(f.stat().st_size for f in files if f.exists()) > _PROGRESS_BYTES

    def run():  # type: ignore[no-untyped-def]
        if big:
            with Progress(console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task("computing", total=None)

                def tick(stage: str, done: int, total: int) -> None:
                    bar.update(task, description=stage, completed=done, total=total)

                return compute(files, factors=factors or None, gwp=gwp, guidelines=guidelines,
                               progress=tick, number_format=number_format)
        return compute(files, factors=factors or None, gwp=gwp, guidelines=guidelines,
                       number_format=number_format)
    return _guarded(run)


def _print_problems(console, exc) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title=f"{len(exc.problems)} problem(s), nothing was computed",
                  title_justify="left")
    for column in ("file", "row", "column", "value", "problem"):
        table.add_column(column, overflow="fold")
    for p in exc.problems:
        table.add_row(p.file, "-" if p.row is None else str(p.row), p.column, p.value, p.message)
    console.print(table)


@app.command()
def compute(
    files: Files,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output: .csv, .parquet or .xlsx "
                                      "(with --engine dask: a Parquet dataset directory).")],
    gwp: Gwp = "AR5",
    factors: Overrides = None,
    guidelines: Guidelines = "2006",
    engine: Annotated[str, typer.Option("--engine", help="pandas (one process) or dask "
                                        "(partitions on local workers; needs the [dask] "
                                        "extra).")] = "pandas",
    workers: Annotated[int, typer.Option("--workers", help="Dask local workers.")] = 2,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Compute the emissions table (one row per activity row and gas) and write it."""
    from rich.console import Console

    number_format = _number_format(decimal, thousands)
    if engine == "dask":
        _compute_dask(files, out, gwp, factors, guidelines, workers, number_format)
        return
    if engine != "pandas":
        raise typer.BadParameter(f"unknown engine {engine!r}; use pandas or dask")
    inventory = _run(files, gwp, factors, guidelines, number_format)
    inventory.export(out)
    Console(stderr=True).print(
        f"wrote {len(inventory.emissions)} emission rows to {out}; direct total "
        f"{inventory.total().m_as('t * CO2e'):,.3f} t CO2e ({gwp}); biogenic CO2 memo "
        f"{inventory.biogenic_co2().m_as('t * CO2'):,.3f} t CO2", highlight=False)


def _compute_dask(files: list[Path], out: Path, gwp: str, factors: list[Path] | None,
                  guidelines: str, workers: int, number_format: Any = None) -> None:
    from rich.console import Console

    from ghg_inventory.distributed import _dask, compute_dask, local_client

    if len(files) != 1:
        raise typer.BadParameter("--engine dask takes one dataset (a Parquet directory or "
                                 "one file)")
    dd = _guarded(_dask)
    from dask.distributed import progress

    # a Parquet dataset or file is read one partition per file, problems naming file and row
    source = files[0] if files[0].is_dir() or files[0].suffix.lower() in (".parquet", ".pq") \
        else dd.read_csv(str(files[0]), dtype=str, keep_default_na=False, na_values=[""])

    def run():  # type: ignore[no-untyped-def]
        inventory = compute_dask(source, gwp=gwp, factors=factors or None,
                                 guidelines=guidelines, number_format=number_format).persist()
        progress(inventory.emissions)
        total = inventory.total()  # raises any partition's problems before a file is written
        inventory.export(out)
        return total
    with local_client(workers):
        total = _guarded(run)
    err = Console(stderr=True)
    err.print(f"wrote {out} ({workers} Dask workers); direct total "
              f"{total.m_as('t * CO2e'):,.3f} t CO2e ({gwp})", highlight=False)


@app.command()
def rollup(
    files: Files,
    by: Annotated[str, typer.Option("--by", help="Comma-separated: commune, sector, plan_area, "
                                    "category, facility_id, year, gas ...")] = "category",
    level: Annotated[int | None, typer.Option("--level", help="Category tree level.")] = None,
    gwp: Gwp = "AR5",
    factors: Overrides = None,
    guidelines: Guidelines = "2006",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Also write it (.csv, "
                                             ".parquet, .xlsx).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Names in 'vi' or 'en'.")] = "en",
    scope: Annotated[str, typer.Option("--scope", help="direct, or indirect (purchased "
                                       "electricity/heat: never added to direct).")] = "direct",
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Print a roll-up table of direct (or indirect) emissions in t, with the total."""
    from rich.console import Console

    from ghg_inventory.reporting.terminal import rollup_table
    from ghg_inventory.writers import write_table

    inventory = _run(files, gwp, factors, guidelines, _number_format(decimal, thousands))
    keys = [k.strip() for k in by.split(",") if k.strip()]
    result = inventory.rollup(by=keys, level=level, lang=lang, scope=scope)
    if out is not None:
        write_table(result, out)
    title = (f"{scope.capitalize()} emissions by {', '.join(keys)} "
             f"(t; CO2e with {gwp} GWP-100)")
    Console().print(rollup_table(result, title))


@app.command()
def energy(
    files: Files,
    by: Annotated[str, typer.Option("--by", help="Comma-separated grouping keys.")] = "year",
    bau: Annotated[Path | None, typer.Option("--bau", help="Business-as-usual projection: "
                                             "CSV with year, amount, unit.")] = None,
    balance: Annotated[Path | None, typer.Option("--balance", help="Primary energy balance: "
                                                 "CSV with year, carrier, amount, unit.")] = None,
    factors: Overrides = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Energy use (TJ, toe) by group; saving against BAU; renewable share of supply."""
    from rich.console import Console

    from ghg_inventory.errors import GHGInventoryError

    console = Console()
    number_format = _number_format(decimal, thousands)
    inventory = _run(files, "AR5", factors, "2006", number_format)
    try:
        _energy_tables(console, inventory, by, bau, balance, number_format)
    except (GHGInventoryError, OSError, KeyError, ValueError) as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None


def _energy_tables(console, inventory, by, bau, balance, number_format=None  # type: ignore[no-untyped-def]
                   ) -> None:
    from ghg_inventory.province.indicators import energy_saving, energy_use, renewable_share
    from ghg_inventory.province.tables import read_table
    from ghg_inventory.units import Q_

    # the user's tables are read (numbers under the declared format) before anything is shown
    projection = None if bau is None else _guarded(lambda: read_table(
        bau, "business-as-usual", text=True, numbers=("year", "amount"),
        number_format=number_format))
    supply = None if balance is None else _guarded(lambda: read_table(
        balance, "energy balance", numbers=("year", "amount"),
        number_format=number_format).drop(columns=["_file", "_row"]))
    keys = [k.strip() for k in by.split(",") if k.strip()]
    use = energy_use(inventory, by=keys)
    console.print(_frame_table(use, f"Energy use by {', '.join(keys)}"))
    if projection is not None:
        toe = {u: Q_(1.0, u).m_as("toe") for u in projection["unit"].astype(str).unique()}
        bau_toe = projection.set_index("year")["amount"] * projection["unit"].astype(str).map(
            toe).to_numpy()
        actual = energy_use(inventory, by="year").set_index("year")["total_toe"]
        console.print(_frame_table(energy_saving(actual, bau_toe).reset_index(),
                                   "Energy saving against business-as-usual (toe)"))
    if supply is not None:
        console.print(_frame_table(renewable_share(supply).reset_index(),
                                   "Renewable share of primary energy supply"))


@app.command()
def screen(files: Files, factors: Overrides = None, decimal: Decimal = None,
           thousands: Thousands = None) -> None:
    """Which facilities must make a GHG inventory (Decree 06/2022/NĐ-CP), and why."""
    from rich.console import Console

    from ghg_inventory.province.obligation import screen as screen_inventory

    table = screen_inventory(_run(files, "AR5", factors, "2006",
                                  _number_format(decimal, thousands)))
    shown = table[["facility_id", "year", "co2e_t", "energy_toe", "waste_treated_t",
                   "must_inventory", "reasons"]]
    Console().print(_frame_table(shown, f"Inventory obligation: "
                                 f"{int(table['must_inventory'].sum())} of {len(table)} "
                                 "facility-years must inventory"))


FactorU = Annotated[str, typer.Option(
    "--factor-uncertainty", help="Defaults for factor records without an IPCC range, "
    "e.g. 'gas:CH4=100,gas:N2O=150,parameter:density=5' (percent), or factor_id=percent.")]
ActivityU = Annotated[str, typer.Option(
    "--activity-uncertainty", help="Activity-data uncertainty by category prefix where the "
    "table has no 'activity_uncertainty' column, e.g. '1=5,indirect=2' (percent).")]


def _pairs(text: str) -> dict[str, float]:
    out = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = item.rpartition("=")
        if not key:
            raise typer.BadParameter(f"{item!r}: expected key=percent")
        out[key.strip()] = float(value)
    return out


def _guarded(action):  # type: ignore[no-untyped-def]
    """``action()``; the package's own errors become a message (invalid input: the table
    of its problems) and exit status 2."""
    from rich.console import Console

    from ghg_inventory.errors import ActivityValidationError, GHGInventoryError

    try:
        return action()
    except ActivityValidationError as exc:
        _print_problems(Console(stderr=True), exc)
        raise typer.Exit(2) from None
    except GHGInventoryError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None


@app.command()
def uncertainty(
    files: Files,
    method: Annotated[str, typer.Option("--method", help="error_propagation (Approach 1) or "
                                        "monte_carlo (Approach 2).")] = "error_propagation",
    by: Annotated[str, typer.Option("--by", help="Comma-separated grouping keys.")] = "year",
    iterations: Annotated[int, typer.Option("--iterations")] = 10_000,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    factor_uncertainty: FactorU = "",
    activity_uncertainty: ActivityU = "",
    trend: Annotated[str, typer.Option("--trend", help="BASE,YEAR: trend uncertainty "
                                       "(Table 3.2).")] = "",
    factors: Overrides = None,
    gwp: Gwp = "AR5",
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Uncertainty of the inventory by group (IPCC 2006 Vol 1 Ch 3)."""
    from rich.console import Console

    from ghg_inventory.analysis.uncertainty import error_propagation, monte_carlo, trend_uncertainty

    inventory = _run(files, gwp, factors, "2006", _number_format(decimal, thousands))
    keys = [k.strip() for k in by.split(",") if k.strip()]
    options: dict[str, Any] = {"factor_uncertainty": _pairs(factor_uncertainty),
               "activity_uncertainty": _pairs(activity_uncertainty)}
    console = Console()
    if method == "monte_carlo":
        table = _guarded(lambda: monte_carlo(inventory, keys, iterations=iterations, seed=seed,
                                             **options))
    elif method == "error_propagation":
        table = _guarded(lambda: error_propagation(inventory, keys, **options))
    else:
        raise typer.BadParameter(f"unknown method {method!r}")
    console.print(_frame_table(table, f"Uncertainty ({method}), 95% interval"))
    if trend:
        base, year = (int(v) for v in trend.split(","))
        result = _guarded(lambda: trend_uncertainty(inventory, base, year, **options))
        console.print(_frame_table(result, "Trend uncertainty (IPCC Table 3.2)"))
        console.print(f"total uncertainty {result.attrs['uncertainty_pct']:.1f}%, trend "
                      f"{result.attrs['trend_pct']:+.1f}% +/- "
                      f"{result.attrs['trend_uncertainty_pct']:.1f} percentage points")


@app.command("waste-scenario")
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
    from rich.console import Console

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
    Console().print(_frame_table(wide.reset_index().round(1),
                                 f"Waste scenarios: t CO2e ({gwp}) by year"))


@app.command("key-categories")
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
    from rich.console import Console

    from ghg_inventory.analysis.key_categories import key_categories
    from ghg_inventory.writers import write_table

    inventory = _run(files, gwp, factors, "2006", _number_format(decimal, thousands))
    table = _guarded(lambda: key_categories(inventory, year, base_year, level=level,
                                            lulucf=not without_lulucf))
    if out is not None:
        write_table(table, out)
    Console().print(_frame_table(table, f"Key categories {year}"
                                 + (f" (trend from {base_year})" if base_year else "")))


@app.command("check")
def check_command(
    files: Files,
    jump: Annotated[float, typer.Option("--jump", help="Year-on-year change to flag, %")] = 50,
    out: Annotated[Path | None, typer.Option("--out", "-o")] = None,
    factors: Overrides = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """QA/QC checks: implied factors, year-on-year jumps, zero rows, suspicious units."""
    from rich.console import Console

    from ghg_inventory.analysis.qaqc import check
    from ghg_inventory.writers import write_table

    report = check(_run(files, "AR5", factors, "2006", _number_format(decimal, thousands)),
                   jump_pct=jump)
    if out is not None:
        write_table(report, out)
    Console().print(_frame_table(report, f"QA/QC: {len(report)} finding(s) (not errors)"))


@app.command()
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
    from rich.console import Console

    from ghg_inventory.analysis.recalculation import compare
    from ghg_inventory.writers import write_table

    fmt = _number_format(decimal, thousands)
    table = compare(_run([old], gwp, old_factors, "2006", fmt),
                    _run([new], gwp, new_factors, "2006", fmt))
    if out is not None:
        write_table(table, out)
    changed = table[table["cause"] != "unchanged"]
    Console().print(_frame_table(changed, f"{len(changed)} changed source(s) of {len(table)}; "
                                 f"total change {table['change_kg'].sum() / 1000:,.3f} t CO2e"))


def _frame_table(frame, title: str):  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column), overflow="fold")
    for row in frame.to_dict("records"):
        table.add_row(*[f"{v:,.2f}" if isinstance(v, float) else str(v) for v in row.values()])
    return table


@app.command()
def factors(
    activity: Annotated[str | None, typer.Option("--activity", help="e.g. natural_gas")] = None,
    category: Annotated[str | None, typer.Option("--category", help="e.g. 1.A.2")] = None,
    extra: Overrides = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """List emission-factor records with their sources."""
    from rich.console import Console
    from rich.table import Table

    from ghg_inventory.factors import FactorDB

    db = FactorDB.default()
    if extra:  # the override tables' numbers under the declared format, ambiguous refused
        number_format = _number_format(decimal, thousands)
        db = _guarded(lambda: FactorDB.default().with_overrides(
            *extra, number_format=number_format))
    rows = db.select(activity=activity, category=category)
    table = Table(title=f"{len(rows)} factor record(s)")
    for column in ("factor_id", "category", "gas", "value", "unit", "lower", "upper", "source",
                   "reference"):
        table.add_column(column, overflow="fold")
    def number(value: object) -> str:
        return "" if value is None or value != value else f"{value:g}"

    def text(value: object) -> str:  # a record without a gas (an NCV, a density) reads NaN
        return "" if value is None or value != value else str(value)

    for r in rows.to_dict("records"):
        table.add_row(str(r["factor_id"]), str(r["category"]), text(r["gas"]),
                      number(r["value"]), str(r["unit"]), number(r["lower"]),
                      number(r["upper"]), str(r["source"]), str(r["reference"]))
    Console().print(table)


@app.command()
def template(
    out: Annotated[Path, typer.Argument(help="The .xlsx workbook to write.")],
    lang: Annotated[str, typer.Option("--lang", help="vi (default) or en.")] = "vi",
) -> None:
    """Write the facility report workbook a facility fills in."""
    from rich.console import Console

    from ghg_inventory.province.template import write_template

    _guarded(lambda: write_template(out, lang=lang))
    Console(stderr=True).print(f"wrote {out}", highlight=False)


StorePath = Annotated[Path, typer.Option("--store", help="The submissions store (DuckDB file; "
                                         "created if missing).")]
#: The store of a command that only reads it: a path that is no store is refused (exit 2),
#: never created.
StoreIn = Annotated[Path, typer.Option("--store", help="The submissions store (DuckDB file "
                                       "written by submit; never created here).")]


@app.command()
def submit(
    report: Annotated[Path, typer.Argument(help="A facility's report (.xlsx template, or "
                                           "an activity table of one facility).")],
    store: StorePath = Path("province.duckdb"),
    reason: Annotated[str, typer.Option("--reason", help="Why it replaces an earlier "
                                        "submission.")] = "",
    gwp: Gwp = "AR5",
    guidelines: Guidelines = "2006",
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Validate, compute and store a facility's report (a rejected file changes nothing)."""
    from rich.console import Console

    from ghg_inventory.province.store import submit as submit_report

    number_format = _number_format(decimal, thousands)
    done = _guarded(lambda: submit_report(report, store, reason=reason, gwp=gwp,
                                          guidelines=guidelines, number_format=number_format))
    Console().print(f"{report.name}: facility {done.facility_id}, {done.period[0]}-"
                    f"{done.period[1]}: {done.status} (submission {done.submission_id})",
                    highlight=False)


store_app = typer.Typer(no_args_is_help=True, help="Look into the submissions store.")
app.add_typer(store_app, name="store")


@store_app.command("list")
def store_list(store: StoreIn = Path("province.duckdb"),
               history: Annotated[bool, typer.Option("--history", help="Superseded ones "
                                                     "too.")] = False) -> None:
    """The current submissions (or all of them)."""
    from rich.console import Console

    from ghg_inventory.province.store import submissions

    table = _guarded(lambda: submissions(store, history=history))
    columns = ["submission_id", "facility_id", "facility_name", "period_start", "period_end",
               "current_years", "submitted_at", "status", "direct_co2e_kg",
               "current_direct_co2e_kg", "reason"]
    Console().print(_frame_table(table[columns], f"Submissions in {store}"))


@store_app.command("history")
def store_history(facility_id: str, store: StoreIn = Path("province.duckdb")) -> None:
    """Every submission of one facility, with its status and reason."""
    from rich.console import Console

    from ghg_inventory.province.store import facility_history

    history = _guarded(lambda: facility_history(store, facility_id))
    Console().print(_frame_table(history, f"History of {facility_id}"))


@store_app.command("completeness")
def store_completeness(
    obliged: Annotated[Path, typer.Argument(help="CSV/Excel of the facilities that must "
                                            "report (facility_id, ...).")],
    period: Annotated[str, typer.Option("--period", help="FIRST,LAST year.")],
    store: StoreIn = Path("province.duckdb"),
    deadline: Annotated[str | None, typer.Option("--deadline", help="ISO date.")] = None,
) -> None:
    """Who has not reported, who reported late."""
    from rich.console import Console

    from ghg_inventory.province.completeness import completeness

    first, last = (int(v) for v in period.split(","))
    table = _guarded(lambda: completeness(store, obliged, period=(first, last),
                                          deadline=deadline))
    Console().print(_frame_table(table, f"Reporting {first}-{last}"))


@app.command()
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
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """The provincial report of the current submissions: a self-contained HTML page with
    charts (and an Excel workbook of its tables)."""
    from rich.console import Console

    from ghg_inventory.province.completeness import plan_progress
    from ghg_inventory.province.store import load_inventory
    from ghg_inventory.reporting.html_report import write_report, write_workbook

    number_format = _number_format(decimal, thousands)  # of --extra and --indicators
    inventory = _guarded(lambda: load_inventory(store, extra=[str(p) for p in extra or []],
                                                number_format=number_format))
    chosen = year or int(inventory.emissions["year"].max())
    table = None
    if indicators is not None:
        progress = _guarded(lambda: plan_progress(
            indicators, number_format=number_format)).dropna(subset=["observed"])
        table = progress.rename(columns={"target": "indicator", "target_value": "target"})[
            ["indicator", "year", "observed", "target", "unit"]]
    page = _guarded(lambda: write_report(inventory, out, year=chosen, lang=lang,
                                         indicators=table))
    Console().print(f"wrote {page}", highlight=False)
    if workbook is not None:
        book = _guarded(lambda: write_workbook(inventory, workbook, year=chosen, lang=lang,
                                               indicators=table))
        Console().print(f"wrote {book}", highlight=False)


@app.command()
def form06(
    files: Files,
    out: Annotated[Path, typer.Option("--out", "-o", help="The .xlsx report to write.")],
    name: Annotated[str, typer.Option("--name", help="Facility name.")] = "",
    tax_code: Annotated[str, typer.Option("--tax-code")] = "",
    address: Annotated[str, typer.Option("--address")] = "",
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

    inventory = _run(files, gwp, factors, "2006", _number_format(decimal, thousands))
    facility = {"name": name, "tax_code": tax_code, "address": address}
    for path in files:
        if path.suffix.lower() in (".xlsx", ".xlsm") and is_template(path):
            sheet = read_facility(path)
            sheet["name"] = sheet.pop("facility_name", "")
            # the template's own keys (code, reporting years) are not fields of the form
            known = {k: v for k, v in sheet.items() if k in FACILITY_KEYS}
            facility = {**known, **{k: v for k, v in facility.items() if v}}
    written = _guarded(lambda: write_form06(inventory, out, facility=facility))
    Console().print(f"wrote {written}", highlight=False)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
