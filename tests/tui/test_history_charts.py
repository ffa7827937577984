"""History's progress charts: axes with dates and the band, the filter followed, one question."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.widgets import Input

from tests.support.app import SIZE, build_app, save_session, services_for
from tests.support.review import WEAK_WORDS, wait_until
from voice_mock.tui.screens import history
from voice_mock.tui.screens.history import HistoryScreen
from voice_mock.tui.widgets.charts import ProgressCharts

pytestmark = pytest.mark.tui

FIRST = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SERVICE = "customer-service/what-is-customer-service"
STRENGTHS = "customer-service/strengths"


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(history, "CHART_DELAY_S", 0.01)


def seeded() -> tuple[Any, Any]:
    """Five answers over five days to two questions, and one silent take."""
    app, library, store = build_app(services_for())
    for day in range(5):
        question = SERVICE if day % 2 == 0 else STRENGTHS
        words = WEAK_WORDS if day < 2 else None
        kwargs = {"words": words} if words else {}
        save_session(store, library, question=question, started_at=FIRST + timedelta(days=day),
                     with_audio=False, **kwargs)  # fmt: skip
    save_session(store, library, question=SERVICE, started_at=FIRST + timedelta(days=5),
                 words=[], with_audio=False)  # fmt: skip
    return app, store


async def open_history(pilot: Any) -> tuple[HistoryScreen, ProgressCharts]:
    await pilot.press("h")
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    charts = screen.query_one(ProgressCharts)
    await wait_until(pilot, lambda: charts.series is not None)
    await pilot.pause()
    return screen, charts


def plot_text(charts: ProgressCharts) -> str:
    return charts.plot.render().plain  # type: ignore[union-attr]


async def test_charts_have_dates_on_the_axis_and_the_band_and_skip_silent_answers() -> None:
    app, _store = seeded()
    async with app.run_test(size=(120, 36)) as pilot:
        _screen, charts = await open_history(pilot)
        series = charts.series
        assert series is not None and series.metric == "wpm"
        assert series.answers == 5  # the silent take is not a 0 wpm
        drawn = plot_text(charts)
        assert "Mar 01" in drawn and "Mar 05" in drawn  # dates on the time axis
        assert "120" in drawn and "160" in drawn  # the band's edges on the value axis
        head = charts.query_one("#charts-head").render()
        assert "5 answers" in str(head) and "band 120-160" in str(head)


async def test_g_cycles_the_measures() -> None:
    app, _store = seeded()
    async with app.run_test(size=SIZE) as pilot:
        _screen, charts = await open_history(pilot)
        seen = [charts.metric]
        for _ in range(4):
            await pilot.press("g")
            seen.append(charts.metric)
        assert seen == ["wpm", "fillers_per_min", "coverage_ratio", "duration_s", "wpm"]


async def test_the_charts_follow_the_filter() -> None:
    app, _store = seeded()
    async with app.run_test(size=SIZE) as pilot:
        screen, charts = await open_history(pilot)
        assert charts.series is not None and charts.series.answers == 5
        screen.query_one("#history-search", Input).value = "strengths"
        await wait_until(pilot, lambda: charts.series is not None and charts.series.answers == 2)
        assert "filter" in str(charts.query_one("#charts-head").render())
        screen.query_one("#history-search", Input).value = ""
        await wait_until(pilot, lambda: charts.series is not None and charts.series.answers == 5)


async def test_t_charts_the_highlighted_answers_question_only() -> None:
    app, _store = seeded()
    async with app.run_test(size=SIZE) as pilot:
        screen, charts = await open_history(pilot)
        current = screen.current()
        assert current is not None and current.qualified_question_id == SERVICE
        await pilot.press("t")
        await wait_until(pilot, lambda: charts.series is not None and charts.series.answers == 3)
        assert charts.target == (45.0, 90.0)  # one question: its length band is drawn
        assert "only" in str(charts.query_one("#charts-head").render())
        await pilot.press("t")
        await wait_until(pilot, lambda: charts.series is not None and charts.series.answers == 5)
        assert charts.target is None  # two questions with different bands


async def test_z_zooms_the_chart_and_back() -> None:
    app, _store = seeded()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, charts = await open_history(pilot)
        small = charts.plot.size.height
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is charts and charts.plot.size.height > small
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None
