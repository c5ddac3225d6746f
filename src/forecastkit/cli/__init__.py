"""The ``forecastkit`` command: a thin layer over the library.

Each command parses its options, calls one library function and prints the result. Library
errors (:class:`forecastkit.errors.ForecastkitError`) become one-line messages on standard error
with a non-zero exit; a user's mistake never shows a traceback. Commands are grouped by the
wing they call: :mod:`.records`, :mod:`.scoring`, :mod:`.reports`, :mod:`.editing` (resolve,
import), :mod:`.adding` (add) and :mod:`.extraction`.
"""

from __future__ import annotations

import click

from forecastkit import __version__
from forecastkit.cli import adding, editing, extraction, records, reports, scoring
from forecastkit.cli.common import OneLineErrors


@click.group(
    cls=OneLineErrors,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="forecastkit")
def main() -> None:
    """Record published forecasts, log their outcomes, and score the people who made them.

    Every command takes the corpus folder as an optional first argument. Without it, the
    nearest corpus at or above the working directory (a folder with authors.yaml, or a claims/
    folder), then $FORECASTKIT_ROOT/claims, then the installed project's claims/.
    """


for _command in (
    records.validate,
    records.export,
    records.due,
    records.show,
    records.lexicon,
    scoring.score,
    reports.report,
    editing.resolve,
    adding.add,
    editing.import_,
    extraction.extract,
):
    main.add_command(_command)
