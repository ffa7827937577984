"""History: every saved answer in a sortable, filterable table, with progress charts.

From here a session is opened, replayed, re-analysed, exported (Markdown or
JSON, into its own folder or a chosen path) or deleted after a confirmation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select

from voice_mock.errors import UserError
from voice_mock.fileio import atomic_write_text
from voice_mock.store import SessionRecord, progress_of
from voice_mock.tui.formatting import clock, number, when
from voice_mock.tui.screens.base import SessionScreen
from voice_mock.tui.screens.confirm import ConfirmScreen, PromptScreen
from voice_mock.tui.widgets.charts import ProgressCharts
from voice_mock.tui.widgets.fixed_table import FixedWidthTable
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
so a history of thousands of sessions is not measured cell by cell (`FixedWidthTable`)."""
FIRST_ROWS = 200
"""Rows put in the table before the screen is drawn: more than any terminal shows at once."""
MORE_ROWS = 5000
"""Rows added per step after the first draw. Each step makes the table draw its visible
rows again (Textual drops its row cache on any change), so steps are few and large."""
MORE_ROWS_DELAY_S = 0.01
"""Pause before each step, so the first rows are drawn and keys handled in between."""


def export_session(markdown: str, data: dict[str, object], target: Path) -> Path:
    """Write one export to `target`: JSON for a ``.json`` path, Markdown otherwise.

    A folder gets ``export.md`` inside it, so typing a folder name just works.
    """
    if target.is_dir():
        target = target / "export.md"
    text = (
        json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if target.suffix.lower() == ".json"
        else markdown
    )
    try:
        atomic_write_text(target, text)
    except OSError as exc:
        raise UserError(f"{target} could not be written: {exc.strerror or exc}.") from None
    return target


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cells(record: SessionRecord) -> tuple[str, ...]:
    """One history row, in `COLUMNS` order, from the index alone."""
    ratio = record.coverage_ratio
    return (
        record.started_at.astimezone().strftime("%y-%m-%d %H:%M"),
        _short(record.question_id or "free answer", QUESTION_WIDTH),
        clock(record.duration_s),
        number(None if record.wpm is None else round(record.wpm)),
        number(record.fillers_per_min),
        number(None if ratio is None else round(ratio * 100), "%"),
        record.status + (" ☎" if record.phone else ""),
    )


class HistoryScreen(SessionScreen):
    """All sessions; click a header (or press o) to sort, type to filter."""

    TITLE = "History"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Review the highlighted answer"),
        Binding("p", "play", "Play", tooltip="Play the recording (x stops)"),
        Binding("x", "stop_playback", "Stop playing", show=False),
        Binding("a", "reanalyse", "Re-analyse"),
        Binding(
            "m", "export('md')", "Export .md", tooltip="Write export.md into the session folder"
        ),
        Binding("j", "export('json')", "Export .json", tooltip="Write export.json into the folder"),
        Binding("w", "export_to", "Export to…", tooltip="Export to a path you choose"),
        Binding("d", "delete", "Delete", tooltip="Delete the session (asks first)"),
        Binding("o", "cycle_sort", "Sort"),
        Binding("slash", "search", "Filter"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.order_by = "started_at"
        self.descending = True
        self.records: list[SessionRecord] = []
        self._fill_generation = 0
        """Bumped by each refresh, so rows still being added for an older list stop."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="history-filters"):
            yield Input(placeholder="Filter by question or words said ( / )", id="history-search")
            yield Select(
                [(c.capitalize(), c) for c in self.vm.library.categories()],
                prompt="Category",
                id="history-category",
            )
        yield FixedWidthTable(id="sessions", cursor_type="row", zebra_stripes=True)
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

    def refresh_table(self, *, charts: bool = True) -> None:
        """Query the index with the current filter and order, and redraw table and charts.

        Everything shown comes from the index (`Store.list`, `Store.progress`): no
        session file is opened, so the screen costs the same for 50 or 5,000 sessions
        apart from the rows themselves. The charts cover every finished answer
        whatever the filter, so a filter change leaves them alone.
        """
        search = self.query_one("#history-search", Input).value.strip() or None
        category = self.query_one("#history-category", Select).value
        try:
            self.records = self.vm.store.list(
                search=search,
                category=category if isinstance(category, str) else None,
                order_by=self.order_by,
                descending=self.descending,
            )
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        table = self.query_one("#sessions", FixedWidthTable)
        keep = table.cursor_row
        # The rows a user can see first, the rest a step at a time after the screen is
        # drawn: building 5,000 rows up front doubled the time to open a long history.
        self._fill_generation += 1
        shown = max(FIRST_ROWS, keep + FIRST_ROWS)
        table.replace_rows(self._rows(0, shown))
        if shown < len(self.records):
            self._fill_later(shown)
        if self.records:
            table.move_cursor(row=min(keep, len(self.records) - 1))
        arrow = "▼" if self.descending else "▲"
        label = next(label for key, label, _ in COLUMNS if key == self.order_by)
        self.sub_title = f"{len(self.records)} sessions · sorted by {label} {arrow}"
        if charts:
            # Unfiltered, the rows just listed are every session: chart them rather
            # than query the index again.
            unfiltered = search is None and not isinstance(category, str)
            points = progress_of(self.records) if unfiltered else self.vm.store.progress()
            self.query_one(ProgressCharts).show(points)

    def _rows(self, start: int, stop: int) -> list[tuple[str, tuple[str, ...]]]:
        return [(record.id, _cells(record)) for record in self.records[start:stop]]

    def _fill_later(self, start: int) -> None:
        generation = self._fill_generation

        def fill() -> None:
            if generation != self._fill_generation or not self.is_mounted:
                return  # the list was refreshed (filter, sort, delete) or the screen closed
            stop = start + MORE_ROWS
            self.query_one("#sessions", FixedWidthTable).append_rows(self._rows(start, stop))
            if stop < len(self.records):
                self._fill_later(stop)

        self.set_timer(MORE_ROWS_DELAY_S, fill)

    @on(Input.Changed, "#history-search")
    @on(Select.Changed, "#history-category")
    def filter_changed(self) -> None:
        self.refresh_table(charts=False)

    @on(Input.Submitted, "#history-search")
    def filter_done(self) -> None:
        self.query_one("#sessions", DataTable).focus()

    @on(DataTable.HeaderSelected)
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
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
        table = self.query_one("#sessions", DataTable)
        if not self.records or not 0 <= table.cursor_row < len(self.records):
            return None
        return self.records[table.cursor_row]

    # --- actions ----------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#history-search", Input).focus()

    def action_cycle_sort(self) -> None:
        keys = [key for key, _, _ in COLUMNS]
        if self.descending:
            self.descending = False
        else:
            self.order_by = keys[(keys.index(self.order_by) + 1) % len(keys)]
            self.descending = True
        self.refresh_table()

    def action_open(self) -> None:
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

    def export(self, record: SessionRecord, target: Path) -> None:
        store = self.vm.store
        try:
            written = export_session(
                store.export_markdown(record.id), store.export_json(record.id), target
            )
        except UserError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.notify(f"Exported to {written}", title="Export")

    def action_export(self, kind: str) -> None:
        record = self.current()
        if record is None:
            return
        self.export(record, record.folder / f"export.{kind}")

    def action_export_to(self) -> None:
        record = self.current()
        if record is None:
            return

        def chosen(path: str | None) -> None:
            if path:
                self.export(record, Path(path).expanduser())

        default = str(Path.cwd() / f"{record.id}.md")
        self.app.push_screen(
            PromptScreen("Export to (a .md or .json file, or a folder):", default), chosen
        )

    def action_delete(self) -> None:
        record = self.current()
        if record is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.vm.store.delete(record.id)
            except UserError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify("Session deleted.")
            self.refresh_table()

        what = record.question_text or "a free answer"
        self.app.push_screen(
            ConfirmScreen(f"Delete the answer to “{what}” from {when(record.started_at)}?"),
            answered,
        )

    def action_back(self) -> None:
        self.action_stop_playback()
        self.dismiss()
