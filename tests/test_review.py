"""The review loop (issue 23): extract --write, then accept, edit or reject each candidate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main
from forecastkit.editing import candidates as cands
from forecastkit.editing import review
from forecastkit.editing.yamledit import replace_entry
from forecastkit.errors import EditError, ForecastkitError
from forecastkit.records.yamlio import parse

from conftest import ROOT, TODAY, tree_snapshot

ARTICLE = ROOT / "tests" / "fixtures" / "extraction" / "shapes.txt"
SOURCE = "2024-03-04-harbour-talks"
FILE = f"{SOURCE}.yaml"
#: The candidates shapes.txt gives (tests/test_extraction.py pins the extractor's side).
TOLL, STADIUM, TAXES = "c002", "c003", "c004"
TOLL_QUOTE = (
    "There is a 30% chance that the harbour bridge toll will be scrapped by 2025, according to "
    "Maria Lopez, the city's transport planner."
)


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def extract(corpus: Path):
    return run(
        "extract",
        ARTICLE,
        "--write",
        "--corpus",
        corpus,
        "--publisher",
        "Harbour Herald",
        "--source-id",
        SOURCE,
    )


@pytest.fixture
def reviewed(corpus_dir: Path) -> Path:
    """The example corpus with the candidates of shapes.txt written."""
    result = extract(corpus_dir)
    assert result.exit_code == 0, result.output
    return corpus_dir


def entries(corpus: Path) -> dict[str, dict]:
    data = yaml.safe_load((corpus / FILE).read_text("utf-8"))
    return {
        c["id"].rsplit("-", 1)[-1] if c["id"].startswith(SOURCE) else c["id"]: c
        for c in data["claims"]
    }


# --- the loop through the CLI ------------------------------------------------------------------
def test_list_shows_short_ids_and_new_claimants(reviewed: Path) -> None:
    result = run("review", "list", reviewed)
    assert result.exit_code == 0, result.output
    assert f"  {TOLL}  1.00  -  p=0.30 stated  maria-lopez (new) (other)  by 2025-12-31" in (
        result.stdout
    )
    assert result.stdout.rstrip().endswith("forecastkit review accept|reject|edit ID")
    table = review.candidates_table(reviewed)
    assert table["ref"].str.fullmatch(r"c\d{3}").all() and (table["status"] == "pending").all()
    assert table.set_index("ref").loc[TOLL, "written"] == "Maria Lopez"


def test_list_refuses_a_misspelled_kind_naming_the_kinds(reviewed: Path) -> None:
    """A candidate whose kind was mistyped (kind: candiate) vanished from review list, which said
    "no candidates to review"; now one line names the file, line and field and the kinds."""
    file = reviewed / FILE
    text = file.read_text("utf-8")
    line = text.splitlines().index("  kind: candidate") + 1
    file.write_text(text.replace("kind: candidate", "kind: candiate"), "utf-8")
    before = tree_snapshot(reviewed)
    result = run("review", "list", reviewed)
    assert result.exit_code != 0
    assert "no candidates" not in result.output
    assert result.stderr.splitlines() == [
        f"error: {file}:{line}: claims[0].kind: the kind candiate is not one of: forecast, "
        "prescription, description, candidate, rejected; did you mean 'candidate'?"
    ]
    assert "Traceback" not in result.output and tree_snapshot(reviewed) == before
    with pytest.raises(EditError, match="candiate"):
        review.candidates_table(reviewed)


def test_list_refuses_a_path_that_is_not_a_corpus(reviewed: Path) -> None:
    """`review list rejcted` (a status word mistyped as the PATH) said "no candidates"."""
    result = run("review", "list", reviewed / "rejcted")
    assert result.exit_code != 0 and "no candidates" not in result.output
    assert len(result.stderr.splitlines()) == 1
    assert "rejcted: corpus folder not found" in result.stderr and "--all" in result.stderr


def test_accept_turns_a_candidate_into_a_validated_claim(reviewed: Path) -> None:
    before = entries(reviewed)[TOLL]
    result = run(
        "review",
        "accept",
        reviewed,
        TOLL,
        "--add-claimant",
        "--proposition",
        "The harbour bridge toll is scrapped by 2025-12-31.",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"accepted {TOLL} as claim harbour-herald-2024-")
    assert "added claimant maria-lopez (Maria Lopez)" in result.stdout
    valid = run("validate", reviewed)
    assert valid.exit_code == 0, valid.output
    corpus = forecastkit.load(reviewed, today=TODAY)
    claim = corpus.claims[corpus.claims["quote"] == TOLL_QUOTE].iloc[0]
    assert claim["source_id"] == SOURCE and claim["kind"] == "forecast"
    assert claim["claimant"] == "maria-lopez" and claim["claimant_name"] == "Maria Lopez"
    assert claim["claimant_role"] == before["claimant_role"] == "other"
    assert claim["probability"] == 0.3 and str(claim["resolve_by"].date()) == "2025-12-31"
    assert claim["notes"].startswith(f"accepted from candidate {SOURCE}-{TOLL} (confidence 1.00)")
    # it took the candidate's place: the file's other entries are as they were
    after = entries(reviewed)
    assert TOLL not in after and list(after)[0] == "c001" and list(after)[2] == STADIUM
    assert corpus.candidates == {str(reviewed / FILE): 9} or sum(corpus.candidates.values()) == 9


def test_edit_then_accept_keeps_the_edits(reviewed: Path) -> None:
    result = run(
        "review",
        "edit",
        reviewed,
        TAXES,
        "--proposition",
        "Harbour City raises taxes in 2025.",
        "--probability",
        "0.8",
        "--claimant",
        "tom-reed",
    )
    assert result.exit_code == 0, result.output
    edited = entries(reviewed)[TAXES]
    assert edited["kind"] == "candidate" and edited["probability"] == 0.8
    assert edited["proposition"] == "Harbour City raises taxes in 2025."
    accepted = run("review", "accept", reviewed, TAXES, "--add-claimant")
    assert accepted.exit_code == 0, accepted.output
    corpus = forecastkit.load(reviewed, today=TODAY)
    claim = corpus.claims[corpus.claims["proposition"] == "Harbour City raises taxes in 2025."]
    assert len(claim) == 1
    claim = claim.iloc[0]
    assert claim["probability"] == 0.8 and claim["hedge"] == "will"
    assert claim["condition"] == "unless the port is sold" and claim["claimant"] == "tom-reed"
    assert run("validate", reviewed, "--no-expectations").exit_code == 0


def test_reject_is_kept_and_a_rerun_of_extract_does_not_propose_it_again(reviewed: Path) -> None:
    result = run("review", "reject", reviewed, STADIUM, "--reason", "a boast, not a forecast")
    assert result.exit_code == 0, result.output
    kept = entries(reviewed)[STADIUM]
    assert kept["kind"] == "rejected" and kept["rejected"]["reason"] == "a boast, not a forecast"
    assert kept["rejected"]["recorded_on"] == dt.date.today()
    before = tree_snapshot(reviewed)
    again = extract(reviewed)
    assert again.exit_code == 0, again.output
    assert "no new candidates" in again.stderr and "nothing was written" in again.stderr
    assert tree_snapshot(reviewed) == before
    listed = run("review", "list", reviewed)
    assert f"  {STADIUM}  " not in listed.stdout
    assert f"  {STADIUM}  " in run("review", "list", reviewed, "--all").stdout
    assert run("validate", reviewed, "--no-expectations").exit_code == 0
    corpus = forecastkit.load(reviewed, today=TODAY)
    assert sum(corpus.candidates.values()) == 9  # rejected: neither a claim nor pending
    assert not corpus.claims["quote"].str.contains("stadium").any()


def test_a_rerun_adds_only_what_is_not_in_the_file(reviewed: Path) -> None:
    # accepted with a trimmed quote: still known; a candidate deleted by hand: proposed again
    trimmed = "There is a 30% chance that the harbour bridge toll will be scrapped by 2025"
    run(
        "review",
        "accept",
        reviewed,
        TOLL,
        "--add-claimant",
        "--proposition",
        "Toll scrapped.",
        "--quote",
        trimmed,
    )
    text = (reviewed / FILE).read_text("utf-8")
    start = text.index(f"- id: {SOURCE}-c006")
    (reviewed / FILE).write_text(text[:start] + text[text.index(f"- id: {SOURCE}-c007") :])
    again = extract(reviewed)
    assert again.exit_code == 0, again.output
    assert "added 1 new candidate(s)" in again.stderr and "9 already in it" in again.stderr
    new = entries(reviewed)["c011"]
    assert new["quote"] == "If turnout is low, the opposition may well win the seat."


def test_a_rerun_never_reuses_the_id_of_an_accepted_candidate(reviewed: Path) -> None:
    last = "c010"
    done = run("review", "accept", reviewed, last, "--add-claimant", "--proposition", "Shrinks.")
    assert done.exit_code == 0, done.output
    text = (reviewed / FILE).read_text("utf-8")
    start = text.index(f"- id: {SOURCE}-c009")
    end = text.index("- id: ", start + 1)
    (reviewed / FILE).write_text(text[:start] + text[end:])  # c009 deleted by hand
    assert extract(reviewed).exit_code == 0
    assert "c011" in entries(reviewed) and last not in entries(reviewed)
    again = run("review", "accept", reviewed, last, "--proposition", "x")
    assert again.exit_code == 1 and "already accepted" in again.stderr


# --- refusals: one line, nothing written -------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["accept", "c999", "--proposition", "x"], "no candidate 'c999'"),
        (["accept", TOLL, "--proposition", "x"], "unknown claimant 'maria-lopez'"),
        (["accept", TOLL], "missing --proposition"),
        (["accept", TOLL, "--proposition", "x", "--probability", "1.5"], "--probability"),
        (["accept", TOLL, "--proposition", "x", "--claimant", "nobody"], "unknown claimant"),
        (
            ["accept", TOLL, "--proposition", "x", "--add-claimant", "--hedge", "maybe-ish"],
            "unknown hedge",
        ),
        (
            ["accept", TOLL, "--proposition", "x", "--add-claimant", "--resolve-by", "2020-01-01"],
            "before made_on",
        ),
        (["reject", TOLL], "missing --reason"),
        (["reject", TOLL, "--reason", "  "], "needs a reason"),
        (["edit", TOLL], "nothing to change"),
        (["edit", TOLL, "--hedge", "maybe-ish"], "unknown hedge"),
        (["edit", TOLL, "--claimant", "Not A Key"], "not a valid claimant key"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(reviewed: Path, args, message) -> None:
    before = tree_snapshot(reviewed)
    result = run("review", args[0], reviewed, *args[1:])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert "Traceback" not in result.output
    assert tree_snapshot(reviewed) == before


def test_already_accepted_or_rejected_is_refused(reviewed: Path) -> None:
    run("review", "accept", reviewed, TOLL, "--add-claimant", "--proposition", "Toll scrapped.")
    run("review", "reject", reviewed, STADIUM, "--reason", "not a forecast")
    before = tree_snapshot(reviewed)
    for ref, message in ((TOLL, "already accepted as claim"), (STADIUM, "was rejected")):
        for verb in (["accept", "--proposition", "x"], ["reject", "--reason", "r"]):
            result = run("review", verb[0], reviewed, ref, *verb[1:])
            assert result.exit_code == 1 and message in result.stderr, result.output
    assert tree_snapshot(reviewed) == before


def test_an_id_two_files_share_must_be_given_longer(reviewed: Path) -> None:
    other = run("extract", ARTICLE, "--write", "--corpus", reviewed, "--source-id", "other-talks")
    assert other.exit_code == 0, other.output
    before = tree_snapshot(reviewed)
    result = run("review", "reject", reviewed, TOLL, "--reason", "r")
    assert result.exit_code == 1 and "names 2 candidates" in result.stderr
    assert "'harbour-talks-c002' or 'other-talks-c002'" in result.stderr
    assert tree_snapshot(reviewed) == before
    assert (
        run("review", "reject", reviewed, f"harbour-talks-{TOLL}", "--reason", "r").exit_code == 0
    )


# --- the library -------------------------------------------------------------------------------
def test_library_accept_reject_edit(reviewed: Path) -> None:
    done = review.accept_candidate(
        TOLL, path=reviewed, proposition="Toll scrapped.", add_claimant=True, claim_id="toll-1"
    )
    assert done.id == "toll-1" and done.file == reviewed / FILE
    assert review.reject_candidate(STADIUM, reason="no", by="me", path=reviewed).id.endswith(
        STADIUM
    )
    assert entries(reviewed)[STADIUM]["rejected"]["recorded_by"] == "me"
    review.edit_candidate(TAXES, path=reviewed, resolve_by="2026-06-30")
    assert entries(reviewed)[TAXES]["resolve_by"] == dt.date(2026, 6, 30)
    with pytest.raises(EditError, match="outside"):
        review.accept_candidate(TAXES, path=reviewed, proposition="x", probability=2)
    refs = set(review.candidates_table(reviewed)["ref"])
    assert TOLL not in refs and STADIUM not in refs and TAXES in refs


def test_claimant_found_by_name_as_written_is_not_added_again(reviewed: Path) -> None:
    run("add", "author", reviewed, "m-lopez", "--name", "Maria Lopez")
    before = (reviewed / "authors.yaml").read_bytes()
    done = review.accept_candidate(TOLL, path=reviewed, proposition="Toll scrapped.")
    assert (reviewed / "authors.yaml").read_bytes() == before
    corpus = forecastkit.load(reviewed, today=TODAY)
    assert corpus.claims.set_index("claim_id").loc[done.id, "claimant"] == "m-lopez"


def test_short_refs_are_unique_ends() -> None:
    ids = ["a-talks-c001", "b-talks-c001", "b-talks-c002"]
    assert cands.short_refs(ids) == {
        "a-talks-c001": "a-talks-c001",
        "b-talks-c001": "b-talks-c001",
        "b-talks-c002": "c002",
    }


@pytest.mark.parametrize(
    ("new", "existing", "alone", "known"),
    [
        (
            {"quote": "Rents will rise.", "claimant": "a"},
            [{"quote": "Rents will rise."}],
            True,
            True,
        ),
        (
            {"quote": "“Rents  will rise,” she said.", "claimant": "a"},
            [{"quote": "Rents will rise, she said.", "claimant": "b"}],
            False,
            False,
        ),
        (
            {"quote": "“Rents will rise,” she said.", "claimant": "a"},
            [{"quote": "rents will rise, she said.", "claimant": "a"}],
            False,
            True,
        ),
        (
            {"quote": "The mayor will resign before the vote in May.", "claimant": "a"},
            [{"quote": "The mayor will resign", "claimant": "a"}],
            True,
            True,
        ),
        (
            {"quote": "It will.", "claimant": "a"},
            [{"quote": "It will. Or not.", "claimant": "a"}],
            True,
            False,
        ),  # too short to count as a trimmed quote
    ],
)
def test_known_candidate(new, existing, alone, known) -> None:
    assert cands.known_candidate(new, existing, alone) is known


def test_replace_entry_changes_only_that_entry_and_keeps_its_comments() -> None:
    text = (
        "source: {id: s}\n"
        "claims:\n"
        "  - id: a   # first\n"
        "    quote: >-\n"
        "      has # inside\n"
        "    # a reviewer's note\n"
        "  # between\n"
        "  - id: b\n"
        "    quote: q\n"
    )
    out = replace_entry(text, "claims", 0, {"id": "a2", "quote": "new"}, Path("f.yaml"))
    assert out == (
        "source: {id: s}\n"
        "claims:\n"
        "  - id: a2\n"
        "    quote: new\n"
        "    # first\n"
        "    # a reviewer's note\n"
        "  # between\n"
        "  - id: b\n"
        "    quote: q\n"
    )
    with pytest.raises(EditError):
        replace_entry(text, "claims", 5, {"id": "x"}, Path("f.yaml"))


def test_a_candidate_taken_meanwhile_is_refused(reviewed: Path) -> None:
    doc = parse((reviewed / FILE).read_text("utf-8"), reviewed / FILE)
    with pytest.raises(ForecastkitError, match="no longer pending"):
        cands.replace_candidate(doc, f"{SOURCE}-c999", {"id": "x"})


# --- numeric candidates (docs/extraction.md, "From a number to a claim") -------------------------
NUMBERS = """Outlook

By Ann Lee
Published March 4, 2024

The IMF expects growth of 2.5% in 2025, the fund said in its outlook.

Brent will trade between $80 and $90 a barrel next year, said Tom Reed, an analyst at Harbour Bank.

Russia will deploy at least 100,000 troops by 2025, according to Maria Lopez.

The economy will shrink by 2-3% next year, said Carla Diaz, the finance minister.
"""


@pytest.fixture
def numeric(corpus_dir: Path, tmp_path: Path) -> Path:
    article = tmp_path / "outlook.txt"
    article.write_text(NUMBERS, "utf-8")
    result = run("extract", article, "--write", "--corpus", corpus_dir, "--source-id", "outlook")
    assert result.exit_code == 0, result.output
    return corpus_dir


def _claim(corpus, proposition: str):
    rows = corpus.claims[corpus.claims["proposition"] == proposition]
    assert len(rows) == 1, corpus.claims["proposition"].tolist()
    return rows.iloc[0]


def test_numeric_candidates_become_numeric_claims(numeric: Path) -> None:
    growth, brent = "World GDP growth in 2025, %.", "The Brent price at the end of 2025, USD."
    change = "The change in Harbour City's real GDP in 2025, %."
    listed = run("review", "list", numeric).stdout
    assert "number: 2.5% (point)" in listed and "number: 100,000 troops (threshold)" in listed
    for args in (
        ["c001", "--proposition", growth],
        ["c002", "--proposition", brent, "--level", "0.8"],
        ["c003", "--proposition", "Russia deploys at least 100,000 troops by 2025-12-31."],
        ["c004", "--proposition", change, "--level", "0.9"],
    ):
        result = run("review", "accept", numeric, *args, "--add-claimant")
        assert result.exit_code == 0, result.output
    assert run("validate", numeric, "--no-expectations").exit_code == 0
    corpus = forecastkit.load(numeric, today=TODAY)
    points = corpus.forecast_points.set_index("claim_id")
    point = _claim(corpus, growth)
    assert (point["question_type"], point["form"]) == ("numeric", "point")
    assert points.loc[point["claim_id"], "x"] == 2.5
    questions = corpus.questions.set_index("question_id")
    assert questions.loc[point["question_id"], "unit"] == "%"
    interval = _claim(corpus, brent)
    assert interval["form"] == "interval"
    assert questions.loc[interval["question_id"], "unit"] == "USD/barrel"
    assert sorted(points.loc[interval["claim_id"], "x"]) == [80, 90]
    shrink = _claim(corpus, change)  # "shrink by 2-3%": the change, negated
    assert sorted(points.loc[shrink["claim_id"], "x"]) == [-3, -2]
    threshold = _claim(corpus, "Russia deploys at least 100,000 troops by 2025-12-31.")
    assert threshold["question_type"] == "binary" and threshold["hedge"] == "will"
    data = yaml.safe_load((numeric / "outlook.yaml").read_text("utf-8"))
    kept = next(c for c in data["claims"] if c["proposition"] == growth)
    assert kept["attribution"]["as_written"] == "The IMF" and kept["numbers"][0]["value"] == 2.5


def test_a_range_needs_its_level_and_binary_keeps_the_hedge(numeric: Path) -> None:
    before = tree_snapshot(numeric)
    result = run("review", "accept", numeric, "c002", "--proposition", "Brent", "--add-claimant")
    assert result.exit_code == 1 and "give --level" in result.stderr
    result = run("review", "accept", numeric, "c002", "--proposition", "x", "--number", "3")
    assert result.exit_code == 1 and "no number 3" in result.stderr
    assert tree_snapshot(numeric) == before
    done = run(
        "review",
        "accept",
        numeric,
        "c002",
        "--binary",
        "--add-claimant",
        "--proposition",
        "Brent trades between $80 and $90 at the end of 2025.",
    )
    assert done.exit_code == 0, done.output
    corpus = forecastkit.load(numeric, today=TODAY)
    claim = _claim(corpus, "Brent trades between $80 and $90 at the end of 2025.")
    assert claim["question_type"] == "binary" and claim["hedge"] == "will"
    assert not (numeric / "questions.yaml").exists()  # no numeric question made


# --- the explore notebook's panel --------------------------------------------------------------
def test_review_panel_accepts_and_rejects_with_its_buttons(reviewed: Path) -> None:
    from forecastkit.editing.review_panel import ReviewPanel

    panel = ReviewPanel(reviewed)
    assert list(panel.table()["ref"])[:3] == ["c001", TOLL, STADIUM]
    panel.show()
    w = panel._widgets
    w["pick"].value = TOLL
    assert "harbour bridge toll" in w["quote"].value
    w["proposition"].value = "The harbour bridge toll is scrapped by 2025-12-31."
    w["accept"].click()
    assert w["message"].outputs[0]["text"].startswith(f"accepted {TOLL} as claim")
    assert TOLL not in w["pick"].options
    w["pick"].value = STADIUM
    before = tree_snapshot(reviewed)
    w["reject"].click()  # no reason: refused in one line, nothing written
    assert w["message"].outputs[0]["text"].startswith("error: ")
    assert tree_snapshot(reviewed) == before
    w["reason"].value = "a boast"
    w["reject"].click()
    assert entries(reviewed)[STADIUM]["kind"] == "rejected"
    assert panel.accept("c999").startswith("error: ")
    assert run("validate", reviewed, "--no-expectations").exit_code == 0


def test_new_claimant_says_what_accept_would_add(reviewed: Path) -> None:
    assert review.new_claimant(TOLL, reviewed) == ("maria-lopez", "Maria Lopez")
    assert review.new_claimant("c001", reviewed) is None  # the byline, registered by extract
    assert review.new_claimant(TOLL, reviewed, claimant="tomas-reyes") is None


def test_a_claim_refused_late_takes_back_the_author_and_question_it_added(numeric: Path) -> None:
    # the claim id is taken: add_claim refuses after the claimant and the question were added
    before = tree_snapshot(numeric)
    result = run(
        "review",
        "accept",
        numeric,
        "c001",
        "--add-claimant",
        "--proposition",
        "Growth, %.",
        "--id",
        "harbour-2023-fee-cut",
    )
    assert result.exit_code == 1 and "duplicate claim id" in result.stderr, result.output
    assert tree_snapshot(numeric) == before
    assert not (numeric / "questions.yaml").exists()
