"""Shared test fixtures: the example corpus, copied where a test may change it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import strategies as st

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


#: ``(outcomes, forecasts)`` of 1 to 80 binary forecasts.
forecast_sets = st.integers(min_value=1, max_value=80).flatmap(
    lambda n: st.tuples(
        st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n),
        # a verbal scale's few values (many ties) or arbitrary numbers
        st.one_of(
            st.lists(
                st.sampled_from([0.05, 0.2, 0.325, 0.5, 0.675, 0.8, 0.95]), min_size=n, max_size=n
            ),
            st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n),
        ),
    )
)
