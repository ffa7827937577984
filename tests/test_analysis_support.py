"""Builders for analysis tests: transcripts from short scripts, fake bank questions.

A script is words separated by spaces; ``_1.5`` adds 1.5 s of silence before
the next word and ``word@0.3`` gives that word confidence 0.3. Every word
lasts ``dur`` seconds and words are ``gap`` seconds apart, so timings in the
tests can be worked out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def test_say_lays_words_out_evenly_with_extra_silence_and_confidence() -> None:
    words = say("a b _1.0 c@0.2", start=1.0)
    assert [(w.text, w.start, w.end) for w in words] == [
        ("a", 1.0, 1.3),
        ("b", 1.4, 1.7),
        ("c", 2.8, 3.1),
    ]
    assert words[2].conf == 0.2
