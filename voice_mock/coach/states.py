"""The states a front shows: of the speech model and of a practice turn.

Kept in a module of their own, free of audio and engine imports, so the app's
messages can name them without loading numpy or PortAudio at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class ModelState(StrEnum):
    """Where the speech model is: the home screen shows one of these."""

    MISSING = "missing"
    LOADING = "loading"
    DOWNLOADING = "downloading"
    READY = "ready"
    FAILED = "failed"


class TurnState(StrEnum):
    """Where a turn is; fronts show one of these at a time."""

    SPEAKING = "speaking"
    PREPARING = "preparing"
    RECORDING = "recording"
    PAUSED = "paused"
    """Recording stopped after the silence limit; the turn waits to be continued or finished
    (only when the front asked for it: `PracticeTurn.hold_after_silence`)."""
    TRANSCRIBING = "transcribing"
    ANALYSING = "analysing"
    DONE = "done"
    SKIPPED = "skipped"
