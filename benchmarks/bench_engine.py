"""Engine benchmark: compute(...).rollup(by=["commune"]) against plain numpy, same run.

Usage:  python benchmarks/bench_engine.py [--sizes 1e5,1e6,1e7] [--repeat 1]

For each size it builds a synthetic activity table (mixed fuels, categories and units;
~2,000 facilities in 38 communes), then times

* the library: ``ghg.compute(table).rollup(by=["commune"])``
  (validation, factor lookup as joins, per-gas long table with provenance, roll-up), and
* a baseline: the same arithmetic in plain numpy on integer codes, with the factors
  pre-resolved into arrays (no validation, no provenance, no long table),

and prints rows/s, the ratio library/baseline and the peak memory traced during the
library call, per input row (tracemalloc sees numpy and pandas buffers). Also the wall
time of ``ghg-inventory --help`` in a fresh process.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

import ghg_inventory as ghg
from ghg_inventory.gwp import gwp_value

FUELS = {  # fuel: (category, units it comes in)
    "anthracite": ("1.A.2.f", ["t", "kg"]),
    "other_bituminous_coal": ("1.A.1.a", ["t", "kt"]),
    "gas_diesel_oil": ("1.A.2.i", ["L", "t", "GJ"]),
    "liquefied_petroleum_gases": ("1.A.4.a", ["kg", "t"]),
    "residual_fuel_oil": ("1.A.2.e", ["t", "L"]),
    "natural_gas": ("1.A.2.c", ["TJ", "GJ"]),
    "wood_wood_waste": ("1.A.2.e", ["t"]),
    "motor_gasoline": ("1.A.4.b", ["L", "kg"]),
}


def synthetic(n: int, seed: int = 1) -> pd.DataFrame:
    """n activity rows: fuels with their category, each in one of its usual units."""
    rng = np.random.default_rng(seed)
    fuels = list(FUELS)
    pairs = [(f, u) for f in fuels for u in FUELS[f][1]]
    fuel = rng.integers(len(fuels), size=n)
    pair = np.empty(n, dtype=np.int64)
    choice = rng.integers(0, 1 << 30, size=n)
    for f, name in enumerate(fuels):
        options = np.array([i for i, (g, _) in enumerate(pairs) if g == name])
        rows = fuel == f
        pair[rows] = options[choice[rows] % len(options)]
    facility = rng.integers(2000, size=n)
    commune_of_facility = rng.integers(38, size=2000)
    return pd.DataFrame({
        "facility_id": pd.Categorical.from_codes(facility, [f"F{i:04d}" for i in range(2000)]),
        "year": rng.integers(2015, 2026, size=n).astype(np.int16),
        "category": pd.Categorical([FUELS[f][0] for f in fuels])[fuel],
        "activity": pd.Categorical.from_codes(fuel, fuels),
        "amount": rng.uniform(0, 1000, size=n),
        "unit": pd.Categorical([u for _, u in pairs])[pair],
        "commune": pd.Categorical.from_codes(commune_of_facility[facility],
                                             [f"commune_{i:02d}" for i in range(38)]),
    })


def baseline(table: pd.DataFrame) -> np.ndarray:
    """The same arithmetic in plain numpy: CO2e per commune [kg], AR5, no biogenic CO2."""
    db = ghg.FactorDB.default()
    fuels = list(table["activity"].cat.categories)
    cats = [FUELS[f][0] for f in fuels]
    keys = pd.DataFrame({"category": cats, "activity": fuels, "country": "VN"})
    ncv = db.lookup(keys, "ncv", "TJ/Gg")["value"].to_numpy() / 1e6  # TJ per kg
    rho = db.lookup(keys, "density", "kg/m**3")["value"].to_numpy()
    co2e = np.zeros(len(fuels))
    for gas in ("CO2", "CH4", "N2O"):
        ef = db.lookup(keys, "ef", "kg/TJ", gas=gas)
        fossil = ef["fossil"].astype(bool).to_numpy()
        weight = np.where(fossil | (gas != "CO2"), gwp_value(gas, "AR5"), 0.0)
        co2e += ef["value"].to_numpy() * weight
    units = list(table["unit"].cat.categories)
    parsed = [ghg.Q_(1, {"L": "liter", "t": "tonne", "kt": "kilotonne"}.get(u, u)) for u in units]
    to_kg = np.array([p.to("kg").m if p.check("[mass]") else np.nan for p in parsed])
    to_m3 = np.array([p.to("m**3").m if p.check("[volume]") else np.nan for p in parsed])
    to_tj = np.array([p.to("TJ").m if p.check("[energy]") else np.nan for p in parsed])
    f = table["activity"].cat.codes.to_numpy()
    u = table["unit"].cat.codes.to_numpy()
    amount = table["amount"].to_numpy()
    mass = np.where(np.isnan(to_m3[u]), amount * to_kg[u], amount * to_m3[u] * rho[f])
    energy = np.where(np.isnan(to_tj[u]), mass * ncv[f], amount * to_tj[u])
    per_row = energy * co2e[f]
    return np.bincount(table["commune"].cat.codes.to_numpy(), weights=per_row, minlength=38)


def library(table: pd.DataFrame) -> pd.DataFrame:
    return ghg.compute(table).rollup(by=["commune"])


def timed(fn, *args):  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def peak_bytes(fn, *args) -> int:  # type: ignore[no-untyped-def]
    gc.collect()
    tracemalloc.start()
    fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1e5,1e6,1e7")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    script = Path(sys.executable).with_name("ghg-inventory")
    subprocess.run([str(script), "--help"], capture_output=True, check=True)
    print(f"ghg-inventory --help: {time.perf_counter() - start:.3f} s")
    ghg.compute(synthetic(1000))  # warm caches (factor tables, unit parsing)
    print(f"{'rows':>10} {'library rows/s':>15} {'numpy rows/s':>13} {'ratio':>6} "
          f"{'peak MB':>8} {'bytes/row':>9}")
    for n in (int(float(s)) for s in args.sizes.split(",")):
        table = synthetic(n)
        lib = min(timed(library, table)[0] for _ in range(args.repeat))
        base = min(timed(baseline, table)[0] for _ in range(args.repeat))
        got = library(table)["co2e_kg"].to_numpy()
        want = baseline(table)
        assert np.allclose(np.sort(got), np.sort(want[want > 0]), rtol=1e-9), "results differ"
        peak = 0 if args.no_memory else peak_bytes(library, table)
        print(f"{n:>10,} {n / lib:>15,.0f} {n / base:>13,.0f} {lib / base:>6.2f} "
              f"{peak / 1e6:>8.0f} {peak / n:>9.0f}", flush=True)
        del table


if __name__ == "__main__":
    sys.exit(main())
