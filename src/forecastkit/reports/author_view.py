"""One claimant's report: a method per section of ``notebooks/author_report.ipynb``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from forecastkit.records.corpus import Corpus
from forecastkit.reports import fragments as fx
from forecastkit.reports.assets import table_class
from forecastkit.reports.parameters import ReportParameters, check_parameters
from forecastkit.reports.shared_view import author_section
from forecastkit.reports.typed_view import (
    TypedRecord,
    author_sections,
    crowd_sections,
    typed_record,
)
from forecastkit.reports.views import (
    SEED,
    Record,
    claims_fragment,
    counts,
    judgement,
    open_corpus,
    scale_fragment,
    scale_readings,
    score_row,
    scores_fragment,
    shown_status,
    summary_line,
    track_record,
    track_record_dates,
    yes_no_only,
)
from forecastkit.scoring.policies import policy_statement

if TYPE_CHECKING:
    import altair as alt


def question_pages(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Per row of ``sources``: True where the source's title is the text of a claim from it
    (case and spacing aside), as with a tracker's page for one question."""

    def words(values: pd.Series) -> pd.Series:
        return values.astype("string").fillna("").str.split().str.join(" ").str.casefold()

    said = pd.concat(
        [
            pd.DataFrame({"source_id": claims["source_id"], "w": words(claims[col])})
            for col in ("quote", "proposition")
        ]
    )
    keys = set(zip(said["source_id"], said["w"], strict=True))
    titled = zip(sources["source_id"], words(sources["title"]), strict=True)
    return pd.Series([(sid, w) in keys and w != "" for sid, w in titled], index=sources.index)


@dataclass
class AuthorReport(Record):
    """One claimant's record as of a date: one method per section of the author report."""

    params: ReportParameters
    corpus: Corpus
    claims: pd.DataFrame  # every claim of the claimant as it stood on as_of (all kinds)

    #: The yes/no sections (Record.heading): shown only where the claimant has such forecasts.
    HEADINGS = {
        "scores": (
            "Scores",
            "Lower is better for the Brier and log scores; higher is better "
            "for the hit rate and skill scores. Each score carries its 95% interval and "
            "the number of forecasts it rests on.",
        ),
        "calibration": (
            "Calibration",
            "When this claimant says \u201clikely\u201d, how often "
            "does it happen? The CORP reliability diagram (Dimitriadis, Gneiting & "
            "Jordan 2021) plots the recalibrated event frequency against the "
            "forecast probability; the grey band shows where the curve of a "
            "perfectly calibrated forecaster making the same forecasts would fall "
            "90% of the time. The binned diagram below it shows the raw share that "
            "came true in each tenth of the probability scale, with 95% Wilson "
            "intervals and counts.",
        ),
        "decomposition": (
            "Score decomposition",
            "Each score splits into miscalibration (lower "
            "is better), discrimination (higher is better) and the uncertainty "
            "of the events themselves.",
        ),
        "scales": (
            "Across lexicon scales",
            "Hedges (\u201clikely\u201d, \u201cmay\u201d) are "
            "read as probabilities through a published scale. The scores below use "
            "every shipped scale at its point values and at the low and high ends of "
            "each phrase's range; a record that holds across scales does not depend on "
            "how the words are read.",
        ),
        "track_record": (
            "Track record over time",
            "The Brier score as it stood at the end of "
            "each year (claims made later left out, outcomes known later still "
            "open), with its 95% interval, and the number of resolved forecasts "
            "it rests on.",
        ),
        "shared": (
            "On shared questions",
            "Yes/no questions other claimants forecast too: "
            "everyone's forecasts and the outcome, this claimant's Brier score on each "
            "against the median of the others' (relative Brier), the Metaculus peer "
            "score, and the record against each other claimant. A score on the same "
            "questions is the fair comparison; with few shared questions it is the "
            "record so far, not a verdict.",
        ),
    }
    FIRST_YES_NO = "scores"

    @classmethod
    def build(
        cls,
        author: str | None = None,
        claims_dir: str | None = None,
        scale: str | None = None,
        as_of: str | None = None,
        min_n: int = 10,
        policy: str | None = None,
        min_resolved: int = 0,
    ) -> AuthorReport:
        """Check the parameters and gather the claimant's claims (``author=None``: the claimant
        with most forecasts, so that the notebook runs as it is)."""
        from forecastkit.records.snapshot import as_of as claims_as_of

        folder = check_parameters(
            claims_dir=claims_dir,
            scale=scale,
            as_of=as_of,
            min_n=min_n,
            policy=policy,
            min_resolved=min_resolved,
        )
        corpus = open_corpus(folder.claims_dir, folder.scale)
        if author is None and len(corpus.forecasts()):
            author = corpus.forecasts()["claimant"].value_counts().sort_index().idxmax()
        params = check_parameters(
            author=author,
            claims_dir=folder.claims_dir,
            scale=folder.scale,
            as_of=folder.as_of,
            min_n=folder.min_n,
            policy=folder.policy,
            min_resolved=folder.min_resolved,
            authors=corpus.authors["claimant"].tolist(),
        )
        mine = corpus.claims[corpus.claims["claimant"] == params.author]
        return cls(params, corpus, claims_as_of(mine, params.as_of_date))

    # -- data

    @cached_property
    def counts(self) -> dict[str, int]:
        return counts(self.claims, self.as_of)

    @cached_property
    def scores(self) -> pd.Series | None:
        return score_row(
            self.forecasts, self.params.min_n, by="claimant", policy=self.params.policy
        )

    @property
    def n_resolved(self) -> int:
        return int(self.scores["n_resolved"]) if self.scores is not None else 0

    @property
    def enough(self) -> bool:
        return self.n_resolved >= max(self.params.min_n, 1)

    @cached_property
    def profile(self) -> pd.Series:
        a = self.corpus.authors
        return a[a["claimant"] == self.params.author].iloc[0]

    def summary_line(self) -> str:
        return summary_line(self.profile["name"], self.counts, self.scores, self.params.min_n)

    # -- sections
    def header(self) -> fx.Fragment:
        """Who the claimant is: name, affiliation, kind, aliases; the date and scale used."""
        from forecastkit.records import lexicon

        p = self.profile
        sc = lexicon.get_scale(self.params.scale)
        facts = fx.definition_list(
            [
                ("Claimant key", p["claimant"]),
                ("Affiliation", p["affiliation"]),
                ("Kind", p["kind"]),
                ("Also written as", p["aliases"]),
                ("Record as of", self.params.as_of),
                ("Hedges read on", f"{sc.name} ({sc.publisher}, {sc.year})"),
                ("Several forecasts on one question", policy_statement(self.params.policy)),
                ("In the overview", self.place_in_ranking()),
            ]
        )
        return fx.tag("h1", f"{p['name']}: forecast record") + facts

    def place_in_ranking(self) -> fx.Fragment | str:
        """Where the reader finds this claimant in the overview's league chart: a link that
        opens the overview with the chart's search set to the name, or why they are not
        ranked (:func:`forecastkit.reports.ranking.rank_threshold`)."""
        from urllib.parse import quote

        from forecastkit.reports.ranking import rank_threshold

        needed = rank_threshold(self.params.min_n, self.params.min_resolved)
        if self.n_resolved < needed:
            return (
                f"not ranked: {self.n_resolved} resolved forecast"
                f"{'s' if self.n_resolved != 1 else ''}, the ranking needs {needed}"
            )
        name = str(self.profile["name"])
        return fx.tag(
            "a",
            "their place in the league chart",
            href=f"{fx.REPORTS_PREFIX}overview.html#find={quote(name.lower())}",
        )

    @property
    def everyone(self) -> pd.DataFrame:
        """Everyone's claims on the day: the same frame for every report in the kernel, so the
        corpus-wide figures of a section are computed once (reports.memo)."""
        from forecastkit.records.snapshot import as_of as claims_as_of
        from forecastkit.reports.memo import per_frame

        return per_frame(
            "as_of",
            self.corpus.claims,
            (self.as_of,),
            lambda: claims_as_of(self.corpus.claims, self.as_of),
        )

    @yes_no_only
    def shared_questions(self) -> fx.Fragment:
        """On shared questions: everyone's forecasts, the outcome, relative scores, head-to-head."""
        names = self.corpus.authors.set_index("claimant")["name"]
        return author_section(self.everyone, self.params.author, names, self.params.policy, SEED)

    @cached_property
    def typed(self) -> TypedRecord:
        return typed_record(self.everyone, self.corpus, self.params.policy, SEED)

    def other_types(self) -> list:
        """Sections for multiple-choice, numeric and date forecasts (reports.typed_view); none
        when the claimant has only yes/no forecasts."""
        return author_sections(self.typed, self.params.author)

    def crowd(self) -> list:
        """The claimant against the crowds (claimants of kind crowd) on shared questions; none
        without a crowd sharing their questions."""
        return crowd_sections(self.typed, self.params.author)

    def sources(self) -> fx.Fragment:
        """Where the claims come from: each source with the claimant's role and claim count."""
        if self.claims.empty:
            return fx.note("No claims recorded for this claimant as of this date.")
        per = self.claims.groupby("source_id").agg(
            claims=("claim_id", "size"),
            roles=("claimant_role", lambda r: ", ".join(sorted(set(r.dropna())))),
        )
        src = self.corpus.sources.merge(per, left_on="source_id", right_index=True)
        src = src.sort_values(["published", "source_id"])
        # A source titled with its claim's own words is a tracker's question page: counted per
        # publisher here, linked from each claim in the claims table (the text shows once).
        pages = question_pages(self.claims, src)
        out = fx.Fragment("")
        if pages.any():
            per_pub = src[pages].groupby("publisher", dropna=False).size()
            counted = "; ".join(
                f"{n} question page{'s' if n != 1 else ''} on "
                f"{pub if isinstance(pub, str) else 'a tracker'}"
                for pub, n in per_pub.items()
            )
            out = fx.paragraph(
                counted + ", one per question: each is linked from its claims "
                "under \u201cEvery claim\u201d."
            )
            src = src[~pages]
        if src.empty:
            return out
        rows = [
            [
                r.published.strftime("%Y-%m-%d")
                + (" (estimated)" if r.published_estimated else ""),
                r.publisher,
                fx.link(r.title, r.url),
                r.byline,
                r.roles,
                r.claims,
            ]
            for r in src.itertuples()
        ]
        return out + fx.table(
            ["published", "publisher", "title", "byline", "role", "claims"],
            rows,
            table_id="fk-sources",
            numeric=(5,),
            cls=table_class(len(rows)),
        )

    def counts_fragment(self) -> fx.Fragment:
        c = self.counts
        rows = [
            ["forecasts made", c["made"]],
            ["resolved (true or false)", c["resolved"]],
            ["… of which came true", c["came true"]],
            ["resolved (an option or a value)", c["resolved other"]],
            ["open", c["open"]],
            ["… of which past their deadline", c["overdue"]],
            ["ambiguous (not scored)", c["ambiguous"]],
            ["annulled (not scored)", c["annulled"]],
            ["other statements recorded (not forecasts)", c["not forecasts"]],
        ]
        return fx.table(["claims", "count"], rows, table_id="fk-counts", numeric=(1,))

    @yes_no_only
    def verdict(self) -> fx.Fragment:
        text = judgement(self.n_resolved, self.params.min_n)
        return fx.note(text) if not self.enough else fx.paragraph(text)

    @yes_no_only
    def scores_fragment(self) -> fx.Fragment:
        frag = scores_fragment(self.scores)
        if self.scores is None or self.n_resolved == 0:
            return frag
        unc = self.scores["unc"]
        ref = fx.paragraph(
            f"Reference forecasters on the same {self.n_resolved} "
            f"claim{'' if self.n_resolved == 1 else 's'}: a coin flip (always 50%) "
            f"scores Brier 0.250; always forecasting the base rate of {fx.percent(self.scores['base_rate'])} "
            f"(known only in hindsight) scores {fx.number(unc)}. Intervals are 95% percentile "
            "bootstrap intervals over the claims."
        )
        return frag + ref

    @yes_no_only
    def reliability(self) -> alt.LayerChart | fx.Fragment:
        """The CORP reliability diagram with its 90% consistency band."""
        from forecastkit.reports import charts
        from forecastkit.scoring.calibration import reliability_diagram

        if self.n_resolved < 2:
            return fx.note("Fewer than two resolved forecasts: no reliability diagram.")
        r = self.resolved
        diagram = reliability_diagram(
            r["outcome"].to_numpy(), r["probability"].to_numpy(), seed=SEED
        )
        return charts.reliability_chart(diagram)

    @yes_no_only
    def reliability_reading(self) -> fx.Fragment:
        """What the diagram says, or that it is too early to say."""
        from forecastkit.scoring.calibration import reliability_diagram

        if self.n_resolved < 2:  # no curve was drawn (see reliability)
            return fx.Fragment("")
        if not self.enough:
            return fx.paragraph(
                "With this few resolved forecasts the curve mostly shows noise; "
                "no conclusion about calibration is drawn."
            )
        r = self.resolved
        d = reliability_diagram(r["outcome"].to_numpy(), r["probability"].to_numpy(), seed=SEED)
        outside = d[(d["cep"] < d["band_low"] - 1e-12) | (d["cep"] > d["band_high"] + 1e-12)]
        if outside.empty:
            return fx.paragraph(
                "The recalibrated curve stays inside the consistency band: no "
                "evidence of miscalibration at the 90% level."
            )
        where = ", ".join(f"{v:.2f}" for v in outside["forecast"])
        return fx.paragraph(
            f"The curve leaves the consistency band at forecast value(s) {where}: "
            "evidence of miscalibration there."
        )

    @yes_no_only
    def binned(self) -> alt.LayerChart | fx.Fragment:
        from forecastkit.reports import charts
        from forecastkit.scoring.binned import binned_reliability

        if self.n_resolved < 1:
            return fx.note("No resolved forecasts: no binned diagram.")
        r = self.resolved
        return charts.binned_chart(
            binned_reliability(r["outcome"].to_numpy(), r["probability"].to_numpy())
        )

    @yes_no_only
    def decomposition(self) -> fx.Fragment:
        """CORP (Brier and log), Murphy's partition and Spiegelhalter's test."""
        from forecastkit.scoring.binned import murphy_decomposition

        if self.n_resolved < 1:
            return fx.note("No resolved forecasts: nothing to decompose.")
        s = self.scores
        r = self.resolved
        m = murphy_decomposition(
            r["outcome"].to_numpy(), r["probability"].to_numpy(), bins="unique"
        )
        rows = [
            [
                "CORP, Brier",
                fx.number(s["brier"]),
                fx.number(s["mcb"]),
                fx.number(s["dsc"]),
                fx.number(s["unc"]),
            ],
            [
                "CORP, log score",
                fx.number(s["log_score"]),
                fx.number(s["mcb_log"]),
                fx.number(s["dsc_log"]),
                fx.number(s["unc_log"]),
            ],
            [
                "Murphy (one bin per forecast value)",
                fx.number(m.brier),
                fx.number(m.reliability),
                fx.number(m.resolution),
                fx.number(m.uncertainty),
            ],
        ]
        table = fx.table(
            [
                "decomposition",
                "score",
                "miscalibration (MCB / REL)",
                "discrimination (DSC / RES)",
                "uncertainty (UNC)",
            ],
            rows,
            table_id="fk-decomposition",
            numeric=(1, 2, 3, 4),
        )
        z = s["spiegelhalter_z"]
        test = (
            f"Spiegelhalter's test of calibration: Z = {fx.number(z, 2)}, p = {fx.number(s['spiegelhalter_p'], 3)}."
            if not fx.is_missing(z) and np.isfinite(z)
            else "Spiegelhalter's test is undefined here (every forecast at 50%)."
        )
        text = "score = miscalibration − discrimination + uncertainty. " + test
        if not self.enough:
            text += " With this few resolved forecasts these components are not interpreted."
        return table + fx.paragraph(text)

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        return scale_readings(self.forecasts, policy=self.params.policy)

    @yes_no_only
    def scales(self) -> fx.Fragment:
        if self.n_resolved < 1:
            return fx.note("No resolved forecasts: nothing to compare across scales.")
        return scale_fragment(self.sensitivity)

    @yes_no_only
    def scales_chart(self) -> alt.LayerChart | fx.Fragment:
        from forecastkit.reports import charts

        if self.n_resolved < 1:
            return fx.Fragment("")
        return charts.scale_chart(self.sensitivity)

    def timeline(self) -> alt.LayerChart | fx.Fragment:
        from forecastkit.reports import charts

        f = self.forecasts
        if f.empty:
            return fx.note("No forecasts to show.")
        data = f[
            ["claim_id", "quote", "hedge", "probability", "made_on", "resolve_by", "resolved_on"]
        ].copy()
        data["shown_status"] = shown_status(f, self.as_of).to_numpy()
        data["quote"] = data["quote"].astype(str)
        data["hedge"] = data["hedge"].astype("string").fillna("(stated number)").astype(str)
        return charts.timeline_chart(data)

    @cached_property
    def record(self) -> pd.DataFrame:
        if self.forecasts.empty:
            return pd.DataFrame()
        return track_record(
            self.forecasts,
            track_record_dates(self.forecasts, self.as_of),
            self.params.min_n,
            final=self.scores,
            policy=self.params.policy,
        )

    @yes_no_only
    def track_record(self) -> alt.VConcatChart | fx.Fragment:
        from forecastkit.reports import charts

        rec = self.record
        if rec.empty or int(rec["n_resolved"].max()) < 1:
            return fx.note("No resolved forecasts yet: no track record to draw.")
        return charts.track_record_chart(rec)

    def claims_table(self) -> fx.Fragment:
        if self.claims.empty:
            return fx.note("No claims.")
        return claims_fragment(self.corpus, self.claims, self.as_of)
