"""Telephone-line simulation for phone-interview practice.

A landline carries roughly 300-3400 Hz at 8 kHz sampling; hearing questions
(and optionally one's own answer) through that band shows how thin a voice
sounds on the phone, which is why the report gives phone-specific advice.
"""

from __future__ import annotations

import numpy as np

PHONE_LOW_HZ = 300.0
PHONE_HIGH_HZ = 3400.0
PHONE_RATE = 8000


def phone_filter(
    samples: np.ndarray, rate: int, *, keep_rate: bool = True
) -> tuple[np.ndarray, int]:
    """Band-limit `samples` to the telephone band and pass them through an 8 kHz line.

    The signal is band-passed (6th-order Butterworth, zero phase) then resampled
    to 8 kHz; with `keep_rate` it is brought back to `rate` so any output device
    that accepted the original rate plays it unchanged. Returns float32 samples
    and their rate.
    """
    from scipy.signal import butter, resample_poly, sosfiltfilt

    x = np.asarray(samples, dtype=np.float64)
    if x.ndim > 1:
        x = x.mean(axis=1)
    if x.size == 0:
        return x.astype(np.float32), (rate if keep_rate else PHONE_RATE)
    if np.issubdtype(np.asarray(samples).dtype, np.integer):
        x = x / 32768.0
    nyquist = rate / 2.0
    high = min(PHONE_HIGH_HZ, nyquist * 0.95)
    sos = butter(6, [PHONE_LOW_HZ, high], btype="bandpass", fs=rate, output="sos")
    padlen = min(x.size - 1, 3 * (2 * len(sos) + 1))
    banded = sosfiltfilt(sos, x, padlen=max(padlen, 0))
    g = int(np.gcd(int(rate), PHONE_RATE))
    line = resample_poly(banded, PHONE_RATE // g, int(rate) // g)
    if not keep_rate:
        return line.astype(np.float32), PHONE_RATE
    back = resample_poly(line, int(rate) // g, PHONE_RATE // g)
    back = back[: x.size]
    if back.size < x.size:
        back = np.pad(back, (0, x.size - back.size))
    return np.clip(back, -1.0, 1.0).astype(np.float32), int(rate)
