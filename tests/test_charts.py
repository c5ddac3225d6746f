"""Chart builders: valid Vega-Lite that compiles with the bundled Vega-Lite, the right marks
and fields, tooltips carrying the quote, and the notebook renderer."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from forecastkit.records import lexicon
from forecastkit.reports import charts, overview_view, views
from forecastkit.scoring.binned import binned_reliability
from forecastkit.scoring.calibration import reliability_diagram
from forecastkit.scoring.grouped import scale_sensitivity, score_over_time

from conftest import FIXTURE_CORPUS, TODAY

pytest.importorskip("altair")


@pytest.fixture(scope="module")
def corpus():
    return views.open_corpus(FIXTURE_CORPUS)


def _rng_forecasts(n=200, seed=3):
    rng = np.random.default_rng(seed)
    p = rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], n)
    y = (rng.random(n) < p).astype(float)
    return y, p


def _timeline_data(corpus):
    f = corpus.forecasts()
    data = f[
        ["claim_id", "quote", "hedge", "probability", "made_on", "resolve_by", "resolved_on"]
    ].copy()
    data["shown_status"] = views.shown_status(f, TODAY).to_numpy()
    data["quote"] = data["quote"].astype(str)
    data["hedge"] = data["hedge"].astype("string").fillna("(stated)").astype(str)
    return data


def _layers(spec):
    for key in ("layer", "vconcat", "hconcat"):
        if key in spec:
            return [leaf for part in spec[key] for leaf in _layers(part)]
    return [spec]


def _marks(spec):
    return sorted(
        {
            (leaf["mark"]["type"] if isinstance(leaf["mark"], dict) else leaf["mark"])
            for leaf in _layers(spec)
        }
    )


@pytest.fixture(scope="module")
def cases(corpus):
    return _chart_cases(corpus)


def _chart_cases(corpus):
    y, p = _rng_forecasts()
    f = corpus.forecasts()
    league = overview_view.league_table(corpus.claims, "claimant", 1)
    league["name"] = league["group"]
    refs = pd.DataFrame({"forecaster": ["coin flip"], "brier": [0.25]})
    return {
        "reliability": (
            charts.reliability_chart(reliability_diagram(y, p, n_resamples=100)),
            ["area", "circle", "line"],
            ["forecast", "cep", "band_low", "band_high"],
        ),
        "binned": (
            charts.binned_chart(binned_reliability(y, p)),
            ["line", "point", "rule", "text"],
            ["mean_forecast", "observed", "low", "high"],
        ),
        "scales": (
            charts.scale_chart(
                scale_sensitivity(
                    f, list(lexicon.scales()), read=lexicon.read_hedge, by=None, min_n=0
                ).table
            ),
            ["point", "rule"],
            ["scale", "point", "from", "to"],
        ),
        "timeline": (
            charts.timeline_chart(_timeline_data(corpus)),
            ["point", "rule", "tick"],
            ["made_on", "deadline", "quote", "shown_status"],
        ),
        "track": (
            charts.track_record_chart(
                score_over_time(f, pd.date_range("2023-12-31", "2025-12-31", freq="YE"), by=None)
            ),
            ["area", "bar", "line", "rule"],
            ["as_of", "brier", "brier_low", "brier_high", "n_resolved"],
        ),
        "league": (
            charts.league_chart(league, refs),
            ["point", "rule"],
            ["name", "brier", "brier_low", "forecaster"],
        ),
        "explore": (
            charts.explore_chart(
                corpus.claims.assign(shown_status=views.shown_status(corpus.claims, TODAY))
            ),
            ["bar", "circle"],
            ["made_on", "probability", "quote", "shown_status"],
        ),
    }


CASES = ["reliability", "binned", "scales", "timeline", "track", "league", "explore"]


@pytest.mark.parametrize("name", CASES)
def test_chart_is_valid_vega_lite_with_its_marks_and_fields(cases, name):
    import vl_convert as vlc

    chart, marks, fields = cases[name]
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    assert _marks(spec) == marks
    text = json.dumps(spec)
    for field in fields:
        assert f'"field": "{field}"' in text, field
    vega = vlc.vegalite_to_vega(spec)  # compiles with the Vega-Lite that HTML reports embed
    assert vega["marks"] or vega.get("signals")


@pytest.mark.parametrize("name", ["timeline", "explore"])
def test_tooltips_show_the_quote(cases, name):
    chart = cases[name][0]
    tooltips = [
        t for leaf in _layers(chart.to_dict()) for t in leaf.get("encoding", {}).get("tooltip", [])
    ]
    assert any(t.get("field") == "quote" for t in tooltips)


def test_explore_chart_is_interactive(cases):
    spec = cases["explore"][0].to_dict()
    params = [p for leaf in _layers(spec) for p in leaf.get("params", [])] + spec.get("params", [])
    names = {p["name"] for p in params}
    assert {"who", "period"} <= names
    assert any("bind" in p for p in params)


def test_renderer_emits_vega_lite_for_jupyterlab():
    import altair as alt

    charts.enable()
    bundle = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert set(data) == {charts.VEGALITE_MIMETYPE, charts.SVG_MIMETYPE, "text/plain"}
    spec = data[charts.VEGALITE_MIMETYPE]
    assert spec["mark"]["type"] == "point"
    # the version JupyterLab's renderer bundles, so it does not warn about versions
    assert spec["$schema"].endswith(f"/v{charts.JUPYTERLAB_VEGALITE}.json")
    # a static image for GitHub, nbviewer and anything without a Vega renderer
    assert (
        data[charts.SVG_MIMETYPE].startswith("<svg")
        and 'class="marks"' in data[charts.SVG_MIMETYPE]
    )


def test_jupyterlab_vega_lite_version_is_the_one_jupyterlab_bundles():
    """The installed JupyterLab shares exactly this Vega-Lite version with its renderer (its
    webpack module-federation table names every shared package with its version)."""
    import re
    from pathlib import Path

    import jupyterlab

    static = Path(jupyterlab.__file__).parent / "static"
    versions = {
        v
        for path in static.glob("main.*.js")
        for v in re.findall(r'name:"vega-lite",version:"([0-9.]+)"', path.read_text("utf-8"))
    }
    if not versions:
        pytest.skip("the Vega-Lite version of JupyterLab's bundle could not be read")
    assert versions == {charts.JUPYTERLAB_VEGALITE}


def test_chart_outputs_are_strict_json():
    """A missing date (NaT) reaches the spec as NaN, which a Jupyter message may not carry."""
    import json

    import altair as alt

    frame = pd.DataFrame({"x": pd.to_datetime(["2020-01-01", None]), "y": [1.0, float("nan")]})
    data = charts.chart_output(alt.Chart(frame).mark_point().encode(x="x:T", y="y:Q").to_dict())
    json.dumps(data, allow_nan=False)


def test_page_spec_declares_the_vl_convert_version():
    import vl_convert as vlc

    spec = charts.page_spec({"$schema": charts._schema_url("5.6.1"), "mark": "point"})
    assert spec["$schema"].endswith(f"/v{vlc.get_vegalite_versions()[-1]}.json")
