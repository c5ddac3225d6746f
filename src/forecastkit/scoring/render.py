"""Score tables for people and tools: a readable name beside each key, sorted, and rendered
as an aligned text table, CSV or JSON (``forecastkit score``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecastkit.errors import ScoringError
from forecastkit.scoring.grouped import MIN_N
from forecastkit.scoring.scores import CI_LEVEL

SCORE_FORMATS = ("table", "csv", "json")


def label_groups(
    table: pd.DataFrame, forecasts: pd.DataFrame, by: str | None, label: str
) -> pd.DataFrame:
    """``table`` with a ``name`` column after ``group``: each group's ``label`` in ``forecasts``.

    For ``by="claimant"`` and ``label="claimant_name"`` the readable name sits beside the key
    (``olivia-2`` is "Olivia" of the second import). The first label of a group wins; a table
    without the label column is returned as it is.
    """
    if by is None or label not in forecasts.columns or by not in forecasts.columns:
        return table
    names = forecasts.drop_duplicates(by).set_index(by)[label]
    out = table.copy()
    out.insert(out.columns.get_loc("group") + 1, "name", out["group"].map(names))
    return out


def sort_scores(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """``table`` sorted by ``column`` (``-column``: descending), missing values last.

    Ties keep their order (a stable sort). Raises :class:`~forecastkit.errors.ScoringError`
    naming the sortable columns when ``column`` is not one.
    """
    descending = column.startswith("-")
    name = column.lstrip("-")
    if name not in table.columns:
        import difflib

        near = difflib.get_close_matches(name, [str(c) for c in table.columns], n=1)
        raise ScoringError(
            f"cannot sort by '{name}': no such column",
            field="sort",
            hint=(f"did you mean '{near[0]}'? " if near else "")
            + "columns: "
            + ", ".join(map(str, table.columns)),
        )
    return table.sort_values(
        name, ascending=not descending, kind="stable", na_position="last"
    ).reset_index(drop=True)


def render_scores(
    table: pd.DataFrame,
    fmt: str = "table",
    *,
    min_n: int = MIN_N,
    level: float = CI_LEVEL,
    by: str | None = None,
) -> str:
    """A :func:`score_table` as text: an aligned ``table`` for people, or ``csv`` / ``json``
    (records; NaN as null) with every column for other tools.  ``by`` is the grouping the table
    was made with; with ``tag`` the totals count a claim once per tag, and the text says so."""
    if fmt == "csv":
        return table.to_csv(index=False)
    if fmt == "json":
        return table.to_json(orient="records", indent=1) + "\n"
    if fmt != "table":
        raise ScoringError(f"unknown format '{fmt}'", hint=f"use one of {', '.join(SCORE_FORMATS)}")
    if table.empty:
        return "no forecasts to score\n"

    def num(value: float, digits: int = 3) -> str:
        return "" if pd.isna(value) else f"{value:.{digits}f}"

    def with_ci(row: pd.Series, stat: str) -> str:
        text = num(row[stat])
        if f"{stat}_low" in row and not pd.isna(row[f"{stat}_low"]):
            text += f" [{num(row[f'{stat}_low'])}, {num(row[f'{stat}_high'])}]"
        return text

    names = {"name": table["name"].fillna("").astype(str)} if "name" in table.columns else {}
    shown = pd.DataFrame(
        {
            "group": table["group"].astype(str) + np.where(table["low_n"], " *", ""),
            **names,
            "n": table["n"],
            "resolved": table["n_resolved"],
            "brier": [with_ci(r, "brier") for _, r in table.iterrows()],
            "log_score": [with_ci(r, "log_score") for _, r in table.iterrows()],
            "hit_rate": [with_ci(r, "hit_rate") for _, r in table.iterrows()],
            "bss_base_rate": table["bss_base_rate"].map(num),
            "mcb": table["mcb"].map(num),
            "dsc": table["dsc"].map(num),
            "unc": table["unc"].map(num),
        }
    )
    lines = [shown.to_string(index=False)]
    excluded = int(table["n_ambiguous"].sum() + table["n_annulled"].sum())
    notes = [
        f"{int(table['n_resolved'].sum())} resolved forecasts scored, "
        f"{int(table['n_open'].sum())} open, {excluded} ambiguous or annulled (not scored), "
        f"{int(table['n_unscored'].sum())} without a probability"
        + (" (a claim with several tags counts once per tag)" if by in ("tag", "tags") else "")
    ]
    if "brier_low" in table.columns:
        notes.append(f"[low, high]: {level:.0%} percentile bootstrap intervals")
    if table["low_n"].any():
        notes.append(f"* fewer than {min_n} resolved forecasts: read the scores with care")
    notes.append("brier, log_score (nats), mcb: lower is better; hit_rate, bss, dsc: higher")
    return "\n".join(lines + notes) + "\n"
