"""The command palette (ctrl+p): the main actions by name, so no key needs remembering."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from voice_mock.tui.app import VoiceMockApp


def actions(app: VoiceMockApp) -> list[tuple[str, str, Callable[[], object]]]:
    """(name, help, callback) of every palette entry."""
    return [
        ("Practise a random question", "Ask one question and record the answer", app.action_random),
        ("Mock interview", "Three random questions in a row, then a summary", app.action_mock),
        ("History", "Saved answers, progress charts, exports", app.action_history),
        ("Settings", "Devices, voice, thresholds, data folder", app.action_settings),
        ("Download speech model", "Fetch the default Vosk model", app.action_download_model),
        ("Toggle phone mode", "Phone-line sound and phone advice", app.action_toggle_phone),
        ("Home", "Back to the question list", app.action_home),
        ("Help", "Every key on this screen", app.action_help),
    ]


class VoiceMockCommands(Provider):
    """Offers the app's main actions in the command palette."""

    def _entries(self) -> list[tuple[str, str, Callable[[], object]]]:
        from voice_mock.tui.app import VoiceMockApp

        app = self.app
        assert isinstance(app, VoiceMockApp)
        return actions(app)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._entries():
            yield DiscoveryHit(name, partial(callback), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(callback), help=help_text)
