"""``forecastkit review list|accept|reject|edit``: the candidates of ``extract --write``.

A thin layer over :mod:`forecastkit.editing.review`; listed in ``forecastkit.cli.COMMANDS``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from forecastkit.cli.common import (
    CORPUS_OPTION,
    DATE,
    corpus_and,
    fail,
    handle_errors,
    scale_option,
)

_ROLES = click.Choice(
    [
        "byline author",
        "quoted expert",
        "quoted official",
        "anonymous source",
        "organisation",
        "other",
    ]  # fmt: skip
)
_ARGS = click.argument("args", nargs=-1, required=True, metavar="[PATH] ID")


@click.group()
def review() -> None:
    """Review the candidates of `forecastkit extract --write`: accept, edit or reject each.

    `review list` shows the pending ones, each with a short id (any unique end of its id, such
    as c003). Accepting one turns it into a claim in its source's claim file, with its quote,
    claimant, hedge, dates and deadline; rejecting keeps it, marked rejected with the reason, so
    a re-run of extract does not propose it again. Nothing is written when anything is wrong.

    Example: forecastkit review list; forecastkit review accept c002 --proposition "..."
    """


@review.command("list")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--all", "show_all", is_flag=True, help="Also list the rejected candidates.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@CORPUS_OPTION
@scale_option
@handle_errors
def list_(path: str | None, show_all: bool, fmt: str, corpus_path: str | None, scale: str) -> None:
    """List the candidates awaiting review, file by file, with the id to give accept/reject/edit.

    A claimant marked (new) is not in authors.yaml yet: accept with --claimant KEY or
    --add-claimant.

    Example: forecastkit review list --all
    """
    from forecastkit.cli.common import one_corpus
    from forecastkit.editing.review import candidates_table

    table = candidates_table(one_corpus(path, corpus_path), rejected=show_all, scale=scale)
    if fmt == "json":
        rows = table.astype(object).where(table.notna(), None).to_dict("records")
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if table.empty:
        click.echo("no candidates to review" + ("" if show_all else " (--all: rejected too)"))
        return
    for file, rows in table.groupby("file", sort=False):
        pending = int((rows["status"] == "pending").sum())
        click.echo(f"{file}: {pending} pending")
        for r in rows.itertuples():
            click.echo("  " + _line(r))
            quote = " ".join(str(r.quote).split())
            click.echo(f"      {quote[:200]}{'...' if len(quote) > 200 else ''}")
            if _given(r.number):
                click.echo(f"      number: {r.number}")
            if _given(r.proposition):
                click.echo(f"      proposition: {r.proposition}")
            if r.status == "rejected":
                click.echo(f"      rejected: {r.reason}")
    pending = int((table["status"] == "pending").sum())
    click.echo(f"{pending} candidate(s) pending; forecastkit review accept|reject|edit ID")


def _given(value: Any) -> bool:
    return value is not None and value == value  # not None, not NaN


def _line(r: Any) -> str:
    p = f"{r.reading:.2f}" if _given(r.reading) else "-"
    p += " stated" if _given(r.probability) else ""
    conf = f"{r.confidence:.2f}  " if _given(r.confidence) else ""
    hedge = r.hedge if _given(r.hedge) else "-"
    new = "" if r.registered else " (new)"
    status = "" if r.status == "pending" else "  [rejected]"
    return (
        f"{r.ref}  {conf}{hedge}  p={p}  {r.claimant}{new} ({r.role})  "
        f"by {r.resolve_by or '?'}{status}"
    )


_FIELDS = [
    click.option("--proposition", default=None, help="The event in positive, resolvable form."),
    click.option("--claimant", default=None, metavar="KEY", help="Authors-registry key."),
    click.option("--role", "claimant_role", type=_ROLES, default=None, help="Claimant role."),
    click.option("--quote", default=None, help="The words of the source (e.g. trimmed)."),
    click.option("--criteria", default=None, help="What counts as true or false."),
    click.option("--hedge", default=None, help="The hedge as written."),
    click.option(
        "--probability",
        type=click.FloatRange(0, 1),
        default=None,
        help="Only when the text states a number.",
    ),
    click.option(
        "--resolve-by",
        "--deadline",
        "resolve_by",
        type=DATE,
        default=None,
        help="Deadline (ISO date, or e.g. 'end of 2027').",
    ),
    click.option("--condition", default=None, help="The condition, for a conditional forecast."),
    click.option("--tag", "tags", multiple=True, help="A tag (repeat for several)."),
]


def _fields(func: Any) -> Any:
    for option in reversed(_FIELDS):
        func = option(func)
    return func


@review.command("accept")
@_ARGS
@_fields
@click.option(
    "--add-claimant",
    is_flag=True,
    help="Add a claimant missing from authors.yaml, with the name as written.",
)
@click.option(
    "--kind",
    default="forecast",
    show_default=True,
    type=click.Choice(["forecast", "prescription", "description"]),
)
@click.option("--id", "claim_id", default=None, help="Claim id (default: from the proposition).")
@click.option(
    "--question",
    default=None,
    metavar="ID",
    help="The question it forecasts: one of questions.yaml, or the id of a new numeric one.",
)
@click.option(
    "--number",
    type=click.IntRange(1),
    default=None,
    metavar="N",
    help="Which number of the quote the claim is about [default: the first, not a baseline].",
)
@click.option(
    "--level",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=None,
    help="For a range ('$80-90'): the probability it lies in it, which the text does not state.",
)
@click.option("--unit", default=None, help="The unit of a new numeric question [default: read].")
@click.option("--binary", is_flag=True, help="A binary claim (the hedge) even with numbers.")
@CORPUS_OPTION
@handle_errors
def accept(
    args: tuple[str, ...], corpus_path: str | None, proposition: str | None, **given: Any
) -> None:
    """Turn a candidate into a claim in its source's claim file, without retyping it.

    Quote, claimant, role, hedge, probability, dates, deadline and condition come from the
    candidate; options override them. A number the quote states as a value or a range ('2.5%',
    '$80-90') makes a numeric claim, on a new numeric question whose text is the proposition
    (docs/question-types.md); a threshold ('at least 100,000') or a chance stays binary. In a
    terminal, asks for the proposition when the candidate has none, and before adding a
    claimant missing from authors.yaml (in scripts, give --proposition and --add-claimant).

    Example: forecastkit review accept c002 --proposition "The harbour bridge toll is scrapped
    by 2025-12-31" --add-claimant
    """
    from forecastkit.editing.review import accept_candidate, find_candidate, new_claimant

    corpus_path, ref = corpus_and(args, corpus_path, "ID")
    if not given["add_claimant"] and sys.stdin.isatty():
        new = new_claimant(ref, corpus_path, given["claimant"])
        if new and click.confirm(f'add claimant {new[0]} ("{new[1]}") to authors.yaml?', True):
            given["add_claimant"] = True
    if proposition is None:
        cand = find_candidate(ref, corpus_path)
        if not cand.entry.get("proposition"):
            if not sys.stdin.isatty():
                fail("missing --proposition (nothing was written)")
            click.echo(" ".join(str(cand.entry.get("quote")).split()), err=True)
            proposition = click.prompt("proposition", type=str)
    done = accept_candidate(ref, path=corpus_path, proposition=proposition, **given)
    click.echo(done.message)


@review.command("reject")
@_ARGS
@click.option("--reason", default=None, help="Why it is not a claim ('describes the past').")
@click.option("--by", default=None, help="Who rejects it [default: git's user.name].")
@CORPUS_OPTION
@handle_errors
def reject(
    args: tuple[str, ...], reason: str | None, by: str | None, corpus_path: str | None
) -> None:
    """Mark a candidate rejected, with the reason; kept, so extract does not propose it again.

    Example: forecastkit review reject c004 --reason "describes the past"
    """
    from forecastkit.editing.review import reject_candidate

    corpus_path, ref = corpus_and(args, corpus_path, "ID")
    if reason is None:
        fail("missing --reason (nothing was written)")
    click.echo(reject_candidate(ref, reason=reason, by=by, path=corpus_path).message)


@review.command("edit")
@_ARGS
@_fields
@CORPUS_OPTION
@handle_errors
def edit(args: tuple[str, ...], corpus_path: str | None, **given: Any) -> None:
    """Correct a candidate's fields; it stays pending (accept takes the same options).

    Example: forecastkit review edit c003 --proposition "The council approves the stadium"
    --resolve-by 2026-12-31
    """
    from forecastkit.editing.review import edit_candidate

    corpus_path, ref = corpus_and(args, corpus_path, "ID")
    click.echo(edit_candidate(ref, path=corpus_path, **given).message)
