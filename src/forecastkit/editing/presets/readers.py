"""One reader per tracker format: its real columns and value encodings (sources in the
package docstring and ``docs/import-formats.md``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.editing.presets.dates import parse_dates
from forecastkit.editing.presets.table import (
    _bad_question_rows,
    _beside,
    _concat_files,
    _missing_question,
    _problem_frame,
    _question_lookup,
    _read_csv,
    _require,
    _Staged,
    _take,
)
from forecastkit.errors import ClaimFileError, ParameterError

# ---------------------------------------------------------------------------------------------
# Presets


_PB_OUTCOMES = {"1": "true", "1.0": "true", "0": "false", "0.0": "false",
                "-1": "ambiguous", "-1.0": "ambiguous", "": ""}  # fmt: skip


def _read_predictionbook(paths: list[Path], questions: object, forecaster: str | None) -> _Staged:
    """PredictionBook (iqisa dump): ``public.csv`` + ``questions.csv`` (see the module doc)."""
    fr = _concat_files(paths)
    _require(
        fr,
        ["question_id", "user_id", "probability", "timestamp", "close_time"],
        paths[0],
        "PredictionBook public.csv",
    )
    qpath = _beside(paths[0], ["questions.csv", "questions.csv.zip"], questions, "predictionbook")
    qs = _read_csv(qpath)
    _require(qs, ["question_id", "q_title"], qpath, "PredictionBook questions.csv")
    qid = fr["question_id"].str.strip()
    pos, extra, _ = _question_lookup(qid, qs, "question_id", qpath.name)
    title = _take(qs["q_title"], pos)
    extra.append(_missing_question(pos, fr, "question_id", fr["question_id"], qpath.name))
    extra.append(
        _problem_frame(
            (pos >= 0) & (title.str.strip() == ""),
            fr,
            "question_id",
            "missing_question",
            f"the question has no q_title in {qpath.name}",
            fr["question_id"],
        )
    )
    fields = {
        "question_id": qid, "question_text": title,
        "question_url": ("https://predictionbook.com/predictions/" + qid).where(qid != "", ""),
        "forecaster_id": fr["user_id"], "probability": fr["probability"],
        "made_on": fr["timestamp"], "resolve_by": fr["close_time"],
        "outcome": fr["outcome"] if "outcome" in fr else pd.Series("", index=fr.index),
        "resolved_on": (fr["resolve_time"] if "resolve_time" in fr
                        else pd.Series("", index=fr.index)),
    }  # fmt: skip
    columns = {
        "question_id": "question_id",
        "forecaster_id": "user_id",
        "probability": "probability",
        "made_on": "timestamp",
        "resolve_by": "close_time",
        "outcome": "outcome",
        "resolved_on": "resolve_time",
    }
    return _Staged(
        frame=fr, fields=fields, columns=columns, outcome_map=_PB_OUTCOMES, extra_problems=extra
    )


def _read_gjp(paths: list[Path], questions: object, forecaster: str | None) -> _Staged:
    """Good Judgment Project: ``survey_fcasts.yr*.csv`` + ``ifps.csv`` (see the module doc)."""
    fr = _concat_files(paths)
    _require(
        fr,
        ["ifp_id", "user_id", "answer_option", "value", "fcast_date"],
        paths[0],
        "GJP survey_fcasts",
    )
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
    skipped.append(
        (
            name,
            "forecast rows on questions that are not binary (n_opts is not 2)",
            int(nonbinary.sum()),
        )
    )
    option = fr["answer_option"].str.strip().str.lower()
    second = binary & (option != "a")
    skipped.append(
        (
            name,
            "rows on a binary question's other option (its probability is 1 - that of option a)",
            int(second.sum()),
        )
    )
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
    status = (
        qs["q_status"].str.strip().str.lower()
        if "q_status" in qs
        else pd.Series("", index=qs.index)
    )
    qn = pd.to_numeric(qs["n_opts"], errors="coerce")
    qbinary = qn == 2
    badout = qbinary & ~qout.isin(["a", "b", ""]) & (status != "voided")
    qproblems.append(
        _problem_frame(
            badout, q, "outcome", "bad_outcome", "outcome is not a, b or empty", qs["outcome"]
        )
    )
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
    closed = (
        _take(qs["date_closed"], pos) if "date_closed" in qs else pd.Series("", index=fr.index)
    ).where(good_q, "")
    fields = {
        "question_id": ifp, "question_text": _take(qs["q_text"], pos),
        "forecaster_id": fr["user_id"], "probability": fr["value"],
        "made_on": fr["fcast_date"], "resolve_by": deadline,
        "outcome": outcome.where(good_q, ""), "resolved_on": closed,
    }  # fmt: skip
    columns = {
        "question_id": "ifp_id",
        "forecaster_id": "user_id",
        "probability": "value",
        "made_on": "fcast_date",
        "resolve_by": f"{deadline_col} ({qpath.name})",
        "outcome": f"outcome ({qpath.name})",
        "resolved_on": f"date_closed ({qpath.name})",
    }
    return _Staged(
        frame=fr,
        fields=fields,
        columns=columns,
        us_dates=True,
        outcome_map={"a": "true", "b": "false", "voided": "ambiguous", "": ""},
        extra_problems=extra,
        skipped=skipped,
    )


_METACULUS_AGGREGATES = {
    "recency_weighted",
    "unweighted",
    "single_aggregation",
    "metaculus_prediction",
    "geometric_means",
    "community_prediction",
}
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
    _require(
        fr,
        ["Question ID", "Forecaster Username", "Start Time", "Probability Yes"],
        paths[0],
        "Metaculus forecast_data.csv",
    )
    qpath = _beside(paths[0], ["question_data.csv"], questions, "metaculus")
    qs = _read_csv(qpath)
    _require(
        qs, ["Question ID", "Question Title", "Question Type"], qpath, "Metaculus question_data.csv"
    )
    name = paths[0].name
    skipped: list[tuple[str, str, int]] = []
    user = fr["Forecaster Username"].str.strip()
    if "Forecaster ID" in fr:
        aggregate = (fr["Forecaster ID"].str.strip() == "") & (user != "")
        aggregate |= user.str.lower().isin(_METACULUS_AGGREGATES) & (
            fr["Forecaster ID"].str.strip() == ""
        )
    else:
        aggregate = user.str.lower().isin(_METACULUS_AGGREGATES)
    skipped.append(
        (
            name,
            "aggregate forecasts (no Forecaster ID; e.g. recency_weighted)",
            int(aggregate.sum()),
        )
    )
    fr = fr.loc[~aggregate]
    qid = fr["Question ID"].str.strip()
    pos, extra, _ = _question_lookup(qid, qs, "Question ID", qpath.name)
    qtype = _take(qs["Question Type"], pos).str.strip().str.lower()
    nonbinary = (pos >= 0) & (qtype != "binary")
    for t in sorted(set(qtype[nonbinary])):
        skipped.append(
            (
                name,
                f"forecasts on {t or 'untyped'} questions (not binary)",
                int((nonbinary & (qtype == t)).sum()),
            )
        )
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
    columns = {
        "question_id": "Question ID",
        "forecaster_id": "Forecaster ID",
        "probability": "Probability Yes",
        "made_on": "Start Time",
        "resolve_by": f"Scheduled Close Time ({qpath.name})",
        "outcome": f"Resolution ({qpath.name})",
        "resolved_on": f"Resolution Known Time ({qpath.name})",
    }
    tags = _list_cells(q("Categories")) if "Categories" in qs else None
    return _Staged(
        frame=fr,
        fields=fields,
        columns=columns,
        outcome_map=_METACULUS_OUTCOMES,
        extra_problems=extra,
        skipped=skipped,
        tags=tags,
    )


_FATEBOOK_OUTCOMES = {"yes": "true", "no": "false", "ambiguous": "ambiguous", "": ""}
_FATEBOOK_EXPORT = [
    "Question title",
    "Forecast created by",
    "Forecast (scale = 0-1)",
    "Forecast created at",
    "Question created at",
]
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
        skipped.append((name, "forecasts on multiple-choice options (not binary)", int(mcq.sum())))
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
        columns = {
            "question_id": "Question title",
            "forecaster_id": "Forecast created by",
            "probability": "Forecast (scale = 0-1)",
            "made_on": "Forecast created at",
            "resolve_by": "Question resolve by",
            "outcome": "Resolution",
            "resolved_on": "Resolved at",
        }
        tags_col = next((t for t in ("Tags", "Question tags") if t in fr), None)
        tags = _list_cells(fr[tags_col]) if tags_col else None
        return _Staged(
            frame=fr,
            fields=fields,
            columns=columns,
            outcome_map=_FATEBOOK_OUTCOMES,
            skipped=skipped,
            tags=tags,
        )
    _require(fr, _FATEBOOK_IMPORT, paths[0], "Fatebook export or Fatebook CSV-import")
    who_col = next((w for w in ("forecaster", "Forecast created by") if w in fr), None)
    if who_col is None and not forecaster:
        raise ParameterError(
            f"{name} has no forecaster column",
            field="forecaster",
            hint="give --forecaster NAME: whose forecasts these are",
        )
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
    columns = {
        "question_id": "questionTitle",
        "forecaster_id": who_col or "--forecaster",
        "probability": "forecast",
        "made_on": "fCreatedAt/qCreatedAt" if "fCreatedAt" in fr else "qCreatedAt",
        "resolve_by": "resolveBy",
        "outcome": "resolution",
        "resolved_on": "resolvedAt",
    }
    extra = [
        _problem_frame(
            c("questionTitle").str.strip() == "",
            fr,
            "questionTitle",
            "missing_question",
            "questionTitle is empty",
            c("questionTitle"),
        )
    ]
    return _Staged(
        frame=fr,
        fields=fields,
        columns=columns,
        outcome_map=_FATEBOOK_OUTCOMES,
        percent=True,
        us_dates=True,
        skipped=skipped,
        extra_problems=extra,
        tags=_list_cells(c("tags")) if "tags" in fr else None,
    )


#: Normalized field → column names the ``generic`` preset recognises (compared without case,
#: spaces, dots, hyphens or underscores; first match wins).
GENERIC_COLUMNS: dict[str, list[str]] = {
    "question_text": ["question", "question_text", "question_title", "title", "proposition"],
    "question_id": ["question_id", "qid", "questionid"],
    "question_url": ["question_url", "url", "link"],
    "forecaster_id": [
        "forecaster",
        "forecaster_id",
        "user",
        "user_id",
        "username",
        "author",
        "claimant",
    ],
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
        raise ClaimFileError(
            f"no column for {', '.join(missing)}",
            file=paths[0],
            hint=f"the file has: {', '.join(by_norm.values())}",
        )
    fields = {k: fr[v] for k, v in found.items() if k != "tags"}
    if "forecaster_id" not in fields:
        fields["forecaster_id"] = pd.Series(forecaster, index=fr.index, dtype="string")
        found["forecaster_id"] = "--forecaster"
    if "question_id" not in fields:
        fields["question_id"] = _hash_ids(fields["question_text"]).str.replace("fb-", "q-")
        found["question_id"] = found["question_text"]
    extra = [
        _problem_frame(
            fields["question_text"].str.strip() == "",
            fr,
            found["question_text"],
            "missing_question",
            f"{found['question_text']} is empty",
            fields["question_text"],
        )
    ]
    tags = _list_cells(fr[found["tags"]]) if "tags" in found else None
    return _Staged(
        frame=fr,
        fields=fields,
        columns=found,
        outcome_map=_GENERIC_OUTCOMES,
        extra_problems=extra,
        tags=tags,
    )


_Reader = Callable[[list[Path], object, "str | None"], _Staged]

#: Preset name → reader of that tracker's files (each returns the staged text fields).
PRESETS: dict[str, _Reader] = {
    "predictionbook": _read_predictionbook,
    "gjp": _read_gjp,
    "metaculus": _read_metaculus,
    "fatebook": _read_fatebook,
    "generic": _read_generic,
}
