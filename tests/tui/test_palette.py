"""The command palette is built from the bindings: every screen's actions, by name, run from it.

`VoiceMockApp.get_system_commands` yields a command for each active binding
of the screen and of the app that has a description, then the app actions
that have no key on every screen, then Textual's own (theme, keys, quit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.command import Command, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.app import SIZE, RecordingPlayer, build_app, save_session, services_for
from voice_mock.tui.app import VoiceMockApp
from voice_mock.tui.commands import APP_ACTIONS
from voice_mock.tui.screens.confirm import PromptScreen
from voice_mock.tui.screens.history import HistoryScreen
from voice_mock.tui.screens.home import HomeScreen
from voice_mock.tui.screens.review import ReviewScreen
from voice_mock.tui.screens.settings import SettingsScreen

pytestmark = pytest.mark.tui

TEXTUAL_COMMANDS = ("Theme", "Keys", "Quit")


def titles(app: VoiceMockApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


def described(screen: Any) -> list[str]:
    """The descriptions of a screen's own bindings, as its BINDINGS declare them."""
    return [
        binding.description
        for binding in Binding.make_bindings(type(screen).BINDINGS)
        if binding.description
    ]


async def search(pilot: Pilot[Any], query: str) -> list[str]:
    """Open the palette, type `query` and return the titles it found, best first."""
    app = pilot.app
    await pilot.press("ctrl+p")
    for _ in range(100):
        if isinstance(app.screen, CommandPalette):
            break
        await pilot.pause(0.02)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*query)
    results = palette.query_one(CommandList)
    found: list[str] = []
    for _ in range(100):  # the search runs in the palette's workers: wait until it settles
        await pilot.pause(0.03)
        options = [results.get_option_at_index(i) for i in range(results.option_count)]
        now = [str(option.hit.text) for option in options if isinstance(option, Command)]
        if now and now == found:
            break
        found = now
    return found


async def run_first(pilot: Pilot[Any], query: str, expected: str) -> None:
    """Search for `query`, check that `expected` is the best hit, and run it with enter."""
    found = await search(pilot, query)
    assert found and found[0] == expected, found
    await pilot.press("enter")
    for _ in range(100):
        if not isinstance(pilot.app.screen, CommandPalette):
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def test_review_actions_are_in_the_palette_and_run_from_it() -> None:
    player = RecordingPlayer()
    app, library, store = build_app(services_for(player=player))
    record = save_session(store, library)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await app.push_screen(ReviewScreen(record.id))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        shown = titles(app)
        for title in described(screen):
            assert title in shown, f"{title!r} is bound on Review but not in the palette"
        for title in ("History", "Home", "Practise a random question", *TEXTUAL_COMMANDS):
            assert title in shown

        await run_first(pilot, "play", "Play")
        await app.workers.wait_for_complete()
        assert app.screen is screen
        assert player.played, "the palette's Play did not play the recording"

        await run_first(pilot, "re-analyse", "Re-analyse")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(n.message == ReviewScreen.ANALYSED_AGAIN for n in app._notifications)


async def test_history_export_runs_from_the_palette(tmp_path: Path) -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        shown = titles(app)
        for title in described(screen):
            assert title in shown, f"{title!r} is bound on History but not in the palette"
        exports = [
            binding.description
            for binding in Binding.make_bindings(HistoryScreen.BINDINGS)
            if binding.action.startswith("export")
        ]
        assert exports
        found = await search(pilot, "export")
        assert set(exports) <= set(found), found
        await pilot.press("escape")
        await pilot.pause()
        export_to = next(
            b for b in Binding.make_bindings(HistoryScreen.BINDINGS) if b.action == "export_to"
        )
        await run_first(pilot, export_to.description, export_to.description)
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)  # what the key does: ask where to
        target = tmp_path / "answer.md"
        prompt.query_one(Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert record.question_text and record.question_text in target.read_text()


async def test_main_actions_are_found_from_home() -> None:
    app, _, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        shown = titles(app)
        assert len(shown) == len(set(shown)), "a title is offered twice"
        for title in described(screen):
            assert title in shown
        for action in APP_ACTIONS:
            assert action.title in shown
        for title in ("Help", *TEXTUAL_COMMANDS):
            assert title in shown
        # Textual's focus and copy keys are not actions to look up by name.
        assert "Focus Next" not in shown and "palette" not in shown

        assert (await search(pilot, "download"))[0] == "Download speech model"
        await pilot.press("escape")
        await run_first(pilot, "settings", "Settings")
        assert isinstance(app.screen, SettingsScreen)


async def test_the_palette_runs_the_screens_own_version_of_an_app_action() -> None:
    """Home binds its own "Mock interview" (marked questions first); the palette offers that."""
    app, _, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "N questions" in commands["Mock interview"].help
        assert commands["Mock interview"].help.endswith("key m")
        await pilot.press("h")
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        mock = next(a for a in APP_ACTIONS if a.action == "mock")
        assert commands["Mock interview"].help == mock.help
