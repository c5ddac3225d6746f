"""Small pieces of HTML for report notebooks, with every piece of text escaped.

Text from claim files (quotes, titles, names) is never trusted: it goes through
:func:`html.escape` on its way into a :class:`Fragment`, and links keep only ``http``/``https``
addresses. A :class:`Fragment` is HTML this module built; notebooks display it as is.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import Any


class Fragment:
    """HTML built by this module (all text escaped); shown as HTML in a notebook."""

    __slots__ = ("html",)

    def __init__(self, markup: str) -> None:
        self.html = markup

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # text/plain of the output: the text without tags
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self.html)).strip()

    def __add__(self, other: Fragment) -> Fragment:
        return Fragment(self.html + other.html)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fragment) and other.html == self.html

    __hash__ = None  # type: ignore[assignment]


def text(value: Any) -> str:
    """Escaped text of any value; missing values (None, NaN, <NA>) as an empty string."""
    if isinstance(value, Fragment):
        return value.html
    if is_missing(value):
        return ""
    return html.escape(str(value), quote=True)


def is_missing(value: Any) -> bool:
    """None, NaN, ``pd.NA`` and ``pd.NaT``."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    import pandas as pd

    return value is pd.NA or value is pd.NaT


def tag(name: str, content: Any = "", **attrs: Any) -> Fragment:
    """``<name attrs>content</name>``: content escaped unless it is a Fragment."""
    attributes = "".join(
        f' {k.rstrip("_").replace("_", "-")}="{html.escape(str(v), quote=True)}"'
        for k, v in attrs.items() if v is not None and v is not False
    )
    return Fragment(f"<{name}{attributes}>{text(content)}</{name}>")


def join(parts: Iterable[Fragment | str], sep: str = "") -> Fragment:
    """Fragments (and escaped strings) joined by the escaped separator."""
    return Fragment(html.escape(sep).join(text(p) for p in parts))


def safe_url(url: Any) -> str | None:
    """The address if it is an ``http``/``https`` URL (no ``javascript:`` or ``data:``)."""
    if is_missing(url):
        return None
    value = str(url).strip()
    return value if value.lower().startswith(("http://", "https://")) else None


def link(label: Any, url: Any) -> Fragment:
    """A link opening in a new tab, or the plain label when the address is not http(s)."""
    href = safe_url(url)
    if href is None:
        return Fragment(text(label))
    return tag("a", label, href=href, target="_blank", rel="noopener noreferrer")


def paragraph(content: Any, cls: str | None = None) -> Fragment:
    return tag("p", content, class_=cls)


def note(content: Any) -> Fragment:
    """A highlighted remark (e.g. too few resolved forecasts to judge)."""
    return tag("div", content, class_="fk-note")


def number(value: Any, digits: int = 3) -> str:
    """``0.182``; an empty string for missing or non-finite values."""
    if is_missing(value):
        return ""
    v = float(value)
    if not math.isfinite(v):
        return "∞" if v > 0 else ("−∞" if v < 0 else "")
    # + 0.0 turns the -0.0 of a tiny negative value rounded away (-0.0004 -> "-0.000") into 0
    return f"{round(v, digits) + 0.0:.{digits}f}"


def percent(value: Any, digits: int = 0) -> str:
    if is_missing(value):
        return ""
    return f"{100 * float(value):.{digits}f}%"


def interval(low: Any, high: Any, digits: int = 3) -> str:
    """``[0.120, 0.251]``, or an empty string when either end is missing."""
    lo, hi = number(low, digits), number(high, digits)
    return f"[{lo}, {hi}]" if lo and hi else ""


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    table_id: str | None = None,
    cls: str = "fk-table",
    numeric: Sequence[int] = (),
    caption: Any = None,
) -> Fragment:
    """An HTML table; cells are escaped text unless they are Fragments.

    ``numeric`` lists the column positions to right-align. Each ``<td>`` carries
    ``data-col="<header>"`` so that tests and scripts can read values back.
    """
    out = [f'<table class="{html.escape(cls)}"' + (f' id="{html.escape(table_id)}"' if table_id else "") + ">"]
    if caption is not None:
        out.append(f"<caption>{text(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{text(h)}</th>" for h in header) + "</tr></thead><tbody>")
    for row in rows:
        cells = []
        for i, (name, value) in enumerate(zip(header, row)):
            align = ' class="fk-num"' if i in numeric else ""
            cells.append(f'<td data-col="{html.escape(str(name))}"{align}>{text(value)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return Fragment("".join(out))


def definition_list(items: Iterable[tuple[str, Any]], cls: str = "fk-facts") -> Fragment:
    """``<dl>`` of (term, value) pairs, skipping missing values."""
    parts = [f"<dt>{text(k)}</dt><dd>{text(v)}</dd>" for k, v in items if text(v) != ""]
    return Fragment(f'<dl class="{html.escape(cls)}">' + "".join(parts) + "</dl>")
