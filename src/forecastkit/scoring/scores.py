"""Scores for probability forecasts of binary events: Brier, log, hit rate, skill, bootstrap.

Pure functions over arrays: an outcome array of 0/1 and a probability array in [0, 1], checked in
the order scikit-learn's ``brier_score_loss`` checks them (shape, finiteness, length, binary
target, range), each failure a :class:`~forecastkit.errors.ScoringError` with its own message.
Open claims (outcome NaN) are the caller's business: these functions refuse NaN, and
:mod:`forecastkit.scoring.grouped` filters claims before it scores them.

Conventions (see ``docs/scoring.md``): every score is *negatively oriented* (lower is better)
except hit rate and skill scores (higher is better).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from forecastkit.errors import ScoringError

#: Log-score clipping: forecasts are read as if in [LOG_EPS, 1 - LOG_EPS].  See :func:`log_score`.
LOG_EPS = 1e-3

#: Default number of bootstrap resamples and confidence level.
N_RESAMPLES = 2000
CI_LEVEL = 0.95

Seed = int | np.random.Generator | None

#: Below this many forecasts no bootstrap interval is given: resampling a single forecast
#: yields it every time, and a zero-width interval would read as certainty.
MIN_BOOTSTRAP_N = 2


@dataclass(frozen=True)
class Estimate:
    """A statistic with its sample size and (optionally) a confidence interval.

    ``low``/``high`` are NaN when no interval was computed; ``level`` is its coverage (0.95).
    """

    value: float
    n: int
    low: float = float("nan")
    high: float = float("nan")
    level: float = float("nan")


@dataclass(frozen=True)
class HitRate:
    """Share of forecasts on the right side of 50%, with 50% forecasts counted apart.

    ``rate = hits / (hits + misses)``; a forecast of exactly 0.5 takes no side and is counted in
    ``half``, not in the rate.  ``rate`` is NaN when every forecast is 0.5.
    """

    hits: int
    misses: int
    half: int

    @property
    def n(self) -> int:
        return self.hits + self.misses + self.half

    @property
    def rate(self) -> float:
        sided = self.hits + self.misses
        return self.hits / sided if sided else float("nan")


def check_level(level: float) -> float:
    """``level``, the coverage of an interval or band, if it is strictly between 0 and 1; else a
    one-line :class:`ScoringError`.

    >>> check_level(0.9)
    0.9
    >>> check_level(95)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    forecastkit.errors.ScoringError: level: 95 is not a probability between 0 and 1; give ...
    """
    if not 0 < level < 1:
        raise ScoringError(
            f"{level} is not a probability between 0 and 1",
            field="level",
            hint="give the interval's coverage, e.g. 0.95",
        )
    return level


def check_forecasts(outcome: ArrayLike, probability: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Validate and return ``(outcome, probability)`` as 1-D float arrays.

    Checks, in order: shape (1-D), finiteness (no NaN or infinity), consistent length, binary
    outcome (only 0 and 1), probability range ([0, 1]), and at least one forecast.

    Raises
    ------
    ScoringError
        The first check that fails, with a message naming the array and the offending value.

    Examples
    --------
    >>> y, p = check_forecasts([0, 1], [0.2, 0.7])
    >>> check_forecasts([0, 2], [0.2, 0.7])
    Traceback (most recent call last):
    ...
    forecastkit.errors.ScoringError: outcome: outcome must contain only 0 and 1; found 2
    """
    arrays = []
    for name, values in (("outcome", outcome), ("probability", probability)):
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ScoringError(f"{name} must be numeric ({exc})", field=name) from None
        if arr.ndim != 1:
            arr = np.squeeze(arr) if arr.ndim == 2 and 1 in arr.shape else arr
        if arr.ndim != 1:
            raise ScoringError(f"{name} must be 1-D; got shape {arr.shape}", field=name)
        arrays.append(arr)
    y, p = arrays
    for name, arr in (("outcome", y), ("probability", p)):
        if not np.isfinite(arr).all():
            raise ScoringError(
                f"{name} contains NaN or infinity",
                field=name,
                hint="drop open claims (outcome NaN) before scoring" if name == "outcome" else None,
            )
    if len(y) != len(p):
        raise ScoringError(
            f"outcome and probability have different lengths ({len(y)} and {len(p)})"
        )
    bad = y[(y != 0) & (y != 1)]
    if bad.size:
        raise ScoringError(f"outcome must contain only 0 and 1; found {bad[0]:g}", field="outcome")
    if (p > 1).any():
        raise ScoringError(
            "probability contains values greater than 1",
            field="probability",
            hint="probabilities are numbers in [0, 1] (0.7, not 70)",
        )
    if (p < 0).any():
        raise ScoringError("probability contains values less than 0", field="probability")
    if not len(y):
        raise ScoringError("no forecasts to score")
    return y, p


def brier_losses(outcome: np.ndarray, probability: np.ndarray) -> np.ndarray:
    """Per-forecast Brier loss ``(p - y)**2`` (no validation; see :func:`brier_score`)."""
    return (probability - outcome) ** 2


def log_losses(
    outcome: np.ndarray, probability: np.ndarray, eps: float | None = LOG_EPS
) -> np.ndarray:
    """Per-forecast log loss ``-ln(p)`` if y = 1 else ``-ln(1 - p)``, in nats (no validation).

    ``p`` is clipped to ``[eps, 1 - eps]`` first unless ``eps`` is None (see :func:`log_score`).
    """
    p = probability if eps is None else np.clip(probability, eps, 1 - eps)
    with np.errstate(divide="ignore"):
        return -np.log(np.where(outcome == 1, p, 1 - p))


def brier_score(outcome: ArrayLike, probability: ArrayLike, *, original: bool = False) -> float:
    r"""Mean Brier score of probability forecasts of binary events (lower is better).

    .. math:: \mathrm{BS} = \frac{1}{n}\sum_{i=1}^{n} (p_i - y_i)^2 \in [0, 1]

    With ``original=True``, Brier's own two-category form, which sums the squared error over the
    event and its complement, :math:`\frac{1}{n}\sum_i [(p_i-y_i)^2 + ((1-p_i)-(1-y_i))^2]
    = 2\,\mathrm{BS} \in [0, 2]`; the Good Judgment Project and some tournaments report this one.

    Parameters
    ----------
    outcome : array of 0/1, no NaN.
    probability : array in [0, 1], the forecast probability that the outcome is 1.
    original : report on Brier's 0–2 scale instead of 0–1.

    References
    ----------
    Brier, G. W. (1950). Verification of forecasts expressed in terms of probability. *Monthly
    Weather Review* 78(1), 1–3.  Mellers, B. et al. (2014). Psychological strategies for winning
    a geopolitical forecasting tournament. *Psychological Science* 25(5), 1106–1115 (0–2 form).

    See also
    --------
    sklearn.metrics.brier_score_loss : the same number on the 0–1 scale.

    Examples
    --------
    >>> round(brier_score([0, 1, 1], [0.1, 0.9, 0.4]), 4)
    0.1267
    >>> round(brier_score([0, 1, 1], [0.1, 0.9, 0.4], original=True), 4)
    0.2533
    """
    y, p = check_forecasts(outcome, probability)
    value = float(np.mean(brier_losses(y, p)))
    return 2 * value if original else value


def log_score(outcome: ArrayLike, probability: ArrayLike, *, eps: float | None = LOG_EPS) -> float:
    r"""Mean logarithmic score (negative log-likelihood, in nats; lower is better).

    .. math:: \mathrm{LS} = -\frac{1}{n}\sum_{i=1}^{n}
              \left[y_i \ln p_i + (1 - y_i)\ln(1 - p_i)\right]

    The same number as scikit-learn's ``log_loss`` for forecasts away from 0 and 1.

    **Policy for probabilities of exactly 0 or 1.**  A confident forecast that fails has infinite
    log loss, and one infinite loss makes a claimant's mean infinite, whatever else they said.
    Hedged language never yields 0 or 1 (the lexicon reads "will" as *almost certain*), but a
    stated number can ("100% certain").  By default probabilities are clipped to
    ``[eps, 1 - eps]`` with ``eps = 0.001`` (the 0.1%–99.9% range to which forecasting platforms
    restrict binary forecasts), so a certain forecast that fails costs ``-ln(0.001) = 6.91``
    nats, 10 times a coin flip's 0.69.  Pass ``eps=None`` for the unclipped score (``inf`` when
    a 0 or 1 forecast fails).  scikit-learn clips at machine epsilon instead (36 nats).

    References
    ----------
    Good, I. J. (1952). Rational decisions. *Journal of the Royal Statistical Society B* 14(1),
    107–114.  Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction,
    and estimation. *JASA* 102(477), 359–378.

    Examples
    --------
    >>> round(log_score([0, 1], [0.5, 0.5]), 6)
    0.693147
    >>> round(log_score([0], [1.0]), 4), log_score([0], [1.0], eps=None)
    (6.9078, inf)
    """
    y, p = check_forecasts(outcome, probability)
    return float(np.mean(log_losses(y, p, eps)))


def hit_rate(outcome: ArrayLike, probability: ArrayLike) -> HitRate:
    """Count forecasts on the right side of 50% (hits), the wrong side (misses) and at 50%.

    A forecast ``p > 0.5`` is a hit when the outcome is 1, ``p < 0.5`` when it is 0.  The hit
    rate ignores calibration; it is reported because readers expect "how often were they right".

    Examples
    --------
    >>> h = hit_rate([1, 0, 1, 0], [0.8, 0.3, 0.5, 0.6])
    >>> (h.hits, h.misses, h.half, h.rate)
    (2, 1, 1, 0.6666666666666666)
    """
    y, p = check_forecasts(outcome, probability)
    hits, misses, half = _hit_counts(y, p)
    return HitRate(int(hits.sum()), int(misses.sum()), int(half.sum()))


def _hit_counts(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    half = p == 0.5
    hits = ~half & ((p > 0.5) == (y == 1))
    return hits, ~half & ~hits, half


def skill_score(score: float, reference: float, perfect: float = 0.0) -> float:
    r"""Skill of a score relative to a reference forecaster's score: 1 is perfect, 0 no skill.

    .. math:: \mathrm{SS} = \frac{S_\mathrm{ref} - S}{S_\mathrm{ref} - S_\mathrm{perfect}}

    NaN when the reference is perfect (nothing to improve on).

    References
    ----------
    Murphy, A. H. (1988). Skill scores based on the mean square error and their relationships to
    the correlation coefficient. *Monthly Weather Review* 116(12), 2417–2424.
    """
    denominator = reference - perfect
    return float((reference - score) / denominator) if denominator != 0 else float("nan")


def brier_skill_score(
    outcome: ArrayLike,
    probability: ArrayLike,
    *,
    reference: Literal["base_rate", "half"] = "base_rate",
) -> float:
    r"""Brier skill score against a reference forecaster (higher is better, 1 perfect).

    ``reference="base_rate"`` is the forecaster who always says the base rate :math:`\bar y` of
    the claims scored (score :math:`\bar y(1-\bar y)`, the UNC term of the decompositions);
    ``"half"`` always says 0.5 (score 0.25).  NaN when the base rate is 0 or 1.

    References
    ----------
    Wilks, D. S. (2011). *Statistical Methods in the Atmospheric Sciences*, 3rd ed., §8.4.2.
    Academic Press.

    Examples
    --------
    >>> round(brier_skill_score([0, 1, 1, 1], [0.2, 0.9, 0.7, 0.8], reference="half"), 4)
    0.82
    """
    y, p = check_forecasts(outcome, probability)
    return skill_score(float(np.mean(brier_losses(y, p))), _reference_brier(y, reference))


def log_skill_score(
    outcome: ArrayLike,
    probability: ArrayLike,
    *,
    reference: Literal["base_rate", "half"] = "base_rate",
    eps: float | None = LOG_EPS,
) -> float:
    """Log-score skill against the base rate or a constant 0.5 (score ``ln 2``).

    See :func:`skill_score`; the base rate's log score is :func:`binary_entropy`.
    """
    y, p = check_forecasts(outcome, probability)
    score = float(np.mean(log_losses(y, p, eps)))
    if reference == "half":
        return skill_score(score, float(np.log(2)))
    if reference == "base_rate":
        return skill_score(score, float(binary_entropy(np.mean(y))))
    raise ScoringError(f"unknown reference {reference!r}", hint="use 'base_rate' or 'half'")


def _reference_brier(y: np.ndarray, reference: str) -> float:
    if reference == "half":
        return 0.25
    if reference == "base_rate":
        rate = float(np.mean(y))
        return rate * (1 - rate)
    raise ScoringError(f"unknown reference {reference!r}", hint="use 'base_rate' or 'half'")


def binary_entropy(rate: ArrayLike) -> np.ndarray:
    """``-[r ln r + (1 - r) ln(1 - r)]`` in nats (``0 ln 0 = 0``): the log score of a base rate.

    NaN where ``rate`` is NaN (a group with no scored claims has no base rate).
    """
    r = np.asarray(rate, dtype=float)
    return np.where(np.isnan(r), np.nan, -(_xlogx(r) + _xlogx(1 - r)))


def _xlogx(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, x * np.log(np.where(x > 0, x, 1)), 0.0)


def rng_from(seed: Seed) -> np.random.Generator:
    """A numpy Generator from an int seed, a Generator (used as is) or None (fresh entropy)."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def resample_indices(n: int, n_resamples: int, seed: Seed = 0, max_cells: int = 4_000_000):
    """Yield ``(k, n)`` arrays of bootstrap indices, ``n_resamples`` rows in all, in chunks.

    Chunks hold about ``max_cells`` indices (32 MB) so that large samples do not exhaust memory.
    """
    rng = rng_from(seed)
    chunk = max(1, max_cells // max(n, 1))
    for start in range(0, n_resamples, chunk):
        yield rng.integers(0, n, size=(min(chunk, n_resamples - start), n))


def bootstrap_mean(
    values: ArrayLike,
    *,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: Seed = 0,
) -> Estimate:
    """Mean of per-forecast values with a percentile bootstrap confidence interval.

    Resamples the forecasts with replacement ``n_resamples`` times and takes the
    ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the resampled means.  Seeded by
    default so that a report is reproducible.  With few forecasts (under about 20) percentile
    intervals are too narrow: read them with the ``n`` they carry.  With fewer than
    :data:`MIN_BOOTSTRAP_N` forecasts the interval is left empty (NaN).

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*, ch. 13.
    Chapman & Hall.

    Examples
    --------
    >>> est = bootstrap_mean([0.1, 0.4, 0.2, 0.3], seed=1)
    >>> est.value, est.n, est.low <= est.value <= est.high
    (0.25, 4, True)
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1:
        raise ScoringError(f"values must be 1-D; got shape {v.shape}")
    if not np.isfinite(v).all():
        raise ScoringError("values contain NaN or infinity")
    check_level(level)
    n = len(v)
    if n < MIN_BOOTSTRAP_N:  # one forecast resampled is always itself: no interval to give
        return Estimate(float(v.mean()) if n else float("nan"), n, level=level)
    means = np.concatenate([v[idx].mean(axis=1) for idx in resample_indices(n, n_resamples, seed)])
    low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return Estimate(float(v.mean()), n, float(low), float(high), level)


def summarise(
    outcome: ArrayLike,
    probability: ArrayLike,
    *,
    ci: bool = True,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: Seed = 0,
    eps: float | None = LOG_EPS,
) -> dict[str, Estimate]:
    """Every score of one set of forecasts, each an :class:`Estimate` carrying its n.

    Keys: ``brier``, ``log_score``, ``hit_rate`` (n = forecasts not at 50%), ``bss_base_rate``,
    ``bss_half``.  Intervals (``ci=True``) are percentile bootstrap intervals of the mean loss;
    skill-score intervals come from the same resamples as ``brier``.
    """
    y, p = check_forecasts(outcome, probability)
    n = len(y)
    b, lg = brier_losses(y, p), log_losses(y, p, eps)
    hits, misses, _ = _hit_counts(y, p)
    sided = hits | misses
    out = {
        "brier": Estimate(float(b.mean()), n),
        "log_score": Estimate(float(lg.mean()), n),
        "hit_rate": Estimate(
            float(hits[sided].mean()) if sided.any() else float("nan"), int(sided.sum())
        ),
        "bss_base_rate": Estimate(skill_score(b.mean(), _reference_brier(y, "base_rate")), n),
        "bss_half": Estimate(skill_score(b.mean(), 0.25), n),
    }
    if not ci:
        return out
    parts: dict[str, list[np.ndarray]] = {"brier": [], "log_score": [], "hit_rate": [], "y": []}
    for idx in resample_indices(n, n_resamples, seed):
        parts["brier"].append(b[idx].mean(axis=1))
        parts["log_score"].append(lg[idx].mean(axis=1))
        parts["y"].append(y[idx].mean(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            parts["hit_rate"].append(hits[idx].sum(axis=1) / sided[idx].sum(axis=1))
    samples = {key: np.concatenate(chunks) for key, chunks in parts.items()}
    rb, ry = samples["brier"], samples.pop("y")
    with np.errstate(divide="ignore", invalid="ignore"):
        samples["bss_base_rate"] = 1 - rb / (ry * (1 - ry))
    samples["bss_half"] = 1 - rb / 0.25
    q = [(1 - level) / 2, (1 + level) / 2]
    for key, draws in samples.items():
        finite = draws[np.isfinite(draws)]
        low, high = np.quantile(finite, q) if finite.size else (np.nan, np.nan)
        out[key] = Estimate(out[key].value, out[key].n, float(low), float(high), level)
    return out
