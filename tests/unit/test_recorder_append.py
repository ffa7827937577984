"""Continuing a take: the second part goes on the end of the same WAV, crash-safe."""

from __future__ import annotations

import os
import stat
import struct
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voice_mock.audio.recorder import Recorder, open_for_append, repair_wav_header
from voice_mock.audio.sources import FileSource


def tone(path: Path, seconds: float, rate: int = 16000, freq: float = 220.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    sf.write(path, samples, rate, subtype="PCM_16")
    data, _ = sf.read(path, dtype="int16")
    return np.asarray(data)


def test_a_continued_take_is_one_wav_with_both_parts_and_the_clock_runs_on(
    tmp_path: Path,
) -> None:
    first = tone(tmp_path / "a.wav", 1.0, freq=220)
    second = tone(tmp_path / "b.wav", 0.6, freq=440)
    take = tmp_path / "answer.wav"
    one = Recorder(FileSource(tmp_path / "a.wav", realtime=False), take).record()
    assert one.appended_at_s == 0.0 and one.duration_s == pytest.approx(1.0)
    levels: list[float] = []
    two = Recorder(FileSource(tmp_path / "b.wav", realtime=False), take, append=True)
    result = two.record()
    latest = two.latest()
    assert latest is not None
    levels.append(latest.elapsed_s)
    assert result.stopped_by == "end" and result.error is None
    assert result.appended_at_s == pytest.approx(1.0)
    assert result.duration_s == pytest.approx(1.6)
    assert levels[0] == pytest.approx(1.6)  # the meter's clock continues from the first part
    data, rate = sf.read(take, dtype="int16")
    assert rate == 16000
    np.testing.assert_array_equal(data, np.concatenate([first, second]))
    with wave.open(str(take), "rb") as handle:  # the header sizes match the samples
        assert handle.getnframes() == first.size + second.size
    assert stat.S_IMODE(take.stat().st_mode) == 0o600


def test_the_limit_counts_the_whole_answer(tmp_path: Path) -> None:
    tone(tmp_path / "a.wav", 1.0)
    take = tmp_path / "answer.wav"
    Recorder(FileSource(tmp_path / "a.wav", realtime=False), take).record()
    result = Recorder(
        FileSource(tmp_path / "a.wav", realtime=False), take, append=True, max_answer_s=1.5
    ).record()
    assert result.stopped_by == "max"
    assert result.duration_s == pytest.approx(1.5, abs=0.01)


def test_a_take_at_another_rate_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    tone(tmp_path / "a.wav", 0.5)
    tone(tmp_path / "b.wav", 0.5, rate=8000)
    take = tmp_path / "answer.wav"
    Recorder(FileSource(tmp_path / "a.wav", realtime=False), take).record()
    before = take.read_bytes()
    recorder = Recorder(
        FileSource(tmp_path / "b.wav", realtime=False, rate=8000), take, append=True
    )
    with pytest.raises(ValueError, match="8000 Hz"):
        recorder.start()
    assert take.read_bytes() == before


def test_a_crash_while_continuing_leaves_a_playable_answer(tmp_path: Path) -> None:
    """Samples are written before the sizes: a kill in between is repaired from the length."""
    first = tone(tmp_path / "a.wav", 0.5)
    take = tmp_path / "answer.wav"
    Recorder(FileSource(tmp_path / "a.wav", realtime=False), take).record()
    handle, appender, frames = open_for_append(take, 16000)
    assert frames == first.size
    extra = np.full(800, 1000, dtype="<i2")
    appender.writeframes(extra.tobytes())
    # As if killed after the samples of the next chunk but before its sizes were patched:
    handle.seek(0, os.SEEK_END)
    handle.write(extra.tobytes())
    handle.close()
    assert repair_wav_header(take)
    data, _ = sf.read(take, dtype="int16")
    np.testing.assert_array_equal(data, np.concatenate([first, extra, extra]))
    with open(take, "rb") as raw:
        riff = struct.unpack("<I", raw.read(8)[4:])[0]
    assert riff == take.stat().st_size - 8
