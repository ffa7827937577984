"""A one-line title bar: the app, the screen and its sub-title (History shows its counts there).

Textual's own `Header` schedules its title update as a coroutine on the
watched app or screen; when a screen is dismissed quickly that coroutine can
run after the header's children are gone and raise ``NoMatches``. This bar
updates synchronously, so switching screens fast is always safe.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TitleBar(Static):
    """``voice-mock · Screen — sub-title``, docked at the top."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.screen, "title", self.show_title)
        self.watch(self.screen, "sub_title", self.show_title)

    def show_title(self) -> None:
        screen = self.screen
        text = Text("voice-mock", "bold")
        if screen.title:
            text.append(f" · {screen.title}", "bold")
        if screen.sub_title:
            text.append(f" — {screen.sub_title}", "dim")
        self.update(text)
