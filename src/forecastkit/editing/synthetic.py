"""Synthetic corpora for benchmarks and tests: valid claim files of any size.

Forecasts are drawn from the house hedges, and outcomes from each claimant's own skill, so
scores and reports on a synthetic corpus have realistic spread. Everything is seeded.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

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


# --------------------------------------------------------------------------- typed frames

#: Quantile levels of synthetic quantile forecasts, and the z-grid of synthetic CDFs.
SYNTHETIC_LEVELS = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
_CDF_Z = (-3.0, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
_NUMERIC_FORMS = ("quantiles", "interval", "cdf", "point")


def synthetic_typed_frames(
    n: int = 10_000,
    n_claimants: int = 50,
    n_questions: int = 2_000,
    *,
    shares: tuple[float, float, float, float] = (0.6, 0.2, 0.15, 0.05),
    seed: int = 0,
    open_share: float = 0.1,
    n_crowds: int = 1,
) -> dict[str, pd.DataFrame]:
    """Frames shaped like a loaded corpus of mixed question types (``docs/question-types.md``):
    ``claims``, ``forecast_points``, ``questions`` and ``authors``, for tests and benchmarks.

    ``n`` forecasts on ``n_questions`` questions, the types in proportions ``shares`` (binary,
    multiple choice, numeric, date); claimants differ in skill (noise) and confidence, and
    ``n_crowds`` claimants of kind ``crowd`` forecast a share of every type's questions with
    little noise. Multiple-choice questions have 2 to 5 options, half of them ordered; numeric
    and date forecasts come in all four forms. Everything is drawn from one seeded generator
    and vectorised, so a million forecasts take a few seconds.
    """
    from statistics import NormalDist

    rng = np.random.default_rng(seed)
    shares_arr = np.asarray(shares, dtype=float) / np.sum(shares)
    q_type = rng.choice(4, size=n_questions, p=shares_arr)
    type_names = np.array(["binary", "multiple_choice", "numeric", "date"], dtype=object)
    names = np.array(
        [f"claimant-{k:04d}" for k in range(n_claimants)]
        + [f"crowd-{k:02d}" for k in range(n_crowds)],
        dtype=object,
    )
    activity = np.r_[rng.pareto(1.5, n_claimants) + 1, np.full(n_crowds, 0.0)]
    n_crowd_rows = min(n // 10, n_crowds * n_questions) if n_crowds else 0
    who = np.r_[
        rng.choice(n_claimants, size=n - n_crowd_rows, p=activity[:n_claimants] / activity.sum()),
        n_claimants + rng.integers(0, max(n_crowds, 1), n_crowd_rows),
    ]
    q = rng.integers(0, n_questions, n)
    noise = np.r_[rng.uniform(0.3, 1.5, n_claimants), np.full(n_crowds, 0.2)][who]
    confidence = np.r_[rng.uniform(0.5, 1.8, n_claimants), np.full(n_crowds, 1.0)][who]
    t = q_type[q]
    resolved_q = rng.random(n_questions) >= open_share
    opened = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, n_questions), "D")
    made = opened[q] + pd.to_timedelta(rng.integers(0, 150, n), "D")
    # binary
    truth_b = rng.beta(0.8, 0.8, n_questions)
    event = rng.random(n_questions) < truth_b
    logit = np.log(truth_b[q] / (1 - truth_b[q])) * confidence + rng.normal(0, 1, n) * noise
    probability = np.where(
        t == 0, np.clip(np.round(1 / (1 + np.exp(-logit)), 2), 0.01, 0.99), np.nan
    )
    # multiple choice: K options, a Dirichlet truth, the realised option drawn from it
    k_opts = rng.integers(2, 6, n_questions)
    ordered = rng.random(n_questions) < 0.5
    k_max = 5
    alpha = rng.gamma(1.0, 1.0, (n_questions, k_max)) * (np.arange(k_max) < k_opts[:, None])
    truth_mc = alpha / alpha.sum(axis=1, keepdims=True)
    realised = (rng.random(n_questions)[:, None] > np.cumsum(truth_mc, axis=1)).sum(axis=1)
    realised = np.minimum(realised, k_opts - 1)
    # numeric: a location and a scale per question (dates: days since 1970)
    centre = np.where(
        q_type == 3, rng.integers(16000, 20000, n_questions), rng.normal(0, 50, n_questions)
    )
    scale = np.where(
        q_type == 3, rng.uniform(5, 120, n_questions), 10 ** rng.uniform(-1, 3, n_questions)
    )
    value = centre + scale * rng.normal(size=n_questions)
    value = np.where(q_type == 3, np.round(value), value)

    mc_rows = np.flatnonzero(t == 1)
    num_rows = np.flatnonzero(t >= 2)
    num_form = rng.choice(4, size=len(num_rows), p=[0.4, 0.2, 0.3, 0.1])
    form = np.full(n, "probability", dtype=object)
    form[mc_rows] = "probabilities"
    form[num_rows] = np.array(_NUMERIC_FORMS, dtype=object)[num_form]

    ids = np.array([f"f{i:07d}" for i in range(n)], dtype=object)
    # points: multiple choice
    parts = []
    if len(mc_rows):
        qm = q[mc_rows]
        km = k_opts[qm]
        lt = np.log(np.maximum(truth_mc[qm], 1e-3)) * confidence[mc_rows, None]
        lt = lt + rng.normal(size=lt.shape) * noise[mc_rows, None]
        w = np.exp(lt - lt.max(axis=1, keepdims=True)) * (np.arange(k_max) < km[:, None])
        pm = np.round(w / w.sum(axis=1, keepdims=True), 3)
        pm[np.arange(len(qm)), 0] += 1 - pm.sum(axis=1)  # stated to sum to 1
        mask = np.arange(k_max) < km[:, None]
        rows_of = np.repeat(mc_rows, km)
        parts.append(
            pd.DataFrame(
                {
                    "row": rows_of,
                    "form": "probabilities",
                    "option": np.tile(np.array([f"o{j}" for j in range(k_max)], object), len(qm))[
                        mask.ravel()
                    ],
                    "x": np.nan,
                    "p": np.clip(pm[mask], 0, 1),
                    "order": np.tile(np.arange(k_max), len(qm))[mask.ravel()],
                }
            )
        )
    if len(num_rows):
        qn = q[num_rows]
        bias = rng.normal(size=len(num_rows)) * noise[num_rows] * scale[qn]
        m = centre[qn] + bias
        s = scale[qn] * np.sqrt(1 + noise[num_rows] ** 2) / confidence[num_rows]
        z_levels = np.array([NormalDist().inv_cdf(v) for v in SYNTHETIC_LEVELS])
        z_int = NormalDist().inv_cdf(0.95)
        p_cdf = np.array([NormalDist().cdf(z) for z in _CDF_Z])
        for code, name in enumerate(_NUMERIC_FORMS):
            sel = np.flatnonzero(num_form == code)
            if not len(sel):
                continue
            if name == "quantiles":
                zs, ps = z_levels, np.array(SYNTHETIC_LEVELS)
            elif name == "interval":
                zs, ps = np.array([-z_int, z_int]), np.array([0.05, 0.95])
            elif name == "cdf":
                zs, ps = np.array(_CDF_Z), p_cdf
            else:
                zs, ps = np.array([0.0]), np.array([np.nan])
            xs = m[sel, None] + s[sel, None] * zs
            parts.append(
                pd.DataFrame(
                    {
                        "row": np.repeat(num_rows[sel], len(zs)),
                        "form": name,
                        "option": None,
                        "x": xs.ravel(),
                        "p": np.tile(ps, len(sel)),
                        "order": np.tile(np.arange(len(zs)), len(sel)),
                    }
                )
            )
    points = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["row", "form", "option", "x", "p", "order"])
    )
    points = points.sort_values(["row", "order"], kind="stable", ignore_index=True)
    forecast_points = pd.DataFrame(
        {
            "claim_id": pd.Categorical(ids[points["row"].to_numpy(dtype=np.int64)], categories=ids),
            "form": pd.Categorical(points["form"]),
            "option": points["option"].astype("string"),
            "x": points["x"].astype(float),
            "p": points["p"].astype(float),
        }
    )
    res = resolved_q[q]
    status = np.where(
        res, np.where(t == 0, np.where(event[q], "true", "false"), "resolved"), "open"
    )
    options_of = np.array([f"o{j}" for j in range(k_max)], dtype=object)
    outcome_option = np.where((t == 1) & res, options_of[realised[q]], None)
    claims = pd.DataFrame(
        {
            "claim_id": pd.Categorical(ids, categories=ids),
            "claimant": names[who],
            "kind": "forecast",
            "question_id": np.array([f"q{i:06d}" for i in range(n_questions)], dtype=object)[q],
            "question_type": pd.Categorical(type_names[t], categories=list(type_names)),
            "form": pd.Categorical(form),
            "probability": probability,
            "outcome": np.where((t == 0) & res, event[q].astype(float), np.nan),
            "status": status,
            "made_on": made,
            "resolved_on": (opened + pd.to_timedelta(180, "D"))[q].where(res),
            "resolve_by": (opened + pd.to_timedelta(200, "D"))[q],
            "outcome_option": pd.array(outcome_option, dtype="string"),
            "outcome_value": np.where(res & (t >= 2), value[q], np.nan),
        }
    )
    questions = pd.DataFrame(
        {
            "question_id": [f"q{i:06d}" for i in range(n_questions)],
            "type": type_names[q_type],
            "options": [
                tuple(options_of[: k_opts[i]]) if q_type[i] == 1 else () for i in range(n_questions)
            ],
            "ordered": ordered & (q_type == 1),
        }
    )
    authors = pd.DataFrame(
        {
            "claimant": names,
            "name": [str(x).replace("-", " ").title() for x in names],
            "kind": ["person"] * n_claimants + ["crowd"] * n_crowds,
        }
    )
    return {
        "claims": claims,
        "forecast_points": forecast_points,
        "questions": questions,
        "authors": authors,
    }


# --------------------------------------------------------------------------- tracker tables


def synthetic_claim_table(
    n: int = 62_500,
    n_questions: int = 1_250,
    n_claimants: int = 2_000,
    *,
    seed: int = 0,
    resolved_share: float = 0.8,
    name: str = "synthetic",
) -> pd.DataFrame:
    """A tabular claim file of ``n`` forecasts on ``n_questions`` shared questions, shaped like
    a tracker's import (``forecastkit import --from predictionbook``): one source per question,
    the tracker's resolution on every row of a resolved question. Vectorised and seeded, so a
    million rows take seconds; the claimants are ``claimant-0000``...
    (:func:`write_synthetic_tracker` writes their ``authors.yaml``).
    """
    rng = np.random.default_rng(seed)
    q = np.sort(rng.integers(0, n_questions, n))  # rows grouped by question, as an import
    opened = pd.Timestamp("2012-01-01") + pd.to_timedelta(rng.integers(0, 4000, n_questions), "D")
    closes = opened + pd.to_timedelta(rng.integers(30, 700, n_questions), "D")
    truth = rng.beta(0.8, 0.8, n_questions)
    happened = rng.random(n_questions) < truth
    resolved = rng.random(n_questions) < resolved_share
    activity = rng.pareto(1.5, n_claimants) + 1
    who = rng.choice(n_claimants, size=n, p=activity / activity.sum())
    skill = rng.uniform(0.3, 1.5, n_claimants)[who]
    logit = np.log(truth[q] / (1 - truth[q])) * skill + rng.normal(0, 0.8, n)
    p = np.clip(np.round(1 / (1 + np.exp(-logit)), 2), 0.01, 0.99)
    span = (closes - opened).days.to_numpy()[q]
    made = opened[q] + pd.to_timedelta((rng.random(n) * span).astype(int), "D")
    qid = np.array([f"{name}-q-{k}" for k in range(n_questions)], dtype=object)
    text = np.array([f"Synthetic event {k} happens before its deadline" for k in range(n_questions)],
                    dtype=object)  # fmt: skip
    url = np.array([f"https://example.org/questions/{k}" for k in range(n_questions)], dtype=object)
    day = lambda d: np.asarray(d.strftime("%Y-%m-%d"), dtype=object)  # noqa: E731
    done = resolved[q]
    verdict = np.where(done, np.where(happened[q], "true", "false"), "")
    resolved_on = np.where(done, day(closes)[q], "")
    names = np.array([f"claimant-{k:04d}" for k in range(n_claimants)], dtype=object)
    blank = np.full(n, "", dtype=object)
    return pd.DataFrame(
        {
            "id": [f"{name}-{i:07d}" for i in range(n)],
            "question": qid[q],
            "source_id": qid[q],
            "claimant": names[who],
            "claimant_role": "other",
            "kind": "forecast",
            "quote": text[q],
            "proposition": text[q],
            "probability": p.astype(str),
            "made_on": day(made),
            "resolve_by": day(closes)[q],
            "deadline_basis": "stated",
            "tags": name,
            "source_title": text[q],
            "publisher": "Synthetic tracker",
            "published": day(opened)[q],
            "url": url[q],
            "verdict": verdict,
            "resolved_on": resolved_on,
            "recorded_by": np.where(done, "forecastkit import", ""),
            "recorded_on": np.where(done, "2026-12-01", ""),
            "note": np.where(done, "resolved on the synthetic tracker", ""),
            "evidence_url": np.where(done, url[q], ""),
            "evidence_title": np.where(done, qid[q], ""),
            "evidence_publisher": np.where(done, "Synthetic tracker", ""),
            "evidence_published": resolved_on,
            "evidence_quote": blank,
            "evidence_kind": np.where(done, "tracker", ""),
        }
    )


def write_synthetic_tracker(
    root: Path, n: int, n_questions: int, n_claimants: int = 2_000, *, seed: int = 0
) -> Path:
    """Write a corpus of one synthetic tracker table (:func:`synthetic_claim_table`) and the
    ``authors.yaml`` of its claimants under ``root``; returns the table's path."""
    from forecastkit.records.tabular import write_claim_table

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    authors = ["authors:"]
    for k in range(n_claimants):
        authors += [f"  claimant-{k:04d}:", f"    name: Claimant {k}", "    kind: person"]
    (root / "authors.yaml").write_text("\n".join(authors) + "\n", "utf-8")
    path = root / "synthetic.csv"
    write_claim_table(synthetic_claim_table(n, n_questions, n_claimants, seed=seed), path)
    return path
