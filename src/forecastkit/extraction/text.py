"""Read an article into its main text and metadata; split the text into paragraph segments.

Plain text is used as it is (offsets of candidates point into it). A saved HTML page goes through
trafilatura, a maintained main-text extractor (boilerplate removal, metadata: title, author,
date, site name); candidates' offsets then point into the text trafilatura returns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from forecastkit.errors import ExtractionError

#: The most article text extract reads, in bytes of UTF-8: a plain-text file, or the main text
#: of an HTML page. A long article is 50-100 kB; 4 MiB is a shelf of books and takes about 40 s
#: (130 MB) on news text, twice that when every sentence is a forecast; more would run for
#: minutes, so it is refused at once.
MAX_TEXT_BYTES = 4 * 2**20
#: The largest saved HTML page read: markup, scripts and inline images besides its text
#: (trafilatura takes about 1 s on 8 MB of page).
MAX_HTML_BYTES = 32 * 2**20
_SNIFF = 65536
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(r"<(?:body|head|article|div|p)\b[^>]*>", re.IGNORECASE)
_BYLINE = re.compile(
    r"(?m)^[ \t]*By[ \t]+(?:Dr\.?[ \t]+|Prof\.?[ \t]+)?"
    r"(?P<name>[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-\.]*){0,3})"
    r"|\bby[ \t]+(?P<name2>[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+){1,3})[ \t]*$"
)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATES = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d\d)[-/.](?P<d>\d\d)\b"),
    re.compile(rf"\b(?P<mon>{_MON})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MON})\s+(?P<y>(?:19|20)\d\d)\b", re.I),
]


@dataclass(frozen=True)
class SourceText:
    """An article's main text and what is known about it (``None`` when unknown)."""

    path: Path
    text: str
    is_html: bool
    title: str | None = None
    author: str | None = None
    published: dt.date | None = None
    site: str | None = None
    url: str | None = None


def read_source(path: str | Path) -> SourceText:
    """Read a plain-text or HTML article.

    Raises
    ------
    ExtractionError
        For a missing, empty or binary (non-UTF-8) file, or one over :data:`MAX_TEXT_BYTES`
        of text (:data:`MAX_HTML_BYTES` for an HTML page, whose text is held to the first),
        naming the file (and its size).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            if not _html_file(path):
                raise too_large(path, size, "the file")
            if size > MAX_HTML_BYTES:
                raise too_large(path, size, "the page", html=True)
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExtractionError("file not found", file=path) from None
    except IsADirectoryError:
        raise ExtractionError("is a folder, not an article file", file=path) from None
    except OSError as exc:
        raise ExtractionError(f"cannot read the file ({exc.strerror})", file=path) from None
    text = _decode(data, path)
    if not text.strip():
        raise ExtractionError(
            "the file is empty", file=path, hint="give a plain-text or saved HTML article"
        )
    if _looks_like_html(text, path):
        return _from_html(text, path)
    return SourceText(
        path=path,
        text=text,
        is_html=False,
        title=_first_line(text),
        author=find_byline(text),
        published=find_date(text[:3000]),
    )


def too_large(path: Path | None, size: int, what: str, html: bool = False) -> ExtractionError:
    """The one-line refusal of an input of ``size`` bytes over the limit (:data:`MAX_TEXT_BYTES`,
    or :data:`MAX_HTML_BYTES` for an HTML page), naming the file and its size."""
    limit, of = (MAX_HTML_BYTES, "for an HTML page") if html else (MAX_TEXT_BYTES, "of text")
    return ExtractionError(
        f"{what} is {size:,} bytes ({size / 2**20:.1f} MiB), over extract's limit of "
        f"{limit / 2**20:g} MiB {of}",
        file=path,
        hint="extract one article at a time (split a longer text into its articles)",
    )


def check_size(text: str, path: Path | None = None, what: str = "the text") -> None:
    """Refuse ``text`` over :data:`MAX_TEXT_BYTES` of UTF-8 (counted only when it may be)."""
    if len(text) > MAX_TEXT_BYTES // 4:  # a character is at most 4 bytes
        size = len(text.encode("utf-8"))
        if size > MAX_TEXT_BYTES:
            raise too_large(path, size, what)


def _html_file(path: Path) -> bool:
    """Whether a file too large for text is an HTML page (its start or its suffix says so)."""
    with path.open("rb") as f:
        head = f.read(4096).decode("utf-8", errors="replace")
    return _looks_like_html(head, path)


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:_SNIFF]:
        raise ExtractionError(
            "not a text file (binary data)",
            file=path,
            hint="give a plain-text (UTF-8) or saved HTML article",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractionError(
            "not a UTF-8 text file", file=path, hint="save the article as UTF-8 text or HTML"
        ) from None
    controls = sum(1 for ch in text[:_SNIFF] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:_SNIFF]) // 100):
        raise ExtractionError(
            "not a text file (control characters)",
            file=path,
            hint="give a plain-text (UTF-8) or saved HTML article",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_html(text: str, path: Path) -> bool:
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    return path.suffix.lower() in {".html", ".htm", ".xhtml"} and bool(_HTML_TAGS.search(head))


def _from_html(html: str, path: Path) -> SourceText:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    check_size(text, path, "the page's text")
    if not text:
        raise ExtractionError(
            "no article text found in the HTML page",
            file=path,
            hint="save the article page itself, or give its text as a .txt file",
        )
    published = None
    raw_date = getattr(doc, "date", None)
    if raw_date:
        try:
            published = dt.date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            published = None
    return SourceText(
        path=path,
        text=text,
        is_html=True,
        title=getattr(doc, "title", None),
        author=getattr(doc, "author", None) or find_byline(text),
        published=published or find_date(text[:3000]),
        site=getattr(doc, "sitename", None),
        url=getattr(doc, "url", None),
    )


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return None


def find_byline(text: str) -> str | None:
    """The author named in a ``By Name`` line (or ``... by Name`` title line), if any.

    Looked for near the top, then near the end (a ``By Name, staff writer`` sign-off).
    """
    m = _BYLINE.search(text[:5000]) or _BYLINE.search(text[-3000:])  # top, or a sign-off
    if not m:
        return None
    return (m.group("name") or m.group("name2")).strip().rstrip(",.")


def find_date(text: str) -> dt.date | None:
    """The first plausible calendar date written in ``text`` (ISO, ``Jun 13, 2000``, ...)."""
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            try:
                month = (
                    int(m.group("m"))
                    if "m" in m.groupdict() and m.group("m")
                    else next(
                        i
                        for i, name in enumerate(_MONTHS, 1)
                        if name.startswith(m.group("mon").lower().rstrip(".")[:3])
                    )
                )
                found.append((m.start(), dt.date(int(m.group("y")), month, int(m.group("d")))))
            except (ValueError, StopIteration):
                continue
            break
    return min(found)[1] if found else None


def segments(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` offsets of the text's paragraphs, in order, without surrounding space.

    Paragraphs end at blank lines, and at single line breaks after a sentence end or before a
    capital letter (one paragraph per line, as in many saved texts). Hard-wrapped paragraphs
    (every line but the last 40-100 characters) keep their line breaks inside. A paragraph that
    ends mid-sentence continues into the next one when that one starts in lower case (a page
    break inside a sentence). Each paragraph is processed on its own, so memory stays bounded.
    """
    pending: tuple[int, int] | None = None
    for start, end in _blocks(text):
        for s, e in _lines_of_block(text, start, end):
            if pending is not None:
                if _continues(text, pending, s):
                    pending = (pending[0], e)
                    continue
                yield pending
            pending = (s, e)
    if pending is not None:
        yield pending


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    for m in re.finditer(r"[^\n]+(?:\n[ \t]*[^\s][^\n]*)*", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            yield s, e


def _lines_of_block(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    block = text[start:end]
    lines = block.split("\n")
    if len(lines) > 1 and all(40 <= len(ln.rstrip()) <= 100 for ln in lines[:-1]):
        yield start, end  # hard-wrapped prose
        return
    pos = start
    cur_s: int | None = None
    cur_e = start
    for ln in lines:
        s, e = pos, pos + len(ln)
        pos = e + 1
        stripped = ln.strip()
        if not stripped:
            continue
        s += len(ln) - len(ln.lstrip())
        e -= len(ln) - len(ln.rstrip())
        if cur_s is not None and _continues(text, (cur_s, cur_e), s):
            cur_e = e
            continue
        if cur_s is not None:
            yield cur_s, cur_e
        cur_s, cur_e = s, e
    if cur_s is not None:
        yield cur_s, cur_e


def _continues(text: str, prev: tuple[int, int], next_start: int) -> bool:
    """Whether the paragraph at ``next_start`` continues the sentence ``prev`` left open."""
    last = text[prev[1] - 1]
    first = text[next_start]
    return last not in '.!?:"”’)]' and first.islower()
