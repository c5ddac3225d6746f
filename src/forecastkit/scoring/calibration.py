"""Calibration and discrimination of probability forecasts: CORP, reliability diagrams, Murphy.

The core is isotonic (PAV) recalibration, vectorised over many groups at once: tied forecasts
of a group are pooled into one weighted point (by counting, when the forecasts take few distinct
values as trackers' whole percents do; by sorting otherwise), and a single
pool-adjacent-violators fit runs over all groups' points (rounds of parallel pooling, finished
by ``scipy.optimize.isotonic_regression`` when forecasts take many values), without ever
pooling across a group boundary.  Everything else is sums per group (``np.bincount``), so
2,000 claimants cost about as much as one.  SciPy is imported only where it is needed.

Functions take ``(outcome, probability)`` like :mod:`forecastkit.scoring.scores` and validate them the
same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from forecastkit.errors import ScoringError
from forecastkit.scoring.scores import (
    LOG_EPS,
    Seed,
    binary_entropy,
    check_forecasts,
    log_losses,
    rng_from,
)

ScoreName = Literal["brier", "log"]


@dataclass(frozen=True)
class Decomposition:
    """A score split as ``score = mcb - dsc + unc`` (CORP or Murphy), with its sample size."""

    score_name: str
    score: float
    mcb: float
    dsc: float
    unc: float
    n: int


# --------------------------------------------------------------------------- PAV recalibration


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x * log(y)``, 0 where ``x`` is 0 (as ``scipy.special.xlogy``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(np.where(x == 0, 1.0, y)))


_erfc = np.frompyfunc(math.erfc, 1, 1)


def _normal_two_sided(z: np.ndarray) -> np.ndarray:
    """Two-sided standard normal tail ``P(|Z| > |z|) = erfc(|z| / sqrt 2)``; NaN stays NaN."""
    return _erfc(np.abs(np.asarray(z, dtype=float)) / math.sqrt(2)).astype(float)


def _dense_codes(codes: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... for a sorted code array (so offsets stay small whatever the codes are)."""
    out = np.zeros(len(codes), dtype=np.int64)
    if len(codes) > 1:
        np.cumsum(codes[1:] != codes[:-1], out=out[1:])
    return out


#: Rounds of parallel pooling before the rest of a PAV fit goes to SciPy (see _pav_points).
PARALLEL_POOL_ROUNDS = 32


def _pav_points(group: np.ndarray, weight: np.ndarray, events: np.ndarray) -> np.ndarray:
    """PAV fit of the pooled points of every group (sorted by group, then forecast): the
    fitted event rate of each point. ``weight`` claims of a point, ``events`` of them true.

    First, rounds of parallel pooling: every adjacent pair of blocks of a group whose means
    violate the order is pooled at once. Pooling any adjacent violators is a step of PAV, whose
    result does not depend on the order of its steps (Ayer et al. 1955; Best & Chakravarti
    1990, *Math. Programming* 47:425, sec. 2), so when no violator is left this is the PAV fit.
    Points rounded as trackers round them (99 values per group) need about 15 rounds of vector
    operations. Forecasts with many distinct values can need as many rounds as points, so after
    :data:`PARALLEL_POOL_ROUNDS` the blocks so far go to ``scipy.optimize.isotonic_regression``
    (the same fit, in one linear pass), which is imported only then.
    """
    if len(weight) == 0:
        return np.empty(0)
    w, e, g = weight, events, group
    block = np.arange(len(weight))  # each point's block
    for _ in range(PARALLEL_POOL_ROUNDS):
        with np.errstate(invalid="ignore"):
            mean = e / w
        violated = (mean[:-1] > mean[1:]) & (g[:-1] == g[1:])
        if not violated.any():
            return mean[block]
        first = np.flatnonzero(np.r_[True, ~violated])
        block = (np.cumsum(np.r_[True, ~violated]) - 1)[block]
        w, e, g = np.add.reduceat(w, first), np.add.reduceat(e, first), g[first]
    from scipy.optimize import isotonic_regression

    # Each group sits 2 above the last, beyond the reach of any [0, 1] mean, so no pool crosses
    # a group boundary; the pooled means are then recomputed from exact sums.
    shifted = e / w + 2.0 * _dense_codes(g)
    blocks = isotonic_regression(shifted, weights=w).blocks
    block_starts = blocks[:-1]
    fitted = np.add.reduceat(e, block_starts) / np.add.reduceat(w, block_starts)
    return np.repeat(fitted, np.diff(blocks))[block]


def _pav_sorted(codes: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """PAV fit of ``y`` on ``x`` within each group; input sorted by (codes, x); ties pooled."""
    n = len(x)
    if n == 0:
        return np.empty(0)
    new = np.ones(n, dtype=bool)
    new[1:] = (codes[1:] != codes[:-1]) | (x[1:] != x[:-1])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, n))
    fitted = _pav_points(codes[starts], counts.astype(float), np.add.reduceat(y, starts))
    return np.repeat(fitted, counts)


#: Pool by counting when groups x distinct forecasts is at most this many cells (or 4 per claim).
_COUNTING_CELLS = 1 << 22


def pooled_points(
    outcome: np.ndarray, probability: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The tied forecasts of each group pooled: ``(group, weight, events, point)``.

    Points are sorted by (group, forecast); ``point[i]`` is claim ``i``'s point. When groups x
    distinct forecasts is small (a tracker's whole percents: 2,000 groups x 99 values), the
    points are counted into a (group, forecast) grid in one pass, with no sort of the claims.
    """
    n = len(probability)
    if n == 0:
        empty = np.empty(0)
        return empty.astype(np.int64), empty, empty, empty.astype(np.int64)
    value_code, values = pd.factorize(probability)
    rank = np.empty(len(values), dtype=np.int64)
    by_value = np.argsort(values, kind="stable")
    rank[by_value] = np.arange(len(values))
    k = len(values)
    n_groups = int(codes.max()) + 1
    if n_groups * k <= max(_COUNTING_CELLS, 4 * n):
        cell = codes.astype(np.int64) * k + rank[value_code]
        weight = np.bincount(cell, minlength=n_groups * k).astype(float)
        used = np.flatnonzero(weight)
        events = np.bincount(cell, weights=outcome, minlength=n_groups * k)[used]
        position = np.empty(n_groups * k, dtype=np.int64)
        position[used] = np.arange(len(used))
        return used // k, weight[used], events, position[cell]
    # Many distinct forecasts: sort by forecast, then stably by group (small integer codes
    # take numpy's radix sort, faster than a lexsort).
    by_forecast = np.argsort(probability, kind="stable")
    small = codes.astype(np.int16) if codes.min() >= 0 and codes.max() < 2**15 else codes
    order = by_forecast[np.argsort(small[by_forecast], kind="stable")]
    c, x = codes[order], probability[order]
    new = np.ones(n, dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (x[1:] != x[:-1])
    starts = np.flatnonzero(new)
    point = np.empty(n, dtype=np.int64)
    point[order] = np.cumsum(new) - 1
    return (
        c[starts].astype(np.int64),
        np.diff(np.append(starts, n)).astype(float),
        np.add.reduceat(outcome[order], starts),
        point,
    )


def recalibrate_by_group(
    outcome: np.ndarray, probability: np.ndarray, codes: np.ndarray
) -> np.ndarray:
    """Isotonic recalibration within each group (no validation); values in input order.

    ``codes`` are integer group codes.  Tied forecasts of a group share one value: the PAV fit
    of the pooled outcomes (Dimitriadis, Gneiting & Jordan 2021, "secondary" handling of ties;
    reliabilitydiag gets the same pools by sorting outcomes 1 before 0 within a tie).
    """
    group, weight, events, point = pooled_points(outcome, probability, codes)
    return _pav_points(group, weight, events)[point]


def recalibrate(outcome: ArrayLike, probability: ArrayLike) -> np.ndarray:
    """Conditional event probabilities: the isotonic (PAV) recalibration of the forecasts.

    The value for forecast ``p`` estimates P(outcome = 1 | forecast = p) under the constraint
    that it rises with ``p``; it is the "CEP" curve of a CORP reliability diagram.  Tied
    forecasts get one value.

    References
    ----------
    Ayer, M. et al. (1955). An empirical distribution function for sampling with incomplete
    information. *Ann. Math. Statist.* 26(4), 641–647 (PAV).  Dimitriadis, T., Gneiting, T. &
    Jordan, A. I. (2021). Stable reliability diagrams for probabilistic classifiers. *PNAS*
    118(8), e2016191118.

    Examples
    --------
    >>> recalibrate([0, 0, 0, 1, 1, 1], [0.4, 0.3, 0.2, 0.1, 0.5, 0.9]).round(3).tolist()
    [0.25, 0.25, 0.25, 0.25, 1.0, 1.0]
    """
    y, p = check_forecasts(outcome, probability)
    return recalibrate_by_group(y, p, np.zeros(len(p), dtype=np.int64))


# --------------------------------------------------------------------------- CORP decomposition


def corp_by_group(
    outcome: np.ndarray,
    probability: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    *,
    eps: float | None = LOG_EPS,
) -> dict[str, np.ndarray]:
    """CORP components of the Brier and log scores for every group at once (no validation).

    ``codes`` are integers in ``range(n_groups)``.  Returns arrays of length ``n_groups``:
    ``n, base_rate, brier, mcb, dsc, unc, log_score, mcb_log, dsc_log, unc_log`` (NaN for
    empty groups).  The log score uses forecasts clipped to ``[eps, 1 - eps]``
    (see :func:`forecastkit.scoring.scores.log_score`) so that ``log_score`` equals the reported score.
    """
    n = np.bincount(codes, minlength=n_groups).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.bincount(codes, weights=outcome, minlength=n_groups) / n
        group, weight, events, _ = pooled_points(outcome, probability, codes)
        fitted = _pav_points(group, weight, events)
        misses = weight - events

        def mean(values: np.ndarray, by: np.ndarray = codes) -> np.ndarray:
            return np.bincount(by, weights=values, minlength=n_groups) / n

        brier = mean((probability - outcome) ** 2)
        # a point's claims all get its fitted value f: events score (1 - f)^2, misses f^2
        brier_fitted = mean(events * (1 - fitted) ** 2 + misses * fitted**2, group)
        unc = rate * (1 - rate)
        log = mean(log_losses(outcome, probability, eps))
        # The fitted value is 0 or 1 only for a pool whose outcomes are all 0 or all 1, where
        # the loss is 0 (0 ln 0 = 0), so the recalibrated log loss is always finite.
        log_fitted = mean(-_xlogy(events, fitted) - _xlogy(misses, 1 - fitted), group)
        unc_log = binary_entropy(rate)
    return {
        "n": n,
        "base_rate": rate,
        "brier": brier,
        # + 0.0 turns the -0.0 of a perfectly calibrated or uninformative forecast into 0.0
        "mcb": brier - brier_fitted + 0.0,
        "dsc": unc - brier_fitted + 0.0,
        "unc": unc,
        "log_score": log,
        "mcb_log": log - log_fitted + 0.0,
        "dsc_log": unc_log - log_fitted + 0.0,
        "unc_log": unc_log,
    }


def corp_decomposition(
    outcome: ArrayLike,
    probability: ArrayLike,
    *,
    score: ScoreName = "brier",
    eps: float | None = LOG_EPS,
) -> Decomposition:
    r"""CORP decomposition of the mean Brier or log score: S = MCB − DSC + UNC.

    With :math:`\hat p` the isotonic (PAV) recalibration of the forecasts :math:`p` and
    :math:`\bar y` the base rate,

    .. math:: \mathrm{MCB} = \bar S(p) - \bar S(\hat p), \quad
              \mathrm{DSC} = \bar S(\bar y) - \bar S(\hat p), \quad
              \mathrm{UNC} = \bar S(\bar y).

    MCB ≥ 0 is miscalibration (0 for calibrated forecasts), DSC ≥ 0 discrimination (higher is
    better), UNC the score of always forecasting the base rate.  The log score is in nats,
    with forecasts clipped to ``[eps, 1 - eps]`` as in :func:`forecastkit.scoring.scores.log_score`.

    References
    ----------
    Dimitriadis, T., Gneiting, T. & Jordan, A. I. (2021). Stable reliability diagrams for
    probabilistic classifiers. *PNAS* 118(8), e2016191118, eq. (4) and Table 1.

    Examples
    --------
    >>> d = corp_decomposition([0, 0, 0, 1, 1, 1], [0.4, 0.3, 0.2, 0.1, 0.5, 0.9])
    >>> round(d.score, 7), round(d.mcb, 7), round(d.dsc, 7), d.unc
    (0.2266667, 0.1016667, 0.125, 0.25)
    """
    y, p = check_forecasts(outcome, probability)
    if score not in ("brier", "log"):
        raise ScoringError(f"unknown score {score!r}", field="score", hint="use 'brier' or 'log'")
    parts = corp_by_group(y, p, np.zeros(len(y), dtype=np.int64), 1, eps=eps)
    suffix = "" if score == "brier" else "_log"
    total = "brier" if score == "brier" else "log_score"
    return Decomposition(
        score,
        float(parts[total][0]),
        float(parts["mcb" + suffix][0]),
        float(parts["dsc" + suffix][0]),
        float(parts["unc" + suffix][0]),
        len(y),
    )


# --------------------------------------------------------------------------- reliability diagrams


def reliability_diagram(
    outcome: ArrayLike,
    probability: ArrayLike,
    *,
    level: float = 0.9,
    n_resamples: int = 1000,
    seed: Seed = 0,
) -> pd.DataFrame:
    """CORP reliability diagram: the PAV curve and a consistency band, one row per forecast value.

    Columns: ``forecast`` (each distinct forecast value), ``n`` (forecasts with that value),
    ``observed`` (share of outcomes 1 among them), ``cep`` (the PAV-recalibrated conditional
    event probability, the curve to draw), and ``band_low``/``band_high``: where the curve of a
    *calibrated* forecaster making these same forecasts would fall with probability ``level``.
    The band comes from ``n_resamples`` outcome sets drawn as Bernoulli(forecast), each
    recalibrated by PAV; its bounds are the pointwise quantiles.  A curve outside the band is
    evidence of miscalibration at that forecast value.

    Memory grows as ``n_resamples`` × distinct forecasts; lower ``n_resamples`` for large
    samples of continuous forecasts.

    References
    ----------
    Dimitriadis, T., Gneiting, T. & Jordan, A. I. (2021). Stable reliability diagrams for
    probabilistic classifiers. *PNAS* 118(8), e2016191118, section "Uncertainty quantification".
    Bröcker, J. & Smith, L. A. (2007). Increasing the reliability of reliability diagrams.
    *Weather and Forecasting* 22(3), 651–661 (consistency resampling).
    """
    y, p = check_forecasts(outcome, probability)
    if not 0 < level < 1:
        raise ScoringError(f"level must be between 0 and 1; got {level}", field="level")
    order = np.argsort(p, kind="stable")
    ps, ys = p[order], y[order]
    values, first, counts = np.unique(ps, return_index=True, return_counts=True)
    cep = _pav_sorted(np.zeros(len(ps), dtype=np.int64), ps, ys)[first]
    observed = np.add.reduceat(ys, first) / counts
    rng = rng_from(seed)
    chunk = max(1, 2_000_000 // len(ps))
    curves = []
    for start in range(0, n_resamples, chunk):
        k = min(chunk, n_resamples - start)
        draws = (rng.random((k, len(ps))) < ps).astype(float).ravel()
        codes = np.repeat(np.arange(k), len(ps))
        fitted = _pav_sorted(codes, np.tile(ps, k), draws).reshape(k, len(ps))
        curves.append(fitted[:, first])
    band_low, band_high = np.quantile(np.vstack(curves), [(1 - level) / 2, (1 + level) / 2], axis=0)
    return pd.DataFrame(
        {
            "forecast": values,
            "n": counts,
            "observed": observed,
            "cep": cep,
            "band_low": band_low,
            "band_high": band_high,
        }
    )


def proportion_interval(
    events: ArrayLike,
    n: ArrayLike,
    *,
    method: Literal["wilson", "jeffreys"] = "wilson",
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Confidence interval for a binomial proportion ``events / n`` (elementwise).

    ``wilson``: the score interval,
    :math:`\frac{\hat\pi + z^2/2n \pm z\sqrt{\hat\pi(1-\hat\pi)/n + z^2/4n^2}}{1 + z^2/n}`.
    ``jeffreys``: the equal-tailed Beta(events + ½, n − events + ½) interval, with the lower
    bound 0 when events = 0 and the upper bound 1 when events = n.  NaN where ``n`` is 0.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *JASA* 22(158), 209–212.  Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval
    estimation for a binomial proportion. *Statistical Science* 16(2), 101–133.

    Examples
    --------
    >>> low, high = proportion_interval([7], [10])
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.3968, 0.8922)
    """
    if not 0 < level < 1:
        raise ScoringError(
            f"{level} is not a probability between 0 and 1",
            field="level",
            hint="give the interval's coverage, e.g. 0.95",
        )
    k = np.asarray(events, dtype=float)
    m = np.asarray(n, dtype=float)
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            z = NormalDist().inv_cdf(1 - alpha / 2)  # the normal quantile
            phat = k / m
            centre = (phat + z**2 / (2 * m)) / (1 + z**2 / m)
            half = z * np.sqrt(phat * (1 - phat) / m + z**2 / (4 * m**2)) / (1 + z**2 / m)
            low, high = centre - half, centre + half
        elif method == "jeffreys":
            from scipy import special

            low = np.where(k > 0, special.betaincinv(k + 0.5, m - k + 0.5, alpha / 2), 0.0)
            high = np.where(k < m, special.betaincinv(k + 0.5, m - k + 0.5, 1 - alpha / 2), 1.0)
        else:
            raise ScoringError(f"unknown interval {method!r}", hint="use 'wilson' or 'jeffreys'")
    empty = m == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def bin_edges(bins: int | ArrayLike) -> np.ndarray:
    """Bin edges on [0, 1]: ``bins`` equal-width bins, or the given increasing edges."""
    if np.ndim(bins) == 0:
        if int(bins) < 1:
            raise ScoringError(f"bins must be at least 1; got {bins}", field="bins")
        return np.linspace(0, 1, int(bins) + 1)
    edges = np.asarray(bins, dtype=float)
    if edges.ndim != 1 or len(edges) < 2 or (np.diff(edges) <= 0).any():
        raise ScoringError("bin edges must be increasing", field="bins")
    return edges


def _bin_index(probability: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Bins closed on the left, the last also on the right: [0, .1), ..., [.9, 1]."""
    return np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, len(edges) - 2)


def binned_reliability(
    outcome: ArrayLike,
    probability: ArrayLike,
    *,
    bins: int | ArrayLike = 10,
    interval: Literal["wilson", "jeffreys"] = "wilson",
    level: float = 0.95,
) -> pd.DataFrame:
    """The classic binned reliability diagram: observed frequency per forecast bin.

    Columns: ``bin_low``, ``bin_high``, ``n``, ``events`` (outcomes 1), ``mean_forecast``,
    ``observed`` (events / n) and its ``low``/``high`` interval (Wilson or Jeffreys, see
    :func:`proportion_interval`).  Empty bins are kept with n = 0 so that a reader sees them.
    Bins are closed on the left; the last includes 1.  Binned diagrams depend on the choice of
    bins (Dimitriadis et al. 2021); prefer :func:`reliability_diagram`.

    References
    ----------
    Murphy, A. H. & Winkler, R. L. (1977). Reliability of subjective probability forecasts of
    precipitation and temperature. *Applied Statistics* 26(1), 41–47.
    """
    y, p = check_forecasts(outcome, probability)
    edges = bin_edges(bins)
    idx = _bin_index(p, edges)
    m = len(edges) - 1
    n = np.bincount(idx, minlength=m)
    events = np.bincount(idx, weights=y, minlength=m)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_forecast = np.bincount(idx, weights=p, minlength=m) / n
        observed = events / n
    low, high = proportion_interval(events, n, method=interval, level=level)
    return pd.DataFrame(
        {
            "bin_low": edges[:-1],
            "bin_high": edges[1:],
            "n": n,
            "events": events.astype(int),
            "mean_forecast": mean_forecast,
            "observed": observed,
            "low": low,
            "high": high,
        }
    )


@dataclass(frozen=True)
class MurphyDecomposition:
    """Murphy's binned partition ``brier = reliability - resolution + uncertainty + within_bin``."""

    brier: float
    reliability: float
    resolution: float
    uncertainty: float
    within_bin: float
    n: int
    n_bins: int


def murphy_decomposition(
    outcome: ArrayLike, probability: ArrayLike, *, bins: int | ArrayLike | Literal["unique"] = 10
) -> MurphyDecomposition:
    r"""Murphy's decomposition of the Brier score over forecast bins.

    With bins :math:`k` holding :math:`n_k` forecasts of mean :math:`\bar p_k` and observed
    frequency :math:`\bar y_k`, and base rate :math:`\bar y`,

    .. math:: \mathrm{REL} = \tfrac1n\sum_k n_k(\bar p_k - \bar y_k)^2,\quad
              \mathrm{RES} = \tfrac1n\sum_k n_k(\bar y_k - \bar y)^2,\quad
              \mathrm{UNC} = \bar y(1 - \bar y).

    BS = REL − RES + UNC holds exactly only when the forecasts within each bin are equal
    (``bins="unique"``: one bin per distinct forecast, natural for verbal scales); otherwise
    the remainder ``within_bin`` (the within-bin variance and covariance terms of Stephenson et
    al. 2008) is reported, not hidden.

    References
    ----------
    Murphy, A. H. (1973). A new vector partition of the probability score. *Journal of Applied
    Meteorology* 12(4), 595–600.  Stephenson, D. B., Coelho, C. A. S. & Jolliffe, I. T. (2008).
    Two extra components in the Brier score decomposition. *Weather and Forecasting* 23(4),
    752–757.
    """
    y, p = check_forecasts(outcome, probability)
    if isinstance(bins, str):
        if bins != "unique":
            raise ScoringError(
                f"unknown bins {bins!r}", field="bins", hint="use an int, edges or 'unique'"
            )
        _, idx = np.unique(p, return_inverse=True)
    else:
        idx = _bin_index(p, bin_edges(bins))
    n_k = np.bincount(idx).astype(float)
    used = n_k > 0
    n_k = n_k[used]
    p_k = np.bincount(idx, weights=p)[used] / n_k
    y_k = np.bincount(idx, weights=y)[used] / n_k
    n, rate = len(y), float(np.mean(y))
    rel = float(np.sum(n_k * (p_k - y_k) ** 2) / n)
    res = float(np.sum(n_k * (y_k - rate) ** 2) / n)
    unc = rate * (1 - rate)
    brier = float(np.mean((p - y) ** 2))
    return MurphyDecomposition(brier, rel, res, unc, brier - (rel - res + unc), n, int(used.sum()))


# --------------------------------------------------------------------------- Spiegelhalter


@dataclass(frozen=True)
class SpiegelhalterTest:
    """Spiegelhalter's Z statistic for calibration and its two-sided p-value."""

    z: float
    p_value: float
    n: int


def spiegelhalter_by_group(
    outcome: np.ndarray, probability: np.ndarray, codes: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """Spiegelhalter's Z and two-sided p-value per group (no validation).

    See :func:`spiegelhalter_z`.
    """
    num = np.bincount(codes, (outcome - probability) * (1 - 2 * probability), n_groups)
    var = np.bincount(codes, (1 - 2 * probability) ** 2 * probability * (1 - probability), n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(var > 0, num / np.sqrt(var), np.nan)
    return z, _normal_two_sided(z)


def spiegelhalter_z(outcome: ArrayLike, probability: ArrayLike) -> SpiegelhalterTest:
    r"""Spiegelhalter's test of calibration (H0: the outcomes are Bernoulli(p)).

    .. math:: Z = \frac{\sum_i (y_i - p_i)(1 - 2p_i)}
                       {\sqrt{\sum_i (1 - 2p_i)^2\, p_i (1 - p_i)}}

    Z is approximately standard normal under H0; the p-value is two-sided.  Undefined (NaN)
    when every forecast is 0, 0.5 or 1.  With few forecasts the normal approximation is rough.

    References
    ----------
    Spiegelhalter, D. J. (1986). Probabilistic prediction in patient management and clinical
    trials. *Statistics in Medicine* 5(5), 421–433.
    """
    y, p = check_forecasts(outcome, probability)
    z, pv = spiegelhalter_by_group(y, p, np.zeros(len(y), dtype=np.int64), 1)
    return SpiegelhalterTest(float(z[0]), float(pv[0]), len(y))
