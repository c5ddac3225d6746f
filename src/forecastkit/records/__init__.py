"""Reading the corpus: claim files, their formats and schemas, the lexicon, dates, snapshots.

Everything here reads; the only writes are :func:`forecastkit.records.export.write_table` and
the atomic-write helpers that the editing and reports wings share
(:mod:`forecastkit.records.atomic`). Nothing here knows of scoring, editing or reports.

Public functions:

- :func:`forecastkit.records.corpus.load` (also ``forecastkit.load``): a corpus folder as
  pandas tables; :func:`forecastkit.records.corpus.check`: every error of a corpus at once.
- :func:`forecastkit.records.lexicon.read_hedge`, :func:`~forecastkit.records.lexicon.get_scale`:
  verbal hedges read as probabilities on a published scale.
- :func:`forecastkit.records.dates.parse_user_date`: dates as people type them.
- :func:`forecastkit.records.snapshot.as_of`: the corpus as it stood on a date.
- :func:`forecastkit.records.export.export_table`, :func:`~forecastkit.records.due.due_claims`,
  :func:`forecastkit.records.show.format_claim`: the read-only commands' libraries.
- :func:`forecastkit.records.forecast_table.load_forecasts`: forecasts to score, from a corpus
  or from a CSV/Parquet forecast table.
- :mod:`~forecastkit.records.reading` (the loader's stages for YAML files, file by file),
  :mod:`~forecastkit.records.tabular` (tabular claim files as frames, column by column),
  :mod:`~forecastkit.records.linking` (tables into the reading; claims linked to questions),
  :mod:`~forecastkit.records.assembly` (the corpus tables), :mod:`~forecastkit.records.frames`
  (their columns and dtypes), :mod:`~forecastkit.records.questions` (the questions registry),
  :mod:`~forecastkit.records.registry` (the questions a load knows, tables' ones as columns),
  :mod:`~forecastkit.records.rules` (the table rules both validation layers check) and
  :mod:`~forecastkit.records.offences` (one rule evaluated with pandas, offending rows located),
  :mod:`~forecastkit.records.question_types` (a question's type fields and values) and
  :mod:`~forecastkit.records.forms` (forecast forms and their points, checked).
"""
