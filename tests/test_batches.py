"""The frames GX is handed (validation/batches.py): only the columns the rules read, dates in
nanoseconds where they fit; GX finds exactly what it finds over the whole tables, row for row,
for every rule, binary and typed, on corpora with every rule broken somewhere."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from forecastkit import load
from forecastkit.records.rules import RULES, TYPE_RULES
from forecastkit.validation.batches import columns_read, gx_frame
from forecastkit.validation.expectations import ExpectationRunner, prepare
from test_expectations import _corrupt

from conftest import FIXTURE_CORPUS, ROOT, TODAY

TYPES = ROOT / "tests" / "fixtures" / "types"


@pytest.fixture(scope="module")
def runner() -> ExpectationRunner:
    return ExpectationRunner()


def _whole_tables(inputs):
    """``inputs`` with each suite's frame the whole table, as GX was handed it before."""
    frames = {
        suite: getattr(inputs.corpus, suite[0]).reset_index(drop=True) for suite in inputs.frames
    }
    return dataclasses.replace(inputs, frames=frames)


def _corrupt_types(corpus):
    claims = corpus.claims.copy()
    typed = claims.index[claims["question_type"] != "binary"]
    claims.loc[typed[0], "status"] = "pending"
    resolved_mc = claims.index[
        (claims["status"] == "resolved") & (claims["question_type"] == "multiple_choice")
    ]
    claims.loc[resolved_mc[0], "outcome_option"] = pd.NA
    points = corpus.forecast_points.copy()
    points.loc[0, "p"] = 1.5
    probabilities = points.index[points["form"] == "probabilities"]
    points.loc[probabilities[1], "option"] = pd.NA
    questions = corpus.questions.copy()
    bounded = questions.index[questions["upper"].notna() & questions["lower"].notna()]
    questions.loc[bounded[0], "upper"] = questions.loc[bounded[0], "lower"] - 1
    claims.loc[claims.index[0], "made_on"] = pd.Timestamp("2300-01-01")  # beyond datetime64[ns]
    return dataclasses.replace(corpus, claims=claims, forecast_points=points, questions=questions)


@pytest.mark.parametrize("which", ["binary", "typed"])
def test_gx_finds_the_same_over_the_frames_as_over_whole_tables(runner, which):
    if which == "binary":
        corpus = _corrupt(load(FIXTURE_CORPUS, today=TODAY))
        failing = set(range(len(RULES)))  # test_expectations plants every rule
    else:
        corpus = _corrupt_types(load(TYPES, today=TODAY))
        failing = None
    inputs = prepare(corpus, TODAY)
    frames = runner.run_prepared(inputs)
    whole = runner.run_prepared(_whole_tables(inputs))
    assert frames.results == whole.results  # success, counts and every located line
    assert all(r.error is None for r in frames.results)
    failed = {r.rule for r in frames.failed}
    if failing is not None:
        assert failed == failing
    else:  # the planted typed rules, and the date beyond 2262
        assert {i for i in failed if i >= len(RULES)} == {
            len(RULES) + i
            for i, rule in enumerate(TYPE_RULES)
            if (rule.table, rule.columns)
            in {
                ("claims", ("status",)),
                ("claims", ("outcome_option",)),
                ("forecast_points", ("p",)),
                ("forecast_points", ("option",)),
                ("questions", ("upper", "lower")),
            }
        }
        made_on = [r for r in frames.failed if r.columns == ("made_on",)]
        assert any("2300-01-01" in o.message for r in made_on for o in r.offences)


def test_a_frame_holds_the_columns_read_and_dates_in_nanoseconds():
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    claims = corpus.claims.copy()
    rules = [r for r in RULES if r.table == "claims"]
    frame = gx_frame(claims, rules)
    assert set(frame.columns) == set(columns_read(rules)) & set(claims.columns)
    assert "quote" not in frame.columns and "file" not in frame.columns
    assert {"question_type", "scale"} <= set(frame.columns)  # named by a row_condition only
    assert frame["made_on"].dtype == "datetime64[ns]"
    assert (frame["made_on"] == claims["made_on"]).all()
    assert list(frame.index) == list(range(len(claims)))
    claims.loc[claims.index[0], "made_on"] = pd.Timestamp("2300-01-01")
    kept = gx_frame(claims, rules)
    assert kept["made_on"].dtype == claims["made_on"].dtype  # does not fit: left as it is
    assert kept.loc[0, "made_on"] == pd.Timestamp("2300-01-01")
    assert claims["made_on"].dtype != "datetime64[ns]"  # the corpus's table is untouched


def test_a_column_the_table_lacks_stays_missing_for_gx_to_report(runner):
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    corpus = dataclasses.replace(corpus, claims=corpus.claims.drop(columns=["claimant_role"]))
    report = runner.run(corpus, today=TODAY)
    (broken,) = report.failed
    assert broken.columns == ("claimant_role",) and broken.error
