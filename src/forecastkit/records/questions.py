"""Questions: the events claims forecast, shared by several claims or each claim its own.

A question is an event with one outcome. Claims that forecast the same event name it
(``question: ID``, an id of the registry ``questions.yaml``); a claim with no ``question`` is its
own question, whose id is the claim id. Outcomes are logged per question (``question: ID`` in an
outcome log, or ``claim: ID`` for a claim that is its own question) and every claim on the
question inherits the verdict. The loader (:mod:`forecastkit.records.corpus`) calls these helpers;
the format is described in ``docs/claim-format.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from forecastkit.errors import CorpusError, ForecastkitError
from forecastkit.records import question_types
from forecastkit.records.layout import did_you_mean
from forecastkit.records.yamlio import Document

QUESTION_COLUMNS = [
    "question_id", "text", "criteria", "resolve_by", "tags", "notes", "registered", "n_claims",
    "n_claimants", "status", "verdict", "resolved_on", "outcome", "evidence_count", "revisions",
    "file", "line", *question_types.TYPE_FIELDS, "outcome_option", "outcome_value",
]  # fmt: skip

#: Claim columns the loader adds from the claim's question.
CLAIM_QUESTION_COLUMNS = ["question_id", "question_text", "question_resolve_by"]


def registry_rows(
    doc: Document | None,
    to_date: Callable[[Any, Document, tuple, list[ForecastkitError]], dt.date | None],
    errors: list[ForecastkitError],
) -> dict[str, dict[str, Any]]:
    """The registry's questions by id (``doc`` already schema-checked; None: no registry)."""
    if doc is None:
        return {}
    out = {}
    for key, q in (doc.data.get("questions") or {}).items():
        typed = question_types.type_fields(
            q,
            file=doc.path,
            line_of=lambda f, k=key: doc.line_of(("questions", k, f)),
            prefix=f"questions.{key}",
            errors=errors,
        )
        out[key] = {
            "question_id": key,
            "text": q["text"],
            "criteria": q.get("criteria"),
            "resolve_by": to_date(
                q.get("resolve_by"), doc, ("questions", key, "resolve_by"), errors
            ),
            "tags": tuple(q.get("tags") or ()),
            "notes": q.get("notes"),
            "registered": True,
            "file": str(doc.path),
            "line": doc.line_of(("questions", key), key=True),
            **typed,
        }
    return out


def unknown_question(
    qid: str, registry: dict[str, Any], *, file: Any, line: int | None, field: str
) -> CorpusError:
    """The error for a claim or outcome naming a question that is not in the registry."""
    return CorpusError(
        f"unknown question '{qid}'",
        file=file,
        line=line,
        field=field,
        hint=did_you_mean(qid, registry) or f"add '{qid}' to questions.yaml (docs/claim-format.md)",
    )
