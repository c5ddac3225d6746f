"""Great Expectations checks over a loaded corpus: the second layer of ``forecastkit validate``.

The first layer (:func:`forecastkit.records.corpus.check`) reads the files and stops at the first thing
that makes a table impossible to build. This layer runs a Great Expectations (GX) suite per
loaded table (uniqueness, value sets, ranges, date order, references between claims, outcomes,
evidence and authors), so that a table changed in a notebook, or built from a tabular import,
is held to the same rules, and the results can be published as GX Data Docs.

The rules are plain data (:data:`RULES`); GX is imported only when they run, because importing
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
import math
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from forecastkit.errors import ReportError
from forecastkit.records.corpus import STATUSES, VERDICTS, Corpus
from forecastkit.records.schema import schema

if TYPE_CHECKING:  # pragma: no cover - typing only; GX is imported lazily
    from great_expectations import ExpectationSuite

#: The tables checked, in report order.
TABLES = ("claims", "outcomes", "evidence", "sources", "authors")
#: Offending rows shown per failed expectation by :meth:`ExpectationReport.render`.
MAX_ROWS_SHOWN = 5

_SITE = "forecastkit"
_RESOLVED = 'verdict == "true" | verdict == "false"'


def _schema_enum(kind: str, prop: str) -> list[str]:
    """The ``enum`` of the first property called ``prop`` anywhere in a JSON Schema."""

    def find(node: Any) -> list[str] | None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict) and isinstance(props.get(prop), dict) and "enum" in props[prop]:
                return list(props[prop]["enum"])
            children: Sequence[Any] = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            return None
        for child in children:
            found = find(child)
            if found is not None:
                return found
        return None

    found = find(schema(kind))
    if found is None:  # a schema change that this module must follow
        raise KeyError(f"no enum for '{prop}' in the {kind} schema")
    return found


@dataclass(frozen=True)
class Rule:
    """One expectation on one table, as data.

    Parameters
    ----------
    table:
        The corpus table (``claims``, ``outcomes``, ``evidence``, ``sources``, ``authors``).
    expectation:
        The GX expectation class name (``ExpectColumnValuesToBeUnique``).
    kwargs:
        Its arguments; ``{"$PARAMETER": name}`` values are filled per run (``claimants``,
        ``claim_ids``, ``today``).
    message:
        What an offending row breaks, formatted with the row's fields
        (``"made_on {made_on} is after resolve_by {resolve_by}"``).
    """

    table: str
    expectation: str
    kwargs: Mapping[str, Any]
    message: str

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the expectation reads."""
        keys = ("column", "column_A", "column_B", "column_list")
        cols: list[str] = []
        for key in keys:
            value = self.kwargs.get(key)
            if isinstance(value, str):
                cols.append(value)
            elif isinstance(value, (list, tuple)):
                cols.extend(value)
        return tuple(cols)


def _param(name: str) -> dict[str, str]:
    return {"$PARAMETER": name}


def _in_set(table: str, column: str, values: Sequence[str], what: str) -> Rule:
    return Rule(table, "ExpectColumnValuesToBeInSet", {"column": column, "value_set": list(values)},
                f"{column} {{{column}!r}} is not {what} ({', '.join(values)})")


def _not_after(table: str, later: str, earlier: str) -> Rule:
    """``earlier <= later`` where both are known (a missing date is the schema layer's business)."""
    return Rule(table, "ExpectColumnPairValuesAToBeGreaterThanB",
                {"column_A": later, "column_B": earlier, "or_equal": True,
                 "ignore_row_if": "either_value_is_missing"},
                f"{earlier} {{{earlier}}} is after {later} {{{later}}}")


def _not_future(table: str, column: str) -> Rule:
    return Rule(table, "ExpectColumnValuesToBeBetween",
                {"column": column, "max_value": _param("today")},
                f"{column} {{{column}}} is in the future (after {{today}})")


def default_data_docs_dir() -> Path:
    """Where ``forecastkit validate --data-docs`` writes: ``<project>/reports/validation``."""
    from forecastkit.records.paths import reports_dir

    return reports_dir() / "validation"


def _build_rules() -> tuple[Rule, ...]:
    roles = _schema_enum("claim-file", "claimant_role")
    kinds = _schema_enum("claim-file", "kind")
    author_kinds = _schema_enum("authors", "kind")
    return (
        # claims: identity, value sets, references
        Rule("claims", "ExpectColumnValuesToNotBeNull", {"column": "claim_id"}, "the claim has no id"),
        Rule("claims", "ExpectColumnValuesToBeUnique", {"column": "claim_id"},
             "claim id {claim_id!r} is used more than once"),
        _in_set("claims", "kind", kinds, "a claim kind"),
        _in_set("claims", "claimant_role", roles, "a claimant role"),
        _in_set("claims", "status", STATUSES, "a status"),
        _in_set("claims", "verdict", VERDICTS, "a verdict"),
        Rule("claims", "ExpectColumnValuesToBeInSet",
             {"column": "claimant", "value_set": _param("claimants")},
             "claimant {claimant!r} is not in the authors registry"),
        # claims: probabilities
        Rule("claims", "ExpectColumnValuesToBeBetween",
             {"column": "probability", "min_value": 0, "max_value": 1},
             "probability {probability} is outside [0, 1]"),
        # A hedge is never read as certainty (docs/conventions.md: "will" is almost certain).
        Rule("claims", "ExpectColumnValuesToBeBetween",
             {"column": "probability", "min_value": 0, "max_value": 1, "strict_min": True,
              "strict_max": True, "row_condition": "scale.notna()", "condition_parser": "pandas"},
             "hedge {hedge!r} reads as probability {probability}, a certainty"),
        Rule("claims", "ExpectColumnPairValuesAToBeGreaterThanB",
             {"column_A": "probability", "column_B": "probability_low", "or_equal": True,
              "ignore_row_if": "either_value_is_missing"},
             "probability {probability} is below probability_low {probability_low}"),
        Rule("claims", "ExpectColumnPairValuesAToBeGreaterThanB",
             {"column_A": "probability_high", "column_B": "probability", "or_equal": True,
              "ignore_row_if": "either_value_is_missing"},
             "probability {probability} is above probability_high {probability_high}"),
        # claims: dates
        _not_after("claims", "resolve_by", "made_on"),
        _not_after("claims", "resolved_on", "made_on"),
        _not_future("claims", "made_on"),
        _not_future("claims", "resolved_on"),
        Rule("claims", "ExpectColumnValuesToBeBetween",
             {"column": "evidence_count", "min_value": 1, "row_condition": _RESOLVED,
              "condition_parser": "pandas"},
             "resolved {verdict} with no evidence; add the page that shows the outcome"),
        # outcomes
        Rule("outcomes", "ExpectColumnValuesToNotBeNull", {"column": "claim_id"},
             "the outcome names no claim"),
        Rule("outcomes", "ExpectColumnValuesToBeInSet",
             {"column": "claim_id", "value_set": _param("claim_ids")},
             "claim {claim_id!r} is not in any claim file"),
        _in_set("outcomes", "verdict", VERDICTS, "a verdict"),
        _not_after("outcomes", "recorded_on", "resolved_on"),
        _not_future("outcomes", "resolved_on"),
        _not_future("outcomes", "recorded_on"),
        Rule("outcomes", "ExpectColumnValuesToBeBetween",
             {"column": "evidence_count", "min_value": 1, "row_condition": _RESOLVED,
              "condition_parser": "pandas"},
             "verdict {verdict} with no evidence; add the page that shows the outcome"),
        # evidence
        Rule("evidence", "ExpectColumnValuesToBeInSet",
             {"column": "claim_id", "value_set": _param("claim_ids")},
             "claim {claim_id!r} is not in any claim file"),
        _not_future("evidence", "published"),
        # sources
        Rule("sources", "ExpectColumnValuesToNotBeNull", {"column": "source_id"}, "the source has no id"),
        Rule("sources", "ExpectColumnValuesToBeUnique", {"column": "source_id"},
             "source id {source_id!r} is used more than once"),
        _not_future("sources", "published"),
        # authors
        Rule("authors", "ExpectColumnValuesToBeUnique", {"column": "claimant"},
             "author key {claimant!r} is used more than once"),
        _in_set("authors", "kind", author_kinds, "an author kind"),
    )


#: Every expectation, in report order.
RULES: tuple[Rule, ...] = _build_rules()


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Offence:
    """One row that breaks an expectation, and where it was written."""

    location: str  # ``file:line`` (or the file alone)
    subject: str  # ``claim harbour-2023-fee-cut``
    message: str


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
    rule: int = 0  # index in RULES: the report's order

    def lines(self, max_rows: int = MAX_ROWS_SHOWN) -> list[str]:
        """One line per offending row (at most ``max_rows``), for a failed expectation."""
        if self.success:
            return []
        if self.error:
            return [f"{self.table}: {', '.join(self.columns)}: could not check: {self.error} "
                    f"[{self.expectation}]"]
        out = []
        for o in self.offences[:max_rows]:
            where = f"{o.location}: " if o.location else ""
            out.append(f"{where}{o.subject}: {o.message} [{self.expectation}]")
        more = self.unexpected_count - min(len(self.offences), max_rows)
        if more > 0:
            out.append(f"  ... and {more} more row(s) of {self.table} fail {self.expectation} "
                       f"on {', '.join(self.columns)}")
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
        return pd.DataFrame([{"table": r.table, "expectation": r.expectation,
                              "columns": ", ".join(r.columns), "success": r.success,
                              "unexpected_count": r.unexpected_count, "error": r.error}
                             for r in self.results])


# --------------------------------------------------------------------------------------------
# Running GX


def _import_gx() -> Any:
    """Import GX quietly: no usage statistics, no progress bars, no deprecation noise."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
    return gx


def build_suites(rules: Sequence[Rule] = RULES) -> dict[str, ExpectationSuite]:
    """One GX expectation suite per table, from ``rules``.

    Each expectation carries the index of its rule in ``meta`` so that results can be turned
    back into located, readable lines.
    """
    gx = _import_gx()
    import great_expectations.expectations as gxe

    suites: dict[str, Any] = {}
    for i, rule in enumerate(rules):
        suite = suites.get(rule.table)
        if suite is None:
            suite = suites[rule.table] = gx.ExpectationSuite(name=f"forecastkit-{rule.table}")
        cls = getattr(gxe, rule.expectation)
        suite.add_expectation(cls(**dict(rule.kwargs), meta={"forecastkit_rule": i}))
    return suites


class ExpectationRunner:
    """A GX context with the forecastkit suites, ready to validate corpora.

    Building it costs the GX import (seconds) and some setup; reuse one runner to check several
    corpora (tests, notebooks). The context is ephemeral: nothing is written to disk except the
    Data Docs site, and only when :meth:`run` is given ``data_docs_dir``.
    """

    def __init__(self, rules: Sequence[Rule] = RULES) -> None:
        gx = _import_gx()
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self._gx = gx
        self.rules = tuple(rules)
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.context = gx.get_context(mode="ephemeral", project_config=config)
            source = self.context.data_sources.add_pandas("forecastkit")
            self._definitions = {}
            for table, suite in build_suites(self.rules).items():
                batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
                suite = self.context.suites.add(suite)
                self._definitions[table] = self.context.validation_definitions.add(
                    gx.ValidationDefinition(name=f"forecastkit-{table}", data=batch, suite=suite))
        self._docs_dir: Path | None = None

    def _docs_site(self, directory: Path) -> None:
        directory = directory.resolve()
        if self._docs_dir == directory:
            return
        if self._docs_dir is not None:
            self.context.delete_data_docs_site(_SITE)
        self.context.add_data_docs_site(_SITE, {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(directory)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
        self._docs_dir = directory

    def run(
        self,
        corpus: Corpus,
        *,
        today: dt.date | None = None,
        data_docs_dir: str | os.PathLike[str] | None = None,
    ) -> ExpectationReport:
        """Validate every table of ``corpus``; write Data Docs to ``data_docs_dir`` if given."""
        today_ts = pd.Timestamp(today or dt.date.today())
        parameters = {
            "claimants": sorted(corpus.authors["claimant"].dropna().astype(str).unique()),
            "claim_ids": sorted(corpus.claims["claim_id"].dropna().astype(str).unique()),
            "today": today_ts,
        }
        results: list[ExpectationResult] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # GX keeps every result in its (in-memory) store and Data Docs shows them all: keep
            # this run's only, so the site describes the corpus just checked.
            store = self.context.validation_results_store
            for key in store.list_keys():
                store.remove_key(key)
            for table, definition in self._definitions.items():
                frame = getattr(corpus, table).reset_index(drop=True)
                validation = definition.run(
                    batch_parameters={"dataframe": frame},
                    expectation_parameters=parameters,
                    result_format={"result_format": "COMPLETE"},
                )
                results.extend(_result(self.rules, r, frame, corpus, today_ts)
                               for r in validation.results)
            docs = None
            if data_docs_dir is not None:
                docs = self._write_docs(Path(data_docs_dir))
        results.sort(key=lambda r: r.rule)
        return ExpectationReport(results=tuple(results), data_docs=docs)

    def _write_docs(self, directory: Path) -> Path:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportError(f"cannot create the Data Docs folder: {exc.strerror}",
                                   file=directory, hint="pass a writable folder to --data-docs")
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

def _result(rules: Sequence[Rule], gx_result: Any, frame: pd.DataFrame, corpus: Corpus,
            today: pd.Timestamp) -> ExpectationResult:
    config = gx_result.expectation_config
    index = int((config.meta or {})["forecastkit_rule"])
    rule = rules[index]
    info = gx_result.exception_info or {}
    if info.get("raised_exception"):
        return ExpectationResult(rule.table, config.type, rule.columns, False, 0, rule=index,
                                 error=str(info.get("exception_message") or "GX raised an error"))
    res = gx_result.result or {}
    offences = tuple(_offence(rule, frame.loc[i], corpus, today)
                     for i in res.get("unexpected_index_list") or [] if i in frame.index)
    return ExpectationResult(rule.table, config.type, rule.columns, bool(gx_result.success),
                             int(res.get("unexpected_count") or 0), offences, rule=index)


def _show(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return "missing"
    if isinstance(value, float) and math.isnan(value):
        return "missing"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class _Shown(dict):
    """Row fields for a message template: values shown readably; ``!r`` quotes them."""

    def __missing__(self, key: str) -> str:
        return f"<{key}?>"


class _Text(str):
    def __repr__(self) -> str:
        return f"'{self}'" if self != "missing" else "missing"


def _offence(rule: Rule, row: pd.Series, corpus: Corpus, today: pd.Timestamp) -> Offence:
    fields = _Shown({k: _Text(_show(v)) for k, v in row.items()})
    fields["today"] = _Text(_show(today))
    text = rule.message.format_map(fields)
    location, subject = _where(rule.table, row, corpus)
    return Offence(location, subject, text)


def _where(table: str, row: pd.Series, corpus: Corpus) -> tuple[str, str]:
    """``file:line`` and a name for the row, so that the user can find and fix it."""
    def at(file: Any, line: Any = None) -> str:
        if file is None or file is pd.NA:
            return ""
        return f"{file}:{int(line)}" if line is not None and not pd.isna(line) else str(file)

    if table == "claims":
        return at(row.get("file"), row.get("line")), f"claim {_show(row.get('claim_id'))}"
    if table == "outcomes":
        return (at(row.get("file"), row.get("line")),
                f"outcome for {_show(row.get('claim_id'))} (entry {_show(row.get('entry'))})")
    if table == "evidence":
        return at(row.get("file"), row.get("line")), f"evidence for {_show(row.get('claim_id'))} (entry {_show(row.get('entry'))})"
    if table == "sources":
        return at(row.get("file"), row.get("line")), f"source {_show(row.get('source_id'))}"
    if table == "authors":
        return at(row.get("file"), row.get("line")), f"author {_show(row.get('claimant'))}"
    return "", table


