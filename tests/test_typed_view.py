"""Report sections for other question types and the crowd: shown only where they apply."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from forecastkit.editing.synthetic import synthetic_typed_frames
from forecastkit.reports import fragments as fx
from forecastkit.reports import typed_view as tv

alt = pytest.importorskip("altair")


@pytest.fixture(scope="module")
def record() -> tv.TypedRecord:
    frames = synthetic_typed_frames(4000, n_claimants=8, n_questions=300, seed=11)
    claims = frames["claims"]
    # claimant-0000 forecasts yes/no questions only
    claims = claims[(claims["claimant"] != "claimant-0000") | (claims["question_type"] == "binary")]
    corpus = SimpleNamespace(
        authors=frames["authors"], forecast_points=frames["forecast_points"],
        questions=frames["questions"],
    )  # fmt: skip
    return tv.typed_record(claims, corpus, "time-weighted", 0)


def _html(parts: list) -> str:
    return "".join(p.html for p in parts if isinstance(p, fx.Fragment))


def test_a_claimant_with_only_yes_no_forecasts_gets_no_typed_section(record):
    assert tv.author_sections(record, "claimant-0000") == []


def test_a_claimant_with_other_types_gets_tables_and_charts(record):
    parts = tv.author_sections(record, "claimant-0001")
    html = _html(parts)
    assert "Multiple choice, numeric and date forecasts" in html
    assert "multiple choice: multiclass Brier score" in html and "numeric: CRPS" in html
    charts = [p for p in parts if not isinstance(p, fx.Fragment)]
    titles = [c.to_dict()["title"] for c in charts]
    assert any("each option" in t for t in titles)
    assert any("PIT" in t for t in titles) and any("coverage" in t for t in titles)


def test_crowd_sentence_and_table(record):
    parts = tv.crowd_sections(record, "claimant-0001")
    html = _html(parts)
    assert "Against the crowd" in html and "shared questions" in html
    summary = record.comparison[record.comparison["claimant"] == "claimant-0001"]
    beat, shared = int(summary["beat"].sum()), int(summary["n_shared"].sum())
    assert f"on {beat} of {shared} shared questions" in html
    assert tv.crowd_sections(record, "crowd-00") == []  # a crowd is not compared with itself


def test_overview_leagues_rank_within_each_league_with_crowds_apart(record):
    parts = tv.overview_leagues(record, min_n=3)
    html = _html(parts)
    for league in ("multiclass_brier", "rps", "crps"):
        assert f"fk-league-multiple_choice-{league}" in html or league == "crps"
    assert "fk-league-numeric-crps" in html and "fk-league-date-crps" in html
    assert html.count("crowd (benchmark)") == 4  # one crowd row per league
    table = record.table
    mc = table[(table["score_name"] == "multiclass_brier") & (table["group"] != "crowd-00")]
    mc = mc[mc["n_resolved"] >= 3].sort_values("score")
    start = html.index("fk-league-multiple_choice-multiclass_brier")
    league_html = html[start : html.index("</table>", start)]
    first, last = mc["group"].iloc[0], mc["group"].iloc[-1]
    assert league_html.index(f"{first}.html") < league_html.index(f"{last}.html")
    assert '<td data-col="rank" class="fk-num">1</td>' in league_html
    assert tv.overview_crowd(record) and "beat share" in _html(tv.overview_crowd(record))


def test_nothing_without_forecast_points():
    claims = pd.DataFrame({"claimant": ["a"], "question_type": ["binary"], "kind": ["forecast"]})
    corpus = SimpleNamespace(
        authors=pd.DataFrame({"claimant": ["a"], "name": ["A"], "kind": ["person"]})
    )
    record = tv.typed_record(claims, corpus, "all", 0)
    assert tv.author_sections(record, "a") == [] and tv.overview_leagues(record, 1) == []


def test_the_typed_fixture_corpus_end_to_end():
    """The loaded corpus of tests/fixtures/types through the views: sections only where due."""
    from forecastkit.reports.author_view import AuthorReport
    from forecastkit.reports.overview_view import Overview

    from conftest import ROOT

    folder = str(ROOT / "tests" / "fixtures" / "types")
    report = AuthorReport.build(author="kei-tanaka", claims_dir=folder, as_of="2025-01-01")
    html = _html(report.other_types() + report.crowd())
    assert "Multiple choice, numeric and date forecasts" in html
    assert "beat Community prediction (fictional) on 1 of 1 shared question" in html
    overview = Overview.build(claims_dir=folder, as_of="2025-01-01")
    leagues = _html(overview.other_leagues())
    assert "crowd (benchmark)" in leagues and "fk-league-numeric-crps" in leagues
