"""The score command, over the scoring wing."""

from __future__ import annotations

import datetime as dt

import click

from forecastkit.cli.common import (
    DATE,
    POLICY_OPTION,
    check_scale,
    handle_errors,
)


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option(
    "--by",
    default="claimant",
    show_default=True,
    help="Group by this column: claimant, publisher, tag, year, or any column.",
)
@click.option(
    "--scale",
    default=None,
    metavar="NAME",
    callback=lambda ctx, param, value: None if value is None else check_scale(ctx, param, value),
    help="Lexicon scale that reads hedges (claims folders only; default: forecastkit.toml's, "
    "else icd203).",
)
@click.option(
    "--as-of",
    "as_of_date",
    type=DATE,
    default=None,
    help="Score the corpus as it stood on DATE (later claims dropped, later outcomes open).",
)
@click.option(
    "--min-n",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="Flag groups with fewer resolved forecasts than this.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format (csv and json carry every column).",
)
@click.option(
    "--ci/--no-ci",
    default=True,
    show_default=True,
    help="Bootstrap 95% intervals (2,000 resamples; --no-ci for large tables).",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Seed of the bootstrap.",
)
@click.option(
    "--sort",
    "sort_by",
    default=None,
    metavar="COLUMN",
    help="Sort rows by a column of the scores shown (score: each league on its own score, "
    "Brier for yes/no; relative, n_resolved, name, crps, ...); -COLUMN sorts descending. "
    "Default: by group.",
)
@POLICY_OPTION
@handle_errors
def score(
    path: str | None,
    by: str,
    scale: str | None,
    as_of_date: dt.date | None,
    min_n: int,
    fmt: str,
    ci: bool,
    seed: int,
    sort_by: str | None,
    policy: str,
) -> None:
    """Score forecasts by claimant (or any column): Brier, log score, hit rate, skill, CORP.

    PATH is a claims folder (default: the nearest corpus, as for validate) or a CSV/Parquet table of
    forecasts with columns probability, outcome and the grouping column. Ambiguous and
    annulled claims are counted, not scored. relative_brier, peer_score and n_shared compare
    claimants on the questions they share. Multiple-choice, numeric and date questions
    (docs/question-types.md) follow in one table per league, each ranked on its own score
    (multiclass Brier or RPS, CRPS). See docs/scoring.md.

    Example: forecastkit score claims/ --by publisher --as-of 2020-12-31 --format csv
    """
    from forecastkit.records.snapshot import as_of
    from forecastkit.scoring.render import (
        combined_records,
        label_groups,
        render_scores,
        render_typed,
        sort_leagues,
    )
    from forecastkit.scoring.typed_table import score_tables

    forecasts, points, questions = _load(path, scale, by)
    if as_of_date is not None:
        forecasts = as_of(forecasts, as_of_date)
    # The people's table does not show the relative scores (csv and json do, and --sort may
    # name them): they, and their bootstrap, are computed only for an output that has them.
    relative = fmt != "table" or sort_by is not None
    tables = score_tables(
        forecasts,
        points,
        by,
        questions=questions,
        min_n=min_n,
        ci=ci,
        seed=seed,
        policy=policy,
        relative=relative,
    )
    table, typed = tables.binary, tables.typed
    if by == "claimant":  # keys are slugs; the name beside them says who (in every league)
        table = label_groups(table, forecasts, by, "claimant_name")
        if "name" not in typed.columns:
            typed = label_groups(typed, forecasts, by, "claimant_name")
    if sort_by:
        table, typed = sort_leagues(table, typed, sort_by)
    if fmt != "table" and not typed.empty:
        click.echo(render_scores(combined_records(table, typed), fmt), nl=False)
        return
    text = render_scores(table, fmt, min_n=min_n, by=by) if len(table) or typed.empty else ""
    if fmt == "table" and not typed.empty:
        names = None
        if by == "claimant" and "claimant_name" in forecasts.columns:
            names = forecasts.drop_duplicates(by).set_index(by)["claimant_name"]
        text += ("\n" if text else "") + render_typed(typed, names, min_n=min_n)
    if fmt == "table" and (not table.empty or not typed.empty):
        from forecastkit.scoring.policies import policy_statement

        text += f"policy: {policy_statement(policy)}\n"
    click.echo(text, nl=False)


def _load(path: str | None, scale: str | None, by: str):  # noqa: ANN202 - three frames
    """The forecasts at ``path``, with the corpus' forecast points and questions (None for a
    table of forecasts or a corpus without them)."""
    from pathlib import Path

    from forecastkit.records.forecast_table import load_forecasts

    if path is not None and Path(path).is_file():
        return load_forecasts(path, scale=scale, by=by), None, None
    from forecastkit.cli.common import project_default
    from forecastkit.records.corpus import load
    from forecastkit.records.lexicon import DEFAULT_SCALE

    # the project's scale, as export, show and report read it: one reading of every hedge
    corpus = load(
        path, scale or project_default("scale", DEFAULT_SCALE)(), cache=True, write_behind=True
    )
    return (
        corpus.forecasts(),
        getattr(corpus, "forecast_points", None),
        getattr(corpus, "questions", None),
    )
