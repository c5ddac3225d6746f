"""Report sections for multiple-choice, numeric and date forecasts, and the crowd comparison.

Each section is shown only where it has something to show: a claimant with only yes/no
forecasts gets none of them (the functions return an empty list or an empty fragment), so the
notebooks call them unconditionally. Figures over the whole corpus (every claimant's typed
scores and question units) are computed once per kernel (:mod:`forecastkit.reports.memo`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.reports import fragments as fx
from forecastkit.reports.memo import per_frame
from forecastkit.scoring.relative import MIN_SHARED

#: Seed of the randomised PIT (reports are reproducible).
PIT_SEED = 0

_TYPES = {"multiple_choice": "multiple choice", "numeric": "numeric", "date": "date"}


@dataclass
class TypedRecord:
    """Everyone's non-binary forecasts as of a date, scored once: the source of every section."""

    claims: pd.DataFrame  # every claim as of the date (all types, all claimants)
    points: pd.DataFrame | None
    questions: pd.DataFrame | None
    authors: pd.DataFrame
    policy: str
    seed: int

    @cached_property
    def has_types(self) -> bool:
        from forecastkit.scoring.forecast_scores import non_binary

        return self.points is not None and len(non_binary(self.claims)) > 0

    @cached_property
    def table(self) -> pd.DataFrame:
        """:func:`~forecastkit.scoring.typed_table.typed_score_table` by claimant."""
        from forecastkit.scoring.typed_table import TYPED_COLUMNS, typed_score_table

        if not self.has_types:
            return pd.DataFrame(columns=TYPED_COLUMNS)
        return typed_score_table(
            self.claims,
            self.points,
            "claimant",
            questions=self.questions,
            policy=self.policy,
            seed=self.seed,
        )

    @cached_property
    def crowds(self) -> list[str]:
        from forecastkit.scoring.crowd import crowd_claimants

        return crowd_claimants(self.authors)

    @cached_property
    def units(self) -> pd.DataFrame:
        """Every claimant's score on every question, each type on its league's score."""
        from forecastkit.scoring.typed_table import question_units

        return question_units(
            self.claims, self.points, questions=self.questions, policy=self.policy
        )

    @cached_property
    def comparison(self) -> pd.DataFrame:
        from forecastkit.scoring.crowd import crowd_comparison

        return crowd_comparison(self.units, self.crowds)

    @cached_property
    def names(self) -> pd.Series:
        return self.authors.set_index("claimant")["name"]


def typed_record(everyone: pd.DataFrame, corpus: Any, policy: str, seed: int) -> TypedRecord:
    """The :class:`TypedRecord` of ``everyone`` (the corpus' claims as of a date), kept per frame
    so that every report in a kernel shares it."""
    return per_frame(
        "typed",
        everyone,
        (policy, seed),
        lambda: TypedRecord(
            everyone,
            getattr(corpus, "forecast_points", None),
            getattr(corpus, "questions", None),
            corpus.authors,
            policy,
            seed,
        ),
    )


def _league_title(question_type: str, score_name: str) -> str:
    from forecastkit.scoring.render import league_title

    return league_title(question_type, score_name)


def _mine(record: TypedRecord, author: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The author's non-binary claims, their rows of forecast points and their scores."""
    from forecastkit.scoring.forecast_scores import forecast_scores, non_binary

    claims = non_binary(record.claims)
    claims = claims[claims["claimant"] == author]
    points = record.points[record.points["claim_id"].isin(claims["claim_id"])]
    scores = forecast_scores(claims, points, questions=record.questions)
    return claims, points, scores


def author_sections(record: TypedRecord, author: str) -> list[Any]:
    """The author report's sections for other question types: a heading and the claimant's
    league table, one-vs-rest reliability of their multiple-choice forecasts, the PIT histogram
    and interval coverage of their numeric and date forecasts; ``[]`` without such forecasts."""
    if not record.has_types:
        return []
    rows = record.table[record.table["group"] == author]
    if rows.empty:
        return []
    parts: list[Any] = [
        fx.tag("h2", "Multiple choice, numeric and date forecasts"),
        fx.paragraph(
            "Each type of question is scored on its own score, never averaged with the "
            "others: multiple choice on the multiclass Brier score (the ranked probability "
            "score when the options are ordered), numeric and date questions on the CRPS, "
            "in the question's unit (a point forecast's CRPS is its absolute error). Lower "
            "is better; the relative score compares with the other claimants on the "
            "same questions."
        ),
        league_rows_fragment(rows, f"fk-types-{author}"),
    ]
    claims, points, scores = _mine(record, author)
    parts += _option_reliability(claims, points, scores)
    parts += _numeric_calibration(claims, points, scores)
    return parts


def league_rows_fragment(rows: pd.DataFrame, table_id: str) -> fx.Fragment:
    """One claimant's rows of the typed table: a line per league."""
    out = []
    for r in rows.itertuples():
        ratio = r.score_name == "crps"
        relative = (
            ""
            if r.n_shared == 0
            else fx.number(r.relative_score, 2) + (" × the others' median" if ratio else "")
        )
        extra = []
        for col, label in (
            ("log_score", "log score"),
            ("wis", "WIS"),
            ("abs_error", "absolute error"),
            ("pct_error", "percentage error"),
        ):
            value = getattr(r, col)
            if not fx.is_missing(value) and np.isfinite(value):
                extra.append(f"{label} {fx.number(value)}")
        out.append(
            [
                _league_title(r.question_type, r.score_name),
                int(r.n),
                int(r.n_resolved),
                fx.number(r.score),
                fx.interval(r.score_low, r.score_high),
                relative,
                int(r.n_shared),
                "; ".join(extra),
                "too few to judge" if r.low_n else "",
            ]
        )
    return fx.table(
        [
            "league: score",
            "forecasts",
            "scored",
            "score",
            "95% interval",
            "relative (shared)",
            "shared questions",
            "also",
            "note",
        ],
        out,
        table_id=table_id,
        numeric=(1, 2, 3, 6),
    )


def _option_reliability(
    claims: pd.DataFrame, points: pd.DataFrame, scores: pd.DataFrame
) -> list[Any]:
    from forecastkit.reports import charts
    from forecastkit.scoring.distribution_calibration import option_reliability
    from forecastkit.scoring.forecast_scores import objects

    scored = scores[(scores["question_type"] == "multiple_choice") & scores["score"].notna()]
    if scored.empty:
        return []
    mine = claims.loc[scored.index]
    realised = mine.set_index("claim_id")["outcome_option"]
    rows = points[points["claim_id"].isin(mine["claim_id"])]
    option = objects(rows["option"])
    target = objects(rows["claim_id"].map(realised).astype(object))
    sums = rows.groupby("claim_id", sort=False, observed=True)["p"].transform("sum").to_numpy(float)
    p = rows["p"].to_numpy(dtype=float) / np.where(sums > 0, sums, 1.0)
    labels = pd.Series(option).value_counts()
    per_label = option if len(labels) <= 8 else None  # a handful of recurring labels only
    table = option_reliability(p, option == target, per_label)
    return [
        fx.tag("h3", "Multiple choice: is each option's probability right?"),
        fx.paragraph(
            f"Every option of {len(mine)} resolved multiple-choice forecast"
            f"{'s' if len(mine) != 1 else ''} is a yes/no forecast that this option "
            "is the answer; a calibrated forecaster's dots lie on the diagonal."
        ),
        charts.option_reliability_chart(table),
    ]


def _numeric_calibration(
    claims: pd.DataFrame, points: pd.DataFrame, scores: pd.DataFrame
) -> list[Any]:
    from forecastkit.reports import charts
    from forecastkit.scoring.distribution_calibration import (
        central_coverage,
        coverage_summary,
        pit_histogram,
        pit_values,
    )
    from forecastkit.scoring.forecast_scores import NUMERIC_TYPES, segment_points

    keep = (
        scores["question_type"].isin(NUMERIC_TYPES)
        & scores["score"].notna()
        & scores["form"].isin(["quantiles", "interval", "cdf"])
    )
    if not keep.any():
        return []
    mine = claims.loc[scores.index[keep.to_numpy()]]
    seg = segment_points(points[points["claim_id"].isin(mine["claim_id"])])
    y = (
        pd.to_numeric(mine.set_index("claim_id")["outcome_value"])
        .reindex(seg.claim)
        .to_numpy(float)
    )
    form = np.asarray(seg.form, dtype=object)
    pit = pit_values(seg.x, seg.p, seg.starts, y, form, seed=PIT_SEED)
    coverage = coverage_summary(central_coverage(seg.x, seg.p, seg.starts, y, form))
    n = len(y)
    parts = [
        fx.tag("h3", "Numeric and date: calibration of the distributions"),
        fx.paragraph(
            f"{n} resolved forecast{'s' if n != 1 else ''} given as quantiles, "
            "intervals or a CDF. The PIT is the forecast's probability that the value "
            "would be at most the outcome: a calibrated forecaster's PIT values are "
            "spread evenly; a U says overconfident, a hump underconfident, a slope "
            "biased. Interval coverage: the share of outcomes inside the forecast's "
            "central intervals, against their stated level."
        ),
        charts.pit_chart(pit_histogram(pit)),
    ]
    if len(coverage):
        parts.append(charts.coverage_chart(coverage))
    return parts


def crowd_sections(record: TypedRecord, author: str) -> list[fx.Fragment]:
    """The claimant against each crowd on the questions both forecast ("beat the Metaculus
    community on 7 of 12 shared questions"), per league; ``[]`` without a crowd to compare."""
    from forecastkit.scoring.crowd import crowd_sentence, crowd_summary

    comp = record.comparison
    if comp.empty or author in record.crowds:
        return []
    mine = comp[comp["claimant"] == author]
    if mine.empty:
        return []
    names = record.names
    sentences = []
    for r in crowd_summary(mine).itertuples():
        crowd = str(names.get(r.crowd, r.crowd))
        sentences.append(
            f"{names.get(author, author)} {crowd_sentence(int(r.beat), int(r.n_shared), crowd, int(r.tied))}."
        )
    rows = [
        [
            str(names.get(r.crowd, r.crowd)),
            _league_title(r.question_type, r.score_name),
            int(r.n_shared),
            int(r.beat),
            int(r.tied),
            int(r.lost),
        ]
        for r in mine.itertuples()
    ]
    table = fx.table(
        ["crowd", "league: score", "shared questions", "beat", "tied", "lost"],
        rows,
        table_id="fk-crowd",
        numeric=(2, 3, 4, 5),
    )
    return [
        fx.tag("h2", "Against the crowd")
        + fx.paragraph(" ".join(sentences))
        + table
        + fx.paragraph(
            "A crowd (an aggregate such as a platform's community prediction) is a "
            "benchmark: on each question both forecast, the lower score on the "
            "question's own score wins."
        )
    ]


def overview_leagues(record: TypedRecord, min_n: int, min_resolved: int = 0) -> list[Any]:
    """The overview's leagues for other question types: one ranked table per league (people
    only; crowds listed apart), each on its own score; ``[]`` without such forecasts."""
    from forecastkit.reports.assets import table_class
    from forecastkit.reports.ranking import rank_threshold

    table = record.table
    if table.empty:
        return []
    needed = rank_threshold(min_n, min_resolved)
    parts: list[Any] = [
        fx.tag("h2", "Multiple choice, numeric and date questions"),
        fx.paragraph(
            "One league per type of question and score; scores of "
            "different leagues are never compared. Multiple choice is "
            f"ranked by its score among claimants with {needed} or more "
            "scored questions; numeric and date by the relative CRPS "
            "(their summed CRPS over the others' median) among those with "
            f"{MIN_SHARED} or more shared questions, since a mean CRPS "
            "mixes units. Crowds are listed apart, as benchmarks."
        ),
    ]
    for (qtype, score_name), league in table.groupby(["question_type", "score_name"], sort=True):
        ratio = score_name == "crps"
        league = league.assign(crowd=league["group"].isin(record.crowds))
        rankable = ~league["crowd"] & (league["n_resolved"] >= needed)
        if ratio:
            rankable &= league["n_shared"] >= MIN_SHARED
        key = league["relative_score"] if ratio else league["score"]
        league = league.assign(ranked=rankable, _key=key.where(rankable))
        league = league.sort_values(
            ["crowd", "ranked", "_key", "group"],
            ascending=[True, False, True, True],
            na_position="last",
        )
        rows, rank = [], 0
        for r in league.itertuples():
            rank += bool(r.ranked)
            note = "crowd (benchmark)" if r.crowd else "" if r.ranked else "too few to rank"
            rows.append(
                [
                    rank if r.ranked else "",
                    fx.report_link(record.names.get(r.group, r.group), str(r.group)),
                    int(r.n),
                    int(r.n_resolved),
                    fx.number(r.score),
                    fx.interval(r.score_low, r.score_high),
                    fx.number(r.relative_score, 2) if r.n_shared else "",
                    int(r.n_shared),
                    note,
                ]
            )
        parts += [
            fx.tag("h3", _league_title(str(qtype), str(score_name))),
            fx.table(
                [
                    "rank",
                    "name",
                    "forecasts",
                    "scored",
                    "score",
                    "95% interval",
                    "relative",
                    "shared",
                    "note",
                ],
                rows,
                table_id=f"fk-league-{qtype}-{score_name}",
                numeric=(0, 2, 3, 4, 6, 7),
                cls=table_class(len(rows)),
            ),
        ]
    return parts


def overview_crowd(record: TypedRecord) -> list[fx.Fragment]:
    """Every claimant against each crowd on their shared questions, all types; ``[]`` without a
    crowd."""
    from forecastkit.reports.assets import table_class
    from forecastkit.scoring.crowd import crowd_summary

    comp = record.comparison
    if comp.empty:
        return []
    people = comp[~comp["claimant"].isin(record.crowds)]
    summary = crowd_summary(people)
    if summary.empty:
        return []
    summary = summary.assign(share=summary["beat"] / summary["n_shared"]).sort_values(
        ["crowd", "share", "n_shared", "claimant"], ascending=[True, False, False, True]
    )
    names = record.names
    rows = [
        [
            str(names.get(r.crowd, r.crowd)),
            fx.report_link(names.get(r.claimant, r.claimant), str(r.claimant)),
            int(r.n_shared),
            int(r.beat),
            int(r.tied),
            int(r.lost),
            fx.percent(r.share),
        ]
        for r in summary.itertuples()
    ]
    return [
        fx.tag("h2", "Against the crowd")
        + fx.paragraph(
            "Each claimant against each crowd on the questions both forecast, every "
            "type on its own score (yes/no questions: Brier)."
        )
        + fx.table(
            ["crowd", "claimant", "shared questions", "beat", "tied", "lost", "beat share"],
            rows,
            table_id="fk-crowd-league",
            numeric=(2, 3, 4, 5, 6),
            cls=table_class(len(rows)),
        )
    ]
