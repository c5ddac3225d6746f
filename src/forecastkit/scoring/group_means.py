"""Percentile bootstrap intervals of a mean within each group, all groups in one array.

Used for the scores that are means over a claimant's questions (time-weighted scores, relative
Brier). Each group's resamples depend only on the seed and the group's name, so a claimant's
interval is the same whichever other claimants are scored with them.
"""

from __future__ import annotations

import zlib
from statistics import NormalDist

import numpy as np
import pandas as pd

from forecastkit.scoring.scores import CI_LEVEL, MIN_BOOTSTRAP_N, N_RESAMPLES

#: Groups with more values than this get the normal limit of the bootstrap of a mean.
LARGE_GROUP_N = 100


def _hash_uniform(keys: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Uniforms in [0, 1) from splitmix64 of (group key, draw number): each group's resamples
    depend only on the seed and the group's name, never on the other groups (Steele, Lea &
    Flood 2014, "Fast splittable pseudorandom number generators", OOPSLA). In place on one
    array and one scratch array of the broadcast shape (integer arithmetic: the same bits as
    the textbook expression)."""
    with np.errstate(over="ignore"):
        # broadcast: a fresh array of the full shape
        x = (keys * np.uint64(0x9E3779B97F4A7C15)) ^ draws.astype(np.uint64, copy=False)
        scratch = np.empty_like(x)
        for _ in range(2):
            x += np.uint64(0x9E3779B97F4A7C15)
            np.right_shift(x, np.uint64(30), out=scratch)
            x ^= scratch
            x *= np.uint64(0xBF58476D1CE4E5B9)
            np.right_shift(x, np.uint64(27), out=scratch)
            x ^= scratch
            x *= np.uint64(0x94D049BB133111EB)
            np.right_shift(x, np.uint64(31), out=scratch)
            x ^= scratch
        del scratch
        x >>= np.uint64(11)
        u = x.astype(np.float64)
    u *= 2.0**-53
    return u


#: Draws (resamples x values) hashed at a time: bounds the memory of the small-group bootstrap
#: to a few arrays of this many 8-byte numbers (1 MB each, which stay in the processor's
#: cache: twice as fast as 8 MB chunks), whatever the corpus size. Groups are resampled
#: :data:`CLAIMS_PER_BLOCK` values at a time. The values do not depend on either (every draw
#: is hashed from its own group and number).
DRAWS_PER_CHUNK = 131_072
CLAIMS_PER_BLOCK = 4_096


def bootstrap_means(
    values: np.ndarray,
    groups: pd.Series,
    *,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: int = 0,
    draws: str = "group",
) -> pd.DataFrame:
    """Percentile bootstrap interval of the mean of ``values`` within each group.

    ``draws="size"``: the resamples of a small group are drawn from a stream keyed by the seed
    and the group's *size* instead of its name (see :func:`_size_keyed_intervals`): still
    independent of the other groups, and computed as one matrix product per group size, for
    tables of many small groups (the leagues of ``scoring.typed_table``).

    Returns ``group, low, high`` (NaN for groups under ``MIN_BOOTSTRAP_N`` values). Groups of
    up to :data:`LARGE_GROUP_N` values are resampled value by value (all groups in one array);
    larger groups use the normal limit of the bootstrap distribution of a mean, mean +- z *
    sd / sqrt(n) with the plug-in sd (Efron & Tibshirani 1993, sec. 5.2), where resampling
    would cost values x resamples for no visible change.
    """
    if draws == "size":
        codes, names = pd.factorize(groups, sort=True)
        values = np.asarray(values, dtype=float)
        low, high, small, size = _normal_part(values, codes, len(names), level)
        if small[codes].any():
            _size_keyed_intervals(values, codes, small, size, n_resamples, level, seed, low, high)
        return _frame(names, low, high)
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

    The resample indices depend on the groups, their names, the seed and the draw numbers
    only, never on the values: they are hashed once and every column is summed over the same
    draws, so each frame equals ``bootstrap_means(column, groups, ...)`` to the last bit at the
    cost of one. Draws go :data:`DRAWS_PER_CHUNK` at a time (memory bounded by that, not by
    values x resamples).
    """
    codes, names = pd.factorize(groups, sort=True)
    columns = [np.asarray(values, dtype=float) for values in columns]
    n_groups = len(names)
    parts = [_normal_part(values, codes, n_groups, level) for values in columns]
    if not len(codes) or not parts:
        return [_frame(names, low, high) for low, high, _, _ in parts]
    small = parts[0][2]
    pick = small[codes]
    if pick.any():
        order = np.argsort(codes[pick], kind="stable")
        c = codes[pick][order]
        picked = [values[pick][order] for values in columns]
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        sizes = np.diff(np.r_[starts, len(c)])
        keys = np.array(
            [zlib.crc32(str(names[g]).encode("utf-8")) for g in c[starts]], dtype=np.uint64
        ) + np.uint64(seed) * np.uint64(2**32)
        # groups a block at a time (each group's draws are its own: blocks change no value)
        ends = np.cumsum(sizes)
        first_group = 0
        while first_group < len(starts):
            base = ends[first_group] - sizes[first_group]
            last_group = max(
                first_group + 1, int(np.searchsorted(ends, base + CLAIMS_PER_BLOCK, "right"))
            )
            block = slice(first_group, last_group)
            lo, hi = int(starts[first_group]), int(ends[last_group - 1])
            samples = _block_means(
                [v[lo:hi] for v in picked],
                starts[block] - lo,
                sizes[block],
                keys[block],
                n_resamples,
            )
            g = c[starts[block]]
            for (low, high, _, _), sample in zip(parts, samples, strict=True):
                q = np.quantile(sample, [(1 - level) / 2, (1 + level) / 2], axis=0)
                low[g], high[g] = q[0], q[1]
            first_group = last_group
    return [_frame(names, low, high) for low, high, _, _ in parts]


def _block_means(
    columns: list[np.ndarray],
    starts: np.ndarray,
    sizes: np.ndarray,
    keys: np.ndarray,
    n_resamples: int,
) -> list[np.ndarray]:
    """Bootstrap means ``(resamples, groups)`` of each column over a block of contiguous groups:
    draw ``j`` of the value at ``i`` of a group of ``m`` values picks the value at
    ``floor(u * m)``, ``u`` the splitmix64 uniform of the group's key and ``j * 2**20 + i``."""
    n = len(columns[0])
    key_of = np.repeat(keys, sizes)[None, :]
    start_of, size_of = np.repeat(starts, sizes), np.repeat(sizes, sizes)
    local = (np.arange(n) - start_of).astype(np.uint64)[None, :]
    chunk = max(1, DRAWS_PER_CHUNK // n)
    samples = [np.empty((n_resamples, len(starts))) for _ in columns]
    for first in range(0, n_resamples, chunk):
        last = min(n_resamples, first + chunk)
        j = np.arange(first, last, dtype=np.uint64)[:, None]
        u = _hash_uniform(key_of, j * np.uint64(1 << 20) + local)
        u *= size_of
        idx = u.astype(np.int64)
        idx += start_of
        for v, out in zip(columns, samples, strict=True):
            out[first:last] = np.add.reduceat(v[idx], starts, axis=1)
    for sample in samples:
        sample /= sizes
    return samples


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


def _size_keyed_intervals(
    values: np.ndarray,
    codes: np.ndarray,
    small: np.ndarray,
    size: np.ndarray,
    n_resamples: int,
    level: float,
    seed: int,
    low: np.ndarray,
    high: np.ndarray,
) -> None:
    """Percentile intervals of the small groups, in place: for each group size ``m`` one matrix
    of resample counts (``n_resamples x m``, drawn from splitmix64 keyed by the seed and ``m``),
    and every group of that size resampled at once as ``values @ counts.T / m`` (the bootstrap
    mean of a resample is the count-weighted mean of the group's values; Efron & Tibshirani
    1993, ch. 6).  A group's interval depends on its values, the seed and its size only (to
    the last bit: the matrix product may sum in another order)."""
    pick = small[codes]
    order = np.argsort(codes[pick], kind="stable")
    v, c = values[pick][order], codes[pick][order]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    sizes = np.diff(np.r_[starts, len(c)])
    rows = np.arange(n_resamples, dtype=np.uint64)[:, None]
    for m in np.unique(sizes):
        which = np.flatnonzero(sizes == m)
        matrix = v[starts[which][:, None] + np.arange(m)]  # (groups, m)
        key = np.uint64(m) + np.uint64(seed) * np.uint64(2**32) + np.uint64(1 << 62)
        u = _hash_uniform(
            np.full((1, m), key, dtype=np.uint64),
            rows * np.uint64(1 << 20) + np.arange(m, dtype=np.uint64)[None, :],
        )
        idx = (u * m).astype(np.int64) + np.arange(n_resamples)[:, None] * m
        counts = np.bincount(idx.ravel(), minlength=n_resamples * m).reshape(n_resamples, m)
        means = matrix @ counts.T.astype(float) / m  # (groups, resamples)
        q = np.quantile(means, [(1 - level) / 2, (1 + level) / 2], axis=1)
        g = c[starts[which]]
        low[g], high[g] = q[0], q[1]
