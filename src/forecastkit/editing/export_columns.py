"""Find the columns of a one-row-per-forecast export and read it (``forecastkit import`` without
``--from``): the field names recognised, ``--map`` overrides, and the file checks made before
anything else."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from forecastkit.errors import ClaimFileError, ParameterError

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
#: What the outcome column of an export may say, lower-cased -> verdict ("": open).
OUTCOME_WORDS = {"1": "true", "1.0": "true", "true": "true", "yes": "true", "y": "true",
                 "0": "false", "0.0": "false", "false": "false", "no": "false", "n": "false",
                 "": "", "open": "", "unresolved": "", "nan": "", "none": "",
                 "ambiguous": "ambiguous", "annulled": "annulled", "annuled": "annulled",
                 "cancelled": "annulled", "canceled": "annulled"}  # fmt: skip


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


def read_forecasts(file: Path, fmt: str | None = None) -> pd.DataFrame:
    """Read the export (CSV or Parquet, by ``fmt`` or the file's suffix)."""
    fmt = fmt or file.suffix.lower().lstrip(".")
    check_source_file(file, fmt)
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
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, pd.errors.ParserError) as exc:
        raise ClaimFileError(
            f"cannot read the file ({(str(exc) or type(exc).__name__).splitlines()[0]})",
            file=file,
            hint=f"is it really {fmt.upper()}? give --format csv or parquet",
        ) from None


def check_source_file(file: Path, fmt: str) -> None:
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
