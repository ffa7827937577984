"""Run `practice_child` (``voice-mock practice`` with a file microphone) and watch its stderr.

`PracticeRun` starts the process, collects its stderr line by line in a
thread and lets a test wait for a line ("Recording: ...") before it acts:
kills it, checks files mid-recording, or presses Enter.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.cli import ROOT, child_env

STAGE_LINES = {
    "speaking": "Speaking the question...",
    "recording": "Recording:",
    "transcribing": "Transcribing...",
    "analysing": "Analysing...",
}
"""The line `voice-mock practice` prints on stderr as a turn enters each stage."""


class PracticeRun:
    """One ``voice-mock practice`` child; stderr lines are kept with the time they came."""

    def __init__(
        self,
        wav: Path,
        args: Sequence[str],
        *,
        home: Path,
        env: Mapping[str, str] | None = None,
        preexec: Callable[[], None] | None = None,
        wrapper: Sequence[str] = (),
    ) -> None:
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [
                *wrapper,
                sys.executable,
                "-m",
                "tests.support.practice_child",
                str(wav),
                "practice",
                *args,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=child_env(home, env),
            preexec_fn=preexec,
        )
        self.lines: list[tuple[float, str]] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._out: list[bytes] = []
        self._out_reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._out_reader.start()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for chunk in self.proc.stdout:
            self._out.append(chunk)

    @property
    def stdout(self) -> bytes:
        return b"".join(self._out)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            with self._changed:
                self.lines.append((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\n")))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, prefix: str, timeout: float = 60) -> float | None:
        """When a line starting with `prefix` came (monotonic time); None if it never did."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for moment, line in self.lines:
                    if line.startswith(prefix):
                        return moment
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    return None
                self._changed.wait(min(left, 0.2))

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def finish(self, timeout: float = 90) -> int:
        """Wait for the process to end (killing it after `timeout`); returns its exit status."""
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        self._out_reader.join(timeout=5)
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        return self.proc.returncode

    @property
    def stderr(self) -> str:
        return "\n".join(line for _, line in self.lines)


@dataclass(frozen=True)
class WavState:
    """What a WAV file holds, by its header and by its size."""

    frames: int
    """Frames the header announces."""
    rate: int
    size_frames: int
    """Frames the data on disk holds (size minus the 44-byte header)."""

    @property
    def seconds(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


def wav_state(path: Path) -> WavState:
    """The header's frame count (`wave`, strict) and the frames the file's size holds."""
    with wave.open(str(path), "rb") as handle:
        frames, rate, width = handle.getnframes(), handle.getframerate(), handle.getsampwidth()
        channels = handle.getnchannels()
    size_frames = max(0, path.stat().st_size - 44) // max(1, width * channels)
    return WavState(frames, rate, size_frames)


def readable_problem(path: Path) -> str | None:
    """Why a player could not play `path` at all (None when it reads, with some audio).

    Looser than `playable_problem`: after a kill the header may lag the last
    chunk, which recovery repairs, but the file must already play.
    """
    import soundfile as sf

    try:
        data, _rate = sf.read(str(path), dtype="int16")
    except Exception as exc:
        return f"{path.name} cannot be read: {exc}"
    return None if len(data) else f"{path.name} holds no audio"


def playable_problem(path: Path) -> str | None:
    """Why `path` is not a complete, playable WAV (None when it is)."""
    import soundfile as sf

    try:
        state = wav_state(path)
        data, _rate = sf.read(str(path), dtype="int16")
    except Exception as exc:
        return f"{path.name} cannot be read: {exc}"
    if len(data) != state.frames:
        return f"{path.name}: header says {state.frames} frames, the file reads {len(data)}"
    if state.size_frames != state.frames:
        return f"{path.name}: header says {state.frames} frames, the size holds {state.size_frames}"
    return None
