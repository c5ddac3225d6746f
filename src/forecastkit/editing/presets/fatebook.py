"""Fatebook: its export (``lib/web/export.ts``) and its spreadsheet-import format.

The export has one row per forecast, and a multiple-choice question one row per option of a
forecast (``Multiple choice option``, that option's ``Forecast (scale = 0-1)`` and its
``Resolution``, YES or NO). The rows of one forecast share the forecaster and ``Forecast created
at``; they become one forecast with a probability per option. Fatebook resolves such a question
to one of its options, ``OTHER`` or ``AMBIGUOUS`` (``components/questions/question-types/
MultiChoiceResolutionOptions.tsx``), so each question gets the option ``other`` as well, whose
probability is what the forecast leaves to the named options (1 minus their sum).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.editing.presets.cells import hash_ids, list_cells
from forecastkit.editing.presets.table import (
    QUESTION_COLUMNS,
    Staged,
    concat_files,
    problem_frame,
    require_columns,
)
from forecastkit.editing.presets.typed import collapse_options, float_text, option_labels
from forecastkit.errors import ParameterError

_FATEBOOK_OUTCOMES = {"yes": "true", "no": "false", "ambiguous": "ambiguous", "": ""}
_FATEBOOK_EXPORT = [
    "Question title",
    "Forecast created by",
    "Forecast (scale = 0-1)",
    "Forecast created at",
    "Question created at",
]
_FATEBOOK_IMPORT = ["questionTitle", "forecast", "qCreatedAt", "resolution"]


def read_fatebook(paths: list[Path], questions: object, forecaster: str | None) -> Staged:
    """Fatebook: its export or its spreadsheet-import format (see the module doc)."""
    fr = concat_files(paths)
    name = paths[0].name
    skipped: list[tuple[str, str, int]] = []
    empty = pd.Series("", index=fr.index, dtype="string")

    def c(col: str) -> pd.Series:
        return fr[col] if col in fr else empty

    if all(col in fr for col in _FATEBOOK_EXPORT):
        who = c("Forecast created by")
        if forecaster:
            who = who.where(who.str.strip() != "", forecaster)
        qid = hash_ids(c("Question title"), c("Question created at"))
        typed, qtable, dropped, extra = _multiple_choice(fr, qid, who)
        fr = fr.loc[typed["question_type"].index]
        empty, who, qid = empty[fr.index], who[fr.index], qid[fr.index]
        outcome = c("Resolution").where(typed["question_type"] == "binary", "")
        outcome = outcome.where(typed["outcome_option"] != "ambiguous", "ambiguous")
        typed["outcome_option"] = typed["outcome_option"].where(
            typed["outcome_option"] != "ambiguous", ""
        )
        notes = c("Question notes")
        fields = {
            "question_id": qid,
            "question_text": c("Question title"), "forecaster_id": who,
            "probability": c("Forecast (scale = 0-1)").where(typed["question_type"] == "binary", ""),
            "made_on": c("Forecast created at"),
            "resolve_by": c("Question resolve by"), "outcome": outcome,
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
        tags = list_cells(fr[tags_col]) if tags_col else None
        return Staged(
            frame=fr,
            fields=fields,
            columns=columns,
            outcome_map=_FATEBOOK_OUTCOMES,
            skipped=skipped,
            tags=tags,
            typed=typed,
            questions=qtable,
            dropped=dropped,
            extra_problems=extra,
        )
    require_columns(fr, _FATEBOOK_IMPORT, paths[0], "Fatebook export or Fatebook CSV-import")
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
        "question_id": hash_ids(c("questionTitle"), c("qCreatedAt")),
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
        problem_frame(
            c("questionTitle").str.strip() == "",
            fr,
            "questionTitle",
            "missing_question",
            "questionTitle is empty",
            c("questionTitle"),
        )
    ]
    return Staged(
        frame=fr,
        fields=fields,
        columns=columns,
        outcome_map=_FATEBOOK_OUTCOMES,
        percent=True,
        us_dates=True,
        skipped=skipped,
        extra_problems=extra,
        tags=list_cells(c("tags")) if "tags" in fr else None,
    )


def _multiple_choice(
    fr: pd.DataFrame, qid: pd.Series, who: pd.Series
) -> tuple[dict[str, pd.Series], pd.DataFrame, pd.DataFrame | None, list[pd.DataFrame]]:
    """The export's option rows as one forecast each (see the module doc).

    Returns the typed fields of the rows kept (binary rows and each forecast's first option
    row), the questions table, the rows of bad forecasts, and the problems.
    """
    option = fr["Multiple choice option"].str.strip() if "Multiple choice option" in fr else None
    binary_type = pd.Series("binary", index=fr.index, dtype="string")
    blank = pd.Series("", index=fr.index, dtype="string")
    if option is None or not (option != "").any():
        return (
            {"question_type": binary_type, "probabilities": blank, "outcome_option": blank},
            (pd.DataFrame(columns=QUESTION_COLUMNS)),
            None,
            [],
        )
    mcq = option != ""
    # a question is multiple choice if any of its rows names an option
    mc_questions = set(qid[mcq])
    on_mc = qid.isin(mc_questions)
    sub = fr.loc[on_mc]
    sq, sopt = qid[on_mc], option[on_mc]
    names_of = {q: list(dict.fromkeys(g)) for q, g in sopt[sopt != ""].groupby(sq[sopt != ""])}
    labels_of = {q: [*option_labels(n), "other"] for q, n in names_of.items()}
    for q, labs in labels_of.items():  # a named option called "other" keeps its own label
        if labs.count("other") > 1:
            labels_of[q] = [*labs[:-1], "other-remainder"]
    label = [
        dict(zip(names_of.get(q, []), labels_of.get(q, []), strict=False)).get(o)
        for q, o in zip(sq, sopt, strict=True)
    ]
    key = sq + "\x1f" + who[on_mc].str.strip() + "\x1f" + sub["Forecast created at"].str.strip()
    p = pd.to_numeric(sub["Forecast (scale = 0-1)"].str.strip(), errors="coerce")
    long = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "question_id": sq.to_numpy(),
            "label": label,
            "option_text": sopt.to_numpy(),
            "value": sub["Forecast (scale = 0-1)"].to_numpy(),
            "_row": sub.index.to_numpy(),
            "_file": sub["_file"].to_numpy(),
            "_line": sub["_line"].to_numpy(),
        }
    )
    # the remainder: one more row per forecast for "other" (negative when the options sum
    # past 1, which the sum check then reports)
    firsts = long.drop_duplicates("key")
    total = p.groupby(key.to_numpy(), sort=False).sum(min_count=1)
    rest = firsts.assign(
        label=[labels_of[q][-1] for q in firsts["question_id"]],
        option_text="(the rest)",
        value=float_text(np.round(1.0 - total.loc[firsts["key"]].to_numpy(dtype=float), 12)),
    )
    rest["value"] = np.where(rest["value"].astype(str).str.startswith("-"), "0.0", rest["value"])
    long = pd.concat([long, rest], ignore_index=True)
    probs, problems, bad_rows = collapse_options(
        long, labels_of, option_column="Multiple choice option",
        value_column="Forecast (scale = 0-1)",
    )  # fmt: skip
    bad = set(bad_rows.tolist())
    good_first = firsts[firsts["key"].isin(probs.index)]
    keep = fr.index[~on_mc.to_numpy()].union(pd.Index(good_first["_row"]))
    keep = fr.index[fr.index.isin(keep)]
    qtype = binary_type.copy()
    qtype[on_mc] = "multiple_choice"
    probabilities = blank.copy()
    probabilities.loc[good_first["_row"].to_numpy()] = probs.loc[good_first["key"]].to_numpy()
    # the outcome: the option resolved YES, else OTHER (or every option NO), else AMBIGUOUS
    res = sub["Resolution"].str.strip().str.upper() if "Resolution" in sub else blank[on_mc]
    answer = {}
    for q, g in res.groupby(sq, sort=False):
        rows = g.index
        yes = [lab for lab, r in zip(np.asarray(label, dtype=object)[sq.index.get_indexer(rows)],
                                     g, strict=True) if r == "YES" and lab]  # fmt: skip
        if yes:
            answer[q] = yes[0]
        elif (g == "AMBIGUOUS").any():
            answer[q] = "ambiguous"
        elif (g == "OTHER").any() or (len(g) and (g == "NO").all()):
            answer[q] = labels_of[q][-1]
    option_out = blank.copy()
    option_out[on_mc] = [answer.get(q, "") for q in sq]
    qtable = pd.DataFrame(
        [
            {
                "question_id": q, "question_type": "multiple_choice",
                "options": json.dumps(labels_of[q]), "ordered": False,
                "option_names": json.dumps([*names_of[q], "(other)"]),
            }
            for q in labels_of
        ],
        columns=QUESTION_COLUMNS,
    )  # fmt: skip
    dropped = fr.loc[fr.index.isin(list(bad))].assign(
        problems="a multiple-choice forecast with a bad option row (see the messages)"
    )
    typed = {
        "question_type": qtype[keep],
        "probabilities": probabilities[keep],
        "outcome_option": option_out[keep],
    }
    return typed, qtable, dropped if len(dropped) else None, problems
