"""Which open forecasts are past their deadline, or coming due."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from forecastkit.records.corpus import Corpus


def due_claims(
    corpus: Corpus, today: dt.date | None = None, within: int | None = None
) -> pd.DataFrame:
    """Open forecasts with ``resolve_by`` before ``today`` (+ ``within`` days), oldest first.

    The result has the claim columns plus ``days`` (negative: overdue by that many days) and
    ``when`` (``"overdue 12 days"``, ``"due in 5 days"``, ``"due today"``).

    With ``today`` in the past, the corpus is taken as it stood then
    (:func:`forecastkit.records.snapshot.as_of`): claims made later are left out, and outcomes that
    became determinate later count as open.
    """
    from forecastkit.records.snapshot import as_of

    day = today or dt.date.today()
    now = pd.Timestamp(day)  # unit 's' for a date: no overflow for years 1-9999
    # Date arithmetic, not pd.Timedelta (nanoseconds, +-292 years): --within 10**6 means "all".
    limit = pd.Timestamp(day + dt.timedelta(days=min(within or 0, (dt.date.max - day).days)))
    claims = as_of(corpus.forecasts(), now)
    open_ = claims[claims["status"] == "open"]
    due = open_[
        (open_["resolve_by"] < now) | ((within is not None) & (open_["resolve_by"] <= limit))
    ]
    due = due.sort_values(["resolve_by", "claim_id"]).copy()
    due["days"] = (due["resolve_by"] - now).dt.days.astype("int64")
    due["when"] = [
        "due today" if d == 0 else (f"overdue {-d} days" if d < 0 else f"due in {d} days")
        for d in due["days"]
    ]
    return due
