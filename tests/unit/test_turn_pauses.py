"""Thinking is allowed: pauses kept, the stop counted down, a stopped answer continued.

A real practice turn (real Vosk, the Korean model) over a file microphone
playing speech with silences in it, so the voice activity detector, the
recorder's silence stop and the recogniser all see real audio.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.pauses import duration, joined
from tests.support.speech import SHORT_KO, TINY_KO
from voice_mock.analysis.live import LiveReading
from voice_mock.audio.sources import FileSource
from voice_mock.bank import load_library
from voice_mock.coach.turn import PracticeTurn, TurnState
from voice_mock.config import AudioSettings, PracticeSettings, Settings
from voice_mock.speech.tts import SilentSpeaker
from voice_mock.store import Store

pytestmark = pytest.mark.vosk

FIRST = SHORT_KO
SECOND = "그리고 문제를 빨리 해결합니다"
"""The two halves of the long answer the live pace is measured on (8 s of speech needed)."""


class Events:
    """Every event of a turn, with when (monotonic) it came; optional hooks per state."""

    def __init__(self, on: dict[TurnState, Callable[[], None]] | None = None) -> None:
        self.states: list[TurnState] = []
        self.countdown: list[tuple[float, int]] = []
        self.thinking: list[int] = []
        self.live: list[LiveReading] = []
        self.messages: list[str] = []
        self.hooks = on or {}
        self.paused = 0

    def on_state(self, state: TurnState) -> None:
        self.states.append(state)
        if state == TurnState.PAUSED:
            self.paused += 1
        hook = self.hooks.get(state)
        if hook is not None:
            hook()

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None:
        return None

    def on_partial(self, text: str) -> None:
        return None

    def on_message(self, text: str) -> None:
        self.messages.append(text)

    def on_countdown(self, seconds_left: int) -> None:
        self.countdown.append((time.monotonic(), seconds_left))

    def on_thinking(self, seconds_left: int) -> None:
        self.thinking.append(seconds_left)

    def on_live(self, reading: LiveReading) -> None:
        self.live.append(reading)


def make_turn(
    source: Any,
    store: Store,
    model: Path,
    events: Events,
    *,
    settings: Settings | None = None,
    question_index: int = 0,
) -> PracticeTurn:
    question = load_library().questions()[question_index]
    return PracticeTurn(
        question,
        settings=settings or Settings(),
        store=store,
        model_path=model,
        source=source,
        speaker=SilentSpeaker(),
        listener=events,
    )


class PacedEvents(Events):
    """Stops the turn at the first reading with a pace: the rest of the answer shows nothing
    more, and it plays in real time."""

    def __init__(self) -> None:
        super().__init__()
        self.turn: PracticeTurn | None = None

    def on_live(self, reading: LiveReading) -> None:
        super().on_live(reading)
        if reading.wpm is not None and self.turn is not None:
            self.turn.stop()


@pytest.fixture
def speech(espeak_ko: Callable[..., Path]) -> tuple[Path, Path]:
    """Two short stretches of speech (what is said does not matter, only when): Vosk
    decodes about as fast as real time here, so short ones keep the tests quick."""
    return espeak_ko(TINY_KO), espeak_ko(TINY_KO)


@pytest.fixture
def long_speech(espeak_ko: Callable[..., Path]) -> tuple[Path, Path]:
    """The halves of an answer long enough for a live pace (`MIN_SPEECH_S` of speaking)."""
    return espeak_ko(FIRST), espeak_ko(SECOND)


def test_an_answer_with_a_six_second_pause_is_kept_whole_by_default(
    tmp_path: Path, ko_model_path: Path, speech: tuple[Path, Path]
) -> None:
    first, second = speech
    wav = joined([first, 6.0, second], tmp_path / "pause.wav")
    store = Store(tmp_path / "sessions")
    events = Events()
    turn = make_turn(
        FileSource(wav, realtime=False, loop_silence=True), store, ko_model_path, events
    )
    assert turn.settings.audio.silence_stop_s == 8.0  # the default leaves room to think
    result = turn.run()
    assert result.stopped_by == "silence" and result.parts == 1
    assert result.recording is not None
    spoken = duration(wav)
    assert spoken + 7.0 < result.recording.duration_s < spoken + 9.5
    assert result.transcript is not None
    after_pause = duration(first) + 6.0
    assert any(w.start >= after_pause for w in result.transcript.words), result.transcript.text
    assert any(w.end <= duration(first) + 0.5 for w in result.transcript.words)
    assert store.get(result.session_id or "").status == "done"


def test_the_stop_is_counted_down_and_speech_cancels_it(
    tmp_path: Path, ko_model_path: Path, speech: tuple[Path, Path]
) -> None:
    first, second = speech
    wav = joined([first, 2.6, second], tmp_path / "think.wav")
    store = Store(tmp_path / "sessions")
    events = Events()
    settings = Settings(audio=AudioSettings(silence_stop_s=4.0, max_answer_s=60.0))
    source = FileSource(wav, realtime=True, loop_silence=True)
    result = make_turn(source, store, ko_model_path, events, settings=settings).run()
    values = [n for _, n in events.countdown]
    # the pause: 3 (and maybe 2) then 0 when speech came back; the end: 3, 2, 1, then 0
    first_zero = values.index(0)
    assert values[0] == 3 and first_zero < len(values) - 1, values
    assert values[first_zero + 1 :] == [3, 2, 1, 0], values
    assert result.stopped_by == "silence" and result.recording is not None
    assert result.recording.duration_s > duration(wav) + 3.0  # nothing cut at the pause
    assert result.transcript is not None
    assert any(w.start > duration(first) + 2.0 for w in result.transcript.words)


def test_a_stopped_answer_continues_into_the_same_take_and_transcript(
    tmp_path: Path, ko_model_path: Path, speech: tuple[Path, Path]
) -> None:
    first, _ = speech
    store = Store(tmp_path / "sessions")
    turn_box: list[PracticeTurn] = []

    def paused() -> None:
        turn = turn_box[0]
        if events.paused == 1:
            assert turn.continue_answer()  # the file microphone says its words again
        else:
            turn.stop()

    events = Events({TurnState.PAUSED: paused})
    settings = Settings(audio=AudioSettings(silence_stop_s=1.2, max_answer_s=60.0))
    source = FileSource(first, realtime=False, loop_silence=True)
    turn = make_turn(source, store, ko_model_path, events, settings=settings)
    turn.hold_after_silence = True
    turn_box.append(turn)
    result = turn.run()
    assert events.states.count(TurnState.RECORDING) == 2
    assert events.states[-1] == TurnState.DONE
    assert result.parts == 2 and store.count() == 1
    assert result.recording is not None
    spoken = duration(first)
    assert 2 * spoken + 1.5 < result.recording.duration_s < 2 * spoken + 4.0
    record = store.get(result.session_id or "")
    assert record.audio_path is not None
    assert duration(record.audio_path) == pytest.approx(result.recording.duration_s, abs=0.01)
    transcript = record.load_transcript()
    assert transcript is not None
    half = result.recording.duration_s / 2
    before = [w for w in transcript.words if w.end < half]
    after = [w for w in transcript.words if w.start > half]
    assert before and after, transcript.text  # the times run on into the second part
    assert len(after) >= len(before) - 2
    report = record.load_report()
    assert report is not None
    assert report["duration_s"] == pytest.approx(result.recording.duration_s, abs=0.05)
    assert report["word_count"] == len(transcript.words)


def test_thinking_time_follows_the_question_type_and_space_cuts_it_short(
    tmp_path: Path, ko_model_path: Path, speech: tuple[Path, Path]
) -> None:
    first, _ = speech
    store = Store(tmp_path / "sessions")
    library = load_library().questions()
    general = next(i for i, q in enumerate(library) if not q.star)
    story = next(i for i, q in enumerate(library) if q.star)
    settings = Settings(
        audio=AudioSettings(silence_stop_s=1.0, max_answer_s=30.0),
        practice=PracticeSettings(thinking_general_s=2, thinking_behavioral_s=30),
    )
    events = Events()
    turn = make_turn(
        FileSource(first, realtime=False),
        store,
        ko_model_path,
        events,
        settings=settings,
        question_index=general,
    )
    assert turn.thinking_s == 2
    began = time.monotonic()
    turn.run()
    assert events.thinking == [2, 1, 0]
    assert time.monotonic() - began >= 1.9
    assert events.states[:2] == [TurnState.SPEAKING, TurnState.PREPARING]

    events = Events()
    turn = make_turn(
        FileSource(first, realtime=False),
        store,
        ko_model_path,
        events,
        settings=settings,
        question_index=story,
    )
    assert turn.thinking_s == 30
    threading.Timer(0.5, turn.start_now).start()
    began = time.monotonic()
    result = turn.run()
    assert time.monotonic() - began < 10
    assert events.thinking[0] == 30 and events.thinking[-1] == 0
    assert result.session_id is not None and TurnState.RECORDING in events.states


def test_live_readings_come_while_speaking_and_can_be_turned_off(
    tmp_path: Path,
    ko_model_path: Path,
    speech: tuple[Path, Path],
    long_speech: tuple[Path, Path],
) -> None:
    first, second = long_speech
    wav = joined([first, second, first, second], tmp_path / "long.wav")
    store = Store(tmp_path / "sessions")
    settings = Settings(audio=AudioSettings(silence_stop_s=1.0, max_answer_s=60.0))
    paced = PacedEvents()
    source = FileSource(wav, realtime=True, loop_silence=True)
    turn = make_turn(source, store, ko_model_path, paced, settings=settings)
    paced.turn = turn
    result = turn.run()
    assert paced.live, "no live reading while speaking"
    assert any(r.wpm is not None for r in paced.live)
    assert result.recording is not None and result.recording.duration_s < duration(wav)

    off = Settings(audio=settings.audio, practice=PracticeSettings(live_nudges=False))
    events = Events()
    source = FileSource(speech[0], realtime=False, loop_silence=True)
    make_turn(source, store, ko_model_path, events, settings=off).run()
    assert events.live == []
