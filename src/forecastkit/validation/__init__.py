"""Validation of a corpus, behind ``forecastkit validate``.

Two layers. The first, the JSON Schema layer, is part of reading
(:func:`forecastkit.records.corpus.check`): it checks every file as it is parsed and stops at
nothing, so every error comes back at once with its file and line. The second, here, runs
Great Expectations over the loaded tables for the rules that span rows and files.

Public functions:

- :func:`forecastkit.validation.expectations.run_expectations`: the Great Expectations suites
  over a loaded corpus, failures pointing at file:line, optional Data Docs.

Great Expectations takes seconds to import, so nothing outside this wing imports it.
"""
