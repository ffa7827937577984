"""A live microphone level bar with the elapsed time against the question's target band."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from voice_mock.render.numbers import clock

FLOOR_DBFS = -60.0
"""Readings at or below this show an empty bar (room noise)."""


class LevelMeter(Widget):
    """Shows how loud the answer is and how long it has run; fed by `MicLevel` messages."""

    DEFAULT_CSS = """
    LevelMeter { height: 2; }
    """

    dbfs: reactive[float] = reactive(FLOOR_DBFS)
    speaking: reactive[bool] = reactive(False)
    elapsed_s: reactive[float] = reactive(0.0)
    target: reactive[tuple[float, float] | None] = reactive(None)

    def render(self) -> Text:
        width = max(10, self.size.width - 14)
        fraction = min(1.0, max(0.0, (self.dbfs - FLOOR_DBFS) / -FLOOR_DBFS))
        filled = round(fraction * width)
        style = "bold green" if self.speaking else "dim green"
        if self.dbfs > -3:
            style = "bold red"
        bar = Text("mic ")
        bar.append("█" * filled, style=style)
        bar.append("░" * (width - filled), style="dim")
        bar.append(f" {self.dbfs:5.0f} dB")
        line = Text(f"    {clock(self.elapsed_s)}")
        if self.target is not None:
            low, high = self.target
            if self.elapsed_s < low:
                note, note_style = f" aim for {clock(low)}-{clock(high)}", "yellow"
            elif self.elapsed_s <= high:
                note, note_style = " in the target band", "green"
            else:
                note, note_style = f" past {clock(high)}: wrap up", "bold red"
            line.append(note, style=note_style)
        return Text("\n").join([bar, line])
