"""Resident memory of this process, from /proc (no psutil needed on Linux).

Peak RSS over one session is read from the kernel's high-water mark
(``VmHWM``) after resetting it (writing ``5`` to ``/proc/self/clear_refs``);
where the reset is refused, a sampling thread keeps the highest ``VmRSS`` it
saw, which can miss spikes shorter than its interval, so both are reported.
"""

from __future__ import annotations

import ctypes
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


_MALLINFO2_FIELDS = (
    "arena", "ordblks", "smblks", "hblks", "hblkhd",
    "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
)  # fmt: skip


class _MallInfo2(ctypes.Structure):
    """glibc's ``struct mallinfo2``: ten ``size_t`` fields."""

    _fields_ = [(name, ctypes.c_size_t) for name in _MALLINFO2_FIELDS]


def heap_in_use_mb() -> float | None:
    """Bytes the C allocator has handed out and not had back (all arenas), in MiB.

    Unlike RSS this ignores freed memory the allocator keeps for reuse, which
    with Vosk working on several threads swings RSS by tens of MiB from one
    answer to the next; a leak shows here as a steady rise. None off glibc
    (``mallinfo2`` needs glibc 2.33).
    """
    try:
        mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return None
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return float(info.uordblks + info.hblkhd) / 2**20


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
