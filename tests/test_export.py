"""records.export: writing the exported table."""

from __future__ import annotations

import errno
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import ForecastkitError
from forecastkit.records import atomic, export

from conftest import FIXTURE_CORPUS, tree_snapshot


def test_export_to_an_unwritable_path_is_one_line(tmp_path: Path, monkeypatch) -> None:
    """--output under a file (or on a read-only disk) was a FileExistsError traceback from
    mkdir: one line naming the path, nothing written."""
    (tmp_path / "afile").write_text("mine\n")
    before = tree_snapshot(tmp_path)
    target = tmp_path / "afile" / "claims.csv"
    result = CliRunner().invoke(main, ["export", str(FIXTURE_CORPUS), "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: {target}: cannot write the export")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert tree_snapshot(tmp_path) == before

    def read_only(path, data):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic, "write_bytes_atomic", read_only)
    with pytest.raises(ForecastkitError, match="Read-only file system"):
        export.write_table(pd.DataFrame({"a": [1]}), "csv", tmp_path / "x.csv")
    assert tree_snapshot(tmp_path) == before
