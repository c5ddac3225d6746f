"""Benchmark: every read-only command on a tracker-scale corpus, as a user runs it (issue 22).

Each command is a fresh ``forecastkit`` process in a project made in a temporary folder:

- ``due``, ``score``, ``export`` and ``show``, cold (no warm cache: the command reads the claim
  files and writes the cache) and warm (the cache of the run before), against a bare
  ``python -c "import pandas; pandas.read_csv(FILE)"`` of the same claim file in a fresh
  process. Targets: cold within 3x the bare read, warm within 1.5 s.
- ``validate`` with both layers (the loader's checks, then the Great Expectations suites),
  cold and warm. Target: under 10 s.
- the peak memory (maximum resident set) of ``score``. Target: under 400 MB.
- ``score --no-ci`` beside ``score``: the bootstrap intervals (2,000 resamples per claimant,
  on by default) are scoring's own work, not reading the corpus.

Corpora: the PredictionBook dump imported as ``forecastkit import --from predictionbook`` does
(62,500 forecasts, 2,205 forecasters; ``../shared/data/predictionbook``, skipped when absent),
then synthetic tracker tables (``editing/synthetic.py``) of 62,500 and 1,000,000 forecasts with
50 forecasts per question (1,250 and 20,000 questions), whose times per forecast show whether the
commands scale linearly (ratio 1: linear).

The machine's load (``os.getloadavg``) is printed with the figures: on shared cores a busy
neighbour slows every command. The package is byte-compiled first, as an installed one is.

Usage: .venv/bin/python bench/corpus_bench.py [--repeat 3] [--sizes 62500,1000000]
       [--no-predictionbook] [--commands due,score,export,show,validate]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DUMP = ROOT.parent / "shared" / "data" / "predictionbook" / "public.csv.zip"
EXE = Path(sys.executable).with_name("forecastkit")
COMMANDS = ("due", "score", "score-no-ci", "export", "show", "validate")
#: Runs one command and reports its wall time and its peak resident set (RUSAGE_CHILDREN).
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "rc": done.returncode,
                  "stderr": done.stderr.decode()[-400:]}))
"""


def run(args: list[str], cwd: Path, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result['rc']}): {result['stderr']}")
    return result


def best(args: list[str], cwd: Path, env: dict[str, str], repeat: int, before=None) -> dict:  # noqa: ANN001
    """The fastest of ``repeat`` runs (``before()`` runs ahead of each), with its peak memory."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(run(args, cwd, env))
    return min(runs, key=lambda r: r["seconds"])


def command_args(name: str, claim_id: str, out: Path) -> list[str]:
    return {
        "due": [str(EXE), "due"],
        "score": [str(EXE), "score"],
        "score-no-ci": [str(EXE), "score", "--no-ci"],
        "export": [str(EXE), "export", "--format", "csv", "--output", str(out)],
        "show": [str(EXE), "show", claim_id],
        "validate": [str(EXE), "validate"],
    }[name]


def measure(project: Path, table: Path, claim_id: str, commands, repeat: int) -> dict:  # noqa: ANN001
    """Cold and warm seconds of each command, the bare read, and score's peak memory."""
    env = dict(os.environ)
    env.pop("FORECASTKIT_CACHE", None)
    cache = project / ".forecastkit" / "cache"

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    bare = best(
        [sys.executable, "-c", f"import pandas; pandas.read_csv({str(table)!r})"],
        project,
        env,
        repeat,
    )
    figures = {"read_csv": bare["seconds"], "commands": {}}
    for name in commands:
        args = command_args(name, claim_id, project / "export.csv")
        cold = best(args, project, env, repeat, before=clear)
        run(args, project, env)  # writes the cache the warm runs read
        warm = best(args, project, env, repeat)
        figures["commands"][name] = {
            "cold": cold["seconds"],
            "warm": warm["seconds"],
            "cold_mb": cold["peak_mb"],
            "warm_mb": warm["peak_mb"],
        }
    return figures


def report(title: str, n: int, figures: dict) -> None:
    bare = figures["read_csv"]
    print(f"\n{title}: {n:,} forecasts; bare pandas.read_csv of the claim file {bare:.2f} s")
    print(f"  {'command':11s} {'cold s':>7s} {'cold/read':>9s} {'warm s':>7s} {'peak MB':>8s}")
    for name, f in figures["commands"].items():
        print(
            f"  {name:11s} {f['cold']:7.2f} {f['cold'] / bare:8.2f}x {f['warm']:7.2f} "
            f"{max(f['cold_mb'], f['warm_mb']):8.0f}"
        )
    c = figures["commands"]
    checks = []
    for name in ("due", "score", "export", "show"):
        if name in c:
            checks.append(f"{name} cold {c[name]['cold'] / bare:.2f}x (target 3x)")
            checks.append(f"warm {c[name]['warm']:.2f} s (target 1.5 s)")
    if "validate" in c:
        checks.append(f"validate cold {c['validate']['cold']:.2f} s (target 10 s)")
    if "score" in c:
        peak = max(c["score"]["cold_mb"], c["score"]["warm_mb"])
        checks.append(f"score peak {peak:.0f} MB (target 400 MB)")
    print("  " + "; ".join(checks))
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def predictionbook(tmp: Path) -> tuple[Path, Path, str]:
    project = tmp / "predictionbook"
    subprocess.run([str(EXE), "init", str(project)], check=True, capture_output=True)
    subprocess.run(
        [str(EXE), "import", str(DUMP), "--from", "predictionbook", "--skip-bad-rows"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return project, project / "claims" / "predictionbook-public.csv", "predictionbook-public-000001"


def synthetic(tmp: Path, n: int) -> tuple[Path, Path, str]:
    from forecastkit.editing.synthetic import write_synthetic_tracker

    project = tmp / f"synthetic-{n}"
    subprocess.run([str(EXE), "init", str(project)], check=True, capture_output=True)
    shutil.rmtree(project / "claims")
    table = write_synthetic_tracker(project / "claims", n, max(1, n // 50))
    return project, table, "synthetic-0000000"


def compile_package() -> None:
    """Byte-compile forecastkit once, as ``pip install`` does for an installed package: with
    ``PYTHONDONTWRITEBYTECODE`` set (some machines and CI images) an editable checkout would
    otherwise compile its modules from source in every command (0.1 s), which pandas, compiled
    when it was installed, does not pay in the bare read."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("forecastkit")
    for folder in spec.submodule_search_locations if spec else ():
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="62500,1000000")
    parser.add_argument("--no-predictionbook", action="store_true")
    parser.add_argument("--commands", default=",".join(COMMANDS))
    args = parser.parse_args()
    commands = [c for c in args.commands.split(",") if c]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    compile_package()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.no_predictionbook:
            if DUMP.is_file():
                project, table, claim = predictionbook(tmp)
                report(
                    "PredictionBook", 62_500, measure(project, table, claim, commands, args.repeat)
                )
            else:
                print(f"PredictionBook: {DUMP} is not beside the project; skipped")
        per_forecast = {}
        for n in sizes:
            project, table, claim = synthetic(tmp, n)
            started = time.perf_counter()
            figures = measure(project, table, claim, commands, args.repeat)
            report(f"synthetic ({n // 50:,} questions)", n, figures)
            print(f"  (measured in {time.perf_counter() - started:.0f} s)")
            per_forecast[n] = figures["commands"]
            shutil.rmtree(project)
        if len(sizes) >= 2:
            small, large = sizes[0], sizes[-1]
            print(f"\nscaling: microseconds per forecast at {small:,} and {large:,} forecasts")
            for name in commands:
                for kind in ("cold", "warm"):
                    a = per_forecast[small][name][kind] / small * 1e6
                    b = per_forecast[large][name][kind] / large * 1e6
                    print(f"  {name:11s} {kind}: {a:6.1f} vs {b:6.1f} us  (ratio {b / a:.2f})")


if __name__ == "__main__":
    main()
