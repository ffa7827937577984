"""The microphone check dialog: "say something", a live level meter, the verdict, a play-back.

Open it anywhere with ``push_screen(MicCheckScreen(), callback)``: it starts
recording at once (through `Coach.mic_check`, so the microphone, the
thresholds and the judgement are the ones answers get), and it dismisses
with the last `MicCheckResult` (its ``verdict``: fine, too quiet, clipping,
nothing heard) or None when the user left before any check finished.
Settings opens it (ctrl+r or its button); the practice screen may offer it
before the very first recording.

Recording and play-back run in thread workers; leaving the dialog stops
both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static
from textual.worker import Worker, WorkerState

from voice_mock.coach.mic_check import MicCheckResult, MicReading, MicVerdict
from voice_mock.tui.widgets.level_meter import LevelMeter

if TYPE_CHECKING:
    from voice_mock.coach import Coach, Player
    from voice_mock.coach.mic_check import MicCheck
    from voice_mock.config import Settings

VERDICT_STYLE = {
    MicVerdict.FINE: "bold green",
    MicVerdict.TOO_QUIET: "bold yellow",
    MicVerdict.CLIPPING: "bold red",
    MicVerdict.SILENT: "bold red",
}


class MicCheckScreen(ModalScreen[MicCheckResult | None]):
    """Say something: a level meter while recording, then the verdict; dismisses with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "again", "Check again"),
        Binding("p", "play_back", "Play back"),
        Binding("escape,enter", "done", "Done"),
    ]

    def __init__(self, seconds: float | None = None, *, settings: Settings | None = None) -> None:
        """Both optional: `seconds`, the longest a check records (default 5 s); `settings`,
        the microphone, speaker and thresholds to use (default: the saved ones; Settings
        passes its unsaved form)."""
        super().__init__()
        self.seconds = seconds
        self.settings = settings
        self.result: MicCheckResult | None = None
        """The latest finished check (what the dialog dismisses with)."""
        self.state = "starting"
        """"recording", "judged", "failed" or "playing": for the screen and for tests."""
        self._check: MicCheck | None = None
        self._player: Player | None = None
        self._leaving = False

    @property
    def coach(self) -> Coach:
        from voice_mock.tui.app import VoiceMockApp

        assert isinstance(self.app, VoiceMockApp)
        return self.app.coach

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="mic-check"):
            yield Label("Microphone check", classes="dialog-title")
            yield Static(
                "Say a sentence as you would answer a question, at your usual distance from "
                "the microphone.",
                id="mic-check-prompt",
            )
            yield LevelMeter(id="mic-meter")
            yield Static("", id="mic-verdict")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Check again (r)", id="mic-again")
                yield Button("Play back (p)", id="mic-play", disabled=True)
                yield Button("Done (enter)", variant="primary", id="mic-done")

    def on_mount(self) -> None:
        self.start()

    # --- the check ----------------------------------------------------------------------

    def start(self) -> None:
        self.stop_all()
        self.state = "recording"
        self.query_one("#mic-play", Button).disabled = True
        self.query_one("#mic-again", Button).disabled = True
        self.show("Listening… say something.", "bold")
        self.record()

    @work(thread=True, exclusive=True, exit_on_error=False, group="mic-check")
    def record(self) -> MicCheckResult:
        def level(reading: MicReading) -> None:
            self.app.call_from_thread(self.show_level, reading)

        check = self.coach.mic_check(seconds=self.seconds, on_level=level, settings=self.settings)
        self._check = check
        if self._leaving:  # closed while the microphone was being opened
            check.stop()
        return check.run()

    def show_level(self, reading: MicReading) -> None:
        if self._leaving or not self.is_mounted:
            return
        meter = self.query_one(LevelMeter)
        meter.dbfs = reading.dbfs
        meter.speaking = reading.speaking
        meter.elapsed_s = reading.elapsed_s

    def show(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.query_one("#mic-verdict", Static).update(Text(text, style=style))

    def show_result(self, result: MicCheckResult) -> None:
        from rich.text import Text

        self.result = result
        self.state = "judged"
        verdict = Text(
            f"{result.verdict.value.capitalize()}: ", style=VERDICT_STYLE[result.verdict]
        )
        verdict.append(result.advice)
        self.query_one("#mic-verdict", Static).update(verdict)
        self.query_one("#mic-play", Button).disabled = result.samples.size == 0
        self.query_one("#mic-again", Button).disabled = False

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group not in ("mic-check", "mic-play"):
            return
        event.stop()
        if worker.group == "mic-play":
            if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
                if self.state == "playing":
                    self.state = "judged"
                if event.state == WorkerState.ERROR:
                    self.notify_failure(worker.error)
            return
        if event.state == WorkerState.SUCCESS and isinstance(worker.result, MicCheckResult):
            self.show_result(worker.result)
        elif event.state == WorkerState.ERROR:
            self.state = "failed"
            from voice_mock.tui.screens.base import failure_text

            self.show(failure_text(worker.error), "bold red")
            self.query_one("#mic-again", Button).disabled = False

    def notify_failure(self, error: BaseException | None) -> None:
        from voice_mock.tui.screens.base import failure_text

        self.notify(failure_text(error), title="Play-back failed", severity="error")

    # --- play-back ------------------------------------------------------------------------

    def action_play_back(self) -> None:
        if self.result is None or self.result.samples.size == 0 or self.state == "recording":
            return
        self.stop_player()
        self.state = "playing"
        self.play(self.result)

    @work(thread=True, exclusive=True, exit_on_error=False, group="mic-play")
    def play(self, result: MicCheckResult) -> None:
        player = self.coach.mic_check_player(self.settings)
        self._player = player
        self.coach.play_back(result, player)

    # --- leaving --------------------------------------------------------------------------

    def stop_player(self) -> None:
        if self._player is not None:
            self._player.stop()

    def stop_all(self) -> None:
        if self._check is not None:
            self._check.stop()
        self.stop_player()

    def action_again(self) -> None:
        if self.state != "recording":
            self.start()

    def action_done(self) -> None:
        self._leaving = True
        self.stop_all()
        self.dismiss(self.result)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "mic-again":
            self.action_again()
        elif event.button.id == "mic-play":
            self.action_play_back()
        else:
            self.action_done()

    def on_unmount(self) -> None:
        self._leaving = True
        self.stop_all()
