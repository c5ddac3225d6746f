"""Render new entries as YAML text, one line per field, as people write claim files.

Scalars are quoted only where YAML needs it, floats are written as people write them, lists of
scalars in flow style (``tags: [a, b]``) and nested mappings in block style, at any indentation:
:mod:`forecastkit.editing.yamledit` inserts these lines into a file in the indentation it
already uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

_WIDE = 1 << 30  # never fold long lines: a folded plain scalar would change indentation rules
_STR = "tag:yaml.org,2002:str"
#: Text that can be written plain: starts with a letter, no ": ", no " #", no flow characters.
_PLAIN_SAFE = re.compile(r"^[A-Za-z][A-Za-z0-9 ._()/'-]*$")


def render_scalar(value: Any) -> str:
    """One scalar as YAML text on one line, quoted only where YAML needs it.

    Strings that would read as something else (``"true"``, ``"1.0"``, ``"2024-01-01"``, ``"no"``)
    are quoted; so are strings with ``": "`` or ``" #"``; multi-line text is double-quoted with
    escapes. Dates (``datetime.date``) and booleans are written plain.
    """
    if value is None:
        return "null"
    if isinstance(value, str) and _PLAIN_SAFE.match(value) and _reads_as_text(value):
        return value  # the common case, without a round through the emitter
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, str) and any(ch in value for ch in "\n\r\t\x85\u2028\u2029"):
        style: str | None = '"'
    else:
        style = None
    text = yaml.safe_dump(value, default_style=style, width=_WIDE, allow_unicode=True)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.rstrip("\n")


def float_text(value: float) -> str:
    """A float as people write it and YAML 1.1 reads back: ``0.00001``, not PyYAML's
    ``1.0e-05``; exponents only outside 1e-16..1e16 (and ``.nan``, ``.inf``).

    A mapping key is read back as its text (``records/yamlio.py``): a quantile level must be
    written as :func:`key_text` says, or the re-read file would hold another key.
    """
    import math
    from decimal import Decimal

    if not math.isfinite(value) or (value != 0 and not 1e-16 <= abs(value) < 1e16):
        return yaml.safe_dump(value).removesuffix("\n...\n").rstrip("\n")
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"  # a dot: read as a float, not an int


def key_text(key: Any) -> str:
    """A mapping key as the file will read it back: its text (a float as :func:`float_text`
    writes it)."""
    if isinstance(key, float):
        return float_text(key)
    return str(key)


def text_keys(value: Any) -> Any:
    """``value`` with every float mapping key as its :func:`key_text` (values kept)."""
    if isinstance(value, Mapping):
        return {key_text(k) if isinstance(k, float) else k: text_keys(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [text_keys(v) for v in value]
    return value


def _reads_as_text(value: str) -> bool:
    """Whether a plain scalar ``value`` reads back as the same text (not true, null, 1.0 ...)."""
    if value != value.strip():
        return False
    resolver = yaml.resolver.Resolver()
    return resolver.resolve(yaml.ScalarNode, value, (True, False)) == _STR


def _flow_list(values: Sequence[Any]) -> str:
    return yaml.safe_dump(
        list(values), default_flow_style=True, width=_WIDE, allow_unicode=True
    ).rstrip("\n")


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, dt.date))


def render_mapping(
    mapping: Mapping[str, Any], indent: int, *, indentless: bool = False
) -> list[str]:
    """Lines of a block mapping at ``indent`` columns.

    Lists of scalars are written in flow style (``tags: [a, b]``), nested mappings and lists of
    mappings in block style; ``indentless`` puts a nested list's dashes under its key.
    """
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        head = f"{pad}{render_scalar(key)}:"
        if isinstance(value, Mapping) and value:
            lines.append(head)
            lines += render_mapping(value, indent + 2, indentless=indentless)
        elif isinstance(value, (list, tuple)) and value and all(_is_scalar(v) for v in value):
            lines.append(f"{head} {_flow_list(value)}")
        elif isinstance(value, (list, tuple)) and value:
            lines.append(head)
            lines += render_sequence(
                value, indent if indentless else indent + 2, indentless=indentless
            )
        elif isinstance(value, Mapping):
            lines.append(f"{head} {{}}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{head} []")
        else:
            lines.append(f"{head} {render_scalar(value)}")
    return lines


def render_sequence(items: Sequence[Any], dash: int, *, indentless: bool = False) -> list[str]:
    """Lines of a block sequence whose dashes are at column ``dash``."""
    lines: list[str] = []
    for item in items:
        if isinstance(item, Mapping) and item:
            body = render_mapping(item, dash + 2, indentless=indentless)
            body[0] = " " * dash + "- " + body[0][dash + 2 :]
            lines += body
        elif isinstance(item, (list, tuple)) and item:
            lines.append(" " * dash + "- " + _flow_list(item))
        else:
            lines.append(" " * dash + "- " + render_scalar(item))
    return lines
