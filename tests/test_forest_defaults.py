"""Forest land and land-use change from activity data and site characteristics alone
(issue 18): the IPCC 2006 Tier 1 defaults of Vol 4 Ch 4 and Ch 5, against hand arithmetic.

Printed values used below (IPCC 2006 Guidelines, Vol 4):

* Ch 4 Table 4.7, above-ground biomass of natural forest [t d.m./ha], Asia (continental):
  tropical rain forest 280, tropical moist deciduous 180, tropical dry 130, subtropical
  humid forest 180; Asia (insular): tropical rain forest 350;
* Ch 4 Table 4.4, root-to-shoot ratio R: tropical rainforest 0.37; tropical moist
  deciduous 0.20 below / 0.24 above 125 t/ha; tropical dry 0.56 below / 0.28 above
  20 t/ha; subtropical humid 0.20 / 0.24 (125 t/ha); temperate other broadleaf 0.46
  below 75, 0.23 for 75-150, 0.24 above 150 t/ha;
* Ch 4 Table 4.3, carbon fraction CF of tropical and subtropical wood: 0.47;
* Ch 4 Table 4.9, above-ground net growth of natural forest [t d.m./ha/yr], Asia
  (continental): tropical rain forest 7.0 (20 years or less) and 2.2 (older); tropical
  moist deciduous forest 9.0 (20 years or less) and 2.0 (older);
* Ch 5 Table 5.9, biomass carbon on cropland in the year after conversion [t C/ha]:
  annual cropland 5.0; perennial cropland, tropical moist 2.6;
* Ch 2 Table 2.3 SOC_REF of high-activity-clay soil, tropical moist: 65 t C/ha; Ch 5
  Table 5.5 F_LU long-term cultivated, tropical moist/wet: 0.48; D = 20 years (Eq. 2.25).

The expected numbers are these printed values and the arithmetic written in each test,
never read from the factor tables or the code under test. Which of them rest on one
machine-readable copy only (``verification = single_source``) is said in
``emission_factors/ipcc2006_forest.csv``.
"""

from __future__ import annotations

import pytest

import ghg_inventory as ghg
from conftest import activity_frame

C_TO_CO2 = 44 / 12  # molecular weights (Vol 4 Ch 2, Eq. 2.7 ff.)


def compute(rows: list[dict]) -> ghg.Inventory:
    return ghg.compute(activity_frame(rows))


def co2_t(rows: list[dict]) -> float:
    return float(compute(rows).emissions["emissions_kg"].sum()) / 1000


def refused(rows: list[dict]) -> dict[str, str]:
    with pytest.raises(ghg.ActivityValidationError) as info:
        compute(rows)
    return {p.column: p.message for p in info.value.problems}


def deforestation(**site) -> dict:
    return {"category": "3.B.2.b", "activity": "deforestation", "amount": 100, "unit": "ha",
            "year": 2024, **site}


# --- land conversion (3.B.2.b ... 3.B.6.b): deforestation from the defaults -------------------

def test_continental_asian_rain_forest_to_annual_cropland_from_defaults_only():
    # Eq. 2.15, 2.16: (B_before - B_after) x A, all in the conversion year
    #   before: 280 t d.m./ha (Table 4.7, Asia continental) x (1 + 0.37) (Table 4.4)
    #           x 0.47 (Table 4.3) = 180.292 t C/ha
    #   after:  5.0 t C/ha (Table 5.9, annual cropland)
    #   100 ha x (180.292 - 5.0) = 17,529.2 t C -> x 44/12 = 64,273.7333 t CO2
    row = deforestation(ecozone="tropical_rain_forest", continent="asia_continental")
    expected_t = 100 * (280 * 1.37 * 0.47 - 5.0) * C_TO_CO2
    assert expected_t == pytest.approx(64_273.7333333)
    inv = compute([row])
    assert float(inv.emissions["emissions_kg"].sum()) == pytest.approx(expected_t * 1000,
                                                                       rel=1e-9)
    # the stock of the continental row of Table 4.7 carries the result, the other
    # defaults used are named beside it (R, CF, the biomass after conversion)
    assert set(inv.emissions["factor_id"].astype(str)) == {
        "ipcc2006.v4.t4_7.agb_stock.tropical_rain_forest.asia_continental"}
    assert set(inv.emissions["auxiliary_factor_ids"].astype(str)) == {
        "ipcc2006.v4.t4_4.root_shoot.tropical_rain_forest;"
        "ipcc2006.v4.t4_3.carbon_fraction.wood.tropical_subtropical;"
        "ipcc2006.v4.t5_9.biomass_after_conversion.annual_cropland"}


def test_continental_asia_is_the_default_continent():
    # Lai Chau is in continental Asia: without ``continent`` the row takes that column
    with_continent = co2_t([deforestation(ecozone="tropical_rain_forest",
                                          continent="asia_continental")])
    assert co2_t([deforestation(ecozone="tropical_rain_forest")]) == pytest.approx(
        with_continent)
    # insular Asia is a different column: 350 t d.m./ha
    insular = co2_t([deforestation(ecozone="tropical_rain_forest", continent="asia_insular")])
    assert insular == pytest.approx(100 * (350 * 1.37 * 0.47 - 5.0) * C_TO_CO2)


@pytest.mark.parametrize(("ecozone", "agb", "r"), [
    # 180 t/ha is above the 125 t/ha class limit of Table 4.4: R 0.24
    ("tropical_moist_deciduous", 180, 0.24),
    # 130 t/ha is above 20 t/ha: R 0.28
    ("tropical_dry", 130, 0.28),
    ("subtropical_humid", 180, 0.24),
])
def test_the_other_asian_ecozones_of_lai_chau_to_cropland(ecozone, agb, r):
    # 100 ha x (agb x (1 + R) x 0.47 - 5.0) x 44/12
    #   moist deciduous: 180 x 1.24 x 0.47 = 104.904 -> 99.904 t C/ha -> 36,631.4667 t CO2
    #   dry:             130 x 1.28 x 0.47 = 78.208 -> 73.208 t C/ha -> 26,842.9333 t CO2
    expected_t = 100 * (agb * (1 + r) * 0.47 - 5.0) * C_TO_CO2
    assert co2_t([deforestation(ecozone=ecozone, continent="asia_continental")]) == (
        pytest.approx(expected_t, rel=1e-9))


def test_hand_numbers_of_the_other_ecozones():
    assert 100 * (180 * 1.24 * 0.47 - 5.0) * C_TO_CO2 == pytest.approx(36_631.4666667)
    assert 100 * (130 * 1.28 * 0.47 - 5.0) * C_TO_CO2 == pytest.approx(26_842.9333333)


def test_tropical_mountain_systems_have_no_single_stock_and_say_so():
    # Table 4.7 prints only a range for tropical mountain systems (Asia continental): the
    # row is refused, naming the column to fill, and computes with the stand's own stock
    problems = refused([deforestation(ecozone="tropical_mountain_systems")])
    assert "ecozone" in problems
    assert "Table 4.7" in problems["ecozone"]
    # with agb_stock 150 t d.m./ha: R 0.27 (Table 4.4, one value): 150 x 1.27 x 0.47
    #   = 89.535 t C/ha; - 5.0 -> 84.535 x 100 ha = 8,453.5 t C = 30,996.1667 t CO2
    got = co2_t([deforestation(ecozone="tropical_mountain_systems", agb_stock=150)])
    assert got == pytest.approx(30_996.1666667)


def test_rain_forest_to_perennial_cropland_in_the_tropical_moist_climate():
    # Table 5.9 perennial cropland, tropical moist: 2.6 t C/ha after the conversion year
    #   100 x (180.292 - 2.6) = 17,769.2 t C -> 65,153.7333 t CO2
    row = deforestation(ecozone="tropical_rain_forest", land_use="perennial_tree_crop",
                        climate="tropical_moist")
    assert co2_t([row]) == pytest.approx(65_153.7333333)
    # a perennial crop without a climate of Table 5.9 is refused, not given the annual row
    assert "biomass_after" in refused([deforestation(ecozone="tropical_rain_forest",
                                                     land_use="perennial_tree_crop")])


def test_deforestation_with_the_soil_carbon_of_the_site():
    # soil: SOC_REF 65 t C/ha (Table 2.3, HAC, tropical moist) -> 65 x 0.48 (F_LU, Table
    # 5.5) = 31.2 t C/ha under cropland; (65 - 31.2) / 20 = 1.69 t C/ha/yr for 20 years:
    # 100 ha -> 169 t C/yr = 619.6667 t CO2 a year, 2024 to 2043
    inv = compute([deforestation(ecozone="tropical_rain_forest", soil_type="high_activity_clay",
                                 climate_region="tropical_moist",
                                 moisture_regime="tropical_moist_wet")])
    by_year = inv.rollup(by="year").set_index("year")["CO2_kg"] / 1000
    soil_t = 100 * (65 - 65 * 0.48) / 20 * C_TO_CO2
    assert soil_t == pytest.approx(619.6666667)
    assert by_year[2030] == pytest.approx(soil_t)
    assert by_year[2043] == pytest.approx(soil_t)
    assert 2044 not in by_year.index
    assert by_year[2024] == pytest.approx(64_273.7333333 + soil_t)


# --- forest land remaining forest land (3.B.1.a) ----------------------------------------------

def test_stand_replacing_disturbance_of_continental_asian_rain_forest_from_defaults_only():
    # Eq. 2.14: L = A x B_W x (1 + R) x CF x fd; a stand-replacing disturbance kills all
    # the biomass (fd = 1, Vol 4 Ch 2 Eq. 2.14 text), the kind of disturbance is the
    # activity datum: 10 ha x 280 (Table 4.7) x 1.37 (Table 4.4) x 0.47 (Table 4.3) x 1
    #   = 1,802.92 t C -> 6,610.7067 t CO2
    row = {"category": "3.B.1.a", "activity": "disturbance", "amount": 10, "unit": "ha",
           "ecozone": "tropical_rain_forest", "fraction_lost": 1}
    expected_t = 10 * 280 * 1.37 * 0.47 * 1 * C_TO_CO2
    assert expected_t == pytest.approx(6_610.7066667)
    assert co2_t([row]) == pytest.approx(expected_t, rel=1e-9)


@pytest.mark.parametrize(("agb", "r"), [(74, 0.46), (75, 0.23), (150, 0.23), (151, 0.24)])
def test_temperate_broadleaf_classes_of_table_4_4(agb, r):
    # "< 75", "75-150" (both limits in it) and "> 150" t/ha; CF the row's 0.5 (Table 4.3
    # prints its own temperate value, not shipped): 1 ha x agb x (1 + R) x 0.5 x 44/12
    row = {"category": "3.B.1.a", "activity": "disturbance", "amount": 1, "unit": "ha",
           "ecozone": "temperate_other_broadleaf", "agb_stock": agb, "carbon_fraction": 0.5,
           "fraction_lost": 1}
    assert co2_t([row]) == pytest.approx(agb * (1 + r) * 0.5 * C_TO_CO2, rel=1e-9)


def test_growth_of_continental_asian_rain_forest_from_defaults_only():
    # Eq. 2.9, 2.10: removal = A x G_W x (1 + R) x CF x 44/12; natural forest older than
    # 20 years (the default age class), G_W 2.2 t d.m./ha/yr (Table 4.9, Asia continental)
    #   100 ha x 2.2 x 1.37 x 0.47 = 141.658 t C -> 519.4127 t CO2 removed
    row = {"category": "3.B.1.a", "activity": "forest_growth", "amount": 100, "unit": "ha",
           "ecozone": "tropical_rain_forest"}
    expected_t = -100 * 2.2 * 1.37 * 0.47 * C_TO_CO2
    assert expected_t == pytest.approx(-519.4126667)
    inv = compute([row])
    assert float(inv.emissions["emissions_kg"].sum()) == pytest.approx(expected_t * 1000,
                                                                       rel=1e-9)
    assert set(inv.emissions["factor_id"].astype(str)) == {
        "ipcc2006.v4.t4_9.agb_growth.tropical_rain_forest.asia_continental_gt20"}


def test_young_stands_and_the_biomass_class_of_r():
    # <= 20 years: 7.0 t d.m./ha/yr (Table 4.9) -> 100 x 7.0 x 1.37 x 0.47 x 44/12
    #   = 1,652.6767 t CO2 removed
    young = {"category": "3.B.1.a", "activity": "forest_growth", "amount": 100, "unit": "ha",
             "ecozone": "tropical_rain_forest", "age_class": "le20"}
    assert co2_t([young]) == pytest.approx(-1_652.6766667)
    # tropical moist deciduous, Asia continental: R depends on the stand's biomass class.
    # Older than 20 years: 2.0 t d.m./ha/yr, the mature stand of Table 4.7 (180 t/ha,
    # above 125) gives R 0.24: 100 x 2.0 x 1.24 x 0.47 = 116.56 t C -> 427.3867 t CO2
    deciduous = {**young, "ecozone": "tropical_moist_deciduous", "age_class": "gt20"}
    assert co2_t([deciduous]) == pytest.approx(-427.3866667)
    # 20 years or less: 9.0 t d.m./ha/yr, but a young stand is not the mature forest of
    # Table 4.7: its class needs the row's agb_stock, else the row is refused
    young_deciduous = {**deciduous, "age_class": "le20"}
    assert "root_shoot" in refused([young_deciduous])
    # with 100 t/ha (below 125): R 0.20: 100 x 9.0 x 1.20 x 0.47 = 507.6 t C -> 1,861.2 t
    assert co2_t([{**young_deciduous, "agb_stock": 100}]) == pytest.approx(-1_861.2)


def test_land_converted_to_forest_grows_as_a_young_stand():
    # afforestation (3.B.1.b) in continental Asian rain forest: Table 4.9 <= 20 years,
    # 7.0 t d.m./ha/yr: 50 ha x 7.0 x 1.37 x 0.47 = 225.365 t C -> 826.3383 t CO2 removed
    row = {"category": "3.B.1.b", "activity": "afforestation", "amount": 50, "unit": "ha",
           "ecozone": "tropical_rain_forest"}
    assert co2_t([row]) == pytest.approx(-826.3383333)


def test_growth_of_mountain_forest_is_refused_saying_why():
    # Table 4.9 is not shipped for tropical mountain systems (no checked copy of the
    # printed cells): the row names the column to give
    problems = refused([{"category": "3.B.1.a", "activity": "forest_growth", "amount": 10,
                         "unit": "ha", "ecozone": "tropical_mountain_systems"}])
    assert "agb_growth" in problems


# --- Table 5.5 management and input factors (F_MG, F_I) -----------------------------------------

def test_deforestation_to_reduced_tillage_low_input_cropland():
    # Eq. 2.25 with Table 5.5 (IPCC 2006), tropical moist/wet: F_LU long-term cultivated
    # 0.48, F_MG reduced tillage 1.15, F_I low input 0.92; SOC_REF 65 t C/ha (HAC):
    #   after 65 x 0.48 x 1.15 x 0.92 = 33.0096 t C/ha; (65 - 33.0096) / 20 = 1.59952
    #   t C/ha/yr; 100 ha -> 159.952 t C/yr = 586.4907 t CO2 a year, 2024 to 2043
    inv = compute([deforestation(ecozone="tropical_rain_forest", soil_type="high_activity_clay",
                                 climate_region="tropical_moist",
                                 moisture_regime="tropical_moist_wet",
                                 tillage="reduced_tillage", input_level="low")])
    by_year = inv.rollup(by="year").set_index("year")["CO2_kg"] / 1000
    soil_t = 100 * (65 - 65 * 0.48 * 1.15 * 0.92) / 20 * C_TO_CO2
    assert soil_t == pytest.approx(586.4906667)
    assert by_year[2030] == pytest.approx(soil_t)
    ids = ";".join(inv.emissions["auxiliary_factor_ids"].astype(str))
    assert "ipcc2006.v4.t5_5.f_mg.reduced_tillage.tropical_moist_wet" in ids
    assert "ipcc2006.v4.t5_5.f_i.low.tropical_moist_wet" in ids


def test_no_till_high_input_with_manure_in_the_tropical_montane_regime():
    # Table 5.5 tropical montane: F_LU 0.64, F_MG no-till 1.16, F_I high with manure 1.41:
    #   after 65 x 0.64 x 1.16 x 1.41 = 68.04096 t C/ha > 65: the soil gains carbon,
    #   (65 - 68.04096) / 20 = -0.152048 t C/ha/yr -> 100 ha -> -55.7509 t CO2 a year
    inv = compute([deforestation(ecozone="tropical_rain_forest", soil_type="high_activity_clay",
                                 climate_region="tropical_moist",
                                 moisture_regime="tropical_montane",
                                 tillage="no_till", input_level="high_with_manure")])
    by_year = inv.rollup(by="year").set_index("year")["CO2_kg"] / 1000
    soil_t = 100 * (65 - 65 * 0.64 * 1.16 * 1.41) / 20 * C_TO_CO2
    assert soil_t == pytest.approx(-55.7509333)
    assert by_year[2035] == pytest.approx(soil_t)


def test_deforestation_on_montane_low_activity_clay_soil():
    # Lai Chau's highlands: Table 2.3 (Vol 4 Ch 2, p. 2.31) tropical montane, LAC soils:
    # 63* t C/ha (printed; the asterisk says it was taken from warm temperate moist);
    # Table 5.5 tropical montane: F_LU long-term cultivated 0.64, full tillage 1.00,
    # medium input 1.00:
    #   after 63 x 0.64 = 40.32 t C/ha; (63 - 40.32) / 20 = 1.134 t C/ha/yr;
    #   100 ha -> 113.4 t C = 415.8 t CO2 a year
    inv = compute([deforestation(ecozone="tropical_rain_forest", soil_type="low_activity_clay",
                                 climate_region="tropical_montane",
                                 moisture_regime="tropical_montane",
                                 tillage="full_tillage", input_level="medium")])
    by_year = inv.rollup(by="year").set_index("year")["CO2_kg"] / 1000
    assert by_year[2030] == pytest.approx(100 * (63 - 63 * 0.64) / 20 * C_TO_CO2)
    assert by_year[2030] == pytest.approx(415.8)
    rec = ghg.FactorDB.default().table.set_index("factor_id").loc[
        "ipcc2006.v4.t2_3.soc_ref.low_activity_clay.tropical_montane"]
    # the printed nominal +-90 %: 63 x 0.1 = 6.3 to 63 x 1.9 = 119.7
    assert (float(rec["lower"]), float(rec["upper"])) == pytest.approx((6.3, 119.7))


def test_f_lu_records_carry_the_printed_error_as_a_range():
    # Table 5.5 long-term cultivated, tropical moist/wet: 0.48, error +-46 % (2 SD as a
    # percent of the mean) -> 0.48 x 0.54 = 0.2592 to 0.48 x 1.46 = 0.7008
    t = ghg.FactorDB.default().table
    rec = t[t["factor_id"] == "ipcc2006.v4.t5_5.f_lu.long_term_cultivated.tropical_moist_wet"]
    assert float(rec["lower"].iloc[0]) == pytest.approx(0.48 * (1 - 0.46))
    assert float(rec["upper"].iloc[0]) == pytest.approx(0.48 * (1 + 0.46))


# --- Table 4.5 BCEF: wood removals and fuelwood from the growing stock -----------------------

def removal(activity="wood_removals", **site) -> dict:
    return {"category": "3.B.1.a", "activity": activity, "amount": 100, "unit": "m3",
            "year": 2024, "ecozone": "temperate_other_broadleaf", "agb_stock": 100,
            "climate_domain": "default", **site}


@pytest.mark.parametrize(("stock", "bcef_r"), [
    # Table 4.5 temperate hardwoods BCEF_R by growing stock [m3/ha]: <= 20: 3.33,
    # 21-40: 1.89, 41-100: 1.55, 100-200: 1.17, > 200: 0.89
    (15, 3.33), (40, 1.89), (41, 1.55), (150, 1.17), (250, 0.89)])
def test_wood_removals_of_temperate_hardwoods_from_table_4_5(stock, bcef_r):
    # Eq. 2.12: L = H x BCEF_R x (1 + R) x CF; R 0.23 (Table 4.4, temperate other
    # broadleaf, 75-150 t/ha: agb_stock 100), CF 0.47 (Table 4.3); e.g. 40 m3/ha:
    #   100 m3 x 1.89 x 1.23 x 0.47 = 109.2609 t C -> 400.6233 t CO2
    expected_t = 100 * bcef_r * 1.23 * 0.47 * C_TO_CO2
    got = co2_t([removal(bcef_zone="temperate", bcef_forest_type="hardwoods",
                         growing_stock=stock)])
    assert got == pytest.approx(expected_t, rel=1e-9)
    if stock == 40:
        assert got == pytest.approx(400.6233)


def test_fuelwood_of_boreal_pines_by_printed_class():
    # Table 4.5 boreal pines, growing stock 21-50 m3/ha: BCEF_R 0.75; Eq. 2.13 with R 0.23
    # and CF 0.47 as above: 100 x 0.75 x 1.23 x 0.47 = 43.3575 t C -> 158.9775 t CO2
    inv = compute([removal("fuelwood", bcef_zone="boreal", bcef_forest_type="pines",
                           growing_stock_class="gs_21_50")])
    assert float(inv.emissions["emissions_kg"].sum()) / 1000 == pytest.approx(158.9775)
    assert "ipcc2006.v4.t4_5.bcef_r.boreal_pines.gs_21_50" in ";".join(
        inv.emissions["auxiliary_factor_ids"].astype(str))


def test_the_row_bcef_wins_and_tropical_zones_are_refused_saying_why():
    # the row's BCEF_R 1.0 beats Table 4.5: 100 x 1.0 x 1.23 x 0.47 = 57.81 t C
    got = co2_t([removal(bcef_r=1.0, bcef_zone="temperate", bcef_forest_type="hardwoods",
                         growing_stock=40)])
    assert got == pytest.approx(57.81 * C_TO_CO2)
    # Table 4.5 prints no "hardwoods" row for the humid tropics (conifers and natural
    # forests only): the row is refused, naming bcef_r
    problems = refused([removal(bcef_zone="humid_tropical", bcef_forest_type="hardwoods",
                                growing_stock=40)])
    assert "Table 4.5" in problems["bcef_r"]


# --- Table 4.5 tropical rows (p. 4.51-4.52 of the printed chapter) ---------------------------

def tropical_removal(activity="wood_removals", **site) -> dict:
    return {"category": "3.B.1.a", "activity": activity, "amount": 100, "unit": "m3",
            "year": 2024, "ecozone": "tropical_rain_forest", **site}


def test_wood_removals_of_humid_tropical_natural_forest_from_defaults_only():
    # Eq. 2.12: L = H x BCEF_R x (1 + R) x CF. Table 4.5, humid tropical, natural forests,
    # growing stock 120-200 m3/ha: BCEF_R 1.44; R 0.37 (Table 4.4, tropical rainforest);
    # CF 0.47 (Table 4.3):
    #   100 m3 x 1.44 x 1.37 x 0.47 = 92.7216 t C -> 339.9792 t CO2 (a loss)
    expected_t = 100 * 1.44 * 1.37 * 0.47 * C_TO_CO2
    assert expected_t == pytest.approx(339.9792)
    inv = compute([tropical_removal(bcef_zone="humid_tropical",
                                    bcef_forest_type="natural_forests", growing_stock=150)])
    assert float(inv.emissions["emissions_kg"].sum()) / 1000 == pytest.approx(expected_t,
                                                                              rel=1e-9)
    assert "ipcc2006.v4.t4_5.bcef_r.humid_tropical_natural_forests.gs_120_200" in ";".join(
        inv.emissions["auxiliary_factor_ids"].astype(str))


@pytest.mark.parametrize(("stock", "bcef_r"), [
    # Table 4.5 humid tropical natural forests, BCEF_R by growing stock [m3/ha]: < 10: 10.0,
    # 11-20: 4.44, 21-40: 3.11, 41-60: 2.28, 61-80: 1.89, 80-120: 1.67, 120-200: 1.44,
    # > 200: 1.05 (a class holds its upper limit)
    (5, 10.0), (10, 10.0), (15, 4.44), (40, 3.11), (60, 2.28), (75, 1.89), (120, 1.67),
    (200, 1.44), (350, 1.05)])
def test_humid_tropical_natural_forest_classes(stock, bcef_r):
    got = co2_t([tropical_removal(bcef_zone="humid_tropical",
                                  bcef_forest_type="natural_forests", growing_stock=stock)])
    assert got == pytest.approx(100 * bcef_r * 1.37 * 0.47 * C_TO_CO2, rel=1e-9)


def test_humid_tropical_conifers_by_printed_class():
    # Table 4.5 humid tropical conifers, growing stock < 10 m3/ha: BCEF_R 4.44;
    #   100 x 4.44 x 1.37 x 0.47 = 285.8916 t C -> 1,048.2692 t CO2
    got = co2_t([tropical_removal("fuelwood", bcef_zone="humid_tropical",
                                  bcef_forest_type="conifers", growing_stock_class="gs_le10")])
    assert got == pytest.approx(1_048.2692)


def test_fuelwood_of_dry_tropical_hardwoods_reads_the_shared_printed_row():
    # Table 4.5 prints one row "Mediterranean, dry tropical, subtropical"; hardwoods,
    # growing stock 21-40 m3/ha: BCEF_R 2.11. Tropical dry forest, Asia (continental):
    # the stand of Table 4.7 (130 t/ha, above 20) gives R 0.28 (Table 4.4); CF 0.47:
    #   100 m3 x 2.11 x 1.28 x 0.47 = 126.9376 t C -> 465.4379 t CO2
    dry = tropical_removal("fuelwood", ecozone="tropical_dry", bcef_forest_type="hardwoods",
                           growing_stock=30)
    assert co2_t([{**dry, "bcef_zone": "dry_tropical"}]) == pytest.approx(465.4378667)
    assert co2_t([{**dry, "bcef_zone": "subtropical"}]) == pytest.approx(465.4378667)
    assert co2_t([{**dry, "bcef_zone": "mediterranean"}]) == pytest.approx(465.4378667)


def test_bcef_s_ranges_are_the_printed_brackets():
    # Table 4.5 humid tropical natural forests, < 10 m3/ha: BCEF_S 9.0 (4.0-12.0); temperate
    # hardwoods > 200 m3/ha: 0.8 (0.55-1.1); BCEF_R is printed without a range
    t = ghg.FactorDB.default().table
    rec = t[t["factor_id"] == "ipcc2006.v4.t4_5.bcef_s.humid_tropical_natural_forests.gs_le10"]
    assert (float(rec["value"].iloc[0]), float(rec["lower"].iloc[0]),
            float(rec["upper"].iloc[0])) == (9.0, 4.0, 12.0)
    rec = t[t["factor_id"] == "ipcc2006.v4.t4_5.bcef_s.temperate_hardwoods.gs_gt200"]
    assert (float(rec["lower"].iloc[0]), float(rec["upper"].iloc[0])) == (0.55, 1.1)
    rec = t[t["factor_id"] == "ipcc2006.v4.t4_5.bcef_r.humid_tropical_natural_forests.gs_le10"]
    assert rec["lower"].isna().all()


# --- Table 4.10: plantation growth by species, ecozone and continent -------------------------

def plantation(**site) -> dict:
    return {"category": "3.B.1.a", "activity": "forest_growth", "amount": 100, "unit": "ha",
            "ecozone": "tropical_rain_forest", **site}


def test_plantation_growth_from_table_4_10_defaults_only():
    # Table 4.10, tropical rain forest, Asia other (species other than Eucalyptus):
    # 5 t d.m./ha/yr; R 0.37 (Table 4.4, one value), CF 0.47:
    #   100 ha x 5 x 1.37 x 0.47 = 321.95 t C -> 1,180.4833 t CO2 removed
    inv = compute([plantation(plantation_species="acacia")])
    assert float(inv.emissions["emissions_kg"].sum()) / 1000 == pytest.approx(
        -100 * 5 * 1.37 * 0.47 * C_TO_CO2)
    assert set(inv.emissions["factor_id"].astype(str)) == {
        "ipcc2006.v4.t4_10.agb_growth_plantation.tropical_rain_forest.asia_other"}
    # Asia Eucalyptus sp., tropical dry forest: 15 t d.m./ha/yr; R 0.28 (the row's
    # plantation stock 60 t/ha, above 20): 100 x 15 x 1.28 x 0.47 = 902.4 t C
    dry = plantation(ecozone="tropical_dry", plantation_species="eucalyptus", agb_stock=60)
    assert co2_t([dry]) == pytest.approx(-902.4 * C_TO_CO2)
    # tropical moist deciduous forest, Asia: one value (8) for every species; with a
    # stand of 100 t/ha R is 0.20: 100 x 8 x 1.20 x 0.47 = 451.2 t C
    moist = plantation(ecozone="tropical_moist_deciduous", plantation_species="tectona",
                       agb_stock=100)
    assert co2_t([moist]) == pytest.approx(-451.2 * C_TO_CO2)
    # a plantation is not the natural forest of Table 4.7: R's class needs its agb_stock
    assert "root_shoot" in refused([{k: v for k, v in moist.items() if k != "agb_stock"}])


def test_plantation_growth_in_the_americas_and_africa_by_age():
    # Americas Pinus sp., tropical rain forest: 20; Africa Pinus sp. <= 20 y: 20
    #   100 x 20 x 1.37 x 0.47 = 1,287.8 t C
    americas = plantation(plantation_species="pinus", continent="north_and_south_america")
    assert co2_t([americas]) == pytest.approx(-1_287.8 * C_TO_CO2)
    young_african = plantation(plantation_species="pinus", continent="africa",
                               age_class="le20")
    assert co2_t([young_african]) == pytest.approx(-1_287.8 * C_TO_CO2)
    # Table 4.10 prints no older African pine in rain forest: refused, not another row
    assert "agb_growth" in refused([{**young_african, "age_class": "gt20"}])


def test_afforestation_with_a_plantation_species():
    # land converted to forest, Asia Eucalyptus sp. in tropical rain forest: 5 t d.m./ha/yr
    #   50 ha x 5 x 1.37 x 0.47 = 160.975 t C -> 590.2417 t CO2 removed
    row = {"category": "3.B.1.b", "activity": "afforestation", "amount": 50, "unit": "ha",
           "ecozone": "tropical_rain_forest", "plantation_species": "eucalyptus"}
    assert co2_t([row]) == pytest.approx(-590.2416667)


# --- uncertainty of a default forest inventory (printed ranges of Tables 4.3, 4.4, 4.9) --------

def test_error_propagation_of_a_default_forest_inventory():
    from ghg_inventory.analysis.uncertainty import error_propagation
    # A: tropical dry forest, Africa, > 20 y: 100 ha x 1.8 (0.6-3.0, Table 4.9) x
    #    (1 + 0.28 (0.27-0.28), Table 4.4, > 20 t/ha: Table 4.7 Africa 120) x 0.47
    #    (0.44-0.49, Table 4.3) = 108.288 t C -> 397.056 t CO2 removed
    # B: subtropical steppe, Asia (continental), > 20 y: 200 ha x 1.3 (1.0-2.2) x
    #    (1 + 0.32 (0.26-0.71)) x 0.47 = 161.304 t C -> 591.448 t CO2 removed
    rows = [{"category": "3.B.1.a", "activity": "forest_growth", "amount": 100, "unit": "ha",
             "ecozone": "tropical_dry", "continent": "africa"},
            {"category": "3.B.1.a", "activity": "forest_growth", "amount": 200, "unit": "ha",
             "ecozone": "subtropical_steppe"}]
    e_a, e_b = 100 * 1.8 * 1.28 * 0.47 * C_TO_CO2, 200 * 1.3 * 1.32 * 0.47 * C_TO_CO2
    assert (e_a, e_b) == pytest.approx((397.056, 591.448))
    # Eq. 3.1 per chain, the larger half-width of each asymmetric range [%]:
    #   A: growth 1.2/1.8 = 66.667, R 0.01/0.28 = 3.5714, CF 0.03/0.47 = 6.3830
    #   B: growth 0.9/1.3 = 69.231, R 0.39/0.32 = 121.875, CF 6.3830
    u_a = (66.6667**2 + 3.5714**2 + 6.3830**2) ** 0.5
    u_b = (69.2308**2 + 121.875**2 + 6.3830**2) ** 0.5
    assert (u_a, u_b) == pytest.approx((67.0667, 140.3109), rel=1e-5)
    # Eq. 3.2 over the records and the activity data (10 % each row): the growth rates and
    # R of A and B are different records, CF (Table 4.3) is one record for both, so its
    # 6.3830 % applies to their sum (its error moves both)
    total = e_a + e_b
    f = ((66.6667 * e_a) ** 2 + (3.5714 * e_a) ** 2 + (69.2308 * e_b) ** 2
         + (121.875 * e_b) ** 2 + (6.3830 * total) ** 2) ** 0.5 / total
    a = ((10 * e_a) ** 2 + (10 * e_b) ** 2) ** 0.5 / total
    assert (f, a) == pytest.approx((88.2790, 7.2065), rel=1e-4)
    got = error_propagation(compute(rows), activity_uncertainty={"3.B": 10})
    assert float(got["co2e_kg"].iloc[0]) / 1000 == pytest.approx(-total)
    assert float(got["factor_uncertainty_pct"].iloc[0]) == pytest.approx(f, rel=1e-4)
    assert float(got["activity_uncertainty_pct"].iloc[0]) == pytest.approx(a, rel=1e-4)
    assert float(got["uncertainty_pct"].iloc[0]) == pytest.approx((f * f + a * a) ** 0.5,
                                                                 rel=1e-4)
    # every range came from the shipped records (none from the caller)
    assert not got.attrs["defaults_used"]["factor_ranges_from_caller"]
    # Approach 2 runs on the same inventory with no user range: its central value is the
    # inventory's, and the records it drew are the five above
    from ghg_inventory.analysis.uncertainty import monte_carlo
    mc = monte_carlo(compute(rows), iterations=2000, seed=1, activity_uncertainty={"3.B": 10})
    assert float(mc["co2e_kg"].iloc[0]) / 1000 == pytest.approx(-total)
    assert float(mc["p2_5_kg"].iloc[0]) < -total * 1000 < float(mc["p97_5_kg"].iloc[0])
    assert len(mc.attrs["defaults_used"]["factor_ranges_from_records"]) == 5
    assert not mc.attrs["defaults_used"]["factor_ranges_from_caller"]


# --- guidelines="2019": Tables 4.4, 4.7 and 4.9 (Updated) by continent and forest origin ------

def test_deforestation_of_asian_primary_rain_forest_under_the_2019_refinement():
    # 2019 Table 4.7 (Updated), Asia, tropical rainforest, primary: 413.1 t d.m./ha; Table
    # 4.4 (Updated), Asia, natural, > 125 t/ha: R 0.212; CF 0.47; Table 5.9 5.0 t C/ha:
    #   413.1 x 1.212 x 0.47 = 235.318284 t C/ha; - 5.0 = 230.318284; x 100 ha
    #   = 23,031.8284 t C -> x 44/12 = 84,450.0375 t CO2
    row = deforestation(ecozone="tropical_rain_forest", forest_origin="primary")
    expected_t = 100 * (413.1 * 1.212 * 0.47 - 5.0) * C_TO_CO2
    assert expected_t == pytest.approx(84_450.0375, rel=1e-8)
    inv = ghg.compute(activity_frame([row]), guidelines="2019")
    assert float(inv.emissions["emissions_kg"].sum()) / 1000 == pytest.approx(expected_t)
    assert set(inv.emissions["guidelines"].astype(str)) == {"2019"}
    assert set(inv.emissions["factor_id"].astype(str)) == {
        "ipcc2019.v4.t4_7.agb_stock.tropical_rain_forest.asia_primary"}


def test_young_secondary_forest_under_2019_takes_the_lower_biomass_class():
    # 2019 Table 4.7 (Updated) Asia, secondary <= 20 years: 45.6 t/ha, below 125: R 0.207
    #   45.6 x 1.207 x 0.47 = 25.868424 t C/ha; - 5.0 = 20.868424 -> x 100 x 44/12
    #   = 7,651.7555 t CO2
    row = deforestation(ecozone="tropical_rain_forest", forest_origin="secondary_le20")
    got = float(ghg.compute(activity_frame([row]), guidelines="2019")
                .emissions["emissions_kg"].sum()) / 1000
    assert got == pytest.approx(100 * (45.6 * 1.207 * 0.47 - 5.0) * C_TO_CO2)
    assert got == pytest.approx(7_651.7555, rel=1e-8)


def test_2019_run_without_forest_origin_is_refused_not_given_2006_values():
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([deforestation(ecozone="tropical_rain_forest")]),
                    guidelines="2019")
    problems = {p.column: p.message for p in info.value.problems}
    assert "forest_origin" in problems and "2019" in problems["forest_origin"]


def test_growth_under_2019_in_the_americas_and_asia():
    # 2019 Table 4.9 (Updated), North and South America, tropical rainforest, secondary
    # <= 20 years: 5.9 t d.m./ha/yr; R 0.221 (Table 4.4 (Updated), Americas, natural,
    # <= 125 t/ha: the stand's 2019 Table 4.7 stock 75.7); CF 0.47:
    #   100 ha x 5.9 x 1.221 x 0.47 = 338.5833 t C -> -1,241.4722 t CO2 (a removal)
    grow = {"category": "3.B.1.a", "activity": "forest_growth", "amount": 100, "unit": "ha",
            "ecozone": "tropical_rain_forest", "forest_origin": "secondary_le20"}
    americas = {**grow, "continent": "north_and_south_america"}
    got = float(ghg.compute(activity_frame([americas]), guidelines="2019")
                .emissions["emissions_kg"].sum()) / 1000
    assert got == pytest.approx(-100 * 5.9 * 1.221 * 0.47 * C_TO_CO2)
    assert got == pytest.approx(-1_241.4722, rel=1e-6)
    # Asia (2019 Table 4.9 (Updated), p. 4.34): tropical rainforest, secondary <= 20 years,
    # 3.4 t d.m./ha/yr; R 0.207 (Table 4.4 (Updated), Asia, natural, <= 125 t/ha: the
    # stand's 2019 Table 4.7 stock 45.6); CF 0.47:
    #   100 ha x 3.4 x 1.207 x 0.47 = 192.8786 t C -> -707.2215 t CO2 (a removal)
    asia = float(ghg.compute(activity_frame([grow]), guidelines="2019")
                 .emissions["emissions_kg"].sum()) / 1000
    assert asia == pytest.approx(-100 * 3.4 * 1.207 * 0.47 * C_TO_CO2)
    assert asia == pytest.approx(-707.2215333, rel=1e-6)
    # tropical dry forest, Asia, primary is printed '-': refused, not the 2006 rate
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([{**grow, "ecozone": "tropical_dry",
                                     "forest_origin": "primary"}]), guidelines="2019")
    assert "Table 4.9" in " ".join(p.message for p in info.value.problems)


def test_2019_asian_mountain_forest_growth_as_printed():
    # 2019 Table 4.9 (Updated), tropical mountain system, Asia (p. 4.35): secondary > 20
    # years 1.1 t d.m./ha/yr; its stand (Table 4.7 (Updated), Asia, secondary: 66.4 t/ha,
    # <= 125) gives R 0.322 (Table 4.4 (Updated), Asia, natural, <= 125); CF 0.47:
    #   100 x 1.1 x 1.322 x 0.47 = 68.3474 t C -> -250.6071 t CO2
    row = {"category": "3.B.1.a", "activity": "forest_growth", "amount": 100, "unit": "ha",
           "ecozone": "tropical_mountain_systems", "forest_origin": "secondary_gt20"}
    got = float(ghg.compute(activity_frame([row]), guidelines="2019")
                .emissions["emissions_kg"].sum()) / 1000
    assert got == pytest.approx(-250.6071333, rel=1e-6)
    # primary: printed -0.7 (net of mortality); stand 433.5 t/ha (> 125): R 0.345:
    #   100 x -0.7 x 1.345 x 0.47 = -44.2505 t C -> +162.2518 t CO2 (a net loss)
    got = float(ghg.compute(activity_frame([{**row, "forest_origin": "primary"}]),
                            guidelines="2019").emissions["emissions_kg"].sum()) / 1000
    assert got == pytest.approx(162.2518333, rel=1e-6)


def test_2019_table_4_4_mountain_plantation_ratio_is_the_printed_one():
    # 2019 Table 4.4 (Updated), p. 4.18: tropical mountain, North and South America,
    # planted, <= 125 t/ha: 2.158 +-90 % (the shipped 0.205 contradicted the PDF)
    t = ghg.FactorDB.default().table
    rec = t[t["factor_id"] == "ipcc2019.v4.t4_4.root_shoot.tropical_mountain_systems."
            "north_and_south_america_planted_agb_lt_125"]
    assert float(rec["value"].iloc[0]) == 2.158
    assert (float(rec["lower"].iloc[0]), float(rec["upper"].iloc[0])) == pytest.approx(
        (2.158 * 0.1, 2.158 * 1.9))


def test_a_row_s_own_growth_or_stock_names_no_record():
    # 100 ha x 5 t d.m./ha/yr (the row's) x 1.37 (R, Table 4.4) x 0.47 = 321.95 t C
    #   -> -1,180.4833 t CO2: the Table 4.9 record did not produce it
    grow = {"category": "3.B.1.a", "activity": "forest_growth", "amount": 100, "unit": "ha",
            "ecozone": "tropical_rain_forest", "agb_growth": 5}
    e = compute([grow]).emissions
    assert float(e["emissions_kg"].sum()) / 1000 == pytest.approx(-100 * 5 * 1.37 * 0.47
                                                                  * C_TO_CO2)
    assert list(e["factor_id"].astype(str)) == ["user-supplied"]
    # R still comes from Table 4.4 and is named beside it
    assert "ipcc2006.v4.t4_4.root_shoot.tropical_rain_forest" in str(
        e["auxiliary_factor_ids"].iloc[0])
    # deforestation of a stand whose stock the row gives: 200 x 1.37 x 0.47 - 5.0
    #   = 123.78 t C/ha x 100 ha -> 45,386 t CO2
    e = compute([deforestation(ecozone="tropical_rain_forest", agb_stock=200)]).emissions
    assert float(e["emissions_kg"].sum()) / 1000 == pytest.approx(45_386.0)
    assert list(e["factor_id"].astype(str)) == ["user-supplied"]


def test_growth_from_the_net_annual_increment_and_table_4_5_bcef_i():
    # Eq. 2.10, second form: G_TOTAL = I_V x BCEF_I x (1 + R); Table 4.5 temperate
    # hardwoods, growing stock 100-200 m3/ha: BCEF_I 0.60; R 0.23 (75-150 t/ha), CF 0.47:
    #   100 ha x 5 m3/ha/yr x 0.60 x 1.23 x 0.47 = 173.43 t C -> -635.91 t CO2
    row = {"category": "3.B.1.a", "activity": "forest_growth", "amount": 100, "unit": "ha",
           "ecozone": "temperate_other_broadleaf", "agb_stock": 100,
           "climate_domain": "default", "volume_increment": 5, "bcef_zone": "temperate",
           "bcef_forest_type": "hardwoods", "growing_stock": 150}
    e = compute([row]).emissions
    assert float(e["emissions_kg"].sum()) / 1000 == pytest.approx(-100 * 5 * 0.60 * 1.23
                                                                  * 0.47 * C_TO_CO2)
    assert float(e["emissions_kg"].sum()) / 1000 == pytest.approx(-635.91)
    assert list(e["factor_id"].astype(str)) == [
        "ipcc2006.v4.t4_5.bcef_i.temperate_hardwoods.gs_100_200"]
    # without a BCEF_I (no Table 4.5 keys, none given) the row is refused, naming bcef_i
    bare = {k: v for k, v in row.items() if not k.startswith(("bcef", "growing"))}
    assert "bcef_i" in refused([bare])


def test_2019_soil_carbon_refuses_the_revised_table_5_5_factors():
    # the Refinement revised F_LU of long-term cultivated land (0.48 -> 0.83 for tropical
    # moist/wet land, per bonsai-ipcc): no 2019 F_LU ships, so a 2019 run with the soil
    # keys is refused, never given the 2006 factor
    soil = {"soil_type": "high_activity_clay", "climate_region": "tropical_moist",
            "moisture_regime": "tropical_moist_wet", "forest_origin": "primary"}
    with pytest.raises(ghg.ActivityValidationError) as info:
        ghg.compute(activity_frame([deforestation(ecozone="tropical_rain_forest", **soil)]),
                    guidelines="2019")
    problems = {p.column: p.message for p in info.value.problems}
    assert "land_use" in problems and "2019" in problems["land_use"]
    # with the row's soil carbon after conversion (25 t C/ha): (65 - 25) / 20 = 2 t C/ha/yr
    #   x 100 ha = 200 t C/yr -> 733.3333 t CO2 a year beside the biomass loss
    inv = ghg.compute(activity_frame([deforestation(ecozone="tropical_rain_forest",
                                                    soc_after=25, **soil)]),
                      guidelines="2019")
    by_year = inv.rollup(by="year").set_index("year")["CO2_kg"] / 1000
    assert by_year[2030] == pytest.approx(100 * (65 - 25) / 20 * C_TO_CO2)
