"""A practice session through the real audio path: the PulseAudio null sink.

The app speaks each question into the sink with the real text-to-speech,
records the sink's monitor (the default source) with sounddevice while an
answer made with espeak-ng (Korean) is played into it with ``paplay``, and
the real Korean Vosk model transcribes it. Silences are real silences: the
answer's parts are played with a wait between them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from tests.support.app import SIZE
from tests.support.app import wait_for as wait_for_app
from tests.support.pauses import duration
from voice_mock.bank import load_library
from voice_mock.coach import Coach
from voice_mock.config import AudioSettings, Settings
from voice_mock.store import Store
from voice_mock.tui.app import VoiceMockApp, make_app
from voice_mock.tui.screens.history import HistoryScreen
from voice_mock.tui.screens.home import HomeScreen
from voice_mock.tui.screens.mock_summary import MockSummaryScreen
from voice_mock.tui.screens.practice import PracticeScreen
from voice_mock.tui.screens.review import ReviewScreen
from voice_mock.tui.widgets.countdown import Countdown

pytestmark = [pytest.mark.tui, pytest.mark.audio, pytest.mark.vosk]

FIRST = "안녕하세요 저는 고객의 말을 잘 듣습니다"
SECOND = "그리고 문제를 빨리 해결합니다"


wait_for = partial(wait_for_app, timeout=60.0)
"""Wait on the app, at most 60 s unless a call says otherwise."""


async def play(sink: Any, wav: Path) -> None:
    player = sink.play(wav)
    await asyncio.to_thread(player.wait, 60)
    assert player.returncode == 0


def app_with(settings: Settings, model: Path) -> tuple[VoiceMockApp, Store]:
    store = Store(settings.sessions_dir())
    app = make_app(Coach(settings, load_library(), store, model_path=model))
    return app, store


async def recording(pilot: Any) -> PracticeScreen:
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, PracticeScreen)
    await wait_for(pilot, lambda: screen.state == "recording")
    await pilot.pause(0.3)  # the stream delivers: words from here on are heard
    return screen


async def reviewed(pilot: Any) -> ReviewScreen:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    review = app.screen
    assert isinstance(review, ReviewScreen)
    await wait_for(pilot, lambda: review.record is not None)
    return review


@pytest.fixture
def answer(espeak_ko: Callable[..., Path]) -> tuple[Path, Path]:
    return espeak_ko(FIRST, rate=48000), espeak_ko(SECOND, rate=48000)


async def test_a_six_second_pause_is_kept_and_its_countdown_is_cancelled_by_speech(
    pulse_sink: Any, ko_model_path: Path, answer: tuple[Path, Path]
) -> None:
    """Default settings: the 8 s stop is counted down from 5 s of silence; speaking at 6 s
    cancels it, and the answer goes on as one take."""
    first, second = answer
    app, store = app_with(Settings(), ko_model_path)
    assert app.settings.audio.silence_stop_s == 8.0
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("enter")
        screen = await recording(pilot)
        countdown = screen.query_one(Countdown)
        await play(pulse_sink, first)
        quiet_from = screen.elapsed_s
        shown: list[int] = []
        loop = asyncio.get_running_loop()
        pause_ends = loop.time() + 6.0
        while loop.time() < pause_ends:  # six seconds of real silence
            await pilot.pause(0.05)
            if countdown.seconds and countdown.seconds not in shown:
                shown.append(countdown.seconds)
            assert screen.state == "recording", "the pause ended the answer"
        assert shown and shown[0] == 3, shown  # "stopping in 3 … speak to continue"
        assert "speak to continue" in str(countdown.render()) or countdown.seconds == 0
        speech_again = screen.elapsed_s
        await play(pulse_sink, second)
        await wait_for(pilot, lambda: countdown.seconds == 0, timeout=5)
        assert screen.state == "recording"
        await pilot.pause(1.0)
        await pilot.press("space")
        review = await reviewed(pilot)
        record = store.get(review.session_id)
    assert speech_again - quiet_from > 5.5
    transcript = record.load_transcript()
    assert transcript is not None and transcript.words
    assert any(w.end <= quiet_from + 0.5 for w in transcript.words), transcript.text
    assert any(w.start >= speech_again - 0.3 for w in transcript.words), transcript.text
    assert record.status == "done" and store.count() == 1


async def test_a_stopped_answer_is_continued_into_the_same_take(
    pulse_sink: Any, ko_model_path: Path, answer: tuple[Path, Path]
) -> None:
    first, second = answer
    settings = Settings(audio=AudioSettings(silence_stop_s=3.0, max_answer_s=120.0))
    app, store = app_with(settings, ko_model_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("enter")
        screen = await recording(pilot)
        await play(pulse_sink, first)
        await wait_for(pilot, lambda: screen.state == "paused", timeout=15)
        first_part = screen.elapsed_s
        await pilot.press("c")
        await wait_for(pilot, lambda: screen.state == "recording", timeout=15)
        await pilot.pause(0.3)
        second_from = screen.elapsed_s
        await play(pulse_sink, second)
        await wait_for(pilot, lambda: screen.state == "paused", timeout=15)
        await pilot.press("space")
        review = await reviewed(pilot)
        record = store.get(review.session_id)
    assert store.count() == 1
    assert record.audio_path is not None
    total = duration(record.audio_path)
    assert total > first_part + duration(second)  # one WAV, both parts
    assert second_from >= first_part - 0.1  # the clock ran on
    transcript = record.load_transcript()
    assert transcript is not None
    assert any(w.end <= first_part for w in transcript.words), transcript.text
    assert any(w.start >= second_from - 0.3 for w in transcript.words), transcript.text
    report = record.load_report()
    assert report is not None and report["duration_s"] == pytest.approx(total, abs=0.1)


async def test_a_mock_of_two_questions_with_a_follow_up_is_one_unit_reopened_from_history(
    pulse_sink: Any, ko_model_path: Path, answer: tuple[Path, Path]
) -> None:
    """Two general questions: the interviewer opens, asks both, follows the second up (half
    of the answers get one of their question's follow-ups), closes; the scorecard is saved
    and reopened from History."""
    first, _ = answer
    settings = Settings(audio=AudioSettings(max_answer_s=120.0))
    app, store = app_with(settings, ko_model_path)
    questions = load_library().questions()[:2]
    assert not any(q.star for q in questions)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("space", "down", "space", "m")
        for turn in range(3):
            screen = await recording(pilot)
            assert (screen.follow_up is not None) == (turn == 2)
            await play(pulse_sink, first)
            await pilot.pause(0.8)
            await pilot.press("space")
            if turn < 2:

                def next_question(s: PracticeScreen = screen) -> bool:
                    return s.state in ("speaking", "starting")

                await wait_for(pilot, next_question)
        await wait_for(pilot, lambda: isinstance(app.screen, MockSummaryScreen), timeout=60)
        summary = app.screen
        assert isinstance(summary, MockSummaryScreen)
        await wait_for(pilot, lambda: summary.card is not None)
        card = summary.card
        assert card is not None and card.mock.finished
        mock_id = card.mock.id
        assert [q.question for q in card.questions] == questions
        follow_up = card.questions[1].follow_up
        assert card.questions[0].follow_up is None and follow_up is not None
        assert follow_up.record.question_text in questions[1].follow_ups
        assert all(q.answer is not None and q.answer.analysed for q in card.questions)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        await pilot.press("m")
        table = history.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MockSummaryScreen))
        again = app.screen
        assert isinstance(again, MockSummaryScreen)
        await wait_for(pilot, lambda: again.card is not None)
        assert again.card is not None and again.card.mock.id == mock_id
        assert again.query_one(DataTable).row_count == 3
    sessions = store.mock_sessions(mock_id)
    assert len(sessions) == 3 and all(s.status == "done" for s in sessions)
    assert sessions[2].follow_up_of == sessions[1].id
    transcript = sessions[0].load_transcript()
    assert transcript is not None and transcript.words  # the sink's audio was heard
