"""Size-keyed resamples (scoring.resampling): the counts matrices are the bootstrap drawn index
by index, whatever the chunking, and the intervals built on them are the plain bootstrap's.

The references below resample the textbook way: draw ``m`` indices with replacement per
resample, from one stream read from its start, and sum the values they pick. They share only
the stream's definition (PCG64 of the seed and the size) with the code under test, so they
check the counts, the jumps ahead, the matrix products, the chunking and the blocks of groups.
"""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest

from forecastkit.scoring import bootstrap, group_means, resampling
from forecastkit.scoring.scores import MIN_BOOTSTRAP_N


def _drawn_indices(seed: int, m: int, n_resamples: int) -> np.ndarray:
    """(resamples, m) indices, draw by draw from the seed's and size's stream."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, m]))
    return np.floor(rng.random((n_resamples, m)) * m).astype(np.int64)


def _reference_sums(values, starts, sizes, seed, n_resamples):  # noqa: ANN001, ANN202
    """{group: (columns, resamples)} by gathering the drawn values."""
    out = {}
    for g, (s, m) in enumerate(zip(starts, sizes, strict=True)):
        idx = _drawn_indices(seed, int(m), n_resamples)
        out[g] = values[:, s + idx].sum(axis=2)
    return out


@pytest.mark.parametrize("m", [1, 2, 7, 100, 300, 5000])
def test_counts_are_the_drawn_indices_counted_in_any_chunk(m):
    idx = _drawn_indices(11, m, 130)
    expected = np.stack([np.bincount(row, minlength=m) for row in idx])
    whole = resampling.resample_counts(11, m, 0, 130)
    np.testing.assert_array_equal(whole, expected)
    assert (whole.sum(axis=1) == m).all()
    np.testing.assert_array_equal(resampling.resample_counts(11, m, 40, 97), expected[40:97])
    whole[0, 0] = -1  # the caller's own copy: the kept counts are not changed
    np.testing.assert_array_equal(resampling.resample_counts(11, m, 0, 130), expected)


def test_seeds_and_sizes_get_their_own_resamples():
    counts = {
        (seed, m): resampling.resample_counts(seed, m, 0, 50)
        for seed in (0, 1, 2**32, 2**63 - 1)
        for m in (2, 3, 100)
    }
    for (seed, m), c in counts.items():
        for (other_seed, other_m), d in counts.items():
            if (seed, m) != (other_seed, other_m) and m == other_m:
                assert not np.array_equal(c, d), (seed, other_seed, m)


@pytest.mark.parametrize("trial", range(5))
def test_resampled_sums_equal_gathering_the_drawn_values(trial, monkeypatch):
    rng = np.random.default_rng(trial)
    sizes = rng.integers(2, 120, int(rng.integers(1, 60)))
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    n = int(sizes.sum())
    values = np.stack([(rng.random(n) < 0.4).astype(float), rng.random(n)])
    n_resamples, seed = int(rng.integers(1, 700)), int(rng.integers(0, 2**40))
    # small chunks and blocks: several of each per size
    monkeypatch.setattr(resampling, "DRAWS_PER_CHUNK", int(rng.integers(50, 5000)))
    monkeypatch.setattr(resampling, "SUMS_PER_BLOCK", int(rng.integers(1, 4)) * 2 * n_resamples)
    expected = _reference_sums(values, starts, sizes, seed, n_resamples)
    seen = []
    for groups, sums in resampling.resampled_sums(values, starts, sizes, seed, n_resamples):
        assert len(set(sizes[groups])) == 1
        for i, g in enumerate(groups):
            np.testing.assert_array_equal(sums[0, i], expected[g][0])  # counts: exact
            np.testing.assert_allclose(sums[1, i], expected[g][1], rtol=1e-12)
        seen.extend(groups)
    assert sorted(seen) == list(range(len(sizes)))


def _claims(rng: np.random.Generator, n: int, n_groups: int):  # noqa: ANN202
    codes = np.sort(rng.integers(0, n_groups, n))
    y = (rng.random(n) < rng.random()).astype(float)
    p = np.round(rng.random(n), 1)  # many forecasts at 50%: hit-rate resamples with no side
    return y, p, codes, [f"claimant {i}" for i in range(n_groups)]


@pytest.mark.parametrize("trial", range(6))
def test_group_intervals_are_the_quantiles_of_the_drawn_resamples(trial):
    rng = np.random.default_rng(50 + trial)
    y, p, codes, groups = _claims(rng, int(rng.integers(1, 3000)), int(rng.integers(1, 200)))
    n_resamples, seed, level = int(rng.integers(1, 400)), int(rng.integers(0, 2**40)), 0.9
    out = bootstrap.bootstrap_by_group(y, p, codes, groups, n_resamples, level, seed, 1e-3)
    losses = bootstrap._losses(y, p, 1e-3)
    q = [(1 - level) / 2, (1 + level) / 2]
    for g in range(len(groups)):
        own = np.flatnonzero(codes == g)
        m = len(own)
        if m < MIN_BOOTSTRAP_N or m > bootstrap.LARGE_GROUP_N:
            continue
        idx = own[0] + _drawn_indices(seed, m, n_resamples)
        sums = {key: losses[key][idx].sum(axis=1) for key in bootstrap.SUMMED}
        with np.errstate(divide="ignore", invalid="ignore"):
            brier, rate = sums["brier"] / m, sums["y"] / m
            samples = {
                "brier": brier,
                "log_score": sums["log_score"] / m,
                "hit_rate": sums["hit"] / sums["sided"],
                "bss_base_rate": np.where(
                    rate * (1 - rate) > 0, 1 - brier / (rate * (1 - rate)), np.nan
                ),
                "bss_half": 1 - brier / 0.25,
            }
        for key, sample in samples.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                low, high = np.nanquantile(sample, q)
            np.testing.assert_allclose(out[key][0][g], low, rtol=1e-9, atol=1e-12, err_msg=key)
            np.testing.assert_allclose(out[key][1][g], high, rtol=1e-9, atol=1e-12, err_msg=key)
    # a caller who wants fewer statistics gets the same intervals of those
    some = bootstrap.bootstrap_by_group(
        y, p, codes, groups, n_resamples, level, seed, 1e-3, statistics=("hit_rate",)
    )
    np.testing.assert_array_equal(some["hit_rate"][0], out["hit_rate"][0])
    np.testing.assert_array_equal(some["hit_rate"][1], out["hit_rate"][1])


@pytest.mark.parametrize("trial", range(4))
def test_group_means_are_the_quantiles_of_the_drawn_resamples(trial):
    rng = np.random.default_rng(100 + trial)
    n = int(rng.integers(0, 6000))
    names = [f"c{i}" for i in range(int(rng.integers(1, 300)))]
    groups = pd.Series(rng.choice(names, n), dtype="string")
    values, other = rng.random(n) ** 3, rng.random(n)
    n_resamples, seed = int(rng.integers(1, 300)), int(rng.integers(0, 2**31))
    both = group_means.bootstrap_means_many(
        [values, other], groups, n_resamples=n_resamples, seed=seed
    )
    alone = group_means.bootstrap_means(other, groups, n_resamples=n_resamples, seed=seed)
    pd.testing.assert_frame_equal(both[1], alone, check_exact=True)
    for frame, column in zip(both, (values, other), strict=True):
        for row in frame.itertuples():
            own = column[(groups == row.group).to_numpy()]
            m = len(own)
            if MIN_BOOTSTRAP_N <= m <= group_means.LARGE_GROUP_N:
                means = own[_drawn_indices(seed, m, n_resamples)].mean(axis=1)
                low, high = np.quantile(means, [0.025, 0.975])
                assert row.low == pytest.approx(low, rel=1e-9)
                assert row.high == pytest.approx(high, rel=1e-9)
            elif m < MIN_BOOTSTRAP_N:
                assert np.isnan(row.low) and np.isnan(row.high)


def _peak_mb(run) -> float:  # noqa: ANN001
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_a_large_group_resampled_claim_by_claim_stays_in_bounded_memory():
    # 50,000 claims x 200 resamples: 10 million draws, 80 MB per array if made at once
    rng = np.random.default_rng(11)
    n = 50_000
    y, p = (rng.random(n) < 0.4).astype(float), rng.random(n)
    codes = np.zeros(n, dtype=np.int64)
    peak = _peak_mb(
        lambda: bootstrap.bootstrap_by_group(
            y, p, codes, ["one"], 200, 0.95, 0, 1e-3, large_group_n=10**9
        )
    )
    assert peak < 15, f"peak {peak:.0f} MB"


def test_many_small_groups_of_means_stay_in_bounded_memory():
    # 60,000 values in groups of 30, 2,000 resamples: 120 million draws
    rng = np.random.default_rng(12)
    n = 60_000
    groups = pd.Series([f"c{i // 30}" for i in range(n)], dtype="string")
    values = rng.random(n)
    peak = _peak_mb(lambda: group_means.bootstrap_means_many([values, values], groups))
    assert peak < 60, f"peak {peak:.0f} MB"


@pytest.mark.parametrize("n_resamples", [1, 2, 3, 7, 40, 1999, 2000])
@pytest.mark.parametrize("level", [0.5, 0.9, 0.95, 0.999])
def test_percentile_interval_is_numpys_quantile_to_the_bit(n_resamples, level):
    rng = np.random.default_rng(n_resamples)
    samples = rng.random((3, 40, n_resamples))
    samples[:, ::5] = np.round(samples[:, ::5] * 4)  # ties
    samples[1, 3, 0] = np.nan
    expected = np.quantile(samples, [(1 - level) / 2, (1 + level) / 2], axis=-1)
    kept = samples.copy()
    low, high = resampling.percentile_interval(samples, level)
    np.testing.assert_array_equal(samples, kept)  # a copy is partitioned, not the caller's
    np.testing.assert_array_equal(low, expected[0])  # NaN where the row has one, as quantile
    np.testing.assert_array_equal(high, expected[1])
    again = resampling.percentile_interval(samples, level, overwrite=True)
    np.testing.assert_array_equal(again[0], expected[0])
    np.testing.assert_array_equal(again[1], expected[1])
    np.testing.assert_array_equal(np.sort(samples, axis=-1), np.sort(kept, axis=-1))
