"""Forest land, land-use change and REDD+ (IPCC 2006 Vol 4 Ch 2, 4) against values worked
by hand. CO2 of forest biomass is counted (LULUCF), removals negative.

Most cases give R, CF and growth in the row (the user's national data), so the arithmetic
is visible; the IPCC defaults are tested where they are shipped.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ghg_inventory as ghg
from conftest import activity_frame
from ghg_inventory.province.redd import (
    forest_area_change,
    forest_cover,
    land_use_change_activities,
    redd_results,
    special_use_forest,
)

C_TO_CO2 = 44 / 12
OWN = {"root_shoot": 0.2, "carbon_fraction": 0.47}
FOREST = {"category": "3.B.1.a", **OWN}


def co2_t(rows: list[dict]) -> float:
    return ghg.compute(activity_frame(rows)).emissions["emissions_kg"].sum() / 1000


def refused(rows: list[dict]) -> set[str]:
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame(rows))
    return {p.column for p in info.value.problems}


def test_growth_is_a_removal():
    # Eq. 2.9, 2.10: 100 ha x 5 t DM/ha/yr x (1 + 0.2) x 0.47 = 282 t C -> -1,034 t CO2
    got = co2_t([{**FOREST, "activity": "forest_growth", "amount": 100, "unit": "ha",
                  "agb_growth": 5}])
    assert got == pytest.approx(-100 * 5 * 1.2 * 0.47 * C_TO_CO2)


def test_wood_removals_with_bcef_or_density_and_bef():
    # Eq. 2.12: 100 m3 x BCEF_R 1.0 x 1.2 x 0.47 = 56.4 t C; D 0.5 x BEF 1.3 = BCEF 0.65
    row = {**FOREST, "activity": "wood_removals", "amount": 100, "unit": "m3"}
    assert co2_t([{**row, "bcef_r": 1.0}]) == pytest.approx(56.4 * C_TO_CO2)
    assert co2_t([{**row, "wood_density": 0.5, "bef": 1.3}]) == pytest.approx(
        100 * 0.65 * 1.2 * 0.47 * C_TO_CO2)
    assert "bcef_r" in refused([row])


def test_disturbance_loses_a_fraction_of_the_stock():
    # Eq. 2.14: 10 ha x 200 t DM/ha x (1 + 0.2) x 0.47 x fd 0.3 = 338.4 t C
    got = co2_t([{**FOREST, "activity": "disturbance", "amount": 10, "unit": "ha",
                  "agb_stock": 200, "fraction_lost": 0.3}])
    assert got == pytest.approx(338.4 * C_TO_CO2)


@settings(max_examples=30, deadline=None)
@given(area=st.floats(1, 1e5), growth=st.floats(0.1, 20), years=st.integers(1, 30),
       start=st.floats(0, 300))
def test_stock_difference_and_gain_loss_agree_on_the_same_forest(area, growth, years,
                                                                   start):
    # a forest that only grows: B_t2 = B_t1 + years x G -> the same annual change
    gain_loss = co2_t([{**FOREST, "activity": "forest_growth", "amount": area, "unit": "ha",
                        "agb_growth": growth}])
    stock_diff = co2_t([{**FOREST, "activity": "forest_stock_change", "amount": area,
                         "unit": "ha", "biomass_start": start,
                         "biomass_end": start + years * growth, "inventory_year_start": 2000,
                         "inventory_year_end": 2000 + years}])
    assert stock_diff == pytest.approx(gain_loss, rel=1e-9)


def test_deforestation_biomass_and_soil_carbon():
    # Eq. 2.16: 10 ha x (200 x 1.2 x 0.47 - 5 t C/ha after) = 1,078 t C in the year
    # Eq. 2.25: soil 60 -> 40 t C/ha over 20 years: 10 ha x 1 t C/yr, 2024 to 2043
    inv = ghg.compute(activity_frame([{
        "category": "3.B.2.b", "activity": "deforestation", "amount": 10, "unit": "ha",
        "year": 2024, "agb_stock": 200, **OWN, "biomass_after": 5, "soc_before": 60,
        "soc_after": 40}]))
    by_year = inv.rollup(by="year").set_index("year")["CO2_kg"] / 1000
    assert by_year[2024] == pytest.approx((1078 + 10) * C_TO_CO2)
    assert by_year[2043] == pytest.approx(10 * C_TO_CO2)
    assert sorted(by_year.index) == list(range(2024, 2044))
    assert not inv.emissions["biogenic"].any()  # LULUCF CO2 counts
    assert inv.total().m_as("t CO2e") == pytest.approx((1078 + 20 * 10) * C_TO_CO2)


def test_afforestation_grows_and_loses_the_previous_vegetation():
    # 30 ha in conversion: 30 x 8 x 1.2 x 0.47 = 135.36 t C removed; 5 ha newly converted
    # x 10 t C/ha of shrubs lost = 50 t C
    got = co2_t([{"category": "3.B.1.b", "activity": "afforestation", "amount": 30,
                  "unit": "ha", "agb_growth": 8, **OWN, "converted_area": 5,
                  "biomass_before": 10}])
    assert got == pytest.approx((50 - 135.36) * C_TO_CO2)


@pytest.mark.parametrize("row, column", [
    ({**FOREST, "activity": "forest_growth", "amount": -5, "unit": "ha", "agb_growth": 5},
     "amount"),
    ({"category": "3.B.2.b", "activity": "deforestation", "amount": 1, "unit": "ha",
      "forest_type": "evergreen_broadleaf_rich", **OWN, "biomass_after": 5}, "forest_type"),
    # growth of an ecozone with no R default and no root_shoot given
    ({"category": "3.B.1.a", "activity": "forest_growth", "amount": 1, "unit": "ha",
      "agb_growth": 5, "carbon_fraction": 0.47, "ecozone": "lunar_forest"}, "root_shoot"),
    ({**FOREST, "activity": "forest_growth", "amount": 1, "unit": "m3", "agb_growth": 5},
     "unit"),
    ({**FOREST, "activity": "forest_stock_change", "amount": 1, "unit": "ha",
      "biomass_start": 100}, "biomass_end"),
    ({**FOREST, "activity": "disturbance", "amount": 1, "unit": "ha", "agb_stock": 100,
      "fraction_lost": 1.5}, "fraction_lost"),
    ({"category": "3.B.5.b", "activity": "deforestation", "amount": 1, "unit": "ha",
      "agb_stock": 100, **OWN}, "biomass_after"),
])
def test_bad_forest_input_is_refused(row, column):
    assert column in refused([row])


def test_deforestation_with_the_ipcc_defaults_of_the_ecozone():
    # Table 4.7 Asia insular tropical rain forest 350 t DM/ha; Table 4.4 R 0.37; Table 4.3
    # CF 0.47: 350 x 1.37 x 0.47 = 225.365 t C/ha; 2 ha, nothing left (biomass_after 0)
    got = co2_t([{"category": "3.B.6.b", "activity": "deforestation", "amount": 2,
                  "unit": "ha", "ecozone": "tropical_rain_forest", "continent": "asia_insular",
                  "biomass_after": 0}])
    assert got == pytest.approx(2 * 350 * 1.37 * 0.47 * C_TO_CO2)


def test_conversion_to_grassland_and_cropland_soil_with_the_defaults():
    # to grassland, tropical moist: Table 6.4 total 16.1 t DM/ha x CF 0.47 = 7.567 t C/ha
    # left; forest 200 t DM/ha (the row's) x 1.2 x 0.47 = 112.8 t C/ha
    got = co2_t([{"category": "3.B.3.b", "activity": "deforestation", "amount": 1,
                  "unit": "ha", "agb_stock": 200, "root_shoot": 0.2,
                  "climate": "tropical_moist"}])
    assert got == pytest.approx((112.8 - 16.1 * 0.47) * C_TO_CO2)
    # to cropland on HAC soil, tropical moist: SOC_REF 65 t C/ha (Table 2.3) -> 65 x F_LU
    # 0.48 (long-term cultivated, tropical moist/wet, Table 5.5) = 31.2; (65 - 31.2) / 20
    # = 1.69 t C/ha/yr for 20 years
    inv = ghg.compute(activity_frame([{
        "category": "3.B.2.b", "activity": "deforestation", "amount": 1, "unit": "ha",
        "year": 2024, "agb_stock": 200, "root_shoot": 0.2, "biomass_after": 5,
        "soil_type": "high_activity_clay", "climate_region": "tropical_moist",
        "moisture_regime": "tropical_moist_wet"}]))
    by_year = inv.rollup(by="year").set_index("year")["CO2_kg"] / 1000
    assert by_year[2030] == pytest.approx((65 - 65 * 0.48) / 20 * C_TO_CO2)


def test_root_shoot_follows_the_biomass_class_of_table_4_4():
    # tropical moist deciduous: R 0.20 below 125 t DM/ha, 0.24 from 125 up
    row = {"category": "3.B.1.a", "activity": "disturbance", "amount": 1, "unit": "ha",
           "ecozone": "tropical_moist_deciduous", "fraction_lost": 1, "carbon_fraction": 0.5}
    assert co2_t([{**row, "agb_stock": 100}]) == pytest.approx(100 * 1.20 * 0.5 * C_TO_CO2)
    assert co2_t([{**row, "agb_stock": 200}]) == pytest.approx(200 * 1.24 * 0.5 * C_TO_CO2)


def test_a_national_forest_type_from_an_override_table():
    # the user's national stock for 'evergreen_broadleaf_rich' (t DM/ha)
    override = pd.DataFrame([{
        "factor_id": "vn.test.agb.rich", "parameter": "agb_stock", "category": "3.B.1",
        "activity": "evergreen_broadleaf_rich", "gas": "", "value": 250, "unit": "t/ha",
        "tier": 2, "region": "VN", "guidelines": "2006", "source": "test national data",
        "reference": "test"}])
    inv = ghg.compute(activity_frame([{"category": "3.B.2.b", "activity": "deforestation",
                                       "amount": 2, "unit": "ha", **OWN,
                                       "forest_type": "evergreen_broadleaf_rich",
                                       "biomass_after": 0}]), factors=override)
    assert inv.emissions["emissions_kg"].sum() / 1000 == pytest.approx(
        2 * 250 * 1.2 * 0.47 * C_TO_CO2)
    assert set(inv.emissions["factor_id"].astype(str)) == {"vn.test.agb.rich"}


# --- land-use change matrix, REDD+, indicators -------------------------------------------------

def test_land_use_change_matrix_to_activity_rows():
    matrix = pd.DataFrame([
        {"commune": "Xã Bình Lư", "year": 2024, "from_class": "forest",
         "to_class": "cropland", "area_ha": 12, "agb_stock": 150, **OWN,
         "biomass_after": 5},
        {"commune": "Xã Bình Lư", "year": 2024, "from_class": "grassland",
         "to_class": "forest", "area_ha": 3, "agb_growth": 6, **OWN}])
    rows = land_use_change_activities(matrix)
    assert list(rows["category"]) == ["3.B.2.b", "3.B.1.b"]
    assert list(rows["activity"]) == ["deforestation", "afforestation"]
    inv = ghg.compute(rows)
    # 12 x (150 x 1.2 x 0.47 - 5) = 955.2 t C; 3 x 6 x 1.2 x 0.47 = 10.152 t C removed
    assert inv.emissions["emissions_kg"].sum() / 1000 == pytest.approx(
        (955.2 - 10.152) * C_TO_CO2)


def test_a_matrix_taking_more_than_a_class_has_is_refused():
    matrix = pd.DataFrame([{"commune": "Xã Bình Lư", "year": 2024, "from_class": "forest",
                            "to_class": "cropland", "area_ha": 120}])
    areas = pd.DataFrame([{"commune": "Xã Bình Lư", "year": 2024, "land_class": "forest",
                           "area_ha": 100}])
    with pytest.raises(ghg.ActivityValidationError) as info:
        land_use_change_activities(matrix, areas)
    assert info.value.problems[0].column == "area_ha"
    bad = matrix.assign(from_class="cropland", to_class="settlements", area_ha=1)
    with pytest.raises(ghg.ActivityValidationError):
        land_use_change_activities(bad)


def test_redd_results_against_a_reference_level():
    rows = [{"category": "3.B.2.b", "activity": "deforestation", "amount": 10, "unit": "ha",
             "agb_stock": 200, **OWN, "biomass_after": 5},
            {**FOREST, "activity": "fuelwood", "amount": 100, "unit": "m3", "bcef_r": 1.0},
            {**FOREST, "activity": "forest_growth", "amount": 100, "unit": "ha",
             "agb_growth": 5}]
    inv = ghg.compute(activity_frame(rows))
    reference = pd.DataFrame({"activity": ["deforestation", "degradation", "enhancement"],
                              "reference_t_co2": [5000.0, 300.0, -500.0]})
    got = redd_results(inv, reference).set_index("activity")
    deforestation = 1078 * C_TO_CO2          # 3,952.7 t
    degradation = 56.4 * C_TO_CO2            # 206.8 t
    enhancement = -282 * C_TO_CO2            # -1,034 t
    assert got.loc["deforestation", "result_t_co2"] == pytest.approx(5000 - deforestation)
    assert got.loc["degradation", "result_t_co2"] == pytest.approx(300 - degradation)
    assert got.loc["enhancement", "result_t_co2"] == pytest.approx(-500 - enhancement)
    assert got.loc["total", "result_t_co2"] == pytest.approx(
        4800 - deforestation - degradation - enhancement)
    with pytest.raises(ghg.ActivityValidationError):
        redd_results(inv, reference.assign(activity=["deforestation", "logging",
                                                     "enhancement"]))
    with_u = redd_results(inv, reference, uncertainty={
        "activity_uncertainty": {"3": 10}, "factor_uncertainty": {"user-supplied": 30}})
    assert (with_u.dropna(subset=["uncertainty_pct"])["uncertainty_pct"] > 0).all()


def test_forest_cover_against_the_plan():
    natural = pd.DataFrame([{"name_vi": "Tỉnh Lai Châu", "level": "province",
                             "natural_area_km2": 100.0},
                            {"name_vi": "Xã A", "level": "commune", "natural_area_km2": 60.0},
                            {"name_vi": "Xã B", "level": "commune", "natural_area_km2": 40.0}])
    forest = pd.DataFrame([{"commune": "Xã A", "year": 2024, "forest_type": "rich",
                            "function": "special_use", "area_ha": 3000},
                           {"commune": "Xã A", "year": 2024, "forest_type": "bamboo",
                            "function": "production", "area_ha": 600},
                           {"commune": "Xã B", "year": 2024, "forest_type": "rich",
                            "function": "protection", "area_ha": 2000},
                           {"commune": "Xã B", "year": 2025, "forest_type": "rich",
                            "function": "protection", "area_ha": 2100}])
    cover = forest_cover(forest, natural, target_pct=55).set_index(["year", "commune"])
    # Xã A: 3,600 ha / 6,000 ha = 60 %; province 2024: 5,600 / 10,000 = 56 %
    assert cover.loc[(2024, "Xã A"), "cover_pct"] == pytest.approx(60)
    assert cover.loc[(2024, "Tỉnh Lai Châu"), "cover_pct"] == pytest.approx(56)
    assert cover.loc[(2024, "Tỉnh Lai Châu"), "gap_pct"] == pytest.approx(1)
    change = forest_area_change(forest, 2024, 2025).set_index("forest_type")
    assert change.loc["rich", "change_ha"] == pytest.approx(2100 - 5000)
    special = special_use_forest(forest)
    assert special["target_ha"].iloc[0] == 41_275 and not special["kept"].iloc[0]
    with pytest.raises(ghg.ActivityValidationError):
        forest_cover(forest.assign(commune="Xã Z"), natural)
