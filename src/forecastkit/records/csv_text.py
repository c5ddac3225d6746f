"""CSV text of a table, column by column: the bytes pandas' ``to_csv`` writes, several times
faster on a tracker-scale export.

``DataFrame.to_csv`` turns every cell into a Python object and hands the rows to the standard
library's ``csv.writer``: for PredictionBook's 62,500 claims x 30 columns, 2 of the export's
2.6 s. :func:`csv_chunks` formats each column once (a number or date once per distinct value)
as an Arrow string array, quotes the cells that need it with whole-array operations, and joins
the columns row by row in Arrow's kernels, a block of rows at a time (the blocks' memory is
reused, and a writer can write each block as it comes). It reproduces
``to_csv(index=False, date_format="%Y-%m-%d", lineterminator=...)`` encoded as UTF-8, byte for
byte, for the column types the exports hold; any other table (an object or categorical column,
text held by Python, a time zone, a date outside years 1-9999, a single column, labels that
are not text) is written by pandas itself, so the output never depends on the path taken.

What pandas writes, cell by cell (``pandas/core/indexes/base.py``, ``get_values_for_csv``, with
``na_rep=""`` and no ``float_format``; pandas 3.1):

- text (``StringDtype``): the text; a missing value is empty;
- ``float64``: NumPy's ``astype(str)``, the shortest repr (``0.1``, ``1e-05``, ``-0.0``,
  ``inf``); NaN is empty;
- integers: ``astype(str)``, their decimal digits; ``bool``: ``True`` / ``False``;
- ``datetime64`` with ``date_format="%Y-%m-%d"``: the calendar day, zero-padded; NaT is empty.

``csv.writer`` with ``QUOTE_MINIMAL`` (CPython ``Modules/_csv.c``, ``join_append_data``) then
encloses a cell in ``"`` and doubles its quotes when it holds the delimiter, the quote or a
character of the line terminator. Which characters those are is asked of the running Python's
``csv`` module (:func:`quoted_characters`): the rule has changed between Python versions.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

#: Rows formatted at a time: a block's arrays are reused by the next, and memory beyond the
#: table stays a few MB whatever its length.
BLOCK_ROWS = 8_192
#: The one date format the column-wise writer writes (the exports').
DATE_FORMAT = "%Y-%m-%d"
#: The days whose texts NumPy and pandas agree on (four-digit years, zero-padded).
FIRST_DAY, LAST_DAY = np.datetime64("0001-01-01"), np.datetime64("9999-12-31")


def csv_bytes(table: pd.DataFrame, lineterminator: str = os.linesep) -> bytes:
    """``table`` as UTF-8 CSV: exactly ``table.to_csv(index=False, date_format="%Y-%m-%d",
    lineterminator=lineterminator).encode("utf-8")``.

    Example
    -------
    >>> csv_bytes(pd.DataFrame({"a": ["x, y", None], "b": [0.1, float("nan")]}), "\\n")
    b'a,b\\n"x, y",0.1\\n,\\n'
    """
    return b"".join(csv_chunks(table, lineterminator))


def csv_chunks(table: pd.DataFrame, lineterminator: str = os.linesep) -> Iterator[Any]:
    """The bytes of :func:`csv_bytes` in pieces (bytes-like objects, to write in turn):
    column-wise when :func:`column_wise` can write ``table``, by pandas otherwise."""
    fast = column_wise(table, lineterminator)
    if fast is not None:
        return fast
    text = table.to_csv(index=False, date_format=DATE_FORMAT, lineterminator=lineterminator)
    return iter([text.encode("utf-8")])


def column_wise(table: pd.DataFrame, lineterminator: str = os.linesep) -> Iterator[Any] | None:
    """The column-wise writer of :func:`csv_chunks`: the header, then one piece per
    :data:`BLOCK_ROWS` rows; None for a table it cannot write as pandas does (see the
    module's docstring), decided before the first piece."""
    if not _writable(table, lineterminator):
        return None
    return _pieces(table, lineterminator)


@functools.cache
def quoted_characters(lineterminator: str) -> frozenset[str]:
    """The ASCII characters that make this Python's ``csv.writer`` (``QUOTE_MINIMAL``, the
    given line terminator) quote a cell, found by asking it. A character beyond ASCII never
    does: the rule compares with the dialect's characters and ``\\r`` / ``\\n``."""
    probe = io.StringIO()
    chars = [chr(i) for i in range(1, 128)]
    csv.writer(probe, lineterminator=lineterminator).writerow([f"a{c}b" for c in chars])
    row = probe.getvalue()
    return frozenset(c for c in chars if f'"a{c}b"' in row or f'"a{c}{c}b"' in row)


def _writable(table: pd.DataFrame, lineterminator: str) -> bool:
    """Whether every column is of a type :func:`_cells` writes as pandas does."""
    if isinstance(table.columns, pd.MultiIndex) or not table.columns.is_unique:
        return False
    if table.shape[1] < 2 or not all(isinstance(c, str) for c in table.columns):
        return False  # one column: csv quotes a row that is one empty cell
    if not lineterminator or not lineterminator.isascii() or '"' in lineterminator:
        return False
    for _, column in table.items():
        dtype = column.dtype
        if isinstance(dtype, pd.StringDtype):
            if dtype.storage != "pyarrow":
                return False  # Python's text may hold what UTF-8 cannot (a lone surrogate)
            continue
        if not isinstance(dtype, np.dtype) or dtype.kind not in "fiubM":
            return False  # object, categorical, time zones, nullable numbers
        if dtype.kind == "f" and dtype.itemsize != 8:
            return False  # a float32's text is its own repr
        if dtype.kind == "M" and not _four_digit_years(column.to_numpy()):
            return False
    return True


def _four_digit_years(values: np.ndarray) -> bool:
    """Whether every date's year is 1 to 9999, where NumPy's day texts are pandas'."""
    days = values[~np.isnat(values)].astype("datetime64[D]")
    if not len(days):
        return True
    return bool(FIRST_DAY <= days.min() and days.max() <= LAST_DAY)


def _pieces(table: pd.DataFrame, lineterminator: str) -> Iterator[Any]:
    header = io.StringIO()
    csv.writer(header, lineterminator=lineterminator).writerow(list(table.columns))
    yield header.getvalue().encode("utf-8")
    # compared byte by byte: UTF-8 never puts an ASCII byte inside another character
    specials = np.array(sorted(ord(c) for c in quoted_characters(lineterminator)), np.uint8)
    columns = [_column(column) for _, column in table.items()]
    for start in range(0, len(table), BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, len(table))
        cells = [_cells(column, start, stop, specials) for column in columns]
        yield from _lines(cells, lineterminator)


def _column(column: pd.Series) -> Any:
    """A column's values to slice by blocks: Arrow text (in the chunks pandas holds it in,
    not copied), or a NumPy array."""
    import pyarrow as pa

    if isinstance(column.dtype, pd.StringDtype):
        text = pa.array(column, type=pa.large_string())
        return text if isinstance(text, pa.ChunkedArray) else pa.chunked_array([text])
    return column.to_numpy()


def _cells(values: Any, start: int, stop: int, specials: np.ndarray) -> Any:
    """Rows ``start:stop`` of a column as pandas writes its cells (``large_string`` Arrow
    text, null for an empty cell), quoted where ``csv`` would quote them."""
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):  # no number or date text holds a quoted character
        chunks = values.slice(start, stop - start).chunks
        return pa.chunked_array([_quoted(c, specials) for c in chunks], pa.large_string())
    values = values[start:stop]
    kind = values.dtype.kind
    if kind == "M":
        days = values.astype("datetime64[D]")
        return _by_value(days.view(np.int64), np.isnat(values), lambda u: u.view(days.dtype))
    if kind == "f":
        # keyed by bit pattern: 0.0 and -0.0 are equal but print differently
        return _by_value(values.view(np.int64), np.isnan(values), lambda u: u.view(values.dtype))
    if kind == "b":
        return pa.array(np.where(values, "True", "False"), type=pa.large_string())
    return pa.array(values).cast(pa.large_string())  # integers: their decimal digits


def _by_value(keys: np.ndarray, missing: np.ndarray, values_of: Any) -> Any:
    """Texts of a block formatted once per distinct value: NumPy's ``astype(str)`` of
    ``values_of(distinct keys)``; null where ``missing``."""
    import pyarrow as pa

    codes, distinct = pd.factorize(keys)
    texts = pa.array(values_of(np.asarray(distinct)).astype(str), type=pa.large_string())
    return texts.take(pa.array(codes, mask=missing))


def _offsets(text: Any) -> np.ndarray:
    """Where each cell of a ``large_string`` array starts in its data buffer, and the end."""
    raw = np.frombuffer(text.buffers()[1], dtype=np.int64)
    return raw[text.offset : text.offset + len(text) + 1]


def _quoted(text: Any, specials: np.ndarray) -> Any:
    """``text`` with each cell that holds a byte of ``specials`` enclosed in ``"``, its quotes
    doubled."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = _offsets(text)
    data = text.buffers()[2]
    if data is None or offsets[-1] == offsets[0]:
        return text
    body = np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]
    found = body == specials[0]
    for byte in specials[1:]:  # a comparison per character: faster than a lookup per byte
        found |= body == byte
    hits = np.flatnonzero(found)
    if not len(hits):
        return text
    need = np.zeros(len(text), dtype=bool)
    need[np.searchsorted(offsets, hits + offsets[0], side="right") - 1] = True
    chosen = text.filter(pa.array(need))
    quote, nothing = pa.scalar('"', pa.large_string()), pa.scalar("", pa.large_string())
    enclosed = pc.binary_join_element_wise(
        quote, pc.replace_substring(chosen, '"', '""'), quote, nothing
    )
    return pc.replace_with_mask(text, pa.array(need), enclosed)


def _lines(cells: list[Any], lineterminator: str) -> Iterator[memoryview]:
    """The CSV lines of one block, in pieces: its cells joined by ``,`` (a null cell empty),
    each row ended by the line terminator."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(value: str) -> Any:
        return pa.scalar(value, pa.large_string())

    # the terminator goes on the last cell: a narrower column to copy than the whole lines
    last = pc.binary_join_element_wise(pc.fill_null(cells[-1], ""), text(""), text(lineterminator))
    lines = pc.binary_join_element_wise(
        *cells[:-1], last, text(","), null_handling="replace", null_replacement=""
    )
    for chunk in lines.chunks if isinstance(lines, pa.ChunkedArray) else [lines]:
        if len(chunk):
            offsets = _offsets(chunk)
            yield memoryview(chunk.buffers()[2])[offsets[0] : offsets[-1]]
