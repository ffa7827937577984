"""Figure 2: streaming lag, how far recognised words trail the audio while recording.

From the same real-time answers as figure 1: the n-th word of the final
transcript counts as shown when the live text (what the app displays) first
held n words; its lag is that moment minus the moment the word ended in the
audio. The baseline is
the recogniser's own look-ahead: the same speech fed flat out in the
recorder's 0.15 s chunks, where the lag is the audio already fed minus the
word's end (no clock, no threads, no queues): what no app can beat.

Note: `FileSource` hands over each 0.1 s block at its start, a microphone at
its end, so a microphone adds up to one block (0.05 s with sounddevice) to
these lags.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.live import LagLog, turn_series
from benchmarks.runner import Baseline, Context, Measurement, median


def lookahead_lags(ctx: Context, wav: Path, chunk_s: float = 0.15) -> list[float]:
    """Lags in audio seconds when the speech is fed as fast as the recogniser takes it."""
    from benchmarks.baselines import wav_pcm
    from benchmarks.speech import model_path
    from voice_mock.speech.stt import StreamingRecognizer

    pcm, rate = wav_pcm(wav)
    recognizer = StreamingRecognizer(model_path(), rate)
    log = LagLog(zero=0.0)
    step = int(rate * chunk_s) * 2
    for offset in range(0, len(pcm), step):
        recognizer.accept(pcm[offset : offset + step])
        log.note(recognizer.live_text, recognizer.accepted_seconds)
    transcript = recognizer.finish()
    return log.lags([w.end for w in transcript.words])


def run(ctx: Context) -> list[Measurement]:
    series = turn_series(ctx)
    turns = [t for t in series["runs"] if t.lags]
    if not turns:
        raise RuntimeError("the recogniser reported no words while recording")
    pooled = [lag for t in turns for lag in t.lags]
    ahead = lookahead_lags(ctx, series["wav"])
    base = Baseline("recogniser look-ahead (flat-out feed, 0.15 s chunks)", [median(ahead)])
    base_max = Baseline("recogniser look-ahead, max", [max(ahead)])
    quantiles = statistics.quantiles(pooled, n=10) if len(pooled) > 1 else pooled
    extra = {
        "words_timed": len(pooled),
        "pooled_median_s": median(pooled),
        "pooled_p90_s": quantiles[-1],
        "pooled_max_s": max(pooled),
        "lookahead_words": len(ahead),
    }
    return [
        Measurement(
            key="streaming_lag_median_s",
            title="2. streaming lag",
            unit="s",
            runs=[median(t.lags) for t in turns],
            target=0.5,
            baseline=base,
            notes="per-answer medians; pooled figures in extra",
            extra=extra,
        ),
        Measurement(
            key="streaming_lag_max_s",
            title="2. streaming lag",
            unit="s",
            runs=[max(t.lags) for t in turns],
            target=1.5,
            stat="max",
            baseline=base_max,
        ),
    ]
