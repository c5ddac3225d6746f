"""Calibration and discrimination of probability forecasts: the CORP decomposition and
reliability diagram, and Spiegelhalter's test.

CORP (Dimitriadis, Gneiting & Jordan 2021) rests on the isotonic (PAV) recalibration of
:mod:`forecastkit.scoring.isotonic`; every figure is then a sum per group (``np.bincount``), so a
tracker's 2,000 claimants cost about as much as one. Binned diagrams, Murphy's decomposition and
proportion intervals are :mod:`forecastkit.scoring.binned`.

Functions take ``(outcome, probability)`` like :mod:`forecastkit.scoring.scores` and validate them the
same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from forecastkit.errors import ScoringError
from forecastkit.scoring.isotonic import pav_points, pav_sorted, pooled_points
from forecastkit.scoring.scores import (
    LOG_EPS,
    Seed,
    binary_entropy,
    check_forecasts,
    check_level,
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


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x * log(y)``, 0 where ``x`` is 0 (as ``scipy.special.xlogy``)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(np.where(x == 0, 1.0, y)))


_erfc = np.frompyfunc(math.erfc, 1, 1)


def _normal_two_sided(z: np.ndarray) -> np.ndarray:
    """Two-sided standard normal tail ``P(|Z| > |z|) = erfc(|z| / sqrt 2)``; NaN stays NaN."""
    return _erfc(np.abs(np.asarray(z, dtype=float)) / math.sqrt(2)).astype(float)


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
        fitted = pav_points(group, weight, events)
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
    check_level(level)
    order = np.argsort(p, kind="stable")
    ps, ys = p[order], y[order]
    values, first, counts = np.unique(ps, return_index=True, return_counts=True)
    cep = pav_sorted(np.zeros(len(ps), dtype=np.int64), ps, ys)[first]
    observed = np.add.reduceat(ys, first) / counts
    rng = rng_from(seed)
    chunk = max(1, 2_000_000 // len(ps))
    curves = []
    for start in range(0, n_resamples, chunk):
        k = min(chunk, n_resamples - start)
        draws = (rng.random((k, len(ps))) < ps).astype(float).ravel()
        codes = np.repeat(np.arange(k), len(ps))
        fitted = pav_sorted(codes, np.tile(ps, k), draws).reshape(k, len(ps))
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
