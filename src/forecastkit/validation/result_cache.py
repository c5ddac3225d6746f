"""The result cache of the GX layer: a repeated ``forecastkit validate`` of the same corpus, with
the same suites, reads back the run that passed instead of running Great Expectations again.

GX's verdict is a function of what it is handed and of the code that judges it. A passed run
is recorded under a key, the SHA-256 of all of that:

- the frames GX validated (:func:`forecastkit.validation.expectations.prepare`: the columns
  its rules read, as an Arrow IPC stream: names, types and every value) and the sets of known
  ids filled in, so a table changed in a notebook is a miss like a changed file;
- the content (SHA-256) of every corpus file (claim files, tables, outcome logs, registries),
  so any change to one is a miss, even one no rule reads;
- the suites: every rule's table, expectation, arguments and message; the source of this
  wing (``validation/*.py``, which builds the expectations GX runs) and the package's JSON
  Schemas (``records/schemas/*.json``);
- the versions of forecastkit, Great Expectations, pandas, numpy, pyarrow and Python.

Only a run in which every expectation was met is recorded (a failure is never served from the
cache: its lines need GX's rows), and never one that wrote Data Docs, which need GX's own
results. The rules compare dates only as ``max_value: today`` ("not in the future"), so a
corpus that met them on a day meets them on every later day: a recorded run serves the days
from the one it ran on, never an earlier ``--today``. Should a rule ever use ``today``
otherwise, the day becomes part of the key.

The record is one JSON file per corpus folder in the project's ``.forecastkit/cache/`` (beside
the corpus cache of :mod:`forecastkit.records.cache`), with its key and a SHA-256 of its
content. It is written to a temporary file, flushed to disk, then renamed over the old one: a
failed write leaves the old record (whose key is another corpus's or this very one's) or none.
A record that does not parse, whose checksum or key differs, or that ran after today, is a miss;
a miss runs GX. ``forecastkit validate --no-cache`` (or ``FORECASTKIT_CACHE=0``) reads no cache
at all, and a corpus outside a project has none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forecastkit.records import cache as corpus_cache
from forecastkit.records.layout import corpus_files
from forecastkit.records.paths import PACKAGE_SCHEMAS
from forecastkit.records.rules import Rule
from forecastkit.validation.results import ExpectationReport, ExpectationResult

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from forecastkit.validation.expectations import Prepared

#: Bumped whenever what a record holds, or what its key covers, changes.
FORMAT = 1
_WING = Path(__file__).resolve().parent
_PACKAGES = ("forecastkit", "great_expectations", "pandas", "numpy", "pyarrow")


@dataclass(frozen=True)
class Slot:
    """Where the record of one corpus's GX run lives, and the key a record must carry."""

    path: Path
    key: str
    today: dt.date
    monotone: bool  # a pass stays a pass on later days

    @classmethod
    def of(cls, inputs: Prepared) -> Slot | None:
        """The slot of ``inputs``' corpus, or None: no project, the cache turned off, or inputs
        that cannot be keyed (then GX runs, and nothing is recorded)."""
        if not corpus_cache.enabled(True):
            return None
        root = Path(inputs.corpus.root).resolve()
        folder = corpus_cache.cache_dir(root)
        if folder is None:
            return None
        monotone = today_only_as_max(inputs.rules)
        try:
            key = _key(inputs, root, None if monotone else inputs.today.date())
        except Exception:  # noqa: BLE001 - inputs we cannot key are run, never guessed at
            return None
        name = hashlib.sha256(str(root).encode()).hexdigest()[:16]
        return cls(folder / f"gx-{name}.json", key, inputs.today.date(), monotone)

    def read(self) -> ExpectationReport | None:
        """The recorded report when the record is whole, has this key and fits today."""
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
            body = record["body"]
            if record["checksum"] != _checksum(body):
                return None
            ran_on = dt.date.fromisoformat(body["ran_on"])
            if body["format"] != FORMAT or body["key"] != self.key:
                return None
            if ran_on > self.today or (not self.monotone and ran_on != self.today):
                return None
            results = tuple(
                ExpectationResult(table, expectation, tuple(columns), True, 0, rule=int(rule))
                for table, expectation, columns, rule in body["results"]
            )
        except Exception:  # noqa: BLE001 - a record that does not read back is a miss
            return None
        return ExpectationReport(results, reused_from=ran_on.isoformat()) if results else None

    def write(self, report: ExpectationReport) -> None:
        """Record ``report`` when every expectation was met (else forget any record); never an
        error: a record that cannot be written is no record, and GX runs next time."""
        try:
            if not report.success or report.data_docs is not None or not report.results:
                self.path.unlink(missing_ok=True)
                return
            body = {
                "format": FORMAT,
                "key": self.key,
                "ran_on": self.today.isoformat(),
                "results": [
                    [r.table, r.expectation, list(r.columns), r.rule] for r in report.results
                ],
            }
            text = json.dumps({"body": body, "checksum": _checksum(body)})
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except Exception:  # noqa: BLE001, S110 - see the docstring
            pass


def today_only_as_max(rules: Sequence[Rule]) -> bool:
    """Whether ``today`` is only ever an upper bound (``max_value``) of the rules: then a corpus
    that meets them on one day meets them on every later day."""
    for rule in rules:
        for name, value in rule.kwargs.items():
            if isinstance(value, Mapping) and value.get("$PARAMETER") == "today":
                if name != "max_value":
                    return False
    return True


def _checksum(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _key(inputs: Prepared, root: Path, day: dt.date | None) -> str:
    """The SHA-256 of everything GX's verdict depends on (see the module docstring)."""
    h = hashlib.sha256()

    def part(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    part("format", str(FORMAT).encode())
    part("day", (day.isoformat() if day else "").encode())
    part(
        "versions",
        json.dumps([_version(p) for p in _PACKAGES] + [platform.python_version()]).encode(),
    )
    for path in sorted(_WING.glob("*.py")) + sorted(PACKAGE_SCHEMAS.glob("*.json")):
        part(f"code {path.name}", path.read_bytes())
    part(
        "rules",
        repr([(r.table, r.expectation, dict(r.kwargs), r.message) for r in inputs.rules]).encode(),
    )
    params = {k: v for k, v in inputs.params.items() if k != "today"}
    part("params", json.dumps(params, sort_keys=True).encode())
    for path in corpus_files(root).all():
        part(f"file {path.relative_to(root).as_posix()}", corpus_cache.file_digest(path).encode())
    for (table, typed), frame in inputs.frames.items():
        part(f"frame {table} {typed}", _frame_bytes(frame))
    return h.hexdigest()


def _version(package: str) -> str:
    try:
        return f"{package} {version(package)}"
    except PackageNotFoundError:
        return f"{package} (source)"


def _frame_bytes(frame: pd.DataFrame) -> Any:
    """``frame`` as an Arrow IPC stream: its schema (names, types, pandas' dtypes) and values.
    The same bytes are the same frame; the same frame in other chunks is a miss, never a hit."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=True)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return memoryview(sink.getvalue())
