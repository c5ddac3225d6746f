"""Add a question to ``questions.yaml``: binary, multiple choice (options, optionally ordered),
numeric or date (unit, bounds, open or closed ends), as ``docs/question-types.md`` describes."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

from forecastkit.editing.edit import (
    Edit,
    as_date,
    check_new_entry,
    collector_paused,
    line_of_last,
    load_for_edit,
    locked,
    new_file,
    plain_data,
    read_for_edit,
    refuse_if_broken,
    schema_header,
    write_checked,
)
from forecastkit.errors import CorpusError, EditError, ForecastkitError
from forecastkit.records.layout import ID_HINT, ID_PATTERN, QUESTIONS_FILE
from forecastkit.records.paths import resolve_corpus_path

QUESTION_TYPES = ("binary", "multiple_choice", "numeric", "date")


@collector_paused()
def add_question(
    question_id: str,
    *,
    text: str,
    qtype: str = "binary",
    options: Sequence[str] = (),
    ordered: bool = False,
    unit: str | None = None,
    lower: Any = None,
    upper: Any = None,
    open_lower: bool | None = None,
    open_upper: bool | None = None,
    criteria: str | None = None,
    resolve_by: dt.date | str | None = None,
    tags: Sequence[str] = (),
    notes: str | None = None,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> Edit:
    """Append question ``question_id`` to the corpus's ``questions.yaml`` (created if missing).

    Parameters
    ----------
    qtype:
        ``binary``, ``multiple_choice``, ``numeric`` or ``date``.
    options, ordered:
        A multiple-choice question's option labels (at least two, lower-case ``[a-z0-9-]``),
        and whether they are in order (the ranked probability score then applies).
    unit, lower, upper, open_lower, open_upper:
        A numeric or date question's unit and bounds (numbers; dates on a date question). An
        end with a bound is closed unless ``open_*`` says otherwise; without one it is open.

    Raises
    ------
    ForecastkitError
        For a bad or duplicate id, a field the type does not take, bounds out of order, or a
        broken ``questions.yaml``; nothing is written.
    """
    from forecastkit.records.question_types import type_fields

    root = resolve_corpus_path(path)
    corpus, errors = load_for_edit(root, today)
    file = root / QUESTIONS_FILE
    refuse_if_broken(errors, file)
    qid = (question_id or "").strip()
    if not ID_PATTERN.match(qid):
        raise EditError(f"'{question_id}' is not a valid question id", field="id", hint=ID_HINT)
    taken = corpus.questions[corpus.questions["registered"].astype(bool)]
    if qid in set(taken["question_id"]) or qid in set(corpus.claims["claim_id"]):
        what = "question" if qid in set(taken["question_id"]) else "claim"
        raise CorpusError(
            f"'{qid}' is already the id of a {what}",
            field="id",
            hint="choose another id (a question and a claim may not share one)",
        )
    if qtype not in QUESTION_TYPES:
        raise EditError(
            f"'{qtype}' is not a question type",
            field="question.type",
            hint=f"use one of: {', '.join(QUESTION_TYPES)}",
        )
    if not text or not text.strip():
        raise EditError("a question needs its text", field="question.text", hint="give --text")
    if qtype == "multiple_choice" and len(options) < 2:
        raise EditError(
            "a multiple_choice question needs at least two options",
            field="question.options",
            hint="give --options LABELS, e.g. --options medvedev,putin,neither",
        )
    entry: dict[str, Any] = {"text": text.strip()}
    if qtype != "binary":
        entry["type"] = qtype
    if options:
        entry["options"] = [str(o).strip() for o in options]
    if ordered:
        entry["ordered"] = True
    optional = {
        "unit": unit,
        "lower": lower,
        "upper": upper,
        "open_lower": open_lower,
        "open_upper": open_upper,
    }
    entry.update({k: v for k, v in optional.items() if v is not None})
    if criteria:
        entry["criteria"] = criteria
    due = as_date(resolve_by, "question.resolve_by")
    if due is not None:
        entry["resolve_by"] = due
    if tags:
        entry["tags"] = [t.strip() for t in tags if t.strip()]
    if notes:
        entry["notes"] = notes

    plain = plain_data(entry)
    check_new_entry({"questions": {qid: plain}}, "questions", "question", f"questions.{qid}")
    found: list[ForecastkitError] = []
    type_fields(plain, file=None, line_of=lambda f: None, prefix="question", errors=found)
    if found:
        raise EditError(found[0].message, field=found[0].field, hint=found[0].hint)

    from forecastkit.editing.yamledit import append_parsed

    with locked(file):
        if file.exists():
            fresh = read_for_edit(file, "questions")
        else:
            fresh = new_file(schema_header(root, root, "questions") + "\n", file)
        doc = append_parsed(fresh.doc, "questions", {qid: entry})
        write_checked(file, doc, fresh.bom, "questions")
    line = line_of_last(doc, "questions")
    kind = qtype.replace("_", " ")
    return Edit(
        file=file, line=line, id=qid, message=f"added {kind} question {qid} ({file}:{line})"
    )
