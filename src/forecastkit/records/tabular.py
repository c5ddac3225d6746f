"""Tabular claim files (``claims/*.csv``, ``claims/*.parquet``) as the loader's frames, column
by column: no Python object per row.

:func:`read_claim_table` reads a file (:mod:`forecastkit.records.tabular_io`), checks it
(:mod:`forecastkit.records.tabular_checks`, where the columns are listed) and turns the checked
columns into the frames :func:`forecastkit.records.corpus.load` assembles: claims, sources,
outcome rows and their evidence, typed as the corpus tables (``records/frames.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError
from forecastkit.records.forms import FORMS
from forecastkit.records.frames import READ_CLAIM_COLUMNS, SOURCE_COLUMNS
from forecastkit.records.tabular_checks import (  # noqa: F401 (the columns, re-exported)
    EVIDENCE_KINDS,
    TABLE_COLUMNS,
    CheckedTable,
    check_table,
)
from forecastkit.records.tabular_io import read_table, write_claim_table  # noqa: F401

#: The outcome rows of a table, before rows of one question are collapsed into one entry:
#: ``position`` is the row's place among the file's outcome rows (the loader's order).
OUTCOME_ROW_COLUMNS = [
    "claim_id", "verdict", "resolved_on", "recorded_by", "recorded_on", "note",
    "evidence_count", "file", "line", "option", "value", "position",
]  # fmt: skip
#: One piece of evidence per outcome row that has one, keyed by the row's ``position``.
EVIDENCE_ROW_COLUMNS = ["position", "url", "title", "publisher", "published", "quote", "kind"]


@dataclass
class TableFrames:
    """What one tabular claim file holds, as frames (:func:`read_claim_table`)."""

    #: One row per claim, the columns of ``frames.READ_CLAIM_COLUMNS``.
    claims: pd.DataFrame
    #: One row per source, the columns of the corpus's ``sources`` table.
    sources: pd.DataFrame
    #: One row per row with an outcome (:data:`OUTCOME_ROW_COLUMNS`).
    outcomes: pd.DataFrame
    #: :data:`EVIDENCE_ROW_COLUMNS`.
    evidence: pd.DataFrame
    #: The raw points of the non-binary forecasts (``records/forms.py``; None: none).
    points: pd.DataFrame | None
    #: The type fields of each question a row defines, by row position.
    qdefs: dict[int, dict[str, Any]]


def read_claim_table(path: Path, shown: Path | None = None) -> TableFrames:
    """Read and check one tabular claim file for :func:`forecastkit.records.corpus.load`.

    ``shown`` is the path used in errors and in the tables' ``file`` column.

    Raises
    ------
    ClaimFileError, ValidationFailed
        For an unreadable file, unknown or missing columns, or bad rows (with their lines).
    """
    shown = shown or path
    try:
        table = read_table(path)
    except ClaimFileError as exc:
        exc.file = str(shown)
        raise
    return table_frames(table, shown)


def table_frames(table: pd.DataFrame, shown: Path) -> TableFrames:
    """Check a table of claims (text columns, as :func:`read_table` gives) and build its
    frames; the checks raise with the file, line and column of each bad row."""
    checked = check_table(table, shown)
    claims, sources = _claims_and_sources(checked, str(shown))
    outcomes, evidence = _outcomes(checked, str(shown))
    return TableFrames(claims, sources, outcomes, evidence, checked.points, checked.qdefs)


def _text(values: pd.Series) -> pd.Series:
    """Text with ``<NA>`` for an empty cell."""
    return values.where(values != "").astype("string")


def _repeated(value: object, n: int, dtype: str = "string") -> pd.api.extensions.ExtensionArray:
    """``value`` (``pd.NA`` too) ``n`` times, by one take instead of a list of ``n`` items."""
    if value is pd.NA:
        return pd.array([], dtype=dtype).take(np.full(n, -1), allow_fill=True)
    return pd.array([value], dtype=dtype).take(np.zeros(n, dtype=np.intp))


def _split_tags(values: pd.Series) -> pd.Series:
    """Each cell's ``;``-separated tags, stripped, as a tuple; each distinct cell split once."""
    codes, cells = pd.factorize(values)
    tags = np.empty(len(cells), dtype=object)
    for i, v in enumerate(cells):  # one by one: numpy 1.x reads a list of tuples as rows
        tags[i] = tuple(x.strip() for x in v.split(";") if x.strip())
    return pd.Series(tags[codes], index=values.index, name=values.name)


def _split_keys(values: pd.Series, sep: str) -> dict[str, str]:
    """For each distinct cell, its ``;``-separated parts stripped, empty ones dropped, joined."""
    return {v: sep.join(p.strip() for p in v.split(";") if p.strip()) for v in values.unique()}


def _claims_and_sources(ch: CheckedTable, file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = ch.t
    n = len(t)
    lines = np.arange(n, dtype=np.int64) + 2
    # A source is written on each of its rows: its first row's values are the source's.
    code, _ = pd.factorize(t["source_id"])
    first = np.flatnonzero(~t["source_id"].duplicated().to_numpy())
    sid = t["source_id"].to_numpy()[first]
    title = t["source_title"].to_numpy()[first]
    title = np.where(title == "", sid, title)
    byline = t["byline"].iloc[first].map(_split_keys(t["byline"].iloc[first], "; "))
    published = ch.dates["published"].fillna(ch.made_on).iloc[first].reset_index(drop=True)
    k = len(first)
    sources = pd.DataFrame(
        {
            "source_id": pd.array(sid, dtype="string"),
            "title": pd.array(title, dtype="string"),
            "publisher": _text(t["publisher"].iloc[first]).reset_index(drop=True),
            "byline": _text(byline).reset_index(drop=True),
            "published": published,
            "published_estimated": np.zeros(k, dtype=bool),
            "published_note": _repeated(pd.NA, k),
            "url": _text(t["url"].iloc[first]).reset_index(drop=True),
            "file": _repeated(file, k),
            "line": _repeated(pd.NA, k, "Int64"),
        },
        columns=SOURCE_COLUMNS,
    )
    tags = _split_tags(t["tags"])
    form = pd.Series(ch.form, dtype=object)
    claims = pd.DataFrame(
        {
            "claim_id": t["id"].astype("string"),
            "question": _text(t["question"]),
            "source_id": t["source_id"].astype("string"),
            "file": _repeated(file, n),
            "line": lines,
            "claimant": t["claimant"].astype("string"),
            "claimant_name": _repeated(pd.NA, n),
            "claimant_role": ch.role.astype("string"),
            "kind": ch.kind.astype("string"),
            "quote": t["quote"].astype("string"),
            "proposition": t["proposition"].astype("string"),
            "criteria": _text(t["criteria"]),
            "hedge": _text(t["hedge"]),
            "probability_stated": ch.probability.astype("float64"),
            "made_on": ch.made_on,
            "resolve_by": ch.dates["resolve_by"],
            "deadline_basis": _text(t["deadline_basis"]),
            "deadline_phrase": _text(t["deadline_phrase"]),
            "deadline_rule": _text(t["deadline_rule"]),
            "condition": _text(t["condition"]),
            "condition_if_unmet": _text(t["condition_if_unmet"]),
            "tags": tags,
            "notes": _text(t["notes"]),
            "source_title": sources["title"].array.take(code),
            "publisher": sources["publisher"].array.take(code),
            "published": sources["published"].to_numpy()[code],
            "byline": sources["byline"].array.take(code),
            "form": pd.Categorical(form, categories=list(FORMS)),
            "form_line": lines,
            "form_field": pd.array(
                np.where(form == "interval", "interval_level", form), dtype="string"
            ),  # fmt: skip
        },
        columns=READ_CLAIM_COLUMNS,
    )
    return claims.reset_index(drop=True), sources


def _outcomes(ch: CheckedTable, file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = ch.t
    rows = np.flatnonzero((ch.verdict != "").to_numpy())
    wanted = ["id", "recorded_by", "note", "option", "value", "evidence_url", "evidence_title",
              "evidence_publisher", "evidence_quote", "evidence_kind"]  # fmt: skip
    sub = t[wanted].iloc[rows].reset_index(drop=True)
    m = len(rows)
    has_ev = ch.has_evidence.to_numpy()[rows]
    outcomes = pd.DataFrame(
        {
            "claim_id": sub["id"].astype("string"),
            "verdict": ch.verdict.iloc[rows].reset_index(drop=True).astype("string"),
            "resolved_on": ch.dates["resolved_on"].iloc[rows].reset_index(drop=True),
            "recorded_by": _text(sub["recorded_by"]),
            "recorded_on": ch.dates["recorded_on"].iloc[rows].reset_index(drop=True),
            "note": _text(sub["note"]),
            "evidence_count": has_ev.astype(np.int64),
            "file": _repeated(file, m),
            "line": rows.astype(np.int64) + 2,
            "option": _text(sub["option"]),
            "value": _text(sub["value"]),
            "position": np.arange(m, dtype=np.int64),
        },
        columns=OUTCOME_ROW_COLUMNS,
    )
    ev = np.flatnonzero(has_ev)
    es = sub.iloc[ev].reset_index(drop=True)
    evidence = pd.DataFrame(
        {
            "position": ev.astype(np.int64),
            "url": _text(es["evidence_url"]),
            "title": es["evidence_title"].astype("string"),
            "publisher": es["evidence_publisher"].astype("string"),
            "published": ch.dates["evidence_published"].iloc[rows[ev]].reset_index(drop=True),
            "quote": _text(es["evidence_quote"]),
            "kind": _text(es["evidence_kind"]),
        },
        columns=EVIDENCE_ROW_COLUMNS,
    )
    return outcomes, evidence
