"""One live practice turn: speak the question, record the answer, transcribe live, analyse, save.

Both fronts run turns made by `Coach.new_turn`: the CLI's ``voice-mock
practice`` calls `PracticeTurn.run()` directly, the Textual app calls it from a
worker thread and turns the `TurnListener` events into messages. `run()`
blocks; `stop()`, `skip()` and `replay_question()` are safe from any other
thread. Nothing is recorded while the question plays. Without a model the
audio is still saved (status ``untranscribed``) and the user is told how to
get one; recovery transcribes such answers, and repairs answers left by a
killed process, on the next start.
"""

from __future__ import annotations

import contextlib
import threading
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
    from voice_mock.analysis.meaning import Embedder
    from voice_mock.analysis.report import Report
    from voice_mock.bank import Question

LEVEL_INTERVAL_S = 0.1
"""How often the meter is reported to the front (a one-slot reading; older ones are dropped)."""
MIC_NOTICE_S = 0.3
"""If the microphone has delivered nothing after this long, the user is told it is starting."""


class TurnListener(Protocol):
    """Events of a turn, called from the turn's thread; keep handlers quick."""

    def on_state(self, state: TurnState) -> None: ...

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None: ...

    def on_partial(self, text: str) -> None: ...

    def on_message(self, text: str) -> None: ...


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

    @classmethod
    def nothing_recorded(cls, message: str) -> TurnResult:
        """The turn ended before recording began: nothing was saved."""
        return cls(None, None, None, None, None, message)


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
        listener: TurnListener | None = None,
        meaning: Callable[[], Embedder | None] | None = None,
        speaker_note: str | None = None,
    ) -> None:
        """`meaning` gives the embedding model when the report is built (never earlier, so
        loading it cannot delay the recording); `speaker_note` is said once when the
        question cannot be spoken (no text-to-speech engine)."""
        self.question = question
        self.meaning = meaning
        self.speaker_note = speaker_note
        self.settings = settings
        self.store = store
        self.model_path = model_path
        self.source = source
        self.speaker = speaker
        self.phone = phone
        self.listener: TurnListener = listener or _NoListener()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._skipped = False
        self._replay = threading.Event()
        self._recorder: Recorder | None = None
        self._state: TurnState | None = None
        self._tts_warned = False

    # --- controls (any thread) ---------------------------------------------------------

    @property
    def state(self) -> TurnState | None:
        return self._state

    def stop(self) -> None:
        """Finish the answer now (or end the turn if recording has not begun)."""
        with self._lock:
            self._stopped.set()
            recorder = self._recorder
        self.speaker.stop()
        if recorder is not None:
            recorder.stop()

    def skip(self) -> None:
        """Stop without analysing; any audio already recorded is kept in the store."""
        with self._lock:
            self._skipped = True
        self.stop()

    def replay_question(self) -> None:
        """Say the question again; only before recording starts (never record over it)."""
        if self._state in (TurnState.SPEAKING, TurnState.PREPARING):
            self._replay.set()
            self.speaker.stop()
        else:
            self.listener.on_message("The question can be replayed before the recording starts.")

    # --- the turn --------------------------------------------------------------------

    def _set_state(self, state: TurnState) -> None:
        self._state = state
        self.listener.on_state(state)

    def _speak(self) -> None:
        if self.question is None:
            return
        self._replay.clear()
        self._set_state(TurnState.SPEAKING)
        if self.speaker_note and not self._tts_warned:
            self.listener.on_message(self.speaker_note)
            self._tts_warned = True
        while not self._stopped.is_set():
            self._replay.clear()
            try:
                self.speaker.say(self.question.text, phone=self.phone)
            except TtsUnavailable as exc:
                if not self._tts_warned:
                    self.listener.on_message(str(exc))
                    self._tts_warned = True
                return
            except UserError as exc:
                self.listener.on_message(str(exc))
                return
            if not self._replay.is_set():
                return

    def _prepare(self) -> None:
        seconds = int(self.settings.audio.prep_seconds)
        if seconds <= 0 or self._stopped.is_set():
            return
        self._set_state(TurnState.PREPARING)
        remaining = seconds
        while remaining > 0 and not self._stopped.is_set():
            if self._replay.is_set():
                self._speak()
                self._set_state(TurnState.PREPARING)
                remaining = seconds
                continue
            self.listener.on_message(f"Recording starts in {remaining} s.")
            self._stopped.wait(1.0)
            remaining -= 1

    def _recogniser(self) -> tuple[Any, str | None]:
        if self.model_path is None:
            return None, None
        try:
            from voice_mock.speech.stt import StreamingRecognizer

            return StreamingRecognizer(self.model_path, self.source.sample_rate), None
        except UserError as exc:
            return None, str(exc)

    def run(self) -> TurnResult:
        """Run the whole turn, blocking; events go to the listener."""
        self._speak()
        self._prepare()
        if self._stopped.is_set():
            self._set_state(TurnState.SKIPPED)
            return TurnResult.nothing_recorded("Stopped before recording began.")
        draft = self.store.create(question=self.question, phone=self.phone, source="practice")
        recogniser, model_problem = self._recogniser()
        if model_problem:
            self.listener.on_message(model_problem)
        listeners: list[Callable[[bytes], object]] = []
        if recogniser is not None:

            def hear(pcm: bytes) -> None:
                partial = recogniser.accept(pcm)
                if partial:
                    self.listener.on_partial(partial)

            listeners.append(hear)
            # Measured while recording, so the report does not wait for a re-read of the WAV.
            features = FeatureAccumulator(self.source.sample_rate)
            listeners.append(features)
        else:
            features = None
        audio = self.settings.audio
        recorder = Recorder(
            self.source,
            draft.audio_path,
            listeners=listeners,
            silence_stop_s=audio.silence_stop_s,
            max_answer_s=audio.max_answer_s,
        )
        with self._lock:
            self._recorder = recorder
        try:
            recorder.start()
        except (UserError, OSError) as exc:
            self._discard_empty(draft)
            reason = str(exc) if isinstance(exc, UserError) else (exc.strerror or str(exc))
            raise UserError(f"Recording could not start: {reason}") from None
        if self._stopped.is_set():  # stop() came while the recorder was being set up
            recorder.stop()
        # Say "recording" only once the device delivers audio: a freshly opened
        # stream can take ~2 s, and words spoken before then would be lost.
        if not recorder.wait_started(MIC_NOTICE_S) and not recorder.done:
            self.listener.on_message("Waiting for the microphone to start...")
        if recorder.wait_started():
            self._set_state(TurnState.RECORDING)
        tick = threading.Event()
        while not recorder.done:
            tick.wait(LEVEL_INTERVAL_S)
            level = recorder.latest()
            if level is not None:
                self.listener.on_level(level.dbfs, level.speaking, level.elapsed_s)
        recording = recorder.wait()
        with self._lock:
            self._recorder = None
        return self._finish(draft, recording, recogniser, model_problem, features)

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
            self.listener.on_message(str(exc))
            return False
        return True

    def _finish(
        self,
        draft: SessionDraft,
        recording: RecordingResult,
        recogniser: Any,
        model_problem: str | None,
        features: FeatureAccumulator | None = None,
    ) -> TurnResult:
        notes: list[str] = []
        if recording.error:
            notes.append(recording.error)
            self.listener.on_message(recording.error)
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
            from voice_mock.speech.models import model_missing_message

            reason = model_problem or model_missing_message()
            notes.insert(0, f"{reason} The answer was saved and will be transcribed later.")
            self.listener.on_message(notes[0])
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

    @staticmethod
    def _result(
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
        )
