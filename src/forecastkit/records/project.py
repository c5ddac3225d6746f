"""``forecastkit init``: make a ready project folder (docs/own-project.md).

```
forecastkit.toml      the project marker, with the default scale and policy
claims/authors.yaml   empty registries, with their schema line and their fields in comments
claims/questions.yaml
claims/outcomes/
schemas/              the corpus files' JSON Schemas, for editors (the schema lines point here)
notebooks/            copies of the package's report notebooks, the user's to change
reports/              generated reports
README.md             the everyday commands
.gitignore            reports' notebooks, caches (.forecastkit/), lock files, checkpoints
.gitattributes        notebooks pass through the nbstripout filter (outputs never reach git)
```
Everything is checked first and then written; a folder that is a file, cannot be written, or
already holds a project or a corpus gives one :class:`~forecastkit.errors.ProjectError` and is
left as it was. A write that fails half-way (a full disk) is undone. The user's own
``README.md`` is kept, and lines missing from their ``.gitignore`` or ``.gitattributes`` are
appended, so that ``init`` works in a fresh clone of an empty repository.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from forecastkit.errors import ProjectError
from forecastkit.records.atomic import write_bytes_atomic
from forecastkit.records.paths import (
    CLAIMS,
    MARKER,
    NOTEBOOKS,
    PACKAGE_NOTEBOOKS,
    PACKAGE_SCHEMAS,
    REPORTS,
    SCHEMAS,
    STATE,
)
from forecastkit.records.schema import SCHEMA_FILES

#: The report notebooks copied into a new project.
NOTEBOOK_FILES = ("author_report.ipynb", "overview.ipynb", "explore.ipynb")

_MARKER_TEXT = """\
# A forecastkit project: every command run in this folder or below it uses claims/, reports/
# and notebooks/ here (docs/own-project.md).
[defaults]
scale = "{scale}"          # lexicon scale that reads hedges (`forecastkit lexicon`)
policy = "{policy}"   # how several forecasts on one question count: all | last | time-weighted
"""

_AUTHORS_TEXT = """\
# yaml-language-server: $schema=../schemas/authors.schema.json
# The authors registry: one entry per claimant (a person, an organisation, a crowd).
# Add one with: forecastkit add author jane-doe --name "Jane Doe"
#
# authors:
#   jane-doe:                 # key: lower-case letters, digits and hyphens
#     name: Jane Doe
#     affiliation: Example Institute (senior fellow)   # optional
#     kind: person            # person | organisation | crowd
#     aliases: [Jane Doe, J. Doe]                       # names she is quoted under (extract)
authors: {}
"""

_QUESTIONS_TEXT = """\
# yaml-language-server: $schema=../schemas/questions.schema.json
# The questions registry (optional): events that several claims forecast, logged once.
# Binary questions need only text and resolve_by; other types (multiple-choice, numeric, date)
# set `type:` and its fields (docs/question-types.md).
#
# questions:
#   q-2030-example:
#     text: By 2030-01-01 the example happens.
#     criteria: True if ..., false otherwise.
#     resolve_by: 2030-01-01
#     tags: [example]
questions: {}
"""

_OUTCOMES_README = """\
Outcome logs: one YAML file per claim file (or per question), written by
`forecastkit resolve CLAIM-ID --verdict true --evidence URL`; edit them by hand as well.
Their first line names the schema (`../../schemas/outcomes.schema.json`) for your editor.
"""

_README_TEXT = """\
# {name}: a forecast tracker

Made with `forecastkit init`. The claims in `claims/` are the record; everything else is made
from them.

    forecastkit add author jane-doe --name "Jane Doe"      # a claimant
    forecastkit add claim                                  # a claim, asked for field by field
    forecastkit extract article.txt --write                # candidate claims in an article
    forecastkit review list                                # ... then accept or reject each:
    forecastkit review accept c002 --proposition "..."     #     a claim, quote and all
    forecastkit resolve CLAIM-ID --verdict true --evidence URL
    forecastkit validate                                   # check every file
    forecastkit score                                      # the league table
    forecastkit report                                     # reports/index.html
    forecastkit lab                                        # JupyterLab on notebooks/explore.ipynb

`notebooks/` holds this project's copies of the report notebooks: change them as you like
(`forecastkit report` runs them; delete one to use the package's own again). Run
`forecastkit --help` for every command.

In git, notebooks are committed without their outputs through nbstripout (`.gitattributes`);
its filter lives in `.git/config`, so set it once in each clone:

    pip install nbstripout && nbstripout --install --attributes .gitattributes
"""

_GITIGNORE_TEXT = f"""\
# forecastkit: executed report notebooks, the run manifest, caches and lock files stay out of
# git; the HTML reports and reports/assets/ may be committed (add /reports/ to keep them out)
/reports/*.ipynb
/reports/manifest.json
{STATE}/
*.lock
.ipynb_checkpoints/
__pycache__/
"""

_GITATTRIBUTES_TEXT = """\
# Notebook outputs never reach git. The filter itself lives in .git/config: in each clone run
#   pip install nbstripout && nbstripout --install --attributes .gitattributes
# (forecastkit init does it when the project is in git already)
*.ipynb filter=nbstripout
*.ipynb diff=ipynb
"""


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ProjectError(
            "is a file, not a folder",
            file=target,
            hint="give a new or empty folder to `forecastkit init`",
        )
    if (target / MARKER).exists():
        raise ProjectError(
            "already a forecastkit project", file=target / MARKER, hint="nothing was changed"
        )
    mine = (CLAIMS, NOTEBOOKS, REPORTS, SCHEMAS, "authors.yaml")
    existing = [p for p in mine if (target / p).exists() or (target / p).is_symlink()]
    if existing:
        raise ProjectError(
            f"already holds {existing[0]}",
            file=target,
            hint="init only into a new folder or one without a corpus; nothing was changed",
        )
    outer = next((p for p in target.parents if (p / MARKER).is_file()), None)
    if outer is not None:
        raise ProjectError(
            "lies inside another forecastkit project",
            file=outer / MARKER,
            hint="start the new project outside it; nothing was changed",
        )
    base = target
    while not base.exists():
        base = base.parent
    if not base.is_dir() or not os.access(base, os.W_OK | os.X_OK):
        raise ProjectError("cannot write here", file=base, hint="choose a folder you can write")
    for name in (".gitignore", ".gitattributes", "README.md"):
        if (target / name).is_dir() or ((target / name).exists() and not _readable(target / name)):
            raise ProjectError(
                "cannot be read as text", file=target / name, hint="nothing was changed"
            )


def _readable(path: Path) -> bool:
    try:
        path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return True


class _Undo:
    """What init has made so far, to take back when a later step fails (a full disk)."""

    def __init__(self) -> None:
        self.steps: list[Callable[[], object]] = []

    def mkdir(self, path: Path) -> None:
        missing = []
        while not path.exists():
            missing.append(path)
            path = path.parent
        for folder in reversed(missing):
            folder.mkdir()
            self.steps.append(folder.rmdir)

    def write(self, path: Path, data: bytes) -> None:
        old = path.read_bytes() if path.exists() else None
        write_bytes_atomic(path, data)
        if old is None:
            self.steps.append(path.unlink)
        else:
            self.steps.append(lambda: write_bytes_atomic(path, old))

    def undo(self) -> None:
        for step in reversed(self.steps):
            try:
                step()
            except OSError:
                pass


def _merged(path: Path, text: str) -> str | None:
    """``text`` for a new file; for the user's own, their text with the lines of ``text``
    they lack appended (``None``: nothing to add)."""
    if not path.exists():
        return text
    have = path.read_text(encoding="utf-8")
    present = {line.strip() for line in have.splitlines()}
    new = [line for line in text.splitlines() if line.strip() not in present]
    if not [line for line in new if line and not line.startswith("#")]:
        return None
    sep = "" if not have or have.endswith("\n") else "\n"
    return have + sep + "\n" + "\n".join(new) + "\n"


def init_project(
    folder: str | os.PathLike[str] = ".",
    *,
    scale: str = "icd203",
    policy: str = "time-weighted",
    notes: list[str] | None = None,
) -> Path:
    """Make a ready project in ``folder`` (created when missing; it must hold no project, no
    corpus, no ``notebooks/``, ``reports/`` or ``schemas/``). Returns the project root.

    The user's own ``README.md`` is kept and their ``.gitignore`` and ``.gitattributes`` get
    only the lines they lack; ``notes``, when given, receives a line for each such file.

    Raises
    ------
    ProjectError
        ``folder`` is a file, cannot be written, lies inside another project, or already holds
        a project or a corpus; nothing is written then. A write that fails part-way is undone
        before the error is raised.

    Examples
    --------
    >>> root = init_project(tmp / "tracker")  # doctest: +SKIP
    >>> sorted(p.name for p in root.iterdir())  # doctest: +SKIP
    ['.gitattributes', '.gitignore', 'README.md', 'claims', 'forecastkit.toml', 'notebooks',
     'reports', 'schemas']
    """
    target = Path(folder).expanduser().resolve()
    _check_target(target)
    shipped = [PACKAGE_NOTEBOOKS / n for n in NOTEBOOK_FILES]
    shipped += [PACKAGE_SCHEMAS / f for f in SCHEMA_FILES.values()]
    missing = [p for p in shipped if not p.is_file()]
    if missing:  # a broken install: say so before anything is written
        raise ProjectError(
            "missing from the installed package", file=missing[0], hint="reinstall forecastkit"
        )
    files: dict[Path, bytes] = {
        target / CLAIMS / "authors.yaml": _AUTHORS_TEXT.encode(),
        target / CLAIMS / "questions.yaml": _QUESTIONS_TEXT.encode(),
        target / CLAIMS / "outcomes" / "README.md": _OUTCOMES_README.encode(),
    }
    for name in NOTEBOOK_FILES:
        files[target / NOTEBOOKS / name] = (PACKAGE_NOTEBOOKS / name).read_bytes()
    for file in SCHEMA_FILES.values():
        files[target / SCHEMAS / file] = (PACKAGE_SCHEMAS / file).read_bytes()
    if (target / "README.md").exists():
        if notes is not None:
            notes.append("README.md: yours, kept (`forecastkit --help` lists the commands)")
    else:
        files[target / "README.md"] = _README_TEXT.format(name=target.name).encode()
    for name, text in ((".gitignore", _GITIGNORE_TEXT), (".gitattributes", _GITATTRIBUTES_TEXT)):
        merged = _merged(target / name, text)
        if merged is not None:
            files[target / name] = merged.encode()
            if notes is not None and (target / name).exists():
                notes.append(f"{name}: yours, forecastkit's lines appended")
    # The marker last: a folder whose init was interrupted is not taken for a project.
    files[target / MARKER] = _MARKER_TEXT.format(scale=scale, policy=policy).encode()
    undo = _Undo()
    try:
        for sub in (target / CLAIMS / "outcomes", target / NOTEBOOKS, target / REPORTS):
            undo.mkdir(sub)
        undo.mkdir(target / SCHEMAS)
        for path, data in files.items():
            undo.write(path, data)
    except OSError as exc:
        undo.undo()
        raise ProjectError(
            f"could not be written ({exc.strerror or exc}); nothing was left behind", file=target
        ) from None
    return target


# --------------------------------------------------------------------------------------------
# git: the nbstripout filter that .gitattributes names


def configure_nbstripout(root: str | os.PathLike[str]) -> str:
    """Set the nbstripout filter that the project's ``.gitattributes`` names, when the project
    lies in a git work tree whose ``.git/config`` has none yet and nbstripout is installed (it
    runs ``python -m nbstripout --install --attributes .gitattributes``, which leaves the
    attributes as init wrote them). Returns one line for the user: what was done, or how to
    do it (outside a repository, or without nbstripout). Never raises: git is optional."""
    root = Path(root)
    how = "nbstripout --install --attributes .gitattributes"

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )

    try:
        inside = git("rev-parse", "--is-inside-work-tree").stdout.strip() == "true"
        if not inside:
            return f"git: after `git init`, run `{how}` once (pip install nbstripout)"
        if git("config", "--get", "filter.nbstripout.clean").stdout.strip():
            return "git: the nbstripout filter is already set in this repository"
        if importlib.util.find_spec("nbstripout") is None:
            return f"git: run `pip install nbstripout && {how}` once"
        done = subprocess.run(
            [sys.executable, "-m", "nbstripout", "--install", "--attributes", ".gitattributes"],
            cwd=root,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return f"git: not found; once the project is in git, run `{how}`"
    if done.returncode != 0:
        return f"git: the nbstripout filter could not be set; run `{how}`"
    return "git: nbstripout filter set in this repository's config (notebook outputs stay out)"
