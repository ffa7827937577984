"""Injectable factories for everything that touches hardware or slow engines.

Neither front builds a microphone, a speaker, a player, a Vosk model or the
embedding model itself: the `Coach` asks `Services`. The real bundle
(`Services()`) uses sounddevice, pyttsx3 (or Piper), Vosk and wordllama; tests pass a
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
    """The engine the settings choose when it can work; never a silent fallback without a word.

    Piper (``speech.engine = "piper"``) is optional: when it or its voice is
    missing, pyttsx3 speaks instead and `why_not` says why; when pyttsx3
    cannot work either, a silent speaker and both reasons.
    """
    from voice_mock.speech import tts

    reasons: list[str] = []
    if settings.speech.engine == "piper":
        from voice_mock.speech.piper import renderer_for

        try:
            return SpeakerChoice(tts.TtsSpeaker(settings, renderer=renderer_for(settings)))
        except UserError as exc:
            reasons.append(str(exc))
    try:
        speaker = tts.TtsSpeaker(settings)
    except UserError as exc:
        return SpeakerChoice(tts.SilentSpeaker(), " ".join([*reasons, str(exc)]))
    if reasons:
        reasons.append("Questions are spoken by espeak-ng (pyttsx3) instead.")
    return SpeakerChoice(speaker, " ".join(reasons) or None)


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
    """pyttsx3's voices as (label, id), the user's language first; the label shows the
    language and marks the engine's default."""
    from voice_mock.speech.tts import list_voices, sorted_voices

    return [
        (voice_label(v.name, v.language, v.is_default), v.id) for v in sorted_voices(list_voices())
    ]


def _real_piper_voices() -> list[tuple[str, str]]:
    """Installed Piper voices as (label, name), the user's language first (files only: fast)."""
    from voice_mock.speech.voices import installed_voices, sorted_for_user

    voices = sorted_for_user(
        installed_voices(), languages=lambda v: v.languages, name=lambda v: v.name
    )
    return [(voice_label(v.name, v.language), v.name) for v in voices]


def _real_engine_problem(engine: str) -> str | None:
    """Why `engine` cannot speak here, in one sentence, or None (cheap: nothing is loaded)."""
    if engine == "piper":
        from voice_mock.speech.piper import piper_problem
        from voice_mock.speech.voices import installed_voices

        problem = piper_problem()
        if problem is not None:
            return f"Piper cannot speak: {problem}."
        if not installed_voices():
            return "No Piper voice is installed: run `voice-mock voice download`."
        return None
    from voice_mock.speech.tts import check_engine

    try:
        check_engine()
    except UserError as exc:
        return str(exc)
    return None


def voice_label(name: str, language: str | None, is_default: bool = False) -> str:
    """How a voice is shown in a list: its name, its language, and whether it is the default."""
    label = f"{name} ({language})" if language else name
    return f"{label}, engine default" if is_default else label


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
    """(label, id) of pyttsx3's voices for the settings screen, the user's language first."""
    embedder: Callable[[], Embedder | None] = _real_embedder
    """The meaning model for key-point coverage (loaded once, lazily); None for cues only."""
    list_piper_voices: Callable[[], list[tuple[str, str]]] = _real_piper_voices
    """(label, name) of the installed Piper voices, the user's language first."""
    engine_problem: Callable[[str], str | None] = _real_engine_problem
    """Why a speech engine ("pyttsx3", "piper") cannot speak here, or None."""


def play_from(player: Player, path: Path, start_s: float = 0.0, *, phone: bool = False) -> bool:
    """Play a saved answer from `start_s` (a transcript line), blocking; False if stopped early."""
    from voice_mock.audio.decode import load_audio

    samples, rate = load_audio(path, rate=16000)
    first = max(0, min(len(samples), round(start_s * rate)))
    return player.play(samples[first:], rate, phone=phone)
