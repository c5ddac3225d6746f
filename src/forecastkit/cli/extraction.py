"""``forecastkit extract``: propose the forecasts in an article as candidate claims.

Listed in ``forecastkit.cli.COMMANDS`` and loaded when the command runs.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from forecastkit.cli.common import CORPUS_OPTION, DATE, handle_errors, scale_option


@click.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option(
    "--source-id",
    default=None,
    metavar="ID",
    help="Source id (file name) for --write [default: <published>-<publisher>-<title>].",
)
@click.option(
    "--byline",
    default=None,
    metavar="NAME",
    help="Author of the article, the claimant when no one else is quoted "
    "[default: the page's author or 'By ...' line].",
)
@click.option(
    "--publisher",
    default=None,
    metavar="NAME",
    help="Publisher, the claimant when there is no byline [default: the page's site].",
)
@click.option(
    "--published",
    type=DATE,
    default=None,
    help="Publication date (made_on; deadlines count from it) [default: the page's].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "yaml"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--write",
    "write",
    is_flag=True,
    help="Also write a claim file for the source, entries of kind: candidate.",
)
@CORPUS_OPTION
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=None,
    help="Leave out candidates below this confidence [default: 0.4].",
)
@click.option(
    "--prescriptions",
    is_flag=True,
    help="Also list prescriptive sentences ('must', 'should'), marked as such.",
)
@scale_option
@handle_errors
def extract(
    file: str,
    source_id: str | None,
    byline: str | None,
    publisher: str | None,
    published: dt.date | None,
    fmt: str,
    write: bool,
    corpus_path: str | None,
    min_confidence: float | None,
    prescriptions: bool,
    scale: str,
) -> None:
    """Propose the forecasts in an article (plain text or saved HTML) for review.

    Each candidate has its verbatim quote with character offsets, the hedge and its
    probability on --scale, the claimant (a quoted speaker, else the byline), the deadline and
    resolve_by under the deadline rules, any condition, and a confidence with its reasons
    (docs/extraction.md). Nothing is downloaded; nothing is written without --write. Inputs
    over 4 MiB of text (32 MiB for a saved HTML page) are refused: they would run for minutes
    (extraction.text.MAX_TEXT_BYTES, MAX_HTML_BYTES).

    Example: forecastkit extract article.html --published 2024-06-17 --write
    """
    from forecastkit.extraction import extract_file
    from forecastkit.extraction.candidates import MIN_CONFIDENCE
    from forecastkit.records.paths import resolve_corpus_path

    extraction = extract_file(
        file,
        byline=byline,
        publisher=publisher,
        published=published,
        scale=scale,
        min_confidence=MIN_CONFIDENCE if min_confidence is None else min_confidence,
        include_prescriptions=prescriptions,
    )
    rows = [c.to_dict() for c in extraction.candidates]
    if fmt == "json":
        click.echo(
            json.dumps(
                {"source": _source(extraction), "candidates": rows}, indent=2, ensure_ascii=False
            )
        )
    elif fmt == "yaml":
        import yaml

        click.echo(
            yaml.safe_dump(
                {"source": _source(extraction), "candidates": rows},
                sort_keys=False,
                allow_unicode=True,
                width=100,
            ),
            nl=False,
        )
    else:
        _table(rows)
    if write:
        _write(extraction, resolve_corpus_path(corpus_path), source_id, len(rows))


def _write(extraction: Any, root: Any, source_id: str | None, n: int) -> None:
    """A new claim file of candidates; on a re-run (the file exists), only the new ones."""
    from forecastkit.editing.edit import locked
    from forecastkit.extraction import write_candidates
    from forecastkit.extraction.write import claim_file_data, default_source_id

    sid = source_id or default_source_id(extraction)
    existing = root / f"{sid}.yaml"
    if existing.is_file():
        from forecastkit.editing.candidates import add_new_candidates

        entries = claim_file_data(extraction, sid)["claims"]
        click.echo(add_new_candidates(existing, entries, source_id=sid).message, err=True)
    else:
        written = write_candidates(extraction, root, source_id=source_id, lock=locked)
        click.echo(f"wrote {n} candidate(s) to {written}", err=True)
    _register_byline(extraction, root)
    click.echo("review them: forecastkit review list", err=True)


def _register_byline(extraction: Any, root: Any) -> None:
    """Add the byline to the authors registry when it is new, so the file validates."""
    from forecastkit.editing.authors import add_author
    from forecastkit.extraction.write import slug
    from forecastkit.records.yamlio import read

    src = extraction.source
    name = src.author or src.site or "unknown"
    registry = root / "authors.yaml"
    known = (read(registry).data or {}).get("authors") or {} if registry.exists() else {}
    if slug(name) in known:
        return
    kind = "organisation" if not src.author or name == src.site else "person"
    add_author(slug(name), name=name, kind=kind, affiliation=src.site, path=root)
    click.echo(f"added byline author {slug(name)} ({name}) to {registry}", err=True)


def _source(extraction: Any) -> dict[str, Any]:
    src = extraction.source
    return {
        "file": str(src.path),
        "title": src.title,
        "byline": src.author,
        "publisher": src.site,
        "published": src.published.isoformat() if src.published else None,
        "url": src.url,
        "html": src.is_html,
        "scale": extraction.scale,
    }


def _table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        click.echo("no candidates")
        return
    for r in rows:
        p = "-" if r["probability"] is None else f"{r['probability']:.2f}"
        click.echo(
            f"{r['confidence']:.2f}  {r['hedge'] or '(' + r['kind'] + ')'}  p={p}  "
            f"{r['claimant_name']} ({r['claimant_role']})  by {r['resolve_by'] or '?'}  "
            f"[{r['start']}:{r['end']}]"
        )
        quote = " ".join(r["quote"].split())
        click.echo(f"    {quote[:200]}{'...' if len(quote) > 200 else ''}")
    click.echo(f"{len(rows)} candidate(s)")
