"""`forecastkit score --sort` and readable claimant names beside their keys."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import ScoringError
from forecastkit.scoring.render import label_groups, sort_scores

from conftest import FIXTURE_CORPUS

TABLE = pd.DataFrame(
    {"group": ["a", "b", "c", "d"], "brier": [0.2, None, 0.1, 0.2], "n_resolved": [3, 1, 5, 2]}
)


@pytest.mark.parametrize(
    "column,order",
    [
        ("brier", ["c", "a", "d", "b"]),  # ascending, ties stable, missing last
        ("-brier", ["a", "d", "c", "b"]),  # descending, missing still last
        ("n_resolved", ["b", "d", "a", "c"]),
        ("-n_resolved", ["c", "a", "d", "b"]),
        ("group", ["a", "b", "c", "d"]),
    ],
)
def test_sort_scores(column, order):
    assert sort_scores(TABLE, column)["group"].tolist() == order


def test_sort_by_an_unknown_column_names_the_near_one():
    with pytest.raises(ScoringError, match="cannot sort by 'brie'.*did you mean 'brier'"):
        sort_scores(TABLE, "brie")


def test_label_groups_puts_the_name_beside_the_key():
    forecasts = pd.DataFrame({"claimant": ["a", "a", "c"], "claimant_name": ["Ann", "Ann", "Cy"]})
    out = label_groups(TABLE, forecasts, "claimant", "claimant_name")
    assert list(out.columns[:2]) == ["group", "name"]
    assert out["name"].fillna("").tolist() == ["Ann", "", "Cy", ""]
    assert (
        label_groups(TABLE, forecasts.drop(columns="claimant_name"), "claimant", "claimant_name")
        is TABLE
    )


def test_score_command_sorts_and_shows_names():
    done = CliRunner().invoke(
        main,
        [
            "score",
            str(FIXTURE_CORPUS),
            "--no-ci",
            "--sort",
            "-brier",
            "--format",
            "csv",
            "--min-n",
            "0",
        ],
    )
    assert done.exit_code == 0, done.output
    table = pd.read_csv(pd.io.common.StringIO(done.output))
    assert "name" in table.columns and table["name"].notna().all()
    brier = table["brier"].dropna().tolist()
    assert brier == sorted(brier, reverse=True)


def test_score_command_refuses_a_bad_sort_in_one_line():
    done = CliRunner().invoke(main, ["score", str(FIXTURE_CORPUS), "--no-ci", "--sort", "nope"])
    assert done.exit_code != 0
    assert "cannot sort by 'nope'" in done.output and "Traceback" not in done.output


@pytest.mark.parametrize("seed", ["-1", str(2**64)])
def test_score_command_refuses_a_seed_numpy_cannot_take_in_one_line(seed):
    done = CliRunner().invoke(main, ["score", str(FIXTURE_CORPUS), "--seed", seed])
    assert done.exit_code == 2 and "--seed" in done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)


def test_score_reads_hedges_on_the_project_s_scale(tmp_path, monkeypatch):
    """A project whose forecastkit.toml sets scale = "phia": export, show and report read its
    hedges on PHIA, score on icd203 (its --scale defaulted to the package's, not the
    project's), so the two gave different Brier scores for the same claimant."""
    import io
    import shutil

    shutil.copytree(FIXTURE_CORPUS, tmp_path / "claims")
    (tmp_path / "forecastkit.toml").write_text('[defaults]\nscale = "phia"\n')
    monkeypatch.chdir(tmp_path)

    def brier(*args: str) -> list[float]:
        result = CliRunner().invoke(main, ["score", "--no-ci", "--format", "csv", *args])
        assert result.exit_code == 0, result.output
        return pd.read_csv(io.StringIO(result.output))["brier"].fillna(-1).round(12).tolist()

    assert brier() == brier("--scale", "phia")
    assert brier() != brier("--scale", "icd203")


def test_score_csv_of_an_empty_corpus_is_its_header(tmp_path):
    """A new project (no claims yet): csv gives the header a scored corpus has, json an empty
    list, the table says so (csv was a blank line)."""
    import json

    (tmp_path / "authors.yaml").write_text("authors:\n  ana:\n    name: Ana\n    kind: person\n")

    def score(*args: str) -> str:
        done = CliRunner().invoke(main, ["score", str(tmp_path), *args])
        assert done.exit_code == 0, done.output
        return done.output

    header = score("--format", "csv").splitlines()
    scored = CliRunner().invoke(main, ["score", str(FIXTURE_CORPUS), "--format", "csv"])
    assert header == [scored.output.splitlines()[0]]
    assert header[0].startswith("group,name,n,n_resolved,")
    assert json.loads(score("--format", "json")) == []
    assert score() == "no forecasts to score\n"
    no_ci = score("--format", "csv", "--no-ci", "--by", "publisher").splitlines()
    assert len(no_ci) == 1 and "brier_low" not in no_ci[0] and no_ci[0].startswith("group,n,")
