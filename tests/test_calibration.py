"""Calibration: CORP against published values, identities, ties, diagrams, Murphy, Spiegelhalter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.isotonic import IsotonicRegression

from forecastkit.errors import ScoringError
from forecastkit.scoring.calibration import (
    binned_reliability,
    corp_by_group,
    corp_decomposition,
    murphy_decomposition,
    proportion_interval,
    recalibrate,
    reliability_diagram,
    spiegelhalter_z,
)
from forecastkit.scoring.scores import brier_score, log_score

from conftest import shared_path

TOY_Y = [0, 0, 0, 1, 1, 1]
TOY_P = [0.4, 0.3, 0.2, 0.1, 0.5, 0.9]


@pytest.mark.parametrize(
    ("score", "s", "mcb", "dsc", "unc"),
    [
        ("brier", 0.2266667, 0.1016667, 0.125, 0.25),
        ("log", 0.6986228, 0.3237327, 0.3182571, 0.6931472),
    ],
)
def test_corp_reference_values(score, s, mcb, dsc, unc):
    d = corp_decomposition(TOY_Y, TOY_P, score=score)
    assert (d.score, d.mcb, d.dsc, d.unc) == pytest.approx((s, mcb, dsc, unc), abs=5e-8)
    assert d.n == 6


# Dimitriadis, Gneiting & Jordan (2021), PNAS 118(8), Niamey 2016, Brier: S, MCB, DSC, UNC as
# published (rounded to the digits shown).
@pytest.mark.parametrize(
    ("method", "s", "mcb", "dsc", "unc"),
    [
        ("Logistic", "0.206", "0.0171", "0.0555", "0.244"),
        ("EMOS", "0.232", "0.0183", "0.0305", "0.244"),
        ("ENS", "0.266", "0.0661", "0.0441", "0.244"),
        ("EPC", "0.234", "0.0223", "0.0323", "0.244"),
    ],
)
def test_corp_niamey_2016(method, s, mcb, dsc, unc):
    data = pd.read_csv(shared_path("data", "precip_Niamey_2016.csv"))
    d = corp_decomposition(data["obs"], data[method])
    for value, published in ((d.score, s), (d.mcb, mcb), (d.dsc, dsc), (d.unc, unc)):
        digits = len(published.split(".")[1])
        assert round(value, digits) == pytest.approx(float(published), abs=1e-12), published


forecast_sets = st.integers(min_value=1, max_value=80).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n),
        # a verbal scale's few values (many ties) or arbitrary numbers
        st.one_of(
            st.lists(
                st.sampled_from([0.05, 0.2, 0.325, 0.5, 0.675, 0.8, 0.95]), min_size=n, max_size=n
            ),
            st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n),
        ),
    )
)


@settings(max_examples=150, deadline=None)
@given(forecast_sets)
def test_corp_identities(data):
    y, p = data
    for score, plain in (("brier", brier_score(y, p)), ("log", log_score(y, p))):
        d = corp_decomposition(y, p, score=score)
        assert d.score == pytest.approx(plain, abs=1e-12)
        assert d.score == pytest.approx(d.mcb - d.dsc + d.unc, abs=1e-9)
        assert d.mcb >= -1e-12 and d.dsc >= -1e-12
    # a recalibrated forecast is calibrated (MCB 0) and keeps the discrimination
    fitted = recalibrate(y, p)
    again = corp_decomposition(y, fitted)
    assert again.mcb == pytest.approx(0.0, abs=1e-12)
    assert again.dsc == pytest.approx(corp_decomposition(y, p).dsc, abs=1e-12)


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


def test_corp_by_group_equals_one_group_at_a_time():
    rng = np.random.default_rng(5)
    n, groups = 3000, 40
    codes = rng.integers(0, groups + 1, n)  # group `groups` stays empty below
    codes[codes == groups] = 0
    p = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9, 0.999, 1.0], n)
    y = (rng.random(n) < p * 0.8).astype(float)
    parts = corp_by_group(y, p, codes, groups + 1)
    for g in range(groups):
        for score, names in (
            ("brier", ("brier", "mcb", "dsc", "unc")),
            ("log", ("log_score", "mcb_log", "dsc_log", "unc_log")),
        ):
            d = corp_decomposition(y[codes == g], p[codes == g], score=score)
            got = tuple(parts[k][g] for k in names)
            assert got == pytest.approx((d.score, d.mcb, d.dsc, d.unc), abs=1e-12)
    assert np.isnan(parts["brier"][groups]) and parts["n"][groups] == 0


def test_reliability_diagram_curve_and_band():
    rng = np.random.default_rng(11)
    p = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], 400)
    y = (rng.random(400) < p).astype(float)  # calibrated by construction
    diag = reliability_diagram(y, p, seed=2)
    assert list(diag.columns) == ["forecast", "n", "observed", "cep", "band_low", "band_high"]
    assert diag["forecast"].tolist() == [0.1, 0.3, 0.5, 0.7, 0.9]
    assert diag["n"].sum() == 400
    fitted = recalibrate(y, p)
    assert diag["cep"].tolist() == pytest.approx([fitted[p == v][0] for v in diag["forecast"]])
    assert (diag["band_low"] <= diag["forecast"]).all() and (
        diag["forecast"] <= diag["band_high"]
    ).all()
    # a calibrated forecaster's curve stays inside its 90% band at (nearly) every point
    inside = (diag["band_low"] <= diag["cep"]) & (diag["cep"] <= diag["band_high"])
    assert inside.sum() >= 4
    wider = reliability_diagram(y, p, level=0.99, seed=2)
    assert (
        (wider["band_high"] - wider["band_low"]) >= (diag["band_high"] - diag["band_low"])
    ).all()
    assert reliability_diagram(y, p, seed=2).equals(diag)  # seeded


def test_reliability_diagram_flags_overconfidence():
    rng = np.random.default_rng(4)
    truth = rng.choice([0.3, 0.7], 600)
    p = np.where(truth > 0.5, 0.95, 0.05)  # says 95% when the truth is 70%
    y = (rng.random(600) < truth).astype(float)
    diag = reliability_diagram(y, p, seed=1)
    assert ((diag["cep"] < diag["band_low"]) | (diag["cep"] > diag["band_high"])).all()


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


@pytest.mark.parametrize(
    ("outcome", "probability", "z"),
    [
        # numerator sum (y - p)(1 - 2p); denominator sqrt(sum (1 - 2p)^2 p (1 - p))
        (
            [1, 0, 1],
            [0.8, 0.3, 0.6],
            ((0.2 * -0.6) + (-0.3 * 0.4) + (0.4 * -0.2))
            / math.sqrt(0.36 * 0.16 + 0.16 * 0.21 + 0.04 * 0.24),
        ),
        ([0, 1], [0.5, 0.5], math.nan),
    ],
)
def test_spiegelhalter_by_hand(outcome, probability, z):
    t = spiegelhalter_z(outcome, probability)
    assert t.z == pytest.approx(z, nan_ok=True) and t.n == len(outcome)
    if not math.isnan(z):
        assert t.p_value == pytest.approx(2 * stats.norm.sf(abs(z)))


def test_spiegelhalter_detects_overconfidence():
    rng = np.random.default_rng(9)
    truth = rng.choice([0.3, 0.7], 2000)
    y = (rng.random(2000) < truth).astype(float)
    assert spiegelhalter_z(y, truth).p_value > 0.01
    assert spiegelhalter_z(y, np.where(truth > 0.5, 0.95, 0.05)).p_value < 1e-6


@pytest.mark.parametrize("rounds", [0, 1, 3, 32, 10_000])
@pytest.mark.parametrize("cells", [0, 1 << 22])
def test_grouped_pav_is_scipys_whatever_the_route(monkeypatch, rounds, cells):
    """Parallel pooling, the hand-over to SciPy after any number of rounds, and pooling by
    counting or by sorting all give scipy.optimize.isotonic_regression's fit, group by group."""
    from scipy.optimize import isotonic_regression

    from forecastkit.scoring import calibration

    monkeypatch.setattr(calibration, "PARALLEL_POOL_ROUNDS", rounds)
    monkeypatch.setattr(calibration, "_COUNTING_CELLS", cells)
    rng = np.random.default_rng(rounds + cells)
    n, groups = 4000, 25
    codes = rng.integers(0, groups, n)
    p = np.where(rng.random(n) < 0.5, np.round(rng.random(n), 2), rng.random(n))
    y = (rng.random(n) < p).astype(float)
    fitted = calibration.recalibrate_by_group(y, p, codes)
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


def test_a_cascade_of_violators_is_handed_to_scipy():
    """An increasing run ending in one low value pools one block per round: after
    PARALLEL_POOL_ROUNDS rounds SciPy finishes the fit."""
    from forecastkit.scoring.calibration import PARALLEL_POOL_ROUNDS, recalibrate_by_group

    n = 10 * PARALLEL_POOL_ROUNDS
    p = np.arange(n + 1) / (n + 1)
    y = np.r_[np.ones(n), 0.0]
    fitted = recalibrate_by_group(y, p, np.zeros(n + 1, dtype=np.int64))
    assert fitted == pytest.approx(np.full(n + 1, n / (n + 1)))
