"""The corpus folder's layout: which file is what. Pandas-free, so editing commands start fast.

```
claims/authors.yaml        the authors registry
claims/questions.yaml      the questions registry (optional): questions several claims forecast
claims/outcomes/*.yaml     outcome logs
claims/**/*.yaml           claim files (one per source article)
claims/**/*.csv|parquet    tabular claim files (imports)
```
Hidden files and folders (``.git``, editor swap files) are ignored, and so are links that lead
out of the corpus folder (:func:`outside_links` lists them, so the loader can say so): a corpus is
often a shared repository, and a link to ``/etc/passwd`` must not be read or echoed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUTHORS_FILE = "authors.yaml"
QUESTIONS_FILE = "questions.yaml"
OUTCOMES_DIR = "outcomes"
YAML_SUFFIXES = (".yaml", ".yml")
TABULAR_SUFFIXES = (".csv", ".parquet")
#: Longest id or claimant key: ids become file names (``<source id>.yaml``, ``<key>.html``),
#: which most file systems cap at 255 bytes. The JSON Schemas say the same (``maxLength``).
MAX_ID_LENGTH = 100
#: Source and claim ids, claimant keys: lower-case letters, digits and hyphens.
ID_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{MAX_ID_LENGTH - 1}}}$")
ID_HINT = f"use lower-case letters, digits and hyphens (at most {MAX_ID_LENGTH}), e.g. park-min-hee"
#: Claimant keys a report output already uses (``reports/overview.html``, ``index``, the manifest).
RESERVED_KEYS = ("overview", "index", "manifest")


@dataclass(frozen=True)
class CorpusFiles:
    """The files of a corpus folder, each list sorted by path."""

    authors: Path | None
    claim_files: tuple[Path, ...]
    tabular: tuple[Path, ...]
    outcome_logs: tuple[Path, ...]
    questions: Path | None = None

    def all(self) -> tuple[Path, ...]:
        """Every file of the corpus: registries, claim files, tables, logs."""
        registry = tuple(p for p in (self.authors, self.questions) if p)
        return (*registry, *self.claim_files, *self.tabular, *self.outcome_logs)


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link followed, lies within ``root`` (links followed too)."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # elsewhere, unreadable, or a link loop
        return False
    return True


def outside_links(root: Path) -> tuple[Path, ...]:
    """Files under ``root`` that are links to somewhere outside it (:func:`corpus_files` skips
    them), sorted."""
    return tuple(
        p
        for p in sorted(root.rglob("*"))
        if p.is_symlink()
        and not inside(p, root)
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def corpus_files(root: Path) -> CorpusFiles:
    """Sort the files under ``root`` into authors registry, claim files, tables and logs."""
    authors = root / AUTHORS_FILE
    questions = root / QUESTIONS_FILE
    outcome_dir = root / OUTCOMES_DIR
    claim_files, tabular, logs = [], [], []
    for p in sorted(root.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(root).parts):
            continue
        if p.is_symlink() and not inside(p, root):  # see outside_links
            continue
        suffix = p.suffix.lower()  # mine.CSV, as Excel names it, is a table too
        if suffix in YAML_SUFFIXES:
            if p not in (authors, questions):
                (logs if outcome_dir in p.parents else claim_files).append(p)
        elif suffix in TABULAR_SUFFIXES and outcome_dir not in p.parents:
            tabular.append(p)
    authors_ok = authors.is_file() and inside(authors, root)
    return CorpusFiles(
        authors if authors_ok else None,
        tuple(claim_files),
        tuple(tabular),
        tuple(logs),
        questions if questions.is_file() and inside(questions, root) else None,
    )


def booleans_to_text(data: Any) -> None:
    """``verdict: true`` and ``if_unmet: false`` parse as booleans; the schema wants text."""
    if not isinstance(data, dict):
        return
    for entry in data.get("outcomes") or []:
        if isinstance(entry, dict) and isinstance(entry.get("verdict"), bool):
            entry["verdict"] = str(entry["verdict"]).lower()
    for claim in data.get("claims") or []:
        cond = claim.get("condition") if isinstance(claim, dict) else None
        if isinstance(cond, dict) and isinstance(cond.get("if_unmet"), bool):
            cond["if_unmet"] = str(cond["if_unmet"]).lower()


def did_you_mean(value: str, known: Iterable[str]) -> str | None:
    """``did you mean 'x' or 'y'?`` for the nearest of ``known``, or ``None``."""
    near = difflib.get_close_matches(str(value), [str(k) for k in known], n=3, cutoff=0.6)
    return f"did you mean {' or '.join(repr(n) for n in near)}?" if near else None
