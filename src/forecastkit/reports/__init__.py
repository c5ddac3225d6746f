"""Reports: parameterised notebooks executed by papermill, and their HTML.

Flow: a loaded corpus and scores -> :mod:`~forecastkit.reports.views` (what each section
shows) -> :mod:`~forecastkit.reports.charts` and :mod:`~forecastkit.reports.fragments` (Altair
charts, escaped HTML) -> the notebooks in ``notebooks/`` -> :mod:`~forecastkit.reports.html`.

Public functions:

- :func:`forecastkit.reports.runner.run_reports`: ``forecastkit report``, parallel and incremental.
- :class:`forecastkit.reports.author_view.AuthorReport`, :class:`forecastkit.reports.overview_view.Overview`.
- :func:`forecastkit.reports.parameters.check_parameters`: report parameters checked before use.
- :mod:`~forecastkit.reports.shared_view`: the "On shared questions" sections, the relative
  league and the head-to-head matrix; :mod:`~forecastkit.reports.ranking` and
  :mod:`~forecastkit.reports.timelines`: league and timeline data at any size.
- :mod:`~forecastkit.reports.explore`: the filters and selections of ``notebooks/explore.ipynb``.
- :mod:`~forecastkit.reports.assets` (scripts shared by a folder of pages),
  :mod:`~forecastkit.reports.catalog` (the index of every report present),
  :mod:`~forecastkit.reports.nbexport` (the page export), :mod:`~forecastkit.reports.memo`
  (corpus-wide figures computed once per kernel), :mod:`~forecastkit.reports.kernels` and
  :mod:`~forecastkit.reports.jobs` (the warm kernels and the jobs they run).
"""
