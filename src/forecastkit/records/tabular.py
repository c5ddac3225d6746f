"""Tabular claim files (``claims/*.csv``, ``claims/*.parquet``): one row per claim.

For corpora of tens of thousands of forecasts (imports from forecasting platforms) a table is
better than thousands of YAML entries. The columns are the YAML fields (``docs/editing.md``):

- claim: ``id, question`` (a shared question's id; empty: the claim is its own),
  ``source_id, claimant, claimant_role, kind, quote, proposition, criteria, hedge, probability,
  made_on, resolve_by, deadline_basis, deadline_phrase, deadline_rule, condition,
  condition_if_unmet, tags`` (separated by ``;``), ``notes``;
- source (repeated on each row of the source): ``source_title, publisher, published, byline``
  (authors-registry keys separated by ``;``), ``url``;
- outcome (optional): ``verdict, resolved_on, recorded_by, recorded_on, note`` and one piece of
  evidence ``evidence_url, evidence_title, evidence_publisher, evidence_published,
  evidence_quote, evidence_kind`` (``tracker`` for a platform's own resolution: no quote).

Every row is checked (vectorised, so 60,000 rows take well under a second) and errors name the
file, the line (row number + 1 for the header, also for Parquet) and the column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError, ForecastkitError, ValidationFailed
from forecastkit.records.dates import DATE_DTYPE
from forecastkit.records.layout import ID_PATTERN
from forecastkit.records.tabular_forms import (
    ANSWER_FIELDS,
    FORM_FIELDS,
    QUESTION_FIELDS,
    question_definitions,
    table_forms,
)

CLAIM_FIELDS = [
    "id", "question", "source_id", "claimant", "claimant_role", "kind", "quote", "proposition", "criteria",
    "hedge", "probability", "made_on", "resolve_by", "deadline_basis", "deadline_phrase",
    "deadline_rule", "condition", "condition_if_unmet", "tags", "notes",
]  # fmt: skip
SOURCE_FIELDS = ["source_title", "publisher", "published", "byline", "url"]
OUTCOME_FIELDS = [
    "verdict", *ANSWER_FIELDS, "resolved_on", "recorded_by", "recorded_on", "note", "evidence_url",
    "evidence_title", "evidence_publisher", "evidence_published", "evidence_quote",
    "evidence_kind",
]  # fmt: skip
#: Every column a tabular claim file may have, in the order forecastkit writes them.
TABLE_COLUMNS = CLAIM_FIELDS + FORM_FIELDS + QUESTION_FIELDS + SOURCE_FIELDS + OUTCOME_FIELDS
REQUIRED_COLUMNS = ["id", "source_id", "claimant", "quote", "proposition"]
DATE_COLUMNS = ["made_on", "resolve_by", "published", "resolved_on", "recorded_on",
                "evidence_published"]  # fmt: skip

_ROLES = ("byline author", "quoted expert", "quoted official", "anonymous source",
          "organisation", "other")  # fmt: skip
_KINDS = ("forecast", "prescription", "description")
_VERDICTS = ("true", "false", "ambiguous", "annulled")
#: Kinds of evidence (the outcomes schema's enum): docs/conventions.md.
EVIDENCE_KINDS = ("primary", "news", "reference", "aggregator", "tracker")
_ID = ID_PATTERN.pattern  # bounded: ids become file names
_ISO = r"^\d{4}-\d{2}-\d{2}$"
#: Stop collecting after this many errors in one file: the first ones say what is wrong.
MAX_ERRORS = 20


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or Parquet file as text columns (``""`` for empty), ``probability`` as given."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(
                path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
            )
        if suffix in (".parquet", ".pq"):
            return _as_text(pd.read_parquet(path))
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ClaimFileError(
            f"cannot read the table ({str(exc).splitlines()[0]})", file=path
        ) from None
    raise ClaimFileError(
        f"unsupported file type '{suffix}'",
        file=path,
        hint="tabular claim files end in .csv or .parquet",
    )


def _as_text(table: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for col in table.columns:
        s = table[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[str(col)] = s.dt.strftime("%Y-%m-%d").fillna("")
        elif s.dtype == object and str(col) in _JSON_COLUMNS:  # Parquet keeps lists and maps
            out[str(col)] = s.map(_json_text)
        elif s.dtype == object:
            out[str(col)] = s.map(_cell_text)
        else:
            out[str(col)] = s.astype("string").fillna("").astype(str)
    return pd.DataFrame(out, index=table.index)


#: Columns whose cells are JSON (a Parquet file may hold them as lists and mappings).
_JSON_COLUMNS = ("probabilities", "quantiles", "cdf", "options")


def _json_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, dict):
        value = {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in value.items()}
    return json.dumps(value)


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Errors:
    """Located errors for one table, at most :data:`MAX_ERRORS`."""

    def __init__(self, shown: Path) -> None:
        self.shown = shown
        self.found: list[ForecastkitError] = []

    def at_rows(
        self,
        mask: pd.Series | np.ndarray,
        field: str,
        message: Any,
        hint: str | None = None,
        values: pd.Series | None = None,
    ) -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        for i in rows[: max(0, MAX_ERRORS - len(self.found))]:
            text = message(values.iloc[i]) if callable(message) else message
            self.found.append(
                ClaimFileError(text, file=self.shown, line=int(i) + 2, field=field, hint=hint)
            )

    def at(self, row: int, field: str, message: str, hint: str | None = None) -> None:
        """One error at a row (its position in the table)."""
        if len(self.found) < MAX_ERRORS:
            self.found.append(
                ClaimFileError(message, file=self.shown, line=row + 2, field=field, hint=hint)
            )

    def raise_if_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise ValidationFailed(self.found)


def _dates(table: pd.DataFrame, col: str, errors: _Errors) -> pd.Series:
    """The column as ``datetime64`` (NaT when empty); bad dates are errors."""
    text = table[col].str.strip()
    parsed = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    parsed = parsed.astype(DATE_DTYPE)  # years 1-9999, never nanoseconds (2262)
    bad = (text != "") & (parsed.isna() | ~text.str.match(_ISO))
    errors.at_rows(
        bad,
        col,
        lambda v: f"{v!r} is not a real calendar date",
        values=table[col],
        hint="write dates as YYYY-MM-DD, e.g. 2024-06-17",
    )
    return parsed


def _to_dates(values: pd.Series) -> list[dt.date | None]:
    days = values.to_numpy(dtype="datetime64[D]")  # NaT stays NaT
    return [None if d is None else d for d in days.astype(object).tolist()]


def _none_if_empty(values: list[str]) -> list[str | None]:
    return [v if v != "" else None for v in values]


def claims_from_frame(
    table: pd.DataFrame, shown: Path
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """:func:`records_from_frame` as (sources, claims, outcomes)."""
    read = records_from_frame(table, shown)
    return read.sources, read.claims, read.outcomes


def records_from_frame(  # noqa: C901 - one check per field, in column order
    table: pd.DataFrame, shown: Path
) -> TableRecords:
    """Check a table of claims (text columns) and build the loader's source, claim and
    outcome records (the keys of the YAML branch of :func:`forecastkit.records.corpus.load`).

    Raises
    ------
    ClaimFileError, ValidationFailed
        With the file, line and column of each bad row (at most :data:`MAX_ERRORS`).
    """
    from forecastkit.records import lexicon

    errors = _Errors(shown)
    unknown = [c for c in table.columns if c not in TABLE_COLUMNS]
    for c in unknown:
        near = difflib.get_close_matches(str(c), TABLE_COLUMNS, n=1, cutoff=0.6)
        errors.found.append(
            ClaimFileError(
                "unknown column",
                file=shown,
                line=1,
                field=str(c),
                hint=f"did you mean '{near[0]}'?"
                if near
                else "see docs/editing.md for the columns",
            )
        )
    for c in REQUIRED_COLUMNS:
        if c not in table.columns:
            errors.found.append(
                ClaimFileError(
                    f"missing column '{c}'",
                    file=shown,
                    line=1,
                    field=c,
                    hint="see docs/editing.md for the columns",
                )
            )
    if "made_on" not in table.columns and "published" not in table.columns:
        errors.found.append(
            ClaimFileError(
                "missing column 'made_on' (or 'published')", file=shown, line=1, field="made_on"
            )
        )
    errors.raise_if_any()
    n = len(table)
    t = table.reindex(columns=TABLE_COLUMNS, fill_value="")
    for col in TABLE_COLUMNS:
        t[col] = t[col].astype(str)
        if col not in ("quote", "proposition", "criteria", "notes", "note", "evidence_quote"):
            t[col] = t[col].str.strip()

    errors.at_rows(
        (t["question"] != "") & ~t["question"].str.match(_ID),
        "question",
        lambda v: f"{v!r} has characters that are not allowed here",
        values=t["question"],
        hint="use lower-case letters, digits and hyphens",
    )
    for col in ("id", "source_id", "claimant"):
        errors.at_rows(t[col] == "", col, f"missing {col}")
        errors.at_rows(
            (t[col] != "") & ~t[col].str.match(_ID),
            col,
            lambda v: f"{v!r} has characters that are not allowed here",
            values=t[col],
            hint="use lower-case letters, digits and hyphens, e.g. park-min-hee",
        )
    errors.at_rows(
        t["id"].duplicated() & (t["id"] != ""),
        "id",
        lambda v: f"duplicate claim id '{v}'",
        values=t["id"],
        hint="ids must be unique across the corpus",
    )
    for col in ("quote", "proposition"):
        errors.at_rows(t[col].str.strip() == "", col, f"missing {col}")
    role = t["claimant_role"].where(t["claimant_role"] != "", "other")
    errors.at_rows(
        ~role.isin(_ROLES),
        "claimant_role",
        lambda v: f"{v!r} is not a claimant role",
        values=role,
        hint=f"use one of: {', '.join(_ROLES)}",
    )
    kind = t["kind"].where(t["kind"] != "", "forecast")
    errors.at_rows(
        ~kind.isin(_KINDS),
        "kind",
        lambda v: f"{v!r} is not a kind",
        values=kind,
        hint=f"use one of: {', '.join(_KINDS)}",
    )

    prob = pd.to_numeric(t["probability"].where(t["probability"] != ""), errors="coerce")
    errors.at_rows(
        prob.isna() & (t["probability"] != ""),
        "probability",
        lambda v: f"{v!r} is not a number",
        values=t["probability"],
        hint="write a probability as a number between 0 and 1, e.g. 0.7 (not 70%)",
    )
    errors.at_rows(
        (prob < 0) | (prob > 1),
        "probability",
        lambda v: f"{v} is outside the allowed range [0, 1]",
        values=t["probability"],
        hint="write a probability as a number between 0 and 1, e.g. 0.7 (not 70%)",
    )
    hedges = t["hedge"]
    unknown_hedges = {h for h in hedges.unique() if h and not lexicon.is_known_hedge(h)}
    if unknown_hedges:
        errors.at_rows(
            hedges.isin(unknown_hedges),
            "hedge",
            lambda v: f"unknown hedge '{v}'",
            values=hedges,
            hint="`forecastkit lexicon --house` lists every known hedge",
        )

    dates = {col: _dates(t, col, errors) for col in DATE_COLUMNS}
    made_on = dates["made_on"].fillna(dates["published"])
    errors.at_rows(made_on.isna(), "made_on", "missing made_on (and no published date)")
    forecast = kind == "forecast"
    # "no deadline" (a tracker question open until resolved) is deadline_basis "none"
    no_deadline = t["deadline_basis"] == "none"
    errors.at_rows(
        forecast & dates["resolve_by"].isna() & (t["resolve_by"] == "") & ~no_deadline,
        "resolve_by",
        "a forecast needs resolve_by",
        hint="give the deadline, or deadline_basis none for a question with none",
    )
    errors.at_rows(
        no_deadline & (t["resolve_by"] != ""),
        "resolve_by",
        "deadline_basis none means no resolve_by; empty one of them",
    )
    form, points = table_forms(t, str(shown), errors.at)
    errors.at_rows(
        forecast & (hedges == "") & (t["probability"] == "") & (form == "probability"),
        "hedge",
        "a forecast needs a hedge (as written) or a stated probability",
        hint="or a forecast of another form (docs/question-types.md)",
    )
    errors.at_rows(
        dates["resolve_by"] < made_on,
        "resolve_by",
        lambda v: f"resolve_by {v} is before made_on",
        values=t["resolve_by"],
        hint="a deadline comes after the forecast is made; check both dates",
    )
    basis = t["deadline_basis"]
    errors.at_rows(
        ~basis.isin(["", "stated", "inferred", "none"]),
        "deadline_basis",
        lambda v: f"{v!r} is not one of: stated, inferred, none",
        values=basis,
    )
    errors.at_rows(
        (basis == "") & ((t["deadline_phrase"] != "") | (t["deadline_rule"] != "")),
        "deadline_basis",
        "a deadline phrase or rule needs deadline_basis",
    )
    errors.at_rows(
        (basis == "inferred") & (t["deadline_rule"] == ""),
        "deadline_rule",
        "an inferred deadline needs its rule",
        hint="see docs/conventions.md",
    )
    unmet = t["condition_if_unmet"]
    errors.at_rows(
        (t["condition"] != "") & ~unmet.isin(["annulled", "true", "false"]),
        "condition_if_unmet",
        "a condition needs condition_if_unmet",
        hint="annulled (the house convention), true or false",
    )

    verdict = t["verdict"].str.lower()
    errors.at_rows(
        ~verdict.isin(["", *_VERDICTS]),
        "verdict",
        lambda v: f"{v!r} is not one of: {', '.join(_VERDICTS)}",
        values=t["verdict"],
    )
    answered = (t["option"] != "") | (t["value"] != "")
    errors.at_rows(
        (verdict != "") & answered,
        "option" if (t["option"] != "").any() else "value",
        "give one of verdict, option or value, not both",
    )
    errors.at_rows((t["option"] != "") & (t["value"] != ""), "value", "give option or value")
    resolved = (verdict != "") | answered
    verdict = verdict.where(~answered | (verdict != ""), "resolved")
    errors.at_rows(resolved & (kind != "forecast"), "verdict", "only forecasts are resolved")
    errors.at_rows(
        resolved & dates["resolved_on"].isna() & (t["resolved_on"] == ""),
        "resolved_on",
        "a verdict needs resolved_on",
        hint="the date the outcome became determinate",
    )
    errors.at_rows(
        ~resolved & ((t["resolved_on"] != "") | (t["evidence_url"] != "")),
        "verdict",
        "resolved_on or evidence without a verdict",
    )
    errors.at_rows(
        dates["resolved_on"] < made_on,
        "resolved_on",
        lambda v: f"resolved_on {v} is before the claim was made",
        values=t["resolved_on"],
    )
    errors.at_rows(
        dates["recorded_on"] < dates["resolved_on"],
        "recorded_on",
        lambda v: f"recorded_on {v} is before resolved_on",
        values=t["recorded_on"],
    )
    ev_cols = [
        "evidence_url",
        "evidence_title",
        "evidence_publisher",
        "evidence_published",
        "evidence_quote",
    ]
    # A tracker's own resolution (an import) has no quote a person read: the platform, the
    # question's address when it has one, and the date are the evidence (docs/claim-format.md).
    tracker = t["evidence_kind"] == "tracker"
    has_ev = (t["evidence_url"] != "") | tracker
    for col in ev_cols:
        need = has_ev & ~tracker if col in ("evidence_url", "evidence_quote") else has_ev
        errors.at_rows(need & (t[col] == ""), col, f"evidence needs {col.split('_', 1)[1]}")
    errors.at_rows(
        ~t["evidence_kind"].isin(["", *EVIDENCE_KINDS]),
        "evidence_kind",
        lambda v: f"{v!r} is not one of: {', '.join(EVIDENCE_KINDS)}",
        values=t["evidence_kind"],
    )
    errors.at_rows(
        verdict.isin(["ambiguous", "annulled"]) & (t["note"].str.strip() == ""),
        "note",
        "an ambiguous or annulled verdict needs a note saying why",
    )

    src_cols = ["source_id", "source_title", "publisher", "published", "byline", "url"]
    firsts = t[src_cols].drop_duplicates("source_id")
    clash = ~t[src_cols].merge(firsts, on="source_id", how="left", suffixes=("", "_first")).pipe(
        lambda m: np.logical_and.reduce([m[c] == m[f"{c}_first"] for c in src_cols[1:]])
    )
    errors.at_rows(
        clash,
        "source_id",
        lambda v: (
            f"source '{v}' has other title, publisher, date, byline or url than on its first row"
        ),
        values=t["source_id"],
        hint="source columns repeat the same values on every row of a source",
    )
    qdefs = question_definitions(t, str(shown), errors.found, set(table.columns))
    errors.raise_if_any()

    read = TableRecords(*_records(t, n, shown, kind, role, prob, dates, made_on, verdict, has_ev))
    read.points = points
    _add_forms(read, t, form, qdefs)
    return read


def _add_forms(read: TableRecords, t: pd.DataFrame, form: np.ndarray, qdefs: dict) -> None:
    """Each claim's form (and where it is written), each defining row's question type, and
    each outcome's option or value."""
    columns = {f: "interval_level" if f == "interval" else f for f in set(form.tolist())}
    columns["probability"] = "probability"
    for i, c in enumerate(read.claims):
        c["form"] = form[i]
        c["_form_at"] = (c["line"], columns[form[i]])
    for i, qdef in qdefs.items():
        read.claims[i]["_qdef"] = qdef
    if not read.outcomes:
        return
    option, value = t["option"].tolist(), t["value"].tolist()
    for o in read.outcomes:
        i = o["line"] - 2
        o["option"] = option[i] or None
        o["value"] = value[i] or None


def _records(t, n, shown, kind, role, prob, dates, made_on, verdict, has_ev):
    # Column lists, not row access: t.iloc[i] costs ~0.5 ms a row, far too much for 60k rows.
    file = str(shown)
    lines = (np.arange(n) + 2).tolist()
    col = {c: t[c].tolist() for c in TABLE_COLUMNS}
    source_published = _to_dates(dates["published"].fillna(made_on))
    sources = []
    src_of: dict[str, dict[str, Any]] = {}
    for i in np.flatnonzero((~t["source_id"].duplicated()).to_numpy()).tolist():
        byline = "; ".join(b.strip() for b in col["byline"][i].split(";") if b.strip())
        sid = col["source_id"][i]
        src_of[sid] = {
            "source_id": sid,
            "title": col["source_title"][i] or sid,
            "publisher": col["publisher"][i] or None,
            "byline": byline or None,
            "published": source_published[i],
            "published_estimated": False,
            "published_note": None,
            "url": col["url"][i] or None,
            "file": file,
        }
        sources.append(src_of[sid])
    none = _none_if_empty
    tags = [tuple(x.strip() for x in v.split(";") if x.strip()) if v else () for v in col["tags"]]
    per_source = [src_of[s] for s in col["source_id"]]
    columns = {
        "claim_id": col["id"],
        "question": none(col["question"]),
        "source_id": col["source_id"],
        "file": [file] * n,
        "line": lines,
        "claimant": col["claimant"],
        "claimant_name": [None] * n,
        "claimant_role": role.tolist(),
        "kind": kind.tolist(),
        "quote": col["quote"],
        "proposition": col["proposition"],
        "criteria": none(col["criteria"]),
        "hedge": none(col["hedge"]),
        "probability_stated": [None if np.isnan(p) else p for p in prob.to_numpy().tolist()],
        "made_on": _to_dates(made_on),
        "resolve_by": _to_dates(dates["resolve_by"]),
        "deadline_basis": none(col["deadline_basis"]),
        "deadline_phrase": none(col["deadline_phrase"]),
        "deadline_rule": none(col["deadline_rule"]),
        "condition": none(col["condition"]),
        "condition_if_unmet": none(col["condition_if_unmet"]),
        "tags": tags,
        "notes": none(col["notes"]),
        "source_title": [s["title"] for s in per_source],
        "publisher": [s["publisher"] for s in per_source],
        "published": [s["published"] for s in per_source],
        "byline": [s["byline"] for s in per_source],
    }
    keys = list(columns)
    claims = [
        dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]

    outcomes = []
    resolved_on = _to_dates(dates["resolved_on"])
    recorded_on = _to_dates(dates["recorded_on"])
    verdicts = verdict.tolist()
    evidence_rows = has_ev.tolist()
    for i in np.flatnonzero((verdict != "").to_numpy()).tolist():
        evidence = []
        if evidence_rows[i]:
            evidence = [
                {
                    "url": col["evidence_url"][i] or None,
                    "title": col["evidence_title"][i],
                    "publisher": col["evidence_publisher"][i],
                    "published": col["evidence_published"][i],
                    "quote": col["evidence_quote"][i] or None,
                    "kind": col["evidence_kind"][i] or None,
                }
            ]
        outcomes.append(
            {
                "claim_id": col["id"][i],
                "verdict": verdicts[i],
                "resolved_on": resolved_on[i],
                "recorded_by": col["recorded_by"][i] or None,
                "recorded_on": recorded_on[i],
                "note": col["note"][i] or None,
                "evidence_count": len(evidence),
                "file": file,
                "line": lines[i],
                "_evidence": evidence,
            }
        )
    return sources, claims, outcomes


@dataclass
class TableRecords:
    """What one tabular claim file holds, as the loader's records (:func:`read_claim_table`),
    and the raw points of its non-binary forecasts (``records/forms.py``; None: none)."""

    sources: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    points: pd.DataFrame | None = None


def read_claim_table_records(path: Path, shown: Path | None = None) -> TableRecords:
    """:func:`read_claim_table` with the raw points of the file's non-binary forecasts."""
    shown = shown or path
    try:
        table = read_table(path)
    except ClaimFileError as exc:
        exc.file = str(shown)
        raise
    return records_from_frame(table, shown)


def read_claim_table(
    path: Path, shown: Path | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Read and check one tabular claim file for :func:`forecastkit.records.corpus.load`.

    Returns the source, claim and outcome records, with the keys the loader builds from YAML
    files (outcome evidence under ``_evidence``). ``shown`` is the path used in errors.

    Raises
    ------
    ClaimFileError, ValidationFailed
        For an unreadable file, unknown or missing columns, or bad rows (with their lines).
    """
    shown = shown or path
    try:
        table = read_table(path)
    except ClaimFileError as exc:
        exc.file = str(shown)
        raise
    return claims_from_frame(table, shown)


def write_claim_table(table: pd.DataFrame, path: Path) -> None:
    """Write a claim table as CSV or Parquet (by suffix), atomically; columns in house order."""
    from forecastkit.records.atomic import write_bytes_atomic

    cols = [c for c in TABLE_COLUMNS if c in table.columns]
    out = table[cols]
    buffer = io.BytesIO()
    if path.suffix.lower() == ".csv":
        buffer.write(out.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    else:
        out.to_parquet(buffer, index=False)
    write_bytes_atomic(path, buffer.getvalue())
