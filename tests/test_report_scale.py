"""Reports at scale (issue 12): 5,000 forecasts on a page, 300 reports in a folder, partial runs.

Fast tests cover the pieces (who is reported on, ranking, the aggregate timeline, links between
pages, the index); slow ones execute the notebooks: a partial run on the example corpus that keeps
the index whole, and the reports of the most active PredictionBook forecasters (skipped without
``../shared/data/``) opened in headless Chromium: no console errors, the timeline drawn, the page
at most :data:`MAX_HEIGHT` px tall at 1,300 px wide, the claims table searchable.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from forecastkit.records.corpus import load
from forecastkit.reports import assets, catalog, ranking, timelines
from forecastkit.reports import runner as rp

from conftest import FIXTURE_CORPUS, ROOT, TODAY

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PREDICTIONBOOK = SHARED_DATA / "predictionbook" / "public.csv.zip"
AS_OF = "2026-11-30"
#: The tallest an author page may be at 1,300 px wide.
MAX_HEIGHT = 20_000
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --------------------------------------------------------------------------- who is reported on


@pytest.mark.parametrize(
    "min_claims,min_resolved,expected",
    [
        (1, 0, ["ana-lindqvist", "harbour-desk", "port-officials", "tomas-reyes"]),
        (1, 1, ["ana-lindqvist", "harbour-desk", "tomas-reyes"]),
        (1, 3, ["ana-lindqvist"]),
        (3, 0, ["ana-lindqvist", "tomas-reyes"]),
        (1, 99, []),
    ],
)
def test_min_resolved_selects_claimants(min_claims, min_resolved, expected):
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    got = rp.claimants_to_report(corpus, min_claims, min_resolved, as_of=TODAY)
    counts = (
        corpus.forecasts()
        .groupby("claimant")["status"]
        .agg(made="size", resolved=lambda s: int(s.isin(["true", "false"]).sum()))
    )
    assert got == sorted(
        k for k, r in counts.iterrows() if r["made"] >= min_claims and r["resolved"] >= min_resolved
    )
    assert got == expected


def test_min_resolved_is_a_report_option(tmp_path):
    from click.testing import CliRunner

    from forecastkit.cli import main

    result = CliRunner().invoke(
        main, ["report", str(FIXTURE_CORPUS), "--output", str(tmp_path), "--min-resolved", "-1"]
    )
    assert result.exit_code == 2 and "--min-resolved" in result.output


# --------------------------------------------------------------------------- ranking


def _league(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": [f"c{i:04d}" for i in range(n)],
            "name": [f"C {i}" for i in range(n)],
            "n": 30,
            "n_resolved": [5 + i % 40 for i in range(n)],
            "brier": [(i * 37 % n) / n for i in range(n)],
            "brier_low": 0.0,
            "brier_high": 1.0,
            "low_n": False,
            "ranked": True,
        }
    )


def test_ranks_need_the_minimum_resolved_and_the_chart_shows_both_ends():
    league = ranking.rank_at_least(_league(400), 20)
    ranked = league[league["ranked"]]
    assert (ranked["n_resolved"] >= 20).all()
    assert (league.loc[~league["ranked"], "n_resolved"] < 20).all()
    assert ranked["brier"].is_monotonic_increasing
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    assert league.loc[~league["ranked"], "rank"].isna().all()
    shown, title = ranking.chart_rows(league)
    drawn = shown[shown["end"]]
    assert len(shown) == len(ranked) and len(drawn) == 2 * ranking.CHART_ENDS
    assert drawn["name"].iloc[0].startswith("#1 ")
    assert drawn["name"].iloc[-1].startswith(f"#{len(ranked)} ")
    assert f"of {len(ranked)} ranked" in title and "find" in title
    # a claimant's own place is drawn from the start
    middle = ranked["group"].iloc[len(ranked) // 2]
    mine, _ = ranking.chart_rows(league, highlight=middle)
    assert mine["end"].sum() == 2 * ranking.CHART_ENDS + 1
    assert bool(mine.loc[mine["group"] == middle, "end"].iloc[0])
    note = ranking.unranked_note(league, 20)
    assert f"{len(ranked)} claimants with 20 or more" in note
    assert f"{len(league) - len(ranked)} others with fewer left unranked" in note


@pytest.mark.slow
def test_the_league_chart_finds_a_readers_place_in_a_browser(tmp_path):
    """Typing part of a name into the chart's search box adds the best matching ranked
    claimants (at most FIND_MATCHES) at their place; clearing it leaves the two ends; a link
    ending in #find=NAME opens the chart with the search made."""
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    from forecastkit.reports import charts
    from forecastkit.reports.html import EMBED_JS, chart_html, vega_bundle

    league = ranking.rank_at_least(_league(400), 20)
    shown, title = ranking.chart_rows(league)
    spec = charts.league_chart(shown, None, title=title).to_dict()
    page_file = tmp_path / "league.html"
    page_file.write_text(
        "<html><body>"
        + chart_html(spec, "fk-chart-1", static=False)
        + f"<script>{vega_bundle()}</script><script>{EMBED_JS}</script></body></html>",
        "utf-8",
    )
    names = (
        "Array.from(document.querySelectorAll('.role-axis-label text'))"
        ".map(t => t.textContent).filter(t => t.startsWith('#'))"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_selector(".fk-live")
            assert len(page.evaluate(names)) == 2 * ranking.CHART_ENDS

            def expected(query: str) -> list[str]:
                """The two ends, and the claimants so named first, then the best of those
                whose name holds the query, FIND_MATCHES at most."""
                label = shown["label"].str.lower()
                hits = (
                    shown[label.str.contains(query, regex=False)]
                    .assign(exact=label == query)
                    .sort_values(["exact", "brier"], ascending=[False, True])
                )
                top = hits["name"].head(charts.FIND_MATCHES)
                return sorted(set(shown.loc[shown["end"], "name"]) | set(top))

            def drawn(count: int) -> list[str]:
                page.wait_for_function(f"({names}).length === {count}")
                return sorted(page.evaluate(names))

            # ranked (20 or more resolved) and holding "c 33": C 33 and C 335 to C 339
            want = expected("c 33")
            assert len(want) > 2 * ranking.CHART_ENDS
            page.fill("input[type=search]", "c 33")
            assert drawn(len(want)) == want
            # "c 1" is in dozens of names: only the best ten are added
            page.fill("input[type=search]", "c 1")
            assert drawn(len(expected("c 1"))) == expected("c 1")
            # a name inside ten others' ("c 35" is in C 350 to C 359): its own row first
            page.fill("input[type=search]", "c 35")
            assert any(n.endswith(" C 35") for n in drawn(len(expected("c 35"))))
            page.fill("input[type=search]", "")
            assert len(drawn(2 * ranking.CHART_ENDS)) == 2 * ranking.CHART_ENDS
            # an author report links to overview.html#find=NAME: the search starts with it
            page.goto(page_file.as_uri() + "#find=c%2033")
            page.reload()
            page.wait_for_selector(".fk-live")
            assert drawn(len(want)) == want
            assert errors == []
        finally:
            browser.close()


def test_nobody_is_ranked_on_no_resolved_forecast_even_with_min_n_0():
    league = _league(3).assign(n_resolved=[0, 1, 5])  # min_n 0: low_n is False for all
    ranked = ranking.rank_at_least(league, 0)
    assert ranked.loc[ranked["group"] == "c0000", "rank"].isna().all()
    assert ranked["ranked"].sum() == 2 and ranking.rank_threshold(0, 0) == 1


def test_chart_rows_when_nobody_is_ranked():
    league = ranking.rank_at_least(_league(3), 1000)
    shown, title = ranking.chart_rows(league)
    assert len(shown) == 3 and "none has enough" in title


# --------------------------------------------------------------------------- timeline


def _claims(n: int, far: int = 0) -> pd.DataFrame:
    made = pd.date_range("2008-01-01", periods=n, freq="D").astype("datetime64[s]")
    deadline = made + pd.Timedelta(days=90)
    deadline = pd.Series(deadline).where(pd.Series(range(n)) >= far, pd.Timestamp("9999-12-31"))
    status = pd.Series(["true", "false", "open", "overdue"] * (n // 4 + 1))[:n]
    return pd.DataFrame(
        {
            "claim_id": [f"c{i}" for i in range(n)],
            "quote": [f"claim {i}" for i in range(n)],
            "hedge": "(stated number)",
            "probability": 0.5,
            "made_on": made,
            "resolve_by": deadline.astype("datetime64[s]"),
            "resolved_on": pd.Series(made + pd.Timedelta(days=30)).where(
                status.isin(["true", "false"])
            ),
            "shown_status": status.to_numpy(),
        }
    )


def _walk(spec: object):
    if isinstance(spec, dict):
        yield spec
        for v in spec.values():
            yield from _walk(v)
    elif isinstance(spec, list):
        for v in spec:
            yield from _walk(v)


@pytest.mark.parametrize(
    "n,far,aggregate",
    [(3, 0, False), (3, 1, False), (200, 5, False), (201, 0, True), (5000, 40, True)],
)
def test_timeline_draws_at_any_size(n, far, aggregate):
    from forecastkit.reports import charts

    spec = charts.timeline_chart(_claims(n, far)).to_dict()
    assert ("vconcat" in spec) == aggregate
    assert not any(isinstance(node.get("sort"), list) for node in _walk(spec))  # no sort lists
    svg = charts.static_svg(spec)
    assert svg.lstrip().startswith("<svg")
    text = str(spec)
    years = [int(t) for t in re.findall(r">(\d{4})</text>", svg)]
    assert not years or max(years) < 2100  # a 9999-12-31 deadline does not stretch the axis
    if far:
        assert f"{far} deadline{'s' if far != 1 else ''} after" in text
    if aggregate:
        assert f"{n} forecasts: more than {timelines.MAX_MARKS}" in text


def test_axis_ends_ten_years_after_the_last_event():
    data = _claims(10, far=2)
    end = timelines.axis_end(data)
    assert end == data["resolved_on"].max() + pd.DateOffset(
        years=timelines.HORIZON_YEARS
    ) or end == data["made_on"].max() + pd.DateOffset(years=timelines.HORIZON_YEARS)
    near = _claims(10)
    assert timelines.axis_end(near) == near["resolve_by"].max()


def test_a_chart_that_cannot_be_drawn_says_why():
    from forecastkit.errors import ReportError
    from forecastkit.reports import charts

    bad = {
        "mark": "point",
        "data": {"values": [{"x": 1}]},
        "encoding": {"x": {"field": "x", "type": "nope"}},
        "title": "broken",
    }
    with pytest.raises(ReportError) as info:
        charts.static_svg(bad)
    message = str(info.value)
    assert "'broken' could not be drawn:" in message and "\n" not in message
    assert len(message.split("could not be drawn:")[1].strip()) > 10  # the cause, not a heading


# --------------------------------------------------------------------------- pages and the index


@pytest.mark.parametrize(
    "present,links,unlinked",
    [
        ({"a", "b"}, {"a", "b"}, set()),
        ({"a"}, {"a"}, {"b"}),
        (set(), set(), {"a", "b"}),
    ],
)
def test_relink_links_only_reports_that_exist_and_back(present, links, unlinked):
    page = (
        '<p><a href="a.html" class="fk-report-link">A &amp; co</a>, '
        '<a class="fk-report-link" href="b.html">B</a></p>'
    )
    out = assets.relink(page, present)
    assert assets.report_links(out) == {"a", "b"}
    for key in links:
        assert f'href="{key}.html"' in out
    for key in unlinked:
        assert f'href="{key}.html"' not in out and f'data-report="{key}"' in out
    again = assets.relink(out, {"a", "b"})
    assert 'href="a.html"' in again and 'href="b.html"' in again and "fk-no-report" not in again


def test_long_tables_are_paged_and_short_ones_stay_plain():
    from forecastkit.reports import fragments as fx

    short = fx.table(["x"], [[i] for i in range(assets.PAGE_ROWS)], cls=assets.table_class(10)).html
    long = fx.table(["x"], [[i] for i in range(50)], cls=assets.table_class(50)).html
    assert not assets.has_long_table(short) and assets.has_long_table(long)
    assert assets.PAGED_CLASS in long and assets.PAGED_CLASS not in short


def test_assets_are_written_once_and_pages_link_them(tmp_path):
    from forecastkit.reports.html import lab_css, lab_css_address, vega_bundle

    paths = assets.write_assets(tmp_path, vega_bundle(), lab_css())
    assert [p.parent.name for p in paths] == [assets.ASSETS_DIR] * 4
    assert (tmp_path / lab_css_address()).stat().st_size > 100_000
    stamps = [p.stat().st_mtime_ns for p in paths]
    assets.write_assets(tmp_path, vega_bundle(), lab_css())
    assert [p.stat().st_mtime_ns for p in paths] == stamps
    head, foot = assets.page_resources(charts=True, tables=True, embed_js="", linked=True)
    for p in paths[:3]:  # (JupyterLab's style is linked by the page template)
        assert f"{assets.ASSETS_DIR}/{p.name}" in head + foot
    head, foot = assets.page_resources(
        charts=True, tables=True, embed_js="", linked=False, vega=vega_bundle()
    )
    assert f"{assets.ASSETS_DIR}/" not in head + foot and "fkDataTablesSource" in foot


def test_index_lists_every_report_in_the_folder(tmp_path):
    from forecastkit.reports.jobs import ReportResult, RunSummary

    for key, title in (
        ("overview", "Overview"),
        ("old-one", "Old One: forecast record"),
        ("orphan", "Orphan: forecast record"),
    ):
        (tmp_path / f"{key}.html").write_text(f"<html><head><title>{title}</title></head></html>")
        (tmp_path / f"{key}.ipynb").write_text("{}")
    (tmp_path / "half.html").write_text("no notebook beside it: not a report")
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    jobs = rp.plan_reports(corpus, tmp_path, authors=["ana-lindqvist"], as_of="2025-06-30")
    summary = RunSummary(
        output=tmp_path,
        results=[ReportResult("overview", "unchanged"), ReportResult("ana-lindqvist", "failed")],
    )
    manifest = {"old-one": {"title": "Old One: forecast record", "summary": "3 forecasts"}}
    index = catalog.write_index(tmp_path, jobs, summary, manifest).read_text("utf-8")
    assert '<a href="old-one.html">Old One: forecast record</a>: 3 forecasts' in index
    assert '<a href="orphan.html">Orphan: forecast record</a>' in index
    assert 'href="ana-lindqvist.html"' not in index  # failed, and there is no earlier page
    assert "half.html" not in index and "3 reports in this folder" in index
    assert index.index("overview.html") < index.index("old-one.html") < index.index("orphan.html")


# --------------------------------------------------------------------------- partial runs


@pytest.mark.slow
def test_a_partial_run_keeps_the_index_whole(tmp_path):
    root = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    out = tmp_path / "reports"
    first = rp.run_reports(
        root,
        out,
        authors=["ana-lindqvist"],
        as_of="2025-06-30",
        progress=False,
        static_charts=False,
    )
    assert first.ok, first.render()
    overview = (out / "overview.html").read_text("utf-8")
    assert 'href="ana-lindqvist.html"' in overview and 'href="tomas-reyes.html"' not in overview
    assert 'data-report="tomas-reyes"' in overview  # named, not linked: no such report yet
    second = rp.run_reports(
        root, out, authors=["tomas-reyes"], as_of="2025-06-30", progress=False, static_charts=False
    )
    assert second.ok, second.render()
    assert "tomas-reyes" in [r.key for r in second.written]
    index = (out / "index.html").read_text("utf-8")
    for key in ("overview", "ana-lindqvist", "tomas-reyes"):
        assert f'href="{key}.html"' in index
    assert 'href="harbour-desk.html"' not in index
    overview = (out / "overview.html").read_text("utf-8")
    assert 'href="ana-lindqvist.html"' in overview and 'href="tomas-reyes.html"' in overview
    assert 'href="harbour-desk.html"' not in overview
    for page in out.glob("*.html"):  # every link to a report goes to one that exists
        for key in assets.report_links(page.read_text("utf-8")):
            if f'href="{key}.html"' in page.read_text("utf-8"):
                assert (out / f"{key}.html").is_file()


# --------------------------------------------------------------------------- PredictionBook


@pytest.fixture(scope="module")
def predictionbook(tmp_path_factory) -> Path:
    """The PredictionBook dump imported into a copy of the example corpus."""
    if not PREDICTIONBOOK.is_file():
        pytest.skip(f"the PredictionBook dump is not here ({PREDICTIONBOOK})")
    from click.testing import CliRunner

    from forecastkit.cli import main

    root = tmp_path_factory.mktemp("pb") / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    result = CliRunner().invoke(
        main,
        ["import", str(root), str(PREDICTIONBOOK), "--from", "predictionbook", "--skip-bad-rows"],
    )
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def busiest_reports(predictionbook, tmp_path_factory) -> tuple[Path, list[str]]:
    """The author reports of the three most active forecasters and of a 5-forecast claimant
    (the overview is left out: it is the same code at any size, and slow)."""
    from forecastkit.reports.html import lab_css, vega_bundle
    from forecastkit.reports.kernels import ensure_kernel

    ensure_kernel()
    corpus = load(predictionbook)
    busiest = (
        corpus.forecasts()["claimant"]
        .value_counts()
        .sort_index()
        .sort_values(ascending=False, kind="stable")
        .index[:3]
        .tolist()
    )
    keys = [*busiest, "ana-lindqvist"]
    out = tmp_path_factory.mktemp("pb-reports")
    jobs = [
        j
        for j in rp.plan_reports(corpus, out, authors=keys, as_of=AS_OF)
        if j.key != rp.OVERVIEW_KEY
    ]
    assets.write_assets(out, vega_bundle(), lab_css())
    results = [result for _, result in rp._execute(jobs, 2, False)]
    assert all(r.status == "written" for r in results), [r.error for r in results]
    return out, keys


@pytest.mark.slow
def test_busiest_forecasters_pages_in_a_browser(busiest_reports):
    if not CHROMIUM.is_file():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    out, keys = busiest_reports
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            for key in keys:
                _check_page(browser, out / f"{key}.html")
        finally:
            browser.close()


def _check_page(browser, path: Path) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"error: {e}"))
    page.goto(path.as_uri(), wait_until="load", timeout=120_000)
    page.wait_for_function(
        "document.querySelectorAll('.fk-chart').length > 0 && "
        "document.querySelectorAll('.fk-chart').length === "
        "document.querySelectorAll('.fk-chart.fk-live').length",
        timeout=60_000,
    )
    page.wait_for_function(
        "n => { const t = document.querySelector('#fk-claims'); "
        "return !t || t.classList.contains('dataTable') || "
        "t.tBodies[0].rows.length <= n; }",
        arg=assets.PAGE_ROWS,
        timeout=60_000,
    )
    assert messages == [], (path.name, messages)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_HEIGHT, (path.name, height)
    # the timeline: the chart after the "Timeline" heading, drawn live with marks in it
    marks = page.evaluate("""() => {
        const h = Array.from(document.querySelectorAll('h2'))
          .find(e => e.textContent.startsWith('Timeline'));
        const all = Array.from(document.querySelectorAll('.fk-chart.fk-live'));
        const chart = all.find(
          c => h.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING);
        return chart ? chart.querySelectorAll('path, line, rect').length : 0; }""")
    assert marks > 10, (path.name, marks)
    rows = page.evaluate("document.querySelectorAll('#fk-claims tbody tr').length")
    paged = page.evaluate("document.querySelector('#fk-claims').classList.contains('dataTable')")
    if rows and paged:
        # searchable: the quote of the last claim on the first page finds it
        quote = page.evaluate(
            "document.querySelector('#fk-claims tbody tr:last-child q').textContent"
        )
        box = page.locator(".dt-container:has(#fk-claims) input[type=search]")
        box.fill(quote)
        page.wait_for_function(
            "q => Array.from(document.querySelectorAll('#fk-claims tbody tr q'))"
            ".every(e => e.textContent === q)",
            arg=quote,
            timeout=10_000,
        )
        found = page.evaluate("document.querySelectorAll('#fk-claims tbody tr').length")
        assert 1 <= found <= rows, (path.name, found)
    page.close()


@pytest.mark.slow
def test_busiest_forecasters_pages_share_the_scripts(busiest_reports):
    from forecastkit.reports.html import external_resources

    out, keys = busiest_reports
    for key in keys:
        page = (out / f"{key}.html").read_text("utf-8")
        fetched = external_resources(page)
        assert fetched and all("=assets/" in r for r in fetched), fetched
        assert len(page) < 8_000_000
        assert "RangeError" not in page


def test_the_dump_is_located_beside_the_project():
    assert PREDICTIONBOOK.parts[-4:] == ("shared", "data", "predictionbook", "public.csv.zip")
    assert dt.date.fromisoformat(AS_OF) <= dt.date.today()


def test_fast_exporter_gives_the_page_nbconvert_gives():
    """The same elements with the same attributes as nbconvert's HTMLExporter (which parses the
    page again with BeautifulSoup), heading anchors closed and areas focusable."""
    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from forecastkit.reports.nbexport import FastHTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## A heading\nSome *text*."),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/html": "<table><tr><td>1</td></tr></table>",
                        "image/png": "iVBORw0KGgo=",
                    },
                )
            ],
        ),
    ]

    def elements(page: str) -> list[tuple[str, tuple]]:
        soup = BeautifulSoup(page, "html.parser")
        return [
            (e.name, tuple(sorted((k, str(v)) for k, v in e.attrs.items())))
            for e in soup.find_all(True)
        ]

    fast, _ = FastHTMLExporter().from_notebook_node(nb)
    slow, _ = HTMLExporter().from_notebook_node(nb)
    assert elements(fast) == elements(slow)
    assert 'class="anchor-link" href="#A-heading"' in fast and not re.search(r"<a\b[^>]*/>", fast)
    empty, _ = FastHTMLExporter(anchor_link_text="").from_notebook_node(nb)
    assert '<a class="anchor-link" href="#A-heading"></a>' in empty


def test_the_head_to_head_matrix_is_bounded_and_says_how_many_it_leaves_out():
    import forecastkit
    from forecastkit.reports.shared_view import head_to_head_matrix, relative

    corpus = forecastkit.load(ROOT / "claims")
    names = corpus.authors.set_index("claimant")["name"]
    everyone = relative(corpus.claims, "time-weighted").head_to_head["claimant"].nunique()
    assert everyone > 2
    html = head_to_head_matrix(corpus.claims, names, "time-weighted", limit=2)._repr_html_()
    assert html.count("<tr") == 3  # the header and two claimants
    assert f"{everyone - 2} others share questions too" in html
    full = head_to_head_matrix(corpus.claims, names, "time-weighted")._repr_html_()
    assert full.count("<tr") == everyone + 1 and "others share" not in full


@pytest.mark.slow
def test_shared_questions_stay_short_on_busy_tracker_questions(predictionbook):
    """A tracker question with dozens of forecasts shows the claimant's own and a summary of the
    others; the head-to-head names opponents with MIN_HEAD_TO_HEAD shared questions or more and
    sums the rest in its caption, so the totals are all still there."""
    from forecastkit.records.snapshot import as_of
    from forecastkit.reports import shared_view

    corpus = load(predictionbook)
    claims = as_of(corpus.claims, pd.Timestamp(AS_OF))
    names = corpus.authors.set_index("claimant")["name"]
    author = claims["claimant"].value_counts().index[0]
    page = shared_view.author_section(claims, author, names, "time-weighted")._repr_html_()
    shared = re.search(r'<table[^>]*id="fk-shared-questions".*?</table>', page, re.S).group(0)
    own = f"{names.get(author, author)}: "
    for cell in re.findall(r"<td>((?:<div>.*?</div>)+)</td>", shared):
        lines = re.findall(r"<div>(.*?)</div>", cell)
        assert len([x for x in lines if not x.startswith(own)]) <= shared_view.LISTED_FORECASTS
    assert re.search(r"<div>\d+ forecasts by \d+ others: median [\d.]+ \(from", shared)
    h2h = re.search(r'<table[^>]*id="fk-head-to-head".*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", h2h)
    everyone = shared_view.relative(claims, "time-weighted").head_to_head
    mine = everyone[everyone["claimant"] == author]
    assert all(int(n) >= shared_view.MIN_HEAD_TO_HEAD for _, n, _, _ in rows)
    rest = re.search(
        r"Not listed: (\d+) others with fewer than 3 shared questions each, "
        r"together (\d+) shared, (\d+) wins",
        h2h,
    )
    assert len(rows) + int(rest.group(1)) == len(mine)
    assert sum(int(r[1]) for r in rows) + int(rest.group(2)) == int(mine["n_shared"].sum())
    assert sum(int(r[2]) for r in rows) + int(rest.group(3)) == int(mine["wins"].sum())
    assert "data-col" not in h2h and "nth-child" in page  # a long table styles its columns once
