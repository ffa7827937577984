"""Microphone sources: the real one (sounddevice) and a file-backed one for tests and benchmarks.

Both deliver int16 mono blocks to one callback, from their own thread, so the
recorder cannot tell them apart. The callback must return at once: the real
source's PortAudio callback only copies and enqueues (a blocked audio thread
drops input), and a small pump thread hands blocks on.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from voice_mock.errors import UserError

BlockCallback = Callable[[np.ndarray], None]
"""Receives int16 mono samples (1-D); called from the source's thread."""


@runtime_checkable
class MicSource(Protocol):
    """Anything that delivers int16 mono audio blocks until stopped."""

    @property
    def sample_rate(self) -> int: ...

    @property
    def overflows(self) -> int:
        """Blocks the source lost because the consumer was late (input overflow)."""
        ...

    def start(self, callback: BlockCallback) -> None: ...

    def stop(self) -> None: ...


class SourceError(UserError):
    """The input device failed while recording (unplugged, taken by another program)."""


class SoundDeviceSource:
    """A sounddevice `InputStream` at 16 kHz (or the device's own rate), int16 mono."""

    def __init__(
        self, device: int | str | None = None, preferred_rate: int = 16000, block_s: float = 0.05
    ) -> None:
        from voice_mock.audio.devices import input_rate, pick_input

        self.device = pick_input(device)
        self._rate = input_rate(self.device, preferred_rate)
        self._block = max(1, round(self._rate * block_s))
        self._overflows = 0
        self._queue: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        self._stream: Any = None
        self._pump: threading.Thread | None = None
        self.error: str | None = None
        """Why the stream stopped early, when it did."""

    @property
    def sample_rate(self) -> int:
        return self._rate

    @property
    def overflows(self) -> int:
        return self._overflows

    def _audio_callback(self, indata: np.ndarray, _frames: int, _time: Any, status: Any) -> None:
        # PortAudio's thread: copy and enqueue only, never block.
        if status and status.input_overflow:
            self._overflows += 1
        self._queue.put(indata[:, 0].copy())

    def _finished(self) -> None:
        self._queue.put(None)

    def start(self, callback: BlockCallback) -> None:
        from voice_mock import quiet
        from voice_mock.audio.devices import sounddevice

        sd = sounddevice()
        blocks: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        self._queue = blocks  # a fresh queue per take, so a source can be started again

        def pump() -> None:
            while True:
                block = blocks.get()
                if block is None:
                    return
                callback(block)

        self._pump = threading.Thread(target=pump, name="mic-pump", daemon=True)
        self._pump.start()
        try:
            with quiet.native("opening the input stream"):
                self._stream = sd.InputStream(
                    device=self.device.index,
                    samplerate=self._rate,
                    channels=1,
                    dtype="int16",
                    blocksize=self._block,
                    callback=self._audio_callback,
                    finished_callback=self._finished,
                )
                self._stream.start()
        except Exception as exc:
            stream, self._stream = self._stream, None
            if stream is not None:  # made but would not start: do not leave it open
                with quiet.native("closing the input stream"), contextlib.suppress(Exception):
                    stream.close()
            self._queue.put(None)
            raise SourceError(
                f"The input device '{self.device.name}' could not be opened ({exc})."
            ) from None

    @property
    def active(self) -> bool:
        """False once the stream stopped on its own (device lost)."""
        return bool(self._stream is not None and self._stream.active)

    def stop(self) -> None:
        from voice_mock import quiet

        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                with quiet.native("closing the input stream"):
                    stream.stop()
                    stream.close()
            except Exception as exc:
                self.error = f"The input device reported an error when stopping ({exc})."
        self._queue.put(None)
        if self._pump is not None and self._pump is not threading.current_thread():
            self._pump.join(timeout=5)


class FileSource:
    """Plays an audio file's samples through the callback path, in real time or flat out.

    Used by tests and benchmarks (and by `--input FILE` style runs) so the
    recorder, the live recogniser and the practice turn are exercised exactly
    as with a microphone.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        realtime: bool = True,
        block_s: float = 0.1,
        rate: int = 16000,
        tail_silence_s: float = 0.0,
        loop_silence: bool = False,
    ) -> None:
        from voice_mock.audio.decode import load_audio

        samples, self._rate = load_audio(Path(path), rate=rate)
        with np.errstate(over="ignore"):  # absurd float samples overflow to inf; clipped
            pcm = np.clip(np.asarray(samples, dtype=np.float32) * 32768.0, -32768, 32767)
        self._samples = pcm.astype(np.int16)
        if tail_silence_s > 0:
            pad = np.zeros(round(tail_silence_s * self._rate), dtype=np.int16)
            self._samples = np.concatenate([self._samples, pad])
        self.realtime = realtime
        self.loop_silence = loop_silence
        """Keep sending silence after the file ends, like a quiet microphone, until stopped."""
        self._block = max(1, round(self._rate * block_s))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.delivered = threading.Event()
        """Set when every sample of the file has been delivered (silence may follow)."""
        self.finished = threading.Event()
        """Set when the source will deliver nothing more (the recorder then ends the take)."""

    @property
    def sample_rate(self) -> int:
        return self._rate

    @property
    def overflows(self) -> int:
        return 0

    @property
    def duration_s(self) -> float:
        return self._samples.size / self._rate

    def start(self, callback: BlockCallback) -> None:
        self._stop.clear()
        self.delivered.clear()
        self.finished.clear()

        def run() -> None:
            began = time.monotonic()
            sent = 0
            while not self._stop.is_set():
                if sent < self._samples.size:
                    block = self._samples[sent : sent + self._block]
                elif self.loop_silence:
                    self.delivered.set()
                    block = np.zeros(self._block, dtype=np.int16)
                else:
                    break
                callback(block.copy())
                sent += block.size
                if self.realtime:
                    delay = began + sent / self._rate - time.monotonic()
                    if delay > 0:
                        self._stop.wait(delay)
            self.delivered.set()
            self.finished.set()

        self._thread = threading.Thread(target=run, name="file-source", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
