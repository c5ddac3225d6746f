"""The last step of every import: refuse ids the corpus has, add the new authors, write the claim
table under a lock, never over an existing file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from forecastkit.errors import CorpusError, EditError


def write_import(
    corpus: Any, table: pd.DataFrame, target: Path, authors: dict[str, Any], root: Path
) -> None:
    """The last step of every import: refuse ids the corpus has, add the new authors, then write
    the claim table under a lock, never over an existing file.

    Authors go first: an author nobody cites is harmless, a claim with an unknown author is not.
    """
    from forecastkit.editing.authors import add_authors
    from forecastkit.editing.edit import locked
    from forecastkit.records.tabular import write_claim_table

    taken = set(corpus.claims["claim_id"]) & set(table["id"])
    if taken:
        raise CorpusError(
            f"claim id '{sorted(taken)[0]}' is already in the corpus",
            field="name",
            hint="give another --name",
        )
    taken_sources = set(corpus.sources["source_id"]) & set(table["source_id"])
    if taken_sources:
        raise CorpusError(
            f"source id '{sorted(taken_sources)[0]}' is already in the corpus",
            field="name",
            hint="give another --name",
        )
    if authors:
        add_authors(authors, root)
    with locked(target):
        if target.exists():
            raise EditError(
                "a claim file with this name exists",
                file=target,
                hint="imports never overwrite: give another --name",
            )
        write_claim_table(table, target)
