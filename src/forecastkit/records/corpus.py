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
    CorpusError,
    ForecastkitError,
    ValidationFailed,
)
from forecastkit.records import forms, lexicon, questions
from forecastkit.records.dates import to_seconds
from forecastkit.records.layout import (
    corpus_files,
    did_you_mean,
    outside_links,
)
from forecastkit.records.paths import resolve_corpus_path
from forecastkit.records.reading import (
    Reading,
    _display,
    link_questions,
    read_claim_files,
    read_outcome_logs,
    read_registries,
    read_tables,
)
from forecastkit.records.rules import STATUSES, VERDICTS, rule_errors  # noqa: F401 (re-exported)

# The verdicts and statuses are the rules' (records/rules.py); re-exported here.

CLAIM_COLUMNS = [
    "claim_id", "source_id", "file", "line", "claimant", "claimant_name", "claimant_role",
    "kind", "quote", "proposition", "criteria", "hedge", "probability_stated", "probability",
    "probability_low", "probability_high", "scale", "made_on", "resolve_by", "deadline_basis",
    "deadline_phrase", "deadline_rule", "condition", "condition_if_unmet", "tags", "notes",
    "source_title", "publisher", "published", "byline", "status", "verdict", "resolved_on",
    "outcome", "evidence_count", "revisions", *questions.CLAIM_QUESTION_COLUMNS,
    "question_type", "form", "outcome_option", "outcome_value",
]  # fmt: skip
OUTCOME_COLUMNS = [
    "claim_id", "entry", "verdict", "resolved_on", "recorded_by", "recorded_on", "note",
    "evidence_count", "current", "file", "line", "question_id", "option", "value",
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
                  "outcome", "outcome_value", "value", "lower", "upper"]  # fmt: skip
_CATEGORIES = {"question_type": forms.QUESTION_TYPES, "type": forms.QUESTION_TYPES,
               "form": forms.FORMS}  # fmt: skip
_KEPT = ("tags", "line", "entry", "evidence_count", "revisions", "current", "published_estimated",
         "registered", "n_claims", "n_claimants", "options", "ordered", "open_lower",
         "open_upper")  # fmt: skip


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
    #: The numbers of every non-binary forecast, one row each (docs/question-types.md).
    forecast_points: pd.DataFrame = field(default_factory=forms.empty_points, repr=False)

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
    claim_paths = list(layout.claim_files)
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
    r = Reading(root=root, today=today, errors=errors)
    read_registries(r, layout, outside)
    read_claim_files(r, claim_paths)
    read_tables(r, tabular_paths)
    link_questions(r)
    read_outcome_logs(r, log_paths)
    files = layout.all()

    corpus = _assemble(root, scale, r.authors, r.sources, r.claims, r.outcomes, files, r.registry)
    corpus = replace(corpus, candidates=r.candidates, forecast_points=_points(r))
    # The table rules that the GX layer checks too (records/rules.py): both layers agree.
    errors.extend(rule_errors(corpus, today, errors))
    return corpus, errors


def _points(r: Reading) -> pd.DataFrame:
    """``corpus.forecast_points``: the raw rows of YAML and tabular claims, checked together."""
    frames = list(r.point_frames)
    if r.point_rows:
        frames.insert(0, forms.raw_frame(r.point_rows))
    if not frames:
        return forms.empty_points()
    raw = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    order = [c["claim_id"] for c in r.claims]
    return forms.check_points(raw, r.question_of, r.registry, order, r.errors)


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
        c["outcome_option"] = o.get("option") if o else None
        c["outcome_value"] = o.get("value", float("nan")) if o else float("nan")
        c["evidence_count"] = o["evidence_count"] if o else 0
        c["revisions"] = per_question.get(c["question_id"], 0)
    questions_df = _frame(
        questions.question_rows(registry, claims, current, per_question),
        questions.QUESTION_COLUMNS,
        "questions",
    )
    for col in ("n_claims", "n_claimants", "evidence_count", "revisions", "line"):
        questions_df[col] = questions_df[col].astype("int64")
    for col in ("registered", "ordered", "open_lower", "open_upper"):
        questions_df[col] = questions_df[col].astype(bool)

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
        elif col in _CATEGORIES:
            df[col] = pd.Categorical(df[col], categories=list(_CATEGORIES[col]))
        elif col not in _KEPT:
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
