"""Scale-out benchmark: pandas in one process against Dask with 1 and 2 local workers.

Usage:  python benchmarks/bench_scale.py [--rows 1e7] [--files 2] [--dir /tmp/ghg_scale]
                                         [--memory-limit 0]

It writes a synthetic national-scale activity dataset to disk (a Parquet dataset
partitioned by year, ``--files`` files per year; the rows of benchmarks/bench_engine.py:
mixed fuels, categories and units, 2,000 facilities), then runs in fresh processes

* pandas: ``ghg.compute(pd.read_parquet(dir)).rollup(by=["commune"])``,
* Dask, 1 and 2 workers (one thread each): ``ghg.compute(dir).rollup(by=["commune"])``,
  with the shuffle on facility_id (``by_site=True``, the default when the table has landfill
  rows) and without it (``by_site=False``, the default otherwise, and for data
  already partitioned by facility),

and prints wall time, rows/s, peak memory (pandas: the process; Dask: the largest worker),
and each Dask run's time as a ratio of the pandas time measured in the same run.

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

HERE = Path(__file__).parent


def write_dataset(rows: int, files: int, folder: Path) -> None:
    import numpy as np

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
import json, logging, resource, sys, time
import ghg_inventory as ghg
from dask.distributed import Client, LocalCluster
from ghg_inventory.distributed import compute_dask
workers, by_site, limit = int(sys.argv[2]), sys.argv[3] == "1", float(sys.argv[4])
with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                  memory_limit=limit or "auto", silence_logs=logging.ERROR) as cluster, \\
        Client(cluster) as client:
    t = time.perf_counter()
    inventory = compute_dask(sys.argv[1], by_site=by_site)
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
    parser.add_argument("--memory-limit", type=float, default=0)
    args = parser.parse_args()
    rows = int(args.rows)
    t = time.perf_counter()
    write_dataset(rows, args.files, args.dir)
    print(f"dataset: {rows:,} rows in {args.dir} ({time.perf_counter() - t:.1f} s to write)")
    base = run(PANDAS, str(args.dir))
    if base is None:
        return
    print(f"pandas, 1 process:      {base['seconds']:8.1f} s  {rows / base['seconds']:>12,.0f} "
          f"rows/s  peak {base['peak_mb']:8,.0f} MB  ratio 1.00")
    for workers in (1, 2):
        for by_site in (True, False):
            got = run(DASK, str(args.dir), str(workers), "1" if by_site else "0", "0")
            if got is None:
                continue
            same = abs(got["total"] - base["total"]) <= 1e-9 * abs(base["total"])
            print(f"dask, {workers} worker(s), shuffle {'on ' if by_site else 'off'}: "
                  f"{got['seconds']:6.1f} s  {rows / got['seconds']:>12,.0f} rows/s  peak/worker "
                  f"{got['peak_mb']:8,.0f} MB  ratio {got['seconds'] / base['seconds']:.2f}  "
                  f"total {'=' if same else '!='} pandas")
    if args.memory_limit:
        limit = args.memory_limit
        print(f"with {limit / 1e9:.1f} GB per process:")
        small = run(PANDAS, str(args.dir), limit=limit)
        print(f"  pandas: {'completed' if small else 'could not complete'}")
        got = run(DASK, str(args.dir), "2", "0", str(limit))
        outcome = f"completed in {got['seconds']:.1f} s" if got else "could not complete"
        print(f"  dask, 2 workers of {limit / 1e9:.1f} GB: {outcome}")


if __name__ == "__main__":
    main()
