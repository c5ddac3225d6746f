"""The words that name a speaker: names, groups, organisations, reports, verbs of saying.

Regular expressions and word lists used by :mod:`~forecastkit.extraction.attribution`; no
state. A *subject* is who speaks before the verb ("the IMF forecasts", "analysts polled by
Thomson Reuters expect", "officials in Seoul said", "the agency expects", "it added"); the
inverted form names them after it ("..., said Maurice Obstfeld"); ``according to`` names them,
their report ("according to a report by the EIA") or the report's owner ("according to the
International Data Corporation's latest forecast").
"""

from __future__ import annotations

import re

#: A capitalised word, accented letters included ("Nestlé", "Société").
_TOK = r"[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|[\-&+]|['’](?!s\b))*\.?"
_CONNECT = r"(?:\s+(?:of|on|for|de|del|der|van|von)(?:\s+the)?)?\s+"
#: A capitalised name of up to six words ("Department of Energy", "U.S. Energy Information
#: Administration (EIA)"); a possessive "'s" is not part of it.
NAME = rf"{_TOK}(?:{_CONNECT}{_TOK}){{0,5}}(?:\s+\([A-Z][A-Za-z&.+]{{1,9}}\))?"
_HEADS = (
    "experts|expert|observers|observer|analysts|analyst|officials|official|sources|source|"
    "diplomats|diplomat|economists|economist|scholars|researchers|insiders|commentators|"
    "critics|investors|strategists|forecasters|aides|advisers|advisors|officers|"
    "spokesman|spokeswoman|spokesperson|leaders|policymakers|policy makers|members|"
    "participants|respondents|bankers|executives|traders|pollsters|lawmakers|legislators|"
    "planners|regulators|authorities|markets|managers|fund managers|voters|consumers|"
    "businesses|firms|companies|scientists|scientist|epidemiologists|meteorologists|"
    "climatologists|modelers|modellers|statisticians|demographers|handicappers|oddsmakers"
)
_MODIFIERS = (
    r"(?:(?i:many|some|most|several|few|fewer|more|other|leading|western|foreign|independent|"
    r"senior|high-level|unnamed|anonymous|diplomatic|government|military|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|a|an|the|all|both|top|private|its|their|central\s+bank|"
    r"bank|industry|market|policy)\s+|[A-Z][a-z]+\s+|U\.S\.\s+|US\s+|UK\s+|EU\s+){0,4}"
)
_GROUP_TAIL = (
    rf"(?:\s+(?:polled|surveyed|questioned|interviewed|cited|quoted)\s+by\s+(?:the\s+)?{NAME}"
    rf"|\s+(?:in|from|at)\s+(?:the\s+)?(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    rf"January|February|March|April|May|June|July|August|September|October|November|December)"
    rf"\b){NAME})?"
)
#: A group of people ("many analysts", "Fed policymakers", "four officials", "analysts polled
#: by Thomson Reuters", "officials in Seoul": the place stays with the group).
GROUP = rf"{_MODIFIERS}(?i:{_HEADS})\b{_GROUP_TAIL}"
_ORG_HEADS = (
    "agency|organization|organisation|fund|department|company|firm|bank|central bank|group|"
    "institute|ministry|government|committee|commission|council|administration|office|board|"
    "authority|union|association|corporation|think tank|center|centre|bureau|cartel|alliance|"
    "lender|insurer|carrier|manufacturer|maker|producer|exporter|regulator|agencies"
)
#: "the agency", "the Fund", "the central bank", "a US think tank".
ORG_DESC = (
    r"(?:[Tt]he|[Tt]his|[Tt]hat|[Aa]n?)\s+(?:(?!(?:the|a|an|this|that)\s)(?:[A-Z][A-Za-z.\-]*,?|"
    r"[a-z0-9]+(?:-[a-z]+)?)\s+){0,3}?"
    rf"(?i:{_ORG_HEADS})\b"
    # "the Vevey-based maker of chocolate", "the maker of the drug": what it makes
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+)?)?"
)
DOC_NOUNS = (
    "report|survey|forecast|forecasts|study|analysis|outlook|projections|estimates|model|poll|"
    "tracker|review|assessment|statement|update|bulletin|paper|index"
)
#: "the report", "its latest outlook", "the survey".
DOC_DESC = (
    r"(?:[Tt]he|[Tt]his|[Ii]ts|[Tt]heir|[Aa]n?|[Nn]ew)\s+(?:[\w-]+\s+){0,3}?"
    rf"(?P<doc>{DOC_NOUNS})\b"
)
PRONOUN = r"\b(?:he|she|they|it|He|She|They|It)\b"
_VERBS = (
    r"said|says|say|told|tells|added|adds|wrote|writes|argued|argues|argue|claimed|claims|"
    r"claim|stated|states|noted|notes|warned|warns|warn|predicted|predicts|predict|believes|"
    r"believe|believed|think|thinks|thought|expects|expect|expected|suggested|suggest|suggests|"
    r"assessed|assesses|analyzed|analysed|emphasized|emphasised|emphasizes|stressed|stresses|"
    r"announced|announces|revealed|reveals|insisted|insists|explained|explains|concluded|"
    r"estimated|estimates|estimate|cautioned|cautions|consider|considers|considered|went on|"
    r"continued|used to say|forecast|forecasts|reckons|reckon|contend|contends|asserted|"
    r"asserts|reported|projects|project|projected|sees|see|foresees|foresee|anticipates|"
    r"anticipate|anticipated|highlighted|highlights|pointed out|points out|reminded|observed|"
    r"signaled|signalled|signals|indicated|indicates|acknowledged|remarked|commented|"
    r"reiterated|maintained|maintains|guided|"
    r"(?:is|are)\s+(?:forecasting|projecting|predicting|expecting|estimating|anticipating|seeing)"
)
#: A revised forecast names its author: "the World Bank slashed its forecast".
_REVISED = (
    r"(?:raise[sd]?|lift(?:s|ed)?|lower(?:s|ed)?|cuts?|slash(?:es|ed)?|trim(?:s|med)?|"
    r"upgrade[sd]?|downgrade[sd]?|revise[sd]?|reaffirm(?:s|ed)?|boost(?:s|ed)?|narrow(?:s|ed)?|"
    r"increase[sd]?|reduce[sd]?|upped|ups|(?:ratcheted|nudged|edged|marked|bumped)\s+"
    r"(?:up|down))\s+(?:its|their|his|her)\s+(?:[\w-]+\s+){0,4}?(?:forecasts?|guidance|"
    r"outlook|projections?|estimates?|predictions?|expectations?)"
)
#: Verbs of saying and forecasting, and revised forecasts, after a subject.
SAY = rf"(?:{_VERBS}|{_REVISED})"
#: Said after the subject without changing who speaks ("the IMF on Tuesday said").
_BETWEEN = (
    r"(?:\s+(?:also|now|still|currently|further|again|already|previously|recently|today|"
    r"yesterday|then|on\s+average|this\s+week|last\s+week|on\s+(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)|on\s+[A-Z][a-z]+\.?\s+\d{1,2}|in\s+a\s+statement|has|"
    r"have|had|continues\s+to|continue\s+to|continued\s+to|went\s+on\s+to|to|slightly|sharply|"
    r"only|both|all|broadly))*"
)
_APP = r"(?:,\s+(?P<app>(?:a|an|the)\s[^,;.“”\"]{3,120}|[a-z][^,;.“”\"]{3,120}),)?"
SUBJ = (
    rf"(?P<subj>(?:{GROUP})|(?:{ORG_DESC})|(?:{DOC_DESC})|{NAME}(?:\s+and\s+{NAME})?"
    rf"|{PRONOUN}|\bwhich\b)"
)
#: Subject, verb: "the IMF forecasts", "analysts currently expect", "it added".
BEFORE = re.compile(rf"{SUBJ}{_APP}{_BETWEEN}\s+(?P<verb>{SAY})\b")
#: Verb, subject, after a quotation or a comma: "..., said Maurice Obstfeld".
_AFTER_VERBS = rf"(?:{_VERBS})"
AFTER = re.compile(
    rf"(?P<verb>{_AFTER_VERBS})\s+(?P<subj>{GROUP}|{ORG_DESC}|{DOC_DESC}|{NAME}"
    rf"(?:\s+and\s+{NAME})?)"
    r"(?:,\s+(?P<app>[^,;.“”\"]{3,120})[,.])?"
)
_OWNER = rf"(?P<owner>{GROUP}|{ORG_DESC}|{NAME})"
#: "according to X", "according to a report by X", "according to X's latest forecast".
ACCORDING = re.compile(
    r"\b(?i:according)\s+to\s+(?:"
    rf"(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Tt]his|[Nn]ew)\s+(?:[\w-]+\s+){{0,3}}?(?:{DOC_NOUNS})"
    rf"\s+(?:(?:released|published|issued|compiled|conducted|prepared|produced)\s+)?"
    rf"(?:by|from)\s+{_OWNER}"
    rf"|(?:the\s+)?(?P<possessor>{NAME}|{ORG_DESC})['’]s?\s"
    rf"|(?P<subj>{GROUP}|{ORG_DESC}|{DOC_DESC}|{NAME})(?:,\s+(?P<app>[^,;.]{{3,120}}),)?"
    r")"
)
#: Who gives a chance: "Nate Silver gives Trump a 44 percent chance" (not who has it).
CHANCE_GIVER = re.compile(
    rf"{SUBJ}{_BETWEEN}\s+(?P<verb>gives|gave|give|puts|put|assigns|assigned)"
    r"\s+[^.;:]{0,60}?(?:\b\d{1,3}(?:\.\d+)?\s?(?:%|per\s?cent\b|percent\b)|"
    r"\b(?:one|two|three|four|five)[- ]in[- ]\w+)\s+(?:chance|probability|likelihood|odds|"
    r"possibility|shot)\b"
)
#: "forecasts from X", "projections by X": the forecasts' authors.
FORECASTS_FROM = re.compile(
    r"\b(?:forecasts?|projections?|estimates?|predictions?)\s+(?:released\s+)?(?:from|by)\s+"
    + _OWNER
)
#: Who owns a report: "X's latest outlook", "a survey released by X", "X has released its
#: forecast", "In its latest outlook, X ...".
OWNERS = [
    re.compile(rf"(?P<owner>{NAME})['’]s\s+(?:[\w-]+\s+){{0,4}}?(?P<doc>{DOC_NOUNS})\b"),
    re.compile(
        rf"\b(?P<doc>{DOC_NOUNS})\s+(?:(?:released|published|issued|compiled|conducted|"
        rf"prepared|produced)\s+)?by\s+(?:the\s+)?{_OWNER}"
    ),
    re.compile(
        rf"(?P<owner>{NAME}|{ORG_DESC})(?:,\s+[^,;.“”\"]{{3,120}},)?(?:\s+on\s+\w+)?\s+"
        rf"(?:has\s+|have\s+)?(?:released|published|issued|unveiled|put\s+out)\s+"
        rf"(?:its|their|his|her|a|an|the)\s+(?:[\w-]+\s+){{0,4}}?(?P<doc>{DOC_NOUNS})\b"
    ),
    re.compile(
        rf"\b[Ii]n\s+its\s+(?:[\w-]+\s+){{0,5}}?(?P<doc>{DOC_NOUNS})\b[^.]{{0,120}}?,\s+"
        rf"(?:the\s+)?(?P<owner>{NAME})"
    ),
]
#: A forecast as the subject, its owner before it: "The Bank of England's forecasts show",
#: "NOAA's latest projections call for", "Its models suggest".
POSSESSIVE_DOC = re.compile(
    rf"(?:\b[Tt]he\s+)?(?P<subj>{NAME}(?=['’]s\s)|\b[Ii]ts(?=\s)|\b[Tt]heir(?=\s))(?:['’]s)?\s+"
    rf"(?:[\w-]+\s+){{0,3}}?(?P<doc>{DOC_NOUNS}|models?|simulations?)\s+"
    r"(?P<verb>show|shows|showed|call|calls|point|points|suggest|suggests|see|sees|indicate|"
    r"indicates|predict|predicts|project|projects|put|puts|give|gives|imply|implies|have|has|"
    r"expect|expects|envisage|envisages)\b"
)
#: A forecasting model named in the text: "our computer model, the Predictalator", "the
#: Oracle model", "the Simulatron simulated the season 10,000 times".
_NOT_DET = r"(?!(?:Our|Its|Their|His|Her|My|Your|The|This|That|A|An|Each|Every)\b)"
MODEL = re.compile(
    r"\b(?:model|simulator|simulation|projection\s+system|computer)s?,?\s+(?:called\s+|named\s+|"
    rf"dubbed\s+|known\s+as\s+)?(?:the\s+)?{_NOT_DET}(?P<a>{_TOK})"
    rf"|(?:\b[Tt]he\s+)?{_NOT_DET}(?P<b>{_TOK})(?:['’]s)?\s+(?:computer\s+|forecast(?:ing)?\s+|"
    r"projection\s+|prediction\s+)?(?:model|simulator|simulations)\b"
    rf"|(?:\b[Tt]he\s+)?{_NOT_DET}(?P<c>{_TOK})\s+(?:simulated|simulates|ran|runs|played|plays)\b"
    r"[^.;]{0,60}?\b\d[\d,]*\s+times\b"
)
#: Organisations mentioned without speaking: "the EIA’s latest STEO", "IDC’s Mobility ...".
POSSESSOR = re.compile(rf"(?:\b[Tt]he\s+)?(?P<name>{NAME})['’]s\s")
TITLED = re.compile(
    rf"\b(?:President|Minister|Premier|leader|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Professor|"
    rf"Prof\.?|chief|director|researcher|writer|analyst|Chancellor|Secretary)"
    rf"\s+(?P<name>{_TOK}(?:\s+{_TOK}){{1,3}})"
)
ENUMERATION = re.compile(
    r"^(?:One|The other|Another|The first|The second|First|Second|Third|Finally)\b"
)
#: Words before a capitalised name that make it a place or an object, not a subject.
PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:in|at|from|of|near|across|throughout|to|for|with|by|than|about|over|into|on|"
    r"between|against|toward|towards|around|under|versus|beyond|inside|outside|as)\s+"
    r"(?:the\s+)?|['’]s\s+(?:[\w-]+\s+){0,2})$",
    re.I,
)
DATES = {
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Today",
    "Yesterday",
    "Tomorrow",
}
SKIP = {
    "President",
    "Prime",
    "Minister",
    "Foreign",
    "Defense",
    "Defence",
    "Deputy",
    "Vice",
    "Premier",
    "Secretary",
    "General",
    "Chairman",
    "Leader",
    "Dr.",
    "Dr",
    "Mr.",
    "Mr",
    "Mrs.",
    "Ms.",
    "Prof.",
    "Professor",
    "Senator",
    "Governor",
    "Ambassador",
    "Chancellor",
    "Russian",
    "Chinese",
    "American",
    "Korean",
    "Japanese",
    "U.S.",
    "US",
    "Former",
    "Then",
    "New",
    "The",
    "Obviously",
    "However",
    "But",
    "And",
    "So",
    "Also",
    "Meanwhile",
    "Still",
    "Yet",
    "Instead",
    "Moreover",
    "Further",
    "Furthermore",
    "Indeed",
    "Now",
    "Today",
    "As",
    "In",
    "On",
    "At",
    "While",
    "When",
    "If",
    "It",
    "This",
    "That",
    "These",
    "Those",
    "Despite",
    "For",
    "Overall",
    "Finally",
    "Notably",
    "According",
    # function words: capitalised at a sentence start, never a speaker ("Of the ...", "Its")
    "Its",
    "Their",
    "His",
    "Her",
    "Our",
    "My",
    "Your",
    "Of",
    "By",
    "From",
    "With",
    "To",
    "After",
    "Before",
    "Under",
    "Over",
    "Among",
    "Through",
    "During",
    "Since",
    "Until",
    "About",
    "Against",
    "Between",
    "Into",
    "Within",
    "Without",
    "Across",
    "He",
    "She",
    "They",
    "We",
    "You",
    "There",
    "Here",
    "What",
    "Which",
    "Who",
    "Where",
    "Why",
    "How",
    "A",
    "An",
    "Each",
    "Every",
    "Some",
    "All",
    "Any",
    "Many",
    "Most",
}
PLACES = {
    "Moscow",
    "Beijing",
    "Washington",
    "Pyongyang",
    "Seoul",
    "Tokyo",
    "Kremlin",
    "London",
    "Paris",
    "Berlin",
    "Brussels",
    "Kyiv",
    "Kiev",
    "Delhi",
    "Tehran",
    "Ankara",
}
ORG = re.compile(
    r"\b(?:Ministry|Government|Agency|Institute|Council|Bank|Party|Commission|"
    r"Office|Department|Committee|Organi[sz]ation|Corporation|Corp|Inc|Ltd|House|"
    r"Kremlin|Fund|Union|Association|Group|Administration|Reserve|Fed|Authority|Board|"
    r"Bureau|Center|Centre|Research|Analytics|Partners|Capital|Securities|Economics|Insights|"
    r"Intelligence|Consulting|Associates|Holdings|Labs|Technologies|Systems|Ratings|Markets)\b"
    r"|^[A-Z][A-Z&+]{1,6}$|\([A-Z][A-Za-z&.+]{1,9}\)$"
)
#: Organisation words in a name ("Energy Information Administration (EIA)"): what makes a name
#: met in passing an organisation (a bare acronym, "STEO", "CAGR", may be anything).
ORG_WORDS = re.compile(ORG.pattern.replace(r"|^[A-Z][A-Z&+]{1,6}$", ""))
_EXPERT = re.compile(
    r"(?i)\b(?:professor|researcher|research|fellow|analyst|expert|scholar|"
    r"economist|scientist|lecturer|institute|university|think tank|center|"
    r"centre|academy|division)\b"
)
_OFFICIAL = re.compile(
    r"(?i)\b(?:presiden\w*|minister|spokes\w+|official|ambassador|diplomat|"
    r"secretary|premier|chancellor|governor|senator|leader|general|commander|"
    r"mayor|ministry|government)\b"
)


#: Quick tests before the costly patterns run on a sentence.
HAS_VERB = re.compile(rf"\b{SAY}\b")
HAS_HEAD = re.compile(rf"(?i:\b(?:{_HEADS})\b)")
HAS_DOC = re.compile(rf"\b(?:{DOC_NOUNS})\b", re.I)


_ABBREVIATIONS = {"Corp.", "Inc.", "Co.", "Ltd.", "Jr.", "Bros.", "Sr.", "Plc.", "S.A.", "U.S."}


def clean_name(name: str) -> str:
    """A name without the sentence's full stop ("IDC." -> "IDC"; "Celgene Corp." kept)."""
    name = name.strip()
    last = name.split()[-1] if name.split() else ""
    if name.endswith(".") and last not in _ABBREVIATIONS and not re.fullmatch(r"[A-Z]\.", last):
        return name[:-1]
    return name


def role_of(text: str) -> str | None:
    """``quoted official`` or ``quoted expert`` from words around a name, if any."""
    if _OFFICIAL.search(text):
        return (
            "quoted official"
            if not _EXPERT.search(text) or "ministry" in text.lower()
            else "quoted expert"
        )
    if _EXPERT.search(text):
        return "quoted expert"
    return None


def is_group(subj: str) -> bool:
    """Whether ``subj`` is a group of people ("Fed policymakers", "analysts polled by ...")."""
    return re.fullmatch(GROUP, subj) is not None


def is_org_desc(subj: str) -> bool:
    """Whether ``subj`` is a description of an organisation ("the agency", "the Fund", "a US
    think tank"), not its proper name ("the Harbour Board": capitalised words before the head)."""
    if re.fullmatch(ORG_DESC, subj) is None:
        return False
    words = subj.split()[1:]
    return not (len(words) >= 2 and all(w[:1].isupper() for w in words))


def doc_of(subj: str) -> str | None:
    """The report noun of a description of a report ("the survey" -> "survey"), if any."""
    m = re.fullmatch(DOC_DESC, subj)
    return m.group("doc").lower().rstrip("s") if m else None


def org_head(subj: str) -> str:
    """The head word of an organisation description ("the central bank" -> "bank", "the
    Vevey-based maker of chocolate" -> "maker")."""
    heads = re.findall(rf"(?i)\b(?:{_ORG_HEADS})\b", subj)
    return heads[-1].lower() if heads else subj.split()[-1].lower()


def appositive(before: str) -> bool:
    """Whether text ending in ``before`` puts what follows in apposition to a name
    ("..., said Kim Sung-bae and Kim Jong-won, researchers at ...")."""
    m = re.search(r"([A-Z][\w'’.-]*)\s*,\s*$", before)
    return bool(m and m.start(1) > 0 and m.group(1) not in SKIP | DATES)


def person_name(name: str) -> bool:
    """A person's name: two to four capitalised words, none a place or a title word."""
    words = [w for w in name.split() if w not in SKIP]
    return (
        2 <= len(words) <= 4
        and not any(w in PLACES or w in DATES for w in words)
        and all(re.fullmatch(r"[A-Z][a-z][\w'’-]*\.?", w) for w in words)
    )
