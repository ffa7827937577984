"""Practice: the question is shown as it is spoken, then the answer is recorded live.

The turn itself (`Coach.new_turn`, a `PracticeTurn`) blocks, so it runs in a
thread worker; its listener events come back as messages (the mic level and
the live gauge collapse under load), so the screen never freezes. One screen
runs one question or a whole mock interview, question after question.

Thinking is allowed: the answer stops by itself only after the silence limit
(8 s by default) once the user has spoken, the last 3 s are counted down on
screen and any speech cancels them; after such a stop the turn waits (paused)
and ``c`` records more of the same answer, ``space`` finishes it. Nothing is
thrown away by a stray key: leaving or quitting while an answer is being
recorded (or is paused) asks first, and offers to keep it.

In a mock interview the screen also runs the interviewer: the opening line
before the first question, the follow-up the coach chooses after an answer
(`coach.mock`), and the closing line; then the saved scorecard opens.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from voice_mock.analysis.live import LiveReading
from voice_mock.bank import Question
from voice_mock.coach.mock import FollowUp, MockInterview
from voice_mock.coach.turn import PracticeTurn, TurnState
from voice_mock.errors import UserError
from voice_mock.render.safe import visible
from voice_mock.tui.messages import (
    InterviewClosed,
    LiveUpdate,
    MicLevel,
    PartialText,
    StopCountdown,
    ThinkingCountdown,
    TurnFinished,
    TurnNotice,
    TurnStateChanged,
)
from voice_mock.tui.screens.base import AppScreen, failure_text
from voice_mock.tui.screens.confirm import ChoiceScreen, ConfirmScreen
from voice_mock.tui.widgets.countdown import Countdown
from voice_mock.tui.widgets.level_meter import LevelMeter
from voice_mock.tui.widgets.live_gauge import LiveGauge
from voice_mock.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from voice_mock.coach.mic_check import MicCheckResult
    from voice_mock.tui.screens.mic_check import MicCheckScreen

STATE_TEXT = {
    TurnState.SPEAKING: "Listen: the question is being read out.   (r replays it)",
    TurnState.PREPARING: "Think about your answer…   (space starts recording now, r replays)",
    TurnState.RECORDING: "Recording: answer now.   space finishes, e starts again, k skips",
    TurnState.PAUSED: "Stopped after {silence} of silence.   c continues, space finishes",
    TurnState.TRANSCRIBING: "Finishing the transcript…",
    TurnState.ANALYSING: "Analysing the answer…",
    TurnState.DONE: "Done.",
    TurnState.SKIPPED: "Skipped.",
}

TAKE_STATES = frozenset({TurnState.RECORDING, TurnState.PAUSED})
"""States in which the user's answer exists and leaving could lose it."""

_MIC_CHECK_OFFERED: weakref.WeakSet[App[Any]] = weakref.WeakSet()
"""Apps that have offered the microphone check already (once per run is enough)."""


@dataclass(frozen=True, slots=True)
class MockAnswer:
    """One question of a mock interview and the session that answered it."""

    question: Question
    session_id: str | None
    skipped: bool = False
    follow_up_session_id: str | None = None


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

    def on_countdown(self, seconds_left: int) -> None:
        self.screen.post_message(StopCountdown(seconds_left))

    def on_thinking(self, seconds_left: int) -> None:
        self.screen.post_message(ThinkingCountdown(seconds_left))

    def on_live(self, reading: LiveReading) -> None:
        self.screen.post_message(LiveUpdate(reading))


class PracticeScreen(AppScreen):
    """Ask `questions` in order; one question ends in its review, a mock in its scorecard."""

    TITLE = "Practice"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "stop",
            "Finish answer",
            tooltip="Finish the answer and analyse it. It also stops by itself once you have "
            "been quiet for the silence limit (8 s unless changed in Settings; 0 turns it "
            "off): the last 3 s are counted down, and speaking cancels the countdown. "
            "During the thinking time, space starts recording at once",
        ),
        Binding(
            "c",
            "continue",
            "Continue answer",
            tooltip="After a stop on silence: record more of the same answer (the same "
            "recording and transcript; the report covers all of it)",
        ),
        Binding("k", "skip", "Skip", tooltip="Skip this question (audio kept, not analysed)"),
        Binding(
            "m",
            "mic_check",
            "Check microphone",
            tooltip="Offered with your very first answer: a few seconds' test of the level "
            "(the question is asked again after it)",
        ),
        Binding("r", "replay", "Replay question", tooltip="Only before the recording starts"),
        Binding("e", "rerecord", "Re-record", tooltip="Start this answer again (asks first)"),
        Binding(
            "escape",
            "leave",
            "Leave",
            tooltip="Go back; while an answer is recorded, asks whether to keep it "
            "(so does ctrl+q)",
        ),
    ]

    state: reactive[str] = reactive("")
    partial: reactive[str] = reactive("")
    dbfs: reactive[float] = reactive(-60.0)
    """Latest microphone level; bound down to the meter."""
    speaking: reactive[bool] = reactive(False)
    elapsed_s: reactive[float] = reactive(0.0)
    target: reactive[tuple[float, float] | None] = reactive(None)
    """The question's answer-length band, for the meter's time note."""
    countdown: reactive[int] = reactive(0)
    """Seconds left on the countdown shown (silence stop or thinking time); 0: none."""

    def __init__(self, questions: list[Question], *, mock: bool = False) -> None:
        super().__init__()
        self.questions = questions
        self.mock = mock
        self.index = 0
        self.answers: list[MockAnswer] = []
        self.turn: PracticeTurn | None = None
        self.restart = False
        self.leaving = False
        self.quitting = False
        """Set when the user chose to quit the app from the leave question (ctrl+q)."""
        self.asking = False
        """True while the leave (or quit) question is shown."""
        self.discard = False
        """Set when the user chose to throw the take away while leaving."""
        self.interview: MockInterview | None = None
        """The mock interview being run (its saved unit), once it has begun."""
        self.follow_up: FollowUp | None = None
        """The follow-up being asked now, about the answer saved as `parent_session`."""
        self.parent_session: str | None = None
        self.closing = False
        """True while the interviewer says the closing line."""
        self.mic_offer = False
        """True while the microphone check is offered (before the very first recording)."""
        self.checking_mic = False
        """Set when the user asked for the check: the turn ends, then the check runs."""

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="practice-progress")
        offer = Static("", id="mic-offer")
        offer.display = False
        yield offer
        yield Static("", id="practice-question")
        yield Static("", id="practice-state")
        yield Countdown(id="countdown")
        yield LevelMeter(id="meter").data_bind(
            PracticeScreen.dbfs,
            PracticeScreen.speaking,
            PracticeScreen.elapsed_s,
            PracticeScreen.target,
        )
        gauge = LiveGauge(id="live-gauge")
        gauge.display = self.vm.settings.practice.live_nudges
        yield gauge
        with VerticalScroll(id="practice-live"):
            yield Static("", id="partial")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#practice-live").border_title = "What the recogniser hears"
        t = self.vm.settings.thresholds
        band = (t.phone_wpm_low, t.phone_wpm_high) if self.vm.phone_mode else None
        self.query_one(LiveGauge).band = band or (t.wpm_target_low, t.wpm_target_high)
        self.offer_mic_check()  # before the turn saves its first row
        self.begin()

    # --- the microphone check before the very first answer ----------------------------

    def mic_check_screen(self) -> type[MicCheckScreen] | None:
        """The microphone check screen, or None where it cannot run (no such screen).

        It records a few seconds, shows a meter and a verdict, plays the test
        back, and dismisses with its `MicCheckResult` (None if none finished).
        """
        from voice_mock.tui.screens.mic_check import MicCheckScreen

        return MicCheckScreen

    def offer_mic_check(self) -> None:
        """Before the very first answer (none saved yet), offer the microphone check once.

        The offer does not block: a line says ``m`` checks the microphone while
        the first question is asked and answered. ``m`` ends the turn (once the
        recording has begun, after asking, since that take is deleted), runs the
        check, says its verdict, then asks the question again.
        """
        if (
            self.app in _MIC_CHECK_OFFERED
            or self.mic_check_screen() is None
            or self.vm.store.count()
        ):
            return
        _MIC_CHECK_OFFERED.add(self.app)
        self.mic_offer = True
        hint = self.query_one("#mic-offer", Static)
        hint.update(
            Text.assemble(
                ("Your first answer: ", "bold"),
                ("press m to check the microphone first", "bold cyan"),
                (" (a few seconds), or just answer.", ""),
            )
        )
        hint.display = True
        self.refresh_bindings()

    def end_mic_offer(self) -> None:
        if self.mic_offer:
            self.mic_offer = False
            self.query_one("#mic-offer", Static).display = False
            self.refresh_bindings()

    def action_mic_check(self) -> None:
        """Check the microphone now; once the recording has begun, only after asking, since
        the take so far is then deleted (the question is asked again after the check)."""
        if self.mic_check_screen() is None or not self.mic_offer:
            return

        def check() -> None:
            self.end_mic_offer()
            self.checking_mic = True
            if self.turn is not None:
                self.turn.skip()
            elif not self.turn_running():
                self.run_mic_check()

        if not self.recording:
            check()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                check()

        self.app.push_screen(
            ConfirmScreen(
                "Check the microphone now? This take is deleted, and the question is asked "
                "again after the check.",
                "Check",
            ),
            answered,
        )

    def run_mic_check(self) -> None:
        self.checking_mic = False
        screen = self.mic_check_screen()
        if screen is None:
            self.begin()
            return

        def checked(result: MicCheckResult | None) -> None:
            if result is not None:
                self.notify(
                    result.summary,
                    title="Microphone",
                    severity="information" if result.ok else "warning",
                    timeout=10,
                )
            self.begin()

        self.app.push_screen(screen(), checked)

    def turn_running(self) -> bool:
        return any(w.node is self and w.group == "turn" and w.is_running for w in self.workers)

    # --- turn lifecycle ----------------------------------------------------------------

    def begin(self) -> None:
        question = self.question
        if self.mock and self.interview is None:
            try:
                self.interview = self.coach.start_mock(self.questions, phone=self.vm.phone_mode)
            except UserError as exc:
                self.notify(str(exc), title="Mock interview", severity="error", timeout=10)
                self.dismiss()
                return
        mode = "mock interview" if self.mock else "practice"
        progress = f"Question {self.index + 1} of {len(self.questions)}"
        if self.follow_up is not None:
            progress += " · follow-up"
        progress += f" · {mode}"
        if self.vm.phone_mode:
            progress += " · phone mode"
        self.query_one("#practice-progress", Static).update(progress)
        asked = self.follow_up.text if self.follow_up is not None else question.text
        self.query_one("#practice-question", Static).update(Text(visible(asked), "bold"))
        self.target = None if self.follow_up is not None else question.target_seconds
        self.elapsed_s = 0.0
        self.dbfs = -60.0
        self.partial = ""
        self.countdown = 0
        self.query_one(LiveGauge).reading = None
        self.state = "starting"
        self.restart = False
        self.run_turn(question, self.follow_up, self.parent_session)

    @work(thread=True, exclusive=True, exit_on_error=False, group="turn")
    def run_turn(self, question: Question, follow_up: FollowUp | None, parent: str | None) -> None:
        """One blocking `PracticeTurn.run()`; UserErrors end up in `worker_changed`."""
        app = self.vm
        listener = _Listener(self)
        model_path = app.usable_model_path()
        interview = self.interview
        if interview is not None and follow_up is not None and parent is not None:
            turn = interview.follow_up_turn(
                follow_up, parent, listener=listener, model_path=model_path
            )
        elif interview is not None:
            turn = interview.turn(self.index, listener=listener, model_path=model_path)
        else:
            turn = self.coach.new_turn(
                question, phone=app.phone_mode, listener=listener, model_path=model_path
            )
        turn.hold_after_silence = True  # c continues the same answer; space finishes it
        self.turn = turn
        if self.leaving:  # escape came while the microphone was being opened
            turn.skip()
        try:
            result = turn.run()
        finally:
            self.turn = None
        skipped = turn.state == TurnState.SKIPPED
        report = result.report.to_dict() if result.report is not None else None
        asked_next = None
        if (
            interview is not None
            and follow_up is None
            and result.saved
            and not skipped
            and not (self.leaving or self.restart)
        ):
            asked_next = interview.follow_up(self.index, result.session_id)
        self.post_message(
            TurnFinished(
                result.session_id,
                report,
                result.message,
                skipped,
                saved=result.saved,
                follow_up=asked_next,
                unsaid=" ".join(result.unsaid) or None,
            )
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
        self.countdown = 0
        self.query_one("#practice-state", Static).update(
            Text("The recording could not run: press e to try again or escape to leave.", "red")
        )
        if self.leaving:
            self.end_leaving()

    # --- messages from the turn -----------------------------------------------------------

    @on(TurnStateChanged)
    def state_changed(self, message: TurnStateChanged) -> None:
        self.state = str(message.state)
        text = STATE_TEXT[message.state]
        if message.state == TurnState.PAUSED:
            silence = self.vm.settings.audio.silence_stop_s
            text = text.format(silence=f"{silence:g} s")
            self.countdown = 0
        self.query_one("#practice-state", Static).update(text)
        self.refresh_bindings()

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

    @on(StopCountdown)
    def stop_countdown(self, message: StopCountdown) -> None:
        widget = self.query_one(Countdown)
        widget.kind = "stop"
        widget.seconds = message.seconds_left
        self.countdown = message.seconds_left

    @on(ThinkingCountdown)
    def thinking_countdown(self, message: ThinkingCountdown) -> None:
        widget = self.query_one(Countdown)
        widget.kind = "thinking"
        widget.seconds = message.seconds_left
        self.countdown = message.seconds_left

    @on(LiveUpdate)
    def live_update(self, message: LiveUpdate) -> None:
        self.query_one(LiveGauge).reading = message.reading

    @on(TurnNotice)
    def notice(self, message: TurnNotice) -> None:
        self.notify(message.text, timeout=8)

    @on(TurnFinished)
    def finished(self, message: TurnFinished) -> None:
        self.countdown = 0
        self.query_one(Countdown).seconds = 0
        if self.checking_mic:
            if message.session_id is not None:
                self.delete_take(message.session_id)  # the user agreed: answered again
            self.run_mic_check()
            return
        self.end_mic_offer()  # offered during the very first answer only
        if not message.saved:
            # A full disk or read-only folder: the audio is kept and will be finished
            # later; the message says so (live, or now if it was not said). Nothing here
            # may delete it.
            if message.unsaid or message.message is None:
                text = message.unsaid or "The answer could not be saved."
                self.notify(text, severity="error")
            self.end_leaving()
            return
        if self.leaving:
            if message.session_id is not None:
                if self.discard:
                    self.delete_take(message.session_id)
                else:
                    self.note_answer(message)
                    self.notify("Your answer was saved; it is in History.", timeout=5)
            self.end_leaving()
            return
        if self.restart:
            if message.session_id is not None:
                self.delete_take(message.session_id)
            self.begin()
            return
        if self.mock:
            self.next_in_interview(message)
            return
        if message.session_id is None or message.skipped:
            if message.unsaid or message.message is None:
                self.notify(message.unsaid or "Nothing was recorded.", timeout=6)
            self.dismiss()
            return
        from voice_mock.tui.screens.review import ReviewScreen

        self.app.switch_screen(ReviewScreen(message.session_id))

    # --- the mock interview ---------------------------------------------------------------

    def note_answer(self, message: TurnFinished) -> None:
        """Remember a mock answer (or follow-up) the user kept."""
        if not self.mock:
            return
        if self.interview is not None:
            self.interview.saved(message.session_id)
        if self.follow_up is None:
            self.answers.append(MockAnswer(self.question, message.session_id, message.skipped))
        elif self.answers:
            last = self.answers[-1]
            self.answers[-1] = MockAnswer(
                last.question, last.session_id, last.skipped, message.session_id
            )

    def next_in_interview(self, message: TurnFinished) -> None:
        """After an answer: its follow-up, else the next question, else the closing line."""
        self.note_answer(message)
        if self.follow_up is None and message.follow_up is not None and message.session_id:
            self.follow_up = message.follow_up
            self.parent_session = message.session_id
            self.begin()
            return
        self.follow_up = None
        self.parent_session = None
        if self.index + 1 < len(self.questions):
            self.index += 1
            self.begin()
            return
        self.close_interview()

    def close_interview(self) -> None:
        self.closing = True
        self.state = "closing"
        self.query_one("#practice-state", Static).update(
            "The interviewer closes the interview…   (escape skips it)"
        )
        self.say_closing()

    @work(thread=True, exclusive=True, exit_on_error=False, group="closing")
    def say_closing(self) -> None:
        """The closing line, then the unit is saved as finished and the scorecard opens."""
        interview = self.interview
        if interview is None:
            self.post_message(InterviewClosed(None))
            return
        interview.say(interview.closing())
        try:
            record = interview.finish(completed=True)
        except UserError as exc:
            self.post_message(InterviewClosed(interview.id, str(exc)))
            return
        self.post_message(InterviewClosed(record.id if record is not None else None))

    @on(InterviewClosed)
    def interview_closed(self, message: InterviewClosed) -> None:
        self.closing = False
        if message.problem:
            self.notify(message.problem, title="Mock interview", severity="error", timeout=10)
        if message.mock_id is None:
            self.dismiss()
            return
        from voice_mock.tui.screens.mock_summary import MockSummaryScreen

        self.app.switch_screen(MockSummaryScreen(message.mock_id))

    def end_leaving(self) -> None:
        """Leave the screen; a mock interview left part-way is kept with what was answered."""
        if self.interview is not None and not self.closing:
            try:
                record = self.interview.finish(completed=False)
            except UserError as exc:
                self.notify(str(exc), title="Mock interview", severity="warning", timeout=10)
            else:
                if record is not None:
                    self.notify(
                        f"The mock interview was saved with {record.answers} answer"
                        f"{'' if record.answers == 1 else 's'}; History shows it.",
                        timeout=6,
                    )
            self.interview = None
        if self.quitting:
            self.app.exit()
        else:
            self.dismiss()

    # --- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`c` (continue) is only offered while a stopped answer waits, `m` (microphone
        check) only before the very first recording."""
        if action == "continue":
            return self.state == TurnState.PAUSED
        if action == "mic_check":
            return self.mic_offer
        return True

    def action_stop(self) -> None:
        turn = self.turn
        if turn is None:
            return
        if turn.state == TurnState.PREPARING:
            turn.start_now()
        else:
            turn.stop()

    def action_continue(self) -> None:
        if self.turn is not None and not self.turn.continue_answer():
            self.notify("Only a stopped answer can be continued.", timeout=3)

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
        """Whether an answer is being recorded or waits to be continued (leaving could lose it)."""
        return self.turn is not None and self.turn.state in TAKE_STATES

    def action_rerecord(self) -> None:
        if self.closing:
            return
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
        if self.closing and self.interview is not None:
            self.interview.stop_speaking()  # the scorecard follows at once
            return
        if not self.recording:
            self.leave(keep=False)
            return
        self.ask_before_leaving(quitting=False)

    def confirm_quit(self) -> bool:
        """The app's quit (ctrl+q) asks here first; True when the question is shown.

        While an answer is recorded (or paused), the same question as for
        leaving is asked, and "keep" saves and analyses the answer before the
        app closes. Otherwise quitting goes ahead, keeping any audio (the
        unmount skips the turn, so its audio is saved for later transcription).
        """
        if self.leaving:
            return True  # already on the way out: the answer is being saved first
        if not self.recording:
            return False
        if self.asking:  # ctrl+q again while the question is shown: keep it and quit
            self.app.pop_screen()
            self.asking = False
            self.quitting = True
            self.leave(keep=True)
            return True
        self.ask_before_leaving(quitting=True)
        return True

    def ask_before_leaving(self, *, quitting: bool) -> None:
        self.asking = True

        def chosen(choice: str | None) -> None:
            self.asking = False
            if choice in ("keep", "discard"):
                self.quitting = quitting
                self.leave(keep=choice == "keep", discard=choice == "discard")

        # Short lines: the dialog is 64 cells wide inside, and its text does not wrap.
        if quitting:
            question = "Quit voice-mock? Recording carries on until you choose."
        elif self.mock:
            question = "Leave the mock interview? Recording goes on until you choose."
        else:
            question = "Leave this answer? Recording carries on until you choose."
        self.app.push_screen(
            ChoiceScreen(
                f"{question}\nKeeping it saves and analyses what you said.",
                [
                    ("k", "keep", "Keep it"),
                    ("d", "discard", "Delete it"),
                    ("c", "carry", "Carry on"),
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
        elif not self.turn_running():
            self.end_leaving()

    def on_unmount(self) -> None:
        """Quitting mid-answer must not leave a recording thread running."""
        if self.turn is not None:
            self.turn.skip()
