"""The question-type columns of a tabular claim file (``docs/question-types.md``).

A row's forecast is in one of the columns ``probabilities`` (a JSON object, option: p),
``quantiles`` (a JSON object, level: value), ``interval_level, interval_lower,
interval_upper``, ``cdf`` (JSON ``{"x": [...], "p": [...]}``) or ``point``; a question is
defined on its first row by ``question_type, options`` (a JSON list), ``ordered, unit, lower,
upper, open_lower, open_upper``; its outcome is ``option`` or ``value``. A column of JSON cells
is parsed in one call (the cells joined into one JSON array), not row by row, and the numbers
become the raw point rows of :mod:`forecastkit.records.forms`, which checks them with the YAML
claims' ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError
from forecastkit.records import forms, question_types

#: The columns of a forecast in a form beyond binary.
FORM_FIELDS = [
    "probabilities", "quantiles", "interval_level", "interval_lower", "interval_upper", "cdf",
    "point",
]  # fmt: skip
#: The columns that define a question of a type (on its first row).
QUESTION_FIELDS = [
    "question_type", "options", "ordered", "unit", "lower", "upper", "open_lower", "open_upper",
]  # fmt: skip
#: The outcome columns of a non-binary question.
ANSWER_FIELDS = ["option", "value"]
_BOOLEANS = {
    "": None,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
}


def parse_json_column(
    cells: pd.Series, column: str, report: Callable[..., None]
) -> list[Any | None]:
    """The JSON cells of a column (``""``: None), parsed in one call; a bad cell is reported
    at its row and reads as None."""
    present = np.flatnonzero((cells != "").to_numpy())
    out: list[Any | None] = [None] * len(cells)
    if not len(present):
        return out
    texts = cells.iloc[present].tolist()
    try:
        parsed = json.loads("[" + ",".join(texts) + "]")
        if len(parsed) != len(texts):  # a cell holding "1, 2" splits in two
            raise ValueError
    except ValueError:
        parsed = []
        for i, text in zip(present, texts, strict=True):
            try:
                parsed.append(json.loads(text))
            except ValueError as exc:
                report(i, column, f"not JSON ({exc.msg}): {text[:40]!r}")
                parsed.append(None)
    for i, value in zip(present, parsed, strict=True):
        out[int(i)] = value
    return out


def read_values(values: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers or ``YYYY-MM-DD`` dates, vectorised: ``(x, written_as_date, unreadable)``."""
    series = pd.Series(values, dtype=object)
    text = series.astype(str).str.strip()
    numbers = pd.to_numeric(series.where(~series.map(lambda v: isinstance(v, bool))), "coerce")
    x = np.array(numbers.to_numpy(dtype="float64"), copy=True)
    maybe_date = np.isnan(x) & text.str.match(r"^\d{4}-\d{2}-\d{2}$").to_numpy(dtype=bool)
    if maybe_date.any():
        days = pd.to_datetime(text[maybe_date], format="%Y-%m-%d", errors="coerce")
        epoch = pd.Timestamp("1970-01-01")
        x[maybe_date] = ((days - epoch) / pd.Timedelta(days=1)).to_numpy(dtype="float64")
    is_date = maybe_date & ~np.isnan(x)
    return x, is_date, np.isnan(x)


def table_forms(
    t: pd.DataFrame, file: str, report: Callable[..., None]
) -> tuple[np.ndarray, pd.DataFrame | None]:
    """Each row's form, and the raw point rows of the file (None: every row is binary).

    ``t`` holds text columns (``""`` when empty); ``report(row, column, message, hint)`` records
    a located error.
    """
    n = len(t)
    interval = (
        (t["interval_level"] != "") | (t["interval_lower"] != "") | (t["interval_upper"] != "")
    ).to_numpy()
    given = {
        f: interval if f == "interval" else (t[f] != "").to_numpy() for f in forms.NONBINARY_FORMS
    }
    binary = ((t["hedge"] != "") | (t["probability"] != "")).to_numpy()
    count = binary.astype(int) + sum(v.astype(int) for v in given.values())
    form = np.select(list(given.values()), list(given), "probability").astype(object)
    for i in np.flatnonzero(count > 1):
        both = ([f for f in ("hedge", "probability") if t.iat[i, t.columns.get_loc(f)]][:1]
                + [f for f in given if given[f][i]])[:2]  # fmt: skip
        report(
            i,
            _column(both[1]),
            f"more than one forecast form: {both[0]} and {both[1]}",
            "a row gives exactly one form (docs/question-types.md)",
        )
        form[i] = "probability"
    if (form == "probability").all():
        return form, None
    ids = t["id"].to_numpy()
    lines = np.arange(n) + 2
    parts: list[pd.DataFrame] = []

    def emit(rows, f, option, x, p, is_date) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        column = _column(f)
        parts.append(
            pd.DataFrame(
                {
                    "claim_id": ids[rows],
                    "form": f,
                    "option": option,
                    "x": np.asarray(x, dtype="float64"),
                    "p": np.asarray(p, dtype="float64"),
                    "is_date": np.asarray(is_date, dtype=bool),
                    "file": file,
                    "line": lines[rows],
                    "field": column,
                    "form_line": lines[rows],
                    "form_field": column,
                }
            )
        )

    def bad_values(rows, bad, column, what) -> None:
        for i in np.unique(np.asarray(rows)[bad]):
            report(int(i), column, f"{what} is neither a number nor a date YYYY-MM-DD")

    _probabilities(t, form, report, emit)
    _quantiles(t, form, report, emit, bad_values)
    _interval(t, form, report, emit, bad_values)
    _cdf(t, form, report, emit, bad_values)
    rows = np.flatnonzero(form == "point")
    if len(rows):
        x, is_date, bad = read_values(t["point"].iloc[rows].tolist())
        bad_values(rows, bad, "point", "the point")
        emit(rows[~bad], "point", None, x[~bad], np.full((~bad).sum(), np.nan), is_date[~bad])
    raw = pd.concat(parts, ignore_index=True) if parts else forms.raw_frame([])
    return form, raw


def _column(form: str) -> str:
    return "interval_level" if form == "interval" else form


def _mapping_cells(t, form, name, report) -> tuple[np.ndarray, list[dict]]:
    rows = np.flatnonzero(form == name)
    cells = parse_json_column(t[name].iloc[rows].reset_index(drop=True), name, _shift(report, rows))
    keep = [j for j, c in enumerate(cells) if isinstance(c, dict)]
    for j, c in enumerate(cells):
        if c is not None and not isinstance(c, dict):
            report(int(rows[j]), name, "not a JSON object", f"e.g. {_EXAMPLES[name]}")
    return rows[keep], [cells[j] for j in keep]


_EXAMPLES = {
    "probabilities": '{"medvedev": 0.7, "putin": 0.2, "neither": 0.1}',
    "quantiles": '{"0.05": 1.5, "0.5": 2.5, "0.95": 3.5}',
    "cdf": '{"x": [0, 1, 2], "p": [0.1, 0.5, 0.9]}',
}


def _shift(report, rows):
    """``report`` for positions among ``rows``."""
    return lambda j, *args: report(int(rows[j]), *args)


def _flatten(rows: np.ndarray, cells: list[dict]) -> tuple[np.ndarray, list, list]:
    sizes = np.fromiter((len(c) for c in cells), dtype=np.int64, count=len(cells))
    keys = [k for c in cells for k in c]
    values = [v for c in cells for v in c.values()]
    return np.repeat(rows, sizes), keys, values


def _probabilities(t, form, report, emit) -> None:
    rows, cells = _mapping_cells(t, form, "probabilities", report)
    if not len(rows):
        return
    where, options, values = _flatten(rows, cells)
    p, is_date, bad = read_values(values)
    bad |= is_date
    for i in np.unique(where[bad]):
        report(int(i), "probabilities", "a probability is not a number", "e.g. 0.7")
    bad |= (p < 0) | (p > 1)
    for i in np.unique(where[(p < 0) | (p > 1)]):
        report(int(i), "probabilities", "a probability is outside [0, 1]")
    ok = ~bad
    emit(where[ok], "probabilities", np.asarray(options, dtype=object)[ok], np.nan, p[ok], False)


def _quantiles(t, form, report, emit, bad_values) -> None:
    rows, cells = _mapping_cells(t, form, "quantiles", report)
    if not len(rows):
        return
    where, levels, values = _flatten(rows, cells)
    level = pd.to_numeric(pd.Series(levels, dtype=object), errors="coerce").to_numpy(float)
    outside = ~((level > 0) & (level < 1))
    for i in np.unique(where[outside]):
        report(int(i), "quantiles", "a quantile level is not a number in (0, 1)", "e.g. 0.05")
    x, is_date, bad = read_values(values)
    bad_values(where, bad & ~outside, "quantiles", "a quantile value")
    ok = ~bad & ~outside
    emit(where[ok], "quantiles", None, x[ok], level[ok], is_date[ok])


def _interval(t, form, report, emit, bad_values) -> None:
    rows = np.flatnonzero(form == "interval")
    if not len(rows):
        return
    sub = t.iloc[rows]
    level = pd.to_numeric(sub["interval_level"], errors="coerce").to_numpy(float)
    lo, lo_date, lo_bad = read_values(sub["interval_lower"].tolist())
    hi, hi_date, hi_bad = read_values(sub["interval_upper"].tolist())
    outside = ~((level > 0) & (level < 1))
    for j in np.flatnonzero(outside):
        report(int(rows[j]), "interval_level", "the interval level is not a number in (0, 1)")
    bad_values(rows, lo_bad, "interval_lower", "interval_lower")
    bad_values(rows, hi_bad, "interval_upper", "interval_upper")
    swapped = ~lo_bad & ~hi_bad & (lo_date == hi_date) & (lo > hi)
    for j in np.flatnonzero(swapped):
        report(int(rows[j]), "interval_lower", "interval_lower is above interval_upper")
    ok = ~outside & ~lo_bad & ~hi_bad & ~swapped
    r, lv = rows[ok], level[ok]
    emit(r, "interval", None, lo[ok], (1 - lv) / 2, lo_date[ok])
    emit(r, "interval", None, hi[ok], (1 + lv) / 2, hi_date[ok])


def _cdf(t, form, report, emit, bad_values) -> None:
    rows, cells = _mapping_cells(t, form, "cdf", report)
    good_rows, xs, ps = [], [], []
    for i, c in zip(rows, cells, strict=True):
        x, p = c.get("x"), c.get("p")
        if not isinstance(x, list) or not isinstance(p, list) or set(c) != {"x", "p"}:
            report(int(i), "cdf", 'a cdf is {"x": [...], "p": [...]}', f"e.g. {_EXAMPLES['cdf']}")
        elif len(x) != len(p) or len(x) < 2:
            report(int(i), "cdf", f"cdf has {len(x)} x values but {len(p)} p values")
        else:
            good_rows.append(i)
            xs.append(x)
            ps.append(p)
    if not good_rows:
        return
    sizes = np.fromiter((len(x) for x in xs), dtype=np.int64, count=len(xs))
    where = np.repeat(np.asarray(good_rows, dtype=np.int64), sizes)
    x, is_date, bad = read_values([v for x in xs for v in x])
    p, p_date, p_bad = read_values([v for p in ps for v in p])
    bad_values(where, bad, "cdf", "a cdf x")
    for i in np.unique(where[p_bad | p_date]):
        report(int(i), "cdf", "a cdf p is not a number")
    ok = ~bad & ~p_bad & ~p_date
    emit(where[ok], "cdf", None, x[ok], p[ok], is_date[ok])


def question_definitions(
    t: pd.DataFrame, file: str, errors: list, present: set[str]
) -> dict[int, dict[str, Any]]:
    """The type fields of each question a row defines (its first row with ``question_type``),
    by row position; checked like a ``questions.yaml`` entry, errors at the row's line."""
    if "question_type" not in present:
        return {}
    defining = (t["question_type"] != "") & (t["question"] != "")
    rows = np.flatnonzero((defining & ~t["question"].where(defining).duplicated()).to_numpy())
    out = {}
    for i in rows.tolist():
        line = i + 2
        q: dict[str, Any] = {f: t.iat[i, t.columns.get_loc(f)] for f in QUESTION_FIELDS}
        q["type"] = q.pop("question_type")
        if q["options"]:
            try:
                q["options"] = json.loads(q["options"])
            except ValueError:
                q["options"] = None
            if not isinstance(q["options"], list) or not all(
                isinstance(o, str) for o in q["options"]
            ):
                errors.append(
                    ClaimFileError(
                        "options is not a JSON list of labels",
                        file=file,
                        line=line,
                        field="options",
                        hint='e.g. ["medvedev", "putin", "neither"]',
                    )
                )
                q["options"] = None
        for f in ("ordered", "open_lower", "open_upper"):
            text = str(q[f]).strip().lower()
            if text not in _BOOLEANS:
                errors.append(
                    ClaimFileError(f"{q[f]!r} is not true or false", file=file, line=line, field=f)
                )
            q[f] = _BOOLEANS.get(text)
        before = len(errors)
        out[i] = question_types.type_fields(
            q, file=file, line_of=lambda _f, ln=line: ln, prefix="", errors=errors
        )
        for e in errors[before:]:
            e.field = "question_type" if e.field == "type" else e.field
    return out
