"""Hypothesis strategies that build valid activity rows for every registered method.

What a method accepts is read from its declaration (:class:`ghg_inventory.methods.Method`:
categories, ``exclude``, ``activities(factors)``, ``amount_kinds``, ``source_type``) and from
the factor database; what the declaration cannot say (which parameter cells a row needs,
which string values they take) is written once per method in :data:`RECIPES`, with the
values taken from the factor tables, the sector modules' constants and ``data/``.

A recipe lists *cells*: the fixed part of a row (category, activity, kind of amount, string
parameters) and the numeric parameters drawn per row (:class:`Num`, :class:`Rel`,
:class:`YearPlus`), each either always given or given-or-blank. The candidate cells of a
method are checked once, in bulk, by the library's own validation (:func:`valid_cells`): a
cell stays only when its rows are accepted *and* routed to that very method, with its
numbers given and, where they may be blank, blank. The properties then test what the
accepted rows compute to; refusals are the validation tests' business.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from hypothesis import strategies as st

import ghg_inventory as ghg
from ghg_inventory.categories import category_table
from ghg_inventory.errors import ActivityValidationError
from ghg_inventory.methods import Context
from ghg_inventory.readers import read_activities
from ghg_inventory.sectors import (
    livestock,
    manure,
    mobile,
    rice,
    soils,
    solid_waste,
    wastewater,
)
from ghg_inventory.sectors._livestock import livestock_regions
from ghg_inventory.sectors.fgases import blends
from ghg_inventory.validation import validate

#: The package's methods by name (``ghg_inventory.METHODS``: what ``compute`` uses).
REGISTRY = ghg.METHODS

# --- units of each kind of amount, and their size in the kind's canonical unit ----------------
#: (unit as written, canonical units per unit): canonical units are those of units.CANONICAL
#: (kg, TJ, m**3, ha, km ...). The first unit of a kind is the one amounts are drawn in.
UNITS: dict[str, tuple[tuple[str, float], ...]] = {
    "mass": (("t", 1e3), ("kg", 1.0), ("Gg", 1e6), ("kt", 1e6)),
    "energy": (("TJ", 1.0), ("GJ", 1e-3), ("MWh", 3.6e-3), ("kWh", 3.6e-6)),
    "volume": (("m3", 1.0), ("L", 1e-3)),
    "area": (("ha", 1.0), ("km2", 100.0)),
    "length": (("km", 1.0), ("m", 1e-3)),
    "head": (("head", 1.0),),
    "person": (("person", 1.0),),
}

FACILITIES = ("F1", "F2", "F3")
YEARS = tuple(range(2015, 2025))
#: Communes of Lai Châu (examples/), and a blank cell: rows without a commune are valid.
COMMUNES = ("Phường Tân Phong", "Xã Bình Lư", "Xã Mường Kim", None)


# --- numeric parameter cells -------------------------------------------------------------------

@dataclass(frozen=True)
class Num:
    """A number drawn from [low, high]; blank as well where ``blank``."""

    low: float
    high: float
    blank: bool = False


@dataclass(frozen=True)
class Rel:
    """A quantity proportional to the row's amount: ``u x amount [canonical] x per`` with u
    drawn from [low, high]. Such cells scale with the amount (area burnt of the area
    harvested, clinker exported of the cement made ...), so linearity scales them too."""

    low: float
    high: float
    per: float = 1.0
    blank: bool = False


@dataclass(frozen=True)
class YearPlus:
    """A year ``low``..``high`` years after the row's year (``until`` of a landfill)."""

    low: int
    high: int
    blank: bool = False


Spec = Num | Rel | YearPlus


@dataclass(frozen=True)
class Cell:
    """The fixed part of a row and the numbers drawn for it."""

    fixed: tuple[tuple[str, Any], ...]
    numbers: tuple[tuple[str, Spec], ...] = ()

    @property
    def kind(self) -> str:
        return str(dict(self.fixed)["_kind"])

    def row(self) -> dict[str, Any]:
        return {k: v for k, v in self.fixed if k != "_kind"}


def cell(numbers: Mapping[str, Spec] | None = None, **fixed: Any) -> Cell:
    return Cell(tuple(sorted(fixed.items())), tuple(sorted((numbers or {}).items())))


@dataclass(frozen=True)
class Recipe:
    """What a method's rows need beyond its declaration.

    ``cells(db)`` lists candidate cells (checked by :func:`valid_cells`); ``linear`` says
    the method's emissions are proportional to the amount (with its :class:`Rel` cells);
    ``removals`` says some gas may be negative (CO2 of land, a sink); ``note`` says why.
    """

    cells: Callable[[ghg.FactorDB], list[Cell]]
    linear: bool = True
    removals: bool = False
    note: str = ""


# --- user override records for methods without shipped defaults -------------------------------
#: The shipped tables hold no factor for purchased heat (a supplier's own factor), SF6 in
#: electrical equipment without a region (Tables 8.2-8.4 of Vol 3 Ch 8 are by region, see
#: emission_factors/ipcc2006_sf6.csv) or distance-based road CH4/N2O (Tier
#: 2/3, country-specific by design). Users give these in override tables, so the properties
#: do too. The values below are a *test user's own* factors, not IPCC defaults and not used
#: by any expected value: the properties (finite, linear, unit and order invariance, roll-ups)
#: hold for any positive factor. SF6: Table 8.2 prints per-stage factors as fractions of the
#: nameplate capacity per year (use) or of the capacity installed/retired; the numbers here
#: are only of that shape and size.
_OVERRIDE_ROWS = [
    # factor_id, parameter, category, activity, gas, value, unit, variant
    ("test.heat", "ef", "indirect.heat", "purchased_heat", "CO2", 0.25, "kg/kWh", None),
    ("test.steam", "ef", "indirect.heat", "purchased_steam", "CO2", 0.28, "kg/kWh", None),
    ("test.sf6.use", "ef", "2.G.1", "sf6_closed_pressure", "SF6", 0.01, "1/year", "use"),
    ("test.sf6.inst", "ef", "2.G.1", "sf6_closed_pressure", "SF6", 0.02, "dimensionless",
     "installation"),
    ("test.sf6.disp", "ef", "2.G.1", "sf6_closed_pressure", "SF6", 0.05, "dimensionless",
     "disposal"),
    ("test.sf6s.use", "ef", "2.G.1", "sf6_sealed_pressure", "SF6", 0.002, "1/year", "use"),
    ("test.car.ch4", "ef", "1.A.3.b", "passenger_car_gasoline", "CH4", 0.01, "g/km", None),
    ("test.car.n2o", "ef", "1.A.3.b", "passenger_car_gasoline", "N2O", 0.005, "g/km", None),
    ("test.bus.ch4", "ef", "1.A.3.b", "bus_diesel", "CH4", 0.06, "g/km", None),
    ("test.bus.n2o", "ef", "1.A.3.b", "bus_diesel", "N2O", 0.03, "g/km", None),
]
OVERRIDES = pd.DataFrame(
    [{"factor_id": f, "parameter": p, "category": c, "activity": a, "gas": g, "value": v,
      "unit": u, "variant": var, "tier": 3, "guidelines": "2006",
      # the test supplier and vehicles burn fossil fuel: CO2 counts and CH4 takes the
      # fossil AR6 value (records of those gases must say which)
      "fossil": True if g in ("CO2", "CH4") else None,
      "source": "property tests: a test user's own factor (not an IPCC default)",
      "reference": "tests/strategies.py"} for f, p, c, a, g, v, u, var in _OVERRIDE_ROWS])


@cache
def factors() -> ghg.FactorDB:
    """The shipped defaults plus :data:`OVERRIDES`: what every property computes with."""
    return ghg.FactorDB.default().with_overrides(OVERRIDES)


# --- helpers reading the declarations and the factor tables ----------------------------------

def categories_of(name: str) -> list[str]:
    """Every printed code under the method's categories, and one sub-code below each (the
    validator accepts a code one level below the printed tree)."""
    method = REGISTRY[name]
    known = list(category_table().index)
    out = []
    for served in method.categories:
        under = [c for c in known if c == served or c.startswith(served + ".")]
        out += under + [f"{c}.i" for c in under]
    return sorted(set(out))


def variants(db: ghg.FactorDB, parameter: str, category: str | None = None,
             activity: str | None = None) -> list[str]:
    t = db.table
    rows = t["parameter"] == parameter
    if category:
        rows &= t["category"] == category
    if activity:
        rows &= t["activity"] == activity
    return sorted(set(t.loc[rows, "variant"].dropna().astype(str)) - {""})


def activities_with(db: ghg.FactorDB, parameter: str, category: str | None = None) -> list[str]:
    t = db.table
    rows = t["parameter"] == parameter
    if category:
        rows &= t["category"] == category
    return sorted(set(t.loc[rows, "activity"].astype(str)))


def grid(name: str, db: ghg.FactorDB, *, activities: Iterable[str] | None = None,
         categories: Iterable[str] | None = None, kinds: Iterable[str] | None = None,
         numbers: Mapping[str, Spec] | None = None, **choices: Any) -> list[Cell]:
    """Cells of every category x activity x kind x choice combination."""
    method = REGISTRY[name]
    acts = sorted(activities if activities is not None else method.activities(db))
    cats = list(categories if categories is not None else categories_of(name))
    kinds = list(kinds if kinds is not None else method.amount_kinds)
    keys = list(choices)
    out = []
    for category, activity, kind, *values in itertools.product(
            cats, acts, kinds, *[list(choices[k]) for k in keys]):
        out.append(cell(numbers, category=category, activity=activity, _kind=kind,
                        **dict(zip(keys, values, strict=True))))
    return out


T = TypeVar("T")


def spread(cells: list[T], limit: int) -> list[T]:
    """At most ``limit`` cells, every ``step``-th one (a fixed, even thinning of a grid)."""
    if len(cells) <= limit:
        return cells
    step = len(cells) / limit
    return [cells[int(i * step)] for i in range(limit)]


def paired(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each of ``first`` with one of ``second`` in turn (all of both used, not the product)."""
    n = max(len(first), len(second))
    return [{**first[i % len(first)], **second[i % len(second)]} for i in range(n)]


# --- per-method recipes ------------------------------------------------------------------------

def _fuel(name: str, **choices: Any) -> Callable[[ghg.FactorDB], list[Cell]]:
    # every category x fuel x kind would be 8,000 cells for stationary combustion: an even
    # thinning keeps every category and every fuel, in fewer combinations
    return lambda db: spread(grid(name, db, **choices), 1200)


def _electricity(db: ghg.FactorDB) -> list[Cell]:
    # only years with a published grid factor (the method never borrows another year's)
    t = db.table
    years = sorted({int(y) for y in t.loc[(t["activity"] == "grid_electricity")
                                          & (t["parameter"] == "ef"), "year"].dropna()})
    return grid("purchased_electricity", db, year=years, country=["", "VN"])


def _cement(db: ghg.FactorDB) -> list[Cell]:
    # Tier 1: the row's clinker fraction or the 0.75 default (type unknown); imports and
    # exports are masses of clinker [t] proportional to the cement made (kg -> t: 1e-3)
    tier1 = grid("cement", db, activities=["cement"], numbers={
        "clinker_fraction": Num(0.5, 0.95, blank=True),
        "clinker_imports": Rel(0.0, 0.3, per=1e-3, blank=True),
        "clinker_exports": Rel(0.0, 0.5, per=1e-3, blank=True)})
    tier2 = grid("cement", db, activities=["clinker"], numbers={
        "ckd_correction": Num(1.0, 1.1, blank=True)})
    return tier1 + tier2


def _clay(db: ghg.FactorDB) -> list[Cell]:
    carbonates = activities_with(db, "ef", "2.A")
    return grid("clay_firing", db, carbonate=["", *carbonates],
                numbers={"carbonate_fraction": Num(0.0, 0.3),
                         "calcination_fraction": Num(0.5, 1.0, blank=True)})


def _refrigeration(db: ghg.FactorDB) -> list[Cell]:
    refrigerants = sorted(blends()["blend"].unique()) + ["HFC-134a", "HFC-32", "R-22"]
    bank = grid("refrigeration_ac", db, refrigerant=refrigerants)
    charged = grid("refrigeration_ac", db, refrigerant=refrigerants[:3], numbers={
        "new_charge": Rel(0.0, 0.5, blank=True),
        "installation_ef": Num(0.0, 5.0, blank=True)})
    # end-of-life factors: Table 7.9 prints only ranges, no default is shipped; a blank p or
    # eta_rec with retired_charge > 0 is refused
    retired = grid("refrigeration_ac", db, refrigerant=refrigerants[::4], numbers={
        "retired_charge": Rel(0.0, 0.3), "remaining_at_eol": Num(0.0, 100.0, blank=True),
        "recovery_efficiency": Num(0.0, 100.0, blank=True),
        "operation_ef": Num(0.0, 30.0, blank=True)})
    return bank + charged + retired


def _sf6(db: ghg.FactorDB) -> list[Cell]:
    own = grid("sf6_electrical_equipment", db, activities=["sf6_closed_pressure",
                                                           "sf6_sealed_pressure"], numbers={
        "installed_capacity": Rel(0.0, 0.2, blank=True),
        "retired_capacity": Rel(0.0, 0.1, blank=True)})
    # the IPCC defaults (Tables 8.2-8.4) by region: use and disposal stages only
    ipcc = (grid("sf6_electrical_equipment", db, activities=["sf6_closed_pressure",
                                                             "sf6_sealed_pressure"],
                 sf6_region=["europe", "japan"],
                 numbers={"retired_capacity": Rel(0.0, 0.1, blank=True)})
            + grid("sf6_electrical_equipment", db,
                   activities=["sf6_gas_insulated_transformer"], sf6_region=["japan"],
                   numbers={"retired_capacity": Rel(0.0, 0.1, blank=True)}))
    return own + ipcc


def _enteric(db: ghg.FactorDB) -> list[Cell]:
    regions = ["", *livestock_regions().index]
    tier1 = grid("enteric_fermentation", db, region=regions,
                 development=["", "developed", "developing"])
    # the 2019 productivity system (Tables 10.10, 10.11 (Updated)); a 2006 run ignores it
    tier1 += grid("enteric_fermentation", db, region=["asia"], productivity=["high", "low"])
    cattle = list(livestock.CATTLE_BUFFALO)
    # Tier 2 (Eq. 10.21): a measured gross energy, or the animal data of Eq. 10.3-10.16
    by_ge = grid("enteric_fermentation", db, activities=cattle, numbers={
        "gross_energy": Num(50.0, 400.0), "ym": Num(3.0, 9.0, blank=True)})
    by_animal = grid("enteric_fermentation", db, activities=cattle,
                     animal_class=list(livestock.ANIMAL_CLASSES),
                     feeding_situation=["", *livestock.FEEDING], numbers={
                         "live_weight": Num(150.0, 650.0), "digestibility": Num(45.0, 80.0),
                         "work_hours": Num(0.0, 6.0, blank=True),
                         "pregnant_fraction": Num(0.0, 1.0, blank=True)})
    return tier1 + by_ge + by_animal


def _manure(db: ghg.FactorDB) -> list[Cell]:
    systems = sorted(manure._manure_systems(db))
    regions = ["", "asia", "western_europe", "latin_america", "africa"]
    # Tier 1 CH4 depends on the annual temperature: one per climate column of Tables
    # 10.14-10.16 (cool < 15, temperate 15-25, warm > 25 degC)
    managed = sorted(set(systems) - {manure.PASTURE})
    tier1 = grid("manure_management", db, region=regions, manure_system=managed,
                 temperature=[12.0, 20.0, 27.0],
                 numbers={"frac_leach_ms": Num(0.0, 30.0, blank=True)})
    # no frac_leach_ms on pasture: the method takes it there (a defect, see
    # test_method_properties.test_manure_on_pasture_has_no_leaching_of_managed_manure)
    tier1 += grid("manure_management", db, region=regions,
                  manure_system=[manure.PASTURE], temperature=[12.0, 20.0, 27.0])
    # the 2019 inputs (climate zone of Table 10.17 (Updated), productivity system for Bo)
    # beside the 2006 temperature; a 2006 run uses the temperature
    tier1 += grid("manure_management", db, region=["asia"], manure_system=["solid_storage"],
                  temperature=[24.0], climate_zone=sorted(manure._climate_zones(db)),
                  productivity=["", "high", "low"])
    tier2 = grid("manure_management", db, region=["asia"], manure_system=systems, numbers={
        "vs_rate": Num(0.1, 6.0), "bo": Num(0.1, 0.4), "mcf": Num(0.0, 80.0),
        "nex": Num(0.1, 100.0, blank=True), "frac_gas_ms": Num(0.0, 50.0, blank=True)})
    return spread(tier1, 1200) + spread(tier2, 200)


def _rice(db: ghg.FactorDB) -> list[Cell]:
    ctx = Context(factors=db)
    water = sorted(rice._variants(ctx, "sf_water", "3.C.7"))
    pre = sorted(rice._variants(ctx, "sf_preseason", "3.C.7"))
    amendments = sorted(rice._variants(ctx, "cfoa", "3.C.7"))
    regions = ["", rice.RICE_REGION]
    days = {"cultivation_days": Num(60.0, 180.0)}
    plain = grid("rice_cultivation", db, water_regime=water, preseason_water_regime=pre,
                 region=regions, numbers=days)
    amended = grid("rice_cultivation", db, water_regime=water[::2], preseason_water_regime=pre,
                   organic_amendment=amendments,
                   numbers={**days, "organic_amendment_rate": Num(0.1, 15.0)})
    return plain + amended


def _soils(db: ghg.FactorDB) -> list[Cell]:
    inputs = grid("managed_soils", db, activities=soils.N_INPUTS, kinds=["mass"],
                  climate=["", *soils.CLIMATES],
                  animal_group=["", *soils.ANIMAL_GROUPS],
                  leaching=["", "yes", "no"], flooded_rice=["", "yes", "no"],
                  fertilizer_type=["", *variants(db, "frac_gasf", "3.C.5")])
    residues = grid("managed_soils", db, activities=soils.RESIDUES, kinds=["area"],
                    climate=["", *soils.CLIMATES], leaching=["", "yes", "no"],
                    numbers={"crop_yield": Num(1.0, 12.0),
                             "frac_remove": Num(0.0, 1.0, blank=True),
                             "area_burnt": Rel(0.0, 1.0, blank=True),
                             # Table 11.2 leaves N_BG of rice blank: those rows give it
                             "n_bg": Num(0.005, 0.02, blank=True)})
    return spread(inputs, 600) + residues


def _crop_burning(db: ghg.FactorDB) -> list[Cell]:
    # M_B given (Cf the row's or Table 2.6's), or both blank: Table 2.4's fuel consumed
    given_mb = grid("cropland_burning", db, numbers={
        "fuel_available": Num(0.5, 15.0), "combustion_factor": Num(0.5, 1.0, blank=True)})
    return given_mb + grid("cropland_burning", db, numbers={})


def _ecozones(db: ghg.FactorDB) -> list[str]:
    return sorted(set(activities_with(db, "root_shoot", "3.B.1"))
                  | set(activities_with(db, "agb_stock", "3.B.1")))


def _forest(db: ghg.FactorDB) -> list[Cell]:
    name = "forest_land_remaining"
    zones = ["", *_ecozones(db)]
    continents = ["", *variants(db, "agb_stock", "3.B.1")]
    domains = ["", *variants(db, "carbon_fraction", "3.B.1")]
    out: list[Cell] = []
    # R (Table 4.4) depends on the ecozone and the stand's biomass; rows give it or not
    for root_shoot in (Num(0.1, 0.6, blank=True), Num(0.1, 0.6)):
        common = {"root_shoot": root_shoot, "carbon_fraction": Num(0.4, 0.55, blank=True)}
        # G_W: the row's, or Table 4.9's for ecozone, continent and age class
        out += grid(name, db, activities=["forest_growth"], kinds=["area"], ecozone=zones,
                    continent=continents, climate_domain=domains,
                    age_class=["", "le20", "gt20"],
                    numbers={**common, "agb_growth": Num(0.5, 15.0, blank=True)})
        out += grid(name, db, activities=["wood_removals", "fuelwood"], kinds=["volume"],
                    ecozone=zones, numbers={**common, "bcef_r": Num(0.5, 2.5)})
        out += grid(name, db, activities=["wood_removals"], kinds=["volume"], ecozone=zones[:2],
                    numbers={**common, "wood_density": Num(0.3, 0.8), "bef": Num(1.0, 3.0)})
        # BCEF_R of Table 4.5 by climatic zone, forest type and growing stock (or its class)
        typed = activities_with(db, "bcef_r", "3.B.1")
        out += spread(grid(name, db, activities=["wood_removals", "fuelwood"], kinds=["volume"],
                    ecozone=zones[:3], bcef_zone=sorted({a.split("_", 1)[0] for a in typed}),
                    bcef_forest_type=sorted({a.split("_", 1)[1] for a in typed}),
                    growing_stock_class=["", *variants(db, "bcef_r", "3.B.1")[:3]],
                    numbers={**common, "growing_stock": Num(5.0, 400.0, blank=True)}), 120)
        # G_W from the net annual increment x BCEF_I (Eq. 2.10), Table 4.5 or the row's
        out += spread(grid(name, db, activities=["forest_growth"], kinds=["area"],
                           ecozone=zones[:3], bcef_zone=sorted({a.split("_", 1)[0] for a in typed}),
                           bcef_forest_type=["hardwoods", "pines"],
                           numbers={**common, "volume_increment": Num(0.5, 20.0),
                                    "bcef_i": Num(0.3, 2.0, blank=True),
                                    "growing_stock": Num(5.0, 400.0)}), 60)
        # plantation growth of Table 4.10 by species, region and age (R's class: agb_stock)
        out += spread(grid(name, db, activities=["forest_growth"], kinds=["area"],
                           ecozone=zones, continent=continents, age_class=["", "le20"],
                           plantation_species=["eucalyptus", "pinus", "acacia"],
                           numbers={**common, "agb_stock": Num(20.0, 300.0, blank=True)}), 60)
        # forest_origin keys the 2019 Tables 4.4-4.9 (Updated); checked, unused, under 2006
        out += grid(name, db, activities=["disturbance"], kinds=["area"], ecozone=zones,
                    continent=continents, forest_origin=["", "primary", "secondary_le20"],
                    numbers={**common, "fraction_lost": Num(0.0, 1.0),
                             "agb_stock": Num(20.0, 400.0, blank=True)})
        out += grid(name, db, activities=["forest_stock_change"], kinds=["area"],
                    ecozone=zones, inventory_year_start=[2010.0], inventory_year_end=[2020.0],
                    numbers={**common, "biomass_start": Num(20.0, 300.0),
                             "biomass_end": Num(20.0, 300.0)})
    return out


def _conversion(db: ghg.FactorDB) -> list[Cell]:
    name = "land_conversion"
    cats = categories_of(name)
    to_forest = [c for c in cats if c.startswith("3.B.1.b")]
    from_forest = [c for c in cats if not c.startswith("3.B.1.b")]
    zones = ["", *_ecozones(db)]
    continents = ["", *variants(db, "agb_stock", "3.B.1")]
    out: list[Cell] = []
    for root_shoot in (Num(0.1, 0.6, blank=True), Num(0.1, 0.6)):
        out += grid(name, db, activities=["afforestation"], categories=to_forest,
                    ecozone=zones, continent=continents, age_class=["", "le20", "gt20"],
                    numbers={"root_shoot": root_shoot, "agb_growth": Num(0.5, 15.0, blank=True),
                             "biomass_before": Num(0.0, 20.0, blank=True),
                             "converted_area": Rel(0.0, 1.0, blank=True)})
    # biomass before (Table 4.7 by ecozone/continent, or the row's agb_stock), after (Table
    # 6.4 for grassland by climate, else the row's), and soil carbon (Eq. 2.25: Table 2.3
    # SOC_REF by soil and climate region, Table 5.5 F_LU by moisture regime), derived for
    # the 20 years after the conversion
    climates = sorted({v.rsplit("_", 1)[0] for v in
                       variants(db, "biomass_after_conversion", "3.B.3.b")})
    biomass = [{"ecozone": z, "continent": c, "climate": k} for z, c, k in
               itertools.product(zones, continents, ["", *climates])]
    soils = [{"soil_type": s, "climate_region": r, "moisture_regime": m, "land_use": u}
             for s, r, m, u in itertools.product(
                 activities_with(db, "soc_ref", "3.B"), variants(db, "soc_ref", "3.B"),
                 variants(db, "f_lu", "3.B.2"), ["", *activities_with(db, "f_lu", "3.B.2")])]
    # Table 5.5 F_MG and F_I where the row names a tillage and an input level
    managed = itertools.product(["", *activities_with(db, "f_mg", "3.B.2")],
                                ["", *activities_with(db, "f_i", "3.B.2")])
    soils = [{**s, "tillage": m, "input_level": i} for s, (m, i) in zip(
        soils, itertools.cycle(list(managed)), strict=False)]
    soils = spread(soils, 150) + [{"soil_type": ""}]
    for root_shoot in (Num(0.1, 0.6, blank=True), Num(0.1, 0.6)):
        numbers: dict[str, Spec] = {
            "root_shoot": root_shoot, "agb_stock": Num(20.0, 400.0, blank=True),
            "biomass_after": Num(0.0, 10.0, blank=True),
            "dom_before": Num(0.0, 20.0, blank=True),
            "soc_after": Num(10.0, 60.0, blank=True)}
        for category, choice in itertools.product(from_forest, paired(biomass, soils)):
            out.append(cell(numbers, category=category, activity="deforestation",
                            _kind="area", **choice))
    return spread(out, 1500)


def _landfill(db: ghg.FactorDB) -> list[Cell]:
    name = "solid_waste_disposal"
    sites = activities_with(db, "mcf", "4.A")
    regions = variants(db, "composition", "4.A")
    # emissions start the year after a deposit: ``until`` gives every row later years
    numbers: dict[str, Spec] = {"until": YearPlus(1, 8), "k": Num(0.02, 0.4, blank=True),
                                "docf": Num(0.3, 0.7, blank=True),
                                "oxidation_factor": Num(0.0, 0.2, blank=True)}
    typed = grid(name, db, activities=sorted(REGISTRY[name].activities(db) - {"msw_bulk"}),
                 site_type=sites, climate_zone=list(solid_waste.CLIMATE_ZONES),
                 oxidising_cover=["", "yes", "no"], numbers=numbers)
    bulk = grid(name, db, activities=["msw_bulk"], site_type=sites,
                climate_zone=list(solid_waste.CLIMATE_ZONES), composition_region=["", *regions],
                numbers={**numbers, "doc": Num(0.05, 0.4, blank=True)})
    return spread(typed, 600) + bulk


def _biological(db: ghg.FactorDB) -> list[Cell]:
    return grid("biological_treatment", db, basis=["", "wet", "dry"])


def _waste_burning(db: ghg.FactorDB) -> list[Cell]:
    name = "waste_burning"
    cats = categories_of(name)
    incineration = [c for c in cats if not c.startswith("4.C.2")]
    open_air = [c for c in cats if c.startswith("4.C.2")]
    # Table 2.4 prints no carbon for metal and glass: those rows give total_carbon
    carbon = {"total_carbon": Num(0.0, 0.8, blank=True),
              "fossil_carbon_fraction": Num(0.0, 1.0, blank=True),
              "ef_ch4": Num(0.0, 7000.0, blank=True), "ef_n2o": Num(0.0, 300.0, blank=True)}
    burnt = grid(name, db, categories=incineration, kinds=["mass"],
                 technology=activities_with(db, "ef", "4.C.1"), numbers=carbon)
    household = grid(name, db, categories=open_air, kinds=["mass"], numbers=carbon)
    # Eq. 5.7: open burning given as the population
    people = grid(name, db, categories=open_air, kinds=["person"], numbers={
        **carbon, "burning_fraction": Num(0.0, 1.0), "waste_per_capita": Num(0.1, 2.0),
        "burnt_fraction": Num(0.0, 1.0, blank=True), "waste_share": Num(0.0, 1.0, blank=True)})
    # bulk MSW: dm, CF and FCF from a Table 2.3 composition (Eq. 5.2)
    bulk = grid(name, db, activities=["msw_bulk"], categories=open_air,
                composition_region=variants(db, "composition", "4.A"), numbers={
                    "ef_n2o": Num(0.0, 300.0, blank=True)})
    return spread(burnt, 600) + household + people + bulk


def _wastewater(db: ghg.FactorDB) -> list[Cell]:
    name = "wastewater"
    cats = categories_of(name)
    # ``collected`` is left blank: issue 23 item 11 derives it from the pathway
    domestic = grid(name, db, activities=["domestic_wastewater"], kinds=["person"],
                    categories=[c for c in cats if c.startswith("4.D.1")],
                    treatment_pathway=activities_with(db, "mcf", "4.D.1"),
                    garbage_disposals=["", "yes", "no"],
                    region=sorted({"", wastewater.BOD_REGION,
                                   *variants(db, "bod_per_capita", "4.D.1")}),
                    numbers={"protein": Num(10.0, 40.0, blank=True),
                             "bod_per_capita": Num(20.0, 80.0, blank=True)})
    industries = sorted(REGISTRY[name].activities(db) - {"domestic_wastewater"})
    industrial = grid(name, db, activities=industries, kinds=["mass"],
                      categories=[c for c in cats if c.startswith("4.D.2")],
                      treatment_pathway=activities_with(db, "mcf", "4.D.2"),
                      numbers={"wastewater_generation": Num(1.0, 100.0, blank=True),
                               "cod_concentration": Num(0.5, 20.0, blank=True)})
    return domestic + industrial


#: Per method: its candidate cells and what holds for it. Every registered method must have
#: an entry (tests/test_method_properties.py checks it), so a new method without rows here
#: fails the suite instead of going untested.
RECIPES: dict[str, Recipe] = {
    "stationary_combustion": Recipe(_fuel("stationary_combustion")),
    "road_transport": Recipe(_fuel("road_transport",
                                   technology=["", *mobile.TECHNOLOGIES])),
    "road_transport_distance": Recipe(
        _fuel("road_transport_distance"),
        note="no shipped factors (Tier 2/3): the test user's own kg/km records"),
    "off_road": Recipe(_fuel("off_road", engine=["", *mobile.ENGINES],
                             offroad_sector=["", *mobile.OFFROAD_SECTORS])),
    "off_road_machinery": Recipe(_fuel("off_road_machinery", engine=["", *mobile.ENGINES],
                                       offroad_sector=["", *mobile.OFFROAD_SECTORS],
                                       source_type=["off_road"])),
    "railways": Recipe(_fuel("railways")),
    "domestic_navigation": Recipe(_fuel("domestic_navigation")),
    "civil_aviation": Recipe(_fuel("civil_aviation")),
    "purchased_electricity": Recipe(_electricity),
    "purchased_heat": Recipe(_fuel("purchased_heat"),
                             note="no shipped factors (a supplier's own): test user records"),
    "cement": Recipe(_cement),
    "lime": Recipe(lambda db: grid("lime", db, numbers={"lkd_correction":
                                                       Num(1.0, 1.2, blank=True)})),
    "glass": Recipe(lambda db: grid("glass", db, activities=["glass"], numbers={
        "cullet_ratio": Num(0.0, 0.9, blank=True)}) + grid(
        "glass", db, activities=sorted(REGISTRY["glass"].activities(db) - {"glass"}),
        numbers={"cullet_ratio": Num(0.0, 0.9)}),
        note="Table 2.6 types: no default cullet ratio, rows give one"),
    "carbonate_inputs": Recipe(lambda db: grid("carbonate_inputs", db, numbers={
        "calcination_fraction": Num(0.0, 1.0, blank=True)})),
    "clay_firing": Recipe(_clay),
    "refrigeration_ac": Recipe(_refrigeration),
    "sf6_electrical_equipment": Recipe(
        _sf6, note="IPCC Tables 8.2-8.4 by sf6_region, and test user records"),
    "enteric_fermentation": Recipe(_enteric),
    "manure_management": Recipe(_manure, note="indirect N2O derived under 3.C.6"),
    "rice_cultivation": Recipe(_rice),
    "managed_soils": Recipe(_soils, note="indirect N2O derived under 3.C.5"),
    "urea_application": Recipe(lambda db: grid("urea_application", db)),
    "liming": Recipe(lambda db: grid("liming", db)),
    "cropland_burning": Recipe(_crop_burning),
    "forest_land_remaining": Recipe(_forest, removals=True),
    "land_conversion": Recipe(_conversion, removals=True,
                              note="soil carbon derived over the 20 years after conversion"),
    "solid_waste_disposal": Recipe(_landfill, note="first-order decay: derived emission years"),
    "biological_treatment": Recipe(_biological),
    "waste_burning": Recipe(_waste_burning),
    "wastewater": Recipe(_wastewater),
}


# --- checking the candidate cells once, in bulk -------------------------------------------------

def _probe_value(spec: Spec, which: int, amount: float, year: int) -> Any:
    """A probe's value of a numeric cell: 0 blank, 1 near the low end, 2 near the high end."""
    if which == 0:
        return None
    t = 0.1 if which == 1 else 0.9
    if isinstance(spec, YearPlus):
        return float(year + (spec.low if which == 1 else spec.high))
    value = spec.low + t * (spec.high - spec.low)
    return value * amount * spec.per if isinstance(spec, Rel) else value


def _probe_rows(name: str, cells: list[Cell]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rows per cell: numbers all given (near the low end: variant 1, the high end: 2), all
    blank where they may be (0), and each blank-able one alone blank (10 + its position)."""
    rows: list[dict[str, Any]] = []
    owner: list[int] = []
    variant: list[int] = []
    for i, c in enumerate(cells):
        unit, per = UNITS[c.kind][0]
        base = c.row()
        year = int(base.pop("year", 2020))
        blankable = [k for k, s in c.numbers if s.blank]
        for which in (1, 2, 0, *[10 + j for j in range(len(blankable))]):
            amount = 1000.0
            row = {"facility_id": f"P{len(rows)}", "year": year, "amount": amount,
                   "unit": unit, **base}
            for column, spec in c.numbers:
                blank = spec.blank and (which == 0 or (which >= 10
                                                       and blankable[which - 10] == column))
                row[column] = _probe_value(spec, 0 if blank else (which if which in (1, 2)
                                                                  else 1), amount * per, year)
            rows.append(row)
            owner.append(i)
            variant.append(which)
    return pd.DataFrame(rows), np.array(owner), np.array(variant)


@dataclass
class Checked:
    """Cells of a method the library accepts and routes to it, and the ones it does not."""

    cells: list[Cell]
    refused: list[tuple[Cell, str]] = field(default_factory=list)


@cache
def valid_cells(name: str) -> Checked:
    """The recipe's cells whose rows validate and go to method ``name``.

    A cell whose numbers may be blank but are refused blank is kept with them always
    given (and the other way round), so the strategy draws only accepted rows.
    """
    db = factors()
    candidates = RECIPES[name].cells(db)
    frame, owner, variant = _probe_rows(name, candidates)
    problems: dict[int, str] = {}
    # some checks stop at a first kind of problem (off-road engine values before factors):
    # validate again without the refused rows until the rest is accepted
    for _ in range(5):
        good = ~np.isin(np.arange(len(frame)), list(problems))
        try:
            table = validate(read_activities(frame[good]), Context(factors=db))
        except ActivityValidationError as exc:
            for p in exc.problems:
                problems.setdefault(int(p.row or 0), f"{p.column}: {p.message}")
        else:
            break
    else:
        raise RuntimeError(f"{name}: the probe rows never validate")
    method = pd.Series(np.asarray(table["method"].astype(str)), index=frame.index[good])
    routed = method.reindex(frame.index).fillna("").to_numpy() == name
    for position in np.flatnonzero(~routed):
        problems.setdefault(int(position), f"routed to {method.get(position, '?')}")
    ok = ~np.isin(np.arange(len(frame)), list(problems))
    out = Checked([])
    for i, c in enumerate(candidates):
        mine = owner == i
        if not ok[mine & np.isin(variant, (1, 2))].all():
            if ok[mine & (variant == 0)].all():  # given refused (no factor for that
                # stage): those numbers stay blank
                out.cells.append(Cell(c.fixed, tuple((k, s) for k, s in c.numbers
                                                     if not s.blank)))
            else:
                bad = np.flatnonzero(mine & ~ok)
                out.refused.append((c, problems[int(bad[0])]))
            continue
        # a number refused blank (alone, or with the other blank-able ones) is always given
        blankable = [k for k, s in c.numbers if s.blank]
        all_blank_ok = ok[mine & (variant == 0)].all()
        needed = {k for j, k in enumerate(blankable)
                  if not all_blank_ok or not ok[mine & (variant == 10 + j)].all()}
        out.cells.append(Cell(c.fixed, tuple((k, _always(s) if k in needed else s)
                                             for k, s in c.numbers)))
    return out


def _always(spec: Spec) -> Spec:
    if isinstance(spec, Num):
        return Num(spec.low, spec.high)
    if isinstance(spec, Rel):
        return Rel(spec.low, spec.high, spec.per)
    return YearPlus(spec.low, spec.high)


# --- the strategies --------------------------------------------------------------------------

def _amount(kind: str) -> st.SearchStrategy[float]:
    # amounts as people write them: zero to large, never subnormal
    return st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e6,
                                               allow_nan=False, allow_infinity=False,
                                               allow_subnormal=False))


@st.composite
def draw_row(draw: st.DrawFn, name: str, *, unit_index: int | None = None) -> dict[str, Any]:
    """One valid activity row of method ``name``.

    The row holds ``_canonical`` (its amount in the kind's canonical unit) and ``_kind`` for
    the properties; :func:`frame` drops them.
    """
    cells = valid_cells(name).cells
    if not cells:
        raise RuntimeError(f"no valid cell for method {name}: {valid_cells(name).refused[:3]}")
    c = draw(st.sampled_from(cells))
    units = UNITS[c.kind]
    unit, per = units[draw(st.integers(0, len(units) - 1))] if unit_index is None \
        else units[unit_index % len(units)]
    first_per = units[0][1]
    amount = draw(_amount(c.kind))
    canonical = amount * first_per
    base = c.row()
    year = int(base.pop("year", draw(st.sampled_from(YEARS))))
    row: dict[str, Any] = {
        "facility_id": draw(st.sampled_from(FACILITIES)),
        "year": year,
        "commune": draw(st.sampled_from(COMMUNES)),
        "amount": canonical / per,
        "unit": unit,
        **base,
    }
    for column, spec in c.numbers:
        if spec.blank and draw(st.booleans()):
            row[column] = draw(st.sampled_from([None, ""]))  # blank: empty or missing
        elif isinstance(spec, YearPlus):
            row[column] = float(year + draw(st.integers(spec.low, spec.high)))
        else:
            u = draw(st.floats(spec.low, spec.high, allow_nan=False, allow_subnormal=False))
            row[column] = u * canonical * spec.per if isinstance(spec, Rel) else u
    row["_canonical"] = canonical
    row["_kind"] = c.kind
    row["_scaled"] = tuple(k for k, s in c.numbers if isinstance(s, Rel))
    row["_method"] = name
    return row


def _site_key(row: dict[str, Any]) -> tuple[Any, ...]:
    # a landfill site has one row per waste type and deposit year (a second one is refused
    # as a double count); other methods take repeated rows, so the key is harmless there
    return (row["facility_id"], row["activity"], row["year"], row["_method"])


def rows_of(name: str, min_size: int = 1, max_size: int = 6
            ) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A list of valid rows of one method."""
    return st.lists(draw_row(name), min_size=min_size, max_size=max_size, unique_by=_site_key)


def mixed_rows(names: list[str], min_size: int = 2, max_size: int = 12
               ) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Rows of several methods in one table."""
    return st.lists(st.sampled_from(names).flatmap(draw_row), min_size=min_size,
                    max_size=max_size, unique_by=_site_key)


HIDDEN = ("_canonical", "_kind", "_scaled", "_method")


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The activity table of generated rows (the helper keys dropped)."""
    return pd.DataFrame([{k: v for k, v in r.items() if k not in HIDDEN} for r in rows])
