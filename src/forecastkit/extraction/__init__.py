"""Extraction: propose candidate claims from an article's text, fully offline, for review.

An article (plain text or a saved HTML page) is read into its main text and metadata
(:func:`read_source`), split into sentences with spaCy's rule-based sentencizer, and every
sentence with forecast language (a hedge, "will", a stated chance) becomes a candidate with its
verbatim quote and offsets, hedge, probability, claimant, deadline and condition
(:func:`extract_text`, :func:`extract_file`). :func:`write_candidates` writes them as a claim
file whose entries have ``kind: candidate`` (never scored). See ``docs/extraction.md``.

This wing depends on :mod:`forecastkit.errors` and :mod:`forecastkit.records` only.
"""

from __future__ import annotations

from forecastkit.extraction.candidates import Candidate, Extraction, extract_file, extract_text
from forecastkit.extraction.text import SourceText, read_source
from forecastkit.extraction.write import write_candidates

__all__ = [
    "Candidate",
    "Extraction",
    "SourceText",
    "extract_file",
    "extract_text",
    "read_source",
    "write_candidates",
]
