"""The overview: a method per section of ``notebooks/overview.ipynb``, and the league table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from forecastkit.records.corpus import Corpus
from forecastkit.reports import fragments as fx
from forecastkit.reports.parameters import ReportParameters, check_parameters
from forecastkit.reports.shared_view import head_to_head_matrix, relative_league
from forecastkit.reports.typed_view import (
    TypedRecord,
    overview_crowd,
    overview_leagues,
    typed_record,
)
from forecastkit.reports.views import (
    SEED,
    Record,
    counts,
    open_corpus,
    probability_text,
    score_row,
    shown_status,
    yes_no_only,
)
from forecastkit.scoring.policies import DEFAULT_POLICY, counted_unit, policy_statement

if TYPE_CHECKING:
    import altair as alt


def league_table(
    claims: pd.DataFrame, by: str, min_n: int, policy: str | None = None
) -> pd.DataFrame:
    """One row per group with counts, scores and intervals, best Brier first among groups with
    ``min_n`` or more resolved forecasts (then the others).

    One :func:`~forecastkit.scoring.grouped.score_table` call with the report seed; each group's
    bootstrap draws depend only on its own name and claims, so a claimant's interval here is
    the one in their own report and in ``forecastkit score``.  Forecasts with no value of
    ``by`` are left out. ``policy``: the scoring policy (None: the default).
    """
    from forecastkit.scoring.grouped import score_table

    forecasts = claims[(claims["kind"] == "forecast") & claims[by].notna()]
    if forecasts.empty:
        return pd.DataFrame(columns=["group", "n", "n_resolved", "brier", "low_n"])
    league = score_table(
        forecasts, by, min_n=min_n, ci=True, seed=SEED, policy=policy or DEFAULT_POLICY
    )
    # never on no resolved forecast, whatever min_n (ranking.rank_threshold is at least 1)
    league["ranked"] = ~league["low_n"] & (league["n_resolved"] > 0)
    # ranked groups by Brier; the rest (too few to judge) by name, so they do not read as ranked
    league["_order"] = league["brier"].where(league["ranked"])
    league = league.sort_values(
        ["ranked", "_order", "group"], ascending=[False, True, True], na_position="last"
    )
    return league.drop(columns="_order").reset_index(drop=True)


@dataclass
class Overview(Record):
    """The whole corpus as of a date: league tables, pooled calibration, references, open claims."""

    params: ReportParameters
    corpus: Corpus
    claims: pd.DataFrame  # every claim as it stood on as_of

    #: The yes/no sections (Record.heading): shown only where the corpus has such forecasts;
    #: the other types have their own leagues (typed_view), never ranked with these.
    HEADINGS = {
        "claimants": (
            "Claimants",
            "Every claimant with yes/no forecasts, ranked by Brier "
            "score. Only those with enough resolved forecasts are ranked; the others "
            "are listed for the record.",
        ),
        "references": (
            "Compared with reference forecasters",
            "A coin flip says 50% every "
            "time; the base-rate forecaster always says the share of claims that "
            "came true (known only in hindsight). A claimant who cannot beat them "
            "has shown no skill.",
        ),
        "shared": (
            "On shared questions",
            "Claimants compared only where they forecast the "
            "same yes/no question: the relative Brier score (their Brier score minus "
            "the median of the others' on each shared question; lower is better) and "
            "the Metaculus peer score, ranked only with enough shared questions; then "
            "who beat whom on the questions each pair shares.",
        ),
        "publishers": (
            "Publishers",
            "All yes/no forecasts published by each outlet, whoever made them.",
        ),
        "calibration": (
            "Pooled calibration",
            "Every resolved yes/no forecast of every "
            "claimant: the CORP reliability diagram with its 90% consistency band, "
            "and the decomposition of the pooled scores.",
        ),
    }
    FIRST_YES_NO = "claimants"

    @classmethod
    def build(
        cls,
        claims_dir: str | None = None,
        scale: str | None = None,
        as_of: str | None = None,
        min_n: int = 10,
        policy: str | None = None,
        min_resolved: int = 0,
    ) -> Overview:
        from forecastkit.records.snapshot import as_of as claims_as_of

        params = check_parameters(
            claims_dir=claims_dir,
            scale=scale,
            as_of=as_of,
            min_n=min_n,
            policy=policy,
            min_resolved=min_resolved,
        )
        corpus = open_corpus(params.claims_dir, params.scale)
        return cls(params, corpus, claims_as_of(corpus.claims, params.as_of_date))

    def header(self) -> fx.Fragment:
        c = counts(self.claims, self.as_of)
        facts = fx.definition_list(
            [
                ("Record as of", self.params.as_of),
                ("Sources", len(self.corpus.sources)),
                ("Claimants with forecasts", self.forecasts["claimant"].nunique()),
                ("Forecasts", c["made"]),
                ("Resolved", c["resolved"] + c["resolved other"]),
                ("Open", c["open"]),
                ("Past their deadline", c["overdue"]),
                ("Ambiguous or annulled", c["ambiguous"] + c["annulled"]),
                ("Hedges read on", self.params.scale),
                ("Several forecasts on one question", policy_statement(self.params.policy)),
            ]
        )
        return fx.tag("h1", "Forecast record: overview") + facts

    @yes_no_only
    def relative_league(self) -> fx.Fragment:
        """Claimants compared on the questions they share (ranked only with enough of them)."""
        names = self.corpus.authors.set_index("claimant")["name"]
        return relative_league(self.claims, names, self.params.policy, SEED)

    @yes_no_only
    def head_to_head(self) -> fx.Fragment:
        """Wins, losses and ties of each pair of claimants who share questions."""
        names = self.corpus.authors.set_index("claimant")["name"]
        return head_to_head_matrix(self.claims, names, self.params.policy)

    @cached_property
    def claimants(self) -> pd.DataFrame:
        from forecastkit.reports.ranking import rank_at_least
        from forecastkit.scoring.crowd import crowd_claimants

        league = league_table(self.claims, "claimant", self.params.min_n, self.params.policy)
        # crowds are benchmarks, listed apart after the people and never ranked among them
        crowd = league["group"].isin(crowd_claimants(self.corpus.authors)).to_numpy(bool)
        crowds = league[crowd]
        league = rank_at_least(league[~crowd].reset_index(drop=True), self.params.min_resolved)
        if len(crowds):
            league = pd.concat(
                [league.assign(crowd=False), crowds.assign(ranked=False, rank=pd.NA, crowd=True)],
                ignore_index=True,
            )
        names = self.corpus.authors.set_index("claimant")["name"]
        league["name"] = league["group"].map(names).fillna(league["group"]).astype(str)
        return league

    @cached_property
    def typed(self) -> TypedRecord:
        return typed_record(self.claims, self.corpus, self.params.policy, SEED)

    def other_leagues(self) -> list:
        """One league per other question type and score (reports.typed_view); none without
        such forecasts."""
        return overview_leagues(self.typed, self.params.min_n, self.params.min_resolved)

    def crowd(self) -> list:
        """Every claimant against the crowds on shared questions; none without a crowd."""
        return overview_crowd(self.typed)

    @cached_property
    def publishers(self) -> pd.DataFrame:
        league = league_table(self.claims, "publisher", self.params.min_n, self.params.policy)
        league["name"] = league["group"].astype(str)
        return league

    @yes_no_only
    def league_fragment(
        self, league: pd.DataFrame, table_id: str, link_reports: bool = False
    ) -> fx.Fragment:
        from forecastkit.reports.assets import table_class
        from forecastkit.reports.ranking import rank_threshold, unranked_note

        if league.empty:
            return fx.note("No forecasts.")
        rows = []
        for i, r in enumerate(league.itertuples(), start=1):
            name = fx.link(r.name, None)
            if link_reports:
                name = fx.report_link(r.name, str(r.group))
            rows.append(
                [
                    i if r.ranked else "",
                    name,
                    int(r.n),
                    int(r.n_resolved),
                    fx.number(r.brier),
                    fx.interval(r.brier_low, r.brier_high),
                    fx.number(r.log_score),
                    fx.number(r.hit_rate, 2),
                    fx.number(r.bss_base_rate, 2),
                    "crowd (benchmark)"
                    if getattr(r, "crowd", False)
                    else "too few to judge"
                    if r.low_n
                    else "",
                ]
            )
        at_least = self.params.min_resolved if link_reports else 0  # (claimants only)
        people = league[~league["crowd"].astype(bool)] if "crowd" in league.columns else league
        caption = unranked_note(
            people,
            rank_threshold(self.params.min_n, at_least),
            "claimants" if link_reports else "publishers",
        )
        return fx.table(
            [
                "rank",
                "name",
                # the league counts what the policy scores: forecasts, or questions
                counted_unit(self.params.policy or DEFAULT_POLICY),
                "resolved",
                "Brier",
                "95% interval",
                "log score",
                "hit rate",
                "skill vs base rate",
                "note",
            ],
            rows,
            table_id=table_id,
            numeric=(0, 2, 3, 4, 6, 7, 8),
            caption=caption,
            cls=table_class(len(rows)),
        )

    @cached_property
    def references(self) -> pd.DataFrame:
        """Pooled claimants and reference forecasters on the same resolved claims."""
        from forecastkit.scoring.scores import summarise

        r = self.resolved
        if r.empty:
            return pd.DataFrame(
                columns=["forecaster", "brier", "brier_low", "brier_high", "log_score", "n"]
            )
        y, p = r["outcome"].to_numpy(), r["probability"].to_numpy()
        rate = float(y.mean())
        rows = []
        for name, probs in (
            ("all claimants, pooled", p),
            ("coin flip (always 50%)", np.full_like(p, 0.5)),
            (f"base rate (always {rate:.0%}, hindsight)", np.full_like(p, rate)),
        ):
            s = summarise(y, probs, seed=SEED)
            rows.append(
                {
                    "forecaster": name,
                    "brier": s["brier"].value,
                    "brier_low": s["brier"].low,
                    "brier_high": s["brier"].high,
                    "log_score": s["log_score"].value,
                    "n": s["brier"].n,
                }
            )
        return pd.DataFrame(rows)

    @yes_no_only
    def references_fragment(self) -> fx.Fragment:
        ref = self.references
        if ref.empty:
            return fx.note("No resolved forecasts.")
        rows = [
            [
                r.forecaster,
                r.n,
                fx.number(r.brier),
                fx.interval(r.brier_low, r.brier_high),
                fx.number(r.log_score),
            ]
            for r in ref.itertuples()
        ]
        return fx.table(
            ["forecaster", "n", "Brier", "95% interval", "log score"],
            rows,
            table_id="fk-references",
            numeric=(1, 2, 4),
        )

    @yes_no_only
    def league_chart(self) -> alt.LayerChart | fx.Fragment:
        from forecastkit.reports import charts
        from forecastkit.reports.ranking import chart_rows

        league = self.claimants[self.claimants["n_resolved"] > 0]
        if league.empty:
            return fx.note("No resolved forecasts.")
        refs = self.references.iloc[1:][["forecaster", "brier"]]
        shown, title = chart_rows(league)
        return charts.league_chart(shown, refs, title=title)

    @yes_no_only
    def reliability(self) -> alt.LayerChart | fx.Fragment:
        from forecastkit.reports import charts
        from forecastkit.scoring.calibration import reliability_diagram

        r = self.resolved
        if len(r) < 2:
            return fx.note("Fewer than two resolved forecasts: no reliability diagram.")
        d = reliability_diagram(r["outcome"].to_numpy(), r["probability"].to_numpy(), seed=SEED)
        return charts.reliability_chart(d, title="Pooled CORP reliability diagram (all claimants)")

    @yes_no_only
    def decomposition(self) -> fx.Fragment:
        r = self.resolved
        if r.empty:
            return fx.note("No resolved forecasts.")
        s = score_row(self.forecasts, self.params.min_n, policy=self.params.policy)
        rows = [
            [
                "Brier",
                fx.number(s["brier"]),
                fx.number(s["mcb"]),
                fx.number(s["dsc"]),
                fx.number(s["unc"]),
            ],
            [
                "log score",
                fx.number(s["log_score"]),
                fx.number(s["mcb_log"]),
                fx.number(s["dsc_log"]),
                fx.number(s["unc_log"]),
            ],
        ]
        return fx.table(
            ["score", "value", "miscalibration", "discrimination", "uncertainty"],
            rows,
            table_id="fk-pooled-decomposition",
            numeric=(1, 2, 3, 4),
        )

    def open_claims(self) -> fx.Fragment:
        """Open forecasts, overdue first (oldest deadline first); a paged table when long."""
        from forecastkit.reports.assets import table_class

        f = self.forecasts
        status = shown_status(f, self.as_of)
        open_ = f[status.isin(["open", "overdue"]).to_numpy()].copy()
        if open_.empty:
            return fx.note("No open forecasts.")
        open_["shown"] = shown_status(open_, self.as_of).to_numpy()
        open_ = open_.sort_values(["resolve_by", "claim_id"], na_position="last")
        names = self.corpus.authors.set_index("claimant")["name"]
        rows = [
            [
                r.resolve_by.strftime("%Y-%m-%d") if not fx.is_missing(r.resolve_by) else "",
                fx.tag("span", r.shown, class_=f"fk-status fk-{r.shown}"),
                fx.report_link(names.get(r.claimant, r.claimant), str(r.claimant)),
                r.proposition,
                r.hedge,
                probability_text(r),
            ]
            for r in open_.itertuples()
        ]
        return fx.table(
            ["deadline", "status", "claimant", "proposition", "hedge", "probability"],
            rows,
            table_id="fk-open",
            cls=table_class(len(rows)),
        )
