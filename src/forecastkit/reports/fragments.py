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

#: How fragments look, wherever they are shown. Each selector outranks JupyterLab's own output
#: styles (``:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td`` right-aligns every cell, for
#: one), so a fragment looks the same in JupyterLab as in the HTML reports, whose page style
#: (:mod:`forecastkit.reports.html`) includes this too. Only ``fk-`` classes are styled.
FRAGMENT_CSS = """
.fk-table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 13px; }
.fk-table caption { caption-side: bottom; text-align: left; color: #555; font-size: 12px;
  padding-top: 4px; }
.jp-RenderedHTMLCommon table.fk-table th, .jp-RenderedHTMLCommon table.fk-table td,
  table.fk-table th, table.fk-table td {
  border-bottom: 1px solid #ddd; padding: 4px 8px; vertical-align: top; text-align: left;
  max-width: 32em;
  line-height: 1.4; }
.jp-RenderedHTMLCommon table.fk-table th, table.fk-table th { background: #f5f5f5; }
.jp-RenderedHTMLCommon table.fk-table td.fk-num, table.fk-table td.fk-num { text-align: right;
  font-variant-numeric: tabular-nums; }
.jp-RenderedHTMLCommon table.fk-table td[data-col="made on"],
  .jp-RenderedHTMLCommon table.fk-table td[data-col="deadline"],
.jp-RenderedHTMLCommon table.fk-table td[data-col="published"],
  table.fk-table td[data-col="made on"],
table.fk-table td[data-col="deadline"], table.fk-table td[data-col="published"] {
  white-space: nowrap; }
table.fk-table td[data-col="quote and proposition"] { min-width: 20em; }
.fk-table q { font-style: italic; }
.fk-prop { color: #555; }
.fk-note { border-left: 4px solid #ef6c00; background: #fff3e0; padding: 8px 12px; margin: 8px 0; }
.jp-RenderedHTMLCommon dl.fk-facts, dl.fk-facts { display: grid;
  grid-template-columns: max-content auto;
  gap: 2px 16px; margin: 0.5rem 0; text-align: left; }
.jp-RenderedHTMLCommon dl.fk-facts dt, dl.fk-facts dt { color: #555; font-weight: normal;
  margin: 0; padding: 0; }
.jp-RenderedHTMLCommon dl.fk-facts dd, dl.fk-facts dd { margin: 0; padding: 0; }
.fk-status { padding: 1px 6px; border-radius: 3px; color: #fff; white-space: nowrap; }
.fk-true { background: #2e7d32; } .fk-false { background: #c62828; } .fk-open {
  background: #757575; }
.fk-overdue { background: #ef6c00; } .fk-ambiguous { background: #6a1b9a; } .fk-annulled {
  background: #5d4037; }
.fk-not-a-forecast { background: #90a4ae; }
"""
#: The ``<style>`` element every fragment carries in a notebook output (see :data:`FRAGMENT_CSS`).
STYLE_ELEMENT = f'<style class="fk-style">{FRAGMENT_CSS}</style>'

#: Where the HTML reports are, seen from a notebook in ``notebooks/`` or ``reports/`` (both sit
#: in the project root), so report links work in JupyterLab; HTML pages, which sit beside the
#: reports they link, drop this prefix (:func:`forecastkit.reports.html.prepare_notebook`).
REPORTS_PREFIX = "../reports/"


#: Characters of a fragment's plain-text form (its text/plain output) at most.
PLAIN_TEXT_LIMIT = 2_000


class Fragment:
    """HTML built by this module (all text escaped); shown as HTML in a notebook."""

    __slots__ = ("html",)

    def __init__(self, markup: str) -> None:
        self.html = markup

    def _repr_html_(self) -> str:
        """The markup with its style (:data:`STYLE_ELEMENT`), so that it looks the same in a
        notebook as in a report page."""
        return STYLE_ELEMENT + self.html

    def __repr__(self) -> str:
        """The output's text/plain: the text without tags, cut at :data:`PLAIN_TEXT_LIMIT`
        characters (a viewer with no HTML gets a glimpse; a 5,000-row table is not stored
        twice in every notebook)."""
        import re

        plain = html.unescape(re.sub(r"<[^>]+>", "", self.html)).strip()
        if len(plain) <= PLAIN_TEXT_LIMIT:
            return plain
        return (
            plain[:PLAIN_TEXT_LIMIT].rstrip() + f" \u2026 ({len(plain) - PLAIN_TEXT_LIMIT:,}"
            " more characters: the HTML output has them all)"
        )

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
        for k, v in attrs.items()
        if v is not None and v is not False
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


def report_link(label: Any, key: str) -> Fragment:
    """A link to the HTML report of claimant ``key`` (``../reports/<key>.html``, see
    :data:`REPORTS_PREFIX`)."""
    return tag("a", label, href=f"{REPORTS_PREFIX}{key}.html", class_="fk-report-link")


def for_page(markup: str) -> str:
    """Notebook output HTML as it goes into a report page beside the other reports: no
    per-output style (the page has it once) and report links relative to the page."""
    return markup.replace(STYLE_ELEMENT, "").replace(f'href="{REPORTS_PREFIX}', 'href="')


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


#: A table with more rows than this (and an id) styles its columns once, by position, instead
#: of in every cell (see :func:`table`).
LONG_TABLE_ROWS = 10
#: Column styles of :data:`FRAGMENT_CSS` keyed by header, for a long table's scoped style.
COLUMN_STYLES = {
    "made on": "white-space: nowrap",
    "deadline": "white-space: nowrap",
    "published": "white-space: nowrap",
    "quote and proposition": "min-width: 20em",
}
_NUMERIC_STYLE = "text-align: right; font-variant-numeric: tabular-nums"


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

    ``numeric`` lists the column positions to right-align. Each ``<td>`` of a short table
    carries ``data-col="<header>"`` so that tests and scripts can read values back. A table
    with an id and more than :data:`LONG_TABLE_ROWS` rows (5,000 claims, say) has plain cells
    and one ``<style>`` for its columns, by position and scoped to its id: the same look in a
    sixth of the markup per cell.
    """
    rows = list(rows)
    long = table_id is not None and len(rows) > LONG_TABLE_ROWS
    out = []
    if long:
        scope = f"#{table_id}"
        rules = []
        for i, name in enumerate(header, start=1):
            styles = [COLUMN_STYLES[name]] if name in COLUMN_STYLES else []
            styles += [_NUMERIC_STYLE] if i - 1 in numeric else []
            if styles:
                rules.append(f"{scope} td:nth-child({i}) {{ {'; '.join(styles)}; }}")
        if rules:
            out.append(
                f'<style class="fk-columns">{html.escape(" ".join(rules), quote=False)}</style>'
            )
    out.append(
        f'<table class="{html.escape(cls)}"'
        + (f' id="{html.escape(table_id)}"' if table_id else "")
        + ">"
    )
    if caption is not None:
        out.append(f"<caption>{text(caption)}</caption>")
    out.append(
        "<thead><tr>" + "".join(f"<th>{text(h)}</th>" for h in header) + "</tr></thead><tbody>"
    )
    if long:
        for row in rows:
            out.append("<tr>" + "".join(f"<td>{text(value)}</td>" for value in row) + "</tr>")
    else:
        for row in rows:
            cells = []
            for i, (name, value) in enumerate(zip(header, row, strict=False)):
                align = ' class="fk-num"' if i in numeric else ""
                cells.append(f'<td data-col="{html.escape(str(name))}"{align}>{text(value)}</td>')
            out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return Fragment("".join(out))


def definition_list(items: Iterable[tuple[str, Any]], cls: str = "fk-facts") -> Fragment:
    """``<dl>`` of (term, value) pairs, skipping missing values."""
    parts = [f"<dt>{text(k)}</dt><dd>{text(v)}</dd>" for k, v in items if text(v) != ""]
    return Fragment(f'<dl class="{html.escape(cls)}">' + "".join(parts) + "</dl>")
