"""Read the public exports of forecasting trackers into one normalized table of forecasts.

Each preset reads one tracker's own file format (its real column names and value encodings) and
returns a :class:`PresetRead`: the forecasts in one normalized pandas table, every bad row of the
input (all of them, not only the first) and the counts of rows skipped by a documented rule.
Functions here are pure: they read files and return tables; they never write, prompt or print.
``docs/import-formats.md`` lists, per preset, the source of the format, its columns and the
mapping.

Presets and the sources their formats were taken from:

``predictionbook``
    The PredictionBook public dump collected by the iqisa project (niplav/iqisa on GitHub,
    ``data/predictionbook/public.csv.zip`` and ``questions.csv.zip``, written by
    ``iqisa/predictionbook.py``): ``public.csv`` has one row per forecast (``question_id,
    user_id, team_id, probability, answer_option, timestamp, outcome, open_time, close_time,
    resolve_time, time_open, n_opts, options, q_status, q_type``), ``questions.csv`` one row per
    question (``question_id, q_title, q_status, open_time, close_time, resolve_time, outcome,
    time_open, n_opts, options``). ``probability`` is in [0, 1] (iqisa divides the page's
    percentage by 100); ``outcome`` is 1.0 (right), 0.0 (wrong), -1.0 (judged unknown) or empty
    while open; times are ``YYYY-MM-DD HH:MM:SS+00:00`` and deadlines reach ``9999-12-31``.
``gjp``
    The Good Judgment Project data (Harvard Dataverse, as described by niplav/iqisa
    ``summary.md`` and read by ``iqisa/gjp.py``): ``survey_fcasts.yr1.csv`` ... ``yr4`` with
    ``ifp_id, ctt, cond, training, team, user_id, forecast_id, fcast_type, answer_option, value,
    fcast_date, expertise, q_status, viewtime, year, timestamp`` (one row per answer option of a
    forecast, ``value`` in [0, 1]), and ``ifps.csv`` with ``ifp_id, q_type, q_text, q_desc,
    q_status, date_start, date_suspend, date_to_close, date_closed, outcome, short_title,
    days_open, n_opts, options`` (US dates ``9/1/11``, ``outcome`` the letter of the option that
    happened, ``options`` like ``(a) Yes, (b) No``). Questions of three or more options are
    multiple choice, ordered when ``q_type`` is 6 (:mod:`~forecastkit.editing.presets.gjp`).
``metaculus``
    The Metaculus question data export (its ``README.md`` describes every column):
    ``forecast_data.csv`` (``Question ID, Forecaster ID, Forecaster Username, Is Bot, Start Time,
    End Time, Forecaster Count, Probability Yes, ...``) and ``question_data.csv`` (``Question ID,
    Question URL, Question Title, ..., Categories, ..., Question Type, ..., Scheduled Close Time,
    Actual Close Time, Resolution, Resolution Known Time, ...``). Aggregate rows (no Forecaster
    ID, a method such as ``recency_weighted`` as the username) are a claimant of kind
    ``crowd``; multiple-choice, numeric, discrete and date questions are read too
    (:mod:`~forecastkit.editing.presets.metaculus`).
``fatebook``
    Fatebook (Sage-Future/fatebook on GitHub): its export (``lib/web/export.ts``: ``Question
    title, Multiple choice option, Forecast created by, Forecast (scale = 0-1), Forecast created
    at, Question created by, Question created at, Question resolve by, Resolution, Resolved at,
    ..., Question notes, ...``) and its spreadsheet-import format (``pages/
    import-from-spreadsheet.tsx`` and ``lib/web/import_router.ts``: ``questionTitle, forecast``
    (0-100 %), ``qCreatedAt, resolution`` (YES, NO, AMBIGUOUS or blank), ``resolvedAt, resolveBy,
    fCreatedAt, tags`` (comma-separated), ``notes, notesExtra``), which has no forecaster column.
    The export's multiple-choice rows are read as in :mod:`~forecastkit.editing.presets.fatebook`.
``generic``
    One CSV with one row per forecast, columns found by common names (:data:`GENERIC_COLUMNS`).

Dates: every date from 0001-01-01 to 9999-12-31 loads. Dates are parsed by this module (not by
``pandas.to_datetime``, whose nanosecond unit ends in 2262), times are converted to their UTC day,
and every date column is ``datetime64[s]`` at midnight; ``NaT`` in ``resolve_by`` means no
deadline. No code path here can raise ``OutOfBoundsDatetime``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from forecastkit.editing.presets.dates import parse_dates
from forecastkit.editing.presets.messages import summarize_problems
from forecastkit.editing.presets.readers import GENERIC_COLUMNS, PRESETS
from forecastkit.editing.presets.table import (
    FORECAST_COLUMNS,
    PROBLEM_COLUMNS,
    QUESTION_COLUMNS,
    SKIPPED_COLUMNS,
    PresetRead,
    as_paths,
    normalize_staged,
)
from forecastkit.errors import ParameterError

__all__ = [
    "FORECAST_COLUMNS",
    "GENERIC_COLUMNS",
    "PRESETS",
    "PROBLEM_COLUMNS",
    "QUESTION_COLUMNS",
    "SKIPPED_COLUMNS",
    "PresetRead",
    "parse_dates",
    "read_preset",
    "summarize_problems",
]


def read_preset(
    name: str,
    file: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    questions: str | os.PathLike[str] | None = None,
    forecaster: str | None = None,
    team_median: bool = False,
) -> PresetRead:
    """Read a tracker's export with the preset ``name`` into one normalized table.

    Parameters
    ----------
    name:
        A key of :data:`PRESETS`: ``predictionbook``, ``gjp``, ``metaculus``, ``fatebook`` or
        ``generic``.
    file:
        The forecasts file (``public.csv[.zip]``, ``survey_fcasts.yr1.csv``,
        ``forecast_data.csv``, a Fatebook CSV), or several files of the same format (the GJP
        years), read as one.
    questions:
        The questions file (``questions.csv``, ``ifps.csv``, ``question_data.csv``); default:
        the file of that name beside ``file``.
    forecaster:
        Whose forecasts a file without a forecaster column holds (Fatebook's import format).
    team_median:
        GJP only: add each team's median forecast as a claimant of kind ``crowd``
        (:func:`forecastkit.editing.presets.gjp.team_medians`).

    Returns
    -------
    PresetRead
        ``forecasts`` (the good rows), ``problems`` (every bad value, all at once),
        ``skipped`` (rows left out by a documented rule) and ``rejected`` (the bad rows as read).

    Raises
    ------
    ParameterError
        For an unknown preset, a missing questions file or a missing ``forecaster``.
    ClaimFileError
        For a file that cannot be read or lacks the format's columns.
    """
    reader = PRESETS.get(name)
    if reader is None:
        raise ParameterError(
            f"unknown preset '{name}'", field="from", hint=f"presets: {', '.join(PRESETS)}"
        )
    if team_median and name != "gjp":
        raise ParameterError(
            "team medians are computed for the gjp preset only",
            field="team_median",
            hint="other trackers export their aggregates (Metaculus: recency_weighted)",
        )
    staged = reader(as_paths(file), questions, forecaster)
    read = normalize_staged(name, staged)
    if team_median:
        from dataclasses import replace

        import pandas as pd

        from forecastkit.editing.presets.gjp import team_medians

        medians = team_medians(read.forecasts, read.questions)
        forecasts = pd.concat([read.forecasts, medians], ignore_index=True)
        read = replace(read, forecasts=forecasts)
    return read
