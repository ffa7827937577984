"""Small text helpers shared by screens: times, numbers and plain verdicts from a report dict.

The report dict comes from `Report.to_dict()` (or a saved report.json), so
every accessor tolerates missing keys: an older report, or one made without
a question or without audio, still displays.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

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


def pace_verdict(wpm: float | None, t: Thresholds) -> str:
    if wpm is None or wpm <= 0:
        return "no speech"
    if wpm < t.wpm_low:
        return "too slow"
    if wpm < t.wpm_target_low:
        return "a little slow"
    if wpm <= t.wpm_target_high:
        return "good"
    if wpm <= t.wpm_high:
        return "a little fast"
    return "too fast"


def fillers_verdict(per_min: float | None, t: Thresholds) -> str:
    if per_min is None:
        return "-"
    if per_min <= t.fillers_fluent_per_min:
        return "good"
    if per_min < t.fillers_hesitant_per_min:
        return "a few too many"
    return "too many"


def length_verdict(seconds: float | None, target: tuple[float, float] | None) -> str:
    if seconds is None or seconds <= 0:
        return "no speech"
    if target is None:
        return "-"
    low, high = target
    if seconds < low:
        return "too short"
    if seconds > high:
        return "too long"
    return "good"


def pauses_verdict(long_count: float | None) -> str:
    if long_count is None:
        return "-"
    if long_count == 0:
        return "good"
    if long_count == 1:
        return "one long pause"
    return "several long pauses"


def latency_verdict(latency: float | None) -> str:
    if latency is None:
        return "-"
    if latency <= 3.0:
        return "good"
    if latency <= 6.0:
        return "slow start"
    return "very slow start"


def coverage_verdict(ratio: float | None) -> str:
    if ratio is None:
        return "no key points"
    if ratio >= 0.75:
        return "good"
    if ratio >= 0.5:
        return "partial"
    return "most points missed"


def is_good(verdict: str) -> bool:
    """Whether a verdict reads as fine (for colouring)."""
    return verdict in {"good", "complete", "no question", "no key points to check", "-", ""}
