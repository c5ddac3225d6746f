"""Question types: a question's type fields (options, bounds) checked as written, and its values
(numbers, or dates stored as day numbers) read and shown (``docs/question-types.md``).

The YAML registry (:mod:`forecastkit.records.questions`) and the tabular reader
(:mod:`forecastkit.records.tabular_forms`) define a question through :func:`type_fields`; the
forecast forms (:mod:`forecastkit.records.forms`) and outcomes (:mod:`forecastkit.records.answers`)
read their numbers with :func:`read_value`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from forecastkit.errors import ClaimFileError, ForecastkitError

#: Question types; ``binary`` is the default (every corpus written before types existed).
QUESTION_TYPES = ("binary", "multiple_choice", "numeric", "date")
#: The question columns a type adds (``corpus.questions``; tabular files define them too).
TYPE_FIELDS = ["type", "options", "ordered", "unit", "lower", "upper", "open_lower", "open_upper"]
_EPOCH = dt.date(1970, 1, 1)


def binary_fields() -> dict[str, Any]:
    """The type fields of a binary question (every claim that is its own question)."""
    return {
        "type": "binary",
        "options": (),
        "ordered": False,
        "unit": None,
        "lower": math.nan,
        "upper": math.nan,
        "open_lower": True,
        "open_upper": True,
    }


def day_number(text: str) -> float:
    """``2024-06-17`` as days since 1970-01-01 (how date values are stored); ValueError if the
    text is not a real calendar date."""
    return float((dt.date.fromisoformat(text) - _EPOCH).days)


def read_value(value: Any) -> tuple[float, bool]:
    """A value as written (a number, or a date string): ``(number, written_as_date)``.

    Raises ValueError for text that is neither a number nor a real calendar date.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, (int, float, np.number)):
        return float(value), False
    text = str(value).strip()
    try:
        return float(text), False
    except ValueError:
        pass
    try:
        return day_number(text), True
    except ValueError:
        raise ValueError(f"{text!r} is neither a number nor a date YYYY-MM-DD") from None


def show_value(x: float, is_date: bool) -> str:
    """A stored value as a person wrote it: a date for a date question, else the number."""
    if is_date and not math.isnan(x):
        return (_EPOCH + dt.timedelta(days=int(x))).isoformat()
    return f"{x:g}"


def type_fields(
    q: Mapping[str, Any], *, file: Any, line_of: Any, prefix: str, errors: list[ForecastkitError]
) -> dict[str, Any]:
    """A question's type fields (``type, options, ordered, unit, lower, upper, open_lower,
    open_upper``) from its YAML entry or a tabular file's row, each checked.

    ``line_of(field)`` gives the line of a field; ``prefix`` is the field path of the question
    (``questions.q-2008-ru-president``, or empty for a table's columns).
    """
    qtype = q.get("type") or "binary"
    out = binary_fields()
    out["type"] = qtype

    def err(fld: str, message: str, hint: str | None = None) -> None:
        errors.append(
            ClaimFileError(
                message,
                file=file,
                line=line_of(fld),
                field=f"{prefix}.{fld}" if prefix else fld,
                hint=hint,
            )
        )

    if qtype not in QUESTION_TYPES:
        err("type", f"{qtype!r} is not a question type", f"use one of: {', '.join(QUESTION_TYPES)}")
        return out
    options = q.get("options")
    if qtype == "multiple_choice":
        out["options"] = tuple(options or ())
        out["ordered"] = bool(q.get("ordered") or False)
        if len(out["options"]) < 2:
            err("options", "a multiple_choice question needs at least two options")
        elif len(set(out["options"])) < len(out["options"]):
            err("options", "an option is listed twice", "give each option once")
    else:
        for fld in ("options", "ordered"):
            if q.get(fld) not in (None, (), [], False, ""):
                err(fld, f"{fld} applies to a multiple_choice question, not a {qtype} one")
    numeric = qtype in ("numeric", "date")
    for fld in ("unit", "lower", "upper", "open_lower", "open_upper"):
        if not numeric and q.get(fld) not in (None, ""):
            err(fld, f"{fld} applies to a numeric or date question, not a {qtype} one")
    if not numeric:
        return out
    out["unit"] = q.get("unit") or None
    for end in ("lower", "upper"):
        value = q.get(end)
        if value in (None, ""):
            continue
        try:
            x, is_date = read_value(value)
        except ValueError as exc:
            err(end, str(exc))
            continue
        if is_date != (qtype == "date"):
            err(end, type_mismatch(qtype, value))
            continue
        out[end] = x
    if out["lower"] > out["upper"]:
        err("upper", f"upper {q.get('upper')} is below lower {q.get('lower')}")
    for end in ("lower", "upper"):
        given = q.get(f"open_{end}")
        bounded = not math.isnan(out[end])
        if given in (None, ""):
            out[f"open_{end}"] = not bounded  # no bound: open; a bound: closed unless said
        else:
            out[f"open_{end}"] = bool(given)
            if not given and not bounded:
                err(f"open_{end}", f"open_{end}: false needs a {end} bound", f"add {end}: ...")
    return out


def type_mismatch(qtype: str, value: Any) -> str:
    if qtype == "date":
        return f"a date question's values are dates YYYY-MM-DD, not {value!r}"
    return f"a numeric question's values are numbers, not the date {value!r}"
