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


def link_claims(
    claims: list[dict[str, Any]],
    registry: dict[str, dict[str, Any]],
    errors: list[ForecastkitError],
) -> None:
    """Give every claim its ``question_id``, ``question_text`` and ``question_resolve_by``.

    A registered question without ``resolve_by`` closes at the latest ``resolve_by`` of its
    claims. A registry id may not also be a claim id (``resolve ID`` would be ambiguous).
    """
    latest: dict[str, dt.date] = {}
    for c in claims:
        qid = c.get("question") or c["claim_id"]
        c["question_id"] = qid
        if qid in registry and c.get("resolve_by"):
            latest[qid] = max(latest.get(qid, c["resolve_by"]), c["resolve_by"])
    claim_ids = {c["claim_id"]: c for c in claims}
    for qid, q in registry.items():
        if qid in claim_ids:
            c = claim_ids[qid]
            errors.append(
                CorpusError(
                    f"question id '{qid}' is also a claim id",
                    file=q["file"],
                    line=q["line"],
                    field=f"questions.{qid}",
                    hint=f"the claim is at {c['file']}:{c['line']}; give the question another id",
                )
            )
        if q["resolve_by"] is None:
            q["resolve_by"] = latest.get(qid)
    for c in claims:
        q = registry.get(c["question_id"])
        c["question_type"] = q["type"] if q else "binary"
        c["question_text"] = q["text"] if q else c["proposition"]
        c["question_resolve_by"] = q["resolve_by"] if q else c.get("resolve_by")


def collapse_tabular_outcomes(
    outcomes: list[dict[str, Any]], question_of: dict[str, str], errors: list[ForecastkitError]
) -> list[dict[str, Any]]:
    """Key a tabular file's outcome rows by question: a tracker repeats the outcome on every
    forecast of a question, so rows that agree are one entry; rows that disagree are an error."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    out = []
    for o in outcomes:
        qid = question_of.get(o["claim_id"], o["claim_id"])
        o["question_id"] = qid
        if qid == o["claim_id"]:
            out.append(o)
            continue
        seen = first.get((o["file"], qid))
        if seen is None:
            first[(o["file"], qid)] = o
            o["claim_id"] = None  # the entry is the question's, not one claim's
            out.append(o)
        elif _answer(seen) != _answer(o):
            errors.append(
                CorpusError(
                    f"question '{qid}' has another outcome here than on line {seen['line']}",
                    file=o["file"],
                    line=o["line"],
                    field="verdict",
                    hint="every row of one question gives the same verdict and resolved_on",
                )
            )
    return out


def _answer(o: dict[str, Any]) -> tuple:
    return (o["verdict"], o["resolved_on"], o.get("option"), str(o.get("value")))


def question_rows(
    registry: dict[str, dict[str, Any]],
    claims: list[dict[str, Any]],
    current: dict[str, dict[str, Any]],
    revisions: dict[str, int],
) -> list[dict]:
    """One row per question: the registered ones, then each claim that is its own question."""
    rows = {qid: dict(q) for qid, q in registry.items()}
    claimants: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for c in claims:
        qid = c["question_id"]
        counts[qid] = counts.get(qid, 0) + 1
        claimants.setdefault(qid, set()).add(c["claimant"])
        if qid not in rows:
            rows[qid] = {
                "question_id": qid,
                "text": c["proposition"],
                "criteria": c["criteria"],
                "resolve_by": c["resolve_by"],
                "tags": c["tags"],
                "notes": None,
                "registered": False,
                "file": c["file"],
                "line": c["line"],
                **question_types.binary_fields(),
            }
    for qid, row in rows.items():
        o = current.get(qid)
        row["n_claims"] = counts.get(qid, 0)
        row["n_claimants"] = len(claimants.get(qid, ()))
        row["status"] = o["verdict"] if o else "open"
        row["verdict"] = o["verdict"] if o else None
        row["resolved_on"] = o["resolved_on"] if o else None
        row["outcome"] = {"true": 1.0, "false": 0.0}.get(row["verdict"], float("nan"))
        row["outcome_option"] = o.get("option") if o else None
        row["outcome_value"] = o.get("value", float("nan")) if o else float("nan")
        row["evidence_count"] = o["evidence_count"] if o else 0
        row["revisions"] = revisions.get(qid, 0)
    return list(rows.values())


def file_question(claim: dict[str, Any], file: Any) -> dict[str, Any]:
    """A question defined by a tabular claim file: an id its rows share that the registry lacks.

    Its text and criteria are those of the first row that names it; it closes at the latest
    ``resolve_by`` of its claims (as a registered question without ``resolve_by``).
    """
    return {
        "question_id": claim["question"],
        "text": claim["proposition"],
        "criteria": claim.get("criteria"),
        "resolve_by": None,
        "tags": tuple(claim.get("tags") or ()),
        "notes": None,
        "registered": False,
        "file": str(file),
        "line": claim["line"],
        **(claim.get("_qdef") or question_types.binary_fields()),
    }
