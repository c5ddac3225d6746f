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
it takes seconds (:mod:`forecastkit.validation.gx`). Each failed rule is reported per offending
row with the file and line it came from (:mod:`forecastkit.validation.results`)::

    claims/x.yaml:12: claim harbour-2023-fee-cut: made_on 2026-01-09 is after resolve_by
    2025-12-31 [expect_column_pair_values_a_to_be_greater_than_b]

What GX is handed is :func:`prepare`'s: per suite, the columns its rules read
(:mod:`forecastkit.validation.batches`) and the run's sets of known ids. ``reuse=True`` (the
command's default) keys a passed run on exactly that, and a later run of the same inputs reads
it back instead of running GX (:mod:`forecastkit.validation.result_cache`).

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
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from forecastkit.errors import ReportError
from forecastkit.records.corpus import Corpus
from forecastkit.records.offences import Offence
from forecastkit.records.rules import (
    ALL_RULES,
    RULES,
    TABLES,
    TYPE_RULES,
    Rule,
    has_types,
    parameters,
)
from forecastkit.validation.batches import gx_frame
from forecastkit.validation.gx import build_suites, import_gx
from forecastkit.validation.results import (
    MAX_ROWS_SHOWN,
    ExpectationReport,
    ExpectationResult,
    from_gx,
)

__all__ = [
    "ALL_RULES",
    "MAX_ROWS_SHOWN",
    "RULES",
    "TABLES",
    "ExpectationReport",
    "ExpectationResult",
    "ExpectationRunner",
    "Offence",
    "Prepared",
    "Rule",
    "build_suites",
    "prepare",
    "run_expectations",
]

_SITE = "forecastkit"
_PREFIX = {False: "forecastkit", True: "forecastkit-types"}


def default_data_docs_dir(corpus: str | os.PathLike[str] | None = None) -> Path:
    """Where ``forecastkit validate --data-docs`` writes: ``<project>/reports/validation`` of
    the project holding ``corpus`` (default: of the working directory)."""
    from forecastkit.records.paths import reports_dir

    return reports_dir(corpus) / "validation"


# --------------------------------------------------------------------------------------------
# What GX is handed


@dataclass(frozen=True)
class Prepared:
    """The inputs of one GX run over a corpus, made without GX.

    ``frames`` maps each suite (its table, and whether it holds the question types' rules) to
    the frame GX validates; ``params`` fills the rules' ``$PARAMETER`` placeholders.
    """

    corpus: Corpus
    rules: tuple[Rule, ...]  # every rule, by index (RULES then TYPE_RULES)
    frames: dict[tuple[str, bool], pd.DataFrame]
    params: dict[str, Any]
    today: pd.Timestamp


def suites_of(rules: Sequence[Rule], type_rules: Sequence[Rule]) -> list[tuple[str, bool]]:
    """The suites, in run order: one per table of ``rules``, then per table of ``type_rules``."""
    out: list[tuple[str, bool]] = []
    for typed, group in ((False, rules), (True, type_rules)):
        for rule in group:
            if (rule.table, typed) not in out:
                out.append((rule.table, typed))
    return out


def prepare(
    corpus: Corpus,
    today: dt.date | None = None,
    rules: Sequence[Rule] = RULES,
    type_rules: Sequence[Rule] = TYPE_RULES,
) -> Prepared:
    """What a GX run over ``corpus`` validates: a frame per suite (a corpus of binary questions
    is checked as before types: no question types' suite), and the parameters."""
    params = parameters(corpus, today)
    typed_corpus = has_types(corpus)
    frames = {}
    for table, typed in suites_of(rules, type_rules):
        if typed and not typed_corpus:
            continue
        group = type_rules if typed else rules
        frames[(table, typed)] = gx_frame(
            getattr(corpus, table), [r for r in group if r.table == table]
        )
    all_rules = tuple(rules) + tuple(type_rules)
    return Prepared(
        corpus, all_rules, frames, _used_values(corpus, all_rules, params), params["today"]
    )


def _used_values(corpus: Corpus, rules: Sequence[Rule], params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with each set of known ids cut to the ids the checked columns hold.

    The same values pass and fail (a value of a column is in the cut set exactly when it
    is in the whole one), but GX copies an expectation's configuration, parameters
    substituted, each time it reads it, thousands of times a run: with the 62,500 claim ids of
    PredictionBook that was 15 s of a 25 s validate.
    """
    used: dict[str, set[Any]] = {}
    for rule in rules:
        value_set = rule.kwargs.get("value_set")
        if isinstance(value_set, dict) and "$PARAMETER" in value_set:
            column = getattr(corpus, rule.table)[rule.kwargs["column"]].dropna().unique()
            values = pd.Series(column).to_numpy(dtype=object).tolist()  # not scalar by scalar
            used.setdefault(value_set["$PARAMETER"], set()).update(values)
    out = dict(params)
    for name, values in used.items():
        out[name] = [v for v in params[name] if v in values]
    return out


# --------------------------------------------------------------------------------------------
# Running GX


class ExpectationRunner:
    """A GX context with the forecastkit suites, ready to validate corpora.

    Building it costs the GX import (seconds) and some setup; reuse one runner to check several
    corpora (tests, notebooks). The context is ephemeral: nothing is written to disk except the
    Data Docs site, and only when :meth:`run` is given ``data_docs_dir``.
    """

    def __init__(
        self, rules: Sequence[Rule] = RULES, type_rules: Sequence[Rule] = TYPE_RULES
    ) -> None:
        gx = import_gx()
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self._gx = gx
        self._rules, self._type_rules = tuple(rules), tuple(type_rules)
        self.rules = self._rules + self._type_rules
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.context = gx.get_context(mode="ephemeral", project_config=config)
            source = self.context.data_sources.add_pandas("forecastkit")
            suites = {
                False: build_suites(rules),
                True: build_suites(type_rules, start=len(rules), name="forecastkit-types"),
            }
            # (table, whether it holds the question types' rules) -> its validation definition
            self._definitions: dict[tuple[str, bool], Any] = {}
            assets: dict[str, Any] = {}
            for table, typed in suites_of(rules, type_rules):
                if table not in assets:
                    assets[table] = source.add_dataframe_asset(table)
                name = f"{_PREFIX[typed]}-{table}"
                batch = assets[table].add_batch_definition_whole_dataframe(name)
                suite = self.context.suites.add(suites[typed][table])
                self._definitions[(table, typed)] = self.context.validation_definitions.add(
                    gx.ValidationDefinition(name=name, data=batch, suite=suite)
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
        inputs = prepare(corpus, today, self._rules, self._type_rules)
        return self.run_prepared(inputs, data_docs_dir=data_docs_dir)

    def run_prepared(
        self, inputs: Prepared, *, data_docs_dir: str | os.PathLike[str] | None = None
    ) -> ExpectationReport:
        """Validate the frames of ``inputs`` (:func:`prepare`); Data Docs as for :meth:`run`."""
        if inputs.rules != self.rules:
            raise ValueError("the inputs were prepared for other rules than the runner's")
        results: list[ExpectationResult] = []
        docs = data_docs_dir is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if docs:
                # GX keeps every result in its (in-memory) store and Data Docs shows them all:
                # keep this run's only, so the site describes the corpus just checked.
                store = self.context.validation_results_store
                for key in store.list_keys():
                    store.remove_key(key)
            for suite, frame in inputs.frames.items():
                validation = self._validate(self._definitions[suite], frame, inputs.params, docs)
                # an offending row is found by GX's index, its position in the whole table
                rows = frame
                if not validation.success:
                    rows = getattr(inputs.corpus, suite[0]).reset_index(drop=True)
                results.extend(
                    from_gx(self.rules, r, rows, inputs.corpus, inputs.today)
                    for r in validation.results
                )
            written = None
            if data_docs_dir is not None:
                written = self._write_docs(Path(data_docs_dir))
        results.sort(key=lambda r: r.rule)
        return ExpectationReport(results=tuple(results), data_docs=written)

    @staticmethod
    def _validate(definition: Any, frame: pd.DataFrame, params: dict[str, Any], docs: bool) -> Any:
        """GX's results for one suite over ``frame``.

        With Data Docs to write, the validation definition runs: it keeps its results in the
        context's store, which the site is built from. Without, the validator the definition
        would run runs alone (``ValidationDefinition.run`` in
        ``great_expectations/core/validation_definition.py`` is this validator, then the store:
        serialising every result with its configuration, 1.4 s of a 4 s run on PredictionBook),
        first pass/fail: GX's COMPLETE results (every offending row's index) take longer, and
        only a suite with a failed expectation is run again for its rows, so the lines
        reported are GX's own.
        """
        from great_expectations.validator.v1_validator import Validator

        batch_parameters = {"dataframe": frame}
        complete = {"result_format": "COMPLETE"}
        if docs:
            return definition.run(
                batch_parameters=batch_parameters,
                expectation_parameters=params,
                result_format=complete,
            )
        for result_format in ({"result_format": "BOOLEAN_ONLY"}, complete):
            validator = Validator(
                batch_definition=definition.batch_definition,
                batch_parameters=batch_parameters,
                result_format=result_format,
            )
            validation = validator.validate_expectation_suite(definition.suite, params)
            if all(r.success for r in validation.results):
                break
        return validation

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
    reuse: bool = False,
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
    reuse:
        Read a passed run of the very same inputs from the project's result cache instead of
        running GX, and record a passed run there (:mod:`forecastkit.validation.result_cache`;
        never with ``data_docs_dir``, which needs GX's own results).

    Returns
    -------
    ExpectationReport
        ``success``, a result per expectation, and :meth:`~ExpectationReport.render`.
    """
    groups = (runner._rules, runner._type_rules) if runner is not None else (RULES, TYPE_RULES)
    inputs = prepare(corpus, today, *groups)
    if not reuse or data_docs_dir is not None:
        runner = runner or ExpectationRunner()
        return runner.run_prepared(inputs, data_docs_dir=data_docs_dir)
    from forecastkit.validation import result_cache

    slot = result_cache.Slot.of(inputs)
    found = slot.read() if slot is not None else None
    if found is not None:
        return found
    runner = runner or ExpectationRunner()
    report = runner.run_prepared(inputs)
    if slot is not None:
        slot.write(report)
    return report
