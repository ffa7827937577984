"""Saved answers: one folder per session on disk plus an SQLite index for fast history.

Each session lives in ``<root>/<YYYYmmdd-HHMMSS>-<question id or "free">-<random>/``:

- ``answer.wav`` (or the original recording as ``answer.<ext>`` for ``analyze --save``),
- ``transcript.json`` in Vosk's own list form (the transcript contract),
- ``report.json`` (the report contract),
- ``session.json``: the metadata (question, time, phone mode, status, source).

The folders are the truth. ``<root>/index.sqlite3`` only repeats the metadata
and the headline metrics so that history, filters and progress charts never
open a file per row, and `Store.rebuild_index` recreates it from the folders
at any time (it is also rebuilt automatically when it is missing or from an
older schema). Every JSON write is atomic, so a crash leaves either the old or
the new file.

A session moves through three states: ``recording`` (created, audio being
written; a crash leaves it here), ``untranscribed`` (audio saved but no model
was available) and ``done`` (transcript and report saved).
"""

from __future__ import annotations

import builtins
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import sys
import threading
import wave
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypedDict, Unpack

from voice_mock.analysis.tokens import is_noise
from voice_mock.errors import UserError
from voice_mock.fileio import atomic_write_json
from voice_mock.transcript import Transcript

if TYPE_CHECKING:
    from voice_mock.bank import Question

Status = Literal["recording", "untranscribed", "done"]
STATUSES: tuple[Status, ...] = ("recording", "untranscribed", "done")

INDEX_NAME = "index.sqlite3"
SESSION_FILE = "session.json"
TRANSCRIPT_FILE = "transcript.json"
REPORT_FILE = "report.json"
SCHEMA_VERSION = 1
"""Bump when the table changes; an index from another version is rebuilt from the folders."""

METRIC_COLUMNS = (
    "duration_s",
    "wpm",
    "fillers_per_min",
    "coverage_ratio",
    "pauses",
    "word_count",
)
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
    transcript_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_started_at ON sessions(started_at);
CREATE INDEX IF NOT EXISTS sessions_question ON sessions(question_id, started_at);
CREATE INDEX IF NOT EXISTS sessions_bank ON sessions(bank_id, started_at);
CREATE INDEX IF NOT EXISTS sessions_status ON sessions(status);
"""

_ROW_COLUMNS = (
    "id, folder, started_at, question_id, bank_id, question_text, category, phone, status, "
    "source, audio_name, duration_s, wpm, fillers_per_min, coverage_ratio, pauses, word_count"
)


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


class _HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


ReportLike = Mapping[str, Any] | _HasToDict


def qualified_question_id(bank_id: str | None, question_id: str | None) -> str | None:
    """``bank/id`` for `Library.find` (just ``id`` when the bank is unknown); None without one."""
    if question_id is None:
        return None
    return f"{bank_id}/{question_id}" if bank_id else question_id


@dataclass(frozen=True, slots=True)
class SessionDraft:
    """A session being recorded (or left unfinished by a crash): its folder exists."""

    id: str
    """The folder name; unique and sortable by time."""
    folder: Path
    started_at: datetime
    """When recording started (timezone-aware, UTC)."""
    question_id: str | None
    """The question's id inside its bank; None for a free answer."""
    bank_id: str | None
    question_text: str | None
    category: str | None
    phone: bool
    source: str
    """Who made it: "practice", "tui", "analyze", ..."""
    audio_path: Path
    """Where the answer's audio is (to be) written."""
    status: Status = "recording"

    @property
    def qualified_question_id(self) -> str | None:
        """``bank/id`` for `Library.find`, unambiguous across banks."""
        return qualified_question_id(self.bank_id, self.question_id)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One row of the index: metadata and headline metrics, without reading any file."""

    id: str
    root: Path
    """The store's folder; the session's own folder is ``root / folder_name``."""
    folder_name: str
    """The session folder's name (the same as `id` for every session the store makes)."""
    started_at: datetime
    question_id: str | None
    bank_id: str | None
    question_text: str | None
    category: str | None
    phone: bool
    status: Status
    source: str
    audio_name: str | None
    """File name of the saved recording inside the folder, or None (transcript only)."""
    duration_s: float | None
    wpm: float | None
    fillers_per_min: float | None
    coverage_ratio: float | None
    pauses: int | None
    word_count: int | None

    # Paths are derived on access: building two Path objects per row was most of
    # the cost of listing thousands of sessions.
    @property
    def folder(self) -> Path:
        return self.root / self.folder_name

    @property
    def audio_path(self) -> Path | None:
        """The saved recording, or None (a transcript-only session)."""
        return self.root / self.folder_name / self.audio_name if self.audio_name else None

    @property
    def qualified_question_id(self) -> str | None:
        return qualified_question_id(self.bank_id, self.question_id)

    @property
    def transcript_path(self) -> Path:
        return self.folder / TRANSCRIPT_FILE

    @property
    def report_path(self) -> Path:
        return self.folder / REPORT_FILE

    def load_transcript(self) -> Transcript | None:
        """The saved transcript, or None when the session was never transcribed."""
        if not self.transcript_path.is_file():
            return None
        transcript = Transcript.load(self.transcript_path)
        if transcript.duration_s is None and self.duration_s is not None:
            return Transcript(transcript.words, self.duration_s, transcript.utterances)
        return transcript

    def load_report(self) -> dict[str, Any] | None:
        """The saved report dict, or None when there is none yet."""
        if not self.report_path.is_file():
            return None
        data = _read_json(self.report_path)
        if not isinstance(data, dict):
            raise UserError(f"{self.report_path} is not a report (expected a JSON object).")
        return data

    def to_draft(self) -> SessionDraft:
        """The draft form, so an unfinished or untranscribed session can be finished again."""
        return SessionDraft(
            id=self.id,
            folder=self.folder,
            started_at=self.started_at,
            question_id=self.question_id,
            bank_id=self.bank_id,
            question_text=self.question_text,
            category=self.category,
            phone=self.phone,
            source=self.source,
            audio_path=self.audio_path or self.folder / "answer.wav",
            status=self.status,
        )


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One finished answer on a progress chart."""

    started_at: datetime
    wpm: float | None
    fillers_per_min: float | None
    coverage_ratio: float | None
    duration_s: float | None
    session_id: str = ""


def progress_of(records: Iterable[SessionRecord]) -> list[ProgressPoint]:
    """The finished answers among `records` as chart points, oldest first.

    A screen that has just listed every session (history, unfiltered) builds
    its charts from that list instead of asking the index a second time.
    """
    done = sorted((r for r in records if r.status == "done"), key=lambda r: r.started_at)
    return [
        ProgressPoint(
            started_at=r.started_at,
            wpm=r.wpm,
            fillers_per_min=r.fillers_per_min,
            coverage_ratio=r.coverage_ratio,
            duration_s=r.duration_s,
            session_id=r.id,
        )
        for r in done
    ]


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    """Fixed-width UTC ISO text, so that string order in SQLite is time order."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # naive means local time
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    slug = _SLUG_RE.sub("-", text.lower()).strip("-")
    return slug[:48].strip("-") or "question"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path} could not be read: {exc}.") from None


def _report_dict(report: ReportLike | None) -> dict[str, Any] | None:
    if report is None:
        return None
    if isinstance(report, Mapping):
        return dict(report)
    return report.to_dict()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """A nested object of a report, or an empty one when absent or malformed."""
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _metrics(report: Mapping[str, Any] | None) -> dict[str, Any]:
    """The indexed metrics from a report dict (tolerant of missing keys)."""
    if not report:
        return {name: None for name in METRIC_COLUMNS}
    fillers = _section(report, "fillers")
    pauses = _section(report, "pauses")
    coverage = _section(report, "coverage")
    pause_count = _number(pauses.get("count"))
    words = _number(report.get("word_count"))
    return {
        "duration_s": _number(report.get("duration_s")),
        "wpm": _number(report.get("wpm")),
        "fillers_per_min": _number(fillers.get("per_minute")),
        "coverage_ratio": _number(coverage.get("ratio")),
        "pauses": None if pause_count is None else int(pause_count),
        "word_count": None if words is None else int(words),
    }


def spoken_text(transcript: Transcript) -> str:
    """The transcript's words without recogniser markers such as ``[unk]`` (for people)."""
    return " ".join(w.text for w in transcript.words if not is_noise(w.text))


def _wav_duration(path: Path) -> float | None:
    """Length of a WAV from its header (cheap); None for other formats or a broken file."""
    try:
        with wave.open(str(path), "rb") as handle:
            rate = handle.getframerate()
            return handle.getnframes() / rate if rate else None
    except (OSError, EOFError, wave.Error):
        return None


class Store:
    """Sessions on disk plus their SQLite index. Safe to share between threads."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                f"The sessions folder {self.root} could not be created: {exc.strerror or exc}."
            ) from None
        self.index_path = self.root / INDEX_NAME
        fresh = not self.index_path.exists()
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(
                self.index_path, check_same_thread=False, isolation_level=None, timeout=10
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise UserError(
                f"The session index {self.index_path} is damaged ({exc}); delete it and "
                "voice-mock rebuilds it from the session folders."
            ) from None
        if version != SCHEMA_VERSION:
            self._db.execute("DROP TABLE IF EXISTS sessions")
            fresh = True
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if fresh:
            self.rebuild_index()

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- writing -------------------------------------------------------------------

    def create(
        self,
        *,
        question: Question | None,
        phone: bool = False,
        source: str = "practice",
        audio_suffix: str = ".wav",
        started_at: datetime | None = None,
    ) -> SessionDraft:
        """Make the folder and a ``recording`` row before any audio is written.

        Writing `session.json` first means a crash at any later moment leaves a
        folder that `unfinished` (and `rebuild_index`) can find and finish.
        """
        started = (started_at or _now()).astimezone(UTC)
        suffix = audio_suffix if audio_suffix.startswith(".") else f".{audio_suffix}"
        label = _slug(question.id) if question is not None else "free"
        local = started.astimezone().strftime("%Y%m%d-%H%M%S")
        while True:
            session_id = f"{local}-{label}-{secrets.token_hex(3)}"
            folder = self.root / session_id
            try:
                folder.mkdir(parents=True)
                break
            except FileExistsError:
                continue
            except OSError as exc:
                raise UserError(
                    f"The session folder {folder} could not be created: {exc.strerror or exc}."
                ) from None
        draft = SessionDraft(
            id=session_id,
            folder=folder,
            started_at=started,
            question_id=question.id if question is not None else None,
            bank_id=question.bank_id if question is not None else None,
            question_text=question.text if question is not None else None,
            category=question.category if question is not None else None,
            phone=bool(phone),
            source=source,
            audio_path=folder / f"answer{suffix.lower()}",
            status="recording",
        )
        meta = self._metadata(draft, status="recording", audio_name=None)
        meta["recorder"] = {"host": socket.gethostname(), "pid": os.getpid()}
        atomic_write_json(folder / SESSION_FILE, meta)
        with self._transaction() as db:
            self._upsert(db, meta, _metrics(None), "", folder=draft.folder.name)
        return draft

    def finish(
        self,
        draft: SessionDraft,
        *,
        transcript: Transcript | None,
        report: ReportLike | None,
    ) -> SessionRecord:
        """Save the transcript and report; status ``done``, or ``untranscribed`` without them."""
        report_data = _report_dict(report)
        if transcript is not None:
            atomic_write_json(draft.folder / TRANSCRIPT_FILE, transcript.to_vosk())
        if report_data is not None:
            atomic_write_json(draft.folder / REPORT_FILE, report_data)
        status: Status = (
            "done" if transcript is not None and report_data is not None else ("untranscribed")
        )
        audio_name = draft.audio_path.name if draft.audio_path.is_file() else None
        metrics = _metrics(report_data)
        if metrics["duration_s"] is None:
            if transcript is not None and transcript.duration_s is not None:
                metrics["duration_s"] = transcript.duration_s
            elif audio_name is not None:
                metrics["duration_s"] = _wav_duration(draft.audio_path)
        meta = self._metadata(draft, status=status, audio_name=audio_name)
        meta["duration_s"] = metrics["duration_s"]
        meta["finished_at"] = _iso(_now())
        atomic_write_json(draft.folder / SESSION_FILE, meta)
        text = spoken_text(transcript) if transcript is not None else ""
        with self._transaction() as db:
            self._upsert(db, meta, metrics, text, folder=draft.folder.name)
        return self.get(draft.id)

    def update_analysis(
        self, session_id: str, transcript: Transcript, report: ReportLike
    ) -> SessionRecord:
        """Replace a session's transcript and report (re-analysis), keeping its audio."""
        record = self.get(session_id)
        return self.finish(record.to_draft(), transcript=transcript, report=report)

    def delete(self, session_id: str) -> None:
        """Remove the session's folder and its row."""
        record = self.get(session_id)
        folder = record.folder.resolve()
        if folder.parent != self.root.resolve():
            raise UserError(f"Session {record.id} is not inside {self.root}; not deleting it.")
        shutil.rmtree(folder, ignore_errors=True)
        with self._transaction() as db:
            db.execute("DELETE FROM sessions WHERE id = ?", (record.id,))

    def rebuild_index(self) -> int:
        """Recreate every row from the session folders; returns how many were indexed.

        Folders whose ``session.json`` is missing or unreadable are left alone
        (not deleted): they are the user's data, and may be repaired by hand.
        """
        rows: builtins.list[tuple[dict[str, Any], dict[str, Any], str]] = []
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            entry = self._scan_folder(folder)
            if entry is not None:
                rows.append(entry)
        with self._transaction() as db:
            db.execute("DELETE FROM sessions")
            for meta, metrics, text in rows:
                self._upsert(db, meta, metrics, text)
        return len(rows)

    # -- reading -------------------------------------------------------------------

    def get(self, session_id: str) -> SessionRecord:
        """A session by its id, or by a unique part of it (such as the random suffix)."""
        key = session_id.strip().rstrip("/")
        with self._lock:
            row = self._db.execute(
                f"SELECT {_ROW_COLUMNS} FROM sessions WHERE id = ?", (key,)
            ).fetchone()
            if row is None and key:
                pattern = "%" + _escape_like(key) + "%"
                rows = self._db.execute(
                    f"SELECT {_ROW_COLUMNS} FROM sessions WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                    (pattern,),
                ).fetchall()
                if len(rows) > 1:
                    raise UserError(
                        f"Session '{session_id}' is ambiguous; give more of its id "
                        "(see voice-mock history)."
                    )
                row = rows[0] if rows else None
        if row is None:
            raise UserError(f"There is no saved session '{session_id}' (see voice-mock history).")
        return self._record(row)

    def list(
        self,
        *,
        order_by: str = "started_at",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        **filters: Unpack[SessionFilters],
    ) -> builtins.list[SessionRecord]:
        """Sessions matching every given filter (see `SessionFilters`), from the index alone.

        Rows with no value for the ordering metric sort last.
        """
        if order_by not in ORDER_COLUMNS:
            raise UserError(
                f"Cannot order sessions by '{order_by}'; choose one of "
                f"{', '.join(sorted(ORDER_COLUMNS))}."
            )
        where, params = self._filters(filters)
        direction = "DESC" if descending else "ASC"
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM sessions{where} "
            f"ORDER BY {order_by} IS NULL, {order_by} {direction}, started_at {direction}"
        )
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params.extend([-1 if limit is None else int(limit), int(offset)])
        with self._lock:
            cursor = self._db.cursor()
            cursor.row_factory = None  # plain tuples: `_record` reads them by position
            rows = cursor.execute(sql, params).fetchall()
        return [self._record(row) for row in rows]

    def count(self, **filters: Unpack[SessionFilters]) -> int:
        """How many sessions `list` would return with the same filters."""
        where, params = self._filters(filters)
        with self._lock:
            return int(
                self._db.execute(f"SELECT COUNT(*) FROM sessions{where}", params).fetchone()[0]
            )

    def unfinished(self, *, include_untranscribed: bool = True) -> builtins.list[SessionDraft]:
        """Sessions to finish: crashed recordings and, by default, ones still to transcribe.

        Oldest first, so recovery works through them in the order they were made.
        A ``recording`` session whose recording process (another voice-mock on
        this machine: the app in one terminal, ``practice`` in another) is still
        running is left out: it is being recorded, not abandoned.
        """
        statuses = ["recording", "untranscribed"] if include_untranscribed else ["recording"]
        records = self.list(status=statuses, order_by="started_at", descending=False)
        return [
            record.to_draft()
            for record in records
            if record.status != "recording" or not _recorded_by_live_process(record.folder)
        ]

    def attempts(self, question_id: str) -> builtins.list[SessionRecord]:
        """Every answer to one question (``id`` or ``bank/id``), oldest first: attempt 1, 2, ..."""
        return self.list(question_id=question_id, order_by="started_at", descending=False)

    def progress(self, question_id: str | None = None) -> builtins.list[ProgressPoint]:
        """Headline metrics of finished answers over time, oldest first (for charts)."""
        return progress_of(
            self.list(
                question_id=question_id, status="done", order_by="started_at", descending=False
            )
        )

    # -- export --------------------------------------------------------------------

    def export_json(self, session_id: str) -> dict[str, Any]:
        """Everything about one session in one JSON-ready dict: metadata, transcript, report."""
        record = self.get(session_id)
        transcript = record.load_transcript()
        return {
            "session": self._metadata_of(record),
            "transcript": transcript.to_vosk() if transcript is not None else None,
            "report": record.load_report(),
        }

    def export_markdown(self, session_id: str) -> str:
        """A readable Markdown write-up of one session, for notes or a coach."""
        record = self.get(session_id)
        report = record.load_report() or {}
        transcript = record.load_transcript()
        local = record.started_at.astimezone()
        lines = [f"# {record.question_text or 'Free answer'}", ""]
        lines.append(f"- Session: `{record.id}`")
        lines.append(f"- Date: {local.strftime('%Y-%m-%d %H:%M')}")
        if record.question_id:
            lines.append(f"- Question: `{record.qualified_question_id}` ({record.category})")
        lines.append(f"- Mode: {'phone interview' if record.phone else 'in person'}")
        lines.append(f"- Status: {record.status}")
        if record.audio_path is not None:
            lines.append(f"- Recording: `{record.audio_path}`")
        lines.append("")
        if record.status != "done":
            lines.append("This answer has not been transcribed yet.")
            return "\n".join(lines) + "\n"
        lines += ["## Delivery", "", "| measure | value |", "|---|---|"]
        lines.append(f"| length | {_fmt(record.duration_s, 's')} |")
        lines.append(f"| words | {_fmt(record.word_count)} |")
        lines.append(f"| pace | {_fmt(record.wpm, ' wpm')} |")
        fillers = _section(report, "fillers")
        pauses = _section(report, "pauses")
        lines.append(
            f"| fillers | {_fmt(fillers.get('total'))} "
            f"({_fmt(record.fillers_per_min, ' per min')}) |"
        )
        lines.append(
            f"| pauses | {_fmt(pauses.get('count'))} "
            f"(long: {_fmt(pauses.get('long_count'))}, "
            f"longest {_fmt(pauses.get('longest_s'), ' s')}) |"
        )
        if report.get("response_latency_s") is not None:
            lines.append(f"| time to first word | {_fmt(report['response_latency_s'], ' s')} |")
        counts = _section(fillers, "counts")
        if counts:
            lines += ["", "Fillers: " + ", ".join(f"{k} x{v}" for k, v in counts.items())]
        coverage = _section(report, "coverage")
        if coverage.get("ratio") is not None:
            lines += ["", f"## Key points ({round(float(coverage['ratio']) * 100)}% covered)", ""]
            for point in coverage.get("covered") or []:
                at = point.get("at_s")
                when = f" at {at:.1f} s" if isinstance(at, int | float) else ""
                lines.append(f"- [x] {point.get('label', point.get('id'))}{when}")
            for point in coverage.get("missed") or []:
                lines.append(f"- [ ] {point.get('label', point.get('id'))}")
        lines += ["", "## Transcript", ""]
        said = spoken_text(transcript) if transcript is not None else ""
        lines.append(said or "(no words were recognised)")
        return "\n".join(lines) + "\n"

    # -- internals -----------------------------------------------------------------

    def _filters(self, filters: SessionFilters) -> tuple[str, builtins.list[Any]]:
        """The WHERE clause and its parameters for `list`, `count` and `progress`."""
        unknown = set(filters) - set(SessionFilters.__annotations__)
        if unknown:
            raise TypeError(f"Unknown session filter(s): {', '.join(sorted(unknown))}.")
        question_id = filters.get("question_id")
        bank_id = filters.get("bank_id")
        category = filters.get("category")
        search = filters.get("search")
        since = filters.get("since")
        until = filters.get("until")
        phone = filters.get("phone")
        status = filters.get("status")
        clauses: builtins.list[str] = []
        params: builtins.list[Any] = []
        if question_id:
            if "/" in question_id:
                bank, _, qid = question_id.partition("/")
                clauses.append("bank_id = ? AND question_id = ?")
                params += [bank, qid]
            else:
                clauses.append("question_id = ?")
                params.append(question_id)
        if bank_id:
            clauses.append("bank_id = ?")
            params.append(bank_id)
        if category:
            clauses.append("category = ?")
            params.append(category)
        if search:
            pattern = "%" + _escape_like(search) + "%"
            clauses.append(
                "(question_text LIKE ? ESCAPE '\\' OR transcript_text LIKE ? ESCAPE '\\' "
                "OR question_id LIKE ? ESCAPE '\\')"
            )
            params += [pattern, pattern, pattern]
        if since is not None:
            clauses.append("started_at >= ?")
            params.append(_time_bound(since))
        if until is not None:
            clauses.append("started_at < ?")
            params.append(_time_bound(until))
        if phone is not None:
            clauses.append("phone = ?")
            params.append(1 if phone else 0)
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

    def _metadata(
        self, draft: SessionDraft, *, status: Status, audio_name: str | None
    ) -> dict[str, Any]:
        return {
            "id": draft.id,
            "started_at": _iso(draft.started_at),
            "question_id": draft.question_id,
            "bank_id": draft.bank_id,
            "question_text": draft.question_text,
            "category": draft.category,
            "phone": draft.phone,
            "status": status,
            "source": draft.source,
            "audio": audio_name,
            "schema": SCHEMA_VERSION,
        }

    def _metadata_of(self, record: SessionRecord) -> dict[str, Any]:
        meta = self._metadata(
            record.to_draft(),
            status=record.status,
            audio_name=record.audio_path.name if record.audio_path else None,
        )
        meta.update({name: getattr(record, name) for name in METRIC_COLUMNS})
        meta["folder"] = str(record.folder)
        return meta

    def _upsert(
        self,
        db: sqlite3.Connection,
        meta: Mapping[str, Any],
        metrics: Mapping[str, Any],
        transcript_text: str,
        *,
        folder: str | None = None,
    ) -> None:
        db.execute(
            "INSERT OR REPLACE INTO sessions (id, folder, started_at, question_id, bank_id, "
            "question_text, category, phone, status, source, audio_name, duration_s, wpm, "
            "fillers_per_min, coverage_ratio, pauses, word_count, transcript_text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                meta["id"],
                folder or meta["id"],
                meta["started_at"],
                meta.get("question_id"),
                meta.get("bank_id"),
                meta.get("question_text"),
                meta.get("category"),
                1 if meta.get("phone") else 0,
                meta["status"],
                meta.get("source") or "",
                meta.get("audio"),
                metrics.get("duration_s"),
                metrics.get("wpm"),
                metrics.get("fillers_per_min"),
                metrics.get("coverage_ratio"),
                metrics.get("pauses"),
                metrics.get("word_count"),
                transcript_text,
            ),
        )

    def _scan_folder(self, folder: Path) -> tuple[dict[str, Any], dict[str, Any], str] | None:
        """Index entry for one session folder, from its files; None if it is not a session."""
        path = folder / SESSION_FILE
        if not path.is_file():
            return None
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(meta, dict):
                return None
            meta["id"] = folder.name
            meta["started_at"] = _iso(_parse_time(str(meta["started_at"])))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return None
        report: dict[str, Any] | None = None
        text = ""
        try:
            if (folder / REPORT_FILE).is_file():
                loaded = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
                report = loaded if isinstance(loaded, dict) else None
            if (folder / TRANSCRIPT_FILE).is_file():
                text = spoken_text(Transcript.load(folder / TRANSCRIPT_FILE))
        except (OSError, UnicodeDecodeError, ValueError, UserError):
            report, text = None, ""
        status = meta.get("status")
        if status not in STATUSES:
            status = "recording"
        if status == "done" and report is None:
            status = "untranscribed"
        meta["status"] = status
        audio = meta.get("audio")
        if not (isinstance(audio, str) and (folder / audio).is_file()):
            found = sorted(folder.glob("answer.*"))
            meta["audio"] = found[0].name if found else None
        metrics = _metrics(report)
        if metrics["duration_s"] is None:
            duration = _number(meta.get("duration_s"))
            if duration is None and meta["audio"]:
                duration = _wav_duration(folder / meta["audio"])
            metrics["duration_s"] = duration
        return meta, metrics, text

    def _record(self, row: Sequence[Any]) -> SessionRecord:
        """A record from a row selected as `_ROW_COLUMNS`, read by position.

        History turns thousands of rows into records at once; looking each of
        17 columns up by name was half of that cost.
        """
        (
            session_id, folder, started_at, question_id, bank_id, question_text, category,
            phone, status, source, audio_name, duration_s, wpm, fillers_per_min,
            coverage_ratio, pauses, word_count,
        ) = row  # fmt: skip
        return SessionRecord(
            id=session_id,
            root=self.root,
            folder_name=folder,
            started_at=_parse_time(started_at),
            question_id=question_id,
            bank_id=bank_id,
            question_text=question_text,
            category=category,
            phone=bool(phone),
            status=status,
            source=source,
            audio_name=audio_name,
            duration_s=duration_s,
            wpm=wpm,
            fillers_per_min=fillers_per_min,
            coverage_ratio=coverage_ratio,
            pauses=pauses,
            word_count=word_count,
        )


def _escape_like(text: str) -> str:
    """Make user text literal inside a LIKE pattern (with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _recorded_by_live_process(folder: Path) -> bool:
    """True when the session's recorder is another process on this host that is still alive."""
    try:
        meta = json.loads((folder / SESSION_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    recorder = meta.get("recorder") if isinstance(meta, dict) else None
    if not isinstance(recorder, dict):
        return False
    pid, host = recorder.get("pid"), recorder.get("host")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0 or pid == os.getpid():
        return False
    if host != socket.gethostname():
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process there
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _time_bound(value: datetime | str) -> str:
    if isinstance(value, datetime):
        return _iso(value)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"'{value}' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM).") from None
    return _iso(moment)


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}{unit}"
    return f"{value}{unit}"
