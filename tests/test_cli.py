"""The CLI: thin commands, one-line errors, non-zero exits, nothing written on failure."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.records.export import EXPORT_COLUMNS

from conftest import FIXTURE_CORPUS, tree_snapshot

TODAY = "2026-11-22"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_ok():
    result = run("validate", str(FIXTURE_CORPUS), "--today", TODAY, "--no-expectations")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 11 claims (10 forecasts) in 2 sources")


def test_validate_reports_each_error_on_one_line_and_writes_nothing(corpus_dir):
    path = corpus_dir / "2024-01-09-npi-outlook-2024.yaml"
    path.write_text(
        path.read_text()
        .replace("resolve_by: 2024-06-30", "resolveby: 2024-06-30")
        .replace("hedge: likely\n", "hedge: liekly\n")
    )
    before = tree_snapshot(corpus_dir)
    result = CliRunner().invoke(main, ["validate", str(corpus_dir), "--today", TODAY])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "Traceback" not in result.output
    assert any(
        "claims[0].resolveby: unknown field; did you mean 'resolve_by'?" in ln for ln in lines
    )
    assert lines[-1] == "2 error(s) in 1 file(s); nothing was written"
    assert all(ln.startswith("error: ") for ln in lines[:-1])
    assert tree_snapshot(corpus_dir) == before


@pytest.mark.parametrize("args", [[], ["add"], ["review"]])
def test_a_group_without_a_command_shows_its_help(args):
    """`forecastkit` (or `forecastkit add`) alone printed its whole help squeezed into one
    'error: Usage: ...' line: the help is shown as --help shows it."""
    result = CliRunner().invoke(main, args, prog_name="forecastkit")
    assert result.exit_code == 2
    assert result.output.startswith("Usage: forecastkit"), result.output
    assert "error:" not in result.output and "\nCommands:\n" in result.output
    assert (
        result.output == CliRunner().invoke(main, [*args, "--help"], prog_name="forecastkit").output
    )


def test_validate_unknown_scale_is_a_one_line_error():
    result = CliRunner().invoke(main, ["validate", str(FIXTURE_CORPUS), "--scale", "nope"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "unknown scale 'nope'" in result.output
    assert "icd203" in result.output


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_columns_and_formats(tmp_path, fmt):
    out = tmp_path / f"claims.{fmt}"
    result = run("export", str(FIXTURE_CORPUS), "--format", fmt, "--output", str(out))
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        table = pd.read_csv(out)
    elif fmt == "json":
        table = pd.DataFrame(json.loads(out.read_text()))
    else:
        table = pd.read_parquet(out)
    assert list(table.columns) == EXPORT_COLUMNS
    assert len(table) == 11
    row = table.set_index("claim_id").loc["npi-2024-wage-growth"]
    assert row["status"] == "false" and row["hedge"] == "not likely"
    assert str(row["made_on"]).startswith("2024-01-09")


def test_export_to_stdout_csv():
    result = run("export", str(FIXTURE_CORPUS))
    table = pd.read_csv(io.StringIO(result.output))
    assert list(table.columns) == EXPORT_COLUMNS


def test_export_of_an_invalid_corpus_writes_nothing(corpus_dir, tmp_path):
    (corpus_dir / "authors.yaml").write_text("authors: [\n")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["export", str(corpus_dir), "--output", str(out)])
    assert result.exit_code == 1 and "malformed YAML" in result.output
    assert not out.exists()


def test_due_lists_overdue_and_coming_claims():
    result = run("due", str(FIXTURE_CORPUS), "--today", TODAY)
    assert result.exit_code == 0
    assert "harbour-2023-fee-cut" in result.output and "overdue 326 days" in result.output
    assert "npi-2024-export-ban" not in result.output
    result = run("due", str(FIXTURE_CORPUS), "--today", TODAY, "--within", "800")
    assert "npi-2024-export-ban" in result.output and "due in 779 days" in result.output


@pytest.mark.parametrize(
    "today,within,listed,not_listed",
    [
        # resolved later (2024-10-02) so open then; rate cut resolved 2024-06-06, before
        (
            "2024-07-01",
            "200",
            ["harbour-2023-terminal-opens", "npi-2024-recession"],
            ["npi-2024-rate-cut"],
        ),
        # the npi claims were made on 2024-01-09: on 2023-12-01 they did not exist yet
        ("2023-12-01", "400", ["harbour-2023-terminal-opens"], ["npi-2024-rate-cut"]),
    ],
)
def test_due_on_a_past_day_sees_the_corpus_as_it_stood(today, within, listed, not_listed):
    result = run("due", str(FIXTURE_CORPUS), "--today", today, "--within", within)
    assert result.exit_code == 0, result.output
    for claim in listed:
        assert claim in result.output
    for claim in not_listed:
        assert claim not in result.output


def test_bad_date_option_is_a_usage_error():
    result = CliRunner().invoke(main, ["due", str(FIXTURE_CORPUS), "--today", "22/11/2026"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["due", str(FIXTURE_CORPUS), "--today", TODAY],
        ["export", str(FIXTURE_CORPUS), "--as-of", "2024-06-30"],
    ],
)
def test_listing_commands_do_not_import_the_scoring_stack(args):
    import subprocess
    import sys

    code = (
        "import sys; from forecastkit.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('scipy', 'altair', 'papermill', 'great_expectations') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_command_freezes_what_it_leaves_before_python_finalises():
    """The objects a command leaves alive (a corpus' tables) are frozen at exit, so that
    Python's last collections skip them (cli.common._freeze_at_exit): 0.2-0.3 s of every
    command after a tracker's load. The check runs at exit, after the freeze (atexit: last
    registered, first run)."""
    import subprocess
    import sys

    code = (
        "import atexit, gc, sys; from forecastkit.cli import main\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "due", str(FIXTURE_CORPUS), "--today", TODAY],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip().splitlines()[-1] == "frozen True"


def test_the_policy_option_offers_the_scoring_policies_and_their_default():
    from forecastkit.cli.common import POLICY_OPTION
    from forecastkit.scoring.policies import DEFAULT_POLICY, POLICIES

    @POLICY_OPTION
    def command(policy: str) -> None: ...

    (param,) = command.__click_params__
    assert tuple(param.type.choices) == POLICIES and param.default.fallback == DEFAULT_POLICY


@pytest.mark.parametrize(
    ("raised", "code", "words"),
    [
        (KeyboardInterrupt, 130, "error: interrupted; nothing was written"),
        (EOFError, 1, "error: aborted; nothing was written"),  # input ended at a prompt
    ],
)
def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, raised, code, words):
    import forecastkit.records.lexicon as lexicon

    def interrupted(*args, **kwargs):
        raise raised()

    monkeypatch.setattr(lexicon, "render_lexicon", interrupted)
    result = CliRunner().invoke(main, ["lexicon"])
    assert result.exit_code == code, result.output
    assert words in result.output and "Traceback" not in result.output


def test_python_dash_m_forecastkit_is_the_command(tmp_path):
    """``python -m forecastkit`` runs the same command (for a kernel or an inactive venv)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "forecastkit", "validate", str(FIXTURE_CORPUS)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: "), done.stdout


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        # two short quoted values far apart: nothing between them is shortened
        (
            "unknown kind 'candiate' at claims/a.yaml:3; " + "x " * 50 + "use 'candidate'",
            "unknown kind 'candiate' at claims/a.yaml:3; " + "x " * 50 + "use 'candidate'",
        ),
        # a long quoted value is cut at 60 characters, an apostrophe is not a quote
        (
            "the reader's value '" + "v" * 100 + "' is bad",
            "the reader's value '" + "v" * 60 + "...' is bad",
        ),
    ],
)
def test_fail_shortens_only_long_quoted_values(message, shown, capsys):
    from forecastkit.cli.common import fail

    with pytest.raises(SystemExit):
        fail(message)
    assert capsys.readouterr().err == f"error: {shown}\n"
