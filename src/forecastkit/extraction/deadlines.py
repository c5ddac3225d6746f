"""The deadline of a candidate: the phrase that sets it and ``resolve_by`` under rules D0-D4.

The rules are those of ``docs/conventions.md`` ("Deadlines"); the first that applies wins:

- D0 stated: a year ("by 2010", "in 2025"), "this/next year|month|week", "within N years",
  a month ("by March 2025"), a date or date range ("July 21-23": its last day; "before/prior
  to July 21-23": its first day), a weekday ("on Tuesday or Wednesday": the latest of them
  on or after made_on); month names in any English form ("Sept. 7", "Sep 7", "Jan."), and
  "as of Sept. 7" is the date of a reading, not a deadline;
- D1 event-bound: "during the visit", "at the summit", "in the talks": the event's date when the
  sentence gives one, else no resolve_by (set it by hand; the rule says so);
- D2 near term: "soon", "any time soon", "in the near future", "in the short term", "shortly",
  "in the coming weeks/months": made_on + 2 years;
- D4 long term: "in the long run/term", "eventually", "ultimately", "never": made_on + 10 years;
- D3 medium term: "in coming years", "in the medium term", "in the foreseeable future", or no
  time phrase at all: made_on + 5 years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from forecastkit.records.dates import add_months

#: English month names (not ``calendar.month_name``, which follows the locale).
_MONTHS_EN = (
    "january february march april may june july august september october november december"
).split()
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUM = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
}

_D0 = [
    (
        "date",
        re.compile(
            rf"\b(?P<pre>(?:just\s+)?(?:before|prior to|ahead of|by|until|on|from)\s+"
            rf"(?:[\w’'\s]{{0,80}}?\s)?)?(?P<mon>{_MONTH})\s+(?P<d1>\d{{1,2}})"
            rf"(?:\s*[-–]\s*(?P<d2>\d{{1,2}}))?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b"
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:by|before|until|in)\s+(?:the\s+end\s+of\s+)?(?P<mon>{_MONTH})"
            rf"(?:\s+(?P<y>(?:19|20)\d\d))?\b"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:by|before|until|in|during|through)\s+(?:the\s+end\s+of\s+)?"
            r"(?P<y>(?:19|20)\d\d)\b"
        ),
    ),
    (
        "this",
        re.compile(
            r"\b(?:(?:by|before|until)\s+the\s+end\s+of\s+)?(?P<which>this|next)\s+"
            r"(?P<unit>year|month|week)\b",
            re.I,
        ),
    ),
    (
        "within",
        re.compile(
            r"\b(?:within|in)\s+(?:the\s+next\s+)?(?P<n>\d+|one|two|three|four|"
            r"five|six|seven|eight|nine|ten|a|twelve|eighteen|twenty)\s+"
            r"(?P<unit>years?|months?|weeks?|days?)\b",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\bon\s+(?P<w1>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
            r"Sunday)(?:\s+or\s+(?P<w2>Monday|Tuesday|Wednesday|Thursday|Friday|"
            r"Saturday|Sunday))?\b"
        ),
    ),
    (
        "term",
        re.compile(
            r"\b(?:before|by)\s+the\s+end\s+of\s+(?:his|her|their|the)\s+"
            r"(?:\w+\s+)?term\b",
            re.I,
        ),
    ),
]
_AS_OF = re.compile(r"\bas\s+of\s+$", re.I)
_D1 = re.compile(
    r"\b(?:during|at|in|after)\s+the\s+(?:\w+\s+){0,2}?(?:visit|summit|talks|"
    r"meeting|trip|conference|negotiations|election|ceremony|session)\b",
    re.I,
)
_D2 = re.compile(
    r"\b(?:any\s*time\s+soon|soon|in\s+the\s+near\s+(?:future|term)|"
    r"in\s+the\s+short\s+(?:term|run)|shortly|imminently|"
    r"in\s+the\s+(?:coming|next\s+few)\s+(?:weeks|months))\b",
    re.I,
)
_D4 = re.compile(
    r"\b(?:in\s+the\s+long\s+(?:run|term)|eventually|ultimately|never|"
    r"in\s+the\s+(?:coming\s+)?decades)\b",
    re.I,
)
_D3 = re.compile(
    r"\b(?:in\s+(?:the\s+)?coming\s+years|in\s+the\s+medium\s+term|"
    r"in\s+the\s+foreseeable\s+future|in\s+the\s+years\s+ahead|"
    r"in\s+the\s+next\s+few\s+years)\b",
    re.I,
)


@dataclass(frozen=True)
class Deadline:
    """A deadline: the phrase in the text (if any), ``resolve_by`` (if known) and the rule."""

    phrase: str | None
    resolve_by: dt.date | None
    rule: str
    basis: str  # stated | inferred


def infer_deadline(sentence: str, made_on: dt.date | None) -> Deadline:
    """The deadline of a forecast made on ``made_on`` in ``sentence`` (rules D0-D4)."""
    for kind, pattern in _D0:
        for m in pattern.finditer(sentence):  # "from 3.3% in 2024 to 3.2% in 2025": 2025
            if kind == "date" and _AS_OF.search(sentence, 0, m.start()):
                continue  # "As of Sept. 7, the model expects": the date of the reading
            try:
                day = _stated(kind, m, made_on)
            except (ValueError, OverflowError):  # "within 20000 years": after 9999-12-31
                return Deadline(
                    m.group(0).strip(),
                    None,
                    "D0 stated: the end of the stated "
                    "period, after 9999-12-31 (set resolve_by by hand)",
                    "stated",
                )
            if kind in {"date", "year", "month"} and (day is None or (made_on and day < made_on)):
                continue  # a date in the past describes the past: look for a later one
            phrase = m.group(0).strip()
            if kind == "term":
                return Deadline(
                    phrase,
                    None,
                    "D0 stated: the last day of the term (not in the text; set resolve_by by hand)",
                    "stated",
                )
            return Deadline(phrase, day, "D0 stated: the end of the stated period", "stated")
    m = _D1.search(sentence)
    if m:
        return Deadline(
            m.group(0),
            None,
            "D1 event-bound: the last day of the named event "
            "(its date is not in the sentence; set resolve_by by hand)",
            "inferred",
        )
    for pattern, years, rule in (
        (_D2, 2, "D2 near term: made_on + 2 years"),
        (_D4, 10, "D4 long term: made_on + 10 years"),
        (_D3, 5, "D3 medium term: made_on + 5 years"),
    ):
        m = pattern.search(sentence)
        if m:
            return Deadline(m.group(0), _plus_years(made_on, years), rule, "inferred")
    return Deadline(None, _plus_years(made_on, 5), "D3 medium term: made_on + 5 years", "inferred")


def month_number(name: str) -> int:
    """The month (1-12) of an English month name or abbreviation, any case, with or without a
    full stop: "September", "Sept.", "Sep", "jan." (a name is matched by its first three
    letters, so every form ``_MONTH`` accepts has a number).

    >>> month_number("Sept.")
    9
    """
    key = name.strip().rstrip(".").lower()
    for i, full in enumerate(_MONTHS_EN, start=1):
        if len(key) >= 3 and full.startswith(key):
            return i
    raise ValueError(f"not a month name: {name!r}")


def _plus_years(day: dt.date | None, years: int) -> dt.date | None:
    """``day`` plus ``years`` (None when unknown, or after 9999-12-31)."""
    try:
        return add_months(day, 12 * years) if day else None
    except (ValueError, OverflowError):
        return None


def _stated(kind: str, m: re.Match[str], made_on: dt.date | None) -> dt.date | None:
    base = made_on
    if kind == "year":
        return dt.date(int(m.group("y")), 12, 31)
    if kind == "term":
        return None
    if base is None:
        return None
    if kind == "date":
        month = month_number(m.group("mon"))
        year = int(m.group("y")) if m.group("y") else base.year
        pre = (m.group("pre") or "").lower()
        day_text = (
            m.group("d1")
            if re.search(r"before|prior|ahead", pre)
            else (m.group("d2") or m.group("d1"))
        )
        try:
            day = dt.date(year, month, int(day_text))
        except ValueError:
            return None
        if not m.group("y") and day < base and (base - day).days > 180:
            day = dt.date(year + 1, month, day.day)  # "on July 3" written in December
        return day
    if kind == "month":
        month = month_number(m.group("mon"))
        year = int(m.group("y")) if m.group("y") else base.year + (month < base.month)
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if kind == "this":
        ahead = 1 if m.group("which").lower() == "next" else 0
        unit = m.group("unit").lower()
        if unit == "year":
            return dt.date(base.year + ahead, 12, 31)
        if unit == "month":
            end = add_months(dt.date(base.year, base.month, 1), ahead + 1)
            return end - dt.timedelta(days=1)
        return base + dt.timedelta(days=6 - base.weekday() + 7 * ahead)
    if kind == "within":
        n = _NUM.get(m.group("n").lower()) or int(m.group("n"))
        unit = m.group("unit").lower().rstrip("s")
        if unit == "year":
            return add_months(base, 12 * n)
        if unit == "month":
            return add_months(base, n)
        return base + dt.timedelta(days=n * (7 if unit == "week" else 1))
    if kind == "weekday":
        days = [_WEEKDAYS.index(m.group(g).lower()) for g in ("w1", "w2") if m.group(g)]
        return max(base + dt.timedelta(days=(d - base.weekday()) % 7) for d in days)
    return None
