"""Delivery measures with a plain verdict per measure (pace, fillers, pauses, length...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.tui import formatting as f


def metric_rows(
    report: Mapping[str, Any] | None,
    thresholds: Thresholds,
    target: tuple[float, float] | None,
) -> list[tuple[str, str, str]]:
    """(measure, value, verdict) rows; every verdict is the analysis' (see `report_verdicts`)."""
    if not report:
        return []
    verdicts = f.report_verdicts(report, thresholds, target)
    speaking = f.num(report, "speaking_s")
    duration = f.num(report, "duration_s")
    wpm = f.num(report, "wpm")
    per_min = f.num(report, "fillers", "per_minute")
    total = f.num(report, "fillers", "total")
    long_count = f.num(report, "pauses", "long_count")
    latency = f.num(report, "response_latency_s")
    band = f"{thresholds.wpm_target_low:.0f}-{thresholds.wpm_target_high:.0f}"
    length_note = f" ({target[0]:.0f}-{target[1]:.0f} s)" if target else ""
    counts = f.section(f.section(report, "fillers"), "counts")
    top = ", ".join(f"{k} x{v}" for k, v in list(counts.items())[:3])
    rows = [
        (
            "Length",
            f"{f.number(speaking or duration, ' s')}{length_note}",
            verdicts.get("length", "-"),
        ),
        (
            "Pace",
            f"{f.number(wpm, ' wpm', 0)} ({band})",
            verdicts.get("pace", "no speech"),
        ),
        (
            "Fillers",
            f"{f.number(total, '', 0)} = {f.number(per_min, '/min')}"
            + (f" ({top})" if top else ""),
            verdicts.get("fillers", "-"),
        ),
        (
            "Pauses",
            f"{f.number(f.num(report, 'pauses', 'count'), '', 0)}, long "
            f"{f.number(long_count, '', 0)}, "
            f"longest {f.number(f.num(report, 'pauses', 'longest_s'), ' s')}",
            verdicts.get("pauses", "-"),
        ),
        (
            "First word",
            f"after {f.number(latency, ' s')}",
            verdicts.get("latency", "-"),
        ),
    ]
    ratio = f.num(report, "coverage", "ratio")
    if ratio is not None:
        rows.append(
            (
                "Key points",
                f"{round(ratio * 100)}% covered",
                verdicts.get("coverage", "-"),
            )
        )
    delivery = f.section(report, "delivery")
    for key, label, value_key, unit in (
        ("loudness", "Loudness", "median_dbfs", " dBFS"),
        ("pitch_variation", "Pitch", "semitones", " st"),
        ("trailing_off", "Sentence ends", "share", ""),
        ("clipping", "Clipping", "clipped_ratio", ""),
    ):
        verdict = verdicts.get(key)
        if verdict is None:
            continue
        value = f.num(delivery, key, value_key)
        shown = (
            f"{value * 100:.0f}% fade"
            if key == "trailing_off" and value is not None
            else ("" if key == "clipping" else f.number(value, unit))
        )
        rows.append((label, shown, verdict))
    for key, label in (("phone_pace", "Phone pace"), ("phone_volume", "Phone volume")):
        verdict = verdicts.get(key)
        if verdict is not None:
            rows.append((label, "", verdict))
    repetitions = report.get("repetitions")
    if isinstance(repetitions, list) and repetitions:
        rows.append(("Repeats", str(len(repetitions)), "watch restarts"))
    return rows


def advice_lines(report: Mapping[str, Any] | None) -> list[str]:
    """Free-text advice the analysis offers (phone delivery and the like)."""
    out: list[str] = []
    for key in ("phone", "advice"):
        value = (report or {}).get(key)
        if isinstance(value, Mapping):
            value = value.get("advice") or value.get("tips")
        if isinstance(value, str) and value:
            out.append(value)
        elif isinstance(value, list):
            out.extend(str(v) for v in value if v)
    return out


class MetricsPanel(Static):
    """A table of measures with verdicts in colour (green fine, yellow to work on)."""

    def show(
        self,
        report: Mapping[str, Any] | None,
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
        for measure, value, verdict in rows:
            table.add_row(
                measure, value, Text(verdict, "green" if f.is_good(verdict) else "yellow")
            )
        advice = advice_lines(report)
        if advice:
            table.add_row("Advice", Text("\n".join(advice), "italic"), "")
        self.update(table)
