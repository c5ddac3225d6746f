"""The questions a load knows, by id: the registry's (``questions.yaml``) and those the tabular
claim files define (rows sharing an unregistered question id, docs/claim-format.md).

:class:`Registry` maps a question id to its entry, a dict of ``question_id, text, criteria,
resolve_by, tags, notes, registered, file, line`` and the type fields
(:data:`~forecastkit.records.question_types.TYPE_FIELDS`), for the stages that look questions up
one at a time (outcome logs, forecast forms, answers). A tracker's table defines thousands of
questions (18,537 on PredictionBook): those are kept as columns, an entry is made only for an id
looked up, and the stages that need every question (linking each claim to its question, the
questions table) read them column by column (:meth:`Registry.column`, :meth:`Registry.frame`);
a dict per question and a frame rebuilt from the dicts cost 0.4 s of a 2 s load.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.records.dates import DATE_DTYPE, to_seconds
from forecastkit.records.frames import positions, typed, typed_frame


@dataclass
class _Table:
    """The questions one tabular file defines, one row each: as its entries hold them."""

    names: list[str]
    position: dict[str, int]
    ids: pd.Series  # text
    text: pd.Series  # text
    criteria: pd.Series  # text, <NA> when none
    tags: np.ndarray  # tuples
    line: np.ndarray  # int64
    file: str
    #: The type fields, one list each, of the values their entries hold.
    types: dict[str, list[Any]]
    #: ``datetime64[s]``, NaT until :meth:`Registry.fill_resolve_by`.
    resolve_by: np.ndarray

    def entry(self, i: int) -> dict[str, Any]:
        criteria = self.criteria.iat[i]
        return {
            "question_id": self.names[i],
            "text": self.text.iat[i],
            "criteria": None if criteria is pd.NA else criteria,
            "resolve_by": self.day(i),
            "tags": self.tags[i],
            "notes": None,
            "registered": False,
            "file": self.file,
            "line": int(self.line[i]),
            **{f: values[i] for f, values in self.types.items()},
        }

    def day(self, i: int) -> Any:
        value = self.resolve_by[i]
        return None if np.isnat(value) else pd.Timestamp(value).date()

    def frame(self, columns: list[str]) -> pd.DataFrame:
        k = len(self.names)
        data: dict[str, Any] = {
            "question_id": self.ids.array,
            "text": self.text.array,
            "criteria": self.criteria.array,
            "resolve_by": self.resolve_by,
            "tags": self.tags,
            "notes": pd.array([], dtype="string").take(np.full(k, -1), allow_fill=True),
            "registered": np.zeros(k, dtype=bool),
            "file": pd.array([self.file], dtype="string").take(np.zeros(k, dtype=np.intp)),
            "line": self.line,
        }
        for f, values in self.types.items():  # item by item: tuples (options) stay whole
            data[f] = np.fromiter(values, dtype=object, count=k)
        return typed(pd.DataFrame({c: data[c] for c in columns}, columns=columns), "questions")


class Registry(Mapping[str, dict[str, Any]]):
    """The questions of a load by id: ``questions.yaml``'s entries, then each table's, in the
    order they were read. An entry of a table's question is made when it is looked up."""

    def __init__(self, entries: Mapping[str, dict[str, Any]] | None = None) -> None:
        self._entries: dict[str, dict[str, Any]] = dict(entries or {})
        self._tables: list[_Table] = []
        self._made: dict[str, dict[str, Any]] = {}

    def __getitem__(self, qid: str) -> dict[str, Any]:
        if qid in self._entries:
            return self._entries[qid]
        if qid in self._made:
            return self._made[qid]
        for table in self._tables:
            i = table.position.get(qid)
            if i is not None:
                entry = self._made[qid] = table.entry(i)
                return entry
        raise KeyError(qid)

    def __contains__(self, qid: object) -> bool:
        return qid in self._entries or any(qid in t.position for t in self._tables)

    def __iter__(self) -> Iterator[str]:
        yield from self._entries
        for table in self._tables:
            yield from table.names

    def __len__(self) -> int:
        return len(self._entries) + sum(len(t.names) for t in self._tables)

    def add_table(
        self,
        ids: pd.Series,
        text: pd.Series,
        criteria: pd.Series,
        tags: np.ndarray,
        line: np.ndarray,
        file: str,
        types: dict[str, list[Any]],
    ) -> None:
        """The questions a tabular file defines (ids not known yet), one row each."""
        names = ids.tolist()
        self._tables.append(
            _Table(
                names=names,
                position={q: i for i, q in enumerate(names)},
                ids=ids.astype("string").reset_index(drop=True),
                text=text.astype("string").reset_index(drop=True),
                criteria=criteria.astype("string").reset_index(drop=True),
                tags=np.asarray(tags, dtype=object),
                line=np.asarray(line, dtype=np.int64),
                file=file,
                types=types,
                resolve_by=np.full(len(names), np.datetime64("NaT"), dtype=DATE_DTYPE),
            )
        )

    def ids(self) -> pd.Series:
        """Every question id, in order, as text."""
        parts = [pd.Series(list(self._entries), dtype="string")] + [t.ids for t in self._tables]
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def column(self, name: str) -> Any:
        """One field of every question, in order: ``type`` (the text as written), ``text`` or
        ``resolve_by`` (``datetime64[s]``)."""
        entries = [e[name] for e in self._entries.values()]
        if name == "type":
            return np.array(
                entries + [v for t in self._tables for v in t.types[name]], dtype=object
            )
        if name == "text":
            texts = [pd.Series(entries, dtype="string")] + [t.text for t in self._tables]
            return pd.concat(texts, ignore_index=True).array
        if name == "resolve_by":
            days = [to_seconds(entries).to_numpy()] + [t.resolve_by for t in self._tables]
            return np.concatenate(days).astype(DATE_DTYPE)
        raise KeyError(name)

    def non_binary(self) -> dict[str, str]:
        """The type of each question that is not binary, by id."""
        out = {q: e["type"] for q, e in self._entries.items() if e["type"] != "binary"}
        for t in self._tables:
            out.update(
                (q, v) for q, v in zip(t.names, t.types["type"], strict=True) if v != "binary"
            )
        return out

    def fill_resolve_by(self, latest: pd.Series) -> None:
        """A question without ``resolve_by`` closes at the latest ``resolve_by`` of its claims
        (``latest``, by question id)."""
        for q, entry in self._entries.items():
            if entry["resolve_by"] is None and q in latest.index:
                entry["resolve_by"] = latest[q].date()
        days = latest.to_numpy().astype(DATE_DTYPE)
        for t in self._tables:
            pos = positions(t.ids, latest.index)
            fill = (pos >= 0) & np.isnat(t.resolve_by)
            t.resolve_by[fill] = days[pos[fill]]
            for q in set(self._made) & set(t.position):  # entries made before: as if mutated
                self._made[q]["resolve_by"] = t.day(t.position[q])

    def frame(self, columns: list[str]) -> pd.DataFrame:
        """Every question as a row of ``columns``, typed as the corpus's ``questions`` table:
        the frame of its entries."""
        parts = [typed_frame(list(self._entries.values()), columns, "questions")]
        parts = [p for p in parts if len(p)] + [t.frame(columns) for t in self._tables]
        if not parts:
            return typed_frame([], columns, "questions")
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
