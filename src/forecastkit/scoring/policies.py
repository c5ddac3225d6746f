"""Which of a claimant's forecasts on a question are scored, and with what weight.

A claimant may forecast one question several times (a pundit repeating or revising a forecast in
later articles, a tracker's updates). A *policy* says how those forecasts count:

- ``all``: every forecast is scored on its own, weight 1 (each claim its own event; the
  behaviour before questions existed);
- ``last``: only the claimant's last forecast made on or before the day the outcome became
  known (``resolved_on``; days are the finest unit the record has, so a forecast of that day
  counts);
- ``time-weighted``: each forecast weighted by how long it stood, from its ``made_on`` to the
  claimant's next forecast on the question or to the question's *close*, the earlier of
  ``resolved_on`` and ``resolve_by``. Forecasts made after the close are ignored; a claimant
  whose standing forecasts all fall on the close day gets the last one. This is Metaculus'
  time-averaging of a forecaster's score over the question's life (Metaculus, "Scores FAQ: Do
  all my predictions on a question count toward my score?",
  https://www.metaculus.com/help/scores-faq/), measured from the claimant's first forecast
  rather than the question's opening, since a published article has no opening date.

Under ``last`` and ``time-weighted`` a question counts once per claimant: the weights of one
claimant's forecasts on one question sum to 1. Pure functions over DataFrames shaped like
``corpus.claims`` (``claimant``, ``question_id``, ``made_on``, ``resolved_on``,
``question_resolve_by`` or ``resolve_by``, ``probability``, ``outcome``); a table without a
question column treats each row as its own question, where the three policies agree (but for a
forecast made after its own close, which ``last`` and ``time-weighted`` leave out).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecastkit.errors import ScoringError

#: Each policy and the sentence that says what it scores (report headers, ``forecastkit score``).
POLICY_TEXT = {
    "all": "every forecast scored on its own (a question counts once per forecast)",
    "last": "each claimant's last forecast before the outcome became known (a question counts "
    "once per claimant)",
    "time-weighted": "each forecast weighted by how long it stood before the question closed "
    "(a question counts once per claimant)",
}
POLICIES = tuple(POLICY_TEXT)

#: The default everywhere (``score``, ``report``, the notebooks): see docs/scoring.md, "Policies".
DEFAULT_POLICY = "time-weighted"

_NO_DAY = np.iinfo(np.int64).max  # "no close": a forecast stands indefinitely


def check_policy(policy: str) -> str:
    """``policy`` if it is one of :data:`POLICIES`, else a one-line :class:`ScoringError`."""
    if policy not in POLICIES:
        raise ScoringError(
            f"unknown policy '{policy}'", field="policy", hint=f"use one of {', '.join(POLICIES)}"
        )
    return policy


def counted_unit(policy: str) -> str:
    """What a score table's counts (``n``, ``n_resolved``) count under ``policy``: each
    forecast under ``all``, else each question once per claimant.

    >>> counted_unit("all"), counted_unit("time-weighted")
    ('forecasts', 'questions')
    """
    return "forecasts" if check_policy(policy) == "all" else "questions"


def policy_statement(policy: str) -> str:
    """The policy and what it scores, for a report's header or below a score table.

    >>> policy_statement("last")
    "last: each claimant's last forecast before the outcome became known (a question counts once per claimant)"
    """
    return f"{policy}: {POLICY_TEXT[check_policy(policy)]}"


def _days(values: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970 (int64), missing as :data:`_NO_DAY`."""
    dates = pd.to_datetime(values)
    days = dates.to_numpy(dtype="datetime64[D]").astype("int64")
    return np.where(dates.isna().to_numpy(), _NO_DAY, days)


def question_codes(forecasts: pd.DataFrame, question: str = "question_id") -> np.ndarray:
    """Integer code of each row's question; a table without ``question`` (or a missing value)
    makes each row its own question."""
    n = len(forecasts)
    if question not in forecasts.columns:
        return np.arange(n, dtype=np.int64)
    codes, uniques = pd.factorize(forecasts[question])
    own = np.arange(len(uniques), len(uniques) + n, dtype=np.int64)
    return np.where(codes < 0, own, codes).astype(np.int64)


def policy_weights(
    forecasts: pd.DataFrame,
    policy: str,
    *,
    claimant: str = "claimant",
    question: str = "question_id",
    owner: np.ndarray | None = None,
) -> np.ndarray:
    """The weight of each row under ``policy`` (0: not scored), in the table's order.

    ``owner`` (integer codes, one per row) replaces the claimant column: whose forecasts on a
    question are one history (``score_table`` scores each group's forecasts apart).

    ``all`` gives every row 1. ``last`` and ``time-weighted`` give each (claimant, question)
    weights summing to 1 (see the module docstring); rows of a claimant with no claimant value
    count as one claimant. Ties on ``made_on`` keep the table's order: the later row is the
    later forecast.

    Examples
    --------
    >>> t = pd.DataFrame({"claimant": ["a", "a", "a"], "question_id": ["q", "q", "q"],
    ...                   "made_on": pd.to_datetime(["2024-01-01", "2024-01-04", "2024-01-20"]),
    ...                   "resolved_on": pd.to_datetime(["2024-01-10"] * 3),
    ...                   "resolve_by": pd.to_datetime(["2024-02-01"] * 3)})
    >>> policy_weights(t, "time-weighted").tolist()   # 3 days, 6 days, after the close
    [0.3333333333333333, 0.6666666666666666, 0.0]
    >>> policy_weights(t, "last").tolist()
    [0.0, 1.0, 0.0]
    """
    check_policy(policy)
    n = len(forecasts)
    if policy == "all" or n == 0:
        return np.ones(n)
    qcode = question_codes(forecasts, question)
    if question in forecasts.columns and "made_on" not in forecasts.columns:
        raise ScoringError(
            "no column 'made_on'",
            field="made_on",
            hint=f"the '{policy}' policy orders a claimant's forecasts by made_on; "
            "use --policy all for a table without dates",
        )
    made = _days(forecasts["made_on"]) if "made_on" in forecasts.columns else np.zeros(n, "int64")
    resolved = (
        _days(forecasts["resolved_on"])
        if "resolved_on" in forecasts.columns
        else np.full(n, _NO_DAY)
    )
    by_col = next(
        (c for c in ("question_resolve_by", "resolve_by") if c in forecasts.columns), None
    )
    deadline = _days(forecasts[by_col]) if by_col else np.full(n, _NO_DAY)
    if question not in forecasts.columns:
        # every row its own question: a forecast counts whole if it was made by the close
        close = resolved if policy == "last" else np.minimum(resolved, deadline)
        return (made <= close).astype(float)
    # One close per question: its outcome's day, its deadline (the latest one given).
    n_q = int(qcode.max()) + 1
    q_resolved = np.full(n_q, _NO_DAY)
    np.minimum.at(q_resolved, qcode, resolved)
    q_deadline = np.where(deadline == _NO_DAY, np.iinfo(np.int64).min, deadline)
    latest = np.full(n_q, np.iinfo(np.int64).min)
    np.maximum.at(latest, qcode, q_deadline)
    latest = np.where(latest == np.iinfo(np.int64).min, _NO_DAY, latest)
    close_of = q_resolved if policy == "last" else np.minimum(q_resolved, latest)
    close = close_of[qcode]

    if owner is not None:
        who = np.asarray(owner, dtype=np.int64)
    elif claimant in forecasts.columns:
        who = pd.factorize(forecasts[claimant])[0]
    else:
        who = np.zeros(n, dtype=np.int64)
    pair = qcode * (int(who.max()) + 2) + (who + 1)
    order = np.lexsort((np.arange(n), made, pair))
    p_sorted, m_sorted, c_sorted = pair[order], made[order], close[order]
    standing = m_sorted <= c_sorted  # forecasts after the close are ignored
    weights = np.zeros(n)
    if not standing.any():
        return weights
    idx = np.flatnonzero(standing)
    p_s, m_s, c_s = p_sorted[idx], m_sorted[idx], c_sorted[idx]
    last_of_pair = np.r_[p_s[1:] != p_s[:-1], True]
    if policy == "last":
        w = last_of_pair.astype(float)
    else:
        nxt = np.where(last_of_pair, c_s, np.r_[m_s[1:], 0])
        open_ended = last_of_pair & (c_s == _NO_DAY)  # no close yet: the last forecast stands
        duration = np.where(open_ended, 0, nxt - m_s).astype(float)
        starts = np.flatnonzero(np.r_[True, p_s[1:] != p_s[:-1]])
        group = np.cumsum(np.r_[True, p_s[1:] != p_s[:-1]]) - 1
        total = np.add.reduceat(duration, starts)[group]
        w = np.where(total > 0, duration / np.where(total > 0, total, 1), last_of_pair)
    weights[order[idx]] = w
    return weights


def apply_policy(
    forecasts: pd.DataFrame,
    policy: str,
    *,
    claimant: str = "claimant",
    question: str = "question_id",
) -> pd.DataFrame:
    """The rows scored under ``policy``, with their ``weight`` (see :func:`policy_weights`).

    ``all`` keeps every row (weight 1); ``last`` and ``time-weighted`` drop the rows of weight 0.
    """
    weights = policy_weights(forecasts, policy, claimant=claimant, question=question)
    out = forecasts.assign(weight=weights)
    return out if policy == "all" else out[weights > 0]


def policy_frame(
    forecasts: pd.DataFrame,
    policy: str,
    *,
    eps: float | None,
    claimant: str = "claimant",
    question: str = "question_id",
    probability: str = "probability",
    outcome: str = "outcome",
    keys: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.Series | None]:
    """The table :func:`forecastkit.scoring.grouped.score_table` scores under ``policy``, and
    the grouping ``keys`` of its rows (``keys``: one per row of ``forecasts``, or None).

    A claimant's forecasts are a history per group: the same claim in two groups (two tags, two
    variants of a table) is scored in each.

    ``all``: the table itself. ``last``: the last standing forecast of each (claimant,
    question). ``time-weighted``: one row per (claimant, question) with the columns of its last
    standing forecast, ``probability`` the time-weighted mean forecast, and ``_brier`` /
    ``_log_score`` the time-weighted mean scores, which replace the scores of the averaged
    forecast in the table (by convexity they are at least as large: changing one's mind costs).
    When no claimant has several standing forecasts on a question, ``time-weighted`` is ``last``.
    """
    if policy == "all":
        return forecasts, keys
    owner = None
    if keys is not None and question in forecasts.columns:  # else no claimant has two forecasts
        group = pd.factorize(keys.to_numpy())[0].astype(np.int64)
        who0 = (
            pd.factorize(forecasts[claimant])[0]
            if claimant in forecasts.columns
            else np.zeros(len(forecasts), dtype=np.int64)
        )
        owner = (group + 1) * (int(who0.max(initial=0)) + 2) + who0 + 1
    weights = policy_weights(forecasts, policy, claimant=claimant, question=question, owner=owner)
    kept = weights > 0
    if policy == "last" or np.all((weights == 0) | (weights == 1)):
        if kept.all():
            return forecasts, keys
        return forecasts[kept], (keys[kept] if keys is not None else None)
    from forecastkit.scoring.scores import log_losses

    rows = forecasts[kept]
    w = weights[kept]
    qcode = question_codes(forecasts, question)[kept]
    if owner is not None:
        who = owner[kept]
    else:
        who = (
            pd.factorize(rows[claimant])[0]
            if claimant in rows.columns
            else np.zeros(len(rows), dtype=np.int64)
        )
    unit = np.unique(qcode * (int(who.max()) + 2) + who + 1, return_inverse=True)[1].ravel()
    n_units = int(unit.max()) + 1
    p = pd.to_numeric(rows[probability], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(rows[outcome], errors="coerce").to_numpy(dtype=float)
    known = (y == 0) | (y == 1)
    safe_y = np.where(known, y, 0.0)
    with np.errstate(invalid="ignore"):
        losses = log_losses(safe_y, np.clip(np.nan_to_num(p, nan=0.5), 0, 1), eps)
    has_p = np.isfinite(p)
    w_p = np.where(has_p, w, 0.0)
    total = np.bincount(unit, w_p, n_units)

    def mean(values: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(unit, w_p * np.where(has_p, values, 0.0), n_units) / total

    made = _days(rows["made_on"]) if "made_on" in rows.columns else np.zeros(len(rows), "int64")
    order = np.lexsort((np.arange(len(rows)), made, unit))
    last = order[np.r_[unit[order][1:] != unit[order][:-1], True]]  # latest forecast per unit
    out = rows.iloc[last].copy()
    scored = known[last]
    out[probability] = mean(p)
    out["_brier"] = np.where(scored, mean((p - safe_y) ** 2), np.nan)
    out["_log_score"] = np.where(scored, mean(losses), np.nan)
    return out, (keys[kept].iloc[last] if keys is not None else None)


def time_weighted_scores(
    table: pd.DataFrame,
    brier: np.ndarray,
    log_score: np.ndarray,
    codes: np.ndarray,
    groups: list[str],
    *,
    ci: bool,
    n_resamples: int,
    level: float,
    seed: int,
    original_brier: bool = False,
) -> None:
    """Put the time-weighted scores of :func:`policy_frame` (per scored unit, ``codes`` its
    group) into a score table in place: ``brier``, ``log_score``, their skill scores and, with
    ``ci``, their intervals (a percentile bootstrap over the group's questions; the skill
    scores' intervals follow from the score's with ``unc`` held at its point value)."""
    n_groups = len(groups)
    n = np.bincount(codes, minlength=n_groups)
    scale = 2.0 if original_brier else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_brier = np.bincount(codes, brier, n_groups) / n
        mean_log = np.bincount(codes, log_score, n_groups) / n
    table["brier"] = scale * mean_brier
    table["log_score"] = mean_log
    unc = table["unc"].to_numpy(dtype=float) / scale
    unc_log = table["unc_log"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["bss_base_rate"] = np.where(unc > 0, 1 - mean_brier / unc, np.nan)
        table["bss_half"] = 1 - mean_brier / 0.25
        table["lss_base_rate"] = np.where(unc_log > 0, 1 - mean_log / unc_log, np.nan)
        table["lss_half"] = 1 - mean_log / np.log(2)
    if not ci:
        return
    from forecastkit.scoring.group_means import mean_intervals

    # one set of resamples for both scores (the draws depend on the groups' sizes and the seed)
    bounds = mean_intervals(
        [brier, log_score], codes, n_groups, n_resamples=n_resamples, level=level, seed=seed
    )
    for stat, (low, high) in zip(("brier", "log_score"), bounds, strict=True):
        if stat == "brier":
            table["brier_low"], table["brier_high"] = scale * low, scale * high
            with np.errstate(divide="ignore", invalid="ignore"):
                table["bss_base_rate_low"] = np.where(unc > 0, 1 - high / unc, np.nan)
                table["bss_base_rate_high"] = np.where(unc > 0, 1 - low / unc, np.nan)
            table["bss_half_low"], table["bss_half_high"] = 1 - high / 0.25, 1 - low / 0.25
        else:
            table["log_score_low"], table["log_score_high"] = low, high
