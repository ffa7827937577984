"""Saved answers: one folder per session on disk plus an SQLite index for fast history.

`Store` (in `sessions`) is the entry point; `records` holds what it hands
out, `folders` the on-disk layout and `index` the SQLite cache of it.
"""

from voice_mock.store.index import INDEX_NAME, ORDER_COLUMNS, SessionFilters
from voice_mock.store.records import (
    METRIC_COLUMNS,
    MOCK_STATUSES,
    REPORT_FILE,
    SESSION_FILE,
    STATUSES,
    TRANSCRIPT_FILE,
    MockQuestion,
    MockRecord,
    MockStatus,
    ProgressPoint,
    SessionDraft,
    SessionRecord,
    Status,
    progress_of,
    qualified_question_id,
)
from voice_mock.store.sessions import Rebuilt, Store

__all__ = [
    "INDEX_NAME",
    "METRIC_COLUMNS",
    "MOCK_STATUSES",
    "ORDER_COLUMNS",
    "REPORT_FILE",
    "SESSION_FILE",
    "STATUSES",
    "TRANSCRIPT_FILE",
    "MockQuestion",
    "MockRecord",
    "MockStatus",
    "ProgressPoint",
    "Rebuilt",
    "SessionDraft",
    "SessionFilters",
    "SessionRecord",
    "Status",
    "Store",
    "progress_of",
    "qualified_question_id",
]
