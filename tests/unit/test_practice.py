"""One live practice turn end to end: file microphone, silent speaker, real Vosk and store."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from tests.support.sessions import crashed
from tests.support.speech import KOREAN_ANSWER, SHORT_KO, TINY_KO
from voice_mock.audio.sources import BlockCallback, FileSource
from voice_mock.bank import Question, load_library
from voice_mock.coach.analysis import audio_features, build_report
from voice_mock.coach.recovery import Recovered
from voice_mock.coach.recovery import recover_unfinished as recover
from voice_mock.coach.turn import PracticeTurn, TurnState
from voice_mock.config import AudioSettings, Settings
from voice_mock.speech.tts import SilentSpeaker, TtsUnavailable
from voice_mock.store import Store


def find_question(ref: str | None) -> Question | None:
    return load_library().find(ref) if ref else None


def recover_unfinished(store: Store, settings: Settings, model: Path | None) -> list[Recovered]:
    return recover(store, settings, model, find_question=find_question)


class Events:
    """A TurnListener that remembers everything, with arrival times."""

    def __init__(self) -> None:
        self.states: list[TurnState] = []
        self.levels: list[tuple[float, bool, float]] = []
        self.partials: list[str] = []
        self.messages: list[str] = []

    def on_state(self, state: TurnState) -> None:
        self.states.append(state)

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None:
        self.levels.append((dbfs, speaking, elapsed_s))

    def on_partial(self, text: str) -> None:
        self.partials.append(text)

    def on_message(self, text: str) -> None:
        self.messages.append(text)


def settings(**audio: float) -> Settings:
    base = AudioSettings(silence_stop_s=1.0, max_answer_s=30.0, prep_seconds=0)
    # callers move numeric fields only; as dict[str, float] mypy would hold **audio
    # against every field, the device names too
    fields: dict[str, Any] = audio
    return Settings(audio=replace(base, **fields))


@pytest.fixture
def question() -> Question:
    return load_library().questions()[0]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "sessions")


@pytest.mark.vosk
def test_turn_end_to_end_saves_transcript_and_report(
    store: Store, question: Question, espeak_ko: Callable[..., Path], ko_model_path: Path
) -> None:
    wav = espeak_ko(SHORT_KO)  # played in real time: its 12 words are plenty
    speaker = SilentSpeaker()
    events = Events()
    turn = PracticeTurn(
        question,
        settings=settings(),
        store=store,
        model_path=ko_model_path,
        source=FileSource(wav, realtime=True, loop_silence=True),
        speaker=speaker,
        listener=events,
    )
    result = turn.run()

    assert speaker.said == [question.text]
    assert events.states == [
        TurnState.SPEAKING,
        TurnState.RECORDING,
        TurnState.TRANSCRIBING,
        TurnState.ANALYSING,
        TurnState.DONE,
    ]
    assert result.stopped_by == "silence"
    assert events.partials, "live partial text reached the listener"
    assert any(speaking for _, speaking, _ in events.levels)
    assert max(db for db, _, _ in events.levels) > -30
    elapsed = [e for _, _, e in events.levels]
    assert elapsed == sorted(elapsed)

    assert result.session_id is not None and result.folder is not None
    assert result.transcript is not None and len(result.transcript.words) >= 4
    assert result.report is not None
    record = store.get(result.session_id)
    assert record.status == "done"
    assert record.question_id == question.id
    transcript = json.loads((result.folder / "transcript.json").read_text(encoding="utf-8"))
    assert transcript[0]["result"][0]["word"]
    report = json.loads((result.folder / "report.json").read_text(encoding="utf-8"))
    assert report["question_id"] == question.id
    assert report["word_count"] == result.report.to_dict()["word_count"] >= 4
    assert report["duration_s"] == pytest.approx(sf.info(result.folder / "answer.wav").duration)
    data, _ = sf.read(result.folder / "answer.wav", dtype="float32")
    assert np.sqrt(np.mean(data**2)) > 0.01


def test_turn_without_a_model_saves_audio_untranscribed(
    store: Store, question: Question, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    events = Events()
    result = PracticeTurn(
        question,
        settings=settings(),
        store=store,
        model_path=None,
        source=FileSource(wav, realtime=False),
        speaker=SilentSpeaker(),
        listener=events,
    ).run()
    assert result.transcript is None and result.report is None
    assert result.stopped_by == "end"
    assert result.message is not None and "voice-mock model download" in result.message
    assert any("voice-mock model download" in m for m in events.messages)
    assert result.session_id is not None and result.folder is not None
    record = store.get(result.session_id)
    assert record.status == "untranscribed"
    assert sf.info(result.folder / "answer.wav").duration == pytest.approx(
        sf.info(wav).duration, abs=0.01
    )
    assert not (result.folder / "transcript.json").exists()


@pytest.mark.vosk
def test_untranscribed_answer_is_finished_once_a_model_exists(
    store: Store, question: Question, espeak_ko: Callable[..., Path], ko_model_path: Path
) -> None:
    wav = espeak_ko(SHORT_KO)
    result = PracticeTurn(
        question,
        settings=settings(),
        store=store,
        model_path=None,
        source=FileSource(wav, realtime=False),
        speaker=SilentSpeaker(),
    ).run()
    assert recover_unfinished(store, settings(), None)[0].status == "untranscribed"
    [done] = recover_unfinished(store, settings(), ko_model_path)
    assert (done.session_id, done.status) == (result.session_id, "done")
    assert result.session_id is not None
    record = store.get(result.session_id)
    assert record.status == "done"
    report = json.loads((record.folder / "report.json").read_text(encoding="utf-8"))
    assert report["question_id"] == question.id  # the question was found again in the bank
    assert report["word_count"] >= 4


def test_recovery_discards_a_session_that_never_got_audio(store: Store) -> None:
    draft = crashed(store.create(question=None, phone=False, source="practice"))
    [outcome] = recover_unfinished(store, settings(), None)
    assert (outcome.session_id, outcome.status) == (draft.id, "discarded")
    assert store.unfinished() == []


def test_stop_while_the_question_plays_records_nothing(
    store: Store, question: Question, espeak_ko: Callable[..., Path]
) -> None:
    class SlowSpeaker(SilentSpeaker):
        def __init__(self) -> None:
            super().__init__()
            self.stopped = threading.Event()

        def say(self, text: str, *, phone: bool = False) -> None:
            super().say(text, phone=phone)
            self.stopped.wait(10)

        def stop(self) -> None:
            self.stopped.set()

    speaker = SlowSpeaker()
    turn = PracticeTurn(
        question,
        settings=settings(),
        store=store,
        model_path=None,
        source=FileSource(espeak_ko(KOREAN_ANSWER), realtime=True),
        speaker=speaker,
    )
    threading.Timer(0.3, turn.stop).start()
    started = time.monotonic()
    result = turn.run()
    assert time.monotonic() - started < 3
    assert result.session_id is None and result.stopped_by is None
    assert store.sessions() == []


def test_replay_says_the_question_again_before_recording(
    store: Store, question: Question, espeak_ko: Callable[..., Path]
) -> None:
    class ReplayingSpeaker(SilentSpeaker):
        turn: PracticeTurn

        def say(self, text: str, *, phone: bool = False) -> None:
            super().say(text, phone=phone)
            if len(self.said) == 1:
                self.turn.replay_question()

    speaker = ReplayingSpeaker()
    events = Events()
    turn = PracticeTurn(
        question,
        settings=settings(),
        store=store,
        model_path=None,
        source=FileSource(espeak_ko(KOREAN_ANSWER), realtime=False),
        speaker=speaker,
        listener=events,
        phone=True,
    )
    speaker.turn = turn
    result = turn.run()
    assert speaker.said == [question.text, question.text]
    turn.replay_question()  # after recording: refused with a message
    assert events.messages[-1] == "The question can be replayed before the recording starts."
    assert result.session_id is not None
    assert store.get(result.session_id).phone is True


def test_skip_keeps_the_audio_without_analysis(
    store: Store, question: Question, espeak_ko: Callable[..., Path], ko_model_path: Path
) -> None:
    class SkipOneSecondIn(Events):
        """Skips one second after recording really starts (the model loads before it)."""

        def on_state(self, state: TurnState) -> None:
            super().on_state(state)
            if state == TurnState.RECORDING:
                threading.Timer(1.0, turn.skip).start()

    events = SkipOneSecondIn()
    turn = PracticeTurn(
        question,
        settings=settings(),
        store=store,
        model_path=ko_model_path,
        source=FileSource(espeak_ko(KOREAN_ANSWER), realtime=True),
        speaker=SilentSpeaker(),
        listener=events,
    )
    result = turn.run()
    assert result.stopped_by == "user"
    assert result.report is None and result.transcript is None
    assert events.states[-1] == TurnState.SKIPPED
    assert TurnState.ANALYSING not in events.states
    assert result.session_id is not None and result.folder is not None
    assert 0.7 < sf.info(result.folder / "answer.wav").duration < 1.6
    assert store.get(result.session_id).status == "untranscribed"


def test_prep_countdown_and_tts_failure_are_reported_once(
    store: Store, question: Question, espeak_ko: Callable[..., Path]
) -> None:
    class BrokenSpeaker(SilentSpeaker):
        def say(self, text: str, *, phone: bool = False) -> None:
            raise TtsUnavailable("Questions cannot be spoken because espeak-ng is missing.")

    events = Events()
    started = time.monotonic()
    PracticeTurn(
        question,
        settings=settings(prep_seconds=2),
        store=store,
        model_path=None,
        source=FileSource(espeak_ko(KOREAN_ANSWER), realtime=False),
        speaker=BrokenSpeaker(),
        listener=events,
    ).run()
    assert time.monotonic() - started >= 2.0
    assert events.messages[:3] == [
        "Questions cannot be spoken because espeak-ng is missing.",
        "Recording starts in 2 s.",
        "Recording starts in 1 s.",
    ]
    assert events.states[:3] == [TurnState.SPEAKING, TurnState.PREPARING, TurnState.RECORDING]


@pytest.mark.vosk
def test_turn_at_a_device_rate_hands_that_rate_to_vosk(
    store: Store, question: Question, espeak_ko: Callable[..., Path], ko_model_path: Path
) -> None:
    """A microphone that refuses 16 kHz records at its own rate; recognition still works."""
    result = PracticeTurn(
        question,
        settings=settings(),
        store=store,
        model_path=ko_model_path,
        source=FileSource(espeak_ko(SHORT_KO), realtime=False, rate=44100),
        speaker=SilentSpeaker(),
    ).run()
    assert result.folder is not None
    assert sf.info(result.folder / "answer.wav").samplerate == 44100
    assert result.transcript is not None and len(result.transcript.words) >= 4
    assert result.session_id is not None
    assert store.get(result.session_id).status == "done"


class SlowStartSource(FileSource):
    """A mic whose first block comes `delay_s` after start, like PulseAudio's first stream."""

    def __init__(self, path: Path, delay_s: float) -> None:
        super().__init__(path, realtime=True)
        self.delay_s = delay_s
        self.first_block_at: float | None = None

    def start(self, callback: BlockCallback) -> None:
        def first(block: np.ndarray) -> None:
            if self.first_block_at is None:
                self.first_block_at = time.monotonic()
            callback(block)

        def later() -> None:
            time.sleep(self.delay_s)
            FileSource.start(self, first)

        threading.Thread(target=later, daemon=True).start()


class TimedEvents(Events):
    def __init__(self) -> None:
        super().__init__()
        self.state_at: dict[TurnState, float] = {}

    def on_state(self, state: TurnState) -> None:
        self.state_at[state] = time.monotonic()
        super().on_state(state)


@pytest.mark.vosk
def test_recording_is_announced_only_once_the_microphone_delivers(
    store: Store, question: Question, espeak_ko: Callable[..., Path], ko_model_path: Path
) -> None:
    wav = espeak_ko(TINY_KO)  # played in real time; any speech will do
    source = SlowStartSource(wav, delay_s=1.2)
    events = TimedEvents()
    turn_settings = settings()
    result = PracticeTurn(
        question,
        settings=turn_settings,
        store=store,
        model_path=ko_model_path,
        source=source,
        speaker=SilentSpeaker(),
        listener=events,
    ).run()
    assert result.stopped_by == "end" and result.recording is not None
    assert source.first_block_at is not None
    # "recording" comes after the first block, so nothing the user says is lost...
    assert events.state_at[TurnState.RECORDING] >= source.first_block_at
    assert any("microphone" in m for m in events.messages)
    # ...and the clock does not count the wait for the device
    assert events.levels[0][2] < 0.5
    assert result.recording.duration_s == pytest.approx(sf.info(wav).duration, abs=0.01)
    # the features measured while recording give the same report as the saved file
    assert result.report is not None and result.transcript is not None
    assert result.folder is not None
    from_file = build_report(
        result.transcript,
        question,
        turn_settings,
        audio_features(result.folder / "answer.wav"),
        False,
    )
    assert result.report.to_dict() == from_file.to_dict()


def test_saved_answer_features_are_read_in_blocks_like_the_whole_file(
    tmp_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    from voice_mock.audio.features import compute_features

    data, rate = sf.read(espeak_ko(KOREAN_ANSWER), dtype="int16")
    stereo = tmp_path / "stereo.wav"
    sf.write(stereo, np.stack([data, data], axis=1), rate, subtype="PCM_16")
    whole = compute_features(data, rate)
    streamed = audio_features(stereo, block_s=0.37)
    assert streamed is not None
    assert streamed.voiced == whole.voiced
    assert streamed.pitch_hz == pytest.approx(whole.pitch_hz, abs=0.011)
    assert streamed.rms_dbfs == pytest.approx(whole.rms_dbfs, abs=0.011)
    assert streamed.duration_s == pytest.approx(whole.duration_s)
    empty = tmp_path / "empty.wav"
    sf.write(empty, np.zeros(0, np.int16), rate, subtype="PCM_16")
    assert audio_features(empty) is None
    assert audio_features(tmp_path / "missing.wav") is None
