"""Binned calibration of probability forecasts: the classic reliability diagram with
proportion intervals per bin, and Murphy's decomposition of the Brier score over bins.

Binned figures depend on the choice of bins (Dimitriadis, Gneiting & Jordan 2021); the CORP
diagram of :mod:`forecastkit.scoring.calibration` does not, and is the one to prefer. These are
kept for readers who expect them, and :func:`proportion_interval` serves any share of events.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from forecastkit.errors import ScoringError
from forecastkit.scoring.scores import check_forecasts, check_level


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
    check_level(level)
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
