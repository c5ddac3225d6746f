"""The frames Great Expectations is handed: only the columns a suite reads, dates in nanoseconds.

Two costs of a GX run over a corpus table are not the checks themselves:

- a rule with a ``row_condition`` makes GX filter the table with ``DataFrame.query`` before its
  check (``_apply_row_condition_filter`` in
  ``great_expectations/execution_engine/pandas_execution_engine.py``), which takes every
  column of the rows kept: 43 columns of PredictionBook's 62,500 claims, 26 times a run;
- ``expect_column_values_to_be_between`` compares a date column in one vectorised step only
  when its unit is nanoseconds (``ColumnValuesBetween._pandas`` in
  ``great_expectations/expectations/metrics/column_map_metrics/column_values_between.py``
  tests ``is_datetime64_ns_dtype``); the loader's dates are ``datetime64[s]``, which GX
  compares one Python ``Timestamp`` at a time, after converting the column to objects.

So GX gets the columns its rules name (``column``, ``column_A``, ``column_B``,
``column_list``, and every column a ``row_condition`` mentions), in the table's order and with
its rows numbered from 0 (GX reports offending rows by index), and each date column in nanoseconds when every
date fits (``datetime64[ns]`` spans the years 1677-2262; a column with a date outside keeps
its unit, and GX its slower path). The values compared are the same, so are the results:
``tests/test_expectations.py`` runs the suites over whole tables and over these frames and
compares every result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from forecastkit.records.rules import Rule

#: A name in a pandas query (a word; quoted text may match too: a column too many is harmless).
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def columns_read(rules: Iterable[Rule]) -> tuple[str, ...]:
    """Every column the expectations of ``rules`` read, their conditions included."""
    names: list[str] = []
    for rule in rules:
        names.extend(rule.columns)
        condition = rule.kwargs.get("row_condition")
        if isinstance(condition, str):
            names.extend(_NAME.findall(condition))
    return tuple(dict.fromkeys(names))


def gx_frame(frame: pd.DataFrame, rules: Iterable[Rule]) -> pd.DataFrame:
    """The columns of ``frame`` that ``rules`` read (a column a rule names but the table lacks
    stays missing, for GX to report), dates in nanoseconds where they fit, rows numbered from 0
    (GX reports an offending row by its index: its position in the table)."""
    wanted = set(columns_read(rules))
    out = frame[[c for c in frame.columns if c in wanted]].copy(deep=False)
    out.index = pd.RangeIndex(len(out))
    for col in out.columns:
        dtype = out[col].dtype
        if pd.api.types.is_datetime64_dtype(dtype) and dtype != "datetime64[ns]":
            try:
                out[col] = out[col].astype("datetime64[ns]")
            except (OverflowError, pd.errors.OutOfBoundsDatetime):
                pass  # a date beyond 2262: GX compares it as it is, one value at a time
    return out
