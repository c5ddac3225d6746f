"""Commands over the editing wing: resolve and import (``add`` is in :mod:`.adding`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from forecastkit.cli.common import (
    CORPUS_OPTION,
    DATE,
    corpus_and,
    fail,
    handle_errors,
    missing_or_prompt,
)


@click.command()
@click.argument("args", nargs=-1, required=True, metavar="[PATH] ID")
@click.option(
    "--verdict",
    type=click.Choice(["true", "false", "ambiguous", "annulled"]),
    default=None,
    help="The outcome of a yes/no question (ambiguous and annulled: of any question).",
)
@click.option(
    "--option",
    default=None,
    metavar="LABEL",
    help="The outcome of a multiple-choice question: the option that happened.",
)
@click.option(
    "--value",
    default=None,
    metavar="X",
    help="The outcome of a numeric question (a number) or a date question (YYYY-MM-DD).",
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
    option: str | None,
    value: str | None,
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

    ID is a claim id or a question id (of questions.yaml, or one a tabular claim file
    defines). Outcomes are logged per question: a claim on a shared question resolves the
    question (every claim on it inherits the verdict), and the command says so. A tabular
    file is never rewritten: its questions' outcomes go to outcomes/<file stem>.yaml.

    A multiple-choice question resolves with --option LABEL, a numeric or date question with
    --value X (docs/question-types.md); --verdict ambiguous or annulled applies to any question.

    A second resolve of the same claim records a revision: the new entry becomes the current
    outcome and the earlier one stays in the history. true and false, an option and a value
    need evidence you have read (--evidence with --title, --publisher, --published, --quote);
    ambiguous and annulled need a --note. Missing values are asked for when run in a terminal.

    Example: forecastkit resolve npi-2024-rate-cut --verdict true --on 2024-06-06
    --evidence https://example.org/decision --title "Rate cut" --publisher "Central Bank"
    --published 2024-06-06 --quote "The board decided to lower the policy rate"

    Example: forecastkit resolve q-2010-ru-gdp-growth --value 4.0 --on 2011-02-01
    --evidence https://example.org/gdp-2010 --title "GDP in 2010" --publisher "Statistics
    office" --published 2011-02-01 --quote "Real GDP grew by 4.0 percent"
    """
    from forecastkit.editing.resolve import resolve_claim

    corpus_path, claim_id = corpus_and(args, corpus_path, "ID")

    values: dict[str, Any] = {"verdict": verdict, "on": resolved_on}
    answer = option is not None or value is not None
    if answer and verdict is not None:
        which = "--option" if option is not None else "--value"
        fail(f"give one of --verdict, --option or --value, not --verdict and {which}")
    if option is not None and value is not None:
        fail("give one of --verdict, --option or --value, not --option and --value")
    wanted: list[tuple[str, str, Any]] = [("on", "resolved on (YYYY-MM-DD)", DATE)]
    if not answer and verdict is None:  # ask for what the question takes
        wanted.insert(0, _outcome_prompt(claim_id, corpus_path))
    missing_or_prompt(values, wanted)
    for key in ("option", "value"):  # an answer to the outcome prompt: (field, text)
        if key in values:
            field, given = values.pop(key)
            if field == "verdict":
                values["verdict"] = given
            elif field == "option":
                option = given
            else:
                value = given
            answer = field != "verdict"
    ev = {
        "evidence": url,
        "title": title,
        "publisher": publisher,
        "published": published,
        "quote": quote,
    }
    if values["verdict"] in ("true", "false") or answer or url:
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
        option=option,
        value=value,
        evidence=evidence,
        note=note,
        recorded_by=recorded_by,
        path=corpus_path,
    )
    click.echo(done.message)


def _outcome_prompt(claim_id: str, corpus_path: str | None) -> tuple[str, str, Any]:
    """The outcome a question takes, as a :func:`missing_or_prompt` entry: a verdict (yes/no),
    an option (multiple choice) or a value (numeric, date), ambiguous or annulled for any."""
    from forecastkit.editing.resolve import question_fields

    question = question_fields(claim_id, corpus_path)
    qtype = question["type"]
    if qtype == "binary":
        return "verdict", "verdict", click.Choice(["true", "false", "ambiguous", "annulled"])
    if qtype == "multiple_choice":
        what = f"an option: {', '.join(question['options'])}"
    else:
        what = "a date YYYY-MM-DD" if qtype == "date" else "a number"
        what += _bounds(question, qtype == "date")
    key = "option" if qtype == "multiple_choice" else "value"
    return key, f"outcome ({what}; or ambiguous, annulled)", _Outcome(key, question)


def _bounds(question: dict[str, Any], is_date: bool) -> str:
    """``, in %, from 0 to 20``: the unit and the closed bounds a value must keep to."""
    import math

    from forecastkit.records.question_types import show_value

    lo, hi = question["lower"], question["upper"]
    lo = None if question["open_lower"] or math.isnan(lo) else show_value(lo, is_date)
    hi = None if question["open_upper"] or math.isnan(hi) else show_value(hi, is_date)
    unit = f", in {question['unit']}" if question.get("unit") else ""
    if lo is not None and hi is not None:
        return f"{unit}, from {lo} to {hi}"
    if lo is not None or hi is not None:
        return f"{unit}, at {'least ' + lo if lo is not None else 'most ' + str(hi)}"
    return unit


class _Outcome(click.ParamType):
    """An answer to the outcome prompt: ``("option", label)``, ``("value", text)`` or
    ``("verdict", "ambiguous"|"annulled")``, checked against the question as ``resolve``
    checks it, so a wrong answer is asked again."""

    name = "outcome"

    def __init__(self, key: str, question: dict[str, Any]) -> None:
        self.key, self.question = key, question

    def convert(self, text: Any, param: Any, ctx: Any) -> Any:
        if isinstance(text, tuple):
            return text
        from forecastkit.editing.forecasts import outcome_fields
        from forecastkit.errors import ForecastkitError

        given = str(text).strip()
        options = {o.casefold() for o in self.question.get("options") or ()}
        if given.casefold() in ("ambiguous", "annulled") and given.casefold() not in options:
            return "verdict", given.casefold()
        try:
            outcome_fields(
                "resolved", *((given, None) if self.key == "option" else (None, given)),
                self.question,
            )  # fmt: skip
        except ForecastkitError as exc:
            self.fail(exc.message + (f"; {exc.hint}" if exc.hint else ""), param, ctx)
        return self.key, given


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
@click.option(
    "--team-median",
    is_flag=True,
    help="With --from gjp: add each team's median forecast as a claimant of kind crowd.",
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
    team_median: bool,
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
            team_median=team_median,
            output_format=output_format or "csv",
            path=corpus_path,
        )
        click.echo(done.message)
        return
    if questions_file or forecaster or skip_bad_rows or team_median:
        fail("--questions, --forecaster, --skip-bad-rows and --team-median need --from NAME")
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
