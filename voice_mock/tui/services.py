"""Injectable factories for everything that touches hardware or slow engines.

The app never builds a microphone, a speaker, a player or a Vosk model
directly: it asks `Services`. The real bundle (`default_services`) uses
sounddevice, pyttsx3 and Vosk; tests pass a bundle whose microphone is a
`FileSource` and whose speaker is a `SilentSpeaker`, so the same screens are
exercised without a sound card. Every factory is called from a worker thread,
so a slow device query never freezes the UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

    from voice_mock.audio.devices import Device
    from voice_mock.audio.sources import MicSource
    from voice_mock.config import Settings
    from voice_mock.speech.tts import Speaker


class PlayerLike(Protocol):
    """What the review screen needs to play a recording: blocking play, stop from any thread."""

    def play(
        self,
        audio: Path | str | np.ndarray,
        rate: int | None = None,
        *,
        phone: bool = False,
        volume: float = 1.0,
    ) -> bool: ...

    def stop(self) -> None: ...


ProgressCallback = Callable[[int, int | None], None]


def _real_mic(settings: Settings) -> MicSource:
    from voice_mock.audio.sources import SoundDeviceSource

    return SoundDeviceSource(settings.audio.input_device, settings.audio.sample_rate)


def _real_speaker(settings: Settings) -> Speaker:
    """pyttsx3 when it can work; otherwise a silent speaker (the question stays on screen)."""
    from voice_mock.speech.tts import SilentSpeaker, TtsSpeaker

    try:
        return TtsSpeaker(settings)
    except Exception:
        return SilentSpeaker()


def _real_player(settings: Settings) -> PlayerLike:
    from voice_mock.audio.playback import Player

    return Player(settings.audio.output_device)


def _real_find_model(settings: Settings) -> Path | None:
    from voice_mock.speech.models import find_model

    return find_model(None, settings)


def _real_load_model(path: Path) -> Any:
    from voice_mock.speech.stt import load_model

    return load_model(path)


def _real_download(progress: ProgressCallback) -> Path:
    from voice_mock.speech.models import DEFAULT_MODEL, download_model

    return download_model(DEFAULT_MODEL, progress=progress)


def _real_devices() -> list[Device]:
    from voice_mock.audio.devices import list_devices

    return list_devices()


def _real_voices() -> list[tuple[str, str]]:
    from voice_mock.speech.tts import list_voices

    return [(voice.name, voice.id) for voice in list_voices()]


@dataclass(slots=True)
class Services:
    """Factories the app calls (from worker threads) instead of touching hardware itself."""

    mic_source: Callable[[Settings], MicSource] = _real_mic
    """A fresh microphone source for one answer."""
    speaker: Callable[[Settings], Speaker] = _real_speaker
    """A speaker for the questions (rebuilt when voice settings change)."""
    player: Callable[[Settings], PlayerLike] = _real_player
    """A player for replaying recordings."""
    find_model: Callable[[Settings], Path | None] = _real_find_model
    """Where the Vosk model is, or None; used when no path was given at start-up."""
    load_model: Callable[[Path], Any] = _real_load_model
    """Load (and cache) the model; slow, so only ever called in a worker."""
    download_model: Callable[[ProgressCallback], Path] = _real_download
    """Fetch the default model, reporting (bytes done, total)."""
    list_devices: Callable[[], list[Device]] = _real_devices
    """Audio devices for the settings screen and the home screen's input label."""
    list_voices: Callable[[], list[tuple[str, str]]] = _real_voices
    """(name, id) of the TTS voices for the settings screen."""


def default_services() -> Services:
    """The real bundle: sounddevice, pyttsx3, Vosk."""
    return Services()


def play_from(player: PlayerLike, path: Path, start_s: float = 0.0, *, phone: bool = False) -> bool:
    """Play a saved answer from `start_s` (a transcript line), blocking; False if stopped early."""
    from voice_mock.audio.decode import load_audio

    samples, rate = load_audio(path, rate=16000)
    first = max(0, min(len(samples), round(start_s * rate)))
    return player.play(samples[first:], rate, phone=phone)
