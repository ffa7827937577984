"""Injectable factories for everything that touches hardware or slow engines.

Neither front builds a microphone, a speaker, a player, a Vosk model or the
embedding model itself: the `Coach` asks `Services`. The real bundle
(`Services()`) uses sounddevice, pyttsx3, Vosk and wordllama; tests pass a
bundle whose microphone is a `FileSource` and whose speaker is silent, so the
same use cases run without a sound card, from the CLI and the TUI alike.
Factories may be slow (PortAudio, model loads): fronts call them from worker
threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from voice_mock.errors import UserError

if TYPE_CHECKING:
    import numpy as np

    from voice_mock.analysis.meaning import Embedder
    from voice_mock.audio.devices import Device
    from voice_mock.audio.sources import MicSource
    from voice_mock.config import Settings
    from voice_mock.speech.tts import Speaker


class Player(Protocol):
    """What replaying a recording needs: blocking play, stop from any thread."""

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


@dataclass(frozen=True, slots=True)
class SpeakerChoice:
    """The question speaker, and why questions will not be spoken when they will not."""

    speaker: Speaker
    why_not: str | None = None
    """One sentence for the user when the real engine could not be used (told once)."""


def _real_mic(settings: Settings) -> MicSource:
    from voice_mock.audio.sources import SoundDeviceSource

    return SoundDeviceSource(settings.audio.input_device, settings.audio.sample_rate)


def _real_speaker(settings: Settings) -> SpeakerChoice:
    """pyttsx3 when it can work; otherwise a silent speaker and the reason, never silently."""
    from voice_mock.speech.tts import SilentSpeaker, TtsSpeaker

    try:
        return SpeakerChoice(TtsSpeaker(settings))
    except UserError as exc:
        return SpeakerChoice(SilentSpeaker(), str(exc))


def _real_player(settings: Settings) -> Player:
    from voice_mock.audio.playback import Player as SoundDevicePlayer

    return SoundDevicePlayer(settings.audio.output_device)


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


def _real_input_device(settings: Settings) -> Device:
    """The device the recorder will open: the same rule (`pick_input`) the recorder uses."""
    from voice_mock.audio.devices import pick_input

    return pick_input(settings.audio.input_device)


def _real_voices() -> list[tuple[str, str]]:
    from voice_mock.speech.tts import list_voices

    return [(voice.name, voice.id) for voice in list_voices()]


def _real_embedder() -> Embedder | None:
    """The sentence-embedding model for coverage by meaning; None when it is not installed."""
    from voice_mock.embedding import ModelUnavailable, get_embedder

    try:
        return get_embedder()
    except ModelUnavailable:
        return None


@dataclass(slots=True)
class Services:
    """Factories the coach calls (from worker threads) instead of touching hardware itself."""

    mic_source: Callable[[Settings], MicSource] = _real_mic
    """A fresh microphone source for one answer."""
    speaker: Callable[[Settings], SpeakerChoice] = _real_speaker
    """A speaker for the questions (rebuilt when voice settings change), with why not."""
    player: Callable[[Settings], Player] = _real_player
    """A player for replaying recordings."""
    find_model: Callable[[Settings], Path | None] = _real_find_model
    """Where the Vosk model is, or None; used when no path was given at start-up."""
    load_model: Callable[[Path], Any] = _real_load_model
    """Load (and cache) the model; slow, so only ever called in a worker."""
    download_model: Callable[[ProgressCallback], Path] = _real_download
    """Fetch the default model, reporting (bytes done, total)."""
    list_devices: Callable[[], list[Device]] = _real_devices
    """Audio devices for the settings screen."""
    input_device: Callable[[Settings], Device] = _real_input_device
    """The microphone an answer will be recorded from (raises `UserError` when none)."""
    list_voices: Callable[[], list[tuple[str, str]]] = _real_voices
    """(name, id) of the TTS voices for the settings screen."""
    embedder: Callable[[], Embedder | None] = _real_embedder
    """The meaning model for key-point coverage (loaded once, lazily); None for cues only."""


def play_from(player: Player, path: Path, start_s: float = 0.0, *, phone: bool = False) -> bool:
    """Play a saved answer from `start_s` (a transcript line), blocking; False if stopped early."""
    from voice_mock.audio.decode import load_audio

    samples, rate = load_audio(path, rate=16000)
    first = max(0, min(len(samples), round(start_s * rate)))
    return player.play(samples[first:], rate, phone=phone)
