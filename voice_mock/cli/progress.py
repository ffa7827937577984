"""The download progress bar, drawn by rich (already installed with Textual).

On a terminal it redraws one line; elsewhere (CI logs, pipes) it prints a
line every 10%, so logs stay short and readable.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class DownloadProgress:
    """A callable `progress(done, total)` for `download_model`, used as a context manager."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_step = -1
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> DownloadProgress:
        if self.tty:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            progress.start()
            self._task = progress.add_task(self.label, total=None)
            self._progress = progress
        return self

    def __call__(self, done: int, total: int | None) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, total=total)
            return
        mb = done / 1e6
        if total:
            step = int(min(1.0, done / total) * 10)
            if step == self._last_step:
                return
            self._last_step = step
            text = f"{self.label}: {step * 10}% of {total / 1e6:.1f} MB"
        else:
            step = int(mb // 5)
            if step == self._last_step:
                return
            self._last_step = step
            text = f"{self.label}: {mb:.1f} MB"
        self.stream.write(text + "\n")
        self.stream.flush()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
