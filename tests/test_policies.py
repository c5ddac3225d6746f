"""Scoring policies: which of a claimant's forecasts on a question count, against hand tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecastkit.errors import ScoringError
from forecastkit.scoring.grouped import score_table
from forecastkit.scoring.policies import POLICIES, apply_policy, policy_statement, policy_weights


def table(
    rows: list[tuple], resolved_on: str | None = "2024-01-10", resolve_by: str = "2024-02-01"
) -> pd.DataFrame:
    """(claimant, question, made_on, probability, outcome) rows of one question's table."""
    t = pd.DataFrame(rows, columns=["claimant", "question_id", "made_on", "probability", "outcome"])
    t["made_on"] = pd.to_datetime(t["made_on"])
    t["resolved_on"] = pd.Timestamp(resolved_on) if resolved_on else pd.NaT
    t["question_resolve_by"] = pd.Timestamp(resolve_by)
    return t


# claimant a updates twice before the close (2024-01-10) and once after it
UPDATES = [
    ("a", "q", "2024-01-01", 0.2, 1.0),
    ("a", "q", "2024-01-04", 0.6, 1.0),
    ("a", "q", "2024-01-20", 0.99, 1.0),
]

CASES = [
    # name, rows, resolved_on, resolve_by, {policy: weights}
    (
        "one forecast",
        [("a", "q", "2024-01-01", 0.7, 1.0)],
        "2024-01-10",
        "2024-02-01",
        {"all": [1], "last": [1], "time-weighted": [1]},
    ),
    (
        "updates, one after the close",
        UPDATES,
        "2024-01-10",
        "2024-02-01",
        {"all": [1, 1, 1], "last": [0, 1, 0], "time-weighted": [3 / 9, 6 / 9, 0]},
    ),
    # the deadline closes the question before the outcome is known: time-weighted stops there,
    # last looks at resolved_on only
    (
        "deadline before resolution",
        [("a", "q", "2024-01-01", 0.2, 0.0), ("a", "q", "2024-01-11", 0.4, 0.0)],
        "2024-02-01",
        "2024-01-21",
        {"all": [1, 1], "last": [0, 1], "time-weighted": [0.5, 0.5]},
    ),
    (
        "all on the close day",
        [("a", "q", "2024-01-10", 0.2, 1.0), ("a", "q", "2024-01-10", 0.9, 1.0)],
        "2024-01-10",
        "2024-02-01",
        {"all": [1, 1], "last": [0, 1], "time-weighted": [0, 1]},
    ),
    (
        "same-day update",
        [("a", "q", "2024-01-01", 0.2, 1.0), ("a", "q", "2024-01-01", 0.9, 1.0)],
        "2024-01-11",
        "2024-02-01",
        {"all": [1, 1], "last": [0, 1], "time-weighted": [0, 1]},
    ),
    # no outcome yet: the deadline is the close (4 days, then to 2024-02-03)
    (
        "open question",
        [("a", "q", "2024-01-01", 0.2, np.nan), ("a", "q", "2024-01-05", 0.4, np.nan)],
        None,
        "2024-02-03",
        {"all": [1, 1], "last": [0, 1], "time-weighted": [4 / 33, 29 / 33]},
    ),
    (
        "two claimants",
        [
            ("a", "q", "2024-01-01", 0.2, 1.0),
            ("b", "q", "2024-01-02", 0.4, 1.0),
            ("a", "q", "2024-01-06", 0.5, 1.0),
        ],
        "2024-01-10",
        "2024-02-01",
        {"all": [1, 1, 1], "last": [0, 1, 1], "time-weighted": [5 / 9, 1, 4 / 9]},
    ),
]


@pytest.mark.parametrize(
    "name,rows,resolved_on,resolve_by,expected", CASES, ids=[c[0] for c in CASES]
)
def test_policy_weights_against_hand_tables(name, rows, resolved_on, resolve_by, expected):
    t = table(rows, resolved_on, resolve_by)
    for policy, weights in expected.items():
        assert policy_weights(t, policy) == pytest.approx(weights), policy


def test_time_weighted_scores_are_weighted_means_of_the_scores():
    t = table(UPDATES)
    rows = {p: score_table(t, "claimant", policy=p, ci=False).iloc[0] for p in POLICIES}
    # all: every forecast; last: 0.6; time-weighted: 1/3 of 0.2's loss, 2/3 of 0.6's
    assert rows["all"]["n_resolved"] == 3 and rows["last"]["n_resolved"] == 1
    assert rows["time-weighted"]["n_resolved"] == 1
    assert rows["all"]["brier"] == pytest.approx((0.64 + 0.16 + 0.0001) / 3)
    assert rows["last"]["brier"] == pytest.approx(0.16)
    assert rows["time-weighted"]["brier"] == pytest.approx(0.64 / 3 + 0.16 * 2 / 3)
    assert rows["time-weighted"]["log_score"] == pytest.approx(
        -math.log(0.2) / 3 - math.log(0.6) * 2 / 3
    )
    # changing one's mind costs: the time-weighted score is above that of the mean forecast
    assert rows["time-weighted"]["brier"] > (1 - (0.2 / 3 + 0.6 * 2 / 3)) ** 2


def test_time_weighted_interval_covers_the_score():
    rng = np.random.default_rng(1)
    rows = [
        ("a", f"q{i}", d, float(rng.uniform(0.05, 0.95)), float(i % 2))
        for i in range(30)
        for d in ("2024-01-01", "2024-01-04")
    ]
    t = table(rows)
    row = score_table(t, "claimant", policy="time-weighted").iloc[0]
    assert row["n_resolved"] == 30
    assert row["brier_low"] <= row["brier"] <= row["brier_high"]
    assert row["log_score_low"] <= row["log_score"] <= row["log_score_high"]


def test_an_ambiguous_question_is_counted_not_scored_once_per_claimant():
    t = table([("a", "q", "2024-01-01", 0.2, np.nan), ("a", "q", "2024-01-04", 0.6, np.nan)])
    t["status"] = "ambiguous"
    for policy, n in (("all", 2), ("last", 1), ("time-weighted", 1)):
        row = score_table(t, "claimant", policy=policy, ci=False).iloc[0]
        assert (row["n"], row["n_ambiguous"], row["n_resolved"]) == (n, n, 0), policy


def test_without_a_question_column_each_row_is_its_own_question():
    t = table(UPDATES).drop(columns="question_id")
    assert policy_weights(t, "all").tolist() == [1, 1, 1]
    for policy in ("last", "time-weighted"):  # the third was made after its outcome was known
        assert policy_weights(t, policy).tolist() == [1, 1, 0]


def test_bad_policy_and_missing_dates_are_one_line_errors():
    with pytest.raises(ScoringError, match="unknown policy 'latest'"):
        policy_weights(table(UPDATES), "latest")
    with pytest.raises(ScoringError, match="no column 'made_on'"):
        policy_weights(table(UPDATES).drop(columns="made_on"), "last")
    assert len(apply_policy(table(UPDATES).drop(columns="made_on"), "all")) == 3
    with pytest.raises(ScoringError, match="unknown policy 'latest'"):
        policy_statement("latest")


def test_every_policy_has_its_sentence():
    """The sentence the reports and ``forecastkit score`` print names the policy and says how a
    question counts under it."""
    for policy in POLICIES:
        statement = policy_statement(policy)
        assert statement.startswith(f"{policy}: ") and "a question counts once per" in statement
    assert "once per forecast" in policy_statement("all")


@st.composite
def forecast_tables(draw):
    n = draw(st.integers(1, 40))
    claimants = draw(st.lists(st.sampled_from("abcd"), min_size=n, max_size=n))
    questions = draw(
        st.lists(st.sampled_from(["q1", "q2", "q3", "q4", "q5"]), min_size=n, max_size=n)
    )
    p = draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
    outcome = {q: draw(st.sampled_from([0.0, 1.0, np.nan])) for q in ["q1", "q2", "q3", "q4", "q5"]}
    t = pd.DataFrame(
        {
            "claimant": claimants,
            "question_id": questions,
            "probability": p,
            "made_on": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
        }
    )
    t["outcome"] = t["question_id"].map(outcome)
    t["resolved_on"] = pd.Series(pd.Timestamp("2024-03-01"), index=t.index).where(
        t["outcome"].notna()
    )
    t["resolve_by"] = pd.Timestamp("2024-03-01")
    return t


@settings(max_examples=40, deadline=None)
@given(forecast_tables())
def test_all_is_todays_scoring(t):
    """``all`` scores every forecast on its own: the table scored as if questions did not exist,
    and Brier and log score are the plain means over the forecasts."""
    ours = score_table(t, "claimant", policy="all", ci=False)
    today = score_table(t.drop(columns="question_id"), "claimant", policy="time-weighted", ci=False)
    cols = [c for c in today.columns if c not in ("relative_brier", "peer_score", "n_shared")]
    pd.testing.assert_frame_equal(ours[cols], today[cols])
    resolved = t[t["outcome"].notna()]
    for claimant, group in resolved.groupby("claimant"):
        row = ours.set_index("group").loc[claimant]
        brier = ((group["probability"] - group["outcome"]) ** 2).mean()
        assert row["brier"] == pytest.approx(brier)


@settings(max_examples=40, deadline=None)
@given(forecast_tables())
def test_policies_agree_when_nobody_updates(t):
    """One forecast per claimant and question (every claim so far): the policy changes nothing."""
    t = t.drop_duplicates(["claimant", "question_id"])
    tables = [score_table(t, "claimant", policy=p, ci=False) for p in POLICIES]
    for other in tables[1:]:
        pd.testing.assert_frame_equal(tables[0], other)
