"""Audio measurements handed to the analysis (computed by `voice_mock.audio.features`).

Kept here as plain data so the analysis stays pure: it never sees samples,
only these per-frame measures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AudioFeatures:
    """Per-frame measures of one recording, frame k covering [k*frame_s, (k+1)*frame_s)."""

    frame_s: float
    """Frame hop in seconds (e.g. 0.02)."""
    rms_dbfs: tuple[float, ...]
    """Loudness of each frame in dBFS (0 = full scale; silence around -90)."""
    voiced: tuple[bool, ...]
    """Voice activity decision for each frame (speech-like energy and spectrum)."""
    pitch_hz: tuple[float | None, ...]
    """Fundamental frequency of each voiced frame, None where unvoiced or unsure."""
    peak: float
    """Largest absolute sample value, 0..1 (1.0 means clipping is likely)."""
    clipped_ratio: float
    """Share of samples at or beyond 0.99 full scale."""
    duration_s: float
    """Length of the recording."""
