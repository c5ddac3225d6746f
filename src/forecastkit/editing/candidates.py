"""The candidates of ``forecastkit extract --write`` in the corpus: find, list, name and replace
them, and add a re-run's new ones.

A candidate is an entry of ``kind: candidate`` (pending) or ``kind: rejected`` in a claim file.
:mod:`forecastkit.editing.review` accepts, rejects and edits them through these functions.
Candidates are named by their id or by any unique end of it (``c003``, ``talks-c003``).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forecastkit.editing.edit import as_date, collector_paused
from forecastkit.errors import EditError, ForecastkitError
from forecastkit.records.layout import AUTHORS_FILE, corpus_files, did_you_mean
from forecastkit.records.paths import resolve_corpus_path
from forecastkit.records.schema import schema
from forecastkit.records.yamlio import Document, format_path, parse, read_text

PENDING, REJECTED = "pending", "rejected"
#: The order of a claim entry's fields when review rewrites it (others follow in their order).
FIELD_ORDER = ("id", "question", "claimant", "claimant_role", "kind", "quote", "proposition",
               "criteria", "hedge", "probability", "probabilities", "quantiles", "interval",
               "cdf", "point", "made_on", "resolve_by", "deadline", "condition", "tags",
               "attribution", "numbers", "notes", "rejected")  # fmt: skip
_DATES = ("made_on", "resolve_by")
_WRITTEN = re.compile(r"claimant as written: ([^;]*)")
_CONFIDENCE = re.compile(r"confidence (\d+(?:\.\d+)?)")
_ACCEPTED = re.compile(r"accepted from candidate ([a-z0-9][a-z0-9-]*)")
_LIST_HINT = "`forecastkit review list` shows the pending candidates and their ids"
#: A ``kind:`` value in a claim file's text (a cheap look before parsing a file: see _claim_files).
_KIND_VALUE = re.compile(r"^\s*(?:-\s+)?kind:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)


@dataclass(frozen=True)
class Candidate:
    """A candidate claim as it stands in its file; ``ref`` is the shortest name that finds it."""

    id: str
    status: str
    file: Path
    line: int
    index: int
    source_id: str
    entry: dict[str, Any] = field(repr=False)
    ref: str = ""

    @property
    def written_name(self) -> str | None:
        """The claimant's name as the article wrote it (from the notes extract wrote)."""
        return written_name(self.entry)

    @property
    def confidence(self) -> float | None:
        found = _CONFIDENCE.search(str(self.entry.get("notes") or ""))
        return float(found[1]) if found else None


@dataclass(frozen=True)
class Merge:
    """What :func:`add_new_candidates` did: the ids it added and how many it found known."""

    file: Path
    added: tuple[str, ...]
    known: int
    message: str


def written_name(entry: Mapping[str, Any]) -> str | None:
    found = _WRITTEN.search(str(entry.get("notes") or ""))
    return found[1].strip().rstrip(".,:") or None if found else None


# --------------------------------------------------------------------------------------------
# Finding candidates


def claim_kinds() -> tuple[str, ...]:
    """The kinds a claim entry may have: the claim-file schema's enum (candidate and rejected
    among them)."""
    return tuple(schema("claim-file")["$defs"]["claim"]["properties"]["kind"]["enum"])


def _claim_files(root: Path) -> list[tuple[Path, str]]:
    """Claim files that mention candidates or hold a kind that is none of the claim kinds
    (a misspelled ``kind: candiate`` must not hide a candidate), with their text. Unreadable
    ones are skipped: ``forecastkit validate`` reports them."""
    if not root.is_dir():
        raise EditError(
            "is a file, not a corpus folder" if root.exists() else "corpus folder not found",
            file=root,
            hint="pass the folder that holds your claim files, e.g. claims/ (review list "
            "shows the pending candidates; --all adds the rejected ones)",
        )
    kinds = set(claim_kinds())
    found = []
    for path in corpus_files(root).claim_files:
        try:
            text = read_text(path)
        except ForecastkitError:
            continue
        if (
            "candidate" in text
            or "rejected" in text
            or any(k not in kinds for k in _KIND_VALUE.findall(text))
        ):
            found.append((path, text))
    return found


def _unknown_kind(doc: Document, path: Path, index: int, kind: object) -> EditError:
    """A claim entry whose kind is none of the claim kinds: one line, where and what to write."""
    kinds = claim_kinds()
    where = ("claims", index, "kind")
    return EditError(
        f"the kind {kind} is not one of: {', '.join(kinds)}",  # no quotes: fail() shortens text between two
        file=path,
        line=doc.line_of(where),
        field=format_path(where),
        hint=did_you_mean(str(kind), kinds)
        or "a candidate awaiting review is kind: candidate (rejected: kind: rejected)",
    )


def _scan(root: Path) -> tuple[list[Candidate], dict[str, tuple[str, Path, int]]]:
    """Every candidate (pending and rejected), and the accepted ones: candidate id ->
    (claim id, file, line)."""
    candidates: list[Candidate] = []
    accepted: dict[str, tuple[str, Path, int]] = {}
    kinds = set(claim_kinds())
    for path, text in _claim_files(root):
        try:
            doc = parse(text, path)
        except ForecastkitError:
            continue
        data = doc.data if isinstance(doc.data, dict) else {}
        source = data.get("source") if isinstance(data.get("source"), dict) else {}
        for i, c in enumerate(data.get("claims") or []):
            if not isinstance(c, dict) or not isinstance(c.get("id"), str):
                continue
            kind = c.get("kind", "forecast")
            if not isinstance(kind, str) or kind not in kinds:
                raise _unknown_kind(doc, path, i, kind)
            if kind in ("candidate", "rejected"):
                status = PENDING if kind == "candidate" else REJECTED
                candidates.append(
                    Candidate(
                        c["id"],
                        status,
                        path,
                        doc.line_of(("claims", i)),
                        i,
                        str(source.get("id") or ""),
                        c,
                    )  # fmt: skip
                )
            else:
                for cid in _ACCEPTED.findall(str(c.get("notes") or "")):
                    accepted[cid] = (c["id"], path, doc.line_of(("claims", i)))
    refs = short_refs([c.id for c in candidates] + list(accepted))
    return [_with_ref(c, refs[c.id]) for c in candidates], accepted


def _with_ref(c: Candidate, ref: str) -> Candidate:
    return Candidate(c.id, c.status, c.file, c.line, c.index, c.source_id, c.entry, ref)


def short_refs(ids: Sequence[str]) -> dict[str, str]:
    """Each id's shortest end (whole hyphen-separated words) that names it alone.

    >>> short_refs(["a-talks-c001", "b-talks-c001", "b-talks-c002"])
    {'a-talks-c001': 'a-talks-c001', 'b-talks-c001': 'b-talks-c001', 'b-talks-c002': 'c002'}
    """
    ends = Counter(end for i in set(ids) for end in _ends(i))
    return {i: next((e for e in _ends(i) if ends[e] == 1), i) for i in ids}


def _ends(cid: str) -> list[str]:
    words = cid.split("-")
    return ["-".join(words[k:]) for k in range(len(words) - 1, -1, -1)]


def find_candidates(
    path: str | os.PathLike[str] | None = None, *, rejected: bool = False
) -> list[Candidate]:
    """The candidates of the corpus, pending ones (and rejected ones too with ``rejected``),
    in file order."""
    root = resolve_corpus_path(path)
    found, _ = _scan(root)
    return [c for c in found if rejected or c.status == PENDING]


def find_candidate(
    ref: str, path: str | os.PathLike[str] | None = None, *, pending: bool = True
) -> Candidate:
    """The candidate ``ref`` names (its id, or a unique end of it).

    Raises
    ------
    EditError
        When ``ref`` names no candidate or several, or (``pending``) one already accepted or
        rejected.
    """
    root = resolve_corpus_path(path)
    found, accepted = _scan(root)
    ref = str(ref).strip()
    by_id = {c.id: c for c in found}
    ids = [*by_id, *(a for a in accepted if a not in by_id)]
    matches = [i for i in ids if i == ref] or [i for i in ids if i.endswith(f"-{ref}")]
    if not matches:
        raise EditError(
            f"no candidate '{ref}'",
            field="candidate",
            hint=did_you_mean(ref, [c.ref for c in found] + ids) or _LIST_HINT,
        )
    if len(matches) > 1:
        refs = short_refs(ids)
        raise EditError(
            f"'{ref}' names {len(matches)} candidates",
            field="candidate",
            hint="give more of the id: " + " or ".join(repr(refs[m]) for m in matches[:3]),
        )
    cid = matches[0]
    if cid in accepted and cid not in by_id:
        claim, file, line = accepted[cid]
        raise EditError(
            f"candidate '{cid}' was already accepted as claim '{claim}'",
            file=file,
            line=line,
            hint=f"change the claim in its file; `forecastkit show {claim}` shows it",
        )
    cand = by_id[cid]
    if pending and cand.status == REJECTED:
        reason = (cand.entry.get("rejected") or {}).get("reason")
        raise EditError(
            f"candidate '{cid}' was rejected" + (f" ({reason})" if reason else ""),
            file=cand.file,
            line=cand.line,
            hint="to review it again, set its kind back to candidate and remove 'rejected'",
        )
    return cand


def candidates_table(
    path: str | os.PathLike[str] | None = None, *, rejected: bool = False, scale: str | None = None
):
    """The candidates as a DataFrame, one row each, for a notebook or ``review list``.

    Columns: ``ref`` (what to pass to accept/reject/edit), ``id``, ``status``, ``claimant``,
    ``written`` (the name as written), ``registered`` (the claimant key is in authors.yaml),
    ``role``, ``hedge``, ``probability`` (stated), ``reading`` (the stated probability, else the
    hedge read on ``scale``, default the house scale), ``number`` (the number accept makes the
    claim of, and its form: ``2.5% (point)``), ``resolve_by``, ``confidence``, ``quote``,
    ``proposition``, ``reason`` (of a rejection), ``file``, ``line``.
    """
    import pandas as pd

    from forecastkit.records import lexicon

    root = resolve_corpus_path(path)
    known = set(registered_names(root))
    scale = scale or lexicon.DEFAULT_SCALE
    rows = []
    for c in find_candidates(root, rejected=rejected):
        e = c.entry
        rows.append(
            {
                "ref": c.ref,
                "id": c.id,
                "status": c.status,
                "claimant": e.get("claimant"),
                "written": c.written_name,
                "registered": e.get("claimant") in known,
                "role": e.get("claimant_role"),
                "hedge": e.get("hedge"),
                "probability": e.get("probability"),
                "reading": _reading(e, scale),
                "number": _number(e),
                "resolve_by": e.get("resolve_by"),
                "confidence": c.confidence,
                "quote": e.get("quote"),
                "proposition": e.get("proposition"),
                "reason": (e.get("rejected") or {}).get("reason"),
                "file": str(c.file),
                "line": c.line,
            }
        )
    columns = ["ref", "id", "status", "claimant", "written", "registered", "role", "hedge",
               "probability", "reading", "number", "resolve_by", "confidence", "quote", "proposition", "reason",
               "file", "line"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _reading(entry: Mapping[str, Any], scale: str) -> float | None:
    from forecastkit.records import lexicon

    if isinstance(entry.get("probability"), (int, float)):
        return float(entry["probability"])
    hedge = entry.get("hedge")
    if isinstance(hedge, str) and lexicon.is_known_hedge(hedge):
        return lexicon.read_hedge(hedge, scale).point
    return None


def _number(entry: Mapping[str, Any]) -> str | None:
    """The first number that is not a baseline, as :mod:`~forecastkit.editing.review_numbers`
    takes it by default, with its form."""
    for n in entry.get("numbers") or []:
        if isinstance(n, Mapping) and not n.get("baseline"):
            return f"{n.get('text')} ({n.get('form')})"
    return None


def registered_names(root: Path) -> dict[str, list[str]]:
    """Authors-registry key -> its names (name and aliases), read without loading the corpus."""
    file = root / AUTHORS_FILE
    if not file.is_file():
        return {}
    try:
        data = parse(read_text(file), file).data or {}
    except ForecastkitError:
        return {}
    authors = data.get("authors") if isinstance(data, dict) else None
    out = {}
    for key, entry in (authors or {}).items():
        entry = entry if isinstance(entry, dict) else {}
        out[str(key)] = [str(n) for n in [entry.get("name"), *(entry.get("aliases") or [])] if n]
    return out


# --------------------------------------------------------------------------------------------
# Changing a candidate in its file


def replace_candidate(doc: Document, candidate_id: str, entry: Mapping[str, Any]) -> Document:
    """The claim file ``doc`` (parsed, :func:`forecastkit.records.yamlio.parse`) with the pending
    candidate ``candidate_id`` replaced by ``entry``: the new text, parsed
    (:func:`~forecastkit.editing.yamledit.replace_parsed`).

    Raises
    ------
    EditError
        When the file no longer holds that candidate (accepted, rejected or removed since).
    """
    from forecastkit.editing.yamledit import replace_parsed

    claims = (doc.data or {}).get("claims") or []
    at = next(
        (
            i
            for i, c in enumerate(claims)
            if isinstance(c, dict) and c.get("id") == candidate_id and c.get("kind") == "candidate"
        ),
        None,
    )
    if at is None:
        raise EditError(
            f"candidate '{candidate_id}' is no longer pending in the file",
            file=doc.path,
            hint="it was accepted, rejected or removed meanwhile; nothing was written",
        )
    # what extract read (the attribution's words, the numbers) stays with the claim, as a record
    kept = {k: claims[at][k] for k in ("attribution", "numbers") if k in claims[at]}
    return replace_parsed(doc, "claims", at, _ordered({**entry, **kept, **entry}))


def claim_line(doc: Document, claim_id: str) -> int:
    """The line of the claim ``claim_id`` in the parsed claim file ``doc``."""
    for i, c in enumerate(doc.data.get("claims") or []):
        if isinstance(c, dict) and c.get("id") == claim_id:
            return doc.line_of(("claims", i))
    return 1


def _ordered(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's fields in :data:`FIELD_ORDER`, dates as dates (written unquoted)."""
    keys = [k for k in FIELD_ORDER if k in entry] + [k for k in entry if k not in FIELD_ORDER]
    out = {}
    for k in keys:
        value = entry[k]
        if k in _DATES and isinstance(value, str):
            value = as_date(value, k)
        out[k] = value
    rejected = out.get("rejected")
    if isinstance(rejected, Mapping) and isinstance(rejected.get("recorded_on"), str):
        day = as_date(rejected["recorded_on"], "rejected.recorded_on")
        out["rejected"] = {**rejected, "recorded_on": day}
    return out


# --------------------------------------------------------------------------------------------
# A re-run of extract --write


def _norm(quote: Any) -> str:
    """A quote compared loosely: quotation marks dropped, blanks collapsed, case folded."""
    return " ".join(re.sub(r"[\"'“”‘’]", "", str(quote or "")).split()).casefold()


def _overlap(a: str, b: str) -> bool:
    """The same sentence: equal, or one holds the other (a quote trimmed in review)."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 20 and short in long)


def known_candidate(
    new: Mapping[str, Any], existing: Sequence[Mapping[str, Any]], alone: bool
) -> bool:
    """Whether ``new`` (a candidate entry) is already in the file: an entry of any kind with the
    same sentence (:func:`_overlap`) and the same claimant (key, or name as written), or any
    claimant when ``alone`` (no other candidate of the run has this sentence)."""
    quote = _norm(new.get("quote"))
    for e in existing:
        if not _overlap(quote, _norm(e.get("quote"))):
            continue
        if alone or e.get("claimant") == new.get("claimant"):
            return True
        if written_name(e) and written_name(e) == written_name(new):
            return True
    return False


@collector_paused()
def add_new_candidates(
    file: str | os.PathLike[str], entries: Sequence[Mapping[str, Any]], *, source_id: str
) -> Merge:
    """Append to an existing claim file the candidates of a re-run that it does not hold yet.

    A candidate is known when the file has an entry of any kind (pending, accepted, rejected,
    or recorded by hand) for the same sentence and claimant (:func:`known_candidate`). New ones
    are numbered on from the file's highest ``-cNNN``. The file is locked, read fresh, appended
    to at text level and re-checked before its atomic write; nothing is written when every
    candidate is known.
    """
    from forecastkit.editing.edit import locked, read_for_edit, write_checked
    from forecastkit.editing.yamledit import append_parsed
    from forecastkit.records.layout import ID_PATTERN

    path = Path(file)
    if not ID_PATTERN.match(source_id):
        raise EditError(f"'{source_id}' is not a valid source id", field="source.id")
    with locked(path):
        fresh = read_for_edit(path, "claim-file")
        data = fresh.doc.data or {}
        have = (data.get("source") or {}).get("id")
        if have != source_id:
            raise EditError(
                f"the file holds source '{have}', not '{source_id}'",
                file=path,
                field="source.id",
                hint="give another --source-id; nothing was written",
            )
        existing = [c for c in data.get("claims") or [] if isinstance(c, dict)]
        # an accepted candidate's id lives on in its claim's notes: never given out again
        taken = {c.get("id") for c in existing} | {
            cid for c in existing for cid in _ACCEPTED.findall(str(c.get("notes") or ""))
        }
        numbers = [int(m[1]) for cid in taken if (m := re.search(r"-c(\d+)$", str(cid)))]
        per_quote = Counter(_norm(e.get("quote")) for e in entries)
        new, n = [], max(numbers, default=0)
        for entry in entries:
            if known_candidate(entry, existing, per_quote[_norm(entry.get("quote"))] == 1):
                continue
            n += 1
            cid = f"{source_id[:92].rstrip('-')}-c{n:03d}"
            while cid in taken:
                n += 1
                cid = f"{source_id[:92].rstrip('-')}-c{n:03d}"
            new.append({**entry, "id": cid})
        known = len(entries) - len(new)
        if new:
            write_checked(path, append_parsed(fresh.doc, "claims", new), fresh.bom, "claim-file")
    added = tuple(c["id"] for c in new)
    what = "pending, accepted or rejected"
    message = (
        f"added {len(added)} new candidate(s) to {path}; {known} already in it ({what})"
        if added
        else f"no new candidates: all {known} already in {path} ({what}); nothing was written"
    )
    return Merge(path, added, known, message)
