"""Check parsed claim, authors and outcome files against their JSON Schemas.

The schemas in ``forecastkit/records/schemas/`` are the single description of the file formats: editors
use them (via the ``# yaml-language-server: $schema=...`` line) and so does this module. Errors
from :mod:`jsonschema` are translated into one-line messages with the file, line and field, and a
hint on how to fix them (``x-hint`` in the schema, or a "did you mean" for misspelt fields).
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

from forecastkit.errors import ClaimFileError
from forecastkit.records.yamlio import Document, format_path

#: Schema kinds and their files in ``forecastkit/records/schemas``.
SCHEMA_FILES = {
    "claim-file": "claim-file.schema.json",
    "authors": "authors.schema.json",
    "outcomes": "outcomes.schema.json",
    "questions": "questions.schema.json",
}


@cache
def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a file kind: ``claim-file``, ``authors`` or ``outcomes``."""
    text = (
        resources.files("forecastkit.records.schemas")
        .joinpath(SCHEMA_FILES[kind])
        .read_text("utf-8")
    )
    return json.loads(text)


@cache
def _validator(kind: str) -> Any:
    import jsonschema

    cls = jsonschema.validators.validator_for(schema(kind))
    return cls(schema(kind))


@cache
def _fast_validator(kind: str) -> Any:
    """A compiled validator (fastjsonschema): ~20x faster than jsonschema on valid files.

    fastjsonschema knows drafts 4-7; our schemas use nothing later than draft 7 but ``$defs``,
    which is only a JSON pointer target here, so we compile them as draft 7.
    """
    import fastjsonschema

    draft7 = dict(schema(kind), **{"$schema": "http://json-schema.org/draft-07/schema#"})
    return fastjsonschema.compile(draft7)


def check(doc: Document, kind: str) -> list[ClaimFileError]:
    """All schema errors of ``doc`` as located, one-line errors (empty when valid).

    Valid files (the usual case) pass the compiled validator alone; only an invalid file is
    walked by :mod:`jsonschema`, which reports every error with its path.
    """
    import fastjsonschema

    try:
        _fast_validator(kind)(doc.data)
        return []
    except fastjsonschema.JsonSchemaValueException:
        pass
    validator = _validator(kind)
    errors = []
    for err in validator.iter_errors(doc.data):
        errors.extend(_translate(err, doc))
    # One error per location is enough for a reader; keep the first.
    unique: dict[tuple[int | None, str | None], ClaimFileError] = {}
    for e in errors:
        unique.setdefault((e.line, e.field), e)
    return list(unique.values())


def _best(err: Any) -> Any:
    """For anyOf/oneOf, the sub-error that says the most about what the user wrote."""
    if err.validator in ("anyOf", "oneOf") and err.context:
        # Prefer errors about a value of the right type over "is not of type 'null'".
        ranked = sorted(
            err.context,
            key=lambda e: (
                e.validator == "type" and "null" in str(e.validator_value),
                -len(e.path),
            ),
        )
        return ranked[0]
    return err


def _translate(err: Any, doc: Document) -> list[ClaimFileError]:
    if (
        err.validator == "anyOf"
        and err.context
        and all(e.validator == "required" for e in err.context)
        and tuple(err.absolute_path)[:1] == ("outcomes",)
    ):  # an outcome entry with none of verdict, option, value
        names = [e.validator_value[0] for e in err.context]
        return [
            ClaimFileError(
                f"an outcome needs one of {', '.join(names)}",
                file=doc.path,
                line=doc.line_of(tuple(err.absolute_path)),
                field=format_path(tuple(err.absolute_path)) or None,
                hint="verdict: for a binary question, option: or value: for the other types "
                "(docs/question-types.md)",
            )
        ]
    err = _best(err)
    path = tuple(err.absolute_path)
    where = format_path(path) or None
    hint = err.schema.get("x-hint") if isinstance(err.schema, dict) else None
    v = err.validator
    value = err.instance

    def make(message: str, p=path, *, key=False, field=where, hint=hint) -> ClaimFileError:
        return ClaimFileError(
            message, file=doc.path, line=doc.line_of(p, key=key), field=field, hint=hint
        )

    if v == "additionalProperties" and isinstance(value, dict):
        allowed = list(err.schema.get("properties", {}))
        out = []
        for extra in [k for k in value if k not in allowed]:
            near = difflib.get_close_matches(extra, allowed, n=1, cutoff=0.6)
            fix = f"did you mean '{near[0]}'?" if near else f"known fields: {', '.join(allowed)}"
            out.append(
                make(
                    "unknown field",
                    path + (extra,),
                    key=True,
                    field=format_path(path + (extra,)),
                    hint=fix,
                )
            )
        return out
    if v == "required":
        missing = [k for k in err.validator_value if not isinstance(value, dict) or k not in value]
        desc = ""
        if missing and isinstance(err.schema.get("properties", {}).get(missing[0]), dict):
            desc = err.schema["properties"][missing[0]].get("description", "")
        return [
            make(
                f"missing required field '{m}'",
                hint=(f"add it: {desc}" if desc else f"add {m}: (docs/claim-format.md)"),
            )
            for m in missing
        ]
    if v == "type":
        expected = err.validator_value
        expected = expected if isinstance(expected, str) else " or ".join(expected)
        desc = err.schema.get("description") if isinstance(err.schema, dict) else None
        return [
            make(
                f"expected {_article(expected)}, got {_show(value)}",
                hint=hint or (f"this field holds: {desc}" if desc else None),
            )
        ]
    if v == "pattern":
        if "\\d{4}" in err.validator_value:
            return [make(f"{_show(value)} is not a date in YYYY-MM-DD form")]
        if "\\S+" in err.validator_value:
            return [make(f"{_show(value)} is not a web address")]
        return [make(f"{_show(value)} has characters that are not allowed here")]
    if v == "enum":
        options = ", ".join(str(o) for o in err.validator_value)
        near = difflib.get_close_matches(str(value), [str(o) for o in err.validator_value], n=1)
        return [
            make(
                f"{_show(value)} is not one of: {options}",
                hint=(f"did you mean '{near[0]}'?" if near else hint),
            )
        ]
    if v in ("minimum", "maximum"):
        return [make(f"{_show(value)} is outside the allowed range [0, 1]")]
    if v == "maxLength" and isinstance(value, str):
        return [
            make(
                f"{_show(value)} is too long ({len(value)} characters; at most "
                f"{err.validator_value})"
            )
        ]
    if v in ("minLength",):
        return [make("must not be empty")]
    if v in ("minItems",):
        return [
            make(
                "needs at least one entry",
                hint=(
                    "a true or false verdict needs evidence you have read"
                    if path and path[-1] == "evidence"
                    else hint
                ),
            )
        ]
    if v == "anyOf" and path and len(path) >= 2 and path[0] == "claims":
        return [
            make(
                "a forecast needs a hedge (as written) or a stated probability",
                hint="add hedge: ..., or probability: 0.x when the text states a number",
            )
        ]
    if v == "oneOf" and not err.context:  # an outcome entry naming both a claim and a question
        return [
            make(
                "give either claim: or question:, not both",
                hint="a shared question's outcome is logged once, under question: ID",
            )
        ]
    if v == "propertyNames":
        return [make(f"{_show(value)} is not a valid key", hint=hint)]
    return [make(err.message)]


def _article(type_name: str) -> str:
    names = {
        "string": "text",
        "number": "a number",
        "integer": "a whole number",
        "array": "a list",
        "object": "a mapping of fields",
        "boolean": "true or false",
        "null": "nothing",
    }
    return " or ".join(names.get(t.strip(), t) for t in type_name.split(" or "))


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)
