"""Rows of one class (category, source type, unit, activity) are checked and looked up once
per class: the per-row results and the rows named in problems must be those of each row,
also where a method's rows are scattered among other methods' rows.

Numbers worked by hand from the IPCC 2006 tables (as in test_stationary_combustion.py):
  NCV gas/diesel oil 43.0 TJ/Gg, anthracite 26.7 TJ/Gg (Vol 2 Ch 1 Table 1.2);
  CO2 74,100 and 98,300 kg/TJ (Table 1.4); CH4/N2O kg/TJ 3/0.6 diesel and 10/1.5 anthracite
  in 1.A.2 (Table 2.3), 10/0.6 diesel in 1.A.4.a (Table 2.4);
  diesel density: UNSD 2004 energy statistics yearbook, 1,149 L per metric ton;
  high-calcium lime 0.75 t CO2/t (Vol 3 Ch 2 Table 2.4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ghg_inventory as ghg
from conftest import activity_frame

DIESEL_L = {"category": "1.A.2.i", "activity": "gas_diesel_oil", "amount": 11_490, "unit": "L"}
DIESEL_T = {"category": "1.A.2.i", "activity": "gas_diesel_oil", "amount": 10, "unit": "t"}
DIESEL_GJ = {"category": "1.A.4.a", "activity": "gas_diesel_oil", "amount": 1000, "unit": "GJ"}
ANTHRACITE = {"category": "1.A.2.f", "activity": "anthracite", "amount": 2000, "unit": "t"}
LIME = {"category": "2.A.2", "activity": "high_calcium_lime", "amount": 300, "unit": "t"}

#: kg per gas of each row, by hand
EXPECTED = {
    # 11,490 L / 1,149 L/t = 10 t = 0.01 Gg x 43.0 = 0.43 TJ
    "DIESEL_L": {"CO2": 74_100 * 0.43, "CH4": 3 * 0.43, "N2O": 0.6 * 0.43},
    # 10 t = 0.01 Gg x 43.0 = 0.43 TJ: the same fuel by mass, another key
    "DIESEL_T": {"CO2": 74_100 * 0.43, "CH4": 3 * 0.43, "N2O": 0.6 * 0.43},
    # 1,000 GJ = 1 TJ, commercial/institutional
    "DIESEL_GJ": {"CO2": 74_100.0, "CH4": 10.0, "N2O": 0.6},
    # 2,000 t = 2 Gg x 26.7 = 53.4 TJ
    "ANTHRACITE": {"CO2": 98_300 * 53.4, "CH4": 10 * 53.4, "N2O": 1.5 * 53.4},
    # 300 t x 0.75
    "LIME": {"CO2": 225_000.0},
}
ROWS = {"DIESEL_L": DIESEL_L, "DIESEL_T": DIESEL_T, "DIESEL_GJ": DIESEL_GJ,
        "ANTHRACITE": ANTHRACITE, "LIME": LIME}


def per_row(names: list[str]) -> dict[tuple[str, str], float]:
    """(facility, gas) -> kg of a table whose row i is ROWS[names[i]] at facility R<i>."""
    frame = activity_frame([{**ROWS[n], "facility_id": f"R{i}"} for i, n in enumerate(names)])
    got = ghg.compute(frame).rollup(by=["facility_id"])
    return {(f, gas): kg for f, row in got.set_index("facility_id").iterrows()
            for gas, kg in ((c[:-3], row[c]) for c in got.columns if c.endswith("_kg")
                            and c not in ("co2e_kg", "biogenic_CO2_kg")) if kg}


def test_each_row_gets_its_own_numbers_among_other_methods_rows():
    names = ["LIME", "DIESEL_L", "ANTHRACITE", "LIME", "DIESEL_T", "DIESEL_GJ", "DIESEL_L"]
    got = per_row(names)
    for i, name in enumerate(names):
        for gas, kg in EXPECTED[name].items():
            assert got[(f"R{i}", gas)] == pytest.approx(kg, rel=1e-12), (i, name, gas)
    assert len(got) == sum(len(EXPECTED[n]) for n in names)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(sorted(ROWS)), min_size=1, max_size=12))
def test_any_mix_and_order_of_rows_gives_each_row_its_hand_worked_numbers(names):
    got = per_row(names)
    for i, name in enumerate(names):
        for gas, kg in EXPECTED[name].items():
            assert got[(f"R{i}", gas)] == pytest.approx(kg, rel=1e-12)


def test_problems_name_the_rows_of_the_class_among_other_methods_rows():
    rows = [LIME, DIESEL_T,
            {**ANTHRACITE, "amount": 5, "unit": "m**3"},  # a volume of a solid fuel
            LIME,
            {**DIESEL_T, "activity": "unobtainium"},
            DIESEL_GJ,
            {**ANTHRACITE, "amount": 7, "unit": "m**3"},
            {**LIME, "unit": "TJ"}]  # lime takes a mass
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame(rows))
    found = sorted((p.row, p.column, p.message.split(";")[0]) for p in info.value.problems)
    assert found == [
        (2, "unit", "a volume of a solid fuel"),
        (4, "activity", "not an activity of method stationary_combustion"),
        (6, "unit", "a volume of a solid fuel"),
        (7, "unit", "a energy amount"),
    ]


def test_a_large_table_of_few_classes_adds_up():
    # 300,000 rows in three classes interleaved: each class's total by hand (summing
    # 100,000 equal floats leaves ~1e-12 of rounding: 1e-9 allowed)
    n = 100_000
    frame = pd.concat([activity_frame([DIESEL_GJ, LIME, ANTHRACITE])] * n, ignore_index=True)
    got = ghg.compute(frame).rollup(by=["category"]).set_index("category")
    assert got.loc["1.A.4.a", "CO2_kg"] == pytest.approx(n * 74_100.0, rel=1e-9)
    assert got.loc["2.A.2", "CO2_kg"] == pytest.approx(n * 225_000.0, rel=1e-9)
    assert got.loc["1.A.2.f", "N2O_kg"] == pytest.approx(n * 1.5 * 53.4, rel=1e-9)
    assert np.isfinite(got["co2e_kg"]).all()


def test_no_method_writes_into_the_table_it_was_given():
    # the classes of a table's rows hold while its key columns do (docs/design-choices.md):
    # a method that wrote table["activity"] = ... would be looked up by the old classes
    import re
    from pathlib import Path

    import ghg_inventory.sectors as sectors

    written = re.compile(r"\btable(\.loc|\.iloc|\.at)?\[[^\]]*\]\s*=[^=]")
    found = [f"{path.name}:{number}" for path in Path(sectors.__file__).parent.glob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if written.search(line)]
    assert found == []
