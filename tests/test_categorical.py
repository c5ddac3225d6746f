"""Multiple-choice scores: identities with the binary Brier score, and scoringrules/sklearn."""

from __future__ import annotations

import numpy as np
import pytest

from forecastkit.errors import ScoringError
from forecastkit.scoring import categorical as cat
from forecastkit.scoring.scores import brier_losses, log_losses

sr = pytest.importorskip("scoringrules")


def _random_forecasts(n: int, k: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(k), n)
    y = rng.integers(0, k, n)
    return y, p


def test_two_option_multiclass_brier_is_the_binary_brier_bit_for_bit():
    rng = np.random.default_rng(1)
    raw, digits = rng.random(5000), rng.integers(1, 4, 5000)  # stated numbers: 0.7, 0.35, ...
    p1 = np.select(
        [digits == 1, digits == 2], [np.round(raw, 1), np.round(raw, 2)], np.round(raw, 3)
    )
    y1 = rng.integers(0, 2, 5000).astype(float)
    probabilities = np.c_[p1, 1 - p1]
    outcome = np.where(y1 == 1, 0, 1)  # option 0 is the binary event
    flat, realised, starts = cat._long(outcome, probabilities)
    got = cat.multiclass_brier_losses(flat, realised, starts)
    assert np.array_equal(got, brier_losses(y1, p1))
    assert np.array_equal(cat.rps_losses(flat, realised, starts), brier_losses(y1, p1))
    # and the log score of the realised option is the binary log score
    assert np.allclose(cat.realised_log_losses(flat, realised, starts), log_losses(y1, p1))


@pytest.mark.parametrize("k", [3, 4, 7])
def test_multiclass_brier_is_half_brier_1950_sum(k):
    y, p = _random_forecasts(400, k, seed=k)
    onehot = np.eye(k)[y]
    assert cat.multiclass_brier(y, p) == pytest.approx(0.5 * np.mean(((p - onehot) ** 2).sum(1)))
    # scoringrules' brier_score on the one-hot layout sums over options
    theirs = np.mean(np.sum(sr.brier_score(onehot, p), axis=-1))
    assert cat.multiclass_brier(y, p) == pytest.approx(theirs / 2)


def test_multiclass_brier_matches_scikit_learn():
    from sklearn.metrics import brier_score_loss

    y, p = _random_forecasts(300, 4, seed=2)
    theirs = brier_score_loss(y, p, labels=[0, 1, 2, 3], scale_by_half=True)
    assert cat.multiclass_brier(y, p) == pytest.approx(theirs)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_rps_is_scoringrules_rps_over_k_minus_1(k):
    y, p = _random_forecasts(400, k, seed=10 + k)
    theirs = sr.rps_score(np.eye(k)[y], p, onehot=True)
    assert cat.ranked_probability_score(y, p) == pytest.approx(np.mean(theirs) / (k - 1))


def test_rps_rewards_nearness_multiclass_brier_does_not():
    near, far = [[0.0, 1.0, 0.0]], [[1.0, 0.0, 0.0]]
    assert cat.ranked_probability_score([2], near) < cat.ranked_probability_score([2], far)
    assert cat.multiclass_brier([2], near) == cat.multiclass_brier([2], far)


def test_log_score_is_minus_log_of_the_realised_option_and_clips():
    y, p = _random_forecasts(300, 3, seed=3)
    p = np.clip(p, 0.01, 1)
    p = p / p.sum(1, keepdims=True)
    assert cat.categorical_log_score(y, p) == pytest.approx(-np.mean(np.log(p[np.arange(300), y])))
    assert cat.categorical_log_score([1], [[1.0, 0.0]]) == pytest.approx(-np.log(1e-3))
    assert cat.categorical_log_score([1], [[1.0, 0.0]], eps=None) == np.inf


def test_probabilities_are_normalised_within_the_tolerance():
    assert cat.multiclass_brier([0], [[0.705, 0.2, 0.1]]) == pytest.approx(
        cat.multiclass_brier([0], [[0.705 / 1.005, 0.2 / 1.005, 0.1 / 1.005]])
    )


@pytest.mark.parametrize(
    ("outcome", "probabilities", "message"),
    [
        ([0], [0.5, 0.5], "must be 2-D"),
        ([[0]], [[0.5, 0.5]], "outcome must be 1-D"),
        ([0], [[np.nan, 0.5]], "NaN"),
        ([0, 1], [[0.5, 0.5]], "different lengths"),
        ([2], [[0.5, 0.5]], "option index in 0..1; found 2"),
        ([0], [[1.5, -0.5]], "greater than 1"),
        ([0], [[0.5, 0.3]], "sum to 0.8"),
        ([], np.empty((0, 2)), "no forecasts"),
    ],
)
def test_checks_in_order_one_line(outcome, probabilities, message):
    with pytest.raises(ScoringError, match=message) as info:
        cat.multiclass_brier(outcome, probabilities)
    assert "\n" not in str(info.value)
