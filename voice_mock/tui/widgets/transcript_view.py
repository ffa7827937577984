"""The answer as timed lines: fillers highlighted, pauses and hesitations marked with their length.

An `OptionList` so a line can be chosen with the keyboard; the review screen
plays the recording from the highlighted line's start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from voice_mock.transcript import Transcript, Word
from voice_mock.tui.formatting import clock, section

NOISE = frozenset({"[unk]", "<unk>", "[noise]", "[laughter]", "[breath]"})
MAX_WORDS_PER_LINE = 8


@dataclass(frozen=True, slots=True)
class Line:
    """One displayed line and where it starts in the recording."""

    start: float
    text: Text


def _spans(items: Any) -> list[tuple[float, float]]:
    out = []
    for item in items or []:
        if isinstance(item, Mapping):
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int | float) and isinstance(end, int | float):
                out.append((float(start), float(end)))
    return out


def _gaps(items: Any) -> dict[float, float]:
    """Start time of a gap -> its length, for pauses and hesitations."""
    out: dict[float, float] = {}
    for start, end in _spans(items):
        out[round(start, 2)] = end - start
    return out


def build_lines(
    transcript: Transcript, report: Mapping[str, Any] | None, long_pause_s: float
) -> list[Line]:
    """Split the words into lines at long pauses or every few words, marking what matters."""
    fillers = _spans(section(report, "fillers").get("occurrences"))
    pauses = _gaps(section(report, "pauses").get("occurrences"))
    hesitation_items = (report or {}).get("hesitations")
    if isinstance(hesitation_items, Mapping):
        hesitation_items = hesitation_items.get("occurrences")
    hesitations = _spans(hesitation_items)
    words: Sequence[Word] = [w for w in transcript.words if w.text.lower() not in NOISE]
    lines: list[Line] = []
    current = Text()
    start = words[0].start if words else 0.0
    count = 0

    def is_filler(word: Word) -> bool:
        return any(a - 0.01 <= word.start and word.end <= b + 0.01 for a, b in fillers)

    def flush(next_start: float) -> None:
        nonlocal current, count, start
        if count:
            lines.append(Line(start, Text(f"{clock(start)}  ", style="dim") + current))
        current, count, start = Text(), 0, next_start

    for index, word in enumerate(words):
        if count >= MAX_WORDS_PER_LINE:
            flush(word.start)
        if count:
            current.append(" ")
        style = "bold black on yellow" if is_filler(word) else ""
        current.append(word.text, style=style)
        count += 1
        for h_start, h_end in hesitations:
            if word.end - 0.01 <= h_start <= word.end + 0.5:
                current.append(f" ~{h_end - h_start:.1f}s", style="italic magenta")
        if index + 1 < len(words):
            gap = pauses.get(round(word.end, 2))
            if gap is None:
                measured = words[index + 1].start - word.end
                gap = measured if measured >= long_pause_s else None
            if gap is not None:
                current.append(
                    f" ⏸{gap:.1f}s", style="bold cyan" if gap >= long_pause_s else "cyan"
                )
                if gap >= long_pause_s:
                    flush(words[index + 1].start)
    flush(0.0)
    return lines


class TranscriptView(OptionList):
    """Timed transcript lines; the highlighted line's start is `selected_start`."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: list[Line] = []

    def show(
        self,
        transcript: Transcript | None,
        report: Mapping[str, Any] | None,
        long_pause_s: float,
        empty: str = "No transcript yet.",
    ) -> None:
        """Replace the content with `transcript` marked up from `report`."""
        self.clear_options()
        self.lines = build_lines(transcript, report, long_pause_s) if transcript else []
        if not self.lines:
            self.add_option(Option(Text(empty, style="italic"), disabled=True))
            return
        self.add_options([Option(line.text) for line in self.lines])
        self.highlighted = 0

    @property
    def plain_text(self) -> str:
        """The shown text, for tests and copying."""
        return "\n".join(line.text.plain for line in self.lines)

    @property
    def selected_start(self) -> float:
        """Where the highlighted line starts (0 when nothing is highlighted)."""
        if self.highlighted is None or not self.lines:
            return 0.0
        return self.lines[min(self.highlighted, len(self.lines) - 1)].start
