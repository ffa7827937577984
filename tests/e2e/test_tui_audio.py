"""End to end through the real audio path (a PulseAudio null sink).

The app speaks the question into the sink with the real TTS, records the
sink's monitor with sounddevice while an answer is played into it, and the
review shows the words Vosk heard.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.support.app import SIZE
from tests.support.app import wait_for as wait_for_app
from tests.support.speech import KOREAN_ANSWER
from voice_mock.bank import load_library
from voice_mock.coach import Coach
from voice_mock.config import AudioSettings, Settings
from voice_mock.speech.tts import cache_dir
from voice_mock.store import Store
from voice_mock.tui.app import make_app
from voice_mock.tui.screens.practice import PracticeScreen
from voice_mock.tui.screens.review import ReviewScreen
from voice_mock.tui.widgets.transcript_view import TranscriptView

pytestmark = [pytest.mark.tui, pytest.mark.audio, pytest.mark.vosk]


wait_for = partial(wait_for_app, timeout=60.0)
"""Wait on the app, at most 60 s unless a call says otherwise."""


async def test_spoken_question_recorded_answer_reviewed(
    pulse_sink: Any, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    answer = espeak_ko(KOREAN_ANSWER, rate=48000)
    settings = Settings(audio=AudioSettings(silence_stop_s=0.0, max_answer_s=60.0))
    library = load_library()
    store = Store(settings.sessions_dir())
    app = make_app(Coach(settings, library, store, model_path=ko_model_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        await wait_for(pilot, lambda: screen.state == "recording")
        spoken = list(cache_dir().glob("*.wav"))
        assert spoken, "the question was not rendered and played before recording"
        player = pulse_sink.play(answer)
        await asyncio.to_thread(player.wait, 30)
        assert player.returncode == 0
        await pilot.pause(1.0)
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await wait_for(pilot, lambda: review.record is not None)
        record = store.get(review.session_id)
        transcript = record.load_transcript()
        assert transcript is not None and len(transcript.words) >= 3
        shown = review.query_one(TranscriptView).plain_text
        assert all(word.text in shown for word in transcript.words[:3]), (shown, transcript.text)
        assert record.audio_path is not None and record.audio_path.stat().st_size > 16000


async def test_settings_saved_untouched_then_record_and_play(
    pulse_sink: Any, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    """What every user does: open Settings, save without changing a device, then practise.

    Saving once used to write Textual's empty-select sentinel as the device name,
    and every recording and playback failed from then on.
    """
    import tomllib

    from textual.worker import WorkerState

    from voice_mock.config import config_path, load_settings
    from voice_mock.tui.screens.home import HomeScreen
    from voice_mock.tui.screens.settings import SettingsScreen

    answer = espeak_ko("고객의 말을 잘 듣습니다", rate=48000)
    settings = Settings(audio=AudioSettings(silence_stop_s=0.0, max_answer_s=60.0))
    store = Store(settings.sessions_dir())
    app = make_app(Coach(settings, load_library(), store, model_path=ko_model_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        saved = tomllib.loads(config_path().read_text())
        assert "input_device" not in saved["audio"] and "output_device" not in saved["audio"]
        assert load_settings().audio.input_device is None
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        await wait_for(pilot, lambda: screen.state == "recording")
        player = pulse_sink.play(answer)
        await asyncio.to_thread(player.wait, 30)
        await pilot.pause(0.8)
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await wait_for(pilot, lambda: review.record is not None)
        assert review.record is not None and review.record.status == "done"
        await pilot.press("p")
        await wait_for(pilot, lambda: review.player is not None)
        await wait_for(
            pilot,
            lambda: (
                not any(
                    w.group == "playback" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                    for w in app.workers
                )
            ),
            timeout=30,
        )
        failures = [n.message for n in app._notifications if n.severity == "error"]
        assert not failures, failures
