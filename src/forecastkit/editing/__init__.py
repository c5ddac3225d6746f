"""Writing the corpus: add sources, claims and authors, log outcomes, import tracker exports.

Every edit appends, under a lock, with an atomic write, and re-checks the file before it
replaces it, so an edit never loses a claim, an outcome or a comment.

Public functions:

- :mod:`~forecastkit.editing.edit`: the steps every edit follows (lock, read fresh, append,
  re-check, atomic write) and the :class:`~forecastkit.editing.edit.Edit` record it returns.
- :func:`forecastkit.editing.claims.create_source`, :func:`~forecastkit.editing.claims.add_claim`,
  :func:`forecastkit.editing.authors.add_author`,
  :func:`forecastkit.editing.resolve.resolve_claim`.
- :func:`forecastkit.editing.tracker.import_tracker`: a tracker's export through a preset
  (``import --from predictionbook|gjp|metaculus|fatebook``), read by
  :func:`forecastkit.editing.presets.read_preset`.
- :func:`forecastkit.editing.importing.import_forecasts`: any other export (one row per
  forecast) as a tabular claim file.
- :mod:`forecastkit.editing.review`: the review of ``extract --write``'s candidates (accept,
  reject, edit, list; :mod:`~forecastkit.editing.candidates` finds them and adds a re-run's new
  ones; :class:`~forecastkit.editing.review_panel.ReviewPanel` for the explore notebook).
- :func:`forecastkit.editing.yamledit.append_entries`: comment-preserving appends to YAML
  (:func:`~forecastkit.editing.yamledit.replace_entry`: one entry rewritten in place;
  ``append_parsed`` and ``replace_parsed`` take and return parsed Documents, so that an edit
  parses each text once); :mod:`~forecastkit.editing.yamlrender` renders the new entries.
- :func:`forecastkit.editing.synthetic.write_synthetic_corpus`: synthetic corpora for tests
  and benchmarks.
"""
