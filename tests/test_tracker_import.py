"""`forecastkit import FILE --from NAME`: each preset's sample file into a corpus that validates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main
from forecastkit.editing.tracker import author_keys, slug

from conftest import FIXTURE_CORPUS, ROOT, tree_snapshot

IMPORTS = ROOT / "tests" / "fixtures" / "imports"
GOOD = [  # preset, file, extra options
    ("predictionbook", "predictionbook/public.csv", []),
    ("gjp", "gjp/survey_fcasts.yr1.csv", []),
    ("metaculus", "metaculus/forecast_data.csv", []),
    ("fatebook", "fatebook/export.csv", []),
    ("fatebook", "fatebook/import.csv", ["--forecaster", "Ada Lovelace"]),
]
BAD = [
    (
        "predictionbook",
        "predictionbook/bad-public.csv",
        ["--questions", str(IMPORTS / "predictionbook" / "questions.csv")],
    ),
    ("gjp", "gjp/bad-survey_fcasts.yr2.csv", ["--questions", str(IMPORTS / "gjp" / "ifps.csv")]),
    (
        "metaculus",
        "metaculus/bad-forecast_data.csv",
        ["--questions", str(IMPORTS / "metaculus" / "question_data.csv")],
    ),
    ("fatebook", "fatebook/bad-import.csv", ["--forecaster", "Ada Lovelace"]),
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    return root


def _import(root: Path, preset: str, file: str, extra: list[str]):
    return CliRunner().invoke(
        main, ["import", str(root), str(IMPORTS / file), "--from", preset, *extra]
    )


@pytest.mark.parametrize(("preset", "file", "extra"), GOOD)
def test_a_preset_import_validates_and_keeps_updates_on_one_question(corpus, preset, file, extra):
    done = _import(corpus, preset, file, extra)
    assert done.exit_code == 0, done.output
    assert "imported" in done.output and "wrote" in done.output
    checked = CliRunner().invoke(main, ["validate", str(corpus), "--no-expectations"])
    assert checked.exit_code == 0, checked.output
    loaded = forecastkit.load(corpus)
    imported = loaded.claims[loaded.claims["file"].str.endswith(".csv")]
    assert len(imported) > 0
    # every imported forecast names a question of the file; resolved ones carry the tracker
    assert imported["question_id"].str.contains("-q-").all()
    resolved = imported[imported["status"].isin(["true", "false"])]
    assert (resolved["evidence_count"] == 1).all()
    ev = loaded.evidence[loaded.evidence["question_id"].isin(resolved["question_id"])]
    assert set(ev["kind"]) == {"tracker"}


def test_repeated_forecasts_are_updates_on_one_question(corpus):
    done = _import(corpus, "predictionbook", "predictionbook/public.csv", [])
    assert done.exit_code == 0, done.output
    claims = forecastkit.load(corpus).claims
    imported = claims[claims["file"].str.endswith(".csv")]
    per = imported.groupby(["question_id", "claimant"]).size()
    assert (per > 1).any(), "the sample file has a forecaster who updates a forecast"


@pytest.mark.parametrize(("preset", "file", "extra"), BAD)
def test_bad_rows_are_all_reported_and_nothing_is_written(corpus, preset, file, extra):
    before = tree_snapshot(corpus)
    done = _import(corpus, preset, file, extra)
    assert done.exit_code == 1
    errors = [line for line in done.output.splitlines() if line.startswith("error: ")]
    assert errors and all(" rows: " in e or " row: " in e for e in errors), done.output
    assert "Traceback" not in done.output
    assert "nothing was written" in done.output
    assert tree_snapshot(corpus) == before


@pytest.mark.parametrize(("preset", "file", "extra"), BAD)
def test_skip_bad_rows_imports_the_rest_and_keeps_the_rejected(corpus, preset, file, extra):
    before = tree_snapshot(corpus)
    done = _import(corpus, preset, file, [*extra, "--skip-bad-rows"])
    if "no forecast to import" in done.output:  # a sample whose every row is bad
        assert done.exit_code == 1 and tree_snapshot(corpus) == before
        # ... says which rows and why, with --skip-bad-rows too (it said "see the messages
        # above" over no message)
        errors = [line for line in done.output.splitlines() if line.startswith("error: ")]
        assert any(" row: " in e or " rows: " in e for e in errors), done.output
        assert "no forecast to import: every row is bad" in done.output
        return
    assert done.exit_code == 0, done.output
    rejected = list(corpus.glob("*.rejected.tsv"))
    assert len(rejected) == 1 and "skipped" in done.output
    table = pd.read_csv(rejected[0], sep="\t", dtype=str)
    assert len(table) > 0 and table["problems"].notna().all()
    assert CliRunner().invoke(main, ["validate", str(corpus), "--no-expectations"]).exit_code == 0


@pytest.mark.parametrize(
    ("preset", "header", "why"),
    [
        (
            "predictionbook",
            "question_id,user_id,probability,timestamp,close_time\n",
            "the file has no rows",
        ),
        ("fatebook", "questionTitle,forecast,qCreatedAt,resolution\n", "the file has no rows"),
    ],
)
def test_nothing_to_import_says_why_in_one_line(corpus, tmp_path, preset, header, why):
    file = tmp_path / "export.csv"
    file.write_text(header, "utf-8")
    questions = (
        IMPORTS / "metaculus" / "question_data.csv"
        if preset == "metaculus"
        else IMPORTS / "predictionbook" / "questions.csv"
    )
    before = tree_snapshot(corpus)
    done = _import(
        corpus,
        preset,
        str(file),
        ["--forecaster", "Ann"] if preset == "fatebook" else ["--questions", str(questions)],
    )
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert f"no forecast to import: {why}" in done.output, done.output
    assert "see the messages above" not in done.output
    assert tree_snapshot(corpus) == before


def test_a_second_import_reuses_the_forecasters_keys_through_their_aliases(corpus):
    first = _import(corpus, "predictionbook", "predictionbook/public.csv", ["--name", "pb-one"])
    second = _import(corpus, "predictionbook", "predictionbook/public.csv", ["--name", "pb-two"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "0 authors added" in second.output
    authors = forecastkit.load(corpus).authors
    assert authors["aliases"].str.startswith("predictionbook:").sum() > 0
    assert not authors["claimant"].duplicated().any()


def test_an_import_never_overwrites(corpus):
    first = _import(corpus, "predictionbook", "predictionbook/public.csv", ["--name", "pb"])
    assert first.exit_code == 0
    again = _import(corpus, "predictionbook", "predictionbook/public.csv", ["--name", "pb"])
    assert again.exit_code == 1 and "imports never overwrite" in again.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--map", "question=title"], "are for exports without --from"),
        (["--percent"], "are for exports without --from"),
    ],
)
def test_options_of_the_other_import_are_refused_with_from(corpus, options, message):
    done = _import(corpus, "predictionbook", "predictionbook/public.csv", options)
    assert done.exit_code == 2 and message in done.output


def test_preset_only_options_need_from(corpus):
    done = CliRunner().invoke(
        main, ["import", str(corpus), str(IMPORTS / "generic" / "forecasts.csv"), "--skip-bad-rows"]
    )
    assert done.exit_code == 2 and "need --from NAME" in done.output


@pytest.mark.parametrize(
    ("name", "want"),
    [
        ("Matt", "matt"),
        ("Ann O'Neil", "ann-o-neil"),
        ("\u200b", "forecaster"),
        ("  ", "forecaster"),
        ("overview", "overview-2"),
        ("index", "index-2"),
        ("Zoë Müller", "zoe-muller"),
        ("Tomás Ñúñez", "tomas-nunez"),  # were 'zo-m-ller', 'tom-s-ez'
    ],
)
def test_author_keys_are_readable_and_never_a_report_name(name, want):
    keys, new = author_keys(
        pd.DataFrame({"forecaster_id": ["7"], "forecaster_name": [name]}), "predictionbook", {}
    )
    assert keys["7"] == want
    assert new[want]["aliases"] == ["predictionbook:7"]


def test_author_keys_reuse_a_known_alias_and_avoid_taken_keys():
    known = {"matt": {"name": "Matt", "aliases": ["predictionbook:1"]}}
    frame = pd.DataFrame({"forecaster_id": ["1", "2"], "forecaster_name": ["Matt", "Matt"]})
    keys, new = author_keys(frame, "predictionbook", known)
    assert keys == {"1": "matt", "2": "matt-2"} and list(new) == ["matt-2"]


@pytest.mark.parametrize(
    ("value", "want"), [("12345", "12345"), ("Q 1/2", "q-1-2"), ("---", ""), ("a" * 80, "a" * 60)]
)
def test_slug(value, want):
    assert slug(value) == want


def test_skip_bad_rows_never_overwrites_earlier_rejected_rows(corpus):
    stale = corpus / "pb.rejected.tsv"
    stale.write_text("kept\n")
    done = _import(
        corpus,
        "predictionbook",
        "predictionbook/bad-public.csv",
        [
            "--name",
            "pb",
            "--skip-bad-rows",
            "--questions",
            str(IMPORTS / "predictionbook" / "questions.csv"),
        ],
    )
    assert done.exit_code == 1 and "rejected rows of an earlier import" in done.output
    assert stale.read_text() == "kept\n" and not (corpus / "pb.csv").exists()


def test_the_generic_import_never_makes_a_report_name_a_key(corpus, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "question,forecaster,probability,created,deadline\n"
        "Will it rain?,overview,0.7,2024-01-02,2024-03-01\n"
    )
    done = CliRunner().invoke(main, ["import", str(corpus), str(export), "--name", "rain"])
    assert done.exit_code == 0, done.output
    keys = set(forecastkit.load(corpus).authors["claimant"])
    assert "overview" not in keys and "overview-2" in keys


@pytest.mark.parametrize("preset", [None, "predictionbook", "gjp", "metaculus", "fatebook"])
def test_a_zip_that_is_no_zip_is_one_line(corpus, tmp_path, preset):
    """A .zip export that is no zip archive (a failed download) was a BadZipFile traceback, with
    --from and without (--format csv reads the table through pandas' zip support)."""
    file = tmp_path / "public.csv.zip"
    file.write_bytes(b"<html>429 Too Many Requests</html>\n" * 10)
    before = tree_snapshot(corpus)
    args = ["--from", preset, "--questions", str(file)] if preset else ["--format", "csv"]
    args += ["--forecaster", "Ann"] if preset == "fatebook" else []
    done = CliRunner().invoke(main, ["import", str(corpus), str(file), *args])
    assert done.exit_code == 1, done.output
    assert done.output.count("\n") == 1 and "Traceback" not in done.output, done.output
    assert f"error: {file}: cannot read the file" in done.output
    assert tree_snapshot(corpus) == before
