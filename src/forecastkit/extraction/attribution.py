"""Who makes a forecast: the speaker named around a sentence, else the byline or publisher.

Patterns, in the order they are tried for a hedge (docs/extraction.md, "Attribution"; the
words are in :mod:`~forecastkit.extraction.speakers`):

1. inside a quotation: the speaker attached to it (``“...,” said X`` / ``“...,” he added`` /
   ``X said, “...”``), or the speaker of a quotation left open at the end of the previous
   paragraph (a quotation continued over paragraphs);
2. in the sentence: the subject of a verb of saying or forecasting (``the IMF forecasts``,
   ``analysts polled by Thomson Reuters expect``, ``officials in Seoul said``, ``the agency
   expects``, ``it added``), ``according to X`` (or to X's report, or a report by X), ``said X``
   after a comma, ``forecasts from X``;
3. a sentence that continues an enumeration (``One is ...``) keeps the previous speaker;
4. a sentence without a speaker that states a figure, or uses a forecast passive ("is projected
   to", "is seen"), is the last organisation's or group's that spoke (within three paragraphs):
   the figures in prose of a report are its author's;
5. otherwise the byline, or the publisher when there is no byline.

Pronouns and descriptions are resolved to what the text named before: "he"/"she" to the last
named speaker, "they" to the last group, "it" and "the agency" to the last organisation (one
whose name has the description's head word first), "the report" to its owner ("the EIA's
latest outlook"). Names are resolved to the fullest form seen ("Putin" -> "Vladimir Putin"). A
date ("said Monday"), a place after a preposition ("officials in Seoul": the officials) and the
object of the verb ("X expects Y to ...": X) are never speakers. Every speaker carries the
words it rests on (``evidence``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import forecastkit.extraction.projections as projections
import forecastkit.extraction.speakers as sp

#: A figure or forecast passive with no speaker is the last organisation's for this many
#: paragraphs after it spoke.
CARRY_PARAGRAPHS = 3
_MIN_QUOTATION = 30
#: Verbs that are also nouns ("the forecast", "estimates"): checked against their neighbours.
_NOUN_LIKE = {"forecast", "forecasts", "project", "projects", "estimate", "estimates", "see"}


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
class _Mention:
    pos: int
    speaker: Speaker
    kind: str  # org | group | person
    spoke: bool = False  # named as a speaker, not only mentioned


def _kind(speaker: Speaker) -> str:
    if speaker.role == "organisation":
        return "org"
    return "group" if speaker.role == "anonymous source" else "person"


@dataclass
class Attributor:
    """Attribution state carried through an article, paragraph by paragraph."""

    byline: str | None = None
    publisher: str | None = None
    names: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    last: tuple[Speaker, ...] = ()
    last_age: int = 99
    last_org: tuple[Speaker, ...] = ()
    last_org_age: int = 99
    open_quote: tuple[Speaker, ...] = ()
    previous: tuple[Speaker, ...] = ()
    mentions: list[_Mention] = field(default_factory=list)
    owners: dict[str, Speaker] = field(default_factory=dict)
    #: One-word names that open a sentence as its subject ("Quanta counted ..."): what "the
    #: research firm" points back to when no organisation was named.
    subjects: list[tuple[int, Speaker]] = field(default_factory=list)
    _quotes: list[_Quotation] = field(default_factory=list)
    _sentences: list[tuple[Speaker, ...]] = field(default_factory=list)
    _carried: list[tuple[Speaker, ...]] = field(default_factory=list)
    _pos: int = 0
    _last_pos: int = 0

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
        for m in sp.TITLED.finditer(text, start, end):
            self._register(m.group("name"), text[max(0, m.start() - 40) : m.end()])
        self.last_age += 1
        self.last_org_age += 1
        if "“" in text[start:end] or '"' in text[start:end]:
            self._early_names(text, start, end)
        self._quotes = self._quotations(text, start, end)
        self._sentences = []
        self._carried = []
        for s, e in sentences:
            recent = self.last_org_age <= CARRY_PARAGRAPHS
            self._carried.append(self.last_org if recent else ())
            self._scan(text, s, e)
            self._pos = s
            found = self._explicit(text, s, e)
            if found:
                self._remember(found)
            elif sp.ENUMERATION.match(text[s:e]) and self.previous:
                found = tuple(
                    replace(p, how="continues an enumeration by " + p.name) for p in self.previous
                )
            self._sentences.append(found)
            self.previous = found
        self.open_quote = ()
        if self._quotes and self._quotes[-1].end >= end and self._quotes[-1].speakers:
            self.open_quote = self._quotes[-1].speakers

    def _early_names(self, text: str, start: int, end: int) -> None:
        """One-word names that speak in this paragraph ("Nestlé said ..."), noted before its
        quotations are read, so "“...,” the maker of chocolate said" can point back to them."""
        for m in sp.BEFORE.finditer(text, start, end):
            name = sp.clean_name(m.group("subj"))
            if re.fullmatch(sp.NAME, name) and self._bare_name(name) and name not in sp.SKIP:
                if name not in sp.DATES:
                    speaker = Speaker(name, "other", "", name, (m.group(0).strip(),))
                    self._mention(speaker, m.start(), "person", spoke=True)

    def speakers(self, index: int, position: int, carry: bool = False) -> tuple[Speaker, ...]:
        """Claimants of the hedge at ``position`` in sentence ``index`` of the last paragraph;
        ``carry``: the sentence states a figure or uses a forecast passive, so with no speaker
        of its own it is the last organisation's or group's (when one spoke recently)."""
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
        if self._sentences[index]:
            return self._sentences[index]
        if carry and self._carried[index]:
            return tuple(
                replace(
                    s,
                    how=f"figures of the last organisation or group to speak: {s.name}",
                    written=s.name,
                )
                for s in self._carried[index]
            )
        return self.fallback()

    # -- the patterns ----------------------------------------------------------------------
    def _explicit(self, text: str, s: int, e: int) -> tuple[Speaker, ...]:
        sentence = text[s:e]
        for m in (
            sp.CHANCE_GIVER.finditer(sentence) if "chance" in sentence or "%" in sentence else ()
        ):
            if self._inside_quote(s + m.start()) or self._not_a_subject(sentence, m):
                continue
            found = self._resolve(m.group("subj"), None, text, s, m, "{} " + m.group("verb"))
            if found:
                return found
        for m in sp.POSSESSIVE_DOC.finditer(sentence) if sp.HAS_DOC.search(sentence) else ():
            if self._inside_quote(s + m.start()):
                continue
            subj = m.group("subj")
            said = f"{{}} {m.group('doc')} {m.group('verb')}"
            if subj.lower() in {"its", "their"}:  # "Its forecasts show": the owner named before
                self._pos = s + m.start()
                pronoun = "it" if subj.lower() == "its" else "they"
                found = self._pronoun(pronoun, m.group(0).strip(), s + m.start())
                found = tuple(replace(f, written=subj) for f in found)
            else:
                found = self._resolve(subj, None, text, s, m, said)
            if found:
                return found
        has_verb = sp.HAS_VERB.search(sentence) is not None
        for m in sp.BEFORE.finditer(sentence) if has_verb else ():
            if self._inside_quote(s + m.start()) or self._not_a_subject(sentence, m):
                continue
            said = " ".join(m.group("verb").split()).replace("{", "").replace("}", "")
            found = self._resolve(m.group("subj"), m.group("app"), text, s, m, "{} " + said)
            if found:
                return found
        for m in sp.ACCORDING.finditer(sentence) if "ccording" in sentence else ():
            if self._inside_quote(s + m.start()):
                continue
            subj = m.group("owner") or m.group("possessor") or m.group("subj")
            found = self._resolve(subj, m.groupdict().get("app"), text, s, m, "according to {}")
            if found:
                return found
        for m in sp.AFTER.finditer(sentence) if has_verb else ():
            if self._inside_quote(s + m.start()) or not re.search(
                r"[,”\"’]\s*$", sentence[: m.start()]
            ):
                continue
            said = m.group("verb").replace("{", "").replace("}", "")
            found = self._resolve(m.group("subj"), m.group("app"), text, s, m, said + " {}")
            if found:
                return found
        for m in sp.FORECASTS_FROM.finditer(sentence):
            found = self._resolve(m.group("owner"), None, text, s, m, "forecasts from {}")
            if found:
                return found
        for m in sp.OWNERS[2].finditer(sentence):  # "X released a model that showed ..."
            found = self._resolve(m.group("owner"), None, text, s, m, "{} released the forecast")
            if found:
                return found
        return ()

    @staticmethod
    def _not_a_subject(sentence: str, m: re.Match[str]) -> bool:
        """A name after a preposition is a place or an object ("in Seoul", "to Pyongyang"), and
        after a possessive a thing owned ("IDC's latest Tracker"); a forecast word followed by
        a noun's neighbours is a noun ("the Tracker forecast.", "forecast period")."""
        subj = m.group("subj")
        if re.fullmatch(sp.PRONOUN + r"|which", subj):
            return False
        if sp.PREPOSITION_BEFORE.search(sentence[: m.start("subj")]):
            return True
        verb = m.group("verb").lower()
        if verb in _NOUN_LIKE:
            nxt = re.match(r"\s*(\w+|[^\w\s]|$)", sentence[m.end() :]).group(1).lower()
            return nxt in projections.NOUN_FOLLOWERS or nxt == ""
        return False

    def _resolve(
        self,
        subj: str,
        app: str | None,
        text: str,
        s: int,
        m: re.Match[str],
        how: str,
    ) -> tuple[Speaker, ...]:
        subj = subj.strip()
        evidence = m.group(0).strip(" ,")
        pos = s + m.start()
        self._pos = pos
        context = text[max(0, pos - 120) : pos]
        return self._speakers(subj, app, context, how.format(subj), evidence, pos)

    def _quotations(self, text: str, start: int, end: int) -> list[_Quotation]:
        quotes: list[_Quotation] = []
        opened: int | None = None
        for i in range(start, end):
            ch = text[i]
            pair = text[i : i + 2]
            if ch == "“" or pair == "‘‘" or (ch == '"' and opened is None):
                if opened is None:
                    opened = i
            elif (ch == "”" or ch == '"') and opened is not None:
                quotes.append(_Quotation(opened, i + 1))
                opened = None
            elif pair == "’’" and opened is not None:  # two single marks as a closing one
                quotes.append(_Quotation(opened, i + 2))
                opened = None
        if opened is not None:
            quotes.append(_Quotation(opened, end))
        quotes = [q for q in quotes if q.end - q.start >= _MIN_QUOTATION]
        for k, q in enumerate(quotes):
            q.speakers = self._quote_speakers(text, start, end, q, first=k == 0)
            if q.speakers:
                self._pos = q.start
                self._remember(q.speakers)
        return quotes

    def _quote_speakers(
        self, text: str, start: int, end: int, q: _Quotation, first: bool
    ) -> tuple[Speaker, ...]:
        after = text[q.end : min(end, q.end + 200)]
        lead = re.match(r"\s*,?\s*", after).end()
        m = sp.AFTER.match(after, lead) or sp.BEFORE.match(after, lead)
        if m:
            subj = m.group("subj")
            return self._speakers(
                subj.strip(),
                m.group("app"),
                text[max(0, q.start - 80) : q.start],
                f"“...” {subj}",
                "“...” " + m.group(0).strip(" ,"),
                q.start,
            )
        before = text[max(start, q.start - 200) : q.start]
        m = re.search(
            rf"{sp.SUBJ}(?:,\s+(?P<app>[^,;.“”\"]{{3,120}}),)?\s+(?:also\s+)?(?P<verb>{sp.SAY})"
            r"(?:\s+that)?\s*[,:.]?\s*$",
            before,
        )
        if m:
            return self._speakers(
                m.group("subj").strip(),
                m.group("app"),
                before,
                f"{m.group('subj')} said “...”",
                m.group(0).strip(" ,:") + " “...”",
                q.start,
            )
        if first and self.open_quote and not text[start : q.start].strip():
            return tuple(
                replace(s, how="quotation continued from the previous paragraph")
                for s in self.open_quote
            )
        return ()

    def _inside_quote(self, position: int) -> bool:
        return any(q.start < position < q.end for q in self._quotes)

    # -- resolving what the words name -----------------------------------------------------
    def _speakers(
        self, subj: str, app: str | None, context: str, how: str, evidence: str, pos: int
    ) -> tuple[Speaker, ...]:
        if subj == "which":
            before = re.search(
                rf"(?:(?P<owner>{sp.NAME})['’]s\s+(?:[\w-]+\s+){{0,6}}?)?(?P<name>{sp.NAME}),\s*$",
                context,
            )
            if before:  # "Nokia, which": Nokia; "IDC's Tracker, which": IDC
                name = sp.clean_name(before.group("owner") or before.group("name"))
                if name.split()[0] not in sp.SKIP | sp.DATES and sp.ORG.search(name):
                    return (Speaker(name, "organisation", how, subj, (evidence, before.group(0))),)
        if re.fullmatch(sp.PRONOUN + r"|which", subj):
            return self._pronoun(subj, evidence, pos)
        if sp.is_group(subj):
            group = re.sub(r"(?i)^(?:the|a|an)\s+", "", subj)
            name = group[0].lower() + group[1:] if not group.split()[0].isupper() else group
            return (Speaker(name, "anonymous source", how, subj, (evidence,)),)
        if sp.is_org_desc(subj):
            return (self._description(subj, how, evidence, pos),)
        doc = sp.doc_of(subj)
        inner = re.findall(rf"\b{sp.NAME}", " ".join(subj.split()[1:])) if doc else []
        inner = [n for n in inner if n.split()[0] not in sp.SKIP | sp.DATES]
        if inner:  # "the OPEC forecast", "the latest IMF projections": the name's
            name = sp.clean_name(inner[0])
            return (Speaker(name, "organisation", f"{how} ({subj}: {name}'s)", subj, (evidence,)),)
        if doc:
            owner = self.owners.get(doc) or self.owners.get("*")
            if owner:
                return (
                    replace(
                        owner,
                        how=f"{how} ({subj}: {owner.name}'s)",
                        written=subj,
                        evidence=(evidence, *owner.evidence[:1]),
                    ),
                )
            return (Speaker(subj, "organisation", how, subj, (evidence,)),)
        out = []
        for part in re.split(r"\s+and\s+", subj):
            speaker = self._one(part, app, context, how)
            if speaker:
                written = sp.clean_name(
                    " ".join(w for w in part.split() if w not in {"But", "And", "So"})
                )
                out.append(replace(speaker, written=written, evidence=(evidence,)))
        return tuple(out)

    def _pronoun(self, subj: str, evidence: str, pos: int) -> tuple[Speaker, ...]:
        low = subj.lower()
        earlier = sorted((mt for mt in self.mentions if mt.pos < pos), key=lambda mt: mt.pos)
        found: tuple[Speaker, ...] = ()
        if low in {"he", "she"}:  # the last person that spoke, or a person named since
            people = [mt for mt in earlier if mt.kind == "person"]
            speaking = self.last and all(_kind(x) == "person" for x in self.last)
            named = {x.name for x in self.last}
            if speaking and (
                not people or people[-1].pos <= self._last_pos or people[-1].speaker.name in named
            ):
                found = self.last
            elif people:
                found = (people[-1].speaker,)
        elif low == "it":  # the last organisation that spoke, else the last one named
            orgs = [mt for mt in earlier if mt.kind == "org"]
            spoke = [mt for mt in orgs if mt.spoke]
            if spoke or orgs:
                found = ((spoke or orgs)[-1].speaker,)
        elif low == "they":  # the last group named, or the last speakers if more recent
            groups = [mt for mt in earlier if mt.kind == "group"]
            plural = self.last and (len(self.last) > 1 or _kind(self.last[0]) == "group")
            if plural and (not groups or groups[-1].pos <= self._last_pos):
                found = self.last
            elif groups:
                found = (groups[-1].speaker,)
        else:  # "which": the antecedent just before, in the same sentence
            near = [mt for mt in earlier if pos - mt.pos < 200 and mt.kind in {"org", "group"}]
            if near:
                found = (near[-1].speaker,)
        return tuple(
            replace(
                s,
                how=f"'{subj}': {s.name}, named before",
                written=subj,
                evidence=(evidence, *s.evidence[:1]),
            )
            for s in found
        )

    def _description(self, subj: str, how: str, evidence: str, pos: int) -> Speaker:
        """'the agency': the last organisation named whose name has the head word, else the
        last one named."""
        head = sp.org_head(subj)
        orgs = sorted(
            (mt for mt in self.mentions if mt.kind == "org" and mt.pos < pos),
            key=lambda mt: mt.pos,
        )
        if not orgs:  # "Gartner expects ... The research firm": a one-word name that spoke
            orgs = [
                mt
                for mt in sorted(self.mentions, key=lambda mt: mt.pos)
                if mt.pos < pos and mt.spoke and self._bare_name(mt.speaker.name)
            ]
        if not orgs:  # "Gartner counted ... The research firm": a one-word subject before
            orgs = [_Mention(at, who, "org") for at, who in self.subjects if at < pos][-1:]
        match = [mt for mt in orgs if head in mt.speaker.name.lower()] or orgs
        if subj.split()[0].lower() in {"a", "an"} or not match:
            return Speaker(subj, "organisation", how, subj, (evidence,))
        org = match[-1].speaker
        return Speaker(
            org.name,
            "organisation",
            f"{how} ({subj}: {org.name})",
            subj,
            (evidence, *org.evidence[:1]),
        )

    def _bare_name(self, name: str) -> bool:
        """A one-word name that is no part of a person's name seen in the text ("Gartner",
        "Nestlé"; not "Powell" after "Jerome Powell"): an organisation, when a description
        points back to it."""
        return (
            len(name.split()) == 1
            and name not in self.names
            and name not in sp.PLACES
            and not any(name in full.split() for full in self.names.values())
        )

    def _one(self, subj: str, app: str | None, context: str, how: str) -> Speaker | None:
        words = [w for w in sp.clean_name(subj).split() if w.rstrip(",") not in sp.SKIP]
        if not words or words[0] in sp.DATES or (len(words) == 1 and words[0] in sp.DATES):
            return None
        name = " ".join(words)
        if name in sp.PLACES or sp.ORG.search(name):
            return Speaker(name, "organisation", how)
        name = self.names.get(name, name) if len(words) == 1 else name
        self._register(name, context + " " + (app or ""))
        role = self.roles.get(name, "other")
        if app:
            role = sp.role_of(app) or role
            self.roles[name] = role
        return Speaker(name, role, how)

    def _register(self, name: str, context: str) -> None:
        words = [w for w in name.split() if w not in sp.SKIP]
        if len(words) < 2:
            return
        full = " ".join(words)
        self.names[words[0]] = full
        self.names[words[-1]] = full
        role = sp.role_of(context)
        if role and full not in self.roles:
            self.roles[full] = role

    def _remember(self, speakers: tuple[Speaker, ...]) -> None:
        self.last = speakers
        self.last_age = 0
        self._last_pos = self._pos
        if all(_kind(s) in {"org", "group"} for s in speakers):
            self.last_org = speakers
            self.last_org_age = 0
        for s in speakers:
            self._mention(s, self._pos, _kind(s), spoke=True)

    # -- mentions: what pronouns and descriptions can point back to ------------------------
    def _mention(self, speaker: Speaker, pos: int, kind: str, spoke: bool = False) -> None:
        self.mentions.append(_Mention(pos, speaker, kind, spoke))
        if len(self.mentions) > 200:
            del self.mentions[:100]

    def _scan(self, text: str, s: int, e: int) -> None:
        """Note the organisations, groups and reports' owners that sentence ``text[s:e]``
        names, in text order, before its speakers are read."""
        sentence = text[s:e]
        self._pos = s
        found: list[tuple[int, Speaker, str]] = []
        for pattern in sp.OWNERS if sp.HAS_DOC.search(sentence) else ():
            for m in pattern.finditer(sentence):
                owner = self._org(m.group("owner"), m.group(0), s + m.start())
                if owner:
                    self.owners[m.group("doc").lower().rstrip("s")] = owner
                    self.owners["*"] = owner
                    found.append((m.start("owner"), owner, "org"))
        for m in sp.POSSESSOR.finditer(sentence) if "s " in sentence else ():
            name = sp.clean_name(m.group("name"))
            if sp.ORG.search(name) and name.split()[0] not in sp.SKIP | sp.DATES:
                org = Speaker(name, "organisation", "", name, (m.group(0).strip(),))
                found.append((m.start("name"), org, "org"))
        for m in re.finditer(sp.NAME, sentence):
            words = sp.clean_name(m.group(0)).split()
            while words and words[0] in sp.SKIP:  # "The Harbour Board", "But Acme Corp."
                words.pop(0)
            if not words or words[0] in sp.DATES or words[0] in {"of", "on", "for", "the"}:
                continue
            name = " ".join(words)
            if sp.ORG_WORDS.search(name):
                if not sentence[m.end() : m.end() + 2].startswith(("’s", "'s")):
                    org = Speaker(name, "organisation", "", name, (name,))
                    found.append((m.start(), org, "org"))
            elif sp.person_name(name):
                self._register(name, sentence[max(0, m.start() - 40) : m.end() + 60])
                role = self.roles.get(name, "other")
                found.append((m.start(), Speaker(name, role, "", name, (name,)), "person"))
        bare = re.match(rf"(?P<name>{sp.NAME})\s+(?:[a-z]+ed|[a-z]+s)\b", sentence)
        if bare and self._bare_name(sp.clean_name(bare.group("name"))):
            name = sp.clean_name(bare.group("name"))
            if name not in sp.SKIP | sp.DATES:
                self.subjects.append((s, Speaker(name, "organisation", "", name, (bare.group(0),))))
                del self.subjects[:-20]
        first = re.match(r"(?:[Tt]he\s+)?(?P<name>[A-Z][A-Z&+]{1,6})\b(?=,|\s+[a-z])", sentence)
        if first:  # an acronym opening a sentence as its subject: "IDC, which ..., raised"
            name = first.group("name")
            org = Speaker(name, "organisation", "", name, (name,))
            found.append((first.start("name"), org, "org"))
        for m in re.finditer(sp.GROUP, sentence) if sp.HAS_HEAD.search(sentence) else ():
            if sp.appositive(sentence[: m.start()]):
                continue  # "Kim and Lee, researchers at ...": a description, not a new group
            group = re.sub(r"(?i)^(?:the|a|an)\s+", "", m.group(0))
            found.append(
                (m.start(), Speaker(group, "anonymous source", "", group, (m.group(0),)), "group")
            )
        for at, speaker, kind in sorted(found, key=lambda f: f[0]):
            self._mention(speaker, s + at, kind)
        for m in (
            sp.MODEL.finditer(sentence) if re.search(r"(?i)model|simulat|times", sentence) else ()
        ):
            name = sp.clean_name(m.group("a") or m.group("b") or m.group("c"))
            if name in sp.SKIP | sp.DATES or len(name) < 3:
                continue
            # the model speaks through its figures: sentences of figures after it are its own
            model = Speaker(name, "organisation", f"the model named in the text: {name}", name)
            self._remember((replace(model, evidence=(m.group(0).strip(),)),))

    def _org(self, words: str, evidence: str, pos: int) -> Speaker | None:
        words = words.strip()
        if sp.is_group(words):
            return Speaker(words, "organisation", "", words, (evidence,))
        if sp.is_org_desc(words):
            return replace(self._description(words, "", evidence, pos), evidence=(evidence,))
        parts = [w for w in words.split() if w not in sp.SKIP]
        if not parts or parts[0] in sp.DATES:
            return None
        return Speaker(" ".join(parts), "organisation", "", words, (evidence,))
