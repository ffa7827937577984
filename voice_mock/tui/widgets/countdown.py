"""A one-line countdown: the silence stop coming ("stopping in 3 … speak to continue"), or
the thinking time before the recording starts.

Hidden at 0, so the practice screen only shows it while it counts. The turn
sends whole seconds (`TurnListener.on_countdown` and `on_thinking`); this widget
only words them.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

CountdownKind = Literal["stop", "thinking"]


class Countdown(Widget):
    """Shows `seconds` of the countdown of `kind`; hidden while `seconds` is 0."""

    DEFAULT_CSS = """
    Countdown { height: 1; display: none; }
    Countdown.-counting { display: block; }
    """

    seconds: reactive[int] = reactive(0)
    kind: reactive[CountdownKind] = reactive[CountdownKind]("stop")

    def watch_seconds(self, seconds: int) -> None:
        self.set_class(seconds > 0, "-counting")

    def render(self) -> Text:
        if self.seconds <= 0:
            return Text("")
        if self.kind == "thinking":
            text = Text("Thinking time: recording starts in ", "bold")
            text.append(f"{self.seconds} s", "bold cyan")
            text.append("   (space starts now)", "dim")
            return text
        dots = " … ".join(str(n) for n in range(self.seconds, 0, -1))
        text = Text("Stopping in ", "bold yellow")
        text.append(dots, "bold yellow")
        text.append(" … speak to continue", "yellow")
        return text
