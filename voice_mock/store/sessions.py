"""The store's one entry point: create, finish, find, list and delete saved answers.

`Store` is a small facade over the session folders (`folders`) and their
SQLite index (`index`). The folders are the truth, the index a cache of
them, so the rules are:

- Opening a store writes nothing (read-only and full disks still list);
  the first write creates the folder and, when needed, rebuilds the index.
- Every file is private from its creation (folders 0700, files 0600).
- A failed write is one sentence saying what happened; the audio of an
  answer is never removed by a failure.
- A session is never deleted except by `delete`, which removes the folder
  first and the index row only once the folder is gone.

A mock interview is saved as a unit (`create_mock`, `finish_mock`): a small
file under ``mocks/`` plus the ``mock_id`` each of its answers carries, both
repeated in the index, so ``reindex`` restores it like any session.
"""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Unpack

from voice_mock.errors import UserError
from voice_mock.fileio import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, atomic_write_json, private_dir
from voice_mock.store.folders import (
    draft_meta,
    is_mock_id,
    iso,
    metrics_of,
    mock_file,
    new_mock_id,
    new_session_id,
    now,
    read_meta,
    recorded_by_live_process,
    recorder_stamp,
    scan,
    slug,
    wav_duration,
    write_meta,
    write_mock,
)
from voice_mock.store.index import (
    INDEX_NAME,
    QuestionStats,
    SessionFilters,
    SessionIndex,
    write_problem,
)
from voice_mock.store.records import (
    REPORT_FILE,
    TRANSCRIPT_FILE,
    MockRecord,
    MockStatus,
    ProgressPoint,
    SessionDraft,
    SessionRecord,
    Status,
    progress_of,
)
from voice_mock.transcript import Transcript

if TYPE_CHECKING:
    from voice_mock.bank import Question


READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


class _HasToDict(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


ReportLike = Mapping[str, Any] | _HasToDict


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What `Store.rebuild_index` found."""

    count: int
    """Sessions indexed."""
    repaired: tuple[str, ...] = ()
    """Sessions whose ``session.json`` was missing or broken, indexed from their files."""
    unreadable: tuple[str, ...] = field(default=())
    """Session folders that hold nothing readable (left untouched)."""


def _report_dict(report: ReportLike | None) -> dict[str, Any] | None:
    if report is None:
        return None
    if isinstance(report, Mapping):
        return dict(report)
    return report.to_dict()


class Store:
    """Sessions on disk plus their SQLite index. Safe to share between threads."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser()
        if self.root.exists() and not self.root.is_dir():
            raise UserError(f"The sessions folder {self.root} is a file, not a folder.")
        self.index_path = self.root / INDEX_NAME
        self._index = SessionIndex(self.root)
        self._ready = False

    # --- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self._index.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        """True when the index can only be read (a read-only folder or disk)."""
        self._ensure_ready()
        return self._index.read_only or self._index.in_memory

    def _ensure_ready(self) -> None:
        """Make the index usable for reading: rebuild a missing or unusable one once.

        The rebuild goes to the file when the folder can be written, else into
        memory for this run (so a read-only folder still lists every session).
        """
        if self._ready:
            return
        self._ready = True
        if not self._index.needs_rebuild:
            return
        if self.root.is_dir() and os.access(self.root, os.W_OK) and self._index.create_file():
            self._index.replace_all(lambda: scan(self.root))
            return
        self._index.replace_all(lambda: scan(self.root))

    def _prepare_for_writing(self, what: str) -> None:
        """The folder and a file index exist and can be written, or a sentence says why not."""
        try:
            private_dir(self.root)
        except OSError as exc:
            raise write_problem(exc, what) from None
        _narrow(self.root, PRIVATE_DIR_MODE)
        self._ensure_ready()
        if self._index.in_memory or self._index.needs_rebuild:
            if not self._index.create_file():
                raise write_problem(self._index.why_not_writable(), what)
            self._index.replace_all(lambda: scan(self.root))
        if self._index.read_only:
            raise write_problem(self._index.why_not_writable(), what)
        for suffix in ("", "-wal", "-shm"):
            _narrow(Path(f"{self.index_path}{suffix}"), PRIVATE_FILE_MODE)

    # --- writing -------------------------------------------------------------------------

    def create(
        self,
        *,
        question: Question | None,
        phone: bool = False,
        source: str = "practice",
        audio_suffix: str = ".wav",
        started_at: datetime | None = None,
        prompt: str | None = None,
        mock_id: str | None = None,
        follow_up_of: str | None = None,
    ) -> SessionDraft:
        """Make the folder and a ``recording`` row before any audio is written.

        Writing ``session.json`` first means a crash at any later moment leaves a
        folder that `unfinished` (and `rebuild_index`) can find and finish.
        `prompt` is what was asked when there is no bank question (a mock
        interview's follow-up); `mock_id` and `follow_up_of` tie the answer to
        its mock interview and to the answer it follows.
        """
        if mock_id is not None and not is_mock_id(mock_id):
            raise UserError(f"'{mock_id}' is not a mock interview id.")
        what = "The answer"
        self._prepare_for_writing(what)
        started = (started_at or now()).astimezone(UTC)
        suffix = audio_suffix if audio_suffix.startswith(".") else f".{audio_suffix}"
        label = (
            slug(question.id)
            if question is not None
            else "follow-up"
            if follow_up_of is not None
            else "free"
        )
        while True:
            session_id = new_session_id(started, label)
            folder = self.root / session_id
            try:
                folder.mkdir(mode=PRIVATE_DIR_MODE)
                break
            except FileExistsError:
                continue
            except OSError as exc:
                raise write_problem(exc, what) from None
        draft = SessionDraft(
            id=session_id,
            folder=folder,
            started_at=started,
            question_id=question.id if question is not None else None,
            bank_id=question.bank_id if question is not None else None,
            question_text=question.text if question is not None else prompt,
            category=question.category if question is not None else None,
            phone=bool(phone),
            source=source,
            audio_path=folder / f"answer{suffix.lower()}",
            status="recording",
            mock_id=mock_id,
            follow_up_of=follow_up_of,
        )
        meta = draft_meta(draft, status="recording", audio_name=None)
        meta["recorder"] = recorder_stamp()
        try:
            write_meta(folder, meta)
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)  # empty: nothing was recorded yet
            raise write_problem(exc, what) from None
        self._index.upsert(meta, metrics_of(None), "", what)
        return draft

    def finish(
        self,
        draft: SessionDraft,
        *,
        transcript: Transcript | None,
        report: ReportLike | None,
    ) -> SessionRecord:
        """Save the transcript and report; status ``done``, or ``untranscribed`` without them.

        A failed write (full disk, read-only folder) raises one sentence that
        says the recording is kept; the session stays unfinished, so the next
        start finishes it.
        """
        report_data = _report_dict(report)
        audio_name = draft.audio_path.name if draft.audio_path.is_file() else None
        try:
            if transcript is not None:
                atomic_write_json(draft.folder / TRANSCRIPT_FILE, transcript.to_vosk())
            if report_data is not None:
                atomic_write_json(draft.folder / REPORT_FILE, report_data)
            status: Status = (
                "done" if transcript is not None and report_data is not None else "untranscribed"
            )
            metrics = metrics_of(report_data)
            if metrics["duration_s"] is None:
                if transcript is not None and transcript.duration_s is not None:
                    metrics["duration_s"] = transcript.duration_s
                elif audio_name is not None:
                    metrics["duration_s"] = wav_duration(draft.audio_path)
            meta = draft_meta(draft, status=status, audio_name=audio_name)
            meta["duration_s"] = metrics["duration_s"]
            meta["finished_at"] = iso(now())
            write_meta(draft.folder, meta)
            text = transcript.spoken_text() if transcript is not None else ""
            self._index.upsert(meta, metrics, text, "The answer")
        except (OSError, UserError) as exc:
            problem = exc if isinstance(exc, UserError) else write_problem(exc, "The answer")
            if audio_name is not None:
                raise UserError(
                    f"{problem.message.rstrip('.')}; the recording is kept in {draft.folder} "
                    "and will be finished the next time voice-mock starts."
                ) from None
            raise problem from None
        return self.get(draft.id)

    def update_analysis(
        self, session_id: str, transcript: Transcript, report: ReportLike
    ) -> SessionRecord:
        """Replace a session's transcript and report (re-analysis), keeping its audio."""
        record = self.get(session_id)
        return self.finish(record.to_draft(), transcript=transcript, report=report)

    # --- mock interviews ----------------------------------------------------------------

    def create_mock(
        self,
        questions: Sequence[Question],
        *,
        phone: bool = False,
        title: str = "Mock interview",
        started_at: datetime | None = None,
    ) -> MockRecord:
        """Save a new mock interview (status ``running``) before its first question is asked.

        Its answers then name it (`create(mock_id=...)`), so a crash part-way
        through leaves a unit that lists the questions answered so far.
        """
        what = "The mock interview"
        self._prepare_for_writing(what)
        started = (started_at or now()).astimezone(UTC)
        meta: dict[str, Any] = {
            "id": new_mock_id(started),
            "started_at": iso(started),
            "finished_at": None,
            "status": "running",
            "phone": bool(phone),
            "title": title,
            "questions": [
                {
                    "position": n,
                    "question_id": q.id,
                    "bank_id": q.bank_id,
                    "text": q.text,
                    "category": q.category,
                }
                for n, q in enumerate(questions, start=1)
            ],
        }
        self._write_mock(meta, what)
        return self.mock(meta["id"])

    def finish_mock(self, mock_id: str, status: MockStatus = "done") -> MockRecord:
        """Close a mock interview: ``done`` when every question was asked, ``left`` if not."""
        record = self.mock(mock_id)
        meta = {
            **{k: v for k, v in record.to_dict().items() if k in _MOCK_KEYS},
            "started_at": iso(record.started_at),
            "finished_at": iso(now()),
            "status": status,
            "questions": [q.to_dict() for q in record.questions],
        }
        self._write_mock(meta, "The mock interview")
        return self.mock(record.id)

    def discard_mock(self, mock_id: str) -> None:
        """Remove a mock interview that holds no answer (left before the first one)."""
        record = self.mock(mock_id)
        if self.count(mock_id=record.id):
            raise UserError(f"Mock interview {record.id} holds answers; not removing it.")
        try:
            mock_file(self.root, record.id).unlink(missing_ok=True)
        except OSError as exc:
            raise write_problem(exc, "The mock interview") from None
        self._index.remove_mock(record.id)

    def _write_mock(self, meta: Mapping[str, Any], what: str) -> None:
        try:
            write_mock(self.root, meta)
        except OSError as exc:
            raise write_problem(exc, what) from None
        self._index.upsert_mock(meta, what)

    def mock(self, mock_id: str) -> MockRecord:
        """A mock interview by its id, an unambiguous start of it, or its random last part."""
        key = mock_id.strip()
        self._ensure_ready()
        ids = self._index.find_mock_ids(key) if key else []
        if len(ids) > 1:
            raise UserError(f"Mock interview '{mock_id}' is ambiguous; give more of its id.")
        rows = self._index.mock_rows(mock_id=ids[0]) if ids else []
        if not rows:
            raise UserError(
                f"There is no saved mock interview '{mock_id}' (see voice-mock history --mocks)."
            )
        return self._index.mock_record(rows[0])

    def mocks(self, *, limit: int | None = None, offset: int = 0) -> builtins.list[MockRecord]:
        """Mock interviews, newest first, with headline numbers over their answers."""
        self._ensure_ready()
        return [
            self._index.mock_record(row)
            for row in self._index.mock_rows(limit=limit, offset=offset)
        ]

    def count_mocks(self) -> int:
        self._ensure_ready()
        return self._index.count_mocks()

    def mock_sessions(self, mock_id: str) -> builtins.list[SessionRecord]:
        """A mock interview's answers and follow-ups, in the order they were recorded."""
        return self.sessions(mock_id=mock_id, order_by="started_at", descending=False)

    def delete(self, session_id: str) -> SessionRecord:
        """Remove the session's folder, then its row; returns what was deleted.

        When a file cannot be removed (a read-only folder), the row stays and a
        sentence says what is left, so "deleted" is never said of a recording
        that is still on disk.
        """
        record = self.get(session_id)
        folder = record.folder
        try:
            inside = folder.resolve().parent == self.root.resolve()
        except OSError:
            inside = False
        if not inside:
            raise UserError(f"Session {record.id} is not inside {self.root}; not deleting it.")
        failures: list[str] = []
        read_only = False

        def failed(_function: Any, path: str, info: Any) -> None:
            nonlocal read_only
            error = info[1] if isinstance(info, tuple) else info
            read_only = read_only or getattr(error, "errno", None) in READ_ONLY_ERRNOS
            failures.append(f"{Path(path).name}: {getattr(error, 'strerror', None) or error}")

        if folder.exists():
            shutil.rmtree(folder, onerror=failed)
        if folder.exists():
            detail = failures[0] if failures else "it is still there"
            if read_only:  # chmod a-w says "Permission denied": name the cause
                detail = f"the data folder is read-only; {detail}"
            raise UserError(
                f"Session {record.id} could not be deleted ({detail}); its files are still in "
                f"{folder}."
            )
        self._index.remove(record.id)
        return record

    def rebuild_index(self) -> Rebuilt:
        """Recreate every row from the session folders, repairing a damaged index file.

        Folders whose ``session.json`` is missing or unreadable are indexed from
        their files when they hold audio or a transcript (and never deleted);
        the result names them.
        """
        try:
            private_dir(self.root)
        except OSError as exc:
            raise write_problem(exc, "The session index") from None
        self._ready = True
        if self._index.in_memory or self._index.needs_rebuild:
            # Missing or damaged: a fresh file. A healthy index keeps its file (other
            # processes may have it open) and has its rows replaced in one transaction.
            if not self._index.create_file():
                raise write_problem(self._index.why_not_writable(), "The session index")
        elif self._index.read_only:
            raise write_problem(self._index.why_not_writable(), "The session index")
        result = self._index.replace_all(lambda: scan(self.root))
        return Rebuilt(
            count=len(result.entries),
            repaired=tuple(e.meta["id"] for e in result.entries if e.repaired),
            unreadable=tuple(result.unreadable),
        )

    # --- reading -------------------------------------------------------------------------

    def get(self, session_id: str) -> SessionRecord:
        """A session by its full id, an unambiguous start of it, or its random last part.

        Never by any other part: ``delete what`` must not remove the one session
        whose question happens to contain "what".
        """
        key = session_id.strip().rstrip("/")
        try:
            key.encode("utf-8")
        except UnicodeEncodeError:
            raise UserError(
                f"There is no saved session {session_id!r} (see voice-mock history)."
            ) from None
        self._ensure_ready()
        rows = self._index.find_rows(key) if key else []
        if len(rows) > 1:
            raise UserError(
                f"Session '{session_id}' is ambiguous; give more of its id "
                "(see voice-mock history)."
            )
        if not rows:
            raise UserError(f"There is no saved session '{session_id}' (see voice-mock history).")
        return self._index.record(rows[0])

    def sessions(
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
        self._ensure_ready()
        rows = self._index.rows(
            filters, order_by=order_by, descending=descending, limit=limit, offset=offset
        )
        record = self._index.record
        return [record(row) for row in rows]

    def count(self, **filters: Unpack[SessionFilters]) -> int:
        """How many sessions `sessions` would return with the same filters."""
        self._ensure_ready()
        return self._index.count(filters)

    def answer_counts(self) -> dict[str, int]:
        """Finished answers per question (``bank/id``), from one query."""
        self._ensure_ready()
        return self._index.answer_counts()

    def question_stats(self) -> dict[str, QuestionStats]:
        """Per question (``bank/id``): how often it was answered, the last and best results."""
        self._ensure_ready()
        return self._index.question_stats()

    def unfinished(self, *, include_untranscribed: bool = True) -> builtins.list[SessionDraft]:
        """Sessions to finish: crashed recordings and, by default, ones still to transcribe.

        Oldest first, so recovery works through them in the order they were
        made. A ``recording`` session whose recording process is still running
        (this one, or another voice-mock on this machine: the app in one
        terminal, ``practice`` in another) is left out: it is being recorded,
        not abandoned.
        """
        statuses = ["recording", "untranscribed"] if include_untranscribed else ["recording"]
        records = self.sessions(status=statuses, order_by="started_at", descending=False)
        out: list[SessionDraft] = []
        for record in records:
            if record.status == "recording":
                meta = read_meta(record.folder)
                if meta is not None and recorded_by_live_process(meta):
                    continue
            out.append(record.to_draft())
        return out

    def attempts(self, question_id: str) -> builtins.list[SessionRecord]:
        """Every answer to one question (``id`` or ``bank/id``), oldest first: attempt 1, 2, ..."""
        return self.sessions(question_id=question_id, order_by="started_at", descending=False)

    def progress(self, question_id: str | None = None) -> builtins.list[ProgressPoint]:
        """Headline metrics of finished answers over time, oldest first (for charts)."""
        return progress_of(
            self.sessions(
                question_id=question_id, status="done", order_by="started_at", descending=False
            )
        )


_MOCK_KEYS = frozenset({"id", "phone", "title"})
"""What `finish_mock` carries over from the record as it is (times and status change)."""


def _narrow(path: Path, mode: int) -> None:
    """Take group and other permissions away from a file or folder made by an older version."""
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & 0o077:
            os.chmod(path, current & mode)
    except OSError:
        pass
