"""Small modal dialogs: a yes/no confirmation, a choice between a few actions, a one-line prompt."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


class ConfirmScreen(ModalScreen[bool]):
    """Ask before something that cannot be undone (deleting a session)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button("Cancel (n)", id="no")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ChoiceScreen(ModalScreen[str | None]):
    """Offer a few named actions, each with its own key; Escape picks none (None).

    Used where one stray key would otherwise lose work (leaving a recording):
    the safe action comes first and is focused.
    """

    def __init__(self, question: str, choices: list[tuple[str, str, str]]) -> None:
        """`choices` are (key, result, label) triples, e.g. ("k", "keep", "Keep the take")."""
        super().__init__()
        self.question = question
        self.choices = choices
        self.keys = {key: result for key, result, _ in choices}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                for number, (key, result, label) in enumerate(self.choices):
                    yield Button(
                        f"{label} ({key})",
                        variant="primary" if number == 0 else "default",
                        id=f"choice-{result}",
                    )

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event: events.Key) -> None:
        """Each choice's key picks it; Escape picks none."""
        if event.key == "escape":
            event.stop()
            self.dismiss(None)
        elif event.key in self.keys:
            event.stop()
            self.dismiss(self.keys[event.key])

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-") or None)


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text (an export path); Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-text")
            yield Input(self.value, id="prompt-input")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.dismiss(self.query_one(Input).value.strip() or None)
        else:
            self.dismiss(None)
