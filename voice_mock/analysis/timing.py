"""Time-based measures: pauses, pace over the answer, answer length, with plain verdicts.

All judgements come from `Thresholds`, so a user who speaks more slowly by
design can move the bands in the config file without touching code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.tokens import TIME_EPSILON_S, Token, r2
from voice_mock.analysis.verdicts import Verdict, good, nothing, watch, work_on


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the recording: a pause, dead air or a hesitation."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    def to_dict(self) -> dict[str, float]:
        return {"start": r2(self.start), "end": r2(self.end), "duration": r2(self.duration)}


Pause = Span
"""Silence between two consecutive kept words."""


@dataclass(frozen=True, slots=True)
class PaceWindow:
    """Words spoken in one stretch of the answer, to show a rush or a stall."""

    start: float
    end: float
    words: int

    @property
    def wpm(self) -> float:
        span = self.end - self.start
        return self.words / span * 60.0 if span > 0 else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "start": r2(self.start),
            "end": r2(self.end),
            "words": self.words,
            "wpm": r2(self.wpm),
        }


def find_gaps(tokens: Sequence[Token], min_s: float) -> tuple[Pause, ...]:
    """Gaps between consecutive words lasting at least ``min_s`` seconds."""
    limit = min_s - TIME_EPSILON_S
    return tuple(
        Pause(prev.end, cur.start)
        for prev, cur in pairwise(tokens)
        if cur.start - prev.end >= limit
    )


def long_pauses(pauses: Sequence[Pause], thresholds: Thresholds) -> tuple[Pause, ...]:
    """Pauses at or beyond ``thresholds.long_pause_s``."""
    limit = thresholds.long_pause_s - TIME_EPSILON_S
    return tuple(p for p in pauses if p.duration >= limit)


def pace_windows(tokens: Sequence[Token], thresholds: Thresholds) -> tuple[PaceWindow, ...]:
    """Consecutive windows of ``pace_window_s`` from the first word to the last.

    A word belongs to the window its start falls in. A final window shorter
    than half a window is folded into the one before it, because a 3-second
    tail would give a wild pace figure from a handful of words.
    """
    size = thresholds.pace_window_s
    if not tokens or size <= 0:
        return ()
    begin, finish = tokens[0].start, tokens[-1].end
    if finish <= begin:
        return (PaceWindow(begin, finish, len(tokens)),)
    bounds: list[list[float]] = []
    edge = begin
    while edge < finish - TIME_EPSILON_S:
        bounds.append([edge, min(edge + size, finish)])
        edge += size
    if len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] < size / 2:
        tail = bounds.pop()
        bounds[-1][1] = tail[1]
    counts = [0] * len(bounds)
    k = 0
    for token in tokens:
        while k < len(bounds) - 1 and token.start >= bounds[k][1]:
            k += 1
        counts[k] += 1
    return tuple(PaceWindow(a, b, n) for (a, b), n in zip(bounds, counts, strict=True))


def pace_verdict(wpm: float, thresholds: Thresholds, *, spoke: bool = True) -> Verdict:
    """A pace figure against the conversational band; outside the flags it is work to do."""
    if not spoke:
        return nothing("no speech")
    if wpm < thresholds.wpm_low:
        return work_on("too slow")
    if wpm < thresholds.wpm_target_low:
        return watch("a little slow")
    if wpm <= thresholds.wpm_target_high:
        return good()
    if wpm <= thresholds.wpm_high:
        return watch("a little fast")
    return work_on("too fast")


def pauses_verdict(long_count: int, *, spoke: bool = True) -> Verdict:
    """Long pauses are what listeners notice; short ones are normal breathing.

    Takes the count of long pauses (already judged against
    ``thresholds.long_pause_s``), so it works on an index row as well.
    """
    if not spoke:
        return nothing("no speech")
    if long_count <= 0:
        return good()
    if long_count == 1:
        return watch("one long pause")
    return work_on("several long pauses")


LENGTH_SLACK = 0.2
"""Within this share of the band's edge, a short or long answer is worth watching; beyond
it (a 30 s answer to a 90-150 s question) it is the first thing to change."""


def length_verdict(speaking_s: float, target: tuple[float, float]) -> Verdict:
    """How the answer's length compares with the band the question asks for."""
    low, high = target
    if speaking_s <= 0:
        return nothing("no speech")
    if speaking_s < low:
        return (watch if speaking_s >= low * (1 - LENGTH_SLACK) else work_on)("too short")
    if speaking_s > high:
        return (watch if speaking_s <= high * (1 + LENGTH_SLACK) else work_on)("too long")
    return good()


def latency_verdict(latency_s: float, thresholds: Thresholds, *, spoke: bool = True) -> Verdict:
    """How long the silence before the first word felt.

    A few seconds to collect one's thoughts is normal; beyond
    ``latency_slow_s`` an interviewer starts to wonder, beyond
    ``latency_very_slow_s`` it reads as being stuck.
    """
    if not spoke:
        return nothing("no speech")
    if latency_s <= thresholds.latency_slow_s:
        return good()
    if latency_s <= thresholds.latency_very_slow_s:
        return watch("slow start")
    return work_on("very slow start")
