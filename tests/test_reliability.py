"""Reliability (issue 16): bad input ends in a one-line located error, never a traceback; dates of
years 1-9999 work everywhere; nothing outside the corpus is read or echoed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main

from conftest import TODAY, tree_snapshot

NPI = "2024-01-09-npi-outlook-2024.yaml"


def cli(*args: str):
    """Run a command in-process; a Python exception escaping the CLI fails the test."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# --------------------------------------------------------------------------------------------
# Dates: years 1 to 9999 load, score, export and print; "no deadline" is NaT


EXTREME_DATES = [
    ("0001-01-01", "9999-12-31"),  # the whole range of datetime.date
    ("2024-01-09", "9999-12-31"),  # PredictionBook's "never" deadline
    ("2024-01-09", "2263-01-01"),  # just past the nanosecond limit (2262-04-11)
    ("1677-09-21", "2030-01-01"),  # just before the nanosecond limit's start
]


@pytest.mark.parametrize(("made_on", "resolve_by"), EXTREME_DATES)
def test_dates_of_any_year_load_score_export_and_print(
    corpus_dir: Path, tmp_path: Path, made_on: str, resolve_by: str
) -> None:
    _edit(
        corpus_dir / NPI,
        "    resolve_by: 2029-01-09",
        f"    made_on: {made_on}\n    resolve_by: {resolve_by}",
    )
    corpus = forecastkit.load(corpus_dir, today=TODAY)
    row = corpus.claim("npi-2024-export-ban")
    assert corpus.claims["resolve_by"].dtype == "datetime64[s]"
    assert row["resolve_by"] == pd.Timestamp(resolve_by)
    assert row["made_on"] == pd.Timestamp(made_on)
    day = TODAY.isoformat()
    for args in (
        ["validate", "--no-expectations"],
        ["score"],
        ["due", "--within", "10000000"],
        ["export"],
        ["export", "--as-of", "2025-01-01"],
        ["export", "--history"],
        ["show", "npi-2024-export-ban"],
    ):
        result = cli(
            args[0],
            str(corpus_dir),
            *args[1:],
            *(["--today", day] if args[0] in ("validate", "due") else []),
        )
        assert result.exit_code == 0, (args, result.output)
    shown = cli("show", str(corpus_dir), "npi-2024-export-ban").output
    assert f"made on:       {made_on}" in shown and resolve_by in shown
    out = tmp_path / "claims.parquet"
    result = cli("export", str(corpus_dir), "--format", "parquet", "--output", str(out))
    assert result.exit_code == 0
    back = pd.read_parquet(out).set_index("claim_id").loc["npi-2024-export-ban"]
    assert back["resolve_by"] == pd.Timestamp(resolve_by)


def test_no_deadline_is_nat_and_dates_are_seconds() -> None:
    from forecastkit.records.dates import to_seconds

    values = to_seconds([dt.date(1, 1, 1), None, dt.date(9999, 12, 31), "2024-02-29"])
    assert str(values.dtype) == "datetime64[s]"
    assert values.isna().tolist() == [False, True, False, False]
    assert values.iloc[2] == pd.Timestamp("9999-12-31")


def test_due_within_any_number_of_days_does_not_overflow(corpus_dir: Path) -> None:
    from forecastkit.records.due import due_claims

    corpus = forecastkit.load(corpus_dir, today=TODAY)
    for within in (0, 10**5, 10**9):
        due_claims(corpus, today=TODAY, within=within)
    assert due_claims(corpus, today=dt.date(9999, 12, 31), within=10).shape[0] >= 1


# --------------------------------------------------------------------------------------------
# Bounds and refusals in the YAML reader and the schemas: one line naming file and line


def _claim_line(path: Path, key: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if key in line)


BAD_YAML = [  # (old text, new text, words of the one-line error, on the line of `anchor`)
    (
        "    tags: [rates]",
        "    tags: " + "[" * 900 + "]" * 900,
        "nested more than 16 levels deep",
        "    tags: ",
    ),
    (
        "    tags: [rates]",
        "    tags: !!python/name:os.system [rates]",
        "YAML tags such as '!!python/name:os.system' are not allowed",
        "    tags: ",
    ),
    ("    tags: [rates]", "    tags: !!binary aGk=", "YAML tags such as '!!binary'", "    tags: "),
    ("    tags: [rates]", "    tags: !custom [rates]", "YAML tags such as '!custom'", "    tags: "),
    ("  id: 2024-01-09-npi-outlook-2024", "  id: " + "a" * 300, "is too long", "  id: aaa"),
    ("  - id: npi-2024-rate-cut", "  - id: " + "r" * 101, "is too long", "  - id: rrr"),
    (
        "    quote: The central bank is likely to cut rates before the summer.",
        "    quote: " + "x" * 20_001,
        "over the 20,000 limit",
        "    quote: xxx",
    ),
    (
        "    made_on: 2024-01-09\n",
        "    made_on: 2024-02-30\n",
        "not a real calendar date",
        "2024-02-30",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "words", "anchor"), BAD_YAML, ids=[w[:30] for _, _, w, _ in BAD_YAML]
)
def test_bad_claim_files_get_one_located_line(
    corpus_dir: Path, old: str, new: str, words: str, anchor: str
) -> None:
    path = corpus_dir / NPI
    if old.startswith("    made_on"):  # the fixture has no made_on: add one
        old, new = "    resolve_by: 2024-06-30\n", "    resolve_by: 2024-06-30\n" + new
    _edit(path, old, new)
    before = tree_snapshot(corpus_dir)
    result = cli("validate", str(corpus_dir), "--today", TODAY.isoformat(), "--no-expectations")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert words in first and f"{NPI}:{_claim_line(path, anchor)}:" in first, result.output
    assert len(first) < 400 and "Traceback" not in result.output
    assert tree_snapshot(corpus_dir) == before


def test_reserved_claimant_keys_are_refused_by_validate(corpus_dir: Path) -> None:
    from forecastkit.records.layout import RESERVED_KEYS

    for key in RESERVED_KEYS:
        authors = corpus_dir / "authors.yaml"
        text = authors.read_text()
        authors.write_text(text + f"  {key}:\n    name: Someone\n    kind: person\n")
        result = cli("validate", str(corpus_dir), "--today", TODAY.isoformat(), "--no-expectations")
        assert result.exit_code == 1 and f"'{key}' is a reserved key" in result.output
        assert f"authors.yaml:{len(text.splitlines()) + 1}:" in result.output
        authors.write_text(text)


def test_an_outcome_for_a_prescription_is_refused(corpus_dir: Path) -> None:
    log = corpus_dir / "outcomes" / "2023-03-14-harbour-review-port-expansion.yaml"
    text = log.read_text()
    entry = text.split("outcomes:\n", 1)[1].split("\n  - ", 1)[0]
    claim = entry.split("claim: ", 1)[1].split("\n", 1)[0]
    copy = entry.replace(claim, "harbour-2023-dredging-prescription").lstrip(" -")
    log.write_text(text + "  - " + copy + "\n")
    result = cli("validate", str(corpus_dir), "--today", TODAY.isoformat(), "--no-expectations")
    assert result.exit_code == 1
    assert "'harbour-2023-dredging-prescription' is a prescription, not a forecast" in result.output


# --------------------------------------------------------------------------------------------
# Files outside the corpus: never followed, never echoed

SECRET = "root:x:0:0:root:/root:/bin/bash daemon secret-line\n"


@pytest.mark.parametrize("target", ["authors.yaml", NPI, "outcomes/" + NPI, "poll.csv"])
def test_links_out_of_the_corpus_are_not_read_or_echoed(
    corpus_dir: Path, tmp_path: Path, target: str
) -> None:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    link = corpus_dir / target
    if link.exists():
        link.unlink()
    link.symlink_to(secret)
    for args in (["validate", "--no-expectations"], ["score"], ["export"], ["due"]):
        result = cli(args[0], str(corpus_dir), *args[1:])
        assert "root:x" not in result.output and "secret-line" not in result.output
        assert result.exit_code == 1, (args, result.output)
        assert f"{link.name}: a link to a file outside the corpus folder" in result.output


def test_links_inside_the_corpus_are_followed(corpus_dir: Path) -> None:
    (corpus_dir / "sub").mkdir()
    (corpus_dir / NPI).rename(corpus_dir / "sub" / NPI)
    (corpus_dir / "linked.yaml").symlink_to(corpus_dir / "sub" / NPI)
    (corpus_dir / "sub" / NPI).rename(corpus_dir / "sub" / "real.txt")
    (corpus_dir / "linked.yaml").unlink()
    (corpus_dir / "linked.yaml").symlink_to(corpus_dir / "sub" / "real.txt")
    assert len(forecastkit.load(corpus_dir, today=TODAY).claims) == 11


# --------------------------------------------------------------------------------------------
# Editing commands

CLAIM_ARGS = [
    "--source",
    "2024-01-09-npi-outlook-2024",
    "--claimant",
    "tomas-reyes",
    "--role",
    "quoted expert",
    "--quote",
    "q",
    "--proposition",
    "Rents rise",
    "--hedge",
    "probably",
    "--resolve-by",
    "2025-12-31",
    "--deadline-basis",
    "stated",
]

REFUSED_EDITS = [  # (arguments after the corpus, words of the one-line error)
    (["add", "claim", *CLAIM_ARGS, "--id", ""], "the claim id is empty"),
    (["add", "claim", *CLAIM_ARGS, "--id", "c" * 300], "is not a valid claim id"),
    (
        [
            "add",
            "source",
            "--title",
            "T",
            "--publisher",
            "P",
            "--published",
            "2024-01-01",
            "--byline",
            "tomas-reyes",
            "--id",
            "s" * 300,
        ],
        "is not a valid source id",
    ),
    (
        [
            "add",
            "source",
            "--title",
            "T",
            "--publisher",
            "P",
            "--published",
            "2024-01-01",
            "--byline",
            "tomas-reyes",
            "--id",
            "",
        ],
        "the source id is empty",
    ),
    (["add", "author", "overview", "--name", "O"], "'overview' is a reserved key"),
    (["add", "author", "index", "--name", "I"], "'index' is a reserved key"),
    (["add", "author", "manifest", "--name", "M"], "'manifest' is a reserved key"),
    (["add", "author", "a" * 261, "--name", "A"], "is not a valid author key"),
]


@pytest.mark.parametrize(("args", "words"), REFUSED_EDITS, ids=[w for _, w in REFUSED_EDITS])
def test_bad_edits_are_refused_in_one_line_and_write_nothing(
    corpus_dir: Path, args: list[str], words: str
) -> None:
    before = tree_snapshot(corpus_dir)
    result = cli(*args[:2], str(corpus_dir), *args[2:]) if args[0] == "add" else cli(*args)
    assert result.exit_code != 0 and words in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert tree_snapshot(corpus_dir) == before


def test_report_refuses_a_key_too_long_for_a_file_name(corpus_dir: Path, tmp_path: Path) -> None:
    result = cli("report", str(corpus_dir), "--author", "k" * 261, "--output", str(tmp_path / "r"))
    assert result.exit_code != 0 and "is not a claimant key" in result.output
    assert "Errno" not in result.output and not (tmp_path / "r").exists()


VERBATIM = [
    "  leading and trailing  ",
    "next\x85line",
    "line\u2028separator",
    "tab\there",
    "\r\ncarriage\r",
    "ends with a space ",
]


@pytest.mark.parametrize("text", VERBATIM, ids=[repr(t) for t in VERBATIM])
def test_quotes_and_notes_are_stored_verbatim(corpus_dir: Path, text: str) -> None:
    args = [a if a != "q" else text for a in CLAIM_ARGS]
    result = cli("add", "claim", str(corpus_dir), *args, "--notes", text, "--id", "verbatim-1")
    assert result.exit_code == 0, result.output
    result = cli(
        "resolve",
        str(corpus_dir),
        "verbatim-1",
        "--verdict",
        "false",
        "--on",
        "2026-01-01",
        "--note",
        text,
        "--by",
        "tester",
        "--evidence",
        "https://e.org/x",
        "--title",
        "T",
        "--publisher",
        "P",
        "--published",
        "2026-01-01",
        "--quote",
        text,
    )
    assert result.exit_code == 0, result.output
    corpus = forecastkit.load(corpus_dir)
    claim = corpus.claim("verbatim-1")
    assert claim["quote"] == text and claim["notes"] == text
    assert corpus.history("verbatim-1")["note"].iloc[-1] == text
    assert corpus.evidence[corpus.evidence["claim_id"] == "verbatim-1"]["quote"].iloc[-1] == text


@pytest.mark.parametrize(
    "name",
    [
        "&a",
        "%percent",
        "*star",
        "!bang",
        "@at",
        "`tick",
        "|pipe",
        "- dash",
        "? what",
        "yes",
        "null",
        "1e3",
        "a: b",
        "#hash",
    ],
)
def test_author_names_that_mean_something_in_yaml_are_quoted(corpus_dir: Path, name: str) -> None:
    result = cli("add", "author", str(corpus_dir), "odd-name", "--name", name)
    assert result.exit_code == 0, result.output
    authors = forecastkit.load(corpus_dir).authors.set_index("claimant")
    assert authors.loc["odd-name", "name"] == name


EDITS = [
    ["add", "author", "{corpus}", "jo-x", "--name", "Jo X"],
    ["add", "claim", "{corpus}", *CLAIM_ARGS],
    [
        "add",
        "source",
        "{corpus}",
        "--title",
        "T",
        "--publisher",
        "P",
        "--published",
        "2024-01-01",
        "--byline",
        "tomas-reyes",
    ],
    [
        "resolve",
        "{corpus}",
        "harbour-2023-rail-link",
        "--verdict",
        "ambiguous",
        "--on",
        "2026-01-01",
        "--note",
        "n",
        "--by",
        "t",
    ],
]


@pytest.mark.parametrize("args", EDITS, ids=[" ".join(a[:2]) for a in EDITS])
def test_every_edit_names_the_file_it_wrote_and_leaves_no_lock(
    corpus_dir: Path, args: list[str]
) -> None:
    before = tree_snapshot(corpus_dir)
    result = cli(*[a.replace("{corpus}", str(corpus_dir)) for a in args])
    assert result.exit_code == 0, result.output
    after = tree_snapshot(corpus_dir)
    written = [name for name in after if after[name] != before.get(name)]
    assert len(written) == 1 and written[0].endswith(".yaml")
    assert written[0] in result.output.replace(str(corpus_dir) + "/", "")
    assert not list(corpus_dir.rglob("*.lock"))


def test_a_lock_left_by_a_killed_edit_holds_nothing(corpus_dir: Path) -> None:
    (corpus_dir / "authors.yaml.lock").write_text("")  # what kill -9 mid-edit leaves
    result = cli("add", "author", str(corpus_dir), "jo-x", "--name", "Jo X")
    assert result.exit_code == 0, result.output
    assert not list(corpus_dir.rglob("*.lock"))


# --------------------------------------------------------------------------------------------
# Which corpus: the nearest at or above the working directory, then $FORECASTKIT_ROOT, never
# the checkout


@pytest.mark.parametrize(
    ("layout", "stand_in", "expected"),
    [
        ("project", ".", "claims"),  # a project folder with claims/
        ("project", "claims", "claims"),  # inside the corpus
        ("project", "claims/outcomes", "claims"),  # deeper inside it
        ("project", "notes/deep", "claims"),  # elsewhere in the project
        ("bare", ".", "."),  # a corpus folder of its own (authors.yaml)
        ("bare", "outcomes", "."),
    ],
)
def test_commands_use_the_nearest_corpus(
    corpus_dir: Path, tmp_path: Path, monkeypatch, layout: str, stand_in: str, expected: str
) -> None:
    from forecastkit.records.paths import claims_dir

    base = corpus_dir.parent if layout == "project" else corpus_dir
    (base / stand_in).mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(base / stand_in)
    monkeypatch.setenv("FORECASTKIT_ROOT", str(tmp_path / "elsewhere"))
    assert claims_dir() == (base / expected).resolve()
    result = cli("add", "author", "jo-x", "--name", "Jo X")  # no PATH
    assert result.exit_code == 0, result.output
    assert "jo-x:" in (base / expected / "authors.yaml").read_text()
    assert "authors.yaml" in result.output


def test_then_forecastkit_root_never_the_checkout(tmp_path: Path, monkeypatch) -> None:
    from forecastkit.errors import ProjectError
    from forecastkit.records.paths import claims_dir

    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    monkeypatch.chdir(nowhere)
    (tmp_path / "root" / "claims").mkdir(parents=True)
    monkeypatch.setenv("FORECASTKIT_ROOT", str(tmp_path / "root"))
    assert claims_dir() == (tmp_path / "root" / "claims").resolve()
    monkeypatch.delenv("FORECASTKIT_ROOT")
    with pytest.raises(ProjectError, match="forecastkit init"):
        claims_dir()


# --------------------------------------------------------------------------------------------
# Atomic writes: a kill -9 mid-write leaves the old file whole


def test_a_kill_during_a_write_leaves_the_old_file_whole(corpus_dir: Path) -> None:
    import signal
    import subprocess
    import sys

    target = corpus_dir / "authors.yaml"
    old = target.read_bytes()
    child = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from forecastkit.records import atomic\n"
        "def stop(src, dst):\n"  # the new text is on disk, not yet renamed: wait to be killed
        "    print('written', flush=True); sys.stdin.read()\n"
        "atomic.os.replace = stop\n"
        f"atomic.write_bytes_atomic(Path({str(target)!r}), b'authors: {{}}\\n' * 100000)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", child], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "written"  # waits on the child, no sleep
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert target.read_bytes() == old
    leftovers = list(corpus_dir.glob(".authors.yaml.*.tmp"))
    assert leftovers  # what a kill leaves: a hidden temporary file, which the loader ignores
    assert len(forecastkit.load(corpus_dir, today=TODAY).authors) == 4


def test_report_views_take_dates_at_the_ends_of_the_range() -> None:
    from forecastkit.reports.timelines import axis_end

    def frame(made: list[str | None], deadline: list[str | None]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "made_on": pd.Series(made, dtype="datetime64[s]"),
                "resolved_on": pd.Series([None] * len(made), dtype="datetime64[s]"),
                "resolve_by": pd.Series(deadline, dtype="datetime64[s]"),
            }
        )

    assert axis_end(frame(["9995-01-01", "0001-01-01"], ["9999-12-31", None])) == pd.Timestamp(
        "9999-12-31"
    )
    assert axis_end(frame(["2024-01-01"], ["9999-12-31"])) == pd.Timestamp("2034-01-01")


MIXED_DATES = [  # a tabular claim file whose date column mixes forms: one error per bad row
    (["2024-01-01", "2024/01/05", "05 Jan 2024"], [3, 4]),
    (["2024-01-01", "2024-02-30", "2024-01-01T10:00"], [3, 4]),
    (["9999-12-31", "0001-01-01", "1 Jan 2024"], [4]),
]


@pytest.mark.parametrize(("made_on", "bad_lines"), MIXED_DATES)
def test_mixed_dates_in_a_tabular_file_are_refused_row_by_row(
    corpus_dir: Path, made_on: list[str], bad_lines: list[int]
) -> None:
    import csv

    fields = [
        "id",
        "source_id",
        "claimant",
        "claimant_role",
        "quote",
        "proposition",
        "hedge",
        "made_on",
        "resolve_by",
        "source_title",
        "publisher",
    ]
    with (corpus_dir / "poll.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(fields)
        for i, day in enumerate(made_on):
            writer.writerow(
                [
                    f"poll-{i}",
                    "poll-2024",
                    "tomas-reyes",
                    "quoted expert",
                    "q",
                    "p",
                    "likely",
                    day,
                    "9999-12-31",
                    "Poll",
                    "Poll Inc",
                ]
            )
    result = cli("validate", str(corpus_dir), "--today", TODAY.isoformat(), "--no-expectations")
    assert result.exit_code == 1 and "Traceback" not in result.output
    found = sorted({int(m) for m in re.findall(r"poll\.csv:(\d+): made_on:", result.output)})
    assert found == bad_lines, result.output


@pytest.mark.parametrize(
    ("linked", "args"),
    [
        (
            "outcomes",
            [
                "resolve",
                "{corpus}",
                "harbour-2023-rail-link",
                "--verdict",
                "ambiguous",
                "--on",
                "2026-01-01",
                "--note",
                "n",
                "--by",
                "t",
            ],
        ),
        ("authors.yaml", ["add", "author", "{corpus}", "jo-x", "--name", "Jo X"]),
        ("2024-01-09-npi-outlook-2024.yaml", ["add", "claim", "{corpus}", *CLAIM_ARGS]),
    ],
)
def test_edits_never_go_through_a_link_out_of_the_corpus(
    corpus_dir: Path, tmp_path: Path, linked: str, args: list[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (corpus_dir / linked).rename(outside / linked)
    (corpus_dir / linked).symlink_to(outside / linked)
    before = tree_snapshot(outside)
    result = cli(*[a.replace("{corpus}", str(corpus_dir)) for a in args])
    assert result.exit_code == 1, result.output
    assert "a link in the corpus folder leads outside it; nothing was written" in result.output
    assert tree_snapshot(outside) == before
