"""Check a new claim's forecast form against its question before ``add claim`` writes it.

The checks are the loader's own (:mod:`forecastkit.records.forms`: the form fits the question's
type, probabilities name every option and sum to 1, quantiles do not decrease, values are
numbers or dates as the question wants and within its closed bounds), run on the one new claim,
so that a claim ``add claim`` accepts is one ``forecastkit validate`` accepts. Errors name the
claim's field (``claim.probabilities.medvedev``); nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from forecastkit.errors import EditError, ForecastkitError
from forecastkit.records import forms, question_types
from forecastkit.records.yamlio import Document

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
    qid = claim.get("question") or claim["id"]
    entry = {
        "question_id": qid,
        "question": claim.get("question"),
        "form": form,
        "kind": claim.get("kind") or "forecast",
        "file": None,
        "line": None,
        "_form_at": (None, f"claim.{form}"),
    }
    errors: list[ForecastkitError] = []
    forms.check_forms(
        [entry], {qid: {**question_types.binary_fields(), **(question or {})}}, errors
    )
    if errors:
        raise EditError(errors[0].message, field=errors[0].field, hint=errors[0].hint)


def check_forecast(claim: Mapping[str, Any], question: Mapping[str, Any] | None) -> str:
    """The form of the new ``claim`` (plain data, as it will be written), checked against its
    ``question`` (:func:`question_fields`; None when the claim is its own, binary, question).

    Raises
    ------
    EditError
        The first problem, with the claim's field (``claim.quantiles.0.95``) and a hint.
    """
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
