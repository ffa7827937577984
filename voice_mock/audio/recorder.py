"""Crash-safe streaming recorder: source callback -> queue -> writer thread -> WAV + listeners.

The source's callback only enqueues. One writer thread appends int16 frames to
the WAV (Python's `wave` patches the header after every write and the file is
flushed each chunk, so a process killed mid-answer leaves a playable file),
measures the level and voice activity into a one-slot holder for meters, and
hands each 0.1-0.2 s chunk to every listener through that listener's own queue
and thread, so a slow recogniser never delays writing. The take ends on
`stop()`, after `silence_stop_s` of silence once speech was heard, at
`max_answer_s`, when a file source runs out, or on a device or disk error, which
keeps everything written so far and says why.

A take can be continued (`append=True`): the new audio goes on the end of the
same WAV, whose header is patched after every chunk exactly as a new file's
is, so a crash while continuing still leaves one playable answer; the clock
(`elapsed_s`, `max_answer_s`) runs on from the audio already there.

A device can take well over a second to deliver its first block after the
stream is opened (PulseAudio's first stream of a process), so `started` is
only set once audio has really arrived: a front must not say "recording" (nor
start its clock) before then, or the first words are lost.
"""

from __future__ import annotations

import contextlib
import os
import queue
import struct
import threading
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np

from voice_mock.audio.sources import MicSource
from voice_mock.audio.vad import VoiceActivityDetector
from voice_mock.fileio import open_private, private_dir

StopReason = Literal["user", "silence", "max", "end", "error"]
"""Why a take ended; "end" means a file source ran out of samples."""

Listener = Callable[[bytes], object]
"""Receives int16 little-endian mono PCM chunks, in order, on its own thread."""

FSYNC_EVERY_S = 2.0
"""How often the WAV is forced to disk (each chunk is flushed to the OS anyway)."""
STALL_S = 3.0
"""A live source that delivers nothing for this long is treated as lost."""
FIRST_BLOCK_S = 6.0
"""How long a just-opened source may take to deliver its first block (PulseAudio: ~1.8 s)."""


@dataclass(frozen=True, slots=True)
class Level:
    """The latest meter reading (one slot, overwritten; readers may miss some)."""

    dbfs: float
    speaking: bool
    elapsed_s: float
    heard_speech: bool
    silence_s: float


@dataclass(frozen=True, slots=True)
class RecordingResult:
    """What one take produced."""

    path: Path
    duration_s: float
    stopped_by: StopReason
    error: str | None
    """One sentence when the take ended on a device or disk problem; the audio so far is kept."""
    overflows: int
    """Input blocks lost by the device (the machine was too busy)."""
    sample_rate: int
    listener_errors: tuple[str, ...] = ()
    """Listeners that failed (e.g. the recogniser); recording carried on without them."""
    appended_at_s: float = 0.0
    """Where this take began in the file: 0 for a new one, the earlier audio's length when
    it continued an answer (`duration_s` is the whole file's length either way)."""


class _ListenerWorker:
    """Feeds one listener from its own queue so it can never block the writer."""

    def __init__(self, listener: Listener, index: int) -> None:
        self.listener = listener
        self.queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.error: str | None = None
        self.thread = threading.Thread(target=self._run, name=f"listener-{index}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            chunk = self.queue.get()
            if chunk is None:
                return
            if self.error is not None:
                continue
            try:
                self.listener(chunk)
            except Exception as exc:  # a listener bug must not lose the recording
                self.error = f"{type(exc).__name__}: {exc}"

    def close(self, timeout: float | None = None) -> None:
        self.queue.put(None)
        self.thread.join(timeout)


class _WavAppender:
    """Appends int16 frames to an existing mono WAV, patching its sizes after every write.

    Python's `wave` cannot open a file for appending; this does the little it
    needs (the same calls the writer thread makes on a `wave.Wave_write`).
    Samples are written before the sizes, so a process killed in between
    leaves sizes that are too small, which `repair_wav_header` puts right.
    """

    def __init__(self, handle: BinaryIO, data_at: int, data_size: int) -> None:
        self.handle = handle
        self.data_at = data_at
        """Offset of the ``data`` chunk's id."""
        self.data_size = data_size

    def writeframes(self, data: bytes) -> None:
        handle = self.handle
        handle.seek(self.data_at + 8 + self.data_size)
        handle.write(data)
        self.data_size += len(data)
        handle.seek(4)
        handle.write(struct.pack("<I", self.data_at + self.data_size))
        handle.seek(self.data_at + 4)
        handle.write(struct.pack("<I", self.data_size))

    def close(self) -> None:
        return None


def open_for_append(path: Path, rate: int) -> tuple[BinaryIO, _WavAppender, int]:
    """Open a take for continuing: (file, appender, frames already there).

    Raises `ValueError` with a sentence when the file is not a 16-bit mono WAV
    at `rate` (the microphone changed between the two parts of an answer),
    since gluing other audio on would make the whole take unplayable.
    """
    with contextlib.suppress(OSError):
        repair_wav_header(path)
    with wave.open(str(path), "rb") as existing:
        if existing.getnchannels() != 1 or existing.getsampwidth() != 2:
            raise ValueError(f"{path.name} is not a 16-bit mono recording")
        if existing.getframerate() != rate:
            raise ValueError(
                f"the microphone now records at {rate} Hz and the answer at "
                f"{existing.getframerate()} Hz"
            )
    handle = open(path, "r+b")  # noqa: SIM115 - closed by the writer thread
    try:
        size = os.fstat(handle.fileno()).st_size
        pos = 12
        while pos + 8 <= size:
            handle.seek(pos)
            chunk_id, chunk_size = struct.unpack("<4sI", handle.read(8))
            if chunk_id == b"data":
                if pos + 8 + chunk_size != size:
                    raise ValueError(f"{path.name} has data after its samples")
                return handle, _WavAppender(handle, pos, chunk_size), chunk_size // 2
            pos += 8 + chunk_size + (chunk_size & 1)
        raise ValueError(f"{path.name} has no data chunk")
    except BaseException:
        handle.close()
        raise


class Recorder:
    """Record one answer from `source` into `wav_path`; see the module docstring."""

    def __init__(
        self,
        source: MicSource,
        wav_path: Path,
        *,
        listeners: Sequence[Listener] = (),
        silence_stop_s: float = 0.0,
        max_answer_s: float = 0.0,
        chunk_s: float = 0.15,
        stall_s: float = STALL_S,
        first_block_s: float = FIRST_BLOCK_S,
        append: bool = False,
    ) -> None:
        """`append` continues the take already in `wav_path` (see the module docstring);
        without a file there it starts a new one."""
        self.source = source
        self.append = append
        self.path = Path(wav_path)
        self.listeners = tuple(listeners)
        self.silence_stop_s = max(0.0, float(silence_stop_s))
        self.max_answer_s = max(0.0, float(max_answer_s))
        self.rate = int(source.sample_rate)
        self.chunk = max(1, round(self.rate * chunk_s))
        self.stall_s = stall_s
        self.first_block_s = first_block_s
        self._started = threading.Event()
        self._blocks: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()
        self._user_stop = threading.Event()
        self._done = threading.Event()
        self._latest: Level | None = None
        self._latest_lock = threading.Lock()
        self._frames = 0
        self._result: RecordingResult | None = None
        self._writer: threading.Thread | None = None
        self._workers: list[_ListenerWorker] = []
        self._file: BinaryIO | None = None
        self._wav: wave.Wave_write | _WavAppender | None = None
        self._first_frame = 0

    # --- public ---------------------------------------------------------------

    def start(self) -> None:
        """Open the file first, then the writer and listeners, then the source.

        Continuing a take whose file cannot take more audio raises `ValueError`
        (nothing of it is changed).
        """
        private_dir(self.path.parent)
        if self.append and self.path.is_file() and self.path.stat().st_size > 0:
            self._file, self._wav, self._frames = open_for_append(self.path, self.rate)
            self._first_frame = self._frames
        else:
            self._file = open_private(self.path)  # the user's voice: 0600 from the first byte
            wav = wave.open(self._file, "wb")  # noqa: SIM115 - closed by the writer thread
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(self.rate)
            self._wav = wav
        self._workers = [_ListenerWorker(fn, i) for i, fn in enumerate(self.listeners)]
        self._writer = threading.Thread(target=self._write_loop, name="wav-writer", daemon=True)
        self._writer.start()
        try:
            self.source.start(self._blocks.put)
        except BaseException:
            self._user_stop.set()
            self._writer.join()
            raise

    def wait_started(self, timeout: float | None = None) -> bool:
        """Block until the source's first block has arrived (True) or the take ended (False).

        Returns False as well when `timeout` passes first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._started.is_set() and not self._done.is_set():
            left = 0.02 if deadline is None else min(0.02, deadline - time.monotonic())
            if left <= 0:
                break
            self._started.wait(left)
        return self._started.is_set()

    @property
    def started(self) -> bool:
        """Whether the source has delivered audio (the take is really recording)."""
        return self._started.is_set()

    def stop(self) -> None:
        """End the take at the user's request (safe from any thread, idempotent)."""
        self._user_stop.set()

    def wait(self, timeout: float | None = None) -> RecordingResult:
        """Block until the take ends and everything is written and heard by the listeners."""
        if self._writer is None:
            raise RuntimeError("Recorder.wait() called before start()")
        self._writer.join(timeout)
        if self._result is None:
            raise TimeoutError("the recording has not finished")
        return self._result

    def record(self) -> RecordingResult:
        """`start()` then `wait()`."""
        self.start()
        return self.wait()

    def latest(self) -> Level | None:
        """The most recent meter reading, or None before the first chunk."""
        with self._latest_lock:
            return self._latest

    @property
    def elapsed_s(self) -> float:
        return self._frames / self.rate

    @property
    def done(self) -> bool:
        return self._done.is_set()

    # --- writer thread -----------------------------------------------------------

    def _write(self, pcm: np.ndarray, last_sync: float) -> float:
        assert self._wav is not None and self._file is not None
        data = pcm.astype("<i2", copy=False).tobytes()
        self._wav.writeframes(data)
        self._file.flush()
        self._frames += pcm.size
        now = time.monotonic()
        if now - last_sync >= FSYNC_EVERY_S:
            os.fsync(self._file.fileno())
            return now
        return last_sync

    def _write_loop(self) -> None:
        vad = VoiceActivityDetector(self.rate)
        pending: list[np.ndarray] = []
        pending_n = 0
        reason: StopReason | None = None
        error: str | None = None
        last_sync = time.monotonic()
        last_block = time.monotonic()
        max_frames = round(self.max_answer_s * self.rate) if self.max_answer_s else 0
        source_done = getattr(self.source, "finished", None)

        def flush_chunk(chunk: np.ndarray) -> StopReason | None:
            nonlocal last_sync
            if max_frames:
                chunk = chunk[: max(0, max_frames - self._frames)]
            if chunk.size == 0:
                return "max"
            last_sync = self._write(chunk, last_sync)
            for worker in self._workers:
                worker.queue.put(chunk.astype("<i2", copy=False).tobytes())
            act = vad.process(chunk)
            with self._latest_lock:
                self._latest = Level(
                    act.dbfs, act.speaking, self.elapsed_s, act.heard_speech, act.silence_s
                )
            if max_frames and self._frames >= max_frames:
                return "max"
            if self.silence_stop_s and act.heard_speech and act.silence_s >= self.silence_stop_s:
                return "silence"
            return None

        try:
            while reason is None:
                if self._user_stop.is_set():
                    reason = "user"
                    break
                try:
                    block = self._blocks.get(timeout=0.05)
                except queue.Empty:
                    if source_done is not None and source_done.is_set():
                        if self._blocks.empty():
                            reason = "end"
                        continue
                    recorded = self._frames > self._first_frame
                    if getattr(self.source, "active", True) is False and recorded:
                        reason, error = "error", "The input device stopped delivering audio."
                    elif time.monotonic() - last_block > (
                        self.stall_s if self._started.is_set() else self.first_block_s
                    ):
                        reason = "error"
                        error = "The input device delivered no audio; check the microphone."
                    continue
                last_block = time.monotonic()
                self._started.set()
                pending.append(np.asarray(block, dtype=np.int16).reshape(-1))
                pending_n += pending[-1].size
                while pending_n >= self.chunk and reason is None:
                    joined = np.concatenate(pending)
                    chunk, rest = joined[: self.chunk], joined[self.chunk :]
                    pending, pending_n = [rest], rest.size
                    reason = flush_chunk(chunk)
        except OSError as exc:
            reason = "error"
            error = (
                f"Recording stopped: {self.path} could not be written "
                f"({exc.strerror or exc}); the audio recorded so far is kept."
            )
        finally:
            try:
                self.source.stop()
            except Exception as exc:
                if error is None:
                    error = f"The input device failed when stopping ({exc})."
            source_error = getattr(self.source, "error", None)
            if source_error and error is None:
                error = str(source_error)
            if reason in ("user", "end", None) and error is None:
                # Keep what was already captured before the stop request.
                try:
                    while True:
                        pending.append(np.asarray(self._blocks.get_nowait(), dtype=np.int16))
                except queue.Empty:
                    pass
                try:
                    rest = np.concatenate(pending) if pending else np.zeros(0, np.int16)
                    if rest.size:
                        flush_chunk(rest)
                except OSError as exc:
                    reason = "error"
                    error = (
                        f"Recording stopped: {self.path} could not be written "
                        f"({exc.strerror or exc}); the audio recorded so far is kept."
                    )
            self._close_file()
            for worker in self._workers:
                worker.close()
            self._result = RecordingResult(
                path=self.path,
                duration_s=self._frames / self.rate,
                stopped_by=reason or "error",
                error=error,
                overflows=int(self.source.overflows),
                sample_rate=self.rate,
                listener_errors=tuple(w.error for w in self._workers if w.error),
                appended_at_s=self._first_frame / self.rate,
            )
            self._done.set()

    def _close_file(self) -> None:
        wav, handle = self._wav, self._file
        self._wav = self._file = None
        try:
            if wav is not None:
                wav.close()
            if handle is not None:
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            pass
        finally:
            if handle is not None:
                with contextlib.suppress(OSError):
                    handle.close()
        if self._frames:
            with contextlib.suppress(OSError):
                repair_wav_header(self.path)


def repair_wav_header(path: Path) -> bool:
    """Make a WAV's RIFF and data sizes match the file's length; returns True if it changed.

    A process killed between writing samples and patching the header leaves
    sizes that are too small; the samples themselves are intact, so the sizes
    are recomputed from the file size (an odd trailing byte is dropped).
    """
    with open(path, "r+b") as handle:
        head = handle.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise OSError(f"{path} is not a WAV file")
        size = os.fstat(handle.fileno()).st_size
        pos = 12
        block_align = 2
        while pos + 8 <= size:
            handle.seek(pos)
            chunk_id, chunk_size = struct.unpack("<4sI", handle.read(8))
            if chunk_id == b"fmt ":
                fmt = handle.read(min(chunk_size, 16))
                if len(fmt) >= 14:
                    block_align = max(1, struct.unpack("<H", fmt[12:14])[0])
            if chunk_id == b"data":
                available = size - (pos + 8)
                data_size = available - available % block_align
                changed = chunk_size != data_size
                riff_size = pos + 8 + data_size - 8
                handle.seek(4)
                changed |= struct.unpack("<I", handle.read(4))[0] != riff_size
                if changed:
                    handle.seek(4)
                    handle.write(struct.pack("<I", riff_size))
                    handle.seek(pos + 4)
                    handle.write(struct.pack("<I", data_size))
                    handle.truncate(pos + 8 + data_size)
                return changed
            pos += 8 + chunk_size + (chunk_size & 1)
        raise OSError(f"{path} has no data chunk")
