"""Scores for multiple-choice forecasts: log score of the realised option, multiclass Brier, RPS.

A multiple-choice forecast gives each of a question's ``K`` options a probability; one option
is realised.  Two layouts are accepted:

- a 2-D array ``probabilities`` of shape ``(n, K)`` and ``outcome``, the index of the realised
  option of each forecast (the public functions :func:`multiclass_brier`,
  :func:`ranked_probability_score`, :func:`categorical_log_score`);
- the long layout of ``corpus.forecast_points`` (``docs/question-types.md``): one row per
  (forecast, option), the rows of a forecast contiguous and in the question's option order,
  ``starts`` the first row of each forecast and ``realised`` true on the realised option's row
  (the ``*_losses`` kernels, which questions with different numbers of options share).

Probabilities are divided by their sum first (a stated forecast may sum to 1 only within 0.01;
dividing by an exact 1 changes nothing).  Every score is negatively oriented (lower is better).
The kernels do no validation; :func:`check_categorical` checks the 2-D layout in the order of
scikit-learn's metrics (shape, finiteness, length, outcome, range).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from forecastkit.errors import ScoringError
from forecastkit.scoring.scores import LOG_EPS

#: Allowed gap between a forecast's probabilities' sum and 1 (docs/question-types.md).
SUM_TOLERANCE = 0.01


def check_categorical(
    outcome: ArrayLike, probabilities: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Validate and return ``(outcome, probabilities)``: integer option indices and an
    ``(n, K)`` float array whose rows sum to 1 within :data:`SUM_TOLERANCE`.

    Checks, in order: shape (``probabilities`` 2-D with at least 2 options, ``outcome`` 1-D),
    finiteness, equal lengths, outcome an option index in ``range(K)``, probabilities in
    [0, 1], rows summing to 1, at least one forecast.

    Examples
    --------
    >>> y, p = check_categorical([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    >>> check_categorical([3], [[0.7, 0.2, 0.1]])
    Traceback (most recent call last):
    ...
    forecastkit.errors.ScoringError: outcome: outcome must be an option index in 0..2; found 3
    """
    try:
        y = np.asarray(outcome, dtype=float)
        p = np.asarray(probabilities, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"outcome and probabilities must be numeric ({exc})") from None
    if p.ndim != 2 or p.shape[1] < 2:
        raise ScoringError(
            f"probabilities must be 2-D with one column per option (at least 2); got shape "
            f"{p.shape}",
            field="probabilities",
        )
    if y.ndim != 1:
        raise ScoringError(f"outcome must be 1-D; got shape {y.shape}", field="outcome")
    for name, arr in (("outcome", y), ("probabilities", p)):
        if not np.isfinite(arr).all():
            raise ScoringError(f"{name} contains NaN or infinity", field=name)
    if len(y) != len(p):
        raise ScoringError(
            f"outcome and probabilities have different lengths ({len(y)} and {len(p)})"
        )
    k = p.shape[1]
    bad = y[(y != np.round(y)) | (y < 0) | (y >= k)]
    if bad.size:
        raise ScoringError(
            f"outcome must be an option index in 0..{k - 1}; found {bad[0]:g}", field="outcome"
        )
    if (p > 1).any():
        raise ScoringError("probabilities contain values greater than 1", field="probabilities")
    if (p < 0).any():
        raise ScoringError("probabilities contain values less than 0", field="probabilities")
    sums = p.sum(axis=1)
    off = np.flatnonzero(np.abs(sums - 1) > SUM_TOLERANCE)
    if off.size:
        raise ScoringError(
            f"the probabilities of forecast {off[0]} sum to {sums[off[0]]:g}, not 1",
            field="probabilities",
            hint=f"a forecast's probabilities over its options sum to 1 (within {SUM_TOLERANCE})",
        )
    if not len(y):
        raise ScoringError("no forecasts to score")
    return y.astype(np.int64), p


def _long(outcome: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The long layout of a checked 2-D forecast: ``(p, realised, starts)``."""
    n, k = p.shape
    realised = np.zeros((n, k), dtype=bool)
    realised[np.arange(n), outcome] = True
    return p.ravel(), realised.ravel(), np.arange(0, n * k, k)


def _blocks(starts: np.ndarray, n_rows: int):  # noqa: ANN202 - a private generator
    """Forecasts grouped by their number of options: ``(which, rows)`` per distinct ``K``,
    ``which`` the forecasts' positions and ``rows`` their row indices as a ``(len, K)`` array."""
    sizes = np.diff(np.r_[starts, n_rows])
    for k in np.unique(sizes):
        which = np.flatnonzero(sizes == k)
        yield int(k), which, starts[which][:, None] + np.arange(k)


def _normalised(p: np.ndarray) -> np.ndarray:
    """Rows of a ``(n, K)`` block divided by their sums (exact when a sum is exactly 1)."""
    sums = p.sum(axis=1, keepdims=True)
    return np.where(sums == 1.0, p, p / np.where(sums > 0, sums, 1.0))


def multiclass_brier_losses(p: np.ndarray, realised: np.ndarray, starts: np.ndarray) -> np.ndarray:
    r"""Per-forecast multiclass Brier loss, half of Brier's sum over options (no validation).

    .. math:: \mathrm{BS}_K = \tfrac12 \sum_{k=1}^{K} (p_k - o_k)^2 \in [0, 1]

    With two options :math:`\tfrac12[(p-o)^2 + ((1-p)-(1-o))^2] = (p-o)^2`, today's binary
    Brier score of the first option; two-option forecasts are computed in that form, so they
    equal :func:`forecastkit.scoring.scores.brier_losses` bit for bit.
    """
    out = np.empty(len(starts))
    for k, which, rows in _blocks(starts, len(p)):
        pk, ok = _normalised(p[rows]), realised[rows].astype(float)
        if k == 2:
            out[which] = (pk[:, 0] - ok[:, 0]) ** 2
        else:
            out[which] = 0.5 * ((pk - ok) ** 2).sum(axis=1)
    return out


def rps_losses(p: np.ndarray, realised: np.ndarray, starts: np.ndarray) -> np.ndarray:
    r"""Per-forecast ranked probability score of ordered options (no validation).

    .. math:: \mathrm{RPS} = \frac{1}{K-1}\sum_{k=1}^{K-1} (F_k - O_k)^2 \in [0, 1],
              \quad F_k = \sum_{j \le k} p_j,\ O_k = \sum_{j \le k} o_j

    With two options it is :math:`(p_1 - o_1)^2`, the binary Brier score, bit for bit.
    """
    out = np.empty(len(starts))
    for k, which, rows in _blocks(starts, len(p)):
        pk = _normalised(p[rows])
        cf = np.cumsum(pk[:, :-1], axis=1)
        co = np.cumsum(realised[rows][:, :-1], axis=1)
        out[which] = ((cf - co) ** 2).sum(axis=1) / (k - 1)
    return out


def realised_log_losses(
    p: np.ndarray, realised: np.ndarray, starts: np.ndarray, eps: float | None = LOG_EPS
) -> np.ndarray:
    """Per-forecast log loss ``-ln p_r`` of the realised option's probability, in nats, clipped
    to ``[eps, 1 - eps]`` as the binary log score is (no validation; a forecast without a
    realised row gets NaN)."""
    out = np.full(len(starts), np.nan)
    for _, which, rows in _blocks(starts, len(p)):
        pk, ok = _normalised(p[rows]), realised[rows]
        has = ok.any(axis=1)
        pr = pk[np.arange(len(pk)), ok.argmax(axis=1)]
        if eps is not None:
            pr = np.clip(pr, eps, 1 - eps)
        with np.errstate(divide="ignore"):
            out[which] = np.where(has, -np.log(pr), np.nan)
    return out


def multiclass_brier(outcome: ArrayLike, probabilities: ArrayLike) -> float:
    r"""Mean multiclass Brier score (lower is better), normalised to [0, 1].

    .. math:: \mathrm{BS}_K = \frac{1}{n}\sum_{i=1}^{n} \frac12 \sum_{k=1}^{K}
              (p_{ik} - o_{ik})^2

    :math:`o_{ik} = 1` for the realised option.  Brier's (1950) original score is the sum over
    options, 0–2; half of it is taken so that a question with two options gives today's binary
    Brier score :math:`(p - y)^2` exactly (bit for bit, see :func:`multiclass_brier_losses`).
    It equals half of scikit-learn's multiclass ``brier_score_loss(..., scale_by_half=False)``.

    References
    ----------
    Brier, G. W. (1950). Verification of forecasts expressed in terms of probability. *Monthly
    Weather Review* 78(1), 1–3.

    Examples
    --------
    >>> round(multiclass_brier([0, 2], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]), 4)
    0.05
    """
    y, p = check_categorical(outcome, probabilities)
    return float(np.mean(multiclass_brier_losses(*_long(y, p))))


def ranked_probability_score(outcome: ArrayLike, probabilities: ArrayLike) -> float:
    r"""Mean ranked probability score of forecasts of ordered options (lower is better).

    .. math:: \mathrm{RPS} = \frac{1}{n}\sum_{i=1}^{n} \frac{1}{K-1}\sum_{k=1}^{K-1}
              (F_{ik} - O_{ik})^2 \in [0, 1]

    :math:`F_{ik}` and :math:`O_{ik}` are the cumulative forecast and outcome up to option ``k``
    in the question's order: a forecast near the realised option scores better than one far
    from it.  The normalisation by :math:`K-1` is Epstein's and Murphy's, and the ordinal
    scoring of crowd-forecasting platforms run for the Good Judgment tournaments, which average
    the Brier scores of the :math:`K-1` binary splits "options up to k / after k"
    (Cultivate Labs, on its 0–2 Brier scale); two options give the binary Brier score.
    scoringrules' ``rps_score`` is the unnormalised sum, :math:`K-1` times this.

    References
    ----------
    Epstein, E. S. (1969). A scoring system for probability forecasts of ranked categories.
    *J. Appl. Meteor.* 8(6), 985–987.  Murphy, A. H. (1971). A note on the ranked probability
    score. *J. Appl. Meteor.* 10(1), 155–156.  Cultivate Labs, "What is the ordinal scoring
    system and how is it calculated?", https://www.cultivatelabs.com/crowdsourced-forecasting-
    guide/what-is-ordinal-scoring-and-how-is-it-calculated.

    Examples
    --------
    >>> round(ranked_probability_score([2], [[0.2, 0.3, 0.5]]), 4)
    0.145
    """
    y, p = check_categorical(outcome, probabilities)
    return float(np.mean(rps_losses(*_long(y, p))))


def categorical_log_score(
    outcome: ArrayLike, probabilities: ArrayLike, *, eps: float | None = LOG_EPS
) -> float:
    r"""Mean log score of the realised option, :math:`-\frac1n\sum_i \ln p_{i,r_i}` (nats).

    The only proper score that depends on the realised option's probability alone (Good 1952;
    Gneiting & Raftery 2007, sec. 2.3); with two options it is the binary log score.
    Probabilities are clipped to ``[eps, 1 - eps]`` as in
    :func:`forecastkit.scoring.scores.log_score` (``eps=None``: unclipped, ``inf`` for a
    realised option given 0).

    References
    ----------
    Good, I. J. (1952). Rational decisions. *JRSS B* 14(1), 107–114.  Gneiting, T. & Raftery,
    A. E. (2007). Strictly proper scoring rules, prediction, and estimation. *JASA* 102, 359–378.

    Examples
    --------
    >>> round(categorical_log_score([0], [[0.5, 0.25, 0.25]]), 4)
    0.6931
    """
    y, p = check_categorical(outcome, probabilities)
    return float(np.mean(realised_log_losses(*_long(y, p), eps=eps)))
