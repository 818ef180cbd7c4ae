"""Commands that compute an inventory from activity tables: ``compute``, ``rollup``,
``energy`` and ``factors`` (the emission-factor records they use)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ghg_inventory.cli._common import _guarded, _inventory, _number_format, _print_frame, _run
from ghg_inventory.cli._options import Decimal, Files, Guidelines, Gwp, Overrides, Thousands


def compute(
    files: Files,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output: .csv, .parquet or .xlsx "
                                      "(with --engine dask: a Parquet dataset directory).")],
    gwp: Gwp = "AR5",
    factors: Overrides = None,
    guidelines: Guidelines = "2006",
    engine: Annotated[str, typer.Option("--engine", help="pandas (one process) or dask "
                                        "(partitions on local workers; needs the \\[dask] "
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
        else _guarded(lambda: _dask_csv(dd, files[0]))

    def run():  # type: ignore[no-untyped-def]
        from ghg_inventory.errors import GHGInventoryError

        try:
            inventory = compute_dask(source, gwp=gwp, factors=factors or None,
                                     guidelines=guidelines,
                                     number_format=number_format).persist()
            progress(inventory.emissions)
            total = inventory.total()  # raises any partition's problems before writing
        except UnicodeDecodeError as exc:  # a later block in another encoding than its head
            raise GHGInventoryError(f"{files[0]}: {exc.reason} at byte {exc.start} of a "
                                    f"block; {_SAVE_UTF8}") from None
        inventory.export(out)
        return total
    with local_client(workers):
        total = _guarded(run)
    err = Console(stderr=True)
    err.print(f"wrote {out} ({workers} Dask workers); direct total "
              f"{total.m_as('t * CO2e'):,.3f} t CO2e ({gwp})", highlight=False)


_SAVE_UTF8 = ("save the file as UTF-8 (Excel: Save As, 'CSV UTF-8 (Comma delimited)') or "
              "as Parquet and read it again")


def _dask_csv(dd: Any, path: Path) -> Any:
    """A CSV file as a Dask dataframe of text cells, its encoding and separator found on its
    first megabyte as the pandas path finds them on the whole file
    (:func:`ghg_inventory.textfiles.decode_text`), its columns counted on its header."""
    from ghg_inventory.errors import GHGInventoryError
    from ghg_inventory.textfiles import as_limits, check_columns, decode_text, sniff_separator

    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
    except OSError as exc:
        raise GHGInventoryError(f"{path}: cannot read: {exc}") from exc
    if len(head) == 1 << 20:  # whole lines only: a cut character is no encoding's fault
        head = head[: head.rfind(b"\n") + 1] or head
    text, encoding = decode_text(head, path.name)
    if encoding not in ("utf-8", "cp1252"):
        # Windows-1258 writes tones as separate marks: read in blocks, names would not
        # compare equal to the same names written in UTF-8
        raise GHGInventoryError(f"{path}: written in {encoding}, which the Dask engine does "
                                f"not read; {_SAVE_UTF8}")
    separator = sniff_separator(text)
    check_columns(text, separator, path.name, as_limits(None))
    return dd.read_csv(str(path), dtype=str, keep_default_na=False, na_values=[""],
                       sep=separator,
                       encoding="utf-8-sig" if encoding == "utf-8" else encoding)


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

    inventory = _inventory(files, gwp, factors, decimal, thousands, guidelines)
    keys = [k.strip() for k in by.split(",") if k.strip()]
    result = inventory.rollup(by=keys, level=level, lang=lang, scope=scope)
    if out is not None:
        write_table(result, out)
    title = (f"{scope.capitalize()} emissions by {', '.join(keys)} "
             f"(t; CO2e with {gwp} GWP-100)")
    Console().print(rollup_table(result, title))


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

    number_format = _number_format(decimal, thousands)
    inventory = _run(files, "AR5", factors, "2006", number_format)
    try:
        _energy_tables(inventory, by, bau, balance, number_format)
    except (GHGInventoryError, OSError, KeyError, ValueError) as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None


def _energy_tables(inventory, by, bau, balance, number_format=None  # type: ignore[no-untyped-def]
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
    _print_frame(use, f"Energy use by {', '.join(keys)}")
    if projection is not None:
        toe = {u: Q_(1.0, u).m_as("toe") for u in projection["unit"].astype(str).unique()}
        bau_toe = projection.set_index("year")["amount"] * projection["unit"].astype(str).map(
            toe).to_numpy()
        actual = energy_use(inventory, by="year").set_index("year")["total_toe"]
        _print_frame(energy_saving(actual, bau_toe).reset_index(),
                     "Energy saving against business-as-usual (toe)")
    if supply is not None:
        _print_frame(renewable_share(supply).reset_index(),
                     "Renewable share of primary energy supply")


def factors(
    activity: Annotated[str | None, typer.Option("--activity", help="e.g. natural_gas")] = None,
    category: Annotated[str | None, typer.Option("--category", help="e.g. 1.A.2")] = None,
    verification: Annotated[str | None, typer.Option(
        "--verification", help="Only records checked so: two_sources, single_source or "
        "user (comma-separated for several).")] = None,
    guidelines: Annotated[str | None, typer.Option(
        "--edition", help="Only records printed in this edition of the IPCC Guidelines: "
        "2006 or 2019.")] = None,
    extra: Overrides = None,
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """List emission-factor records with their sources, edition and verification status
    (two_sources: two copies of the printed table agree; single_source: one copy;
    user: the user's own)."""
    from rich.console import Console
    from rich.table import Table

    from ghg_inventory.factors import GUIDELINES, VERIFICATION, FactorDB

    db = FactorDB.default()
    if extra:  # the override tables' numbers under the declared format, ambiguous refused
        number_format = _number_format(decimal, thousands)
        from ghg_inventory.factor_sets import apply  # tables, or shipped sets by name

        db = _guarded(lambda: apply(FactorDB.default(), extra, number_format=number_format))
    rows = db.select(activity=activity, category=category)
    if verification:
        wanted = [v.strip() for v in verification.split(",") if v.strip()]
        unknown = [v for v in wanted if v not in VERIFICATION]
        if unknown:
            raise typer.BadParameter(f"unknown verification {', '.join(unknown)}; use "
                                     f"{', '.join(VERIFICATION)}", param_hint="--verification")
        rows = rows[rows["verification"].isin(wanted)]
    if guidelines:
        if guidelines not in GUIDELINES:
            raise typer.BadParameter(f"unknown edition {guidelines!r}; use "
                                     f"{' or '.join(GUIDELINES)}", param_hint="--edition")
        rows = rows[rows["guidelines"] == guidelines]
    counts = rows["verification"].value_counts()
    status = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERIFICATION if counts.get(v, 0))
    table = Table(title=f"{len(rows)} factor record(s)" + (f" ({status})" if status else ""))
    for column in ("factor_id", "category", "gas", "value", "unit", "lower", "upper",
                   "edition", "verification", "source", "reference"):
        table.add_column(column, overflow="fold")
    def number(value: object) -> str:
        return "" if value is None or value != value else f"{value:g}"

    def text(value: object) -> str:  # a record without a gas (an NCV, a density) reads NaN
        return "" if value is None or value != value else str(value)

    for r in rows.to_dict("records"):
        table.add_row(str(r["factor_id"]), str(r["category"]), text(r["gas"]),
                      number(r["value"]), str(r["unit"]), number(r["lower"]),
                      number(r["upper"]), text(r["guidelines"]), text(r["verification"]),
                      str(r["source"]), str(r["reference"]))
    Console().print(table)
