"""Calibration beyond yes/no: per-option reliability, PIT histograms, central-interval coverage.

Pure functions over the long layout of ``corpus.forecast_points`` (``docs/question-types.md``):
the rows of one forecast contiguous, ``starts`` the first row of each forecast.

- **Per-option reliability** (multiple choice): each option's probability is a binary forecast
  that that option is realised (one-vs-rest), read with the binned diagram of
  :func:`forecastkit.scoring.binned.binned_reliability`, for all options pooled and per
  option label (Murphy & Winkler 1977; Bröcker 2009 for the one-vs-rest view).
- **PIT** (numeric, date): the forecast's CDF at the outcome, :math:`F(y)`; a calibrated
  forecaster's PIT values are uniform on [0, 1] (Dawid 1984; Gneiting, Balabdaoui & Raftery
  2007).  Where :math:`F` jumps at :math:`y` the randomised PIT
  :math:`F(y^-) + V\\,(F(y) - F(y^-))`, :math:`V` uniform, is used (Czado, Gneiting & Held
  2009), seeded; see :func:`pit_values` for what quantile forecasts say in their tails.
- **Central-interval coverage**: the share of outcomes inside the forecast's central interval
  at each level (Bracher et al. 2021, sec. 2.3).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecastkit.errors import ScoringError
from forecastkit.scoring.binned import binned_reliability
from forecastkit.scoring.continuous import segment_index

#: Central-interval levels whose coverage is reported by default (the forecast hubs' 50% and
#: 95% and the 80% and 90% intervals that forecasts state most often).
COVERAGE_LEVELS = (0.5, 0.8, 0.9, 0.95)

#: Bins of a PIT histogram.
PIT_BINS = 10


def option_reliability(
    p: np.ndarray,
    realised: np.ndarray,
    option: Sequence[str] | None = None,
    *,
    bins: int = 10,
) -> pd.DataFrame:
    """One-vs-rest reliability of multiple-choice forecasts, long layout rows in.

    Every (forecast, option) row is a binary forecast ``p`` of the event "this option is
    realised" (``realised``).  Returns the columns of ``binned_reliability`` with ``option``:
    ``"(all options)"`` for every row pooled, then each label of ``option`` (when given) apart.
    """
    p = np.asarray(p, dtype=float)
    y = np.asarray(realised, dtype=bool).astype(float)
    if not len(p):
        raise ScoringError("no multiple-choice forecasts to read")
    parts = [binned_reliability(y, p, bins=bins).assign(option="(all options)")]
    if option is not None:
        labels = pd.Series(option, dtype="string").fillna("(none)").to_numpy()
        for label in sorted(set(labels)):
            keep = labels == label
            parts.append(binned_reliability(y[keep], p[keep], bins=bins).assign(option=label))
    out = pd.concat(parts, ignore_index=True)
    return out[["option", *[c for c in out.columns if c != "option"]]]


def _counts(x: np.ndarray, starts: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per forecast: how many of its points lie strictly below ``y`` and how many at or below."""
    seg = segment_index(starts, len(x))
    below = np.add.reduceat((x < y[seg]).astype(np.int64), starts)
    at_or_below = np.add.reduceat((x <= y[seg]).astype(np.int64), starts)
    return below, at_or_below


def pit_values(
    x: np.ndarray,
    p: np.ndarray,
    starts: np.ndarray,
    y: np.ndarray,
    form: np.ndarray,
    *,
    seed: int = 0,
) -> np.ndarray:
    """The (randomised) PIT of each forecast, from its points ``(x, p)`` on its CDF.

    ``form`` per forecast: ``"cdf"`` (``p`` = P(value <= x); the CDF is piecewise linear between
    the points, with the mass below the first point at it and above the last at it, as in
    :func:`forecastkit.scoring.continuous.cdf_crps_losses`), or ``"quantiles"``/``"interval"``
    (``p`` the levels).  A quantile forecast says nothing of the shape of its tails: an outcome
    below the lowest quantile :math:`q_1` gets a PIT drawn uniformly in :math:`(0, \\tau_1)`,
    above the highest in :math:`(\\tau_m, 1)`; between quantiles the CDF is interpolated
    linearly; an outcome equal to quantiles gets a PIT drawn between their levels.  With few
    quantiles (an interval) the histogram is coarse: read it with the coverage.
    Draws are seeded, so a report is reproducible.
    """
    x, p, y = (np.asarray(a, dtype=float) for a in (x, p, y))
    starts = np.asarray(starts, dtype=np.int64)
    is_cdf = np.asarray(form).astype(str) == "cdf"
    sizes = np.diff(np.r_[starts, len(x)])
    below, at_or_below = _counts(x, starts, y)
    last = starts + sizes - 1

    def row(k: np.ndarray) -> np.ndarray:  # the k-th point (0-based) of each forecast, clipped
        return np.clip(starts + k, starts, last)

    # the CDF's left limit and value at y (equal unless the CDF jumps at y)
    a, b = row(below - 1), row(below)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (y - x[a]) / (x[b] - x[a])
    interp = p[a] + (p[b] - p[a]) * np.where(np.isfinite(frac), frac, 0.0)
    hit = at_or_below > below  # y equals one or more points
    lo = np.where(hit, p[row(below)], interp)
    hi = np.where(hit, p[row(at_or_below - 1)], interp)
    left, right = below == 0, at_or_below == sizes  # y at or below the first point / above...
    strictly_left, strictly_right = at_or_below == 0, below == sizes
    # cdf: F = 0 left of the grid, 1 right of it; at the first point the mass p_1 sits there
    c_lo = np.where(strictly_left, 0.0, np.where(left & hit, 0.0, lo))
    c_hi = np.where(strictly_left, 0.0, hi)
    c_hi = np.where(right & hit, 1.0, c_hi)
    c_lo = np.where(strictly_right, 1.0, c_lo)
    c_hi = np.where(strictly_right, 1.0, c_hi)
    # quantiles: the tails' mass, position unknown
    q_lo = np.where(strictly_left, 0.0, np.where(strictly_right, p[last], lo))
    q_hi = np.where(strictly_left, p[starts], np.where(strictly_right, 1.0, hi))
    low, high = np.where(is_cdf, c_lo, q_lo), np.where(is_cdf, c_hi, q_hi)
    v = np.random.default_rng(seed).random(len(y))
    return low + v * (high - low)


def pit_histogram(pit: np.ndarray, *, bins: int = PIT_BINS) -> pd.DataFrame:
    """Counts of PIT values in ``bins`` equal bins of [0, 1] (the last closed): ``bin_low``,
    ``bin_high``, ``n``, ``share`` and ``expected`` (1 / bins, the share of a calibrated
    forecaster).  A U shape says overconfident, a hump underconfident, a slope biased."""
    pit = np.asarray(pit, dtype=float)
    pit = pit[np.isfinite(pit)]
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.floor(pit * bins).astype(np.int64), 0, bins - 1)
    n = np.bincount(idx, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = n / n.sum()
    return pd.DataFrame(
        {"bin_low": edges[:-1], "bin_high": edges[1:], "n": n, "share": share, "expected": 1 / bins}
    )


def quantile_at(
    x: np.ndarray, p: np.ndarray, starts: np.ndarray, tau: float, *, extend: np.ndarray
) -> np.ndarray:
    """Each forecast's quantile at level ``tau``, linear between its points ``(x, p)``.

    Outside its points' levels: the first (last) point where ``extend`` is true (a CDF, whose
    tail mass sits at its ends), NaN otherwise (a quantile forecast that does not state it).
    """
    seg = segment_index(starts, len(x))
    sizes = np.diff(np.r_[starts, len(x)])
    j = np.add.reduceat((p < tau).astype(np.int64), starts)
    last = starts + sizes - 1
    a, b = np.clip(starts + j - 1, starts, last), np.clip(starts + j, starts, last)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = (tau - p[a]) / (p[b] - p[a])
    value = np.where(j == 0, x[starts], x[a] + (x[b] - x[a]) * np.where(np.isfinite(frac), frac, 1))
    value = np.where(j == sizes, x[last], value)
    stated = (j > 0) & (j < sizes) | ((j == 0) & np.isclose(p[starts], tau))
    del seg
    return np.where(stated | np.asarray(extend, dtype=bool), value, np.nan)


def central_coverage(
    x: np.ndarray,
    p: np.ndarray,
    starts: np.ndarray,
    y: np.ndarray,
    form: np.ndarray,
    levels: Sequence[float] = COVERAGE_LEVELS,
) -> pd.DataFrame:
    """Whether each forecast's central interval at each level covers its outcome.

    Returns one row per (forecast, level) where the interval is known: ``forecast`` (position),
    ``level``, ``lower``, ``upper``, ``covered`` (``lower <= y <= upper``).  A forecast of form
    ``interval`` is read at its own stated level only; quantile forecasts at the ``levels``
    their quantiles span (interpolated linearly between levels); CDFs at every level.
    """
    for level in levels:
        if not 0 < level < 1:
            raise ScoringError(f"coverage level {level} is not in (0, 1)", field="levels")
    form = np.asarray(form).astype(str)
    is_cdf, is_interval = form == "cdf", form == "interval"
    x, p, y = (np.asarray(a, dtype=float) for a in (x, p, y))
    starts = np.asarray(starts, dtype=np.int64)
    parts = []
    own = np.flatnonzero(is_interval)
    if len(own):
        lo_row, hi_row = starts[own], starts[own] + 1
        parts.append(
            pd.DataFrame(
                {
                    "forecast": own,
                    "level": np.round(p[hi_row] - p[lo_row], 6),
                    "lower": x[lo_row],
                    "upper": x[hi_row],
                }
            )
        )
    for level in levels:
        lower = quantile_at(x, p, starts, (1 - level) / 2, extend=is_cdf)
        upper = quantile_at(x, p, starts, (1 + level) / 2, extend=is_cdf)
        keep = np.flatnonzero(~is_interval & np.isfinite(lower) & np.isfinite(upper))
        parts.append(
            pd.DataFrame(
                {
                    "forecast": keep,
                    "level": float(level),
                    "lower": lower[keep],
                    "upper": upper[keep],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    yy = y[out["forecast"].to_numpy()]
    out["covered"] = (out["lower"].to_numpy() <= yy) & (yy <= out["upper"].to_numpy())
    return out.sort_values(["forecast", "level"], ignore_index=True)


def coverage_summary(coverage: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """Per stated level of :func:`central_coverage`'s rows: ``n``, ``covered``, ``share`` and its
    Wilson interval ``low``/``high`` (Wilson 1927, via ``proportion_interval``)."""
    from forecastkit.scoring.binned import proportion_interval

    if not len(coverage):
        return pd.DataFrame(columns=["level", "n", "covered", "share", "low", "high"])
    out = coverage.groupby("level", sort=True)["covered"].agg(n="size", covered="sum").reset_index()
    out["covered"] = out["covered"].astype(np.int64)
    out["share"] = out["covered"] / out["n"]
    out["low"], out["high"] = proportion_interval(out["covered"], out["n"], level=level)
    return out
