"""What several screens share: access to the app, and playing or re-analysing a saved session.

History and review both play a session's recording and analyse it again in
workers; the code lives here once so a fix (stopping the old player first,
reporting a failed worker) reaches both.
"""

from __future__ import annotations

from abc import abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from voice_mock.coach import Coach, Player, play_from
from voice_mock.errors import UserError
from voice_mock.store import SessionRecord

if TYPE_CHECKING:
    from voice_mock.tui.app import VoiceMockApp


def failure_text(error: BaseException | None) -> str:
    """A failed worker's error as one sentence for a notice (never a raw traceback)."""
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return f"Something went wrong ({type(error).__name__}: {error})."


class AppScreen(Screen[None]):
    """A full screen of voice-mock, with typed access to the app's settings, store and services."""

    @property
    def vm(self) -> VoiceMockApp:
        from voice_mock.tui.app import VoiceMockApp

        assert isinstance(self.app, VoiceMockApp)
        return self.app

    @property
    def coach(self) -> Coach:
        """The use cases (practice, review, export...), shared with the command line."""
        return self.vm.coach


class SessionScreen(AppScreen):
    """A screen that plays saved recordings and re-analyses saved sessions."""

    ANALYSED_AGAIN = "The session was analysed again."
    """The notice once a re-analysis has finished and the screen shows its result."""

    def __init__(self) -> None:
        super().__init__()
        self.player: Player | None = None

    def start_playback(
        self, record: SessionRecord | None, start_s: float = 0.0, *, phone: bool = False
    ) -> bool:
        """Play `record`'s recording from `start_s` in a worker, stopping any playback first.

        False (with a notice) when the session has no recording to play.
        """
        if record is None or record.audio_path is None or not record.audio_path.is_file():
            self.notify("This session has no recording to play.", severity="warning")
            return False
        self.stop_player()
        self.play(record.audio_path, start_s, phone)
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="playback")
    def play(self, path: Path, start_s: float, phone: bool) -> None:
        self.player = self.vm.services.player(self.vm.settings)
        play_from(self.player, path, start_s, phone=phone)

    def stop_player(self) -> None:
        if self.player is not None:
            self.player.stop()

    def action_stop_playback(self) -> None:
        self.stop_player()

    def start_reanalysis(self, session_id: str) -> None:
        """Analyse the session again with the current settings, in a worker."""
        self.notify("Analysing again…", timeout=3)
        self.reanalyse(session_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="analysis")
    def reanalyse(self, session_id: str) -> None:
        self.coach.reanalyze(session_id, model_path=self.vm.usable_model_path())

    @abstractmethod
    def show_reanalysed(self) -> None:
        """Redraw with the new analysis; each screen shows it its own way (mypy checks
        that a concrete screen defines it; Textual's metaclass is not ABCMeta)."""

    @on(Worker.StateChanged)
    def session_worker_changed(self, event: Worker.StateChanged) -> None:
        """A failed playback or analysis becomes a notice; a finished analysis is shown."""
        worker = event.worker
        if worker.group not in ("playback", "analysis"):
            return
        event.stop()
        if event.state == WorkerState.ERROR:
            text = failure_text(worker.error)
            self.notify(text, title="That did not work", severity="error", timeout=10)
        elif event.state == WorkerState.SUCCESS and worker.group == "analysis":
            self.show_reanalysed()
            self.notify(self.ANALYSED_AGAIN)
