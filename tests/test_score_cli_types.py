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


@pytest.fixture
def typed_only(monkeypatch):
    """A corpus with no yes/no claims."""
    frames = synthetic_typed_frames(3000, n_claimants=6, n_questions=300, seed=7)
    claims = frames["claims"][frames["claims"]["question_type"] != "binary"]
    import forecastkit.cli.scoring as cli_scoring

    monkeypatch.setattr(
        cli_scoring,
        "_load",
        lambda path, scale, by: (claims, frames["forecast_points"], frames["questions"]),
    )
    return claims


def _csv(*args: str) -> pd.DataFrame:
    result = CliRunner().invoke(main, ["score", ".", "--no-ci", "--format", "csv", *args])
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.output))


def _sorted_within_leagues(table: pd.DataFrame, column: str, descending: bool = False) -> bool:
    """Each league's rows in order of ``column``, missing values last."""
    for _, part in table.groupby(["question_type", "score_name"], sort=False):
        values = part[column].dropna().tolist()
        missing = part[column].isna().to_numpy()
        if values != sorted(values, reverse=descending) or (missing[:-1] & ~missing[1:]).any():
            return False
    return True


def test_sort_by_a_binary_column_without_yes_no_claims_names_the_sortable_ones(typed_only):
    result = CliRunner().invoke(main, ["score", ".", "--no-ci", "--sort", "brier"])
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1, result.output
    assert "cannot sort by 'brier': no yes/no forecasts are scored" in lines[0]
    assert "--sort score ranks each league on its own score" in lines[0]
    shown = lines[0].partition("columns of the scores shown: ")[2].split(", ")
    assert {"score", "relative", "crps", "n_resolved", "group"} <= set(shown), lines[0]
    assert "brier" not in shown


@pytest.mark.parametrize("column", ["score", "-score", "relative", "crps", "-n_resolved"])
def test_sort_orders_every_league_on_its_own(typed_only, column):
    table = _csv("--sort", column)
    assert set(table["score_name"]) == {"multiclass_brier", "rps", "crps"}
    name = {"score": "score", "relative": "relative_score"}.get(column.lstrip("-"))
    assert _sorted_within_leagues(table, name or column.lstrip("-"), column.startswith("-"))
    # the leagues stay together, in their order
    league = (table["question_type"] + " " + table["score_name"]).tolist()
    assert league == sorted(league, key=list(dict.fromkeys(league)).index)


def test_sort_by_score_ranks_yes_no_claims_on_brier(mixed):
    table = _csv("--sort", "score")
    assert _sorted_within_leagues(table, "score")
    binary = table[table["question_type"] == "binary"]["brier"].dropna().tolist()
    assert binary == sorted(binary)
    text = CliRunner().invoke(main, ["score", ".", "--no-ci", "--sort", "-relative"])
    assert text.exit_code == 0, text.output
