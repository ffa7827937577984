"""The review coaches: advice and a focus list, hints for missed points, the example answer,
the marked transcript with its legend, and a highlight that follows the playback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from textual.widgets import TabbedContent

from tests.support.app import SIZE, build_app, save_session, services_for, shown_text
from tests.support.review import STORY_WORDS, WEAK_WORDS, FakeClock, HeldPlayer, wait_until
from voice_mock.analysis.advice import LABELS
from voice_mock.store import REPORT_FILE
from voice_mock.tui.screens.review import ReviewScreen
from voice_mock.tui.widgets.transcript_view import TranscriptLegend, TranscriptView

pytestmark = pytest.mark.tui

QUESTION = "customer-service/what-is-customer-service"
STORY = "customer-service/difficult-customer"


async def open_review(pilot: Any, session_id: str) -> ReviewScreen:
    await pilot.app.push_screen(ReviewScreen(session_id))
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_a_weak_answer_opens_on_the_coach_tab_with_advice_and_a_focus_list() -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=QUESTION, words=WEAK_WORDS)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, record.id)
        assert screen.query_one(TabbedContent).active == "tab-coach"
        coach = " ".join(shown_text(screen.query_one("#advice")).split())
        assert "Work on first" in coach
        report = record.load_report()
        assert report is not None and 1 <= len(report["focus"]) <= 3
        for number, item in enumerate(report["focus"], start=1):
            assert f"{number}. {LABELS[item['metric']]}: {item['text']}" in coach
        assert 'Replace "um" with a silent pause' in coach
        assert "What to change and why" in coach and "Went well" in coach


async def test_an_old_report_without_advice_is_advised_when_shown() -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=QUESTION, words=WEAK_WORDS)
    path = record.folder / REPORT_FILE
    old = json.loads(path.read_text())
    for key in ("advice", "focus", "verdicts", "verdict_levels"):
        old.pop(key)
    path.write_text(json.dumps(old))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, record.id)
        coach = " ".join(shown_text(screen.query_one("#advice")).split())
        assert "1. " in coach and 'Replace "um" with a silent pause' in coach


async def test_a_missed_point_shows_how_it_could_be_made() -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=QUESTION, words=WEAK_WORDS)
    question = library.find(QUESTION)
    report = record.load_report()
    assert report is not None
    missed = {m["id"] for m in report["coverage"]["missed"]}
    point = next(p for p in question.key_points if p.id in missed)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, record.id)
        screen.query_one(TabbedContent).active = "tab-points"
        await pilot.pause()
        points = " ".join(shown_text(screen.query_one("#keypoints")).split())
        assert f'e.g. "{point.examples[0]}"' in points


async def test_a_missing_star_part_shows_a_sentence_starter() -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=STORY, words=STORY_WORDS)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, record.id)
        star = " ".join(shown_text(screen.query_one("#star")).split())
        assert "Task not heard" in star and '"My job was to ..."' in star
        assert screen.query_one("#star").display


async def test_the_example_answer_tab_is_there_after_an_attempt() -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=QUESTION, words=WEAK_WORDS)
    question = library.find(QUESTION)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, record.id)
        tabs = screen.query_one(TabbedContent)
        tabs.active = "tab-example"
        await pilot.pause()
        example = " ".join(shown_text(screen.query_one("#example")).split())
        assert " ".join(question.example_answer.split())[:80] in example
        assert question.tips[0][:30] in " ".join(shown_text(screen.query_one("#tips")).split())
        assert not screen.query_one("#star").display  # not a behavioural question


async def test_the_transcript_marks_what_matters_with_a_legend() -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=QUESTION, words=WEAK_WORDS)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, record.id)
        view = screen.query_one(TranscriptView)
        kinds = {piece.kind for line in view.lines for piece in line.pieces}
        assert {"filler", "hedge"} <= kinds
        legend = screen.query_one(TranscriptLegend)
        assert "um" in str(legend.render()) and "key point" in str(legend.render())


async def test_the_highlight_follows_the_playback() -> None:
    player = HeldPlayer()
    app, library, store = build_app(services_for(player=player))  # type: ignore[arg-type]
    record = save_session(store, library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, record.id)
        clock = FakeClock()
        screen.clock = clock
        view = screen.query_one(TranscriptView)
        assert len(view.lines) >= 3
        assert view.highlighted == 0
        await pilot.press("p")
        await wait_until(pilot, player.started.is_set)
        target = view.lines[2]
        clock.now += target.start + 0.2
        screen.follow_playback()
        assert view.highlighted == 2
        clock.now += 0.1  # still inside the same line: no move
        screen.follow_playback()
        assert view.highlighted == 2
        await pilot.press("x")  # the player stops; the highlight stops following
        await app.workers.wait_for_complete()
        clock.now += 100.0
        screen.follow_playback()
        assert view.highlighted == 2 and screen.played_from is None


async def test_playing_from_a_line_starts_the_highlight_there() -> None:
    player = HeldPlayer()
    app, library, store = build_app(services_for(player=player))  # type: ignore[arg-type]
    record = save_session(store, library)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, record.id)
        clock = FakeClock()
        screen.clock = clock
        view = screen.query_one(TranscriptView)
        await pilot.press("down", "l")
        await wait_until(pilot, player.started.is_set)
        assert view.highlighted == 1
        clock.now += view.lines[2].start - view.lines[1].start + 0.05
        await wait_until(pilot, lambda: view.highlighted == 2)  # the timer moves it
        player.release()
        await app.workers.wait_for_complete()


async def test_the_review_exports_where_the_user_says_and_asks_before_replacing(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    from voice_mock.tui.screens.confirm import ConfirmScreen, PromptScreen

    monkeypatch.chdir(tmp_path)
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=QUESTION, words=WEAK_WORDS)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, record.id)
        await pilot.press("w")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        default = prompt.query_one(Input).value
        assert default == str(tmp_path / f"{record.id}.md")  # the current folder
        await pilot.press("enter")
        await pilot.pause()
        written = tmp_path / f"{record.id}.md"
        assert "## Work on first" in written.read_text()
        written.write_text("mine")
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert written.read_text() == "mine"
