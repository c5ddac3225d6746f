"""The Great Expectations layer: every rule met on the example corpus, each one caught when a
table is corrupted, failures located by file and line, nothing written without --data-docs.

GX runs are slow (seconds to import, about a second per run), so the context is built once per
module and every corruption is planted in one corpus that is validated once.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit import load
from forecastkit.cli import main
from forecastkit.validation.expectations import (
    RULES,
    ExpectationReport,
    ExpectationResult,
    ExpectationRunner,
    Offence,
)

from conftest import FIXTURE_CORPUS, ROOT, TODAY, tree_snapshot

T = pd.Timestamp


@pytest.fixture(scope="module")
def runner() -> ExpectationRunner:
    return ExpectationRunner()


@pytest.fixture(scope="module")
def corpus():
    return load(FIXTURE_CORPUS, today=TODAY)


def test_example_corpus_meets_every_expectation(runner, corpus):
    report = runner.run(corpus, today=TODAY)
    assert report.success, report.render()
    assert len(report.results) == len(RULES)
    assert {r.table for r in report.results} == {
        "claims",
        "outcomes",
        "evidence",
        "sources",
        "authors",
    }
    assert report.render() == f"GX: {len(RULES)} expectations on 5 tables, all met"


# Each case: table, the row (a claim id for claims, else a position), the values planted, the
# message and expectation of the line that must name the row. Every rule is planted once, and
# no two cases interfere (the claim ids changed belong to claims without outcomes).
CLAIM_CASES = [
    (
        "harbour-2023-dredging-prescription",
        {"claim_id": "harbour-2023-rail-link"},
        "claim id 'harbour-2023-rail-link' is used more than once",
        "expect_column_values_to_be_unique",
    ),
    (
        "npi-2024-export-ban",
        {"claim_id": pd.NA},
        "the claim has no id",
        "expect_column_values_to_not_be_null",
    ),
    (
        "harbour-2023-fee-cut",
        {"kind": "forcast"},
        "kind 'forcast' is not a claim kind (forecast, prescription, description, candidate, "
        "rejected)",
        "expect_column_values_to_be_in_set",
    ),
    (
        "npi-2024-election",
        {"claimant_role": "quoted expurt"},
        "claimant_role 'quoted expurt' is not a claimant role (byline author, quoted expert, "
        "quoted official, anonymous source, organisation, other)",
        "expect_column_values_to_be_in_set",
    ),
    (
        "harbour-2023-fee-cut",
        {"status": "pending"},
        "status 'pending' is not a status (open, true, false, ambiguous, annulled)",
        "expect_column_values_to_be_in_set",
    ),
    (
        "npi-2024-recession",
        {"verdict": "yes"},
        "verdict 'yes' is not a verdict (true, false, ambiguous, annulled)",
        "expect_column_values_to_be_in_set",
    ),
    (
        "npi-2024-export-ban",
        {"claimant": "nobody"},
        "claimant 'nobody' is not in the authors registry",
        "expect_column_values_to_be_known_ids",
    ),
    (
        "harbour-2023-rail-link",
        {"probability": 1.2, "probability_low": 1.2, "probability_high": 1.2},
        "probability 1.2 is outside [0, 1]",
        "expect_column_values_to_be_between",
    ),
    (
        "npi-2024-election",
        {"probability": 1.0, "probability_high": 1.0},
        "hedge 'expected to' reads as probability 1, a certainty",
        "expect_column_values_to_be_between",
    ),
    (
        "npi-2024-wage-growth",
        {"probability_low": 0.5},
        "probability 0.325 is below probability_low 0.5",
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    (
        "npi-2024-housing",
        {"probability_high": 0.6},
        "probability 0.675 is above probability_high 0.6",
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    (
        "harbour-2023-fee-cut",
        {"resolve_by": T("2022-12-31")},
        "made_on 2023-03-14 is after resolve_by 2022-12-31",
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    (
        "npi-2024-rate-cut",
        {"resolved_on": T("2023-06-01")},
        "made_on 2024-01-09 is after resolved_on 2023-06-01",
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    (
        "harbour-2023-dredging-prescription",
        {"made_on": T("2027-01-01")},
        "made_on 2027-01-01 is in the future (after 2026-11-22)",
        "expect_column_values_to_be_between",
    ),
    (
        "npi-2024-recession",
        {"resolved_on": T("2027-02-01")},
        "resolved_on 2027-02-01 is in the future (after 2026-11-22)",
        "expect_column_values_to_be_between",
    ),
    (
        "harbour-2023-terminal-opens",
        {"evidence_count": 0},
        "resolved true with no evidence; add the page that shows the outcome",
        "expect_column_values_to_be_between",
    ),
]
#: Planted too, and must NOT fail: an ambiguous verdict needs no evidence.
CLAIM_CONTROLS = [("npi-2024-housing", {"evidence_count": 0})]

OTHER_CASES = [  # table, position, values, message, expectation
    (
        "outcomes",
        0,
        {"question_id": "ghost"},
        "'ghost' is not a question or claim of any claim file",
        "expect_column_values_to_be_known_ids",
    ),
    (
        "outcomes",
        1,
        {"verdict": "maybe"},
        "verdict 'maybe' is not a verdict (true, false, ambiguous, annulled)",
        "expect_column_values_to_be_in_set",
    ),
    (
        "outcomes",
        2,
        {"recorded_on": T("2024-01-01")},
        "resolved_on 2024-12-31 is after recorded_on 2024-01-01",
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    (
        "outcomes",
        3,
        {"resolved_on": T("2027-01-01"), "recorded_on": T("2027-01-01")},
        "resolved_on 2027-01-01 is in the future (after 2026-11-22)",
        "expect_column_values_to_be_between",
    ),
    (
        "outcomes",
        3,
        {},
        "recorded_on 2027-01-01 is in the future (after 2026-11-22)",
        "expect_column_values_to_be_between",
    ),
    (
        "outcomes",
        4,
        {"evidence_count": 0},
        "verdict false with no evidence; add the page that shows the outcome",
        "expect_column_values_to_be_between",
    ),
    (
        "outcomes",
        5,
        {"question_id": pd.NA},
        "the outcome names no question or claim",
        "expect_column_values_to_not_be_null",
    ),
    (
        "evidence",
        0,
        {"question_id": "ghost"},
        "'ghost' is not a question or claim of any claim file",
        "expect_column_values_to_be_known_ids",
    ),
    (
        "evidence",
        7,
        {"published": T("2030-04-02")},
        "published 2030-04-02 is in the future (after 2026-11-22)",
        "expect_column_values_to_be_between",
    ),
    (
        "sources",
        2,
        {},
        "source id '2023-03-14-harbour-review-port-expansion' is used more than once",
        "expect_column_values_to_be_unique",
    ),
    (
        "sources",
        1,
        {"source_id": pd.NA},
        "the source has no id",
        "expect_column_values_to_not_be_null",
    ),
    (
        "sources",
        1,
        {"published": T("2030-01-09")},
        "published 2030-01-09 is in the future (after 2026-11-22)",
        "expect_column_values_to_be_between",
    ),
    (
        "authors",
        4,
        {},
        "author key 'ana-lindqvist' is used more than once",
        "expect_column_values_to_be_unique",
    ),
    (
        "authors",
        1,
        {"kind": "robot"},
        "kind 'robot' is not an author kind (person, organisation, anonymous group)",
        "expect_column_values_to_be_in_set",
    ),
]


def _corrupt(corpus):
    claims = corpus.claims.copy()
    for claim_id, values, *_ in CLAIM_CASES + CLAIM_CONTROLS:
        row = corpus.claims.index[corpus.claims["claim_id"] == claim_id][0]
        for col, value in values.items():
            claims.loc[row, col] = value
    tables = {
        "outcomes": corpus.outcomes.copy(),
        "evidence": corpus.evidence.copy(),
        # a second copy of the first source and author: duplicate keys
        "sources": pd.concat([corpus.sources, corpus.sources.iloc[[0]]], ignore_index=True),
        "authors": pd.concat([corpus.authors, corpus.authors.iloc[[0]]], ignore_index=True),
    }
    for table, pos, values, *_ in OTHER_CASES:
        for col, value in values.items():
            tables[table].loc[pos, col] = value
    return dataclasses.replace(corpus, claims=claims, **tables)


@pytest.fixture(scope="module")
def corrupted(runner, corpus):
    bad = _corrupt(corpus)
    return bad, runner.run(bad, today=TODAY)


def _lines(report: ExpectationReport) -> list[str]:
    return report.render(max_rows=100).splitlines()


@pytest.mark.parametrize(
    ("claim_id", "values", "message", "expectation"),
    CLAIM_CASES,
    ids=[f"{c[0]}-{'-'.join(c[1])}" for c in CLAIM_CASES],
)
def test_claims_corruption_is_named_by_file_and_line(
    corrupted, corpus, claim_id, values, message, expectation
):
    bad, report = corrupted
    row = bad.claims.loc[corpus.claims.index[corpus.claims["claim_id"] == claim_id][0]]
    # the id as the corrupted table has it (some cases change it)
    shown_id = "missing" if row["claim_id"] is pd.NA else row["claim_id"]
    expected = f"{row['file']}:{row['line']}: claim {shown_id}: {message} [{expectation}]"
    assert expected in _lines(report)


@pytest.mark.parametrize(
    ("table", "pos", "values", "message", "expectation"),
    OTHER_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[3][:30]}" for c in OTHER_CASES],
)
def test_other_table_corruption_is_reported(
    corrupted, corpus, table, pos, values, message, expectation
):
    bad, report = corrupted
    row = getattr(bad, table).loc[pos]
    if table in ("outcomes", "evidence"):
        # each outcome entry and each piece of evidence is located at its own line
        at = getattr(corpus, table).loc[pos]
        location = f"{at['file']}:{at['line']}"
        subject = f"{'outcome' if table == 'outcomes' else 'evidence'} for "
        cid = "missing" if row["claim_id"] is pd.NA else row["claim_id"]
        subject += f"{cid} (entry {row['entry']})"
    elif table == "sources":
        location = f"{row['file']}:{row['line']}"
        sid = "missing" if row["source_id"] is pd.NA else row["source_id"]
        subject = f"source {sid}"
    else:
        location = f"{row['file']}:{row['line']}"
        subject = f"author {row['claimant']}"
    assert f"{location}: {subject}: {message} [{expectation}]" in _lines(report)


def test_every_rule_fails_only_on_the_planted_rows(corrupted):
    _, report = corrupted
    assert not report.success
    assert {r.rule for r in report.failed} == set(range(len(RULES)))
    # duplicates flag both rows; every other rule exactly the rows planted for it
    planted = len(CLAIM_CASES) + len(OTHER_CASES) + 3
    assert sum(r.unexpected_count for r in report.failed) == planted
    assert all(r.error is None for r in report.results)
    assert report.summary() == (
        f"GX: {len(RULES)} expectations on 5 tables, {len(RULES)} failed "
        f"({planted} offending row(s))"
    )


def test_render_caps_rows_per_expectation():
    offences = tuple(
        Offence(f"claims/x.yaml:{i}", f"claim c{i}", "claim id 'c' is used more than once")
        for i in range(7)
    )
    result = ExpectationResult(
        "claims", "expect_column_values_to_be_unique", ("claim_id",), False, 7, offences
    )
    lines = ExpectationReport((result,)).render(max_rows=2).splitlines()
    assert lines == [
        "claims/x.yaml:0: claim c0: claim id 'c' is used more than once [expect_column_values_to_be_unique]",
        "claims/x.yaml:1: claim c1: claim id 'c' is used more than once [expect_column_values_to_be_unique]",
        "  ... and 5 more row(s) of claims fail expect_column_values_to_be_unique on claim_id",
        "GX: 1 expectations on 1 tables, 1 failed (7 offending row(s))",
    ]


def test_data_docs_written_only_when_asked(runner, corrupted, tmp_path):
    bad, _ = corrupted
    report = runner.run(bad, today=TODAY, data_docs_dir=tmp_path / "validation")
    assert report.data_docs == (tmp_path / "validation" / "index.html").resolve()
    html = report.data_docs.read_text()
    for table in ("claims", "outcomes", "evidence", "sources", "authors"):
        assert f"forecastkit-{table}" in html
    pages = list((tmp_path / "validation" / "validations").rglob("*.html"))
    assert len(pages) == 5
    assert report.render().splitlines()[-1] == f"Data Docs: {report.data_docs}"


# --------------------------------------------------------------------------------------------
# The command


def test_cli_reports_gx_failures_with_file_and_line_and_writes_nothing(
    corpus_dir, tmp_path, monkeypatch
):
    # Evidence dated in the future: the loader refuses it too (same rules, see
    # test_validate_without_expectations_refuses_what_gx_refuses); switched off here to show how
    # the GX layer reports.
    import forecastkit.records.corpus

    monkeypatch.setattr(forecastkit.records.corpus, "rule_errors", lambda *args, **kw: [])
    log = corpus_dir / "outcomes" / "2023-03-14-harbour-review-port-expansion.yaml"
    log.write_text(log.read_text().replace("published: 2024-10-02", "published: 2030-10-02"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FORECASTKIT_ROOT", str(tmp_path))
    before = tree_snapshot(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(corpus_dir), "--today", str(TODAY)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("ok: 11 claims")
    assert lines[1] == (
        f"error: {log.relative_to(tmp_path)}:7: evidence for harbour-2023-terminal-opens (entry 1): "
        "published 2030-10-02 is in the future (after 2026-11-22) "
        "[expect_column_values_to_be_between]"
    )
    assert lines[-1] == f"GX: {len(RULES)} expectations on 5 tables, 1 failed (1 offending row(s))"
    assert tree_snapshot(tmp_path) == before


def test_cli_data_docs_default_folder(tmp_path, monkeypatch):
    # a corpus in no project, read from no project: $FORECASTKIT_ROOT is the project
    corpus = shutil.copytree(FIXTURE_CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FORECASTKIT_ROOT", str(tmp_path))
    result = CliRunner().invoke(
        main, ["validate", str(corpus), "--today", str(TODAY), "--data-docs"]
    )
    assert result.exit_code == 0, result.output
    index = tmp_path / "reports" / "validation" / "index.html"
    assert result.output.splitlines()[-2:] == [
        f"GX: {len(RULES)} expectations on 5 tables, all met",
        f"Data Docs: {index.resolve()}",
    ]
    assert index.is_file()


@pytest.mark.parametrize(
    "args", [["--help"], ["validate", str(FIXTURE_CORPUS), "--no-expectations"]]
)
def test_gx_is_not_imported_unless_needed(args):
    code = (
        "import sys; from forecastkit.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "assert 'great_expectations' not in sys.modules, 'great_expectations was imported'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout or proc.stdout.startswith("ok: ")


def test_the_loader_layer_finds_what_gx_finds_for_every_rule(corrupted):
    """One rule set, two evaluations: the loader's pandas evaluation of records/rules.py flags the
    same rows, with the same lines, as Great Expectations, for every rule (issue 16)."""
    from forecastkit.records.rules import offences

    bad, report = corrupted
    gx = {(r.rule, o) for r in report.results for o in r.offences}
    mine = set(offences(bad, TODAY))
    assert {i for i, _ in mine} == set(range(len(RULES)))  # the walk covers every rule
    assert mine == gx


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("published: 2024-06-06", "published: 2030-04-02", "published 2030-04-02 is in the future"),
        (
            "published: 2024-06-06",
            "published: 2024-02-30",
            "'2024-02-30' is not a real calendar date",
        ),
    ],
)
def test_validate_without_expectations_refuses_what_gx_refuses(corpus_dir, old, new, words):
    log = corpus_dir / "outcomes" / "2024-01-09-npi-outlook-2024.yaml"
    text = log.read_text()
    assert old in text
    log.write_text(text.replace(old, new, 1))
    before = tree_snapshot(corpus_dir)
    result = CliRunner().invoke(
        main,
        ["validate", str(corpus_dir), "--today", TODAY.isoformat(), "--no-expectations"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert words in result.output and f"{log.name}:" in result.output, result.output
    assert tree_snapshot(corpus_dir) == before


def test_gx_import_leaves_rfc3987_syntax_importable():
    # GX is imported with rfc3987_syntax held off (its grammar takes seconds to build); the
    # block is lifted afterwards, in a fresh process where jsonschema was not imported yet.
    code = (
        "import sys\n"
        "from forecastkit.validation.gx import import_gx\n"
        "import_gx()\n"
        "assert 'great_expectations' in sys.modules\n"
        "assert sys.modules.get('rfc3987_syntax', 'absent') is not None\n"
        "import importlib.util\n"
        "print(importlib.util.find_spec('rfc3987_syntax') is not None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
