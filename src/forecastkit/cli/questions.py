"""``forecastkit add question``: a question of questions.yaml, of any type."""

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


@click.command("question")
@click.argument("args", nargs=-1, required=True, metavar="[PATH] ID")
@click.option("--text", default=None, help="The question, resolvable as written.")
@click.option(
    "--type",
    "qtype",
    type=click.Choice(["binary", "multiple_choice", "numeric", "date"]),
    default="binary",
    show_default=True,
    help="What the outcome is: yes/no, one of --options, a number, or a day.",
)
@click.option(
    "--options",
    default=None,
    metavar="LABELS",
    help="Multiple choice: the option labels, comma-separated (lower-case letters, digits "
    "and hyphens), e.g. 'medvedev,putin,neither'.",
)
@click.option("--ordered", is_flag=True, help="Multiple choice: the options are in order.")
@click.option("--unit", default=None, help="Numeric: the unit of the value, e.g. % or USD.")
@click.option("--lower", default=None, metavar="VALUE", help="Numeric or date: the lower bound.")
@click.option("--upper", default=None, metavar="VALUE", help="Numeric or date: the upper bound.")
@click.option(
    "--open-lower/--closed-lower",
    default=None,
    help="Whether values below --lower are possible (default: closed when --lower is given).",
)
@click.option(
    "--open-upper/--closed-upper",
    default=None,
    help="Whether values above --upper are possible (default: closed when --upper is given).",
)
@click.option("--criteria", default=None, help="How the question resolves.")
@click.option("--resolve-by", type=DATE, default=None, help="The question's deadline.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@click.option("--notes", default=None)
@CORPUS_OPTION
@handle_errors
def add_question_cmd(
    args: tuple[str, ...],
    text: str | None,
    qtype: str,
    options: str | None,
    ordered: bool,
    unit: str | None,
    lower: str | None,
    upper: str | None,
    open_lower: bool | None,
    open_upper: bool | None,
    criteria: str | None,
    resolve_by: dt.date | None,
    tags: tuple[str, ...],
    notes: str | None,
    corpus_path: str | None,
) -> None:
    """Add a question to questions.yaml, for claims to forecast with --question ID.

    A multiple-choice question has --options (in order with --ordered); a numeric or date
    question may have a --unit and bounds (--lower, --upper: numbers, or dates YYYY-MM-DD on
    a date question), closed unless --open-lower/--open-upper. See docs/question-types.md.

    Example: forecastkit add question q-2008-ru-president --text "Who is Russia's president
    on 2008-12-31?" --type multiple_choice --options medvedev,putin,neither

    Example: forecastkit add question q-2010-ru-gdp-growth --text "Russia's GDP growth in
    2010" --type numeric --unit % --lower -20 --upper 20 --open-lower --open-upper
    """
    from forecastkit.editing.questions import add_question
    from forecastkit.records.forecast_text import parse_value

    corpus_path, qid = corpus_and(args, corpus_path, "ID")
    values: dict[str, Any] = {"text": text}
    missing_or_prompt(values, [("text", "text (the question, resolvable as written)", str)])
    text = values["text"]
    labels: list[str] = []
    if options is not None:
        labels = [o.strip() for o in options.split(",")]
        if any(not o for o in labels):
            fail("--options: an empty label; write LABELS comma-separated, e.g. a,b,c")
    bounds = {
        end: parse_value(value, end) if value is not None else None
        for end, value in (("lower", lower), ("upper", upper))
    }
    done = add_question(
        qid,
        text=str(text),
        qtype=qtype,
        options=labels,
        ordered=ordered,
        unit=unit,
        lower=bounds["lower"],
        upper=bounds["upper"],
        open_lower=open_lower,
        open_upper=open_upper,
        criteria=criteria,
        resolve_by=resolve_by,
        tags=tags,
        notes=notes,
        path=corpus_path,
    )
    click.echo(done.message)
