"""HTML fragments escape every piece of claim text and keep only http(s) links."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from forecastkit.reports import fragments as fx

HOSTILE = [
    ("<script>window.__pwned=1</script>", "&lt;script&gt;window.__pwned=1&lt;/script&gt;"),
    (
        '<img src=x onerror="window.__pwned=1">',
        "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;",
    ),
    ("Tom & Jerry's", "Tom &amp; Jerry&#x27;s"),
    ("plain", "plain"),
]


@pytest.mark.parametrize("value,expected", HOSTILE)
def test_text_is_escaped_in_tags_and_tables(value, expected):
    assert fx.tag("q", value).html == f"<q>{expected}</q>"
    table = fx.table(["quote"], [[value]]).html
    assert f">{expected}</td>" in table
    assert "<script>" not in table and "<img" not in table


@pytest.mark.parametrize(
    "url,href",
    [
        ("https://example.org/a?b=1&c=2", 'href="https://example.org/a?b=1&amp;c=2"'),
        ("http://example.org", 'href="http://example.org"'),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        (' "onmouseover="alert(1)', None),
        (None, None),
    ],
)
def test_links_keep_only_http_addresses(url, href):
    html = fx.link("<b>label</b>", url).html
    assert "&lt;b&gt;label&lt;/b&gt;" in html
    if href is None:
        assert "<a" not in html
    else:
        assert href in html and 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize(
    "value,missing",
    [
        (None, True),
        (float("nan"), True),
        (pd.NA, True),
        (pd.NaT, True),
        (0.0, False),
        ("", False),
        ("x", False),
        (math.inf, False),
    ],
)
def test_missing_values(value, missing):
    assert fx.is_missing(value) is missing


@pytest.mark.parametrize(
    "value,digits,text",
    [
        (0.18249, 3, "0.182"),
        (1, 2, "1.00"),
        (None, 3, ""),
        (float("nan"), 3, ""),
        (math.inf, 3, "∞"),
        (-0.0004, 3, "0.000"),
        (-0.004, 2, "0.00"),
        (-0.006, 2, "-0.01"),
    ],
)
def test_number(value, digits, text):
    assert fx.number(value, digits) == text


def test_interval_needs_both_ends():
    assert fx.interval(0.1, 0.25) == "[0.100, 0.250]"
    assert fx.interval(float("nan"), 0.25) == ""


def test_fragment_plain_text_repr_has_no_tags():
    frag = fx.tag("p", "a < b") + fx.tag("b", "c")
    assert repr(frag) == "a < bc"
    assert frag._repr_html_() == fx.STYLE_ELEMENT + "<p>a &lt; b</p><b>c</b>"


def test_fragments_carry_their_style_into_notebooks_and_drop_it_on_a_page():
    frag = fx.definition_list([("claimant", fx.report_link("Ana", "ana"))])
    shown = frag._repr_html_()
    assert shown.startswith('<style class="fk-style">') and "dl.fk-facts" in shown
    # in JupyterLab the link is relative to notebooks/ (or reports/): ../reports/ana.html
    assert 'href="../reports/ana.html"' in shown
    page = fx.for_page(shown)
    assert "<style" not in page and 'href="ana.html"' in page


@pytest.mark.parametrize(
    "rule",
    [
        ".jp-RenderedHTMLCommon table.fk-table td",  # outranks JupyterLab's right-aligned cells
        '.jp-RenderedHTMLCommon table.fk-table td[data-col="made on"]',  # dates do not wrap
        ".jp-RenderedHTMLCommon dl.fk-facts",  # header: label, value on one row
        ".fk-true",
        ".fk-false",
        ".fk-overdue",  # coloured outcome badges
    ],
)
def test_fragment_style_covers_what_jupyterlab_would_override(rule):
    assert rule in fx.FRAGMENT_CSS


def test_table_cells_carry_their_column_and_alignment():
    html = fx.table(["name", "n"], [["x", 3]], table_id="t", numeric=(1,)).html
    assert '<table class="fk-table" id="t">' in html
    assert '<td data-col="n" class="fk-num">3</td>' in html


def test_a_long_table_styles_its_columns_once_by_position():
    rows = [["2024-01-01", f"claim {i}", i] for i in range(fx.LONG_TABLE_ROWS + 1)]
    long = fx.table(
        ["made on", "quote and proposition", "n"], rows, table_id="fk-x", numeric=(2,)
    ).html
    assert "data-col" not in long and "<td>2024-01-01</td>" in long
    assert "#fk-x td:nth-child(1) { white-space: nowrap; }" in long
    assert "#fk-x td:nth-child(2) { min-width: 20em; }" in long
    assert "#fk-x td:nth-child(3) { text-align: right;" in long
    short = fx.table(["made on", "n"], [r[::2] for r in rows[:3]], table_id="fk-y", numeric=(1,))
    assert '<td data-col="n" class="fk-num">0</td>' in short.html and "<style" not in short.html
