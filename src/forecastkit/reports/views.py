"""What a report notebook shows: the tables, sentences and chart data of each section.

:class:`AuthorReport` holds one claimant's record as of a date and gives one method per section
of ``notebooks/author_report.ipynb``; :class:`Overview` does the same for
``notebooks/overview.ipynb``. Notebooks only call these and display the results. Figures come
from :mod:`forecastkit.scoring.grouped` (scores, CORP, intervals) and :mod:`forecastkit.scoring.calibration`;
text from claim files is escaped (:mod:`forecastkit.reports.fragments`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from forecastkit.records.corpus import Corpus
from forecastkit.reports import fragments as fx
from forecastkit.reports.parameters import ReportParameters, check_parameters

if TYPE_CHECKING:
    import altair as alt

#: Seed of every bootstrap in a report, so that a report and its index line agree.
SEED = 0

_CACHE: OrderedDict[tuple, Corpus] = OrderedDict()
_CACHE_SIZE = 4


def open_corpus(claims_dir: str | os.PathLike[str] | None = None, scale: str | None = None) -> Corpus:
    """:func:`forecastkit.load`, remembered while no file of the corpus changes.

    A kernel that runs many reports (``forecastkit report``) loads the corpus once; any edit
    to a claim file (its size or modification time) loads it again.
    """
    from forecastkit.records.corpus import load
    from forecastkit.records.layout import corpus_files
    from forecastkit.records.lexicon import DEFAULT_SCALE
    from forecastkit.records.paths import resolve_corpus_path

    root = resolve_corpus_path(claims_dir).resolve()
    scale = scale or DEFAULT_SCALE
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                  for p in corpus_files(root).all())
    key = (str(root), scale, dt.date.today(), stamp)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    corpus = load(root, scale)
    _CACHE[key] = corpus
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return corpus


def shown_status(claims: pd.DataFrame, as_of: dt.date | pd.Timestamp) -> pd.Series:
    """Status for display: ``overdue`` for open forecasts past ``resolve_by`` on ``as_of``;
    ``not a forecast`` for prescriptions and descriptions."""
    status = claims["status"].astype("string").fillna("open")
    overdue = (status == "open") & (claims["resolve_by"] < pd.Timestamp(as_of))
    status = status.mask(overdue, "overdue")
    if "kind" in claims.columns:
        status = status.mask(claims["kind"].fillna("forecast") != "forecast", "not a forecast")
    return status.astype(str)


def counts(claims: pd.DataFrame, as_of: dt.date | pd.Timestamp) -> dict[str, int]:
    """Forecasts made, resolved (true/false), open (and overdue), ambiguous, annulled; plus the
    statements recorded that are not forecasts."""
    kind = claims["kind"].fillna("forecast") if "kind" in claims.columns else pd.Series("forecast", index=claims.index)
    forecasts = claims[kind == "forecast"]
    status = forecasts["status"].astype("string").fillna("open")
    shown = shown_status(forecasts, as_of)
    return {
        "made": int(len(forecasts)),
        "resolved": int(status.isin(["true", "false"]).sum()),
        "came true": int((status == "true").sum()),
        "open": int((status == "open").sum()),
        "overdue": int((shown == "overdue").sum()),
        "ambiguous": int((status == "ambiguous").sum()),
        "annulled": int((status == "annulled").sum()),
        "not forecasts": int((kind != "forecast").sum()),
    }


def judgement(n_resolved: int, min_n: int) -> str:
    """The plain sentence on how far the record can be judged."""
    if n_resolved == 0:
        return "No resolved forecasts yet: there is nothing to score."
    if n_resolved < min_n:
        word = "forecast" if n_resolved == 1 else "forecasts"
        return (f"{n_resolved} resolved {word}: too few to judge calibration or skill "
                f"(this report draws conclusions from {min_n} or more). The figures below are "
                "the record so far, not a verdict.")
    return (f"{n_resolved} resolved forecasts: enough to compare with reference forecasters, "
            "though intervals remain wide below about 50.")


def score_row(forecasts: pd.DataFrame, min_n: int, by: str | None = None) -> pd.Series | None:
    """Every score of one set of forecasts (one :func:`forecastkit.scoring.grouped.score_table` row,
    bootstrap intervals seeded with :data:`SEED`); None when there are no forecasts.

    ``by`` names the column that all the forecasts share (``"claimant"`` for one claimant's):
    the bootstrap stream is seeded by the group's name, so the intervals are then those of
    ``forecastkit score --by claimant`` and of the overview's league table.
    """
    from forecastkit.scoring.grouped import score_table

    if forecasts.empty:
        return None
    table = score_table(forecasts, by, min_n=min_n, ci=True, seed=SEED)
    if len(table) > 1:
        raise ValueError(f"score_row: the forecasts have {len(table)} values of {by!r}")
    return table.iloc[0] if len(table) else None


STATISTICS = (
    # key, label, better, digits
    ("brier", "Brier score", "lower", 3),
    ("log_score", "Log score (nats)", "lower", 3),
    ("hit_rate", "Hit rate (right side of 50%)", "higher", 3),
    ("bss_base_rate", "Brier skill vs. the base rate", "higher", 3),
    ("bss_half", "Brier skill vs. a coin flip (50%)", "higher", 3),
)


def scores_fragment(row: pd.Series | None, table_id: str = "fk-scores") -> fx.Fragment:
    """The scores table: statistic, value, 95% interval, n, and which way is better."""
    if row is None or row["n_resolved"] == 0:
        return fx.note("No resolved forecasts to score.")
    rows = []
    for key, label, better, digits in STATISTICS:
        n = int(row["n_hits"] + row["n_misses"]) if key == "hit_rate" else int(row["n_resolved"])
        rows.append([label, fx.number(row[key], digits),
                     fx.interval(row.get(f"{key}_low"), row.get(f"{key}_high"), digits), n, better])
    return fx.table(["statistic", "value", "95% interval", "n", "better"], rows,
                    table_id=table_id, numeric=(1, 3))


def summary_line(name: str, c: dict[str, int], row: pd.Series | None, min_n: int) -> str:
    """One line for the index: counts and the Brier score with its interval, or why not."""
    made = "1 forecast" if c["made"] == 1 else f"{c['made']} forecasts"
    head = f"{made}, {c['resolved']} resolved, {c['open']} open"
    if row is None or c["resolved"] == 0:
        return head + "; nothing to score yet"
    brier = f"Brier {fx.number(row['brier'])} {fx.interval(row['brier_low'], row['brier_high'])}"
    if c["resolved"] < min_n:
        return f"{head}; {brier}, too few to judge"
    return f"{head}; {brier}"


def evidence_links(corpus: Corpus, claim_ids: pd.Series) -> dict[str, fx.Fragment]:
    """Links to the current outcome's evidence of each claim."""
    current = corpus.outcomes[corpus.outcomes["current"]][["claim_id", "entry"]]
    ev = corpus.evidence.merge(current, on=["claim_id", "entry"])
    ev = ev[ev["claim_id"].isin(set(claim_ids))]
    out: dict[str, fx.Fragment] = {}
    for cid, group in ev.groupby("claim_id", sort=False):
        links = [fx.link(r.title if not fx.is_missing(r.title) else (r.publisher or "evidence"), r.url)
                 for r in group.itertuples()]
        out[str(cid)] = fx.join(links, "; ")
    return out


def probability_text(row: Any) -> str:
    """``0.68 (0.55–0.80)`` for a hedge read on a scale; ``0.30 (stated)`` for a number."""
    if fx.is_missing(row.probability):
        return ""
    if not fx.is_missing(row.probability_stated):
        return f"{row.probability:.2f} (stated)"
    if not fx.is_missing(row.probability_low) and row.probability_low != row.probability_high:
        return f"{row.probability:.2f} ({row.probability_low:.2f}–{row.probability_high:.2f})"
    return f"{row.probability:.2f}"


def claims_fragment(corpus: Corpus, claims: pd.DataFrame, as_of: dt.date, table_id: str = "fk-claims") -> fx.Fragment:
    """Every claim: made on, quote, proposition, hedge, probability, deadline, outcome, evidence."""
    links = evidence_links(corpus, claims["claim_id"])
    status = shown_status(claims, as_of)
    ordered = claims.assign(_shown=status.to_numpy()).sort_values(["made_on", "claim_id"])
    rows = []
    for row, shown in zip(ordered.itertuples(), ordered["_shown"]):
        quote = fx.tag("q", row.quote) + fx.Fragment("<br>") + fx.tag("small", row.proposition, class_="fk-prop")
        if not fx.is_missing(row.condition):
            quote = quote + fx.Fragment("<br>") + fx.tag("small", f"Condition: {row.condition}")
        outcome = fx.tag("span", shown, class_=f"fk-status fk-{shown.replace(' ', '-')}")
        rows.append([
            row.made_on.strftime("%Y-%m-%d") if not fx.is_missing(row.made_on) else "",
            quote, row.hedge, probability_text(row),
            row.resolve_by.strftime("%Y-%m-%d") if not fx.is_missing(row.resolve_by) else "",
            outcome, links.get(row.claim_id, ""),
            fx.link(row.source_title, _source_url(corpus, row.source_id)),
        ])
    return fx.table(["made on", "quote and proposition", "hedge", "probability", "deadline",
                     "outcome", "evidence", "source"], rows, table_id=table_id)


def _source_url(corpus: Corpus, source_id: str) -> Any:
    match = corpus.sources.loc[corpus.sources["source_id"] == source_id, "url"]
    return match.iloc[0] if len(match) else None


def track_record_dates(claims: pd.DataFrame, as_of: dt.date) -> list[pd.Timestamp]:
    """Year ends from the first forecast's year to ``as_of``, and ``as_of`` itself."""
    made = claims["made_on"].dropna()
    if made.empty:
        return [pd.Timestamp(as_of)]
    end = pd.Timestamp(as_of)
    years = range(made.min().year, end.year)
    return [pd.Timestamp(y, 12, 31) for y in years] + [end]


def scale_readings(forecasts: pd.DataFrame, scales: list[str] | None = None) -> pd.DataFrame:
    """Brier and log scores with hedges read on every scale, at each phrase's point value and
    at the low and high ends of its range (claims that state a number keep it).

    The numbers of :func:`forecastkit.scoring.grouped.scale_sensitivity` for one group, computed in a
    single :func:`~forecastkit.scoring.grouped.score_table` call over all (scale, reading) variants.
    Columns: ``scale, reading, n_resolved, n_unscored, brier, log_score``.
    """
    from forecastkit.errors import ForecastkitError
    from forecastkit.records import lexicon
    from forecastkit.scoring.grouped import READINGS, score_table

    keys = list(lexicon.scales()) if scales is None else list(scales)
    stated = pd.to_numeric(forecasts["probability_stated"], errors="coerce")
    hedges = forecasts["hedge"].astype("string")
    todo = hedges[stated.isna()].dropna().unique()
    frames = []
    for key in keys:
        readings = {}
        for hedge in todo:
            try:
                readings[hedge] = lexicon.read_hedge(hedge, key)
            except ForecastkitError:
                pass
        for attr in READINGS:
            values = {h: float(getattr(r, attr)) for h, r in readings.items()}
            prob = stated.where(stated.notna(), hedges.map(values).astype("float64"))
            frames.append(forecasts.assign(probability=prob, _variant=f"{key}\t{attr}"))
    if not frames:
        return pd.DataFrame(columns=["scale", "reading", "n_resolved", "n_unscored", "brier", "log_score"])
    table = score_table(pd.concat(frames, ignore_index=True), "_variant", min_n=0, ci=False)
    table[["scale", "reading"]] = table["group"].str.split("\t", expand=True)
    return table[["scale", "reading", "n_resolved", "n_unscored", "brier", "log_score"]]


def track_record(forecasts: pd.DataFrame, dates: list[pd.Timestamp], min_n: int,
                 final: pd.Series | None = None) -> pd.DataFrame:
    """Scores as the record stood on each date (:func:`forecastkit.records.snapshot.as_of`), with
    bootstrap intervals, from one :func:`~forecastkit.scoring.grouped.score_table` call over all dates.

    ``final`` (the report's own score row for the last date) replaces the last row, so that the
    track record ends exactly on the figures of the scores table.
    """
    from forecastkit.scoring.grouped import as_of, score_table

    frames = [as_of(forecasts, d).assign(_as_of=d.strftime("%Y-%m-%d")) for d in dates]
    stacked = pd.concat(frames, ignore_index=True)
    if stacked.empty:
        return pd.DataFrame(columns=["as_of", "n_resolved", "brier", "brier_low", "brier_high"])
    table = score_table(stacked, "_as_of", min_n=min_n, ci=True, seed=SEED)
    table.insert(0, "as_of", pd.to_datetime(table.pop("group")))
    if final is not None and len(table) and table["as_of"].iloc[-1] == dates[-1]:
        for col in final.index.intersection(table.columns).drop("as_of", errors="ignore"):
            table.loc[table.index[-1], col] = final[col]
    return table.sort_values("as_of").reset_index(drop=True)


def scale_fragment(sens_table: pd.DataFrame, table_id: str = "fk-scales") -> fx.Fragment:
    """Brier score under each scale's point reading and at the low and high ends."""
    from forecastkit.records import lexicon

    wide = sens_table.pivot_table(index="scale", columns="reading", values="brier")
    n = sens_table[sens_table["reading"] == "point"].set_index("scale")["n_resolved"]
    rows = []
    for key in wide.index:
        sc = lexicon.get_scale(key)
        rows.append([key, f"{sc.name} ({sc.publisher}, {sc.year})",
                     int(n.get(key, 0)), fx.number(wide.loc[key].get("point")),
                     fx.number(wide.loc[key].get("low")), fx.number(wide.loc[key].get("high"))])
    return fx.table(["scale", "source", "n", "Brier (point)", "Brier (low ends)",
                     "Brier (high ends)"], rows, table_id=table_id, numeric=(2, 3, 4, 5))


# --------------------------------------------------------------------------- author report


class _Record:
    """What both report kinds know of their claims: the date, the forecasts, the scored ones."""

    params: ReportParameters
    claims: pd.DataFrame

    @property
    def as_of(self) -> dt.date:
        return self.params.as_of_date

    @cached_property
    def forecasts(self) -> pd.DataFrame:
        return self.claims[self.claims["kind"] == "forecast"]

    @cached_property
    def resolved(self) -> pd.DataFrame:
        """Forecasts resolved true or false with a probability: the ones that are scored."""
        f = self.forecasts
        return f[f["outcome"].isin([0.0, 1.0]) & f["probability"].notna()]


@dataclass
class AuthorReport(_Record):
    """One claimant's record as of a date: one method per section of the author report."""

    params: ReportParameters
    corpus: Corpus
    claims: pd.DataFrame  # every claim of the claimant as it stood on as_of (all kinds)

    @classmethod
    def build(cls, author: str | None = None, claims_dir: str | None = None, scale: str | None = None,
              as_of: str | None = None, min_n: int = 10) -> AuthorReport:
        """Check the parameters and gather the claimant's claims (``author=None``: the claimant
        with most forecasts, so that the notebook runs as it is)."""
        from forecastkit.records.snapshot import as_of as claims_as_of

        folder = check_parameters(claims_dir=claims_dir, scale=scale, as_of=as_of, min_n=min_n)
        corpus = open_corpus(folder.claims_dir, folder.scale)
        if author is None and len(corpus.forecasts()):
            author = corpus.forecasts()["claimant"].value_counts().sort_index().idxmax()
        params = check_parameters(author=author, claims_dir=folder.claims_dir, scale=folder.scale,
                                  as_of=folder.as_of, min_n=folder.min_n,
                                  authors=corpus.authors["claimant"].tolist())
        mine = corpus.claims[corpus.claims["claimant"] == params.author]
        return cls(params, corpus, claims_as_of(mine, params.as_of_date))

    # -- data

    @cached_property
    def counts(self) -> dict[str, int]:
        return counts(self.claims, self.as_of)

    @cached_property
    def scores(self) -> pd.Series | None:
        return score_row(self.forecasts, self.params.min_n, by="claimant")

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
        facts = fx.definition_list([
            ("Claimant key", p["claimant"]), ("Affiliation", p["affiliation"]), ("Kind", p["kind"]),
            ("Also written as", p["aliases"]), ("Record as of", self.params.as_of),
            ("Hedges read on", f"{sc.name} ({sc.publisher}, {sc.year})"),
        ])
        return fx.tag("h1", f"{p['name']}: forecast record") + facts

    def sources(self) -> fx.Fragment:
        """Where the claims come from: each source with the claimant's role and claim count."""
        if self.claims.empty:
            return fx.note("No claims recorded for this claimant as of this date.")
        per = self.claims.groupby("source_id").agg(
            claims=("claim_id", "size"),
            roles=("claimant_role", lambda r: ", ".join(sorted(set(r.dropna())))))
        src = self.corpus.sources.merge(per, left_on="source_id", right_index=True)
        src = src.sort_values(["published", "source_id"])
        rows = [[r.published.strftime("%Y-%m-%d") + (" (estimated)" if r.published_estimated else ""),
                 r.publisher, fx.link(r.title, r.url), r.byline, r.roles, r.claims]
                for r in src.itertuples()]
        return fx.table(["published", "publisher", "title", "byline", "role", "claims"], rows,
                        table_id="fk-sources", numeric=(5,))

    def counts_fragment(self) -> fx.Fragment:
        c = self.counts
        rows = [["forecasts made", c["made"]], ["resolved (true or false)", c["resolved"]],
                ["… of which came true", c["came true"]], ["open", c["open"]],
                ["… of which past their deadline", c["overdue"]], ["ambiguous (not scored)", c["ambiguous"]],
                ["annulled (not scored)", c["annulled"]],
                ["other statements recorded (not forecasts)", c["not forecasts"]]]
        return fx.table(["claims", "count"], rows, table_id="fk-counts", numeric=(1,))

    def verdict(self) -> fx.Fragment:
        text = judgement(self.n_resolved, self.params.min_n)
        return fx.note(text) if not self.enough else fx.paragraph(text)

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
            "bootstrap intervals over the claims.")
        return frag + ref

    def reliability(self) -> alt.LayerChart | fx.Fragment:
        """The CORP reliability diagram with its 90% consistency band."""
        from forecastkit.reports import charts
        from forecastkit.scoring.calibration import reliability_diagram

        if self.n_resolved < 2:
            return fx.note("Fewer than two resolved forecasts: no reliability diagram.")
        r = self.resolved
        diagram = reliability_diagram(r["outcome"].to_numpy(), r["probability"].to_numpy(), seed=SEED)
        return charts.reliability_chart(diagram)

    def reliability_reading(self) -> fx.Fragment:
        """What the diagram says, or that it is too early to say."""
        from forecastkit.scoring.calibration import reliability_diagram

        if self.n_resolved < 2:  # no curve was drawn (see reliability)
            return fx.Fragment("")
        if not self.enough:
            return fx.paragraph("With this few resolved forecasts the curve mostly shows noise; "
                                "no conclusion about calibration is drawn.")
        r = self.resolved
        d = reliability_diagram(r["outcome"].to_numpy(), r["probability"].to_numpy(), seed=SEED)
        outside = d[(d["cep"] < d["band_low"] - 1e-12) | (d["cep"] > d["band_high"] + 1e-12)]
        if outside.empty:
            return fx.paragraph("The recalibrated curve stays inside the consistency band: no "
                                "evidence of miscalibration at the 90% level.")
        where = ", ".join(f"{v:.2f}" for v in outside["forecast"])
        return fx.paragraph(f"The curve leaves the consistency band at forecast value(s) {where}: "
                            "evidence of miscalibration there.")

    def binned(self) -> alt.LayerChart | fx.Fragment:
        from forecastkit.reports import charts
        from forecastkit.scoring.calibration import binned_reliability

        if self.n_resolved < 1:
            return fx.note("No resolved forecasts: no binned diagram.")
        r = self.resolved
        return charts.binned_chart(binned_reliability(r["outcome"].to_numpy(), r["probability"].to_numpy()))

    def decomposition(self) -> fx.Fragment:
        """CORP (Brier and log), Murphy's partition and Spiegelhalter's test."""
        from forecastkit.scoring.calibration import murphy_decomposition

        if self.n_resolved < 1:
            return fx.note("No resolved forecasts: nothing to decompose.")
        s = self.scores
        r = self.resolved
        m = murphy_decomposition(r["outcome"].to_numpy(), r["probability"].to_numpy(), bins="unique")
        rows = [
            ["CORP, Brier", fx.number(s["brier"]), fx.number(s["mcb"]), fx.number(s["dsc"]), fx.number(s["unc"])],
            ["CORP, log score", fx.number(s["log_score"]), fx.number(s["mcb_log"]), fx.number(s["dsc_log"]),
             fx.number(s["unc_log"])],
            ["Murphy (one bin per forecast value)", fx.number(m.brier), fx.number(m.reliability),
             fx.number(m.resolution), fx.number(m.uncertainty)],
        ]
        table = fx.table(["decomposition", "score", "miscalibration (MCB / REL)",
                          "discrimination (DSC / RES)", "uncertainty (UNC)"], rows,
                         table_id="fk-decomposition", numeric=(1, 2, 3, 4))
        z = s["spiegelhalter_z"]
        test = (f"Spiegelhalter's test of calibration: Z = {fx.number(z, 2)}, p = {fx.number(s['spiegelhalter_p'], 3)}."
                if not fx.is_missing(z) and np.isfinite(z) else
                "Spiegelhalter's test is undefined here (every forecast at 50%).")
        text = "score = miscalibration − discrimination + uncertainty. " + test
        if not self.enough:
            text += " With this few resolved forecasts these components are not interpreted."
        return table + fx.paragraph(text)

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        return scale_readings(self.forecasts)

    def scales(self) -> fx.Fragment:
        if self.n_resolved < 1:
            return fx.note("No resolved forecasts: nothing to compare across scales.")
        return scale_fragment(self.sensitivity)

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
        data = f[["claim_id", "quote", "hedge", "probability", "made_on", "resolve_by", "resolved_on"]].copy()
        data["shown_status"] = shown_status(f, self.as_of).to_numpy()
        data["quote"] = data["quote"].astype(str)
        data["hedge"] = data["hedge"].astype("string").fillna("(stated number)").astype(str)
        return charts.timeline_chart(data)

    @cached_property
    def record(self) -> pd.DataFrame:
        if self.forecasts.empty:
            return pd.DataFrame()
        return track_record(self.forecasts, track_record_dates(self.forecasts, self.as_of),
                            self.params.min_n, final=self.scores)

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


# --------------------------------------------------------------------------- overview


def league_table(claims: pd.DataFrame, by: str, min_n: int) -> pd.DataFrame:
    """One row per group with counts, scores and intervals, best Brier first among groups with
    ``min_n`` or more resolved forecasts (then the others).

    One :func:`~forecastkit.scoring.grouped.score_table` call with the report seed; each group's
    bootstrap draws depend only on its own name and claims, so a claimant's interval here is
    the one in their own report and in ``forecastkit score``.  Forecasts with no value of
    ``by`` are left out.
    """
    from forecastkit.scoring.grouped import score_table

    forecasts = claims[(claims["kind"] == "forecast") & claims[by].notna()]
    if forecasts.empty:
        return pd.DataFrame(columns=["group", "n", "n_resolved", "brier", "low_n"])
    league = score_table(forecasts, by, min_n=min_n, ci=True, seed=SEED)
    league["ranked"] = ~league["low_n"]
    # ranked groups by Brier; the rest (too few to judge) by name, so they do not read as ranked
    league["_order"] = league["brier"].where(league["ranked"])
    league = league.sort_values(["ranked", "_order", "group"], ascending=[False, True, True],
                                na_position="last")
    return league.drop(columns="_order").reset_index(drop=True)


@dataclass
class Overview(_Record):
    """The whole corpus as of a date: league tables, pooled calibration, references, open claims."""

    params: ReportParameters
    corpus: Corpus
    claims: pd.DataFrame  # every claim as it stood on as_of

    @classmethod
    def build(cls, claims_dir: str | None = None, scale: str | None = None, as_of: str | None = None,
              min_n: int = 10) -> Overview:
        from forecastkit.records.snapshot import as_of as claims_as_of

        params = check_parameters(claims_dir=claims_dir, scale=scale, as_of=as_of, min_n=min_n)
        corpus = open_corpus(params.claims_dir, params.scale)
        return cls(params, corpus, claims_as_of(corpus.claims, params.as_of_date))


    def header(self) -> fx.Fragment:
        c = counts(self.claims, self.as_of)
        facts = fx.definition_list([
            ("Record as of", self.params.as_of), ("Sources", len(self.corpus.sources)),
            ("Claimants with forecasts", self.forecasts["claimant"].nunique()),
            ("Forecasts", c["made"]), ("Resolved", c["resolved"]), ("Open", c["open"]),
            ("Past their deadline", c["overdue"]), ("Ambiguous or annulled", c["ambiguous"] + c["annulled"]),
            ("Hedges read on", self.params.scale),
        ])
        return fx.tag("h1", "Forecast record: overview") + facts

    @cached_property
    def claimants(self) -> pd.DataFrame:
        league = league_table(self.claims, "claimant", self.params.min_n)
        names = self.corpus.authors.set_index("claimant")["name"]
        league["name"] = league["group"].map(names).fillna(league["group"]).astype(str)
        return league

    @cached_property
    def publishers(self) -> pd.DataFrame:
        league = league_table(self.claims, "publisher", self.params.min_n)
        league["name"] = league["group"].astype(str)
        return league

    def league_fragment(self, league: pd.DataFrame, table_id: str, link_reports: bool = False) -> fx.Fragment:
        if league.empty:
            return fx.note("No forecasts.")
        rows = []
        for i, r in enumerate(league.itertuples(), start=1):
            name = fx.link(r.name, None)
            if link_reports:
                name = fx.Fragment(f'<a href="{fx.text(r.group)}.html">{fx.text(r.name)}</a>')
            rows.append([i if r.ranked else "", name, int(r.n), int(r.n_resolved),
                         fx.number(r.brier), fx.interval(r.brier_low, r.brier_high),
                         fx.number(r.log_score), fx.number(r.hit_rate, 2),
                         fx.number(r.bss_base_rate, 2),
                         "too few to judge" if r.low_n else ""])
        caption = (f"Ranked by Brier score among those with {self.params.min_n} or more resolved "
                   "forecasts; intervals are 95% bootstrap intervals.")
        return fx.table(["rank", "name", "forecasts", "resolved", "Brier", "95% interval", "log score",
                         "hit rate", "skill vs base rate", "note"], rows, table_id=table_id,
                        numeric=(0, 2, 3, 4, 6, 7, 8), caption=caption)

    @cached_property
    def references(self) -> pd.DataFrame:
        """Pooled claimants and reference forecasters on the same resolved claims."""
        from forecastkit.scoring.scores import summarise

        r = self.resolved
        if r.empty:
            return pd.DataFrame(columns=["forecaster", "brier", "brier_low", "brier_high", "log_score", "n"])
        y, p = r["outcome"].to_numpy(), r["probability"].to_numpy()
        rate = float(y.mean())
        rows = []
        for name, probs in (("all claimants, pooled", p), ("coin flip (always 50%)", np.full_like(p, 0.5)),
                            (f"base rate (always {rate:.0%}, hindsight)", np.full_like(p, rate))):
            s = summarise(y, probs, seed=SEED)
            rows.append({"forecaster": name, "brier": s["brier"].value, "brier_low": s["brier"].low,
                         "brier_high": s["brier"].high, "log_score": s["log_score"].value, "n": s["brier"].n})
        return pd.DataFrame(rows)

    def references_fragment(self) -> fx.Fragment:
        ref = self.references
        if ref.empty:
            return fx.note("No resolved forecasts.")
        rows = [[r.forecaster, r.n, fx.number(r.brier), fx.interval(r.brier_low, r.brier_high),
                 fx.number(r.log_score)] for r in ref.itertuples()]
        return fx.table(["forecaster", "n", "Brier", "95% interval", "log score"], rows,
                        table_id="fk-references", numeric=(1, 2, 4))

    def league_chart(self) -> alt.LayerChart | fx.Fragment:
        from forecastkit.reports import charts

        league = self.claimants[self.claimants["n_resolved"] > 0]
        if league.empty:
            return fx.note("No resolved forecasts.")
        refs = self.references.iloc[1:][["forecaster", "brier"]]
        return charts.league_chart(league, refs)

    def reliability(self) -> alt.LayerChart | fx.Fragment:
        from forecastkit.reports import charts
        from forecastkit.scoring.calibration import reliability_diagram

        r = self.resolved
        if len(r) < 2:
            return fx.note("Fewer than two resolved forecasts: no reliability diagram.")
        d = reliability_diagram(r["outcome"].to_numpy(), r["probability"].to_numpy(), seed=SEED)
        return charts.reliability_chart(d, title="Pooled CORP reliability diagram (all claimants)")

    def decomposition(self) -> fx.Fragment:
        r = self.resolved
        if r.empty:
            return fx.note("No resolved forecasts.")
        s = score_row(self.forecasts, self.params.min_n)
        rows = [["Brier", fx.number(s["brier"]), fx.number(s["mcb"]), fx.number(s["dsc"]), fx.number(s["unc"])],
                ["log score", fx.number(s["log_score"]), fx.number(s["mcb_log"]), fx.number(s["dsc_log"]),
                 fx.number(s["unc_log"])]]
        return fx.table(["score", "value", "miscalibration", "discrimination", "uncertainty"], rows,
                        table_id="fk-pooled-decomposition", numeric=(1, 2, 3, 4))

    def open_claims(self) -> fx.Fragment:
        """Open forecasts, overdue first (oldest deadline first)."""
        f = self.forecasts
        status = shown_status(f, self.as_of)
        open_ = f[status.isin(["open", "overdue"]).to_numpy()].copy()
        if open_.empty:
            return fx.note("No open forecasts.")
        open_["shown"] = shown_status(open_, self.as_of).to_numpy()
        open_ = open_.sort_values(["resolve_by", "claim_id"], na_position="last")
        names = self.corpus.authors.set_index("claimant")["name"]
        rows = [[r.resolve_by.strftime("%Y-%m-%d") if not fx.is_missing(r.resolve_by) else "",
                 fx.tag("span", r.shown, class_=f"fk-status fk-{r.shown}"),
                 fx.Fragment(f'<a href="{fx.text(r.claimant)}.html">{fx.text(names.get(r.claimant, r.claimant))}</a>'),
                 r.proposition, r.hedge, probability_text(r)] for r in open_.itertuples()]
        return fx.table(["deadline", "status", "claimant", "proposition", "hedge", "probability"], rows,
                        table_id="fk-open")
