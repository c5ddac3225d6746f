"""The result cache of the GX layer (validation/result_cache.py): a repeated validate of the same
corpus reuses the passed run and says so; any change to a corpus file, a table, a suite, the
code, a schema or a version runs GX again; a failure, Data Docs, --no-cache, FORECASTKIT_CACHE=0,
an earlier day, a damaged record or a failed write never serve a record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import forecastkit.records.corpus
from forecastkit import load
from forecastkit.cli import main
from forecastkit.records import cache as corpus_cache
from forecastkit.records.rules import RULES, Rule
from forecastkit.validation import result_cache
from forecastkit.validation.expectations import ExpectationRunner, prepare, run_expectations

from conftest import FIXTURE_CORPUS, TODAY

CLAIMS = "2024-01-09-npi-outlook-2024.yaml"
REUSED = f"GX results of {TODAY} reused"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project (forecastkit.toml) holding the example corpus."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(corpus_cache.ENV, raising=False)
    (tmp_path / "forecastkit.toml").write_text("", "utf-8")
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "claims")
    return tmp_path / "claims"


@pytest.fixture
def gx_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the GX runs (one per report made by GX, not read back)."""
    runs: list[int] = []
    original = ExpectationRunner.run_prepared

    def counted(self, inputs, **kwargs):  # noqa: ANN001, ANN202
        runs.append(1)
        return original(self, inputs, **kwargs)

    monkeypatch.setattr(ExpectationRunner, "run_prepared", counted)
    return runs


def _validate(project: Path, *args: str, today: dt.date = TODAY) -> list[str]:
    done = CliRunner().invoke(main, ["validate", str(project), "--today", str(today), *args])
    return [done.exit_code, *done.output.strip().splitlines()]


def _records(project: Path) -> list[Path]:
    return sorted((project.parent / ".forecastkit" / "cache").glob("gx-*.json"))


def test_a_passed_run_is_reused_and_says_so(project, gx_runs):
    first = _validate(project)
    assert first[0] == 0 and first[-1] == f"GX: {len(RULES)} expectations on 5 tables, all met"
    assert len(gx_runs) == 1 and len(_records(project)) == 1
    again = _validate(project)
    assert again[0] == 0 and len(gx_runs) == 1
    assert again[-2] == first[-1]
    assert again[-1].startswith(REUSED) and "--no-cache" in again[-1]
    assert len(_validate(project, "--no-cache")) == len(first) and len(gx_runs) == 2


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("resolve_by: 2024-06-30", "resolve_by: 2024-07-31"),  # a column GX reads
        ("cut rates before the summer", "cut rates by the summer"),  # text no rule reads
        ("\nclaims:\n", "\nclaims:  # a comment\n"),  # no table changes at all
    ],
    ids=["read-field", "unread-field", "comment"],
)
def test_any_change_to_a_corpus_file_runs_gx_again(project, gx_runs, old, new):
    _validate(project)
    path = project / CLAIMS
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    out = _validate(project)
    assert out[0] == 0 and not out[-1].startswith(REUSED) and len(gx_runs) == 2
    assert _validate(project)[-1].startswith(REUSED) and len(gx_runs) == 2


def test_an_added_file_runs_gx_again(project, gx_runs):
    _validate(project)
    shutil.copy(project / "outcomes" / CLAIMS, project / "outcomes" / "copy.yaml")
    (project / "outcomes" / CLAIMS).unlink()
    assert not _validate(project)[-1].startswith(REUSED) and len(gx_runs) == 2


def test_a_table_changed_in_memory_is_not_served(project, gx_runs):
    corpus = load(project, today=TODAY)
    assert run_expectations(corpus, today=TODAY, reuse=True).reused_from is None
    assert run_expectations(corpus, today=TODAY, reuse=True).reused_from == TODAY.isoformat()
    claims = corpus.claims.copy()
    claims.loc[claims.index[0], "probability"] = 1.5
    changed = dataclasses.replace(corpus, claims=claims)
    report = run_expectations(changed, today=TODAY, reuse=True)
    assert not report.success and report.reused_from is None and len(gx_runs) == 2
    assert not _records(project)  # a failed run forgets the record
    assert run_expectations(corpus, today=TODAY).reused_from is None  # the library: no reuse


def test_the_key_covers_suites_code_schemas_and_versions(project, monkeypatch, tmp_path):
    corpus = load(project, today=TODAY)
    key = result_cache.Slot.of(prepare(corpus, TODAY)).key
    assert result_cache.Slot.of(prepare(corpus, TODAY)).key == key
    assert result_cache.Slot.of(prepare(corpus, TODAY + dt.timedelta(days=3))).key == key
    message = dataclasses.replace(RULES[0], message="another message")
    assert result_cache.Slot.of(prepare(corpus, TODAY, (message, *RULES[1:]))).key != key
    assert result_cache.Slot.of(prepare(corpus, TODAY, RULES[:-1])).key != key
    kent = load(project, "kent", today=TODAY)  # other probabilities from the same files
    assert result_cache.Slot.of(prepare(kent, TODAY)).key != key
    with monkeypatch.context() as m:
        m.setattr(result_cache, "_version", lambda package: f"{package} 0.0")
        assert result_cache.Slot.of(prepare(corpus, TODAY)).key != key
    for name, folder in (("PACKAGE_SCHEMAS", "schemas"), ("_WING", "wing")):
        copy = shutil.copytree(getattr(result_cache, name), tmp_path / folder)
        assert result_cache.Slot.of(prepare(corpus, TODAY)).key == key
        with monkeypatch.context() as m:
            m.setattr(result_cache, name, copy)
            assert result_cache.Slot.of(prepare(corpus, TODAY)).key == key
            first = sorted(p for p in copy.iterdir() if p.suffix in (".json", ".py"))[0]
            first.write_bytes(first.read_bytes() + b"\n")
            assert result_cache.Slot.of(prepare(corpus, TODAY)).key != key


def test_a_later_day_reuses_and_an_earlier_one_runs_gx(project, gx_runs):
    _validate(project)
    later = _validate(project, today=TODAY + dt.timedelta(days=40))
    assert later[-1].startswith(REUSED) and len(gx_runs) == 1
    earlier = _validate(project, today=TODAY - dt.timedelta(days=1))
    assert not earlier[-1].startswith("GX results") and len(gx_runs) == 2


def test_a_rule_that_reads_today_otherwise_keys_the_day(project):
    corpus = load(project, today=TODAY)
    assert result_cache.today_only_as_max(RULES)
    since = Rule(
        "claims",
        "ExpectColumnValuesToBeBetween",
        {"column": "made_on", "min_value": {"$PARAMETER": "today"}},
        "made_on {made_on} is before {today}",
    )
    assert not result_cache.today_only_as_max((*RULES, since))
    rules = (*RULES, since)
    slot = result_cache.Slot.of(prepare(corpus, TODAY, rules))
    assert not slot.monotone
    assert (
        result_cache.Slot.of(prepare(corpus, TODAY + dt.timedelta(days=1), rules)).key != slot.key
    )


@pytest.mark.parametrize("damage", ["truncate", "checksum", "key", "garbage", "empty", "format"])
def test_a_damaged_record_is_a_miss_and_is_rewritten(project, gx_runs, damage):
    _validate(project)
    (record,) = _records(project)
    text = record.read_text("utf-8")
    data = json.loads(text)
    if damage == "truncate":
        record.write_text(text[: len(text) // 2], "utf-8")
    elif damage == "checksum":  # a result changed, the checksum not
        data["body"]["results"][0][0] = "outcomes"
        record.write_text(json.dumps(data), "utf-8")
    elif damage in ("key", "format"):  # changed with a checksum that matches
        if damage == "key":
            data["body"]["key"] = "0" * 64
        else:
            data["body"]["format"] = result_cache.FORMAT + 1
        data["checksum"] = result_cache._checksum(data["body"])
        record.write_text(json.dumps(data), "utf-8")
    elif damage == "garbage":
        record.write_bytes(b"\xff\xfe not json")
    else:
        record.write_bytes(b"")
    assert not _validate(project)[-1].startswith(REUSED) and len(gx_runs) == 2
    assert _validate(project)[-1].startswith(REUSED) and len(gx_runs) == 2


def test_a_failed_write_leaves_no_record_and_no_error(project, gx_runs, monkeypatch):
    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(result_cache.os, "replace", fail)
        out = _validate(project)
    assert out[0] == 0 and out[-1].endswith("all met")
    folder = project.parent / ".forecastkit" / "cache"
    assert not list(folder.glob("gx-*")) and not list(folder.glob(".tmp-*.json"))
    assert not _validate(project)[-1].startswith(REUSED) and len(gx_runs) == 2


def test_a_failed_run_is_never_served(project, gx_runs, monkeypatch):
    _validate(project)
    monkeypatch.setattr(forecastkit.records.corpus, "rule_errors", lambda *args, **kw: [])
    log = project / "outcomes" / CLAIMS
    log.write_text(log.read_text().replace("published: 2024-06-06", "published: 2030-04-02"))
    for runs in (2, 3):
        out = _validate(project)
        assert out[0] == 1 and "in the future" in "\n".join(out[1:]) and len(gx_runs) == runs
        assert not _records(project)


def test_data_docs_and_the_environment_run_gx(project, gx_runs, monkeypatch):
    _validate(project)
    out = _validate(project, "--data-docs")
    assert out[-1].startswith("Data Docs:") and len(gx_runs) == 2
    assert not any(line.startswith("GX results") for line in out[1:])
    monkeypatch.setenv(corpus_cache.ENV, "0")
    assert not _validate(project)[-1].startswith(REUSED) and len(gx_runs) == 3


def test_a_corpus_outside_a_project_has_no_record(tmp_path, gx_runs):
    root = shutil.copytree(FIXTURE_CORPUS, tmp_path / "claims")
    corpus = load(root, today=TODAY)
    assert result_cache.Slot.of(prepare(corpus, TODAY)) is None
    for _ in range(2):
        assert run_expectations(corpus, today=TODAY, reuse=True).reused_from is None
    assert len(gx_runs) == 2 and not (tmp_path / ".forecastkit").exists()
