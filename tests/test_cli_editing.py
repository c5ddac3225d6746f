"""The editing commands: resolve, show, add, import, export --history/--as-of, and concurrency."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main
from forecastkit.records.export import EXPORT_COLUMNS, HISTORY_COLUMNS

from conftest import ROOT, TODAY, tree_snapshot

EVIDENCE = [
    "--evidence",
    "https://example.org/fee-cut",
    "--title",
    "Berth fees cut",
    "--publisher",
    "Port Authority (fictional)",
    "--published",
    "2025-11-02",
    "--quote",
    "Berth fees fall by 10% from December.",
]


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _files(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree_snapshot(root).items() if not k.endswith(".lock")}


def test_resolve_and_revision_say_what_they_did(corpus_dir: Path) -> None:
    first = run(
        "resolve",
        "harbour-2023-fee-cut",
        "--verdict",
        "true",
        "--on",
        "2025-11-02",
        *EVIDENCE,
        "--by",
        "tester",
        "--corpus",
        corpus_dir,
    )
    assert first.exit_code == 0, first.output
    assert first.output.startswith("resolved harbour-2023-fee-cut: true")
    second = run(
        "resolve",
        "harbour-2023-fee-cut",
        "--verdict",
        "annulled",
        "--on",
        "2025-11-02",
        "--note",
        "the terminal opened late",
        "--by",
        "tester",
        "--corpus",
        corpus_dir,
    )
    assert second.exit_code == 0, second.output
    assert "recorded a revision of harbour-2023-fee-cut" in second.output
    assert "supersedes true" in second.output
    shown = run("show", "harbour-2023-fee-cut", "--corpus", corpus_dir)
    assert shown.exit_code == 0, shown.output
    assert "status:        annulled" in shown.output
    assert "1. true on 2025-11-02" in shown.output and "[superseded]" in shown.output
    assert "2. annulled on 2025-11-02" in shown.output and "[current]" in shown.output
    assert "https://example.org/fee-cut" in shown.output


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (
            ["harbour-2023-fee-cut", "--verdict", "true", "--on", "2025-11-02"],
            2,
            "missing --evidence, --title, --publisher, --published, --quote",
        ),
        (
            ["harbour-2023-fee-cut", "--verdict", "ambiguous", "--on", "2025-11-02"],
            2,
            "missing --note",
        ),
        (["harbour-2023-fee-cut", "--on", "2025-11-02", "--note", "x"], 2, "missing --verdict"),
        (
            ["harbour-2023-fee-cut", "--verdict", "annulled", "--on", "2999-01-01", "--note", "x"],
            1,
            "in the future",
        ),
        (
            ["harbour-2023-fee-cut", "--verdict", "annulled", "--on", "2020-01-01", "--note", "x"],
            1,
            "before the claim was made",
        ),
        (
            ["harbour-2023-fee-cut", "--verdict", "annulled", "--on", "someday", "--note", "x"],
            2,
            "is not a date",
        ),
        (["harbour-2023-fee-cut", "--verdict", "maybe", "--on", "2025-11-02"], 2, "maybe"),
        (
            [
                "harbour-2023-dredging-prescription",
                "--verdict",
                "annulled",
                "--on",
                "2025-11-02",
                "--note",
                "x",
            ],
            1,
            "not a forecast",
        ),
        (
            ["no-such-claim", "--verdict", "annulled", "--on", "2025-11-02", "--note", "x"],
            1,
            "no claim with id 'no-such-claim'",
        ),
    ],
)
def test_invalid_resolve_changes_nothing_and_says_why_in_one_line(
    corpus_dir: Path, args: list[str], code: int, words: str
) -> None:
    before = _files(corpus_dir)
    result = run("resolve", *args, "--by", "tester", "--corpus", corpus_dir)
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]
    assert _files(corpus_dir) == before


def test_corpus_folder_as_first_argument(corpus_dir: Path, tmp_path: Path) -> None:
    """Like validate, every editing command takes the corpus folder first (or --corpus)."""
    steps = [
        ("add", "author", corpus_dir, "jo-bloggs", "--name", "Jo Bloggs"),
        (
            "add",
            "source",
            corpus_dir,
            "--title",
            "Outlook",
            "--publisher",
            "Gazette",
            "--byline",
            "jo-bloggs",
            "--published",
            "2025-01-09",
        ),
        (
            "add",
            "claim",
            corpus_dir,
            "--source",
            "2025-01-09-gazette-outlook",
            "--claimant",
            "jo-bloggs",
            "--role",
            "byline author",
            "--quote",
            "q",
            "--proposition",
            "p",
            "--hedge",
            "likely",
            "--resolve-by",
            "2025-06-30",
            "--id",
            "gazette-2025-p",
        ),
        (
            "resolve",
            corpus_dir,
            "gazette-2025-p",
            "--verdict",
            "annulled",
            "--on",
            "2025-07-01",
            "--note",
            "x",
            "--by",
            "tester",
        ),
        ("show", corpus_dir, "gazette-2025-p"),
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.output)
    assert "status:        annulled" in result.output
    # recorded today: checked against the real date (the fixtures' TODAY is before it)
    assert forecastkit.load(corpus_dir).claim("gazette-2025-p")["revisions"] == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["show", "{corpus}", "npi-2024-rate-cut", "--corpus", "{corpus}"],
            "give the corpus folder once",
        ),
        (["show", "{corpus}", "npi-2024-rate-cut", "extra"], "expected [PATH] CLAIM_ID"),
        (
            ["add", "source", "{corpus}", "--corpus", "{corpus}", "--title", "T"],
            "give the corpus folder once",
        ),
        (["import", "{corpus}", "{corpus}"], "is a folder, not a file"),
        (["import", "{corpus}", "{corpus}/README.md"], "unknown format 'md'"),
    ],
)
def test_corpus_argument_mistakes_are_one_line(
    corpus_dir: Path, args: list[str], words: str
) -> None:
    before = _files(corpus_dir)
    result = CliRunner().invoke(main, [a.format(corpus=corpus_dir) for a in args])
    assert result.exit_code in (1, 2)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines
    assert _files(corpus_dir) == before


def test_show_unknown_claim_suggests(corpus_dir: Path) -> None:
    result = run("show", "npi-2024-rate-cat", "--corpus", corpus_dir)
    assert result.exit_code == 1
    assert "did you mean 'npi-2024-rate-cut'" in result.output


def test_add_author_source_claim(corpus_dir: Path) -> None:
    steps = [
        ["add", "author", "jo-bloggs", "--name", "Jo Bloggs", "--alias", "J. Bloggs"],
        [
            "add",
            "source",
            "--title",
            "Ports: the next decade",
            "--publisher",
            "The Harbour Review",
            "--byline",
            "jo-bloggs",
            "--published",
            "2025-01-02",
            "--id",
            "2025-01-02-hr-ports",
        ],
        [
            "add",
            "claim",
            "--source",
            "2025-01-02-hr-ports",
            "--id",
            "hr-2025-fees",
            "--claimant",
            "jo-bloggs",
            "--role",
            "byline author",
            "--quote",
            "Fees will rise.",
            "--proposition",
            "Berth fees rise by 2026-12-31.",
            "--hedge",
            "will",
            "--resolve-by",
            "end of 2026",
            "--deadline-basis",
            "stated",
            "--tag",
            "port",
        ],
    ]
    for step in steps:
        result = run(*step, "--corpus", corpus_dir)
        assert result.exit_code == 0, result.output
    assert "added claim hr-2025-fees" in result.output
    claim = forecastkit.load(corpus_dir).claim("hr-2025-fees")
    assert (claim["claimant_name"], claim["resolve_by"]) == (
        "Jo Bloggs",
        pd.Timestamp("2026-12-31"),
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            [
                "add",
                "claim",
                "--source",
                "2024-01-09-npi-outlook-2024",
                "--claimant",
                "tomas-reyes",
            ],
            "missing --role, --quote, --proposition",
        ),
        (
            [
                "add",
                "claim",
                "--source",
                "2024-01-09-npi-outlook-2024",
                "--claimant",
                "tomas-reyes",
                "--role",
                "quoted expert",
                "--quote",
                "q",
                "--proposition",
                "p",
                "--resolve-by",
                "2026-01-01",
            ],
            "missing --hedge or --probability",
        ),
        (
            [
                "add",
                "claim",
                "--source",
                "2024-01-09-npi-outlook-2024",
                "--claimant",
                "nobody",
                "--role",
                "quoted expert",
                "--quote",
                "q",
                "--proposition",
                "p",
                "--resolve-by",
                "2026-01-01",
                "--hedge",
                "likely",
            ],
            "unknown claimant 'nobody'",
        ),
        (["add", "source", "--title", "T"], "missing --publisher, --byline, --published"),
        (["add", "author", "tomas-reyes", "--name", "T"], "already in authors"),
    ],
)
def test_invalid_add_changes_nothing(corpus_dir: Path, args: list[str], words: str) -> None:
    before = _files(corpus_dir)
    result = run(*args, "--corpus", corpus_dir)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.output
    assert _files(corpus_dir) == before


def test_import_then_export_history_as_of(corpus_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "tracker.csv"
    pd.DataFrame(
        {
            "question": ["Will A happen?", "Will A happen?", "Will B happen?"],
            "who": ["Kim", "Lee", "Kim"],
            "probability": [0.8, 0.3, 0.6],
            "created": ["2023-01-05", "2023-01-06", "2023-02-01"],
            "deadline": ["2023-12-31", "2023-12-31", "2025-06-30"],
            "outcome": ["1", "1", "0"],
            "resolved": ["2023-07-01", "2023-07-01", "2025-06-30"],
        }
    ).to_csv(src, index=False)
    result = run(
        "import",
        src,
        "--format",
        "csv",
        "--name",
        "trk",
        "--map",
        "forecaster=who",
        "--corpus",
        corpus_dir,
    )
    assert result.exit_code == 0, result.output
    assert "imported 3 forecasts on 2 questions by 2 forecasters (3 resolved)" in result.output

    history = run("export", corpus_dir, "--history")
    assert history.exit_code == 0, history.output
    table = pd.read_csv(io.StringIO(history.output))
    assert list(table.columns) == EXPORT_COLUMNS + HISTORY_COLUMNS
    # one row per claim and entry of its question: the two forecasts on "Will A happen?" share
    # its one entry
    loaded = forecastkit.load(corpus_dir)
    assert len(table) == int(loaded.claims["revisions"].sum()) == len(loaded.outcomes) + 1
    assert table[table["question_id"] == "trk-q1"]["claim_id"].tolist() == [
        "trk-000001",
        "trk-000002",
    ]
    volume = table[table["claim_id"] == "harbour-2023-volume-record"]
    assert volume["verdict"].tolist() == ["false", "true"]
    assert volume["current"].tolist() == [False, True]

    as_of = pd.read_csv(io.StringIO(run("export", corpus_dir, "--as-of", "2024-01-01").output))
    assert as_of["made_on"].max() <= "2024-01-01"
    status = as_of.set_index("claim_id")["status"]
    assert status["trk-000001"] == "true"  # resolved 2023-07-01
    assert status["harbour-2023-terminal-opens"] == "open"  # resolved 2024-10-02
    hist_as_of = pd.read_csv(
        io.StringIO(run("export", corpus_dir, "--history", "--as-of", "2024-07-01").output)
    )
    assert hist_as_of["entry_resolved_on"].max() <= "2024-07-01"


def test_import_bad_map_is_one_line(corpus_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("question,user,probability,created,deadline\nQ,u,0.5,2024-01-01,2024-02-01\n")
    before = _files(corpus_dir)
    result = run("import", src, "--map", "forecaster", "--corpus", corpus_dir)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "FIELD=COLUMN" in result.output
    assert _files(corpus_dir) == before


def test_fifty_concurrent_resolves_lose_nothing(corpus_dir: Path) -> None:
    """50 real `forecastkit resolve` processes at once on claims of the same outcome log."""
    exe = Path(sys.executable).with_name("forecastkit")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "forecastkit.cli"]
    claims = [
        "harbour-2023-terminal-opens",
        "harbour-2023-volume-record",
        "harbour-2023-fee-cut",
        "harbour-2023-rail-link",
    ]
    log = corpus_dir / "outcomes" / "2023-03-14-harbour-review-port-expansion.yaml"
    before = forecastkit.load(corpus_dir, today=TODAY).outcomes
    env = {**os.environ, "FORECASTKIT_USER": "concurrency test"}
    start = time.monotonic()
    procs = [
        subprocess.Popen(
            [
                *cmd,
                "resolve",
                claims[i % 4],
                "--verdict",
                "ambiguous",
                "--on",
                "2025-12-01",
                "--note",
                f"run {i}",
                "--corpus",
                str(corpus_dir),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for i in range(50)
    ]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
    elapsed = time.monotonic() - start
    failed = [r for r in results if r[0] != 0]
    assert not failed, failed[:3]
    corpus = forecastkit.load(corpus_dir)  # recorded today, after the fixtures' TODAY
    notes = set(corpus.outcomes["note"].dropna())
    assert {f"run {i}" for i in range(50)} <= notes
    assert len(corpus.outcomes) == len(before) + 50
    assert sum(1 for r in results if "revision" in r[1]) >= 50 - 4  # only first ones can be new
    assert log.read_text().count("- claim:") == 3 + 50
    assert elapsed < 120


def test_cli_starts_without_pandas() -> None:
    """`resolve` and `add` start fast: importing the CLI must not import pandas."""
    code = "import sys, forecastkit.cli; print('pandas' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"
