"""Reading and writing tabular claim files (CSV, Parquet) as text columns.

:func:`read_table` gives every column as text (``""`` for empty), whatever the file stored
(Parquet dates, lists and mappings become the text a CSV would hold), so that one set of checks
(:mod:`forecastkit.records.tabular_checks`) reads both formats; :func:`write_claim_table` writes
a claim table atomically in the house column order.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or Parquet file as text columns (``""`` for empty), ``probability`` as given."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            fast = _read_csv_arrow(path)
            if fast is not None:
                return fast
            _check_csv(path)
            return pd.read_csv(
                path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
            )
        if suffix in (".parquet", ".pq"):
            return _as_text(pd.read_parquet(path))
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise _read_problem(exc, path, suffix) from None
    raise ClaimFileError(
        f"unsupported file type '{suffix}'",
        file=path,
        hint="tabular claim files end in .csv or .parquet",
    )


_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _check_csv(path: Path) -> None:
    """The mistakes a spreadsheet makes, found before pandas reads the file, each named at its
    line: bytes that are not UTF-8, an empty file, a column named twice in the header."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClaimFileError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            file=path,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="save the table as CSV UTF-8 (in Excel: Save As, 'CSV UTF-8')",
        ) from None
    header = next(csv.reader(io.StringIO(text)), None)
    if not header or not any(h.strip() for h in header):
        raise ClaimFileError(
            "the table has no header row",
            file=path,
            line=1,
            hint="a claim table starts with its column names (docs/claim-format.md, 'Tables')",
        )
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ClaimFileError(
                f"column '{name}' appears twice in the header",
                file=path,
                line=1,
                field=name,
                hint="keep one column of each name",
            )
        seen.add(name)


#: A quoted CSV field from its opening quote to its closing one (a quote inside is doubled).
_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')
#: The rest of a field up to its separator (a quote in it is text, as pandas and csv read it).
_UNQUOTED = re.compile(r"[^,\r\n]*")


def unclosed_quote_line(text: str) -> int | None:
    r"""The 1-based line where the quoted field that never closes starts, else ``None``.

    pandas says only "EOF inside string starting at row N", a row that is not a line when
    values span lines. The fields are walked as the C parser reads them: a quote opens a value
    only at the start of a field, and ``""`` inside it is a quote.

    >>> unclosed_quote_line('a,b\n"x\ny",1\n"p,q\n3,4\n')
    4
    >>> unclosed_quote_line('a,b\n"x",1\n') is None
    True
    """
    pos, end = 0, len(text)
    while pos < end:
        if text[pos] == '"':
            closed = _QUOTED.match(text, pos)
            if closed is None:
                return text.count("\n", 0, pos) + 1
            pos = closed.end()
        pos = _UNQUOTED.match(text, pos).end()  # type: ignore[union-attr]  # * always matches
        pos += 2 if text.startswith("\r\n", pos) else 1
    return None


def _read_problem(exc: Exception, path: Path, suffix: str) -> ClaimFileError:
    """The one-line error for a table the readers refuse, at its line where one is known."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    fields = _FIELDS.search(first)
    if fields:
        want, line, saw = (int(g) for g in fields.groups())
        return ClaimFileError(
            f"the row has {saw} fields where the header has {want}",
            file=path,
            line=line,
            hint='put a value that holds a comma in double quotes ("a, b"), or remove the extra '
            "separators",
        )
    if "EOF inside string" in first:
        return ClaimFileError(
            "a quoted value starts here and is never closed: the file ends inside it",
            file=path,
            line=unclosed_quote_line(path.read_bytes().decode("utf-8-sig", errors="replace")),
            hint='close the quote ("), and write a quote inside a value as two ("")',
        )
    if suffix in (".parquet", ".pq") and not isinstance(exc, OSError | UnicodeDecodeError):
        return ClaimFileError(
            f"not a Parquet file pandas can read ({first})",
            file=path,
            hint="write the table again as Parquet, or save it as CSV",
        )
    return ClaimFileError(f"cannot read the table ({first})", file=path)


def _read_csv_arrow(path: Path) -> pd.DataFrame | None:
    """The CSV file as pandas reads it above, by pyarrow's reader (three times faster on the
    41 MB PredictionBook table, and on two cores); None for anything but a plain file (a
    duplicate or empty column name, a short row, bad UTF-8), which pandas then reads or refuses
    with its own message."""
    import pyarrow as pa
    import pyarrow.csv as pv

    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), None)
        if not header or len(set(header)) != len(header) or not all(header):
            return None
        table = pv.read_csv(
            path,
            read_options=pv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pv.ParseOptions(newlines_in_values=True),
            convert_options=pv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError, csv.Error):
        return None
    return table.to_pandas()


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


def write_claim_table(table: pd.DataFrame, path: Path) -> None:
    """Write a claim table as CSV or Parquet (by suffix), atomically; columns in house order."""
    from forecastkit.records.atomic import write_bytes_atomic
    from forecastkit.records.tabular_checks import TABLE_COLUMNS

    cols = [c for c in TABLE_COLUMNS if c in table.columns]
    out = table[cols]
    buffer = io.BytesIO()
    if path.suffix.lower() == ".csv":
        buffer.write(out.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    else:
        out.to_parquet(buffer, index=False)
    write_bytes_atomic(path, buffer.getvalue())
