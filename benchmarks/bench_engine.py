"""Engine benchmarks, each printed as a ratio to a reference measured in the same run.

Usage:  python benchmarks/bench_engine.py [--scenarios pipeline,override,startup,submit]
                                          [--sizes 1e6,1e7] [--override-rows 1e6]
                                          [--repeat 3] [--no-memory]

Scenarios (the machine's noise only ever adds time, so each time is the best of
``--repeat`` runs, the two sides of a ratio alternating):

* ``pipeline``: for each size, a synthetic activity table (mixed fuels, categories and
  units; 2,000 facilities in 38 communes) through the library,
  ``ghg.compute(table).rollup(by=["commune"])`` (validation, factor look-ups, per-gas long
  table with provenance, roll-up), against the same arithmetic in plain numpy on integer
  codes with the factors pre-resolved into arrays (no validation, no provenance). Prints
  rows/s, the ratio library/numpy and the peak memory traced during the library call per
  input row, above the input frame (tracemalloc sees numpy and pandas buffers; the input
  is allocated before tracing starts), and the ratio of the CPU times of this process
  (best of ``--repeat`` each; steadier than wall time when other work loads the machine).
* ``override``: the same table at ``--override-rows`` with one facility-specific NCV and
  CO2 factor per facility (4,000 override records for 2,000 facilities, a DataFrame passed
  as ``factors=``), as a ratio to the defaults-only run; the override run's CO2 checked
  against numpy arithmetic with the facilities' own factors. The first override run is
  also shown apart: it validates the 4,000 records, which later runs with the same
  records (same content) reuse, as a session computing again does.
* ``startup``: ``ghg-inventory compute`` of a 10-row CSV in a fresh process, as a ratio to
  ``python -c "import pandas, pint"``; the first run (which fills the factor cache in an
  empty cache directory and compiles the modules) shown apart.
* ``submit``: ``ghg-inventory submit`` of 50 facility files into a new store, one process
  per file as the provincial guide runs it; the time per file as a ratio to the same
  ``import pandas, pint``.
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


def baseline(table: pd.DataFrame, overrides: pd.DataFrame | None = None) -> np.ndarray:
    """The same arithmetic in plain numpy: CO2e per commune [kg], AR5, no biogenic CO2;
    with ``overrides`` (:func:`overrides`), each facility's own NCV and CO2 factor."""
    db = ghg.FactorDB.default()
    fuels = list(table["activity"].cat.categories)
    cats = [FUELS[f][0] for f in fuels]
    keys = pd.DataFrame({"category": cats, "activity": fuels, "country": "VN"})
    ncv = db.lookup(keys, "ncv", "TJ/Gg")["value"].to_numpy() / 1e6  # TJ per kg
    rho = db.lookup(keys, "density", "kg/m**3")["value"].to_numpy()
    other = np.zeros(len(fuels))  # CH4 and N2O, kg CO2e per TJ
    co2 = np.zeros(len(fuels))
    co2_weight = np.zeros(len(fuels))
    for gas in ("CO2", "CH4", "N2O"):
        ef = db.lookup(keys, "ef", "kg/TJ", gas=gas)
        fossil = ef["fossil"].astype(bool).to_numpy()
        weight = np.where(fossil | (gas != "CO2"), gwp_value(gas, "AR5"), 0.0)
        if gas == "CO2":
            co2, co2_weight = ef["value"].to_numpy(), weight
        else:
            other += ef["value"].to_numpy() * weight
    units = list(table["unit"].cat.categories)
    parsed = [ghg.Q_(1, {"L": "liter", "t": "tonne", "kt": "kilotonne"}.get(u, u)) for u in units]
    to_kg = np.array([p.to("kg").m if p.check("[mass]") else np.nan for p in parsed])
    to_m3 = np.array([p.to("m**3").m if p.check("[volume]") else np.nan for p in parsed])
    to_tj = np.array([p.to("TJ").m if p.check("[energy]") else np.nan for p in parsed])
    f = table["activity"].cat.codes.to_numpy()
    u = table["unit"].cat.codes.to_numpy()
    amount = table["amount"].to_numpy()
    ncv_row, co2_row = ncv[f], co2[f]
    if overrides is not None:  # facility codes are F0000 ... in order
        own = np.full((NUMBER_OF_FACILITIES, len(fuels)), np.nan)
        own_co2 = own.copy()
        fac = overrides["facility_id"].str[1:].astype(int).to_numpy()
        fuel = pd.Index(fuels).get_indexer(overrides["activity"])
        is_ncv = (overrides["parameter"] == "ncv").to_numpy()
        own[fac[is_ncv], fuel[is_ncv]] = overrides["value"].to_numpy()[is_ncv] / 1e6
        own_co2[fac[~is_ncv], fuel[~is_ncv]] = overrides["value"].to_numpy()[~is_ncv]
        row_fac = table["facility_id"].cat.codes.to_numpy()
        ncv_row = np.where(np.isnan(own[row_fac, f]), ncv_row, own[row_fac, f])
        co2_row = np.where(np.isnan(own_co2[row_fac, f]), co2_row, own_co2[row_fac, f])
    mass = np.where(np.isnan(to_m3[u]), amount * to_kg[u], amount * to_m3[u] * rho[f])
    energy = np.where(np.isnan(to_tj[u]), mass * ncv_row, amount * to_tj[u])
    per_row = energy * (other[f] + co2_row * co2_weight[f])
    return np.bincount(table["commune"].cat.codes.to_numpy(), weights=per_row, minlength=38)


NUMBER_OF_FACILITIES = 2000


def overrides(seed: int = 3) -> pd.DataFrame:
    """One facility-specific NCV [TJ/Gg] and CO2 factor [kg/TJ] per facility (each
    facility's own fuel: the fuels in turn), as a compiler would give measured values."""
    rng = np.random.default_rng(seed)
    fuels = list(FUELS)
    n = NUMBER_OF_FACILITIES
    facility = [f"F{i:04d}" for i in range(n)]
    fuel = [fuels[i % len(fuels)] for i in range(n)]
    common = {"category": [FUELS[f][0] for f in fuel], "activity": fuel, "tier": 2,
              "guidelines": "2006", "source": "facility laboratory",
              "reference": "annual fuel analysis", "facility_id": facility}
    ncv = pd.DataFrame({"factor_id": [f"site.{f}.ncv" for f in facility], "parameter": "ncv",
                        "gas": "", "value": rng.uniform(20, 45, n).round(3),
                        "unit": "TJ/Gg", **common})
    co2 = pd.DataFrame({"factor_id": [f"site.{f}.ef.co2" for f in facility],
                        "parameter": "ef", "gas": "CO2",
                        "value": rng.uniform(55_000, 100_000, n).round(1), "unit": "kg/TJ",
                        **common})
    return pd.concat([ncv, co2], ignore_index=True)


def library(table: pd.DataFrame) -> pd.DataFrame:
    return ghg.compute(table).rollup(by=["commune"])


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def cpu_seconds(fn, *args):  # type: ignore[no-untyped-def]
    """CPU time of this process for ``fn(*args)``: on a machine shared with other work the
    wall time takes their load too, the CPU time hardly."""
    gc.collect()
    start = time.process_time()
    fn(*args)
    return time.process_time() - start


def peak_bytes(fn, *args) -> int:  # type: ignore[no-untyped-def]
    gc.collect()
    tracemalloc.start()
    fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def pipeline(sizes: list[int], repeat: int, memory: bool) -> None:
    print("pipeline: compute(table).rollup(by=['commune']) against plain numpy")
    print(f"{'rows':>10} {'library rows/s':>15} {'numpy rows/s':>13} {'ratio':>6} "
          f"{'ratios of the runs':>22} {'peak MB':>8} {'bytes/row':>9} {'CPU ratio':>9}")
    for n in sizes:
        table = synthetic(n)
        libs, bases, cpu_libs, cpu_bases = [], [], [], []
        for _ in range(repeat):
            libs.append(timed(library, table)[0])
            bases.append(timed(baseline, table)[0])
            cpu_libs.append(cpu_seconds(library, table))
            cpu_bases.append(cpu_seconds(baseline, table))
        lib, base = min(libs), min(bases)
        got = library(table)["co2e_kg"].to_numpy()
        want = baseline(table)
        assert np.allclose(np.sort(got), np.sort(want[want > 0]), rtol=1e-9), "results differ"
        peak = peak_bytes(library, table) if memory else 0
        runs = " ".join(f"{a / b:.2f}" for a, b in zip(libs, bases, strict=True))
        print(f"{n:>10,} {n / lib:>15,.0f} {n / base:>13,.0f} {lib / base:>6.2f} "
              f"{runs:>22} {peak / 1e6:>8.0f} {peak / n:>9.0f} "
              f"{min(cpu_libs) / min(cpu_bases):>9.2f}", flush=True)
        del table


def override(n: int, repeat: int) -> None:
    table = synthetic(n)
    own = overrides()
    plain, special = [], []
    for _ in range(repeat):
        plain.append(timed(library, table)[0])
        special.append(timed(lambda: ghg.compute(table, factors=own).rollup(by=["commune"])
                             )[0])
    got = ghg.compute(table, factors=own).rollup(by=["commune"])["co2e_kg"].to_numpy()
    want = baseline(table, own)
    assert np.allclose(np.sort(got), np.sort(want[want > 0]), rtol=1e-9), "results differ"
    runs = " ".join(f"{b / a:.2f}" for a, b in zip(plain, special, strict=True))
    print(f"override: {n:,} rows, {len(own):,} facility records for {NUMBER_OF_FACILITIES:,} "
          f"facilities: defaults only {min(plain):.2f} s, with overrides {min(special):.2f} s, "
          f"ratio {min(special) / min(plain):.2f} (runs: {runs}; the first run, which "
          f"validates the override records, {special[0]:.2f} s, ratio "
          f"{special[0] / min(plain):.2f}; later runs with the same records reuse them)",
          flush=True)


def _seconds(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=env, cwd=cwd)
    return time.perf_counter() - start


SMALL = """facility_id,facility_name,commune,year,category,activity,amount,unit
{f},Site {f},commune_01,2023,1.A.2.f,anthracite,120.5,t
{f},Site {f},commune_01,2023,1.A.2.i,gas_diesel_oil,3000,L
{f},Site {f},commune_01,2023,1.A.4.a,liquefied_petroleum_gases,800,kg
{f},Site {f},commune_01,2023,1.A.2.c,natural_gas,12,TJ
{f},Site {f},commune_01,2023,1.A.2.e,wood_wood_waste,40,t
{f},Site {f},commune_01,2023,1.A.4.b,motor_gasoline,900,L
{f},Site {f},commune_01,2023,1.A.1.a,other_bituminous_coal,5,kt
{f},Site {f},commune_01,2023,1.A.2.e,residual_fuel_oil,20,t
{f},Site {f},commune_01,2023,indirect.electricity,grid_electricity,1500,MWh
{f},Site {f},commune_01,2023,2.A.2,high_calcium_lime,300,t
"""


def processes(repeat: int, files: int) -> None:
    import os
    import tempfile

    script = str(Path(sys.executable).with_name("ghg-inventory"))
    imports = [sys.executable, "-c", "import pandas, pint"]
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        # an empty cache directory of its own: the first run fills the factor cache; and
        # compiled modules kept (in the temporary folder) as an installation keeps them,
        # whatever PYTHONDONTWRITEBYTECODE says here
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"GHG_INVENTORY_CACHE_DIR": str(where / "cache"),
                    "PYTHONPYCACHEPREFIX": str(where / "pycache")})
        (where / "small.csv").write_text(SMALL.format(f="S000"), encoding="utf-8")
        compute = [script, "compute", "small.csv", "-o", "out.csv"]
        first = _seconds(compute, env, where)
        _seconds(imports, env, where)  # compiled once, as the library was just now
        base, cli = [], []
        for _ in range(repeat):
            base.append(_seconds(imports, env, where))
            cli.append(_seconds(compute, env, where))
        ratio = min(cli) / min(base)
        runs = " ".join(f"{c / b:.2f}" for b, c in zip(base, cli, strict=True))
        print(f"startup: import pandas, pint {min(base):.2f} s; ghg-inventory compute of a "
              f"10-row file {min(cli):.2f} s, ratio {ratio:.2f} (runs: {runs}; first run, "
              f"filling the factor cache: {first:.2f} s)", flush=True)
        if not files:
            return
        for i in range(files):
            (where / f"facility_{i:03d}.csv").write_text(SMALL.format(f=f"S{i:03d}"),
                                                         encoding="utf-8")
        per_file = []
        for r in range(repeat):
            store = f"store_{r}.duckdb"
            base_before = _seconds(imports, env, where)
            total = sum(_seconds([script, "submit", f"facility_{i:03d}.csv", "--store", store],
                                 env, where) for i in range(files))
            per_file.append((total / files, base_before))
        best = min(p for p, _ in per_file)
        runs = " ".join(f"{p / b:.2f}" for p, b in per_file)
        print(f"submit: {files} facility files, one process each: {best:.2f} s per file, "
              f"ratio {best / min(base):.2f} to import pandas, pint (runs, each to an import "
              f"timed just before it: {runs})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenarios", default="pipeline,override,startup,submit")
    parser.add_argument("--sizes", default="1e6,1e7")
    parser.add_argument("--override-rows", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    scenarios = args.scenarios.split(",")
    ghg.compute(synthetic(1000))  # warm caches (factor tables, unit parsing)
    if "startup" in scenarios or "submit" in scenarios:
        processes(args.repeat, args.files if "submit" in scenarios else 0)
    if "override" in scenarios:
        override(int(args.override_rows), args.repeat)
    if "pipeline" in scenarios:
        pipeline([int(float(s)) for s in args.sizes.split(",")], args.repeat,
                 not args.no_memory)


if __name__ == "__main__":
    sys.exit(main())
