"""The verbal-probability lexicon: read a hedge ("highly unlikely", "is expected to", "will") as
a probability on a published scale.

Two steps, both data (``src/forecastkit/records/data/``, documented in ``docs/lexicon.md``):

1. the **house mapping** (``house.yaml``) puts each hedge form on one of seven house
   :data:`LEVELS`, from ``almost-no-chance`` to ``almost-certain``;
2. a **scale** (``scales/<key>.yaml``) gives, for each level, the publisher's phrase with its
   point value and range.

A hedge that is itself one of the scale's phrases reads as that phrase (an IPCC author's
"virtually certain" keeps its 99-100%); any other hedge reads as the scale's phrase for its
level. Points are never 0 or 1, so log scores stay finite.

Example
-------
>>> r = read_hedge("It is highly unlikely that")
>>> (r.level, r.phrase, r.point, r.low, r.high)
('very-unlikely', 'very unlikely', 0.125, 0.05, 0.2)
>>> read_hedge("will", scale="kent").point
0.93
"""

from __future__ import annotations

import difflib
import functools
import textwrap
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from forecastkit.errors import (
    ForecastkitError,
    ParameterError,
    UnknownHedgeError,
    UnknownScaleError,
)

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_SCALE = "icd203"

#: The house ladder common to all scales, lowest first.
LEVELS: tuple[str, ...] = (
    "almost-no-chance",
    "very-unlikely",
    "unlikely",
    "even-chance",
    "likely",
    "very-likely",
    "almost-certain",
)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATA = resources.files("forecastkit.records") / "data"


@dataclass(frozen=True)
class Phrase:
    """One phrase of a scale at one house level (a phrase reading two levels appears twice)."""

    phrase: str
    level: str
    point: float
    low: float
    high: float


@dataclass(frozen=True)
class Scale:
    """A published verbal-probability scale; ``citation`` is the full reference."""

    key: str
    name: str
    publisher: str
    citation: str
    url: str
    year: int
    phrases: tuple[Phrase, ...]

    def at(self, level: str) -> Phrase:
        """The phrase that reads ``level`` on this scale (the first one listed at it)."""
        for p in self.phrases:
            if p.level == level:
                return p
        raise ParameterError(
            f"unknown level {level!r}", field="level", hint=f"levels are {', '.join(LEVELS)}"
        )


@dataclass(frozen=True)
class Reading:
    """A hedge read on a scale: its house level, the scale phrase used, and its numbers."""

    hedge: str
    level: str
    scale: str
    phrase: str
    point: float
    low: float
    high: float


@dataclass(frozen=True)
class _HouseEntry:
    hedge: str
    level: str
    rationale: str


# --- normalisation -------------------------------------------------------------------------

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
    }
)
_PREFIXES = ("it is ", "it's ", "is ", "are ")
_SUFFIXES = (" that", " to")
_EDGE_PUNCT = " \"'.,;:!?"


def normalize_hedge(text: str) -> str:
    """The lookup key of a hedge.

    In order: curly quotes become straight; case is folded; runs of whitespace become one
    space; quote marks and ``. , ; : ! ?`` at either end are dropped; then one leading
    ``it is`` / ``it's`` / ``is`` / ``are`` and one trailing ``that`` / ``to`` are dropped
    (each only when something is left). Nothing else is changed.

    >>> normalize_hedge("  It is  Highly unlikely that ")
    'highly unlikely'
    >>> normalize_hedge("is expected to")
    'expected'
    >>> normalize_hedge("won\u2019t")
    "won't"
    """
    s = " ".join(str(text).translate(_QUOTES).lower().split()).strip(_EDGE_PUNCT)
    for p in _PREFIXES:
        if s.startswith(p) and len(s) > len(p):
            s = s[len(p) :]
            break
    for x in _SUFFIXES:
        if s.endswith(x) and len(s) > len(x):
            s = s[: -len(x)]
            break
    return s


# --- loading (cached: the loader reads hedges for every claim) -----------------------------


def _load_yaml(name: str) -> Any:
    with (_DATA / name).open("r", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)


def _data_error(file: str, field: str, message: str) -> ForecastkitError:
    return ForecastkitError(
        message,
        file=f"src/forecastkit/records/data/{file}",
        field=field,
        hint="fix the shipped lexicon data (see docs/lexicon.md)",
    )


@functools.cache
def _house_rows() -> tuple[_HouseEntry, ...]:
    return tuple(
        _HouseEntry(str(r["hedge"]), str(r["level"]), str(r["rationale"]).strip())
        for r in _load_yaml("house.yaml")["hedges"]
    )


@functools.cache
def _house() -> dict[str, _HouseEntry]:
    """Normalised hedge -> entry; checks levels and that alike forms agree."""
    index: dict[str, _HouseEntry] = {}
    for i, entry in enumerate(_house_rows()):
        where = f"hedges[{i}]"
        if entry.level not in LEVELS:
            raise _data_error("house.yaml", where + ".level", f"unknown level {entry.level!r}")
        if not entry.rationale:
            raise _data_error("house.yaml", where + ".rationale", "missing rationale")
        key = normalize_hedge(entry.hedge)
        seen = index.setdefault(key, entry)
        if seen.level != entry.level:
            raise _data_error(
                "house.yaml",
                where,
                f"{entry.hedge!r} reads as {entry.level} but "
                f"{seen.hedge!r} (same normalised form) as {seen.level}",
            )
    return index


def _parse_scale(file: str, raw: dict[str, Any]) -> Scale:
    phrases: list[Phrase] = []
    for i, row in enumerate(raw["phrases"]):
        where = f"phrases[{i}]"
        low, high = (float(v) for v in row["range"])
        point = float(row["point"])
        if not 0.0 <= low <= point <= high <= 1.0:
            raise _data_error(
                file, where, f"need 0 <= low <= point <= high <= 1, got {low}, {point}, {high}"
            )
        if not 0.0 < point < 1.0:
            raise _data_error(
                file, where + ".point", "a hedge's point must be strictly between 0 and 1"
            )
        for level in row["levels"]:
            if level not in LEVELS:
                raise _data_error(file, where + ".levels", f"unknown level {level!r}")
            phrases.append(Phrase(str(row["phrase"]), level, point, low, high))
    missing = [lv for lv in LEVELS if all(p.level != lv for p in phrases)]
    if missing:
        raise _data_error(file, "phrases", f"no phrase reads {', '.join(missing)}")
    return Scale(
        key=str(raw["key"]),
        name=str(raw["name"]),
        publisher=str(raw["publisher"]),
        citation=" ".join(str(raw["citation"]).split()),
        url=str(raw["url"]),
        year=int(raw["year"]),
        phrases=tuple(phrases),
    )


@functools.cache
def _scales() -> dict[str, Scale]:
    out: dict[str, Scale] = {}
    for item in sorted((_DATA / "scales").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            file = f"scales/{item.name}"
            scale = _parse_scale(file, _load_yaml(file))
            if scale.key != item.name.removesuffix(".yaml"):
                raise _data_error(file, "key", f"key {scale.key!r} differs from the file name")
            out[scale.key] = scale
    return out


def scales() -> dict[str, Scale]:
    """Every shipped scale by key (parsed once, then cached).

    >>> sorted(scales())[:3]
    ['capphrase', 'efsa', 'icd203']
    """
    return dict(_scales())


def get_scale(name: str) -> Scale:
    """The scale called ``name`` (case and surrounding spaces ignored).

    Raises
    ------
    UnknownScaleError
        When no shipped scale has that key; the message lists the known keys.
    """
    known = _scales()
    key = str(name).strip().lower()
    if key in known:
        return known[key]
    near = difflib.get_close_matches(key, list(known), n=1)
    hint = (f"did you mean {near[0]!r}? " if near else "") + f"known scales: {', '.join(known)}"
    raise UnknownScaleError(f"unknown scale {name!r}", field="scale", hint=hint)


# --- reading hedges ------------------------------------------------------------------------


def is_known_hedge(hedge: str) -> bool:
    """Whether the house mapping covers ``hedge`` (after :func:`normalize_hedge`)."""
    return normalize_hedge(hedge) in _house()


def suggest_hedges(hedge: str, n: int = 3) -> list[str]:
    """Up to ``n`` known hedges (normalised forms) closest to ``hedge``, best first (difflib).

    >>> suggest_hedges("higly unlikely", 1)
    ['highly unlikely']
    """
    return difflib.get_close_matches(normalize_hedge(hedge), list(_house()), n=n, cutoff=0.6)


def hedge_level(hedge: str) -> str:
    """The house level of ``hedge``.

    Raises
    ------
    UnknownHedgeError
        Naming the hedge and the nearest known forms.
    """
    entry = _house().get(normalize_hedge(hedge))
    if entry is None:
        near = suggest_hedges(hedge)
        hint = (
            f"did you mean {' or '.join(repr(s) for s in near)}? " if near else ""
        ) + "`forecastkit lexicon --house` lists every known hedge"
        raise UnknownHedgeError(f"unknown hedge {hedge!r}", field="hedge", hint=hint)
    return entry.level


@functools.cache
def _own_phrases(scale: str) -> dict[tuple[str, str], Phrase]:
    """(normalised phrase, level) -> phrase, for hedges that use the scale's own words."""
    return {(normalize_hedge(p.phrase), p.level): p for p in get_scale(scale).phrases}


@functools.lru_cache(maxsize=8192)
def read_hedge(hedge: str, scale: str = DEFAULT_SCALE) -> Reading:
    """Read ``hedge`` as a probability on ``scale``.

    The hedge's house level comes from the house mapping. If the hedge is one of the scale's
    own phrases at that level, its point and range are used; otherwise those of the scale's
    phrase for the level (:meth:`Scale.at`). Results are cached: a repeat is a dict lookup.

    Raises
    ------
    UnknownHedgeError, UnknownScaleError

    >>> read_hedge("virtually certain", "ipcc-ar5").point
    0.995
    >>> read_hedge("almost certainly", "ipcc-ar5").phrase
    'extremely likely'
    """
    level = hedge_level(hedge)
    sc = get_scale(scale)
    p = _own_phrases(sc.key).get((normalize_hedge(hedge), level)) or sc.at(level)
    return Reading(
        hedge=hedge,
        level=level,
        scale=sc.key,
        phrase=p.phrase,
        point=p.point,
        low=p.low,
        high=p.high,
    )


# --- tables --------------------------------------------------------------------------------


def house_mapping() -> pd.DataFrame:
    """The house mapping as written in ``house.yaml``: columns hedge, level, rationale."""
    import pandas as pd

    rows = [(e.hedge, e.level, e.rationale) for e in _house_rows()]
    return pd.DataFrame(rows, columns=["hedge", "level", "rationale"])


def lexicon_table(scale: str | None = None) -> pd.DataFrame:
    """One row per scale phrase and level: scale, phrase, level, point, low, high, publisher.

    ``scale=None`` gives every shipped scale; rows run from the lowest level up.
    """
    import pandas as pd

    chosen = [get_scale(scale)] if scale is not None else list(_scales().values())
    order = {lv: i for i, lv in enumerate(LEVELS)}
    rows = []
    for sc in chosen:
        for p in sorted(sc.phrases, key=lambda p: order[p.level]):  # stable: primary first
            rows.append((sc.key, p.phrase, p.level, p.point, p.low, p.high, sc.publisher))
    return pd.DataFrame(
        rows, columns=["scale", "phrase", "level", "point", "low", "high", "publisher"]
    )


def render_lexicon(scale: str | None = None, fmt: str = "table", house: bool = False) -> str:
    """The scales (or, with ``house=True``, the house mapping) as text, for the CLI.

    ``fmt`` is ``table`` (each scale headed by its name, citation and address), ``csv`` (the
    rows of :func:`lexicon_table` / :func:`house_mapping`) or ``json`` (scales with their
    metadata and phrases, or the house mapping as records).
    """
    import json

    if fmt not in ("table", "csv", "json"):
        raise ParameterError(
            f"unknown format {fmt!r}", field="format", hint="use table, csv or json"
        )
    if house:
        df = house_mapping()
        if fmt == "csv":
            return df.to_csv(index=False)
        if fmt == "json":
            return json.dumps(df.to_dict(orient="records"), indent=2, ensure_ascii=False) + "\n"
        return _text_table(df)
    chosen = [get_scale(scale)] if scale is not None else list(_scales().values())
    if fmt == "csv":
        return lexicon_table(scale).to_csv(index=False)
    if fmt == "json":
        out = [
            {
                "key": sc.key,
                "name": sc.name,
                "publisher": sc.publisher,
                "citation": sc.citation,
                "url": sc.url,
                "year": sc.year,
                "phrases": lexicon_table(sc.key)
                .drop(columns=["scale", "publisher"])
                .to_dict(orient="records"),
            }
            for sc in chosen
        ]
        return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
    blocks = []
    for sc in chosen:
        table = lexicon_table(sc.key).drop(columns=["scale", "publisher"])
        cite = textwrap.fill(sc.citation, width=98, initial_indent="  ", subsequent_indent="  ")
        blocks.append(f"{sc.key}: {sc.name}\n{cite}\n  {sc.url}\n\n" + _text_table(table))
    return "\n".join(blocks)


def _text_table(df: pd.DataFrame) -> str:
    """Plain columns: text left-aligned, numbers right-aligned with up to 3 decimals."""
    cells = {
        c: [f"{v:.3f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v) for v in df[c]]
        for c in df.columns
    }
    numeric = {c: df[c].dtype.kind == "f" for c in df.columns}
    widths = {c: max([len(c), *map(len, cells[c])]) for c in df.columns}

    def line(values: dict[str, str]) -> str:
        return "  ".join(
            values[c].rjust(widths[c]) if numeric[c] else values[c].ljust(widths[c])
            for c in df.columns
        ).rstrip()

    rows = [line({c: c for c in df.columns})]
    rows += [line({c: cells[c][i] for c in df.columns}) for i in range(len(df))]
    return "\n".join(rows) + "\n"
