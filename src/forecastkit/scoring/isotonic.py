"""Isotonic (PAV) recalibration of probability forecasts, vectorised over many groups at once.

Tied forecasts of a group are pooled into one weighted point (by counting, when the forecasts
take few distinct values as trackers' whole percents do; by sorting otherwise), and a single
pool-adjacent-violators fit runs over all groups' points (rounds of parallel pooling, finished
by ``scipy.optimize.isotonic_regression`` when forecasts take many values), without ever
pooling across a group boundary, so 2,000 claimants cost about as much as one. SciPy is
imported only where it is needed. The CORP decomposition and reliability diagram
(:mod:`forecastkit.scoring.calibration`) are built on these fits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from forecastkit.scoring.scores import check_forecasts


def _dense_codes(codes: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... for a sorted code array (so offsets stay small whatever the codes are)."""
    out = np.zeros(len(codes), dtype=np.int64)
    if len(codes) > 1:
        np.cumsum(codes[1:] != codes[:-1], out=out[1:])
    return out


#: Rounds of parallel pooling always tried before the rest of a PAV fit may go to SciPy ...
PARALLEL_POOL_ROUNDS = 32
#: ... and the work (blocks visited, summed over rounds) parallel pooling may take in all: about
#: 0.25 s of vector operations, a quarter of what importing ``scipy.optimize`` costs (1 s). The
#: PredictionBook corpus (15,465 points of 2,205 claimants) needs 72 rounds, 0.6 million visits.
PARALLEL_POOL_WORK = 1 << 24


def pav_points(group: np.ndarray, weight: np.ndarray, events: np.ndarray) -> np.ndarray:
    """PAV fit of the pooled points of every group (sorted by group, then forecast): the
    fitted event rate of each point. ``weight`` claims of a point, ``events`` of them true.

    First, rounds of parallel pooling: every adjacent pair of blocks of a group whose means
    violate the order is pooled at once. Pooling any adjacent violators is a step of PAV, whose
    result does not depend on the order of its steps (Ayer et al. 1955; Best & Chakravarti
    1990, *Math. Programming* 47:425, sec. 2), so when no violator is left this is the PAV fit.
    Points rounded as trackers round them (99 values per group) need 15 to 100 rounds of
    vector operations. Forecasts with many distinct values can need as many rounds as points, so
    once the rounds have visited :data:`PARALLEL_POOL_WORK` blocks (and at least
    :data:`PARALLEL_POOL_ROUNDS` rounds are done) the blocks so far go to
    ``scipy.optimize.isotonic_regression`` (the same fit, in one linear pass), which is imported
    only then. The sums pooled are counts, exact in floating point, so both routes give the
    same fitted means to the bit.
    """
    if len(weight) == 0:
        return np.empty(0)
    w, e, g = weight, events, group
    block = np.arange(len(weight))  # each point's block
    budget = max(PARALLEL_POOL_WORK, PARALLEL_POOL_ROUNDS * len(weight))
    work = 0
    while work < budget:
        work += len(w)
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


def pav_sorted(codes: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """PAV fit of ``y`` on ``x`` within each group; input sorted by (codes, x); ties pooled."""
    n = len(x)
    if n == 0:
        return np.empty(0)
    new = np.ones(n, dtype=bool)
    new[1:] = (codes[1:] != codes[:-1]) | (x[1:] != x[:-1])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, n))
    fitted = pav_points(codes[starts], counts.astype(float), np.add.reduceat(y, starts))
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
    return pav_points(group, weight, events)[point]


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
