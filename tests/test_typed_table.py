"""Score tables of every question type: binary rows unchanged, leagues, policies, relative scores,
the crowd comparison (frames built to docs/question-types.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from forecastkit.editing.synthetic import synthetic_typed_frames
from forecastkit.scoring import categorical as cat
from forecastkit.scoring import continuous as cont
from forecastkit.scoring.crowd import (
    crowd_claimants,
    crowd_comparison,
    crowd_sentence,
    crowd_summary,
)
from forecastkit.scoring.forecast_scores import forecast_scores
from forecastkit.scoring.grouped import score_table
from forecastkit.scoring.typed_table import (
    TYPED_COLUMNS,
    claim_scores,
    question_units,
    score_tables,
    typed_score_table,
)


def _claim(cid, who, qid, qtype, form, *, made="2024-01-01", status="resolved", **extra):
    row = {
        "claim_id": cid,
        "claimant": who,
        "kind": "forecast",
        "question_id": qid,
        "question_type": qtype,
        "form": form,
        "probability": np.nan,
        "outcome": np.nan,
        "status": status,
        "made_on": pd.Timestamp(made),
        "resolved_on": pd.Timestamp("2024-03-01") if status != "open" else pd.NaT,
        "resolve_by": pd.Timestamp("2024-06-01"),
        "outcome_option": None,
        "outcome_value": np.nan,
    }
    row.update(extra)
    return row


def small_corpus() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Two claimants and a crowd on one multiple-choice, one ordered and one numeric question."""
    claims = pd.DataFrame(
        [
            _claim("a1", "ann", "q-mc", "multiple_choice", "probabilities", outcome_option="b"),
            _claim("b1", "bob", "q-mc", "multiple_choice", "probabilities", outcome_option="b"),
            _claim("c1", "crowd", "q-mc", "multiple_choice", "probabilities", outcome_option="b"),
            _claim("a2", "ann", "q-ord", "multiple_choice", "probabilities", outcome_option="hi"),
            _claim("a3", "ann", "q-num", "numeric", "quantiles", outcome_value=4.0),
            _claim(
                "a4", "ann", "q-num", "numeric", "interval", made="2024-02-01", outcome_value=4.0
            ),
            _claim("b3", "bob", "q-num", "numeric", "cdf", outcome_value=4.0),
            _claim("c3", "crowd", "q-num", "numeric", "point", outcome_value=4.0),
            _claim("b4", "bob", "q-open", "numeric", "point", status="open"),
            _claim("b5", "bob", "q-amb", "numeric", "point", status="ambiguous"),
            _claim(
                "a6",
                "ann",
                "q-bin",
                "binary",
                "probability",
                status="true",
                probability=0.8,
                outcome=1.0,
            ),  # fmt: skip
        ]
    )
    points = pd.DataFrame(
        [
            ("a1", "probabilities", "a", np.nan, 0.2),
            ("a1", "probabilities", "b", np.nan, 0.5),
            ("a1", "probabilities", "c", np.nan, 0.3),
            ("b1", "probabilities", "a", np.nan, 0.1),
            ("b1", "probabilities", "b", np.nan, 0.8),
            ("b1", "probabilities", "c", np.nan, 0.1),
            ("c1", "probabilities", "a", np.nan, 0.3),
            ("c1", "probabilities", "b", np.nan, 0.4),
            ("c1", "probabilities", "c", np.nan, 0.3),
            ("a2", "probabilities", "lo", np.nan, 0.2),
            ("a2", "probabilities", "mid", np.nan, 0.5),
            ("a2", "probabilities", "hi", np.nan, 0.3),
            ("a3", "quantiles", None, 1.5, 0.05),
            ("a3", "quantiles", None, 2.5, 0.5),
            ("a3", "quantiles", None, 3.5, 0.95),
            ("a4", "interval", None, 3.0, 0.05),
            ("a4", "interval", None, 5.0, 0.95),
            ("b3", "cdf", None, 0.0, 0.02),
            ("b3", "cdf", None, 2.0, 0.5),
            ("b3", "cdf", None, 4.0, 0.98),
            ("c3", "point", None, 3.0, np.nan),
            ("b4", "point", None, 1.0, np.nan),
            ("b5", "point", None, 1.0, np.nan),
        ],
        columns=["claim_id", "form", "option", "x", "p"],
    )
    questions = pd.DataFrame(
        {"question_id": ["q-mc", "q-ord", "q-num"], "ordered": [False, True, False]}
    )
    return claims, points, questions


def test_forecast_scores_are_the_pure_scores():
    claims, points, questions = small_corpus()
    s = forecast_scores(claims, points, questions=questions).set_index(
        claims.loc[claims["question_type"] != "binary", "claim_id"]
    )
    assert s.loc["a1", "score_name"] == "multiclass_brier"
    assert s.loc["a1", "score"] == pytest.approx(cat.multiclass_brier([1], [[0.2, 0.5, 0.3]]))
    assert s.loc["a1", "log_score"] == pytest.approx(-np.log(0.5))
    assert np.isnan(s.loc["a1", "rps"])
    assert s.loc["a2", "score_name"] == "rps"
    assert s.loc["a2", "score"] == pytest.approx(
        cat.ranked_probability_score([2], [[0.2, 0.5, 0.3]])
    )
    assert s.loc["a3", "crps"] == pytest.approx(
        cont.quantile_crps([4.0], [[1.5, 2.5, 3.5]], [0.05, 0.5, 0.95])
    )
    assert s.loc["a3", "wis"] == pytest.approx(
        cont.weighted_interval_score([4.0], [2.5], [[1.5]], [[3.5]], [0.1])
    )
    assert s.loc["a4", "interval_score"] == pytest.approx(2.0)
    assert s.loc["b3", "crps"] == pytest.approx(
        cont.cdf_crps([4.0], [0, 2, 4], [[0.02, 0.5, 0.98]])
    )
    assert s.loc["c3", "crps"] == s.loc["c3", "abs_error"] == 1.0
    assert s.loc["c3", "pct_error"] == pytest.approx(25.0)
    assert not s.loc["b4", "resolved"] and np.isnan(s.loc["b4", "score"])
    assert np.isnan(s.loc["b5", "score"])


def test_typed_table_counts_leagues_and_relative_scores():
    claims, points, questions = small_corpus()
    table = typed_score_table(claims, points, questions=questions, policy="all", ci=False)
    assert list(table.columns) == TYPED_COLUMNS
    t = table.set_index(["question_type", "score_name", "group"])
    assert set(t.index.get_level_values("score_name")) == {"multiclass_brier", "rps", "crps"}
    bob = t.loc[("numeric", "crps", "bob")]
    assert (bob["n"], bob["n_resolved"], bob["n_open"], bob["n_ambiguous"]) == (3, 1, 1, 1)
    # multiple choice: the difference to the median of the others (ann against bob and crowd)
    mc = claim_scores(claims, points, questions=questions).set_index(claims["claim_id"])
    a, b, c = (mc.loc[k, "score"] for k in ("a1", "b1", "c1"))
    assert t.loc[("multiple_choice", "multiclass_brier", "ann"), "relative_score"] == pytest.approx(
        a - (b + c) / 2
    )
    # numeric: ann's two forecasts are two units under "all", her score on the one shared
    # question their mean; the CRPS relative score is a ratio to the others' median
    ann = t.loc[("numeric", "crps", "ann")]
    assert ann["n_resolved"] == 2 and ann["n_shared"] == 1
    a3, a4, b3, c3 = (mc.loc[k, "score"] for k in ("a3", "a4", "b3", "c3"))
    assert ann["relative_score"] == pytest.approx(((a3 + a4) / 2) / ((b3 + c3) / 2))
    assert t.loc[("multiple_choice", "rps", "ann"), "n_shared"] == 0


def test_policies_weight_a_claimants_forecasts_on_a_question():
    claims, points, questions = small_corpus()
    mc = claim_scores(claims, points, questions=questions).set_index(claims["claim_id"])
    a3, a4 = mc.loc["a3", "score"], mc.loc["a4", "score"]
    rows = {}
    for policy in ("all", "last", "time-weighted"):
        t = typed_score_table(claims, points, questions=questions, policy=policy, ci=False)
        rows[policy] = t.set_index(["score_name", "group"]).loc[("crps", "ann")]
    assert rows["all"]["score"] == pytest.approx((a3 + a4) / 2)
    assert rows["last"]["score"] == pytest.approx(a4) and rows["last"]["n_resolved"] == 1
    # a3 stood 31 days (Jan 1 to Feb 1), a4 29 days (to the close, Mar 1)
    assert rows["time-weighted"]["score"] == pytest.approx((31 * a3 + 29 * a4) / 60)


def test_binary_rows_of_a_mixed_corpus_equal_a_binary_only_run():
    frames = synthetic_typed_frames(6000, n_claimants=12, n_questions=600, seed=3)
    claims = frames["claims"]
    binary_only = claims[claims["question_type"] == "binary"].drop(
        columns=["question_type", "form", "outcome_option", "outcome_value"]
    )
    for policy in ("all", "time-weighted"):
        mixed = score_tables(claims, frames["forecast_points"], "claimant", policy=policy)
        alone = score_table(binary_only, "claimant", policy=policy)
        assert_frame_equal(mixed.binary, alone, check_exact=True)
        # and score_table itself leaves the other types out of a mixed table
        assert_frame_equal(score_table(claims, "claimant", policy=policy), alone, check_exact=True)
    assert len(mixed.typed) and mixed.leagues[0] == ("binary", "brier")


def test_score_tables_by_none_and_tag_and_no_other_types():
    claims, points, questions = small_corpus()
    tables = score_tables(claims, points, None, questions=questions, ci=False)
    assert set(tables.typed["group"]) == {"all"}
    binary_only = score_tables(claims[claims["question_type"] == "binary"], None, "claimant")
    assert binary_only.typed.empty and len(binary_only.binary) == 1


def test_ci_brackets_the_score():
    frames = synthetic_typed_frames(4000, n_claimants=5, n_questions=400, seed=4)
    table = typed_score_table(
        frames["claims"], frames["forecast_points"], questions=frames["questions"]
    )
    ok = table[table["n_resolved"] >= 2]
    assert (
        len(ok)
        and (ok["score_low"] <= ok["score"]).all()
        and (ok["score"] <= ok["score_high"]).all()
    )


def test_crowd_comparison_counts_shared_questions_on_the_suited_score():
    claims, points, questions = small_corpus()
    units = question_units(claims, points, questions=questions, policy="last")
    authors = pd.DataFrame(
        {"claimant": ["ann", "bob", "crowd"], "kind": ["person", "person", "crowd"]}
    )
    assert crowd_claimants(authors) == ["crowd"]
    comp = crowd_comparison(units, crowd_claimants(authors))
    mc = claim_scores(claims, points, questions=questions).set_index(claims["claim_id"])
    ann = comp[comp["claimant"] == "ann"].set_index("question_type")
    # multiple choice: ann 0.19 against the crowd's 0.27 (multiclass Brier); numeric: her last
    # forecast (the interval) against the crowd's point, whose CRPS is its absolute error 1
    assert ann.loc["multiple_choice", "beat"] == int(mc.loc["a1", "score"] < mc.loc["c1", "score"])
    assert ann.loc["numeric", "n_shared"] == 1
    assert ann.loc["numeric", "beat"] == int(mc.loc["a4", "score"] < 1.0)
    summary = crowd_summary(comp).set_index("claimant")
    assert summary.loc["ann", "n_shared"] == 2
    assert "binary" not in set(comp["question_type"])  # the crowd did not forecast q-bin
    assert crowd_sentence(7, 12, "Metaculus") == "beat Metaculus on 7 of 12 shared questions"
    assert crowd_sentence(1, 1, "X", tied=2).endswith("1 shared question (2 ties)")


def test_size_keyed_bootstrap_agrees_with_plain_resampling_and_ignores_other_groups():
    from forecastkit.scoring.group_means import bootstrap_means

    rng = np.random.default_rng(9)
    values = rng.gamma(2.0, 1.0, 600)
    groups = pd.Series(np.repeat([f"g{i}" for i in range(12)], 50))
    by_size = bootstrap_means(values, groups).set_index("group")
    # a plain bootstrap from another generator: the same interval to Monte Carlo noise
    plain = np.random.default_rng(1)
    for i in range(12):
        own = values[i * 50 : (i + 1) * 50]
        means = own[plain.integers(0, 50, (4000, 50))].mean(axis=1)
        low, high = np.quantile(means, [0.025, 0.975])
        width = high - low
        assert abs(by_size.loc[f"g{i}", "low"] - low) < 0.15 * width
        assert abs(by_size.loc[f"g{i}", "high"] - high) < 0.15 * width
    alone = bootstrap_means(values[:50], groups[:50]).set_index("group")
    assert alone.loc["g0", "low"] == by_size.loc["g0", "low"]  # to the last bit
    assert alone.loc["g0", "high"] == by_size.loc["g0", "high"]
