"""Inventory.uncertainty(...): the method issue 21 asked for, over the module functions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import ghg_inventory as ghg
from ghg_inventory.errors import UnknownKeyError


def _natural_gas() -> ghg.Inventory:
    # 100 TJ of natural gas in a food factory (1.A.2.e), 1 % activity uncertainty given
    return ghg.compute(pd.DataFrame([dict(
        facility_id="F1", year=2023, category="1.A.2.e", activity="natural_gas",
        amount=100, unit="TJ", activity_uncertainty=1.0)]))


def test_error_propagation_by_the_method_is_eq_3_1_by_hand():
    out = _natural_gas().uncertainty(by="gas").set_index("gas")
    # CO2: 100 TJ x 56,100 kg/TJ = 5,610,000 kg; Table 1.4 range 54,300-58,300: the larger
    # half-width 2,200 / 56,100 = 3.9216 %; Eq. 3.1: sqrt(1^2 + 3.9216^2) = 4.0471 %
    u_f = 100 * (58_300 - 56_100) / 56_100
    assert out.loc["CO2", "co2e_kg"] == pytest.approx(100 * 56_100)
    assert out.loc["CO2", "uncertainty_pct"] == pytest.approx(math.sqrt(1 + u_f**2))


def test_monte_carlo_by_the_method_is_the_module_function_with_the_same_seed():
    inv = _natural_gas()
    mine = inv.uncertainty("monte_carlo", iterations=2_000, seed=7)
    theirs = ghg.uncertainty.monte_carlo(inv, iterations=2_000, seed=7)
    pd.testing.assert_frame_equal(mine, theirs)


def test_an_unknown_method_is_refused():
    with pytest.raises(UnknownKeyError, match="error_propagation"):
        _natural_gas().uncertainty("bootstrap")
