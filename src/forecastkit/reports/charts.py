"""Altair charts over the tables of :mod:`forecastkit.reports.views`, for notebooks and HTML reports.

Every builder takes a DataFrame and returns an ``altair`` chart; none reads files. Tooltips
carry claim text as data, which Vega renders as text (never as HTML). :func:`enable` makes a
notebook show each chart twice in one output: as Vega-Lite JSON for the renderer built into
JupyterLab 4 (offline, with tooltips) and as a static SVG drawn by vl-convert (GitHub, nbviewer,
anything without a Vega renderer); :mod:`forecastkit.reports.html` turns both into
self-contained HTML.

Which Vega-Lite? Altair 6 writes Vega-Lite 6 specs, but JupyterLab 4's built-in renderer
(``@jupyterlab/vega5-extension``) bundles Vega-Lite 5.6.1 and only reads
``application/vnd.vegalite.v5+json``; given a v6 ``$schema`` it logs a version warning for every
chart. The notebook output therefore carries the spec under the v5 MIME type with the ``$schema``
of the Vega-Lite JupyterLab ships (:data:`JUPYTERLAB_VEGALITE`); the charts here use only
Vega-Lite features that version has (the browser test draws every chart in JupyterLab and fails
on any warning). HTML pages and the SVG use the spec as Altair wrote it, with the Vega-Lite
vl-convert bundles (:func:`page_spec`).
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

import pandas as pd

from forecastkit.errors import ReportError
from forecastkit.reports.jobs import STATIC_CHARTS_ENV

if TYPE_CHECKING:
    import altair as alt

#: The MIME type JupyterLab renders natively (its Vega-Lite 5 renderer reads these specs).
VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"
#: The Vega-Lite version bundled by JupyterLab 4's renderer (``@jupyterlab/vega5-extension``
#: 4.x, from JupyterLab 4.0 to at least 4.6): the ``$schema`` notebook outputs declare.
JUPYTERLAB_VEGALITE = "5.6.1"
#: The static image every chart output carries.
SVG_MIMETYPE = "image/svg+xml"
#: Every Vega-Lite MIME type a notebook output may use (Altair versions differ).
VEGALITE_MIMETYPES = (
    VEGALITE_MIMETYPE,
    "application/vnd.vegalite.v6+json",
    "application/vnd.vegalite.v6.json",
    "application/vnd.vegalite.v4+json",
)

#: Colours of claim statuses, the same in every chart.
STATUS_COLOURS = {
    "true": "#2e7d32",
    "false": "#c62828",
    "open": "#9e9e9e",
    "overdue": "#ef6c00",
    "ambiguous": "#6a1b9a",
    "annulled": "#5d4037",
    "not a forecast": "#cfd8dc",
}

WIDTH = 520
HEIGHT = 320


def _schema_url(version: str) -> str:
    return f"https://vega.github.io/schema/vega-lite/v{version}.json"


def lab_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` declaring the Vega-Lite version JupyterLab's renderer bundles."""
    return {**spec, "$schema": _schema_url(JUPYTERLAB_VEGALITE)}


def page_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` declaring the Vega-Lite version of vl-convert's bundle (the one HTML pages
    inline and the static SVG is drawn with), so Vega-Embed does not warn about versions."""
    import vl_convert as vlc

    return {**spec, "$schema": _schema_url(vlc.get_vegalite_versions()[-1])}


def static_svg(spec: dict[str, Any]) -> str:
    """The chart as a static SVG document (vl-convert, no browser, no network)."""
    import vl_convert as vlc

    try:
        svg = vlc.vegalite_to_svg(page_spec(spec))
    except Exception as exc:  # noqa: BLE001 - vl-convert raises ValueError with a multi-line text
        raise ReportError(
            f"chart {_label(spec)!r} could not be drawn: {_cause(exc)}",
            hint="report this chart's data; --no-static-charts skips the SVG",
        ) from None
    return svg[svg.index("?>") + 2 :].lstrip() if svg.startswith("<?xml") else svg


def _label(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    label = title.get("text") if isinstance(title, dict) else title
    if not label and spec.get("vconcat"):
        return _label(spec["vconcat"][0])
    return str(label or spec.get("mark", "chart"))


def _cause(exc: BaseException) -> str:
    """vl-convert's message on one line: its heading and the JavaScript error under it
    (``Vega-Lite to SVG conversion failed: RangeError: Maximum call stack size exceeded``)."""
    lines = [
        ln.strip()
        for ln in str(exc).splitlines()
        if ln.strip() and not ln.strip().startswith("at ")
    ]
    return " ".join(lines[:2])[:300] or type(exc).__name__


def json_safe(value: Any) -> Any:
    """``value`` with every NaN or infinite float (Altair writes a missing date as NaN) as
    ``None``: Jupyter messages must be strict JSON, and Vega reads ``null`` as missing."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    return value


def static_charts_wanted() -> bool:
    """Whether chart outputs carry a static SVG: unless ``FORECASTKIT_STATIC_CHARTS=0``.
    ``forecastkit report`` sets it per report (``--static-charts``); a notebook run by plain
    papermill or in JupyterLab gets the SVG."""
    return os.environ.get(STATIC_CHARTS_ENV, "1").strip() != "0"


def chart_output(spec: dict[str, Any]) -> dict[str, Any]:
    """The MIME bundle of one chart output: Vega-Lite for JupyterLab (:func:`lab_spec`), a
    static SVG for everywhere else (unless :func:`static_charts_wanted` says no), and a
    one-line text (all strict JSON, :func:`json_safe`)."""
    spec = json_safe(spec)
    title = spec.get("title")
    label = title.get("text") if isinstance(title, dict) else title
    bundle = {
        VEGALITE_MIMETYPE: lab_spec(spec),
        "text/plain": f"<chart: {label or spec.get('mark', 'chart')}>",
    }
    if static_charts_wanted():
        bundle[SVG_MIMETYPE] = static_svg(spec)
    return bundle


def _renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    return chart_output(spec)


def enable() -> None:
    """Show charts as Vega-Lite JSON for JupyterLab plus a static SVG (:func:`chart_output`;
    no network needed).

    Also lifts Altair's 5,000-row limit: report data is small and always inlined.
    """
    import altair as alt

    if "forecastkit" not in alt.renderers.names():
        alt.renderers.register("forecastkit", _renderer)
    alt.renderers.enable("forecastkit")
    alt.data_transformers.disable_max_rows()


def _status_scale(domain: list[str] | None = None) -> alt.Scale:
    import altair as alt

    keys = domain or list(STATUS_COLOURS)
    return alt.Scale(domain=keys, range=[STATUS_COLOURS[k] for k in keys])


def _diagonal() -> alt.Chart:
    import altair as alt

    line = pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})
    return (
        alt.Chart(line)
        .mark_line(color="#555", strokeDash=[4, 4], strokeWidth=1)
        .encode(x="x:Q", y="y:Q")
    )


def _unit_axis(field: str, title: str) -> Any:
    import altair as alt

    return alt.X(field, type="quantitative", title=title, scale=alt.Scale(domain=[0, 1]))


def reliability_chart(
    diagram: pd.DataFrame, title: str = "CORP reliability diagram"
) -> alt.LayerChart:
    """The CORP reliability diagram of :func:`forecastkit.scoring.calibration.reliability_diagram`.

    The grey band is where a calibrated forecaster's curve would fall (consistency band); the
    line is the PAV-recalibrated conditional event probability; dots are sized by the number of
    forecasts at each value.
    """
    import altair as alt

    data = diagram.copy()
    x = _unit_axis("forecast", "forecast probability")
    y = alt.Y("cep:Q", title="conditional event probability", scale=alt.Scale(domain=[0, 1]))
    tooltip = [
        alt.Tooltip("forecast:Q", format=".3f"),
        alt.Tooltip("n:Q", title="forecasts"),
        alt.Tooltip("observed:Q", format=".2f", title="observed share true"),
        alt.Tooltip("cep:Q", format=".2f", title="recalibrated (CEP)"),
        alt.Tooltip("band_low:Q", format=".2f", title="band low"),
        alt.Tooltip("band_high:Q", format=".2f", title="band high"),
    ]
    base = alt.Chart(data)
    band = base.mark_area(color="#b0bec5", opacity=0.5).encode(
        x=x, y=alt.Y("band_low:Q"), y2="band_high:Q"
    )
    curve = base.mark_line(color="#1565c0", strokeWidth=2).encode(x=x, y=y)
    dots = base.mark_circle(color="#1565c0", opacity=0.9).encode(
        x=x,
        y=y,
        size=alt.Size(
            "n:Q",
            title="forecasts",
            scale=alt.Scale(range=[30, 400]),
            legend=alt.Legend(format="d", tickMinStep=1),
        ),
        tooltip=tooltip,
    )
    return alt.layer(band, _diagonal(), curve, dots).properties(
        width=WIDTH * 0.75, height=HEIGHT, title=title
    )


def binned_chart(
    binned: pd.DataFrame, title: str = "Binned reliability (95% Wilson intervals)"
) -> alt.LayerChart:
    """The binned diagram of :func:`forecastkit.scoring.binned.binned_reliability`, with counts."""
    import altair as alt

    data = binned.loc[
        binned["n"] > 0,
        ["bin_low", "bin_high", "n", "events", "mean_forecast", "observed", "low", "high"],
    ].copy()
    data["label"] = "n=" + data["n"].astype(int).astype(str)
    x = alt.X("mean_forecast:Q", title="mean forecast in bin", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("observed:Q", title="observed share true", scale=alt.Scale(domain=[0, 1]))
    tooltip = [
        alt.Tooltip("bin_low:Q", format=".1f", title="bin from"),
        alt.Tooltip("bin_high:Q", format=".1f", title="bin to"),
        alt.Tooltip("n:Q", title="forecasts"),
        alt.Tooltip("events:Q", title="came true"),
        alt.Tooltip("mean_forecast:Q", format=".3f"),
        alt.Tooltip("observed:Q", format=".2f"),
        alt.Tooltip("low:Q", format=".2f"),
        alt.Tooltip("high:Q", format=".2f"),
    ]
    base = alt.Chart(data)
    bars = base.mark_rule(color="#1565c0").encode(x=x, y="low:Q", y2="high:Q")
    dots = base.mark_point(filled=True, color="#1565c0", size=70).encode(x=x, y=y, tooltip=tooltip)
    counts = base.mark_text(dx=16, dy=-8, fontSize=10, color="#333").encode(
        x=x, y=y, text="label:N"
    )
    return alt.layer(_diagonal(), bars, dots, counts).properties(
        width=WIDTH * 0.75, height=HEIGHT, title=title
    )


def scale_chart(table: pd.DataFrame, title: str = "Brier score by lexicon scale") -> alt.LayerChart:
    """Brier score under each scale: the point reading, and the range from reading every hedge
    at the low or the high end of its interval (``forecastkit.scoring.grouped.scale_sensitivity``)."""
    import altair as alt

    wide = table.pivot_table(index="scale", columns="reading", values="brier").reset_index()
    for col in ("point", "low", "high"):
        if col not in wide:
            wide[col] = float("nan")
    wide["from"] = wide[["low", "high"]].min(axis=1)
    wide["to"] = wide[["low", "high"]].max(axis=1)
    y = alt.Y("scale:N", title=None, sort=alt.EncodingSortField("point", order="ascending"))
    tooltip = [
        alt.Tooltip("scale:N"),
        alt.Tooltip("point:Q", format=".3f", title="Brier (point)"),
        alt.Tooltip("low:Q", format=".3f", title="Brier (low ends)"),
        alt.Tooltip("high:Q", format=".3f", title="Brier (high ends)"),
    ]
    base = alt.Chart(wide)
    rng = base.mark_rule(color="#90a4ae", strokeWidth=3).encode(
        x=alt.X("from:Q", title="Brier score (lower is better)"), x2="to:Q", y=y
    )
    dots = base.mark_point(filled=True, size=80, color="#1565c0").encode(
        x="point:Q", y=y, tooltip=tooltip
    )
    return alt.layer(rng, dots).properties(width=WIDTH * 0.75, title=title)


def timeline_chart(claims: pd.DataFrame, title: str = "Claims: made → deadline") -> alt.Chart:
    """One line per claim from ``made_on`` to ``resolve_by``, coloured by ``shown_status``; above
    :data:`forecastkit.reports.timelines.MAX_MARKS` claims, counts per period instead, and
    far-future deadlines clipped (:mod:`forecastkit.reports.timelines`).

    ``claims`` needs ``claim_id, quote, hedge, probability, made_on, resolve_by, resolved_on,
    shown_status`` (see :func:`forecastkit.reports.views.timeline_table`).
    """
    import altair as alt

    from forecastkit.reports import timelines

    colour = alt.Color(
        "shown_status:N",
        title="outcome",
        scale=_status_scale([s for s in STATUS_COLOURS if s in set(claims["shown_status"])]),
    )
    if len(claims) > timelines.MAX_MARKS:
        return timelines.aggregate_chart(claims, title, WIDTH, colour)
    return timelines.per_claim_chart(claims, title, WIDTH, colour)


def track_record_chart(
    record: pd.DataFrame, title: str = "Track record: Brier score as of each date"
) -> alt.VConcatChart:
    """Brier score (with its bootstrap interval) and resolved forecasts as of each date.

    ``record`` is :func:`forecastkit.scoring.grouped.score_over_time` output for one group.
    """
    import altair as alt

    data = record.loc[
        record["n_resolved"] > 0, ["as_of", "n_resolved", "brier", "brier_low", "brier_high"]
    ]
    x = alt.X("as_of:T", title="as of")
    tooltip = [
        alt.Tooltip("as_of:T", format="%Y-%m-%d", title="as of"),
        alt.Tooltip("n_resolved:Q", title="resolved"),
        alt.Tooltip("brier:Q", format=".3f"),
        alt.Tooltip("brier_low:Q", format=".3f", title="95% low"),
        alt.Tooltip("brier_high:Q", format=".3f", title="95% high"),
    ]
    base = alt.Chart(data)
    band = base.mark_area(color="#b0bec5", opacity=0.5).encode(
        x=x, y="brier_low:Q", y2="brier_high:Q"
    )
    line = base.mark_line(point=True, color="#1565c0").encode(
        x=x, y=alt.Y("brier:Q", title="Brier score (lower is better)"), tooltip=tooltip
    )
    coin = (
        alt.Chart(pd.DataFrame({"y": [0.25]}))
        .mark_rule(color="#555", strokeDash=[4, 4])
        .encode(y="y:Q")
    )
    top = alt.layer(band, coin, line).properties(width=WIDTH, height=220, title=title)
    counts = (
        base.mark_bar(color="#78909c")
        .encode(x=x, y=alt.Y("n_resolved:Q", title="resolved forecasts"), tooltip=tooltip)
        .properties(width=WIDTH, height=90)
    )
    return alt.vconcat(top, counts)


#: Claimants a search in the league chart adds at most (the best of those whose name matches).
FIND_MATCHES = 10


def league_chart(
    league: pd.DataFrame,
    references: pd.DataFrame | None = None,
    title: str = "Brier score by claimant, 95% intervals",
) -> alt.LayerChart:
    """Each group's Brier score with its interval; dashed lines mark reference forecasters,
    named in the legend (labels drawn on the lines would collide when two are close).

    ``league`` needs ``name, brier, brier_low, brier_high, n_resolved, low_n``;
    ``references`` (optional) ``forecaster, brier``. With an ``end`` column
    (:func:`forecastkit.reports.ranking.chart_rows`) where some rows are False, the chart
    draws the ``end`` rows and a search box ("find a claimant") below it: typing a name (or part
    of one) marks in orange, at their place, the claimants so named first, then the best of
    those whose name holds the text, :data:`FIND_MATCHES` at most (``label``, else ``name``,
    is what is searched).
    """
    import altair as alt

    columns = ["name", "brier", "brier_low", "brier_high", "n_resolved", "low_n"]
    data = league.dropna(subset=["brier"])
    data = data[columns + [c for c in ("end", "label") if c in data.columns]].copy()
    if "label" not in data.columns:
        data["label"] = data["name"]
    data["judged"] = data["low_n"].map({True: "too few to judge", False: "enough to judge"})
    searchable = "end" in data.columns and not data["end"].all()
    y = alt.Y(
        "name:N",
        sort=alt.EncodingSortField("brier", order="ascending"),
        title=None,
        axis=alt.Axis(labelLimit=220),
    )
    tooltip = [
        alt.Tooltip("name:N"),
        alt.Tooltip("n_resolved:Q", title="resolved"),
        alt.Tooltip("brier:Q", format=".3f"),
        alt.Tooltip("brier_low:Q", format=".3f", title="95% low"),
        alt.Tooltip("brier_high:Q", format=".3f", title="95% high"),
    ]
    base = alt.Chart(data)
    domain, palette = ["enough to judge", "too few to judge"], ["#1565c0", "#90caf9"]
    find = None
    if searchable:
        find = alt.param(
            name="find",
            value="",
            bind=alt.binding(
                input="search", name="Find a claimant: ", placeholder="part of a name"
            ),
        )
        query = "lower(trim(find))"
        # 2: the name itself, 1: a name holding the text. Exact matches first, then the best;
        # numbered by one window over all rows (a window grouped by the match flag is not
        # recomputed when the search changes). A drawn row that matches is marked too.
        base = (
            base.transform_calculate(
                match=f"length({query}) == 0 ? 0 : lower(datum.label) == {query} ? 2 : "
                f"indexof(lower(datum.label), {query}) >= 0 ? 1 : 0"
            )
            .transform_window(
                match_no="row_number()",
                sort=[alt.SortField("match", order="descending"), alt.SortField("brier")],
            )
            .transform_filter(f"datum.end || (datum.match > 0 && datum.match_no <= {FIND_MATCHES})")
            .transform_calculate(judged="datum.match > 0 ? 'found' : datum.judged")
        )
        domain, palette = [*domain, "found"], [*palette, "#e65100"]
    colour = alt.Color("judged:N", title=None, scale=alt.Scale(domain=domain, range=palette))
    rules = base.mark_rule().encode(
        x=alt.X("brier_low:Q", title="Brier score (lower is better)"),
        x2="brier_high:Q",
        y=y,
        color=colour,
    )
    dots = base.mark_point(filled=True, size=70).encode(
        x="brier:Q", y=y, color=colour, tooltip=tooltip
    )
    if find is not None:
        rules = rules.add_params(find)
    layers: list[Any] = [rules, dots]
    if references is not None and not references.empty:
        ref = alt.Chart(references)
        dashes = alt.StrokeDash(
            "forecaster:N",
            title="reference forecaster",
            legend=alt.Legend(labelLimit=300),
            scale=alt.Scale(range=[[6, 3], [2, 2], [8, 3, 2, 3]]),
        )
        layers.append(
            ref.mark_rule(color="#555", strokeWidth=1.5).encode(
                x="brier:Q",
                strokeDash=dashes,
                tooltip=[alt.Tooltip("forecaster:N"), alt.Tooltip("brier:Q", format=".3f")],
            )
        )
    if searchable:  # rows come and go as the reader searches: a fixed step per row
        return alt.layer(*layers).properties(width=WIDTH, height=alt.Step(18), title=title)
    height = max(80, min(18 * len(data), 3600))
    return alt.layer(*layers).properties(width=WIDTH, height=height, title=title)


def explore_chart(claims: pd.DataFrame) -> alt.VConcatChart:
    """Every forecast by date and probability, for looking around in JupyterLab.

    Pick a claimant from the drop-down, drag across the top chart to select a period (the bar
    chart below counts outcomes in it), hover for the quote.
    """
    import altair as alt

    data = claims[
        [
            "claim_id",
            "claimant",
            "claimant_name",
            "publisher",
            "quote",
            "hedge",
            "probability",
            "made_on",
            "resolve_by",
            "shown_status",
        ]
    ].copy()
    keys = sorted(data["claimant"].dropna().unique().tolist())
    who = alt.selection_point(
        fields=["claimant"],
        name="who",
        bind=alt.binding_select(options=[None, *keys], labels=["all", *keys], name="claimant "),
    )
    period = alt.selection_interval(encodings=["x"], name="period")
    colour = alt.Color("shown_status:N", title="outcome", scale=_status_scale())
    tooltip = [
        alt.Tooltip("claimant_name:N", title="claimant"),
        alt.Tooltip("quote:N"),
        alt.Tooltip("hedge:N"),
        alt.Tooltip("probability:Q", format=".2f"),
        alt.Tooltip("made_on:T", format="%Y-%m-%d"),
        alt.Tooltip("resolve_by:T", format="%Y-%m-%d"),
        alt.Tooltip("shown_status:N", title="outcome"),
        alt.Tooltip("publisher:N"),
    ]
    points = (
        alt.Chart(data)
        .mark_circle(size=60, opacity=0.8)
        .encode(
            x=alt.X("made_on:T", title="made on"),
            y=alt.Y("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            color=alt.condition(period, colour, alt.value("#e0e0e0")),
            tooltip=tooltip,
        )
        .add_params(who, period)
        .transform_filter(who)
        .properties(width=WIDTH, height=280)
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("count():Q", title="claims"),
            y=alt.Y("shown_status:N", title=None),
            color=colour,
        )
        .transform_filter(who)
        .transform_filter(period)
        .properties(width=WIDTH)
    )
    return alt.vconcat(points, bars)


def option_reliability_chart(
    table: pd.DataFrame,
    title: str = "Multiple choice: reliability of each option (one against the rest)",
) -> alt.LayerChart:
    """The binned one-vs-rest diagram of
    :func:`forecastkit.scoring.distribution_calibration.option_reliability`: every option's
    probability against how often that option was realised, pooled and per option label."""
    import altair as alt

    data = table.loc[
        table["n"] > 0, ["option", "n", "events", "mean_forecast", "observed", "low", "high"]
    ].copy()
    x = alt.X(
        "mean_forecast:Q", title="probability given to the option", scale=alt.Scale(domain=[0, 1])
    )
    y = alt.Y("observed:Q", title="share realised", scale=alt.Scale(domain=[0, 1]))
    colour = alt.Color("option:N", title="option")
    tooltip = [
        alt.Tooltip("option:N"),
        alt.Tooltip("n:Q", title="forecasts"),
        alt.Tooltip("events:Q", title="realised"),
        alt.Tooltip("mean_forecast:Q", format=".3f"),
        alt.Tooltip("observed:Q", format=".2f"),
        alt.Tooltip("low:Q", format=".2f"),
        alt.Tooltip("high:Q", format=".2f"),
    ]
    base = alt.Chart(data)
    bars = base.mark_rule().encode(x=x, y="low:Q", y2="high:Q", color=colour)
    dots = base.mark_point(filled=True, size=60).encode(x=x, y=y, color=colour, tooltip=tooltip)
    return alt.layer(_diagonal(), bars, dots).properties(
        width=WIDTH * 0.75, height=HEIGHT, title=title
    )


def pit_chart(
    histogram: pd.DataFrame, title: str = "PIT histogram (flat: calibrated)"
) -> alt.LayerChart:
    """Bars of :func:`forecastkit.scoring.distribution_calibration.pit_histogram` with the share
    a calibrated forecaster would have (the dashed line)."""
    import altair as alt

    data = histogram.copy()
    x = alt.X(
        "bin_low:Q",
        title="PIT: the forecast's CDF at the outcome",
        bin="binned",
        scale=alt.Scale(domain=[0, 1]),
    )
    tooltip = [
        alt.Tooltip("bin_low:Q", format=".1f", title="from"),
        alt.Tooltip("bin_high:Q", format=".1f", title="to"),
        alt.Tooltip("n:Q", title="forecasts"),
        alt.Tooltip("share:Q", format=".2f"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(color="#1565c0", opacity=0.8)
        .encode(
            x=x, x2="bin_high:Q", y=alt.Y("share:Q", title="share of forecasts"), tooltip=tooltip
        )
    )
    flat = alt.Chart(data).mark_rule(color="#555", strokeDash=[4, 4]).encode(y="mean(expected):Q")
    return alt.layer(bars, flat).properties(width=WIDTH * 0.75, height=HEIGHT * 0.75, title=title)


def coverage_chart(
    coverage: pd.DataFrame, title: str = "Central-interval coverage (95% Wilson intervals)"
) -> alt.LayerChart:
    """Observed against stated coverage of central intervals, one point per level, with its
    interval (columns ``level``, ``n``, ``covered``, ``share``, ``low``, ``high``); on the
    diagonal is calibrated, below it overconfident (intervals too narrow)."""
    import altair as alt

    data = coverage.copy()
    x = _unit_axis("level", "stated level of the central interval")
    y = alt.Y("share:Q", title="share of outcomes inside", scale=alt.Scale(domain=[0, 1]))
    tooltip = [
        alt.Tooltip("level:Q", format=".0%"),
        alt.Tooltip("n:Q", title="forecasts"),
        alt.Tooltip("covered:Q", title="outcomes inside"),
        alt.Tooltip("share:Q", format=".2f"),
        alt.Tooltip("low:Q", format=".2f"),
        alt.Tooltip("high:Q", format=".2f"),
    ]
    base = alt.Chart(data)
    bars = base.mark_rule(color="#1565c0").encode(x=x, y="low:Q", y2="high:Q")
    dots = base.mark_point(filled=True, color="#1565c0", size=70).encode(x=x, y=y, tooltip=tooltip)
    return alt.layer(_diagonal(), bars, dots).properties(
        width=WIDTH * 0.75, height=HEIGHT, title=title
    )
