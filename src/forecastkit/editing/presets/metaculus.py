"""The Metaculus question data export (``forecast_data.csv`` + ``question_data.csv``).

Columns as the export's own README defines them (written by ``utils/csv_utils.py`` of
Metaculus/metaculus): a forecast's ``Probability Yes`` (binary), ``Probability Yes Per
Category`` (a list over ``MC Options (All)``, ``None`` where an option was not offered yet) or
``Continuous CDF`` (201 values at the question's ``Continuous Range``; numeric, discrete and
date questions). An aggregate row (no ``Forecaster ID``, the aggregation method such as
``recency_weighted`` as the username) is the community prediction: a claimant of kind
``crowd``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.editing.presets.cells import list_cells, parse_number_lists, text_list
from forecastkit.editing.presets.table import (
    QUESTION_COLUMNS,
    Staged,
    bad_question_rows,
    concat_files,
    file_beside,
    missing_question_rows,
    problem_frame,
    question_lookup,
    read_export_csv,
    require_columns,
    take_at,
)
from forecastkit.editing.presets.typed import check_cdfs, collapse_options, option_labels

_OUTCOMES = {"yes": "true", "no": "false", "ambiguous": "ambiguous", "annulled": "ambiguous",
             "": ""}  # fmt: skip
_CONTINUOUS = {"numeric": "numeric", "discrete": "numeric", "date": "date"}
_TYPES = {"binary", "multiple_choice", *_CONTINUOUS}
#: Resolutions of a continuous question outside its range: the value itself is not known.
_OUT_OF_RANGE = {"above_upper_bound", "below_lower_bound"}


def _grid(cell: str, qtype: str) -> tuple[str, int] | None:
    """The question's ``Continuous Range`` as JSON text and its size (None: not a grid)."""
    if qtype == "date":
        items = text_list(cell)
        ok = len(items) >= 2 and all(len(i) >= 10 and i[4] == "-" for i in items)
        days = [i[:10] for i in items]
        return (json.dumps(days), len(days)) if ok and days == sorted(set(days)) else None
    try:
        values = json.loads(str(cell).replace("None", "null"))
    except ValueError:
        return None
    if not isinstance(values, list) or len(values) < 2:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return None
    x = np.asarray(values, dtype=np.float64)
    return (json.dumps(x.tolist()), len(x)) if (np.diff(x) > 0).all() else None


def read_metaculus(paths: list[Path], questions: object, forecaster: str | None) -> Staged:
    """Metaculus: ``forecast_data.csv`` + ``question_data.csv`` (see the module doc)."""
    fr = concat_files(paths)
    anonymized = "Forecaster (Anonymized)"
    if anonymized in fr and "Forecaster Username" not in fr:
        # an anonymized export: a hash per user (sha256), the method's name per aggregate
        who = fr[anonymized].str.strip()
        fr["Forecaster Username"] = who
        fr["Forecaster ID"] = who.where(who.str.fullmatch(r"[0-9a-f]{64}"), "")
    for big in ("Continuous CDF", "Probability Yes Per Category"):  # long cells: copied by
        if big in fr:  # reference (object), not as text, whenever rows are selected
            fr[big] = fr[big].astype(object)
    require_columns(
        fr,
        ["Question ID", "Forecaster Username", "Start Time", "Probability Yes"],
        paths[0],
        "Metaculus forecast_data.csv",
    )
    qpath = file_beside(paths[0], ["question_data.csv"], questions, "metaculus")
    qs = read_export_csv(qpath)
    require_columns(
        qs, ["Question ID", "Question Title", "Question Type"], qpath, "Metaculus question_data.csv"
    )
    name = paths[0].name
    skipped: list[tuple[str, str, int]] = []
    empty = pd.Series("", index=fr.index, dtype="string")
    user = fr["Forecaster Username"].str.strip()
    fid_col = fr["Forecaster ID"].str.strip() if "Forecaster ID" in fr else empty
    crowd = (fid_col == "") & (user != "")
    qid = fr["Question ID"].str.strip()
    pos, extra, _ = question_lookup(qid, qs, "Question ID", qpath.name)
    qtype = take_at(qs["Question Type"], pos).str.strip().str.lower()
    unknown_type = (pos >= 0) & ~qtype.isin(list(_TYPES))
    for t in sorted(set(qtype[unknown_type])):
        skipped.append(
            (
                name,
                f"forecasts on {t or 'untyped'} questions",
                int((unknown_type & (qtype == t)).sum()),
            )
        )
    keep = ~unknown_type
    fr, pos, qid, qtype, crowd = fr.loc[keep], pos[keep], qid[keep], qtype[keep], crowd[keep]
    extra.append(missing_question_rows(pos, fr, "Question ID", fr["Question ID"], qpath.name))

    def q(col: str) -> pd.Series:
        return take_at(qs[col], pos) if col in qs else pd.Series("", index=fr.index, dtype="string")

    # the typed questions the forecasts are on: options, grids, bounds, outcomes
    qfile = qs.assign(_file=qpath.name)
    qtypes = qs["Question Type"].str.strip().str.lower()
    resolution = (
        qs["Resolution"].str.strip() if "Resolution" in qs else pd.Series("", index=qs.index)
    )
    used = set(pos[pos >= 0].tolist())
    rows, bad_q, bad_out = [], np.zeros(len(qs), bool), np.zeros(len(qs), bool)
    labels_of: dict[int, list[str]] = {}
    grid_of: dict[int, tuple[str, int]] = {}
    answer: dict[int, tuple[str, str]] = {}  # position -> (option, value)
    out_of_range = 0
    for k in sorted(used):
        t, res = qtypes.iat[k], resolution.iat[k]
        qid_k = qs["Question ID"].iat[k].strip()
        if t == "multiple_choice":
            col = (
                "MC Options (All)"
                if qs.get("MC Options (All)", pd.Series("")).iat[k]
                else "MC Options (Current)"
            )
            names = text_list(qs[col].iat[k]) if col in qs else []
            if len(names) < 2:
                bad_q[k] = True
                continue
            labels_of[k] = option_labels(names)
            by_name = dict(zip(names, labels_of[k], strict=True))
            if res and res.lower() not in ("ambiguous", "annulled"):
                if res in by_name:
                    answer[k] = (by_name[res], "")
                else:
                    bad_out[k] = True
            rows.append(
                {
                    "question_id": qid_k, "question_type": "multiple_choice",
                    "options": json.dumps(labels_of[k]), "ordered": False,
                    "option_names": json.dumps(names),
                }
            )  # fmt: skip
        elif t in _CONTINUOUS:
            kind = _CONTINUOUS[t]
            grid = _grid(qs["Continuous Range"].iat[k], kind) if "Continuous Range" in qs else None
            if grid is None:
                bad_q[k] = True
                continue
            grid_of[k] = grid
            x = json.loads(grid[0])

            def flag(col: str, k: int = k) -> bool | None:
                text = str(qs[col].iat[k]).strip().lower() if col in qs else ""
                return {"true": True, "false": False}.get(text)

            if res and res.lower() not in ("ambiguous", "annulled"):
                number = pd.to_numeric(res, errors="coerce") if kind == "numeric" else None
                value = res[:10] if kind == "date" else number
                if res.lower() in _OUT_OF_RANGE:
                    out_of_range += 1
                elif (kind == "date" and not (len(res) >= 10 and res[4] == "-")) or (
                    kind == "numeric" and pd.isna(number)
                ):
                    bad_out[k] = True
                elif (flag("Open Lower Bound") is False and value < x[0]) or (
                    flag("Open Upper Bound") is False and value > x[-1]
                ):
                    bad_out[k] = True  # beyond a closed bound: no value can be there
                else:
                    answer[k] = ("", res[:10] if kind == "date" else res)

            rows.append(
                {
                    "question_id": qid_k, "question_type": kind, "options": "", "ordered": False,
                    "unit": "", "lower": str(x[0]), "upper": str(x[-1]),
                    "open_lower": flag("Open Lower Bound"), "open_upper": flag("Open Upper Bound"),
                    "option_names": "",
                }
            )  # fmt: skip
    if out_of_range:
        skipped.append(
            (
                qpath.name,
                "resolutions above or below a continuous question's range (the value is not "
                "known): those questions are imported unresolved",
                out_of_range,
            )
        )
    is_mc_q = (qtypes == "multiple_choice").to_numpy()
    extra.append(
        problem_frame(
            bad_q & is_mc_q, qfile, "MC Options (All)", "bad_question",
            "the question lists fewer than two options", None,
        )
    )  # fmt: skip
    extra.append(
        problem_frame(
            bad_q & ~is_mc_q, qfile, "Continuous Range", "bad_question",
            "the question has no increasing grid of at least two points", None,
        )
    )  # fmt: skip
    extra.append(
        problem_frame(
            bad_out, qfile, "Resolution", "bad_outcome",
            "Resolution is not an option, a value within the closed bounds, or ambiguous/annulled",
            qs.get("Resolution"),
        )
    )  # fmt: skip
    bad_positions = np.flatnonzero(bad_q | bad_out)
    extra.append(
        bad_question_rows(pos, bad_positions, fr, "Question ID", fr["Question ID"], qpath.name)
    )

    typed_type = qtype.map(lambda t: _CONTINUOUS.get(t, t)).astype("string")
    probabilities = pd.Series("", index=fr.index, dtype=object)
    cdf = pd.Series("", index=fr.index, dtype=object)
    dropped = []
    # multiple choice: the list per row, over the question's options
    mc = (qtype == "multiple_choice") & pos.isin(list(labels_of))
    if mc.any():
        sub = fr.loc[mc]
        col = "Probability Yes Per Category"
        lists = parse_number_lists(sub[col] if col in sub else pd.Series("", index=sub.index))
        mpos = pos[mc].to_numpy()
        sizes = np.array([len(v) if v else 0 for v in lists], dtype=np.int64)
        n_opt = np.array([len(labels_of[k]) for k in mpos], dtype=np.int64)
        cells = sub[col] if col in sub else pd.Series("", index=sub.index)
        blank = (cells.astype("string").fillna("").str.strip() == "").to_numpy()
        misfit = ~blank & (sizes != n_opt)
        extra.append(
            problem_frame(
                blank, sub, col, "missing_value", f"{col} is empty: no probabilities", None
            )
        )
        extra.append(
            problem_frame(
                misfit, sub, col, "bad_probabilities",
                f"{col} has not one probability per option of MC Options (All)",
                pd.Series(sizes, index=sub.index).astype("string"),
            )
        )  # fmt: skip
        dropped.append(sub.loc[blank | misfit])
        keep_mc = ~(blank | misfit)
        sub, mpos, sizes, n_opt = sub.loc[keep_mc], mpos[keep_mc], sizes[keep_mc], n_opt[keep_mc]
        lists = [v for v, k in zip(lists, keep_mc, strict=True) if k]
        rep = np.repeat(np.arange(len(sub)), np.maximum(sizes, 1))
        flat = [("" if v is None else str(v)) for lst in lists for v in (lst or [None])]
        # an option not offered yet (None) had no probability: 0 (README of the export)
        flat = ["0.0" if (v == "" and sizes[r] > 0) else v for v, r in zip(flat, rep, strict=True)]
        within = np.concatenate([np.arange(max(s, 1)) for s in sizes]) if len(sizes) else []
        label = [
            labels_of[mpos[r]][j] if sizes[r] == n_opt[r] and j < n_opt[r] else None
            for r, j in zip(rep, within, strict=True)
        ]
        long = pd.DataFrame(
            {
                "key": sub.index.to_numpy()[rep].astype(str),
                "question_id": sub["Question ID"].str.strip().to_numpy()[rep],
                "label": label,
                "option_text": sizes[rep].astype(str),
                "value": flat,
                "_row": sub.index.to_numpy()[rep],
                "_file": sub["_file"].to_numpy()[rep],
                "_line": sub["_line"].to_numpy()[rep],
            }
        )
        options_of = {qs["Question ID"].iat[k].strip(): labels_of[k] for k in labels_of}
        probs, problems, bad_rows = collapse_options(
            long, options_of, option_column=col, value_column=col
        )
        extra += problems
        probabilities.loc[probs.index.astype(int)] = probs.to_numpy()
        dropped.append(fr.loc[fr.index.isin(bad_rows)])
    # numeric and date: the CDF on the question's grid
    cont = qtype.isin(list(_CONTINUOUS)) & pos.isin(list(grid_of))
    if cont.any():
        sub = fr.loc[cont]
        col = "Continuous CDF"
        cells = sub[col] if col in sub else pd.Series("", index=sub.index)
        cpos = pos[cont].to_numpy()
        size = np.array([grid_of[k][1] for k in cpos], dtype=np.int64)
        bad, problems = check_cdfs(sub, cells, size, col)
        extra += problems
        grid_text = np.array([grid_of[k][0] for k in cpos], dtype=object)
        cells_text = np.array([str(c).strip() for c in cells.to_numpy(dtype=object)], object)
        written = '{"x": ' + grid_text + ', "p": ' + cells_text + "}"
        cdf.loc[sub.index] = np.where(bad, "", written)
        dropped.append(sub.loc[bad])
    dropped_rows = pd.concat(dropped) if dropped else None
    if dropped_rows is not None and len(dropped_rows):
        fr = fr.loc[~fr.index.isin(dropped_rows.index)]
        dropped_rows = dropped_rows.assign(problems="a bad forecast (see the messages)")
        keep = fr.index
        pos, qid, qtype, crowd = pos[keep], qid[keep], qtype[keep], crowd[keep]
        typed_type, probabilities, cdf = typed_type[keep], probabilities[keep], cdf[keep]

    typed_q = typed_type != "binary"
    option = pd.Series([answer.get(k, ("", ""))[0] for k in pos], index=fr.index, dtype="string")
    value = pd.Series([answer.get(k, ("", ""))[1] for k in pos], index=fr.index, dtype="string")
    outcome = q("Resolution")
    # a typed question's outcome is its option or value; ambiguous/annulled stay verdicts
    outcome = outcome.where(~typed_q | outcome.str.lower().isin(["ambiguous", "annulled"]), "")
    user = fr["Forecaster Username"].str.strip()
    fid = fr["Forecaster ID"] if "Forecaster ID" in fr else fr["Forecaster Username"]
    fid = fid.where(fid.str.strip() != "", fr["Forecaster Username"])
    shown = user.where(~crowd, "Metaculus community (" + user + ")")
    fields = {
        "question_id": qid, "question_text": q("Question Title"), "question_url": q("Question URL"),
        "forecaster_id": fid, "forecaster_name": shown,
        "probability": fr["Probability Yes"].where(~typed_q, ""), "made_on": fr["Start Time"],
        "resolve_by": q("Scheduled Close Time"), "outcome": outcome,
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
    tags = list_cells(q("Categories")) if "Categories" in qs else None
    typed = {
        "question_type": typed_type,
        "probabilities": probabilities,
        "cdf": cdf,
        "outcome_option": option,
        "outcome_value": value,
        "forecaster_kind": pd.Series(np.where(crowd, "crowd", "person"), index=fr.index),
    }
    return Staged(
        frame=fr,
        fields=fields,
        columns=columns,
        outcome_map=_OUTCOMES,
        extra_problems=extra,
        skipped=skipped,
        tags=tags,
        typed=typed,
        questions=pd.DataFrame(rows, columns=QUESTION_COLUMNS),
        dropped=dropped_rows,
    )
