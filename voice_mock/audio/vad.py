"""Voice activity: energy + zero-crossing decisions per 20 ms frame over an adaptive noise floor.

Two flavours share the same rules. `frame_measures`/`voiced_frames` work on a
whole recording at once (vectorised, used for `AudioFeatures`), and
`VoiceActivityDetector` works chunk by chunk while recording (level meter,
silence auto-stop). An absolute threshold alone fails in a noisy room and a
relative one alone fires on digital silence, so both are combined: a frame is
speech when it is well above the local noise floor *and* above an absolute
minimum; the zero-crossing rate separates voiced speech from hiss (fricatives
between vowels are bridged by the live detector's hangover).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FRAME_S = 0.02
"""Frame length and hop for every per-frame measure."""
SILENCE_DBFS = -100.0
"""Level reported for digital silence (log of zero is clamped here)."""
MIN_SPEECH_DBFS = -55.0
"""Nothing quieter than this counts as speech, whatever the noise floor."""
ABOVE_FLOOR_DB = 10.0
"""How far above the noise floor a frame must be to count as speech."""
MAX_VOICED_ZCR = 0.25
"""Zero crossings per sample above which a frame sounds like hiss, not voice."""


def to_float(samples: np.ndarray) -> np.ndarray:
    """Mono float samples in -1..1 from int16 or float input (stereo is averaged)."""
    x = np.asarray(samples)
    if x.ndim > 1:
        x = x.mean(axis=1) if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64).mean(1)
    if np.issubdtype(x.dtype, np.integer):
        return x.astype(np.float32) / 32768.0
    return x.astype(np.float32, copy=False)


def dbfs(rms: np.ndarray | float) -> np.ndarray:
    """RMS (0..1) to dBFS, with digital silence clamped to `SILENCE_DBFS`."""
    level = 20.0 * np.log10(np.maximum(np.asarray(rms, dtype=np.float64), 1e-5))
    return np.maximum(level, SILENCE_DBFS)


def frame_measures(
    samples: np.ndarray, rate: int, frame_s: float = FRAME_S
) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame level (dBFS) and zero-crossing rate of a whole recording, vectorised."""
    x = to_float(samples)
    size = max(1, round(rate * frame_s))
    n = x.size // size
    if x.size % size:
        n += 1
        x = np.pad(x, (0, n * size - x.size))
    if n == 0:
        return np.zeros(0), np.zeros(0)
    frames = x[: n * size].reshape(n, size).astype(np.float64)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    signs = np.signbit(frames)
    zcr = np.count_nonzero(signs[:, 1:] != signs[:, :-1], axis=1) / max(size - 1, 1)
    return dbfs(rms), zcr


def noise_floor(levels: np.ndarray, frame_s: float = FRAME_S, window_s: float = 5.0) -> np.ndarray:
    """Local noise floor: a running minimum over `window_s`, never above the quiet global part.

    The running minimum follows a room that gets noisier; capping it at the
    20th percentile + 6 dB keeps a long stretch of unbroken speech from being
    taken for noise.
    """
    if levels.size == 0:
        return levels
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    size = max(1, round(window_s / frame_s))
    local = minimum_filter1d(levels, size=size, mode="nearest")
    local = uniform_filter1d(local, size=max(1, size // 4), mode="nearest")
    cap = float(np.percentile(levels, 20)) + 6.0
    return np.minimum(local, cap)


def voiced_frames(levels: np.ndarray, zcr: np.ndarray, frame_s: float = FRAME_S) -> np.ndarray:
    """Speech decision per frame from `frame_measures` output."""
    if levels.size == 0:
        return np.zeros(0, dtype=bool)
    floor = noise_floor(levels, frame_s)
    above = levels - floor
    loud_enough = (above >= ABOVE_FLOOR_DB) & (levels >= MIN_SPEECH_DBFS)
    return np.asarray(loud_enough & (zcr <= MAX_VOICED_ZCR), dtype=bool)


@dataclass(slots=True)
class Activity:
    """What the live detector says about the latest chunk."""

    dbfs: float
    """Loudness of the chunk."""
    speaking: bool
    """Speech now (with a short hangover so gaps between words do not flicker)."""
    heard_speech: bool
    """Whether any speech has been heard since the start."""
    silence_s: float
    """Seconds since the last speech frame (0 while speaking; time since start before speech)."""


class VoiceActivityDetector:
    """Streaming VAD with an adaptive noise floor, fed chunks of any size.

    The floor falls at once to a quieter frame and rises slowly only while no
    speech is detected, so it tracks a fan switched on without learning the
    speaker's own voice as noise.
    """

    def __init__(self, rate: int, frame_s: float = FRAME_S, hangover_s: float = 0.3) -> None:
        self.rate = int(rate)
        self.frame = max(1, round(rate * frame_s))
        self.frame_s = self.frame / self.rate
        self.hangover_frames = max(1, round(hangover_s / self.frame_s))
        self._pending = np.zeros(0, dtype=np.float32)
        self._floor: float | None = None
        self._since_speech = 0
        self._frames_seen = 0
        self._heard = False
        self._last_db = SILENCE_DBFS

    def _frame_is_speech(self, frame: np.ndarray) -> tuple[float, bool]:
        level = float(dbfs(np.sqrt(np.mean(frame.astype(np.float64) ** 2))))
        signs = np.signbit(frame)
        zcr = float(np.count_nonzero(signs[1:] != signs[:-1])) / max(frame.size - 1, 1)
        floor = level if self._floor is None else self._floor
        above = level - floor
        speech = above >= ABOVE_FLOOR_DB and level >= MIN_SPEECH_DBFS and zcr <= MAX_VOICED_ZCR
        if level < floor:
            self._floor = level
        elif speech:
            self._floor = floor + (level - floor) * 0.0005
        else:
            self._floor = floor + (level - floor) * 0.05
        return level, speech

    def process(self, samples: np.ndarray) -> Activity:
        """Feed the next chunk; returns the chunk's level and the current decision."""
        x = np.concatenate([self._pending, to_float(samples)])
        n = x.size // self.frame
        levels = []
        for k in range(n):
            level, speech = self._frame_is_speech(x[k * self.frame : (k + 1) * self.frame])
            levels.append(level)
            self._frames_seen += 1
            if speech:
                self._since_speech = 0
                self._heard = True
            else:
                self._since_speech += 1
        self._pending = x[n * self.frame :]
        if levels:
            power = float(np.mean(10.0 ** (np.asarray(levels) / 10.0)))
            self._last_db = max(10.0 * math.log10(max(power, 1e-10)), SILENCE_DBFS)
        speaking = self._heard and self._since_speech < self.hangover_frames
        silence_frames = self._since_speech if self._heard else self._frames_seen
        return Activity(
            dbfs=self._last_db,
            speaking=speaking,
            heard_speech=self._heard,
            silence_s=0.0 if speaking else silence_frames * self.frame_s,
        )
