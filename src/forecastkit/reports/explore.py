"""The corpus explorer behind ``notebooks/explore.ipynb``.

Pure functions do the work and are tested without a browser: the choices of each filter
(:func:`filter_options`), the filter itself (:func:`apply_filters`), one chart point per
forecasts that would be drawn on top of each other (:func:`chart_points`, sized by count), the
claims inside a chart selection (:func:`in_selection`) and a searchable, sortable claims table
(:func:`search_and_sort`). :class:`Explorer` wires them to ipywidgets and to Altair's
``JupyterChart`` (an anywidget), whose brush selection comes back to Python so that the score
table and the claims table follow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from forecastkit.reports import fragments as fx

if TYPE_CHECKING:
    import altair as alt

#: Statuses in the order the filters and the chart legend list them.
STATUS_ORDER = ("true", "false", "open", "overdue", "ambiguous", "annulled", "not a forecast")
#: The brush on the explorer chart (Vega-Lite parameter name).
SELECTION = "brush"
#: Columns of the claims table, and the claim column each comes from.
TABLE_COLUMNS = {
    "made on": "made_on",
    "claimant": "claimant_name",
    "publisher": "publisher",
    "quote": "quote",
    "hedge": "hedge",
    "probability": "probability",
    "deadline": "resolve_by",
    "status": "shown_status",
    "claim": "claim_id",
}
#: Rows the claims table shows at most (the count of all matching rows is always given).
MAX_ROWS = 200


@dataclass(frozen=True)
class Filters:
    """What the explorer shows: empty tuples and ``None`` dates mean "no restriction"."""

    claimants: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None


def _tags(claims: pd.DataFrame) -> pd.Series:
    return claims["tags"].map(
        lambda t: tuple(t) if isinstance(t, (list, tuple, np.ndarray)) else ()
    )


def filter_options(claims: pd.DataFrame) -> dict[str, list[str]]:
    """The choices of each filter: claimant keys, publishers, tags and statuses present."""
    tags = sorted({t for ts in _tags(claims) for t in ts})
    present = set(claims["shown_status"].dropna())
    return {
        "claimants": sorted(claims["claimant"].dropna().unique().tolist()),
        "publishers": sorted(claims["publisher"].dropna().unique().tolist()),
        "tags": tags,
        "statuses": [s for s in STATUS_ORDER if s in present],
    }


def apply_filters(claims: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The claims that pass every filter (dates compare ``made_on``, both ends included).

    >>> frame = pd.DataFrame({"claimant": ["a", "b"], "publisher": ["P", "Q"],
    ...     "tags": [("x",), ()], "shown_status": ["true", "open"],
    ...     "made_on": pd.to_datetime(["2020-01-01", "2021-01-01"])})
    >>> apply_filters(frame, Filters(tags=("x",)))["claimant"].tolist()
    ['a']
    """
    keep = pd.Series(True, index=claims.index)
    for column, wanted in (
        ("claimant", filters.claimants),
        ("publisher", filters.publishers),
        ("shown_status", filters.statuses),
    ):
        if wanted:
            keep &= claims[column].isin(list(wanted)).fillna(False).astype(bool)
    if filters.tags:
        wanted_tags = set(filters.tags)
        keep &= _tags(claims).map(lambda ts: bool(wanted_tags.intersection(ts)))
    if filters.start is not None:
        keep &= claims["made_on"] >= pd.Timestamp(filters.start)
    if filters.end is not None:
        keep &= claims["made_on"] <= pd.Timestamp(filters.end)
    return claims[keep.astype(bool)]


def chart_points(claims: pd.DataFrame) -> pd.DataFrame:
    """One point per (day, probability, status): forecasts that would hide each other become
    one point whose size is their count ``n``, with the claimants and first quote for the tooltip.

    Claims without a date or a probability cannot be placed and are left out.
    """
    columns = ["made_on", "probability", "shown_status", "n", "claimants", "quote", "claim_ids"]
    placed = claims.dropna(subset=["made_on", "probability"])
    if placed.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    grouped = placed.groupby(["made_on", "probability", "shown_status"], sort=True, observed=True)
    points = grouped.agg(
        n=("claim_id", "size"),
        claimants=("claimant_name", lambda s: ", ".join(sorted(set(s.dropna().astype(str))))),
        quote=("quote", "first"),
        claim_ids=("claim_id", lambda s: " ".join(s.astype(str))),
    ).reset_index()
    points["n"] = points["n"].astype("int64")
    return points[columns]


def _as_timestamp(value: Any) -> pd.Timestamp:
    # Vega-Lite reports a temporal brush as epoch milliseconds (or, for some versions, dates)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return pd.Timestamp(int(value), unit="ms")
    return (
        pd.Timestamp(value).tz_localize(None) if pd.Timestamp(value).tzinfo else pd.Timestamp(value)
    )


def in_selection(claims: pd.DataFrame, selection: dict[str, Sequence[Any]] | None) -> pd.DataFrame:
    """The claims inside a brush: ``{"made_on": [from, to], "probability": [low, high]}`` (either
    key may be missing). An empty or missing selection selects everything (no brush drawn).

    >>> frame = pd.DataFrame({"made_on": pd.to_datetime(["2020-01-01", "2021-06-01"]),
    ...                       "probability": [0.2, 0.9]})
    >>> len(in_selection(frame, {"probability": [0.5, 1.0]}))
    1
    """
    if not selection:
        return claims
    keep = pd.Series(True, index=claims.index)
    span = selection.get("made_on")
    if span:
        lo, hi = sorted(_as_timestamp(v) for v in span)
        keep &= claims["made_on"].between(lo, hi).fillna(False).astype(bool)
    prob = selection.get("probability")
    if prob:
        lo, hi = sorted(float(v) for v in prob)
        keep &= claims["probability"].between(lo, hi).fillna(False).astype(bool)
    return claims[keep]


def search_and_sort(
    claims: pd.DataFrame, query: str = "", by: str = "made on", ascending: bool = True
) -> pd.DataFrame:
    """The claims whose quote, proposition, claimant, publisher, hedge or id contains every word
    of ``query`` (case-insensitive), sorted by the table column ``by`` (missing values last)."""
    words = query.lower().split()
    if words:
        text = pd.Series("", index=claims.index, dtype="object")
        for column in (
            "quote",
            "proposition",
            "claimant_name",
            "claimant",
            "publisher",
            "hedge",
            "claim_id",
        ):
            if column in claims:
                text = text + " " + claims[column].astype("string").fillna("").str.lower()
        keep = pd.Series(True, index=claims.index)
        for word in words:
            keep &= text.str.contains(word, regex=False)
        claims = claims[keep]
    column = TABLE_COLUMNS.get(by, "made_on")
    return claims.sort_values(
        [column, "claim_id"], ascending=[ascending, True], na_position="last", kind="stable"
    )


def claims_table(claims: pd.DataFrame, max_rows: int = MAX_ROWS) -> fx.Fragment:
    """The claims as an escaped HTML table (at most ``max_rows`` rows; the total is stated)."""
    rows = []
    for r in claims.head(max_rows).itertuples():
        rows.append(
            [
                "" if fx.is_missing(r.made_on) else r.made_on.strftime("%Y-%m-%d"),
                r.claimant_name if not fx.is_missing(r.claimant_name) else r.claimant,
                r.publisher,
                r.quote,
                r.hedge,
                fx.number(r.probability, 2),
                "" if fx.is_missing(r.resolve_by) else r.resolve_by.strftime("%Y-%m-%d"),
                fx.tag(
                    "span",
                    r.shown_status,
                    class_=f"fk-status fk-{str(r.shown_status).replace(' ', '-')}",
                ),
                r.claim_id,
            ]
        )
    shown = min(len(claims), max_rows)
    caption = (
        f"{len(claims)} claims"
        if shown == len(claims)
        else f"the first {shown} of {len(claims)} claims (search or select to narrow them)"
    )
    return fx.table(
        list(TABLE_COLUMNS), rows, table_id="fk-explore-claims", numeric=(5,), caption=caption
    )


def scores(claims: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Scores of the claims by claimant (:func:`forecastkit.scoring.grouped.score_table`); an
    empty table with the same columns when no forecast is selected."""
    from forecastkit.scoring.grouped import score_table

    columns = ["group", "n", "n_resolved", "brier", "brier_low", "brier_high", "log_score", "low_n"]
    forecasts = claims[claims["kind"] == "forecast"] if "kind" in claims else claims
    if forecasts.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    return score_table(forecasts, "claimant", min_n=min_n)[columns]


def explore_chart(points: pd.DataFrame, *, dates: tuple[Any, Any], max_n: int = 1) -> alt.Chart:
    """Forecasts by date and probability, one point per :func:`chart_points` row sized by its
    count; drag to brush a region (:data:`SELECTION`).

    Every scale has a fixed domain (all dates of the corpus, probability 0-1, counts 1 to
    ``max_n``, every status), so an empty filter or brush draws an empty frame and no warnings.
    """
    import altair as alt

    from forecastkit.reports.charts import STATUS_COLOURS, WIDTH

    data = points.copy()
    brush = alt.selection_interval(name=SELECTION, encodings=["x", "y"])
    start, end = (pd.Timestamp(d).strftime("%Y-%m-%d") for d in dates)
    colour = alt.Color(
        "shown_status:N",
        title="outcome",
        scale=alt.Scale(domain=list(STATUS_ORDER), range=[STATUS_COLOURS[s] for s in STATUS_ORDER]),
    )
    tooltip = [
        alt.Tooltip("made_on:T", format="%Y-%m-%d", title="made on"),
        alt.Tooltip("probability:Q", format=".2f"),
        alt.Tooltip("n:Q", title="forecasts"),
        alt.Tooltip("claimants:N"),
        alt.Tooltip("quote:N"),
        alt.Tooltip("shown_status:N", title="outcome"),
    ]
    return (
        alt.Chart(data)
        .mark_circle(opacity=0.7, stroke="#333", strokeWidth=0.5)
        .encode(
            x=alt.X("made_on:T", title="made on", scale=alt.Scale(domain=[start, end])),
            y=alt.Y("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            size=alt.Size(
                "n:Q",
                title="forecasts",
                scale=alt.Scale(domain=[1, max(max_n, 1)], range=[40, 600]),
                legend=alt.Legend(format="d", tickMinStep=1),
            ),
            color=colour,
            tooltip=tooltip,
        )
        .add_params(brush)
        .properties(width=WIDTH, height=300, title="Forecasts by date and probability")
    )


class WithStaticImage:
    """A chart widget whose output also carries the chart as a static SVG (as it was first
    drawn), shown where widgets are not (GitHub, nbviewer); JupyterLab shows the widget."""

    def __init__(self, widget: Any, spec: dict[str, Any]) -> None:
        self.widget = widget
        self.spec = spec

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        from forecastkit.reports.charts import SVG_MIMETYPE, static_svg

        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        return {**data, SVG_MIMETYPE: static_svg(self.spec)}, dict(metadata or {})


@dataclass
class Explorer:
    """Filters, a brushable chart and the tables that follow both (see the module docstring).

    Build it with :meth:`build`; ``explorer.selection`` is always the claims currently filtered
    and brushed, as a DataFrame to carry on with in pandas.
    """

    claims: pd.DataFrame
    min_n: int = 5
    filters: Filters = field(default_factory=Filters)
    brush: dict[str, Any] | None = None
    _widgets: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        claims_dir: str | None = None,
        scale: str | None = None,
        as_of: str | None = None,
        min_n: int = 5,
    ) -> Explorer:
        """The claims of the corpus as they stood on ``as_of`` (checked like report parameters)."""
        from forecastkit.records.snapshot import as_of as claims_as_of
        from forecastkit.reports.parameters import check_parameters
        from forecastkit.reports.views import open_corpus, shown_status

        params = check_parameters(claims_dir=claims_dir, scale=scale, as_of=as_of, min_n=min_n)
        corpus = open_corpus(params.claims_dir, params.scale)
        claims = claims_as_of(corpus.claims, params.as_of_date)
        claims = claims.assign(shown_status=shown_status(claims, params.as_of_date))
        return cls(claims, params.min_n)

    # -- state -------------------------------------------------------------------------------
    @property
    def filtered(self) -> pd.DataFrame:
        return apply_filters(self.claims, self.filters)

    @property
    def selection(self) -> pd.DataFrame:
        """The claims that pass the filters and fall inside the brush."""
        return in_selection(self.filtered, self.brush)

    def _dates(self) -> tuple[Any, Any]:
        made = self.claims["made_on"].dropna()
        if made.empty:
            today = pd.Timestamp(dt.date.today())
            return today - pd.Timedelta(days=365), today
        pad = pd.Timedelta(days=30)
        return made.min() - pad, made.max() + pad

    def chart_spec(self) -> alt.Chart:
        """The chart of the filtered claims (scales fixed over the whole corpus)."""
        every = chart_points(self.claims)
        max_n = int(every["n"].max()) if len(every) else 1
        return explore_chart(chart_points(self.filtered), dates=self._dates(), max_n=max_n)

    # -- widgets -----------------------------------------------------------------------------
    def controls(self) -> Any:
        """The filter widgets: claimant, publisher, tag, status (several may be picked; none
        picked means all) and the range of dates made."""
        import ipywidgets as w

        opts = filter_options(self.claims)
        names = self.claims.drop_duplicates("claimant").set_index("claimant")["claimant_name"]
        pickers = {
            "claimants": w.SelectMultiple(
                options=[(str(names.get(k) or k), k) for k in opts["claimants"]],
                description="claimant",
                rows=6,
            ),
            "publishers": w.SelectMultiple(
                options=opts["publishers"], description="publisher", rows=6
            ),
            "tags": w.SelectMultiple(options=opts["tags"], description="tag", rows=6),
            "statuses": w.SelectMultiple(options=opts["statuses"], description="status", rows=6),
            "start": w.DatePicker(description="made from"),
            "end": w.DatePicker(description="made until"),
        }
        for widget in pickers.values():
            widget.observe(self._on_filter, names="value")
        self._widgets.update(pickers)
        return w.VBox(
            [
                w.HBox([pickers["claimants"], pickers["publishers"]]),
                w.HBox([pickers["tags"], pickers["statuses"]]),
                w.HBox([pickers["start"], pickers["end"]]),
            ]
        )

    def chart(self) -> Any:
        """The brushable chart (Altair ``JupyterChart``, offline: its JavaScript comes from
        vl-convert, no CDN); the brush flows back into :attr:`selection`."""
        import altair as alt

        alt.JupyterChart.enable_offline()
        spec = self.chart_spec()
        jchart = alt.JupyterChart(spec)
        jchart.selections.observe(self._on_brush, names=[SELECTION])
        self._widgets["chart"] = jchart
        return WithStaticImage(jchart, spec.to_dict())

    def scores(self) -> Any:
        """The scores of the selection by claimant, refreshed as filters and brush change."""
        import ipywidgets as w

        self._widgets["scores"] = w.Output()
        self._refresh_scores()
        return self._widgets["scores"]

    def table(self) -> Any:
        """The claims of the selection: search box, sort column and order, and the table."""
        import ipywidgets as w

        search = w.Text(
            placeholder="words in the quote, claimant, publisher...", description="search"
        )
        by = w.Dropdown(options=list(TABLE_COLUMNS), value="made on", description="sort by")
        ascending = w.Checkbox(value=True, description="ascending")
        for widget in (search, by, ascending):
            widget.observe(lambda _change: self._refresh_table(), names="value")
        self._widgets.update(search=search, by=by, ascending=ascending, table=w.Output())
        self._refresh_table()
        return w.VBox([w.HBox([search, by, ascending]), self._widgets["table"]])

    # -- callbacks ---------------------------------------------------------------------------
    def _on_filter(self, _change: Any = None) -> None:
        ws = self._widgets
        self.filters = Filters(
            claimants=tuple(ws["claimants"].value),
            publishers=tuple(ws["publishers"].value),
            tags=tuple(ws["tags"].value),
            statuses=tuple(ws["statuses"].value),
            start=ws["start"].value,
            end=ws["end"].value,
        )
        if "chart" in ws:  # a new chart has a new (empty) brush and a new selections object
            self.brush = None
            ws["chart"].chart = self.chart_spec()
            ws["chart"].selections.observe(self._on_brush, names=[SELECTION])
        self._refresh()

    def _on_brush(self, change: Any) -> None:
        value = getattr(change["new"], "value", None)
        self.brush = dict(value) if value else None
        self._refresh()

    def _refresh(self) -> None:
        self._refresh_scores()
        self._refresh_table()

    def _refresh_scores(self) -> None:
        out = self._widgets.get("scores")
        if out is None:
            return
        from IPython.display import display

        table = scores(self.selection, self.min_n)
        out.clear_output(wait=True)
        with out:
            if table.empty:
                display(fx.note("No forecasts in the selection."))
            else:
                display(table)

    def _refresh_table(self) -> None:
        out = self._widgets.get("table")
        if out is None:
            return
        from IPython.display import display

        ws = self._widgets
        rows = search_and_sort(
            self.selection, ws["search"].value, ws["by"].value, ws["ascending"].value
        )
        out.clear_output(wait=True)
        with out:
            display(claims_table(rows))
