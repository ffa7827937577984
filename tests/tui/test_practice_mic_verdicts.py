"""The microphone check dialog names each verdict the issue lists: fine, too quiet, clipping.

`tests/tui/test_voice_settings.py` shows "Fine" (from Settings) and "Too
quiet" (the dialog alone) and `tests/tui/test_voice_audio.py` hears a sentence
through the null sink; this puts every verdict through the same dialog, the
take played by a file microphone at three levels of one real spoken sentence
(espeak-ng): as spoken, far too quiet, and turned up until it clips.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from textual.widgets import Static

from tests.support.app import SIZE, build_app, services_for, shown_text, wait_for
from voice_mock.audio.sources import FileSource, MicSource
from voice_mock.coach.mic_check import MicCheckResult, MicVerdict
from voice_mock.config import Settings
from voice_mock.tui.screens.mic_check import MicCheckScreen

pytestmark = pytest.mark.tui


def mic_playing(wav: Path) -> Callable[[Settings], MicSource]:
    def make(settings: Settings) -> MicSource:
        return FileSource(wav, realtime=True, block_s=0.05, loop_silence=True)

    return make


@pytest.mark.parametrize(
    ("gain", "verdict", "shown"),
    [
        (0.5, MicVerdict.FINE, "Fine: "),
        (0.01, MicVerdict.TOO_QUIET, "Too quiet: "),
        (8.0, MicVerdict.CLIPPING, "Clipping: "),
    ],
)
async def test_the_dialog_shows_each_verdict(
    tmp_path: Path,
    speech: tuple[np.ndarray, int],
    gain: float,
    verdict: MicVerdict,
    shown: str,
) -> None:
    samples, rate = speech
    wav = tmp_path / "take.wav"
    sf.write(wav, np.clip(samples * gain, -1.0, 1.0), rate)
    app, _, _ = build_app(services_for(mic=mic_playing(wav)))
    got: list[MicCheckResult | None] = []
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(MicCheckScreen(), got.append)
        await pilot.pause()
        check = app.screen
        assert isinstance(check, MicCheckScreen)
        await wait_for(pilot, lambda: check.state == "judged")
        text = shown_text(check.query_one("#mic-verdict", Static))
        assert text.startswith(shown), text
        await pilot.press("escape")
        await pilot.pause()
    assert len(got) == 1 and got[0] is not None and got[0].verdict is verdict, got
