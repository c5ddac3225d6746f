"""Tests for forecastkit.records.lexicon: scales, house mapping, normalisation, CLI, and agreement with
the published yardsticks and the CAPphrase survey (when ../shared/data is present)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import (
    ForecastkitError,
    ParameterError,
    UnknownHedgeError,
    UnknownScaleError,
)
from forecastkit.records import lexicon
from forecastkit.records.lexicon import (
    DEFAULT_SCALE,
    LEVELS,
    get_scale,
    hedge_level,
    house_mapping,
    is_known_hedge,
    lexicon_table,
    normalize_hedge,
    read_hedge,
    scales,
    suggest_hedges,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "capphrase"
SCALE_FILES = sorted((ROOT / "src" / "forecastkit" / "records" / "data" / "scales").glob("*.yaml"))
assert SCALE_FILES, "no scale files found: the lexicon data moved?"
SCALE_KEYS = sorted(scales())
HOUSE = [tuple(r) for r in house_mapping().itertuples(index=False)]
PHRASES = [tuple(r) for r in lexicon_table().itertuples(index=False)]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- the shipped scales ---------------------------------------------------------------------


def test_required_scales_ship_and_default_is_icd203():
    assert {"icd203", "phia", "nato", "ipcc-ar5", "kent", "capphrase"} <= set(SCALE_KEYS)
    assert DEFAULT_SCALE == "icd203" and DEFAULT_SCALE in SCALE_KEYS


@pytest.mark.parametrize("path", SCALE_FILES, ids=lambda p: p.stem)
def test_scale_file_has_full_reference(path):
    raw = _raw(path)
    assert raw["key"] == path.stem
    for field in ("name", "publisher", "citation", "url", "point_rule"):
        assert str(raw[field]).strip(), field
    assert raw["url"].startswith("https://")
    assert 1900 < int(raw["year"]) < 2100


@pytest.mark.parametrize(
    "scale,phrase,level,point,low,high,publisher",
    PHRASES,
    ids=[f"{r[0]}:{r[1]}:{r[2]}" for r in PHRASES],
)
def test_point_strictly_inside_and_within_range(scale, phrase, level, point, low, high, publisher):
    assert 0.0 < point < 1.0
    assert 0.0 <= low <= point <= high <= 1.0
    assert level in LEVELS


@pytest.mark.parametrize("path", SCALE_FILES, ids=lambda p: p.stem)
def test_point_follows_its_stated_basis(path):
    for row in _raw(path)["phrases"]:
        low, high = row["range"]
        if row["point_basis"] == "midpoint":
            assert row["point"] == pytest.approx((low + high) / 2), row["phrase"]
        elif row["point_basis"] == "stated":  # Kent: point +/- margin
            assert row["point"] - low == pytest.approx(high - row["point"]), row["phrase"]
        else:
            assert row["point_basis"] == "median"


@pytest.mark.parametrize("key", SCALE_KEYS)
@pytest.mark.parametrize("level", LEVELS)
def test_every_level_is_read_on_every_scale(key, level):
    phrase = get_scale(key).at(level)
    assert phrase.level == level
    assert phrase == next(p for p in get_scale(key).phrases if p.level == level)


def test_at_unknown_level_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown level 'maybe'"):
        get_scale("icd203").at("maybe")


@pytest.mark.parametrize("key", SCALE_KEYS)
def test_certainty_words_are_not_scale_phrases(key):
    phrases = {p.phrase for p in get_scale(key).phrases}
    assert not phrases & {"certain", "impossible", "will happen"}


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"range": [0.0, 0.0], "point": 0.0}, "strictly between 0 and 1"),
        ({"range": [0.99, 1.0], "point": 1.0}, "strictly between 0 and 1"),
        ({"range": [0.2, 0.4], "point": 0.5}, "low <= point <= high"),
        ({"range": [0.4, 0.2], "point": 0.3}, "low <= point <= high"),
        ({"levels": ["possible"]}, "unknown level 'possible'"),
    ],
)
def test_bad_scale_data_is_refused(bad, message):
    raw = _raw(ROOT / "src/forecastkit/records/data/scales/icd203.yaml")
    raw["phrases"][0] = {**raw["phrases"][0], **bad}
    with pytest.raises(ForecastkitError, match=message):
        lexicon._parse_scale("scales/icd203.yaml", raw)


def test_a_scale_must_read_every_level():
    raw = _raw(ROOT / "src/forecastkit/records/data/scales/icd203.yaml")
    raw["phrases"] = [p for p in raw["phrases"] if p["levels"] != ["likely"]]
    with pytest.raises(ForecastkitError, match="no phrase reads likely"):
        lexicon._parse_scale("scales/icd203.yaml", raw)


# --- the house mapping ----------------------------------------------------------------------


def test_house_mapping_columns_and_rationales():
    table = house_mapping()
    assert list(table.columns) == ["hedge", "level", "rationale"]
    assert table["level"].isin(LEVELS).all()
    assert (table["rationale"].str.len() > 10).all()


@pytest.mark.parametrize("key", SCALE_KEYS)
@pytest.mark.parametrize("hedge,level,rationale", HOUSE, ids=[h for h, _, _ in HOUSE])
def test_every_house_hedge_resolves_on_every_scale(hedge, level, rationale, key):
    r = read_hedge(hedge, key)
    assert (r.hedge, r.level, r.scale) == (hedge, level, key)
    assert 0.0 < r.point < 1.0 and r.low <= r.point <= r.high
    phrase = next(p for p in get_scale(key).phrases if p.phrase == r.phrase and p.level == level)
    assert (phrase.point, phrase.low, phrase.high) == (r.point, r.low, r.high)


@pytest.mark.parametrize(
    "scale,phrase,level,point,low,high,publisher",
    PHRASES,
    ids=[f"{r[0]}:{r[1]}:{r[2]}" for r in PHRASES],
)
def test_scale_phrases_are_house_hedges_at_a_level_they_read(
    scale, phrase, level, point, low, high, publisher
):
    assert is_known_hedge(phrase)
    levels = {p.level for p in get_scale(scale).phrases if p.phrase == phrase}
    assert hedge_level(phrase) in levels


# Rows where a phrase stands in for a second level (Kent, NATO) are left out: there the phrase
# reads its own level, checked by the other rows.
OWN = [r for r in PHRASES if hedge_level(r[1]) == r[2]]


@pytest.mark.parametrize(
    "scale,phrase,level,point,low,high,publisher", OWN, ids=[f"{r[0]}:{r[1]}" for r in OWN]
)
def test_a_scale_phrase_reads_as_itself(scale, phrase, level, point, low, high, publisher):
    r = read_hedge(phrase, scale)
    assert (r.phrase, r.point, r.low, r.high) == (phrase, point, low, high)


@pytest.mark.parametrize("key", SCALE_KEYS)
def test_other_hedges_read_as_the_levels_phrase(key):
    for hedge in ("will", "will not", "is expected to", "may", "not likely"):
        r = read_hedge(hedge, key)
        assert r.phrase == get_scale(key).at(r.level).phrase


@pytest.mark.parametrize("key", SCALE_KEYS)
def test_levels_are_ordered_on_every_scale(key):
    points = [get_scale(key).at(level).point for level in LEVELS]
    assert points == sorted(points)


# --- normalisation and lookup ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text,key",
    [
        ("highly unlikely", "highly unlikely"),
        ("It is highly unlikely that", "highly unlikely"),
        ("  HIGHLY   Unlikely ", "highly unlikely"),
        ("it\u2019s likely that", "likely"),
        ("It's likely", "likely"),
        ("is expected to", "expected"),
        ("expected to", "expected"),
        ("are likely to", "likely"),
        ("is unlikely to", "unlikely"),
        ("it is not likely", "not likely"),
        ("won\u2019t", "won't"),
        ("\u201cmay\u201d", "may"),
        ("likely.", "likely"),
        ("is", "is"),  # nothing left: the prefix stays
        ("to", "to"),
        ("there is a chance", "there is a chance"),
        ("is set to", "set"),
        ("chances are that", "chances are"),
        ("50-50", "50-50"),
    ],
)
def test_normalize_hedge(text, key):
    assert normalize_hedge(text) == key


@pytest.mark.parametrize(
    "hedge,level",
    [
        ("It is highly unlikely that", "very-unlikely"),
        ("not likely", "unlikely"),
        ("It is not likely", "unlikely"),
        ("is unlikely to", "unlikely"),
        ("probably not", "unlikely"),
        ("doubtful", "unlikely"),
        ("Expected to", "likely"),
        ("is expected to", "likely"),
        ("will likely", "likely"),
        ("may well", "likely"),
        ("may", "even-chance"),
        ("Might", "even-chance"),
        ("could", "even-chance"),
        ("toss-up", "even-chance"),
        ("realistic possibility", "even-chance"),
        ("in all likelihood", "very-likely"),
        ("is set to", "very-likely"),
        ("will", "almost-certain"),
        ("inevitably", "almost-certain"),
        ("certainly", "almost-certain"),
        ("will not", "almost-no-chance"),
        ("won\u2019t", "almost-no-chance"),
        ("cannot", "almost-no-chance"),
        ("remote", "almost-no-chance"),
        ("slim chance", "very-unlikely"),
        ("hard to imagine", "very-unlikely"),
    ],
)
def test_hedge_level(hedge, level):
    assert hedge_level(hedge) == level


@pytest.mark.parametrize(
    "hedge,suggestion",
    [
        ("higly unlikely", "highly unlikely"),
        ("is expectd to", "expected"),
        ("probaly", "probably"),
        ("almost certian", "almost certain"),
    ],
)
def test_unknown_hedge_names_it_and_suggests(hedge, suggestion):
    assert not is_known_hedge(hedge)
    with pytest.raises(UnknownHedgeError) as info:
        hedge_level(hedge)
    assert repr(hedge) in str(info.value)
    assert info.value.field == "hedge"
    assert suggestion in suggest_hedges(hedge)
    assert repr(suggestion) in info.value.hint
    with pytest.raises(UnknownHedgeError):
        read_hedge(hedge)


def test_suggest_hedges_respects_n_and_gives_nothing_for_noise():
    assert len(suggest_hedges("likely", n=2)) == 2
    assert suggest_hedges("zzzzqqq") == []


@pytest.mark.parametrize("name", ["icd-203", "IPCC", "foo"])
def test_unknown_scale_lists_known_keys(name):
    with pytest.raises(UnknownScaleError) as info:
        read_hedge("likely", name)
    assert repr(name) in str(info.value)
    assert all(key in info.value.hint for key in SCALE_KEYS)


@pytest.mark.parametrize("name", ["PHIA", " phia ", "Phia"])
def test_scale_names_ignore_case_and_spaces(name):
    assert get_scale(name).key == "phia"
    assert read_hedge("likely", name).scale == "phia"


def test_readings_are_cached():
    first = read_hedge("is poised to", "nato")
    assert read_hedge("is poised to", "nato") is first
    assert scales() is not scales()  # callers get a copy ...
    assert scales()["nato"] is get_scale("nato")  # ... of the same cached scales


def test_lexicon_table_one_scale_matches_all():
    everything = lexicon_table()
    assert list(everything.columns) == [
        "scale",
        "phrase",
        "level",
        "point",
        "low",
        "high",
        "publisher",
    ]
    for key in SCALE_KEYS:
        one = lexicon_table(key)
        assert one.reset_index(drop=True).equals(
            everything[everything["scale"] == key].reset_index(drop=True)
        )
        assert len(one) == len(get_scale(key).phrases)


# --- agreement with the published yardsticks and the CAPphrase survey ------------------------

YARDSTICKS = [
    ("yardstick_us_nic.csv", "icd203"),
    ("yardstick_uk.csv", "phia"),
    ("yardstick_nato.csv", "nato"),
    ("yardstick_ipcc.csv", "ipcc-ar5"),
    ("yardstick_efsa.csv", "efsa"),
]


@pytest.mark.parametrize("file,key", YARDSTICKS)
def test_scale_agrees_with_yardstick_csv(file, key):
    path = SHARED / file
    if not path.is_file():
        pytest.skip(f"{path} not present")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    by_phrase = {p.phrase: p for p in get_scale(key).phrases}
    for row in rows:
        phrase = by_phrase.get(row["term"].strip().lower())
        assert phrase is not None, f"{row['term']} missing from {key}"
        assert (phrase.low, phrase.high) == pytest.approx(
            (float(row["low"]) / 100, float(row["high"]) / 100)
        ), row["term"]


def test_capphrase_scale_matches_recomputation():
    path = SHARED / "absolute_judgements.csv"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    shipped = _raw(ROOT / "src/forecastkit/records/data/scales/capphrase.yaml")
    assert _script("build_capphrase_scale").compute_scale(path) == shipped


def test_capphrase_scale_covers_the_survey_terms():
    path = SHARED / "terms.csv"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    shipped = _raw(ROOT / "src/forecastkit/records/data/scales/capphrase.yaml")
    listed = {p["phrase"] for p in shipped["phrases"] + shipped["not_hedges"]}
    with path.open(encoding="utf-8") as fh:
        assert {r["term"].strip().lower() for r in csv.DictReader(fh)} == listed


# --- docs -------------------------------------------------------------------------------------


def test_doc_tables_are_current():
    doc = ROOT / "docs" / "lexicon.md"
    text = doc.read_text(encoding="utf-8")
    assert _script("build_lexicon_doc").render_doc(text) == text, (
        "docs/lexicon.md is stale: run python scripts/build_lexicon_doc.py"
    )
    for hedge, _level, _ in HOUSE:
        assert f"| `{hedge}` |" in text


# --- CLI --------------------------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(main, ["lexicon", *args])


def test_cli_lists_every_scale_with_its_citation():
    result = _run()
    assert result.exit_code == 0, result.output
    for key, sc in scales().items():
        assert f"{key}: {sc.name}" in result.stdout
        assert sc.url in result.stdout


def test_cli_one_scale():
    result = _run("--scale", "kent")
    assert result.exit_code == 0
    assert "Words of Estimative Probability" in result.stdout
    assert "icd203:" not in result.stdout


def test_cli_csv_is_the_lexicon_table():
    result = _run("--format", "csv", "--scale", "phia")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    table = lexicon_table("phia")
    assert [r["phrase"] for r in rows] == table["phrase"].tolist()
    assert [float(r["point"]) for r in rows] == table["point"].tolist()


def test_cli_json_carries_citations():
    result = _run("--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["key"] for d in data] == list(scales())
    assert all(d["citation"] == scales()[d["key"]].citation for d in data)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_cli_house_lists_every_hedge(fmt):
    result = _run("--house", "--format", fmt)
    assert result.exit_code == 0
    for hedge, _level, _ in HOUSE:
        assert hedge in result.stdout


def test_cli_unknown_scale_is_a_one_line_usage_error():
    result = _run("--scale", "icd-203")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown scale 'icd-203'" in lines[0] and "icd203" in lines[0]
    assert "Traceback" not in result.output


def test_cli_help_has_an_example():
    result = _run("--help")
    assert result.exit_code == 0
    assert "Example: forecastkit lexicon" in result.stdout


def test_docstring_examples():
    import doctest

    result = doctest.testmod(lexicon)
    assert result.attempted > 0 and result.failed == 0
