"""Percentile bootstrap intervals for many groups at once (claimants, publishers, tags).

Every group is resampled to its own size, with resamples that depend on the caller's seed and
the group's size only, so a claimant's interval is the same whichever other claimants are
scored in the same call, and under any name (a league table and an author report agree).

Two methods, chosen per group by size:

- groups of at most :data:`LARGE_GROUP_N` claims get the plain percentile bootstrap of Efron &
  Tibshirani (1993, *An Introduction to the Bootstrap*, ch. 13), every group of one size
  resampled at once by one matrix of resample counts (:mod:`forecastkit.scoring.resampling`);
- larger groups get the large-sample limit of that bootstrap in closed form, the normal
  interval of each statistic with its delta-method standard error (:func:`normal_intervals`),
  whose cost is the claims alone: it draws no resample.

1,000,000 forecasts by 2,000 claimants take a few tenths of a second (``bench/score_bench.py``),
where resampling every claim 2,000 times took a minute.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from forecastkit.errors import ParameterError
from forecastkit.scoring.resampling import percentile_interval, resampled_sums
from forecastkit.scoring.scores import MIN_BOOTSTRAP_N, Seed, log_losses, rng_from

#: Groups larger than this get the normal limit of the bootstrap; smaller ones are resampled.
#: At 100 claims the two agree to the Monte Carlo noise of either (tested).
LARGE_GROUP_N = 100
#: The statistics that get intervals, in :func:`forecastkit.scoring.grouped.score_table`.
CI_STATISTICS = ("brier", "log_score", "hit_rate", "bss_base_rate", "bss_half")
#: Per-claim values whose resampled sums give every statistic.
SUMMED = ("brier", "log_score", "y", "hit", "sided")
#: The sums each statistic is computed from (a caller who wants fewer statistics draws the
#: same resamples and sums only these).
NEEDS = {
    "brier": ("brier",),
    "log_score": ("log_score",),
    "hit_rate": ("hit", "sided"),
    "bss_base_rate": ("brier", "y"),
    "bss_half": ("brier",),
}


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


#: A ratio statistic's closed-form interval is kept while its second-order (curvature) term is
#: at most this share of its standard error; beyond, the interval is drawn (normal_intervals).
#: Claimants with base rates near 1/2 stay under 0.11 (bench/score_bench.py); 20 events in
#: 1,000 forecasts reach 0.22, 10 in 150 0.33, a constant 50% forecaster 1.25.
CURVATURE_LIMIT = 0.15


def normal_intervals(
    losses: dict[str, np.ndarray],
    starts: np.ndarray,
    sizes: np.ndarray,
    level: float,
    streams: Callable[[np.ndarray], list[np.random.Generator]] | None = None,
    n_resamples: int = 2000,
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

    The two ratio statistics can be far from linear in the means: the base-rate skill when
    events (or non-events) are rare, or when the base rate is near 1/2 and the forecasts
    constant (its slope in the base rate is then 0); the hit rate when few forecasts take a
    side. Where the second-order term of the delta method, ``tr(H cov) / 2m`` with ``H`` the
    statistic's Hessian, exceeds :data:`CURVATURE_LIMIT` of its standard error, the interval is
    the percentile interval of the statistic computed on ``n_resamples`` draws of the two means
    from their normal limit, from a stream of the seed and the group's size (``streams`` of the
    groups' positions): the statistic keeps its shape, and the cost is resamples, not claims x
    resamples.
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
    if streams is None:
        return out
    with np.errstate(divide="ignore", invalid="ignore"):
        # Hessians: h/s -> d2/dh ds = -1/s^2, d2/ds2 = 2h/s^3; 1 - b/u(r) -> d2/db dr =
        # u'/u^2, d2/dr2 = -b (2u'^2 + 2u)/u^3 (u'' = -2)
        du = 1 - 2 * r
        second = {
            "hit_rate": (
                2 * (-1 / s**2) * cov("hit", "sided") + 2 * h / s**3 * cov("sided", "sided")
            )
            / (2 * m),
            "bss_base_rate": (
                2 * (du / u**2) * cov("brier", "y") - b * (2 * du**2 + 2 * u) / u**3 * cov("y", "y")
            )
            / (2 * m),
        }
    pairs = {"hit_rate": ("hit", "sided"), "bss_base_rate": ("brier", "y")}
    q = [(1 - level) / 2, (1 + level) / 2]
    for key, (first, other) in pairs.items():
        se = np.sqrt(np.clip(var[key], 0, None) / m)
        bent = np.isfinite(point[key]) & (np.abs(np.nan_to_num(second[key])) > CURVATURE_LIMIT * se)
        chosen = np.flatnonzero(bent)
        if not len(chosen):
            continue
        # the 2 x 2 covariance of the two means of each chosen group, and a root of it
        c = np.empty((len(chosen), 2, 2))
        c[:, 0, 0] = cov(first, first)[chosen]
        c[:, 0, 1] = c[:, 1, 0] = cov(first, other)[chosen]
        c[:, 1, 1] = cov(other, other)[chosen]
        vals, vecs = np.linalg.eigh(c / m[chosen, None, None])
        root = vecs * np.sqrt(np.clip(vals, 0, None))[:, None, :]
        normals = np.stack([stream.standard_normal((2, n_resamples)) for stream in streams(chosen)])
        centre = np.stack([mean[first][chosen], mean[other][chosen]], axis=1)[:, :, None]
        drawn = centre + root @ normals  # (groups, 2, resamples)
        a_, o_ = np.clip(drawn[:, 0], 0, None), np.clip(drawn[:, 1], 0, 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = a_ / o_ if key == "hit_rate" else 1 - a_ / (o_ * (1 - o_))
        stat = np.where(np.isfinite(stat), stat, np.nan)
        with warnings.catch_warnings():  # a group whose every draw is undefined stays NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            lo_g, hi_g = np.nanquantile(stat, q, axis=1)
        low, high = out[key]
        low[chosen] = np.clip(lo_g, *bounds[key])
        high[chosen] = np.clip(hi_g, *bounds[key])
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
    statistics: tuple[str, ...] = CI_STATISTICS,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Percentile intervals of each statistic of :data:`CI_STATISTICS` (or of those named in
    ``statistics``: the same intervals, from the same resamples, for less work), per group.

    ``y`` and ``p`` are sorted by the integer group ``codes``; ``groups[code]`` names a group
    (its interval does not depend on its name). Returns ``{statistic: (low, high)}``, arrays indexed by code;
    groups with fewer than ``MIN_BOOTSTRAP_N`` claims get NaN (a lone forecast resampled is
    itself: a zero-width interval would read as certainty). ``large_group_n`` overrides
    :data:`LARGE_GROUP_N` (``0``: every group by the normal limit; a huge number: every group
    resampled). An int ``seed`` is a whole number from 0 to 2**63 - 1 (numpy's
    seed sequences take no negative numbers): another is a ``ParameterError``.
    """
    if isinstance(seed, int | np.integer) and not 0 <= seed < 2**63:
        raise ParameterError(
            f"seed {seed} is out of range",
            field="seed",
            hint="give a whole number from 0 to 2**63 - 1",
        )
    unknown = [key for key in statistics if key not in CI_STATISTICS]
    if unknown:
        raise ParameterError(
            f"no bootstrap interval for '{unknown[0]}'",
            field="statistics",
            hint=f"choose from {', '.join(CI_STATISTICS)}",
        )
    statistics = tuple(key for key in CI_STATISTICS if key in statistics)
    limit = LARGE_GROUP_N if large_group_n is None else large_group_n
    n_groups = len(groups)
    nan = np.full(n_groups, np.nan)
    out = {key: (nan.copy(), nan.copy()) for key in statistics}
    if len(y) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])  # codes are sorted
    present, sizes = codes[starts], np.diff(np.r_[starts, len(codes)])
    keep = sizes >= MIN_BOOTSTRAP_N  # a lone forecast resampled is itself: no interval
    large = keep & (sizes > limit)
    base = int(seed) if isinstance(seed, int | np.integer) else int(rng_from(seed).integers(2**63))
    losses = _losses(y, p, eps)
    if large.any():
        part = normal_intervals(
            losses,
            starts[large],
            sizes[large],
            level,
            lambda chosen: [_stream(base, sizes[large][i]) for i in chosen],
            n_resamples,
        )
        for key in statistics:
            out[key][0][present[large]], out[key][1][present[large]] = part[key]
    small = np.flatnonzero(keep & ~large)
    if len(small):
        part = _resampled_intervals(
            losses, starts[small], sizes[small], n_resamples, level, base, statistics
        )
        for key in statistics:
            out[key][0][present[small]], out[key][1][present[small]] = part[key]
    return out


def _stream(base: int, size: int) -> np.random.Generator:
    """The random stream of a large group's drawn interval: from the caller's seed and the
    group's size only (as the resamples of the small groups)."""
    return np.random.default_rng([base, int(size)])


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
    n_resamples: int,
    level: float,
    base: int,
    statistics: tuple[str, ...] = CI_STATISTICS,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Percentile intervals of groups resampled claim by claim (``losses[key][s:s + m]`` the
    claims of a group at ``s`` of size ``m``), arrays in the order of ``starts``."""
    keys = tuple(sorted({key for stat in statistics for key in NEEDS[stat]}))
    values = np.stack([losses[key] for key in keys])
    q = [(1 - level) / 2, (1 + level) / 2]
    out = {key: (np.empty(len(starts)), np.empty(len(starts))) for key in statistics}
    for groups, block in resampled_sums(values, starts, sizes, base, n_resamples):
        sums = dict(zip(keys, block, strict=True))  # each (groups, resamples)
        m = sizes[groups][:, None]
        samples = {}
        with np.errstate(divide="ignore", invalid="ignore"):
            if "brier" in sums:
                brier = sums["brier"] / m
                samples["brier"] = brier
            if "log_score" in statistics:
                samples["log_score"] = sums["log_score"] / m
            if "hit_rate" in statistics:
                samples["hit_rate"] = sums["hit"] / sums["sided"]
            if "bss_base_rate" in statistics:
                rate = sums["y"] / m
                samples["bss_base_rate"] = np.where(
                    rate * (1 - rate) > 0, 1 - brier / (rate * (1 - rate)), np.nan
                )
            if "bss_half" in statistics:
                samples["bss_half"] = 1 - brier / 0.25
        stacked = np.stack([samples[key] for key in statistics])  # (statistics, groups, R)
        # nanquantile goes row by row in Python: only the rows with a NaN take it (a row without
        # one gets the same numbers from the percentile interval)
        holed = np.isnan(stacked).any(axis=2)
        if holed.any():
            with warnings.catch_warnings():  # all-NaN rows (every claim at 50%) stay NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                nan_low, nan_high = np.nanquantile(stacked[holed], q, axis=1)
        low, high = percentile_interval(stacked, level, overwrite=True)  # every statistic
        if holed.any():
            low[holed], high[holed] = nan_low, nan_high
        for i, key in enumerate(statistics):
            out[key][0][groups], out[key][1][groups] = low[i], high[i]
    return out
