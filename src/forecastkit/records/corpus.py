"""Load a corpus folder (claim files, authors registry, outcome logs) into pandas tables.

:func:`load` is the one entry point for notebooks and commands; :func:`check` collects every
error without raising, for ``forecastkit validate``. The file formats are described in
``docs/claim-format.md`` and checked by the JSON Schemas in ``forecastkit/records/schemas``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from forecastkit.errors import (
    ClaimFileError,
    CorpusError,
    ForecastkitError,
    UnknownHedgeError,
    ValidationFailed,
)
from forecastkit.records import lexicon, questions
from forecastkit.records.dates import to_seconds
from forecastkit.records.layout import (
    AUTHORS_FILE,
    RESERVED_KEYS,
    booleans_to_text,
    corpus_files,
    did_you_mean,
    outside_links,
)
from forecastkit.records.paths import resolve_corpus_path
from forecastkit.records.rules import STATUSES, VERDICTS, rule_errors  # noqa: F401 (re-exported)
from forecastkit.records.schema import check as check_schema
from forecastkit.records.yamlio import Document, format_path, read

# The verdicts and statuses are the rules' (records/rules.py); re-exported here.

CLAIM_COLUMNS = [
    "claim_id", "source_id", "file", "line", "claimant", "claimant_name", "claimant_role",
    "kind", "quote", "proposition", "criteria", "hedge", "probability_stated", "probability",
    "probability_low", "probability_high", "scale", "made_on", "resolve_by", "deadline_basis",
    "deadline_phrase", "deadline_rule", "condition", "condition_if_unmet", "tags", "notes",
    "source_title", "publisher", "published", "byline", "status", "verdict", "resolved_on",
    "outcome", "evidence_count", "revisions", *questions.CLAIM_QUESTION_COLUMNS,
]  # fmt: skip
OUTCOME_COLUMNS = [
    "claim_id", "entry", "verdict", "resolved_on", "recorded_by", "recorded_on", "note",
    "evidence_count", "current", "file", "line", "question_id",
]  # fmt: skip
EVIDENCE_COLUMNS = [
    "claim_id",
    "entry",
    "url",
    "title",
    "publisher",
    "published",
    "quote",
    "kind",
    "file",
    "line",
    "question_id",
]
SOURCE_COLUMNS = [
    "source_id", "title", "publisher", "byline", "published", "published_estimated",
    "published_note", "url", "file", "line",
]  # fmt: skip
AUTHOR_COLUMNS = ["claimant", "name", "affiliation", "kind", "aliases", "file", "line"]

_DATE_COLUMNS = {
    "claims": ["made_on", "resolve_by", "published", "resolved_on", "question_resolve_by"],
    "questions": ["resolve_by", "resolved_on"],
    "outcomes": ["resolved_on", "recorded_on"],
    "evidence": ["published"],
    "sources": ["published"],
}
_FLOAT_COLUMNS = ["probability_stated", "probability", "probability_low", "probability_high",
                  "outcome"]  # fmt: skip


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: one table per kind of record (see ``docs/claim-format.md``)."""

    root: Path
    claims: pd.DataFrame
    outcomes: pd.DataFrame
    evidence: pd.DataFrame
    sources: pd.DataFrame
    authors: pd.DataFrame
    scale: str = lexicon.DEFAULT_SCALE
    files: tuple[Path, ...] = field(default=(), repr=False)
    #: Per claim file, how many ``kind: candidate`` entries (forecastkit extract) await review;
    #: candidates are not claims: never loaded into ``claims``, never scored.
    candidates: dict[str, int] = field(default_factory=dict, repr=False)
    #: One row per question (registered, and each claim that is its own question).
    questions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=questions.QUESTION_COLUMNS), repr=False
    )

    def forecasts(self) -> pd.DataFrame:
        """Claims of kind ``forecast``: the ones that are scored."""
        return self.claims[self.claims["kind"] == "forecast"]

    def with_scale(self, scale: str) -> Corpus:
        """The same corpus with hedges read on another lexicon scale."""
        lexicon.get_scale(scale)
        claims = self.claims.copy()
        _apply_scale(claims, scale)
        return replace(self, claims=claims, scale=scale)

    def claim(self, claim_id: str) -> pd.Series:
        """One claim's row; :class:`CorpusError` with suggestions for an unknown id."""
        rows = self.claims[self.claims["claim_id"] == claim_id]
        if rows.empty:
            raise CorpusError(
                f"no claim with id '{claim_id}'",
                hint=did_you_mean(claim_id, self.claims["claim_id"]),
            )
        return rows.iloc[0]

    def history(self, claim_id: str) -> pd.DataFrame:
        """Every outcome entry of one claim's question, oldest first, with its evidence count."""
        qid = self.claim(claim_id)["question_id"]
        return self.outcomes[self.outcomes["question_id"] == qid]

    def overdue(self, today: dt.date | None = None) -> pd.DataFrame:
        """Forecasts past ``resolve_by`` with no outcome, oldest deadline first."""
        today = pd.Timestamp(today or dt.date.today())
        claims = self.forecasts()
        due = claims[(claims["status"] == "open") & (claims["resolve_by"] < today)]
        return due.sort_values(["resolve_by", "claim_id"])


def load(
    path: str | os.PathLike[str] | None = None,
    scale: str = lexicon.DEFAULT_SCALE,
    *,
    today: dt.date | None = None,
) -> Corpus:
    """Load a corpus folder into a :class:`Corpus`.

    Parameters
    ----------
    path:
        The corpus folder (default: the project's ``claims/``).
    scale:
        The lexicon scale that reads hedges into probabilities (``forecastkit lexicon``).
    today:
        The date outcomes may not be after (default: today).

    Raises
    ------
    ValidationFailed
        With every error found, each naming its file, line and field.
    """
    corpus, errors = _load(path, scale, today=today)
    if errors:
        raise ValidationFailed(errors)
    assert corpus is not None
    return corpus


def check(
    path: str | os.PathLike[str] | None = None,
    scale: str = lexicon.DEFAULT_SCALE,
    *,
    today: dt.date | None = None,
) -> tuple[Corpus | None, list[ForecastkitError]]:
    """Load what can be loaded and return it with every error found (none: the corpus is valid)."""
    return _load(path, scale, today=today)


# --------------------------------------------------------------------------------------------
# Reading files


def _display(path: Path, root: Path) -> Path:
    """Paths in errors and tables: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


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
        errors.append(
            ClaimFileError(
                "the file is empty",
                file=shown,
                line=1,
                hint=f"see docs/claim-format.md for the {kind} format",
            )
        )
        return None
    booleans_to_text(doc.data)
    found = check_schema(doc, kind)
    if found:
        errors.extend(found)
        return None
    return doc


def _date(value: Any, doc: Document, path: tuple, errors: list[ForecastkitError]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.append(
            ClaimFileError(
                f"{value!r} is not a real calendar date",
                file=doc.path,
                line=doc.line_of(path),
                field=format_path(path),
                hint="write dates as YYYY-MM-DD, e.g. 2024-06-17",
            )
        )
        return None


# --------------------------------------------------------------------------------------------
# Building the tables


def _load(path, scale, *, today):
    root = resolve_corpus_path(path)
    errors: list[ForecastkitError] = []
    try:
        lexicon.get_scale(scale)
    except ForecastkitError as exc:
        return None, [exc]
    if not root.is_dir():
        what = "is a file, not a corpus folder" if root.exists() else "corpus folder not found"
        return None, [
            CorpusError(
                what, file=root, hint="pass the folder that holds your claim files, e.g. claims/"
            )
        ]
    today = today or dt.date.today()
    layout = corpus_files(root)
    authors_path, claim_paths = layout.authors, list(layout.claim_files)
    tabular_paths, log_paths = list(layout.tabular), list(layout.outcome_logs)

    outside = outside_links(root)
    errors.extend(
        CorpusError(
            "a link to a file outside the corpus folder; it was not read",
            file=_display(p, root),
            hint="copy the file into the corpus folder",
        )
        for p in outside
    )
    authors: list[dict[str, Any]] = []
    if authors_path is None and root / AUTHORS_FILE in outside:
        pass  # reported above
    elif authors_path is None:
        errors.append(
            CorpusError(
                "no authors registry",
                file=root / AUTHORS_FILE,
                hint="create authors.yaml listing every claimant (docs/claim-format.md)",
            )
        )
    else:
        doc = _read_doc(authors_path, "authors", errors, _display(authors_path, root))
        if doc is not None:
            for key, a in (doc.data.get("authors") or {}).items():
                if key in RESERVED_KEYS:
                    errors.append(
                        ClaimFileError(
                            f"'{key}' is a reserved key: the report for it would overwrite "
                            f"its report page",
                            file=doc.path,
                            line=doc.line_of(("authors", key), key=True),
                            field=f"authors.{key}",
                            hint=f"rename it, e.g. {key}-1 (reserved: {', '.join(RESERVED_KEYS)})",
                        )
                    )
                authors.append(
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
    qdoc = (
        _read_doc(layout.questions, "questions", errors, _display(layout.questions, root))
        if layout.questions
        else None
    )
    registry = questions.registry_rows(qdoc, _date, errors)
    check_questions = layout.questions is None or qdoc is not None
    author_names = {a["claimant"]: a["name"] for a in authors}
    check_authors = authors_path is not None and not any(
        e.file == str(_display(authors_path, root)) for e in errors
    )

    sources: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    claim_where: dict[str, tuple[str, int]] = {}
    candidates: dict[str, int] = {}
    broken_claim_files = False
    source_where: dict[str, tuple[str, int]] = {}
    files = layout.all()

    for cpath in claim_paths:
        shown = _display(cpath, root)
        doc = _read_doc(cpath, "claim-file", errors, shown)
        if doc is None:
            broken_claim_files = True
            continue
        src = doc.data["source"]
        sid = src["id"]
        if sid in source_where:
            f, ln = source_where[sid]
            errors.append(
                CorpusError(
                    f"duplicate source id '{sid}'",
                    file=shown,
                    line=doc.line_of(("source", "id")),
                    field="source.id",
                    hint=f"already used at {f}:{ln}; give each source its own id",
                )
            )
        source_where[sid] = (str(shown), doc.line_of(("source", "id")))
        published = _date(src["published"], doc, ("source", "published"), errors)
        for i, key in enumerate(src["byline"]):
            if check_authors and key not in author_names:
                errors.append(_unknown_author(key, doc, ("source", "byline", i), author_names))
        sources.append(
            {
                "source_id": sid,
                "title": src["title"],
                "publisher": src["publisher"],
                "byline": "; ".join(author_names.get(k, k) for k in src["byline"]),
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
            if cid in claim_where:
                f, ln = claim_where[cid]
                errors.append(
                    CorpusError(
                        f"duplicate claim id '{cid}'",
                        file=shown,
                        line=doc.line_of(at + ("id",)),
                        field=format_path(at + ("id",)),
                        hint=f"already used at {f}:{ln}; ids must be unique across the corpus",
                    )
                )
            claim_where[cid] = (str(shown), line)
            if c.get("kind") == "candidate":  # awaiting review: counted, never loaded or scored
                candidates[str(shown)] = candidates.get(str(shown), 0) + 1
                continue
            if check_authors and c["claimant"] not in author_names:
                errors.append(_unknown_author(c["claimant"], doc, at + ("claimant",), author_names))
            if c.get("question") and check_questions and c["question"] not in registry:
                errors.append(
                    questions.unknown_question(
                        c["question"],
                        registry,
                        file=shown,
                        line=doc.line_of(at + ("question",)),
                        field=format_path(at + ("question",)),
                    )
                )
            made_on = _date(c.get("made_on"), doc, at + ("made_on",), errors) or published
            resolve_by = _date(c.get("resolve_by"), doc, at + ("resolve_by",), errors)
            if made_on and resolve_by and resolve_by < made_on:
                errors.append(
                    ClaimFileError(
                        f"resolve_by {resolve_by} is before made_on {made_on}",
                        file=shown,
                        line=doc.line_of(at + ("resolve_by",)),
                        field=format_path(at + ("resolve_by",)),
                        hint="a deadline comes after the forecast is made; check both dates",
                    )
                )
            hedge = c.get("hedge")
            if hedge is not None and not lexicon.is_known_hedge(hedge):
                errors.append(
                    UnknownHedgeError(
                        f"unknown hedge '{hedge}'",
                        file=shown,
                        line=doc.line_of(at + ("hedge",)),
                        field=format_path(at + ("hedge",)),
                        hint=_hedge_hint(hedge),
                    )
                )
            deadline = c.get("deadline") or {}
            condition = c.get("condition") or {}
            claims.append(
                {
                    "claim_id": cid,
                    "question": c.get("question"),
                    "source_id": sid,
                    "file": str(shown),
                    "line": line,
                    "claimant": c["claimant"],
                    "claimant_name": author_names.get(c["claimant"]),
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
                    "byline": sources[-1]["byline"],
                }
            )

    tabular_outcomes: list[dict[str, Any]] = []
    for tpath in tabular_paths:
        from forecastkit.records import tabular  # only corpora with tabular files pay for it

        shown = _display(tpath, root)
        try:
            t_sources, t_claims, t_outcomes = tabular.read_claim_table(tpath, shown)
        except ValidationFailed as exc:  # several bad rows: report each one
            errors.extend(exc.errors)
            broken_claim_files = True
            continue
        except ForecastkitError as exc:
            errors.append(exc)
            broken_claim_files = True
            continue
        sources.extend(t_sources)
        for c in t_claims:
            if c["claim_id"] in claim_where:
                f, ln = claim_where[c["claim_id"]]
                errors.append(
                    CorpusError(
                        f"duplicate claim id '{c['claim_id']}'",
                        file=shown,
                        line=c["line"],
                        field="id",
                        hint=f"already used at {f}:{ln}",
                    )
                )
            claim_where[c["claim_id"]] = (str(shown), c["line"])
            if check_authors and c["claimant"] not in author_names:
                errors.append(
                    CorpusError(
                        f"unknown claimant '{c['claimant']}'",
                        file=shown,
                        line=c["line"],
                        field="claimant",
                        hint="add it to authors.yaml (forecastkit import does this)",
                    )
                )
            c["claimant_name"] = author_names.get(c["claimant"])
            if c.get("question") and c["question"] not in registry:
                # A tracker's export names its own questions: rows of a tabular file that share
                # an unregistered question id are that question, its text the first row's
                # proposition (docs/claim-format.md). 18,000 questions need no registry entry.
                registry[c["question"]] = questions.file_question(c, shown)
            claims.append(c)
        for i, o in enumerate(t_outcomes):
            o["_order"] = (o["recorded_on"] or dt.date.min, str(shown), i)
            tabular_outcomes.append(o)

    made_on_of = {c["claim_id"]: c["made_on"] for c in claims}
    kind_of = {c["claim_id"]: c["kind"] for c in claims}
    questions.link_claims(claims, registry, errors)
    question_of = {c["claim_id"]: c["question_id"] for c in claims}
    latest_claim: dict[str, dict[str, Any]] = {}  # per question, the claim made last
    for c in claims:
        q = latest_claim.get(c["question_id"])
        if c["made_on"] and (q is None or q["made_on"] < c["made_on"]):
            latest_claim[c["question_id"]] = c

    outcomes = questions.collapse_tabular_outcomes(tabular_outcomes, question_of, errors)
    for lpath in log_paths:
        shown = _display(lpath, root)
        doc = _read_doc(lpath, "outcomes", errors, shown)
        if doc is None:
            continue
        for i, o in enumerate(doc.data.get("outcomes") or []):
            at = ("outcomes", i)
            cid = o.get("claim")
            if cid is None:  # keyed by a shared question
                qid = o["question"]
                if qid not in registry:
                    if check_questions:
                        errors.append(
                            questions.unknown_question(
                                qid,
                                registry,
                                file=shown,
                                line=doc.line_of(at + ("question",)),
                                field=format_path(at + ("question",)),
                            )
                        )
                    continue
            elif cid not in made_on_of:
                if broken_claim_files:  # the claim may be in a file that failed to load
                    continue
                errors.append(
                    CorpusError(
                        f"outcome for unknown claim '{cid}'",
                        file=shown,
                        line=doc.line_of(at + ("claim",)),
                        field=format_path(at + ("claim",)),
                        hint=did_you_mean(cid, made_on_of)
                        or "check the claim id in the claim file",
                    )
                )
                continue
            else:
                qid = question_of[cid]
                if qid != cid:
                    errors.append(
                        CorpusError(
                            f"claim '{cid}' forecasts the shared question '{qid}'",
                            file=shown,
                            line=doc.line_of(at + ("claim",)),
                            field=format_path(at + ("claim",)),
                            hint=f"log the outcome once for every claim on it: question: {qid}",
                        )
                    )
                    continue
            resolved_on = _date(o["resolved_on"], doc, at + ("resolved_on",), errors)
            recorded_on = _date(o["recorded_on"], doc, at + ("recorded_on",), errors)
            last = latest_claim.get(qid)
            made_on = last["made_on"] if last else None
            if resolved_on and made_on and resolved_on < made_on:
                which = "" if last["claim_id"] == qid else f" (claim '{last['claim_id']}')"
                errors.append(
                    ClaimFileError(
                        f"resolved_on {resolved_on} is before the claim was made ({made_on}){which}",
                        file=shown,
                        line=doc.line_of(at + ("resolved_on",)),
                        field=format_path(at + ("resolved_on",)),
                        hint="resolved_on is when the outcome became determinate, after the forecast",
                    )
                )
            if resolved_on and resolved_on > today:
                errors.append(
                    ClaimFileError(
                        f"resolved_on {resolved_on} is in the future",
                        file=shown,
                        line=doc.line_of(at + ("resolved_on",)),
                        field=format_path(at + ("resolved_on",)),
                        hint="an outcome can only be logged once it is determinate",
                    )
                )
            if resolved_on and recorded_on and recorded_on < resolved_on:
                errors.append(
                    ClaimFileError(
                        f"recorded_on {recorded_on} is before resolved_on {resolved_on}",
                        file=shown,
                        line=doc.line_of(at + ("recorded_on",)),
                        field=format_path(at + ("recorded_on",)),
                        hint="an outcome is recorded on or after the day it became determinate",
                    )
                )
            ev = [
                dict(
                    e,
                    file=str(shown),
                    line=doc.line_of(at + ("evidence", j)),
                    published=_date(
                        e.get("published"), doc, at + ("evidence", j, "published"), errors
                    ),
                )  # the calendar check of every other date
                for j, e in enumerate(o.get("evidence") or [])
            ]
            if cid is not None and kind_of.get(cid, "forecast") != "forecast":
                errors.append(
                    CorpusError(
                        f"claim '{cid}' is a {kind_of[cid]}, not a forecast: it has no outcome",
                        file=shown,
                        line=doc.line_of(at),
                        field=format_path(at),
                        hint="only forecasts are resolved; remove this entry",
                    )
                )
            outcomes.append(
                {
                    "claim_id": cid,
                    "question_id": qid,
                    "verdict": o["verdict"],
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

    corpus = _assemble(root, scale, authors, sources, claims, outcomes, files, registry)
    corpus = replace(corpus, candidates=candidates)
    # The table rules that the GX layer checks too (records/rules.py): both layers agree.
    errors.extend(rule_errors(corpus, today, errors))
    return corpus, errors


def _unknown_author(key: str, doc: Document, path: tuple, known: dict[str, str]) -> CorpusError:
    return CorpusError(
        f"unknown claimant '{key}'",
        file=doc.path,
        line=doc.line_of(path),
        field=format_path(path),
        hint=did_you_mean(key, known) or f"add '{key}' to authors.yaml",
    )


def _hedge_hint(hedge: str) -> str:
    near = lexicon.suggest_hedges(hedge)
    known = f"did you mean {' or '.join(repr(n) for n in near)}? " if near else ""
    return known + "`forecastkit lexicon --house` lists every known hedge"


def _assemble(root, scale, authors, sources, claims, outcomes, files, registry) -> Corpus:
    # Outcome history: log order by recorded_on, then file and position. Entries are numbered
    # per question (a claim with no question is its own) and the last one is current.
    outcomes.sort(key=lambda o: o["_order"])
    per_question: dict[str, int] = {}
    evidence: list[dict[str, Any]] = []
    for o in outcomes:
        qid = o.setdefault("question_id", o["claim_id"])
        n = per_question[qid] = per_question.get(qid, 0) + 1
        o["entry"] = n
        del o["_order"]
        for e in o.pop("_evidence", []) or []:
            evidence.append({"claim_id": o["claim_id"], "question_id": qid, "entry": n, **e})
    for o in outcomes:
        o["current"] = o["entry"] == per_question[o["question_id"]]
    current = {o["question_id"]: o for o in outcomes if o["current"]}
    for c in claims:
        c.setdefault("question_id", c["claim_id"])
        o = current.get(c["question_id"])
        c["status"] = o["verdict"] if o else "open"
        c["verdict"] = o["verdict"] if o else None
        c["resolved_on"] = o["resolved_on"] if o else None
        c["outcome"] = {"true": 1.0, "false": 0.0}.get(c["verdict"], float("nan"))
        c["evidence_count"] = o["evidence_count"] if o else 0
        c["revisions"] = per_question.get(c["question_id"], 0)
    questions_df = _frame(
        questions.question_rows(registry, claims, current, per_question),
        questions.QUESTION_COLUMNS,
        "questions",
    )
    for col in ("n_claims", "n_claimants", "evidence_count", "revisions", "line"):
        questions_df[col] = questions_df[col].astype("int64")
    questions_df["registered"] = questions_df["registered"].astype(bool)

    claims_df = _frame(claims, CLAIM_COLUMNS, "claims")
    claims_df["line"] = claims_df["line"].astype("int64")
    claims_df["evidence_count"] = claims_df["evidence_count"].astype("int64")
    claims_df["revisions"] = claims_df["revisions"].astype("int64")
    _apply_scale(claims_df, scale)
    outcomes_df = _frame(outcomes, OUTCOME_COLUMNS, "outcomes")
    outcomes_df["current"] = outcomes_df["current"].astype(bool)
    for col in ("entry", "evidence_count", "line"):
        outcomes_df[col] = outcomes_df[col].astype("int64")
    evidence_df = _frame(evidence, EVIDENCE_COLUMNS, "evidence")
    evidence_df["entry"] = evidence_df["entry"].astype("int64")
    evidence_df["line"] = evidence_df["line"].astype("Int64")  # tabular files have no lines
    sources_df = _frame(sources, SOURCE_COLUMNS, "sources")
    sources_df["published_estimated"] = sources_df["published_estimated"].astype(bool)
    sources_df["line"] = sources_df["line"].astype("Int64")
    authors_df = _frame(authors, AUTHOR_COLUMNS, "authors")
    authors_df["line"] = authors_df["line"].astype("int64")
    return Corpus(
        root=root,
        claims=claims_df,
        outcomes=outcomes_df,
        evidence=evidence_df,
        sources=sources_df,
        authors=authors_df,
        scale=scale,
        files=tuple(files),
        questions=questions_df,
    )


def _frame(rows: list[dict[str, Any]], columns: list[str], table: str) -> pd.DataFrame:
    df = pd.DataFrame.from_records(rows, columns=columns)
    for col in columns:
        if col in _DATE_COLUMNS.get(table, ()):
            df[col] = to_seconds(df[col])
        elif col in _FLOAT_COLUMNS:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
        elif col not in (
            "tags",
            "line",
            "entry",
            "evidence_count",
            "revisions",
            "current",
            "published_estimated",
            "registered",
            "n_claims",
            "n_claimants",
        ):
            df[col] = df[col].astype("string")
    return df


def _apply_scale(claims: pd.DataFrame, scale: str) -> None:
    """Fill ``probability``, ``probability_low/high`` and ``scale`` from stated numbers or hedges."""
    stated = claims["probability_stated"]
    readings = {
        h: lexicon.read_hedge(h, scale)
        for h in claims["hedge"].dropna().unique()
        if lexicon.is_known_hedge(h)
    }
    hedges = claims["hedge"]

    def pick(attr: str) -> pd.Series:
        values = hedges.map(lambda h: getattr(readings[h], attr) if h in readings else float("nan"))
        return values.astype("float64")

    has_stated = stated.notna()
    claims["probability"] = stated.where(has_stated, pick("point"))
    claims["probability_low"] = stated.where(has_stated, pick("low"))
    claims["probability_high"] = stated.where(has_stated, pick("high"))
    read = ~has_stated & hedges.isin(list(readings))
    claims["scale"] = pd.Series(pd.NA, index=claims.index, dtype="string").mask(read, scale)
