"""Calibration: CORP against published values, identities, grouped, diagrams, Spiegelhalter."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from scipy import stats

from forecastkit.scoring.calibration import (
    corp_by_group,
    corp_decomposition,
    reliability_diagram,
    spiegelhalter_z,
)
from forecastkit.scoring.isotonic import recalibrate
from forecastkit.scoring.scores import brier_score, log_score

from conftest import forecast_sets, shared_path

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
