"""Dates typed by people: ISO ``YYYY-MM-DD`` always; a few plain-language forms too."""

from __future__ import annotations

import datetime as dt

from forecastkit.errors import ForecastkitError


def parse_user_date(text: str, today: dt.date | None = None) -> dt.date:
    """Parse a date given on the command line.

    ``2027-12-31`` (ISO) and ``today`` are always understood.

    Raises
    ------
    ForecastkitError
        For anything else, saying which form to use.
    """
    value = text.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    if value.lower() == "today":
        return today or dt.date.today()
    raise ForecastkitError(f"'{text}' is not a date", hint="write dates as YYYY-MM-DD, e.g. 2027-12-31")
