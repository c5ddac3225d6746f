"""Executed report notebooks as HTML pages that render offline.

nbconvert's ``lab`` template does the layout (its CSS is inlined); the blocks that would fetch
require.js, MathJax or Mermaid from a CDN are left empty. Each Vega-Lite chart output becomes a
``<div>`` holding a static SVG (drawn by ``vl-convert``, so the chart shows even where scripts
do not run) and its spec as inert JSON; Vega, Vega-Lite and Vega-Embed (the bundle ``vl-convert``
ships) at the end of the page replace each static chart with the interactive one, tooltips
included, and DataTables pages long tables. Those scripts are inlined (a single self-contained
file) or, for a folder of reports, loaded from the one copy in ``assets/`` beside the pages
(:mod:`forecastkit.reports.assets`).
"""

from __future__ import annotations

import copy
import functools
import html
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forecastkit.records.atomic import write_text_atomic
from forecastkit.reports.fragments import FRAGMENT_CSS, for_page

_TEMPLATE = r"""
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}<style type="text/css">{{ resources.forecastkit_css }}</style>
{{- resources.forecastkit_head }}{% endblock extra_css %}
{% block footer_js %}{{ resources.forecastkit_foot }}{% endblock footer_js %}
{% block notebook_css %}{% if resources.forecastkit_lab_css -%}
<link rel="stylesheet" href="{{ resources.forecastkit_lab_css }}">
{%- else %}<!--fk-lab-css-->{{ super() }}<!--/fk-lab-css-->{% endif %}{% endblock notebook_css %}
"""

REPORT_CSS = (
    """
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.jp-Cell { padding: 0; }
.fk-chart { margin: 0.5rem 0 1rem; overflow-x: auto; }
.fk-chart svg { max-width: 100%; height: auto; }
"""
    + FRAGMENT_CSS
)  # the fragments' own style, which they also carry into notebooks

EMBED_JS = r"""
(function () {
  if (typeof window.vegaEmbed !== "function") { return; }
  var specs = document.querySelectorAll("script.fk-spec");
  Array.prototype.forEach.call(specs, function (node) {
    var target = document.getElementById(node.getAttribute("data-target"));
    if (!target) { return; }
    var holder = document.createElement("div");
    target.appendChild(holder);
    window.vegaEmbed(holder, JSON.parse(node.textContent), {actions: false, renderer: "svg"})
      .then(function (result) {
        // overview.html#find=NAME: the league chart's search starts with NAME (an author
        // report links its reader there)
        var found = /(?:^#|&)find=([^&]*)/.exec(window.location.hash);
        if (found) {
          try { result.view.signal("find", decodeURIComponent(found[1])).runAsync(); }
          catch (e) { /* a chart with no search */ }
        }
        var fallback = target.querySelector(".fk-static");
        if (fallback) { fallback.parentNode.removeChild(fallback); }
        target.className += " fk-live";
      })
      .catch(function (error) { holder.parentNode.removeChild(holder); console.warn(error); });
  });
})();
"""


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` as ``\\u`` escapes,
    so that no text (a quote holding ``</script>``, say) can end the element."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "forecastkit"


@functools.lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script (``vl_convert.javascript_bundle``).

    Building it takes seconds, so it is kept in ``~/.cache/forecastkit`` per vl-convert
    version; ``</script`` is escaped so the bundle can sit inside a ``<script>`` element.
    """
    import vl_convert as vlc

    path = _cache_dir() / f"vega-bundle-{vlc.__version__}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vlc.javascript_bundle().replace("</script", "<\\/script")
    try:
        write_text_atomic(path, bundle)
    except OSError:  # a read-only home: build it again next time
        pass
    return bundle


def chart_html(
    spec: dict[str, Any], chart_id: str, *, static: bool = True, svg: str | None = None
) -> str:
    """The HTML of one chart: a static SVG fallback (``svg``, drawn when not given) and the
    spec for Vega-Embed."""
    if not static:
        svg = ""
    elif not svg:
        import vl_convert as vlc

        svg = vlc.vegalite_to_svg(spec)
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :]
    return (
        f'<div class="fk-chart" id="{html.escape(chart_id)}"><div class="fk-static">{svg}</div></div>'
        f'<script type="application/json" class="fk-spec" data-target="{html.escape(chart_id)}">'
        f"{script_json(spec)}</script>"
    )


def prepare_notebook(nb: Any, *, static_charts: bool = True) -> tuple[Any, int]:
    """A copy of ``nb`` ready for export: charts as HTML, stderr streams and parameter cells
    dropped. Returns the copy and the number of charts."""
    from forecastkit.reports.charts import SVG_MIMETYPE, VEGALITE_MIMETYPES, page_spec

    nb = copy.deepcopy(nb)
    n_charts = 0
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"parameters", "injected-parameters"}:
            continue
        if cell.cell_type == "code":
            outputs = []
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                data = out.get("data", {})
                mime = next((m for m in VEGALITE_MIMETYPES if m in data), None)
                if mime is not None:
                    n_charts += 1
                    out["data"] = {
                        "text/html": chart_html(
                            page_spec(data[mime]),
                            f"fk-chart-{n_charts}",
                            static=static_charts,
                            svg="".join(data.get(SVG_MIMETYPE) or ""),
                        )
                    }
                    out["metadata"] = {}
                elif "text/html" in data:
                    data["text/html"] = for_page("".join(data["text/html"]))
                outputs.append(out)
            cell["outputs"] = outputs
        cells.append(cell)
    nb.cells = cells
    return nb, n_charts


@functools.lru_cache(maxsize=1)
def _exporter() -> Any:
    from jinja2 import DictLoader

    from forecastkit.reports.nbexport import FastHTMLExporter

    exporter = FastHTMLExporter(
        extra_loaders=[DictLoader({"forecastkit_report.html.j2": _TEMPLATE})],
        template_file="forecastkit_report.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    return exporter


def lab_css_address() -> str:
    """Where a page in a folder of reports finds JupyterLab's style (``assets/``)."""
    from forecastkit.reports.assets import ASSETS_DIR, assets

    return f"{ASSETS_DIR}/{assets()[3].name}"


@functools.lru_cache(maxsize=1)
def lab_css() -> str:
    """The style nbconvert's ``lab`` template inlines in every page (about 240 kB): written once
    to ``assets/`` (:func:`lab_css_address`) for a folder of reports."""
    import re

    import nbformat

    page, _ = _exporter().from_notebook_node(
        nbformat.v4.new_notebook(),
        resources={
            "metadata": {"name": ""},
            "forecastkit_css": "",
            "forecastkit_head": "",
            "forecastkit_foot": "",
            "forecastkit_lab_css": "",
        },
    )
    block = page.split("<!--fk-lab-css-->", 1)[1].split("<!--/fk-lab-css-->", 1)[0]
    return "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", block, flags=re.S))


def _has_paged_table(nb: Any) -> bool:
    from forecastkit.reports.assets import has_long_table

    return any(
        has_long_table("".join(out.get("data", {}).get("text/html", "")))
        for cell in nb.cells
        for out in cell.get("outputs", [])
    )


def notebook_html(
    nb: Any, *, title: str | None = None, static_charts: bool = True, linked_assets: bool = False
) -> str:
    """An executed notebook as one HTML page (see the module docstring): self-contained, or
    with ``linked_assets`` loading the shared scripts from ``assets/`` beside it
    (:mod:`forecastkit.reports.assets`, written by :func:`~forecastkit.reports.assets.write_assets`)."""
    from forecastkit.reports.assets import page_resources

    prepared, n_charts = prepare_notebook(nb, static_charts=static_charts)
    if title:
        prepared.metadata["title"] = title
    head, foot = page_resources(
        charts=n_charts > 0,
        tables=_has_paged_table(prepared),
        embed_js=EMBED_JS,
        linked=linked_assets,
        vega=vega_bundle() if n_charts and not linked_assets else "",
    )
    resources = {
        "metadata": {"name": title or "forecastkit report"},
        "forecastkit_css": REPORT_CSS,
        "forecastkit_head": head,
        "forecastkit_foot": foot,
        "forecastkit_lab_css": lab_css_address() if linked_assets else "",
    }
    body, _ = _exporter().from_notebook_node(prepared, resources=resources)
    return body


@dataclass(frozen=True)
class IndexEntry:
    """One line of the index: a report's link, its title and a one-line summary."""

    href: str
    title: str
    summary: str
    status: str = "ok"  # ok | failed (the last good report is kept) | missing


def index_html(
    entries: Iterable[IndexEntry],
    *,
    heading: str = "Forecast reports",
    note: str | None = None,
    downloads: Iterable[tuple[str, str]] = (),
) -> str:
    """The index page linking every report, each with its one-line summary (all text escaped);
    ``downloads`` are (label, relative address) pairs listed under it."""
    items = []
    for e in entries:
        flag = {
            "failed": " (the last run of this report failed; this is the previous one)",
            "missing": " (not produced: the run failed)",
        }.get(e.status, "")
        label = html.escape(e.title)
        link = label if e.status == "missing" else f'<a href="{html.escape(e.href)}">{label}</a>'
        items.append(f"<li>{link}: {html.escape(e.summary)}{html.escape(flag)}</li>")
    extra = f"<p>{html.escape(note)}</p>" if note else ""
    files = [f'<a href="{html.escape(href)}">{html.escape(label)}</a>' for label, href in downloads]
    if files:
        extra += f"<p>Data: {', '.join(files)}</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)}</title><style>"
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:960px;"
        "margin:2rem auto;padding:0 1rem;line-height:1.5;color:#212121}"
        "li{margin:4px 0}a{color:#1565c0}</style></head><body>"
        f"<h1>{html.escape(heading)}</h1>{extra}<ul>{''.join(items)}</ul></body></html>\n"
    )


_FETCHING_TAGS = {
    "script": "src",
    "link": "href",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "track": "src",
}


def external_resources(page: str) -> list[str]:
    """Every address a browser would fetch to render ``page``: scripts, styles, fonts, images
    and frames that are not inline (``<a href>`` links are not fetched and not listed)."""
    import re
    from html.parser import HTMLParser

    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            wanted = _FETCHING_TAGS.get(tag)
            for name, value in attrs:
                if (
                    value
                    and (name == wanted or name == "srcset")
                    and not value.startswith(("data:", "#"))
                ):
                    found.append(f"<{tag} {name}={value}>")

    Finder(convert_charrefs=True).feed(page)
    for style in re.findall(r"<style[^>]*>(.*?)</style>", page, flags=re.S | re.I):
        found += [f"@import {m}" for m in re.findall(r"@import\s+([^;]+);", style)]
        found += [f"url({m})" for m in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", style)]
    return found
