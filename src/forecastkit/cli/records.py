"""Commands over the records wing: validate, export, due, show, lexicon."""

from __future__ import annotations

import datetime as dt
import sys

import click

from forecastkit.cli.common import (
    CORPUS_ARG,
    CORPUS_OPTION,
    DATE,
    EXIT_INVALID,
    EXIT_USAGE,
    corpus_and,
    fail,
    handle_errors,
    scale_option,
)
from forecastkit.errors import ValidationFailed


@click.command()
@CORPUS_ARG
@scale_option
@click.option(
    "--today", type=DATE, default=None, help="Check outcomes against this date instead of today."
)
@click.option(
    "--no-expectations",
    is_flag=True,
    help="Skip the Great Expectations suites (the schema layer alone is instant).",
)
@click.option(
    "--data-docs",
    "data_docs",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[DIR]",
    help="Write GX Data Docs (HTML) to DIR (default: reports/validation).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every file and run every GX suite, trusting no cache of an earlier run.",
)
@handle_errors
def validate(
    path: str | None,
    scale: str,
    today: dt.date | None,
    no_expectations: bool,
    data_docs: str | None,
    no_cache: bool,
) -> None:
    """Check claim files, the authors registry and outcome logs.

    Two layers: the schema and cross-file checks (every error names its file, line and field
    and says how to fix it), then, when those pass, Great Expectations suites over the loaded
    tables (uniqueness, value sets, ranges, date order, references). In a project, the tables
    of an unchanged corpus come from .forecastkit/cache, and a GX run that passed on the very
    same tables, files, suites and versions is reused (the last line says so); --no-cache does
    both layers from scratch. Nothing else is written unless --data-docs is given.

    Example: forecastkit validate claims/ --data-docs
    """
    from forecastkit.records.corpus import check

    corpus, errors = check(path, scale, today=today, cache=not no_cache)
    if errors:
        raise ValidationFailed(errors)
    assert corpus is not None
    n = len(corpus.claims)
    click.echo(
        f"ok: {n} claims ({len(corpus.forecasts())} forecasts) in {len(corpus.sources)} sources, "
        f"{len(corpus.authors)} authors, {len(corpus.outcomes)} outcome entries"
    )
    for file, count in sorted(getattr(corpus, "candidates", {}).items()):
        click.echo(
            f"{file}: {count} candidate(s) to review (never scored): forecastkit review list"
        )
    if no_expectations:
        return
    from forecastkit.validation.expectations import default_data_docs_dir, run_expectations

    docs_dir = (data_docs or default_data_docs_dir(corpus.root)) if data_docs is not None else None
    report = run_expectations(corpus, today=today, data_docs_dir=docs_dir, reuse=not no_cache)
    if not report.success:
        for line in report.render().splitlines():
            click.echo(
                line if line.startswith(("GX:", "Data Docs:")) else f"error: {line}", err=True
            )
        sys.exit(EXIT_INVALID)
    click.echo(report.render())


@click.command()
@CORPUS_ARG
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "parquet"]),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to FILE instead of standard output.",
)
@scale_option
@click.option(
    "--history",
    is_flag=True,
    help="One row per outcome entry (every revision), with its claim's columns.",
)
@click.option(
    "--as-of",
    "as_of_date",
    type=DATE,
    default=None,
    help="The corpus as it stood on DATE: later claims left out, later outcomes open.",
)
@handle_errors
def export(
    path: str | None,
    fmt: str,
    output: str | None,
    scale: str,
    history: bool,
    as_of_date: dt.date | None,
) -> None:
    """Write one row per claim with its status, for other tools.

    Columns: claim_id, source_id, source_title, publisher, published, byline, claimant,
    claimant_name, claimant_role, kind, quote, proposition, hedge, probability, scale, made_on,
    resolve_by, deadline, condition, tags, status, resolved_on, evidence_count, question_id,
    question_text, question_type, form, forecast (a non-binary forecast as add claim takes it,
    e.g. medvedev=0.6,putin=0.4 or 90%:2..3), unit, answer (the option or value a question
    resolved with). With --history, one row per outcome entry, adding entry, current, verdict,
    entry_resolved_on, recorded_by, recorded_on, note, entry_evidence_count, evidence_urls,
    entry_answer.

    Example: forecastkit export claims/ --format csv --output claims.csv --as-of 2024-12-31
    """
    from forecastkit.records.corpus import load
    from forecastkit.records.export import export_table, history_table, write_table

    corpus = load(path, scale, cache=True, write_behind=True)
    table = (history_table if history else export_table)(corpus, as_of_date)
    write_table(table, fmt, output)
    if output:
        what = "outcome entries" if history else "claims"
        click.echo(f"wrote {len(table)} {what} to {output}", err=True)


@click.command()
@CORPUS_ARG
@click.option(
    "--within",
    type=click.IntRange(min=0),
    default=None,
    metavar="DAYS",
    help="Also list open claims coming due in the next DAYS days.",
)
@click.option(
    "--today",
    type=DATE,
    default=None,
    help="Pretend today is DATE: the corpus as it stood then (later outcomes open).",
)
@handle_errors
def due(path: str | None, within: int | None, today: dt.date | None) -> None:
    """List open forecasts past their resolve_by date, oldest first.

    Example: forecastkit due claims/ --within 30
    """
    from forecastkit.records.corpus import load
    from forecastkit.records.due import due_claims

    # validated against the real date; --today only moves the window
    corpus = load(path, cache=True, write_behind=True)
    table = due_claims(corpus, today=today, within=within)
    if table.empty:
        click.echo("nothing due")
        return
    lines = [  # one write for thousands of lines
        f"{day}  {when:>16}  {cid}  ({who})\n    {what}"
        for day, when, cid, who, what in zip(
            table["resolve_by"].dt.strftime("%Y-%m-%d"),
            table["when"],
            table["claim_id"],
            table["claimant"],
            table["proposition"],
            strict=True,
        )
    ]
    click.echo("\n".join([*lines, f"{len(table)} claim(s) due"]))


@click.command()
@click.option(
    "--scale",
    default=None,
    metavar="NAME",
    help="Show only this scale (default: every shipped scale).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--house",
    is_flag=True,
    help="Show the house mapping (hedge -> level, with rationale) instead of the scales.",
)
@handle_errors
def lexicon(scale: str | None, fmt: str, house: bool) -> None:
    """List the verbal-probability scales that read hedges, or the house mapping.

    Each scale is headed by its citation; each phrase shows the house level it reads and its
    point and range. See docs/lexicon.md.

    Example: forecastkit lexicon --scale phia
    """
    from forecastkit.errors import UnknownScaleError
    from forecastkit.records.lexicon import get_scale, render_lexicon

    if scale is not None:
        try:
            get_scale(scale)
        except UnknownScaleError as exc:
            fail(str(exc), EXIT_USAGE)
    click.echo(render_lexicon(scale, fmt, house), nl=False)


@click.command()
@click.argument("args", nargs=-1, required=True, metavar="[PATH] CLAIM_ID")
@CORPUS_OPTION
@scale_option
@handle_errors
def show(args: tuple[str, ...], corpus_path: str | None, scale: str) -> None:
    """Show a claim, its current outcome and its full outcome history.

    Example: forecastkit show claims/ harbour-2023-volume-record
    """
    from forecastkit.records.corpus import load
    from forecastkit.records.show import format_claim

    corpus_path, claim_id = corpus_and(args, corpus_path, "CLAIM_ID")
    click.echo(
        format_claim(load(corpus_path, scale, cache=True, write_behind=True), claim_id), nl=False
    )
