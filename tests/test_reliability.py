"""Reliability (issue 16): bad input ends in a one-line located error, never a traceback; dates of
years 1-9999 work everywhere; nothing outside the corpus is read or echoed."""

from __future__ import annotations

import datetime as dt
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
def test_dates_of_any_year_load_score_export_and_print(corpus_dir: Path, tmp_path: Path,
                                                        made_on: str, resolve_by: str) -> None:
    _edit(corpus_dir / NPI, "    resolve_by: 2029-01-09",
          f"    made_on: {made_on}\n    resolve_by: {resolve_by}")
    corpus = forecastkit.load(corpus_dir, today=TODAY)
    row = corpus.claim("npi-2024-export-ban")
    assert corpus.claims["resolve_by"].dtype == "datetime64[s]"
    assert row["resolve_by"] == pd.Timestamp(resolve_by)
    assert row["made_on"] == pd.Timestamp(made_on)
    day = TODAY.isoformat()
    for args in (["validate", "--no-expectations"], ["score"], ["due", "--within", "10000000"],
                 ["export"], ["export", "--as-of", "2025-01-01"], ["export", "--history"],
                 ["show", "npi-2024-export-ban"]):
        result = cli(args[0], str(corpus_dir), *args[1:], *(["--today", day] if args[0] in
                                                             ("validate", "due") else []))
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
    ("    tags: [rates]", "    tags: " + "[" * 900 + "]" * 900, "nested more than 16 levels deep",
     "    tags: "),
    ("    tags: [rates]", "    tags: !!python/name:os.system [rates]",
     "YAML tags such as '!!python/name:os.system' are not allowed", "    tags: "),
    ("    tags: [rates]", "    tags: !!binary aGk=", "YAML tags such as '!!binary'", "    tags: "),
    ("    tags: [rates]", "    tags: !custom [rates]", "YAML tags such as '!custom'", "    tags: "),
    ("  id: 2024-01-09-npi-outlook-2024", "  id: " + "a" * 300, "is too long", "  id: aaa"),
    ("  - id: npi-2024-rate-cut", "  - id: " + "r" * 101, "is too long", "  - id: rrr"),
    ("    quote: The central bank is likely to cut rates before the summer.",
     "    quote: " + "x" * 20_001, "over the 20,000 limit", "    quote: xxx"),
    ("    made_on: 2024-01-09\n", "    made_on: 2024-02-30\n", "not a real calendar date",
     "2024-02-30"),
]


@pytest.mark.parametrize(("old", "new", "words", "anchor"), BAD_YAML,
                         ids=[w[:30] for _, _, w, _ in BAD_YAML])
def test_bad_claim_files_get_one_located_line(corpus_dir: Path, old: str, new: str, words: str,
                                              anchor: str) -> None:
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
def test_links_out_of_the_corpus_are_not_read_or_echoed(corpus_dir: Path, tmp_path: Path,
                                                       target: str) -> None:
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
