"""Play a WAV file or samples through sounddevice, stoppable from another thread.

Questions and replays go through here (never through pyttsx3's own `aplay`)
so one device choice, one phone filter and one stop button apply to all.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from voice_mock.errors import UserError


def _load(path: Path) -> tuple[np.ndarray, int]:
    """Samples at the file's own rate (the output device resamples if it must).

    Read through a descriptor like every audio file (any file name works, a
    FIFO is refused rather than waited on); NaN or infinite samples are
    silenced before they reach the device.
    """
    import soundfile as sf

    from voice_mock.audio.decode import finite, open_regular

    fd = open_regular(path)
    try:
        data, rate = sf.read(fd, dtype="float32", always_2d=True, closefd=False)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise UserError(f"{path} could not be played ({exc}).") from None
    except OSError as exc:
        raise UserError(f"{path} could not be read: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)
    return finite(data).mean(axis=1).astype(np.float32), int(rate)


class Player:
    """One playback at a time; `stop()` from any thread ends it within one block."""

    def __init__(self, device: int | str | None = None, block_s: float = 0.05) -> None:
        self.device = device
        self.block_s = block_s
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def stop(self) -> None:
        self._stop.set()

    def play(
        self,
        audio: Path | str | np.ndarray,
        rate: int | None = None,
        *,
        phone: bool = False,
        volume: float = 1.0,
    ) -> bool:
        """Play and block until done; returns False when stopped early.

        `audio` is a file path, or float/int16 samples with their `rate`.
        """
        if isinstance(audio, np.ndarray):
            if rate is None:
                raise ValueError("rate is required when playing samples")
            from voice_mock.audio.vad import to_float

            samples = to_float(audio)
        else:
            samples, rate = _load(Path(audio))
        if phone:
            from voice_mock.audio.phone import phone_filter

            samples, rate = phone_filter(samples, rate)
        samples = np.clip(samples * float(volume), -1.0, 1.0).astype(np.float32)
        with self._lock:
            self._stop.clear()
            return self._play(samples, int(rate))

    def _play(self, samples: np.ndarray, rate: int) -> bool:
        from voice_mock import quiet
        from voice_mock.audio.devices import pick_output, sounddevice

        sd = sounddevice()
        device = pick_output(self.device)
        done = threading.Event()
        position = 0

        def callback(outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
            nonlocal position
            chunk = samples[position : position + frames]
            outdata[: chunk.size, 0] = chunk
            outdata[chunk.size :, 0] = 0
            position += chunk.size
            if chunk.size < frames or self._stop.is_set():
                raise sd.CallbackStop

        stream = None
        try:
            with quiet.native("opening the output stream"):
                stream = sd.OutputStream(
                    device=device.index,
                    samplerate=rate,
                    channels=1,
                    dtype="float32",
                    blocksize=max(1, round(rate * self.block_s)),
                    callback=callback,
                    finished_callback=done.set,
                )
                stream.start()
        except Exception as exc:
            if stream is not None:
                _close(stream)
            raise UserError(f"The output device '{device.name}' could not play ({exc}).") from None
        duration = samples.size / rate
        try:
            # Wake at least every 0.1 s so a stop works even if the device stalls.
            deadline = duration + 5.0
            waited = 0.0
            while not done.wait(0.1):
                waited += 0.1
                if self._stop.is_set() or waited > deadline:
                    break
        finally:
            problem = _close(stream)
        if problem is not None:
            raise UserError(f"The output device '{device.name}' failed while playing ({problem}).")
        return not self._stop.is_set()


def _close(stream: Any) -> Exception | None:
    """Stop (letting the last block play out, which close() alone would cut) and close."""
    from voice_mock import quiet

    try:
        with quiet.native("closing the output stream"):
            stream.stop()
            stream.close()
    except Exception as exc:
        return exc
    return None


def play(
    audio: Path | str | np.ndarray,
    rate: int | None = None,
    *,
    device: int | str | None = None,
    phone: bool = False,
) -> bool:
    """Play once on `device` (blocking); see `Player.play`."""
    return Player(device).play(audio, rate, phone=phone)
