"""The ``forecastkit`` command: a thin layer over the library.

Each command parses its options, calls one library function and prints the result. Library
errors (:class:`forecastkit.errors.ForecastkitError`) become one-line messages on standard error
with a non-zero exit; a user's mistake never shows a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from forecastkit import __version__
from forecastkit.errors import ForecastkitError, ValidationFailed

#: Exit codes: 1 for invalid data (validation failed, a report failed), 2 for usage errors.
EXIT_INVALID = 1
EXIT_USAGE = 2

CORPUS_ARG = click.argument("path", required=False, type=click.Path(file_okay=True, dir_okay=True))


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """Print ``error: message`` to standard error and exit with ``code``."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn forecastkit errors into one-line messages and an exit code (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            for e in exc.errors:
                click.echo(f"error: {e}", err=True)
            n_files = len({e.file for e in exc.errors})
            click.echo(f"{len(exc.errors)} error(s) in {n_files} file(s); nothing was written",
                       err=True)
            sys.exit(EXIT_INVALID)
        except ForecastkitError as exc:
            fail(str(exc), EXIT_INVALID)
        except BrokenPipeError:  # `forecastkit export | head`
            sys.exit(0)

    return wrapper


def parse_date(value: str | None, option: str) -> dt.date | None:
    """An ISO date from an option, or a one-line usage error naming the option."""
    if value is None:
        return None
    from forecastkit.dates import parse_user_date

    try:
        return parse_user_date(value)
    except ForecastkitError as exc:
        fail(f"{option}: {exc.message}" + (f"; {exc.hint}" if exc.hint else ""))
    return None  # unreachable


class DateType(click.ParamType):
    """A click parameter for dates: ISO ``YYYY-MM-DD`` (and plain-language dates where known)."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from forecastkit.dates import parse_user_date

        try:
            return parse_user_date(str(value))
        except ForecastkitError as exc:
            self.fail(exc.message + (f"; {exc.hint}" if exc.hint else ""), param, ctx)


DATE = DateType()


def scale_option(func: Callable[..., Any]) -> Callable[..., Any]:
    from forecastkit.lexicon import DEFAULT_SCALE

    return click.option(
        "--scale", default=DEFAULT_SCALE, show_default=True, metavar="NAME", callback=_check_scale,
        help="Lexicon scale that reads hedges as probabilities (see `forecastkit lexicon`).",
    )(func)


class OneLineErrors(click.Group):
    """A click group whose usage errors are one line (``error: --scale: ...``), exit code 2."""

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        extra.pop("standalone_mode", None)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            fail(exc.format_message().replace("\n", " ") + hint, exc.exit_code)
        except click.exceptions.Abort:
            fail("aborted; nothing was written", EXIT_INVALID)
        sys.exit(result if isinstance(result, int) else 0)


def _check_scale(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from forecastkit.lexicon import get_scale

    try:
        get_scale(value)
    except ForecastkitError as exc:
        raise click.BadParameter(exc.message + (f"; {exc.hint}" if exc.hint else "")) from None
    return value


@click.group(cls=OneLineErrors,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="forecastkit")
def main() -> None:
    """Record published forecasts, log their outcomes, and score the people who made them.

    Every command takes the corpus folder as an optional first argument (default: the
    project's claims/ folder).
    """


@main.command()
@CORPUS_ARG
@scale_option
@click.option("--today", type=DATE, default=None, help="Check outcomes against this date instead of today.")
@click.option("--no-expectations", is_flag=True,
              help="Skip the Great Expectations suites (the schema layer alone is instant).")
@click.option("--data-docs", "data_docs", is_flag=False, flag_value="", default=None, metavar="[DIR]",
              help="Write GX Data Docs (HTML) to DIR (default: reports/validation).")
@handle_errors
def validate(path: str | None, scale: str, today: dt.date | None, no_expectations: bool,
             data_docs: str | None) -> None:
    """Check claim files, the authors registry and outcome logs.

    Two layers: the schema and cross-file checks (every error names its file, line and field
    and says how to fix it), then, when those pass, Great Expectations suites over the loaded
    tables (uniqueness, value sets, ranges, date order, references). Nothing is written unless
    --data-docs is given.

    Example: forecastkit validate claims/ --data-docs
    """
    from forecastkit.corpus import check

    corpus, errors = check(path, scale, today=today)
    if errors:
        raise ValidationFailed(errors)
    assert corpus is not None
    n = len(corpus.claims)
    click.echo(
        f"ok: {n} claims ({len(corpus.forecasts())} forecasts) in {len(corpus.sources)} sources, "
        f"{len(corpus.authors)} authors, {len(corpus.outcomes)} outcome entries"
    )
    if no_expectations:
        return
    from forecastkit.expectations import default_data_docs_dir, run_expectations

    docs_dir = (data_docs or default_data_docs_dir()) if data_docs is not None else None
    report = run_expectations(corpus, today=today, data_docs_dir=docs_dir)
    if not report.success:
        for line in report.render().splitlines():
            click.echo(line if line.startswith(("GX:", "Data Docs:")) else f"error: {line}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(report.render())


@main.command()
@CORPUS_ARG
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "parquet"]), default="csv",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE instead of standard output.")
@scale_option
@handle_errors
def export(path: str | None, fmt: str, output: str | None, scale: str) -> None:
    """Write one row per claim with its status, for other tools.

    Columns: claim_id, source_id, source_title, publisher, published, byline, claimant,
    claimant_name, claimant_role, kind, quote, proposition, hedge, probability, scale, made_on,
    resolve_by, deadline, condition, tags, status, resolved_on, evidence_count.

    Example: forecastkit export claims/ --format csv --output claims.csv
    """
    from forecastkit.corpus import load
    from forecastkit.export import export_table, write_table

    table = export_table(load(path, scale))
    write_table(table, fmt, output)
    if output:
        click.echo(f"wrote {len(table)} claims to {output}", err=True)


@main.command()
@CORPUS_ARG
@click.option("--within", type=click.IntRange(min=0), default=None, metavar="DAYS",
              help="Also list open claims coming due in the next DAYS days.")
@click.option("--today", type=DATE, default=None, help="Pretend today is DATE.")
@handle_errors
def due(path: str | None, within: int | None, today: dt.date | None) -> None:
    """List open forecasts past their resolve_by date, oldest first.

    Example: forecastkit due claims/ --within 30
    """
    from forecastkit.corpus import load
    from forecastkit.due import due_claims

    corpus = load(path, today=today)
    table = due_claims(corpus, today=today, within=within)
    if table.empty:
        click.echo("nothing due")
        return
    for row in table.itertuples():
        click.echo(f"{row.resolve_by:%Y-%m-%d}  {row.when:>16}  {row.claim_id}  ({row.claimant})")
        click.echo(f"    {row.proposition}")
    click.echo(f"{len(table)} claim(s) due")


@main.command()
@click.option("--scale", default=None, metavar="NAME",
              help="Show only this scale (default: every shipped scale).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--house", is_flag=True,
              help="Show the house mapping (hedge -> level, with rationale) instead of the scales.")
@handle_errors
def lexicon(scale: str | None, fmt: str, house: bool) -> None:
    """List the verbal-probability scales that read hedges, or the house mapping.

    Each scale is headed by its citation; each phrase shows the house level it reads and its
    point and range. See docs/lexicon.md.

    Example: forecastkit lexicon --scale phia
    """
    from forecastkit.errors import UnknownScaleError
    from forecastkit.lexicon import get_scale, render_lexicon

    if scale is not None:
        try:
            get_scale(scale)
        except UnknownScaleError as exc:
            fail(str(exc), EXIT_USAGE)
    click.echo(render_lexicon(scale, fmt, house), nl=False)


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--by", default="claimant", show_default=True,
              help="Group by this column: claimant, publisher, tag, year, or any column.")
@click.option("--scale", default=None, metavar="NAME",
              help="Lexicon scale that reads hedges (claims folders only; default icd203).")
@click.option("--as-of", "as_of_date", type=DATE, default=None,
              help="Score the corpus as it stood on DATE (later claims dropped, later outcomes open).")
@click.option("--min-n", type=click.IntRange(min=0), default=10, show_default=True,
              help="Flag groups with fewer resolved forecasts than this.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format (csv and json carry every column).")
@click.option("--ci/--no-ci", default=True, show_default=True,
              help="Bootstrap 95% intervals (2,000 resamples; --no-ci for large tables).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap.")
@handle_errors
def score(path: str | None, by: str, scale: str | None, as_of_date: dt.date | None, min_n: int,
          fmt: str, ci: bool, seed: int) -> None:
    """Score forecasts by claimant (or any column): Brier, log score, hit rate, skill, CORP.

    PATH is a claims folder (default: the project's claims/) or a CSV/Parquet table of
    forecasts with columns probability, outcome and the grouping column. Ambiguous and
    annulled claims are counted, not scored. See docs/scoring.md.

    Example: forecastkit score claims/ --by publisher --as-of 2020-12-31 --format csv
    """
    from forecastkit.forecast_table import load_forecasts
    from forecastkit.grouped import as_of, render_scores, score_table

    forecasts = load_forecasts(path, scale=scale, by=by)
    if as_of_date is not None:
        forecasts = as_of(forecasts, as_of_date)
    table = score_table(forecasts, by, min_n=min_n, ci=ci, seed=seed)
    click.echo(render_scores(table, fmt, min_n=min_n), nl=False)


@main.command()
@CORPUS_ARG
@click.option("--output", "-o", type=click.Path(file_okay=False), default=None,
              help="Folder for the reports (default: the project's reports/).")
@click.option("--author", "authors", multiple=True, metavar="KEY",
              help="Only this claimant's report (repeatable); default: every claimant.")
@click.option("--min-claims", type=click.IntRange(min=1), default=1, show_default=True,
              help="Report only on claimants with at least this many forecasts.")
@scale_option
@click.option("--as-of", "as_of_date", type=DATE, default=None,
              help="Report the record as it stood on DATE (default: today).")
@click.option("--min-n", type=click.IntRange(min=0), default=10, show_default=True,
              help="Resolved forecasts a claimant needs before a report draws conclusions.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parallel workers, each with one warm kernel (default: 2).")
@click.option("--force", is_flag=True, help="Execute every report, even those whose inputs are unchanged.")
@click.option("--static-charts/--no-static-charts", default=True, show_default=True,
              help="Also draw each chart as a static SVG, shown where scripts do not run.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: when standard error is a terminal).")
@handle_errors
def report(path: str | None, output: str | None, authors: tuple[str, ...], min_claims: int,
           scale: str, as_of_date: dt.date | None, min_n: int, workers: int | None, force: bool,
           static_charts: bool, progress: bool | None) -> None:
    """Execute the report notebooks: the overview, one report per claimant, and an index.

    Writes OUTPUT/<key>.ipynb and OUTPUT/<key>.html for each claimant, OUTPUT/overview.*,
    OUTPUT/index.html and OUTPUT/manifest.json. Reports whose inputs (claims, outcomes,
    notebook, package, parameters) are unchanged since the last run are not executed again.
    A failing report does not stop the others; the run then exits with status 1 and keeps the
    last good version of that report.

    Example: forecastkit report claims/ --output reports/ --min-claims 3
    """
    from forecastkit.report import run_reports

    summary = run_reports(path, output, authors=authors or None, min_claims=min_claims, scale=scale,
                          as_of=as_of_date, min_n=min_n, workers=workers, force=force,
                          progress=progress, static_charts=static_charts)
    click.echo(summary.render(), err=True)
    if summary.interrupted:
        sys.exit(130)
    if summary.failed:
        sys.exit(EXIT_INVALID)
