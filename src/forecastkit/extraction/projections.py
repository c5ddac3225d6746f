"""The language of forecasts as reports state them: forecast verbs, forecast nouns, ratings.

Economic, market and election reports rarely say "will probably"; they say who *forecasts*,
*projects*, *sees* or *estimates* what, that something *is projected to* happen, that an
organisation *raised its forecast*, that *the projections show* a figure, that a model gives
*an expectation of* four hikes, that *the likelihood is low*, or report it in the past tense
("the IMF said growth would slow"). :mod:`~forecastkit.extraction.hedges` matches the words;
this module decides, from the neighbouring tokens (no parser is available), whether a match is
the verb of a forecast and not a noun ("the forecast period", "analysts' estimates"), and finds
the phrase-level forms with regular expressions:

- :func:`plausible_verb`: "forecast(s)", "project(s)", "predict(s)", "estimate(s)", "see(s)",
  "seen", past "projected", "expected", "predicted", and "would" after a verb of saying (the
  sequence of tenses: "said growth would slow" reports "growth will slow");
- :func:`phrase_hedges`: a revised forecast ("raised its forecast for ... to $68.91"), a forecast
  noun with its figure ("an expectation of four rate hikes next year", "the median expectation
  for the rate climbing to 3.4%"), a forecast as the subject of a present verb ("the projections
  show", "the new forecasts mark down") and likelihood ratings ("the likelihood ... was low").

A forecast noun qualified as an earlier one ("the previous forecast of 2.8%", "its October
forecast", "a year ago, their projection") describes the past, and is passed over.
"""

from __future__ import annotations

import re
from typing import Any


def _forms(text: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in text.split("|"))


#: The phrase-table rows of these forms (extraction.hedges): written forms, the house-mapping
#: hedge they read as, kind.
TABLE: list[tuple[tuple[str, ...], str, str]] = [
    (
        _forms(
            "is projected to|are projected to|projected to|is forecast to|are forecast to|"
            "forecast to|is forecasted to|forecasted to|is predicted to|are predicted to|"
            "predicted to|is estimated to|are estimated to|is tipped to|are tipped to|tipped to|"
            "is seen|are seen|seen"
        ),
        "is expected to",
        "expectation",
    ),
    (
        _forms(
            "forecast|forecasts|project|projects|predict|predicts|estimate|estimates|foresee|"
            "foresees|see|sees|projected|expected|predicted|forecasted|estimated|saw|foresaw|"
            "is forecasting|are forecasting|is projecting|are projecting|is predicting|"
            "are predicting|is expecting|are expecting|is estimating|are estimating"
        ),
        "we expect",
        "projection",
    ),
    (("would",), "will", "will"),
    (_forms("going to|is going to|are going to"), "will", "will"),
    (
        _forms(
            "not going to|is not going to|are not going to|isn't going to|aren't going to|"
            "isn’t going to|aren’t going to"
        ),
        "will not",
        "will",
    ),
]
#: Words before a forecast word that make it a noun ("the forecast", "its projections").
DETERMINERS = set(
    """the a an its their his her our my your this these those that's latest previous prior new
    earlier initial official current quarterly annual monthly weekly consensus same median
    average last old original revised 's ’s ' ’ of and or own""".split()
)
#: Words before a plural forecast word that make it a noun ("recent estimates", "growth
#: forecasts"): adjectives and nouns that qualify forecasts.
NOUN_MODIFIERS = set(
    """recent various latest new current previous prior earlier initial official private
    independent consensus analyst analysts' market growth economic budget revenue sales earnings
    inflation price oil demand production population weather election poll long-range
    short-term long-term medium-term annual quarterly monthly conservative optimistic
    pessimistic upbeat gloomy rosy bullish bearish rival competing own such these those
    other some many most""".split()
)
#: Words after a forecast word that make it a noun ("forecast period", "forecast was wrong").
NOUN_FOLLOWERS = set(
    """. , ; : ? ! ) — – period horizon range was were is are has had have for of error errors
    revision revisions from manager managers data team model models 's ’s by""".split()
)
#: Verbs of saying and thinking after which "would" reports a "will" (announcements, reports
#: and claims of plans are left out: "announced that he would visit" is a plan, not a forecast).
SAYING = set(
    """said says added adds warned warns predicted predicts expected expects forecast forecasts
    believed believes thought thinks estimated estimates projected projects noted notes argued
    argues insisted insists wrote writes cautioned cautions suggested suggests reckoned reckons
    feared fears concluded assessed judged anticipated""".split()
)
_NEGATED = {"not", "n't", "never", "failed", "refused", "declined", "unable"}
_AUX = {"to", "will", "would", "can", "could", "may", "might", "'ll", "let", "must", "should"}
_CHANGE_ING = set(
    """rising falling slowing growing declining increasing decreasing dropping climbing ending
    coming reaching hitting averaging remaining staying peaking easing accelerating recovering
    returning shrinking contracting expanding topping exceeding moderating stabilising
    stabilizing weakening strengthening rebounding improving worsening deteriorating
    narrowing widening slipping edging holding""".split()
)
_PRESENT = {"forecasts", "projects", "predicts", "estimates", "foresees"}
_BASE = {"forecast", "project", "predict", "estimate", "foresee"}
_PAST = {"projected", "expected", "predicted", "forecasted", "estimated", "saw", "foresaw"}
_PRONOUNS = {"we", "they", "i", "you", "it", "he", "she", "which", "that", "who"}
_ADVERBS = {"also", "now", "still", "currently", "further", "already", "broadly", "generally"}
#: Time words between a subject and its verb ("IMS Research last week forecast ...").
_TIME_WORDS = {"week", "month", "year", "today", "yesterday", "monday", "tuesday", "wednesday"}
_TIME_WORDS |= {"thursday", "friday", "saturday", "sunday", "recently", "previously"}

_PAST_MODIFIER = re.compile(
    r"\b(?:previous|prior|earlier|old|original|initial|last|former|January|February|March|April|"
    r"May|June|July|August|September|October|November|December|spring|summer|autumn|fall|"
    r"winter)(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
_NOUNS = r"forecasts?|guidance|outlook|projections?|estimates?|predictions?|expectations?|targets?"
_REVISED = re.compile(
    r"\b(?:raised|raises|raise|raising|lifted|lifts|lift|lowered|lowers|lower|cut|cuts|slashed|"
    r"slashes|trimmed|trims|upgraded|upgrades|downgraded|downgrades|revised|revises|reaffirmed|"
    r"reaffirms|reiterated|reiterates|maintained|maintains|kept|keeps|narrowed|narrows|boosted|"
    r"boosts|hiked|hikes|increased|increases|reduced|reduces|(?:ratcheted|ratchets|nudged|"
    r"nudges|edged|edges|marked|marks)\s+(?:up|down))\s+(?:its|their|his|her|the|our)\s+"
    rf"(?P<mods>(?:[\w’'-]+\s+){{0,4}}?)(?P<noun>{_NOUNS})\b",
    re.I,
)
_NOUN_OF = re.compile(
    r"\b(?P<noun>expectations?|forecasts?|projections?|predictions?|estimates?|guidance)\s+"
    r"(?:of|for|that)\b",
    re.I,
)
_NOUN_SHOWS = re.compile(
    r"\b(?P<noun>forecasts|projections|estimates|predictions|forecast|projection|outlook|model)"
    r"\s+(?:now\s+|also\s+|still\s+)?(?:show|shows|suggest|suggests|see|sees|point\s+to|"
    r"points\s+to|put|puts|mark|marks|imply|implies|indicate|indicates|call\s+for|calls\s+for|"
    r"predict|predicts|project|projects|foresee|foresees|anticipate|anticipates|envisage|"
    r"envisages|assume|assumes|give|gives)\b",
    re.I,
)
#: A forecast noun with a participle and its figure: "the mean forecast showing growth at 1.55%".
_NOUN_SHOWING = re.compile(
    r"\b(?P<noun>forecasts?|projections?|estimates?|predictions?|outlook|model)\s+"
    r"(?:showing|suggesting|pointing\s+to|calling\s+for|seeing|putting|implying|indicating|"
    r"predicting|projecting|envisaging|giving)\b",
    re.I,
)
#: A method described, not a forecast made: "a model that predicts", "tools which forecast".
_METHOD = re.compile(
    r"(?:\b(?:a|an|any|such)\s+(?:[\w-]+\s+){0,2}?(?:model|method|tool|algorithm|formula|"
    r"system|approach|technique|program|programme)|\b(?:models|methods|tools|algorithms|"
    r"formulas|systems|approaches|techniques|programs))\s+(?:that|which)\s*$",
    re.I,
)
#: A forecast a reported result is measured against: "rose 3%, beating estimates of 2.5%",
#: "ahead of the consensus forecast of", "in line with expectations".
_YARDSTICK = re.compile(
    r"\b(?:beat(?:ing|s)?|top(?:ping|ped|s)|ahead\s+of|behind|miss(?:ing|ed|es)?|above|below|"
    r"exceed(?:ing|ed|s)|short\s+of|in\s+line\s+with|compared\s+(?:with|to)|versus|vs\.?|"
    r"than|against|outpac(?:ing|ed|es))\s+(?:the\s+|its\s+|their\s+|analysts['’]?\s+|"
    r"market\s+|consensus\s+|average\s+|median\s+|mean\s+)*$",
    re.I,
)
_RATING = re.compile(
    r"\b(?P<noun>likelihood|probability|chances?|risks?|odds)\b(?:\s+(?:of|that)\b[^.;]{0,80}?)?"
    r"\s+(?:is|was|are|were|remains?|remained|seen\s+as|rated|judged|put\s+at|considered|"
    r"assessed\s+as)\s+(?:(?:very|relatively|fairly|quite|extremely|now|still|only)\s+|[“\"'‘])*"
    r"(?P<level>low|moderate|medium|high|small|slim|remote|considerable|significant|"
    r"substantial|elevated|minimal|negligible)\b",
    re.I,
)
_AGO = re.compile(r"\b(?:ago|in\s+the\s+past|used\s+to)\b", re.I)
#: A figure (not a year, not a duration): "3.4%", "$48", "four rate hikes".
_FIGURE = re.compile(
    r"(?<![\w.])(?!(?:19|20)\d\d\b)\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)"
    r"\s+(?!(?:years|months|weeks|days|decades|quarters)\b)[a-z]+s\b"
)
_FUTURE = re.compile(
    r"\b(?:next|coming|upcoming|this\s+year|later\s+this|rest\s+of|remainder\s+of|"
    r"end\s+of\s+(?:this|next|the\s+year)|by\s+the\s+end|in\s+the\s+future|going\s+forward|"
    r"ahead|through\s+(?:19|20)\d\d)\b",
    re.I,
)


def _token(doc: Any, i: int, sent: Any) -> str:
    return doc[i].lower_ if sent.start <= i < sent.end else ""


def verb_like(prev: str, nxt: str) -> bool:
    """Whether a forecast word between ``prev`` and ``nxt`` reads as a verb, not a noun."""
    return prev not in DETERMINERS and nxt not in NOUN_FOLLOWERS and nxt != ""


def plausible_verb(doc: Any, span: Any, sent: Any) -> bool | None:
    """Whether a one-word forecast verb (or "would") is one here; None when ``span`` is not
    such a word (the caller decides)."""
    if len(span) != 1:
        return None
    word = span[0].lower_
    if word != "would" and span.start > sent.start and span[0].text[:1].isupper():
        return False  # part of a name mid-sentence: "the Polls-Plus Forecast"
    prev = _token(doc, span.start - 1, sent)
    nxt = _token(doc, span.end, sent)
    if word == "would":
        # reported speech only: a verb of saying before it, not negated ("failed to predict
        # that X would"), and not inside a direct quotation (which keeps the speaker's tense)
        if nxt in {"have", "'ve", "like", "rather"} or _in_quotation(doc, span):
            return False
        return any(
            t.lower_ in SAYING and not _negated(doc, t.i, sent)
            for t in doc[sent.start : span.start]
        )
    if word in {"see", "sees"}:
        if prev in _AUX or prev in DETERMINERS:
            return False
        return _figure_or_change(doc, span.end, min(sent.end, span.end + 12))
    if word == "seen":
        if prev not in {"is", "are", "be", "being", "'s", "now", "also", "widely", "was", "were"}:
            return False
        return (
            nxt in {"at", "as", "to"}
            or nxt in _CHANGE_ING
            or _figure_or_change(doc, span.end, min(sent.end, span.end + 6))
        )
    if word in _PRESENT | _BASE and _METHOD.search(doc[sent.start : span.start].text + " "):
        if not _figure_or_change(doc, span.end, sent.end):
            return False  # "a model that predicts the spread": a method, not a forecast
    if word in _PRESENT:
        return prev not in NOUN_MODIFIERS and verb_like(prev, nxt)
    if word in _BASE:
        if _negated(doc, span.start, sent):
            return False  # "failed to predict": no forecast was made
        subject = (
            prev in _PRONOUNS
            or prev in _ADVERBS
            or prev in _TIME_WORDS
            or prev == "to"
            or (prev.endswith("s") and prev not in DETERMINERS)
            or (span.start > sent.start and doc[span.start - 1].text[:1].isupper())
        )
        return subject and verb_like(prev, nxt)
    if word in _PAST:
        return prev not in {"is", "are", "be", "been", "being", "was", "were", "had", "as"} and (
            verb_like(prev, nxt)
        )
    return None


def needs_future(word: str) -> bool:
    """Past-tense forecast verbs ("it expected prices to average ...") count only when the
    sentence points to the future: otherwise they report an old expectation."""
    return word.lower() in _PAST


def points_to_future(sentence: str, published_year: int | None) -> bool:
    """Whether ``sentence`` names a time after publication ("next year", "by 2027")."""
    if _FUTURE.search(sentence):
        return True
    if published_year is None:
        return False
    return any(int(y) >= published_year for y in re.findall(r"\b((?:19|20)\d\d)\b", sentence))


def _negated(doc: Any, i: int, sent: Any) -> bool:
    """Whether token ``i`` is negated or failed: "did not expect", "failed to predict"."""
    words = [doc[j].lower_ for j in range(max(sent.start, i - 3), i)]
    return bool(set(words) & _NEGATED)


def _in_quotation(doc: Any, span: Any) -> bool:
    before = doc[: span.start].text
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _figure_or_change(doc: Any, start: int, end: int) -> bool:
    for t in doc[start:end]:
        if t.lower_ in _CHANGE_ING or (any(ch.isdigit() for ch in t.text) and t.text[:1] != "Q"):
            return True
    return False


def phrase_hedges(sentence: str) -> list[tuple[int, int, str, str]]:
    """Phrase-level forecast forms in ``sentence``: ``(start, end, text, kind)`` with kind
    ``revised``, ``noun``, ``shows`` or ``rating`` (offsets in the sentence)."""
    found: list[tuple[int, int, str, str]] = []
    past_sentence = bool(_AGO.search(sentence))
    for m in _REVISED.finditer(sentence):
        # the revised figure is the forecast: "raised its forecast ... to $68.91"
        if not _PAST_MODIFIER.search(m.group("mods") or "") and _FIGURE.search(sentence[m.end() :]):
            found.append((m.start(), m.end(), m.group(0), "revised"))
    # a revision without its new value ("downgraded its growth forecast for next year") is
    # no forecast: its noun is not read as a forecast noun either
    bare_revisions = [
        (m.start(), m.end())
        for m in _REVISED.finditer(sentence)
        if not _FIGURE.search(sentence[m.end() :])
    ]
    for m in _NOUN_OF.finditer(sentence):
        before = sentence[max(0, m.start() - 40) : m.start()]
        after = sentence[m.end() :]
        if any(a <= m.start() < b for a, b in bare_revisions) or _YARDSTICK.search(before):
            continue  # a bare revision, or the yardstick of a reported result
        if past_sentence or _PAST_MODIFIER.search(before) or re.search(r"['’]s?\s*$", before):
            continue
        if _FIGURE.search(after) or _FUTURE.search(after):
            found.append((m.start(), m.end(), m.group(0), "noun"))
    for m in _NOUN_SHOWS.finditer(sentence):
        before = sentence[max(0, m.start() - 40) : m.start()]
        if not past_sentence and not _PAST_MODIFIER.search(before):
            found.append((m.start(), m.end(), m.group(0), "shows"))
    for m in _NOUN_SHOWING.finditer(sentence):
        before = sentence[max(0, m.start() - 40) : m.start()]
        if past_sentence or _PAST_MODIFIER.search(before):
            continue
        if _FIGURE.search(sentence[m.end() : m.end() + 80]):
            found.append((m.start(), m.end(), m.group(0), "shows"))
    for m in _RATING.finditer(sentence):
        found.append((m.start(), m.end(), m.group(0), "rating"))
    return found
