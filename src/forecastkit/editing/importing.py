"""Import forecasts kept elsewhere (a forecasting platform's export) as a tabular claim file.

The input has one row per forecast: question text, forecaster, probability, when it was made,
the question's deadline and (when resolved) its outcome. Columns are found by common names
(:data:`DEFAULT_COLUMNS`, compared without case, spaces or underscores) or named with
``mapping={"forecaster": "user_name", ...}``. The result is ``claims/<name>.csv`` (or
``.parquet``): one claim per row, one source and one question per question of the export
(so a forecaster's repeated forecasts on it are that forecaster's updates), and every forecaster added to
``authors.yaml``, so that ``score`` and ``report`` use it like any other part of the corpus.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError, CorpusError, EditError, ParameterError

#: Input fields and the column names that are recognised for them, first match wins.
DEFAULT_COLUMNS: dict[str, list[str]] = {
    "question": [
        "question",
        "question_text",
        "question_title",
        "question_name",
        "title",
        "proposition",
    ],
    "forecaster": [
        "forecaster",
        "user",
        "username",
        "user_name",
        "author",
        "predictor",
        "membership_username",
        "claimant",
    ],
    "probability": [
        "probability",
        "forecast",
        "prediction",
        "prob",
        "p",
        "value",
        "answer_probability",
    ],
    "created": [
        "created",
        "created_at",
        "created_time",
        "forecast_date",
        "date",
        "timestamp",
        "time",
        "made_on",
        "submitted_at",
    ],
    "deadline": [
        "deadline",
        "close",
        "close_time",
        "closes",
        "close_date",
        "end_date",
        "scheduled_close_time",
        "scheduled_resolve_time",
        "resolve_by",
        "due",
    ],
    "outcome": ["outcome", "resolution", "resolved_value", "result", "answer", "verdict"],
    "resolved": [
        "resolved",
        "resolved_on",
        "resolved_at",
        "resolution_date",
        "resolution_time",
        "actual_resolve_time",
        "resolve_time",
    ],
    "question_id": ["question_id", "qid", "questionid", "question_number"],
    "url": ["url", "question_url", "link"],
}
REQUIRED_FIELDS = ("question", "forecaster", "probability", "created", "deadline")
_OUTCOMES = {"1": "true", "1.0": "true", "true": "true", "yes": "true", "y": "true",
             "0": "false", "0.0": "false", "false": "false", "no": "false", "n": "false",
             "": "", "open": "", "unresolved": "", "nan": "", "none": "",
             "ambiguous": "ambiguous", "annulled": "annulled", "annuled": "annulled",
             "cancelled": "annulled", "canceled": "annulled"}  # fmt: skip


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_forecasts` wrote."""

    file: Path
    claims: int
    sources: int
    forecasters: int
    authors_added: int
    resolved: int

    @property
    def message(self) -> str:
        return (
            f"imported {self.claims} forecasts on {self.sources} questions by "
            f"{self.forecasters} forecasters ({self.resolved} resolved) into {self.file}; "
            f"added {self.authors_added} authors to authors.yaml"
        )


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", str(name).lower())


def find_columns(columns: list[str], mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Input field → column of the file: ``mapping`` first, then :data:`DEFAULT_COLUMNS`.

    Raises
    ------
    ParameterError
        For a mapping to a column the file does not have, an unknown field, or a required
        field no column matches.
    """
    mapping = dict(mapping or {})
    found: dict[str, str] = {}
    for field, col in mapping.items():
        if field not in DEFAULT_COLUMNS:
            raise ParameterError(
                f"unknown field '{field}' in --map",
                field="map",
                hint=f"fields: {', '.join(DEFAULT_COLUMNS)}",
            )
        if col not in columns:
            raise ParameterError(
                f"no column '{col}' for {field}",
                field="map",
                hint=f"the file has: {', '.join(map(str, columns))}",
            )
        found[field] = col
    by_norm = {}
    for col in columns:
        by_norm.setdefault(_norm(col), col)
    used = set(found.values())
    for field, names in DEFAULT_COLUMNS.items():
        if field in found:
            continue
        for name in names:
            col = by_norm.get(_norm(name))
            if col is not None and col not in used:
                found[field] = col
                used.add(col)
                break
    missing = [f for f in REQUIRED_FIELDS if f not in found]
    if missing:
        raise ParameterError(
            f"no column for {', '.join(missing)}",
            field="map",
            hint=f"name it with --map {missing[0]}=COLUMN; the file has: "
            f"{', '.join(map(str, columns))}",
        )
    return found


def _line(i: int) -> int:
    return int(i) + 2


def _first_bad(
    mask: np.ndarray | pd.Series,
    path: Path,
    field: str,
    message: str,
    hint: str | None = None,
    values: pd.Series | None = None,
) -> None:
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        i = int(np.argmax(mask))
        text = message.format(value=values.iloc[i]) if values is not None else message
        raise ClaimFileError(text, file=path, line=_line(i), field=field, hint=hint)


def _dates(values: pd.Series, path: Path, column: str) -> pd.Series:
    """Dates or timestamps (ISO 8601, any time zone) → midnight timestamps of their UTC day."""
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dt.tz_convert("UTC") if values.dt.tz is not None else values
        return stamps.dt.normalize().dt.tz_localize(None)
    text = values.astype("string").str.strip().fillna("")
    stamps = pd.to_datetime(text.where(text != ""), format="ISO8601", errors="coerce", utc=True)
    _first_bad(
        stamps.isna() & (text != ""),
        path,
        column,
        "{value!r} is not a date",
        hint="dates must be ISO 8601 (2024-06-17 or 2024-06-17T12:00:00Z)",
        values=text,
    )
    return stamps.dt.tz_localize(None).dt.normalize()


def read_forecasts(file: Path, fmt: str | None = None) -> pd.DataFrame:
    """Read the export (CSV or Parquet, by ``fmt`` or the file's suffix)."""
    fmt = fmt or file.suffix.lower().lstrip(".")
    _check_source_file(file, fmt)
    try:
        if fmt == "csv":
            return pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        return pd.read_parquet(file)
    except UnicodeDecodeError as exc:
        raise ClaimFileError(
            f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})",
            file=file,
            hint="save the export as UTF-8 (CSV UTF-8 in a spreadsheet)",
        ) from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise ClaimFileError(
            f"cannot read the file ({str(exc).splitlines()[0]})",
            file=file,
            hint=f"is it really {fmt.upper()}? give --format csv or parquet",
        ) from None


def _check_source_file(file: Path, fmt: str) -> None:
    """The export exists, is a file, and its format is one we read: before anything else."""
    if file.is_dir():
        raise ClaimFileError(
            "is a folder, not a file", file=file, hint="give the exported CSV or Parquet file"
        )
    if not file.is_file():
        raise ClaimFileError("no such file", file=file, hint="check the path of the export")
    if fmt not in ("csv", "parquet", "pq"):
        raise ParameterError(
            f"unknown format '{fmt}'", field="format", hint="give --format csv or --format parquet"
        )


def _author_keys(names: list[str], known: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Forecaster name → author key; reuses an existing key with the same name."""
    from forecastkit.editing.edit import slugify
    from forecastkit.records.layout import RESERVED_KEYS

    by_name = {}
    for key, name in known.items():
        by_name.setdefault(name, key)
    taken = set(known) | set(RESERVED_KEYS)  # a key may not be a report page's name
    keys: dict[str, str] = {}
    new: dict[str, str] = {}
    for name in names:
        if name in by_name:
            keys[name] = by_name[name]
            continue
        base = slugify(name, 8) or "forecaster"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        keys[name] = new[name] = key
    return keys, new


def build_claim_table(
    raw: pd.DataFrame,
    columns: dict[str, str],
    *,
    name: str,
    publisher: str,
    author_keys: dict[str, str],
    source: Path,
    today: dt.date,
    percent: bool = False,
) -> pd.DataFrame:
    """The tabular claim file for an export (see :mod:`forecastkit.records.tabular` for the columns).

    One claim per row (id ``<name>-<row>``), one source per question (``<name>-q<n>``, or
    ``<name>-q-<question id>``), which is also the ``question`` of its rows (a question the file
    defines, see ``docs/claim-format.md``), ``resolved_on`` from the resolution-date column or
    else the deadline (today at the latest), and never before the question's last forecast: the
    outcome is the question's, one for all its rows.
    """
    n = len(raw)
    col = {f: raw[c] for f, c in columns.items()}
    text = {
        f: col[f].astype("string").fillna("").str.strip()
        for f in ("question", "forecaster", "outcome", "question_id", "url")
        if f in col
    }
    _first_bad(text["question"] == "", source, columns["question"], "missing question text")
    _first_bad(text["forecaster"] == "", source, columns["forecaster"], "missing forecaster")
    raw_p = col["probability"]
    p = pd.to_numeric(
        raw_p.astype("string").str.strip().str.rstrip("%").replace("", pd.NA), errors="coerce"
    ).astype("float64")
    if percent:
        p = p / 100.0
    _first_bad(
        p.isna(),
        source,
        columns["probability"],
        "{value!r} is not a probability",
        values=raw_p.astype("string"),
    )
    _first_bad(
        (p < 0) | (p > 1),
        source,
        columns["probability"],
        "{value!r} is outside [0, 1]",
        values=raw_p.astype("string"),
        hint="give --percent if the column holds percentages (70 for 0.7)",
    )
    created = _dates(col["created"], source, columns["created"])
    deadline = _dates(col["deadline"], source, columns["deadline"])
    _first_bad(created.isna(), source, columns["created"], "missing date")
    _first_bad(deadline.isna(), source, columns["deadline"], "missing deadline")
    _first_bad(
        deadline < created,
        source,
        columns["deadline"],
        "the deadline is before the forecast was made",
        hint="map the question's close or resolve date with --map deadline=COLUMN",
    )
    verdict = pd.Series([""] * n, index=raw.index, dtype=object)
    if "outcome" in text:
        words = text["outcome"].str.lower()
        verdict = words.map(_OUTCOMES)
        _first_bad(
            verdict.isna(),
            source,
            columns["outcome"],
            "{value!r} is not an outcome",
            values=text["outcome"],
            hint="use 1/0, yes/no or true/false, empty when open, ambiguous or annulled",
        )
    resolved = verdict != ""
    today_ts = pd.Timestamp(today)
    if "resolved" in col:
        resolved_on = _dates(col["resolved"], source, columns["resolved"])
        _first_bad(
            resolved & resolved_on.isna(),
            source,
            columns["resolved"],
            "a resolved forecast needs its resolution date",
        )
    else:
        resolved_on = deadline.where(deadline <= today_ts, today_ts)
    resolved_on = resolved_on.where(resolved_on >= created, created).where(resolved)

    qkey = text["question_id"] if "question_id" in text else text["question"]
    codes, uniques = pd.factorize(qkey)
    if "question_id" in text:
        from forecastkit.editing.edit import slugify

        labels = [slugify(str(u), 8) or f"{k + 1}" for k, u in enumerate(uniques)]
        labels = [f"q-{lab}" for lab in labels]
        if len(set(labels)) < len(labels):
            labels = [f"q{k + 1}" for k in range(len(uniques))]
    else:
        labels = [f"q{k + 1}" for k in range(len(uniques))]
    source_ids = np.asarray([f"{name}-{lab}" for lab in labels], dtype=object)[codes]
    resolved_on = resolved_on.groupby(codes).transform("max").where(resolved)
    first_made = created.groupby(codes).transform("min")
    iso = "%Y-%m-%d"
    width = max(6, len(str(n)))
    table = pd.DataFrame(
        {
            "id": [f"{name}-{i:0{width}d}" for i in range(1, n + 1)],
            "question": source_ids,
            "source_id": source_ids,
            "claimant": text["forecaster"].map(author_keys).to_numpy(),
            "claimant_role": "other",
            "kind": "forecast",
            "quote": text["question"].to_numpy(),
            "proposition": text["question"].to_numpy(),
            "probability": p.to_numpy(),
            "made_on": created.dt.strftime(iso).to_numpy(),
            "resolve_by": deadline.dt.strftime(iso).to_numpy(),
            "deadline_basis": "stated",
            "tags": name,
            "source_title": text["question"].to_numpy(),
            "publisher": publisher,
            "published": first_made.dt.strftime(iso).to_numpy(),
            "url": text["url"].to_numpy() if "url" in text else "",
            "verdict": verdict.to_numpy(),
            "resolved_on": resolved_on.dt.strftime(iso).fillna("").to_numpy(),
            "recorded_by": np.where(resolved, "forecastkit import", ""),
            "recorded_on": np.where(resolved, today.isoformat(), ""),
            "note": np.where(resolved, f"imported from {source.name}", ""),
            # the export's own resolution is the evidence: who resolved it, where, when
            "evidence_url": np.where(resolved, text["url"].to_numpy() if "url" in text else "", ""),
            "evidence_title": np.where(resolved, f"{publisher}: resolution in {source.name}", ""),
            "evidence_publisher": np.where(resolved, publisher, ""),
            "evidence_published": resolved_on.dt.strftime(iso).fillna("").to_numpy(),
            "evidence_quote": "",
            "evidence_kind": np.where(resolved, "tracker", ""),
        }
    )
    if "url" in text:  # one url per source: the first row's
        table["url"] = table.groupby("source_id")["url"].transform("first")
    return table


def write_import(
    corpus: Any, table: pd.DataFrame, target: Path, authors: dict[str, Any], root: Path
) -> None:
    """The last step of every import: refuse ids the corpus has, add the new authors, then write
    the claim table under a lock, never over an existing file.

    Authors go first: an author nobody cites is harmless, a claim with an unknown author is not.
    """
    from forecastkit.editing.authors import add_authors
    from forecastkit.editing.edit import locked
    from forecastkit.records.tabular import write_claim_table

    taken = set(corpus.claims["claim_id"]) & set(table["id"])
    if taken:
        raise CorpusError(
            f"claim id '{sorted(taken)[0]}' is already in the corpus",
            field="name",
            hint="give another --name",
        )
    taken_sources = set(corpus.sources["source_id"]) & set(table["source_id"])
    if taken_sources:
        raise CorpusError(
            f"source id '{sorted(taken_sources)[0]}' is already in the corpus",
            field="name",
            hint="give another --name",
        )
    if authors:
        add_authors(authors, root)
    with locked(target):
        if target.exists():
            raise EditError(
                "a claim file with this name exists",
                file=target,
                hint="imports never overwrite: give another --name",
            )
        write_claim_table(table, target)


def import_forecasts(
    file: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    name: str | None = None,
    mapping: dict[str, str] | None = None,
    publisher: str | None = None,
    output_format: str | None = None,
    percent: bool = False,
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import a forecasting platform's export into the corpus as a tabular claim file.

    Parameters
    ----------
    file:
        The export: CSV or Parquet, one row per forecast.
    fmt:
        ``csv`` or ``parquet`` (default: from the suffix).
    name:
        Name of the claim file and prefix of ids (default: the file's name), ``[a-z0-9-]``.
    mapping:
        Field → column overrides (fields: :data:`DEFAULT_COLUMNS`).
    publisher:
        Publisher of the questions (default: ``name``).
    output_format:
        ``csv`` or ``parquet`` (default: as the input).
    percent:
        The probability column holds percentages.
    path:
        The corpus folder (default: the project's ``claims/``).

    Raises
    ------
    ForecastkitError
        For an unreadable file, a missing column, a bad row (with its line), a name that is
        taken or an id that already exists in the corpus; nothing is written then.
    """
    from forecastkit.editing.authors import author_entry
    from forecastkit.editing.edit import _ID, slugify
    from forecastkit.records.paths import resolve_corpus_path
    from forecastkit.records.tabular import claims_from_frame

    src = Path(file)
    root = resolve_corpus_path(path)
    today = today or dt.date.today()
    fmt = (fmt or src.suffix.lstrip(".")).lower()
    _check_source_file(src, fmt)
    fmt = "parquet" if fmt == "pq" else fmt
    output_format = (output_format or fmt).lower()
    if output_format not in ("csv", "parquet"):
        raise ParameterError(
            f"unknown output format '{output_format}'", field="to", hint="use csv or parquet"
        )
    name = name or slugify(src.stem, 8)
    if not _ID.match(name or ""):
        raise ParameterError(
            f"'{name}' is not a valid name",
            field="name",
            hint="use lower-case letters, digits and hyphens",
        )
    target = root / f"{name}.{output_format}"
    others = [root / f"{name}.{s}" for s in ("csv", "parquet") if (root / f"{name}.{s}").exists()]
    if others:
        raise EditError(
            "a claim file with this name exists",
            file=others[0],
            hint="imports never overwrite: give another --name",
        )

    raw = read_forecasts(src, fmt)
    if raw.empty:
        raise ClaimFileError("the file has no rows", file=src)
    columns = find_columns([str(c) for c in raw.columns], mapping)

    from forecastkit.records.corpus import check

    corpus, errors = check(root, today=today)
    if corpus is None:
        from forecastkit.errors import ValidationFailed

        raise ValidationFailed(errors)
    known = dict(zip(corpus.authors["claimant"], corpus.authors["name"], strict=True))
    names = raw[columns["forecaster"]].astype("string").fillna("").str.strip()
    keys, new = _author_keys(list(dict.fromkeys(n for n in names if n)), known)
    table = build_claim_table(
        raw,
        columns,
        name=name,
        publisher=publisher or name,
        author_keys=keys,
        source=src,
        today=today,
        percent=percent,
    )
    _sources, claims, outcomes = claims_from_frame(table, target)
    affiliation = publisher or name
    entries: dict[str, Any] = {
        key: author_entry(n, "person", affiliation) for n, key in new.items()
    }
    write_import(corpus, table, target, entries, root)
    return ImportResult(
        file=target,
        claims=len(claims),
        sources=len(_sources),
        forecasters=len(keys),
        authors_added=len(entries),
        resolved=len(outcomes),
    )
