"""Where things are: the corpus a command works on, and the project's reports and notebooks.

With no corpus folder given, every command uses the nearest corpus at or above the working
directory (like git finds its repository), then ``$FORECASTKIT_ROOT/claims``, then the
``claims/`` of the checkout forecastkit is installed from. Notebooks and reports are found from
the project root, so a notebook opened from ``notebooks/`` finds the same ``reports/``.
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


def find_corpus(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The corpus nearest ``start`` (default: the working directory), looking upwards as git does.

    At each folder from ``start`` up to ``/``: the folder itself when it holds ``authors.yaml``
    (you stand in a corpus), else its ``claims/`` when there is one (you stand in a project).
    ``None`` when no folder on the way has either.
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "authors.yaml").is_file():
            return folder
        if (folder / "claims").is_dir():
            return folder / "claims"
    return None


def claims_dir() -> Path:
    """The default corpus folder, the first of: the nearest corpus at or above the working
    directory (:func:`find_corpus`), ``$FORECASTKIT_ROOT/claims``, the installed checkout's
    ``claims/`` (see :func:`project_root`).

    So a command run inside a user's own corpus edits that corpus, never the checkout's.
    """
    found = find_corpus()
    if found is not None:
        return found
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
