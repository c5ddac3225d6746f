"""Guards the independent evaluation key of bench/extract_eval (issue 23)."""

from pathlib import Path

import pytest
import yaml

EVAL = Path(__file__).resolve().parent.parent / "bench" / "extract_eval"
DIRECTIONS = {"=", ">=", "<=", "between"}


def _key():
    return yaml.safe_load((EVAL / "key.yaml").read_text(encoding="utf-8"))


def test_key_covers_enough_texts_and_domains():
    key = _key()
    assert len(key) >= 10
    assert len({entry["domain"] for entry in key}) >= 5
    for entry in key:
        for field in ("file", "url", "title", "publisher", "published", "domain", "byline"):
            assert entry.get(field), f"{entry.get('file')}: missing {field}"


@pytest.mark.parametrize("entry", _key(), ids=lambda e: e["file"])
def test_quotes_are_exact_substrings(entry):
    path = EVAL / entry["file"]
    assert path.is_file(), path
    text = path.read_text(encoding="utf-8")
    assert entry["forecasts"], entry["file"]
    for forecast in entry["forecasts"]:
        assert forecast["quote"] in text, forecast["quote"]
        assert forecast["speaker"].strip(), forecast["quote"]
    for sentence in entry["non_forecasts"]:
        assert sentence in text, sentence


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
