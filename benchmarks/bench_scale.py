"""Scale-out benchmark: pandas in one process against Dask with 1 and 2 local workers.

Usage:  python benchmarks/bench_scale.py [--rows 1e7] [--files 2] [--dir /tmp/ghg_scale]
                                         [--repeat 3] [--memory-limit 0]

It writes a synthetic national-scale activity dataset to disk (a Parquet dataset
partitioned by year, ``--files`` files per year; the rows of benchmarks/bench_engine.py:
mixed fuels, categories and units, 2,000 facilities; plus 200 landfills depositing food and
paper every year, whose histories are split over the year partitions), then runs in fresh
processes

* pandas: ``ghg.compute(pd.read_parquet(dir)).rollup(by=["commune"])``,
* Dask, 1 and 2 workers (one thread each): ``ghg.compute(dir).rollup(by=["commune"])``
  (the landfill rows are shuffled by site, the other rows stay in their file), on the
  workers of ``ghg_inventory.distributed.local_client`` (the CLI's), and once more with
  2 workers as Dask starts them (``MALLOC_TRIM_THRESHOLD_`` set: see ``local_client``),

``--repeat`` times each, alternating, and prints the best (as ``timeit`` does: the machine's
noise only ever adds time) wall time, rows/s, peak memory (pandas: the process; Dask: the
largest worker), each Dask time as a ratio of the pandas time measured in the same run, and
whether the totals agree.

``--memory-limit N`` (bytes, e.g. 2e9) also shows the case pandas cannot do: pandas under
an address-space limit of N fails, while Dask workers limited to N each complete.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def landfills(years: np.ndarray, sites: int = 200) -> pd.DataFrame:
    """Yearly food and paper deposits [t] of ``sites`` managed landfills."""
    rng = np.random.default_rng(0)
    grid = pd.MultiIndex.from_product([range(sites), sorted(years), ["food", "paper"]],
                                      names=["site", "year", "activity"]).to_frame(index=False)
    return pd.DataFrame({
        "facility_id": grid["site"].map("LF{:03d}".format),
        "category": "4.A", "activity": grid["activity"],
        "amount": rng.uniform(100, 5000, size=len(grid)).round(1), "unit": "t",
        "commune": (grid["site"] % 38).map("commune_{:02d}".format),
        "year": grid["year"].astype(np.int16),
        "site_type": "managed_anaerobic", "climate_zone": "tropical_wet"})


def write_dataset(rows: int, files: int, folder: Path) -> None:
    sys.path.insert(0, str(HERE))
    from bench_engine import synthetic

    if folder.exists():
        shutil.rmtree(folder)
    per = int(np.ceil(rows / files))
    written = 0
    for i in range(files):
        n = min(per, rows - written)
        if n <= 0:
            break
        part = synthetic(n, seed=i + 1)
        for column in ("facility_id", "category", "activity", "unit", "commune"):
            part[column] = part[column].astype(str)
        part["amount"] = part["amount"].round(3)
        if i == 0:
            part = pd.concat([part, landfills(part["year"].unique())], ignore_index=True)
        part.to_parquet(folder, partition_cols=["year"],
                        basename_template=f"part-{i:04d}-{{i}}.parquet")
        written += n


PANDAS = """
import json, resource, sys, time
import pandas as pd
import ghg_inventory as ghg
t = time.perf_counter()
table = pd.read_parquet(sys.argv[1])
total = float(ghg.compute(table).rollup(by=["commune"])["co2e_kg"].sum())
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "rows": len(table), "total": total,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

DASK = """
import contextlib, json, logging, resource, sys, time
import ghg_inventory as ghg
from dask.distributed import Client, LocalCluster
from ghg_inventory.distributed import compute_dask, local_client
workers, limit, dask_environ = int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1"

@contextlib.contextmanager
def dask_default(workers, limit):  # workers as Dask starts them (MALLOC_TRIM_THRESHOLD_ set)
    with LocalCluster(n_workers=workers, threads_per_worker=1, memory_limit=limit,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client

with (dask_default if dask_environ else local_client)(workers, limit or "auto") as client:
    t = time.perf_counter()
    inventory = compute_dask(sys.argv[1])
    total = float(inventory.rollup(by=["commune"])["co2e_kg"].sum())
    seconds = time.perf_counter() - t
    peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps({"seconds": seconds, "total": total, "peak_mb": max(peaks.values())}))
"""


def run(code: str, *args: str, limit: float = 0) -> dict | None:
    prefix = []
    if limit:
        # an address-space limit for this process only (what a small machine would have)
        prefix = ["prlimit", f"--as={int(limit)}"]
    done = subprocess.run([*prefix, sys.executable, "-c", code, *args], capture_output=True,
                          text=True)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["?"]
        print(f"    failed: {tail[0][:160]}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--files", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ghg_scale"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-limit", type=float, default=0)
    args = parser.parse_args()
    rows = int(args.rows)
    t = time.perf_counter()
    write_dataset(rows, args.files, args.dir)
    print(f"dataset: {rows:,} rows in {args.dir} ({time.perf_counter() - t:.1f} s to write)")
    best: dict[str, dict] = {}
    for _ in range(args.repeat):
        for label, code, extra in [("pandas, 1 process", PANDAS, []),
                                   ("dask, 1 worker", DASK, ["1", "0", "0"]),
                                   ("dask, 2 workers", DASK, ["2", "0", "0"]),
                                   ("dask, 2 workers, Dask's worker environment", DASK,
                                    ["2", "0", "1"])]:
            got = run(code, str(args.dir), *extra)
            if got is not None and (label not in best
                                    or got["seconds"] < best[label]["seconds"]):
                best[label] = got
    base = best.get("pandas, 1 process")
    if base is None:
        return
    for label, got in best.items():
        same = abs(got["total"] - base["total"]) <= 1e-12 * abs(base["total"])
        print(f"{label:44s} {got['seconds']:6.1f} s  {rows / got['seconds']:>12,.0f} rows/s  "
              f"peak {'/worker ' if 'dask' in label else '        '}{got['peak_mb']:7,.0f} MB  "
              f"ratio {got['seconds'] / base['seconds']:.2f}  "
              f"total {'=' if same else '!='} pandas")
    if args.memory_limit:
        limit = args.memory_limit
        print(f"with {limit / 1e9:.1f} GB per process:")
        small = run(PANDAS, str(args.dir), limit=limit)
        print(f"  pandas: {'completed' if small else 'could not complete'}")
        got = run(DASK, str(args.dir), "2", str(limit), "0")
        outcome = f"completed in {got['seconds']:.1f} s" if got else "could not complete"
        print(f"  dask, 2 workers of {limit / 1e9:.1f} GB: {outcome}")


if __name__ == "__main__":
    main()
