"""``forecastkit lab``: JupyterLab in the user's project (reports.lab)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from forecastkit.records.project import init_project
from forecastkit.reports.lab import lab_command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_command_opens_the_project_s_explorer(tmp_path: Path) -> None:
    root = init_project(tmp_path / "p")
    cmd = lab_command(root, ["--no-browser"])
    assert f"--ServerApp.root_dir={root}" in cmd and "--no-browser" in cmd
    assert cmd[-1] == "notebooks/explore.ipynb"
    assert ("--allow-root" in cmd) == (os.geteuid() == 0)


def test_lab_outside_a_project_is_one_line(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from forecastkit.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORECASTKIT_ROOT", raising=False)
    result = CliRunner().invoke(main, ["lab"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.startswith("error: no forecastkit project") and "forecastkit init" in (
        result.output
    )


@pytest.mark.slow
def test_forecastkit_lab_serves_the_project(tmp_path: Path) -> None:
    root = init_project(tmp_path / "p")
    port, token = _free_port(), "fk-lab-test-token"
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"),
    )
    env.pop("FORECASTKIT_ROOT", None)
    cmd = [
        sys.executable,
        "-c",
        "from forecastkit.cli import main; main()",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=root / "claims",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline, status = time.monotonic() + 120, None
        while status is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
                with urllib.request.urlopen(url, timeout=5) as r:
                    status = json.load(r)
            except OSError:
                time.sleep(0.2)  # polls a condition (the server answers), with a deadline
        assert status is not None, "JupyterLab did not answer"
        names = {c["name"] for c in status["content"]}
        assert {"explore.ipynb", "author_report.ipynb", "overview.ipynb"} <= names
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
