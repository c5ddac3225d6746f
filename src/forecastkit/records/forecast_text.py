"""A non-binary forecast as one line of text: what ``forecastkit add claim`` reads and what
``show`` and ``export`` print (``docs/question-types.md``, "On the command line").

One syntax per form, the same both ways:

=================  ==========================================  ================================
form               text                                        YAML it stands for
=================  ==========================================  ================================
``probabilities``  ``medvedev=0.6,putin=0.3,neither=0.1``      ``{medvedev: 0.6, ...}``
``quantiles``      ``0.05=2,0.5=2.5,0.95=3``                   ``{0.05: 2, 0.5: 2.5, 0.95: 3}``
``interval``       ``90%:2..3`` (or ``0.9:2..3``)              ``{level: 0.9, lower: 2, upper: 3}``
``cdf``            ``0=0.02,1=0.1,2=0.5`` (``x=p``)            ``{x: [0, 1, 2], p: [...]}``
``point``          ``2.5``                                     ``2.5``
=================  ==========================================  ================================

Values are numbers, or dates ``YYYY-MM-DD`` on a date question. A CDF may also come from a CSV
file with the header ``x,p`` (:func:`read_cdf_file`). Only the syntax is checked here; whether
the numbers fit the question (options, sums, order, bounds) is the loader's check
(:mod:`forecastkit.records.forms`), which ``add claim`` runs on the new claim before writing.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from forecastkit.errors import EditError

#: The forms written this way, in the order of the command's options.
TEXT_FORMS = ("probabilities", "quantiles", "interval", "cdf", "point")
_INT = re.compile(r"^[+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HINTS = {
    "probabilities": "write LABEL=P pairs, e.g. medvedev=0.6,putin=0.3,neither=0.1",
    "quantiles": "write LEVEL=VALUE pairs, e.g. 0.05=2,0.5=2.5,0.95=3",
    "interval": "write LEVEL:LOWER..UPPER, e.g. 90%:2..3 or 0.9:2024-07-01..2024-12-31",
    "cdf": "write X=P pairs, e.g. 0=0.02,1=0.1,2=0.5, or @FILE for a CSV file with columns x,p",
    "point": "write a number, e.g. 2.5, or a date YYYY-MM-DD on a date question",
}


def _refuse(form: str, message: str, hint: str | None = None) -> EditError:
    return EditError(message, field=f"--{form}", hint=hint or _HINTS.get(form, _HINTS["point"]))


def parse_value(text: str, form: str = "point") -> int | float | dt.date:
    """A value as typed: an integer, a number or a date ``YYYY-MM-DD``.

    >>> parse_value("2.5"), parse_value("100000"), parse_value("2024-06-17")
    (2.5, 100000, datetime.date(2024, 6, 17))
    """
    s = text.strip()
    if _INT.match(s):
        return int(s)
    try:
        x = float(s)
    except ValueError:
        pass
    else:
        if not math.isfinite(x):
            raise _refuse(form, f"{s!r} is not a finite number")
        return x
    if _DATE.match(s):
        try:
            return dt.date.fromisoformat(s)
        except ValueError:
            raise _refuse(form, f"{s!r} is not a real calendar date") from None
    if "," in s or re.fullmatch(r"[\d.,]+", s.replace(" ", "")):
        hint = "write numbers without thousands separators, e.g. 100000"
    else:
        hint = _HINTS.get(form, _HINTS["point"])
    raise _refuse(form, f"{s!r} is neither a number nor a date YYYY-MM-DD", hint)


def _probability(text: str, form: str, what: str) -> float:
    s = text.strip()
    try:
        p = float(s.removesuffix("%")) / (100 if s.endswith("%") else 1)
    except ValueError:
        raise _refuse(form, f"{what} {s!r} is not a number") from None
    if not math.isfinite(p):
        raise _refuse(form, f"{what} {s!r} is not a finite number")
    return p


def _pairs(text: str, form: str) -> list[tuple[str, str]]:
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or any(not item for item in items):
        raise _refuse(form, "an empty entry" if text.strip() else "nothing given")
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise _refuse(form, f"{item!r} is not KEY=VALUE")
        out.append((key.strip(), value.strip()))
    return out


def parse_probabilities(text: str, options: Sequence[str] = ()) -> dict[str, float]:
    """``medvedev=0.6,putin=0.3,neither=0.1`` as ``{label: probability}``.

    Labels are matched to ``options`` regardless of case (options are lower-case); a label given
    twice is refused. Whether the labels are the question's options and the probabilities sum
    to 1 is checked against the question afterwards.
    """
    by_fold = {o.casefold(): o for o in options}
    out: dict[str, float] = {}
    seen: set[str] = set()
    for label, value in _pairs(text, "probabilities"):
        name = by_fold.get(label.casefold(), label)
        if label.casefold() in seen:
            raise _refuse("probabilities", f"option '{name}' is given twice", "give it once")
        seen.add(label.casefold())
        out[name] = _probability(value, "probabilities", f"the probability of '{label}'")
    return out


def parse_quantiles(text: str) -> dict[float, int | float | dt.date]:
    """``0.05=2,0.5=2.5,0.95=3`` as ``{level: value}`` (levels may be written ``5%``)."""
    out: dict[float, int | float | dt.date] = {}
    for level, value in _pairs(text, "quantiles"):
        q = _probability(level, "quantiles", "quantile level")
        if q in out:
            raise _refuse("quantiles", f"quantile level {level} is given twice", "give it once")
        out[q] = parse_value(value, "quantiles")
    return out


def parse_interval(text: str) -> dict[str, Any]:
    """``90%:2..3`` (or ``0.9:2..3``) as ``{level: 0.9, lower: 2, upper: 3}``."""
    level, sep, ends = text.partition(":")
    lower, dots, upper = ends.partition("..")
    if not sep or not dots or not level.strip() or not lower.strip() or not upper.strip():
        raise _refuse("interval", f"{text!r} is not LEVEL:LOWER..UPPER")
    return {
        "level": _probability(level, "interval", "interval level"),
        "lower": parse_value(lower, "interval"),
        "upper": parse_value(upper, "interval"),
    }


def parse_cdf(text: str) -> dict[str, list[Any]]:
    """``0=0.02,1=0.1,2=0.5`` (``x=P(value <= x)``) as ``{x: [...], p: [...]}``."""
    pairs = _pairs(text, "cdf")
    return {
        "x": [parse_value(x, "cdf") for x, _ in pairs],
        "p": [_probability(p, "cdf", f"P(value <= {x})") for x, p in pairs],
    }


def read_cdf_file(path: str | Path) -> tuple[dict[str, list[Any]], list[int]]:
    """A CDF from a CSV file with the columns ``x`` and ``p`` (a header line, then one grid
    point per line): ``({x: [...], p: [...]}, line of each point)``.

    Raises
    ------
    EditError
        Naming the file, line and column of the first cell that is not a number (or date).
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise EditError(f"cannot read the CDF file: {reason}", file=file, field="--cdf") from None
    rows = list(csv.reader(text.splitlines()))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if "x" not in header or "p" not in header:
        raise EditError(
            "the CDF file needs a header line with the columns x and p",
            file=file,
            line=1,
            hint="e.g. x,p then one grid point per line: 0,0.02",
        )
    ix, ip = header.index("x"), header.index("p")
    xs: list[Any] = []
    ps: list[float] = []
    lines: list[int] = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {}
        for col, i in (("x", ix), ("p", ip)):
            cell = row[i] if i < len(row) else ""
            try:
                cells[col] = (
                    parse_value(cell, "cdf") if col == "x" else _probability(cell, "cdf", "p")
                )
            except EditError as exc:
                raise EditError(
                    exc.message if cell.strip() else "empty cell",
                    file=file,
                    line=n,
                    field=col,
                    hint="a number (a date YYYY-MM-DD for x on a date question)",
                ) from None
        xs.append(cells["x"])
        ps.append(cells["p"])
        lines.append(n)
    if len(xs) < 2:
        raise EditError(
            "the CDF file needs at least two grid points", file=file, hint="one x,p per line"
        )
    return {"x": xs, "p": ps}, lines


# --------------------------------------------------------------------------------------------
# Writing a loaded forecast back as text


def show_number(x: float, is_date: bool = False) -> str:
    """A stored value as typed: ``2.5``, ``100000``, or a date (days since 1970-01-01)."""
    if math.isnan(x):
        return ""
    if is_date:
        return (dt.date(1970, 1, 1) + dt.timedelta(days=int(x))).isoformat()
    return f"{x:.10g}"


def forecast_texts(points: Any, date_claims: Any = ()) -> Any:
    """The forecast of every claim of ``points`` (``corpus.forecast_points``) in the syntax
    ``add claim`` reads: a string Series indexed by claim id (claims without points are
    absent). ``date_claims`` are the claims whose values are dates.

    An interval's two rows (the quantiles ``(1 -/+ level) / 2``) become ``LEVEL:LOWER..UPPER``:
    ``0.05`` at 2 and ``0.95`` at 3 is ``90%:2..3``.

    Each number is formatted once and the strings are joined per claim, so a million forecasts
    take a few seconds, not a Python loop over claims.
    """
    import numpy as np
    import pandas as pd

    if len(points) == 0:
        return pd.Series([], dtype="string", index=pd.Index([], name="claim_id"))
    claim = points["claim_id"].astype(str).to_numpy()
    form = points["form"].astype(str).to_numpy()
    x = points["x"].to_numpy(dtype="float64")
    p = points["p"].to_numpy(dtype="float64")
    is_date = np.isin(claim, np.asarray(list(date_claims), dtype=object))
    xs = np.array([f"{v:.10g}" for v in x.tolist()], dtype=object)
    if is_date.any():
        xs[is_date] = [show_number(v, True) for v in x[is_date].tolist()]
    ps = np.array([f"{v:.10g}" for v in p.tolist()], dtype=object)
    piece = np.empty(len(x), dtype=object)
    mc = form == "probabilities"
    if mc.any():
        piece[mc] = points["option"].to_numpy(dtype=object)[mc].astype(str) + "=" + ps[mc]
    cdf, point = form == "cdf", form == "point"
    piece[cdf] = xs[cdf] + "=" + ps[cdf]
    piece[point] = xs[point]
    rest = ~(mc | cdf | point)  # quantiles, and the two rows of an interval
    piece[rest] = ps[rest] + "=" + xs[rest]
    # rows of one claim are together (the table is ordered by claim; a stable sort makes sure),
    # so each claim's text is one join over a slice, not a groupby of small Series
    codes, names = pd.factorize(claim)
    order = np.argsort(codes, kind="stable")
    pieces = piece[order].tolist()
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    starts = np.concatenate([[0], bounds]).tolist()
    ends = [*starts[1:], len(pieces)]
    text = pd.Series(
        [",".join(pieces[a:b]) for a, b in zip(starts, ends, strict=True)],
        index=pd.Index(names, name="claim_id"),
        dtype=object,
    )
    interval = form == "interval"
    if interval.any():  # two rows, the quantiles (1 -/+ level) / 2: LEVEL:LOWER..UPPER
        sub = pd.DataFrame({"claim_id": claim[interval], "x": xs[interval], "p": p[interval]})
        ends = sub.groupby("claim_id", sort=False).agg(
            lo=("x", "first"), hi=("x", "last"), p_lo=("p", "first"), p_hi=("p", "last")
        )
        level = ((ends["p_hi"] - ends["p_lo"]) * 100).round(8)
        text.loc[ends.index] = [
            f"{lv:.10g}%:{lo}..{hi}"
            for lv, lo, hi in zip(level, ends["lo"], ends["hi"], strict=True)
        ]
    return text.astype("string")
