"""The notebooks in a real JupyterLab, driven in headless Chromium.

A JupyterLab server starts on a free local port over a copy of the project (the notebooks and
the example corpus, ``FORECASTKIT_ROOT`` pointing at it). Playwright (from PyPI) drives Debian's
``chromium`` package, never a downloaded browser, with every host but the loopback unreachable.
Each notebook is opened, every cell run, and then: no cell error or stderr output, nothing
logged to the console as an error, no Vega warning, every chart drawn, the fragments styled as
in the HTML reports (overview header laid out label | value, dates on one line, coloured
badges, report links relative to the notebook) and, in the explorer, a brush on the chart
narrows the claims table (the selection reached Python and came back).

Skipped with the reason when Chromium or playwright is not there (``make test`` installs
Debian's chromium where it can). Every wait is on a condition, never a fixed sleep.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURE_CORPUS, ROOT

pytestmark = pytest.mark.slow

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    # no network but the loopback: host names do not resolve, requests go to a dead proxy
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=127.0.0.1:9",
]
#: Charts each notebook draws with the example corpus (Vega-Lite outputs; the explorer's widget).
CHARTS = {"author_report.ipynb": 5, "overview.ipynb": 2, "explore.ipynb": 1}
RUN_TIMEOUT_MS = 240_000


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
        )
        if path:
            return path
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium; make test does it "
        "where it can)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(condition, timeout: float, what: str, proc: subprocess.Popen) -> None:
    """Poll ``condition`` until true; fail early if the server died."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited ({proc.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)  # a polling interval, not a wait for something to have happened


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """(base URL, token) of a JupyterLab serving a copy of the project."""
    pytest.importorskip(
        "playwright.sync_api", reason="playwright (pip install playwright) is needed"
    )
    base = tmp_path_factory.mktemp("lab")
    root = base / "project"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(FIXTURE_CORPUS, root / "claims")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    # every cell in the page (JupyterLab's windowing leaves cells out of view unrendered)
    tracker = (
        base / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    )
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        FORECASTKIT_ROOT=str(root),
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "ws"),
    )
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        f"--LabApp.user_settings_dir={base / 'settings'}",
        f"--LabApp.workspaces_dir={base / 'ws'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (base / "lab.log").open("w")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        _wait_until(ready, 60, "the server to answer", proc)
        yield url, token, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    path = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=FLAGS, headless=True)
        yield b
        b.close()


def _kernel_settled(url: str, token: str, name: str) -> bool:
    """One session for the notebook, its kernel idle with a client connected (a freshly opened
    notebook may start a kernel and replace it at once; cells sent to the first are lost)."""
    import json

    with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=10) as r:
        sessions = [s for s in json.load(r) if s["path"].endswith(f"notebooks/{name}")]
    if len(sessions) != 1:
        return False
    kernel = sessions[0]["kernel"]
    return kernel["execution_state"] == "idle" and kernel.get("connections", 0) >= 1


def _run_all_cells(page, attempts: int = 3) -> None:
    """Run > Run All Cells, until a cell is seen queued or run (a click that lands while
    JupyterLab is still wiring the notebook to its kernel is dropped)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = (
        "() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]"
        ".some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"
    )
    for attempt in range(attempts):
        dialogs = page.locator(".jp-Dialog")
        assert dialogs.count() == 0, dialogs.all_inner_texts()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        item = page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first
        item.wait_for(state="visible")
        item.click()
        try:
            page.wait_for_function(started, timeout=15_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def _run_all(page, url: str, token: str, name: str) -> list[str]:
    """Open ``name``, run every cell, wait until all ran; the console errors and warnings."""
    messages: list[str] = []
    page.on(
        "console",
        lambda m: (
            messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    # a fresh workspace per page: only this notebook open
    page.goto(
        f"{url}/lab/workspaces/fk-{secrets.token_hex(4)}/tree/notebooks/{name}?reset&token={token}"
    )
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    page.wait_for_function(  # kernel started and idle
        "() => { const s = document.querySelector("
        "'.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');"
        " return s && s.getAttribute('data-status') === 'idle'; }",
        timeout=60_000,
    )
    deadline = time.monotonic() + 60
    while not _kernel_settled(url, token, name):
        assert time.monotonic() < deadline, f"the kernel of {name} did not settle"
        page.wait_for_timeout(200)  # a polling interval
    _run_all_cells(page)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "() => { const p = [...document.querySelectorAll("
            "'.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];"
            " return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.textContent)); }",
            timeout=RUN_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        prompts = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        pytest.fail(f"{name}: not every cell ran: {prompts}; console: {messages[-5:]}")
    page.wait_for_function(
        "() => { const s = document.querySelector("
        "'.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');"
        " return s && s.getAttribute('data-status') === 'idle'; }",
        timeout=60_000,
    )
    return messages


def _drawn_charts(page) -> int:
    """Charts with marks on them: JupyterLab's Vega renderer and the explorer's Vega-Embed."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-NotebookPanel .vega-embed')]"
        ".every(e => e.querySelector('canvas, svg.marks'))",
        timeout=60_000,
    )
    return page.locator(".jp-NotebookPanel .vega-embed").count()


def _vega_or_error(messages: list[str]) -> list[str]:
    return [
        m
        for m in messages
        if m.startswith(("error", "pageerror")) or "vega" in m.lower() or "The input spec" in m
    ]


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_notebook_runs_in_jupyterlab_without_errors_and_draws_every_chart(browser, lab, name):
    url, token, _ = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        messages = _run_all(page, url, token, name)
        errors = page.locator(".jp-NotebookPanel [data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()
        assert _drawn_charts(page) == CHARTS[name]
        # every Vega-Lite output in JupyterLab carries the static image too (read by GitHub etc.)
        assert _vega_or_error(messages) == []
    finally:
        page.close()


def test_overview_fragments_look_as_in_the_html_report(browser, lab):
    url, token, _ = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        messages = _run_all(page, url, token, "overview.ipynb")
        dt = page.locator(".jp-NotebookPanel dl.fk-facts dt").first
        dd = page.locator(".jp-NotebookPanel dl.fk-facts dd").first
        label, value = dt.bounding_box(), dd.bounding_box()
        # label on the left, its value to its right on the same row (a two-column grid)
        assert label["x"] + label["width"] <= value["x"] and abs(label["y"] - value["y"]) < 4
        assert dt.evaluate("e => getComputedStyle(e.parentElement).display") == "grid"
        cell = page.locator(".jp-NotebookPanel table.fk-table td[data-col='claimant']").first
        assert cell.evaluate("e => getComputedStyle(e).textAlign") in ("left", "start")
        deadline = page.locator(".jp-NotebookPanel table.fk-table td[data-col='deadline']").first
        assert deadline.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
        badge = page.locator(".jp-NotebookPanel .fk-status").first
        assert badge.evaluate("e => getComputedStyle(e).backgroundColor") not in (
            "rgba(0, 0, 0, 0)",
            "",
        )
        hrefs = page.locator(".jp-NotebookPanel a.fk-report-link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        # JupyterLab resolves ../reports/<key>.html against notebooks/: the project's reports/
        paths = [urllib.parse.urlparse(h).path for h in hrefs]
        assert paths and all(
            p.startswith("/files/reports/") and p.endswith(".html") for p in paths
        ), paths
        assert _vega_or_error(messages) == []
    finally:
        page.close()


def test_a_brush_on_the_explorer_chart_narrows_the_claims_table(browser, lab):
    url, token, _ = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        messages = _run_all(page, url, token, "explore.ipynb")
        _drawn_charts(page)
        caption = page.locator(".jp-NotebookPanel #fk-explore-claims caption")
        before = caption.inner_text()
        plot = page.locator(
            ".jp-NotebookPanel .vega-embed canvas, .jp-NotebookPanel .vega-embed svg.marks"
        ).first
        # Run All leaves the view at the last cell (the review panel): bring the chart back
        plot.scroll_into_view_if_needed()
        box = plot.bounding_box()
        # drag over the left half of the plot area (the axes sit left and below)
        x0, y0 = box["x"] + 60, box["y"] + 40
        page.mouse.move(x0, y0)
        page.mouse.down()
        page.mouse.move(x0 + box["width"] * 0.35, y0 + 260, steps=8)
        page.mouse.up()
        page.wait_for_function(
            "before => { const c = document.querySelector("
            "'.jp-NotebookPanel #fk-explore-claims caption');"
            " return c && c.textContent !== before; }",
            arg=before,
            timeout=30_000,
        )
        assert caption.inner_text() != before
        assert _vega_or_error(messages) == []
    finally:
        page.close()
