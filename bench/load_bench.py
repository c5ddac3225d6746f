"""Benchmark: load a synthetic corpus of 10,000 claims in 1,000 files (target: well under 5 s).

Usage: .venv/bin/python bench/load_bench.py [--files 1000] [--claims-per-file 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import tracemalloc
from pathlib import Path

import forecastkit
from forecastkit.editing.synthetic import write_synthetic_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--claims-per-file", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_corpus(Path(tmp) / "claims", args.files, args.claims_per_file, 200)
        forecastkit.load(root, today=dt.date(2099, 1, 1))  # warm the caches (schemas, lexicon)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            corpus = forecastkit.load(root, today=dt.date(2099, 1, 1))
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        forecastkit.load(root, today=dt.date(2099, 1, 1))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    n = len(corpus.claims)
    print(f"claims: {n} in {args.files} files, {len(corpus.outcomes)} outcome entries")
    print(
        f"load: best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s "
        f"({n / min(times):,.0f} claims/s); peak traced memory {peak / 1e6:.0f} MB"
    )
    print("target: well under 5 s for 10,000 claims in 1,000 files")


if __name__ == "__main__":
    main()
