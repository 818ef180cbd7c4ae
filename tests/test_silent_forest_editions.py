"""Issue 23, items 2 and 12: no NaN total (afforestation without a root-to-shoot ratio is
refused; the engine refuses any emission that is not finite, or negative where the method
declares no removal) and no silent mix of IPCC editions (a run under the 2019 Refinement
never takes a 2006 default the Refinement revised).

Expected values are worked by hand from the printed IPCC tables.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.errors import InternalError
from ghg_inventory.methods import REGISTRY

C_TO_CO2 = 44 / 12


def problems(rows: list[dict], **kwargs: object) -> list[ghg.Problem]:
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame(rows), **kwargs)
    return info.value.problems


# --- item 2: afforestation without a default R ---------------------------------------------

AFFORESTATION = {"category": "3.B.1.b", "activity": "afforestation", "amount": 30,
                 "unit": "ha", "agb_growth": 8, "carbon_fraction": 0.47}


def test_afforestation_in_an_ecozone_without_default_root_shoot_ratio_is_refused(tmp_path):
    # before the fix: emissions_kg = NaN and total() = nan, exit 0
    path = tmp_path / "forest.csv"
    activity_frame([{**AFFORESTATION, "ecozone": "tropical_rain_forest"},
                    {**AFFORESTATION, "ecozone": "lunar_forest"}]).to_csv(path, index=False)
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(path)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == ("forest.csv", 3, "root_shoot")
    assert "'lunar_forest'" in problem.message
    assert "give root_shoot" in problem.message
    # which ecozones have a Table 4.4 default
    assert "Table 4.4" in problem.message and "tropical_rain_forest" in problem.message


def test_afforestation_whose_ratio_depends_on_an_unknown_biomass_class_is_refused():
    # Table 4.4 tropical moist deciduous: R 0.20 below 125 t/ha, 0.24 above; no stand biomass
    [problem] = problems([{**AFFORESTATION, "ecozone": "tropical_moist_deciduous"}])
    assert problem.column == "root_shoot"
    assert "agb_stock" in problem.message and "agb_lt_125" in problem.message


def test_afforestation_with_the_table_4_4_default_or_the_row_s_ratio():
    # 30 ha x 8 t DM/ha/yr x (1 + R 0.37, Table 4.4 tropical rainforest) x CF 0.47
    # = 154.536 t C removed -> -566.632 t CO2
    row = {**AFFORESTATION, "ecozone": "tropical_rain_forest"}
    got = ghg.compute(activity_frame([row])).emissions["emissions_kg"].sum()
    assert got == pytest.approx(-30 * 8 * 1.37 * 0.47 * C_TO_CO2 * 1000)
    assert got == pytest.approx(-566_632.0)
    # the user's R where no default exists: 30 x 8 x 1.25 x 0.47 = 141 t C
    own = {**AFFORESTATION, "ecozone": "lunar_forest", "root_shoot": 0.25}
    got = ghg.compute(activity_frame([own])).emissions["emissions_kg"].sum()
    assert got == pytest.approx(-141 * C_TO_CO2 * 1000)


def test_a_bounded_biomass_class_of_table_4_4_is_used():
    # Table 4.4 temperate conifer, above-ground biomass 50-150 t/ha: R 0.29
    # 10 ha x 4 t DM/ha/yr x 1.29 x CF 0.47 = 24.252 t C removed
    row = {**AFFORESTATION, "amount": 10, "agb_growth": 4, "ecozone": "temperate_conifer",
           "agb_stock": 100}
    got = ghg.compute(activity_frame([row])).emissions["emissions_kg"].sum()
    assert got == pytest.approx(-24.252 * C_TO_CO2 * 1000)


# --- item 2: the engine's guard ------------------------------------------------------------

def _broken(method: str, spoil, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Replace a registered method by one whose results are spoilt by ``spoil``."""
    original = REGISTRY[method]

    def compute(table: pd.DataFrame, ctx: object) -> pd.DataFrame:
        part = original.compute(table, ctx)  # type: ignore[arg-type]
        part["emissions_kg"] = spoil(part["emissions_kg"].to_numpy(dtype=float).copy(),
                                     part["_pos"].to_numpy())
        return part

    monkeypatch.setitem(REGISTRY, method, dataclasses.replace(original, compute=compute))


CATTLE = {"category": "3.A.1", "activity": "dairy_cattle", "amount": 100, "unit": "head"}


@pytest.mark.parametrize("bad", [np.nan, np.inf, -1.0])
def test_the_engine_refuses_an_emission_that_is_not_finite_or_negative(tmp_path, monkeypatch,
                                                                      bad):
    def spoil(kg: np.ndarray, pos: np.ndarray) -> np.ndarray:
        kg[pos == 1] = bad  # the second activity row of the method
        return kg

    _broken("enteric_fermentation", spoil, monkeypatch)
    path = tmp_path / "herd.csv"
    activity_frame([CATTLE, CATTLE]).to_csv(path, index=False)
    with pytest.raises(InternalError) as info:
        ghg.compute(path)
    message = str(info.value)
    assert "'enteric_fermentation'" in message
    assert "herd.csv row 3: CH4" in message  # header is line 1: the second row is line 3
    assert "herd.csv row 2" not in message
    assert isinstance(info.value, ghg.GHGInventoryError)


def test_removals_may_be_negative_only_for_the_declared_gas(monkeypatch):
    forest = {"category": "3.B.1.a", "activity": "forest_growth", "amount": 100,
              "unit": "ha", "agb_growth": 5, "root_shoot": 0.2, "carbon_fraction": 0.47}
    # growth is a removal: 100 x 5 x 1.2 x 0.47 = 282 t C -> -1,034 t CO2, accepted
    inv = ghg.compute(activity_frame([forest]))
    assert inv.emissions["emissions_kg"].sum() == pytest.approx(-282 * C_TO_CO2 * 1000)
    # a method that declares no removal may not return a negative number
    assert REGISTRY["enteric_fermentation"].removals == ()
    assert REGISTRY["forest_land_remaining"].removals == ("CO2",)
    _broken("forest_land_remaining", lambda kg, pos: kg * np.nan, monkeypatch)
    with pytest.raises(InternalError, match="forest_land_remaining"):
        ghg.compute(activity_frame([forest]))
