"""The numeric form a candidate's number gives its claim, when it is accepted.

``forecastkit extract`` reads each quantity of a candidate's quote into ``numbers``
(``docs/extraction.md``, "Numbers"); accepting the candidate follows "From a number to a claim"
there: a ``point`` reading gives a numeric question and the claim's ``point``, an ``interval``
reading the claim's ``interval`` (the reviewer gives the level the text does not state), a
``threshold`` or ``probability`` reading a binary claim (a stated chance of ``value`` percent is
the probability ``value / 100``). A ``change`` with ``direction: down`` is a forecast of the
change, so its numbers are negated ("shrink by 2-3%": -3 to -2 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forecastkit.editing.edit import slugify
from forecastkit.errors import EditError, ForecastkitError
from forecastkit.records.layout import QUESTIONS_FILE
from forecastkit.records.yamlio import parse, read_text


@dataclass(frozen=True)
class NumericForm:
    """The claim's form (``point`` or ``interval``), its value, and the question's unit."""

    form: str
    value: Any
    unit: str | None
    text: str


def reading_for(entry: Mapping[str, Any], number: int | None) -> dict[str, Any] | None:
    """The number the claim is made of: the ``number``-th (from 1), else the first that is not
    a baseline; ``None`` when the candidate has none."""
    numbers = [n for n in entry.get("numbers") or [] if isinstance(n, Mapping)]
    if number is None:
        return next((dict(n) for n in numbers if not n.get("baseline")), None)
    if not 1 <= number <= len(numbers):
        listed = "; ".join(f"{i} '{n.get('text')}'" for i, n in enumerate(numbers, 1))
        raise EditError(
            f"the candidate has no number {number}",
            field="number",
            hint=f"its numbers: {listed}" if numbers else "it states no number; leave --number out",
        )
    return dict(numbers[number - 1])


def numeric_form(
    reading: Mapping[str, Any], level: float | None, unit: str | None = None
) -> NumericForm | None:
    """The numeric form of a ``point`` or ``interval`` reading; ``None`` for the binary ones.

    Raises
    ------
    EditError
        For a range without ``level`` (the text does not state it), or a level not in (0, 1).
    """
    form = reading.get("form")
    if form not in ("point", "interval"):
        return None
    sign = -1 if reading.get("change") and reading.get("direction") == "down" else 1
    unit = unit if unit is not None else reading.get("unit")
    text = str(reading.get("text") or "")
    if form == "point":
        return NumericForm("point", sign * float(reading["value"]), unit, text)
    if level is None:
        raise EditError(
            f"'{text}' is a range, and the text does not say how sure it is",
            field="interval.level",
            hint="give --level, the probability it lies in the range (e.g. 0.9), or --binary",
        )
    if not 0 < float(level) < 1:
        raise EditError(
            f"level {level} is not between 0 and 1",
            field="interval.level",
            hint="e.g. --level 0.9 for '90% sure it lies in the range'",
        )
    lower, upper = sorted((sign * float(reading["lower"]), sign * float(reading["upper"])))
    return NumericForm("interval", {"level": float(level), "lower": lower, "upper": upper},
                       unit, text)  # fmt: skip


def stated_probability(reading: Mapping[str, Any] | None) -> float | None:
    """A ``probability`` reading's chance as a probability (``30%`` -> 0.3)."""
    if reading and reading.get("form") == "probability" and reading.get("value") is not None:
        return float(reading["value"]) / 100
    return None


def registered_questions(root: Path) -> set[str]:
    """The question ids of ``questions.yaml`` (empty when there is none or it is broken:
    adding a question then refuses with the file's error)."""
    file = root / QUESTIONS_FILE
    if not file.is_file():
        return set()
    try:
        data = parse(read_text(file), file).data or {}
    except ForecastkitError:
        return set()
    return set((data.get("questions") or {}) if isinstance(data, dict) else ())


def new_question_id(proposition: str, taken: set[str]) -> str:
    """``q-<first words of the proposition>``, unused."""
    base = f"q-{slugify(proposition, 6)}".rstrip("-")[:96]
    qid, n = base, 2
    while qid in taken:
        qid, n = f"{base}-{n}", n + 1
    return qid
