"""What the Great Expectations layer found: a result per expectation, located lines, a report.

:func:`from_gx` turns one GX expectation result into an :class:`ExpectationResult` whose
offending rows carry the file and line they came from (:mod:`forecastkit.records.offences`);
:class:`ExpectationReport` renders them::

    claims/x.yaml:12: claim harbour-2023-fee-cut: made_on 2026-01-09 is after resolve_by
    2025-12-31 [expect_column_pair_values_a_to_be_greater_than_b]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from forecastkit.records.corpus import Corpus
from forecastkit.records.offences import Offence, offence
from forecastkit.records.rules import Rule

#: Offending rows shown per failed expectation by :meth:`ExpectationReport.render`.
MAX_ROWS_SHOWN = 5


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ExpectationResult:
    """The result of one expectation on one table."""

    table: str
    expectation: str  # GX's snake-case name, e.g. expect_column_values_to_be_unique
    columns: tuple[str, ...]
    success: bool
    unexpected_count: int
    offences: tuple[Offence, ...] = ()
    error: str | None = None  # GX could not evaluate the expectation
    rule: int = 0  # index in ALL_RULES: the report's order

    def lines(self, max_rows: int = MAX_ROWS_SHOWN) -> list[str]:
        """One line per offending row (at most ``max_rows``), for a failed expectation."""
        if self.success:
            return []
        if self.error:
            return [
                f"{self.table}: {', '.join(self.columns)}: could not check: {self.error} "
                f"[{self.expectation}]"
            ]
        out = []
        for o in self.offences[:max_rows]:
            where = f"{o.location}: " if o.location else ""
            out.append(f"{where}{o.subject}: {o.message} [{self.expectation}]")
        more = self.unexpected_count - min(len(self.offences), max_rows)
        if more > 0:
            out.append(
                f"  ... and {more} more row(s) of {self.table} fail {self.expectation} "
                f"on {', '.join(self.columns)}"
            )
        return out


@dataclass(frozen=True)
class ExpectationReport:
    """Every expectation's result, and the Data Docs page when one was written."""

    results: tuple[ExpectationResult, ...]
    data_docs: Path | None = None
    #: The day of the run whose results these are, when they were read from the result cache
    #: (:mod:`forecastkit.validation.result_cache`) instead of GX running again.
    reused_from: str | None = None

    @property
    def success(self) -> bool:
        """True when every expectation is met."""
        return all(r.success for r in self.results)

    @property
    def failed(self) -> tuple[ExpectationResult, ...]:
        """The results of the expectations that failed (or could not be checked)."""
        return tuple(r for r in self.results if not r.success)

    def summary(self) -> str:
        """``GX: 30 expectations on 5 tables, all met`` (or how many failed)."""
        n_tables = len({r.table for r in self.results})
        head = f"GX: {len(self.results)} expectations on {n_tables} tables"
        if self.success:
            return f"{head}, all met"
        rows = sum(r.unexpected_count for r in self.failed)
        return f"{head}, {len(self.failed)} failed ({rows} offending row(s))"

    def render(self, max_rows: int = MAX_ROWS_SHOWN) -> str:
        """Readable text: a line per offending row of each failed expectation, then the summary."""
        lines = [line for r in self.failed for line in r.lines(max_rows)]
        lines.append(self.summary())
        if self.reused_from is not None:
            lines.append(
                f"GX results of {self.reused_from} reused: the same tables, suites and versions "
                "(--no-cache runs GX again)"
            )
        if self.data_docs is not None:
            lines.append(f"Data Docs: {self.data_docs}")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per expectation: table, expectation, columns, success, unexpected_count."""
        return pd.DataFrame(
            [
                {
                    "table": r.table,
                    "expectation": r.expectation,
                    "columns": ", ".join(r.columns),
                    "success": r.success,
                    "unexpected_count": r.unexpected_count,
                    "error": r.error,
                }
                for r in self.results
            ]
        )


# --------------------------------------------------------------------------------------------
# From GX results to located lines


def from_gx(
    rules: Sequence[Rule], gx_result: Any, frame: pd.DataFrame, corpus: Corpus, today: pd.Timestamp
) -> ExpectationResult:
    """The result of one GX expectation, its offending rows located in ``frame``'s rows."""
    config = gx_result.expectation_config
    index = int((config.meta or {})["forecastkit_rule"])
    rule = rules[index]
    info = gx_result.exception_info or {}
    if not info.get("raised_exception"):  # GX 1.x keeps one per metric the expectation needs
        raised = [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
        info = raised[0] if raised else info
    if info.get("raised_exception"):
        return ExpectationResult(
            rule.table,
            config.type,
            rule.columns,
            False,
            0,
            rule=index,
            error=str(info.get("exception_message") or "GX raised an error"),
        )
    res = gx_result.result or {}
    offences = tuple(
        offence(rule, frame.loc[i], today)
        for i in res.get("unexpected_index_list") or []
        if i in frame.index
    )
    return ExpectationResult(
        rule.table,
        config.type,
        rule.columns,
        bool(gx_result.success),
        int(res.get("unexpected_count") or 0),
        offences,
        rule=index,
    )
