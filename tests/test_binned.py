"""Binned calibration: proportion intervals against SciPy, binned reliability, Murphy's
decomposition by hand and as an identity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from forecastkit.errors import ScoringError
from forecastkit.scoring.binned import binned_reliability, murphy_decomposition, proportion_interval
from forecastkit.scoring.scores import brier_score

from conftest import forecast_sets


@pytest.mark.parametrize(("events", "n"), [(0, 10), (3, 10), (7, 10), (10, 10), (1, 1), (40, 93)])
def test_wilson_interval_matches_scipy(events, n):
    low, high = proportion_interval([events], [n], method="wilson")
    ci = stats.binomtest(events, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert (low[0], high[0]) == pytest.approx((ci.low, ci.high), abs=1e-12)


@pytest.mark.parametrize(("events", "n"), [(0, 10), (3, 10), (7, 10), (10, 10), (1, 3), (40, 93)])
def test_jeffreys_interval_inside_clopper_pearson(events, n):
    low, high = proportion_interval([events], [n], method="jeffreys")
    exact = stats.binomtest(events, n).proportion_ci(confidence_level=0.95, method="exact")
    assert exact.low - 1e-12 <= low[0] <= events / n <= high[0] <= exact.high + 1e-12
    assert (low[0] == 0) == (events == 0) and (high[0] == 1) == (events == n)


def test_binned_reliability_counts_and_edges():
    y = [0, 1, 1, 0, 1, 1]
    p = [0.05, 0.15, 0.1, 0.95, 1.0, 0.55]
    table = binned_reliability(y, p, bins=[0, 0.1, 0.5, 1], interval="jeffreys")
    assert table["n"].tolist() == [1, 2, 3]  # 0.1 falls in [0.1, 0.5); 1.0 in the last bin
    assert table["events"].tolist() == [0, 2, 2]
    assert table["observed"].tolist() == pytest.approx([0, 1, 2 / 3])
    assert table["mean_forecast"].tolist() == pytest.approx([0.05, 0.125, 2.5 / 3])
    ten = binned_reliability(y, p)
    assert len(ten) == 10 and ten["n"].sum() == 6 and np.isnan(ten["low"][2])


@pytest.mark.parametrize("bins", [0, [0.5, 0.2, 1.0]])
def test_binned_reliability_rejects_bad_bins(bins):
    with pytest.raises(ScoringError, match="bin"):
        binned_reliability([0, 1], [0.2, 0.8], bins=bins)


def test_murphy_by_hand():
    y = [0, 1, 1, 0, 1]
    p = [0.2, 0.2, 0.8, 0.8, 0.8]
    m = murphy_decomposition(y, p, bins="unique")
    # bins {0.2: 1/2 observed}, {0.8: 2/3}; base rate 0.6
    rel = (2 * (0.2 - 0.5) ** 2 + 3 * (0.8 - 2 / 3) ** 2) / 5
    res = (2 * (0.5 - 0.6) ** 2 + 3 * (2 / 3 - 0.6) ** 2) / 5
    assert (m.reliability, m.resolution, m.uncertainty) == pytest.approx((rel, res, 0.24))
    assert m.within_bin == pytest.approx(0.0, abs=1e-15) and m.n_bins == 2
    assert m.brier == pytest.approx(brier_score(y, p))


@settings(max_examples=100, deadline=None)
@given(forecast_sets, st.sampled_from([1, 5, 10, "unique"]))
def test_murphy_partition_adds_up(data, bins):
    y, p = data
    m = murphy_decomposition(y, p, bins=bins)
    assert m.brier == pytest.approx(
        m.reliability - m.resolution + m.uncertainty + m.within_bin, abs=1e-12
    )
    if bins == "unique":
        assert m.within_bin == pytest.approx(0.0, abs=1e-12)
