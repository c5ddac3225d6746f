"""The loader: tables and dtypes, and every kind of bad input reported with its location."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from forecastkit import load
from forecastkit.errors import ValidationFailed
from forecastkit.records import lexicon
from forecastkit.records.corpus import check

from conftest import FIXTURE_CORPUS, TODAY

RATE_FILE = "2024-01-09-npi-outlook-2024.yaml"
PORT_FILE = "2023-03-14-harbour-review-port-expansion.yaml"
RATE_LOG = "outcomes/2024-01-09-npi-outlook-2024.yaml"


def test_tables_and_dtypes():
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    c = corpus.claims
    assert len(c) == 11 and len(corpus.forecasts()) == 10
    assert c["claim_id"].is_unique
    for col in ("made_on", "resolve_by", "published", "resolved_on"):
        assert pd.api.types.is_datetime64_any_dtype(c[col]), col
    for col in ("probability", "probability_low", "probability_high", "outcome"):
        assert c[col].dtype == "float64", col
    assert pd.api.types.is_string_dtype(c["claim_id"])
    assert corpus.sources["published"].dtype.kind == "M"
    assert corpus.outcomes["resolved_on"].dtype.kind == "M"


def test_made_on_defaults_to_source_date():
    c = load(FIXTURE_CORPUS, today=TODAY).claims.set_index("claim_id")
    assert c.loc["npi-2024-rate-cut", "made_on"] == pd.Timestamp("2024-01-09")


def test_probability_from_hedge_and_from_stated_number():
    c = load(FIXTURE_CORPUS, today=TODAY).claims.set_index("claim_id")
    reading = lexicon.read_hedge("likely", lexicon.DEFAULT_SCALE)
    assert c.loc["npi-2024-rate-cut", "probability"] == reading.point
    assert c.loc["npi-2024-rate-cut", "scale"] == lexicon.DEFAULT_SCALE
    assert c.loc["harbour-2023-rail-link", "probability"] == 0.3
    assert pd.isna(c.loc["harbour-2023-rail-link", "scale"])
    # "not likely" reads as unlikely: the probability is that of the proposition
    assert c.loc["npi-2024-wage-growth", "probability"] < 0.5
    assert pd.isna(c.loc["harbour-2023-dredging-prescription", "probability"])


def test_with_scale_rereads_hedges():
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    other = next(k for k in lexicon.scales() if k != corpus.scale)
    moved = corpus.with_scale(other).claims.set_index("claim_id")
    assert (
        moved.loc["npi-2024-recession", "probability"]
        == lexicon.read_hedge("highly unlikely", other).point
    )
    assert moved.loc["harbour-2023-rail-link", "probability"] == 0.3


def test_status_outcome_and_revisions():
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    c = corpus.claims.set_index("claim_id")
    assert (
        c.loc["npi-2024-rate-cut", "status"] == "true"
        and c.loc["npi-2024-rate-cut", "outcome"] == 1.0
    )
    assert c.loc["npi-2024-recession", "outcome"] == 0.0
    assert c.loc["npi-2024-housing", "status"] == "ambiguous" and math.isnan(
        c.loc["npi-2024-housing", "outcome"]
    )
    assert c.loc["harbour-2023-rail-link", "status"] == "open" and pd.isna(
        c.loc["harbour-2023-rail-link", "verdict"]
    )
    # a revision supersedes the earlier entry, and the history keeps both
    assert c.loc["harbour-2023-volume-record", "status"] == "true"
    assert c.loc["harbour-2023-volume-record", "revisions"] == 2
    history = corpus.history("harbour-2023-volume-record")
    assert list(history["verdict"]) == ["false", "true"]
    assert list(history["current"]) == [False, True]
    assert list(history["entry"]) == [1, 2]


def test_overdue_lists_open_forecasts_past_deadline():
    corpus = load(FIXTURE_CORPUS, today=TODAY)
    assert list(corpus.overdue(TODAY)["claim_id"]) == ["harbour-2023-fee-cut"]


def test_evidence_table():
    ev = load(FIXTURE_CORPUS, today=TODAY).evidence
    assert set(ev.columns) >= {
        "claim_id",
        "entry",
        "url",
        "title",
        "publisher",
        "published",
        "quote",
    }
    assert (ev["claim_id"] == "harbour-2023-volume-record").sum() == 2


def edit(root: Path, name: str, old: str, new: str) -> int:
    """Replace the first ``old`` with ``new`` in ``root/name``; return the line it is on."""
    path = root / name
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {name}"
    start = text.index(old)
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[:start].count("\n") + 1 + old[: len(old) - len(old.lstrip("\n"))].count("\n")


# (name, file, old, new, field, message): each case breaks the example corpus in one way.
BAD_EDITS = [
    (
        "malformed yaml",
        RATE_FILE,
        "    hedge: likely\n",
        "    hedge: likely\n   oops: [\n",
        None,
        "malformed YAML",
    ),
    (
        "unknown field (typo)",
        RATE_FILE,
        "    resolve_by: 2024-06-30",
        "    resolveby: 2024-06-30",
        "claims[0].resolveby",
        "did you mean 'resolve_by'",
    ),
    (
        "duplicate id across files",
        RATE_FILE,
        "  - id: npi-2024-rate-cut",
        "  - id: harbour-2023-terminal-opens",
        "claims[0].id",
        "duplicate claim id",
    ),
    (
        "wrong date format",
        RATE_FILE,
        "    resolve_by: 2024-06-30",
        "    resolve_by: 30/06/2024",
        "claims[0].resolve_by",
        "not a date in YYYY-MM-DD form",
    ),
    (
        "impossible date",
        RATE_FILE,
        "    resolve_by: 2024-06-30",
        "    resolve_by: 2024-02-30",
        "claims[0].resolve_by",
        "not a real calendar date",
    ),
    (
        "probability above 1",
        PORT_FILE,
        "    probability: 0.3",
        "    probability: 1.3",
        "claims[4].probability",
        "outside the allowed range [0, 1]",
    ),
    (
        "probability as percent",
        PORT_FILE,
        "    probability: 0.3",
        "    probability: 30%",
        "claims[4].probability",
        "not 70%",
    ),
    (
        "unknown claimant",
        PORT_FILE,
        "    claimant: tomas-reyes",
        "    claimant: tomas-reye",
        "claims[1].claimant",
        "did you mean 'tomas-reyes'",
    ),
    (
        "unknown hedge",
        RATE_FILE,
        "    hedge: likely\n",
        "    hedge: liekly\n",
        "claims[0].hedge",
        "unknown hedge 'liekly'",
    ),
    (
        "outcome for missing claim",
        RATE_LOG,
        "  - claim: npi-2024-rate-cut",
        "  - claim: npi-2024-rate-cutt",
        "outcomes[0].claim",
        "outcome for unknown claim",
    ),
    (
        "outcome before claim",
        RATE_LOG,
        "    resolved_on: 2024-06-06",
        "    resolved_on: 2023-06-06",
        "outcomes[0].resolved_on",
        "before the claim was made",
    ),
    (
        "resolve_by before made_on",
        RATE_FILE,
        "    resolve_by: 2024-06-30",
        "    resolve_by: 2023-06-30",
        "claims[0].resolve_by",
        "before made_on",
    ),
    (
        "verdict typo",
        RATE_LOG,
        "    verdict: true",
        "    verdict: ture",
        "outcomes[0].verdict",
        "did you mean 'true'",
    ),
    (
        "missing quote",
        RATE_FILE,
        "    quote: The central bank is likely to cut rates before the summer.\n",
        "",
        "claims[0]",
        "missing required field 'quote'",
    ),
    (
        "duplicate key",
        RATE_FILE,
        "    resolve_by: 2024-06-30\n",
        "    hedge: unlikely\n",
        "claims[0].hedge",
        "duplicate key",
    ),
    (
        "address without scheme",
        PORT_FILE,
        "  url: https://example.org/",
        "  url: example.org/",
        "source.url",
        "not a web address",
    ),
    (
        "evidence address without scheme",
        RATE_LOG,
        "      - url: https://",
        "      - url: ",
        "outcomes[0].evidence[0].url",
        "not a web address",
    ),
]


@pytest.mark.parametrize(
    "name,file,old,new,field,message", BAD_EDITS, ids=[c[0] for c in BAD_EDITS]
)
def test_bad_input_is_reported_with_location(corpus_dir, name, file, old, new, field, message):
    line = edit(corpus_dir, file, old, new)
    corpus, errors = check(corpus_dir, today=TODAY)
    assert errors, "the broken corpus was accepted"
    hits = [e for e in errors if message in str(e)]
    assert hits, f"no error says {message!r}: {[str(e) for e in errors]}"
    err = hits[0]
    assert err.file.endswith(file)
    if name == "missing quote":  # a missing field is reported on its claim's first line
        text = (corpus_dir / file).read_text("utf-8")
        assert err.line == text[: text.index("  - id: npi-2024-rate-cut")].count("\n") + 1
    elif name != "malformed yaml":
        assert err.line == line, str(err)
    else:
        assert err.line in (line, line + 1), str(err)
    if field:
        assert err.field == field
    with pytest.raises(ValidationFailed):
        load(corpus_dir, today=TODAY)


def test_non_utf8_text(corpus_dir):
    path = corpus_dir / RATE_FILE
    path.write_bytes(path.read_bytes().replace(b"Outlook 2024", b"Outlook \xe9 2024"))
    _, errors = check(corpus_dir, today=TODAY)
    (err,) = errors
    assert "not UTF-8" in str(err) and err.line == 4 and "save the file as UTF-8" in str(err)


def test_alias_bomb_is_refused_quickly(corpus_dir):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
    (corpus_dir / "bomb.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    _, errors = check(corpus_dir, today=TODAY)
    (err,) = errors
    assert "aliases" in str(err) and err.file.endswith("bomb.yaml") and err.line == 2
    assert err.field == "b[0]"


def test_oversized_file(corpus_dir):
    (corpus_dir / "huge.yaml").write_text("# " + "x" * (6 * 1024 * 1024) + "\n", "utf-8")
    _, errors = check(corpus_dir, today=TODAY)
    (err,) = errors
    assert "over the 5 MB limit" in str(err) and err.file.endswith("huge.yaml")


def test_true_verdict_needs_evidence_and_ambiguous_needs_a_note(corpus_dir):
    (corpus_dir / "outcomes" / "extra.yaml").write_text(
        "outcomes:\n"
        "  - claim: npi-2024-export-ban\n    verdict: false\n    resolved_on: 2025-01-01\n"
        "    recorded_by: me\n    recorded_on: 2025-01-02\n"
        "  - claim: harbour-2023-rail-link\n    verdict: ambiguous\n    resolved_on: 2025-01-01\n"
        "    recorded_by: me\n    recorded_on: 2025-01-02\n",
        "utf-8",
    )
    _, errors = check(corpus_dir, today=TODAY)
    messages = sorted((e.line, e.field, e.message) for e in errors)
    assert messages == [
        (2, "outcomes[0]", "missing required field 'evidence'"),
        (7, "outcomes[1]", "missing required field 'note'"),
    ]


def test_outcome_in_the_future(corpus_dir):
    _, errors = check(corpus_dir, today=TODAY.replace(year=2024))
    assert any("in the future" in str(e) for e in errors)


def test_empty_and_missing_folder(tmp_path):
    _, errors = check(tmp_path / "nope")
    assert "corpus folder not found" in str(errors[0])
    (tmp_path / "empty").mkdir()
    _, errors = check(tmp_path / "empty")
    assert "no authors registry" in str(errors[0])


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# authors, to come\n"], ids=["0B", "blank", "comment"]
)
def test_an_empty_authors_registry_leads_alone_with_a_hint(corpus_dir, text):
    """An empty authors.yaml was the last of a dozen 'claimant ... is not in the authors
    registry' errors (one per claim: consequences of it). Now its error comes first, with how
    to fill it, the claimants are not checked against it, and an unrelated error still shows."""
    from click.testing import CliRunner

    from forecastkit.cli import main

    from conftest import tree_snapshot

    (corpus_dir / "authors.yaml").write_text(text, "utf-8")
    edit(corpus_dir, RATE_FILE, "hedge: likely\n", "hedge: likely\n    probability: 1.7\n")
    before = tree_snapshot(corpus_dir)
    result = CliRunner().invoke(main, ["validate", str(corpus_dir), "--no-expectations"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and lines[0].endswith(
        "authors.yaml:1: the file is empty; list every claimant in it (forecastkit add author "
        "KEY --name NAME adds one; docs/claim-format.md); the claims are checked against it "
        "once it does"
    )
    assert not any("authors registry" in line or "unknown claimant" in line for line in lines)
    assert len(lines) == 3 and RATE_FILE in lines[1] and "1.7" in lines[1], lines
    assert tree_snapshot(corpus_dir) == before
    _, errors = check(corpus_dir, today=TODAY)
    with pytest.raises(ValidationFailed) as failed:
        load(corpus_dir, today=TODAY)
    assert failed.value.errors[0].file.endswith("authors.yaml") and len(errors) == 2


def test_every_error_is_one_line(corpus_dir):
    for _, file, old, new, _, _ in BAD_EDITS:
        if old in (corpus_dir / file).read_text("utf-8"):
            edit(corpus_dir, file, old, new)
    _, errors = check(corpus_dir, today=TODAY)
    assert len({e.file for e in errors}) >= 2
    for e in errors:
        assert "\n" not in str(e) and e.file and e.line, str(e)


@pytest.mark.parametrize(
    "text,kind_hint",
    [("- a\n- b\n", "a list"), ("hello\n", "'hello'"), ("42\n", "42")],
    ids=["list", "scalar", "number"],
)
def test_a_file_that_is_not_a_mapping(corpus_dir, text, kind_hint):
    (corpus_dir / "odd.yaml").write_text(text, "utf-8")
    _, errors = check(corpus_dir, today=TODAY)
    (err,) = errors
    assert err.file.endswith("odd.yaml") and err.line == 1
    assert f"expected a mapping of fields, got {kind_hint}" in err.message
    assert "source: and claims:" in err.hint


def _strip_claims(text: str, rest: str) -> str:
    return text[: text.index("claims:")] + rest


# (name, file, change, claims, outcome entries): unusual but valid files load.
ODD_BUT_VALID = [
    ("BOM", PORT_FILE, lambda t: "\ufeff" + t, 11, 8),
    ("Windows line endings", PORT_FILE, lambda t: t.replace("\n", "\r\n"), 11, 8),
    (
        "probability .7",
        PORT_FILE,
        lambda t: t.replace("probability: 0.3", "probability: .7"),
        11,
        8,
    ),
    ("empty claims list", RATE_FILE, lambda t: _strip_claims(t, "claims: []\n"), 5, 8),
    ("claims: with nothing", RATE_FILE, lambda t: _strip_claims(t, "claims:  # none yet\n"), 5, 8),
    (
        "outcomes: with nothing",
        RATE_LOG,
        lambda t: t[: t.index("outcomes:")] + "outcomes:\n",
        11,
        3,
    ),
]


@pytest.mark.parametrize(
    "name,file,change,n_claims,n_outcomes", ODD_BUT_VALID, ids=[c[0] for c in ODD_BUT_VALID]
)
def test_odd_but_valid_files_load(corpus_dir, name, file, change, n_claims, n_outcomes):
    path = corpus_dir / file
    path.write_bytes(change(path.read_text("utf-8")).encode("utf-8"))
    if file == RATE_FILE:  # its claims are gone: so must their outcomes be
        (corpus_dir / RATE_LOG).write_text("outcomes:\n", "utf-8")
        n_outcomes = 3
    corpus = load(corpus_dir, today=TODAY)
    assert (len(corpus.claims), len(corpus.outcomes)) == (n_claims, n_outcomes)
    if name == "probability .7":
        assert corpus.claim("harbour-2023-rail-link")["probability"] == 0.7


def test_a_file_given_as_the_corpus_folder(corpus_dir):
    _, errors = check(corpus_dir / PORT_FILE)
    assert "is a file, not a corpus folder" in str(errors[0]) and errors[0].hint


def test_a_question_id_given_as_a_claim_names_its_claims():
    """`forecastkit show q-...` said only "no claim with id 'q-...'": the id is a question's, so
    the error names the claims on it."""
    from forecastkit.errors import CorpusError

    from conftest import ROOT

    corpus = load(ROOT / "tests" / "fixtures" / "types")
    with pytest.raises(CorpusError, match="'q-2008-ru-president' is a question") as caught:
        corpus.claim("q-2008-ru-president")
    assert "kei-2008-successor" in caught.value.hint
    assert "community-2008-successor" in caught.value.hint
    with pytest.raises(CorpusError, match="no claim with id 'nope'"):
        corpus.claim("nope")
