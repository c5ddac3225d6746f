"""Benchmark: import a tracker export of 60,000 forecasts by 2,000 forecasters, then load it.

Writes a synthetic export (CSV and Parquet) into a temporary folder, imports each into a fresh
corpus (the example corpus of the tests) and loads the corpus. Prints seconds per step.

    .venv/bin/python bench/import_bench.py [--rows 60000] [--forecasters 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 22)


def synthetic_export(rows: int, forecasters: int, questions: int, seed: int = 0) -> pd.DataFrame:
    """A tracker-style export: question, forecaster, probability, created, deadline, outcome."""
    rng = np.random.default_rng(seed)
    q = rng.integers(0, questions, rows)
    opened = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1500, questions), "D")
    closes = opened + pd.to_timedelta(rng.integers(30, 700, questions), "D")
    truth = rng.random(questions) < 0.4
    created = opened[q] + pd.to_timedelta(rng.integers(0, 30, rows), "D")
    skill = rng.uniform(0.5, 0.9, forecasters)
    who = rng.integers(0, forecasters, rows)
    lean = np.where(rng.random(rows) < skill[who], truth[q], ~truth[q])
    p = np.clip(np.where(lean, rng.uniform(0.5, 0.99, rows), rng.uniform(0.01, 0.5, rows)), 0, 1)
    resolved = closes[q] < pd.Timestamp(TODAY)
    return pd.DataFrame(
        {
            "question_id": q + 1000,
            "question": [f"Will synthetic event {k} happen before its deadline?" for k in q],
            "user_name": [f"Forecaster {k:04d}" for k in who],
            "forecast": p.round(3),
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "close_date": closes[q].strftime("%Y-%m-%d"),
            "resolution": np.where(resolved, np.where(truth[q], "yes", "no"), ""),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--forecasters", type=int, default=2_000)
    parser.add_argument("--questions", type=int, default=1_500)
    args = parser.parse_args()

    import forecastkit
    from forecastkit.editing.importing import import_forecasts

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        export = synthetic_export(args.rows, args.forecasters, args.questions)
        export.to_csv(tmp_path / "tracker.csv", index=False)
        export.to_parquet(tmp_path / "tracker.parquet", index=False)
        print(f"{args.rows} rows, {args.forecasters} forecasters, {args.questions} questions")
        for fmt in ("csv", "parquet"):
            corpus = tmp_path / f"claims-{fmt}"
            shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", corpus)
            t0 = time.perf_counter()
            result = import_forecasts(
                tmp_path / f"tracker.{fmt}", fmt=fmt, name="tracker", path=corpus, today=TODAY
            )
            t1 = time.perf_counter()
            loaded = forecastkit.load(corpus, today=TODAY)
            t2 = time.perf_counter()
            print(
                f"{fmt:8s} import {t1 - t0:6.2f} s   load {t2 - t1:6.2f} s   "
                f"({len(loaded.claims)} claims, {len(loaded.authors)} authors; "
                f"{result.file.stat().st_size / 1e6:.1f} MB)"
            )


if __name__ == "__main__":
    main()
