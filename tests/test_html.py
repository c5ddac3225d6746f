"""HTML export: one self-contained file, charts inlined once, claim text escaped."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from forecastkit.reports import html as fkhtml
from forecastkit.reports.charts import VEGALITE_MIMETYPE

HOSTILE_QUOTE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def _spec(quote: str = HOSTILE_QUOTE) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": [{"x": 0.2, "y": 0.3, "quote": quote}]},
        "mark": {"type": "point"},
        "encoding": {
            "x": {"field": "x", "type": "quantitative"},
            "y": {"field": "y", "type": "quantitative"},
            "tooltip": [{"field": "quote", "type": "nominal"}],
        },
    }


def _notebook(n_charts: int = 2) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('author = "x"')
    params.metadata["tags"] = ["injected-parameters"]
    chart_cells = []
    for _ in range(n_charts):
        cell = nbformat.v4.new_code_cell("chart")
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data", data={VEGALITE_MIMETYPE: _spec(), "text/plain": "<chart>"}
            )
        ]
        chart_cells.append(cell)
    table = nbformat.v4.new_code_cell("table")
    table.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>&lt;script&gt;</p>"}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), params, *chart_cells, table]
    return nb


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "<!-- x",
        "a & b > c",
        "\u2028line",
        {"k": ["</SCRIPT>"]},
    ],
)
def test_script_json_cannot_end_the_script_element(value):
    text = fkhtml.script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value


def test_prepare_notebook_turns_charts_into_html_and_drops_noise():
    nb = _notebook(2)
    prepared, n = fkhtml.prepare_notebook(nb, static_charts=False)
    assert n == 2
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in prepared.cells)
    outputs = [o for c in prepared.cells if c.cell_type == "code" for o in c.outputs]
    assert not any(o.get("name") == "stderr" for o in outputs)
    charts = [o for o in outputs if "fk-spec" in o.get("data", {}).get("text/html", "")]
    assert len(charts) == 2 and all(set(o.data) == {"text/html"} for o in charts)
    assert nb.cells[2].outputs[0].data[VEGALITE_MIMETYPE]  # the original is left alone


@pytest.mark.parametrize("static", [True, False])
def test_report_html_is_self_contained_and_escapes_claim_text(static):
    page = fkhtml.notebook_html(_notebook(2), title="<b>A</b> & co", static_charts=static)
    assert fkhtml.external_resources(page) == []
    assert page.count("window.vegaEmbed=") == 1  # the bundle is inlined once
    assert page.count('class="fk-spec"') == 2
    assert "<title>&lt;b&gt;A&lt;/b&gt; &amp; co</title>" in page
    # the hostile quote is only ever data: escaped JSON, never markup
    assert HOSTILE_QUOTE not in page
    assert "window.__pwned=1</script>" not in page
    assert ('<div class="fk-static"><svg' in page) is static
    assert "a warning" not in page


def test_page_without_charts_has_no_javascript_bundle():
    page = fkhtml.notebook_html(_notebook(0))
    assert "vegaEmbed" not in page
    assert fkhtml.external_resources(page) == []


@pytest.mark.parametrize(
    "snippet,expected",
    [
        ('<script src="https://cdn.example/x.js"></script>', 1),
        ('<link rel="stylesheet" href="//cdn.example/x.css">', 1),
        ("<style>@import url(x.css);</style>", 1),
        ("<style>@font-face{src:url(https://fonts.example/f.woff)}</style>", 1),
        ('<img src="data:image/png;base64,AAAA">', 0),
        ('<a href="https://example.org/evidence">evidence</a>', 0),
        ("<script>var u = 'https://vega.github.io/schema';</script>", 0),
    ],
)
def test_external_resources_finds_what_a_browser_would_fetch(snippet, expected):
    assert (
        len(fkhtml.external_resources(f"<html><head></head><body>{snippet}</body></html>"))
        == expected
    )


def test_vega_bundle_is_a_classic_script_safe_to_inline():
    bundle = fkhtml.vega_bundle()
    assert "window.vegaEmbed=" in bundle
    assert not re.search(r"</script", bundle, flags=re.I)
    assert not re.search(r"^\s*(import|export)\s", bundle, flags=re.M)


def test_index_escapes_titles_and_summaries():
    page = fkhtml.index_html(
        [
            fkhtml.IndexEntry("a.html", "<script>x</script>", "1 forecast & more"),
            fkhtml.IndexEntry("b.html", "B", "failed", status="failed"),
            fkhtml.IndexEntry("c.html", "C", "never made", status="missing"),
        ]
    )
    assert "<script>x" not in page and "&lt;script&gt;x" in page
    assert "1 forecast &amp; more" in page
    assert "previous one" in page
    assert 'href="c.html"' not in page
    assert fkhtml.external_resources(page) == []
