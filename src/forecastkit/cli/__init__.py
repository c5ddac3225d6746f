"""The ``forecastkit`` command: a thin layer over the library.

Each command parses its options, calls one library function and prints the result. Library
errors (:class:`forecastkit.errors.ForecastkitError`) become one-line messages on standard error
with a non-zero exit; a user's mistake never shows a traceback. Commands are grouped by the
wing they call: :mod:`.records`, :mod:`.scoring`, :mod:`.reports`, :mod:`.editing` (resolve,
import), :mod:`.adding` (add), :mod:`.extraction` (extract) and :mod:`.review` (review).
"""

from __future__ import annotations

import importlib

import click

from forecastkit import __version__
from forecastkit.cli.common import OneLineErrors

#: Each command and where it lives (``module:function`` under ``forecastkit.cli``), in the
#: order of the workflow (``--help`` sorts them). A command's module is imported only when that
#: command runs (click's lazily loaded subcommands), so ``forecastkit score`` does not pay
#: for the imports of ``extract`` or ``report``.
COMMANDS = {
    "init": "project:init",
    "validate": "records:validate",
    "export": "records:export",
    "due": "records:due",
    "show": "records:show",
    "lexicon": "records:lexicon",
    "score": "scoring:score",
    "report": "reports:report",
    "resolve": "editing:resolve",
    "add": "adding:add",
    "import": "editing:import_",
    "extract": "extraction:extract",
    "review": "review:review",
    "lab": "project:lab",
}


class LazyCommands(OneLineErrors):
    """The command group, importing a command's module when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        module, name = where.split(":")
        return getattr(importlib.import_module(f"forecastkit.cli.{module}"), name)


@click.group(
    cls=LazyCommands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="forecastkit")
def main() -> None:
    """Record published forecasts, log their outcomes, and score the people who made them.

    Start a tracker with `forecastkit init DIR`. Every command takes the corpus folder as an
    optional first argument. Without it, the nearest corpus at or above the working directory
    (a folder with authors.yaml, or the claims/ of a project: a folder with forecastkit.toml),
    then $FORECASTKIT_ROOT/claims; reports, notebooks and caches come from that project. With
    neither, a command refuses and names `forecastkit init` (no example corpus stands in).
    """
