"""Judgements across answers: weakest habits, one attempt against another, this week's progress.

Pure, like the rest of the analysis, so the app, the command line and the
exports rank habits and compare attempts the same way. Whether an average
is a habit to fix is the analysis' own verdict on it with the user's
thresholds; the ranking only orders those that are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from voice_mock.analysis.advice import PAUSES_DRILL, coverage_drill, filler_drill, pace_drill
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
        first = words.most_common(1)[0][0] if words else "um"
        habits.append(
            Habit(
                "fillers",
                per_min / max(t.fillers_fluent_per_min, 0.1),
                f"Filler words: {per_min:.1f} a minute (mostly {top}). {filler_drill(first)}",
            )
        )
    pace = _mean([r.wpm for r in reports if r.wpm is not None and r.wpm > 0])
    if pace is not None:
        verdict = pace_verdict(pace, t)
        band = f"aim for {t.wpm_target_low:.0f}-{t.wpm_target_high:.0f}"
        if verdict.level != Level.GOOD and pace < t.wpm_target_low:
            drill = pace_drill(slow=True, thresholds=t)
            habits.append(
                Habit(
                    "pace",
                    t.wpm_target_low / pace,
                    f"Pace: {pace:.0f} wpm is slow; {band}. {drill}",
                )
            )
        elif verdict.level != Level.GOOD:
            drill = pace_drill(slow=False, thresholds=t)
            habits.append(
                Habit(
                    "pace",
                    pace / t.wpm_target_high,
                    f"Pace: {pace:.0f} wpm is rushed; {band}. {drill}",
                )
            )
    long_pauses = sum(r.pauses.long_count or 0 for r in reports)
    if long_pauses and reports:
        habits.append(
            Habit(
                "pauses",
                1 + long_pauses / len(reports),
                f"Long pauses: {long_pauses} in all. {PAUSES_DRILL}",
            )
        )
    ratios = [r.coverage.ratio for r in reports if r.coverage.ratio is not None]
    cover = _mean(ratios)
    if cover is not None and coverage_level(cover, t) != Level.GOOD:
        missed: Counter[str] = Counter()
        for report in reports:
            missed.update(m.label for m in report.coverage.missed)
        most_missed = missed.most_common(1)[0][0] if missed else None
        habits.append(
            Habit(
                "coverage",
                2 - cover,
                f"Key points: only {cover * 100:.0f}% covered on average. "
                + coverage_drill(most_missed),
            )
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


# --- this week ------------------------------------------------------------------------

WEEK_DAYS = 7
"""The summary covers the last seven days."""
BASELINE_ANSWERS = 10
"""This week is compared with at most this many answers before it (the most recent)."""
SAME_WITHIN: dict[str, float] = {"fillers_per_min": 0.5, "wpm": 5.0, "coverage_ratio": 0.05}
"""Changes smaller than this are no change: one answer more or less moves an average a
little, and a habit has not improved on noise (pace: wpm away from the band)."""


class PointLike(Protocol):
    """What the summary needs from an answer on a chart (see `voice_mock.store.ProgressPoint`)."""

    @property
    def started_at(self) -> datetime: ...
    @property
    def wpm(self) -> float | None: ...
    @property
    def fillers_per_min(self) -> float | None: ...
    @property
    def coverage_ratio(self) -> float | None: ...
    @property
    def word_count(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Change:
    """One habit's average before and now, and whether that is better."""

    metric: str
    before: float
    now: float
    direction: Direction
    off_target: bool
    """Whether the average now is still outside what the verdicts call good."""

    @property
    def text(self) -> str:
        if self.metric == "fillers_per_min":
            return f"fillers {self.before:.1f} → {self.now:.1f}/min"
        if self.metric == "coverage_ratio":
            return f"key points {self.before * 100:.0f}% → {self.now * 100:.0f}%"
        return f"pace {self.before:.0f} → {self.now:.0f} wpm"


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """The habits that improved this week and the ones that did not."""

    answers: int
    """Answers with words in the last seven days."""
    compared_with: str | None
    """What this week was compared with, in words; None when there was nothing to compare."""
    improved: tuple[Change, ...]
    not_improved: tuple[Change, ...]
    """Worse, or no better while still off target."""

    @property
    def text(self) -> str:
        """One line: "This week, 6 answers: better ...; not yet ... (against ...)"."""
        head = f"This week, {self.answers} answer{'' if self.answers == 1 else 's'}"
        if self.compared_with is None:
            return head + ": practise again to see which habits improve."
        parts: list[str] = []
        if self.improved:
            parts.append("better " + ", ".join(c.text for c in self.improved))
        if self.not_improved:
            parts.append("not yet " + ", ".join(c.text for c in self.not_improved))
        if not parts:
            parts.append("steady and on target")
        return f"{head}: {'; '.join(parts)} (against {self.compared_with})."


def _spoke(point: PointLike) -> bool:
    return bool(point.word_count) if point.word_count is not None else bool(point.wpm)


def _average(points: Sequence[PointLike], metric: str) -> float | None:
    return _mean([v for p in points if (v := getattr(p, metric)) is not None])


def _change(metric: str, before: float, now: float, thresholds: Thresholds) -> Change:
    t = thresholds
    if metric == "fillers_per_min":
        gain = before - now
        off = fillers_verdict(now, t).level != Level.GOOD
    elif metric == "coverage_ratio":
        gain = now - before
        off = coverage_level(now, t) != Level.GOOD
    else:

        def away(value: float) -> float:
            return max(0.0, t.wpm_target_low - value, value - t.wpm_target_high)

        gain = away(before) - away(now)
        off = pace_verdict(now, t).level != Level.GOOD
    direction: Direction = "same"
    if abs(gain) >= SAME_WITHIN[metric]:
        direction = "better" if gain > 0 else "worse"
    return Change(metric, before, now, direction, off)


def week_summary(
    points: Sequence[PointLike], thresholds: Thresholds, now: datetime
) -> WeekSummary | None:
    """This week's answers against the ones before (else the week's first half against its
    second): which habits (fillers, pace, key points) got better and which did not.

    Answers with no words are left out (a silent take says nothing about a habit).
    None when nothing was answered this week.
    """
    spoken = sorted((p for p in points if _spoke(p)), key=lambda p: p.started_at)
    start = now - timedelta(days=WEEK_DAYS)
    week = [p for p in spoken if p.started_at >= start]
    if not week:
        return None
    earlier = [p for p in spoken if p.started_at < start][-BASELINE_ANSWERS:]
    if earlier:
        base, recent, against = earlier, week, "the answers before it"
    elif len(week) >= 2:
        half = len(week) // 2
        base, recent, against = week[:half], week[half:], "its first answers"
    else:
        return WeekSummary(len(week), None, (), ())
    improved: list[Change] = []
    not_improved: list[Change] = []
    for metric in ("fillers_per_min", "coverage_ratio", "wpm"):
        before, after = _average(base, metric), _average(recent, metric)
        if before is None or after is None:
            continue
        change = _change(metric, before, after, thresholds)
        if change.direction == "better":
            improved.append(change)
        elif change.direction == "worse" or change.off_target:
            not_improved.append(change)
    return WeekSummary(len(week), against, tuple(improved), tuple(not_improved))
