"""Key-point checklist (with when and how each was made) and the STAR structure panel."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from voice_mock.analysis.saved import SavedReport
from voice_mock.render.numbers import clock, percent
from voice_mock.render.safe import visible
from voice_mock.render.text import NO_STORY


def keypoint_text(report: SavedReport | None) -> Text:
    """✓ covered points with their time and the words that made them, ✗ missed ones."""
    coverage = report.coverage if report is not None else None
    if coverage is None or (not coverage.covered and not coverage.missed):
        return Text("This question has no key points to check.", "italic")
    out = Text()
    if coverage.reads_as_list:
        out.append("The answer reads as a list of words, not sentences: it makes no point.\n\n",
                   "bold yellow")  # fmt: skip
    elif coverage.no_story:
        out.append(NO_STORY + "\n\n", "bold yellow")
    for point in coverage.covered:
        out.append("✓ ", "bold green")
        out.append(visible(point.label))
        out.append(f"  at {clock(point.at_s)}", "dim")
        if point.evidence:
            how = "" if point.how == "phrase" else ", by meaning"
            out.append(f' ("{visible(point.evidence)}"{how})', "dim")
        out.append("\n")
    for missed in coverage.missed:
        out.append("✗ ", "bold red")
        out.append(visible(missed.label))
        out.append("  missed\n", "yellow")
    return out


def star_text(report: SavedReport | None, is_star: bool) -> Text:
    """Which STAR parts were heard, in order, with the words that showed each."""
    star = report.star if report is not None else None
    if star is None:
        if is_star:
            return Text("No STAR analysis in this report.", "italic")
        return Text("Not a behavioural question: STAR does not apply.", "italic")
    out = Text()
    for part in star.parts:
        out.append("✓ " if part.present else "✗ ", "bold green" if part.present else "bold red")
        out.append(part.name.capitalize(), "bold")
        if part.present and part.at_s is not None:
            out.append(f"  at {clock(part.at_s)}", "dim")
        if part.present and part.share is not None:
            out.append(f", {percent(part.share)} of the answer", "dim")
        if part.present and part.evidence:
            out.append(f'  "{visible(part.evidence)}"', "italic")
        out.append("\n")
    verdict = report.given("star") if report is not None else None
    if verdict is not None:
        out.append(f"Structure: {visible(verdict.text)}", "green" if verdict.ok else "yellow")
    return out


class KeyPointList(Static):
    """The key-point checklist for one answer."""

    def show(self, report: SavedReport | None) -> None:
        self.update(keypoint_text(report))


class StarPanel(Static):
    """STAR parts for a behavioural answer."""

    def show(self, report: SavedReport | None, is_star: bool) -> None:
        self.update(star_text(report, is_star))
