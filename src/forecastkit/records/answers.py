"""The outcome of a multiple-choice, numeric or date question: an entry's ``option:`` or
``value:``, checked against its question (``docs/question-types.md``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from forecastkit.errors import CorpusError
from forecastkit.records.layout import did_you_mean
from forecastkit.records.question_types import read_value, show_value, type_mismatch


def outcome_answer(
    entry: Mapping[str, Any], question: Mapping[str, Any] | None
) -> tuple[str | None, float, str | None]:
    """``(option, value, problem)`` of an outcome entry on its question (None: binary).

    ``problem`` is the field that is wrong and why, as ``field: message`` (None when fine).
    """
    qtype = question["type"] if question else "binary"
    verdict, option, value = entry.get("verdict"), entry.get("option"), entry.get("value")
    given = [k for k, v in (("verdict", verdict), ("option", option), ("value", value)) if v]
    if value is not None and "value" not in given:
        given.append("value")  # a value of 0 is a value
    if len(given) > 1:
        return None, math.nan, f"{given[1]}|give one of verdict, option or value, not both"
    if qtype == "binary":
        if option is not None or value is not None:
            k = "option" if option is not None else "value"
            return None, math.nan, f"{k}|a binary question resolves with verdict: true or false"
        return None, math.nan, None
    if verdict in ("true", "false"):
        answer = "option: LABEL" if qtype == "multiple_choice" else "value: ..."
        return None, math.nan, f"verdict|a {qtype} question resolves with {answer}"
    if verdict is not None:  # ambiguous, annulled
        return None, math.nan, None
    if qtype == "multiple_choice":
        if option is None:
            return None, math.nan, "value|a multiple_choice question resolves with option: LABEL"
        if option not in question["options"]:
            near = did_you_mean(option, question["options"])
            known = near or f"its options: {', '.join(question['options'])}"
            return None, math.nan, f"option|'{option}' is not an option of the question; {known}"
        return str(option), math.nan, None
    if value is None:
        return None, math.nan, f"option|a {qtype} question resolves with value: ..."
    try:
        x, is_date = read_value(value)
    except ValueError as exc:
        return None, math.nan, f"value|{exc}"
    if is_date != (qtype == "date"):
        return None, math.nan, f"value|{type_mismatch(qtype, value)}"
    d = qtype == "date"
    if not question["open_lower"] and x < question["lower"]:
        bound = show_value(question["lower"], d)
        return None, math.nan, f"value|{value} is below the closed lower bound {bound}"
    if not question["open_upper"] and x > question["upper"]:
        bound = show_value(question["upper"], d)
        return None, math.nan, f"value|{value} is above the closed upper bound {bound}"
    return None, x, None


def outcome_error(problem: str, *, file: Any, line_of: Any, prefix: str) -> CorpusError:
    """The located error for ``outcome_answer``'s problem (``line_of(field)``: its line)."""
    fld, _, message = problem.partition("|")
    line = line_of(fld)
    hint = None
    if "; " in message:
        message, hint = message.split("; ", 1)
    return CorpusError(
        message, file=file, line=line, field=f"{prefix}.{fld}" if prefix else fld, hint=hint
    )
