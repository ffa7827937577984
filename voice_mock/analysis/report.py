"""One answer's full analysis: `analyze()` builds a `Report`; `to_dict()` is the report JSON.

The JSON keeps exactly the keys of "Contract: report JSON" in DESIGN.md and
adds more (verdicts, pace windows, STAR, delivery...). `format_report()` is
the same report as plain text for the terminal, every number with a verdict
in words so a user knows what to work on.
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
from voice_mock.analysis.words import (
    Hedge,
    Repetition,
    find_hedges,
    find_repetitions,
    hedge_counts,
    top_words,
)
from voice_mock.transcript import Transcript

__all__ = ["QuestionLike", "Report", "analyze", "format_report", "headline_verdicts"]


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

    def fillers_verdict(self) -> str:
        return fillers_verdict(self.fillers_per_minute, self.thresholds, spoke=self.spoke)

    def verdicts(self) -> dict[str, str]:
        """One plain verdict per metric, for summaries and the UI's colours."""
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
            out["star"] = self.star.verdict
        if self.delivery is not None:
            out["loudness"] = self.delivery.loudness_verdict
            out["trailing_off"] = self.delivery.trailing_verdict
            out["clipping"] = "clipping" if self.delivery.clipping else "good"
            out["pitch_variation"] = self.delivery.pitch_verdict
        if self.phone is not None:
            out["phone_pace"] = self.phone.pace_verdict
            out["phone_volume"] = self.phone.volume_verdict
        return out

    def to_dict(self) -> dict[str, Any]:
        """The report JSON: the contract's keys, then extras. Only JSON types inside."""
        verdicts = self.verdicts()
        hesitations = self.hesitations
        return {
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
        }


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
) -> dict[str, str]:
    """Verdicts for whichever headline numbers are known; a None number gets no verdict.

    `Report.verdicts` uses it, and so do fronts that only hold the indexed
    numbers (history rows) or a report saved before a verdict existed, so
    every verdict is judged by the same code and the user's thresholds.
    The coverage verdict needs ``has_question`` when the ratio is None (a
    free answer and a question without key points both have no ratio).
    """
    out: dict[str, str] = {}
    if wpm is not None:
        out["pace"] = pace_verdict(wpm, thresholds, spoke=spoke)
    if fillers_per_min is not None:
        out["fillers"] = fillers_verdict(fillers_per_min, thresholds, spoke=spoke)
    if long_pauses is not None:
        out["pauses"] = pauses_verdict(long_pauses, spoke=spoke)
    if speaking_s is not None and target_s is not None:
        out["length"] = length_verdict(speaking_s if spoke else 0.0, target_s)
    if coverage_ratio is not None or has_question is not None:
        out["coverage"] = coverage_verdict(
            coverage_ratio, thresholds, has_question=has_question is not False
        )
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
            tokens, index, filler_indexes, question, meaning=meaning, prose=prose
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


def _clock(seconds: float) -> str:
    minutes, secs = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{secs:04.1f}"


def format_report(report: Report) -> str:
    """The report as plain text: sections with headline numbers and verdicts in words."""
    v = report.verdicts()
    t = report.thresholds
    lines: list[str] = []

    def section(title: str) -> None:
        if lines:
            lines.append("")
        lines.append(title.upper())

    section("Overview")
    if report.question_id:
        lines.append(f"  Question: {report.question_qualified_id or report.question_id}")
    lines.append(f"  Recording: {report.duration_s:.1f} s; speaking {report.speaking_s:.1f} s")
    lines.append(f"  Words: {report.word_count}")
    lines.append(
        f"  Started answering after {report.response_latency_s:.1f} s: {v['latency']}"
        f" (slow after {t.latency_slow_s:g} s)"
    )
    low, high = report.target_s
    lines.append(
        f"  Answer length: {report.speaking_s:.0f} s (target {low:.0f}-{high:.0f} s): {v['length']}"
    )
    if not report.spoke:
        lines.append("  No words were recognised: nothing else to measure.")

    section("Pace")
    lines.append(
        f"  {report.wpm:.0f} words per minute: {v['pace']} "
        f"(conversational {t.wpm_target_low:.0f}-{t.wpm_target_high:.0f})"
    )
    if len(report.windows) > 1:
        parts = [f"{_clock(w.start)} {w.wpm:.0f}" for w in report.windows]
        lines.append("  Over the answer (start, wpm): " + ", ".join(parts))

    section("Fillers")
    counts = filler_counts(report.fillers)
    lines.append(
        f"  {_plural(len(report.fillers), 'filler')}, {report.fillers_per_minute:.1f} per minute: "
        f"{v['fillers']}"
        f" (fluent at or under {t.fillers_fluent_per_min:g} a minute)"
    )
    if counts:
        lines.append("  " + ", ".join(f'"{k}" x{n}' for k, n in counts.items()))
    for burst in report.bursts:
        lines.append(
            f"  Burst of {len(burst.fillers)} at {_clock(burst.start)}: " + " ".join(burst.fillers)
        )
    if report.repetitions:
        lines.append(
            "  Repeated words: "
            + ", ".join(f'"{r.text}" x{r.count} at {_clock(r.start)}' for r in report.repetitions)
        )
    hedges = hedge_counts(report.hedges)
    if hedges:
        lines.append("  Hedges: " + ", ".join(f'"{k}" x{n}' for k, n in hedges.items()))
    if report.top_words:
        lines.append(
            "  Most-used words: "
            + ", ".join(f"{w['word']} ({w['count']})" for w in report.top_words)
        )

    section("Pauses")
    lines.append(
        f"  {_plural(len(report.pauses), 'pause')} of {t.pause_s:g} s or more, "
        f"{len(report.long_pauses)} of {t.long_pause_s:g} s or more: {v['pauses']}"
    )
    if report.pauses:
        lines.append(f"  Longest: {report.longest_pause_s:.1f} s")
    for pause in report.long_pauses:
        lines.append(f"  Long pause at {_clock(pause.start)}: {pause.duration:.1f} s")

    section("Coverage")
    ratio = report.coverage.ratio
    if ratio is None:
        if report.question_id is None:
            lines.append("  No question given: key points not checked.")
        else:
            lines.append("  This question lists no key points to check.")
    else:
        lines.append(f"  {ratio:.0%} of key points: {v['coverage']}")
        for point in report.coverage.covered:
            lines.append(f'  [x] {point.label} at {_clock(point.at_s)} ("{point.evidence}")')
        for missed in report.coverage.missed:
            lines.append(f"  [ ] {missed.label}")

    if report.star is not None:
        section("STAR")
        lines.append(f"  {report.star.verdict}")
        for part in report.star.parts:
            if part.present and part.at_s is not None:
                lines.append(f'  {part.name.title()}: at {_clock(part.at_s)} ("{part.evidence}")')
            else:
                lines.append(f"  {part.name.title()}: not heard")

    section("Delivery")
    delivery = report.delivery
    if delivery is None:
        lines.append("  No audio analysed (transcript only).")
    else:
        hes = delivery.hesitations
        lines.append(
            f"  Hesitations (voice without words): {len(hes)}, "
            f"{sum(h.duration for h in hes):.1f} s in all"
        )
        level = delivery.loudness_dbfs
        lines.append(
            "  Loudness: "
            + ("no speech detected" if level is None else f"{level:.0f} dBFS: {v['loudness']}")
        )
        share = delivery.trailing_share
        lines.append(
            "  Trailing off: "
            + (
                v["trailing_off"]
                if share is None
                else f"{delivery.trailing_count} of {delivery.stretch_count} stretches: "
                f"{v['trailing_off']}"
            )
        )
        lines.append(
            f"  Clipping: {v['clipping']} (peak {delivery.peak:.2f}, "
            f"{delivery.clipped_ratio:.2%} of samples at the ceiling)"
        )
        spread = delivery.pitch_spread_st
        lines.append(
            "  Pitch variation: "
            + (
                v["pitch_variation"]
                if spread is None
                else f"{spread:.1f} semitones: {v['pitch_variation']}"
            )
        )

    if report.phone is not None:
        section("Phone advice")
        phone = report.phone
        lines.append(f"  Dead air ({t.phone_dead_air_s:g} s or more): {len(phone.dead_air)}")
        lines.append(
            f"  Pace {phone.wpm:.0f} wpm against {phone.band[0]:.0f}-{phone.band[1]:.0f}: "
            f"{phone.pace_verdict}"
        )
        lines.append(f"  Volume: {phone.volume_verdict}")
        for tip in phone.advice:
            lines.append(f"  - {tip}")
    return "\n".join(lines) + "\n"


def _plural(count: int, noun: str) -> str:
    """ "1 pause", "3 pauses": the text report reads as sentences."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
