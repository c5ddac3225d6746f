"""The checks of a tabular claim file (``claims/*.csv``, ``claims/*.parquet``): one row per claim.

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

Every rule is a mask over whole columns (vectorised, so 60,000 rows take well under a second);
only the rows a mask flags become errors, which name the file, the line (row number + 1 for the
header, also for Parquet) and the column.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
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


def by_value(text: pd.Series, read: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``read(text)`` computed once per distinct value of ``text`` (62,500 rows hold a few
    thousand days, claimants, probabilities): ``read`` must treat each value on its own."""
    codes, values = pd.factorize(text)
    out = read(pd.Series(values, dtype=text.dtype))
    return pd.Series(out.to_numpy()[codes], index=text.index, name=text.name)


def _id_mismatch(text: pd.Series) -> pd.Series:
    """Non-empty cells that are not an id (:data:`_ID`), checked once per distinct value."""
    return by_value(text, lambda v: (v != "") & ~v.str.match(_ID))


def _dates(table: pd.DataFrame, col: str, errors: _Errors) -> pd.Series:
    """The column (stripped text) as ``datetime64`` (NaT when empty); bad dates are errors."""
    codes, days = pd.factorize(table[col])  # each distinct text parsed once
    text = pd.Series(days, dtype=str)
    parsed = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    parsed = parsed.astype(DATE_DTYPE)  # years 1-9999, never nanoseconds (2262)
    bad = ((text != "") & (parsed.isna() | ~text.str.match(_ISO))).to_numpy()[codes]
    parsed = pd.Series(parsed.to_numpy()[codes], index=table.index, name=col)
    errors.at_rows(
        bad,
        col,
        lambda v: f"{v!r} is not a real calendar date",
        values=table[col],
        hint="write dates as YYYY-MM-DD, e.g. 2024-06-17",
    )
    return parsed


#: The columns kept as written; every other is stripped of surrounding whitespace.
_UNSTRIPPED = ("quote", "proposition", "criteria", "notes", "note", "evidence_quote")


def _text_columns(table: pd.DataFrame) -> pd.DataFrame:
    """Every column of :data:`TABLE_COLUMNS` as text (``""`` for a column the file lacks), the
    stripped ones stripped. A column with nothing to strip keeps the file's text: no copy of a
    41 MB table's text for the few cells a spreadsheet padded."""
    columns: dict[str, pd.Series] = {}
    blank = None
    for col in TABLE_COLUMNS:
        if col not in table.columns:
            if blank is None:
                blank = pd.Series([""] * len(table), index=table.index, dtype=str)
            columns[col] = blank
            continue
        text = table[col].astype(str)
        if col not in _UNSTRIPPED:
            stripped = text.str.strip()
            text = text if text.equals(stripped) else stripped
        columns[col] = text
    return pd.DataFrame(columns, index=table.index, copy=False)


@dataclass
class CheckedTable:
    """A table that passed :func:`check_table`: its text columns (stripped, every column of
    :data:`TABLE_COLUMNS`) and what the checks parsed on the way, per row."""

    t: pd.DataFrame
    kind: pd.Series
    role: pd.Series
    probability: pd.Series
    dates: dict[str, pd.Series]
    made_on: pd.Series
    verdict: pd.Series
    has_evidence: pd.Series
    form: np.ndarray
    #: The raw points of the non-binary forecasts (records/forms.py; None: none).
    points: pd.DataFrame | None
    #: The type fields of each question a row defines, by row position.
    qdefs: dict[int, dict[str, Any]]


def check_table(  # noqa: C901 - one check per field, in column order
    table: pd.DataFrame, shown: Path
) -> CheckedTable:
    """Check a table of claims (text columns), every rule a vectorised mask over the rows; only
    the rows a mask flags become errors, each with the file, line and column.

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
    t = _text_columns(table)

    errors.at_rows(
        _id_mismatch(t["question"]),
        "question",
        lambda v: f"{v!r} has characters that are not allowed here",
        values=t["question"],
        hint="use lower-case letters, digits and hyphens",
    )
    for col in ("id", "source_id", "claimant"):
        errors.at_rows(t[col] == "", col, f"missing {col}")
        errors.at_rows(
            _id_mismatch(t[col]) if col != "id" else (t[col] != "") & ~t[col].str.match(_ID),
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

    prob = by_value(t["probability"], lambda v: pd.to_numeric(v.where(v != ""), errors="coerce"))
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

    # each row's source columns against its source's first row, as codes of distinct values
    source, _ = pd.factorize(t["source_id"])
    first = np.flatnonzero(~t["source_id"].duplicated().to_numpy())[source]
    clash = np.zeros(len(t), dtype=bool)
    for col in ["source_title", "publisher", "published", "byline", "url"]:
        codes, _ = pd.factorize(t[col])
        clash |= codes != codes[first]
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

    return CheckedTable(t, kind, role, prob, dates, made_on, verdict, has_ev, form, points, qdefs)
