"""Snapshot tests (pytest-textual-snapshot) of home, review and history at 100x32.

Content is fixed: a saved session built from a Vosk-form transcript with
fixed times and a fixed start time, the UTC time zone, fake devices and no
model, and every background worker finished before the picture is taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.support.app import SIZE, build_app, save_session, services_for
from voice_mock.tui.screens.history import HistoryScreen
from voice_mock.tui.screens.review import ReviewScreen

pytestmark = pytest.mark.tui


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Session times are shown in local time; pin it so the pictures do not depend on the host."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home_snapshot(snap_compare: Callable[..., bool]) -> None:
    app, _, _ = build_app(services_for())
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_review_snapshot(snap_compare: Callable[..., bool]) -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library)

    async def open_review(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ReviewScreen(record.id))
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_review)


def test_history_snapshot(snap_compare: Callable[..., bool]) -> None:
    app, library, store = build_app(services_for())
    save_session(store, library, started_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    save_session(
        store,
        library,
        started_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        words=[(w, s + 0.3, e + 0.3) for w, s, e in _fast_answer()],
    )

    async def open_history(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(HistoryScreen())
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_history)


def _fast_answer() -> list[tuple[str, float, float]]:
    """A second attempt: no fillers, no long pause, so the progress charts have a trend."""
    from tests.support.app import ANSWER_WORDS

    kept = [w for w in ANSWER_WORDS if w[0] not in {"um", "like", "so"}]
    return [
        (w, round(i * 0.35 + 0.5, 2), round(i * 0.35 + 0.8, 2)) for i, (w, _, _) in enumerate(kept)
    ]
