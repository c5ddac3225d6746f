"""The project commands: ``init`` (a new tracker) and ``lab`` (JupyterLab in it)."""

from __future__ import annotations

import sys

import click

from forecastkit.cli.common import DEFAULT_POLICY, POLICY_CHOICES, check_scale, handle_errors
from forecastkit.records.lexicon import DEFAULT_SCALE

# init's defaults are the package's: the forecastkit.toml of a project the user happens to
# stand in (other commands' defaults) is not copied into a new project.


@click.command()
@click.argument("folder", required=False, default=".", type=click.Path())
@click.option(
    "--scale",
    default=DEFAULT_SCALE,
    show_default=True,
    metavar="NAME",
    callback=check_scale,
    help="The project's default lexicon scale (see `forecastkit lexicon`).",
)
@click.option(
    "--policy",
    type=click.Choice(POLICY_CHOICES),
    default=DEFAULT_POLICY,
    show_default=True,
    help="The project's default for a claimant's several forecasts on one question.",
)
@handle_errors
def init(folder: str, scale: str, policy: str) -> None:
    """Start a forecast tracker in FOLDER (default: here): claims/, notebooks/, reports/,
    schemas/, a README, git settings and forecastkit.toml, which every command finds by looking
    upwards.

    FOLDER must hold no project and no corpus (claims/, authors.yaml, notebooks/, reports/,
    schemas/); otherwise nothing is changed. A README.md of yours is kept, and your .gitignore
    and .gitattributes get only the lines they lack. In a git repository the nbstripout filter
    is set (when nbstripout is installed). The Jupyter kernel the notebooks use (forecastkit)
    is installed into this Python's environment when missing.

    Example: forecastkit init my-tracker && cd my-tracker && forecastkit add author jane-doe
    --name "Jane Doe"
    """
    from forecastkit.errors import ForecastkitError
    from forecastkit.records.project import configure_nbstripout, init_project
    from forecastkit.reports.kernels import ensure_kernel

    notes: list[str] = []
    root = init_project(folder, scale=scale, policy=policy, notes=notes)
    click.echo(
        f"forecastkit project in {root}: claims/, notebooks/, reports/, schemas/, forecastkit.toml"
    )
    for note in notes:
        click.echo(note)
    click.echo(configure_nbstripout(root))
    try:
        ensure_kernel()
    except ForecastkitError as exc:  # the project is made; reports need the kernel later
        click.echo(f"warning: {exc}", err=True)
    click.echo("next: forecastkit add author KEY --name NAME; forecastkit report; forecastkit lab")


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("lab_args", nargs=-1, type=click.UNPROCESSED)
@handle_errors
def lab(lab_args: tuple[str, ...]) -> None:
    """Open JupyterLab in this project (found upwards, as every command finds it) on
    notebooks/explore.ipynb; the notebooks read the project's claims/.

    Options after the command go to JupyterLab. Example: forecastkit lab --port 8899
    --no-browser
    """
    from forecastkit.records.paths import project_root
    from forecastkit.reports.lab import start_lab

    proc = start_lab(project_root(), lab_args)
    try:
        sys.exit(proc.wait())
    except KeyboardInterrupt:  # JupyterLab had the Ctrl-C too and is shutting down
        sys.exit(proc.wait())
