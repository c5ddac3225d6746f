"""`forecastkit score` on a corpus of mixed question types: one table per league."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.editing.synthetic import synthetic_typed_frames


@pytest.fixture
def mixed(monkeypatch):
    frames = synthetic_typed_frames(3000, n_claimants=6, n_questions=300, seed=7)
    import forecastkit.cli.scoring as cli_scoring

    monkeypatch.setattr(
        cli_scoring,
        "_load",
        lambda path, scale, by: (frames["claims"], frames["forecast_points"], frames["questions"]),
    )
    return frames


def test_score_table_shows_every_league_titled_with_its_score(mixed, tmp_path):
    result = CliRunner().invoke(main, ["score", str(tmp_path), "--no-ci"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "brier" in out.splitlines()[0]  # the binary table first, as before
    for title in (
        "multiple choice: multiclass Brier score (0-1)",
        "multiple choice, ordered options: ranked probability score (0-1)",
        "numeric: CRPS (in each question's unit)",
        "date: CRPS (days)",
    ):
        assert title in out
    assert out.rstrip().splitlines()[-1].startswith("policy: ")


def test_score_csv_and_json_carry_every_league(mixed, tmp_path):
    csv = CliRunner().invoke(main, ["score", str(tmp_path), "--no-ci", "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    table = pd.read_csv(io.StringIO(csv.output))
    assert set(table["question_type"]) == {"binary", "multiple_choice", "numeric", "date"}
    binary = table[table["question_type"] == "binary"]
    assert (binary["score"] == binary["brier"]).all()
    js = CliRunner().invoke(main, ["score", str(tmp_path), "--no-ci", "--format", "json"])
    assert {r["score_name"] for r in json.loads(js.output)} == {
        "brier", "multiclass_brier", "rps", "crps"
    }  # fmt: skip


def test_score_on_the_typed_fixture_corpus():
    from conftest import ROOT

    result = CliRunner().invoke(main, ["score", str(ROOT / "tests" / "fixtures" / "types")])
    assert result.exit_code == 0, result.output
    assert "multiple choice: multiclass Brier score (0-1)" in result.output
    assert "numeric: CRPS (in each question's unit)" in result.output


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_score_csv_and_json_name_the_claimant_of_every_league(fmt):
    """The table named each claimant in every league, csv and json only in the binary rows
    (the name column was empty for the multiple-choice, numeric and date rows)."""
    from conftest import ROOT

    folder = ROOT / "tests" / "fixtures" / "types"
    result = CliRunner().invoke(main, ["score", str(folder), "--no-ci", "--format", fmt])
    assert result.exit_code == 0, result.output
    text = io.StringIO(result.output)
    table = pd.read_csv(text) if fmt == "csv" else pd.DataFrame(json.loads(result.output))
    typed = table[table["question_type"] != "binary"]
    assert len(typed) and typed["name"].notna().all(), typed[["group", "name"]]
    minister = table[table["group"] == "minister"]
    assert minister["name"].nunique() == 1 and not minister["name"].isna().any()
