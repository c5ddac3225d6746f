"""`add claim --question ID`: a new claim joins a shared question of questions.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main

from conftest import ROOT, tree_snapshot

SOURCE = "2024-06-17-hankyoreh-putin-heads-to-pyongyang"
QUESTION = "q-2024-ru-nk-mutual-defence-clause"


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    shutil.copytree(ROOT / "claims", root)
    return root


def _add(root: Path, *extra: str):
    return CliRunner().invoke(
        main,
        [
            "add",
            "claim",
            str(root),
            "--source",
            SOURCE,
            "--claimant",
            "doo-jin-ho",
            "--role",
            "quoted expert",
            "--quote",
            "A clause is likely.",
            "--proposition",
            "Russia and North Korea agree a mutual-defence clause.",
            "--hedge",
            "likely",
            "--resolve-by",
            "2029-06-17",
            "--made-on",
            "2024-06-17",
            *extra,
        ],
    )


def test_a_claim_joins_a_shared_question(seed):
    done = _add(seed, "--question", QUESTION, "--id", "doo-2024-clause-likely")
    assert done.exit_code == 0, done.output
    claims = forecastkit.load(seed).claims.set_index("claim_id")
    assert claims.loc["doo-2024-clause-likely", "question_id"] == QUESTION
    # it inherits the question's outcome, like the claims already on it
    others = claims[claims["question_id"] == QUESTION].drop(index="doo-2024-clause-likely")
    assert claims.loc["doo-2024-clause-likely", "status"] == others["status"].iloc[0]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("q-2024-ru-nk-mutual-defence-claus", "did you mean 'q-2024-ru-nk-mutual-defence-clause'"),
        ("nothing-like-it", "register it in questions.yaml first"),
    ],
)
def test_an_unknown_question_is_refused_and_nothing_written(seed, question, message):
    before = tree_snapshot(seed)
    done = _add(seed, "--question", question)
    assert done.exit_code == 1 and message in done.output and "Traceback" not in done.output
    assert tree_snapshot(seed) == before
