"""Text to speech: pyttsx3 (espeak-ng on Linux) renders questions to cached WAV files.

pyttsx3's `runAndWait` can hang when an engine is reused, especially from
another thread, and its espeak driver plays through `aplay` on its own. So
rendering happens in exactly one place, `render()`, which runs pyttsx3's
`save_to_file` + `runAndWait` in a fresh subprocess
(`python -m voice_mock.speech.tts render ...`) with a timeout, and the result
is cached under ``<home>/tts-cache/`` keyed by the text, voice and rate.
Playback is ours (sounddevice), so the device choice, the phone filter and
the stop button apply. When TTS cannot work the front shows the
`TtsUnavailable` reason once and carries on with the question on screen.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from voice_mock.config import Settings, home_dir
from voice_mock.errors import UserError
from voice_mock.fileio import private_dir

RENDER_TIMEOUT_S = 60.0
"""A render longer than this is taken as a hung engine."""
RENDER_ATTEMPTS = 2
"""espeak-ng occasionally finishes with an empty buffer on a loaded machine; one retry."""


class TtsUnavailable(UserError):
    """Questions cannot be spoken (no espeak-ng, no pyttsx3, or the engine failed)."""


@dataclass(frozen=True, slots=True)
class Voice:
    """A voice as `voice-mock voices` lists it."""

    id: str
    name: str
    languages: tuple[str, ...]


def cache_dir() -> Path:
    return home_dir() / "tts-cache"


def cache_key(text: str, voice: str | None, rate: int) -> str:
    """Stable file name for one rendering: the same question is rendered once."""
    payload = json.dumps([text, voice or "", int(rate)], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _check_engine() -> None:
    if sys.platform.startswith("linux") and shutil.which("espeak-ng") is None:
        if shutil.which("espeak") is None:
            raise TtsUnavailable(
                "Questions cannot be spoken because espeak-ng is not installed "
                "(Debian: sudo apt install espeak-ng); they are shown on screen instead."
            )
    try:
        import pyttsx3  # noqa: F401
    except ImportError:
        raise TtsUnavailable(
            "Questions cannot be spoken because pyttsx3 is not installed; "
            "they are shown on screen instead."
        ) from None


def render(
    text: str, *, voice: str | None = None, rate: int = 165, timeout_s: float = RENDER_TIMEOUT_S
) -> Path:
    """The WAV file of `text` spoken with `voice` at `rate` WPM (cached)."""
    if not text.strip():
        raise TtsUnavailable("There is no question text to speak.")
    folder = cache_dir()
    target = folder / f"{cache_key(text, voice, rate)}.wav"
    if target.is_file() and target.stat().st_size > 44:
        return target
    _check_engine()
    private_dir(folder)
    partial = target.with_name(f".{target.stem}.{os.getpid()}.{threading.get_ident()}.wav")
    command = [sys.executable, "-m", "voice_mock.speech.tts", "render", "--rate", str(int(rate))]
    if voice:
        command += ["--voice", voice]
    command += ["--out", str(partial), "--", text]
    reason = "it produced no audio"
    for _attempt in range(RENDER_ATTEMPTS):
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            raise TtsUnavailable(
                f"The speech engine did not finish within {timeout_s:.0f} seconds; "
                "questions are shown on screen instead."
            ) from None
        if done.returncode == 0 and partial.is_file() and partial.stat().st_size > 44:
            break
        partial.unlink(missing_ok=True)
        lines = done.stderr.strip().splitlines()
        reason = lines[-1] if lines else f"it produced no audio (exit status {done.returncode})"
        if done.returncode != 0:
            break  # a broken engine fails the same way again; an empty file may not
    else:
        raise TtsUnavailable(f"The speech engine could not speak the question: {reason}.")
    if not partial.is_file():
        raise TtsUnavailable(f"The speech engine could not speak the question: {reason}.")
    os.replace(partial, target)
    return target


_ENGINE_LOCK = threading.Lock()


def list_voices() -> list[Voice]:
    """Voices the engine offers (ids go into the `voice` setting)."""
    _check_engine()
    import pyttsx3

    with _ENGINE_LOCK:
        try:
            engine = pyttsx3.init()
            raw = engine.getProperty("voices")
        except Exception as exc:
            raise TtsUnavailable(f"The speech engine could not start ({exc}).") from None
    voices = []
    for v in raw or []:
        langs = tuple(
            lang.decode("utf-8", "replace") if isinstance(lang, bytes) else str(lang)
            for lang in (getattr(v, "languages", None) or [])
        )
        voices.append(Voice(id=str(v.id), name=str(v.name or v.id), languages=langs))
    return voices


@runtime_checkable
class Speaker(Protocol):
    """Something that says a question aloud, blocking until done, stoppable from another thread."""

    def say(self, text: str, *, phone: bool = False) -> None: ...

    def stop(self) -> None: ...


class TtsSpeaker:
    """The real speaker: pyttsx3 renders (cached), sounddevice plays."""

    def __init__(self, settings: Settings, output_device: int | str | None = None) -> None:
        """Raises `TtsUnavailable` at once when the engine is missing, so fronts fall back early."""
        from voice_mock.audio.playback import Player

        _check_engine()
        self.voice = settings.speech.voice
        self.rate = settings.speech.rate
        device = output_device if output_device is not None else settings.audio.output_device
        self.player = Player(device)

    def prepare(self, text: str) -> Path:
        """Render ahead of time (e.g. while the previous answer is analysed)."""
        return render(text, voice=self.voice, rate=self.rate)

    def say(self, text: str, *, phone: bool = False) -> None:
        self.player.play(self.prepare(text), phone=phone)

    def stop(self) -> None:
        self.player.stop()


class SilentSpeaker:
    """Says nothing: used when TTS is unavailable and in tests that need no sound."""

    def __init__(self) -> None:
        self.said: list[str] = []
        """Every text it was asked to say, in order (fronts show the text instead)."""

    def say(self, text: str, *, phone: bool = False) -> None:
        self.said.append(text)

    def stop(self) -> None:
        return None


def _render_here(text: str, voice: str | None, rate: int, out: Path) -> None:
    """The one place pyttsx3 speaks: a fresh engine, one file, in this (child) process."""
    import pyttsx3

    engine = pyttsx3.init()
    if voice:
        engine.setProperty("voice", voice)
    engine.setProperty("rate", int(rate))
    engine.save_to_file(text, str(out))
    engine.runAndWait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voice_mock.speech.tts")
    sub = parser.add_subparsers(dest="command", required=True)
    rp = sub.add_parser("render", help="render text to a WAV file")
    rp.add_argument("--voice")
    rp.add_argument("--rate", type=int, default=165)
    rp.add_argument("--out", type=Path, required=True)
    rp.add_argument("text")
    args = parser.parse_args(argv)
    os.umask(0o077)  # the engine creates the file itself: private like everything we write
    try:
        _render_here(args.text, args.voice, args.rate, args.out)
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
