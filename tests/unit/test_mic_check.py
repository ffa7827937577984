"""The microphone check: real speech through the microphone path, judged with the user's limits."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.app import RecordingPlayer, fake_devices
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.audio.sources import FileSource
from voice_mock.bank import load_library
from voice_mock.coach import Coach, Services
from voice_mock.coach.mic_check import MicCheck, MicReading, MicVerdict
from voice_mock.config import Settings
from voice_mock.errors import UserError
from voice_mock.store import Store


def wav(tmp_path: Path, samples: np.ndarray, rate: int, name: str = "take.wav") -> Path:
    path = tmp_path / name
    sf.write(path, np.clip(samples, -1.0, 1.0).astype(np.float32), rate, subtype="FLOAT")
    return path


def check(path: Path, **options: object) -> MicCheck:
    source = FileSource(path, realtime=False, loop_silence=True)
    return MicCheck(source, Thresholds(), **options)  # type: ignore[arg-type]


def test_a_normal_voice_is_fine_and_ends_soon_after_speaking(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    samples, rate = speech
    readings: list[MicReading] = []
    result = check(wav(tmp_path, samples * 0.5, rate), on_level=readings.append, seconds=10).run()
    assert result.verdict is MicVerdict.FINE and result.ok
    assert result.speech_dbfs is not None and -35 < result.speech_dbfs < -3
    assert "no clipping" in result.advice and result.summary.startswith("Fine: ")
    spoken_s = samples.size / rate
    # it stopped about 1.5 s after the sentence, not at the 10 s limit
    assert spoken_s + 1.0 < result.duration_s < spoken_s + 2.5
    assert result.rate == 16000 and result.samples.dtype == np.int16
    assert result.samples.size == round(result.duration_s * result.rate)
    assert readings and any(r.speaking for r in readings)
    assert all(b.elapsed_s >= a.elapsed_s for a, b in itertools.pairwise(readings))
    assert max(r.dbfs for r in readings) > -30


def test_a_quiet_voice_is_too_quiet(tmp_path: Path, speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    result = check(wav(tmp_path, samples * 0.02, rate)).run()
    assert result.verdict is MicVerdict.TOO_QUIET and not result.ok
    assert result.speech_dbfs is not None and result.speech_dbfs < -35
    assert "below -35 dBFS" in result.advice and "closer" in result.advice


def test_the_users_quiet_threshold_decides(tmp_path: Path, speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    path = wav(tmp_path, samples * 0.02, rate)
    lenient = MicCheck(
        FileSource(path, realtime=False, loop_silence=True), Thresholds(quiet_dbfs=-70.0)
    ).run()
    assert lenient.verdict is MicVerdict.FINE


def test_a_voice_turned_up_too_far_is_clipping(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    samples, rate = speech
    result = check(wav(tmp_path, samples * 8, rate)).run()
    assert result.verdict is MicVerdict.CLIPPING
    assert result.clipped_ratio > Thresholds().clipped_ratio_max
    assert "turn the input volume down" in result.advice


def test_the_users_clipping_limit_decides(tmp_path: Path, speech: tuple[np.ndarray, int]) -> None:
    samples, rate = speech
    path = wav(tmp_path, samples * 8, rate)
    source = FileSource(path, realtime=False, loop_silence=True)
    assert MicCheck(source, Thresholds(clipped_ratio_max=0.9)).run().verdict is MicVerdict.FINE


def test_silence_and_noise_are_nothing_heard(tmp_path: Path) -> None:
    rate = 16000
    silent = check(wav(tmp_path, np.zeros(rate * 2), rate), seconds=2, device="USB mic").run()
    assert silent.verdict is MicVerdict.SILENT and silent.speech_dbfs is None
    assert "no sound came from USB mic" in silent.advice and "not muted" in silent.advice
    hiss = np.random.default_rng(1).normal(0, 0.03, rate * 2)
    noisy = check(wav(tmp_path, hiss, rate, "hiss.wav"), seconds=2).run()
    assert noisy.verdict is MicVerdict.SILENT
    assert "but no speech" in noisy.advice


def test_stop_ends_the_check_early_and_judges_what_it_has(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    samples, rate = speech
    source = FileSource(wav(tmp_path, samples * 0.5, rate), realtime=True)
    mic = MicCheck(source, Thresholds(), seconds=30, end_after_silence_s=None)
    threading.Timer(1.5, mic.stop).start()
    started = time.monotonic()
    result = mic.run()
    assert time.monotonic() - started < 3.0 and mic.stopped
    assert 1.0 < result.duration_s < 2.5
    assert result.verdict is MicVerdict.FINE


def test_a_microphone_that_sends_nothing_is_a_sentence() -> None:
    class Dead:
        sample_rate = 16000
        overflows = 0
        stopped = False

        def start(self, callback: object) -> None:
            pass

        def stop(self) -> None:
            self.stopped = True

    dead = Dead()
    with pytest.raises(UserError, match="'Test microphone' delivered no sound"):
        MicCheck(dead, Thresholds(), device="Test microphone").run()
    assert dead.stopped
    with pytest.raises(UserError, match="above 0 s"):
        MicCheck(dead, Thresholds(), seconds=0)


def test_the_coach_checks_the_answers_microphone_and_plays_it_back(
    tmp_path: Path, speech: tuple[np.ndarray, int]
) -> None:
    samples, rate = speech
    path = wav(tmp_path, samples * 0.5, rate)
    player = RecordingPlayer()
    opened: list[Settings] = []

    def mic(settings: Settings) -> FileSource:
        opened.append(settings)
        return FileSource(path, realtime=False, loop_silence=True)

    settings = Settings()
    services = Services(
        mic_source=mic,
        player=lambda s: player,
        input_device=lambda s: fake_devices()[0],
    )
    coach = Coach(settings, load_library(), Store(settings.sessions_dir()), services)
    result = coach.check_microphone(seconds=8)
    assert opened == [settings]
    assert result.verdict is MicVerdict.FINE and result.device == "Test microphone"
    assert coach.play_back(result) is True
    assert player.played == [(result.samples.size, result.rate, False)]
    empty = coach.mic_check(seconds=1)
    empty.stop()
    nothing = empty.run()
    assert nothing.samples.size == 0 and nothing.verdict is MicVerdict.SILENT
    assert coach.play_back(nothing) is False
