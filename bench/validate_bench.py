"""Benchmark: import the PredictionBook public dump, then validate it as a user would.

Copies the example corpus of the tests into a temporary folder, runs
``forecastkit import DIR public.csv.zip --from predictionbook --skip-bad-rows`` and then
``forecastkit validate DIR`` (JSON Schema layer and Great Expectations layer both), each in a
new process as a user runs it, and prints the seconds of each. Target for validate: under 20 s
on a 2-core machine. Needs ``../shared/data/predictionbook/`` beside the project.

    .venv/bin/python bench/validate_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT.parent / "shared" / "data" / "predictionbook" / "public.csv.zip"
FORECASTKIT = str(Path(sys.executable).with_name("forecastkit"))


def timed(args: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run([FORECASTKIT, *args], capture_output=True, text=True)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="validate runs (best is printed)")
    args = parser.parse_args()
    if not DUMP.is_file():
        sys.exit(f"skipped: {DUMP} is not there")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "claims"
        shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", corpus)
        t_import, done = timed(
            ["import", str(corpus), str(DUMP), "--from", "predictionbook", "--skip-bad-rows"]
        )
        if done.returncode:
            sys.exit(f"import failed: {done.stderr.strip()}")
        print(done.stdout.strip())
        print(f"import --from predictionbook: {t_import:.1f} s")
        best = float("inf")
        for _ in range(args.repeat):
            t_validate, done = timed(["validate", str(corpus)])
            best = min(best, t_validate)
        status = "valid" if done.returncode == 0 else f"INVALID ({done.stderr.strip()[:300]})"
        print(done.stdout.strip())
        print(
            f"validate (schema + Great Expectations): {best:.1f} s, {status} (target: under 20 s)"
        )
        t_plain, _ = timed(["validate", str(corpus), "--no-expectations"])
        print(f"validate --no-expectations: {t_plain:.1f} s")


if __name__ == "__main__":
    main()
