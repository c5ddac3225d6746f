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


TYPES_FOLDER = str(__import__("conftest").ROOT / "tests" / "fixtures" / "types")
#: The author report's yes/no sections (reports.author_view.AuthorReport.HEADINGS).
YES_NO_SECTIONS = ("verdict", "scores_fragment", "reliability", "reliability_reading", "binned",
                   "decomposition", "scales", "scales_chart", "track_record", "shared_questions")  # fmt: skip


def test_a_claimant_without_yes_no_forecasts_gets_no_brier_sections():
    """The minister forecasts one numeric question: the Brier sections said 'No resolved
    forecasts yet: there is nothing to score' and the shared questions listed the numeric one
    under 'relative Brier'; now they are left out and the first one says why."""
    from forecastkit.reports.author_view import AuthorReport

    report = AuthorReport.build(author="minister", claims_dir=TYPES_FOLDER, as_of="2026-11-22")
    assert not report.has_yes_no
    for section in YES_NO_SECTIONS:
        shown = getattr(report, section)()
        assert isinstance(shown, fx.Fragment) and shown.html == "", section
    assert "No yes/no forecasts" in report.heading("scores").html
    assert all(report.heading(k).html == "" for k in report.HEADINGS if k != "scores")
    typed = _html(report.other_types())
    assert "numeric: CRPS" in typed and "Scores" not in typed


def test_shared_questions_compare_yes_no_questions_only():
    """Kei shares only a multiple-choice question (with the crowd): it is compared in the
    typed section on its own score, not under relative Brier."""
    from forecastkit.reports.author_view import AuthorReport

    report = AuthorReport.build(author="kei-tanaka", claims_dir=TYPES_FOLDER, as_of="2026-11-22")
    assert report.has_yes_no and report.has_other_types
    shared = report.shared_questions().html
    assert "president" not in shared and "No other claimant forecast the yes/no" in shared
    assert "scored apart, below" in report.heading("scores").html
    assert "Calibration" in report.heading("calibration").html


def test_an_overview_without_yes_no_forecasts_ranks_only_within_leagues(tmp_path):
    import shutil

    from forecastkit.reports.overview_view import Overview

    folder = tmp_path / "claims"
    shutil.copytree(TYPES_FOLDER, folder)
    for name in ("2010-01-20-growth-outlook.yaml", "2007-09-14-eastern-desk-succession.yaml"):
        for sub in ("", "outcomes/"):
            path = folder / f"{sub}{name}"
            text = path.read_text("utf-8")
            for cid in ("ana-2010-recession", "kei-2010-wto", "q-2010-ru-wto"):
                text = _drop_entry(text, cid)
            path.write_text(text, "utf-8")
    overview = Overview.build(claims_dir=str(folder), as_of="2026-11-22")
    assert not overview.has_yes_no and len(overview.forecasts) == 10
    assert "No yes/no forecasts" in overview.heading("claimants").html
    for section in ("references_fragment", "league_chart", "relative_league", "head_to_head",
                    "reliability", "decomposition"):  # fmt: skip
        assert getattr(overview, section)().html == "", section
    assert overview.league_fragment(overview.claimants, "fk-league-claimants").html == ""
    leagues = _html(overview.other_leagues())
    assert "fk-league-numeric-crps" in leagues and "fk-league-multiple_choice" in leagues
    mixed = Overview.build(claims_dir=TYPES_FOLDER, as_of="2026-11-22")
    assert "ranked by Brier score" in mixed.heading("claimants").html
    assert "scored apart, below" in mixed.heading("claimants").html


def _drop_entry(text: str, key: str) -> str:
    """``text`` without the list entry ``- id: key`` (or ``claim:``, ``question:``), up to the
    next entry of its list."""
    out, indent = [], None
    for line in text.splitlines(keepends=True):
        dash = len(line) - len(line.lstrip())
        if line.lstrip().startswith("- ") and (indent is None or dash <= indent):
            named = line.strip() in (f"- id: {key}", f"- claim: {key}", f"- question: {key}")
            indent = dash if named else None
        if indent is None:
            out.append(line)
    return "".join(out)


@pytest.mark.slow
def test_report_on_the_typed_fixture_corpus_end_to_end(tmp_path):
    """forecastkit report's notebooks on tests/fixtures/types: each type's section only where
    the claimant has such forecasts, the overview ranking within each league."""
    import shutil

    from forecastkit.reports import runner as rp

    root = tmp_path / "claims"
    shutil.copytree(TYPES_FOLDER, root)
    summary = rp.run_reports(root, tmp_path / "reports", as_of="2026-11-22", progress=False)
    assert summary.ok, summary.render()

    def page(key: str) -> str:
        return (tmp_path / "reports" / f"{key}.html").read_text("utf-8")

    minister = page("minister")  # one numeric point forecast
    assert "No yes/no forecasts" in minister and "<h2>Calibration</h2>" not in minister
    assert "fk-shared-questions" not in minister and "numeric: CRPS" in minister
    assert "PIT histogram" not in minister  # a point is no distribution
    kei = page("kei-tanaka")  # yes/no, multiple choice and date
    assert "<h2>Calibration</h2>" in kei and "reliability of each option" in kei
    assert "PIT histogram" not in kei  # the date forecasts are open
    ana = page("ana-lindqvist")  # yes/no, quantiles and intervals
    assert "PIT histogram" in ana and "Central-interval coverage" in ana
    assert "reliability of each option" not in ana
    overview = page("overview")
    assert "fk-league-claimants" in overview and "scored apart, below" in overview
    for league in ("multiple_choice-multiclass_brier", "multiple_choice-rps", "numeric-crps",
                   "date-crps"):  # fmt: skip
        assert f"fk-league-{league}" in overview
