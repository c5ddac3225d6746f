"""Score tables for people and tools: a readable name beside each key, sorted, and rendered
as an aligned text table, CSV or JSON (``forecastkit score``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecastkit.errors import ScoringError
from forecastkit.scoring.grouped import MIN_N
from forecastkit.scoring.scores import CI_LEVEL
from forecastkit.scoring.text_table import aligned

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
    if "group" not in table.columns:  # nothing scored (a new project): no groups to name
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


#: ``--sort`` names that mean each league's own column: the score it is ranked on (binary:
#: Brier) and its relative score.
SORT_ALIASES = {"score": ("brier", "score"), "relative": ("relative_brier", "relative_score")}


def sort_leagues(
    binary: pd.DataFrame, typed: pd.DataFrame, column: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The binary table and the typed leagues, each sorted by ``column`` (``-column``:
    descending; missing values last, ties in their order); a league stays together.

    ``score`` sorts each league on the score it is ranked on (binary: Brier), ``relative`` on
    its relative score (docs/scoring.md); any other column sorts the tables that have it. A
    column that no table shown has raises :class:`~forecastkit.errors.ScoringError` naming the
    sortable columns of the tables shown; with nothing to show there is nothing to sort.
    """
    descending = column.startswith("-")
    name = column.lstrip("-")
    alias = SORT_ALIASES.get(name, (name, name))
    shown = [t for t in (binary, typed) if len(t)]
    if not shown:
        return binary, typed
    if len(binary) and alias[0] in binary.columns:
        binary = sort_scores(binary, ("-" if descending else "") + alias[0])
    elif len(typed) and alias[1] in typed.columns:
        pass
    else:
        _no_such_column(name, binary, typed)
    if len(typed) and alias[1] in typed.columns:
        league = ["question_type", "score_name"]
        order = typed[league].drop_duplicates().reset_index(drop=True)
        rank = pd.Series(order.index, index=pd.MultiIndex.from_frame(order))
        key = rank.reindex(pd.MultiIndex.from_frame(typed[league])).to_numpy()
        values = typed[alias[1]]
        missing = values.isna().to_numpy()
        by = pd.DataFrame({"league": key, "missing": missing, "value": values.to_numpy()})
        positions = by.sort_values(
            ["league", "missing", "value"],
            ascending=[True, True, not descending],
            kind="stable",
        ).index
        typed = typed.iloc[positions].reset_index(drop=True)
    return binary, typed


def _no_such_column(name: str, binary: pd.DataFrame, typed: pd.DataFrame) -> None:
    import difflib

    columns = list(SORT_ALIASES)
    for table in (binary, typed):
        if len(table):
            columns += [str(c) for c in table.columns if str(c) not in columns]
    shown = "columns of the scores shown: " + ", ".join(columns)
    if not len(binary) and (name in _BINARY_ONLY or name in binary.columns):
        raise ScoringError(
            f"cannot sort by '{name}': no yes/no forecasts are scored",
            field="sort",
            hint=f"--sort score ranks each league on its own score; {shown}",
        )
    near = difflib.get_close_matches(name, columns, n=1)
    raise ScoringError(
        f"cannot sort by '{name}': no such column",
        field="sort",
        hint=(f"did you mean '{near[0]}'? " if near else "")
        + f"{shown} (score: each league on its own score)",
    )


#: Columns of the binary table only (the typed leagues have ``score``, ``relative_score``).
_BINARY_ONLY = ("brier", "relative_brier", "hit_rate", "bss_base_rate", "mcb", "dsc", "unc")


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

    def num(column: str) -> list[str]:
        """Three decimals per row, empty where missing (``v != v``: NaN)."""
        values = pd.to_numeric(table[column]).astype(float).tolist()
        return ["" if v != v else f"{v:.3f}" for v in values]

    def with_ci(stat: str) -> list[str]:
        """``0.123 [0.100, 0.150]`` per row; the interval only where it has a low end."""
        text = num(stat)
        if f"{stat}_low" not in table.columns:
            return text
        lows, highs = num(f"{stat}_low"), num(f"{stat}_high")
        return [
            f"{t} [{lo}, {hi}]" if lo else t for t, lo, hi in zip(text, lows, highs, strict=True)
        ]

    names = {"name": table["name"].fillna("").astype(str)} if "name" in table.columns else {}
    shown = pd.DataFrame(
        {
            "group": table["group"].astype(str) + np.where(table["low_n"], " *", ""),
            **names,
            "n": table["n"],
            "resolved": table["n_resolved"],
            "brier": with_ci("brier"),
            "log_score": with_ci("log_score"),
            "hit_rate": with_ci("hit_rate"),
            "bss_base_rate": num("bss_base_rate"),
            "mcb": num("mcb"),
            "dsc": num("dsc"),
            "unc": num("unc"),
        }
    )
    lines = [aligned(shown)]
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


#: Per league, the columns a person reads beside its score.
_LEAGUE_COLUMNS = {
    "multiclass_brier": ["log_score"],
    "rps": ["multiclass_brier", "log_score"],
    "crps": ["wis", "interval_score", "abs_error", "pct_error"],
}
_TYPE_NAMES = {"multiple_choice": "multiple choice", "numeric": "numeric", "date": "date"}


def league_title(question_type: str, score_name: str) -> str:
    """``"multiple choice, ordered options: ranked probability score"`` and the like."""
    from forecastkit.scoring.forecast_scores import SCORE_LABELS

    kind = _TYPE_NAMES.get(question_type, question_type)
    if score_name == "rps":
        kind += ", ordered options"
    unit = " (days)" if question_type == "date" else " (in each question's unit)"
    return f"{kind}: {SCORE_LABELS.get(score_name, score_name)}" + (
        unit if score_name == "crps" else " (0-1)"
    )


def render_typed(
    typed: pd.DataFrame,
    names: pd.Series | None = None,
    *,
    min_n: int = MIN_N,
    level: float = CI_LEVEL,
) -> str:
    """The leagues of a :func:`~forecastkit.scoring.typed_table.typed_score_table` as aligned
    text tables, one per league, each titled with the score it ranks on."""
    if typed.empty:
        return ""

    def num(value: float, digits: int = 3) -> str:
        return "" if pd.isna(value) else f"{value:.{digits}f}"

    blocks = []
    for (qtype, score_name), part in typed.groupby(["question_type", "score_name"], sort=True):
        extra = [c for c in _LEAGUE_COLUMNS.get(str(score_name), []) if part[c].notna().any()]
        shown = {"group": part["group"].astype(str) + np.where(part["low_n"], " *", "")}
        if names is not None:
            shown["name"] = part["group"].map(names).fillna("").astype(str)
        shown |= {"n": part["n"], "resolved": part["n_resolved"]}
        shown[str(score_name)] = [
            num(r["score"])
            + (
                f" [{num(r['score_low'])}, {num(r['score_high'])}]"
                if pd.notna(r["score_low"])
                else ""
            )
            for _, r in part.iterrows()
        ]
        shown |= {c: part[c].map(num) for c in extra}
        shown["relative"] = part["relative_score"].map(num)
        shown["n_shared"] = part["n_shared"]
        relative = (
            "relative: summed CRPS over the others' median on shared questions (below 1 is better)"
            if score_name == "crps"
            else "relative: mean difference to the others' median on shared questions (below 0 "
            "is better)"
        )
        blocks.append(
            "\n".join(
                [
                    league_title(str(qtype), str(score_name)),
                    aligned(pd.DataFrame(shown)),
                    f"{int(part['n_resolved'].sum())} scored, {int(part['n_open'].sum())} open, "
                    f"{int(part['n_ambiguous'].sum() + part['n_annulled'].sum())} ambiguous or "
                    f"annulled; {relative}; lower is better",
                ]
            )
        )
    notes = [f"[low, high]: {level:.0%} percentile bootstrap intervals over questions"]
    if typed["low_n"].any():
        notes.append(f"* fewer than {min_n} scored: read the scores with care")
    return "\n\n".join(blocks) + "\n" + "\n".join(notes) + "\n"


def combined_records(binary: pd.DataFrame, typed: pd.DataFrame) -> pd.DataFrame:
    """One table of every league for csv and json: the binary rows marked ``question_type``
    binary and ``score_name`` brier (``score`` their Brier score), then the typed rows."""
    if typed.empty:
        return binary
    head = binary.assign(question_type="binary", score_name="brier", score=binary.get("brier"))
    return pd.concat([head, typed], ignore_index=True)
