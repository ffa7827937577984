"""The live pace gauge, filler counter and nudge under the practice screen's level meter.

Fed `LiveReading`s from the turn (`analysis.live`): the pace is words a minute
over the last seconds of speaking, drawn against the target band; the nudge
is one gentle sentence, shown for a few seconds now and then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from voice_mock.analysis.live import LiveReading

SCALE_WPM = (60.0, 220.0)
"""The pace the gauge's bar spans."""
PACE_STYLE = {"slow": "yellow", "good": "green", "fast": "bold red"}
PACE_WORDS = {"slow": "slow", "good": "in the band", "fast": "fast"}


class LiveGauge(Widget):
    """Two lines: pace bar with the band marked and the filler count; the nudge, if any."""

    DEFAULT_CSS = """
    LiveGauge { height: 2; }
    """

    reading: reactive[LiveReading | None] = reactive(None)
    band: reactive[tuple[float, float]] = reactive((120.0, 160.0))

    def render(self) -> Text:
        reading = self.reading
        width = max(10, min(40, self.size.width - 40))
        low, high = SCALE_WPM
        line = Text("pace ")

        def cell(wpm: float) -> int:
            return round((min(max(wpm, low), high) - low) / (high - low) * (width - 1))

        band_from, band_to = (cell(v) for v in self.band)
        at = cell(reading.wpm) if reading is not None and reading.wpm is not None else None
        for i in range(width):
            if at is not None and i == at:
                style = PACE_STYLE.get(reading.pace or "good", "") if reading else ""
                line.append("●", style)
            else:
                line.append("━" if band_from <= i <= band_to else "─", "dim")
        if reading is None or reading.wpm is None:
            line.append("  listening for your pace…", "dim")
        else:
            line.append(f" {reading.wpm:3.0f} wpm ", PACE_STYLE.get(reading.pace or "", ""))
            line.append(PACE_WORDS.get(reading.pace or "", ""), "dim")
        fillers = reading.fillers if reading is not None else 0
        line.append(f"   fillers {fillers}", "yellow" if fillers else "dim")
        nudge = Text(f"  ↳ {reading.nudge}", "italic cyan") if reading and reading.nudge else Text()
        return Text("\n").join([line, nudge])
