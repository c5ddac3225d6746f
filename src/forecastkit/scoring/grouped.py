"""Score a table of claims by group: claimant, publisher, tag, year or any column.

Pure functions over pandas DataFrames shaped like ``corpus.claims`` (see
``docs/claim-format.md``, "The loaded corpus"), or any table with at least ``probability`` and
``outcome`` columns.  Every statistic of :mod:`forecastkit.scoring.scores` and
:mod:`forecastkit.scoring.calibration` is computed for all groups at once, vectorised, so a tracker's
export of a million forecasts scores in about a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ForecastkitError, ScoringError
from forecastkit.records.snapshot import (
    AMBIGUOUS,
    ANNULLED,
    OPEN,
    RESOLVED,
    as_of,
    require_columns,
    status_codes,
)
from forecastkit.scoring.bootstrap import CI_STATISTICS, bootstrap_by_group
from forecastkit.scoring.calibration import corp_by_group, spiegelhalter_by_group
from forecastkit.scoring.policies import (
    DEFAULT_POLICY,
    check_policy,
    policy_frame,
    time_weighted_scores,
)
from forecastkit.scoring.relative import relative_scores
from forecastkit.scoring.scores import (
    CI_LEVEL,
    LOG_EPS,
    N_RESAMPLES,
    Seed,
    check_level,
)

#: Groups with fewer resolved claims than this are flagged ``low_n``.
MIN_N = 10

#: Statuses that are not scored but counted.
EXCLUDED_STATUSES = ("ambiguous", "annulled")

#: Label of claims whose grouping value is missing (a claim with no tags, say).
NO_GROUP = "(none)"

#: The statistics that get bootstrap intervals (``<name>_low``/``<name>_high`` columns).

COUNT_COLUMNS = ["n", "n_resolved", "n_open", "n_ambiguous", "n_annulled", "n_unscored"]


def group_keys(claims: pd.DataFrame, by: str | None) -> tuple[pd.DataFrame, pd.Series]:
    """``(rows, keys)``: the grouping value of each claim; a claim with several tags appears once
    per tag (``rows`` repeats it).

    ``by`` is a column name, or ``"tag"`` (each of ``tags``), ``"year"`` (year of ``made_on``)
    where the table has no column of that name, or None (one group, ``"all"``).  Missing values
    (and claims without tags) are grouped as ``"(none)"`` (see :data:`NO_GROUP`), listed last.
    """
    if by is None:
        return claims, pd.Series("all", index=claims.index)
    if by == "tags" or (by == "tag" and "tag" not in claims.columns):
        require_columns(claims, ["tags"])
        tags = claims["tags"].map(
            lambda t: (
                tuple(t)
                if isinstance(t, (list, tuple, np.ndarray)) and len(t)
                else ((t,) if isinstance(t, str) and t else (None,))
            )
        )
        keys = tags.explode()
        return claims.loc[keys.index], keys
    if by == "year" and "year" not in claims.columns:
        require_columns(claims, ["made_on"])
        return claims, pd.to_datetime(claims["made_on"]).dt.year.astype("Int64")
    require_columns(claims, [by])
    return claims, claims[by]


def score_table(
    claims: pd.DataFrame,
    by: str | None = "claimant",
    *,
    min_n: int = MIN_N,
    ci: bool = True,
    n_resamples: int = N_RESAMPLES,
    level: float = CI_LEVEL,
    seed: Seed = 0,
    eps: float | None = LOG_EPS,
    original_brier: bool = False,
    probability: str = "probability",
    outcome: str = "outcome",
    policy: str = DEFAULT_POLICY,
    relative: bool = True,
) -> pd.DataFrame:
    """Score claims by group: counts, every score, CORP components and a small-n flag.

    Only claims of ``kind == "forecast"`` (where the column exists) of binary questions (where
    ``question_type`` exists; the other types are :mod:`forecastkit.scoring.typed_table`'s) are
    counted.  Claims whose
    status is ``ambiguous`` or ``annulled`` are excluded from scores and counted; so are open
    claims and resolved claims with no probability (``n_unscored``).

    Columns, one row per group (sorted by group):

    - ``group``, ``n`` (forecasts), ``n_resolved`` (scored), ``n_open``, ``n_ambiguous``,
      ``n_annulled``, ``n_unscored``, ``base_rate`` (share of scored claims that came true);
    - ``brier`` (0–1; 0–2 with ``original_brier``), ``log_score`` (nats, clipped at ``eps``),
      ``hit_rate`` with ``n_hits``, ``n_misses``, ``n_half`` (forecasts at 50%);
    - skill: ``bss_base_rate``, ``bss_half`` (Brier), ``lss_base_rate``, ``lss_half`` (log);
    - CORP: ``mcb``, ``dsc``, ``unc`` (Brier; doubled with ``original_brier``) and ``mcb_log``,
      ``dsc_log``, ``unc_log``; Spiegelhalter's ``spiegelhalter_z``, ``spiegelhalter_p``;
    - with ``ci``: ``<stat>_low``/``<stat>_high`` percentile bootstrap intervals (``level``)
      for brier, log_score, hit_rate, bss_base_rate, bss_half, resampling claims within each
      group; ``low_n``: fewer than ``min_n`` scored claims;
    - relative scores on shared questions (:mod:`forecastkit.scoring.relative`), when ``by`` is
      a column such as ``claimant``: ``relative_brier`` with ``relative_brier_low/high`` (with
      ``ci``), ``peer_score``, ``n_shared``; ``relative=False`` leaves them out (groups that
      are not forecasters, such as the dates of a track record).

    ``policy`` (:mod:`forecastkit.scoring.policies`) says how several forecasts by one claimant
    on one question count: ``all`` scores each, ``last`` and ``time-weighted`` count the question
    once per claimant (the counts are then of questions per claimant).

    See :mod:`forecastkit.scoring.scores` and :mod:`forecastkit.scoring.calibration` for formulas and sources.
    """
    require_columns(claims, [probability, outcome])
    check_level(level)
    frame = claims
    if "kind" in frame.columns:
        frame = frame[frame["kind"].astype("string").fillna("forecast") == "forecast"]
    if "question_type" in frame.columns:  # other types: scoring.typed_table
        frame = frame[frame["question_type"].astype("string").fillna("binary") == "binary"]
    forecasts = frame
    frame, keys = group_keys(frame, by)
    if check_policy(policy) != "all":
        # the policy copies the rows it keeps: only the columns it and the scores read (the
        # corpus' 40-odd columns were 115 MB of score's peak on PredictionBook)
        frame = frame[
            [c for c in frame.columns if c in _POLICY_COLUMNS or c in (probability, outcome)]
        ]
    frame, keys = policy_frame(
        frame, policy, eps=eps, probability=probability, outcome=outcome, keys=keys
    )
    if isinstance(keys.dtype, pd.CategoricalDtype):  # groups sort by name, not category order
        keys = keys.astype(object)
    codes_all, uniques = pd.factorize(keys, sort=True)
    groups = [str(u) for u in uniques]
    if (codes_all < 0).any():  # missing grouping values
        codes_all = np.where(codes_all < 0, len(groups), codes_all)
        groups.append(NO_GROUP)
    n_groups = len(groups)
    status = status_codes(frame, outcome)
    p_all = pd.to_numeric(frame[probability], errors="coerce").to_numpy(dtype=float)
    y_all = pd.to_numeric(frame[outcome], errors="coerce").to_numpy(dtype=float)
    resolved = (status == RESOLVED) & ((y_all == 0) | (y_all == 1))
    scored = resolved & np.isfinite(p_all)
    if ((p_all[scored] < 0) | (p_all[scored] > 1)).any():
        raise ScoringError(
            "probability contains values outside [0, 1]",
            field=probability,
            hint="probabilities are numbers in [0, 1] (0.7, not 70)",
        )

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes_all[mask], minlength=n_groups)

    table = pd.DataFrame({"group": groups, "n": np.bincount(codes_all, minlength=n_groups)})
    table["n_resolved"] = count(scored)
    table["n_open"] = count(status == OPEN)
    table["n_ambiguous"] = count(status == AMBIGUOUS)
    table["n_annulled"] = count(status == ANNULLED)
    table["n_unscored"] = count(resolved & ~scored)

    codes, p, y = codes_all[scored], p_all[scored], y_all[scored]
    stats = _statistics(y, p, codes, n_groups, eps)
    if original_brier:
        for key in ("brier", "mcb", "dsc", "unc"):
            stats[key] = 2 * stats[key]
    for key, values in stats.items():
        table[key] = values
    # The time-weighted policy puts its own scores and their intervals in (time_weighted_scores
    # below): of these, only the hit rate's interval is kept.
    weighted = "_brier" in frame.columns
    if ci:
        # small integer codes take numpy's radix sort
        order = np.argsort(codes.astype(np.int16 if n_groups < 2**15 else np.int64), kind="stable")
        wanted = ("hit_rate",) if weighted else CI_STATISTICS
        intervals = bootstrap_by_group(
            y[order],
            p[order],
            codes[order],
            groups,
            n_resamples,
            level,
            seed,
            eps,
            statistics=wanted,
        )
        scale = 2.0 if original_brier else 1.0
        for key in wanted:
            low, high = intervals[key]
            if key == "brier":
                low, high = scale * low, scale * high
            table[f"{key}_low"], table[f"{key}_high"] = low, high
    if weighted:
        time_weighted_scores(
            table,
            frame["_brier"].to_numpy(dtype=float)[scored],
            frame["_log_score"].to_numpy(dtype=float)[scored],
            codes,
            groups,
            ci=ci,
            n_resamples=n_resamples,
            level=level,
            seed=seed if isinstance(seed, int) else 0,
            original_brier=original_brier,
        )
    if relative and by is not None and by in forecasts.columns and by not in ("tag", "tags"):
        table = _with_relative(
            table,
            forecasts,
            by,
            policy,
            ci=ci,
            n_resamples=n_resamples,
            level=level,
            seed=seed,
            eps=eps,
            probability=probability,
            outcome=outcome,
        )
    table["low_n"] = table["n_resolved"] < min_n
    return table[_column_order(table.columns)]


#: The columns :func:`policy_frame` (``policy_weights``) and :func:`score_table` read, beside
#: the probability and outcome columns.
_POLICY_COLUMNS = frozenset(
    ("claimant", "question_id", "made_on", "resolved_on", "question_resolve_by", "resolve_by",
     "status")
)  # fmt: skip


def _with_relative(
    table: pd.DataFrame, forecasts: pd.DataFrame, by: str, policy: str, **options: Any
) -> pd.DataFrame:
    """Merge the relative scores of :mod:`forecastkit.scoring.relative` into a score table."""
    if "question_id" not in forecasts.columns or not forecasts["question_id"].duplicated().any():
        # every forecast its own question (a plain forecast table): nothing is shared
        out = table.copy()
        for col in ("relative_brier", "relative_brier_low", "relative_brier_high", "peer_score"):
            if col.endswith(("_low", "_high")) and not options["ci"]:
                continue
            out[col] = np.nan
        out["n_shared"] = np.int64(0)
        return out
    seed = options.pop("seed")
    rel = relative_scores(
        forecasts, policy, claimant=by, seed=seed if isinstance(seed, int) else 0, **options
    ).table
    rel = rel.assign(group=rel["claimant"].astype(str)).drop(columns="claimant")
    if not options["ci"]:
        rel = rel.drop(columns=["relative_brier_low", "relative_brier_high"])
    rel = rel.set_index("group")
    out = table.copy()
    key = out["group"].astype(str)
    for col in rel.columns:
        out[col] = key.map(rel[col]).astype("float64").to_numpy()
    out["n_shared"] = out["n_shared"].fillna(0).astype(np.int64)
    return out


def _column_order(columns: Iterable[str]) -> list[str]:
    first = ["group", *COUNT_COLUMNS, "base_rate"]
    ordered = list(first)
    for stat in ("brier", "log_score", "hit_rate"):
        ordered += [stat, f"{stat}_low", f"{stat}_high"]
    ordered += ["n_hits", "n_misses", "n_half"]
    for stat in ("bss_base_rate", "bss_half"):
        ordered += [stat, f"{stat}_low", f"{stat}_high"]
    ordered += [
        "lss_base_rate",
        "lss_half",
        "mcb",
        "dsc",
        "unc",
        "mcb_log",
        "dsc_log",
        "unc_log",
        "spiegelhalter_z",
        "spiegelhalter_p",
        "relative_brier",
        "relative_brier_low",
        "relative_brier_high",
        "peer_score",
        "n_shared",
        "low_n",
    ]
    present = set(columns)
    return [c for c in ordered if c in present]


def _statistics(
    y: np.ndarray, p: np.ndarray, codes: np.ndarray, n_groups: int, eps: float | None
) -> dict[str, np.ndarray]:
    """Every point statistic per group (``codes`` in ``range(n_groups)``, any order)."""
    corp = corp_by_group(y, p, codes, n_groups, eps=eps)
    half = p == 0.5
    hit = ~half & ((p > 0.5) == (y == 1))
    n_hits = np.bincount(codes, hit, n_groups)
    n_half = np.bincount(codes, half, n_groups)
    n_misses = corp["n"] - n_hits - n_half
    z, pz = spiegelhalter_by_group(y, p, codes, n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {
            "base_rate": corp["base_rate"],
            "brier": corp["brier"],
            "log_score": corp["log_score"],
            "hit_rate": n_hits / (n_hits + n_misses),
            "n_hits": n_hits.astype(int),
            "n_misses": n_misses.astype(int),
            "n_half": n_half.astype(int),
            "bss_base_rate": np.where(corp["unc"] > 0, 1 - corp["brier"] / corp["unc"], np.nan),
            "bss_half": 1 - corp["brier"] / 0.25,
            "lss_base_rate": np.where(
                corp["unc_log"] > 0, 1 - corp["log_score"] / corp["unc_log"], np.nan
            ),
            "lss_half": 1 - corp["log_score"] / np.log(2),
        }
    for key in ("mcb", "dsc", "unc", "mcb_log", "dsc_log", "unc_log"):
        out[key] = corp[key]
    out["spiegelhalter_z"], out["spiegelhalter_p"] = z, pz
    return out


def score_over_time(
    claims: pd.DataFrame, dates: Iterable[Any], by: str | None = "claimant", **options: Any
) -> pd.DataFrame:
    """:func:`score_table` of the claims :func:`as_of` each date, stacked with an ``as_of`` column.

    For a track record over time, e.g. ``score_over_time(claims, pd.date_range("2015", "2025",
    freq="YS"))``.  ``options`` go to :func:`score_table`.
    """
    frames = []
    for date in dates:
        table = score_table(as_of(claims, date), by, **options)
        table.insert(0, "as_of", pd.Timestamp(date))
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# --------------------------------------------------------------------------- scale sensitivity

READINGS = ("point", "low", "high")


@dataclass(frozen=True)
class ScaleSensitivity:
    """Scores of every group under every scale and reading, and whether rankings agree.

    ``table``: one row per (scale, reading, group): ``n_resolved``, ``n_unscored`` (hedges the
    scale cannot read), ``brier``, ``log_score``, ``rank`` (1 = lowest Brier among groups with at
    least ``min_n`` scored claims; NaN for the others).
    ``rankings``: one row per (scale, reading): ``n_ranked``, ``same_ranking`` (the order of the
    ranked groups equals the reference's), ``kendall_tau`` against the reference, ``best``.
    """

    table: pd.DataFrame
    rankings: pd.DataFrame
    reference: tuple[str, str]

    @property
    def ranking_changes(self) -> bool:
        """True when some scale or reading orders the groups differently from the reference."""
        return not bool(self.rankings["same_ranking"].all())


def scale_sensitivity(
    claims: pd.DataFrame,
    scales: Sequence[str],
    *,
    read: Callable[[str, str], Any],
    by: str | None = "claimant",
    min_n: int = MIN_N,
    reference: str | None = None,
    eps: float | None = LOG_EPS,
) -> ScaleSensitivity:
    """Re-score the claims with each scale's point value and each end of its range.

    Hedged claims (no ``probability_stated``) get the probability ``read(hedge, scale).point``,
    ``.low`` or ``.high``; claims that state a number keep it.  ``low`` and ``high`` read every
    hedge at the same end of its range: the most pessimistic and most optimistic reading of the
    scale.  Groups are ranked by Brier score among those with at least ``min_n`` scored claims
    and compared with the ranking on ``reference`` (default: the lexicon's default scale) at
    its point values.

    ``scales`` names the scales and ``read(hedge, scale)`` reads a hedge on one (for the
    lexicon: ``lexicon.scales()`` and :func:`forecastkit.records.lexicon.read_hedge`; scoring
    does not read the lexicon itself). ``reference`` defaults to the first scale. A hedge a
    scale cannot read is counted in ``n_unscored`` under that scale.
    """
    from scipy.stats import kendalltau

    scales = list(scales)
    if not scales:
        raise ScoringError("scale_sensitivity needs at least one scale", field="scales")
    if reference is None:
        reference = scales[0]
    require_columns(claims, ["hedge", "probability_stated", "outcome"])
    frame = claims.drop(columns=["probability"], errors="ignore")
    stated = pd.to_numeric(frame["probability_stated"], errors="coerce")
    hedges = frame["hedge"].astype("string")
    rows = []
    for key in scales:
        readings: dict[str, Any] = {}
        for hedge in hedges[stated.isna()].dropna().unique():
            try:
                readings[hedge] = read(hedge, key)
            except ForecastkitError:
                pass
        for attr in READINGS:
            values = {h: float(getattr(r, attr)) for h, r in readings.items()}
            prob = stated.where(stated.notna(), hedges.map(values).astype("float64"))
            table = score_table(frame.assign(probability=prob), by, min_n=min_n, ci=False, eps=eps)
            ranked = table[table["n_resolved"] >= min_n]
            rank = ranked["brier"].rank(method="min")
            table = table.assign(scale=key, reading=attr, rank=rank)
            rows.append(
                table[
                    [
                        "scale",
                        "reading",
                        "group",
                        "n_resolved",
                        "n_unscored",
                        "brier",
                        "log_score",
                        "rank",
                    ]
                ]
            )
    table = pd.concat(rows, ignore_index=True)
    ref = table[(table["scale"] == reference) & (table["reading"] == "point")]
    ref_order = _ranking(ref)
    summary = []
    for (key, attr), part in table.groupby(["scale", "reading"], sort=False):
        order = _ranking(part)
        common = [g for g in ref_order if g in order]
        if len(common) >= 2:
            a = [ref_order.index(g) for g in common]
            b = [order.index(g) for g in common]
            tau = float(kendalltau(a, b).statistic)
        else:
            tau = float("nan")
        summary.append(
            {
                "scale": key,
                "reading": attr,
                "n_ranked": len(order),
                "same_ranking": order == ref_order,
                "kendall_tau": tau,
                "best": order[0] if order else None,
            }
        )
    return ScaleSensitivity(table, pd.DataFrame(summary), (reference, "point"))


def _ranking(part: pd.DataFrame) -> list[str]:
    ranked = part.dropna(subset=["rank"]).sort_values(["rank", "group"])
    return ranked["group"].tolist()


# --------------------------------------------------------------------------- output
