"""After a mock interview: each question's measures, the overall picture, the weakest habits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from voice_mock.analysis.coverage import coverage_verdict
from voice_mock.analysis.fillers import fillers_verdict
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.timing import pace_verdict
from voice_mock.errors import UserError
from voice_mock.tui import formatting as f
from voice_mock.tui.screens.base import AppScreen
from voice_mock.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from voice_mock.tui.screens.practice import MockAnswer


@dataclass(frozen=True, slots=True)
class Graded:
    """One answered question with its report (None when skipped or not transcribed)."""

    answer: MockAnswer
    report: dict[str, Any] | None


def weakest_habits(graded: Sequence[Graded], t: Thresholds) -> list[str]:
    """The habits to work on first, worst first, each as one plain sentence.

    Whether an average is a habit to fix is the analysis' verdict on it (with
    the user's thresholds); the ranking only orders those that are.
    """
    reports = [g.report for g in graded if g.report]
    if not reports:
        return ["No answer was analysed, so there is nothing to judge yet."]
    habits: list[tuple[float, str]] = []
    per_min = [v for r in reports if (v := f.num(r, "fillers", "per_minute")) is not None]
    words: Counter[str] = Counter()
    for report in reports:
        for word, count in f.section(f.section(report, "fillers"), "counts").items():
            words[word] += int(count)
    if per_min and fillers_verdict(avg := sum(per_min) / len(per_min), t) != "good":
        top = ", ".join(f'"{w}"' for w, _ in words.most_common(3))
        habits.append(
            (avg / t.fillers_fluent_per_min, f"Filler words: {avg:.1f} a minute (mostly {top}).")
        )
    paces = [v for r in reports if (v := f.num(r, "wpm")) is not None and v > 0]
    if paces:
        avg = sum(paces) / len(paces)
        verdict = pace_verdict(avg, t)
        if verdict in ("too slow", "a little slow"):
            habits.append(
                (
                    t.wpm_target_low / avg,
                    f"Pace: {avg:.0f} wpm is slow; aim for "
                    f"{t.wpm_target_low:.0f}-{t.wpm_target_high:.0f}.",
                )
            )
        elif verdict in ("a little fast", "too fast"):
            habits.append(
                (
                    avg / t.wpm_target_high,
                    f"Pace: {avg:.0f} wpm is rushed; aim for "
                    f"{t.wpm_target_low:.0f}-{t.wpm_target_high:.0f}.",
                )
            )
    long_pauses = sum(int(f.num(r, "pauses", "long_count") or 0) for r in reports)
    if long_pauses:
        habits.append((1 + long_pauses / len(reports), f"Long pauses: {long_pauses} in all."))
    ratios = [v for r in reports if (v := f.num(r, "coverage", "ratio")) is not None]
    if ratios and coverage_verdict(avg := sum(ratios) / len(ratios), t) != "good":
        habits.append((2 - avg, f"Key points: only {avg * 100:.0f}% covered on average."))
    skipped = sum(1 for g in graded if g.answer.skipped)
    if skipped:
        habits.append((1.0, f"Skipped questions: {skipped}."))
    if not habits:
        return ["No weak habit stood out: pace, fillers, pauses and key points all look good."]
    return [text for _, text in sorted(habits, key=lambda h: -h[0])]


class MockSummaryScreen(AppScreen):
    """Per question and overall results of a mock interview."""

    TITLE = "Mock interview summary"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Review answer", tooltip="Open the highlighted answer"),
        Binding("escape", "back", "Home"),
    ]

    def __init__(self, answers: Sequence[MockAnswer]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.graded: list[Graded] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="summary-overall")
        yield DataTable(id="summary-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="summary-habits")
        yield Footer()

    def on_mount(self) -> None:
        store = self.vm.store
        for answer in self.answers:
            report = None
            if answer.session_id is not None:
                try:
                    report = store.get(answer.session_id).load_report()
                except UserError:
                    report = None
            self.graded.append(Graded(answer, report))
        t = self.vm.settings.thresholds
        table = self.query_one(DataTable)
        table.add_columns("#", "Question", "Length", "WPM", "Fill/min", "Cover", "Verdict")
        for index, item in enumerate(self.graded, start=1):
            report = item.report
            q = item.answer.question
            speaking = f.num(report, "speaking_s")
            wpm = f.num(report, "wpm")
            fillers = f.num(report, "fillers", "per_minute")
            ratio = f.num(report, "coverage", "ratio")
            if report is None:
                verdict = "skipped" if item.answer.skipped else "not analysed"
            else:
                verdicts = f.report_verdicts(report, t, q.target_seconds)
                parts = [verdicts.get(key, "-") for key in ("length", "pace", "fillers")]
                bad = [p for p in parts if not f.is_good(p)]
                verdict = ", ".join(bad) if bad else "good"
            table.add_row(
                str(index),
                q.text if len(q.text) <= 40 else q.text[:39] + "…",
                f.clock(speaking),
                f.number(None if wpm is None else round(wpm)),
                f.number(fillers),
                f.number(None if ratio is None else round(ratio * 100), "%"),
                verdict,
                key=str(index - 1),
            )
        done = [g.report for g in self.graded if g.report]
        overall = Text(f"{len(self.graded)} questions, {len(done)} analysed", "bold")
        if done:

            def mean(*path: str) -> float | None:
                values = [v for r in done if (v := f.num(r, *path)) is not None]
                return sum(values) / len(values) if values else None

            wpm_avg, fill_avg, cover = (
                mean("wpm"),
                mean("fillers", "per_minute"),
                mean("coverage", "ratio"),
            )
            overall.append(
                f" · pace {f.number(None if wpm_avg is None else round(wpm_avg))} wpm"
                f" · fillers {f.number(fill_avg)}/min"
                f" · key points {f.number(None if cover is None else round(cover * 100), '%')}"
            )
        self.query_one("#summary-overall", Static).update(overall)
        habits = Text("Work on first:\n", "bold")
        for line in weakest_habits(self.graded, t):
            habits.append(f" • {line}\n", "")
        self.query_one("#summary-habits", Static).update(habits)
        table.focus()

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_index(int(event.row_key.value or 0))

    def action_open(self) -> None:
        self.open_index(self.query_one(DataTable).cursor_row)

    def open_index(self, index: int) -> None:
        if not 0 <= index < len(self.graded):
            return
        session_id = self.graded[index].answer.session_id
        if session_id is None:
            self.notify("Nothing was recorded for that question.", severity="warning")
            return
        from voice_mock.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(session_id))

    def action_back(self) -> None:
        self.dismiss()
