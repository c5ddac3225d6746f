"""``forecastkit resolve`` in a terminal asks for the outcome its question takes: a verdict on
a yes/no question, an option on a multiple-choice one, a value on a numeric or date one (or
ambiguous/annulled on any), and asks again when the answer is not one the question takes.

The terminal is simulated: ``cli.common.in_terminal`` says yes, and CliRunner's ``input=`` is
what the user types."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import common, main

from conftest import ROOT, tree_snapshot

TYPES = ROOT / "tests" / "fixtures" / "types"
MC, NUM, DAY = "q-2008-ru-president", "q-2010-ru-gdp-growth", "q-2024-kim-moscow-visit"
EVIDENCE = ["--evidence", "https://example.org/r", "--title", "Result", "--publisher", "Wire",
            "--published", "2025-05-19", "--quote", "It happened.", "--by", "tester"]  # fmt: skip


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    shutil.copytree(TYPES, root)
    return root


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "in_terminal", lambda: True)


def resolve(root: Path, target: str, typed: str, *args: str):
    return CliRunner().invoke(
        main,
        ["resolve", str(root), target, "--on", "2025-05-19", *EVIDENCE, *args],
        input=typed,
        catch_exceptions=False,
    )


def claims(root: Path):
    return forecastkit.load(root).claims.set_index("claim_id")


def test_a_multiple_choice_question_asks_for_an_option(corpus: Path, terminal: None) -> None:
    done = resolve(corpus, MC, "nobody\nPutin\n")
    assert done.exit_code == 0, done.output
    assert "outcome (an option: medvedev, putin, neither; or ambiguous, annulled)" in done.output
    assert "'nobody' is not an option" in done.output  # asked again
    assert "option putin" in done.output
    assert claims(corpus).loc["kei-2008-successor", "outcome_option"] == "putin"


def test_a_numeric_question_asks_for_a_value(corpus: Path, terminal: None) -> None:
    done = resolve(corpus, "ana-2010-ru-growth", "four\n4.1\n")
    assert done.exit_code == 0, done.output
    assert "outcome (a number, in %; or ambiguous, annulled)" in done.output
    assert "neither a number nor a date" in done.output
    assert claims(corpus).loc["ana-2010-ru-growth", "outcome_value"] == pytest.approx(4.1)


def test_a_date_question_asks_for_a_date(corpus: Path, terminal: None) -> None:
    done = resolve(corpus, DAY, "4\n2030-01-01\n2025-05-19\n")
    assert done.exit_code == 0, done.output
    assert "outcome (a date YYYY-MM-DD, from 2024-06-17 to 2026-12-31" in done.output
    assert "a date question's values are dates" in done.output
    assert "above the closed upper bound 2026-12-31" in done.output
    assert done.output.rstrip().splitlines()[-1].startswith(f"resolved {DAY}: value 2025-05-19")


def test_annulled_is_an_answer_to_any_question(corpus: Path, terminal: None) -> None:
    done = resolve(corpus, NUM, "annulled\nno estimate was published\n")
    assert done.exit_code == 0, done.output
    assert "note (why)" in done.output
    assert claims(corpus).loc["ana-2010-ru-growth", "status"] == "annulled"


def test_a_yes_no_question_asks_for_a_verdict(corpus: Path, terminal: None) -> None:
    done = resolve(corpus, "ana-2010-recession", "maybe\nfalse\n")
    assert done.exit_code == 0, done.output
    assert "verdict (true, false, ambiguous, annulled)" in done.output
    assert claims(corpus).loc["ana-2010-recession", "outcome"] == 0.0


@pytest.mark.parametrize(
    ("target", "missing"),
    [(MC, "--option"), (NUM, "--value"), (DAY, "--value"), ("ana-2010-recession", "--verdict")],
)
def test_without_a_terminal_the_missing_option_is_named(
    corpus: Path, target: str, missing: str
) -> None:
    before = tree_snapshot(corpus)
    done = resolve(corpus, target, "")
    assert done.exit_code != 0
    assert done.output.strip() == f"error: missing {missing} (nothing was written)"
    assert tree_snapshot(corpus) == before
