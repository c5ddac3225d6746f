"""Question types in tabular claim files (docs/question-types.md): the columns that define a
question, each forecast form and the outcome columns, read into the same tables as YAML, and
every bad cell reported with its file, line and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecastkit import load
from forecastkit.records.corpus import check
from forecastkit.records.question_types import day_number

from conftest import TODAY

AUTHORS = """authors:
  ana:
    name: Ana
    kind: person
  community:
    name: Community prediction
    kind: crowd
"""
HEADER = [
    "id", "question", "question_type", "options", "ordered", "unit", "lower", "upper",
    "open_lower", "open_upper", "source_id", "claimant", "quote", "proposition", "made_on",
    "resolve_by", "probability", "probabilities", "quantiles", "interval_level",
    "interval_lower", "interval_upper", "cdf", "point", "verdict", "option", "value",
    "resolved_on", "evidence_kind", "evidence_title", "evidence_publisher", "evidence_published",
]  # fmt: skip
EV = {
    "evidence_kind": "tracker",
    "evidence_title": "q",
    "evidence_publisher": "p",
    "evidence_published": "2011-02-01",
}
ROWS = [
    dict(id="a-mc", question="q-mc", question_type="multiple_choice",
         options='["medvedev", "putin", "neither"]', ordered="false",
         probabilities='{"putin": 0.2, "medvedev": 0.7, "neither": 0.1}',
         option="medvedev", resolved_on="2008-05-07", **EV),
    dict(id="c-mc", question="q-mc", claimant="community",
         probabilities='{"medvedev": 0.4, "putin": 0.35, "neither": 0.25}',
         option="medvedev", resolved_on="2008-05-07", **EV),
    dict(id="a-growth", question="q-num", question_type="numeric", unit="%", lower="-20",
         upper="20", quantiles='{"0.05": 1.5, "0.5": 2.5, "0.95": 3.5}', value="4",
         resolved_on="2011-02-01", **EV),
    dict(id="a-interval", question="q-num", interval_level="0.9", interval_lower="2",
         interval_upper="3", value="4", resolved_on="2011-02-01", **EV),
    dict(id="c-cdf", question="q-num", claimant="community",
         cdf='{"x": [0, 1, 2, 3], "p": [0.1, 0.4, 0.8, 0.95]}', value="4",
         resolved_on="2011-02-01", **EV),
    dict(id="a-point", question="q-num", point="2.5", value="4", resolved_on="2011-02-01", **EV),
    dict(id="a-date", question="q-date", question_type="date", lower="2024-06-17",
         upper="2026-12-31", point="2025-05-09"),
    dict(id="a-binary", probability="0.3", verdict="false", resolved_on="2011-02-01", **EV),
]  # fmt: skip


def _write(root: Path, rows: list[dict]) -> Path:
    root.mkdir(exist_ok=True)
    (root / "authors.yaml").write_text(AUTHORS, "utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADER, lineterminator="\n")
    writer.writeheader()
    base = dict(source_id="s1", claimant="ana", quote="q", proposition="p",
                made_on="2007-09-14", resolve_by="2011-03-31")  # fmt: skip
    for row in rows:
        writer.writerow(base | row)
    path = root / "typed.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    return path


@pytest.fixture
def table_dir(tmp_path: Path) -> Path:
    _write(tmp_path / "claims", ROWS)
    return tmp_path / "claims"


def test_a_table_of_every_type_loads_like_yaml(table_dir):
    corpus = load(table_dir, today=TODAY)
    c = corpus.claims.set_index("claim_id")
    assert c.loc["a-mc", "question_type"] == "multiple_choice"
    assert c.loc["a-mc", "outcome_option"] == "medvedev" and c.loc["a-mc", "status"] == "resolved"
    assert c.loc["a-interval", "form"] == "interval" and c.loc["a-interval", "outcome_value"] == 4
    assert c.loc["a-date", "question_type"] == "date" and c.loc["a-date", "status"] == "open"
    assert c.loc["a-binary", "form"] == "probability" and c.loc["a-binary", "outcome"] == 0.0
    fp = corpus.forecast_points
    mc = fp[fp["claim_id"] == "a-mc"]
    assert mc["option"].tolist() == ["medvedev", "putin", "neither"]  # the question's order
    assert mc["p"].tolist() == [0.7, 0.2, 0.1]
    interval = fp[fp["claim_id"] == "a-interval"]
    assert np.allclose(interval["p"], [0.05, 0.95]) and interval["x"].tolist() == [2, 3]
    assert fp[fp["claim_id"] == "c-cdf"]["x"].tolist() == [0, 1, 2, 3]
    assert fp[fp["claim_id"] == "a-date"]["x"].tolist() == [day_number("2025-05-09")]
    q = corpus.questions.set_index("question_id")
    assert q.loc["q-mc", "options"] == ("medvedev", "putin", "neither")
    assert (q.loc["q-num", "lower"], q.loc["q-num", "unit"]) == (-20, "%")
    assert not q.loc["q-date", "open_upper"]
    assert corpus.authors.set_index("claimant").loc["community", "kind"] == "crowd"


def test_a_parquet_file_may_hold_lists_and_mappings(tmp_path):
    path = _write(tmp_path / "claims", ROWS)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table["options"] = table["options"].map(lambda v: v and __import__("json").loads(v) or None)
    table.to_parquet(path.with_suffix(".parquet"), index=False)
    path.unlink()
    corpus = load(tmp_path / "claims", today=TODAY)
    assert corpus.questions.set_index("question_id").loc["q-mc", "options"] == (
        "medvedev",
        "putin",
        "neither",
    )


# (name, row index, changes, column, message)
BAD = [
    ("probabilities do not sum to 1", 0,
     {"probabilities": '{"putin": 0.3, "medvedev": 0.7, "neither": 0.1}'}, "probabilities",
     "the probabilities sum to 1.1, not 1"),
    ("unknown option", 1, {"probabilities": '{"medvedev": 0.4, "putin": 0.35, "nobody": 0.25}'},
     "probabilities", "'nobody' is not an option of question 'q-mc'"),
    ("not JSON", 1, {"probabilities": '{"medvedev": 0.4, putin}'}, "probabilities", "not JSON"),
    ("a probability as text", 1, {"probabilities": '{"medvedev": "x", "putin": 0.6}'},
     "probabilities", "a probability is not a number"),
    ("unordered quantiles", 2, {"quantiles": '{"0.05": 1.5, "0.5": 0.5, "0.95": 3.5}'},
     "quantiles", "quantile values must not decrease"),
    ("a quantile level outside (0, 1)", 2, {"quantiles": '{"0.05": 1.5, "1.5": 2.5}'},
     "quantiles", "a quantile level is not a number in (0, 1)"),
    ("interval level outside (0, 1)", 3, {"interval_level": "90"}, "interval_level",
     "the interval level is not a number in (0, 1)"),
    ("interval lower above upper", 3, {"interval_lower": "5"}, "interval_lower",
     "interval_lower is above interval_upper"),
    ("cdf x not increasing", 4, {"cdf": '{"x": [0, 2, 1, 3], "p": [0.1, 0.4, 0.8, 0.95]}'},
     "cdf", "cdf x must increase"),
    ("cdf p decreasing", 4, {"cdf": '{"x": [0, 1, 2, 3], "p": [0.1, 0.4, 0.3, 0.95]}'},
     "cdf", "cdf p must not decrease"),
    ("cdf lists of two lengths", 4, {"cdf": '{"x": [0, 1, 2], "p": [0.1, 0.4]}'}, "cdf",
     "cdf has 3 x values but 2 p values"),
    ("a value outside closed bounds", 6, {"point": "2030-01-01"}, "point",
     "2030-01-01 is above the closed upper bound 2026-12-31"),
    ("a number on a date question", 6, {"point": "7"}, "point",
     "a date question's values are dates"),
    ("more than one form", 5, {"quantiles": '{"0.5": 2}'}, "point",
     "more than one forecast form: quantiles and point"),
    ("a non-binary form on a binary question", 7, {"point": "3", "probability": ""}, "point",
     "a point forecast names its question"),
    ("an option outcome on a numeric question", 2, {"value": "", "option": "four"}, "option",
     "a numeric question resolves with value"),
    ("an option not of the question", 0, {"option": "yeltsin"}, "option",
     "'yeltsin' is not an option of the question"),
    ("verdict and option", 1, {"verdict": "true"}, "option",
     "give one of verdict, option or value, not both"),
    ("options not a JSON list", 0, {"options": "medvedev; putin"}, "options",
     "options is not a JSON list of labels"),
    ("an unknown question type", 6, {"question_type": "dates"}, "question_type",
     "'dates' is not a question type"),
    ("lower above upper", 2, {"lower": "30"}, "upper", "upper 20 is below lower 30"),
]  # fmt: skip


@pytest.mark.parametrize("name,row,changes,column,message", BAD, ids=[b[0] for b in BAD])
def test_every_bad_cell_is_reported_with_line_and_column(
    tmp_path, name, row, changes, column, message
):
    rows = [dict(r) for r in ROWS]
    rows[row].update(changes)
    _write(tmp_path / "claims", rows)
    _, errors = check(tmp_path / "claims", today=TODAY)
    hits = [e for e in errors if message in e.message]
    assert hits, f"no error says {message!r}: {[str(e) for e in errors]}"
    err = hits[0]
    assert err.file.endswith("typed.csv") and err.line == row + 2 and err.field == column, str(err)
    assert "\n" not in str(err)
