"""extraction.deadlines: month names in every written form, and extraction that never crashes.

"Sept. 7" once raised ``KeyError: 'sept'`` whenever a publication date was given (the month
table came from ``calendar.month_abbr``, which has "Sep" but not "Sept", and follows the locale).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecastkit.cli import main
from forecastkit.errors import ForecastkitError
from forecastkit.extraction import extract_text
from forecastkit.extraction.deadlines import infer_deadline, month_number

DAY = dt.date(2024, 3, 4)

#: Every written form of each month the date pattern accepts, with its number.
FORMS = [
    (form, i)
    for i, forms in enumerate(
        [
            ("January", "Jan", "Jan."),
            ("February", "Feb", "Feb."),
            ("March", "Mar", "Mar."),
            ("April", "Apr", "Apr."),
            ("May",),
            ("June", "Jun", "Jun."),
            ("July", "Jul", "Jul."),
            ("August", "Aug", "Aug."),
            ("September", "Sep", "Sep.", "Sept", "Sept."),
            ("October", "Oct", "Oct."),
            ("November", "Nov", "Nov."),
            ("December", "Dec", "Dec."),
        ],
        start=1,
    )
    for form in forms
]


@pytest.mark.parametrize(("form", "number"), FORMS)
def test_every_month_form_has_its_number(form, number):
    assert month_number(form) == number
    assert month_number(form.lower()) == number


@pytest.mark.parametrize("word", ["Se", "Septembre", "Mon", "", "."])
def test_a_word_that_is_no_month_is_refused(word):
    with pytest.raises(ValueError, match="not a month"):
        month_number(word)


@pytest.mark.parametrize(("form", "number"), FORMS)
def test_a_date_in_every_month_form_sets_the_deadline(form, number):
    d = infer_deadline(f"Prices will rise by {form} 7.", dt.date(2024, 1, 1))
    assert d.resolve_by == dt.date(2024, number, 7), d
    assert d.rule.startswith("D0")


@pytest.mark.parametrize(("form", "number"), FORMS)
def test_a_month_in_every_form_sets_the_deadline(form, number):
    d = infer_deadline(f"Prices will rise by {form} 2026.", DAY)
    assert d.resolve_by is not None and d.resolve_by.month == number
    assert d.resolve_by.year == 2026


def test_sept_with_a_publication_date_gives_a_candidate():
    found = extract_text(
        "As of Sept. 7, the model expects the storm to make landfall by Sept. 12.",
        byline="Jane Byline",
        published=dt.date(2024, 9, 1),
        min_confidence=0.0,
    )
    assert found and found[0].resolve_by == dt.date(2024, 9, 12)


def test_cli_extract_with_published_on_sept_text(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Officials said rates will probably fall before Sept. 18.\n", "utf-8")
    result = CliRunner().invoke(main, ["extract", str(article), "--published", "2024-09-01"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "2024-09-18" in result.output


#: Words that steer the extractor's rules (hedges, months, numbers, quotes, speakers), so the
#: generated texts reach the rules instead of being plain noise.
WORDS = [
    "will",
    "is expected to",
    "forecasts",
    "said",
    "according to",
    "Sept.",
    "Sep.",
    "Jan.",
    "May",
    "7",
    "31",
    "2025",
    "by",
    "before",
    "within",
    "on Tuesday",
    "next year",
    "3.5%",
    "$80-90",
    "six to 10",
    "a 30% chance",
    "“",
    "”",
    '"',
    ".",
    ",",
    "?",
    "\n\n",
    "the IMF",
    "he",
    "its",
    "The Bank of England's",
    "growth",
    "prices",
    "at least",
    "below the 2% target",
    "one-tenth",
]

TEXTS = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=30).map(" ".join),
)


@settings(
    max_examples=int(os.environ.get("FORECASTKIT_FUZZ_EXAMPLES", "0")) or 150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    text=TEXTS,
    published=st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(9999, 12, 31))),
)
def test_extract_on_any_text_raises_nothing_but_a_forecastkit_error(text, published):
    try:
        found = extract_text(text, byline="Jane Byline", published=published, min_confidence=0.0)
    except ForecastkitError:
        return
    for c in found:
        assert text[c.start : c.end] == c.quote
