"""Read each kind of corpus file into rows, collecting every error: the stages of
:func:`forecastkit.records.corpus.load`.

A :class:`Reading` carries what the stages share (the rows so far, the errors, who the claimants
are, which claim ids are where); each ``read_*`` function reads one kind of file into it:
registries (``authors.yaml``, ``questions.yaml``), YAML claim files, tabular claim files
(``records/linking.py``, as frames), and outcome logs, in that order, since each needs what the
one before found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forecastkit.errors import (
    ClaimFileError,
    CorpusError,
    ForecastkitError,
    UnknownHedgeError,
)
from forecastkit.records import answers, forms, lexicon, questions
from forecastkit.records.layout import (
    AUTHORS_FILE,
    RESERVED_KEYS,
    CorpusFiles,
    booleans_to_text,
    did_you_mean,
)
from forecastkit.records.linking import latest_made_on
from forecastkit.records.registry import Registry
from forecastkit.records.schema import check as check_schema
from forecastkit.records.yamlio import Document, format_path, read


@dataclass
class Reading:
    """What the reading stages share: the corpus folder, the day, the rows and the errors."""

    root: Path
    today: dt.date
    errors: list[ForecastkitError] = field(default_factory=list)
    authors: list[dict[str, Any]] = field(default_factory=list)
    author_names: dict[str, str] = field(default_factory=dict)
    check_authors: bool = False
    #: The questions by id (``records/registry.py``): questions.yaml's, then the tables'.
    registry: Registry = field(default_factory=Registry)
    check_questions: bool = True
    sources: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    claim_where: dict[str, tuple[str, int]] = field(default_factory=dict)
    candidates: dict[str, int] = field(default_factory=dict)
    broken_claim_files: bool = False
    source_where: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: The tabular claim files read (``records/tabular.py``), as frames.
    tables: list[Any] = field(default_factory=list)
    author_series: Any = None
    #: After linking (``records/linking.py``): every claim as one frame; per claim id its
    #: question and kind (Series); per question its claim made last and its day (a dict:
    #: linking.latest_claims, made when an outcome log first asks); the tables' outcome
    #: entries (a frame, None: none).
    claims_df: Any = None
    question_of: Any = None
    kind_of: Any = None
    latest_claim: Any = None
    tabular_outcomes: Any = None
    #: The outcome logs' entries.
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    #: Raw forecast points (records/forms.py): YAML rows as tuples, tabular files as frames.
    point_rows: list[tuple] = field(default_factory=list)
    point_frames: list[Any] = field(default_factory=list)


def read_registries(r: Reading, layout: CorpusFiles, outside: tuple[Path, ...]) -> None:
    """``authors.yaml`` (required) and ``questions.yaml`` (optional). An error of the authors
    registry leads the errors (``leads``), and the claimants are not checked against it."""
    authors_path = layout.authors
    start = len(r.errors)
    if authors_path is None and r.root / AUTHORS_FILE in outside:
        pass  # reported above
    elif authors_path is None:
        r.errors.append(
            CorpusError(
                "no authors registry",
                file=r.root / AUTHORS_FILE,
                hint="create authors.yaml listing every claimant (docs/claim-format.md)",
            )
        )
    else:
        doc = _read_doc(authors_path, "authors", r.errors, shown_path(authors_path, r.root))
        if doc is not None:
            for key, a in (doc.data.get("authors") or {}).items():
                if key in RESERVED_KEYS:
                    r.errors.append(
                        ClaimFileError(
                            f"'{key}' is a reserved key: the report for it would overwrite "
                            f"its report page",
                            file=doc.path,
                            line=doc.line_of(("authors", key), key=True),
                            field=f"authors.{key}",
                            hint=f"rename it, e.g. {key}-1 (reserved: {', '.join(RESERVED_KEYS)})",
                        )
                    )
                r.authors.append(
                    {
                        "claimant": key,
                        "name": a["name"],
                        "affiliation": a.get("affiliation"),
                        "kind": a["kind"],
                        "aliases": "; ".join(a.get("aliases") or []),
                        "file": str(doc.path),
                        "line": doc.line_of(("authors", key), key=True),
                    }
                )
    for e in r.errors[start:]:
        e.leads = True
    qdoc = (
        _read_doc(layout.questions, "questions", r.errors, shown_path(layout.questions, r.root))
        if layout.questions
        else None
    )
    r.registry = Registry(questions.registry_rows(qdoc, _date, r.errors))
    r.check_questions = layout.questions is None or qdoc is not None
    r.author_names = {a["claimant"]: a["name"] for a in r.authors}
    r.check_authors = authors_path is not None and not any(
        e.file == str(shown_path(authors_path, r.root)) for e in r.errors
    )


def read_claim_files(r: Reading, claim_paths: list[Path]) -> None:
    """YAML claim files: one source and its claims each."""
    for cpath in claim_paths:
        shown = shown_path(cpath, r.root)
        doc = _read_doc(cpath, "claim-file", r.errors, shown)
        if doc is None:
            r.broken_claim_files = True
            continue
        src = doc.data["source"]
        sid = src["id"]
        if sid in r.source_where:
            f, ln = r.source_where[sid]
            r.errors.append(
                CorpusError(
                    f"duplicate source id '{sid}'",
                    file=shown,
                    line=doc.line_of(("source", "id")),
                    field="source.id",
                    hint=f"already used at {f}:{ln}; give each source its own id",
                )
            )
        r.source_where[sid] = (str(shown), doc.line_of(("source", "id")))
        published = _date(src["published"], doc, ("source", "published"), r.errors)
        for i, key in enumerate(src["byline"]):
            if r.check_authors and key not in r.author_names:
                r.errors.append(_unknown_author(key, doc, ("source", "byline", i), r.author_names))
        r.sources.append(
            {
                "source_id": sid,
                "title": src["title"],
                "publisher": src["publisher"],
                "byline": "; ".join(r.author_names.get(k, k) for k in src["byline"]),
                "published": published,
                "published_estimated": bool(src.get("published_estimated")),
                "published_note": src.get("published_note"),
                "url": src.get("url"),
                "file": str(shown),
                "line": doc.line_of(("source",), key=True),
            }
        )
        for i, c in enumerate(doc.data.get("claims") or []):
            at = ("claims", i)
            cid = c["id"]
            line = doc.line_of(at)
            if cid in r.claim_where:
                f, ln = r.claim_where[cid]
                r.errors.append(
                    _at(
                        CorpusError,
                        doc,
                        at + ("id",),
                        f"duplicate claim id '{cid}'",
                        hint=f"already used at {f}:{ln}; ids must be unique across the corpus",
                    )
                )
            r.claim_where[cid] = (str(shown), line)
            if c.get("kind") == "candidate":  # awaiting review: counted, never loaded or scored
                r.candidates[str(shown)] = r.candidates.get(str(shown), 0) + 1
                continue
            if c.get("kind") == "rejected":  # turned down in review: kept, never loaded
                continue
            if r.check_authors and c["claimant"] not in r.author_names:
                r.errors.append(
                    _unknown_author(c["claimant"], doc, at + ("claimant",), r.author_names)
                )
            if c.get("question") and r.check_questions and c["question"] not in r.registry:
                r.errors.append(
                    questions.unknown_question(
                        c["question"],
                        r.registry,
                        file=shown,
                        line=doc.line_of(at + ("question",)),
                        field=format_path(at + ("question",)),
                    )
                )
            made_on = _date(c.get("made_on"), doc, at + ("made_on",), r.errors) or published
            resolve_by = _date(c.get("resolve_by"), doc, at + ("resolve_by",), r.errors)
            if made_on and resolve_by and resolve_by < made_on:
                r.errors.append(
                    _at(
                        ClaimFileError,
                        doc,
                        at + ("resolve_by",),
                        f"resolve_by {resolve_by} is before made_on {made_on}",
                        hint="a deadline comes after the forecast is made; check both dates",
                    )
                )
            hedge = c.get("hedge")
            if hedge is not None and not lexicon.is_known_hedge(hedge):
                r.errors.append(
                    _at(
                        UnknownHedgeError,
                        doc,
                        at + ("hedge",),
                        f"unknown hedge '{hedge}'",
                        hint=_hedge_hint(hedge),
                    )
                )
            form = forms.yaml_form(c, doc, at, r.errors, r.point_rows)
            deadline = c.get("deadline") or {}
            condition = c.get("condition") or {}
            r.claims.append(
                {
                    "claim_id": cid,
                    "question": c.get("question"),
                    "source_id": sid,
                    "file": str(shown),
                    "line": line,
                    "claimant": c["claimant"],
                    "claimant_name": r.author_names.get(c["claimant"]),
                    "claimant_role": c["claimant_role"],
                    "kind": c.get("kind") or "forecast",
                    "quote": c["quote"],
                    "proposition": c["proposition"],
                    "criteria": c.get("criteria"),
                    "hedge": hedge,
                    "probability_stated": c.get("probability"),
                    "made_on": made_on,
                    "resolve_by": resolve_by,
                    "deadline_basis": deadline.get("basis"),
                    "deadline_phrase": deadline.get("phrase"),
                    "deadline_rule": deadline.get("rule"),
                    "condition": condition.get("text"),
                    "condition_if_unmet": condition.get("if_unmet"),
                    "tags": tuple(c.get("tags") or ()),
                    "notes": c.get("notes"),
                    "source_title": src["title"],
                    "publisher": src["publisher"],
                    "published": published,
                    "byline": r.sources[-1]["byline"],
                    "form": form,
                    "_form_at": _form_at(doc, at, c, form),
                }
            )


def read_outcome_logs(r: Reading, log_paths: list[Path]) -> None:
    """Outcome logs: entries per claim (its own question) or per shared question."""
    for lpath in log_paths:
        shown = shown_path(lpath, r.root)
        doc = _read_doc(lpath, "outcomes", r.errors, shown)
        if doc is None:
            continue
        for i, o in enumerate(doc.data.get("outcomes") or []):
            at = ("outcomes", i)
            cid = o.get("claim")
            if cid is None:  # keyed by a shared question
                qid = o["question"]
                if qid not in r.registry:
                    if r.check_questions:
                        r.errors.append(
                            questions.unknown_question(
                                qid,
                                r.registry,
                                file=shown,
                                line=doc.line_of(at + ("question",)),
                                field=format_path(at + ("question",)),
                            )
                        )
                    continue
            elif cid not in r.question_of.index:
                if r.broken_claim_files:  # the claim may be in a file that failed to load
                    continue
                r.errors.append(
                    _at(
                        CorpusError,
                        doc,
                        at + ("claim",),
                        f"outcome for unknown claim '{cid}'",
                        hint=did_you_mean(cid, r.question_of.index)
                        or "check the claim id in the claim file",
                    )
                )
                continue
            else:
                qid = r.question_of[cid]
                if qid != cid:
                    r.errors.append(
                        _at(
                            CorpusError,
                            doc,
                            at + ("claim",),
                            f"claim '{cid}' forecasts the shared question '{qid}'",
                            hint=f"log the outcome once for every claim on it: question: {qid}",
                        )
                    )
                    continue
            resolved_on = _date(o["resolved_on"], doc, at + ("resolved_on",), r.errors)
            recorded_on = _date(o["recorded_on"], doc, at + ("recorded_on",), r.errors)
            last_id, made_on = latest_made_on(r, qid) or (None, None)
            if resolved_on and made_on and resolved_on < made_on:
                which = "" if last_id == qid else f" (claim '{last_id}')"
                r.errors.append(
                    _at(
                        ClaimFileError,
                        doc,
                        at + ("resolved_on",),
                        f"resolved_on {resolved_on} is before the claim was made ({made_on}){which}",
                        hint="resolved_on is when the outcome became determinate, after the forecast",
                    )
                )
            if resolved_on and resolved_on > r.today:
                r.errors.append(
                    _at(
                        ClaimFileError,
                        doc,
                        at + ("resolved_on",),
                        f"resolved_on {resolved_on} is in the future",
                        hint="an outcome can only be logged once it is determinate",
                    )
                )
            if resolved_on and recorded_on and recorded_on < resolved_on:
                r.errors.append(
                    _at(
                        ClaimFileError,
                        doc,
                        at + ("recorded_on",),
                        f"recorded_on {recorded_on} is before resolved_on {resolved_on}",
                        hint="an outcome is recorded on or after the day it became determinate",
                    )
                )
            ev = [
                dict(
                    e,
                    file=str(shown),
                    line=doc.line_of(at + ("evidence", j)),
                    published=_date(
                        e.get("published"), doc, at + ("evidence", j, "published"), r.errors
                    ),
                )  # the calendar check of every other date
                for j, e in enumerate(o.get("evidence") or [])
            ]
            if cid is not None and r.kind_of.get(cid, "forecast") != "forecast":
                r.errors.append(
                    _at(
                        CorpusError,
                        doc,
                        at,
                        f"claim '{cid}' is a {r.kind_of[cid]}, not a forecast: it has no outcome",
                        hint="only forecasts are resolved; remove this entry",
                    )
                )
            option, value, problem = answers.outcome_answer(o, r.registry.get(qid))
            if problem:
                r.errors.append(
                    answers.outcome_error(
                        problem,
                        file=shown,
                        line_of=lambda f, a=at, d=doc: d.line_of(a + (f,)),
                        prefix=format_path(at),
                    )
                )
                continue  # reported: not an outcome of its claims
            r.outcomes.append(
                {
                    "claim_id": cid,
                    "question_id": qid,
                    "verdict": o.get("verdict") or forms.RESOLVED,
                    "option": option,
                    "value": value,
                    "resolved_on": resolved_on,
                    "recorded_by": o["recorded_by"],
                    "recorded_on": recorded_on,
                    "note": o.get("note"),
                    "evidence_count": len(ev),
                    "file": str(shown),
                    "line": doc.line_of(at),
                    "_order": (recorded_on or dt.date.min, str(shown), i),
                    "_evidence": ev,
                }
            )


def _form_at(doc: Document, at: tuple, c: dict[str, Any], form: str) -> tuple[int, str]:
    """Line and field of a claim's forecast (its hedge or probability when binary)."""
    key = form if form != "probability" else ("hedge" if c.get("hedge") else "probability")
    return doc.line_of(at + (key,), key=True), format_path(at + (key,))


def shown_path(path: Path, root: Path) -> Path:
    """Paths in errors and tables: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


#: How to fill an empty file, by kind (other kinds: see docs/claim-format.md).
_EMPTY_HINTS = {
    "authors": "list every claimant in it (forecastkit add author KEY --name NAME adds one; "
    "docs/claim-format.md); the claims are checked against it once it does",
}


def _read_doc(
    path: Path, kind: str, errors: list[ForecastkitError], shown: Path
) -> Document | None:
    try:
        doc = read(path)
    except ClaimFileError as exc:
        exc.file = str(shown)
        errors.append(exc)
        return None
    doc.path = shown
    if doc.data is None:
        hint = _EMPTY_HINTS.get(kind, f"see docs/claim-format.md for the {kind} format")
        errors.append(ClaimFileError("the file is empty", file=shown, line=1, hint=hint))
        return None
    booleans_to_text(doc.data)
    found = check_schema(doc, kind)
    if found:
        errors.extend(found)
        return None
    return doc


def _at(
    error: type[ForecastkitError],
    doc: Document,
    path: tuple,
    message: str,
    hint: str | None = None,
) -> ForecastkitError:
    """``error(message)`` located at ``path`` of ``doc``: its file, line and field."""
    return error(message, file=doc.path, line=doc.line_of(path), field=format_path(path), hint=hint)


def _date(value: Any, doc: Document, path: tuple, errors: list[ForecastkitError]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.append(
            _at(
                ClaimFileError,
                doc,
                path,
                f"{value!r} is not a real calendar date",
                hint="write dates as YYYY-MM-DD, e.g. 2024-06-17",
            )
        )
        return None


def _unknown_author(key: str, doc: Document, path: tuple, known: dict[str, str]) -> CorpusError:
    return _at(
        CorpusError,
        doc,
        path,
        f"unknown claimant '{key}'",
        hint=did_you_mean(key, known) or f"add '{key}' to authors.yaml",
    )


def _hedge_hint(hedge: str) -> str:
    near = lexicon.suggest_hedges(hedge)
    known = f"did you mean {' or '.join(repr(n) for n in near)}? " if near else ""
    return known + "`forecastkit lexicon --house` lists every known hedge"
