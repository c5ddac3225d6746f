"""The columnar reading of tabular claim files: a table loads into the same rows as the same
claims written as YAML (the loader's record-by-record path), and an error deep in a big table
still names its file, line and column."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from forecastkit.errors import ForecastkitError, ValidationFailed
from forecastkit.records.corpus import check
from forecastkit.records.tabular import read_claim_table

from conftest import FIXTURE_CORPUS, TODAY

CLAIM_FILE = "2024-01-09-npi-outlook-2024.yaml"
#: Where a table and a YAML file of the same claims rightly differ: where each row is written,
#: and the byline (a table keeps the registry keys, a YAML source shows the authors' names).
WHERE = ["file", "line", "byline"]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _rows(claim_file: Path, log: Path) -> list[dict[str, str]]:
    """The claims (and outcomes) of one YAML claim file and its log, one table row each."""
    doc = yaml.safe_load(claim_file.read_text("utf-8"))
    src = doc["source"]
    outcomes = {o["claim"]: o for o in yaml.safe_load(log.read_text("utf-8"))["outcomes"]}
    rows = []
    for c in doc["claims"]:
        deadline, condition = c.get("deadline") or {}, c.get("condition") or {}
        o = outcomes.get(c["id"], {})
        (ev,) = o.get("evidence") or [{}]
        fields = {
            "id": c["id"],
            "source_id": src["id"],
            **{k: c.get(k) for k in ("claimant", "claimant_role", "kind", "quote", "proposition")},
            **{k: c.get(k) for k in ("criteria", "hedge", "probability", "made_on", "resolve_by")},
            "deadline_basis": deadline.get("basis"),
            "deadline_phrase": deadline.get("phrase"),
            "deadline_rule": deadline.get("rule"),
            "condition": condition.get("text"),
            "condition_if_unmet": condition.get("if_unmet"),
            "tags": "; ".join(c.get("tags") or []),
            "notes": c.get("notes"),
            "source_title": src["title"],
            "publisher": src["publisher"],
            "published": src["published"],
            "byline": "; ".join(src["byline"]),
            "url": src.get("url"),
            **{k: o.get(k) for k in ("verdict", "resolved_on", "recorded_by", "recorded_on")},
            "note": o.get("note"),
            **{f"evidence_{k}": ev.get(k) for k in ("url", "title", "publisher", "published")},
            "evidence_quote": ev.get("quote"),
        }
        rows.append({k: _text(v) for k, v in fields.items()})
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_table_loads_as_the_same_claims_in_yaml(tmp_path: Path, suffix: str) -> None:
    as_yaml = FIXTURE_CORPUS
    as_table = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, as_table)
    rows = _rows(as_table / CLAIM_FILE, as_table / "outcomes" / CLAIM_FILE)
    (as_table / CLAIM_FILE).unlink()
    (as_table / "outcomes" / CLAIM_FILE).unlink()
    table = pd.DataFrame(rows)
    path = as_table / f"npi{suffix}"
    table.to_csv(path, index=False) if suffix == ".csv" else table.to_parquet(path, index=False)

    want, errors = check(as_yaml, today=TODAY)
    assert not errors
    got, errors = check(as_table, today=TODAY)
    assert not errors, errors
    ids = [r["id"] for r in rows]

    def pick(frame: pd.DataFrame, key: str = "claim_id") -> pd.DataFrame:
        mine = frame[frame[key].isin(ids)].drop(columns=WHERE, errors="ignore")
        return mine.sort_values(key).reset_index(drop=True)

    claims = pick(got.claims)
    assert len(claims) == len(rows) and claims["evidence_count"].sum() > 0
    pd.testing.assert_frame_equal(claims, pick(want.claims))
    pd.testing.assert_frame_equal(pick(got.outcomes), pick(want.outcomes))
    pd.testing.assert_frame_equal(pick(got.evidence), pick(want.evidence))
    pd.testing.assert_frame_equal(
        pick(got.questions, "question_id"), pick(want.questions, "question_id")
    )


ROW = {
    "source_id": "big-poll",
    "claimant": "ana-lindqvist",
    "quote": "q",
    "proposition": "p",
    "probability": "0.5",
    "made_on": "2024-01-01",
    "resolve_by": "2024-12-31",
}


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("probability", "70%", "'70%' is not a number"),
        ("resolve_by", "2024-02-30", "not a real calendar date"),
        ("claimant_role", "pundit", "is not a claimant role"),
        ("hedge", "likley", "unknown hedge 'likley'"),
    ],
)
def test_an_error_deep_in_a_big_table_names_file_line_and_column(
    tmp_path: Path, column: str, value: str, words: str
) -> None:
    n, bad = 20_000, 12_345  # the 12,346th data row: line 12,347 after the header
    table = pd.DataFrame([ROW] * n).assign(id=[f"c-{i}" for i in range(n)])
    table.loc[bad, column] = value
    if column == "hedge":
        table.loc[bad, "probability"] = ""
    path = tmp_path / "big.csv"
    table.to_csv(path, index=False)
    with pytest.raises(ForecastkitError) as caught:
        read_claim_table(path)
    error = caught.value.errors[0] if isinstance(caught.value, ValidationFailed) else caught.value
    assert (error.file, error.line, error.field) == (str(path), bad + 2, column)
    assert words in str(error) and f"{path}:{bad + 2}: {column}" in str(error)


def test_a_duplicate_id_across_tables_names_the_row_and_where_it_was_used(
    tmp_path: Path,
) -> None:
    root = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    pd.DataFrame([{**ROW, "id": "a-1"}, {**ROW, "id": "a-2"}]).to_csv(root / "a.csv", index=False)
    second = [{**ROW, "id": "b-1", "source_id": "b"}, {**ROW, "id": "a-2", "source_id": "b"}]
    pd.DataFrame(second).to_csv(root / "b.csv", index=False)
    _corpus, errors = check(root, today=dt.date(2026, 1, 1))
    (dup,) = [e for e in errors if "duplicate claim id" in str(e)]
    assert (Path(dup.file).name, dup.line, dup.field) == ("b.csv", 3, "id")
    assert "a.csv:3" in str(dup)


@pytest.mark.parametrize(
    "text",
    [
        '\ufeffid,quote\nc-1,"a ""quoted"", multi\nline text"\nc-2,\n',  # BOM, quotes, newline
        "id,quote\nc-1,x\nc-2\n",  # a short row: pandas reads it (pyarrow would refuse)
        "id,quote\n",  # no rows
        "id,quote\n 0.70 ,NA\n",  # text stays as written: no numbers, no missing values
    ],
)
def test_a_csv_reads_as_pandas_reads_it(tmp_path: Path, text: str) -> None:
    # (a column named twice is refused at line 1 instead: test_tabular's unreadable tables)
    from forecastkit.records.tabular_io import read_table

    path = tmp_path / "t.csv"
    path.write_text(text, "utf-8")
    want = pd.read_csv(
        path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
    )
    pd.testing.assert_frame_equal(read_table(path), want)
