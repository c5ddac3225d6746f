"""``forecastkit report``: execute the report notebooks for a corpus, in parallel, incrementally.

One overview and one author report per claimant are executed with papermill, exactly as
``papermill notebooks/author_report.ipynb out.ipynb -p author KEY`` would, and written to
``reports/<key>.ipynb`` and ``reports/<key>.html``, with ``reports/index.html`` linking them.

- **Fast**: a small pool of worker processes, each keeping *one* warm Jupyter kernel
  (:mod:`forecastkit.reports.kernels`) through which papermill runs many notebooks; the namespace is
  reset between reports, so each starts clean but imports cost nothing.
- **Incremental**: ``reports/manifest.json`` records a hash of each report's inputs (its claims,
  outcomes and sources, the notebook, the package and library versions, the parameters); a
  report whose inputs are unchanged is not executed again.
- **Fault-isolated**: a failing report is reported and the others go on; outputs are written
  atomically only after the notebook ran and the HTML was built, so a failed or interrupted
  run never replaces the last good report with a half-written one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from forecastkit.errors import ReportError
from forecastkit.records.atomic import write_text_atomic
from forecastkit.records.corpus import Corpus
from forecastkit.reports.jobs import (
    INDEX_FILE,
    ReportJob,
    ReportResult,
    RunSummary,
    sha256,
)
from forecastkit.reports.jobs import CtrlC as _CtrlC
from forecastkit.reports.parameters import check_author, check_parameters

AUTHOR_NOTEBOOK = "author_report.ipynb"
OVERVIEW_NOTEBOOK = "overview.ipynb"
OVERVIEW_KEY = "overview"
MANIFEST_FILE = "manifest.json"
#: What the author notebook's kernel is asked after the run for the report's index line.
AUTHOR_SUMMARY = "report.summary_line()"
MANIFEST_VERSION = 1
#: Output names a claimant key may not take.
RESERVED_KEYS = (OVERVIEW_KEY, "index", "manifest")
#: Default number of worker processes (each with one kernel): this is a 2-core machine.
DEFAULT_WORKERS = 2
#: Libraries whose versions change what a report looks like.
_LIBRARIES = (
    "pandas",
    "numpy",
    "scipy",
    "altair",
    "vl_convert",
    "papermill",
    "nbconvert",
    "nbformat",
)


# --------------------------------------------------------------------------- input hashes


def _row_hashes(frame: pd.DataFrame) -> pd.Series:
    """A 64-bit hash of each row's content. Columns that only say where a row sits in a file
    (``file``, ``line``) are left out, so that an edit elsewhere in the same file does not
    count as a change."""
    shown = frame.drop(columns=[c for c in ("file", "line") if c in frame.columns])
    shown = shown[sorted(shown.columns)]
    for col in shown.columns:
        if shown[col].dtype == object:  # tuples (tags) and mixed values: hash their text
            shown = shown.assign(**{col: shown[col].map(repr)})
    return pd.util.hash_pandas_object(shown, index=False)


def _digest_by(keys: pd.Series, hashes: pd.Series, columns: Iterable[str]) -> dict[str, str]:
    """sha256 per key over the sorted row hashes of its rows (and the table's columns)."""
    head = ",".join(sorted(columns)).encode()
    frame = pd.DataFrame({"key": keys.to_numpy(), "h": hashes.to_numpy()}).sort_values(["key", "h"])
    out = {}
    for key, group in frame.groupby("key", sort=False):
        out[str(key)] = hashlib.sha256(head + group["h"].to_numpy().tobytes()).hexdigest()
    return out


def package_fingerprint() -> str:
    """A hash of forecastkit's code and data, and of the versions of the libraries reports use."""
    from importlib import metadata

    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json", ".yaml") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name.replace('_', '-'))}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()


def claimant_inputs(corpus: Corpus) -> dict[str, str]:
    """A hash per claimant of everything an author report shows: the claimant's claims (with
    their current outcomes), every outcome entry and piece of evidence of those claims, their
    sources, and the claimant's registry entry. Computed for all claimants at once."""
    claims = corpus.claims
    pairs = claims[["claimant", "source_id"]].drop_duplicates()
    sources = pairs.merge(corpus.sources.assign(_h=_row_hashes(corpus.sources)), on="source_id")
    # A question's outcome, evidence and every claim on it show in the report of each claimant
    # who forecast it ("On shared questions"): key them by (question, claimant) pairs.
    askers = claims[["question_id", "claimant"]].drop_duplicates()
    claim_h = claims[["question_id"]].assign(_h=_row_hashes(claims)).merge(askers, on="question_id")
    outcome_h = (
        corpus.outcomes[["question_id"]]
        .assign(_h=_row_hashes(corpus.outcomes))
        .merge(askers, on="question_id")
    )
    evidence_h = (
        corpus.evidence[["question_id"]]
        .assign(_h=_row_hashes(corpus.evidence))
        .merge(askers, on="question_id")
    )
    tables = [
        (claim_h["claimant"], claim_h["_h"], claims.columns),
        (outcome_h["claimant"], outcome_h["_h"], corpus.outcomes.columns),
        (evidence_h["claimant"], evidence_h["_h"], corpus.evidence.columns),
        (sources["claimant"], sources["_h"], corpus.sources.columns),
        (corpus.authors["claimant"], _row_hashes(corpus.authors), corpus.authors.columns),
    ]
    parts = [_digest_by(keys.astype(str), hashes, cols) for keys, hashes, cols in tables]
    names = set(claims["claimant"].astype(str)) | set(corpus.authors["claimant"].astype(str))
    return {key: sha256("".join(part.get(key, "-") for part in parts)) for key in sorted(names)}


def corpus_inputs(corpus: Corpus) -> str:
    """A hash of every table of the corpus (what the overview shows)."""
    tables = (corpus.claims, corpus.outcomes, corpus.evidence, corpus.sources, corpus.authors)
    parts = [
        _digest_by(pd.Series("all", index=t.index), _row_hashes(t), t.columns).get("all", "-")
        for t in tables
    ]
    return sha256("".join(parts))


def corpus_stamp(root: Path) -> str:
    """A hash of the corpus files' names, sizes and modification times: a quick test that
    nothing was touched since the last run (as ``make`` does)."""
    from forecastkit.records.layout import corpus_files

    h = hashlib.sha256(str(root.resolve()).encode())
    for path in corpus_files(root).all():
        st = path.stat()
        h.update(f"{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


# --------------------------------------------------------------------------- planning


def claimants_to_report(
    corpus: Corpus, min_claims: int = 1, min_resolved: int = 0, as_of: dt.date | None = None
) -> list[str]:
    """Claimant keys with at least ``min_claims`` forecasts and ``min_resolved`` of them resolved
    true or false (as the record stood on ``as_of``, default today), sorted."""
    claims = _as_of(corpus, as_of or dt.date.today()) if min_resolved else corpus.claims
    forecasts = claims[claims["kind"] == "forecast"]
    made = forecasts["claimant"].value_counts()
    resolved = forecasts.loc[forecasts["status"].isin(["true", "false"]), "claimant"].value_counts()
    return sorted(
        str(k) for k, n in made.items() if n >= min_claims and resolved.get(k, 0) >= min_resolved
    )


def static_default(static_charts: bool | None, self_contained: bool) -> bool:
    """Whether charts are also drawn as static SVG: as asked, else for self-contained pages
    only. A folder of pages draws its charts with the one Vega script in ``assets/``; an SVG
    copy of each chart in both the notebook and the page would double a run's size (304
    PredictionBook reports: about 100 MB) for readers who run no scripts."""
    return self_contained if static_charts is None else bool(static_charts)


def plan_reports(
    corpus: Corpus,
    output: Path,
    *,
    authors: Sequence[str] | None = None,
    min_claims: int = 1,
    scale: str | None = None,
    as_of: Any = None,
    min_n: int = 10,
    notebooks: Path | None = None,
    static_charts: bool | None = None,
    policy: str | None = None,
    min_resolved: int = 0,
    self_contained: bool = False,
) -> list[ReportJob]:
    """The overview and one author report per claimant (``authors``, else every claimant with at
    least ``min_claims`` forecasts and ``min_resolved`` resolved ones), with parameters checked
    and input hashes computed.

    Raises
    ------
    ParameterError
        An unknown author or scale, a malformed date, a bad ``min_n``.
    ReportError
        A claimant key that would overwrite the overview, index or manifest.
    """
    from forecastkit.records.paths import notebooks_dir, report_notebook

    folder = Path(notebooks) if notebooks is not None else notebooks_dir(corpus.root)
    notebook = {
        name: report_notebook(folder, name) for name in (AUTHOR_NOTEBOOK, OVERVIEW_NOTEBOOK)
    }
    static_charts = static_default(static_charts, self_contained)
    known = corpus.authors["claimant"].tolist()
    base = check_parameters(
        claims_dir=corpus.root,
        scale=scale or corpus.scale,
        as_of=as_of,
        min_n=min_n,
        policy=policy,
        min_resolved=min_resolved,
    )
    if authors:
        keys = [check_author(a, known) for a in dict.fromkeys(authors)]
    else:
        keys = claimants_to_report(corpus, min_claims, base.min_resolved, base.as_of_date)
    clash = [k for k in keys if k in RESERVED_KEYS]
    if clash:
        raise ReportError(
            f"claimant key '{clash[0]}' would overwrite the {clash[0]} page",
            field="author",
            hint="rename the claimant in authors.yaml",
        )
    for path in notebook.values():
        if not path.is_file():
            raise ReportError("report notebook not found", file=path, hint="reinstall forecastkit")
    package = package_fingerprint()
    nb_hash = {name: sha256(path.read_bytes()) for name, path in notebook.items()}
    output = Path(output).resolve()
    data = claimant_inputs(corpus)

    overview_params = {k: v for k, v in base.as_dict().items() if k != "author"}
    jobs = [
        _job(
            OVERVIEW_KEY,
            notebook[OVERVIEW_NOTEBOOK],
            overview_params,
            output,
            "Overview: every claimant",
            {
                "data": corpus_inputs(corpus),
                "notebook": nb_hash[OVERVIEW_NOTEBOOK],
                "package": package,
            },
            static_charts,
            self_contained,
        )
    ]
    names = corpus.authors.set_index("claimant")["name"]
    for key in keys:
        jobs.append(
            _job(
                key,
                notebook[AUTHOR_NOTEBOOK],
                dict(base.as_dict(), author=key),
                output,
                f"{names.get(key, key)}: forecast record",
                {
                    "data": data.get(key, "-"),
                    "notebook": nb_hash[AUTHOR_NOTEBOOK],
                    "package": package,
                },
                static_charts,
                self_contained,
                summary_expr=AUTHOR_SUMMARY,
            )
        )
    return jobs


def with_summaries(corpus: Corpus, jobs: Sequence[ReportJob]) -> list[ReportJob]:
    """The jobs with their one-line index summaries (counts; Brier score and interval)."""
    from dataclasses import replace

    from forecastkit.reports import views

    if not jobs:
        return []
    params = check_parameters(
        claims_dir=corpus.root,
        scale=jobs[0].parameters["scale"],
        as_of=jobs[0].parameters["as_of"],
        min_n=jobs[0].parameters["min_n"],
        policy=jobs[0].parameters.get("policy"),
    )
    claims = _as_of(corpus, params.as_of_date)
    out = []
    for job in jobs:
        if job.key == OVERVIEW_KEY:
            forecasts = claims[claims["kind"] == "forecast"]
            n = (forecasts["claimant"].nunique(), forecasts["publisher"].nunique(), len(forecasts))
            line = (
                f"league table of {n[0]} claimant{'s' * (n[0] != 1)} and {n[1]} "
                f"publisher{'s' * (n[1] != 1)}, {n[2]} forecast{'s' * (n[2] != 1)}"
            )
        else:
            mine = claims[claims["claimant"] == job.key]
            forecasts = mine[mine["kind"] == "forecast"]
            line = views.summary_line(
                "",
                views.counts(mine, params.as_of_date),
                views.score_row(forecasts, params.min_n, by="claimant", policy=params.policy),
                params.min_n,
            )
        out.append(replace(job, summary=line))
    return out


def _as_of(corpus: Corpus, date: dt.date) -> pd.DataFrame:
    from forecastkit.records.snapshot import as_of

    return as_of(corpus.claims, date)


def _job(
    key: str,
    notebook: Path,
    params: dict[str, Any],
    output: Path,
    title: str,
    inputs: dict[str, str],
    static_charts: bool,
    self_contained: bool = False,
    summary_expr: str = "",
) -> ReportJob:
    inputs = dict(
        inputs,
        parameters=sha256(json.dumps(params, sort_keys=True)),
        static_charts=str(static_charts),
        self_contained=str(self_contained),
    )
    return ReportJob(
        key=key,
        notebook=str(notebook),
        parameters=params,
        ipynb=str(output / f"{key}.ipynb"),
        html=str(output / f"{key}.html"),
        title=title,
        inputs=inputs,
        static_charts=static_charts,
        self_contained=self_contained,
        summary_expr=summary_expr,
    )


# --------------------------------------------------------------------------- manifest


def _read_manifest_file(output: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(output) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    return data


def read_manifest(output: Path) -> dict[str, dict[str, Any]]:
    """The reports recorded in ``output/manifest.json`` (empty if missing or unreadable)."""
    reports = _read_manifest_file(output).get("reports")
    return reports if isinstance(reports, dict) else {}


def read_last_run(output: Path) -> dict[str, Any]:
    """The last complete run recorded in the manifest: its key and the reports it planned."""
    run = _read_manifest_file(output).get("run")
    return run if isinstance(run, dict) else {}


def write_manifest(
    output: Path, reports: dict[str, dict[str, Any]], run: dict[str, Any] | None = None
) -> None:
    data: dict[str, Any] = {"version": MANIFEST_VERSION}
    if run:
        data["run"] = run
    data["reports"] = dict(sorted(reports.items()))
    write_text_atomic(Path(output) / MANIFEST_FILE, json.dumps(data, indent=1) + "\n")


def run_key(
    root: Path,
    output: Path,
    params: Any,
    *,
    authors: Sequence[str] | None,
    min_claims: int,
    static_charts: bool,
    notebooks: Path,
    self_contained: bool = False,
) -> str:
    """What a whole run depends on, cheaply: the corpus files' sizes and times, the package, the
    notebooks and every option. Equal to the last complete run's key: nothing to do."""
    from forecastkit.records.paths import report_notebook

    used = [report_notebook(notebooks, n) for n in (AUTHOR_NOTEBOOK, OVERVIEW_NOTEBOOK)]
    parts = {
        "corpus": corpus_stamp(root),
        "package": package_fingerprint(),
        "notebooks": [[str(p), sha256(p.read_bytes())] if p.is_file() else None for p in used],
        "parameters": params.as_dict(),
        "authors": list(authors or []),
        "min_claims": min_claims,
        "static_charts": static_charts,
        "output": str(output),
        "self_contained": self_contained,
    }
    return sha256(json.dumps(parts, sort_keys=True, default=str))


def is_current(job: ReportJob, entry: dict[str, Any] | None) -> bool:
    """True when the recorded report was made from the same inputs and both files are there."""
    return (
        entry is not None
        and entry.get("digest") == job.digest
        and Path(job.ipynb).is_file()
        and Path(job.html).is_file()
    )


def _manifest_entry(job: ReportJob, result: ReportResult) -> dict[str, Any]:
    return {
        "digest": job.digest,
        "inputs": job.inputs,
        "title": job.title,
        "summary": job.summary,
        "ipynb": Path(job.ipynb).name,
        "html": Path(job.html).name,
        "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seconds": round(result.seconds, 3),
    }


# --------------------------------------------------------------------------- running


def run_reports(
    path: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
    *,
    authors: Sequence[str] | None = None,
    min_claims: int = 1,
    scale: str | None = None,
    as_of: Any = None,
    min_n: int = 10,
    workers: int | None = None,
    force: bool = False,
    progress: bool | None = None,
    static_charts: bool | None = None,
    notebooks: Path | None = None,
    policy: str | None = None,
    min_resolved: int = 0,
    self_contained: bool = False,
) -> RunSummary:
    """Produce the overview, the author reports and the index for the corpus at ``path``.

    ``output`` defaults to the project's ``reports/``. Reports whose inputs are unchanged since
    the last run are kept (``force=True`` executes them all). ``min_resolved``: report only on
    claimants with that many resolved forecasts (the overview ranks only them). Pages load the
    shared scripts from ``output/assets/``; ``self_contained=True`` inlines them in each page.
    ``static_charts`` (default: the same as ``self_contained``) also draws every chart as a
    static SVG, in the notebook and as the page's fallback where scripts do not run.
    Returns the summary; a failed report does not raise (see :attr:`RunSummary.failed`).
    """
    from dataclasses import replace

    from forecastkit.records.corpus import load
    from forecastkit.records.lexicon import DEFAULT_SCALE
    from forecastkit.records.paths import notebooks_dir, reports_dir, resolve_corpus_path
    from forecastkit.reports.parameters import check_scale

    start = time.perf_counter()
    root = resolve_corpus_path(path)
    out = (Path(output) if output is not None else reports_dir(root)).resolve()
    params = check_parameters(
        claims_dir=root,
        scale=check_scale(scale or DEFAULT_SCALE),
        as_of=as_of,
        min_n=min_n,
        policy=policy,
        min_resolved=min_resolved,
    )
    notebooks = Path(notebooks) if notebooks is not None else notebooks_dir(root)
    static_charts = static_default(static_charts, self_contained)
    key = run_key(
        root,
        out,
        params,
        authors=authors,
        min_claims=min_claims,
        static_charts=static_charts,
        notebooks=notebooks,
        self_contained=self_contained,
    )
    last = read_last_run(out)
    if not force and last.get("key") == key and _outputs_exist(out, last.get("planned", [])):
        # Nothing touched since the last complete run: not even the corpus needs loading.
        summary = RunSummary(
            output=out, results=[ReportResult(k, "unchanged") for k in last["planned"]]
        )
        summary.seconds = time.perf_counter() - start
        return summary

    corpus = load(root, params.scale)
    jobs = plan_reports(
        corpus,
        out,
        authors=authors,
        min_claims=min_claims,
        scale=params.scale,
        as_of=params.as_of,
        min_n=params.min_n,
        policy=params.policy,
        notebooks=notebooks,
        static_charts=static_charts,
        min_resolved=params.min_resolved,
        self_contained=self_contained,
    )
    _check_writable(out)
    manifest = read_manifest(out)
    current = {j.key for j in jobs if not force and is_current(j, manifest.get(j.key))}
    jobs = [
        j if j.key not in current else replace(j, summary=manifest[j.key].get("summary", ""))
        for j in jobs
    ]
    # Author reports give their index line themselves (ReportJob.summary_expr, read from the
    # kernel after the run): the parent only writes the overview's.
    todo = [j for j in jobs if j.key not in current]
    todo = with_summaries(corpus, [j for j in todo if not j.summary_expr]) + [
        j for j in todo if j.summary_expr
    ]
    by_key = {j.key: j for j in todo}
    jobs = [by_key.get(j.key, j) for j in jobs]
    summary = RunSummary(output=out)
    summary.results = [ReportResult(k, "unchanged") for k in (j.key for j in jobs) if k in current]
    try:
        if todo:
            from forecastkit.reports.kernels import ensure_kernel

            ensure_kernel()
            if not self_contained:
                from forecastkit.reports.assets import write_assets
                from forecastkit.reports.html import lab_css, vega_bundle

                write_assets(out, vega_bundle(), lab_css())
            summary.workers = min(workers or min(DEFAULT_WORKERS, os.cpu_count() or 1), len(todo))
            for job, result in _execute(todo, summary.workers, progress):
                summary.results.append(result)
                if result.status == "written" and job.summary_expr:
                    job = replace(
                        job,
                        summary=result.summary
                        if result.summary is not None
                        else with_summaries(corpus, [job])[0].summary,
                    )
                    by_key[job.key] = job
                if result.status == "written":
                    manifest[job.key] = dict(
                        _manifest_entry(job, result),
                        links=list(result.links),
                        linked=list(result.links),
                    )
                else:  # run it again next time; the last good files stay where they are
                    manifest.pop(job.key, None)
                write_manifest(out, manifest)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        # A Ctrl-C from here on used to escape as click's "aborted" (exit 1) with the index half
        # updated, or be lost after the last report: it is held until the index and manifest are
        # written, then reported as an interruption (exit 130). A second Ctrl-C stops at once.
        ctrl_c = _CtrlC.hold()
        jobs = [by_key.get(j.key, j) for j in jobs]
        order = {j.key: i for i, j in enumerate(jobs)}
        summary.results.sort(key=lambda r: order.get(r.key, len(order)))
        from forecastkit.reports.catalog import relink_pages

        relink_pages(out, manifest)
        write_index(out, jobs, summary, manifest)
        if summary.ok:
            write_manifest(out, manifest, {"key": key, "planned": [j.key for j in jobs]})
        summary.seconds = time.perf_counter() - start
        summary.interrupted = ctrl_c.release() or summary.interrupted
    return summary


def _check_writable(output: Path) -> None:
    """Make ``output`` and check a file can be written in it, before any report runs: a folder
    under a file or on a read-only disk is one line naming it, not a traceback from the index
    written on the way out."""
    import tempfile

    try:
        output.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=output).close()
    except OSError as exc:
        raise ReportError(
            f"cannot write the reports here: {exc.strerror or exc}",
            file=output,
            hint="pass a writable folder with --output DIR",
        ) from None


def _outputs_exist(output: Path, keys: Iterable[str]) -> bool:
    keys = list(keys)
    return (
        bool(keys)
        and (output / INDEX_FILE).is_file()
        and all(
            (output / f"{k}.ipynb").is_file() and (output / f"{k}.html").is_file() for k in keys
        )
    )


def _execute(
    jobs: list[ReportJob], workers: int, progress: bool | None
) -> Iterable[tuple[ReportJob, ReportResult]]:
    """Run ``jobs`` on ``workers`` warm kernels; yield each job with its result as it finishes."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from tqdm import tqdm

    from forecastkit.reports import kernels

    kernels.vega_bundle_ready()  # build the inlined JavaScript once, before the workers need it
    context = multiprocessing.get_context("spawn")
    bar = tqdm(
        total=len(jobs),
        unit="report",
        desc="reports",
        file=sys.stderr,
        disable=(None if progress is None else not progress),
        leave=False,
    )
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=kernels.init_worker,
        initargs=(kernels.KERNEL_NAME,),
    )
    try:
        # Longest first (the overview), so that no worker is left with it at the end.
        pending = {pool.submit(kernels.run_job, job): job for job in jobs}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - a broken worker fails its report only
                    result = ReportResult(
                        job.key, "failed", 0.0, f"worker error: {type(exc).__name__}: {exc}"
                    )
                bar.set_postfix_str(job.key, refresh=False)
                bar.update(1)
                yield job, result
    except BaseException:
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()  # each worker shuts its kernel down on SIGTERM
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        bar.close()
        pool.shutdown(wait=True, cancel_futures=True)


def write_index(
    output: Path,
    jobs: Sequence[ReportJob],
    summary: RunSummary,
    manifest: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """``index.html``: every report in the folder (:func:`forecastkit.reports.catalog.write_index`)."""
    from forecastkit.reports import catalog

    return catalog.write_index(
        output, jobs, summary, read_manifest(output) if manifest is None else manifest
    )
