"""Benchmark: import a tracker export of 60,000 forecasts by 2,000 forecasters, then load it.

Writes a synthetic export (CSV and Parquet) into a temporary folder, imports each into a fresh
corpus (the example corpus of the tests) and loads the corpus. Prints seconds per step.

Then the Metaculus preset on a synthetic ``forecast_data.csv`` + ``question_data.csv`` of
``--preset-rows`` forecasts (community rows included), twice: every question binary, and a mix
(half binary, a quarter multiple choice of four options, a quarter numeric with the export's
201-point CDFs); prints the seconds of each and the ratio mixed / binary.

    .venv/bin/python bench/import_bench.py [--rows 60000] [--forecasters 2000] [--preset-rows N]
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


def metaculus_export(rows: int, questions: int, mixed: bool, seed: int = 1):
    """A Metaculus-style export (question_data, forecast_data) with the real column layout."""
    rng = np.random.default_rng(seed)
    kinds = np.array(["binary"] * questions, dtype=object)
    if mixed:
        kinds[questions // 2 : 3 * questions // 4] = "multiple_choice"
        kinds[3 * questions // 4 :] = "numeric"
    grid = np.linspace(0.0, 100.0, 201)
    qcols = ["Question ID", "Question URL", "Question Title", "Categories", "Question Type",
             "MC Options (Current)", "MC Options (All)", "Lower Bound", "Open Lower Bound",
             "Upper Bound", "Open Upper Bound", "Continuous Range", "Open Time",
             "Scheduled Close Time", "Actual Close Time", "Resolution", "Resolution Known Time"]  # fmt: skip
    opts = "['North', 'South', 'East', 'West']"
    grid_text = str([round(float(v), 10) for v in grid])
    qrows = []
    for k in range(questions):
        t = kinds[k]
        res = {"binary": "yes" if k % 3 else "no", "multiple_choice": "East", "numeric": "42.5"}[t]
        qrows.append([k + 1, f"https://www.metaculus.com/questions/{k + 1}/q/", f"Question {k}?",
                      "['Bench']", t, opts if t == "multiple_choice" else "",
                      opts if t == "multiple_choice" else "", "0.0" if t == "numeric" else "",
                      "False", "100.0" if t == "numeric" else "", "True",
                      grid_text if t == "numeric" else "", "2024-01-01 00:00:00+00:00",
                      "2025-12-31 00:00:00+00:00", "2025-06-01 00:00:00+00:00", res,
                      "2025-06-01 00:00:00+00:00"])  # fmt: skip
    q = rng.integers(0, questions, rows)
    who = rng.integers(0, 2000, rows)
    community = rng.random(rows) < 0.2
    start = pd.Timestamp("2024-02-01") + pd.to_timedelta(rng.integers(0, 400, rows), "D")
    p_yes = np.where(kinds[q] == "binary", np.round(rng.uniform(0.01, 0.99, rows), 3), np.nan)
    cuts = np.sort(rng.integers(0, 1001, (rows, 3)), axis=1)  # four shares of 1000
    w = np.diff(np.c_[np.zeros(rows, int), cuts, np.full(rows, 1000)], axis=1) / 1000
    cats = np.array([str(r.tolist()) for r in w], dtype=object)
    mean, scale = rng.uniform(20, 80, rows), rng.uniform(3, 15, rows)
    numeric = np.flatnonzero(kinds[q] == "numeric")
    cdfs = np.full(rows, "", dtype=object)
    if len(numeric):
        f = 1 / (1 + np.exp(-(grid[None, :] - mean[numeric, None]) / scale[numeric, None]))
        f = (f - f[:, :1]) / (1 - f[:, :1])
        cdfs[numeric] = [str(r) for r in np.round(f, 10).tolist()]
    forecasts = pd.DataFrame(
        {
            "Question ID": q + 1,
            "Forecaster ID": np.where(community, "", (who + 1).astype(str)),
            "Forecaster Username": np.where(
                community, "recency_weighted", [f"user{w}" for w in who]
            ),
            "Is Bot": np.where(community, "", "False"),
            "Start Time": start.strftime("%Y-%m-%d %H:%M:%S+00:00"),
            "End Time": "",
            "Forecaster Count": "",
            "Probability Yes": pd.Series(p_yes).map(lambda v: "" if np.isnan(v) else repr(v)),
            "Probability Yes Per Category": np.where(kinds[q] == "multiple_choice", cats, ""),
            "Continuous CDF": cdfs,
        }
    )
    return pd.DataFrame(qrows, columns=qcols), forecasts


def preset_bench(rows: int) -> None:
    """The Metaculus preset, every question binary against the typed mix (module doc)."""
    from forecastkit.editing.tracker import import_tracker

    seconds = {}
    for mixed in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            questions, forecasts = metaculus_export(rows, max(50, rows // 40), mixed)
            questions.to_csv(tmp_path / "question_data.csv", index=False)
            forecasts.to_csv(tmp_path / "forecast_data.csv", index=False)
            corpus = tmp_path / "claims"
            shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", corpus)
            t0 = time.perf_counter()
            done = import_tracker(
                tmp_path / "forecast_data.csv", "metaculus", path=corpus, today=TODAY
            )
            seconds[mixed] = time.perf_counter() - t0
            label = "mixed " if mixed else "binary"
            mb = (tmp_path / "forecast_data.csv").stat().st_size / 1e6
            print(
                f"metaculus {label} import {seconds[mixed]:6.2f} s   ({done.claims} claims, "
                f"{done.crowds} crowd; export {mb:.1f} MB)"
            )
    print(f"metaculus mixed / binary: {seconds[True] / seconds[False]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--forecasters", type=int, default=2_000)
    parser.add_argument("--questions", type=int, default=1_500)
    parser.add_argument("--preset-rows", type=int, default=60_000)
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
    if args.preset_rows:
        preset_bench(args.preset_rows)


if __name__ == "__main__":
    main()
