"""``forecastkit init``: make a ready project folder (docs/own-project.md).

```
forecastkit.toml      the project marker, with the default scale and policy
claims/authors.yaml   empty registries, with comments on their fields
claims/questions.yaml
claims/outcomes/
notebooks/            copies of the package's report notebooks, the user's to change
reports/              generated reports
README.md             the everyday commands
.gitignore            reports' notebooks, caches (.forecastkit/), lock files
.gitattributes        notebooks pass through the nbstripout filter (outputs never reach git)
```
Everything is checked first and then written; a folder that is a file, cannot be written, or
already holds a project or a corpus gives one :class:`~forecastkit.errors.ProjectError` and is
left as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from forecastkit.errors import ProjectError
from forecastkit.records.atomic import write_text_atomic
from forecastkit.records.paths import (
    CLAIMS,
    MARKER,
    NOTEBOOKS,
    PACKAGE_NOTEBOOKS,
    REPORTS,
    STATE,
)

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
"""

_README_TEXT = """\
# {name}: a forecast tracker

Made with `forecastkit init`. The claims in `claims/` are the record; everything else is made
from them.

    forecastkit add author jane-doe --name "Jane Doe"      # a claimant
    forecastkit add claim                                  # a claim, asked for field by field
    forecastkit extract article.txt --write                # claims found in an article
    forecastkit resolve CLAIM-ID --verdict true --evidence URL
    forecastkit validate                                   # check every file
    forecastkit score                                      # the league table
    forecastkit report                                     # reports/index.html
    forecastkit lab                                        # JupyterLab on notebooks/explore.ipynb

`notebooks/` holds this project's copies of the report notebooks: change them as you like
(`forecastkit report` runs them; delete one to use the package's own again). Run
`forecastkit --help` for every command.
"""

_GITIGNORE_TEXT = """\
# forecastkit: generated reports' notebooks, caches and lock files stay out of git
/reports/*.ipynb
/reports/manifest.json
{state}/
*.lock
.ipynb_checkpoints/
__pycache__/
"""

_GITATTRIBUTES_TEXT = """\
# Notebook outputs never reach git. The filter itself lives in .git/config: run once
#   nbstripout --install --attributes .gitattributes
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
    existing = [p for p in (CLAIMS, NOTEBOOKS, REPORTS, "authors.yaml") if (target / p).exists()]
    if existing:
        raise ProjectError(
            f"already holds {existing[0]}",
            file=target,
            hint="init only into a new or empty folder; nothing was changed",
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


def init_project(
    folder: str | os.PathLike[str] = ".", *, scale: str = "icd203", policy: str = "time-weighted"
) -> Path:
    """Make a ready project in ``folder`` (created when missing; it must hold no project, no
    corpus, no ``notebooks/`` or ``reports/``). Returns the project root.

    Raises
    ------
    ProjectError
        ``folder`` is a file, cannot be written, lies inside another project, or already holds
        a project or a corpus; nothing is written then.

    Examples
    --------
    >>> root = init_project(tmp / "tracker")  # doctest: +SKIP
    >>> sorted(p.name for p in root.iterdir())  # doctest: +SKIP
    ['.gitattributes', '.gitignore', 'README.md', 'claims', 'forecastkit.toml', 'notebooks', 'reports']
    """
    target = Path(folder).expanduser().resolve()
    _check_target(target)
    missing = [n for n in NOTEBOOK_FILES if not (PACKAGE_NOTEBOOKS / n).is_file()]
    if missing:  # a broken install: say so before anything is written
        raise ProjectError(
            "report notebook missing from the installed package",
            file=PACKAGE_NOTEBOOKS / missing[0],
            hint="reinstall forecastkit",
        )
    try:
        for sub in (target / CLAIMS / "outcomes", target / NOTEBOOKS, target / REPORTS):
            sub.mkdir(parents=True, exist_ok=True)
        files = {
            target / CLAIMS / "authors.yaml": _AUTHORS_TEXT,
            target / CLAIMS / "questions.yaml": _QUESTIONS_TEXT,
            target / CLAIMS / "outcomes" / "README.md": _OUTCOMES_README,
            target / "README.md": _README_TEXT.format(name=target.name),
            target / ".gitignore": _GITIGNORE_TEXT.format(state=STATE),
            target / ".gitattributes": _GITATTRIBUTES_TEXT,
        }
        for path, text in files.items():
            write_text_atomic(path, text)
        for name in NOTEBOOK_FILES:
            shutil.copyfile(PACKAGE_NOTEBOOKS / name, target / NOTEBOOKS / name)
        # The marker last: a folder whose init was interrupted is not taken for a project.
        write_text_atomic(target / MARKER, _MARKER_TEXT.format(scale=scale, policy=policy))
    except OSError as exc:
        raise ProjectError(f"could not be written ({exc.strerror or exc})", file=target) from None
    return target
