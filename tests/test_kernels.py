"""Warm kernels: started with retries, reset between notebooks, executed as papermill does."""

from __future__ import annotations

import pytest

from forecastkit.errors import ReportError
from forecastkit.reports import kernels


class FlakyKernel(kernels.WarmKernel):
    """A kernel whose first starts fail, as when two kernels race for the same port."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0
        super().__init__()

    def _start_once(self, run_sync) -> None:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise RuntimeError("Kernel died before replying to kernel_info")

    def kill(self) -> None:
        pass


@pytest.mark.parametrize("failures,started", [(0, True), (1, True), (3, True), (4, False)])
def test_kernel_start_is_retried_with_backoff(monkeypatch, failures, started):
    sleeps = []
    monkeypatch.setattr(kernels.time, "sleep", sleeps.append)
    if started:
        kernel = FlakyKernel(failures)
        assert kernel.attempts == failures + 1
    else:
        with pytest.raises(
            ReportError, match=f"did not start after {kernels.START_ATTEMPTS} attempts"
        ):
            FlakyKernel(failures)
    assert len(sleeps) == min(failures, kernels.START_ATTEMPTS - 1)
    assert sleeps == sorted(sleeps)  # waits grow


def test_a_missing_kernel_is_installed_under_its_name(monkeypatch):
    installed = []
    monkeypatch.setattr(kernels, "install_kernel", installed.append)
    kernels.ensure_kernel("forecastkit-test-no-such-kernel")
    assert installed == ["forecastkit-test-no-such-kernel"]


def test_an_installed_kernel_is_left_alone(monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    present = next(iter(KernelSpecManager().find_kernel_specs()))
    monkeypatch.setattr(kernels, "install_kernel", lambda name: pytest.fail("reinstalled"))
    kernels.ensure_kernel(present)


def test_a_kernel_that_cannot_be_installed_is_a_one_line_error_with_the_fix(monkeypatch):
    import ipykernel.kernelspec

    def refuse(**kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("prefix") or "~/.local")

    monkeypatch.setattr(ipykernel.kernelspec, "install", refuse)
    with pytest.raises(ReportError, match="could not be installed") as caught:
        kernels.ensure_kernel("forecastkit-test-no-such-kernel")
    assert "\n" not in str(caught.value)
    assert "ipykernel install --user --name forecastkit-test-no-such-kernel" in str(caught.value)


@pytest.mark.slow
def test_reset_clears_the_namespace_and_execution_count_but_keeps_imports():
    from jupyter_core.utils import run_sync

    kernel = kernels.WarmKernel()
    try:

        def run(code: str) -> dict:
            outputs = []
            reply = run_sync(kernel.kc.execute_interactive)(
                code, timeout=60, output_hook=lambda msg: outputs.append(msg)
            )
            return {"reply": reply["content"], "outputs": outputs}

        run("import sys, forecastkit\nsecret = 42")
        before = run("1")["reply"]["execution_count"]
        kernel.reset()
        after = run("import sys\nprint('secret' in globals(), 'forecastkit' in sys.modules)")
        text = "".join(
            m["content"].get("text", "") for m in after["outputs"] if m["msg_type"] == "stream"
        )
        assert text.strip() == "False True"
        assert after["reply"]["execution_count"] == 1 < before
    finally:
        kernel.shutdown()
    assert not kernel.is_alive()
