"""Scores: validation order, values against scikit-learn, the 0/1 policy, skill, bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import brier_score_loss, log_loss

from forecastkit.errors import ScoringError
from forecastkit.scoring.scores import (
    bootstrap_mean,
    brier_score,
    brier_skill_score,
    check_forecasts,
    hit_rate,
    log_score,
    log_skill_score,
    skill_score,
    summarise,
)


@pytest.mark.parametrize(
    ("outcome", "probability", "message"),
    [
        ([[0, 1], [1, 0]], [0.1, 0.2, 0.3, 0.4], "outcome must be 1-D"),
        ([0, 1], [[0.1, 0.2], [0.3, 0.4]], "probability must be 1-D"),
        ([0, float("nan")], [0.1, 0.2], "outcome contains NaN"),
        ([0, 1], [0.1, float("inf")], "probability contains NaN or infinity"),
        ([0, 1, 1], [0.1, 0.2], "different lengths (3 and 2)"),
        ([0, 2], [0.1, 0.2], "outcome must contain only 0 and 1; found 2"),
        ([0, 1], [0.1, 70], "probability contains values greater than 1"),
        ([0, 1], [0.1, -0.2], "probability contains values less than 0"),
        ([], [], "no forecasts to score"),
        (["a", "b"], [0.1, 0.2], "outcome must be numeric"),
        # order: shape before finiteness before length before target before range
        ([0, float("nan"), 1], [0.2, 3.0], "outcome contains NaN"),
        ([0, 2, 1], [0.2, 3.0], "different lengths"),
        ([0, 2], [0.2, 3.0], "only 0 and 1"),
    ],
)
def test_check_forecasts_errors(outcome, probability, message):
    with pytest.raises(ScoringError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_forecasts(outcome, probability)


def test_check_forecasts_accepts_column_vectors():
    y, p = check_forecasts(np.array([[0], [1]]), [0.3, 0.6])
    assert y.shape == p.shape == (2,)


forecast_sets = st.integers(min_value=1, max_value=60).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n),
        st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n),
    )
)


@settings(max_examples=200, deadline=None)
@given(forecast_sets)
def test_brier_matches_sklearn(data):
    y, p = data
    assert brier_score(y, p) == pytest.approx(brier_score_loss(y, p, pos_label=1), abs=1e-12)
    assert brier_score(y, p, original=True) == pytest.approx(2 * brier_score(y, p), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(forecast_sets)
def test_log_score_matches_sklearn_away_from_0_and_1(data):
    y, p = data
    p = np.clip(p, 0.001, 0.999)  # inside the clipping range, both compute the same number
    assert log_score(y, p) == pytest.approx(log_loss(y, p, labels=[0, 1]), rel=1e-9)
    assert log_score(y, p, eps=None) == pytest.approx(log_loss(y, p, labels=[0, 1]), rel=1e-9)


@pytest.mark.parametrize(
    ("outcome", "probability", "eps", "expected"),
    [
        ([0], [1.0], 1e-3, -math.log(1e-3)),  # a certain forecast that fails: 6.91 nats
        ([1], [1.0], 1e-3, -math.log(1 - 1e-3)),  # one that succeeds: almost 0
        ([1], [0.0], 1e-2, -math.log(1e-2)),
        ([0], [1.0], None, math.inf),  # unclipped: infinite
        ([1], [1.0], None, 0.0),
        ([1, 0], [0.5, 0.5], 1e-3, math.log(2)),
    ],
)
def test_log_score_policy_for_0_and_1(outcome, probability, eps, expected):
    assert log_score(outcome, probability, eps=eps) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("outcome", "probability", "hits", "misses", "half", "rate"),
    [
        ([1, 0, 1, 0], [0.8, 0.3, 0.5, 0.6], 2, 1, 1, 2 / 3),
        ([1, 1], [0.51, 0.49], 1, 1, 0, 0.5),
        ([0, 1], [0.5, 0.5], 0, 0, 2, math.nan),
        ([0, 0, 1], [0.0, 0.2, 1.0], 3, 0, 0, 1.0),
    ],
)
def test_hit_rate(outcome, probability, hits, misses, half, rate):
    h = hit_rate(outcome, probability)
    assert (h.hits, h.misses, h.half, h.n) == (hits, misses, half, len(outcome))
    assert h.rate == pytest.approx(rate, nan_ok=True)


@pytest.mark.parametrize(
    ("outcome", "probability", "reference", "expected"),
    [
        # base rate 0.75: reference Brier 0.1875
        ([0, 1, 1, 1], [0.2, 0.9, 0.7, 0.8], "base_rate", 1 - 0.045 / 0.1875),
        ([0, 1, 1, 1], [0.2, 0.9, 0.7, 0.8], "half", 1 - 0.045 / 0.25),
        ([0, 1], [0.5, 0.5], "half", 0.0),
        ([1, 1], [0.9, 0.8], "base_rate", math.nan),  # the base rate is a perfect forecaster
    ],
)
def test_brier_skill_score(outcome, probability, reference, expected):
    assert brier_skill_score(outcome, probability, reference=reference) == pytest.approx(
        expected, nan_ok=True
    )


@pytest.mark.parametrize(("reference", "ref_score"), [("half", math.log(2))])
def test_log_skill_score_against_half(reference, ref_score):
    y, p = [0, 1, 1], [0.3, 0.6, 0.9]
    expected = 1 - log_score(y, p) / ref_score
    assert log_skill_score(y, p, reference=reference) == pytest.approx(expected)


def test_log_skill_score_against_base_rate_is_zero_for_the_base_rate():
    y = [0, 1, 1, 0, 1]
    assert log_skill_score(y, [0.6] * 5) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("score", "reference", "expected"),
    [(0.1, 0.2, 0.5), (0.3, 0.2, -0.5), (0.0, 0.2, 1.0), (0.1, 0.0, math.nan)],
)
def test_skill_score(score, reference, expected):
    assert skill_score(score, reference) == pytest.approx(expected, nan_ok=True)


def test_bootstrap_mean_is_seeded_and_brackets_the_mean():
    values = np.random.default_rng(3).normal(size=50)
    a = bootstrap_mean(values, seed=7)
    b = bootstrap_mean(values, seed=7)
    c = bootstrap_mean(values, seed=8)
    assert a == b and a != c
    assert a.n == 50 and a.level == 0.95
    assert a.low < a.value < a.high
    # the percentile interval of a mean is close to mean ± 1.96 standard errors
    se = values.std(ddof=1) / np.sqrt(50)
    assert a.high - a.low == pytest.approx(2 * 1.96 * se, rel=0.15)


@pytest.mark.parametrize(("values", "n"), [([], 0), ([0.2], 1)])
def test_bootstrap_mean_small_samples(values, n):
    est = bootstrap_mean(values)
    assert est.n == n
    if n:
        # one forecast resampled is itself: no interval rather than a zero-width one
        assert est.value == 0.2 and math.isnan(est.low) and math.isnan(est.high)


def test_summarise_carries_n_and_intervals():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=40).round(1)
    y = (rng.uniform(size=40) < p).astype(int)
    out = summarise(y, p, seed=1)
    assert out["brier"].value == pytest.approx(brier_score(y, p))
    assert out["log_score"].value == pytest.approx(log_score(y, p))
    assert out["hit_rate"].n == int((p != 0.5).sum())
    assert out["bss_half"].value == pytest.approx(1 - 4 * out["brier"].value)
    for est in out.values():
        assert est.low <= est.value <= est.high
    # the 0.5 skill score interval is the Brier interval mapped through 1 - 4 BS
    assert out["bss_half"].low == pytest.approx(1 - 4 * out["brier"].high)
    assert all(math.isnan(e.low) for e in summarise(y, p, ci=False).values())
