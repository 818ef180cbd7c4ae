"""Build-time generator of the method pages and the API pages (mkdocs-gen-files).

Method pages: ``methods/<slug>.md`` = the hand-written part ``docs/methods/<slug>.md`` with
its ``{{ method }}`` marker replaced by what the code and the data say, generated at every
build so that docs and data cannot disagree:

* the method declaration(s) of the registry (categories, kind of amount, parameter columns);
* the defaults table, read from ``emission_factors/*.csv`` with pandas and selected by
  category (and parameter) for the method: value, unit, range, source, reference;
* the ``#`` comment lines of each factor table used (what is not shipped, and why).

A parameter column a method reads but its hand-written page never mentions, or a page whose
selection finds no factor table, is logged as a warning, so ``mkdocs build --strict`` fails.

API pages: one ``api/<module>.md`` per public module of ``src/ghg_inventory`` (mkdocstrings).
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import mkdocs_gen_files
import pandas as pd

log = logging.getLogger("mkdocs.plugins.gen_pages")

DOCS = Path(mkdocs_gen_files.config["docs_dir"])
ROOT = DOCS.parent
FACTORS = ROOT / "emission_factors"
SRC = ROOT / "src"
MARKER = "{{ method }}"
#: The marker as the pages write it: an HTML comment pair around a note for readers of the raw
#: page (on GitHub), all of it replaced by the generated part.
GENERATED = re.compile(r"<!-- generated: method\b.*?<!-- end generated -->", re.DOTALL)


@dataclass(frozen=True)
class Select:
    """Factor rows for a page: category under (or, ``exact``, equal to) ``category``,
    optionally only some parameters."""

    category: str
    parameters: tuple[str, ...] = ()
    exact: bool = False


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    methods: tuple[str, ...]
    select: tuple[Select, ...]
    extra_tables: tuple[str, ...] = field(default=())  # other CSVs shown whole


PAGES = (
    Page("stationary-combustion", "Stationary combustion", ("stationary_combustion",),
         (Select("1.A", ("ncv", "density"), exact=True), Select("1.A", ("ef",), exact=True),
          Select("1.A.1"), Select("1.A.2", exact=True), Select("1.A.4.a"),
          Select("1.A.4.b", exact=True), Select("1.A.4.c", exact=True)),
         ("fuels.csv",)),
    Page("road-transport", "Road transport", ("road_transport", "road_transport_distance"),
         (Select("1.A.3.b"),)),
    Page("off-road", "Off-road vehicles and machinery", ("off_road", "off_road_machinery"),
         (Select("1.A.2", ("ef",), exact=True), Select("1.A.3.e"), Select("1.A.4.b", exact=True),
          Select("1.A.4.c.ii"))),
    Page("other-mobile", "Railways, domestic navigation and civil aviation",
         ("railways", "domestic_navigation", "civil_aviation"),
         (Select("1.A.3.a"), Select("1.A.3.c"), Select("1.A.3.d"))),
    Page("electricity", "Purchased electricity and heat",
         ("purchased_electricity", "purchased_heat"),
         (Select("indirect.electricity"), Select("indirect.heat"))),
    Page("cement", "Cement", ("cement",), (Select("2.A.1"),)),
    Page("lime", "Lime", ("lime",), (Select("2.A.2"),)),
    Page("glass", "Glass", ("glass",), (Select("2.A.3"),)),
    Page("carbonates", "Bricks, ceramics and other process uses of carbonates",
         ("carbonate_inputs", "clay_firing"), (Select("2.A", exact=True), Select("2.A.4"))),
    Page("refrigeration", "Refrigeration and air conditioning", ("refrigeration_ac",),
         (Select("2.F.1"),), ("refrigerant_blends.csv",)),
    Page("sf6", "SF6 in electrical equipment", ("sf6_electrical_equipment",),
         (Select("2.G.1"),)),
    Page("enteric-fermentation", "Enteric fermentation", ("enteric_fermentation",),
         (Select("3.A.1"),)),
    Page("manure", "Manure management", ("manure_management",), (Select("3.A.2"),)),
    Page("rice", "Rice cultivation", ("rice_cultivation",), (Select("3.C.7"),)),
    Page("managed-soils", "Managed soils (direct and indirect N2O)", ("managed_soils",),
         (Select("3.C.4"), Select("3.C.5"))),
    Page("urea-liming", "Urea application and liming", ("urea_application", "liming"),
         (Select("3.C.2"), Select("3.C.3"))),
    Page("residue-burning", "Burning of crop residues", ("cropland_burning",),
         (Select("3.C.1"),)),
    Page("forest-land", "Forest land remaining forest land", ("forest_land_remaining",),
         (Select("3.B.1"),)),
    Page("land-conversion", "Land conversion (deforestation, afforestation)",
         ("land_conversion",), (Select("3.B"), )),
    Page("landfill-fod", "Solid waste disposal (first-order decay)", ("solid_waste_disposal",),
         (Select("4.A", ("composition", "doc", "docf", "f_ch4", "k", "mcf",
                         "oxidation_factor")),)),
    Page("biological-treatment", "Biological treatment (composting, digestion)",
         ("biological_treatment",), (Select("4.B"),)),
    Page("incineration-open-burning", "Incineration and open burning of waste",
         ("waste_burning",),
         (Select("4.A", ("dry_matter", "total_carbon", "fossil_carbon_fraction")),
          Select("4.C"))),
    Page("wastewater", "Wastewater (domestic and industrial)", ("wastewater",),
         (Select("4.D"),)),
)

#: Columns of the defaults table, in this order; the optional ones only where used.
SHOWN = ("activity", "gas", "variant", "region", "year", "value", "unit", "range",
         "guidelines", "verification", "source", "reference", "factor_id")
OPTIONAL = {"gas", "variant", "region", "year"}


def read_factor_csv(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """A factor table as the library reads it (``#`` lines are comments), and its comments."""
    text = path.read_text(encoding="utf-8")
    comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    frame = pd.read_csv(path, dtype=str, comment="#", keep_default_na=False)
    frame["table"] = path.name
    return frame, comments


def factor_tables() -> tuple[pd.DataFrame, dict[str, list[str]]]:
    frames, notes = [], {}
    for path in sorted(FACTORS.glob("*.csv")):
        frame, comments = read_factor_csv(path)
        if "factor_id" not in frame.columns:  # fuels.csv, refrigerant_blends.csv: no factors
            continue
        frames.append(frame)
        notes[path.name] = comments
    table = pd.concat(frames, ignore_index=True).fillna("")
    return table, notes


def under(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + ".")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace("|", r"\|")


def markdown_table(frame: pd.DataFrame, columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in frame[columns].itertuples(index=False):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    return "\n".join(lines)


def select_rows(table: pd.DataFrame, page: Page) -> pd.DataFrame:
    keep = pd.Series(False, index=table.index)
    for s in page.select:
        cat = table["category"].map(
            (lambda c, s=s: c == s.category) if s.exact else (lambda c, s=s: under(c, s.category)))
        par = table["parameter"].isin(s.parameters) if s.parameters else True
        keep |= cat & par
    return table[keep]


def defaults_section(rows: pd.DataFrame, notes: dict[str, list[str]]) -> str:
    out = ["## Default values (generated from `emission_factors/`)", ""]
    if rows.empty:
        out += ["!!! warning \"No default record is shipped for this method\"",
                "    Every value must come from the activity row or an override table "
                "(`--factors`, see [Factor tables](../factor_tables.md)).", ""]
    else:
        out += [f"{len(rows)} record(s) from "
                + ", ".join(f"`{t}`" for t in sorted(rows['table'].unique()))
                + ". The range is the IPCC default uncertainty range (lower - upper) where the "
                "source prints one and it was checked; empty otherwise. `verification`: "
                "`two_sources` (two copies of the printed table agree) or `single_source` "
                "(one copy; see [Shipped defaults](../defaults.md)). A record's "
                "`factor_id` is what an emissions row names in its provenance.", ""]
        rows = rows.assign(range=[f"{lo} - {up}" if lo or up else ""
                                  for lo, up in zip(rows["lower"], rows["upper"], strict=True)])
        for (parameter, category), group in rows.groupby(["parameter", "category"], sort=False):
            columns = [c for c in SHOWN if c in group.columns
                       and (c not in OPTIONAL or (group[c] != "").any())]
            out += [f"### `{parameter}` under {category}", "", markdown_table(group, columns), ""]
    for name in sorted(rows["table"].unique()) if not rows.empty else []:
        if notes.get(name):
            out += [f'??? note "Notes in `emission_factors/{name}`"', ""]
            out += ["    " + cell(line) if line else "" for line in notes[name]]
            out += [""]
    return "\n".join(out)


def declaration_section(page: Page, registry: dict, text: str) -> str:
    out = ["## Activity rows this method takes (generated from the method registry)", ""]
    for name in page.methods:
        method = registry[name]
        params = ", ".join(f"`{p}` ({getattr(t, '__name__', t)})"
                           for p, t in method.parameters.items()) or "none"
        out += [f"**`{method.name}`**: {cell(method.description)}", "",
                f"- categories: {', '.join(f'`{c}`' for c in method.categories)}"
                + (f" (except {', '.join(f'`{c}`' for c in method.exclude)})"
                   if method.exclude else ""),
                f"- source_type: `{method.source_type}`",
                f"- amount: {', '.join(method.amount_kinds)}",
                f"- parameter columns: {params}", ""]
        for p in method.parameters:
            if f"`{p}`" not in text:
                log.warning("methods/%s.md: parameter column %r of %s is not described",
                            page.slug, p, name)
    return "\n".join(out)


def activity_uncertainty_section(page: Page, registry: dict) -> str:
    """The default activity-data uncertainties (``ipcc2006_activity_uncertainty.csv``) for
    the categories of the page's methods."""
    path = FACTORS / "ipcc2006_activity_uncertainty.csv"
    if not path.exists():
        return ""
    frame = pd.read_csv(path, dtype=str, comment="#", keep_default_na=False)
    served = [(c, registry[m].source_type) for m in page.methods
              for c in registry[m].categories]
    rows = frame[[any((under(c, code) or under(code, c)) and (not kind or kind == st)
                      for c, st in served)
                  for code, kind in zip(frame["category"], frame["source_type"], strict=True)]]
    out = ["## Default activity-data uncertainty (generated)", ""]
    if rows.empty:
        return "\n".join(out + ["The IPCC 2006 Guidelines print none for these categories: "
                                 "give `activity_uncertainty` (see "
                                 "[Shipped defaults](../defaults.md)).", ""])
    rows = rows.assign(default=rows["default"].map({"true": "yes"}).fillna(""))
    out += ["Used by the uncertainty analysis where a row gives none; the row marked default "
            "unless another condition is chosen (see [Shipped defaults](../defaults.md)).", "",
            markdown_table(rows, ["category", "activity", "data", "condition", "default",
                                  "printed", "uncertainty_pct", "reference", "verification"]),
            ""]
    return "\n".join(out)


def method_pages() -> None:
    sys.path.insert(0, str(SRC))
    import ghg_inventory as ghg

    registry = ghg.METHODS
    table, notes = factor_tables()
    covered = {m for p in PAGES for m in p.methods}
    for name in sorted(set(registry) - covered):
        log.warning("method %r has no documentation page", name)
    index = ["# Methods", "",
             "One page per calculation method: the IPCC equation, what each input means and "
             "its unit, the default values shipped in `emission_factors/` (generated at build "
             "time, so the page and the data cannot disagree) and the references.", "",
             "| page | methods | categories |", "|---|---|---|"]
    for page in PAGES:
        source = DOCS / "methods" / f"{page.slug}.md"
        text = source.read_text(encoding="utf-8")
        text = GENERATED.sub(lambda _: MARKER, text)
        if MARKER not in text:
            log.warning("%s: no %s marker", source, MARKER)
        rows = select_rows(table, page)
        generated = declaration_section(page, registry, text) + "\n\n" + defaults_section(
            rows, notes) + "\n\n" + activity_uncertainty_section(page, registry)
        for extra in page.extra_tables:
            frame = pd.read_csv(FACTORS / extra, dtype=str, comment="#",
                                keep_default_na=False)
            generated += (f"\n\n### `emission_factors/{extra}`\n\n"
                          + markdown_table(frame, [c for c in frame.columns if c != "notes"]))
        with mkdocs_gen_files.open(f"methods/{page.slug}.md", "w") as out:
            out.write(text.replace(MARKER, generated))
        cats = sorted({c for m in page.methods for c in registry[m].categories})
        index.append(f"| [{page.title}]({page.slug}.md) | "
                     + ", ".join(f"`{m}`" for m in page.methods) + " | "
                     + ", ".join(f"`{c}`" for c in cats) + " |")
    with mkdocs_gen_files.open("methods/index.md", "w") as out:
        out.write("\n".join(index) + "\n")


def api_pages() -> None:
    package = SRC / "ghg_inventory"
    modules = ["ghg_inventory"]
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if any(p.startswith("_") for p in parts):
            continue
        modules.append(".".join(parts))
    index = ["# API reference", "",
             "Generated from the docstrings by mkdocstrings. The public names are re-exported "
             "by `ghg_inventory` (`ghg.compute`, `ghg.Inventory`, `ghg.FactorDB` ...).", ""]
    for module in modules:
        name = module.removeprefix("ghg_inventory.") if module != "ghg_inventory" else "index"
        slug = "package" if name == "index" else name
        with mkdocs_gen_files.open(f"api/{slug}.md", "w") as out:
            out.write(f"# `{module}`\n\n::: {module}\n")
        index.append(f"- [`{module}`]({slug}.md)")
    with mkdocs_gen_files.open("api/index.md", "w") as out:
        out.write("\n".join(index) + "\n")


method_pages()
api_pages()
