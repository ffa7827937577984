"""Resident memory of this process, from /proc (no psutil needed on Linux).

Peak RSS over one session is read from the kernel's high-water mark
(``VmHWM``) after resetting it (writing ``5`` to ``/proc/self/clear_refs``);
where the reset is refused, a sampling thread keeps the highest ``VmRSS`` it
saw, which can miss spikes shorter than its interval, so both are reported.
"""

from __future__ import annotations

import resource
import threading
from pathlib import Path
from types import TracebackType

STATUS = Path("/proc/self/status")


def _status_kb(field: str) -> int | None:
    try:
        text = STATUS.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def rss_mb() -> float:
    """Current resident set size in MiB (falls back to the lifetime peak off Linux)."""
    kb = _status_kb("VmRSS")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024.0


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark for this process; False when not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def kernel_peak_mb() -> float | None:
    """Peak RSS since the last `reset_peak` (or process start), in MiB."""
    kb = _status_kb("VmHWM")
    return None if kb is None else kb / 1024.0


class PeakSampler:
    """``with PeakSampler() as peak:`` ... ``peak.peak_mb``: the highest RSS during the block."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.interval_s = interval_s
        self.sampled_peak_mb = 0.0
        self.kernel_peak_mb: float | None = None
        self.start_mb = 0.0
        self._reset_ok = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sampled_peak_mb = max(self.sampled_peak_mb, rss_mb())
            self._stop.wait(self.interval_s)

    def __enter__(self) -> PeakSampler:
        self.start_mb = rss_mb()
        self._reset_ok = reset_peak()
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.sampled_peak_mb = max(self.sampled_peak_mb, rss_mb())
        self.kernel_peak_mb = kernel_peak_mb() if self._reset_ok else None

    @property
    def peak_mb(self) -> float:
        """The kernel's exact peak when it could be reset, else the sampled one."""
        if self.kernel_peak_mb is not None:
            return max(self.kernel_peak_mb, self.sampled_peak_mb)
        return self.sampled_peak_mb
