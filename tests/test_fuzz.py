"""Fuzzing (issue 16): mutated copies of the fixture corpus, and hostile command-line arguments.

Every outcome must be acceptance, or an error of a few one-line messages, each naming the file
(and the line, where the file has lines), with a non-zero exit and nothing written; never a
traceback, never a hang. The cases are seeded (``derandomize``): a failure found once is found
again on every run.

A few hundred cases run in ``make test``. For thousands::

    FORECASTKIT_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest -q -p no:cacheprovider \
        tests/test_fuzz.py

(the number is per test; a failure prints the smallest input that shows it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecastkit.cli import main

from conftest import FIXTURE_CORPUS, TODAY, tree_snapshot

EXAMPLES = int(os.environ.get("FORECASTKIT_FUZZ_EXAMPLES", "0")) or None
#: Seconds one case may take before it counts as a hang.
HANG_SECONDS = 60
#: At most this many error lines for one bad input (a file with many bad entries gets one each).
MAX_ERROR_LINES = 40

FUZZ = settings(
    max_examples=EXAMPLES or 120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FILES = sorted(str(p.relative_to(FIXTURE_CORPUS)) for p in FIXTURE_CORPUS.rglob("*.yaml"))

#: Values a careless or hostile hand might type, and values at the edges of what is allowed.
NASTY = [
    "",
    " ",
    "~",
    "null",
    "true",
    "no",
    "0",
    "-1",
    "1e999",
    "nan",
    ".inf",
    "0x1F",
    "1_000",
    "2024-02-30",
    "2999-01-01",
    "9999-12-31",
    "0001-01-01",
    "0000-01-01",
    "10000-01-01",
    "2024-13-01",
    "2024-1-1",
    "24-01-01",
    "2024/01/01",
    "2024-01-01T25:00:00",
    "2262-04-12",
    "1677-09-20",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!custom x",
    "!!set {a}",
    "&anchor x",
    "*anchor",
    "<<: {a: 1}",
    "{",
    "}",
    "[",
    "]",
    "[[[[[[[[[[",
    "{a: {b: {c: [1]}}}",
    "'",
    '"',
    "'unterminated",
    '"\\x00"',
    "\t",
    "a: b: c",
    "- item",
    "? key",
    "|",
    ">",
    "#",
    "%YAML 1.1",
    "---",
    "...",
    "\u0085",
    "\u2028",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "é",
    "日本",
    "🙂",
    "x" * 300,
    "y" * 30_000,
    "../../../etc/passwd",
    "/etc/passwd",
    "overview",
    "index",
    "manifest",
    "a" * 101,
    "Z",
    "-",
    "--",
    "likely",
    "will",
    "1.5",
    "-0.1",
    "0.5",
    "https://",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "${HOME}",
    "__import__('os').system('true')",
]
NASTY_WORDS = st.sampled_from(NASTY)
TEXT = st.one_of(NASTY_WORDS, st.text(max_size=40))


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail a case that runs longer than ``seconds`` (SIGALRM; the tests run in the main thread)."""

    def on_alarm(signum, frame):
        raise TimeoutError(f"hang: no answer in {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _copy() -> tuple[Path, Path]:
    tmp = Path(tempfile.mkdtemp(prefix="fk-fuzz-"))
    corpus = tmp / "claims"
    shutil.copytree(FIXTURE_CORPUS, corpus)
    return tmp, corpus


def _invoke(args: list[str], cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)  # no PATH ever reaches the project's own claims/ (nearest-corpus rule)
    try:
        with no_hang():
            return CliRunner().invoke(main, args, catch_exceptions=True)
    finally:
        os.chdir(old)


def _check_outcome(result, corpus: Path, before: dict[str, bytes], *, may_write: bool) -> None:
    """Acceptance, or located one-line errors with a non-zero exit and nothing written."""
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), (
        f"traceback: {type(exc).__name__}: {exc}\n{result.output}"
    )
    assert "Traceback (most recent call last)" not in result.output
    if result.exit_code == 0:
        if not may_write:
            assert tree_snapshot(corpus) == before, "a read-only command wrote to the corpus"
        return
    assert result.exit_code in (1, 2), result.exit_code
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors, f"a failure without an error line: {result.output!r}"
    assert len(errors) <= MAX_ERROR_LINES, result.output
    assert tree_snapshot(corpus) == before, "a refused command wrote to the corpus"
    for line in errors:
        assert len(line) < 2_000, line[:300]
        assert "root:x:0" not in line  # nothing from outside the corpus is ever shown


# --------------------------------------------------------------------------------------------
# Mutated corpora


@st.composite
def mutation(draw) -> tuple[str, str, str]:
    """(file, how, the file's new text)."""
    name = draw(st.sampled_from(FILES))
    lines = (FIXTURE_CORPUS / name).read_text("utf-8").splitlines(keepends=True)
    i = draw(st.integers(0, len(lines) - 1))
    how = draw(
        st.sampled_from(
            ["value", "insert", "replace", "delete", "duplicate", "truncate", "indent", "bytes"]
        )
    )
    line = lines[i]
    if how == "value" and ":" in line:
        key = line.split(":", 1)[0]
        lines[i] = f"{key}: {draw(NASTY_WORDS)}\n"
    elif how == "insert":
        at = draw(st.integers(0, len(line)))
        lines[i] = line[:at] + draw(TEXT) + line[at:]
    elif how == "replace":
        lines[i] = draw(TEXT) + "\n"
    elif how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, line)
    elif how == "truncate":
        lines = lines[:i]
    elif how == "indent":
        lines[i] = draw(st.sampled_from([" ", "  ", "\t", "    "])) + line
    else:  # bytes: replaced in the encoded text below
        pass
    text = "".join(lines)
    if how == "bytes":
        raw = bytearray(text.encode("utf-8"))
        for _ in range(draw(st.integers(1, 4))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        return name, how, raw.decode("latin-1")
    return name, how, text


@FUZZ
@given(
    mutation(),
    st.sampled_from(
        [
            ["validate", "--no-expectations"],
            ["score"],
            ["due"],
            ["export"],
            ["export", "--history"],
            ["show", "npi-2024-rate-cut"],
        ]
    ),
)
def test_a_mutated_corpus_is_accepted_or_refused_in_located_lines(change, command) -> None:
    name, how, text = change
    tmp, corpus = _copy()
    try:
        path = corpus / name
        if how == "bytes":
            path.write_bytes(text.encode("latin-1"))
        else:
            path.write_text(text, "utf-8")
        before = tree_snapshot(corpus)
        args = [command[0], str(corpus), *command[1:]]
        if command[0] in ("validate", "due"):
            args += ["--today", TODAY.isoformat()]
        result = _invoke(args, tmp)
        _check_outcome(result, corpus, before, may_write=False)
        if result.exit_code != 0 and command[0] == "validate":
            first = next(line for line in result.output.splitlines() if line.startswith("error: "))
            shown = re.match(r"error: (\S+?)(?::(\d+))?: ", first)
            assert shown, first  # names its file
            assert Path(shown[1]).name in {Path(f).name for f in FILES} | {"claims"}, first
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Hostile command lines

KNOWN = {
    "claim": "npi-2024-rate-cut",
    "source": "2024-01-09-npi-outlook-2024",
    "author": "tomas-reyes",
}


@st.composite
def command_line(draw) -> tuple[list[str], bool]:
    """(arguments after the command name's corpus, whether the command may write)."""
    v = lambda: draw(TEXT)  # noqa: E731 - a short name for a draw
    d = lambda: draw(  # noqa: E731
        st.one_of(
            NASTY_WORDS,
            st.sampled_from(
                [
                    "2025-01-01",
                    "today",
                    "in 2 years",
                    "end of 2027",
                    "in 99999999 years",
                    "1 day ago",
                ]
            ),
        )
    )
    kind = draw(
        st.sampled_from(
            [
                "validate",
                "score",
                "due",
                "export",
                "show",
                "lexicon",
                "add author",
                "add claim",
                "add source",
                "resolve",
                "report",
                "import",
            ]
        )
    )
    if kind == "validate":
        return ["validate", "{corpus}", "--today", d(), "--scale", v(), "--no-expectations"], False
    if kind == "score":
        return ["score", "{corpus}", "--by", v(), "--as-of", d(), "--min-n", v()], False
    if kind == "due":
        return ["due", "{corpus}", "--within", v(), "--today", d()], False
    if kind == "export":
        return [
            "export",
            "{corpus}",
            "--format",
            draw(st.sampled_from(["csv", "json", v()])),
            "--as-of",
            d(),
        ], False
    if kind == "show":
        return ["show", "{corpus}", draw(st.one_of(TEXT, st.just(KNOWN["claim"])))], False
    if kind == "lexicon":
        return ["lexicon", v()], False
    if kind == "add author":
        return [
            "add",
            "author",
            "{corpus}",
            v(),
            "--name",
            v(),
            "--kind",
            draw(st.sampled_from(["person", "organisation", v()])),
        ], True
    if kind == "add claim":
        source = draw(st.sampled_from([KNOWN["source"], v()]))
        args = [
            "add",
            "claim",
            "{corpus}",
            "--source",
            source,
            "--claimant",
            draw(st.sampled_from([KNOWN["author"], v()])),
            "--role",
            draw(st.sampled_from(["quoted expert", v()])),
            "--quote",
            v(),
            "--proposition",
            v(),
            "--hedge",
            draw(st.sampled_from(["likely", v()])),
            "--resolve-by",
            d(),
            "--deadline-basis",
            draw(st.sampled_from(["stated", v()])),
            "--notes",
            v(),
        ]
        if draw(st.booleans()):
            args += ["--id", v()]
        return args, True
    if kind == "add source":
        return [
            "add",
            "source",
            "{corpus}",
            "--title",
            v(),
            "--publisher",
            v(),
            "--published",
            d(),
            "--byline",
            draw(st.sampled_from([KNOWN["author"], v()])),
            "--id",
            v(),
        ], True
    if kind == "resolve":
        return [
            "resolve",
            "{corpus}",
            draw(st.sampled_from([KNOWN["claim"], v()])),
            "--verdict",
            draw(st.sampled_from(["ambiguous", "true", v()])),
            "--on",
            d(),
            "--note",
            v(),
            "--by",
            v(),
        ], True
    if kind == "report":  # never a real author: no notebook runs here
        key = draw(st.one_of(NASTY_WORDS, st.text(min_size=1, max_size=300)))
        key = key if key not in KNOWN.values() else key + "-x"
        return ["report", "{corpus}", "--author", key, "--output", "{tmp}/reports"], False
    return [
        "import",
        "{corpus}",
        draw(st.sampled_from(["{tmp}/missing.csv", "/etc/passwd", "{corpus}/authors.yaml", v()])),
    ], True


@FUZZ
@given(command_line())
def test_hostile_arguments_get_a_one_line_refusal(case) -> None:
    args, may_write = case
    tmp, corpus = _copy()
    try:
        before = tree_snapshot(corpus)
        args = [a.replace("{corpus}", str(corpus)).replace("{tmp}", str(tmp)) for a in args]
        result = _invoke(args, tmp)
        _check_outcome(result, corpus, before, may_write=may_write)
        if result.exit_code != 0:
            lines = [ln for ln in result.output.splitlines() if ln.strip()]
            assert len(lines) <= 3 or args[0] == "validate", result.output
        if args[0] == "report":
            assert result.exit_code != 0
            assert not (tmp / "reports").exists() or not any((tmp / "reports").glob("*.html"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_the_fuzz_corpus_is_the_fixture() -> None:
    """The mutations start from a corpus that is valid, so each refusal is the mutation's."""
    result = CliRunner().invoke(
        main, ["validate", str(FIXTURE_CORPUS), "--today", TODAY.isoformat(), "--no-expectations"]
    )
    assert result.exit_code == 0, result.output
    assert FILES and all(name.endswith(".yaml") for name in FILES)


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
