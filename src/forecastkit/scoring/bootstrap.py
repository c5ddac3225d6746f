"""Percentile bootstrap intervals for many groups at once (claimants, publishers, tags).

Every group is resampled to its own size from its own random stream, seeded by the caller's
seed and the group's name, so a claimant's interval is the same whichever other claimants are
scored in the same call (a league table and an author report agree).

Two methods, chosen per group by size:

- groups of at most :data:`LARGE_GROUP_N` claims are resampled claim by claim
  (:func:`resampled_sums_exact`), the plain percentile bootstrap of Efron & Tibshirani (1993,
  *An Introduction to the Bootstrap*, ch. 13); its cost is claims x resamples;
- larger groups get the large-sample limit of that bootstrap in closed form, the normal
  interval of each statistic with its delta-method standard error (:func:`normal_intervals`),
  whose cost is the claims alone: it draws no resample.

1,000,000 forecasts by 2,000 claimants take a few tenths of a second (``bench/score_bench.py``),
where resampling every claim 2,000 times took a minute.
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


def normal_intervals(
    losses: dict[str, np.ndarray], starts: np.ndarray, sizes: np.ndarray, level: float
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Intervals of every statistic of :data:`CI_STATISTICS` for large groups, in closed form.

    The mean of ``m`` claims drawn with replacement from a group is, by the central limit
    theorem, close to normal with mean ``mean`` and covariance ``cov / m`` of the group's
    per-claim loss vectors (Efron & Tibshirani 1993, sec. 5.2 and ch. 21; Singh 1981, *Ann.
    Stat.* 9:1187, on the accuracy of the bootstrap of a mean). A smooth statistic ``g`` of those
    means (a ratio: hit rate; a skill against the base rate) is then close to normal with
    variance ``grad(g)' cov grad(g) / m``: the delta method (Casella & Berger 2002, *Statistical
    Inference*, sec. 5.5.4; Efron & Tibshirani 1993, sec. 21.3). The percentile bootstrap
    interval converges to ``g +- z * se``, which this returns without drawing a resample: its
    cost is the group's claims, whatever the number of resamples. Intervals are clipped to the
    statistic's range (Brier in [0, 1], hit rate in [0, 1], skill at most 1).
    """
    from statistics import NormalDist

    values, local = _gather(losses, starts, sizes)
    m = sizes.astype(float)
    mean = {key: np.add.reduceat(values[key], local) / m for key in SUMMED}

    def cov(a: str, b: str) -> np.ndarray:
        return np.add.reduceat(values[a] * values[b], local) / m - mean[a] * mean[b]

    z = NormalDist().inv_cdf((1 + level) / 2)
    b, s, h, r = mean["brier"], mean["sided"], mean["hit"], mean["y"]
    u = r * (1 - r)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        # gradients: hit rate h/s -> (1/s, -h/s^2); base-rate skill 1 - b/u(r) ->
        # (-1/u, b u'(r)/u^2) with u'(r) = 1 - 2r
        gh, gs = 1 / s, -h / s**2
        gb, gr = -1 / u, b * (1 - 2 * r) / u**2
        var = {
            "brier": cov("brier", "brier"),
            "log_score": cov("log_score", "log_score"),
            "hit_rate": gh**2 * cov("hit", "hit")
            + 2 * gh * gs * cov("hit", "sided")
            + gs**2 * cov("sided", "sided"),
            "bss_base_rate": gb**2 * cov("brier", "brier")
            + 2 * gb * gr * cov("brier", "y")
            + gr**2 * cov("y", "y"),
            "bss_half": 16 * cov("brier", "brier"),
        }
        point = {
            "brier": b,
            "log_score": mean["log_score"],
            "hit_rate": h / s,
            "bss_base_rate": np.where(u > 0, 1 - b / u, np.nan),
            "bss_half": 1 - 4 * b,
        }
    bounds = {
        "brier": (0.0, 1.0),
        "log_score": (0.0, None),
        "hit_rate": (0.0, 1.0),
        "bss_base_rate": (None, 1.0),
        "bss_half": (-3.0, 1.0),
    }
    for key in CI_STATISTICS:
        se = np.sqrt(np.clip(var[key], 0, None) / m)
        low, high = bounds[key]
        out[key] = (
            np.clip(point[key] - z * se, low, high),
            np.clip(point[key] + z * se, low, high),
        )
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
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])  # codes are sorted
    present, sizes = codes[starts], np.diff(np.r_[starts, len(codes)])
    keep = sizes >= MIN_BOOTSTRAP_N  # a lone forecast resampled is itself: no interval
    large = keep & (sizes > limit)
    if large.any():
        part = normal_intervals(_losses(y, p, eps), starts[large], sizes[large], level)
        for key in CI_STATISTICS:
            out[key][0][present[large]], out[key][1][present[large]] = part[key]
    small = np.flatnonzero(keep & ~large)
    base = seed if isinstance(seed, int | np.integer) else int(rng_from(seed).integers(2**63))
    # Groups a block at a time: every array then stays a few MB, which the allocator reuses
    # (2,000 groups x 2,000 resamples at once is hundreds of MB of fresh pages). Each group
    # draws from its own stream, so the blocks change nothing in the result.
    for a in range(0, len(small), GROUPS_PER_BLOCK):
        block = small[a : a + GROUPS_PER_BLOCK]
        st, sz = starts[block], sizes[block]
        where = np.repeat(st, sz) + (np.arange(int(sz.sum())) - np.repeat(np.cumsum(sz) - sz, sz))
        local = np.cumsum(sz) - sz
        names = [groups[g] for g in present[block]]
        part = _resampled_intervals(
            _losses(y[where], p[where], eps), local, sz, names, n_resamples, level, base
        )
        for key in CI_STATISTICS:
            out[key][0][present[block]], out[key][1][present[block]] = part[key]
    return out


#: Groups bootstrapped together (see :func:`bootstrap_by_group`).
GROUPS_PER_BLOCK = 128


def _losses(y: np.ndarray, p: np.ndarray, eps: float | None) -> dict[str, np.ndarray]:
    """The per-claim values of :data:`SUMMED`."""
    half = p == 0.5
    return {
        "brier": (p - y) ** 2,
        "log_score": log_losses(y, p, eps),
        "y": y.astype(float),
        "hit": (~half & ((p > 0.5) == (y == 1))).astype(float),
        "sided": (~half).astype(float),
    }


def _resampled_intervals(
    losses: dict[str, np.ndarray],
    starts: np.ndarray,
    sizes: np.ndarray,
    names: list[str],
    n_resamples: int,
    level: float,
    base: int,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Percentile intervals of a block of groups resampled claim by claim (contiguous)."""
    streams = [np.random.default_rng([base, zlib.crc32(name.encode("utf-8"))]) for name in names]
    sums = resampled_sums_exact(losses, starts, sizes, streams, n_resamples)
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
    for key, values in samples.items():
        if np.isnan(values).any():
            import warnings

            with warnings.catch_warnings():  # all-NaN columns (every claim at 50%) stay NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                low, high = np.nanquantile(values, q, axis=0)
        else:
            low, high = np.quantile(values, q, axis=0)
        out[key] = (low, high)
    return out
