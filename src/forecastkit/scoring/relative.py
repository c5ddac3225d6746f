"""Relative scores: each claimant against the others who forecast the same questions.

A Brier score is comparable between claimants only on the same questions: an easy question
flatters everyone who forecast it. On *shared* questions (resolved true or false, with at least
two claimants scored on them) this module computes, per claimant and question, under a policy of
:mod:`forecastkit.scoring.policies`:

- **relative Brier**: the claimant's Brier score on the question minus the median Brier score of
  the *other* claimants on it; negative is better than the typical other forecaster. This is
  the relative Brier score of crowd-forecasting platforms (Cultivate Labs, "What are Relative
  Brier Scores and how are they calculated?", https://cultivatelabs.com/crowdsourced-forecasting-
  guide/what-are-net-brier-points-and-how-are-they-calculated; Fatebook and Good Judgment Open
  compare with the median forecaster the same way), with the claimant left out of the median so
  that a question with two forecasters is a plain comparison of the two;
- **peer score** (Metaculus): ``100 * (ln p - (1/(N-1)) * sum_j ln p_j)`` with ``p`` the
  probability the claimant gave the outcome that happened and ``p_j`` the others', i.e. 100 times
  the log of the ratio of the claimant's probability to the geometric mean of the others'
  (Metaculus, "Scores FAQ: What is the Peer score?", https://www.metaculus.com/help/scores-faq/).
  Positive is better than the others; the peer scores on one question sum to zero. Forecasts are
  clipped to ``[eps, 1 - eps]`` as for the log score (docs/scoring.md);
- **head-to-head**: for each pair of claimants, on the questions both forecast, how often each
  had the lower Brier score (a tie when equal).

A claimant's ``relative_brier`` and ``peer_score`` are the means over their shared questions,
with ``n_shared``; ``relative_brier_low/high`` is a percentile bootstrap interval over those
questions (Efron & Tibshirani 1993, ch. 13). Under a policy a claimant's score on a question is the
weighted mean of the scores of their forecasts on it (``all``: the plain mean of them), so each
question counts once per claimant here whatever the policy.

Everything is vectorised over (claimant, question) units: no Python loop over claimants or
questions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecastkit.errors import ScoringError
from forecastkit.scoring.group_means import bootstrap_means
from forecastkit.scoring.policies import DEFAULT_POLICY, policy_weights, question_codes
from forecastkit.scoring.scores import CI_LEVEL, LOG_EPS, N_RESAMPLES

#: Head-to-head counts go in one bin per possible pair of claimants up to this many pairs (8
#: bytes each, three arrays); beyond, only the pairs that occur are numbered (a sort of the
#: pairs). 2,205 claimants (PredictionBook) would be 4.9 million bins, 100 MB at once.
DENSE_PAIRS = 1_000_000
#: A claimant needs this many shared questions to be ranked in a relative league table.
MIN_SHARED = 5

UNIT_COLUMNS = ["claimant", "question_id", "outcome", "probability", "brier", "log_score",
                "n_forecasts"]  # fmt: skip
RELATIVE_COLUMNS = ["relative_brier", "relative_brier_low", "relative_brier_high", "peer_score",
                    "n_shared"]  # fmt: skip


@dataclass(frozen=True)
class RelativeScores:
    """``table``: one row per claimant (``claimant``, :data:`RELATIVE_COLUMNS`), claimants
    without shared questions included with ``n_shared`` 0. ``units``: one row per (claimant,
    question) scored: :data:`UNIT_COLUMNS`, ``n_forecasters`` on the question, ``shared``,
    ``median_others_brier``, ``relative_brier``, ``peer_score``. ``head_to_head``: one row per
    ordered pair of claimants sharing questions: ``claimant``, ``opponent``, ``n_shared``,
    ``wins``, ``losses``, ``ties`` (each pair appears both ways)."""

    table: pd.DataFrame
    units: pd.DataFrame
    head_to_head: pd.DataFrame


def _resolved(forecasts: pd.DataFrame, probability: str, outcome: str) -> np.ndarray:
    y = pd.to_numeric(forecasts[outcome], errors="coerce").to_numpy(dtype=float)
    p = pd.to_numeric(forecasts[probability], errors="coerce").to_numpy(dtype=float)
    keep = ((y == 0) | (y == 1)) & np.isfinite(p)
    if "status" in forecasts.columns:
        status = forecasts["status"].astype("string")
        keep &= status.isin(["true", "false"]).fillna(False).to_numpy(dtype=bool)
    if "kind" in forecasts.columns:
        keep &= (forecasts["kind"].astype("string").fillna("forecast") == "forecast").to_numpy()
    return keep


def question_scores(
    forecasts: pd.DataFrame,
    policy: str = DEFAULT_POLICY,
    *,
    eps: float | None = LOG_EPS,
    claimant: str = "claimant",
    question: str = "question_id",
    probability: str = "probability",
    outcome: str = "outcome",
) -> pd.DataFrame:
    """One row per (claimant, question) resolved true or false: :data:`UNIT_COLUMNS`.

    ``brier`` and ``log_score`` are the policy-weighted means of the scores of the claimant's
    forecasts on the question (``all``: equal weights), ``probability`` the weighted mean
    forecast, ``n_forecasts`` how many forecasts had weight. Open, ambiguous and annulled
    questions and forecasts without a probability are left out.
    """
    for col in (claimant, probability, outcome):
        if col not in forecasts.columns:
            raise ScoringError(
                f"no column '{col}'",
                field=col,
                hint=f"the table has {', '.join(map(str, forecasts.columns))}",
            )
    weights = policy_weights(forecasts, policy, claimant=claimant, question=question)
    keep = _resolved(forecasts, probability, outcome) & (weights > 0)
    # only the columns read below: the corpus' 40-odd columns copied were 16 MB on PredictionBook
    used = [c for c in dict.fromkeys((claimant, question, probability, outcome)) if c in forecasts]
    rows = forecasts[used][keep]
    w = weights[keep]
    qcode = question_codes(forecasts, question)[keep]
    if question in rows.columns and rows[question].notna().all():
        qnames = pd.factorize(forecasts[question])[1].astype(str)  # the codes of question_codes
    else:  # rows without a question are their own: name them by row
        qnames = pd.Index([f"row-{i}" for i in range(int(qcode.max(initial=-1)) + 1)])
        if question in rows.columns:
            known = pd.factorize(forecasts[question])[1].astype(str)
            qnames = pd.Index(list(known) + list(qnames[len(known) :]))
    who, names = pd.factorize(rows[claimant].astype("string").fillna("(none)"), sort=True)
    y = pd.to_numeric(rows[outcome]).to_numpy(dtype=float)
    p = pd.to_numeric(rows[probability]).to_numpy(dtype=float)
    if ((p < 0) | (p > 1)).any():
        raise ScoringError(
            "probability contains values outside [0, 1]",
            field=probability,
            hint="probabilities are numbers in [0, 1] (0.7, not 70)",
        )
    pc = np.clip(p, eps, 1 - eps) if eps is not None else p
    with np.errstate(divide="ignore"):
        log = -(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    unit_codes = np.unique(qcode * (len(names) + 1) + who, return_inverse=True)[1].ravel()
    n_units = int(unit_codes.max()) + 1 if len(unit_codes) else 0
    total = np.bincount(unit_codes, w, n_units)
    if policy == "all":  # equal weights within a unit
        w = np.ones_like(w)
        total = np.bincount(unit_codes, w, n_units)
    first = np.full(n_units, -1)
    first[unit_codes[::-1]] = np.arange(len(unit_codes))[::-1]

    def mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(unit_codes, w * values, n_units) / total

    return pd.DataFrame(
        {
            "claimant": pd.Categorical.from_codes(who[first], pd.Index(names.astype(str))),
            "question_id": pd.Categorical.from_codes(qcode[first], qnames),
            "outcome": y[first],
            "probability": mean(p),
            "brier": mean((p - y) ** 2),
            "log_score": mean(log),
            "n_forecasts": np.bincount(unit_codes, minlength=n_units).astype(np.int64),
        }
    )


def leave_one_out_median(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """For each element, the median of the *other* elements of its group (NaN if alone).

    Sort by (group, value); an element of rank ``r`` in a group of ``k`` leaves ``m = k - 1``
    values whose middle position(s) ``i`` map back to rank ``i + (i >= r)``.
    """
    order = np.lexsort((values, group))
    g, v = group[order], values[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, len(g)])
    start_of, size_of = np.repeat(starts, sizes), np.repeat(sizes, sizes)
    rank = np.arange(len(g)) - start_of
    m = size_of - 1
    lo, hi = (m - 1) // 2, m // 2

    def at(i: np.ndarray) -> np.ndarray:
        return v[np.clip(start_of + i + (i >= rank), 0, len(v) - 1)]

    med = np.where(m >= 1, (at(lo) + at(hi)) / 2, np.nan)
    out = np.empty_like(med)
    out[order] = med
    return out


def head_to_head(units: pd.DataFrame) -> pd.DataFrame:
    """Wins, losses and ties per ordered pair of claimants on the questions both forecast
    (lower Brier score wins), from :func:`question_scores` rows."""
    q = pd.factorize(units["question_id"])[0]
    who, names = pd.factorize(units["claimant"], sort=True)
    brier = units["brier"].to_numpy(dtype=float)
    order = np.lexsort((who, q))
    q, who, brier = q[order], who[order], brier[order]
    starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]]) if len(q) else np.array([], int)
    sizes = np.diff(np.r_[starts, len(q)])
    start_of, size_of = np.repeat(starts, sizes), np.repeat(sizes, sizes)
    rank = np.arange(len(q)) - start_of
    later = size_of - 1 - rank  # partners after each unit in its question
    b = np.repeat(np.arange(len(q)) + 1, later)  # the first partner of each unit, then step up
    b += np.arange(len(b)) - np.repeat(np.cumsum(later) - later, later)
    # Within a question units are sorted by claimant code and a claimant has one unit, so the
    # first of a pair always has the lower code: no min/max needed.
    diff = np.repeat(brier, later) - brier[b]
    tie = np.abs(diff) <= 1e-12
    n = max(len(names), 1)
    code = np.repeat(who.astype(np.int64) * n, later) + who[b]
    if n * n <= DENSE_PAIRS:  # count per unordered pair, bins numbered by the pair's codes
        size, codes = n * n, code
    else:  # many claimants: number only the pairs that occur
        codes_u, codes = np.unique(code, return_inverse=True)
        size = len(codes_u)
    shared = np.bincount(codes, minlength=size)
    wins_lo = np.bincount(codes, (diff < 0) & ~tie, size).astype(np.int64)
    ties = np.bincount(codes, tie, size).astype(np.int64)
    present = np.flatnonzero(shared)
    pair = present if n * n <= DENSE_PAIRS else codes_u[present]
    first, second = pair // n, pair % n
    k, w, d = shared[present].astype(np.int64), wins_lo[present], ties[present]
    label = pd.Index(names.astype(str))
    # each pair both ways: first the claimant earlier in name order, then the other
    return pd.DataFrame(
        {
            "claimant": pd.Categorical.from_codes(np.r_[first, second], label),
            "opponent": pd.Categorical.from_codes(np.r_[second, first], label),
            "n_shared": np.r_[k, k],
            "wins": np.r_[w, k - w - d],
            "losses": np.r_[k - w - d, w],
            "ties": np.r_[d, d],
        }
    )


def relative_scores(
    forecasts: pd.DataFrame,
    policy: str = DEFAULT_POLICY,
    *,
    ci: bool = True,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: int = 0,
    eps: float | None = LOG_EPS,
    claimant: str = "claimant",
    question: str = "question_id",
    probability: str = "probability",
    outcome: str = "outcome",
) -> RelativeScores:
    """Relative Brier, peer score and head-to-head records on shared questions (module
    docstring), under ``policy``; ``ci`` adds the bootstrap interval of ``relative_brier``."""
    units = question_scores(
        forecasts,
        policy,
        eps=eps,
        claimant=claimant,
        question=question,
        probability=probability,
        outcome=outcome,
    )
    q, _ = pd.factorize(units["question_id"])
    k = np.bincount(q, minlength=q.max() + 1 if len(q) else 0)[q] if len(q) else np.array([], int)
    brier = units["brier"].to_numpy(dtype=float)
    log = units["log_score"].to_numpy(dtype=float)
    shared = k >= 2
    med = leave_one_out_median(brier, q) if len(q) else np.array([])
    log_sum = np.bincount(q, log)[q] if len(q) else np.array([])
    with np.errstate(divide="ignore", invalid="ignore"):
        others_log = (log_sum - log) / (k - 1)
        peer = np.where(shared, 100 * (others_log - log), np.nan)
    units = units.assign(
        n_forecasters=k.astype(np.int64),
        shared=shared,
        median_others_brier=np.where(shared, med, np.nan),
        relative_brier=np.where(shared, brier - med, np.nan),
        peer_score=peer,
    )
    everyone = pd.Series(
        forecasts[claimant].astype("string").fillna("(none)").unique(), dtype="string"
    ).sort_values(ignore_index=True)
    on_shared = units[units["shared"]]
    agg = on_shared.groupby("claimant", sort=True).agg(
        relative_brier=("relative_brier", "mean"),
        peer_score=("peer_score", "mean"),
        n_shared=("relative_brier", "size"),
    )
    table = pd.DataFrame({"claimant": everyone}).merge(agg.reset_index(), on="claimant", how="left")
    table["n_shared"] = table["n_shared"].fillna(0).astype(np.int64)
    table["relative_brier_low"] = np.nan
    table["relative_brier_high"] = np.nan
    if ci and len(on_shared):
        bounds = bootstrap_means(
            on_shared["relative_brier"].to_numpy(),
            on_shared["claimant"],
            n_resamples=n_resamples,
            level=level,
            seed=seed,
        )
        bounds = bounds.rename(
            columns={
                "group": "claimant",
                "low": "relative_brier_low",
                "high": "relative_brier_high",
            }
        )
        table = table.drop(columns=["relative_brier_low", "relative_brier_high"]).merge(
            bounds, on="claimant", how="left"
        )
    table = table[["claimant", *RELATIVE_COLUMNS]]
    return RelativeScores(
        table=table, units=units.reset_index(drop=True), head_to_head=head_to_head(on_shared)
    )
