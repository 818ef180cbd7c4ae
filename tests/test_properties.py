"""Hypothesis properties: unit invariance, linearity, roll-up conservation, row order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ghg_inventory as ghg
from conftest import activity_frame

FUELS = ["natural_gas", "gas_diesel_oil", "anthracite", "liquefied_petroleum_gases",
         "wood_wood_waste", "residual_fuel_oil", "other_bituminous_coal"]
CATEGORIES = ["1.A.1.a", "1.A.2.e", "1.A.2.f", "1.A.4.a", "1.A.4.b"]
COMMUNES = ["Phường Tân Phong", "Xã Bình Lư", "Xã Mường Kim", "Xã Pa Tần"]
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

amounts = st.floats(min_value=0.0, max_value=1e7, allow_nan=False, allow_infinity=False)


def totals_by_gas(frame: pd.DataFrame) -> pd.Series:
    inv = ghg.compute(frame)
    return inv.emissions.groupby("gas", observed=True)["emissions_kg"].sum()


@SETTINGS
@given(fuel=st.sampled_from(FUELS), category=st.sampled_from(CATEGORIES), tonnes=amounts)
def test_mass_units_give_the_same_emissions(fuel, category, tonnes):
    # the same fuel as t, kg, kt and Gg
    rows = [{"category": category, "activity": fuel, "amount": a, "unit": u}
            for a, u in [(tonnes, "t"), (tonnes * 1000, "kg"), (tonnes / 1000, "kt"),
                         (tonnes / 1000, "Gg")]]
    inv = ghg.compute(activity_frame(rows))
    table = inv.emissions.pivot_table(index="source_row", columns="gas", values="emissions_kg",
                                      observed=True)
    for gas in table.columns:
        np.testing.assert_allclose(table[gas].to_numpy(), table[gas].iloc[0], rtol=1e-12,
                                   atol=1e-9)


@SETTINGS
@given(fuel=st.sampled_from(FUELS), category=st.sampled_from(CATEGORIES), tj=amounts)
def test_energy_units_give_the_same_emissions(fuel, category, tj):
    rows = [{"category": category, "activity": fuel, "amount": a, "unit": u}
            for a, u in [(tj, "TJ"), (tj * 1000, "GJ"), (tj * 1e6, "MJ"),
                         (tj / 0.0036, "MWh")]]
    table = ghg.compute(activity_frame(rows)).emissions.pivot_table(
        index="source_row", columns="gas", values="emissions_kg", observed=True)
    for gas in table.columns:
        np.testing.assert_allclose(table[gas].to_numpy(), table[gas].iloc[0], rtol=1e-9,
                                   atol=1e-9)


def test_mass_and_energy_agree_through_the_ncv():
    # 1 Gg natural gas is 48.0 TJ (Table 1.2): both rows must give the same emissions
    rows = [{"category": "1.A.2.f", "activity": "natural_gas", "amount": 1, "unit": "Gg"},
            {"category": "1.A.2.f", "activity": "natural_gas", "amount": 48.0, "unit": "TJ"}]
    table = ghg.compute(activity_frame(rows)).emissions.pivot_table(
        index="source_row", columns="gas", values="emissions_kg", observed=True)
    for gas in table.columns:
        assert table[gas].iloc[0] == pytest.approx(table[gas].iloc[1])


@SETTINGS
@given(fuel=st.sampled_from(FUELS), amount=st.floats(min_value=1e-3, max_value=1e6),
       k=st.floats(min_value=0.0, max_value=100.0))
def test_linear_in_amount(fuel, amount, k):
    one = totals_by_gas(activity_frame([{"category": "1.A.2.f", "activity": fuel,
                                         "amount": amount, "unit": "t"}]))
    scaled = totals_by_gas(activity_frame([{"category": "1.A.2.f", "activity": fuel,
                                            "amount": amount * k, "unit": "t"}]))
    np.testing.assert_allclose(scaled.to_numpy(), one.to_numpy() * k, rtol=1e-9, atol=1e-9)


tables = st.lists(
    st.fixed_dictionaries({
        "facility_id": st.sampled_from(["F1", "F2", "F3", "F4"]),
        "year": st.sampled_from([2023, 2024, 2025]),
        "commune": st.sampled_from(COMMUNES),
        "category": st.sampled_from(CATEGORIES),
        "activity": st.sampled_from(FUELS),
        "amount": amounts,
        "unit": st.sampled_from(["t", "kg", "TJ", "GJ"]),
    }),
    min_size=1, max_size=30,
)


@SETTINGS
@given(rows=tables, gwp=st.sampled_from(["AR4", "AR5", "AR6"]))
def test_every_rollup_sums_to_the_total(rows, gwp):
    inv = ghg.compute(pd.DataFrame(rows), gwp=gwp)
    total = inv.total().to("kg * CO2e").m
    for by in (["commune"], ["facility_id", "year"], ["sector"], ["plan_area"], ["gas"],
               ["category"], ["activity", "commune"]):
        assert inv.rollup(by=by)["co2e_kg"].sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    for level in (1, 2, 3, 4):
        assert inv.rollup(by=["category"], level=level)["co2e_kg"].sum() == pytest.approx(
            total, rel=1e-9, abs=1e-6)


@SETTINGS
@given(rows=tables, seed=st.integers(0, 2**32 - 1))
def test_row_order_does_not_change_the_result(rows, seed):
    frame = pd.DataFrame(rows)
    shuffled = frame.sample(frac=1.0, random_state=seed % (2**32 - 1)).reset_index(drop=True)
    a = ghg.compute(frame).rollup(by=["facility_id", "commune", "year"])
    b = ghg.compute(shuffled).rollup(by=["facility_id", "commune", "year"])
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)


@SETTINGS
@given(rows=tables)
def test_per_row_results_do_not_depend_on_other_rows(rows):
    frame = pd.DataFrame(rows)
    together = ghg.compute(frame).emissions.sort_values(["source_row", "gas"])
    alone = pd.concat([
        ghg.compute(frame.iloc[[i]]).emissions.assign(source_row=frame.index[i])
        for i in range(min(len(frame), 5))
    ]).sort_values(["source_row", "gas"])
    merged = together.merge(alone, on=["source_row", "gas"], suffixes=("", "_alone"))
    np.testing.assert_allclose(merged["emissions_kg"], merged["emissions_kg_alone"], rtol=1e-12)
