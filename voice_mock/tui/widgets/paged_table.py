"""A `DataTable` over a long list that holds a page of rows and fetches the next as you scroll.

Textual's `DataTable` measures every cell of every row it is given (on the
next idle, to size its columns), about 0.1 ms a row here: given 5,000
sessions at once it holds the UI for more than half a second. This table asks
its `fetch` for the first page only, and for the next one when the cursor or
the scroll position comes near the last row it holds (`margin`);
ctrl+end fetches the rest, so the cursor can still reach the very last item.

Only `DataTable`'s public API is used (`add_row`, `clear`, its actions and
reactives), so a new Textual needs no change here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

T = TypeVar("T")

Fetch = Callable[[int, int | None], Sequence[T]]
"""``fetch(offset, limit)``: up to `limit` items from position `offset`; ``None``: all the rest."""
RowOf = Callable[[T], tuple[str, Sequence[object]]]
"""An item's row: its key (unique in the list) and its cells, in column order."""

PAGE_SIZE = 200
"""Items fetched at a time: more than any terminal shows at once."""


class PagedTable(DataTable[Any], Generic[T]):
    """Call `show` with a list's length and a way to fetch it; `items` are the rows held so far."""

    def __init__(
        self, *, page_size: int = PAGE_SIZE, margin: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.page_size = max(1, page_size)
        self.margin = self.page_size // 4 if margin is None else margin
        """Fetch the next page when the cursor or the last visible row is this close to
        the last row held (a quarter of a page unless given)."""
        self.items: list[T] = []
        """The items whose rows the table holds, in row order."""
        self.total = 0
        """How many items the list had when `show` was called (for a title)."""
        self._fetch: Fetch[T] | None = None
        self._row_of: RowOf[T] | None = None
        self._offset = 0
        """Position in the list of the next item to fetch."""
        self._exhausted = True
        self._pending = False
        self._adding = False
        """True while rows are added (each `add_row` touches the cursor and calls `_check_end`)."""

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._check_end, init=False)
        self.watch(self, "cursor_coordinate", self._check_end, init=False)

    def on_resize(self, event: events.Resize) -> None:
        self._check_end()  # a taller table shows rows the pages so far may not hold

    @property
    def complete(self) -> bool:
        """True when every item of the list is in the table."""
        return self._exhausted

    def show(self, total: int, fetch: Fetch[T], row_of: RowOf[T], *, at_least: int = 0) -> None:
        """Clear the table and show the first page of a new list of `total` items.

        `at_least` rows are fetched if the first page is shorter, so a cursor
        kept across a refresh still has its row. `fetch` is called again as
        the user scrolls, so it should read the list as it was asked for then
        (the same filter and order).
        """
        self._adding = True  # `clear` moves the cursor and the scroll: fetch nothing yet
        try:
            self.clear()
        finally:
            self._adding = False
        self._fetch, self._row_of = fetch, row_of
        self.total = total
        self.items = []
        self._offset = 0
        self._exhausted = total <= 0
        self._pending = False  # a page asked for the list before is not fetched
        self._add(max(self.page_size, at_least))

    def fetch_more(self) -> int:
        """Add the next page of the list; how many rows were added."""
        return self._add(self.page_size)

    def fetch_all(self) -> int:
        """Add the rest of the list; how many rows were added."""
        return self._add(None)

    def _add(self, limit: int | None) -> int:
        """Fetch up to `limit` items (``None``: all the rest) and add their rows.

        A shorter answer than asked for ends the list. An item whose key is
        already in the table (the list changed order between two pages) is
        skipped rather than shown twice.
        """
        if self._exhausted or self._fetch is None or self._row_of is None:
            return 0
        fetched = self._fetch(self._offset, limit)
        self._offset += len(fetched)
        if limit is None or len(fetched) < limit:
            self._exhausted = True
        added = 0
        self._adding = True
        try:
            for item in fetched:
                key, cells = self._row_of(item)
                if RowKey(key) in self.rows:
                    continue
                self.add_row(*cells, key=key)
                self.items.append(item)
                added += 1
        finally:
            self._adding = False
        return added

    def _check_end(self) -> None:
        """Fetch the next page (once the current update is done) when the end comes near."""
        if self._exhausted or self._pending or self._adding:
            return
        header = self.header_height if self.show_header else 0
        last_visible = int(self.scroll_y) + self.scrollable_content_region.height - header - 1
        if self.row_count - 1 - max(self.cursor_row, last_visible) <= self.margin:
            self._pending = True
            self.call_later(self._fetch_pending)

    def _fetch_pending(self) -> None:
        if not self._pending:
            return  # `show` started a new list since
        self._pending = False
        if self.fetch_more():
            self._check_end()  # a page shorter than the screen (or a jump) may need another

    def action_scroll_bottom(self) -> None:
        """ctrl+end: fetch the rest of the list, then move to its last row."""
        self.fetch_all()
        super().action_scroll_bottom()
