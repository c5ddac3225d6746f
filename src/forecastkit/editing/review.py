"""Review the candidates of ``forecastkit extract --write``: list, edit, accept or reject each.

A candidate is an entry of ``kind: candidate`` in its source's claim file. Review changes that
entry in place, through the steps of :mod:`forecastkit.editing.edit` (lock, read fresh, change,
re-check, atomic write), so the diff shows what the reviewer decided:

- :func:`accept_candidate` turns it into a claim (``kind: forecast`` unless told otherwise)
  through :func:`forecastkit.editing.claims.add_claim`, so the claim passes every check an added
  claim passes; quote, claimant, role, hedge, probability, dates, deadline and condition come from
  the candidate, and its notes keep where it came from (``accepted from candidate <id> ...``);
- :func:`reject_candidate` marks it ``kind: rejected`` with the reason, the day and the reviewer:
  never loaded, and kept so that a re-run of extract does not propose it again;
- :func:`edit_candidate` corrects its fields and leaves it pending;
- :func:`find_candidates` and :func:`candidates_table` list them, each with the shortest name
  that finds it (any unique end of its id: ``c003``, ``talks-c003``), for the CLI and the
  explore notebook (:mod:`forecastkit.editing.candidates`, which also adds a re-run's new
  candidates: :func:`~forecastkit.editing.candidates.add_new_candidates`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from forecastkit.editing.candidates import (
    REJECTED,
    Candidate,
    candidates_table,
    claim_line,
    find_candidate,
    find_candidates,
    registered_names,
    replace_candidate,
)
from forecastkit.editing.edit import (
    CLAIMANT_ROLES,
    Edit,
    as_date,
    collector_paused,
    default_recorder,
    locked,
    read_for_edit,
    refuse_links_out,
    write_checked,
)
from forecastkit.errors import CorpusError, EditError, ForecastkitError
from forecastkit.records.layout import (
    AUTHORS_FILE,
    ID_HINT,
    ID_PATTERN,
    QUESTIONS_FILE,
    did_you_mean,
)
from forecastkit.records.paths import resolve_corpus_path

#: Role of a claimant -> kind of the author entry --add-claimant writes.
_AUTHOR_KIND = {"organisation": "organisation", "anonymous source": "anonymous group"}
__all__ = ["accept_candidate", "candidates_table", "edit_candidate", "find_candidate",
           "find_candidates", "reject_candidate", "Candidate", "REJECTED"]  # fmt: skip


def _rewrite(cand: Candidate, change: Mapping[str, Any], verb: str) -> Edit:
    """Lock the candidate's file, read it fresh, apply ``change`` to the entry, re-check, write."""
    file = cand.file
    with locked(file):
        fresh = read_for_edit(file, "claim-file")
        current = next(
            (c for c in (fresh.doc.data or {}).get("claims") or [] if c.get("id") == cand.id),
            None,
        )
        if current is None or current.get("kind") != "candidate":
            raise EditError(
                f"candidate '{cand.id}' is no longer pending in the file",
                file=file,
                hint="it was accepted, rejected or removed meanwhile; nothing was written",
            )
        entry = {**current, **change}
        entry = {k: v for k, v in entry.items() if v is not None or k in current}
        doc = replace_candidate(fresh.doc, cand.id, entry)
        write_checked(file, doc, fresh.bom, "claim-file")
    line = claim_line(doc, cand.id)
    return Edit(file=file, line=line, id=cand.id, message=f"{verb} {cand.ref} ({file}:{line})")


@collector_paused()
def reject_candidate(
    ref: str,
    *,
    reason: str,
    path: str | os.PathLike[str] | None = None,
    by: str | None = None,
    today: dt.date | None = None,
) -> Edit:
    """Mark a pending candidate ``kind: rejected``, with ``reason``, the day and the reviewer.

    The entry stays in its file (never loaded, never scored), so a re-run of
    ``extract --write`` does not propose it again. Nothing is written on a refusal.
    """
    if not str(reason or "").strip():
        raise EditError(
            "a rejection needs a reason",
            field="rejected.reason",
            hint='give --reason "..." (e.g. "describes the past", "not a forecast")',
        )
    root = resolve_corpus_path(path)
    refuse_links_out(root)
    cand = find_candidate(ref, root)
    rejected = {
        "reason": " ".join(str(reason).split()),
        "recorded_on": today or dt.date.today(),
        "recorded_by": by or default_recorder(root),
    }
    return _rewrite(cand, {"kind": "rejected", "rejected": rejected}, "rejected")


@collector_paused()
def edit_candidate(
    ref: str,
    *,
    path: str | os.PathLike[str] | None = None,
    claimant: str | None = None,
    claimant_role: str | None = None,
    quote: str | None = None,
    proposition: str | None = None,
    criteria: str | None = None,
    hedge: str | None = None,
    probability: float | None = None,
    resolve_by: dt.date | str | None = None,
    condition: str | None = None,
    tags: Sequence[str] = (),
    notes: str | None = None,
) -> Edit:
    """Correct a pending candidate's fields (those given); it stays a candidate.

    Each value is checked as :func:`~forecastkit.editing.claims.add_claim` checks it (the
    claimant key's form, the role, a known hedge, a probability in [0, 1], a deadline after
    ``made_on``); the claimant need not be registered until the candidate is accepted.
    """
    root = resolve_corpus_path(path)
    refuse_links_out(root)
    cand = find_candidate(ref, root)
    change: dict[str, Any] = {}
    if claimant is not None:
        if not ID_PATTERN.match(claimant):
            raise EditError(
                f"'{claimant}' is not a valid claimant key", field="claim.claimant", hint=ID_HINT
            )
        change["claimant"] = claimant
    for name, value in (("quote", quote), ("proposition", proposition), ("criteria", criteria),
                        ("notes", notes)):  # fmt: skip
        if value is not None:
            if not value.strip() and name in ("quote", "proposition"):
                raise EditError(f"the {name} is empty", field=f"claim.{name}")
            change[name] = value.strip() or None
    if claimant_role is not None:
        _check_role(claimant_role)
        change["claimant_role"] = claimant_role
    if hedge is not None:
        _check_hedge(hedge)
        change["hedge"] = hedge
    if probability is not None:
        _check_probability(probability)
        change["probability"] = float(probability)
    if resolve_by is not None:
        due = as_date(resolve_by, "claim.resolve_by")
        _check_order(due, cand.entry.get("made_on"))
        change["resolve_by"] = due
        change["deadline"] = _reviewed_deadline(cand.entry.get("deadline"))
    if condition is not None:
        change["condition"] = (
            {"text": condition.strip(), "if_unmet": "annulled"} if condition.strip() else None
        )
    if tags:
        change["tags"] = [t.strip() for t in tags if t.strip()]
    if not change:
        raise EditError(
            "nothing to change",
            field="candidate",
            hint='give the fields to change, e.g. --proposition "..." --probability 0.7',
        )
    edit = _rewrite(cand, change, "edited")
    return Edit(
        file=edit.file,
        line=edit.line,
        id=edit.id,
        message=f"edited {cand.ref}: {', '.join(change)} ({edit.file}:{edit.line})",
    )


def _reviewed_deadline(deadline: Any) -> dict[str, Any]:
    old = deadline if isinstance(deadline, Mapping) else {}
    if old.get("basis") == "stated":
        return {**old}
    return {"basis": "inferred", "phrase": old.get("phrase"), "rule": "set in review"}


def _check_role(role: str) -> None:
    if role not in CLAIMANT_ROLES:
        raise EditError(
            f"'{role}' is not a claimant role",
            field="claim.claimant_role",
            hint=f"use one of: {', '.join(CLAIMANT_ROLES)}",
        )


def _check_hedge(hedge: str) -> None:
    from forecastkit.errors import UnknownHedgeError
    from forecastkit.records import lexicon

    if not lexicon.is_known_hedge(hedge):
        near = lexicon.suggest_hedges(hedge)
        raise UnknownHedgeError(
            f"unknown hedge '{hedge}'",
            field="claim.hedge",
            hint=(f"did you mean {' or '.join(repr(n) for n in near)}? " if near else "")
            + "`forecastkit lexicon --house` lists every known hedge",
        )


def _check_probability(p: float) -> None:
    if not 0 <= float(p) <= 1:
        raise EditError(
            f"probability {p} is outside [0, 1]",
            field="claim.probability",
            hint="write a probability as a number between 0 and 1, e.g. 0.7 (not 70%)",
        )


def _check_order(due: dt.date | None, made_on: Any) -> None:
    made = as_date(made_on, "claim.made_on")
    if due and made and due < made:
        raise EditError(
            f"resolve_by {due} is before made_on {made}",
            field="claim.resolve_by",
            hint="a deadline comes after the forecast is made",
        )


# --------------------------------------------------------------------------------------------
# Accepting


@collector_paused()
def accept_candidate(
    ref: str,
    *,
    path: str | os.PathLike[str] | None = None,
    proposition: str | None = None,
    claimant: str | None = None,
    add_claimant: bool = False,
    claimant_role: str | None = None,
    kind: str = "forecast",
    quote: str | None = None,
    criteria: str | None = None,
    hedge: str | None = None,
    probability: float | None = None,
    resolve_by: dt.date | str | None = None,
    condition: str | None = None,
    tags: Sequence[str] = (),
    claim_id: str | None = None,
    question: str | None = None,
    number: int | None = None,
    level: float | None = None,
    unit: str | None = None,
    binary: bool = False,
    today: dt.date | None = None,
) -> Edit:
    """Turn a pending candidate into a claim, in its place in the source's claim file.

    Every field comes from the candidate unless given here; ``proposition`` is needed unless an
    edit gave the candidate one. The claimant is the candidate's key, else the registry entry
    whose name or alias is the name as written; a claimant not in ``authors.yaml`` is refused,
    unless ``add_claimant`` adds it (under that key, with the name as written). The claim goes
    through :func:`~forecastkit.editing.claims.add_claim` (``replacing`` the candidate), so it
    passes the checks any added claim passes; nothing is written on a refusal.

    A candidate whose number (the first that is not a baseline, or the ``number``-th) is a
    value or a range becomes a numeric claim (:mod:`forecastkit.editing.review_numbers`): on
    ``question`` when it names one of ``questions.yaml``, else on a new numeric question (that
    id, or ``q-<proposition words>``) whose text is the proposition and whose unit is the
    number's (or ``unit``); a range needs the ``level`` the text does not state. ``binary``
    keeps the claim binary (read through the hedge) whatever its numbers.
    """
    from forecastkit.editing import review_numbers as rn
    from forecastkit.editing.authors import add_author
    from forecastkit.editing.claims import add_claim
    from forecastkit.editing.questions import add_question

    root = resolve_corpus_path(path)
    refuse_links_out(root)
    cand = find_candidate(ref, root)
    e = cand.entry
    prop = (proposition if proposition is not None else e.get("proposition") or "").strip()
    if not prop:
        raise EditError(
            f"candidate '{cand.ref}' has no proposition yet",
            field="claim.proposition",
            hint='give --proposition "..." (the event in positive, resolvable form)',
        )
    role = claimant_role or e.get("claimant_role")
    _check_role(role)
    hedge = hedge if hedge is not None else e.get("hedge")
    probability = probability if probability is not None else e.get("probability")
    deadline = e.get("deadline") if isinstance(e.get("deadline"), Mapping) else {}
    due = e.get("resolve_by")
    if resolve_by is not None:
        due = as_date(resolve_by, "claim.resolve_by")
        deadline = _reviewed_deadline(deadline)
    cond = e.get("condition") if isinstance(e.get("condition"), Mapping) else {}
    if condition is not None:
        cond = {"text": condition.strip(), "if_unmet": "annulled"} if condition.strip() else {}
    reading = None if binary else rn.reading_for(e, number)
    numeric = rn.numeric_form(reading, level, unit) if reading else None
    qid = question if question is not None else e.get("question")
    new_question = None
    if numeric is not None:
        hedge = probability = None  # a numeric claim's forecast is its point or interval
        if qid is None or qid not in rn.registered_questions(root):
            qid = qid or rn.new_question_id(prop, rn.registered_questions(root))
            new_question = qid
    elif probability is None:
        probability = rn.stated_probability(reading)
    # what add_claim would refuse of these fields, checked first: an author or a question to
    # add is written before the claim
    _precheck(kind, hedge, probability, due, e.get("made_on"), claim_id, numeric is not None)
    key, new_author = _claimant(cand, root, claimant, add_claimant, role)
    undo: list[tuple[Path, bytes | None, bytes]] = []  # registries written before the claim
    try:
        if new_author:
            before = _bytes(root / AUTHORS_FILE)
            add_author(key, name=new_author[0], kind=new_author[1], path=root)
            undo.append((root / AUTHORS_FILE, before, _bytes(root / AUTHORS_FILE) or b""))
        if new_question:
            before = _bytes(root / QUESTIONS_FILE)
            add_question(qid, text=prop, qtype="numeric", unit=numeric.unit, resolve_by=due,
                         path=root)  # fmt: skip
            undo.append((root / QUESTIONS_FILE, before, _bytes(root / QUESTIONS_FILE) or b""))
        form = {numeric.form: numeric.value} if numeric else {}
        done = add_claim(
            cand.source_id,
            claimant=key,
            claimant_role=role,
            quote=(quote if quote is not None else e["quote"]).strip(),
            proposition=prop,
            claim_id=claim_id,
            kind=kind,
            criteria=criteria if criteria is not None else e.get("criteria"),
            hedge=hedge,
            probability=probability,
            made_on=e.get("made_on"),
            resolve_by=due,
            deadline_basis=deadline.get("basis"),
            deadline_phrase=deadline.get("phrase"),
            deadline_rule=deadline.get("rule"),
            condition=cond.get("text"),
            if_unmet=cond.get("if_unmet"),
            tags=list(tags) or list(e.get("tags") or []),
            notes=_provenance(cand),
            question=qid,
            path=root,
            today=today,
            replacing=cand.id,
            **form,
        )
    except ForecastkitError:
        for file, before, after in reversed(undo):
            _restore(file, before, after)
        raise
    added = f"; added claimant {key} ({new_author[0]}) to {AUTHORS_FILE}" if new_author else ""
    if new_question:
        added += f"; added numeric question {qid} ({numeric.unit or 'no unit'})"
    return Edit(
        file=done.file,
        line=done.line,
        id=done.id,
        message=f"accepted {cand.ref} as claim {done.id} ({done.file}:{done.line}){added}",
    )


def _bytes(file: Path) -> bytes | None:
    return file.read_bytes() if file.is_file() else None


def _restore(file: Path, before: bytes | None, after: bytes) -> None:
    """Undo an edit of a registry whose claim was then refused, unless someone changed the
    file since: so a refused accept leaves every file as it was."""
    from forecastkit.records.atomic import write_bytes_atomic

    with locked(file):
        if not file.is_file() or file.read_bytes() != after:
            return
        if before is None:
            file.unlink()
        else:
            write_bytes_atomic(file, before)


def _provenance(cand: Candidate) -> str:
    notes = str(cand.entry.get("notes") or "").strip()
    rest = notes.removeprefix("candidate").strip()
    return f"accepted from candidate {cand.id}" + (f" {rest}" if rest else "")


def new_claimant(
    ref: str, path: str | os.PathLike[str] | None = None, claimant: str | None = None
) -> tuple[str, str] | None:
    """``(key, name as written)`` when accepting ``ref`` would add its claimant to the registry
    (``add_claimant``), else ``None``; the CLI asks in a terminal."""
    root = resolve_corpus_path(path)
    cand = find_candidate(ref, root)
    role = cand.entry.get("claimant_role") or "other"
    key, author = _claimant(cand, root, claimant, True, role)
    return (key, author[0]) if author else None


def _claimant(
    cand: Candidate, root: Path, given: str | None, add: bool, role: str
) -> tuple[str, tuple[str, str] | None]:
    """The claimant key, and (name, kind) of an author to add first, if any."""
    registry = registered_names(root)
    written = cand.written_name
    key = given or cand.entry.get("claimant")
    if not given and key == "unknown":
        raise EditError(
            f"candidate '{cand.ref}' has no claimant",
            field="claim.claimant",
            hint="give --claimant KEY (an authors-registry key)",
        )
    if key in registry:
        return key, None
    if not given and written:
        same = [k for k, names in registry.items() if written.casefold() in
                {n.casefold() for n in names}]  # fmt: skip
        if len(same) == 1:
            return same[0], None
    if not ID_PATTERN.match(key):
        raise EditError(f"'{key}' is not a valid claimant key", field="claim.claimant",
                        hint=ID_HINT)  # fmt: skip
    name = written or key
    if add:
        return key, (name, _AUTHOR_KIND.get(role, "person"))
    near = did_you_mean(key, registry)
    raise CorpusError(
        f"unknown claimant '{key}'" + (f' (written "{written}")' if written else ""),
        field="claim.claimant",
        hint=(f"{near} " if near else "")
        + f'give --claimant KEY of {AUTHORS_FILE}, or --add-claimant to add it as "{name}"',
    )


def _precheck(
    kind: str,
    hedge: Any,
    probability: Any,
    due: Any,
    made_on: Any,
    claim_id: str | None,
    has_form: bool = False,
) -> None:
    """What :func:`~forecastkit.editing.claims.add_claim` refuses of these fields (so that an
    author is not added for a claim that is then refused)."""
    if hedge is not None:
        _check_hedge(hedge)
    if probability is not None:
        _check_probability(probability)
    if claim_id is not None and not ID_PATTERN.match(claim_id):
        raise EditError(f"'{claim_id}' is not a valid claim id", field="claim.id", hint=ID_HINT)
    if kind == "forecast":
        if due is None:
            raise EditError(
                "a forecast needs resolve_by",
                field="claim.resolve_by",
                hint="give --resolve-by DATE (docs/conventions.md: deadlines)",
            )
        if hedge is None and probability is None and not has_form:
            raise EditError(
                "a forecast needs a hedge (as written) or a stated probability",
                field="claim.hedge",
                hint="give --hedge or --probability",
            )
    _check_order(as_date(due, "claim.resolve_by"), made_on)
