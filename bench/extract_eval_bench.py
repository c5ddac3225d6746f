"""Benchmark: candidate extraction on the independent evaluation set bench/extract_eval/.

Also on the held-out set ``bench/extract_heldout/`` (``--set bench/extract_heldout``), whose key
was written before the extractor was run on its texts (the extractor was tuned while looking at
``bench/extract_eval``, whose figures are therefore an upper bound).

Each text of a set's ``key.yaml`` is extracted with the byline, publisher and date the
key records, and the candidates are matched against the key's forecasts (the matching is
described in ``bench/extract_eval/README.md``, "Matching"):

- a candidate *covers* a key forecast when their spans share at least half of the shorter of
  the two (the key quotes a clause, a candidate is a whole sentence);
- recall: key forecasts covered by a candidate;
- precision: distinct candidate spans that cover a key forecast (the key lists every forecast of
  a text, so any other candidate is a false positive); ``on non-fc`` counts the sentences the key lists
  as looking like forecasts but not being ones that a candidate covers;
- attribution: candidates covering a key forecast whose claimant (the resolved name, or the
  speaker's words as written) is the speaker of a forecast they cover (:func:`same_speaker`);
- numeric: numeric key forecasts covered by a candidate one of whose numeric readings inside the
  key quote has the key's value (after the key unit's scale word) and relation.

Goals (issue 23): recall >= 0.9, attribution >= 0.85, precision >= 0.7.

    .venv/bin/python bench/extract_eval_bench.py [--verbose] [--set bench/extract_heldout]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

EVAL = Path(__file__).resolve().parent / "extract_eval"
HELDOUT = Path(__file__).resolve().parent / "extract_heldout"
GOALS = {"recall": 0.9, "attribution": 0.85, "precision": 0.7}
_STOP = {"the", "a", "an", "of", "s", "u", "us", "its", "their"}
_SCALE = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "billion": 1e9, "bln": 1e9, "trillion": 1e12}


def _published(value: Any) -> dt.date | None:
    """The key's date: a full date, else None (year-month only: deadlines stay unknown)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _alternatives(name: str) -> list[str]:
    """A name and, when it has one, its parenthesised part ("... Administration (EIA)")."""
    m = re.fullmatch(r"(.*?)\s*\(([^)]*)\)\s*(.*)", name)
    if not m:
        return [name]
    return [f"{m.group(1)} {m.group(3)}".strip(), m.group(2)]


def _tokens(name: str) -> list[str]:
    name = name.lower().replace("’", "'").replace("'s ", " ")
    name = re.sub(r"\.", "", name)  # U.S. -> us
    return [t for t in re.findall(r"[a-z0-9+&]+", name) if t not in _STOP]


def _acronym(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper() and w not in {"U", "S"}]
    return "".join(w[0] for w in words).lower() if len(words) >= 2 else ""


def _tok_eq(a: str, b: str) -> bool:
    """Equal, or one a 3+-letter prefix of the other ("Fed" / "Federal")."""
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


def same_speaker(a: str, b: str) -> bool:
    """Whether two written names are the same speaker.

    Either name may carry a parenthesised alternative ("the U.S. Energy Information
    Administration (EIA)"). Two forms match when their last content words (the heads) are equal
    and the words of one are among the other's ("Popal" / "Nabila Popal", "Fed officials" /
    "Federal Reserve officials": words match when equal or one is a 3+-letter prefix of the
    other), or when one is the acronym of the other ("IDC" / "International Data Corporation").
    Determiners and "U.S." are ignored.
    """
    for x in _alternatives(a):
        for y in _alternatives(b):
            tx, ty = _tokens(x), _tokens(y)
            if not tx or not ty:
                continue
            if (_acronym(x) and ty == [_acronym(x)]) or (_acronym(y) and tx == [_acronym(y)]):
                return True
            if not _tok_eq(tx[-1], ty[-1]):
                continue
            short, long_ = (tx, ty) if len(tx) <= len(ty) else (ty, tx)
            if all(any(_tok_eq(s, t) for t in long_) for s in short):
                return True
    return False


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def _key_value(numeric: dict[str, Any]) -> tuple[str, tuple[float, ...]]:
    words = str(numeric.get("unit", "")).lower().split()
    scale = next((_SCALE[w] for w in words if w in _SCALE), 1.0)
    if numeric["direction"] == "between":
        return "between", (numeric["low"] * scale, numeric["high"] * scale)
    return numeric["direction"], (numeric["value"] * scale,)


def _reading_value(reading: dict[str, Any]) -> tuple[str, tuple[float, ...]]:
    words = str(reading.get("unit") or "").lower().split()
    scale = next((_SCALE[w] for w in words if w in _SCALE), 1.0)
    if reading["relation"] == "between":
        return "between", (reading["lower"] * scale, reading["upper"] * scale)
    return reading["relation"], (reading["value"] * scale,)


def _numeric_ok(key: dict[str, Any], span: tuple[int, int], cands: list[Any]) -> bool:
    want_rel, want = _key_value(key["numeric"])
    for c in cands:
        for r in getattr(c, "numbers", ()) or ():
            r = r if isinstance(r, dict) else r.to_dict()
            if not (span[0] <= r["start"] and r["end"] <= span[1]):
                continue
            rel, got = _reading_value(r)
            if rel == want_rel and all(
                abs(g - w) <= 1e-6 * max(1.0, abs(w)) for g, w in zip(got, want, strict=True)
            ):
                return True
    return False


def evaluate(
    verbose: bool = False, out: Any = print, folder: Path = EVAL
) -> dict[str, dict[str, int]]:
    """Run the extractor over a set (``folder`` with ``key.yaml`` and ``texts/``); print and
    return the counts per domain."""
    from forecastkit.extraction import extract_file

    key = yaml.safe_load((folder / "key.yaml").read_text("utf-8"))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry in key:
        path = folder / entry["file"]
        text = path.read_text("utf-8")
        try:
            ex = extract_file(
                path,
                byline=entry["byline"],
                publisher=entry["publisher"],
                published=_published(entry["published"]),
            )
            cands = list(ex.candidates)
        except Exception as exc:  # an extractor failure scores the text as no candidates
            out(f"  {entry['file']}: extractor failed ({type(exc).__name__}: {exc}), 0 candidates")
            counts[entry["domain"]]["failed"] += 1
            cands = []
        forecasts = [
            (f, (text.index(f["quote"]), text.index(f["quote"]) + len(f["quote"])))
            for f in entry["forecasts"]
        ]
        nons = [(text.index(s), text.index(s) + len(s)) for s in entry["non_forecasts"]]
        spans = sorted({(c.start, c.end) for c in cands})
        n = counts[entry["domain"]]
        n["texts"] += 1
        n["forecasts"] += len(forecasts)
        n["cands"] += len(spans)
        n["hits"] += sum(any(_overlap(s, q) for _, q in forecasts) for s in spans)
        n["non"] += len(nons)
        n["on_non"] += sum(any(_overlap(s, q) for s in spans) for q in nons)
        missed, wrong, extra, badnum = [], [], [], []
        for f, q in forecasts:
            covering = [c for c in cands if _overlap((c.start, c.end), q)]
            if covering:
                n["found"] += 1
            else:
                missed.append(f)
            if "numeric" in f:
                n["numeric"] += 1
                if covering and _numeric_ok(f, q, covering):
                    n["numeric_ok"] += 1
                elif covering:
                    badnum.append((f, covering))
        for c in cands:
            on = [f for f, q in forecasts if _overlap((c.start, c.end), q)]
            if not on:
                extra.append(c)
                continue
            n["on_fc"] += 1
            names = [c.claimant_name, getattr(c, "claimant_as_written", None) or ""]
            if any(same_speaker(nm, f["speaker"]) for f in on for nm in names if nm):
                n["attr"] += 1
            else:
                wrong.append((c, on))
        if verbose:
            out(f"  {entry['file']}")
            for f in missed:
                out(f"    missed: {f['quote'][:90]!r}")
            for c in {(c.start, c.end): c for c in extra}.values():
                out(f"    extra: {c.confidence:.2f} {c.quote[:90]!r}")
            for c, on in wrong:
                out(
                    f"    claimant: {c.claimant_name!r} (as written "
                    f"{getattr(c, 'claimant_as_written', None)!r}) for {on[0]['speaker']!r}: "
                    f"{c.quote[:60]!r}"
                )
            for f, _cov in badnum:
                out(f"    numeric: {f['numeric']} not read in {f['quote'][:60]!r}")
    _print(counts, out, "eval set" if folder == EVAL else f"{folder.name} set")
    return {k: dict(v) for k, v in counts.items()}


def _ratio(n: dict[str, int], a: str, b: str) -> str:
    return f"{n[a] / n[b]:.2f}" if n[b] else "  - "


def _print(counts: dict[str, dict[str, int]], out: Any, label: str = "eval set") -> None:
    total: dict[str, int] = defaultdict(int)
    for n in counts.values():
        for k, v in n.items():
            total[k] += v
    out(
        f"{'domain':26} {'texts':>5} {'recall':>12} {'attribution':>13} {'precision':>12} "
        f"{'numeric':>12} {'on non-fc':>9}"
    )
    for name, n in [*sorted(counts.items()), ("overall", total)]:
        out(
            f"{name:26} {n['texts']:>5} "
            f"{_ratio(n, 'found', 'forecasts')} {n['found']:>3}/{n['forecasts']:<3} "
            f"{_ratio(n, 'attr', 'on_fc')} {n['attr']:>3}/{n['on_fc']:<4} "
            f"{_ratio(n, 'hits', 'cands')} {n['hits']:>3}/{n['cands']:<3} "
            f"{_ratio(n, 'numeric_ok', 'numeric')} {n['numeric_ok']:>3}/{n['numeric']:<3} "
            f"{n['on_non']:>4}/{n['non']:<4}"
        )
    out(
        f"{label}: recall {_ratio(total, 'found', 'forecasts')}  attribution "
        f"{_ratio(total, 'attr', 'on_fc')}  precision {_ratio(total, 'hits', 'cands')}  numeric "
        f"{_ratio(total, 'numeric_ok', 'numeric')}  (goals {GOALS['recall']:.2f} / "
        f"{GOALS['attribution']:.2f} / {GOALS['precision']:.2f})"
    )
    if total["failed"]:
        out(f"{label}: the extractor failed on {total['failed']} text(s), scored as 0 candidates")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--set",
        type=Path,
        default=EVAL,
        metavar="DIR",
        help="a folder with key.yaml and texts/ (default bench/extract_eval; "
        "bench/extract_heldout is the held-out set)",
    )
    args = parser.parse_args()
    folder = args.set if args.set.is_absolute() else Path.cwd() / args.set
    if not (folder / "key.yaml").is_file():
        # a path relative to the repository root, as the docstring writes it
        folder = Path(__file__).resolve().parent.parent / args.set
    if not (folder / "key.yaml").is_file():
        print(f"{args.set}: no key.yaml there; give a set folder such as bench/extract_heldout")
        return 2
    evaluate(verbose=args.verbose, folder=folder.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
