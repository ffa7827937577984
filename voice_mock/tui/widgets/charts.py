"""Progress over time: a real chart (axes, dates, the target band) of one measure at a time.

The data (which answers, averaged how, which dates on the axis, which band)
comes from `voice_mock.render.charts`; this widget draws it with Plotext
(`textual-plotext`) and cycles through pace, fillers, key points and length.
A header names the chart, what it covers and its band (the two green lines),
and a line below it says which habits improved this week.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.render.charts import METRICS, ChartPoint, Series, chart_series
from voice_mock.render.safe import visible

LINE_COLOR = "cyan"
BAND_COLOR = "green"


class ProgressCharts(Vertical):
    """Pace, fillers a minute, key points and length over time, one chart at a time."""

    ALLOW_MAXIMIZE = True
    """History's z shows the chart full screen (the week's summary then unshortened)."""

    DEFAULT_CSS = """
    ProgressCharts { height: 45%; min-height: 10; }
    ProgressCharts #charts-head { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    ProgressCharts PlotextPlot { height: 1fr; min-height: 5; }
    ProgressCharts.-maximized { height: 100%; }
    ProgressCharts.-maximized #charts-head { text-wrap: wrap; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.metric = METRICS[0][0]
        self.points: list[ChartPoint] = []
        self.thresholds = Thresholds()
        self.target: tuple[float, float] | None = None
        self.scope = ""
        self.week = ""
        self.series: Series | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="charts-head")
        yield PlotextPlot(id="charts-plot")

    def show(
        self,
        points: Sequence[ChartPoint],
        thresholds: Thresholds,
        *,
        target: tuple[float, float] | None = None,
        scope: str = "",
        week: str = "",
    ) -> None:
        """Chart `points` (finished answers, any order; those with no words are skipped).

        `target` is the length band when the answers share one; `scope` says what
        is shown ("every answer the filter shows", one question); `week` is the
        this-week summary line.
        """
        self.points = list(points)
        self.thresholds = thresholds
        self.target = target
        self.scope = scope
        self.week = week
        self.draw()

    def next_metric(self) -> str:
        """Show the next measure (pace, fillers, key points, length, pace...)."""
        keys = [m for m, _, _ in METRICS]
        self.metric = keys[(keys.index(self.metric) + 1) % len(keys)]
        self.draw()
        return self.metric

    @property
    def plot(self) -> PlotextPlot:
        return self.query_one("#charts-plot", PlotextPlot)

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        if not self.is_mounted:
            return
        width = max(20, self.plot.size.width - 10)
        self.series = chart_series(
            self.points, self.metric, self.thresholds, target=self.target, max_points=width
        )
        self.query_one("#charts-head", Static).update(self.head_text())
        plt = self.plot.plt
        plt.clear_figure()
        series = self.series
        if series is None:
            self.plot.refresh()
            return
        low, high = series.span
        plt.xlim(low - (high - low) * 0.02, high + (high - low) * 0.02)
        values = [*series.y, *(series.band or ())]
        bottom, top = min(values), max(values)
        pad = max(1.0, (top - bottom) * 0.1)
        plt.ylim(max(0.0, bottom - pad), top + pad)
        if series.band is not None:
            for edge in series.band:
                plt.hline(edge, BAND_COLOR)
        marker = "braille" if len(series.x) > 30 else "dot"
        plt.plot(list(series.x), list(series.y), marker=marker, color=LINE_COLOR)
        if len(series.x) <= 30:
            plt.scatter(list(series.x), list(series.y), marker="●", color=LINE_COLOR)
        plt.xticks([x for x, _ in series.ticks], [label for _, label in series.ticks])
        marks = sorted({round(v, 1) for v in (*(series.band or ()), min(series.y), max(series.y))})
        plt.yticks(marks, [f"{v:g}" for v in marks])
        self.plot.refresh()

    def head_text(self) -> Text:
        """The charts' names (the one shown in reverse), what it shows, the week's summary.

        Each on one line, shortened with an ellipsis on a narrow screen so the chart
        keeps its rows; zoomed (z), both lines are shown in full.
        """
        out = Text()
        for metric, title, _unit in METRICS:
            out.append(f" {title} ", "reverse bold" if metric == self.metric else "dim")
        out.append("  ")
        series = self.series
        if series is None:
            out.append("no answers with words yet", "italic")
        else:
            many = "answer" if series.answers == 1 else "answers"
            out.append(f"{series.answers} {many}")
            if series.averaged:
                out.append(" (averaged)", "dim")
            out.append(f" · last {_shown(series.metric, series.last)} · band ")
            out.append(series.band_label, BAND_COLOR if series.band else "dim")
        if self.scope:
            out.append(f" · {visible(self.scope)}", "italic")
        out.append("  t: one question · z: zoom", "dim")
        if self.week:
            out.append(f"\n{visible(self.week)}", "dim")
        return out


def _shown(metric: str, value: float) -> str:
    if metric == "fillers_per_min":
        return f"{value:.1f}/min"
    if metric == "coverage_ratio":
        return f"{value:.0f}%"
    if metric == "duration_s":
        return f"{value:.0f} s"
    return f"{value:.0f} wpm"
