"""The coach's word on one answer: the few things to work on first, the advice, what went well.

The advice itself is the core's (`voice_mock.analysis.advice`), the same the
command line prints and the export writes; this panel only lays it out and
colours each item by its level.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from voice_mock.analysis.advice import LABELS, Advised
from voice_mock.analysis.verdicts import Level
from voice_mock.render.safe import visible
from voice_mock.tui.widgets.hanging import hanging_items

LEVEL_MARKS = {
    Level.WORK_ON: ("▲", "bold red"),
    Level.WATCH: ("●", "yellow"),
    Level.GOOD: ("✓", "green"),
    Level.NONE: ("·", "dim"),
}
"""A mark per level, so the level reads without colour too."""


def _items(rows: list[tuple[Text, Text]]) -> Group:
    """Marked items with a hanging indent: the text wraps under itself, not under the mark."""
    return Group(*hanging_items(rows))


def _item(metric: str, text: str, style: str = "") -> Text:
    out = Text(LABELS.get(metric, metric), "bold")
    out.append(f": {visible(text)}", style)
    return out


def advice_text(advice: Advised | None) -> RenderableType:
    """Work on first (numbered, with drills), then what to change and why, then what went
    well (named only: the Measures tab has their numbers, the export their advice)."""
    if advice is None:
        return Text("No advice yet: the answer has not been analysed.", "italic")
    parts: list[RenderableType] = [Text("Work on first", "bold")]
    if advice.focus:
        parts.append(
            _items(
                [
                    (Text(f"{n}.", "bold red"), _item(item.metric, item.text))
                    for n, item in enumerate(advice.focus, start=1)
                ]
            )
        )
    else:
        parts.append(Text("Nothing stands out in this answer: try another question.", "green"))
    change = advice.to_change()
    if change:
        parts += [Text("\nWhat to change and why", "bold")]
        parts.append(
            _items([(Text(*LEVEL_MARKS[a.level]), _item(a.metric, a.text)) for a in change])
        )
    went_well = advice.went_well()
    if went_well:
        names = ", ".join(LABELS.get(a.metric, a.metric) for a in went_well)
        parts.append(_items([(Text(*LEVEL_MARKS[Level.GOOD]), Text(f"Went well: {names}."))]))
    return Group(*parts)


class AdvicePanel(Static):
    """The Coach tab of the review: focus list, advice, what went well."""

    def show(self, advice: Advised | None) -> None:
        self.update(advice_text(advice))
