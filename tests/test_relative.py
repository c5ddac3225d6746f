"""Relative scores on shared questions, against hand-computed tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecastkit.scoring.group_means import bootstrap_means
from forecastkit.scoring.grouped import score_table
from forecastkit.scoring.relative import leave_one_out_median, relative_scores


def forecasts(rows: list[tuple]) -> pd.DataFrame:
    """(claimant, question, probability, outcome or status, made_on) rows."""
    t = pd.DataFrame(rows, columns=["claimant", "question_id", "probability", "verdict", "made_on"])
    t["status"] = t["verdict"]
    t["outcome"] = t["verdict"].map({"true": 1.0, "false": 0.0})
    t["made_on"] = pd.to_datetime(t["made_on"])
    t["resolved_on"] = pd.Series(pd.Timestamp("2024-06-01"), index=t.index).where(
        t["status"] != "open"
    )
    t["resolve_by"] = pd.Timestamp("2024-06-01")
    return t.drop(columns="verdict")


D = "2024-01-01"
TABLE = forecasts(
    [
        ("a", "q1", 0.9, "true", D),
        ("b", "q1", 0.6, "true", D),
        ("c", "q1", 0.2, "true", D),
        ("a", "q2", 0.3, "false", D),
        ("b", "q2", 0.5, "false", D),
        ("a", "q3", 0.8, "true", D),  # a alone: not shared
        ("a", "q4", 0.9, "ambiguous", D),
        ("b", "q4", 0.1, "ambiguous", D),  # not scored
        ("a", "q5", 0.7, "true", D),
        ("b", "q5", 0.7, "true", D),  # a tie
        ("c", "q6", 0.4, "open", D),
        ("b", "q6", 0.4, "open", D),  # open: not scored
    ]
)

# Brier on each question: q1 a .01 b .16 c .64; q2 a .09 b .25; q5 a .09 b .09
# median of the others: q1 a .40 b .325 c .085; q2 a .25 b .09; q5 a .09 b .09
RELATIVE = {"a": (-0.39 - 0.16 + 0) / 3, "b": (-0.165 + 0.16 + 0) / 3, "c": 0.555}
N_SHARED = {"a": 3, "b": 3, "c": 1}


def peer(p_self: float, p_others: list[float]) -> float:
    """Metaculus: 100 (ln p - mean of ln p_j over the others), p of the outcome that happened."""
    return 100 * (math.log(p_self) - sum(math.log(q) for q in p_others) / len(p_others))


PEER = {
    "a": (peer(0.9, [0.6, 0.2]) + peer(0.7, [0.5]) + peer(0.7, [0.7])) / 3,
    "b": (peer(0.6, [0.9, 0.2]) + peer(0.5, [0.7]) + peer(0.7, [0.7])) / 3,
    "c": peer(0.2, [0.9, 0.6]),
}


def test_relative_brier_and_peer_score_against_hand_tables():
    rel = relative_scores(TABLE, "all", ci=False).table.set_index("claimant")
    assert list(rel.index) == ["a", "b", "c"]
    for who in "abc":
        assert rel.loc[who, "relative_brier"] == pytest.approx(RELATIVE[who])
        assert rel.loc[who, "peer_score"] == pytest.approx(PEER[who])
        assert rel.loc[who, "n_shared"] == N_SHARED[who]


def test_peer_scores_of_a_question_sum_to_zero_and_single_forecasters_get_none():
    units = relative_scores(TABLE, "all", ci=False).units
    shared = units[units["shared"]]
    assert shared.groupby("question_id")["peer_score"].sum().abs().max() < 1e-9
    alone = units[units["question_id"] == "q3"].iloc[0]
    assert not alone["shared"]
    assert np.isnan(alone["relative_brier"]) and np.isnan(alone["peer_score"])
    assert set(units["question_id"]) == {"q1", "q2", "q3", "q5"}  # ambiguous and open left out


def test_head_to_head_counts_wins_losses_and_ties_both_ways():
    h2h = relative_scores(TABLE, "all", ci=False).head_to_head
    got = {
        (r.claimant, r.opponent): (r.n_shared, r.wins, r.losses, r.ties) for r in h2h.itertuples()
    }
    assert got == {
        ("a", "b"): (3, 2, 0, 1),
        ("b", "a"): (3, 0, 2, 1),
        ("a", "c"): (1, 1, 0, 0),
        ("c", "a"): (1, 0, 1, 0),
        ("b", "c"): (1, 1, 0, 0),
        ("c", "b"): (1, 0, 1, 0),
    }


def test_updates_after_the_close_do_not_count_under_last_and_time_weighted():
    t = forecasts(
        [
            ("a", "q", 0.2, "true", "2024-01-01"),
            ("b", "q", 0.6, "true", "2024-01-01"),
            ("a", "q", 0.99, "true", "2024-07-01"),
        ]
    )  # after resolved_on (2024-06-01)
    for policy, a_brier in (("last", 0.64), ("time-weighted", 0.64), ("all", (0.64 + 0.0001) / 2)):
        units = relative_scores(t, policy, ci=False).units.set_index("claimant")
        assert units.loc["a", "brier"] == pytest.approx(a_brier), policy
        assert units.loc["a", "relative_brier"] == pytest.approx(a_brier - 0.16), policy


def test_score_table_carries_the_relative_columns():
    table = score_table(TABLE, "claimant", policy="all").set_index("group")
    assert table.loc["a", "relative_brier"] == pytest.approx(RELATIVE["a"])
    assert table.loc["c", "n_shared"] == 1
    assert np.isnan(table.loc["c", "relative_brier_low"])  # one question: no interval
    assert (
        table.loc["a", "relative_brier_low"]
        <= table.loc["a", "relative_brier"]
        <= table.loc["a", "relative_brier_high"]
    )
    plain = score_table(TABLE, "claimant", policy="all", ci=False)
    assert "relative_brier_low" not in plain.columns and "peer_score" in plain.columns
    assert "relative_brier" not in score_table(TABLE, None).columns  # one group: no one to compare


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.floats(0, 1)), min_size=1, max_size=40))
def test_leave_one_out_median_equals_the_direct_one(rows):
    group = np.array([g for g, _ in rows])
    values = np.array([v for _, v in rows])
    got = leave_one_out_median(values, group)
    for i in range(len(rows)):
        others = np.delete(
            values[group == group[i]], np.flatnonzero(np.flatnonzero(group == group[i]) == i)[0]
        )
        expected = np.median(others) if len(others) else np.nan
        assert got[i] == pytest.approx(expected, nan_ok=True)


def test_bootstrap_means_depend_only_on_the_group_and_the_seed():
    rng = np.random.default_rng(0)
    values = rng.normal(size=300)
    groups = pd.Series(np.repeat(["x", "y", "z"], 100))
    both = bootstrap_means(values, groups).set_index("group")
    alone = bootstrap_means(values[:100], groups[:100]).set_index("group")
    assert both.loc["x"].tolist() == alone.loc["x"].tolist()
    assert both.loc["x", "low"] < values[:100].mean() < both.loc["x", "high"]
    assert bootstrap_means(values, groups, seed=1).loc[0, "low"] != both.loc["x", "low"]
    big = bootstrap_means(rng.normal(size=1000), pd.Series(["w"] * 1000)).iloc[0]
    assert big["low"] < big["high"]  # normal limit for large groups
