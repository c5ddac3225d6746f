"""records.paths: how a command finds its project and corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import ProjectError
from forecastkit.records import paths

from conftest import tree_snapshot


@pytest.mark.parametrize("target", ["missing", "empty", "file"])
def test_a_forecastkit_root_with_no_corpus_is_named(tmp_path: Path, monkeypatch, target) -> None:
    """$FORECASTKIT_ROOT pointing at nothing said '/x/claims: corpus folder not found' (validate)
    or 'cannot create the lock file ... check the folder's permissions' (add): neither said the
    path came from the variable. Now one line naming it, and nothing written."""
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    root = tmp_path / "root"
    if target == "empty":
        root.mkdir()
    elif target == "file":
        root.write_text("not a project\n")
    monkeypatch.chdir(nowhere)
    monkeypatch.setenv("FORECASTKIT_ROOT", str(root))
    with pytest.raises(ProjectError, match=r"\$FORECASTKIT_ROOT"):
        paths.claims_dir()
    before = tree_snapshot(tmp_path)
    for args in (["validate"], ["add", "author", "jo-x", "--name", "Jo X"], ["score"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1, result.output
        assert f"$FORECASTKIT_ROOT is {root.resolve()}" in result.output
        assert "forecastkit init" in result.output and "Traceback" not in result.output
    assert tree_snapshot(tmp_path) == before


def test_a_forecastkit_root_holding_a_corpus_is_used(tmp_path: Path, monkeypatch) -> None:
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    (tmp_path / "root" / "claims").mkdir(parents=True)
    monkeypatch.chdir(nowhere)
    monkeypatch.setenv("FORECASTKIT_ROOT", str(tmp_path / "root"))
    assert paths.claims_dir() == (tmp_path / "root" / "claims").resolve()
