"""Commands over the editing wing: resolve, add (source, claim, author), import."""

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


@click.command()
@click.argument("args", nargs=-1, required=True, metavar="[PATH] ID")
@click.option(
    "--verdict",
    type=click.Choice(["true", "false", "ambiguous", "annulled"]),
    default=None,
    help="The outcome.",
)
@click.option(
    "--on",
    "resolved_on",
    type=DATE,
    default=None,
    help="When the outcome became determinate (not today's date, unless it did today).",
)
@click.option("--evidence", "url", default=None, metavar="URL", help="Address of the evidence.")
@click.option("--title", default=None, help="Title of the evidence page.")
@click.option("--publisher", default=None, help="Publisher of the evidence page.")
@click.option("--published", type=DATE, default=None, help="Date of the evidence page.")
@click.option("--quote", default=None, help="A short quote from the evidence page.")
@click.option("--note", default=None, help="Why (required for ambiguous and annulled).")
@click.option(
    "--by",
    "recorded_by",
    default=None,
    help="Who records it (default: $FORECASTKIT_USER, git user.name, or the OS user).",
)
@CORPUS_OPTION
@handle_errors
def resolve(
    args: tuple[str, ...],
    verdict: str | None,
    resolved_on: dt.date | None,
    url: str | None,
    title: str | None,
    publisher: str | None,
    published: dt.date | None,
    quote: str | None,
    note: str | None,
    recorded_by: str | None,
    corpus_path: str | None,
) -> None:
    """Log the outcome of a claim or question (appends an entry to its outcome log).

    ID is a claim id or a question id of questions.yaml. Outcomes are logged per question: a
    claim on a shared question resolves the question (every claim on it inherits the verdict),
    and the command says so.

    A second resolve of the same claim records a revision: the new entry becomes the current
    outcome and the earlier one stays in the history. true and false need evidence you have
    read (--evidence with --title, --publisher, --published, --quote); ambiguous and annulled
    need a --note. Missing values are asked for when run in a terminal.

    Example: forecastkit resolve npi-2024-rate-cut --verdict true --on 2024-06-06
    --evidence https://example.org/decision --title "Rate cut" --publisher "Central Bank"
    --published 2024-06-06 --quote "The board decided to lower the policy rate"
    """
    from forecastkit.editing.resolve import resolve_claim

    corpus_path, claim_id = corpus_and(args, corpus_path, "ID")

    values: dict[str, Any] = {"verdict": verdict, "on": resolved_on}
    missing_or_prompt(
        values,
        [
            ("verdict", "verdict", click.Choice(["true", "false", "ambiguous", "annulled"])),
            ("on", "resolved on (YYYY-MM-DD)", DATE),
        ],
    )
    ev = {
        "evidence": url,
        "title": title,
        "publisher": publisher,
        "published": published,
        "quote": quote,
    }
    if values["verdict"] in ("true", "false") or url:
        missing_or_prompt(
            ev,
            [
                ("evidence", "evidence URL", str),
                ("title", "evidence title", str),
                ("publisher", "evidence publisher", str),
                ("published", "evidence published (YYYY-MM-DD)", DATE),
                ("quote", "a short quote from the evidence", str),
            ],
        )
    if values["verdict"] in ("ambiguous", "annulled"):
        extra = {"note": note}
        missing_or_prompt(extra, [("note", "note (why)", str)])
        note = extra["note"]
    evidence = []
    if ev["evidence"]:
        evidence = [
            {
                "url": ev["evidence"],
                "title": ev["title"],
                "publisher": ev["publisher"],
                "published": ev["published"],
                "quote": ev["quote"],
            }
        ]
    done = resolve_claim(
        claim_id,
        values["verdict"],
        values["on"],
        evidence=evidence,
        note=note,
        recorded_by=recorded_by,
        path=corpus_path,
    )
    click.echo(done.message)


@click.group()
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
    "claim is its own question).",
)
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
    corpus_path: str | None,
) -> None:
    """Add a claim to a source's claim file.

    Example: forecastkit add claim --source 2024-01-09-npi-outlook-2024 --claimant tomas-reyes
    --role "quoted expert" --quote "Rents will probably rise" --proposition "Rents rise in 2025"
    --hedge probably --resolve-by "end of 2025" --deadline-basis stated
    """
    from forecastkit.editing.claims import add_claim

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
        if hedge is None and probability is None:
            if not sys.stdin.isatty():
                fail("missing --hedge or --probability (nothing was written)")
            hedge = click.prompt("hedge, as written", type=str)
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
    )
    click.echo(done.message)


@add.command("author")
@click.argument("args", nargs=-1, required=True, metavar="[PATH] KEY")
@click.option("--name", default=None, help="Display name.")
@click.option(
    "--kind",
    type=click.Choice(["person", "organisation", "anonymous group"]),
    default="person",
    show_default=True,
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


@click.command("import")
@click.argument("args", nargs=-1, required=True, metavar="[PATH] FILE")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default=None,
    help="Format of FILE (default: from its suffix).",
)
@click.option(
    "--name",
    default=None,
    help="Name of the claim file (claims/NAME.csv) and prefix of claim ids (default: FILE's name).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Column of FILE for a field: question, forecaster, probability, created, "
    "deadline, outcome, resolved, question_id, url (repeat for several).",
)
@click.option("--publisher", default=None, help="Who published the questions (default: NAME).")
@click.option(
    "--to",
    "output_format",
    type=click.Choice(["csv", "parquet"]),
    default=None,
    help="Format of the claim file (default: as FILE).",
)
@click.option("--percent", is_flag=True, help="Probabilities are percentages (70 for 0.7).")
@click.option(
    "--from",
    "preset",
    default=None,
    metavar="NAME",
    type=click.Choice(["predictionbook", "gjp", "metaculus", "fatebook"]),
    help="A tracker's export format (docs/import-formats.md): predictionbook, gjp, "
    "metaculus or fatebook.",
)
@click.option(
    "--questions",
    "questions_file",
    default=None,
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="With --from: the questions file (default: found beside FILE, e.g. "
    "questions.csv, ifps.csv, question_data.csv).",
)
@click.option(
    "--forecaster",
    default=None,
    metavar="NAME",
    help="With --from fatebook: whose forecasts a file without a forecaster column holds.",
)
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="With --from: import the good rows and write the bad ones to "
    "NAME.rejected.tsv beside the claim file.",
)
@CORPUS_OPTION
@handle_errors
def import_(
    args: tuple[str, ...],
    fmt: str | None,
    name: str | None,
    maps: tuple[str, ...],
    publisher: str | None,
    output_format: str | None,
    percent: bool,
    preset: str | None,
    questions_file: str | None,
    forecaster: str | None,
    skip_bad_rows: bool,
    corpus_path: str | None,
) -> None:
    """Import forecasts kept elsewhere (one row per forecast) as a tabular claim file.

    With --from NAME, FILE is a tracker's export in that format (its questions file is found
    beside it or given with --questions); repeated forecasts on a question become updates, the
    tracker's resolution is recorded with the tracker as its evidence, and every bad row is
    reported at once. Without --from, columns are found by common names (question, user_name,
    forecast, created_at, close_date, resolution, ...); name others with --map. Forecasters are
    added to authors.yaml.

    Examples: forecastkit import public.csv.zip --from predictionbook --skip-bad-rows;
    forecastkit import gjopen.csv --name gjopen-2024 --map forecaster=membership_username
    """
    corpus_path, file = corpus_and(args, corpus_path, "FILE")
    if preset is not None:
        from forecastkit.editing.tracker import import_tracker

        if maps or fmt or percent or publisher:
            fail("--map, --format, --percent and --publisher are for exports without --from")
        done = import_tracker(
            file,
            preset,
            questions=questions_file,
            forecaster=forecaster,
            name=name,
            skip_bad_rows=skip_bad_rows,
            output_format=output_format or "csv",
            path=corpus_path,
        )
        click.echo(done.message)
        return
    if questions_file or forecaster or skip_bad_rows:
        fail("--questions, --forecaster and --skip-bad-rows need --from NAME")
    from forecastkit.editing.importing import import_forecasts

    mapping = {}
    for item in maps:
        field_, sep, column = item.partition("=")
        if not sep or not field_.strip() or not column.strip():
            fail(f"--map {item!r}: write FIELD=COLUMN, e.g. --map forecaster=user_name")
        mapping[field_.strip()] = column.strip()
    result = import_forecasts(
        file,
        fmt=fmt,
        name=name,
        mapping=mapping,
        publisher=publisher,
        output_format=output_format,
        percent=percent,
        path=corpus_path,
    )
    click.echo(result.message)
