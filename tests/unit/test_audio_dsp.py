"""Phone filter, voice activity, audio features and WAV header repair on synthetic signals."""

from __future__ import annotations

import struct
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.speech import KOREAN_ANSWER
from voice_mock.analysis.features import AudioFeatures
from voice_mock.audio.features import FeatureAccumulator, compute_features
from voice_mock.audio.phone import PHONE_RATE, phone_filter
from voice_mock.audio.recorder import repair_wav_header
from voice_mock.audio.vad import VoiceActivityDetector, frame_measures, voiced_frames

RATE = 16000


def tone(hz: float, seconds: float, amp: float = 0.5, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def harmonic(f0: float, seconds: float, rate: int = RATE) -> np.ndarray:
    """A voice-like tone: fundamental plus decaying harmonics."""
    t = np.arange(round(seconds * rate)) / rate
    x = sum((0.3 / k) * np.sin(2 * np.pi * f0 * k * t) for k in range(1, 6))
    return np.asarray(x, dtype=np.float32)


def level_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(x.astype(np.float64) ** 2)) + 1e-12))


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE), dtype=np.float32)


# --- phone filter ---------------------------------------------------------------


@pytest.mark.parametrize("rate", [16000, 44100, 48000])
def test_phone_filter_attenuates_outside_the_telephone_band(rate: int) -> None:
    def through(hz: float) -> float:
        out, out_rate = phone_filter(tone(hz, 2.0, rate=rate), rate)
        assert out_rate == rate
        middle = out[rate // 2 : -rate // 2]
        return level_db(middle)

    passband = through(1000)
    assert abs(passband - level_db(tone(1000, 2.0, rate=rate))) < 1.0
    assert passband - through(150) >= 12
    assert passband - through(3800) >= 12
    if rate > 2 * 5000:
        assert passband - through(5000) >= 30


def test_phone_filter_can_output_the_line_rate() -> None:
    out, out_rate = phone_filter(tone(1000, 1.0), RATE, keep_rate=False)
    assert out_rate == PHONE_RATE
    assert out.size == PHONE_RATE
    assert out.dtype == np.float32


def test_phone_filter_accepts_int16_and_tiny_inputs() -> None:
    pcm = (tone(1000, 0.5) * 32767).astype(np.int16)
    out, _ = phone_filter(pcm, RATE)
    assert np.max(np.abs(out)) <= 1.0
    assert level_db(out[2000:-2000]) > -10
    empty, _ = phone_filter(np.zeros(0, dtype=np.float32), RATE)
    assert empty.size == 0
    short, _ = phone_filter(np.ones(5, dtype=np.float32), RATE)
    assert short.size == 5


# --- voice activity -------------------------------------------------------------


def bursts() -> np.ndarray:
    """1 s silence, 1 s voice-like tone, 1 s silence, 1 s white noise, 1 s silence."""
    noise = 0.1 * np.random.default_rng(7).standard_normal(RATE).astype(np.float32)
    return np.concatenate([silence(1), harmonic(200, 1), silence(1), noise, silence(1)]).astype(
        np.float32
    )


def test_offline_vad_marks_tone_bursts_not_silence_or_hiss() -> None:
    levels, zcr = frame_measures(bursts(), RATE)
    voiced = voiced_frames(levels, zcr)
    assert voiced.size == 250
    assert voiced[55:95].all()  # inside the tone
    assert not voiced[:50].any()  # silence
    assert not voiced[105:145].any()
    assert not voiced[155:195].any()  # white noise has a hiss-like zero-crossing rate
    assert not voiced[205:].any()
    assert levels[:50].max() <= -99  # digital silence is clamped, not -inf
    assert -15 < levels[70] < -5
    assert -25 < levels[170] < -15  # loud enough, yet not voice


def test_offline_vad_follows_a_noise_floor() -> None:
    """A steady low hum (voice-like ZCR) is the floor; a voice 20 dB above it is speech."""
    rng = np.random.default_rng(1)
    floor = (0.01 * np.sin(2 * np.pi * 120 * np.arange(5 * RATE) / RATE)).astype(np.float32)
    floor += 0.001 * rng.standard_normal(floor.size).astype(np.float32)
    signal = floor.copy()
    signal[2 * RATE : 3 * RATE] += harmonic(180, 1.0)
    levels, zcr = frame_measures(signal, RATE)
    voiced = voiced_frames(levels, zcr)
    assert voiced[105:145].all()
    assert not voiced[:95].any()
    assert not voiced[155:].any()


def test_live_detector_tracks_speech_and_silence_time() -> None:
    vad = VoiceActivityDetector(RATE)
    block = RATE // 10
    x = np.concatenate([silence(1), harmonic(200, 1), silence(2)])
    readings = [vad.process(x[i : i + block]) for i in range(0, x.size, block)]
    assert not readings[5].heard_speech and not readings[5].speaking
    assert readings[5].dbfs <= -99
    assert readings[15].speaking and readings[15].heard_speech
    assert -15 < readings[15].dbfs < -5
    # hangover keeps "speaking" briefly, then silence time counts up from the last voice frame
    assert not readings[25].speaking
    assert readings[-1].silence_s == pytest.approx(2.0, abs=0.1)
    assert readings[-1].heard_speech


def test_live_detector_accepts_int16_blocks_of_any_size() -> None:
    vad = VoiceActivityDetector(RATE)
    pcm = (np.concatenate([silence(0.5), harmonic(150, 0.5)]) * 32767).astype(np.int16)
    for size in (7, 333, 1601):
        vad.process(pcm[:size])
    result = vad.process(pcm)
    assert result.speaking


# --- features --------------------------------------------------------------------


@pytest.mark.parametrize("f0", [90.0, 200.0, 330.0])
def test_pitch_of_a_harmonic_tone(f0: float) -> None:
    feats = compute_features(np.concatenate([silence(0.5), harmonic(f0, 1.0), silence(0.5)]), RATE)
    pitches = [p for p in feats.pitch_hz if p is not None]
    assert len(pitches) >= 40
    assert float(np.median(pitches)) == pytest.approx(f0, rel=0.02)
    # unvoiced frames have no pitch
    assert all(p is None for p, v in zip(feats.pitch_hz, feats.voiced, strict=True) if not v)


def test_pitch_at_a_device_rate() -> None:
    rate = 48000
    gap = np.zeros(rate // 2, dtype=np.float32)
    feats = compute_features(np.concatenate([gap, harmonic(200.0, 1.0, rate=rate), gap]), rate)
    pitches = [p for p in feats.pitch_hz if p is not None]
    assert float(np.median(pitches)) == pytest.approx(200.0, rel=0.02)


def test_features_shape_peak_and_clipping() -> None:
    x = bursts()
    feats = compute_features(x, RATE)
    assert feats.frame_s == pytest.approx(0.02)
    assert len(feats.rms_dbfs) == len(feats.voiced) == len(feats.pitch_hz) == 250
    assert feats.duration_s == pytest.approx(5.0)
    assert feats.clipped_ratio == 0.0
    assert feats.peak == pytest.approx(float(np.abs(x).max()))
    assert 0.3 < feats.peak < 1.0
    assert sum(feats.voiced) == pytest.approx(50, abs=3)
    clipped = np.clip(harmonic(200, 1.0) * 4, -1, 1)
    hot = compute_features(clipped, RATE)
    assert hot.peak == pytest.approx(1.0)
    assert hot.clipped_ratio > 0.1
    empty = compute_features(np.zeros(0, dtype=np.float32), RATE)
    assert empty.duration_s == 0 and empty.rms_dbfs == ()


def test_features_of_ten_minutes_are_fast() -> None:
    ten_minutes = np.tile(bursts(), 120)
    started = time.perf_counter()
    feats = compute_features(ten_minutes, RATE)
    elapsed = time.perf_counter() - started
    assert feats.duration_s == pytest.approx(600.0)
    assert elapsed < 3.0, f"10 minutes of audio took {elapsed:.2f} s"


# --- WAV header repair --------------------------------------------------------------


def test_repair_wav_header_recomputes_sizes(tmp_path: Path) -> None:
    path = tmp_path / "cut.wav"
    pcm = (harmonic(200, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm[:1000].tobytes())
    # Simulate a kill after more samples hit the disk but before the header was patched.
    with open(path, "ab") as handle:
        handle.write(pcm[1000:].tobytes() + b"\x01")
    assert repair_wav_header(path) is True
    data, rate = sf.read(path, dtype="int16")
    assert rate == RATE
    assert data.size == pcm.size
    np.testing.assert_array_equal(data, pcm)
    assert repair_wav_header(path) is False
    raw = path.read_bytes()
    assert struct.unpack("<I", raw[4:8])[0] == len(raw) - 8


def test_repair_wav_header_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    path.write_bytes(b"not a wav at all")
    with pytest.raises(OSError):
        repair_wav_header(path)


# --- features measured live, chunk by chunk ------------------------------------------


def features_in_chunks(samples: np.ndarray, rate: int, chunk: int) -> AudioFeatures | None:
    pcm = np.round(np.clip(samples, -1, 32767 / 32768) * 32768).astype("<i2")
    acc = FeatureAccumulator(rate)
    for start in range(0, pcm.size, chunk):
        acc(pcm[start : start + chunk].tobytes())
    assert acc.samples == pcm.size
    return acc.finish()


def assert_same_features(live: AudioFeatures | None, whole: AudioFeatures) -> None:
    assert live is not None
    assert live.frame_s == whole.frame_s
    assert live.duration_s == pytest.approx(whole.duration_s)
    assert live.peak == pytest.approx(whole.peak)
    assert live.clipped_ratio == pytest.approx(whole.clipped_ratio)
    np.testing.assert_allclose(live.rms_dbfs, whole.rms_dbfs, atol=0.011)
    assert live.voiced == whole.voiced
    assert [p is None for p in live.pitch_hz] == [p is None for p in whole.pitch_hz]
    pairs = [(a, b) for a, b in zip(live.pitch_hz, whole.pitch_hz, strict=True) if a and b]
    np.testing.assert_allclose([a for a, _ in pairs], [b for _, b in pairs], atol=0.011)


def test_live_features_match_the_whole_file_on_real_speech(
    espeak_ko: Callable[..., Path],
) -> None:
    wav = espeak_ko(KOREAN_ANSWER)
    data, rate = sf.read(wav, dtype="float32")
    # silence around the speech, as in a real answer, and an odd length
    x = np.concatenate([np.zeros(7919, np.float32), data, np.zeros(12345, np.float32)])
    whole = compute_features(x, rate)
    assert sum(p is not None for p in whole.pitch_hz) > 20  # real pitch to compare
    for chunk in (2400, 1000, 333):
        assert_same_features(features_in_chunks(x, rate, chunk), whole)


def test_live_features_at_a_device_rate_and_with_clipping() -> None:
    rate = 48000
    x = np.concatenate([np.zeros(rate // 2, np.float32), harmonic(180, 1.0, rate)])
    x = np.concatenate([x, np.clip(3 * x[-rate // 4 :], -1, 1)])
    whole = compute_features(x, rate)
    assert whole.clipped_ratio > 0
    assert_same_features(features_in_chunks(x, rate, 7200), whole)


def test_live_features_of_nothing_and_after_finish() -> None:
    acc = FeatureAccumulator(RATE)
    assert acc.finish() is None
    with pytest.raises(RuntimeError, match="finished"):
        acc(b"\0\0")
