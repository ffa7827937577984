"""The answer as timed lines: fillers highlighted, pauses and hesitations marked with their length.

An `OptionList` so a line can be chosen with the keyboard; the review screen
plays the recording from the highlighted line's start. The lines themselves
come from `voice_mock.render.lines`, the same split the Markdown export uses.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from voice_mock.analysis.saved import SavedReport
from voice_mock.render.lines import Line, transcript_lines
from voice_mock.render.numbers import clock
from voice_mock.render.safe import visible
from voice_mock.transcript import Transcript

STYLES = {
    "filler": "bold black on yellow",
    "hesitation": "italic magenta",
    "pause": "cyan",
    "long-pause": "bold cyan",
}


def line_text(line: Line) -> Text:
    """One line as styled text: its time, then each piece in the style of its kind."""
    text = Text(f"{clock(line.start)}  ", style="dim")
    first = True
    for piece in line.pieces:
        if piece.kind in ("word", "filler"):
            if not first:
                text.append(" ")
            text.append(visible(piece.text), style=STYLES.get(piece.kind, ""))
            first = False
        elif piece.kind == "hesitation":
            text.append(f" ~{piece.seconds:.1f}s", style=STYLES["hesitation"])
        else:
            text.append(f" ⏸{piece.seconds:.1f}s", style=STYLES[piece.kind])
    return text


class TranscriptView(OptionList):
    """Timed transcript lines; the highlighted line's start is `selected_start`."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: list[Line] = []
        self.texts: list[Text] = []

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
        self.add_options([Option(text) for text in self.texts])
        self.highlighted = 0

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
