"""Report parameters are checked before they reach a notebook, and cannot inject code."""

from __future__ import annotations

import ast
import datetime as dt

import pytest

from forecastkit.errors import ParameterError
from forecastkit.reports.parameters import check_parameters

from conftest import FIXTURE_CORPUS, ROOT

AUTHORS = ["ana-lindqvist", "tomas-reyes"]

GOOD = dict(
    author="ana-lindqvist",
    claims_dir=str(FIXTURE_CORPUS),
    scale="icd203",
    as_of="2025-06-30",
    min_n=10,
    authors=AUTHORS,
)

BAD = [
    # field, value, message fragment
    ("author", "ana-lindqvst", "unknown author 'ana-lindqvst'; did you mean 'ana-lindqvist'?"),
    ("author", "nobody", "unknown author 'nobody'"),
    ("author", 'x"; import os; os.system("id") #', "is not a claimant key"),
    ("author", "Ana-Lindqvist", "is not a claimant key"),
    ("author", 7, "is not a claimant key"),
    ("scale", "icd-203", "unknown scale 'icd-203'"),
    ("scale", "__import__('os')", "unknown scale"),
    ("as_of", "2025-13-01", "is not a date"),
    ("as_of", "31/12/2025", "is not a date"),
    ("as_of", "20251231", "is not a date"),
    ("as_of", "2025-06-30\nimport os", "is not a date"),
    ("min_n", "10", "is not a whole number"),
    ("min_n", True, "is not a whole number"),
    ("min_n", -1, "is not a whole number"),
    ("min_n", 2.5, "is not a whole number"),
    ("min_resolved", "20", "is not a whole number of resolved forecasts"),
    ("min_resolved", -1, "is not a whole number of resolved forecasts"),
    ("claims_dir", "/no/such/folder", "corpus folder not found"),
]


@pytest.mark.parametrize("field,value,message", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_parameter_is_a_one_line_error(field, value, message):
    with pytest.raises(ParameterError) as info:
        check_parameters(**dict(GOOD, **{field: value}))
    text = str(info.value)
    assert message in text
    assert "\n" not in text
    assert info.value.field == field


@pytest.mark.parametrize(
    "as_of,expected",
    [
        ("2025-06-30", "2025-06-30"),
        (dt.date(2024, 2, 29), "2024-02-29"),
        (None, dt.date.today().isoformat()),
    ],
)
def test_good_parameters(as_of, expected):
    params = check_parameters(**dict(GOOD, as_of=as_of))
    assert params.as_of == expected
    assert params.claims_dir == str(FIXTURE_CORPUS.resolve())
    assert set(params.as_dict()) == {
        "author",
        "claims_dir",
        "scale",
        "as_of",
        "min_n",
        "policy",
        "min_resolved",
    }
    assert all(v is None or type(v) in (str, int) for v in params.as_dict().values())


HOSTILE_FOLDERS = [
    'quote"; import os #',
    "single' quote",
    "back\\slash\\",
    'trailing-quote"',
    "new\nline",
    "tab\tand {braces}",
]


@pytest.mark.parametrize("name", HOSTILE_FOLDERS, ids=range(len(HOSTILE_FOLDERS)))
def test_parameter_values_cannot_inject_code(tmp_path, name):
    """papermill writes values as literals: the injected cell holds only constant assignments
    that read back as the values given, whatever a folder name contains."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    folder = tmp_path / name
    folder.mkdir()
    params = check_parameters(**dict(GOOD, claims_dir=str(folder)))
    nb = load_notebook_node(str(ROOT / "notebooks" / "author_report.ipynb"))
    nb = parameterize_notebook(nb, params.as_dict(), kernel_name="forecastkit", language="python")
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    tree = ast.parse(injected[0].source)
    values = {}
    for node in tree.body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant), ast.dump(node)
        values[node.targets[0].id] = node.value.value
    assert values == params.as_dict()
