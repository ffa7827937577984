"""Drive the Textual app headless (``run_test``) to time its history screen.

The app is built with `make_app` around a `Coach` as the CLI builds it, over
the given store, with services that find no model, no microphone and no
meaning model: the app's background start-up work (loading Vosk, probing
PortAudio) would otherwise compete with the screen being timed, and is
measured by figure 4 instead.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, NamedTuple

SIZE = (140, 45)
TIMEOUT_S = 60.0


class HistoryTimes(NamedTuple):
    shown_s: float
    """Until the table holds the rows the screen puts in before its first draw (a page)."""
    last_s: float
    """From ctrl+end until the cursor is on the last session (the rest fetched) and the
    app is idle again: the dearest move in a long history."""
    rows: int
    """Rows in the table when it was first shown."""


async def _open_history(root: Path) -> HistoryTimes:
    from voice_mock.bank import load_library
    from voice_mock.coach import Coach, Services
    from voice_mock.config import Settings
    from voice_mock.errors import UserError
    from voice_mock.store import Store
    from voice_mock.tui.app import make_app
    from voice_mock.tui.screens.history import PAGE_ROWS, HistoryScreen
    from voice_mock.tui.widgets.paged_table import PagedTable

    def no_input(settings: Settings) -> Any:
        raise UserError("No microphone while timing the history screen.")

    store = Store(root)
    expected = store.count()
    first_page = min(expected, PAGE_ROWS)
    services = Services(
        find_model=lambda settings: None,
        list_devices=list,
        input_device=no_input,
        embedder=lambda: None,
    )
    app: Any = make_app(Coach(Settings(), load_library(), store, services, None))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            began = time.perf_counter()
            app.action_history()
            deadline = began + TIMEOUT_S
            while time.perf_counter() < deadline:
                screen = app.screen
                if isinstance(screen, HistoryScreen) and screen.is_mounted:
                    table = screen.query_one("#sessions", PagedTable)
                    if table.row_count >= first_page:
                        break
                await asyncio.sleep(0.001)
            else:
                raise TimeoutError("the history screen did not show its first rows in time")
            shown_s = time.perf_counter() - began
            rows = int(table.row_count)
            await pilot.pause()
            began = time.perf_counter()
            await pilot.press("ctrl+end")
            while table.cursor_row < expected - 1:
                if time.perf_counter() > began + TIMEOUT_S:
                    raise TimeoutError("ctrl+end did not reach the last session in time")
                await asyncio.sleep(0.001)
            await pilot.pause()
            return HistoryTimes(shown_s, time.perf_counter() - began, rows)
    finally:
        store.close()


def open_history(root: Path) -> HistoryTimes:
    """Time asking for the history screen until its first rows are in, and ctrl+end."""
    return asyncio.run(_open_history(root))
