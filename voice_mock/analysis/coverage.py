"""Which of a question's key points the answer touched, and when.

A key point is covered at its earliest cue hit. Fillers may sit between a
cue's words ("hear um them out") because people think while they talk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from voice_mock.analysis.text import StemIndex
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.tokens import Token, r2


class KeyPointLike(Protocol):
    """What the analysis needs from a bank key point (see `voice_mock.bank.KeyPoint`)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def cues(self) -> tuple[str, ...]: ...


class QuestionLike(Protocol):
    """What the analysis needs from a bank question (see `voice_mock.bank.Question`).

    A Protocol so the analysis stays independent of how banks are loaded.
    """

    @property
    def id(self) -> str: ...
    @property
    def qualified_id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def target_seconds(self) -> tuple[float, float]: ...
    @property
    def star(self) -> bool: ...
    @property
    def key_points(self) -> Sequence[KeyPointLike]: ...


@dataclass(frozen=True, slots=True)
class CoveredPoint:
    id: str
    label: str
    at_s: float
    cue: str
    evidence: str
    """The words that matched, as said."""

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "label": self.label,
            "at_s": r2(self.at_s),
            "cue": self.cue,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class MissedPoint:
    id: str
    label: str

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "label": self.label}


@dataclass(frozen=True, slots=True)
class Coverage:
    covered: tuple[CoveredPoint, ...]
    missed: tuple[MissedPoint, ...]
    has_question: bool

    @property
    def ratio(self) -> float | None:
        """Covered share of the key points; None without a question or key points to cover."""
        total = len(self.covered) + len(self.missed)
        if not self.has_question or total == 0:
            return None
        return len(self.covered) / total

    def to_dict(self) -> dict[str, object]:
        ratio = self.ratio
        return {
            "ratio": None if ratio is None else r2(ratio),
            "covered": [c.to_dict() for c in self.covered],
            "missed": [m.to_dict() for m in self.missed],
        }


def coverage_verdict(
    ratio: float | None, thresholds: Thresholds, *, has_question: bool = True
) -> str:
    """Plain words for the share of key points covered.

    ``ratio`` is None without a question (``has_question`` False) or when the
    question lists no key points; both are said plainly rather than judged.
    """
    if ratio is None:
        return "no key points to check" if has_question else "no question"
    if ratio >= thresholds.coverage_good_ratio:
        return "good"
    if ratio >= thresholds.coverage_partial_ratio:
        return "some key points missed"
    if ratio > 0:
        return "most key points missed"
    return "no key points covered"


def find_coverage(
    tokens: Sequence[Token],
    index: StemIndex,
    filler_indexes: frozenset[int],
    question: QuestionLike | None,
) -> Coverage:
    """Match every key point's cues; the earliest hit of any cue covers the point."""
    if question is None:
        return Coverage((), (), has_question=False)
    covered: list[CoveredPoint] = []
    missed: list[MissedPoint] = []
    for point in question.key_points:
        best: tuple[int, int, str] | None = None
        for cue in point.cues:
            hit = index.find(cue, skippable=filler_indexes.__contains__)
            if hit is not None and (best is None or hit.first < best[0]):
                best = (hit.first, hit.last, cue)
        if best is None:
            missed.append(MissedPoint(point.id, point.label))
            continue
        first, last, cue = best
        evidence = " ".join(t.text for t in tokens[first : last + 1])
        covered.append(CoveredPoint(point.id, point.label, tokens[first].start, cue, evidence))
    return Coverage(tuple(covered), tuple(missed), has_question=True)
