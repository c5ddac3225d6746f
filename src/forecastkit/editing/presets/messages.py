"""Messages about bad rows: one line per kind of problem, grouped by file, column and what is
wrong, with the lines and a few values."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: Kinds of problem and the advice given for them by :func:`summarize_problems`.
PROBLEM_HINTS = {
    "bad_date": "fix the dates",
    "deadline_before_forecast": "fix the dates",
    "bad_probability": "fix the probabilities",
    "probability_out_of_range": "fix the probabilities",
    "missing_question": "add the questions or fix the question ids",
    "bad_question": "fix the question's row",
    "missing_value": "fill in the missing values",
    "bad_outcome": "fix the outcomes",
    "bad_probabilities": "fix the option probabilities",
    "unknown_option": "fix the options",
    "bad_cdf": "fix the CDFs",
}


def summarize_problems(
    problems: pd.DataFrame | Sequence[dict[str, object]], max_examples: int = 5
) -> list[str]:
    """One line per kind of problem, grouped by file, column and what is wrong.

    ``public.csv: 613 rows: close_time before timestamp (lines 12, 40, 77, ...; e.g.
    '2008-06-19 10:00:00+00:00'); fix the dates or pass --skip-bad-rows``. Groups come in the
    order of their first line; each names how many rows, the first ``max_examples`` lines and
    values.
    """
    frame = problems if isinstance(problems, pd.DataFrame) else pd.DataFrame(list(problems))
    if frame.empty:
        return []
    frame = frame.sort_values(["file", "line"], kind="stable")
    lines: list[tuple[tuple[str, int], str]] = []
    for (file, kind, detail), group in frame.groupby(["file", "kind", "detail"], sort=False):
        rows = group["line"].drop_duplicates()
        n = len(rows)
        shown = ", ".join(str(int(v)) for v in rows.iloc[:max_examples])
        more = ", ..." if n > max_examples else ""
        values = [
            str(v) for v in group["value"].astype("string").fillna("").unique() if str(v) != ""
        ][: min(max_examples, 3)]
        examples = f"; e.g. {', '.join(repr(v) for v in values)}" if values else ""
        word = "line" if n == 1 else "lines"
        hint = PROBLEM_HINTS.get(str(kind), "fix the rows")
        noun = "row" if n == 1 else "rows"
        text = (
            f"{file}: {n} {noun}: {detail} ({word} {shown}{more}{examples}); "
            f"{hint} or pass --skip-bad-rows"
        )
        lines.append(((str(file), int(rows.iloc[0])), text))
    lines.sort(key=lambda item: item[0])
    return [text for _, text in lines]
