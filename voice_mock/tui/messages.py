"""Messages posted from worker threads to the screens (all thread-safe via `post_message`).

Small dataclasses, one docstring per field, so a handler reads like a contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from voice_mock.coach.states import ModelState, TurnState

if TYPE_CHECKING:
    from voice_mock.analysis.live import LiveReading
    from voice_mock.coach.mock import FollowUp


@dataclass
class ModelStatus(Message):
    """The speech model's state changed (shown on the home screen)."""

    state: ModelState
    """Where the model is (missing, loading, downloading, ready, failed)."""
    path: Path | None = None
    """The model folder when known."""
    detail: str = ""
    """A sentence for the user (why it failed, download progress)."""


@dataclass
class DownloadProgress(Message):
    """Bytes of the model download so far."""

    done: int
    """Bytes received."""
    total: int | None
    """Expected size, None when the server did not say."""


@dataclass
class TurnStateChanged(Message):
    """A practice turn moved to a new stage (speaking, recording, ...)."""

    state: TurnState
    """The stage the turn has reached."""


@dataclass
class MicLevel(Message):
    """One reading of the microphone level; a flood collapses to the newest."""

    dbfs: float
    """Level of the last block in dB full scale (0 is the loudest)."""
    speaking: bool
    """Voice activity in the last block."""
    elapsed_s: float
    """Seconds recorded so far."""

    def can_replace(self, message: Message) -> bool:
        """A newer level makes an unhandled older one pointless."""
        return isinstance(message, MicLevel)


@dataclass
class PartialText(Message):
    """The recogniser's live text for the answer so far."""

    text: str
    """Everything heard so far (final and partial words)."""


@dataclass
class TurnNotice(Message):
    """A sentence from the turn for the user (no model, countdown, device problem)."""

    text: str
    """The sentence to show."""


@dataclass
class StopCountdown(Message):
    """The silence stop is coming: whole seconds left, 0 when it is off again."""

    seconds_left: int
    """Seconds until the recording stops by itself; 0: cancelled by speech, or ended."""


@dataclass
class ThinkingCountdown(Message):
    """Thinking time before the recording: whole seconds left, 0 when it is over."""

    seconds_left: int
    """Seconds until recording starts."""


@dataclass
class LiveUpdate(Message):
    """A new live pace, filler count or nudge while the user speaks."""

    reading: LiveReading
    """What the gauge shows."""

    def can_replace(self, message: Message) -> bool:
        """A newer reading makes an unhandled older one pointless."""
        return isinstance(message, LiveUpdate)


@dataclass
class InterviewClosed(Message):
    """The interviewer has said the closing line and the mock interview is saved."""

    mock_id: str | None
    """The saved mock interview; None when it could not be saved."""
    problem: str | None = None
    """Why it could not be closed (a full disk), when it could not."""


@dataclass
class TurnFinished(Message):
    """A practice turn ended (answered, stopped, skipped or failed)."""

    session_id: str | None
    """The saved session, None when nothing was recorded."""
    report: dict[str, Any] | None
    """The analysis as a report dict, None without a transcript."""
    message: str | None
    """What to tell the user, if anything."""
    skipped: bool = False
    """True when the user skipped (audio kept, no analysis)."""
    error: str | None = None
    """A failure sentence (no microphone, disk full) when the turn could not run."""
    saved: bool = True
    """False when the answer could not be saved whole (full disk): its audio is kept."""
    unsaid: str | None = None
    """The part of `message` not already shown as a notice while the turn ran, so the end
    of the turn never says a sentence twice."""
    follow_up: FollowUp | None = None
    """In a mock interview, the follow-up the interviewer asks next about this answer."""
