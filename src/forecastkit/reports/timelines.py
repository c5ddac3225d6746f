"""The timeline of a claimant's forecasts, readable at 3 forecasts and at 5,000.

Up to :data:`MAX_MARKS` forecasts, one line per forecast from the day it was made to its
deadline (rows in the order they were made: a computed row number, never a sort list over every
claim, which Vega cannot evaluate for thousands of values). Above that, the same dates in
aggregate: forecasts made and deadlines falling in each month, quarter or year, stacked by
outcome.

Deadlines far in the future (trackers accept 9999-12-31) would squeeze every other date into the
left edge, so the axis ends :data:`HORIZON_YEARS` after the last forecast or outcome; later
deadlines are drawn at that edge and the subtitle says how many. Dates go to Vega as ISO text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import altair as alt

#: The most forecasts drawn one line each; above this the timeline is aggregated.
MAX_MARKS = 200
#: Years after the last forecast (or outcome) that the time axis reaches.
HORIZON_YEARS = 10


def axis_end(data: pd.DataFrame) -> pd.Timestamp | None:
    """Where the time axis ends: the last deadline, or :data:`HORIZON_YEARS` after the last
    forecast or outcome if that comes first (None when there are no dates)."""
    last_event = pd.concat([data["made_on"], data["resolved_on"]]).dropna()
    if last_event.empty:
        return None
    last = pd.Timestamp(last_event.max())
    horizon = (
        last + pd.DateOffset(years=HORIZON_YEARS)
        if last.year <= 9999 - HORIZON_YEARS
        else pd.Timestamp("9999-12-31")
    )  # the last day a date can be (records/dates.py)
    deadlines = data["resolve_by"].dropna()
    latest = pd.Timestamp(deadlines.max()) if len(deadlines) else pd.Timestamp(last_event.max())
    return min(latest, horizon)


def _iso(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), None)


def clipped(data: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """``data`` with ``deadline`` (the deadline, or the day made when there is none) clipped
    to :func:`axis_end`, the dates as ISO text, and a note on the clipped deadlines."""
    data = data.copy()
    deadline = data["resolve_by"].fillna(data["made_on"])
    end = axis_end(data)
    note = None
    if end is not None:
        far = deadline > end
        if far.any():
            n = int(far.sum())
            note = (
                f"{n} deadline{'s' if n != 1 else ''} after {end:%Y-%m-%d} "
                f"(latest {deadline.max():%Y-%m-%d}) drawn at the right edge"
            )
            deadline = deadline.where(~far, end)
    data["deadline_text"] = _iso(data["resolve_by"]).fillna("none")
    data["deadline"] = _iso(deadline)
    for col in ("made_on", "resolved_on"):
        data[col] = _iso(data[col])
    return data, note


def _title(title: str, note: str | None, extra: str | None = None) -> dict[str, Any]:
    lines = [s for s in (extra, note) if s]
    return {"text": title, "subtitle": lines} if lines else {"text": title}


def per_claim_chart(claims: pd.DataFrame, title: str, width: int, colour: Any) -> alt.LayerChart:
    """One line per forecast (at most :data:`MAX_MARKS` of them), in the order they were made."""
    import altair as alt

    data, note = clipped(claims.sort_values(["made_on", "claim_id"]))
    data["row"] = range(1, len(data) + 1)
    y = alt.Y("row:O", title=None, axis=None)
    tooltip = [
        alt.Tooltip("quote:N"),
        alt.Tooltip("hedge:N"),
        alt.Tooltip("probability:Q", format=".2f"),
        alt.Tooltip("made_on:N", title="made on"),
        alt.Tooltip("deadline_text:N", title="resolve by"),
        alt.Tooltip("shown_status:N", title="outcome"),
    ]
    x = alt.X("made_on:T", title=None)
    base = alt.Chart(data)
    span = base.mark_rule(strokeWidth=4).encode(
        x=x, x2="deadline:T", y=y, color=colour, tooltip=tooltip
    )
    start = base.mark_tick(thickness=2, size=10).encode(
        x="made_on:T", y=y, color=colour, tooltip=tooltip
    )
    resolved = (
        base.transform_filter("isValid(datum.resolved_on)")
        .mark_point(shape="diamond", filled=True, size=50, color="#212121")
        .encode(
            x="resolved_on:T",
            y=y,
            tooltip=tooltip + [alt.Tooltip("resolved_on:N", title="resolved on")],
        )
    )
    height = max(60, 12 * len(data))
    return alt.layer(span, start, resolved).properties(
        width=width, height=height, title=_title(title, note)
    )


def _period(span_days: float) -> tuple[str, str]:
    """The bin of the aggregate view (pandas period code, label) for a span of dates."""
    if span_days <= 8 * 366:
        return "M", "month"
    if span_days <= 30 * 366:
        return "Q", "quarter"
    return "Y", "year"


def aggregate_chart(claims: pd.DataFrame, title: str, width: int, colour: Any) -> alt.VConcatChart:
    """Forecasts made, and deadlines falling, in each period, stacked by outcome."""
    import altair as alt

    end = axis_end(claims)
    made = claims["made_on"]
    deadline = claims["resolve_by"].fillna(made)
    n_far = int((deadline > end).sum()) if end is not None else 0
    if end is not None:
        deadline = deadline.where(deadline <= end, end)
    start = made.dropna().min()
    code, label = _period(((end or start) - start).days if pd.notna(start) else 0)
    frames = []
    for what, dates in (("made", made), ("deadline", deadline)):
        periods = dates.dropna().dt.to_period(code)
        counts = (
            pd.DataFrame(
                {
                    "period": periods.dt.start_time,
                    "shown_status": claims.loc[periods.index, "shown_status"],
                }
            )
            .groupby(["period", "shown_status"])
            .size()
            .rename("forecasts")
            .reset_index()
        )
        counts["what"] = what
        frames.append(counts)
    data = pd.concat(frames, ignore_index=True)
    data["period"] = data["period"].dt.strftime("%Y-%m-%d")
    x = alt.X(
        "period:T",
        title=None,
        scale=alt.Scale(domain=[f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"])
        if end is not None
        else alt.Undefined,
    )
    tooltip = [
        alt.Tooltip("period:T", format="%Y-%m-%d", title=f"{label} from"),
        alt.Tooltip("shown_status:N", title="outcome"),
        alt.Tooltip("forecasts:Q"),
    ]
    note = (
        (
            f"{n_far} deadline{'s' if n_far != 1 else ''} after {end:%Y-%m-%d} counted in the "
            "last period"
        )
        if n_far
        else None
    )
    summary = (
        f"{len(claims)} forecasts: more than {MAX_MARKS}, so counted per {label} "
        "instead of drawn one by one"
    )
    charts = []
    for what, heading, n in (
        ("made", f"{title}: forecasts made per {label}", None),
        ("deadline", f"Deadlines per {label}", note),
    ):
        part = (
            alt.Chart(data)
            .transform_filter(alt.datum.what == what)
            .mark_bar()
            .encode(
                x=x,
                y=alt.Y("forecasts:Q", title="forecasts", stack=True),
                color=colour,
                tooltip=tooltip,
            )
        )
        charts.append(
            part.properties(
                width=width,
                height=160,
                title=_title(heading, n, summary if what == "made" else None),
            )
        )
    return alt.vconcat(*charts)
