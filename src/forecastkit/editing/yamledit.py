"""Append entries to hand-edited YAML files so that the diff is only the added lines.

People keep claim files in an editor: comments between list items, flow mappings, quoted
scalars, a last line without a newline. A YAML library that loads and dumps the file (even
ruamel.yaml's round-trip mode) may reflow, re-indent or re-quote some of it, so appends are done
on the text: the new entry is rendered as YAML and inserted after the last line of the last entry
of a top-level list (``claims:``, ``outcomes:``) or mapping (``authors:``), in the indentation the
file already uses. The result is then parsed again and must hold exactly the old data plus the
new entries; only if that check fails is ruamel.yaml's round-trip mode tried, under the same
check, and if that fails too nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from forecastkit.editing.yamlrender import key_text, render_mapping, render_sequence, text_keys
from forecastkit.errors import EditError
from forecastkit.records.yamlio import Document, parse

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_NULL = "tag:yaml.org,2002:null"


# --------------------------------------------------------------------------------------------
# Finding where to insert


class _NeedsFallback(Exception):
    """The text cannot be appended to safely at text level."""


def _top_pair(root: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _is_empty_scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL and node.value == ""


def _last_content_end(node: yaml.Node, key: yaml.Node | None = None) -> int:
    """Text index just after the last character that belongs to ``node``."""
    while True:
        if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
            key, node = node.value[-1]
        elif isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
            key, node = None, node.value[-1]
        else:
            break
    if _is_empty_scalar(node):
        if key is None:  # "- " with nothing after it
            raise _NeedsFallback
        return key.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        if "+" in _block_header(node):
            raise _NeedsFallback  # "keep" chomping: trailing blank lines are content
    return node.end_mark.index


def _block_header(node: yaml.ScalarNode) -> str:
    buffer = node.start_mark.buffer or ""
    start = node.start_mark.index
    end = buffer.find("\n", start)
    return buffer[start : end if end >= 0 else len(buffer)].split("#")[0]


def _line_end(text: str, index: int) -> int:
    """Index of the newline ending the line that holds ``text[index - 1]`` (or len)."""
    while index > 0 and text[index - 1] in " \t\r\n":
        index -= 1
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _indentless_lists(items: list[yaml.Node]) -> bool:
    """Whether the file writes nested lists with dashes under their key (``key:\\n- a``)."""
    for item in items:
        if isinstance(item, yaml.MappingNode):
            for k, v in item.value:
                if isinstance(v, yaml.SequenceNode) and not v.flow_style and v.value:
                    return v.start_mark.column == k.start_mark.column
    return False


def _blank_line_before(text: str, node: yaml.Node) -> bool:
    lines = text.split("\n")
    i = node.start_mark.line - 1
    return 0 <= i < len(lines) and not lines[i].strip()


def _text_append(text: str, key: str, new: list[Any] | dict[str, Any]) -> str:
    root = yaml.compose(text, Loader=_Loader)
    if root is not None and (not isinstance(root, yaml.MappingNode) or root.flow_style):
        raise _NeedsFallback
    pair = _top_pair(root, key) if root is not None else None
    is_list = isinstance(new, list)
    if pair is None:  # no such key yet: add it at the end of the file
        block = render_sequence(new, 2) if is_list else render_mapping(new, 2)
        head = text if not text or text.endswith("\n") else text + "\n"
        return head + f"{key}:\n" + "\n".join(block) + "\n"
    knode, vnode = pair
    items = list(vnode.value) if isinstance(vnode, (yaml.SequenceNode, yaml.MappingNode)) else []
    if not items:
        # `key:`, `key: null`, `key: []` or `key: {}`: the block goes under the key line,
        # and the inline value (if any) is removed from it.
        if isinstance(vnode, (yaml.SequenceNode, yaml.MappingNode)) or not _is_empty_scalar(vnode):
            if (
                vnode.start_mark.line != knode.start_mark.line
                or vnode.end_mark.line != knode.start_mark.line
            ):
                raise _NeedsFallback
            if isinstance(vnode, yaml.ScalarNode) and vnode.tag != _NULL:
                raise _NeedsFallback  # a scalar where a list belongs: not ours to change
            start, end = vnode.start_mark.index, vnode.end_mark.index
            while start > knode.end_mark.index + 1 and text[start - 1] in " \t":
                start -= 1
            text = text[:start] + text[end:]
        col = knode.start_mark.column + 2
        block = render_sequence(new, col) if is_list else render_mapping(new, col)
        at = _line_end(text, knode.end_mark.index + 1)
        return _insert(text, at, block)
    if vnode.flow_style or is_list != isinstance(vnode, yaml.SequenceNode):
        raise _NeedsFallback
    if is_list:
        dash = vnode.start_mark.column
        block = render_sequence(new, dash, indentless=_indentless_lists(items))
        last = items[-1]
        at = _past_own_comments(text, _line_end(text, _last_content_end(last)), dash)
        sep = len(items) > 1 and _blank_line_before(text, last)
    else:
        col = items[0][0].start_mark.column
        block = render_mapping(new, col)
        lk, lv = items[-1]
        at = _past_own_comments(text, _line_end(text, _last_content_end(lv, lk)), col)
        sep = len(items) > 1 and _blank_line_before(text, lk)
    return _insert(text, at, ([""] if sep else []) + block)


def _past_own_comments(text: str, at: int, column: int) -> int:
    """Skip comment lines indented deeper than ``column``: they belong to the last entry."""
    while at < len(text):
        end = text.find("\n", at + 1)
        line = text[at + 1 : end if end >= 0 else len(text)]
        stripped = line.lstrip(" ")
        if not stripped.startswith("#") or len(line) - len(stripped) <= column:
            break
        at = end if end >= 0 else len(text)
    return at


def _insert(text: str, at: int, block: list[str]) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    if 0 < at <= len(text) and text[at - 1] == "\r":
        at -= 1
    added = newline + newline.join(block)
    if at >= len(text):
        return text + added + newline
    return text[:at] + added + text[at:]


# --------------------------------------------------------------------------------------------
# The fallback and the check


def _ruamel_append(text: str, key: str, new: list[Any] | dict[str, Any]) -> str:
    import io

    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    data = rt.load(text)
    if data is None or not isinstance(data, dict):
        raise _NeedsFallback
    new = text_keys(new)  # a float key as the text append writes it: the check compares texts
    current = data.get(key)
    if current is None:
        data[key] = new
    elif isinstance(new, list) and isinstance(current, list):
        current.extend(new)
    elif isinstance(new, dict) and isinstance(current, dict):
        current.update(new)
    else:
        raise _NeedsFallback
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    """What the new entries read back as: dates as ISO text, like :mod:`forecastkit.records.yamlio`."""
    if isinstance(value, Mapping):
        return {key_text(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _read_back(text: str, path: Path) -> Document | None:
    """``text`` parsed, or None when it does not parse: whatever made it is not safe."""
    try:
        return parse(text, path)
    except Exception:  # noqa: BLE001 - any failure means "not safe"
        return None


def _holds(data: Any, old: Any, key: str, new: list[Any] | dict[str, Any]) -> bool:
    """Whether ``data`` (the new text read back) is exactly ``old`` plus the ``new`` entries."""
    if not isinstance(data, dict) or set(data) != set(old or {}) | {key}:
        return False
    if any(data[k] != old[k] for k in data if k != key):
        return False
    before = (old or {}).get(key)
    if isinstance(new, list):
        return data[key] == (before or []) + _plain(new)
    return data[key] == {**(before or {}), **_plain(new)} and list(data[key]) == [
        *(before or {}),
        *new,
    ]


def append_entries(text: str, key: str, new: list[Any] | dict[str, Any], path: Path) -> str:
    """``text`` with ``new`` appended to the top-level list or mapping ``key``.

    Parameters
    ----------
    text:
        The file as it is (it must parse; see :func:`forecastkit.records.yamlio.parse`).
    key:
        The top-level key: ``claims``, ``outcomes`` or ``authors``.
    new:
        Entries to append: a list (for a list) or a mapping (for a mapping such as ``authors``).
    path:
        The file, for messages.

    Raises
    ------
    ClaimFileError
        When ``text`` is not valid YAML (with its line).
    EditError
        When no way of appending keeps every other line and value as it was.
    """
    return append_parsed(parse(text, path), key, new).text


def append_parsed(old: Document, key: str, new: list[Any] | dict[str, Any]) -> Document:
    """:func:`append_entries` on a file already parsed (``old``, from
    :func:`forecastkit.records.yamlio.parse`): the new text, parsed.

    An edit parses each text once: the file it read, and the text this returns, whose
    :class:`~forecastkit.records.yamlio.Document` (data and lines) is the one the edit then
    schema-checks, writes and takes the new entry's line from. ``old`` must hold its data as
    parsed (a schema check fills in defaults: check a copy, as
    :func:`~forecastkit.editing.edit.read_for_edit` does).
    """
    path = old.path
    text, data = old.text, old.data
    if data is not None and not isinstance(data, dict):
        raise EditError("the file does not hold a mapping of fields", file=path, line=1)
    if isinstance(new, dict) and data and isinstance(data.get(key), dict):
        clash = sorted(set(new) & set(data[key]))
        if clash:
            raise EditError(
                f"'{clash[0]}' is already in {key}", file=path, hint="choose another key"
            )
    for attempt in (_text_append, _ruamel_append):
        try:
            candidate = attempt(text, key, new)
        except _NeedsFallback:
            continue
        doc = _read_back(candidate, path)
        if doc is not None and _holds(doc.data, data, key, new):
            return doc
    raise EditError(
        f"cannot append to '{key}' without changing other lines",
        file=path,
        hint=f"add the entry by hand; the file keeps '{key}' in a form forecastkit does not edit",
    )


# --------------------------------------------------------------------------------------------
# Replacing one entry of a list (a candidate claim turned into a claim, or rejected)


def _text_replace(text: str, key: str, index: int, new: Mapping[str, Any]) -> str:
    root = yaml.compose(text, Loader=_Loader)
    pair = _top_pair(root, key) if isinstance(root, yaml.MappingNode) else None
    if pair is None or not isinstance(pair[1], yaml.SequenceNode) or pair[1].flow_style:
        raise _NeedsFallback
    items = pair[1].value
    item = items[index]
    if not isinstance(item, yaml.MappingNode) or item.flow_style or not item.value:
        raise _NeedsFallback
    start = text.rfind("\n", 0, item.start_mark.index) + 1
    if text[start : item.start_mark.index].strip() != "-":
        raise _NeedsFallback  # the entry does not start its own line ("- id: ...")
    end = _line_end(text, _last_content_end(item))
    if 0 < end <= len(text) and text[end - 1] == "\r":
        end -= 1
    dash = text.index("-", start) - start
    block = render_sequence([new], dash, indentless=_indentless_lists(items))
    pad = " " * (dash + 2)
    block += [pad + c for c in _comments(text, start, end)]  # no comment is lost
    newline = "\r\n" if "\r\n" in text else "\n"
    return text[:start] + newline.join(block) + text[end:]


def _comments(text: str, start: int, end: int) -> list[str]:
    """The comments in ``text[start:end]`` (an entry's lines), whole-line and end-of-line: a
    ``#`` at a line's start or after a blank that is not inside a scalar (PyYAML's scanner
    gives the scalars' spans; it drops comments)."""
    spans = [
        (t.start_mark.index, t.end_mark.index)
        for t in yaml.scan(text, Loader=_Loader)
        if isinstance(t, yaml.ScalarToken) and t.end_mark.index > start and t.start_mark.index < end
    ]
    found = []
    for m in re.finditer(r"(?:^|(?<=[ \t]))#[^\r\n]*", text[start:end], re.M):
        at = start + m.start()
        if not any(a <= at < b for a, b in spans):
            found.append(m.group().rstrip())
    return found


def _ruamel_replace(text: str, key: str, index: int, new: Mapping[str, Any]) -> str:
    import io

    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    data = rt.load(text)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise _NeedsFallback
    data[key][index] = dict(new)
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def replace_entry(text: str, key: str, index: int, new: Mapping[str, Any], path: Path) -> str:
    """``text`` with entry ``index`` of the top-level list ``key`` replaced by ``new``.

    Only the entry's lines change: it is rendered as :func:`append_entries` renders a new one,
    in the file's indentation, and any comment written inside it is kept (as a comment line
    after it). The result must parse to the old data with that one entry replaced; else
    ruamel.yaml's round-trip mode is tried under the same check, and if that fails too nothing
    is returned.

    Raises
    ------
    ClaimFileError
        When ``text`` is not valid YAML (with its line).
    EditError
        When there is no such entry, or no way of replacing it keeps every other value.
    """
    return replace_parsed(parse(text, path), key, index, new).text


def replace_parsed(old: Document, key: str, index: int, new: Mapping[str, Any]) -> Document:
    """:func:`replace_entry` on a file already parsed (its data as parsed, as for
    :func:`append_parsed`): the new text, parsed."""
    path = old.path
    text, data = old.text, old.data
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not 0 <= index < len(entries):
        raise EditError(f"no entry {index} in '{key}'", file=path, hint="read the file again")
    want = [*entries[:index], _plain(new), *entries[index + 1 :]]
    for attempt in (_text_replace, _ruamel_replace):
        try:
            candidate = attempt(text, key, index, new)
        except _NeedsFallback:
            continue
        doc = _read_back(candidate, path)
        if (
            doc is not None
            and isinstance(doc.data, dict)
            and set(doc.data) == set(data)
            and all(doc.data[k] == data[k] for k in data if k != key)
            and doc.data[key] == want
        ):
            return doc
    raise EditError(
        f"cannot change an entry of '{key}' without changing other lines",
        file=path,
        hint="edit the entry by hand; nothing was written",
    )
