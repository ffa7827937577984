"""Where the command line writes: stdout for results, stderr for progress and problems."""

from __future__ import annotations

import sys
from typing import Any

from voice_mock.render.safe import json_safe, visible

PROG = "voice-mock"
EXIT_INTERRUPTED = 130


def out(text: str = "") -> None:
    """A line of the command's result (already made safe by the caller where needed)."""
    print(text, file=sys.stdout)


def err(text: str) -> None:
    """A line of progress or a problem, shown at once."""
    print(text, file=sys.stderr, flush=True)


def safe(text: str | None) -> str:
    """Bank or transcript text for the terminal: control characters shown, not obeyed."""
    return visible(text or "")


def json_text(data: Any) -> str:
    """`data` as indented JSON for the terminal (C1 controls and overrides escaped)."""
    import json

    return json_safe(json.dumps(data, indent=2, ensure_ascii=False))
