"""Percentile bootstrap intervals for many groups at once (claimants, publishers, tags).

Every group is resampled to its own size from its own random stream, seeded by the caller's
seed and the group's name, so a claimant's interval is the same whichever other claimants are
scored in the same call (a league table and an author report agree).

Two methods, chosen per group by size:

- groups of at most :data:`LARGE_GROUP_N` claims are resampled claim by claim
  (:func:`resampled_sums_exact`), the plain percentile bootstrap of Efron & Tibshirani (1993,
  *An Introduction to the Bootstrap*, ch. 13); its cost is claims x resamples;
- larger groups draw their resampled sums from the normal limit of that bootstrap
  (:func:`resampled_sums_normal`), whose cost is claims + resamples.

1,000,000 forecasts by 2,000 claimants take about a second (``bench/score_bench.py``), where
resampling every claim 2,000 times took a minute.
"""

from __future__ import annotations

import zlib

import numpy as np

from forecastkit.errors import ParameterError
from forecastkit.scoring.scores import MIN_BOOTSTRAP_N, Seed, log_losses, rng_from

#: Groups larger than this get the normal limit of the bootstrap; smaller ones are resampled
#: claim by claim. At 100 claims the two agree to the Monte Carlo noise of either (tested).
LARGE_GROUP_N = 100
#: The statistics that get intervals, in :func:`forecastkit.scoring.grouped.score_table`.
CI_STATISTICS = ("brier", "log_score", "hit_rate", "bss_base_rate", "bss_half")
#: Per-claim values whose resampled sums give every statistic.
SUMMED = ("brier", "log_score", "y", "hit", "sided")


def _gather(
    losses: dict[str, np.ndarray], starts: np.ndarray, sizes: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The losses of the chosen groups, contiguous, and where each group starts in them."""
    n = int(sizes.sum())
    local = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    if n == len(losses["y"]):  # every group chosen: already contiguous
        return losses, local
    where = np.repeat(starts - local, sizes) + np.arange(n)
    return {key: losses[key][where] for key in SUMMED}, local


def resampled_sums_exact(
    losses: dict[str, np.ndarray],
    starts: np.ndarray,
    sizes: np.ndarray,
    streams: list[np.random.Generator],
    n_resamples: int,
) -> dict[str, np.ndarray]:
    """Sums of each loss over ``n_resamples`` resamples of every group: ``(resamples, groups)``.

    The index of draw ``j`` of a group starting at ``s`` with ``m`` claims is
    ``s + floor(u * m)``, with ``u`` from the group's own stream, drawn row-major so that the
    values do not depend on the chunk size (chunks bound the memory to ~4M draws).
    """
    values, local = _gather(losses, starts, sizes)
    n = int(sizes.sum())
    size_of = np.repeat(sizes, sizes).astype(float)
    offsets = np.repeat(local, sizes)
    chunk = max(1, 4_000_000 // max(n, 1))
    draws: dict[str, list[np.ndarray]] = {key: [] for key in SUMMED}
    for first in range(0, n_resamples, chunk):
        k = min(chunk, n_resamples - first)
        uniform = np.empty((k, n))
        for stream, begin, size in zip(streams, local, sizes, strict=True):
            uniform[:, begin : begin + size] = stream.random((k, size))
        idx = offsets + (uniform * size_of).astype(np.int64)
        for key in SUMMED:
            draws[key].append(np.add.reduceat(values[key][idx], local, axis=1))
    return {key: np.vstack(parts) for key, parts in draws.items()}


def resampled_sums_normal(
    losses: dict[str, np.ndarray],
    starts: np.ndarray,
    sizes: np.ndarray,
    streams: list[np.random.Generator],
    n_resamples: int,
) -> dict[str, np.ndarray]:
    """The same sums for large groups, drawn from their normal limit.

    The sum of ``m`` claims drawn with replacement from a group is a sum of ``m`` independent
    draws from the group's empirical distribution, so by the central limit theorem the vector
    of summed losses is close to normal with mean ``m * mean`` and covariance ``m * cov`` of
    the group's per-claim loss vectors (Efron & Tibshirani 1993, sec. 5.2 and ch. 21; Singh
    1981, *Ann. Stat.* 9:1187, on the accuracy of the bootstrap of a mean). Drawing that vector
    directly, and computing every statistic from it exactly as from resampled claims, keeps
    the non-linear statistics (hit rate, skill against the base rate) non-linear: only the
    sums are approximated. The five sums are drawn jointly, so their correlation is kept.
    Counts stay within ``[0, m]`` and losses non-negative.
    """
    keys = SUMMED
    values, local = _gather(losses, starts, sizes)
    stacked = np.stack([values[key] for key in keys], axis=1)  # (claims, 5)
    mean = np.add.reduceat(stacked, local, axis=0) / sizes[:, None]
    cov = np.empty((len(starts), len(keys), len(keys)))
    for i in range(len(keys)):
        for j in range(i, len(keys)):
            ex = np.add.reduceat(stacked[:, i] * stacked[:, j], local) / sizes
            cov[:, i, j] = cov[:, j, i] = ex - mean[:, i] * mean[:, j]
    eigval, eigvec = np.linalg.eigh(cov)
    root = eigvec * np.sqrt(np.clip(eigval, 0, None))[:, None, :]  # cov = root @ root.T
    # standard normals in float32 (half the memory traffic); the sums are float64
    z = np.empty((len(starts), len(keys), n_resamples), dtype=np.float32)
    for g, stream in enumerate(streams):
        stream.standard_normal(out=z[g], dtype=np.float32)
    draws = np.matmul(root.astype(np.float32), z)  # (groups, 5, resamples)
    out = {}
    for i, key in enumerate(keys):
        sums = draws[:, i, :].astype(np.float64)
        sums *= np.sqrt(sizes)[:, None]
        sums += (sizes * mean[:, i])[:, None]
        high = sizes[:, None] if key in ("y", "hit", "sided") else None
        out[key] = np.clip(sums, 0, high, out=sums).T
    return out


def bootstrap_by_group(
    y: np.ndarray,
    p: np.ndarray,
    codes: np.ndarray,
    groups: list[str],
    n_resamples: int,
    level: float,
    seed: Seed,
    eps: float | None,
    *,
    large_group_n: int | None = None,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Percentile intervals of each statistic of :data:`CI_STATISTICS`, per group.

    ``y`` and ``p`` are sorted by the integer group ``codes``; ``groups[code]`` names a group
    (its name seeds its stream). Returns ``{statistic: (low, high)}``, arrays indexed by code;
    groups with fewer than ``MIN_BOOTSTRAP_N`` claims get NaN (a lone forecast resampled is
    itself: a zero-width interval would read as certainty). ``large_group_n`` overrides
    :data:`LARGE_GROUP_N` (``0``: every group by the normal limit; a huge number: every group
    resampled claim by claim). An int ``seed`` is a whole number from 0 to 2**63 - 1 (numpy's
    seed sequences take no negative numbers): another is a ``ParameterError``.
    """
    if isinstance(seed, int | np.integer) and not 0 <= seed < 2**63:
        raise ParameterError(
            f"seed {seed} is out of range",
            field="seed",
            hint="give a whole number from 0 to 2**63 - 1",
        )
    limit = LARGE_GROUP_N if large_group_n is None else large_group_n
    n_groups = len(groups)
    nan = np.full(n_groups, np.nan)
    out = {key: (nan.copy(), nan.copy()) for key in CI_STATISTICS}
    if len(y) == 0:
        return out
    present, starts, sizes = np.unique(codes, return_index=True, return_counts=True)
    base = seed if isinstance(seed, int | np.integer) else int(rng_from(seed).integers(2**63))
    # Groups a block at a time: every array then stays a few MB, which the allocator reuses
    # (2,000 groups x 2,000 resamples at once is hundreds of MB of fresh pages). Each group
    # draws from its own stream, so the blocks change nothing in the result.
    for a in range(0, len(present), GROUPS_PER_BLOCK):
        block = slice(a, a + GROUPS_PER_BLOCK)
        st, sz = starts[block], sizes[block]
        lo, hi = int(st[0]), int(st[-1] + sz[-1])
        names = [groups[g] for g in present[block]]
        part = _block_intervals(
            y[lo:hi], p[lo:hi], st - lo, sz, names, n_resamples, level, base, eps, limit
        )
        for key in CI_STATISTICS:
            out[key][0][present[block]], out[key][1][present[block]] = part[key]
    return out


#: Groups bootstrapped together (see :func:`bootstrap_by_group`).
GROUPS_PER_BLOCK = 128


def _block_intervals(
    y: np.ndarray,
    p: np.ndarray,
    starts: np.ndarray,
    sizes: np.ndarray,
    names: list[str],
    n_resamples: int,
    level: float,
    base: int,
    eps: float | None,
    limit: int,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The intervals of one block of consecutive groups (``starts`` within ``y`` and ``p``)."""
    half = p == 0.5
    losses = {
        "brier": (p - y) ** 2,
        "log_score": log_losses(y, p, eps),
        "y": y.astype(float),
        "hit": (~half & ((p > 0.5) == (y == 1))).astype(float),
        "sided": (~half).astype(float),
    }
    streams = [np.random.default_rng([base, zlib.crc32(name.encode("utf-8"))]) for name in names]
    large = sizes > limit
    sums = {key: np.empty((n_resamples, len(sizes))) for key in SUMMED}
    for mask, method in ((~large, resampled_sums_exact), (large, resampled_sums_normal)):
        if mask.any():
            chosen = np.flatnonzero(mask)
            part = method(
                losses, starts[chosen], sizes[chosen], [streams[i] for i in chosen], n_resamples
            )
            for key in SUMMED:
                sums[key][:, chosen] = part[key]
    with np.errstate(divide="ignore", invalid="ignore"):
        brier = sums["brier"] / sizes
        rate = sums["y"] / sizes
        samples = {
            "brier": brier,
            "log_score": sums["log_score"] / sizes,
            "hit_rate": sums["hit"] / sums["sided"],
            "bss_base_rate": np.where(
                rate * (1 - rate) > 0, 1 - brier / (rate * (1 - rate)), np.nan
            ),
            "bss_half": 1 - brier / 0.25,
        }
    q = [(1 - level) / 2, (1 + level) / 2]
    out = {}
    too_few = sizes < MIN_BOOTSTRAP_N
    for key, values in samples.items():
        if np.isnan(values).any():
            import warnings

            with warnings.catch_warnings():  # all-NaN columns (every claim at 50%) stay NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                low, high = np.nanquantile(values, q, axis=0)
        else:
            low, high = np.quantile(values, q, axis=0)
        out[key] = (np.where(too_few, np.nan, low), np.where(too_few, np.nan, high))
    return out
