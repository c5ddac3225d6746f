"""Write an article's candidates as a new claim file whose entries have ``kind: candidate``.

The file is reviewed in an editor (its ``$schema`` line gives the schema's help): a person keeps,
corrects or deletes each entry, writes its proposition and turns ``kind: candidate`` into
``forecast`` (or ``prescription`` / ``description``). Candidates are never scored, and
``forecastkit validate`` counts those left. The file is schema-checked before it is written, and
created atomically and never over an existing file (a temporary file hard-linked to its name:
the link fails when the name exists), so no lock file is left in the corpus; the CLI also holds
the editing wing's lock on the name (``write_candidates(lock=...)``) so that no other forecastkit
edit creates it meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import yaml

from forecastkit.errors import ExtractionError, ValidationFailed
from forecastkit.extraction.candidates import Extraction
from forecastkit.extraction.numbers import NumericReading
from forecastkit.records import lexicon
from forecastkit.records.paths import schema_for_editors
from forecastkit.records.schema import SCHEMA_FILES
from forecastkit.records.schema import check as check_schema
from forecastkit.records.yamlio import parse


def slug(text: str, max_words: int = 8) -> str:
    """``text`` as a registry key / id: lower-case ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words]) or "unknown"


def default_source_id(extraction: Extraction) -> str:
    """``<published>-<publisher>-<title words>``, as ``forecastkit add source`` names files."""
    src = extraction.source
    day = src.published.isoformat() if src.published else "undated"
    publisher = slug(src.site or src.author or "unknown", 3)
    title = slug(src.title or src.path.stem, 6)
    return f"{day}-{publisher}-{title}"


def claim_file_data(extraction: Extraction, source_id: str) -> dict[str, Any]:
    """The claim file (source and candidate entries) as plain data."""
    src = extraction.source
    if src.published is None:
        raise ExtractionError(
            "the article's publication date is not known",
            file=src.path,
            hint="give --published YYYY-MM-DD",
        )
    byline_name = src.author or src.site or "unknown"
    source: dict[str, Any] = {
        "id": source_id,
        "title": src.title or src.path.stem,
        "publisher": src.site or "unknown",
        "byline": [slug(byline_name)],
        "published": src.published,
        "published_estimated": False,
        "published_note": None,
        "url": src.url,
    }
    claims = []
    for n, c in enumerate(extraction.candidates, 1):
        hedge = c.hedge if c.hedge and lexicon.is_known_hedge(c.hedge) else None
        notes = (
            f"candidate (confidence {c.confidence:.2f}); claimant as written: "
            f"{c.claimant_name}; text[{c.start}:{c.end}]"
            + (f"; hedge as written: {c.hedge!r}" if c.hedge and not hedge else "")
            + "; reasons: "
            + "; ".join(c.reasons)
        )
        entry: dict[str, Any] = {
            "id": f"{source_id[:92].rstrip('-')}-c{n:03d}",
            "claimant": slug(c.claimant_name),
            "claimant_role": c.claimant_role,
            "kind": "candidate",
            "quote": c.quote,
            "hedge": hedge,
            "probability": c.probability if c.probability_stated else None,
            "made_on": src.published,
        }
        if c.resolve_by:
            entry["resolve_by"] = c.resolve_by
        basis = "stated" if c.deadline_rule.startswith("D0") else "inferred"
        entry["deadline"] = {"basis": basis, "phrase": c.deadline_phrase, "rule": c.deadline_rule}
        entry["condition"] = {"text": c.condition, "if_unmet": "annulled"} if c.condition else None
        entry["attribution"] = {
            "as_written": c.claimant_as_written,
            "how": c.attribution or None,
            "evidence": list(c.attribution_evidence),
        }
        if c.numbers:
            entry["numbers"] = [number_entry(r) for r in c.numbers]
        entry["notes"] = notes
        claims.append(entry)
    return {"source": source, "claims": claims}


def number_entry(reading: NumericReading) -> dict[str, Any]:
    """A numeric reading as written in a candidate entry: no offsets (the quote has them in
    ``notes``), and no empty or false fields, so the entry stays short to review."""
    out = reading.to_dict()
    del out["start"], out["end"]
    return {k: v for k, v in out.items() if v is not None and v is not False}


def render(data: dict[str, Any], folder: Path) -> str:
    """YAML text of a claim file, with the ``$schema`` line for editors."""
    rel = schema_for_editors(folder, SCHEMA_FILES["claim-file"])
    body = yaml.dump(
        _plain(data), Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100
    )
    return f"# yaml-language-server: $schema={rel}\n{body}"


def write_candidates(
    extraction: Extraction,
    corpus: str | Path,
    *,
    source_id: str | None = None,
    lock: Callable[[Path], AbstractContextManager[Any]] | None = None,
) -> Path:
    """Write ``<corpus>/<source-id>.yaml`` with the candidates; the path written.

    ``lock(path)`` is held while the file is created (the CLI passes
    :func:`forecastkit.editing.edit.locked`, which every forecastkit edit holds).

    Raises
    ------
    ExtractionError
        When the file exists (it is never overwritten) or the date is unknown.
    ValidationFailed
        When the new file would break the claim-file schema (nothing is written).
    """
    folder = Path(corpus)
    if not folder.is_dir():
        raise ExtractionError(
            "corpus folder not found",
            file=folder,
            hint="pass the folder that holds your claim files, e.g. claims/",
        )
    sid = source_id or default_source_id(extraction)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", sid):
        raise ExtractionError(
            f"'{sid}' is not a valid source id",
            field="source.id",
            hint="use lower-case letters, digits and hyphens",
        )
    file = folder / f"{sid}.yaml"
    text = render(claim_file_data(extraction, sid), folder)
    doc = parse(text, file)
    errors = check_schema(doc, "claim-file")
    if errors:
        raise ValidationFailed(errors)
    with lock(file) if lock is not None else contextlib.nullcontext():
        _create(file, text)
    return file


def _create(file: Path, text: str) -> None:
    """Write a new file atomically, never over an existing one (and leave nothing else)."""
    exists = ExtractionError(
        "the claim file already exists; nothing was written",
        file=file,
        hint="review it, or give another --source-id",
    )
    if file.exists():
        raise exists
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.link(tmp, file)  # atomic, and fails when the name exists
    except FileExistsError:
        raise exists from None
    except OSError as exc:
        raise ExtractionError(
            f"cannot write the file ({exc.strerror})",
            file=file,
            hint="check the folder's permissions and free space",
        ) from None
    finally:
        Path(tmp).unlink(missing_ok=True)


class _NoAliases(yaml.SafeDumper):
    """Claim files may not use YAML anchors or aliases: write repeated values out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value  # dates stay dates: written unquoted (2024-06-17), as in hand-written files
