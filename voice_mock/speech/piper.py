"""Piper, the optional natural-voice engine: questions rendered by a neural voice, cached as WAV.

Piper (the PyPI package ``piper-tts``) is licensed GPL-3.0, so voice-mock
(MIT) never requires it: it is the optional extra ``voice-mock[piper]``, the
``speech.engine = "piper"`` setting chooses it, and without it everything
works with pyttsx3 (the speaker factory falls back and says why, once).

Like pyttsx3, Piper renders in a fresh child process per question
(``python -m voice_mock.speech.piper render ...``, through `tts.run_render`):
loading a voice pulls in onnxruntime and a 60 MB network, onnxruntime and
the bundled espeak-ng phonemiser print to stderr, and a child keeps all of
that (and any hang, under a timeout) away from the app's process and
terminal. The parent never imports ``piper``; it only checks that it is
installed. Renders are cached under the same private ``tts-cache`` folder as
pyttsx3's, keyed by the engine, the voice files (their path, size and time,
so a replaced voice renders again) and the rate.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import wave
from collections.abc import Sequence
from pathlib import Path

from voice_mock.config import Settings
from voice_mock.speech.tts import (
    RENDER_TIMEOUT_S,
    TtsUnavailable,
    cache_dir,
    cache_key,
    is_rendered,
    run_render,
)
from voice_mock.speech.voices import PiperVoiceFile, find_voice

ENGINE = "piper"
INSTALL_HINT = "pip install 'voice-mock[piper]'"
REFERENCE_RATE = 165
"""The rate setting (the default) at which a Piper voice speaks at its own, trained pace.

Piper has no words-per-minute knob, only a length scale; other rates scale
the pace by ``REFERENCE_RATE / rate`` so "faster" and "slower" work as with
pyttsx3 while the default keeps the voice as natural as it was trained."""
MIN_LENGTH_SCALE = 0.5
MAX_LENGTH_SCALE = 2.0


def piper_problem() -> str | None:
    """Why Piper cannot run here (not installed), or None; imports nothing."""
    for module in ("piper", "onnxruntime"):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            return f"piper-tts is not installed ({INSTALL_HINT})"
    return None


def check_piper() -> None:
    """Raise `TtsUnavailable` when Piper is not installed."""
    problem = piper_problem()
    if problem is not None:
        raise TtsUnavailable(f"The Piper voice cannot be used: {problem}.")


def length_scale(rate: int) -> float:
    """Piper's length scale for a rate setting (1.0 at `REFERENCE_RATE`; larger is slower)."""
    scale = REFERENCE_RATE / max(1, int(rate))
    return round(min(MAX_LENGTH_SCALE, max(MIN_LENGTH_SCALE, scale)), 3)


def render(
    text: str, voice: PiperVoiceFile, *, rate: int = 165, timeout_s: float = RENDER_TIMEOUT_S
) -> Path:
    """The WAV file of `text` spoken by the Piper `voice` at `rate` (cached)."""
    if not text.strip():
        raise TtsUnavailable("There is no question text to speak.")
    scale = length_scale(rate)
    target = cache_dir() / f"{cache_key(text, voice.fingerprint(), rate, engine=ENGINE)}.wav"
    if is_rendered(target):
        return target
    check_piper()
    command = [
        sys.executable,
        "-m",
        "voice_mock.speech.piper",
        "render",
        "--model",
        str(voice.model),
        "--config",
        str(voice.config),
        "--length-scale",
        str(scale),
    ]
    return run_render(command, text, target, timeout_s=timeout_s, engine_name="Piper")


class PiperRenderer:
    """A Piper voice at one rate (a `tts.Renderer`)."""

    engine = ENGINE

    def __init__(self, voice: PiperVoiceFile, rate: int) -> None:
        self.piper_voice = voice
        self.voice: str | None = voice.name
        self.rate = rate

    def render(self, text: str) -> Path:
        return render(text, self.piper_voice, rate=self.rate)


def renderer_for(settings: Settings) -> PiperRenderer:
    """The Piper renderer the settings ask for; `TtsUnavailable` says why there is none.

    Checks only what is cheap (the package is installed, the voice files are
    there and readable), so the speaker factory can fall back at once.
    """
    check_piper()
    from voice_mock.errors import UserError

    try:
        voice = find_voice(settings.speech.piper_voice)
    except UserError as exc:
        raise TtsUnavailable(str(exc)) from None
    return PiperRenderer(voice, settings.speech.rate)


# --- the child process ------------------------------------------------------------------


def _render_here(text: str, model: Path, config: Path, scale: float, out: Path) -> None:
    """The one place Piper speaks: load the voice, write one WAV, in this (child) process."""
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(model, config_path=config)
    with wave.open(str(out), "wb") as wav:
        voice.synthesize_wav(text, wav, syn_config=SynthesisConfig(length_scale=scale))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voice_mock.speech.piper")
    sub = parser.add_subparsers(dest="command", required=True)
    rp = sub.add_parser("render", help="render text to a WAV file with a Piper voice")
    rp.add_argument("--model", type=Path, required=True)
    rp.add_argument("--config", type=Path, required=True)
    rp.add_argument("--length-scale", type=float, default=1.0)
    rp.add_argument("--out", type=Path, required=True)
    rp.add_argument("text")
    args = parser.parse_args(argv)
    os.umask(0o077)  # private like everything we write
    try:
        _render_here(args.text, args.model, args.config, args.length_scale, args.out)
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
