"""Log outcomes: ``forecastkit resolve`` appends an entry to a source's outcome log."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forecastkit.editing.edit import (
    EVIDENCE_FIELDS,
    VERDICTS,
    Resolution,
    _as_date,
    _line_of_last,
    _load_corpus,
    _not_future,
    _plain,
    _read_for_edit,
    _schema_check_new,
    _schema_header,
    _write_checked,
    default_recorder,
    locked,
)
from forecastkit.errors import (
    ClaimFileError,
    CorpusError,
    EditError,
    ValidationFailed,
)
from forecastkit.records.layout import corpus_files, did_you_mean
from forecastkit.records.paths import resolve_corpus_path

# --------------------------------------------------------------------------------------------
# Outcomes


def _check_evidence(evidence: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for i, e in enumerate(evidence):
        item: dict[str, Any] = {}
        for f in EVIDENCE_FIELDS:
            value = e.get(f)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise EditError(f"evidence needs a {f}", field=f"evidence[{i}].{f}",
                                hint=f"give --{f if f != 'published' else 'published'} "
                                     "(the page's address, title, publisher, date and a short quote)")
            item[f] = _as_date(value, f"evidence[{i}].published") if f == "published" else str(value).strip()
        out.append(item)
    return out


def resolve_claim(
    claim_id: str,
    verdict: str,
    resolved_on: dt.date | str,
    *,
    evidence: Sequence[Mapping[str, Any]] = (),
    note: str | None = None,
    recorded_by: str | None = None,
    recorded_on: dt.date | None = None,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> Resolution:
    """Append an outcome entry for ``claim_id`` to its outcome log.

    A claim that already has an outcome gets a *revision*: the new entry becomes the current
    outcome and the earlier ones stay in the history (``Resolution.revision`` is true).

    Parameters
    ----------
    verdict:
        ``true``, ``false``, ``ambiguous`` or ``annulled``.
    resolved_on:
        When the outcome became determinate: not before the claim was made, not in the future.
    evidence:
        Mappings with ``url``, ``title``, ``publisher``, ``published`` and ``quote``; at least
        one for ``true``/``false``.
    note:
        Why; required for ``ambiguous`` and ``annulled``.
    recorded_by, recorded_on:
        Default: :func:`default_recorder` and today.
    path:
        The corpus folder (default: the project's ``claims/``).

    Raises
    ------
    ForecastkitError
        For an unknown claim, a claim that is not a forecast, a bad date or verdict, missing
        evidence or note, or a broken outcome log; nothing is written.
    """
    root = resolve_corpus_path(path)
    today = today or dt.date.today()
    verdict = str(verdict).strip().lower()
    if verdict not in VERDICTS:
        raise EditError(f"'{verdict}' is not a verdict", field="verdict",
                        hint=f"use one of {', '.join(VERDICTS)}")
    resolved = _as_date(resolved_on, "resolved_on")
    recorded = recorded_on or today
    ev = _check_evidence(evidence)
    for i, e in enumerate(ev):
        _not_future(e["published"], today, f"evidence[{i}].published",
                    "the evidence page must exist before you record it")
    if verdict in ("true", "false") and not ev:
        raise EditError(f"a {verdict} verdict needs evidence you have read", field="evidence",
                        hint="give --evidence URL with --title, --publisher, --published and --quote")
    note = note.strip() if note else None
    if verdict in ("ambiguous", "annulled") and not note:
        raise EditError(f"an {verdict} verdict needs a note saying why", field="note",
                        hint="give --note TEXT")

    found = _locate(root, claim_id)
    if found is None:  # load everything, for the errors or a "did you mean"
        corpus, errors = _load_corpus(root, today)
        if errors:
            raise ValidationFailed(errors)
        raise CorpusError(f"no claim with id '{claim_id}'",
                          hint=did_you_mean(claim_id, corpus.claims["claim_id"].tolist())
                          or "`forecastkit due` and `forecastkit export` list claim ids")
    if found.kind != "forecast":
        raise EditError(f"'{claim_id}' is a {found.kind}, not a forecast; only forecasts are "
                        "resolved", field="kind")
    made_on = found.made_on
    if made_on and resolved < made_on:
        raise EditError(f"resolved_on {resolved} is before the claim was made ({made_on})",
                        field="resolved_on", hint="--on is when the outcome became determinate")
    if resolved > today:
        raise EditError(f"resolved_on {resolved} is in the future", field="resolved_on",
                        hint="an outcome can only be logged once it is determinate")
    if recorded < resolved:
        raise EditError(f"recorded_on {recorded} is before resolved_on {resolved}",
                        field="recorded_on")
    # Keep a claim's history in one log (the one of its current entry), so that the new entry
    # is the last one in the loader's order and becomes current.
    log = found.history[-1][2] if found.history else root / "outcomes" / f"{found.file.stem}.yaml"

    entry: dict[str, Any] = {"claim": claim_id,
                             "verdict": {"true": True, "false": False}.get(verdict, verdict),
                             "resolved_on": resolved}
    if ev:
        entry["evidence"] = ev
    entry["recorded_by"] = (recorded_by or "").strip() or default_recorder(root)
    entry["recorded_on"] = recorded
    if note:
        entry["note"] = note
    _schema_check_new({"outcomes": [_plain(entry)]}, "outcomes", "outcome", "outcomes[0]")

    from forecastkit.editing.yamledit import append_entries

    with locked(log):
        if log.exists():
            text, bom = _read_for_edit(log, "outcomes")
        else:
            folder = log.parent
            folder.mkdir(parents=True, exist_ok=True)
            text, bom = _schema_header(folder, root, "outcomes") + "\n", False
        from forecastkit.records.yamlio import parse

        here = parse(text, log).data or {}
        in_log = [o for o in (here.get("outcomes") or []) if isinstance(o, dict)
                  and o.get("claim") == claim_id]
        elsewhere = [h for h in found.history if h[2].resolve() != log.resolve()]
        earlier = len(elsewhere) + len(in_log)
        previous = None
        if in_log:
            previous = str(in_log[-1].get("verdict")).lower()
        elif elsewhere:
            previous = elsewhere[-1][3]
        new_text = append_entries(text, "outcomes", [entry], log)
        _write_checked(log, new_text, bom, "outcomes")
    line = _line_of_last(new_text, "outcomes", log)
    n = earlier + 1
    if earlier:
        message = (f"recorded a revision of {claim_id}: {verdict} (entry {n}) supersedes "
                   f"{previous}; the earlier entr{'y stays' if earlier == 1 else 'ies stay'} "
                   f"in the history ({log}:{line})")
    else:
        message = f"resolved {claim_id}: {verdict} ({log}:{line})"
    return Resolution(file=log, line=line, message=message, id=claim_id, verdict=verdict,
                      entry=n, revision=bool(earlier), previous=previous)


@dataclass(frozen=True)
class _Found:
    kind: str
    made_on: dt.date | None
    file: Path
    #: (recorded_on, file name, log path, verdict) of each outcome entry, in the loader's order
    history: list[tuple[dt.date, str, Path, str]]


def _iso(value: Any, path: Path) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ClaimFileError(f"{value!r} is not a real calendar date", file=path,
                             hint="fix the file by hand first; nothing was written") from None


def _locate(root: Path, claim_id: str) -> _Found | None:
    """Find one claim and its outcome entries without loading the corpus into pandas.

    Only files whose text contains the id are parsed, so ``resolve`` stays fast on large
    corpora; a file that mentions the id but does not parse is refused with its line.
    """
    from forecastkit.records.yamlio import parse, read_text

    if not root.is_dir():
        raise CorpusError("corpus folder not found", file=root,
                          hint="pass the folder that holds your claim files, e.g. claims/")
    layout = corpus_files(root)
    claim_files, tables, logs = layout.claim_files, layout.tabular, layout.outcome_logs
    found: tuple[str, dt.date | None, Path] | None = None
    for p in claim_files:
        text = read_text(p)
        if claim_id not in text:
            continue
        data = _mapping(parse(text, p).data)
        for c in _sequence(data.get("claims")):
            if isinstance(c, dict) and c.get("id") == claim_id:
                published = _mapping(data.get("source")).get("published")
                found = (c.get("kind") or "forecast", _iso(c.get("made_on") or published, p), p)
                break
        if found:
            break
    if found is None and tables:
        from forecastkit.records.tabular import read_claim_table

        for p in tables:
            _s, rows, _o = read_claim_table(p)
            match = [c for c in rows if c["claim_id"] == claim_id]
            if match:
                found = (match[0]["kind"], match[0]["made_on"], p)
                break
    if found is None:
        return None
    history = []
    for p in logs:
        text = read_text(p)
        if claim_id not in text:
            continue
        for o in _sequence(_mapping(parse(text, p).data).get("outcomes")):
            if isinstance(o, dict) and o.get("claim") == claim_id:
                verdict = o.get("verdict")
                verdict = str(verdict).lower() if isinstance(verdict, bool) else str(verdict)
                history.append((_iso(o.get("recorded_on"), p) or dt.date.min, str(p), p, verdict))
    history.sort(key=lambda h: (h[0], h[1]))  # stable: log order within a file
    return _Found(kind=found[0], made_on=found[1], file=found[2], history=history)


def _mapping(value: Any) -> Mapping[str, Any]:
    """A hand-broken file may hold a list or a scalar where a mapping belongs: skip it here
    (``forecastkit validate`` reports it with its line)."""
    return value if isinstance(value, Mapping) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _isna(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))
