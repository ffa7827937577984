"""Snapshots of the new review tabs and History's charts at 80x24 and 120x36.

Content is fixed as in tests/tui/test_snapshots.py: saved sessions from
Vosk-form transcripts with fixed times and start times, the UTC time zone,
no model, and every worker finished before the picture is taken. Beside the
pictures, the verdicts are checked never to wrap or be cut at either size.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from tests.support.app import ANSWER_WORDS, build_app, save_session, services_for
from tests.support.review import STORY_WORDS, WEAK_WORDS
from voice_mock.tui.screens import history
from voice_mock.tui.screens.history import HistoryScreen
from voice_mock.tui.screens.review import ReviewScreen
from voice_mock.tui.widgets.metrics_panel import MetricsPanel

pytestmark = pytest.mark.tui

SIZES = {"80x24": (80, 24), "120x36": (120, 36)}
SERVICE = "customer-service/what-is-customer-service"
STORY = "customer-service/difficult-customer"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(history, "CHART_DELAY_S", 0.01)


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def review_on(tab: str, question: str, words: list[tuple[str, float, float]]) -> tuple[Any, Any]:
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=question, words=words)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ReviewScreen(record.id))
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = tab
        await settle(pilot)

    return app, run_before


@pytest.mark.parametrize("size", SIZES)
def test_review_coach_tab(snap_compare: Callable[..., bool], size: str) -> None:
    app, run_before = review_on("tab-coach", SERVICE, WEAK_WORDS)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review_points_tab_with_hints_and_star(
    snap_compare: Callable[..., bool], size: str
) -> None:
    app, run_before = review_on("tab-points", STORY, STORY_WORDS)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review_measures_tab(snap_compare: Callable[..., bool], size: str) -> None:
    app, run_before = review_on("tab-metrics", SERVICE, WEAK_WORDS)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review_example_tab(snap_compare: Callable[..., bool], size: str) -> None:
    app, run_before = review_on("tab-example", SERVICE, ANSWER_WORDS)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_history_charts(snap_compare: Callable[..., bool], size: str) -> None:
    app, library, store = build_app(services_for())
    first = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for day in range(6):
        words = WEAK_WORDS if day < 3 else ANSWER_WORDS
        save_session(store, library, question=SERVICE, words=words,
                     started_at=first + timedelta(days=day), with_audio=False)  # fmt: skip

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.app.push_screen(HistoryScreen())
        await settle(pilot)
        await pilot.pause(0.05)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
async def test_no_verdict_is_wrapped_or_cut(size: str) -> None:
    """Every verdict of the Measures tab is on one line, whole, at both sizes."""
    app, library, store = build_app(services_for())
    record = save_session(store, library, question=SERVICE, words=WEAK_WORDS)
    async with app.run_test(size=SIZES[size]) as pilot:
        await pilot.app.push_screen(ReviewScreen(record.id))
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        screen.query_one(TabbedContent).active = "tab-metrics"
        await pilot.pause()
        panel = screen.query_one(MetricsPanel)
        width = panel.content_region.width
        console = Console(width=width, file=io.StringIO(), record=True)
        console.print(panel.content)
        lines = console.export_text().splitlines()
        report = screen.report
        assert report is not None
        verdicts = report.verdicts(app.settings.thresholds, (45.0, 90.0))
        for key in ("length", "pace", "fillers", "pauses", "latency", "coverage"):
            words = verdicts[key].text
            assert any(words in line for line in lines), (key, words, lines)
        assert all(len(line) <= width for line in lines)


def test_story_words_make_a_story_without_task_or_result() -> None:
    """The Points snapshot shows starters for the missing parts (a guard on its data)."""
    from voice_mock.analysis.report import analyze
    from voice_mock.bank import load_library
    from voice_mock.transcript import Transcript

    question = load_library().find(STORY)
    words = [{"word": w, "start": s, "end": e, "conf": 1.0} for w, s, e in STORY_WORDS]
    report = analyze(Transcript.from_vosk([{"text": "", "result": words}]), question)
    assert report.star is not None
    assert set(report.star.missing) >= {"task", "result"}
