"""The scripts report pages share, and the links between pages.

A folder of reports holds one copy of each script in ``assets/``: Vega, Vega-Lite and
Vega-Embed (the bundle ``vl-convert`` ships) and DataTables (the offline bundle ``itables``
ships, with its style). Pages load them by relative address (``assets/...``), so the folder works
offline and can be moved or zipped as a whole; a self-contained page (``--self-contained``)
inlines the same scripts instead.

DataTables' bundle is an ES module. Browsers do not load module files from ``file://``
addresses, so the module's text travels in a plain script (``window.fkDataTablesSource``) and
the page imports it from a ``blob:`` address, which is how ``itables`` itself works offline.
Tables marked ``fk-paged`` (:data:`PAGED_CLASS`), and any other ``fk-table`` longer than
:data:`PAGE_ROWS` rows, become searchable, sortable, paged tables.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from forecastkit.records.atomic import write_text_atomic

#: The folder beside the pages that holds the shared scripts.
ASSETS_DIR = "assets"
#: The class of tables that DataTables makes searchable, sortable and paged.
PAGED_CLASS = "fk-paged"
#: Tables with more rows than this are paged (smaller ones stay plain tables).
PAGE_ROWS = 10

#: DataTables set-up for every ``table.fk-paged`` of the page and every other ``fk-table`` with
#: more than :data:`PAGE_ROWS` rows: 10 rows a page, the order of the table as built until the
#: reader sorts, widths from the page's style.
TABLES_JS = r"""
(function () {
  var tables = Array.prototype.filter.call(
    document.querySelectorAll("table.fk-paged, table.fk-table"), function (table) {
      return table.classList.contains("fk-paged") ||
        (table.tBodies.length === 1 && table.tBodies[0].rows.length > PAGE_ROWS);
    });
  if (!tables.length || typeof window.fkDataTablesSource !== "string") { return; }
  var url = URL.createObjectURL(new Blob([window.fkDataTablesSource], {type: "text/javascript"}));
  import(url).then(function (module) {
    var DataTable = module.default;
    tables.forEach(function (table) {
      new DataTable(table, {pageLength: 10, lengthMenu: [10, 25, 100, 500], order: [],
                            autoWidth: false, deferRender: true});
    });
  }).catch(function (error) { console.warn("tables stay plain:", error); });
})();
""".replace("PAGE_ROWS", str(PAGE_ROWS))

#: How DataTables' controls sit in a report page.
TABLES_CSS = """
.dt-container { margin: 0.5rem 0 1rem; font-size: 13px; }
.dt-container table.fk-table { margin: 0; width: 100% !important; }
.dt-container .dt-layout-table { overflow-x: auto; }
"""


def _itables_html(name: str) -> Path:
    import itables

    return Path(itables.__file__).parent / "html" / name


def _js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that cannot end a ``<script>`` element."""
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.lru_cache(maxsize=1)
def datatables_script() -> str:
    """DataTables (``itables``' offline bundle) as a plain script that holds the module's text."""
    source = _itables_html("dt_bundle.js").read_text(encoding="utf-8")
    return f"window.fkDataTablesSource = {_js_string(source)};\n"


@functools.lru_cache(maxsize=1)
def datatables_css() -> str:
    return _itables_html("dt_bundle.css").read_text(encoding="utf-8") + TABLES_CSS


def _versions() -> tuple[str, str, str]:
    import itables
    import nbconvert
    import vl_convert as vlc

    return vlc.__version__, getattr(itables, "__version__", "0"), nbconvert.__version__


@dataclass(frozen=True)
class Asset:
    """One shared file: its name in ``assets/`` and a function giving its text."""

    name: str
    kind: str  # vega | script | style | lab-style

    def text(self, vega: str = "", lab_css: str = "") -> str:
        """The file's text (``vega``: the Vega bundle, ``lab_css``: JupyterLab's style, both of
        which :mod:`forecastkit.reports.html` builds)."""
        if self.kind == "vega":
            return vega
        if self.kind == "lab-style":
            return lab_css
        return datatables_script() if self.kind == "script" else datatables_css()


def assets() -> tuple[Asset, Asset, Asset, Asset]:
    """The Vega bundle, the DataTables script and its style, and the JupyterLab style of
    nbconvert's ``lab`` template, named by their versions."""
    vega, tables, lab = _versions()
    return (
        Asset(f"vega-{vega}.js", "vega"),
        Asset(f"datatables-{tables}.js", "script"),
        Asset(f"datatables-{tables}.css", "style"),
        Asset(f"jupyterlab-nbconvert-{lab}.css", "lab-style"),
    )


def write_assets(output: Path, vega: str, lab_css: str) -> list[Path]:
    """Write the shared files into ``output/assets/`` (those already there as they should be
    are left alone); ``vega`` is the Vega bundle's text, ``lab_css`` JupyterLab's style
    (:func:`forecastkit.reports.html.lab_css`). Returns their paths."""
    folder = Path(output) / ASSETS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for asset in assets():
        path = folder / asset.name
        text = asset.text(vega, lab_css)
        try:
            same = path.stat().st_size == len(text.encode("utf-8"))
        except OSError:
            same = False
        if not same:
            write_text_atomic(path, text)
        paths.append(path)
    return paths


def page_resources(
    *, charts: bool, tables: bool, embed_js: str, linked: bool, vega: str = ""
) -> tuple[str, str]:
    """The ``<head>`` and end-of-page HTML of a report page: styles and scripts for its charts
    and paged tables, linked from ``assets/`` (``linked``) or inlined (``vega``: the bundle's
    text, needed then)."""
    vega_asset, script, style, _ = assets()
    head, foot = [], []
    if tables:
        head.append(
            f'<link rel="stylesheet" href="{ASSETS_DIR}/{style.name}">'
            if linked
            else f"<style>{style.text()}</style>"
        )
    if charts:
        foot.append(
            f'<script src="{ASSETS_DIR}/{vega_asset.name}"></script>'
            if linked
            else f'<script type="text/javascript">{vega}</script>'
        )
        foot.append(f'<script type="text/javascript">{embed_js}</script>')
    if tables:
        foot.append(
            f'<script src="{ASSETS_DIR}/{script.name}"></script>'
            if linked
            else f'<script type="text/javascript">{script.text()}</script>'
        )
        foot.append(f'<script type="text/javascript">{TABLES_JS}</script>')
    return "".join(head), "".join(foot)


# --------------------------------------------------------------------------- links between pages

# fragments.report_link writes class and href in one order or the other (both are matched)
_LINKED = re.compile(
    r'<a (?:href="([^"/]+)\.html" class="fk-report-link"'
    r'|class="fk-report-link" href="([^"/]+)\.html")>'
)
_UNLINKED = re.compile(r'<a class="fk-report-link fk-no-report" data-report="([^"/]+)">')


def report_links(page: str) -> set[str]:
    """The claimant keys whose reports ``page`` links to (or would, were they there)."""
    return {a or b for a, b in _LINKED.findall(page)} | set(_UNLINKED.findall(page))


def relink(page: str, present: set[str]) -> str:
    """``page`` with a link to each report in ``present`` and none to the others: a link to a
    missing report becomes its plain label, and turns back into a link once the report exists."""

    def unlink(m: re.Match[str]) -> str:
        key = m.group(1) or m.group(2)
        return (
            m.group(0)
            if key in present
            else (f'<a class="fk-report-link fk-no-report" data-report="{key}">')
        )

    def link(m: re.Match[str]) -> str:
        key = m.group(1)
        return f'<a href="{key}.html" class="fk-report-link">' if key in present else m.group(0)

    return _UNLINKED.sub(link, _LINKED.sub(unlink, page))


def has_long_table(markup: str) -> bool:
    """Whether HTML holds a table that the page pages (see :data:`TABLES_JS`): one marked
    :data:`PAGED_CLASS`, or an ``fk-table`` with more than :data:`PAGE_ROWS` rows (counted
    roughly: a page that has none loads no table script)."""
    return PAGED_CLASS in markup or (
        'class="fk-table' in markup and markup.count("<tr") > PAGE_ROWS + 1
    )


def table_class(n_rows: int) -> str:
    """The class of a table of ``n_rows`` rows: paged (:data:`PAGED_CLASS`) above
    :data:`PAGE_ROWS`, a plain ``fk-table`` otherwise."""
    return f"fk-table {PAGED_CLASS}" if n_rows > PAGE_ROWS else "fk-table"
