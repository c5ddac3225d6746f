"""The explorer's logic, without a browser: filters, chart points, brush selection, search and
sort, tables, and the widgets wired to them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from forecastkit.reports import explore as ex


def _claims() -> pd.DataFrame:
    rows = [
        # claim_id, claimant, name, publisher, tags, status, made_on, probability, quote, kind
        (
            "a1",
            "ana",
            "Ana",
            "Daily",
            ("rates",),
            "true",
            "2020-01-01",
            0.7,
            "rates will fall",
            "forecast",
        ),
        (
            "a2",
            "ana",
            "Ana",
            "Daily",
            ("rates",),
            "true",
            "2020-01-01",
            0.7,
            "rates will fall again",
            "forecast",
        ),
        ("a3", "ana", "Ana", "Weekly", ("war",), "false", "2021-06-01", 0.2, "no war", "forecast"),
        (
            "b1",
            "bo",
            "Bo",
            "Weekly",
            (),
            "open",
            "2022-03-01",
            0.5,
            "a summit may happen",
            "forecast",
        ),
        (
            "b2",
            "bo",
            "Bo",
            None,
            ("war", "summit"),
            "not a forecast",
            "2022-03-02",
            None,
            "talk",
            "statement",
        ),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "claim_id",
            "claimant",
            "claimant_name",
            "publisher",
            "tags",
            "shown_status",
            "made_on",
            "probability",
            "quote",
            "kind",
        ],
    )
    frame["made_on"] = pd.to_datetime(frame["made_on"])
    frame["resolve_by"] = frame["made_on"] + pd.Timedelta(days=365)
    frame["proposition"] = frame["quote"]
    frame["hedge"] = "likely"
    frame["outcome"] = frame["shown_status"].map({"true": 1.0, "false": 0.0})
    frame["status"] = frame["shown_status"]
    return frame


def test_filter_options_list_what_is_there_in_order():
    opts = ex.filter_options(_claims())
    assert opts == {
        "claimants": ["ana", "bo"],
        "publishers": ["Daily", "Weekly"],
        "tags": ["rates", "summit", "war"],
        "statuses": ["true", "false", "open", "not a forecast"],
    }


@pytest.mark.parametrize(
    "filters,expected",
    [
        (ex.Filters(), ["a1", "a2", "a3", "b1", "b2"]),
        (ex.Filters(claimants=("bo",)), ["b1", "b2"]),
        (ex.Filters(publishers=("Weekly",)), ["a3", "b1"]),
        (ex.Filters(tags=("war",)), ["a3", "b2"]),
        (ex.Filters(tags=("war", "rates")), ["a1", "a2", "a3", "b2"]),
        (ex.Filters(statuses=("open", "false")), ["a3", "b1"]),
        (ex.Filters(start=dt.date(2021, 6, 1)), ["a3", "b1", "b2"]),
        (ex.Filters(end=dt.date(2021, 6, 1)), ["a1", "a2", "a3"]),
        (ex.Filters(claimants=("ana",), tags=("summit",)), []),
    ],
)
def test_apply_filters(filters, expected):
    assert ex.apply_filters(_claims(), filters)["claim_id"].tolist() == expected


def test_chart_points_merge_forecasts_that_would_hide_each_other():
    points = ex.chart_points(_claims())
    assert points["n"].tolist() == [2, 1, 1]  # a1 and a2: same day, probability and outcome
    first = points.iloc[0]
    assert first["claim_ids"] == "a1 a2" and first["claimants"] == "Ana"
    assert "b2" not in " ".join(points["claim_ids"])  # no probability: not placed


def test_chart_points_of_nothing_is_an_empty_table_with_the_columns():
    points = ex.chart_points(_claims().iloc[:0])
    assert points.empty and {"made_on", "probability", "n"} <= set(points.columns)


def _ms(day: str) -> int:
    return int(pd.Timestamp(day).timestamp() * 1000)


@pytest.mark.parametrize(
    "selection,expected",
    [
        (None, 5),
        ({}, 5),
        (
            {"made_on": [_ms("2019-12-01"), _ms("2020-02-01")]},
            2,
        ),  # epoch milliseconds, as Vega sends
        ({"made_on": ["2022-02-01", "2021-01-01"]}, 1),  # dates, in either order
        ({"probability": [0.4, 1.0]}, 3),
        ({"made_on": [_ms("2019-01-01"), _ms("2023-01-01")], "probability": [0.0, 0.3]}, 1),
        ({"made_on": [_ms("1990-01-01"), _ms("1991-01-01")]}, 0),
    ],
)
def test_in_selection(selection, expected):
    assert len(ex.in_selection(_claims(), selection)) == expected


@pytest.mark.parametrize(
    "query,by,ascending,expected",
    [
        ("", "made on", True, ["a1", "a2", "a3", "b1", "b2"]),
        ("RATES", "made on", True, ["a1", "a2"]),
        ("rates again", "made on", True, ["a2"]),
        ("weekly", "made on", False, ["b1", "a3"]),
        ("", "probability", False, ["a1", "a2", "b1", "a3", "b2"]),  # missing values last
        ("nothing like this", "claimant", True, []),
    ],
)
def test_search_and_sort(query, by, ascending, expected):
    assert ex.search_and_sort(_claims(), query, by, ascending)["claim_id"].tolist() == expected


def test_claims_table_escapes_and_states_how_many():
    claims = _claims()
    claims.loc[0, "quote"] = "<script>x</script>"
    html = ex.claims_table(claims, max_rows=2).html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "the first 2 of 5 claims" in html
    assert 'class="fk-status fk-true"' in html


def test_scores_of_an_empty_selection_is_empty_not_an_error():
    assert ex.scores(_claims().iloc[:0], 5).empty
    table = ex.scores(_claims(), 1)
    assert table["group"].tolist() == ["ana", "bo"]


def test_explore_chart_has_fixed_scales_and_a_brush():
    spec = ex.explore_chart(
        ex.chart_points(_claims().iloc[:0]), dates=("2019-01-01", "2023-01-01"), max_n=3
    ).to_dict()
    enc = spec["encoding"]
    assert enc["x"]["scale"]["domain"] == ["2019-01-01", "2023-01-01"]
    assert enc["y"]["scale"]["domain"] == [0, 1]
    assert enc["size"]["scale"]["domain"] == [1, 3]
    assert len(enc["color"]["scale"]["domain"]) == len(ex.STATUS_ORDER)
    assert [p["name"] for p in spec["params"]] == [ex.SELECTION]


def test_explorer_widgets_follow_filters_and_brush():
    explorer = ex.Explorer(_claims(), min_n=1)
    explorer.controls()
    explorer.chart()
    explorer.scores()
    explorer.table()
    widgets = explorer._widgets
    widgets["claimants"].value = ("bo",)
    assert explorer.selection["claim_id"].tolist() == ["b1", "b2"]
    assert len(explorer.chart_spec().data) == 1  # b2 has no probability
    widgets["claimants"].value = ()
    explorer._on_brush({"new": type("Sel", (), {"value": {"probability": [0.6, 0.8]}})()})
    assert explorer.selection["claim_id"].tolist() == ["a1", "a2"]
    explorer._on_brush({"new": type("Sel", (), {"value": {}})()})  # brush cleared
    assert len(explorer.selection) == 5
    widgets["search"].value = "summit"  # the table re-renders without error


def test_chart_output_carries_a_static_svg():
    explorer = ex.Explorer(_claims(), min_n=1)
    bundle, _ = explorer.chart()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/svg+xml"].startswith("<svg")
