"""Great Expectations checks over a loaded corpus: the second layer of ``forecastkit validate``.

The first layer (:func:`forecastkit.records.corpus.check`) reads the files and stops at the first thing
that makes a table impossible to build. This layer runs a Great Expectations (GX) suite per
loaded table (uniqueness, value sets, ranges, date order, references between claims, outcomes,
evidence and authors), so that a table changed in a notebook, or built from a tabular import,
is held to the same rules, and the results can be published as GX Data Docs.

The rules are plain data (:data:`ALL_RULES`: the binary-era :data:`RULES` and the question types'
``TYPE_RULES`` over ``claims``, ``outcomes``, ``questions`` and ``forecast_points``, from
:mod:`forecastkit.records.rules`, which the loader
evaluates with pandas too: the two layers agree on every rule); GX is imported only when they run, because importing
it takes seconds. Each failed rule is reported per offending row with the file and line it came
from::

    claims/x.yaml:12: claim harbour-2023-fee-cut: made_on 2026-01-09 is after resolve_by
    2025-12-31 [expect_column_pair_values_a_to_be_greater_than_b]

Examples
--------
>>> import forecastkit
>>> from forecastkit.validation.expectations import run_expectations
>>> report = run_expectations(forecastkit.load("tests/fixtures/corpus"))  # doctest: +SKIP
>>> print(report.render())  # doctest: +SKIP
GX: 30 expectations on 5 tables, all met
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from forecastkit.errors import ReportError
from forecastkit.records.corpus import Corpus
from forecastkit.records.offences import Offence, offence
from forecastkit.records.rules import (
    ALL_RULES,
    RULES,
    TABLES,
    TYPE_RULES,
    Rule,
    has_types,
    parameters,
)

__all__ = [
    "ALL_RULES",
    "RULES",
    "TABLES",
    "ExpectationReport",
    "ExpectationResult",
    "ExpectationRunner",
    "Offence",
    "Rule",
    "build_suites",
    "run_expectations",
]

if TYPE_CHECKING:  # pragma: no cover - typing only; GX is imported lazily
    from great_expectations import ExpectationSuite

#: Offending rows shown per failed expectation by :meth:`ExpectationReport.render`.
MAX_ROWS_SHOWN = 5

_SITE = "forecastkit"


def default_data_docs_dir(corpus: str | os.PathLike[str] | None = None) -> Path:
    """Where ``forecastkit validate --data-docs`` writes: ``<project>/reports/validation`` of
    the project holding ``corpus`` (default: of the working directory)."""
    from forecastkit.records.paths import reports_dir

    return reports_dir(corpus) / "validation"


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
# Running GX


def _import_gx() -> Any:
    """Import GX quietly: no usage statistics, no progress bars, no deprecation noise."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # GX imports altair (for its charts), altair imports jsonschema, and jsonschema, when the
    # optional package rfc3987_syntax is installed, builds an Earley parser of the RFC 3987
    # grammar at import, for its "iri" format checker: 0.5 s idle, 5 s of a loaded machine's
    # 14 s GX import. No check of ours uses that format (forecastkit's JSON Schemas name no
    # "format" and are checked without a format checker; no GX rule of ours uses JSON Schema),
    # so the import is skipped while GX loads: jsonschema then leaves the "iri" checkers out.
    blocked = "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    return gx


def build_suites(
    rules: Sequence[Rule] = RULES, *, start: int = 0, name: str = "forecastkit"
) -> dict[str, ExpectationSuite]:
    """One GX expectation suite per table, from ``rules``.

    Each expectation carries the index of its rule in ``meta`` (counted from ``start``) so that
    results can be turned back into located, readable lines.
    """
    gx = _import_gx()
    import great_expectations.expectations as gxe

    suites: dict[str, Any] = {}
    for i, rule in enumerate(rules):
        suite = suites.get(rule.table)
        if suite is None:
            suite = suites[rule.table] = gx.ExpectationSuite(name=f"{name}-{rule.table}")
        cls = getattr(gxe, rule.expectation)
        value_set = rule.kwargs.get("value_set")
        if rule.expectation == "ExpectColumnValuesToBeInSet" and isinstance(value_set, dict):
            cls = known_ids_expectation()  # a set of ids filled per run ($PARAMETER)
        suite.add_expectation(cls(**dict(rule.kwargs), meta={"forecastkit_rule": start + i}))
    return suites


@cache
def known_ids_expectation() -> type:
    """``expect_column_values_to_be_known_ids``: GX's ``expect_column_values_to_be_in_set``
    (its metric, its results, its Data Docs renderers), for the sets of known ids a run fills
    in (authors, questions, claims: thousands of values).

    GX reads an expectation's keyword arguments through its ``configuration``, a fresh copy of
    every argument, item by item, once per key it looks up (``_get_domain_kwargs``,
    ``_get_success_kwargs`` in ``great_expectations/expectations/expectation.py``): with
    15,000 question ids that was 195 copies of 15,000 items, 3.5 s of an 8 s run on
    PredictionBook. This subclass looks every key up in one copy; the values are the same.
    """
    _import_gx()
    import great_expectations.expectations as gxe

    class ExpectColumnValuesToBeKnownIds(gxe.ExpectColumnValuesToBeInSet):
        """Column values are among the known ids of their kind (a set filled per run)."""

        def _get_domain_kwargs(self) -> dict[str, Any]:
            kwargs = self.configuration.kwargs
            return {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}

        def _get_success_kwargs(self) -> dict[str, Any]:
            kwargs = self.configuration.kwargs
            found = {
                key: kwargs.get(key, self._get_default_value(key)) for key in self.success_keys
            }
            found.update(
                {key: kwargs.get(key, self._get_default_value(key)) for key in self.domain_keys}
            )
            return found

    return ExpectColumnValuesToBeKnownIds


class ExpectationRunner:
    """A GX context with the forecastkit suites, ready to validate corpora.

    Building it costs the GX import (seconds) and some setup; reuse one runner to check several
    corpora (tests, notebooks). The context is ephemeral: nothing is written to disk except the
    Data Docs site, and only when :meth:`run` is given ``data_docs_dir``.
    """

    def __init__(
        self, rules: Sequence[Rule] = RULES, type_rules: Sequence[Rule] = TYPE_RULES
    ) -> None:
        gx = _import_gx()
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self._gx = gx
        self.rules = tuple(rules) + tuple(type_rules)
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.context = gx.get_context(mode="ephemeral", project_config=config)
            source = self.context.data_sources.add_pandas("forecastkit")
            # (table, definition, whether it holds the question types' rules)
            self._definitions: list[tuple[str, Any, bool]] = []
            assets: dict[str, Any] = {}
            for typed, suites in (
                (False, build_suites(rules)),
                (True, build_suites(type_rules, start=len(rules), name="forecastkit-types")),
            ):
                for table, suite in suites.items():
                    if table not in assets:
                        assets[table] = source.add_dataframe_asset(table)
                    prefix = "forecastkit-types" if typed else "forecastkit"
                    batch = assets[table].add_batch_definition_whole_dataframe(f"{prefix}-{table}")
                    suite = self.context.suites.add(suite)
                    self._definitions.append(
                        (
                            table,
                            self.context.validation_definitions.add(
                                gx.ValidationDefinition(
                                    name=f"{prefix}-{table}", data=batch, suite=suite
                                )
                            ),
                            typed,
                        )
                    )
        self._docs_dir: Path | None = None

    def _docs_site(self, directory: Path) -> None:
        directory = directory.resolve()
        if self._docs_dir == directory:
            return
        if self._docs_dir is not None:
            self.context.delete_data_docs_site(_SITE)
        self.context.add_data_docs_site(
            _SITE,
            {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(directory),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        self._docs_dir = directory

    def run(
        self,
        corpus: Corpus,
        *,
        today: dt.date | None = None,
        data_docs_dir: str | os.PathLike[str] | None = None,
    ) -> ExpectationReport:
        """Validate every table of ``corpus``; write Data Docs to ``data_docs_dir`` if given."""
        params = parameters(corpus, today)
        today_ts = params["today"]
        params = self._used_values(corpus, params)
        results: list[ExpectationResult] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # GX keeps every result in its (in-memory) store and Data Docs shows them all: keep
            # this run's only, so the site describes the corpus just checked.
            store = self.context.validation_results_store
            for key in store.list_keys():
                store.remove_key(key)
            typed_corpus = has_types(corpus)
            for table, definition, typed in self._definitions:
                if typed and not typed_corpus:
                    continue  # a corpus of binary questions is checked as before types
                frame = getattr(corpus, table).reset_index(drop=True)
                # Without Data Docs to write, a pass/fail run first: GX's COMPLETE results
                # (every offending row's index) take about twice as long, spent copying each
                # expectation's configuration. Only a table with a failed expectation is run
                # again for its rows, so the lines reported are GX's own, as before.
                quick = data_docs_dir is None
                validation = definition.run(
                    batch_parameters={"dataframe": frame},
                    expectation_parameters=params,
                    result_format={"result_format": "BOOLEAN_ONLY" if quick else "COMPLETE"},
                )
                if quick and not all(r.success for r in validation.results):
                    validation = definition.run(
                        batch_parameters={"dataframe": frame},
                        expectation_parameters=params,
                        result_format={"result_format": "COMPLETE"},
                    )
                results.extend(
                    _result(self.rules, r, frame, corpus, today_ts) for r in validation.results
                )
            docs = None
            if data_docs_dir is not None:
                docs = self._write_docs(Path(data_docs_dir))
        results.sort(key=lambda r: r.rule)
        return ExpectationReport(results=tuple(results), data_docs=docs)

    def _used_values(self, corpus: Corpus, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` with each set of known ids cut to the ids the checked columns hold.

        The same values pass and fail (a value of a column is in the cut set exactly when it
        is in the whole one), but GX copies an expectation's configuration, parameters
        substituted, item by item each time it reads it, thousands of times a run: with the
        62,500 claim ids of PredictionBook that was 15 s of a 25 s validate.
        """
        used: dict[str, set[Any]] = {}
        for rule in self.rules:
            value_set = rule.kwargs.get("value_set")
            if isinstance(value_set, dict) and "$PARAMETER" in value_set:
                column = getattr(corpus, rule.table)[rule.kwargs["column"]]
                used.setdefault(value_set["$PARAMETER"], set()).update(column.dropna().unique())
        out = dict(params)
        for name, values in used.items():
            out[name] = [v for v in params[name] if v in values]
        return out

    def _write_docs(self, directory: Path) -> Path:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportError(
                f"cannot create the Data Docs folder: {exc.strerror}",
                file=directory,
                hint="pass a writable folder to --data-docs",
            ) from None
        self._docs_site(directory)
        self.context.build_data_docs(site_names=[_SITE])
        return self._docs_dir / "index.html"  # type: ignore[operator]


def run_expectations(
    corpus: Corpus,
    *,
    data_docs_dir: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
    runner: ExpectationRunner | None = None,
) -> ExpectationReport:
    """Run the GX suites over the tables of ``corpus``.

    Parameters
    ----------
    corpus:
        A loaded corpus (:func:`forecastkit.load`); its tables may have been changed since.
    data_docs_dir:
        Write GX's static HTML Data Docs here (e.g. ``reports/validation``); the report's
        ``data_docs`` is then the path of ``index.html``. Nothing is written otherwise.
    today:
        Dates after this day are "in the future" (default: today).
    runner:
        A prepared :class:`ExpectationRunner` to reuse (building one imports GX).

    Returns
    -------
    ExpectationReport
        ``success``, a result per expectation, and :meth:`~ExpectationReport.render`.
    """
    runner = runner or ExpectationRunner()
    return runner.run(corpus, today=today, data_docs_dir=data_docs_dir)


# --------------------------------------------------------------------------------------------
# From GX results to located lines


def _result(
    rules: Sequence[Rule], gx_result: Any, frame: pd.DataFrame, corpus: Corpus, today: pd.Timestamp
) -> ExpectationResult:
    config = gx_result.expectation_config
    index = int((config.meta or {})["forecastkit_rule"])
    rule = rules[index]
    info = gx_result.exception_info or {}
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
