"""One answer's full analysis: `analyze()` builds a `Report`; `to_dict()` is the report JSON.

The JSON keeps exactly the keys of the report contract (docs/contracts.md)
and adds more (verdicts and their levels, pace windows, STAR, delivery...).
`voice_mock.render` turns a report into text and Markdown for people.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from voice_mock.analysis.coverage import Coverage, QuestionLike, coverage_verdict, find_coverage
from voice_mock.analysis.delivery import (
    Delivery,
    PhoneAdvice,
    Span,
    analyse_delivery,
    phone_advice,
)
from voice_mock.analysis.features import AudioFeatures
from voice_mock.analysis.fillers import (
    Filler,
    FillerBurst,
    filler_counts,
    fillers_verdict,
    find_bursts,
    find_fillers,
)
from voice_mock.analysis.meaning import Embedder
from voice_mock.analysis.sentences import find_prose
from voice_mock.analysis.structure import Star, find_star
from voice_mock.analysis.text import StemIndex
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.timing import (
    PaceWindow,
    Pause,
    find_gaps,
    latency_verdict,
    length_verdict,
    long_pauses,
    pace_verdict,
    pace_windows,
    pauses_verdict,
)
from voice_mock.analysis.tokens import Token, clean_words, r2
from voice_mock.analysis.verdicts import Level, Verdict
from voice_mock.analysis.words import (
    Hedge,
    Repetition,
    find_hedges,
    find_repetitions,
    hedge_counts,
    top_words,
)
from voice_mock.transcript import Transcript

__all__ = ["QuestionLike", "Report", "analyze", "headline_verdicts"]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything measured about one answer; plain data, JSON via `to_dict()`."""

    question_id: str | None
    question_qualified_id: str | None
    thresholds: Thresholds
    duration_s: float
    speaking_s: float
    word_count: int
    wpm: float
    response_latency_s: float
    tokens: tuple[Token, ...]
    fillers: tuple[Filler, ...]
    bursts: tuple[FillerBurst, ...]
    pauses: tuple[Pause, ...]
    long_pauses: tuple[Pause, ...]
    windows: tuple[PaceWindow, ...]
    coverage: Coverage
    star: Star | None
    """STAR parts; only for questions marked ``star``."""
    repetitions: tuple[Repetition, ...]
    hedges: tuple[Hedge, ...]
    top_words: tuple[dict[str, object], ...]
    target_s: tuple[float, float]
    target_source: str
    """"question" when the question set the band, "default" from `Thresholds` otherwise."""
    delivery: Delivery | None
    """Audio measures; None when only a transcript was given."""
    phone: PhoneAdvice | None
    """Phone-interview advice; None unless analysed in phone mode."""

    @property
    def spoke(self) -> bool:
        return self.word_count > 0

    @property
    def fillers_per_minute(self) -> float:
        return len(self.fillers) / self.speaking_s * 60.0 if self.speaking_s > 0 else 0.0

    @property
    def longest_pause_s(self) -> float:
        return max((p.duration for p in self.pauses), default=0.0)

    @property
    def hesitations(self) -> tuple[Span, ...] | None:
        return None if self.delivery is None else self.delivery.hesitations

    def fillers_verdict(self) -> Verdict:
        return fillers_verdict(self.fillers_per_minute, self.thresholds, spoke=self.spoke)

    def verdicts(self) -> dict[str, Verdict]:
        """One verdict (level and words) per judged measure, for summaries and the UI."""
        out = headline_verdicts(
            self.thresholds,
            spoke=self.spoke,
            speaking_s=self.speaking_s,
            target_s=self.target_s,
            wpm=self.wpm,
            fillers_per_min=self.fillers_per_minute,
            long_pauses=len(self.long_pauses),
            latency_s=self.response_latency_s,
            coverage_ratio=self.coverage.ratio,
            has_question=self.coverage.has_question,
        )
        if self.star is not None:
            out["star"] = Verdict(star_level(len(self.star.missing), self.star.in_order),
                                  self.star.verdict)  # fmt: skip
        if self.delivery is not None:
            out["loudness"] = self.delivery.loudness_verdict
            out["trailing_off"] = self.delivery.trailing_verdict
            out["clipping"] = self.delivery.clipping_verdict
            out["pitch_variation"] = self.delivery.pitch_verdict
        if self.phone is not None:
            out["phone_pace"] = self.phone.pace_verdict
            out["phone_volume"] = self.phone.volume_verdict
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report JSON: the contract's keys, then extras. Only JSON types inside.

        Verdicts are written as their words (``"verdict": "too fast"``, as
        always), with their levels beside them in ``verdict_levels``.
        """
        judged = self.verdicts()
        verdicts = {key: verdict.text for key, verdict in judged.items()}
        hesitations = self.hesitations
        return with_advice({
            "question_id": self.question_id,
            "duration_s": r2(self.duration_s),
            "speaking_s": r2(self.speaking_s),
            "word_count": self.word_count,
            "wpm": r2(self.wpm),
            "response_latency_s": r2(self.response_latency_s),
            "fillers": {
                "total": len(self.fillers),
                "per_minute": r2(self.fillers_per_minute),
                "counts": filler_counts(self.fillers),
                "occurrences": [f.to_dict() for f in self.fillers],
                "verdict": verdicts["fillers"],
            },
            "pauses": {
                "count": len(self.pauses),
                "long_count": len(self.long_pauses),
                "longest_s": r2(self.longest_pause_s),
                "occurrences": [p.to_dict() for p in self.pauses],
                "verdict": verdicts["pauses"],
            },
            "coverage": {**self.coverage.to_dict(), "verdict": verdicts["coverage"]},
            # --- beyond the contract ---
            "question_qualified_id": self.question_qualified_id,
            "verdicts": verdicts,
            "verdict_levels": {key: str(verdict.level) for key, verdict in judged.items()},
            "pace": {
                "wpm": r2(self.wpm),
                "target_wpm": [
                    r2(self.thresholds.wpm_target_low),
                    r2(self.thresholds.wpm_target_high),
                ],
                "flag_wpm": [r2(self.thresholds.wpm_low), r2(self.thresholds.wpm_high)],
                "verdict": verdicts["pace"],
            },
            "pace_windows": [w.to_dict() for w in self.windows],
            "answer_length": {
                "speaking_s": r2(self.speaking_s),
                "target_s": [r2(self.target_s[0]), r2(self.target_s[1])],
                "source": self.target_source,
                "verdict": verdicts["length"],
            },
            "filler_bursts": [b.to_dict() for b in self.bursts],
            "repetitions": [r.to_dict() for r in self.repetitions],
            "hedges": {
                "total": len(self.hedges),
                "counts": hedge_counts(self.hedges),
                "occurrences": [h.to_dict() for h in self.hedges],
            },
            "top_words": [dict(w) for w in self.top_words],
            "star": None if self.star is None else self.star.to_dict(),
            "hesitations": (
                None
                if hesitations is None
                else {
                    "count": len(hesitations),
                    "total_s": r2(sum(h.duration for h in hesitations)),
                    "occurrences": [h.to_dict() for h in hesitations],
                }
            ),
            "delivery": None if self.delivery is None else self.delivery.to_dict(),
            "phone": None if self.phone is None else self.phone.to_dict(),
            "thresholds": {
                k: list(v) if isinstance(v, tuple) else v
                for k, v in asdict(self.thresholds).items()
            },
        }, self.thresholds, self.target_s)  # fmt: skip


def with_advice(
    data: dict[str, Any], thresholds: Thresholds, target_s: tuple[float, float]
) -> dict[str, Any]:
    """The report JSON with its ``advice`` and ``focus`` (`voice_mock.analysis.advice`).

    Advised from the JSON itself, read as a `SavedReport`, so a new report and
    an old one shown later are advised by the very same code.
    """
    from voice_mock.analysis.advice import advise
    from voice_mock.analysis.saved import SavedReport

    data.update(advise(SavedReport.from_dict(data), thresholds, target_s).to_dict())
    return data


def coverage_level(ratio: float | None, thresholds: Thresholds) -> Level:
    """How the share of key points covered went: judged by the number, not the words."""
    if ratio is None:
        return Level.NONE
    if ratio >= thresholds.coverage_good_ratio:
        return Level.GOOD
    if ratio >= thresholds.coverage_partial_ratio:
        return Level.WATCH
    return Level.WORK_ON


def star_level(missing: int, in_order: bool) -> Level:
    """A complete story in order is good; one part missing (or out of order) worth
    watching; two or more missing is the story to rebuild."""
    if missing >= 2:
        return Level.WORK_ON
    if missing == 1 or not in_order:
        return Level.WATCH
    return Level.GOOD


def headline_verdicts(
    thresholds: Thresholds,
    *,
    spoke: bool,
    speaking_s: float | None = None,
    target_s: tuple[float, float] | None = None,
    wpm: float | None = None,
    fillers_per_min: float | None = None,
    long_pauses: int | None = None,
    latency_s: float | None = None,
    coverage_ratio: float | None = None,
    has_question: bool | None = None,
) -> dict[str, Verdict]:
    """Verdicts for whichever headline numbers are known; a None number gets no verdict.

    `Report.verdicts` uses it, and so do fronts that only hold the indexed
    numbers (history rows) or a report saved before a verdict existed, so
    every verdict is judged by the same code and the user's thresholds.
    The coverage verdict needs ``has_question`` when the ratio is None (a
    free answer and a question without key points both have no ratio).
    """
    out: dict[str, Verdict] = {}
    if wpm is not None:
        out["pace"] = pace_verdict(wpm, thresholds, spoke=spoke)
    if fillers_per_min is not None:
        out["fillers"] = fillers_verdict(fillers_per_min, thresholds, spoke=spoke)
    if long_pauses is not None:
        out["pauses"] = pauses_verdict(long_pauses, spoke=spoke)
    if speaking_s is not None and target_s is not None:
        out["length"] = length_verdict(speaking_s if spoke else 0.0, target_s)
    if coverage_ratio is not None or has_question is not None:
        words = coverage_verdict(coverage_ratio, thresholds, has_question=has_question is not False)
        out["coverage"] = Verdict(coverage_level(coverage_ratio, thresholds), words)
    if latency_s is not None:
        out["latency"] = latency_verdict(latency_s, thresholds, spoke=spoke)
    return out


def analyze(
    transcript: Transcript,
    question: QuestionLike | None = None,
    *,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, so sharing it is safe
    audio: AudioFeatures | None = None,
    phone: bool = False,
    meaning: Embedder | None = None,
) -> Report:
    """Analyse one answer. Pure: same inputs, same report; linear in the answer's length.

    ``meaning`` is the sentence embedder (`voice_mock.embedding.get_embedder()`);
    with it key points are also covered by meaning, without it by cue phrases only.
    """
    tokens = clean_words(transcript.words, thresholds)
    if tokens:
        first, last = tokens[0].start, tokens[-1].end
        speaking_s = max(0.0, last - first)
        latency = first
    else:
        speaking_s = latency = 0.0
    if transcript.duration_s is not None:
        duration_s = transcript.duration_s
    else:
        duration_s = max((w.end for w in transcript.words), default=0.0)
    wpm = len(tokens) / speaking_s * 60.0 if speaking_s > 0 else 0.0

    fillers = find_fillers(tokens, thresholds)
    filler_indexes = frozenset(k for f in fillers for k in range(f.first, f.last + 1))
    index = StemIndex([t.text for t in tokens])
    prose = find_prose(index.words, filler_indexes)
    pauses = find_gaps(tokens, thresholds.pause_s)

    # the story's shape, for behavioural questions only: finding it in every answer let a
    # story make a point that asks for an example elsewhere too, but gained nothing
    # measurable on dev and cost ~40 ms on an hour-long transcript
    star = None
    if question is not None and question.star:
        star = find_star(tokens, index, filler_indexes)
    if question is not None:
        target = (float(question.target_seconds[0]), float(question.target_seconds[1]))
        source = "question"
    else:
        target, source = thresholds.general_target_s, "default"

    delivery = analyse_delivery(tokens, audio, thresholds) if audio is not None else None
    return Report(
        question_id=question.id if question is not None else None,
        question_qualified_id=question.qualified_id if question is not None else None,
        thresholds=thresholds,
        duration_s=duration_s,
        speaking_s=speaking_s,
        word_count=len(tokens),
        wpm=wpm,
        response_latency_s=latency,
        tokens=tokens,
        fillers=fillers,
        bursts=find_bursts(fillers, thresholds),
        pauses=pauses,
        long_pauses=long_pauses(pauses, thresholds),
        windows=pace_windows(tokens, thresholds),
        coverage=find_coverage(
            tokens,
            index,
            filler_indexes,
            question,
            meaning=meaning,
            prose=prose,
            story=None if star is None else star.tells_story,
            star_parts=() if star is None else star.parts,
        ),
        star=star,
        repetitions=find_repetitions(tokens),
        hedges=find_hedges(tokens, index),
        top_words=tuple(top_words(tokens, filler_indexes)),
        target_s=target,
        target_source=source,
        delivery=delivery,
        phone=phone_advice(tokens, wpm, thresholds, delivery) if phone else None,
    )
