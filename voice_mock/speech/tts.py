"""Text to speech: an engine renders questions to cached WAV files, sounddevice plays them.

Two engines render: pyttsx3 (espeak-ng on Linux; always there, the default)
and, optionally, Piper (`voice_mock.speech.piper`: natural voices). A
`Renderer` is one engine with one voice and rate; `TtsSpeaker` plays what it
renders, whichever it is.

pyttsx3's `runAndWait` can hang when an engine is reused, especially from
another thread, and its espeak driver plays through `aplay` on its own. So
rendering happens in exactly one place, `render()`, which runs pyttsx3's
`save_to_file` + `runAndWait` in a fresh subprocess
(`python -m voice_mock.speech.tts render ...`) with a timeout, and the result
is cached under ``<home>/tts-cache/`` keyed by the text, voice and rate (and
the engine, for engines other than pyttsx3). Piper renders through the same
`run_render` the same way. Playback is ours (sounddevice), so the device
choice, the phone filter and the stop button apply. When TTS cannot work the
front shows the `TtsUnavailable` reason once and carries on with the
question on screen.
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
    is_default: bool = False
    """The engine's own default: the voice questions use when the setting names none."""

    @property
    def language(self) -> str:
        """Its first language tag ("en-gb"), or "" when the engine gives none."""
        return self.languages[0] if self.languages else ""


def cache_dir() -> Path:
    return home_dir() / "tts-cache"


def cache_key(text: str, voice: str | None, rate: int, engine: str = "pyttsx3") -> str:
    """Stable file name for one rendering: the same question is rendered once.

    pyttsx3's key is what it always was (its cache stays valid); any other
    engine's key starts with the engine, so two engines never share a file.
    """
    items: list[object] = [text, voice or "", int(rate)]
    if engine != "pyttsx3":
        items.insert(0, engine)
    payload = json.dumps(items, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def check_engine() -> None:
    """Raise `TtsUnavailable` when pyttsx3 or espeak-ng is missing (cheap: loads no engine)."""
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
    target = cache_dir() / f"{cache_key(text, voice, rate)}.wav"
    if is_rendered(target):
        return target
    check_engine()
    command = [sys.executable, "-m", "voice_mock.speech.tts", "render", "--rate", str(int(rate))]
    if voice:
        command += ["--voice", voice]
    return run_render(command, text, target, timeout_s=timeout_s)


def is_rendered(target: Path) -> bool:
    """True when `target` is a finished rendering (more than a WAV header)."""
    return target.is_file() and target.stat().st_size > 44


def run_render(
    command: Sequence[str],
    text: str,
    target: Path,
    *,
    timeout_s: float = RENDER_TIMEOUT_S,
    engine_name: str = "The speech engine",
) -> Path:
    """Run one engine's render child and move its WAV to `target` (in the private cache).

    The child is given ``--out PARTIAL -- TEXT`` after `command`; it writes a
    hidden partial file that becomes `target` only when it holds audio, so a
    killed or failed render never looks like a cached question. An empty
    result is tried once more (espeak-ng occasionally ends with an empty
    buffer); a failing engine fails the same way again, so it is not. What
    the child prints stays in the child; its last line goes into the one
    sentence of `TtsUnavailable`.
    """
    folder = target.parent
    private_dir(folder)
    partial = target.with_name(f".{target.stem}.{os.getpid()}.{threading.get_ident()}.wav")
    full = [*command, "--out", str(partial), "--", text]
    reason = "it produced no audio"
    for _attempt in range(RENDER_ATTEMPTS):
        try:
            done = subprocess.run(full, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            raise TtsUnavailable(
                f"{engine_name} did not finish within {timeout_s:.0f} seconds; "
                "questions are shown on screen instead."
            ) from None
        if done.returncode == 0 and is_rendered(partial):
            break
        partial.unlink(missing_ok=True)
        lines = done.stderr.strip().splitlines()
        reason = lines[-1] if lines else f"it produced no audio (exit status {done.returncode})"
        if done.returncode != 0:
            break  # a broken engine fails the same way again; an empty file may not
    else:
        raise TtsUnavailable(f"{engine_name} could not speak the question: {reason}.")
    if not partial.is_file():
        raise TtsUnavailable(f"{engine_name} could not speak the question: {reason}.")
    os.replace(partial, target)
    return target


_ENGINE_LOCK = threading.Lock()


def list_voices() -> list[Voice]:
    """Voices the engine offers (ids go into the `voice` setting)."""
    check_engine()
    import pyttsx3

    from voice_mock import quiet

    # espeak-ng starts in this process here (only here): what it prints stays off the terminal
    with _ENGINE_LOCK, quiet.native("listing the voices"):
        try:
            engine = pyttsx3.init()
            raw = engine.getProperty("voices")
        except Exception as exc:
            raise TtsUnavailable(f"The speech engine could not start ({exc}).") from None
        try:
            default = str(engine.getProperty("voice") or "")
        except Exception:
            default = ""
    voices = []
    for v in raw or []:
        langs = tuple(
            lang.decode("utf-8", "replace") if isinstance(lang, bytes) else str(lang)
            for lang in (getattr(v, "languages", None) or [])
        )
        voice_id = str(v.id)
        voices.append(
            Voice(
                id=voice_id,
                name=str(v.name or v.id),
                languages=langs,
                is_default=voice_id == default,
            )
        )
    return voices


def sorted_voices(voices: Sequence[Voice]) -> list[Voice]:
    """`voices` with the user's language first (their region first), then by name."""
    from voice_mock.speech.voices import sorted_for_user

    return sorted_for_user(voices, languages=lambda v: v.languages, name=lambda v: v.name)


@runtime_checkable
class Speaker(Protocol):
    """Something that says a question aloud, blocking until done, stoppable from another thread."""

    def say(self, text: str, *, phone: bool = False) -> None: ...

    def stop(self) -> None: ...


class Renderer(Protocol):
    """One engine with one voice and rate: text in, a cached WAV file out (blocking)."""

    engine: str
    """Which engine renders ("pyttsx3", "piper")."""
    voice: str | None
    """The voice it speaks with, as the user would name it (None: the engine's default)."""

    def render(self, text: str) -> Path: ...


class Pyttsx3Renderer:
    """pyttsx3 (espeak-ng) with one voice and rate."""

    engine = "pyttsx3"

    def __init__(self, voice: str | None, rate: int) -> None:
        self.voice = voice
        self.rate = rate

    def render(self, text: str) -> Path:
        return render(text, voice=self.voice, rate=self.rate)


class TtsSpeaker:
    """The real speaker: an engine renders (cached), sounddevice plays."""

    def __init__(
        self,
        settings: Settings,
        output_device: int | str | None = None,
        *,
        renderer: Renderer | None = None,
    ) -> None:
        """Raises `TtsUnavailable` at once when the engine is missing, so fronts fall back early.

        Without a `renderer`, pyttsx3 speaks with the settings' voice and rate.
        """
        from voice_mock.audio.playback import Player

        if renderer is None:
            check_engine()
            renderer = Pyttsx3Renderer(settings.speech.voice, settings.speech.rate)
        self.renderer = renderer
        self.engine = renderer.engine
        self.voice = renderer.voice
        self.rate = settings.speech.rate
        device = output_device if output_device is not None else settings.audio.output_device
        self.player = Player(device)
        self._stops = 0

    def prepare(self, text: str) -> Path:
        """Render ahead of time (e.g. while the previous answer is analysed)."""
        return self.renderer.render(text)

    def say(self, text: str, *, phone: bool = False) -> None:
        """Render (seconds for an uncached question) and play; a stop meanwhile plays nothing."""
        stops = self._stops
        path = self.prepare(text)
        if self._stops != stops:
            return
        self.player.play(path, phone=phone)

    def stop(self) -> None:
        self._stops += 1
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
