"""Review one answer: what to work on, measures, key points, STAR, an example answer, attempts.

Opened after a practice turn and from history. The first tab is the coach's
word (`analysis.advice`): the one to three things to work on first with a
drill each, what to change and why, what went well. The transcript marks
fillers, hedges, key points and STAR parts (with a legend), and while the
recording plays, the line being heard is highlighted. Playing, from the start
or from the highlighted line, and re-analysing run in workers; the screen
stays responsive and playback can be stopped at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane
from textual.worker import WorkerState

from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.summary import compare
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.bank import Question
from voice_mock.coach.coach import default_export_name
from voice_mock.errors import UserError
from voice_mock.render.numbers import clock, number, percent, when, whole
from voice_mock.render.safe import visible
from voice_mock.store import SessionRecord
from voice_mock.transcript import Transcript
from voice_mock.tui.screens.base import SessionScreen
from voice_mock.tui.screens.confirm import ConfirmScreen, PromptScreen
from voice_mock.tui.widgets.advice_panel import AdvicePanel
from voice_mock.tui.widgets.checklists import KeyPointList, StarPanel
from voice_mock.tui.widgets.metrics_panel import MetricsPanel
from voice_mock.tui.widgets.title_bar import TitleBar
from voice_mock.tui.widgets.transcript_view import TranscriptLegend, TranscriptView

FOLLOW_EVERY_S = 0.1
"""How often the highlight catches up with the playback (a line lasts a few seconds)."""


def example_text(question: Question | None) -> Text:
    """The question's example answer, to compare with one's own after trying."""
    if question is None:
        return Text("A free answer has no example answer.", "italic")
    if not question.example_answer.strip():
        return Text("This question has no example answer in its bank.", "italic")
    low, high = question.target_seconds
    out = Text("One strong answer", "bold")
    out.append(f" (about {low:.0f}-{high:.0f} s spoken). Yours need not sound like it: "
               "look for what it says that yours did not.\n\n", "dim")  # fmt: skip
    out.append(visible(question.example_answer.strip(), multiline=True))
    return out


def tips_text(question: Question | None) -> Text:
    """Why the question is asked, tips and likely follow-ups."""
    if question is None:
        return Text("A free answer: no tips for it.", "italic")
    out = Text()
    if question.why:
        out.append("Why it is asked\n", "bold")
        out.append(visible(question.why, multiline=True) + "\n\n")
    if question.tips:
        out.append("Tips\n", "bold")
        for tip in question.tips:
            out.append(f" • {visible(tip)}\n")
        out.append("\n")
    if question.follow_ups:
        out.append("Likely follow-ups\n", "bold")
        for follow in question.follow_ups:
            out.append(f" • {visible(follow)}\n")
    return out if out.plain else Text("No tips for this question.", "italic")


COMPARED = (
    ("Pace", "wpm", " wpm", 0, 1.0),
    ("Fillers", "fillers_per_min", "/min", 1, 1.0),
    ("Coverage", "coverage_ratio", "%", 0, 100.0),
    ("Length", "duration_s", " s", 0, 1.0),
)


def compare_text(attempts: list[SessionRecord], current: str, thresholds: Thresholds) -> Text:
    """This attempt against the one before it, in plain words (judged by `analysis.summary`)."""
    ids = [a.id for a in attempts]
    if current not in ids or ids.index(current) == 0:
        return Text("This is the first attempt at this question.", "italic")
    now = attempts[ids.index(current)]
    before = attempts[ids.index(current) - 1]
    out = Text(f"Attempt {ids.index(current) + 1} against attempt {ids.index(current)}:\n", "bold")
    for label, key, unit, digits, scale in COMPARED:
        old, new = getattr(before, key), getattr(now, key)
        shown = [None if v is None else round(v * scale, digits or None) for v in (old, new)]
        out.append(f" {label}: {number(shown[0], unit)} → {number(shown[1], unit)}")
        direction = compare(key, old, new, thresholds)
        if direction in ("better", "worse"):
            out.append(f"  {direction}", "green" if direction == "better" else "yellow")
        out.append("\n")
    return out


class ReviewScreen(SessionScreen):
    """One saved answer, everything the coach has to say about it."""

    ANALYSED_AGAIN = "The answer was analysed again."

    TITLE = "Review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "play(False)", "Play", tooltip="Play the recording from the start"),
        Binding("l", "play(True)", "Play from line", tooltip="Play from the highlighted line"),
        Binding("f", "toggle_filter", "Phone line", tooltip="Play it as a phone line would sound"),
        Binding("x", "stop_playback", "Stop", tooltip="Stop playing", show=False),
        Binding("e", "rerecord", "Re-record", tooltip="Answer the same question again"),
        Binding("a", "reanalyse", "Re-analyse", tooltip="Analyse again with current settings"),
        Binding("c", "compare", "Compare", tooltip="Earlier attempts at this question", show=False),
        Binding(
            "w",
            "export",
            "Export…",
            tooltip="This answer with its advice and transcript, as .md or .json, to a path",
        ),
        Binding("escape", "back", "Back"),
    ]

    phone_filter: reactive[bool] = reactive(False)

    clock: Callable[[], float] = staticmethod(time.monotonic)
    """The clock playback is followed by (tests set their own)."""

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.record: SessionRecord | None = None
        self.question: Question | None = None
        self.transcript: Transcript | None = None
        self.report: SavedReport | None = None
        self.played_from: tuple[float, float] | None = None
        """(clock when playback started, where in the recording) while it plays."""
        self._follow: Timer | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="review-title")
        with Horizontal(id="review-main"):
            with Vertical(id="transcript-pane"):
                yield TranscriptView(id="transcript")
                yield TranscriptLegend(id="transcript-legend")
            with TabbedContent(id="review-tabs", initial="tab-coach"):
                with TabPane("Coach", id="tab-coach"), VerticalScroll():
                    yield AdvicePanel(id="advice")
                with TabPane("Measures", id="tab-metrics"), VerticalScroll():
                    yield MetricsPanel(id="metrics")
                with TabPane("Points", id="tab-points"), VerticalScroll():
                    yield KeyPointList(id="keypoints")
                    yield StarPanel(id="star")
                with TabPane("Example", id="tab-example"), VerticalScroll():
                    yield Static("", id="example")
                    yield Static("", id="tips")
                with TabPane("Attempts", id="tab-attempts"):
                    yield Static("", id="compare")
                    yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one(TranscriptView).focus()

    def load(self) -> None:
        """Read the session from the store and fill every panel."""
        app = self.vm
        coach = self.coach
        try:
            record = app.store.get(self.session_id)
            self.transcript = record.load_transcript()
            self.report = coach.saved_report(record)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        self.record = record
        self.question = coach.record_question(record)
        title = Text(visible(record.question_text or "Free answer"), "bold")
        mode = "phone" if record.phone else "in person"
        title.append(f"\n{when(record.started_at)} · {mode} · {record.status}", "dim")
        self.query_one("#review-title", Static).update(title)
        thresholds = app.settings.thresholds
        empty = (
            "Not transcribed yet: press a to transcribe it once a model is available."
            if record.status != "done"
            else "No words were heard in this answer."
        )
        self.query_one(TranscriptView).show(
            self.transcript, self.report, thresholds.long_pause_s, empty=empty
        )
        target = self.question.target_seconds if self.question else None
        report = self.report
        self.query_one(AdvicePanel).show(
            None if report is None else coach.advice(report, self.question)
        )
        self.query_one(MetricsPanel).show(report, thresholds, target)
        hints = {} if report is None else coach.point_hints(report, self.question)
        self.query_one(KeyPointList).show(report, hints)
        is_star = bool(self.question and self.question.star)
        star = self.query_one(StarPanel)
        star.show(report, is_star)
        star.display = is_star or (report is not None and report.star is not None)
        self.query_one("#example", Static).update(example_text(self.question))
        self.query_one("#tips", Static).update(tips_text(self.question))
        self.fill_attempts()

    def fill_attempts(self) -> None:
        table = self.query_one("#attempts", DataTable)
        table.clear(columns=True)
        table.add_columns("#", "When", "Length", "WPM", "Fill/min", "Cover")
        record = self.record
        if record is None or record.qualified_question_id is None:
            self.query_one("#compare", Static).update(
                Text("A free answer has no attempts.", "italic")
            )
            return
        attempts = self.vm.store.attempts(record.qualified_question_id)
        for number_, attempt in enumerate(attempts, start=1):
            marker = "▶" if attempt.id == record.id else " "
            table.add_row(
                f"{marker}{number_}",
                when(attempt.started_at),
                clock(attempt.duration_s),
                whole(attempt.wpm),
                number(attempt.fillers_per_min),
                percent(attempt.coverage_ratio),
                key=attempt.id,
            )
        self.query_one("#compare", Static).update(
            compare_text(attempts, record.id, self.vm.settings.thresholds)
        )

    @on(DataTable.RowSelected, "#attempts")
    def open_attempt(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and key != self.session_id:
            self.app.switch_screen(ReviewScreen(key))

    # --- playback -------------------------------------------------------------------------

    def action_play(self, from_line: bool) -> None:
        start = self.query_one(TranscriptView).selected_start if from_line else 0.0
        if self.start_playback(self.record, start, phone=self.phone_filter):
            how = " through the phone filter" if self.phone_filter else ""
            self.notify(f"Playing from {clock(start)}{how}; x stops.", timeout=3)
            self.follow_from(start)

    def follow_from(self, start_s: float) -> None:
        """Move the transcript's highlight with the playback, from `start_s` on.

        The player plays in a worker and reports nothing while it plays, so the
        position is the time since playback started; the highlight stops when
        the worker does (the end, or x).
        """
        self.played_from = (self.clock(), start_s)
        if self._follow is None:
            self._follow = self.set_interval(FOLLOW_EVERY_S, self.follow_playback)
        else:
            self._follow.resume()
        self.query_one(TranscriptView).follow(start_s)

    def playing(self) -> bool:
        return any(
            worker.group == "playback"
            and worker.node is self
            and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in self.workers
        )

    def follow_playback(self) -> None:
        """One step of following: highlight the line heard now, or stop when playback has."""
        if self.played_from is None:
            return
        if not self.playing():
            self.played_from = None
            if self._follow is not None:
                self._follow.pause()
            return
        began, start_s = self.played_from
        self.query_one(TranscriptView).follow(start_s + self.clock() - began)

    def action_toggle_filter(self) -> None:
        self.phone_filter = not self.phone_filter
        state = "on" if self.phone_filter else "off"
        self.notify(f"Phone-line filter {state} for playback.", timeout=3)

    # --- other actions -------------------------------------------------------------------

    def action_rerecord(self) -> None:
        if self.question is None:
            self.notify("This answer has no question in the loaded banks to ask again.")
            return
        self.stop_player()
        from voice_mock.tui.screens.practice import PracticeScreen

        self.app.switch_screen(PracticeScreen([self.question]))

    def action_reanalyse(self) -> None:
        self.start_reanalysis(self.session_id)

    def show_reanalysed(self) -> None:
        self.load()

    def action_compare(self) -> None:
        self.query_one(TabbedContent).active = "tab-attempts"
        self.query_one("#attempts", DataTable).focus()

    # --- export -----------------------------------------------------------------------------

    def action_export(self) -> None:
        """Ask where to export this answer (default: the current folder), then write it."""
        record = self.record
        if record is None:
            return

        def chosen(path: str | None) -> None:
            if path:
                self.export_to(Path(path).expanduser())

        default = str(Path.cwd() / default_export_name([record]))
        self.app.push_screen(
            PromptScreen("Export to (a .md or .json file, or a folder):", default), chosen
        )

    def export_to(self, target: Path, *, overwrite: bool = False) -> None:
        """Write the export; an existing file is replaced only after the user says so."""
        record = self.record
        if record is None:
            return
        try:
            written = self.coach.export([record], target, overwrite=overwrite)
        except UserError as exc:
            if not overwrite and target.exists() and not target.is_dir():

                def answered(yes: bool | None) -> None:
                    if yes:
                        self.export_to(target, overwrite=True)

                self.app.push_screen(
                    ConfirmScreen(f"{target} already exists. Replace it?", "Replace"), answered
                )
                return
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.notify(f"Exported to {written.path}", title="Export")

    def action_back(self) -> None:
        self.stop_player()
        self.dismiss()

    def on_unmount(self) -> None:
        self.stop_player()
