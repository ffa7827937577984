"""Baselines measured in the same run, so each timing also reads as a ratio.

The bare Vosk loop is what any recogniser-based tool must pay: a
`KaldiRecognizer` fed 16-bit PCM in 0.2 s slices, words on (as the app asks
for them), final result at the end. Nothing of voice-mock is involved.
"""

from __future__ import annotations

import time
import wave
from pathlib import Path
from typing import Any

from benchmarks.runner import Baseline, Context


def wav_pcm(path: Path) -> tuple[bytes, int]:
    """The raw 16-bit PCM frames and rate of a mono WAV file."""
    with wave.open(str(path), "rb") as handle:
        return handle.readframes(handle.getnframes()), handle.getframerate()


def bare_vosk(model: Any, path: Path, chunk_s: float = 0.2) -> float:
    """Seconds for a plain ``AcceptWaveform`` loop over the file (reading it included)."""
    import vosk

    began = time.perf_counter()
    pcm, rate = wav_pcm(path)
    recognizer = vosk.KaldiRecognizer(model, float(rate))
    recognizer.SetWords(True)
    step = int(rate * chunk_s) * 2
    for offset in range(0, len(pcm), step):
        if recognizer.AcceptWaveform(pcm[offset : offset + step]):
            recognizer.Result()
    recognizer.FinalResult()
    return time.perf_counter() - began


def vosk_per_second(ctx: Context, runs: int = 5) -> Baseline:
    """Bare Vosk's time to recognise one second of the benchmark speech (cached per run).

    Measured on 2 s of speech and divided by 2, so the recogniser's set-up is
    part of it as it is part of closing an answer.
    """
    cached = ctx.shared.get("vosk_per_second")
    if cached is not None:
        return Baseline(cached.name, list(cached.runs), cached.unit)
    from benchmarks.speech import model_path, speech_wav
    from voice_mock.speech.stt import load_model

    model = load_model(model_path())
    wav = speech_wav(ctx.work, 2.8)
    bare_vosk(model, wav)  # warm caches
    values = [bare_vosk(model, wav) / 2.8 for _ in range(runs)]
    base = Baseline("bare Vosk, per second of speech", values)
    ctx.shared["vosk_per_second"] = base
    return base
