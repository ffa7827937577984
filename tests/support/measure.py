"""Precision and recall of coverage and STAR on a labelled set (used by tests and benchmarks)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tests.support.answers import STAR_PARTS, Answer, transcript_of
from voice_mock.analysis.meaning import Embedder
from voice_mock.analysis.report import Report, analyze
from voice_mock.bank import Library, Question


@dataclass(slots=True)
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: Iterable[str], actual: Iterable[str]) -> None:
        p, a = set(predicted), set(actual)
        self.tp += len(p & a)
        self.fp += len(p - a)
        self.fn += len(a - p)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __iadd__(self, other: Tally) -> Tally:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self


@dataclass(frozen=True, slots=True)
class Outcome:
    """One answer analysed: what was found against what the label says."""

    answer: Answer
    question: Question
    report: Report
    found: frozenset[str]
    star_found: frozenset[str] | None

    @property
    def false_hits(self) -> list[str]:
        return sorted(self.found - self.answer.covers)

    @property
    def misses(self) -> list[str]:
        return sorted(self.answer.covers - self.found)

    def evidence(self, point_id: str) -> str:
        for c in self.report.coverage.covered:
            if c.id == point_id:
                return f'{c.how} "{c.evidence}"'
        return ""


@dataclass(slots=True)
class Results:
    outcomes: list[Outcome] = field(default_factory=list)

    def coverage(self, category: str | None = None) -> Tally:
        tally = Tally()
        for o in self.outcomes:
            if category is None or o.question.category == category:
                tally.add(o.found, o.answer.covers)
        return tally

    def star(self) -> Tally:
        tally = Tally()
        for o in self.outcomes:
            if o.star_found is not None and o.answer.star is not None:
                tally.add(o.star_found, {p for p in STAR_PARTS if o.answer.star.get(p)})
        return tally

    def salad_max_points(self) -> int:
        """The most points any keyword-salad answer covered."""
        return max(
            (len(o.found) for o in self.outcomes if o.answer.style == "keyword-salad"),
            default=0,
        )

    def categories(self) -> list[str]:
        return sorted({o.question.category for o in self.outcomes})


def run(
    answers: Sequence[Answer],
    library: Library,
    *,
    meaning: Embedder | None,
    damaged: bool = False,
) -> Results:
    """Analyse every answer as a transcript (clean or damaged) and collect the outcomes."""
    results = Results()
    for answer in answers:
        question = library.find(answer.question)
        transcript = transcript_of(answer.text, seed=answer.id, damaged=damaged)
        report = analyze(transcript, question, meaning=meaning)
        found = frozenset(c.id for c in report.coverage.covered)
        star_found = None
        if report.star is not None:
            star_found = frozenset(p.name for p in report.star.parts if p.present)
        results.outcomes.append(Outcome(answer, question, report, found, star_found))
    return results
