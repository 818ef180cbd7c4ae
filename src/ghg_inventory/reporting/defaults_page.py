"""The page of every shipped default (``docs/defaults.md``), generated from ``emission_factors/``.

Regenerate it after changing a factor table::

    python -m ghg_inventory.reporting.defaults_page            # writes docs/defaults.md
    python -m ghg_inventory.reporting.defaults_page --check    # exit 1 if it is out of date

The page lists, table by table, every record the library ships: parameter, category,
activity, gas, value, unit, range (lower-upper where the Guidelines print one), source and
reference, the edition it was printed in and how it was checked (``two_sources`` or
``single_source``), then the default activity-data uncertainties the uncertainty analysis
uses. It is written from the tables alone, so it cannot drift from them; a test regenerates
it and fails when the committed page differs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

COMMAND = "python -m ghg_inventory.reporting.defaults_page"
STATUSES = ("two_sources", "single_source")


def _cell(value: object) -> str:
    """A table cell: empty for missing, pipes escaped, one line."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ").strip()
    return text.replace("|", "\\|")


def _number(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return f"{float(value):.10g}"  # type: ignore[arg-type]


def _code(value: object) -> str:
    text = _cell(value)
    return f"`{text}`" if text else ""


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["verification"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def render() -> str:
    """The Markdown page of every shipped default (deterministic: same tables, same page)."""
    from ghg_inventory.analysis.uncertainty import shipped_activity_defaults
    from ghg_inventory.factors import FactorDB

    table = FactorDB.default().table.copy()
    table["file"] = [Path(str(t)).name for t in table["table"]]
    counts = _counts(table)
    ranged = int((table["lower"].notna() & table["upper"].notna()).sum())
    lines = [
        "# Shipped defaults",
        "",
        f"<!-- Generated from emission_factors/ by `{COMMAND}`; do not edit by hand. -->",
        "",
        f"Every value the library ships in `emission_factors/`: {len(table)} records, "
        f"{counts['two_sources']} checked against two independent copies of the printed "
        f"table (`two_sources`) and {counts['single_source']} against one machine-readable "
        "copy that cites the table, its edition confirmed (`single_source`); "
        f"{ranged} carry the range the Guidelines print. A value the user gives "
        "(an override table) is `user`. The schema and the precedence rules are in "
        "[Factor tables](factor_tables.md); `ghg-inventory factors --verification "
        "single_source` lists the single-source records, and `ghg-inventory check` says "
        "which share of an inventory rests on them.",
        "",
        "Range: `lower`-`upper` in the record's unit (a printed +/- % becomes value x (1 -/+ p)); "
        "empty where the source prints none. Edition: the IPCC Guidelines (2006) or the "
        "2019 Refinement that printed the value.",
        "",
        "| table | records | two_sources | single_source | with a range |",
        "|---|---:|---:|---:|---:|",
    ]
    files = sorted(table["file"].unique())
    for name in files:
        part = table[table["file"] == name]
        c = _counts(part)
        with_range = int((part["lower"].notna() & part["upper"].notna()).sum())
        lines.append(f"| [{name}](#{_anchor(name)}) | {len(part)} | {c['two_sources']} | "
                     f"{c['single_source']} | {with_range} |")
    for name in files:
        part = table[table["file"] == name]
        lines += ["", f"## {name}", "",
                  "| factor_id | parameter | category | activity | gas | value | unit | range "
                  "| source, reference | edition | verification |",
                  "|---|---|---|---|---|---:|---|---|---|---|---|"]
        for r in part.itertuples(index=False):
            low, high = _number(r.lower), _number(r.upper)
            span = f"{low}-{high}" if low and high else ""
            lines.append(
                f"| {_code(r.factor_id)} | {_cell(r.parameter)} | {_cell(r.category)} | "
                f"{_cell(r.activity)} | {_cell(r.gas)} | {_number(r.value)} | "
                f"{_code(r.unit)} | {span} | {_cell(r.source)}, {_cell(r.reference)} | "
                f"{_cell(r.guidelines)} | {_cell(r.verification)} |")
    lines += _activity_section(shipped_activity_defaults())
    return "\n".join(lines) + "\n"


def _anchor(name: str) -> str:
    """The anchor mkdocs' toc extension gives a heading ``name``."""
    return "".join(ch for ch in name.lower() if ch.isalnum() or ch in "-_ ").replace(" ", "-")


def _activity_section(defaults: pd.DataFrame) -> list[str]:
    lines = ["", "## Default activity-data uncertainties", "",
             "Used by the uncertainty analysis (`ghg_inventory.analysis.uncertainty`) for an "
             "activity row that has no `activity_uncertainty` of its own and none from the "
             "caller (`activity_uncertainty={category prefix: %}`); the result says which "
             "rows took one (`attrs[\"defaults_used\"]`). File: "
             "`emission_factors/ipcc2006_activity_uncertainty.csv`.", ""]
    if defaults.empty:
        lines.append("None shipped yet: the table's header says what was searched for and "
                     "not found. Without one, an activity row needs its own uncertainty or "
                     "the caller's, and the analysis says which rows lack it.")
        return lines
    lines += ["A row marked default is used unless the caller names another condition "
              "(`activity_condition=`); the Guidelines' own words are in `printed`.", "",
              "| category | activity | source type | data | condition | default | printed "
              "| uncertainty (%) | source, reference | edition | verification |",
              "|---|---|---|---|---|---|---|---:|---|---|---|"]
    for r in defaults.itertuples(index=False):
        pct = _number(r.used_pct)
        if _number(r.lower_pct) or _number(r.upper_pct):
            pct = f"-{_number(r.lower_pct)} / +{_number(r.upper_pct)}"
        activity = _cell(str(r.activity).replace(";", ", ")) or "(any)"
        lines.append(f"| {_cell(r.category)} | {activity} | {_cell(r.source_type)} | "
                     f"{_cell(r.data)} | {_cell(r.condition)} | "
                     f"{'yes' if r.default else ''} | {_cell(r.printed)} | {pct} | "
                     f"{_cell(r.source)}, {_cell(r.reference)} | {_cell(r.guidelines)} | "
                     f"{_cell(r.verification)} |")
    return lines


def default_path() -> Path:
    """``docs/defaults.md`` of the source tree this module runs from (else of the working
    directory)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "docs").is_dir() and (parent / "emission_factors").is_dir():
            return parent / "docs" / "defaults.md"
    return Path.cwd() / "docs" / "defaults.md"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the page (or, with ``--check``, say whether the written one is current)."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write it (default: docs/defaults.md)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the page differs from the tables")
    args = parser.parse_args(argv)
    path = args.out or default_path()
    page = render()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != page:
            print(f"{path} is out of date; run: {COMMAND}", file=sys.stderr)
            return 1
        return 0
    path.write_text(page, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
