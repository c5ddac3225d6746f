"""The Good Judgment Project's survey forecasts (``survey_fcasts.yr*.csv`` + ``ifps.csv``).

Columns as the Harvard Dataverse files have them (niplav/iqisa ``summary.md``): one row per
answer option of a forecast (``ifp_id, user_id, forecast_id, fcast_type, answer_option, value,
fcast_date, team, ...``), questions in ``ifps.csv`` (``q_type, q_text, q_status, date_to_close,
date_closed, outcome, n_opts, options``; ``q_type`` 6 is an ordered question, scored by GJP as
such). A binary question (``n_opts`` 2) is read as before: option ``a``'s row is the forecast.
A question of three or more options is a multiple-choice question: its option rows become one
forecast with a probability per option. :func:`team_medians` adds each team's median as a
claimant of kind ``crowd``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.editing.presets.dates import parse_dates
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
from forecastkit.editing.presets.typed import collapse_options, float_text, option_labels

_OPTION = re.compile(r"\(([a-z])\)\s*(.*?)\s*(?=,\s*\([a-z]\)|$)", re.S)


def _options(cell: str) -> tuple[list[str], list[str]]:
    """``(a) Medvedev, (b) Putin, (c) Neither`` -> letters and names."""
    found = _OPTION.findall(str(cell))
    return [m[0] for m in found], [m[1] for m in found]


def read_gjp(paths: list[Path], questions: object, forecaster: str | None) -> Staged:
    """Good Judgment Project: ``survey_fcasts.yr*.csv`` + ``ifps.csv`` (see the module doc)."""
    fr = concat_files(paths)
    require_columns(
        fr,
        ["ifp_id", "user_id", "answer_option", "value", "fcast_date"],
        paths[0],
        "GJP survey_fcasts",
    )
    qpath = file_beside(paths[0], ["ifps.csv", "ifps.csv.zip"], questions, "gjp")
    qs = read_export_csv(qpath)
    require_columns(qs, ["ifp_id", "q_text", "outcome", "n_opts"], qpath, "GJP ifps.csv")
    skipped: list[tuple[str, str, int]] = []
    # which file a row came from (two years' files may share a name and forecast ids)
    part = (fr["_line"].diff().fillna(1) < 0).cumsum().astype(str)
    name = paths[0].name if len(paths) == 1 else f"{paths[0].name} (+{len(paths) - 1})"
    ifp = fr["ifp_id"].str.strip()
    pos, extra, _ = question_lookup(ifp, qs, "ifp_id", qpath.name)
    n_opts = pd.to_numeric(take_at(qs["n_opts"], pos), errors="coerce")
    known = pos >= 0
    binary = known & (n_opts == 2)
    multi = known & (n_opts >= 3)
    other = known & ~binary & ~multi
    skipped.append(
        (name, "forecast rows on questions whose n_opts is neither 2 nor more", int(other.sum()))
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
    keep = ~other & ~second
    if "fcast_type" in fr:
        withdrawn = keep & (fr["fcast_type"].str.strip() == "4")
        skipped.append((name, "withdrawals (fcast_type 4), not forecasts", int(withdrawn.sum())))
        keep &= ~withdrawn
    fr, pos, ifp, multi = fr.loc[keep], pos[keep], ifp[keep], multi[keep]
    # the question's own rows: dates, outcome (letters), voided status, options
    q = qs.assign(_file=qpath.name)
    deadline_col = "date_to_close" if "date_to_close" in qs else "date_closed"
    qproblems = []
    for c in [deadline_col, "date_closed", "date_start"]:
        if c in qs:
            _, bad = parse_dates(qs[c], us=True)
            qproblems.append(problem_frame(bad, q, c, "bad_date", f"{c} is not a date", qs[c]))
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
        problem_frame(
            badout, q, "outcome", "bad_outcome", "outcome is not a, b or empty", qs["outcome"]
        )
    )
    # multiple-choice questions: their options, labels and outcome
    used_multi = sorted(set(pos[multi].tolist()))
    letters_of: dict[int, list[str]] = {}
    labels_of: dict[int, list[str]] = {}
    names_of: dict[int, list[str]] = {}
    bad_options = np.zeros(len(qs), dtype=bool)
    bad_mc_outcome = np.zeros(len(qs), dtype=bool)
    has_options = "options" in qs
    for k in used_multi:
        letters, names = _options(qs["options"].iat[k]) if has_options else ([], [])
        if len(letters) != int(qn.iat[k]) or len(set(letters)) != len(letters):
            bad_options[k] = True
            continue
        letters_of[k], names_of[k], labels_of[k] = letters, names, option_labels(names)
        if qout.iat[k] not in ("", *letters) and status.iat[k] != "voided":
            bad_mc_outcome[k] = True
    qproblems.append(
        problem_frame(
            bad_options, q, "options", "bad_question",
            "options does not list n_opts options as (a) ..., (b) ...", qs.get("options"),
        )
    )  # fmt: skip
    qproblems.append(
        problem_frame(
            bad_mc_outcome, q, "outcome", "bad_outcome",
            "outcome is not the letter of one of the question's options", qs["outcome"],
        )
    )  # fmt: skip
    qproblems = [e for e in qproblems if not e.empty]
    used = set(pos[pos >= 0].unique())
    bad_lines = set()
    for e in qproblems:
        bad_lines |= set(e["line"])
    bad_positions = np.flatnonzero(qs["_line"].isin(bad_lines).to_numpy())
    bad_positions = np.array([b for b in bad_positions if b in used], dtype=np.int64)
    qproblems = [e[e["line"].isin(qs["_line"].to_numpy()[bad_positions])] for e in qproblems]
    extra += qproblems
    extra.append(missing_question_rows(pos, fr, "ifp_id", fr["ifp_id"], qpath.name))
    extra.append(bad_question_rows(pos, bad_positions, fr, "ifp_id", fr["ifp_id"], qpath.name))

    # one forecast per multiple-choice forecast: its first row, with the probabilities
    probabilities = pd.Series("", index=fr.index, dtype="string")
    dropped = None
    # (a question with a bad row keeps its rows apart: each is reported with it)
    good_mc_q = multi & pos.isin(list(labels_of)) & ~pos.isin(bad_positions)
    if good_mc_q.any():
        mc = fr.loc[good_mc_q]
        mpos = pos[good_mc_q].to_numpy()
        key = (
            part[mc.index] + "\x1f" + mc["ifp_id"].str.strip() + "\x1f" + mc["user_id"].str.strip()
        )
        key = key + "\x1f"
        key = key + (mc["forecast_id"] if "forecast_id" in mc else mc["fcast_date"]).str.strip()
        letter_label = {
            (k, letter): lab
            for k in labels_of
            for letter, lab in zip(letters_of[k], labels_of[k], strict=True)
        }
        opt = mc["answer_option"].str.strip().str.lower().to_numpy()
        long = pd.DataFrame(
            {
                "key": key.to_numpy(),
                "question_id": mc["ifp_id"].str.strip().to_numpy(),
                "label": [letter_label.get((k, o)) for k, o in zip(mpos, opt, strict=True)],
                "option_text": mc["answer_option"].to_numpy(),
                "value": mc["value"].to_numpy(),
                "_row": mc.index.to_numpy(),
                "_file": mc["_file"].to_numpy(),
                "_line": mc["_line"].to_numpy(),
            }
        )
        options_of = {
            qs["ifp_id"].iat[k].strip(): labels_of[k] for k in labels_of
        }  # question id -> labels
        probs, problems, bad_rows = collapse_options(
            long, options_of, option_column="answer_option", value_column="value"
        )
        extra += problems
        first_of_key = long.drop_duplicates("key").set_index("key")["_row"]
        good_first = first_of_key[first_of_key.index.isin(probs.index)]
        probabilities.loc[good_first.to_numpy()] = probs.loc[good_first.index].to_numpy()
        # the other rows of a forecast are part of it; bad forecasts are rejected whole
        firsts = set(first_of_key.to_numpy().tolist())
        later = mc.index[~mc.index.isin(list(firsts))]
        bad_set = set(bad_rows.tolist())
        bad_first = [r for r in first_of_key.to_numpy().tolist() if r in bad_set]
        dropped = fr.loc[fr.index.isin(bad_rows)].assign(
            problems="a multiple-choice forecast with a bad option row (see the messages)"
        )
        drop = later.union(pd.Index(bad_first))
        keepers = ~fr.index.isin(drop)
        fr, pos, ifp, multi = fr.loc[keepers], pos[keepers], ifp[keepers], multi[keepers]
        probabilities = probabilities[keepers]
    outcome_q = np.where(status == "voided", "voided", qout)
    outcome = take_at(pd.Series(outcome_q, index=qs.index), pos)
    good_q = ~pos.isin(bad_positions)
    deadline = take_at(qs[deadline_col], pos).where(good_q, "")
    closed = (
        take_at(qs["date_closed"], pos) if "date_closed" in qs else pd.Series("", index=fr.index)
    ).where(good_q, "")
    # a multiple-choice question's outcome is its option's label
    is_mc = multi.to_numpy()
    option_out = pd.Series("", index=fr.index, dtype="string")
    if is_mc.any():
        label_of = {
            (k, letter): lab
            for k in labels_of
            for letter, lab in zip(letters_of[k], labels_of[k], strict=True)
        }
        mpos, mout = pos[is_mc].to_numpy(), outcome[is_mc].to_numpy()
        option_out[is_mc] = [label_of.get((k, o), "") for k, o in zip(mpos, mout, strict=True)]
        outcome = outcome.where(~is_mc | (outcome == "voided"), "")
    fields = {
        "question_id": ifp, "question_text": take_at(qs["q_text"], pos),
        "forecaster_id": fr["user_id"], "probability": fr["value"].where(~is_mc, ""),
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
    team = fr["team"].str.strip() if "team" in fr else pd.Series("", index=fr.index)
    typed = {
        "question_type": pd.Series(np.where(is_mc, "multiple_choice", "binary"), index=fr.index),
        "probabilities": probabilities,
        "outcome_option": option_out.where(good_q, ""),
        "team": team.where(~team.str.upper().isin(["NA", "NULL", ""]), ""),
    }
    ordered = (
        qs["q_type"].str.strip() == "6" if "q_type" in qs else pd.Series(False, index=qs.index)
    )
    qtable = pd.DataFrame(
        [
            {
                "question_id": qs["ifp_id"].iat[k].strip(),
                "question_type": "multiple_choice",
                "options": json.dumps(labels_of[k]),
                "ordered": bool(ordered.iat[k]),
                "option_names": json.dumps(names_of[k]),
            }
            for k in labels_of
        ],
        columns=QUESTION_COLUMNS,
    )
    return Staged(
        frame=fr,
        fields=fields,
        columns=columns,
        us_dates=True,
        outcome_map={"a": "true", "b": "false", "voided": "ambiguous", "": ""},
        extra_problems=extra,
        skipped=skipped,
        typed=typed,
        questions=qtable,
        dropped=dropped,
    )


def team_medians(forecasts: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Each GJP team's median forecast, as forecasts of a claimant of kind ``crowd``.

    For a team and a question, on each day a member forecast it: the median, over the members
    who have forecast the question by that day, of each one's latest forecast (per option for a
    multiple-choice question, then scaled to sum to 1). The GJP files hold no team aggregate, so
    the median is our choice (GJP compared many ways of combining forecasts: Ungar et al., "The
    Good Judgment Project: A Large Scale Test of Different Methods of Combining Expert
    Predictions", AAAI Technical Report FS-12-06, 2012); it is computed from the survey rows, not
    read from GJP. One forecast per (team, question, day); forecaster ``team:<team>``.
    """
    members = forecasts[forecasts["team"].notna() & (forecasts["forecaster_kind"] == "person")]
    if members.empty:
        return forecasts.iloc[0:0]
    options_of = {r.question_id: json.loads(r.options) for r in questions.itertuples(index=False)}
    key = ["team", "question_id", "made_on"]
    m = members.sort_values([*key, "source_row"], kind="stable").reset_index(drop=True)
    # each member's column within the team (a team has tens of members, not thousands)
    who = m.groupby(["team", "forecaster_id"], sort=True).ngroup()
    m["_member"] = who - who.groupby(m["team"]).transform("min")
    mc = (m["question_type"] == "multiple_choice").to_numpy()
    width = max([len(v) for v in options_of.values()] + [1])
    values = np.full((len(m), width), np.nan)
    values[~mc, 0] = m.loc[~mc, "probability"].to_numpy(dtype=np.float64)
    if mc.any():
        parsed = json.loads("[" + ",".join(m.loc[mc, "probabilities"].tolist()) + "]")
        qids = m.loc[mc, "question_id"].tolist()
        for row, d, q in zip(np.flatnonzero(mc), parsed, qids, strict=True):
            values[row, : len(options_of[q])] = [d[lab] for lab in options_of[q]]
    # one row per (team, question, day): the members' standing forecasts, carried forward
    events = m.groupby(key, sort=True).tail(1)  # the day's last member row: its other fields
    medians = np.full((len(events), width), np.nan)
    for j in range(width):
        wide = pd.DataFrame({**{c: m[c] for c in key}, "_member": m["_member"], "v": values[:, j]})
        wide = wide.pivot_table(index=key, columns="_member", values="v", aggfunc="last")
        wide = wide.reindex(pd.MultiIndex.from_frame(events[key]))  # days with no value: NaN
        wide = wide.groupby(level=[0, 1], sort=False).ffill()
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # an option no one gave
                medians[:, j] = np.nanmedian(wide.to_numpy(dtype=np.float64), axis=1)
    out = events.reset_index(drop=True).copy()
    emc = (out["question_type"] == "multiple_choice").to_numpy()
    out.loc[~emc, "probability"] = np.round(medians[~emc, 0], 12)
    if emc.any():
        texts = []
        for row, q in zip(np.flatnonzero(emc), out.loc[emc, "question_id"], strict=True):
            labels = options_of[q]
            med = medians[row, : len(labels)]
            med = np.round(med / med.sum(), 12)
            pairs = ", ".join(
                f'"{lab}": {t}' for lab, t in zip(labels, float_text(med), strict=True)
            )
            texts.append("{" + pairs + "}")
        out.loc[emc, "probabilities"] = texts
    out["forecaster_id"] = "team:" + out["team"].astype(str)
    out["forecaster_name"] = "GJP team " + out["team"].astype(str) + " median"
    out["forecaster_kind"] = "crowd"
    return out[forecasts.columns].astype(forecasts.dtypes.to_dict())
