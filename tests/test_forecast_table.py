"""Forecast tables (CSV/Parquet) and the `forecastkit score` command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import ClaimFileError
from forecastkit.records.forecast_table import read_forecast_table
from forecastkit.scoring.scores import brier_score

from conftest import FIXTURE_CORPUS

TABLE = """claimant,probability,outcome,made_on,resolved_on,tags
alice,0.8,1,2020-01-01,2020-06-01,econ; war
alice,0.3,FALSE,2020-02-01,2021-06-01,econ
alice,0.6,,2021-01-01,,
bob,0.5,true,2020-01-01,2020-03-01,
bob,0.9,no,2020-01-01,2020-03-01,war
bob,0.7,ambiguous,2020-01-01,2020-03-01,
"""


@pytest.fixture
def table_csv(tmp_path: Path) -> Path:
    path = tmp_path / "forecasts.csv"
    path.write_text(TABLE, "utf-8")
    return path


def test_read_forecast_table(table_csv: Path):
    t = read_forecast_table(table_csv)
    assert t["status"].tolist() == ["true", "false", "open", "true", "false", "ambiguous"]
    assert t["outcome"].tolist()[:2] == [1.0, 0.0] and t["outcome"].isna().tolist()[2]
    assert t["tags"].tolist()[:3] == [("econ", "war"), ("econ",), ()]
    assert str(t["made_on"].dtype).startswith("datetime64")


def test_parquet_reads_like_csv(table_csv: Path, tmp_path: Path):
    parquet = tmp_path / "forecasts.parquet"
    pd.read_csv(table_csv, dtype={"outcome": "string"}).to_parquet(parquet)
    a, b = read_forecast_table(table_csv), read_forecast_table(parquet)
    pd.testing.assert_series_equal(a["status"], b["status"])
    pd.testing.assert_series_equal(a["probability"], b["probability"])


@pytest.mark.parametrize(
    ("content", "by", "message"),
    [
        (
            "claimant,outcome\na,1\n",
            None,
            "forecasts.csv: probability: missing column 'probability'",
        ),
        ("claimant,probability\na,0.2\n", None, "missing column 'outcome'"),
        ("probability,outcome\n0.2,1\n", "claimant", "missing column 'claimant'"),
        ("probability,outcome\n0.2,1\n", "year", "missing column 'made_on'"),
        (
            "probability,outcome\n0.2,1\n70,0\n",
            None,
            "forecasts.csv:3: probability: probability is greater than 1: 70; write 0.7, not 70",
        ),
        (
            "probability,outcome\n0.2,1\nhigh,0\n",
            None,
            "forecasts.csv:3: probability: probability is not a number",
        ),
        (
            "probability,outcome\n0.2,1\n,0\n",
            None,
            "forecasts.csv:3: probability: probability is missing",
        ),
        (
            "probability,outcome\n0.2,1\n0.4,maybe\n",
            None,
            "forecasts.csv:3: outcome: outcome 'maybe' is not an outcome",
        ),
        (
            "probability,outcome,made_on\n0.2,1,12/03/2020\n",
            None,
            "forecasts.csv:2: made_on: '12/03/2020' is not a date; write dates as YYYY-MM-DD",
        ),
    ],
)
def test_forecast_table_errors(tmp_path: Path, content: str, by: str | None, message: str):
    path = tmp_path / "forecasts.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(ClaimFileError) as info:
        read_forecast_table(path, by=by)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_unsupported_file(tmp_path: Path):
    path = tmp_path / "forecasts.xlsx"
    path.write_bytes(b"")
    with pytest.raises(ClaimFileError, match="unsupported file type"):
        read_forecast_table(path)


def _json(result) -> pd.DataFrame:  # noqa: ANN001
    assert result.exit_code == 0, result.output
    return pd.read_json(io.StringIO(result.output))


def test_score_command_on_a_table(table_csv: Path):
    runner = CliRunner()
    t = _json(runner.invoke(main, ["score", str(table_csv), "--format", "json"])).set_index("group")
    assert t.loc["alice", "n_resolved"] == 2 and t.loc["bob", "n_ambiguous"] == 1
    assert t.loc["alice", "brier"] == pytest.approx(brier_score([1, 0], [0.8, 0.3]))
    for col in (
        "group",
        "n",
        "brier",
        "log_score",
        "hit_rate",
        "bss_base_rate",
        "mcb",
        "dsc",
        "unc",
        "brier_low",
        "brier_high",
    ):
        assert col in t.reset_index().columns
    table = runner.invoke(main, ["score", str(table_csv)])
    assert table.exit_code == 0 and "alice *" in table.output and "1 ambiguous" in table.output
    csv = runner.invoke(main, ["score", str(table_csv), "--no-ci", "--format", "csv"])
    assert csv.output.startswith("group,n,") and "brier_low" not in csv.output


def test_score_command_as_of_and_by(table_csv: Path):
    runner = CliRunner()
    early = _json(
        runner.invoke(
            main,
            ["score", str(table_csv), "--as-of", "2020-12-31", "--format", "json", "--by", "tag"],
        )
    ).set_index("group")
    # by the end of 2020 only the first claim (econ, war) and bob's war claim were determined
    assert early.loc["econ", "n_resolved"] == 1 and early.loc["econ", "n_open"] == 1
    assert early.loc["war", "n_resolved"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "publisher"], "missing column 'publisher'"),
        (["--scale", "kent"], "--scale applies to a claims folder"),
        (["--as-of", "31/12/2020"], "is not a date"),
    ],
)
def test_score_command_errors(table_csv: Path, args: list[str], message: str):
    result = CliRunner().invoke(main, ["score", str(table_csv), *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_score_command_on_a_claims_folder(corpus_dir: Path):
    runner = CliRunner()
    t = _json(runner.invoke(main, ["score", str(corpus_dir), "--format", "json", "--min-n", "3"]))
    status = _fixture_forecasts()["status"].value_counts()
    assert t["n"].sum() == status.sum()
    assert t["n_resolved"].sum() == status.get("true", 0) + status.get("false", 0)
    assert t["n_ambiguous"].sum() == status.get("ambiguous", 0)
    assert t["n_annulled"].sum() == status.get("annulled", 0)
    assert t["n_open"].sum() == status.get("open", 0)
    assert (t["low_n"] == (t["n_resolved"] < 3)).all()
    kent = _json(
        runner.invoke(
            main, ["score", str(corpus_dir), "--scale", "kent", "--format", "json", "--no-ci"]
        )
    )
    assert kent["n_resolved"].tolist() == t["n_resolved"].tolist()
    by_publisher = runner.invoke(main, ["score", str(corpus_dir), "--by", "publisher"])
    assert by_publisher.exit_code == 0, by_publisher.output


def _fixture_forecasts() -> pd.DataFrame:
    import forecastkit

    return forecastkit.load(FIXTURE_CORPUS).forecasts()


def test_score_json_is_valid_json_with_nulls(table_csv: Path):
    result = CliRunner().invoke(main, ["score", str(table_csv), "--format", "json"])
    rows = json.loads(result.output)
    assert all("bss_base_rate" in r for r in rows)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--scale", "nope"], 2, "Invalid value for '--scale': unknown scale 'nope'"),
        (["--by", "nope"], 1, "no column 'nope'"),
    ],
)
def test_score_command_errors_on_a_claims_folder(args: list[str], code: int, message: str):
    result = CliRunner().invoke(main, ["score", str(FIXTURE_CORPUS), *args])
    assert result.exit_code == code
    assert result.output.count("\n") == 1 and message in result.output


def test_score_command_on_an_empty_table(tmp_path: Path):
    empty = tmp_path / "empty.csv"
    empty.write_text("claimant,probability,outcome\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(empty)])
    assert result.exit_code == 0 and result.output == "no forecasts to score\n"
