"""Warm Jupyter kernels that papermill runs many notebooks through.

A bare ``papermill`` run pays for a kernel start and the imports of pandas, altair and
forecastkit every time (seconds). A :class:`WarmKernel` is started once per worker process and
kept: before each notebook its namespace is reset (``InteractiveShell.reset(new_session=True)``:
variables gone, execution count back to 1, imported modules kept), then papermill executes the
notebook through it with its own client (:class:`WarmKernelEngine`), so the output notebook has
the form a plain ``papermill`` run gives it (``injected-parameters`` cell, papermill metadata).

Kernel start-up races (two kernels picking the same TCP port, a kernel that dies before it
answers) are a known papermill problem: kernels here talk over IPC sockets (no ports to collide
on) and a failed start is retried with exponential backoff.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forecastkit.errors import ReportError

if TYPE_CHECKING:
    from forecastkit.reports.jobs import ReportJob, ReportResult

KERNEL_NAME = "forecastkit"
ENGINE_NAME = "forecastkit-warm"
START_ATTEMPTS = 4
START_TIMEOUT = 120
#: Seconds a single cell may run before the report fails.
CELL_TIMEOUT = 600
#: Seconds to wait for a cell's output once it has run (papermill's default is 4).
IOPUB_TIMEOUT = 120
_RESET = "get_ipython().reset(new_session=True, aggressive=False)"

logger = logging.getLogger(__name__)


def ensure_kernel(name: str = KERNEL_NAME) -> None:
    """Install the Jupyter kernel ``name`` when it is missing (:func:`install_kernel`); a
    :class:`ReportError` with the fix when it cannot be installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        install_kernel(name)


def install_kernel(name: str = KERNEL_NAME) -> Path:
    """Install the kernel spec the report notebooks name (``forecastkit``), running this
    interpreter, into its environment (``sys.prefix/share/jupyter/kernels``), as
    ``python -m ipykernel install --sys-prefix --name forecastkit`` does; where that folder
    cannot be written, into the user's Jupyter folder. Plain ``papermill`` and JupyterLab then
    find it by the name stored in each notebook. Returns the kernel spec's folder."""
    import sys

    from ipykernel.kernelspec import install

    display = "Python (forecastkit)"
    try:
        return Path(install(kernel_name=name, display_name=display, prefix=sys.prefix))
    except OSError:
        try:
            return Path(install(kernel_name=name, display_name=display, user=True))
        except OSError as exc:
            raise ReportError(
                f"Jupyter kernel '{name}' could not be installed ({exc})",
                hint=f"run python -m ipykernel install --user --name {name}",
            ) from None


def vega_bundle_ready() -> None:
    """Build (or read from the cache) the Vega bundle that HTML reports inline."""
    from forecastkit.reports.html import vega_bundle

    vega_bundle()


class WarmKernel:
    """One kernel, started with retries, kept for many notebooks."""

    def __init__(self, name: str = KERNEL_NAME, cwd: str | None = None) -> None:
        self.name = name
        self.cwd = cwd
        self.km: Any = None
        self.kc: Any = None
        self.pid: int | None = None
        self.start()

    def start(self) -> None:
        from jupyter_core.utils import run_sync

        delay = 0.5
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                self._start_once(run_sync)
                return
            except Exception as exc:  # noqa: BLE001 - ZMQError, RuntimeError, TimeoutError ...
                self.kill()
                if attempt == START_ATTEMPTS:
                    raise ReportError(
                        f"the kernel did not start after {attempt} attempts ({exc})",
                        hint="check `jupyter kernelspec list`",
                    ) from None
                logger.warning("kernel start failed (%s); retrying in %.1f s", exc, delay)
                time.sleep(delay + random.uniform(0, delay / 2))
                delay *= 2

    def _start_once(self, run_sync: Any) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.paths import jupyter_runtime_dir

        # IPC sockets at a path of this kernel's own: no port for two kernels to race for.
        runtime = Path(jupyter_runtime_dir())
        runtime.mkdir(parents=True, exist_ok=True)
        base = runtime / f"fk-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.km = AsyncKernelManager(
            kernel_name=self.name, transport="ipc", ip=f"{base}-ipc", connection_file=f"{base}.json"
        )
        run_sync(self.km.start_kernel)(
            cwd=self.cwd, extra_arguments=["--HistoryManager.hist_file=:memory:"]
        )
        self.pid = getattr(self.km.provisioner, "pid", None)
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=START_TIMEOUT)
        self.kc.allow_stdin = False

    def reset(self, environ: dict[str, str] | None = None) -> None:
        """Clear the namespace; execution counts start again at 1 (imports stay loaded).
        ``environ``: variables set in the kernel's environment for the next notebook."""
        from jupyter_core.utils import run_sync

        code = _RESET
        if environ:
            code += f"\nimport os as _os; _os.environ.update({dict(environ)!r}); del _os"
        reply = run_sync(self.kc.execute_interactive)(
            code, silent=True, store_history=False, timeout=60, output_hook=lambda msg: None
        )
        if reply["content"].get("status") != "ok":
            raise ReportError("the kernel could not be reset")

    def evaluate(self, expression: str) -> str | None:
        """The value of ``expression`` (which must give text) in the kernel's namespace, or None
        when it fails: how a report's index line is read from the report that was just run."""
        import ast

        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(
            "",
            silent=True,
            store_history=False,
            timeout=60,
            output_hook=lambda msg: None,
            user_expressions={"value": expression},
        )
        value = reply["content"].get("user_expressions", {}).get("value", {})
        if value.get("status") != "ok":
            return None
        try:
            result = ast.literal_eval(value.get("data", {}).get("text/plain", ""))
        except (ValueError, SyntaxError):
            return None
        return result if isinstance(result, str) else None

    def is_alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km is not None:
                run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - shutting down: make sure it is gone instead
            self.kill()
        self.km = self.kc = None

    def kill(self) -> None:
        """Kill the kernel process at once (used from signal handlers and failed starts)."""
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        if self.km is not None:
            try:
                self.km.cleanup_connection_file()
                self.km.cleanup_ipc_files()
            except Exception:  # noqa: BLE001
                pass
        self.pid = None


def _engine() -> Any:
    """papermill's nbclient engine, running through a :class:`WarmKernel` passed as
    ``warm_kernel`` (registered with papermill as ``forecastkit-warm``)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            kernel: WarmKernel = kwargs.pop("warm_kernel")
            safe = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            # papermill waits 4 s for a cell's output after its reply, then fails the report;
            # a large output (a table of thousands of rows) can take longer on a busy machine
            safe.setdefault("iopub_timeout", IOPUB_TIMEOUT)
            final = merge_kwargs(
                safe,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=kernel.km, **final)
            client.kc = kernel.kc  # the kernel is not ours to start or stop: it stays warm
            return client.execute()

    if ENGINE_NAME not in papermill_engines._engines:
        papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return WarmKernelEngine


def execute_notebook(
    kernel: WarmKernel,
    notebook: str | Path,
    parameters: dict[str, Any],
    output_path: str | Path | None = None,
    *,
    static_charts: bool = True,
) -> Any:
    """Execute ``notebook`` with ``parameters`` through ``kernel``, as papermill does;
    ``static_charts=False`` leaves the static SVG out of its chart outputs.

    Returns the executed notebook (nothing is written); raises papermill's
    ``PapermillExecutionError`` when a cell fails.
    """
    import papermill

    from forecastkit.reports.jobs import STATIC_CHARTS_ENV

    _engine()
    kernel.reset({STATIC_CHARTS_ENV: "1" if static_charts else "0"})
    nb = papermill.execute_notebook(
        str(notebook),
        None,
        parameters=parameters,
        engine_name=ENGINE_NAME,
        kernel_name=kernel.name,
        progress_bar=False,
        request_save_on_cell_execute=False,
        execution_timeout=CELL_TIMEOUT,
        warm_kernel=kernel,
    )
    # papermill records where it wrote the notebook; this one is written by the caller.
    nb.metadata.papermill["output_path"] = str(output_path) if output_path else None
    return nb


# --------------------------------------------------------------------------- worker processes

_WORKER: dict[str, Any] = {}


def init_worker(kernel_name: str = KERNEL_NAME) -> None:
    """Worker process set-up: the parent handles Ctrl-C; SIGTERM and normal exit stop the kernel."""
    from multiprocessing.util import Finalize

    logging.getLogger("papermill").setLevel(logging.ERROR)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    _WORKER["name"] = kernel_name
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)
    Finalize(None, _shutdown_worker_kernel, exitpriority=10)


def _on_terminate(signum: int, frame: Any) -> None:
    kernel = _WORKER.get("kernel")
    if kernel is not None:
        kernel.kill()
    os._exit(128 + signum)


def _shutdown_worker_kernel() -> None:
    kernel = _WORKER.pop("kernel", None)
    if kernel is not None:
        kernel.shutdown()


def _worker_kernel() -> WarmKernel:
    kernel = _WORKER.get("kernel")
    if kernel is None or not kernel.is_alive():
        if kernel is not None:
            kernel.kill()
        from forecastkit.records.paths import find_project

        cwd = find_project() or Path.cwd()
        _WORKER["kernel"] = kernel = WarmKernel(_WORKER.get("name", KERNEL_NAME), str(cwd))
    return kernel


def run_job(job: ReportJob) -> ReportResult:
    """Execute one report in this worker's kernel and write its notebook and HTML atomically."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from forecastkit.records.atomic import write_text_atomic
    from forecastkit.reports.html import notebook_html
    from forecastkit.reports.jobs import ReportResult

    start = time.perf_counter()
    try:
        kernel = _worker_kernel()
        nb = execute_notebook(
            kernel, job.notebook, job.parameters, job.ipynb, static_charts=job.static_charts
        )
        summary = kernel.evaluate(job.summary_expr) if job.summary_expr else None
        page = notebook_html(
            nb,
            title=job.title,
            static_charts=job.static_charts,
            linked_assets=not job.self_contained,
        )
        text = nbformat.writes(nb)
    except PapermillExecutionError as exc:
        return ReportResult(
            job.key,
            "failed",
            time.perf_counter() - start,
            f"In [{exc.exec_count}]: {exc.ename}: {_first_line(exc.evalue)}",
        )
    except Exception as exc:  # noqa: BLE001 - a dead kernel, a timeout: this report fails, not the run
        kernel = _WORKER.pop("kernel", None)
        if kernel is not None:
            kernel.kill()  # start afresh for the next report
        return ReportResult(
            job.key,
            "failed",
            time.perf_counter() - start,
            f"{type(exc).__name__}: {_first_line(str(exc))}",
        )
    write_text_atomic(Path(job.ipynb), text + ("" if text.endswith("\n") else "\n"))
    write_text_atomic(Path(job.html), page)
    from forecastkit.reports.assets import report_links

    return ReportResult(
        job.key,
        "written",
        time.perf_counter() - start,
        links=tuple(sorted(report_links(page))),
        summary=summary,
    )


def _first_line(text: str) -> str:
    """The first line of an error message, with the next one when it only announces it
    (``... conversion failed:`` followed by the cause)."""
    lines = [ln.strip() for ln in str(text).strip().splitlines() if ln.strip()]
    if not lines:
        return ""
    head = lines[0]
    if head.endswith(":") and len(lines) > 1:
        head = f"{head} {lines[1]}"
    return head[:300]
