"""Score tables for every question type: binary as before, the others each on its own score.

:func:`score_tables` is the entry point: the binary claims go to
:func:`forecastkit.scoring.grouped.score_table` unchanged (bit for bit the table of a
binary-only corpus), the others to :func:`typed_score_table`, one row per (league, group).  A
**league** is a question type with the score it is ranked on (``score_name``, see
:mod:`forecastkit.scoring.forecast_scores`): multiple choice on the multiclass Brier score, or on
the RPS when its options are ordered; numeric and date questions on the CRPS.  Scores of
different leagues are never averaged together, and rankings are made within a league.

Policies (:mod:`forecastkit.scoring.policies`) apply to every type the same way: a claimant's
score on a question is the policy-weighted mean of the scores of their forecasts on it, and a
group's score is the mean over its (claimant, question) units (``all``: over its forecasts).

Relative scores compare the groups on shared questions (resolved, forecast by two or more groups
in the league): on the [0, 1] scores (Brier, multiclass Brier, RPS) the mean difference to the
median of the others, as the relative Brier score of :mod:`forecastkit.scoring.relative`; on the
CRPS, which is in each question's unit (percent, dollars, days), the ratio of the group's summed
CRPS to the summed median of the others over its shared questions, a pairwise-free variant of
the forecast hubs' relative WIS (Cramer et al. 2022, *PNAS* 119(15) e2113561119): below 1 is
better than the typical other forecaster, and no question's unit dominates the comparison less
than it would a mean CRPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.records.snapshot import require_columns
from forecastkit.scoring.forecast_scores import (
    BINARY,
    SCORE_COLUMNS,
    equals,
    forecast_scores,
    non_binary,
    objects,
    resolved_mask,
)
from forecastkit.scoring.policies import (
    DEFAULT_POLICY,
    check_policy,
    policy_weights,
    question_codes,
)
from forecastkit.scoring.relative import leave_one_out_median
from forecastkit.scoring.scores import CI_LEVEL, LOG_EPS, N_RESAMPLES, log_losses

#: Groups with fewer scored units than this are flagged ``low_n`` (as in score_table).
MIN_N = 10

#: Scores whose relative form is a ratio (in the question's unit), not a difference.
RATIO_SCORES = ("crps",)

TYPED_COLUMNS = [
    "question_type", "score_name", "group", "n", "n_resolved", "n_open", "n_ambiguous",
    "n_annulled", "n_unscored", "score", "score_low", "score_high", *SCORE_COLUMNS,
    "relative_score", "n_shared", "low_n",
]  # fmt: skip


@dataclass(frozen=True)
class ScoreTables:
    """``binary``: :func:`~forecastkit.scoring.grouped.score_table` of the binary claims;
    ``typed``: :func:`typed_score_table` of the others (empty without any)."""

    binary: pd.DataFrame
    typed: pd.DataFrame

    @property
    def leagues(self) -> list[tuple[str, str]]:
        """The (question type, score) leagues with rows, binary first."""
        out = [(BINARY, "brier")] if len(self.binary) else []
        if len(self.typed):
            pairs = self.typed[["question_type", "score_name"]].drop_duplicates()
            out += [(str(a), str(b)) for a, b in pairs.itertuples(index=False)]
        return out


def binary_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The binary claims (all of them when the table has no ``question_type``)."""
    if "question_type" not in claims.columns:
        return claims
    return claims[equals(claims["question_type"], BINARY, missing=True)]


def _status(claims: pd.DataFrame) -> np.ndarray:
    if "status" in claims.columns:
        return objects(claims["status"], "open")
    return np.where(resolved_mask(claims), "resolved", "open").astype(object)


def claim_scores(
    claims: pd.DataFrame,
    points: pd.DataFrame | None,
    *,
    questions: pd.DataFrame | None = None,
    eps: float | None = LOG_EPS,
) -> pd.DataFrame:
    """Every forecast's league and score, binary included (``score_name`` ``brier``, with its
    ``log_score``): the columns of :func:`~forecastkit.scoring.forecast_scores.forecast_scores`
    for the claims of kind forecast, in the claims' order (index kept)."""
    frame = claims
    if "kind" in frame.columns:
        frame = frame[equals(frame["kind"], "forecast", missing=True)]
    binary = binary_claims(frame)
    p = pd.to_numeric(binary["probability"], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(binary["outcome"], errors="coerce").to_numpy(dtype=float)
    scored = np.isfinite(p) & ((y == 0) | (y == 1))
    if "status" in binary.columns:
        scored &= equals(binary["status"], "true") | equals(binary["status"], "false")
    out = {c: np.full(len(binary), np.nan) for c in SCORE_COLUMNS}
    with np.errstate(invalid="ignore"):
        brier = np.where(scored, (p - y) ** 2, np.nan)
        out["log_score"] = np.where(
            scored, log_losses(np.where(scored, y, 0), np.where(scored, p, 0.5), eps), np.nan
        )
    parts = [
        pd.DataFrame(
            {
                "question_type": BINARY,
                "form": "probability",
                "resolved": scored,
                "score_name": "brier",
                "score": brier,
                **out,
            },
            index=binary.index,
        )
    ]
    others = non_binary(frame)
    if len(others):
        pts = points if points is not None else pd.DataFrame(columns=["claim_id", "form", "x", "p"])
        parts.append(forecast_scores(others, pts, questions=questions, eps=eps))
    scores = pd.concat(parts) if len(parts) > 1 else parts[0]
    scores["question_type"] = scores["question_type"].astype(str)
    return scores.loc[frame.index]


def question_units(
    claims: pd.DataFrame,
    points: pd.DataFrame | None,
    *,
    by: str = "claimant",
    questions: pd.DataFrame | None = None,
    policy: str = DEFAULT_POLICY,
    eps: float | None = LOG_EPS,
    scores: pd.DataFrame | None = None,
    per_forecast: bool = False,
) -> pd.DataFrame:
    """One row per (group, question, league) scored: ``group``, ``question_id``,
    ``question_type``, ``score_name``, ``score`` and :data:`SCORE_COLUMNS` (policy-weighted
    means over the group's forecasts on the question; ``all``: plain means), ``n_forecasts``.
    ``per_forecast`` (with ``all``): each forecast its own unit instead, as ``score_table``
    counts them.  ``scores``: :func:`claim_scores` already computed."""
    check_policy(policy)
    frame = claims
    if "kind" in frame.columns:
        frame = frame[equals(frame["kind"], "forecast", missing=True)]
    require_columns(frame, [by])
    if scores is None:
        scores = claim_scores(frame, points, questions=questions, eps=eps)
    owner, groups = pd.factorize(objects(frame[by], "(none)"), sort=True)
    league_codes, leagues = pd.factorize(
        objects(scores["question_type"].astype(object)) + "\x1f" + objects(scores["score_name"])
    )
    weights = policy_weights(frame, policy, claimant=by, owner=owner)
    score = scores["score"].to_numpy(dtype=float)
    keep = (weights > 0) & np.isfinite(score)
    qcode = question_codes(frame, "question_id")
    if policy == "all" and per_forecast:
        unit_key = np.arange(len(frame), dtype=np.int64)
    else:
        unit_key = (qcode * (len(groups) + 1) + owner) * (len(leagues) + 1) + league_codes
    unit_key = unit_key[keep]
    uniq, unit = np.unique(unit_key, return_inverse=True)
    unit = unit.ravel()
    n_units = len(uniq)
    w = weights[keep] if policy != "all" else np.ones(int(keep.sum()))
    total = np.bincount(unit, w, n_units)
    first = np.full(n_units, -1, dtype=np.int64)
    idx = np.flatnonzero(keep)
    first[unit[::-1]] = idx[::-1]

    def mean(values: np.ndarray) -> np.ndarray:
        v = values[keep]
        has = np.isfinite(v)
        wv = np.where(has, w, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.bincount(unit, wv * np.where(has, v, 0.0), n_units)
            t = np.bincount(unit, wv, n_units)
            return np.where(t > 0, s / np.where(t > 0, t, 1), np.nan)

    if "question_id" in frame.columns:
        qid = objects(frame["question_id"])
        if "claim_id" in frame.columns and pd.isna(qid).any():
            qid = np.where(pd.isna(qid), objects(frame["claim_id"]), qid)
    else:
        qid = np.array([f"row-{i}" for i in range(len(frame))], dtype=object)
    out = pd.DataFrame(
        {
            "group": np.asarray(groups, dtype=object)[owner[first]],
            "question_id": qid[first],
            "question_type": scores["question_type"].to_numpy(dtype=object)[first],
            "score_name": scores["score_name"].to_numpy(dtype=object)[first],
            "score": np.bincount(unit, w * score[keep], n_units) / total,
            **{c: mean(scores[c].to_numpy(dtype=float)) for c in SCORE_COLUMNS},
            "n_forecasts": np.bincount(unit, minlength=n_units).astype(np.int64),
        }
    )
    return out


def relative_units(units: pd.DataFrame) -> pd.DataFrame:
    """``units`` with ``n_forecasters`` (groups scored on the question in the league),
    ``shared`` (two or more) and ``median_others`` (the median score of the other groups)."""
    key = units["question_type"].astype(str) + "\x1f" + units["score_name"].astype(str)
    q = pd.factorize(key + "\x1f" + units["question_id"].astype(str))[0]
    k = np.bincount(q)[q] if len(q) else np.array([], dtype=np.int64)
    score = units["score"].to_numpy(dtype=float)
    med = leave_one_out_median(score, q) if len(q) else np.array([])
    shared = k >= 2
    return units.assign(
        n_forecasters=k.astype(np.int64), shared=shared, median_others=np.where(shared, med, np.nan)
    )


def typed_score_table(
    claims: pd.DataFrame,
    points: pd.DataFrame | None,
    by: str = "claimant",
    *,
    questions: pd.DataFrame | None = None,
    policy: str = DEFAULT_POLICY,
    min_n: int = MIN_N,
    ci: bool = True,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: int = 0,
    eps: float | None = LOG_EPS,
) -> pd.DataFrame:
    """One row per (league, group) of the non-binary claims: :data:`TYPED_COLUMNS`.

    ``n`` forecasts, ``n_open``/``n_ambiguous``/``n_annulled`` by status, ``n_resolved`` the
    scored units (forecasts under ``all``, questions under ``last``/``time-weighted``),
    ``n_unscored`` resolved forecasts without a score; ``score`` the league's score with its
    percentile bootstrap interval over the units (``ci``; Efron & Tibshirani 1993, ch. 13);
    the other score columns their means where they apply; ``relative_score`` and ``n_shared``
    on shared questions (module docstring); ``low_n``.
    """
    others = non_binary(claims)
    if not len(others):
        return pd.DataFrame(columns=TYPED_COLUMNS)
    require_columns(others, [by])
    pts = points if points is not None else _no_points()
    scores = forecast_scores(others, pts, questions=questions, eps=eps)
    units = question_units(
        others, pts, by=by, policy=policy, eps=eps, scores=scores, per_forecast=policy == "all"
    )
    per_question = (
        relative_units(question_units(others, pts, by=by, policy=policy, eps=eps, scores=scores))
        if policy == "all"
        else relative_units(units)
    )
    group = objects(others[by], "(none)")
    status = _status(others)
    counts = pd.DataFrame(
        {
            "question_type": objects(scores["question_type"].astype(object)),
            "score_name": scores["score_name"].to_numpy(),
            "group": group,
            "n": 1,
            "n_open": status == "open",
            "n_ambiguous": status == "ambiguous",
            "n_annulled": status == "annulled",
            "n_unscored": scores["resolved"].to_numpy() & ~np.isfinite(scores["score"].to_numpy()),
        }
    )
    keys = ["question_type", "score_name", "group"]
    table = counts.groupby(keys, sort=True).sum().reset_index()
    shared = per_question[per_question["shared"]]
    shared = shared.assign(_ratio=shared["score_name"].isin(RATIO_SCORES))
    stats = units.groupby(keys, sort=True).agg(
        n_resolved=("score", "size"),
        score=("score", "mean"),
        **{c: (c, "mean") for c in SCORE_COLUMNS},
    )
    sums = (
        shared.assign(diff=shared["score"] - shared["median_others"])
        .groupby(keys)
        .agg(
            n_shared=("score", "size"),
            s=("score", "sum"),
            m=("median_others", "sum"),
            d=("diff", "mean"),
            ratio=("_ratio", "first"),
        )
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        sums["relative_score"] = np.where(sums["ratio"], sums["s"] / sums["m"], sums["d"])
    table = table.merge(stats.reset_index(), on=keys, how="left").merge(
        sums[["n_shared", "relative_score"]].reset_index(), on=keys, how="left"
    )
    table["n_resolved"] = table["n_resolved"].fillna(0).astype(np.int64)
    table["n_shared"] = table["n_shared"].fillna(0).astype(np.int64)
    table["score_low"] = np.nan
    table["score_high"] = np.nan
    if ci and len(units):
        from forecastkit.scoring.group_means import bootstrap_means

        label = units["question_type"] + "\x1f" + units["score_name"] + "\x1f" + units["group"]
        bounds = bootstrap_means(
            units["score"].to_numpy(dtype=float),
            label.astype("string"),
            n_resamples=n_resamples,
            level=level,
            seed=seed,
        ).set_index("group")
        tkey = table["question_type"] + "\x1f" + table["score_name"] + "\x1f" + table["group"]
        table["score_low"] = tkey.map(bounds["low"]).astype(float).to_numpy()
        table["score_high"] = tkey.map(bounds["high"]).astype(float).to_numpy()
    table["low_n"] = table["n_resolved"] < min_n
    for col in ("n", "n_open", "n_ambiguous", "n_annulled", "n_unscored"):
        table[col] = table[col].astype(np.int64)
    return table[TYPED_COLUMNS]


def _no_points() -> pd.DataFrame:
    return pd.DataFrame(columns=["claim_id", "form", "option", "x", "p"])


def score_tables(
    claims: pd.DataFrame,
    points: pd.DataFrame | None = None,
    by: str | None = "claimant",
    *,
    questions: pd.DataFrame | None = None,
    **options: Any,
) -> ScoreTables:
    """:class:`ScoreTables`: the binary table of ``score_table`` (the binary claims only, so
    its rows equal those of a binary-only corpus) and :func:`typed_score_table`.  ``options``
    go to both (``min_n``, ``ci``, ``n_resamples``, ``level``, ``seed``, ``eps``, ``policy``);
    the binary-only ones (``original_brier``, ``relative``) to ``score_table`` alone."""
    from forecastkit.scoring.grouped import score_table

    binary = binary_claims(claims)
    typed_options = {
        k: v
        for k, v in options.items()
        if k in ("min_n", "ci", "n_resamples", "level", "seed", "eps", "policy")
    }
    others = non_binary(claims)
    # nothing at all (a new project): the binary table's columns, so csv has its header
    has_binary = len(binary) > 0 or "question_type" not in claims.columns or not len(others)
    table = score_table(binary, by, **options) if has_binary else pd.DataFrame()
    if not len(others):
        return ScoreTables(binary=table, typed=pd.DataFrame(columns=TYPED_COLUMNS))
    if by is None or by not in others.columns:  # one group, or tags / year as in score_table
        from forecastkit.scoring.grouped import group_keys

        rows, keys = group_keys(others, by)
        others = rows.reset_index(drop=True).assign(_group=keys.astype("string").to_numpy())
        by = "_group"
    typed = typed_score_table(others, points, by, questions=questions, **typed_options)
    return ScoreTables(binary=table, typed=typed)
