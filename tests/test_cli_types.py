"""The editing commands for every question type (docs/question-types.md): add question, add claim
with --probabilities/--quantiles/--interval/--cdf/--point, resolve --option/--value, and show and
export of typed claims. In-process (CliRunner), on a copy of the typed fixture corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import forecastkit
from forecastkit.cli import main
from forecastkit.scoring.forecast_scores import forecast_scores

from conftest import ROOT, tree_snapshot

TYPES = ROOT / "tests" / "fixtures" / "types"
MC, NUM, DAY, OIL = (
    "q-2008-ru-president",
    "q-2010-ru-gdp-growth",
    "q-2024-kim-moscow-visit",
    "q-2011-oil-price",
)
#: Per question: the source, claimant and deadline a new claim on it uses.
ON = {
    MC: ("2007-09-14-eastern-desk-succession", "kei-tanaka", "2008-12-31"),
    "q-2008-ru-successor-named": ("2007-09-14-eastern-desk-succession", "kei-tanaka", "2007-12-31"),
    NUM: ("2010-01-20-growth-outlook", "ana-lindqvist", "2011-03-31"),
    OIL: ("2010-01-20-growth-outlook", "ana-lindqvist", "2011-06-30"),
    DAY: ("2024-06-20-kim-visit", "kei-tanaka", "2026-12-31"),
    "q-2010-ru-wto": ("2007-09-14-eastern-desk-succession", "kei-tanaka", "2010-12-31"),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    shutil.copytree(TYPES, root)
    return root


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def add_claim(root: Path, question: str | None, *form: str, claim_id: str | None = None):
    source, claimant, due = ON[question or NUM]
    args = ["add", "claim", root, "--source", source, "--claimant", claimant]
    args += ["--role", "byline author", "--quote", "q", "--proposition", "p"]
    args += ["--resolve-by", due, *(["--question", question] if question else [])]
    return run(*args, *(["--id", claim_id] if claim_id else []), *form)


def one_line_refusal(result, root: Path, before: dict[str, bytes], *words: str) -> str:
    """The command failed with one line naming ``words``, no traceback, and wrote nothing."""
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0, result.output
    assert len(lines) == 1, result.output
    assert all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in result.output
    assert tree_snapshot(root) == before
    return lines[0]


def scores(root: Path):
    c = forecastkit.load(root)
    s = forecast_scores(c.claims, c.forecast_points, questions=c.questions)
    s.index = c.claims.loc[s.index, "claim_id"].astype(str)
    return s


# --------------------------------------------------------------------------------------------
# add question


def test_add_question_of_every_type(corpus: Path) -> None:
    added = [
        run("add", "question", corpus, "q-2012-ru-president", "--text", "Who?",
            "--type", "multiple_choice", "--options", "putin,medvedev,other"),
        run("add", "question", corpus, "q-2012-when", "--text", "When named?",
            "--type", "multiple_choice", "--options", "q1,q2,later", "--ordered"),
        run("add", "question", corpus, "q-2012-oil", "--text", "Brent", "--type", "numeric",
            "--unit", "USD", "--lower", "0", "--upper", "300", "--open-upper"),
        run("add", "question", corpus, "q-2012-growth", "--text", "Growth", "--type", "numeric",
            "--lower", "-20", "--resolve-by", "2013-03-31"),
        run("add", "question", corpus, "q-2012-visit", "--text", "Visit", "--type", "date",
            "--lower", "2012-01-01", "--upper", "2013-12-31"),
    ]  # fmt: skip
    for done in added:
        assert done.exit_code == 0, done.output
    assert added[0].output.startswith("added multiple choice question q-2012-ru-president (")
    q = forecastkit.load(corpus).questions.set_index("question_id")
    assert q.loc["q-2012-ru-president", "type"] == "multiple_choice"
    assert tuple(q.loc["q-2012-ru-president", "options"]) == ("putin", "medvedev", "other")
    assert not q.loc["q-2012-ru-president", "ordered"] and q.loc["q-2012-when", "ordered"]
    oil = q.loc["q-2012-oil"]
    assert (oil["type"], oil["unit"], oil["lower"], oil["upper"]) == ("numeric", "USD", 0, 300)
    assert not oil["open_lower"] and oil["open_upper"]  # a bound is closed unless said
    growth = q.loc["q-2012-growth"]
    assert growth["lower"] == -20 and not growth["open_lower"] and growth["open_upper"]
    visit = q.loc["q-2012-visit"]
    assert visit["type"] == "date" and visit["lower"] == 15340  # days since 1970-01-01
    assert run("validate", corpus).exit_code == 0


def test_add_question_without_text_is_one_line(corpus: Path) -> None:
    before = tree_snapshot(corpus)
    one_line_refusal(run("add", "question", corpus, "q-new"), corpus, before, "missing --text")


def test_add_question_creates_the_registry(tmp_path: Path) -> None:
    root = tmp_path / "claims"
    shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", root)
    assert not (root / "questions.yaml").exists()
    done = run("add", "question", root, "q-rates", "--text", "Where is the rate?",
               "--type", "numeric", "--unit", "%")  # fmt: skip
    assert done.exit_code == 0, done.output
    text = (root / "questions.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert forecastkit.load(root).questions.set_index("question_id").loc["q-rates", "unit"] == "%"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--type", "numeric", "--options", "a,b"], ["question.options", "multiple_choice"]),
        (["--type", "multiple_choice", "--options", "a"], ["at least two options"]),
        (["--type", "multiple_choice"], ["at least two options", "--options"]),
        (
            ["--type", "multiple_choice", "--options", "Putin,b"],
            ["question.options[0]", "lower-case"],
        ),
        (["--type", "multiple_choice", "--options", "a,,b"], ["--options", "empty label"]),
        (["--type", "multiple_choice", "--options", "a,b", "--unit", "%"], ["question.unit"]),
        (["--type", "numeric", "--lower", "5", "--upper", "1"], ["upper 1 is below lower 5"]),
        (["--type", "numeric", "--lower", "2024-01-01"], ["numeric question", "not the date"]),
        (["--type", "date", "--upper", "5"], ["date question", "dates YYYY-MM-DD"]),
        (["--type", "numeric", "--lower", "ten"], ["--lower", "neither a number nor a date"]),
        (["--type", "numeric", "--closed-upper"], ["open_upper: false needs a upper bound"]),
        (["--type", "binary", "--ordered"], ["question.ordered", "multiple_choice"]),
        (["--type", "ternary"], ["'ternary' is not one of"]),
    ],
)
def test_add_question_refusals(corpus: Path, args: list[str], words: list[str]) -> None:
    before = tree_snapshot(corpus)
    done = run("add", "question", corpus, "q-new", "--text", "x", *args)
    one_line_refusal(done, corpus, before, *words)


@pytest.mark.parametrize(
    ("qid", "words"),
    [(MC, ["already the id of a question"]), ("kei-2010-wto", ["already the id of a claim"]),
     ("Bad Id", ["not a valid question id"])],
)  # fmt: skip
def test_add_question_refuses_a_taken_or_bad_id(corpus: Path, qid: str, words: list[str]) -> None:
    before = tree_snapshot(corpus)
    one_line_refusal(run("add", "question", corpus, qid, "--text", "x"), corpus, before, *words)


# --------------------------------------------------------------------------------------------
# add claim: each form, then load and score


def test_each_form_round_trips_to_its_score(corpus: Path) -> None:
    forms = [
        (MC, "t-mc", "--probabilities", "Medvedev=0.6,Putin=0.3,neither=0.1"),
        (MC, "t-mc-pct", "--probabilities", "medvedev=70%,putin=20%,neither=10%"),
        (NUM, "t-q", "--quantiles", "0.05=1.5,0.5=2.5,0.95=3.5"),
        (NUM, "t-i", "--interval", "90%:2..3"),
        (NUM, "t-i2", "--interval", "0.9:2..3"),
        (NUM, "t-c", "--cdf", "0=0.02,1=0.1,2=0.4,3=0.75,4=0.92,5=0.98"),
        (NUM, "t-p", "--point", "2.5"),
        (DAY, "t-dq", "--quantiles", "0.1=2024-11-01,0.5=2025-04-15,0.9=2025-12-31"),
        (DAY, "t-dp", "--point", "2025-05-09"),
        (DAY, "t-di", "--interval", "50%:2024-11-01..2025-06-30"),
        (DAY, "t-dc", "--cdf", "2024-09-01=0.1,2025-05-01=0.5,2026-06-01=0.9"),
    ]
    for qid, cid, option, text in forms:
        done = add_claim(corpus, qid, option, text, claim_id=cid)
        assert done.exit_code == 0, done.output
        assert done.output.startswith(f"added claim {cid} (")
    assert run("validate", corpus).exit_code == 0
    s = scores(corpus)
    # medvedev won: half of Brier's sum, (0.4^2 + 0.3^2 + 0.1^2) / 2
    assert s.loc["t-mc", "score_name"] == "multiclass_brier"
    assert s.loc["t-mc", "score"] == pytest.approx(0.13)
    assert s.loc["t-mc-pct", "score"] == pytest.approx(s.loc["kei-2008-successor", "score"])
    # the same forecast as a fixture claim written by hand scores the same
    assert s.loc["t-q", "score"] == pytest.approx(s.loc["ana-2010-ru-growth", "score"])
    assert s.loc["t-i", "score"] == pytest.approx(s.loc["bank-2010-ru-growth", "score"])
    assert s.loc["t-i2", "score"] == pytest.approx(s.loc["bank-2010-ru-growth", "score"])
    assert s.loc["t-c", "score"] == pytest.approx(s.loc["community-2010-ru-growth", "score"])
    # a point is scored for its error only: |2.5 - 4.0|
    assert s.loc["t-p", "abs_error"] == pytest.approx(1.5)
    assert s.loc["t-p", "form"] == "point"
    points = forecastkit.load(corpus).forecast_points
    dq = points[points["claim_id"] == "t-dq"]
    kei = points[points["claim_id"] == "kei-2024-kim-visit"]
    assert dq["x"].tolist() == kei["x"].tolist() and dq["p"].tolist() == kei["p"].tolist()
    di = points[points["claim_id"] == "t-di"]
    assert di["p"].tolist() == pytest.approx([0.25, 0.75])
    assert di["x"].tolist() == [20028, 20269]  # 2024-11-01 and 2025-06-30 as days
    assert points[points["claim_id"] == "t-dc"]["x"].tolist() == [19967, 20209, 20605]
    dp = points[points["claim_id"] == "t-dp"]
    assert (
        dp["x"].tolist() == points[points["claim_id"] == "kei-2024-kim-visit-point"]["x"].tolist()
    )


def test_a_quantile_level_below_1e_4_round_trips(corpus: Path) -> None:
    file = corpus / f"{ON[NUM][0]}.yaml"
    before = file.read_text("utf-8")
    done = add_claim(corpus, NUM, "--quantiles", "1e-5=1,0.5=2,0.99999=3", claim_id="tiny")
    assert done.exit_code == 0, done.output
    after = file.read_text("utf-8")
    assert after.startswith(before) and "    0.00001: 1\n" in after  # only added lines
    points = forecastkit.load(corpus).forecast_points
    assert points[points["claim_id"] == "tiny"]["p"].tolist() == [1e-05, 0.5, 0.99999]


def test_cdf_from_a_file(corpus: Path, tmp_path: Path) -> None:
    grid = tmp_path / "grid.csv"
    grid.write_text("x,p\n0,0.02\n1,0.1\n2,0.4\n\n3,0.75\n4,0.92\n5,0.98\n")
    done = add_claim(corpus, NUM, "--cdf", f"@{grid}", claim_id="t-cf")
    assert done.exit_code == 0, done.output
    s = scores(corpus)
    assert s.loc["t-cf", "score"] == pytest.approx(s.loc["community-2010-ru-growth", "score"])


def test_a_typed_claim_written_by_add_is_plain_yaml(corpus: Path) -> None:
    done = add_claim(corpus, NUM, "--interval", "90%:2..3", claim_id="t-i")
    assert done.exit_code == 0, done.output
    text = (corpus / "2010-01-20-growth-outlook.yaml").read_text()
    assert "  - id: t-i\n    question: q-2010-ru-gdp-growth\n" in text
    assert "    interval:\n      level: 0.9\n      lower: 2\n      upper: 3\n" in text


# --------------------------------------------------------------------------------------------
# add claim: every refusal is one line, naming the option, and writes nothing


@pytest.mark.parametrize(
    ("qid", "option", "text", "words"),
    [
        (MC, "--probabilities", "medvedev=0.6,putin=0.3,neither=0.2",
         ["--probabilities", "sum to 1.1, not 1"]),
        (MC, "--probabilities", "medvedv=0.6,putin=0.3,neither=0.1",
         ["--probabilities", "'medvedv' is not an option", "did you mean 'medvedev'"]),
        (MC, "--probabilities", "medvedev=0.6,putin=0.4",
         ["--probabilities", "no probability for option 'neither'"]),
        (MC, "--probabilities", "medvedev=1.6,putin=-0.6,neither=0",
         ["--probabilities", "outside the allowed range [0, 1]"]),
        (MC, "--probabilities", "medvedev=0.6,Medvedev=0.4", ["--probabilities", "given twice"]),
        (MC, "--probabilities", "medvedev:0.6", ["--probabilities", "is not KEY=VALUE"]),
        (MC, "--probabilities", "medvedev=lots", ["--probabilities", "is not a number"]),
        (MC, "--point", "3", ["--point", "point forecast on the multiple_choice question"]),
        (NUM, "--probabilities", "a=0.5,b=0.5",
         ["--probabilities", "on the numeric question", "takes quantiles or interval"]),
        (NUM, "--quantiles", "0.05=3,0.5=2.5,0.95=3",
         ["--quantiles", "must not decrease with the level"]),
        (NUM, "--quantiles", "0.05=3,5%=3.5", ["--quantiles", "given twice"]),
        (NUM, "--quantiles", "1.5=3", ["--quantiles", "outside (0, 1)"]),
        (NUM, "--point", "2024-01-01", ["--point", "numeric question's values are numbers"]),
        (NUM, "--point", "abc", ["--point", "neither a number nor a date"]),
        (NUM, "--point", "100,000", ["--point", "without thousands separators"]),
        (OIL, "--point", "-5", ["--point", "below the closed lower bound 0"]),
        (OIL, "--interval", "50%:-5..90", ["--interval", "below the closed lower bound 0"]),
        (DAY, "--point", "2.5", ["--point", "date question's values are dates"]),
        (DAY, "--point", "2030-01-01", ["--point", "above the closed upper bound 2026-12-31"]),
        (DAY, "--point", "2025-02-30", ["--point", "not a real calendar date"]),
        (NUM, "--interval", "90%:3..2", ["--interval", "lower 3 is above upper 2"]),
        (NUM, "--interval", "190%:2..3", ["--interval", "level 1.9 is outside (0, 1)"]),
        (NUM, "--interval", "90%:2-3", ["--interval", "is not LEVEL:LOWER..UPPER"]),
        (NUM, "--cdf", "0=0.5,2=0.4", ["--cdf", "cdf p must not decrease"]),
        (NUM, "--cdf", "2=0.5,0=0.6", ["--cdf", "cdf x must increase"]),
        (NUM, "--cdf", "0=0.5,2=1.4", ["--cdf", "outside the allowed range [0, 1]"]),
        (None, "--point", "3", ["--point", "names its question"]),
    ],
)  # fmt: skip
def test_add_claim_refusals(
    corpus: Path, qid: str | None, option: str, text: str, words: list[str]
) -> None:
    before = tree_snapshot(corpus)
    line = one_line_refusal(add_claim(corpus, qid, option, text), corpus, before, *words)
    assert line.startswith(f"error: {option}: "), line


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--point", "2.5", "--hedge", "likely"], ["more than one forecast form"]),
        (["--point", "2.5", "--quantiles", "0.5=2"], ["more than one forecast form"]),
        (["--hedge", "likely"], ["--hedge: a probability forecast on the numeric question"]),
        (["--probability", "0.5"], ["--probability: a probability forecast on the numeric"]),
        ([], ["missing --hedge or --probability", "--quantiles"]),
    ],
)
def test_add_claim_refuses_a_form_its_question_does_not_take(
    corpus: Path, extra: list[str], words: list[str]
) -> None:
    before = tree_snapshot(corpus)
    one_line_refusal(add_claim(corpus, NUM, *extra), corpus, before, *words)


def test_a_claim_after_its_question_resolved_is_refused(corpus: Path) -> None:
    before = tree_snapshot(corpus)
    done = add_claim(
        corpus, MC, "--probabilities", "medvedev=1,putin=0,neither=0", "--made-on", "2008-06-01"
    )
    one_line_refusal(done, corpus, before, "claim.made_on", "was resolved on 2008-05-07")


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("x,p\n0,0.1\n2,0.05\n", ":3: p: cdf p must not decrease"),
        ("x,p\n0,0.1\n-1,0.5\n", ":3: x: cdf x must increase: -1 follows 0"),
        ("x,p\n0,0.1\n2,zz\n", ":3: p: p 'zz' is not a number"),
        ("x,p\n0,0.1\n,0.5\n", ":3: x: empty cell"),
        ("x,p\n0,0.1\n1,1.5\n", ":3: p: 1.5 is outside the allowed range [0, 1]"),
        ("value,prob\n0,0.1\n", ":1: the CDF file needs a header line with the columns x and p"),
        ("x,p\n0,0.1\n", "needs at least two grid points"),
    ],
)
def test_cdf_file_refusals_name_file_line_and_column(
    corpus: Path, tmp_path: Path, content: str, where: str
) -> None:
    grid = tmp_path / "grid.csv"
    grid.write_text(content)
    before = tree_snapshot(corpus)
    line = one_line_refusal(add_claim(corpus, NUM, "--cdf", f"@{grid}"), corpus, before, where)
    assert line.startswith(f"error: {grid}"), line


def test_a_missing_cdf_file_is_one_line(corpus: Path, tmp_path: Path) -> None:
    before = tree_snapshot(corpus)
    done = add_claim(corpus, NUM, "--cdf", f"@{tmp_path / 'nope.csv'}")
    one_line_refusal(done, corpus, before, "nope.csv", "cannot read the CDF file")


# --------------------------------------------------------------------------------------------
# resolve --option / --value


def evidence(day: str) -> list[str]:
    return ["--evidence", "https://example.org/result", "--title", "Result", "--publisher",
            "Example wire (fictional)", "--published", day, "--quote", "It happened.",
            "--by", "tester"]  # fmt: skip


def test_resolve_a_date_question_then_score_the_point_by_its_error(corpus: Path) -> None:
    done = run("resolve", corpus, DAY, "--value", "2025-05-19", "--on", "2025-05-19",
               *evidence("2025-05-19"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"resolved {DAY}: value 2025-05-19 (")
    assert "2 claims inherit the outcome" in done.output
    c = forecastkit.load(corpus).claims.set_index("claim_id")
    assert c.loc["kei-2024-kim-visit-point", "status"] == "resolved"
    assert c.loc["kei-2024-kim-visit-point", "outcome_value"] == 20227  # 2025-05-19 in days
    s = scores(corpus)
    assert s.loc["kei-2024-kim-visit-point", "abs_error"] == 10  # days after 2025-05-09
    assert s.loc["kei-2024-kim-visit", "resolved"]


def test_add_question_claim_resolve_score(corpus: Path) -> None:
    """The whole path on a new question: its claims scored on the outcome logged."""
    assert run("add", "question", corpus, "q-2010-ru-inflation", "--text", "CPI in 2010",
               "--type", "numeric", "--unit", "%", "--lower", "0").exit_code == 0  # fmt: skip
    ON["q-2010-ru-inflation"] = ON[NUM]
    try:
        for cid, form in (("t-ip", ["--point", "7"]), ("t-ii", ["--interval", "80%:6..9"])):
            done = add_claim(corpus, "q-2010-ru-inflation", *form, claim_id=cid)
            assert done.exit_code == 0, done.output
    finally:
        del ON["q-2010-ru-inflation"]
    done = run("resolve", corpus, "t-ip", "--value", "8.8", "--on", "2011-01-15",
               *evidence("2011-01-15"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "'t-ip' forecasts the shared question 'q-2010-ru-inflation'" in done.output
    s = scores(corpus)
    assert s.loc["t-ip", "abs_error"] == pytest.approx(1.8)
    assert s.loc["t-ii", "resolved"] and s.loc["t-ii", "score"] > 0


def test_resolve_an_option_and_revise_it(corpus: Path) -> None:
    # the fixture resolved the president question as medvedev; a revision says what it replaces
    done = run("resolve", corpus, MC, "--option", "Putin", "--on", "2008-05-08",
               *evidence("2008-05-08"))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert f"recorded a revision of {MC}: option putin (entry 2) supersedes option medvedev" in (
        done.output
    )
    corpus_ = forecastkit.load(corpus)
    c = corpus_.claims.set_index("claim_id")
    assert c.loc["kei-2008-successor", "outcome_option"] == "putin"
    history = corpus_.history("kei-2008-successor")
    assert history["option"].tolist() == ["medvedev", "putin"]
    assert history["current"].tolist() == [False, True]
    # kei gave putin 0.2: half of (0.7^2 + 0.8^2 + 0.1^2)
    assert scores(corpus).loc["kei-2008-successor", "score"] == pytest.approx(0.57)
    # annulling works on any type, and supersedes the option
    done = run("resolve", corpus, MC, "--verdict", "annulled", "--note", "no count",
               "--on", "2008-05-09", "--by", "tester")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "supersedes option putin" in done.output
    assert (
        forecastkit.load(corpus).claims.set_index("claim_id").loc["kei-2008-successor", "status"]
        == "annulled"
    )


@pytest.mark.parametrize(
    ("target", "args", "words"),
    [
        (MC, ["--option", "putn"], ["option: 'putn' is not an option", "did you mean 'putin'"]),
        (MC, ["--verdict", "true"], ["resolves with option: LABEL", "--option LABEL"]),
        (MC, ["--value", "3"], ["value: a multiple_choice question", "--option LABEL"]),
        (NUM, ["--option", "a"], ["option: a numeric question resolves with value", "--value"]),
        (NUM, ["--verdict", "false"], ["verdict: a numeric question", "--value NUMBER"]),
        (NUM, ["--value", "2011-01-01"], ["value: a numeric question's values are numbers"]),
        (NUM, ["--value", "four"], ["value", "neither a number nor a date"]),
        (OIL, ["--value", "-3"], ["value: -3 is below the closed lower bound 0"]),
        (DAY, ["--value", "2030-01-01"], ["above the closed upper bound 2026-12-31"]),
        (DAY, ["--value", "4"], ["a date question's values are dates"]),
        (DAY, ["--value", "2025-02-30"], ["not a real calendar date"]),
        ("ana-2010-recession", ["--option", "a"], ["a binary question resolves with verdict"]),
        ("ana-2010-recession", ["--value", "1"], ["a binary question resolves with verdict"]),
        (DAY, ["--value", "2025-05-09", "--verdict", "true"], ["not --verdict and --value"]),
        (MC, ["--value", "1", "--option", "putin"], ["not --option and --value"]),
    ],
)
def test_resolve_refusals(corpus: Path, target: str, args: list[str], words: list[str]) -> None:
    before = tree_snapshot(corpus)
    done = run("resolve", corpus, target, *args, "--on", "2025-05-09", *evidence("2025-05-09"))
    one_line_refusal(done, corpus, before, *words)


def test_an_option_or_value_needs_evidence(corpus: Path) -> None:
    before = tree_snapshot(corpus)
    done = run("resolve", corpus, DAY, "--value", "2025-05-09", "--on", "2025-05-09")
    one_line_refusal(done, corpus, before, "missing --evidence, --title")


# --------------------------------------------------------------------------------------------
# show and export


@pytest.mark.parametrize(
    ("claim_id", "lines"),
    [
        ("kei-2008-successor", [
            "type:          multiple choice: medvedev, putin, neither",
            "forecast:      medvedev 0.7, putin 0.2, neither 0.1  "
            "(--probabilities medvedev=0.7,putin=0.2,neither=0.1)",
            "status:        resolved: medvedev (resolved on 2008-05-07)",
            "1. option medvedev on 2008-05-07, recorded 2008-05-10",
        ]),
        ("kei-2007-successor-named", ["by-october, nov-dec, not-this-year (ordered)"]),
        ("ana-2010-ru-growth", [
            "type:          numeric in %, from -20 (open) to 20 (open)",
            "forecast:      quantiles 5%: 1.5, 50%: 2.5, 95%: 3.5 %",
            "status:        resolved: 4 % (resolved on 2011-02-01)",
            "1. value 4 % on 2011-02-01",
        ]),
        ("bank-2010-ru-growth", ["forecast:      90% between 2 and 3 %  (--interval 90%:2..3)"]),
        ("community-2010-ru-growth", ["P(value <= x) on 6 points, 0: 0.02, 1: 0.1, 2: 0.4"]),
        ("minister-2010-ru-growth", ["2.5 % (a point estimate, scored for its error only)"]),
        ("ana-2011-oil-price", ["numeric in USD, from 0 (closed)", "status:        annulled"]),
        ("kei-2024-kim-visit", [
            "type:          date, from 2024-06-17 (closed) to 2026-12-31 (closed)",
            "quantiles 10%: 2024-11-01, 50%: 2025-04-15, 90%: 2025-12-31",
            "status:        open",
        ]),
        ("kei-2024-kim-visit-point", ["forecast:      2025-05-09 (a point estimate"]),
    ],
)  # fmt: skip
def test_show_reads_every_type(claim_id: str, lines: list[str]) -> None:
    done = run("show", TYPES, claim_id)
    assert done.exit_code == 0, done.output
    for line in lines:
        assert line in done.output, done.output


def test_show_a_binary_claim_has_no_type_lines() -> None:
    done = run("show", TYPES, "ana-2010-recession")
    assert done.exit_code == 0 and "probability:   0.2 (stated)" in done.output
    assert "type:" not in done.output and "forecast:" not in done.output


def test_show_after_resolve_lists_the_value_entries(corpus: Path) -> None:
    for day in ("2025-05-19", "2025-05-20"):
        done = run("resolve", corpus, DAY, "--value", day, "--on", day, *evidence(day))
        assert done.exit_code == 0, done.output
    shown = run("show", corpus, "kei-2024-kim-visit-point").output
    assert (
        "status:        resolved: 2025-05-20 (resolved on 2025-05-20, revised: 2 entries)" in shown
    )
    assert "1. value 2025-05-19 on 2025-05-19" in shown and "[superseded]" in shown
    assert "2. value 2025-05-20 on 2025-05-20" in shown and "[current]" in shown


def _export(*args: object):
    import io

    import pandas as pd

    done = run("export", *args, "--format", "csv")
    assert done.exit_code == 0, done.output
    return pd.read_csv(io.StringIO(done.output), dtype=str, keep_default_na=False)


def test_export_has_the_typed_columns() -> None:
    from forecastkit.records.export import EXPORT_COLUMNS, TYPED_COLUMNS

    t = _export(TYPES).set_index("claim_id")
    assert list(t.columns) == EXPORT_COLUMNS[1:]
    assert TYPED_COLUMNS == ["question_type", "form", "forecast", "unit", "answer"]
    expected = {
        "kei-2008-successor": ("probabilities", "medvedev=0.7,putin=0.2,neither=0.1", "", "medvedev"),
        "ana-2010-ru-growth": ("quantiles", "0.05=1.5,0.5=2.5,0.95=3.5", "%", "4"),
        "bank-2010-ru-growth": ("interval", "90%:2..3", "%", "4"),
        "community-2010-ru-growth": ("cdf", "0=0.02,1=0.1,2=0.4,3=0.75,4=0.92,5=0.98", "%", "4"),
        "minister-2010-ru-growth": ("point", "2.5", "%", "4"),
        "ana-2011-oil-price": ("interval", "50%:80..90", "USD", ""),
        "kei-2024-kim-visit": ("quantiles", "0.1=2024-11-01,0.5=2025-04-15,0.9=2025-12-31", "", ""),
        "kei-2024-kim-visit-point": ("point", "2025-05-09", "", ""),
        "ana-2010-recession": ("probability", "0.2", "", ""),  # as --probability takes it
        "kei-2010-wto": ("probability", "unlikely", "", ""),  # as --hedge takes it
    }  # fmt: skip
    for cid, (form, forecast, unit, answer) in expected.items():
        assert tuple(t.loc[cid, ["form", "forecast", "unit", "answer"]]) == (
            form, forecast, unit, answer
        ), cid  # fmt: skip
    assert t.loc["kei-2024-kim-visit", "question_type"] == "date"


def test_the_exported_forecast_is_what_add_claim_takes(corpus: Path) -> None:
    """Every forecast, exported and given back to add claim, loads as the same points (a
    yes/no claim: the same probability, from the same hedge when it has one)."""
    t = _export(corpus)
    assert (t["forecast"] != "").all()
    for row in t.itertuples():
        option = "--hedge" if row.hedge else f"--{row.form}"
        own = row.question_id == row.claim_id  # a claim that is its own question
        done = add_claim(corpus, None if own else row.question_id, option, row.forecast,
                         claim_id=f"again-{row.claim_id}")  # fmt: skip
        assert done.exit_code == 0, done.output
    again = _export(corpus).set_index("claim_id")
    for row in t[t["question_type"] == "binary"].itertuples():
        assert again.loc[f"again-{row.claim_id}", ["hedge", "probability", "forecast"]].tolist() == [
            row.hedge, row.probability, row.forecast
        ]  # fmt: skip
    typed = t[t["question_type"] != "binary"]
    points = forecastkit.load(corpus).forecast_points
    for row in typed.itertuples():
        a = points[points["claim_id"] == row.claim_id].reset_index(drop=True)
        b = points[points["claim_id"] == f"again-{row.claim_id}"].reset_index(drop=True)
        assert a[["form", "option"]].astype(str).equals(b[["form", "option"]].astype(str))
        assert a["x"].equals(b["x"]) and a["p"].equals(b["p"]), row.claim_id


def test_export_history_gives_each_entry_its_answer(corpus: Path) -> None:
    done = run("resolve", corpus, MC, "--option", "putin", "--on", "2008-05-08",
               *evidence("2008-05-08"))  # fmt: skip
    assert done.exit_code == 0, done.output
    h = _export(corpus, "--history")
    kei = h[h["claim_id"] == "kei-2008-successor"]
    assert kei["entry_answer"].tolist() == ["medvedev", "putin"]
    assert kei["current"].tolist() == ["False", "True"]
    assert kei["answer"].tolist() == ["putin", "putin"]  # the current outcome, on every row
    growth = h[h["claim_id"] == "minister-2010-ru-growth"]
    assert growth["entry_answer"].tolist() == ["4"]


def test_as_of_reopens_an_option_or_value_resolved_later() -> None:
    from forecastkit.records.snapshot import as_of, as_of_each

    claims = forecastkit.load(TYPES).claims
    then = as_of(claims, "2010-06-01").set_index("claim_id")
    # the growth question resolved on 2011-02-01: open then, its value cleared
    assert then.loc["ana-2010-ru-growth", "status"] == "open"
    assert pd_isna(then.loc["ana-2010-ru-growth", "outcome_value"])
    # the president question resolved on 2008-05-07: still resolved
    assert then.loc["kei-2008-successor", "outcome_option"] == "medvedev"
    early = as_of(claims, "2008-01-01").set_index("claim_id")
    assert pd_isna(early.loc["kei-2008-successor", "outcome_option"])
    assert early.loc["kei-2007-successor-named", "outcome_option"] == "nov-dec"  # 2007-12-10
    stacked = as_of_each(claims, ["2008-01-01", "2012-01-01"])
    first = stacked[
        (stacked["as_of"] == "2008-01-01") & (stacked["claim_id"] == "kei-2008-successor")
    ]
    last = stacked[
        (stacked["as_of"] == "2012-01-01") & (stacked["claim_id"] == "kei-2008-successor")
    ]
    assert pd_isna(first["outcome_option"].iloc[0]) and last["outcome_option"].iloc[0] == "medvedev"
    # nothing reopened is scored
    points = forecastkit.load(TYPES).forecast_points
    s = forecast_scores(then.reset_index(), points)
    s.index = then.index[s.index]
    assert not s.loc["ana-2010-ru-growth", "resolved"]
    assert s.loc["kei-2008-successor", "resolved"]
    t = _export(TYPES, "--as-of", "2010-06-01").set_index("claim_id")
    assert (
        t.loc["ana-2010-ru-growth", "answer"] == ""
        and t.loc["kei-2008-successor", "answer"] == "medvedev"
    )


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_a_new_project_of_typed_questions_only_scores(tmp_path: Path) -> None:
    """init, then every step on the command line; score reads a corpus with no yes/no claim."""
    project = tmp_path / "tracker"
    assert run("init", project).exit_code == 0
    root = project / "claims"
    steps = [
        ["add", "author", root, "ana", "--name", "Ana"],
        ["add", "source", root, "--title", "Outlook", "--publisher", "NPI", "--byline", "ana",
         "--published", "2024-01-09"],
        ["add", "question", root, "q-growth", "--text", "Growth in 2024", "--type", "numeric",
         "--unit", "%"],
        ["add", "claim", root, "--source", "2024-01-09-npi-outlook", "--claimant", "ana",
         "--role", "byline author", "--quote", "about 2%", "--proposition", "growth",
         "--question", "q-growth", "--point", "2", "--resolve-by", "2025-03-31"],
        ["resolve", root, "q-growth", "--value", "2.5", "--on", "2025-02-01",
         *evidence("2025-02-01")],
    ]  # fmt: skip
    for step in steps:
        done = run(*step)
        assert done.exit_code == 0, (step, done.output)
    assert run("validate", root).exit_code == 0
    done = run("score", root)
    assert done.exit_code == 0, done.output
    assert "numeric: CRPS" in done.output and "Ana" in done.output
    assert scores(root).loc["npi-2024-growth", "abs_error"] == pytest.approx(0.5)
