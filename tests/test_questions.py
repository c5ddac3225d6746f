"""Questions shared by several claims: the registry, outcomes per question, resolve, export, CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main
from forecastkit.editing.resolve import resolve_claim
from forecastkit.errors import ForecastkitError, ValidationFailed
from forecastkit.records.export import export_table

from conftest import TODAY

QUESTIONS = """\
# yaml-language-server: $schema=../../src/forecastkit/records/schemas/questions.schema.json
questions:
  rate-cut-by-june:
    text: The central bank cuts its policy rate by 2024-06-30.
    criteria: True if the policy rate is lowered at any meeting up to 2024-06-30.
    resolve_by: 2024-06-30
    tags: [rates]
"""

POLL = """\
# yaml-language-server: $schema=../src/forecastkit/records/schemas/claim-file.schema.json
source:
  id: 2024-03-01-harbour-review-rates
  title: Will the bank blink?
  publisher: The Harbour Review (fictional)
  byline: [harbour-desk]
  published: 2024-03-01
claims:
  - id: harbour-2024-desk-rate-cut
    question: rate-cut-by-june
    claimant: harbour-desk
    claimant_role: byline author
    quote: A cut before the summer is likely.
    proposition: The central bank cuts rates by 2024-06-30.
    hedge: likely
    resolve_by: 2024-06-30
  - id: harbour-2024-reyes-rate-cut
    question: rate-cut-by-june
    claimant: tomas-reyes
    claimant_role: quoted expert
    quote: A cut before the summer is unlikely.
    proposition: The central bank cuts rates by 2024-06-30.
    hedge: unlikely
    resolve_by: 2024-06-30
  - id: harbour-2024-reyes-rate-cut-update
    question: rate-cut-by-june
    claimant: tomas-reyes
    claimant_role: quoted expert
    quote: Now a cut is probable.
    proposition: The central bank cuts rates by 2024-06-30.
    hedge: probably
    made_on: 2024-05-01
    resolve_by: 2024-06-30
"""


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def shared_dir(corpus_dir: Path) -> Path:
    """The example corpus with one shared question: the NPI rate-cut claim and three more."""
    (corpus_dir / "questions.yaml").write_text(QUESTIONS, encoding="utf-8")
    (corpus_dir / "2024-03-01-harbour-review-rates.yaml").write_text(POLL, encoding="utf-8")
    _replace(
        corpus_dir / "2024-01-09-npi-outlook-2024.yaml",
        "  - id: npi-2024-rate-cut\n",
        "  - id: npi-2024-rate-cut\n    question: rate-cut-by-june\n",
    )
    _replace(
        corpus_dir / "outcomes" / "2024-01-09-npi-outlook-2024.yaml",
        "  - claim: npi-2024-rate-cut\n",
        "  - question: rate-cut-by-june\n",
    )
    return corpus_dir


def test_every_claim_on_a_question_inherits_its_outcome(shared_dir: Path) -> None:
    corpus = forecastkit.load(shared_dir, today=TODAY)
    on_q = corpus.claims[corpus.claims["question_id"] == "rate-cut-by-june"]
    assert sorted(on_q["claim_id"]) == [
        "harbour-2024-desk-rate-cut",
        "harbour-2024-reyes-rate-cut",
        "harbour-2024-reyes-rate-cut-update",
        "npi-2024-rate-cut",
    ]
    assert set(on_q["status"]) == {"true"} and set(on_q["revisions"]) == {1}
    assert set(on_q["question_text"]) == {"The central bank cuts its policy rate by 2024-06-30."}
    q = corpus.questions.set_index("question_id")
    row = q.loc["rate-cut-by-june"]
    assert (row["n_claims"], row["n_claimants"], row["status"], bool(row["registered"])) == (
        4,
        3,
        "true",
        True,
    )
    assert row["file"].endswith("questions.yaml") and row["line"] == 3
    # a claim with no question is its own question, and keeps its claim-keyed log entry
    own = q.loc["npi-2024-recession"]
    assert (row.name, own["n_claims"], bool(own["registered"])) == ("rate-cut-by-june", 1, False)
    entry = corpus.outcomes[corpus.outcomes["question_id"] == "rate-cut-by-june"].iloc[0]
    assert pd.isna(entry["claim_id"]) and entry["verdict"] == "true"
    assert len(corpus.history("harbour-2024-desk-rate-cut")) == 1


@pytest.mark.parametrize(
    "edit,message,field",
    [
        # an old claim-keyed entry for a claim that now forecasts a shared question
        (
            (
                "outcomes/2024-01-09-npi-outlook-2024.yaml",
                "  - question: rate-cut-by-june\n",
                "  - claim: npi-2024-rate-cut\n",
            ),
            "forecasts the shared question 'rate-cut-by-june'",
            "outcomes[0].claim",
        ),
        (
            (
                "2024-03-01-harbour-review-rates.yaml",
                "question: rate-cut-by-june\n    claimant: harbour",
                "question: rate-cut-by-jun\n    claimant: harbour",
            ),
            "unknown question 'rate-cut-by-jun'",
            "claims[0].question",
        ),
        (
            ("questions.yaml", "  rate-cut-by-june:\n", "  rate-cut-by-june:\n    text2: x\n"),
            "unknown field",
            "questions.rate-cut-by-june.text2",
        ),
        (
            (
                "outcomes/2024-01-09-npi-outlook-2024.yaml",
                "  - question: rate-cut-by-june\n",
                "  - question: rate-cut-by-june\n    claim: npi-2024-rate-cut\n",
            ),
            "give either claim: or question:, not both",
            "outcomes[0]",
        ),
    ],
)
def test_bad_questions_are_one_line_errors(shared_dir: Path, edit, message, field) -> None:
    name, old, new = edit
    _replace(shared_dir / name, old, new)
    with pytest.raises(ValidationFailed) as caught:
        forecastkit.load(shared_dir, today=TODAY)
    errors = [e for e in caught.value.errors if message in e.message]
    assert errors, [str(e) for e in caught.value.errors]
    assert errors[0].file.endswith(name) and errors[0].line and errors[0].field == field


def test_a_question_id_may_not_be_a_claim_id(shared_dir: Path) -> None:
    _replace(
        shared_dir / "questions.yaml",
        "questions:\n",
        "questions:\n  npi-2024-recession:\n    text: a clash\n",
    )
    clash = "question id 'npi-2024-recession' is also a claim id"
    with pytest.raises(ValidationFailed, match=clash):
        forecastkit.load(shared_dir, today=TODAY)


def test_an_outcome_before_a_later_claim_on_the_question_is_refused(shared_dir: Path) -> None:
    _replace(
        shared_dir / "outcomes" / "2024-01-09-npi-outlook-2024.yaml",
        "resolved_on: 2024-06-06",
        "resolved_on: 2024-04-06",
    )
    with pytest.raises(ValidationFailed) as caught:
        forecastkit.load(shared_dir, today=TODAY)
    said = [e.message for e in caught.value.errors]
    assert (
        "resolved_on 2024-04-06 is before the claim was made (2024-05-01) "
        "(claim 'harbour-2024-reyes-rate-cut-update')"
    ) in said, said


EVIDENCE = [
    {
        "url": "https://example.org/central-bank/june-decision-corrected",
        "title": "Policy rate lowered",
        "publisher": "Central Bank (fictional)",
        "published": "2024-06-06",
        "quote": "The board lowered the policy rate.",
    }
]


def test_resolving_a_claim_on_a_question_resolves_the_question(shared_dir: Path) -> None:
    done = resolve_claim(
        "harbour-2024-desk-rate-cut",
        "false",
        "2024-06-30",
        evidence=EVIDENCE,
        recorded_by="tester",
        path=shared_dir,
        today=TODAY,
    )
    assert done.revision and done.entry == 2 and done.previous == "true"
    assert done.message.startswith(
        "'harbour-2024-desk-rate-cut' forecasts the shared question "
        "'rate-cut-by-june'; recorded a revision of rate-cut-by-june"
    )
    assert "4 claims inherit the verdict" in done.message
    log = (shared_dir / "outcomes" / "2024-01-09-npi-outlook-2024.yaml").read_text()
    assert log.rstrip().endswith("recorded_on: 2026-11-22")
    assert "- question: rate-cut-by-june" in log
    corpus = forecastkit.load(shared_dir, today=TODAY)
    on_q = corpus.claims[corpus.claims["question_id"] == "rate-cut-by-june"]
    assert set(on_q["status"]) == {"false"} and set(on_q["revisions"]) == {2}


def test_resolve_by_question_id_and_unknown_ids(shared_dir: Path) -> None:
    done = resolve_claim(
        "rate-cut-by-june",
        "ambiguous",
        "2024-06-30",
        note="the cut was undone",
        recorded_by="tester",
        path=shared_dir,
        today=TODAY,
    )
    assert done.id == "rate-cut-by-june" and done.message.startswith("recorded a revision")
    with pytest.raises(ForecastkitError, match="no claim with id 'rate-cut-by-jun'") as caught:
        resolve_claim(
            "rate-cut-by-jun", "true", "2024-06-30", evidence=EVIDENCE, path=shared_dir, today=TODAY
        )
    assert "rate-cut-by-june" in caught.value.hint


def test_export_names_the_question(shared_dir: Path) -> None:
    table = export_table(forecastkit.load(shared_dir, today=TODAY)).set_index("claim_id")
    assert table.loc["harbour-2024-reyes-rate-cut", "question_id"] == "rate-cut-by-june"
    assert table.loc["npi-2024-recession", "question_id"] == "npi-2024-recession"
    assert (
        table.loc["npi-2024-recession", "question_text"]
        == table.loc["npi-2024-recession", "proposition"]
    )


def test_score_and_show_on_the_command_line(shared_dir: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        main,
        ["score", str(shared_dir), "--policy", "last", "--no-ci", "--format", "csv"],
        catch_exceptions=False,
    )
    assert out.exit_code == 0, out.output
    table = pd.read_csv(io.StringIO(out.output)).set_index("group")
    # last: each claimant's question counts once (Reyes's update, not his first forecast)
    every = runner.invoke(
        main,
        ["score", str(shared_dir), "--policy", "all", "--no-ci", "--format", "csv"],
        catch_exceptions=False,
    )
    every = pd.read_csv(io.StringIO(every.output)).set_index("group")
    assert table.loc["tomas-reyes", "n_resolved"] == every.loc["tomas-reyes", "n_resolved"] - 1
    assert table.loc["tomas-reyes", "n_shared"] == 1 and table.loc["harbour-desk", "n_shared"] == 1
    assert table.loc["ana-lindqvist", "n_shared"] == 1
    text = runner.invoke(main, ["score", str(shared_dir)], catch_exceptions=False).output
    assert "policy: time-weighted" in text
    shown = runner.invoke(
        main,
        ["show", "harbour-2024-desk-rate-cut", "--corpus", str(shared_dir)],
        catch_exceptions=False,
    )
    assert "rate-cut-by-june: The central bank cuts its policy rate" in shown.output
    assert "(3 other claims on it)" in shown.output


def test_a_tracker_table_repeats_the_outcome_on_each_forecast(corpus_dir: Path) -> None:
    rows = pd.DataFrame(
        {
            "id": ["t-1", "t-2", "t-3"],
            "question": ["t-q1"] * 3,
            "source_id": ["t-src"] * 3,
            "claimant": ["ana-lindqvist", "tomas-reyes", "ana-lindqvist"],
            "quote": ["Q1?"] * 3,
            "proposition": ["Q1 happens by 2024-12-31."] * 3,
            "probability": ["0.2", "0.7", "0.4"],
            "made_on": ["2024-01-01", "2024-01-02", "2024-02-01"],
            "resolve_by": ["2024-12-31"] * 3,
            "verdict": ["true"] * 3,
            "resolved_on": ["2024-06-01"] * 3,
            "note": [""] * 3,
            "evidence_url": ["https://example.org/q1"] * 3,
            "evidence_title": ["Q1"] * 3,
            "evidence_publisher": ["Example"] * 3,
            "evidence_published": ["2024-06-01"] * 3,
            "evidence_quote": ["It happened."] * 3,
        }
    )
    rows.to_csv(corpus_dir / "tracker.csv", index=False)
    corpus = forecastkit.load(corpus_dir, today=TODAY)
    assert len(corpus.outcomes[corpus.outcomes["question_id"] == "t-q1"]) == 1
    q = corpus.questions.set_index("question_id").loc["t-q1"]
    assert (q["n_claims"], q["n_claimants"], q["status"]) == (3, 2, "true")
    rows.loc[2, "resolved_on"] = "2024-07-01"
    rows.to_csv(corpus_dir / "tracker.csv", index=False)
    with pytest.raises(ValidationFailed, match="question 't-q1' has another outcome here"):
        forecastkit.load(corpus_dir, today=TODAY)


def test_resolve_on_the_command_line_names_the_question(shared_dir: Path) -> None:
    out = CliRunner().invoke(
        main,
        [
            "resolve",
            str(shared_dir),
            "npi-2024-rate-cut",
            "--verdict",
            "ambiguous",
            "--on",
            "2024-06-30",
            "--note",
            "the cut was reversed the same week",
            "--by",
            "tester",
        ],
        catch_exceptions=False,
    )
    assert out.exit_code == 0, out.output
    assert out.output.startswith(
        "'npi-2024-rate-cut' forecasts the shared question "
        "'rate-cut-by-june'; recorded a revision of rate-cut-by-june"
    )
    bad = CliRunner().invoke(
        main,
        [
            "resolve",
            str(shared_dir),
            "rate-cut-by-jun",
            "--verdict",
            "ambiguous",
            "--on",
            "2024-06-30",
            "--note",
            "x",
        ],
    )
    assert bad.exit_code != 0 and len(bad.output.strip().splitlines()) == 1
    assert "did you mean 'rate-cut-by-june'" in bad.output
