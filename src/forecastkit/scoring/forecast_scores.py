"""Per-forecast scores of non-binary claims: each question type on the score suited to it.

Input: a claims table shaped like ``corpus.claims`` with ``question_type``, ``form``,
``outcome_option``, ``outcome_value`` and a ``corpus.forecast_points`` table (claim_id, form,
option, x, p), as ``docs/question-types.md`` defines them.  Binary claims are left to
:mod:`forecastkit.scoring.grouped` (their scores are unchanged); everything here is vectorised
over the long points table, so a million forecasts are a few numpy passes.

Each scored forecast gets its league's score, ``score`` named by ``score_name``:

| type | form | ``score_name`` | also |
|---|---|---|---|
| multiple choice, unordered | probabilities | ``multiclass_brier`` | ``log_score``, ``rps`` NaN |
| multiple choice, ordered | probabilities | ``rps`` | ``multiclass_brier``, ``log_score`` |
| numeric, date | quantiles | ``crps`` (quantile CRPS) | ``wis`` (hub level sets) |
| numeric, date | interval | ``crps`` (its normal reading) | ``interval_score`` |
| numeric, date | cdf | ``crps`` (exact) | |
| numeric, date | point | ``crps`` (= absolute error) | ``abs_error``, ``pct_error`` |

A point forecast is the forecast that puts all its mass on one value, whose CRPS is its absolute
error (Gneiting & Raftery 2007, sec. 4.2; Hersbach 2000, *Wea. Forecasting* 15:559): points
and distributions are therefore ranked on one score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecastkit.errors import ScoringError
from forecastkit.records.snapshot import require_columns
from forecastkit.scoring.categorical import (
    multiclass_brier_losses,
    realised_log_losses,
    rps_losses,
)
from forecastkit.scoring.continuous import (
    absolute_errors,
    cdf_crps_losses,
    interval_crps_losses,
    interval_score_losses,
    percentage_errors,
    quantile_crps_losses,
    wis_losses,
)
from forecastkit.scoring.scores import LOG_EPS

BINARY = "binary"
MULTIPLE_CHOICE = "multiple_choice"
NUMERIC_TYPES = ("numeric", "date")
QUESTION_TYPES = (BINARY, MULTIPLE_CHOICE, *NUMERIC_TYPES)

#: The per-forecast score columns of :func:`forecast_scores`, in order.
SCORE_COLUMNS = ["multiclass_brier", "rps", "log_score", "crps", "wis", "interval_score",
                 "abs_error", "pct_error"]  # fmt: skip

#: What each league is ranked on, and its description for tables and reports.
SCORE_LABELS = {
    "brier": "Brier score",
    "multiclass_brier": "multiclass Brier score",
    "rps": "ranked probability score",
    "crps": "CRPS",
}


def objects(values: pd.Series, na: object = None) -> np.ndarray:
    """A column as an object array (missing values ``na``), fast for categoricals."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = np.asarray(values.cat.categories.astype(object), dtype=object)
        codes = values.cat.codes.to_numpy()
        out = cats[codes] if len(cats) else np.full(len(values), na, dtype=object)
        return np.where(codes >= 0, out, na) if (codes < 0).any() else out
    return values.to_numpy(dtype=object, na_value=na)


def equals(values: pd.Series, value: str, *, missing: bool = False) -> np.ndarray:
    """``values == value`` as a bool array, missing values ``missing``; fast for categoricals."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        hit = values.cat.categories.get_indexer([value])[0]
        out = codes == hit if hit >= 0 else np.zeros(len(values), dtype=bool)
        return out | (codes < 0) if missing else out
    arr = values.to_numpy(dtype=object, na_value=None)
    out = arr == value
    return out | pd.isna(arr) if missing else out


@dataclass(frozen=True)
class Points:
    """The forecast points of some claims in segments: rows of one claim contiguous.

    ``x``, ``p``, ``option`` per row; ``starts`` the first row of each segment, ``claim`` its
    claim id, ``form`` its form."""

    x: np.ndarray
    p: np.ndarray
    option: np.ndarray
    starts: np.ndarray
    claim: pd.Index
    form: np.ndarray

    def take(self, which: np.ndarray) -> Points:
        """The segments ``which`` (positions), their rows gathered."""
        sizes = np.diff(np.r_[self.starts, len(self.x)])[which]
        first = self.starts[which]
        new_starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64) if len(sizes) else first
        rows = np.repeat(first - new_starts, sizes) + np.arange(int(sizes.sum()))
        return Points(
            self.x[rows],
            self.p[rows],
            self.option[rows],
            new_starts,
            self.claim[which],
            self.form[which],
        )


def segment_points(points: pd.DataFrame) -> Points:
    """:class:`Points` of a ``forecast_points`` table (rows of a claim made contiguous, their
    order within a claim kept)."""
    require_columns(points, ["claim_id", "form", "x", "p"])
    codes, uniques = pd.factorize(points["claim_id"])
    runs = 1 + int(np.count_nonzero(np.diff(codes))) if len(codes) else 0
    # a claim's rows are contiguous when there are as many runs of codes as claims
    order = None if runs == len(uniques) else np.argsort(codes, kind="stable")
    c = codes if order is None else codes[order]

    def col(name: str, dtype: object) -> np.ndarray:
        values = points[name].to_numpy(dtype=dtype, na_value=np.nan if dtype is float else None)
        return values if order is None else values[order]

    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if len(c) else np.array([], np.int64)
    option = (
        objects(points["option"])
        if "option" in points.columns
        else np.full(len(points), None, dtype=object)
    )
    if order is not None:
        option = option[order]
    form = objects(points["form"])
    form = form if order is None else form[order]
    return Points(
        col("x", float),
        col("p", float),
        option,
        starts.astype(np.int64),
        pd.Index(uniques[c[starts]] if len(c) else [], dtype=object),
        form[starts] if len(c) else np.array([], dtype=object),
    )


def ordered_flags(claims: pd.DataFrame, questions: pd.DataFrame | None) -> np.ndarray:
    """Per claim: is its question's option list ordered (``ordered`` or ``question_ordered`` on
    the claim, else the ``questions`` table's ``ordered``; False when unknown)."""
    for col in ("question_ordered", "ordered"):
        if col in claims.columns:
            return claims[col].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if questions is not None and "ordered" in questions.columns and "question_id" in claims:
        lookup = questions.set_index("question_id")["ordered"].astype("boolean")
        lookup = lookup[~lookup.index.duplicated()]
        return claims["question_id"].map(lookup).astype("boolean").fillna(False).to_numpy(bool)
    return np.zeros(len(claims), dtype=bool)


def resolved_mask(claims: pd.DataFrame) -> np.ndarray:
    """Non-binary claims whose question is resolved (status ``resolved``, or no status column
    and an outcome given), with an outcome option or value."""
    has = np.zeros(len(claims), dtype=bool)
    if "outcome_option" in claims.columns:
        has |= claims["outcome_option"].notna().to_numpy(dtype=bool)
    if "outcome_value" in claims.columns:
        has |= np.isfinite(pd.to_numeric(claims["outcome_value"], errors="coerce").to_numpy(float))
    if "status" in claims.columns:
        has &= equals(claims["status"], "resolved")
    return has


def non_binary(claims: pd.DataFrame) -> pd.DataFrame:
    """The forecasts (``kind`` forecast, where given) of a type other than binary."""
    if "question_type" not in claims.columns:
        return claims.iloc[:0]
    keep = ~equals(claims["question_type"], BINARY, missing=True)
    if "kind" in claims.columns:
        keep &= equals(claims["kind"], "forecast", missing=True)
    return claims[keep]


def forecast_scores(
    claims: pd.DataFrame,
    points: pd.DataFrame,
    *,
    questions: pd.DataFrame | None = None,
    eps: float | None = LOG_EPS,
) -> pd.DataFrame:
    """Scores of each non-binary forecast, one row per such claim (the claims' index kept).

    Columns: ``question_type``, ``form``, ``resolved`` (scored), ``score_name`` and ``score``
    (its league's score, see the module docstring), then :data:`SCORE_COLUMNS` (NaN where a
    score does not apply or the question is open, ambiguous or annulled).  ``questions``
    supplies ``ordered`` when the claims do not carry it.  A resolved claim without points (or
    whose realised option it gave no probability) is resolved but unscored (``score`` NaN).
    """
    sub = non_binary(claims)
    require_columns(sub, ["claim_id", "question_type", "form"])
    n = len(sub)
    qtype = objects(sub["question_type"])
    form = objects(sub["form"])
    resolved = resolved_mask(sub)
    ordered = ordered_flags(sub, questions)
    out = {c: np.full(n, np.nan) for c in SCORE_COLUMNS}
    pts = segment_points(points) if len(points) else None
    where = (
        pts.claim.get_indexer(pd.Index(sub["claim_id"].astype(object)))
        if pts is not None
        else np.full(n, -1)
    )
    unknown = set(qtype) - set(QUESTION_TYPES)
    if unknown:
        raise ScoringError(
            f"unknown question type '{sorted(map(str, unknown))[0]}'",
            field="question_type",
            hint=f"the types are {', '.join(QUESTION_TYPES)}",
        )
    mc = np.flatnonzero((qtype == MULTIPLE_CHOICE) & resolved & (where >= 0))
    if len(mc) and pts is not None:
        seg = pts.take(where[mc])
        sizes = np.diff(np.r_[seg.starts, len(seg.x)])
        realised_label = objects(sub["outcome_option"])[mc]
        realised = seg.option == np.repeat(realised_label, sizes)
        given = np.add.reduceat(realised.astype(np.int64), seg.starts) > 0 if len(seg.x) else []
        brier = multiclass_brier_losses(seg.p, realised, seg.starts)
        out["multiclass_brier"][mc] = np.where(given, brier, np.nan)
        out["log_score"][mc] = realised_log_losses(seg.p, realised, seg.starts, eps)
        ordered_mc = ordered[mc] & given
        if ordered_mc.any():
            rps = rps_losses(seg.p, realised, seg.starts)
            out["rps"][mc] = np.where(ordered_mc, rps, np.nan)
    y_all = (
        pd.to_numeric(sub["outcome_value"], errors="coerce").to_numpy(dtype=float)
        if "outcome_value" in sub.columns
        else np.full(n, np.nan)
    )
    num = np.isin(qtype, NUMERIC_TYPES) & resolved & (where >= 0)
    for name in ("quantiles", "interval", "cdf", "point"):
        rows = np.flatnonzero(num & (form == name))
        if not len(rows) or pts is None:
            continue
        seg, y = pts.take(where[rows]), y_all[rows]
        if name == "point":
            point = seg.x[seg.starts]
            out["abs_error"][rows] = absolute_errors(y, point)
            out["pct_error"][rows] = percentage_errors(y, point)
            out["crps"][rows] = out["abs_error"][rows]
        elif name == "cdf":
            out["crps"][rows] = cdf_crps_losses(seg.x, seg.p, seg.starts, y)
        elif name == "quantiles":
            out["crps"][rows] = quantile_crps_losses(seg.x, seg.p, seg.starts, y)
            out["wis"][rows] = wis_losses(seg.x, seg.p, seg.starts, y)
        else:
            lo, hi = seg.x[seg.starts], seg.x[seg.starts + 1]
            level = seg.p[seg.starts + 1] - seg.p[seg.starts]
            out["crps"][rows] = interval_crps_losses(lo, hi, level, y)
            out["interval_score"][rows] = interval_score_losses(lo, hi, level, y)
    score_name = np.where(
        qtype == MULTIPLE_CHOICE, np.where(ordered, "rps", "multiclass_brier"), "crps"
    )
    score = np.where(
        qtype == MULTIPLE_CHOICE,
        np.where(ordered, out["rps"], out["multiclass_brier"]),
        out["crps"],
    )
    frame = pd.DataFrame(
        {
            "question_type": pd.Categorical(qtype, categories=list(QUESTION_TYPES)),
            "form": form,
            "resolved": resolved,
            "score_name": score_name,
            "score": score,
            **out,
        },
        index=sub.index,
    )
    return frame
