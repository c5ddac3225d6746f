"""A warm cache of the loaded corpus: a repeated command skips reading the claim files.

After a fresh load finds no error, the corpus tables are written into one file under
the project's ``.forecastkit/cache/`` (``records/paths.py``; a corpus outside a project is not
cached), as Arrow IPC (the format pyarrow reads back without decoding; Parquet took 8 times longer
for the 62,500 claims of PredictionBook), with a manifest of every corpus file (path, size, ``mtime_ns``, SHA-256 of the
content), the forecastkit version and the cache format. The next load uses the file only when

- every corpus file is still there with the same size, and the same ``mtime_ns`` or else the
  same content hash (a file written within :data:`RACY_NS` of the cache is always hashed: a
  change within one tick of the clock keeps its ``mtime_ns``), and no file was added;
- the forecastkit version, the cache format, the working directory (paths in the tables are
  shown relative to it) and the corpus folder are the same;
- the day is not before the day the corpus was checked (every date rule is "not after today",
  so a corpus valid on a day stays valid on every later day);
- the file reads back whole: its header parses and every part matches its CRC-32.

Anything else is a miss: the corpus is read fresh and the cache rewritten. Writes go to a
temporary file in the same folder, then :func:`os.replace`: a reader sees the old file or the
new one, never half of one. A failed write leaves the old file (still checked against the
files) or none; a failed read is a miss, never an error for the user. The read-only commands
write it on another thread, beside their own work, from copies of the tables (``behind``), and
wait for that write when they end. ``FORECASTKIT_CACHE=0`` turns the cache off. Commands that
write the corpus never use it (``editing/edit.py`` reads fresh under the lock).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import struct
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

#: Turns the cache off when ``0`` (also ``false``, ``no``, ``off``).
ENV = "FORECASTKIT_CACHE"
#: Bumped whenever what the cache holds or how changes.
FORMAT = 1
#: A file modified this close to the cache's snapshot (or after) is hashed on every read.
RACY_NS = 2_000_000_000
#: How many cache files (one per corpus and working directory) a project keeps.
KEEP = 8
_MAGIC = b"FKCACHE\n"
_TABLES = ("claims", "outcomes", "evidence", "sources", "authors", "questions", "forecast_points")
_TUPLE_COLUMNS = {"claims": ("tags",), "questions": ("tags", "options")}


def enabled(wanted: bool) -> bool:
    """Whether a load that asks for the cache (``wanted``) gets it: not when the environment
    turns it off."""
    return wanted and os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def cache_dir(root: Path) -> Path | None:
    """``<project>/.forecastkit/cache`` of the project holding the corpus folder ``root``, or
    None when no ``forecastkit.toml`` is at or above it."""
    from forecastkit.records.paths import MARKER, STATE

    here = root.resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder / STATE / "cache"
    return None


def _entry(root: Path) -> Path | None:
    folder = cache_dir(root)
    if folder is None:
        return None
    key = f"{root.resolve()}\0{Path.cwd().resolve()}".encode()
    return folder / f"corpus-{hashlib.sha256(key).hexdigest()[:16]}.fkc"


def _code_stamp() -> str:
    """The forecastkit version and the newest change to the loader's code (a checkout being
    edited has one version and many loaders). The version is the package's own
    ``__version__``: asking the installed metadata imported ``importlib.metadata`` and
    ``email`` and read the dist-info, 15 ms of every command that uses the cache. It is read
    from the loaded package, not imported: the package root is above the wings
    (docs/architecture.md), and this module is only ever loaded as part of it."""
    import sys

    version = getattr(sys.modules.get("forecastkit"), "__version__", "source")
    here = Path(__file__).resolve().parent
    newest = max(p.stat().st_mtime_ns for p in here.glob("*.py"))
    return f"{version}+{newest}"


# --------------------------------------------------------------------------------------------
# The files of a corpus


def _scan(root: Path) -> tuple[list[Path], tuple[Path, ...]]:
    from forecastkit.records.layout import corpus_files, outside_links

    return list(corpus_files(root).all()), outside_links(root)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read a megabyte at a time."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def snapshot(root: Path) -> dict[str, Any] | None:
    """The corpus files as the cache keys them, taken before a fresh load; None when the corpus
    cannot be cached (no project, or a link out of the corpus)."""
    entry = _entry(root)
    if entry is None:
        return None
    taken = time.time_ns()
    files, outside = _scan(root)
    if outside:
        return None
    listed = []
    for p in files:
        st = p.stat()
        listed.append([str(p.relative_to(root)), st.st_size, st.st_mtime_ns])
    # hashing releases the GIL: the digests are computed beside the load, on another core
    digests: list[str] = []
    worker = threading.Thread(
        target=lambda: digests.extend(file_digest(p) for p in files), daemon=True
    )
    worker.start()
    return {"entry": str(entry), "taken_ns": taken, "files": listed, "_digests": (worker, digests)}


def _unchanged(root: Path, listed: list[list[Any]], taken_ns: int) -> bool:
    """Whether the corpus files are the ``listed`` ones, with the same contents."""
    files, outside = _scan(root)
    if outside or len(files) != len(listed):
        return False
    for p, (rel, size, mtime, digest) in zip(files, listed, strict=True):
        if str(p.relative_to(root)) != rel:
            return False
        st = p.stat()
        if st.st_size != size:
            return False
        racy = mtime >= taken_ns - RACY_NS
        if (st.st_mtime_ns != mtime or racy) and file_digest(p) != digest:
            return False
    return True


# --------------------------------------------------------------------------------------------
# Reading and writing


def read(root: Path, today: dt.date) -> dict[str, Any] | None:
    """The cached corpus of ``root`` (tables, ``files``, ``candidates``) when it is fresh for
    ``today``; None otherwise (a miss, whatever the reason)."""
    entry = _entry(root)
    if entry is None:
        return None
    wait()  # a write of this process still running: its file, not the one before
    try:
        blob = entry.read_bytes()
    except OSError:
        return None
    try:
        header, parts = _unpack(blob)
        if (
            header["format"] != FORMAT
            or header["code"] != _code_stamp()
            or header["root"] != str(root.resolve())
            or header["cwd"] != str(Path.cwd().resolve())
            or dt.date.fromisoformat(header["checked_on"]) > today
            or not _unchanged(root, header["files"], header["taken_ns"])
        ):
            return None
        tables: dict[str, pd.DataFrame] = {}
        for name in _TABLES:  # claims first: the points' claim_id is a category of its ids
            ids = tables["claims"]["claim_id"] if "claims" in tables else None
            tables[name] = _frame(parts[name], header, name, ids)
    except Exception:  # noqa: BLE001 - a cache that does not read back is a miss, whatever broke
        return None
    return {
        **tables,
        "files": tuple(Path(p) for p in header["corpus_files"]),
        "candidates": dict(header["candidates"]),
    }


def write(
    snap: dict[str, Any] | None, corpus: Any, today: dt.date, *, behind: bool = False
) -> None:
    """Write ``corpus`` (a fresh load without errors) for the files of ``snap``; nothing when
    a file changed while it was read, and never an error (the next load reads fresh).

    ``behind``: write it on another thread, beside the caller's own work (a command's export
    or scores), from copies of the tables taken now (the caller may change its own); the
    file appears whole or not at all, as ever. :func:`wait` waits for it: the command line
    does when a command ends, and :func:`read` does first.
    """
    if snap is None:
        return
    try:
        tables = {name: getattr(corpus, name) for name in _TABLES}
        if behind:
            tables = {name: frame.copy(deep=True) for name, frame in tables.items()}
        where = {
            "code": _code_stamp(),
            "root": str(Path(corpus.root).resolve()),
            "cwd": str(Path.cwd().resolve()),
            "corpus_files": [str(p) for p in corpus.files],
            "candidates": dict(corpus.candidates),
        }
    except Exception:  # noqa: BLE001 - a cache that cannot be written is no cache
        return
    job = functools.partial(_write, snap, Path(corpus.root), tables, where, today)
    if not behind:
        job()
        return
    worker = threading.Thread(target=job, name="forecastkit-cache-write")
    with _LOCK:
        _PENDING.append(worker)
    worker.start()


def wait() -> None:
    """Wait for the cache writes started with ``behind`` (:func:`write`) to end."""
    while True:
        with _LOCK:
            if not _PENDING:
                return
            worker = _PENDING.pop(0)
        worker.join()


#: The cache writes running beside the command (``write(..., behind=True)``).
_PENDING: list[threading.Thread] = []
_LOCK = threading.Lock()


def _write(
    snap: dict[str, Any],
    root: Path,
    tables: dict[str, pd.DataFrame],
    where: dict[str, Any],
    today: dt.date,
) -> None:
    try:
        again = [[str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns]
                 for p in _scan(root)[0]]  # fmt: skip
        worker, digests = snap["_digests"]
        worker.join()
        if again != snap["files"] or len(digests) != len(again):
            return  # changed under the load: what was read may be neither version
        parts, dtypes, categories = {}, {}, {}
        for name, frame in tables.items():
            dtypes[name] = {str(c): str(t) for c, t in frame.dtypes.items()}
            parts[name] = _arrow(frame, name)
            for col, dtype in frame.dtypes.items():
                if str(dtype) == "category":  # the points' claim ids: the claims' (forms.py)
                    many = len(dtype.categories) > 1000
                    categories[f"{name}.{col}"] = None if many else dtype.categories.tolist()
        header = {
            "format": FORMAT,
            "code": where["code"],
            "root": where["root"],
            "cwd": where["cwd"],
            "checked_on": today.isoformat(),
            "taken_ns": snap["taken_ns"],
            "files": [[*f, d] for f, d in zip(snap["files"], digests, strict=True)],
            "corpus_files": where["corpus_files"],
            "candidates": where["candidates"],
            "dtypes": dtypes,
            "categories": categories,
        }
        entry = Path(snap["entry"])
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".fkc")
        try:
            with os.fdopen(fd, "wb") as f:
                f.writelines(_pack(header, parts))
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(entry.parent)
    except Exception:  # noqa: BLE001, S110 - a cache that cannot be written is no cache
        pass


def _prune(folder: Path) -> None:
    """Keep the :data:`KEEP` newest cache files (and no temporary file older than an hour)."""
    entries = sorted(folder.glob("corpus-*.fkc"), key=lambda p: p.stat().st_mtime_ns)
    for p in entries[:-KEEP]:
        p.unlink(missing_ok=True)
    for p in folder.glob(".tmp-*.fkc"):
        if time.time() - p.stat().st_mtime > 3600:
            p.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# The file: magic, header length, JSON header (with each part's offset, length and CRC-32),
# then the parts, each an Arrow IPC file of one table


def _pack(header: dict[str, Any], parts: dict[str, Any]) -> list[Any]:
    """The file's pieces in order, each written as it is: the parts (Arrow buffers) are not
    copied into one bytes object first (15 MB of PredictionBook's tables, twice)."""
    offset, index = 0, {}
    for name, data in parts.items():
        size = memoryview(data).nbytes
        index[name] = [offset, size, zlib.crc32(data)]
        offset += size
    head = json.dumps({**header, "parts": index}).encode()
    return [_MAGIC, struct.pack("<Q", len(head)), head, *parts.values()]


def _unpack(blob: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    if not blob.startswith(_MAGIC):
        raise ValueError("not a forecastkit cache")
    start = len(_MAGIC) + 8
    (size,) = struct.unpack("<Q", blob[len(_MAGIC) : start])
    header = json.loads(blob[start : start + size])
    body = memoryview(blob)[start + size :]
    total = sum(length for _, length, _ in header["parts"].values())
    if len(body) != total:
        raise ValueError("truncated")
    parts = {}
    for name, (offset, length, crc) in header["parts"].items():
        data = body[offset : offset + length]
        if zlib.crc32(data) != crc:
            raise ValueError(f"part {name} is corrupt")
        parts[name] = data
    return header, parts


def _arrow(frame: pd.DataFrame, name: str) -> Any:
    """The table as an Arrow IPC file, in an Arrow buffer (bytes-like)."""
    import pyarrow as pa

    out = frame.copy(deep=False)
    for col in _TUPLE_COLUMNS.get(name, ()):  # tuples of text: one text each, parts split back
        out[col] = out[col].map(_SEP.join).astype("string")
    table = pa.Table.from_pandas(out, preserve_index=False)
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _frame(data: memoryview, header: dict[str, Any], name: str, claim_ids: Any) -> pd.DataFrame:
    import pyarrow as pa

    frame = pa.ipc.open_file(pa.BufferReader(data)).read_all().to_pandas()
    dtypes = header["dtypes"][name]
    if list(frame.columns) != list(dtypes):
        raise ValueError("columns differ")
    for col in _TUPLE_COLUMNS.get(name, ()):
        codes, texts = pd.factorize(frame[col])
        parts = [tuple(t.split(_SEP)) if t else () for t in texts]
        frame[col] = pd.Series(parts + [()], dtype=object).to_numpy()[codes]
    for col, dtype in dtypes.items():
        if dtype == "category":
            known = header["categories"][f"{name}.{col}"]
            if known is None:
                known = pd.unique(pd.Series(claim_ids.tolist(), dtype=object))
            frame[col] = pd.Categorical(frame[col], categories=known)
        elif str(frame[col].dtype) != dtype:
            frame[col] = frame[col].astype(dtype)
        if str(frame[col].dtype) != dtype:
            raise ValueError(f"{name}.{col} reads back as {frame[col].dtype}, not {dtype}")
    return frame


_SEP = "\x1f"  # the ASCII unit separator: never in a tag or an option
