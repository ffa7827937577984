"""`AudioFeatures` from samples: per-frame loudness, voice activity and pitch.

Everything is vectorised numpy so a ten-minute answer takes a second or two:
pitch is an FFT autocorrelation computed in blocks on voiced frames only.
"""

from __future__ import annotations

import threading

import numpy as np

from voice_mock.analysis.features import AudioFeatures
from voice_mock.audio.vad import (
    FRAME_S,
    MAX_VOICED_ZCR,
    MIN_SPEECH_DBFS,
    frame_measures,
    to_float,
    voiced_frames,
)

PITCH_MIN_HZ = 70.0
PITCH_MAX_HZ = 400.0
PITCH_WINDOW_S = 0.04
"""Analysis window for pitch: two periods of the lowest pitch we look for."""
PITCH_RATE = 16000
"""Pitch is measured at this rate (higher rates are brought down first) to bound the cost."""
MIN_PERIODICITY = 0.5
"""Normalised autocorrelation peak below which a frame's pitch is reported as unsure."""
CLIP_LEVEL = 0.99


def frame_pitch(
    samples: np.ndarray,
    rate: int,
    frames: np.ndarray,
    frame_s: float = FRAME_S,
    *,
    block: int = 512,
) -> np.ndarray:
    """Pitch in Hz for the frame indexes in `frames` (NaN where not periodic enough).

    For each frame a `PITCH_WINDOW_S` window centred on it is mean-removed and
    autocorrelated through the FFT; the autocorrelation is unbiased (divided by
    the overlap) and normalised by lag 0. Among lags of 70-400 Hz the first one
    within 90% of the best peak is chosen, which avoids the classic octave-down
    error on strongly periodic voices, then refined by parabolic interpolation.
    """
    x = to_float(samples).astype(np.float64)
    if rate > PITCH_RATE:
        from scipy.signal import resample_poly

        g = int(np.gcd(int(rate), PITCH_RATE))
        x = resample_poly(x, PITCH_RATE // g, int(rate) // g)
        rate = PITCH_RATE
    out = np.full(frames.size, np.nan)
    if frames.size == 0 or x.size == 0:
        return out
    win = round(rate * PITCH_WINDOW_S)
    hop = rate * frame_s
    padded = np.pad(x, (win, win))
    offsets = np.arange(win)
    for start in range(0, frames.size, block):
        idx = frames[start : start + block]
        centres = (idx * hop + hop / 2).astype(np.int64) + win
        seg = padded[(centres - win // 2)[:, None] + offsets[None, :]]
        out[start : start + idx.size] = segments_pitch(seg, rate)
    return out


def segments_pitch(seg: np.ndarray, rate: int) -> np.ndarray:
    """Pitch in Hz of each row of `seg` (float64 windows of `PITCH_WINDOW_S`), NaN if unsure.

    Shared by `frame_pitch` (whole recordings) and `FeatureAccumulator` (live),
    so both give the same numbers for the same window.
    """
    win = seg.shape[1]
    min_lag = max(2, int(np.floor(rate / PITCH_MAX_HZ)))
    max_lag = min(win - 2, int(np.ceil(rate / PITCH_MIN_HZ)))
    nfft = 1 << int(np.ceil(np.log2(2 * win)))
    overlap = (win - np.arange(max_lag + 2)) / win
    if seg.shape[0] == 0:
        return np.zeros(0)
    seg = seg - seg.mean(axis=1, keepdims=True)
    spec = np.fft.rfft(seg, n=nfft, axis=1)
    ac = np.fft.irfft(spec * np.conj(spec), n=nfft, axis=1)[:, : max_lag + 2]
    energy = ac[:, :1]
    ok = energy[:, 0] > 1e-9
    norm = ac / np.where(energy > 1e-12, energy, 1.0) / overlap[None, :]
    band = norm[:, min_lag : max_lag + 1]
    best = band.max(axis=1)
    first = np.argmax(band >= 0.9 * best[:, None], axis=1)
    # Move from the first qualifying lag to its local peak.
    lag = first + min_lag
    for _ in range(8):
        nxt = np.minimum(lag + 1, max_lag)
        better = norm[np.arange(lag.size), nxt] > norm[np.arange(lag.size), lag]
        if not better.any():
            break
        lag = np.where(better, nxt, lag)
    rows = np.arange(lag.size)
    left = norm[rows, lag - 1]
    mid = norm[rows, lag]
    right = norm[rows, np.minimum(lag + 1, max_lag + 1)]
    denom = left - 2 * mid + right
    shift = np.where(np.abs(denom) > 1e-12, 0.5 * (left - right) / denom, 0.0)
    shift = np.clip(shift, -0.5, 0.5)
    hz = rate / (lag + shift)
    good = ok & (mid >= MIN_PERIODICITY) & (hz >= PITCH_MIN_HZ) & (hz <= PITCH_MAX_HZ)
    return np.where(good, hz, np.nan)


def compute_features(samples: np.ndarray, rate: int, frame_s: float = FRAME_S) -> AudioFeatures:
    """Measure one recording for the analysis (loudness, voicing, pitch, clipping)."""
    x = to_float(samples)
    levels, zcr = frame_measures(x, rate, frame_s)
    voiced = voiced_frames(levels, zcr, frame_s)
    voiced_idx = np.flatnonzero(voiced)
    hz = frame_pitch(x, rate, voiced_idx, frame_s) if voiced_idx.size else np.zeros(0)
    magnitude = np.abs(x)
    peak = float(magnitude.max()) if x.size else 0.0
    clipped = float(np.count_nonzero(magnitude >= CLIP_LEVEL) / x.size) if x.size else 0.0
    return _assemble(levels, voiced, voiced_idx, hz, peak, clipped, x.size, rate, frame_s)


def _assemble(
    levels: np.ndarray,
    voiced: np.ndarray,
    voiced_idx: np.ndarray,
    hz: np.ndarray,
    peak: float,
    clipped: float,
    n_samples: int,
    rate: int,
    frame_s: float,
) -> AudioFeatures:
    pitch: list[float | None] = [None] * levels.size
    for i, value in zip(voiced_idx.tolist(), hz.tolist(), strict=True):
        if value == value:  # not NaN
            pitch[i] = round(float(value), 2)
    return AudioFeatures(
        frame_s=frame_s,
        rms_dbfs=tuple(round(float(v), 2) for v in levels),
        voiced=tuple(bool(v) for v in voiced),
        pitch_hz=tuple(pitch),
        peak=min(peak, 1.0),
        clipped_ratio=clipped,
        duration_s=n_samples / rate if rate else 0.0,
    )


class FeatureAccumulator:
    """`compute_features` done chunk by chunk while the answer is recorded (a recorder listener).

    Re-reading a long answer and measuring its pitch after the user stops took
    most of the wait for the report, so each chunk is measured as it arrives
    (on the listener's own thread, never the writer's): level and zero-crossing
    rate per frame, and pitch for every frame that could turn out voiced (loud
    enough and not hiss). Whether a frame is voiced depends on the noise floor
    of the whole answer, so only that decision is left for `finish()`. Only the
    few samples still needed for the next pitch windows are kept, except at
    device rates above `PITCH_RATE`, where pitch needs the whole resampled
    signal and is measured in `finish()`.
    """

    def __init__(self, rate: int, frame_s: float = FRAME_S) -> None:
        self.rate = int(rate)
        self.frame_s = frame_s
        self._size = max(1, round(self.rate * frame_s))
        self._hop = self.rate * frame_s
        self._win = round(self.rate * PITCH_WINDOW_S)
        self._live_pitch = self.rate <= PITCH_RATE
        self._lock = threading.Lock()
        self._buf = np.zeros(0, dtype=np.float32)
        """Samples from `_buf_start` to the end of what was received."""
        self._buf_start = 0
        self._total = 0
        self._measured = 0
        self._levels: list[np.ndarray] = []
        self._zcr: list[np.ndarray] = []
        self._candidates: list[int] = []
        """Frames that may be voiced and still wait for their pitch window to be complete."""
        self._pitch: dict[int, float] = {}
        self._peak = 0.0
        self._clipped = 0
        self._whole: list[np.ndarray] = []
        self._result: AudioFeatures | None = None
        self._finished = False

    @property
    def samples(self) -> int:
        """Samples received so far (to check that no chunk was missed)."""
        return self._total

    def __call__(self, pcm16: bytes) -> None:
        """Take the next int16 little-endian mono chunk."""
        x = to_float(np.frombuffer(pcm16, dtype="<i2"))
        with self._lock:
            if self._finished:
                raise RuntimeError("this feature accumulator has finished")
            if self._total == 0:
                # The voicing decision in `finish()` needs scipy.ndimage (~0.3 s to
                # import); import it now, on this thread, not after the user stops.
                import scipy.ndimage  # noqa: F401
            self._total += x.size
            if x.size:
                magnitude = np.abs(x)
                self._peak = max(self._peak, float(magnitude.max()))
                self._clipped += int(np.count_nonzero(magnitude >= CLIP_LEVEL))
            if not self._live_pitch:
                self._whole.append(x)
            self._buf = np.concatenate([self._buf, x])
            self._measure(final=False)
            self._measure_pitch(final=False)
            self._trim()

    def finish(self) -> AudioFeatures | None:
        """The features of everything received, or None when nothing was (idempotent)."""
        with self._lock:
            if not self._finished:
                self._finished = True
                self._measure(final=True)
                self._measure_pitch(final=True)
                self._result = self._features()
            return self._result

    # --- inside the lock -----------------------------------------------------------

    def _measure(self, *, final: bool) -> None:
        size = self._size
        end = self._total // size + (1 if final and self._total % size else 0)
        n = end - self._measured
        if n <= 0:
            return
        first = self._measured * size - self._buf_start
        chunk = self._buf[first : first + n * size]
        if chunk.size < n * size:
            chunk = np.pad(chunk, (0, n * size - chunk.size))
        levels, zcr = frame_measures(chunk, self.rate, self.frame_s)
        self._levels.append(levels)
        self._zcr.append(zcr)
        maybe_voiced = (levels >= MIN_SPEECH_DBFS) & (zcr <= MAX_VOICED_ZCR)
        if self._live_pitch:
            self._candidates.extend((np.flatnonzero(maybe_voiced) + self._measured).tolist())
        self._measured = end

    def _window_start(self, frame: int) -> int:
        # As in `frame_pitch`: a window of `_win` samples centred on the frame.
        return int(frame * self._hop + self._hop / 2) - self._win // 2

    def _measure_pitch(self, *, final: bool) -> None:
        if not self._candidates:
            return
        win = self._win
        idx = np.asarray(self._candidates, dtype=np.int64)
        starts = (idx * self._hop + self._hop / 2).astype(np.int64) - win // 2
        if not final:
            ready = int(np.count_nonzero(starts + win <= self._total))
            idx, starts = idx[:ready], starts[:ready]
        if idx.size == 0:
            return
        # Zeros outside the recording, as `frame_pitch` pads the whole signal.
        padded = np.pad(self._buf.astype(np.float64), (win, win))
        seg = padded[(starts - self._buf_start + win)[:, None] + np.arange(win)[None, :]]
        for frame, value in zip(idx.tolist(), segments_pitch(seg, self.rate).tolist(), strict=True):
            if value == value:  # not NaN
                self._pitch[frame] = value
        del self._candidates[: idx.size]

    def _trim(self) -> None:
        keep = min(self._measured * self._size, self._window_start(self._measured))
        if self._candidates:
            keep = min(keep, self._window_start(self._candidates[0]))
        if keep > self._buf_start:
            self._buf = self._buf[keep - self._buf_start :]
            self._buf_start = keep

    def _features(self) -> AudioFeatures | None:
        if self._total == 0:
            return None
        levels = np.concatenate(self._levels)
        zcr = np.concatenate(self._zcr)
        voiced = voiced_frames(levels, zcr, self.frame_s)
        voiced_idx = np.flatnonzero(voiced)
        if self._live_pitch:
            hz = np.array([self._pitch.get(i, np.nan) for i in voiced_idx.tolist()])
        elif voiced_idx.size:
            hz = frame_pitch(np.concatenate(self._whole), self.rate, voiced_idx, self.frame_s)
        else:
            hz = np.zeros(0)
        clipped = self._clipped / self._total
        return _assemble(
            levels,
            voiced,
            voiced_idx,
            hz,
            self._peak,
            clipped,
            self._total,
            self.rate,
            self.frame_s,
        )
