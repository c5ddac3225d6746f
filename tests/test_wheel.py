"""The wheel is complete: installed into a fresh virtualenv outside the checkout, forecastkit
starts a project and runs every everyday command, and plain papermill runs its notebooks.

The wheel is built once from a copy of the sources (so the checkout gets no ``build/``), with
the test environment's setuptools when it is recent enough (``--no-build-isolation``: nothing
is downloaded), else in pip's isolated build environment, which fetches only the build backend
named in pyproject.toml from the package index. The fresh venv gets forecastkit only from the
wheel (``pip install --no-deps --no-index``: no index is asked); its dependencies
come from the test's own environment through a ``.pth`` line (a path so added is not a site
folder: its ``.pth`` files, among them the editable install's finder, are not run), as
installing them all from the registry would take many minutes. Every command runs from a folder
outside the checkout, with ``PYTHONPATH`` and ``$FORECASTKIT_ROOT`` unset and Jupyter's data
folder private to the test, so nothing can come from the checkout unnoticed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

ARTICLE = (
    "Jane Doe, chief economist at Example Bank, said inflation will very likely fall below 2% "
    "by the end of 2027.\n"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "src", src / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    out = tmp_path_factory.mktemp("wheel")
    offline = ["--no-build-isolation", "--no-index"] if _can_build_here() else []
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            *offline,
            "-q",
            "-w",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=clean_env(),
        cwd=out,
    )
    (built,) = out.glob("forecastkit-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(env_dir)],
        check=True,
        timeout=120,
        env=clean_env(),
    )
    py = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
        env=clean_env(),
    ).stdout.strip()
    # the wheel first: with the dependencies on the path, pip would take the test
    # environment's forecastkit (an editable install) for this one and skip the wheel
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=clean_env(),
    )
    deps = sysconfig.get_paths()["purelib"]  # this environment's: the dependencies
    Path(purelib, "deps-of-the-test-environment.pth").write_text(deps + "\n")
    # the dependencies' data files that pip would have put in the venv (nbconvert's templates);
    # not the kernel specs: the forecastkit kernel must be the one init installs
    share = Path(sys.prefix, "share", "jupyter")
    (env_dir / "share" / "jupyter").mkdir(parents=True)
    for part in share.iterdir():
        if part.name != "kernels":
            (env_dir / "share" / "jupyter" / part.name).symlink_to(part)
    return env_dir


def _can_build_here() -> bool:
    """Whether this environment has the build backend pyproject.toml asks for (setuptools at
    the version ``[build-system] requires`` names), so the wheel builds without a download."""
    import tomllib
    from importlib import metadata

    from packaging.requirements import Requirement

    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    for text in requires:
        req = Requirement(text)
        try:
            if not req.specifier.contains(metadata.version(req.name), prereleases=True):
                return False
        except metadata.PackageNotFoundError:
            return False
    return True


def clean_env() -> dict[str, str]:
    """The environment without what would lead Python or forecastkit to the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FORECASTKIT_ROOT")}


def run(venv: Path, cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = clean_env()
    env["JUPYTER_DATA_DIR"] = str(
        venv / "jupyter-data"
    )  # no kernel of the user's or the checkout's
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(
        list(args),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, f"{args}: {proc.stdout}\n{proc.stderr}"
    return proc


def test_the_wheel_alone_runs_a_users_project(venv: Path, tmp_path: Path) -> None:
    fk = str(venv / "bin" / "forecastkit")
    py = str(venv / "bin" / "python")
    where = run(venv, tmp_path, py, "-c", "import forecastkit; print(forecastkit.__file__)").stdout
    assert Path(where.strip()).is_relative_to(venv), where  # from the wheel, not the checkout
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "claims").rglob("*")}

    run(venv, tmp_path, fk, "init", "tracker")
    project = tmp_path / "tracker"
    ask = (
        "from jupyter_client.kernelspec import KernelSpecManager as K; "
        "print(K().get_kernel_spec('forecastkit').argv[0])"
    )
    kernel_python = run(venv, project, py, "-c", ask).stdout.strip()
    assert Path(kernel_python).parent == venv / "bin"  # the kernel runs the wheel's interpreter
    run(venv, project, fk, "add", "author", "jane-doe", "--name", "Jane Doe")
    (tmp_path / "article.txt").write_text(ARTICLE)
    run(
        venv,
        project / "claims",
        fk,
        "extract",
        str(tmp_path / "article.txt"),
        "--published",
        "2025-01-10",
        "--byline",
        "Jane Doe",
        "--publisher",
        "Example Bank",
        "--source-id",
        "2025-01-10-example-bank-inflation",
        "--write",
    )
    claim_file = project / "claims" / "2025-01-10-example-bank-inflation.yaml"
    text = (
        claim_file.read_text()
        .replace("kind: candidate", "kind: forecast")
        .replace(
            "  hedge: very likely",
            "  proposition: Inflation falls below 2% by the end of 2027.\n"
            "  criteria: True if annual inflation is below 2% in 2027.\n  hedge: very likely",
        )
    )
    claim_file.write_text(text)
    run(
        venv,
        project,
        fk,
        "resolve",
        "2025-01-10-example-bank-inflation-c001",
        "--verdict",
        "false",
        "--on",
        "2026-01-05",
        "--evidence",
        "https://example.org/cpi",
        "--title",
        "CPI",
        "--publisher",
        "Statistics Office",
        "--published",
        "2026-01-05",
        "--quote",
        "3.1%",
    )
    assert "1 forecasts" in run(venv, project, fk, "validate").stdout
    run(
        venv,
        project / "notebooks",
        fk,
        "report",
        "--no-progress",
        "--workers",
        "1",
        "--as-of",
        "2026-06-01",
    )
    assert (project / "reports" / "jane-doe.html").is_file()
    assert (project / "reports" / "overview.html").is_file()
    run(
        venv,
        project,
        py,
        "-m",
        "papermill",
        "notebooks/author_report.ipynb",
        str(tmp_path / "out.ipynb"),
        "-p",
        "author",
        "jane-doe",
        "--no-progress-bar",
    )
    out = json.loads((tmp_path / "out.ipynb").read_text())
    assert out["metadata"]["kernelspec"]["name"] == "forecastkit"
    assert not [
        o for c in out["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    # the checkout's corpus and reports were not touched
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "claims").rglob("*")} == before


def test_the_wheel_ships_every_data_file(wheel: Path) -> None:
    """Every file of the package that is not Python (notebooks, schemas, scales, the house
    lexicon, py.typed) is in the wheel: a data file added without its package-data line fails
    here, not on a user's machine."""
    import zipfile

    package = ROOT / "src" / "forecastkit"
    data = {
        "forecastkit/" + p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert data, "no data files found"
    shipped = set(zipfile.ZipFile(wheel).namelist())
    assert sorted(data - shipped) == []
