"""Benchmark: score 1,000,000 forecasts by 2,000 claimants, against a per-group scikit-learn loop.

First, the command as a user runs it: ``forecastkit score forecasts.parquet`` in a new process,
with its default bootstrap intervals (2,000 resamples per claimant), start-up and file reading
included. Target: at most a quarter of the time of the scikit-learn loop.

Then the library alone: forecastkit computes every statistic of ``score_table`` except the bootstrap (counts, Brier, log
score, hit rate, four skill scores, the CORP decomposition of both scores with PAV
recalibration, Spiegelhalter's test). The baseline loops over claimants and calls scikit-learn's
``brier_score_loss`` and ``log_loss`` only: far less work. Target: at least 4 times faster than
the loop, and a few seconds at most on a 2-core machine.

Forecasts are rounded to whole percent by default, as trackers store them; ``--decimals 0``
keeps them continuous (no ties: the hardest case for PAV).

The shared-questions case (``--questions``, default 50,000) times the relative scores of
``forecastkit.scoring.relative`` (relative Brier with its bootstrap interval, peer score,
head-to-head records) on the same number of forecasts spread over shared questions, with updates,
under each policy. Target: a few seconds.

The mixed case (``--mixed``, on by default) times ``score_tables`` of
``forecastkit.scoring.typed_table`` on a corpus of 1,000,000 forecasts of mixed types (60% binary,
20% multiple choice, 15% numeric, 5% date; numeric and date as quantiles, intervals, CDFs and
points) on shared questions, against the same call on 1,000,000 binary forecasts of the same
shape (claimants, questions, updates), without and with intervals, and prints the ratio. Target
(issue 21): at most 2.

Usage: .venv/bin/python bench/score_bench.py [--forecasts 1000000] [--claimants 2000]
       [--decimals 2] [--repeat 3] [--questions 50000] [--no-mixed] [--only-mixed]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, log_loss

from forecastkit.scoring.grouped import score_table


def synthetic_forecasts(n: int, claimants: int, decimals: int, seed: int = 0) -> pd.DataFrame:
    """``n`` forecasts by ``claimants`` people of unequal activity and skill; outcomes drawn
    from each person's own (miscalibrated) belief."""
    rng = np.random.default_rng(seed)
    activity = rng.pareto(1.5, claimants) + 1
    who = rng.choice(claimants, size=n, p=activity / activity.sum())
    truth = rng.beta(0.8, 0.8, n)
    sharpness = rng.uniform(0.3, 1.5, claimants)[who]  # < 1 underconfident, > 1 overconfident
    logit = np.log(truth / (1 - truth)) * sharpness + rng.normal(0, 0.8, n)
    probability = 1 / (1 + np.exp(-logit))
    if decimals:
        probability = np.clip(np.round(probability, decimals), 10.0**-decimals, 1 - 10.0**-decimals)
    outcome = (rng.random(n) < truth).astype(float)
    names = np.array([f"claimant-{i:04d}" for i in range(claimants)], dtype=object)
    return pd.DataFrame({"claimant": names[who], "probability": probability, "outcome": outcome})


def sklearn_loop(forecasts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name, group in forecasts.groupby("claimant", sort=True):
        y, p = group["outcome"].to_numpy(), group["probability"].to_numpy()
        rows.append((name, brier_score_loss(y, p), log_loss(y, p, labels=[0, 1])))
    return pd.DataFrame(rows, columns=["group", "brier", "log_score"])


def best_of(repeat: int, func, *args, **kwargs):  # noqa: ANN001, ANN201 - a timing helper
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times), result


def time_command(forecasts: pd.DataFrame, repeat: int) -> tuple[float, int]:
    """Best wall time of ``forecastkit score FILE`` (intervals on, as by default), and its rows."""
    exe = Path(sys.executable).with_name("forecastkit")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "forecasts.parquet"
        forecasts.to_parquet(path, index=False)
        best, rows = float("inf"), 0
        for _ in range(repeat):
            start = time.perf_counter()
            done = subprocess.run(
                [str(exe), "score", str(path), "--format", "csv"],
                capture_output=True,
                text=True,
                check=True,
            )
            best = min(best, time.perf_counter() - start)
            rows = len(done.stdout.splitlines()) - 1
    return best, rows


def shared_forecasts(n: int, claimants: int, questions: int, seed: int = 1) -> pd.DataFrame:
    """``n`` forecasts on ``questions`` shared questions by ``claimants`` people, each forecast
    dated (updates happen: a claimant may forecast a question several times)."""
    rng = np.random.default_rng(seed)
    activity = rng.pareto(1.5, claimants) + 1
    who = rng.choice(claimants, size=n, p=activity / activity.sum())
    q = rng.integers(0, questions, n)
    truth = rng.beta(0.8, 0.8, questions)
    skill = rng.uniform(0.3, 1.5, claimants)[who]
    logit = np.log(truth[q] / (1 - truth[q])) * skill + rng.normal(0, 0.8, n)
    probability = np.clip(np.round(1 / (1 + np.exp(-logit)), 2), 0.01, 0.99)
    outcome = (rng.random(questions) < truth).astype(float)
    opened = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, questions), "D")
    made = opened[q] + pd.to_timedelta(rng.integers(0, 200, n), "D")
    names = np.array([f"claimant-{i:04d}" for i in range(claimants)], dtype=object)
    return pd.DataFrame(
        {
            "claimant": names[who],
            "question_id": np.array([f"q{i}" for i in range(questions)], dtype=object)[q],
            "probability": probability,
            "outcome": outcome[q],
            "made_on": made,
            "resolved_on": (opened + pd.to_timedelta(180, "D"))[q],
            "resolve_by": (opened + pd.to_timedelta(210, "D"))[q],
        }
    )


def time_relative(n: int, claimants: int, questions: int, repeat: int) -> None:
    """Relative scores (relative Brier with intervals, peer score, head-to-head) on shared
    questions, under each policy; and score_table with its relative columns."""
    from forecastkit.scoring.relative import relative_scores

    forecasts = shared_forecasts(n, claimants, questions)
    print(
        f"shared questions: {len(forecasts):,} forecasts on {questions:,} questions by "
        f"{claimants:,} claimants"
    )
    for policy in ("all", "last", "time-weighted"):
        t_rel, rel = best_of(repeat, relative_scores, forecasts, policy)
        print(
            f"  relative_scores, policy {policy}: {t_rel:.3f} s ({len(rel.units):,} "
            f"claimant-question pairs, {len(rel.head_to_head):,} head-to-head rows)"
        )
    t_all, _ = best_of(repeat, score_table, forecasts, "claimant", policy="time-weighted")
    print(f"  score_table with intervals and relative columns, time-weighted: {t_all:.3f} s")


def time_mixed(n: int, claimants: int, questions: int, repeat: int) -> None:
    """score_tables on mixed question types against the same shape all binary: the ratio."""
    from forecastkit.editing.synthetic import synthetic_typed_frames
    from forecastkit.scoring.typed_table import score_tables

    frames = {
        "binary": synthetic_typed_frames(
            n, claimants, questions, shares=(1, 0, 0, 0), n_crowds=0, seed=2
        ),
        "mixed": synthetic_typed_frames(
            n, claimants, questions, shares=(0.6, 0.2, 0.15, 0.05), n_crowds=0, seed=2
        ),
    }
    mixed = frames["mixed"]
    kinds = mixed["claims"]["question_type"].value_counts()
    print(
        f"mixed types: {n:,} forecasts on {questions:,} questions by {claimants:,} claimants "
        f"({', '.join(f'{k} {v:,}' for k, v in kinds.items())}; "
        f"{len(mixed['forecast_points']):,} forecast points)"
    )
    small = {k: {t: v.head(2000) for t, v in f.items()} for k, f in frames.items()}
    for f in small.values():  # import and warm up
        score_tables(f["claims"], f["forecast_points"], questions=f["questions"], ci=False)
    for ci in (False, True):
        times = {}
        for name, f in frames.items():
            times[name], _ = best_of(
                repeat,
                score_tables,
                f["claims"],
                f["forecast_points"],
                "claimant",
                questions=f["questions"],
                ci=ci,
            )
        print(
            f"  score_tables {'with' if ci else 'without'} intervals, time-weighted: binary only "
            f"{times['binary']:.3f} s, mixed {times['mixed']:.3f} s: ratio "
            f"{times['mixed'] / times['binary']:.2f} (target: at most 2)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forecasts", type=int, default=1_000_000)
    parser.add_argument("--claimants", type=int, default=2_000)
    parser.add_argument("--decimals", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--questions",
        type=int,
        default=50_000,
        help="questions of the shared-questions case (0: skip it)",
    )
    parser.add_argument("--mixed", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--only-mixed", action="store_true", help="time the mixed case alone")
    args = parser.parse_args()
    if args.only_mixed:
        time_mixed(args.forecasts, args.claimants, args.questions or 50_000, args.repeat)
        return
    forecasts = synthetic_forecasts(args.forecasts, args.claimants, args.decimals)
    t_cmd, n_rows = time_command(forecasts, args.repeat)
    score_table(forecasts.head(1000), ci=False)  # import and warm up
    t_ci, _ = best_of(args.repeat, score_table, forecasts, "claimant", ci=True)
    t_fk, ours = best_of(args.repeat, score_table, forecasts, "claimant", ci=False)
    t_sk, theirs = best_of(args.repeat, sklearn_loop, forecasts)
    # The two must agree where they compute the same thing (forecasts here avoid 0 and 1, so
    # forecastkit's clipping at 0.001 matters only for forecasts rounded to 0.00x).
    merged = ours.merge(theirs, on="group", suffixes=("", "_sklearn"))
    brier_gap = float(np.max(np.abs(merged["brier"] - merged["brier_sklearn"])))
    print(
        f"forecasts: {len(forecasts):,} by {forecasts['claimant'].nunique():,} claimants "
        f"({'rounded to ' + str(args.decimals) + ' decimals' if args.decimals else 'continuous'})"
    )
    print(f"scikit-learn loop (brier_score_loss + log_loss per claimant): {t_sk:.3f} s")
    print(
        f"`forecastkit score FILE` as a user runs it (intervals, start-up, reading): {t_cmd:.3f} s"
        f" for {n_rows:,} rows"
    )
    print(f"ratio: the command takes {t_cmd / t_sk:.2f} of the loop's time (target: at most 0.25)")
    print(f"forecastkit score_table in-process, with intervals: {t_ci:.3f} s")
    print(
        f"forecastkit score_table in-process, no intervals: {t_fk:.3f} s "
        f"({t_sk / t_fk:.1f} times faster than the loop)"
    )
    print(f"largest Brier difference between the two: {brier_gap:.1e}")
    if args.questions:
        time_relative(args.forecasts, args.claimants, args.questions, args.repeat)
    if args.mixed:
        time_mixed(args.forecasts, args.claimants, args.questions or 50_000, args.repeat)


if __name__ == "__main__":
    main()
