"""Home shows per-question practice (how often, last and best) and the example answer on
request, after a warning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import OptionList

from tests.support.app import SIZE, build_app, save_session, services_for, shown_text
from tests.support.review import WEAK_WORDS, wait_until
from voice_mock.tui.screens.confirm import ConfirmScreen
from voice_mock.tui.screens.home import HomeScreen

pytestmark = pytest.mark.tui

SERVICE = "customer-service/what-is-customer-service"


async def test_home_shows_how_often_a_question_was_practised_and_the_last_and_best() -> None:
    app, library, store = build_app(services_for())
    first = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    save_session(store, library, question=SERVICE, words=WEAK_WORDS, started_at=first)
    save_session(store, library, question=SERVICE, started_at=first + timedelta(days=1))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        await wait_until(pilot, lambda: SERVICE in screen.stats)
        await pilot.pause()
        listed = screen.query_one("#questions", OptionList)
        index = next(i for i, q in enumerate(screen.shown) if q.qualified_id == SERVICE)
        assert "×2" in str(listed.get_option_at_index(index).prompt)
        listed.highlighted = index
        await pilot.pause()
        detail = " ".join(shown_text(screen.query_one("#detail")).split())
        records = store.attempts(SERVICE)
        assert "Practised 2 times" in detail
        assert f"{records[-1].wpm:.0f} wpm" in detail  # the last answer
        best = max(r.coverage_ratio or 0 for r in records)
        assert f"best: {best:.0%} of key points" in detail
        other = next(i for i, q in enumerate(screen.shown) if q.qualified_id != SERVICE)
        listed.highlighted = other
        await pilot.pause()
        assert "Not practised yet" in shown_text(screen.query_one("#detail"))


async def test_the_example_answer_is_behind_a_key_and_a_warning() -> None:
    app, library, _store = build_app(services_for())
    question = library.find(SERVICE)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        listed = screen.query_one("#questions", OptionList)
        listed.highlighted = next(
            i for i, q in enumerate(screen.shown) if q.qualified_id == SERVICE
        )
        await pilot.pause()
        opening = " ".join(question.example_answer.split())[:60]
        detail = " ".join(shown_text(screen.query_one("#detail")).split())
        assert opening not in detail and "e: see an example answer" in detail
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "imitation" in app.screen.question  # not tried yet: the warning says why
        await pilot.press("n")
        await pilot.pause()
        assert opening not in " ".join(shown_text(screen.query_one("#detail")).split())
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert opening in " ".join(shown_text(screen.query_one("#detail")).split())
