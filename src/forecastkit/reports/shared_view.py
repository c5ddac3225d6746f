"""Questions several claimants forecast: the "On shared questions" sections of the reports.

The author report shows each shared question of the claimant with everyone's forecast and the
outcome, the claimant's relative scores and their head-to-head record; the overview shows a
relative league table and a head-to-head matrix. The scores come from
:mod:`forecastkit.scoring.relative` under the report's policy (:mod:`forecastkit.scoring.policies`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecastkit.reports import fragments as fx
from forecastkit.reports.memo import per_frame
from forecastkit.scoring.relative import MIN_SHARED, RelativeScores, relative_scores


def shared_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The yes/no forecasts on questions that two or more claimants forecast, by question and
    date (once per ``claims`` frame in a kernel: :mod:`forecastkit.reports.memo`); the other
    types are compared on their own scores (:mod:`forecastkit.reports.typed_view`)."""

    def compute() -> pd.DataFrame:
        forecasts = claims[claims["kind"] == "forecast"]
        if "question_type" in forecasts.columns:
            forecasts = forecasts[(forecasts["question_type"] == "binary").to_numpy(bool)]
        k = forecasts.groupby("question_id")["claimant"].transform("nunique")
        return forecasts[k >= 2].sort_values(["question_id", "made_on", "claimant", "claim_id"])

    return per_frame("shared_claims", claims, (), compute)


def relative(claims: pd.DataFrame, policy: str, seed: int = 0) -> RelativeScores:
    """:func:`forecastkit.scoring.relative.relative_scores` of the forecasts in ``claims`` (once
    per ``claims`` frame, policy and seed in a kernel: :mod:`forecastkit.reports.memo`)."""
    return per_frame(
        "relative",
        claims,
        (policy, seed),
        lambda: relative_scores(claims[claims["kind"] == "forecast"], policy, seed=seed),
    )


def _small_n(n_shared: int) -> str | None:
    if n_shared == 0:
        return "No shared question has an outcome yet: there is nothing to compare."
    if n_shared < MIN_SHARED:
        q = "question" if n_shared == 1 else "questions"
        return (
            f"{n_shared} resolved shared {q}: too few to say who forecasts better (the "
            f"reports compare from {MIN_SHARED}). The figures are the record so far."
        )
    return None


#: Other claimants' forecasts on a shared question listed one by one; more are summarised.
LISTED_FORECASTS = 8
#: Opponents listed by name in an author's head-to-head record need this many shared questions
#: (a record on one or two questions says nothing); the others are summed in one line.
MIN_HEAD_TO_HEAD = 3


def _forecasts_cell(
    own: list[str], others: list[str], probabilities: np.ndarray, n_others: int
) -> fx.Fragment:
    """Everyone's forecasts on one question: the claimant's own lines, each with its date, then
    the others' one by one, or, when there are more than :data:`LISTED_FORECASTS`, how many by
    how many claimants with their median and range (a popular tracker question has hundreds,
    and listing them in every participant's report would repeat them hundreds of times)."""
    parts = [fx.tag("div", line) for line in own]
    if len(others) <= LISTED_FORECASTS:
        parts += [fx.tag("div", line) for line in others]
    else:
        p = probabilities[np.isfinite(probabilities)]
        spread = (
            f": median {fx.number(float(np.median(p)), 2)} (from "
            f"{fx.number(float(p.min()), 2)} to {fx.number(float(p.max()), 2)})"
            if len(p)
            else ""
        )
        parts.append(fx.tag("div", f"{len(others)} forecasts by {n_others} others{spread}"))
    return fx.join(parts)


def author_section(
    claims: pd.DataFrame, author: str, names: pd.Series, policy: str, seed: int = 0
) -> fx.Fragment:
    """Each shared question of ``author`` (everyone's forecasts, the outcome, the claimant's
    relative Brier on it), their relative scores and their head-to-head record."""
    shared = shared_claims(claims)
    mine = set(shared.loc[shared["claimant"] == author, "question_id"])
    shared = shared[shared["question_id"].isin(mine)]
    if shared.empty:
        return fx.note("No other claimant forecast the yes/no questions this claimant forecast.")
    rel = relative(claims, policy, seed)
    units = rel.units[rel.units["claimant"] == author].set_index("question_id")
    # plain arrays, one pass: a busy tracker question has hundreds of forecasts
    question = shared["question_id"].to_numpy(dtype=object)
    who = shared["claimant"].to_numpy(dtype=object)
    prob = pd.to_numeric(shared["probability"], errors="coerce").to_numpy(dtype=float)
    made = shared["made_on"].dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
    label = [
        f"{names.get(c, c)}: {fx.number(p, 2)} ({d})"
        for c, p, d in zip(who, prob, made, strict=True)
    ]
    text = shared["question_text"].to_numpy(dtype=object)
    status = shared["status"].to_numpy(dtype=object)
    rows = []
    for qid, at in pd.Series(range(len(shared))).groupby(question, sort=False).indices.items():
        own = [label[i] for i in at if who[i] == author]
        other = [i for i in at if who[i] != author]
        cell = _forecasts_cell(
            own, [label[i] for i in other], prob[other], len({who[i] for i in other})
        )
        rows.append([text[at[0]], cell, status[at[0]], fx.number(units["relative_brier"].get(qid))])
    parts = [
        fx.table(
            ["question", "forecasts (probability, made on)", "outcome", "relative Brier"],
            rows,
            table_id="fk-shared-questions",
            numeric=(3,),
            caption="Relative Brier: the claimant's Brier score on the question minus "
            "the median of the others'; below 0 is better than them.",
        )
    ]
    row = rel.table.set_index("claimant").loc[author]
    n = int(row["n_shared"])
    said = _small_n(n)
    parts.append(fx.note(said) if said else fx.paragraph(f"On {n} resolved shared questions."))
    if n:
        parts.append(
            fx.table(
                ["statistic", "value", "95% interval", "n", "better"],
                [
                    [
                        "relative Brier (vs. median of others)",
                        fx.number(row["relative_brier"]),
                        fx.interval(row["relative_brier_low"], row["relative_brier_high"]),
                        n,
                        "lower",
                    ],
                    ["peer score (Metaculus)", fx.number(row["peer_score"], 1), "", n, "higher"],
                ],
                table_id="fk-relative",
                numeric=(1, 3),
            )
        )
        h2h = rel.head_to_head[rel.head_to_head["claimant"] == author]
        h2h = h2h.sort_values(["n_shared", "opponent"], ascending=[False, True])
        listed = h2h[h2h["n_shared"] >= MIN_HEAD_TO_HEAD]
        rest = h2h[h2h["n_shared"] < MIN_HEAD_TO_HEAD]
        table_rows = [
            [names.get(r.opponent, r.opponent), r.n_shared, r.wins, r.losses, r.ties]
            for r in listed.itertuples()
        ]
        caption = "A win is a lower Brier score on a question both forecast."
        if len(rest):  # in the caption, not a row: a sortable table would rank it as an opponent
            caption += (
                f" Not listed: {len(rest)} other{'s' if len(rest) != 1 else ''} with "
                f"fewer than {MIN_HEAD_TO_HEAD} shared questions each, together "
                f"{int(rest['n_shared'].sum())} shared, {int(rest['wins'].sum())} wins, "
                f"{int(rest['losses'].sum())} losses, {int(rest['ties'].sum())} ties."
            )
        parts.append(
            fx.table(
                ["opponent", "shared", "wins", "losses", "ties"],
                table_rows,
                table_id="fk-head-to-head",
                numeric=(1, 2, 3, 4),
                caption=caption,
            )
            if table_rows
            else fx.paragraph(caption)
        )
    return fx.join(parts)


def relative_league(
    claims: pd.DataFrame, names: pd.Series, policy: str, seed: int = 0
) -> fx.Fragment:
    """Claimants with shared questions, ranked by relative Brier only with :data:`MIN_SHARED`
    or more resolved shared questions (the others listed by name)."""
    table = relative(claims, policy, seed).table
    table = table[table["n_shared"] > 0].copy()
    if table.empty:
        return fx.note("No resolved question was forecast by two or more claimants.")
    table["ranked"] = table["n_shared"] >= MIN_SHARED
    table["_order"] = table["relative_brier"].where(table["ranked"])
    table = table.sort_values(["ranked", "_order", "claimant"], ascending=[False, True, True])
    rows, rank = [], 0
    for r in table.itertuples():
        rank += int(r.ranked)
        rows.append(
            [
                rank if r.ranked else "",
                fx.report_link(names.get(r.claimant, r.claimant), str(r.claimant)),
                int(r.n_shared),
                fx.number(r.relative_brier),
                fx.interval(r.relative_brier_low, r.relative_brier_high),
                fx.number(r.peer_score, 1),
                "" if r.ranked else "too few to rank",
            ]
        )
    return fx.table(
        [
            "rank",
            "name",
            "shared questions",
            "relative Brier",
            "95% interval",
            "peer score",
            "note",
        ],
        rows,
        table_id="fk-relative-league",
        numeric=(0, 2, 3, 5),
        caption=f"Ranked by relative Brier (lower is better) among claimants with "
        f"{MIN_SHARED} or more resolved shared questions.",
    )


#: The matrix shows at most this many claimants (those with the most shared questions): an
#: N x N table of 2,000 tracker forecasters is 4,000,000 cells, 200 MB of page nobody can read.
MATRIX_MAX = 30


def head_to_head_matrix(
    claims: pd.DataFrame, names: pd.Series, policy: str, limit: int = MATRIX_MAX
) -> fx.Fragment:
    """Wins–losses–ties of each row claimant against each column claimant, for the ``limit``
    claimants with the most shared questions (ties broken by key); the caption says how many
    others there are. Every pair's record is in each claimant's own report."""
    h2h = relative(claims, policy).head_to_head
    if h2h.empty:
        return fx.note("No two claimants share a resolved question.")
    shared = h2h.groupby("claimant")["n_shared"].sum()
    order = shared.reset_index().sort_values(["n_shared", "claimant"], ascending=[False, True])
    who = sorted(order["claimant"].head(limit))
    left = len(order) - len(who)
    mine = h2h[h2h["claimant"].isin(who) & h2h["opponent"].isin(who)]
    cell = {(r.claimant, r.opponent): f"{r.wins}–{r.losses}–{r.ties}" for r in mine.itertuples()}
    rows = [[names.get(a, a), *[cell.get((a, b), "") if a != b else "·" for b in who]] for a in who]
    more = (
        f" The {len(who)} claimants with the most shared questions are shown; {left} "
        f"others share questions too (their records are in their own reports)."
        if left
        else ""
    )
    return fx.table(
        ["", *[names.get(b, b) for b in who]],
        rows,
        table_id="fk-head-to-head-matrix",
        caption="Wins–losses–ties of the row's claimant against the column's, on "
        "resolved questions both forecast (lower Brier score wins)." + more,
    )
