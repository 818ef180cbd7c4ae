"""A Tier 1 inventory from activity data alone (issue 18, "Done when").

:data:`DEFAULTS_ONLY` names, for every registered method, the test that computes a row giving
nothing but the activity data and the site characteristics the Guidelines ask for (climate
zone, ecozone, region, water regime, site type ...) and checks it against hand arithmetic
from the printed IPCC defaults. A method for which the IPCC prints no default the library
could ship is in :data:`NO_IPCC_DEFAULT`, with the reason. A new method in neither fails
:func:`test_every_method_computes_from_activity_data_alone_or_says_why_not`.
"""

from __future__ import annotations

import re
from pathlib import Path

import ghg_inventory as ghg

HERE = Path(__file__).parent

#: method -> (test file, test function) computing it from activity data and site
#: characteristics alone.
DEFAULTS_ONLY: dict[str, tuple[str, str]] = {
    # energy and IPPU (tests/test_energy_ippu_defaults.py); SF6 rows name their sf6_region
    **{method: ("test_energy_ippu_defaults.py", test) for method, test in {
        "stationary_combustion": "test_stationary_combustion_from_fuel_alone",
        "road_transport": "test_road_transport_from_fuel_alone",
        "off_road": "test_off_road_farm_machinery_from_fuel_alone",
        "off_road_machinery": "test_off_road_machinery_in_construction_from_fuel_alone",
        "railways": "test_railways_from_fuel_alone",
        "domestic_navigation": "test_domestic_navigation_from_fuel_alone",
        "civil_aviation": "test_civil_aviation_from_fuel_alone",
        "purchased_electricity": "test_purchased_electricity_2023_from_the_shipped_grid_factor",
        "cement": "test_cement_from_cement_produced_alone",
        "lime": "test_lime_of_unknown_type_alone",
        "glass": "test_glass_of_unknown_type_alone",
        "carbonate_inputs": "test_carbonate_inputs_from_the_carbonate_alone",
        "refrigeration_ac": "test_refrigeration_from_bank_and_charges_alone",
        "sf6_electrical_equipment": "test_sf6_from_nameplate_capacity_and_region_alone",
        # Vol 3 Section 2.5.1.2: "for clays a default carbonate content of 10 percent"
        "clay_firing": "test_brick_clay_from_the_clay_fired_alone",
    }.items()},
    # growth from Table 4.9 (plantations: Table 4.10, test_plantation_growth_from_table_4_10_
    # defaults_only; wood removals: Table 4.5 BCEF_R, test_wood_removals_of_humid_tropical_
    # natural_forest_from_defaults_only), see emission_factors/ipcc2006_forest.csv
    "forest_land_remaining": ("test_forest_defaults.py",
                              "test_growth_of_continental_asian_rain_forest_from_defaults_only"),
    "land_conversion": ("test_forest_defaults.py",
                        "test_continental_asian_rain_forest_to_annual_cropland_from_defaults_only"),
    # bulk MSW by the Table 2.3 South-Eastern Asia composition (single_source)
    "solid_waste_disposal": ("test_waste_defaults.py",
                             "test_bulk_msw_in_a_south_east_asian_landfill_from_defaults_only"),
    "biological_treatment": ("test_waste_defaults.py", "test_composting_from_defaults_only"),
    "waste_burning": ("test_waste_defaults.py",
                      "test_open_burning_of_bulk_msw_from_defaults_only"),
    # protein: FAO food balance of Viet Nam, latest year up to the row's
    "wastewater": ("test_waste_defaults.py", "test_domestic_wastewater_from_defaults_only"),
    # agriculture (tests/test_agriculture_defaults.py): head counts, areas, masses and the
    # region, temperature or climate zone, manure system, water regimes
    **{method: ("test_agriculture_defaults.py", test) for method, test in {
        "enteric_fermentation": "test_enteric_buffalo_in_asia_from_head_counts_alone",
        "manure_management":
            "test_manure_of_asian_swine_from_head_counts_temperature_and_system",
        "rice_cultivation": "test_rice_with_single_aeration",
        "managed_soils": "test_synthetic_nitrogen_from_the_mass_applied_alone",
        "urea_application": "test_urea_from_the_mass_applied_alone",
        "liming": "test_lime_from_the_mass_applied_alone",
        "cropland_burning": "test_rice_straw_burnt_from_the_area_alone",
    }.items()},
}

#: method -> why the printed Guidelines hold no default for it.
NO_IPCC_DEFAULT: dict[str, str] = {
    "road_transport_distance": "IPCC 2006 Vol 2 Ch 3 has no Tier 1 per-km default: its "
                               "per-km CH4/N2O factors (Table 3.2.3, mg/km) are for US "
                               "vehicle technologies and control types (Tier 3 examples); "
                               "the factor is country-specific by design",
    "purchased_heat": "indirect emissions of purchased heat or steam take the supplier's own "
                      "factor; the Guidelines print none",
}


def test_every_method_computes_from_activity_data_alone_or_says_why_not():
    assert not set(DEFAULTS_ONLY) & set(NO_IPCC_DEFAULT)
    assert sorted({*DEFAULTS_ONLY, *NO_IPCC_DEFAULT}) == sorted(ghg.METHODS)
    for method, (file, test) in DEFAULTS_ONLY.items():
        text = (HERE / file).read_text(encoding="utf-8")
        assert re.search(rf"^def {test}\(", text, flags=re.MULTILINE), (method, file, test)
