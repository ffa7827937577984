"""The answer as timed lines of marked-up pieces, for the review screen and the exports.

Words are split into lines at long pauses or every few words; each piece
says what it is (a word, a filler, a pause, a hesitation), so the TUI styles
it and the Markdown export marks it, from one split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from voice_mock.analysis.saved import SavedReport
from voice_mock.transcript import Transcript, Word, is_noise

MAX_WORDS_PER_LINE = 8
TIME_SLACK_S = 0.01

Kind = Literal["word", "filler", "pause", "long-pause", "hesitation"]


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of a line: a word as said, or a marker with its length."""

    kind: Kind
    text: str
    start: float
    seconds: float = 0.0
    """Length of a pause or hesitation."""


@dataclass(slots=True)
class Line:
    """One line of the transcript and where it starts and ends in the recording."""

    start: float
    end: float = 0.0
    pieces: list[Piece] = field(default_factory=list)

    @property
    def words(self) -> list[Piece]:
        return [p for p in self.pieces if p.kind in ("word", "filler")]


def _inside(word: Word, spans: Sequence[tuple[float, float]]) -> bool:
    return any(a - TIME_SLACK_S <= word.start and word.end <= b + TIME_SLACK_S for a, b in spans)


def transcript_lines(
    transcript: Transcript, report: SavedReport | None, long_pause_s: float
) -> list[Line]:
    """Split the words into lines at long pauses or every few words, marking what matters."""
    fillers = [(m.start, m.end) for m in report.fillers.occurrences] if report else []
    pauses = {round(g.start, 2): g.duration for g in report.pauses.occurrences} if report else {}
    hesitations = (
        [(g.start, g.end) for g in report.delivery.hesitations]
        if report is not None and report.delivery is not None
        else []
    )
    words = [w for w in transcript.words if not is_noise(w.text)]
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
        kind: Kind = "filler" if _inside(word, fillers) else "word"
        current.pieces.append(Piece(kind, word.text, word.start, word.end - word.start))
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
