"""Which of a question's key points the answer made, how we know, and when.

Three kinds of evidence are gathered for each key point, then weighed by one
calibrated decision (`voice_mock.analysis.decide`):

- **Cue phrases**, matched at the lemma level: fillers and a few determiners
  may sit between their words ("hear um them out", "ask them a few
  questions") and homophones the recogniser confuses count as one. Each
  match also says whether it was denied ("i'm not sure i'm always that
  calm"), hedged ("i think i'm patient") or about someone else ("they calm
  right down").
- **The story's shape** (`voice_mock.analysis.structure`): the STAR part a
  point stands for, and whether the answer tells a story when the point's
  own examples are stories (the point asks for an example).
- **Meaning**, when an embedder is given (`voice_mock.analysis.meaning`).

The words must sit in sentences (`voice_mock.analysis.sentences`): a bare
list of buzzwords covers nothing. A covered point reports the words that
best show it: its earliest cue, else the story part, else the closest window.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from voice_mock.analysis.decide import Evidence, Models, decide, load_models
from voice_mock.analysis.meaning import (
    MAX_WINDOWS,
    NO_SCORES,
    STRIDE,
    WINDOW_WORDS,
    Embedder,
    MeaningMatch,
    PointScores,
    Window,
    make_windows,
    score_points,
    word_match,
)
from voice_mock.analysis.sentences import Prose, find_prose
from voice_mock.analysis.structure import find_star
from voice_mock.analysis.text import (
    StemIndex,
    denied_in_clause,
    negated,
    phrase_words,
    word_set,
)
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
    """0-1: the decision's probability that the point was made (`voice_mock.analysis.decide`)."""

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
    evidence: tuple[tuple[str, Evidence, float], ...] = ()
    """Per key point judged: its id, the evidence and the probability that it was made
    (empty when a rule decided first: a list, or a behavioural answer with no story)."""

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


HEDGE_WORDS = word_set("maybe perhaps probably guess suppose possibly think hopefully")
"""Right before a cue, these make it a guess rather than a claim ("i think i'm patient")."""
HEDGE_WORDS_BEFORE = 4
OTHER_SUBJECTS = word_set(
    """he she they it them him her people customers customer everyone someone everybody
    somebody he's she's they're it's"""
)
"""Before a cue, these make it about someone else ("they calm right down")."""
SELF_SUBJECTS = word_set("i we i'm i'd i've i'll we're we'd we've my our me us")
SUBJECT_WORDS_BEFORE = 3


@dataclass(frozen=True, slots=True)
class CueMatch:
    """One place a cue was said inside a sentence."""

    first: int
    last: int
    cue: str
    negated: bool
    """A negator in the few words before it ("i wouldn't say sorry"): the cue does not count."""
    denied: bool
    """A negator earlier in its clause ("i'm not sure i'm always that calm")."""
    hedged: bool
    other: bool


def _about_someone_else(words: Sequence[str], first: int) -> bool:
    for k in range(first - 1, max(-1, first - 1 - SUBJECT_WORDS_BEFORE), -1):
        if words[k] in SELF_SUBJECTS:
            return False
        if words[k] in OTHER_SUBJECTS:
            return True
    return False


def _cue_matches(
    index: StemIndex,
    cue: str,
    filler_indexes: frozenset[int],
    prose: Prose,
) -> list[CueMatch]:
    """Every match of ``cue`` that sits in a sentence (not in a list of buzzwords)."""
    out: list[CueMatch] = []
    words = index.words
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
            return out
        after = hit.first + 1
        if not prose.covers(hit.first, hit.last):
            continue
        first = hit.first
        lo = max(0, first - HEDGE_WORDS_BEFORE)
        out.append(
            CueMatch(
                first,
                hit.last,
                cue,
                negated=negated(words, first),
                denied=denied_in_clause(words, first),
                hedged=any(words[k] in HEDGE_WORDS for k in range(lo, first)),
                other=_about_someone_else(words, first),
            )
        )


def _cue_hit(
    index: StemIndex,
    cue: str,
    filler_indexes: frozenset[int],
    prose: Prose,
) -> tuple[int, int] | None:
    """The first match of ``cue`` that sits in a sentence and is not negated."""
    for match in _cue_matches(index, cue, filler_indexes, prose):
        if not match.negated:
            return match.first, match.last
    return None


@dataclass(frozen=True, slots=True)
class CueEvidence:
    first: CueMatch | None
    """The earliest match that counts (in a sentence, not negated)."""
    count: int
    multi: bool
    denied: bool
    hedged: bool
    other: bool


def _cue_evidence(
    index: StemIndex, point: KeyPointLike, filler_indexes: frozenset[int], prose: Prose
) -> CueEvidence:
    valid: list[CueMatch] = []
    said = False
    cues_hit = 0
    for cue in point.cues:
        matches = _cue_matches(index, cue, filler_indexes, prose)
        said = said or bool(matches)
        counted = [m for m in matches if not m.negated]
        if counted:
            cues_hit += 1
            valid.extend(counted)
    if not valid:
        return CueEvidence(None, 0, False, said, False, False)
    first = min(valid, key=lambda m: (m.first, -m.last))
    return CueEvidence(
        first,
        cues_hit,
        multi=any(len(phrase_words(m.cue)) > 1 for m in valid),
        denied=all(m.denied for m in valid),
        hedged=all(m.hedged for m in valid),
        other=all(m.other for m in valid),
    )


@lru_cache(maxsize=4096)
def tells_a_story(text: str) -> bool:
    """Whether a sentence (a key point's example) tells of a moment: a scene and an action."""
    words = [w for w in (p.strip("'") for p in _WORD.split(text.lower())) if w]
    tokens = [Token(w, 0.3 * i, 0.3 * i + 0.25, 1.0, w) for i, w in enumerate(words)]
    star = find_star(tokens, StemIndex(words), frozenset())
    return star.situation.present and star.action.present


_WORD = re.compile(r"[^a-z']+")


def narrative_share(point: KeyPointLike) -> float:
    """Share of the point's examples that tell a story: the point asks for an example."""
    examples: Sequence[str] = getattr(point, "examples", ()) or ()
    if not examples:
        return 0.0
    return sum(tells_a_story(e) for e in examples) / len(examples)


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
    models: Models | None = None,
) -> Coverage:
    """Decide for each key point whether the answer made it, from all the evidence.

    The evidence (`voice_mock.analysis.decide.Evidence`): the cue phrases
    that matched and how (denied, hedged, about someone else), the STAR part
    the point stands for, whether the answer tells a story when the point
    asks for an example, and, with ``meaning`` (an embedder), how close in
    meaning the answer came (`voice_mock.analysis.meaning.score_points` and
    `voice_mock.analysis.meaning.word_match`). A calibrated logistic
    regression (`voice_mock.analysis.decide`) weighs it. ``star_parts`` are
    the STAR parts found by shape (`analyze` passes them for behavioural
    questions; ``story`` is None otherwise).

    Rules around the decision: an answer that reads as a list covers no point;
    a behavioural answer that tells no story (``story`` False) makes its points
    only with their own cue phrases; and a cue said in a sentence, not denied,
    always covers its point (the bank contract), so the decision only adds
    points made in other words.
    """
    if question is None:
        return Coverage((), (), has_question=False)
    if prose is None:
        prose = find_prose(index.words, filler_indexes)
    points = list(question.key_points)
    hits: dict[int, CoveredPoint] = {}
    scores: tuple[tuple[str, float], ...] = ()
    found: list[tuple[str, Evidence, float]] = []
    no_story = story is False
    if not prose.reads_as_list:
        found_parts = {p.name: p for p in star_parts if p.present and p.index is not None}
        behavioural = bool(getattr(question, "star", False))
        answer_story = "situation" in found_parts and "action" in found_parts
        usable = [i for i in range(len(tokens)) if i not in filler_indexes and prose.mask[i]]
        point_scores: list[PointScores] = [NO_SCORES] * len(points)
        word_scores = [0.0] * len(points)
        windows: list[Window] = []
        if meaning is not None:
            # a long transcript gets sparser windows (still touching every word), so the pass
            # stays bounded: an hour-long transcript is cut into about 1,100 windows, not 4,500
            stride = min(WINDOW_WORDS, max(STRIDE, len(usable) // MAX_WINDOWS + 1))
            windows = make_windows(index.words, usable, stride=stride)
            described = [descriptions(p) for p in points]
            point_scores = score_points(meaning, windows, described)
            word_scores = word_match(meaning, _said_words(index.words, filler_indexes), described)
            scores = tuple(
                (pt.id, -1.0 if sc.best is None else sc.best.score)
                for pt, sc in zip(points, point_scores, strict=True)
            )
        for n, point in enumerate(points):
            cues = _cue_evidence(index, point, filler_indexes, prose)
            part = found_parts.get(star_part_of(point) or "") if behavioural else None
            sc = point_scores[n]
            evidence = Evidence(
                cue=cues.first is not None,
                cue_multi=cues.multi,
                cue_count=cues.count,
                cue_denied=cues.denied,
                cue_hedged=cues.hedged,
                cue_other=cues.other,
                story=part is not None,
                narrative=narrative_share(point),
                answer_story=answer_story,
                meaning_best=0.0 if sc.best is None else sc.best.score,
                meaning_mean=sc.examples_mean,
                meaning_label=sc.label,
                meaning_margin=sc.margin,
                meaning_words=word_scores[n],
            )
            covered, probability = decide(evidence, meaning=meaning is not None, models=models)
            if no_story:
                # General claims tell no story: only a point's own cue phrase covers it.
                covered = False
            if evidence.cue and not evidence.cue_denied and not covered:
                # The bank contract: a cue said in a sentence (not denied) covers its point.
                # The decision only adds points made in other words; it never takes one away.
                # A cue denied wherever it was said ("i'm not sure i'm always that calm") is
                # left to the decision, as a point made in other words would be.
                cue_confidence = (models or load_models()).cue_confidence
                covered, probability = True, max(probability, cue_confidence)
            found.append((point.id, evidence, probability))
            if not covered:
                continue
            hits[n] = _covered_point(
                tokens, point, cues.first, part, sc.best, found_parts, probability
            )
    covered_points = [hits[p] for p in sorted(hits)]
    missed = [MissedPoint(pt.id, pt.label) for p, pt in enumerate(points) if p not in hits]
    return Coverage(
        tuple(covered_points),
        tuple(missed),
        has_question=True,
        reads_as_list=prose.reads_as_list,
        no_story=no_story,
        by_meaning=meaning is not None,
        scores=scores,
        evidence=tuple(found),
    )


def _said_words(words: Sequence[str], filler_indexes: frozenset[int]) -> list[str]:
    """The words compared one by one (`word_match`): every word but the fillers.

    Not only those the prose check kept: it is strict (about one word in five of a
    natural answer falls outside, more when the recogniser drops short words), and
    word-by-word matching ignores order anyway. An answer that reads as a list is
    still ruled out before, and its cues and windows must still sit in sentences.
    """
    return [w for i, w in enumerate(words) if i not in filler_indexes]


def _covered_point(
    tokens: Sequence[Token],
    point: KeyPointLike,
    cue: CueMatch | None,
    part: StarPartLike | None,
    match: MeaningMatch | None,
    found_parts: Mapping[str, StarPartLike],
    probability: float,
) -> CoveredPoint:
    """The words that best show why the point counts: a cue, else the story, else meaning."""
    if cue is not None:
        evidence = " ".join(t.text for t in tokens[cue.first : cue.last + 1])
        return CoveredPoint(
            point.id, point.label, tokens[cue.first].start, cue.cue, evidence,
            confidence=probability,
        )  # fmt: skip
    if part is None and match is None:
        part = found_parts.get("situation") or found_parts.get("action")
    if part is not None and part.index is not None:
        first = part.index
        last = min(len(tokens) - 1, first + max(1, len((part.phrase or "").split())) - 1)
        return CoveredPoint(
            point.id,
            point.label,
            tokens[first].start,
            part.phrase,
            " ".join(t.text for t in tokens[first : last + 1]),
            how="story",
            confidence=probability,
        )
    if match is not None:
        w = match.window
        return CoveredPoint(
            point.id,
            point.label,
            tokens[w.first].start,
            None,
            " ".join(t.text for t in tokens[w.first : w.last + 1]),
            how="meaning",
            confidence=probability,
        )
    return CoveredPoint(point.id, point.label, 0.0, None, "", how="meaning", confidence=probability)


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


def star_part_of(point: KeyPointLike) -> str | None:
    """The STAR part a key point stands for: its bank ``star_part``, else its id if that
    names a part (the convention before ``star_part`` existed)."""
    declared: str | None = getattr(point, "star_part", None)
    return declared or STAR_POINT_IDS.get(point.id)


def descriptions(point: KeyPointLike) -> tuple[str, ...]:
    """What a key point is compared with by meaning: its label and its bank examples."""
    examples: Sequence[str] = getattr(point, "examples", ()) or ()
    return (point.label, *examples)
