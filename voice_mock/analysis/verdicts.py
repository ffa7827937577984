"""A judgement of one measure: a level the fronts style, and the plain words they show.

Fronts colour and rank verdicts by `Level`, never by matching their words,
so a verdict can be reworded without changing what is green or what is
named first. The words stay in the report JSON exactly as before
(``"verdict": "too fast"``); the levels are written beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """How a measure went, from fine to the thing to fix first."""

    GOOD = "good"
    WATCH = "watch"
    """Worth an eye: a little off, or a small habit."""
    WORK_ON = "work-on"
    """Clearly off: one of the first things to change."""
    NONE = "none"
    """Nothing to judge: no speech, no question, not measured."""

    @property
    def rank(self) -> int:
        """Severity for ordering (higher is worse); NONE sorts with GOOD."""
        return {Level.GOOD: 0, Level.NONE: 0, Level.WATCH: 1, Level.WORK_ON: 2}[self]


@dataclass(frozen=True, slots=True)
class Verdict:
    """A level and the words for it ("a little fast")."""

    level: Level
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def ok(self) -> bool:
        """Fine or nothing to judge (shown in the calm colour)."""
        return self.level in (Level.GOOD, Level.NONE)

    def to_dict(self) -> dict[str, str]:
        return {"level": str(self.level), "text": self.text}


def good(text: str = "good") -> Verdict:
    return Verdict(Level.GOOD, text)


def watch(text: str) -> Verdict:
    return Verdict(Level.WATCH, text)


def work_on(text: str) -> Verdict:
    return Verdict(Level.WORK_ON, text)


def nothing(text: str) -> Verdict:
    return Verdict(Level.NONE, text)


def parse_level(value: object) -> Level | None:
    """A level from saved JSON, or None when missing or unknown (an older report)."""
    try:
        return Level(str(value)) if value is not None else None
    except ValueError:
        return None
