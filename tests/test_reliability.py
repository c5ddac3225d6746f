"""Reliability (issue 16): bad input ends in a one-line located error, never a traceback; dates of
years 1-9999 work everywhere; nothing outside the corpus is read or echoed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import forecastkit
from conftest import TODAY, tree_snapshot
from forecastkit.cli import main

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
    assert cli("export", str(corpus_dir), "--format", "parquet", "--output", str(out)).exit_code == 0
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
