"""``forecastkit report``: planning, input hashes, manifest, CLI errors, and end-to-end runs."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from forecastkit.cli import main
from forecastkit.errors import ForecastkitError, ParameterError
from forecastkit.records.corpus import load
from forecastkit.reports import runner as rp
from forecastkit.reports import views

from conftest import FIXTURE_CORPUS, ROOT, TODAY

AS_OF = TODAY.isoformat()
EXAMPLE_KEYS = ["ana-lindqvist", "harbour-desk", "port-officials", "tomas-reyes"]


def _copy_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def _plan(root: Path, out: Path, **options) -> dict[str, rp.ReportJob]:
    options.setdefault("as_of", AS_OF)
    return {j.key: j for j in rp.plan_reports(load(root, today=TODAY), out, **options)}


# --------------------------------------------------------------------------- planning


@pytest.mark.parametrize(
    "options,keys",
    [
        ({}, EXAMPLE_KEYS),
        ({"min_claims": 2}, ["ana-lindqvist", "tomas-reyes"]),
        ({"min_claims": 9}, []),
        ({"authors": ["tomas-reyes", "tomas-reyes"]}, ["tomas-reyes"]),
    ],
)
def test_plan_has_the_overview_and_one_report_per_claimant(tmp_path, options, keys):
    jobs = _plan(FIXTURE_CORPUS, tmp_path, **options)
    assert list(jobs) == [rp.OVERVIEW_KEY, *keys]
    for key, job in jobs.items():
        assert job.ipynb == str(tmp_path.resolve() / f"{key}.ipynb")
        assert job.html == str(tmp_path.resolve() / f"{key}.html")
        assert job.parameters["as_of"] == AS_OF
        assert ("author" in job.parameters) is (key != rp.OVERVIEW_KEY)


@pytest.mark.parametrize(
    "options,error,message",
    [
        (
            {"authors": ["ana"]},
            ParameterError,
            "unknown author 'ana'; did you mean 'ana-lindqvist'?",
        ),
        ({"authors": ["lindqvist"]}, ParameterError, "did you mean 'ana-lindqvist'?"),
        ({"scale": "nope"}, ParameterError, "unknown scale 'nope'"),
        ({"as_of": "2025-02-30"}, ParameterError, "'2025-02-30' is not a date"),
        ({"min_n": "5"}, ParameterError, "'5' is not a whole number"),
    ],
)
def test_bad_parameters_fail_before_anything_runs(tmp_path, options, error, message):
    with pytest.raises(error, match=re.escape(message)):
        _plan(FIXTURE_CORPUS, tmp_path, **options)


def test_a_claimant_key_may_not_overwrite_the_index(tmp_path):
    root = _copy_corpus(tmp_path)
    for path in [root / "authors.yaml", *root.glob("*.yaml")]:
        path.write_text(path.read_text("utf-8").replace("harbour-desk", "index"), "utf-8")
    # the loader refuses the key first (validate says so too), before any report is planned
    with pytest.raises(ForecastkitError, match="'index' is a reserved key"):
        _plan(root, tmp_path / "out")


# --------------------------------------------------------------------------- input hashes


def _data(jobs: dict[str, rp.ReportJob]) -> dict[str, str]:
    return {k: j.inputs["data"] for k, j in jobs.items()}


def test_an_edit_changes_only_the_reports_that_show_it(tmp_path):
    root = _copy_corpus(tmp_path)
    before = _data(_plan(root, tmp_path / "out"))
    # Tomás Reyes's claim sits in the same file as Ana Lindqvist's, above two of hers: wrapping
    # it moves her claims down the file but changes nothing any report shows.
    path = root / "2024-01-09-npi-outlook-2024.yaml"
    _edit(
        path,
        "quote: Reyes said house prices may well rise by more than five percent.",
        "quote: >-\n      Reyes said house prices may well rise\n      by more than five percent.",
    )
    assert _data(_plan(root, tmp_path / "out")) == before
    _edit(path, "may well rise\n", "may well climb\n")
    after = _data(_plan(root, tmp_path / "out"))
    assert sorted(k for k in before if before[k] != after[k]) == ["overview", "tomas-reyes"]


def test_an_outcome_changes_its_claimants_report(tmp_path):
    root = _copy_corpus(tmp_path)
    before = _data(_plan(root, tmp_path / "out"))
    log = root / "outcomes" / "2024-01-09-npi-outlook-2024.yaml"
    text = log.read_text("utf-8")
    log.write_text(text.replace("recorded_by: ", "recorded_by: x", 1), "utf-8")
    after = _data(_plan(root, tmp_path / "out"))
    changed = {k for k in before if before[k] != after[k]}
    assert "overview" in changed and changed < set(before)


@pytest.mark.parametrize("option", [{"as_of": "2026-01-01"}, {"scale": "kent"}, {"min_n": 3}])
def test_parameters_are_inputs(tmp_path, option):
    before, after = _plan(FIXTURE_CORPUS, tmp_path), _plan(FIXTURE_CORPUS, tmp_path, **option)
    assert all(before[k].digest != after[k].digest for k in before)


def test_notebook_and_package_are_inputs(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    before = _plan(FIXTURE_CORPUS, tmp_path, notebooks=notebooks)
    nb = notebooks / rp.AUTHOR_NOTEBOOK
    nb.write_text(nb.read_text("utf-8").replace("## Counts", "## Counts of claims"), "utf-8")
    after = _plan(FIXTURE_CORPUS, tmp_path, notebooks=notebooks)
    changed = {k for k in before if before[k].digest != after[k].digest}
    assert changed == set(EXAMPLE_KEYS)
    assert all(j.inputs["package"] == rp.package_fingerprint() for j in after.values())


# --------------------------------------------------------------------------- manifest


def test_manifest_round_trip_and_currency(tmp_path):
    job = _plan(FIXTURE_CORPUS, tmp_path)["tomas-reyes"]
    entry = rp._manifest_entry(job, rp.ReportResult(job.key, "written", 1.5))
    rp.write_manifest(tmp_path, {job.key: entry})
    assert rp.read_manifest(tmp_path)[job.key]["digest"] == job.digest
    assert not rp.is_current(job, entry)  # no files yet
    Path(job.ipynb).write_text("{}")
    Path(job.html).write_text("<html></html>")
    assert rp.is_current(job, entry)
    assert not rp.is_current(job, dict(entry, digest="0"))


@pytest.mark.parametrize("content", ["", "{not json", '{"version": 99, "reports": {}}', "[]"])
def test_unreadable_manifest_means_run_everything(tmp_path, content):
    (tmp_path / rp.MANIFEST_FILE).write_text(content)
    assert rp.read_manifest(tmp_path) == {}


# --------------------------------------------------------------------------- CLI errors


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["--scale", "nope"], 2, "unknown scale 'nope'"),
        (["--author", "nobody"], 1, "error: author: unknown author 'nobody'"),
        (["--as-of", "31/12/2025"], 2, "'31/12/2025' is not a date"),
        (["--min-n", "-1"], 2, "-1 is not in the range x>=0"),
    ],
)
def test_cli_parameter_errors_are_one_line_and_write_nothing(tmp_path, args, code, message):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(FIXTURE_CORPUS), "--output", str(out), *args])
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_unwritable_output_is_one_line_and_writes_nothing(tmp_path, monkeypatch):
    """An output folder under a file, or on a read-only disk, was a traceback from mkdir or
    from writing the index in the run's ``finally``: now one line before anything runs."""
    import errno
    import tempfile

    afile = tmp_path / "afile"
    afile.write_text("mine\n")
    before = afile.read_text()
    result = CliRunner().invoke(
        main, ["report", str(FIXTURE_CORPUS), "--output", str(afile / "out"), "--no-progress"]
    )
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1, result.output
    assert result.output.startswith(f"error: {afile / 'out'}: cannot write the reports")
    assert "--output" in result.output and "Traceback" not in result.output
    assert afile.read_text() == before

    out = tmp_path / "ro"
    out.mkdir()

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    result = CliRunner().invoke(
        main, ["report", str(FIXTURE_CORPUS), "--output", str(out), "--no-progress"]
    )
    assert result.exit_code == 1, result.output
    assert "Read-only file system" in result.output and result.output.count("\n") == 1
    assert list(out.iterdir()) == []


def test_index_lines_count_every_question_type():
    """The index said 'nothing to score yet' of a claimant whose forecasts on a numeric question
    had all resolved (the counts knew only true and false), 'Brier 0.090 , too few' (a space for
    the missing interval of one forecast) and '1 publishers'."""
    folder = ROOT / "tests" / "fixtures" / "types"
    corpus = load(folder)
    jobs = rp.with_summaries(corpus, rp.plan_reports(corpus, folder / "out", as_of="2025-01-01"))
    lines = {j.key: j.summary for j in jobs}
    assert lines["overview"] == "league table of 5 claimants and 2 publishers, 12 forecasts"
    assert lines["minister"] == (
        "1 forecast, 1 resolved, 0 open; no yes/no forecast resolved "
        "(its other types are scored in the report)"
    )
    assert (
        lines["ana-lindqvist"] == "3 forecasts, 2 resolved, 0 open; Brier 0.040, too few to judge"
    )
    one = corpus.claims[corpus.claims["claimant"] == "minister"]
    assert (
        rp.with_summaries(replace(corpus, claims=one), [j for j in jobs if j.key == "overview"])[
            0
        ].summary
        == "league table of 1 claimant and 1 publisher, 1 forecast"
    )
    assert not (folder / "out").exists()


def test_cli_help_has_an_example():
    result = CliRunner().invoke(main, ["report", "--help"])
    assert result.exit_code == 0
    assert "Example: forecastkit report claims/" in result.output
    assert "--min-claims" in result.output


# --------------------------------------------------------------------------- end to end


def _html_scores(page: str) -> dict[str, dict[str, str]]:
    """The scores table of an author report: statistic -> {column: text}."""
    table = re.search(
        r'<table class="fk-table" id="fk-scores">(.*?)</table>', page, flags=re.S
    ).group(1)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]:
        cells = {
            re.search(r'data-col="([^"]+)"', attrs).group(1): value
            for attrs, value in re.findall(r"<td([^>]*)>(.*?)</td>", row)
        }
        rows[cells["statistic"]] = cells
    return rows


def _check_figures(out: Path, claims_dir: Path, key: str, as_of: str) -> None:
    """The numbers in the HTML are those the scoring library gives for the same claims."""
    from forecastkit.records.snapshot import as_of as claims_as_of
    from forecastkit.reports import fragments as fx
    from forecastkit.scoring.grouped import score_table

    page = (out / f"{key}.html").read_text("utf-8")
    corpus = load(claims_dir)
    everyone = claims_as_of(corpus.forecasts(), as_of)
    mine = everyone[everyone["claimant"] == key]
    shown = _html_scores(page) if 'id="fk-scores"' in page else {}
    # under the default policy (time-weighted) a question counts once per claimant: the
    # INSS pair each made two forecasts on the mutual-defence question on one day
    resolved = int(mine.loc[mine["outcome"].isin([0.0, 1.0]), "question_id"].nunique())
    if not resolved:
        assert not shown and "nothing to score" in page
        return
    # the table `forecastkit score --by claimant` prints: the same numbers and intervals
    direct = score_table(everyone, "claimant", ci=True, seed=views.SEED).set_index("group").loc[key]
    for label, stat in (
        ("Brier score", "brier"),
        ("Log score (nats)", "log_score"),
        ("Brier skill vs. a coin flip (50%)", "bss_half"),
    ):
        cells = shown[label]
        assert int(cells["n"]) == direct["n_resolved"] == resolved
        assert cells["value"] == fx.number(direct[stat])
        assert cells["95% interval"] == fx.interval(direct[f"{stat}_low"], direct[f"{stat}_high"])


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    """One full run on (a copy of) the example corpus."""
    base = tmp_path_factory.mktemp("example")
    root = _copy_corpus(base)
    out = base / "reports"
    summary = rp.run_reports(root, out, as_of=AS_OF, progress=False)
    return root, out, summary


@pytest.mark.slow
def test_example_corpus_end_to_end(example_run):
    root, out, summary = example_run
    assert summary.ok, summary.render()
    assert sorted(r.key for r in summary.written) == sorted(["overview", *EXAMPLE_KEYS])
    for key in ["overview", *EXAMPLE_KEYS]:
        nb = nbformat.read(out / f"{key}.ipynb", as_version=4)
        assert nb.metadata.papermill.exception is False or nb.metadata.papermill.exception is None
        page = (out / f"{key}.html").read_text("utf-8")
        assert page.startswith("<!DOCTYPE html>")
        from forecastkit.reports.html import external_resources

        # only the shared scripts beside the pages (reports/assets/), by relative address
        shared = [r for r in external_resources(page) if "=assets/" not in r]
        assert shared == []
        for address in external_resources(page):
            assert (out / address.split("=", 1)[1].rstrip(">")).is_file(), address
    index = (out / "index.html").read_text("utf-8")
    for key in ["overview", *EXAMPLE_KEYS]:
        assert f'href="{key}.html"' in index
    assert "Ana Lindqvist: forecast record</a>: 5 forecasts, 3 resolved, 2 open; Brier" in index
    manifest = rp.read_manifest(out)
    assert set(manifest) == {"overview", *EXAMPLE_KEYS}
    assert not list(out.glob(".*.tmp"))
    for key in EXAMPLE_KEYS:
        _check_figures(out, root, key, AS_OF)
    ana = (out / "ana-lindqvist.html").read_text("utf-8")
    assert "3 resolved forecasts: too few to judge calibration" in ana
    assert ana.count('class="fk-spec"') == 5


@pytest.mark.slow
def test_unchanged_reports_are_not_executed_again(example_run):
    root, out, _ = example_run
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")}
    summary = rp.run_reports(root, out, as_of=AS_OF, progress=False)
    assert len(summary.unchanged) == 5 and not summary.written and summary.workers == 0
    assert summary.seconds < 10
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.html")} == stamps
    # A file touched but not changed: the corpus is loaded and hashed, and still nothing runs.
    os.utime(root / "authors.yaml")
    again = rp.run_reports(root, out, as_of=AS_OF, progress=False)
    assert len(again.unchanged) == 5 and again.workers == 0
    assert rp.read_last_run(out)["planned"] == ["overview", *EXAMPLE_KEYS]


@pytest.mark.slow
def test_output_notebook_has_the_form_papermill_gives_it(example_run, tmp_path, monkeypatch):
    """The warm-kernel run and a plain papermill run of the same report differ only in timings
    (a folder's reports have no static SVG: FORECASTKIT_STATIC_CHARTS=0 does the same for
    plain papermill)."""
    import papermill

    from forecastkit.reports.jobs import STATIC_CHARTS_ENV

    monkeypatch.setenv(STATIC_CHARTS_ENV, "0")
    root, out, _ = example_run
    ours = nbformat.read(out / "ana-lindqvist.ipynb", as_version=4)
    stored = ours.metadata.papermill.parameters
    # every parameter, in the order the job injected them (the stored metadata is key-sorted)
    injected = next(c for c in ours.cells if "injected-parameters" in c.metadata.get("tags", []))
    order = [line.split(" = ")[0] for line in injected.source.splitlines()[1:] if " = " in line]
    assert sorted(order) == sorted(stored)
    params = {k: stored[k] for k in order}
    # the notebook the job ran: the package's own here, since the copied corpus lies in no project
    source = ours.metadata.papermill.input_path
    assert Path(source).name == rp.AUTHOR_NOTEBOOK
    plain = papermill.execute_notebook(
        source,
        str(tmp_path / "plain.ipynb"),
        parameters=params,
        progress_bar=False,
    )

    def normal(nb):
        nb = json.loads(nbformat.writes(nb))
        for key in ("start_time", "end_time", "duration", "output_path"):
            nb["metadata"]["papermill"].pop(key, None)
        for cell in nb["cells"]:
            if "injected-parameters" in cell["metadata"].get("tags", []):
                cell.pop("id")  # papermill gives the injected cell a random id every run
            cell["metadata"].pop("execution", None)
            for key in ("start_time", "end_time", "duration"):
                cell["metadata"].get("papermill", {}).pop(key, None)
        return nb

    a, b = normal(ours), normal(plain)
    assert [c["metadata"].get("tags") for c in a["cells"]] == [
        c["metadata"].get("tags") for c in b["cells"]
    ]
    assert a["cells"][1]["metadata"]["tags"] == ["injected-parameters"]
    assert a == b


@pytest.mark.slow
def test_an_edit_reruns_only_what_it_touches(tmp_path):
    root = _copy_corpus(tmp_path)
    out = tmp_path / "reports"
    first = rp.run_reports(
        root,
        out,
        as_of=AS_OF,
        progress=False,
        authors=["ana-lindqvist", "tomas-reyes"],
        static_charts=False,
    )
    assert first.ok and len(first.written) == 3
    _edit(
        root / "2024-01-09-npi-outlook-2024.yaml",
        "quote: Reyes expects the governing coalition",
        "quote: Reyes firmly expects the governing coalition",
    )
    second = rp.run_reports(
        root,
        out,
        as_of=AS_OF,
        progress=False,
        authors=["ana-lindqvist", "tomas-reyes"],
        static_charts=False,
    )
    assert sorted(r.key for r in second.written) == ["overview", "tomas-reyes"]
    assert [r.key for r in second.unchanged] == ["ana-lindqvist"]
    assert "Reyes firmly expects" in (out / "tomas-reyes.html").read_text("utf-8")


@pytest.mark.slow
def test_a_failing_report_does_not_stop_the_others_and_keeps_the_last_good_one(tmp_path):
    root = _copy_corpus(tmp_path)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    nb = nbformat.read(notebooks / rp.AUTHOR_NOTEBOOK, as_version=4)
    nb.cells.insert(
        1,
        nbformat.v4.new_code_cell(
            'if author == "tomas-reyes":\n    raise RuntimeError("boom: this report fails on purpose")'
        ),
    )
    nbformat.write(nb, notebooks / rp.AUTHOR_NOTEBOOK)
    out = tmp_path / "reports"
    out.mkdir()
    (out / "tomas-reyes.html").write_text("last good report")
    (out / "tomas-reyes.ipynb").write_text("{}")
    from unittest import mock

    with mock.patch("forecastkit.records.paths.notebooks_dir", return_value=notebooks):
        result = CliRunner().invoke(
            main,
            [
                "report",
                str(root),
                "--output",
                str(out),
                "--as-of",
                AS_OF,
                "--no-progress",
                "--no-static-charts",
                "--author",
                "tomas-reyes",
                "--author",
                "ana-lindqvist",
            ],
        )
    assert result.exit_code == 1, result.output
    assert "3 planned, 2 written, 0 unchanged, 1 failed" in result.output
    assert (
        "failed: tomas-reyes: In [3]: RuntimeError: boom: this report fails on purpose"
        in result.output
    )
    assert "Traceback" not in result.output
    assert (out / "tomas-reyes.html").read_text() == "last good report"
    assert (out / "ana-lindqvist.html").is_file()
    assert "tomas-reyes" not in rp.read_manifest(out)
    assert "the previous one" in (out / "index.html").read_text("utf-8")
    assert not list(out.glob(".*.tmp"))


@pytest.mark.slow
def test_seed_corpus_end_to_end(tmp_path):
    claims = ROOT / "claims"
    from forecastkit.records.corpus import check

    corpus, errors = check(claims)
    if errors or corpus is None or corpus.forecasts().empty:
        pytest.skip(f"the seed corpus does not validate yet ({len(errors)} error(s))")
    out = tmp_path / "reports"
    summary = rp.run_reports(claims, out, progress=False, static_charts=False)
    assert summary.ok, summary.render()
    keys = rp.claimants_to_report(corpus)
    assert sorted(r.key for r in summary.written) == sorted(["overview", *keys])
    index = (out / "index.html").read_text("utf-8")
    for key in keys:
        assert (out / f"{key}.html").is_file() and f'href="{key}.html"' in index
        _check_figures(out, claims, key, summary_as_of(out))


def summary_as_of(out: Path) -> str:
    nb = nbformat.read(out / "overview.ipynb", as_version=4)
    return nb.metadata.papermill.parameters["as_of"]


def _kernel_pids() -> set[int]:
    """Kernels started by forecastkit report (their connection files are named fk-...)."""
    pids = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if b"ipykernel_launcher" in cmd and b"/fk-" in cmd:
                pids.add(int(proc.name))
    return pids


def _blocking_notebooks(project: Path, block: bool) -> Path:
    """The report notebooks, the author one made to wait forever (a kernel blocked on an event
    nothing sets) after its parameters cell when ``block``: a run can then finish the overview
    and nothing else, however fast or loaded the machine is."""
    folder = project / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "notebooks" / rp.OVERVIEW_NOTEBOOK, folder / rp.OVERVIEW_NOTEBOOK)
    nb = nbformat.read(ROOT / "notebooks" / rp.AUTHOR_NOTEBOOK, as_version=4)
    if block:
        nb.cells.insert(1, nbformat.v4.new_code_cell("import threading\nthreading.Event().wait()"))
    nbformat.write(nb, folder / rp.AUTHOR_NOTEBOOK)
    return folder


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, grandchildren...), from /proc."""
    parent: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            parent[int(proc.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier} - found
        found |= frontier
    return found


def _with_default_sigint(cmd: list[str]) -> list[str]:
    """``cmd`` run through a small Python that sets SIGINT to its default and then execs it (the
    same process: its pid is the command's). A wrapper, not ``preexec_fn``, which is unsafe in
    a process with threads."""
    import sys

    restore = (
        "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
        "os.execv(sys.argv[1], sys.argv[1:])"
    )
    return [sys.executable, "-c", restore, *cmd]


@pytest.fixture
def default_sigint():
    """SIGINT as an interactive Python has it (``default_int_handler``) for the test, whatever
    this test run inherited; put back afterwards."""
    import signal

    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.mark.slow
def test_an_interrupted_run_keeps_whole_reports_and_stops_its_kernels(tmp_path, monkeypatch):
    """Ctrl-C mid-run: whole reports kept, kernels stopped, exit 130. Deterministic: the author
    reports cannot finish (their notebook blocks), so the SIGINT always lands mid-run (the old
    version raced: on a loaded machine the run could finish before the test sent it)."""
    import signal
    import subprocess
    import sys
    import time

    root = _copy_corpus(tmp_path)
    out = tmp_path / "reports"
    project = tmp_path / "project"
    notebooks = _blocking_notebooks(project, block=True)
    cmd = [
        str(Path(sys.executable).parent / "forecastkit"),
        "report",
        str(root),
        "--output",
        str(out),
        "--as-of",
        AS_OF,
        "--no-progress",
        "--no-static-charts",
        "--workers",
        "1",
    ]
    env = {**os.environ, "FORECASTKIT_ROOT": str(project)}  # its notebooks/ are the ones run
    # Started as an interactive shell starts a command, with SIGINT at its default, whatever
    # this test run inherited (a run put in the background by a script ignores SIGINT, and so
    # would the command, which keeps an ignored SIGINT ignored).
    proc = subprocess.Popen(
        _with_default_sigint(cmd),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=project,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not rp.read_manifest(out) and proc.poll() is None:
            time.sleep(0.1)  # polls a condition (the overview written), not a race
        assert proc.poll() is None, proc.communicate()
        assert set(rp.read_manifest(out)) == {rp.OVERVIEW_KEY}  # the authors' are blocked
        # This run's kernels (other runs on the machine may have kernels of their own).
        ours = _kernel_pids() & _descendants(proc.pid)
        assert ours
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:  # the test failed: leave no worker or kernel behind
            left = _descendants(proc.pid)
            proc.kill()
            proc.wait()
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    assert proc.returncode == 130, err
    assert "interrupted: finished reports are kept" in err
    assert "Traceback" not in err
    assert not list(out.glob(".*.tmp"))
    done = rp.read_manifest(out)
    assert set(done) == {rp.OVERVIEW_KEY}
    for key in done:
        assert (out / f"{key}.html").read_text("utf-8").rstrip().endswith("</html>")
        nbformat.read(out / f"{key}.ipynb", as_version=4)
    for _ in range(300):  # kernels go with their workers (waits on that, at most 30 s)
        if not (_kernel_pids() & ours):
            break
        time.sleep(0.1)
    assert not (_kernel_pids() & ours)
    notebooks = _blocking_notebooks(project, block=False)
    # The code the interrupted run was made with (in a shared work tree, files may change
    # meanwhile; what is tested here is that finished reports are not made again).
    monkeypatch.setattr(
        rp, "package_fingerprint", lambda: done[rp.OVERVIEW_KEY]["inputs"]["package"]
    )
    rest = rp.run_reports(
        root,
        out,
        as_of=AS_OF,
        progress=False,
        static_charts=False,
        notebooks=notebooks,
        policy="time-weighted",
    )  # the CLI's default
    assert rest.ok and {r.key for r in rest.unchanged} == set(done)
    assert len(rest.written) == 5 - len(done)


def test_ctrl_c_during_the_final_bookkeeping_is_held_and_reported(default_sigint):
    """The window after the last report: a Ctrl-C there is recorded, not lost or turned into a
    half-written index; a second one stops at once."""
    import signal

    held = rp._CtrlC.hold()
    signal.raise_signal(signal.SIGINT)  # handled before raise_signal returns
    assert held.release() is True
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    held = rp._CtrlC.hold()
    signal.raise_signal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert rp._CtrlC.hold().release() is False


def test_a_run_started_with_sigint_ignored_keeps_ignoring_it():
    """A report run put in the background by a script inherits an ignored SIGINT and keeps it:
    the final bookkeeping does not start catching Ctrl-C, and nothing counts as interrupted."""
    import signal

    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        held = rp._CtrlC.hold()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        signal.raise_signal(signal.SIGINT)  # ignored: no handler runs, nothing is raised
        assert held.release() is False
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
