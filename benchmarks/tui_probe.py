"""Drive the Textual app headless (``run_test``) to time its history screen.

The app is built with `make_app` as the CLI builds it, over the given store,
with services that find no model and no audio devices: the app's background
start-up work (loading Vosk, probing PortAudio) would otherwise compete with
the screen being timed, and is measured by figure 4 instead.
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
    """Until the table holds the rows the screen puts in before its first draw."""
    filled_s: float
    """Until the table holds every saved session (the rest are added after drawing)."""
    rows: int


async def _open_history(root: Path) -> HistoryTimes:
    from textual.widgets import DataTable

    from voice_mock.bank import load_library
    from voice_mock.config import Settings
    from voice_mock.store import Store
    from voice_mock.tui.app import make_app
    from voice_mock.tui.screens.history import FIRST_ROWS, HistoryScreen
    from voice_mock.tui.services import Services

    store = Store(root)
    expected = store.count()
    first_page = min(expected, FIRST_ROWS)
    services = Services(find_model=lambda settings: None, list_devices=list)
    app: Any = make_app(Settings(), load_library(), store, services=services, model_path=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            began = time.perf_counter()
            app.action_history()
            deadline = began + TIMEOUT_S
            shown_s: float | None = None
            while time.perf_counter() < deadline:
                screen = app.screen
                if isinstance(screen, HistoryScreen) and screen.is_mounted:
                    table = screen.query_one("#sessions", DataTable)
                    if shown_s is None and table.row_count >= first_page:
                        shown_s = time.perf_counter() - began
                    if table.row_count >= expected:
                        break
                await asyncio.sleep(0.001)
            else:
                raise TimeoutError("the history screen did not fill its table in time")
            assert shown_s is not None
            return HistoryTimes(shown_s, time.perf_counter() - began, int(table.row_count))
    finally:
        store.close()


def open_history(root: Path) -> HistoryTimes:
    """Time asking for the history screen until its first rows show, and until it holds all."""
    return asyncio.run(_open_history(root))
