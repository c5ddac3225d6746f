"""Guards the two extraction keys of issue 23: bench/extract_eval (the evaluation key, written
by a second reader before any extractor change) and bench/extract_heldout (written before the
extractor was run on its texts). bench/extract_bench.py reads both the same way, so both keep
one format: every quote and non-forecast an exact substring of its text, every numeric entry
well formed, two speakers of one clause allowed (same quote, two entries), every text keyed
once, and enough texts from enough domains.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parent.parent / "bench"
#: Each key's folder, with the texts and domains it must at least cover.
KEYS = {"extract_eval": (10, 5), "extract_heldout": (6, 4)}
DIRECTIONS = {"=", ">=", "<=", "between"}
FIELDS = ("file", "url", "title", "publisher", "published", "domain", "byline")


def _key(folder: str) -> list[dict]:
    return yaml.safe_load((BENCH / folder / "key.yaml").read_text(encoding="utf-8"))


ENTRIES = [(folder, entry) for folder in KEYS for entry in _key(folder)]


def _entry_id(item) -> str:  # noqa: ANN001
    return f"{item[0]}:{item[1]['file']}" if isinstance(item, tuple) else str(item)


@pytest.mark.parametrize("folder", KEYS)
def test_key_covers_enough_texts_and_domains(folder):
    key = _key(folder)
    texts, domains = KEYS[folder]
    assert len(key) >= texts
    assert len({entry["domain"] for entry in key}) >= domains
    assert len({entry["file"] for entry in key}) == len(key), "a text keyed twice"
    for entry in key:
        for field in FIELDS:
            assert entry.get(field), f"{entry.get('file')}: missing {field}"
        assert str(entry["url"]).startswith(("http://", "https://")), entry["file"]


@pytest.mark.parametrize("folder", KEYS)
def test_every_text_is_keyed(folder):
    keyed = {entry["file"] for entry in _key(folder)}
    on_disk = {f"texts/{p.name}" for p in (BENCH / folder / "texts").glob("*.txt")}
    assert keyed == on_disk


@pytest.mark.parametrize("folder", KEYS)
def test_published_is_a_date_a_month_or_a_year(folder):
    for entry in _key(folder):
        parts = str(entry["published"]).split("-")
        assert 1 <= len(parts) <= 3 and all(p.isdigit() for p in parts), entry["file"]
        assert len(parts[0]) == 4, entry["file"]


@pytest.mark.parametrize("item", ENTRIES, ids=_entry_id)
def test_quotes_are_exact_substrings(item):
    folder, entry = item
    path = BENCH / folder / entry["file"]
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


@pytest.mark.parametrize("item", ENTRIES, ids=_entry_id)
def test_numeric_entries_well_formed(item):
    for forecast in item[1]["forecasts"]:
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
