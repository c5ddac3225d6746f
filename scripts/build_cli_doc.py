"""Write docs/cli.md from the commands' own --help, so the reference cannot drift from the code.

Usage: .venv/bin/python scripts/build_cli_doc.py   (tests/test_cli_doc.py fails when it is stale)
"""

from __future__ import annotations

from pathlib import Path

import click

from forecastkit.cli import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    # make_context applies the command's context_settings (e.g. -h as a help option), as a
    # real invocation does; a bare click.Context would not, and the doc would drift.
    return command.make_context(
        name, [], parent=parent, resilient_parsing=True, terminal_width=100, max_content_width=100
    )


def _sections(command: click.Command, path: list[str], parent: click.Context | None) -> list[str]:
    ctx = _context(command, path[-1], parent)
    title = "#" * min(len(path), 3)
    parts = [] if parent is None else [f"{title} `{' '.join(path)}`", ""]
    parts += ["```", command.get_help(ctx), "```", ""]
    if isinstance(command, click.Group):  # e.g. `forecastkit add source`
        for name in sorted(command.list_commands(ctx)):
            parts += _sections(command.get_command(ctx, name), [*path, name], ctx)
    return parts


def render() -> str:
    """The CLI reference as Markdown: the group's help, then each command's help."""
    header = [
        "# Command-line reference",
        "",
        "Generated from `forecastkit --help` by `scripts/build_cli_doc.py`; do not edit by hand.",
        "",
    ]
    return "\n".join(header + _sections(main, ["forecastkit"], None))


if __name__ == "__main__":
    DOC.write_text(render(), "utf-8")
    print(f"wrote {DOC}")
