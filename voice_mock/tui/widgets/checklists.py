"""Key-point checklist (with when each was said) and the STAR structure panel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.widgets import Static

from voice_mock.tui.formatting import clock, section

STAR_PARTS = ("situation", "task", "action", "result")


def keypoint_text(report: Mapping[str, Any] | None) -> Text:
    """✓ covered points with their time and cue, ✗ missed ones."""
    coverage = section(report, "coverage")
    covered = coverage.get("covered") or []
    missed = coverage.get("missed") or []
    if not covered and not missed:
        return Text("This question has no key points to check.", "italic")
    out = Text()
    for point in covered:
        at = point.get("at_s")
        out.append("✓ ", "bold green")
        out.append(str(point.get("label") or point.get("id")))
        stamp = clock(at) if isinstance(at, int | float) else "-:--"
        out.append(f"  at {stamp}", "dim")
        if point.get("cue"):
            out.append(f' ("{point["cue"]}")', "dim")
        out.append("\n")
    for point in missed:
        out.append("✗ ", "bold red")
        out.append(str(point.get("label") or point.get("id")))
        out.append("  missed\n", "yellow")
    return out


def star_text(report: Mapping[str, Any] | None, is_star: bool) -> Text:
    """Which STAR parts were heard, in order, with the phrase that showed each."""
    star = section(report, "star")
    if not star:
        if is_star:
            return Text("No STAR analysis in this report.", "italic")
        return Text("Not a behavioural question: STAR does not apply.", "italic")
    out = Text()
    for part in STAR_PARTS:
        info = section(star, part)
        present = bool(info.get("present"))
        out.append("✓ " if present else "✗ ", "bold green" if present else "bold red")
        out.append(part.capitalize(), "bold")
        at = info.get("at_s")
        if present and isinstance(at, int | float):
            out.append(f"  at {clock(at)}", "dim")
        evidence = info.get("evidence") or info.get("phrase")
        if present and evidence:
            out.append(f'  "{evidence}"', "italic")
        out.append("\n")
    verdict = star.get("verdict")
    if verdict:
        out.append(f"Structure: {verdict}", "green" if verdict == "complete" else "yellow")
    return out


class KeyPointList(Static):
    """The key-point checklist for one answer."""

    def show(self, report: Mapping[str, Any] | None) -> None:
        self.update(keypoint_text(report))


class StarPanel(Static):
    """STAR parts for a behavioural answer."""

    def show(self, report: Mapping[str, Any] | None, is_star: bool) -> None:
        self.update(star_text(report, is_star))
