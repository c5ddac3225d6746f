"""Load a corpus folder (claim files, authors registry, outcome logs) into pandas tables.

:func:`load` is the one entry point for notebooks and commands; :func:`check` collects every
error without raising, for ``forecastkit validate``. The file formats are described in
``docs/claim-format.md`` and checked by the JSON Schemas in ``forecastkit/records/schemas``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from forecastkit.errors import (
    CorpusError,
    ForecastkitError,
    ValidationFailed,
)
from forecastkit.records import cache as cache_files
from forecastkit.records import forms, lexicon, questions
from forecastkit.records.collector import collector_paused, release_freed_memory
from forecastkit.records.frames import (  # noqa: F401 (re-exported)
    AUTHOR_COLUMNS,
    CLAIM_COLUMNS,
    EVIDENCE_COLUMNS,
    OUTCOME_COLUMNS,
    SOURCE_COLUMNS,
    typed,
    typed_frame,
)
from forecastkit.records.layout import (
    corpus_files,
    did_you_mean,
    outside_links,
)
from forecastkit.records.linking import link_questions, read_tables
from forecastkit.records.paths import resolve_corpus_path
from forecastkit.records.reading import (
    Reading,
    read_claim_files,
    read_outcome_logs,
    read_registries,
    shown_path,
)
from forecastkit.records.rules import STATUSES, VERDICTS, rule_errors  # noqa: F401 (re-exported)

# The verdicts and statuses are the rules' (records/rules.py); re-exported here.

# The tables' columns are frames.py's; re-exported here.


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: one table per kind of record (see ``docs/claim-format.md``)."""

    root: Path
    claims: pd.DataFrame
    outcomes: pd.DataFrame
    evidence: pd.DataFrame
    sources: pd.DataFrame
    authors: pd.DataFrame
    scale: str = lexicon.DEFAULT_SCALE
    files: tuple[Path, ...] = field(default=(), repr=False)
    #: Per claim file, how many ``kind: candidate`` entries (forecastkit extract) await review;
    #: candidates are not claims: never loaded into ``claims``, never scored.
    candidates: dict[str, int] = field(default_factory=dict, repr=False)
    #: One row per question (registered, and each claim that is its own question).
    questions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=questions.QUESTION_COLUMNS), repr=False
    )
    #: The numbers of every non-binary forecast, one row each (docs/question-types.md).
    forecast_points: pd.DataFrame = field(default_factory=forms.empty_points, repr=False)

    def forecasts(self) -> pd.DataFrame:
        """Claims of kind ``forecast``: the ones that are scored."""
        return self.claims[self.claims["kind"] == "forecast"]

    def with_scale(self, scale: str) -> Corpus:
        """The same corpus with hedges read on another lexicon scale."""
        lexicon.get_scale(scale)
        claims = self.claims.copy()
        _apply_scale(claims, scale)
        return replace(self, claims=claims, scale=scale)

    def claim(self, claim_id: str) -> pd.Series:
        """One claim's row; :class:`CorpusError` with suggestions for an unknown id."""
        rows = self.claims[self.claims["claim_id"] == claim_id]
        on = self.claims.loc[self.claims["question_id"] == claim_id, "claim_id"].astype(str)
        if rows.empty and len(on):  # a question's id (`show q-...`): name its claims
            listed = ", ".join(on.head(5)) + (f" and {len(on) - 5} more" if len(on) > 5 else "")
            raise CorpusError(
                f"'{claim_id}' is a question, not a claim",
                hint=f"give the id of a claim on it: {listed}",
            )
        if rows.empty:
            raise CorpusError(
                f"no claim with id '{claim_id}'",
                hint=did_you_mean(claim_id, self.claims["claim_id"]),
            )
        return rows.iloc[0]

    def history(self, claim_id: str) -> pd.DataFrame:
        """Every outcome entry of one claim's question, oldest first, with its evidence count."""
        qid = self.claim(claim_id)["question_id"]
        return self.outcomes[self.outcomes["question_id"] == qid]

    def overdue(self, today: dt.date | None = None) -> pd.DataFrame:
        """Forecasts past ``resolve_by`` with no outcome, oldest deadline first."""
        today = pd.Timestamp(today or dt.date.today())
        claims = self.forecasts()
        due = claims[(claims["status"] == "open") & (claims["resolve_by"] < today)]
        return due.sort_values(["resolve_by", "claim_id"])


def load(
    path: str | os.PathLike[str] | None = None,
    scale: str = lexicon.DEFAULT_SCALE,
    *,
    today: dt.date | None = None,
    cache: bool = False,
    write_behind: bool = False,
) -> Corpus:
    """Load a corpus folder into a :class:`Corpus`.

    Parameters
    ----------
    path:
        The corpus folder (default: the project's ``claims/``).
    scale:
        The lexicon scale that reads hedges into probabilities (``forecastkit lexicon``).
    today:
        The date outcomes may not be after (default: today).
    cache:
        Use the project's warm cache of the corpus (``records/cache.py``): for commands that
        only read; one that writes reads fresh. ``FORECASTKIT_CACHE=0`` turns it off.
    write_behind:
        With ``cache``, a fresh load writes the cache on another thread, beside the caller's
        own work, and returns at once (``records.cache.write``); ``records.cache.wait`` waits
        for it, as the command line does when a command ends.

    Raises
    ------
    ValidationFailed
        With every error found, each naming its file, line and field.
    """
    corpus, errors = _load(path, scale, today=today, cache=cache, write_behind=write_behind)
    if errors:
        raise ValidationFailed(errors)
    assert corpus is not None
    return corpus


def check(
    path: str | os.PathLike[str] | None = None,
    scale: str = lexicon.DEFAULT_SCALE,
    *,
    today: dt.date | None = None,
    cache: bool = False,
    write_behind: bool = False,
) -> tuple[Corpus | None, list[ForecastkitError]]:
    """Load what can be loaded and return it with every error found (none: the corpus is valid);
    ``cache`` and ``write_behind`` as for :func:`load`."""
    return _load(path, scale, today=today, cache=cache, write_behind=write_behind)


# --------------------------------------------------------------------------------------------
# Building the tables


def _load(path, scale, *, today, cache=False, write_behind=False):
    with collector_paused():  # records/collector.py
        return _read(path, scale, today=today, cache=cache, write_behind=write_behind)


def _read(path, scale, *, today, cache, write_behind):
    root = resolve_corpus_path(path)
    errors: list[ForecastkitError] = []
    try:
        lexicon.get_scale(scale)
    except ForecastkitError as exc:
        return None, [exc]
    if not root.is_dir():
        what = "is a file, not a corpus folder" if root.exists() else "corpus folder not found"
        return None, [
            CorpusError(
                what, file=root, hint="pass the folder that holds your claim files, e.g. claims/"
            )
        ]
    today = today or dt.date.today()
    snap = None
    if cache_files.enabled(cache):
        hit = cache_files.read(root, today)
        if hit is not None:  # valid when cached, so valid today (records/cache.py)
            _apply_scale(hit["claims"], scale)
            return Corpus(root=root, scale=scale, **hit), []
        snap = cache_files.snapshot(root)
    layout = corpus_files(root)
    claim_paths = list(layout.claim_files)
    tabular_paths, log_paths = list(layout.tabular), list(layout.outcome_logs)

    outside = outside_links(root)
    errors.extend(
        CorpusError(
            "a link to a file outside the corpus folder; it was not read",
            file=shown_path(p, root),
            hint="copy the file into the corpus folder",
        )
        for p in outside
    )
    r = Reading(root=root, today=today, errors=errors)
    read_registries(r, layout, outside)
    read_claim_files(r, claim_paths)
    read_tables(r, tabular_paths, shown_path)
    link_questions(r)
    read_outcome_logs(r, log_paths)
    files = layout.all()

    corpus = _assemble(root, scale, r, files)
    corpus = replace(corpus, candidates=r.candidates, forecast_points=_points(r))
    # The table rules that the GX layer checks too (records/rules.py): both layers agree.
    errors.extend(rule_errors(corpus, today, errors, claimants=r.check_authors))
    if snap is not None and not errors:
        cache_files.write(snap, corpus, today, behind=write_behind)
    release_freed_memory()  # the build's scratch: not held while the command works
    return corpus, errors


def _points(r: Reading) -> pd.DataFrame:
    """``corpus.forecast_points``: the raw rows of YAML and tabular claims, checked together."""
    frames = list(r.point_frames)
    if r.point_rows:
        frames.insert(0, forms.raw_frame(r.point_rows))
    if not frames:
        return forms.empty_points()
    raw = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    order = r.claims_df["claim_id"].tolist()
    return forms.check_points(raw, r.question_of, r.registry, order, r.errors)


def _assemble(root: Path, scale: str, r: Reading, files: tuple[Path, ...]) -> Corpus:
    from forecastkit.records.assembly import assemble

    tables = assemble(r)
    _apply_scale(tables["claims"], scale)
    return Corpus(root=root, scale=scale, files=tuple(files), **tables)


def _apply_scale(claims: pd.DataFrame, scale: str) -> None:
    """Fill ``probability``, ``probability_low/high`` and ``scale`` from stated numbers or hedges."""
    stated = claims["probability_stated"]
    readings = {
        h: lexicon.read_hedge(h, scale)
        for h in claims["hedge"].dropna().unique()
        if lexicon.is_known_hedge(h)
    }
    hedges = claims["hedge"]
    # each distinct hedge looked up once (a map over the rows cost 0.2 s on 62,500 claims)
    codes, distinct = pd.factorize(hedges)

    def pick(attr: str) -> pd.Series:
        values = [float(getattr(readings[h], attr)) if h in readings else np.nan for h in distinct]
        per_row = np.append(np.array(values, dtype="float64"), np.nan)[codes]  # -1: no hedge
        return pd.Series(per_row, index=claims.index, dtype="float64")

    has_stated = stated.notna()
    claims["probability"] = stated.where(has_stated, pick("point"))
    claims["probability_low"] = stated.where(has_stated, pick("low"))
    claims["probability_high"] = stated.where(has_stated, pick("high"))
    read = ~has_stated & hedges.isin(list(readings))
    claims["scale"] = pd.Series(pd.NA, index=claims.index, dtype="string").mask(read, scale)
