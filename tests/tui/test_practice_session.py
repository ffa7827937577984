"""The practice screen as a real interview: leaving asks (in a mock too, and on ctrl+q),
the silence stop is counted down and can be continued, thinking time, live nudges, the
scorecard reopened from History and exported, and the microphone check offered first.

A file microphone (real speech made with espeak-ng), a silent speaker and the real
Korean Vosk model.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf
from textual.widgets import DataTable, Input

from tests.support.app import SIZE, build_app, file_mic, save_session, services_for, shown_text
from tests.support.app import wait_for as wait_for_app
from tests.support.mocks import saved_mock
from tests.support.pauses import duration, joined
from tests.support.speech import TINY_KO
from voice_mock.config import AudioSettings, PracticeSettings, Settings
from voice_mock.tui.screens.confirm import ChoiceScreen, ConfirmScreen, PromptScreen
from voice_mock.tui.screens.help import HelpScreen
from voice_mock.tui.screens.history import HistoryScreen
from voice_mock.tui.screens.home import HomeScreen
from voice_mock.tui.screens.mock_summary import MockSummaryScreen
from voice_mock.tui.screens.practice import PracticeScreen
from voice_mock.tui.screens.review import ReviewScreen
from voice_mock.tui.widgets.countdown import Countdown
from voice_mock.tui.widgets.live_gauge import LiveGauge

pytestmark = [pytest.mark.tui, pytest.mark.vosk]

FIRST = "안녕하세요 저는 고객의 말을 잘 듣습니다"
SECOND = "그리고 문제를 빨리 해결합니다"
"""The live gauge's answer is these four times over (a pace needs 8 s of speaking); the
continued answer is FIRST twice."""


wait_for = partial(wait_for_app, timeout=45.0)
"""Wait on the app, at most 45 s unless a call says otherwise."""


async def reviewed(pilot: Any) -> ReviewScreen:
    """Wait for the review of the answer just finished, loaded (not only pushed)."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
    review = app.screen
    assert isinstance(review, ReviewScreen)
    await wait_for(pilot, lambda: review.record is not None)
    await pilot.pause(0.2)
    return review


async def practise(pilot: Any) -> PracticeScreen:
    """Wait for the model, practise the highlighted question, wait for the recording."""
    app = pilot.app
    await wait_for(pilot, lambda: app.model_state == "ready")
    await pilot.press("enter")
    screen = app.screen
    assert isinstance(screen, PracticeScreen)
    await wait_for(pilot, lambda: screen.state == "recording")
    return screen


@pytest.fixture
def first(espeak_ko: Callable[..., Path]) -> Path:
    """A 1.5 s greeting: these tests need speech the recogniser hears, not a long answer
    (real Vosk decodes near real time here, and a realtime microphone plays it all)."""
    return espeak_ko(TINY_KO)


async def test_leaving_a_mock_mid_answer_asks_and_keeps_the_answer_and_the_unit(
    ko_model_path: Path, first: Path
) -> None:
    services = services_for(
        mic=file_mic(first, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, store = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("space", "down", "space", "m")
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.mock
        await wait_for(pilot, lambda: screen.state == "recording" and screen.elapsed_s > 1.0)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        dialog = app.screen
        assert isinstance(dialog, ChoiceScreen)
        assert "mock interview" in str(dialog.question)
        await pilot.press("escape")  # carry on: still recording
        await pilot.pause()
        assert screen.state == "recording" and app.screen is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    records = store.sessions()
    assert [r.status for r in records] == ["done"]
    mocks = store.mocks()
    assert len(mocks) == 1 and mocks[0].status == "left" and mocks[0].answers == 1
    assert records[0].mock_id == mocks[0].id


async def test_ctrl_q_while_recording_asks_first_and_keeping_saves_the_analysed_answer(
    ko_model_path: Path, first: Path
) -> None:
    services = services_for(
        mic=file_mic(first, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, store = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await practise(pilot)
        await wait_for(pilot, lambda: screen.elapsed_s > 1.0)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        dialog = app.screen
        assert isinstance(dialog, ChoiceScreen)
        assert "quit" in str(dialog.question).lower()
        await pilot.press("c")  # carry on answering
        await pilot.pause()
        assert app.screen is screen and screen.state == "recording"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("k")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 45
        while app.is_running and loop.time() < deadline:
            await asyncio.sleep(0.05)
        assert not app.is_running, "the app did not quit after keeping the answer"
    assert [r.status for r in store.sessions()] == ["done"]


async def test_ctrl_q_twice_keeps_the_answer_and_quits(ko_model_path: Path, first: Path) -> None:
    services = services_for(
        mic=file_mic(first, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, store = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await practise(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("ctrl+q")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 45
        while app.is_running and loop.time() < deadline:
            await asyncio.sleep(0.05)
    assert [r.status for r in store.sessions()] == ["done"]


async def test_the_countdown_shows_in_the_last_seconds_and_speech_hides_it(
    ko_model_path: Path, first: Path, tmp_path: Path
) -> None:
    wav = joined([first, 2.6, first], tmp_path / "pause.wav")
    settings = Settings(audio=AudioSettings(silence_stop_s=4.0, max_answer_s=60.0))
    services = services_for(
        mic=file_mic(wav, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, store = build_app(services, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = await practise(pilot)
        countdown = screen.query_one(Countdown)
        await wait_for(pilot, lambda: countdown.seconds > 0, timeout=20)
        assert countdown.display and "Stopping in" in str(countdown.render())
        assert "speak to continue" in str(countdown.render())
        await wait_for(pilot, lambda: countdown.seconds == 0, timeout=10)
        assert screen.state == "recording"  # speech came back: the answer goes on
        await wait_for(pilot, lambda: screen.state == "paused", timeout=30)
        assert "c continues" in shown_text(screen.query_one("#practice-state"))
        await pilot.press("space")
        await reviewed(pilot)
    record = store.sessions()[0]
    assert record.audio_path is not None
    assert duration(record.audio_path) > duration(wav)  # nothing was cut at the pause


async def test_c_continues_a_stopped_answer_into_the_same_take(
    ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    # The 4.4 s sentence, not the greeting: the file microphone runs flat out, and the take
    # ends when Vosk has decoded it; with 1.5 s the turn can pause before the first check.
    first = espeak_ko(FIRST)
    settings = Settings(audio=AudioSettings(silence_stop_s=1.5, max_answer_s=60.0))
    services = services_for(
        mic=file_mic(first, realtime=False, loop_silence=True), model_path=ko_model_path
    )
    app, _, store = build_app(services, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert screen.check_action("continue", ()) is False  # nothing to continue yet
        await wait_for(pilot, lambda: screen.state == "paused")
        assert screen.check_action("continue", ()) is True
        offered = app.active_bindings.get("c")
        assert offered is not None and offered.binding.action == "continue"  # in the footer
        first_take = screen.elapsed_s
        await pilot.press("c")  # the file microphone is fast: the second take may end at once
        await wait_for(pilot, lambda: screen.state == "paused" and screen.elapsed_s > first_take)
        assert screen.elapsed_s > first_take + 1.0  # the clock ran on from the first part
        await pilot.press("space")
        await reviewed(pilot)
    assert store.count() == 1
    record = store.sessions()[0]
    assert record.audio_path is not None
    total = duration(record.audio_path)
    assert total > 2 * duration(first) + 2.0
    transcript = record.load_transcript()
    assert transcript is not None
    assert any(w.start < total / 2 for w in transcript.words)
    assert any(w.start > total / 2 for w in transcript.words)
    assert record.duration_s == pytest.approx(total, abs=0.1)


async def test_thinking_time_is_counted_down_and_space_starts_at_once(
    ko_model_path: Path, first: Path
) -> None:
    settings = Settings(
        audio=AudioSettings(silence_stop_s=0.0, max_answer_s=60.0),
        practice=PracticeSettings(thinking_general_s=30, thinking_behavioral_s=45),
    )
    services = services_for(
        mic=file_mic(first, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, store = build_app(services, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        countdown = screen.query_one(Countdown)
        await wait_for(pilot, lambda: screen.state == "preparing" and countdown.seconds > 0)
        assert countdown.kind == "thinking" and "Thinking time" in str(countdown.render())
        assert countdown.seconds > 25
        await pilot.press("space")  # start now, not "stop before recording"
        await wait_for(pilot, lambda: screen.state == "recording", timeout=10)
        assert countdown.seconds == 0
        await pilot.press("space")
        await reviewed(pilot)
    assert store.count() == 1


async def test_live_gauge_shows_pace_and_fillers_and_can_be_turned_off(
    ko_model_path: Path, espeak_ko: Callable[..., Path], tmp_path: Path
) -> None:
    wav = joined(
        [espeak_ko(FIRST), espeak_ko(SECOND), espeak_ko(FIRST), espeak_ko(SECOND)],
        tmp_path / "long.wav",
    )
    services = services_for(
        mic=file_mic(wav, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await practise(pilot)
        gauge = screen.query_one(LiveGauge)
        assert gauge.display
        await wait_for(
            pilot, lambda: gauge.reading is not None and gauge.reading.wpm is not None, timeout=30
        )
        text = str(gauge.render())
        assert "wpm" in text and "fillers 0" in text
        await pilot.press("space")
        await reviewed(pilot)

    off = Settings(practice=PracticeSettings(live_nudges=False))
    services = services_for(
        mic=file_mic(wav, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, _ = build_app(services, settings=off)
    async with app.run_test(size=SIZE) as pilot:
        screen = await practise(pilot)
        assert not screen.query_one(LiveGauge).display
        await pilot.press("space")
        await reviewed(pilot)


async def test_the_practice_help_says_how_stopping_and_continuing_work(
    ko_model_path: Path, first: Path
) -> None:
    services = services_for(
        mic=file_mic(first, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await practise(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = shown_text(app.screen.query_one("#help-table"))
        assert "stops by itself" in help_text and "counted down" in help_text
        assert "Continue answer" in help_text and "same recording" in help_text
        assert "ctrl+q" in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("space")
        await reviewed(pilot)


async def test_the_scorecard_reopens_from_history_and_exports_one_document(
    tmp_path: Path,
) -> None:
    app, library, store = build_app(services_for())
    save_session(store, library)  # an answer outside any mock
    mock_id = saved_mock(app.coach)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        assert isinstance(history, HistoryScreen)
        table = history.query_one("#sessions", DataTable)
        await wait_for(pilot, lambda: table.row_count == 4)
        cells = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert any(c.startswith("↳ follow-up") for c in cells), cells
        await pilot.press("m")  # one row per mock interview
        await wait_for(pilot, lambda: table.row_count == 1)
        assert "1 mock interview" in str(history.sub_title)
        row = [str(c) for c in table.get_row_at(0)]
        assert "Mock interview · 2 q" in row[1] and row[-1] == "done 2/2 +1"
        assert history.current() is None  # the answers' actions do not touch a mock row
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MockSummaryScreen))
        card_screen = app.screen
        assert isinstance(card_screen, MockSummaryScreen)
        summary_table = card_screen.query_one(DataTable)
        await wait_for(pilot, lambda: summary_table.row_count == 3)
        overall = shown_text(card_screen.query_one("#summary-overall"))
        assert "2 of 2 questions answered" in overall and "1 follow-up" in overall
        assert "measures good" in overall
        assert "Work on first" in shown_text(card_screen.query_one("#summary-habits"))
        assert str(summary_table.get_row_at(2)[1]).startswith("↳ ")
        await pilot.press("down", "down", "enter")  # the follow-up's own review
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert store.get(review.session_id).follow_up_of is not None
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is card_screen)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen))
        target = tmp_path / "scorecard.md"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: target.is_file())
        text = target.read_text()
        assert text.startswith("# Mock interview") and "## Work on first" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is history)
    assert store.mock(mock_id).finished


async def test_the_microphone_check_is_offered_before_the_very_first_answer(
    ko_model_path: Path, first: Path
) -> None:
    services = services_for(
        mic=file_mic(first, realtime=True, loop_silence=True), model_path=ko_model_path
    )
    app, _, store = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "ready")
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        offer = screen.query_one("#mic-offer")
        assert offer.display and "press m to check the microphone" in shown_text(offer)
        await wait_for(pilot, lambda: screen.state == "recording")
        assert offer.display  # still offered while the first answer is recorded
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")  # this take is deleted; the question comes again after
        from voice_mock.tui.screens.mic_check import MicCheckScreen

        await wait_for(pilot, lambda: isinstance(app.screen, MicCheckScreen))
        checker = app.screen
        await wait_for(pilot, lambda: getattr(checker, "result", None) is not None, timeout=20)
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.state == "recording" and app.screen is screen)
        assert not offer.display  # offered once
        assert store.count() == 1  # the deleted take is gone; this is the new one
        assert any(n.title == "Microphone" for n in app._notifications)
        await pilot.press("space")
        await reviewed(pilot)
    assert store.count() == 1
    # with an answer saved, the next practice offers nothing
    app, _, _ = build_app(
        services_for(
            mic=file_mic(first, realtime=True, loop_silence=True), model_path=ko_model_path
        )
    )
    async with app.run_test(size=SIZE) as pilot:
        again = await practise(pilot)
        assert not again.query_one("#mic-offer").display
        await pilot.press("space")
        await reviewed(pilot)


def test_speech_files_are_real(first: Path) -> None:
    assert sf.info(first).duration > 1.0
