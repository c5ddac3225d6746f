"""Per-option reliability, PIT values and central-interval coverage."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from forecastkit.errors import ScoringError
from forecastkit.scoring import distribution_calibration as dc
from forecastkit.scoring.binned import binned_reliability

Z = np.array([-3.0, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
P = np.array([NormalDist().cdf(z) for z in Z])
LEVELS = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
QZ = np.array([NormalDist().inv_cdf(t) for t in LEVELS])


def _normal_forecasts(n: int, seed: int, spread: float = 1.0, form: str = "cdf"):
    """Forecasts N(mu, spread * sigma) of outcomes drawn from N(mu, sigma), in the long layout."""
    rng = np.random.default_rng(seed)
    mu, sigma = rng.normal(0, 10, n), rng.uniform(0.5, 3, n)
    y = mu + sigma * rng.normal(size=n)
    z, p = (Z, P) if form == "cdf" else (QZ, LEVELS)
    x = (mu[:, None] + spread * sigma[:, None] * z).ravel()
    return x, np.tile(p, n), np.arange(0, n * len(z), len(z)), y, np.full(n, form)


def test_pit_of_a_cdf_is_the_interpolated_cdf_at_the_outcome_and_its_tail_masses():
    x, p = np.array([0.0, 1.0, 2.0]), np.array([0.1, 0.5, 0.9])
    starts = np.array([0])
    cases = {0.5: 0.3, 1.5: 0.7, -1.0: 0.0, 3.0: 1.0}
    for y, want in cases.items():
        got = dc.pit_values(x, p, starts, np.array([y]), np.array(["cdf"]))
        assert got[0] == pytest.approx(want)
    # at the first point the mass 0.1 sits there: a draw in (0, 0.1); at the last, in (0.9, 1)
    at_first = [
        dc.pit_values(x, p, starts, np.array([0.0]), np.array(["cdf"]), seed=s)[0]
        for s in range(20)
    ]
    assert 0 <= min(at_first) and max(at_first) <= 0.1 and len(set(at_first)) > 1
    at_last = [
        dc.pit_values(x, p, starts, np.array([2.0]), np.array(["cdf"]), seed=s)[0]
        for s in range(20)
    ]
    assert 0.9 <= min(at_last) and max(at_last) <= 1


def test_pit_of_quantiles_draws_in_the_tails_and_ties():
    x, p = np.array([1.0, 2.0, 2.0, 3.0]), np.array([0.1, 0.4, 0.6, 0.9])
    starts = np.array([0])
    form = np.array(["quantiles"])
    assert dc.pit_values(x, p, starts, np.array([1.5]), form)[0] == pytest.approx(0.25)
    for y, (lo, hi) in {0.0: (0, 0.1), 9.0: (0.9, 1), 2.0: (0.4, 0.6)}.items():
        draws = [dc.pit_values(x, p, starts, np.array([y]), form, seed=s)[0] for s in range(30)]
        assert lo <= min(draws) and max(draws) <= hi and max(draws) - min(draws) > 0


@pytest.mark.parametrize("form", ["cdf", "quantiles"])
def test_calibrated_forecasts_have_a_flat_pit_histogram_and_overconfident_a_u(form):
    flat = dc.pit_histogram(dc.pit_values(*_normal_forecasts(20000, 1, 1.0, form)))
    assert flat["n"].sum() == 20000
    # five quantiles, interpolated linearly between them, bend a normal's PIT a little
    assert np.allclose(flat["share"], 0.1, atol=0.015 if form == "cdf" else 0.03)
    narrow = dc.pit_histogram(dc.pit_values(*_normal_forecasts(20000, 1, 0.5, form)))
    assert narrow["share"].iloc[0] > 0.15 and narrow["share"].iloc[-1] > 0.15
    assert narrow["share"].iloc[4:6].max() < 0.1


def test_coverage_of_calibrated_forecasts_is_near_the_level():
    x, p, starts, y, form = _normal_forecasts(20000, 2, 1.0, "quantiles")
    cov = dc.central_coverage(x, p, starts, y, form, levels=(0.5, 0.9, 0.99))
    share = cov.groupby("level")["covered"].mean()
    # 0.99 is beyond the stated 0.05 and 0.95 quantiles: not read
    assert set(share.index) == {0.5, 0.9}
    assert share.loc[0.5] == pytest.approx(0.5, abs=0.015)
    assert share.loc[0.9] == pytest.approx(0.9, abs=0.01)
    x, p, starts, y, form = _normal_forecasts(5000, 3, 1.0, "cdf")
    cov = dc.central_coverage(x, p, starts, y, form, levels=(0.8,))
    assert cov["covered"].mean() == pytest.approx(0.8, abs=0.02)


def test_an_interval_is_read_at_its_own_level():
    x, p = np.array([2.0, 3.0]), np.array([0.05, 0.95])
    cov = dc.central_coverage(x, p, np.array([0]), np.array([2.5]), np.array(["interval"]))
    assert cov[["level", "lower", "upper", "covered"]].values.tolist() == [[0.9, 2.0, 3.0, True]]
    with pytest.raises(ScoringError, match="not in"):
        dc.central_coverage(
            x, p, np.array([0]), np.array([2.5]), np.array(["interval"]), levels=(1.5,)
        )


def test_option_reliability_is_the_binned_diagram_of_each_option_one_vs_rest():
    rng = np.random.default_rng(5)
    n, k = 3000, 3
    probs = rng.dirichlet(np.ones(k), n)
    realised_idx = (rng.random(n)[:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
    realised = np.eye(k, dtype=bool)[np.minimum(realised_idx, k - 1)].ravel()
    labels = np.tile(["lo", "mid", "hi"], n)
    table = dc.option_reliability(probs.ravel(), realised, labels)
    pooled = table[table["option"] == "(all options)"].drop(columns="option").reset_index(drop=True)
    pd.testing.assert_frame_equal(pooled, binned_reliability(realised.astype(float), probs.ravel()))
    mid = table[table["option"] == "mid"].drop(columns="option").reset_index(drop=True)
    pd.testing.assert_frame_equal(
        mid, binned_reliability(realised[1::3].astype(float), probs[:, 1])
    )
    # calibrated by construction: observed shares close to the forecasts where bins are full
    full = pooled[pooled["n"] > 300]
    assert np.allclose(full["observed"], full["mean_forecast"], atol=0.05)
