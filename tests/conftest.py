"""Shared test fixtures: the example corpus, copied where a test may change it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "corpus"
SHARED = ROOT.parent / "shared"
#: The day the example corpus is checked against (its outcomes are all before it).
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the example corpus."""
    target = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, target)
    return target


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes: to show that a command wrote nothing."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def shared_path(*parts: str) -> Path:
    """A path in ../shared/, or skip the test cleanly when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is not present (../shared/ is beside the project only in a full checkout)"
        )
    return path
