"""Who makes a forecast: the speaker named around a sentence, else the byline or publisher.

Patterns, in the order they are tried for a hedge (docs/extraction.md, "Attribution"):

1. inside a quotation: the speaker attached to it (``“...,” said X`` / ``“...,” X said`` /
   ``X said, “...”``), or the speaker of a quotation left open at the end of the previous
   paragraph (a quotation continued over paragraphs);
2. in the sentence: ``X said (that)``, ``according to X``, ``X, a professor at Y, said``, groups
   (``many experts believe``) and pronouns (``they went on``: the last named speaker);
3. a sentence that continues an enumeration (``One is ...``, ``The other ...``) begun by a
   speaker keeps that speaker;
4. otherwise the byline, or the publisher when there is no byline.

Names are resolved to the fullest form seen in the text ("Putin" -> "Vladimir Putin").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

_TOK = r"[A-Z][a-zA-Z'’\-]*\.?"
NAME = rf"{_TOK}(?:\s+{_TOK}){{0,4}}"
_HEADS = (
    "experts|expert|observers|observer|analysts|analyst|officials|official|sources|source|"
    "diplomats|diplomat|economists|economist|scholars|researchers|insiders|commentators|"
    "critics|investors|strategists|forecasters|aides|advisers|advisors|officers|"
    "spokesman|spokeswoman|spokesperson|leaders"
)
GROUP = (
    r"(?:(?i:many|some|most|several|few|other|leading|western|foreign|independent|senior|"
    r"high-level|unnamed|anonymous|diplomatic|government|military|one|two|three|a|an|the)"
    r"\s+|[A-Z][a-z]+\s+|U\.S\.\s+){0,4}(?i:" + _HEADS + r")\b"
)
PRONOUN = r"\b(?:he|she|they|He|She|They)\b"
SAY = (
    r"(?:said|says|say|told|tells|added|adds|wrote|writes|argued|argues|argue|claimed|claims|"
    r"claim|stated|states|noted|notes|warned|warns|warn|predicted|predicts|predict|believes|"
    r"believe|believed|think|thinks|thought|expects|suggested|suggest|suggests|assessed|"
    r"assesses|analyzed|analysed|emphasized|emphasised|emphasizes|stressed|stresses|announced|"
    r"announces|revealed|reveals|insisted|insists|explained|explains|concluded|estimated|"
    r"estimates|cautioned|consider|considers|considered|went on|continued|used to say|"
    r"forecast|forecasts|reckons|reckon|contend|contends|asserted|asserts|reported)"
)
_SUBJ = rf"(?P<subj>{NAME}(?:\s+and\s+{NAME})?|{GROUP}|{PRONOUN})"
_APP = r"(?:,\s+(?P<app>(?:a|an|the)\s[^,;.“”\"]{3,120}|[a-z][^,;.“”\"]{3,120}),)?"
_BEFORE = re.compile(rf"{_SUBJ}{_APP}\s+(?:also\s+|has\s+|have\s+|had\s+)?(?P<verb>{SAY})\b")
_AFTER = re.compile(
    rf"(?P<verb>{SAY})\s+(?P<subj>{NAME}(?:\s+and\s+{NAME})?|{GROUP})"
    r"(?:,\s+(?P<app>[^,;.“”\"]{3,120})[,.])?"
)
_ACCORDING = re.compile(
    rf"\b(?i:according) to\s+(?P<subj>{NAME}|{GROUP})"
    r"(?:,\s+(?P<app>[^,;.]{3,120}),)?"
)
_TITLED = re.compile(
    rf"\b(?:President|Minister|Premier|leader|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Professor|"
    rf"Prof\.?|chief|director|researcher|writer|analyst|Chancellor|Secretary)"
    rf"\s+(?P<name>{_TOK}(?:\s+{_TOK}){{1,3}})"
)
_ENUMERATION = re.compile(
    r"^(?:One|The other|Another|The first|The second|First|Second|Third|"
    r"Finally)\b"
)
_SKIP = {
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
}
_PLACES = {
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
_ORG = re.compile(
    r"\b(?:Ministry|Government|Agency|Institute|Council|Bank|Party|Commission|"
    r"Office|Department|Committee|Organi[sz]ation|Corporation|Inc|Ltd|House|"
    r"Kremlin|Fund|Union|Association|Group)\b"
)
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
_MIN_QUOTATION = 30


@dataclass(frozen=True)
class Speaker:
    """A claimant: display name, claimant role (claim-file vocabulary), how it was found, the
    speaker's words as written ("the agency" for the EIA) and the words of the text the
    attribution rests on (``evidence``: "the agency expects", "“...,” he added")."""

    name: str
    role: str
    how: str
    written: str = ""
    evidence: tuple[str, ...] = ()


@dataclass
class _Quotation:
    start: int
    end: int
    speakers: tuple[Speaker, ...] = ()


@dataclass
class Attributor:
    """Attribution state carried through an article, paragraph by paragraph."""

    byline: str | None = None
    publisher: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    last: tuple[Speaker, ...] = ()
    last_age: int = 99
    open_quote: tuple[Speaker, ...] = ()
    previous: tuple[Speaker, ...] = ()
    _quotes: list[_Quotation] = field(default_factory=list)
    _sentences: list[tuple[Speaker, ...]] = field(default_factory=list)

    def fallback(self) -> tuple[Speaker, ...]:
        """The byline (or the publisher) as claimant."""
        if self.byline:
            return (Speaker(self.byline, "byline author", "byline", self.byline),)
        if self.publisher:
            return (
                Speaker(self.publisher, "organisation", "publisher (no byline)", self.publisher),
            )
        return (Speaker("unknown", "other", "no byline or publisher known"),)

    def paragraph(self, text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> None:
        """Read one paragraph (``text[start:end]``) whose sentences are ``sentences``."""
        for m in _TITLED.finditer(text, start, end):
            self._register(m.group("name"), text[max(0, m.start() - 40) : m.end()])
        self.last_age += 1
        self._quotes = self._quotations(text, start, end)
        self._sentences = []
        for s, e in sentences:
            found = self._explicit(text, s, e)
            if found:
                self._remember(found)
            elif _ENUMERATION.match(text[s:e]) and self.previous:
                found = tuple(
                    replace(p, how="continues an enumeration by " + p.name) for p in self.previous
                )
            self._sentences.append(found)
            self.previous = found
        self.open_quote = ()
        if self._quotes and self._quotes[-1].end >= end and self._quotes[-1].speakers:
            self.open_quote = self._quotes[-1].speakers

    def speakers(self, index: int, position: int) -> tuple[Speaker, ...]:
        """Claimants of the hedge at ``position`` in sentence ``index`` of the last paragraph."""
        for q in self._quotes:
            if q.start <= position < q.end:
                if q.speakers:
                    return q.speakers
                if self.last and self.last_age <= 1:
                    return tuple(
                        replace(s, how="unattributed quotation: last named speaker")
                        for s in self.last
                    )
                break
        return self._sentences[index] or self.fallback()

    # -- the patterns ----------------------------------------------------------------------
    def _explicit(self, text: str, s: int, e: int) -> tuple[Speaker, ...]:
        sentence = text[s:e]
        for pattern, how in (
            (_ACCORDING, "according to {}"),
            (_AFTER, "said {}"),
            (_BEFORE, "{} said"),
        ):
            for m in pattern.finditer(sentence):
                if self._inside_quote(s + m.start()):
                    continue
                context = text[max(0, s + m.start() - 60) : s + m.start()]
                found = self._speakers(
                    m.group("subj"),
                    m.groupdict().get("app"),
                    context,
                    how.format(m.group("subj")),
                    m.group(0).strip(" ,"),
                )
                if found:
                    return found
        return ()

    def _quotations(self, text: str, start: int, end: int) -> list[_Quotation]:
        quotes: list[_Quotation] = []
        opened: int | None = None
        for i in range(start, end):
            ch = text[i]
            if ch == "“" or (ch == '"' and opened is None):
                if opened is None:
                    opened = i
            elif (ch == "”" or ch == '"') and opened is not None:
                quotes.append(_Quotation(opened, i + 1))
                opened = None
        if opened is not None:
            quotes.append(_Quotation(opened, end))
        quotes = [q for q in quotes if q.end - q.start >= _MIN_QUOTATION]
        for k, q in enumerate(quotes):
            q.speakers = self._quote_speakers(text, start, end, q, first=k == 0)
            if q.speakers:
                self._remember(q.speakers)
        return quotes

    def _quote_speakers(
        self, text: str, start: int, end: int, q: _Quotation, first: bool
    ) -> tuple[Speaker, ...]:
        after = text[q.end : min(end, q.end + 200)]
        lead = re.match(r"\s*,?\s*", after).end()
        m = _AFTER.match(after, lead) or _BEFORE.match(after, lead)
        if m:
            subj = m.group("subj")
            return self._speakers(
                subj,
                m.group("app"),
                text[max(0, q.start - 80) : q.start],
                f"“...” {subj}",
                "“...” " + m.group(0).strip(" ,"),
            )
        before = text[max(start, q.start - 200) : q.start]
        m = re.search(
            rf"{_SUBJ}{_APP}\s+(?:also\s+)?(?P<verb>{SAY})(?:\s+that)?\s*[,:.]?\s*$", before
        )
        if m:
            return self._speakers(
                m.group("subj"),
                m.group("app"),
                before,
                f"{m.group('subj')} said “...”",
                m.group(0).strip(" ,:") + " “...”",
            )
        if first and self.open_quote and not text[start : q.start].strip():
            return tuple(
                replace(s, how="quotation continued from the previous paragraph")
                for s in self.open_quote
            )
        return ()

    def _inside_quote(self, position: int) -> bool:
        return any(q.start < position < q.end for q in self._quotes)

    def _speakers(
        self, subj: str, app: str | None, context: str, how: str, evidence: str = ""
    ) -> tuple[Speaker, ...]:
        subj = subj.strip()
        if re.fullmatch(PRONOUN, subj):
            if not self.last:
                return ()
            return tuple(
                replace(
                    s,
                    how=f"'{subj}': the last named speaker",
                    written=subj,
                    evidence=(evidence, *s.evidence),
                )
                for s in self.last
            )
        out = []
        for part in re.split(r"\s+and\s+", subj) if not re.search(GROUP, subj) else [subj]:
            speaker = self._one(part, app, context, how)
            if speaker:
                out.append(replace(speaker, written=part.strip(), evidence=(evidence or subj,)))
        return tuple(out)

    def _one(self, subj: str, app: str | None, context: str, how: str) -> Speaker | None:
        if re.fullmatch(GROUP, subj):
            group = re.sub(r"(?i)^(?:the|a|an)\s+", "", subj)
            return Speaker(
                group[0].lower() + group[1:] if not group.isupper() else group,
                "anonymous source",
                how,
            )
        words = [w for w in subj.split() if w.rstrip(",") not in _SKIP]
        if not words:
            return None
        name = " ".join(words)
        if name in _PLACES or _ORG.search(name):
            return Speaker(name, "organisation", how)
        name = self.names.get(name, name) if len(words) == 1 else name
        self._register(name, context + " " + (app or ""))
        role = self.roles.get(name, "other")
        if app:
            role = _role(app) or role
            self.roles[name] = role
        return Speaker(name, role, how)

    def _register(self, name: str, context: str) -> None:
        words = [w for w in name.split() if w not in _SKIP]
        if len(words) < 2:
            return
        full = " ".join(words)
        self.names[words[0]] = full
        self.names[words[-1]] = full
        role = _role(context)
        if role and full not in self.roles:
            self.roles[full] = role

    def _remember(self, speakers: tuple[Speaker, ...]) -> None:
        self.last = speakers
        self.last_age = 0


def _role(text: str) -> str | None:
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
