"""Write the SYNTHETIC Lai Châu example activity table (examples/lai_chau/activities.csv).

Fuel use (stationary, road fleets, construction and farm machinery), purchased grid
electricity, process CO2 of a cement plant (clinker) and brick kilns (clay carbonates), and
refrigerant banks of hotel and hospital air conditioning, for about 45 invented facilities
in 2022 and 2023; livestock, rice seasons, fertiliser, crop residues and straw burning per
commune; the provincial landfill's deposits since 2008 and four commune dumps' since 2015
(first-order decay: their emissions of every year since 2009 come out), a composting plant
and a starch plant's wastewater lagoon.

Every facility, name and amount here is invented for demonstration. The communes and
wards are the real 38 units of Lai Châu since 1 July 2025 (communes.csv, with its source).
Run again to regenerate; the seed makes it reproducible.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
rng = np.random.default_rng(20251)
communes = pd.read_csv(HERE / "communes.csv", dtype=str)["name_vi"].tolist()

# (kind, how many, category, [(fuel, unit, low, high, extra columns)], name pattern)
PROFILES = [
    ("cement", 1, "1.A.2.f", [("anthracite", "t", 30_000, 40_000),
                               ("gas_diesel_oil", "L", 150_000, 250_000)], "Nhà máy xi măng {i}"),
    ("brick", 8, "1.A.2.f", [("anthracite", "t", 900, 2_500)], "Lò gạch tuynel {i}"),
    ("tea", 6, "1.A.2.e", [("wood_wood_waste", "t", 600, 2_000),
                            ("gas_diesel_oil", "L", 5_000, 20_000)], "Nhà máy chè {i}"),
    ("food", 4, "1.A.2.e", [("liquefied_petroleum_gases", "kg", 8_000, 30_000),
                             ("residual_fuel_oil", "t", 50, 200)], "Cơ sở chế biến thực phẩm {i}"),
    ("mining", 4, "1.A.2.i", [("gas_diesel_oil", "L", 200_000, 800_000)], "Mỏ khai khoáng {i}"),
    ("hospital", 5, "1.A.4.a", [("liquefied_petroleum_gases", "t", 5, 20),
                                 ("gas_diesel_oil", "L", 5_000, 20_000)], "Bệnh viện {i}"),
    ("hotel", 6, "1.A.4.a", [("liquefied_petroleum_gases", "t", 2, 10),
                              ("gas_diesel_oil", "L", 2_000, 6_000)], "Khách sạn {i}"),
    ("transport_depot", 1, "1.A.4.a", [("gas_diesel_oil", "GJ", 400, 900)],
     "Xưởng bảo dưỡng công ty vận tải {i}"),
    ("hydropower_backup", 3, "1.A.1.a", [("gas_diesel_oil", "L", 10_000, 40_000)],
     "Nhà máy thủy điện {i} (máy phát dự phòng)"),
    ("school_kitchen", 2, "1.A.4.a", [("other_primary_solid_biomass", "t", 20, 60),
                                       ("liquefied_petroleum_gases", "kg", 1_000, 4_000)],
     "Trường phổ thông dân tộc nội trú {i}"),
    ("freight_fleet", 2, "1.A.3.b", [("gas_diesel_oil", "L", 300_000, 900_000),
                                      ("motor_gasoline", "L", 10_000, 40_000,
                                       {"technology": "oxidation_catalyst"})],
     "Công ty vận tải hàng hóa {i}"),
    ("bus_company", 1, "1.A.3.b", [("gas_diesel_oil", "L", 200_000, 400_000)],
     "Công ty xe khách {i}"),
    ("construction", 3, "1.A.2.k", [("gas_diesel_oil", "L", 50_000, 250_000,
                                     {"source_type": "off_road"})],
     "Công ty xây dựng {i} (máy thi công)"),
    ("farm_machinery", 2, "1.A.4.c.ii", [("gas_diesel_oil", "L", 5_000, 30_000),
                                         ("motor_gasoline", "L", 1_000, 5_000,
                                          {"engine": "4_stroke"})],
     "Hợp tác xã nông nghiệp {i} (máy nông nghiệp)"),
]

# Purchased grid electricity of each kind of facility, kWh per year (low, high).
ELECTRICITY = {"cement": (20e6, 30e6), "brick": (2e5, 8e5), "tea": (3e5, 1e6),
               "food": (2e5, 6e5), "mining": (1e6, 4e6), "hospital": (3e5, 1.2e6),
               "hotel": (1e5, 5e5), "transport_depot": (5e4, 1e5),
               "hydropower_backup": (2e5, 5e5), "school_kitchen": (5e4, 1.5e5),
               "freight_fleet": (3e4, 8e4), "bus_company": (2e4, 5e4),
               "construction": (5e4, 2e5), "farm_machinery": (1e4, 4e4)}
YEARS = (2022, 2023)  # years with a published Viet Nam grid factor

# Industrial processes and F-gases (synthetic): (kind, category, activity, unit, low, high,
# extra columns). Clay carbonate content and refrigerant banks are the facility's own data.
PROCESSES = {
    "cement": [("2.A.1", "clinker", "t", 250_000, 320_000, {})],
    "brick": [("2.A.4.a", "clay", "t", 20_000, 60_000,
               {"carbonate_fraction": 0.04, "carbonate": "calcite"})],
    "hotel": [("2.F.1", "residential_commercial_ac", "kg", 50, 300,
               {"refrigerant": "R-410A", "new_charge": 20})],
    "hospital": [("2.F.1", "chillers", "kg", 200, 800, {"refrigerant": "HFC-134a"}),
                 ("2.F.1", "residential_commercial_ac", "kg", 50, 200,
                  {"refrigerant": "R-22"})],
}
# Hydropower switchyards (SF6, 2.G.1) are left out: no verified IPCC Table 8.2 default ships
# yet, and the example invents no factor.

rows = []
n = 0
for kind, count, category, fuels, pattern in PROFILES:
    for i in range(1, count + 1):
        n += 1
        facility = {
            "facility_id": f"LC-{n:03d}",
            "facility_name": pattern.format(i=i) + " (dữ liệu giả lập / synthetic)",
            "commune": communes[int(rng.integers(len(communes)))],
        }
        for year in YEARS:
            for fuel, unit, low, high, *extra in fuels:
                amount = float(rng.uniform(low, high))
                rows.append({**facility, "year": year, "category": category,
                             "activity": fuel, "amount": round(amount, 1 if amount < 100 else 0),
                             "unit": unit, **(extra[0] if extra else {})})
            for code, activity, mass_unit, lo, hi, extra in PROCESSES.get(kind, []):
                rows.append({**facility, "year": year, "category": code,
                             "activity": activity, "unit": mass_unit, **extra,
                             "amount": round(float(rng.uniform(lo, hi)))})
            low, high = ELECTRICITY[kind]
            rows.append({**facility, "year": year, "category": "indirect.electricity",
                         "activity": "grid_electricity",
                         "amount": round(float(rng.uniform(low, high))), "unit": "kWh"})

# Agriculture, one aggregate "facility" per commune (the commune's farms as reported by its
# people's committee). Provincial totals are plausible magnitudes for a mountainous province
# of ~500,000 people, invented for the demonstration: heads, ha, t. They are split over the
# communes by random weights.
PROVINCE_HERDS = {"buffalo": 90_000, "other_cattle": 25_000, "swine": 220_000,
                  "goats": 30_000}
# share of each herd's manure by management system (Table 10.21 keys)
MANURE_SYSTEMS = {"buffalo": {"pasture_range_paddock": 1.0},
                  "other_cattle": {"pasture_range_paddock": 0.5, "solid_storage": 0.5},
                  "swine": {"solid_storage": 0.6, "liquid_slurry_without_crust": 0.2,
                            "pit_storage_below_1_month": 0.2},
                  "goats": {"pasture_range_paddock": 1.0}}
# The farms' own N excretion of pigs [kg N/head/yr], as a province with a survey enters it
# (Table 10.19 has no verified Asian swine rate in our tables): synthetic like every amount.
SWINE_NEX = 11.0
# rice seasons: (name, ha in the province, cultivation days, water regime of Table 5.12)
RICE_SEASONS = [("vụ xuân (spring)", 8_000, 120, "multiple_drainage"),
                ("vụ mùa (summer-autumn)", 20_000, 115, "continuously_flooded")]
MAIZE_HA = 40_000
N_PER_HA = {"rice": 90.0, "maize": 110.0}  # kg N/ha of synthetic fertiliser
RICE_YIELD, MAIZE_YIELD = 4.8, 4.2  # t fresh/ha
STRAW_BURNT = 0.25  # share of the rice area whose straw is burnt in the field


def residue_dry_matter(crop: str, fresh_yield: float) -> float:
    """Above-ground residue [t DM/ha] from the yield, Table 11.2 (Eq. 11.6's AG_DM)."""
    import ghg_inventory as ghg
    t = ghg.FactorDB.default().table
    value = {p: float(t[(t.parameter == p) & (t.activity == crop)
                        & (t.guidelines == "2006")]["value"].iloc[0])
             for p in ("dry_matter_fraction", "ag_slope", "ag_intercept")}
    return (fresh_yield * value["dry_matter_fraction"] * value["ag_slope"]
            + value["ag_intercept"])


RICE_STRAW = round(residue_dry_matter("rice", RICE_YIELD), 2)
weights = rng.dirichlet(np.ones(len(communes)))
temperature = rng.uniform(17.0, 23.0, len(communes)).round(1)  # annual mean, degC
for c, commune in enumerate(communes):
    farm = {"facility_id": f"LC-AG-{c + 1:02d}",
            "facility_name": f"Nông nghiệp {commune} (tổng hợp, dữ liệu giả lập / synthetic)",
            "commune": commune, "facility_type": "aggregate"}
    for year in YEARS:
        growth = 1.0 + 0.02 * (year - YEARS[0])
        for species, total in PROVINCE_HERDS.items():
            heads = total * weights[c] * growth
            rows.append({**farm, "year": year, "category": "3.A.1", "activity": species,
                         "amount": round(heads), "unit": "head"})
            for system, share in MANURE_SYSTEMS[species].items():
                rows.append({**farm, "year": year, "category": "3.A.2", "activity": species,
                             "amount": round(heads * share), "unit": "head",
                             "manure_system": system, "temperature": temperature[c],
                             "nex": SWINE_NEX if species == "swine" else None})
        rice_ha = 0.0
        for season, total, days, regime in RICE_SEASONS:
            ha = round(total * weights[c], 1)
            rice_ha += ha
            rows.append({**farm, "year": year, "category": "3.C.7", "activity": "rice",
                         "amount": ha, "unit": "ha", "season": season,
                         "cultivation_days": days, "water_regime": regime,
                         "preseason_water_regime": "not_flooded_less_than_180_days"})
        maize_ha = round(MAIZE_HA * weights[c], 1)
        n_rice, n_maize = rice_ha * N_PER_HA["rice"], maize_ha * N_PER_HA["maize"]
        urea_t = (n_rice + n_maize) * 0.6 / 460.0  # 60 % of the N as urea (46 % N)
        rows += [
            {**farm, "year": year, "category": "3.C.4", "activity": "synthetic_fertilizer",
             "amount": round(n_rice), "unit": "kg", "flooded_rice": "yes", "climate": "wet"},
            {**farm, "year": year, "category": "3.C.4", "activity": "synthetic_fertilizer",
             "amount": round(n_maize), "unit": "kg", "climate": "wet"},
            {**farm, "year": year, "category": "3.C.3", "activity": "urea",
             "amount": round(urea_t, 1), "unit": "t"},
            {**farm, "year": year, "category": "3.C.4", "activity": "crop_residue_maize",
             "amount": maize_ha, "unit": "ha", "crop_yield": MAIZE_YIELD, "frac_remove": 0.5,
             "climate": "wet"},
            {**farm, "year": year, "category": "3.C.1.b", "activity": "rice_straw",
             "amount": round(rice_ha * STRAW_BURNT, 1), "unit": "ha",
             "fuel_available": RICE_STRAW},
        ]

# Waste: the provincial landfill (deposits by waste type from the city's collection, a
# composition survey of the synthetic kind) and a composting plant.
LANDFILL = {"facility_id": "LC-WS-01", "facility_name": "Bãi chôn lấp chất thải rắn tỉnh",
            "commune": "Phường Tân Phong", "category": "4.A", "unit": "t",
            "site_type": "managed_anaerobic",
            # mean annual temperature below 20 degC, rainfall above 1,000 mm (Table 3.3)
            "climate_zone": "boreal_temperate_wet"}
SURVEY = {"food": 0.55, "garden": 0.08, "paper": 0.07, "wood": 0.03, "textiles": 0.03}
for year in range(2008, YEARS[-1] + 1):
    collected = 18_000 * 1.05 ** (year - 2008)  # t/yr of household waste
    for waste, share in SURVEY.items():
        rows.append({**LANDFILL, "year": year, "activity": waste,
                     "amount": round(collected * share)})
# commune dumps (unmanaged, shallow) in four rural communes since 2015
for d, commune in enumerate(rng.choice(communes, size=4, replace=False)):
    dump = {"facility_id": f"LC-DUMP-{d + 1:02d}", "facility_name": f"Bãi rác {commune}",
            "commune": commune, "category": "4.A", "unit": "t",
            "site_type": "unmanaged_shallow", "climate_zone": "boreal_temperate_wet"}
    dumped = float(rng.uniform(300, 800))
    for year in range(2015, YEARS[-1] + 1):
        for waste, share in SURVEY.items():
            rows.append({**dump, "year": year, "activity": waste,
                         "amount": round(dumped * share)})
# household waste burnt in the open in rural communes, from the population (Eq. 5.7):
# synthetic population, share of households burning, waste per person and share burnt; the
# composition adds the inert part to the landfill survey; N2O 150 g per wet t is this
# example's choice (no verified IPCC default, see README)
COMPOSITION = {**SURVEY, "plastics": 0.12, "glass": 0.04, "metal": 0.02, "other": 0.06}
rural = [c for c in communes if c.startswith("Xã")]
for c, commune in enumerate(rng.choice(rural, size=10, replace=False)):
    people = int(rng.integers(6_000, 20_000))
    for year in YEARS:
        for waste, share in COMPOSITION.items():
            rows.append({"facility_id": f"LC-HH-{c + 1:02d}", "commune": commune,
                         "facility_name": f"Hộ gia đình {commune} (tổng hợp)",
                         "facility_type": "aggregate", "year": year, "category": "4.C.2",
                         "activity": waste, "amount": people, "unit": "person",
                         "burning_fraction": 0.4, "waste_per_capita": 0.3,
                         "burnt_fraction": 0.5, "waste_share": share, "ef_n2o": 150,
                         **({"total_carbon": 0.0, "fossil_carbon_fraction": 0.0}
                            if waste in ("glass", "metal") else {})})
# domestic wastewater of the two wards (synthetic population and pathway shares); protein:
# FAO food balance, Viet Nam 2021, 96.90 g/person/day = 35.37 kg/yr (emission_factors/
# ipcc2006_waste_more.csv, via Our World in Data)
for ward, people in (("Phường Tân Phong", 42_000), ("Phường Đoàn Kết", 30_000)):
    for year in YEARS:
        for pathway, share in (("septic_system", 0.85), ("sea_river_lake_discharge", 0.15)):
            rows.append({"facility_id": f"LC-WW-{ward[7:].replace(' ', '')}",
                         "facility_name": f"Nước thải sinh hoạt {ward}",
                         "facility_type": "aggregate", "commune": ward, "year": year,
                         "category": "4.D.1", "activity": "domestic_wastewater",
                         "amount": round(people * share), "unit": "person",
                         "treatment_pathway": pathway,
                         "collected": "yes" if pathway != "septic_system" else "no",
                         "protein": 35.37})
# a starch (arrowroot vermicelli) plant whose wastewater goes to an open lagoon
for year in YEARS:
    rows.append({"facility_id": "LC-WW-01", "facility_name": "Cơ sở sản xuất miến dong",
                 "commune": communes[5], "year": year, "category": "4.D.2",
                 "activity": "starch_production", "amount": 1_500, "unit": "t",
                 "treatment_pathway": "anaerobic_lagoon_shallow"})
for year in YEARS:
    rows.append({"facility_id": "LC-WS-02", "facility_name": "Nhà máy phân hữu cơ vi sinh",
                 "commune": "Phường Đoàn Kết", "year": year, "category": "4.B",
                 "activity": "composting", "amount": 3_000, "unit": "t"})

table = pd.DataFrame(rows)
for column in ("technology", "engine", "source_type", "refrigerant", "new_charge",
               "carbonate_fraction", "carbonate"):
    table[column] = table.get(column)
with open(HERE / "activities.csv", "w", encoding="utf-8", newline="") as handle:
    table.to_csv(handle, index=False)
print(f"{len(table)} rows, {table.facility_id.nunique()} facilities, "
      f"{table.commune.nunique()} communes")
