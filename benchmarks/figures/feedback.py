"""Figure 1: feedback latency, from pressing stop to the report being saved.

Answers of 60 s (15 s in quick mode) are played in real time through
`PracticeTurn` by a `FileSource`; stop is pressed as soon as the last sample
has been delivered. The clock stops when the turn reaches ``done``, which it
does right after the store has written the transcript, the report and the
index row. The baseline is bare Vosk's time to recognise one second of the
same speech, so the ratio reads "feedback costs as much as recognising N s".
"""

from __future__ import annotations

from benchmarks.baselines import vosk_per_second
from benchmarks.live import turn_series
from benchmarks.runner import Context, Measurement, median


def run(ctx: Context) -> list[Measurement]:
    series = turn_series(ctx)
    turns = series["runs"]
    return [
        Measurement(
            key="feedback_latency_s",
            title="1. feedback latency (stop -> report saved)",
            unit="s",
            runs=[t.feedback_s for t in turns],
            target=0.3,
            baseline=vosk_per_second(ctx),
            notes=f"{series['seconds']:g} s answers, real time, {len(turns)} answers",
            extra={
                "answer_s": series["seconds"],
                "drain_s_median": median([t.drain_s for t in turns]),
                "final_result_s_median": median([t.finish_s for t in turns]),
                "analyse_and_save_s_median": median([t.analyse_save_s for t in turns]),
                "words_per_answer": [t.words for t in turns],
                "stopped_by": [t.stopped_by for t in turns],
                "feedback_s_each": [t.feedback_s for t in turns],
                "rss_trimmed_after_each_mb": [t.rss_trimmed_mb for t in turns],
            },
        )
    ]
