"""The fast bootstrap intervals give the numbers of the implementation they replaced, to the bit.

``scoring.bootstrap`` (claim-by-claim resamples from each group's own generator) and
``scoring.group_means`` (splitmix64-hashed resamples) were rewritten to draw a group, or a block
of groups, a cache-sized chunk at a time (issue 22). The draws are the same draws in the same
order, so every interval must equal the earlier implementation's exactly; the references below
are that implementation, kept here only. Memory is bounded by the chunk, not claims x resamples.
"""

from __future__ import annotations

import tracemalloc
import warnings
import zlib

import numpy as np
import pandas as pd
import pytest

from forecastkit.scoring import bootstrap, group_means
from forecastkit.scoring.scores import MIN_BOOTSTRAP_N

# --------------------------------------------------------------------- references (the old code)


def _old_sums_exact(losses, starts, sizes, streams, n_resamples):  # noqa: ANN001, ANN202
    values, local = bootstrap._gather(losses, starts, sizes)
    n = int(sizes.sum())
    size_of = np.repeat(sizes, sizes).astype(float)
    offsets = np.repeat(local, sizes)
    chunk = max(1, 4_000_000 // max(n, 1))
    draws = {key: [] for key in bootstrap.SUMMED}
    for first in range(0, n_resamples, chunk):
        k = min(chunk, n_resamples - first)
        uniform = np.empty((k, n))
        for stream, begin, size in zip(streams, local, sizes, strict=True):
            uniform[:, begin : begin + size] = stream.random((k, size))
        idx = offsets + (uniform * size_of).astype(np.int64)
        for key in bootstrap.SUMMED:
            draws[key].append(np.add.reduceat(values[key][idx], local, axis=1))
    return {key: np.vstack(parts) for key, parts in draws.items()}


def _old_intervals(losses, starts, sizes, names, n_resamples, level, base, statistics=()):  # noqa: ANN001, ANN202
    """The old implementation, which computed every statistic (``statistics`` is not read)."""
    streams = [bootstrap._stream(base, name) for name in names]
    sums = _old_sums_exact(losses, starts, sizes, streams, n_resamples)
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
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                low, high = np.nanquantile(values, q, axis=0)
        else:
            low, high = np.quantile(values, q, axis=0)
        out[key] = (low, high)
    return out


def _old_hash(keys, draws):  # noqa: ANN001, ANN202
    with np.errstate(over="ignore"):
        x = (keys * np.uint64(0x9E3779B97F4A7C15)) ^ draws.astype(np.uint64)
        for _ in range(2):
            x = x + np.uint64(0x9E3779B97F4A7C15)
            x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _old_means(values, groups, n_resamples, level, seed):  # noqa: ANN001, ANN202
    codes, names = pd.factorize(groups, sort=True)
    values = np.asarray(values, dtype=float)
    n_groups = len(names)
    low, high = np.full(n_groups, np.nan), np.full(n_groups, np.nan)
    if len(values):
        size = np.bincount(codes, minlength=n_groups)
        mean = np.bincount(codes, values, n_groups) / np.maximum(size, 1)
        var = np.bincount(codes, (values - mean[codes]) ** 2, n_groups) / np.maximum(size, 1)
        from statistics import NormalDist

        z = NormalDist().inv_cdf((1 + level) / 2)
        big = size > group_means.LARGE_GROUP_N
        low[big] = mean[big] - z * np.sqrt(var[big] / size[big])
        high[big] = mean[big] + z * np.sqrt(var[big] / size[big])
        small = (size >= MIN_BOOTSTRAP_N) & ~big
        pick = small[codes]
        if pick.any():
            order = np.argsort(codes[pick], kind="stable")
            v, c = values[pick][order], codes[pick][order]
            starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
            sizes = np.diff(np.r_[starts, len(c)])
            keys = np.array(
                [zlib.crc32(str(names[g]).encode("utf-8")) for g in c[starts]], dtype=np.uint64
            ) + np.uint64(seed) * np.uint64(2**32)
            key_of = np.repeat(keys, sizes)
            start_of, size_of = np.repeat(starts, sizes), np.repeat(sizes, sizes)
            local = np.arange(len(c)) - start_of
            chunk = max(1, 4_000_000 // len(c))
            sums = []
            for first in range(0, n_resamples, chunk):
                j = np.arange(first, min(n_resamples, first + chunk), dtype=np.uint64)[:, None]
                u = _old_hash(key_of[None, :], j * np.uint64(1 << 20) + local[None, :])
                idx = start_of + (u * size_of).astype(np.int64)
                sums.append(np.add.reduceat(v[idx], starts, axis=1))
            samples = np.vstack(sums) / sizes
            q = np.quantile(samples, [(1 - level) / 2, (1 + level) / 2], axis=0)
            low[c[starts]], high[c[starts]] = q[0], q[1]
    return low, high


# --------------------------------------------------------------------------------------- tests


def _claims(rng: np.random.Generator, n: int, n_groups: int):  # noqa: ANN202
    codes = np.sort(rng.integers(0, n_groups, n))
    y = (rng.random(n) < rng.random()).astype(float)
    p = np.round(rng.random(n), 1)  # many forecasts at 50%: hit-rate resamples with no side
    return y, p, codes, [f"claimant {i}" for i in range(n_groups)]


@pytest.mark.parametrize("trial", range(8))
def test_group_intervals_equal_the_old_implementation_bit_for_bit(trial, monkeypatch):
    rng = np.random.default_rng(trial)
    y, p, codes, groups = _claims(rng, int(rng.integers(1, 5000)), int(rng.integers(1, 400)))
    n_resamples, seed = int(rng.integers(1, 600)), int(rng.integers(0, 2**40))
    for large in (None, 10**9):
        new = bootstrap.bootstrap_by_group(
            y, p, codes, groups, n_resamples, 0.9, seed, 1e-3, large_group_n=large
        )
        with monkeypatch.context() as m:
            m.setattr(bootstrap, "_resampled_intervals", _old_intervals)
            old = bootstrap.bootstrap_by_group(
                y, p, codes, groups, n_resamples, 0.9, seed, 1e-3, large_group_n=large
            )
        for key in bootstrap.CI_STATISTICS:
            for a, b in zip(new[key], old[key], strict=True):
                np.testing.assert_array_equal(a, b, err_msg=key)  # NaN equals NaN here
        # a caller who wants fewer statistics gets the same intervals of those
        wanted = tuple(rng.choice(bootstrap.CI_STATISTICS, int(rng.integers(1, 5)), replace=False))
        some = bootstrap.bootstrap_by_group(
            y, p, codes, groups, n_resamples, 0.9, seed, 1e-3, large_group_n=large,
            statistics=wanted,
        )  # fmt: skip
        assert set(some) == set(wanted)
        for key in wanted:
            for a, b in zip(some[key], old[key], strict=True):
                np.testing.assert_array_equal(a, b, err_msg=key)


def test_resampled_sums_equal_the_old_ones_across_chunk_edges():
    rng = np.random.default_rng(7)
    sizes = np.array([2, 5, 9, 130, 1, 64])
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    n = int(sizes.sum())
    y = (rng.random(n) < 0.3).astype(float)
    losses = bootstrap._losses(y, rng.random(n), 1e-3)
    names = [str(i) for i in range(len(sizes))]

    def streams():  # noqa: ANN202
        return [bootstrap._stream(5, name) for name in names]

    old = _old_sums_exact(losses, starts, sizes, streams(), 777)
    new = bootstrap.resampled_sums_exact(losses, starts, sizes, streams(), 777)
    for key in bootstrap.SUMMED:
        np.testing.assert_array_equal(new[key], old[key], err_msg=key)


@pytest.mark.parametrize("trial", range(6))
def test_group_means_equal_the_old_implementation_bit_for_bit(trial):
    rng = np.random.default_rng(100 + trial)
    n = int(rng.integers(0, 40_000))
    names = [f"c{i}" for i in range(int(rng.integers(1, 900)))]
    groups = pd.Series(rng.choice(names, n), dtype="string")
    values, other = rng.random(n) ** 3, rng.random(n)
    n_resamples, seed = int(rng.integers(1, 300)), int(rng.integers(0, 2**31))
    new = group_means.bootstrap_means(values, groups, n_resamples=n_resamples, seed=seed)
    low, high = _old_means(values, groups, n_resamples, 0.95, seed)
    np.testing.assert_array_equal(new["low"].to_numpy(), low)
    np.testing.assert_array_equal(new["high"].to_numpy(), high)
    both = group_means.bootstrap_means_many(
        [values, other], groups, n_resamples=n_resamples, seed=seed
    )
    pd.testing.assert_frame_equal(both[0], new, check_exact=True)
    low, high = _old_means(other, groups, n_resamples, 0.95, seed)
    np.testing.assert_array_equal(both[1]["low"].to_numpy(), low)
    np.testing.assert_array_equal(both[1]["high"].to_numpy(), high)


def test_the_hash_is_splitmix64_as_before():
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 2**62, (1, 999), dtype=np.uint64)
    draws = np.arange(7, dtype=np.uint64)[:, None] * np.uint64(1 << 20) + np.arange(999)
    np.testing.assert_array_equal(
        group_means._hash_uniform(keys, draws.astype(np.uint64)), _old_hash(keys, draws)
    )


def _peak_mb(run) -> float:  # noqa: ANN001
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_a_large_group_resampled_claim_by_claim_stays_in_bounded_memory():
    # 50,000 claims x 200 resamples: 10 million draws, 80 MB per array if made at once (the old
    # chunks of 4 million draws peaked near 130 MB)
    rng = np.random.default_rng(11)
    n = 50_000
    y, p = (rng.random(n) < 0.4).astype(float), rng.random(n)
    codes = np.zeros(n, dtype=np.int64)
    peak = _peak_mb(
        lambda: bootstrap.bootstrap_by_group(
            y, p, codes, ["one"], 200, 0.95, 0, 1e-3, large_group_n=10**9
        )
    )
    assert peak < 15, f"peak {peak:.0f} MB"  # about 4 MB


def test_many_small_groups_of_means_stay_in_bounded_memory():
    # 60,000 values in groups of 30, 2,000 resamples: 120 million draws
    rng = np.random.default_rng(12)
    n = 60_000
    groups = pd.Series([f"c{i // 30}" for i in range(n)], dtype="string")
    values = rng.random(n)
    peak = _peak_mb(lambda: group_means.bootstrap_means_many([values, values], groups))
    # about 40 MB now (blocks of groups, chunks of draws); the old implementation took 210 MB
    assert peak < 60, f"peak {peak:.0f} MB"
