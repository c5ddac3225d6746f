"""Counts in messages: singular for one, plural otherwise (records.wording)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from forecastkit.editing.importing import ImportResult
from forecastkit.editing.tracker import TrackerImport
from forecastkit.records import wording
from forecastkit.records.wording import counted


@pytest.mark.parametrize(
    ("n", "noun", "plural", "said"),
    [
        (0, "forecast", None, "0 forecasts"),
        (1, "forecast", None, "1 forecast"),
        (2, "forecast", None, "2 forecasts"),
        (1_000_000, "forecast", None, "1,000,000 forecasts"),
        (1, "query", "queries", "1 query"),
        (3, "query", "queries", "3 queries"),
    ],
)
def test_counted(n, noun, plural, said):
    assert counted(n, noun, plural) == said


def test_doctests():
    assert doctest.testmod(wording).failed == 0


def test_one_of_each_is_said_in_the_singular():
    generic = ImportResult(
        Path("t.csv"), claims=1, sources=1, forecasters=1, authors_added=1, resolved=1
    )
    assert generic.message.startswith("imported 1 forecast on 1 question by 1 forecaster (")
    assert "added 1 author to authors.yaml" in generic.message
    tracker = TrackerImport(
        Path("t.csv"),
        "metaculus",
        claims=1,
        questions=1,
        forecasters=2,
        authors_added=1,
        resolved=0,
        crowds=1,
    )
    assert tracker.message.startswith(
        "imported 1 forecast on 1 question by 2 forecasters (of them 1 crowd) from "
    )
    assert "1 author added" in tracker.message
