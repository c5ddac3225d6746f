"""Check a new claim's forecast form, or a new outcome's option or value, against its question
before ``add claim`` or ``resolve`` writes it.

The checks are the loader's own (:mod:`forecastkit.records.forms`: the form fits the question's
type, probabilities name every option and sum to 1, quantiles do not decrease, values are
numbers or dates as the question wants and within its closed bounds), run on the one new claim,
so that a claim ``add claim`` accepts is one ``forecastkit validate`` accepts. Errors name the
claim's field (``claim.probabilities.medvedev``); nothing is written. An outcome's option or
value is checked as the loader checks an outcome entry
(:func:`forecastkit.records.answers.outcome_answer`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forecastkit.editing.edit import plain_data
from forecastkit.errors import EditError, ForecastkitError, ValidationFailed
from forecastkit.records import question_types

if TYPE_CHECKING:
    import pandas as pd

#: The question fields the form checks read (``corpus.questions`` columns).
_TYPE_FIELDS = ("type", "options", "ordered", "lower", "upper", "open_lower", "open_upper")


def question_fields(questions: pd.DataFrame, question_id: str | None) -> dict[str, Any] | None:
    """The type fields of a question of ``corpus.questions`` (None: no such question)."""
    if question_id is None:
        return None
    rows = questions[questions["question_id"] == question_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    out = {f: row[f] for f in _TYPE_FIELDS if f in row.index}
    out["type"] = str(out.get("type") or "binary")
    out["options"] = tuple(out.get("options") or ())
    return out


def check_form(form: str, claim: Mapping[str, Any], question: Mapping[str, Any] | None) -> None:
    """The claim's ``form`` is one its question's type takes (before the numbers are looked at:
    ``--probabilities`` on a numeric question is refused as such, not for its numbers).

    Raises
    ------
    EditError
        Naming the form (``claim.probabilities``) and what the question takes.
    """
    from forecastkit.records import forms

    qid = claim.get("question") or claim["id"]
    qtype = (question or {}).get("type") or "binary"
    kind = claim.get("kind") or "forecast"
    problem = forms.form_problem(form, qtype, kind, claim.get("question") is not None, qid)
    if problem:
        raise EditError(problem[0], field=f"claim.{form}", hint=problem[1])


def check_forecast(claim: Mapping[str, Any], question: Mapping[str, Any] | None) -> str:
    """The form of the new ``claim`` (plain data, as it will be written), checked against its
    ``question`` (:func:`question_fields`; None when the claim is its own, binary, question).

    Raises
    ------
    EditError
        The first problem, with the claim's field (``claim.quantiles.0.95``) and a hint.
    """
    from forecastkit.records import forms
    from forecastkit.records.yamlio import Document

    cid = str(claim["id"])
    doc = Document(path=Path("<new>"), data={"claims": [dict(claim)]})
    errors: list[ForecastkitError] = []
    rows: list[tuple] = []
    form = forms.yaml_form(claim, doc, ("claims", 0), errors, rows)
    qid = claim.get("question") or cid
    registry = {qid: {**question_types.binary_fields(), **(question or {})}}
    if not errors:
        check_form(form, claim, question)
    if not errors and rows:
        forms.check_points(forms.raw_frame(rows), {cid: qid}, registry, [cid], errors)
    if errors:
        first = errors[0]
        raise EditError(
            first.message,
            field="claim." + (first.field or form).removeprefix("claims[0]."),
            hint=first.hint,
        )
    return form


def registry_question(root: Path, question_id: str | None) -> dict[str, Any] | None:
    """The type fields of a question of ``questions.yaml`` (None: a claim that is its own,
    yes/no, question), from the registry alone: ``resolve`` never loads the whole corpus."""
    if question_id is None:
        return None
    from forecastkit.records.layout import QUESTIONS_FILE
    from forecastkit.records.yamlio import parse, read_text

    registry = root / QUESTIONS_FILE
    data = parse(read_text(registry), registry).data
    found = data.get("questions") if isinstance(data, Mapping) else None
    q = found.get(question_id) if isinstance(found, Mapping) else None
    if not isinstance(q, Mapping):
        return None
    errors: list[Any] = []
    out = question_types.type_fields(
        q, file=registry, line_of=lambda f: None, prefix="", errors=errors
    )
    if errors:
        raise ValidationFailed(errors)
    return out


def outcome_fields(
    verdict: str, option: str | None, value: Any, question: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The outcome fields of the new entry (``verdict``, ``option`` or ``value``), checked
    against the question's type by the loader's own check
    (:func:`forecastkit.records.answers.outcome_answer`)."""
    from forecastkit.records.answers import outcome_answer

    if option is not None:
        options = (question or {}).get("options") or ()
        by_fold = {str(o).casefold(): o for o in options}
        option = by_fold.get(str(option).strip().casefold(), str(option).strip())
        out: dict[str, Any] = {"option": option}
    elif value is not None:
        if isinstance(value, str):
            from forecastkit.records.forecast_text import parse_value

            try:
                value = parse_value(value, "value")
            except EditError as exc:
                raise EditError(exc.message, field="value", hint=exc.hint) from None
        out = {"value": value}
    else:
        out = {"verdict": {"true": True, "false": False}.get(verdict, verdict)}
    checked = dict(plain_data(out))
    if "verdict" in checked:
        checked["verdict"] = verdict
    _option, _value, problem = outcome_answer(checked, question)
    if problem:
        fld, _, message = problem.partition("|")
        message, _, hint = message.partition("; ")
        asked = next(iter(out))
        if fld != asked or " resolves with " in message:  # the wrong kind: say what it takes
            qtype = (question or {}).get("type", "binary")
            options = ", ".join((question or {}).get("options") or ())
            hint = {
                "binary": "give --verdict true or false",
                "multiple_choice": f"give --option LABEL (its options: {options})",
                "numeric": "give --value NUMBER",
                "date": "give --value YYYY-MM-DD",
            }[qtype]
            fld = asked
        raise EditError(message, field=fld, hint=hint or None)
    return out
