"""Dates typed by people: ISO ``YYYY-MM-DD`` always, and a few documented plain-language forms.

Understood forms (case does not matter)::

    2027-12-31                      ISO date
    today, yesterday, tomorrow
    in 3 days / in two weeks / in 6 months / in two years     (from today)
    3 days ago / two weeks ago / a year ago
    end of 2027, end of year, end of next year, end of this year
    end of june 2027, end of june   (the month's last day; this year unless a year is given)
    end of 2027-06                  (year and month: the month's last day)

Months and years are calendar months and years; a day that does not exist in the target month
(``in 1 month`` from 31 January) becomes the month's last day. Anything else is refused with a
one-line hint: a date guessed wrongly would be worse than a question.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from forecastkit.errors import ForecastkitError

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30,
}  # fmt: skip
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months",
          "months": "months", "year": "years", "years": "years"}  # fmt: skip
_HINT = (
    "write dates as YYYY-MM-DD (e.g. 2027-12-31), or 'today', 'in 2 years', "
    "'3 months ago', 'end of 2027', 'end of june 2027'"
)

_RELATIVE = re.compile(r"^(?:in\s+(?P<n1>\w+)\s+(?P<u1>\w+)|(?P<n2>\w+)\s+(?P<u2>\w+)\s+ago)$")
_END_OF = re.compile(r"^end\s+of\s+(?:the\s+)?(?P<what>.+)$")
_YEAR_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clipped to the last day of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _end_of(what: str, today: dt.date) -> dt.date | None:
    words = what.split()
    if what in ("year", "this year"):
        return dt.date(today.year, 12, 31)
    if what == "next year":
        return dt.date(today.year + 1, 12, 31)
    if what in ("month", "this month"):
        return _month_end(today.year, today.month)
    if re.fullmatch(r"\d{4}", what):
        return dt.date(int(what), 12, 31)
    ym = _YEAR_MONTH.match(what)
    if ym and 1 <= int(ym["m"]) <= 12:
        return _month_end(int(ym["y"]), int(ym["m"]))
    if words and words[0] in _MONTHS and len(words) <= 2:
        year = today.year
        if len(words) == 2:
            if not re.fullmatch(r"\d{4}", words[1]):
                return None
            year = int(words[1])
        return _month_end(year, _MONTHS[words[0]])
    return None


def _relative(n_word: str, unit_word: str, sign: int, today: dt.date) -> dt.date | None:
    n, unit = _count(n_word), _UNITS.get(unit_word)
    if n is None or unit is None:
        return None
    n *= sign
    if unit == "days":
        return today + dt.timedelta(days=n)
    if unit == "weeks":
        return today + dt.timedelta(weeks=n)
    if unit == "months":
        return add_months(today, n)
    return add_months(today, 12 * n)


def parse_user_date(text: str, today: dt.date | None = None) -> dt.date:
    """Parse a date given on the command line (see the module docstring for the forms).

    Examples
    --------
    >>> parse_user_date("2027-12-31")
    datetime.date(2027, 12, 31)
    >>> parse_user_date("in two years", today=dt.date(2025, 2, 28))
    datetime.date(2027, 2, 28)
    >>> parse_user_date("end of june 2027")
    datetime.date(2027, 6, 30)

    Raises
    ------
    ForecastkitError
        For anything else, saying which forms are understood.
    """
    value = " ".join(str(text).strip().lower().split())
    today = today or dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    fixed = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if value in fixed:
        return today + dt.timedelta(days=fixed[value])
    found: dt.date | None = None
    try:
        if m := _RELATIVE.match(value):
            if m["n1"]:
                found = _relative(m["n1"], m["u1"], 1, today)
            else:
                found = _relative(m["n2"], m["u2"], -1, today)
        elif m := _END_OF.match(value):
            found = _end_of(m["what"], today)
    except (ValueError, OverflowError):  # year 0 or beyond 9999
        found = None
    if found is None:
        raise ForecastkitError(f"'{text}' is not a date", hint=_HINT)
    return found


#: The dtype of every date column: seconds, not pandas' default nanoseconds, whose range ends in
#: 2262. Years 1 to 9999 (all that ``datetime.date`` holds) fit; a missing date is ``NaT``.
DATE_DTYPE = "datetime64[s]"


def to_seconds(values: Any) -> Any:
    """Dates (``datetime.date``, ISO text, ``None``) as a ``datetime64[s]`` Series; None -> NaT.

    >>> to_seconds([dt.date(9999, 12, 31), None]).tolist()
    [Timestamp('9999-12-31 00:00:00'), NaT]
    """
    import pandas as pd  # dates.py is imported by the editing commands, which do not need pandas

    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype(DATE_DTYPE)
    days = [
        None
        if v is None or v is pd.NaT or (isinstance(v, float) and v != v)
        else (v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)))
        for v in series
    ]
    return pd.Series(pd.array(days, dtype=object), index=series.index).astype(DATE_DTYPE)
