"""Great Expectations itself: imported quietly, and the expectation suites built from the rules.

GX takes seconds to import, so only this wing imports it, and only when the suites run
(``forecastkit validate`` without ``--no-expectations``), without the modules of
:data:`DEFERRED`, which GX imports for expectations forecastkit never runs.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
import types
import warnings
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from forecastkit.records.rules import RULES, Rule

if TYPE_CHECKING:  # pragma: no cover - typing only; GX is imported lazily
    from great_expectations import ExpectationSuite


#: Modules GX imports at its top only for expectations forecastkit never runs, and uses inside
#: functions only: scipy.stats for the KL-divergence and Kolmogorov-Smirnov expectations and
#: metrics, altair for the KL-divergence expectation's charts, jsonschema for
#: expect_column_values_to_match_json_schema (in ``great_expectations/expectations/``:
#: ``core/expect_column_kl_divergence_to_be_less_than.py``,
#: ``metrics/column_aggregate_metrics/column_*ks_test_p_value.py``,
#: ``metrics/column_map_metrics/column_values_match_json_schema.py``). Importing them was 1.4 to
#: 1.7 s of a 3 to 5 s GX import (altair brings ipywidgets and IPython too).
DEFERRED = ("scipy.stats", "altair", "jsonschema")


class _Deferred(types.ModuleType):
    """Stands in for a module of :data:`DEFERRED` while GX is imported. The first use of any of
    its names imports the real module (by then out of ``sys.modules``) and answers from it, so
    GX's code that does use one works as before, and anyone else importing it gets the real one.
    """

    def __init__(self, name: str, spec: importlib.machinery.ModuleSpec) -> None:
        super().__init__(name)
        self.__spec__ = spec  # what the import system asks of a module in sys.modules

    def __getattr__(self, attr: str) -> Any:
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attr)


def _spec(name: str) -> importlib.machinery.ModuleSpec | None:
    try:
        return importlib.util.find_spec(name)
    except ImportError:  # its package is not installed
        return None


def import_gx() -> Any:
    """Import GX quietly (no usage statistics, no progress bars, no deprecation noise) and
    without the modules of :data:`DEFERRED`, which are imported when first used."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    if "great_expectations" in sys.modules:
        return sys.modules["great_expectations"]
    # jsonschema, when the optional package rfc3987_syntax is installed, builds an Earley parser
    # of the RFC 3987 grammar at import, for its "iri" format checker: 0.5 s idle, 5 s of a
    # loaded machine's 14 s GX import. jsonschema is deferred (above), but should anything
    # import it while GX loads: no check of ours uses that format (forecastkit's JSON Schemas
    # name no "format" and are checked without a format checker; no GX rule of ours uses JSON
    # Schema), so the import is skipped: jsonschema then leaves the "iri" checkers out.
    blocked = "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    deferred = []
    for name in DEFERRED:
        spec = _spec(name) if name not in sys.modules else None
        if spec is not None:  # not imported yet, and there to import later
            sys.modules[name] = _Deferred(name, spec)
            deferred.append(name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
        for name in deferred:  # GX's modules keep their stand-ins; everyone else imports anew
            if isinstance(sys.modules.get(name), _Deferred):
                del sys.modules[name]
    return gx


def build_suites(
    rules: Sequence[Rule] = RULES, *, start: int = 0, name: str = "forecastkit"
) -> dict[str, ExpectationSuite]:
    """One GX expectation suite per table, from ``rules``.

    Each expectation carries the index of its rule in ``meta`` (counted from ``start``) so that
    results can be turned back into located, readable lines.
    """
    gx = import_gx()
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

    GX reads an expectation's arguments through its ``configuration`` property, which rebuilds
    every argument with pydantic's ``dict()``, item by item (``Expectation.configuration`` in
    ``great_expectations/expectations/expectation.py``; ``BaseModel._iter`` and ``_get_value``
    in ``pydantic/v1/main.py``), thousands of times a run. With 15,000 question ids that was
    1.1 million ``_get_value`` calls, 5 of a 10 s profiled run on PredictionBook. This subclass
    looks every key up in one configuration instead of one per key, and its ``dict()`` copies a
    list of text ids as one list copy: the same values, as a new list, as pydantic returns.
    """
    import_gx()
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

        def dict(self, **kwargs: Any) -> dict[str, Any]:
            ids = self.__dict__.get("value_set")
            if (
                kwargs.get("include") is not None
                or kwargs.get("exclude") is not None
                or kwargs.get("by_alias")
                or not isinstance(ids, list)
                or set(map(type, ids)) - {str}
            ):
                return super().dict(**kwargs)  # a $PARAMETER, or anything but text ids
            out = super().dict(**kwargs, exclude={"value_set"})
            return {  # the fields in pydantic's order
                key: list(ids) if key == "value_set" else out[key]
                for key in self.__dict__
                if key == "value_set" or key in out
            }

    return ExpectColumnValuesToBeKnownIds
