"""The ``?`` screen: every key of the screen underneath and of the app, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

ABOUT = (
    "voice-mock speaks a question, records your answer, transcribes it on this machine "
    "and shows pace, fillers, pauses and key points. Nothing leaves the machine."
)


def _rows(app: App[object], bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(key as the footer shows it, what it does and the tooltip's detail)."""
    rows = []
    for item in bindings:
        for binding in Binding.make_bindings([item]):
            text = binding.description
            if binding.tooltip:
                text += f" — {binding.tooltip}"
            rows.append((app.get_key_display(binding), text))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys of `screen` (the one it was opened from) and the app-wide keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help")
    ]

    def __init__(self, screen: Screen[object] | None = None) -> None:
        super().__init__()
        self.under = screen

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, expand=True)
        table.add_column("key", style="bold cyan", no_wrap=True)
        table.add_column("does")
        if self.under is not None:
            name = getattr(self.under, "TITLE", None) or type(self.under).__name__
            table.add_row(f"[bold]{name}[/]", "")
            for key, description in _rows(self.app, list(self.under.BINDINGS)):
                table.add_row(key, description)
            table.add_row("", "")
        table.add_row("[bold]Everywhere[/]", "")
        for key, description in _rows(self.app, list(self.app.BINDINGS)):
            table.add_row(key, description)
        table.add_row(
            "ctrl+p", "Command palette: every action of this screen and of the app, by name"
        )
        with Vertical(classes="dialog help-dialog"):
            yield Label("Keys", classes="dialog-title")
            yield Static(ABOUT, classes="help-about")
            with VerticalScroll():
                yield Static(table, id="help-table")
