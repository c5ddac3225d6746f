"""``forecastkit lab``: JupyterLab in the user's project, on the user's notebooks and corpus.

The server's root is the project folder (``claims/``, ``notebooks/`` and ``reports/`` all
browsable), it opens ``notebooks/explore.ipynb`` when the project has one, and the kernel the
notebooks name (``forecastkit``) is installed first when it is missing
(:func:`forecastkit.reports.kernels.ensure_kernel`). A notebook's kernel starts in the
notebook's folder, so its ``claims_dir = None`` finds the project's corpus by looking upwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from forecastkit.records.paths import NOTEBOOKS


def lab_command(root: Path, extra: Sequence[str] = ()) -> list[str]:
    """The ``jupyter lab`` command line for the project at ``root`` (``--allow-root`` when run
    as root, as JupyterLab refuses otherwise)."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    cmd.extend(extra)
    explore = root / NOTEBOOKS / "explore.ipynb"
    if explore.is_file():
        cmd.append(str(explore.relative_to(root)))
    return cmd


def start_lab(root: Path, extra: Sequence[str] = ()) -> subprocess.Popen[bytes]:
    """Start JupyterLab on the project at ``root`` (see :func:`lab_command`); the caller waits
    for or stops the returned process."""
    from forecastkit.reports.kernels import ensure_kernel

    ensure_kernel()
    return subprocess.Popen(lab_command(Path(root), extra), cwd=root)
