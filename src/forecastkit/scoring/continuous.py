"""Scores for numeric and date forecasts: CRPS, weighted interval score, coverage, point errors.

A numeric forecast is written as quantiles, a central interval, a CDF on a grid, or a point
(``docs/question-types.md``); a date is a number of days since 1970-01-01.  Two layouts:

- plain arrays for one form at a time (the public functions, checked in scikit-learn's
  order: shape, finiteness, length, range);
- the long layout of ``corpus.forecast_points``: the rows of one forecast contiguous and
  ordered by ``x`` (quantile rows by level), ``starts`` the first row of each forecast and
  ``y`` its outcome (the ``*_losses`` kernels, which forecasts with different numbers of
  quantiles or grid points share, in one pass of numpy segment sums).

Every score is negatively oriented and in the question's unit (days for a date).
Definitions, with :math:`\\rho_\\tau(u) = u(\\tau - 1\\{u < 0\\})` the pinball (quantile) loss:

- quantile CRPS: :math:`\\frac{2}{m}\\sum_{j=1}^{m} \\rho_{\\tau_j}(y - q_j)`, the CRPS
  :math:`\\int_0^1 2\\rho_\\tau(y - F^{-1}(\\tau))\\,d\\tau` (Laio & Tamea 2007; Gneiting &
  Raftery 2007, eq. 21) with the integral replaced by the mean over the stated levels;
- weighted interval score (Bracher et al. 2021), the COVID-19 Forecast Hubs' score;
- CRPS of a CDF on a grid, exact for the piecewise-linear CDF (:func:`cdf_crps_losses`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from forecastkit.errors import ScoringError


def segment_index(starts: np.ndarray, n_rows: int) -> np.ndarray:
    """The forecast of each row (``starts`` sorted, first 0)."""
    return np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n_rows]))


def pinball_losses(y: np.ndarray, q: np.ndarray, level: np.ndarray) -> np.ndarray:
    r"""Quantile (pinball) loss :math:`\rho_\tau(y - q) = (y - q)(\tau - 1\{y < q\})` per row
    (Koenker & Bassett 1978; Gneiting & Raftery 2007, eq. 40, with :math:`s(x) = x`)."""
    u = y - q
    return u * (level - (u < 0))


def quantile_crps_losses(
    x: np.ndarray, level: np.ndarray, starts: np.ndarray, y: np.ndarray
) -> np.ndarray:
    r"""Per-forecast quantile CRPS :math:`\frac{2}{m}\sum_j \rho_{\tau_j}(y - q_j)` (no
    validation; ``x`` the quantiles, ``level`` their levels, ``y`` one outcome per forecast).

    A central interval is two quantiles: its quantile CRPS is :math:`\frac{\alpha}{2}
    \mathrm{IS}_\alpha`, the weighted interval score of that one interval.
    """
    seg = segment_index(starts, len(x))
    loss = pinball_losses(y[seg], x, level)
    return 2 * np.add.reduceat(loss, starts) / np.diff(np.r_[starts, len(x)])


def wis_losses(x: np.ndarray, level: np.ndarray, starts: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""Per-forecast weighted interval score of a quantile forecast (no validation).

    Defined, as the forecast hubs require, for a median and central intervals: levels
    symmetric about 0.5 (:math:`\tau` and :math:`1 - \tau` both given) with 0.5 among them;
    NaN for other sets.  Then (Bracher et al. 2021, eq. 3, with :math:`w_0 = 1/2`,
    :math:`w_k = \alpha_k/2`) :math:`\frac{1}{K+1/2}\big(\tfrac12|y-m| + \sum_k
    \tfrac{\alpha_k}{2}\mathrm{IS}_{\alpha_k}\big) = \frac{2}{2K+1}\sum_j \rho_{\tau_j}(y - q_j)`,
    the quantile CRPS of the :math:`2K+1` quantiles.
    """
    sizes = np.diff(np.r_[starts, len(x)])
    seg = segment_index(starts, len(x))
    # symmetric: the j-th level from the bottom and the j-th from the top sum to 1
    mirror = starts[seg] + sizes[seg] - 1 - (np.arange(len(x)) - starts[seg])
    off = np.abs(level + level[mirror] - 1) > 1e-9
    bad = np.add.reduceat(off.astype(np.int64), starts) > 0
    has_median = np.add.reduceat((np.abs(level - 0.5) <= 1e-9).astype(np.int64), starts) > 0
    out = quantile_crps_losses(x, level, starts, y)
    return np.where(~bad & has_median & (sizes % 2 == 1), out, np.nan)


def interval_score_losses(lower: np.ndarray, upper: np.ndarray, level: np.ndarray, y: np.ndarray):  # noqa: ANN201
    r"""Interval score :math:`(u - l) + \frac{2}{\alpha}(l - y)_+ + \frac{2}{\alpha}(y - u)_+`,
    :math:`\alpha = 1 - \text{level}`, of central intervals (Gneiting & Raftery 2007, eq. 43;
    no validation)."""
    alpha = 1 - level
    return (
        (upper - lower)
        + (2 / alpha) * np.maximum(lower - y, 0)
        + (2 / alpha) * np.maximum(y - upper, 0)
    )


def interval_crps_losses(
    lower: np.ndarray, upper: np.ndarray, level: np.ndarray, y: np.ndarray
) -> np.ndarray:
    r"""Per-forecast CRPS of a central interval read as the normal distribution with that
    central interval: mean :math:`\mu = (l + u)/2`, :math:`\sigma = (u - l) / (2 z)`,
    :math:`z = \Phi^{-1}((1 + \text{level})/2)` (no validation).

    An interval states two quantiles and nothing of the shape; the normal reading is an
    assumption, stated, that makes an interval's score comparable with the CRPS of quantile
    and CDF forecasts (the two-quantile CRPS, :math:`\frac{\alpha}{2}\mathrm{IS}_\alpha`,
    is far smaller for the same forecast and would favour intervals).  Closed form
    :math:`\sigma\,[\omega(2\Phi(\omega) - 1) + 2\varphi(\omega) - 1/\sqrt{\pi}]`,
    :math:`\omega = (y - \mu)/\sigma` (Gneiting, Raftery, Westveld & Goldman 2005, *Mon.
    Wea. Rev.* 133:1098, eq. 5); a zero-width interval is a point, scored :math:`|y - \mu|`.
    """
    from scipy.special import ndtr, ndtri

    mu = (lower + upper) / 2
    sigma = (upper - lower) / (2 * ndtri((1 + level) / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        w = (y - mu) / sigma
        crps = sigma * (
            w * (2 * ndtr(w) - 1)
            + 2 * np.exp(-0.5 * w * w) / np.sqrt(2 * np.pi)
            - 1 / np.sqrt(np.pi)
        )
    return np.where(sigma > 0, crps, np.abs(y - mu))


def _trapezoid_sq(a: np.ndarray, b: np.ndarray, h: np.ndarray, width: np.ndarray) -> np.ndarray:
    """:math:`\\int (F - h)^2` over a piece where F runs linearly from a to b: exact."""
    da, db = a - h, b - h
    return width * (da * da + da * db + db * db) / 3


def cdf_crps_losses(x: np.ndarray, p: np.ndarray, starts: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""Per-forecast CRPS :math:`\int (F(z) - 1\{z \ge y\})^2\,dz` of a CDF given on a grid,
    exact for the piecewise-linear CDF through the points (no validation).

    **Tails.** The mass below the first grid point (its ``p``) sits at that point and the mass
    above the last (1 minus its ``p``) at the last: :math:`F = 0` left of the grid and 1 right
    of it, as a bounded question's out-of-range probability is placed at its bounds.  The
    integral is summed piece by piece (the piece holding ``y`` is split at ``y``), plus
    :math:`x_1 - y` when ``y`` falls left of the grid and :math:`y - x_m` right of it.

    References
    ----------
    Matheson, J. E. & Winkler, R. L. (1976). Scoring rules for continuous probability
    distributions. *Management Science* 22(10), 1087–1096.  Gneiting & Raftery (2007), eq. 20.
    """
    n = len(x)
    sizes = np.diff(np.r_[starts, n])
    seg = segment_index(starts, n)
    yy = y[seg]
    nxt = np.minimum(np.arange(n) + 1, n - 1)
    piece = np.r_[seg[1:] == seg[:-1], False]  # a row that starts a piece [x_j, x_{j+1}]
    x0, x1, a, b = x, x[nxt], p, p[nxt]
    width = np.where(piece, x1 - x0, 0.0)
    inside = piece & (yy > x0) & (yy < x1)
    left_of = yy <= x0  # the indicator is 1 on the whole piece
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(inside, (yy - x0) / np.where(width > 0, width, 1), 0.0)
    c = a + (b - a) * frac
    whole = _trapezoid_sq(a, b, left_of.astype(float), width)
    split = _trapezoid_sq(a, c, np.zeros(n), width * frac) + _trapezoid_sq(
        c, b, np.ones(n), width * (1 - frac)
    )
    total = np.add.reduceat(np.where(inside, split, whole), starts)
    first, last = x[starts], x[starts + sizes - 1]
    return total + np.maximum(first - y, 0) + np.maximum(y - last, 0)


def absolute_errors(y: np.ndarray, point: np.ndarray) -> np.ndarray:
    """:math:`|\\hat y - y|` per forecast (no validation)."""
    return np.abs(point - y)


def percentage_errors(y: np.ndarray, point: np.ndarray) -> np.ndarray:
    """:math:`100\\,|\\hat y - y| / |y|` per forecast; NaN where ``y`` is 0 (undefined there:
    any error is infinitely many percent).  Hyndman & Koehler (2006), *Int. J. Forecasting*
    22:679 (absolute percentage error), who note this and its asymmetry."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y != 0, 100 * np.abs(point - y) / np.abs(y), np.nan)


# --------------------------------------------------------------------------- public, checked


def _check_arrays(**arrays: ArrayLike) -> dict[str, np.ndarray]:
    """Arrays as floats, then shape, finiteness and length checked in that order."""
    out = {}
    for name, values in arrays.items():
        try:
            out[name] = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ScoringError(f"{name} must be numeric ({exc})", field=name) from None
    first = next(iter(out))
    for name, arr in out.items():
        if arr.ndim not in (1, 2) or (name == first and arr.ndim != 1):
            raise ScoringError(f"{name} has shape {arr.shape}", field=name)
    for name, arr in out.items():
        if not np.isfinite(arr).all():
            raise ScoringError(f"{name} contains NaN or infinity", field=name)
    n = len(out[first])
    for name, arr in out.items():
        if len(arr) != n:
            raise ScoringError(f"{first} and {name} have different lengths ({n} and {len(arr)})")
    if not n:
        raise ScoringError("no forecasts to score")
    return out


def _check_levels(levels: ArrayLike, width: int) -> np.ndarray:
    lv = np.asarray(levels, dtype=float).ravel()
    if len(lv) != width:
        raise ScoringError(f"{len(lv)} levels for {width} quantiles", field="levels")
    if not ((lv > 0) & (lv < 1)).all() or (np.diff(lv) <= 0).any():
        raise ScoringError("levels must be increasing and strictly between 0 and 1", field="levels")
    return lv


def quantile_crps(outcome: ArrayLike, quantiles: ArrayLike, levels: ArrayLike) -> float:
    r"""Mean CRPS of quantile forecasts by the quantile decomposition (lower is better).

    .. math:: \mathrm{CRPS} \approx \frac{1}{n}\sum_{i} \frac{2}{m} \sum_{j=1}^{m}
              \rho_{\tau_j}(y_i - q_{ij})

    ``quantiles`` is ``(n, m)``, non-decreasing along each row, for the increasing ``levels``
    :math:`\tau_j \in (0, 1)`.  Exact as :math:`m \to \infty` for equally spaced levels
    (the CRPS is the integral of twice the quantile loss over all levels); the same number as
    scoringrules' ``crps_quantile``.

    References
    ----------
    Laio, F. & Tamea, S. (2007). Verification tools for probabilistic forecasts of continuous
    hydrological variables. *HESS* 11, 1267–1277.  Gneiting, T. & Raftery, A. E. (2007).
    Strictly proper scoring rules, prediction, and estimation. *JASA* 102, 359–378.

    Examples
    --------
    >>> round(quantile_crps([4.0], [[1.5, 2.5, 3.5]], [0.05, 0.5, 0.95]), 4)
    0.9
    """
    a = _check_arrays(outcome=outcome, quantiles=quantiles)
    y, q = a["outcome"], a["quantiles"]
    if q.ndim != 2:
        raise ScoringError(f"quantiles must be 2-D; got shape {q.shape}", field="quantiles")
    lv = _check_levels(levels, q.shape[1])
    if (np.diff(q, axis=1) < 0).any():
        raise ScoringError("quantiles decrease along a row", field="quantiles")
    n, m = q.shape
    losses = quantile_crps_losses(q.ravel(), np.tile(lv, n), np.arange(0, n * m, m), y)
    return float(np.mean(losses))


def weighted_interval_score(
    outcome: ArrayLike, median: ArrayLike, lower: ArrayLike, upper: ArrayLike, alpha: ArrayLike
) -> float:
    r"""Mean weighted interval score of a median and ``K`` central intervals (lower is better).

    .. math:: \mathrm{WIS} = \frac{1}{K + 1/2}\Big(\tfrac12 |y - m| + \sum_{k=1}^{K}
              \tfrac{\alpha_k}{2}\,\mathrm{IS}_{\alpha_k}\Big), \quad
              \mathrm{IS}_\alpha = (u - l) + \tfrac{2}{\alpha}(l - y)_+ + \tfrac{2}{\alpha}(y - u)_+

    ``lower``/``upper`` are ``(n, K)``, the central :math:`(1-\alpha_k)` intervals.  This is the
    score of the COVID-19 Forecast Hubs (weights :math:`w_0 = 1/2`, :math:`w_k = \alpha_k/2`);
    with many equally spaced levels it approaches the CRPS.

    References
    ----------
    Bracher, J., Ray, E. L., Gneiting, T. & Reich, N. G. (2021). Evaluating epidemic forecasts
    in an interval format. *PLoS Comput. Biol.* 17(2), e1008618.

    Examples
    --------
    >>> round(weighted_interval_score([4.0], [2.5], [[1.5]], [[3.5]], [0.1]), 4)
    0.9
    """
    a = _check_arrays(outcome=outcome, median=median, lower=lower, upper=upper)
    y, m, lo, hi = a["outcome"], a["median"], a["lower"], a["upper"]
    lo, hi = lo.reshape(len(y), -1), hi.reshape(len(y), -1)
    al = np.asarray(alpha, dtype=float).ravel()
    if lo.shape != hi.shape or lo.shape[1] != len(al):
        raise ScoringError(f"{len(al)} alphas for intervals of shape {lo.shape}", field="alpha")
    if not ((al > 0) & (al < 1)).all():
        raise ScoringError("alpha must be strictly between 0 and 1", field="alpha")
    if (lo > hi).any():
        raise ScoringError("an interval's lower end is above its upper end", field="lower")
    k = len(al)
    scores = interval_score_losses(lo, hi, 1 - al, y[:, None])
    total = 0.5 * np.abs(y - m) + (al / 2 * scores).sum(axis=1)
    return float(np.mean(total / (k + 0.5)))


def cdf_crps(outcome: ArrayLike, x: ArrayLike, p: ArrayLike) -> float:
    """Mean exact CRPS of CDFs given on one grid ``x`` (increasing) with ``p`` of shape
    ``(n, len(x))`` non-decreasing in [0, 1]; see :func:`cdf_crps_losses` for the tails.

    Examples
    --------
    >>> round(cdf_crps([0.5], [0.0, 1.0], [[0.0, 1.0]]), 4)   # uniform on [0, 1]: 1/12
    0.0833
    """
    a = _check_arrays(outcome=outcome, p=p)
    y, pp = a["outcome"], a["p"]
    grid = np.asarray(x, dtype=float).ravel()
    if pp.ndim != 2 or pp.shape[1] != len(grid) or len(grid) < 2:
        raise ScoringError(f"p has shape {pp.shape} for a grid of {len(grid)}", field="p")
    if (np.diff(grid) <= 0).any():
        raise ScoringError("x must be increasing", field="x")
    if (pp < 0).any() or (pp > 1).any() or (np.diff(pp, axis=1) < 0).any():
        raise ScoringError("p must be non-decreasing within [0, 1]", field="p")
    n, m = pp.shape
    return float(np.mean(cdf_crps_losses(np.tile(grid, n), pp.ravel(), np.arange(0, n * m, m), y)))


def interval_coverage(outcome: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> float:
    """Share of outcomes inside their closed interval ``[lower, upper]``: a central
    :math:`(1-\\alpha)` interval should cover a share near :math:`1-\\alpha` (Bracher et al.
    2021, sec. 2.3; Gneiting, Balabdaoui & Raftery 2007, *JRSS B* 69:243).

    Examples
    --------
    >>> interval_coverage([1.0, 5.0], [0.0, 0.0], [2.0, 2.0])
    0.5
    """
    a = _check_arrays(outcome=outcome, lower=lower, upper=upper)
    y, lo, hi = a["outcome"], a["lower"], a["upper"]
    return float(np.mean((lo <= y) & (y <= hi)))


def absolute_error(outcome: ArrayLike, point: ArrayLike) -> float:
    """Mean absolute error of point forecasts, in the question's unit.

    Examples
    --------
    >>> absolute_error([2.0, 4.0], [2.5, 3.0])
    0.75
    """
    a = _check_arrays(outcome=outcome, point=point)
    return float(np.mean(absolute_errors(a["outcome"], a["point"])))


def percentage_error(outcome: ArrayLike, point: ArrayLike) -> float:
    """Mean absolute percentage error of point forecasts, over the outcomes that are not 0
    (NaN if all are; see :func:`percentage_errors`).

    Examples
    --------
    >>> percentage_error([2.0, 0.0], [2.5, 1.0])
    25.0
    """
    a = _check_arrays(outcome=outcome, point=point)
    errors = percentage_errors(a["outcome"], a["point"])
    return float(np.nanmean(errors)) if np.isfinite(errors).any() else float("nan")
