"""The crowd as a benchmark: how often each claimant beat a crowd on the questions both forecast.

A claimant of kind ``crowd`` (``authors.yaml``; the Metaculus community prediction, a Good
Judgment team's median) is an aggregate, not a person. Each other claimant is compared with it
on their *shared* questions (resolved, both scored on the question in the same league) on the
score suited to the question's type (:mod:`forecastkit.scoring.forecast_scores`; binary: Brier),
each question counting once per claimant under the policy: "beat the crowd on 7 of 12 shared
questions". Lower scores win; scores within ``1e-12`` of each other tie, as in the head-to-head
records of :mod:`forecastkit.scoring.relative`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Scores closer than this are a tie.
TIE = 1e-12

COMPARISON_COLUMNS = ["claimant", "crowd", "question_type", "score_name", "n_shared", "beat",
                      "tied", "lost"]  # fmt: skip


def crowd_claimants(authors: pd.DataFrame | None) -> list[str]:
    """The claimants of kind ``crowd`` in an authors table (sorted)."""
    if authors is None or not {"claimant", "kind"} <= set(authors.columns):
        return []
    kind = authors["kind"].astype("string").str.strip().str.lower()
    return sorted(
        authors.loc[(kind == "crowd").fillna(False).to_numpy(bool), "claimant"].astype(str)
    )


def crowd_comparison(units: pd.DataFrame, crowds: Iterable[str]) -> pd.DataFrame:
    """Per (claimant, crowd, league): shared questions and how many the claimant beat, tied, lost.

    ``units``: one row per (group, question, league) with ``score``, as
    :func:`forecastkit.scoring.typed_table.question_units` gives them (``group`` the claimant).
    Crowds are compared with each other too (a crowd is a claimant of the table as well); a
    claimant with no question shared with a crowd has no row.
    """
    crowds = sorted(set(map(str, crowds)))
    if not crowds or not len(units):
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    key = ["question_id", "question_type", "score_name"]
    group = units["group"].astype(str)
    is_crowd = group.isin(crowds)
    crowd_units = units[is_crowd][[*key, "group", "score"]].rename(
        columns={"group": "crowd", "score": "crowd_score"}
    )
    pairs = units[[*key, "group", "score"]].merge(crowd_units, on=key)
    pairs = pairs[pairs["group"].astype(str) != pairs["crowd"].astype(str)]
    if not len(pairs):
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    diff = pairs["score"].to_numpy(dtype=float) - pairs["crowd_score"].to_numpy(dtype=float)
    tied = np.abs(diff) <= TIE
    pairs = pairs.assign(beat=(diff < 0) & ~tied, tied=tied, lost=(diff > 0) & ~tied)
    out = (
        pairs.groupby(["group", "crowd", "question_type", "score_name"], sort=True, observed=True)
        .agg(
            n_shared=("score", "size"),
            beat=("beat", "sum"),
            tied=("tied", "sum"),
            lost=("lost", "sum"),
        )
        .reset_index()
        .rename(columns={"group": "claimant"})
    )
    for col in ("n_shared", "beat", "tied", "lost"):
        out[col] = out[col].astype(np.int64)
    return out[COMPARISON_COLUMNS]


def crowd_summary(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per (claimant, crowd), all leagues together: ``n_shared``, ``beat``, ``tied``, ``lost``
    (each shared question counted once, in its league)."""
    if not len(comparison):
        return pd.DataFrame(columns=["claimant", "crowd", "n_shared", "beat", "tied", "lost"])
    return (
        comparison.groupby(["claimant", "crowd"], sort=True)[["n_shared", "beat", "tied", "lost"]]
        .sum()
        .reset_index()
    )


def crowd_sentence(beat: int, n_shared: int, crowd: str, tied: int = 0) -> str:
    """``"beat Metaculus community on 7 of 12 shared questions (1 tie)"``."""
    questions = "question" if n_shared == 1 else "questions"
    tail = f" ({tied} tie{'s' if tied != 1 else ''})" if tied else ""
    return f"beat {crowd} on {beat} of {n_shared} shared {questions}{tail}"
