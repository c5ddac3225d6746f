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
        lines.append(f"  {'status:':<14} {status} (resolved on {_text(c['resolved_on'])}{revised})")
    if history.empty:
        lines.append("  no outcome entries")
        return "\n".join(lines) + "\n"
    lines.append("  outcome history (oldest first):")
    evidence = corpus.evidence[corpus.evidence["question_id"] == c["question_id"]]
    for o in history.itertuples():
        mark = "current" if o.current else "superseded"
        lines.append(
            f"    {o.entry}. {o.verdict} on {_text(o.resolved_on)}, recorded "
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
