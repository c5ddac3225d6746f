"""The process's memory while forecastkit builds many long-lived objects: Python's cyclic garbage
collector paused during a corpus load, a YAML parse, an edit (one mechanism for the three), and
the scratch memory of a cold load given back afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the length of a load, a parse or an edit (as a
    decorator, or ``with``); it runs as usual afterwards, and a pause inside a pause changes
    nothing.

    Parsing a YAML file builds a node tree and then its data: on a 4.5 MB claim file some
    600,000 objects that all live until the parse ends. Every 700 new objects the collector
    runs, and every so often it walks all that were made so far: 1.7 s of a 3.0 s parse of that
    file (measured; ``corpus.check`` of a 12,000-claim corpus 11.1 s with it, 5.4 s without; 0.25 s
    of a 2 s PredictionBook load).
    A parse, and an edit, make few reference cycles, none worth collecting before they are done.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def release_freed_memory() -> None:
    """Give the memory a cold load freed back to the operating system: Arrow's allocator keeps
    freed pages for reuse (``MemoryPool.release_unused``), and so does glibc's malloc
    (``malloc_trim(3)``). A cold PredictionBook load frees some 75 MB that the process would
    otherwise hold while it scores (resident 367 MB after the load, 292 MB after the release;
    measured). Nothing where neither is loaded or available."""
    import sys

    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): nothing to trim
            pass
