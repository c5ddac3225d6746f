"""Read the public exports of forecasting trackers into one normalized table of forecasts.

Each preset reads one tracker's own file format (its real column names and value encodings) and
returns a :class:`PresetRead`: the forecasts in one normalized pandas table, every bad row of the
input (all of them, not only the first) and the counts of rows skipped by a documented rule.
Functions here are pure: they read files and return tables; they never write, prompt or print.
``docs/import-formats.md`` lists, per preset, the source of the format, its columns and the
mapping.

Presets and the sources their formats were taken from:

``predictionbook``
    The PredictionBook public dump collected by the iqisa project (niplav/iqisa on GitHub,
    ``data/predictionbook/public.csv.zip`` and ``questions.csv.zip``, written by
    ``iqisa/predictionbook.py``): ``public.csv`` has one row per forecast (``question_id,
    user_id, team_id, probability, answer_option, timestamp, outcome, open_time, close_time,
    resolve_time, time_open, n_opts, options, q_status, q_type``), ``questions.csv`` one row per
    question (``question_id, q_title, q_status, open_time, close_time, resolve_time, outcome,
    time_open, n_opts, options``). ``probability`` is in [0, 1] (iqisa divides the page's
    percentage by 100); ``outcome`` is 1.0 (right), 0.0 (wrong), -1.0 (judged unknown) or empty
    while open; times are ``YYYY-MM-DD HH:MM:SS+00:00`` and deadlines reach ``9999-12-31``.
``gjp``
    The Good Judgment Project data (Harvard Dataverse, as described by niplav/iqisa
    ``summary.md`` and read by ``iqisa/gjp.py``): ``survey_fcasts.yr1.csv`` ... ``yr4`` with
    ``ifp_id, ctt, cond, training, team, user_id, forecast_id, fcast_type, answer_option, value,
    fcast_date, expertise, q_status, viewtime, year, timestamp`` (one row per answer option of a
    forecast, ``value`` in [0, 1]), and ``ifps.csv`` with ``ifp_id, q_type, q_text, q_desc,
    q_status, date_start, date_suspend, date_to_close, date_closed, outcome, short_title,
    days_open, n_opts, options`` (US dates ``9/1/11``, ``outcome`` the letter of the option that
    happened, ``options`` like ``(a) Yes, (b) No``).
``metaculus``
    The Metaculus question data export (its ``README.md`` describes every column):
    ``forecast_data.csv`` (``Question ID, Forecaster ID, Forecaster Username, Is Bot, Start Time,
    End Time, Forecaster Count, Probability Yes, ...``) and ``question_data.csv`` (``Question ID,
    Question URL, Question Title, ..., Categories, ..., Question Type, ..., Scheduled Close Time,
    Actual Close Time, Resolution, Resolution Known Time, ...``). Aggregate rows (no Forecaster
    ID, a method such as ``recency_weighted`` as the username) are not a forecaster's.
``fatebook``
    Fatebook (Sage-Future/fatebook on GitHub): its export (``lib/web/export.ts``: ``Question
    title, Multiple choice option, Forecast created by, Forecast (scale = 0-1), Forecast created
    at, Question created by, Question created at, Question resolve by, Resolution, Resolved at,
    ..., Question notes, ...``) and its spreadsheet-import format (``pages/
    import-from-spreadsheet.tsx`` and ``lib/web/import_router.ts``: ``questionTitle, forecast``
    (0-100 %), ``qCreatedAt, resolution`` (YES, NO, AMBIGUOUS or blank), ``resolvedAt, resolveBy,
    fCreatedAt, tags`` (comma-separated), ``notes, notesExtra``), which has no forecaster column.
``generic``
    One CSV with one row per forecast, columns found by common names (:data:`GENERIC_COLUMNS`).

Dates: every date from 0001-01-01 to 9999-12-31 loads. Dates are parsed by this module (not by
``pandas.to_datetime``, whose nanosecond unit ends in 2262), times are converted to their UTC day,
and every date column is ``datetime64[s]`` at midnight; ``NaT`` in ``resolve_by`` means no
deadline. No code path here can raise ``OutOfBoundsDatetime``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError, ParameterError

__all__ = [
    "FORECAST_COLUMNS",
    "GENERIC_COLUMNS",
    "PRESETS",
    "PROBLEM_COLUMNS",
    "SKIPPED_COLUMNS",
    "PresetRead",
    "parse_dates",
    "read_preset",
    "summarize_problems",
]

#: The columns of :attr:`PresetRead.forecasts`, in order.
FORECAST_COLUMNS = [
    "question_id", "question_text", "question_url", "forecaster_id", "forecaster_name",
    "probability", "made_on", "resolve_by", "outcome", "resolved_on", "tags", "notes",
    "source_row", "source_file",
]  # fmt: skip
#: The columns of :attr:`PresetRead.problems`: one row per bad value.
PROBLEM_COLUMNS = ["file", "line", "column", "kind", "detail", "value"]
#: The columns of :attr:`PresetRead.skipped`: rows left out by a documented rule.
SKIPPED_COLUMNS = ["file", "reason", "rows"]

#: Kinds of problem and the advice given for them by :func:`summarize_problems`.
PROBLEM_HINTS = {
    "bad_date": "fix the dates",
    "deadline_before_forecast": "fix the dates",
    "bad_probability": "fix the probabilities",
    "probability_out_of_range": "fix the probabilities",
    "missing_question": "add the questions or fix the question ids",
    "bad_question": "fix the question's row",
    "missing_value": "fill in the missing values",
    "bad_outcome": "fix the outcomes",
}

_DATE_FIELDS = ("made_on", "resolve_by", "resolved_on")
_EPOCH_DAY_MIN = -719162  # 0001-01-01 in days since 1970-01-01
_EPOCH_DAY_MAX = 2932896  # 9999-12-31
_NAT = np.datetime64("NaT", "s")


@dataclass(frozen=True)
class PresetRead:
    """What a preset read.

    Attributes
    ----------
    preset:
        The preset's name.
    forecasts:
        The good rows, one per forecast, columns :data:`FORECAST_COLUMNS`: ``question_id``,
        ``question_text``, ``forecaster_id`` (the source's own id), ``forecaster_name`` and
        ``notes`` are strings (``question_url`` and ``notes`` ``<NA>`` when unknown),
        ``probability`` a float in [0, 1], ``made_on``/``resolve_by``/``resolved_on``
        ``datetime64[s]`` at midnight (``resolve_by`` ``NaT`` = no deadline), ``outcome``
        ``'true'``, ``'false'``, ``'ambiguous'`` or ``<NA>`` while open, ``tags`` a list or
        ``<NA>``, ``source_row`` the 1-based line of the row in ``source_file`` (the header is
        line 1).
    problems:
        Every bad value, columns :data:`PROBLEM_COLUMNS` (``file`` is the file's name, ``line``
        its 1-based line); :func:`summarize_problems` groups them into messages.
    skipped:
        Rows left out by a documented rule (non-binary questions, aggregate forecasts, ...),
        columns :data:`SKIPPED_COLUMNS`.
    rejected:
        The bad rows as read (every source column as text) with ``source_file``,
        ``source_row`` and ``problems`` (their details joined by "; "), to be written beside
        the claim file when bad rows are skipped.
    """

    preset: str
    forecasts: pd.DataFrame
    problems: pd.DataFrame
    skipped: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        """No bad rows."""
        return self.problems.empty

    def summary(self, max_examples: int = 5) -> list[str]:
        """:func:`summarize_problems` of :attr:`problems`."""
        return summarize_problems(self.problems, max_examples=max_examples)

    def raise_for_problems(self) -> None:
        """Raise :class:`~forecastkit.errors.ClaimFileError` when there are bad rows.

        The message is the first group of :meth:`summary`, the hint names how many groups
        there are; nothing is raised for a clean read.
        """
        if self.problems.empty:
            return
        lines = self.summary()
        first = self.problems.iloc[0]
        more = f" (and {len(lines) - 1} more kinds of problem)" if len(lines) > 1 else ""
        raise ClaimFileError(lines[0] + more, file=str(first["file"]))


# ---------------------------------------------------------------------------------------------
# Dates

_ISO_RE = (
    r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[T ](?P<H>[0-9]{1,2}):(?P<M>[0-9]{1,2})(?::(?P<S>[0-9]{1,2})(?:[.,][0-9]+)?)?)?"
    r"\s*(?P<tz>Z|z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?$"
)
_US_RE = (
    r"^(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})/(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?:\s+(?P<H>[0-9]{1,2}):(?P<M>[0-9]{1,2})(?::(?P<S>[0-9]{1,2})(?:[.,][0-9]+)?)?)?"
    r"\s*(?P<tz>Z|z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?$"
)


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm), vectorised."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = np.where(m > 2, m - 3, m + 9)
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _days_in_month(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    base = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    return base[np.clip(m, 1, 12) - 1] + ((m == 2) & leap)


def _int_column(g: pd.DataFrame, name: str, default: int) -> np.ndarray:
    col = g[name]
    out = pd.to_numeric(col, errors="coerce").fillna(default)
    return out.to_numpy(dtype=np.int64)


def _tz_seconds(tz: pd.Series) -> np.ndarray:
    text = tz.fillna("").astype(str)
    sign = np.where(text.str.startswith("-"), -1, 1)
    digits = text.str.replace(r"[^0-9]", "", regex=True)
    hours = pd.to_numeric(digits.str.slice(0, 2), errors="coerce").fillna(0).to_numpy(np.int64)
    mins = pd.to_numeric(digits.str.slice(2, 4), errors="coerce").fillna(0).to_numpy(np.int64)
    return sign * (hours * 3600 + mins * 60)


# ASCII digits only ([0-9], not \d, which also takes other scripts' digits: '２０２４-...' would
# reach the byte-level reader below and fail there); such a value is reported as no date.
_FAST_ISO = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
             r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
             r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?")
_WIDTH = 36


def _fast_fields(texts: pd.Series) -> tuple[np.ndarray, ...]:
    """y, m, d, H, M, S, tz seconds of zero-padded ASCII ISO texts, read from their bytes."""
    raw = texts.to_numpy(dtype=object).astype(f"S{_WIDTH}")
    b = raw.view(np.uint8).reshape(-1, _WIDTH)
    n = len(raw)
    length = np.char.str_len(raw).astype(np.int64)

    def num(i: int, j: int) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        for k in range(i, j):
            out = out * 10 + (b[:, k].astype(np.int64) - 48)
        return out

    y, m, d = num(0, 4), num(5, 7), num(8, 10)
    has_time = length >= 16
    hh = np.where(has_time, num(11, 13), 0)
    mm = np.where(has_time, num(14, 16), 0)
    has_sec = has_time & (length >= 19) & (b[:, 16] == ord(":"))
    ss = np.where(has_sec, num(17, 19), 0)
    rows = np.arange(n)

    def at(offset: int) -> np.ndarray:
        return b[rows, np.clip(length - offset, 0, _WIDTH - 1)]

    sign6 = at(6)
    colon = has_time & ((sign6 == ord("+")) | (sign6 == ord("-"))) & (at(3) == ord(":"))
    sign5 = at(5)
    plain = has_time & ~colon & ((sign5 == ord("+")) | (sign5 == ord("-")))
    tz = np.zeros(n, dtype=np.int64)
    if colon.any():
        h1, h2, m1, m2 = (at(k).astype(np.int64) - 48 for k in (5, 4, 2, 1))
        off = (h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60
        tz = np.where(colon, np.where(sign6 == ord("-"), -off, off), tz)
    if plain.any():
        h1, h2, m1, m2 = (at(k).astype(np.int64) - 48 for k in (4, 3, 2, 1))
        off = (h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60
        tz = np.where(plain, np.where(sign5 == ord("-"), -off, off), tz)
    return y, m, d, hh, mm, ss, tz


def _regex_fields(texts: pd.Series, us: bool) -> tuple[np.ndarray, ...]:
    """matched, y, m, d, H, M, S, tz seconds of any accepted text (the slow, general path)."""
    g = texts.astype(object).str.extract(_ISO_RE)
    if us:
        usg = texts.astype(object).str.extract(_US_RE)
        miss = g["y"].isna()
        g = g.where(~miss, usg[g.columns])
        # two-digit years as POSIX strptime's %y: 69-99 -> 1969-1999, 00-68 -> 2000-2068
        short = miss & usg["y"].notna() & (usg["y"].str.len() == 2)
        if short.any():
            yy = pd.to_numeric(g.loc[short, "y"])
            g.loc[short, "y"] = np.where(yy < 69, 2000 + yy, 1900 + yy).astype(str)
    matched = g["y"].notna().to_numpy()
    return (matched, _int_column(g, "y", 1970), _int_column(g, "m", 1), _int_column(g, "d", 1),
            _int_column(g, "H", 0), _int_column(g, "M", 0), _int_column(g, "S", 0),
            _tz_seconds(g["tz"]))


def _parse_unique(texts: pd.Series, us: bool) -> np.ndarray:
    """Days since the epoch for each text (int64), or the minimum int64 where it is no date."""
    n = len(texts)
    fast = texts.str.fullmatch(_FAST_ISO).fillna(False).to_numpy(dtype=bool)
    parts = [np.zeros(n, dtype=np.int64) for _ in range(7)]
    matched = fast.copy()
    if fast.any():
        for arr, vals in zip(parts, _fast_fields(texts[fast]), strict=True):
            arr[fast] = vals
    slow = ~fast
    if slow.any():
        got = _regex_fields(texts[slow], us)
        matched[slow] = got[0]
        for arr, vals in zip(parts, got[1:], strict=True):
            arr[slow] = vals
    y, m, d, hh, mm, ss, tz = parts
    ok = (matched & (y >= 1) & (y <= 9999) & (m >= 1) & (m <= 12) & (d >= 1)
          & (d <= _days_in_month(y, m)) & (hh <= 23) & (mm <= 59) & (ss <= 59)
          & (np.abs(tz) <= 18 * 3600))  # fmt: skip
    days = _days_from_civil(np.where(ok, y, 1970), np.where(ok, m, 1), np.where(ok, d, 1))
    days = days + np.floor_divide(hh * 3600 + mm * 60 + ss - tz, 86400)
    ok &= (days >= _EPOCH_DAY_MIN) & (days <= _EPOCH_DAY_MAX)
    return np.where(ok, days, np.iinfo(np.int64).min)


def parse_dates(values: pd.Series, *, us: bool = False) -> tuple[pd.Series, pd.Series]:
    """Dates or times as written → their (UTC) day as ``datetime64[s]`` at midnight.

    Accepted: ISO 8601 dates and times (``2024-06-17``, ``2024-06-17 12:00:05.25+02:00``,
    ``...T...Z``; seconds may have one digit, as Fatebook's export writes them), and with
    ``us=True`` also US dates ``m/d/yy`` or ``m/d/yyyy`` with an optional ``H:MM[:SS]``. A time
    with an offset is converted to UTC before its day is taken. Years 1 to 9999; impossible
    dates (``2023-02-29``, ``2024-02-30``) are not dates. Vectorised over the distinct values.

    Returns
    -------
    (dates, bad)
        ``dates`` (``NaT`` for empty or bad values) and a boolean Series, ``True`` where a value
        is written but is no date.
    """
    text = values.astype("string").fillna("").str.strip()
    codes, uniques = pd.factorize(text, sort=False)
    days = _parse_unique(pd.Series(np.asarray(uniques, dtype=object), dtype="string"), us)
    per_row = days[codes] if len(codes) else np.empty(0, dtype=np.int64)
    good = per_row != np.iinfo(np.int64).min
    empty = (text == "").to_numpy()
    stamps = np.where(good, per_row * 86400, 0).astype("datetime64[s]")
    stamps = np.where(good, stamps, _NAT)
    dates = pd.Series(stamps, index=values.index, dtype="datetime64[s]")
    return dates, pd.Series(~good & ~empty, index=values.index)


# ---------------------------------------------------------------------------------------------
# Reading files


def _as_paths(file: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(file, (str, os.PathLike)):
        return [Path(file)]
    paths = [Path(f) for f in file]
    if not paths:
        raise ParameterError("no file given", field="file")
    return paths


def _read_csv(path: Path) -> pd.DataFrame:
    """Every column as text ('' for empty), with ``_line``: the 1-based line each row starts on.

    Zip/gzip files are read through (``public.csv.zip``); UTF-8 (with or without BOM), else
    Latin-1 (GJP's ``ifps.csv`` has stray non-UTF-8 bytes). Blank lines are dropped after the
    line numbers are counted, so a number always names the row's first line in the file.
    """
    if path.is_dir():
        raise ClaimFileError("is a folder, not a file", file=path,
                             hint="give the tracker's CSV file")
    if not path.is_file():
        raise ClaimFileError("no such file", file=path, hint="check the path of the export")
    frame = None
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                                skip_blank_lines=False, compression="infer")
            break
        except UnicodeDecodeError:
            continue
        except (ValueError, OSError, pd.errors.ParserError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ClaimFileError(f"cannot read the file ({message})", file=path,
                                 hint="is it really a CSV file (or a zip holding one)?") from None
    assert frame is not None
    frame.columns = [str(c).strip() for c in frame.columns]
    n = len(frame)
    extra = np.zeros(n, dtype=np.int64)  # newlines inside quoted fields
    for col in frame.columns:
        s = frame[col]
        has = s.str.contains("\n", regex=False)
        if has.any():
            extra += s.str.count("\n").to_numpy(dtype=np.int64)
    before = np.concatenate([[0], np.cumsum(extra)[:-1]]) if n else extra
    frame["_line"] = np.arange(2, n + 2, dtype=np.int64) + before
    if n and len(frame.columns) > 1:
        blank = (frame.drop(columns="_line") == "").all(axis=1)
        if blank.any():
            frame = frame.loc[~blank]
    return frame.reset_index(drop=True)


def _require(frame: pd.DataFrame, columns: Sequence[str], path: Path, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ClaimFileError(
            f"not a {what} file: no column {', '.join(repr(c) for c in missing)}", file=path,
            hint=f"the file has: "
                 f"{', '.join(c for c in frame.columns if c not in ('_line', '_file'))}")


def _beside(path: Path, names: Sequence[str], given: object, preset: str) -> Path:
    if given is not None:
        return Path(given)  # type: ignore[arg-type]
    for name in names:
        candidate = path.parent / name
        if candidate.is_file():
            return candidate
    raise ParameterError(f"the {preset} preset needs the questions file ({names[0]})",
                         field="questions",
                         hint=f"give --questions FILE, or put {names[0]} beside {path.name}")


_INVISIBLE = r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"


def _display_names(ids: pd.Series) -> pd.Series:
    """Readable names: invisible characters removed, spaces collapsed; an id that is nothing
    but invisible characters is shown escaped (``\\u200b``). Computed once per distinct id."""
    codes, uniques = pd.factorize(ids.astype("string").fillna(""), sort=False)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    names = (u.str.replace(_INVISIBLE, "", regex=True)
             .str.replace(r"\s+", " ", regex=True).str.strip())  # fmt: skip
    empty = (names == "") & (u != "")
    if empty.any():
        names[empty] = [v.encode("unicode_escape").decode("ascii") for v in u[empty]]
    out = np.append(names.to_numpy(dtype=object), "")[codes]
    return pd.Series(out, index=ids.index, dtype="string")


# ---------------------------------------------------------------------------------------------
# The common normalisation


@dataclass
class _Staged:
    """A preset's rows mapped to the normalized fields, still as text, before the checks."""

    frame: pd.DataFrame  # raw rows of the forecast file(s), with _line and _file
    fields: dict[str, pd.Series]  # normalized field -> text values (index of frame)
    columns: dict[str, str]  # normalized field -> the source column's name (for problems)
    outcome_map: dict[str, str | None]  # lower-cased source value -> outcome ('' = open)
    percent: bool = False
    us_dates: bool = False
    extra_problems: list[pd.DataFrame] = field(default_factory=list)
    skipped: list[tuple[str, str, int]] = field(default_factory=list)
    tags: pd.Series | None = None


def _problem_frame(mask: pd.Series | np.ndarray, frame: pd.DataFrame, column: str, kind: str,
                   detail: str, values: pd.Series | None) -> pd.DataFrame:
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    sub = frame.loc[mask]
    vals = values[mask].astype("string").fillna("") if values is not None else ""
    return pd.DataFrame({
        "file": sub["_file"].to_numpy(), "line": sub["_line"].to_numpy(dtype=np.int64),
        "column": column, "kind": kind, "detail": detail,
        "value": vals.to_numpy() if values is not None else "",
    })  # fmt: skip


def _empty_problems() -> pd.DataFrame:
    return pd.DataFrame({"file": pd.Series(dtype="string"), "line": pd.Series(dtype="int64"),
                         "column": pd.Series(dtype="string"), "kind": pd.Series(dtype="string"),
                         "detail": pd.Series(dtype="string"),
                         "value": pd.Series(dtype="string")})


def _normalize(preset: str, st: _Staged) -> PresetRead:
    fr = st.frame
    f = {k: v.astype("string").fillna("").str.strip() for k, v in st.fields.items()}
    col = st.columns
    problems: list[pd.DataFrame] = list(st.extra_problems)

    def add(mask: pd.Series | np.ndarray, field_: str, kind: str, detail: str,
            values: pd.Series | None = None) -> None:
        problems.append(_problem_frame(mask, fr, col.get(field_, field_), kind, detail,
                                       f[field_] if values is None and field_ in f else values))

    # required text
    for name, kind, what in (("question_id", "missing_question", "no question id"),
                             ("forecaster_id", "missing_value", "no forecaster"),
                             ("probability", "missing_value", "no probability"),
                             ("made_on", "missing_value", "no date of the forecast")):
        add(f[name] == "", name, kind, f"{col.get(name, name)} is empty: {what}")
    # probability
    raw_p = f["probability"]
    text_p = raw_p.str.rstrip("%").str.strip() if st.percent else raw_p
    p = pd.to_numeric(text_p.where(text_p != ""), errors="coerce").astype("float64")
    finite = np.isfinite(p.to_numpy(dtype=np.float64, na_value=np.nan))
    nonnum = (raw_p != "") & ~finite & ~np.isinf(p.to_numpy(dtype=np.float64, na_value=np.nan))
    add(nonnum, "probability", "bad_probability", f"{col['probability']} is not a number")
    if st.percent:
        p = p / 100.0
    out = (raw_p != "") & ~nonnum & ~((p >= 0) & (p <= 1)).to_numpy(dtype=bool, na_value=False)
    scale = "[0, 100] %" if st.percent else "[0, 1]"
    add(out, "probability", "probability_out_of_range", f"{col['probability']} is outside {scale}")
    # dates
    dates = {}
    for name in _DATE_FIELDS:
        if name in f:
            dates[name], bad = parse_dates(f[name], us=st.us_dates)
            add(bad, name, "bad_date", f"{col.get(name, name)} is not a date")
        else:
            dates[name] = pd.Series(_NAT, index=fr.index, dtype="datetime64[s]")
    before = (dates["resolve_by"] < dates["made_on"]).to_numpy(dtype=bool, na_value=False)
    add(before, "resolve_by", "deadline_before_forecast",
        f"{col.get('resolve_by')} before {col.get('made_on')}")
    # outcome
    outcome = pd.Series(pd.NA, index=fr.index, dtype="string")
    if "outcome" in f:
        words = f["outcome"].str.lower()
        mapped = words.map(st.outcome_map)
        unknown = mapped.isna() & (words != "")
        add(unknown, "outcome", "bad_outcome", f"{col.get('outcome')} is not a known outcome")
        mapped = mapped.where(mapped != "")
        outcome = mapped.astype("string")
    resolved_on = dates["resolved_on"].where(outcome.notna().to_numpy(), _NAT)

    problems = [p_ for p_ in problems if not p_.empty]
    allp = pd.concat(problems, ignore_index=True) if problems else _empty_problems()
    if not allp.empty:
        allp["line"] = allp["line"].astype("int64")
        allp = allp.sort_values(["file", "line", "column"], kind="stable").reset_index(drop=True)
    key = fr["_file"].astype(str) + ":" + fr["_line"].astype(str)
    bad_keys = (set(allp["file"].astype(str) + ":" + allp["line"].astype(str)) if len(allp)
                else set())
    bad = key.isin(bad_keys).to_numpy() if bad_keys else np.zeros(len(fr), dtype=bool)
    good = ~bad

    url = f.get("question_url")
    notes = f.get("notes")
    names = f.get("forecaster_name", f["forecaster_id"])
    names = names.where(names != "", f["forecaster_id"])
    forecasts = pd.DataFrame({
        "question_id": f["question_id"],
        "question_text": f["question_text"],
        "question_url": url.where(url != "") if url is not None else pd.NA,
        "forecaster_id": st.fields["forecaster_id"].astype("string").fillna(""),
        "forecaster_name": _display_names(names),
        "probability": p.astype("float64"),
        "made_on": dates["made_on"],
        "resolve_by": dates["resolve_by"],
        "outcome": outcome,
        "resolved_on": resolved_on,
        "tags": st.tags if st.tags is not None else pd.Series(pd.NA, index=fr.index,
                                                               dtype=object),
        "notes": notes.where(notes != "") if notes is not None else pd.NA,
        "source_row": fr["_line"].astype("int64"),
        "source_file": fr["_file"].astype("string"),
    }, index=fr.index)  # fmt: skip
    for c in ("question_url", "notes"):
        forecasts[c] = forecasts[c].astype("string")
    forecasts = forecasts.loc[good, FORECAST_COLUMNS].reset_index(drop=True)

    rejected = pd.DataFrame()
    if bad.any():
        details = (allp.assign(_k=allp["file"].astype(str) + ":" + allp["line"].astype(str))
                   .groupby("_k", sort=False)["detail"].agg("; ".join))  # fmt: skip
        raw = fr.loc[bad]
        rejected = raw.drop(columns=["_line", "_file"]).copy()
        rejected.insert(0, "problems", key[bad].map(details).to_numpy())
        rejected.insert(0, "source_row", raw["_line"].to_numpy())
        rejected.insert(0, "source_file", raw["_file"].to_numpy())
        rejected = rejected.reset_index(drop=True)
    skipped = pd.DataFrame(st.skipped, columns=SKIPPED_COLUMNS)
    if not skipped.empty:
        skipped = skipped[skipped["rows"] > 0].reset_index(drop=True)
        skipped["rows"] = skipped["rows"].astype("int64")
    return PresetRead(preset=preset, forecasts=forecasts, problems=allp, skipped=skipped,
                      rejected=rejected)


def _question_lookup(forecast_ids: pd.Series, questions: pd.DataFrame, key: str,
                     qfile: str) -> tuple[pd.Series, list[pd.DataFrame], pd.Series]:
    """Position of each forecast's question in ``questions`` (-1: none); duplicate ids in the
    questions file are problems (the first row is used)."""
    qids = questions[key].str.strip()
    dup = qids.duplicated(keep="first")
    problems = []
    if dup.any():
        q = questions.assign(_file=qfile)
        problems.append(_problem_frame(dup, q, key, "bad_question",
                                       f"{key} appears twice in {qfile}", qids))
    first = pd.Series(np.arange(len(qids))[~dup.to_numpy()], index=qids[~dup].to_numpy())
    pos = forecast_ids.map(first).fillna(-1).astype("int64")
    return pos, problems, qids


def _take(series: pd.Series, pos: pd.Series) -> pd.Series:
    """``series`` (of a questions table) at positions ``pos`` (-1 -> '')."""
    arr = np.asarray(series.astype("string").fillna("").to_numpy(dtype=object), dtype=object)
    arr = np.append(arr, "")
    return pd.Series(arr[pos.to_numpy()], index=pos.index, dtype="string")


def _missing_question(pos: pd.Series, frame: pd.DataFrame, column: str, values: pd.Series,
                      qfile: str) -> pd.DataFrame:
    return _problem_frame((pos < 0) & (values.str.strip() != ""), frame, column,
                          "missing_question", f"{column} not in {qfile}", values)


def _bad_question_rows(pos: pd.Series, bad_positions: np.ndarray, frame: pd.DataFrame,
                       column: str, values: pd.Series, qfile: str) -> pd.DataFrame:
    if not len(bad_positions):
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    mask = pos.isin(bad_positions).to_numpy()
    return _problem_frame(mask, frame, column, "bad_question",
                          f"its question has a bad row in {qfile}", values)


def _concat_files(paths: list[Path]) -> pd.DataFrame:
    frames = []
    for path in paths:
        fr = _read_csv(path)
        fr["_file"] = path.name
        frames.append(fr)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


# ---------------------------------------------------------------------------------------------
# Presets


_PB_OUTCOMES = {"1": "true", "1.0": "true", "0": "false", "0.0": "false",
                "-1": "ambiguous", "-1.0": "ambiguous", "": ""}  # fmt: skip


def _read_predictionbook(paths: list[Path], questions: object, forecaster: str | None) -> _Staged:
    """PredictionBook (iqisa dump): ``public.csv`` + ``questions.csv`` (see the module doc)."""
    fr = _concat_files(paths)
    _require(fr, ["question_id", "user_id", "probability", "timestamp", "close_time"], paths[0],
             "PredictionBook public.csv")
    qpath = _beside(paths[0], ["questions.csv", "questions.csv.zip"], questions, "predictionbook")
    qs = _read_csv(qpath)
    _require(qs, ["question_id", "q_title"], qpath, "PredictionBook questions.csv")
    qid = fr["question_id"].str.strip()
    pos, extra, _ = _question_lookup(qid, qs, "question_id", qpath.name)
    title = _take(qs["q_title"], pos)
    extra.append(_missing_question(pos, fr, "question_id", fr["question_id"], qpath.name))
    extra.append(_problem_frame((pos >= 0) & (title.str.strip() == ""), fr, "question_id",
                                "missing_question", f"the question has no q_title in {qpath.name}",
                                fr["question_id"]))
    fields = {
        "question_id": qid, "question_text": title,
        "question_url": ("https://predictionbook.com/predictions/" + qid).where(qid != "", ""),
        "forecaster_id": fr["user_id"], "probability": fr["probability"],
        "made_on": fr["timestamp"], "resolve_by": fr["close_time"],
        "outcome": fr["outcome"] if "outcome" in fr else pd.Series("", index=fr.index),
        "resolved_on": (fr["resolve_time"] if "resolve_time" in fr
                        else pd.Series("", index=fr.index)),
    }  # fmt: skip
    columns = {"question_id": "question_id", "forecaster_id": "user_id",
               "probability": "probability", "made_on": "timestamp",
               "resolve_by": "close_time", "outcome": "outcome", "resolved_on": "resolve_time"}
    return _Staged(frame=fr, fields=fields, columns=columns, outcome_map=_PB_OUTCOMES,
                   extra_problems=extra)


def _read_gjp(paths: list[Path], questions: object, forecaster: str | None) -> _Staged:
    """Good Judgment Project: ``survey_fcasts.yr*.csv`` + ``ifps.csv`` (see the module doc)."""
    fr = _concat_files(paths)
    _require(fr, ["ifp_id", "user_id", "answer_option", "value", "fcast_date"], paths[0],
             "GJP survey_fcasts")
    qpath = _beside(paths[0], ["ifps.csv", "ifps.csv.zip"], questions, "gjp")
    qs = _read_csv(qpath)
    _require(qs, ["ifp_id", "q_text", "outcome", "n_opts"], qpath, "GJP ifps.csv")
    skipped: list[tuple[str, str, int]] = []
    name = paths[0].name if len(paths) == 1 else f"{paths[0].name} (+{len(paths) - 1})"
    ifp = fr["ifp_id"].str.strip()
    pos, extra, _ = _question_lookup(ifp, qs, "ifp_id", qpath.name)
    n_opts = pd.to_numeric(_take(qs["n_opts"], pos), errors="coerce")
    known = pos >= 0
    binary = known & (n_opts == 2)
    nonbinary = known & ~binary
    skipped.append((name, "forecast rows on questions that are not binary (n_opts is not 2)",
                    int(nonbinary.sum())))
    option = fr["answer_option"].str.strip().str.lower()
    second = binary & (option != "a")
    skipped.append((name, "rows on a binary question's other option (its probability is 1 - "
                    "that of option a)", int(second.sum())))
    keep = ~nonbinary & ~second
    if "fcast_type" in fr:
        withdrawn = keep & (fr["fcast_type"].str.strip() == "4")
        skipped.append((name, "withdrawals (fcast_type 4), not forecasts", int(withdrawn.sum())))
        keep &= ~withdrawn
    fr = fr.loc[keep]
    pos = pos[keep]
    ifp = ifp[keep]
    # the question's own rows: dates, outcome (letters), voided status
    q = qs.assign(_file=qpath.name)
    deadline_col = "date_to_close" if "date_to_close" in qs else "date_closed"
    qproblems = []
    for c in [deadline_col, "date_closed", "date_start"]:
        if c in qs:
            _, bad = parse_dates(qs[c], us=True)
            qproblems.append(_problem_frame(bad, q, c, "bad_date", f"{c} is not a date", qs[c]))
    qout = qs["outcome"].str.strip().str.lower()
    status = qs["q_status"].str.strip().str.lower() if "q_status" in qs else pd.Series(
        "", index=qs.index)
    qn = pd.to_numeric(qs["n_opts"], errors="coerce")
    qbinary = qn == 2
    badout = qbinary & ~qout.isin(["a", "b", ""]) & (status != "voided")
    qproblems.append(_problem_frame(badout, q, "outcome", "bad_outcome",
                                    "outcome is not a, b or empty", qs["outcome"]))
    qproblems = [e for e in qproblems if not e.empty]
    used = set(pos[pos >= 0].unique())
    bad_lines = set()
    for e in qproblems:
        bad_lines |= set(e["line"])
    bad_positions = np.flatnonzero(qs["_line"].isin(bad_lines).to_numpy())
    bad_positions = np.array([b for b in bad_positions if b in used], dtype=np.int64)
    qproblems = [e[e["line"].isin(qs["_line"].to_numpy()[bad_positions])] for e in qproblems]
    extra += qproblems
    extra.append(_missing_question(pos, fr, "ifp_id", fr["ifp_id"], qpath.name))
    extra.append(_bad_question_rows(pos, bad_positions, fr, "ifp_id", fr["ifp_id"], qpath.name))
    outcome_q = np.where(status == "voided", "voided", qout)
    outcome = _take(pd.Series(outcome_q, index=qs.index), pos)
    good_q = ~pos.isin(bad_positions)
    # bad question rows are reported in ifps.csv: give their forecasts no second date problem
    deadline = _take(qs[deadline_col], pos).where(good_q, "")
    closed = (_take(qs["date_closed"], pos) if "date_closed" in qs
              else pd.Series("", index=fr.index)).where(good_q, "")
    fields = {
        "question_id": ifp, "question_text": _take(qs["q_text"], pos),
        "forecaster_id": fr["user_id"], "probability": fr["value"],
        "made_on": fr["fcast_date"], "resolve_by": deadline,
        "outcome": outcome.where(good_q, ""), "resolved_on": closed,
    }  # fmt: skip
    columns = {"question_id": "ifp_id", "forecaster_id": "user_id", "probability": "value",
               "made_on": "fcast_date", "resolve_by": f"{deadline_col} ({qpath.name})",
               "outcome": f"outcome ({qpath.name})",
               "resolved_on": f"date_closed ({qpath.name})"}
    return _Staged(frame=fr, fields=fields, columns=columns, us_dates=True,
                   outcome_map={"a": "true", "b": "false", "voided": "ambiguous", "": ""},
                   extra_problems=extra, skipped=skipped)


_METACULUS_AGGREGATES = {"recency_weighted", "unweighted", "single_aggregation",
                         "metaculus_prediction", "geometric_means", "community_prediction"}
_METACULUS_OUTCOMES = {"yes": "true", "no": "false", "ambiguous": "ambiguous",
                       "annulled": "ambiguous", "": ""}  # fmt: skip


def _list_cells(values: pd.Series) -> pd.Series:
    """``['Politics', 'AI']`` (a Python list as Metaculus writes it) or ``a, b`` → lists.

    Rows with the same cell share one list (read them, do not change them in place).
    """
    text = values.astype("string").fillna("").str.strip()
    codes, uniques = pd.factorize(text, sort=False)  # parsed once per distinct value
    parsed = np.empty(len(uniques), dtype=object)
    for i, cell in enumerate(uniques):
        items = [t.strip().strip("'\"").strip() for t in str(cell).strip("[]").split(",")]
        items = [t for t in items if t]
        parsed[i] = items if items else pd.NA
    cells = parsed[codes] if len(codes) else np.empty(0, dtype=object)
    return pd.Series(cells, index=values.index, dtype=object)


def _read_metaculus(paths: list[Path], questions: object, forecaster: str | None) -> _Staged:
    """Metaculus: ``forecast_data.csv`` + ``question_data.csv`` (see the module doc)."""
    fr = _concat_files(paths)
    _require(fr, ["Question ID", "Forecaster Username", "Start Time", "Probability Yes"],
             paths[0], "Metaculus forecast_data.csv")
    qpath = _beside(paths[0], ["question_data.csv"], questions, "metaculus")
    qs = _read_csv(qpath)
    _require(qs, ["Question ID", "Question Title", "Question Type"], qpath,
             "Metaculus question_data.csv")
    name = paths[0].name
    skipped: list[tuple[str, str, int]] = []
    user = fr["Forecaster Username"].str.strip()
    if "Forecaster ID" in fr:
        aggregate = (fr["Forecaster ID"].str.strip() == "") & (user != "")
        aggregate |= user.str.lower().isin(_METACULUS_AGGREGATES) & (
            fr["Forecaster ID"].str.strip() == "")
    else:
        aggregate = user.str.lower().isin(_METACULUS_AGGREGATES)
    skipped.append((name, "aggregate forecasts (no Forecaster ID; e.g. recency_weighted)",
                    int(aggregate.sum())))
    fr = fr.loc[~aggregate]
    qid = fr["Question ID"].str.strip()
    pos, extra, _ = _question_lookup(qid, qs, "Question ID", qpath.name)
    qtype = _take(qs["Question Type"], pos).str.strip().str.lower()
    nonbinary = (pos >= 0) & (qtype != "binary")
    for t in sorted(set(qtype[nonbinary])):
        skipped.append((name, f"forecasts on {t or 'untyped'} questions (not binary)",
                        int((nonbinary & (qtype == t)).sum())))
    fr = fr.loc[~nonbinary]
    pos, qid = pos[~nonbinary], qid[~nonbinary]
    extra.append(_missing_question(pos, fr, "Question ID", fr["Question ID"], qpath.name))

    def q(col: str) -> pd.Series:
        return _take(qs[col], pos) if col in qs else pd.Series("", index=fr.index, dtype="string")

    fid = fr["Forecaster ID"] if "Forecaster ID" in fr else fr["Forecaster Username"]
    fid = fid.where(fid.str.strip() != "", fr["Forecaster Username"])
    fields = {
        "question_id": qid, "question_text": q("Question Title"), "question_url": q("Question URL"),
        "forecaster_id": fid, "forecaster_name": fr["Forecaster Username"],
        "probability": fr["Probability Yes"], "made_on": fr["Start Time"],
        "resolve_by": q("Scheduled Close Time"), "outcome": q("Resolution"),
        "resolved_on": q("Resolution Known Time"),
    }  # fmt: skip
    columns = {"question_id": "Question ID", "forecaster_id": "Forecaster ID",
               "probability": "Probability Yes", "made_on": "Start Time",
               "resolve_by": f"Scheduled Close Time ({qpath.name})",
               "outcome": f"Resolution ({qpath.name})",
               "resolved_on": f"Resolution Known Time ({qpath.name})"}
    tags = _list_cells(q("Categories")) if "Categories" in qs else None
    return _Staged(frame=fr, fields=fields, columns=columns, outcome_map=_METACULUS_OUTCOMES,
                   extra_problems=extra, skipped=skipped, tags=tags)


_FATEBOOK_OUTCOMES = {"yes": "true", "no": "false", "ambiguous": "ambiguous", "": ""}
_FATEBOOK_EXPORT = ["Question title", "Forecast created by", "Forecast (scale = 0-1)",
                    "Forecast created at", "Question created at"]
_FATEBOOK_IMPORT = ["questionTitle", "forecast", "qCreatedAt", "resolution"]


def _hash_ids(*parts: pd.Series) -> pd.Series:
    """Stable question ids from a question's title and creation time (as Fatebook's import does)."""
    joined = parts[0].astype("string").fillna("")
    for p in parts[1:]:
        joined = joined + "\x1f" + p.astype("string").fillna("")
    h = pd.util.hash_pandas_object(joined, index=False).to_numpy(dtype=np.uint64)
    return pd.Series([f"fb-{v:016x}" for v in h.tolist()], index=joined.index, dtype="string")


def _read_fatebook(paths: list[Path], questions: object, forecaster: str | None) -> _Staged:
    """Fatebook: its export or its spreadsheet-import format (see the module doc)."""
    fr = _concat_files(paths)
    name = paths[0].name
    skipped: list[tuple[str, str, int]] = []
    empty = pd.Series("", index=fr.index, dtype="string")

    def c(col: str) -> pd.Series:
        return fr[col] if col in fr else empty

    if all(col in fr for col in _FATEBOOK_EXPORT):
        mcq = c("Multiple choice option").str.strip() != ""
        skipped.append((name, "forecasts on multiple-choice options (not binary)",
                        int(mcq.sum())))
        fr = fr.loc[~mcq]
        empty = empty[~mcq]
        who = c("Forecast created by")
        if forecaster:
            who = who.where(who.str.strip() != "", forecaster)
        notes = c("Question notes")
        fields = {
            "question_id": _hash_ids(c("Question title"), c("Question created at")),
            "question_text": c("Question title"), "forecaster_id": who,
            "probability": c("Forecast (scale = 0-1)"), "made_on": c("Forecast created at"),
            "resolve_by": c("Question resolve by"), "outcome": c("Resolution"),
            "resolved_on": c("Resolved at"), "notes": notes,
        }  # fmt: skip
        columns = {"question_id": "Question title", "forecaster_id": "Forecast created by",
                   "probability": "Forecast (scale = 0-1)", "made_on": "Forecast created at",
                   "resolve_by": "Question resolve by", "outcome": "Resolution",
                   "resolved_on": "Resolved at"}
        tags_col = next((t for t in ("Tags", "Question tags") if t in fr), None)
        tags = _list_cells(fr[tags_col]) if tags_col else None
        return _Staged(frame=fr, fields=fields, columns=columns, outcome_map=_FATEBOOK_OUTCOMES,
                       skipped=skipped, tags=tags)
    _require(fr, _FATEBOOK_IMPORT, paths[0], "Fatebook export or Fatebook CSV-import")
    who_col = next((w for w in ("forecaster", "Forecast created by") if w in fr), None)
    if who_col is None and not forecaster:
        raise ParameterError(f"{name} has no forecaster column", field="forecaster",
                             hint="give --forecaster NAME: whose forecasts these are")
    who = fr[who_col] if who_col else pd.Series(forecaster, index=fr.index, dtype="string")
    if who_col and forecaster:
        who = who.where(who.str.strip() != "", forecaster)
    f_made = c("fCreatedAt").where(c("fCreatedAt").str.strip() != "", c("qCreatedAt"))
    notes = (c("notes").str.strip() + " " + c("notesExtra").str.strip()).str.strip()
    fields = {
        "question_id": _hash_ids(c("questionTitle"), c("qCreatedAt")),
        "question_text": c("questionTitle"), "forecaster_id": who,
        "probability": c("forecast"), "made_on": f_made, "resolve_by": c("resolveBy"),
        "outcome": c("resolution"), "resolved_on": c("resolvedAt"), "notes": notes,
    }  # fmt: skip
    columns = {"question_id": "questionTitle", "forecaster_id": who_col or "--forecaster",
               "probability": "forecast",
               "made_on": "fCreatedAt/qCreatedAt" if "fCreatedAt" in fr else "qCreatedAt",
               "resolve_by": "resolveBy", "outcome": "resolution", "resolved_on": "resolvedAt"}
    extra = [_problem_frame(c("questionTitle").str.strip() == "", fr, "questionTitle",
                            "missing_question", "questionTitle is empty", c("questionTitle"))]
    return _Staged(frame=fr, fields=fields, columns=columns, outcome_map=_FATEBOOK_OUTCOMES,
                   percent=True, us_dates=True, skipped=skipped, extra_problems=extra,
                   tags=_list_cells(c("tags")) if "tags" in fr else None)


#: Normalized field → column names the ``generic`` preset recognises (compared without case,
#: spaces, dots, hyphens or underscores; first match wins).
GENERIC_COLUMNS: dict[str, list[str]] = {
    "question_text": ["question", "question_text", "question_title", "title", "proposition"],
    "question_id": ["question_id", "qid", "questionid"],
    "question_url": ["question_url", "url", "link"],
    "forecaster_id": ["forecaster", "forecaster_id", "user", "user_id", "username", "author",
                      "claimant"],
    "probability": ["probability", "forecast", "prediction", "prob", "p"],
    "made_on": ["made_on", "created", "created_at", "forecast_date", "date", "timestamp"],
    "resolve_by": ["resolve_by", "deadline", "close_time", "close_date", "closes", "due"],
    "outcome": ["outcome", "resolution", "verdict", "result"],
    "resolved_on": ["resolved_on", "resolved_at", "resolve_time", "resolution_date"],
    "tags": ["tags"],
    "notes": ["notes", "note"],
}
_GENERIC_OUTCOMES = {"1": "true", "1.0": "true", "true": "true", "yes": "true", "y": "true",
                     "0": "false", "0.0": "false", "false": "false", "no": "false", "n": "false",
                     "ambiguous": "ambiguous", "annulled": "ambiguous", "-1": "ambiguous",
                     "": "", "open": "", "unresolved": ""}  # fmt: skip


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", str(name).lower())


def _read_generic(paths: list[Path], questions: object, forecaster: str | None) -> _Staged:
    """One CSV, one row per forecast, columns by common names (:data:`GENERIC_COLUMNS`)."""
    fr = _concat_files(paths)
    by_norm: dict[str, str] = {}
    for col in fr.columns:
        if col not in ("_line", "_file"):
            by_norm.setdefault(_norm(col), col)
    found: dict[str, str] = {}
    for fld, names in GENERIC_COLUMNS.items():
        for n in names:
            if _norm(n) in by_norm and by_norm[_norm(n)] not in found.values():
                found[fld] = by_norm[_norm(n)]
                break
    needed = ["question_text", "probability", "made_on"]
    if not forecaster:
        needed.append("forecaster_id")
    missing = [n for n in needed if n not in found]
    if missing:
        raise ClaimFileError(f"no column for {', '.join(missing)}", file=paths[0],
                             hint=f"the file has: {', '.join(by_norm.values())}")
    fields = {k: fr[v] for k, v in found.items() if k != "tags"}
    if "forecaster_id" not in fields:
        fields["forecaster_id"] = pd.Series(forecaster, index=fr.index, dtype="string")
        found["forecaster_id"] = "--forecaster"
    if "question_id" not in fields:
        fields["question_id"] = _hash_ids(fields["question_text"]).str.replace("fb-", "q-")
        found["question_id"] = found["question_text"]
    extra = [_problem_frame(fields["question_text"].str.strip() == "", fr,
                            found["question_text"], "missing_question",
                            f"{found['question_text']} is empty", fields["question_text"])]
    tags = _list_cells(fr[found["tags"]]) if "tags" in found else None
    return _Staged(frame=fr, fields=fields, columns=found, outcome_map=_GENERIC_OUTCOMES,
                   extra_problems=extra, tags=tags)


_Reader = Callable[[list[Path], object, "str | None"], _Staged]

#: Preset name → reader of that tracker's files (each returns the staged text fields).
PRESETS: dict[str, _Reader] = {
    "predictionbook": _read_predictionbook,
    "gjp": _read_gjp,
    "metaculus": _read_metaculus,
    "fatebook": _read_fatebook,
    "generic": _read_generic,
}


def read_preset(
    name: str,
    file: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    questions: str | os.PathLike[str] | None = None,
    forecaster: str | None = None,
) -> PresetRead:
    """Read a tracker's export with the preset ``name`` into one normalized table.

    Parameters
    ----------
    name:
        A key of :data:`PRESETS`: ``predictionbook``, ``gjp``, ``metaculus``, ``fatebook`` or
        ``generic``.
    file:
        The forecasts file (``public.csv[.zip]``, ``survey_fcasts.yr1.csv``,
        ``forecast_data.csv``, a Fatebook CSV), or several files of the same format (the GJP
        years), read as one.
    questions:
        The questions file (``questions.csv``, ``ifps.csv``, ``question_data.csv``); default:
        the file of that name beside ``file``.
    forecaster:
        Whose forecasts a file without a forecaster column holds (Fatebook's import format).

    Returns
    -------
    PresetRead
        ``forecasts`` (the good rows), ``problems`` (every bad value, all at once),
        ``skipped`` (rows left out by a documented rule) and ``rejected`` (the bad rows as read).

    Raises
    ------
    ParameterError
        For an unknown preset, a missing questions file or a missing ``forecaster``.
    ClaimFileError
        For a file that cannot be read or lacks the format's columns.
    """
    reader = PRESETS.get(name)
    if reader is None:
        raise ParameterError(f"unknown preset '{name}'", field="from",
                             hint=f"presets: {', '.join(PRESETS)}")
    staged = reader(_as_paths(file), questions, forecaster)
    return _normalize(name, staged)


# ---------------------------------------------------------------------------------------------
# Messages


def summarize_problems(problems: pd.DataFrame | Sequence[dict[str, object]],
                       max_examples: int = 5) -> list[str]:
    """One line per kind of problem, grouped by file, column and what is wrong.

    ``public.csv: 613 rows: close_time before timestamp (lines 12, 40, 77, ...; e.g.
    '2008-06-19 10:00:00+00:00'); fix the dates or pass --skip-bad-rows``. Groups come in the
    order of their first line; each names how many rows, the first ``max_examples`` lines and
    values.
    """
    frame = problems if isinstance(problems, pd.DataFrame) else pd.DataFrame(list(problems))
    if frame.empty:
        return []
    frame = frame.sort_values(["file", "line"], kind="stable")
    lines: list[tuple[tuple[str, int], str]] = []
    for (file, kind, detail), group in frame.groupby(["file", "kind", "detail"], sort=False):
        rows = group["line"].drop_duplicates()
        n = len(rows)
        shown = ", ".join(str(int(v)) for v in rows.iloc[:max_examples])
        more = ", ..." if n > max_examples else ""
        values = [str(v) for v in group["value"].astype("string").fillna("").unique()
                  if str(v) != ""][: min(max_examples, 3)]
        examples = f"; e.g. {', '.join(repr(v) for v in values)}" if values else ""
        word = "line" if n == 1 else "lines"
        hint = PROBLEM_HINTS.get(str(kind), "fix the rows")
        noun = "row" if n == 1 else "rows"
        text = (f"{file}: {n} {noun}: {detail} ({word} {shown}{more}{examples}); "
                f"{hint} or pass --skip-bad-rows")
        lines.append(((str(file), int(rows.iloc[0])), text))
    lines.sort(key=lambda item: item[0])
    return [text for _, text in lines]
