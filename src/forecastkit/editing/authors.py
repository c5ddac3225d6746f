"""Add claimants to ``authors.yaml``."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from forecastkit.editing.edit import (
    AUTHOR_KINDS,
    Edit,
    check_new_entry,
    collector_paused,
    line_of_last,
    locked,
    new_file,
    read_for_edit,
    refuse_links_out,
    schema_header,
    write_checked,
)
from forecastkit.errors import (
    EditError,
)
from forecastkit.records.layout import AUTHORS_FILE, ID_HINT, ID_PATTERN, RESERVED_KEYS
from forecastkit.records.paths import resolve_corpus_path

# --------------------------------------------------------------------------------------------
# Authors


def author_entry(
    name: str,
    kind: str = "person",
    affiliation: str | None = None,
    aliases: Sequence[str] = (),
    notes: str | None = None,
) -> dict[str, Any]:
    """One authors-registry entry, checked (``name`` and ``kind`` are required)."""
    if not name or not str(name).strip():
        raise EditError("an author needs a name", field="author.name")
    if kind not in AUTHOR_KINDS:
        raise EditError(
            f"'{kind}' is not an author kind",
            field="author.kind",
            hint=f"use one of: {', '.join(AUTHOR_KINDS)}",
        )
    entry: dict[str, Any] = {"name": str(name).strip()}
    if affiliation:
        entry["affiliation"] = affiliation
    entry["kind"] = kind
    if aliases:
        entry["aliases"] = [str(a) for a in aliases]
    if notes:
        entry["notes"] = notes
    return entry


@collector_paused()
def add_authors(
    entries: Mapping[str, Mapping[str, Any]], path: str | os.PathLike[str] | None = None
) -> Edit:
    """Append several entries (key → :func:`author_entry`) to ``authors.yaml`` in one write."""
    from forecastkit.editing.yamledit import append_parsed

    root = resolve_corpus_path(path)
    refuse_links_out(root)
    file = root / AUTHORS_FILE
    for key in entries:
        if not ID_PATTERN.match(key):
            raise EditError(f"'{key}' is not a valid author key", field="author.key", hint=ID_HINT)
        if key in RESERVED_KEYS:
            raise EditError(
                f"'{key}' is a reserved key: the report for it would overwrite its report page",
                field="author.key",
                hint=f"choose another, e.g. {key}-1 (reserved: {', '.join(RESERVED_KEYS)})",
            )
    check_new_entry(
        {"authors": {k: dict(v) for k, v in entries.items()}}, "authors", "author", "authors"
    )
    with locked(file):
        if file.exists():
            fresh = read_for_edit(file, "authors")
        else:
            root.mkdir(parents=True, exist_ok=True)
            fresh = new_file(schema_header(root, root, "authors") + "\n", file)
        doc = append_parsed(fresh.doc, "authors", {k: dict(v) for k, v in entries.items()})
        write_checked(file, doc, fresh.bom, "authors")
    line = line_of_last(doc, "authors") if entries else 1
    keys = list(entries)
    what = keys[0] if len(keys) == 1 else f"{len(keys)} authors"
    return Edit(
        file=file,
        line=line,
        id=keys[0] if len(keys) == 1 else None,
        message=f"added {what} to {file}",
    )


def add_author(
    key: str,
    *,
    name: str,
    kind: str = "person",
    affiliation: str | None = None,
    aliases: Sequence[str] = (),
    notes: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> Edit:
    """Add one claimant or byline author to ``authors.yaml`` (round-trip safe).

    Raises
    ------
    ForecastkitError
        For an invalid or existing key, a missing name or an unknown kind.
    """
    return add_authors({key: author_entry(name, kind, affiliation, aliases, notes)}, path)
