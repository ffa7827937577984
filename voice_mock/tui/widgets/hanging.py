"""A marked item with a hanging indent ("1. text that wraps / under itself"), cheaply.

Rich's `Table.grid` does the same layout but measures every cell each time the
widget is laid out, and a review tab with twenty items was laid out several
times on opening; wrapping the text once per width is a fraction of that.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.text import Text


class Hanging:
    """`mark` then `body`, the body's wrapped lines indented under its first."""

    def __init__(self, mark: Text, body: Text) -> None:
        self.mark = mark
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.mark.cell_len + 1
        room = max(1, options.max_width - indent)
        lines = self.body.wrap(console, room)
        pad = Segment(" " * indent)
        for number, line in enumerate(lines):
            if number == 0:
                yield from self.mark.render(console)
                yield Segment(" ")
            else:
                yield pad
            yield from line.render(console)
            yield Segment.line()


def hanging_items(rows: Iterable[tuple[Text, Text]]) -> list[Hanging]:
    """Several marked items, one `Hanging` each."""
    return [Hanging(mark, body) for mark, body in rows]
