"""Projects: ``forecastkit init``, and every default path found from the project (records.paths)."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
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
        "schemas",
    }
    assert (root / "claims" / "outcomes").is_dir()
    assert "forecastkit add author" in (root / "claims" / "authors.yaml").read_text()
    ignored = (root / ".gitignore").read_text().splitlines()
    assert {".forecastkit/", ".ipynb_checkpoints/", "/reports/*.ipynb", "*.lock"} <= set(ignored)
    assert "*.ipynb filter=nbstripout" in (root / ".gitattributes").read_text()
    readme = (root / "README.md").read_text()
    assert "forecastkit report" in readme and "nbstripout --install" in readme
    assert 'scale = "icd203"' in (root / "forecastkit.toml").read_text()
    assert "nbstripout --install" in result.output  # not in git: how to set the filter later
    for name in NOTEBOOK_FILES:
        assert filecmp.cmp(root / "notebooks" / name, paths.PACKAGE_NOTEBOOKS / name, shallow=False)
    # the registries' first line names their schema, a copy in the project for editors
    for registry in ("authors.yaml", "questions.yaml"):
        first = (root / "claims" / registry).read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schemas/"), first
        schema = (root / "claims" / first.split("=", 1)[1]).resolve()
        assert filecmp.cmp(schema, paths.PACKAGE_SCHEMAS / schema.name, shallow=False)
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
    assert "jane-doe:\n    name: Jane Doe" in text and text.splitlines()[1].startswith(
        "# The authors registry"
    )


def test_init_here_and_with_other_defaults(nowhere: Path) -> None:
    result = cli("init", "--scale", "ipcc-ar5", "--policy", "last")
    assert result.exit_code == 0, result.output
    assert paths.project_settings() == {"scale": "ipcc-ar5", "policy": "last"}
    # standing in that project, a new one elsewhere gets the package's defaults, not these
    # (and a marker broken since does not stop it)
    (nowhere / "forecastkit.toml").write_text("[defaults\n")
    elsewhere = nowhere.parent / "elsewhere"
    result = cli("init", str(elsewhere))
    assert result.exit_code == 0, result.output
    assert paths.project_settings(elsewhere) == {"scale": "icd203", "policy": "time-weighted"}
    assert cli("init", str(nowhere.parent / "x"), "--scale", "nope").exit_code == 2


def test_a_new_project_s_first_commands_answer(nowhere: Path) -> None:
    """A user's first commands after init, on the empty corpus: answers, never a traceback."""
    init_project(nowhere / "tracker")
    os.chdir(nowhere / "tracker")
    assert cli("score").output == "no forecasts to score\n"
    assert json.loads(cli("score", "--format", "json").output) == []
    assert cli("due").output == "nothing due\n"
    assert cli("export").output.startswith("claim_id,")
    assert cli("validate", "--no-expectations").exit_code == 0


def _bad_targets(base: Path) -> dict[str, Path]:
    (base / "a-file").write_text("x")
    project = base / "project"
    init_project(project)
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "claims").mkdir()
    bare = base / "bare-corpus"  # a corpus folder itself, standing in no project
    bare.mkdir()
    (bare / "authors.yaml").write_text("authors: {}\n")
    return {
        "is a file": base / "a-file",
        "already a forecastkit project": project,
        "already holds claims": corpus,
        "already holds authors.yaml": bare,
        "inside another forecastkit project": project / "sub",
    }


@pytest.mark.parametrize(
    "what",
    [
        "is a file",
        "already a forecastkit project",
        "already holds claims",
        "already holds authors.yaml",
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


def _read_only_mount_works() -> bool:
    """Whether this root may make a private read-only bind mount (``unshare``)."""
    try:
        probe = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "true"],
            capture_output=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


@pytest.mark.parametrize("inside", [False, True], ids=["the folder", "a new folder in it"])
def test_init_refuses_an_unwritable_folder(nowhere: Path, inside: bool) -> None:
    """Mode bits where they count; as root, who writes through any mode bits, the folder is
    bind-mounted read-only in a private mount namespace of the command's own (gone when it
    exits), and the test skips where that is not allowed."""
    locked = nowhere / "locked"
    locked.mkdir()
    (locked / "notes.txt").write_text("mine\n")
    target = locked / "tracker" if inside else locked
    before = tree_snapshot(nowhere)
    if os.geteuid() != 0:
        locked.chmod(0o555)
        try:
            result = CliRunner().invoke(main, ["init", str(target)], catch_exceptions=False)
        finally:
            locked.chmod(0o755)
        code, output = result.exit_code, result.output
    else:
        if not _read_only_mount_works():
            pytest.skip("running as root, and no private read-only mount can be made here")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        mount = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
        command = [sys.executable, "-c", "from forecastkit.cli import main; main()"]
        proc = subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c", mount, "sh", str(locked)]
            + command
            + ["init", str(target)],
            capture_output=True,
            text=True,
            env=env,
            cwd=nowhere,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        code, output = proc.returncode, proc.stdout + proc.stderr
    assert code == 1, output
    assert output.startswith("error: ") and output.count("\n") == 1, output
    assert "cannot write here" in output and "Traceback" not in output
    assert tree_snapshot(nowhere) == before


def test_init_undoes_a_write_that_fails_half_way(nowhere: Path, monkeypatch) -> None:
    """A full disk after a few files: what init made is taken back, the user's files restored."""
    import errno

    from forecastkit.records import project

    (nowhere / ".gitignore").write_text("node_modules/\n")
    before = tree_snapshot(nowhere)
    real, written = project.write_bytes_atomic, []

    def fails_at_the_marker(path, data):  # the last file: everything else is written by then
        if path.name == "forecastkit.toml":
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(project, "write_bytes_atomic", fails_at_the_marker)
    for target in (nowhere / "new" / "tracker", nowhere):
        written.clear()
        result = cli("init", str(target))
        assert target / ".gitignore" in written
        assert result.exit_code == 1, result.output
        assert "No space left on device" in result.output and result.output.count("\n") == 1
        assert tree_snapshot(nowhere) == before
        assert sorted(p.name for p in nowhere.iterdir()) == [".gitignore"]


def test_init_keeps_the_users_readme_and_adds_to_their_git_files(nowhere: Path) -> None:
    """A fresh clone of an empty repository: its README stays, its ignore file grows."""
    (nowhere / "README.md").write_text("# My tracker\n")
    (nowhere / ".gitignore").write_text("node_modules/")  # no final newline
    attributes = "*.ipynb filter=nbstripout\n*.ipynb diff=ipynb\n"
    (nowhere / ".gitattributes").write_text(attributes)
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert "README.md: yours, kept" in result.output
    assert ".gitignore: yours, forecastkit's lines appended" in result.output
    assert (nowhere / "README.md").read_text() == "# My tracker\n"
    ignored = (nowhere / ".gitignore").read_text()
    assert ignored.startswith("node_modules/\n") and "\n.forecastkit/\n" in ignored
    assert (nowhere / ".gitattributes").read_text() == attributes  # had every line already
    assert paths.project_root() == nowhere.resolve()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_in_a_git_repository_sets_the_nbstripout_filter(nowhere: Path) -> None:
    pytest.importorskip("nbstripout")
    subprocess.run(["git", "init", "-q", str(nowhere)], check=True)
    result = cli("init", "tracker")
    assert result.exit_code == 0, result.output
    assert "nbstripout filter set" in result.output
    notebook = nowhere / "tracker" / "notebooks" / "explore.ipynb"
    data = json.loads(notebook.read_text())
    code = next(c for c in data["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["secret\n"]}]
    code["execution_count"] = 7
    notebook.write_text(json.dumps(data))
    subprocess.run(["git", "-C", str(nowhere), "add", str(notebook)], check=True)
    staged = subprocess.run(
        ["git", "-C", str(nowhere), "show", ":tracker/notebooks/explore.ipynb"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "secret" not in staged and json.loads(staged)["cells"]
    # a filter the repository has already (this checkout's, say) is left as it is
    again = cli("init", "other")
    assert "already set" in again.output


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
    "review accept": ["review", "accept", "c-1", "--proposition", "It rains."],
    "review reject": ["review", "reject", "c-1", "--reason", "not a forecast"],
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


READS = {
    "validate": ["validate", "--no-expectations"],
    "score": ["score"],
    "due": ["due"],
    "export": ["export"],
    "show": ["show", "c-1"],
    "review list": ["review", "list"],
}


@pytest.mark.parametrize("command", sorted(READS))
def test_with_no_project_a_read_refuses_naming_init(nowhere: Path, command: str) -> None:
    """No bundled example corpus stands in: a command that only reads refuses as well."""
    result = CliRunner().invoke(main, READS[command], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("error: no corpus at")
    assert "`forecastkit init`" in result.output, result.output
    assert not list(nowhere.iterdir())


def test_with_no_project_the_lexicon_still_answers(nowhere: Path) -> None:
    result = cli("lexicon", "--scale", "icd203")
    assert result.exit_code == 0 and "almost certain" in result.output.lower(), result.output


def test_report_of_a_corpus_outside_a_project_needs_an_output(nowhere: Path, tmp_path) -> None:
    """The issue's case: a folder with the user's claims/ but no project: reports never go to
    the checkout's reports/."""
    shutil.copytree(FIXTURE_CORPUS, nowhere / "claims")
    before = tree_snapshot(ROOT / "reports")
    result = cli("report", "--no-progress")
    assert result.exit_code == 1
    assert "no forecastkit project" in result.output and "`forecastkit init`" in result.output
    assert tree_snapshot(ROOT / "reports") == before
    assert not (nowhere / "reports").exists()


def test_the_project_comes_before_forecastkit_root(tmp_path: Path, monkeypatch) -> None:
    own, other = init_project(tmp_path / "own"), tmp_path / "other"
    (other / "claims").mkdir(parents=True)
    monkeypatch.setenv("FORECASTKIT_ROOT", str(other))
    monkeypatch.chdir(own / "notebooks")
    assert paths.project_root() == own
    assert paths.claims_dir() == own / "claims"
    monkeypatch.chdir(tmp_path)
    assert paths.project_root() == other.resolve()
    assert paths.claims_dir() == other.resolve() / "claims"


def test_a_deleted_notebook_falls_back_to_the_package_s(tmp_path: Path, monkeypatch) -> None:
    """The user deleted their overview: reports run their author notebook and the package's
    overview."""
    from forecastkit.records.corpus import load
    from forecastkit.reports.runner import plan_reports

    root = init_project(tmp_path / "p")
    shutil.copytree(FIXTURE_CORPUS, root / "claims", dirs_exist_ok=True)
    (root / "notebooks" / "overview.ipynb").unlink()
    monkeypatch.chdir(root)
    assert paths.notebooks_dir() == root / "notebooks"
    jobs = {j.key: Path(j.notebook) for j in plan_reports(load(root / "claims"), root / "reports")}
    assert jobs.pop("overview") == paths.PACKAGE_NOTEBOOKS / "overview.ipynb"
    assert jobs and set(jobs.values()) == {root / "notebooks" / "author_report.ipynb"}
    assert paths.report_notebook(root / "notebooks", "explore.ipynb") == (
        root / "notebooks" / "explore.ipynb"
    )
    shutil.rmtree(root / "notebooks")
    assert paths.notebooks_dir() == paths.PACKAGE_NOTEBOOKS


def test_a_broken_marker_is_one_line(tmp_path: Path, monkeypatch) -> None:
    root = init_project(tmp_path / "p")
    (root / "forecastkit.toml").write_text("[defaults\n")
    monkeypatch.chdir(root)
    with pytest.raises(ProjectError, match="forecastkit.toml:1: not valid TOML"):
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
    assert result.exit_code == 1 and "unknown scale 'no-such-scale'" in result.output
    assert result.output.startswith("error: ") and result.output.count("\n") == 1


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[defaults]\nscale = "no-such-scale"\n', "forecastkit.toml:2: defaults.scale: unknown"),
        ('[defaults]\nscale = "kent"\npolicy = 5\n', "forecastkit.toml:3: defaults.policy: 5 is"),
        ('[defaults]\npolicy = "best"\n', "forecastkit.toml:2: defaults.policy: 'best' is not"),
        ("[defaults]\n[defaults]\n", "forecastkit.toml:2: not valid TOML"),
    ],
)
def test_a_bad_default_names_forecastkit_toml_and_its_line(
    tmp_path: Path, monkeypatch, text: str, where: str
) -> None:
    """A bad scale or policy in forecastkit.toml said "Invalid value for '--scale'" (an option
    the user never gave), or was ignored by score; a TOML error named no line on Python 3.11."""
    root = init_project(tmp_path / "p")
    (root / "forecastkit.toml").write_text(text)
    monkeypatch.chdir(root)
    for args in (["score"], ["report", "--no-progress"]):  # both take --scale and --policy
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and where in result.output, result.output
        assert "fix" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------------------------
# Nothing is written into the checkout or the installed package


def _stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``root``, less git's own folder, the
    venv and the caches Python and the test tools keep."""
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            stat = (Path(folder) / name).stat()
            out[os.path.relpath(Path(folder) / name, root)] = (stat.st_size, stat.st_mtime_ns)
    return out


def _git_status() -> str | None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    return subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True
    ).stdout


@pytest.mark.slow
def test_a_users_project_writes_nothing_into_the_checkout_or_package(
    nowhere: Path, monkeypatch
) -> None:
    """add, extract --write, resolve, validate --data-docs and report in a project elsewhere."""
    import forecastkit

    package = Path(forecastkit.__file__).resolve().parent
    checkout, installed, status = _stamps(ROOT), _stamps(package), _git_status()
    root = init_project(nowhere / "tracker")
    monkeypatch.chdir(root / "claims")
    assert cli("add", "author", "jane-doe", "--name", "Jane Doe").exit_code == 0
    (nowhere / "article.txt").write_text(
        "Jane Doe said the central bank will very likely cut rates by the end of 2026.\n"
    )
    extract = [str(nowhere / "article.txt"), "--published", "2025-01-02", "--write"]
    extracted = cli("extract", *extract, "--byline", "Jane Doe", "--publisher", "Example Times")
    assert extracted.exit_code == 0, extracted.output
    (claim_file,) = (root / "claims").glob("2025-01-02-*.yaml")
    assert claim_file.read_text().startswith("# yaml-language-server: $schema=../schemas/")
    text = claim_file.read_text().replace("kind: candidate", "kind: forecast")
    text = text.replace("  hedge:", "  proposition: The bank cuts rates by 2026.\n  hedge:", 1)
    claim_file.write_text(text)
    claim_id = f"{claim_file.stem}-c001"
    resolve = ["--on", "2026-02-01", "--note", "the bank was merged away"]
    assert cli("resolve", claim_id, "--verdict", "annulled", *resolve).exit_code == 0
    outcome = root / "claims" / "outcomes" / claim_file.name
    assert outcome.read_text().startswith("# yaml-language-server: $schema=../../schemas/")
    monkeypatch.chdir(nowhere)  # a corpus given by path: its own project's reports/
    checked = cli("validate", str(root / "claims"), "--data-docs")
    assert checked.exit_code == 0, checked.output
    assert (root / "reports" / "validation" / "index.html").is_file()
    monkeypatch.chdir(root / "notebooks")
    reported = cli("report", "--no-progress", "--workers", "1")
    assert reported.exit_code == 0, reported.output
    assert (root / "reports" / "jane-doe.html").is_file()
    assert _stamps(ROOT) == checkout
    assert _stamps(package) == installed
    assert _git_status() == status
