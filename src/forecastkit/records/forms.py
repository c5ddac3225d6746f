"""Forecast forms: how a claim writes its forecast, and its numbers checked against its question
(``docs/question-types.md``; a question's type and its values are
:mod:`forecastkit.records.question_types`).

A claim's forecast becomes rows of one long table, ``corpus.forecast_points``
(``claim_id, form, option, x, p``), so that a million forecasts are a few arrays: the YAML
reader (:func:`yaml_form`) and the tabular reader (:mod:`forecastkit.records.tabular`) emit
*raw* point rows, which also carry where each number was written (``file, line, field``) and
whether it was written as a date; :func:`check_points` then checks them all at once, with numpy,
against their questions (options, bounds, types) and returns the table. Outcomes of non-binary
questions (``option:``, ``value:``) are checked by :mod:`forecastkit.records.answers`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError, ForecastkitError
from forecastkit.records.layout import did_you_mean
from forecastkit.records.question_types import (
    QUESTION_TYPES,
    read_value,
    show_value,
    type_mismatch,
)
from forecastkit.records.yamlio import Document, format_path

#: Forecast forms; ``probability`` is a binary claim's (a stated number or a hedge).
FORMS = ("probability", "probabilities", "quantiles", "interval", "cdf", "point")
NONBINARY_FORMS = FORMS[1:]
_NUMBER_FORMS = ("quantiles", "interval", "cdf", "point")
#: The forms each question type (:data:`QUESTION_TYPES`) takes.
FORMS_OF = dict(
    zip(
        QUESTION_TYPES,
        [("probability",), ("probabilities",), _NUMBER_FORMS, _NUMBER_FORMS],
        strict=True,
    )
)
#: The status (and loaded ``verdict``) of a non-binary question resolved by an option or value.
RESOLVED = "resolved"
#: A multiple-choice forecast's probabilities sum to 1 within this.
SUM_TOLERANCE = 0.01
#: The columns of ``corpus.forecast_points``.
POINT_COLUMNS = ["claim_id", "form", "option", "x", "p"]
#: Raw point rows, as the readers emit them: the table's columns and where each was written.
RAW_COLUMNS = [*POINT_COLUMNS, "is_date", "file", "line", "field", "form_line", "form_field"]
#: Stop reporting point errors after this many: the first ones say what is wrong.
MAX_ERRORS = 50


# --------------------------------------------------------------------------------------------
# Reading a YAML claim's form into raw point rows


def yaml_form(
    c: Mapping[str, Any],
    doc: Document,
    at: tuple,
    errors: list[ForecastkitError],
    rows: list[tuple],
) -> str:
    """The form of one YAML claim (schema-checked); its numbers are appended to ``rows``.

    Checks what needs no question: one form only, quantile levels and interval levels in
    (0, 1), interval ends in order, a CDF's two lists of one length, readable dates.
    """
    written = [f for f in NONBINARY_FORMS if c.get(f) is not None]
    binary = [f for f in ("hedge", "probability") if c.get(f) is not None]
    if written and binary or len(written) > 1:
        both = (binary[:1] + written)[:2]
        errors.append(
            ClaimFileError(
                f"more than one forecast form: {both[0]} and {both[1]}",
                file=doc.path,
                line=doc.line_of(at + (both[1],), key=True),
                field=format_path(at + (both[1],)),
                hint="a claim gives exactly one form (docs/question-types.md)",
            )
        )
        return written[0] if written and not binary else "probability"
    if not written:
        return "probability"
    form = written[0]
    cid, file, value = c["id"], doc.path, c[form]
    form_at = at + (form,)
    form_line, form_field = doc.line_of(form_at, key=True), format_path(form_at)

    def err(path: tuple, message: str, hint: str | None = None) -> None:
        errors.append(
            ClaimFileError(
                message, file=file, line=doc.line_of(path), field=format_path(path), hint=hint
            )
        )

    def row(option: Any, x: float, p: float, is_date: bool, path: tuple) -> None:
        rows.append(
            (
                cid, form, option, x, p, is_date, str(file), doc.line_of(path),
                format_path(path), form_line, form_field,
            )
        )  # fmt: skip

    def number(v: Any, path: tuple) -> tuple[float, bool] | None:
        try:
            return read_value(v)
        except ValueError as exc:
            err(path, str(exc), "write dates as YYYY-MM-DD, e.g. 2024-06-17")
            return None

    if form == "probabilities":
        for label, p in value.items():
            row(label, math.nan, float(p), False, form_at + (label,))
    elif form == "quantiles":
        for key, v in value.items():
            path = form_at + (key,)
            try:
                level = float(key)
            except ValueError:
                err(path, f"quantile level {key!r} is not a number", "e.g. 0.05: 1.5")
                continue
            if not 0 < level < 1:
                err(path, f"quantile level {key} is outside (0, 1)", "levels are e.g. 0.05, 0.5")
                continue
            got = number(v, path)
            if got:
                row(None, got[0], level, got[1], path)
    elif form == "interval":
        level = float(value["level"])
        lo = number(value["lower"], form_at + ("lower",))
        hi = number(value["upper"], form_at + ("upper",))
        if not 0 < level < 1:
            err(form_at + ("level",), f"interval level {level:g} is outside (0, 1)", "e.g. 0.9")
        elif lo and hi:
            if lo[1] == hi[1] and lo[0] > hi[0]:
                err(
                    form_at + ("lower",),
                    f"interval lower {value['lower']} is above upper {value['upper']}",
                    "swap them",
                )
            else:
                row(None, lo[0], (1 - level) / 2, lo[1], form_at + ("lower",))
                row(None, hi[0], (1 + level) / 2, hi[1], form_at + ("upper",))
    elif form == "cdf":
        xs, ps = value["x"], value["p"]
        if len(xs) != len(ps):
            err(form_at + ("p",), f"cdf has {len(xs)} x values but {len(ps)} p values")
        else:
            for j, (x, p) in enumerate(zip(xs, ps, strict=True)):
                got = number(x, form_at + ("x", j))
                if got:
                    row(None, got[0], float(p), got[1], form_at + ("x", j))
    else:  # point
        got = number(value, form_at)
        if got:
            row(None, got[0], math.nan, got[1], form_at)
    return form


# --------------------------------------------------------------------------------------------
# Checking every claim's form and numbers against its question


def form_problem(
    form: str, qtype: str, kind: str, names_question: bool, question_id: str
) -> tuple[str, str] | None:
    """Why a claim's forecast ``form`` does not fit its question's type ``qtype``, as
    ``(message, hint)``; None when it fits (``names_question``: the claim names a question)."""
    if form in FORMS_OF[qtype] or kind != "forecast" and form == "probability":
        return None
    if qtype == "binary" and not names_question:
        return (
            f"a {form} forecast names its question",
            "add question: ID of a multiple_choice, numeric or date question",
        )
    takes = " or ".join(FORMS_OF[qtype])
    return (
        f"a {form} forecast on the {qtype} question '{question_id}'",
        f"a {qtype} question takes {'a hedge or ' if qtype == 'binary' else ''}{takes}",
    )


def raw_frame(rows: list[tuple]) -> pd.DataFrame:
    """Raw point rows (tuples in :data:`RAW_COLUMNS` order) as a frame."""
    frame = pd.DataFrame.from_records(rows, columns=RAW_COLUMNS)
    for col in ("x", "p"):
        frame[col] = frame[col].astype("float64")
    frame["is_date"] = frame["is_date"].astype(bool)
    return frame


def check_points(
    raw: pd.DataFrame,
    question_of: Mapping[str, str],
    registry: Mapping[str, Mapping[str, Any]],
    claim_order: list[str],
    errors: list[ForecastkitError],
) -> pd.DataFrame:
    """Check every raw point row against its claim's question, all at once; return
    ``corpus.forecast_points`` (rows ordered by claim, then by option order or level or x).

    Checks: probabilities sum to 1 within :data:`SUM_TOLERANCE`, name the question's options
    and miss none; quantile values are non-decreasing in level; a CDF's x increases and its p
    does not decrease; values are numbers on a numeric question and dates on a date question,
    and within the question's closed bounds.
    """
    found: list[ForecastkitError] = []
    if raw.empty:
        return _empty_points()
    raw = raw.reset_index(drop=True)
    qids = raw["claim_id"].map(question_of)
    qtype = qids.map(lambda q: registry[q]["type"] if q in registry else "binary")
    keep = raw["form"].isin(FORMS_OF["multiple_choice"]) & (qtype == "multiple_choice")
    keep |= ~raw["form"].isin(FORMS_OF["multiple_choice"]) & qtype.isin(["numeric", "date"])
    raw, qids, qtype = raw[keep], qids[keep], qtype[keep]  # a mismatch is an error of linking.py
    # One forecast is one claim where it is written: two claims of one id (a copied file; the
    # duplicate id is linking's error) are checked apart, not as one forecast of both's points.
    # Only then is a key made; otherwise the id is the key (no cost on a million forecasts).
    apart = len(set(claim_order)) < len(claim_order)
    where = ["claim_id", "file", "form_line"]
    raw = raw.assign(
        _claim=raw.groupby(where, sort=False, dropna=False, observed=True).ngroup()
        if apart
        else raw["claim_id"]
    )

    def report(mask: Any, message: Any, hint: Any = None, at: str = "row") -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        for i in rows[: max(0, MAX_ERRORS - len(found))]:
            r = raw.iloc[int(i)]
            line, fld = (
                (r["line"], r["field"]) if at != "form" else (r["form_line"], r["form_field"])
            )
            if at == "p":  # a CDF's p: the row's field names its x
                fld = fld.replace(".x[", ".p[")
            found.append(
                ClaimFileError(
                    message(r) if callable(message) else message,
                    file=r["file"],
                    line=int(line) if line is not None and not pd.isna(line) else None,
                    field=fld,
                    hint=hint(r) if callable(hint) else hint,
                )
            )

    mc = (raw["form"] == "probabilities").to_numpy()
    if mc.any():
        _check_options(raw, qids, registry, mc, report)
    num = ~mc
    if num.any():
        _check_numbers(raw, qids, qtype, registry, num, report)
    errors.extend(found)
    return _ordered(raw, qids, registry, claim_order)


def _check_options(raw, qids, registry, mc, report) -> None:
    options = {q: registry[q]["options"] for q in set(qids[mc])}
    known = np.array(
        [m and o in options[q] for m, q, o in zip(mc, qids, raw["option"], strict=True)],
        dtype=bool,
    )
    report(
        mc & ~known,
        lambda r: f"'{r['option']}' is not an option of question '{qids[r.name]}'",
        lambda r: (
            did_you_mean(r["option"], options[qids[r.name]])
            or f"its options: {', '.join(options[qids[r.name]])}"
        ),
    )
    claim = raw["_claim"]
    first = mc & ~claim.duplicated().to_numpy()
    total = raw["p"].where(mc).groupby(claim, sort=False).transform("sum").to_numpy()
    report(
        first & (np.abs(total - 1) > SUM_TOLERANCE),
        lambda r: f"the probabilities sum to {total[_pos(raw, r)]:.3g}, not 1",
        f"each option's probability; together they sum to 1 (within {SUM_TOLERANCE})",
        at="form",
    )
    n_known = pd.Series(known, index=raw.index).groupby(claim, sort=False).transform("sum")
    n_options = qids.map(lambda q: len(options.get(q, ())))
    short = first & (n_known < n_options).to_numpy()

    def missing(r: pd.Series) -> str:
        given = set(raw.loc[claim == r["_claim"], "option"])
        gone = [o for o in options[qids[r.name]] if o not in given]
        return f"no probability for option {', '.join(repr(o) for o in gone)}"

    report(short, missing, "give every option of the question a probability (0 is allowed)", "form")


def _pos(raw: pd.DataFrame, r: pd.Series) -> int:
    return int(raw.index.get_loc(r.name))


def _check_numbers(raw, qids, qtype, registry, num, report) -> None:
    is_date = raw["is_date"].to_numpy()
    want_date = (qtype == "date").to_numpy()
    report(
        num & (is_date != want_date),
        lambda r: type_mismatch(qtype[r.name], show_value(r["x"], r["is_date"])),
    )
    lower = qids.map(lambda q: registry[q]["lower"]).to_numpy(dtype="float64")
    upper = qids.map(lambda q: registry[q]["upper"]).to_numpy(dtype="float64")
    closed_lo = ~qids.map(lambda q: registry[q]["open_lower"]).to_numpy(dtype=bool)
    closed_hi = ~qids.map(lambda q: registry[q]["open_upper"]).to_numpy(dtype=bool)
    x = raw["x"].to_numpy()
    shown = {"date"}
    report(
        num & closed_lo & (x < lower),
        lambda r: (
            f"{show_value(r['x'], r['is_date'])} is below the closed lower bound "
            f"{show_value(lower[_pos(raw, r)], qtype[r.name] in shown)} of question "
            f"'{qids[r.name]}'"
        ),
        "set open_lower: true on the question if lower values are possible",
    )
    report(
        num & closed_hi & (x > upper),
        lambda r: (
            f"{show_value(r['x'], r['is_date'])} is above the closed upper bound "
            f"{show_value(upper[_pos(raw, r)], qtype[r.name] in shown)} of question "
            f"'{qids[r.name]}'"
        ),
        "set open_upper: true on the question if higher values are possible",
    )
    # Order within each claim: the rows are in the order written.
    same = (raw["_claim"].to_numpy()[1:] == raw["_claim"].to_numpy()[:-1]) & num[1:]
    dx = np.diff(x)
    dp = np.diff(raw["p"].to_numpy())
    form = raw["form"].to_numpy()[1:]
    prev_x = np.concatenate([[np.nan], x[:-1]])
    # quantiles may be written in any order: sorted by level within each claim, the values
    # must not decrease
    qmask = (raw["form"] == "quantiles").to_numpy()
    if qmask.any():
        sub = raw[qmask].sort_values(["_claim", "p"], kind="stable")
        sx, sp = sub["x"].to_numpy(), sub["p"].to_numpy()
        sc = sub["_claim"].to_numpy()
        bad = np.concatenate([[False], (sc[1:] == sc[:-1]) & (np.diff(sx) < 0)])
        dup = np.concatenate([[False], (sc[1:] == sc[:-1]) & (np.diff(sp) == 0)])
        lower_mask = np.zeros(len(raw), dtype=bool)
        lower_mask[raw.index.get_indexer(sub.index[bad])] = True
        dup_mask = np.zeros(len(raw), dtype=bool)
        dup_mask[raw.index.get_indexer(sub.index[dup])] = True
        report(
            lower_mask,
            lambda r: (
                f"quantile values must not decrease with the level: "
                f"{show_value(r['x'], r['is_date'])} at level {r['p']:g} is below the value "
                f"at a lower level"
            ),
            "sort the values with the levels, e.g. 0.05: 1, 0.5: 2, 0.95: 3",
        )
        report(dup_mask, lambda r: f"quantile level {r['p']:g} is given twice")
    cdf = np.concatenate([[False], same & (form == "cdf")])
    report(
        cdf & (np.concatenate([[0.0], dx]) <= 0),
        lambda r: (
            f"cdf x must increase: {show_value(r['x'], r['is_date'])} follows "
            f"{show_value(prev_x[_pos(raw, r)], r['is_date'])}"
        ),
    )
    report(
        cdf & (np.concatenate([[0.0], dp]) < 0),
        lambda r: f"cdf p must not decrease: {r['p']:g} after a higher value",
        "p is P(value <= x), which grows with x",
        at="p",
    )
    p = raw["p"].to_numpy()
    report(
        (raw["form"] == "cdf").to_numpy() & ((p < 0) | (p > 1)),
        lambda r: f"cdf p {r['p']:g} is outside [0, 1]",
        at="p",
    )


def _ordered(raw, qids, registry, claim_order) -> pd.DataFrame:
    """The table, rows by claim (the claims table's order), then option order, level or x."""
    position = {c: i for i, c in enumerate(claim_order)}
    claim_pos = raw["claim_id"].map(position).to_numpy(dtype="float64")
    form = raw["form"].to_numpy()
    key = np.where(form == "cdf", raw["x"].to_numpy(), raw["p"].to_numpy())
    key = np.where(form == "point", 0.0, key)
    mc = form == "probabilities"
    if mc.any():
        rank = [
            registry[q]["options"].index(o) if m and o in registry[q]["options"] else -1
            for m, q, o in zip(mc, qids, raw["option"], strict=True)
        ]
        key = np.where(mc, np.asarray(rank, dtype="float64"), key)
    order = np.lexsort((key, claim_pos))
    out = raw.iloc[order]
    return _typed(out["claim_id"], out["form"], out["option"], out["x"], out["p"], claim_order)


def _typed(claim_id, form, option, x, p, claim_order) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "claim_id": pd.Categorical(
                claim_id, categories=pd.unique(pd.Series(claim_order, dtype=object))
            ),
            "form": pd.Categorical(form, categories=list(NONBINARY_FORMS)),
            "option": pd.Series(option, dtype="string").to_numpy(),
            "x": np.asarray(x, dtype="float64"),
            "p": np.asarray(p, dtype="float64"),
        }
    ).astype({"option": "string"})


def _empty_points() -> pd.DataFrame:
    return _typed([], [], [], [], [], [])


def empty_points() -> pd.DataFrame:
    """An empty ``corpus.forecast_points`` (a corpus of binary claims only)."""
    return _empty_points()
