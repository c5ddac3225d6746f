"""Edit the corpus safely: add sources, claims and authors, and log outcomes.

Every edit follows the same steps, so that no edit can lose a claim, an outcome, a comment or a
line of someone's formatting:

1. check the request against the corpus as it is (ids, claimants, hedges, dates, evidence);
2. take a lock on the file (``<file>.lock``, :mod:`filelock`) and read it fresh;
3. refuse a file that is broken (malformed YAML or schema errors, reported with their line);
4. append the new entry at text level (:mod:`forecastkit.yamledit`: only the added lines change);
5. parse and schema-check the new text, then write it atomically (temporary file + rename).

Any refusal raises a :class:`~forecastkit.errors.ForecastkitError` and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import subprocess
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forecastkit.errors import (
    ClaimFileError,
    CorpusError,
    EditError,
    ForecastkitError,
    UnknownHedgeError,
    ValidationFailed,
)
from forecastkit.layout import AUTHORS_FILE, booleans_to_text, corpus_files, did_you_mean
from forecastkit.paths import resolve_corpus_path

VERDICTS = ("true", "false", "ambiguous", "annulled")
CLAIMANT_ROLES = ("byline author", "quoted expert", "quoted official", "anonymous source",
                  "organisation", "other")  # fmt: skip
KINDS = ("forecast", "prescription", "description")
AUTHOR_KINDS = ("person", "organisation", "anonymous group")
EVIDENCE_FIELDS = ("url", "title", "publisher", "published", "quote")
#: Seconds to wait for another command's lock before giving up.
LOCK_TIMEOUT = 120.0

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ID_HINT = "use lower-case letters, digits and hyphens, e.g. park-min-hee"
_BOM = b"\xef\xbb\xbf"
_SCHEMA_LINE = "# yaml-language-server: $schema={rel}"


@dataclass(frozen=True)
class Edit:
    """What an edit did: the file written, the line of the new entry, and a one-line summary."""

    file: Path
    line: int
    message: str
    id: str | None = None


@dataclass(frozen=True)
class Resolution(Edit):
    """An outcome entry written by :func:`resolve_claim`.

    ``entry`` numbers the claim's outcome entries (1 = first); ``revision`` is true when the
    claim already had an outcome, which this entry supersedes (``previous`` is its verdict).
    """

    verdict: str = ""
    entry: int = 1
    revision: bool = False
    previous: str | None = None


# --------------------------------------------------------------------------------------------
# Small helpers


def slugify(text: str, max_words: int = 6) -> str:
    """Lower-case ASCII words joined by hyphens: ``"The Harbour Review"`` → ``the-harbour-review``."""
    ascii_ = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_.lower())
    return "-".join(words[:max_words])


def _publisher_slug(publisher: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", publisher)
    words = slugify(text, 8).split("-")
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return "-".join(words[:3]) or "source"


def default_recorder(root: Path | None = None) -> str:
    """Who records an outcome: ``$FORECASTKIT_USER``, else git's user.name, else the OS user."""
    env = os.environ.get("FORECASTKIT_USER", "").strip()
    if env:
        return env
    try:
        found = subprocess.run(["git", "config", "--get", "user.name"], capture_output=True, check=False,
                               text=True, timeout=5, cwd=root if root and root.is_dir() else None)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return getpass.getuser()


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold ``<path>.lock`` (shared by every forecastkit process) for a read-change-write."""
    from filelock import FileLock, Timeout

    lock = FileLock(f"{path}.lock", timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise EditError("the file is locked by another forecastkit command", file=path,
                        hint=f"try again; if no command is running, delete {path}.lock") from None
    try:
        yield
    finally:
        lock.release()


def _read_for_edit(path: Path, kind: str) -> tuple[str, bool]:
    """The file's text (and whether it had a byte-order mark); refuses a broken file."""
    from forecastkit.schema import check as check_schema
    from forecastkit.yamlio import parse, read_text

    text = read_text(path)
    bom = path.read_bytes()[:3] == _BOM
    try:
        doc = parse(text, path)
    except ClaimFileError as exc:
        exc.hint = "fix the file by hand first; nothing was written"
        raise
    if doc.data is None:
        return text, bom
    booleans_to_text(doc.data)
    errors = check_schema(doc, kind)
    if errors:
        raise ValidationFailed(errors)
    return text, bom


def _write_checked(path: Path, text: str, bom: bool, kind: str) -> int:
    """Schema-check ``text`` as a ``kind`` file and write it atomically; its line count."""
    from forecastkit.atomic import write_bytes_atomic
    from forecastkit.schema import check as check_schema
    from forecastkit.yamlio import parse

    doc = parse(text, path)
    booleans_to_text(doc.data)
    errors = check_schema(doc, kind)
    if errors:  # our own checks let something through: refuse rather than write it
        raise ValidationFailed(errors)
    write_bytes_atomic(path, (_BOM if bom else b"") + text.encode("utf-8"))
    return text.count("\n")


def _schema_check_new(data: dict[str, Any], kind: str, prefix: str, strip: str) -> None:
    """Schema-check a new entry alone; errors name its fields (``claim.hedge``), not lines."""
    from forecastkit.schema import check as check_schema
    from forecastkit.yamlio import Document

    doc = Document(path=Path("<new>"), data=data)
    booleans_to_text(doc.data)
    found = check_schema(doc, kind)
    if not found:
        return
    errors = []
    for e in found:
        name = (e.field or "").removeprefix(strip).lstrip(".")
        errors.append(EditError(e.message, field=f"{prefix}.{name}" if name else prefix,
                                hint=e.hint))
    raise errors[0] if len(errors) == 1 else ValidationFailed(errors)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _as_date(value: Any, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    from forecastkit.dates import parse_user_date

    try:
        return parse_user_date(str(value))
    except ForecastkitError as exc:
        raise EditError(exc.message, field=field, hint=exc.hint) from None


def _not_future(day: dt.date | None, today: dt.date, field: str, hint: str) -> None:
    if day is not None and day > today:
        raise EditError(f"{field.rsplit('.', 1)[-1]} {day} is in the future", field=field,
                        hint=hint)


def _load_corpus(root: Path, today: dt.date | None) -> tuple[Any, list[ForecastkitError]]:
    from forecastkit.corpus import check

    corpus, errors = check(root, today=today)
    if corpus is None:
        raise ValidationFailed(errors)
    return corpus, errors


def _refuse_if_broken(errors: list[ForecastkitError], path: Path) -> None:
    mine = [e for e in errors if e.file and Path(e.file).resolve() == path.resolve()]
    if mine:
        raise ValidationFailed(mine)


def _schema_header(folder: Path, root: Path, kind: str) -> str:
    """The ``$schema`` comment line for a new file in ``folder``: copied from a sibling file
    when there is one (same folder, same relative path), else computed."""
    for sibling in sorted(folder.glob("*.yaml")):
        try:
            with sibling.open(encoding="utf-8-sig") as fh:
                first = fh.readline().rstrip("\n")
        except (OSError, UnicodeDecodeError):
            continue
        if first.startswith("# yaml-language-server:") and f"/{kind}.schema.json" in first:
            return first
    from forecastkit.schema import SCHEMA_FILES

    target = Path(__file__).resolve().parent / "schemas" / SCHEMA_FILES[kind]
    return _SCHEMA_LINE.format(rel=Path(os.path.relpath(target, folder.resolve())).as_posix())


def _line_of_last(text: str, key: str, path: Path) -> int:
    from forecastkit.yamlio import parse

    doc = parse(text, path)
    entries = doc.data.get(key) or []
    at = (key, len(entries) - 1) if isinstance(entries, list) else (key, list(entries)[-1])
    return doc.line_of(at)


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

    from forecastkit.yamledit import append_entries

    with locked(log):
        if log.exists():
            text, bom = _read_for_edit(log, "outcomes")
        else:
            folder = log.parent
            folder.mkdir(parents=True, exist_ok=True)
            text, bom = _schema_header(folder, root, "outcomes") + "\n", False
        from forecastkit.yamlio import parse

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
    from forecastkit.yamlio import parse, read_text

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
        from forecastkit.tabular import read_claim_table

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


# --------------------------------------------------------------------------------------------
# Claims


def suggest_claim_id(publisher: str, made_on: dt.date, proposition: str, taken: set[str]) -> str:
    """A readable, unused claim id: ``<publisher>-<year>-<first words of the proposition>``."""
    words = [w for w in slugify(proposition, 12).split("-")
             if w not in {"the", "a", "an", "of", "to", "in", "by", "on", "and", "is", "its"}]
    base = "-".join([_publisher_slug(publisher), str(made_on.year), *words[:4]]).strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def add_claim(
    source_id: str,
    *,
    claimant: str,
    claimant_role: str,
    quote: str,
    proposition: str,
    claim_id: str | None = None,
    kind: str = "forecast",
    criteria: str | None = None,
    hedge: str | None = None,
    probability: float | None = None,
    made_on: dt.date | str | None = None,
    resolve_by: dt.date | str | None = None,
    deadline_basis: str | None = None,
    deadline_phrase: str | None = None,
    deadline_rule: str | None = None,
    condition: str | None = None,
    if_unmet: str | None = None,
    tags: Sequence[str] = (),
    notes: str | None = None,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> Edit:
    """Append a claim to the claim file of ``source_id`` (see ``docs/claim-format.md``).

    ``claim_id`` defaults to :func:`suggest_claim_id`. The claimant must be in the authors
    registry (:func:`add_author` adds one), the hedge must be known to the lexicon, and a
    forecast needs ``resolve_by`` and a hedge or a stated probability.

    Raises
    ------
    ForecastkitError
        For any field that fails its check, or a broken claim file; nothing is written.
    """
    from forecastkit import lexicon

    root = resolve_corpus_path(path)
    corpus, errors = _load_corpus(root, today)
    src = corpus.sources[corpus.sources["source_id"] == source_id]
    if src.empty:
        raise CorpusError(f"no source with id '{source_id}'", field="source",
                          hint=did_you_mean(source_id, corpus.sources["source_id"].tolist())
                          or "create it first: forecastkit add source --title ... ")
    src = src.iloc[0]
    file = Path(str(src["file"]))
    if file.suffix not in (".yaml", ".yml"):
        raise EditError(f"source '{source_id}' is in a tabular file", file=file,
                        hint="add rows to the table, or create a YAML source for new claims")
    _refuse_if_broken(errors, file)

    kind = kind or "forecast"
    published = src["published"].date()
    made = _as_date(made_on, "made_on")
    _not_future(made, today or dt.date.today(), "claim.made_on",
                "made_on is the day the forecast was published or said")
    due = _as_date(resolve_by, "resolve_by")
    taken = set(corpus.claims["claim_id"].dropna())
    cid = claim_id or suggest_claim_id(str(src["publisher"]), made or published, proposition, taken)
    if not _ID.match(cid):
        raise EditError(f"'{cid}' is not a valid claim id", field="claim.id", hint=_ID_HINT)
    if cid in taken:
        where = corpus.claims[corpus.claims["claim_id"] == cid].iloc[0]
        raise CorpusError(f"duplicate claim id '{cid}'", field="claim.id",
                          hint=f"already used at {where['file']}:{where['line']}; choose another id")
    if claimant not in set(corpus.authors["claimant"]):
        raise CorpusError(f"unknown claimant '{claimant}'", field="claim.claimant",
                          hint=did_you_mean(claimant, corpus.authors["claimant"].tolist())
                          or f"add it first: forecastkit add author {claimant} --name NAME")
    if claimant_role not in CLAIMANT_ROLES:
        raise EditError(f"'{claimant_role}' is not a claimant role", field="claim.claimant_role",
                        hint=f"use one of: {', '.join(CLAIMANT_ROLES)}")
    if kind not in KINDS:
        raise EditError(f"'{kind}' is not a kind", field="claim.kind",
                        hint=f"use one of: {', '.join(KINDS)}")
    if hedge is not None and not lexicon.is_known_hedge(hedge):
        near = lexicon.suggest_hedges(hedge)
        raise UnknownHedgeError(
            f"unknown hedge '{hedge}'", field="claim.hedge",
            hint=(f"did you mean {' or '.join(repr(n) for n in near)}? " if near else "")
            + "`forecastkit lexicon --house` lists every known hedge")
    if probability is not None and not 0 <= float(probability) <= 1:
        raise EditError(f"probability {probability} is outside [0, 1]", field="claim.probability",
                        hint="write a probability as a number between 0 and 1, e.g. 0.7 (not 70%)")
    if kind == "forecast":
        if due is None:
            raise EditError("a forecast needs resolve_by", field="claim.resolve_by",
                            hint="give --resolve-by DATE (docs/conventions.md: deadlines)")
        if hedge is None and probability is None:
            raise EditError("a forecast needs a hedge (as written) or a stated probability",
                            field="claim.hedge", hint="give --hedge or --probability")
    if due and due < (made or published):
        raise EditError(f"resolve_by {due} is before made_on {made or published}",
                        field="claim.resolve_by", hint="a deadline comes after the forecast is made")

    claim: dict[str, Any] = {"id": cid, "claimant": claimant, "claimant_role": claimant_role}
    if kind != "forecast":
        claim["kind"] = kind
    claim["quote"] = quote
    claim["proposition"] = proposition
    optional = {"criteria": criteria, "hedge": hedge,
                "probability": float(probability) if probability is not None else None,
                "made_on": made, "resolve_by": due}
    claim.update({k: v for k, v in optional.items() if v is not None})
    if deadline_basis or deadline_phrase or deadline_rule:
        basis = deadline_basis or ("inferred" if deadline_rule else "stated")
        deadline = {"basis": basis, "phrase": deadline_phrase, "rule": deadline_rule}
        claim["deadline"] = {k: v for k, v in deadline.items() if v is not None}
    if condition:
        claim["condition"] = {"text": condition, "if_unmet": if_unmet or "annulled"}
    if tags:
        claim["tags"] = [t.strip() for t in tags if t.strip()]
    if notes:
        claim["notes"] = notes
    base = {"source": {"id": source_id, "title": "t", "publisher": "p", "byline": ["b"],
                       "published": published.isoformat()}}
    _schema_check_new({**base, "claims": [_plain(claim)]}, "claim-file", "claim", "claims[0]")

    from forecastkit.yamledit import append_entries
    from forecastkit.yamlio import parse

    with locked(file):
        text, bom = _read_for_edit(file, "claim-file")
        ids = {c.get("id") for c in (parse(text, file).data.get("claims") or [])}
        if cid in ids:  # added by someone else since we looked
            raise CorpusError(f"duplicate claim id '{cid}'", file=file, field="claim.id",
                              hint="choose another id")
        new_text = append_entries(text, "claims", [claim], file)
        _write_checked(file, new_text, bom, "claim-file")
    line = _line_of_last(new_text, "claims", file)
    return Edit(file=file, line=line, id=cid, message=f"added claim {cid} ({file}:{line})")


def create_source(
    *,
    title: str,
    publisher: str,
    byline: Sequence[str],
    published: dt.date | str,
    url: str | None = None,
    source_id: str | None = None,
    published_estimated: bool = False,
    published_note: str | None = None,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> Edit:
    """Create a claim file for a new source article, with no claims yet.

    The file is ``<published>-<publisher>-<title words>.yaml`` (``source_id`` overrides the
    name); byline keys must be in the authors registry.

    Raises
    ------
    ForecastkitError
        For a duplicate id, an existing file, an unknown byline key or a bad date.
    """
    root = resolve_corpus_path(path)
    corpus, _errors = _load_corpus(root, today)
    day = _as_date(published, "published")
    if day is None:
        raise EditError("a source needs a published date", field="source.published",
                        hint="give --published YYYY-MM-DD (an estimate with --published-note)")
    _not_future(day, today or dt.date.today(), "source.published",
                "check the year; record a source once it is published")
    for label, value in (("title", title), ("publisher", publisher)):
        if not value or not str(value).strip():
            raise EditError(f"a source needs a {label}", field=f"source.{label}")
    keys = [k.strip() for k in byline if k and k.strip()]
    if not keys:
        raise EditError("a source needs a byline (authors-registry keys)", field="source.byline",
                        hint="give --byline KEY (several: --byline a --byline b)")
    known = set(corpus.authors["claimant"])
    for k in keys:
        if k not in known:
            raise CorpusError(f"unknown byline author '{k}'", field="source.byline",
                              hint=did_you_mean(k, sorted(known))
                              or f"add it first: forecastkit add author {k} --name NAME")
    sid = source_id or f"{day.isoformat()}-{_publisher_slug(publisher)}-{slugify(title, 6)}".strip("-")
    if not _ID.match(sid):
        raise EditError(f"'{sid}' is not a valid source id", field="source.id", hint=_ID_HINT)
    if sid in set(corpus.sources["source_id"]):
        raise CorpusError(f"duplicate source id '{sid}'", field="source.id",
                          hint="the source exists: add claims to it with forecastkit add claim")
    if published_estimated and not published_note:
        raise EditError("an estimated date needs a note saying how it was estimated",
                        field="source.published_note", hint="give --published-note TEXT")
    source: dict[str, Any] = {"id": sid, "title": title.strip(), "publisher": publisher.strip(),
                              "byline": keys, "published": day}
    if published_estimated:
        source["published_estimated"] = True
        source["published_note"] = published_note
    if url:
        source["url"] = url.strip()
    data = {"source": source, "claims": []}
    _schema_check_new(_plain({**data, "source": {**source, "published_estimated": published_estimated}}),
                      "claim-file", "source", "source")

    from forecastkit.yamledit import render_mapping

    file = root / f"{sid}.yaml"
    text = "\n".join([_schema_header(root, root, "claim-file"),
                      *render_mapping({"source": source}, 0), "claims: []"]) + "\n"
    with locked(file):
        if file.exists():
            raise EditError("the file already exists", file=file,
                            hint="add claims to it with forecastkit add claim")
        _write_checked(file, text, False, "claim-file")
    return Edit(file=file, line=2, id=sid, message=f"created source {sid} ({file})")


# --------------------------------------------------------------------------------------------
# Authors


def author_entry(name: str, kind: str = "person", affiliation: str | None = None,
                 aliases: Sequence[str] = (), notes: str | None = None) -> dict[str, Any]:
    """One authors-registry entry, checked (``name`` and ``kind`` are required)."""
    if not name or not str(name).strip():
        raise EditError("an author needs a name", field="author.name")
    if kind not in AUTHOR_KINDS:
        raise EditError(f"'{kind}' is not an author kind", field="author.kind",
                        hint=f"use one of: {', '.join(AUTHOR_KINDS)}")
    entry: dict[str, Any] = {"name": str(name).strip()}
    if affiliation:
        entry["affiliation"] = affiliation
    entry["kind"] = kind
    if aliases:
        entry["aliases"] = [str(a) for a in aliases]
    if notes:
        entry["notes"] = notes
    return entry


def add_authors(entries: Mapping[str, Mapping[str, Any]],
                path: str | os.PathLike[str] | None = None) -> Edit:
    """Append several entries (key → :func:`author_entry`) to ``authors.yaml`` in one write."""
    from forecastkit.yamledit import append_entries

    root = resolve_corpus_path(path)
    file = root / AUTHORS_FILE
    for key in entries:
        if not _ID.match(key):
            raise EditError(f"'{key}' is not a valid author key", field="author.key", hint=_ID_HINT)
    _schema_check_new({"authors": {k: dict(v) for k, v in entries.items()}}, "authors", "author",
                      "authors")
    with locked(file):
        if file.exists():
            text, bom = _read_for_edit(file, "authors")
        else:
            root.mkdir(parents=True, exist_ok=True)
            text, bom = _schema_header(root, root, "authors") + "\n", False
        new_text = append_entries(text, "authors", {k: dict(v) for k, v in entries.items()}, file)
        _write_checked(file, new_text, bom, "authors")
    line = _line_of_last(new_text, "authors", file) if entries else 1
    keys = list(entries)
    what = keys[0] if len(keys) == 1 else f"{len(keys)} authors"
    return Edit(file=file, line=line, id=keys[0] if len(keys) == 1 else None,
                message=f"added {what} to {file}")


def add_author(key: str, *, name: str, kind: str = "person", affiliation: str | None = None,
               aliases: Sequence[str] = (), notes: str | None = None,
               path: str | os.PathLike[str] | None = None) -> Edit:
    """Add one claimant or byline author to ``authors.yaml`` (round-trip safe).

    Raises
    ------
    ForecastkitError
        For an invalid or existing key, a missing name or an unknown kind.
    """
    return add_authors({key: author_entry(name, kind, affiliation, aliases, notes)}, path)
