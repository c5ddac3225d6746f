"""Guards the held-out key of bench/extract_heldout (issue 23) like the evaluation key.

The held-out key was written before the extractor was run on its texts; these checks keep its
format that of ``bench/extract_eval/key.yaml`` (the bench reads both the same way): every quote
and non-forecast an exact substring of its text, every numeric entry well formed, two speakers
of one clause allowed (same quote, two entries), and at least six texts from four domains.
"""

from pathlib import Path

import pytest
import yaml

HELDOUT = Path(__file__).resolve().parent.parent / "bench" / "extract_heldout"
DIRECTIONS = {"=", ">=", "<=", "between"}
FIELDS = ("file", "url", "title", "publisher", "published", "domain", "byline")


def _key():
    return yaml.safe_load((HELDOUT / "key.yaml").read_text(encoding="utf-8"))


def test_key_covers_enough_texts_and_domains():
    key = _key()
    assert len(key) >= 6
    assert len({entry["domain"] for entry in key}) >= 4
    assert len({entry["file"] for entry in key}) == len(key), "a text keyed twice"
    for entry in key:
        for field in FIELDS:
            assert entry.get(field), f"{entry.get('file')}: missing {field}"
        assert str(entry["url"]).startswith(("http://", "https://")), entry["file"]


def test_every_text_is_keyed():
    keyed = {entry["file"] for entry in _key()}
    on_disk = {f"texts/{p.name}" for p in (HELDOUT / "texts").glob("*.txt")}
    assert keyed == on_disk


def test_published_is_a_date_a_month_or_a_year():
    for entry in _key():
        value = str(entry["published"])
        parts = value.split("-")
        assert 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts), entry["file"]
        assert len(parts[0]) == 4, entry["file"]


@pytest.mark.parametrize("entry", _key(), ids=lambda e: e["file"])
def test_quotes_are_exact_substrings(entry):
    path = HELDOUT / entry["file"]
    assert path.is_file(), path
    text = path.read_text(encoding="utf-8")
    assert entry["forecasts"], entry["file"]
    seen = set()
    for forecast in entry["forecasts"]:
        assert set(forecast) <= {"quote", "speaker", "numeric"}, forecast
        assert forecast["quote"] in text, forecast["quote"]
        assert forecast["speaker"].strip(), forecast["quote"]
        pair = (forecast["quote"], forecast["speaker"].lower())
        assert pair not in seen, f"keyed twice: {forecast['quote']!r}"
        seen.add(pair)
    for sentence in entry["non_forecasts"]:
        assert sentence in text, sentence
        assert all(sentence != f["quote"] for f in entry["forecasts"]), sentence


@pytest.mark.parametrize("entry", _key(), ids=lambda e: e["file"])
def test_numeric_entries_well_formed(entry):
    for forecast in entry["forecasts"]:
        numeric = forecast.get("numeric")
        if numeric is None:
            continue
        assert numeric["direction"] in DIRECTIONS, forecast["quote"]
        assert str(numeric.get("unit", "")).strip(), forecast["quote"]
        if numeric["direction"] == "between":
            low, high = numeric["low"], numeric["high"]
            assert isinstance(low, (int, float)) and isinstance(high, (int, float))
            assert low < high, forecast["quote"]
            assert "value" not in numeric
        else:
            assert isinstance(numeric["value"], (int, float)), forecast["quote"]
