"""Editing the corpus: resolve, add claim/source/author; round-trip safety and refusals."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
from pathlib import Path

import pytest
import yaml

import forecastkit
from forecastkit.editing.authors import add_author
from forecastkit.editing.claims import add_claim, create_source
from forecastkit.editing.resolve import resolve_claim
from forecastkit.editing.yamledit import append_entries
from forecastkit.editing.yamlrender import render_scalar
from forecastkit.errors import ClaimFileError, CorpusError, EditError, ForecastkitError
from forecastkit.records.dates import parse_user_date

from conftest import ROOT, TODAY, tree_snapshot

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
GOLDEN_FILES = [
    "authors.yaml",
    "2024-05-01-awkward-gazette-outlook.yaml",
    "outcomes/2024-05-01-awkward-gazette-outlook.yaml",
]
EVIDENCE = {
    "url": "https://example.org/fee-cut",
    "title": "Berth fees cut",
    "publisher": "Port Authority (fictional)",
    "published": "2025-11-02",
    "quote": "Berth fees fall by 10% from December.",
}


def _files(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree_snapshot(root).items() if not k.endswith(".lock")}


# --------------------------------------------------------------------------------------------
# resolve


def test_resolve_then_revise(corpus_dir: Path) -> None:
    first = resolve_claim(
        "harbour-2023-fee-cut",
        "true",
        "2025-11-02",
        evidence=[EVIDENCE],
        recorded_by="tester",
        path=corpus_dir,
        today=TODAY,
    )
    assert (first.revision, first.entry, first.previous) == (False, 1, None)
    second = resolve_claim(
        "harbour-2023-fee-cut",
        "annulled",
        "2025-11-02",
        note="the terminal opened late",
        recorded_by="tester",
        path=corpus_dir,
        today=TODAY,
    )
    assert (second.revision, second.entry, second.previous) == (True, 2, "true")
    assert "revision" in second.message
    corpus = forecastkit.load(corpus_dir, today=TODAY)
    claim = corpus.claim("harbour-2023-fee-cut")
    assert (claim["status"], claim["revisions"]) == ("annulled", 2)
    history = corpus.history("harbour-2023-fee-cut")
    assert history["verdict"].tolist() == ["true", "annulled"]
    assert history["current"].tolist() == [False, True]
    assert history["recorded_by"].tolist() == ["tester", "tester"]
    log = corpus_dir / "outcomes" / "2023-03-14-harbour-review-port-expansion.yaml"
    assert second.file == log and log.read_text().splitlines()[second.line - 1].startswith(
        "  - claim:"
    )


def test_resolve_creates_a_log(corpus_dir: Path) -> None:
    log = corpus_dir / "outcomes" / "2024-01-09-npi-outlook-2024.yaml"
    log.unlink()
    done = resolve_claim(
        "npi-2024-rate-cut",
        "true",
        "2024-06-06",
        evidence=[EVIDENCE],
        recorded_by="tester",
        path=corpus_dir,
        today=TODAY,
    )
    assert done.file == log
    text = log.read_text()
    assert text.startswith("# yaml-language-server: $schema=") and "outcomes.schema.json" in text
    assert forecastkit.load(corpus_dir, today=TODAY).claim("npi-2024-rate-cut")["status"] == "true"


def test_resolve_makes_a_missing_outcomes_folder(corpus_dir: Path) -> None:
    """A corpus without outcomes/ (deleted, or never made): resolve made the folder only after
    taking the log's lock in it, so it failed with 'cannot create the lock file ... check the
    folder's permissions'. An outcomes that is a file is one line naming it; nothing written."""
    shutil.rmtree(corpus_dir / "outcomes")
    done = resolve_claim(
        "npi-2024-rate-cut",
        "true",
        "2024-06-06",
        evidence=[EVIDENCE],
        recorded_by="tester",
        path=corpus_dir,
        today=TODAY,
    )
    assert done.file == corpus_dir / "outcomes" / "2024-01-09-npi-outlook-2024.yaml"
    assert forecastkit.load(corpus_dir, today=TODAY).claim("npi-2024-rate-cut")["status"] == "true"
    assert not list(corpus_dir.rglob("*.lock"))

    shutil.rmtree(corpus_dir / "outcomes")
    (corpus_dir / "outcomes").write_text("notes\n")
    before = _files(corpus_dir)
    with pytest.raises(EditError, match="is not a folder") as caught:
        resolve_claim(
            "npi-2024-rate-cut",
            "true",
            "2024-06-06",
            evidence=[EVIDENCE],
            recorded_by="tester",
            path=corpus_dir,
            today=TODAY,
        )
    assert caught.value.file == str(corpus_dir / "outcomes") and "\n" not in str(caught.value)
    assert _files(corpus_dir) == before


def test_resolve_revision_of_a_claim_from_another_log(corpus_dir: Path) -> None:
    # harbour-2023-volume-record already has two entries: the new one is entry 3 and current.
    done = resolve_claim(
        "harbour-2023-volume-record",
        "false",
        "2025-03-14",
        evidence=[EVIDENCE],
        recorded_by="tester",
        path=corpus_dir,
        today=TODAY,
    )
    assert (done.entry, done.previous, done.revision) == (3, "true", True)
    assert (
        forecastkit.load(corpus_dir, today=TODAY).claim("harbour-2023-volume-record")["status"]
        == "false"
    )


@pytest.mark.parametrize(
    ("claim", "verdict", "on", "kwargs", "error", "words"),
    [
        (
            "harbour-2023-fee-cu",
            "true",
            "2025-01-01",
            {"evidence": [EVIDENCE]},
            CorpusError,
            "did you mean 'harbour-2023-fee-cut'",
        ),
        (
            "harbour-2023-dredging-prescription",
            "true",
            "2025-01-01",
            {"evidence": [EVIDENCE]},
            EditError,
            "not a forecast",
        ),
        (
            "harbour-2023-fee-cut",
            "true",
            "2027-01-01",
            {"evidence": [EVIDENCE]},
            EditError,
            "in the future",
        ),
        (
            "harbour-2023-fee-cut",
            "true",
            "2020-01-01",
            {"evidence": [EVIDENCE]},
            EditError,
            "before the claim was made",
        ),
        ("harbour-2023-fee-cut", "true", "2025-01-01", {}, EditError, "needs evidence"),
        (
            "harbour-2023-fee-cut",
            "false",
            "2025-01-01",
            {"evidence": [{**EVIDENCE, "quote": " "}]},
            EditError,
            "evidence needs a quote",
        ),
        ("harbour-2023-fee-cut", "ambiguous", "2025-01-01", {}, EditError, "needs a note"),
        ("harbour-2023-fee-cut", "maybe", "2025-01-01", {"note": "x"}, EditError, "not a verdict"),
        ("harbour-2023-fee-cut", "annulled", "someday", {"note": "x"}, EditError, "not a date"),
        (
            "harbour-2023-fee-cut",
            "true",
            "2025-11-02",
            {"evidence": [{**EVIDENCE, "published": "2027-01-01"}]},
            EditError,
            "published 2027-01-01 is in the future",
        ),
        (
            "harbour-2023-fee-cut",
            "true",
            "2025-11-02",
            {"evidence": [{**EVIDENCE, "url": "example.org/x"}]},
            EditError,
            "not a web address",
        ),
    ],
)
def test_resolve_refusals_write_nothing(
    corpus_dir: Path, claim: str, verdict: str, on: str, kwargs: dict, error: type, words: str
) -> None:
    before = _files(corpus_dir)
    with pytest.raises(error) as caught:
        resolve_claim(
            claim, verdict, on, recorded_by="tester", path=corpus_dir, today=TODAY, **kwargs
        )
    assert words in str(caught.value) and "\n" not in str(caught.value)
    assert _files(corpus_dir) == before


@pytest.mark.parametrize(
    ("broken", "line"),
    [
        ("outcomes:\n  - claim: harbour-2023-fee-cut\n    verdict: true\n   note: x\n", 4),
        ("outcomes:\n  - claim: harbour-2023-fee-cut\n    verdit: true\n", 2),
    ],
)
def test_broken_log_is_reported_not_overwritten(corpus_dir: Path, broken: str, line: int) -> None:
    log = corpus_dir / "outcomes" / "2023-03-14-harbour-review-port-expansion.yaml"
    log.write_text(broken)
    with pytest.raises(ForecastkitError) as caught:
        resolve_claim(
            "harbour-2023-fee-cut",
            "annulled",
            "2025-01-01",
            note="x",
            recorded_by="t",
            path=corpus_dir,
            today=TODAY,
        )
    assert f":{line}" in str(caught.value)
    assert log.read_text() == broken


@pytest.mark.parametrize(
    "odd",
    [
        "- claim: harbour-2023-fee-cut\n",
        "harbour-2023-fee-cut\n",
        "outcomes: harbour-2023-fee-cut\n",
    ],
)
def test_resolve_skips_an_unrelated_log_of_the_wrong_shape(corpus_dir: Path, odd: str) -> None:
    """A hand-broken log elsewhere that mentions the id is no traceback; validate reports it."""
    (corpus_dir / "outcomes" / "zz-broken.yaml").write_text(odd)
    done = resolve_claim(
        "harbour-2023-fee-cut",
        "annulled",
        "2025-01-01",
        note="x",
        recorded_by="t",
        path=corpus_dir,
        today=TODAY,
    )
    assert done.file.name == "2023-03-14-harbour-review-port-expansion.yaml"
    assert (corpus_dir / "outcomes" / "zz-broken.yaml").read_text() == odd


# --------------------------------------------------------------------------------------------
# add


def test_add_source_author_and_claims(corpus_dir: Path) -> None:
    add_author(
        "jo-bloggs", name="Jo Bloggs", affiliation="The Harbour Review (fictional)", path=corpus_dir
    )
    source = create_source(
        title="Ports: the next decade",
        publisher="The Harbour Review (fictional)",
        byline=["jo-bloggs"],
        published="2025-01-02",
        url="https://example.org/next",
        path=corpus_dir,
        today=TODAY,
    )
    assert source.id == "2025-01-02-harbour-review-ports-the-next-decade"
    added = add_claim(
        source.id,
        claimant="jo-bloggs",
        claimant_role="byline author",
        quote="Fees will rise.",
        proposition="Berth fees rise by 2026-12-31.",
        hedge="will",
        resolve_by="end of 2026",
        tags=["port"],
        path=corpus_dir,
        today=TODAY,
    )
    assert added.id == "harbour-review-2025-berth-fees-rise-2026"
    corpus = forecastkit.load(corpus_dir, today=TODAY)
    claim = corpus.claim(added.id)
    assert claim["resolve_by"] == pd_date("2026-12-31")
    assert claim["claimant_name"] == "Jo Bloggs" and claim["tags"] == ("port",)
    assert claim["line"] == added.line


def pd_date(text: str):
    import pandas as pd

    return pd.Timestamp(text)


CLAIM = {
    "claimant": "tomas-reyes",
    "claimant_role": "quoted expert",
    "quote": "q",
    "proposition": "p",
    "hedge": "likely",
    "resolve_by": "2026-01-01",
}


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"claimant": "tomas-reye"}, CorpusError, "did you mean 'tomas-reyes'"),
        ({"claimant": "nobody"}, CorpusError, "forecastkit add author nobody"),
        ({"hedge": "likley"}, ForecastkitError, "unknown hedge"),
        ({"claim_id": "npi-2024-housing"}, CorpusError, "duplicate claim id"),
        ({"claim_id": "Bad Id"}, EditError, "not a valid claim id"),
        ({"resolve_by": "2020-01-01"}, EditError, "before made_on"),
        ({"resolve_by": None}, EditError, "needs resolve_by"),
        ({"hedge": None}, EditError, "hedge"),
        ({"probability": 1.5, "hedge": None}, EditError, "outside [0, 1]"),
        ({"claimant_role": "pundit"}, EditError, "not a claimant role"),
        ({"made_on": "2027-01-01", "resolve_by": "2028-01-01"}, EditError, "in the future"),
    ],
)
def test_add_claim_refusals_write_nothing(
    corpus_dir: Path, change: dict, error: type, words: str
) -> None:
    before = _files(corpus_dir)
    with pytest.raises(error) as caught:
        add_claim(
            "2024-01-09-npi-outlook-2024", **{**CLAIM, **change}, path=corpus_dir, today=TODAY
        )
    assert words in str(caught.value)
    assert _files(corpus_dir) == before


def _add_claim_cli(corpus: Path):
    from click.testing import CliRunner

    from forecastkit.cli import main

    args = ["add", "claim", str(corpus), "--source", "2024-01-09-npi-outlook-2024"]
    for key, value in CLAIM.items():
        args += [f"--{key.replace('_', '-').replace('claimant-role', 'role')}", str(value)]
    return CliRunner().invoke(main, args)


def test_a_claim_file_over_the_size_limit_is_named_not_a_missing_source(corpus_dir: Path) -> None:
    """A claim file over yamlio.MAX_FILE_BYTES is not read; add claim then said "no source with
    id ..." of a source that is there. It names the file and why it cannot be read."""
    from forecastkit.records.yamlio import MAX_FILE_BYTES

    file = corpus_dir / "2024-01-09-npi-outlook-2024.yaml"
    padding = "# " + "x" * 98 + "\n"
    file.write_text(file.read_text("utf-8") + padding * (MAX_FILE_BYTES // 100 + 1), "utf-8")
    before = _files(corpus_dir)
    result = _add_claim_cli(corpus_dir)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert "no source" not in line
    assert re.fullmatch(
        rf"error: {re.escape(str(file))}: source '2024-01-09-npi-outlook-2024' is in a file that "
        r"cannot be read: file is 5\.\d MB, over the 5 MB limit; split it .*",
        line,
    ), line
    file.rename(corpus_dir / "renamed.yaml")  # found by the source id near its top too
    with pytest.raises(ClaimFileError, match="renamed.yaml.*is in a file that cannot be read"):
        add_claim("2024-01-09-npi-outlook-2024", **CLAIM, path=corpus_dir, today=TODAY)
    with pytest.raises(CorpusError, match=r"no source .* \(1 file\(s\) have errors"):
        add_claim("2024-01-09-npi-outlook-2025", **CLAIM, path=corpus_dir, today=TODAY)
    assert _files(corpus_dir) == {
        ("renamed.yaml" if k == file.name else k): v for k, v in before.items()
    }


def test_an_edit_never_writes_a_file_over_the_size_limit(corpus_dir: Path, monkeypatch) -> None:
    """An append that takes a file past the size YAML files are read with was written, and the
    corpus then no longer loaded (and add claim said "no source"): it is refused."""
    from forecastkit.records import yamlio

    file = corpus_dir / "2024-01-09-npi-outlook-2024.yaml"
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", file.stat().st_size + 100)  # the writes' limit
    before = _files(corpus_dir)
    result = _add_claim_cli(corpus_dir)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {file}: the edit would make the file ") and (
        "nothing was written; put further claims in a new source file" in line
    )
    assert _files(corpus_dir) == before


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda p: add_author("ana-lindqvist", name="Ana", path=p), "already in authors"),
        (lambda p: add_author("Ana L", name="Ana", path=p), "not a valid author key"),
        (lambda p: add_author("x", name="X", kind="robot", path=p), "not an author kind"),
        (
            lambda p: create_source(
                title="T", publisher="P", byline=["nobody"], published="2024-01-01", path=p
            ),
            "unknown byline",
        ),
        (
            lambda p: create_source(
                title="Outlook 2024 for the northern economies",
                publisher="P",
                byline=["ana-lindqvist"],
                published="2024-01-09",
                source_id="2024-01-09-npi-outlook-2024",
                path=p,
            ),
            "duplicate source id",
        ),
        (
            lambda p: create_source(
                title="T", publisher="P", byline=["ana-lindqvist"], published="2027-01-01", path=p
            ),
            "in the future",
        ),
        (
            lambda p: create_source(
                title="T", publisher="P", byline=["ana-lindqvist"], published=None, path=p
            ),
            "needs a published date",
        ),
        (
            lambda p: create_source(
                title="T",
                publisher="P",
                byline=["ana-lindqvist"],
                published="2024-01-01",
                url="www.example.org",
                path=p,
            ),
            "not a web address",
        ),
    ],
)
def test_author_and_source_refusals(corpus_dir: Path, call, words: str) -> None:
    before = _files(corpus_dir)
    with pytest.raises(ForecastkitError) as caught:
        call(corpus_dir)
    assert words in str(caught.value)
    assert _files(corpus_dir) == before


# --------------------------------------------------------------------------------------------
# Round trip: golden files


def test_golden_edits(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(GOLDEN / "corpus", corpus)
    resolve_claim(
        "gazette-2024-bridge",
        "true",
        "2025-10-02",
        evidence=[
            {
                "url": "https://example.org/gazette/bridge-cars?day=1#top",
                "title": "Cars cross the bridge: at last",
                "publisher": "The Awkward Gazette (fictional)",
                "published": "2026-03-01",
                "quote": "It's open # finally, for everyone",
            }
        ],
        note="1.0",
        recorded_by="golden test",
        path=corpus,
        today=TODAY,
    )
    resolve_claim(
        "gazette-2024-tram",
        "annulled",
        "2026-01-15",
        note="yes: the plan was withdrawn",
        recorded_by="golden test",
        path=corpus,
        today=TODAY,
    )
    add_author(
        "tomas-reyes",
        name="Tomás Reyes",
        affiliation="Harbour Economics (fictional)",
        aliases=["T. Reyes"],
        path=corpus,
    )
    add_claim(
        "2024-05-01-awkward-gazette-outlook",
        claim_id="gazette-2024-ferry",
        claimant="tomas-reyes",
        claimant_role="quoted expert",
        quote='Reyes: "the ferry will no doubt close"',
        proposition="true",
        criteria="Null if nothing happens",
        hedge="will",
        resolve_by="2026-12-31",
        deadline_phrase="by the end of 2026",
        tags=["transport", "2026"],
        path=corpus,
        today=TODAY,
    )
    for name in GOLDEN_FILES:
        before = (GOLDEN / "corpus" / name).read_text("utf-8")
        after = (corpus / name).read_text("utf-8")
        assert after == (GOLDEN / "expected" / name).read_text("utf-8"), name
        diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:1] in "+-?"]
        assert diff and all(d.startswith("+ ") for d in diff), name  # only added lines
    loaded = forecastkit.load(corpus, today=TODAY)
    assert loaded.claim("gazette-2024-bridge")["status"] == "true"
    assert loaded.claim("gazette-2024-bridge")["revisions"] == 3
    assert loaded.claim("gazette-2024-ferry")["proposition"] == "true"


@pytest.mark.parametrize(
    "value",
    [
        "true",
        "yes",
        "No",
        "null",
        "~",
        "1.0",
        "1e3",
        "0x1f",
        "2024-01-01",
        "12:30",
        "a: b",
        "a #b",
        "#x",
        "- x",
        "[x]",
        "{x}",
        "'q'",
        '"q"',
        "x\ny",
        " lead",
        "trail ",
        "",
        "@at",
        "`tick`",
        "%p",
        "!tag",
        "&a",
        "*a",
        "|",
        ">",
        "?",
        "Tomás",
        "line\ttab",
    ],
)
def test_render_scalar_reads_back(value: str) -> None:
    text = render_scalar(value)
    assert "\n" not in text
    assert yaml.safe_load(f"k: {text}") == {"k": value}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1e-05, "0.00001"), (1.234e-05, "0.00001234"), (-3e-07, "-0.0000003"), (0.5, "0.5"),
     (2.0, "2.0"), (1e15, "1000000000000000.0"), (1e-300, "1.0e-300"), (1e20, "1.0e+20")],
)  # fmt: skip
def test_render_scalar_writes_a_float_as_people_do(value: float, expected: str) -> None:
    """Decimals, not 1.0e-05, within 1e-16 and 1e16; each reads back as the same float."""
    assert render_scalar(value) == expected
    assert yaml.safe_load(f"k: {expected}") == {"k": value}


def test_a_float_key_is_appended_as_text(tmp_path: Path) -> None:
    """A quantile level below 1e-4 is written as the reader reads it back: the text append
    holds (no fallback that might change other lines) and the key is the level."""
    text = "claims:\n- id: a  # kept\n"
    new = {"id": "b", "quantiles": {1e-05: 1, 0.5: 2, 0.99999: 3}}
    out = append_entries(text, "claims", [new], tmp_path / "x.yaml")
    assert out == (
        "claims:\n- id: a  # kept\n- id: b\n  quantiles:\n    0.00001: 1\n    0.5: 2\n"
        "    0.99999: 3\n"
    )
    flow = append_entries("claims: [{id: a}]\n", "claims", [new], tmp_path / "x.yaml")
    from forecastkit.records.yamlio import parse  # keys are read as their text

    levels = parse(flow, tmp_path / "x.yaml").data["claims"][1]["quantiles"]
    assert levels == {"0.00001": 1, "0.5": 2, "0.99999": 3}  # the ruamel fallback, same keys


def test_append_refuses_when_nothing_is_safe(tmp_path: Path) -> None:
    # A scalar where the list belongs: appending would change the meaning of the file.
    with pytest.raises(EditError):
        append_entries("claims: not a list\n", "claims", [{"id": "x"}], tmp_path / "x.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("outcomes:\n", "outcomes:\n  - claim: a\n"),
        ("outcomes: []  # none yet\n", "outcomes:  # none yet\n  - claim: a\n"),
        ("outcomes: null\n", "outcomes:\n  - claim: a\n"),
        ("# only a comment\n", "# only a comment\noutcomes:\n  - claim: a\n"),
        ("outcomes:\n- claim: b\n", "outcomes:\n- claim: b\n- claim: a\n"),
        ("outcomes:\r\n  - claim: b\r\n", "outcomes:\r\n  - claim: b\r\n  - claim: a\r\n"),
        (
            "outcomes:\n  - claim: b\n\n  - claim: c\n",
            "outcomes:\n  - claim: b\n\n  - claim: c\n\n  - claim: a\n",
        ),
        ("outcomes: [{claim: b}]\n", None),  # flow list: ruamel fallback, still the same data
    ],
)
def test_append_entries_forms(tmp_path: Path, text: str, expected: str | None) -> None:
    out = append_entries(text, "outcomes", [{"claim": "a"}], tmp_path / "x.yaml")
    if expected is not None:
        assert out == expected
    data = yaml.safe_load(out)
    assert data["outcomes"][-1] == {"claim": "a"}


def test_parse_error_in_file_to_append_to(tmp_path: Path) -> None:
    with pytest.raises(ClaimFileError) as caught:
        append_entries(
            "outcomes:\n  - claim: [a\n", "outcomes", [{"claim": "a"}], tmp_path / "x.yaml"
        )
    assert caught.value.line is not None


# --------------------------------------------------------------------------------------------
# Dates typed by people


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-12-31", dt.date(2027, 12, 31)),
        ("today", dt.date(2025, 1, 31)),
        ("yesterday", dt.date(2025, 1, 30)),
        ("in two years", dt.date(2027, 1, 31)),
        ("in 1 month", dt.date(2025, 2, 28)),
        ("In 3 Weeks", dt.date(2025, 2, 21)),
        ("10 days ago", dt.date(2025, 1, 21)),
        ("a year ago", dt.date(2024, 1, 31)),
        ("end of 2027", dt.date(2027, 12, 31)),
        ("end of the year", dt.date(2025, 12, 31)),
        ("end of next year", dt.date(2026, 12, 31)),
        ("end of june", dt.date(2025, 6, 30)),
        ("end of Feb 2028", dt.date(2028, 2, 29)),
        ("end of 2027-02", dt.date(2027, 2, 28)),
    ],
)
def test_parse_user_date(text: str, expected: dt.date) -> None:
    assert parse_user_date(text, today=dt.date(2025, 1, 31)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2027-13-01",
        "next tuesday",
        "in some years",
        "2027-06",
        "end of smarch",
        "in 99999 years",
        "",
    ],
)
def test_parse_user_date_refuses(text: str) -> None:
    with pytest.raises(ForecastkitError, match="is not a date"):
        parse_user_date(text, today=dt.date(2025, 1, 31))


def test_add_author_takes_every_kind_of_the_schema(corpus_dir: Path) -> None:
    """The schema, the init README and docs/question-types.md name kind crowd (an aggregate such
    as a platform's community prediction), which add author refused: 'crowd' is not an author
    kind. Every kind of the authors schema is one add author takes, on the command line too."""
    import json

    from click.testing import CliRunner

    from forecastkit.cli import main
    from forecastkit.records.paths import PACKAGE_SCHEMAS

    schema = json.loads((PACKAGE_SCHEMAS / "authors.schema.json").read_text())
    kinds = set(
        schema["properties"]["authors"]["additionalProperties"]["properties"]["kind"]["enum"]
    )
    assert "crowd" in kinds
    from forecastkit.editing.edit import AUTHOR_KINDS

    assert set(AUTHOR_KINDS) == kinds
    result = CliRunner().invoke(
        main,
        ["add", "author", str(corpus_dir), "community", "--name", "Community", "--kind", "crowd"],
    )
    assert result.exit_code == 0, result.output
    authors = forecastkit.load(corpus_dir, today=TODAY).authors.set_index("claimant")
    assert authors.loc["community", "kind"] == "crowd"


def test_resolve_says_one_claim_inherits(tmp_path: Path) -> None:
    """'(question; 1 claim inherit the outcome)': the verb agrees with the count."""
    root = tmp_path / "types"
    shutil.copytree(ROOT / "tests" / "fixtures" / "types", root)
    done = resolve_claim(
        "q-2008-ru-successor-named",
        "annulled",
        "2008-01-02",
        note="the question was withdrawn",
        recorded_by="tester",
        path=root,
        today=TODAY,
    )
    assert done.message.endswith("(question; 1 claim inherits the verdict)"), done.message
