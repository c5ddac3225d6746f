"""Benchmark: `forecastkit report` on a synthetic corpus of 200 claimants, against plain papermill.

Times, on the same corpus:
1. a full `forecastkit report` run (overview, 200 author reports as .ipynb and .html, index);
2. the plain `papermill notebooks/author_report.ipynb out.ipynb -p author KEY ...` command
   once per claimant, in sequence (notebooks only, no HTML): all claimants, or `--sample N`
   of them with the total extrapolated (and labelled so);
3. a second `forecastkit report` run with nothing changed (target: a couple of seconds).

With --predictionbook (the real tracker data, ../shared/data/predictionbook/public.csv.zip),
instead: the import (`forecastkit import DIR ZIP --from predictionbook --skip-bad-rows` into a copy
of the test corpus), then `forecastkit report DIR --min-resolved 20` (one report per forecaster
with 20 or more resolved forecasts, the overview and the index), its size on disk, a re-run with
nothing changed, and beside them one plain `papermill notebooks/author_report.ipynb` run per
report: a few are measured (--sample, default 2) and multiplied by the number of reports, and the
output says so. Goal: the report run at most 0.1 of the plain papermill total; the re-run < 5 s.

Usage: .venv/bin/python bench/report_bench.py [--claimants 200] [--files 400] [--sample N]
       .venv/bin/python bench/report_bench.py --predictionbook [--min-resolved 20] [--sample 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import forecastkit
from forecastkit.editing.synthetic import write_synthetic_corpus

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(cmd: list[str], may_fail: bool = False, env: dict[str, str] | None = None) -> float:
    """Seconds ``cmd`` took; a failure ends the benchmark (``may_fail``: a report run that
    failed some reports prints its summary and the benchmark goes on). ``env``: variables
    added to the environment."""
    start = time.perf_counter()
    environ = {**os.environ, **env} if env else None
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=environ)
    seconds = time.perf_counter() - start
    if done.returncode != 0 and not (may_fail and done.returncode == 1):
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    if done.returncode != 0:
        print(f"  (exit status {done.returncode}) {done.stderr.strip()[-1500:]}")
    return seconds


def plain_papermill(
    keys: list[str],
    root: Path,
    out: Path,
    as_of: str,
    extra: dict[str, object] | None = None,
    env: dict[str, str] | None = None,
) -> float:
    """Seconds per report of one plain ``papermill notebooks/author_report.ipynb`` run per key,
    in sequence (``extra``: more parameters; ``env``: added to the environment)."""
    start = time.perf_counter()
    for key in keys:
        params = {"author": key, "claims_dir": str(root), "as_of": as_of, **(extra or {})}
        cmd = [
            str(BIN / "papermill"),
            "--no-progress-bar",
            "notebooks/author_report.ipynb",
            str(out / f"{key}.ipynb"),
        ]
        for name, value in params.items():
            cmd += ["-p", name, str(value)]
        run(cmd, env=env)
    return (time.perf_counter() - start) / len(keys)


PREDICTIONBOOK = ROOT.parent / "shared" / "data" / "predictionbook" / "public.csv.zip"


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def predictionbook(args: argparse.Namespace) -> None:
    """The real-data benchmark (see the module docstring)."""
    as_of = "2026-11-30"
    dump = Path(args.predictionbook)
    if not dump.is_file():
        sys.exit(f"PredictionBook dump not found: {dump}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "claims"
        shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", root)
        seconds = run(
            [
                str(BIN / "forecastkit"),
                "import",
                str(root),
                str(dump),
                "--from",
                "predictionbook",
                "--skip-bad-rows",
            ]
        )
        print(f"forecastkit import --from predictionbook: {seconds:.1f} s")
        from forecastkit.reports.runner import claimants_to_report

        corpus = forecastkit.load(root)
        keys = claimants_to_report(
            corpus, min_resolved=args.min_resolved, as_of=dt.date.fromisoformat(as_of)
        )
        n_reports = len(keys)
        print(
            f"corpus: {len(corpus.claims)} forecasts by {corpus.claims['claimant'].nunique()} "
            f"forecasters; {n_reports} with {args.min_resolved} or more resolved"
        )
        out = Path(tmp) / "reports"
        report = [
            str(BIN / "forecastkit"),
            "report",
            str(root),
            "--output",
            str(out),
            "--as-of",
            as_of,
            "--min-resolved",
            str(args.min_resolved),
            "--no-progress",
        ]
        report += ["--workers", str(args.workers)] if args.workers else []
        full = run(report, may_fail=True)
        pages = [p for p in out.glob("*.html") if p.stem != "index"]
        print(
            f"forecastkit report --min-resolved {args.min_resolved}: {full:.1f} s for "
            f"{len(pages)} pages ({n_reports} reports, the overview; and the index), "
            f"{folder_mb(out):.0f} MB written"
        )
        again = run(report, may_fail=True)
        print(f"forecastkit report (nothing changed): {again:.2f} s")

        sample = keys[:: max(1, len(keys) // args.sample)][: args.sample]
        plain_out = Path(tmp) / "plain"
        plain_out.mkdir()
        extra = {"min_resolved": args.min_resolved}
        per = plain_papermill(sample, root, plain_out, as_of, extra)
        plain = per * n_reports
        print(
            f"plain papermill: {per:.1f} s per report, measured on {len(sample)} "
            f"({', '.join(sample)}) and multiplied by {n_reports} reports: {plain:.0f} s "
            "(notebooks only, no HTML)"
        )
        print(f"ratio forecastkit report / plain papermill: {full / plain:.3f} (goal: at most 0.1)")
        # like for like: the report run draws no static SVG, nor then does plain papermill
        bare = plain_papermill(
            sample, root, plain_out, as_of, extra, {"FORECASTKIT_STATIC_CHARTS": "0"}
        )
        bare *= n_reports
        print(
            f"plain papermill with FORECASTKIT_STATIC_CHARTS=0 (no static SVG, as the report "
            f"run): {bare / n_reports:.1f} s per report, {bare:.0f} s; ratio {full / bare:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--predictionbook",
        nargs="?",
        const=str(PREDICTIONBOOK),
        default=None,
        metavar="ZIP",
        help="the real-data benchmark (default dump: %(const)s)",
    )
    parser.add_argument("--min-resolved", type=int, default=20)
    parser.add_argument("--claimants", type=int, default=200)
    parser.add_argument("--files", type=int, default=400, help="claim files (10 claims each)")
    parser.add_argument(
        "--sample",
        type=int,
        default=None,
        help="run plain papermill for only N claimants and extrapolate",
    )
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    if args.predictionbook:
        if args.sample is None:
            args.sample = 2
        predictionbook(args)
        return
    as_of = "2026-11-22"
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic_corpus(
            Path(tmp) / "claims", args.files, 10, args.claimants, start=dt.date(2005, 1, 1)
        )
        corpus = forecastkit.load(root)
        keys = sorted(corpus.forecasts()["claimant"].unique())
        print(f"corpus: {len(corpus.claims)} claims in {args.files} files, {len(keys)} claimants")
        out = Path(tmp) / "reports"
        report = [
            str(BIN / "forecastkit"),
            "report",
            str(root),
            "--output",
            str(out),
            "--as-of",
            as_of,
            "--no-progress",
        ] + (["--workers", str(args.workers)] if args.workers else [])
        full = run(report)
        n_reports = len(keys) + 1
        print(
            f"forecastkit report (full): {full:.1f} s for {n_reports} reports with HTML "
            f"({full / n_reports:.2f} s per report)"
        )
        again = run(report)
        print(f"forecastkit report (nothing changed): {again:.2f} s")

        sample = keys if args.sample is None else keys[: args.sample]
        plain_out = Path(tmp) / "plain"
        plain_out.mkdir()
        per = plain_papermill(sample, root, plain_out, as_of)
        plain = per * len(keys)
        label = "" if len(sample) == len(keys) else f" (extrapolated from {len(sample)} runs)"
        print(
            f"plain papermill, one run per claimant in sequence: {plain:.1f} s{label} "
            f"({per:.2f} s per report, notebooks only, no HTML)"
        )
        print(f"ratio plain / forecastkit report: {plain / full:.1f}x")
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
