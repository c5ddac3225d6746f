"""Tabular claim files (CSV/Parquet) in the loader, and importing a tracker's export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import forecastkit
from forecastkit.editing.importing import find_columns, import_forecasts
from forecastkit.errors import ForecastkitError, ParameterError, ValidationFailed
from forecastkit.records.lexicon import read_hedge
from forecastkit.records.tabular import read_claim_table

from conftest import TODAY, tree_snapshot

ROW = {
    "id": "poll-1",
    "source_id": "poll-2024",
    "claimant": "ana-lindqvist",
    "claimant_role": "quoted expert",
    "quote": "Rates fall, 70%",
    "proposition": "Rates fall",
    "probability": "0.7",
    "hedge": "",
    "made_on": "2024-01-01",
    "resolve_by": "2024-12-31",
    "tags": "rates; poll",
    "source_title": "Poll 2024",
    "publisher": "Poll Inc",
    "verdict": "true",
    "resolved_on": "2024-11-01",
    "evidence_url": "https://example.org/e",
    "evidence_title": "T",
    "evidence_publisher": "P",
    "evidence_published": "2024-11-01",
    "evidence_quote": "Q",
}
OPEN_ROW = {
    **ROW,
    "id": "poll-2",
    "claimant": "tomas-reyes",
    "probability": "",
    "hedge": "likely",
    "tags": "",
    "verdict": "",
    "resolved_on": "",
    "evidence_url": "",
    "evidence_title": "",
    "evidence_publisher": "",
    "evidence_published": "",
    "evidence_quote": "",
}


def _write(path: Path, rows: list[dict]) -> Path:
    frame = pd.DataFrame(rows)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_loader_reads_tabular_claims(corpus_dir: Path, suffix: str) -> None:
    _write(corpus_dir / f"poll{suffix}", [ROW, OPEN_ROW])
    corpus = forecastkit.load(corpus_dir, today=TODAY)
    one, two = corpus.claim("poll-1"), corpus.claim("poll-2")
    assert (one["status"], one["probability"], one["tags"], one["line"]) == (
        "true",
        0.7,
        ("rates", "poll"),
        2,
    )
    assert one["claimant_name"] == "Ana Lindqvist" and one["evidence_count"] == 1
    assert (two["status"], two["hedge"], two["line"]) == ("open", "likely", 3)
    assert two["probability"] == pytest.approx(read_hedge("likely", corpus.scale).point)
    assert corpus.sources.set_index("source_id").loc["poll-2024", "publisher"] == "Poll Inc"
    assert corpus.evidence[corpus.evidence["claim_id"] == "poll-1"]["url"].tolist() == [
        ROW["evidence_url"]
    ]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"id": "Poll 1"}, "id", "not allowed"),
        ({"probability": "70"}, "probability", "outside the allowed range"),
        ({"probability": "high"}, "probability", "not a number"),
        ({"made_on": "2024-02-30"}, "made_on", "not a real calendar date"),
        ({"resolve_by": "2023-01-01"}, "resolve_by", "before made_on"),
        ({"hedge": "likley", "probability": ""}, "hedge", "unknown hedge"),
        ({"hedge": "", "probability": ""}, "hedge", "needs a hedge"),
        ({"verdict": "yes"}, "verdict", "not one of"),
        ({"resolved_on": ""}, "resolved_on", "needs resolved_on"),
        ({"verdict": "ambiguous"}, "note", "needs a note"),
        ({"claimant_role": "pundit"}, "claimant_role", "not a claimant role"),
        ({"evidence_quote": ""}, "evidence_quote", "evidence needs quote"),
        ({"source_title": "Other"}, "source_id", "other title"),
    ],
)
def test_bad_rows_name_line_and_column(
    tmp_path: Path, change: dict, field: str, words: str
) -> None:
    path = _write(tmp_path / "poll.csv", [OPEN_ROW, {**ROW, **change}])
    with pytest.raises(ForecastkitError) as caught:
        read_claim_table(path)
    error = caught.value.errors[0] if isinstance(caught.value, ValidationFailed) else caught.value
    assert (error.line, error.field) == (3, field)  # row 2 of the data, after the header
    assert words in str(error)


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([{**ROW, "colour": "x"}], "unknown column"),
        ([{k: v for k, v in ROW.items() if k != "claimant"}], "missing column 'claimant'"),
        ([ROW, ROW], "duplicate claim id"),
    ],
)
def test_bad_tables(tmp_path: Path, rows: list[dict], words: str) -> None:
    with pytest.raises(ForecastkitError, match=words):
        read_claim_table(_write(tmp_path / "poll.csv", rows))


def test_loader_reports_tabular_cross_file_errors(corpus_dir: Path) -> None:
    _write(corpus_dir / "poll.csv", [{**ROW, "id": "npi-2024-housing", "claimant": "nobody"}])
    _corpus, errors = forecastkit.records.corpus.check(corpus_dir, today=TODAY)
    text = " | ".join(str(e) for e in errors)
    assert "duplicate claim id 'npi-2024-housing'" in text and "unknown claimant 'nobody'" in text


def test_loader_reports_every_bad_row_of_a_table(corpus_dir: Path) -> None:
    """`validate` lists each bad row of a table with its line, not just the first one."""
    _write(
        corpus_dir / "poll.csv", [{**ROW, "probability": "70%"}, {**OPEN_ROW, "hedge": "likley"}]
    )
    _corpus, errors = forecastkit.records.corpus.check(corpus_dir, today=TODAY)
    assert not any(isinstance(e, ValidationFailed) for e in errors)
    found = sorted((e.line, e.field) for e in errors)
    assert found == [(2, "probability"), (3, "hedge")]
    assert all(e.hint for e in errors)


# --------------------------------------------------------------------------------------------
# Import


def _export(n_questions: int = 3, per_question: int = 4) -> pd.DataFrame:
    rows = []
    for q in range(n_questions):
        for k in range(per_question):
            rows.append(
                {
                    "Question Title": f"Will event {q} happen?",
                    "user_name": f"Forecaster Nº{k}",
                    "forecast": round(0.1 + 0.2 * k, 2),
                    "created_at": f"2023-0{q + 1}-1{k}T08:30:00Z",
                    "close_date": f"2024-0{q + 1}-28",
                    "resolution": ["yes", "no", ""][q],
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_import_makes_a_corpus_that_loads_and_scores(
    corpus_dir: Path, tmp_path: Path, fmt: str
) -> None:
    src = tmp_path / f"tracker.{fmt}"
    _write(src, _export().to_dict("records"))
    result = import_forecasts(src, fmt=fmt, name="tracker", path=corpus_dir, today=TODAY)
    assert (
        result.claims,
        result.sources,
        result.forecasters,
        result.authors_added,
        result.resolved,
    ) == (12, 3, 4, 4, 8)
    assert result.file == corpus_dir / f"tracker.{fmt}"
    corpus = forecastkit.load(corpus_dir, today=TODAY)
    imported = corpus.claims[corpus.claims["source_id"].str.startswith("tracker-")]
    assert len(imported) == 12
    assert sorted(imported["status"].unique()) == ["false", "open", "true"]
    assert set(imported["claimant_name"]) == {f"Forecaster Nº{k}" for k in range(4)}
    first = corpus.claim("tracker-000001")
    assert (first["made_on"], first["resolve_by"]) == (
        pd.Timestamp("2023-01-10"),
        pd.Timestamp("2024-01-28"),
    )
    assert first["probability"] == pytest.approx(0.1)
    from forecastkit.scoring.grouped import score_table

    scores = score_table(corpus.forecasts(), "claimant", ci=False).set_index("group")
    keys = corpus.authors[corpus.authors["name"].str.startswith("Forecaster")]["claimant"]
    assert len(keys) == 4
    assert scores.loc[list(keys), "n_resolved"].tolist() == [2, 2, 2, 2]  # q0 and q1 of 3


def test_import_again_under_the_same_name_is_refused(corpus_dir: Path, tmp_path: Path) -> None:
    src = _write(tmp_path / "tracker.csv", _export().to_dict("records"))
    import_forecasts(src, name="tracker", path=corpus_dir, today=TODAY)
    before = tree_snapshot(corpus_dir)
    with pytest.raises(ForecastkitError, match="exists"):
        import_forecasts(src, name="tracker", path=corpus_dir, today=TODAY)
    assert tree_snapshot(corpus_dir) == before
    # a second name reuses the forecasters already in authors.yaml
    again = import_forecasts(src, name="tracker-2", path=corpus_dir, today=TODAY)
    assert again.authors_added == 0


@pytest.mark.parametrize(
    ("change", "mapping", "words"),
    [
        ({"forecast": 70}, {}, "outside [0, 1]"),
        ({"created_at": "yesterday"}, {}, "not a date"),
        ({"resolution": "maybe"}, {}, "not an outcome"),
        ({"close_date": "2020-01-01"}, {}, "deadline is before"),
        ({}, {"forecaster": "nope"}, "no column 'nope'"),
    ],
)
def test_import_refusals_write_nothing(
    corpus_dir: Path, tmp_path: Path, change: dict, mapping: dict, words: str
) -> None:
    rows = _export().to_dict("records")
    rows[5].update(change)
    src = _write(tmp_path / "tracker.csv", rows)
    before = tree_snapshot(corpus_dir)
    with pytest.raises(ForecastkitError) as caught:
        import_forecasts(src, name="tracker", mapping=mapping, path=corpus_dir, today=TODAY)
    assert words in str(caught.value)
    if change:
        assert caught.value.line == 7  # row 6 of the data
    assert tree_snapshot(corpus_dir) == before


def test_import_percent_and_mapping(corpus_dir: Path, tmp_path: Path) -> None:
    frame = _export().rename(columns={"user_name": "who"})
    frame["forecast"] = frame["forecast"] * 100
    src = _write(tmp_path / "t.csv", frame.to_dict("records"))
    import_forecasts(
        src, name="pct", mapping={"forecaster": "who"}, percent=True, path=corpus_dir, today=TODAY
    )
    corpus = forecastkit.load(corpus_dir, today=TODAY)
    assert corpus.claim("pct-000002")["probability"] == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("columns", "mapping", "expected"),
    [
        (
            ["question", "user", "probability", "created", "deadline"],
            {},
            {
                "question": "question",
                "forecaster": "user",
                "probability": "probability",
                "created": "created",
                "deadline": "deadline",
            },
        ),
        (
            [
                "Question Name",
                "membership_username",
                "Forecast",
                "Created At",
                "Close Time",
                "Resolution",
            ],
            {},
            {
                "question": "Question Name",
                "forecaster": "membership_username",
                "probability": "Forecast",
                "created": "Created At",
                "deadline": "Close Time",
                "outcome": "Resolution",
            },
        ),
        (
            ["q", "u", "p", "c", "d"],
            {"question": "q", "forecaster": "u", "created": "c", "deadline": "d"},
            {
                "question": "q",
                "forecaster": "u",
                "probability": "p",
                "created": "c",
                "deadline": "d",
            },
        ),
    ],
)
def test_find_columns(columns: list[str], mapping: dict, expected: dict) -> None:
    assert find_columns(columns, mapping) == expected


def test_find_columns_names_what_is_missing() -> None:
    with pytest.raises(ParameterError, match="no column for deadline"):
        find_columns(["question", "user", "probability", "created"])


# --- tables a spreadsheet or a failed download leaves behind ------------------------------------

_HEADER = ",".join(ROW)
_LINE = ",".join(f'"{v}"' for v in ROW.values())
_TWO_LINES = _LINE.replace("Rates fall,", "Rates\nfall,", 1)  # a quote over two lines


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('a,b\n"x",1\n', None),
        ('a,b\n"x ""quoted"" y",1\n"open,2\n', 3),  # "" inside a value is a quote
        ('a,b\r\n"two\r\nlines",1\r\n3,"open\r\n4,5\r\n', 4),  # opens mid-row, CRLF
        ('a,b\nx"y,1\n"open\n', 3),  # a quote inside an unquoted value is text
    ],
)
def test_unclosed_quote_line(text: str, line: int | None) -> None:
    from forecastkit.records.tabular_io import unclosed_quote_line

    assert unclosed_quote_line(text) == line


@pytest.mark.parametrize(
    ("name", "content", "where", "words"),
    [
        ("mine.csv", f"{_HEADER}\n{_LINE}\n{_LINE},x,y\n".encode(), ":3:", "fields where"),
        ("mine.csv", f'{_HEADER}\n{_LINE}\n"poll-3,un\n'.encode(), "mine.csv:3:", "never closed"),
        (  # a value over two lines before it: pandas' "row 3" is line 5 (where the quote opens)
            "mine.csv",
            f'{_HEADER}\n{_LINE}\n{_TWO_LINES}\n"poll-3,un\npoll-4,no quotes here\n'.encode(),
            "mine.csv:5:",
            "quoted value starts here and is never closed",
        ),
        (
            "mine.csv",
            f"{_HEADER}\n{_LINE}\n".encode() + "caf\u00e9".encode("latin-1"),
            ":3:",
            "not UTF-8 text (byte 0xe9",
        ),
        ("mine.csv", b"", ":1:", "no header row"),
        (
            "mine.csv",
            f"{_HEADER},probability\n{_LINE},0.5\n".encode(),
            ":1: probability:",
            "appears twice",
        ),
        ("mine.parquet", b"PAR1 not really parquet", "mine.parquet:", "not a Parquet file"),
    ],
)
def test_an_unreadable_table_is_one_line_at_its_line(corpus_dir, name, content, where, words):
    from click.testing import CliRunner

    from forecastkit.cli import main

    (corpus_dir / name).write_bytes(content)
    before = tree_snapshot(corpus_dir)
    result = CliRunner().invoke(main, ["validate", str(corpus_dir), "--no-expectations"])
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error")]
    assert len(lines) == 1 and where in lines[0] and words in lines[0], result.output
    assert "Traceback" not in result.output
    assert tree_snapshot(corpus_dir) == before


def test_an_upper_case_suffix_is_still_a_table(corpus_dir):
    _write(corpus_dir / "poll.csv", [ROW]).rename(corpus_dir / "poll.CSV")
    assert forecastkit.load(corpus_dir, today=TODAY).claim("poll-1")["probability"] == 0.7
