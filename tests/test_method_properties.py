"""Properties over every registered method (issue 23, "Properties over every method").

For every method of ``ghg_inventory.METHODS`` the strategies of ``strategies.py``
build valid activity rows (its categories and sub-codes, its activities, an amount in each
unit of each kind it accepts, parameter cells blank or valid, derived rows of later years and
other categories included). On them:

* every emission is finite, and non-negative except CO2 of land (3.B: removals are negative
  emissions);
* emissions are linear in the amount (per gas, per derived year and category);
* the same amount in t/kg/Gg/kt, TJ/GJ/MWh/kWh, m3/L, ha/km2, km/m gives the same emissions;
* shuffling the rows changes nothing for any source row;
* every roll-up (facility, year, category, commune, plan area, sector, gas, and category
  levels 1-4) sums to the total, per scope (direct, indirect, ods), per gas and for the
  biogenic memo;
* computing again gives the identical table;
* a table mixing methods gives each row what it gets alone.

Example counts (``derandomize=True``: the same examples on every run, so a strict xfail is
stable): :data:`PER_METHOD` examples per method and property, :data:`MIXED` for the mixed
table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import ghg_inventory as ghg
from ghg_inventory.errors import ActivityValidationError
from strategies import (
    RECIPES,
    UNITS,
    factors,
    frame,
    mixed_rows,
    rows_of,
    valid_cells,
)

PER_METHOD = 5
MIXED = 10
#: No shrinking: the examples are small already (at most 6 rows), and a failure must not
#: spend minutes of the suite's time shrinking (one did, 5 min, on this machine).
NOSHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
SETTINGS = settings(max_examples=PER_METHOD, deadline=None, derandomize=True, phases=NOSHRINK,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NAMES = sorted(ghg.METHODS)
#: Grouping keys of the roll-up property (DESIGN.md vocabulary and derived keys).
ROLLUP_KEYS = (["facility_id"], ["year"], ["category"], ["commune"], ["plan_area"],
               ["sector"], ["gas"], ["facility_id", "year", "commune"])
#: One emission of one source row: derived rows (later years, indirect N2O categories)
#: keep the source row's number.
KEY = ["source_row", "category", "year", "gas", "scope", "biogenic"]

#: Defects the properties find that another helper of issue 23 is fixing, by (test, method):
#: strict, so the mark must go when the fix lands.
KNOWN: dict[tuple[str, str], str] = {}


def known(test: str, name: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN.get((test, name))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def methods_for(test: str) -> list[object]:
    return [pytest.param(n, marks=known(test, n), id=n) for n in NAMES]


def compute(rows: list[dict], index: list[int] | None = None, **kwargs: object
            ) -> ghg.Inventory:
    table = frame(rows)
    if index is not None:
        table.index = index
    return ghg.compute(table, factors=factors(), **kwargs)  # type: ignore[arg-type]


def per_source(inventory: ghg.Inventory) -> pd.Series:
    """kg of every (source row, category, year, gas, scope, biogenic)."""
    table = inventory.emissions
    return table.groupby(KEY, observed=True)["emissions_kg"].sum()


def assert_close(actual: pd.Series, expected: pd.Series, what: str) -> None:
    joined = pd.concat([actual.rename("actual"), expected.rename("expected")], axis=1)
    joined = joined.fillna(0.0)  # a gas absent on one side is 0 kg there
    scale = max(1.0, float(joined.abs().to_numpy().max(initial=0.0)))
    np.testing.assert_allclose(joined["actual"], joined["expected"], rtol=1e-9,
                               atol=1e-9 * scale, err_msg=what)


# --- the declarations are covered ----------------------------------------------------------------

def test_every_registered_method_has_a_recipe():
    # a new method without rows in strategies.RECIPES fails here instead of going untested
    assert sorted(RECIPES) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_method_has_rows_it_accepts(name):
    checked = valid_cells(name)
    assert checked.cells, f"{name}: no candidate row validates: {checked.refused[:3]}"
    kinds = {c.kind for c in checked.cells}
    # every kind of amount the method declares is exercised (managed soils: kg N and ha)
    assert kinds == set(ghg.METHODS[name].amount_kinds), kinds


# --- per-method properties ----------------------------------------------------------------------

@pytest.mark.parametrize("name", methods_for("finite"))
@SETTINGS
@given(data=st.data(), gwp=st.sampled_from(["AR4", "AR5", "AR6"]))
def test_finite_non_negative_rollups_and_recomputation(name, data, gwp):
    rows = data.draw(rows_of(name))
    inventory = compute(rows, gwp=gwp)
    table = inventory.emissions
    assert np.isfinite(table["emissions_kg"].to_numpy()).all(), \
        table[~np.isfinite(table["emissions_kg"])].to_dict("records")[:3]
    assert np.isfinite(table["co2e_kg"].to_numpy()).all()
    removal = (table["gas"].astype(str) == "CO2") & table["category"].astype(str).str.startswith(
        "3.B") if RECIPES[name].removals else pd.Series(False, index=table.index)
    negative = table[(table["emissions_kg"] < 0) & ~removal]
    assert negative.empty, negative.to_dict("records")[:3]

    emitted = table["emissions_kg"].to_numpy()
    for scope in sorted(set(table["scope"].astype(str))):
        total_kg = inventory.total(scope=scope).m_as("t * CO2e") * 1000.0
        in_scope = (table["scope"].astype(str) == scope).to_numpy()
        biogenic = table["biogenic"].to_numpy(dtype=bool)
        for by in ROLLUP_KEYS:
            rolled = inventory.rollup(by=by, scope=scope)
            assert rolled["co2e_kg"].sum() == pytest.approx(total_kg, rel=1e-9, abs=1e-6), by
            assert rolled["biogenic_CO2_kg"].sum() == pytest.approx(
                emitted[in_scope & biogenic].sum(), rel=1e-9, abs=1e-6), by
            for gas in set(table.loc[in_scope, "gas"].astype(str)):
                counted = in_scope & ~biogenic & (table["gas"].astype(str) == gas).to_numpy()
                assert rolled[f"{gas}_kg"].sum() == pytest.approx(
                    emitted[counted].sum(), rel=1e-9, abs=1e-6), (by, gas)
        for level in (1, 2, 3, 4):
            rolled = inventory.rollup(by=["category"], level=level, scope=scope)
            assert rolled["co2e_kg"].sum() == pytest.approx(total_kg, rel=1e-9, abs=1e-6), level

    again = compute(rows, gwp=gwp).emissions
    pd.testing.assert_frame_equal(again, table)


@pytest.mark.parametrize("name", methods_for("linear"))
@SETTINGS
@given(data=st.data(), k=st.sampled_from([0.0, 0.5, 3.0, 1000.0]))
def test_linear_in_amount(name, data, k):
    assert RECIPES[name].linear
    rows = data.draw(rows_of(name))
    scaled = []
    for row in rows:
        row = dict(row, amount=row["amount"] * k)
        for column in row["_scaled"]:  # cells proportional to the amount scale with it
            if isinstance(row.get(column), float):
                row[column] = row[column] * k
        scaled.append(row)
    base = per_source(compute(rows))
    assert_close(per_source(compute(scaled)), base * k, f"{name}: x{k}")


@pytest.mark.parametrize("name", methods_for("units"))
@SETTINGS
@given(data=st.data())
def test_the_same_amount_in_other_units_gives_the_same_emissions(name, data):
    rows = data.draw(rows_of(name, max_size=4))
    variants, index = [], []
    n_units = max(len(UNITS[r["_kind"]]) for r in rows)
    for j in range(n_units):
        for i, row in enumerate(rows):
            unit, per = UNITS[row["_kind"]][j % len(UNITS[row["_kind"]])]
            # each unit's copy is a facility (a landfill site) of its own
            variants.append(dict(row, amount=row["_canonical"] / per, unit=unit,
                                 facility_id=f"{row['facility_id']}~{j}"))
            index.append(j * 1000 + i)
    emitted = per_source(compute(variants, index=index)).reset_index()
    emitted["unit_copy"], emitted["source_row"] = divmod(emitted["source_row"], 1000)
    table = emitted.set_index(["unit_copy", *KEY])["emissions_kg"]
    first = table.xs(0, level="unit_copy")
    for j in range(1, n_units):
        assert_close(table.xs(j, level="unit_copy"), first, f"{name}: unit copy {j}")


@pytest.mark.parametrize("name", methods_for("order"))
@SETTINGS
@given(data=st.data())
def test_row_order_does_not_change_any_row(name, data):
    rows = data.draw(rows_of(name, min_size=2))
    order = data.draw(st.permutations(range(len(rows))))
    together = compute(rows)
    shuffled = compute([rows[i] for i in order], index=list(order))
    assert_close(per_source(shuffled), per_source(together), f"{name}: order {order}")
    keys = ["facility_id", "year", "commune"]
    pd.testing.assert_frame_equal(shuffled.rollup(by=keys), together.rollup(by=keys),
                                  rtol=1e-9)


# --- a table mixing every method ---------------------------------------------------------------

@settings(max_examples=MIXED, deadline=None, derandomize=True, phases=NOSHRINK,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rows=mixed_rows(NAMES))
def test_a_mixed_table_gives_every_row_what_it_gets_alone(rows):
    together = compute(rows)
    alone = []
    for name in sorted({r["_method"] for r in rows}):
        mine = [i for i, r in enumerate(rows) if r["_method"] == name]
        alone.append(per_source(compute([rows[i] for i in mine], index=mine)))
    assert_close(per_source(together), pd.concat(alone), "mixed vs alone")
    total_kg = together.total().m_as("t * CO2e") * 1000.0
    for by in ROLLUP_KEYS:
        assert together.rollup(by=by)["co2e_kg"].sum() == pytest.approx(
            total_kg, rel=1e-9, abs=1e-6), by


# --- defects the properties found, now refused ------------------------------------------------

@pytest.mark.parametrize("species", ["other_cattle", "goats"])
def test_manure_on_pasture_has_no_leaching_of_managed_manure(species):
    # IPCC 2006 Vol 4 Eq. 10.28-10.29 sum Frac_LeachMS over the management systems S;
    # pasture, range and paddock is not one (its N is F_PRP of Ch 11, Eq. 11.1, 11.10)
    rows = [{"facility_id": "F1", "year": 2020, "category": "3.A.2", "activity": species,
             "amount": 100, "unit": "head", "manure_system": "pasture_range_paddock",
             "temperature": 27.0, "region": "asia", "frac_leach_ms": 10.0}]
    # found by these properties (100 other_cattle, Frac_LeachMS 10 %: 4.67 kg N2O under
    # 3.C.6, counted again under 3.C.4/3.C.5; NaN for goats): the cell is now refused
    with pytest.raises(ActivityValidationError) as refusal:
        ghg.compute(pd.DataFrame(rows))
    assert [(p.row, p.column) for p in refusal.value.problems] == [(0, "frac_leach_ms")]
