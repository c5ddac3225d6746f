"""Dates as trackers write them, years 1 to 9999, parsed vectorised into ``datetime64[s]``.

Not ``pandas.to_datetime``, whose nanosecond unit ends in 2262 (PredictionBook has ``9999-12-31``
deadlines): ISO dates and timestamps (and US ``m/d/yy`` where a format asks), converted to their
UTC day; a value that is no calendar date is reported, never guessed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_EPOCH_DAY_MIN = -719162  # 0001-01-01 in days since 1970-01-01
_EPOCH_DAY_MAX = 2932896  # 9999-12-31
NAT = np.datetime64("NaT", "s")

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
_FAST_ISO = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
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
    return (
        matched,
        _int_column(g, "y", 1970),
        _int_column(g, "m", 1),
        _int_column(g, "d", 1),
        _int_column(g, "H", 0),
        _int_column(g, "M", 0),
        _int_column(g, "S", 0),
        _tz_seconds(g["tz"]),
    )


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
    stamps = np.where(good, stamps, NAT)
    dates = pd.Series(stamps, index=values.index, dtype="datetime64[s]")
    return dates, pd.Series(~good & ~empty, index=values.index)
