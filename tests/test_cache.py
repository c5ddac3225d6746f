"""The warm cache of the loaded corpus (records/cache.py): a hit gives the same tables as a fresh
load; a changed, added or removed file, a corrupt cache, an earlier day or FORECASTKIT_CACHE=0
reads fresh; concurrent readers and writers always get the corpus; commands that write never
use it."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import ValidationFailed
from forecastkit.records import cache, corpus

from conftest import FIXTURE_CORPUS, TODAY

TABLES = ("claims", "outcomes", "evidence", "sources", "authors", "questions", "forecast_points")
ROW = (
    "id,source_id,claimant,quote,proposition,probability,made_on,resolve_by\n"
    "poll-1,poll-2024,ana-lindqvist,Rates fall,Rates fall,0.7,2024-01-01,2024-12-31\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project (forecastkit.toml) holding the example corpus and one tabular claim file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(cache.ENV, raising=False)
    (tmp_path / "forecastkit.toml").write_text("", "utf-8")
    shutil.copytree(FIXTURE_CORPUS, tmp_path / "claims")
    (tmp_path / "claims" / "poll.csv").write_text(ROW, "utf-8")
    return tmp_path / "claims"


def _entries(root: Path) -> list[Path]:
    return sorted((root.parent / ".forecastkit" / "cache").glob("corpus-*.fkc"))


def _same(a: corpus.Corpus, b: corpus.Corpus) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert (a.files, a.candidates, a.scale) == (b.files, b.candidates, b.scale)


def _fresh_reads_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the claim files were read: the cache was not used")

    monkeypatch.setattr(corpus, "read_claim_files", refuse)


def test_a_hit_is_the_fresh_corpus(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = corpus.load(project, today=TODAY)
    assert not _entries(project)  # the library reads fresh unless asked
    first = corpus.load(project, today=TODAY, cache=True)
    (entry,) = _entries(project)
    _same(first, fresh)
    with monkeypatch.context() as m:
        _fresh_reads_forbidden(m)
        _same(corpus.load(project, today=TODAY, cache=True), fresh)
        assert corpus.check(project, today=TODAY, cache=True)[1] == []
        other = corpus.load(project, "kent", today=TODAY, cache=True)  # the same cache
    _same(other, corpus.load(project, "kent", today=TODAY))
    assert not other.claims["probability"].equals(fresh.claims["probability"])
    assert _entries(project) == [entry]


@pytest.mark.parametrize("change", ["edit", "same-size", "add", "remove", "rename"])
def test_a_changed_file_is_read_fresh(project: Path, change: str) -> None:
    corpus.load(project, today=TODAY, cache=True)
    table = project / "poll.csv"
    if change == "edit":
        table.write_text(ROW.replace("0.7", "0.35"), "utf-8")
    elif change == "same-size":  # the same size, and the old mtime: only the hash tells
        stat = table.stat()
        table.write_text(ROW.replace("0.7", "0.2"), "utf-8")
        os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "add":
        (project / "poll-2.csv").write_text(ROW.replace("poll-1,poll-2024", "poll-2,p2"), "utf-8")
    elif change == "remove":
        table.unlink()
    else:
        table.rename(project / "poll-renamed.csv")
    got = corpus.load(project, today=TODAY, cache=True)
    _same(got, corpus.load(project, today=TODAY))
    claims = got.claims.set_index("claim_id")
    if change in ("edit", "same-size"):
        assert claims.loc["poll-1", "probability"] == (0.35 if change == "edit" else 0.2)
    assert ("poll-2" in claims.index) == (change == "add")
    assert ("poll-1" in claims.index) == (change != "remove")


def test_a_touched_file_with_the_same_content_is_still_a_hit(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = corpus.load(project, today=TODAY, cache=True)
    os.utime(project / "poll.csv", ns=(0, 10**18))
    _fresh_reads_forbidden(monkeypatch)
    _same(corpus.load(project, today=TODAY, cache=True), fresh)


def test_an_earlier_day_reads_fresh(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus.load(project, today=TODAY, cache=True)
    _fresh_reads_forbidden(monkeypatch)
    corpus.load(project, today=TODAY + dt.timedelta(days=30), cache=True)  # later: still valid
    with pytest.raises(AssertionError, match="cache was not used"):
        corpus.load(project, today=TODAY - dt.timedelta(days=1), cache=True)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(project: Path, damage: str) -> None:
    fresh = corpus.load(project, today=TODAY, cache=True)
    (entry,) = _entries(project)
    blob = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip":
        middle = len(blob) - 100
        entry.write_bytes(blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1 :])
    elif damage == "garbage":
        entry.write_bytes(b"not a cache at all")
    else:
        entry.write_bytes(b"")
    assert cache.read(project, TODAY) is None
    _same(corpus.load(project, today=TODAY, cache=True), fresh)
    assert cache.read(project, TODAY) is not None  # rewritten whole


def test_a_failed_write_leaves_no_cache_and_no_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(cache.os, "replace", fail)
        fresh = corpus.load(project, today=TODAY, cache=True)
    folder = project.parent / ".forecastkit" / "cache"
    assert not list(folder.iterdir())  # neither the cache nor its temporary file
    _same(corpus.load(project, today=TODAY, cache=True), fresh)


def test_a_cache_written_behind_holds_the_corpus_as_loaded(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``write_behind`` (the read-only commands): the load returns while the cache is written
    on another thread, from copies of the tables; what the caller then does to its corpus is
    not in the cache, and ``wait`` returns when the file is whole."""
    fresh = corpus.load(project, today=TODAY)
    go = threading.Event()
    arrow = cache._arrow

    def held(frame: pd.DataFrame, name: str) -> object:
        assert go.wait(timeout=60)
        return arrow(frame, name)

    with monkeypatch.context() as m:
        m.setattr(cache, "_arrow", held)
        got = corpus.load(project, today=TODAY, cache=True, write_behind=True)
        assert not _entries(project)  # held: not written yet
        got.claims.loc[0, "line"] = -1  # the caller's own tables
        go.set()
        cache.wait()
    assert len(_entries(project)) == 1
    _fresh_reads_forbidden(monkeypatch)
    _same(corpus.load(project, today=TODAY, cache=True), fresh)


def test_the_environment_turns_the_cache_off(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.ENV, "0")
    corpus.load(project, today=TODAY, cache=True)
    assert not _entries(project)
    monkeypatch.setenv(cache.ENV, "1")
    corpus.load(project, today=TODAY, cache=True)
    assert _entries(project)
    monkeypatch.setenv(cache.ENV, "off")
    _fresh_reads_forbidden(monkeypatch)
    with pytest.raises(AssertionError, match="cache was not used"):
        corpus.load(project, today=TODAY, cache=True)


def test_a_corpus_with_errors_is_never_cached(project: Path) -> None:
    (project / "poll.csv").write_text(ROW.replace("0.7", "70%"), "utf-8")
    for _ in range(2):
        with pytest.raises(ValidationFailed, match="is not a number"):
            corpus.load(project, today=TODAY, cache=True)
    assert not _entries(project)


def test_a_corpus_outside_a_project_is_not_cached(tmp_path: Path) -> None:
    root = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    corpus.load(root, today=TODAY, cache=True)
    assert cache.cache_dir(root) is None and not (tmp_path / ".forecastkit").exists()


def test_commands_that_read_use_it_and_commands_that_write_do_not(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["due", str(project)]).exit_code == 0
    assert _entries(project)

    def refuse(*_args: object) -> None:
        raise AssertionError("a command that writes read the cache")

    with monkeypatch.context() as m:
        m.setattr(cache, "read", refuse)
        done = runner.invoke(
            main,
            ["add", "author", "new-author", "--name", "New Author", "--corpus", str(project)],
        )
    assert done.exit_code == 0, done.output
    got = corpus.load(project, cache=True)
    assert "new-author" in set(got.authors["claimant"])


# --------------------------------------------------------------------------------------------
# Concurrent commands: processes started together on a barrier, no sleeps


def _reader(root: str, cwd: str, rounds: int, barrier, results) -> None:  # noqa: ANN001
    os.chdir(cwd)
    barrier.wait()
    seen = []
    for _ in range(rounds):
        loaded = corpus.load(Path(root), today=TODAY, cache=True)
        seen.append((len(loaded.claims), float(loaded.claims["probability"].sum())))
    results.put(seen)


def _writer(root: str, cwd: str, rounds: int, barrier, results) -> None:  # noqa: ANN001
    """Rewrites the cache again and again: each round a fresh load, written over the last."""
    os.chdir(cwd)
    barrier.wait()
    for _ in range(rounds):
        snap = cache.snapshot(Path(root))
        cache.write(snap, corpus.load(Path(root), today=TODAY), TODAY)
    results.put("written")


def test_concurrent_readers_and_writers_always_get_the_corpus(project: Path) -> None:
    fresh = corpus.load(project, today=TODAY)
    want = (len(fresh.claims), float(fresh.claims["probability"].sum()))
    ctx = multiprocessing.get_context("spawn")
    readers, writers, rounds = 3, 2, 6
    barrier = ctx.Barrier(readers + writers)
    results = ctx.Queue()
    args = (str(project), str(project.parent), rounds, barrier, results)
    procs = [ctx.Process(target=_reader, args=args) for _ in range(readers)]
    procs += [ctx.Process(target=_writer, args=args) for _ in range(writers)]
    for p in procs:
        p.start()
    got = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert got.count("written") == writers
    for seen in (g for g in got if g != "written"):
        assert seen == [want] * rounds
    assert cache.read(project, TODAY) is not None
    assert not list((project.parent / ".forecastkit" / "cache").glob(".tmp-*"))
