"""Cells as trackers write them: lists (``['Politics', 'AI']``, ``[0.1, None, 0.9]``) and the
stable ids of questions that have none."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd


def list_cells(values: pd.Series) -> pd.Series:
    """``['Politics', 'AI']`` (a Python list as Metaculus writes it) or ``a, b`` → lists.

    Rows with the same cell share one list (read them, do not change them in place).
    """
    text = values.astype("string").fillna("").str.strip()
    codes, uniques = pd.factorize(text, sort=False)  # parsed once per distinct value
    parsed = np.empty(len(uniques), dtype=object)
    for i, cell in enumerate(uniques):
        items = [t.strip().strip("'\"").strip() for t in str(cell).strip("[]").split(",")]
        items = [t for t in items if t]
        parsed[i] = items if items else pd.NA
    cells = parsed[codes] if len(codes) else np.empty(0, dtype=object)
    return pd.Series(cells, index=values.index, dtype=object)


def hash_ids(*parts: pd.Series) -> pd.Series:
    """Stable question ids from a question's title and creation time (as Fatebook's import does)."""
    joined = parts[0].astype("string").fillna("")
    for p in parts[1:]:
        joined = joined + "\x1f" + p.astype("string").fillna("")
    h = pd.util.hash_pandas_object(joined, index=False).to_numpy(dtype=np.uint64)
    return pd.Series([f"fb-{v:016x}" for v in h.tolist()], index=joined.index, dtype="string")


def parse_number_lists(cells: pd.Series) -> list[list[float | None]]:
    """Cells holding a list as Python writes it (``[0.1, None, 0.9]``), parsed in one call."""
    text = cells.astype("string").fillna("").str.strip()
    text = text.str.replace(r"\bNone\b", "null", regex=True).str.replace(r"\bnan\b", "null")
    text = text.where(text != "", "null")
    try:
        parsed = json.loads("[" + ",".join(text.tolist()) + "]")
    except ValueError:
        parsed = []
        for cell in text.tolist():
            try:
                parsed.append(json.loads(cell))
            except ValueError:
                parsed.append("bad")
    return [v if isinstance(v, list) else None for v in parsed]


_LIST_ITEM = re.compile(r"""\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^,\[\]]+))\s*""")


def text_list(cell: str) -> list[str]:
    """``['Yes, sort of', 'No']`` (a list of strings as Python writes it) -> its items."""
    body = str(cell).strip()
    if not (body.startswith("[") and body.endswith("]")):
        return [t.strip() for t in body.split(",") if t.strip()]
    items = []
    for m in _LIST_ITEM.finditer(body[1:-1]):
        value = next((g for g in m.groups() if g is not None), None)
        if value is not None and value.strip():
            items.append(value.replace("\\'", "'").replace('\\"', '"').strip())
    return items
