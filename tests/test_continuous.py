"""Numeric scores against scoringrules and properscoring, and the identities between them."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pytest

from forecastkit.errors import ScoringError
from forecastkit.scoring import continuous as cont

sr = pytest.importorskip("scoringrules")
ps = pytest.importorskip("properscoring")

HUB_LEVELS = np.array(
    [0.01, 0.025, *np.round(np.arange(0.05, 0.951, 0.05), 3), 0.975, 0.99]
)  # the COVID-19 Forecast Hub's 23 levels


def _normal_quantiles(mu: np.ndarray, sigma: np.ndarray, levels: np.ndarray) -> np.ndarray:
    z = np.array([NormalDist().inv_cdf(t) for t in levels])
    return mu[:, None] + sigma[:, None] * z


def test_quantile_crps_matches_scoringrules():
    rng = np.random.default_rng(0)
    y = rng.normal(size=200)
    q = _normal_quantiles(rng.normal(size=200), rng.uniform(0.5, 2, 200), HUB_LEVELS)
    theirs = sr.crps_quantile(y, q, HUB_LEVELS, backend="numpy")
    assert cont.quantile_crps(y, q, HUB_LEVELS) == pytest.approx(np.mean(theirs))


def test_wis_is_the_hubs_and_equals_the_quantile_crps_of_its_quantiles():
    rng = np.random.default_rng(1)
    n = 300
    y = rng.normal(size=n) * 3
    q = _normal_quantiles(rng.normal(size=n), rng.uniform(0.5, 4, n), HUB_LEVELS)
    k = (len(HUB_LEVELS) - 1) // 2
    lower, upper, median = q[:, :k], q[:, ::-1][:, :k], q[:, k]
    alpha = 2 * HUB_LEVELS[:k]
    ours = cont.weighted_interval_score(y, median, lower, upper, alpha)
    # Bracher et al.'s eq. 3 over scoringrules' interval score (its numpy-backend
    # weighted_interval_score adds the median itself instead of |y - median|: scoringrules
    # 0.10, core/interval/_score.py; the numba route is right but numba is not a dependency)
    interval = sr.interval_score(y, lower, upper, alpha, backend="numpy")
    theirs = (0.5 * np.abs(y - median) + (alpha / 2 * interval).sum(axis=1)) / (k + 0.5)
    assert ours == pytest.approx(np.mean(theirs))
    assert ours == pytest.approx(np.mean(sr.crps_quantile(y, q, HUB_LEVELS, backend="numpy")))
    long = cont.wis_losses(q.ravel(), np.tile(HUB_LEVELS, n), np.arange(0, q.size, q.shape[1]), y)
    assert np.mean(long) == pytest.approx(ours)
    assert np.mean(long) == pytest.approx(cont.quantile_crps(y, q, HUB_LEVELS))


def test_wis_is_nan_for_a_level_set_that_is_not_a_median_and_central_intervals():
    x = np.array([1.0, 2.0, 3.0, 1.0, 2.0])
    level = np.array([0.1, 0.5, 0.9, 0.25, 0.5])
    got = cont.wis_losses(x, level, np.array([0, 3]), np.array([2.0, 2.0]))
    assert np.isfinite(got[0]) and np.isnan(got[1])


def test_many_quantiles_approach_the_crps_and_the_interval_reading_is_normal():
    rng = np.random.default_rng(2)
    mu, sigma, y = rng.normal(size=50), rng.uniform(0.5, 2, 50), rng.normal(size=50)
    levels = np.arange(1, 1000) / 1000
    q = _normal_quantiles(mu, sigma, levels)
    exact = np.mean(sr.crps_normal(y, mu, sigma, backend="numpy"))
    assert cont.quantile_crps(y, q, levels) == pytest.approx(exact, rel=2e-3)
    z = NormalDist().inv_cdf(0.95)
    got = cont.interval_crps_losses(mu - z * sigma, mu + z * sigma, np.full(50, 0.9), y)
    assert np.allclose(got, sr.crps_normal(y, mu, sigma, backend="numpy"))
    assert np.allclose(got, ps.crps_gaussian(y, mu, sigma))


@pytest.mark.parametrize(("lmass", "umass"), [(0.0, 0.0), (0.1, 0.0), (0.05, 0.2)])
def test_cdf_crps_is_exact_for_a_uniform_with_masses_at_its_ends(lmass, umass):
    y = np.array([-1.0, 0.0, 0.3, 1.0, 2.5, 0.999])
    x = np.tile([0.0, 1.0], len(y))
    p = np.tile([lmass, 1 - umass], len(y))
    got = cont.cdf_crps_losses(x, p, np.arange(0, len(x), 2), y)
    theirs = sr.crps_uniform(y, 0.0, 1.0, lmass=lmass, umass=umass, backend="numpy")
    assert np.allclose(got, theirs)


def test_cdf_crps_of_a_fine_normal_grid_and_the_threshold_brier_identity():
    rng = np.random.default_rng(3)
    mu, sigma, y = rng.normal(size=20), rng.uniform(0.5, 2, 20), rng.normal(size=20)
    z = np.linspace(-8, 8, 4001)
    x = (mu[:, None] + sigma[:, None] * z).ravel()
    p = np.tile([NormalDist().cdf(v) for v in z], 20)
    got = cont.cdf_crps_losses(x, p, np.arange(0, len(x), len(z)), y)
    assert np.allclose(got, sr.crps_normal(y, mu, sigma, backend="numpy"), atol=1e-5)
    # the CRPS integrates the Brier score of the threshold events {Y <= t} over t (Gneiting &
    # Raftery 2007, eq. 20): summed threshold Brier scores on a fine grid of thresholds
    thresholds = np.linspace(-12, 12, 24001)
    grid_x, grid_p = np.array([0.0, 1.0, 3.0]), np.array([0.2, 0.5, 0.9])
    cdf = np.interp(thresholds, grid_x, grid_p)
    cdf = np.where(thresholds < 0, 0.0, np.where(thresholds >= 3.0, 1.0, cdf))
    for obs in (-2.0, 0.5, 2.0, 4.0):
        integral = np.sum((cdf - (thresholds >= obs)) ** 2) * (thresholds[1] - thresholds[0])
        exact = cont.cdf_crps_losses(grid_x, grid_p, np.array([0]), np.array([obs]))[0]
        assert exact == pytest.approx(integral, abs=2e-3)


def test_interval_score_and_coverage_match_scoringrules():
    rng = np.random.default_rng(4)
    y = rng.normal(size=100)
    lo, hi = -1.6 + rng.normal(size=100) * 0.1, 1.6 + rng.normal(size=100) * 0.1
    ours = cont.interval_score_losses(lo, hi, np.full(100, 0.9), y)
    assert np.allclose(ours, sr.interval_score(y, lo, hi, 0.1, backend="numpy"))
    assert cont.interval_coverage(y, lo, hi) == np.mean((lo <= y) & (y <= hi))


def test_point_errors_and_the_crps_of_a_point_mass():
    y = np.array([2.0, 0.0, -4.0])
    point = np.array([2.5, 1.0, -3.0])
    assert cont.absolute_error(y, point) == pytest.approx(np.mean([0.5, 1.0, 1.0]))
    assert np.isnan(cont.percentage_errors(y, point)[1])
    assert cont.percentage_error(y, point) == pytest.approx(np.mean([25.0, 25.0]))
    # a point is the distribution with all its mass there: its CRPS is the absolute error
    assert np.allclose(ps.crps_ensemble(y, point[:, None]), cont.absolute_errors(y, point))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cont.quantile_crps([1.0], [[1.0, 0.0]], [0.1, 0.9]), "decrease"),
        (lambda: cont.quantile_crps([1.0], [[0.0, 1.0]], [0.9, 0.1]), "levels must be increasing"),
        (lambda: cont.quantile_crps([1.0, 2.0], [[0.0, 1.0]], [0.1, 0.9]), "different lengths"),
        (lambda: cont.quantile_crps([np.nan], [[0.0, 1.0]], [0.1, 0.9]), "NaN"),
        (lambda: cont.cdf_crps([1.0], [1.0, 0.0], [[0.1, 0.9]]), "x must be increasing"),
        (lambda: cont.cdf_crps([1.0], [0.0, 1.0], [[0.9, 0.1]]), "non-decreasing"),
        (
            lambda: cont.weighted_interval_score([1.0], [1.0], [[2.0]], [[0.0]], [0.1]),
            "lower end is above",
        ),
        (lambda: cont.absolute_error([], []), "no forecasts"),
    ],
)
def test_checks_are_one_line_scoring_errors(call, message):
    with pytest.raises(ScoringError, match=message) as info:
        call()
    assert "\n" not in str(info.value)
