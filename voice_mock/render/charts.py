"""Progress over time as chart data: points, date ticks and the target band, for any front.

History draws these with a plotting widget; the numbers, what is left out
(answers with no words), how thousands of answers become a readable line
(averages over equal stretches of time) and the dates on the axis are
decided here, without Textual, so they are tested as plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from voice_mock.analysis.thresholds import Thresholds

METRICS: tuple[tuple[str, str, str], ...] = (
    ("wpm", "Pace", "wpm"),
    ("fillers_per_min", "Fillers", "fillers/min"),
    ("coverage_ratio", "Key points", "% covered"),
    ("duration_s", "Length", "seconds"),
)
"""(measure, title, unit) of each chart, in the order they are cycled through."""

MAX_TICKS = 5
"""Date labels on the time axis; fewer when the answers span few distinct moments."""
DAY_S = 86400.0


class ChartPoint(Protocol):
    """What a chart needs from an answer (see `voice_mock.store.ProgressPoint`)."""

    @property
    def started_at(self) -> datetime: ...
    @property
    def wpm(self) -> float | None: ...
    @property
    def fillers_per_min(self) -> float | None: ...
    @property
    def coverage_ratio(self) -> float | None: ...
    @property
    def duration_s(self) -> float | None: ...
    @property
    def word_count(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Series:
    """One measure over time, ready to draw."""

    metric: str
    title: str
    unit: str
    x: tuple[float, ...]
    """Days since the first answer shown."""
    y: tuple[float, ...]
    ticks: tuple[tuple[float, str], ...]
    """(x, date label) for the time axis."""
    band: tuple[float, float] | None
    """The target band (drawn as two lines), None when the answers shown have no common one."""
    band_label: str
    answers: int
    """Answers with a value for this measure (before averaging)."""
    averaged: bool
    """True when each point is the average of several answers (more answers than columns)."""
    span: tuple[float, float]
    """The x range to show (a single moment gets a day around it)."""

    @property
    def last(self) -> float:
        return self.y[-1]


def spoke(point: ChartPoint) -> bool:
    """Whether the answer had words: a silent take is no 0 wpm on a pace chart."""
    return bool(point.word_count) if point.word_count is not None else bool(point.wpm)


def _value(point: ChartPoint, metric: str) -> float | None:
    value: float | None = getattr(point, metric)
    if value is None:
        return None
    return value * 100.0 if metric == "coverage_ratio" else float(value)


def _band(
    metric: str, thresholds: Thresholds, target: tuple[float, float] | None
) -> tuple[tuple[float, float] | None, str]:
    """The band drawn on the chart and its short label."""
    t = thresholds
    if metric == "wpm":
        return (t.wpm_target_low, t.wpm_target_high), (
            f"{t.wpm_target_low:.0f}-{t.wpm_target_high:.0f}"
        )
    if metric == "fillers_per_min":
        return (0.0, t.fillers_fluent_per_min), f"≤ {t.fillers_fluent_per_min:g}"
    if metric == "coverage_ratio":
        return (t.coverage_good_ratio * 100.0, 100.0), f"≥ {t.coverage_good_ratio:.0%}"
    if target is None:
        return None, "differs by question"
    return target, f"{target[0]:.0f}-{target[1]:.0f} s"


def _buckets(
    xs: Sequence[float], ys: Sequence[float], count: int
) -> tuple[list[float], list[float]]:
    """At most `count` points: the averages over equal stretches of time."""
    low, high = xs[0], xs[-1]
    width = (high - low) / count or 1.0
    sums: dict[int, list[float]] = {}
    for x, y in zip(xs, ys, strict=True):
        k = min(count - 1, int((x - low) / width))
        acc = sums.setdefault(k, [0.0, 0.0, 0.0])
        acc[0] += x
        acc[1] += y
        acc[2] += 1
    out_x = [sums[k][0] / sums[k][2] for k in sorted(sums)]
    out_y = [sums[k][1] / sums[k][2] for k in sorted(sums)]
    return out_x, out_y


def _label_format(span_days: float) -> str:
    if span_days <= 1.0:
        return "%H:%M"
    if span_days <= 300.0:
        return "%b %d"
    return "%Y-%m"


def _ticks(first: datetime, low: float, high: float) -> tuple[tuple[float, str], ...]:
    fmt = _label_format(high - low)
    if high - low <= 0:
        return ((low, first.strftime("%b %d")),)
    count = MAX_TICKS
    out: list[tuple[float, str]] = []
    seen: set[str] = set()
    for k in range(count):
        x = low + (high - low) * k / (count - 1)
        label = (first + timedelta(days=x)).strftime(fmt)
        if label not in seen:
            seen.add(label)
            out.append((x, label))
    return tuple(out)


def chart_series(
    points: Sequence[ChartPoint],
    metric: str,
    thresholds: Thresholds,
    *,
    target: tuple[float, float] | None = None,
    max_points: int = 120,
) -> Series | None:
    """`metric` over the answers with words in `points` (any order), oldest first.

    `target` is the length band when every answer shown shares one (one
    question). More answers than `max_points` are averaged over equal
    stretches of time, so a long history stays a line. Times are local.
    None when no answer has a value.
    """
    title, unit = next((t, u) for m, t, u in METRICS if m == metric)
    timed = sorted(
        (p.started_at.astimezone(), v)
        for p in points
        if spoke(p) and (v := _value(p, metric)) is not None
    )
    if not timed:
        return None
    first = timed[0][0]
    xs = [(when - first).total_seconds() / DAY_S for when, _ in timed]
    ys = [value for _, value in timed]
    averaged = len(xs) > max(2, max_points)
    if averaged:
        xs, ys = _buckets(xs, ys, max(2, max_points))
    low, high = timed[0][0], timed[-1][0]
    span_days = (high - low).total_seconds() / DAY_S
    span = (0.0, span_days) if span_days > 0 else (-0.5, 0.5)
    band, band_label = _band(metric, thresholds, target)
    return Series(
        metric=metric,
        title=title,
        unit=unit,
        x=tuple(xs),
        y=tuple(ys),
        ticks=_ticks(first, 0.0, span_days),
        band=band,
        band_label=band_label,
        answers=len(timed),
        averaged=averaged,
        span=span,
    )
