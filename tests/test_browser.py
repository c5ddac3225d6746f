"""The HTML reports in a real browser: headless Chromium with the network cut off.

Checks that every chart was drawn by Vega-Embed (the static fallback replaced by a live SVG),
that the page logs nothing to the console, and that a script or an ``onerror`` handler hidden
in a claim's quote did not run. Chromium is Debian's ``chromium`` package: installed here with
apt-get when missing and possible, otherwise the test is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURE_CORPUS, TODAY

pytestmark = pytest.mark.slow

HOSTILE_QUOTE = (
    "<script>document.body.setAttribute('data-pwned', 'script')</script>"
    "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'img')\"> "
    "The central bank is likely to cut rates before the summer."
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--enable-logging=stderr",
    "--v=0",
    # no network: every host name fails to resolve and every request goes to a dead proxy
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--virtual-time-budget=15000",
]


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    """Path of a Chromium binary; installed with apt-get if missing (root only), else skip."""
    path = _find_chromium()
    if path:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip(
            "chromium is not installed and cannot be installed here (needs root and apt-get); "
            "install Debian's chromium package to run the browser test"
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:  # stale package lists: update once and retry
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"chromium could not be installed ({exc})")
    path = _find_chromium()
    if not path:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        pytest.skip(f"chromium could not be installed with apt-get: {tail[0]}")
    return path


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory) -> Path:
    """Reports for a copy of the example corpus in which a quote carries a script and an
    ``<img onerror>`` handler."""
    from forecastkit.reports.runner import run_reports

    base = tmp_path_factory.mktemp("browser")
    root = base / "claims"
    shutil.copytree(FIXTURE_CORPUS, root)
    claim_file = root / "2024-01-09-npi-outlook-2024.yaml"
    text = claim_file.read_text("utf-8")
    old = "quote: The central bank is likely to cut rates before the summer."
    assert old in text
    escaped = HOSTILE_QUOTE.replace("\\", "\\\\").replace('"', '\\"')
    claim_file.write_text(text.replace(old, f'quote: "{escaped}"'), "utf-8")
    out = base / "reports"
    summary = run_reports(
        root, out, authors=["ana-lindqvist"], as_of=TODAY.isoformat(), progress=False
    )
    assert summary.ok, summary.render()
    return out


def _render(chromium: str, page: Path, profile: Path) -> tuple[str, list[str]]:
    """The DOM after scripts ran, and the console messages of the page."""
    done = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


@pytest.mark.parametrize("name,charts", [("ana-lindqvist.html", 5), ("overview.html", 2)])
def test_charts_render_offline_without_console_errors(
    chromium, hostile_reports, tmp_path, name, charts
):
    dom, console = _render(chromium, hostile_reports / name, tmp_path / "profile")
    assert console == []
    live = re.findall(r'<div class="fk-chart fk-live" id="fk-chart-\d+">', dom)
    assert len(live) == charts
    assert 'class="fk-static"' not in dom  # every static fallback was replaced
    assert len(re.findall(r'<svg[^>]*class="marks"', dom)) >= charts
    assert 'role="graphics-document"' in dom


def test_a_script_in_a_claim_does_not_run(chromium, hostile_reports, tmp_path):
    dom, console = _render(chromium, hostile_reports / "ana-lindqvist.html", tmp_path / "profile")
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert "data-pwned" not in body
    assert "&lt;script&gt;document.body.setAttribute('data-pwned', 'script')&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=" in dom
    assert console == []
