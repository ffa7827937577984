"""A DataTable with fixed-width columns that does not measure every cell of every new row.

Textual's `DataTable` measures each cell of each added row on the next idle
to size its auto-width columns: with 5,000 saved sessions that is 35,000
Rich measurements, over a second before the history table settles. When
every column has a fixed width and every row is one line without a label,
the measurements change nothing, so this table skips them; the table's
virtual size is still recomputed by the base class.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import zip_longest
from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import DuplicateKey, RowKey

try:
    from textual.widgets._data_table import Row

    _BULK_OK = True
except ImportError:  # a Textual that keeps rows differently: add them one by one
    _BULK_OK = False

_ROW_STORES = ("_row_locations", "_data", "rows", "_new_rows", "_update_count")


class FixedWidthTable(DataTable[Any]):
    """Add columns with ``width=`` set; rows added with ``height=1`` and no label are cheap."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        # Only a labelled or auto-height row can change the layout; the rest need no measuring.
        needed = [
            key
            for key in new_rows
            if (row := self.rows.get(key)) is not None
            and (row.label is not None or row.auto_height)
        ]
        super()._update_dimensions(needed)

    def replace_rows(self, rows: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Clear the table and add one-line rows ``(key, cells)`` in one go."""
        self.clear()
        self.append_rows(rows)

    def append_rows(self, rows: Sequence[tuple[str, Sequence[Any]]]) -> None:
        """Add one-line rows ``(key, cells)`` after the existing ones, in one go.

        `DataTable.add_row` re-validates the cursor and schedules an idle check
        for every row, a fifth of the time it takes to show 5,000 sessions; here
        the rows are stored as `add_row` stores them and the cursor is checked
        once. If this Textual keeps its rows differently, plain `add_row` is used.
        """
        if not _BULK_OK or not all(hasattr(self, name) for name in _ROW_STORES):
            for key, cells in rows:
                self.add_row(*cells, key=key)
            return
        keys = [column.key for column in self.ordered_columns]
        for key, cells in rows:
            if len(cells) > len(keys):
                raise ValueError("More values provided than there are columns.")
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            self._row_locations[row_key] = len(self.rows)
            self._data[row_key] = dict(zip_longest(keys, cells))
            self.rows[row_key] = Row(row_key, 1)
            self._new_rows.add(row_key)  # `_update_dimensions` skips measuring them
        self._require_update_dimensions = True
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate
        if self.rows and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.check_idle()
