"""The corpus rules, as data, checked by both layers of ``forecastkit validate``.

:data:`RULES` is the one list of table rules (uniqueness, value sets, ranges, date order,
references). The Great Expectations layer (:mod:`forecastkit.validation.expectations`) turns each
into a GX expectation; the loader (:func:`forecastkit.records.corpus.check`) evaluates the same
rules with pandas (:func:`offences`), so ``validate --no-expectations`` refuses everything GX
would, and a corpus that loads meets every rule. ``tests/test_expectations.py`` checks that the
two evaluations find the same rows for every rule.

A rule names a GX expectation class and its arguments;
:func:`forecastkit.records.offences.offending` evaluates one with pandas (the subset of GX
semantics the rules use) and describes each offending row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from forecastkit.errors import CorpusError, ForecastkitError
from forecastkit.records import forms, question_types
from forecastkit.records.offences import Offence, offence, offending
from forecastkit.records.schema import schema

if TYPE_CHECKING:  # pragma: no cover
    from forecastkit.records.corpus import Corpus

#: The tables checked, in report order.
TABLES = ("claims", "outcomes", "evidence", "sources", "authors", "questions", "forecast_points")
#: The verdicts, and a claim's statuses (open, or its current verdict).
VERDICTS = ("true", "false", "ambiguous", "annulled")
STATUSES = ("open", *VERDICTS)
#: The statuses (and verdicts, but open) of a multiple-choice, numeric or date question.
TYPED_STATUSES = ("open", forms.RESOLVED, "ambiguous", "annulled")
_BINARY = 'question_type == "binary"'
_TYPED = 'question_type != "binary"'
_BINARY_ENTRY = "option.isna() & value.isna()"
_TYPED_ENTRY = "option.notna() | value.notna()"
_RESOLVED = 'verdict == "true" | verdict == "false" | verdict == "resolved"'
#: Every true/false verdict needs evidence, in outcome logs and tabular files alike; an import
#: records the tracker's own resolution as its evidence (``kind: tracker``, docs/claim-format.md).
_RESOLVED_IN_LOG = _RESOLVED


def _schema_enum(kind: str, prop: str) -> list[str]:
    """The ``enum`` of the first property called ``prop`` anywhere in a JSON Schema."""

    def find(node: Any) -> list[str] | None:
        if isinstance(node, dict):
            props = node.get("properties")
            if (
                isinstance(props, dict)
                and isinstance(props.get(prop), dict)
                and "enum" in props[prop]
            ):
                return list(props[prop]["enum"])
            children: Sequence[Any] = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            return None
        for child in children:
            found = find(child)
            if found is not None:
                return found
        return None

    found = find(schema(kind))
    if found is None:  # a schema change that this module must follow
        raise KeyError(f"no enum for '{prop}' in the {kind} schema")
    return found


@dataclass(frozen=True)
class Rule:
    """One expectation on one table, as data.

    Parameters
    ----------
    table:
        The corpus table (``claims``, ``outcomes``, ``evidence``, ``sources``, ``authors``).
    expectation:
        The GX expectation class name (``ExpectColumnValuesToBeUnique``).
    kwargs:
        Its arguments; ``{"$PARAMETER": name}`` values are filled per run (``claimants``,
        ``claim_ids``, ``today``).
    message:
        What an offending row breaks, formatted with the row's fields
        (``"made_on {made_on} is after resolve_by {resolve_by}"``).
    """

    table: str
    expectation: str
    kwargs: Mapping[str, Any]
    message: str

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the expectation reads."""
        keys = ("column", "column_A", "column_B", "column_list")
        cols: list[str] = []
        for key in keys:
            value = self.kwargs.get(key)
            if isinstance(value, str):
                cols.append(value)
            elif isinstance(value, (list, tuple)):
                cols.extend(value)
        return tuple(cols)


def _param(name: str) -> dict[str, str]:
    return {"$PARAMETER": name}


def _when(where: str | None, **kwargs: Any) -> dict[str, Any]:
    """An expectation's arguments, limited to the rows where ``where`` (pandas) holds, if given."""
    if where:
        kwargs.update(row_condition=where, condition_parser="pandas")
    return kwargs


def _in_set(
    table: str, column: str, values: Sequence[str], what: str, where: str | None = None
) -> Rule:
    return Rule(
        table,
        "ExpectColumnValuesToBeInSet",
        _when(where, column=column, value_set=list(values)),
        f"{column} {{{column}!r}} is not {what} ({', '.join(values)})",
    )


def _at_least(table: str, high: str, low: str, message: str) -> Rule:
    """``low <= high`` where both are known (a missing value is the schema layer's business)."""
    return Rule(
        table,
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {
            "column_A": high,
            "column_B": low,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
        message,
    )


def _not_after(table: str, later: str, earlier: str) -> Rule:
    """``earlier <= later`` where both dates are known."""
    return _at_least(table, later, earlier, f"{earlier} {{{earlier}}} is after {later} {{{later}}}")


def _has_evidence(table: str, message: str) -> Rule:
    """A true, false or resolved verdict names at least one piece of evidence."""
    return Rule(
        table,
        "ExpectColumnValuesToBeBetween",
        _when(_RESOLVED_IN_LOG, column="evidence_count", min_value=1),
        message,
    )


def _not_future(table: str, column: str) -> Rule:
    return Rule(
        table,
        "ExpectColumnValuesToBeBetween",
        {"column": column, "max_value": _param("today")},
        f"{column} {{{column}}} is in the future (after {{today}})",
    )


def _build_rules() -> tuple[Rule, ...]:
    roles = _schema_enum("claim-file", "claimant_role")
    kinds = _schema_enum("claim-file", "kind")
    author_kinds = _schema_enum("authors", "kind")
    return (
        # claims: identity, value sets, references
        Rule(
            "claims", "ExpectColumnValuesToNotBeNull", {"column": "claim_id"}, "the claim has no id"
        ),
        Rule(
            "claims",
            "ExpectColumnValuesToBeUnique",
            {"column": "claim_id"},
            "claim id {claim_id!r} is used more than once",
        ),
        _in_set("claims", "kind", kinds, "a claim kind"),
        _in_set("claims", "claimant_role", roles, "a claimant role"),
        _in_set("claims", "status", STATUSES, "a status", _BINARY),
        _in_set("claims", "verdict", VERDICTS, "a verdict", _BINARY),
        Rule(
            "claims",
            "ExpectColumnValuesToBeInSet",
            {"column": "claimant", "value_set": _param("claimants")},
            "claimant {claimant!r} is not in the authors registry",
        ),
        # claims: probabilities
        Rule(
            "claims",
            "ExpectColumnValuesToBeBetween",
            {"column": "probability", "min_value": 0, "max_value": 1},
            "probability {probability} is outside [0, 1]",
        ),
        # A hedge is never read as certainty (docs/conventions.md: "will" is almost certain).
        Rule(
            "claims",
            "ExpectColumnValuesToBeBetween",
            _when(
                "scale.notna()",
                column="probability",
                min_value=0,
                max_value=1,
                strict_min=True,
                strict_max=True,
            ),
            "hedge {hedge!r} reads as probability {probability}, a certainty",
        ),
        _at_least(
            "claims",
            "probability",
            "probability_low",
            "probability {probability} is below probability_low {probability_low}",
        ),
        _at_least(
            "claims",
            "probability_high",
            "probability",
            "probability {probability} is above probability_high {probability_high}",
        ),
        # claims: dates
        _not_after("claims", "resolve_by", "made_on"),
        _not_after("claims", "resolved_on", "made_on"),
        _not_future("claims", "made_on"),
        _not_future("claims", "resolved_on"),
        _has_evidence(
            "claims", "resolved {verdict} with no evidence; add the page that shows the outcome"
        ),
        # outcomes
        # an outcome is logged per question (a claim with no question is its own, its id the
        # claim's), so it names a question; claim_id is empty for a shared question's entry
        Rule(
            "outcomes",
            "ExpectColumnValuesToNotBeNull",
            {"column": "question_id"},
            "the outcome names no question or claim",
        ),
        Rule(
            "outcomes",
            "ExpectColumnValuesToBeInSet",
            {"column": "question_id", "value_set": _param("question_ids")},
            "{question_id!r} is not a question or claim of any claim file",
        ),
        _in_set("outcomes", "verdict", VERDICTS, "a verdict", _BINARY_ENTRY),
        _not_after("outcomes", "recorded_on", "resolved_on"),
        _not_future("outcomes", "resolved_on"),
        _not_future("outcomes", "recorded_on"),
        _has_evidence(
            "outcomes", "verdict {verdict} with no evidence; add the page that shows the outcome"
        ),
        # evidence
        Rule(
            "evidence",
            "ExpectColumnValuesToBeInSet",
            {"column": "question_id", "value_set": _param("question_ids")},
            "{question_id!r} is not a question or claim of any claim file",
        ),
        _not_future("evidence", "published"),
        # sources
        Rule(
            "sources",
            "ExpectColumnValuesToNotBeNull",
            {"column": "source_id"},
            "the source has no id",
        ),
        Rule(
            "sources",
            "ExpectColumnValuesToBeUnique",
            {"column": "source_id"},
            "source id {source_id!r} is used more than once",
        ),
        _not_future("sources", "published"),
        # authors
        Rule(
            "authors",
            "ExpectColumnValuesToBeUnique",
            {"column": "claimant"},
            "author key {claimant!r} is used more than once",
        ),
        # a crowd (an aggregate: docs/question-types.md) is its own kind, not a person's
        _in_set(
            "authors",
            "kind",
            [k for k in author_kinds if k != "crowd"],
            "an author kind",
            'kind != "crowd"',
        ),
    )


def _build_type_rules() -> tuple[Rule, ...]:
    """The rules of multiple-choice, numeric and date questions (docs/question-types.md)."""

    def between(table: str, column: str, low: float, high: float) -> Rule:
        return Rule(
            table,
            "ExpectColumnValuesToBeBetween",
            {"column": column, "min_value": low, "max_value": high},
            f"{column} {{{column}}} is outside [{low}, {high}]",
        )

    def not_null(table: str, column: str, where: str, message: str) -> Rule:
        return Rule(table, "ExpectColumnValuesToNotBeNull", _when(where, column=column), message)

    resolved_mc = 'status == "resolved" & question_type == "multiple_choice"'
    resolved_num = 'status == "resolved" & (question_type == "numeric" | question_type == "date")'
    return (
        # claims
        _in_set("claims", "question_type", question_types.QUESTION_TYPES, "a question type"),
        _in_set("claims", "form", forms.FORMS, "a forecast form"),
        _in_set("claims", "status", TYPED_STATUSES, "a status of its question's type", _TYPED),
        _in_set(
            "claims", "verdict", TYPED_STATUSES[1:], "a verdict of its question's type", _TYPED
        ),
        not_null("claims", "outcome_option", resolved_mc, "resolved with no option"),
        not_null("claims", "outcome_value", resolved_num, "resolved with no value"),
        # outcomes
        _in_set(
            "outcomes",
            "verdict",
            (forms.RESOLVED,),
            "the verdict of an option or value",
            _TYPED_ENTRY,
        ),
        # questions
        _in_set("questions", "type", question_types.QUESTION_TYPES, "a question type"),
        _at_least("questions", "upper", "lower", "upper {upper} is below lower {lower}"),
        # forecast points
        Rule(
            "forecast_points",
            "ExpectColumnValuesToBeInSet",
            {"column": "claim_id", "value_set": _param("claim_ids")},
            "{claim_id!r} is not a claim of any claim file",
        ),
        _in_set("forecast_points", "form", forms.NONBINARY_FORMS, "a non-binary form"),
        between("forecast_points", "p", 0, 1),
        not_null(
            "forecast_points",
            "x",
            'form != "probabilities"',
            "a {form} forecast's number is missing",
        ),
        not_null(
            "forecast_points",
            "option",
            'form == "probabilities"',
            "a probability names no option",
        ),
    )


#: The rules of every corpus (binary questions and what every record has), in report order.
RULES: tuple[Rule, ...] = _build_rules()
#: The rules of the question types beyond binary.
TYPE_RULES: tuple[Rule, ...] = _build_type_rules()
#: Every rule, in report order: both layers of ``forecastkit validate`` check these.
ALL_RULES: tuple[Rule, ...] = RULES + TYPE_RULES


def has_types(corpus: Corpus) -> bool:
    """Whether ``corpus`` has questions of a type beyond binary (then :data:`TYPE_RULES` apply)."""
    points = getattr(corpus, "forecast_points", None)
    if points is not None and len(points):
        return True
    q = corpus.questions
    return "type" in q.columns and bool((q["type"].astype("string") != "binary").any())


def rules_for(corpus: Corpus) -> tuple[Rule, ...]:
    """The rules that apply to ``corpus``: :data:`ALL_RULES` when it has typed questions, else
    :data:`RULES` (a corpus of binary questions is checked as before types existed)."""
    return ALL_RULES if has_types(corpus) else RULES


def parameters(corpus: Corpus, today: dt.date | None = None) -> dict[str, Any]:
    """The values of the rules' ``$PARAMETER`` placeholders for one corpus and day: each set
    of ids a sorted list of distinct texts."""

    def distinct(*columns: pd.Series) -> list[str]:
        # one conversion to Python objects per column, not an iteration over Arrow scalars
        # (0.2 s of a validate on PredictionBook's 62,500 claims)
        found: set[str] = set()
        for column in columns:
            found.update(column.dropna().astype(str).to_numpy(dtype=object).tolist())
        return sorted(found)

    return {
        "claimants": distinct(corpus.authors["claimant"]),
        "claim_ids": distinct(corpus.claims["claim_id"]),
        "question_ids": distinct(corpus.claims["question_id"], corpus.questions["question_id"]),
        "today": pd.Timestamp(today or dt.date.today()),
    }


def _value_sets(corpus: Corpus, today: dt.date | None) -> dict[str, Any]:
    """:func:`parameters` for the pandas evaluation: the same sets of values, each a column of
    distinct values in the corpus's text dtype (one pyarrow membership test each), not a
    sorted list of Python strings (0.2 s for PredictionBook's 62,500 claim ids)."""

    def distinct(*columns: pd.Series) -> pd.Series:
        values = pd.concat(columns, ignore_index=True) if len(columns) > 1 else columns[0]
        return values.dropna().astype("string").drop_duplicates()

    claims = corpus.claims
    return {
        "claimants": distinct(corpus.authors["claimant"]),
        "claim_ids": distinct(claims["claim_id"]),
        "question_ids": distinct(claims["question_id"], corpus.questions["question_id"]),
        "today": pd.Timestamp(today or dt.date.today()),
    }


def offences(
    corpus: Corpus, today: dt.date | None = None, rules: Sequence[Rule] | None = None
) -> list[tuple[int, Offence]]:
    """Every (rule index, offence) of ``corpus``, evaluated with pandas, in rule order
    (``rules``: default :func:`rules_for` the corpus)."""
    rules = rules_for(corpus) if rules is None else rules
    params = _value_sets(corpus, today)
    frames: dict[str, pd.DataFrame] = {}
    conditions: dict[str, dict[str, np.ndarray]] = {}
    found = []
    for i, rule in enumerate(rules):
        if rule.table not in frames:
            frames[rule.table] = getattr(corpus, rule.table).reset_index(drop=True)
        frame = frames[rule.table]
        mask = offending(rule, frame, params, conditions.setdefault(rule.table, {}))
        for pos in np.flatnonzero(mask):
            found.append((i, offence(rule, frame.iloc[int(pos)], params["today"])))
    return found


def rule_errors(
    corpus: Corpus,
    today: dt.date | None,
    known: Sequence[ForecastkitError],
    *,
    claimants: bool = True,
) -> list[ForecastkitError]:
    """The loader's errors for the rules: one per offending row, skipping files that already
    have an error (the loader's own message for the same mistake is the better one), and with
    ``claimants`` false the claimant rule (an authors registry that could not be read makes
    every claimant unknown: its own error says it)."""
    noisy = {e.file for e in known if e.file}
    rules = rules_for(corpus)
    if not claimants:
        rules = tuple(r for r in rules if r.kwargs.get("value_set") != _param("claimants"))
    out: list[ForecastkitError] = []
    for _, o in offences(corpus, today, rules):
        file, _, line = o.location.rpartition(":")
        if not line.isdigit():
            file, line = o.location, ""
        if file in noisy:
            continue
        out.append(
            CorpusError(
                f"{o.subject}: {o.message}", file=file or None, line=int(line) if line else None
            )
        )
    return out
