"""Assemble candidate claims: one per forecast sentence (and claimant), with its confidence.

:func:`extract_text` walks the text paragraph by paragraph (bounded memory on large inputs),
splits each into sentences (spaCy's sentencizer), finds the forecast language
(:mod:`~forecastkit.extraction.hedges`), the claimant (:mod:`~forecastkit.extraction.attribution`),
the deadline (:mod:`~forecastkit.extraction.deadlines`) and any condition, and scores how sure
it is that the sentence is a forecast worth recording (``confidence`` in [0, 1], with the
reasons). Sentences with only past forms ("was expected to") are left out; prescriptive ones
("must", "should", "needs to") are left out unless ``include_prescriptions`` (then marked
``kind: prescription``).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forecastkit.errors import ForecastkitError
from forecastkit.extraction.attribution import Attributor, Speaker
from forecastkit.extraction.deadlines import infer_deadline
from forecastkit.extraction.hedges import BASE, Hedge, find_hedges, match_spans, pipeline, primary
from forecastkit.extraction.numbers import NumericReading, read_numbers
from forecastkit.extraction.projections import points_to_future
from forecastkit.extraction.text import SourceText, check_size, read_source, segments
from forecastkit.records import lexicon

#: Candidates below this confidence are not reported (``--min-confidence``).
MIN_CONFIDENCE = 0.4
_COND = re.compile(
    r"\b(?P<c>(?:even\s+)?if|unless|provided\s+that|as\s+long\s+as|"
    r"on\s+condition\s+that|in\s+case)\b",
    re.I,
)
#: Forecast passives: the agent is the report's author ("is projected to", "is seen").
#: Legal boilerplate that uses forecast words without forecasting: "forward-looking
#: statements", "actual results could differ materially", "undue reliance".
_DISCLAIMER = re.compile(
    r"\bforward[- ]looking\s+(?:statements?|information)|\bactual\s+(?:results|outcomes|events)"
    r"\s+(?:may|might|could|will)\s+(?:\w+\s+)?differ|\bundue\s+reliance\b|"
    r"\b(?:no|any)\s+obligation\s+to\s+(?:publicly\s+)?(?:update|revise)|"
    r"\bsafe\s+harbou?r\b|\bnot\s+(?:a\s+)?guarantees?\s+of\s+future\b",
    re.I,
)
#: A model's outputs ("favored to", "14.6% of the time"): the last model or organisation named.
_MODEL_OUTPUT = re.compile(r"(?i)favou?red\s+to|favou?rites?\s+to|\bof\s+the\s+time|simulation")
_PASSIVE = re.compile(r"\b(?:projected|forecasts?|forecasted|seen|predicted|estimated)\b", re.I)
_ANSWER_WORDS = 10
_BATCH = 128
#: Longer paragraphs are cut into pieces of at most this many characters (at a sentence end
#: where there is one), so that no spaCy doc is over its ``max_length`` and the work per
#: paragraph stays bounded (a text saved with no line breaks is one paragraph).
MAX_SEGMENT = 100_000
_PIECE_END = re.compile(r"[.!?][”\"’)]*\s+|\n")


@dataclass(frozen=True)
class Candidate:
    """A proposed claim: ``text[start:end] == quote``. ``resolve_by`` may be unknown."""

    quote: str
    start: int
    end: int
    hedge: str | None
    probability: float | None
    probability_stated: bool
    level: str | None
    claimant_name: str
    claimant_role: str
    deadline_phrase: str | None
    deadline_rule: str
    resolve_by: dt.date | None
    condition: str | None
    confidence: float
    reasons: tuple[str, ...]
    kind: str = "forecast"  # forecast | prescription
    question: bool = False
    #: The speaker's words as written ("the agency", "he"); ``claimant_name`` is resolved.
    claimant_as_written: str | None = None
    #: How the claimant was found ("said X", "according to X", "byline").
    attribution: str = ""
    #: The words of the text the attribution rests on ("the agency expects", "he added").
    attribution_evidence: tuple[str, ...] = ()
    #: The quantities the quote states (:mod:`~forecastkit.extraction.numbers`), forecasts first.
    numbers: tuple[NumericReading, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain values (dates as ISO text) for JSON and YAML output."""
        out = dataclasses.asdict(self)
        out["resolve_by"] = self.resolve_by.isoformat() if self.resolve_by else None
        out["reasons"] = list(self.reasons)
        out["attribution_evidence"] = list(self.attribution_evidence)
        out["numbers"] = [n.to_dict() for n in self.numbers]
        return out


@dataclass(frozen=True)
class Extraction:
    """The candidates of one article, with what is known about the article."""

    source: SourceText
    candidates: tuple[Candidate, ...]
    scale: str

    @property
    def text(self) -> str:
        """The main text the offsets point into."""
        return self.source.text


def extract_file(
    path: str | Path,
    *,
    byline: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
    scale: str = lexicon.DEFAULT_SCALE,
    min_confidence: float = MIN_CONFIDENCE,
    include_prescriptions: bool = False,
) -> Extraction:
    """Candidates of the article in ``path`` (plain text or HTML).

    ``byline``, ``publisher`` and ``published`` override what the file says (HTML metadata,
    a ``By ...`` line, a date near the top).

    Raises
    ------
    ExtractionError
        For an empty, binary, unreadable or oversized file (one line, naming the file; sizes:
        :data:`~forecastkit.extraction.text.MAX_TEXT_BYTES`).
    """
    lexicon.get_scale(scale)
    source = read_source(path)
    source = dataclasses.replace(
        source,
        author=byline or source.author,
        site=publisher or source.site,
        published=published or source.published,
    )
    found = extract_text(
        source.text,
        byline=source.author,
        publisher=source.site,
        published=source.published,
        scale=scale,
        min_confidence=min_confidence,
        include_prescriptions=include_prescriptions,
    )
    return Extraction(source=source, candidates=tuple(found), scale=scale)


def extract_text(
    text: str,
    *,
    byline: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
    scale: str = lexicon.DEFAULT_SCALE,
    min_confidence: float = MIN_CONFIDENCE,
    include_prescriptions: bool = False,
) -> list[Candidate]:
    """Candidate claims in ``text``, in text order.

    >>> [c.hedge for c in extract_text("Prices will probably rise next year.", byline="A. N.")]
    ['will probably']
    """
    return list(
        iter_candidates(
            text,
            byline=byline,
            publisher=publisher,
            published=published,
            scale=scale,
            min_confidence=min_confidence,
            include_prescriptions=include_prescriptions,
        )
    )


def iter_candidates(
    text: str,
    *,
    byline: str | None,
    publisher: str | None,
    published: dt.date | None,
    scale: str,
    min_confidence: float,
    include_prescriptions: bool,
) -> Iterator[Candidate]:
    """Like :func:`extract_text`, one paragraph at a time (a generator: memory stays bounded).
    Text over :data:`~forecastkit.extraction.text.MAX_TEXT_BYTES` is refused."""
    check_size(text)
    nlp, _ = pipeline()
    attributor = Attributor(byline=byline, publisher=publisher)
    batch: list[tuple[int, int]] = []
    for span in bounded(text, segments(text)):
        batch.append(span)
        if len(batch) >= _BATCH:
            yield from _batch(
                nlp,
                text,
                batch,
                attributor,
                published,
                scale,
                min_confidence,
                include_prescriptions,
            )
            batch = []
    yield from _batch(
        nlp, text, batch, attributor, published, scale, min_confidence, include_prescriptions
    )


def bounded(
    text: str, spans: Iterator[tuple[int, int]], limit: int = MAX_SEGMENT
) -> Iterator[tuple[int, int]]:
    """``spans`` with every span over ``limit`` characters cut into pieces of at most ``limit``:
    after the last sentence end (or line break) in the piece, else the last space, else at the
    limit. Pieces are trimmed of surrounding space."""
    for start, end in spans:
        while end - start > limit:
            window = text[start : start + limit]
            cut = max((m.end() for m in _PIECE_END.finditer(window, limit // 2)), default=0)
            if not cut:
                cut = window.rfind(" ") + 1 or limit
            piece = _trim(text, start, start + cut)
            if piece[0] < piece[1]:
                yield piece
            start = _trim(text, start + cut, end)[0]
        if start < end:
            yield start, end


def _batch(
    nlp: Any,
    text: str,
    batch: list[tuple[int, int]],
    attributor: Attributor,
    published: dt.date | None,
    scale: str,
    min_confidence: float,
    include_prescriptions: bool,
) -> Iterator[Candidate]:
    docs = nlp.pipe([text[s:e] for s, e in batch])
    for (s, _e), doc in zip(batch, docs, strict=True):
        sents = [sent for sent in doc.sents if sent.text.strip()]
        spans = _by_sentence(sents, match_spans(doc))
        bounds = [_trim(text, s + sent.start_char, s + sent.end_char) for sent in sents]
        attributor.paragraph(text, s, _e, bounds)
        skip_next = False
        for i, sent in enumerate(sents):
            if skip_next:
                skip_next = False
                continue
            hedges, prescriptions = find_hedges(doc, sent, spans[i])
            start, end = bounds[i]
            question = text[start:end].rstrip('”"’ )').endswith("?")
            answered = False
            if question and i + 1 < len(sents):
                a_hedges, _ = find_hedges(doc, sents[i + 1], spans[i + 1])
                a_start, a_end = bounds[i + 1]
                if a_hedges and len(text[a_start:a_end].split()) <= _ANSWER_WORDS:
                    hedges, end, answered, skip_next = a_hedges, a_end, True, True
            for cand in _candidates(
                text,
                s,
                start,
                end,
                i,
                hedges,
                prescriptions,
                question,
                answered,
                attributor,
                published,
                scale,
                include_prescriptions,
            ):
                if cand.confidence >= min_confidence:
                    yield cand


def _by_sentence(sents: list[Any], spans: list[Any]) -> list[list[Any]]:
    """The matched spans of each sentence (both are in text order): one pass, not one per
    sentence over every span of the paragraph."""
    starts = [sent.start for sent in sents]
    out: list[list[Any]] = [[] for _ in sents]
    for span in spans:
        i = bisect.bisect_right(starts, span.start) - 1
        if i >= 0 and span.end <= sents[i].end:
            out[i].append(span)
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _candidates(
    text: str,
    seg_start: int,
    start: int,
    end: int,
    index: int,
    hedges: list[Hedge],
    prescriptions: list[Hedge],
    question: bool,
    answered: bool,
    attributor: Attributor,
    published: dt.date | None,
    scale: str,
    include_prescriptions: bool,
) -> list[Candidate]:
    reasons: list[str] = []
    live = [h for h in hedges if not h.past]
    if any(h.needs_future for h in live):
        future = points_to_future(text[start:end], published.year if published else None)
        live = [h for h in live if future or not h.needs_future]
    if not live:
        if hedges:
            return []  # only past forms: "was expected to" describes the past
        if not (prescriptions and include_prescriptions):
            return []
    quote = text[start:end]
    if live:
        hedge = primary(live)
        kind = "forecast"
        confidence = BASE[hedge.kind]
        reasons.append(f"{hedge.kind} hedge '{hedge.text}' (+{BASE[hedge.kind]:.2f})")
    else:
        hedge = prescriptions[0]
        kind = "prescription"
        confidence = BASE["prescription"]
        reasons.append(f"prescriptive '{hedge.text}': marked as a prescription, not a forecast")
    position = seg_start + hedge.start
    probability, stated, level = _probability(hedge, scale, reasons)
    deadline = infer_deadline(quote, published)
    if deadline.phrase:
        confidence += 0.05
        reasons.append(f"time phrase '{deadline.phrase}' (+0.05)")
    if kind == "forecast" and prescriptions:
        confidence -= 0.1
        reasons.append(f"also prescriptive '{prescriptions[0].text}' (-0.10)")
    if hedge.text.lower() == "could":
        confidence -= 0.1
        reasons.append("'could' is often a bare possibility or a past ability (-0.10)")
    if question and not answered:
        confidence -= 0.3
        reasons.append("a question, not an assertion (-0.30)")
    elif answered:
        reasons.append("a question answered by the next sentence")
    words = len(quote.split())
    if words > 70:
        confidence -= 0.15
        reasons.append(f"very long sentence ({words} words) (-0.15)")
    if _DISCLAIMER.search(quote):
        confidence -= 0.5
        reasons.append("a legal disclaimer (forward-looking statements, risks) (-0.50)")
    condition = _condition(quote)
    if condition:
        reasons.append(f"conditional: '{condition}'")
    numbers = read_numbers(quote, start, published) if kind == "forecast" else ()
    carry = kind == "forecast" and (
        any(not n.baseline and n.unit for n in numbers)
        or hedge.kind == "forecast-noun"
        or bool(_PASSIVE.search(hedge.text))
        or bool(_MODEL_OUTPUT.search(hedge.text))
    )
    speakers: tuple[Speaker, ...] = attributor.speakers(index, position, carry=carry)
    if speakers[0].how not in {"byline", "publisher (no byline)"}:
        confidence += 0.05
        reasons.append(f"claimant from {speakers[0].how} (+0.05)")
    else:
        reasons.append(f"claimant: {speakers[0].how}")
    if deadline.resolve_by is None:
        reasons.append(
            "resolve_by unknown: "
            + ("no publication date (give --published)" if published is None else deadline.rule)
        )
    confidence = round(min(1.0, max(0.0, confidence)), 2)
    return [
        Candidate(
            quote=quote,
            start=start,
            end=end,
            hedge=hedge.text if kind == "forecast" else None,
            probability=probability,
            probability_stated=stated,
            level=level,
            claimant_name=sp.name,
            claimant_role=sp.role,
            deadline_phrase=deadline.phrase,
            deadline_rule=deadline.rule,
            resolve_by=deadline.resolve_by,
            condition=condition,
            confidence=confidence,
            reasons=tuple(reasons),
            kind=kind,
            question=question,
            claimant_as_written=sp.written or sp.name,
            attribution=sp.how,
            attribution_evidence=sp.evidence,
            numbers=numbers,
        )
        for sp in speakers
    ]


def _probability(
    hedge: Hedge, scale: str, reasons: list[str]
) -> tuple[float | None, bool, str | None]:
    if hedge.kind == "prescription":
        return None, False, None
    if hedge.probability is not None:
        reasons.append(f"stated probability {hedge.probability:g}")
        return hedge.probability, True, None
    for form in (hedge.text, hedge.canonical):
        if form and lexicon.is_known_hedge(form):
            try:
                reading = lexicon.read_hedge(form, scale)
            except ForecastkitError:
                continue
            return reading.point, False, reading.level
    reasons.append(f"hedge '{hedge.text}' is not in the house mapping: no probability")
    return None, False, None


def _condition(quote: str) -> str | None:
    """The conditional clause of ``quote`` as written ("unless ...", "if ..."), if any."""
    for m in _COND.finditer(quote):
        if quote[max(0, m.start() - 3) : m.start()].lower() == "as ":
            continue  # "as if"
        rest = quote[m.start() :]
        stop = re.search(r"[,;:]|[.!?][”\"’]?\s*$|[”\"]", rest[len(m.group(0)) :])
        clause = rest[: len(m.group(0)) + stop.start()] if stop else rest
        clause = clause.rstrip(' .!?”"’')
        if len(clause.split()) >= 3:
            return clause
    return None
