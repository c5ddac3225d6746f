"""Bootstrap resamples of small groups, drawn once per group size and shared by every group of it.

A resample of a group of ``m`` values is described by its counts: how often each of the ``m``
positions is drawn. The resampled sum of any per-value column is then the count-weighted sum of
the group's values, so all groups of one size are resampled at once as one matrix product,
``values (groups x m) @ counts.T (m x resamples)`` (the bootstrap as a weighted mean of the
sample; Efron & Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 6 and 10.4, on the
resampling vector). The counts depend on the seed and ``m`` only: a group's interval depends on
its own values, the seed and its size, never on its name or on who else is scored (a league
table, a claimant's report and a renamed claimant agree). The draws come from one random
stream per seed and size, jumped ahead to any block of resamples, so the values do not depend
on how the work is chunked.

Cost: the draws are ``resamples x m`` per distinct size (at most 100 sizes of up to 100), not
``resamples x claims``; the sums are ``claims x resamples`` multiply-adds, one vector-matrix
product per group and column, so that a group's sums are the same to the last bit whoever else
is resampled with it. Sums of 0/1 columns (counts of events, hits) are exact integers; sums of
other values may differ from a sequential sum in the last bit.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np

#: Draws (resamples x m) made at a time: one chunk of counts is a few arrays of this many
#: numbers (1 MB each), whatever the group's size. The values do not depend on it.
DRAWS_PER_CHUNK = 131_072
#: Resampled sums (columns x groups x resamples) held at a time: the groups of one size go a
#: block of this many numbers (2 MB) at a time.
SUMS_PER_BLOCK = 1 << 18


def resample_counts(seed: int, m: int, first: int, last: int) -> np.ndarray:
    """Counts ``(last - first, m)`` (float64) of resamples ``first`` to ``last - 1`` of a group
    of ``m`` values: draw ``i`` of resample ``j`` picks position ``floor(u * m)``, ``u`` the
    ``j * m + i``-th uniform of the PCG64 stream of ``seed`` and ``m`` (O'Neill 2014, "PCG: A
    family of simple fast space-efficient statistically good algorithms for random number
    generation", HMC-CS-2014-0905; numpy's default generator), reached by jumping ahead, so
    any block of resamples is made on its own."""
    if m < 256 and (last - first) * m <= DRAWS_PER_CHUNK:
        return _small_counts(seed, m, first, last).astype(np.float64)
    return _counts(seed, m, first, last).astype(np.float64)


@lru_cache(maxsize=256)
def _small_counts(seed: int, m: int, first: int, last: int) -> np.ndarray:
    """:func:`_counts` as bytes (a count is at most ``m``), kept: a command scores several
    statistics over the same group sizes (256 chunks of at most 128 KB)."""
    counts = _counts(seed, m, first, last).astype(np.uint8)
    counts.setflags(write=False)
    return counts


def _counts(seed: int, m: int, first: int, last: int) -> np.ndarray:
    bits = np.random.PCG64(np.random.SeedSequence([seed, m]))
    bits.advance(first * m)  # one 64-bit step per uniform drawn
    u = np.random.Generator(bits).random((last - first, m))
    u *= m
    idx = u.astype(np.int64)
    idx += np.arange(last - first, dtype=np.int64)[:, None] * m
    return np.bincount(idx.ravel(), minlength=(last - first) * m).reshape(last - first, m)


def resampled_sums(
    values: np.ndarray,
    starts: np.ndarray,
    sizes: np.ndarray,
    seed: int,
    n_resamples: int,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The resampled sums of each row of ``values`` (``columns x n``, every group contiguous:
    group ``g`` holds ``starts[g]`` to ``starts[g] + sizes[g] - 1``), a block of groups of one
    size at a time: yields ``(groups, sums)``, the groups' positions in ``starts`` and their
    sums ``(columns, len(groups), n_resamples)``. Every group of ``sizes`` comes once."""
    values = np.atleast_2d(values)
    n_columns = values.shape[0]
    per_block = max(1, SUMS_PER_BLOCK // (n_columns * n_resamples))
    order = np.argsort(sizes, kind="stable")
    bounds = np.flatnonzero(np.r_[True, sizes[order][1:] != sizes[order][:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        m = int(sizes[order[a]])
        chunk = max(1, DRAWS_PER_CHUNK // m)
        for c in range(a, b, per_block):
            groups = order[c : min(b, c + per_block)]
            # (columns x groups, 1, m): each group's values in a row of its own, so that each
            # row is its own product (one matrix product of all rows may sum a row in another
            # order depending on the other rows: a group's interval would then depend, in the
            # last bit, on who else is scored); contiguous, as a strided row takes numpy's own
            # loop, which sums in another order than BLAS
            rows = np.ascontiguousarray(values[:, starts[groups][:, None] + np.arange(m)])
            rows = rows.reshape(-1, 1, m)
            sums = np.empty((len(rows), 1, n_resamples))
            for first in range(0, n_resamples, chunk):
                last = min(n_resamples, first + chunk)
                weights = np.ascontiguousarray(resample_counts(seed, m, first, last).T)
                np.matmul(rows, weights, out=sums[:, :, first:last])
            yield groups, sums.reshape(n_columns, len(groups), n_resamples)


def percentile_interval(
    samples: np.ndarray, level: float, *, overwrite: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The percentile interval (``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles) of the
    resamples along the last axis of ``samples``: what ``np.quantile(samples, q, axis=-1)``
    gives, by its default linear interpolation between order statistics (Hyndman & Fan 1996,
    *Am. Stat.* 50:361, definition 7), NaN where a row holds a NaN.

    Two single-rank partitions (``np.partition`` with several ranks, which ``np.quantile`` asks
    for, is four times slower than two partitions with one each); the two order statistics
    beside each rank are the largest below it and the smallest above it. They partition a copy,
    or with ``overwrite`` the caller's float64 array itself (its values are then reordered
    within each row)."""
    n = samples.shape[-1]
    work = samples if overwrite and samples.dtype == np.float64 else np.array(samples, float)
    holed = np.isnan(work).any(axis=-1)
    out = []
    for q, side in (((1 - level) / 2, "low"), ((1 + level) / 2, "high")):
        virtual = (n - 1) * q
        below = int(np.floor(virtual))
        above = min(below + 1, n - 1)
        gamma = virtual - below
        if side == "low":  # rank `above`: everything before it is at most it
            work.partition(above, axis=-1)
            b = work[..., above]
            a = work[..., :above].max(axis=-1) if above > below else b
        else:  # rank `below`: everything after it is at least it
            work.partition(below, axis=-1)
            a = work[..., below]
            b = work[..., below + 1 :].min(axis=-1) if above > below else a
        out.append(_lerp(a, b, gamma))
    low, high = out
    low[holed] = np.nan
    high[holed] = np.nan
    return low, high


def _lerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """``a + (b - a) t``, from the nearer end (numpy's quantile interpolation, to the bit)."""
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t
