"""One corpus rule evaluated with pandas, and the rows that break it as located, readable lines.

The loader's layer of ``forecastkit validate`` (:func:`forecastkit.records.rules.offences`)
evaluates each :class:`~forecastkit.records.rules.Rule` with :func:`offending`, which implements
the subset of Great Expectations semantics the rules use: nulls are ignored except by
``ExpectColumnValuesToNotBeNull``; ``row_condition`` is a pandas expression;
``ignore_row_if="either_value_is_missing"``. Both layers describe an offending row with
:func:`offence` (its ``file:line``, a name for it and the rule's message), so a mistake reads the
same whichever layer found it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from forecastkit.records.frames import isin

if TYPE_CHECKING:  # pragma: no cover
    from forecastkit.records.rules import Rule


def _value(value: Any, params: Mapping[str, Any]) -> Any:
    if isinstance(value, Mapping) and "$PARAMETER" in value:
        return params[value["$PARAMETER"]]
    return value


def offending(
    rule: Rule,
    frame: pd.DataFrame,
    params: Mapping[str, Any],
    conditions: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """A boolean mask of the rows of ``frame`` that break ``rule`` (GX's semantics).

    ``conditions`` caches the rows each ``row_condition`` selects, for several rules on one frame.
    """
    kw = {k: _value(v, params) for k, v in rule.kwargs.items()}
    n = len(frame)
    where = np.ones(n, dtype=bool)
    if kw.get("row_condition"):
        cond = kw["row_condition"]
        cache = conditions if conditions is not None else {}
        if cond not in cache:
            # only the columns it names: eval makes a Series of every column it is given
            named = [c for c in frame.columns if re.search(rf"\b{re.escape(str(c))}\b", cond)]
            selected = frame[named].eval(cond, engine="python")
            cache[cond] = selected.fillna(False).to_numpy(dtype=bool)
        where = cache[cond]
    kind = rule.expectation
    if kind == "ExpectColumnPairValuesAToBeGreaterThanB":
        a, b = frame[kw["column_A"]], frame[kw["column_B"]]
        known = (a.notna() & b.notna()).to_numpy(dtype=bool)
        ok = (a >= b) if kw.get("or_equal") else (a > b)
        return where & known & ~ok.fillna(False).to_numpy(dtype=bool)
    col = frame[kw["column"]]
    present = col.notna().to_numpy(dtype=bool)
    if kind == "ExpectColumnValuesToNotBeNull":
        return where & ~present
    if kind == "ExpectColumnValuesToBeUnique":
        return where & present & col.duplicated(keep=False).to_numpy(dtype=bool)
    if kind == "ExpectColumnValuesToBeInSet":
        return where & present & ~isin(col, kw["value_set"])
    if kind == "ExpectColumnValuesToBeBetween":
        bad = np.zeros(n, dtype=bool)
        if kw.get("min_value") is not None:
            low = (col <= kw["min_value"]) if kw.get("strict_min") else (col < kw["min_value"])
            bad |= low.fillna(False).to_numpy(dtype=bool)
        if kw.get("max_value") is not None:
            high = (col >= kw["max_value"]) if kw.get("strict_max") else (col > kw["max_value"])
            bad |= high.fillna(False).to_numpy(dtype=bool)
        return where & present & bad
    raise NotImplementedError(f"no pandas evaluation for {kind}")  # a new kind of rule: add it


# --------------------------------------------------------------------------------------------
# Offending rows as located, readable lines (shared with the GX layer)


@dataclass(frozen=True)
class Offence:
    """One row that breaks a rule, and where it was written."""

    location: str  # ``file:line`` (or the file alone)
    subject: str  # ``claim harbour-2023-fee-cut``
    message: str


def show(value: Any) -> str:
    """A value as a message shows it: dates as YYYY-MM-DD, missing as ``missing``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "missing"
    if isinstance(value, float) and math.isnan(value):
        return "missing"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()  # not strftime: it drops the zeros of year 0001
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class _Shown(dict):
    """Row fields for a message template: values shown readably; ``!r`` quotes them."""

    def __missing__(self, key: str) -> str:
        return f"<{key}?>"


class _Text(str):
    def __repr__(self) -> str:
        return f"'{self}'" if self != "missing" else "missing"


def offence(rule: Rule, row: pd.Series, today: Any) -> Offence:
    """The located, readable line for one offending row."""
    fields = _Shown({k: _Text(show(v)) for k, v in row.items()})
    fields["today"] = _Text(show(today))
    text = rule.message.format_map(fields)
    location, subject = where(rule.table, row)
    return Offence(location, subject, text)


def where(table: str, row: pd.Series) -> tuple[str, str]:
    """``file:line`` and a name for the row, so that the user can find and fix it."""

    def at(file: Any, line: Any = None) -> str:
        if file is None or file is pd.NA:
            return ""
        return f"{file}:{int(line)}" if line is not None and not pd.isna(line) else str(file)

    loc = at(row.get("file"), row.get("line"))
    if table == "claims":
        return loc, f"claim {show(row.get('claim_id'))}"
    if table in ("outcomes", "evidence"):
        what = "outcome" if table == "outcomes" else "evidence"
        return loc, f"{what} for {show(row.get('claim_id'))} (entry {show(row.get('entry'))})"
    if table == "sources":
        return loc, f"source {show(row.get('source_id'))}"
    if table == "authors":
        return loc, f"author {show(row.get('claimant'))}"
    if table == "questions":
        return loc, f"question {show(row.get('question_id'))}"
    if table == "forecast_points":
        return loc, f"forecast point of claim {show(row.get('claim_id'))}"
    return "", table
