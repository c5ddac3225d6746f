"""The normalized table every preset returns, its bad rows, and the messages about them."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.editing.presets.dates import NAT, parse_dates
from forecastkit.editing.presets.messages import summarize_problems
from forecastkit.errors import ClaimFileError, ParameterError

#: The columns of :attr:`PresetRead.forecasts`, in order.
FORECAST_COLUMNS = [
    "question_id", "question_text", "question_url", "forecaster_id", "forecaster_name",
    "probability", "made_on", "resolve_by", "outcome", "resolved_on", "tags", "notes",
    "source_row", "source_file",
    # question types beyond binary (docs/question-types.md) and who forecast
    "question_type", "probabilities", "cdf", "outcome_option", "outcome_value",
    "forecaster_kind", "team",
]  # fmt: skip
#: The columns of :attr:`PresetRead.questions`: one row per question beyond binary.
QUESTION_COLUMNS = ["question_id", "question_type", "options", "ordered", "unit", "lower",
                    "upper", "open_lower", "open_upper", "option_names"]  # fmt: skip
#: The normalized fields of a forecast beyond binary (text, "" when not given).
TYPED_FIELDS = ["question_type", "probabilities", "cdf", "outcome_option", "outcome_value",
                "forecaster_kind", "team"]  # fmt: skip
#: The columns of :attr:`PresetRead.problems`: one row per bad value.
PROBLEM_COLUMNS = ["file", "line", "column", "kind", "detail", "value"]
#: The columns of :attr:`PresetRead.skipped`: rows left out by a documented rule.
SKIPPED_COLUMNS = ["file", "reason", "rows"]

_DATE_FIELDS = ("made_on", "resolve_by", "resolved_on")


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
        line 1). ``question_type`` is ``binary`` (``probability`` holds the forecast),
        ``multiple_choice`` (``probabilities``: a JSON object, option label: p; ``probability``
        NaN) or ``numeric``/``date`` (``cdf``: JSON ``{"x": [...], "p": [...]}``); the outcome of
        such a question is ``outcome_option`` or ``outcome_value`` (its ``outcome`` is then
        ``'resolved'``). ``forecaster_kind`` is ``person`` or ``crowd`` (an aggregate such as
        the Metaculus community prediction); ``team`` the source's team, ``<NA>`` if none.
    questions:
        One row per question beyond binary (columns :data:`QUESTION_COLUMNS`): its type, its
        option labels (a JSON list) and their names as the source writes them, ``ordered``,
        the bounds of a numeric or date question.
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
    questions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=QUESTION_COLUMNS))

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
# Reading files


def as_paths(file: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    if isinstance(file, (str, os.PathLike)):
        return [Path(file)]
    paths = [Path(f) for f in file]
    if not paths:
        raise ParameterError("no file given", field="file")
    return paths


def read_export_csv(path: Path) -> pd.DataFrame:
    """Every column as text ('' for empty), with ``_line``: the 1-based line each row starts on.

    Zip/gzip files are read through (``public.csv.zip``); UTF-8 (with or without BOM), else
    Latin-1 (GJP's ``ifps.csv`` has stray non-UTF-8 bytes). Blank lines are dropped after the
    line numbers are counted, so a number always names the row's first line in the file.
    """
    if path.is_dir():
        raise ClaimFileError(
            "is a folder, not a file", file=path, hint="give the tracker's CSV file"
        )
    if not path.is_file():
        raise ClaimFileError("no such file", file=path, hint="check the path of the export")
    frame = None
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                encoding=encoding,
                skip_blank_lines=False,
                compression="infer",
            )
            break
        except UnicodeDecodeError:
            continue
        except (ValueError, OSError, EOFError, zipfile.BadZipFile, pd.errors.ParserError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ClaimFileError(
                f"cannot read the file ({message})",
                file=path,
                hint="is it really a CSV file (or a zip holding one)?",
            ) from None
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


def require_columns(frame: pd.DataFrame, columns: Sequence[str], path: Path, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ClaimFileError(
            f"not a {what} file: no column {', '.join(repr(c) for c in missing)}",
            file=path,
            hint=f"the file has: "
            f"{', '.join(c for c in frame.columns if c not in ('_line', '_file'))}",
        )


def file_beside(path: Path, names: Sequence[str], given: object, preset: str) -> Path:
    if given is not None:
        return Path(given)  # type: ignore[arg-type]
    for name in names:
        candidate = path.parent / name
        if candidate.is_file():
            return candidate
    raise ParameterError(
        f"the {preset} preset needs the questions file ({names[0]})",
        field="questions",
        hint=f"give --questions FILE, or put {names[0]} beside {path.name}",
    )


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
class Staged:
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
    # beyond binary: the typed fields (TYPED_FIELDS, text) of each row, the questions table,
    # and raw rows a reader already dropped as bad (with _file, _line and problems)
    typed: dict[str, pd.Series] = field(default_factory=dict)
    questions: pd.DataFrame | None = None
    dropped: pd.DataFrame | None = None


def problem_frame(
    mask: pd.Series | np.ndarray,
    frame: pd.DataFrame,
    column: str,
    kind: str,
    detail: str,
    values: pd.Series | None,
) -> pd.DataFrame:
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
    return pd.DataFrame(
        {
            "file": pd.Series(dtype="string"),
            "line": pd.Series(dtype="int64"),
            "column": pd.Series(dtype="string"),
            "kind": pd.Series(dtype="string"),
            "detail": pd.Series(dtype="string"),
            "value": pd.Series(dtype="string"),
        }
    )


def normalize_staged(preset: str, st: Staged) -> PresetRead:
    fr = st.frame
    f = {k: v.astype("string").fillna("").str.strip() for k, v in st.fields.items()}
    col = st.columns
    problems: list[pd.DataFrame] = list(st.extra_problems)

    def add(
        mask: pd.Series | np.ndarray,
        field_: str,
        kind: str,
        detail: str,
        values: pd.Series | None = None,
    ) -> None:
        problems.append(
            problem_frame(
                mask,
                fr,
                col.get(field_, field_),
                kind,
                detail,
                f[field_] if values is None and field_ in f else values,
            )
        )

    # the readers write the JSON cells themselves: only the short fields need stripping
    typed = {
        k: v.fillna("")
        if k in ("probabilities", "cdf")
        else v.astype("string").fillna("").str.strip()
        for k, v in st.typed.items()
    }
    qtype = typed.get("question_type", pd.Series("", index=fr.index, dtype="string"))
    binary = ((qtype == "") | (qtype == "binary")).to_numpy()
    # required text
    for name, kind, what in (
        ("question_id", "missing_question", "no question id"),
        ("forecaster_id", "missing_value", "no forecaster"),
        ("probability", "missing_value", "no probability"),
        ("made_on", "missing_value", "no date of the forecast"),
    ):
        empty = (f[name] == "").to_numpy() & (binary if name == "probability" else True)
        add(empty, name, kind, f"{col.get(name, name)} is empty: {what}")
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
            dates[name] = pd.Series(NAT, index=fr.index, dtype="datetime64[s]")
    before = (dates["resolve_by"] < dates["made_on"]).to_numpy(dtype=bool, na_value=False)
    add(
        before,
        "resolve_by",
        "deadline_before_forecast",
        f"{col.get('resolve_by')} before {col.get('made_on')}",
    )
    # outcome
    outcome = pd.Series(pd.NA, index=fr.index, dtype="string")
    if "outcome" in f:
        words = f["outcome"].str.lower()
        mapped = words.map(st.outcome_map)
        none = pd.Series("", index=fr.index, dtype="string")
        answered = (typed.get("outcome_option", none) != "") | (
            typed.get("outcome_value", none) != ""
        )
        mapped = mapped.where(~answered.to_numpy(dtype=bool), "resolved")
        unknown = mapped.isna() & (words != "")
        add(unknown, "outcome", "bad_outcome", f"{col.get('outcome')} is not a known outcome")
        mapped = mapped.where(mapped != "")
        outcome = mapped.astype("string")
    resolved_on = dates["resolved_on"].where(outcome.notna().to_numpy(), NAT)

    problems = [p_ for p_ in problems if not p_.empty]
    allp = pd.concat(problems, ignore_index=True) if problems else _empty_problems()
    if not allp.empty:
        allp["line"] = allp["line"].astype("int64")
        allp = allp.sort_values(["file", "line", "column"], kind="stable").reset_index(drop=True)
    key = fr["_file"].astype(str) + ":" + fr["_line"].astype(str)
    bad_keys = (
        set(allp["file"].astype(str) + ":" + allp["line"].astype(str)) if len(allp) else set()
    )
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
    for c in TYPED_FIELDS:
        default = {"question_type": "binary", "forecaster_kind": "person"}.get(c, "")
        v = typed.get(c, pd.Series("", index=fr.index, dtype="string"))
        forecasts[c] = v.where(v != "", default) if default else v.where(v != "")
    forecasts.loc[~binary, "probability"] = np.nan
    for c in ("question_url", "notes", *TYPED_FIELDS):
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
    if st.dropped is not None and len(st.dropped):
        dropped = st.dropped.drop(columns=["_line", "_file"]).copy()
        dropped.insert(0, "source_row", st.dropped["_line"].to_numpy())
        dropped.insert(0, "source_file", st.dropped["_file"].to_numpy())
        rejected = pd.concat([rejected, dropped], ignore_index=True)
    skipped = pd.DataFrame(st.skipped, columns=SKIPPED_COLUMNS)
    if not skipped.empty:
        skipped = skipped[skipped["rows"] > 0].reset_index(drop=True)
        skipped["rows"] = skipped["rows"].astype("int64")
    questions = st.questions if st.questions is not None else pd.DataFrame(columns=QUESTION_COLUMNS)
    if len(questions):  # only the questions the good forecasts are on
        questions = questions[questions["question_id"].isin(forecasts["question_id"])]
        questions = questions.reset_index(drop=True)
    return PresetRead(
        preset=preset,
        forecasts=forecasts,
        problems=allp,
        skipped=skipped,
        rejected=rejected,
        questions=questions,
    )


def question_lookup(
    forecast_ids: pd.Series, questions: pd.DataFrame, key: str, qfile: str
) -> tuple[pd.Series, list[pd.DataFrame], pd.Series]:
    """Position of each forecast's question in ``questions`` (-1: none); duplicate ids in the
    questions file are problems (the first row is used)."""
    qids = questions[key].str.strip()
    dup = qids.duplicated(keep="first")
    problems = []
    if dup.any():
        q = questions.assign(_file=qfile)
        problems.append(
            problem_frame(dup, q, key, "bad_question", f"{key} appears twice in {qfile}", qids)
        )
    first = pd.Series(np.arange(len(qids))[~dup.to_numpy()], index=qids[~dup].to_numpy())
    pos = forecast_ids.map(first).fillna(-1).astype("int64")
    return pos, problems, qids


def take_at(series: pd.Series, pos: pd.Series) -> pd.Series:
    """``series`` (of a questions table) at positions ``pos`` (-1 -> '')."""
    arr = np.asarray(series.astype("string").fillna("").to_numpy(dtype=object), dtype=object)
    arr = np.append(arr, "")
    return pd.Series(arr[pos.to_numpy()], index=pos.index, dtype="string")


def missing_question_rows(
    pos: pd.Series, frame: pd.DataFrame, column: str, values: pd.Series, qfile: str
) -> pd.DataFrame:
    return problem_frame(
        (pos < 0) & (values.str.strip() != ""),
        frame,
        column,
        "missing_question",
        f"{column} not in {qfile}",
        values,
    )


def bad_question_rows(
    pos: pd.Series,
    bad_positions: np.ndarray,
    frame: pd.DataFrame,
    column: str,
    values: pd.Series,
    qfile: str,
) -> pd.DataFrame:
    if not len(bad_positions):
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    mask = pos.isin(bad_positions).to_numpy()
    return problem_frame(
        mask, frame, column, "bad_question", f"its question has a bad row in {qfile}", values
    )


def concat_files(paths: list[Path]) -> pd.DataFrame:
    frames = []
    for path in paths:
        fr = read_export_csv(path)
        fr["_file"] = path.name
        frames.append(fr)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
