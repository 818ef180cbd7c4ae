"""Commands that compute an inventory from activity tables: ``compute``, ``rollup``,
``energy`` and ``factors`` (the emission-factor records they use)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ghg_inventory.cli._common import (
    _emit,
    _frame_table,
    _guarded,
    _inventory,
    _keys_said,
    _num,
    _number_format,
    _print_frame,
    _run,
    _say,
)
from ghg_inventory.cli._lang import bad, current, t
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
        raise bad(t("bad.engine", engine=engine), "--engine")
    inventory = _run(files, gwp, factors, guidelines, number_format)
    inventory.export(out)
    Console(stderr=True).print(t(
        "compute.wrote", rows=len(inventory.emissions), out=out,
        total=_num(inventory.total().m_as("t * CO2e")), gwp=gwp,
        biogenic=_num(inventory.biogenic_co2().m_as("t * CO2"))),
        highlight=False, markup=False, soft_wrap=True)


def _compute_dask(files: list[Path], out: Path, gwp: str, factors: list[Path] | None,
                  guidelines: str, workers: int, number_format: Any = None) -> None:
    from rich.console import Console

    from ghg_inventory.distributed import _dask, compute_dask, local_client

    if len(files) != 1:
        raise bad(t("bad.dask_files"), "--engine")
    dd = _guarded(_dask)
    from dask.distributed import progress

    # a Parquet dataset or file is read one partition per file, problems naming file and row
    source = files[0] if files[0].is_dir() or files[0].suffix.lower() in (".parquet", ".pq") \
        else _guarded(lambda: _dask_csv(dd, files[0]))

    def run():  # type: ignore[no-untyped-def]
        from ghg_inventory.errors import GHGInventoryError
        from ghg_inventory.i18n.messages import msg

        try:
            inventory = compute_dask(source, gwp=gwp, factors=factors or None,
                                     guidelines=guidelines,
                                     number_format=number_format).persist()
            progress(inventory.emissions)
            total = inventory.total()  # raises any partition's problems before writing
        except UnicodeDecodeError as exc:  # a later block in another encoding than its head
            raise GHGInventoryError(msg("cli.compute.block_encoding", file=files[0],
                                        reason=exc.reason, start=exc.start,
                                        advice=msg("cli.compute.save_utf8"))) from None
        inventory.export(out)
        return total
    with local_client(workers):
        total = _guarded(run)
    Console(stderr=True).print(t("compute.wrote_dask", out=out, workers=workers,
                                 total=_num(total.m_as("t * CO2e")), gwp=gwp),
                               highlight=False, markup=False, soft_wrap=True)


def _dask_csv(dd: Any, path: Path) -> Any:
    """A CSV file as a Dask dataframe of text cells, its encoding and separator found on its
    first megabyte as the pandas path finds them on the whole file
    (:func:`ghg_inventory.textfiles.decode_text`), its columns counted on its header."""
    from ghg_inventory.errors import GHGInventoryError
    from ghg_inventory.i18n.messages import msg
    from ghg_inventory.textfiles import as_limits, check_columns, decode_text, sniff_separator

    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
    except OSError as exc:
        raise GHGInventoryError(msg("cli.compute.cannot_read", path=path, error=exc)) from exc
    if len(head) == 1 << 20:  # whole lines only: a cut character is no encoding's fault
        head = head[: head.rfind(b"\n") + 1] or head
    text, encoding = decode_text(head, path.name)
    if encoding not in ("utf-8", "cp1252"):
        # Windows-1258 writes tones as separate marks: read in blocks, names would not
        # compare equal to the same names written in UTF-8
        raise GHGInventoryError(msg("cli.compute.dask_encoding", path=path, encoding=encoding,
                                    advice=msg("cli.compute.save_utf8")))
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
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of names, messages and tables: vi or en (default: "
        "GHG_INVENTORY_LANG, then the locale, then en).")] = None,
    scope: Annotated[str, typer.Option("--scope", help="direct, or indirect (purchased "
                                       "electricity/heat: never added to direct).")] = "direct",
    decimal: Decimal = None,
    thousands: Thousands = None,
) -> None:
    """Print a roll-up table of direct (or indirect) emissions in t CO2e, with the total."""
    from ghg_inventory.cli._lang import current
    from ghg_inventory.reporting.terminal import in_tonnes, rollup_table, show
    from ghg_inventory.writers import write_table

    lang = lang or current()
    inventory = _inventory(files, gwp, factors, decimal, thousands, guidelines)
    keys = [k.strip() for k in by.split(",") if k.strip()]
    result = _guarded(lambda: inventory.rollup(by=keys, level=level, lang=lang, scope=scope))
    if out is not None:
        write_table(result, out)
    title = t("rollup.title", scope=t(f"rollup.{scope}") if scope in ("direct", "indirect")
              else scope, keys=_keys_said(keys), gwp=gwp)
    _emit(in_tonnes(result), title, lambda: show(rollup_table(
        result, title, total=t("rollup.total"), unit=t("unit.t"), lang=current())))


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
        _say(Console(stderr=True), "error", exc)
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
    _print_frame(use, t("energy.title", keys=_keys_said(keys)))
    if projection is not None:
        toe = {u: Q_(1.0, u).m_as("toe") for u in projection["unit"].astype(str).unique()}
        bau_toe = projection.set_index("year")["amount"] * projection["unit"].astype(str).map(
            toe).to_numpy()
        actual = energy_use(inventory, by="year").set_index("year")["total_toe"]
        _print_frame(energy_saving(actual, bau_toe).reset_index(),
                     t("energy.saving"))
    if supply is not None:
        _print_frame(renewable_share(supply).reset_index(),
                     t("energy.renewable"))


def factors(
    activity: Annotated[str | None, typer.Option("--activity", help="Activity key, e.g. "
                                                 "natural_gas (see --list activities).")
                        ] = None,
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
    listed: Annotated[str | None, typer.Option(
        "--list", help="List the keys instead of the records: activities (by category "
        "and method, with English and Vietnamese names and aliases), categories or "
        "units.")] = None,
) -> None:
    """List emission-factor records with their sources, edition and verification status
    (two_sources: two copies of the printed table agree; single_source: one copy;
    user: the user's own); --list activities lists the activity keys."""
    from rich.console import Console

    from ghg_inventory.factors import GUIDELINES, VERIFICATION, FactorDB
    from ghg_inventory.reporting.terminal import show

    if listed is not None:
        _list_keys(listed, category)
        return
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
            raise bad(t("bad.verification", values=", ".join(unknown),
                        choices=", ".join(VERIFICATION)), "--verification")
        rows = rows[rows["verification"].isin(wanted)]
    if guidelines:
        if guidelines not in GUIDELINES:
            raise bad(t("bad.edition", edition=guidelines,
                        choices=f" {t('or')} ".join(GUIDELINES)), "--edition")
        rows = rows[rows["guidelines"] == guidelines]
    if activity and rows.empty:
        _no_records(activity, db)
    counts = rows["verification"].value_counts()
    status = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERIFICATION if counts.get(v, 0))
    shown = rows.rename(columns={"guidelines": "edition"}).reindex(columns=[
        "factor_id", "category", "gas", "value", "unit", "lower", "upper", "edition",
        "verification", "source", "reference"])
    title = t("factors.title", count=len(rows)) + (f" ({status})" if status else "")

    def number(value: object) -> str:  # as printed in the tables: 56100, 0.0001
        return "" if value is None or value != value else f"{value:g}"

    def text(value: object) -> str:  # a record without a gas (an NCV, a density) reads NaN
        return "" if value is None or value != value else str(value)

    display = shown.copy()
    for column in display.columns:
        display[column] = display[column].map(
            number if column in ("value", "lower", "upper") else text).astype(object)
    _emit(shown, title, lambda: show(_frame_table(display, title)))
    del Console


def _activity_keys() -> dict[str, set[str]]:
    """Every activity key the methods know, with the methods that know it."""
    from ghg_inventory.factors import FactorDB
    from ghg_inventory.sectors import REGISTRY

    db = FactorDB.default()
    out: dict[str, set[str]] = {}
    for name, method in REGISTRY.items():
        for key in method.activities(db):
            out.setdefault(key, set()).add(name)
    return out


def _no_records(activity: str, db: Any) -> None:
    """Say, on standard error, what an activity without a factor record may have meant."""
    from rich.console import Console

    from ghg_inventory.aliases import canonical, suggest

    keys = set(_activity_keys()) | set(db.select()["activity"].dropna().astype(str))
    read = canonical([activity], keys, "activity").get(activity)
    near = [read] if read else suggest(activity, keys, "activity")
    if near and activity not in near:
        _say(Console(stderr=True), "hint", t("factors.none", activity=activity,
                                             keys=f" {t('or')} ".join(near)))


def _list_keys(what: str, category: str | None) -> None:
    """``factors --list activities|categories|units``: the keys a table may use."""
    import pandas as pd

    from ghg_inventory.aliases import aliases
    from ghg_inventory.factors import FactorDB
    from ghg_inventory.sectors import REGISTRY

    db = FactorDB.default()
    if what == "activities":
        fuels = db.fuels()
        written = aliases("activity")
        # the names of fuels.csv are columns of their own
        written = written[written["source"] != "emission_factors/fuels.csv"]
        other = written.groupby("key")["alias"].agg(lambda a: ", ".join(dict.fromkeys(a)))
        rows = []
        for name, method in REGISTRY.items():
            for code in method.categories:
                if category and not (code.startswith(category) or category.startswith(code)):
                    continue
                for key in sorted(method.activities(db)):
                    fuel = fuels.loc[key] if key in fuels.index else None
                    rows.append({"category": code, "method": name, "activity": key,
                                 "name_en": "" if fuel is None else fuel["name_en"],
                                 "name_vi": "" if fuel is None else fuel["name_vi"],
                                 "aliases": other.get(key, "")})
        frame = pd.DataFrame(rows, columns=["category", "method", "activity", "name_en",
                                            "name_vi", "aliases"]).fillna("")
        frame = frame.sort_values(["category", "method", "activity"], kind="stable")
        _print_frame(frame, t("factors.list_activities", count=frame["activity"].nunique()),
                     tonnes=False)
    elif what == "categories":
        from ghg_inventory.categories import name as category_name

        # the category's name in the command's language; the method's description (its
        # equations and tables, as the Guidelines number them) as the method gives it
        rows = [{"category": code, "method": name, "name": category_name(code, current()),
                 "description": method.description,
                 "amount_kinds": ", ".join(method.amount_kinds)}
                for name, method in REGISTRY.items() for code in method.categories
                if not category or code.startswith(category)]
        frame = pd.DataFrame(rows, columns=["category", "method", "name", "description",
                                            "amount_kinds"]).sort_values(
            ["category", "method"], kind="stable")
        _print_frame(frame, t("factors.list_categories", count=frame["category"].nunique()),
                     tonnes=False)
    elif what == "units":
        from ghg_inventory.units import CANONICAL, COMMON_UNITS, parse_unit

        written = aliases("unit")
        other = written.groupby("key")["alias"].agg(lambda a: ", ".join(dict.fromkeys(a)))
        rows = [{"unit": u, "kind": parse_unit(u).kind or "",
                 "converted_to": CANONICAL.get(parse_unit(u).kind or "", ""),
                 "aliases": other.get(u, "")} for u in COMMON_UNITS]
        rows += [{"unit": k, "kind": parse_unit(k).kind or "",
                  "converted_to": CANONICAL.get(parse_unit(k).kind or "", ""),
                  "aliases": a} for k, a in other.items() if k not in COMMON_UNITS]
        frame = pd.DataFrame(rows, columns=["unit", "kind", "converted_to", "aliases"])
        _print_frame(frame, t("factors.list_units", count=len(frame)), tonnes=False)
    else:
        raise bad(t("bad.list", what=what), "--list")
