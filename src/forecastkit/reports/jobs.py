"""What a report run is made of: the jobs it plans, their results and the run's summary.

Kept apart from :mod:`forecastkit.reports.runner` so that the worker processes of
:mod:`forecastkit.reports.kernels` can use the same types without importing the runner.
"""

from __future__ import annotations

import hashlib
import json
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Environment variable: ``0`` leaves the static SVG out of chart outputs
#: (:func:`forecastkit.reports.charts.static_charts_wanted`). Here, not in ``charts``, so that
#: a worker sets it per job without importing pandas.
STATIC_CHARTS_ENV = "FORECASTKIT_STATIC_CHARTS"

INDEX_FILE = "index.html"


def sha256(text: str | bytes) -> str:
    """The hex SHA-256 of text (UTF-8) or bytes: the hash of every report input."""
    data = text.encode() if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ReportJob:
    """One notebook to execute: its parameters, outputs and the hash of its inputs."""

    key: str
    notebook: str
    parameters: dict[str, Any]
    ipynb: str
    html: str
    title: str
    inputs: dict[str, str]
    static_charts: bool = True
    summary: str = ""
    self_contained: bool = False  # inline the scripts instead of linking assets/
    summary_expr: str = ""  # evaluated in the kernel after the run: the index line (else summary)

    @property
    def digest(self) -> str:
        return sha256(json.dumps(self.inputs, sort_keys=True))


@dataclass(frozen=True)
class ReportResult:
    """What became of one report: ``written``, ``unchanged`` or ``failed`` (with why)."""

    key: str
    status: str
    seconds: float = 0.0
    error: str | None = None
    links: tuple[str, ...] = ()  # the claimant keys whose reports the page links to
    summary: str | None = None  # the index line the report gave (ReportJob.summary_expr)


@dataclass
class RunSummary:
    """The outcome of a run, one result per planned report."""

    output: Path
    results: list[ReportResult] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    workers: int = 0

    def _with(self, status: str) -> list[ReportResult]:
        return [r for r in self.results if r.status == status]

    @property
    def failed(self) -> list[ReportResult]:
        return self._with("failed")

    @property
    def written(self) -> list[ReportResult]:
        return self._with("written")

    @property
    def unchanged(self) -> list[ReportResult]:
        return self._with("unchanged")

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    def render(self) -> str:
        """The end-of-run summary, for people."""
        n = len(self.results)
        lines = [
            f"reports: {n} planned, {len(self.written)} written, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed in {self.seconds:.1f} s"
            + (f" ({self.workers} worker(s))" if self.workers else "")
        ]
        if self.written:
            busy = sum(r.seconds for r in self.written)
            lines.append(f"  execution: {busy / len(self.written):.2f} s per report per worker")
        for r in self.failed:
            lines.append(f"  failed: {r.key}: {r.error}")
        if self.failed:
            lines.append(
                "  the last good version of each failed report is kept; "
                "failed reports run again next time"
            )
        if self.interrupted:
            lines.append("  interrupted: finished reports are kept, the rest run next time")
        lines.append(f"index: {self.output / INDEX_FILE}")
        return "\n".join(lines)


class CtrlC:
    """SIGINT held for a moment: the first one is recorded, a second raises KeyboardInterrupt.

    A process that was started with SIGINT ignored (a command put in the background by a
    script, some CI runners) keeps ignoring it: holding changes nothing there, as Python's own
    start-up leaves an inherited ``SIG_IGN`` alone. Off the main thread nothing is held either
    (only the main thread may set handlers).
    """

    def __init__(self) -> None:
        self.previous: Any = None
        self.caught = 0
        self.active = threading.current_thread() is threading.main_thread()

    @classmethod
    def hold(cls) -> CtrlC:
        held = cls()
        if held.active and signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            held.active = False
        if held.active:
            held.previous = signal.signal(signal.SIGINT, held._on_sigint)
        return held

    def _on_sigint(self, signum: int, frame: Any) -> None:
        self.caught += 1
        if self.caught > 1:
            self.release()
            raise KeyboardInterrupt

    def release(self) -> bool:
        """Put the previous handler back; whether a Ctrl-C came meanwhile."""
        if self.active:
            self.active = False
            signal.signal(
                signal.SIGINT,
                self.previous if self.previous is not None else signal.default_int_handler,
            )
        return self.caught > 0
