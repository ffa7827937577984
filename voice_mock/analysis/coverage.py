"""Which of a question's key points the answer made, how we know, and when.

A key point is covered at its earliest cue hit (the precise, explainable first
pass): cues match at the lemma level, fillers and a few determiners may sit
between their words ("hear um them out", "ask them a few questions"), and
homophones the recogniser confuses count as one. A point no cue covers may be
covered by meaning (`voice_mock.analysis.meaning`) when an embedder is given.
Either way the words must sit in sentences (`voice_mock.analysis.sentences`):
a bare list of buzzwords covers nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from voice_mock.analysis.meaning import (
    MAX_WINDOWS,
    STRIDE,
    THRESHOLD,
    WINDOW_WORDS,
    Embedder,
    make_windows,
    match_points,
)
from voice_mock.analysis.sentences import Prose, find_prose
from voice_mock.analysis.text import StemIndex, negated
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
    cue: str | None
    """The cue phrase that matched; None when the point was found by meaning."""
    evidence: str
    """The words that made the point, as said."""
    how: str = "phrase"
    """"phrase" (a cue matched), "story" (the STAR part the point names was found by the
    story's shape) or "meaning" (a stretch of the answer was close in meaning)."""
    confidence: float = 1.0
    """0-1: 1.0 for a cue phrase; for meaning, how far above the threshold the match was."""

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "label": self.label,
            "at_s": r2(self.at_s),
            "cue": self.cue,
            "evidence": self.evidence,
            "how": self.how,
            "confidence": r2(self.confidence),
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
    reads_as_list: bool = False
    """The answer is a list of words rather than sentences, so it covers nothing."""
    no_story: bool = False
    """A behavioural answer that tells no story, so its generic claims cover no point."""
    by_meaning: bool = False
    """Whether the meaning pass ran (an embedder was given)."""
    scores: tuple[tuple[str, float], ...] = ()
    """Per key point id, the best meaning score (cosine); empty without the meaning pass."""

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
            "reads_as_list": self.reads_as_list,
            "no_story": self.no_story,
            "method": "phrase+meaning" if self.by_meaning else "phrase",
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


def _cue_hit(
    index: StemIndex,
    cue: str,
    filler_indexes: frozenset[int],
    prose: Prose,
) -> tuple[int, int] | None:
    """The first match of ``cue`` that sits in a sentence (not in a list of buzzwords)."""
    after = 0
    while True:
        hit = index.find(
            cue,
            skippable=filler_indexes.__contains__,
            after=after,
            gaps=True,
            homophones=True,
        )
        if hit is None:
            return None
        if prose.covers(hit.first, hit.last) and not negated(index.words, hit.first):
            return hit.first, hit.last
        after = hit.first + 1


def find_coverage(
    tokens: Sequence[Token],
    index: StemIndex,
    filler_indexes: frozenset[int],
    question: QuestionLike | None,
    *,
    meaning: Embedder | None = None,
    prose: Prose | None = None,
    story: bool | None = None,
    star_parts: Sequence[StarPartLike] = (),
) -> Coverage:
    """Cover each key point by its earliest cue hit, else (with ``meaning``) by meaning.

    Cue phrases are the precise first pass; a point no cue covers is compared
    by meaning (`voice_mock.analysis.meaning`) when an embedder is given.
    Words that do not sit in sentences cover nothing, and an answer that
    reads as a list covers no point at all. ``story`` is False for a
    behavioural answer that tells no story (`Star.tells_story`): its points
    are parts of the story asked for, so generic claims ("i always listen")
    do not make them.
    """
    if question is None:
        return Coverage((), (), has_question=False)
    if prose is None:
        prose = find_prose(index.words, filler_indexes)
    points = list(question.key_points)
    hits: dict[int, CoveredPoint] = {}
    scores: tuple[tuple[str, float], ...] = ()
    no_story = story is False
    if not prose.reads_as_list and not no_story:
        for p, point in enumerate(points):
            best: tuple[int, int, str] | None = None
            for cue in point.cues:
                hit = _cue_hit(index, cue, filler_indexes, prose)
                if hit is not None and (best is None or hit[0] < best[0]):
                    best = (hit[0], hit[1], cue)
            if best is not None:
                first, last, cue = best
                evidence = " ".join(t.text for t in tokens[first : last + 1])
                hits[p] = CoveredPoint(point.id, point.label, tokens[first].start, cue, evidence)
        _story_pass(tokens, points, star_parts, hits)
        if meaning is not None:
            scores = _meaning_pass(tokens, index, filler_indexes, prose, points, meaning, hits)
    covered = [hits[p] for p in sorted(hits)]
    missed = [MissedPoint(pt.id, pt.label) for p, pt in enumerate(points) if p not in hits]
    return Coverage(
        tuple(covered),
        tuple(missed),
        has_question=True,
        reads_as_list=prose.reads_as_list,
        no_story=no_story,
        by_meaning=meaning is not None,
        scores=scores,
    )


STAR_POINT_IDS = {
    "situation": "situation",
    "task": "task",
    "action": "action",
    "actions": "action",
    "result": "result",
    "outcome": "result",
}
"""Key point ids of behavioural questions that name a STAR part: the part, found by the
story's shape, covers the point (a story "sets the scene" however it is worded)."""


class StarPartLike(Protocol):
    """What coverage needs from a STAR part (see `voice_mock.analysis.structure.StarPart`)."""

    @property
    def name(self) -> str: ...
    @property
    def present(self) -> bool: ...
    @property
    def phrase(self) -> str | None: ...
    @property
    def index(self) -> int | None: ...


def _story_pass(
    tokens: Sequence[Token],
    points: Sequence[KeyPointLike],
    star_parts: Sequence[StarPartLike],
    hits: dict[int, CoveredPoint],
) -> None:
    found = {p.name: p for p in star_parts if p.present and p.index is not None}
    for n, point in enumerate(points):
        part = found.get(STAR_POINT_IDS.get(point.id, ""))
        if n in hits or part is None or part.index is None:
            continue
        first = part.index
        last = min(len(tokens) - 1, first + max(1, len((part.phrase or "").split())) - 1)
        hits[n] = CoveredPoint(
            point.id,
            point.label,
            tokens[first].start,
            part.phrase,
            " ".join(t.text for t in tokens[first : last + 1]),
            how="story",
        )


def descriptions(point: KeyPointLike) -> tuple[str, ...]:
    """What a key point is compared with by meaning: its label and its bank examples."""
    examples: Sequence[str] = getattr(point, "examples", ()) or ()
    return (point.label, *examples)


def _meaning_pass(
    tokens: Sequence[Token],
    index: StemIndex,
    filler_indexes: frozenset[int],
    prose: Prose,
    points: Sequence[KeyPointLike],
    embedder: Embedder,
    hits: dict[int, CoveredPoint],
) -> tuple[tuple[str, float], ...]:
    usable = [i for i in range(len(tokens)) if i not in filler_indexes and prose.mask[i]]
    # a long transcript gets sparser windows (still touching every word), so the pass
    # stays bounded: an hour-long transcript is cut into about 1,100 windows, not 4,500
    stride = min(WINDOW_WORDS, max(STRIDE, len(usable) // MAX_WINDOWS + 1))
    windows = make_windows(index.words, usable, stride=stride)
    matches = match_points(embedder, windows, [descriptions(p) for p in points])
    scores: list[tuple[str, float]] = []
    for p, (point, match) in enumerate(zip(points, matches, strict=True)):
        scores.append((point.id, -1.0 if match is None else match.score))
        if p in hits or match is None or match.score < THRESHOLD:
            continue
        w = match.window
        hits[p] = CoveredPoint(
            point.id,
            point.label,
            tokens[w.first].start,
            None,
            " ".join(t.text for t in tokens[w.first : w.last + 1]),
            how="meaning",
            confidence=match.confidence,
        )
    return tuple(scores)
