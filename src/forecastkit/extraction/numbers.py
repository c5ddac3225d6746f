"""Numeric readings of a candidate: the value, range or threshold, unit and direction it states.

:func:`read_numbers` finds the quantities of a sentence ("2.5%", "$80–90", "at least 100,000
troops", "$48 a barrel", "1.19 billion units", "four rate hikes") and reads, for each, what a
numeric question needs (``docs/extraction.md``, "Numbers"):

- ``relation``: ``=`` (a value), ``between`` (a range: "2-3%", "between $17.2 billion and $17.4
  billion", "a range of $10.65 to $10.85"), ``>=`` / ``<=`` (a threshold: "at least", "more
  than", "higher than", "X or more"; "at most", "up to", "below", "nearly", "X or below");
  ``approximate`` for "about", "around", "roughly";
- ``unit``: ``%``, ``percentage points``, a currency code (``USD`` for "$"), a counted noun
  ("troops", "electoral votes"), with the scale word kept ("billion USD", "million units") and a
  denominator ("USD/barrel" for "$48 a barrel" or "$34/b", "million barrels/day");
- ``direction``: ``up`` or ``down`` from the verb or noun of change around it ("rise to",
  "shrink by", "a 4.7% decline"); ``change`` when the figure is the change itself ("by 2-3%",
  "decline 1.1%", "a 50% increase") rather than the level reached ("to 1.19 billion");
- ``baseline`` for the figure a forecast is compared with ("from 3.4% in 2022", "up from $68.76",
  "the previous forecast of 2.8%", a year before publication): not the forecast itself;
- ``period``: the time phrase right after it ("in 2026", "next year", "at the end of 2016");
- ``form``: the claim form it is ready for: ``point`` (a value), ``interval`` (a range: its level
  is not stated, the reviewer sets it), ``threshold`` (a binary question "at least X"), or
  ``probability`` (a stated chance, "a 98.2 percent chance").

Years, dates, ordinals, durations ("five years") and numbers inside words ("COVID-19", "5G")
are not quantities. Rules only, over the sentence's characters: no parser is available.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12})
_CURRENCY = dict(
    pair.split("=")
    for pair in (
        "$=USD us$=USD usd=USD €=EUR eur=EUR £=GBP gbp=GBP ¥=JPY dollars=USD dollar=USD "
        "euros=EUR euro=EUR yen=JPY yuan=CNY rubles=RUB roubles=RUB rupees=INR"
    ).split()
)
_CURRENCY["pounds sterling"] = "GBP"
_SCALES = dict(
    pair.split("=")
    for pair in (
        "thousand=thousand k=thousand million=million mln=million mn=million m=million "
        "billion=billion bln=billion bn=billion b=billion trillion=trillion tn=trillion"
    ).split()
)
_QUANTITY = re.compile(
    r"(?<![\w.,])(?P<cur>US\$|\$|€|£|¥|(?:USD|EUR|GBP)\s?)?"
    rf"(?P<num>{_DIGITS})"
    r"(?:\s?(?P<scale>thousand|million|mln|mn|billion|bln|bn|trillion|tn)\b"
    r"|(?<=\d)(?P<short>[mbk])\b)?"
    r"(?P<pct>\s?%|\s?(?:per\s?cent|percent|pct)\b|\s?percentage[\s-]points?\b"
    r"|\s?basis\s+points?\b|\s?bps\b)?",
    re.I,
)
_WORD_QUANTITY = re.compile(
    r"(?<![\w-])(?P<num>" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")(?=\s)",
    re.I,
)
_FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
#: "one-tenth of a percentage point", "a quarter of a point", "two-thirds of a percent".
_FRACTION = re.compile(
    r"(?<![\w-])(?P<n>one|a|two|three)[\s-](?P<f>half|thirds?|quarters?|fifths?|tenths?)"
    r"\s+of\s+(?:a|one)\s+(?P<pct>percentage[\s-]point|per\s?cent|percent|point|basis\s+point)\b",
    re.I,
)
#: A number word that opens a range: "six to 10 rate cuts", "three to five hikes".
_WORD_RANGE_AFTER = re.compile(
    r"\s*(?:to|[-–])\s*(?:"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + rf"|{_DIGITS})\b",
    re.I,
)
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATE_BEFORE = re.compile(rf"{_MONTHS}\s*(?:\d{{1,2}}\s*[-–]\s*)?$")
_DATE_AFTER = re.compile(rf"^\s*{_MONTHS}\b|^(?:st|nd|rd|th)\b|^\s*(?:a\.m\.|p\.m\.|am|pm)\b")
_TIME_UNITS = set(
    """year years month months week weeks day days decade decades quarter quarters hour hours
    minutes times""".split()
)
_DENOMINATORS = {
    "b": "barrel",
    "bbl": "barrel",
    "d": "day",
    "bpd": "day",
    "t": "tonne",
    "oz": "ounce",
    "kwh": "kWh",
    "mwh": "MWh",
}
_PER = re.compile(
    r"^\s?(?:/\s?(?P<slash>[a-z]{1,6})\b|(?:per|a|an)\s+(?P<per>barrel|day|share|gallon|ton|"
    r"tonne|ounce|year|month|week|hour|head|kilogram|kilo|kg|pound|litre|liter|unit|person|"
    r"capita|megawatt-hour|kilowatt-hour|mmbtu|bushel|cubic\s+meter|cubic\s+metre)s?\b)",
    re.I,
)
#: Words a counted noun does not begin or run through (prepositions, determiners, time words...).
_NOT_NOUN = set(
    """a an the this that these those next last of in on at by to for from with and or but as
    than then per between over under about around up down is are was were be been will would
    could may might can shall should must has have had do does did not no it its their his her
    our we they he she you i which who what when where while if so also only just still even
    more most less fewer year years zero one two three four five six seven eight nine ten
    eleven twelve twenty thirty forty fifty hundred dozen month months week weeks day days percent per cent
    quarter quarter-over-quarter year-over-year year-on-year y-o-y compared versus vs""".split()
)
_IRREGULAR = {"people", "children", "men", "women", "personnel", "staff", "police", "cattle"}
#: Counted nouns that count the forecasters, not what they forecast ("four officials project").
_SPEAKERS = set(
    """officials analysts economists experts members participants respondents forecasters
    policymakers strategists traders investors observers pollsters""".split()
)
#: After the relation word, the figure may be the one a target or a chance is named by ("below
#: the 2% target", "no more than a 3% chance").
_ARTICLE = r"(?:\s+(?:the|its|their|a|an))?\s*$"
_RELATION_BEFORE = [
    # negated first: "no more than" is at most, though "more than" is in the next pattern
    (re.compile(r"\b(?:no|not)\s+(?:more|greater|higher|larger)\s+than" + _ARTICLE, re.I), "<="),
    (re.compile(r"\b(?:no|not)\s+(?:less|fewer|lower|smaller)\s+than" + _ARTICLE, re.I), ">="),
    (
        re.compile(
            r"\b(?:at\s+least|no\s+(?:less|fewer)\s+than|not\s+less\s+than|upwards\s+of|"
            r"(?:more|higher|greater|larger|bigger|better|over)\s+than|in\s+excess\s+of|"
            r"exceed(?:s|ing)?|top(?:s|ping)?|over|above|beyond|north\s+of|"
            r"a\s+minimum\s+of)" + _ARTICLE,
            re.I,
        ),
        ">=",
    ),
    (
        re.compile(
            r"\b(?:at\s+most|no\s+more\s+than|not\s+more\s+than|up\s+to|"
            r"(?:less|fewer|lower|smaller|worse)\s+than|below|under|beneath|nearly|almost|"
            r"just\s+(?:under|below|shy\s+of)|short\s+of|a\s+maximum\s+of|"
            r"south\s+of|as\s+(?:much|many|high)\s+as)" + _ARTICLE,
            re.I,
        ),
        "<=",
    ),
]
_APPROX = re.compile(
    r"\b(?:about|around|roughly|approximately|some|close\s+to|circa|an?\s+estimated)\s*$", re.I
)
_RELATION_AFTER = [
    (
        re.compile(
            r"^\s*(?:or|and)\s+(?:more|higher|above|greater|over|up|upwards)\b|^\s*\+|"
            r"^-?plus\b",
            re.I,
        ),
        ">=",
    ),
    (re.compile(r"^\s*(?:or|and)\s+(?:less|lower|below|under|fewer|down)\b", re.I), "<="),
]
_UP = (
    r"ris(?:e|es|ing)|rose|increas(?:e|es|ing)|grow(?:s|ing|th)?|grew|climb(?:s|ing)?|"
    r"accelerat(?:e|es|ing)|gain(?:s|ing)?|rais(?:e|es|ing)|expand(?:s|ing)?|expansion|"
    r"jump(?:s|ing)?|rebound(?:s|ing)?|recover(?:s|ing|y)?|surg(?:e|es|ing)|soar(?:s|ing)?|"
    r"up|upgrade|higher|boost(?:s|ing)?|double|doubling|pick\s+up|rally"
)
_DOWN = (
    r"fall(?:s|ing)?|fell|declin(?:e|es|ing)|drop(?:s|ping)?|shrink(?:s|ing)?|shrank|"
    r"contract(?:s|ing|ion)?|decreas(?:e|es|ing)|cut(?:s|ting)?|lower(?:ing)?|eas(?:e|es|ing)|"
    r"slow(?:s|ing|down)?|decelerat(?:e|es|ing)|down|plunge|plunging|slump(?:s|ing)?|"
    r"tumbl(?:e|es|ing)|sink(?:s|ing)?|weaken(?:s|ing)?|reduc(?:e|es|ing|tion)|downgrade|"
    r"recession|loss(?:es)?"
)
_DIRECTION_BEFORE = re.compile(rf"\b(?P<up>{_UP})|\b(?P<down>{_DOWN})", re.I)
_CHANGE_BEFORE = re.compile(
    rf"(?:\b(?:{_UP}|{_DOWN})(?:\s+(?:by|of))?|\bby)\s+(?:(?:an?|another|just|only|some|about|"
    r"around|roughly|nearly|almost|over|more\s+than|less\s+than|at\s+least|up\s+to)\s+)*$",
    re.I,
)
_CHANGE_AFTER = re.compile(rf"^\s*(?:[\w-]+\s+){{0,2}}?(?P<noun>(?:{_UP}|{_DOWN}))\b", re.I)
_BASELINE_BEFORE = re.compile(
    r"(?:\b(?:from|versus|vs\.?|compared\s+(?:with|to)|against|after)\s+"
    r"(?:(?:an?|the|its|their|average\s+of|an\s+average\s+of|a\s+range\s+of|range\s+of|"
    r"between|near|nearly|about|around|roughly|almost|some|just|only)\s+)*$"
    r"|\b(?:previous|prior|earlier|old|last|initial|original|January|February|March|April|May|"
    r"June|July|August|September|October|November|December)(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:forecasts?|projections?|estimates?|predictions?|guidance|outlook|expectations?)"
    r"(?:\s+range)?\s+(?:of\s+)?(?:(?:an?|between)\s+)?(?:[\w-]+\s+of\s+)?$"
    r"|\b(?:current|present|existing|today's|today’s)\s+(?!(?:forecast|projection|estimate|"
    r"expectation|outlook|guidance|prediction)s?\b)(?:[\w-]+\s+){0,2}?(?:of\s+)?$)",
    re.I,
)
_RANGE_LEAD = re.compile(r"\b(?:range\s+of|between|of|at|to)\s*$", re.I)
_PERIOD_LEAD = (
    r"^[ ,]*(?P<p>(?:(?:in|by|for|during|at|through|until|over|within|across|this|next|last|"
    r"throughout)\s+)(?:[\w’'-]+\s+){0,5}?"
)
#: The time phrase after a figure, a year preferred ("in the second half of 2003").
_PERIOD_YEAR = re.compile(_PERIOD_LEAD + r"(?:19|20)\d\d)\b", re.I)
_PERIOD = re.compile(
    _PERIOD_LEAD + r"(?:(?:19|20)\d\d|year|quarter|half|month|decade|Q[1-4]|H[12]|period|term|"
    r"horizon|week)s?)\b",
    re.I,
)
_YEAR_IN = re.compile(r"\b((?:19|20)\d\d)\b")
_PAST_PERIOD = re.compile(r"\b(?:last|previous|past)\s+(?:year|quarter|month|week)\b", re.I)
_PROBABILITY_AFTER = re.compile(r"^\s*(?:chance|probability|likelihood|risk|odds)\b", re.I)


@dataclass(frozen=True)
class NumericReading:
    """One quantity of a candidate's quote; ``text == article[start:end]``.

    ``value`` is set for ``=``, ``>=`` and ``<=``; ``lower`` and ``upper`` for ``between``.
    Values are as written, with the scale word in the unit (``1.19`` ``billion units``).
    """

    text: str
    start: int
    end: int
    relation: str  # = | >= | <= | between
    value: float | None
    lower: float | None
    upper: float | None
    unit: str | None
    direction: str | None  # up | down | None
    change: bool
    baseline: bool
    approximate: bool
    period: str | None
    form: str  # point | interval | threshold | probability

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON and YAML (numbers as int where whole)."""
        out = asdict(self)
        for k in ("value", "lower", "upper"):
            if out[k] is not None and float(out[k]).is_integer():
                out[k] = int(out[k])
        return out


@dataclass
class _Q:
    start: int
    end: int
    low: float
    high: float | None
    cur: str | None
    scale: str | None
    pct: str | None
    word: bool = False
    opens_range: bool = False  # a number word before "to 10": only read as a range's start


def _number(text: str) -> float:
    word = _WORD_NUMBERS.get(text.lower())
    return float(word) if word is not None else float(text.replace(",", ""))


def read_numbers(
    sentence: str, offset: int = 0, published: dt.date | None = None
) -> tuple[NumericReading, ...]:
    """The quantities of ``sentence`` (offsets shifted by ``offset``), forecasts first.

    >>> [r.to_dict()["value"] for r in read_numbers("GDP will grow 2.5% in 2010.")]
    [2.5]
    >>> r = read_numbers("Oil will trade at $80-90 a barrel.")[0]
    >>> (r.relation, r.lower, r.upper, r.unit)
    ('between', 80.0, 90.0, 'USD/barrel')
    """
    quantities = _combine(sentence, _quantities(sentence))
    readings = [_reading(sentence, q, offset, published) for q in quantities]
    found = [r for r in readings if r is not None]
    return tuple(sorted(found, key=lambda r: (r.baseline, r.start)))


def _quantities(s: str) -> list[_Q]:
    out: list[_Q] = []
    for m in _QUANTITY.finditer(s):
        num = m.group("num")
        before, after = s[: m.start()], s[m.end() :]
        cur = m.group("cur")
        scale = m.group("scale") or m.group("short")
        pct = m.group("pct")
        if re.search(r"[A-Za-z]-$", before) or before[-1:] in {"Q", "H", "G"}:
            continue  # "COVID-19", "Q1", "G7"
        if not (cur or scale or pct):
            if re.fullmatch(r"(?:19|20)\d\d", num) and not re.match(r"\s?[-–]\s?\d", after):
                continue  # a year
            if re.match(r"[A-Za-z]", after[:1]) or re.match(r"-[A-Za-z]", after[:2]):
                continue  # "5G", "40-year"
            if _DATE_BEFORE.search(before) or _DATE_AFTER.match(after):
                continue  # "January 2", "2nd"
        elif not (scale or pct) and re.match(r"-[A-Za-z]", after[:2]):
            continue  # "$5-a-day"
        # a minus sign: "-" or "−" right before, not after a number (then it is a range dash)
        negative = bool(re.search(r"(?:^|[\s(])[-−]$", before)) and not re.search(
            r"[\d%]\s+[-−]$", before
        )
        if before[-6:].lower() == "minus ":
            negative = True
        start = m.start() - (1 if negative and before[-1:] in {"-", "−"} else 0)
        try:
            value = _number(num)
        except ValueError:
            continue
        out.append(
            _Q(
                start,
                m.end(),
                -value if negative else value,
                None,
                cur.strip() if cur else None,
                _SCALES.get(scale.lower()) if scale else None,
                _pct(pct),
            )
        )
    for m in _FRACTION.finditer(s):
        n = 1 if m.group("n").lower() == "a" else _WORD_NUMBERS[m.group("n").lower()]
        value = n / _FRACTIONS[m.group("f").lower().rstrip("s")]
        pct = m.group("pct").lower()
        unit = (
            "percentage points"
            if "percentage" in pct or pct == "point"
            else "basis points"
            if "basis" in pct
            else "%"
        )
        out.append(_Q(m.start(), m.end(), round(value, 6), None, None, None, unit))
    for m in _WORD_QUANTITY.finditer(s):
        if any(q.start <= m.start() < q.end for q in out):
            continue
        ranged = _WORD_RANGE_AFTER.match(s, m.end())
        if not _counted_noun(s[m.end() :]) and not ranged:
            continue
        q = _Q(m.start(), m.end(), _number(m.group("num")), None, None, None, None, True)
        q.opens_range = bool(ranged)
        out.append(q)
    out.sort(key=lambda q: q.start)
    return out


def _pct(pct: str | None) -> str | None:
    if not pct:
        return None
    low = pct.strip().lower()
    if "percentage" in low:
        return "percentage points"
    if "basis" in low or low == "bps":
        return "basis points"
    return "%"


def _combine(s: str, qs: list[_Q]) -> list[_Q]:
    """Join ranges: "2-3%", "$80–$90", "2 to 3 percent", "between A and B", "a range of A to
    B"; the unit written after the second number applies to both."""
    out: list[_Q] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        words_ok = (not q.word or q.opens_range) and (
            i + 1 < len(qs) and (not qs[i + 1].word or q.opens_range)
        )
        if i + 1 < len(qs) and words_ok:
            nxt = qs[i + 1]
            gap = s[q.end : nxt.start]
            lead = s[: q.start]
            dash = re.fullmatch(r"\s?[-–—]\s?", gap) is not None
            to = re.fullmatch(r"\s+(?:to|and)\s+", gap) is not None
            joined = dash or (
                to
                and (
                    re.search(r"\bbetween\s*$", lead, re.I)
                    if "and" in gap
                    else re.search(r"\b(?:range\s+of|between|of|at)\s*$", lead, re.I)
                    or not re.search(r"\bfrom\s*$", lead, re.I)
                    and (q.pct or q.scale or q.cur) is None
                    and (nxt.pct or nxt.cur or nxt.scale or _counted_noun(s[nxt.end :]))
                )
            )
            compatible = (None in (q.pct, nxt.pct) or q.pct == nxt.pct) and (
                None in (q.cur, nxt.cur) or q.cur == nxt.cur
            )
            if joined and compatible and q.low < nxt.low:
                out.append(
                    _Q(
                        q.start,
                        nxt.end,
                        q.low,
                        nxt.low,
                        nxt.cur or q.cur,
                        nxt.scale or q.scale,
                        nxt.pct or q.pct,
                    )
                )
                i += 2
                continue
        out.append(q)
        i += 1
    return out


def _counted_noun(after: str) -> str | None:
    """The counted noun right after a number ("troops", "electoral votes"), if any."""
    words = re.findall(r"[A-Za-z][A-Za-z-]*|\S", after[:60])
    if not after[:1].isspace():
        return None
    kept: list[str] = []
    for w in words[:4]:
        if not re.fullmatch(r"[a-z][a-z-]*", w) or w in _NOT_NOUN:
            break
        kept.append(w)
    while kept and not (kept[-1].endswith("s") or kept[-1] in _IRREGULAR):
        kept.pop()
    if not kept or kept[-1] in _TIME_UNITS or kept[-1] in _SPEAKERS:
        return None
    return " ".join(kept)


def _reading(s: str, q: _Q, offset: int, published: dt.date | None) -> NumericReading | None:
    before = s[: q.start]
    end = q.end
    unit_parts: list[str] = []
    if q.scale:
        unit_parts.append(q.scale)
    after = s[end:]
    currency = _CURRENCY.get(q.cur.lower()) if q.cur else None
    if not currency and not q.pct:
        m = re.match(
            r"^\s(?P<c>pounds\s+sterling|dollars?|euros?|yen|yuan|rubles|roubles|rupees)\b",
            after,
            re.I,
        )
        if m:
            currency = _CURRENCY[m.group("c").lower()]
            end += m.end()
            after = s[end:]
    noun = None
    if q.pct:
        unit_parts.append(q.pct)
    elif currency:
        unit_parts.append(currency)
    else:
        noun = _counted_noun(after)
        if noun:
            unit_parts.append(noun)
            end += after.index(noun) + len(noun)
            after = s[end:]
        elif q.word or not q.scale:
            if q.word:
                return None
    per = _PER.match(after)
    if per and (currency or noun or q.scale):
        denominator = per.group("per") or _DENOMINATORS.get(per.group("slash").lower())
        if denominator:
            unit_parts[-1:] = [f"{unit_parts[-1] if unit_parts else ''}/{denominator.lower()}"]
            end += per.end()
            after = s[end:]
    unit = " ".join(unit_parts) or None
    if unit and unit.startswith("/"):
        unit = unit[1:]
    prob = _PROBABILITY_AFTER.match(after) if q.pct == "%" else None
    window = before[-40:]
    clause = re.split(r"[,;:—–()]|\s-\s", before)[-1][-80:]
    relation = "between" if q.high is not None else "="
    approximate = bool(_APPROX.search(window))
    if relation == "=":
        for pattern, rel in _RELATION_BEFORE:
            found_rel = pattern.search(window)
            if found_rel:
                relation = rel
                # "higher than" states the threshold, not a direction of change
                clause = clause[: max(0, len(clause) - (len(window) - found_rel.start()))]
                break
        else:
            for pattern, rel in _RELATION_AFTER:
                if pattern.match(after):
                    relation = rel
                    m = pattern.match(after)
                    end += m.end()
                    after = s[end:]
                    break
    direction = None
    change = bool(_CHANGE_BEFORE.search(clause))
    after_noun = _CHANGE_AFTER.match(after)
    if after_noun and not prob:
        change = True
        direction = "up" if re.fullmatch(_UP, after_noun.group("noun"), re.I) else "down"
    if direction is None:
        found = list(_DIRECTION_BEFORE.finditer(clause))
        if found:
            direction = "up" if found[-1].group("up") else "down"
    period_m = _PERIOD_YEAR.match(after) or _PERIOD.match(after)
    period = period_m.group("p") if period_m else None
    baseline = bool(_BASELINE_BEFORE.search(before[-60:]))
    if period and (_PAST_PERIOD.search(period) or _past_year(period, published)):
        baseline = True
    if q.high is not None:
        form = "interval"
    elif prob:
        form = "probability"
    elif relation in {">=", "<="}:
        form = "threshold"
    else:
        form = "point"
    return NumericReading(
        text=s[q.start : end],
        start=offset + q.start,
        end=offset + end,
        relation=relation,
        value=None if q.high is not None else q.low,
        lower=q.low if q.high is not None else None,
        upper=q.high,
        unit=unit,
        direction=direction,
        change=change,
        baseline=baseline,
        approximate=approximate,
        period=period,
        form=form,
    )


def _past_year(period: str, published: dt.date | None) -> bool:
    years = [int(y) for y in _YEAR_IN.findall(period)]
    return bool(published and years and max(years) < published.year)
