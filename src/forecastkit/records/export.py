"""The corpus as one flat table per claim, for other tools (CSV, JSON, Parquet).

The column names of :data:`EXPORT_COLUMNS` are a contract: other tools read them by name.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from forecastkit.errors import ForecastkitError
from forecastkit.records.corpus import Corpus
from forecastkit.records.frames import positions

EXPORT_COLUMNS = [
    "claim_id", "source_id", "source_title", "publisher", "published", "byline", "claimant",
    "claimant_name", "claimant_role", "kind", "quote", "proposition", "hedge", "probability",
    "scale", "made_on", "resolve_by", "deadline", "condition", "tags", "status", "resolved_on",
    "evidence_count", "question_id", "question_text", "question_type", "form", "forecast",
    "unit", "answer",
]  # fmt: skip
#: What the typed columns hold (docs/question-types.md, "Export"): ``question_type`` and
#: ``form`` as loaded; ``forecast`` the forecast in the syntax ``add claim`` reads
#: (``medvedev=0.6,putin=0.3,neither=0.1``, ``90%:2..3``; a yes/no claim's stated probability
#: ``0.2`` for ``--probability``, else its hedge ``unlikely`` for ``--hedge``); ``unit`` the
#: question's; ``answer``
#: a resolved question's option or value (a date as ``YYYY-MM-DD``), empty otherwise.
TYPED_COLUMNS = EXPORT_COLUMNS[-5:]

FORMATS = ("csv", "json", "parquet")


def deadline_texts(basis: pd.Series, phrase: pd.Series, rule: pd.Series) -> pd.Series:
    """One readable cell per deadline: ``stated ("by 2010")`` or ``inferred: D2 ... ("soon")``
    (NA without a basis), as whole-column string operations."""
    text = basis.astype("string")
    rule, phrase = rule.astype("string"), phrase.astype("string")
    text = text.where(rule.isna(), text + ": " + rule)
    return text.where(phrase.isna(), text + ' ("' + phrase + '")')


#: Extra columns of ``export --history``: one row per outcome entry, after the claim columns.
HISTORY_COLUMNS = ["entry", "current", "verdict", "entry_resolved_on", "recorded_by",
                   "recorded_on", "note", "entry_evidence_count", "evidence_urls",
                   "entry_answer"]  # fmt: skip


def _claims_as_of(corpus: Corpus, as_of: object | None) -> pd.DataFrame:
    """The claims, or as they stood on ``as_of`` (:func:`forecastkit.records.snapshot.as_of`)."""
    if as_of is None:
        return corpus.claims
    from forecastkit.records.snapshot import as_of as claims_as_of

    out = claims_as_of(corpus.claims, as_of)
    out.loc[out["status"] == "open", "evidence_count"] = 0
    return out


def export_table(corpus: Corpus, as_of: object | None = None) -> pd.DataFrame:
    """One row per claim with the :data:`EXPORT_COLUMNS`, in corpus order.

    ``as_of`` (a date) gives the corpus as it stood then: claims made later are left out and
    outcomes that became determinate later are open (see :func:`forecastkit.records.snapshot.as_of`).
    """
    c = _claims_as_of(corpus, as_of)
    made = {
        "deadline": deadline_texts(c["deadline_basis"], c["deadline_phrase"], c["deadline_rule"]),
        "tags": tag_texts(c["tags"]),
        **_typed_columns(corpus, c),
    }
    # the claims' own columns are shared, not copied (pandas copies on write)
    columns = {col: made[col] if col in made else c[col] for col in EXPORT_COLUMNS}
    return pd.DataFrame(columns, copy=False).reset_index(drop=True)


def tag_texts(tags: pd.Series) -> pd.Series:
    """Each claim's tags as one text, ``"a; b"`` (empty for none), joined once per distinct
    set of tags."""
    codes, distinct = pd.factorize(tags)
    texts = pd.array(["; ".join(t) for t in distinct], dtype="string")
    return pd.Series(texts.take(codes, allow_fill=True), index=tags.index, name=tags.name)


def _is_date(corpus: Corpus, question_ids: pd.Series) -> np.ndarray:
    dates = corpus.questions.loc[corpus.questions["type"] == "date", "question_id"]
    return question_ids.isin(set(dates)).to_numpy(dtype=bool)


def answer_text(option: pd.Series, value: pd.Series, is_date: np.ndarray) -> pd.Series:
    """An outcome's option, or its value as typed (a date as ``YYYY-MM-DD``); NA for neither."""
    from forecastkit.records.forecast_text import show_number

    numbers = pd.to_numeric(value, errors="coerce").to_numpy(dtype=float)
    valued = np.flatnonzero(~np.isnan(numbers))
    if not len(valued):  # no outcome with a value (yes/no and option questions)
        return as_text(option)
    shown: list[str | None] = [None] * len(numbers)
    for i in valued:  # only the rows with a value
        shown[i] = show_number(float(numbers[i]), bool(is_date[i])) or None
    text = pd.Series(shown, index=value.index, dtype="string")
    return as_text(option).fillna(text)


def as_text(values: pd.Series) -> pd.Series:
    """``values.astype("string")``; a categorical's categories converted once, not each row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        texts = pd.array(values.cat.categories.astype("string"))
        codes = values.cat.codes.to_numpy()
        return pd.Series(texts.take(codes, allow_fill=True), index=values.index, name=values.name)
    return values.astype("string")


def _typed_columns(corpus: Corpus, c: pd.DataFrame) -> dict[str, pd.Series]:
    from forecastkit.records.forecast_text import forecast_texts

    is_date = _is_date(corpus, c["question_id"])
    texts = forecast_texts(corpus.forecast_points, c.loc[is_date, "claim_id"])
    if len(texts):
        forecast = c["claim_id"].astype(str).map(texts).astype("string")
    else:  # no claim with points (a tracker of yes/no questions): nothing to look up
        forecast = pd.Series(pd.NA, index=c.index, dtype="string")
    # A yes/no claim as add claim takes it: its stated probability, else its hedge.
    stated = c["probability_stated"]
    shown = {v: f"{v:.10g}" for v in stated.dropna().unique().tolist()}
    yes_no = stated.map(shown).astype("string").fillna(c["hedge"].astype("string"))
    # each claim's question's unit, looked up by position (frames.positions): a map over an
    # index of question ids first checks that it is unique, item by item
    questions = corpus.questions.drop_duplicates("question_id")
    at = positions(c["question_id"], questions["question_id"])
    unit = pd.Series(questions["unit"].array.take(at, allow_fill=True), index=c.index)
    return {
        "forecast": forecast.fillna(yes_no),
        "unit": unit.astype("string"),
        "answer": answer_text(c["outcome_option"], c["outcome_value"], is_date),
        "question_type": as_text(c["question_type"]),
        "form": as_text(c["form"]),
    }


def history_table(corpus: Corpus, as_of: object | None = None) -> pd.DataFrame:
    """One row per outcome entry, oldest first per claim: the claim's :data:`EXPORT_COLUMNS`
    (its current status) followed by the entry's :data:`HISTORY_COLUMNS`.

    With ``as_of``, entries whose ``resolved_on`` is after it are left out, and so are claims
    made after it.
    """
    claims = export_table(corpus, as_of)
    entries = corpus.outcomes
    if as_of is not None:
        entries = entries[entries["resolved_on"] <= pd.Timestamp(as_of)]
    # Entries belong to questions (a claim with no question is its own): each claim on a shared
    # question gets its question's entries.
    urls = (
        corpus.evidence.groupby(["question_id", "entry"])["url"]
        .agg(lambda u: "; ".join(u.dropna()))
        .rename("evidence_urls")
        .reset_index()
    )
    e = entries.rename(
        columns={"resolved_on": "entry_resolved_on", "evidence_count": "entry_evidence_count"}
    )
    e = e.drop(columns="claim_id").merge(urls, on=["question_id", "entry"], how="left")
    e["entry_answer"] = answer_text(e["option"], e["value"], _is_date(corpus, e["question_id"]))
    out = claims.merge(e, on="question_id", how="inner", suffixes=("", "_entry"))
    out = out.sort_values(["claim_id", "entry"], kind="stable")
    out["evidence_urls"] = out["evidence_urls"].astype("string")
    return out[EXPORT_COLUMNS + HISTORY_COLUMNS].reset_index(drop=True)


def write_table(table: pd.DataFrame, fmt: str, output: str | Path | None = None) -> None:
    """Write ``table`` as ``csv``, ``json`` (records, ISO dates) or ``parquet``.

    ``output=None`` writes to standard output; Parquet, being binary, then needs a pipe or file.
    The file is written whole to a temporary name and renamed, so a failure leaves no half file.
    CSV is written a block of rows at a time (:func:`forecastkit.records.csv_text.csv_chunks`,
    the bytes of pandas' ``to_csv``), so the text is never held whole in memory.
    """
    if fmt not in FORMATS:
        raise ForecastkitError(f"unknown format '{fmt}'", hint=f"use one of {', '.join(FORMATS)}")
    to_stdout = output is None or str(output) == "-"
    if fmt == "parquet" and to_stdout and sys.stdout.buffer.isatty():
        raise ForecastkitError(
            "Parquet is binary and will not be printed to a terminal",
            hint="use --output FILE.parquet, or pipe the output",
        )
    pieces: Iterable[bytes | memoryview]
    if fmt == "csv":
        from forecastkit.records.csv_text import csv_chunks

        pieces = csv_chunks(table)
    elif fmt == "json":
        text = table.to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
        # ISO timestamps at midnight read better as dates
        pieces = [text.replace("T00:00:00.000", "").encode("utf-8") + b"\n"]
    else:
        buffer = io.BytesIO()
        table.to_parquet(buffer, index=False)
        pieces = [buffer.getvalue()]
    if to_stdout:
        stream: BinaryIO = sys.stdout.buffer
        for piece in pieces:
            stream.write(piece)
        stream.flush()
        return
    from forecastkit.records import atomic

    try:
        atomic.write_bytes_atomic(Path(output), pieces)
    except OSError as exc:  # a folder that is a file, a read-only disk, a full one
        raise ForecastkitError(
            f"cannot write the export: {exc.strerror or exc}",
            file=output,
            hint="pass --output a path in a folder you can write",
        ) from None
