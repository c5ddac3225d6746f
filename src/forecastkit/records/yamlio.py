"""Read YAML claim, authors and outcome files into plain Python data, with line numbers.

Parsing goes through libyaml's C composer where available (``yaml.CSafeLoader``); we then build
Python objects from the node tree ourselves so that every value keeps the line it came from.
That gives errors that point at a line, and it lets us refuse what has no place in a claim file:
anchors and aliases (the "billion laughs" bomb), duplicate keys, oversized files, non-UTF-8
text, tags (``!!python/name:...``, ``!!binary``, ``!custom``: a claim file holds plain text,
numbers, lists and mappings), values nested deeper than :data:`MAX_DEPTH` and strings longer
than :data:`MAX_STRING_CHARS`. Dates stay ISO strings here; the schema checks their form and the
loader converts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from forecastkit.errors import ClaimFileError
from forecastkit.records.collector import collector_paused

try:  # libyaml's C parser: several times faster than the pure-Python one
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

#: Files above this size are refused: a claim file for one article is a few kilobytes.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Deepest nesting of lists and mappings: a claim file needs 4 levels (claims[0].deadline.rule);
#: a bound keeps a hostile file from exhausting Python's recursion limit.
MAX_DEPTH = 16
#: Longest text value, in characters (a quote or a note is a few hundred).
MAX_STRING_CHARS = 20_000

Path_ = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
#: The tags plain YAML resolves to; any other (``!!python/...``, ``!!binary``, ``!x``) is refused.
_PLAIN_TAGS = frozenset(
    {
        _STR,
        _NULL,
        _BOOL,
        _INT,
        _FLOAT,
        "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:map",
    }
)


@dataclass
class Document:
    """A parsed YAML file: its data and the 1-based line of every value, by path."""

    path: Path
    data: Any
    text: str = field(default="", repr=False)
    lines: dict[Path_, int] = field(default_factory=dict)
    key_lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_, *, key: bool = False) -> int:
        """Line of the value at ``path`` (or of its key), else of the nearest parent."""
        table = self.key_lines if key else self.lines
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


def format_path(path: Path_) -> str:
    """``('claims', 2, 'hedge')`` → ``claims[2].hedge``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a text file as UTF-8, refusing oversized and non-UTF-8 files with their location."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ClaimFileError(f"cannot read file: {exc.strerror}", file=path) from None
    if size > max_bytes:
        raise ClaimFileError(
            f"file is {size / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB limit",
            file=path,
            hint="split it into one file per source article, or use a tabular claim file (CSV/Parquet)",
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ClaimFileError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            file=path,
            line=line,
            hint="save the file as UTF-8 in your editor",
        ) from None


@collector_paused()
def parse(text: str, path: Path) -> Document:
    """Parse YAML text into a :class:`Document`; malformed YAML raises with its line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise ClaimFileError(
            f"malformed YAML: {problem}",
            file=path,
            line=line,
            hint="check indentation, colons and quotes on this line or the one before",
        ) from None
    except yaml.YAMLError as exc:
        raise ClaimFileError(f"malformed YAML: {exc}", file=path) from None
    doc = Document(path=path, data=None, text=text)
    if node is None:
        return doc
    doc.data = _Builder(doc).build(node, ())
    return doc


def read(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read and parse one YAML file (see :func:`read_text` and :func:`parse`)."""
    return parse(read_text(path, max_bytes=max_bytes), path)


class _Builder:
    """Node tree → Python data, recording lines and refusing aliases and duplicate keys."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()

    def first_alias_line(self) -> int | None:
        """Line of the first ``*alias``: the composed tree only knows where the anchor is."""
        for event in yaml.parse(self.doc.text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1
        return None

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if id(node) in self.seen:
            raise ClaimFileError(
                "YAML anchors and aliases (&name, *name) are not allowed",
                file=self.doc.path,
                line=self.first_alias_line() or node.start_mark.line + 1,
                field=format_path(path) or None,
                hint="write the value out in full",
            )
        self.seen.add(id(node))
        self.doc.lines[path] = node.start_mark.line + 1
        if (
            node.tag not in _PLAIN_TAGS
            or len(path) > MAX_DEPTH
            or (isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_STRING_CHARS)
        ):  # the error's location is worked out only for a node that has one
            self._refuse_unplain(node, path)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise ClaimFileError(
                        "a mapping key must be a plain name",
                        file=self.doc.path,
                        line=key_node.start_mark.line + 1,
                        field=format_path(path) or None,
                    )
                key = key_node.value
                if key == "<<":
                    raise ClaimFileError(
                        "YAML merge keys (<<) are not allowed",
                        file=self.doc.path,
                        line=key_node.start_mark.line + 1,
                        field=format_path(path) or None,
                        hint="write the fields out in full",
                    )
                if key in out:
                    raise ClaimFileError(
                        f"duplicate key '{key}'",
                        file=self.doc.path,
                        line=key_node.start_mark.line + 1,
                        field=format_path(path + (key,)),
                        hint="remove one of the two",
                    )
                self.doc.key_lines[path + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return _scalar(node)

    def _refuse_unplain(self, node: yaml.Node, path: Path_) -> None:
        """Tags, nesting past :data:`MAX_DEPTH` and over-long strings, with their line."""
        where = {
            "file": self.doc.path,
            "line": node.start_mark.line + 1,
            "field": format_path(path) or None,
        }
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise ClaimFileError(
                f"YAML tags such as {tag[:40]!r} are not allowed",
                **where,
                hint="remove the tag: values are plain text, numbers, lists and mappings",
            )
        if len(path) > MAX_DEPTH:
            where["field"] = format_path(path[:3]) + "..."
            raise ClaimFileError(
                f"nested more than {MAX_DEPTH} levels deep",
                **where,
                hint="claim files nest a few levels; check the brackets here",
            )
        if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_STRING_CHARS:
            raise ClaimFileError(
                f"text of {len(node.value):,} characters, over the {MAX_STRING_CHARS:,} limit",
                **where,
                hint="quote the passage that carries the claim, not the whole article",
            )


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() in ("true", "yes", "on")
    if tag == _INT:
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag == _FLOAT:
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value  # str, and timestamps kept as their ISO text
