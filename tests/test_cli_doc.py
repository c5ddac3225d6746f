"""docs/cli.md is generated from --help: it lists every command and is not stale."""

from __future__ import annotations

import importlib.util

import click

from forecastkit.cli import main

from conftest import ROOT


def _render() -> str:
    spec = importlib.util.spec_from_file_location(
        "build_cli_doc", ROOT / "scripts" / "build_cli_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render()


def test_cli_reference_is_current():
    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert doc == _render(), "docs/cli.md is stale: run .venv/bin/python scripts/build_cli_doc.py"


def test_every_command_is_documented_with_an_example():
    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    with click.Context(main) as ctx:
        for name in main.list_commands(ctx):
            assert f"## `forecastkit {name}`" in doc, name
            help_text = main.get_command(ctx, name).help or ""
            assert "Example" in help_text or "example" in help_text, (
                f"{name} has no example in its help"
            )
