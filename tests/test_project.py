"""Projects: ``forecastkit init``, and every default path found from the project (records.paths)."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import ProjectError
from forecastkit.records import paths
from forecastkit.records.project import NOTEBOOK_FILES, init_project

from conftest import FIXTURE_CORPUS, ROOT, tree_snapshot


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch) -> Path:
    """An empty working folder in no project, with $FORECASTKIT_ROOT unset."""
    folder = tmp_path / "nowhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("FORECASTKIT_ROOT", raising=False)
    return folder


def test_init_makes_a_ready_project(nowhere: Path) -> None:
    result = cli("init", "tracker")
    assert result.exit_code == 0, result.output
    root = nowhere / "tracker"
    assert {p.name for p in root.iterdir()} == {
        ".gitattributes",
        ".gitignore",
        "README.md",
        "claims",
        "forecastkit.toml",
        "notebooks",
        "reports",
    }
    assert (root / "claims" / "outcomes").is_dir()
    assert "forecastkit add author" in (root / "claims" / "authors.yaml").read_text()
    assert ".forecastkit/" in (root / ".gitignore").read_text()
    assert "*.ipynb filter=nbstripout" in (root / ".gitattributes").read_text()
    assert 'scale = "icd203"' in (root / "forecastkit.toml").read_text()
    for name in NOTEBOOK_FILES:
        assert filecmp.cmp(root / "notebooks" / name, paths.PACKAGE_NOTEBOOKS / name, shallow=False)
    # the new project is found from anywhere in it, and its empty corpus is valid
    os.chdir(root / "claims" / "outcomes")
    assert paths.project_root() == root.resolve()
    assert paths.claims_dir() == (root / "claims").resolve()
    assert paths.reports_dir() == (root / "reports").resolve()
    assert paths.notebooks_dir() == (root / "notebooks").resolve()
    assert paths.project_settings() == {"scale": "icd203", "policy": "time-weighted"}
    assert cli("validate").exit_code == 0
    added = cli("add", "author", "jane-doe", "--name", "Jane Doe")
    assert added.exit_code == 0, added.output
    text = (root / "claims" / "authors.yaml").read_text()
    assert "jane-doe:\n    name: Jane Doe" in text and text.startswith("# The authors registry")


def test_init_here_and_with_other_defaults(nowhere: Path) -> None:
    result = cli("init", "--scale", "ipcc-ar5", "--policy", "last")
    assert result.exit_code == 0, result.output
    assert paths.project_settings() == {"scale": "ipcc-ar5", "policy": "last"}


def _bad_targets(base: Path) -> dict[str, Path]:
    (base / "a-file").write_text("x")
    project = base / "project"
    init_project(project)
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "claims").mkdir()
    return {
        "is a file": base / "a-file",
        "already a forecastkit project": project,
        "already holds claims": corpus,
        "inside another forecastkit project": project / "sub",
    }


@pytest.mark.parametrize(
    "what",
    [
        "is a file",
        "already a forecastkit project",
        "already holds claims",
        "inside another forecastkit project",
    ],
)
def test_init_refuses_in_one_line_and_writes_nothing(nowhere: Path, what: str) -> None:
    target = _bad_targets(nowhere)[what]
    before = tree_snapshot(nowhere)
    result = cli("init", str(target))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and what in result.output, result.output
    assert "Traceback" not in result.output
    assert tree_snapshot(nowhere) == before


def test_init_refuses_an_unwritable_folder(nowhere: Path) -> None:
    if os.geteuid() == 0:  # root writes through any mode bits: a folder of /proc is unwritable
        target = Path("/proc/forecastkit-init-test")
    else:
        locked = nowhere / "locked"
        locked.mkdir(mode=0o555)
        target = locked / "tracker"
    result = cli("init", str(target))
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    assert not target.exists()


# --------------------------------------------------------------------------------------------
# With no project: commands that write refuse, naming `forecastkit init`


WRITES = {
    "add author": ["add", "author", "jane-doe", "--name", "Jane Doe"],
    "add claim": [
        "add",
        "claim",
        "--source",
        "s-1",
        "--claimant",
        "jane-doe",
        "--role",
        "byline author",
        "--quote",
        "It will rain.",
        "--proposition",
        "It rains.",
        "--hedge",
        "will",
        "--made-on",
        "2024-01-01",
        "--resolve-by",
        "2025-01-01",
    ],
    "resolve": ["resolve", "c-1", "--verdict", "annulled", "--on", "2025-01-01", "--note", "x"],
    "import": ["import", "forecasts.csv"],
    "extract --write": ["extract", "article.txt", "--published", "2024-01-01", "--write"],
    "report": ["report", "--no-progress"],
}


@pytest.mark.parametrize("command", sorted(WRITES))
def test_with_no_project_a_write_refuses_naming_init(nowhere: Path, command: str) -> None:
    (nowhere / "forecasts.csv").write_text("claimant,probability\njane-doe,0.7\n")
    (nowhere / "article.txt").write_text("Jane Doe said it will very likely rain by 2026.\n")
    before = tree_snapshot(nowhere)
    result = CliRunner().invoke(main, WRITES[command], catch_exceptions=False)
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "`forecastkit init`" in errors[0], result.output
    assert tree_snapshot(nowhere) == before


def test_report_of_a_corpus_outside_a_project_needs_an_output(nowhere: Path, tmp_path) -> None:
    """The issue's case: a folder with the user's claims/ but no project: reports never go to
    the checkout's reports/."""
    import shutil

    shutil.copytree(FIXTURE_CORPUS, nowhere / "claims")
    before = tree_snapshot(ROOT / "reports")
    result = cli("report", "--no-progress")
    assert result.exit_code == 1
    assert "no forecastkit project" in result.output and "`forecastkit init`" in result.output
    assert tree_snapshot(ROOT / "reports") == before
    assert not (nowhere / "reports").exists()


def test_the_project_comes_before_forecastkit_root(tmp_path: Path, monkeypatch) -> None:
    own, other = init_project(tmp_path / "own"), tmp_path / "other"
    monkeypatch.setenv("FORECASTKIT_ROOT", str(other))
    monkeypatch.chdir(own / "notebooks")
    assert paths.project_root() == own
    assert paths.claims_dir() == own / "claims"
    monkeypatch.chdir(tmp_path)
    assert paths.project_root() == other.resolve()
    assert paths.claims_dir() == other.resolve() / "claims"


def test_notebooks_fall_back_to_the_package(tmp_path: Path, monkeypatch) -> None:
    root = init_project(tmp_path / "p")
    monkeypatch.chdir(root)
    for name in NOTEBOOK_FILES:
        (root / "notebooks" / name).unlink()
    assert paths.notebooks_dir() == paths.PACKAGE_NOTEBOOKS


def test_a_broken_marker_is_one_line(tmp_path: Path, monkeypatch) -> None:
    root = init_project(tmp_path / "p")
    (root / "forecastkit.toml").write_text("[defaults\n")
    monkeypatch.chdir(root)
    with pytest.raises(ProjectError, match="forecastkit.toml: not valid TOML"):
        paths.project_settings()


def test_this_repository_is_a_project_whose_notebooks_are_the_package_s() -> None:
    """One copy of the report notebooks: the repository's notebooks/ link to the package data."""
    assert paths.find_project(ROOT) == ROOT
    for name in NOTEBOOK_FILES:
        link = ROOT / "notebooks" / name
        assert link.is_symlink() and link.resolve() == (paths.PACKAGE_NOTEBOOKS / name).resolve()


def test_commands_take_their_scale_and_policy_defaults_from_the_project(
    tmp_path: Path, monkeypatch
) -> None:
    import click

    from forecastkit.cli.common import POLICY_OPTION, scale_option

    @click.command()
    @scale_option
    @POLICY_OPTION
    def command(scale: str, policy: str) -> None:
        click.echo(f"{scale} {policy}")

    root = init_project(tmp_path / "p", scale="kent", policy="last")
    monkeypatch.chdir(root / "claims")
    assert CliRunner().invoke(command, []).output == "kent last\n"
    assert CliRunner().invoke(command, ["--scale", "nato"]).output == "nato last\n"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORECASTKIT_ROOT", raising=False)
    assert CliRunner().invoke(command, []).output == "icd203 time-weighted\n"
    (root / "forecastkit.toml").write_text('[defaults]\nscale = "no-such-scale"\n')
    monkeypatch.chdir(root)
    result = CliRunner().invoke(command, [])
    assert result.exit_code == 2 and "unknown scale 'no-such-scale'" in result.output
