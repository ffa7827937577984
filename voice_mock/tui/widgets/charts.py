"""Progress over time: one labelled sparkline per headline measure."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline

from voice_mock.render.numbers import number
from voice_mock.store import ProgressPoint

SERIES = (
    ("wpm", "Pace (wpm)", 0),
    ("fillers_per_min", "Fillers/min", 1),
    ("coverage_ratio", "Coverage", 0),
)


class ProgressCharts(Vertical):
    """WPM, fillers per minute and coverage across finished answers, oldest to newest."""

    DEFAULT_CSS = """
    ProgressCharts { height: auto; }
    ProgressCharts Horizontal { height: 1; }
    ProgressCharts .chart-label { width: 14; }
    ProgressCharts .chart-last { width: 22; padding-left: 1; }
    ProgressCharts Sparkline { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        for key, label, _ in SERIES:
            with Horizontal():
                yield Label(label, classes="chart-label")
                yield Sparkline([], id=f"chart-{key.replace('_', '-')}")
                yield Label("", id=f"last-{key.replace('_', '-')}", classes="chart-last")

    def show(self, points: Sequence[ProgressPoint]) -> None:
        for key, _, digits in SERIES:
            values = [getattr(p, key) for p in points if getattr(p, key) is not None]
            if key == "coverage_ratio":
                values = [v * 100 for v in values]
            slug = key.replace("_", "-")
            self.query_one(f"#chart-{slug}", Sparkline).data = values
            if values:
                unit = "%" if key == "coverage_ratio" else ""
                first, last = values[0], values[-1]
                text = f"{number(round(first, digits) if digits else round(first))}{unit}"
                text += f" → {number(round(last, digits) if digits else round(last))}{unit}"
                text += f" ({len(values)})"
            else:
                text = "no data yet"
            self.query_one(f"#last-{slug}", Label).update(text)
