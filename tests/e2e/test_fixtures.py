"""The shared fixtures themselves work: real speech, a real null sink round trip."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.pulse import PulseSink
from tests.support.speech import KOREAN_ANSWER


@pytest.mark.audio
def test_null_sink_round_trip(pulse_sink: PulseSink, espeak_ko: Callable[..., Path]) -> None:
    import sounddevice as sd

    wav = espeak_ko(KOREAN_ANSWER)
    frames: list[np.ndarray] = []

    def callback(indata: np.ndarray, _n: int, _t: object, _status: object) -> None:
        frames.append(indata.copy())

    with sd.InputStream(samplerate=16000, channels=1, dtype="float32", callback=callback):
        time.sleep(0.2)
        assert pulse_sink.play(wav).wait(timeout=30) == 0
        time.sleep(0.2)
    recorded = np.concatenate(frames)[:, 0]
    source, _ = sf.read(wav, dtype="float32")
    assert len(recorded) >= len(source) * 0.9
    assert np.sqrt(np.mean(recorded**2)) > 0.01
