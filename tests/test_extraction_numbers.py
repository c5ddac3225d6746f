"""forecastkit.extraction.numbers: the value, range or threshold, unit and direction a sentence
states. Invented sentences, written to cover each shape (not taken from bench/extract_eval)."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest
import yaml

from forecastkit.extraction import numbers
from forecastkit.extraction.numbers import read_numbers

from conftest import TODAY

DAY = dt.date(2024, 3, 4)


def first(sentence: str, published: dt.date | None = DAY) -> dict:
    found = read_numbers(sentence, published=published)
    assert found, sentence
    out = found[0].to_dict()
    assert sentence[out["start"] : out["end"]] == out["text"]
    return out


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("GDP will grow 2.5% in 2025.", {"value": 2.5, "unit": "%", "relation": "="}),
        ("The IMF sees growth of 2.5% in 2025.", {"value": 2.5, "period": "in 2025"}),
        ("Inflation should settle near 3 per cent.", {"value": 3, "unit": "%"}),
        ("The deficit will reach 4.1 percent of output.", {"value": 4.1, "unit": "%"}),
        ("Copper is seen at $9,500 a tonne.", {"value": 9500, "unit": "USD/tonne"}),
        ("Wheat will cost €210 per ton by June.", {"value": 210, "unit": "EUR/ton"}),
        ("Crude will average $71/b next year.", {"value": 71, "unit": "USD/barrel"}),
        ("Sales will top 2.3 million units.", {"value": 2.3, "unit": "million units"}),
        ("Revenue will be $4.2bn.", {"value": 4.2, "unit": "billion USD"}),
        ("Output will rise to 1.8 mln barrels per day.", {"unit": "million barrels/day"}),
        ("The party will win 41 seats.", {"value": 41, "unit": "seats"}),
        ("The bank will make three rate cuts.", {"value": 3, "unit": "rate cuts"}),
        ("Rates will rise 25 basis points.", {"unit": "basis points", "direction": "up"}),
        ("The gap will narrow to 1.5 percentage points.", {"unit": "percentage points"}),
        ("The index could drop to -0.4% in May.", {"value": -0.4}),
    ],
)
def test_value_and_unit(sentence, expected):
    out = first(sentence)
    for key, value in expected.items():
        assert out[key] == value, (key, out)


@pytest.mark.parametrize(
    ("sentence", "lower", "upper", "unit"),
    [
        ("Oil will trade at $80–90 a barrel.", 80, 90, "USD/barrel"),
        ("Oil will trade at $80-$90.", 80, 90, "USD"),
        ("The economy will shrink by 2-3% this year.", 2, 3, "%"),
        ("Growth will be 2 to 3 percent.", 2, 3, "%"),
        ("Profit will be between $1.1 billion and $1.3 billion.", 1.1, 1.3, "billion USD"),
        ("It sees earnings in a range of $3.10 to $3.25 per share.", 3.1, 3.25, "USD/share"),
        ("The council will add 10-12 buses.", 10, 12, "buses"),
    ],
)
def test_ranges(sentence, lower, upper, unit):
    out = first(sentence)
    assert (out["relation"], out["lower"], out["upper"], out["unit"]) == (
        "between",
        lower,
        upper,
        unit,
    )
    assert out["value"] is None and out["form"] == "interval"


@pytest.mark.parametrize(
    ("sentence", "relation", "value"),
    [
        ("Moscow will send at least 100,000 troops.", ">=", 100000),
        ("Attendance will be more than 40,000 people.", ">=", 40000),
        ("Earnings will be higher than $2.10 a share.", ">=", 2.1),
        ("Turnout will reach 60% or more.", ">=", 60),
        ("Unemployment will stay below 4%.", "<=", 4),
        ("The fund will raise up to $500 million.", "<=", 500),
        ("The rate will be 1.5 percent or below.", "<=", 1.5),
        ("The tally is expected to reach nearly 30 million users.", "<=", 30),
    ],
)
def test_thresholds(sentence, relation, value):
    out = first(sentence)
    assert (out["relation"], out["value"], out["form"]) == (relation, value, "threshold")


@pytest.mark.parametrize(
    ("sentence", "direction", "change"),
    [
        ("The economy will shrink by 2-3%.", "down", True),
        ("Exports will decline 4% next year.", "down", True),
        ("The IMF sees a 1.2 per cent contraction.", "down", True),
        ("Prices will rise to $3 a gallon.", "up", False),
        ("Demand is seen growing 6% a year.", "up", True),
        ("The rate will be 5.25% at the end of 2024.", None, False),
        ("Shares could fall to $40.", "down", False),
    ],
)
def test_direction_and_change(sentence, direction, change):
    out = first(sentence)
    assert (out["direction"], out["change"]) == (direction, change)


@pytest.mark.parametrize(
    ("sentence", "target", "baseline"),
    [
        ("Growth will slow to 2.1% from 2.6% last year.", 2.1, 2.6),
        ("Inflation will ease from 5% in 2023 to 3% in 2024.", 3, 5),
        ("Sales will hit $9 billion, up from $7.5 billion.", 9, 7.5),
        ("It now sees 3.4%, versus 2.8% in March.", 3.4, 2.8),
        ("The bank expects 1.9%, above its previous forecast of 1.5%.", 1.9, 1.5),
        ("Unemployment will fall to 4.2%, from its current rate of 4.9%.", 4.2, 4.9),
        ("Growth will slow from near 8 percent to 5 percent.", 5, 8),
    ],
)
def test_baselines_come_after_the_forecast(sentence, target, baseline):
    found = [r.to_dict() for r in read_numbers(sentence, published=DAY)]
    assert [(r["value"], r["baseline"]) for r in found] == [(target, False), (baseline, True)]


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Growth will be 2.5% in 2025.", "in 2025"),
        ("Growth will be 2.5% next year.", "next year"),
        ("The rate will be 4% at the end of 2026.", "at the end of 2026"),
        ("Output will be 3 mln tonnes in the second quarter.", "in the second quarter"),
        ("Sales will be 9 percent in the second half of 2025.", "in the second half of 2025"),
    ],
)
def test_period(sentence, period):
    assert first(sentence)["period"] == period


def test_a_current_forecast_is_not_a_baseline():
    found = read_numbers("It raised its forecast from 2% to a current projection of 2.4%.")
    assert [(r.value, r.baseline) for r in found] == [(2.4, False), (2, True)]


def test_a_stated_chance_is_a_probability():
    out = first("The model gives the incumbent a 98.2 percent chance of winning.")
    assert (out["value"], out["unit"], out["form"]) == (98.2, "%", "probability")


@pytest.mark.parametrize(
    "sentence",
    [
        "The summit will take place in 2025.",
        "Talks resume on January 12 and end in Q3.",
        "The COVID-19 rules and 5G rollout will end.",
        "It is the first 40-year high since the war.",
        "The treaty will be renewed within five years.",
        "One of the parties will leave.",
        "Four officials will leave the board.",
    ],
)
def test_not_quantities(sentence):
    assert read_numbers(sentence, published=DAY) == ()


def test_offsets_shift_into_the_article():
    article = "Intro. Prices will rise 3% next year."
    start = article.index("Prices")
    (r,) = read_numbers(article[start:], offset=start, published=DAY)
    assert article[r.start : r.end] == "3%"


def test_a_past_year_is_a_baseline_only_when_the_date_is_known():
    sentence = "Revenue reached $5 billion in 2019."
    assert read_numbers(sentence, published=DAY)[0].baseline
    assert not read_numbers(sentence, published=None)[0].baseline


def test_doctests():
    assert doctest.testmod(numbers).failed == 0


def test_write_carries_numbers_and_attribution(corpus_dir, tmp_path):
    from forecastkit.extraction import extract_file, write_candidates
    from forecastkit.records.corpus import load

    article = tmp_path / "outlook.txt"
    article.write_text(
        "Output is expected to shrink by 2-3% next year, said Anna Lee, an economist.\n", "utf-8"
    )
    ex = extract_file(article, publisher="Harbour Desk", published=DAY)
    (cand,) = ex.candidates
    assert cand.numbers[0].relation == "between" and cand.numbers[0].direction == "down"
    assert cand.attribution_evidence and cand.claimant_as_written
    written = write_candidates(ex, corpus_dir, source_id="2024-03-04-harbour-outlook")

    entry = yaml.safe_load(written.read_text("utf-8"))["claims"][0]
    assert entry["numbers"] == [
        {
            "text": "2-3%",
            "relation": "between",
            "lower": 2,
            "upper": 3,
            "unit": "%",
            "direction": "down",
            "change": True,
            "period": "next year",
            "form": "interval",
        }
    ]
    assert entry["attribution"]["evidence"] == list(cand.attribution_evidence)
    load(corpus_dir, today=TODAY)  # the schema takes the new fields


# --- shapes the held-out reader found misread (issue 23): invented sentences ------------------
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # spelled-out numbers opening a range
        (
            "Traders expect six to 10 rate cuts by 2026.",
            {"relation": "between", "lower": 6, "upper": 10, "unit": "rate cuts"},
        ),
        (
            "The board sees three to five hikes next year.",
            {"relation": "between", "lower": 3, "upper": 5, "unit": "hikes"},
        ),
        # a target or a chance named by its figure after the relation word
        ("Prices will stay below the 2% target.", {"relation": "<=", "value": 2, "unit": "%"}),
        ("Pay will run above the 3% goal.", {"relation": ">=", "value": 3, "unit": "%"}),
        # negated comparatives
        (
            "The model gives no more than a 3% chance of a default.",
            {"relation": "<=", "value": 3, "form": "probability"},
        ),
        ("Turnout will be no less than 40%.", {"relation": ">=", "value": 40}),
        ("Turnout will be not more than 40%.", {"relation": "<=", "value": 40}),
        # fractions of a unit
        (
            "Growth will slow by one-tenth of a percentage point.",
            {"value": 0.1, "unit": "percentage points", "relation": "="},
        ),
        ("Rates will rise by a quarter of a point.", {"value": 0.25, "unit": "percentage points"}),
        ("Prices will rise two-thirds of a percent.", {"value": 0.666667, "unit": "%"}),
    ],
)
def test_word_ranges_targets_negations_and_fractions(sentence, expected):
    got = first(sentence)
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "It will take three to five years.",  # a duration, not a quantity
        "He has one to go before the end.",  # a number word with no counted noun
        "A tenth of the villages will flood.",  # a fraction of no unit
    ],
)
def test_look_alikes_of_word_ranges_and_fractions_are_not_quantities(sentence):
    assert read_numbers(sentence, published=DAY) == ()


def test_more_than_is_still_at_least():
    assert first("Turnout will be more than 40%.")["relation"] == ">="
    assert first("The bank expects growth above 2% next year.")["relation"] == ">="
