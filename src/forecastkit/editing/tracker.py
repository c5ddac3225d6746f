"""Import a tracker's export through a preset (``forecastkit import FILE --from NAME``).

:mod:`forecastkit.editing.presets` reads the export into one normalized table; this module turns
that table into a tabular claim file of the corpus:

- every forecast is a claim; the tracker's question is a **question** of the corpus, defined
  by the file (``question`` column), so a forecaster's repeated forecasts on it are updates;
- the tracker's resolution is the question's outcome, with the **tracker as its evidence**
  (``evidence_kind: tracker``: the platform, the question's address, the resolution date);
- every forecaster becomes an author whose key is readable (``matt``, ``alice-2``) and whose
  ``aliases`` keep the tracker's own id (``predictionbook:Matt``), so a second import of the same
  platform reuses the key;
- bad rows are all reported at once, grouped by kind; with ``skip_bad_rows`` the rest is
  imported and the rejected rows are written beside the claim file (``<name>.rejected.tsv``,
  which the loader does not read). Nothing is ever silently changed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecastkit.errors import ClaimFileError, EditError, ParameterError

#: Display names of the platforms, for the publisher and the evidence of imported outcomes.
PLATFORMS = {
    "predictionbook": "PredictionBook",
    "gjp": "Good Judgment Project",
    "metaculus": "Metaculus",
    "fatebook": "Fatebook",
    "generic": "tracker export",
}
_ISO = "%Y-%m-%d"


@dataclass(frozen=True)
class TrackerImport:
    """What :func:`import_tracker` wrote."""

    file: Path
    preset: str
    claims: int
    questions: int
    forecasters: int
    authors_added: int
    resolved: int
    rejected: int = 0
    rejected_file: Path | None = None
    skipped: tuple[str, ...] = ()
    crowds: int = 0

    @property
    def message(self) -> str:
        from forecastkit.records.wording import counted

        lines = [
            f"imported {counted(self.claims, 'forecast')} on {counted(self.questions, 'question')}"
            f" by {counted(self.forecasters, 'forecaster')}"
            + (f" (of them {counted(self.crowds, 'crowd')})" if self.crowds else "")
            + f" from {PLATFORMS.get(self.preset, self.preset)}"
            f" ({self.resolved:,} resolved; {counted(self.authors_added, 'author')} added): "
            f"wrote {self.file}"
        ]
        if self.rejected_file is not None:
            lines.append(f"skipped {self.rejected:,} bad rows: wrote {self.rejected_file}")
        lines.extend(f"left out: {s}" for s in self.skipped)
        return "\n".join(lines)


def slug(value: str, limit: int = 60) -> str:
    """``value`` as an id part: lower-case letters, digits and hyphens, at most ``limit``.

    Accented letters keep their base letter (``Zoë Müller`` -> ``zoe-muller``, not ``zo-m-ller``).
    """
    from forecastkit.editing.edit import slugify

    return slugify(value, max_words=len(value))[:limit].strip("-")


def author_keys(
    forecasters: pd.DataFrame, preset: str, known: dict[str, dict[str, Any]]
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Forecaster id -> author key, and the new authors' entries.

    ``forecasters`` has ``forecaster_id`` and ``forecaster_name``; ``known`` maps existing keys to
    ``{"name": ..., "aliases": [...]}``; ``forecaster_kind`` (optional) is ``crowd`` for an
    aggregate (the Metaculus community prediction, a GJP team median). A forecaster whose alias
    ``<preset>:<id>`` is known keeps that key; others get the slug of their name
    (``forecaster`` when it has no letters), made unique with ``-2``, ``-3``...
    """
    from forecastkit.records.layout import RESERVED_KEYS

    by_alias = {a: key for key, entry in known.items() for a in entry.get("aliases") or ()}
    taken = set(known) | set(RESERVED_KEYS)
    keys: dict[str, str] = {}
    new: dict[str, dict[str, Any]] = {}
    kinds = (
        forecasters["forecaster_kind"]
        if "forecaster_kind" in forecasters
        else pd.Series("person", index=forecasters.index)
    )
    for fid, name, kind in zip(
        forecasters["forecaster_id"], forecasters["forecaster_name"], kinds, strict=True
    ):
        alias = f"{preset}:{fid}"
        if alias in by_alias:
            keys[fid] = by_alias[alias]
            continue
        base = slug(str(name), 40) or "forecaster"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        keys[fid] = key
        shown = str(name) if str(name).strip() else str(fid)
        new[key] = {
            "name": shown,
            "kind": "crowd" if kind == "crowd" else "person",
            "affiliation": PLATFORMS.get(preset, preset),
            "aliases": [alias],
        }
    return keys, new


def _dates(values: pd.Series) -> np.ndarray:
    return values.dt.strftime(_ISO).fillna("").to_numpy(dtype=object)


def claim_table(
    forecasts: pd.DataFrame,
    *,
    name: str,
    preset: str,
    keys: dict[str, str],
    today: dt.date,
    questions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The tabular claim file (columns of :mod:`forecastkit.records.tabular`) for a preset read.

    One claim per forecast (id ``<name>-<n>``), one question and one source per tracker question
    (``<name>-q-<the tracker's id>``), the resolution as the question's outcome with the tracker
    as evidence. Vectorised: 60,000 forecasts take a fraction of a second.

    A question beyond binary (``questions``, :data:`forecastkit.editing.presets.QUESTION_COLUMNS`)
    is defined on its first row (``question_type, options, ordered, lower, upper, open_*``); its
    forecasts are in ``probabilities`` or ``cdf`` and its outcome in ``option`` or ``value``
    (``docs/question-types.md``). A corpus of binary questions gets the columns it always had.
    """
    platform = PLATFORMS.get(preset, preset)
    f = forecasts.reset_index(drop=True)
    n = len(f)
    qid_text = f["question_id"].astype(str)
    uniques = pd.unique(qid_text)
    labels = {u: slug(u, 40) for u in uniques}
    if len(set(labels.values())) < len(labels) or not all(labels.values()):
        labels = {u: str(k + 1) for k, u in enumerate(uniques)}  # ids that slug alike: number them
    question = np.asarray([f"{name}-q-{labels[u]}" for u in uniques], dtype=object)
    codes = pd.Index(uniques).get_indexer(qid_text)
    question_ids = question[codes]
    first_made = f.groupby(codes)["made_on"].transform("min")
    width = max(6, len(str(n)))
    resolved = f["outcome"].notna().to_numpy()
    url = f["question_url"].astype(object).where(f["question_url"].notna(), "").to_numpy()
    tags = f["tags"].map(lambda t: ";".join(map(str, t)) if isinstance(t, list) else "")
    tags = np.where(tags == "", preset, tags + ";" + preset)
    verdict = f["outcome"].astype(object).where(f["outcome"].notna(), "").to_numpy()
    verdict = np.where(verdict == "resolved", "", verdict)  # an option or a value instead
    resolved_on = _dates(f["resolved_on"])
    evidence_title = np.asarray([f"{platform} question {q}" for q in uniques], dtype=object)[codes]
    table = pd.DataFrame(
        {
            "id": [f"{name}-{i:0{width}d}" for i in range(1, n + 1)],
            "question": question_ids,
            "source_id": question_ids,
            "claimant": f["forecaster_id"].map(keys).to_numpy(),
            "claimant_role": "other",
            "kind": "forecast",
            "quote": f["question_text"].to_numpy(dtype=object),
            "proposition": f["question_text"].to_numpy(dtype=object),
            "probability": f["probability"].to_numpy(),
            "made_on": _dates(f["made_on"]),
            "resolve_by": _dates(f["resolve_by"]),
            "deadline_basis": np.where(f["resolve_by"].isna(), "none", "stated"),
            "tags": tags,
            "notes": f["notes"].astype(object).where(f["notes"].notna(), "").to_numpy(),
            "source_title": f["question_text"].to_numpy(dtype=object),
            "publisher": platform,
            "published": _dates(first_made),
            "url": url,
            "verdict": verdict,
            "resolved_on": resolved_on,
            "recorded_by": np.where(resolved, "forecastkit import", ""),
            "recorded_on": np.where(resolved, today.isoformat(), ""),
            "note": np.where(
                resolved, f"resolved on {platform}, imported with --from {preset}", ""
            ),
            "evidence_url": np.where(resolved, url, ""),
            "evidence_title": np.where(resolved, evidence_title, ""),
            "evidence_publisher": np.where(resolved, platform, ""),
            "evidence_published": np.where(resolved, resolved_on, ""),
            "evidence_quote": "",
            "evidence_kind": np.where(resolved, "tracker", ""),
        }
    )
    typed = f["question_type"].astype(str) != "binary" if "question_type" in f else None
    if typed is None or not typed.any():
        return table
    return _typed_columns(table, f, codes, questions)


def _typed_columns(
    table: pd.DataFrame, f: pd.DataFrame, codes: np.ndarray, questions: pd.DataFrame | None
) -> pd.DataFrame:
    """The forecast, question and outcome columns of the questions beyond binary."""

    def text(col: str) -> np.ndarray:
        values = f[col].to_numpy(dtype=object, na_value="")
        return values

    table["probabilities"] = text("probabilities")
    table["cdf"] = text("cdf")
    table["option"] = text("outcome_option")
    table["value"] = text("outcome_value")
    # a question's first row defines it: its fields, written once per question
    first = np.flatnonzero(~pd.Series(codes).duplicated().to_numpy())
    qdefs = (questions if questions is not None else pd.DataFrame()).drop_duplicates("question_id")
    qdefs = qdefs.set_index("question_id") if len(qdefs) else pd.DataFrame()
    qid = f["question_id"].astype(str).to_numpy()[first]
    for col in ("question_type", "options", "ordered", "unit", "lower", "upper", "open_lower",
                "open_upper"):  # fmt: skip
        values = np.full(len(f), "", dtype=object)
        if col in qdefs:
            got = pd.Series(qdefs[col].to_numpy(dtype=object), index=qdefs.index.astype(str))
            got = got.reindex(qid).to_numpy(dtype=object)
            flags = col in ("ordered", "open_lower", "open_upper")
            values[first] = [
                "" if v is None or v is pd.NA or v == "" or (isinstance(v, float) and np.isnan(v))
                else ("true" if str(v) == "True" else "false") if flags else v
                for v in got
            ]  # fmt: skip
        table[col] = values
    return table


def _after_resolution(forecasts: pd.DataFrame) -> pd.Series:
    """Forecasts made after their question's resolution: a tracker allowed them, a score may not
    count them as forecasts (the outcome was known)."""
    return forecasts["resolved_on"].notna() & (forecasts["made_on"] > forecasts["resolved_on"])


def import_tracker(
    file: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    preset: str,
    *,
    questions: str | os.PathLike[str] | None = None,
    forecaster: str | None = None,
    name: str | None = None,
    skip_bad_rows: bool = False,
    team_median: bool = False,
    output_format: str = "csv",
    path: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> TrackerImport:
    """Import a tracker's export into the corpus with a preset of
    :data:`forecastkit.editing.presets.PRESETS`.

    Raises
    ------
    ValidationFailed
        Every bad row of the export, grouped by kind (rows, column, what is wrong), when
        ``skip_bad_rows`` is false; nothing is written then.
    ForecastkitError
        For an unreadable file, a name that is taken or an id already in the corpus.
    """
    from forecastkit.editing.import_write import write_import
    from forecastkit.editing.presets import read_preset, summarize_problems
    from forecastkit.errors import ValidationFailed
    from forecastkit.records.corpus import check
    from forecastkit.records.layout import ID_PATTERN
    from forecastkit.records.paths import resolve_corpus_path

    root = resolve_corpus_path(path)
    today = today or dt.date.today()
    if output_format not in ("csv", "parquet"):
        raise ParameterError(
            f"unknown output format '{output_format}'", field="to", hint="use csv or parquet"
        )
    first = Path(file if isinstance(file, str | os.PathLike) else file[0])
    name = name or slug(f"{preset}-{first.name.split('.')[0]}", 40)
    if not ID_PATTERN.match(name) or len(name) > 40:
        raise ParameterError(
            f"'{name}' is not a valid name",
            field="name",
            hint="use lower-case letters, digits and hyphens (at most 40)",
        )
    target = root / f"{name}.{output_format}"
    rejected_file = root / f"{name}.rejected.tsv"
    for other in (root / f"{name}.csv", root / f"{name}.parquet"):
        if other.exists():
            raise EditError(
                "a claim file with this name exists",
                file=other,
                hint="imports never overwrite: give another --name",
            )
    if skip_bad_rows and rejected_file.exists():
        raise EditError(
            "the rejected rows of an earlier import are here",
            file=rejected_file,
            hint="imports never overwrite: move it away or give another --name",
        )

    read = read_preset(
        preset, file, questions=questions, forecaster=forecaster, team_median=team_median
    )
    forecasts, problems, rejected = read.forecasts, read.problems, read.rejected
    late = _after_resolution(forecasts)
    if late.any():
        extra = pd.DataFrame(
            {
                "file": forecasts.loc[late, "source_file"].astype(str),
                "line": forecasts.loc[late, "source_row"].astype(int),
                "column": "made_on",
                "kind": "forecast_after_resolution",
                "detail": "forecast made after the question was resolved",
                "value": forecasts.loc[late, "made_on"].dt.strftime(_ISO),
            }
        )
        problems = pd.concat([problems, extra], ignore_index=True) if len(problems) else extra
        late_rows = forecasts.loc[late, ["source_file", "source_row"]].assign(
            problems="forecast made after the question was resolved"
        )
        rejected = pd.concat([rejected, late_rows], ignore_index=True)
        forecasts = forecasts[~late]
    if forecasts.empty or (len(problems) and not skip_bad_rows):
        errors = [ClaimFileError(line, field=None) for line in summarize_problems(problems)]
        if forecasts.empty and (skip_bad_rows or not errors):  # say why nothing is left
            left_out = "; ".join(
                f"{int(r.rows):,} rows {r.reason}" for r in read.skipped.itertuples(index=False)
            )
            why = (
                "every row is bad (above)"
                if errors
                else f"every row is left out ({left_out})"
                if left_out
                else "the file has no rows"
            )
            errors.append(
                ClaimFileError(
                    f"no forecast to import: {why}",
                    file=None if errors else str(first),
                    hint="check that this is the right file and --from",
                )
            )
        raise ValidationFailed(errors) if len(errors) > 1 else errors[0]

    corpus, errors = check(root, today=today)
    if corpus is None:
        raise ValidationFailed(errors)
    known = {}
    for row in corpus.authors.itertuples(index=False):
        aliases = getattr(row, "aliases", None)
        known[row.claimant] = {
            "name": row.name,
            "aliases": [
                a for a in (aliases.split("; ") if isinstance(aliases, str) else aliases or ()) if a
            ],
        }
    cols = ["forecaster_id", "forecaster_name", "forecaster_kind"]
    who = forecasts.drop_duplicates("forecaster_id")[[c for c in cols if c in forecasts]]
    keys, new = author_keys(who, preset, known)
    table = claim_table(
        forecasts, name=name, preset=preset, keys=keys, today=today, questions=read.questions
    )
    write_import(corpus, table, target, new, root)
    n_rejected = 0
    if skip_bad_rows and len(rejected):
        from forecastkit.records.atomic import write_text_atomic

        n_rejected = len(rejected)
        write_text_atomic(rejected_file, rejected.to_csv(sep="\t", index=False))
    skipped = tuple(
        f"{int(r.rows):,} rows of {r.file}: {r.reason}"
        for r in read.skipped.itertuples(index=False)
    )
    return TrackerImport(
        file=target,
        preset=preset,
        claims=len(table),
        questions=int(table["question"].nunique()),
        forecasters=len(keys),
        authors_added=len(new),
        resolved=int(
            (
                (table["verdict"] != "")
                | (table.get("option", pd.Series("", index=table.index)) != "")
                | (table.get("value", pd.Series("", index=table.index)) != "")
            ).sum()
        ),
        rejected=n_rejected,
        rejected_file=rejected_file if n_rejected else None,
        skipped=skipped,
        crowds=int((who.get("forecaster_kind", pd.Series(dtype=str)) == "crowd").sum()),
    )
