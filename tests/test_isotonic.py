"""Isotonic (PAV) recalibration: ties pooled as reliabilitydiag and scikit-learn pool them, and
SciPy's fit whatever the route (parallel pooling, counting or sorting, the hand-over to SciPy)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from sklearn.isotonic import IsotonicRegression

from forecastkit.scoring import isotonic
from forecastkit.scoring.isotonic import PARALLEL_POOL_ROUNDS, recalibrate, recalibrate_by_group

from conftest import forecast_sets


@settings(max_examples=150, deadline=None)
@given(forecast_sets)
def test_recalibration_pools_ties_like_reliabilitydiag(data):
    y, p = (np.asarray(a, dtype=float) for a in data)
    fitted = recalibrate(y, p)
    for value in np.unique(p):  # tied forecasts share one value
        assert np.ptp(fitted[p == value]) == 0
    order = np.argsort(p, kind="stable")
    assert (np.diff(fitted[order]) >= -1e-12).all()  # non-decreasing in the forecast
    # reliabilitydiag: sort by forecast, outcomes 1 before 0 within a tie, then plain PAV
    ref_order = np.lexsort((-y, p))
    reference = np.empty(len(y))
    reference[ref_order] = _plain_pav(y[ref_order])
    assert fitted == pytest.approx(reference, abs=1e-12)
    # scikit-learn pools ties the same way (it also merges forecasts closer than machine
    # epsilon, hence the guard)
    if len(np.unique(p)) < 2 or np.diff(np.unique(p)).min() > 1e-9:
        sk = IsotonicRegression(y_min=0, y_max=1).fit_transform(p, y)
        assert fitted == pytest.approx(sk, abs=1e-9)


def _plain_pav(y: np.ndarray) -> np.ndarray:
    """Textbook pool-adjacent-violators (Ayer et al. 1955) on a sequence, for cross-checking."""
    blocks: list[list[float]] = []  # [sum, count]
    for value in y:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    return np.concatenate([np.full(int(c), s / c) for s, c in blocks])


@pytest.mark.parametrize("rounds", [0, 1, 3, 32, 10_000])
@pytest.mark.parametrize("cells", [0, 1 << 22])
def test_grouped_pav_is_scipys_whatever_the_route(monkeypatch, rounds, cells):
    """Parallel pooling, the hand-over to SciPy after any number of rounds, and pooling by
    counting or by sorting all give scipy.optimize.isotonic_regression's fit, group by group."""
    from scipy.optimize import isotonic_regression

    monkeypatch.setattr(isotonic, "PARALLEL_POOL_ROUNDS", rounds)
    monkeypatch.setattr(isotonic, "PARALLEL_POOL_WORK", 0)  # the rounds alone decide
    monkeypatch.setattr(isotonic, "_COUNTING_CELLS", cells)
    rng = np.random.default_rng(rounds + cells)
    n, groups = 4000, 25
    codes = rng.integers(0, groups, n)
    p = np.where(rng.random(n) < 0.5, np.round(rng.random(n), 2), rng.random(n))
    y = (rng.random(n) < p).astype(float)
    fitted = recalibrate_by_group(y, p, codes)
    for g in range(groups):
        mine = codes == g
        order = np.lexsort((-y[mine], p[mine]))  # ties pooled: any order within a tie
        xs, ys = p[mine][order], y[mine][order]
        starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
        counts = np.diff(np.r_[starts, len(xs)])
        ref = isotonic_regression(np.add.reduceat(ys, starts) / counts, weights=counts).x
        expected = np.empty(len(xs))
        expected[order] = np.repeat(ref, counts)
        assert fitted[mine] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("work", [0, 1 << 24])
def test_a_cascade_of_violators_is_handed_to_scipy(monkeypatch, work):
    """An increasing run ending in one low value pools one block per round: after
    PARALLEL_POOL_ROUNDS rounds, or once the rounds have spent PARALLEL_POOL_WORK, SciPy
    finishes the fit."""
    import scipy.optimize

    monkeypatch.setattr(isotonic, "PARALLEL_POOL_WORK", work)
    handed = []
    real = scipy.optimize.isotonic_regression
    monkeypatch.setattr(
        scipy.optimize, "isotonic_regression", lambda *a, **k: handed.append(1) or real(*a, **k)
    )
    n = 10 * PARALLEL_POOL_ROUNDS if work == 0 else 6000  # 6,000 rounds of ~6,000 > 1 << 24
    p = np.arange(n + 1) / (n + 1)
    y = np.r_[np.ones(n), 0.0]
    fitted = recalibrate_by_group(y, p, np.zeros(n + 1, dtype=np.int64))
    assert fitted == pytest.approx(np.full(n + 1, n / (n + 1)))
    assert handed == [1]


def test_rounded_forecasts_of_many_claimants_need_no_scipy(monkeypatch):
    """A tracker's whole percents (2,000 claimants, 60,000 forecasts) are fitted by parallel
    pooling alone: SciPy's import (a second) is not paid."""
    import scipy.optimize

    def refuse(*args, **kwargs):
        raise AssertionError("handed to scipy")

    monkeypatch.setattr(scipy.optimize, "isotonic_regression", refuse)
    rng = np.random.default_rng(7)
    n = 60_000
    codes = rng.zipf(1.5, n) % 2000
    p = np.round(rng.beta(2, 2, n), 2).clip(0.01, 0.99)
    y = (rng.random(n) < p).astype(float)
    fitted = recalibrate_by_group(y, p, codes)
    assert np.all(np.isfinite(fitted)) and fitted.min() >= 0 and fitted.max() <= 1
