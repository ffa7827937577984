"""The SQLite index of the session folders: fast history, filters and progress charts.

The index only repeats what the folders hold, so it can always be rebuilt
from them. Opening it writes nothing: a command that only reads works on a
read-only or full disk. The connection is opened read-write when the file
allows it, else read-only; when the index is missing, damaged or from
another version and cannot be rewritten, the folders are indexed into
memory for this run instead.

Mock interviews have a table of their own (`mocks`), rebuilt with the
sessions from the ``mocks/`` files and the answers that name them.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import quote

from voice_mock.errors import UserError
from voice_mock.fileio import PRIVATE_FILE_MODE
from voice_mock.store.folders import Scan, is_mock_id, iso, parse_time
from voice_mock.store.records import (
    METRIC_COLUMNS,
    MOCK_STATUSES,
    STATUSES,
    MockQuestion,
    MockRecord,
    SessionRecord,
)

INDEX_NAME = "index.sqlite3"
INDEX_VERSION = 2
"""Bump when a table changes; an index from another version is rebuilt from the folders.
Version 2 added mock interviews (the `mocks` table, ``mock_id`` and ``follow_up_of``)."""
BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another (a rebuild holds the lock while it scans)."""

ORDER_COLUMNS = frozenset(
    {"started_at", "question_id", "bank_id", "category", "status", "source", *METRIC_COLUMNS}
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    folder TEXT NOT NULL,
    started_at TEXT NOT NULL,
    question_id TEXT,
    bank_id TEXT,
    question_text TEXT,
    category TEXT,
    phone INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    audio_name TEXT,
    duration_s REAL,
    wpm REAL,
    fillers_per_min REAL,
    coverage_ratio REAL,
    pauses INTEGER,
    word_count INTEGER,
    transcript_text TEXT NOT NULL DEFAULT '',
    mock_id TEXT,
    follow_up_of TEXT
);
CREATE TABLE IF NOT EXISTS mocks (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    phone INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL DEFAULT '',
    questions TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS sessions_mock ON sessions(mock_id, started_at);
CREATE INDEX IF NOT EXISTS sessions_started_at ON sessions(started_at);
CREATE INDEX IF NOT EXISTS sessions_question ON sessions(question_id, started_at);
CREATE INDEX IF NOT EXISTS sessions_bank ON sessions(bank_id, started_at);
CREATE INDEX IF NOT EXISTS sessions_status ON sessions(status);
"""
_COLUMNS = frozenset(
    {
        "id", "folder", "started_at", "question_id", "bank_id", "question_text", "category",
        "phone", "status", "source", "audio_name", *METRIC_COLUMNS, "transcript_text",
        "mock_id", "follow_up_of",
    }
)  # fmt: skip

_ROW_COLUMNS = (
    "id, folder, started_at, question_id, bank_id, question_text, category, phone, status, "
    "source, audio_name, duration_s, wpm, fillers_per_min, coverage_ratio, pauses, word_count, "
    "mock_id, follow_up_of"
)
_MOCK_COLUMNS = (
    "m.id, m.started_at, m.finished_at, m.status, m.phone, m.title, m.questions, "
    "SUM(CASE WHEN s.id IS NOT NULL AND s.follow_up_of IS NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN s.follow_up_of IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(s.duration_s), "
    "AVG(CASE WHEN s.status = 'done' THEN s.wpm END), "
    "AVG(CASE WHEN s.status = 'done' THEN s.fillers_per_min END), "
    "AVG(CASE WHEN s.status = 'done' AND s.follow_up_of IS NULL THEN s.coverage_ratio END)"
)
"""A mock interview with headline numbers over its answers, from one grouped join."""
MAX_LIMIT = 1_000_000_000


class SessionFilters(TypedDict, total=False):
    """Filters shared by `Store.list` and `Store.count`; every one given must match."""

    question_id: str | None
    """``id`` or ``bank/id``."""
    bank_id: str | None
    category: str | None
    search: str | None
    """Matched against the question text, the transcript and the question id (any case)."""
    since: datetime | str | None
    """Sessions started at or after this (a naive datetime is local time)."""
    until: datetime | str | None
    """Sessions started before this."""
    phone: bool | None
    status: str | Sequence[str] | None
    """One status or several (see `STATUSES`)."""
    mock_id: str | None
    """Only the answers (and follow-ups) of this mock interview."""


def write_problem(exc: BaseException, what: str) -> UserError:
    """One sentence for a failed write: read-only, full disk, or another reason."""
    text = str(exc)
    code = getattr(exc, "errno", None)
    if (
        code in (errno.EROFS, errno.EACCES, errno.EPERM)
        or "readonly" in text
        or "read-only" in text
    ):
        return UserError(f"{what} could not be saved: the data folder is read-only.")
    if code in (errno.ENOSPC, errno.EDQUOT) or "full" in text:
        return UserError(f"{what} could not be saved: the disk is full.")
    reason = getattr(exc, "strerror", None) or text
    return UserError(f"{what} could not be saved ({reason}).")


LOW_SPACE_BYTES = 64 * 1024
"""Less free space than this and SQLite cannot even size the WAL's shared-memory file."""


def disk_problem(folder: Path) -> OSError:
    """What keeps `folder` from being written: a read-only disk or folder, or a full disk.

    An index on a full disk opens read-only (SQLite cannot make its -shm file),
    which must not be reported as a read-only folder.
    """
    try:
        info = os.statvfs(folder)
    except OSError as exc:
        return exc
    if info.f_flag & os.ST_RDONLY or not os.access(folder, os.W_OK):
        return OSError(errno.EROFS, "read-only")
    if info.f_bavail * info.f_frsize < LOW_SPACE_BYTES:
        return OSError(errno.ENOSPC, "No space left on device")
    return OSError(errno.EROFS, "read-only")  # the index file itself cannot be written


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """How one question has gone so far: how often, the last answer, the best ones."""

    answers: int
    """Finished answers to it."""
    last_at: datetime
    last_wpm: float | None
    last_fillers_per_min: float | None
    last_coverage_ratio: float | None
    best_coverage_ratio: float | None
    """The most key points any answer with words made."""
    best_fillers_per_min: float | None
    """The fewest fillers a minute of any answer with words."""


class SessionIndex:
    """One SQLite connection to a store's index, shared by threads behind a lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / INDEX_NAME
        self._lock = threading.RLock()
        self.read_only = False
        """True when the index could only be opened for reading (writes fail with a sentence)."""
        self.in_memory = False
        """True when the folders were indexed into memory because the file was unusable."""
        self.needs_rebuild = False
        """True when the file index is missing, damaged or old and should be rebuilt."""
        self.create_error: OSError | sqlite3.DatabaseError | None = None
        """Why the last `create_file` failed (None when it did not)."""
        self._db = self._open()

    # --- opening -----------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if not self.path.exists():
            self.needs_rebuild = True
            return self._memory()
        # Read-write when the file allows it; read-only (a read-only folder); immutable
        # (a read-only disk, where SQLite cannot even create the WAL's shared-memory file).
        base = "file:" + quote(str(self.path))
        modes = ["mode=rw", "mode=ro"]
        wal = Path(f"{self.path}-wal")
        if not wal.exists() or wal.stat().st_size == 0:
            modes.append("immutable=1")  # only without a WAL: immutable would not read it
        for mode in modes:
            try:
                db = sqlite3.connect(
                    f"{base}?{mode}", uri=True, check_same_thread=False, isolation_level=None,
                    timeout=BUSY_TIMEOUT_S,
                )  # fmt: skip
            except sqlite3.DatabaseError:
                continue
            if self._current(db):
                self.read_only = mode != "mode=rw"
                return db
            db.close()
        self.needs_rebuild = True
        return self._memory()

    def _memory(self) -> sqlite3.Connection:
        self.in_memory = True
        db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        db.executescript(_SCHEMA)
        return db

    @staticmethod
    def _current(db: sqlite3.Connection) -> bool:
        """Whether `db` is a readable index of this version (a quick look, no writes)."""
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != INDEX_VERSION:
                return False
            columns = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
            if not columns >= _COLUMNS:
                return False
            bad = db.execute(
                "SELECT COUNT(*) FROM sessions WHERE started_at NOT GLOB "
                "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'"
            ).fetchone()[0]
            return bad == 0
        except sqlite3.DatabaseError:
            return False

    def create_file(self) -> bool:
        """Replace a missing or unusable index file with a fresh, empty one (0600).

        False when the folder cannot be written: the in-memory index stays, and
        `create_error` holds why (a read-only or full disk, a folder in its place).
        """
        with self._lock:
            self._db.close()
            self.create_error = None
            try:
                if self.path.is_dir():  # never removed: it is not ours to delete
                    raise IsADirectoryError(
                        errno.EISDIR, f"{self.path} is a folder, not an index file; move it away"
                    )
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
                os.close(fd)
                db = sqlite3.connect(
                    self.path, check_same_thread=False, isolation_level=None,
                    timeout=BUSY_TIMEOUT_S,
                )  # fmt: skip
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(_SCHEMA)
                db.execute(f"PRAGMA user_version = {INDEX_VERSION}")
            except (OSError, sqlite3.DatabaseError) as exc:
                self.create_error = exc
                self._db = self._memory()
                self.read_only = False
                return False
            self._db = db
            self.in_memory = self.read_only = False
            self.needs_rebuild = False
            return True

    def why_not_writable(self) -> OSError | sqlite3.DatabaseError:
        """Why the index cannot be written: the last `create_file` error, else the disk's state."""
        return self.create_error or disk_problem(self.root)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- writing -------------------------------------------------------------------

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise write_problem(exc, what) from None
            try:
                yield self._db
            except sqlite3.OperationalError as exc:
                self._db.execute("ROLLBACK")
                raise write_problem(exc, what) from None
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            try:
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                self._db.execute("ROLLBACK")
                raise write_problem(exc, what) from None

    def upsert(
        self, meta: Mapping[str, Any], metrics: Mapping[str, Any], text: str, what: str
    ) -> None:
        with self._transaction(what) as db:
            _upsert(db, meta, metrics, text)

    def remove(self, session_id: str) -> None:
        with self._transaction("The session index") as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def upsert_mock(self, meta: Mapping[str, Any], what: str) -> None:
        with self._transaction(what) as db:
            _upsert_mock(db, meta)

    def remove_mock(self, mock_id: str) -> None:
        with self._transaction("The session index") as db:
            db.execute("DELETE FROM mocks WHERE id = ?", (mock_id,))

    def replace_all(self, build: Any) -> Scan:
        """Rebuild every row from `build()` (a folder scan) while holding the write lock.

        Scanning inside the transaction means a session saved meanwhile by
        another process waits for the rebuild, and is then written after it,
        rather than being lost between the scan and the replace.
        """
        with self._transaction("The session index") as db:
            result: Scan = build()
            db.execute("DELETE FROM sessions")
            db.execute("DELETE FROM mocks")
            for entry in result.entries:
                _upsert(db, entry.meta, entry.metrics, entry.text)
            for mock in result.mocks:
                _upsert_mock(db, mock)
        return result

    # --- reading ---------------------------------------------------------------------

    def one(self, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return None if row is None else tuple(row)

    def select(self, sql: str, params: Sequence[Any]) -> builtins.list[tuple[Any, ...]]:
        with self._lock:
            cursor = self._db.cursor()
            return cursor.execute(sql, params).fetchall()

    def find_rows(self, key: str, limit: int = 2) -> builtins.list[tuple[Any, ...]]:
        """Rows whose id is `key`, else starts with it, else ends with its random part."""
        exact = self.select(f"SELECT {_ROW_COLUMNS} FROM sessions WHERE id = ?", (key,))
        if exact:
            return exact
        pattern = _escape_like(key) + "%"
        rows = self.select(
            f"SELECT {_ROW_COLUMNS} FROM sessions WHERE id LIKE ? ESCAPE '\\' LIMIT ?",
            (pattern, limit),
        )
        if rows or not (len(key) == 6 and all(c in "0123456789abcdef" for c in key)):
            return rows
        return self.select(
            f"SELECT {_ROW_COLUMNS} FROM sessions WHERE id LIKE ? ESCAPE '\\' LIMIT ?",
            ("%-" + key, limit),
        )

    def rows(
        self,
        filters: SessionFilters,
        *,
        order_by: str,
        descending: bool,
        limit: int | None,
        offset: int,
    ) -> builtins.list[tuple[Any, ...]]:
        if order_by not in ORDER_COLUMNS:
            raise UserError(
                f"Cannot order sessions by '{order_by}'; choose one of "
                f"{', '.join(sorted(ORDER_COLUMNS))}."
            )
        where, params = _filters(filters)
        direction = "DESC" if descending else "ASC"
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM sessions{where} "
            f"ORDER BY {order_by} IS NULL, {order_by} {direction}, started_at {direction}"
        )
        if limit is not None or offset:
            if limit is not None and not 0 <= limit <= MAX_LIMIT:
                raise UserError(f"The limit must be a number from 0 to {MAX_LIMIT:,}.")
            sql += " LIMIT ? OFFSET ?"
            params.extend([-1 if limit is None else int(limit), max(0, int(offset))])
        return self.select(sql, params)

    def count(self, filters: SessionFilters) -> int:
        where, params = _filters(filters)
        row = self.one(f"SELECT COUNT(*) FROM sessions{where}", params)
        return int(row[0]) if row else 0

    def answer_counts(self) -> dict[str, int]:
        """Finished answers per ``bank/id`` (one query for the whole question list)."""
        rows = self.select(
            "SELECT bank_id, question_id, COUNT(*) FROM sessions "
            "WHERE status = 'done' AND question_id IS NOT NULL GROUP BY bank_id, question_id",
            (),
        )
        return {f"{bank}/{qid}" if bank else qid: int(n) for bank, qid, n in rows}

    def question_stats(self) -> dict[str, QuestionStats]:
        """Per ``bank/id``: finished answers, the last one's numbers, the best coverage and
        the fewest fillers (answers with no words are counted but never best). One query
        for the whole question list, as `answer_counts`."""
        rows = self.select(
            "SELECT s.bank_id, s.question_id, a.n, s.started_at, s.wpm, s.fillers_per_min, "
            "s.coverage_ratio, a.best_cover, a.best_fillers FROM sessions AS s JOIN ("
            "SELECT bank_id, question_id, COUNT(*) AS n, MAX(started_at) AS last, "
            "MAX(CASE WHEN word_count > 0 THEN coverage_ratio END) AS best_cover, "
            "MIN(CASE WHEN word_count > 0 THEN fillers_per_min END) AS best_fillers "
            "FROM sessions WHERE status = 'done' AND question_id IS NOT NULL "
            "GROUP BY bank_id, question_id) AS a "
            "ON s.question_id = a.question_id AND s.bank_id IS a.bank_id "
            "AND s.started_at = a.last AND s.status = 'done'",
            (),
        )
        out: dict[str, QuestionStats] = {}
        for bank, qid, n, last, wpm, fillers, cover, best_cover, best_fillers in rows:
            out[f"{bank}/{qid}" if bank else qid] = QuestionStats(
                int(n), parse_time(last), wpm, fillers, cover, best_cover, best_fillers
            )
        return out

    def mock_rows(
        self, *, mock_id: str | None = None, limit: int | None = None, offset: int = 0
    ) -> builtins.list[tuple[Any, ...]]:
        """Mock interviews, newest first, each with its answers' headline numbers."""
        sql = f"SELECT {_MOCK_COLUMNS} FROM mocks m LEFT JOIN sessions s ON s.mock_id = m.id"
        params: builtins.list[Any] = []
        if mock_id is not None:
            sql += " WHERE m.id = ?"
            params.append(mock_id)
        sql += " GROUP BY m.id ORDER BY m.started_at DESC"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params.extend([-1 if limit is None else int(limit), max(0, int(offset))])
        return self.select(sql, params)

    def find_mock_ids(self, key: str, limit: int = 2) -> builtins.list[str]:
        """Mock ids equal to `key`, else starting with it, else ending with its random part."""
        exact = _escape_like(key)
        for pattern in (exact, exact + "%", "%-" + exact):
            rows = self.select(
                "SELECT id FROM mocks WHERE id LIKE ? ESCAPE '\\' LIMIT ?", (pattern, limit)
            )
            if rows:
                return [str(row[0]) for row in rows]
        return []

    def count_mocks(self) -> int:
        row = self.one("SELECT COUNT(*) FROM mocks", ())
        return int(row[0]) if row else 0

    def mock_record(self, row: Sequence[Any]) -> MockRecord:
        """A mock interview from a row selected as `_MOCK_COLUMNS`."""
        (
            mock_id, started_at, finished_at, status, phone, title, questions, answers,
            follow_ups, duration_s, wpm, fillers_per_min, coverage_ratio,
        ) = row  # fmt: skip
        try:
            items = json.loads(questions)
        except (TypeError, ValueError):
            items = []
        return MockRecord(
            id=mock_id,
            started_at=parse_time(started_at),
            finished_at=parse_time(finished_at) if finished_at else None,
            status=status if status in MOCK_STATUSES else "running",
            phone=bool(phone),
            title=title or "Mock interview",
            questions=tuple(
                MockQuestion(
                    position=int(item["position"]),
                    question_id=item.get("question_id"),
                    bank_id=item.get("bank_id"),
                    text=str(item["text"]),
                    category=item.get("category"),
                )
                for item in items
                if isinstance(item, dict) and "text" in item and "position" in item
            ),
            answers=int(answers or 0),
            follow_ups=int(follow_ups or 0),
            duration_s=duration_s,
            wpm=wpm,
            fillers_per_min=fillers_per_min,
            coverage_ratio=coverage_ratio,
        )

    def record(self, row: Sequence[Any]) -> SessionRecord:
        """A record from a row selected as `_ROW_COLUMNS`, read by position (history reads
        thousands at once)."""
        (
            session_id, folder, started_at, question_id, bank_id, question_text, category,
            phone, status, source, audio_name, duration_s, wpm, fillers_per_min,
            coverage_ratio, pauses, word_count, mock_id, follow_up_of,
        ) = row  # fmt: skip
        return SessionRecord(
            id=session_id,
            root=self.root,
            folder_name=folder,
            started_at=parse_time(started_at),
            question_id=question_id,
            bank_id=bank_id,
            question_text=question_text,
            category=category,
            phone=bool(phone),
            status=status if status in STATUSES else "recording",
            source=source,
            audio_name=audio_name,
            duration_s=duration_s,
            wpm=wpm,
            fillers_per_min=fillers_per_min,
            coverage_ratio=coverage_ratio,
            pauses=pauses,
            word_count=word_count,
            mock_id=mock_id,
            follow_up_of=follow_up_of,
        )


def _upsert_mock(db: sqlite3.Connection, meta: Mapping[str, Any]) -> None:
    db.execute(
        "INSERT OR REPLACE INTO mocks (id, started_at, finished_at, status, phone, title, "
        "questions) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            meta["id"],
            meta["started_at"],
            _text(meta.get("finished_at")),
            meta.get("status") if meta.get("status") in MOCK_STATUSES else "running",
            1 if meta.get("phone") is True else 0,
            _text(meta.get("title")) or "Mock interview",
            json.dumps(meta.get("questions") or [], ensure_ascii=False),
        ),
    )


def _upsert(
    db: sqlite3.Connection, meta: Mapping[str, Any], metrics: Mapping[str, Any], text: str
) -> None:
    db.execute(
        "INSERT OR REPLACE INTO sessions (id, folder, started_at, question_id, bank_id, "
        "question_text, category, phone, status, source, audio_name, duration_s, wpm, "
        "fillers_per_min, coverage_ratio, pauses, word_count, transcript_text, mock_id, "
        "follow_up_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            meta["id"],
            meta.get("folder") or meta["id"],
            meta["started_at"],
            _text(meta.get("question_id")),
            _text(meta.get("bank_id")),
            _text(meta.get("question_text")),
            _text(meta.get("category")),
            1 if meta.get("phone") is True else 0,
            meta["status"],
            _text(meta.get("source")) or "",
            _text(meta.get("audio")),
            metrics.get("duration_s"),
            metrics.get("wpm"),
            metrics.get("fillers_per_min"),
            metrics.get("coverage_ratio"),
            None if metrics.get("pauses") is None else int(metrics["pauses"]),
            None if metrics.get("word_count") is None else int(metrics["word_count"]),
            text,
            meta.get("mock_id") if is_mock_id(meta.get("mock_id")) else None,
            _text(meta.get("follow_up_of")),
        ),
    )


def _text(value: Any) -> str | None:
    """A metadata value as text for the index (a hand-edited session.json may hold anything)."""
    return value if isinstance(value, str) else None


def _escape_like(text: str) -> str:
    """Make user text literal inside a LIKE pattern (with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _time_bound(value: datetime | str) -> str:
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"'{value}' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM).") from None
    try:
        return iso(moment)
    except (ValueError, OverflowError):
        raise UserError(f"'{value}' is too far in the past or future to be a date.") from None


def _filters(filters: SessionFilters) -> tuple[str, builtins.list[Any]]:
    """The WHERE clause and its parameters for listing, counting and progress."""
    unknown = set(filters) - set(SessionFilters.__annotations__)
    if unknown:
        raise TypeError(f"Unknown session filter(s): {', '.join(sorted(unknown))}.")
    clauses: builtins.list[str] = []
    params: builtins.list[Any] = []
    question_id = filters.get("question_id")
    if question_id:
        if "/" in question_id:
            bank, _, qid = question_id.partition("/")
            clauses.append("bank_id = ? AND question_id = ?")
            params += [bank, qid]
        else:
            clauses.append("question_id = ?")
            params.append(question_id)
    for name in ("bank_id", "category"):
        value = filters.get(name)
        if value:
            clauses.append(f"{name} = ?")
            params.append(value)
    search = filters.get("search")
    if search:
        pattern = "%" + _escape_like(search) + "%"
        clauses.append(
            "(question_text LIKE ? ESCAPE '\\' OR transcript_text LIKE ? ESCAPE '\\' "
            "OR question_id LIKE ? ESCAPE '\\')"
        )
        params += [pattern, pattern, pattern]
    since, until = filters.get("since"), filters.get("until")
    if since is not None:
        clauses.append("started_at >= ?")
        params.append(_time_bound(since))
    if until is not None:
        clauses.append("started_at < ?")
        params.append(_time_bound(until))
    phone = filters.get("phone")
    if phone is not None:
        clauses.append("phone = ?")
        params.append(1 if phone else 0)
    mock_id = filters.get("mock_id")
    if mock_id:
        clauses.append("mock_id = ?")
        params.append(mock_id)
    status = filters.get("status")
    if status:
        wanted = [status] if isinstance(status, str) else list(status)
        for value in wanted:
            if value not in STATUSES:
                raise UserError(
                    f"Unknown session status '{value}'; use one of {', '.join(STATUSES)}."
                )
        clauses.append(f"status IN ({', '.join('?' for _ in wanted)})")
        params += wanted
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    return where, params
