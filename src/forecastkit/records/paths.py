"""Where things are: the project a command works in, and its corpus, reports and notebooks.

A forecastkit project is a folder holding ``forecastkit.toml`` (``forecastkit init`` makes one).
Every default path comes from the project found at or above the working directory, as git finds
its repository, then from ``$FORECASTKIT_ROOT``::

    forecastkit.toml   the marker (default scale and policy)
    claims/            the corpus
    notebooks/         the project's report notebooks (the package's own stand in for any
                       the user deleted)
    reports/           generated reports (and reports/validation, the GX data docs)
    schemas/           copies of the corpus files' JSON Schemas, for editors
    .forecastkit/      caches (not in git)

The corpus is the nearest one on the way up: a folder holding ``authors.yaml`` (you stand in a
corpus), a project's ``claims/``. With no project and no corpus found, :func:`claims_dir` and
:func:`project_root` raise a :class:`~forecastkit.errors.ProjectError` naming ``forecastkit init``:
nothing is ever read from or written into the installed package or the checkout it came from,
unless that is the project the user stands in.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from forecastkit.errors import ProjectError

#: The file that marks a project's root.
MARKER = "forecastkit.toml"
CLAIMS = "claims"
REPORTS = "reports"
NOTEBOOKS = "notebooks"
#: Caches and other machine-made state of a project (ignored by git).
STATE = ".forecastkit"
#: The report notebooks the package ships (package data): the fallback of a project's own.
PACKAGE_NOTEBOOKS = Path(__file__).resolve().parents[1] / "reports" / "notebooks"
ROOT_ENV = "FORECASTKIT_ROOT"
INIT_HINT = "run `forecastkit init` to start a project here (or set $FORECASTKIT_ROOT)"


def _start(start: str | os.PathLike[str] | None) -> Path:
    return Path(start if start is not None else Path.cwd()).resolve()


def find_project(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working directory) that holds
    ``forecastkit.toml``, else ``$FORECASTKIT_ROOT`` when set, else ``None``."""
    here = _start(start)
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    env = os.environ.get(ROOT_ENV)
    return Path(env).expanduser().resolve() if env else None


def project_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The project folder (:func:`find_project`); a :class:`ProjectError` when there is none."""
    found = find_project(start)
    if found is None:
        raise ProjectError(f"no forecastkit project at or above {_start(start)}", hint=INIT_HINT)
    return found


def find_corpus(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The corpus nearest ``start`` (default: the working directory), looking upwards as git does.

    At each folder from ``start`` up to ``/``: the folder itself when it holds ``authors.yaml``
    (you stand in a corpus), else its ``claims/`` when it is a project or holds ``claims/``.
    ``None`` when no folder on the way has either.
    """
    here = _start(start)
    for folder in (here, *here.parents):
        if (folder / "authors.yaml").is_file():
            return folder
        if (folder / MARKER).is_file() or (folder / CLAIMS).is_dir():
            return folder / CLAIMS
    return None


def claims_dir() -> Path:
    """The default corpus folder: the nearest corpus at or above the working directory
    (:func:`find_corpus`), else ``$FORECASTKIT_ROOT/claims``; a :class:`ProjectError` naming
    ``forecastkit init`` when there is neither (or the variable names a folder without
    ``claims/``).

    So a command run inside a user's own corpus edits that corpus, never the checkout's.
    """
    found = find_corpus()
    if found is not None:
        return found
    env = os.environ.get(ROOT_ENV)
    if env:
        root = Path(env).expanduser().resolve()
        if not (root / CLAIMS).is_dir():
            raise ProjectError(
                f"no corpus at or above {Path.cwd().resolve()}, and ${ROOT_ENV} is {root}, "
                f"which holds no {CLAIMS}/ folder",
                hint=f"set ${ROOT_ENV} to a project made by `forecastkit init`, or unset it",
            )
        return root / CLAIMS
    raise ProjectError(f"no corpus at or above {Path.cwd().resolve()}", hint=INIT_HINT)


def reports_dir(corpus: str | os.PathLike[str] | None = None) -> Path:
    """The default output folder for reports: ``<project>/reports`` of the project holding
    ``corpus`` (default: of the working directory)."""
    return project_root(corpus) / REPORTS


def notebooks_dir(start: str | os.PathLike[str] | None = None) -> Path:
    """The report notebooks' folder: the ``notebooks/`` of the project at or above ``start``
    (default: the working directory) when it has one, else the one the package ships
    (:data:`PACKAGE_NOTEBOOKS`). A notebook missing from it is the package's
    (:func:`report_notebook`)."""
    found = find_project(start)
    if found is not None and (found / NOTEBOOKS).is_dir():
        return found / NOTEBOOKS
    return PACKAGE_NOTEBOOKS


def report_notebook(folder: str | os.PathLike[str], name: str) -> Path:
    """The notebook ``name`` in ``folder`` when it is there, else the package's own: a project
    whose user deleted one of its copies runs the package's again."""
    own = Path(folder) / name
    return own if own.is_file() else PACKAGE_NOTEBOOKS / name


#: The JSON Schemas of the corpus files (package data), and the copies a project keeps for
#: editors (``schemas/``, made by ``forecastkit init``).
PACKAGE_SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMAS = "schemas"


def schema_for_editors(folder: str | os.PathLike[str], file: str) -> str:
    """The ``$schema`` path an editor's YAML language server follows from a corpus file in
    ``folder``: relative to ``folder``, to the project's copy (``<project>/schemas/<file>``)
    when the project keeps one, else to the installed package's."""
    here = Path(folder).resolve()
    found = find_project(here)
    target = PACKAGE_SCHEMAS / file
    if found is not None and here.is_relative_to(found) and (found / SCHEMAS / file).is_file():
        target = found / SCHEMAS / file
    return Path(os.path.relpath(target, here)).as_posix()


def state_dir(corpus: str | os.PathLike[str] | None = None) -> Path:
    """The folder for caches: ``<project>/.forecastkit`` of the project holding ``corpus`` (or
    of the working directory); beside the corpus when it lies in no project."""
    if corpus is not None:
        found = find_project(corpus)
        if found is None or not Path(corpus).resolve().is_relative_to(found):
            return Path(corpus).resolve() / STATE
        return found / STATE
    return project_root() / STATE


def project_settings(start: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The ``[defaults]`` table of the project's ``forecastkit.toml`` (empty without a project
    or a marker; a :class:`ProjectError` naming the file and line when it is not TOML)."""
    found = find_project(start)
    marker = found / MARKER if found is not None else None
    if marker is None or not marker.is_file():
        return {}
    try:
        data = tomllib.loads(marker.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"\(at line (\d+), column \d+\)", str(exc))  # no lineno before 3.14
        raise ProjectError(
            f"not valid TOML ({exc})",
            file=marker,
            line=getattr(exc, "lineno", None) or (int(at[1]) if at else None),
            hint="fix the file or run `forecastkit init` in a new folder",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"cannot be read ({exc})", file=marker) from None
    defaults = data.get("defaults", {})
    return defaults if isinstance(defaults, dict) else {}


def resolve_corpus_path(path: str | os.PathLike[str] | None) -> Path:
    """A user-given corpus path, or the default ``claims/`` when ``None``."""
    return Path(path).expanduser() if path is not None else claims_dir()


def setting_error(
    key: str, message: str, start: str | os.PathLike[str] | None = None
) -> ProjectError:
    """A :class:`ProjectError` for a bad ``[defaults]`` value ``key`` of the project's
    ``forecastkit.toml``, naming the file, the line of ``key`` and the field ``defaults.key``."""
    found = find_project(start)
    marker = found / MARKER if found is not None else Path(MARKER)
    line = None
    try:
        for number, text in enumerate(marker.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(rf"\s*{re.escape(key)}\s*=", text):
                line = number
    except OSError:
        pass
    return ProjectError(
        message,
        file=marker,
        line=line,
        field=f"defaults.{key}",
        hint=f"fix forecastkit.toml (or pass --{key})",
    )
