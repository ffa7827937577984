"""Key-point checklist (with when and how each was made) and the STAR structure panel.

A missed key point shows how it could sound (the bank's example, else its
cues) and a missing STAR part a sentence starter, from `analysis.advice`.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.text import Text
from textual.widgets import Static

from voice_mock.analysis.advice import star_hint
from voice_mock.analysis.saved import SavedReport
from voice_mock.render.numbers import clock, percent
from voice_mock.render.safe import visible
from voice_mock.render.text import NO_STORY
from voice_mock.tui.widgets.hanging import hanging_items

HOW = {"phrase": "", "meaning": ", by meaning", "story": ", by the story"}


def _grid(rows: list[tuple[Text, Text]]) -> Group:
    """Marked rows with a hanging indent: ✓/✗ in a column of its own."""
    return Group(*hanging_items(rows))


def keypoint_text(
    report: SavedReport | None, hints: Mapping[str, str] | None = None
) -> RenderableType:
    """✓ covered points with their time and the words that made them, ✗ missed ones with
    a hint of how they could be made (`hints`, by point id)."""
    coverage = report.coverage if report is not None else None
    if coverage is None or (not coverage.covered and not coverage.missed):
        return Text("This question has no key points to check.", "italic")
    parts: list[RenderableType] = []
    if coverage.reads_as_list:
        parts.append(Text("The answer reads as a list of words, not sentences: it makes no "
                          "point.\n", "bold yellow"))  # fmt: skip
    elif coverage.no_story:
        parts.append(Text(NO_STORY + "\n", "bold yellow"))
    rows: list[tuple[Text, Text]] = []
    for point in coverage.covered:
        body = Text(visible(point.label))
        body.append(f"  at {clock(point.at_s)}", "dim")
        if point.evidence:
            how = HOW.get(point.how, "")
            body.append(f' ("{visible(point.evidence)}"{how})', "dim")
        rows.append((Text("✓", "bold green"), body))
    for missed in coverage.missed:
        body = Text(visible(missed.label))
        body.append("  missed", "yellow")
        hint = (hints or {}).get(missed.id)
        if hint:
            body.append(f"\n{visible(hint)}", "italic")
        rows.append((Text("✗", "bold red"), body))
    parts.append(_grid(rows))
    return Group(*parts)


def star_text(report: SavedReport | None, is_star: bool) -> RenderableType:
    """Which STAR parts were heard, in order, with the words that showed each; a missing
    part with a sentence starter for it."""
    star = report.star if report is not None else None
    if star is None:
        if is_star:
            return Text("No STAR analysis in this report.", "italic")
        return Text("Not a behavioural question: STAR does not apply.", "italic")
    rows: list[tuple[Text, Text]] = []
    for part in star.parts:
        body = Text(part.name.capitalize(), "bold")
        if part.present and part.at_s is not None:
            body.append(f"  at {clock(part.at_s)}", "dim")
        if part.present and part.share is not None:
            body.append(f", {percent(part.share)} of the answer", "dim")
        if part.present and part.evidence:
            body.append(f'  "{visible(part.evidence)}"', "italic")
        if not part.present:
            body.append("  not heard", "yellow")
            hint = star_hint(part.name)
            if hint:
                body.append(f"\n{hint[0].upper()}{hint[1:]}", "italic")
        mark = Text("✓", "bold green") if part.present else Text("✗", "bold red")
        rows.append((mark, body))
    parts: list[RenderableType] = [Text("STAR structure", "bold"), _grid(rows)]
    verdict = report.given("star") if report is not None else None
    if verdict is not None:
        parts.append(
            Text(f"Structure: {visible(verdict.text)}", "green" if verdict.ok else "yellow")
        )
    return Group(*parts)


class KeyPointList(Static):
    """The key-point checklist for one answer."""

    def show(self, report: SavedReport | None, hints: Mapping[str, str] | None = None) -> None:
        self.update(keypoint_text(report, hints))


class StarPanel(Static):
    """STAR parts for a behavioural answer."""

    def show(self, report: SavedReport | None, is_star: bool) -> None:
        self.update(star_text(report, is_star))
