"""Add sources and claims: new claim files and entries appended to existing ones."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from forecastkit.editing.edit import (
    CLAIMANT_ROLES,
    KINDS,
    Edit,
    as_date,
    check_new_entry,
    collector_paused,
    line_of_last,
    load_for_edit,
    locked,
    new_file,
    plain_data,
    publisher_slug,
    read_for_edit,
    refuse_future,
    refuse_if_broken,
    schema_header,
    slugify,
    write_checked,
)
from forecastkit.errors import (
    ClaimFileError,
    CorpusError,
    EditError,
    ForecastkitError,
    UnknownHedgeError,
)
from forecastkit.records.layout import ID_HINT, ID_PATTERN, did_you_mean
from forecastkit.records.paths import resolve_corpus_path

# --------------------------------------------------------------------------------------------
# Claims

#: How much of a claim file that could not be read is searched for its source id.
_HEAD_BYTES = 65_536


def _refuse_unread_source(errors: Sequence[ForecastkitError], source_id: str) -> None:
    """Raise why ``source_id`` was not found when its claim file could not be read (too large,
    not UTF-8, malformed): the file named after it, or whose ``source:`` block names it near
    the top. Without this, add claim said 'no source with id ...' of a source that is there."""
    pattern = re.compile(
        rf"(?m)^source:[ \t]*\n(?:[ \t]+.*\n|[ \t]*\n)*?[ \t]+id:[ \t]*"
        rf"(['\"]?){re.escape(source_id)}\1[ \t]*(?:#.*)?$"
    )
    for e in errors:
        file = Path(e.file) if e.file else None
        if file is None or file.suffix not in (".yaml", ".yml") or not file.is_file():
            continue
        with file.open("rb") as fh:
            head = fh.read(_HEAD_BYTES).decode("utf-8", errors="replace")
        if file.stem == source_id or pattern.search(head):
            raise ClaimFileError(
                f"source '{source_id}' is in a file that cannot be read: {e.message}",
                file=e.file,
                line=e.line,
                field=e.field,
                hint=e.hint,
            )


def suggest_claim_id(publisher: str, made_on: dt.date, proposition: str, taken: set[str]) -> str:
    """A readable, unused claim id: ``<publisher>-<year>-<first words of the proposition>``."""
    words = [
        w
        for w in slugify(proposition, 12).split("-")
        if w not in {"the", "a", "an", "of", "to", "in", "by", "on", "and", "is", "its"}
    ]
    base = "-".join([publisher_slug(publisher), str(made_on.year), *words[:4]]).strip("-")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@collector_paused()
def add_claim(
    source_id: str,
    *,
    claimant: str,
    claimant_role: str,
    quote: str,
    proposition: str,
    claim_id: str | None = None,
    kind: str = "forecast",
    criteria: str | None = None,
    hedge: str | None = None,
    probability: float | None = None,
    made_on: dt.date | str | None = None,
    resolve_by: dt.date | str | None = None,
    deadline_basis: str | None = None,
    deadline_phrase: str | None = None,
    deadline_rule: str | None = None,
    condition: str | None = None,
    if_unmet: str | None = None,
    tags: Sequence[str] = (),
    notes: str | None = None,
    question: str | None = None,
    probabilities: Mapping[str, float] | None = None,
    quantiles: Mapping[float, Any] | None = None,
    interval: Mapping[str, Any] | None = None,
    cdf: Mapping[str, Sequence[Any]] | None = None,
    point: Any = None,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
    replacing: str | None = None,
) -> Edit:
    """Append a claim to the claim file of ``source_id`` (see ``docs/claim-format.md``).

    ``replacing`` names an entry of ``kind: candidate`` in that file that the claim takes the
    place of (:func:`forecastkit.editing.review.accept_candidate`), instead of appending.

    ``question`` names a question of ``questions.yaml`` that the claim forecasts, with others
    (its outcome is then the question's); without it the claim is its own question.

    A forecast on a multiple-choice, numeric or date question gives, instead of a hedge or a
    probability, one of the forms of ``docs/question-types.md``: ``probabilities`` (option
    label: probability; labels match the question's options regardless of case),
    ``quantiles`` (level: value), ``interval`` (``{level, lower, upper}``), ``cdf``
    (``{x: [...], p: [...]}``) or ``point`` (a point estimate, scored for error only). Values
    are numbers, or dates on a date question. The form is checked against the question as
    ``forecastkit validate`` checks it (:func:`forecastkit.editing.forecasts.check_forecast`).

    ``claim_id`` defaults to :func:`suggest_claim_id`. The claimant must be in the authors
    registry (:func:`forecastkit.editing.authors.add_author` adds one), the hedge must be known to the lexicon, and a
    forecast needs ``resolve_by`` and a hedge or a stated probability.

    Raises
    ------
    ForecastkitError
        For any field that fails its check, or a broken claim file; nothing is written.
    """
    from forecastkit.editing.forecasts import check_forecast, check_form, question_fields
    from forecastkit.records import lexicon

    root = resolve_corpus_path(path)
    corpus, errors = load_for_edit(root, today)
    src = corpus.sources[corpus.sources["source_id"] == source_id]
    if src.empty:
        _refuse_unread_source(errors, source_id)
        broken = len({e.file for e in errors})
        raise CorpusError(
            f"no source with id '{source_id}'",
            field="source",
            hint=(
                did_you_mean(source_id, corpus.sources["source_id"].tolist())
                or "create it first: forecastkit add source --title ... "
            )
            + (f" ({broken} file(s) have errors: forecastkit validate)" if broken else ""),
        )
    src = src.iloc[0]
    file = Path(str(src["file"]))
    if file.suffix not in (".yaml", ".yml"):
        raise EditError(
            f"source '{source_id}' is in a tabular file",
            file=file,
            hint="add rows to the table, or create a YAML source for new claims",
        )
    refuse_if_broken(errors, file)

    kind = kind or "forecast"
    published = src["published"].date()
    made = as_date(made_on, "made_on")
    refuse_future(
        made,
        today or dt.date.today(),
        "claim.made_on",
        "made_on is the day the forecast was published or said",
    )
    due = as_date(resolve_by, "resolve_by")
    taken = set(corpus.claims["claim_id"].dropna())
    if claim_id is not None and not claim_id.strip():  # --id '': refused, not replaced
        raise EditError(
            "the claim id is empty",
            field="claim.id",
            hint="leave --id out for a generated id, or give one: " + ID_HINT,
        )
    cid = claim_id or suggest_claim_id(str(src["publisher"]), made or published, proposition, taken)
    if not ID_PATTERN.match(cid):
        raise EditError(f"'{cid}' is not a valid claim id", field="claim.id", hint=ID_HINT)
    if cid in taken:
        where = corpus.claims[corpus.claims["claim_id"] == cid].iloc[0]
        raise CorpusError(
            f"duplicate claim id '{cid}'",
            field="claim.id",
            hint=f"already used at {where['file']}:{where['line']}; choose another id",
        )
    if question is not None:
        registered = corpus.questions[corpus.questions["registered"].astype(bool)]
        known = registered["question_id"].astype(str).tolist()
        if question not in known:
            raise CorpusError(
                f"unknown question '{question}'",
                field="claim.question",
                hint=did_you_mean(question, known)
                or "register it in questions.yaml first (docs/claim-format.md)",
            )
    if claimant not in set(corpus.authors["claimant"]):
        raise CorpusError(
            f"unknown claimant '{claimant}'",
            field="claim.claimant",
            hint=did_you_mean(claimant, corpus.authors["claimant"].tolist())
            or f"add it first: forecastkit add author {claimant} --name NAME",
        )
    if claimant_role not in CLAIMANT_ROLES:
        raise EditError(
            f"'{claimant_role}' is not a claimant role",
            field="claim.claimant_role",
            hint=f"use one of: {', '.join(CLAIMANT_ROLES)}",
        )
    if kind not in KINDS:
        raise EditError(
            f"'{kind}' is not a kind", field="claim.kind", hint=f"use one of: {', '.join(KINDS)}"
        )
    if hedge is not None and not lexicon.is_known_hedge(hedge):
        near = lexicon.suggest_hedges(hedge)
        raise UnknownHedgeError(
            f"unknown hedge '{hedge}'",
            field="claim.hedge",
            hint=(f"did you mean {' or '.join(repr(n) for n in near)}? " if near else "")
            + "`forecastkit lexicon --house` lists every known hedge",
        )
    if probability is not None and not 0 <= float(probability) <= 1:
        raise EditError(
            f"probability {probability} is outside [0, 1]",
            field="claim.probability",
            hint="write a probability as a number between 0 and 1, e.g. 0.7 (not 70%)",
        )
    typed = {
        "probabilities": probabilities,
        "quantiles": quantiles,
        "interval": interval,
        "cdf": cdf,
        "point": point,
    }
    typed = {k: v for k, v in typed.items() if v is not None}
    qfields = question_fields(corpus.questions, question)
    if probabilities is not None and qfields and qfields["type"] == "multiple_choice":
        by_fold = {o.casefold(): o for o in qfields["options"]}
        typed["probabilities"] = {
            by_fold.get(k.casefold(), k.casefold()): v for k, v in probabilities.items()
        }
    if kind == "forecast":
        if due is None:
            raise EditError(
                "a forecast needs resolve_by",
                field="claim.resolve_by",
                hint="give --resolve-by DATE (docs/conventions.md: deadlines)",
            )
        if hedge is None and probability is None and not typed:
            raise EditError(
                "a forecast needs a hedge (as written) or a stated probability",
                field="claim.hedge",
                hint="give --hedge or --probability (or, on a question of another type, "
                "one of --probabilities, --quantiles, --interval, --cdf, --point)",
            )
    if question is not None:
        settled = corpus.questions.loc[
            corpus.questions["question_id"] == question, "resolved_on"
        ].dropna()
        if not settled.empty and settled.iloc[0].date() < (made or published):
            raise EditError(
                f"question '{question}' was resolved on {settled.iloc[0].date()}, before "
                f"this claim was made ({made or published})",
                field="claim.made_on",
                hint="a forecast is made before its question resolves; check --made-on",
            )
    if due and due < (made or published):
        raise EditError(
            f"resolve_by {due} is before made_on {made or published}",
            field="claim.resolve_by",
            hint="a deadline comes after the forecast is made",
        )

    claim: dict[str, Any] = {"id": cid}
    if question is not None:
        claim["question"] = question
    claim.update({"claimant": claimant, "claimant_role": claimant_role})
    if kind != "forecast":
        claim["kind"] = kind
    claim["quote"] = quote
    claim["proposition"] = proposition
    optional = {
        "criteria": criteria,
        "hedge": hedge,
        "probability": float(probability) if probability is not None else None,
        "made_on": made,
        "resolve_by": due,
    }
    claim.update({k: v for k, v in optional.items() if v is not None})
    claim.update(typed)
    if deadline_basis or deadline_phrase or deadline_rule:
        basis = deadline_basis or ("inferred" if deadline_rule else "stated")
        deadline = {"basis": basis, "phrase": deadline_phrase, "rule": deadline_rule}
        claim["deadline"] = {k: v for k, v in deadline.items() if v is not None}
    if condition:
        claim["condition"] = {"text": condition, "if_unmet": if_unmet or "annulled"}
    if tags:
        claim["tags"] = [t.strip() for t in tags if t.strip()]
    if notes:
        claim["notes"] = notes
    base = {
        "source": {
            "id": source_id,
            "title": "t",
            "publisher": "p",
            "byline": ["b"],
            "published": published.isoformat(),
        }
    }
    plain = plain_data(claim)
    if "quantiles" in plain:  # keys as the file will read them back (0.00001, not 1e-05)
        from forecastkit.editing.yamlrender import key_text

        plain["quantiles"] = {key_text(k): v for k, v in plain["quantiles"].items()}
    if len(typed) == 1 and hedge is None and probability is None:
        check_form(next(iter(typed)), plain, qfields)
    check_new_entry({**base, "claims": [plain]}, "claim-file", "claim", "claims[0]")
    if typed or question is not None:
        check_forecast(plain, qfields)

    from forecastkit.editing.yamledit import append_parsed

    with locked(file):
        fresh = read_for_edit(file, "claim-file")
        entries = (fresh.doc.data or {}).get("claims") or []
        if cid in {c.get("id") for c in entries if c.get("id") != replacing}:
            raise CorpusError(  # added by someone else since we looked
                f"duplicate claim id '{cid}'", file=file, field="claim.id", hint="choose another id"
            )
        if replacing is None:
            doc = append_parsed(fresh.doc, "claims", [claim])
        else:
            from forecastkit.editing.candidates import claim_line, replace_candidate

            doc = replace_candidate(fresh.doc, replacing, claim)
        write_checked(file, doc, fresh.bom, "claim-file")
    line = line_of_last(doc, "claims") if replacing is None else claim_line(doc, cid)
    return Edit(file=file, line=line, id=cid, message=f"added claim {cid} ({file}:{line})")


@collector_paused()
def create_source(
    *,
    title: str,
    publisher: str,
    byline: Sequence[str],
    published: dt.date | str,
    url: str | None = None,
    source_id: str | None = None,
    published_estimated: bool = False,
    published_note: str | None = None,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> Edit:
    """Create a claim file for a new source article, with no claims yet.

    The file is ``<published>-<publisher>-<title words>.yaml`` (``source_id`` overrides the
    name); byline keys must be in the authors registry.

    Raises
    ------
    ForecastkitError
        For a duplicate id, an existing file, an unknown byline key or a bad date.
    """
    root = resolve_corpus_path(path)
    corpus, _errors = load_for_edit(root, today)
    day = as_date(published, "published")
    if day is None:
        raise EditError(
            "a source needs a published date",
            field="source.published",
            hint="give --published YYYY-MM-DD (an estimate with --published-note)",
        )
    refuse_future(
        day,
        today or dt.date.today(),
        "source.published",
        "check the year; record a source once it is published",
    )
    for label, value in (("title", title), ("publisher", publisher)):
        if not value or not str(value).strip():
            raise EditError(f"a source needs a {label}", field=f"source.{label}")
    keys = [k.strip() for k in byline if k and k.strip()]
    if not keys:
        raise EditError(
            "a source needs a byline (authors-registry keys)",
            field="source.byline",
            hint="give --byline KEY (several: --byline a --byline b)",
        )
    known = set(corpus.authors["claimant"])
    for k in keys:
        if k not in known:
            raise CorpusError(
                f"unknown byline author '{k}'",
                field="source.byline",
                hint=did_you_mean(k, sorted(known))
                or f"add it first: forecastkit add author {k} --name NAME",
            )
    if source_id is not None and not source_id.strip():
        raise EditError(
            "the source id is empty",
            field="source.id",
            hint="leave --id out for a generated id, or give one: " + ID_HINT,
        )
    sid = source_id or f"{day.isoformat()}-{publisher_slug(publisher)}-{slugify(title, 6)}".strip(
        "-"
    )
    if not ID_PATTERN.match(sid):
        raise EditError(f"'{sid}' is not a valid source id", field="source.id", hint=ID_HINT)
    if sid in set(corpus.sources["source_id"]):
        raise CorpusError(
            f"duplicate source id '{sid}'",
            field="source.id",
            hint="the source exists: add claims to it with forecastkit add claim",
        )
    if published_estimated and not published_note:
        raise EditError(
            "an estimated date needs a note saying how it was estimated",
            field="source.published_note",
            hint="give --published-note TEXT",
        )
    source: dict[str, Any] = {
        "id": sid,
        "title": title.strip(),
        "publisher": publisher.strip(),
        "byline": keys,
        "published": day,
    }
    if published_estimated:
        source["published_estimated"] = True
        source["published_note"] = published_note
    if url:
        source["url"] = url.strip()
    data = {"source": source, "claims": []}
    check_new_entry(
        plain_data({**data, "source": {**source, "published_estimated": published_estimated}}),
        "claim-file",
        "source",
        "source",
    )

    from forecastkit.editing.yamlrender import render_mapping

    file = root / f"{sid}.yaml"
    text = (
        "\n".join(
            [
                schema_header(root, root, "claim-file"),
                *render_mapping({"source": source}, 0),
                "claims: []",
            ]
        )
        + "\n"
    )
    with locked(file):
        if file.exists():
            raise EditError(
                "the file already exists",
                file=file,
                hint="add claims to it with forecastkit add claim",
            )
        write_checked(file, new_file(text, file).doc, False, "claim-file")
    return Edit(file=file, line=2, id=sid, message=f"created source {sid} ({file})")
