"""Pure scoring of probability forecasts: arrays and tables in, scores out.

Nothing here knows of files, notebooks or YAML: the functions take outcome and probability
arrays, or DataFrames shaped like ``Corpus.claims``, and every formula cites its source.

Public functions:

- :mod:`forecastkit.scoring.scores`: :func:`~forecastkit.scoring.scores.brier_score`,
  :func:`~forecastkit.scoring.scores.log_score`, skill scores and bootstrap intervals.
- :mod:`forecastkit.scoring.calibration`: CORP decomposition and reliability diagram,
  Spiegelhalter's test; :mod:`~forecastkit.scoring.isotonic` the PAV recalibration they rest on;
  :mod:`~forecastkit.scoring.binned` binned reliability diagrams, Murphy's decomposition and
  proportion intervals.
- :mod:`forecastkit.scoring.grouped`: :func:`~forecastkit.scoring.grouped.score_table` by
  claimant, publisher, tag or any column; score over time; scale sensitivity.
- :mod:`forecastkit.scoring.bootstrap`: percentile intervals for many groups at once (the
  normal limit for large groups).
- :mod:`forecastkit.scoring.policies`: ``all``, ``last``, ``time-weighted``: how a claimant's
  several forecasts on one question count.
- :mod:`forecastkit.scoring.relative`: relative Brier, peer score and head-to-head records on
  shared questions (:mod:`~forecastkit.scoring.group_means` gives their intervals).
- :mod:`forecastkit.scoring.render`: score tables sorted, labelled and rendered as text.
"""
