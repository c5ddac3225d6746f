"""Edit the corpus safely: add sources, claims and authors, and log outcomes.

Every edit follows the same steps, so that no edit can lose a claim, an outcome, a comment or a
line of someone's formatting:

1. check the request against the corpus as it is (ids, claimants, hedges, dates, evidence);
2. take a lock on the file (``<file>.lock``, removed again when the edit is done) and read it
   fresh;
3. refuse a file that is broken (malformed YAML or schema errors, reported with their line);
4. append the new entry at text level (:mod:`forecastkit.editing.yamledit`: only the added lines change);
5. parse and schema-check the new text, then write it atomically (temporary file + rename).

Any refusal raises a :class:`~forecastkit.errors.ForecastkitError` and writes nothing.

Each text is parsed once (issue 22: a 4.5 MB claim file took 3 s a parse, and an edit parsed
it nine times): the file read in step 2 is a :class:`Fresh` whose Document steps 3 and 4 use,
and step 4 returns the new text's Document, which step 5 checks and writes and which gives the
new entry's line. The schema checks run on a copy of the data, so a Document stays as parsed.
An edit runs with the garbage collector paused (:func:`collector_paused`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import subprocess
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forecastkit.errors import (
    ClaimFileError,
    EditError,
    ForecastkitError,
    ValidationFailed,
)
from forecastkit.records.collector import collector_paused  # noqa: F401 (the edits' decorator)
from forecastkit.records.layout import booleans_to_text

if TYPE_CHECKING:
    from forecastkit.records.yamlio import Document

VERDICTS = ("true", "false", "ambiguous", "annulled")
CLAIMANT_ROLES = ("byline author", "quoted expert", "quoted official", "anonymous source",
                  "organisation", "other")  # fmt: skip
KINDS = ("forecast", "prescription", "description")
AUTHOR_KINDS = ("person", "organisation", "anonymous group", "crowd")  # the schema's enum
EVIDENCE_FIELDS = ("url", "title", "publisher", "published", "quote")
#: Seconds to wait for another command's lock before giving up.
LOCK_TIMEOUT = 120.0

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


def publisher_slug(publisher: str) -> str:
    """The publisher as the first words of an id: no parenthesised part, no leading 'the'."""
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
        found = subprocess.run(
            ["git", "config", "--get", "user.name"],
            capture_output=True,
            check=False,
            text=True,
            timeout=5,
            cwd=root if root and root.is_dir() else None,
        )
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return getpass.getuser()


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold ``<path>.lock`` (shared by every forecastkit process) for a read-change-write.

    The lock is an ``flock`` on ``<path>.lock``, which the holder removes before it lets go, so
    no empty lock file is left in the user's corpus. Removing a lock file safely takes one more
    step (the usual protocol, as in git's ``index.lock`` and Python's ``lockfile``): a process
    that waited on a file that was removed meanwhile finds that the path no longer names the
    file it locked, and starts again. A lock file left by a killed process holds no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: filelock's lock file stays
        yield from _filelock(path, timeout)
        return
    import time

    lock = Path(f"{path}.lock")
    busy = EditError(
        "the file is locked by another forecastkit command",
        file=path,
        hint=f"try again; if no command is running, delete {lock}",
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise EditError(
                f"cannot create the lock file: {exc.strerror}",
                file=lock,
                hint="check the folder's permissions",
            ) from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise busy from None
                    time.sleep(0.02)
            try:
                current = os.path.samestat(os.fstat(fd), os.stat(lock, follow_symlinks=False))
            except FileNotFoundError:
                current = False
        except BaseException:
            os.close(fd)
            raise
        if current:
            break
        os.close(fd)  # the holder before us removed it: lock the file that is there now
    try:
        yield
    finally:
        try:
            os.unlink(lock)  # while still holding the lock: see above
        except FileNotFoundError:
            pass
        os.close(fd)


def _filelock(path: Path, timeout: float) -> Iterator[None]:  # pragma: no cover - Windows
    from filelock import FileLock, Timeout

    lock = FileLock(f"{path}.lock", timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise EditError(
            "the file is locked by another forecastkit command",
            file=path,
            hint=f"try again; if no command is running, delete {path}.lock",
        ) from None
    try:
        yield
    finally:
        lock.release()


@dataclass(frozen=True)
class Fresh:
    """A file as an edit read it under its lock, parsed once and then passed along: ``doc``
    holds its text and its data as parsed, with their lines; ``bom`` says whether the file
    began with a byte-order mark, which the write keeps."""

    doc: Document
    bom: bool

    @property
    def text(self) -> str:
        return self.doc.text


def _schema_errors(doc: Document, kind: str) -> list[Any]:
    """The schema errors of ``doc`` as a ``kind`` file, as the loader finds them; ``doc`` is
    left as parsed (the loader's checks turn booleans into text and fill in defaults: they run
    on a copy of the lists and mappings, which costs a few hundredths of a second where a parse
    costs seconds)."""
    from forecastkit.records.schema import check as check_schema
    from forecastkit.records.yamlio import Document

    seen = Document(path=doc.path, data=_copy(doc.data), lines=doc.lines, key_lines=doc.key_lines)
    booleans_to_text(seen.data)
    return check_schema(seen, kind)


def _copy(value: Any) -> Any:
    """Parsed YAML data with every list and mapping copied (the scalars are immutable)."""
    if type(value) is dict:
        return {k: _copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy(v) for v in value]
    return value


def read_for_edit(path: Path, kind: str, known: Document | None = None) -> Fresh:
    """The file parsed once, with whether it had a byte-order mark; refuses a broken file
    (malformed YAML, schema errors: one line each with file, line and field).

    ``known`` is a parse of the same file made before the lock was taken (``resolve`` reads
    the outcome log for a claim's history): when the text read now is the text it was parsed
    from, the same bytes parse the same, and it is used instead of a second parse. The schema
    check runs either way.
    """
    from forecastkit.records.yamlio import parse, read_text

    text = read_text(path)
    with path.open("rb") as fh:
        bom = fh.read(3) == _BOM
    if known is not None and known.path == path and known.text == text:
        doc = known
    else:
        try:
            doc = parse(text, path)
        except ClaimFileError as exc:
            exc.hint = "fix the file by hand first; nothing was written"
            raise
    errors = _schema_errors(doc, kind) if doc.data is not None else []  # empty: appendable
    if errors:
        raise ValidationFailed(errors)
    return Fresh(doc=doc, bom=bom)


def new_file(text: str, path: Path) -> Fresh:
    """A file an edit creates (its ``$schema`` line alone, or a whole new claim file)."""
    from forecastkit.records.yamlio import parse

    return Fresh(doc=parse(text, path), bom=False)


def write_checked(path: Path, doc: Document, bom: bool, kind: str) -> int:
    """Schema-check ``doc`` (the new text, parsed once by the append that made it) as a
    ``kind`` file and write its text atomically; its line count.

    A text over the size YAML files are read with (``yamlio.MAX_FILE_BYTES``) is refused: once
    written, the file would no longer load, and every command on the corpus would stop at it
    (an add claim would no longer find the file's source)."""
    from forecastkit.records.atomic import write_bytes_atomic
    from forecastkit.records.yamlio import MAX_FILE_BYTES

    data = (_BOM if bom else b"") + doc.text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise EditError(
            f"the edit would make the file {len(data):,} bytes, over the "
            f"{MAX_FILE_BYTES / 2**20:g} MB that YAML files are read with; nothing was written",
            file=path,
            hint="put further claims in a new source file (forecastkit add source), or keep a "
            "corpus this large in a tabular claim file (CSV/Parquet)",
        )
    errors = _schema_errors(doc, kind)
    if errors:  # our own checks let something through: refuse rather than write it
        raise ValidationFailed(errors)
    write_bytes_atomic(path, data)
    return doc.text.count("\n")


def check_new_entry(data: dict[str, Any], kind: str, prefix: str, strip: str) -> None:
    """Schema-check a new entry alone; errors name its fields (``claim.hedge``), not lines."""
    from forecastkit.records.schema import check as check_schema
    from forecastkit.records.yamlio import Document

    doc = Document(path=Path("<new>"), data=data)
    booleans_to_text(doc.data)
    found = check_schema(doc, kind)
    if not found:
        return
    errors = []
    for e in found:
        name = (e.field or "").removeprefix(strip).lstrip(".")
        errors.append(
            EditError(e.message, field=f"{prefix}.{name}" if name else prefix, hint=e.hint)
        )
    raise errors[0] if len(errors) == 1 else ValidationFailed(errors)


def plain_data(value: Any) -> Any:
    """``value`` as the schema checks it: mappings and lists rebuilt, dates as ISO text."""
    if isinstance(value, Mapping):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def as_date(value: Any, field: str) -> dt.date | None:
    """A given date (a ``date``, or text ``parse_user_date`` reads); an :class:`EditError`
    naming ``field`` for text that is no date."""
    if value is None or isinstance(value, dt.date):
        return value
    from forecastkit.records.dates import parse_user_date

    try:
        return parse_user_date(str(value))
    except ForecastkitError as exc:
        raise EditError(exc.message, field=field, hint=exc.hint) from None


def refuse_future(day: dt.date | None, today: dt.date, field: str, hint: str) -> None:
    """Refuse ``day`` after ``today`` (an :class:`EditError` naming ``field``)."""
    if day is not None and day > today:
        raise EditError(
            f"{field.rsplit('.', 1)[-1]} {day} is in the future", field=field, hint=hint
        )


def refuse_links_out(root: Path) -> None:
    """Refuse to edit a corpus folder with links that lead out of it: an edit could read from
    or write to a file outside it (``outcomes/`` linked elsewhere, ``authors.yaml`` linked to
    ``/etc/passwd``). Nothing is written."""
    from forecastkit.records.layout import outside_links

    links = outside_links(root) if root.is_dir() else ()
    if links:
        raise EditError(
            "a link in the corpus folder leads outside it; nothing was written",
            file=links[0],
            hint="copy what it links to into the corpus folder",
        )


def load_for_edit(root: Path, today: dt.date | None) -> tuple[Any, list[ForecastkitError]]:
    """Step 1's corpus, read fresh (never the warm cache), with its errors; raises only when
    nothing could be loaded (see :func:`refuse_if_broken` for the file an edit writes)."""
    from forecastkit.records.corpus import check

    refuse_links_out(root)

    corpus, errors = check(root, today=today, cache=False)  # fresh: never the warm cache
    if corpus is None:
        raise ValidationFailed(errors)
    return corpus, errors


def refuse_if_broken(errors: list[ForecastkitError], path: Path) -> None:
    """Raise the errors of ``errors`` that are about ``path``, the file an edit writes."""
    mine = [e for e in errors if e.file and Path(e.file).resolve() == path.resolve()]
    if mine:
        raise ValidationFailed(mine)


def schema_header(folder: Path, root: Path, kind: str) -> str:
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
    from forecastkit.records.paths import schema_for_editors
    from forecastkit.records.schema import SCHEMA_FILES

    return _SCHEMA_LINE.format(rel=schema_for_editors(folder, SCHEMA_FILES[kind]))


def line_of_last(doc: Document, key: str) -> int:
    """The line of the last entry of the top-level list or mapping ``key`` of ``doc``."""
    entries = doc.data.get(key) or []
    at = (key, len(entries) - 1) if isinstance(entries, list) else (key, list(entries)[-1])
    return doc.line_of(at)
