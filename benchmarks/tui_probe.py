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
from typing import Any

SIZE = (140, 45)
TIMEOUT_S = 60.0


async def _open_history(root: Path) -> tuple[float, int]:
    from textual.widgets import DataTable

    from voice_mock.bank import load_library
    from voice_mock.config import Settings
    from voice_mock.store import Store
    from voice_mock.tui.app import make_app
    from voice_mock.tui.screens.history import HistoryScreen
    from voice_mock.tui.services import Services

    store = Store(root)
    expected = store.count()
    services = Services(find_model=lambda settings: None, list_devices=list)
    app: Any = make_app(Settings(), load_library(), store, services=services, model_path=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            began = time.perf_counter()
            app.action_history()
            deadline = began + TIMEOUT_S
            while time.perf_counter() < deadline:
                screen = app.screen
                if isinstance(screen, HistoryScreen) and screen.is_mounted:
                    table = screen.query_one("#sessions", DataTable)
                    if table.row_count >= expected:
                        break
                await asyncio.sleep(0.001)
            else:
                raise TimeoutError("the history screen did not fill its table in time")
            elapsed = time.perf_counter() - began
            return elapsed, int(table.row_count)
    finally:
        store.close()


def open_history(root: Path) -> tuple[float, int]:
    """Seconds from asking for the history screen until its table holds every session."""
    return asyncio.run(_open_history(root))
