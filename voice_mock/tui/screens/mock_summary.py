"""After a mock interview: each question's measures, the overall picture, the weakest habits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.summary import weakest_habits
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.errors import UserError
from voice_mock.render.numbers import clock, number, percent, shorten, whole
from voice_mock.render.safe import visible
from voice_mock.tui.screens.base import AppScreen
from voice_mock.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from voice_mock.tui.screens.practice import MockAnswer


@dataclass(frozen=True, slots=True)
class Graded:
    """One answered question with its report (None when skipped or not transcribed)."""

    answer: MockAnswer
    report: SavedReport | None


def habit_lines(graded: Sequence[Graded], thresholds: Thresholds) -> list[str]:
    """The weakest habits as sentences, worst first (the ranking is the analysis')."""
    reports = [g.report for g in graded if g.report is not None]
    if not reports:
        return ["No answer was analysed, so there is nothing to judge yet."]
    skipped = sum(1 for g in graded if g.answer.skipped)
    habits = weakest_habits(reports, thresholds, skipped=skipped)
    if not habits:
        return ["No weak habit stood out: pace, fillers, pauses and key points all look good."]
    return [habit.text for habit in habits]


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
        coach = self.coach
        for answer in self.answers:
            report = None
            if answer.session_id is not None:
                try:
                    report = coach.saved_report(coach.store.get(answer.session_id))
                except UserError:
                    report = None
            self.graded.append(Graded(answer, report))
        t = coach.settings.thresholds
        table = self.query_one(DataTable)
        table.add_columns("#", "Question", "Length", "WPM", "Fill/min", "Cover", "Verdict")
        for index, item in enumerate(self.graded, start=1):
            report = item.report
            q = item.answer.question
            if report is None:
                verdict = "skipped" if item.answer.skipped else "not analysed"
            else:
                verdicts = report.verdicts(t, q.target_seconds)
                bad = [
                    verdicts[key].text
                    for key in ("length", "pace", "fillers")
                    if key in verdicts and not verdicts[key].ok
                ]
                verdict = ", ".join(bad) if bad else "good"
            table.add_row(
                str(index),
                shorten(visible(q.text), 40),
                clock(report.speaking_s if report else None),
                whole(report.wpm if report else None),
                number(report.fillers.per_minute if report else None),
                percent(report.coverage.ratio if report else None),
                verdict,
                key=str(index - 1),
            )
        done = [g.report for g in self.graded if g.report is not None]
        overall = Text(f"{len(self.graded)} questions, {len(done)} analysed", "bold")
        if done:

            def mean(values: list[float | None]) -> float | None:
                known = [v for v in values if v is not None]
                return sum(known) / len(known) if known else None

            overall.append(
                f" · pace {whole(mean([r.wpm for r in done]))} wpm"
                f" · fillers {number(mean([r.fillers.per_minute for r in done]))}/min"
                f" · key points {percent(mean([r.coverage.ratio for r in done]))}"
            )
        self.query_one("#summary-overall", Static).update(overall)
        habits = Text("Work on first:\n", "bold")
        for line in habit_lines(self.graded, t):
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
