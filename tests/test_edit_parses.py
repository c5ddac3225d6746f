"""How often an edit parses the files it reads and writes (issue 22: ``add claim`` parsed a
4.5 MB claim file nine times, 44 s). Each bound below is the count the edit's steps need; a
step that parses again makes the test fail."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

import forecastkit.editing.yamledit  # noqa: F401 - loaded, so that its `parse` is counted too
from forecastkit.editing.claims import add_claim
from forecastkit.editing.edit import collector_paused
from forecastkit.editing.resolve import resolve_claim
from forecastkit.editing.review import accept_candidate
from forecastkit.editing.synthetic import write_synthetic_corpus
from forecastkit.errors import CorpusError
from forecastkit.records import yamlio

TODAY = dt.date(2024, 6, 1)
EVIDENCE = [
    {
        "url": "https://example.org/x",
        "title": "Report",
        "publisher": "Wire",
        "published": "2020-01-01",
        "quote": "It happened.",
    }
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_synthetic_corpus(tmp_path / "claims", 1, 40, 5, start=dt.date(2000, 1, 1))


@pytest.fixture
def source(corpus: Path) -> str:
    (file,) = [p for p in corpus.glob("*.yaml") if p.name != "authors.yaml"]
    return file.stem


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts of ``yamlio.parse`` by file (``claims/x.yaml``, ``outcomes/x.yaml``), and of
    ``yaml.compose`` by the same names under ``compose:`` (a parse composes once; an append
    composes the old text once more to find where the new lines go)."""
    counts: Counter[str] = Counter()
    parse, compose = yamlio.parse, yaml.compose

    def counted_parse(text: str, path: Path) -> yamlio.Document:
        counts[f"{Path(path).parent.name}/{Path(path).name}"] += 1
        return parse(text, path)

    def counted_compose(stream, Loader=None):  # noqa: N803 - PyYAML's name
        text = str(stream)
        kind = next((k for k in ("claims", "outcomes") if f"\n{k}:" in text), "other")
        counts[f"compose:{kind}"] += 1
        return compose(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", counted_compose)
    for module in list(sys.modules.values()):  # modules that bound the name on import too
        if (
            module
            and module.__name__.startswith("forecastkit")
            and module.__dict__.get("parse") is parse
        ):
            monkeypatch.setattr(module, "parse", counted_parse)
    return counts


def _unresolved(root: Path, source: str) -> str:
    text = (root / "outcomes" / f"{source}.yaml").read_text("utf-8")
    ids = [
        c["id"] for c in yamlio.parse((root / f"{source}.yaml").read_text(), root).data["claims"]
    ]
    return next(i for i in reversed(ids) if f"claim: {i}\n" not in text)


def test_add_claim_parses_the_claim_file_three_times(
    corpus: Path, source: str, parses: Counter
) -> None:
    add_claim(source, claimant="claimant-0001", claimant_role="byline author", quote="Rents will "
              "probably rise", proposition="Rents rise in 2027", hedge="probably",
              resolve_by="2027-12-31", path=corpus, today=TODAY)  # fmt: skip
    # the corpus check, the file read fresh under the lock, the text written (checked, and
    # the new claim's line taken from that parse); the log once, in the corpus check
    assert parses[f"claims/{source}.yaml"] == 3
    assert parses[f"outcomes/{source}.yaml"] == 1
    assert parses["compose:claims"] <= 4  # the three parses and where to append


def test_resolve_parses_the_log_twice(corpus: Path, source: str, parses: Counter) -> None:
    resolve_claim(_unresolved(corpus, source), "true", "2020-01-01", evidence=EVIDENCE,
                  recorded_by="t", path=corpus, today=TODAY)  # fmt: skip
    # the claim file to find the claim; the log under the lock and the text written
    assert parses[f"claims/{source}.yaml"] == 1
    assert parses[f"outcomes/{source}.yaml"] == 2
    assert parses["compose:outcomes"] <= 3


def test_a_revision_reuses_the_log_its_history_search_parsed(
    corpus: Path, source: str, parses: Counter
) -> None:
    claim = _unresolved(corpus, source)
    resolve_claim(claim, "true", "2020-01-01", evidence=EVIDENCE, recorded_by="t",
                  path=corpus, today=TODAY)  # fmt: skip
    parses.clear()
    done = resolve_claim(claim, "false", "2020-01-02", evidence=EVIDENCE, recorded_by="t",
                         path=corpus, today=TODAY)  # fmt: skip
    assert done.revision and done.entry == 2
    # the history search's parse is the one under the lock (same text), then the text written
    assert parses[f"outcomes/{source}.yaml"] == 2


def test_a_log_changed_before_the_lock_is_parsed_again(
    corpus: Path, source: str, parses: Counter, monkeypatch: pytest.MonkeyPatch
) -> None:
    import forecastkit.editing.resolve as resolve_module

    claim = _unresolved(corpus, source)
    resolve_claim(claim, "true", "2020-01-01", evidence=EVIDENCE, recorded_by="t",
                  path=corpus, today=TODAY)  # fmt: skip
    log = corpus / "outcomes" / f"{source}.yaml"
    locked = resolve_module.locked
    other = "  - claim: syn-00000-000\n    verdict: ambiguous\n    resolved_on: 2019-01-01\n"
    other += "    note: written meanwhile\n    recorded_by: someone\n    recorded_on: 2019-01-02\n"

    def locked_after_a_change(path: Path, *args, **kwargs):
        log.write_text(log.read_text("utf-8") + other, "utf-8")  # after the history search
        return locked(path, *args, **kwargs)

    monkeypatch.setattr(resolve_module, "locked", locked_after_a_change)
    parses.clear()
    resolve_claim(claim, "false", "2020-01-02", evidence=EVIDENCE, recorded_by="t",
                  path=corpus, today=TODAY)  # fmt: skip
    assert parses[f"outcomes/{source}.yaml"] == 3  # history, the changed text, the new text
    entries = yamlio.parse(log.read_text("utf-8"), log).data["outcomes"]
    assert entries[-2]["note"] == "written meanwhile"  # kept, and the new entry after it
    assert entries[-1]["claim"] == claim and entries[-1]["verdict"] is False


def test_review_accept_parses_the_claim_file_four_times(
    corpus: Path, source: str, parses: Counter
) -> None:
    file = corpus / f"{source}.yaml"
    file.write_text(file.read_text("utf-8") + f"  - id: {source}-c001\n    kind: candidate\n"
                    "    claimant: claimant-0001\n    claimant_role: byline author\n"
                    '    quote: "Rents will probably rise."\n    hedge: probably\n'
                    "    resolve_by: 2014-12-31\n", "utf-8")  # fmt: skip
    accept_candidate("c001", path=corpus, proposition="Rents rise by 2014-12-31", today=TODAY)
    # finding the candidate, the corpus check, under the lock, the text written
    assert parses[f"claims/{source}.yaml"] == 4


def test_an_edit_pauses_the_collector_and_restores_it(corpus: Path, source: str) -> None:
    seen = []
    with collector_paused():
        seen.append(gc.isenabled())
        with collector_paused():
            pass
        seen.append(gc.isenabled())  # an inner pause does not end the outer one
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
    with pytest.raises(CorpusError, match="unknown claimant"):
        add_claim(source, claimant="nobody", claimant_role="byline author", quote="q",
                  proposition="p", hedge="probably", resolve_by="2027-12-31", path=corpus,
                  today=TODAY)  # fmt: skip
    assert gc.isenabled()
