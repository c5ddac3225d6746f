"""Import presets: each tracker's format read from a hand-written sample file, bad rows, dates.

Sample files are in tests/fixtures/imports/<preset>/ (written by hand in each real format, see
docs/import-formats.md); the real PredictionBook dump is read from ../shared/data when present.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecastkit.editing.presets import (
    FORECAST_COLUMNS,
    PRESETS,
    PROBLEM_COLUMNS,
    parse_dates,
    read_preset,
    summarize_problems,
)
from forecastkit.errors import ClaimFileError, ParameterError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"
PREDICTIONBOOK = Path(__file__).resolve().parents[2] / "shared" / "data" / "predictionbook"


def read(preset: str, file: str, **kw: object):
    return read_preset(preset, FIXTURES / preset / file, **kw)


# --- good files: shape, counts, the normalized columns ------------------------------------------

GOOD = [
    # preset, file, kwargs, forecasts, questions, forecasters, skipped rows
    ("predictionbook", "public.csv", {}, 7, 4, 4, 0),
    ("gjp", "survey_fcasts.yr1.csv", {}, 10, 5, 5, 7),
    ("metaculus", "forecast_data.csv", {}, 14, 6, 4, 0),
    ("fatebook", "export.csv", {}, 7, 4, 2, 0),
    ("fatebook", "import.csv", {"forecaster": "Jo"}, 6, 5, 1, 0),
    ("generic", "forecasts.csv", {}, 4, 2, 2, 0),
]


@pytest.mark.parametrize(("preset", "file", "kw", "n", "nq", "nf", "nskip"), GOOD)
def test_good_file(preset, file, kw, n, nq, nf, nskip):
    r = read(preset, file, **kw)
    f = r.forecasts
    assert r.ok and r.problems.empty and r.rejected.empty
    assert list(f.columns) == FORECAST_COLUMNS
    assert (len(f), f["question_id"].nunique(), f["forecaster_id"].nunique()) == (n, nq, nf)
    assert int(r.skipped["rows"].sum()) == nskip
    for col in ("made_on", "resolve_by", "resolved_on"):
        assert str(f[col].dtype) == "datetime64[s]"
        assert (f[col].dropna() == f[col].dropna().dt.normalize()).all()
    binary = f["question_type"] == "binary"
    assert f["probability"].dtype == np.float64 and f["probability"][binary].between(0, 1).all()
    assert f["probability"][~binary].isna().all()
    assert set(f["outcome"].dropna()) <= {"true", "false", "ambiguous", "resolved"}
    assert set(f["question_type"]) <= {"binary", "multiple_choice", "numeric", "date"}
    assert set(r.questions["question_id"]) == set(f.loc[~binary, "question_id"])
    assert f["resolved_on"].isna().equals(f["outcome"].isna())
    assert (f["source_row"] >= 2).all() and f["source_row"].is_unique
    assert (f["question_text"].str.len() > 0).all()
    assert (f["resolve_by"].isna() | (f["resolve_by"] >= f["made_on"])).all()


def test_registry():
    assert set(PRESETS) == {"predictionbook", "gjp", "metaculus", "fatebook", "generic"}
    with pytest.raises(ParameterError, match="unknown preset"):
        read_preset("polymarket", FIXTURES / "generic" / "forecasts.csv")


# --- what each preset maps ------------------------------------------------------------------------

ROWS = [
    # preset, file, kwargs, source_row, expected values
    (
        "predictionbook",
        "public.csv",
        {},
        2,
        {
            "question_id": "101",
            "forecaster_id": "alice",
            "probability": 0.7,
            "outcome": "true",
            "made_on": "2019-03-01",
            "resolve_by": "2019-12-31",
            "resolved_on": "2020-01-02",
            "question_url": "https://predictionbook.com/predictions/101",
            "question_text": "Rust 1.40 is released in 2019, on schedule",
        },
    ),
    ("predictionbook", "public.csv", {}, 6, {"outcome": "ambiguous"}),  # -1.0
    (
        "predictionbook",
        "public.csv",
        {},
        7,
        {"resolve_by": "9999-12-31", "outcome": None, "resolved_on": None},
    ),
    (
        "predictionbook",
        "public.csv",
        {},
        8,  # a user id that is a zero-width space
        {"forecaster_id": "\u200b", "forecaster_name": "\\u200b"},
    ),
    (
        "gjp",
        "survey_fcasts.yr1.csv",
        {},
        2,
        {
            "question_id": "1001-0",
            "forecaster_id": "600",
            "probability": 0.1,
            "outcome": "false",
            "made_on": "2011-09-02",
            "resolve_by": "2011-12-31",
            "resolved_on": "2012-01-02",
        },
    ),
    ("gjp", "survey_fcasts.yr1.csv", {}, 11, {"outcome": "ambiguous"}),  # voided
    ("gjp", "survey_fcasts.yr1.csv", {}, 13, {"resolve_by": "9999-12-31", "outcome": None}),
    (
        "metaculus",
        "forecast_data.csv",
        {},
        2,
        {
            "question_id": "501",
            "forecaster_id": "1001",
            "forecaster_name": "ada",
            "probability": 0.2,
            "made_on": "2024-01-04",
            "resolve_by": "2029-12-31",
            "tags": ["Technology", "Energy"],
            "question_url": "https://www.metaculus.com/questions/601/will-a-fusion-plant-deliver-power-to-a-grid-by-2030/",
        },
    ),
    ("metaculus", "forecast_data.csv", {}, 4, {"made_on": "2024-01-07"}),  # 23:30 -05:00
    ("metaculus", "forecast_data.csv", {}, 6, {"outcome": "true", "resolved_on": "2024-05-21"}),
    ("metaculus", "forecast_data.csv", {}, 9, {"outcome": "ambiguous"}),  # annulled
    (
        "fatebook",
        "export.csv",
        {},
        2,
        {
            "forecaster_id": "Sam Lee",
            "probability": 0.6,
            "made_on": "2024-03-04",
            "resolve_by": "2024-03-08",
            "outcome": "true",
            "notes": "the chapter draft",
        },
    ),
    ("fatebook", "export.csv", {}, 5, {"outcome": "ambiguous", "notes": None}),
    (
        "fatebook",
        "import.csv",
        {"forecaster": "Jo"},
        2,
        {
            "forecaster_id": "Jo",
            "probability": 0.7,
            "made_on": "2024-01-15",
            "tags": ["commute", "daily"],
            "notes": "first try",
        },
    ),
    (
        "fatebook",
        "import.csv",
        {"forecaster": "Jo"},
        3,
        {"probability": 0.85, "notes": "after the rain started"},
    ),  # fCreatedAt, notesExtra
    (
        "fatebook",
        "import.csv",
        {"forecaster": "Jo"},
        5,  # US dates, lower-case outcome
        {"made_on": "2024-01-05", "resolve_by": "2024-01-19", "outcome": "ambiguous"},
    ),
    ("fatebook", "import.csv", {"forecaster": "Jo"}, 7, {"resolve_by": None}),  # no deadline
    ("generic", "forecasts.csv", {}, 5, {"made_on": "0001-01-01", "resolve_by": "9999-12-31"}),
]


@pytest.mark.parametrize(("preset", "file", "kw", "line", "expected"), ROWS)
def test_mapping(preset, file, kw, line, expected):
    f = read(preset, file, **kw).forecasts
    row = f.loc[f["source_row"] == line].iloc[0]
    for col, want in expected.items():
        got = row[col]
        if want is None:
            assert pd.isna(got), col
        elif col in ("made_on", "resolve_by", "resolved_on"):
            assert got == pd.Timestamp(want), col
        else:
            assert got == want, col


def test_updates_share_a_question():
    f = read("predictionbook", "public.csv").forecasts
    alice = f[(f["question_id"] == "101") & (f["forecaster_id"] == "alice")]
    assert list(alice["probability"]) == [0.7, 0.85]
    fb = read("fatebook", "export.csv").forecasts
    assert fb.groupby("question_id")["forecaster_id"].nunique().max() == 2


@pytest.mark.parametrize(
    ("preset", "file", "reasons"),
    [
        ("gjp", "survey_fcasts.yr1.csv", {"neither 2 nor more": 0, "other option": 7}),
        ("metaculus", "forecast_data.csv", {"aggregate": 0, "numeric": 0}),
        ("fatebook", "export.csv", {"multiple-choice": 0}),
    ],
)
def test_skipped_rows_are_counted(preset, file, reasons):
    skipped = read(preset, file).skipped
    for word, rows in reasons.items():
        match = skipped[skipped["reason"].str.contains(word, regex=False)]
        assert match["rows"].sum() == rows, word


def test_fatebook_import_needs_a_forecaster():
    with pytest.raises(ParameterError, match="no forecaster column"):
        read("fatebook", "import.csv")


def test_missing_questions_file(tmp_path):
    src = FIXTURES / "predictionbook" / "public.csv"
    (tmp_path / "public.csv").write_bytes(src.read_bytes())
    with pytest.raises(ParameterError, match="questions file"):
        read_preset("predictionbook", tmp_path / "public.csv")


@pytest.mark.parametrize(
    ("preset", "file"),
    [("predictionbook", "questions.csv"), ("metaculus", "question_data.csv"), ("gjp", "ifps.csv")],
)
def test_wrong_file_names_the_columns(preset, file):
    with pytest.raises(ClaimFileError, match="no column") as caught:
        read(preset, file)
    # the hint lists the file's own columns, not the reader's bookkeeping ones
    assert caught.value.hint.startswith("the file has: ")
    assert "_file" not in caught.value.hint and "_line" not in caught.value.hint


@pytest.mark.parametrize("preset", ["predictionbook", "gjp", "metaculus", "fatebook"])
@pytest.mark.parametrize("name", ["public.csv.zip", "export.csv.gz"])
def test_a_broken_archive_is_one_line(tmp_path, preset, name):
    """A .zip that is no zip (a failed download) was a BadZipFile traceback; a broken .gz an
    EOFError: one line naming the file, as for any other file that is not a CSV."""
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 not really a zip archive" * 20)
    with pytest.raises(ClaimFileError, match="cannot read the file") as caught:
        read_preset(preset, path, questions=path, forecaster="someone")
    assert caught.value.file == str(path) and "\n" not in str(caught.value)


def test_several_gjp_years_read_as_one():
    files = [FIXTURES / "gjp" / "survey_fcasts.yr1.csv", FIXTURES / "gjp" / "survey_fcasts.yr1.csv"]
    r = read_preset("gjp", files, questions=FIXTURES / "gjp" / "ifps.csv")
    assert len(r.forecasts) == 20


# --- bad rows: every one reported, none changed ---------------------------------------------------

BAD = [
    (
        "predictionbook",
        "bad-public.csv",
        {"questions": FIXTURES / "predictionbook" / "questions.csv"},
        {
            3: "deadline_before_forecast",
            4: "probability_out_of_range",
            5: "bad_probability",
            6: "bad_date",
            7: "missing_question",
        },
        2,
    ),
    (
        "gjp",
        "bad-survey_fcasts.yr2.csv",
        {},
        {
            2: "probability_out_of_range",
            4: "deadline_before_forecast",
            6: "missing_question",
            7: "bad_date",
            8: "bad_probability",
            9: "bad_probabilities",  # a multiple-choice forecast summing to 1.5
            14: "unknown_option",  # option e of a question of three
        },
        0,
    ),
    (
        "metaculus",
        "bad-forecast_data.csv",
        {},
        {
            3: "deadline_before_forecast",
            4: "missing_value",
            5: "bad_date",
            6: "missing_question",
            7: "bad_probability",
            8: "bad_probabilities",  # a multiple-choice forecast summing to 1.6
            9: "bad_cdf",  # a CDF of 3 values on a grid of 201
        },
        1,
    ),
    (
        "fatebook",
        "bad-export.csv",
        {},
        {2: "bad_probabilities", 4: "bad_probabilities"},  # options past 1; a value of 1.4
        1,
    ),
    (
        "fatebook",
        "bad-import.csv",
        {"forecaster": "Jo"},
        {
            3: "probability_out_of_range",
            4: "bad_date",
            5: "missing_question",
            6: "bad_outcome",
            7: "deadline_before_forecast",
        },
        1,
    ),
]


@pytest.mark.parametrize(("preset", "file", "kw", "kinds", "good"), BAD)
def test_bad_rows_all_reported(preset, file, kw, kinds, good):
    r = read(preset, file, **kw)
    assert list(r.problems.columns) == PROBLEM_COLUMNS
    assert dict(zip(r.problems["line"], r.problems["kind"], strict=True)) == kinds
    assert set(r.problems["file"]) == {file}
    assert len(r.forecasts) == good
    # a multiple-choice forecast is rejected with all its option rows
    assert set(kinds) <= set(r.rejected["source_row"])
    assert {"source_file", "source_row", "problems"} <= set(r.rejected.columns)
    assert not set(r.forecasts["source_row"]) & set(kinds)
    with pytest.raises(ClaimFileError, match="--skip-bad-rows"):
        r.raise_for_problems()


def test_bad_values_are_kept_as_written():
    r = read(
        "predictionbook", "bad-public.csv", questions=FIXTURES / "predictionbook" / "questions.csv"
    )
    values = dict(zip(r.problems["line"], r.problems["value"], strict=True))
    assert values[4] == "1.2" and values[5] == "high" and values[7] == "999"
    row = r.rejected.set_index("source_row").loc[4]
    assert row["probability"] == "1.2" and "outside [0, 1]" in row["problems"]


def test_summary_groups_and_examples():
    problems = pd.DataFrame(
        {
            "file": "public.csv",
            "line": [12, 40, 77, 90, 101, 150, 3],
            "column": ["close_time"] * 6 + ["probability"],
            "kind": ["deadline_before_forecast"] * 6 + ["bad_probability"],
            "detail": ["close_time before timestamp"] * 6 + ["probability is not a number"],
            "value": ["2008-01-01"] * 6 + ["x"],
        }
    )
    lines = summarize_problems(problems, max_examples=3)
    assert lines == [
        "public.csv: 1 row: probability is not a number (line 3; e.g. 'x'); "
        "fix the probabilities or pass --skip-bad-rows",
        "public.csv: 6 rows: close_time before timestamp (lines 12, 40, 77, ...; "
        "e.g. '2008-01-01'); fix the dates or pass --skip-bad-rows",
    ]
    assert summarize_problems(problems.iloc[:0]) == []


def test_tags_are_parsed_once_per_distinct_cell():
    from forecastkit.editing.presets.readers import list_cells

    cells = ["['Politics', 'AI']", "", "['Space']", "[]", " a, b ,", None]
    want = [["Politics", "AI"], None, ["Space"], None, ["a", "b"], None]
    got = list_cells(pd.Series(cells, dtype="string"))
    assert [v if isinstance(v, list) else None for v in got] == want
    many = list_cells(pd.Series(cells * 50_000, dtype="string"))  # 300,000 rows
    assert many.iloc[-6:].map(lambda v: v if isinstance(v, list) else None).tolist() == want
    # parsed once per distinct cell (a Python loop per row took ~3 s on such an export): every
    # row with the same text holds the very same list, so there are as many lists as cells
    assert many.iloc[0] is many.iloc[6] is many.iloc[-6]
    assert len({id(v) for v in many if isinstance(v, list)}) == 3


# --- dates ---------------------------------------------------------------------------------------

DATES = [
    ("0001-01-01", "0001-01-01"),
    ("9999-12-31", "9999-12-31"),
    ("9999-12-31 11:00:00+00:00", "9999-12-31"),
    ("2262-04-12", "2262-04-12"),  # the last day of datetime64[ns]
    ("2262-04-12T23:47:16.854775807Z", "2262-04-12"),
    ("1677-09-21", "1677-09-21"),  # before the first day of datetime64[ns]
    ("2024-02-29", "2024-02-29"),
    ("2000-02-29", "2000-02-29"),
    ("2024-06-17 23:30:00-05:00", "2024-06-18"),  # to the UTC day
    ("2024-06-17T00:30:00+0200", "2024-06-16"),
    ("2024-03-04 09:05:7", "2024-03-04"),  # Fatebook's export: unpadded seconds
    ("  2024-06-17  ", "2024-06-17"),
    ("", None),
]
BAD_DATES = [
    "2024-02-30",
    "2023-02-29",
    "1900-02-29",
    "0000-12-31",
    "10000-01-01",
    "2024-13-01",
    "2024-06-17 24:00:00",
    "17/06/2024",
    "yesterday",
    "2024-6",
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:30:00-01:00",
    # digits of other scripts: reported as no date (they crashed the byte-level reader)
    "\uff12\uff10\uff12\uff14-\uff10\uff11-\uff10\uff11",
    "\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661",
    "1/\u0662/2011",
]


@pytest.mark.parametrize(("text", "want"), DATES)
def test_date_edges(text, want):
    dates, bad = parse_dates(pd.Series([text]))
    assert str(dates.dtype) == "datetime64[s]" and not bad.iloc[0]
    assert pd.isna(dates.iloc[0]) if want is None else dates.iloc[0] == pd.Timestamp(want)


@pytest.mark.parametrize("text", BAD_DATES)
def test_dates_rejected(text):
    for us in (False, True):
        dates, bad = parse_dates(pd.Series([text]), us=us)
        assert bad.iloc[0] and pd.isna(dates.iloc[0])


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("9/1/11", "2011-09-01"),
        ("12/30/11 0:00", "2011-12-30"),
        ("2/29/12", "2012-02-29"),
        ("1/2/1969", "1969-01-02"),
        ("1/2/69", "1969-01-02"),
        ("1/2/68", "2068-01-02"),
        ("12/31/9999", "9999-12-31"),
        ("2011-09-01", "2011-09-01"),
    ],
)
def test_us_dates(text, want):
    dates, bad = parse_dates(pd.Series([text]), us=True)
    assert not bad.iloc[0] and dates.iloc[0] == pd.Timestamp(want)


@pytest.mark.parametrize("text", ["2/30/12", "13/1/11", "9/1/11"])
def test_us_dates_only_when_asked(text):
    _, bad = parse_dates(pd.Series([text]), us=text != "9/1/11")
    assert bad.iloc[0]


def test_far_dates_compare_and_print():
    dates, _ = parse_dates(pd.Series(["0001-01-01", "9999-12-31", "2262-04-12"]))
    assert dates.max() == pd.Timestamp("9999-12-31") and dates.min().year == 1
    assert list(dates.dt.strftime("%Y-%m-%d")) == ["0001-01-01", "9999-12-31", "2262-04-12"]
    assert (dates.iloc[1] - dates.iloc[0]).days == 3652058


# --- the real PredictionBook dump ----------------------------------------------------------------


def test_real_predictionbook_dump():
    public = PREDICTIONBOOK / "public.csv.zip"
    questions = PREDICTIONBOOK / "questions.csv.zip"
    if not (public.is_file() and questions.is_file()):
        pytest.skip(f"the PredictionBook dump is not in {PREDICTIONBOOK}")
    start = time.perf_counter()
    r = read_preset("predictionbook", public, questions=questions)
    seconds = time.perf_counter() - start
    print(f"\nread the PredictionBook dump (63,592 forecasts) in {seconds:.2f} s")
    f, bad = r.forecasts, r.rejected
    assert len(f) + len(bad) == 63_592
    assert pd.concat([f["question_id"], bad["question_id"]]).nunique() == 18_667
    assert pd.concat([f["forecaster_id"], bad["user_id"]]).nunique() == 2_226
    # the 613 forecasts with a deadline before the day they were made, and nothing else
    assert set(r.problems["kind"]) == {"deadline_before_forecast"}
    assert len(r.problems) == len(bad) == 613
    assert (f["resolve_by"] == pd.Timestamp("9999-12-31")).sum() > 0
    resolved = (
        pd.concat([f["outcome"], bad["outcome"].map({"1.0": "true", "0.0": "false"})])
        .isin(["true", "false"])
        .sum()
    )
    assert resolved == 51_135
    assert summarize_problems(r.problems)[0].startswith(
        "public.csv.zip: 613 rows: close_time before timestamp (lines "
    )
