"""Forecasts to score, from a claims folder or from a table of forecasts kept elsewhere.

A *forecast table* is a CSV or Parquet file with at least ``probability`` (in [0, 1]) and
``outcome`` columns, plus whatever column the scores are grouped by.  ``outcome`` is 1/0,
true/false or yes/no for resolved forecasts, empty for open ones, or ``ambiguous`` /
``annulled`` (counted, never scored).  Optional: ``made_on`` and ``resolved_on`` (for
``as_of``), ``tags`` (separated by ``;``), ``kind``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError, ParameterError
from forecastkit.records.dates import DATE_DTYPE

REQUIRED_COLUMNS = ("probability", "outcome")
_OUTCOME_WORDS = {
    "1": "true",
    "1.0": "true",
    "true": "true",
    "yes": "true",
    "0": "false",
    "0.0": "false",
    "false": "false",
    "no": "false",
    "": "open",
    "open": "open",
    "ambiguous": "ambiguous",
    "annulled": "annulled",
}
_HINT = "a forecast table needs columns probability (0-1) and outcome (1/0, empty when open)"


def _row_line(path: Path, position: int) -> int | None:
    """The file line of a data row (CSV: header is line 1); None for Parquet."""
    return position + 2 if path.suffix.lower() == ".csv" else None


def read_forecast_table(path: str | os.PathLike[str], by: str | None = None) -> pd.DataFrame:
    """Read a CSV or Parquet table of forecasts into the columns :mod:`forecastkit.scoring.grouped` uses.

    Returns the table with ``probability`` and ``outcome`` as floats (outcome NaN unless
    resolved), a ``status`` column (open, true, false, ambiguous, annulled), dates parsed and
    ``tags`` split into tuples.  ``by`` (when given) must be a column, or ``tag``/``year`` with
    ``tags``/``made_on`` present.

    Raises
    ------
    ClaimFileError
        One line naming the file, the row's line and the field: a missing column, a probability
        outside [0, 1], an outcome that is not 1/0/true/false/empty/ambiguous/annulled.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ClaimFileError("no such file", file=path)
    try:
        if suffix == ".csv":
            table = pd.read_csv(
                path,
                dtype={"outcome": "string"},
                keep_default_na=False,
                na_values={"probability": [""], "made_on": [""], "resolved_on": [""]},
            )
        elif suffix in (".parquet", ".pq"):
            table = pd.read_parquet(path)
        else:
            raise ClaimFileError(
                f"unsupported file type '{suffix}'",
                file=path,
                hint="give a .csv or .parquet file, or a claims folder",
            )
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise ClaimFileError(f"cannot read the table ({exc})", file=path) from None
    needed = list(REQUIRED_COLUMNS)
    if by == "year" and "year" not in table.columns:
        needed.append("made_on")
    elif by in ("tag", "tags") and "tag" not in table.columns:
        needed.append("tags")
    elif by is not None:
        needed.append(by)
    for col in needed:
        if col not in table.columns:
            raise ClaimFileError(
                f"missing column '{col}'",
                file=path,
                field=col,
                hint=_HINT
                if col in REQUIRED_COLUMNS
                else f"the table has {', '.join(map(str, table.columns))}",
            )
    table["status"] = _statuses(table["outcome"], path)
    outcome_of = np.array([np.nan, 1.0, 0.0, np.nan, np.nan])  # in STATUSES' order
    table["outcome"] = outcome_of[table["status"].cat.codes.to_numpy()]
    table["probability"] = _probabilities(table["probability"], path)
    for col in ("made_on", "resolved_on"):
        if col in table.columns:
            table[col] = _dates(table[col], col, path)
    if "tags" in table.columns:
        table["tags"] = table["tags"].map(_split_tags)
    return table


#: The statuses of a forecast table's rows, the categories of its ``status`` column.
STATUSES = ("open", "true", "false", "ambiguous", "annulled")


def _statuses(outcome: pd.Series, path: Path) -> pd.Series:
    """Each row's status, as a categorical of :data:`STATUSES` (a million rows are a million
    small codes, not a million strings)."""
    # a million rows hold a handful of distinct outcomes: read each distinct value once
    codes, uniques = pd.factorize(outcome, use_na_sentinel=True)
    words = pd.Series(uniques).astype("string").str.strip().str.lower().map(_OUTCOME_WORDS)
    position = {status: i for i, status in enumerate(STATUSES)}
    read = np.array(
        [position.get(w, -1) if isinstance(w, str) else -1 for w in words]
        + [position[_OUTCOME_WORDS[""]]],  # code -1 (missing) reads as ""
        dtype=np.int8,
    )
    status = read[codes]
    bad = status < 0
    if bad.any():
        i = int(np.argmax(bad))
        raise ClaimFileError(
            f"outcome {outcome.iloc[i]!r} is not an outcome",
            file=path,
            line=_row_line(path, i),
            field="outcome",
            hint="use 1/0 (or true/false), leave empty when open, or ambiguous/annulled",
        )
    return pd.Series(
        pd.Categorical.from_codes(status, categories=list(STATUSES)), index=outcome.index
    )


def _probabilities(values: pd.Series, path: Path) -> pd.Series:
    p = pd.to_numeric(values, errors="coerce").astype("float64")
    for mask, message, hint in (
        (p.isna() & values.notna(), "probability is not a number", None),
        (p.isna(), "probability is missing", "every forecast needs a probability in [0, 1]"),
        (p > 1, "probability is greater than 1", "write 0.7, not 70"),
        (p < 0, "probability is less than 0", None),
    ):
        if mask.any():
            i = int(np.argmax(mask.to_numpy()))
            value = values.iloc[i]
            shown = f"{value:g}" if isinstance(value, (int, float, np.number)) else repr(value)
            raise ClaimFileError(
                f"{message}: {shown}",
                file=path,
                line=_row_line(path, i),
                field="probability",
                hint=hint,
            )
    return p


def _dates(values: pd.Series, column: str, path: Path) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):  # Parquet keeps types
        return values.astype(DATE_DTYPE)
    text = values.astype("string").str.strip()
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    bad = (dates.isna() & text.notna() & (text != "")).to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise ClaimFileError(
            f"{text.iloc[i]!r} is not a date",
            file=path,
            line=_row_line(path, i),
            field=column,
            hint="write dates as YYYY-MM-DD, e.g. 2027-12-31",
        )
    return dates.astype(DATE_DTYPE)


def _split_tags(value: object) -> tuple[str, ...]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(str(v) for v in value)
    if not isinstance(value, str):
        return ()
    return tuple(t.strip() for t in value.split(";") if t.strip())


def load_forecasts(
    path: str | os.PathLike[str] | None = None, *, scale: str | None = None, by: str | None = None
) -> pd.DataFrame:
    """The forecasts at ``path``: a claims folder (via :func:`forecastkit.load`) or a table.

    ``path=None`` is the project's ``claims/``.  ``scale`` reads the hedges of a claims folder
    (default: the lexicon's default scale); it has no meaning for a table of numbers.
    """
    if path is not None and Path(path).is_file():
        if scale is not None:
            raise ParameterError(
                "--scale applies to a claims folder, not a table of forecasts",
                field="scale",
                hint="drop --scale",
            )
        return read_forecast_table(path, by=by)
    from forecastkit.records.corpus import load
    from forecastkit.records.lexicon import DEFAULT_SCALE

    return load(path, scale or DEFAULT_SCALE).forecasts()
