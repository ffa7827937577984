"""History: every saved answer in a sortable, filterable table, with progress charts.

From here a session is opened, replayed, re-analysed, exported (Markdown or
JSON, to a path the user chooses, never replacing a file without asking;
one session or every session the filter shows, in one document) or deleted
after a confirmation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Select

from voice_mock.errors import UserError
from voice_mock.render.numbers import clock, number, when
from voice_mock.render.safe import visible
from voice_mock.store import MockRecord, ProgressPoint, SessionRecord
from voice_mock.tui.screens.base import SessionScreen
from voice_mock.tui.screens.confirm import ConfirmScreen, PromptScreen
from voice_mock.tui.widgets.charts import ProgressCharts
from voice_mock.tui.widgets.paged_table import PagedTable
from voice_mock.tui.widgets.title_bar import TitleBar

QUESTION_WIDTH = 26
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("started_at", "When", 14),
    ("question_id", "Question", QUESTION_WIDTH),
    ("duration_s", "Length", 6),
    ("wpm", "WPM", 4),
    ("fillers_per_min", "Fill/min", 8),
    ("coverage_ratio", "Cover", 5),
    ("status", "Status", 15),
)
"""(sort key, header, width): fixed widths, wide enough for every value a cell can hold,
so a column does not change width as more sessions are fetched."""
CHART_DELAY_S = 0.3
"""The charts follow the filter this long after the last key (the table follows at once)."""
PAGE_ROWS = 200
"""Sessions fetched from the store at a time (`PagedTable`): the first page before the
screen is drawn, the next when the cursor or the scroll comes near the end."""


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _row(record: SessionRecord) -> tuple[str, tuple[str, ...]]:
    return record.id, _cells(record)


def _cells(record: SessionRecord) -> tuple[str, ...]:
    """One history row, in `COLUMNS` order, from the index alone."""
    ratio = record.coverage_ratio
    if record.follow_up_of is not None:
        asked = "↳ follow-up: " + (record.question_text or "")
    else:
        asked = record.question_id or "free answer"
    return (
        record.started_at.astimezone().strftime("%y-%m-%d %H:%M"),
        _short(asked, QUESTION_WIDTH),
        clock(record.duration_s),
        number(None if record.wpm is None else round(record.wpm)),
        number(record.fillers_per_min),
        number(None if ratio is None else round(ratio * 100), "%"),
        record.status + (" ☎" if record.phone else ""),
    )


def _mock_row(mock: MockRecord) -> tuple[str, tuple[str, ...]]:
    """One mock interview as a row of the same columns: its answers' totals and means."""
    ratio = mock.coverage_ratio
    asked = len(mock.questions)
    status = "done" if mock.finished else "unfinished"
    status += f" {mock.answers}/{asked}"
    if mock.follow_ups:
        status += f" +{mock.follow_ups}"
    return mock.id, (
        mock.started_at.astimezone().strftime("%y-%m-%d %H:%M"),
        _short(f"{mock.title} · {asked} q" + (" ☎" if mock.phone else ""), QUESTION_WIDTH),
        clock(mock.duration_s),
        number(None if mock.wpm is None else round(mock.wpm)),
        number(mock.fillers_per_min),
        number(None if ratio is None else round(ratio * 100), "%"),
        status,
    )


class HistoryScreen(SessionScreen):
    """All sessions; click a header (or press o) to sort, type to filter."""

    TITLE = "History"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Review the highlighted answer"),
        Binding("p", "play", "Play", tooltip="Play the recording (x stops)"),
        Binding("x", "stop_playback", "Stop playing", show=False),
        Binding("a", "reanalyse", "Re-analyse"),
        Binding("w", "export_to", "Export…", tooltip="Export this answer (.md or .json) to a path"),
        Binding(
            "W",
            "export_shown",
            "Export all shown…",
            tooltip="Every answer the filter shows, in one document",
            show=False,
        ),
        Binding("d", "delete", "Delete", tooltip="Delete the session (asks first)"),
        Binding("o", "cycle_sort", "Sort"),
        Binding("slash", "search", "Filter"),
        Binding(
            "m",
            "toggle_mocks",
            "Mock interviews",
            tooltip="One row per mock interview (enter opens its scorecard); m again lists "
            "every answer",
        ),
        Binding("g", "next_chart", "Chart", tooltip="Next chart: pace, fillers, points, length"),
        Binding(
            "t",
            "chart_question",
            "One question",
            show=False,
            tooltip="Chart the highlighted answer's question only (t again: all shown)",
        ),
        Binding("z", "zoom_chart", "Zoom chart", show=False, tooltip="The chart full screen"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.order_by = "started_at"
        self.descending = True
        self.showing_mocks = False
        """True while the table lists mock interviews, one row each, instead of answers."""
        self.chart_question: tuple[str, str] | None = None
        """(bank/id, question text) when the charts show one question's attempts only."""
        self._chart_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="history-filters"):
            yield Input(placeholder="Filter by question or words said ( / )", id="history-search")
            yield Select(
                [(c.capitalize(), c) for c in self.vm.library.categories()],
                prompt="Category",
                id="history-category",
            )
        table: PagedTable[SessionRecord] = PagedTable(
            id="sessions", cursor_type="row", zebra_stripes=True, page_size=PAGE_ROWS
        )
        yield table
        yield ProgressCharts(id="charts")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        table.focus()

    def on_screen_resume(self) -> None:
        """Fill the table: on opening (Textual resumes a screen after mounting it), and
        when a screen pushed from here (review, confirm) returns and a session may have
        changed. Filling it in `on_mount` as well built 5,000 rows twice on opening."""
        self.refresh_table()

    @property
    def table(self) -> PagedTable[SessionRecord]:
        return self.query_one("#sessions", PagedTable)

    @property
    def records(self) -> list[SessionRecord]:
        """The sessions in the table so far, in its order (more are fetched on scrolling);
        none while it lists mock interviews."""
        return [] if self.showing_mocks else self.table.items

    def refresh_table(self, *, charts: bool = True) -> None:
        """Show the first page of sessions with the current filter and order, and the charts.

        Everything shown comes from the index (`Store.count`, `Store.sessions` a page
        at a time, `Store.progress`): no session file is opened, so the screen
        opens as fast for 5,000 sessions as for 50. The charts follow the filter
        (`refresh_charts`); they are drawn after the table, which is what a user
        looks at first.
        """
        if self.showing_mocks:
            self.refresh_mocks()
            return
        search = self.query_one("#history-search", Input).value.strip() or None
        chosen = self.query_one("#history-category", Select).value
        category = chosen if isinstance(chosen, str) else None
        store, order_by, descending = self.vm.store, self.order_by, self.descending

        def fetch(offset: int, limit: int | None) -> list[SessionRecord]:
            try:
                return store.sessions(
                    search=search,
                    category=category,
                    order_by=order_by,
                    descending=descending,
                    limit=limit,
                    offset=offset,
                )
            except UserError as exc:
                self.notify(str(exc), severity="error")
                return []

        try:
            total = store.count(search=search, category=category)
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        table = self.table
        keep = table.cursor_row
        table.show(total, fetch, _row, at_least=keep + 1)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        arrow = "▼" if self.descending else "▲"
        label = next(label for key, label, _ in COLUMNS if key == self.order_by)
        self.sub_title = f"{total} sessions · sorted by {label} {arrow}"
        if charts:
            self.call_after_refresh(self.refresh_charts)

    # --- charts -------------------------------------------------------------------------

    def refresh_charts(self) -> None:
        """Chart what the filter shows (or one question's attempts, after t), in a worker:
        the charts read every matching finished answer from the index, the table one page."""
        if not self.is_mounted:
            return  # closed before the table was drawn
        search = self.query_one("#history-search", Input).value.strip() or None
        chosen = self.query_one("#history-category", Select).value
        category = chosen if isinstance(chosen, str) else None
        if self.chart_question is not None:
            self.load_charts(None, None, self.chart_question[0])
        else:
            self.load_charts(search, category, None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="charts")
    def load_charts(self, search: str | None, category: str | None, question: str | None) -> None:
        try:
            points = self.coach.progress(search=search, category=category, question_id=question)
        except UserError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        target = self.coach.length_target(points)
        week = self.coach.week_summary(points)
        if self.chart_question is not None:
            scope = f"only “{_short(self.chart_question[1], 40)}”"
        elif search or category:
            scope = "the answers the filter shows"
        else:
            scope = ""
        self.app.call_from_thread(
            self.show_charts, points, target, scope, week.text if week is not None else ""
        )

    def show_charts(
        self,
        points: list[ProgressPoint],
        target: tuple[float, float] | None,
        scope: str,
        week: str,
    ) -> None:
        if self.is_mounted:
            charts = self.query_one(ProgressCharts)
            charts.show(points, self.vm.settings.thresholds, target=target, scope=scope, week=week)

    def action_next_chart(self) -> None:
        self.query_one(ProgressCharts).next_metric()

    def action_zoom_chart(self) -> None:
        """The chart over the whole screen (z or escape again to come back)."""
        charts = self.query_one(ProgressCharts)
        if self.maximized is charts:
            self.minimize()
        else:
            self.maximize(charts, container=False)

    def action_chart_question(self) -> None:
        """Chart only the highlighted answer's question; again, everything the filter shows."""
        if self.chart_question is not None:
            self.chart_question = None
        else:
            record = self.current()
            if record is None or record.qualified_question_id is None:
                self.notify("Highlight an answer to a question to chart its attempts.")
                return
            text = record.question_text or record.qualified_question_id
            self.chart_question = (record.qualified_question_id, text)
        self.refresh_charts()

    @on(Input.Changed, "#history-search")
    @on(Select.Changed, "#history-category")
    def filter_changed(self) -> None:
        """The table follows every key; the charts (every matching answer) once typing stops."""
        self.refresh_table(charts=False)
        if self._chart_timer is not None:
            self._chart_timer.stop()
        self._chart_timer = self.set_timer(CHART_DELAY_S, self.refresh_charts)

    @on(Input.Submitted, "#history-search")
    def filter_done(self) -> None:
        self.query_one("#sessions", DataTable).focus()

    @on(DataTable.HeaderSelected)
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
        if self.showing_mocks:
            self.notify("Mock interviews are listed newest first.", timeout=3)
            return
        key = str(event.column_key.value)
        if key == self.order_by:
            self.descending = not self.descending
        else:
            self.order_by, self.descending = key, key == "started_at"
        self.refresh_table()

    @on(DataTable.RowSelected, "#sessions")
    def row_selected(self) -> None:
        self.action_open()

    def current(self) -> SessionRecord | None:
        """The session under the cursor, if any (none while mock interviews are listed)."""
        table = self.table
        if self.showing_mocks or not 0 <= table.cursor_row < len(table.items):
            return None
        return table.items[table.cursor_row]

    # --- mock interviews ------------------------------------------------------------------

    def refresh_mocks(self) -> None:
        """List the mock interviews, newest first, one row each, from the index alone."""
        store = self.vm.store

        def fetch(offset: int, limit: int | None) -> list[Any]:
            try:
                return list(store.mocks(limit=limit, offset=offset))
            except UserError as exc:
                self.notify(str(exc), severity="error")
                return []

        try:
            total = store.count_mocks()
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        table: PagedTable[Any] = self.table
        keep = table.cursor_row
        table.show(total, fetch, _mock_row, at_least=keep + 1)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self.sub_title = (
            f"{total} mock interview{'' if total == 1 else 's'} · newest first · m: every answer"
        )

    def current_mock(self) -> MockRecord | None:
        table: PagedTable[Any] = self.table
        if not self.showing_mocks or not 0 <= table.cursor_row < len(table.items):
            return None
        item = table.items[table.cursor_row]
        return item if isinstance(item, MockRecord) else None

    def action_toggle_mocks(self) -> None:
        self.showing_mocks = not self.showing_mocks
        self.table.move_cursor(row=0)
        self.refresh_table(charts=False)

    def open_mock(self) -> None:
        mock = self.current_mock()
        if mock is None:
            return
        from voice_mock.tui.screens.mock_summary import MockSummaryScreen

        self.app.push_screen(MockSummaryScreen(mock.id))

    # --- actions ----------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#history-search", Input).focus()

    def action_cycle_sort(self) -> None:
        if self.showing_mocks:
            self.notify("Mock interviews are listed newest first.", timeout=3)
            return
        keys = [key for key, _, _ in COLUMNS]
        if self.descending:
            self.descending = False
        else:
            self.order_by = keys[(keys.index(self.order_by) + 1) % len(keys)]
            self.descending = True
        self.refresh_table()

    def action_open(self) -> None:
        if self.showing_mocks:
            self.open_mock()
            return
        record = self.current()
        if record is None:
            return
        from voice_mock.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(record.id))

    def action_play(self) -> None:
        record = self.current()
        if self.start_playback(record, phone=record is not None and record.phone):
            self.notify("Playing; x stops.", timeout=3)

    def action_reanalyse(self) -> None:
        record = self.current()
        if record is not None:
            self.start_reanalysis(record.id)

    def show_reanalysed(self) -> None:
        self.refresh_table()

    def shown_records(self) -> list[SessionRecord]:
        """Every session the current filter shows, in the table's order."""
        search = self.query_one("#history-search", Input).value.strip() or None
        chosen = self.query_one("#history-category", Select).value
        return self.vm.store.sessions(
            search=search,
            category=chosen if isinstance(chosen, str) else None,
            order_by=self.order_by,
            descending=self.descending,
        )

    def export(
        self, records: list[SessionRecord], target: Path, *, overwrite: bool = False
    ) -> None:
        """Write the export; an existing file is replaced only after the user says so."""
        title = None if len(records) == 1 else f"{len(records)} practice answers"
        try:
            written = self.coach.export(records, target, overwrite=overwrite, title=title)
        except UserError as exc:
            if not overwrite and target.exists() and not target.is_dir():

                def answered(yes: bool | None) -> None:
                    if yes:
                        self.export(records, target, overwrite=True)

                self.app.push_screen(
                    ConfirmScreen(f"{target} already exists. Replace it?", "Replace"), answered
                )
                return
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.notify(f"Exported {written.sessions} to {written.path}", title="Export")

    def ask_export(self, records: list[SessionRecord], default_name: str) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.export(records, Path(path).expanduser())

        default = str(Path.cwd() / default_name)
        self.app.push_screen(
            PromptScreen("Export to (a .md or .json file, or a folder):", default), chosen
        )

    def action_export_to(self) -> None:
        record = self.current()
        if record is not None:
            self.ask_export([record], f"{record.id}.md")

    def action_export_shown(self) -> None:
        records = self.shown_records()
        if not records:
            self.notify("No session matches the filter.", severity="warning")
            return
        self.ask_export(records, "voice-mock-export.md")

    def action_delete(self) -> None:
        record = self.current()
        if record is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.coach.delete(record.id)
            except UserError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify("Session deleted.")
            self.refresh_table()

        what = visible(record.question_text or "a free answer")
        self.app.push_screen(
            ConfirmScreen(f"Delete the answer to “{what}” from {when(record.started_at)}?"),
            answered,
        )

    def action_back(self) -> None:
        self.action_stop_playback()
        self.dismiss()
