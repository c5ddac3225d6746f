"""Write docs/cli.md from the commands' own --help, so the reference cannot drift from the code.

Usage: .venv/bin/python scripts/build_cli_doc.py   (tests/test_cli_doc.py fails when it is stale)
"""

from __future__ import annotations

from pathlib import Path

import click

from forecastkit.cli import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render() -> str:
    """The CLI reference as Markdown: the group's help, then each command's help."""
    parts = [
        "# Command-line reference",
        "",
        "Generated from `forecastkit --help` by `scripts/build_cli_doc.py`; do not edit by hand.",
        "",
    ]
    with click.Context(main, info_name="forecastkit", terminal_width=100, max_content_width=100) as ctx:
        parts += ["```", main.get_help(ctx), "```", ""]
        for name in sorted(main.list_commands(ctx)):
            command = main.get_command(ctx, name)
            with click.Context(command, info_name=name, parent=ctx, terminal_width=100,
                               max_content_width=100) as sub:
                parts += [f"## `forecastkit {name}`", "", "```", command.get_help(sub), "```", ""]
                if isinstance(command, click.Group):  # e.g. `forecastkit add source`
                    for sub_name in sorted(command.list_commands(sub)):
                        leaf = command.get_command(sub, sub_name)
                        with click.Context(leaf, info_name=sub_name, parent=sub, terminal_width=100,
                                           max_content_width=100) as leaf_ctx:
                            parts += [f"### `forecastkit {name} {sub_name}`", "", "```",
                                      leaf.get_help(leaf_ctx), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.write_text(render(), "utf-8")
    print(f"wrote {DOC}")
