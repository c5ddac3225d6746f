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


class DateType(click.ParamType):
    """A click parameter for dates: ISO ``YYYY-MM-DD`` (and plain-language dates where known)."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from forecastkit.records.dates import parse_user_date

        try:
            return parse_user_date(str(value))
        except ForecastkitError as exc:
            self.fail(exc.message + (f"; {exc.hint}" if exc.hint else ""), param, ctx)


DATE = DateType()


def scale_option(func: Callable[..., Any]) -> Callable[..., Any]:
    from forecastkit.records.lexicon import DEFAULT_SCALE

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
    from forecastkit.records.lexicon import get_scale

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
    from forecastkit.records.corpus import check

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
    from forecastkit.validation.expectations import default_data_docs_dir, run_expectations

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
@click.option("--history", is_flag=True,
              help="One row per outcome entry (every revision), with its claim's columns.")
@click.option("--as-of", "as_of_date", type=DATE, default=None,
              help="The corpus as it stood on DATE: later claims left out, later outcomes open.")
@handle_errors
def export(path: str | None, fmt: str, output: str | None, scale: str, history: bool,
           as_of_date: dt.date | None) -> None:
    """Write one row per claim with its status, for other tools.

    Columns: claim_id, source_id, source_title, publisher, published, byline, claimant,
    claimant_name, claimant_role, kind, quote, proposition, hedge, probability, scale, made_on,
    resolve_by, deadline, condition, tags, status, resolved_on, evidence_count. With --history,
    one row per outcome entry, adding entry, current, verdict, entry_resolved_on, recorded_by,
    recorded_on, note, entry_evidence_count, evidence_urls.

    Example: forecastkit export claims/ --format csv --output claims.csv --as-of 2024-12-31
    """
    from forecastkit.records.corpus import load
    from forecastkit.records.export import export_table, history_table, write_table

    corpus = load(path, scale)
    table = (history_table if history else export_table)(corpus, as_of_date)
    write_table(table, fmt, output)
    if output:
        what = "outcome entries" if history else "claims"
        click.echo(f"wrote {len(table)} {what} to {output}", err=True)


@main.command()
@CORPUS_ARG
@click.option("--within", type=click.IntRange(min=0), default=None, metavar="DAYS",
              help="Also list open claims coming due in the next DAYS days.")
@click.option("--today", type=DATE, default=None,
              help="Pretend today is DATE: the corpus as it stood then (later outcomes open).")
@handle_errors
def due(path: str | None, within: int | None, today: dt.date | None) -> None:
    """List open forecasts past their resolve_by date, oldest first.

    Example: forecastkit due claims/ --within 30
    """
    from forecastkit.records.corpus import load
    from forecastkit.records.due import due_claims

    corpus = load(path)  # validated against the real date; --today only moves the window
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
    from forecastkit.records.lexicon import get_scale, render_lexicon

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
              callback=lambda ctx, param, value: None if value is None else _check_scale(ctx, param, value),
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
    from forecastkit.records.forecast_table import load_forecasts
    from forecastkit.scoring.grouped import as_of, render_scores, score_table

    forecasts = load_forecasts(path, scale=scale, by=by)
    if as_of_date is not None:
        forecasts = as_of(forecasts, as_of_date)
    table = score_table(forecasts, by, min_n=min_n, ci=ci, seed=seed)
    click.echo(render_scores(table, fmt, min_n=min_n, by=by), nl=False)


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
    from forecastkit.reports.runner import run_reports

    summary = run_reports(path, output, authors=authors or None, min_claims=min_claims, scale=scale,
                          as_of=as_of_date, min_n=min_n, workers=workers, force=force,
                          progress=progress, static_charts=static_charts)
    click.echo(summary.render(), err=True)
    if summary.interrupted:
        sys.exit(130)
    if summary.failed:
        sys.exit(EXIT_INVALID)


# --------------------------------------------------------------------------------------------
# Editing: resolve, show, add, import (library: forecastkit.editing, forecastkit.records.show)

CORPUS_OPTION = click.option(
    "--corpus", "corpus_path", type=click.Path(file_okay=False), default=None, metavar="DIR",
    help="The corpus folder (default: the project's claims/).")


def _corpus_and(args: tuple[str, ...], corpus_path: str | None, what: str) -> tuple[str | None, str]:
    """``[PATH] X``: the corpus folder may come first (as for validate), or as --corpus DIR."""
    if len(args) == 1:
        return corpus_path, args[0]
    if len(args) == 2 and corpus_path is None:
        return args[0], args[1]
    if len(args) == 2:
        fail("give the corpus folder once: as the first argument or as --corpus")
    fail(f"expected [PATH] {what}, got {len(args)} arguments")
    return None, ""  # unreachable


def _one_corpus(path: str | None, corpus_path: str | None) -> str | None:
    if path is not None and corpus_path is not None:
        fail("give the corpus folder once: as the first argument or as --corpus")
    return path if path is not None else corpus_path


def _missing_or_prompt(values: dict[str, Any], wanted: list[tuple[str, str, Any]]) -> None:
    """Fill missing values by asking (in a terminal) or stop with a one-line list of them."""
    missing = [(key, text, kind) for key, text, kind in wanted if values.get(key) in (None, "", ())]
    if not missing:
        return
    if not sys.stdin.isatty():
        options = ", ".join("--" + key.replace("_", "-") for key, _, _ in missing)
        fail(f"missing {options} (nothing was written)")
    for key, text, kind in missing:
        values[key] = click.prompt(text, type=kind)


@main.command()
@click.argument("args", nargs=-1, required=True, metavar="[PATH] CLAIM_ID")
@click.option("--verdict", type=click.Choice(["true", "false", "ambiguous", "annulled"]),
              default=None, help="The outcome.")
@click.option("--on", "resolved_on", type=DATE, default=None,
              help="When the outcome became determinate (not today's date, unless it did today).")
@click.option("--evidence", "url", default=None, metavar="URL", help="Address of the evidence.")
@click.option("--title", default=None, help="Title of the evidence page.")
@click.option("--publisher", default=None, help="Publisher of the evidence page.")
@click.option("--published", type=DATE, default=None, help="Date of the evidence page.")
@click.option("--quote", default=None, help="A short quote from the evidence page.")
@click.option("--note", default=None, help="Why (required for ambiguous and annulled).")
@click.option("--by", "recorded_by", default=None,
              help="Who records it (default: $FORECASTKIT_USER, git user.name, or the OS user).")
@CORPUS_OPTION
@handle_errors
def resolve(args: tuple[str, ...], verdict: str | None, resolved_on: dt.date | None, url: str | None,
            title: str | None, publisher: str | None, published: dt.date | None,
            quote: str | None, note: str | None, recorded_by: str | None,
            corpus_path: str | None) -> None:
    """Log the outcome of a claim (appends an entry to its outcome log).

    A second resolve of the same claim records a revision: the new entry becomes the current
    outcome and the earlier one stays in the history. true and false need evidence you have
    read (--evidence with --title, --publisher, --published, --quote); ambiguous and annulled
    need a --note. Missing values are asked for when run in a terminal.

    Example: forecastkit resolve npi-2024-rate-cut --verdict true --on 2024-06-06
    --evidence https://example.org/decision --title "Rate cut" --publisher "Central Bank"
    --published 2024-06-06 --quote "The board decided to lower the policy rate"
    """
    from forecastkit.editing.resolve import resolve_claim

    corpus_path, claim_id = _corpus_and(args, corpus_path, "CLAIM_ID")

    values: dict[str, Any] = {"verdict": verdict, "on": resolved_on}
    _missing_or_prompt(values, [("verdict", "verdict", click.Choice(["true", "false", "ambiguous",
                                                                     "annulled"])),
                                ("on", "resolved on (YYYY-MM-DD)", DATE)])
    ev = {"evidence": url, "title": title, "publisher": publisher, "published": published,
          "quote": quote}
    if values["verdict"] in ("true", "false") or url:
        _missing_or_prompt(ev, [("evidence", "evidence URL", str), ("title", "evidence title", str),
                                ("publisher", "evidence publisher", str),
                                ("published", "evidence published (YYYY-MM-DD)", DATE),
                                ("quote", "a short quote from the evidence", str)])
    if values["verdict"] in ("ambiguous", "annulled"):
        extra = {"note": note}
        _missing_or_prompt(extra, [("note", "note (why)", str)])
        note = extra["note"]
    evidence = []
    if ev["evidence"]:
        evidence = [{"url": ev["evidence"], "title": ev["title"], "publisher": ev["publisher"],
                     "published": ev["published"], "quote": ev["quote"]}]
    done = resolve_claim(claim_id, values["verdict"], values["on"], evidence=evidence, note=note,
                         recorded_by=recorded_by, path=corpus_path)
    click.echo(done.message)


@main.command()
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

    corpus_path, claim_id = _corpus_and(args, corpus_path, "CLAIM_ID")
    click.echo(format_claim(load(corpus_path, scale), claim_id), nl=False)


@main.group()
def add() -> None:
    """Add a source (claim file), a claim or an author, without touching anything else.

    Each command checks what it is given against the corpus and writes nothing if anything is
    wrong; the file's comments and layout are kept, only the new lines are added. Run in a
    terminal, each asks for what is missing; in scripts, give every field as an option.

    Example: forecastkit add author jo-bloggs --name "Jo Bloggs"; forecastkit add source --help
    """


@add.command("source")
@CORPUS_ARG
@click.option("--title", default=None, help="Title of the article.")
@click.option("--publisher", default=None, help="Outlet or organisation that published it.")
@click.option("--byline", multiple=True, metavar="KEY",
              help="Authors-registry key of a byline author (repeat for several).")
@click.option("--published", type=DATE, default=None, help="Publication date.")
@click.option("--url", default=None, help="Address of the article.")
@click.option("--id", "source_id", default=None,
              help="Source id and file name (default: <published>-<publisher>-<title words>).")
@click.option("--published-note", default=None,
              help="How an estimated publication date was estimated (marks the date estimated).")
@CORPUS_OPTION
@handle_errors
def add_source(path: str | None, title: str | None, publisher: str | None, byline: tuple[str, ...],
               published: dt.date | None, url: str | None, source_id: str | None,
               published_note: str | None, corpus_path: str | None) -> None:
    """Create a claim file for a source article.

    Example: forecastkit add source --title "Outlook 2025" --publisher "The Harbour Review"
    --byline harbour-desk --published 2025-01-09 --url https://example.org/outlook
    """
    from forecastkit.editing.claims import create_source

    corpus_path = _one_corpus(path, corpus_path)

    values: dict[str, Any] = {"title": title, "publisher": publisher,
                              "byline": " ".join(byline), "published": published}
    _missing_or_prompt(values, [("title", "title", str), ("publisher", "publisher", str),
                                ("byline", "byline (authors-registry keys, space-separated)", str),
                                ("published", "published (YYYY-MM-DD)", DATE)])
    if url is None and sys.stdin.isatty():
        url = click.prompt("url (empty if unknown)", default="", show_default=False) or None
    done = create_source(title=values["title"], publisher=values["publisher"],
                         byline=str(values["byline"]).replace(",", " ").split(),
                         published=values["published"], url=url, source_id=source_id,
                         published_estimated=published_note is not None,
                         published_note=published_note, path=corpus_path)
    click.echo(done.message)


@add.command("claim")
@CORPUS_ARG
@click.option("--source", "source_id", default=None, help="Id of the source (claim file).")
@click.option("--id", "claim_id", default=None,
              help="Claim id (default: <publisher>-<year>-<proposition words>).")
@click.option("--claimant", default=None, help="Authors-registry key of who made the claim.")
@click.option("--role", "claimant_role", default=None,
              type=click.Choice(["byline author", "quoted expert", "quoted official",
                                 "anonymous source", "organisation", "other"]),
              help="How the claimant appears in the source.")
@click.option("--kind", default="forecast", show_default=True,
              type=click.Choice(["forecast", "prescription", "description"]))
@click.option("--quote", default=None, help="The words of the source.")
@click.option("--proposition", default=None, help="The event in positive, resolvable form.")
@click.option("--criteria", default=None, help="What counts as true or false.")
@click.option("--hedge", default=None, help="The hedge as written ('highly unlikely', 'will').")
@click.option("--probability", type=click.FloatRange(0, 1), default=None,
              help="Only when the text states a number.")
@click.option("--made-on", type=DATE, default=None, help="Default: the source's date.")
@click.option("--resolve-by", type=DATE, default=None,
              help="Deadline (ISO date, or e.g. 'end of 2027', 'in two years').")
@click.option("--deadline-basis", type=click.Choice(["stated", "inferred"]), default=None)
@click.option("--deadline-phrase", default=None, help="The words that set the deadline.")
@click.option("--deadline-rule", default=None, help="For inferred deadlines: the rule used.")
@click.option("--condition", default=None, help="For conditional forecasts: the condition.")
@click.option("--if-unmet", type=click.Choice(["annulled", "false", "true"]), default=None,
              help="How a conditional claim resolves when the condition fails (default annulled).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@click.option("--notes", default=None)
@CORPUS_OPTION
@handle_errors
def add_claim_cmd(path: str | None, source_id: str | None, claim_id: str | None, claimant: str | None,
                  claimant_role: str | None, kind: str, quote: str | None,
                  proposition: str | None, criteria: str | None, hedge: str | None,
                  probability: float | None, made_on: dt.date | None,
                  resolve_by: dt.date | None, deadline_basis: str | None,
                  deadline_phrase: str | None, deadline_rule: str | None,
                  condition: str | None, if_unmet: str | None, tags: tuple[str, ...],
                  notes: str | None, corpus_path: str | None) -> None:
    """Add a claim to a source's claim file.

    Example: forecastkit add claim --source 2024-01-09-npi-outlook-2024 --claimant tomas-reyes
    --role "quoted expert" --quote "Rents will probably rise" --proposition "Rents rise in 2025"
    --hedge probably --resolve-by "end of 2025" --deadline-basis stated
    """
    from forecastkit.editing.claims import add_claim

    corpus_path = _one_corpus(path, corpus_path)

    values: dict[str, Any] = {"source": source_id, "claimant": claimant,
                              "role": claimant_role, "quote": quote, "proposition": proposition}
    _missing_or_prompt(values, [
        ("source", "source id", str), ("claimant", "claimant (authors-registry key)", str),
        ("role", "claimant role", click.Choice(["byline author", "quoted expert",
                                                "quoted official", "anonymous source",
                                                "organisation", "other"])),
        ("quote", "quote", str), ("proposition", "proposition", str)])
    if kind == "forecast":
        values["resolve_by"] = resolve_by
        _missing_or_prompt(values, [("resolve_by", "resolve by (date)", DATE)])
        resolve_by = values["resolve_by"]
        if hedge is None and probability is None:
            if not sys.stdin.isatty():
                fail("missing --hedge or --probability (nothing was written)")
            hedge = click.prompt("hedge, as written", type=str)
    done = add_claim(values["source"], claim_id=claim_id, claimant=values["claimant"],
                     claimant_role=values["role"], quote=values["quote"],
                     proposition=values["proposition"], kind=kind, criteria=criteria,
                     hedge=hedge, probability=probability, made_on=made_on,
                     resolve_by=resolve_by, deadline_basis=deadline_basis,
                     deadline_phrase=deadline_phrase, deadline_rule=deadline_rule,
                     condition=condition, if_unmet=if_unmet, tags=tags, notes=notes,
                     path=corpus_path)
    click.echo(done.message)


@add.command("author")
@click.argument("args", nargs=-1, required=True, metavar="[PATH] KEY")
@click.option("--name", default=None, help="Display name.")
@click.option("--kind", type=click.Choice(["person", "organisation", "anonymous group"]),
              default="person", show_default=True)
@click.option("--affiliation", default=None, help="Institution or outlet.")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeat for several).")
@CORPUS_OPTION
@handle_errors
def add_author_cmd(args: tuple[str, ...], name: str | None, kind: str, affiliation: str | None,
                   aliases: tuple[str, ...], corpus_path: str | None) -> None:
    """Add a claimant or byline author to authors.yaml.

    Example: forecastkit add author park-min-hee --name "Park Min-hee" --affiliation "The Hankyoreh"
    """
    from forecastkit.editing.authors import add_author

    corpus_path, key = _corpus_and(args, corpus_path, "KEY")

    values: dict[str, Any] = {"name": name}
    _missing_or_prompt(values, [("name", "name", str)])
    done = add_author(key, name=values["name"], kind=kind, affiliation=affiliation,
                      aliases=aliases, path=corpus_path)
    click.echo(done.message)


@main.command("import")
@click.argument("args", nargs=-1, required=True, metavar="[PATH] FILE")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default=None,
              help="Format of FILE (default: from its suffix).")
@click.option("--name", default=None,
              help="Name of the claim file (claims/NAME.csv) and prefix of claim ids "
                   "(default: FILE's name).")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Column of FILE for a field: question, forecaster, probability, created, "
                   "deadline, outcome, resolved, question_id, url (repeat for several).")
@click.option("--publisher", default=None, help="Who published the questions (default: NAME).")
@click.option("--to", "output_format", type=click.Choice(["csv", "parquet"]), default=None,
              help="Format of the claim file (default: as FILE).")
@click.option("--percent", is_flag=True, help="Probabilities are percentages (70 for 0.7).")
@CORPUS_OPTION
@handle_errors
def import_(args: tuple[str, ...], fmt: str | None, name: str | None, maps: tuple[str, ...],
            publisher: str | None, output_format: str | None, percent: bool,
            corpus_path: str | None) -> None:
    """Import forecasts kept elsewhere (one row per forecast) as a tabular claim file.

    Columns are found by common names (question, user_name, forecast, created_at, close_date,
    resolution, ...); name others with --map. Forecasters are added to authors.yaml.

    Example: forecastkit import gjopen.csv --name gjopen-2024 --map forecaster=membership_username
    """
    from forecastkit.editing.importing import import_forecasts

    corpus_path, file = _corpus_and(args, corpus_path, "FILE")

    mapping = {}
    for item in maps:
        field_, sep, column = item.partition("=")
        if not sep or not field_.strip() or not column.strip():
            fail(f"--map {item!r}: write FIELD=COLUMN, e.g. --map forecaster=user_name")
        mapping[field_.strip()] = column.strip()
    result = import_forecasts(file, fmt=fmt, name=name, mapping=mapping, publisher=publisher,
                              output_format=output_format, percent=percent, path=corpus_path)
    click.echo(result.message)
