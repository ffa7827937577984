"""`AudioFeatures` from samples: per-frame loudness, voice activity and pitch.

Everything is vectorised numpy so a ten-minute answer takes a second or two:
pitch is an FFT autocorrelation computed in blocks on voiced frames only.
"""

from __future__ import annotations

import numpy as np

from voice_mock.analysis.features import AudioFeatures
from voice_mock.audio.vad import FRAME_S, frame_measures, to_float, voiced_frames

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
    min_lag = max(2, int(np.floor(rate / PITCH_MAX_HZ)))
    max_lag = min(win - 2, int(np.ceil(rate / PITCH_MIN_HZ)))
    nfft = 1 << int(np.ceil(np.log2(2 * win)))
    padded = np.pad(x, (win, win))
    overlap = (win - np.arange(max_lag + 2)) / win
    offsets = np.arange(win)
    for start in range(0, frames.size, block):
        idx = frames[start : start + block]
        centres = (idx * hop + hop / 2).astype(np.int64) + win
        seg = padded[(centres - win // 2)[:, None] + offsets[None, :]]
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
        out[start : start + idx.size] = np.where(good, hz, np.nan)
    return out


def compute_features(samples: np.ndarray, rate: int, frame_s: float = FRAME_S) -> AudioFeatures:
    """Measure one recording for the analysis (loudness, voicing, pitch, clipping)."""
    x = to_float(samples)
    levels, zcr = frame_measures(x, rate, frame_s)
    voiced = voiced_frames(levels, zcr, frame_s)
    pitch: list[float | None] = [None] * levels.size
    voiced_idx = np.flatnonzero(voiced)
    if voiced_idx.size:
        hz = frame_pitch(x, rate, voiced_idx, frame_s)
        for i, value in zip(voiced_idx.tolist(), hz.tolist(), strict=True):
            if value == value:  # not NaN
                pitch[i] = round(float(value), 2)
    magnitude = np.abs(x)
    peak = float(magnitude.max()) if x.size else 0.0
    clipped = float(np.count_nonzero(magnitude >= CLIP_LEVEL) / x.size) if x.size else 0.0
    return AudioFeatures(
        frame_s=frame_s,
        rms_dbfs=tuple(round(float(v), 2) for v in levels),
        voiced=tuple(bool(v) for v in voiced),
        pitch_hz=tuple(pitch),
        peak=min(peak, 1.0),
        clipped_ratio=clipped,
        duration_s=x.size / rate if rate else 0.0,
    )
