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
from forecastkit.extraction.mentions import Mentions, Speaker

__all__ = ["Attributor", "Speaker"]

#: A figure or forecast passive with no speaker is the last organisation's for this many
#: paragraphs after it spoke.
CARRY_PARAGRAPHS = 3
_MIN_QUOTATION = 30
#: Verbs that are also nouns ("the forecast", "estimates"): checked against their neighbours.
_NOUN_LIKE = {"forecast", "forecasts", "project", "projects", "estimate", "estimates", "see"}


@dataclass
class _Quotation:
    start: int
    end: int
    speakers: tuple[Speaker, ...] = ()


@dataclass
class Attributor(Mentions):
    """Attribution state carried through an article, paragraph by paragraph (what the text
    named so far is :class:`~forecastkit.extraction.mentions.Mentions`)."""

    byline: str | None = None
    publisher: str | None = None
    open_quote: tuple[Speaker, ...] = ()
    previous: tuple[Speaker, ...] = ()
    _quotes: list[_Quotation] = field(default_factory=list)
    _sentences: list[tuple[Speaker, ...]] = field(default_factory=list)
    _carried: list[tuple[Speaker, ...]] = field(default_factory=list)

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
