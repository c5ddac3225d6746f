"""Who is ranked in the overview, and which of them its league chart names.

A claimant is ranked once they have ``max(min_n, min_resolved)`` resolved forecasts
(:func:`rank_threshold`): below that a perfect Brier score on a dozen forecasts says little, and
would top the table. The league chart draws the :data:`CHART_ENDS` best and worst ranked
claimants, not thousands of names, and a search box adds the place of any claimant a reader
names (given one, a claimant's own place is drawn from the start).
"""

from __future__ import annotations

import pandas as pd

#: Ranked claimants the league chart shows at each end of the ranking.
CHART_ENDS = 15


def rank_threshold(min_n: int, min_resolved: int) -> int:
    """Resolved forecasts a claimant needs to be ranked."""
    return max(int(min_n), int(min_resolved), 1)


def rank_at_least(league: pd.DataFrame, min_resolved: int) -> pd.DataFrame:
    """``league`` (:func:`forecastkit.reports.overview_view.league_table`) with only the groups
    that have ``min_resolved`` resolved forecasts or more still ranked, and a ``rank`` column
    (1 = lowest Brier score; missing for the unranked): ranked groups first by Brier score,
    then the others by name."""
    if league.empty:
        return league.assign(rank=pd.Series(dtype="Int64"))
    # never below one resolved forecast (rank_threshold): --min-n 0 ranks nobody on nothing
    league = league.assign(
        ranked=league["ranked"] & (league["n_resolved"] >= max(int(min_resolved), 1))
    )
    order = league["brier"].where(league["ranked"])
    league = (
        league.assign(_order=order)
        .sort_values(
            ["ranked", "_order", "group"], ascending=[False, True, True], na_position="last"
        )
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    n_ranked = int(league["ranked"].sum())
    rank = pd.Series(pd.NA, index=league.index, dtype="Int64")
    rank.iloc[:n_ranked] = range(1, n_ranked + 1)
    return league.assign(rank=rank)


def chart_rows(
    league: pd.DataFrame, ends: int = CHART_ENDS, highlight: str | None = None
) -> tuple[pd.DataFrame, str]:
    """The rows the league chart holds, names prefixed with their rank, and a title saying
    which it draws. With more than ``2 * ends`` ranked groups: every ranked group, with ``end``
    True for the ``ends`` best, the ``ends`` worst and ``highlight`` (a group key): the chart
    draws those, and any other a reader looks up by name (:func:`forecastkit.reports.charts.
    league_chart`). Otherwise every ranked group, all ``end``. With none ranked: the groups
    with the most resolved forecasts, marked too few to judge."""
    ranked = league[league["ranked"]]
    if ranked.empty:
        scored = league[league["n_resolved"] > 0].sort_values(
            ["n_resolved", "group"], ascending=[False, True]
        )
        shown = scored.head(2 * ends)
        what = (
            f"the {len(shown)} with most resolved forecasts; none has enough to be ranked"
            if len(scored) > len(shown)
            else "none has enough resolved forecasts to be ranked"
        )
        return (
            shown.assign(name=shown["name"].astype(str), end=True),
            f"Brier score by claimant ({what})",
        )
    if len(ranked) > 2 * ends:
        position = pd.Series(range(len(ranked)), index=ranked.index)
        end = (position < ends) | (position >= len(ranked) - ends)
        if highlight is not None:
            end |= ranked["group"] == highlight
        shown = ranked.assign(end=end)
        what = (
            f"the {ends} best and {ends} worst of {len(ranked)} ranked; "
            "type a name to find anyone's place"
        )
    else:
        shown = ranked.assign(end=True)
        what = f"all {len(ranked)} ranked"
    shown = shown.assign(
        label=shown["name"].astype(str),
        name="#" + shown["rank"].astype(str) + " " + shown["name"].astype(str),
    )
    return shown, f"Brier score by claimant, 95% intervals ({what})"


def unranked_note(league: pd.DataFrame, threshold: int, noun: str = "claimants") -> str:
    """How many were ranked and how many were left unranked, and why."""
    n_ranked = int(league["ranked"].sum()) if len(league) else 0
    rest = len(league) - n_ranked
    head = (
        f"Ranked by Brier score: the {n_ranked} {noun} with {threshold} or more resolved forecasts"
    )
    tail = f"; {rest} other{'s' if rest != 1 else ''} with fewer left unranked" if rest else ""
    return head + tail + ". Intervals are 95% bootstrap intervals."
