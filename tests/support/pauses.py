"""Answers with pauses in them: speech files and stretches of silence joined into one WAV.

The practice-session tests need "speak, think for 6 s, speak again" as real
audio, for the file microphone and for the PulseAudio null sink alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soundfile as sf


def joined(parts: Sequence[Path | float], out: Path, rate: int = 16000) -> Path:
    """Write `parts` one after another into `out`: a path is its audio (at `rate`), a number
    that many seconds of silence."""
    pieces: list[np.ndarray] = []
    for part in parts:
        if isinstance(part, Path):
            data, got = sf.read(part, dtype="float32", always_2d=False)
            if data.ndim > 1:
                data = data.mean(axis=1)
            if got != rate:
                raise ValueError(f"{part} is at {got} Hz, not {rate}")
            pieces.append(np.asarray(data, dtype=np.float32))
        else:
            pieces.append(np.zeros(round(float(part) * rate), dtype=np.float32))
    sf.write(out, np.concatenate(pieces), rate, subtype="PCM_16")
    return out


def duration(path: Path) -> float:
    return float(sf.info(path).duration)
