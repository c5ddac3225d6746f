"""Grouped bootstrap intervals: the closed-form normal limit for large groups agrees with
resampling claims."""

from __future__ import annotations

import numpy as np
import pytest

from forecastkit.errors import ParameterError
from forecastkit.scoring.bootstrap import CI_STATISTICS, LARGE_GROUP_N, bootstrap_by_group


def _groups(sizes: list[int], seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    rng = np.random.default_rng(seed)
    codes = np.repeat(np.arange(len(sizes)), sizes)
    p = np.round(rng.beta(2, 2, len(codes)), 2)
    y = (rng.random(len(codes)) < p**0.8).astype(float)
    return y, p, codes, [f"claimant-{i}" for i in range(len(sizes))]


@pytest.mark.parametrize("size", [LARGE_GROUP_N + 1, 300, 1000])
def test_normal_limit_agrees_with_resampling_claims(size):
    y, p, codes, names = _groups([size, size])
    exact = bootstrap_by_group(y, p, codes, names, 4000, 0.95, 0, 0.001, large_group_n=10**9)
    normal = bootstrap_by_group(y, p, codes, names, 4000, 0.95, 0, 0.001, large_group_n=0)
    for key in CI_STATISTICS:
        for side in (0, 1):
            width = exact[key][1] - exact[key][0]
            # within a tenth of the interval's width: the Monte Carlo noise of 4,000 resamples
            assert np.all(np.abs(exact[key][side] - normal[key][side]) < 0.1 * width), key


def test_the_method_is_chosen_by_group_size():
    y, p, codes, names = _groups([20, 500])
    mixed = bootstrap_by_group(y, p, codes, names, 500, 0.95, 0, 0.001)
    small = bootstrap_by_group(
        y[:20], p[:20], codes[:20], names[:1], 500, 0.95, 0, 0.001, large_group_n=10**9
    )
    # the small group is resampled from draws of its size alone, whoever else is scored
    assert mixed["brier"][0][0] == small["brier"][0][0]
    assert mixed["brier"][1][0] == small["brier"][1][0]


def test_an_interval_holds_the_group_estimate_and_a_lone_forecast_has_none():
    y, p, codes, names = _groups([1, 5000])
    out = bootstrap_by_group(y, p, codes, names, 2000, 0.95, 0, 0.001)
    brier = np.mean((p[1:] - y[1:]) ** 2)
    assert out["brier"][0][1] < brier < out["brier"][1][1]
    assert np.isnan(out["brier"][0][0]) and np.isnan(out["brier"][1][0])
    # a group that is always right stays inside [0, 1] for the hit rate
    assert 0 <= out["hit_rate"][0][1] <= out["hit_rate"][1][1] <= 1


def test_the_same_seed_gives_the_same_interval_under_any_name_and_another_seed_another():
    y, p, codes, names = _groups([60])
    a = bootstrap_by_group(y, p, codes, names, 300, 0.95, 7, 0.001)
    b = bootstrap_by_group(y, p, codes, names, 300, 0.95, 7, 0.001)
    renamed = bootstrap_by_group(y, p, codes, ["someone-else"], 300, 0.95, 7, 0.001)
    other_seed = bootstrap_by_group(y, p, codes, names, 300, 0.95, 8, 0.001)
    for key in CI_STATISTICS:
        assert a[key][0][0] == b[key][0][0] == renamed[key][0][0], key
        assert a[key][1][0] == b[key][1][0] == renamed[key][1][0], key
    assert a["brier"][0][0] != other_seed["brier"][0][0]


def test_a_large_group_interval_is_closed_form_and_costs_no_resample():
    y, p, codes, names = _groups([5000])
    few = bootstrap_by_group(y, p, codes, names, 10, 0.95, 0, 0.001)
    many = bootstrap_by_group(y, p, codes, names, 100_000, 0.95, 3, 0.001)
    # no draw: the number of resamples and the seed change nothing
    for key in CI_STATISTICS:
        assert few[key][0][0] == many[key][0][0] and few[key][1][0] == many[key][1][0]
    # Brier's is the mean +- z * sd / sqrt(n)
    b = (p - y) ** 2
    half = 1.959963984540054 * b.std() / np.sqrt(len(b))
    assert few["brier"][0][0] == pytest.approx(b.mean() - half)
    assert few["brier"][1][0] == pytest.approx(b.mean() + half)


@pytest.mark.parametrize("seed", [-1, 2**63])
def test_a_seed_numpy_cannot_take_is_a_parameter_error(seed):
    y, p, codes, names = _groups([30])
    with pytest.raises(ParameterError, match="seed"):
        bootstrap_by_group(y, p, codes, names, 100, 0.95, seed, 0.001)


@pytest.mark.parametrize("n,events", [(150, 10), (1000, 20), (1000, 50)])
def test_rare_events_keep_the_skill_interval_honest(n, events):
    """With few events the base-rate skill is far from linear in the base rate: the interval is
    drawn from the normal limit of the two means, and stays near resampling claims."""
    rng = np.random.default_rng(n + events)
    y = np.zeros(n)
    y[:events] = 1
    p = np.round(np.clip(rng.beta(1, 12, n) + 0.15 * y, 0, 1), 2)
    codes, names = np.zeros(n, dtype=np.int64), ["rare"]
    exact = bootstrap_by_group(y, p, codes, names, 4000, 0.95, 0, 0.001, large_group_n=10**9)
    normal = bootstrap_by_group(y, p, codes, names, 4000, 0.95, 0, 0.001, large_group_n=0)
    low, high = exact["bss_base_rate"][0][0], exact["bss_base_rate"][1][0]
    for side, want in ((0, low), (1, high)):
        assert abs(normal["bss_base_rate"][side][0] - want) < 0.2 * (high - low)


def test_a_constant_half_forecaster_has_no_skill_above_zero():
    y = (np.arange(400) % 100 < 51).astype(float)  # base rate 0.51, every forecast 0.5
    p = np.full(400, 0.5)
    out = bootstrap_by_group(y, p, np.zeros(400, dtype=np.int64), ["half"], 4000, 0.95, 0, 0.001)
    low, high = out["bss_base_rate"][0][0], out["bss_base_rate"][1][0]
    assert low < -0.005 and high <= 0  # the skill can only be <= 0, and the interval is not a point


def test_an_unknown_statistic_is_a_parameter_error():
    y, p = np.array([1.0, 0.0, 1.0]), np.array([0.7, 0.2, 0.6])
    with pytest.raises(ParameterError, match="no bootstrap interval for 'brer'"):
        bootstrap_by_group(y, p, np.zeros(3, dtype=np.int64), ["a"], 10, 0.95, 0, 0.001,
                           statistics=("brer",))  # fmt: skip
