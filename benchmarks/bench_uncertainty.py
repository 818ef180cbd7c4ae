"""Monte Carlo benchmark: 2,000 sources x 10,000 iterations (issue target: < 5 s, < 300 MB).

Usage:  python benchmarks/bench_uncertainty.py [--sources 2000] [--iterations 10000]

Builds an inventory of ``sources`` activity rows (fuel combustion, ~2,000 facilities),
then times ``monte_carlo`` against Approach 1 (error propagation) on the same inventory in
the same run, and reports the peak memory traced during the Monte Carlo call.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_engine import synthetic  # noqa: E402

import ghg_inventory as ghg  # noqa: E402
from ghg_inventory.analysis.uncertainty import error_propagation, monte_carlo  # noqa: E402

OPTIONS = {
    "activity_uncertainty": {"1": 5.0},
    # defaults for records the shipped tables give no range for (CH4/N2O of Tables
    # 2.2-2.5, densities): the benchmark needs some value; these are not advice
    "factor_uncertainty": {"gas:CH4": 100.0, "gas:N2O": 150.0, "gas:CO2": 5.0,
                           "parameter:density": 3.0, "parameter:ncv": 5.0},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=2_000)
    parser.add_argument("--iterations", type=int, default=10_000)
    args = parser.parse_args()
    inventory = ghg.compute(synthetic(args.sources))
    start = time.perf_counter()
    error_propagation(inventory, by="commune", **OPTIONS)
    approach_1 = time.perf_counter() - start
    start = time.perf_counter()
    monte_carlo(inventory, by="commune", iterations=args.iterations, seed=1, **OPTIONS)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    monte_carlo(inventory, by="commune", iterations=args.iterations, seed=1, **OPTIONS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{args.sources:,} activity rows ({len(inventory.results):,} emission rows) x "
          f"{args.iterations:,} iterations: Monte Carlo {seconds:.2f} s, peak "
          f"{peak / 1e6:.0f} MB; Approach 1 {approach_1:.3f} s (ratio {seconds / approach_1:.0f})")


if __name__ == "__main__":
    main()
