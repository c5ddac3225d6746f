"""records.csv_text: the column-wise CSV writer gives pandas' to_csv bytes, cell for cell.

Every comparison is with pandas itself (``to_csv(index=False, date_format="%Y-%m-%d")``, what
export wrote before), so a pandas or Python upgrade that changes either side fails here.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from forecastkit.records import csv_text
from forecastkit.records.csv_text import column_wise, csv_bytes, quoted_characters

TEXTS = [
    "plain", 'say "no"', '"', '""', "a,b", ",", "line\nbreak", "\n", "carriage\rreturn",
    "\r\n", "", None, " lead", "trail ", "tab\tin", "semi;colon", "naïve café", "日本語, 中文",
    "emoji 🎉", "\u2028sep", "\x85nel", "back\\slash", "'single'", "=1+1", "#hash",
]  # fmt: skip
FLOATS = [
    0.1, 1e-05, 1e-4, 0.30000000000000004, 1e16, 1e15, 123456789012345678.0, 12345678.9,
    -0.0, 0.0, float("inf"), float("-inf"), float("nan"), 5e-324, 1.7976931348623157e308,
    2.5, -3.0, 1 / 3, 0.5, 100.0,
]  # fmt: skip
INTS = [0, -1, 1, 2**63 - 1, -(2**63), 10**15, 42]
DATES = [
    "0001-01-01", "0099-12-31T23:00", "0999-06-01", "1000-01-01", "1969-12-31T23:59:59",
    "1970-01-01", "2024-02-29T12:30", "2262-04-12", "9999-12-31T23:59:59", "NaT",
]  # fmt: skip


def pandas_csv(table: pd.DataFrame, lineterminator: str = "\n") -> bytes:
    text = table.to_csv(index=False, date_format="%Y-%m-%d", lineterminator=lineterminator)
    return text.encode("utf-8")


def column(values: list, n: int) -> list:
    """``values`` repeated to ``n`` rows, so every value meets every other column's."""
    return [values[i % len(values)] for i in range(n)]


def tricky_table(n: int = 200) -> pd.DataFrame:
    dates = np.array(DATES, dtype="datetime64[s]")
    return pd.DataFrame(
        {
            "text": pd.array(column(TEXTS, n), dtype="string"),
            "text, shifted": pd.array(column(TEXTS[7:] + TEXTS[:7], n), dtype="string"),
            "float": column(FLOATS, n),
            "int": np.array(column(INTS, n), dtype=np.int64),
            "int32": np.arange(n, dtype=np.int32) - 7,
            "uint8": np.arange(n, dtype=np.uint8),
            "bool": column([True, False, False], n),
            "day": column(list(dates), n),
            "day_ns": pd.Series(column([*dates[4:7], dates[-1]], n)).astype("datetime64[ns]"),
            "day_ms": pd.Series(column(list(dates), n)).astype("datetime64[ms]"),
            "empty text": pd.array([None] * n, dtype="string"),
            "nan text": pd.array(column(TEXTS, n), dtype=pd.StringDtype("pyarrow", np.nan)),
            'say "hi", all': pd.array(column(["x"], n), dtype="string"),
        }
    )


@pytest.mark.parametrize("lineterminator", ["\n", "\r\n", "\r"])
def test_tricky_cells_are_written_as_pandas_writes_them(lineterminator: str) -> None:
    table = tricky_table()
    fast = column_wise(table, lineterminator)
    assert fast is not None, "every column here has a column-wise writer"
    assert b"".join(fast) == pandas_csv(table, lineterminator)


@pytest.mark.parametrize("block_rows", [1, 3, 7, 64, 10_000])
def test_blocks_and_arrow_chunks_do_not_change_the_bytes(monkeypatch, block_rows: int) -> None:
    """Blocks of any size, over text that pandas holds in Arrow chunks of other sizes (as a
    corpus read back from the cache is)."""
    table = tricky_table(101)
    rng = np.random.default_rng(7)
    values = column(TEXTS, 101)
    cuts = sorted({0, 101, *rng.integers(1, 101, 9).tolist()})
    chunks = [pa.array(values[a:b], pa.large_string()) for a, b in itertools.pairwise(cuts)]
    table["text"] = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(chunks)))
    assert table["text"].array._pa_array.num_chunks == len(cuts) - 1
    monkeypatch.setattr(csv_text, "BLOCK_ROWS", block_rows)
    assert b"".join(column_wise(table, "\n")) == pandas_csv(table)


def test_random_text_is_written_as_pandas_writes_it() -> None:
    rng = np.random.default_rng(22)
    alphabet = list('ab ,"\n\r\t;é日🎉') + [""]
    cells = ["".join(rng.choice(alphabet, rng.integers(0, 6))) for _ in range(2_000)]
    cells = [None if c == "" and rng.random() < 0.5 else c for c in cells]
    table = pd.DataFrame(
        {"a": pd.array(cells, dtype="string"), "b": pd.array(cells[::-1], dtype="string")}
    )
    assert csv_bytes(table, "\n") == pandas_csv(table)


def test_no_rows_is_the_header_alone() -> None:
    table = tricky_table().iloc[:0]
    assert b"".join(column_wise(table, "\n")) == pandas_csv(table)


def test_csv_quotes_the_delimiter_the_quote_and_the_line_terminator() -> None:
    assert {",", '"', "\n"} <= quoted_characters("\n")
    assert "a" not in quoted_characters("\n") and ";" not in quoted_characters("\n")
    assert "\r" in quoted_characters("\r\n")


def _categorical() -> pd.DataFrame:
    return pd.DataFrame({"a": pd.Categorical(["x", "y,z", None]), "b": [1, 2, 3]})


OTHER_TABLES = {
    "object": lambda: pd.DataFrame({"a": ["x", None, 1.5], "b": [1, 2, 3]}),
    "categorical": _categorical,
    "one column": lambda: pd.DataFrame({"a": pd.array(["", None, "x"], dtype="string")}),
    "python text": lambda: pd.DataFrame(
        {"a": pd.array(["x", "\ud800"], dtype="string[python]"), "b": [1, 2]}
    ),
    "time zone": lambda: pd.DataFrame(
        {"a": pd.to_datetime(["2024-01-01 23:00"]).tz_localize("Europe/Paris"), "b": [1]}
    ),
    "year 0": lambda: pd.DataFrame({"a": np.array(["0000-06-01"], "datetime64[s]"), "b": [1]}),
    "year 10000": lambda: pd.DataFrame({"a": np.array(["10000-01-01"], "M8[s]"), "b": [1]}),
    "float32": lambda: pd.DataFrame({"a": np.array([0.1, 1e-5], np.float32), "b": [1, 2]}),
    "nullable int": lambda: pd.DataFrame({"a": pd.array([1, None], "Int64"), "b": [1, 2]}),
    "number labels": lambda: pd.DataFrame({0: [1], 1: [2]}),
    "labels twice": lambda: pd.DataFrame([[1, 2]], columns=["a", "a"]),
}


@pytest.mark.parametrize("name", list(OTHER_TABLES))
def test_other_tables_are_written_by_pandas(name: str) -> None:
    table = OTHER_TABLES[name]()
    assert column_wise(table, "\n") is None
    if name != "python text":  # a lone surrogate is no UTF-8 on either path
        assert csv_bytes(table, "\n") == pandas_csv(table)


def test_a_quoting_line_terminator_is_left_to_pandas() -> None:
    table = tricky_table(5)
    assert column_wise(table, '"\n') is None
    assert column_wise(table, "") is None
