"""Where things are: paths built from the project root, never from the working directory.

A notebook opened from ``notebooks/`` and a command run from anywhere inside the project find
the same ``claims/`` and ``reports/``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _looks_like_root(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "claims").is_dir()


def project_root() -> Path:
    """The forecastkit project folder.

    ``$FORECASTKIT_ROOT`` if set; else the checkout this package is installed from (editable
    installs, the usual case); else the nearest folder above the working directory that holds
    ``pyproject.toml`` and ``claims/``; else the working directory.
    """
    env = os.environ.get("FORECASTKIT_ROOT")
    if env:
        return Path(env).resolve()
    checkout = _PACKAGE_DIR.parents[1]
    if _looks_like_root(checkout):
        return checkout
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if _looks_like_root(candidate):
            return candidate
    return here


def claims_dir() -> Path:
    """The default corpus folder: ``<project>/claims``."""
    return project_root() / "claims"


def reports_dir() -> Path:
    """The default output folder for reports: ``<project>/reports``."""
    return project_root() / "reports"


def notebooks_dir() -> Path:
    """The report notebooks: ``<project>/notebooks``."""
    return project_root() / "notebooks"


def resolve_corpus_path(path: str | os.PathLike[str] | None) -> Path:
    """A user-given corpus path, or the default ``claims/`` when ``None``."""
    return Path(path).expanduser() if path is not None else claims_dir()
