"""Figure 5: memory, peak RSS over a long live session and RSS across consecutive answers.

Peak: the highest resident size of this process during the 10-minute (quick:
30 s) live session of figure 6 (model loaded before it; the baseline is the
RSS just before the session, so the ratio is how much the session adds).
Growth: the C heap in use (glibc ``mallinfo2``: memory handed out and not
had back, in every arena) after each of the consecutive answers of figure 1;
the figure is the least-squares slope in MiB per answer from the second
answer on (the first pays one-off imports and caches), which must stay near
zero: a leak of recordings, transcripts or recognisers would show as a steady
rise. The RSS slope (after ``malloc_trim``) is reported beside it without a
target: Vosk allocates on several threads, and the freed memory glibc keeps in
their arenas moves RSS by tens of MiB between answers (40 answers measured on
2026-11-30: heap in use 525.88 -> 525.96 MiB, trimmed RSS 683-706 MiB with no
trend).
"""

from __future__ import annotations

from benchmarks.live import long_session, turn_series
from benchmarks.runner import Baseline, Context, Measurement


def slope(values: list[float]) -> float:
    """Least-squares slope of `values` against their index (0 for fewer than two)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den


def run(ctx: Context) -> list[Measurement]:
    session = long_session(ctx)
    series = turn_series(ctx)
    rss = [t.rss_after_mb for t in series["runs"]]
    trimmed = [t.rss_trimmed_mb for t in series["runs"]]
    heap = [t.heap_in_use_mb for t in series["runs"] if t.heap_in_use_mb is not None]
    return [
        Measurement(
            key="peak_rss_mb",
            title="5. peak RSS, long live session",
            unit="MiB",
            runs=[session.peak_mb],
            baseline=Baseline(
                "RSS before the session (model loaded)", [session.rss_before_mb], "MiB"
            ),
            notes=f"{session.seconds:g} s session via {session.source}",
            extra={
                "session_s": session.seconds,
                "source": session.source,
                "sampled_peak_mb": session.sampled_peak_mb,
                "kernel_peak_mb": session.kernel_peak_mb,
                "rss_after_session_mb": session.turn.rss_after_mb,
            },
        ),
        Measurement(
            key="heap_growth_mb_per_answer",
            title="5. heap growth per answer",
            unit="MiB",
            runs=[slope(heap[1:] if len(heap) > 2 else heap)] if heap else [],
            target=1.0,
            error=None if heap else "mallinfo2 is not available (not glibc >= 2.33)",
            notes=f"C heap in use after each of {len(heap)} answers: "
            + ", ".join(f"{h:.2f}" for h in heap),
            extra={"heap_in_use_after_each_mb": heap},
        ),
        Measurement(
            key="rss_growth_mb_per_answer",
            title="5. RSS growth per answer",
            unit="MiB",
            runs=[slope(trimmed[1:] if len(trimmed) > 2 else trimmed)],
            notes=f"RSS after each of {len(rss)} answers (raw / after malloc_trim): "
            + ", ".join(f"{r:.0f}/{t:.0f}" for r, t in zip(rss, trimmed, strict=True))
            + "; freed memory the allocator keeps moves it by tens of MiB either way",
            extra={
                "rss_after_each_mb": rss,
                "rss_trimmed_after_each_mb": trimmed,
                "raw_slope_mb_per_answer": slope(rss),
                "trimmed_slope_all_answers_mb": slope(trimmed),
                "rss_before_first_mb": series["rss_before_mb"],
            },
        ),
    ]
