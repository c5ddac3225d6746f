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
    # The rows that can be due, picked on the columns that say so, before as_of copies them:
    # a tracker's 62,500 claims hold some 11,000 (as_of of them all copied 43 columns).
    claims = corpus.claims
    forecast = (claims["kind"] == "forecast").fillna(False).to_numpy(dtype=bool)
    made = (pd.to_datetime(claims["made_on"]) <= now).to_numpy(dtype=bool)
    deadline = claims["resolve_by"]
    window = (deadline < now) | ((within is not None) & (deadline <= limit))
    reopened = pd.to_datetime(claims["resolved_on"]) > now
    can_be_open = (claims["status"] == "open").fillna(False) | reopened
    # as_of's check of every forecast made by then (a resolved claim without resolved_on)
    as_of(claims.loc[forecast & made, ["made_on", "resolved_on", "status"]], now)
    maybe = forecast & made & window.to_numpy(dtype=bool) & can_be_open.to_numpy(dtype=bool)
    claims = as_of(claims[maybe], now)
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
