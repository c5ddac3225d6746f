"""forecastkit.extraction: candidate claims from article text (hedges, attribution, deadlines)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from forecastkit.errors import ExtractionError
from forecastkit.extraction import extract_file, extract_text, read_source
from forecastkit.extraction.deadlines import infer_deadline
from forecastkit.records.lexicon import read_hedge

from conftest import ROOT, TODAY

FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
DAY = dt.date(2024, 3, 4)  # a Monday


def one(text: str, **kw):
    kw.setdefault("byline", "Jane Byline")
    kw.setdefault("published", DAY)
    kw.setdefault("min_confidence", 0.0)
    found = extract_text(text, **kw)
    assert len(found) == 1, [c.quote for c in found]
    return found[0]


# --- hedge shapes -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "hedge", "reads_as"),
    [
        ("The central bank will raise rates.", "will", "will"),
        ("Inflation is expected to fall.", "is expected to", "is expected to"),
        (
            "It is highly unlikely that the treaty will be signed.",
            "highly unlikely",
            "highly unlikely",
        ),
        ("The talks may well collapse.", "may well", "may well"),
        ("The company is set to announce a merger.", "is set to", "is set to"),
        ("We anticipate that exports will recover.", "anticipate", "we expect"),
        ("Ministers will not approve the plan.", "will not", "will not"),
        ("The deal won't survive the winter.", "won't", "won't"),
        ("Prices are unlikely to rise.", "are unlikely to", "unlikely"),
        ("It is not likely that the visit will take place.", "not likely", "not likely"),
        ("The reform might fail.", "might", "might"),
        ("Pyongyang will likely interpret the visit as a sign.", "will likely", "will likely"),
        (
            "The rebels threatening to seize the port are organising.",
            "threatening to",
            "threatens to",
        ),
        ("Kyiv will never accept the terms.", "will never", "will never"),
    ],
)
def test_hedge_shapes(text, hedge, reads_as):
    c = one(text)
    assert c.hedge == hedge
    assert c.probability == read_hedge(reads_as).point
    assert not c.probability_stated


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("There is a 30% chance of a recession.", 0.3),
        ("Analysts see a 75 percent probability that the bill passes.", 0.75),
        ("The odds are a one-in-four chance that the mayor resigns.", 0.25),
    ],
)
def test_stated_numbers(text, stated):
    c = one(text)
    assert c.probability == stated and c.probability_stated


@pytest.mark.parametrize(
    "text",
    [
        "There is a 1 in 0 chance that rates will fall.",  # was read as a stated 0.0
        "There is a 150% chance that rates will fall.",
    ],
)
def test_a_number_that_is_no_probability_is_not_stated(text):
    found = extract_text(text, byline="J", published=DAY, min_confidence=0.0)
    assert found and not any(c.probability_stated for c in found)


@pytest.mark.parametrize(
    "text",
    [
        "The minister was expected to resign.",  # past only
        "The government must cut spending.",  # prescription
        "Exports rose by 5% last year.",  # description
        "He lacked the political will to reform.",  # 'will' as a noun
        "The summit took place in May 2020.",  # 'May' the month
        "Russia should strengthen ties with Iran.",  # prescriptive 'should'
    ],
)
def test_past_descriptions_and_prescriptions_are_left_out(text):
    assert extract_text(text, byline="J", published=DAY, min_confidence=0.0) == []


def test_prescriptions_can_be_listed_marked():
    c = one("The government must cut spending.", include_prescriptions=True)
    assert c.kind == "prescription" and c.hedge is None and c.probability is None


def test_question_answered_by_the_next_sentence():
    c = one("Will the coalition survive the vote? Probably not.")
    assert c.question and c.hedge == "Probably not"
    assert c.quote == "Will the coalition survive the vote? Probably not."


def test_bare_question_is_kept_with_low_confidence():
    c = one("Will the ceasefire hold until the election?")
    assert c.question and c.confidence < 0.4
    assert extract_text("Will the ceasefire hold until the election?", byline="J") == []


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        (
            "Growth will slow unless the central bank cuts rates.",
            "unless the central bank cuts rates",
        ),
        ("If the talks fail, fighting will resume.", "If the talks fail"),
        ("Drivers will walk out if the talks fail, the union said.", "if the talks fail"),
        ("The economy will grow.", None),
    ],
)
def test_conditions(text, condition):
    assert one(text).condition == condition


# --- attribution ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "“The market will recover by 2026,” said John Smith, an economist at the Acme Institute.",
            "John Smith",
            "quoted expert",
        ),
        ("“The market will recover by 2026,” John Smith said.", "John Smith", "other"),
        ("John Smith said the market will recover.", "John Smith", "other"),
        ("According to Maria Lopez, the vote will be delayed.", "Maria Lopez", "other"),
        (
            "Anna Berg, a professor at Oslo University, said the coalition is likely to collapse.",
            "Anna Berg",
            "quoted expert",
        ),
        ("Many analysts believe the currency will weaken.", "many analysts", "anonymous source"),
        (
            "However, diplomatic sources revealed that the envoy is expected to travel.",
            "diplomatic sources",
            "anonymous source",
        ),
        (
            "On June 9, Moscow announced that the president will visit Pyongyang.",
            "Moscow",
            "organisation",
        ),
        ("The economy will grow.", "Jane Byline", "byline author"),
    ],
)
def test_attribution_patterns(text, name, role):
    c = one(text)
    assert (c.claimant_name, c.claimant_role) == (name, role)


def test_publisher_when_there_is_no_byline():
    c = one("The economy will grow.", byline=None, publisher="The Daily Planet")
    assert (c.claimant_name, c.claimant_role) == ("The Daily Planet", "organisation")


def test_pronoun_points_back_to_the_last_named_speaker():
    text = (
        "Carla Diaz, the deputy mayor, said the quarter had been strong. "
        "She said the tram line is expected to open this year."
    )
    c = one(text)
    assert c.claimant_name == "Carla Diaz" and c.claimant_role == "quoted official"


def test_short_name_resolves_to_the_full_name_seen_earlier():
    text = (
        "President Vladimir Putin arrived on Monday.\n\n"
        "Putin said the talks will continue next year."
    )
    assert one(text).claimant_name == "Vladimir Putin"


def test_quotation_over_two_sentences_and_two_claimants():
    text = (
        "“Prices will rise. We expect a recession by 2026,” said Ann Lee and Bo Park, "
        "researchers at the Policy Institute."
    )
    found = extract_text(text, byline="J", published=DAY, min_confidence=0.0)
    assert {(c.claimant_name, c.claimant_role) for c in found} == {
        ("Ann Lee", "quoted expert"),
        ("Bo Park", "quoted expert"),
    }
    assert {c.quote for c in found} == {
        "“Prices will rise.",
        "We expect a recession by 2026,” said Ann Lee and Bo "
        "Park, researchers at the Policy Institute.",
    }


def test_quotation_continued_into_the_next_paragraph():
    text = (
        "Ian Wood, a senator, said: “The reform will pass before the end of the session. "
        "Nothing can stop it.\n\n“The deficit will shrink within two years.”"
    )
    found = extract_text(text, byline="J", published=DAY, min_confidence=0.0)
    assert [c.claimant_name for c in found] == ["Ian Wood", "Ian Wood"]


# --- deadlines --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "resolve_by", "rule"),
    [
        ("Rates will rise by 2027.", dt.date(2027, 12, 31), "D0"),
        ("Rates will ease from 5% in 2023 to 4% in 2025.", dt.date(2025, 12, 31), "D0"),
        ("The tram is expected to open this year.", dt.date(2024, 12, 31), "D0"),
        ("The envoy will travel this week.", dt.date(2024, 3, 10), "D0"),
        ("He is expected to travel on Tuesday or Wednesday.", dt.date(2024, 3, 6), "D0"),
        ("The deficit will shrink within two years.", dt.date(2026, 3, 4), "D0"),
        (
            "The visit, likely just prior to the summit July 21-23, will be short.",
            dt.date(2024, 7, 21),
            "D0",
        ),
        ("A deal is unlikely during the visit.", None, "D1"),
        ("Talks will resume soon.", dt.date(2026, 3, 4), "D2"),
        ("Kyiv will never accept.", dt.date(2034, 3, 4), "D4"),
        ("Trade will grow in the coming years.", dt.date(2029, 3, 4), "D3"),
        ("Trade will grow.", dt.date(2029, 3, 4), "D3"),
    ],
)
def test_deadline_rules(sentence, resolve_by, rule):
    d = infer_deadline(sentence, DAY)
    assert d.resolve_by == resolve_by and d.rule.startswith(rule)


@pytest.mark.parametrize(
    ("sentence", "made_on"),
    [
        ("Prices will rise within 99999999999 years.", DAY),
        ("Prices will rise within 9000 years.", DAY),
        ("Rates will rise in the next 5000000 days.", DAY),
        ("The tram is expected to open next year.", dt.date(9999, 3, 1)),
        ("Trade will grow.", dt.date(9998, 3, 1)),
    ],
)
def test_a_deadline_after_the_year_9999_is_unknown_not_a_crash(sentence, made_on):
    d = infer_deadline(sentence, made_on)
    assert d.resolve_by is None and d.rule.startswith(("D0", "D3"))
    c = one(sentence, published=made_on)
    assert c.resolve_by is None and any("resolve_by unknown" in r for r in c.reasons)


def test_no_published_date_means_no_resolve_by():
    c = one("Talks will resume soon.", published=None)
    assert c.resolve_by is None and any("--published" in r for r in c.reasons)


# --- offsets, fixtures, inputs ----------------------------------------------------------------
@pytest.mark.parametrize("name", ["shapes.txt", "page.html"])
def test_offsets_slice_back_to_the_quote(name):
    ex = extract_file(FIXTURES / name, min_confidence=0.0)
    assert ex.candidates
    for c in ex.candidates:
        assert ex.text[c.start : c.end] == c.quote
        assert 0.0 <= c.confidence <= 1.0 and c.reasons


def test_seed_articles_offsets():
    from conftest import shared_path

    for path in sorted(shared_path("articles").glob("*.txt")):
        ex = extract_file(path)
        text = path.read_text("utf-8")
        assert all(text[c.start : c.end] == c.quote for c in ex.candidates)


def test_fixture_article_shapes():
    ex = extract_file(FIXTURES / "shapes.txt")
    by_quote = {c.quote[:25]: c for c in ex.candidates}
    assert ex.source.author == "Jane Byline" and ex.source.published == DAY
    assert by_quote["There is a 30% chance tha"].claimant_name == "Maria Lopez"
    assert by_quote["Taxes will rise next year"].condition == "unless the port is sold"
    assert by_quote["Taxes will rise next year"].claimant_name == "Tom Reed"
    assert not any(c.quote.startswith("The council was expected") for c in ex.candidates)


def test_html_input_main_text_and_metadata():
    src = read_source(FIXTURES / "page.html")
    assert src.is_html and src.author == "Lois Lane" and src.site == "The Daily Planet"
    assert src.published == dt.date(2024, 5, 2)
    assert "Subscribe now" not in src.text and "Privacy policy" not in src.text
    ex = extract_file(FIXTURES / "page.html")
    white = [c for c in ex.candidates if c.claimant_name == "Perry White"]
    assert white and white[0].claimant_role == "quoted official"
    assert white[0].condition == "if the talks fail"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n\n  ", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"caf\xe9 au lait will be served", "not a UTF-8 text file"),
    ],
)
def test_unreadable_files_give_one_line_errors(tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    assert message in str(info.value) and str(path) in str(info.value)


# --- the command ------------------------------------------------------------------------------
def _invoke(*args: str):
    # through the group, as a user runs it: invoking the command object alone would build its
    # help option without the group's -h (click caches it, and docs/cli.md would then differ)
    from forecastkit.cli import main

    return CliRunner().invoke(main, ["extract", *args])


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\x03binary"])
def test_cli_bad_file_is_one_line_and_non_zero(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = _invoke(str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}")
    assert "Traceback" not in result.output


def test_cli_missing_file(tmp_path):
    result = _invoke(str(tmp_path / "nope.txt"))
    assert result.exit_code == 1 and "file not found" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "yaml", "table"])
def test_cli_formats(fmt):
    result = _invoke(str(FIXTURES / "shapes.txt"), "--format", fmt, "--scale", "phia")
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["source"]["scale"] == "phia" and data["candidates"]
        assert {
            "quote",
            "start",
            "end",
            "hedge",
            "probability",
            "claimant_name",
            "claimant_role",
            "deadline_phrase",
            "resolve_by",
            "condition",
            "confidence",
            "reasons",
        } <= set(data["candidates"][0])
    elif fmt == "yaml":
        assert yaml.safe_load(result.stdout)["candidates"]
    else:
        assert "candidate(s)" in result.stdout


def test_cli_write_makes_a_candidate_file_that_validates_and_is_not_scored(corpus_dir):
    from forecastkit.records.corpus import load

    before = load(corpus_dir, today=TODAY)
    result = _invoke(
        str(FIXTURES / "shapes.txt"),
        "--write",
        "--corpus",
        str(corpus_dir),
        "--publisher",
        "Harbour Herald",
        "--source-id",
        "2024-03-04-harbour-talks",
    )
    assert result.exit_code == 0, result.output
    written = corpus_dir / "2024-03-04-harbour-talks.yaml"
    # the new file and nothing else: no lock file or temporary file left in the corpus
    assert sorted(p.name for p in corpus_dir.iterdir() if p.name.startswith("2024-03-04-h")) == [
        written.name
    ]
    assert not list(corpus_dir.glob("*.lock")) and not list(corpus_dir.glob(".*.tmp"))
    data = yaml.safe_load(written.read_text("utf-8"))
    assert data["claims"] and all(c["kind"] == "candidate" for c in data["claims"])
    after = load(corpus_dir, today=TODAY)
    assert len(after.claims) == len(before.claims)  # candidates are not claims
    assert after.candidates == {str(written): len(data["claims"])} or list(
        after.candidates.values()
    ) == [len(data["claims"])]
    again = _invoke(
        str(FIXTURES / "shapes.txt"),
        "--write",
        "--corpus",
        str(corpus_dir),
        "--source-id",
        "2024-03-04-harbour-talks",
    )
    # a re-run adds only what the file does not hold yet (tests/test_review.py): here nothing
    assert again.exit_code == 0 and "no new candidates" in again.stderr, again.output
    assert yaml.safe_load(written.read_text("utf-8")) == data
    assert not list(corpus_dir.glob("*.lock")) and not list(corpus_dir.glob(".*.tmp"))


def test_write_never_replaces_a_file_that_appears_meanwhile(corpus_dir):
    from forecastkit.extraction import write_candidates

    ex = extract_file(FIXTURES / "shapes.txt")
    target = corpus_dir / "2024-03-04-harbour-talks.yaml"

    @contextlib.contextmanager
    def someone_else_writes_it(path):
        path.write_text("theirs\n", "utf-8")  # another command created it after the check
        yield

    with pytest.raises(ExtractionError, match="already exists"):
        write_candidates(ex, corpus_dir, source_id=target.stem, lock=someone_else_writes_it)
    assert target.read_text("utf-8") == "theirs\n"
    assert not list(corpus_dir.glob(".*.tmp"))


def test_validate_reports_candidates_left(corpus_dir):
    from forecastkit.cli import main

    _invoke(str(FIXTURES / "shapes.txt"), "--write", "--corpus", str(corpus_dir))
    result = CliRunner().invoke(main, ["validate", str(corpus_dir), "--no-expectations"])
    assert result.exit_code == 0, result.output
    assert "candidate(s) to review" in result.stdout


# --- large input ------------------------------------------------------------------------------
_BIG = r"""
import resource, sys, time
from forecastkit.extraction.candidates import iter_candidates
from forecastkit.extraction.hedges import pipeline
from forecastkit.extraction.text import MAX_TEXT_BYTES
pipeline()
paras = ["The committee met on Tuesday and discussed the harbour accounts at length.",
         "Officials said the new bridge will open within two years, according to Ann Lee.",
         "Rents rose sharply in the old town, and shops along the quay reported fewer visitors."]
text = "\n\n".join(paras[i % 3] + f" Item {i}." for i in range(MAX_TEXT_BYTES // 85))
text = text[: text.rindex("\n\n", 0, MAX_TEXT_BYTES)]  # the most text extract takes
assert MAX_TEXT_BYTES * 0.99 < len(text.encode()) <= MAX_TEXT_BYTES
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
n = sum(1 for _ in iter_candidates(text, byline="J", publisher=None, published=None,
                                   scale="icd203", min_confidence=0.4,
                                   include_prescriptions=False))
print(n, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)
"""


def test_the_most_text_allowed_stays_fast_and_bounded():
    out = subprocess.run(
        [sys.executable, "-c", _BIG], capture_output=True, text=True, check=True, timeout=300
    ).stdout.split()
    n, seconds, growth_kb = int(out[0]), float(out[1]), int(out[2])
    assert n > 10_000
    assert seconds < 120
    # the peak memory the reading adds to the loaded pipeline and the 4 MiB text: bounded, as
    # spaCy sees one paragraph at a time (a whole-text parse of 5 MB takes gigabytes)
    assert growth_kb < 300_000


def test_more_text_than_allowed_is_refused_at_once_naming_file_and_size(tmp_path, monkeypatch):
    """extract had no useful bound (50 MB of text would run for most of an hour): more than
    MAX_TEXT_BYTES is refused before it is read, in one line naming the file and its size."""
    import forecastkit.extraction.hedges
    from forecastkit.extraction.text import MAX_TEXT_BYTES

    def no_pipeline():
        raise AssertionError("the text was read")

    monkeypatch.setattr(forecastkit.extraction.hedges, "pipeline", no_pipeline)
    monkeypatch.setattr(forecastkit.extraction.candidates, "pipeline", no_pipeline)
    path = tmp_path / "book.txt"
    size = MAX_TEXT_BYTES + 1
    path.write_bytes(b"Prices will rise. " * (size // 18) + b"x" * (size % 18))
    assert path.stat().st_size == size
    result = _invoke(str(path), "--write", "--corpus", str(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"error: {path}: the file is {size:,} bytes (4.0 MiB), over extract's limit of 4 MiB of "
        "text; extract one article at a time (split a longer text into its articles)"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.txt"]  # nothing written
    with pytest.raises(ExtractionError, match="over extract's limit of 4 MiB"):
        extract_text("Prices will rise. " * (size // 18 + 1), byline="J")


def test_the_limit_is_on_the_page_and_on_its_text(tmp_path, monkeypatch):
    """An HTML page may be larger than its text (scripts, styles, inline images), up to
    MAX_HTML_BYTES; the main text taken from it is held to MAX_TEXT_BYTES."""
    from forecastkit.extraction import text as text_module

    monkeypatch.setattr(text_module, "MAX_TEXT_BYTES", 3000)
    monkeypatch.setattr(text_module, "MAX_HTML_BYTES", 6000)
    script = "<script>" + "var x = 1;" * 400 + "</script>"
    para = "<p>Officials said the new bridge will open within two years.</p>"
    page = tmp_path / "page.html"
    page.write_text(f"<!doctype html><html><head>{script}</head><body>{para}</body></html>")
    assert 3000 < page.stat().st_size <= 6000
    assert read_source(page).text.startswith("Officials said")  # a page over the text limit
    paras = "".join(para.replace("Officials", f"{i} officials") for i in range(70))
    page.write_text(f"<!doctype html><html><body><article>{paras}</article></body></html>")
    with pytest.raises(ExtractionError, match=r"the page's text is 4,\d{3} bytes .* 0.00286"):
        read_source(page)
    page.write_text(f"<!doctype html><html><head>{script * 2}</head><body>{para}</body></html>")
    with pytest.raises(ExtractionError, match="the page is .* limit of 0.00572205 MiB for an HTML"):
        read_source(page)
    plain = tmp_path / "article.txt"
    plain.write_text("x" * 2999 + "\n")
    assert read_source(plain).text  # the limit itself is allowed


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("One. Two. Three.", 100, ["One. Two. Three."]),
        (
            "Aaa bbb. Ccc ddd. Eee fff.",
            12,
            ["Aaa bbb.", "Ccc ddd.", "Eee fff."],
        ),  # at sentence ends
        ("aaaa bbbb cccc dddd", 10, ["aaaa bbbb", "cccc dddd"]),  # at a space
        ("abcdefghijkl", 5, ["abcde", "fghij", "kl"]),  # no space: at the limit
    ],
)
def test_long_paragraphs_are_cut_into_bounded_pieces(text, limit, pieces):
    from forecastkit.extraction.candidates import bounded

    got = list(bounded(text, iter([(0, len(text))]), limit))
    assert [text[s:e] for s, e in got] == pieces
    assert all(e - s <= limit for s, e in got)


def test_a_paragraph_longer_than_spacy_takes_is_read_in_pieces(monkeypatch):
    from forecastkit.extraction.hedges import pipeline

    nlp, _ = pipeline()
    monkeypatch.setattr(nlp, "max_length", 150_000)  # was: ValueError [E088] over max_length
    text = "Prices will rise next year, analysts said. " * 9_000  # one 396,000-character line
    found = extract_text(text, byline="J", published=DAY)
    assert len(found) == 9_000
    assert all(text[c.start : c.end] == c.quote for c in found)


def test_layering_extraction_imports_only_errors_and_records():
    import ast

    for path in (ROOT / "src" / "forecastkit" / "extraction").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for name in names:
                    if name.startswith("forecastkit"):
                        assert name == "forecastkit.errors" or name.startswith(
                            ("forecastkit.records", "forecastkit.extraction")
                        ), (path, name)


def test_nothing_is_downloaded_no_model_needed():
    from forecastkit.extraction.hedges import pipeline

    nlp, _ = pipeline()
    assert nlp.pipe_names == ["sentencizer"]
    assert Path(sys.executable)  # the pipeline is built from spaCy's own rules only
