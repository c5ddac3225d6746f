"""Log outcomes: ``forecastkit resolve`` appends an entry to a source's outcome log."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forecastkit.editing.edit import (
    EVIDENCE_FIELDS,
    VERDICTS,
    Resolution,
    as_date,
    check_new_entry,
    collector_paused,
    default_recorder,
    line_of_last,
    load_for_edit,
    locked,
    new_file,
    plain_data,
    read_for_edit,
    refuse_future,
    refuse_links_out,
    schema_header,
    write_checked,
)
from forecastkit.errors import (
    ClaimFileError,
    CorpusError,
    EditError,
    ValidationFailed,
)
from forecastkit.records.layout import YAML_SUFFIXES, corpus_files, did_you_mean
from forecastkit.records.paths import resolve_corpus_path

if TYPE_CHECKING:
    from forecastkit.records.yamlio import Document

# --------------------------------------------------------------------------------------------
# Outcomes


def _check_evidence(evidence: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for i, e in enumerate(evidence):
        item: dict[str, Any] = {}
        for f in EVIDENCE_FIELDS:
            value = e.get(f)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise EditError(
                    f"evidence needs a {f}",
                    field=f"evidence[{i}].{f}",
                    hint=f"give --{f if f != 'published' else 'published'} "
                    "(the page's address, title, publisher, date and a short quote)",
                )
            if f == "published":
                item[f] = as_date(value, f"evidence[{i}].published")
            else:  # a quote is stored verbatim, as given; names and addresses are trimmed
                item[f] = str(value) if f == "quote" else str(value).strip()
        out.append(item)
    return out


@collector_paused()
def resolve_claim(
    claim_id: str,
    verdict: str | None,
    resolved_on: dt.date | str,
    *,
    option: str | None = None,
    value: Any = None,
    evidence: Sequence[Mapping[str, Any]] = (),
    note: str | None = None,
    recorded_by: str | None = None,
    recorded_on: dt.date | None = None,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> Resolution:
    """Append an outcome entry for ``claim_id`` (a claim id or a question id) to its outcome log.

    Outcomes are logged per question: a question id (of ``questions.yaml``, or one a tabular
    claim file defines: its entries go to ``outcomes/<file stem>.yaml``) resolves every claim
    on it, and so does the id of a claim on a shared question (the entry names the question and
    the message says so). A claim with no question is its own question.

    A claim that already has an outcome gets a *revision*: the new entry becomes the current
    outcome and the earlier ones stay in the history (``Resolution.revision`` is true).

    Parameters
    ----------
    verdict:
        ``true``, ``false``, ``ambiguous`` or ``annulled`` (None with ``option`` or ``value``).
    option, value:
        The outcome of a multiple-choice question (an option label, matched regardless of
        case) or of a numeric or date question (a number, or a date); instead of a verdict,
        and with evidence, as a true/false verdict. ``ambiguous`` and ``annulled`` apply to
        every type; ``true``/``false`` only to a yes/no question.
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
    refuse_links_out(root)  # an outcomes/ linked elsewhere would be written through
    today = today or dt.date.today()
    given = [
        n for n, v in (("verdict", verdict), ("option", option), ("value", value)) if v is not None
    ]
    if len(given) != 1:
        raise EditError(
            f"give one of verdict, option or value, not {' and '.join(given)}"
            if given
            else "no outcome given",
            field=given[-1] if given else "verdict",
            hint="a verdict (true, false, ambiguous, annulled), an option (multiple choice) or "
            "a value (numeric or date)",
        )
    answer = option if option is not None else value
    verdict = str(verdict).strip().lower() if verdict is not None else "resolved"
    if verdict not in VERDICTS and answer is None:
        raise EditError(
            f"'{verdict}' is not a verdict",
            field="verdict",
            hint=f"use one of {', '.join(VERDICTS)}",
        )
    resolved = as_date(resolved_on, "resolved_on")
    recorded = recorded_on or today
    ev = _check_evidence(evidence)
    for i, e in enumerate(ev):
        refuse_future(
            e["published"],
            today,
            f"evidence[{i}].published",
            "the evidence page must exist before you record it",
        )
    if (verdict in ("true", "false") or answer is not None) and not ev:
        what = f"a {verdict} verdict" if answer is None else f"an {given[0]}"
        raise EditError(
            f"{what} needs evidence you have read",
            field="evidence",
            hint="give --evidence URL with --title, --publisher, --published and --quote",
        )
    note = note if note and note.strip() else None  # verbatim: a note is the recorder's words
    if verdict in ("ambiguous", "annulled") and not note:
        raise EditError(
            f"an {verdict} verdict needs a note saying why", field="note", hint="give --note TEXT"
        )

    asked = claim_id
    found, claim_id, question = _find(root, claim_id, today)
    from forecastkit.editing.forecasts import outcome_fields

    entry_answer = outcome_fields(verdict, option, value, question)
    if found.kind != "forecast":
        raise EditError(
            f"'{claim_id}' is a {found.kind}, not a forecast; only forecasts are resolved",
            field="kind",
        )
    made_on = found.made_on
    if made_on and resolved < made_on:
        which = f" (claim '{found.latest}')" if found.question is not None else ""
        raise EditError(
            f"resolved_on {resolved} is before the claim was made ({made_on}){which}",
            field="resolved_on",
            hint="--on is when the outcome became determinate",
        )
    if resolved > today:
        raise EditError(
            f"resolved_on {resolved} is in the future",
            field="resolved_on",
            hint="an outcome can only be logged once it is determinate",
        )
    if recorded < resolved:
        raise EditError(
            f"recorded_on {recorded} is before resolved_on {resolved}", field="recorded_on"
        )
    # Keep a claim's history in one log (the one of its current entry), so that the new entry
    # is the last one in the loader's order and becomes current.
    # A table's own outcome columns are an entry too, but a table is never written: its
    # question's later entries go to outcomes/<file stem>.yaml (docs/claim-format.md).
    logged = [h for h in found.history if h[2].suffix in YAML_SUFFIXES]
    log = logged[-1][2] if logged else root / "outcomes" / f"{found.file.stem}.yaml"

    key = "question" if found.question is not None else "claim"
    entry: dict[str, Any] = {key: claim_id, **entry_answer, "resolved_on": resolved}
    if ev:
        entry["evidence"] = ev
    entry["recorded_by"] = (recorded_by or "").strip() or default_recorder(root)
    entry["recorded_on"] = recorded
    if note:
        entry["note"] = note
    check_new_entry({"outcomes": [plain_data(entry)]}, "outcomes", "outcome", "outcomes[0]")

    from forecastkit.editing.yamledit import append_parsed

    _make_folder(log.parent)  # before the lock, which lives in it
    with locked(log):
        if log.exists():  # the log as _history parsed it, when its text is still the same
            fresh = read_for_edit(log, "outcomes", known=found.logs.get(log))
        else:
            fresh = new_file(schema_header(log.parent, root, "outcomes") + "\n", log)
        here = fresh.doc.data or {}
        in_log = [
            o
            for o in (here.get("outcomes") or [])
            if isinstance(o, dict) and o.get(key) == claim_id
        ]
        elsewhere = [h for h in found.history if h[2].resolve() != log.resolve()]
        earlier = len(elsewhere) + len(in_log)
        previous = None
        if in_log:
            previous = _label(in_log[-1])
        elif elsewhere:
            previous = elsewhere[-1][3]
        doc = append_parsed(fresh.doc, "outcomes", [entry])
        write_checked(log, doc, fresh.bom, "outcomes")
    line = line_of_last(doc, "outcomes")
    n = earlier + 1
    shown = _label(plain_data(entry))
    if earlier:
        message = (
            f"recorded a revision of {claim_id}: {shown} (entry {n}) supersedes "
            f"{previous}; the earlier entr{'y stays' if earlier == 1 else 'ies stay'} "
            f"in the history ({log}:{line})"
        )
    else:
        message = f"resolved {claim_id}: {shown} ({log}:{line})"
    if found.question is not None:
        on = f"{found.n_claims} claim{'s inherit' if found.n_claims != 1 else ' inherits'}"
        via = f"'{asked}' forecasts the shared question '{claim_id}'; " if asked != claim_id else ""
        inherit = "verdict" if answer is None else "outcome"
        message = f"{via}{message} (question; {on} the {inherit})"
    return Resolution(
        file=log,
        line=line,
        message=message,
        id=claim_id,
        verdict=verdict,
        entry=n,
        revision=bool(earlier),
        previous=previous,
    )


@collector_paused()
def question_fields(
    claim_id: str,
    path: str | os.PathLike[str] | None = None,
    *,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The type fields (``type``, ``options``, ``unit``, bounds) of the question that
    ``resolve claim_id`` would log an outcome for: what a prompt asks for (an option, a
    value or a verdict). A claim that is its own question is yes/no.

    Raises
    ------
    ForecastkitError
        For an unknown id, as :func:`resolve_claim` would.
    """
    from forecastkit.records.question_types import binary_fields

    _found, _qid, question = _find(resolve_corpus_path(path), claim_id, today or dt.date.today())
    return dict(question) if question else binary_fields()


def _find(root: Path, claim_id: str, today: dt.date) -> tuple[_Found, str, Any]:
    """The claim or question ``claim_id`` names (a claim on a shared question: the question),
    the id its outcome is logged under, and the question's type fields (None: yes/no)."""
    found = _locate(root, claim_id)
    if found is not None and found.question is not None:  # a claim on a shared question
        claim_id = found.question
        found = _locate_question(root, claim_id)
    elif found is None:
        found = _locate_question(root, claim_id)
    if found is None:  # load everything, for the errors or a "did you mean"
        corpus, errors = load_for_edit(root, today)
        if errors:
            raise ValidationFailed(errors)
        known = corpus.claims["claim_id"].tolist() + corpus.questions["question_id"].tolist()
        raise CorpusError(
            f"no claim with id '{claim_id}' (nor a question of questions.yaml or of a table)",
            hint=did_you_mean(claim_id, [k for k in known if k != claim_id])
            or "`forecastkit due` and `forecastkit export` list claim ids",
        )
    from forecastkit.editing.forecasts import registry_question

    return found, claim_id, found.qdef or registry_question(root, found.question)


@dataclass(frozen=True)
class _Found:
    kind: str
    made_on: dt.date | None
    file: Path
    #: (recorded_on, file name, log path, verdict) of each outcome entry, in the loader's order
    history: list[tuple[dt.date, str, Path, str]]
    #: the shared question the claim forecasts (for a question: its own id), or None
    question: str | None = None
    #: for a question: how many claims forecast it and which of them was made last
    n_claims: int = 1
    latest: str | None = None
    #: the type fields of a question a tabular file defines (None: see ``questions.yaml``)
    qdef: dict[str, Any] | None = None
    #: the outcome logs parsed to find the history (a log unchanged under the lock is not
    #: parsed again: :func:`~forecastkit.editing.edit.read_for_edit`)
    logs: dict[Path, Document] = field(default_factory=dict, repr=False)


def _iso(value: Any, path: Path) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ClaimFileError(
            f"{value!r} is not a real calendar date",
            file=path,
            hint="fix the file by hand first; nothing was written",
        ) from None


def _locate(root: Path, claim_id: str) -> _Found | None:
    """Find one claim and its outcome entries without loading the corpus into pandas.

    Only files whose text contains the id are parsed, so ``resolve`` stays fast on large
    corpora; a file that mentions the id but does not parse is refused with its line.
    """
    from forecastkit.records.yamlio import parse, read_text

    if not root.is_dir():
        raise CorpusError(
            "corpus folder not found",
            file=root,
            hint="pass the folder that holds your claim files, e.g. claims/",
        )
    layout = corpus_files(root)
    claim_files, tables, logs = layout.claim_files, layout.tabular, layout.outcome_logs
    found: tuple[str, dt.date | None, Path] | None = None
    question = None
    own: list[tuple[dt.date, str, Path, str]] = []  # a table's own outcome of the claim
    for p in claim_files:
        text = read_text(p)
        if claim_id not in text:
            continue
        data = _mapping(parse(text, p).data)
        for c in _sequence(data.get("claims")):
            if isinstance(c, dict) and c.get("id") == claim_id:
                published = _mapping(data.get("source")).get("published")
                found = (c.get("kind") or "forecast", _iso(c.get("made_on") or published, p), p)
                question = c.get("question")
                break
        if found:
            break
    if found is None and tables:
        import pandas as pd

        from forecastkit.editing.resolve_tables import table_history
        from forecastkit.records.tabular import read_claim_table

        for p in tables:
            table = read_claim_table(p)
            claims = table.claims
            match = claims[claims["claim_id"] == claim_id]
            if len(match):
                c = match.iloc[0]
                made_on = None if pd.isna(c["made_on"]) else c["made_on"].date()
                found = (c["kind"], made_on, p)
                question = None if pd.isna(c["question"]) else c["question"]
                if question is None:  # its own question: the row's outcome is the first entry
                    own = table_history(table.outcomes, [claim_id], p)
                break
    if found is None:
        return None
    parsed: dict[Path, Document] = {}
    history = own + _history(logs, "claim", claim_id, parsed)
    history.sort(key=lambda h: (h[0], h[1]))
    return _Found(
        kind=found[0],
        made_on=found[1],
        file=found[2],
        history=history,
        question=question,
        logs=parsed,
    )


def _history(
    logs: tuple[Path, ...], key: str, wanted: str, parsed: dict[Path, Document]
) -> list[tuple[dt.date, str, Path, str]]:
    """The outcome entries naming ``key: wanted``, in the loader's order; every log parsed for
    them goes into ``parsed``."""
    from forecastkit.records.yamlio import parse, read_text

    history = []
    for p in logs:
        text = read_text(p)
        if wanted not in text:
            continue
        parsed[p] = doc = parse(text, p)
        for o in _sequence(_mapping(doc.data).get("outcomes")):
            if isinstance(o, dict) and o.get(key) == wanted:
                when = _iso(o.get("recorded_on"), p) or dt.date.min
                history.append((when, str(p), p, _label(o)))
    history.sort(key=lambda h: (h[0], h[1]))  # stable: log order within a file
    return history


def _locate_question(root: Path, question_id: str) -> _Found | None:
    """A question of ``questions.yaml`` or one a tabular file defines (None if neither has
    it): the claims on it (made last, the first one's file for a new log) and its outcome
    entries; parses only the files that mention the id."""
    from forecastkit.editing.resolve_tables import table_question
    from forecastkit.records.layout import QUESTIONS_FILE
    from forecastkit.records.yamlio import parse, read_text

    registry = root / QUESTIONS_FILE
    registered = (
        registry.is_file()
        and question_id in read_text(registry)
        and question_id
        in _mapping(_mapping(parse(read_text(registry), registry).data).get("questions"))
    )
    layout = corpus_files(root)
    tables = table_question(layout.tabular, question_id)
    if not registered and not tables.claims:
        return None
    claims: list[tuple[dt.date | None, str, Path, str]] = []
    for p in layout.claim_files:
        text = read_text(p)
        if question_id not in text:
            continue
        data = _mapping(parse(text, p).data)
        published = _mapping(data.get("source")).get("published")
        for c in _sequence(data.get("claims")):
            if isinstance(c, dict) and c.get("question") == question_id:
                claims.append(
                    (
                        _iso(c.get("made_on") or published, p),
                        str(c.get("id")),
                        p,
                        c.get("kind") or "forecast",
                    )
                )
    claims += tables.claims
    if not claims:
        raise EditError(
            f"no claim forecasts question '{question_id}' yet",
            field="question",
            hint="add question: ID to the claims that forecast it, then resolve it",
        )
    made = [c for c in claims if c[0] is not None]
    latest = max(made, key=lambda c: c[0]) if made else claims[-1]
    kind = "forecast" if any(c[3] == "forecast" for c in claims) else claims[0][3]
    parsed: dict[Path, Document] = {}
    history = tables.history + _history(layout.outcome_logs, "question", question_id, parsed)
    history.sort(key=lambda h: (h[0], h[1]))
    return _Found(
        kind=kind,
        made_on=latest[0],
        file=claims[0][2],
        history=history,
        question=question_id,
        n_claims=len(claims),
        latest=latest[1],
        qdef=None if registered else tables.qdef,
        logs=parsed,
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    """A hand-broken file may hold a list or a scalar where a mapping belongs: skip it here
    (``forecastkit validate`` reports it with its line)."""
    return value if isinstance(value, Mapping) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _isna(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _label(entry: Mapping[str, Any]) -> str:
    """An outcome entry in a message: its verdict, ``option medvedev`` or ``value 4.0``."""
    verdict = entry.get("verdict")
    if verdict is not None:
        return str(verdict).lower() if isinstance(verdict, bool) else str(verdict)
    for key in ("option", "value"):
        if entry.get(key) is not None:
            return f"{key} {entry[key]}"
    return "None"


def _make_folder(folder: Path) -> None:
    """Make the outcomes folder when it is missing; one line when something else is there."""
    if folder.is_dir():
        return
    if folder.exists() or folder.is_symlink():
        raise EditError(
            "is not a folder; outcome logs go into the corpus's outcomes/ folder",
            file=folder,
            hint="move it away and run the command again",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EditError(
            f"cannot create the outcomes folder: {exc.strerror or exc}",
            file=folder,
            hint="check the folder's permissions",
        ) from None
