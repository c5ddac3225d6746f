"""One claim as text: what was said, by whom, its current outcome and its full outcome history."""

from __future__ import annotations

from typing import Any

import pandas as pd

from forecastkit.records.corpus import Corpus


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, (tuple, list)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()  # strftime drops the zeros of years before 1000
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value)) or None
    return str(value)


def format_claim(corpus: Corpus, claim_id: str) -> str:
    """The claim ``claim_id`` with its current outcome and every outcome entry, oldest first.

    Raises
    ------
    CorpusError
        For an unknown id (with "did you mean" suggestions).
    """
    c = corpus.claim(claim_id)
    lines = [f"{c['claim_id']}  ({c['file']}:{c['line']})"]

    def field(label: str, value: Any) -> None:
        shown = _text(value)
        if shown is not None:
            lines.append(f"  {label + ':':<14} {shown}")

    field("source", f"{c['source_title']} — {c['publisher']}, {_text(c['published'])}")
    field(
        "claimant",
        f"{_text(c['claimant_name']) or c['claimant']} ({c['claimant']}, {c['claimant_role']})",
    )
    field("kind", c["kind"])
    field("quote", c["quote"])
    field("proposition", c["proposition"])
    field("criteria", c["criteria"])
    if not pd.isna(c["probability_stated"]):
        field("probability", f"{c['probability_stated']:g} (stated)")
    elif not pd.isna(c["hedge"]):
        reading = (
            f" = {c['probability']:g} on {c['scale']}" if not pd.isna(c["probability"]) else ""
        )
        field("hedge", f"{c['hedge']}{reading}")
    question = _typed_question(corpus, c)
    if question is not None:
        field("type", _type_line(question))
        field("forecast", _forecast_line(corpus, c, question))
    field("made on", c["made_on"])
    deadline = _text(c["resolve_by"])
    if deadline and not pd.isna(c["deadline_basis"]):
        extra = [
            x
            for x in (
                _text(c["deadline_rule"]),
                f'"{c["deadline_phrase"]}"' if not pd.isna(c["deadline_phrase"]) else None,
            )
            if x
        ]
        deadline += f" ({c['deadline_basis']}{': ' + '; '.join(extra) if extra else ''})"
    field("resolve by", deadline)
    if not pd.isna(c["condition"]):
        field("condition", f"{c['condition']} (if unmet: {c['condition_if_unmet']})")
    field("tags", c["tags"])
    field("notes", c["notes"])
    if c["question_id"] != claim_id:  # a shared question: its outcome is every claim's on it
        others = int((corpus.claims["question_id"] == c["question_id"]).sum()) - 1
        field(
            "question",
            f"{c['question_id']}: {c['question_text']} "
            f"({others} other claim{'s' if others != 1 else ''} on it)",
        )

    history = corpus.history(claim_id)
    if c["kind"] != "forecast":
        lines.append(f"  {'status:':<14} not scored ({c['kind']})")
        return "\n".join(lines) + "\n"
    status = c["status"]
    if status == "open":
        lines.append(f"  {'status:':<14} open")
    else:
        revised = f", revised: {len(history)} entries" if len(history) > 1 else ""
        if question is not None and status == "resolved":
            status += ": " + _answer(c["outcome_option"], c["outcome_value"], question)
        lines.append(f"  {'status:':<14} {status} (resolved on {_text(c['resolved_on'])}{revised})")
    if history.empty:
        lines.append("  no outcome entries")
        return "\n".join(lines) + "\n"
    lines.append("  outcome history (oldest first):")
    evidence = corpus.evidence[corpus.evidence["question_id"] == c["question_id"]]
    for o in history.itertuples():
        mark = "current" if o.current else "superseded"
        said = o.verdict
        if question is not None and (not pd.isna(o.option) or not pd.isna(o.value)):
            said = _answer(o.option, o.value, question)
            said = f"{'option' if not pd.isna(o.option) else 'value'} {said}"
        lines.append(
            f"    {o.entry}. {said} on {_text(o.resolved_on)}, recorded "
            f"{_text(o.recorded_on) or '?'} by {_text(o.recorded_by) or '?'} [{mark}]  "
            f"({o.file}:{o.line})"
        )
        if _text(o.note):
            lines.append(f"       note: {o.note}")
        for e in evidence[evidence["entry"] == o.entry].itertuples():
            lines.append(f"       evidence: {e.title} — {e.publisher}, {_text(e.published)}")
            lines.append(f"                 {e.url}")
            lines.append(f'                 "{e.quote}"')
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Questions beyond yes/no (docs/question-types.md)

#: Grid points of a CDF shown in full; a longer grid shows its ends.
_CDF_SHOWN = 8


def _typed_question(corpus: Corpus, c: pd.Series) -> pd.Series | None:
    """The row of ``corpus.questions`` of a claim on a multiple-choice, numeric or date
    question (None for a yes/no one)."""
    if str(c.get("question_type", "binary")) in ("binary", "nan", "<NA>"):
        return None
    rows = corpus.questions[corpus.questions["question_id"] == c["question_id"]]
    return None if rows.empty else rows.iloc[0]


def _value(x: Any, q: pd.Series, unit: bool = True) -> str:
    from forecastkit.records.forecast_text import show_number

    text = show_number(float(x), q["type"] == "date")
    return f"{text} {q['unit']}" if unit and _text(q["unit"]) else text


def _answer(option: Any, value: Any, q: pd.Series) -> str:
    return str(option) if not pd.isna(option) else _value(value, q)


def _type_line(q: pd.Series) -> str:
    """``multiple choice: medvedev, putin, neither (ordered)``, ``numeric in %, from -20
    (open) to 20 (open)``."""
    if q["type"] == "multiple_choice":
        ordered = " (ordered)" if bool(q["ordered"]) else ""
        return f"multiple choice: {', '.join(map(str, q['options']))}{ordered}"
    text = str(q["type"]) + (f" in {q['unit']}" if _text(q["unit"]) else "")
    ends = []
    for end, word in (("lower", "from"), ("upper", "to")):
        if not pd.isna(q[end]):
            how = "open" if bool(q[f"open_{end}"]) else "closed"
            ends.append(f"{word} {_value(q[end], q, unit=False)} ({how})")
    return text + (", " + " ".join(ends) if ends else "")


def _forecast_line(corpus: Corpus, c: pd.Series, q: pd.Series) -> str | None:
    """The forecast in words, then as ``add claim`` takes it: ``90% between 2 and 3 %
    (--interval 90%:2..3)``."""
    from forecastkit.records.forecast_text import forecast_texts

    pts = corpus.forecast_points[corpus.forecast_points["claim_id"] == c["claim_id"]]
    if pts.empty:
        return None
    form = str(c["form"])
    x, p = pts["x"].tolist(), pts["p"].tolist()
    if form == "probabilities":
        words = ", ".join(f"{o} {v:g}" for o, v in zip(pts["option"], p, strict=True))
    elif form == "quantiles":
        words = "quantiles " + ", ".join(
            f"{v * 100:g}%: {_value(xx, q, unit=False)}" for xx, v in zip(x, p, strict=True)
        )
        words += f" {q['unit']}" if _text(q["unit"]) else ""
    elif form == "interval":
        level = round((p[-1] - p[0]) * 100, 8)
        words = f"{level:g}% between {_value(x[0], q, unit=False)} and {_value(x[-1], q)}"
    elif form == "cdf":
        shown = [f"{_value(xx, q, unit=False)}: {v:g}" for xx, v in zip(x, p, strict=True)]
        if len(shown) > _CDF_SHOWN:
            shown = [*shown[:3], "...", *shown[-3:]]
        words = f"P(value <= x) on {len(x)} points, " + ", ".join(shown)
    else:
        return f"{_value(x[0], q)} (a point estimate, scored for its error only)"
    dates = [c["claim_id"]] if q["type"] == "date" else []
    text = forecast_texts(pts, dates).iloc[0]
    return f"{words}  (--{form} {text})" if len(text) <= 80 else words
