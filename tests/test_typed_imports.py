"""Imports beyond yes/no: each preset's typed sample into a corpus, loaded and scored; crowds;
the refusals of bad typed input (one line naming file, line and column; nothing written)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main
from forecastkit.editing.presets import read_preset
from forecastkit.scoring.crowd import crowd_claimants, crowd_comparison
from forecastkit.scoring.typed_table import question_units, score_tables

from conftest import FIXTURE_CORPUS, ROOT, tree_snapshot

IMPORTS = ROOT / "tests" / "fixtures" / "imports"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    return root


def _import(root: Path, preset: str, file: Path, *extra: str):
    return CliRunner().invoke(main, ["import", str(root), str(file), "--from", preset, *extra])


def _imported(root: Path, name: str):
    loaded = forecastkit.load(root)
    claims = loaded.claims[loaded.claims["file"].str.endswith(f"{name}.csv")]
    return loaded, claims


def test_metaculus_types_and_the_community_as_a_crowd(corpus):
    done = _import(corpus, "metaculus", IMPORTS / "metaculus" / "forecast_data.csv", "--name", "mc")
    assert done.exit_code == 0, done.output
    # typed questions count as resolved by their option or value
    assert "(of them 1 crowd)" in done.output and "10 resolved" in done.output
    assert CliRunner().invoke(main, ["validate", str(corpus)]).exit_code == 0
    loaded, claims = _imported(corpus, "mc")
    kinds = claims.groupby("question_type", observed=True).size().to_dict()
    assert kinds == {"binary": 8, "multiple_choice": 3, "numeric": 2, "date": 1}
    # the numeric forecasts are the export's 201-point CDFs on the question's range
    numeric = claims[claims["question_type"] == "numeric"]
    points = loaded.forecast_points
    grid = points[points["claim_id"].isin(numeric["claim_id"])]
    assert grid.groupby("claim_id", observed=True).size().tolist() == [201, 201]
    assert grid["x"].min() == 0.0 and grid["x"].max() == 20.0
    assert (numeric["outcome_value"] == 4.0).all()
    mc = claims[claims["question_type"] == "multiple_choice"]
    assert set(mc["outcome_option"]) == {"party-b"}
    q = loaded.questions.set_index("question_id").loc[mc["question_id"].iloc[0]]
    assert tuple(q["options"]) == ("party-a", "party-b", "another-party")
    # "None" in Probability Yes Per Category (an option not offered yet) is 0
    grace = points[points["claim_id"] == mc["claim_id"].iloc[1]]
    assert dict(zip(grace["option"], grace["p"], strict=True))["party-b"] == 0.0
    # the aggregate rows are one claimant of kind crowd
    crowds = crowd_claimants(loaded.authors)
    assert len(crowds) == 1 and "recency" in crowds[0]
    assert set(claims.loc[claims["claimant"] == crowds[0], "question_type"]) == {
        "binary", "multiple_choice", "numeric",
    }  # fmt: skip
    # the round trip: every type scored, and people compared with the crowd on shared questions
    tables = score_tables(claims, points, questions=loaded.questions)
    assert set(tables.typed["question_type"]) >= {"multiple_choice", "numeric", "date"}
    units = question_units(claims, points, questions=loaded.questions)
    comparison = crowd_comparison(units, crowds)
    shared = comparison.groupby("claimant")["n_shared"].sum()
    assert shared.sum() > 0 and (comparison["beat"] + comparison["tied"] + comparison["lost"]
                                 == comparison["n_shared"]).all()  # fmt: skip


def test_gjp_multiple_choice_ordered_and_team_medians(corpus):
    done = _import(
        corpus, "gjp", IMPORTS / "gjp" / "survey_fcasts.yr1.csv", "--name", "gjp1", "--team-median"
    )
    assert done.exit_code == 0, done.output
    assert CliRunner().invoke(main, ["validate", str(corpus)]).exit_code == 0
    loaded, claims = _imported(corpus, "gjp1")
    mc = claims[claims["question_type"] == "multiple_choice"]
    assert len(mc) == 5  # 1002-0 (three options), 1006-6 (four, ordered): 3 people, 2 medians
    questions = loaded.questions.set_index("question_id")
    ordered = questions.loc[questions["type"] == "multiple_choice", "ordered"]
    assert sorted(ordered.tolist()) == [False, True]
    assert set(mc.loc[mc["question_id"].str.contains("1002"), "outcome_option"]) == {"putin"}
    # the team median is a crowd; its binary median on the second day is that of 0.2 and 0.4
    crowds = crowd_claimants(loaded.authors)
    assert len(crowds) == 1
    team = claims[claims["claimant"] == crowds[0]]
    binary = team[team["question_type"] == "binary"].sort_values("made_on")
    assert np.allclose(binary["probability"], [0.2, 0.3])
    units = question_units(claims, loaded.forecast_points, questions=loaded.questions)
    comparison = crowd_comparison(units, crowds)
    assert set(comparison["question_type"]) == {"binary", "multiple_choice"}
    # RPS on the ordered question, the multiclass Brier score on the other
    tables = score_tables(claims, loaded.forecast_points, questions=loaded.questions)
    assert tables.typed["score_name"].nunique() >= 1


def test_fatebook_multiple_choice_with_the_rest_as_other(corpus):
    done = _import(corpus, "fatebook", IMPORTS / "fatebook" / "export.csv", "--name", "fb")
    assert done.exit_code == 0, done.output
    loaded, claims = _imported(corpus, "fb")
    mc = claims[claims["question_type"] == "multiple_choice"]
    assert len(mc) == 2 and set(mc["outcome_option"]) == {"library"}
    points = loaded.forecast_points
    first = points[points["claim_id"] == mc["claim_id"].iloc[0]]
    assert dict(zip(first["option"], first["p"].round(6), strict=True)) == {
        "library": 0.7, "town-hall": 0.2, "other": 0.1,
    }  # fmt: skip


def test_a_binary_import_keeps_its_columns(corpus):
    """A tracker export with binary questions only writes the claim file it always did."""
    done = _import(corpus, "predictionbook", IMPORTS / "predictionbook" / "public.csv")
    assert done.exit_code == 0, done.output
    header = next(corpus.glob("predictionbook-*.csv")).read_text().splitlines()[0]
    assert "question_type" not in header and "probabilities" not in header


def test_the_cdf_of_a_metaculus_row_is_written_on_the_question_grid():
    read = read_preset("metaculus", IMPORTS / "metaculus" / "forecast_data.csv")
    cdf = read.forecasts.loc[read.forecasts["question_type"] == "date", "cdf"].iloc[0]
    parsed = json.loads(cdf)
    assert len(parsed["x"]) == len(parsed["p"]) == 201
    assert parsed["x"][0] == "2024-01-01" and parsed["x"][-1] == "2025-12-31"


# --- refusals: one line each, file, line and column named, nothing written ---------------------

_MC_HEAD = (
    "Question ID,Forecaster ID,Forecaster Username,Is Bot,Start Time,End Time,Forecaster Count,"
    "Probability Yes,Probability Yes Per Category,Continuous CDF\n"
)


def _cdf(values: list[float]) -> str:
    return '"' + str(values) + '"'


REFUSALS = [
    # preset, file text, extra options, what the line says
    (
        "metaculus",
        _MC_HEAD
        + "503,1001,ada,False,2024-01-10 12:00:00+00:00,,,,,"
        + _cdf([0.0] * 100 + [0.5, 0.4] + [0.9] * 99)
        + "\n",
        "Continuous CDF decreases",
    ),
    (
        "metaculus",
        _MC_HEAD + '505,1001,ada,False,2024-03-01 09:00:00+00:00,,,,"[0.5, 0.4, 0.4]",\n',
        "do not sum to 1",
    ),
    (
        "metaculus",
        "Question ID,Forecaster ID,Forecaster Username,Start Time\n505,1,ada,2024-03-01\n",
        "no column 'Probability Yes'",
    ),
    (
        "gjp",
        '"ifp_id","user_id","forecast_id","answer_option","value","fcast_date"\n'
        '"1002-0","7","-1","a",0.2,"2011-09-02"\n"1002-0","7","-1","b",0.7,"2011-09-02"\n'
        '"1002-0","7","-1","z",0.1,"2011-09-02"\n',
        "answer_option is not an option of the question",
    ),
]


@pytest.mark.parametrize(("preset", "text", "why"), REFUSALS)
def test_bad_typed_input_is_one_line_and_nothing_is_written(corpus, tmp_path, preset, text, why):
    name = {"metaculus": "forecast_data.csv", "gjp": "survey_fcasts.yr9.csv"}[preset]
    questions = {"metaculus": "question_data.csv", "gjp": "ifps.csv"}[preset]
    src = tmp_path / name
    src.write_text(text, "utf-8")
    before = tree_snapshot(corpus)
    done = _import(corpus, preset, src, "--questions", str(IMPORTS / preset / questions))
    assert done.exit_code == 1 and "Traceback" not in done.output
    errors = [line for line in done.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and why in errors[0], done.output
    assert name in errors[0]
    if "no column" not in why:  # a bad row: its line and its column
        assert "line " in errors[0]
    assert tree_snapshot(corpus) == before


def test_team_median_is_for_gjp_only(corpus):
    done = _import(
        corpus, "metaculus", IMPORTS / "metaculus" / "forecast_data.csv", "--team-median"
    )
    assert done.exit_code == 1 and "gjp preset only" in done.output


def test_an_anonymized_metaculus_export_keeps_its_crowd(tmp_path):
    """``Forecaster (Anonymized)``: a sha256 per user, the method's name per aggregate."""
    import csv
    import hashlib
    import io

    rows = list(csv.reader(io.StringIO((IMPORTS / "metaculus" / "forecast_data.csv").read_text())))
    head = ["Question ID", "Forecaster (Anonymized)", *rows[0][3:]]
    body = [
        [r[0], r[2] if r[1] == "" else hashlib.sha256(r[1].encode()).hexdigest(), *r[3:]]
        for r in rows[1:]
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([head, *body])
    (tmp_path / "forecast_data.csv").write_text(buf.getvalue())
    shutil.copy(IMPORTS / "metaculus" / "question_data.csv", tmp_path)
    read = read_preset("metaculus", tmp_path / "forecast_data.csv")
    assert read.ok and len(read.forecasts) == 14
    kinds = read.forecasts.groupby("forecaster_kind")["forecaster_id"].unique()
    assert list(kinds["crowd"]) == ["recency_weighted"]


def test_a_list_of_the_wrong_length_names_the_options_column(tmp_path):
    src = tmp_path / "forecast_data.csv"
    src.write_text(
        _MC_HEAD + '505,1002,grace,False,2024-03-02 09:00:00+00:00,,,,"[0.5, 0.5]",\n', "utf-8"
    )
    read = read_preset("metaculus", src, questions=IMPORTS / "metaculus" / "question_data.csv")
    assert read.summary() == [
        "forecast_data.csv: 1 row: Probability Yes Per Category has not one probability per "
        "option of MC Options (All) (line 2; e.g. '2'); fix the option probabilities or pass "
        "--skip-bad-rows"
    ]
