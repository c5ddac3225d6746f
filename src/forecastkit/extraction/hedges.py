"""Sentences and forecast language: spaCy's rule-based pipeline and a phrase table of hedges.

spaCy (``spacy.blank("en")``: its tokenizer, the rule-based ``sentencizer`` and a
``PhraseMatcher`` on lower-cased tokens) finds the hedges; no statistical model is used (none
can be downloaded here, and rules keep the output explainable: every candidate says which
phrase made it). Each written form ("are expected to", "threatening to") maps to a hedge the
house mapping knows ("is expected to", "threatens to"), so its probability comes from the
lexicon (:mod:`forecastkit.records.lexicon`). Stated chances ("a 30% chance") are read as
numbers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import forecastkit.extraction.projections as projections

#: Base confidence of each kind of forecast language (docs/extraction.md, "Confidence").
BASE = {
    "number": 0.9,
    "explicit": 0.8,
    "expectation": 0.75,
    "projection": 0.7,
    "forecast-noun": 0.6,
    "will": 0.6,
    "intention": 0.55,
    "modal": 0.55,
    "weak": 0.45,
    "prescription": 0.5,
}

# (written forms, the house-mapping hedge they read as, kind). Longest match wins.
_TABLE: list[tuple[tuple[str, ...], str, str]] = [
    (
        (
            "almost certain",
            "almost certainly",
            "nearly certain",
            "virtually certain",
            "all but certain",
            "extremely likely",
            "very likely",
            "highly likely",
            "highly probable",
            "very probable",
            "in all likelihood",
            "strong likelihood",
            "strong chance",
            "very good chance",
            "good chance",
            "likely",
            "probable",
            "probably",
            "most likely",
            "more likely than not",
            "better than even",
            "chances are",
            "seems likely",
            "even chance",
            "roughly even chance",
            "about as likely as not",
            "fifty-fifty",
            "50-50",
            "toss-up",
            "realistic possibility",
            "unlikely",
            "improbable",
            "doubtful",
            "probably not",
            "less likely",
            "very unlikely",
            "highly unlikely",
            "highly improbable",
            "very improbable",
            "highly doubtful",
            "little chance",
            "slim chance",
            "slight chance",
            "chances are slight",
            "almost no chance",
            "remote chance",
            "remote possibility",
            "almost certainly not",
            "extremely unlikely",
            "exceptionally unlikely",
            "almost impossible",
            "virtually impossible",
            "no chance",
            "there is a chance",
            "there is little chance",
            "there is no chance",
            "hard to imagine",
            "not likely",
            "neither is it likely",
            "nor is it likely",
            "likely not",
            "is unlikely to",
            "are unlikely to",
            "inevitably",
            "inevitable",
            "no doubt",
            "we doubt",
            "we believe",
            "surely",
            "definitely",
            "will likely",
            "will probably",
            "probably won't",
            "probably will not",
            "questionable",
            "very questionable",
        ),
        "",
        "explicit",
    ),
    (
        (
            "is expected to",
            "expected to",
            "not expected to",
            "is not expected to",
            "we expect",
            "is set to",
            "set to",
            "is poised to",
            "poised to",
            "is on track to",
            "on track to",
            "is bound to",
            "bound to",
            "sure to",
            "apt to",
            "may well",
            "clear signal",
        ),
        "",
        "expectation",
    ),
    (
        (
            "are expected to",
            "it is expected that",
            "is anticipated to",
            "are anticipated to",
            "anticipated to",
        ),
        "is expected to",
        "expectation",
    ),
    (("are not expected to",), "is not expected to", "expectation"),
    (("expect", "expects", "anticipate", "anticipates"), "we expect", "expectation"),
    (("are set to",), "is set to", "expectation"),
    # a model's or the market's favourite: "are favored to win"
    (
        (
            "is favored to",
            "are favored to",
            "favored to",
            "is favoured to",
            "are favoured to",
            "favoured to",
            "the favorite to",
            "the favourite to",
            "the favorites to",
            "the favourites to",
        ),
        "is expected to",
        "expectation",
    ),
    (("are poised to",), "is poised to", "expectation"),
    (("are bound to",), "is bound to", "expectation"),
    (("will", "will happen"), "", "will"),
    (("will not", "won't", "won’t", "will never", "cannot", "can't", "can’t"), "", "will"),
    (
        ("plans to", "intends to", "agreed to", "is ready to", "is concentrating on", "stands to"),
        "",
        "intention",
    ),
    (
        ("plan to", "intend to", "are intended to", "is intended to", "aim to", "aims to"),
        "intends to",
        "intention",
    ),
    (("are ready to", "ready to"), "is ready to", "intention"),
    (("agree to", "agrees to"), "agreed to", "intention"),
    (("stand to",), "stands to", "intention"),
    (
        (
            "may",
            "might",
            "could",
            "possibly",
            "perhaps",
            "maybe",
            "potentially",
            "threatens to",
            "may happen",
            "might happen",
            "could happen",
        ),
        "",
        "modal",
    ),
    (("threaten to", "threatening to", "threatens again to"), "threatens to", "modal"),
    (("possible", "certain", "certainly"), "", "weak"),
]
_TABLE += projections.TABLE
_PRESCRIPTIONS = (
    "must",
    "should",
    "need to",
    "needs to",
    "have to",
    "has to",
    "ought to",
    "it is necessary",
    "it is essential",
    "it is important",
    "it is imperative",
    "inadvisable",
    "it would be wise",
)
_PAST = {"was", "were", "had", "been"}
_NOUN_WILL = {
    "political",
    "the",
    "good",
    "free",
    "own",
    "ill",
    "popular",
    "public",
    "his",
    "her",
    "their",
    "its",
    "strong",
    "no",
    "of",
    "a",
    "national",
    "people's",
    "collective",
}
_NOUN_MIGHT = {"military", "economic", "its", "their", "his", "her", "naval", "industrial"}
_CERTAIN_OK = {
    "is",
    "are",
    "almost",
    "nearly",
    "virtually",
    "seems",
    "appears",
    "quite",
    "not",
    "all",
    "be",
    "'s",
    "’s",
}
_NUMBER = re.compile(
    r"\b(?P<n>\d{1,3}(?:\.\d+)?)\s?(?:%|per ?cent|percent)\s+"
    r"(?:chance|probability|likelihood|risk|odds)\b"
    # a model's share of outcomes: "wins 14.6% of the time", "in 0.5% of the simulations"
    r"|\b(?P<m>\d{1,3}(?:\.\d+)?)\s?(?:%|per ?cent|percent)\s+of\s+(?:the\s+|its\s+|our\s+|"
    r"their\s+|all\s+)?(?:time|simulations?|sims|scenarios|model\s+runs|runs|trials)\b"
    r"|\b(?P<a>one|two|three|four|\d{1,2})[- ]in[- ](?P<b>two|three|four|five|six|seven|eight|"
    r"nine|ten|\d{1,3})\s+(?:chance|probability|likelihood|risk|odds)\b",
    re.IGNORECASE,
)
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


@dataclass(frozen=True)
class Hedge:
    """Forecast language found in a sentence: the words as written and how they read."""

    text: str  # as written
    start: int  # character offsets in the segment
    end: int
    canonical: str | None  # the house-mapping hedge it reads as (None: a stated number)
    kind: str  # a key of BASE
    probability: float | None = None  # a stated number
    past: bool = False
    needs_future: bool = False  # a past-tense forecast verb: counts only with a future time


@functools.cache
def pipeline() -> Any:
    """The spaCy pipeline (blank English + sentencizer) and the hedge matchers, built once."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 2_000_000
    hedges = PhraseMatcher(nlp.vocab, attr="LOWER")
    for i, (forms, _, _) in enumerate(_TABLE):
        hedges.add(f"H{i}", [nlp.make_doc(f) for f in forms])
    hedges.add("PRESCRIPTION", [nlp.make_doc(f) for f in _PRESCRIPTIONS])
    return nlp, hedges


def match_spans(doc: Any) -> list[Any]:
    """Every hedge and prescription phrase in ``doc`` (longest of overlapping ones), labelled."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    _, matcher = pipeline()
    return filter_spans([Span(doc, s, e, label=match_id) for match_id, s, e in matcher(doc)])


def find_hedges(doc: Any, sent: Any, spans: list[Any]) -> tuple[list[Hedge], list[Hedge]]:
    """Forecast hedges and prescriptive words in sentence ``sent`` of ``doc``.

    ``spans`` are :func:`match_spans` of ``doc`` (all, or only the sentence's: those outside it
    are passed over). Returns ``(hedges, prescriptions)``.
    """
    spans = [sp for sp in spans if sent.start <= sp.start and sp.end <= sent.end]
    hedges: list[Hedge] = []
    prescriptions: list[Hedge] = []
    for span in spans:
        if span.label_ == "PRESCRIPTION":
            prescriptions.append(
                Hedge(span.text, span.start_char, span.end_char, None, "prescription")
            )
            continue
        forms, canonical, kind = _TABLE[int(span.label_[1:])]
        if not _plausible(doc, span, sent):
            continue
        hedges.append(
            Hedge(
                span.text,
                span.start_char,
                span.end_char,
                canonical or span.text.lower().replace("’", "'"),
                kind,
                past=_is_past(doc, span),
                needs_future=len(span) == 1 and projections.needs_future(span.text),
            )
        )
    taken = [(h.start, h.end) for h in hedges]
    for start, end, words, form in projections.phrase_hedges(sent.text):
        s, e = sent.start_char + start, sent.start_char + end
        if any(a < e and s < b for a, b in taken):
            continue
        rating = form == "rating"
        hedges.append(
            Hedge(
                words,
                s,
                e,
                None if rating else "is expected to",
                "explicit" if rating else "forecast-noun",
            )
        )
    for m in _NUMBER.finditer(sent.text):
        if m.group("n") or m.group("m"):
            p = float(m.group("n") or m.group("m")) / 100
        else:
            a, b = (_WORDS.get(x.lower()) or int(x) for x in (m.group("a"), m.group("b")))
            if not b:
                continue  # "1 in 0 chance" states no probability
            p = a / b
        if 0 <= p <= 1:
            s = sent.start_char + m.start()
            hedges.append(
                Hedge(
                    m.group(0),
                    s,
                    sent.start_char + m.end(),
                    None,
                    "number",
                    probability=round(p, 4),
                )
            )
    return hedges, prescriptions


def _plausible(doc: Any, span: Any, sent: Any) -> bool:
    """Rule out the non-forecast readings of a few ambiguous words."""
    first = span[0]
    low = first.lower_
    prev = doc[span.start - 1].lower_ if span.start > sent.start else ""
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    if low in {"expect", "expects", "anticipate", "anticipates"} and len(span) == 1:
        # a verb of expectation with its object ("analysts expect earnings of $12.47"), not
        # "what to expect", "as you would expect" or "anticipate providing updates"
        return (
            nxt not in {".", ",", ";", "?", "!", "more", "much", "so", ""}
            and not nxt.endswith("ing")
            and prev not in {"to", "would", "'d", "as", "than", "what"}
        )
    verb = projections.plausible_verb(doc, span, sent)
    if verb is not None:
        return verb
    if low == "will" and len(span) <= 2:
        return prev not in _NOUN_WILL and nxt not in {"of", ".", ",", ";"}
    if low == "may" and len(span) == 1:  # the month: "in May", "May 7"
        return not (first.text == "May" and span.start > sent.start) and not nxt[:1].isdigit()
    if low == "might" and len(span) == 1:
        return prev not in _NOUN_MIGHT
    if low in {"certain", "possible"} and len(span) == 1:
        return prev in _CERTAIN_OK or nxt in {"to", "that"}
    return True


def _is_past(doc: Any, span: Any) -> bool:
    """Whether the hedge is in a past construction ("was expected to", "were likely to")."""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if span[0].lower_ == "could" and after in {"not", "n't"}:
        return True
    if span[0].lower_ in {
        "will",
        "may",
        "might",
        "could",
        "cannot",
        "can't",
        "won't",
        "wo",
        "would",
    }:
        return False
    if span.start > 0 and doc[span.start - 1].lower_ in _PAST:
        # "it was more likely than not that he would win": a past judgement of a future event
        rest = doc[span.end : span.sent.end].text
        return not re.match(r"\s*(?:that\s+)?[^.;]{0,80}?\bwould\b", rest)
    return False


def stated_number(hedges: list[Hedge]) -> Hedge | None:
    """The first stated chance among ``hedges``, if any."""
    return next((h for h in hedges if h.kind == "number"), None)


def primary(hedges: list[Hedge]) -> Hedge:
    """The hedge a candidate is read through: the strongest kind of signal, then the first."""
    order = [
        "number",
        "explicit",
        "expectation",
        "projection",
        "forecast-noun",
        "intention",
        "modal",
        "will",
        "weak",
    ]
    return min(hedges, key=lambda h: (order.index(h.kind), h.start))
