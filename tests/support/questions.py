"""Small stand-ins for bank questions, for tests of the content checks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    id: str
    label: str
    cues: tuple[str, ...]
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ask:
    id: str = "q"
    qualified_id: str = "test/q"
    category: str = "general"
    target_seconds: tuple[float, float] = (45.0, 120.0)
    star: bool = False
    key_points: tuple[Point, ...] = ()


def ask(*points: Point, star: bool = False) -> Ask:
    return Ask(star=star, key_points=points, category="behavioral" if star else "general")
