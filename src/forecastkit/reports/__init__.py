"""Reports: parameterised notebooks executed by papermill, and their HTML.

Flow: a loaded corpus and scores -> :mod:`~forecastkit.reports.views` (what each section
shows) -> :mod:`~forecastkit.reports.charts` and :mod:`~forecastkit.reports.fragments` (Altair
charts, escaped HTML) -> the notebooks in ``notebooks/`` -> :mod:`~forecastkit.reports.html`.

Public functions:

- :func:`forecastkit.reports.runner.run_reports`: ``forecastkit report``, parallel and incremental.
- :class:`forecastkit.reports.author_view.AuthorReport`, :class:`forecastkit.reports.overview_view.Overview`.
- :func:`forecastkit.reports.parameters.check_parameters`: report parameters checked before use.
"""
