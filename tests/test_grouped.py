"""Grouped scoring: agreement with the one-group functions, exclusions, as_of, scale sensitivity."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from forecastkit.errors import ScoringError, UnknownHedgeError
from forecastkit.scoring.calibration import corp_decomposition, spiegelhalter_z
from forecastkit.scoring.grouped import (
    as_of,
    scale_sensitivity,
    score_over_time,
    score_table,
)
from forecastkit.scoring.render import render_scores
from forecastkit.scoring.scores import brier_score, hit_rate, log_score, summarise


def _random_claims(n: int = 600, groups: int = 7, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    p = rng.choice([0.05, 0.2, 0.325, 0.5, 0.675, 0.8, 0.95, 1.0], n)
    y = (rng.random(n) < p).astype(float)
    return pd.DataFrame(
        {
            "claimant": rng.choice([f"c{i}" for i in range(groups)], n),
            "probability": p,
            "outcome": y,
            "status": np.where(y == 1, "true", "false"),
        }
    )


def test_score_table_agrees_with_one_group_functions():
    claims = _random_claims()
    table = score_table(claims, "claimant", seed=3).set_index("group")
    for name, part in claims.groupby("claimant"):
        row = table.loc[name]
        y, p = part["outcome"], part["probability"]
        h = hit_rate(y, p)
        brier, log = corp_decomposition(y, p), corp_decomposition(y, p, score="log")
        assert row["n"] == row["n_resolved"] == len(part)
        assert row["brier"] == pytest.approx(brier_score(y, p))
        assert row["log_score"] == pytest.approx(log_score(y, p))
        assert (row["n_hits"], row["n_misses"], row["n_half"]) == (h.hits, h.misses, h.half)
        assert row["hit_rate"] == pytest.approx(h.rate)
        assert (row["mcb"], row["dsc"], row["unc"]) == pytest.approx(
            (brier.mcb, brier.dsc, brier.unc)
        )
        assert (row["mcb_log"], row["dsc_log"], row["unc_log"]) == pytest.approx(
            (log.mcb, log.dsc, log.unc)
        )
        assert row["bss_base_rate"] == pytest.approx((brier.dsc - brier.mcb) / brier.unc)
        assert row["lss_half"] == pytest.approx(1 - log_score(y, p) / math.log(2))
        assert row["spiegelhalter_z"] == pytest.approx(spiegelhalter_z(y, p).z)
        # grouped bootstrap intervals resemble the one-group bootstrap (different draws)
        one = summarise(y, p, seed=3)
        for stat in ("brier", "log_score", "hit_rate", "bss_half"):
            assert row[f"{stat}_low"] <= row[stat] <= row[f"{stat}_high"]
            width = one[stat].high - one[stat].low
            assert row[f"{stat}_high"] - row[f"{stat}_low"] == pytest.approx(width, rel=0.25)


def test_score_table_is_seeded_and_ci_optional():
    claims = _random_claims(200)
    a, b = score_table(claims, seed=1), score_table(claims, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert not score_table(claims, seed=2).equals(a)
    plain = score_table(claims, ci=False)
    assert not any(c.endswith(("_low", "_high")) for c in plain.columns)
    pd.testing.assert_series_equal(plain["brier"], a["brier"])


def test_a_groups_interval_does_not_depend_on_the_other_groups():
    claims = _random_claims(400, groups=5)
    together = score_table(claims, "claimant", seed=4).set_index("group")
    ci_columns = [c for c in together.columns if c.endswith(("_low", "_high"))]
    for name in ("c0", "c3"):
        alone = score_table(claims[claims["claimant"] == name], "claimant", seed=4)
        pd.testing.assert_series_equal(
            alone.set_index("group").loc[name, ci_columns], together.loc[name, ci_columns]
        )


def test_statuses_are_counted_and_only_resolved_forecasts_scored():
    claims = pd.DataFrame(
        {
            "claimant": ["a"] * 7,
            "kind": ["forecast"] * 6 + ["prescription"],
            "probability": [0.8, 0.3, 0.6, 0.7, 0.9, np.nan, 0.5],
            "outcome": [1.0, 0.0, np.nan, np.nan, np.nan, 1.0, np.nan],
            "status": ["true", "false", "open", "ambiguous", "annulled", "true", "open"],
        }
    )
    row = score_table(claims, ci=False, min_n=3).iloc[0]
    counts = row[["n", "n_resolved", "n_open", "n_ambiguous", "n_annulled", "n_unscored"]]
    assert counts.tolist() == [6, 2, 1, 1, 1, 1]
    assert row["brier"] == pytest.approx(brier_score([1, 0], [0.8, 0.3]))
    assert bool(row["low_n"]) is True


@pytest.mark.parametrize(
    ("by", "groups", "sizes"),
    [
        ("claimant", ["x", "y"], [2, 1]),
        ("tag", ["econ", "war", "(none)"], [2, 1, 1]),  # a claim with two tags counts in each
        ("year", ["2019", "2020"], [1, 2]),
        ("publisher", ["Times", "(none)"], [2, 1]),
        (None, ["all"], [3]),
    ],
)
def test_grouping_columns(by, groups, sizes):
    claims = pd.DataFrame(
        {
            "claimant": ["x", "x", "y"],
            "publisher": ["Times", None, "Times"],
            "tags": [("econ", "war"), ("econ",), ()],
            "made_on": pd.to_datetime(["2019-05-01", "2020-01-01", "2020-02-02"]),
            "probability": [0.7, 0.2, 0.6],
            "outcome": [1.0, 0.0, 0.0],
        }
    )
    table = score_table(claims, by, ci=False)
    assert table["group"].tolist() == groups
    assert table["n"].tolist() == sizes


def test_unknown_grouping_column():
    with pytest.raises(ScoringError, match="no column 'party'"):
        score_table(_random_claims(10), "party")


def test_probability_out_of_range():
    claims = _random_claims(10).assign(probability=70.0)
    with pytest.raises(ScoringError, match=r"outside \[0, 1\]"):
        score_table(claims)


def test_original_brier_doubles_brier_and_its_components():
    claims = _random_claims(300)
    a, b = score_table(claims, seed=0), score_table(claims, seed=0, original_brier=True)
    for col in ("brier", "brier_low", "brier_high", "mcb", "dsc", "unc"):
        assert b[col].tolist() == pytest.approx((2 * a[col]).tolist())
    assert b["bss_base_rate"].tolist() == pytest.approx(a["bss_base_rate"].tolist())


HISTORY = pd.DataFrame(
    {
        "claimant": ["a", "a", "a", "b"],
        "probability": [0.9, 0.2, 0.7, 0.6],
        "made_on": pd.to_datetime(["2020-01-01", "2020-06-01", "2021-03-01", "2020-02-01"]),
        "status": ["true", "false", "true", "annulled"],
        "verdict": ["true", "false", "true", "annulled"],
        "resolved_on": pd.to_datetime(["2020-05-01", "2021-06-01", "2021-04-01", "2020-03-01"]),
        "outcome": [1.0, 0.0, 1.0, np.nan],
    }
)


@pytest.mark.parametrize(
    ("date", "n", "resolved", "open_", "annulled"),
    [
        ("2019-12-31", 0, 0, 0, 0),
        ("2020-02-15", 2, 0, 2, 0),  # b's claim is not annulled yet: open
        ("2020-04-30", 2, 0, 1, 1),
        ("2020-05-01", 2, 1, 0, 1),  # the outcome counts from the day it was determined
        ("2021-01-01", 3, 1, 1, 1),
        ("2021-12-31", 4, 3, 0, 1),
    ],
)
def test_as_of(date, n, resolved, open_, annulled):
    stood = as_of(HISTORY, date)
    assert len(stood) == n
    table = score_table(stood, None, ci=False)
    if n:
        row = table.iloc[0]
        assert (row["n_resolved"], row["n_open"], row["n_annulled"]) == (resolved, open_, annulled)
    reopened = stood[stood["status"] == "open"]
    assert reopened["outcome"].isna().all() and reopened["resolved_on"].isna().all()
    assert len(HISTORY) == 4 and HISTORY["status"].tolist()[1] == "false"  # input untouched


def test_as_of_needs_dates():
    with pytest.raises(ScoringError, match="resolved_on"):
        as_of(HISTORY.drop(columns="resolved_on"), "2020-01-01")
    undated = HISTORY.assign(resolved_on=pd.NaT)
    with pytest.raises(ScoringError, match="have no resolved_on"):
        as_of(undated, "2022-01-01")


def test_as_of_each_stacks_as_of_for_every_date_in_one_take():
    from forecastkit.records.snapshot import as_of_each

    dates = ["2019-12-31", "2020-02-15", "2020-05-01", "2021-12-31"]
    expected = pd.concat(
        [as_of(HISTORY, d).assign(when=pd.Timestamp(d).strftime("%Y-%m-%d")) for d in dates],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(as_of_each(HISTORY, dates, "when"), expected)
    assert as_of_each(HISTORY, [], "when").empty
    with pytest.raises(ScoringError, match="have no resolved_on"):
        as_of_each(HISTORY.assign(resolved_on=pd.NaT), dates)


def test_score_over_time():
    track = score_over_time(HISTORY, ["2020-06-01", "2021-12-31"], "claimant", ci=False)
    a = track[track["group"] == "a"]
    assert a["n_resolved"].tolist() == [1, 3]
    assert a["brier"].tolist() == pytest.approx([0.01, (0.01 + 0.04 + 0.09) / 3])


# Two made-up scales for the test: "tight" reads hedges near 50%, "wide" near the ends.
SCALES = {
    "tight": {"likely": (0.6, 0.55, 0.65), "unlikely": (0.4, 0.35, 0.45)},
    "wide": {"likely": (0.9, 0.8, 0.99), "unlikely": (0.1, 0.01, 0.2)},
}


def _read(hedge: str, scale: str) -> SimpleNamespace:
    try:
        point, low, high = SCALES[scale][hedge]
    except KeyError:
        raise UnknownHedgeError(f"unknown hedge {hedge!r}") from None
    return SimpleNamespace(point=point, low=low, high=high)


def test_scale_sensitivity_detects_a_change_of_ranking():
    # "bold" is always right with hedged words; "cautious" always right with a stated 0.65
    # (Brier 0.1225). Read on the tight scale bold's hedges are timid (0.16) and cautious ranks
    # first; on the wide scale bold ranks first (0.01): the ranking flips.
    claims = pd.DataFrame(
        {
            "claimant": ["bold"] * 4 + ["cautious"] * 4 + ["vague"],
            "hedge": ["likely", "likely", "unlikely", "unlikely", None, None, None, None, "maybe"],
            "probability_stated": [np.nan] * 4 + [0.65] * 4 + [np.nan],
            "outcome": [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    result = scale_sensitivity(claims, ["tight", "wide"], read=_read, min_n=2, reference="tight")
    t = result.table.set_index(["scale", "reading", "group"])
    bold_tight = brier_score([1, 1, 0, 0], [0.6, 0.6, 0.4, 0.4])
    bold_wide = brier_score([1, 1, 0, 0], [0.9, 0.9, 0.1, 0.1])
    assert t.loc[("tight", "point", "bold"), "brier"] == pytest.approx(bold_tight)
    assert t.loc[("wide", "point", "bold"), "brier"] == pytest.approx(bold_wide)
    assert t.loc[("wide", "low", "bold"), "brier"] == pytest.approx(
        brier_score([1, 1, 0, 0], [0.8, 0.8, 0.01, 0.01])
    )
    assert t.loc[("wide", "point", "cautious"), "brier"] == pytest.approx(0.1225)  # stated: kept
    assert t.loc[("tight", "point", "vague"), "n_unscored"] == 1  # "maybe" is on no scale
    r = result.rankings.set_index(["scale", "reading"])
    assert bool(r.loc[("tight", "point"), "same_ranking"]) is True
    assert r.loc[("tight", "point"), "best"] == "cautious"
    assert r.loc[("wide", "point"), "best"] == "bold"
    assert r.loc[("wide", "point"), "kendall_tau"] == pytest.approx(-1.0)
    assert result.ranking_changes


def test_scale_sensitivity_on_the_lexicon():
    from forecastkit.records import lexicon

    claims = pd.DataFrame(
        {
            "claimant": ["a", "a", "b", "b"],
            "hedge": ["likely", "highly unlikely", "will", "may"],
            "probability_stated": [np.nan] * 4,
            "outcome": [1.0, 0.0, 0.0, 1.0],
        }
    )
    result = scale_sensitivity(
        claims,
        list(lexicon.scales()),
        read=lexicon.read_hedge,
        min_n=1,
        reference=lexicon.DEFAULT_SCALE,
    )
    assert set(result.table["scale"]) == set(lexicon.scales())
    assert set(result.table["reading"]) == {"point", "low", "high"}
    assert result.reference == (lexicon.DEFAULT_SCALE, "point")
    assert not result.ranking_changes  # a is right twice; b wrong once and at best unsure once


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_render_scores(fmt):
    table = score_table(_random_claims(50, 3), seed=0, min_n=20)
    text = render_scores(table, fmt, min_n=20)
    assert "c0" in text
    if fmt == "table":
        assert "95% percentile bootstrap" in text and "bss_base_rate" in text
    elif fmt == "csv":
        assert text.splitlines()[0].startswith("group,n,n_resolved")
    else:
        assert pd.read_json(__import__("io").StringIO(text))["n"].sum() == 50


@pytest.mark.parametrize(
    ("claims", "by", "expected"),
    [
        (_random_claims(0, 1), "claimant", "no forecasts to score"),
        (  # a claim with two tags is in two groups; the totals say it is counted twice
            pd.DataFrame(
                {"tags": [("x", "y"), ("x",)], "probability": [0.8, 0.3], "outcome": [1.0, 0.0]}
            ),
            "tag",
            (
                "3 resolved forecasts scored, 0 open, 0 ambiguous or annulled (not scored), "
                "0 without a probability (a claim with several tags counts once per tag)"
            ),
        ),
    ],
)
def test_render_scores_totals(claims, by, expected):
    assert expected in render_scores(score_table(claims, by), "table", by=by)


def test_groups_with_nothing_scored_have_no_log_uncertainty():
    claims = _random_claims(20, 1).assign(claimant=["a"] * 19 + ["b"])
    claims.loc[19, ["outcome", "status"]] = [np.nan, "open"]
    row = score_table(claims, ci=False).set_index("group").loc["b"]
    assert row["n_resolved"] == 0
    assert row[["unc", "unc_log", "mcb_log", "dsc_log"]].isna().all()


@pytest.mark.parametrize("level", [0, 1.0, 1.5, -0.1])
def test_a_level_outside_0_1_is_a_scoring_error(level):
    from forecastkit.scoring.binned import proportion_interval

    with pytest.raises(ScoringError, match="is not a probability between 0 and 1"):
        score_table(HISTORY, None, level=level)
    with pytest.raises(ScoringError, match="level"):
        proportion_interval([3], [10], level=level)


def test_categorical_groups_sort_by_name():
    t = HISTORY.assign(grade=pd.Categorical(["b", "a", "b", "a"], categories=["b", "a"]))
    assert score_table(t, "grade", ci=False)["group"].tolist() == ["a", "b"]
