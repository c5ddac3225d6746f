"""The corpus as it stood on a date, and claim statuses as codes: pandas only, no scipy.

Kept apart from :mod:`forecastkit.scoring.grouped` so that ``forecastkit due`` and ``forecastkit export
--as-of`` do not pay for the scoring stack's imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ScoringError

OPEN, RESOLVED, AMBIGUOUS, ANNULLED, OTHER = range(5)
_STATUS_CODES = {
    "open": OPEN,
    "true": RESOLVED,
    "false": RESOLVED,
    "ambiguous": AMBIGUOUS,
    "annulled": ANNULLED,
}


def status_codes(claims: pd.DataFrame, outcome: str) -> np.ndarray:
    """Status as small integers (OPEN, RESOLVED, ...), from ``status`` or else from the outcome.

    Without a ``status`` column an outcome of 1 or 0 is resolved and anything else open.
    """
    if "status" in claims.columns:
        codes, uniques = pd.factorize(claims["status"])
        lookup = np.array(
            [_STATUS_CODES.get(str(u).strip().lower(), OTHER) for u in uniques] + [OPEN]
        )
        return lookup[codes]  # code -1 (missing status) picks the final OPEN
    y = pd.to_numeric(claims[outcome], errors="coerce").to_numpy(dtype=float)
    return np.where(np.isin(y, (0.0, 1.0)), RESOLVED, OPEN)


def require_columns(claims: pd.DataFrame, columns: Iterable[str]) -> None:
    for col in columns:
        if col not in claims.columns:
            raise ScoringError(
                f"no column '{col}'",
                field=col,
                hint=f"the table has {', '.join(map(str, claims.columns))}",
            )


def as_of(claims: pd.DataFrame, date: Any) -> pd.DataFrame:
    """The claims as they stood on ``date``: later claims dropped, later outcomes reopened.

    A claim counts from its ``made_on``; its outcome counts from ``resolved_on`` (the day it
    became determinate, not the day it was recorded).  Claims made after ``date`` are dropped;
    claims resolved after it become ``open`` (``outcome``, ``outcome_value`` NaN, ``verdict``,
    ``outcome_option`` and ``resolved_on`` missing).  Verdicts are the *current* ones, so a later
    correction applies retroactively: this is the record as we now know it would have stood,
    not what a reader saw that day.

    Raises
    ------
    ScoringError
        When the table lacks ``made_on``/``resolved_on`` or a resolved claim has no
        ``resolved_on``.
    """
    require_columns(claims, ["made_on", "resolved_on"])
    when = pd.Timestamp(date)
    made = pd.to_datetime(claims["made_on"])
    out = claims[made <= when].copy()
    resolved_on = pd.to_datetime(out["resolved_on"])
    if "outcome" in out.columns or "status" in out.columns:
        undated = (status_codes(out, "outcome") != OPEN) & resolved_on.isna().to_numpy()
        if undated.any():
            raise ScoringError(
                f"{int(undated.sum())} resolved claim(s) have no resolved_on",
                field="resolved_on",
                hint="as_of needs the date each outcome became determinate",
            )
    later = resolved_on > when
    if "status" in out.columns:
        out.loc[later, "status"] = "open"
    if "verdict" in out.columns:
        out.loc[later, "verdict"] = pd.NA
    _reopen(out, later)
    return out


def _reopen(out: pd.DataFrame, later: Any) -> None:
    """Clear the outcome of the rows ``later`` (resolved after the as-of date): the verdict,
    the binary outcome, a multiple-choice question's option and a numeric one's value."""
    if "outcome" in out.columns:
        out.loc[later, "outcome"] = np.nan
    if "outcome_option" in out.columns:
        out.loc[later, "outcome_option"] = pd.NA
    if "outcome_value" in out.columns:
        out.loc[later, "outcome_value"] = np.nan
    out.loc[later, "resolved_on"] = pd.NaT


def as_of_each(claims: pd.DataFrame, dates: Sequence[Any], label: str = "as_of") -> pd.DataFrame:
    """:func:`as_of` for each of ``dates``, stacked, with the date (``YYYY-MM-DD``) in column
    ``label``: the same rows as ``pd.concat([as_of(claims, d) for d in dates])``, taken from
    ``claims`` in one step (a track record over 18 year-ends costs one copy, not 18).

    Raises
    ------
    ScoringError
        As :func:`as_of`.
    """
    require_columns(claims, ["made_on", "resolved_on"])
    when = [pd.Timestamp(d) for d in dates]
    made = pd.to_datetime(claims["made_on"]).to_numpy()
    picked = [np.flatnonzero(made <= w.to_datetime64()) for w in when]
    rows = np.concatenate(picked) if picked else np.empty(0, dtype=np.int64)
    out = claims.iloc[rows].copy()
    day = np.repeat(
        np.array([w.to_datetime64() for w in when], dtype="datetime64[s]"), [len(p) for p in picked]
    )  # the date each row is taken as of
    resolved_on = pd.to_datetime(out["resolved_on"])
    if "outcome" in out.columns or "status" in out.columns:
        undated = (status_codes(out, "outcome") != OPEN) & resolved_on.isna().to_numpy()
        if undated.any():
            raise ScoringError(
                f"{len(np.unique(rows[undated]))} resolved claim(s) have no resolved_on",
                field="resolved_on",
                hint="as_of needs the date each outcome became determinate",
            )
    later = (resolved_on.to_numpy() > day) & resolved_on.notna().to_numpy()
    if "status" in out.columns:
        out.loc[later, "status"] = "open"
    if "verdict" in out.columns:
        out.loc[later, "verdict"] = pd.NA
    _reopen(out, later)
    sizes = [len(p) for p in picked]
    out[label] = np.repeat(np.array([w.strftime("%Y-%m-%d") for w in when], dtype=object), sizes)
    return out.reset_index(drop=True)
