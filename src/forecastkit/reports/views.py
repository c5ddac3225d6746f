"""What a report notebook shows: the pieces both reports share, and the record they start from.

:class:`~forecastkit.reports.author_view.AuthorReport` holds one claimant's record as of a date
and gives one method per section of ``notebooks/author_report.ipynb``;
:class:`~forecastkit.reports.overview_view.Overview` does the same for
``notebooks/overview.ipynb``. Both build on :class:`Record` and the helpers here.
Notebooks only call these and display the results. Figures come
from :mod:`forecastkit.scoring.grouped` (scores, CORP, intervals) and :mod:`forecastkit.scoring.calibration`;
text from claim files is escaped (:mod:`forecastkit.reports.fragments`).
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections import OrderedDict
from functools import cached_property
from typing import Any, ClassVar

import pandas as pd

from forecastkit.records.corpus import Corpus
from forecastkit.reports import fragments as fx
from forecastkit.reports.parameters import ReportParameters

#: Seed of every bootstrap in a report, so that a report and its index line agree.
SEED = 0

_CACHE: OrderedDict[tuple, Corpus] = OrderedDict()
_CACHE_SIZE = 4


def open_corpus(
    claims_dir: str | os.PathLike[str] | None = None, scale: str | None = None
) -> Corpus:
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
    stamp = tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in corpus_files(root).all()
    )
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
    """Forecasts made, resolved (true/false), resolved with an option or a value (questions of
    other types: docs/question-types.md), open (and overdue), ambiguous, annulled; plus the
    statements recorded that are not forecasts. The forecasts made are the sum of the rest."""
    kind = (
        claims["kind"].fillna("forecast")
        if "kind" in claims.columns
        else pd.Series("forecast", index=claims.index)
    )
    forecasts = claims[kind == "forecast"]
    status = forecasts["status"].astype("string").fillna("open")
    shown = shown_status(forecasts, as_of)
    return {
        "made": int(len(forecasts)),
        "resolved": int(status.isin(["true", "false"]).sum()),
        "came true": int((status == "true").sum()),
        "resolved other": int((status == "resolved").sum()),
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
        return (
            f"{n_resolved} resolved {word}: too few to judge calibration or skill "
            f"(this report draws conclusions from {min_n} or more). The figures below are "
            "the record so far, not a verdict."
        )
    return (
        f"{n_resolved} resolved forecasts: enough to compare with reference forecasters, "
        "though intervals remain wide below about 50."
    )


def score_row(
    forecasts: pd.DataFrame, min_n: int, by: str | None = None, policy: str | None = None
) -> pd.Series | None:
    """Every score of one set of forecasts (one :func:`forecastkit.scoring.grouped.score_table` row,
    bootstrap intervals seeded with :data:`SEED`); None when there are no forecasts.

    ``by`` names the column that all the forecasts share (``"claimant"`` for one claimant's):
    the intervals are then those of ``forecastkit score --by claimant`` and of the overview's
    league table (a group's resamples depend on the seed and its size only). ``policy``: the
    scoring policy (None: the default, :data:`forecastkit.scoring.policies.DEFAULT_POLICY`).
    """
    from forecastkit.scoring.grouped import score_table
    from forecastkit.scoring.policies import DEFAULT_POLICY

    if forecasts.empty:
        return None
    table = score_table(
        forecasts, by, min_n=min_n, ci=True, seed=SEED, policy=policy or DEFAULT_POLICY
    )
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
        rows.append(
            [
                label,
                fx.number(row[key], digits),
                fx.interval(row.get(f"{key}_low"), row.get(f"{key}_high"), digits),
                n,
                better,
            ]
        )
    return fx.table(
        ["statistic", "value", "95% interval", "n", "better"],
        rows,
        table_id=table_id,
        numeric=(1, 3),
    )


def summary_line(name: str, c: dict[str, int], row: pd.Series | None, min_n: int) -> str:
    """One line for the index: counts and the Brier score with its interval, or why not."""
    made = "1 forecast" if c["made"] == 1 else f"{c['made']} forecasts"
    resolved = c["resolved"] + c.get("resolved other", 0)
    head = f"{made}, {resolved} resolved, {c['open']} open"
    if (row is None or c["resolved"] == 0) and resolved:
        return head + "; no yes/no forecast resolved (its other types are scored in the report)"
    if row is None or c["resolved"] == 0:
        return head + "; nothing to score yet"
    brier = f"Brier {fx.number(row['brier'])} {fx.interval(row['brier_low'], row['brier_high'])}"
    brier = brier.rstrip()  # no interval on one forecast: 'Brier 0.090, too few to judge'
    if c["resolved"] < min_n:
        return f"{head}; {brier}, too few to judge"
    return f"{head}; {brier}"


def evidence_links(corpus: Corpus, claim_ids: pd.Series) -> dict[str, fx.Fragment]:
    """Links to the current outcome's evidence of each claim."""
    current = corpus.outcomes[corpus.outcomes["current"]][["question_id", "entry"]]
    ev = corpus.evidence.drop(columns="claim_id").merge(current, on=["question_id", "entry"])
    question_of = corpus.claims[corpus.claims["claim_id"].isin(set(claim_ids))][
        ["claim_id", "question_id"]
    ]
    ev = question_of.merge(ev, on="question_id")  # a shared question's evidence, for each claim
    links: dict[str, list[fx.Fragment]] = {}
    for cid, title, publisher, url in zip(
        ev["claim_id"], ev["title"], ev["publisher"], ev["url"], strict=True
    ):  # one pass: thousands of claims
        label = title if not fx.is_missing(title) else (publisher or "evidence")
        links.setdefault(str(cid), []).append(fx.link(label, url))
    return {cid: fx.join(parts, "; ") for cid, parts in links.items()}


def probability_text(row: Any) -> str:
    """``0.68 (0.55–0.80)`` for a hedge read on a scale; ``0.30 (stated)`` for a number."""
    if fx.is_missing(row.probability):
        return ""
    if not fx.is_missing(row.probability_stated):
        return f"{row.probability:.2f} (stated)"
    if not fx.is_missing(row.probability_low) and row.probability_low != row.probability_high:
        return f"{row.probability:.2f} ({row.probability_low:.2f}–{row.probability_high:.2f})"
    return f"{row.probability:.2f}"


def claims_fragment(
    corpus: Corpus, claims: pd.DataFrame, as_of: dt.date, table_id: str = "fk-claims"
) -> fx.Fragment:
    """Every claim: made on, quote, proposition, hedge, probability, deadline, outcome, evidence,
    source. The claim's text shows once: the proposition only where it differs from the quote,
    and a source titled with the claim's own words (a tracker's question page) by its publisher.
    Above :data:`forecastkit.reports.assets.PAGE_ROWS` claims the table is paged."""
    from forecastkit.reports.assets import table_class

    links = evidence_links(corpus, claims["claim_id"])
    status = shown_status(claims, as_of)
    forecasts, answers = typed_texts(corpus, claims)
    status = status.mask(answers.notna().to_numpy(), "resolved: " + answers.astype(str))
    ordered = claims.assign(_shown=status.to_numpy()).sort_values(["made_on", "claim_id"])
    urls = dict(zip(corpus.sources["source_id"], corpus.sources["url"], strict=True))
    rows = []
    for row, shown in zip(ordered.itertuples(), ordered["_shown"], strict=True):
        said = _words(row.quote)
        quote = fx.tag("q", row.quote)
        if _words(row.proposition) != said:
            quote = quote + fx.Fragment("<br>") + fx.tag("small", row.proposition, class_="fk-prop")
        if not fx.is_missing(row.condition):
            quote = quote + fx.Fragment("<br>") + fx.tag("small", f"Condition: {row.condition}")
        source = row.source_title
        if _words(source) in (said, _words(row.proposition)):
            source = row.publisher if not fx.is_missing(row.publisher) else "source"
        evidence = links.get(row.claim_id, "")
        url = urls.get(row.source_id)
        if (
            isinstance(evidence, fx.Fragment)
            and isinstance(url, str)
            and f'href="{html.escape(url, quote=True)}"' in evidence.html
        ):
            url = None  # a tracker's page is the evidence and the source: linked once
        outcome = fx.tag(
            "span", shown, class_=f"fk-status fk-{shown.split(':')[0].replace(' ', '-')}"
        )
        rows.append(
            [
                row.made_on.strftime("%Y-%m-%d") if not fx.is_missing(row.made_on) else "",
                quote,
                row.hedge,
                forecasts.get(row.claim_id) or probability_text(row),
                row.resolve_by.strftime("%Y-%m-%d") if not fx.is_missing(row.resolve_by) else "",
                outcome,
                evidence,
                fx.link(source, url),
            ]
        )
    return fx.table(
        [
            "made on",
            "quote and proposition",
            "hedge",
            "probability",
            "deadline",
            "outcome",
            "evidence",
            "source",
        ],
        rows,
        table_id=table_id,
        cls=table_class(len(rows)),
    )


def typed_texts(corpus: Corpus, claims: pd.DataFrame) -> tuple[dict[str, str], pd.Series]:
    """The forecast of each claim on a multiple-choice, numeric or date question as ``add
    claim`` takes it (``medvedev=0.7,putin=0.2,neither=0.1``, ``90%:2..3``; a CDF by its
    number of points), and the option or value each resolved with (NA for the others and for
    yes/no claims), aligned with ``claims``: the claims table shows them where a yes/no claim
    shows its probability and verdict. Built for all claims at once
    (:func:`forecastkit.records.forecast_text.forecast_texts`)."""
    from forecastkit.records.export import answer_text
    from forecastkit.records.forecast_text import forecast_texts

    none = pd.Series(pd.NA, index=claims.index, dtype="string")
    points = getattr(corpus, "forecast_points", None)
    if "question_type" not in claims.columns or points is None or len(points) == 0:
        return {}, none
    typed = claims["question_type"].astype(str) != "binary"
    if not typed.any():
        return {}, none
    dates = set(corpus.questions.loc[corpus.questions["type"] == "date", "question_id"])
    is_date = claims["question_id"].isin(dates).to_numpy(dtype=bool)
    ids = set(claims.loc[typed, "claim_id"].astype(str))
    mine = points[points["claim_id"].astype(str).isin(ids)]
    cdf = mine["form"].astype(str) == "cdf"
    texts = forecast_texts(mine[~cdf], claims.loc[is_date, "claim_id"]).to_dict()
    for cid, n in (
        mine[cdf].groupby(mine.loc[cdf, "claim_id"].astype(str), observed=True).size().items()
    ):
        texts[cid] = f"CDF on {n} points"
    answers = answer_text(claims["outcome_option"], claims["outcome_value"], is_date)
    return texts, answers.where(typed & (claims["status"].astype(str) == "resolved"))


def _words(value: Any) -> str:
    """Text compared for sameness: case and spacing ignored; missing values as ''."""
    return "" if fx.is_missing(value) else " ".join(str(value).split()).casefold()


def track_record_dates(claims: pd.DataFrame, as_of: dt.date) -> list[pd.Timestamp]:
    """Year ends from the first forecast's year to ``as_of``, and ``as_of`` itself."""
    made = claims["made_on"].dropna()
    if made.empty:
        return [pd.Timestamp(as_of)]
    end = pd.Timestamp(as_of)
    years = range(made.min().year, end.year)
    return [pd.Timestamp(y, 12, 31) for y in years] + [end]


def scale_readings(
    forecasts: pd.DataFrame, scales: list[str] | None = None, policy: str | None = None
) -> pd.DataFrame:
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
        return pd.DataFrame(
            columns=["scale", "reading", "n_resolved", "n_unscored", "brier", "log_score"]
        )
    from forecastkit.scoring.policies import DEFAULT_POLICY

    table = score_table(
        pd.concat(frames, ignore_index=True),
        "_variant",
        min_n=0,
        ci=False,
        policy=policy or DEFAULT_POLICY,
    )
    table[["scale", "reading"]] = table["group"].str.split("\t", expand=True)
    return table[["scale", "reading", "n_resolved", "n_unscored", "brier", "log_score"]]


def track_record(
    forecasts: pd.DataFrame,
    dates: list[pd.Timestamp],
    min_n: int,
    final: pd.Series | None = None,
    policy: str | None = None,
) -> pd.DataFrame:
    """Scores as the record stood on each date (:func:`forecastkit.records.snapshot.as_of_each`), with
    bootstrap intervals, from one :func:`~forecastkit.scoring.grouped.score_table` call over all dates.

    ``final`` (the report's own score row for the last date) replaces the last row, so that the
    track record ends exactly on the figures of the scores table.
    """
    from forecastkit.records.snapshot import as_of_each
    from forecastkit.scoring.grouped import score_table

    stacked = as_of_each(forecasts, dates, "_as_of")
    if stacked.empty:
        return pd.DataFrame(columns=["as_of", "n_resolved", "brier", "brier_low", "brier_high"])
    from forecastkit.scoring.policies import DEFAULT_POLICY

    table = score_table(
        stacked,
        "_as_of",
        min_n=min_n,
        ci=True,
        seed=SEED,
        policy=policy or DEFAULT_POLICY,
        relative=False,
    )
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
        rows.append(
            [
                key,
                f"{sc.name} ({sc.publisher}, {sc.year})",
                int(n.get(key, 0)),
                fx.number(wide.loc[key].get("point")),
                fx.number(wide.loc[key].get("low")),
                fx.number(wide.loc[key].get("high")),
            ]
        )
    return fx.table(
        ["scale", "source", "n", "Brier (point)", "Brier (low ends)", "Brier (high ends)"],
        rows,
        table_id=table_id,
        numeric=(2, 3, 4, 5),
    )


#: The note in place of the yes/no sections of a record without yes/no forecasts.
NO_YES_NO = (
    "No yes/no forecasts: the Brier score, calibration and the sections that follow "
    "them are for yes/no questions. The multiple-choice, numeric and date forecasts "
    "are scored on their own scores, below."
)
#: Said under a yes/no section's heading when the record has other types too.
OTHERS_APART = " Multiple-choice, numeric and date forecasts are scored apart, below."


def yes_no_only(method: Any) -> Any:
    """A yes/no section of a report: an empty fragment for a record without yes/no forecasts
    (issue 21: a type's section shows only where there are such forecasts)."""
    import functools

    @functools.wraps(method)
    def section(self: Record, *args: Any, **kwargs: Any) -> Any:
        return method(self, *args, **kwargs) if self.has_yes_no else fx.Fragment("")

    return section


class Record:
    """What both report kinds know of their claims: the date, the forecasts, the scored ones."""

    params: ReportParameters
    claims: pd.DataFrame
    #: Per section key: its heading and what it shows (markdown-free text); ``yes_no``
    #: sections show only where there are yes/no forecasts (:meth:`heading`).
    HEADINGS: ClassVar[dict[str, tuple[str, str]]] = {}
    #: The key of the section that says so when there are none (:data:`NO_YES_NO`).
    FIRST_YES_NO: ClassVar[str | None] = None

    def _types(self) -> pd.Series:
        f = self.forecasts
        if "question_type" not in f.columns:
            return pd.Series("binary", index=f.index)
        return f["question_type"].astype(str)

    @cached_property
    def has_yes_no(self) -> bool:
        """Whether there are yes/no forecasts (or no forecasts at all: the sections say so)."""
        types = self._types()
        return types.empty or bool((types == "binary").any())

    @cached_property
    def has_other_types(self) -> bool:
        return bool((self._types() != "binary").any())

    def heading(self, key: str) -> fx.Fragment:
        """A yes/no section's heading and what it shows; nothing without yes/no forecasts (the
        first such section says why instead)."""
        title, text = self.HEADINGS[key]
        if not self.has_yes_no:
            return (
                fx.tag("h2", title) + fx.note(NO_YES_NO)
                if key == self.FIRST_YES_NO
                else (fx.Fragment(""))
            )
        return fx.tag("h2", title) + fx.paragraph(
            text + (OTHERS_APART if self.has_other_types and key == self.FIRST_YES_NO else "")
        )

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
