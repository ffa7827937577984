"""A mock interview's saved scorecard: each question's measures, the whole, the weakest habits.

Opened at the end of a mock interview and again from History on any later day:
everything shown is rebuilt from the saved unit and its answers
(`Coach.scorecard`), so it is the same tomorrow as tonight. Each question's
row shows its answer's length, pace, fillers, key points, STAR parts and
verdict, and its follow-up (if the interviewer asked one) on the row under
it. ``enter`` opens the highlighted answer's review, ``w`` exports the whole
interview as one Markdown or JSON document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.coach.mock import Scorecard, Scored, habit_sentences
from voice_mock.errors import UserError
from voice_mock.render.numbers import clock, number, percent, shorten, when, whole
from voice_mock.render.safe import visible
from voice_mock.tui.screens.base import AppScreen
from voice_mock.tui.screens.confirm import ConfirmScreen, PromptScreen
from voice_mock.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from voice_mock.tui.screens.practice import MockAnswer

QUESTION_WIDTH = 28
VERDICT_WIDTH = 24
"""The verdict wraps onto a second line rather than running off a 100-column screen."""
COLUMNS: tuple[tuple[str, int | None], ...] = (
    ("#", 2),
    ("Question", QUESTION_WIDTH),
    ("Length", None),
    ("WPM", None),
    ("Fill/min", None),
    ("Cover", None),
    ("STAR", 7),
    ("Verdict", VERDICT_WIDTH),
)


@dataclass(frozen=True, slots=True)
class Graded:
    """One answered question with its report (None when skipped or not transcribed)."""

    answer: MockAnswer
    report: SavedReport | None


def habit_lines(graded: Sequence[Graded], thresholds: Thresholds) -> list[str]:
    """The weakest habits as sentences, worst first (the ranking is the analysis')."""
    reports = [g.report for g in graded if g.report is not None]
    skipped = sum(1 for g in graded if g.answer.skipped)
    return habit_sentences(reports, thresholds, skipped=skipped)


class MockSummaryScreen(AppScreen):
    """The scorecard of the saved mock interview `mock_id`."""

    TITLE = "Mock interview scorecard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Review answer", tooltip="Open the highlighted answer"),
        Binding(
            "w",
            "export",
            "Export…",
            tooltip="The scorecard and every answer in one document (.md or .json)",
        ),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, mock_id: str) -> None:
        super().__init__()
        self.mock_id = mock_id
        self.card: Scorecard | None = None
        self.rows: list[str | None] = []
        """The session each table row stands for (None: a question never answered)."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="summary-overall")
        yield DataTable(id="summary-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="summary-habits")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        table.focus()

    def show(self) -> None:
        """Build the scorecard from the store and fill the screen with it."""
        try:
            card = self.coach.scorecard(self.mock_id)
        except UserError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.card = card
        table = self.query_one(DataTable)
        table.clear()
        self.rows = []

        def add(label: str, text: str, scored: Scored | None, star: str | None) -> None:
            question = shorten(visible(text), QUESTION_WIDTH)
            if scored is None:
                table.add_row(label, question, "-", "-", "-", "-", "-", "not answered")
                self.rows.append(None)
                return
            r = scored.record
            table.add_row(
                label,
                question,
                clock(r.duration_s),
                whole(r.wpm),
                number(r.fillers_per_min),
                percent(r.coverage_ratio),
                star or "-",
                Text(scored.verdict_line(), overflow="fold"),
                height=None,
            )
            self.rows.append(r.id)

        for item in card.questions:
            add(str(item.item.position), item.item.text, item.answer, item.star)
            if item.follow_up is not None:
                text = item.follow_up.record.question_text or "follow-up"
                add("", f"↳ {text}", item.follow_up, None)
        for scored in card.extra:
            add("", scored.record.question_text or "free answer", scored, None)
        mock, o = card.mock, card.overall
        self.sub_title = f"{mock.title} · {when(mock.started_at)}"
        overall = Text(f"{o.answered} of {o.asked} questions answered", "bold")
        if not mock.finished:
            overall.append(" (left before the end)", "yellow")
        overall.append(
            f" · {o.follow_ups} follow-up{'' if o.follow_ups == 1 else 's'}"
            f" · {clock(o.speaking_s)} speaking"
        )
        if o.analysed:
            score = o.score
            overall.append("\nOverall: ", "bold")
            if score is not None:
                style = "green" if score >= 0.75 else "yellow" if score >= 0.5 else "red"
                overall.append(f"{o.good_measures} of {o.judged_measures} measures good", style)
            overall.append(
                f" · pace {whole(o.wpm)} wpm · fillers {number(o.fillers_per_min)}/min"
                f" · key points {percent(o.coverage_ratio)}"
            )
            if o.star_questions:
                overall.append(f" · STAR complete {o.star_complete} of {o.star_questions}")
        self.query_one("#summary-overall", Static).update(overall)
        habits = Text("Work on first:\n", "bold")
        for line in card.habits:
            habits.append(f" • {line}\n", "")
        self.query_one("#summary-habits", Static).update(habits)

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_index(event.cursor_row)

    def action_open(self) -> None:
        self.open_index(self.query_one(DataTable).cursor_row)

    def open_index(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        session_id = self.rows[index]
        if session_id is None:
            self.notify("Nothing was recorded for that question.", severity="warning")
            return
        from voice_mock.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(session_id))

    def on_screen_resume(self) -> None:
        """Fill the scorecard: on opening (Textual resumes a screen after mounting it), and
        when a review returns, since it may have analysed an answer again."""
        table = self.query_one(DataTable)
        keep = table.cursor_row
        self.show()
        if table.row_count:
            table.move_cursor(row=min(max(keep, 0), table.row_count - 1))

    # --- export -----------------------------------------------------------------------

    def action_export(self) -> None:
        if self.card is None:
            return

        def chosen(path: str | None) -> None:
            if path:
                self.export(Path(path).expanduser())

        default = str(Path.cwd() / f"{self.card.mock.id}.md")
        self.app.push_screen(
            PromptScreen("Export the interview to (a .md or .json file, or a folder):", default),
            chosen,
        )

    def export(self, target: Path, *, overwrite: bool = False) -> None:
        """Write the document; an existing file is replaced only after the user says so."""
        try:
            written = self.coach.export_mock(self.mock_id, target, overwrite=overwrite)
        except UserError as exc:
            if not overwrite and target.exists() and not target.is_dir():

                def answered(yes: bool | None) -> None:
                    if yes:
                        self.export(target, overwrite=True)

                self.app.push_screen(
                    ConfirmScreen(f"{target} already exists. Replace it?", "Replace"), answered
                )
                return
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.notify(f"Exported the interview to {written.path}", title="Export")

    def action_back(self) -> None:
        self.dismiss()
