"""Small text helpers shared by screens: times, numbers and a report dict's verdicts.

The report dict comes from `Report.to_dict()` (or a saved report.json), so
every accessor tolerates missing keys: an older report, or one made without
a question or without audio, still displays.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from voice_mock.analysis.report import headline_verdicts
from voice_mock.analysis.thresholds import Thresholds


def clock(seconds: float | None) -> str:
    """``m:ss`` for a time in the answer (transcript lines, key points)."""
    if seconds is None:
        return "-:--"
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def number(value: Any, unit: str = "", digits: int = 1) -> str:
    """A measure for display; ``-`` when it is missing."""
    if value is None or isinstance(value, bool):
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def when(moment: datetime) -> str:
    """Session time in the user's local zone, compact enough for a table cell."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def section(report: Mapping[str, Any] | None, key: str) -> Mapping[str, Any]:
    """A nested object of the report, empty when absent."""
    if not report:
        return {}
    value = report.get(key)
    return value if isinstance(value, Mapping) else {}


def num(report: Mapping[str, Any] | None, *path: str) -> float | None:
    """A number at `path` in the report (``num(r, "fillers", "per_minute")``), or None."""
    node: Any = report
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    if isinstance(node, bool) or not isinstance(node, int | float):
        return None
    return float(node)


def given_verdict(report: Mapping[str, Any] | None, key: str) -> str | None:
    """The analysis' own verdict for `key` when the report carries one."""
    verdicts = section(report, "verdicts")
    value = verdicts.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        text = value.get("verdict") or value.get("text")
        return str(text) if text else None
    return None


def report_verdicts(
    report: Mapping[str, Any] | None,
    thresholds: Thresholds,
    target: tuple[float, float] | None = None,
) -> dict[str, str]:
    """The report's own verdicts; any it lacks (a report saved by an older version) are
    judged from its numbers by the analysis' functions with the current thresholds.

    The TUI never judges a number itself: every verdict comes from `voice_mock.analysis`.
    """
    if not report:
        return {}
    wpm = num(report, "wpm")
    words = num(report, "word_count")
    speaking = num(report, "speaking_s") or num(report, "duration_s")
    saved_target = section(report, "answer_length").get("target_s")
    if target is None and isinstance(saved_target, list | tuple) and len(saved_target) == 2:
        target = (float(saved_target[0]), float(saved_target[1]))
    coverage = section(report, "coverage")
    judged = headline_verdicts(
        thresholds,
        spoke=bool(words or wpm),
        speaking_s=speaking,
        target_s=target,
        wpm=wpm,
        fillers_per_min=num(report, "fillers", "per_minute"),
        long_pauses=None if (long := num(report, "pauses", "long_count")) is None else int(long),
        latency_s=num(report, "response_latency_s"),
        coverage_ratio=num(report, "coverage", "ratio"),
        has_question=None if not coverage else report.get("question_id") is not None,
    )
    for key in section(report, "verdicts"):
        given = given_verdict(report, key)
        if given is not None:
            judged[key] = given
    return judged


def is_good(verdict: str) -> bool:
    """Whether a verdict reads as fine (for colouring)."""
    return verdict in {"good", "complete", "no question", "no key points to check", "-", ""}
