"""What ``forecastkit resolve`` needs from the tabular claim files: the rows that forecast a
question (one a table defines, or one of ``questions.yaml``), the question's type fields when
a table defines it, and the outcome a table's own columns give it (its first entry).

Outcomes of a table's questions are logged in ``outcomes/<file stem>.yaml`` under ``question:``
like any other (docs/claim-format.md, "Tabular claim files"); a table is never rewritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: A claim on the question: (made_on, claim id, file, kind).
ClaimRow = tuple[dt.date | None, str, Path, str]
#: An outcome entry: (recorded_on, file name, file, label), as ``resolve._history`` gives.
Entry = tuple[dt.date, str, Path, str]


@dataclass
class TableQuestion:
    """The rows of the tabular files that forecast one question."""

    claims: list[ClaimRow] = field(default_factory=list)
    #: The question's type fields, from the first row that defines it (None: no row does).
    qdef: dict[str, Any] | None = None
    #: The tables' own outcome of the question (one entry per table that gives one).
    history: list[Entry] = field(default_factory=list)


def _mentions(path: Path, wanted: str) -> bool:
    """Whether a CSV file's text holds ``wanted`` (a Parquet file is always read)."""
    if path.suffix != ".csv":
        return True
    try:
        return wanted.encode("utf-8") in path.read_bytes()
    except OSError:
        return True  # let the reader say what is wrong with it


def _date(value: Any) -> dt.date | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _label(row: Any) -> str:
    """A table's outcome row in a message: its verdict, ``option medvedev`` or ``value 4``."""
    import pandas as pd

    for key in ("option", "value"):
        if not pd.isna(row[key]):
            return f"{key} {row[key]}"
    return str(row["verdict"])


def table_question(tables: tuple[Path, ...], question_id: str) -> TableQuestion:
    """The rows of ``tables`` whose ``question`` is ``question_id``, the type fields of the
    first row defining it, and each table's outcome entry for it (rows of one question agree:
    the loader collapses them into one entry)."""
    from forecastkit.records.tabular import read_claim_table

    found = TableQuestion()
    for p in tables:
        if not _mentions(p, question_id):
            continue
        t = read_claim_table(p)
        on = t.claims[(t.claims["question"] == question_id).fillna(False).to_numpy()]
        if not len(on):
            continue
        found.claims += [
            (_date(made), str(cid), p, str(kind))
            for made, cid, kind in zip(on["made_on"], on["claim_id"], on["kind"], strict=True)
        ]
        if found.qdef is None:
            found.qdef = next((t.qdefs[i] for i in on.index if i in t.qdefs), None)
        if found.qdef is None:  # a question with no type columns on its first row: yes/no
            from forecastkit.records.question_types import binary_fields

            found.qdef = binary_fields()
        found.history += table_history(t.outcomes, on["claim_id"], p)
    return found


def table_history(outcomes: Any, claim_ids: Any, path: Path) -> list[Entry]:
    """The first outcome row of ``claim_ids`` in a table's outcome rows, as one entry."""
    rows = outcomes[outcomes["claim_id"].isin(list(claim_ids)).to_numpy()]
    if not len(rows):
        return []
    first = rows.iloc[0]
    return [(_date(first["recorded_on"]) or dt.date.min, str(path), path, _label(first))]
