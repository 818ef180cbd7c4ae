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
from ghg_inventory.editions import superseded_by_2019
from ghg_inventory.errors import InternalError
from ghg_inventory.sectors import REGISTRY

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


# --- item 12: one edition per run, never a silent mix --------------------------------------

DAIRY = {"category": "3.A.1", "activity": "dairy_cattle", "amount": 100, "unit": "head"}
MANURE = {"category": "3.A.2", "activity": "dairy_cattle", "amount": 100, "unit": "head",
          "manure_system": "solid_storage", "temperature": 24}


def _dairy_2019_record() -> pd.DataFrame:
    """A user's override holding the 2019 Refinement value (not shipped)."""
    return pd.DataFrame([{
        "factor_id": "user.ipcc2019.t10_11.dairy_cattle.asia", "parameter": "ef",
        "category": "3.A.1", "activity": "dairy_cattle", "gas": "CH4", "value": 78,
        "unit": "kg/head/year", "tier": 1, "guidelines": "2019", "variant": "asia",
        "fossil": False,  # enteric CH4 is biological
        "source": "IPCC 2019 Refinement, Vol 4, Ch 10",
        "reference": "Table 10.11 (Updated)"}])


def test_enteric_dairy_cattle_under_2006_is_the_printed_table_10_11_value():
    # IPCC 2006 Vol 4 Table 10.11, Asia, dairy cattle: 68 kg CH4/head/yr x 100 head = 6,800 kg
    inv = ghg.compute(activity_frame([DAIRY]), guidelines="2006")
    row = inv.emissions.iloc[0]
    assert row["emissions_kg"] == pytest.approx(100 * 68)
    assert row["emissions_kg"] == pytest.approx(6_800)
    assert str(row["guidelines"]) == "2006"
    assert inv.meta["factor_editions"] == ["2006"]


def test_enteric_under_2019_uses_the_2019_value_or_refuses():
    # 2019 Refinement Table 10.11 (Updated), Asia dairy cattle 78 kg CH4/head/yr (shipped
    # since issue 18): 100 head x 78 = 7,800 kg, labelled 2019 (before issue 23's fix a
    # 2019 run gave 6,800 kg labelled 2006 without a word)
    inv = ghg.compute(activity_frame([DAIRY]), guidelines="2019")
    assert inv.emissions["emissions_kg"].sum() == pytest.approx(100 * 78)
    assert list(inv.emissions["guidelines"].astype(str)) == ["2019"]
    # no 2019 value (buffalo in North America): refused, never the 2006 Table 10.10 value
    [problem] = problems([{**DAIRY, "activity": "buffalo", "region": "north_america"}],
                         guidelines="2019")
    assert problem.column == "activity" and "10.11 (Updated)" in problem.message
    assert "guidelines='2006'" in problem.message


def test_a_2019_record_of_the_user_is_used_and_labelled_2019():
    # 2019 Refinement Table 10.11 (Updated), Asia dairy cattle 78 kg CH4/head/yr (the
    # user's record) x 100 head = 7,800 kg
    inv = ghg.compute(activity_frame([DAIRY]), guidelines="2019", factors=_dairy_2019_record())
    row = inv.emissions.iloc[0]
    assert row["emissions_kg"] == pytest.approx(100 * 78)
    assert str(row["guidelines"]) == "2019"
    assert str(row["factor_id"]) == "user.ipcc2019.t10_11.dairy_cattle.asia"
    assert inv.meta["factor_editions"] == ["2019"]
    # the same record is not used in a 2006 run: 68, as printed in 2006
    inv = ghg.compute(activity_frame([DAIRY]), guidelines="2006", factors=_dairy_2019_record())
    assert inv.emissions["emissions_kg"].sum() == pytest.approx(6_800)


def test_manure_under_2019_takes_the_refinement_method_and_refuses_what_it_lacks():
    # the 2019 method (VS x Bo x MCF by climate zone, Table 10.17 (Updated)) needs the
    # climate zone, not the temperature of the 2006 tables
    assert {p.column for p in problems([MANURE], guidelines="2019")} == {"climate_zone"}
    # a value the 2019 tables lack (daily-spread EF3) is refused, naming the revision
    got = {p.column: p.message for p in problems(
        [{**MANURE, "climate_zone": "tropical_moist", "manure_system": "daily_spread"}],
        guidelines="2019")}
    assert set(got) == {"ef3"} and "Table 10.21 (Updated)" in got["ef3"]
    # the row's own values (Tier 2) serve where the defaults are not in force: no refusal
    own = {**MANURE, "vs_rate": 2.0, "bo": 0.13, "mcf": 4, "nex": 40, "ef3": 0.01,
           "frac_gas_ms": 45}
    inv = ghg.compute(activity_frame([own]), guidelines="2019")
    kg = inv.emissions.groupby(["category", "gas"], observed=True)["emissions_kg"].sum()
    # Eq. 10.23: 2.0 kg VS/head/day x 365 x 0.13 m3/kg x 0.67 kg/m3 x 4 % = 2.54332 kg/head
    assert kg[("3.A.2", "CH4")] == pytest.approx(100 * 2.0 * 365 * 0.13 * 0.67 * 0.04)
    # Eq. 10.25: 100 head x 40 kg N x 0.01 x 44/28 = 62.857 kg N2O
    assert kg[("3.A.2", "N2O")] == pytest.approx(100 * 40 * 0.01 * 44 / 28)


def test_tier2_enteric_under_2019_needs_the_row_s_ym():
    row = {**DAIRY, "amount": 10, "gross_energy": 100}
    [problem] = problems([row], guidelines="2019")
    assert problem.column == "ym" and "Table 10.12 (Updated)" in problem.message
    # Eq. 10.21: 100 MJ/head/day x 6.3 % x 365 / 55.65 MJ/kg = 41.321 kg/head/yr x 10 head
    inv = ghg.compute(activity_frame([{**row, "ym": 6.3}]), guidelines="2019")
    assert inv.emissions["emissions_kg"].sum() == pytest.approx(10 * 100 * 0.063 * 365 / 55.65)


def test_a_default_the_refinement_left_standing_is_used_and_says_2006():
    # horses: Table 10.10 (Updated) keeps 18 kg CH4/head/yr (as 2006 Table 10.10)
    # 10 head x 18 = 180 kg, labelled 2006; the run's meta names both editions it used
    rows = [{"category": "3.A.1", "activity": "horses", "amount": 10, "unit": "head"},
            {"category": "3.C.4", "activity": "synthetic_fertilizer", "amount": 1000,
             "unit": "kg", "climate": "wet"}]
    inv = ghg.compute(activity_frame(rows), guidelines="2019")
    horses = inv.emissions[inv.emissions["activity"] == "horses"].iloc[0]
    assert horses["emissions_kg"] == pytest.approx(180)
    assert str(horses["guidelines"]) == "2006"
    assert inv.meta["factor_editions"] == ["2006", "2019"]


def test_every_result_row_says_the_edition_of_the_record_it_used(db):
    rows = [DAIRY, {"category": "3.A.1", "activity": "horses", "amount": 10, "unit": "head"},
            {"category": "3.C.4", "activity": "synthetic_fertilizer", "amount": 1000,
             "unit": "kg", "climate": "wet"},
            {"category": "1.A.2", "activity": "natural_gas", "amount": 10, "unit": "TJ"}]
    dairy = _dairy_2019_record()
    inv = ghg.compute(activity_frame(rows), guidelines="2019", factors=dairy)
    records = pd.concat([db.table, dairy.assign(table="user")]).set_index("factor_id")
    used = inv.emissions[["factor_id", "guidelines"]].astype(str)
    assert (used["guidelines"].to_numpy()
            == records.loc[used["factor_id"], "guidelines"].astype(str).to_numpy()).all()
    # and none of them is a 2006 default of a table the Refinement revised
    revised = superseded_by_2019(db.table)
    assert not set(used["factor_id"]) & set(db.table.loc[revised, "factor_id"])


def test_a_row_s_own_value_names_no_record_and_no_edition():
    # before: the row's EF3 0.01 was used but the row named the 2006 record (0.005) and
    # said guidelines = 2006; likewise the row's Ym named the Table 10.12 record
    manure = {**MANURE, "ef3": 0.01, "nex": 40}
    cattle = {**DAIRY, "amount": 10, "gross_energy": 100, "ym": 6.3}
    inv = ghg.compute(activity_frame([manure, cattle]), guidelines="2006")
    e = inv.emissions
    direct = e[(e["category"] == "3.A.2") & (e["gas"] == "N2O")].iloc[0]
    # Eq. 10.25: 100 head x 40 kg N x 0.01 x 44/28 = 62.857 kg N2O
    assert direct["emissions_kg"] == pytest.approx(100 * 40 * 0.01 * 44 / 28)
    enteric = e[e["category"] == "3.A.1"].iloc[0]
    for row in (direct, enteric):
        assert str(row["factor_id"]) == "user-supplied"
        assert pd.isna(row["guidelines"])
    # the manure CH4 still comes from its Table 10.14 record and says so
    ch4 = e[(e["category"] == "3.A.2") & (e["gas"] == "CH4")].iloc[0]
    assert str(ch4["guidelines"]) == "2006"
