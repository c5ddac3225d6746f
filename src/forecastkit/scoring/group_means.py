"""Percentile bootstrap intervals of a mean within each group, all groups in one array.

Used for the scores that are means over a claimant's questions (time-weighted scores, relative
Brier, the typed leagues' scores). Each group's resamples depend only on the seed and the
group's size (:mod:`forecastkit.scoring.resampling`), so a claimant's interval is the same
whichever other claimants are scored with them.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from forecastkit.scoring.resampling import percentile_interval, resampled_sums
from forecastkit.scoring.scores import CI_LEVEL, MIN_BOOTSTRAP_N, N_RESAMPLES

#: Groups with more values than this get the normal limit of the bootstrap of a mean.
LARGE_GROUP_N = 100


def bootstrap_means(
    values: np.ndarray,
    groups: pd.Series,
    *,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: int = 0,
) -> pd.DataFrame:
    """Percentile bootstrap interval of the mean of ``values`` within each group.

    Returns ``group, low, high`` (NaN for groups under ``MIN_BOOTSTRAP_N`` values). Groups of
    up to :data:`LARGE_GROUP_N` values are resampled value by value, every group of one size
    at once (the bootstrap mean of a resample is the count-weighted mean of the group's values;
    Efron & Tibshirani 1993, ch. 6); larger groups use the normal limit of the bootstrap
    distribution of a mean, mean +- z * sd / sqrt(n) with the plug-in sd (Efron & Tibshirani
    1993, sec. 5.2), where resampling would cost values x resamples for no visible change.
    """
    return bootstrap_means_many([values], groups, n_resamples=n_resamples, level=level, seed=seed)[
        0
    ]


def bootstrap_means_many(
    columns: list[np.ndarray],
    groups: pd.Series,
    *,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: int = 0,
) -> list[pd.DataFrame]:
    """:func:`bootstrap_means` of several value columns over the same groups, one frame each.

    The resamples depend on the groups' sizes and the seed only, never on the values: every
    column is summed over the same resamples, so each frame equals
    ``bootstrap_means(column, groups, ...)`` at the cost of one.
    """
    codes, names = pd.factorize(groups, sort=True)
    bounds = mean_intervals(
        columns, codes, len(names), n_resamples=n_resamples, level=level, seed=seed
    )
    return [_frame(names, low, high) for low, high in bounds]


def mean_intervals(
    columns: list[np.ndarray],
    codes: np.ndarray,
    n_groups: int,
    *,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: int = 0,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`bootstrap_means_many` by integer group codes (0 to ``n_groups - 1``, each value's
    group): ``(low, high)`` per column, arrays indexed by code, for a caller whose groups are
    codes already (no text to factorize, no frame to look up)."""
    codes = np.asarray(codes)
    columns = [np.asarray(values, dtype=float) for values in columns]
    parts = [_normal_part(values, codes, n_groups, level) for values in columns]
    if not len(codes) or not parts:
        return [(low, high) for low, high, _, _ in parts]
    small = parts[0][2]
    pick = small[codes]
    if pick.any():
        order = np.argsort(codes[pick], kind="stable")
        c = codes[pick][order]
        picked = np.stack([values[pick][order] for values in columns])
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        sizes = np.diff(np.r_[starts, len(c)])
        for which, sums in resampled_sums(picked, starts, sizes, seed, n_resamples):
            g = c[starts[which]]
            sums /= sizes[which][:, None]  # (columns, groups, resamples) of means
            lows, highs = percentile_interval(sums, level, overwrite=True)  # every column
            for (low, high, _, _), lo, hi in zip(parts, lows, highs, strict=True):
                low[g], high[g] = lo, hi
    return [(low, high) for low, high, _, _ in parts]


def _normal_part(
    values: np.ndarray, codes: np.ndarray, n_groups: int, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``low, high`` with the normal-limit intervals of the large groups filled in (NaN
    elsewhere), the mask of the small groups to resample, and every group's size."""
    low, high = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    size = np.bincount(codes, minlength=n_groups)
    small = np.zeros(n_groups, dtype=bool)
    if len(values):
        mean = np.bincount(codes, values, n_groups) / np.maximum(size, 1)
        var = np.bincount(codes, (values - mean[codes]) ** 2, n_groups) / np.maximum(size, 1)
        z = NormalDist().inv_cdf((1 + level) / 2)
        big = size > LARGE_GROUP_N
        low[big] = mean[big] - z * np.sqrt(var[big] / size[big])
        high[big] = mean[big] + z * np.sqrt(var[big] / size[big])
        small = (size >= MIN_BOOTSTRAP_N) & ~big
    return low, high, small, size


def _frame(names: pd.Index, low: np.ndarray, high: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": pd.array(np.asarray(names, dtype=object), dtype="string"),
            "low": low,
            "high": high,
        }
    )
