"""What the report notebooks show, computed from the example corpus."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from forecastkit.errors import ParameterError
from forecastkit.reports import author_view, overview_view, views
from forecastkit.scoring.scores import summarise

from conftest import FIXTURE_CORPUS, TODAY

AS_OF = TODAY.isoformat()


@pytest.fixture(scope="module")
def ana():
    return author_view.AuthorReport.build(
        "ana-lindqvist", str(FIXTURE_CORPUS), as_of=AS_OF, min_n=10
    )


@pytest.mark.parametrize(
    "key,expected",
    [
        (
            "ana-lindqvist",
            {
                "made": 5,
                "resolved": 3,
                "came true": 1,
                "resolved other": 0,
                "open": 2,
                "overdue": 0,
                "ambiguous": 0,
                "annulled": 0,
                "not forecasts": 0,
            },
        ),
        (
            "tomas-reyes",
            {
                "made": 3,
                "resolved": 2,
                "came true": 2,
                "resolved other": 0,
                "open": 0,
                "overdue": 0,
                "ambiguous": 1,
                "annulled": 0,
                "not forecasts": 0,
            },
        ),
        (
            "harbour-desk",
            {
                "made": 1,
                "resolved": 1,
                "came true": 1,
                "resolved other": 0,
                "open": 0,
                "overdue": 0,
                "ambiguous": 0,
                "annulled": 0,
                "not forecasts": 1,
            },
        ),
        (
            "port-officials",
            {
                "made": 1,
                "resolved": 0,
                "came true": 0,
                "resolved other": 0,
                "open": 1,
                "overdue": 1,
                "ambiguous": 0,
                "annulled": 0,
                "not forecasts": 0,
            },
        ),
    ],
)
def test_counts(key, expected):
    report = author_view.AuthorReport.build(key, str(FIXTURE_CORPUS), as_of=AS_OF)
    assert report.counts == expected


def test_counts_add_up_with_questions_of_other_types():
    """A multiple-choice, numeric or date question resolves with status 'resolved', which the
    counts left out: a claimant with 2 forecasts, both resolved, showed '0 resolved, 0 open' and
    the index 'nothing to score yet'; the overview said 'Forecasts 5, Resolved 2, Open 0'."""
    from conftest import ROOT

    folder = str(ROOT / "tests" / "fixtures" / "types")
    overview = overview_view.Overview.build(claims_dir=folder, as_of="2025-01-01")
    everyone = views.counts(overview.claims, overview.as_of)
    assert (everyone["resolved"], everyone["resolved other"]) == (2, 7)
    parts = ("resolved", "resolved other", "open", "ambiguous", "annulled")
    assert everyone["made"] == sum(everyone[k] for k in parts)
    header = re.sub(r"<[^>]+>", "|", overview.header().html)
    assert re.search(r"\|Resolved\|+9\|", header), header
    minister = author_view.AuthorReport.build("minister", folder, as_of="2025-01-01")
    c = minister.counts
    assert (c["made"], c["resolved"], c["resolved other"], c["open"]) == (1, 0, 1, 0)
    line = minister.summary_line()
    assert line.startswith("1 forecast, 1 resolved, 0 open") and "nothing to score" not in line
    rows = re.sub(r"<[^>]+>", "|", minister.counts_fragment().html)
    assert re.search(r"resolved \(an option or a value\)\|+1\|", rows), rows


@pytest.mark.parametrize(
    "n,min_n,phrase",
    [
        (0, 10, "nothing to score"),
        (1, 10, "1 resolved forecast: too few to judge"),
        (3, 10, "3 resolved forecasts: too few to judge calibration"),
        (10, 10, "10 resolved forecasts: enough to compare"),
    ],
)
def test_judgement_says_plainly_when_there_are_too_few(n, min_n, phrase):
    assert phrase in views.judgement(n, min_n)


def test_scores_match_the_scoring_library(ana):
    resolved = ana.resolved
    direct = summarise(
        resolved["outcome"].to_numpy(), resolved["probability"].to_numpy(), seed=views.SEED
    )
    assert ana.n_resolved == direct["brier"].n == 3
    assert ana.scores["brier"] == pytest.approx(direct["brier"].value)
    assert ana.scores["log_score"] == pytest.approx(direct["log_score"].value)
    html = ana.scores_fragment().html
    row = re.search(
        r'Brier score</td><td data-col="value" class="fk-num">([\d.]+)</td>'
        r'<td data-col="95% interval">\[([\d.]+), ([\d.]+)\]',
        html,
    )
    assert float(row.group(1)) == pytest.approx(direct["brier"].value, abs=5e-4)
    assert not ana.enough
    assert "too few to judge" in ana.verdict().html


def test_default_author_is_the_one_with_most_forecasts():
    report = author_view.AuthorReport.build(None, str(FIXTURE_CORPUS), as_of=AS_OF)
    assert report.params.author == "ana-lindqvist"


def test_unknown_author_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown author 'ana'"):
        author_view.AuthorReport.build("ana", str(FIXTURE_CORPUS), as_of=AS_OF)


def test_as_of_drops_later_claims_and_reopens_later_outcomes():
    early = author_view.AuthorReport.build("ana-lindqvist", str(FIXTURE_CORPUS), as_of="2024-03-01")
    assert early.counts["made"] == 5  # all made by 2024-01-09
    assert early.counts["resolved"] == 0  # resolved in mid/late 2024
    before = author_view.AuthorReport.build(
        "ana-lindqvist", str(FIXTURE_CORPUS), as_of="2023-12-31"
    )
    assert before.counts["made"] == 1


def test_claims_table_escapes_quotes_and_links_evidence(tmp_path):
    root = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    path = root / "2024-01-09-npi-outlook-2024.yaml"
    text = path.read_text("utf-8").replace(
        "quote: The central bank is likely to cut rates before the summer.",
        'quote: "<script>window.__pwned=1</script> likely to cut rates"',
    )
    path.write_text(text, "utf-8")
    report = author_view.AuthorReport.build("ana-lindqvist", str(root), as_of=AS_OF)
    html = report.claims_table().html
    assert "<script>" not in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert re.search(r'<a href="https://[^"]+" target="_blank" rel="noopener noreferrer">', html)
    assert html.count("<tr>") == 1 + 5


def test_scale_sensitivity_covers_every_scale(ana):
    from forecastkit.records import lexicon

    table = ana.scales().html
    for key in lexicon.scales():
        assert f'<td data-col="scale">{key}</td>' in table


def test_league_intervals_match_each_claimants_own_report():
    overview = overview_view.Overview.build(str(FIXTURE_CORPUS), as_of=AS_OF, min_n=1)
    league = overview.claimants.set_index("group")
    for key in ("ana-lindqvist", "tomas-reyes"):
        own = author_view.AuthorReport.build(key, str(FIXTURE_CORPUS), as_of=AS_OF).scores
        for col in ("brier", "brier_low", "brier_high", "log_score"):
            assert league.loc[key, col] == pytest.approx(own[col])
    ranked = league[league["ranked"]]["brier"].to_numpy()
    assert np.all(np.diff(ranked) >= 0)


def test_references_include_coin_flip_and_base_rate():
    overview = overview_view.Overview.build(str(FIXTURE_CORPUS), as_of=AS_OF)
    ref = overview.references.set_index("forecaster")["brier"]
    assert ref["coin flip (always 50%)"] == pytest.approx(0.25)
    rate = overview.resolved["outcome"].mean()
    assert ref[f"base rate (always {rate:.0%}, hindsight)"] == pytest.approx(rate * (1 - rate))


def test_open_claims_list_overdue_first():
    html = overview_view.Overview.build(str(FIXTURE_CORPUS), as_of=AS_OF).open_claims().html
    assert html.index("overdue") < html.index(">open<")


def test_scale_readings_equal_the_library_scale_sensitivity():
    from forecastkit.records import lexicon
    from forecastkit.scoring.grouped import scale_sensitivity

    forecasts = views.open_corpus(FIXTURE_CORPUS).forecasts()
    ours = views.scale_readings(forecasts)
    ref = scale_sensitivity(
        forecasts,
        list(lexicon.scales()),
        read=lexicon.read_hedge,
        by=None,
        min_n=0,
        reference=lexicon.DEFAULT_SCALE,
    ).table
    merged = ours.merge(ref, on=["scale", "reading"], suffixes=("", "_ref"))
    assert len(merged) == len(ours) == len(ref)
    for col in ("brier", "log_score", "n_resolved", "n_unscored"):
        assert np.allclose(
            merged[col].astype(float), merged[f"{col}_ref"].astype(float), equal_nan=True
        ), col


def test_track_record_matches_score_over_time_and_ends_on_the_scores(ana):
    import pandas as pd

    from forecastkit.scoring.grouped import score_over_time

    dates = views.track_record_dates(ana.forecasts, ana.as_of)
    assert dates[0] == pd.Timestamp("2023-12-31") and dates[-1] == pd.Timestamp(AS_OF)
    ref = score_over_time(ana.forecasts, dates, by=None, ci=False)
    rec = ana.record
    assert rec["n_resolved"].tolist() == ref["n_resolved"].tolist()
    assert np.allclose(rec["brier"], ref["brier"], equal_nan=True)
    last = rec.iloc[-1]
    for col in ("brier", "brier_low", "brier_high"):
        assert last[col] == pytest.approx(ana.scores[col])


@pytest.mark.parametrize(
    "key,reading,reference",
    [
        ("harbour-desk", "", "on the same 1 claim:"),  # no curve drawn, so nothing said about it
        ("ana-lindqvist", "mostly shows noise", "on the same 3 claims:"),
    ],
)
def test_small_records_are_described_as_they_are(key, reading, reference):
    report = author_view.AuthorReport.build(key, str(FIXTURE_CORPUS), as_of=AS_OF, min_n=10)
    said = report.reliability_reading().html
    assert (reading in said) if reading else said == ""
    assert reference in report.scores_fragment().html
    assert "-0.000" not in report.decomposition().html


def test_the_header_links_to_the_claimants_place_in_the_overview_or_says_why_not():
    ranked = author_view.AuthorReport.build(
        "ana-lindqvist", str(FIXTURE_CORPUS), as_of=AS_OF, min_n=1
    )
    link = ranked.place_in_ranking()
    name = ranked.profile["name"].lower().replace(" ", "%20")
    assert f'href="../reports/overview.html#find={name}"' in link.html
    assert "In the overview" in ranked.header().html
    unranked = author_view.AuthorReport.build(
        "ana-lindqvist", str(FIXTURE_CORPUS), as_of=AS_OF, min_resolved=10_000
    )
    said = unranked.place_in_ranking()
    assert said.startswith("not ranked: ") and said.endswith("the ranking needs 10000")


def test_no_league_ranks_a_group_on_no_resolved_forecast_even_with_min_n_0():
    import forecastkit

    corpus = forecastkit.load(FIXTURE_CORPUS)
    for by in ("claimant", "publisher"):
        league = overview_view.league_table(corpus.claims, by, 0, None)
        assert not (league["ranked"] & (league["n_resolved"] == 0)).any(), by
    claimants = overview_view.league_table(corpus.claims, "claimant", 0, None)
    assert (claimants["n_resolved"] == 0).any()  # the case is there to be tested


def test_the_claims_table_shows_forecasts_and_answers_of_every_type():
    """A claim on a multiple-choice, numeric or date question showed an empty probability and
    the outcome 'resolved' alone: the table gives its forecast as add claim takes it and the
    option or value its question resolved with."""
    from conftest import ROOT

    folder = str(ROOT / "tests" / "fixtures" / "types")
    kei = author_view.AuthorReport.build("kei-tanaka", folder, as_of="2025-01-01")
    cells = re.sub(r"<[^>]+>", "|", views.claims_fragment(kei.corpus, kei.claims, kei.as_of).html)
    assert "medvedev=0.7,putin=0.2,neither=0.1" in cells
    assert "resolved: medvedev" in cells
    assert "0.1=2024-11-01,0.5=2025-04-15" in cells  # a date question's quantiles, as dates
    assert "0.20 (stated)" in cells or "unlikely" in cells  # yes/no claims as before
    community = author_view.AuthorReport.build("community", folder, as_of="2025-01-01")
    cells = views.claims_fragment(community.corpus, community.claims, community.as_of).html
    assert re.search(r"CDF on \d+ points", cells) and "resolved: 4" in cells


@pytest.mark.parametrize("policy, unit", [("all", "forecasts"), ("last", "questions"),
                                          ("time-weighted", "questions")])  # fmt: skip
def test_the_league_says_what_its_counts_count(policy, unit):
    """Under a policy that scores a question once per claimant, the league's counts are of
    questions (score_table's n): its column says so, beside the header's count of forecasts."""
    overview = overview_view.Overview.build(str(FIXTURE_CORPUS), as_of=AS_OF, policy=policy)
    html = overview.league_fragment(overview.claimants, "t", link_reports=True).html
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html)
    assert headers[2] == unit, headers
    claims = overview.claims
    shown = overview.claimants.set_index("group")["n"]
    mine = claims[(claims["kind"] == "forecast") & (claims["claimant"] == shown.index[0])]
    expected = len(mine) if policy == "all" else mine["question_id"].nunique()
    assert shown.iloc[0] == expected
