"""One live practice turn: speak the question, record the answer, transcribe live, analyse, save.

Both fronts run turns made by `Coach.new_turn`: the CLI's ``voice-mock
practice`` calls `PracticeTurn.run()` directly, the Textual app calls it from a
worker thread and turns the `TurnListener` events into messages. `run()`
blocks; `stop()`, `skip()` and `replay_question()` are safe from any other
thread. Nothing is recorded while the question plays. Without a model the
audio is still saved (status ``untranscribed``) and the user is told how to
get one; recovery transcribes such answers, and repairs answers left by a
killed process, on the next start.

Thinking is allowed: the recording stops by itself only `silence_stop_s` after
the user has gone quiet (once they have spoken), and the last `COUNTDOWN_S`
seconds are counted down (`on_countdown`), so a pause to think is visible and
any speech cancels it. A front that sets `hold_after_silence` gets a turn that
waits after such a stop (state ``paused``): `continue_answer()` records on into
the same WAV and the same recogniser (its clock is the file's, so the word
times simply continue), and `stop()` finishes it; either way the report is
built once, from the whole answer. While paused the session is still
``recording`` on disk, so a crash then loses nothing: recovery finishes it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from voice_mock.audio.features import FeatureAccumulator
from voice_mock.audio.recorder import Recorder, RecordingResult, StopReason
from voice_mock.audio.sources import MicSource
from voice_mock.coach.states import TurnState
from voice_mock.config import Settings
from voice_mock.errors import UserError
from voice_mock.speech.tts import Speaker, TtsUnavailable
from voice_mock.store import SessionDraft, Store
from voice_mock.transcript import Transcript

if TYPE_CHECKING:
    from voice_mock.analysis.features import AudioFeatures
    from voice_mock.analysis.live import LiveCoach, LiveReading
    from voice_mock.analysis.meaning import Embedder
    from voice_mock.analysis.report import Report
    from voice_mock.audio.recorder import Level
    from voice_mock.bank import Question

LEVEL_INTERVAL_S = 0.1
"""How often the meter is reported to the front (a one-slot reading; older ones are dropped)."""
MIC_NOTICE_S = 0.3
"""If the microphone has delivered nothing after this long, the user is told it is starting."""
COUNTDOWN_S = 3
"""The last seconds before the silence stop that are counted down (speech cancels them)."""
SAVED_FOR_LATER = "The answer was saved and will be transcribed later."
"""What becomes of an answer recorded without a speech model (never said when it failed)."""


class BasicTurnListener(Protocol):
    """The events every listener handles, called from the turn's thread; keep them quick."""

    def on_state(self, state: TurnState) -> None: ...

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None: ...

    def on_partial(self, text: str) -> None: ...

    def on_message(self, text: str) -> None: ...


class TurnListener(BasicTurnListener, Protocol):
    """All the events of a turn. A listener with only the basic ones still works: the
    thinking countdown then arrives as a message, the others not at all."""

    def on_countdown(self, seconds_left: int) -> None:
        """The silence stop is `seconds_left` seconds away; 0 when it is off again (the user
        spoke, or the take ended)."""

    def on_thinking(self, seconds_left: int) -> None:
        """Thinking time before the recording: `seconds_left` to go; 0 when it is over."""

    def on_live(self, reading: LiveReading) -> None:
        """A new live pace, filler count or nudge (`settings.practice.live_nudges`)."""


class _Events:
    """The listener's events for the turn, with the optional ones filled in when missing."""

    def __init__(self, listener: BasicTurnListener) -> None:
        self.listener = listener
        self.on_state = listener.on_state
        self.on_level = listener.on_level
        self.on_partial = listener.on_partial
        self.on_message = listener.on_message
        self._countdown = getattr(listener, "on_countdown", None)
        self._thinking = getattr(listener, "on_thinking", None)
        self._live = getattr(listener, "on_live", None)

    def on_countdown(self, seconds_left: int) -> None:
        if self._countdown is not None:
            self._countdown(seconds_left)

    def on_thinking(self, seconds_left: int) -> None:
        if self._thinking is not None:
            self._thinking(seconds_left)
        elif seconds_left > 0:
            self.on_message(f"Recording starts in {seconds_left} s.")

    def on_live(self, reading: LiveReading) -> None:
        if self._live is not None:
            self._live(reading)


class _NoListener:
    def on_state(self, state: TurnState) -> None:
        return None

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None:
        return None

    def on_partial(self, text: str) -> None:
        return None

    def on_message(self, text: str) -> None:
        return None


@dataclass(frozen=True, slots=True)
class TurnResult:
    """The outcome of one turn."""

    session_id: str | None
    """None when the turn was stopped before recording began (nothing saved)."""
    folder: Path | None
    transcript: Transcript | None
    """None without a model, when skipped, or when nothing was recorded."""
    report: Report | None
    stopped_by: StopReason | None
    """How the recording ended (None when it never started)."""
    message: str | None
    """One sentence for the user when something needs saying (no model, device error...)."""
    recording: RecordingResult | None = None
    saved: bool = True
    """False when the answer could not be saved whole (a full disk): its audio is kept and
    recovery finishes it later; `message` says so."""
    parts: int = 1
    """How many takes the answer was recorded in (continued after a silence stop: 2 or more)."""
    unsaid: tuple[str, ...] = ()
    """The notes of `message` the listener was not told while the turn ran (lost audio
    blocks, a skip): a front that shows the listener's messages shows only these at the
    end, so nothing is said twice."""

    @classmethod
    def nothing_recorded(cls, message: str) -> TurnResult:
        """The turn ended before recording began: nothing was saved."""
        return cls(None, None, None, None, None, message, unsaid=(message,))


class PracticeTurn:
    """Speak `question`, record and analyse the answer; see the module docstring."""

    def __init__(
        self,
        question: Question | None,
        *,
        settings: Settings,
        store: Store,
        model_path: Path | None,
        source: MicSource,
        speaker: Speaker,
        phone: bool = False,
        listener: TurnListener | BasicTurnListener | None = None,
        meaning: Callable[[], Embedder | None] | None = None,
        speaker_note: str | None = None,
        prompt: str | None = None,
        intro: str | None = None,
        mock_id: str | None = None,
        follow_up_of: str | None = None,
    ) -> None:
        """`meaning` gives the embedding model when the report is built (never earlier, so
        loading it cannot delay the recording); `speaker_note` is said once when the
        question cannot be spoken (no text-to-speech engine).

        A mock interview's turns name their unit: `mock_id`, and for a follow-up the
        session it follows (`follow_up_of`) with the interviewer's words as `prompt`
        (said and saved as the question; the answer is judged as a free one, since the
        question's key points were the first answer's job). `intro` is said once before
        the question (the interviewer's opening line).
        """
        self.question = question
        self.meaning = meaning
        self.speaker_note = speaker_note
        self.settings = settings
        self.store = store
        self.model_path = model_path
        self.source = source
        self.speaker = speaker
        self.phone = phone
        self.prompt = prompt
        self.intro = intro
        self.mock_id = mock_id
        self.follow_up_of = follow_up_of
        self.hold_after_silence = False
        """Wait after a silence stop (state ``paused``) for `continue_answer()` or `stop()`
        instead of finishing at once. The app sets it; the command line does not."""
        self.model_notice_given = False
        """The front has already said there is no speech model (the command line does, once
        for the whole command), so a turn without one says only what became of the answer."""
        self.listener = _Events(listener or _NoListener())
        self._told: set[str] = set()
        """Every message the listener was given, so the result can say which notes are new."""
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._skipped = False
        self._replay = threading.Event()
        self._wake = threading.Event()
        """Set by every control, so a countdown's wait ends at once."""
        self._go = threading.Event()
        """`start_now()`: the thinking time is over."""
        self._decided = threading.Event()
        """Set when a paused turn is told what to do (continue, stop or skip)."""
        self._continue = False
        self._recorder: Recorder | None = None
        self._state: TurnState | None = None
        self._tts_warned = False
        self._countdown = 0
        self._parts = 1
        self._heard: tuple[str, str, float] | None = None
        """The recogniser's latest (closed text, open text, seconds fed), for the live coach."""

    # --- controls (any thread) ---------------------------------------------------------

    @property
    def state(self) -> TurnState | None:
        return self._state

    @property
    def text(self) -> str | None:
        """What the interviewer asks: the question, or a follow-up's prompt."""
        return self.question.text if self.question is not None else self.prompt

    @property
    def thinking_s(self) -> int:
        """Thinking time before this question: its type's setting, else `prep_seconds`."""
        practice = self.settings.practice
        if self.question is not None:
            chosen = (
                practice.thinking_behavioral_s
                if self.question.star
                else practice.thinking_general_s
            )
            if chosen > 0:
                return int(chosen)
        return int(self.settings.audio.prep_seconds)

    def stop(self) -> None:
        """Finish the answer now (or end the turn if recording has not begun)."""
        with self._lock:
            self._stopped.set()
            recorder = self._recorder
        self._wake.set()
        self._decided.set()
        self.speaker.stop()
        if recorder is not None:
            recorder.stop()

    def skip(self) -> None:
        """Stop without analysing; any audio already recorded is kept in the store."""
        with self._lock:
            self._skipped = True
        self.stop()

    def start_now(self) -> None:
        """End the thinking time and record at once (nothing happens at any other time)."""
        if self._state == TurnState.PREPARING:
            self._go.set()
            self._wake.set()

    def continue_answer(self) -> bool:
        """Record more of the same answer after a silence stop; False when not paused.

        The new audio goes on the end of the same WAV and through the same
        recogniser, so the transcript's times run on and the report covers both.
        """
        with self._lock:
            if self._state != TurnState.PAUSED or self._stopped.is_set():
                return False
            self._continue = True
        self._decided.set()
        return True

    def replay_question(self) -> None:
        """Say the question again; only before recording starts (never record over it)."""
        if self._state in (TurnState.SPEAKING, TurnState.PREPARING):
            self._replay.set()
            self._wake.set()
            self.speaker.stop()
        else:
            self._tell("The question can be replayed before the recording starts.")

    # --- the turn --------------------------------------------------------------------

    def _set_state(self, state: TurnState) -> None:
        self._state = state
        self.listener.on_state(state)

    def _tell(self, text: str) -> None:
        """Give the listener a message, remembering it (see `TurnResult.unsaid`)."""
        self._told.add(text)
        self.listener.on_message(text)

    def _say(self, text: str) -> bool:
        """Say `text`; False when it cannot be spoken (the reason is said once)."""
        try:
            self.speaker.say(text, phone=self.phone)
        except TtsUnavailable as exc:
            if not self._tts_warned:
                self._tell(str(exc))
                self._tts_warned = True
            return False
        except UserError as exc:
            self._tell(str(exc))
            return False
        return True

    def _speak(self) -> None:
        text = self.text
        if text is None:
            return
        self._replay.clear()
        self._set_state(TurnState.SPEAKING)
        if self.speaker_note and not self._tts_warned:
            self._tell(self.speaker_note)
            self._tts_warned = True
        if self.intro and not self._stopped.is_set():
            intro, self.intro = self.intro, None  # an opening line is said once, not replayed
            if not self._say(intro):
                return
        while not self._stopped.is_set():
            self._replay.clear()
            if not self._say(text):
                return
            if not self._replay.is_set():
                return

    def _prepare(self) -> None:
        """Thinking time, counted down; `start_now()` ends it, `replay_question()` restarts it."""
        seconds = self.thinking_s
        if seconds <= 0 or self._stopped.is_set():
            return
        self._set_state(TurnState.PREPARING)
        deadline = time.monotonic() + seconds
        shown = 0
        while not self._stopped.is_set() and not self._go.is_set():
            if self._replay.is_set():
                self._speak()
                self._set_state(TurnState.PREPARING)
                deadline = time.monotonic() + seconds
                shown = 0
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                break
            whole = math.ceil(left)
            if whole != shown:
                shown = whole
                self.listener.on_thinking(whole)
            self._wake.wait(left - (whole - 1) + 0.001)  # until the next whole second
            self._wake.clear()
        self.listener.on_thinking(0)

    def _recogniser(self) -> tuple[Any, str | None]:
        if self.model_path is None:
            return None, None
        try:
            from voice_mock.speech.stt import StreamingRecognizer

            return StreamingRecognizer(self.model_path, self.source.sample_rate), None
        except UserError as exc:
            return None, str(exc)

    def _live_coach(self, recogniser: Any) -> LiveCoach | None:
        if recogniser is None or not self.settings.practice.live_nudges:
            return None
        from voice_mock.analysis.live import LiveCoach

        return LiveCoach(self.settings.thresholds, phone=self.phone)

    def run(self) -> TurnResult:
        """Run the whole turn, blocking; events go to the listener."""
        self._speak()
        self._prepare()
        if self._stopped.is_set():
            self._set_state(TurnState.SKIPPED)
            return TurnResult.nothing_recorded("Stopped before recording began.")
        draft = self.store.create(
            question=self.question,
            phone=self.phone,
            source="practice",
            prompt=self.prompt if self.question is None else None,
            mock_id=self.mock_id,
            follow_up_of=self.follow_up_of,
        )
        recogniser, model_problem = self._recogniser()
        if model_problem:
            self._tell(model_problem)
        live = self._live_coach(recogniser)
        listeners: list[Callable[[bytes], object]] = []
        if recogniser is not None:

            def hear(pcm: bytes) -> None:
                partial = recogniser.accept(pcm)
                if partial:
                    self.listener.on_partial(partial)
                    if live is not None:  # one slot, read by the turn's own loop
                        self._heard = (
                            recogniser.final_text,
                            recogniser.partial_text,
                            recogniser.accepted_seconds,
                        )

            listeners.append(hear)
            # Measured while recording, so the report does not wait for a re-read of the WAV.
            # Shared by every take of the answer, like the recogniser, so it measures all.
            features = FeatureAccumulator(self.source.sample_rate)
            listeners.append(features)
        else:
            features = None
        takes: list[RecordingResult] = []
        while True:
            take = self._record(draft, listeners, live, append=bool(takes))
            if take is None:  # a continuation could not start: the answer so far stands
                break
            takes.append(take)
            if not self._hold(take):
                break
        recording = _joined(takes)
        return self._finish(draft, recording, recogniser, model_problem, features, len(takes))

    def _record(
        self,
        draft: SessionDraft,
        listeners: list[Callable[[bytes], object]],
        live: LiveCoach | None,
        *,
        append: bool,
    ) -> RecordingResult | None:
        """One take into the answer's WAV (`append`: after the audio already there)."""
        audio = self.settings.audio
        recorder = Recorder(
            self.source,
            draft.audio_path,
            listeners=listeners,
            silence_stop_s=audio.silence_stop_s,
            max_answer_s=audio.max_answer_s,
            append=append,
        )
        with self._lock:
            self._recorder = recorder
        try:
            recorder.start()
        except (UserError, OSError, ValueError) as exc:
            with self._lock:
                self._recorder = None
            reason = str(exc) if not isinstance(exc, OSError) else (exc.strerror or str(exc))
            if not append:
                self._discard_empty(draft)
                raise UserError(f"Recording could not start: {reason}") from None
            self._tell(
                f"The answer could not be continued ({reason}); what you said before is kept."
            )
            return None
        if self._stopped.is_set():  # stop() came while the recorder was being set up
            recorder.stop()
        # Say "recording" only once the device delivers audio: a freshly opened
        # stream can take ~2 s, and words spoken before then would be lost.
        if not recorder.wait_started(MIC_NOTICE_S) and not recorder.done:
            self._tell("Waiting for the microphone to start...")
        if recorder.wait_started():
            self._set_state(TurnState.RECORDING)
        tick = threading.Event()
        heard: tuple[str, str, float] | None = None
        while not recorder.done:
            tick.wait(LEVEL_INTERVAL_S)
            level = recorder.latest()
            if level is None:
                continue
            self.listener.on_level(level.dbfs, level.speaking, level.elapsed_s)
            self._show_countdown(seconds_to_stop(level, audio.silence_stop_s))
            if live is not None:
                latest = self._heard
                if latest is not None and latest is not heard:
                    heard = latest
                    live.heard(*latest)
                reading = live.tick(level.elapsed_s, level.speaking)
                if reading is not None:
                    self.listener.on_live(reading)
        take = recorder.wait()
        with self._lock:
            self._recorder = None
        self._show_countdown(0)
        return take

    def _show_countdown(self, seconds_left: int) -> None:
        if seconds_left != self._countdown:
            self._countdown = seconds_left
            self.listener.on_countdown(seconds_left)

    def _hold(self, take: RecordingResult) -> bool:
        """After a silence stop, wait for the user: True to record on, False to finish."""
        if take.stopped_by != "silence" or take.error or not self.hold_after_silence:
            return False
        self._decided.clear()
        if self._stopped.is_set():
            return False
        self._set_state(TurnState.PAUSED)
        self._decided.wait()
        with self._lock:
            carry_on, self._continue = self._continue, False
        return carry_on and not self._stopped.is_set()

    def _discard_empty(self, draft: SessionDraft) -> None:
        """Remove a session whose recording never started (nothing of the user's is in it)."""
        with contextlib.suppress(UserError):  # else recovery removes it: it holds nothing
            self.store.delete(draft.id)

    def _save(
        self,
        draft: SessionDraft,
        transcript: Transcript | None,
        report: Report | None,
        notes: list[str],
    ) -> bool:
        """Save the answer; on a full disk or read-only folder say so (the audio is kept)."""
        try:
            self.store.finish(draft, transcript=transcript, report=report)
        except UserError as exc:
            notes.insert(0, str(exc))
            self._tell(str(exc))
            return False
        return True

    def _finish(
        self,
        draft: SessionDraft,
        recording: RecordingResult,
        recogniser: Any,
        model_problem: str | None,
        features: FeatureAccumulator | None = None,
        parts: int = 1,
    ) -> TurnResult:
        notes: list[str] = []
        self._parts = parts
        if recording.error:
            notes.append(recording.error)
            self._tell(recording.error)
        if recording.overflows:
            notes.append(
                f"{recording.overflows} audio block(s) were lost because the machine was busy."
            )
        if self._skipped:
            saved = self._save(draft, None, None, notes)
            self._set_state(TurnState.SKIPPED)
            if saved:
                notes.insert(0, "Skipped: the answer's audio was saved without analysis.")
            return self._result(draft, None, None, recording, notes, saved)
        if recogniser is None:
            saved = self._save(draft, None, None, notes)
            self._untranscribed(model_problem, notes, saved)
            self._set_state(TurnState.DONE)
            return self._result(draft, None, None, recording, notes, saved)
        self._set_state(TurnState.TRANSCRIBING)
        transcript = recogniser.finish(duration_s=recording.duration_s)
        self._set_state(TurnState.ANALYSING)
        from voice_mock.coach.analysis import audio_features, build_report

        measured: AudioFeatures | None
        frames = round(recording.duration_s * recording.sample_rate)
        if features is not None and features.samples == frames:
            measured = features.finish()
        else:  # the live measure missed audio (it failed): measure the saved file instead
            measured = audio_features(draft.audio_path)
        meaning = self.meaning() if self.meaning is not None else None
        report = build_report(
            transcript, self.question, self.settings, measured, self.phone, meaning
        )
        saved = self._save(draft, transcript, report, notes)
        self._set_state(TurnState.DONE)
        return self._result(draft, transcript, report, recording, notes, saved)

    def _untranscribed(self, model_problem: str | None, notes: list[str], saved: bool) -> None:
        """Say why the answer has no transcript and what became of it, each thing once.

        The reason is not said again when the user already heard it (a model that failed
        to load is named before the recording; a front may have said there is none), but
        `TurnResult.message` still gives it. What became of the answer is one true
        sentence: saved for later or, when the save failed, the store's own sentence
        (said by `_save`), never both.
        """
        from voice_mock.speech.models import model_missing_message

        reason = model_problem or model_missing_message()
        known = reason in self._told or (model_problem is None and self.model_notice_given)
        if known:
            self._told.add(reason)  # heard before the answer: not one of the result's new notes
            notes.insert(0, reason)
            if saved:
                notes.insert(1, SAVED_FOR_LATER)
                self._tell(SAVED_FOR_LATER)
        elif saved:
            notes.insert(0, f"{reason} {SAVED_FOR_LATER}")
            self._tell(notes[0])
        else:
            notes.insert(0, reason)  # then the store's sentence: the audio is kept

    def _result(
        self,
        draft: SessionDraft,
        transcript: Transcript | None,
        report: Report | None,
        recording: RecordingResult,
        notes: list[str],
        saved: bool = True,
    ) -> TurnResult:
        return TurnResult(
            session_id=draft.id,
            folder=draft.folder,
            transcript=transcript,
            report=report,
            stopped_by=recording.stopped_by,
            message=" ".join(notes) or None,
            recording=recording,
            saved=saved,
            parts=self._parts,
            unsaid=tuple(note for note in notes if note not in self._told),
        )


def seconds_to_stop(level: Level, silence_stop_s: float) -> int:
    """Whole seconds until the silence stop when it is `COUNTDOWN_S` or less away, else 0.

    Only once the user has spoken (the stop needs speech first) and while they
    are quiet: any speech resets the silence, and with it the countdown.
    """
    if silence_stop_s <= 0 or not level.heard_speech or level.speaking:
        return 0
    left = silence_stop_s - level.silence_s
    if left <= 0 or left > COUNTDOWN_S:
        return 0
    return math.ceil(left)


def _joined(takes: list[RecordingResult]) -> RecordingResult:
    """The takes of one answer as one result: the file's whole length, every loss counted."""
    last = takes[-1]
    if len(takes) == 1:
        return last
    errors = [take.error for take in takes if take.error]
    listener_errors = dict.fromkeys(e for take in takes for e in take.listener_errors)
    return dataclasses.replace(
        last,
        error=errors[-1] if errors else None,
        overflows=sum(take.overflows for take in takes),
        listener_errors=tuple(listener_errors),
        appended_at_s=0.0,
    )
