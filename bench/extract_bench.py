"""Benchmark: candidate extraction on the five seed articles against the recorded claims.

For each article in ../shared/articles/ (skipped with a message when absent) the claim file
of claims/ whose quotes it contains is its reference. ``extract`` runs with the recorded
byline, publisher and date, and the figures are:

- recall: recorded forecasts whose quote overlaps a candidate's quote;
- precision: candidates (distinct quotes) that overlap a recorded claim of any kind;
- attribution: candidates overlapping a recorded forecast whose claimant is that forecast's
  claimant (by registry key, name or alias);
- seconds per article (after start-up: spaCy is loaded first).

Goals (issue 14): recall >= 0.9, precision >= 0.6, attribution >= 0.8, < 1 s per article.

Then the independent evaluation set of issue 23 (``bench/extract_eval/``, fourteen texts in eight
domains): recall, attribution and precision per domain and overall, by
``bench/extract_eval_bench.py`` (whose docstring and ``bench/extract_eval/README.md`` define the
matching).

Then the held-out set (``bench/extract_heldout/``, eleven texts in nine domains, whose key was
written before the extractor was run on them), the same way.

    .venv/bin/python bench/extract_bench.py [--min-confidence 0.4] [--verbose] [--seed-only]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "articles"
CLAIMS = ROOT / "claims"


def _normalized(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs as one space, and each kept character's original index."""
    out, where, space = [], [], False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                where.append(i)
            space = True
        else:
            out.append(ch)
            where.append(i)
            space = False
    return "".join(out), where


def locate(quote: str, text: str, norm: tuple[str, list[int]]) -> tuple[int, int] | None:
    """Where a recorded quote is in the article (whitespace-insensitive), or None."""
    flat, where = norm
    q = " ".join(quote.split())
    at = flat.find(q)
    if at < 0:
        at = flat.lower().find(q.lower())
    if at < 0:
        return None
    return where[at], where[at + len(q) - 1] + 1


def _key(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))


def claimant_matches(name: str, key: str, authors: dict) -> bool:
    """Whether an extracted claimant name is the registry author ``key``."""
    entry = authors.get(key) or {}
    names = {_key(key), _key(entry.get("name") or "")}
    names |= {_key(a) for a in entry.get("aliases") or []}
    return _key(name) in names


def reference_for(text: str, files: list[dict]) -> dict | None:
    """The claim file most of whose quotes are in ``text``."""
    norm = _normalized(text)
    best, best_hits = None, 0
    for data in files:
        hits = sum(locate(c["quote"], text, norm) is not None for c in data.get("claims") or [])
        if hits > best_hits:
            best, best_hits = data, hits
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-confidence", type=float, default=None)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--seed-only", action="store_true", help="skip the evaluation and held-out sets"
    )
    args = parser.parse_args()
    seed(args)
    if not args.seed_only:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from extract_eval_bench import HELDOUT, evaluate

        print("\nevaluation set (bench/extract_eval, issue 23):")
        evaluate(verbose=args.verbose)
        print("\nheld-out set (bench/extract_heldout, key written before any extractor run):")
        evaluate(verbose=args.verbose, folder=HELDOUT)
    return 0


def seed(args: argparse.Namespace) -> None:
    """The seed figures: the five seed articles against the recorded claims."""
    articles = sorted(ARTICLES.glob("*.txt")) if ARTICLES.is_dir() else []
    if not articles:
        print(f"skipped: no seed articles in {ARTICLES}")
        return
    from forecastkit.extraction import extract_file
    from forecastkit.extraction.candidates import MIN_CONFIDENCE
    from forecastkit.extraction.hedges import pipeline

    t0 = time.perf_counter()
    pipeline()
    print(f"start-up (spaCy pipeline): {time.perf_counter() - t0:.2f} s")
    authors = (yaml.safe_load((CLAIMS / "authors.yaml").read_text("utf-8")) or {})["authors"]
    files = [
        yaml.safe_load(p.read_text("utf-8"))
        for p in sorted(CLAIMS.glob("*.yaml"))
        if p.name != "authors.yaml"
    ]
    minimum = MIN_CONFIDENCE if args.min_confidence is None else args.min_confidence
    totals = {"forecasts": 0, "found": 0, "cands": 0, "hits": 0, "on_fc": 0, "attr": 0}
    print(f"{'article':28} {'recall':>9} {'precision':>10} {'attribution':>12} {'seconds':>8}")
    for path in articles:
        text = path.read_text("utf-8")
        ref = reference_for(text, files)
        if ref is None:
            print(f"{path.name}: no recorded claim file quotes it; skipped")
            continue
        src = ref["source"]
        byline = (authors.get(src["byline"][0]) or {}).get("name", src["byline"][0])
        t = time.perf_counter()
        ex = extract_file(
            path,
            byline=byline,
            publisher=src["publisher"],
            published=src["published"],
            min_confidence=minimum,
        )
        seconds = time.perf_counter() - t
        norm = _normalized(text)
        recorded = []
        for c in ref.get("claims") or []:
            span = locate(c["quote"], text, norm)
            if span is None:
                print(f"  warning: quote of {c['id']} not found in {path.name}")
                continue
            recorded.append((span, c.get("kind") or "forecast", c["claimant"], c["id"]))
        forecasts = [r for r in recorded if r[1] == "forecast"]
        cands = ex.candidates
        found = [r for r in forecasts if any(c.start < r[0][1] and r[0][0] < c.end for c in cands)]
        spans = {(c.start, c.end) for c in cands}
        hits = [s for s in spans if any(s[0] < r[0][1] and r[0][0] < s[1] for r in recorded)]
        on_fc = [c for c in cands if any(c.start < r[0][1] and r[0][0] < c.end for r in forecasts)]
        attr = [
            c
            for c in on_fc
            if any(
                claimant_matches(c.claimant_name, r[2], authors)
                for r in forecasts
                if c.start < r[0][1] and r[0][0] < c.end
            )
        ]
        for k, v in (
            ("forecasts", len(forecasts)),
            ("found", len(found)),
            ("cands", len(spans)),
            ("hits", len(hits)),
            ("on_fc", len(on_fc)),
            ("attr", len(attr)),
        ):
            totals[k] += v
        print(
            f"{path.name:28} {len(found):>4}/{len(forecasts):<4} {len(hits):>5}/{len(spans):<4} "
            f"{len(attr):>6}/{len(on_fc):<5} {seconds:8.3f}"
        )
        if args.verbose:
            for r in forecasts:
                if r not in found:
                    print(f"    missed: {r[3]}")
            for c in cands:
                if (c.start, c.end) not in hits:
                    print(f"    extra: {c.confidence:.2f} {c.quote[:90]!r}")
            for c in on_fc:
                if c not in attr:
                    print(f"    claimant: {c.claimant_name!r} for {c.quote[:60]!r}")
    ratio = lambda a, b: totals[a] / totals[b] if totals[b] else float("nan")  # noqa: E731
    print(
        f"recall {ratio('found', 'forecasts'):.2f}  precision {ratio('hits', 'cands'):.2f}  "
        f"attribution {ratio('attr', 'on_fc'):.2f}  (goals 0.90 / 0.60 / 0.80; "
        f"min confidence {minimum})"
    )


if __name__ == "__main__":
    sys.exit(main())
