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


def vosk_per_second(ctx: Context) -> Baseline:
    """Bare Vosk's time to recognise one second of the benchmark speech.

    Taken from figure 3's bare runs when it ran (same process, same speech);
    otherwise measured here on 10 s of speech. A fresh recogniser's first
    decoding step is slow (the look-ahead graph is expanded lazily per
    recogniser), so a short clip would overstate the per-second cost.
    """
    runs = ctx.shared.get("bare_vosk_per_s")
    if not runs:
        from benchmarks.speech import model_path, speech_wav
        from voice_mock.speech.stt import load_model

        model = load_model(model_path())
        wav = speech_wav(ctx.work, 10.0)
        runs = [bare_vosk(model, wav) / 10.0 for _ in range(ctx.pick(2, 3))]
        ctx.shared["bare_vosk_per_s"] = runs
    return Baseline("bare Vosk, per second of speech", list(runs))
