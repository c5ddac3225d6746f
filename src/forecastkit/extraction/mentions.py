"""What an article has named so far, and what its pronouns and descriptions point back to.

The state :class:`~forecastkit.extraction.attribution.Attributor` carries from sentence to
sentence: the organisations, groups and people mentioned (with where, and whether they spoke),
the fullest form of each name ("Putin" -> "Vladimir Putin"), the owners of reports ("the
EIA's latest outlook"), and the last speakers. "he"/"she", "it", "they" and "which" resolve to
these, "the agency" to the last organisation whose name has its head word, "the research firm"
to a one-word name that spoke or opened a sentence (docs/extraction.md, "Attribution").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import forecastkit.extraction.speakers as sp


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
class Mentions:
    """What the text named so far; the resolving half of the attributor."""

    names: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    last: tuple[Speaker, ...] = ()
    last_age: int = 99
    last_org: tuple[Speaker, ...] = ()
    last_org_age: int = 99
    mentions: list[_Mention] = field(default_factory=list)
    owners: dict[str, Speaker] = field(default_factory=dict)
    #: One-word names that open a sentence as its subject ("Quanta counted ..."): what "the
    #: research firm" points back to when no organisation was named.
    subjects: list[tuple[int, Speaker]] = field(default_factory=list)
    _pos: int = 0
    _last_pos: int = 0

    def _early_names(self, text: str, start: int, end: int) -> None:
        """One-word names that speak in this paragraph ("Nestlé said ..."), noted before its
        quotations are read, so "“...,” the maker of chocolate said" can point back to them."""
        for m in sp.BEFORE.finditer(text, start, end):
            name = sp.clean_name(m.group("subj"))
            if re.fullmatch(sp.NAME, name) and self._bare_name(name) and name not in sp.SKIP:
                if name not in sp.DATES:
                    speaker = Speaker(name, "other", "", name, (m.group(0).strip(),))
                    self._mention(speaker, m.start(), "person", spoke=True)

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
