"""Practice: the question is shown as it is spoken, then the answer is recorded live.

The turn itself (`Coach.new_turn`, a `PracticeTurn`) blocks, so it runs in a
thread worker; its listener events come back as messages (the mic level one
collapses under load), so the screen never freezes. One screen runs one
question or a whole mock interview, question after question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from voice_mock.bank import Question
from voice_mock.coach.turn import PracticeTurn, TurnState
from voice_mock.errors import UserError
from voice_mock.render.safe import visible
from voice_mock.tui.messages import (
    MicLevel,
    PartialText,
    TurnFinished,
    TurnNotice,
    TurnStateChanged,
)
from voice_mock.tui.screens.base import AppScreen, failure_text
from voice_mock.tui.screens.confirm import ChoiceScreen, ConfirmScreen
from voice_mock.tui.widgets.level_meter import LevelMeter
from voice_mock.tui.widgets.title_bar import TitleBar

STATE_TEXT = {
    TurnState.SPEAKING: "Listen: the question is being read out.   (r replays it)",
    TurnState.PREPARING: "Get ready…",
    TurnState.RECORDING: "Recording: answer now.   space stops, e starts again, k skips",
    TurnState.TRANSCRIBING: "Finishing the transcript…",
    TurnState.ANALYSING: "Analysing the answer…",
    TurnState.DONE: "Done.",
    TurnState.SKIPPED: "Skipped.",
}


@dataclass(frozen=True, slots=True)
class MockAnswer:
    """One question of a mock interview and the session that answered it."""

    question: Question
    session_id: str | None
    skipped: bool = False


class _Listener:
    """Turns the turn's callbacks (its own thread) into messages for the screen."""

    def __init__(self, screen: PracticeScreen) -> None:
        self.screen = screen

    def on_state(self, state: TurnState) -> None:
        self.screen.post_message(TurnStateChanged(state))

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None:
        self.screen.post_message(MicLevel(dbfs, speaking, elapsed_s))

    def on_partial(self, text: str) -> None:
        self.screen.post_message(PartialText(text))

    def on_message(self, text: str) -> None:
        self.screen.post_message(TurnNotice(text))


class PracticeScreen(AppScreen):
    """Ask `questions` in order; one question ends in its review, several in a summary."""

    TITLE = "Practice"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "stop", "Stop answer", tooltip="Finish the answer and analyse it"),
        Binding("k", "skip", "Skip", tooltip="Skip this question (audio kept, not analysed)"),
        Binding("r", "replay", "Replay question"),
        Binding("e", "rerecord", "Re-record", tooltip="Start this answer again (asks first)"),
        Binding("escape", "leave", "Leave", tooltip="Go back; asks whether to keep the take"),
    ]

    state: reactive[str] = reactive("")
    partial: reactive[str] = reactive("")
    dbfs: reactive[float] = reactive(-60.0)
    """Latest microphone level; bound down to the meter."""
    speaking: reactive[bool] = reactive(False)
    elapsed_s: reactive[float] = reactive(0.0)
    target: reactive[tuple[float, float] | None] = reactive(None)
    """The question's answer-length band, for the meter's time note."""

    def __init__(self, questions: list[Question], *, mock: bool = False) -> None:
        super().__init__()
        self.questions = questions
        self.mock = mock
        self.index = 0
        self.answers: list[MockAnswer] = []
        self.turn: PracticeTurn | None = None
        self.restart = False
        self.leaving = False
        self.discard = False
        """Set when the user chose to throw the take away while leaving."""

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="practice-progress")
        yield Static("", id="practice-question")
        yield Static("", id="practice-state")
        yield LevelMeter(id="meter").data_bind(
            PracticeScreen.dbfs,
            PracticeScreen.speaking,
            PracticeScreen.elapsed_s,
            PracticeScreen.target,
        )
        with VerticalScroll(id="practice-live"):
            yield Static("", id="partial")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#practice-live").border_title = "What the recogniser hears"
        self.begin()

    # --- turn lifecycle ----------------------------------------------------------------

    def begin(self) -> None:
        question = self.question
        mode = "mock interview" if self.mock else "practice"
        progress = f"Question {self.index + 1} of {len(self.questions)} · {mode}"
        if self.vm.phone_mode:
            progress += " · phone mode"
        self.query_one("#practice-progress", Static).update(progress)
        self.query_one("#practice-question", Static).update(Text(visible(question.text), "bold"))
        self.target = question.target_seconds
        self.elapsed_s = 0.0
        self.dbfs = -60.0
        self.partial = ""
        self.state = "starting"
        self.restart = False
        self.run_turn(question)

    @work(thread=True, exclusive=True, exit_on_error=False, group="turn")
    def run_turn(self, question: Question) -> None:
        """One blocking `PracticeTurn.run()`; UserErrors end up in `worker_changed`."""
        app = self.vm
        turn = self.coach.new_turn(
            question,
            phone=app.phone_mode,
            listener=_Listener(self),
            model_path=app.usable_model_path(),
        )
        self.turn = turn
        if self.leaving:  # escape came while the microphone was being opened
            turn.skip()
        try:
            result = turn.run()
        finally:
            self.turn = None
        skipped = turn.state == TurnState.SKIPPED
        report = result.report.to_dict() if result.report is not None else None
        self.post_message(
            TurnFinished(result.session_id, report, result.message, skipped, saved=result.saved)
        )

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        """A turn that failed (no microphone, disk full) becomes a notice, never a traceback."""
        if event.worker.group != "turn" or event.state != WorkerState.ERROR:
            return
        event.stop()
        message = failure_text(event.worker.error)
        self.vm.notify(message, title="Recording failed", severity="error", timeout=10)
        self.state = "failed"
        self.query_one("#practice-state", Static).update(
            Text("The recording could not run: press e to try again or escape to leave.", "red")
        )
        if self.leaving:
            self.dismiss()

    # --- messages from the turn -----------------------------------------------------------

    @on(TurnStateChanged)
    def state_changed(self, message: TurnStateChanged) -> None:
        self.state = str(message.state)
        self.query_one("#practice-state", Static).update(STATE_TEXT[message.state])

    @on(MicLevel)
    def level(self, message: MicLevel) -> None:
        self.dbfs = message.dbfs
        self.speaking = message.speaking
        self.elapsed_s = message.elapsed_s

    @on(PartialText)
    def partial_text(self, message: PartialText) -> None:
        self.partial = message.text

    def watch_partial(self, text: str) -> None:
        if self.is_mounted:
            self.query_one("#partial", Static).update(Text(visible(text) or "…", "italic"))

    @on(TurnNotice)
    def notice(self, message: TurnNotice) -> None:
        if message.text.startswith("Recording starts in"):
            self.query_one("#practice-state", Static).update(message.text)
        else:
            self.notify(message.text, timeout=8)

    @on(TurnFinished)
    def finished(self, message: TurnFinished) -> None:
        if not message.saved:
            # A full disk or read-only folder: the audio is kept and will be finished
            # later; the message says so. Nothing here may delete it.
            self.notify(message.message or "The answer could not be saved.", severity="error")
            self.dismiss()
            return
        if self.leaving:
            if message.session_id is not None:
                if self.discard:
                    self.delete_take(message.session_id)
                else:
                    self.notify("Your answer was saved; it is in History.", timeout=5)
            self.dismiss()
            return
        if self.restart:
            if message.session_id is not None:
                self.delete_take(message.session_id)
            self.begin()
            return
        if self.mock:
            self.answers.append(MockAnswer(self.question, message.session_id, message.skipped))
            if self.index + 1 < len(self.questions):
                self.index += 1
                self.begin()
                return
            from voice_mock.tui.screens.mock_summary import MockSummaryScreen

            self.app.switch_screen(MockSummaryScreen(self.answers))
            return
        if message.session_id is None or message.skipped:
            self.notify(message.message or "Nothing was recorded.", timeout=6)
            self.dismiss()
            return
        from voice_mock.tui.screens.review import ReviewScreen

        self.app.switch_screen(ReviewScreen(message.session_id))

    # --- keys ---------------------------------------------------------------------------

    def action_stop(self) -> None:
        if self.turn is not None:
            self.turn.stop()

    def action_skip(self) -> None:
        if self.turn is not None:
            self.turn.skip()

    def action_replay(self) -> None:
        if self.turn is not None:
            self.turn.replay_question()

    def delete_take(self, session_id: str) -> None:
        """Remove a take the user chose to throw away; a failure is said, never hidden."""
        try:
            self.coach.delete(session_id)
        except UserError as exc:
            self.notify(str(exc), severity="warning", timeout=10)

    @property
    def recording(self) -> bool:
        """Whether audio of this answer is being recorded (so leaving could lose it)."""
        return self.turn is not None and self.turn.state == TurnState.RECORDING

    def action_rerecord(self) -> None:
        if self.turn is None:
            self.begin()
            return
        if not self.recording:
            self.restart_take()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.restart_take()

        self.app.push_screen(
            ConfirmScreen("Start this answer again? The take so far is deleted.", "Start again"),
            answered,
        )

    def restart_take(self) -> None:
        if self.turn is None:
            self.begin()
            return
        self.restart = True
        self.turn.skip()

    def action_leave(self) -> None:
        """Leave; while recording, ask first whether to keep the take (nothing is lost by a key)."""
        if not self.recording:
            self.leave(keep=False)
            return

        def chosen(choice: str | None) -> None:
            if choice == "keep":
                self.leave(keep=True)
            elif choice == "discard":
                self.leave(keep=False, discard=True)

        self.app.push_screen(
            ChoiceScreen(
                "Leave this answer? Recording carries on until you choose.",
                [
                    ("k", "keep", "Keep it and leave"),
                    ("d", "discard", "Delete it and leave"),
                    ("c", "carry", "Carry on answering"),
                ],
            ),
            chosen,
        )

    def leave(self, *, keep: bool, discard: bool = False) -> None:
        """Stop the turn and go back; a kept take is analysed and saved like any other."""
        self.leaving = True
        self.discard = discard
        if self.turn is not None:
            if keep:
                self.turn.stop()
            else:
                self.turn.skip()
        elif not any(w.node is self and w.group == "turn" and w.is_running for w in self.workers):
            self.dismiss()

    def on_unmount(self) -> None:
        """Quitting mid-answer must not leave a recording thread running."""
        if self.turn is not None:
            self.turn.skip()
