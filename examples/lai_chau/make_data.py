"""Write the SYNTHETIC Lai Châu example activity table (examples/lai_chau/activities.csv).

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

# (kind, how many, category, [(fuel, unit, low, high)], name pattern)
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
]

rows = []
n = 0
for _kind, count, category, fuels, pattern in PROFILES:
    for i in range(1, count + 1):
        n += 1
        facility = f"LC-{n:03d}"
        commune = communes[int(rng.integers(len(communes)))]
        for year in (2024, 2025):
            for fuel, unit, low, high in fuels:
                amount = float(rng.uniform(low, high))
                amount = round(amount, 1 if amount < 100 else 0)
                rows.append({
                    "facility_id": facility,
                    "facility_name": pattern.format(i=i) + " (dữ liệu giả lập / synthetic)",
                    "commune": commune,
                    "year": year,
                    "category": category,
                    "activity": fuel,
                    "amount": amount,
                    "unit": unit,
                })

table = pd.DataFrame(rows)
with open(HERE / "activities.csv", "w", encoding="utf-8", newline="") as handle:
    table.to_csv(handle, index=False)
print(f"{len(table)} rows, {table.facility_id.nunique()} facilities, "
      f"{table.commune.nunique()} communes")
