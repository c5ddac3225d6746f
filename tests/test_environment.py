"""The conda route (environment.yml) and pip route (pyproject.toml) install the same things."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT

#: conda-forge names that differ from the PyPI name of the same package.
CONDA_TO_PYPI = {"python-fastjsonschema": "fastjsonschema"}


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0]
    return name.lower().replace("_", "-").replace(".", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    pip_side = {_name(r) for r in project["dependencies"]}
    pip_side |= {_name(r) for r in project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    conda_side = {
        CONDA_TO_PYPI.get(_name(d), _name(d)) for d in env["dependencies"] if isinstance(d, str)
    }
    conda_side -= {"python", "pip"}
    assert conda_side == pip_side
