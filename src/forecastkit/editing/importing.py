"""Import forecasts kept elsewhere (a forecasting platform's export) as a tabular claim file.

The input has one row per forecast: question text, forecaster, probability, when it was made,
the question's deadline and (when resolved) its outcome. Columns are found by common names
(:data:`DEFAULT_COLUMNS`, compared without case, spaces or underscores) or named with
``mapping={"forecaster": "user_name", ...}``. The result is ``claims/<name>.csv`` (or
``.parquet``): one claim per row, one source and one question per question of the export
(so a forecaster's repeated forecasts on it are that forecaster's updates), and every forecaster added to
``authors.yaml``, so that ``score`` and ``report`` use it like any other part of the corpus.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forecastkit.editing.export_columns import (
    DEFAULT_COLUMNS,
    REQUIRED_FIELDS,
    check_source_file,
    find_columns,
    read_forecasts,
)
from forecastkit.editing.import_table import build_claim_table, claimant_keys
from forecastkit.editing.import_write import write_import
from forecastkit.errors import ClaimFileError, EditError, ParameterError

__all__ = [
    "DEFAULT_COLUMNS",
    "REQUIRED_FIELDS",
    "ImportResult",
    "build_claim_table",
    "find_columns",
    "import_forecasts",
    "read_forecasts",
    "write_import",
]


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_forecasts` wrote."""

    file: Path
    claims: int
    sources: int
    forecasters: int
    authors_added: int
    resolved: int

    @property
    def message(self) -> str:
        from forecastkit.records.wording import counted

        return (
            f"imported {counted(self.claims, 'forecast')} on {counted(self.sources, 'question')}"
            f" by {counted(self.forecasters, 'forecaster')} ({self.resolved:,} resolved) into "
            f"{self.file}; added {counted(self.authors_added, 'author')} to authors.yaml"
        )


def import_forecasts(
    file: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    name: str | None = None,
    mapping: dict[str, str] | None = None,
    publisher: str | None = None,
    output_format: str | None = None,
    percent: bool = False,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import a forecasting platform's export into the corpus as a tabular claim file.

    Parameters
    ----------
    file:
        The export: CSV or Parquet, one row per forecast.
    fmt:
        ``csv`` or ``parquet`` (default: from the suffix).
    name:
        Name of the claim file and prefix of ids (default: the file's name), ``[a-z0-9-]``.
    mapping:
        Field → column overrides (fields: :data:`DEFAULT_COLUMNS`).
    publisher:
        Publisher of the questions (default: ``name``).
    output_format:
        ``csv`` or ``parquet`` (default: as the input).
    percent:
        The probability column holds percentages.
    path:
        The corpus folder (default: the project's ``claims/``).

    Raises
    ------
    ForecastkitError
        For an unreadable file, a missing column, a bad row (with its line), a name that is
        taken or an id that already exists in the corpus; nothing is written then.
    """
    from forecastkit.editing.authors import author_entry
    from forecastkit.editing.edit import slugify
    from forecastkit.records.layout import ID_PATTERN
    from forecastkit.records.paths import resolve_corpus_path
    from forecastkit.records.tabular import table_frames

    src = Path(file)
    root = resolve_corpus_path(path)
    today = today or dt.date.today()
    fmt = (fmt or src.suffix.lstrip(".")).lower()
    check_source_file(src, fmt)
    fmt = "parquet" if fmt == "pq" else fmt
    output_format = (output_format or fmt).lower()
    if output_format not in ("csv", "parquet"):
        raise ParameterError(
            f"unknown output format '{output_format}'", field="to", hint="use csv or parquet"
        )
    name = name or slugify(src.stem, 8)
    if not ID_PATTERN.match(name or ""):
        raise ParameterError(
            f"'{name}' is not a valid name",
            field="name",
            hint="use lower-case letters, digits and hyphens",
        )
    target = root / f"{name}.{output_format}"
    others = [root / f"{name}.{s}" for s in ("csv", "parquet") if (root / f"{name}.{s}").exists()]
    if others:
        raise EditError(
            "a claim file with this name exists",
            file=others[0],
            hint="imports never overwrite: give another --name",
        )

    raw = read_forecasts(src, fmt)
    if raw.empty:
        raise ClaimFileError("the file has no rows", file=src)
    columns = find_columns([str(c) for c in raw.columns], mapping)

    from forecastkit.records.corpus import check

    corpus, errors = check(root, today=today)
    if corpus is None:
        from forecastkit.errors import ValidationFailed

        raise ValidationFailed(errors)
    known = dict(zip(corpus.authors["claimant"], corpus.authors["name"], strict=True))
    names = raw[columns["forecaster"]].astype("string").fillna("").str.strip()
    keys, new = claimant_keys(list(dict.fromkeys(n for n in names if n)), known)
    table = build_claim_table(
        raw,
        columns,
        name=name,
        publisher=publisher or name,
        author_keys=keys,
        source=src,
        today=today,
        percent=percent,
    )
    checked = table_frames(table, target)
    affiliation = publisher or name
    entries: dict[str, Any] = {
        key: author_entry(n, "person", affiliation) for n, key in new.items()
    }
    write_import(corpus, table, target, entries, root)
    return ImportResult(
        file=target,
        claims=len(checked.claims),
        sources=len(checked.sources),
        forecasters=len(keys),
        authors_added=len(entries),
        resolved=len(checked.outcomes),
    )
