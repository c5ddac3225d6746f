"""Question types beyond binary (docs/question-types.md): the loaded tables of the example corpus
of every type, and every mistake in its files reported with file, line and field."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecastkit import load
from forecastkit.errors import ValidationFailed
from forecastkit.records.corpus import check
from forecastkit.records.forms import POINT_COLUMNS
from forecastkit.records.question_types import day_number

from conftest import FIXTURE_CORPUS, ROOT, TODAY

TYPES = ROOT / "tests" / "fixtures" / "types"
SUCCESSION = "2007-09-14-eastern-desk-succession.yaml"
GROWTH = "2010-01-20-growth-outlook.yaml"
KIM = "2024-06-20-kim-visit.yaml"
QUESTIONS = "questions.yaml"
SUCCESSION_LOG = "outcomes/2007-09-14-eastern-desk-succession.yaml"
GROWTH_LOG = "outcomes/2010-01-20-growth-outlook.yaml"


@pytest.fixture(scope="module")
def corpus():
    return load(TYPES, today=TODAY)


@pytest.fixture
def types_dir(tmp_path: Path) -> Path:
    target = tmp_path / "claims"
    shutil.copytree(TYPES, target)
    return target


def test_claims_gain_type_form_and_outcome(corpus):
    c = corpus.claims.set_index("claim_id")
    assert c["question_type"].dtype == "category" and c["form"].dtype == "category"
    assert c["outcome_value"].dtype == "float64"
    assert pd.api.types.is_string_dtype(c["outcome_option"])
    row = c.loc["kei-2008-successor"]
    assert (row["question_type"], row["form"], row["status"]) == (
        "multiple_choice",
        "probabilities",
        "resolved",
    )
    assert row["outcome_option"] == "medvedev" and math.isnan(row["outcome_value"])
    assert math.isnan(row["probability"]) and math.isnan(row["outcome"])
    growth = c.loc["minister-2010-ru-growth"]
    assert (growth["form"], growth["outcome_value"]) == ("point", 4.0)
    assert pd.isna(growth["outcome_option"])
    assert c.loc["ana-2011-oil-price", "status"] == "annulled"
    assert c.loc["kei-2024-kim-visit", "status"] == "open"
    # binary claims are what they were
    assert c.loc["kei-2010-wto", "form"] == "probability"
    assert c.loc["kei-2010-wto", "question_type"] == "binary"
    assert c.loc["ana-2010-recession", "probability"] == 0.2
    assert c.loc["ana-2010-recession", "outcome"] == 0.0


def test_forecast_points_one_row_per_number(corpus):
    fp = corpus.forecast_points
    assert list(fp.columns) == POINT_COLUMNS
    assert fp["claim_id"].dtype == "category" and fp["form"].dtype == "category"
    assert fp["x"].dtype == "float64" and fp["p"].dtype == "float64"
    by = {cid: g for cid, g in fp.groupby("claim_id", observed=True)}
    mc = by["kei-2008-successor"]
    assert mc["option"].tolist() == ["medvedev", "putin", "neither"]  # the question's order
    assert mc["p"].tolist() == [0.7, 0.2, 0.1] and mc["x"].isna().all()
    q = by["ana-2010-ru-growth"]
    assert q["p"].tolist() == [0.05, 0.5, 0.95] and q["x"].tolist() == [1.5, 2.5, 3.5]
    interval = by["bank-2010-ru-growth"]
    assert interval["form"].unique().tolist() == ["interval"]
    assert np.allclose(interval["p"], [0.05, 0.95]) and interval["x"].tolist() == [2.0, 3.0]
    assert len(by["community-2010-ru-growth"]) == 6
    point = by["minister-2010-ru-growth"]
    assert point["x"].tolist() == [2.5] and point["p"].isna().all()
    dates = by["kei-2024-kim-visit"]
    assert dates["x"].tolist() == [
        day_number(d) for d in ("2024-11-01", "2025-04-15", "2025-12-31")
    ]
    # rows follow the claims table, and binary claims have none
    order = corpus.claims["claim_id"].tolist()
    positions = [order.index(c) for c in fp["claim_id"]]
    assert positions == sorted(positions)
    assert not fp["claim_id"].isin(["kei-2010-wto", "ana-2010-recession"]).any()


def test_questions_gain_type_columns(corpus):
    q = corpus.questions.set_index("question_id")
    assert q.loc["q-2008-ru-president", "options"] == ("medvedev", "putin", "neither")
    assert not q.loc["q-2008-ru-president", "ordered"]
    assert q.loc["q-2008-ru-successor-named", "ordered"]
    growth = q.loc["q-2010-ru-gdp-growth"]
    assert (growth["type"], growth["unit"], growth["lower"], growth["upper"]) == (
        "numeric",
        "%",
        -20.0,
        20.0,
    )
    assert growth["open_lower"] and growth["open_upper"] and growth["outcome_value"] == 4.0
    oil = q.loc["q-2011-oil-price"]
    assert not oil["open_lower"] and oil["open_upper"]  # a bound is closed unless said
    kim = q.loc["q-2024-kim-moscow-visit"]
    assert kim["lower"] == day_number("2024-06-17") and not kim["open_upper"]
    assert q.loc["q-2010-ru-wto", "type"] == "binary"
    assert q.loc["ana-2010-recession", "type"] == "binary"  # a claim that is its own question


def test_outcomes_carry_option_and_value(corpus):
    o = corpus.outcomes.set_index("question_id")
    assert o.loc["q-2008-ru-president", "option"] == "medvedev"
    assert o.loc["q-2008-ru-president", "verdict"] == "resolved"
    assert o.loc["q-2010-ru-gdp-growth", "value"] == 4.0


def test_crowd_is_an_author_kind(corpus):
    assert corpus.authors.set_index("claimant").loc["community", "kind"] == "crowd"


def test_a_binary_corpus_has_no_points_and_only_binary_types():
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    assert corpus.forecast_points.empty
    assert list(corpus.forecast_points.columns) == POINT_COLUMNS
    assert (corpus.claims["question_type"] == "binary").all()
    assert (corpus.claims["form"] == "probability").all()
    assert corpus.claims["outcome_option"].isna().all()
    assert corpus.claims["outcome_value"].isna().all()


def _edit(root: Path, name: str, old: str, new: str) -> int:
    path = root / name
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {name}"
    start = text.index(old)
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[:start].count("\n") + 1


# (name, file, old, new, line offset from the edit, field, message)
BAD = [
    ("probabilities do not sum to 1", SUCCESSION, "neither: 0.1}", "neither: 0.2}", 0,
     "claims[0].probabilities", "the probabilities sum to 1.1, not 1"),
    ("unknown option", SUCCESSION, "neither: 0.1}", "nobody: 0.1}", 0,
     "claims[0].probabilities.nobody", "'nobody' is not an option of question"),
    ("missing option", SUCCESSION, "{medvedev: 0.7, putin: 0.2, neither: 0.1}",
     "{medvedev: 0.8, putin: 0.2}", 0, "claims[0].probabilities",
     "no probability for option 'neither'"),
    ("probability above 1", SUCCESSION, "putin: 0.2,", "putin: 1.2,", 0,
     "claims[0].probabilities.putin", "outside the allowed range [0, 1]"),
    ("unordered quantiles", GROWTH, "0.5: 2.5, 0.95", "0.5: 0.5, 0.95", 0,
     "claims[0].quantiles.0.5", "quantile values must not decrease with the level"),
    ("quantile level outside (0, 1)", GROWTH, "0.95: 3.5}", "1.5: 3.5}", 0,
     "claims[0].quantiles.1.5", "quantile level 1.5 is outside (0, 1)"),
    ("quantile level not a number", GROWTH, "0.95: 3.5}", "0.9.5: 3.5}", 0,
     "claims[0].quantiles.0.9.5", "quantile level '0.9.5' is not a number"),
    ("interval lower above upper", GROWTH, "lower: 2, upper: 3", "lower: 3, upper: 2", 0,
     "claims[1].interval.lower", "interval lower 3 is above upper 2"),
    ("interval level outside (0, 1)", GROWTH, "level: 0.9,", "level: 90,", 0,
     "claims[1].interval.level", "interval level 90 is outside (0, 1)"),
    ("cdf x not increasing", GROWTH, "x: [0, 1, 2, 3, 4, 5]", "x: [0, 1, 3, 2, 4, 5]", 0,
     "claims[2].cdf.x[3]", "cdf x must increase: 2 follows 3"),
    ("cdf p decreasing", GROWTH, "p: [0.02, 0.1, 0.4, 0.75", "p: [0.02, 0.1, 0.4, 0.35", 0,
     "claims[2].cdf.p[3]", "cdf p must not decrease"),
    ("cdf p outside [0, 1]", GROWTH, "0.92, 0.98]", "0.92, 1.5]", 0, "claims[2].cdf.p[5]",
     "outside the allowed range [0, 1]"),
    ("cdf lists of two lengths", GROWTH, "0.92, 0.98]", "0.92]", 0, "claims[2].cdf.p",
     "cdf has 6 x values but 5 p values"),
    ("value below a closed bound", GROWTH, "lower: 80, upper: 90", "lower: -5, upper: 90", 0,
     "claims[4].interval.lower", "-5 is below the closed lower bound 0 of question"),
    ("date above a closed bound", KIM, "0.9: 2025-12-31", "0.9: 2027-06-30", 0,
     "claims[0].quantiles.0.9", "2027-06-30 is above the closed upper bound 2026-12-31"),
    ("a number on a date question", KIM, "point: 2025-05-09", "point: 5", 0,
     "claims[1].point", "a date question's values are dates"),
    ("a date on a numeric question", GROWTH, "point: 2.5", "point: 2010-05-01", 0,
     "claims[3].point", "a numeric question's values are numbers"),
    ("not a real date", KIM, "point: 2025-05-09", "point: 2025-02-30", 0, "claims[1].point",
     "neither a number nor a date"),
    ("a non-binary form on a binary question", SUCCESSION, "hedge: unlikely", "point: 3", 0,
     "claims[3].point", "a point forecast on the binary question 'q-2010-ru-wto'"),
    ("a binary form on a multiple-choice question", SUCCESSION,
     "probabilities: {medvedev: 0.7, putin: 0.2, neither: 0.1}", "probability: 0.7", 0,
     "claims[0].probability", "a probability forecast on the multiple_choice question"),
    ("a form the type does not take", GROWTH, "point: 2.5", "probabilities: {a: 0.5, b: 0.5}",
     0, "claims[3].probabilities", "a probabilities forecast on the numeric question"),
    ("a non-binary form with no question", GROWTH, "probability: 0.2", "point: 0.2", 0,
     "claims[5].point", "a point forecast names its question"),
    ("more than one form", GROWTH, "    quantiles: {0.05: 1.5, 0.5: 2.5, 0.95: 3.5}\n",
     "    quantiles: {0.05: 1.5, 0.5: 2.5, 0.95: 3.5}\n    point: 2.5\n", 1,
     "claims[0].point", "more than one forecast form: quantiles and point"),
    ("a hedge and a form", GROWTH, "    point: 2.5\n", "    point: 2.5\n    hedge: likely\n", 0,
     "claims[3].point", "more than one forecast form: hedge and point"),
    ("an option outcome on a numeric question", GROWTH_LOG, "    value: 4.0", "    option: four",
     0, "outcomes[0].option", "a numeric question resolves with value"),
    ("a value outcome on a multiple-choice question", SUCCESSION_LOG, "    option: medvedev",
     "    value: 3", 0, "outcomes[0].value", "a multiple_choice question resolves with option"),
    ("an outcome option not of the question", SUCCESSION_LOG, "    option: medvedev",
     "    option: yeltsin", 0, "outcomes[0].option", "'yeltsin' is not an option"),
    ("a true verdict on a multiple-choice question", SUCCESSION_LOG, "    option: nov-dec",
     "    verdict: true", 0, "outcomes[1].verdict",
     "a multiple_choice question resolves with option"),
    ("an option on a binary question", SUCCESSION_LOG, "    verdict: false", "    option: no-wto",
     0, "outcomes[2].option", "a binary question resolves with verdict"),
    ("a date outcome on a numeric question", GROWTH_LOG, "    value: 4.0", "    value: 2011-01-01",
     0, "outcomes[0].value", "a numeric question's values are numbers"),
    ("both verdict and option", SUCCESSION_LOG, "    option: medvedev\n",
     "    option: medvedev\n    verdict: true\n", 0, "outcomes[0].option",
     "give one of verdict, option or value"),
    ("no verdict, option or value", GROWTH_LOG, "    value: 4.0\n", "", -1, "outcomes[0]",
     "an outcome needs one of verdict, option, value"),
    ("options on a numeric question", QUESTIONS, "    unit: USD\n",
     "    unit: USD\n    options: [a, b]\n", 1, "questions.q-2011-oil-price.options",
     "options applies to a multiple_choice question"),
    ("a unit on a multiple-choice question", QUESTIONS, "    ordered: false\n",
     "    ordered: false\n    unit: votes\n", 1, "questions.q-2008-ru-president.unit",
     "unit applies to a numeric or date question"),
    ("a multiple-choice question without options", QUESTIONS,
     "    options: [by-october, nov-dec, not-this-year]\n", "", -1,
     "questions.q-2008-ru-successor-named", "missing required field 'options'"),
    ("one option", QUESTIONS, "[by-october, nov-dec, not-this-year]", "[by-october]", 0,
     "questions.q-2008-ru-successor-named.options", "needs at least one entry"),
    ("lower above upper", QUESTIONS, "    lower: -20", "    lower: 30", 1,
     "questions.q-2010-ru-gdp-growth.upper", "upper 20 is below lower 30"),
    ("a number bound on a date question", QUESTIONS, "    lower: 2024-06-17", "    lower: 5", 0,
     "questions.q-2024-kim-moscow-visit.lower", "a date question's values are dates"),
    ("a closed end with no bound", QUESTIONS, "    lower: 0\n", "    open_upper: false\n", 0,
     "questions.q-2011-oil-price.open_upper", "open_upper: false needs a upper bound"),
    ("an unknown type", QUESTIONS, "    type: date", "    type: dates", 0,
     "questions.q-2024-kim-moscow-visit.type", "'dates' is not one of"),
    ("an author kind", "authors.yaml", "    kind: crowd", "    kind: crowds", 0,
     "authors.community.kind", "'crowds' is not one of"),
]  # fmt: skip


@pytest.mark.parametrize(
    "name,file,old,new,offset,field,message", BAD, ids=[case[0] for case in BAD]
)
def test_every_mistake_is_reported_with_its_location(
    types_dir, name, file, old, new, offset, field, message
):
    line = _edit(types_dir, file, old, new) + offset
    _, errors = check(types_dir, today=TODAY)
    hits = [e for e in errors if message in e.message]
    assert hits, f"no error says {message!r}: {[str(e) for e in errors]}"
    err = hits[0]
    assert err.file.endswith(file), str(err)
    assert err.field == field, str(err)
    if name == "a multiple-choice question without options":  # on its question's line
        text = (types_dir / file).read_text("utf-8")
        line = text[: text.index("  q-2008-ru-successor-named:")].count("\n") + 2
    assert err.line == line, str(err)
    assert "\n" not in str(err)
    with pytest.raises(ValidationFailed):
        load(types_dir, today=TODAY)


def test_the_fixture_is_valid_in_both_layers(corpus):
    from forecastkit.records.rules import ALL_RULES, offences

    assert offences(corpus, TODAY, ALL_RULES) == []


def test_an_outcome_value_outside_a_closed_bound(types_dir):
    _edit(types_dir, QUESTIONS, "    open_upper: true\n", "    open_upper: false\n")
    line = _edit(types_dir, GROWTH_LOG, "    value: 4.0", "    value: 25")
    _, errors = check(types_dir, today=TODAY)
    assert len(errors) == 1, [str(e) for e in errors]
    err = errors[0]
    assert err.file.endswith(GROWTH_LOG) and err.line == line
    assert err.field == "outcomes[0].value"
    assert err.message == "25 is above the closed upper bound 20"


def test_a_closed_bound_refuses_forecast_values_too(types_dir):
    _edit(types_dir, QUESTIONS, "    open_upper: true\n", "    open_upper: false\n")
    line = _edit(types_dir, GROWTH, "0.95: 3.5}", "0.95: 35}")
    _, errors = check(types_dir, today=TODAY)
    assert len(errors) == 1, [str(e) for e in errors]
    err = errors[0]
    assert (err.line, err.field) == (line, "claims[0].quantiles.0.95")
    assert "35 is above the closed upper bound 20 of question 'q-2010-ru-gdp-growth'" in str(err)


def test_a_copied_claim_file_is_reported_as_duplicates_only(tmp_path):
    """A claim file copied beside its original (every id twice): the points of the two claims of
    one id were checked as one forecast, so validate also said of the untouched original that
    its probabilities 'sum to 2, not 1' and of the copy that each 'quantile level is given
    twice'. Only the duplicate ids are reported."""
    root = shutil.copytree(TYPES, tmp_path / "types")
    original = root / "2010-01-20-growth-outlook.yaml"
    shutil.copy(original, root / "copy.yaml")
    shutil.copy(root / "2007-09-14-eastern-desk-succession.yaml", root / "copy-2.yaml")
    with pytest.raises(ValidationFailed) as caught:
        load(root, today=TODAY)
    messages = [e.message for e in caught.value.errors]
    assert messages and all("duplicate" in m or "more than once" in m for m in messages), messages
