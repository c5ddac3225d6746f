"""One reader per tracker format: its real columns and value encodings (sources in the
package docstring and ``docs/import-formats.md``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from forecastkit.editing.presets.cells import hash_ids, list_cells
from forecastkit.editing.presets.fatebook import read_fatebook
from forecastkit.editing.presets.gjp import read_gjp
from forecastkit.editing.presets.metaculus import read_metaculus
from forecastkit.editing.presets.table import (
    Staged,
    concat_files,
    file_beside,
    missing_question_rows,
    problem_frame,
    question_lookup,
    read_export_csv,
    require_columns,
    take_at,
)
from forecastkit.errors import ClaimFileError

# ---------------------------------------------------------------------------------------------
# Presets


_PB_OUTCOMES = {"1": "true", "1.0": "true", "0": "false", "0.0": "false",
                "-1": "ambiguous", "-1.0": "ambiguous", "": ""}  # fmt: skip


def _read_predictionbook(paths: list[Path], questions: object, forecaster: str | None) -> Staged:
    """PredictionBook (iqisa dump): ``public.csv`` + ``questions.csv`` (see the module doc)."""
    fr = concat_files(paths)
    require_columns(
        fr,
        ["question_id", "user_id", "probability", "timestamp", "close_time"],
        paths[0],
        "PredictionBook public.csv",
    )
    qpath = file_beside(
        paths[0], ["questions.csv", "questions.csv.zip"], questions, "predictionbook"
    )
    qs = read_export_csv(qpath)
    require_columns(qs, ["question_id", "q_title"], qpath, "PredictionBook questions.csv")
    qid = fr["question_id"].str.strip()
    pos, extra, _ = question_lookup(qid, qs, "question_id", qpath.name)
    title = take_at(qs["q_title"], pos)
    extra.append(missing_question_rows(pos, fr, "question_id", fr["question_id"], qpath.name))
    extra.append(
        problem_frame(
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
    return Staged(
        frame=fr, fields=fields, columns=columns, outcome_map=_PB_OUTCOMES, extra_problems=extra
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


def _read_generic(paths: list[Path], questions: object, forecaster: str | None) -> Staged:
    """One CSV, one row per forecast, columns by common names (:data:`GENERIC_COLUMNS`)."""
    fr = concat_files(paths)
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
        fields["question_id"] = hash_ids(fields["question_text"]).str.replace("fb-", "q-")
        found["question_id"] = found["question_text"]
    extra = [
        problem_frame(
            fields["question_text"].str.strip() == "",
            fr,
            found["question_text"],
            "missing_question",
            f"{found['question_text']} is empty",
            fields["question_text"],
        )
    ]
    tags = list_cells(fr[found["tags"]]) if "tags" in found else None
    return Staged(
        frame=fr,
        fields=fields,
        columns=found,
        outcome_map=_GENERIC_OUTCOMES,
        extra_problems=extra,
        tags=tags,
    )


_Reader = Callable[[list[Path], object, "str | None"], Staged]

#: Preset name → reader of that tracker's files (each returns the staged text fields).
PRESETS: dict[str, _Reader] = {
    "predictionbook": _read_predictionbook,
    "gjp": read_gjp,
    "metaculus": read_metaculus,
    "fatebook": read_fatebook,
    "generic": _read_generic,
}
