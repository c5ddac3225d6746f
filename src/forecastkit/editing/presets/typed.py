"""Forecasts beyond yes/no in a tracker's export, checked and written vectorised.

A multiple-choice forecast arrives either as one row per option (GJP, Fatebook) or as a list per
row (Metaculus); both become a *long* table of (forecast, option, p) that is checked at once and
written as the JSON object of a tabular claim file (``{"putin": 0.8, ...}``,
``docs/question-types.md``) by string joins, never one Python object per forecast. A numeric or
date forecast arrives as a CDF on the question's grid (Metaculus: 201 points); the grid is
written once per question and the CDF's own text is kept.

Every bad value is a problem at its file, line and column (``table.PROBLEM_COLUMNS``), and a
forecast with any bad row is left out whole (its rows are returned to be rejected).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecastkit.editing.presets.cells import parse_number_lists
from forecastkit.editing.presets.table import problem_frame

#: Probabilities of one forecast sum to 1 within this (as the records layer checks them).
SUM_TOLERANCE = 0.01


def option_labels(names: Sequence[str]) -> list[str]:
    """Labels (``[a-z0-9-]``) for option names as a tracker writes them, in their order.

    ``["Medvedev", "Putin", "Neither"]`` -> ``["medvedev", "putin", "neither"]``; a name with no
    letter or digit, or two names that read alike, get ``option-<n>`` (their position).
    """
    from forecastkit.editing.edit import slugify

    labels = [slugify(str(n), max_words=max(1, len(str(n))))[:60].strip("-") for n in names]
    out = []
    for k, lab in enumerate(labels):
        out.append(lab if lab and labels.count(lab) == 1 else f"option-{k + 1}")
    return out


def float_text(values: np.ndarray) -> np.ndarray:
    """Shortest round-trip text of each float (``0.1``, ``1e-05``), valid JSON numbers."""
    return pd.Series(values, dtype="float64").astype(str).to_numpy(dtype=object)


def collapse_options(
    long: pd.DataFrame,
    options_of: dict[str, list[str]],
    *,
    option_column: str,
    value_column: str,
) -> tuple[pd.Series, list[pd.DataFrame], np.ndarray]:
    """The probabilities of each multiple-choice forecast, from one row per (forecast, option).

    ``long`` has ``key`` (the forecast), ``question_id``, ``label`` (the option's label, NA when
    the row names no option of the question), ``option_text`` and ``value`` (text, as written),
    ``_row`` (position of the forecast's row in the reader's frame), ``_file`` and ``_line``.

    Checks, every row at once: the option is one of the question's (``unknown_option``); the
    probability is a number in [0, 1]; no option twice in a forecast; every option of the
    question given; the probabilities sum to 1 within :data:`SUM_TOLERANCE`
    (``bad_probabilities``, at the forecast's first line, the sum as the value).

    Returns
    -------
    (probabilities, problems, bad_rows)
        ``probabilities``: JSON object text per good forecast key (the question's option
        order); ``problems``: frames of ``PROBLEM_COLUMNS``; ``bad_rows``: the ``_row`` values
        of every forecast left out.
    """
    problems: list[pd.DataFrame] = []
    long = long.reset_index(drop=True)
    unknown = long["label"].isna().to_numpy()
    text = long["option_text"].astype("string").fillna("")
    problems.append(
        problem_frame(
            unknown, long, option_column, "unknown_option",
            f"{option_column} is not an option of the question", text,
        )
    )  # fmt: skip
    p = pd.to_numeric(long["value"].astype("string").str.strip(), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    bad_p = ~np.isfinite(p) | (p < 0) | (p > 1)
    problems.append(
        problem_frame(
            bad_p & ~unknown, long, value_column, "bad_probabilities",
            f"{value_column} is not a probability in [0, 1]", long["value"],
        )
    )  # fmt: skip
    twice = long.duplicated(["key", "label"]).to_numpy() & ~unknown
    problems.append(
        problem_frame(
            twice, long, option_column, "bad_probabilities",
            "an option is given twice in one forecast", text,
        )
    )  # fmt: skip
    row_bad = unknown | bad_p | twice
    key = long["key"].to_numpy()
    codes, keys = pd.factorize(key, sort=False)
    first = np.zeros(len(keys), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the first row of each forecast
    n_given = np.bincount(codes, weights=~unknown, minlength=len(keys))
    total = np.bincount(codes, weights=np.where(np.isfinite(p), p, 0.0), minlength=len(keys))
    qids = long["question_id"].astype(str).to_numpy()
    n_options = np.array([len(options_of.get(q, ())) for q in qids[first]], dtype=np.int64)
    forecast_bad = np.bincount(codes, weights=row_bad, minlength=len(keys)) > 0
    missing = ~forecast_bad & (n_given < n_options)
    firsts = long.iloc[first]
    problems.append(
        problem_frame(
            missing, firsts, value_column, "bad_probabilities",
            "the forecast gives no probability for some option of the question",
            firsts["key"].astype("string"),
        )
    )  # fmt: skip
    off = ~forecast_bad & ~missing & (np.abs(total - 1.0) > SUM_TOLERANCE)
    problems.append(
        problem_frame(
            off, firsts, value_column, "bad_probabilities",
            f"the options' probabilities do not sum to 1 (within {SUM_TOLERANCE})",
            pd.Series(np.round(total, 4), index=firsts.index).astype("string"),
        )
    )  # fmt: skip
    forecast_bad |= missing | off
    good_rows = ~forecast_bad[codes]
    good = long.loc[good_rows].copy()
    good["_p"] = p[good_rows]
    # the question's option order, then one JSON object per forecast by joins
    order = {(q, lab): i for q, labs in options_of.items() for i, lab in enumerate(labs)}
    good["_pos"] = [order.get(t, 0) for t in zip(good["question_id"], good["label"], strict=True)]
    good = good.sort_values(["key", "_pos"], kind="stable")
    pair = '"' + good["label"].astype(str) + '": ' + float_text(good["_p"].to_numpy())
    probabilities = "{" + pair.groupby(good["key"].to_numpy(), sort=False).agg(", ".join) + "}"
    bad_rows = np.unique(long["_row"].to_numpy()[forecast_bad[codes]])
    return probabilities, [e for e in problems if not e.empty], bad_rows


def _fast_number_lists(cells: pd.Series) -> list[np.ndarray] | None:
    """Cells of plain number lists (``[0.0, 0.0023, ...]``) read by numpy's C parser in one
    pass; None when a cell holds anything else (then the JSON reader reads and reports it)."""
    import warnings

    text = [str(c).strip() for c in cells.to_numpy(dtype=object, na_value="")]
    if not text or not all(c[:1] == "[" and c[-1:] == "]" for c in text):
        return None
    body = ",".join(c[1:-1] for c in text)
    sizes = np.array([c.count(",") + 1 for c in text], dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a stray word ("None") ends numpy's parse early
        try:
            flat = np.fromstring(body, sep=",")
        except (ValueError, DeprecationWarning):
            return None
    if len(flat) != sizes.sum() or ("[" in body or "]" in body):
        return None
    return np.split(flat, np.cumsum(sizes)[:-1])


def check_cdfs(
    frame: pd.DataFrame,
    cells: pd.Series,
    grid_size: np.ndarray,
    column: str,
) -> tuple[np.ndarray, list[pd.DataFrame]]:
    """Rows whose CDF (``cells``, a list per row) is bad, and the problems, all at once.

    A CDF has one value per point of its question's grid (``grid_size``), each a number in
    [0, 1], and never decreases (Metaculus: ``Continuous CDF``, 201 values at the question's
    ``Continuous Range``).
    """
    lists = _fast_number_lists(cells)
    if lists is None:
        lists = parse_number_lists(cells)
    n = len(lists)
    sizes = np.array([len(v) if v is not None else -1 for v in lists], dtype=np.int64)
    unreadable = sizes < 0
    wrong_size = ~unreadable & (sizes != grid_size)
    ok_shape = ~unreadable & ~wrong_size
    bad_value = np.zeros(n, dtype=bool)
    decreasing = np.zeros(n, dtype=bool)
    for size in np.unique(sizes[ok_shape]):  # one matrix per grid size (Metaculus: all 201)
        rows = np.flatnonzero(ok_shape & (sizes == size))
        values = np.array([lists[i] for i in rows], dtype=np.float64)  # None -> nan
        if values.ndim != 2:
            values = values.reshape(len(rows), int(size))
        invalid = (~np.isfinite(values) | (values < 0) | (values > 1)).any(axis=1)
        bad_value[rows] = invalid
        decreasing[rows] = ~invalid & (np.diff(values, axis=1) < 0).any(axis=1)
    blank = (cells.astype("string").fillna("").str.strip() == "").to_numpy()
    problems = [
        problem_frame(
            unreadable & blank, frame, column, "missing_value", f"{column} is empty: no CDF", None
        ),
        problem_frame(
            unreadable & ~blank, frame, column, "bad_cdf", f"{column} is not a list of numbers",
            cells,
        ),
        problem_frame(
            wrong_size, frame, column, "bad_cdf",
            f"{column} has not one value per point of the question's grid",
            pd.Series(sizes, index=frame.index).astype("string"),
        ),
        problem_frame(
            bad_value, frame, column, "bad_cdf",
            f"{column} has a value that is not a number in [0, 1]", None,
        ),
        problem_frame(
            decreasing, frame, column, "bad_cdf",
            f"{column} decreases (a CDF never does)", None,
        ),
    ]  # fmt: skip
    bad = unreadable | wrong_size | bad_value | decreasing
    return bad, [e for e in problems if not e.empty]
