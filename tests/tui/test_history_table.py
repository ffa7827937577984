"""History over a long list: a page of sessions at a time, fetched from the store as you scroll.

`PagedTable` holds the first page before the screen is drawn and asks for the
next when the cursor or the scroll nears the end; ctrl+end fetches the rest.
Sorting (header or ``o``) and filtering start again from the first page of
the new list. These tests use pages of a few rows so a short history spans
several.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.app import App, ComposeResult

from tests.support.app import SIZE, build_app, save_session, services_for
from voice_mock.tui.screens import history
from voice_mock.tui.screens.confirm import ConfirmScreen
from voice_mock.tui.screens.history import COLUMNS, HistoryScreen
from voice_mock.tui.widgets.paged_table import PagedTable

pytestmark = pytest.mark.tui

SESSIONS = 40
PAGE = 8


def table_keys(table: PagedTable[Any]) -> list[str]:
    return [str(key.value) for key in table.rows]


@pytest.fixture
def long_history(monkeypatch: pytest.MonkeyPatch) -> Any:
    """An app whose store holds `SESSIONS` answers, one a day, and History pages of `PAGE`."""
    monkeypatch.setattr(history, "PAGE_ROWS", PAGE)
    app, library, store = build_app(services_for())
    first = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    for day in range(SESSIONS):
        save_session(store, library, with_audio=False, started_at=first + timedelta(days=day))
    return app, store


async def open_history(pilot: Any) -> tuple[HistoryScreen, PagedTable[Any]]:
    await pilot.press("h")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen, screen.query_one("#sessions", PagedTable)


async def test_history_shows_a_page_then_fetches_more_as_the_cursor_goes_down(
    long_history: Any,
) -> None:
    app, store = long_history
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_history(pilot)
        assert PAGE <= table.row_count < SESSIONS  # a page, and another if the screen shows more
        assert f"{SESSIONS} sessions" in str(screen.sub_title)
        assert table_keys(table) == [r.id for r in screen.records]
        newest_first = [r.id for r in store.sessions()]
        assert table_keys(table) == newest_first[: table.row_count]
        held = table.row_count
        for _ in range(held):
            await pilot.press("down")
        await pilot.pause()
        assert table.row_count > held
        assert table_keys(table) == newest_first[: table.row_count]  # in order, none twice
        assert screen.current() == screen.records[table.cursor_row]


async def test_ctrl_end_reaches_the_oldest_session_and_delete_keeps_the_place(
    long_history: Any,
) -> None:
    app, store = long_history
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_history(pilot)
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count == SESSIONS and table.complete
        oldest = screen.current()
        assert oldest is not None and oldest.started_at.day == 1 and oldest.started_at.month == 1
        await pilot.press("up", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert store.count() == SESSIONS - 1
        assert table.row_count == SESSIONS - 1  # fetched again down to where the cursor was
        assert table.cursor_row == SESSIONS - 2
        assert screen.current() == oldest


async def test_sorting_and_filtering_start_again_from_the_first_page(long_history: Any) -> None:
    app, store = long_history
    async with app.run_test(size=SIZE) as pilot:
        screen, table = await open_history(pilot)
        await pilot.press("o")  # newest first -> oldest first
        await pilot.pause()
        assert not screen.descending
        assert (
            table_keys(table) == [r.id for r in store.sessions(descending=False)][: table.row_count]
        )
        assert table.row_count < SESSIONS
        assert screen.records[0].started_at.day == 1

        # A click on a header sorts by that column, lowest first; a second click flips it.
        before = [k for k, _, _ in COLUMNS].index("wpm")
        x = sum(width + 2 for _, _, width in COLUMNS[:before]) + 1  # cells are padded by 1
        for descending in (False, True):
            await pilot.click("#sessions", offset=(x, 0))
            await pilot.pause()
            assert (screen.order_by, screen.descending) == ("wpm", descending)
            by_wpm = store.sessions(order_by="wpm", descending=descending)
            assert table_keys(table) == [r.id for r in by_wpm][: table.row_count]

        await pilot.press("slash", *"nothing-said-like-this", "enter")
        await pilot.pause()
        assert table.row_count == 0 and screen.current() is None
        assert "0 sessions" in str(screen.sub_title)
        await pilot.press("ctrl+end", "enter", "p")  # nothing to fetch, open or play
        await pilot.pause()
        assert app.screen is screen


class _Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedTable[str](id="paged", cursor_type="row", page_size=5, margin=1)


def _row(item: str) -> tuple[str, tuple[str]]:
    return item, (item,)


async def test_paged_table_fetches_pages_skips_rows_it_holds_and_stops_at_the_end() -> None:
    items = [f"s{n}" for n in range(12)]
    asked: list[tuple[int, int | None]] = []

    def fetch(offset: int, limit: int | None) -> list[str]:
        asked.append((offset, limit))
        return items[offset : None if limit is None else offset + limit]

    app = _Tables()
    async with app.run_test(size=(40, 4)) as pilot:  # two rows visible: no fetch on its own
        table: PagedTable[str] = app.query_one(PagedTable)
        table.add_column("item", key="item", width=6)
        table.show(len(items), fetch, _row)
        await pilot.pause()
        assert asked == [(0, 5)] and table.items == items[:5] and not table.complete
        items.insert(0, "new")  # the list changed: s4 is now at position 5
        assert table.fetch_more() == 4  # s4 is held already and is not shown twice
        assert table.items == ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"]
        assert table.fetch_all() == 3 and table.complete
        assert table.fetch_more() == 0 and asked[-1] == (10, None)
        table.show(3, fetch, _row, at_least=7)  # a cursor far down keeps its row
        assert table.row_count == 7 and asked[-1] == (0, 7)
        table.show(0, fetch, _row)
        assert table.row_count == 0 and table.complete and asked[-1] == (0, 7)


async def test_paged_table_fetches_when_the_cursor_nears_the_end() -> None:
    items = [f"s{n}" for n in range(30)]

    def fetch(offset: int, limit: int | None) -> list[str]:
        return items[offset : None if limit is None else offset + limit]

    app = _Tables()
    async with app.run_test(size=(40, 4)) as pilot:
        table: PagedTable[str] = app.query_one(PagedTable)
        table.add_column("item", key="item", width=6)
        table.show(len(items), fetch, _row)
        table.focus()
        await pilot.pause()
        assert table.row_count == 5
        await pilot.press("down", "down", "down")  # row 3 of 5: within the margin of 1
        await pilot.pause()
        assert table.row_count == 10
        assert [str(key.value) for key in table.rows] == items[:10]
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count == 30 and table.cursor_row == 29
