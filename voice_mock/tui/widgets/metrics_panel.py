"""Delivery measures with a verdict per measure (pace, fillers, pauses, length...).

Every verdict comes from the analysis, with its level; the panel colours by
that level (green fine, yellow worth watching, red to work on) and never by
the verdict's words. Where the analysis explains a measure, the explanation
is shown under it. Verdicts are never wrapped: on a narrow screen a measure
takes two lines instead. Below the table: pace over the answer as a small
bar chart, filler bursts with their times, and the most-used words.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.verdicts import Level, Verdict
from voice_mock.render.numbers import clock, number, percent
from voice_mock.render.safe import visible

LEVEL_STYLES = {
    Level.GOOD: "green",
    Level.NONE: "dim",
    Level.WATCH: "yellow",
    Level.WORK_ON: "bold red",
}


@dataclass(frozen=True, slots=True)
class Row:
    """One measure: its name, its value, the verdict, and why it matters (optional)."""

    measure: str
    value: str
    verdict: Verdict | None
    explain: str | None = None


def metric_rows(
    report: SavedReport | None,
    thresholds: Thresholds,
    target: tuple[float, float] | None,
) -> list[Row]:
    """The measures of one answer, each with the analysis' verdict."""
    if report is None:
        return []
    verdicts = report.verdicts(thresholds, target)
    band = f"{thresholds.wpm_target_low:.0f}-{thresholds.wpm_target_high:.0f}"
    shown_target = target or report.target_s
    length_note = f" ({shown_target[0]:.0f}-{shown_target[1]:.0f} s)" if shown_target else ""
    fillers = report.fillers
    top = ", ".join(f"{visible(k)} x{v}" for k, v in list(fillers.counts.items())[:3])
    pauses = report.pauses
    speaking = report.speaking_s if report.speaking_s is not None else report.duration_s
    rows = [
        Row("Length", f"{number(speaking, ' s')}{length_note}", verdicts.get("length")),
        Row("Pace", f"{number(report.wpm, ' wpm', 0)} ({band})", verdicts.get("pace")),
        Row(
            "Fillers",
            f"{number(fillers.total)} = {number(fillers.per_minute, '/min')}"
            + (f" ({top})" if top else ""),
            verdicts.get("fillers"),
        ),
        Row(
            "Pauses",
            f"{number(pauses.count)}, long {number(pauses.long_count)}, "
            f"longest {number(pauses.longest_s, ' s')}",
            verdicts.get("pauses"),
        ),
        Row(
            "First word",
            f"after {number(report.response_latency_s, ' s')}",
            verdicts.get("latency"),
        ),
    ]
    if report.coverage.ratio is not None:
        rows.append(
            Row("Key points", f"{percent(report.coverage.ratio)} covered", verdicts.get("coverage"))
        )
    if report.star is not None:
        rows.append(Row("STAR", "", verdicts.get("star")))
    delivery = report.delivery
    if delivery is not None:
        for key, label, measure, shown in (
            ("loudness", "Loudness", delivery.loudness, number(delivery.loudness.value, " dBFS")),
            ("pitch_variation", "Pitch", delivery.pitch, number(delivery.pitch.value, " st")),
            ("trailing_off", "Sentence ends", delivery.trailing,
             f"{percent(delivery.trailing.value)} fade" if delivery.trailing.value is not None
             else ""),
            ("clipping", "Clipping", delivery.clipping,
             f"{percent(delivery.clipping.value)} of samples"
             if delivery.clipping.value is not None else ""),
        ):  # fmt: skip
            verdict = verdicts.get(key)
            if verdict is not None:
                rows.append(Row(label, shown, verdict, measure.explain))
    for key, label in (("phone_pace", "Phone pace"), ("phone_volume", "Phone volume")):
        verdict = verdicts.get(key)
        if verdict is not None:
            rows.append(Row(label, "", verdict))
    if report.repetitions:
        rows.append(Row("Repeats", str(len(report.repetitions)), None))
    if report.hedge_counts:
        hedges = ", ".join(f"{visible(k)} x{v}" for k, v in report.hedge_counts.items())
        rows.append(Row("Hedges", hedges, None))
    return rows


MIN_VALUE_WIDTH = 24
"""Below this much room for the values, each measure takes two lines (name and verdict,
then its value), so a verdict is never wrapped or cut."""
BAR_CHAR = "█"


class MeasureTable:
    """The measures as a table whose verdicts never wrap: three columns when the values
    have room, else two lines per measure."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = self.rows
        width = options.max_width
        name_w = max(len(r.measure) for r in rows)
        verdict_w = max((len(r.verdict.text) for r in rows if r.verdict is not None), default=0)
        if width - name_w - verdict_w - 2 >= MIN_VALUE_WIDTH:
            table = Table(box=None, expand=True, show_header=False, pad_edge=False)
            table.add_column("measure", style="bold", no_wrap=True, width=name_w)
            table.add_column("value", ratio=1)
            table.add_column("verdict", no_wrap=True, width=verdict_w)
            for row in rows:
                table.add_row(row.measure, _value(row), _verdict(row))
            yield table
            return
        for row in rows:
            head = Text(row.measure, "bold")
            verdict = _verdict(row)
            if verdict.plain:
                head.append(" " * max(1, width - len(row.measure) - len(verdict.plain)))
                head.append_text(verdict)
            head.no_wrap = True
            head.overflow = "ellipsis"
            yield head
            value = _value(row)
            if value.plain:
                yield Padding(value, (0, 0, 0, 2))


def _verdict(row: Row) -> Text:
    if row.verdict is None:
        return Text("")
    return Text(row.verdict.text, LEVEL_STYLES[row.verdict.level])


def _value(row: Row) -> Text:
    value = Text(row.value)
    if row.explain and row.verdict is not None and not row.verdict.ok:
        value.append(f"\n{visible(row.explain)}", "italic dim")
    return value


class PaceChart:
    """Pace over the answer, one bar per stretch, coloured against the conversational band."""

    def __init__(self, report: SavedReport, thresholds: Thresholds) -> None:
        self.windows = report.pace_windows
        self.thresholds = thresholds

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        t = self.thresholds
        top = max([t.wpm_high * 1.15, *(w.wpm for w in self.windows)])
        room = max(4, options.max_width - 11)
        yield Text(
            f"Pace over the answer (band {t.wpm_target_low:.0f}-{t.wpm_target_high:.0f} wpm)",
            "bold",
        )
        for window in self.windows:
            wpm = window.wpm
            if t.wpm_target_low <= wpm <= t.wpm_target_high:
                style = "green"
            elif t.wpm_low <= wpm <= t.wpm_high:
                style = "yellow"
            else:
                style = "red"
            line = Text(f"{clock(window.start)} ", "dim")
            line.append(BAR_CHAR * max(1, round(wpm / top * room)), style)
            line.append(f" {wpm:.0f}")
            line.no_wrap = True
            yield line


def extras(report: SavedReport | None, thresholds: Thresholds) -> list[RenderableType]:
    """What the analysis computes beyond the table: pace over the answer, filler bursts
    with their times, the most-used words."""
    if report is None or not report.spoke:
        return []
    out: list[RenderableType] = []
    if len(report.pace_windows) > 1:
        out += [Text(""), PaceChart(report, thresholds)]
    if report.bursts:
        bursts = Text("\nFiller bursts\n", "bold")
        for start, _end, words in report.bursts:
            bursts.append(f"{clock(start)}  ", "dim")
            bursts.append(" ".join(visible(w) for w in words) + "\n", "yellow")
        bursts.rstrip()
        out.append(bursts)
    if report.top_words:
        used = Text("\nMost-used words\n", "bold")
        used.append(", ".join(f"{visible(w)} ({c})" for w, c in report.top_words))
        out.append(used)
    return out


class MetricsPanel(Static):
    """A table of measures with verdicts coloured by level, then pace over the answer,
    filler bursts and the most-used words."""

    def show(
        self,
        report: SavedReport | None,
        thresholds: Thresholds,
        target: tuple[float, float] | None,
    ) -> None:
        rows = metric_rows(report, thresholds, target)
        if not rows:
            self.update(Text("No analysis yet: the answer has not been transcribed.", "italic"))
            return
        advice = report.phone.advice if report is not None and report.phone is not None else ()
        if advice:
            rows.append(Row("Advice", "\n".join(visible(a) for a in advice), None))
        self.update(Group(MeasureTable(rows), *extras(report, thresholds)))
