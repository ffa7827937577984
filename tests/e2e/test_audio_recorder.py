"""The crash-safe recorder: real microphone path on a null sink, stop rules, errors, SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.pulse import PulseSink
from tests.support.speech import KOREAN_ANSWER
from voice_mock.audio.recorder import Recorder
from voice_mock.audio.sources import BlockCallback, FileSource, MicSource, SoundDeviceSource
from voice_mock.coach.recovery import recover_unfinished
from voice_mock.config import Settings
from voice_mock.speech.stt import StreamingRecognizer
from voice_mock.store import Store


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)))


# --- file source: stop rules and errors ------------------------------------------------


def test_file_source_runs_to_the_end_and_feeds_listeners_in_order(
    tmp_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    source, _ = sf.read(wav, dtype="int16")
    heard: list[bytes] = []
    recorder = Recorder(
        FileSource(wav, realtime=False), tmp_path / "a.wav", listeners=[heard.append]
    )
    result = recorder.record()
    assert result.stopped_by == "end" and result.error is None
    data, rate = sf.read(result.path, dtype="int16")
    assert rate == 16000
    np.testing.assert_array_equal(data, source)
    assert result.duration_s == pytest.approx(source.size / 16000)
    fed = np.frombuffer(b"".join(heard), dtype="<i2")
    np.testing.assert_array_equal(fed, source)
    # chunks of 0.15 s for prompt partial results
    assert {len(c) for c in heard[:-1]} == {int(0.15 * 16000) * 2}


def test_silence_stops_the_take_after_speech(
    tmp_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    speech_s = sf.info(wav).duration
    source = FileSource(wav, realtime=False, loop_silence=True)
    result = Recorder(source, tmp_path / "s.wav", silence_stop_s=1.0, max_answer_s=60).record()
    assert result.stopped_by == "silence"
    assert speech_s + 0.6 < result.duration_s < speech_s + 1.6


def test_silence_before_speech_does_not_stop(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.wav"
    sf.write(quiet, np.zeros(16000 * 3, dtype=np.int16), 16000)
    result = Recorder(
        FileSource(quiet, realtime=False), tmp_path / "q.wav", silence_stop_s=0.5
    ).record()
    assert result.stopped_by == "end"
    assert result.duration_s == pytest.approx(3.0)


def test_max_answer_length_cuts_exactly(tmp_path: Path, espeak_ko: Callable[..., Path]) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    result = Recorder(
        FileSource(wav, realtime=False), tmp_path / "m.wav", max_answer_s=1.25
    ).record()
    assert result.stopped_by == "max"
    assert sf.info(result.path).frames == 20000


def test_user_stop_from_another_thread(tmp_path: Path, espeak_ko: Callable[..., Path]) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    recorder = Recorder(FileSource(wav, realtime=True), tmp_path / "u.wav")
    recorder.start()
    threading.Timer(0.8, recorder.stop).start()
    result = recorder.wait(timeout=10)
    assert result.stopped_by == "user"
    assert 0.6 < result.duration_s < 1.3
    level = recorder.latest()
    assert level is not None and level.elapsed_s == pytest.approx(result.duration_s, abs=0.2)


def test_disk_full_ends_the_take_with_a_clear_message(espeak_ko: Callable[..., Path]) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    result = Recorder(FileSource(wav, realtime=False), Path("/dev/full")).record()
    assert result.stopped_by == "error"
    assert result.error is not None
    assert "could not be written (No space left on device)" in result.error
    assert "kept" in result.error


def test_a_failing_listener_never_loses_the_recording(
    tmp_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)

    def broken(_chunk: bytes) -> None:
        raise RuntimeError("recogniser exploded")

    result = Recorder(
        FileSource(wav, realtime=False), tmp_path / "b.wav", listeners=[broken]
    ).record()
    assert result.stopped_by == "end"
    assert result.listener_errors == ("RuntimeError: recogniser exploded",)
    assert sf.info(result.path).duration == pytest.approx(sf.info(wav).duration, abs=0.01)


def test_slow_listener_does_not_slow_the_writer(
    tmp_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    written_when_listener_was_at: list[float] = []
    path = tmp_path / "slow.wav"

    def slow(_chunk: bytes) -> None:
        time.sleep(0.02)
        written_when_listener_was_at.append(path.stat().st_size)

    result = Recorder(FileSource(wav, realtime=False), path, listeners=[slow]).record()
    # The file was (nearly) complete before the listener had finished its first chunk.
    assert written_when_listener_was_at[0] > 0.9 * path.stat().st_size
    assert result.stopped_by == "end"


class UnpluggedMic(FileSource):
    """Delivers real speech, then behaves like a USB microphone pulled out mid-answer."""

    def __init__(self, path: Path, after_s: float, *, silent_forever: bool = False) -> None:
        super().__init__(path, realtime=True)
        self.after_s = after_s
        self.silent_forever = silent_forever
        self.active = True

    def start(self, callback: BlockCallback) -> None:
        def cut(block: np.ndarray) -> None:
            if self.after_s <= 0:
                if not self.silent_forever:
                    self.active = False
                return
            self.after_s -= block.size / self.sample_rate
            callback(block)

        super().start(cut)


def test_a_lost_device_ends_the_take_and_keeps_the_audio(
    tmp_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    result = Recorder(UnpluggedMic(wav, 0.8), tmp_path / "lost.wav", silence_stop_s=5).record()
    assert result.stopped_by == "error"
    assert result.error == "The input device stopped delivering audio."
    assert sf.info(result.path).duration == pytest.approx(0.8, abs=0.11)


def test_a_device_that_delivers_nothing_is_reported(
    tmp_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    mic = UnpluggedMic(wav, 0.0, silent_forever=True)
    recorder = Recorder(mic, tmp_path / "none.wav", stall_s=0.5, first_block_s=0.5)
    recorder.start()
    assert recorder.wait_started() is False  # returns when the take gives up
    result = recorder.wait()
    assert not recorder.started
    assert result.stopped_by == "error"
    assert result.error == "The input device delivered no audio; check the microphone."
    assert result.duration_s == 0


def test_both_sources_are_mic_sources(
    pulse_sink: PulseSink, espeak_ko: Callable[..., Path]
) -> None:
    assert isinstance(FileSource(espeak_ko(KOREAN_ANSWER)), MicSource)
    assert isinstance(SoundDeviceSource(None), MicSource)


# --- the real microphone path (PulseAudio null sink monitor) ----------------------------


@pytest.mark.audio
@pytest.mark.vosk
def test_live_recording_with_partials_and_word_times(
    tmp_path: Path, pulse_sink: PulseSink, espeak_ko: Callable[..., Path], ko_model_path: Path
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    source = SoundDeviceSource(None, 16000)
    assert source.sample_rate == 16000
    recognizer = StreamingRecognizer(ko_model_path, source.sample_rate)
    partials: list[tuple[float, str]] = []

    def hear(chunk: bytes) -> None:
        text = recognizer.accept(chunk)
        if text:
            partials.append((time.monotonic(), text))

    recorder = Recorder(source, tmp_path / "live.wav", listeners=[hear], max_answer_s=60)
    recorder.start()
    time.sleep(0.3)
    assert pulse_sink.play(wav).wait(timeout=30) == 0
    played_at = time.monotonic()
    time.sleep(0.5)
    recorder.stop()
    result = recorder.wait(timeout=30)
    assert result.stopped_by == "user" and result.error is None
    data, rate = sf.read(result.path, dtype="float32")
    assert rate == 16000
    assert rms(data) > 0.01
    assert partials and partials[0][0] < played_at, "no partial result before the answer ended"
    transcript = recognizer.finish(duration_s=result.duration_s)
    assert len(transcript.words) >= 4
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(0 <= w.start <= w.end <= result.duration_s + 0.05 for w in transcript.words)


@pytest.mark.audio
def test_live_silence_auto_stop(
    tmp_path: Path, pulse_sink: PulseSink, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    speech_s = sf.info(wav).duration
    recorder = Recorder(
        SoundDeviceSource(None, 16000), tmp_path / "s.wav", silence_stop_s=1.0, max_answer_s=30
    )
    recorder.start()
    time.sleep(1.5)  # silence before speaking must not stop the take
    assert not recorder.done
    started = time.monotonic()
    pulse_sink.play(wav).wait(timeout=30)
    result = recorder.wait(timeout=15)
    assert result.stopped_by == "silence"
    assert time.monotonic() - started < speech_s + 3.0
    assert result.duration_s > 1.5 + speech_s * 0.8


@pytest.mark.audio
def test_one_live_source_records_two_takes(tmp_path: Path, pulse_sink: PulseSink) -> None:
    source = SoundDeviceSource(None, 16000)
    for n in range(2):
        result = Recorder(source, tmp_path / f"take{n}.wav", max_answer_s=0.5).record()
        assert result.stopped_by == "max", result
        assert sf.info(result.path).frames == 8000


@pytest.mark.audio
def test_live_max_length(
    tmp_path: Path, pulse_sink: PulseSink, espeak_ko: Callable[..., Path]
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    player = pulse_sink.play(wav)
    result = Recorder(SoundDeviceSource(None, 16000), tmp_path / "m.wav", max_answer_s=1.5).record()
    player.terminate()
    player.wait(timeout=10)
    assert result.stopped_by == "max"
    assert sf.info(result.path).frames == 24000
    data, _ = sf.read(result.path, dtype="float32")
    assert rms(data) > 0.005


# --- crash safety ----------------------------------------------------------------------

KILLED_RECORDER = """
import sys
from pathlib import Path
from voice_mock.audio.recorder import Recorder
from voice_mock.audio.sources import FileSource
from voice_mock.store import Store

store = Store(Path(sys.argv[1]))
draft = store.create(question=None, phone=False, source="practice")
recorder = Recorder(FileSource(sys.argv[2], realtime=True), draft.audio_path)
recorder.start()
print(draft.id, flush=True)
recorder.wait()
print("finished", flush=True)
"""


@pytest.mark.vosk
def test_sigkill_mid_recording_leaves_a_playable_file_that_is_recovered(
    tmp_path: Path, espeak_ko: Callable[..., Path], ko_model_path: Path
) -> None:
    wav = espeak_ko(KOREAN_ANSWER + " " + KOREAN_ANSWER)
    root = tmp_path / "sessions"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_RECORDER, str(root), str(wav)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    session_id = child.stdout.readline().strip()
    time.sleep(1.5)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    store = Store(root)
    [draft] = store.unfinished()
    assert draft.id == session_id and draft.status == "recording"
    data, rate = sf.read(draft.audio_path, dtype="float32")  # playable as left by the kill
    assert rate == 16000
    assert 1.0 < data.size / rate < 2.5
    assert rms(data) > 0.01

    recovered = recover_unfinished(store, Settings(), ko_model_path, find_question=lambda r: None)
    assert [(r.session_id, r.status) for r in recovered] == [(session_id, "done")]
    record = store.get(session_id)
    assert record.status == "done"
    transcript = record.load_transcript()
    assert transcript is not None and len(transcript.words) >= 1
    assert (record.folder / "report.json").is_file()
    assert store.unfinished() == []
