"""The report command, over the reports wing."""

from __future__ import annotations

import datetime as dt
import sys

import click

from forecastkit.cli.common import (
    CORPUS_ARG,
    DATE,
    EXIT_INVALID,
    POLICY_OPTION,
    handle_errors,
    scale_option,
)


@click.command()
@CORPUS_ARG
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for the reports (default: the project's reports/).",
)
@click.option(
    "--author",
    "authors",
    multiple=True,
    metavar="KEY",
    help="Only this claimant's report (repeatable); default: every claimant.",
)
@click.option(
    "--min-claims",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Report only on claimants with at least this many forecasts.",
)
@click.option(
    "--min-resolved",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Report only on claimants with at least this many forecasts resolved true or "
    "false (as of --as-of); the overview ranks only them.",
)
@scale_option
@click.option(
    "--as-of",
    "as_of_date",
    type=DATE,
    default=None,
    help="Report the record as it stood on DATE (default: today).",
)
@click.option(
    "--min-n",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Resolved forecasts a claimant needs before a report draws conclusions.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Parallel workers, each with one warm kernel (default: 2).",
)
@click.option(
    "--force", is_flag=True, help="Execute every report, even those whose inputs are unchanged."
)
@click.option(
    "--static-charts/--no-static-charts",
    default=None,
    help="Also draw each chart as a static SVG (in the notebook, and in the page where scripts "
    "do not run). Default: with --self-contained only; a folder's pages draw charts with "
    "assets/.",
)
@click.option(
    "--self-contained",
    is_flag=True,
    help="Inline the chart and table scripts in every page instead of sharing one copy "
    "in OUTPUT/assets/.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when standard error is a terminal).",
)
@POLICY_OPTION
@handle_errors
def report(
    path: str | None,
    output: str | None,
    authors: tuple[str, ...],
    min_claims: int,
    min_resolved: int,
    self_contained: bool,
    scale: str,
    as_of_date: dt.date | None,
    min_n: int,
    workers: int | None,
    force: bool,
    static_charts: bool | None,
    progress: bool | None,
    policy: str,
) -> None:
    """Execute the report notebooks: the overview, one report per claimant, and an index.

    Writes OUTPUT/<key>.ipynb and OUTPUT/<key>.html for each claimant, OUTPUT/overview.*,
    OUTPUT/index.html and OUTPUT/manifest.json. Reports whose inputs (claims, outcomes,
    notebook, package, parameters) are unchanged since the last run are not executed again.
    A failing report does not stop the others; the run then exits with status 1 and keeps the
    last good version of that report.

    Pages share one copy of the chart and table scripts in OUTPUT/assets/ (the folder can be
    moved or zipped whole); --self-contained makes each page a single file instead.

    Example: forecastkit report claims/ --output reports/ --min-resolved 20
    """
    from forecastkit.reports.runner import run_reports

    summary = run_reports(
        path,
        output,
        authors=authors or None,
        min_claims=min_claims,
        min_resolved=min_resolved,
        self_contained=self_contained,
        scale=scale,
        as_of=as_of_date,
        min_n=min_n,
        workers=workers,
        force=force,
        progress=progress,
        static_charts=static_charts,
        policy=policy,
    )
    click.echo(summary.render(), err=True)
    if summary.interrupted:
        sys.exit(130)
    if summary.failed:
        sys.exit(EXIT_INVALID)
