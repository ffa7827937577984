"""The answer as timed lines of marked-up pieces, for the review screen and the exports.

Words are split into lines at long pauses or every few words; each piece
says what it is (a word, a filler, a hedge, a key point's evidence, a pause,
a hesitation) and which STAR part it opens, so the TUI styles it and the
Markdown export marks it, from one split.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from voice_mock.analysis.saved import SavedReport
from voice_mock.transcript import Transcript, Word, is_noise

MAX_WORDS_PER_LINE = 8
TIME_SLACK_S = 0.01
STAR_MARK_WORDS = 6
"""At most this many words are marked as a STAR part's phrase (a shape such as "one
saturday morning last winter" is named by its first words)."""

Kind = Literal["word", "filler", "hedge", "point", "pause", "long-pause", "hesitation"]
WORD_KINDS: frozenset[str] = frozenset({"word", "filler", "hedge", "point"})
"""Kinds that are words as said (the rest are markers with a length)."""

LEGEND: tuple[tuple[str, str], ...] = (
    ("filler", "filler word"),
    ("hedge", "hedge (i think, maybe)"),
    ("point", "key point made"),
    ("star", "where a STAR part starts"),
    ("pause", "pause"),
    ("hesitation", "voice without words"),
)
"""What each mark means, in the order the fronts' legends list them."""


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of a line: a word as said, or a marker with its length."""

    kind: Kind
    text: str
    start: float
    seconds: float = 0.0
    """Length of a pause or hesitation (of the word, for words)."""
    tag: str = ""
    """For a key point's evidence, the point's id."""
    part: str = ""
    """The STAR part ("situation", "task", "action", "result") whose phrase this word is in."""
    opens: bool = False
    """True for the first word of that phrase: where the part starts."""

    @property
    def is_word(self) -> bool:
        return self.kind in WORD_KINDS


@dataclass(slots=True)
class Line:
    """One line of the transcript and where it starts and ends in the recording."""

    start: float
    end: float = 0.0
    pieces: list[Piece] = field(default_factory=list)

    @property
    def words(self) -> list[Piece]:
        return [p for p in self.pieces if p.is_word]


def _inside(word: Word, spans: Sequence[tuple[float, float]]) -> bool:
    return any(a - TIME_SLACK_S <= word.start and word.end <= b + TIME_SLACK_S for a, b in spans)


def _marked_runs(
    words: Sequence[Word], runs: Iterable[tuple[float, int, str]]
) -> tuple[dict[int, str], set[int]]:
    """Word index -> tag for each run (start time, number of words, tag): the words from the
    first one starting at that time (the analysis' own times), first run first; and the
    indexes where a run starts."""
    starts = [w.start for w in words]
    out: dict[int, str] = {}
    firsts: set[int] = set()
    for at, count, tag in runs:
        first = bisect_left(starts, at - TIME_SLACK_S)
        if first >= len(words) or abs(words[first].start - at) > 0.05:
            continue  # a word the analysis saw is not in this transcript (edited): no mark
        if first not in out:
            firsts.add(first)
        for k in range(first, min(len(words), first + max(1, count))):
            out.setdefault(k, tag)
    return out, firsts


def transcript_lines(
    transcript: Transcript, report: SavedReport | None, long_pause_s: float
) -> list[Line]:
    """Split the words into lines at long pauses or every few words, marking what matters."""
    fillers = [(m.start, m.end) for m in report.fillers.occurrences] if report else []
    hedges = [(m.start, m.end) for m in report.hedges] if report else []
    pauses = {round(g.start, 2): g.duration for g in report.pauses.occurrences} if report else {}
    hesitations = (
        [(g.start, g.end) for g in report.delivery.hesitations]
        if report is not None and report.delivery is not None
        else []
    )
    words = [w for w in transcript.words if not is_noise(w.text)]
    points: dict[int, str] = {}
    parts: dict[int, str] = {}
    opens: set[int] = set()
    if report is not None:
        points, _ = _marked_runs(
            words,
            (
                (p.at_s, len(p.evidence.split()), p.id)
                for p in report.coverage.covered
                if p.at_s is not None and p.evidence
            ),
        )
        if report.star is not None:
            parts, opens = _marked_runs(
                words,
                (
                    (p.at_s, min(STAR_MARK_WORDS, len((p.phrase or "x").split())), p.name)
                    for p in report.star.parts
                    if p.present and p.at_s is not None
                ),
            )
    lines: list[Line] = []
    current = Line(words[0].start if words else 0.0)

    def flush(next_start: float) -> None:
        nonlocal current
        if current.words:
            lines.append(current)
        current = Line(next_start)

    for index, word in enumerate(words):
        if len(current.words) >= MAX_WORDS_PER_LINE:
            flush(word.start)
        kind: Kind = "word"
        if _inside(word, fillers):
            kind = "filler"
        elif _inside(word, hedges):
            kind = "hedge"
        elif index in points:
            kind = "point"
        current.pieces.append(
            Piece(
                kind,
                word.text,
                word.start,
                word.end - word.start,
                tag=points.get(index, ""),
                part=parts.get(index, ""),
                opens=index in opens,
            )
        )
        current.end = word.end
        for h_start, h_end in hesitations:
            if word.end - TIME_SLACK_S <= h_start <= word.end + 0.5:
                current.pieces.append(Piece("hesitation", "", h_start, h_end - h_start))
        if index + 1 < len(words):
            gap = pauses.get(round(word.end, 2))
            if gap is None:
                measured = words[index + 1].start - word.end
                gap = measured if measured >= long_pause_s else None
            if gap is not None:
                long = gap >= long_pause_s
                current.pieces.append(Piece("long-pause" if long else "pause", "", word.end, gap))
                if long:
                    flush(words[index + 1].start)
    flush(0.0)
    return lines


def line_at(lines: Sequence[Line], seconds: float) -> int | None:
    """The index of the line being heard at `seconds` into the recording (None before the
    first word); between two lines, the one that ended last, so the highlight never runs ahead."""
    starts = [line.start for line in lines]
    k = bisect_left(starts, seconds + TIME_SLACK_S) - 1
    return k if k >= 0 else None
