"""The corpus tables from what the reading stages found, column by column: outcome history
(entries numbered per question, the last one current), each claim's and each question's
status, and the sources, evidence and authors tables (``records/frames.py`` types them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.records import question_types, questions
from forecastkit.records.dates import DATE_DTYPE
from forecastkit.records.frames import (
    AUTHOR_COLUMNS,
    CLAIM_COLUMNS,
    EVIDENCE_COLUMNS,
    OUTCOME_COLUMNS,
    SOURCE_COLUMNS,
    isin,
    positions,
    typed,
    typed_frame,
)
from forecastkit.records.registry import Registry
from forecastkit.records.tabular import EVIDENCE_ROW_COLUMNS, OUTCOME_ROW_COLUMNS

_FIRST_DAY = np.datetime64(dt.date.min, "s")
_OUTCOME_SORT = ["_recorded", "file", "position"]


def assemble(r: Any) -> dict[str, pd.DataFrame]:
    """The tables ``claims, outcomes, evidence, sources, authors, questions`` of a reading."""
    outcomes, evidence = _history(r)
    current = outcomes[outcomes["current"]].set_index("question_id")
    claims = _claims(r.claims_df, current)
    sources = [typed_frame(r.sources, SOURCE_COLUMNS, "sources")] + [t.sources for t in r.tables]
    sources_df = pd.concat(sources, ignore_index=True) if len(sources) > 1 else sources[0]
    sources_df["published_estimated"] = sources_df["published_estimated"].astype(bool)
    sources_df["line"] = sources_df["line"].astype("Int64")
    authors = typed_frame(r.authors, AUTHOR_COLUMNS, "authors")
    authors["line"] = authors["line"].astype("int64")
    return {
        "claims": claims,
        "outcomes": outcomes[OUTCOME_COLUMNS],
        "evidence": evidence,
        "sources": sources_df,
        "authors": authors,
        "questions": _questions(r.registry, r.claims_df, current),
    }


def _history(r: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outcome history: log order by recorded_on, then file and position. Entries are numbered
    per question (a claim with no question is its own) and the last one is current."""
    frames, evidence = [], []
    tab = r.tabular_outcomes
    if tab is not None and len(tab):
        frames.append(tab[[*OUTCOME_ROW_COLUMNS, "question_id"]])
        ev = pd.concat(
            [
                t.evidence.assign(file=pd.NA, line=pd.NA, _key=t.outcomes["file"].iat[0])
                for t in r.tables
                if len(t.evidence)
            ]
            or [pd.DataFrame(columns=[*EVIDENCE_ROW_COLUMNS, "_key"])],
            ignore_index=True,
        )
        evidence.append(ev)
    logs, log_ev = [], []
    for o in r.outcomes:
        recorded, file, position = o.pop("_order")
        o["position"] = position
        for j, e in enumerate(o.pop("_evidence", []) or []):
            log_ev.append({**e, "position": position, "_key": file, "_j": j})
        logs.append(o)
    if logs or not frames:
        columns = [*OUTCOME_ROW_COLUMNS, "question_id"]
        log_frame = typed_frame(logs, columns, "outcomes")
        for col in ("evidence_count", "line", "position"):
            log_frame[col] = log_frame[col].astype("int64")
        frames.append(log_frame)
        ev_frame = typed_frame(log_ev, [*EVIDENCE_ROW_COLUMNS, "file", "line", "_key"], "evidence")
        ev_frame["position"] = ev_frame["position"].astype("int64")
        evidence.append(ev_frame)
    outcomes = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    outcomes["_recorded"] = outcomes["recorded_on"].fillna(_FIRST_DAY).astype(DATE_DTYPE)
    outcomes = outcomes.sort_values(_OUTCOME_SORT, kind="stable", ignore_index=True)
    per = outcomes.groupby("question_id", sort=False)
    outcomes["entry"] = per.cumcount().astype("int64") + 1
    outcomes["current"] = (outcomes["entry"] == per["entry"].transform("size")).astype(bool)
    # evidence in the order of its outcome entries (an outcome is a file and a position)
    ev = pd.concat(evidence, ignore_index=True) if len(evidence) > 1 else evidence[0]
    key = pd.MultiIndex.from_arrays([outcomes["file"].astype(object), outcomes["position"]])
    where = key.get_indexer(pd.MultiIndex.from_arrays([ev["_key"].astype(object), ev["position"]]))
    ev = ev.assign(_rank=where)[where >= 0]  # evidence of rows collapsed or refused: gone
    ev = ev.sort_values("_rank", kind="stable", ignore_index=True)
    of = outcomes.iloc[ev["_rank"].to_numpy()]
    evidence_df = pd.DataFrame(
        {
            "claim_id": of["claim_id"].to_numpy(),
            "entry": of["entry"].to_numpy(),
            "url": ev["url"],
            "title": ev["title"],
            "publisher": ev["publisher"],
            "published": ev["published"],
            "quote": ev["quote"],
            "kind": ev["kind"],
            "file": ev["file"],
            "line": ev["line"],
            "question_id": of["question_id"].to_numpy(),
        },
        columns=EVIDENCE_COLUMNS,
    )
    evidence_df = typed(evidence_df, "evidence")
    evidence_df["entry"] = evidence_df["entry"].astype("int64")
    evidence_df["line"] = evidence_df["line"].astype("Int64")  # tabular files have no lines
    outcomes = typed(outcomes.drop(columns=["_recorded", "position"]), "outcomes")
    for col in ("entry", "evidence_count", "line"):
        outcomes[col] = outcomes[col].astype("int64")
    return outcomes, evidence_df


def _from_current(qid: pd.Series, current: pd.DataFrame) -> dict:
    """What each row's question's current outcome says (status, verdict, ...); ``current`` is
    the current entry of each question with entries, by question id."""
    pos = positions(qid, current.index)
    has = pos >= 0
    take = np.where(has, pos, 0)

    def col(name: str) -> pd.Series:
        values = current[name]
        if not len(values):  # no outcome yet: NaN for numbers (pd.NA fits no numpy dtype)
            if values.dtype.kind in "fiu":
                return pd.Series(np.nan, index=qid.index, dtype="float64")
            return pd.Series(pd.NA, index=qid.index, dtype=values.dtype)
        return pd.Series(values.array.take(take), index=qid.index).where(has)

    verdict = col("verdict").astype("string")
    # a question's current entry is its last: its number is the question's count of entries
    per = current["entry"].to_numpy(dtype=np.int64)
    n = np.where(has, per[take], 0) if len(per) else np.zeros(len(qid), dtype=np.int64)
    true, false = ((verdict == v).fillna(False).to_numpy(dtype=bool) for v in ("true", "false"))
    return {
        "status": verdict.fillna("open").astype("string"),
        "verdict": verdict,
        "resolved_on": col("resolved_on").astype(DATE_DTYPE),
        "outcome": pd.Series(np.select([true, false], [1.0, 0.0], np.nan), index=qid.index),
        "outcome_option": col("option").astype("string"),
        "outcome_value": col("value").astype("float64"),
        "evidence_count": col("evidence_count").fillna(0).astype("int64"),
        "revisions": n,
    }


def _claims(claims: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    out = claims.assign(**_from_current(claims["question_id"], current))
    out = out.reindex(columns=CLAIM_COLUMNS)
    out["question_type"] = pd.Categorical(
        out["question_type"], categories=list(question_types.QUESTION_TYPES)
    )
    for col in ("question_id", "question_text", "claimant_name"):
        out[col] = out[col].astype("string")
    out["line"] = out["line"].astype("int64")
    return out


def _questions(
    registry: Registry,
    claims: pd.DataFrame,
    current: pd.DataFrame,
) -> pd.DataFrame:
    """One row per question: the registered ones (and those a table defines), then each claim
    that is its own question."""
    base = [c for c in questions.QUESTION_COLUMNS if c in _FIXED]
    reg = registry.frame(base)
    qid = claims["question_id"]
    own = ~isin(qid, registry.ids()) & ~qid.duplicated().to_numpy()
    c = claims[own]
    k = len(c)
    binary = question_types.binary_fields()
    mine = pd.DataFrame(
        {
            "question_id": c["question_id"],
            "text": c["proposition"],
            "criteria": c["criteria"],
            "resolve_by": c["resolve_by"],
            "tags": c["tags"],
            "notes": pd.array([pd.NA] * k, dtype="string"),
            "registered": np.zeros(k, dtype=bool),
            "file": c["file"],
            "line": c["line"],
            **{f: [v] * k if isinstance(v, tuple) else v for f, v in binary.items()},
        },
        columns=base,
    )
    mine = typed(mine, "questions")
    rows = pd.concat([reg, mine], ignore_index=True) if len(reg) and k else (mine if k else reg)
    rows = rows.reset_index(drop=True)
    ids = rows["question_id"]
    rows["n_claims"], rows["n_claimants"] = _counts(ids, claims)
    rows = rows.assign(**_from_current(ids, current))
    out = rows.reindex(columns=questions.QUESTION_COLUMNS)
    for col in ("n_claims", "n_claimants", "evidence_count", "revisions", "line"):
        out[col] = out[col].astype("int64")
    for col in ("registered", "ordered", "open_lower", "open_upper"):
        out[col] = out[col].astype(bool)
    return out


def _counts(ids: pd.Series, claims: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """How many claims, and how many claimants, each question of ``ids`` has: the sizes of
    the claims' groups by question and the distinct claimants in each (missing ones not
    counted), by codes rather than grouping and reindexing text."""
    qcodes, qids = pd.factorize(claims["question_id"])
    if not len(qids):
        return np.zeros(len(ids), dtype=np.int64), np.zeros(len(ids), dtype=np.int64)
    ccodes, claimants = pd.factorize(claims["claimant"])
    counts = np.bincount(qcodes[qcodes >= 0], minlength=len(qids))
    named = (qcodes >= 0) & (ccodes >= 0)
    pairs = pd.unique(qcodes[named].astype(np.int64) * len(claimants) + ccodes[named])
    distinct = np.bincount(pairs // max(len(claimants), 1), minlength=len(qids))
    pos = positions(ids, pd.Series(qids))
    take = np.where(pos >= 0, pos, 0)
    return (
        np.where(pos >= 0, counts[take], 0).astype(np.int64),
        np.where(pos >= 0, distinct[take], 0).astype(np.int64),
    )


#: The question columns a question has before its claims and outcomes are counted.
_FIXED = {"question_id", "text", "criteria", "resolve_by", "tags", "notes", "registered", "file",
          "line", *question_types.TYPE_FIELDS}  # fmt: skip
