"""Builders for analysis tests: transcripts from short scripts, fake bank questions, audio features.

A script is words separated by spaces; ``_1.5`` adds 1.5 s of silence before
the next word and ``word@0.3`` gives that word confidence 0.3. Every word
lasts ``dur`` seconds and words are ``gap`` seconds apart, so timings in the
tests can be worked out by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from voice_mock.analysis.features import AudioFeatures
from voice_mock.analysis.report import Report, analyze
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.transcript import Transcript, Word


def say(script: str, *, start: float = 0.0, dur: float = 0.3, gap: float = 0.1) -> list[Word]:
    words: list[Word] = []
    t = start
    for item in script.split():
        if item.startswith("_"):
            t += float(item[1:])
            continue
        text, _, conf = item.partition("@")
        words.append(Word(text, round(t, 3), round(t + dur, 3), float(conf) if conf else 0.95))
        t += dur + gap
    return words


def transcript(script: str, *, duration_s: float | None = None, **kwargs: float) -> Transcript:
    return Transcript.from_words(say(script, **kwargs), duration_s=duration_s)


def report(script: str, thresholds: Thresholds | None = None) -> Report:
    return analyze(transcript(script), thresholds=thresholds or Thresholds())


def filler_texts(script: str, thresholds: Thresholds | None = None) -> list[str]:
    return [f.text for f in report(script, thresholds).fillers]


@dataclass(frozen=True)
class FakeKeyPoint:
    id: str
    label: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class FakeQuestion:
    id: str = "handle-angry-customer"
    qualified_id: str = "customer-service/handle-angry-customer"
    category: str = "scenario"
    target_seconds: tuple[float, float] = (45.0, 120.0)
    star: bool = False
    key_points: tuple[FakeKeyPoint, ...] = ()


def question(*points: tuple[str, tuple[str, ...]], star: bool = False) -> FakeQuestion:
    """A question whose key point ids are also their labels, for short tests."""
    return FakeQuestion(
        star=star,
        key_points=tuple(FakeKeyPoint(pid, pid.title(), cues) for pid, cues in points),
        category="behavioral" if star else "scenario",
    )


FRAME = 0.02
SILENCE_DB = -90.0


def features(
    duration: float,
    voiced: list[tuple[float, float, float]],
    *,
    pitch: float | None = 150.0,
    pitch_swing_st: float = 0.0,
    peak: float = 0.5,
    clipped_ratio: float = 0.0,
) -> AudioFeatures:
    """Frames voiced (at the given dBFS) inside each (start, end, db) span, silent elsewhere.

    Pitch, when given, sweeps +-``pitch_swing_st`` semitones around ``pitch``
    as a sine, so its standard deviation is swing / sqrt(2).
    """
    n = round(duration / FRAME)
    rms = [SILENCE_DB] * n
    flags = [False] * n
    pitches: list[float | None] = [None] * n
    for start, end, db in voiced:
        for k in range(round(start / FRAME), min(n, round(end / FRAME))):
            rms[k] = db
            flags[k] = True
            if pitch is not None:
                semis = pitch_swing_st * math.sin(k / 7.0)
                pitches[k] = pitch * 2 ** (semis / 12)
    return AudioFeatures(
        frame_s=FRAME,
        rms_dbfs=tuple(rms),
        voiced=tuple(flags),
        pitch_hz=tuple(pitches),
        peak=peak,
        clipped_ratio=clipped_ratio,
        duration_s=duration,
    )
