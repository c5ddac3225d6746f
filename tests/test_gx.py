"""Importing GX (validation/gx.py): without scipy.stats, altair and jsonschema, which GX's
modules import at their top for expectations forecastkit never runs; GX's own use of them, and
anyone's later import, still gets the real modules."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CODE = """
import sys
from forecastkit.validation.gx import DEFERRED, import_gx
import_gx()
assert 'great_expectations' in sys.modules
assert not [n for n in DEFERRED if n in sys.modules], [n for n in DEFERRED if n in sys.modules]
assert 'ipywidgets' not in sys.modules  # altair's
import great_expectations.expectations.metrics.column_map_metrics as maps
js = maps.column_values_match_json_schema
assert js.jsonschema.ValidationError.__name__ == 'ValidationError'
import jsonschema
assert js.jsonschema.validate is jsonschema.validate
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
assert round(kl.stats.entropy([0.5, 0.5], [0.25, 0.75]), 6) == 0.143841  # GX's use: real scipy
import scipy.stats
assert type(scipy.stats).__name__ == 'module' and scipy.stats is sys.modules['scipy.stats']
assert scipy.stats.entropy is kl.stats.entropy
import altair
assert type(altair).__name__ == 'module' and kl.alt.Chart is altair.Chart
print('ok')
"""

ALREADY = """
import sys
import altair
from forecastkit.validation.gx import import_gx
import_gx()
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
assert kl.alt is altair  # imported before GX: GX gets it as it is
assert 'scipy.stats' not in sys.modules
print('ok')
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_gx_is_imported_without_the_deferred_modules_and_they_work_when_used():
    done = _run(CODE)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_a_module_imported_before_gx_is_left_alone():
    done = _run(ALREADY)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
