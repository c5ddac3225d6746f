"""Synthetic corpora for benchmarks and tests: valid claim files of any size.

Forecasts are drawn from the house hedges, and outcomes from each claimant's own skill, so
scores and reports on a synthetic corpus have realistic spread. Everything is seeded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

HEDGES = ["almost certainly", "very likely", "likely", "may", "unlikely", "very unlikely",
          "highly unlikely", "not likely", "expected to", "will", "will not"]  # fmt: skip

_SCHEMA = (
    "# yaml-language-server: $schema={rel}src/forecastkit/records/schemas/{kind}.schema.json\n"
)


def write_synthetic_corpus(
    root: Path,
    n_files: int = 100,
    claims_per_file: int = 10,
    n_claimants: int = 20,
    *,
    seed: int = 0,
    resolved_share: float = 0.8,
    start: dt.date = dt.date(2010, 1, 1),
) -> Path:
    """Write a valid corpus of ``n_files × claims_per_file`` claims under ``root``.

    Returns ``root``. Claimant ``k`` has a skill in [0, 1]: the chance that an outcome follows
    their hedge's direction, so claimants differ in accuracy.
    """
    from forecastkit.records import lexicon

    rng = np.random.default_rng(seed)
    root = Path(root)
    (root / "outcomes").mkdir(parents=True, exist_ok=True)
    keys = [f"claimant-{k:04d}" for k in range(n_claimants)]
    skill = rng.uniform(0.55, 0.95, n_claimants)
    authors = ["authors:"]
    for k, key in enumerate(keys):
        authors += [
            f"  {key}:",
            f"    name: Claimant {k}",
            "    kind: person",
            f"    affiliation: Synthetic institute {k % 7}",
        ]
    (root / "authors.yaml").write_text(
        _SCHEMA.format(rel="", kind="authors") + "\n".join(authors) + "\n", "utf-8"
    )
    points = {h: lexicon.read_hedge(h).point for h in HEDGES}
    for f in range(n_files):
        published = start + dt.timedelta(days=int(rng.integers(0, 5000)))
        sid = f"{published}-synthetic-{f:05d}"
        byline = keys[int(rng.integers(n_claimants))]
        lines = [
            _SCHEMA.format(rel="../", kind="claim-file").rstrip("\n"),
            "source:",
            f"  id: {sid}",
            f"  title: Synthetic article {f}",
            f"  publisher: Synthetic Publisher {f % 13}",
            f"  byline: [{byline}]",
            f"  published: {published}",
            "claims:",
        ]
        outcomes = [_SCHEMA.format(rel="../../", kind="outcomes").rstrip("\n"), "outcomes:"]
        for c in range(claims_per_file):
            k = int(rng.integers(n_claimants))
            hedge = HEDGES[int(rng.integers(len(HEDGES)))]
            resolve_by = published + dt.timedelta(days=int(rng.integers(30, 1500)))
            cid = f"syn-{f:05d}-{c:03d}"
            lines += [
                f"  - id: {cid}",
                f"    claimant: {keys[k]}",
                "    claimant_role: quoted expert",
                f'    quote: "Claimant {k} said event {cid} is {hedge}."',
                f"    proposition: Event {cid} happens by {resolve_by}.",
                f"    criteria: True if event {cid} is reported by {resolve_by}.",
                f"    hedge: {hedge}",
                f"    resolve_by: {resolve_by}",
                "    deadline: {basis: stated}",
                f"    tags: [topic-{c % 5}]",
            ]
            if rng.random() < resolved_share:
                right = rng.random() < skill[k]
                happened = (points[hedge] >= 0.5) == right
                lines_out = [
                    f"  - claim: {cid}",
                    f"    verdict: {'true' if happened else 'false'}",
                    f"    resolved_on: {resolve_by}",
                    "    evidence:",
                    f"      - url: https://example.org/synthetic/{cid}",
                    f"        title: Report on event {cid}",
                    "        publisher: Synthetic Wire",
                    f"        published: {resolve_by}",
                    f'        quote: "Event {cid} {"happened" if happened else "did not happen"}."',
                    "    recorded_by: synthetic generator",
                    f"    recorded_on: {resolve_by}",
                ]
                outcomes += lines_out
        (root / f"{sid}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
        if len(outcomes) > 2:
            (root / "outcomes" / f"{sid}.yaml").write_text("\n".join(outcomes) + "\n", "utf-8")
    return root
