"""Figure 3: pipeline overhead of ``voice-mock analyze`` over bare Vosk on the same file.

`voice_mock.coach.analysis.analyze_input` (header check, decode, transcribe, audio
features, analysis) on a 10-minute recording (8 s in quick mode), against a
plain ``KaldiRecognizer.AcceptWaveform`` loop on 0.2 s chunks of the same
file, in the same process, with the model already loaded for both. Runs
alternate (bare, pipeline, pipeline, bare, ...) so drift hits both alike. The
target is on the ratio.
"""

from __future__ import annotations

import time

from benchmarks.baselines import bare_vosk
from benchmarks.runner import Baseline, Context, Measurement, median


def run(ctx: Context) -> list[Measurement]:
    from benchmarks.live import first_question
    from benchmarks.speech import model_path, speech_wav
    from voice_mock.coach.analysis import analyze_input
    from voice_mock.config import Settings
    from voice_mock.speech.stt import load_model

    seconds = ctx.pick(8.0, 600.0)
    pairs = ctx.pick(2, 2)
    model_dir = model_path()
    model = load_model(model_dir)
    wav = speech_wav(ctx.work, seconds)
    question = first_question()
    settings = Settings()

    def pipeline() -> float:
        began = time.perf_counter()
        analyze_input(wav, question=question, settings=settings, model_path=model_dir)
        return time.perf_counter() - began

    bare: list[float] = []
    full: list[float] = []
    for n in range(pairs):
        order = (bare_vosk, pipeline) if n % 2 == 0 else (pipeline, bare_vosk)
        for fn in order:
            if fn is bare_vosk:
                bare.append(bare_vosk(model, wav))
            else:
                full.append(pipeline())
        ctx.log(f"    pair {n + 1}/{pairs}: bare {bare[-1]:.2f} s, analyze_input {full[-1]:.2f} s")
    ctx.shared["bare_vosk_per_s"] = [b / seconds for b in bare]
    return [
        Measurement(
            key="pipeline_seconds",
            title="3. analyze pipeline vs bare Vosk",
            unit="s",
            runs=full,
            target=1.10,
            target_on="ratio",
            baseline=Baseline("bare Vosk AcceptWaveform loop, 0.2 s chunks, same file", bare),
            notes=f"{seconds:g} s file, {pairs} pairs",
            extra={
                "file_s": seconds,
                "pair_ratios": [f / b for f, b in zip(full, bare, strict=True)],
                "median_pair_ratio": median([f / b for f, b in zip(full, bare, strict=True)]),
                "realtime_factor_bare": median(bare) / seconds,
            },
        )
    ]
