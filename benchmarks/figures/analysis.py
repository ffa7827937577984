"""Figure 8: analysis at scale, `voice_mock.analysis.report.analyze` on a 60-minute transcript.

A seeded synthetic English transcript in Vosk's form (about 9,000 words with
fillers, repetitions, pauses and long pauses; see `benchmarks.transcripts`)
is parsed once into a `Transcript`; the figure times `analyze` alone, with a
real bundled question so coverage and structure do their full work. The
baseline is ``json.loads`` of the same transcript text: the cheapest thing any
tool must do with it. A plain Python loop over the words is reported too.
"""

from __future__ import annotations

import json
import time
from typing import Any

from benchmarks.runner import Baseline, Context, Measurement


def measure(minutes: float = 60.0, runs: int = 7, question: Any = None) -> list[Measurement]:
    """Time `analyze` on `minutes` of transcript, `runs` times, with both baselines."""
    from benchmarks.transcripts import transcript_json
    from voice_mock.analysis.report import analyze
    from voice_mock.transcript import Transcript

    text = transcript_json(minutes)
    transcript = Transcript.from_vosk(json.loads(text))
    words = transcript.words

    def loop() -> int:
        count = 0
        for word in words:
            if word.end - word.start > 0.0 and word.text:
                count += 1
        return count

    analyze(transcript, question)  # warm: imports, regex compilation
    timings: list[float] = []
    loads: list[float] = []
    loops: list[float] = []
    report: Any = None
    for _ in range(runs):
        began = time.perf_counter()
        json.loads(text)
        loads.append(time.perf_counter() - began)
        began = time.perf_counter()
        report = analyze(transcript, question)
        timings.append(time.perf_counter() - began)
        began = time.perf_counter()
        loop()
        loops.append(time.perf_counter() - began)
    data = report.to_dict() if report is not None else {}
    return [
        Measurement(
            key="analysis_s",
            title="8. analysis at scale",
            unit="s",
            runs=timings,
            target=0.1,
            baseline=Baseline("json.loads of the same transcript", loads),
            notes=f"{minutes:g} min transcript, {len(words)} tokens",
            extra={
                "minutes": minutes,
                "tokens": len(words),
                "word_loop_s": loops,
                "ratio_to_word_loop": sorted(timings)[len(timings) // 2]
                / max(sorted(loops)[len(loops) // 2], 1e-9),
                "report_word_count": data.get("word_count"),
                "report_fillers_total": (data.get("fillers") or {}).get("total"),
                "report_pause_count": (data.get("pauses") or {}).get("count"),
            },
        )
    ]


def run(ctx: Context) -> list[Measurement]:
    from benchmarks.live import first_question

    return measure(60.0, ctx.pick(5, 15), first_question())
