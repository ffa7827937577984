"""Audio file decoding: formats, rates, channels, clear errors, PCM conversion."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voice_mock.audio.decode import audio_duration, load_audio, pcm16_bytes
from voice_mock.errors import UserError


def tone(seconds: float, rate: int, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def dominant_freq(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_wav_at_target_rate_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    source = tone(1.0, 16000)
    sf.write(path, source, 16000, subtype="FLOAT")
    samples, rate = load_audio(path)
    assert rate == 16000
    assert samples.dtype == np.float32 and samples.ndim == 1
    np.testing.assert_allclose(samples, source, atol=1e-6)


@pytest.mark.parametrize(
    ("suffix", "fmt", "subtype"),
    [("flac", "FLAC", "PCM_16"), ("ogg", "OGG", "VORBIS"), ("wav", "WAV", "PCM_24")],
)
def test_44k_stereo_is_averaged_and_resampled(
    tmp_path: Path, suffix: str, fmt: str, subtype: str
) -> None:
    path = tmp_path / f"stereo.{suffix}"
    left = tone(2.0, 44100, freq=440.0, amp=0.6)
    stereo = np.stack([left, np.zeros_like(left)], axis=1)
    sf.write(path, stereo, 44100, format=fmt, subtype=subtype)
    samples, rate = load_audio(path, 16000)
    assert rate == 16000
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert abs(len(samples) - 32000) <= 2
    assert dominant_freq(samples, 16000) == pytest.approx(440.0, abs=2.0)
    # averaging a 0.6 tone with a silent channel gives a 0.3 tone
    middle = samples[4000:-4000]
    assert np.max(np.abs(middle)) == pytest.approx(0.3, abs=0.03)


def test_upsampling_from_8k(tmp_path: Path) -> None:
    path = tmp_path / "phone.wav"
    sf.write(path, tone(1.0, 8000, freq=300.0), 8000, subtype="PCM_16")
    samples, rate = load_audio(path, 16000)
    assert rate == 16000 and len(samples) == 16000
    assert dominant_freq(samples, 16000) == pytest.approx(300.0, abs=2.0)


def test_other_target_rate(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    sf.write(path, tone(0.5, 16000), 16000)
    samples, rate = load_audio(path, 8000)
    assert rate == 8000 and len(samples) == 4000


def test_silence_is_legal(tmp_path: Path) -> None:
    path = tmp_path / "quiet.wav"
    sf.write(path, np.zeros(16000, dtype=np.float32), 16000)
    samples, _ = load_audio(path)
    assert len(samples) == 16000 and not samples.any()


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing-here.wav"
    with pytest.raises(UserError, match=r"nothing-here\.wav does not exist"):
        load_audio(path)
    with pytest.raises(UserError, match=r"nothing-here\.wav"):
        audio_duration(path)


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "takes.wav"
    folder.mkdir()
    with pytest.raises(UserError, match=r"takes\.wav is a folder"):
        load_audio(folder)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.wav", b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" * 10),
        ("random.ogg", bytes(range(256)) * 40),
        ("notes.flac", b"these are my interview notes\n" * 20),
    ],
)
def test_corrupt_or_unsupported(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError) as info:
        load_audio(path)
    message = str(info.value)
    assert name in message
    assert "\n" not in message and message.endswith(".")


@pytest.mark.parametrize("frames", [0, 800])
def test_empty_or_too_short(tmp_path: Path, frames: int) -> None:
    path = tmp_path / f"short-{frames}.wav"
    sf.write(path, np.zeros(frames, dtype=np.float32), 16000, subtype="PCM_16")
    with pytest.raises(UserError, match=rf"short-{frames}\.wav is empty"):
        load_audio(path)


def test_just_long_enough(tmp_path: Path) -> None:
    path = tmp_path / "tenth.wav"
    sf.write(path, tone(0.1, 16000), 16000)
    samples, _ = load_audio(path)
    assert len(samples) == 1600


def test_truncated_stereo_file_gives_what_it_holds(tmp_path: Path) -> None:
    """A recording cut off mid-write (header says more than the file holds) still decodes."""
    path = tmp_path / "cut.wav"
    sf.write(path, np.stack([tone(2.0, 16000)] * 2, axis=1), 16000, subtype="PCM_16")
    data = path.read_bytes()
    path.write_bytes(data[: 44 + 4 * 16000])  # header + 1 s of 2 x 16-bit frames
    samples, rate = load_audio(path)
    assert rate == 16000
    assert 15000 <= len(samples) <= 16000
    np.testing.assert_allclose(samples[:1000], tone(2.0, 16000)[:1000], atol=1e-3)


def test_audio_duration_reads_header(tmp_path: Path) -> None:
    path = tmp_path / "a.flac"
    sf.write(path, np.zeros((22050 * 3, 2), dtype=np.float32), 22050)
    assert audio_duration(path) == pytest.approx(3.0)


def test_pcm16_bytes_scales_rounds_and_clips() -> None:
    samples = np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0, 1 / 32768], dtype=np.float32)
    data = pcm16_bytes(samples)
    assert isinstance(data, bytes) and len(data) == 2 * len(samples)
    values = np.frombuffer(data, dtype="<i2").tolist()
    assert values == [0, 16384, -16384, 32767, -32768, 32767, -32768, 1]
    assert data[2:4] == (16384).to_bytes(2, "little", signed=True)


def test_ten_minute_file_is_fast(tmp_path: Path) -> None:
    """One vectorised pass: 10 minutes of 44.1 kHz stereo decode in a small fraction of 10 min."""
    path = tmp_path / "long.wav"
    rng = np.random.default_rng(1)
    with sf.SoundFile(path, "w", 44100, 2, subtype="PCM_16") as out:
        for _ in range(60):  # 60 blocks of 10 s
            out.write((rng.standard_normal((441000, 2)) * 0.1).astype(np.float32))
    started = time.perf_counter()
    samples, rate = load_audio(path, 16000)
    assert rate == 16000
    pcm = pcm16_bytes(samples)
    elapsed = time.perf_counter() - started
    assert len(samples) == 16000 * 600 and len(pcm) == 2 * 16000 * 600
    assert elapsed < 20.0, f"decoding 10 minutes took {elapsed:.1f} s"


# --- hostile files (reliability report 2026-12-02) -----------------------------------


def test_non_utf8_file_name_is_read(tmp_path: Path) -> None:
    """A valid WAV named with a 0xff byte: libsndfile cannot take the path, a descriptor works."""
    import os

    raw = os.fsencode(tmp_path) + b"/bad\xffname.wav"
    path = Path(os.fsdecode(raw))
    sf.write(tmp_path / "plain.wav", tone(0.5, 16000), 16000)
    os.rename(tmp_path / "plain.wav", raw)
    samples, rate = load_audio(path)
    assert rate == 16000 and len(samples) == 8000
    assert audio_duration(path) == pytest.approx(0.5)


def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "answer.wav"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            load_audio(fifo)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # unblock the hung open so the test run can go on
        with open(fifo, "wb"):
            pass
        pytest.fail("load_audio blocked on a FIFO")
    (error,) = outcome
    assert isinstance(error, UserError), error
    assert (
        str(error)
        == f"{fifo} is not a regular file (a pipe or a device); give a WAV, FLAC or OGG recording."
    )
    with pytest.raises(UserError, match="not a regular file"):
        audio_duration(Path("/dev/null"))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("channels", [1, 2])
def test_non_finite_samples_become_silence_without_a_warning(
    tmp_path: Path, bad: float, channels: int
) -> None:
    import warnings

    source = tone(1.0, 16000)
    source[100:200] = bad
    data = source if channels == 1 else np.stack([source, -source], axis=1)
    if channels == 2:
        data[300:400, 1] = -bad  # inf + -inf in the mix would be NaN
    path = tmp_path / "nan.wav"
    sf.write(path, data, 16000, subtype="FLOAT")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        samples, _ = load_audio(path, 8000)
        pcm = pcm16_bytes(samples)
        direct = pcm16_bytes(np.array([bad, 0.5, bad], dtype=np.float32))
    assert np.isfinite(samples).all()
    assert len(pcm) == 2 * len(samples)
    assert np.frombuffer(direct, dtype="<i2").tolist() == [0, 16384, 0]


def test_pcm16_bytes_leaves_the_callers_array_alone() -> None:
    samples = np.array([np.nan, 1e36, -1e36], dtype=np.float32)
    assert np.frombuffer(pcm16_bytes(samples), dtype="<i2").tolist() == [0, 32767, -32768]
    assert np.isnan(samples[0])


def test_playback_reads_odd_files_too(tmp_path: Path) -> None:
    import os
    import warnings

    from voice_mock.audio.playback import _load

    raw = os.fsencode(tmp_path) + b"/q\xff.wav"
    source = tone(0.5, 22050)
    source[10] = np.nan
    sf.write(tmp_path / "q.wav", source, 22050, subtype="FLOAT")
    os.rename(tmp_path / "q.wav", raw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        samples, rate = _load(Path(os.fsdecode(raw)))
    assert rate == 22050 and np.isfinite(samples).all()
    fifo = tmp_path / "q.fifo"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="not a regular file"):
        _load(fifo)
