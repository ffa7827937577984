"""Delivery measures with a verdict per measure (pace, fillers, pauses, length...).

Every verdict comes from the analysis, with its level; the panel colours by
that level (green fine, yellow worth watching, red to work on) and never by
the verdict's words. Where the analysis explains a measure, the explanation
is shown under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.verdicts import Level, Verdict
from voice_mock.render.numbers import number, percent
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


class MetricsPanel(Static):
    """A table of measures with verdicts coloured by level."""

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
        table = Table(box=None, expand=True, show_header=False, pad_edge=False)
        table.add_column("measure", style="bold", no_wrap=True)
        table.add_column("value", ratio=3)
        table.add_column("verdict", ratio=2)
        for row in rows:
            verdict = (
                Text(row.verdict.text, LEVEL_STYLES[row.verdict.level])
                if row.verdict is not None
                else Text("")
            )
            value = Text(row.value)
            if row.explain and row.verdict is not None and not row.verdict.ok:
                value.append(f"\n{visible(row.explain)}", "italic dim")
            table.add_row(row.measure, value, verdict)
        advice = report.phone.advice if report is not None and report.phone is not None else ()
        if advice:
            table.add_row("Advice", Text("\n".join(visible(a) for a in advice), "italic"), "")
        self.update(table)
