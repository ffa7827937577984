"""Numbers, times and counts as people read them, written once for every front."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def clock(seconds: float | None) -> str:
    """``m:ss`` for a time in an answer or a length (``-:--`` when unknown)."""
    if seconds is None:
        return "-:--"
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def clock_tenths(seconds: float) -> str:
    """``m:ss.s``: a moment in the answer to a tenth of a second (text report)."""
    minutes, secs = divmod(max(0.0, seconds), 60.0)
    return f"{int(minutes)}:{secs:04.1f}"


def number(value: Any, unit: str = "", digits: int = 1) -> str:
    """A measure for display; ``-`` when it is missing."""
    if value is None or isinstance(value, bool):
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def whole(value: float | None, unit: str = "") -> str:
    """A measure rounded to a whole number ("152 wpm"); ``-`` when missing."""
    return "-" if value is None else f"{round(value)}{unit}"


def percent(ratio: float | None) -> str:
    """A share as a whole percentage ("75%"); ``-`` when missing."""
    return "-" if ratio is None else f"{round(ratio * 100)}%"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """ "1 pause", "3 pauses", "2 stories" (with `many`)."""
    return f"{count} {noun}" if count == 1 else f"{count} {many or noun + 's'}"


def when(moment: datetime) -> str:
    """A session's time in the user's zone: ``2026-12-02 14:05`` (year first, unambiguous)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def shorten(text: str, width: int) -> str:
    """`text` cut to `width` characters with an ellipsis."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
