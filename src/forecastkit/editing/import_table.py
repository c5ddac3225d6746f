"""The tabular claim file of a one-row-per-forecast export: every row checked, vectorised, with
the first bad row named by file, line and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.editing.export_columns import OUTCOME_WORDS
from forecastkit.errors import ClaimFileError


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


def claimant_keys(names: list[str], known: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
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
        verdict = words.map(OUTCOME_WORDS)
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
