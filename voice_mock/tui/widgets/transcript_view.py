"""The answer as timed lines: fillers, hedges, key points and STAR parts each in their own style.

An `OptionList` so a line can be chosen with the keyboard; the review screen
plays the recording from the highlighted line's start, and while it plays
`follow` moves the highlight to the line being heard. The lines come from
`voice_mock.render.lines`, the same split (and the same marks) the Markdown
export uses; `legend_text` says what each style means.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from voice_mock.analysis.saved import SavedReport
from voice_mock.render.lines import LEGEND, Line, line_at, transcript_lines
from voice_mock.render.numbers import clock
from voice_mock.render.safe import visible
from voice_mock.transcript import Transcript

STYLES = {
    "filler": "bold black on yellow",
    "hedge": "italic underline dark_orange",
    "point": "bold green",
    "star": "bold bright_blue",
    "hesitation": "italic magenta",
    "pause": "cyan",
    "long-pause": "bold cyan",
}
"""One style per mark; `legend_text` shows each in its own style."""

STAR_TAGS = {"situation": "S▸", "task": "T▸", "action": "A▸", "result": "R▸"}
"""Shown before the first word of each STAR part's phrase."""

LEGEND_SAMPLES = {
    "filler": "um",
    "hedge": "i think",
    "point": "key point",
    "star": "S▸ STAR",
    "pause": "⏸ pause",
    "hesitation": "~ voice",
}


def line_text(line: Line) -> Text:
    """One line as styled text: its time, then each piece in the style of its kind."""
    text = Text(f"{clock(line.start)}  ", style="dim")
    text.append_text(words_text(line))
    return text


TIME_WIDTH = 6
"""The time column: "12:34" and a space; wrapped words are indented to it."""


def line_prompt(line: Line, width: int | None = None) -> Text:
    """A line as the list shows it: the time, then the words; a line that wraps keeps its
    words clear of the time column (wrapped here, to `width`, since a list item has no
    hanging indent of its own)."""
    head = Text(clock(line.start).ljust(TIME_WIDTH), style="dim")
    room = (width or 0) - TIME_WIDTH
    return head + words_text(line, room if width is not None and room >= 8 else None)


def _pieces(line: Line) -> list[tuple[str, str, bool]]:
    """(text, style, starts a word) for each piece of a line, in order."""
    out: list[tuple[str, str, bool]] = []
    for piece in line.pieces:
        if piece.is_word:
            if piece.opens:
                out.append((STAR_TAGS.get(piece.part, "▸"), STYLES["star"], True))
            style = STYLES.get(piece.kind, "")
            if piece.part and piece.kind == "word":
                style = "underline"
            out.append((visible(piece.text), style, not piece.opens))
        elif piece.kind == "hesitation":
            out.append((f"~{piece.seconds:.1f}s", STYLES["hesitation"], True))
        else:
            out.append((f"⏸{piece.seconds:.1f}s", STYLES[piece.kind], True))
    return out


def words_text(line: Line, room: int | None = None) -> Text:
    """A line's words and marks, each piece in the style of its kind; with `room`, wrapped
    between pieces to that width, the next lines indented by `TIME_WIDTH`."""
    text = Text()
    used = 0
    for chunk, style, separate in _pieces(line):
        size = cell_len(chunk)
        if used and separate:
            if room is not None and used + 1 + size > room:
                text.append("\n" + " " * TIME_WIDTH)
                used = 0
            else:
                text.append(" ")
                used += 1
        text.append(chunk, style=style)
        used += size
    return text


def legend_text() -> Text:
    """What the transcript's styles mean, each sample in its own style."""
    out = Text()
    for kind, _meaning in LEGEND:
        if out:
            out.append("  ")
        out.append(LEGEND_SAMPLES[kind], style=STYLES[kind])
    return out


class TranscriptLegend(Static):
    """One line under the transcript: the styles it uses (wraps on a narrow screen)."""

    def on_mount(self) -> None:
        self.update(legend_text())
        self.tooltip = "\n".join(f"{LEGEND_SAMPLES[k]}: {meaning}" for k, meaning in LEGEND)


class TranscriptView(OptionList):
    """Timed transcript lines; the highlighted line's start is `selected_start`."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: list[Line] = []
        self.texts: list[Text] = []
        self._wrapped_to: int | None = None

    def show(
        self,
        transcript: Transcript | None,
        report: SavedReport | None,
        long_pause_s: float,
        empty: str = "No transcript yet.",
    ) -> None:
        """Replace the content with `transcript` marked up from `report`."""
        self.clear_options()
        self.lines = transcript_lines(transcript, report, long_pause_s) if transcript else []
        self.texts = [line_text(line) for line in self.lines]
        if not self.lines:
            self.add_option(Option(Text(empty, style="italic"), disabled=True))
            return
        self._wrapped_to = self._width()
        self.add_options([Option(line_prompt(line, self._wrapped_to)) for line in self.lines])
        self.highlighted = 0

    def _width(self) -> int | None:
        """Room for a line's text (None before the list has a size)."""
        width = self.scrollable_content_region.width - 2  # the option's own padding
        return width if width > 0 else None

    def on_resize(self) -> None:
        """Wrap the lines again for the new width (the time column stays clear)."""
        width = self._width()
        if not self.lines or width == self._wrapped_to:
            return
        self._wrapped_to = width
        keep = self.highlighted
        for index, line in enumerate(self.lines):
            self.replace_option_prompt_at_index(index, line_prompt(line, width))
        self.highlighted = keep

    @property
    def plain_text(self) -> str:
        """The shown text, for tests and copying."""
        return "\n".join(text.plain for text in self.texts)

    @property
    def selected_start(self) -> float:
        """Where the highlighted line starts (0 when nothing is highlighted)."""
        if self.highlighted is None or not self.lines:
            return 0.0
        return self.lines[min(self.highlighted, len(self.lines) - 1)].start

    def follow(self, seconds: float) -> int | None:
        """Highlight the line being heard `seconds` into the recording (playback calls it);
        returns its index, or None before the first word."""
        index = line_at(self.lines, seconds)
        if index is not None and index != self.highlighted:
            self.highlighted = index
            self.scroll_to_highlight()
        return index
