"""``forecastkit resolve`` on questions that a tabular claim file defines (docs/claim-format.md,
"Tabular claim files"): the outcome goes to ``outcomes/<file stem>.yaml`` under ``question:``,
as for a question of ``questions.yaml``; the file's own outcome columns are the first entry."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main
from forecastkit.records.question_types import day_number

from conftest import tree_snapshot

AUTHORS = "authors:\n  ana:\n    name: Ana\n    kind: person\n"
HEADER = ["id", "question", "question_type", "options", "lower", "upper", "source_id",
          "claimant", "quote", "proposition", "made_on", "resolve_by", "probability",
          "probabilities", "point", "verdict", "option", "value", "resolved_on",
          "evidence_kind", "evidence_title", "evidence_publisher", "evidence_published"]  # fmt: skip
EV = dict(evidence_kind="tracker", evidence_title="q", evidence_publisher="p",
          evidence_published="2011-02-01")  # fmt: skip
ROWS = [
    dict(id="a-date", question="q-date", question_type="date", lower="2024-06-17",
         upper="2026-12-31", point="2025-05-09"),
    dict(id="a-mc", question="q-mc", question_type="multiple_choice",
         options='["medvedev", "putin", "neither"]',
         probabilities='{"medvedev": 0.7, "putin": 0.2, "neither": 0.1}'),
    dict(id="a-num", question="q-num", question_type="numeric", point="2.5", value="4",
         resolved_on="2011-02-01", **EV),
    dict(id="a-yes", question="q-yes", probability="0.8"),
    dict(id="b-yes", question="q-yes", probability="0.3"),
    dict(id="a-own", probability="0.4"),
    dict(id="a-done", probability="0.4", verdict="false", resolved_on="2010-01-01", **EV),
]  # fmt: skip


def _evidence(day: str) -> list[str]:
    return ["--evidence", "https://example.org/r", "--title", "Result", "--publisher", "Wire",
            "--published", day, "--quote", "It happened.", "--by", "tester"]  # fmt: skip


@pytest.fixture
def table(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    root.mkdir()
    (root / "authors.yaml").write_text(AUTHORS, "utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADER, lineterminator="\n")
    writer.writeheader()
    base = dict(source_id="s1", claimant="ana", quote="q", proposition="p",
                made_on="2007-09-14", resolve_by="2011-03-31")  # fmt: skip
    for row in ROWS:
        writer.writerow(base | row)
    (root / "tracker.csv").write_text(buffer.getvalue(), "utf-8")
    return root


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def claims(root: Path):
    return forecastkit.load(root).claims.set_index("claim_id")


def test_a_date_question_of_a_table_resolves_by_its_id(table: Path) -> None:
    done = run("resolve", table, "q-date", "--value", "2025-05-19", "--on", "2025-05-19",
               *_evidence("2025-05-19"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.output.startswith("resolved q-date: value 2025-05-19 (")
    assert "outcomes/tracker.yaml" in done.output and "1 claim inherit" in done.output
    c = claims(table)
    assert c.loc["a-date", "status"] == "resolved"
    assert c.loc["a-date", "outcome_value"] == day_number("2025-05-19")


def test_a_claim_of_a_table_resolves_its_question(table: Path) -> None:
    done = run("resolve", table, "a-mc", "--option", "Putin", "--on", "2008-05-07",
               *_evidence("2008-05-07"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "'a-mc' forecasts the shared question 'q-mc'; resolved q-mc: option putin" in (
        done.output
    )
    assert claims(table).loc["a-mc", "outcome_option"] == "putin"


def test_a_yes_no_question_of_a_table_resolves_every_claim_on_it(table: Path) -> None:
    done = run("resolve", table, "q-yes", "--verdict", "true", "--on", "2010-01-01",
               *_evidence("2010-01-01"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "resolved q-yes: true" in done.output and "2 claims inherit the verdict" in done.output
    c = claims(table)
    assert c.loc[["a-yes", "b-yes"], "outcome"].tolist() == [1.0, 1.0]
    done = run("resolve", table, "a-own", "--verdict", "false", "--on", "2010-01-01",
               *_evidence("2010-01-01"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert claims(table).loc["a-own", "outcome"] == 0.0


def test_the_tables_own_outcome_is_the_first_entry(table: Path) -> None:
    done = run("resolve", table, "q-num", "--value", "4.2", "--on", "2011-02-02",
               *_evidence("2011-02-02"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "recorded a revision of q-num: value 4.2 (entry 2) supersedes value 4" in done.output
    assert claims(table).loc["a-num", "outcome_value"] == pytest.approx(4.2)
    done = run("resolve", table, "a-done", "--verdict", "true", "--on", "2010-01-02",
               *_evidence("2010-01-02"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "recorded a revision of a-done: true (entry 2) supersedes false" in done.output
    history = forecastkit.load(table).history("a-done")
    assert history["verdict"].tolist() == ["false", "true"]
    assert (table / "tracker.csv").read_text("utf-8").count("\n") == len(ROWS) + 1


@pytest.mark.parametrize(
    ("target", "args", "words"),
    [
        ("q-date", ["--option", "a"], ["a date question resolves with value"]),
        ("q-mc", ["--value", "1"], ["--option LABEL (its options: medvedev, putin, neither)"]),
        ("q-yes", ["--value", "1"], ["a binary question resolves with verdict"]),
        ("q-dat", ["--value", "2025-05-09"], ["no claim with id 'q-dat'", "'q-date'"]),
    ],
)
def test_refusals_name_the_fix(table: Path, target: str, args: list[str], words: list[str]):
    before = tree_snapshot(table)
    done = run("resolve", table, target, *args, "--on", "2025-05-09", *_evidence("2025-05-09"))
    lines = done.output.strip().splitlines()
    assert done.exit_code != 0 and len(lines) == 1, done.output
    assert all(w in lines[0] for w in words), lines[0]
    assert f"did you mean '{target}'" not in lines[0]
    assert tree_snapshot(table) == before
