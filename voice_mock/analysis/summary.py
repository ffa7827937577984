"""Judgements across answers: a mock interview's weakest habits, one attempt against another.

Pure, like the rest of the analysis, so the app, the command line and the
exports rank habits and compare attempts the same way. Whether an average
is a habit to fix is the analysis' own verdict on it with the user's
thresholds; the ranking only orders those that are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from voice_mock.analysis.fillers import fillers_verdict
from voice_mock.analysis.report import coverage_level
from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.timing import pace_verdict
from voice_mock.analysis.verdicts import Level


@dataclass(frozen=True, slots=True)
class Habit:
    """A habit worth working on across answers, with how bad it is (higher is worse)."""

    metric: str
    severity: float
    text: str


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def weakest_habits(
    reports: Sequence[SavedReport], thresholds: Thresholds, *, skipped: int = 0
) -> list[Habit]:
    """The habits to work on first, worst first; empty when none stands out."""
    t = thresholds
    habits: list[Habit] = []
    per_min = _mean([r.fillers.per_minute for r in reports if r.fillers.per_minute is not None])
    if per_min is not None and fillers_verdict(per_min, t).level != Level.GOOD:
        words: Counter[str] = Counter()
        for report in reports:
            words.update(report.fillers.counts)
        top = ", ".join(f'"{w}"' for w, _ in words.most_common(3))
        habits.append(
            Habit(
                "fillers",
                per_min / max(t.fillers_fluent_per_min, 0.1),
                f"Filler words: {per_min:.1f} a minute (mostly {top}).",
            )
        )
    pace = _mean([r.wpm for r in reports if r.wpm is not None and r.wpm > 0])
    if pace is not None:
        verdict = pace_verdict(pace, t)
        band = f"aim for {t.wpm_target_low:.0f}-{t.wpm_target_high:.0f}"
        if verdict.level != Level.GOOD and pace < t.wpm_target_low:
            habits.append(
                Habit("pace", t.wpm_target_low / pace, f"Pace: {pace:.0f} wpm is slow; {band}.")
            )
        elif verdict.level != Level.GOOD:
            habits.append(
                Habit("pace", pace / t.wpm_target_high, f"Pace: {pace:.0f} wpm is rushed; {band}.")
            )
    long_pauses = sum(r.pauses.long_count or 0 for r in reports)
    if long_pauses and reports:
        habits.append(
            Habit("pauses", 1 + long_pauses / len(reports), f"Long pauses: {long_pauses} in all.")
        )
    ratios = [r.coverage.ratio for r in reports if r.coverage.ratio is not None]
    cover = _mean(ratios)
    if cover is not None and coverage_level(cover, t) != Level.GOOD:
        habits.append(
            Habit("coverage", 2 - cover, f"Key points: only {cover * 100:.0f}% covered on average.")
        )
    if skipped:
        habits.append(Habit("skipped", 1.0, f"Skipped questions: {skipped}."))
    return sorted(habits, key=lambda h: -h.severity)


Direction = Literal["better", "worse", "same"]


def compare(
    metric: str, before: float | None, now: float | None, thresholds: Thresholds
) -> Direction | None:
    """Whether `now` is better than `before` for `metric`; None when it cannot be said.

    Fewer fillers and more coverage are better; for pace, closer to the
    conversational band is better; length has no direction on its own.
    """
    if before is None or now is None or metric == "duration_s":
        return None
    if before == now:
        return "same"
    if metric == "fillers_per_min":
        return "better" if now < before else "worse"
    if metric == "coverage_ratio":
        return "better" if now > before else "worse"
    if metric == "wpm":
        low, high = thresholds.wpm_target_low, thresholds.wpm_target_high

        def off(value: float) -> float:
            return max(0.0, low - value, value - high)

        if off(now) == off(before):
            return "same"
        return "better" if off(now) < off(before) else "worse"
    return None
