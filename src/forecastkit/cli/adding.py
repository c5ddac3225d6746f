"""``forecastkit add source|claim|author``: new entries in the corpus, over the editing wing."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from forecastkit.cli.common import (
    CORPUS_ARG,
    CORPUS_OPTION,
    DATE,
    corpus_and,
    fail,
    handle_errors,
    missing_or_prompt,
    one_corpus,
)
from forecastkit.cli.forecast_options import forecast_options, on_the_command_line, read_forecast
from forecastkit.errors import ForecastkitError


@click.group()
def add() -> None:
    """Add a source (claim file), a claim, an author or a question, touching nothing else.

    Each command checks what it is given against the corpus and writes nothing if anything is
    wrong; the file's comments and layout are kept, only the new lines are added. Run in a
    terminal, each asks for what is missing; in scripts, give every field as an option.

    Example: forecastkit add author jo-bloggs --name "Jo Bloggs"; forecastkit add source --help
    """


@add.command("source")
@CORPUS_ARG
@click.option("--title", default=None, help="Title of the article.")
@click.option("--publisher", default=None, help="Outlet or organisation that published it.")
@click.option(
    "--byline",
    multiple=True,
    metavar="KEY",
    help="Authors-registry key of a byline author (repeat for several).",
)
@click.option("--published", type=DATE, default=None, help="Publication date.")
@click.option("--url", default=None, help="Address of the article.")
@click.option(
    "--id",
    "source_id",
    default=None,
    help="Source id and file name (default: <published>-<publisher>-<title words>).",
)
@click.option(
    "--published-note",
    default=None,
    help="How an estimated publication date was estimated (marks the date estimated).",
)
@CORPUS_OPTION
@handle_errors
def add_source(
    path: str | None,
    title: str | None,
    publisher: str | None,
    byline: tuple[str, ...],
    published: dt.date | None,
    url: str | None,
    source_id: str | None,
    published_note: str | None,
    corpus_path: str | None,
) -> None:
    """Create a claim file for a source article.

    Example: forecastkit add source --title "Outlook 2025" --publisher "The Harbour Review"
    --byline harbour-desk --published 2025-01-09 --url https://example.org/outlook
    """
    from forecastkit.editing.claims import create_source

    corpus_path = one_corpus(path, corpus_path)

    values: dict[str, Any] = {
        "title": title,
        "publisher": publisher,
        "byline": " ".join(byline),
        "published": published,
    }
    missing_or_prompt(
        values,
        [
            ("title", "title", str),
            ("publisher", "publisher", str),
            ("byline", "byline (authors-registry keys, space-separated)", str),
            ("published", "published (YYYY-MM-DD)", DATE),
        ],
    )
    if url is None and sys.stdin.isatty():
        url = click.prompt("url (empty if unknown)", default="", show_default=False) or None
    done = create_source(
        title=values["title"],
        publisher=values["publisher"],
        byline=str(values["byline"]).replace(",", " ").split(),
        published=values["published"],
        url=url,
        source_id=source_id,
        published_estimated=published_note is not None,
        published_note=published_note,
        path=corpus_path,
    )
    click.echo(done.message)


@add.command("claim")
@CORPUS_ARG
@click.option("--source", "source_id", default=None, help="Id of the source (claim file).")
@click.option(
    "--id",
    "claim_id",
    default=None,
    help="Claim id (default: <publisher>-<year>-<proposition words>).",
)
@click.option("--claimant", default=None, help="Authors-registry key of who made the claim.")
@click.option(
    "--role",
    "claimant_role",
    default=None,
    type=click.Choice(
        [
            "byline author",
            "quoted expert",
            "quoted official",
            "anonymous source",
            "organisation",
            "other",
        ]
    ),
    help="How the claimant appears in the source.",
)
@click.option(
    "--kind",
    default="forecast",
    show_default=True,
    type=click.Choice(["forecast", "prescription", "description"]),
)
@click.option("--quote", default=None, help="The words of the source.")
@click.option("--proposition", default=None, help="The event in positive, resolvable form.")
@click.option("--criteria", default=None, help="What counts as true or false.")
@click.option("--hedge", default=None, help="The hedge as written ('highly unlikely', 'will').")
@click.option(
    "--probability",
    type=click.FloatRange(0, 1),
    default=None,
    help="Only when the text states a number.",
)
@click.option("--made-on", type=DATE, default=None, help="Default: the source's date.")
@click.option(
    "--resolve-by",
    type=DATE,
    default=None,
    help="Deadline (ISO date, or e.g. 'end of 2027', 'in two years').",
)
@click.option("--deadline-basis", type=click.Choice(["stated", "inferred"]), default=None)
@click.option("--deadline-phrase", default=None, help="The words that set the deadline.")
@click.option("--deadline-rule", default=None, help="For inferred deadlines: the rule used.")
@click.option("--condition", default=None, help="For conditional forecasts: the condition.")
@click.option(
    "--if-unmet",
    type=click.Choice(["annulled", "false", "true"]),
    default=None,
    help="How a conditional claim resolves when the condition fails (default annulled).",
)
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@click.option("--notes", default=None)
@click.option(
    "--question",
    default=None,
    metavar="ID",
    help="A question of questions.yaml the claim forecasts with others (default: the "
    "claim is its own question); a multiple-choice, numeric or date question takes one of "
    "the options below instead of --hedge or --probability.",
)
@forecast_options
@CORPUS_OPTION
@handle_errors
def add_claim_cmd(
    path: str | None,
    source_id: str | None,
    claim_id: str | None,
    claimant: str | None,
    claimant_role: str | None,
    kind: str,
    quote: str | None,
    proposition: str | None,
    criteria: str | None,
    hedge: str | None,
    probability: float | None,
    made_on: dt.date | None,
    resolve_by: dt.date | None,
    deadline_basis: str | None,
    deadline_phrase: str | None,
    deadline_rule: str | None,
    condition: str | None,
    if_unmet: str | None,
    tags: tuple[str, ...],
    notes: str | None,
    question: str | None,
    probabilities: str | None,
    quantiles: str | None,
    interval: str | None,
    cdf: str | None,
    point: str | None,
    corpus_path: str | None,
) -> None:
    """Add a claim to a source's claim file.

    A forecast on a yes/no question gives --hedge or --probability; on a question of
    questions.yaml of another type (--question ID), one of --probabilities (multiple choice),
    --quantiles, --interval, --cdf or --point (numeric and date; values are dates YYYY-MM-DD
    on a date question). See docs/question-types.md.

    Example: forecastkit add claim --source 2024-01-09-npi-outlook-2024 --claimant tomas-reyes
    --role "quoted expert" --quote "Rents will probably rise" --proposition "Rents rise in 2025"
    --hedge probably --resolve-by "end of 2025" --deadline-basis stated

    Example: forecastkit add claim --source 2010-01-20-growth-outlook --claimant ana-lindqvist
    --role "byline author" --quote "Growth of 2 to 3%, we are 90% sure" --proposition "Russia's
    GDP growth in 2010" --question q-2010-ru-gdp-growth --interval "90%:2..3" --resolve-by
    2011-03-31
    """
    from forecastkit.editing.claims import add_claim

    written = {
        "probabilities": probabilities,
        "quantiles": quantiles,
        "interval": interval,
        "cdf": cdf,
        "point": point,
    }
    typed, cdf_file, cdf_lines = read_forecast(written)

    corpus_path = one_corpus(path, corpus_path)

    values: dict[str, Any] = {
        "source": source_id,
        "claimant": claimant,
        "role": claimant_role,
        "quote": quote,
        "proposition": proposition,
    }
    missing_or_prompt(
        values,
        [
            ("source", "source id", str),
            ("claimant", "claimant (authors-registry key)", str),
            (
                "role",
                "claimant role",
                click.Choice(
                    [
                        "byline author",
                        "quoted expert",
                        "quoted official",
                        "anonymous source",
                        "organisation",
                        "other",
                    ]
                ),
            ),
            ("quote", "quote", str),
            ("proposition", "proposition", str),
        ],
    )
    if kind == "forecast":
        values["resolve_by"] = resolve_by
        missing_or_prompt(values, [("resolve_by", "resolve by (date)", DATE)])
        resolve_by = values["resolve_by"]
        if hedge is None and probability is None and not typed:
            if not sys.stdin.isatty():
                fail(
                    "missing --hedge or --probability (or, on a question of another type, "
                    "--probabilities, --quantiles, --interval, --cdf or --point); nothing "
                    "was written"
                )
            hedge = click.prompt("hedge, as written", type=str)
    try:
        done = add_claim(
            values["source"],
            claim_id=claim_id,
            claimant=values["claimant"],
            claimant_role=values["role"],
            quote=values["quote"],
            proposition=values["proposition"],
            kind=kind,
            criteria=criteria,
            hedge=hedge,
            probability=probability,
            made_on=made_on,
            resolve_by=resolve_by,
            deadline_basis=deadline_basis,
            deadline_phrase=deadline_phrase,
            deadline_rule=deadline_rule,
            condition=condition,
            if_unmet=if_unmet,
            tags=tags,
            notes=notes,
            question=question,
            path=corpus_path,
            **typed,
        )
    except ForecastkitError as exc:
        binary = (
            "hedge" if hedge is not None else "probability" if probability is not None else None
        )
        raise on_the_command_line(
            exc, typed, cdf_file=cdf_file, lines=cdf_lines, binary=binary
        ) from None
    click.echo(done.message)


@add.command("author")
@click.argument("args", nargs=-1, required=True, metavar="[PATH] KEY")
@click.option("--name", default=None, help="Display name.")
@click.option(
    "--kind",
    type=click.Choice(["person", "organisation", "anonymous group", "crowd"]),
    default="person",
    show_default=True,
    help="crowd: an aggregate of many forecasters (a community prediction, a team median).",
)
@click.option("--affiliation", default=None, help="Institution or outlet.")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeat for several).")
@CORPUS_OPTION
@handle_errors
def add_author_cmd(
    args: tuple[str, ...],
    name: str | None,
    kind: str,
    affiliation: str | None,
    aliases: tuple[str, ...],
    corpus_path: str | None,
) -> None:
    """Add a claimant or byline author to authors.yaml.

    Example: forecastkit add author park-min-hee --name "Park Min-hee" --affiliation "The Hankyoreh"
    """
    from forecastkit.editing.authors import add_author

    corpus_path, key = corpus_and(args, corpus_path, "KEY")

    values: dict[str, Any] = {"name": name}
    missing_or_prompt(values, [("name", "name", str)])
    done = add_author(
        key,
        name=values["name"],
        kind=kind,
        affiliation=affiliation,
        aliases=aliases,
        path=corpus_path,
    )
    click.echo(done.message)


from forecastkit.cli.questions import add_question_cmd  # noqa: E402 - registers on `add`

add.add_command(add_question_cmd)
